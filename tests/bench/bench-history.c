/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-history: reading a long history the way the History page does
 * (kg_history_load_async), with figures for what a user notices:
 *
 *   first page     time from the call to the first entries in the model
 *   all entries    time until the whole file is listed
 *   longest gap    the longest the main loop went without running (a 1 ms
 *                  timer measures it): the page must stay responsive
 *   RSS            after the load, and the peak (VmHWM), against the RSS
 *                  before it: what the list costs in memory
 *   open entry     kg_history_dup_full_async of the oldest entry
 *   sync load      kg_history_load of the same file, for comparison
 *
 * The file is made of real lines (a JSON-RPC exchange with a redacted
 * request and a 1 KiB answer, as kg_history_append writes them) with
 * fresh ids, in a temporary XDG_STATE_HOME. Not a test: it prints figures.
 *
 *   meson setup build-release --buildtype=release && ninja -C build-release
 *   build-release/tests/bench/bench-history [-n 100000]
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>

#include "kg-test-utils.h"

static int n_entries = 100000;

static gint64 last_tick;
static gint64 longest_gap;
static gint64 first_page_us = -1;
static gint64 start_us;

static double
status_mib (const char *key)
{
  g_autofree char *contents = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &contents, NULL, NULL))
    return -1;
  line = strstr (contents, key);
  if (line == NULL)
    return -1;
  return g_ascii_strtod (line + strlen (key) + 1, NULL) / 1024.0;
}

static gboolean
tick_cb (gpointer user_data)
{
  gint64 now = g_get_monotonic_time ();

  if (last_tick > 0)
    longest_gap = MAX (longest_gap, now - last_tick);
  last_tick = now;
  return G_SOURCE_CONTINUE;
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added)
{
  if (first_page_us < 0 && added > 0)
    first_page_us = g_get_monotonic_time () - start_us;
}

static char *
sample_line (void)
{
  g_autoptr(KgSecrets) secrets = kg_secrets_new ();
  g_autoptr(KgExchange) exchange = kg_exchange_new ("POST", "http://127.0.0.1:8069/jsonrpc");
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GString) answer = g_string_new ("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[");
  g_autofree char *body = NULL;
  KgTiming timing = { 120, 340, -1, 80, 9000, 400, 10000 };

  for (guint i = 0; answer->len < 600; i++)
    g_string_append_printf (answer, "%s{\"id\":%u,\"name\":\"Project %u\"}", i ? "," : "", i, i);
  g_string_append (answer, "]}");

  kg_secrets_add (secrets, KG_SECRET_API_KEY, "8f14e45fceea167a5a36dedd4bea2543a1b2c3d4");
  body = kg_redact_body (secrets, "application/json",
                         "{\"jsonrpc\":\"2.0\",\"method\":\"call\",\"params\":{\"service\":"
                         "\"object\",\"method\":\"execute_kw\",\"args\":[\"demo\",2,"
                         "\"8f14e45fceea167a5a36dedd4bea2543a1b2c3d4\",\"project.project\","
                         "\"search_read\",[[]]]}}");
  kg_exchange_add_request_header (exchange, "Content-Type", "application/json");
  kg_exchange_set_request_body (exchange, "application/json", body);
  kg_exchange_set_response (exchange, 200, "OK", "application/json", answer->str, answer->len,
                            NULL);
  kg_exchange_set_timing (exchange, &timing);
  kg_exchange_set_label (exchange, "project.project search_read");
  object = kg_exchange_to_json (exchange);
  node = json_node_init_object (json_node_alloc (), object);
  return json_to_string (node, FALSE);
}

static gsize
write_history (const char *path)
{
  g_autofree char *line = sample_line ();
  const char *id_start = strstr (line, "\"id\":\"");
  g_autoptr(GError) error = NULL;
  FILE *file;
  GStatBuf st;

  g_assert_nonnull (id_start);
  file = g_fopen (path, "w");
  g_assert_nonnull (file);
  for (int i = 0; i < n_entries; i++)
    {
      const char *rest = strchr (id_start + 6, '"');

      /* The same line with a fresh id. */
      fwrite (line, 1, id_start + 6 - line, file);
      fprintf (file, "bench-%08d", i);
      fputs (rest, file);
      fputc ('\n', file);
    }
  fclose (file);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_size;
}

static void
store_result_cb (GObject      *source,
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

int
main (int   argc,
      char *argv[])
{
  GOptionEntry entries[] = {
    { "entries", 'n', 0, G_OPTION_ARG_INT, &n_entries, "History entries (100000)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) options = g_option_context_new ("- history load figures");
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(KgHistory) history = NULL;
  g_autoptr(KgHistory) sync_history = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) done = NULL;
  g_autoptr(KgExchange) oldest = NULL;
  g_autoptr(KgExchange) full = NULL;
  double rss_before, rss_after, hwm;
  gint64 all_us, open_us, sync_us;
  gsize size;
  guint timer;

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  tmp = g_dir_make_tmp ("keygate-bench-history-XXXXXX", &error);
  g_assert_no_error (error);
  dir = g_build_filename (tmp, "keygate", NULL);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  path = g_build_filename (dir, "history.jsonl", NULL);
  size = write_history (path);
  file = g_file_new_for_path (path);

  rss_before = status_mib ("VmRSS:");
  history = kg_history_new (file);
  g_signal_connect (history, "items-changed", G_CALLBACK (items_changed_cb), NULL);
  timer = g_timeout_add (1, tick_cb, NULL);
  start_us = g_get_monotonic_time ();
  last_tick = start_us;
  kg_history_load_async (history, NULL, store_result_cb, &result);
  done = wait_result (&result);
  all_us = g_get_monotonic_time () - start_us;
  g_source_remove (timer);
  g_assert_true (kg_history_load_finish (history, done, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, n_entries);
  rss_after = status_mib ("VmRSS:");
  hwm = status_mib ("VmHWM:");

  oldest = g_list_model_get_item (G_LIST_MODEL (history), n_entries - 1);
  g_clear_object (&done);
  start_us = g_get_monotonic_time ();
  kg_history_dup_full_async (history, oldest, NULL, store_result_cb, &result);
  done = wait_result (&result);
  full = kg_history_dup_full_finish (history, done, &error);
  open_us = g_get_monotonic_time () - start_us;
  g_assert_no_error (error);
  g_assert_nonnull (kg_exchange_get_response_body (full));

  sync_history = kg_history_new (file);
  start_us = g_get_monotonic_time ();
  g_assert_true (kg_history_load (sync_history, &error));
  sync_us = g_get_monotonic_time () - start_us;

  g_print ("# bench-history: %d entries, %.1f MB file (%.0f B/line), buildtype %s\n",
           n_entries, size / 1e6, (double) size / n_entries, BENCH_BUILDTYPE);
  g_print ("| figure | value |\n|---|---|\n");
  g_print ("| first page in the model (kg_history_load_async) | %.1f ms |\n",
           first_page_us / 1e3);
  g_print ("| every entry in the model | %.0f ms |\n", all_us / 1e3);
  g_print ("| longest main-loop gap meanwhile | %.1f ms |\n", longest_gap / 1e3);
  g_print ("| RSS before -> after the load | %.1f -> %.1f MiB (+%.1f MiB, %.0f B/entry) |\n",
           rss_before, rss_after, rss_after - rss_before,
           (rss_after - rss_before) * 1024 * 1024 / n_entries);
  g_print ("| peak RSS (VmHWM) | %.1f MiB |\n", hwm);
  g_print ("| open the oldest entry (kg_history_dup_full_async) | %.2f ms |\n", open_us / 1e3);
  g_print ("| kg_history_load (synchronous, same file) | %.0f ms |\n", sync_us / 1e3);

  g_unlink (path);
  g_rmdir (dir);
  g_rmdir (tmp);
  return 0;
}
