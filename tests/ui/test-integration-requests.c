/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Requests page in a real window against a real Odoo 18 or 19 and the
 * real keyring: a collection opened from a file, run with Run All (a
 * create whose ID is captured, read back and counted, a public route, and
 * a model that is not there), its passes and its failure shown in the
 * list, inside the window at 900×640 and at 360 px; one request sent
 * alone shows the server's answer; the model's field names are read for
 * completion. On Odoo 19 the same runs again on a JSON-2 connection.
 *
 * Set KEYGATE_ODOO_URL, KEYGATE_ODOO_DB and KEYGATE_ODOO_ALICE_KEY, or
 * name a file of such lines in KEYGATE_ODOO_ENV_FILE; see docs/HACKING.md,
 * "Real Odoo integration tests". Skipped (exit 77) when they are not set. */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "kg-json-editor.h"
#include "kg-request-editor.h"
#include "kg-request-row.h"
#include "kg-requests-page.h"
#include "kg-response-view.h"
#include "kg-test-utils.h"
#include "kg-ui-test-utils.h"

typedef struct
{
  KgAppContext   *context;
  GtkWidget      *window;
  KgRequestsPage *page;
} Fixture;

#define env kg_test_odoo_env

static GtkWidget *
child (Fixture    *f,
       const char *name)
{
  return kg_ui_test_template_child (f->page, KG_TYPE_REQUESTS_PAGE, name);
}

static gboolean
is_idle (gpointer data)
{
  return !kg_page_get_busy (KG_PAGE (data));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *store_path = kg_test_tmp_path ("profiles.json");
  g_autoptr(GFile) store_file = g_file_new_for_path (store_path);
  g_autoptr(KgProfileStore) store = kg_profile_store_new (store_file);
  g_autoptr(KgHistory) history = kg_history_new (NULL);
  g_autoptr(KgHttp) http = kg_http_new ();

  f->context = kg_app_context_new (store, http, history, NULL);
  f->page = KG_REQUESTS_PAGE (kg_requests_page_new (f->context));
  f->window = kg_ui_test_present (GTK_WIDGET (f->page), 900, 640);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  kg_ui_test_destroy_window (f->window, f->page);
  g_assert_finalize_object (f->context);
}

/* Alice on the real server, her key in the keyring; @preset_json2: a
 * JSON-2 connection. */
static KgProfile *
real_alice (gboolean json2)
{
  KgProfile *profile = kg_profile_new ();
  g_autoptr(GError) error = NULL;

  kg_profile_set_name (profile, json2 ? "alice (JSON-2)" : "alice");
  kg_profile_set_url (profile, env ("KEYGATE_ODOO_URL"));
  kg_profile_set_database (profile, env ("KEYGATE_ODOO_DB"));
  kg_profile_set_login (profile, "alice");
  kg_profile_set_timeout (profile, 30);
  if (json2)
    {
      g_autoptr(KgTokenSpec) spec = kg_token_spec_new_for_preset (KG_TOKEN_PRESET_JSON2);

      kg_profile_set_protocol (profile, KG_PROTOCOL_TOKEN);
      kg_profile_set_token_spec (profile, spec);
    }
  kg_keyring_store_sync (profile, env ("KEYGATE_ODOO_ALICE_KEY"), NULL, &error);
  g_assert_no_error (error);
  return profile;
}

static int
server_major (void)
{
  g_autoptr(KgHttp) http = kg_http_new ();
  g_autoptr(KgProfile) profile = kg_profile_new ();
  g_autoptr(KgOdooRpc) rpc = NULL;
  GAsyncResult *pending = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) version = NULL;
  g_autoptr(GError) error = NULL;

  kg_profile_set_url (profile, env ("KEYGATE_ODOO_URL"));
  kg_profile_set_database (profile, env ("KEYGATE_ODOO_DB"));
  rpc = kg_odoo_rpc_new (http, profile);
  kg_odoo_rpc_version_async (rpc, NULL, kg_test_store_result_cb, &pending);
  result = kg_test_wait_result (&pending);
  version = kg_odoo_rpc_version_finish (rpc, result, &error);
  g_assert_no_error (error);
  return kg_odoo_version_major (version);
}

/* The KgRequestRows the list shows, in order. */
static GPtrArray *
list_rows (Fixture *f)
{
  kg_ui_test_wait_frames (f->window, 2);
  return kg_ui_test_find_all (child (f, "request_list"), KG_TYPE_REQUEST_ROW);
}

static gboolean
sidebar_shown (gpointer data)
{
  return adw_flap_get_reveal_progress (ADW_FLAP (data)) >= 1.0;
}

static gboolean
is_narrow (gpointer data)
{
  int width = gtk_widget_get_width (GTK_WIDGET (data));

  return width > 0 && width <= 400;
}

static gboolean
fields_known (gpointer data)
{
  return g_strcmp0 (kg_request_editor_get_fields_model (data), "project.project") == 0;
}

static gboolean
body_loaded (gpointer data)
{
  return !kg_response_view_get_loading (data);
}

#define COLLECTION_JSON \
  "{\n" \
  "  \"keygate_collection\": 1,\n" \
  "  \"name\": \"Real Odoo\",\n" \
  "  \"variables\": { \"prefix\": \"qa\" },\n" \
  "  \"requests\": [\n" \
  "    { \"name\": \"create a project\",\n" \
  "      \"call\": { \"model\": \"project.project\", \"method\": \"create\",\n" \
  "                \"args\": [[{ \"name\": \"{{prefix}} window {{$uuid}}\" }]] },\n" \
  "      \"capture\": { \"project_id\": \"$.result[0]\" } },\n" \
  "    { \"name\": \"read it back\",\n" \
  "      \"call\": { \"model\": \"project.project\", \"method\": \"read\",\n" \
  "                \"args\": [[\"{{project_id}}\"]], \"kwargs\": { \"fields\": [\"name\"] } },\n" \
  "      \"expect\": { \"json\": { \"$.result[0].name\":\n" \
  "                            { \"matches\": \"^qa window \" } } } },\n" \
  "    { \"name\": \"count it\",\n" \
  "      \"call\": { \"model\": \"project.project\", \"method\": \"search_count\",\n" \
  "                \"args\": [[[\"id\", \"=\", \"{{project_id}}\"]]] },\n" \
  "      \"expect\": { \"json\": { \"$.result\": { \"equals\": 1 } } } },\n" \
  "    { \"name\": \"health\",\n" \
  "      \"http\": { \"method\": \"GET\", \"path\": \"/web/health\", \"auth\": \"none\" },\n" \
  "      \"expect\": { \"status\": 200 } },\n" \
  "    { \"name\": \"a model that is not there\",\n" \
  "      \"call\": { \"model\": \"no.such.model\", \"method\": \"search_read\",\n" \
  "                \"args\": [[]] } }\n" \
  "  ]\n" \
  "}\n"

static void
check_run (Fixture    *f,
           gboolean    json2,
           const char *shot)
{
  g_autoptr(KgProfile) profile = real_alice (json2);
  g_autofree char *path = kg_test_write_tmp_file (json2 ? "real-json2.json" : "real.json",
                                                  COLLECTION_JSON);
  g_autofree char *shot_narrow = g_strconcat (shot, "-narrow", NULL);
  g_autoptr(GPtrArray) rows = NULL;
  GtkSingleSelection *selection;
  GtkTextBuffer *buffer;
  GtkTextIter start, end;
  g_autofree char *body = NULL;
  GtkWidget *reason;
  KgExchange *exchange;

  kg_page_set_profile (KG_PAGE (f->page), profile);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "page.open-recent", "s",
                                             path));
  kg_ui_test_wait_for (sidebar_shown, child (f, "flap"), "the request list to slide in");

  /* Run All: four pass against the real server, the fifth fails and the
   * row says why, inside the window. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "page.run-all", NULL));
  g_assert_true (kg_page_get_busy (KG_PAGE (f->page)));
  kg_ui_test_wait_for (is_idle, f->page, "the run");
  rows = list_rows (f);
  g_assert_cmpuint (rows->len, ==, 5);
  for (guint i = 0; i < 4; i++)
    {
      KgRequestRow *row = g_ptr_array_index (rows, i);

      if (kg_request_row_get_state (row) != KG_REQUEST_ROW_PASSED)
        g_error ("Request %u did not pass: %s", i + 1, kg_request_row_get_reason (row));
    }
  g_assert_cmpint (kg_request_row_get_state (g_ptr_array_index (rows, 4)), ==,
                   KG_REQUEST_ROW_FAILED);
  g_assert_nonnull (strstr (kg_request_row_get_reason (g_ptr_array_index (rows, 4)),
                            "no.such.model"));
  reason = kg_ui_test_template_child (g_ptr_array_index (rows, 4), KG_TYPE_REQUEST_ROW,
                                      "reason_label");
  g_assert_true (gtk_widget_get_visible (reason));
  g_assert_true (gtk_widget_get_visible (child (f, "run_summary_label")));
  kg_ui_test_assert_on_screen (f->window, reason, 10);
  kg_ui_test_assert_tree_lacks (f->window, env ("KEYGATE_ODOO_ALICE_KEY"));
  kg_ui_test_save_screenshot (f->window, shot);

  /* The read alone, with Send: the real answer in the response view. */
  selection = GTK_SINGLE_SELECTION (gtk_list_view_get_model (GTK_LIST_VIEW (child (
                                      f, "request_list"))));
  gtk_single_selection_set_selected (selection, 1);
  kg_ui_test_click (child (f, "send_button"));
  kg_ui_test_wait_for (is_idle, f->page, "the request");
  exchange = kg_response_view_get_exchange (KG_RESPONSE_VIEW (child (f, "response_view")));
  g_assert_nonnull (exchange);
  g_assert_cmpuint (kg_exchange_get_status (exchange), ==, 200);
  kg_ui_test_wait_for (body_loaded, child (f, "response_view"), "the body to be shown");
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (kg_ui_test_template_child (
                                       child (f, "response_view"), KG_TYPE_RESPONSE_VIEW,
                                       "body_view")));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  body = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_assert_nonnull (strstr (body, "qa window "));
  kg_ui_test_assert_tree_lacks (f->window, env ("KEYGATE_ODOO_ALICE_KEY"));

  /* Into args: the model's field names, for completion, come from the
   * server's fields_get. */
  {
    KgRequestEditor *editor = KG_REQUEST_EDITOR (child (f, "editor"));
    GtkWidget *args = kg_json_editor_get_view (KG_JSON_EDITOR (kg_ui_test_template_child (
                                                 editor, KG_TYPE_REQUEST_EDITOR, "args_editor")));

    gtk_widget_grab_focus (args);
    kg_ui_test_wait_for (fields_known, editor, "the fields of project.project");
  }

  /* At 360 px the list folds over the editor; the reason is still in it. */
  gtk_widget_set_visible (f->window, FALSE);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 640);
  gtk_window_present (GTK_WINDOW (f->window));
  kg_ui_test_wait_for (is_narrow, f->window, "the window to become narrow");
  adw_flap_set_reveal_flap (ADW_FLAP (child (f, "flap")), TRUE);
  kg_ui_test_wait_for (sidebar_shown, child (f, "flap"), "the request list to slide in");
  kg_ui_test_assert_on_screen (f->window, reason, 10);
  kg_ui_test_save_screenshot (f->window, shot_narrow);

  /* Nothing the window wrote holds the key. */
  g_assert_cmpuint (kg_test_assert_dir_lacks (kg_test_get_tmpdir (),
                                              env ("KEYGATE_ODOO_ALICE_KEY")), >, 0);
}

static void
test_run_jsonrpc (Fixture       *f,
                  gconstpointer  data)
{
  check_run (f, FALSE, "integration-requests-jsonrpc");
}

static void
test_run_json2 (Fixture       *f,
                gconstpointer  data)
{
  if (server_major () < 19)
    {
      g_test_skip ("JSON-2 needs Odoo 19 or later");
      return;
    }
  check_run (f, TRUE, "integration-requests-json2");
}

int
main (int   argc,
      char *argv[])
{
  int rc;

  kg_test_init (&argc, &argv);
  if ((rc = kg_test_odoo_skip_unless ("/integration/requests-page/not-configured", NULL)) >= 0)
    return rc;

  gtk_init ();
  adw_init ();

  g_test_add ("/integration/requests-page/run-jsonrpc", Fixture, NULL, fixture_setup,
              test_run_jsonrpc, fixture_teardown);
  g_test_add ("/integration/requests-page/run-json2", Fixture, NULL, fixture_setup,
              test_run_json2, fixture_teardown);

  return g_test_run ();
}
