/* SPDX-License-Identifier: GPL-3.0-or-later */
/* End to end through the real window, as a user goes: add a connection
 * through the form against the demo server, store its key in the real
 * keyring, verify it, exchange a token, create a project and see the ID the
 * server created, then meet an access-denied and land in the 2FA doctor
 * with the right finding. No secret may appear in any text the window
 * shows, except masked, nor in any file. The steps share one window and
 * run in order. */
#include "config.h"

#include <adwaita.h>

#include "kg-create-page.h"
#include "kg-key-page.h"
#include "kg-request-editor.h"
#include "kg-response-view.h"
#include "kg-test-utils.h"
#include "kg-ui-test-utils.h"
#include "kg-token-page.h"
#include "kg-two-factor-panel.h"
#include "kg-window.h"

#define WRONG_KEY "0123456789abcdef0123456789abcdef01234567"

static struct
{
  KgAppContext *context;
  KgWindow     *window;
  KgProfile    *profile;   /* the connection added through the form */
  GError       *reported;  /* the last error a page reported */
} f;

/* ---- main loop -------------------------------------------------------- */

/* ---- widgets ---------------------------------------------------------- */

static GtkWidget *
page (const char *name)
{
  GtkWidget *widget = kg_window_get_page (f.window, name);

  g_assert_nonnull (widget);
  return widget;
}

static gpointer
page_child (const char *page_name,
            const char *name)
{
  GtkWidget *widget = page (page_name);

  return kg_ui_test_template_child (widget, G_OBJECT_TYPE (widget), name);
}

static void
show_page (const char *name)
{
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.show-page", "s", name);
  g_assert_cmpstr (kg_window_get_visible_page (f.window), ==, name);
}

static void
collect_texts (GtkWidget *widget,
               GString   *out,
               GtkWidget *skip)
{
  const char *tooltip = gtk_widget_get_tooltip_text (widget);

  /* The row the user pastes a secret into holds it until it is stored. */
  if (widget == skip)
    return;

  if (GTK_IS_LABEL (widget))
    g_string_append_printf (out, "%s\n%s\n", gtk_label_get_label (GTK_LABEL (widget)),
                            gtk_label_get_text (GTK_LABEL (widget)));
  if (GTK_IS_WINDOW (widget) && gtk_window_get_title (GTK_WINDOW (widget)) != NULL)
    g_string_append_printf (out, "%s\n", gtk_window_get_title (GTK_WINDOW (widget)));
  if (tooltip != NULL)
    g_string_append_printf (out, "%s\n", tooltip);

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    collect_texts (c, out, skip);
}

/* Every text shown by every toplevel (labels, tooltips, titles). */
static char *
dup_shown_text (GtkWidget *skip)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) toplevel = g_list_model_get_item (toplevels, i);

      collect_texts (toplevel, out, skip);
    }

  return g_string_free (out, FALSE);
}

static void
assert_not_shown (const char *secret)
{
  g_autofree char *text = dup_shown_text (NULL);

  g_assert_nonnull (strstr (text, "Keygate"));  /* the walk saw the window */
  if (strstr (text, secret) != NULL)
    g_error ("The window shows a secret in clear");
}

static void
error_reported_cb (KgAppContext *context,
                   KgProfile    *profile,
                   GError       *error)
{
  g_clear_error (&f.reported);
  f.reported = g_error_copy (error);
}

/* ---- steps ------------------------------------------------------------ */

static gboolean
database_list_loaded (gpointer data)
{
  GtkWidget *combo = page_child ("connection", "database_combo");

  return gtk_widget_get_visible (combo) &&
         g_list_model_get_n_items (adw_combo_row_get_model (ADW_COMBO_ROW (combo))) > 0;
}

static gboolean
store_has_one (gpointer data)
{
  return g_list_model_get_n_items (G_LIST_MODEL (kg_app_context_get_store (f.context))) == 1;
}

static void
test_add_connection (void)
{
  KgDemoServer *server = kg_test_get_demo_server ();

  /* The empty state's button opens an empty form. */
  kg_ui_test_click (kg_ui_test_template_child (f.window, KG_TYPE_WINDOW, "add_connection_button"));
  g_assert_cmpstr (kg_window_get_visible_page (f.window), ==, "connection");

  gtk_editable_set_text (page_child ("connection", "url_row"), kg_demo_server_get_url (server));
  kg_ui_test_wait_for (database_list_loaded, NULL, "the database list from the server");
  gtk_editable_set_text (page_child ("connection", "name_row"), "Flow");
  gtk_editable_set_text (page_child ("connection", "login_row"), "alice");
  kg_ui_test_click (page_child ("connection", "add_button"));
  kg_ui_test_wait_for (store_has_one, NULL, "the connection to be saved");

  f.profile = g_list_model_get_item (G_LIST_MODEL (kg_app_context_get_store (f.context)), 0);
  g_assert_cmpstr (kg_profile_get_name (f.profile), ==, "Flow");
  g_assert_cmpstr (kg_profile_get_database (f.profile), ==, KG_DEMO_DATABASE);
  g_assert_cmpstr (kg_profile_get_login (f.profile), ==, "alice");
  g_assert_true (kg_window_get_profile (f.window) == f.profile);
}

static gboolean
has_key (gpointer data)
{
  return kg_app_context_get_has_key (f.context, f.profile) == KG_TRISTATE_TRUE;
}

static gboolean
row_is_empty (gpointer data)
{
  return g_str_equal (gtk_editable_get_text (GTK_EDITABLE (data)), "");
}

static gboolean
verify_done (gpointer data)
{
  return gtk_widget_get_sensitive (page_child ("key", "verify_button"));
}

static void
store_key_through_page (const char *key)
{
  GtkEditable *row = page_child ("key", "key_row");
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;

  show_page ("key");
  kg_app_context_set_has_key (f.context, f.profile, FALSE);
  gtk_editable_set_text (row, key);
  kg_ui_test_click (page_child ("key", "store_button"));
  kg_ui_test_wait_for (has_key, NULL, "the key to be stored");
  /* The store finishes (older copies removed) after the key is in. */
  kg_ui_test_wait_for (row_is_empty, row, "the key to leave the row");

  /* In the real keyring, and gone from the row. */
  stored = kg_keyring_lookup_sync (f.profile, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored, ==, key);
  g_assert_cmpstr (gtk_editable_get_text (row), ==, "");
  /* Store and Verify: the server is asked at once. */
  kg_ui_test_wait_for (verify_done, NULL, "the verification after storing");
}

static void
test_store_and_verify_key (void)
{
  const char *acts_as;

  /* Store and Verify: who the key acts as, with no second click. */
  g_clear_error (&f.reported);
  store_key_through_page (KG_DEMO_ALICE_KEY);
  assert_not_shown (KG_DEMO_ALICE_KEY);
  g_assert_no_error (f.reported);
  acts_as = adw_action_row_get_subtitle (page_child ("key", "acts_as_row"));
  g_assert_nonnull (strstr (acts_as, "(alice)"));
  assert_not_shown (KG_DEMO_ALICE_KEY);
}

static gboolean
token_page_idle (gpointer data)
{
  return !kg_page_get_busy (KG_PAGE (page ("token")));
}

static void
test_token_exchange (void)
{
  AdwComboRow *protocol = page_child ("connection", "protocol_combo");
  KgTokenClient *client;
  const char *token;
  const char *masked;
  g_autofree char *expected_mask = NULL;
  g_autofree char *text = NULL;

  /* The connection becomes a token profile (the tutorial module's preset)
   * through its form; the change is saved without a Save button. */
  show_page ("connection");
  adw_combo_row_set_selected (protocol, 1);
  g_assert_cmpint (kg_profile_get_protocol (f.profile), ==, KG_PROTOCOL_TOKEN);
  g_assert_nonnull (kg_profile_get_token_spec (f.profile));

  show_page ("token");
  g_assert_cmpstr (adw_action_row_get_subtitle (page_child ("token", "token_row")), ==, "No token");
  kg_ui_test_click (page_child ("token", "exchange_button"));
  g_assert_true (kg_page_get_busy (KG_PAGE (page ("token"))));
  kg_ui_test_wait_for (token_page_idle, NULL, "the token exchange");

  /* The key was traded for a token: shown masked only. */
  client = kg_app_context_get_token_client (f.context, f.profile);
  g_assert_true (kg_token_client_has_token (client));
  token = kg_token_client_peek_token (client);
  g_assert_cmpuint (strlen (token), >, 12);
  masked = adw_action_row_get_subtitle (page_child ("token", "token_row"));
  expected_mask = kg_redact_mask (token);
  g_assert_cmpstr (masked, ==, expected_mask);
  text = dup_shown_text (NULL);
  g_assert_nonnull (strstr (text, expected_mask));
  assert_not_shown (token);
  assert_not_shown (KG_DEMO_ALICE_KEY);
}

static gboolean
create_page_idle (gpointer data)
{
  return !kg_page_get_busy (KG_PAGE (page ("create")));
}

static void
test_create_project (void)
{
  GtkWidget *view = page_child ("create", "response_view");
  g_autofree char *name = g_strdup_printf ("Flow project %" G_GINT64_FORMAT, g_get_real_time ());
  g_autoptr(KgProfile) rpc_profile = kg_test_demo_profile ("alice");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) read_done = NULL;
  g_autoptr(JsonObject) project = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id_text = NULL;
  gint64 id;

  show_page ("create");
  gtk_editable_set_text (page_child ("create", "name_row"), name);
  gtk_editable_set_text (page_child ("create", "description_row"), "Made by the end-to-end test");
  /* "Send via" the token route (the page picks its default when the
   * connection is selected, before this one became a token profile). */
  adw_combo_row_set_selected (page_child ("create", "via_row"), 0);
  kg_ui_test_click (page_child ("create", "send_button"));
  g_assert_true (kg_page_get_busy (KG_PAGE (page ("create"))));
  kg_ui_test_wait_for (create_page_idle, NULL, "the create request");

  /* The ID shown prominently is the one the server made: the server has a
   * project with that ID and the name typed. */
  id = kg_response_view_get_record_id (KG_RESPONSE_VIEW (view));
  g_assert_cmpint (id, >, 0);
  id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  g_assert_cmpstr (gtk_label_get_label (kg_ui_test_template_child (view, KG_TYPE_RESPONSE_VIEW,
                                                                   "record_id_label")),
                   ==, id_text);
  g_assert_true (gtk_widget_is_visible (kg_ui_test_template_child (view, KG_TYPE_RESPONSE_VIEW,
                                                                   "record_id_label")));

  kg_record_read_project_async (kg_app_context_get_http (f.context), rpc_profile,
                                KG_DEMO_ALICE_KEY, id, NULL, kg_test_store_result_cb, &result);
  read_done = kg_test_wait_result (&result);   /* owned */
  project = kg_record_read_project_finish (read_done, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (project, "name"), ==, name);

  assert_not_shown (KG_DEMO_ALICE_KEY);
  assert_not_shown (kg_token_client_peek_token (kg_app_context_get_token_client (f.context,
                                                                                 f.profile)));
}

static gboolean
history_lists_entries (gpointer data)
{
  GtkListView *list = page_child ("history", "list_view");

  return g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (list))) > 0;
}

static gboolean
history_entry_open (gpointer data)
{
  return kg_response_view_get_exchange (page_child ("history", "response_view")) != NULL;
}

static gboolean
requests_page_answered (gpointer data)
{
  KgResponseView *view = page_child ("requests", "response_view");

  return !kg_page_get_busy (KG_PAGE (page ("requests"))) &&
         !kg_response_view_get_loading (view) && kg_response_view_get_exchange (view) != NULL;
}

/* History's Open in Requests: the project creation just made, as a
 * request in the editor (the route and its token auth), not sent, ready for
 * Save to Collection (tested in test-requests-page). */
static void
test_open_in_requests (void)
{
  GtkListView *list = page_child ("history", "list_view");
  GtkWidget *editor = page_child ("requests", "editor");
  GListModel *model;
  guint position = G_MAXUINT;

  show_page ("history");
  kg_ui_test_wait_for (history_lists_entries, NULL, "the history to list entries");
  model = G_LIST_MODEL (gtk_list_view_get_model (list));
  for (guint i = 0; i < g_list_model_get_n_items (model) && position == G_MAXUINT; i++)
    {
      g_autoptr(KgExchange) entry = g_list_model_get_item (model, i);

      if (strstr (kg_exchange_get_url (entry), "/api/project/create") != NULL)
        position = i;
    }
  g_assert_cmpuint (position, !=, G_MAXUINT);
  g_signal_emit_by_name (list, "activate", position);
  kg_ui_test_wait_for (history_entry_open, NULL, "the entry to open");

  kg_ui_test_click (page_child ("history", "open_in_requests_button"));
  g_assert_cmpstr (kg_window_get_visible_page (f.window), ==, "requests");
  g_assert_cmpstr (gtk_editable_get_text (kg_ui_test_template_child (editor, KG_TYPE_REQUEST_EDITOR,
                                                                     "path_entry")),
                   ==, "/api/project/create");
  g_assert_null (kg_response_view_get_exchange (page_child ("requests", "response_view")));
  assert_not_shown (KG_DEMO_ALICE_KEY);
}

/* History's Send Again: the project creation just made, sent again from
 * the Requests page with the connection's token (the entry holds only a
 * placeholder), makes another project. */
static void
test_send_again (void)
{
  GtkListView *list = page_child ("history", "list_view");
  KgResponseView *answer;
  GListModel *model;
  guint position = G_MAXUINT;
  gint64 id;

  show_page ("history");
  kg_ui_test_wait_for (history_lists_entries, NULL, "the history to list entries");
  model = G_LIST_MODEL (gtk_list_view_get_model (list));
  for (guint i = 0; i < g_list_model_get_n_items (model) && position == G_MAXUINT; i++)
    {
      g_autoptr(KgExchange) entry = g_list_model_get_item (model, i);

      if (strstr (kg_exchange_get_url (entry), "/api/project/create") != NULL &&
          g_strcmp0 (kg_exchange_get_outcome (entry), "ok") == 0)
        position = i;
    }
  g_assert_cmpuint (position, !=, G_MAXUINT);
  g_signal_emit_by_name (list, "activate", position);
  kg_ui_test_wait_for (history_entry_open, NULL, "the entry to open");

  kg_ui_test_click (page_child ("history", "send_again_button"));
  g_assert_cmpstr (kg_window_get_visible_page (f.window), ==, "requests");
  kg_ui_test_wait_for (requests_page_answered, NULL, "the request sent again");
  answer = page_child ("requests", "response_view");
  g_assert_cmpuint (kg_exchange_get_status (kg_response_view_get_exchange (answer)), ==, 200);
  {
    g_autoptr(JsonNode) body = kg_json_parse (
      kg_exchange_get_response_body (kg_response_view_get_exchange (answer)), -1, NULL);

    g_assert_nonnull (body);
    g_assert_true (kg_json_get_record_id (
      json_object_get_member (json_node_get_object (body), "project_id"), &id));
    g_assert_cmpint (id, >, 0);
  }
  assert_not_shown (KG_DEMO_ALICE_KEY);
  assert_not_shown (kg_token_client_peek_token (kg_app_context_get_token_client (f.context,
                                                                                 f.profile)));
}

static gboolean
panel_done (gpointer data)
{
  KgTwoFactorPanel *panel = KG_TWO_FACTOR_PANEL (page ("two-factor"));

  return !kg_page_get_busy (KG_PAGE (panel)) &&
         g_list_model_get_n_items (kg_two_factor_panel_get_findings (panel)) > 0;
}

static gboolean
error_was_reported (gpointer data)
{
  return f.reported != NULL;
}

static void
test_access_denied_opens_2fa (void)
{
  KgTwoFactorPanel *panel = KG_TWO_FACTOR_PANEL (page ("two-factor"));
  GListModel *findings;
  g_autoptr(KgFinding) api_key = NULL;
  guint n;

  /* A key Odoo does not know: Store and Verify has it refused. */
  g_clear_error (&f.reported);
  store_key_through_page (WRONG_KEY);
  kg_ui_test_wait_for (error_was_reported, NULL, "the access-denied report");
  g_assert_error (f.reported, KG_ERROR, KG_ERROR_ACCESS_DENIED);

  /* Said where the key was entered, with the way to the 2FA doctor; the
   * page does not switch by itself. */
  g_assert_cmpstr (kg_window_get_visible_page (f.window), ==, "key");
  g_assert_true (gtk_widget_get_visible (page_child ("key", "verify_error_label")));
  kg_ui_test_click (page_child ("key", "doctor_button"));
  g_assert_cmpstr (kg_window_get_visible_page (f.window), ==, "two-factor");
  kg_ui_test_wait_for (kg_ui_test_is_mapped, panel, "the 2FA doctor to be shown");
  g_assert_true (kg_page_get_profile (KG_PAGE (panel)) == f.profile);
  kg_ui_test_wait_for (panel_done, NULL, "the diagnosis");

  findings = kg_two_factor_panel_get_findings (panel);
  n = g_list_model_get_n_items (findings);
  for (guint i = 0; i < n && api_key == NULL; i++)
    {
      g_autoptr(KgFinding) finding = g_list_model_get_item (findings, i);

      if (g_strcmp0 (kg_finding_get_check (finding), "api-key") == 0)
        api_key = g_steal_pointer (&finding);
    }
  g_assert_nonnull (api_key);
  g_assert_cmpint (kg_finding_get_status (api_key), ==, KG_FINDING_PROBLEM);
  g_assert_cmpstr (kg_finding_get_error_kind (api_key), ==, "access-denied");
  g_assert_nonnull (strstr (kg_finding_get_explanation (api_key), "two-factor authentication"));

  /* The finding is on screen as a row of the panel. */
  {
    GtkListBox *list = kg_ui_test_template_child (panel, KG_TYPE_TWO_FACTOR_PANEL, "findings_list");
    gboolean shown = FALSE;

    for (int i = 0; !shown; i++)
      {
        GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, i);

        if (row == NULL)
          break;
        shown = ADW_IS_PREFERENCES_ROW (row) &&
                g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                           kg_finding_get_title (api_key)) == 0 &&
                gtk_widget_get_mapped (GTK_WIDGET (row));
      }
    g_assert_true (shown);
  }

  assert_not_shown (WRONG_KEY);
}

static void
test_no_secret_anywhere (void)
{
  g_autofree char *masked = kg_redact_mask (KG_DEMO_ALICE_KEY);

  /* Every page once more, each shown so lazily filled widgets count. */
  static const char *pages[] = { "connection", "key", "token", "create", "requests", "history",
                                 "two-factor" };

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      gtk_widget_activate_action (GTK_WIDGET (f.window), "win.show-page", "s", pages[i]);
      assert_not_shown (KG_DEMO_ALICE_KEY);
      assert_not_shown (WRONG_KEY);
    }

  /* The masked form is no secret (and is what pages may show). */
  g_assert_null (strstr (masked, KG_DEMO_ALICE_KEY));

  /* Nothing written to disk holds a key: profiles, history, settings. */
  g_assert_cmpuint (kg_test_assert_dir_lacks (kg_test_get_tmpdir (), KG_DEMO_ALICE_KEY), >, 0);
  kg_test_assert_dir_lacks (kg_test_get_tmpdir (), WRONG_KEY);
}

/* Closing the window releases it, every page and, once the test drops its
 * own reference, the context with the store, the HTTP client and the token
 * clients. */
static void
test_close_releases_everything (void)
{
  static const char *names[] = { "connection", "key", "token", "create", "requests", "history",
                                 "two-factor" };
  gpointer weak_window = f.window;
  gpointer weak_pages[G_N_ELEMENTS (names)];
  gpointer weak_context = f.context;
  guint n_alive = 0;

  kg_keyring_clear_sync (f.profile, NULL, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      weak_pages[i] = page (names[i]);
      g_object_add_weak_pointer (weak_pages[i], &weak_pages[i]);
    }
  g_object_add_weak_pointer (G_OBJECT (f.window), &weak_window);

  gtk_window_close (GTK_WINDOW (f.window));
  kg_ui_test_wait_for (kg_ui_test_is_null, &weak_window, "the window to be finalized");
  f.window = NULL;

  g_signal_handlers_disconnect_by_func (f.context, error_reported_cb, NULL);
  g_object_add_weak_pointer (G_OBJECT (f.context), &weak_context);
  g_clear_object (&f.context);
  kg_ui_test_wait_until (kg_ui_test_is_null, &weak_context, 5);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if (weak_pages[i] != NULL)
        {
          g_test_message ("The %s page outlived its window", names[i]);
          g_object_remove_weak_pointer (weak_pages[i], &weak_pages[i]);
          n_alive++;
        }
    }
  if (weak_context != NULL)
    g_object_remove_weak_pointer (weak_context, &weak_context);

  /* Closing the window releases every page and the shared context: a page
   * that outlives it keeps the context, its token clients and the history
   * alive. */
  g_assert_cmpuint (n_alive, ==, 0);
  g_assert_null (weak_context);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(KgProfileStore) store = NULL;
  g_autoptr(KgHistory) history = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  int ret;

  kg_test_init (&argc, &argv);
  gtk_init ();
  adw_init ();

  store = kg_profile_store_new (NULL);
  kg_profile_store_load (store, &error);
  g_assert_no_error (error);
  history = kg_history_new (NULL);
  settings = g_settings_new (BASE_APP_ID);
  f.context = kg_app_context_new (store, kg_http_get_default (), history, settings);
  g_signal_connect (f.context, "error-reported", G_CALLBACK (error_reported_cb), NULL);

  f.window = kg_window_new_with_context (NULL, f.context);
  gtk_window_set_default_size (GTK_WINDOW (f.window), 1000, 760);
  gtk_window_present (GTK_WINDOW (f.window));
  kg_ui_test_wait_for (kg_ui_test_is_mapped, f.window, "the window to be mapped");

  g_test_add_func ("/ui/flow/add-connection", test_add_connection);
  g_test_add_func ("/ui/flow/store-and-verify-key", test_store_and_verify_key);
  g_test_add_func ("/ui/flow/token-exchange", test_token_exchange);
  g_test_add_func ("/ui/flow/create-project", test_create_project);
  g_test_add_func ("/ui/flow/open-in-requests", test_open_in_requests);
  g_test_add_func ("/ui/flow/send-again", test_send_again);
  g_test_add_func ("/ui/flow/access-denied-opens-2fa", test_access_denied_opens_2fa);
  g_test_add_func ("/ui/flow/no-secret-anywhere", test_no_secret_anywhere);
  g_test_add_func ("/ui/flow/close-releases-everything", test_close_releases_everything);
  ret = g_test_run ();

  g_clear_error (&f.reported);
  g_clear_object (&f.profile);
  if (f.context != NULL)
    g_signal_handlers_disconnect_by_func (f.context, error_reported_cb, NULL);
  g_clear_object (&f.context);

  return ret;
}
