/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-collection: what the collection runner costs over sending the same
 * calls directly. A collection of N model calls (search_read with a
 * {{placeholder}}, an expectation and a capture each) runs against the
 * in-process demo server with KgCollectionRun; then the same N calls are
 * made back-to-back with one KgCaller. Each side runs 5 times (a new
 * caller each time: one authenticate, keep-alive reused); the medians and
 * their ratio "runner / direct" are printed (target: at most 1.2).
 *
 *   ninja -C build tests/bench/bench-collection
 *   build/tests/bench/bench-collection [-n 100]
 */
#include "config.h"

#include <stdlib.h>

#include "kg-test-utils.h"

#define N_RUNS 5

static int n_requests = 100;

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static gint64
median (gint64 *samples)
{
  qsort (samples, N_RUNS, sizeof (gint64), compare_gint64);
  return samples[N_RUNS / 2];
}

static void
store_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return g_steal_pointer (result);
}

static KgCollection *
make_collection (void)
{
  g_autoptr(KgCollection) collection = kg_collection_new ("bench");
  g_autoptr(JsonNode) variables = kg_json_parse ("{\"model\": \"project.project\"}", -1, NULL);
  g_autoptr(JsonNode) body = kg_json_parse ("{\"model\": \"{{model}}\", \"method\": "
                                            "\"search_read\", \"args\": [[]], \"kwargs\": "
                                            "{\"fields\": [\"name\"], \"limit\": 1}}", -1, NULL);
  g_autoptr(JsonNode) expect = kg_json_parse ("{\"ok\": true, \"json\": {\"$.result[0].name\": "
                                              "{\"exists\": true}}}", -1, NULL);
  g_autoptr(JsonNode) capture = kg_json_parse ("{\"first\": \"$.result[0].id\"}", -1, NULL);

  g_assert_true (kg_collection_set_variables (collection, json_node_get_object (variables),
                                              NULL));
  for (int i = 0; i < n_requests; i++)
    {
      g_autofree char *name = g_strdup_printf ("request %d", i + 1);
      g_autoptr(KgCollectionRequest) request = kg_collection_request_new (name, "x", "y");

      g_assert_true (kg_collection_request_set_body (request, KG_REQUEST_KIND_CALL,
                                                     json_node_get_object (body), NULL));
      g_assert_true (kg_collection_request_set_expect (request, json_node_get_object (expect),
                                                       NULL));
      g_assert_true (kg_collection_request_set_capture (request,
                                                        json_node_get_object (capture), NULL));
      kg_collection_add_request (collection, request);
    }
  return g_steal_pointer (&collection);
}

static gint64
time_runner (KgHttp       *http,
             KgProfile    *profile,
             KgCollection *collection)
{
  g_autoptr(KgCaller) caller = kg_caller_new (http, profile, NULL);
  g_autoptr(KgCollectionRun) run = kg_collection_run_new (collection, caller,
                                                          KG_DEMO_ALICE_KEY);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint passed = 0;
  guint failed = 0;
  gint64 start = g_get_monotonic_time ();

  kg_collection_run_start_async (run, NULL, store_cb, &result);
  result = wait_result (&result);
  g_assert_true (kg_collection_run_start_finish (run, result, &passed, &failed, &error));
  start = g_get_monotonic_time () - start;
  g_assert_cmpuint (passed, ==, (guint) n_requests);
  g_assert_cmpuint (failed, ==, 0);
  return start;
}

static gint64
time_direct (KgHttp    *http,
             KgProfile *profile)
{
  g_autoptr(KgCaller) caller = kg_caller_new (http, profile, NULL);
  g_autoptr(JsonNode) kwargs = kg_json_parse ("{\"fields\": [\"name\"], \"limit\": 1}", -1,
                                              NULL);
  g_autoptr(JsonArray) args = json_array_new ();
  gint64 start = g_get_monotonic_time ();

  json_array_add_array_element (args, json_array_new ());
  for (int i = 0; i < n_requests; i++)
    {
      g_autoptr(KgModelCall) call = kg_model_call_new ("project.project", "search_read", args,
                                                       json_node_get_object (kwargs), NULL);
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(KgCallResult) outcome = NULL;

      kg_caller_call_model_async (caller, KG_DEMO_ALICE_KEY, call, NULL, store_cb, &result);
      result = wait_result (&result);
      outcome = kg_caller_call_model_finish (caller, result, NULL);
      g_assert_true (outcome != NULL && kg_call_result_get_ok (outcome));
    }
  return g_get_monotonic_time () - start;
}

int
main (int   argc,
      char *argv[])
{
  const GOptionEntry entries[] = {
    { "requests", 'n', 0, G_OPTION_ARG_INT, &n_requests, "Requests per run (100)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- collection runner benchmark");
  g_autoptr(GError) error = NULL;
  g_autoptr(KgHttp) http = NULL;
  g_autoptr(KgProfile) profile = NULL;
  g_autoptr(KgCollection) collection = NULL;
  g_autofree char *tmpdir = NULL;
  gint64 runner[N_RUNS];
  gint64 direct[N_RUNS];
  gint64 runner_median;
  gint64 direct_median;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (n_requests < 1)
    {
      g_printerr ("At least one request\n");
      return 2;
    }

  g_setenv ("no_proxy", "127.0.0.1,localhost", TRUE);
  g_setenv ("NO_PROXY", "127.0.0.1,localhost", TRUE);
  tmpdir = g_dir_make_tmp ("keygate-bench-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_STATE_HOME", tmpdir, TRUE);
  g_setenv ("XDG_CONFIG_HOME", tmpdir, TRUE);
  g_setenv ("XDG_CACHE_HOME", tmpdir, TRUE);

  kg_test_get_demo_server ();
  http = kg_http_new ();
  profile = kg_test_demo_profile ("alice");
  collection = make_collection ();

  /* Warm up both paths once (connections, first-use allocations). */
  time_direct (http, profile);
  time_runner (http, profile, collection);

  /* Interleaved, so a slow spell of the machine hits both sides. */
  for (int i = 0; i < N_RUNS; i++)
    {
      runner[i] = time_runner (http, profile, collection);
      direct[i] = time_direct (http, profile);
    }
  runner_median = median (runner);
  direct_median = median (direct);

  g_print ("bench-collection (%s build): %d model calls per run, median of %d runs\n",
           BENCH_BUILDTYPE, n_requests, N_RUNS);
  g_print ("  direct (KgCaller back-to-back)  %8.1f ms  (%.2f ms per call)\n",
           direct_median / 1000.0, direct_median / 1000.0 / n_requests);
  g_print ("  runner (KgCollectionRun)        %8.1f ms  (%.2f ms per request)\n",
           runner_median / 1000.0, runner_median / 1000.0 / n_requests);
  g_print ("  runner / direct                 %8.2fx  (target <= 1.2x)\n",
           (double) runner_median / direct_median);
  return 0;
}
