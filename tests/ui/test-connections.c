/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The connection list and the Connection page of the real KgWindow, driven
 * through their widgets against the in-process demo server: adding a
 * connection through the form (database list from the server), invalid
 * input marked and not saved, the insecure-URL warning, Test connection,
 * Try the Demo, and removal with confirmation (key forgotten too). */
#include "config.h"

#include <adwaita.h>

#include "kg-app-context.h"
#include "kg-connection-page.h"
#include "kg-connection-row.h"
#include "kg-test-utils.h"
#include "kg-ui-test-utils.h"
#include "kg-window.h"

typedef struct
{
  KgAppContext *context;
  KgWindow     *window;
  char         *store_path;
} Fixture;

static KgAppContext *
make_context (const char *store_name)
{
  g_autofree char *path = g_build_filename (kg_test_get_tmpdir (), store_name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(KgProfileStore) store = kg_profile_store_new (file);
  g_autoptr(KgHistory) history = kg_history_new (NULL);
  g_autoptr(GSettings) settings = g_settings_new (BASE_APP_ID);
  g_autoptr(GError) error = NULL;

  kg_profile_store_load (store, &error);
  g_assert_no_error (error);

  return kg_app_context_new (store, kg_http_get_default (), history, settings);
}

static void
fixture_open (Fixture    *f,
              const char *store_name)
{
  f->store_path = g_build_filename (kg_test_get_tmpdir (), store_name, NULL);
  f->context = make_context (store_name);
  f->window = kg_window_new_with_context (NULL, f->context);
  gtk_window_present (GTK_WINDOW (f->window));
  kg_ui_test_wait_for (kg_ui_test_is_mapped, f->window, "the window to be mapped");
}

/* Closes the window as the user does; nothing may keep it (or the
 * context) alive. */
static void
fixture_close (Fixture *f)
{
  static const char *const page_names[] = {
    "connection", "key", "token", "create", "history", "two-factor",
  };
  gpointer weak_window = f->window;
  gpointer weak_context = f->context;
  gpointer weak_pages[G_N_ELEMENTS (page_names)];

  g_object_add_weak_pointer (G_OBJECT (f->window), &weak_window);
  g_object_add_weak_pointer (G_OBJECT (f->context), &weak_context);
  for (guint i = 0; i < G_N_ELEMENTS (page_names); i++)
    {
      weak_pages[i] = kg_window_get_page (f->window, page_names[i]);
      g_assert_nonnull (weak_pages[i]);
      g_object_add_weak_pointer (weak_pages[i], &weak_pages[i]);
    }
  gtk_window_close (GTK_WINDOW (f->window));
  kg_ui_test_wait_for (kg_ui_test_is_null, &weak_window, "the window to be finalized");
  /* The pages go with the window (each holds the context). */
  for (guint i = 0; i < G_N_ELEMENTS (page_names); i++)
    {
      g_autofree char *what = g_strdup_printf ("the %s page to be finalized", page_names[i]);

      kg_ui_test_wait_for (kg_ui_test_is_null, &weak_pages[i], what);
    }
  g_object_unref (f->context);
  kg_ui_test_wait_for (kg_ui_test_is_null, &weak_context, "the context to be finalized");
  g_free (f->store_path);
}

static GtkWidget *
page_child (Fixture    *f,
            const char *name)
{
  return GTK_WIDGET (kg_ui_test_template_child (kg_window_get_page (f->window, "connection"),
                                                KG_TYPE_CONNECTION_PAGE, name));
}

static KgConnectionPage *
connection_page (Fixture *f)
{
  return KG_CONNECTION_PAGE (kg_window_get_page (f->window, "connection"));
}

static gpointer
window_child (Fixture    *f,
              const char *name)
{
  return kg_ui_test_template_child (f->window, KG_TYPE_WINDOW, name);
}

static gpointer
row_child (gpointer    row,
           const char *name)
{
  return kg_ui_test_template_child (row, KG_TYPE_CONNECTION_ROW, name);
}

static KgProfileStore *
store_of (Fixture *f)
{
  return kg_app_context_get_store (f->context);
}

static guint
n_profiles (Fixture *f)
{
  return g_list_model_get_n_items (G_LIST_MODEL (store_of (f)));
}

/* The KgConnectionRow the sidebar's list view shows for @profile, or NULL
 * (the list view makes rows for the items in view only). */
static KgConnectionRow *
find_sidebar_row (Fixture   *f,
                  KgProfile *profile)
{
  GtkWidget *list = window_child (f, "connection_list");

  for (GtkWidget *item = gtk_widget_get_first_child (list); item != NULL;
       item = gtk_widget_get_next_sibling (item))
    {
      GtkWidget *child = gtk_widget_get_first_child (item);

      if (KG_IS_CONNECTION_ROW (child) &&
          kg_connection_row_get_profile (KG_CONNECTION_ROW (child)) == profile)
        return KG_CONNECTION_ROW (child);
    }

  return NULL;
}

typedef struct
{
  Fixture   *f;
  KgProfile *profile;
} RowWait;

static gboolean
sidebar_row_shown (gpointer data)
{
  RowWait *wait = data;

  return find_sidebar_row (wait->f, wait->profile) != NULL;
}

/* The row of @profile, once the list view has made it (or NULL after a
 * generous wait: the profile is not listed). */
static KgConnectionRow *
sidebar_row (Fixture   *f,
             KgProfile *profile)
{
  RowWait wait = { f, profile };

  kg_ui_test_wait_until (sidebar_row_shown, &wait, 5);
  return find_sidebar_row (f, profile);
}

static void
type_into (Fixture    *f,
           const char *row,
           const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (page_child (f, row)), text);
}

static char *
read_store_file (Fixture *f)
{
  char *contents = NULL;

  if (!g_file_get_contents (f->store_path, &contents, NULL, NULL))
    return g_strdup ("");
  return contents;
}

/* ---- tests ------------------------------------------------------------ */

static gboolean
database_list_loaded (gpointer data)
{
  Fixture *f = data;
  GtkWidget *combo = page_child (f, "database_combo");
  GListModel *model = adw_combo_row_get_model (ADW_COMBO_ROW (combo));

  return gtk_widget_get_visible (combo) && g_list_model_get_n_items (model) > 0;
}

static gboolean
store_has_one (gpointer data)
{
  return n_profiles (data) == 1;
}

static void
test_add_through_form (void)
{
  KgDemoServer *server = kg_test_get_demo_server ();
  Fixture f = { 0 };
  GtkStringList *databases;
  g_autoptr(KgProfile) profile = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *saved = NULL;
  KgConnectionRow *row;
  GtkStack *main_stack;

  fixture_open (&f, "add.json");
  main_stack = GTK_STACK (window_child (&f, "main_stack"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (main_stack), ==, "empty");
  kg_ui_test_save_screenshot (GTK_WIDGET (f.window), "connections-empty");

  /* The empty state's real button. */
  g_signal_emit_by_name (window_child (&f, "add_connection_button"), "clicked");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (main_stack), ==, "connections");
  g_assert_cmpstr (kg_window_get_visible_page (f.window), ==, "connection");
  g_assert_true (kg_connection_page_is_new (connection_page (&f)));

  /* The URL first: the database list comes from the server. */
  type_into (&f, "url_row", kg_demo_server_get_url (server));
  kg_ui_test_wait_for (database_list_loaded, &f, "the database list from the server");
  databases = GTK_STRING_LIST (kg_ui_test_template_child (connection_page (&f),
                                                          KG_TYPE_CONNECTION_PAGE,
                                                          "database_list"));
  g_assert_cmpstr (gtk_string_list_get_string (databases, 0), ==, KG_DEMO_DATABASE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (databases)), ==, 2);  /* + "Other…" */
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (page_child (&f, "database_combo"))),
                    ==, 0);
  g_assert_false (gtk_widget_get_visible (page_child (&f, "database_row")));
  g_assert_cmpuint (n_profiles (&f), ==, 0);  /* not valid yet: nothing saved */

  type_into (&f, "name_row", "Staging");
  g_assert_cmpuint (n_profiles (&f), ==, 0);
  g_assert_false (gtk_widget_is_sensitive (page_child (&f, "add_button")));
  type_into (&f, "login_row", "alice");

  /* A draft: valid now, still nothing saved until Add. */
  kg_ui_test_wait_frames (GTK_WIDGET (f.window), 2);
  g_assert_cmpuint (n_profiles (&f), ==, 0);
  g_assert_true (gtk_widget_get_visible (page_child (&f, "new_box")));
  g_assert_true (gtk_widget_is_sensitive (page_child (&f, "add_button")));
  kg_ui_test_save_screenshot (GTK_WIDGET (f.window), "connections-draft");
  kg_ui_test_click (page_child (&f, "add_button"));
  kg_ui_test_wait_for (store_has_one, &f, "the connection to be added");
  g_assert_false (gtk_widget_get_visible (page_child (&f, "new_box")));

  profile = g_list_model_get_item (G_LIST_MODEL (store_of (&f)), 0);
  g_assert_cmpstr (kg_profile_get_name (profile), ==, "Staging");
  g_assert_cmpstr (kg_profile_get_url (profile), ==, kg_demo_server_get_url (server));
  g_assert_cmpstr (kg_profile_get_database (profile), ==, KG_DEMO_DATABASE);
  g_assert_cmpstr (kg_profile_get_login (profile), ==, "alice");
  g_assert_true (kg_window_get_profile (f.window) == profile);
  g_assert_false (kg_connection_page_is_new (connection_page (&f)));

  /* Saved to the file, and listed in the sidebar with host:port/database. */
  saved = read_store_file (&f);
  g_assert_nonnull (strstr (saved, "\"Staging\""));
  row = sidebar_row (&f, profile);
  g_assert_nonnull (row);
  subtitle = g_strdup_printf ("127.0.0.1:%u/%s", kg_demo_server_get_port (server),
                              KG_DEMO_DATABASE);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (row_child (row, "subtitle_label"))),
                   ==, subtitle);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (row_child (row, "name_label"))),
                   ==, "Staging");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (row_child (row, "insecure_icon"))));
  /* Only the first window of a test program gets frames under Xvfb
   * (later ones keep their first render), so the pictures come from here. */
  kg_ui_test_save_screenshot (GTK_WIDGET (f.window), "connections-form");

  /* A later edit is saved without a Save button and the row follows. */
  type_into (&f, "name_row", "Staging 2");
  g_assert_cmpstr (kg_profile_get_name (profile), ==, "Staging 2");
  g_free (saved);
  saved = read_store_file (&f);
  g_assert_nonnull (strstr (saved, "\"Staging 2\""));
  row = sidebar_row (&f, profile);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (row_child (row, "name_label"))),
                   ==, "Staging 2");
  g_assert_true (kg_window_get_profile (f.window) == profile);

  fixture_close (&f);
}

static void
test_invalid_input (void)
{
  Fixture f = { 0 };
  g_autoptr(KgProfile) existing = kg_test_demo_profile ("alice");
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *good_url = NULL;
  GtkWidget *url_row;
  GtkWidget *problem;

  fixture_open (&f, "invalid.json");
  kg_profile_store_add (store_of (&f), existing, &error);
  g_assert_no_error (error);
  kg_window_select_profile (f.window, existing);
  good_url = g_strdup (kg_profile_get_url (existing));
  before = read_store_file (&f);

  /* An invalid URL marks the row with the reason and saves nothing. */
  url_row = page_child (&f, "url_row");
  problem = page_child (&f, "problem_label");
  type_into (&f, "url_row", "https://odoo example.com");
  g_assert_true (gtk_widget_has_css_class (url_row, "error"));
  g_assert_true (gtk_widget_get_visible (problem));
  g_assert_true (g_str_has_prefix (gtk_label_get_label (GTK_LABEL (problem)), "URL:"));
  g_assert_nonnull (gtk_widget_get_tooltip_text (url_row));
  g_assert_cmpstr (kg_profile_get_url (existing), ==, good_url);
  after = read_store_file (&f);
  g_assert_cmpstr (before, ==, after);

  type_into (&f, "url_row", "ftp://odoo.example.com");
  g_assert_true (gtk_widget_has_css_class (url_row, "error"));
  g_assert_cmpstr (kg_profile_get_url (existing), ==, good_url);

  /* An empty login too. */
  type_into (&f, "url_row", good_url);
  g_assert_false (gtk_widget_has_css_class (url_row, "error"));
  type_into (&f, "login_row", "");
  g_assert_true (gtk_widget_has_css_class (page_child (&f, "login_row"), "error"));
  g_assert_cmpstr (kg_profile_get_login (existing), ==, "alice");
  type_into (&f, "login_row", "alice");
  g_assert_false (gtk_widget_get_visible (problem));

  /* A new form with an invalid URL adds nothing. */
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.add-connection", NULL);
  type_into (&f, "name_row", "Broken");
  type_into (&f, "url_row", "ftp://odoo.example.com");
  type_into (&f, "database_row", "prod");
  type_into (&f, "login_row", "bob");
  /* Nothing to wait for when nothing may happen: let the form redraw. */
  kg_ui_test_wait_frames (GTK_WIDGET (f.window), 2);
  g_assert_cmpuint (n_profiles (&f), ==, 1);
  g_assert_true (gtk_widget_has_css_class (page_child (&f, "url_row"), "error"));
  /* The same name as another connection is refused as well. */
  type_into (&f, "name_row", kg_profile_get_name (existing));
  type_into (&f, "url_row", "https://odoo.example.com");
  g_assert_true (gtk_widget_has_css_class (page_child (&f, "name_row"), "error"));
  g_assert_cmpuint (n_profiles (&f), ==, 1);
  g_assert_false (gtk_widget_is_sensitive (page_child (&f, "add_button")));

  /* Cancel drops the draft: nothing saved, the connection before is back. */
  kg_ui_test_click (page_child (&f, "cancel_new_button"));
  g_assert_false (kg_connection_page_is_new (connection_page (&f)));
  g_assert_true (kg_window_get_profile (f.window) == existing);
  g_assert_cmpuint (n_profiles (&f), ==, 1);

  /* An address without a scheme means https://. */
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.add-connection", NULL);
  type_into (&f, "name_row", "No scheme");
  type_into (&f, "url_row", "odoo.example.com");
  type_into (&f, "database_row", "prod");
  type_into (&f, "login_row", "bob");
  g_assert_false (gtk_widget_has_css_class (page_child (&f, "url_row"), "error"));
  kg_ui_test_click (page_child (&f, "add_button"));
  g_assert_cmpuint (n_profiles (&f), ==, 2);
  g_assert_cmpstr (kg_profile_get_url (kg_window_get_profile (f.window)), ==,
                   "https://odoo.example.com");

  fixture_close (&f);
}

static void
test_insecure_warning (void)
{
  Fixture f = { 0 };
  g_autoptr(KgProfile) profile = kg_test_demo_profile ("alice");
  g_autoptr(GError) error = NULL;
  KgConnectionRow *row;
  GtkWidget *icon;

  fixture_open (&f, "insecure.json");
  kg_profile_store_add (store_of (&f), profile, &error);
  g_assert_no_error (error);
  kg_window_select_profile (f.window, profile);

  /* Loopback http:// is fine... */
  row = sidebar_row (&f, profile);
  icon = GTK_WIDGET (row_child (row, "insecure_icon"));
  g_assert_false (gtk_widget_get_visible (icon));
  g_assert_false (gtk_widget_get_visible (page_child (&f, "insecure_label")));

  /* ...http:// to another computer is saved but warned about. */
  type_into (&f, "url_row", "http://odoo.example.com");
  g_assert_cmpstr (kg_profile_get_url (profile), ==, "http://odoo.example.com");
  g_assert_true (kg_profile_is_insecure (profile));
  row = sidebar_row (&f, profile);
  icon = GTK_WIDGET (row_child (row, "insecure_icon"));
  g_assert_true (gtk_widget_get_visible (icon));
  g_assert_nonnull (gtk_widget_get_tooltip_text (icon));
  g_assert_true (gtk_widget_get_visible (page_child (&f, "insecure_label")));

  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (icon), "http://"));

  type_into (&f, "url_row", "https://odoo.example.com");
  row = sidebar_row (&f, profile);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (row_child (row, "insecure_icon"))));
  g_assert_false (gtk_widget_get_visible (page_child (&f, "insecure_label")));

  /* Accepting invalid certificates is flagged the same way, saying so. */
  kg_profile_set_tls_policy (profile, KG_TLS_POLICY_ACCEPT_INVALID);
  row = sidebar_row (&f, profile);
  icon = GTK_WIDGET (row_child (row, "insecure_icon"));
  g_assert_true (gtk_widget_get_visible (icon));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (icon), "invalid TLS certificates"));
  kg_profile_set_tls_policy (profile, KG_TLS_POLICY_VERIFY);
  row = sidebar_row (&f, profile);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (row_child (row, "insecure_icon"))));

  fixture_close (&f);
}

static gboolean
test_row_done (gpointer data)
{
  Fixture *f = data;

  return gtk_widget_get_sensitive (page_child (f, "test_button"));
}

static void
test_test_connection (void)
{
  KgDemoServer *server = kg_test_get_demo_server ();
  Fixture f = { 0 };
  g_autoptr(KgProfile) profile = kg_test_demo_profile ("alice");
  g_autoptr(GError) error = NULL;
  AdwActionRow *row;

  fixture_open (&f, "test.json");
  kg_profile_store_add (store_of (&f), profile, &error);
  g_assert_no_error (error);
  kg_window_select_profile (f.window, profile);
  row = ADW_ACTION_ROW (page_child (&f, "test_row"));

  g_signal_emit_by_name (page_child (&f, "test_button"), "clicked");
  kg_ui_test_wait_for (test_row_done, &f, "the server check");
  /* The version as the server gives it ("18.0-demo"). */
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (row), "Odoo 18.0"));
  g_assert_true (g_str_has_suffix (adw_action_row_get_subtitle (row), " — database found"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (row), "success"));

  /* A database the server does not have. */
  type_into (&f, "database_row", "nope");
  if (gtk_widget_get_visible (page_child (&f, "database_combo")))
    {
      /* "Other…" shows the free-text row. */
      AdwComboRow *combo = ADW_COMBO_ROW (page_child (&f, "database_combo"));

      adw_combo_row_set_selected (combo,
                                  g_list_model_get_n_items (adw_combo_row_get_model (combo)) - 1);
      g_assert_true (gtk_widget_get_visible (page_child (&f, "database_row")));
      type_into (&f, "database_row", "nope");
    }
  g_assert_cmpstr (kg_profile_get_database (profile), ==, "nope");
  g_signal_emit_by_name (page_child (&f, "test_button"), "clicked");
  kg_ui_test_wait_for (test_row_done, &f, "the server check");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (row), "no database “nope”"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (row), "error"));

  /* Listing switched off on the server: free text, and the check says so. */
  kg_demo_server_set_list_db (server, FALSE);
  g_signal_emit_by_name (page_child (&f, "test_button"), "clicked");
  kg_ui_test_wait_for (test_row_done, &f, "the server check");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (row), "does not list its databases"));
  kg_demo_server_set_list_db (server, TRUE);

  fixture_close (&f);
}

static gboolean
demo_has_key (gpointer data)
{
  Fixture *f = data;
  KgProfile *demo = kg_profile_store_find_by_id (store_of (f), KG_APP_CONTEXT_DEMO_PROFILE_ID);
  KgConnectionRow *row = demo ? sidebar_row (f, demo) : NULL;

  return row != NULL &&
         gtk_widget_get_visible (GTK_WIDGET (row_child (row, "key_icon")));
}

static AdwMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (toplevel) && gtk_widget_get_visible (GTK_WIDGET (toplevel)))
        return ADW_MESSAGE_DIALOG (toplevel);
    }

  return NULL;
}

static gboolean
message_dialog_shown (gpointer data)
{
  AdwMessageDialog *dialog = find_message_dialog ();

  return dialog != NULL && gtk_widget_get_mapped (GTK_WIDGET (dialog));
}

/* What a click on a response button does: emit the response, then close. */
static void
respond (AdwMessageDialog *dialog,
         const char       *response)
{
  adw_message_dialog_response (dialog, response);
  gtk_window_close (GTK_WINDOW (dialog));
}

static gboolean
store_is_empty (gpointer data)
{
  return n_profiles (data) == 0;
}

static void
test_demo_and_remove (void)
{
  Fixture f = { 0 };
  KgProfile *demo;
  g_autoptr(KgProfile) demo_ref = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  AdwMessageDialog *dialog;
  gpointer weak_dialog;

  fixture_open (&f, "demo.json");

  /* First run: "Try the Demo" on the empty state. */
  g_signal_emit_by_name (window_child (&f, "demo_button"), "clicked");
  demo = kg_profile_store_find_by_id (store_of (&f), KG_APP_CONTEXT_DEMO_PROFILE_ID);
  g_assert_nonnull (demo);
  demo_ref = g_object_ref (demo);
  g_assert_cmpstr (kg_profile_get_name (demo), ==, "Demo");
  g_assert_cmpstr (kg_profile_get_login (demo), ==, "alice");
  g_assert_true (kg_window_get_profile (f.window) == demo);
  g_assert_true (g_str_has_prefix (kg_profile_get_url (demo), "http://127.0.0.1:"));

  /* Its key goes to the keyring and the row shows the lock. */
  kg_ui_test_wait_for (demo_has_key, &f, "the demo key to be stored");
  key = kg_keyring_lookup_sync (demo, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (key, ==, KG_DEMO_ALICE_KEY);

  /* Remove asks first; Cancel keeps everything. */
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.remove-connection", "s",
                              kg_profile_get_id (demo));
  kg_ui_test_wait_for (message_dialog_shown, NULL, "the confirmation");
  dialog = find_message_dialog ();
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (f.window));
  respond (dialog, "cancel");
  kg_ui_test_wait_frames (GTK_WIDGET (f.window), 2);
  g_assert_cmpuint (n_profiles (&f), ==, 1);

  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.remove-connection", "s",
                              kg_profile_get_id (demo));
  kg_ui_test_wait_for (message_dialog_shown, NULL, "the confirmation");
  dialog = find_message_dialog ();
  weak_dialog = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), &weak_dialog);
  respond (dialog, "remove");
  kg_ui_test_wait_for (store_is_empty, &f, "the connection to be removed");
  kg_ui_test_wait_for (kg_ui_test_is_null, &weak_dialog, "the dialog to be finalized");

  /* The key went with it, and the window is back to the empty state. */
  g_assert_false (kg_keyring_has_key_sync (demo_ref, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (kg_window_get_profile (f.window));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (window_child (&f, "main_stack"))),
                   ==, "empty");
  g_assert_nonnull (strstr (kg_window_get_last_toast (f.window), "removed"));

  fixture_close (&f);
}

/* The menu of @profile's row in the sidebar, as opening it makes it. */
static GMenuModel *
row_menu (Fixture   *f,
          KgProfile *profile)
{
  GtkMenuButton *button = row_child (sidebar_row (f, profile), "menu_button");
  GMenuModel *model;

  gtk_menu_button_popup (button);
  model = gtk_menu_button_get_menu_model (button);
  gtk_menu_button_popdown (button);
  g_assert_nonnull (model);
  return model;
}

static gboolean
menu_has_action (GMenuModel *model,
                 const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autofree char *name = NULL;

      if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", &name) &&
          g_strcmp0 (name, action) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Rename and Duplicate from the row's menu; a relaunch opens the connection
 * used last; Remove says "its key" only when there is one. */
static void
test_rename_duplicate_last (void)
{
  Fixture f = { 0 };
  g_autoptr(KgProfile) shop = kg_test_demo_profile ("alice");
  g_autoptr(KgProfile) shop_bob = kg_test_demo_profile ("bob");
  g_autoptr(GError) error = NULL;
  g_autofree char *bob_id = NULL;
  KgProfile *copy = NULL;
  GtkWidget *focus;
  GMenuModel *menu;
  AdwMessageDialog *dialog;
  int start, end;

  fixture_open (&f, "rename.json");
  kg_profile_set_name (shop, "Shop");
  kg_profile_set_name (shop_bob, "Shop bob");
  g_assert_true (kg_profile_store_add (store_of (&f), shop, &error));
  g_assert_true (kg_profile_store_add (store_of (&f), shop_bob, &error));
  bob_id = g_strdup (kg_profile_get_id (shop_bob));
  kg_window_select_profile (f.window, shop_bob);
  fixture_close (&f);

  /* Relaunched: bob's connection, not the first one. */
  fixture_open (&f, "rename.json");
  g_assert_cmpuint (n_profiles (&f), ==, 2);
  g_assert_cmpstr (kg_profile_get_id (kg_window_get_profile (f.window)), ==, bob_id);

  menu = row_menu (&f, kg_window_get_profile (f.window));
  g_assert_true (menu_has_action (menu, "win.rename-connection"));
  g_assert_true (menu_has_action (menu, "win.duplicate-connection"));
  g_assert_true (menu_has_action (menu, "win.remove-connection"));

  /* Rename: the Connection page, the name selected to be typed over. */
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.show-page", "s", "key");
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.rename-connection", "s", bob_id);
  g_assert_cmpstr (kg_window_get_visible_page (f.window), ==, "connection");
  focus = gtk_root_get_focus (GTK_ROOT (f.window));
  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_is_ancestor (focus, page_child (&f, "name_row")));
  g_assert_true (gtk_editable_get_selection_bounds (GTK_EDITABLE (page_child (&f, "name_row")),
                                                    &start, &end));
  g_assert_cmpint (end - start, ==, (int) strlen ("Shop bob"));

  /* Duplicate: a new connection to the same place, selected, no key. */
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.duplicate-connection", "s", bob_id);
  g_assert_cmpuint (n_profiles (&f), ==, 3);
  copy = kg_profile_store_find_by_name (store_of (&f), "Shop bob (copy)");
  g_assert_nonnull (copy);
  g_assert_cmpstr (kg_profile_get_id (copy), !=, bob_id);
  g_assert_cmpstr (kg_profile_get_login (copy), ==, "bob");
  g_assert_cmpstr (kg_profile_get_url (copy), ==,
                   kg_profile_get_url (kg_profile_store_find_by_id (store_of (&f), bob_id)));
  g_assert_true (kg_window_get_profile (f.window) == copy);
  g_assert_false (kg_keyring_has_key_sync (copy, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (kg_window_get_last_toast (f.window), "no API key"));
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.duplicate-connection", "s", bob_id);
  g_assert_nonnull (kg_profile_store_find_by_name (store_of (&f), "Shop bob (copy 2)"));

  /* Its removal does not speak of a key it does not have. */
  kg_app_context_set_has_key (f.context, copy, FALSE);
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.remove-connection", "s",
                              kg_profile_get_id (copy));
  kg_ui_test_wait_for (message_dialog_shown, NULL, "the confirmation");
  dialog = find_message_dialog ();
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "no API key"));
  respond (dialog, "cancel");
  kg_ui_test_wait_frames (GTK_WIDGET (f.window), 2);

  fixture_close (&f);
}

static gboolean
url_row_has_focus (gpointer data)
{
  Fixture *f = data;
  GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (f->window));

  return focus != NULL && gtk_widget_is_ancestor (focus, page_child (f, "url_row"));
}

static void
test_focus_url_shortcut_action (void)
{
  Fixture f = { 0 };
  g_autoptr(KgProfile) profile = kg_test_demo_profile ("carol");
  g_autoptr(GError) error = NULL;

  fixture_open (&f, "focus.json");
  kg_profile_store_add (store_of (&f), profile, &error);
  g_assert_no_error (error);
  kg_window_select_profile (f.window, profile);
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.show-page", "s", "history");
  g_assert_cmpstr (kg_window_get_visible_page (f.window), ==, "history");

  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.focus-url", NULL);
  g_assert_cmpstr (kg_window_get_visible_page (f.window), ==, "connection");
  kg_ui_test_wait_for (url_row_has_focus, &f, "the URL row to have the focus");

  /* The Token page exists only for token profiles. */
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (f.window), "win.show-page", "s",
                                              "token") &&
                  g_strcmp0 (kg_window_get_visible_page (f.window), "token") == 0);
  adw_combo_row_set_selected (ADW_COMBO_ROW (page_child (&f, "protocol_combo")), 1);
  g_assert_cmpint (kg_profile_get_protocol (profile), ==, KG_PROTOCOL_TOKEN);
  g_assert_true (gtk_widget_get_visible (page_child (&f, "endpoints_expander")));
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.show-page", "s", "token");
  g_assert_cmpstr (kg_window_get_visible_page (f.window), ==, "token");
  /* The focus followed into the Token page (its selectable preview): closing
   * from here once left every page and the context alive. */
  g_assert_true (gtk_widget_is_ancestor (gtk_window_get_focus (GTK_WINDOW (f.window)),
                                         kg_window_get_page (f.window, "token")));

  fixture_close (&f);
}

static gboolean
leaflet_folded (gpointer data)
{
  Fixture *f = data;

  return adw_leaflet_get_folded (ADW_LEAFLET (window_child (f, "leaflet")));
}

static void
test_narrow_window_folds (void)
{
  Fixture f = { 0 };
  g_autoptr(KgProfile) profile = kg_test_demo_profile ("alice");
  g_autoptr(GError) error = NULL;
  AdwLeaflet *leaflet;
  GtkWidget *back;
  GtkWidget *list;

  fixture_open (&f, "narrow.json");
  kg_profile_store_add (store_of (&f), profile, &error);
  g_assert_no_error (error);
  leaflet = ADW_LEAFLET (window_child (&f, "leaflet"));
  back = GTK_WIDGET (window_child (&f, "back_button"));
  g_assert_false (adw_leaflet_get_folded (leaflet));
  g_assert_false (gtk_widget_get_visible (back));

  gtk_window_set_default_size (GTK_WINDOW (f.window), 400, 600);
  kg_ui_test_wait_for (leaflet_folded, &f, "the leaflet to fold");
  g_assert_true (gtk_widget_get_visible (back));

  /* Picking a connection in the list shows its pages; Back shows the list. */
  list = window_child (&f, "connection_list");
  adw_leaflet_set_visible_child_name (leaflet, "sidebar");
  /* As Enter on the row does: activate it, which selects it. */
  kg_window_select_profile (f.window, NULL);
  g_signal_emit_by_name (list, "activate", 0);
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "content");
  g_assert_true (kg_window_get_profile (f.window) == profile);
  g_signal_emit_by_name (back, "clicked");
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "sidebar");

  fixture_close (&f);
}

typedef struct
{
  KgAppContext *context;
  KgProfile    *with_key;
  KgProfile    *without_key;
} KeyStates;

static gboolean
key_states_known (gpointer data)
{
  KeyStates *k = data;

  return kg_app_context_get_has_key (k->context, k->with_key) == KG_TRISTATE_TRUE &&
         kg_app_context_get_has_key (k->context, k->without_key) == KG_TRISTATE_FALSE;
}

static gboolean
list_shows_one (gpointer data)
{
  Fixture *f = data;
  GtkListView *list = GTK_LIST_VIEW (window_child (f, "connection_list"));

  return g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (list))) == 1;
}

static gboolean
list_shows_all (gpointer data)
{
  Fixture *f = data;
  GtkListView *list = GTK_LIST_VIEW (window_child (f, "connection_list"));

  return g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (list))) ==
         n_profiles (f);
}

/* Issue 12: the sidebar is a list view. Rows tell two logins on one server
 * apart; moving the focus through the list (Tab, or the arrows, which ask
 * the list to select) leaves the connection alone, activating a row (click,
 * Enter) selects it; the search field narrows the list by name; the lock
 * icons come from one keyring search. */
static void
test_sidebar_list (void)
{
  Fixture f = { 0 };
  g_autoptr(KgProfile) alice = kg_test_demo_profile ("alice");
  g_autoptr(KgProfile) bob = kg_test_demo_profile ("bob");
  g_autoptr(GError) error = NULL;
  GtkWidget *list;
  GtkSelectionModel *selection;
  KgConnectionRow *row;
  KeyStates k;

  fixture_open (&f, "sidebar.json");
  g_assert_true (kg_profile_store_add (store_of (&f), alice, &error));
  g_assert_true (kg_profile_store_add (store_of (&f), bob, &error));
  g_assert_no_error (error);
  kg_window_select_profile (f.window, alice);
  list = window_child (&f, "connection_list");
  selection = gtk_list_view_get_model (GTK_LIST_VIEW (list));

  /* Same server and database, two logins: the rows differ by the login. */
  row = sidebar_row (&f, bob);
  g_assert_nonnull (row);
  g_assert_cmpstr (gtk_label_get_label (row_child (row, "login_label")), ==, "bob");
  g_assert_true (gtk_widget_get_visible (row_child (row, "login_label")));
  g_assert_cmpstr (gtk_label_get_label (row_child (row, "subtitle_label")), ==,
                   gtk_label_get_label (row_child (sidebar_row (&f, alice), "subtitle_label")));
  g_assert_true (gtk_selection_model_is_selected (selection, 0));

  /* The focus moves, the connection does not. */
  gtk_widget_grab_focus (gtk_widget_get_parent (GTK_WIDGET (row)));
  gtk_widget_activate_action (list, "list.select-item", "(ubb)", 1, FALSE, FALSE);
  for (guint i = 0; i < 4; i++)
    gtk_widget_child_focus (GTK_WIDGET (f.window), GTK_DIR_TAB_FORWARD);
  kg_ui_test_wait_frames (GTK_WIDGET (f.window), 2);
  g_assert_true (kg_window_get_profile (f.window) == alice);
  g_assert_true (gtk_selection_model_is_selected (selection, 0));
  g_assert_false (gtk_selection_model_is_selected (selection, 1));

  /* Activating selects. */
  g_signal_emit_by_name (list, "activate", 1);
  g_assert_true (kg_window_get_profile (f.window) == bob);
  g_assert_true (gtk_selection_model_is_selected (selection, 1));
  g_assert_false (gtk_selection_model_is_selected (selection, 0));

  /* Search by name: the selected connection stays selected while hidden. */
  gtk_editable_set_text (GTK_EDITABLE (window_child (&f, "search_entry")), "ALICE");
  kg_ui_test_wait_for (list_shows_one, &f, "the search to narrow the list");
  {
    g_autoptr(KgProfile) shown = g_list_model_get_item (G_LIST_MODEL (selection), 0);

    g_assert_true (shown == alice);
  }
  g_assert_false (gtk_selection_model_is_selected (selection, 0));
  g_assert_true (kg_window_get_profile (f.window) == bob);
  gtk_editable_set_text (GTK_EDITABLE (window_child (&f, "search_entry")), "");
  kg_ui_test_wait_for (list_shows_all, &f, "the search to be cleared");
  g_assert_true (gtk_selection_model_is_selected (selection, 1));

  /* Lock icons: one search answers for every connection. */
  g_assert_true (kg_keyring_store_sync (bob, KG_DEMO_BOB_KEY, NULL, &error));
  g_assert_no_error (error);
  kg_app_context_set_has_key (f.context, bob, FALSE);
  kg_app_context_refresh_key_states (f.context);
  k = (KeyStates) { f.context, bob, alice };
  kg_ui_test_wait_for (key_states_known, &k, "the key states from the keyring");
  g_assert_true (gtk_widget_get_visible (row_child (sidebar_row (&f, bob), "key_icon")));
  g_assert_false (gtk_widget_get_visible (row_child (sidebar_row (&f, alice), "key_icon")));
  g_assert_true (kg_keyring_clear_sync (bob, NULL, &error));
  g_assert_no_error (error);

  kg_ui_test_save_screenshot (GTK_WIDGET (f.window), "connections-sidebar");
  fixture_close (&f);
}

static guint
count_sidebar_rows (Fixture *f)
{
  GtkWidget *list = window_child (f, "connection_list");
  guint n = 0;

  for (GtkWidget *item = gtk_widget_get_first_child (list); item != NULL;
       item = gtk_widget_get_next_sibling (item))
    n += KG_IS_CONNECTION_ROW (gtk_widget_get_first_child (item));
  return n;
}

/* Issue 12: 1,000 connections do not make 1,000 rows (GTK 4.8's list view
 * keeps up to 200 around what is in view: a loose bound), the search finds
 * one among them and any of them can be selected. */
static void
test_long_list (void)
{
  g_autofree char *path = g_build_filename (kg_test_get_tmpdir (), "long.json", NULL);
  g_autoptr(GString) json = g_string_new ("{\"version\":1,\"profiles\":[");
  g_autoptr(GError) error = NULL;
  Fixture f = { 0 };
  KgProfile *last;
  GListModel *shown;
  GtkWidget *list;

  for (guint i = 0; i < 1000; i++)
    g_string_append_printf (json, "%s{\"id\":\"long-%04u\",\"name\":\"Connection %04u\","
                            "\"url\":\"https://odoo%04u.example.com\",\"database\":\"db\","
                            "\"login\":\"user%u\"}", i ? "," : "", i, i, i, i % 7);
  g_string_append (json, "]}");
  g_assert_true (g_file_set_contents (path, json->str, -1, &error));
  g_assert_no_error (error);

  fixture_open (&f, "long.json");
  g_assert_cmpuint (n_profiles (&f), ==, 1000);
  kg_ui_test_wait_frames (GTK_WIDGET (f.window), 3);
  g_assert_cmpuint (count_sidebar_rows (&f), >, 0);
  g_assert_cmpuint (count_sidebar_rows (&f), <=, 250);

  gtk_editable_set_text (GTK_EDITABLE (window_child (&f, "search_entry")), "connection 0999");
  kg_ui_test_wait_for (list_shows_one, &f, "the search to find the last connection");
  list = window_child (&f, "connection_list");
  shown = G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (list)));
  last = kg_profile_store_find_by_id (store_of (&f), "long-0999");
  {
    g_autoptr(KgProfile) found = g_list_model_get_item (shown, 0);

    g_assert_true (found == last);
  }
  g_signal_emit_by_name (list, "activate", 0);
  g_assert_true (kg_window_get_profile (f.window) == last);
  gtk_editable_set_text (GTK_EDITABLE (window_child (&f, "search_entry")), "");
  kg_ui_test_wait_for (list_shows_all, &f, "the search to be cleared");
  g_assert_true (gtk_selection_model_is_selected (GTK_SELECTION_MODEL (shown), 999));

  fixture_close (&f);
}

static void
test_load_error (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_config_dir (), "keygate", NULL);
  g_autofree char *path = g_build_filename (dir, "profiles.json", NULL);
  g_autofree char *contents = NULL;
  Fixture f = { 0 };
  AdwStatusPage *page;
  GtkStack *main_stack;

  /* The app's own context (XDG paths) with a corrupt profiles.json. */
  g_mkdir_with_parents (dir, 0700);
  g_file_set_contents (path, "{ this is not json", -1, NULL);
  g_test_expect_message ("keygate-app", G_LOG_LEVEL_WARNING, "*profiles.json*");
  f.context = kg_app_context_new_default ();
  g_test_assert_expected_messages ();
  g_assert_nonnull (kg_app_context_get_load_error (f.context));
  f.store_path = g_strdup (path);
  f.window = kg_window_new_with_context (NULL, f.context);
  gtk_window_present (GTK_WINDOW (f.window));
  kg_ui_test_wait_for (kg_ui_test_is_mapped, f.window, "the window to be mapped");

  /* The error is shown in the window, with the file's path... */
  main_stack = GTK_STACK (window_child (&f, "main_stack"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (main_stack), ==, "load-error");
  page = ADW_STATUS_PAGE (window_child (&f, "load_error_page"));
  g_assert_nonnull (strstr (adw_status_page_get_description (page), "profiles.json"));

  /* ...adding is off (read-only), and the file is left alone. */
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (kg_ui_test_template_child (f.window,
                                                                                   KG_TYPE_WINDOW,
                                                                  "sidebar_add_button"))));
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.try-demo", NULL);
  g_assert_cmpuint (n_profiles (&f), ==, 0);
  g_file_get_contents (path, &contents, NULL, NULL);
  g_assert_cmpstr (contents, ==, "{ this is not json");

  /* The rest still works: preferences are an app action, the window closes. */
  fixture_close (&f);
}

int
main (int   argc,
      char *argv[])
{
  kg_test_init (&argc, &argv);
  gtk_init ();
  adw_init ();
  /* GtkApplication adds the app's icons; these tests have none. */
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    RESOURCE_PREFIX "/icons");

  g_test_add_func ("/ui/connections/add-through-form", test_add_through_form);
  g_test_add_func ("/ui/connections/invalid-input", test_invalid_input);
  g_test_add_func ("/ui/connections/insecure-warning", test_insecure_warning);
  g_test_add_func ("/ui/connections/test-connection", test_test_connection);
  g_test_add_func ("/ui/connections/demo-and-remove", test_demo_and_remove);
  g_test_add_func ("/ui/connections/focus-url-and-token-page", test_focus_url_shortcut_action);
  g_test_add_func ("/ui/connections/narrow-window-folds", test_narrow_window_folds);
  g_test_add_func ("/ui/connections/load-error-read-only", test_load_error);
  g_test_add_func ("/ui/connections/sidebar-list", test_sidebar_list);
  g_test_add_func ("/ui/connections/long-list", test_long_list);
  g_test_add_func ("/ui/connections/rename-duplicate-last", test_rename_duplicate_last);

  return g_test_run ();
}
