/* SPDX-License-Identifier: GPL-3.0-or-later */
/* KgCollectionRun against the in-process demo server: the contract's
 * example, failures with their sentences, captures, unknown variables
 * that send nothing, bail, JSON-2 and token routes. */
#include "config.h"

#include <string.h>

#include "kg-test-utils.h"

typedef struct
{
  KgHttp     *http;
  KgHistory  *history;
  KgProfile  *profile;
  KgCaller   *caller;
  GPtrArray  *recorded;   /* of KgExchange */
  GPtrArray  *finished;   /* of KgRequestOutcome, from ::request-finished */
  guint       passed;
  guint       failed;
} Fixture;

static void
recorded_cb (KgHttp     *http,
             KgExchange *exchange,
             Fixture    *f)
{
  g_ptr_array_add (f->recorded, g_object_ref (exchange));
}

static void
use_preset (Fixture       *f,
            KgTokenPreset  preset)
{
  g_autoptr(KgTokenSpec) spec = kg_token_spec_new_for_preset (preset);

  kg_profile_set_protocol (f->profile, KG_PROTOCOL_TOKEN);
  kg_profile_set_token_spec (f->profile, spec);
  g_clear_object (&f->caller);
  f->caller = kg_caller_new (f->http, f->profile, NULL);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->profile = kg_test_demo_profile ("alice");
  f->http = kg_http_new ();
  f->history = kg_history_new (NULL);
  kg_http_set_history (f->http, G_OBJECT (f->history));
  f->recorded = g_ptr_array_new_with_free_func (g_object_unref);
  f->finished = g_ptr_array_new_with_free_func (g_object_unref);
  g_signal_connect (f->http, "exchange-recorded", G_CALLBACK (recorded_cb), f);
  f->caller = kg_caller_new (f->http, f->profile, NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_finalize_object (f->caller);
  g_clear_object (&f->profile);
  g_clear_object (&f->http);
  g_clear_object (&f->history);
  g_clear_pointer (&f->recorded, g_ptr_array_unref);
  g_clear_pointer (&f->finished, g_ptr_array_unref);
}

static KgCollection *
collection_from (const char *json)
{
  g_autofree char *path = g_build_filename (kg_test_get_tmpdir (), "run.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  KgCollection *collection;

  g_file_set_contents (path, json, -1, &error);
  g_assert_no_error (error);
  collection = kg_collection_load (file, &error);
  g_assert_no_error (error);
  return collection;
}

static void
finished_cb (KgCollectionRun  *run,
             guint             index,
             KgRequestOutcome *outcome,
             Fixture          *f)
{
  g_assert_cmpuint (index, ==, f->finished->len);
  g_assert_cmpuint (kg_request_outcome_get_index (outcome), ==, index);
  g_ptr_array_add (f->finished, g_object_ref (outcome));
}

/* Runs @json (with "NAME=VALUE" @overrides, NULL-terminated or NULL) and
 * returns whether the run finished (not cancelled). */
static gboolean
run_collection (Fixture            *f,
                const char         *json,
                const char * const *overrides,
                gboolean            bail,
                GCancellable       *cancellable,
                GError            **error)
{
  g_autoptr(KgCollection) collection = collection_from (json);
  g_autoptr(KgCollectionRun) run = kg_collection_run_new (collection, f->caller,
                                                          KG_DEMO_ALICE_KEY);
  g_autoptr(GAsyncResult) result = NULL;
  gboolean ok;

  for (guint i = 0; overrides != NULL && overrides[i] != NULL; i++)
    g_assert_true (kg_variables_parse_override (kg_collection_run_get_variables (run),
                                                overrides[i], NULL));
  kg_collection_run_set_bail (run, bail);
  g_ptr_array_set_size (f->finished, 0);
  g_signal_connect (run, "request-finished", G_CALLBACK (finished_cb), f);
  kg_collection_run_start_async (run, cancellable, kg_test_store_result_cb, &result);
  result = kg_test_wait_result (&result);
  ok = kg_collection_run_start_finish (run, result, &f->passed, &f->failed, error);
  /* The outcomes model holds what the signal gave. */
  g_assert_cmpuint (g_list_model_get_n_items (kg_collection_run_get_outcomes (run)), ==,
                    f->finished->len);
  return ok;
}

static KgRequestOutcome *
outcome (Fixture *f,
         guint    i)
{
  g_assert_cmpuint (i, <, f->finished->len);
  return g_ptr_array_index (f->finished, i);
}

static char *
failures_text (KgRequestOutcome *o)
{
  return g_strjoinv ("|", (char **) kg_request_outcome_get_failures (o));
}

static guint
count_label (Fixture    *f,
             const char *prefix)
{
  guint n = 0;

  for (guint i = 0; i < f->recorded->len; i++)
    if (g_str_has_prefix (kg_exchange_get_label (g_ptr_array_index (f->recorded, i)), prefix))
      n++;
  return n;
}

/* The contract's example, on the demo's data. */
#define EXAMPLE \
  "{ \"keygate_collection\": 1, \"name\": \"Projects smoke test\", \"connection\": \"demo\",\n" \
  "  \"variables\": { \"prefix\": \"qa\" },\n" \
  "  \"requests\": [\n" \
  "    { \"name\": \"create a project\",\n" \
  "      \"call\": { \"model\": \"project.project\", \"method\": \"create\",\n" \
  "                \"args\": [[{ \"name\": \"{{prefix}} {{$uuid}}\" }]] },\n" \
  "      \"capture\": { \"project_id\": \"$.result[0]\" },\n" \
  "      \"expect\": { \"ok\": true } },\n" \
  "    { \"name\": \"read it back\",\n" \
  "      \"call\": { \"model\": \"project.project\", \"method\": \"read\",\n" \
  "                \"args\": [[\"{{project_id}}\"]], \"kwargs\": { \"fields\": [\"name\"] } },\n" \
  "      \"expect\": { \"ok\": true, \"json\": { \"$.result[0].name\": { \"matches\": \"^qa \" }" \
  "                  } } },\n" \
  "    { \"name\": \"REST create via the token module\",\n" \
  "      \"http\": { \"method\": \"POST\", \"path\": \"/api/project/create\", " \
  "\"auth\": \"token\",\n" \
  "                \"json\": { \"project_name\": \"{{prefix}} rest\" } },\n" \
  "      \"expect\": { \"status\": 200, \"json\": { \"$.project_id\": { " \
  "\"exists\": true } } } }\n" \
  "  ] }"

static void
test_example_passes (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *f0 = NULL;
  g_autofree char *f1 = NULL;
  KgExchange *read;
  gint64 id;
  g_autofree char *expected_args = NULL;

  use_preset (f, KG_TOKEN_PRESET_TUTORIAL);
  g_assert_true (run_collection (f, EXAMPLE, NULL, FALSE, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->finished->len, ==, 3);
  f0 = failures_text (outcome (f, 0));
  f1 = failures_text (outcome (f, 1));
  g_assert_cmpstr (f0, ==, "");
  g_assert_cmpstr (f1, ==, "");
  g_assert_cmpuint (f->passed, ==, 3);
  g_assert_cmpuint (f->failed, ==, 0);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_true (kg_request_outcome_get_passed (outcome (f, i)));
      g_assert_cmpuint (kg_request_outcome_get_status (outcome (f, i)), ==, 200);
      g_assert_cmpint (kg_request_outcome_get_elapsed_us (outcome (f, i)), >, 0);
      g_assert_null (kg_request_outcome_get_error_message (outcome (f, i)));
    }
  g_assert_cmpstr (kg_request_outcome_get_name (outcome (f, 2)), ==,
                   "REST create via the token module");

  /* The captured id went into the read as a number. */
  id = json_node_get_int (kg_json_path_lookup (
         kg_call_result_get_json (kg_request_outcome_get_call_result (outcome (f, 0))),
         "$.result[0]", NULL));
  read = kg_call_result_get_exchange (kg_request_outcome_get_call_result (outcome (f, 1)));
  expected_args = g_strdup_printf ("[[%" G_GINT64_FORMAT "]]", id);
  g_assert_nonnull (strstr (kg_exchange_get_request_body (read), expected_args));

  /* One authenticate and one token exchange for the whole run. */
  g_assert_cmpuint (count_label (f, "common.authenticate"), ==, 1);
  g_assert_cmpuint (count_label (f, "token exchange"), ==, 1);
}

#define FAILING \
  "{ \"keygate_collection\": 1, \"requests\": [\n" \
  "  { \"name\": \"wrong name\", \"call\": { \"model\": \"project.project\", \"method\": " \
  "\"search_read\", \"args\": [[]], \"kwargs\": { \"fields\": [\"name\"], \"limit\": 1 } },\n" \
  "    \"expect\": { \"json\": { \"$.result[0].name\": { \"matches\": \"^qa \" } }, " \
  "\"max_ms\": 600000 } },\n" \
  "  { \"name\": \"no such model\", \"call\": { \"model\": \"no.such\", \"method\": \"read\", " \
  "\"args\": [[1]] } },\n" \
  "  { \"name\": \"failure expected\", \"call\": { \"model\": \"no.such\", \"method\": \"read\", " \
  "\"args\": [[1]] }, \"expect\": { \"ok\": false } }\n" \
  "] }"

static void
test_failures_reported (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *f0 = NULL;
  g_autofree char *f1 = NULL;
  const char *message;

  g_assert_true (run_collection (f, FAILING, NULL, FALSE, NULL, &error));
  g_assert_cmpuint (f->passed, ==, 1);
  g_assert_cmpuint (f->failed, ==, 2);

  f0 = failures_text (outcome (f, 0));
  g_assert_cmpstr (f0, ==, "$.result[0].name: “Internal” does not match ^qa ");
  g_assert_false (kg_request_outcome_get_passed (outcome (f, 0)));

  message = kg_request_outcome_get_error_message (outcome (f, 1));
  g_assert_nonnull (message);
  f1 = failures_text (outcome (f, 1));
  g_assert_true (g_str_has_prefix (f1, "Expected the call to succeed; it failed: "));
  g_assert_nonnull (strstr (f1, message));
  g_assert_true (kg_request_outcome_get_passed (outcome (f, 2)));
}

#define UNKNOWN \
  "{ \"keygate_collection\": 1, \"variables\": { \"model\": \"project.project\" }, " \
  "\"requests\": [\n" \
  "  { \"name\": \"count\", \"call\": { \"model\": \"{{model}}\", \"method\": \"search_count\", " \
  "\"args\": [[]] } },\n" \
  "  { \"name\": \"typo\", \"call\": { \"model\": \"{{model}}\", \"method\": \"read\", " \
  "\"args\": [[1]], \"kwargs\": { \"fields\": [\"{{feild}}\"] } } },\n" \
  "  { \"name\": \"route typo\", \"http\": { \"method\": \"GET\", \"path\": " \
  "\"/api/{{nope}}\" } },\n" \
  "  { \"name\": \"count again\", \"call\": { \"model\": \"{{model}}\", \"method\": " \
  "\"search_count\", \"args\": [[]] } }\n" \
  "] }"

static void
test_unknown_variable_sends_nothing (Fixture       *f,
                                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *f1 = NULL;
  g_autofree char *f2 = NULL;

  g_assert_true (run_collection (f, UNKNOWN, NULL, FALSE, NULL, &error));
  g_assert_cmpuint (f->passed, ==, 2);
  g_assert_cmpuint (f->failed, ==, 2);
  f1 = failures_text (outcome (f, 1));
  f2 = failures_text (outcome (f, 2));
  g_assert_cmpstr (f1, ==, "Unknown variable “feild”");
  g_assert_cmpstr (f2, ==, "Unknown variable “nope”");
  g_assert_null (kg_request_outcome_get_call_result (outcome (f, 1)));
  g_assert_cmpuint (kg_request_outcome_get_status (outcome (f, 1)), ==, 0);
  /* authenticate + two search_count: the two bad requests sent nothing. */
  g_assert_cmpuint (f->recorded->len, ==, 3);
  g_assert_cmpuint (count_label (f, "object.execute_kw"), ==, 2);

  /* An override fills the gap and wins over the collection's value. */
  g_ptr_array_set_size (f->recorded, 0);
  g_assert_true (run_collection (f, UNKNOWN,
                                 (const char * const[]) { "feild=name", "nope=projects", NULL },
                                 FALSE, NULL, &error));
  g_assert_true (kg_request_outcome_get_passed (outcome (f, 1)));
  g_assert_cmpuint (count_label (f, "object.execute_kw"), ==, 3);
}

static void
test_bail (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (run_collection (f, UNKNOWN, NULL, TRUE, NULL, &error));
  g_assert_cmpuint (f->finished->len, ==, 2);
  g_assert_cmpuint (f->passed, ==, 1);
  g_assert_cmpuint (f->failed, ==, 1);
}

static void
test_cancelled (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_false (run_collection (f, UNKNOWN, NULL, FALSE, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (f->recorded->len, ==, 0);
}

#define JSON2 \
  "{ \"keygate_collection\": 1, \"requests\": [\n" \
  "  { \"name\": \"create\", \"call\": { \"model\": \"project.project\", \"method\": " \
  "\"create\", \"args\": [[{ \"name\": \"J2 {{$isodate}}\" }]] },\n" \
  "    \"capture\": { \"id\": \"$.result[0]\" } },\n" \
  "  { \"name\": \"read\", \"call\": { \"model\": \"project.project\", \"method\": \"read\", " \
  "\"args\": [[\"{{id}}\"], [\"name\"]] },\n" \
  "    \"expect\": { \"json\": { \"$.result[0].name\": { \"matches\": \"^J2 \\\\d{4}-\" }, " \
  "\"$.result\": { \"exists\": true } } } },\n" \
  "  { \"name\": \"api-key route\", \"http\": { \"method\": \"POST\", \"path\": " \
  "\"/json/2/project.project/search_count\", \"auth\": \"api-key\", \"json\": " \
  "{ \"domain\": [] } }, \"expect\": { \"status\": 200, \"json\": { \"$\": " \
  "{ \"matches\": \"^[1-9]\" } } } },\n" \
  "  { \"name\": \"capture misses\", \"call\": { \"model\": \"project.project\", \"method\": " \
  "\"search_count\", \"args\": [[]] }, \"capture\": { \"x\": \"$.result.nothing\" } }\n" \
  "] }"

static void
test_json2 (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *f3 = NULL;

  use_preset (f, KG_TOKEN_PRESET_JSON2);
  g_assert_true (kg_caller_uses_json2 (f->caller));
  g_assert_true (run_collection (f, JSON2, NULL, FALSE, NULL, &error));
  for (guint i = 0; i < 3; i++)
    if (!kg_request_outcome_get_passed (outcome (f, i)))
      g_error ("request %u failed: %s", i, failures_text (outcome (f, i)));
  g_assert_true (g_str_has_suffix (kg_exchange_get_url (kg_call_result_get_exchange (
                   kg_request_outcome_get_call_result (outcome (f, 1)))),
                                   "/json/2/project.project/read"));
  f3 = failures_text (outcome (f, 3));
  g_assert_cmpstr (f3, ==, "Could not capture “x”: $.result.nothing matches nothing");
  g_assert_cmpuint (f->passed, ==, 3);
  g_assert_cmpuint (f->failed, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  kg_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/core/collection-run/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("example-passes", test_example_passes);
  ADD ("failures-reported", test_failures_reported);
  ADD ("unknown-variable-sends-nothing", test_unknown_variable_sends_nothing);
  ADD ("bail", test_bail);
  ADD ("cancelled", test_cancelled);
  ADD ("json2", test_json2);
#undef ADD

  return g_test_run ();
}
