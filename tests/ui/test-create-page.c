/* SPDX-License-Identifier: GPL-3.0-or-later */
/* KgCreatePage in a real window against the demo server and the real
 * keyring: typing a name and pressing Send creates a project whose ID is
 * shown (read back over JSON-RPC), via JSON-RPC and via the token route;
 * bob gets the access error explained; an empty name or invalid extra
 * fields keep Send insensitive; Cancel stops a slow request. */
#include "config.h"

#include <adwaita.h>
#include <gtksourceview/gtksource.h>
#include <string.h>

#include "kg-create-page.h"
#include "kg-response-view.h"
#include "kg-test-utils.h"
#include "kg-ui-test-utils.h"

static gboolean
is_idle (gpointer data)
{
  return !kg_page_get_busy (KG_PAGE (data));
}

static GtkWidget *
child (KgCreatePage *page,
       const char   *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (page), KG_TYPE_CREATE_PAGE, name);

  g_assert_nonnull (object);
  return GTK_WIDGET (object);
}

static GtkWidget *
view_child (KgCreatePage *page,
            const char   *name)
{
  GObject *object = gtk_widget_get_template_child (child (page, "response_view"),
                                                   KG_TYPE_RESPONSE_VIEW, name);

  g_assert_nonnull (object);
  return GTK_WIDGET (object);
}

typedef struct
{
  KgAppContext *context;
  GtkWidget    *window;
  KgCreatePage *page;
  guint         errors_reported;
} Fixture;

static void
error_reported_cb (KgAppContext *context,
                   KgProfile    *profile,
                   GError       *error,
                   Fixture      *f)
{
  f->errors_reported++;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *store_path = g_build_filename (kg_test_get_tmpdir (), "profiles.json", NULL);
  g_autoptr(GFile) store_file = g_file_new_for_path (store_path);
  g_autoptr(KgProfileStore) store = kg_profile_store_new (store_file);
  g_autoptr(KgHistory) history = kg_history_new (NULL);
  g_autoptr(KgHttp) http = kg_http_new ();

  f->context = kg_app_context_new (store, http, history, NULL);
  g_signal_connect (f->context, "error-reported", G_CALLBACK (error_reported_cb), f);

  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 900, 900);
  f->page = KG_CREATE_PAGE (kg_create_page_new (f->context));
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->page));
  gtk_window_present (GTK_WINDOW (f->window));
  kg_ui_test_wait_for (kg_ui_test_is_mapped, f->window, "the window to be mapped");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gpointer weak = f->page;

  g_object_add_weak_pointer (G_OBJECT (f->page), &weak);
  gtk_window_destroy (GTK_WINDOW (f->window));
  kg_ui_test_wait_for (kg_ui_test_is_null, &weak, "the page to be finalized");
  g_signal_handlers_disconnect_by_data (f->context, f);
  g_assert_finalize_object (f->context);
}

static KgProfile *
profile_with_key (const char *login,
                  const char *key)
{
  KgProfile *profile = kg_test_demo_profile (login);
  g_autoptr(GError) error = NULL;

  kg_keyring_store_sync (profile, key, NULL, &error);
  g_assert_no_error (error);
  return profile;
}

static void
make_token_profile (KgProfile *profile)
{
  g_autoptr(KgTokenSpec) spec = kg_token_spec_new ();
  g_autoptr(KgCreateSpec) create_spec = kg_create_spec_new ();

  kg_profile_set_protocol (profile, KG_PROTOCOL_TOKEN);
  kg_profile_set_token_spec (profile, spec);
  kg_profile_set_create_spec (profile, create_spec);
}

static gboolean
send_is_sensitive (Fixture *f)
{
  return gtk_widget_is_sensitive (child (f->page, "send_button"));
}

/* Types @name into the real row, presses the real Send button and waits for
 * the answer; returns the ID the page shows. */
static gint64
send_and_wait (Fixture    *f,
               const char *name,
               gboolean    use_shortcut_action)
{
  gtk_editable_set_text (GTK_EDITABLE (child (f->page, "name_row")), name);
  g_assert_true (send_is_sensitive (f));
  if (use_shortcut_action)
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "page.send", NULL));
  else
    g_signal_emit_by_name (child (f->page, "send_button"), "clicked");
  g_assert_true (kg_page_get_busy (KG_PAGE (f->page)));
  g_assert_true (gtk_widget_get_visible (child (f->page, "cancel_button")));
  g_assert_false (send_is_sensitive (f));
  kg_ui_test_wait_for (is_idle, f->page, "the create request");

  return kg_response_view_get_record_id (KG_RESPONSE_VIEW (child (f->page, "response_view")));
}

static void
assert_created (Fixture    *f,
                KgProfile  *profile,
                const char *key,
                gint64      id,
                const char *name)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) done = NULL;
  g_autoptr(JsonObject) project = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KgProfile) rpc_profile = kg_test_demo_profile (kg_profile_get_login (profile));
  g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);

  g_assert_cmpint (id, >, 0);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (view_child (f->page, "record_id_label"))), ==,
                   id_text);
  g_assert_true (gtk_widget_is_visible (view_child (f->page, "record_id_label")));
  g_assert_true (gtk_widget_get_sensitive (view_child (f->page, "open_button")));
  g_assert_false (gtk_widget_get_visible (view_child (f->page, "error_box")));

  /* The server has a project with that id and the name typed. */
  kg_record_read_project_async (kg_app_context_get_http (f->context), rpc_profile, key, id, NULL,
                                kg_test_store_result_cb, &result);
  done = kg_test_wait_result (&result);   /* owned */
  project = kg_record_read_project_finish (done, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (project, "name"), ==, name);
}

static void
test_jsonrpc (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(KgProfile) profile = profile_with_key ("alice", KG_DEMO_ALICE_KEY);
  g_autofree char *name = g_strdup_printf ("UI JSON-RPC %" G_GINT64_FORMAT, g_get_real_time ());
  gint64 id;

  g_assert_false (send_is_sensitive (f));   /* no connection yet */
  kg_page_set_profile (KG_PAGE (f->page), profile);
  /* The profile speaks JSON-RPC: that is the default route. */
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (child (f->page, "via_row"))), ==, 1);

  gtk_editable_set_text (GTK_EDITABLE (child (f->page, "description_row")), "Made by the UI test");
  id = send_and_wait (f, name, FALSE);
  assert_created (f, profile, KG_DEMO_ALICE_KEY, id, name);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (view_child (f->page, "result_message_label"))),
                   ==, "Project created");
  g_assert_cmpuint (f->errors_reported, ==, 0);
  kg_ui_test_assert_tree_lacks (f->window, KG_DEMO_ALICE_KEY);
  kg_ui_test_save_screenshot (f->window, "create-page");

  /* A second send gives a new project. */
  {
    g_autofree char *second = g_strconcat (name, " again", NULL);
    gint64 id2 = send_and_wait (f, second, TRUE);

    g_assert_cmpint (id2, !=, id);
    assert_created (f, profile, KG_DEMO_ALICE_KEY, id2, second);
  }
}

static void
test_token_route (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(KgProfile) profile = profile_with_key ("alice", KG_DEMO_ALICE_KEY);
  g_autofree char *name = g_strdup_printf ("UI token %" G_GINT64_FORMAT, g_get_real_time ());
  KgTokenClient *client;
  gint64 id;

  make_token_profile (profile);
  kg_page_set_profile (KG_PAGE (f->page), profile);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (child (f->page, "via_row"))), ==, 0);

  id = send_and_wait (f, name, TRUE);
  assert_created (f, profile, KG_DEMO_ALICE_KEY, id, name);

  /* It went through the context's token client, which now holds a token
   * that is nowhere on screen. */
  client = kg_app_context_get_token_client (f->context, profile);
  g_assert_true (kg_token_client_has_token (client));
  kg_ui_test_assert_tree_lacks (f->window, kg_token_client_peek_token (client));
  kg_ui_test_assert_tree_lacks (f->window, KG_DEMO_ALICE_KEY);
}

/* "Send via" follows the selected connection's protocol when it changes
 * (the connection page edits the profile in place), until the user picks a
 * route by hand; a new connection starts following again. */
static void
test_via_follows_protocol (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(KgProfile) profile = kg_test_demo_profile ("alice");
  g_autoptr(KgProfile) other = kg_test_demo_profile ("bob");
  AdwComboRow *via = ADW_COMBO_ROW (child (f->page, "via_row"));

  kg_page_set_profile (KG_PAGE (f->page), profile);
  g_assert_cmpuint (adw_combo_row_get_selected (via), ==, 1);   /* JSON-RPC */

  make_token_profile (profile);
  g_assert_cmpuint (adw_combo_row_get_selected (via), ==, 0);   /* Token route */
  kg_profile_set_protocol (profile, KG_PROTOCOL_JSONRPC);
  g_assert_cmpuint (adw_combo_row_get_selected (via), ==, 1);

  /* The user's own pick wins over later protocol changes. */
  adw_combo_row_set_selected (via, 0);
  kg_profile_set_protocol (profile, KG_PROTOCOL_TOKEN);
  kg_profile_set_protocol (profile, KG_PROTOCOL_JSONRPC);
  g_assert_cmpuint (adw_combo_row_get_selected (via), ==, 0);

  /* Another connection: follow its protocol again; the old one is no longer
   * listened to. */
  kg_page_set_profile (KG_PAGE (f->page), other);
  g_assert_cmpuint (adw_combo_row_get_selected (via), ==, 1);
  make_token_profile (profile);
  g_assert_cmpuint (adw_combo_row_get_selected (via), ==, 1);
  make_token_profile (other);
  g_assert_cmpuint (adw_combo_row_get_selected (via), ==, 0);
}

static void
test_bob_denied (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(KgProfile) profile = profile_with_key ("bob", KG_DEMO_BOB_KEY);
  const char *message;
  gint64 id;

  kg_page_set_profile (KG_PAGE (f->page), profile);
  id = send_and_wait (f, "Bob's project", FALSE);

  g_assert_cmpint (id, ==, 0);
  g_assert_true (gtk_widget_get_visible (view_child (f->page, "error_box")));
  g_assert_false (gtk_widget_get_visible (view_child (f->page, "result_box")));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (view_child (f->page, "error_title_label"))), ==,
                   kg_error_code_title (KG_ERROR_ACCESS_ERROR));
  message = gtk_label_get_label (GTK_LABEL (view_child (f->page, "error_message_label")));
  g_assert_nonnull (strstr (message, "Project/Administrator"));
  g_assert_true (gtk_widget_get_visible (view_child (f->page, "remedy_box")));
  g_assert_cmpuint (f->errors_reported, ==, 1);
  kg_ui_test_assert_tree_lacks (f->window, KG_DEMO_BOB_KEY);
  kg_ui_test_save_screenshot (f->window, "create-page-denied");
}

/* Ctrl+Return is bound to page.send on the page itself. */
static gboolean
page_binds_ctrl_return (GtkWidget *page)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (page);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);
          GtkShortcutTrigger *shortcut_trigger = gtk_shortcut_get_trigger (shortcut);
          g_autofree char *trigger = gtk_shortcut_trigger_to_string (shortcut_trigger);

          if (g_strcmp0 (trigger, "<Control>Return") == 0 && GTK_IS_NAMED_ACTION (action) &&
              g_strcmp0 (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)),
                         "page.send") == 0)
            return TRUE;
        }
    }
  return FALSE;
}

static void
test_validation (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(KgProfile) profile = kg_test_demo_profile ("alice");
  GtkTextBuffer *extra = gtk_text_view_get_buffer (GTK_TEXT_VIEW (child (f->page, "extra_view")));
  GtkWidget *name_row = child (f->page, "name_row");
  GtkWidget *error_label = child (f->page, "extra_error_label");

  kg_page_set_profile (KG_PAGE (f->page), profile);
  g_assert_true (page_binds_ctrl_return (GTK_WIDGET (f->page)));

  /* Empty (or blank) name: Send is off and the row is marked. */
  gtk_editable_set_text (GTK_EDITABLE (name_row), "x");
  g_assert_true (send_is_sensitive (f));
  gtk_editable_set_text (GTK_EDITABLE (name_row), "   ");
  g_assert_false (send_is_sensitive (f));
  g_assert_true (gtk_widget_has_css_class (name_row, "error"));
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (f->page), "page.send", NULL) &&
                  kg_page_get_busy (KG_PAGE (f->page)));
  gtk_editable_set_text (GTK_EDITABLE (name_row), "Valid name");
  g_assert_true (send_is_sensitive (f));
  g_assert_false (gtk_widget_has_css_class (name_row, "error"));

  /* Extra fields: not JSON, then not an object: error shown, Send off. */
  gtk_text_buffer_set_text (extra, "{ \"privacy_visibility\": ", -1);
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (error_label)), ==,
                   "Line 1, column 24: a closing brace (}) is missing");
  g_assert_false (send_is_sensitive (f));

  kg_ui_test_save_screenshot (f->window, "create-page-invalid");
  gtk_text_buffer_set_text (extra, "[1, 2]", -1);
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (error_label)), "JSON object"));
  g_assert_false (send_is_sensitive (f));

  gtk_text_buffer_set_text (extra, "{\"privacy_visibility\": \"followers\"}", -1);
  g_assert_false (gtk_widget_get_visible (error_label));
  g_assert_true (send_is_sensitive (f));

  gtk_text_buffer_set_text (extra, "", -1);
  g_assert_true (send_is_sensitive (f));

  /* No connection: nothing to send to. */
  kg_page_set_profile (KG_PAGE (f->page), NULL);
  g_assert_false (send_is_sensitive (f));
}

static void
test_extra_fields_sent (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(KgProfile) profile = profile_with_key ("alice", KG_DEMO_ALICE_KEY);
  GtkTextBuffer *extra = gtk_text_view_get_buffer (GTK_TEXT_VIEW (child (f->page, "extra_view")));
  KgExchange *exchange;
  gint64 id;

  kg_page_set_profile (KG_PAGE (f->page), profile);
  gtk_text_buffer_set_text (extra, "{\"privacy_visibility\": \"followers\"}", -1);
  id = send_and_wait (f, "With extra fields", FALSE);
  g_assert_cmpint (id, >, 0);
  exchange = kg_response_view_get_exchange (KG_RESPONSE_VIEW (child (f->page, "response_view")));
  g_assert_nonnull (strstr (kg_exchange_get_request_body (exchange), "privacy_visibility"));
}

static gboolean
wheel (GtkWidget *scrolled,
       double     dy)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (scrolled);
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      /* The first scroll controller to see the event: the capture phase's. */
      if (GTK_IS_EVENT_CONTROLLER_SCROLL (controller) &&
          gtk_event_controller_get_propagation_phase (controller) == GTK_PHASE_CAPTURE)
        {
          g_signal_emit_by_name (controller, "scroll", 0.0, dy, &handled);
          return handled;
        }
    }
  return FALSE;
}

/* The text view lays its lines out in idle and estimates the rest: its
 * end moves until every line is in. At the end, and the end the same as
 * at the last look. */
static gboolean
scrolled_to_end (gpointer data)
{
  static double last_end = -1;
  GtkAdjustment *adjustment = data;
  double end = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);
  gboolean settled = end == last_end && gtk_adjustment_get_value (adjustment) >= end;

  last_end = end;
  gtk_adjustment_set_value (adjustment, end);
  return settled && end > 1000;
}

/* The wheel over the response body (or the Extra Fields editor) scrolls
 * the page once the body cannot scroll further that way; GTK's scrolled
 * window alone kept the wheel and the page stopped under the pointer. */
static void
test_wheel_over_body (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(KgProfile) profile = profile_with_key ("alice", KG_DEMO_ALICE_KEY);
  GtkWidget *body_view = view_child (f->page, "body_view");
  GtkWidget *body = gtk_widget_get_parent (body_view);
  GtkAdjustment *page = gtk_scrolled_window_get_vadjustment (
    GTK_SCROLLED_WINDOW (child (f->page, "scroller")));
  GtkAdjustment *inner = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (body));
  g_autoptr(GString) lines = g_string_new (NULL);
  double before;

  kg_page_set_profile (KG_PAGE (f->page), profile);
  send_and_wait (f, "Wheel test", FALSE);
  kg_ui_test_wait_frames (f->window, 2);
  g_assert_cmpfloat (gtk_adjustment_get_upper (page) - gtk_adjustment_get_page_size (page), >, 10);

  /* A short body: the wheel goes on to the page, both ways. */
  gtk_adjustment_set_value (page, 0);
  g_assert_true (wheel (body, 1));
  g_assert_cmpfloat (gtk_adjustment_get_value (page), >, 0);
  before = gtk_adjustment_get_value (page);
  g_assert_true (wheel (body, -1));
  g_assert_cmpfloat (gtk_adjustment_get_value (page), <, before);

  /* A long one scrolls itself first, then hands on at its end. */
  for (guint i = 0; i < 400; i++)
    g_string_append_printf (lines, "line %u\n", i);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (body_view)), lines->str, -1);
  kg_ui_test_wait_frames (f->window, 3);
  gtk_adjustment_set_value (inner, 0);
  before = gtk_adjustment_get_value (page);
  g_assert_false (wheel (body, 1));
  g_assert_cmpfloat (gtk_adjustment_get_value (page), ==, before);
  kg_ui_test_wait_for (scrolled_to_end, inner, "the body to be laid out and at its end");
  g_assert_true (wheel (body, 1));
  g_assert_cmpfloat (gtk_adjustment_get_value (page), >, before);

  /* The Extra Fields editor, short, hands the wheel on too. */
  gtk_adjustment_set_value (page, 0);
  g_assert_true (wheel (child (f->page, "extra_scroller"), 1));
  g_assert_cmpfloat (gtk_adjustment_get_value (page), >, 0);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(KgProfile) profile = profile_with_key ("alice", KG_DEMO_ALICE_KEY);
  g_autofree char *url = g_strconcat (kg_profile_get_url (profile), "/hostile/slow", NULL);
  g_autoptr(GError) error = NULL;
  guint before;

  /* Same keyring item (profile id), slow server. */
  kg_profile_set_url (profile, url);
  kg_keyring_store_sync (profile, KG_DEMO_ALICE_KEY, NULL, &error);
  g_assert_no_error (error);
  kg_page_set_profile (KG_PAGE (f->page), profile);
  before = kg_demo_server_get_request_count (kg_test_get_demo_server ());

  gtk_editable_set_text (GTK_EDITABLE (child (f->page, "name_row")), "Never created");
  g_signal_emit_by_name (child (f->page, "send_button"), "clicked");
  g_assert_true (kg_page_get_busy (KG_PAGE (f->page)));
  /* Wait until the request reached the server, then cancel. */
  while (kg_demo_server_get_request_count (kg_test_get_demo_server ()) == before &&
         kg_page_get_busy (KG_PAGE (f->page)))
    g_main_context_iteration (NULL, FALSE) || (g_usleep (1000), TRUE);
  g_signal_emit_by_name (child (f->page, "cancel_button"), "clicked");

  g_assert_false (kg_page_get_busy (KG_PAGE (f->page)));
  g_assert_true (send_is_sensitive (f));
  g_assert_false (gtk_widget_get_visible (child (f->page, "cancel_button")));
  /* Let the cancelled request finish: nothing is shown, nothing reported. */
  {
    gint64 until = g_get_monotonic_time () + 300 * 1000;

    while (g_get_monotonic_time () < until)
      g_main_context_iteration (NULL, FALSE) || (g_usleep (1000), TRUE);
  }
  g_assert_false (gtk_widget_get_visible (view_child (f->page, "error_box")));
  g_assert_cmpuint (f->errors_reported, ==, 0);
  g_assert_cmpint (kg_response_view_get_record_id (KG_RESPONSE_VIEW (child (f->page,
                                                                            "response_view"))),
                   ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  kg_test_init (&argc, &argv);
  gtk_init ();
  adw_init ();

#define ADD(path, func) \
  g_test_add ("/ui/create-page/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("jsonrpc", test_jsonrpc);
  ADD ("token-route", test_token_route);
  ADD ("via-follows-protocol", test_via_follows_protocol);
  ADD ("bob-denied", test_bob_denied);
  ADD ("validation", test_validation);
  ADD ("extra-fields-sent", test_extra_fields_sent);
  ADD ("cancel", test_cancel);
  ADD ("wheel-over-body", test_wheel_over_body);
#undef ADD

  return g_test_run ();
}
