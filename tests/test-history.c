/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "kg-test-utils.h"

#define KEY "8f14e45fceea167a5a36dedd4bea2543a1b2c3d4"

static KgExchange *
make_exchange (guint n)
{
  g_autoptr(KgSecrets) secrets = kg_secrets_new ();
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:8069/jsonrpc?n=%u", n);
  g_autofree char *header = NULL;
  g_autofree char *body = NULL;
  KgExchange *exchange = kg_exchange_new ("POST", url);
  KgTiming timing = { -1, -1, -1, 10, 20, 30, 60 + n };

  kg_secrets_add (secrets, KG_SECRET_API_KEY, KEY);
  header = kg_redact_header_value (secrets, "X-API-Key", KEY);
  body = kg_redact_body (secrets, "application/json",
                         "{\"params\":{\"args\":[\"demo\",2,\"" KEY "\"]}}");
  kg_exchange_add_request_header (exchange, "X-API-Key", header);
  kg_exchange_set_request_body (exchange, "application/json", body);
  kg_exchange_set_response (exchange, 200, "OK", "application/json",
                            "{\"jsonrpc\":\"2.0\",\"result\":true}", 31, NULL);
  kg_exchange_set_timing (exchange, &timing);
  kg_exchange_set_label (exchange, "common.version");
  return exchange;
}

static char *
default_path (void)
{
  return g_build_filename (kg_test_get_tmpdir (), "state", "keygate", "history.jsonl", NULL);
}

static guint
count_lines (const char *path)
{
  g_autofree char *contents = NULL;
  guint n = 0;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return 0;
  for (const char *p = contents; *p != '\0'; p++)
    n += *p == '\n';
  return n;
}

static void
remove_history (void)
{
  g_autofree char *path = default_path ();
  g_autofree char *old = g_strconcat (path, ".1", NULL);

  g_unlink (path);
  g_unlink (old);
}

static void
test_append (void)
{
  g_autoptr(KgHistory) history = kg_history_new (NULL);
  g_autofree char *path = default_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *actual = g_file_get_path (kg_history_get_file (history));
  g_autoptr(GError) error = NULL;
  GListModel *model = kg_history_get_model (history);
  GStatBuf st;

  remove_history ();
  g_assert_cmpstr (actual, ==, path);
  g_assert_true (g_list_model_get_item_type (model) == KG_TYPE_EXCHANGE);

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(KgExchange) exchange = make_exchange (i);

      g_assert_true (kg_history_append (history, exchange, &error));
      g_assert_no_error (error);
    }

  g_assert_cmpuint (count_lines (path), ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  {
    g_autoptr(KgExchange) newest = g_list_model_get_item (model, 0);

    g_assert_cmpstr (kg_exchange_get_url (newest), ==, "http://127.0.0.1:8069/jsonrpc?n=2");
  }

  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  kg_test_assert_dir_lacks (kg_test_get_tmpdir (), KEY);
}

static void
test_rotate_and_reload (void)
{
  g_autoptr(KgHistory) history = kg_history_new (NULL);
  g_autoptr(KgHistory) reloaded = kg_history_new (NULL);
  g_autofree char *path = default_path ();
  g_autofree char *old = g_strconcat (path, ".1", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  GListModel *model;
  GStatBuf st;
  gsize line_size;
  guint total;

  remove_history ();

  /* Room for about three lines per file. */
  {
    g_autoptr(KgExchange) probe = make_exchange (0);
    g_autoptr(JsonObject) object = kg_exchange_to_json (probe);
    g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
    g_autofree char *line = json_to_string (node, FALSE);

    line_size = strlen (line) + 1;
  }
  kg_history_set_max_bytes (history, line_size * 3 + line_size / 2);

  for (guint i = 0; i < 8; i++)
    {
      g_autoptr(KgExchange) exchange = make_exchange (i);

      g_assert_true (kg_history_append (history, exchange, &error));
      g_assert_no_error (error);
      g_ptr_array_add (ids, g_strdup (kg_exchange_get_id (exchange)));
    }

  g_assert_true (g_file_test (old, G_FILE_TEST_EXISTS));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_size, <=, line_size * 3 + line_size / 2);
  g_test_message ("current %u lines, rotated %u lines", count_lines (path), count_lines (old));
  g_assert_cmpuint (count_lines (path), ==, 2);
  g_assert_cmpuint (count_lines (old), ==, 3);

  /* Reload: what is still on disk (rotated file, then current), newest first. */
  g_assert_true (kg_history_load (reloaded, &error));
  g_assert_no_error (error);
  model = kg_history_get_model (reloaded);
  total = g_list_model_get_n_items (model);
  g_assert_cmpuint (total, ==, 5);
  for (guint i = 0; i < total; i++)
    {
      g_autoptr(KgExchange) exchange = g_list_model_get_item (model, i);

      g_assert_cmpstr (kg_exchange_get_id (exchange), ==, g_ptr_array_index (ids, 7 - i));
      g_assert_cmpint (kg_exchange_get_timing (exchange)->total_us, ==, 60 + 7 - i);
      g_assert_cmpuint (kg_exchange_get_status (exchange), ==, 200);
      g_assert_cmpstr (kg_exchange_get_label (exchange), ==, "common.version");
    }

  kg_test_assert_dir_lacks (kg_test_get_tmpdir (), KEY);
}

static void
test_malformed_lines (void)
{
  g_autoptr(KgHistory) history = kg_history_new (NULL);
  g_autoptr(KgExchange) good = make_exchange (1);
  g_autoptr(JsonObject) object = kg_exchange_to_json (good);
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
  g_autofree char *line = json_to_string (node, FALSE);
  g_autofree char *path = default_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *truncated = g_strndup (line, strlen (line) / 2);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *model;

  remove_history ();
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  contents = g_strjoin ("\n", line, "not json at all", "{}", "[1,2,3]", "", truncated,
                        "{\"id\":\"x\",\"method\":\"GET\",\"url\":\"http://h/\",\"timing\":\"bad\"}",
                        "\xff\xfe garbage", line, NULL);
  g_assert_true (g_file_set_contents (path, contents, -1, &error));
  g_assert_no_error (error);

  g_assert_true (kg_history_load (history, &error));
  g_assert_no_error (error);
  model = kg_history_get_model (history);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  {
    g_autoptr(KgExchange) middle = g_list_model_get_item (model, 1);

    g_assert_cmpstr (kg_exchange_get_url (middle), ==, "http://h/");
    g_assert_cmpint (kg_exchange_get_timing (middle)->total_us, ==, -1);
  }
  /* not json, {}, [1,2,3], the cut line, the bad bytes */
  g_assert_cmpuint (kg_history_get_skipped_lines (history), ==, 5);
}

/* A crash left a block of zeros in the middle of the file (the file system
 * had grown it before the data was written): the entries after it, and one
 * appended later, are all read; the damaged part counts as skipped. */
static void
test_nul_block (void)
{
  g_autoptr(KgHistory) history = kg_history_new (NULL);
  g_autoptr(KgHistory) again = kg_history_new (NULL);
  g_autoptr(KgExchange) first = make_exchange (1);
  g_autoptr(KgExchange) second = make_exchange (2);
  g_autoptr(KgExchange) later = make_exchange (3);
  g_autoptr(JsonObject) o1 = kg_exchange_to_json (first);
  g_autoptr(JsonObject) o2 = kg_exchange_to_json (second);
  g_autoptr(JsonNode) n1 = json_node_init_object (json_node_alloc (), o1);
  g_autoptr(JsonNode) n2 = json_node_init_object (json_node_alloc (), o2);
  g_autofree char *l1 = json_to_string (n1, FALSE);
  g_autofree char *l2 = json_to_string (n2, FALSE);
  g_autofree char *path = default_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  guint8 zeros[4096] = { 0 };
  GListModel *model;

  remove_history ();
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_byte_array_append (bytes, (guint8 *) l1, strlen (l1));
  g_byte_array_append (bytes, (guint8 *) "\n", 1);
  /* Zeros where a line was being written, then the next entry right after. */
  g_byte_array_append (bytes, zeros, sizeof zeros);
  g_byte_array_append (bytes, (guint8 *) "\n", 1);
  g_byte_array_append (bytes, (guint8 *) l2, strlen (l2));
  g_byte_array_append (bytes, (guint8 *) "\n", 1);
  g_assert_true (g_file_set_contents (path, (char *) bytes->data, bytes->len, &error));
  g_assert_no_error (error);

  g_assert_true (kg_history_load (history, &error));
  g_assert_no_error (error);
  model = kg_history_get_model (history);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  g_assert_cmpuint (kg_history_get_skipped_lines (history), ==, 1);

  g_assert_true (kg_history_append (history, later, &error));
  g_assert_no_error (error);
  g_assert_true (kg_history_load (again, &error));
  g_assert_no_error (error);
  model = kg_history_get_model (again);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  {
    g_autoptr(KgExchange) newest = g_list_model_get_item (model, 0);
    g_autoptr(KgExchange) oldest = g_list_model_get_item (model, 2);

    g_assert_cmpstr (kg_exchange_get_url (newest), ==, kg_exchange_get_url (later));
    g_assert_cmpstr (kg_exchange_get_url (oldest), ==, kg_exchange_get_url (first));
  }
}

static void
test_load_missing_and_clear (void)
{
  g_autoptr(KgHistory) history = kg_history_new (NULL);
  g_autoptr(KgExchange) exchange = make_exchange (1);
  g_autofree char *path = default_path ();
  g_autoptr(GError) error = NULL;

  remove_history ();
  g_assert_true (kg_history_load (history, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (kg_history_get_model (history)), ==, 0);

  g_assert_true (kg_history_append (history, exchange, &error));
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_true (kg_history_clear (history, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (g_list_model_get_n_items (kg_history_get_model (history)), ==, 0);
}

static void
test_unwritable (void)
{
  g_autofree char *blocker = g_build_filename (kg_test_get_tmpdir (), "blocker", NULL);
  g_autofree char *inside = g_build_filename (blocker, "history.jsonl", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (inside);
  g_autoptr(KgHistory) history = kg_history_new (file);
  g_autoptr(KgExchange) exchange = make_exchange (1);
  g_autoptr(GError) error = NULL;

  /* A plain file where the folder should be. */
  g_assert_true (g_file_set_contents (blocker, "", -1, NULL));
  g_assert_false (kg_history_append (history, exchange, &error));
  g_assert_error (error, KG_ERROR, KG_ERROR_STORE);
  g_assert_nonnull (strstr (error->message, blocker));
  g_assert_cmpuint (g_list_model_get_n_items (kg_history_get_model (history)), ==, 0);
}

static void
count_changes_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  guint      *changes)
{
  (*changes)++;
}

/* Issue 12: a long history is read in a worker thread, newest first, in
 * pages; the items hold what a list shows (no headers, no bodies) and the
 * whole entry is read back from its line when asked for; an entry appended
 * while the reading runs is listed once, on top. */
static void
test_load_async_in_pages (void)
{
  g_autoptr(KgHistory) history = kg_history_new (NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) done = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KgExchange) newest = NULL;
  g_autoptr(KgExchange) oldest = NULL;
  g_autoptr(KgExchange) full = NULL;
  g_autoptr(KgExchange) late = make_exchange (99999);
  GListModel *model = kg_history_get_model (history);
  /* More than the first page (200 entries). */
  const guint n = 700;
  guint changes = 0;

  remove_history ();
  /* Written as kg_history_append writes them, in one go (appending one by
   * one is too slow under ASan's slow unwinder). */
  {
    g_autofree char *path = default_path ();
    g_autofree char *dir = g_path_get_dirname (path);
    g_autoptr(GString) contents = g_string_new (NULL);

    for (guint i = 0; i < n; i++)
      {
        g_autoptr(KgExchange) exchange = make_exchange (i);
        g_autoptr(JsonObject) object = kg_exchange_to_json (exchange);
        g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
        g_autofree char *line = json_to_string (node, FALSE);

        g_string_append (contents, line);
        g_string_append_c (contents, '\n');
      }
    g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
    g_assert_true (g_file_set_contents (path, contents->str, contents->len, &error));
    g_assert_no_error (error);
  }

  /* Nothing is read before it is asked for. */
  g_assert_false (kg_history_is_loaded (history));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);

  g_signal_connect (model, "items-changed", G_CALLBACK (count_changes_cb), &changes);
  kg_history_load_async (history, NULL, kg_test_store_result_cb, &result);
  /* Appended while the worker reads: on top, and not read again. */
  g_assert_true (kg_history_append (history, late, &error));
  g_assert_no_error (error);
  done = kg_test_wait_result (&result);
  g_assert_true (kg_history_load_finish (history, done, &error));
  g_assert_no_error (error);
  g_assert_true (kg_history_is_loaded (history));
  /* In pages: the first one small, so it is shown soon, then the rest
   * (and the entry appended meanwhile). */
  g_assert_cmpuint (changes, >=, 3);
  g_signal_handlers_disconnect_by_data (model, &changes);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n + 1);

  newest = g_list_model_get_item (model, 0);
  g_assert_true (newest == late);
  g_clear_object (&newest);
  newest = g_list_model_get_item (model, 1);
  g_assert_cmpstr (kg_exchange_get_url (newest), ==,
                   "http://127.0.0.1:8069/jsonrpc?n=699");
  g_assert_cmpuint (kg_exchange_get_status (newest), ==, 200);
  g_assert_cmpstr (kg_exchange_get_label (newest), ==, "common.version");
  g_assert_cmpstr (kg_exchange_get_outcome (newest), ==, "ok");
  g_assert_cmpint (kg_exchange_get_timing (newest)->total_us, ==, 60 + 699);
  oldest = g_list_model_get_item (model, n);
  g_assert_cmpstr (kg_exchange_get_url (oldest), ==, "http://127.0.0.1:8069/jsonrpc?n=0");

  /* A summary: no body, no headers, until the whole entry is read. */
  g_assert_true (kg_history_is_summary (oldest));
  g_assert_null (kg_exchange_get_response_body (oldest));
  g_clear_pointer (&done, g_object_unref);
  kg_history_dup_full_async (history, oldest, NULL, kg_test_store_result_cb, &result);
  done = kg_test_wait_result (&result);
  full = kg_history_dup_full_finish (history, done, &error);
  g_assert_no_error (error);
  g_assert_false (kg_history_is_summary (full));
  g_assert_cmpstr (kg_exchange_get_id (full), ==, kg_exchange_get_id (oldest));
  g_assert_cmpstr (kg_exchange_get_response_body (full), ==,
                   "{\"jsonrpc\":\"2.0\",\"result\":true}");
  g_assert_cmpint (kg_exchange_get_timing (full)->wait_us, ==, 20);

  /* Cleared: the line is gone, and that is said. */
  g_assert_true (kg_history_clear (history, &error));
  g_clear_pointer (&done, g_object_unref);
  g_clear_object (&full);
  kg_history_dup_full_async (history, oldest, NULL, kg_test_store_result_cb, &result);
  done = kg_test_wait_result (&result);
  full = kg_history_dup_full_finish (history, done, &error);
  g_assert_null (full);
  g_assert_error (error, KG_ERROR, KG_ERROR_STORE);

  kg_test_assert_dir_lacks (kg_test_get_tmpdir (), KEY);
}

int
main (int   argc,
      char *argv[])
{
  kg_test_init (&argc, &argv);

  g_test_add_func ("/core/history/append", test_append);
  g_test_add_func ("/core/history/rotate-and-reload", test_rotate_and_reload);
  g_test_add_func ("/core/history/malformed-lines", test_malformed_lines);
  g_test_add_func ("/core/history/nul-block", test_nul_block);
  g_test_add_func ("/core/history/load-missing-and-clear", test_load_missing_and_clear);
  g_test_add_func ("/core/history/unwritable", test_unwritable);
  g_test_add_func ("/core/history/load-async-in-pages", test_load_async_in_pages);

  return g_test_run ();
}
