/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-core: figures for libkeygate-core against the in-process demo server
 * (its own thread and main context, 127.0.0.1, port 0). Prints two tables:
 * per-call latencies and throughputs. Not a test: it asserts only that the
 * calls succeed (a benchmark of failing calls would be meaningless).
 *
 *   ninja -C build-bench tests/bench/bench-core
 *   build-bench/tests/bench/bench-core [-n 200] [--history-lines 10000] [--body-mib 5]
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "kg-test-utils.h"

static int n_calls = 200;
static int history_lines = 10000;
static int body_mib = 5;

typedef struct
{
  const char *name;
  guint       n;
  gint64      median_us;
  gint64      p95_us;
  gint64      min_us;
  gint64      max_us;
  double      per_second;
  char       *note;
} LatencyRow;

typedef struct
{
  char  *name;
  char  *figure;
  char  *note;
} FigureRow;

static GArray *latency_rows;   /* of LatencyRow */
static GArray *figure_rows;    /* of FigureRow */

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static void
add_latency_row (const char *name,
                 GArray     *samples,   /* of gint64 µs */
                 gint64      wall_us,
                 char       *note)      /* owned */
{
  LatencyRow row = { 0 };
  guint n = samples->len;

  g_array_sort (samples, compare_gint64);
  row.name = name;
  row.n = n;
  row.median_us = g_array_index (samples, gint64, n / 2);
  row.p95_us = g_array_index (samples, gint64, MIN (n - 1, (n * 95 + 99) / 100 - 1));
  row.min_us = g_array_index (samples, gint64, 0);
  row.max_us = g_array_index (samples, gint64, n - 1);
  row.per_second = wall_us > 0 ? n * 1e6 / wall_us : 0;
  row.note = note;
  g_array_append_val (latency_rows, row);
}

static void
add_figure_row (const char *name,
                char       *figure,   /* owned */
                char       *note)     /* owned, nullable */
{
  FigureRow row = { g_strdup (name), figure, note };

  g_array_append_val (figure_rows, row);
}

/* Waits on the thread-default context like the tests do; the result stays
 * owned by *@result (a g_autoptr in the caller). */
static GAsyncResult *
wait_result (GAsyncResult **result)
{
  *result = kg_test_wait_result (result);
  return *result;
}

static KgProfile *
token_profile (KgDemoServer *server)
{
  KgProfile *profile = kg_profile_new ();
  g_autoptr(KgTokenSpec) token_spec = kg_token_spec_new ();
  g_autoptr(KgCreateSpec) create_spec = kg_create_spec_new ();

  kg_profile_set_name (profile, "Bench token");
  kg_profile_set_url (profile, kg_demo_server_get_url (server));
  kg_profile_set_database (profile, KG_DEMO_DATABASE);
  kg_profile_set_login (profile, "alice");
  kg_profile_set_timeout (profile, 30);
  kg_profile_set_protocol (profile, KG_PROTOCOL_TOKEN);
  kg_profile_set_token_spec (profile, token_spec);
  kg_profile_set_create_spec (profile, create_spec);

  return profile;
}

static void
bench_authenticate (KgHttp    *http,
                    KgProfile *profile)
{
  g_autoptr(KgOdooRpc) rpc = kg_odoo_rpc_new (http, profile);
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 wall = g_get_monotonic_time ();

  for (int i = 0; i < n_calls; i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();
      gint64 uid;

      kg_odoo_rpc_authenticate_async (rpc, KG_DEMO_ALICE_KEY, KG_SECRET_API_KEY, NULL,
                                      kg_test_store_result_cb, &result);
      uid = kg_odoo_rpc_authenticate_finish (rpc, wait_result (&result), &error);
      if (error != NULL || uid != KG_DEMO_ALICE_UID)
        g_error ("authenticate failed: %s", error ? error->message : "wrong uid");
      start = g_get_monotonic_time () - start;
      g_array_append_val (samples, start);
    }
  wall = g_get_monotonic_time () - wall;
  add_latency_row ("JSON-RPC common.authenticate (kg_odoo_rpc)", samples, wall,
                   g_strdup ("1 request each"));
}

static void
bench_create_jsonrpc (KgHttp    *http,
                      KgProfile *profile)
{
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 wall = g_get_monotonic_time ();

  for (int i = 0; i < n_calls; i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(KgCreateResult) created = NULL;
      g_autofree char *name = g_strdup_printf ("Bench project %d", i);
      KgProjectValues values = { name, "Created by bench-core", NULL };
      gint64 start = g_get_monotonic_time ();

      kg_record_create_project_async (http, profile, NULL, KG_DEMO_ALICE_KEY, &values,
                                      KG_CREATE_VIA_JSONRPC, NULL,
                                      kg_test_store_result_cb, &result);
      created = kg_record_create_project_finish (wait_result (&result), &error);
      if (error != NULL || kg_create_result_get_id (created) <= 0)
        g_error ("create failed: %s", error ? error->message : "no id");
      start = g_get_monotonic_time () - start;
      g_array_append_val (samples, start);
    }
  wall = g_get_monotonic_time () - wall;
  add_latency_row ("create project, JSON-RPC (kg_record_create)", samples, wall,
                   g_strdup ("authenticate + execute_kw create"));
}

static KgExchange *
bench_token_client (KgHttp       *http,
                    KgDemoServer *server)
{
  g_autoptr(KgProfile) profile = token_profile (server);
  g_autoptr(KgTokenClient) client = kg_token_client_new (http, profile);
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(KgExchange) last = NULL;
  guint exchanges_before = kg_demo_server_get_path_count (server, "/auth/token/apikey");
  guint exchanges;
  gint64 wall = g_get_monotonic_time ();

  for (int i = 0; i < n_calls; i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *name = g_strdup_printf ("Bench token project %d", i);
      g_autoptr(KgCreateResult) created = NULL;
      KgProjectValues values = { name, "Created by bench-core", NULL };
      gint64 start = g_get_monotonic_time ();

      g_clear_object (&last);
      kg_record_create_project_async (http, profile, client, KG_DEMO_ALICE_KEY, &values,
                                      KG_CREATE_VIA_TOKEN, NULL, kg_test_store_result_cb, &result);
      created = kg_record_create_project_finish (wait_result (&result), &error);
      if (created == NULL)
        g_error ("token create failed: %s", error->message);
      last = g_object_ref (kg_create_result_get_exchange (created));
      start = g_get_monotonic_time () - start;
      g_array_append_val (samples, start);
    }
  wall = g_get_monotonic_time () - wall;
  exchanges = kg_demo_server_get_path_count (server, "/auth/token/apikey") - exchanges_before;
  if (exchanges != 1)
    g_error ("expected one token exchange for %d calls, the server saw %u", n_calls, exchanges);
  add_latency_row ("create project, token client (POST /api/project/create)", samples, wall,
                   g_strdup_printf ("%u token exchange for all calls (first call includes it)",
                                    exchanges));

  return g_steal_pointer (&last);
}

static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static void
bench_history (const char *dir,
               KgExchange *exchange)
{
  g_autofree char *path = g_build_filename (dir, "history.jsonl", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(KgHistory) history = kg_history_new (file);
  g_autoptr(KgHistory) reader = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st;
  gint64 start;
  gint64 elapsed;
  gint64 cpu;

  kg_history_set_max_bytes (history, (gsize) 1 << 30);   /* no rotation during the run */

  start = g_get_monotonic_time ();
  cpu = thread_cpu_us ();
  for (int i = 0; i < history_lines; i++)
    {
      if (!kg_history_append (history, exchange, &error))
        g_error ("history append failed: %s", error->message);
    }
  elapsed = g_get_monotonic_time () - start;
  cpu = thread_cpu_us () - cpu;

  if (g_stat (path, &st) != 0)
    g_error ("history file missing");

  add_figure_row ("history append (kg_history_append)",
                  g_strdup_printf ("%.0f lines/s (CPU %.0f lines/s)", history_lines * 1e6 / elapsed,
                                   history_lines * 1e6 / cpu),
                  g_strdup_printf ("%d lines in %.2f s; file %.2f MiB (%.0f B/line)",
                                   history_lines, elapsed / 1e6,
                                   st.st_size / (1024.0 * 1024.0),
                                   (double) st.st_size / history_lines));

  reader = kg_history_new (file);
  start = g_get_monotonic_time ();
  cpu = thread_cpu_us ();
  if (!kg_history_load (reader, &error))
    g_error ("history load failed: %s", error->message);
  elapsed = g_get_monotonic_time () - start;
  cpu = thread_cpu_us () - cpu;
  add_figure_row ("history load (kg_history_load)",
                  g_strdup_printf ("%.0f ms (CPU %.0f ms)", elapsed / 1e3, cpu / 1e3),
                  g_strdup_printf ("%u exchanges from that file",
                                   g_list_model_get_n_items (kg_history_get_model (reader))));
  g_unlink (path);
}

#define BENCH_TOKEN    "tok_9f8e7d6c5b4a39281706f5e4d3c2b1a0"
#define BENCH_PASSWORD "correct horse battery staple"

static char *
make_text_body (gsize size)
{
  GString *body = g_string_sized_new (size + 4096);
  guint line = 0;

  /* A log-like body with one of each secret every 4 KiB. */
  while (body->len < size)
    {
      g_string_append_printf (body, "%06u INFO odoo.http: POST /jsonrpc 200 - uid 6 database "
                              "keygate_demo took 12 ms, payload 842 bytes, queue 0\n", line);
      if (++line % 40 == 0)
        g_string_append_printf (body, "key=%s token=%s password=%s\n",
                                KG_DEMO_ALICE_KEY, BENCH_TOKEN, BENCH_PASSWORD);
    }
  return g_string_free (body, FALSE);
}

static char *
make_json_body (gsize  size,
                guint *n_records)
{
  GString *body = g_string_sized_new (size + 4096);
  guint id = 1;

  g_string_append (body, "{\"jsonrpc\": \"2.0\", \"id\": 1, \"result\": [");
  while (body->len < size)
    {
      if (id > 1)
        g_string_append_c (body, ',');
      g_string_append_printf (body,
                              "{\"id\": %u, \"name\": \"Project %u\", \"active\": true, "
                              "\"description\": \"<p>Imported from the bench, row %u.</p>\", "
                              "\"user_id\": [6, \"Alice\"], \"tag_ids\": [1, 2, 3], "
                              "\"create_date\": \"2025-07-02 10:11:12\", \"note\": \"%s\"}",
                              id, id, id, id % 50 == 0 ? KG_DEMO_ALICE_KEY : "none");
      id++;
    }
  g_string_append (body, "]}");
  if (n_records != NULL)
    *n_records = id - 1;
  return g_string_free (body, FALSE);
}

static double
mib_per_s (gsize bytes, gint64 us)
{
  return (bytes / (1024.0 * 1024.0)) / (us / 1e6);
}

/* Runs @stmt three times; @out gets the median wall time and @cpu_out the
 * median CPU time of this thread, in us. CPU time is the steadier figure on a
 * loaded machine; wall time is what a user waits. */
#define TIME3(out, cpu_out, stmt)                              \
  G_STMT_START {                                               \
    gint64 t_[3], c_[3];                                       \
    for (int r_ = 0; r_ < 3; r_++)                             \
      {                                                        \
        gint64 s_ = g_get_monotonic_time ();                   \
        gint64 sc_ = thread_cpu_us ();                         \
        stmt;                                                  \
        t_[r_] = g_get_monotonic_time () - s_;                 \
        c_[r_] = thread_cpu_us () - sc_;                       \
      }                                                        \
    qsort (t_, 3, sizeof (gint64), compare_gint64);            \
    qsort (c_, 3, sizeof (gint64), compare_gint64);            \
    (out) = t_[1];                                             \
    (cpu_out) = c_[1];                                         \
  } G_STMT_END

static void
bench_redaction (void)
{
  gsize size = (gsize) body_mib * 1024 * 1024;
  g_autofree char *text = make_text_body (size);
  g_autofree char *json = make_json_body (size, NULL);
  g_autoptr(KgSecrets) secrets = kg_secrets_new ();
  gsize text_len = strlen (text);
  gsize json_len = strlen (json);
  gint64 us, cpu;

  kg_secrets_add (secrets, KG_SECRET_API_KEY, KG_DEMO_ALICE_KEY);
  kg_secrets_add (secrets, KG_SECRET_TOKEN, BENCH_TOKEN);
  kg_secrets_add (secrets, KG_SECRET_PASSWORD, BENCH_PASSWORD);

  TIME3 (us, cpu, {
    g_autofree char *out = kg_secrets_redact (secrets, text);
    if (strstr (out, KG_DEMO_ALICE_KEY) || strstr (out, BENCH_TOKEN) || strstr (out, BENCH_PASSWORD))
      g_error ("kg_secrets_redact left a secret");
  });
  add_figure_row ("kg_secrets_redact, text",
                  g_strdup_printf ("%.1f MiB/s (CPU %.1f MiB/s)", mib_per_s (text_len, us), mib_per_s (text_len, cpu)),
                  g_strdup_printf ("%.1f MiB, 3 secrets, one of each per ~4 KiB; %.1f ms",
                                   text_len / 1048576.0, us / 1e3));

  TIME3 (us, cpu, {
    g_autofree char *out = kg_redact_body (secrets, "text/plain", text);
    if (strstr (out, KG_DEMO_ALICE_KEY))
      g_error ("kg_redact_body left a secret");
  });
  add_figure_row ("kg_redact_body, text/plain",
                  g_strdup_printf ("%.1f MiB/s (CPU %.1f MiB/s)", mib_per_s (text_len, us), mib_per_s (text_len, cpu)),
                  g_strdup_printf ("same body; %.1f ms", us / 1e3));

  TIME3 (us, cpu, {
    g_autofree char *out = kg_redact_body (secrets, "application/json", json);
    if (strstr (out, KG_DEMO_ALICE_KEY))
      g_error ("kg_redact_body left a secret");
  });
  add_figure_row ("kg_redact_body, application/json",
                  g_strdup_printf ("%.1f MiB/s (CPU %.1f MiB/s)", mib_per_s (json_len, us), mib_per_s (json_len, cpu)),
                  g_strdup_printf ("%.1f MiB JSON-RPC result (parse, redact, print); %.1f ms",
                                   json_len / 1048576.0, us / 1e3));
}

static void
bench_classify (void)
{
  gsize size = (gsize) body_mib * 1024 * 1024;
  g_autofree char *json = make_json_body (size, NULL);
  gsize json_len = strlen (json);
  g_autoptr(JsonNode) root = NULL;
  gint64 us, cpu;

  TIME3 (us, cpu, {
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(GError) error = NULL;
    if (!json_parser_load_from_data (parser, json, json_len, &error))
      g_error ("parse failed: %s", error->message);
    if (root == NULL)
      root = json_parser_steal_root (parser);
  });
  add_figure_row ("json-glib parse of the response",
                  g_strdup_printf ("%.1f MiB/s (CPU %.1f MiB/s)", mib_per_s (json_len, us), mib_per_s (json_len, cpu)),
                  g_strdup_printf ("%.1f MiB; %.1f ms (what kg-http does once per response)",
                                   json_len / 1048576.0, us / 1e3));

  TIME3 (us, cpu, {
    g_autoptr(KgExchange) exchange = kg_exchange_new ("POST", "http://127.0.0.1/jsonrpc");
    g_autoptr(JsonNode) result = NULL;
    g_autoptr(GError) error = NULL;
    kg_exchange_set_response (exchange, 200, "OK", "application/json", json, json_len, root);
    result = kg_odoo_classify_jsonrpc (exchange, &error);
    if (result == NULL || !JSON_NODE_HOLDS_ARRAY (result))
      g_error ("classify failed: %s", error ? error->message : "no result array");
  });
  add_figure_row ("kg_odoo_classify_jsonrpc, raw JSON kept",
                  g_strdup_printf ("%.1f ms (CPU %.1f ms)", us / 1e3, cpu / 1e3),
                  g_strdup_printf ("%.1f MiB response (set_response + classify, result copied)",
                                   json_len / 1048576.0));

  TIME3 (us, cpu, {
    g_autoptr(KgExchange) exchange = kg_exchange_new ("POST", "http://127.0.0.1/jsonrpc");
    g_autoptr(JsonNode) result = NULL;
    g_autoptr(GError) error = NULL;
    kg_exchange_set_response (exchange, 200, "OK", "application/json", json, json_len, NULL);
    result = kg_odoo_classify_jsonrpc (exchange, &error);
    if (result == NULL || !JSON_NODE_HOLDS_ARRAY (result))
      g_error ("classify failed: %s", error ? error->message : "no result array");
  });
  add_figure_row ("kg_odoo_classify_jsonrpc, from the body text",
                  g_strdup_printf ("%.1f MiB/s (CPU %.1f MiB/s)", mib_per_s (json_len, us), mib_per_s (json_len, cpu)),
                  g_strdup_printf ("no raw JSON: parses the redacted text; %.1f ms", us / 1e3));
}

static void
bench_huge_transfer (KgHttp       *http,
                     KgDemoServer *server)
{
  g_autofree char *url = g_strdup_printf ("%s/hostile/huge/jsonrpc?mib=%d",
                                          kg_demo_server_get_url (server), body_mib);
  gint64 us, cpu;
  gsize size = 0;

  TIME3 (us, cpu, {
    g_autoptr(KgHttpRequest) request = kg_http_request_new ("POST", url);
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(KgExchange) exchange = NULL;
    g_autoptr(JsonNode) classified = NULL;
    kg_http_request_add_secret (request, KG_SECRET_API_KEY, KG_DEMO_ALICE_KEY);
    kg_http_request_set_timeout (request, 60);
    kg_http_send_async (http, request, NULL, kg_test_store_result_cb, &result);
    exchange = kg_http_send_finish (http, wait_result (&result), &error);
    if (exchange == NULL)
      g_error ("huge transfer failed: %s", error->message);
    classified = kg_odoo_classify_jsonrpc (exchange, &error);
    if (classified == NULL)
      g_error ("huge classify failed: %s", error->message);
    size = kg_exchange_get_response_size (exchange);
  });
  add_figure_row ("kg_http_send + classify, streamed JSON response",
                  g_strdup_printf ("%.1f MiB/s (CPU %.1f MiB/s)", mib_per_s (size, us), mib_per_s (size, cpu)),
                  g_strdup_printf ("/hostile/huge %.1f MiB over loopback: receive, parse, redact, "
                                   "classify; %.1f ms", size / 1048576.0, us / 1e3));
}

/* A loopback server in its own thread that answers every request with one
 * fixed JSON body (records, like a search_read), for the end-to-end figure. */
typedef struct
{
  GMainContext *context;
  GMainLoop    *loop;
  SoupServer   *server;
  GBytes       *body;
  char         *url;
  GMutex        mutex;
  GCond         cond;
} RecordServer;

static void
record_server_cb (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  RecordServer *rs = user_data;
  gsize len;
  gconstpointer data = g_bytes_get_data (rs->body, &len);

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, data, len);
}

static gpointer
record_server_thread (gpointer user_data)
{
  RecordServer *rs = user_data;
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (rs->context);
  rs->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (rs->server, NULL, record_server_cb, rs, NULL);
  if (!soup_server_listen (rs->server, address, 0, &error))
    g_error ("record server: %s", error->message);
  uris = soup_server_get_uris (rs->server);
  g_mutex_lock (&rs->mutex);
  rs->url = g_uri_to_string (uris->data);
  g_cond_signal (&rs->cond);
  g_mutex_unlock (&rs->mutex);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_main_loop_run (rs->loop);

  soup_server_disconnect (rs->server);
  g_clear_object (&rs->server);
  g_main_context_pop_thread_default (rs->context);
  return NULL;
}

static gboolean
quit_loop_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static void
bench_records_transfer (KgHttp *http)
{
  gsize size = (gsize) body_mib * 1024 * 1024;
  RecordServer rs = { 0 };
  GThread *thread;
  gint64 us, cpu;
  gint64 transfer_us = 0;
  gsize received = 0;
  guint n_records = 0;
  char *text;

  text = make_json_body (size, &n_records);
  rs.body = g_bytes_new_take (text, strlen (text));
  rs.context = g_main_context_new ();
  rs.loop = g_main_loop_new (rs.context, FALSE);
  g_mutex_init (&rs.mutex);
  g_cond_init (&rs.cond);
  thread = g_thread_new ("bench-records", record_server_thread, &rs);
  g_mutex_lock (&rs.mutex);
  while (rs.url == NULL)
    g_cond_wait (&rs.cond, &rs.mutex);
  g_mutex_unlock (&rs.mutex);

  TIME3 (us, cpu, {
    g_autoptr(KgHttpRequest) request = kg_http_request_new ("POST", rs.url);
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(KgExchange) exchange = NULL;
    g_autoptr(JsonNode) classified = NULL;
    kg_http_request_add_secret (request, KG_SECRET_API_KEY, KG_DEMO_ALICE_KEY);
    kg_http_request_set_timeout (request, 120);
    kg_http_send_async (http, request, NULL, kg_test_store_result_cb, &result);
    exchange = kg_http_send_finish (http, wait_result (&result), &error);
    if (exchange == NULL)
      g_error ("records transfer failed: %s", error->message);
    classified = kg_odoo_classify_jsonrpc (exchange, &error);
    if (classified == NULL)
      g_error ("records classify failed: %s", error->message);
    if (strstr (kg_exchange_get_response_body (exchange), KG_DEMO_ALICE_KEY) != NULL)
      g_error ("the recorded body holds the key");
    received = kg_exchange_get_response_size (exchange);
    transfer_us = kg_exchange_get_timing (exchange)->total_us;
  });
  add_figure_row ("kg_http_send + classify, 5 MiB of records",
                  g_strdup_printf ("%.0f ms (CPU %.0f ms)", us / 1e3, cpu / 1e3),
                  g_strdup_printf ("%.1f MiB search_read-like result (%u records) from a "
                                   "loopback server thread; libsoup reports %.0f ms for the "
                                   "transfer; parse + redact + classify run on the calling "
                                   "thread (the app's main loop)",
                                   received / 1048576.0,
                                   n_records, transfer_us / 1e3));

  g_main_context_invoke (rs.context, quit_loop_cb, rs.loop);
  g_thread_join (thread);
  g_main_loop_unref (rs.loop);
  g_main_context_unref (rs.context);
  g_bytes_unref (rs.body);
  g_free (rs.url);
  g_mutex_clear (&rs.mutex);
  g_cond_clear (&rs.cond);
}

static void
print_tables (void)
{
  struct rusage usage;

  g_print ("\n| call (sequential, N each) | N | median us | p95 us | min us | max us | calls/s | note |\n");
  g_print ("|---|---|---|---|---|---|---|---|\n");
  for (guint i = 0; i < latency_rows->len; i++)
    {
      LatencyRow *row = &g_array_index (latency_rows, LatencyRow, i);

      g_print ("| %s | %u | %" G_GINT64_FORMAT " | %" G_GINT64_FORMAT " | %" G_GINT64_FORMAT
               " | %" G_GINT64_FORMAT " | %.0f | %s |\n",
               row->name, row->n, row->median_us, row->p95_us, row->min_us, row->max_us,
               row->per_second, row->note ? row->note : "");
      g_free (row->note);
    }

  getrusage (RUSAGE_SELF, &usage);
  add_figure_row ("peak RSS of bench-core (getrusage)",
                  g_strdup_printf ("%.1f MiB", usage.ru_maxrss / 1024.0),
                  g_strdup ("whole run, demo server thread included"));

  g_print ("\n| figure | value | note |\n");
  g_print ("|---|---|---|\n");
  for (guint i = 0; i < figure_rows->len; i++)
    {
      FigureRow *row = &g_array_index (figure_rows, FigureRow, i);

      g_print ("| %s | %s | %s |\n", row->name, row->figure, row->note ? row->note : "");
      g_free (row->name);
      g_free (row->figure);
      g_free (row->note);
    }
}

int
main (int   argc,
      char *argv[])
{
  const GOptionEntry entries[] = {
    { "calls", 'n', 0, G_OPTION_ARG_INT, &n_calls, "Sequential calls per network benchmark (200)", "N" },
    { "history-lines", 0, 0, G_OPTION_ARG_INT, &history_lines, "Exchanges appended to the history (10000)", "N" },
    { "body-mib", 0, 0, G_OPTION_ARG_INT, &body_mib, "Size of the redaction and classification bodies (5)", "MIB" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- libkeygate-core benchmarks");
  g_autoptr(GError) error = NULL;
  g_autoptr(KgHttp) http = NULL;
  g_autoptr(KgProfile) profile = NULL;
  g_autoptr(KgExchange) exchange = NULL;
  g_autofree char *tmpdir = NULL;
  KgDemoServer *server;
  double load[3] = { 0 };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (n_calls < 1 || history_lines < 1 || body_mib < 1)
    {
      g_printerr ("Counts and sizes must be at least 1\n");
      return 2;
    }

  /* libsoup honours http_proxy even for loopback. */
  g_setenv ("no_proxy", "127.0.0.1,localhost", TRUE);
  g_setenv ("NO_PROXY", "127.0.0.1,localhost", TRUE);
  tmpdir = g_dir_make_tmp ("keygate-bench-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_STATE_HOME", tmpdir, TRUE);
  g_setenv ("XDG_CONFIG_HOME", tmpdir, TRUE);
  g_setenv ("XDG_CACHE_HOME", tmpdir, TRUE);

  latency_rows = g_array_new (FALSE, TRUE, sizeof (LatencyRow));
  figure_rows = g_array_new (FALSE, TRUE, sizeof (FigureRow));

  if (getloadavg (load, 3) < 0)
    load[0] = load[1] = load[2] = -1;
  g_print ("# bench-core: N=%d, buildtype %s, history %d lines, bodies %d MiB; %u CPUs, load average %.2f %.2f %.2f\n",
           n_calls, BENCH_BUILDTYPE, history_lines, body_mib, g_get_num_processors (), load[0], load[1], load[2]);

  server = kg_test_get_demo_server ();
  http = kg_http_new ();
  profile = kg_test_demo_profile ("alice");
  kg_profile_set_timeout (profile, 30);

  g_print ("# demo server %s (own thread); warming up\n", kg_demo_server_get_url (server));
  {
    g_autoptr(KgOdooRpc) rpc = kg_odoo_rpc_new (http, profile);
    g_autoptr(GAsyncResult) result = NULL;

    kg_odoo_rpc_authenticate_async (rpc, KG_DEMO_ALICE_KEY, KG_SECRET_API_KEY, NULL,
                                    kg_test_store_result_cb, &result);
    if (kg_odoo_rpc_authenticate_finish (rpc, wait_result (&result), &error) != KG_DEMO_ALICE_UID)
      g_error ("warm-up authenticate failed: %s", error ? error->message : "wrong uid");
  }

  bench_authenticate (http, profile);
  bench_create_jsonrpc (http, profile);
  exchange = bench_token_client (http, server);
  bench_history (tmpdir, exchange);
  bench_redaction ();
  bench_classify ();
  bench_huge_transfer (http, server);
  bench_records_transfer (http);

  print_tables ();

  g_rmdir (tmpdir);
  g_array_unref (latency_rows);
  g_array_unref (figure_rows);
  return 0;
}
