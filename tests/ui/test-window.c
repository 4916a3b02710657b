/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The real KgApplication and KgWindow under a display: empty state, menu,
 * shortcuts, about window, window state in GSettings, no leaks, and the
 * single-instance behaviour of the installed binary. */
#include "config.h"

#include <adwaita.h>

#include "kg-application.h"
#include "kg-test-utils.h"
#include "kg-ui-test-utils.h"
#include "kg-page.h"
#include "kg-window.h"

static KgApplication *app;

/* Opens the main window the way a launch does (GApplication::activate). */
static KgWindow *
open_window (void)
{
  GtkWindow *window;

  g_assert_null (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (KG_IS_WINDOW (window));
  kg_ui_test_wait_for (kg_ui_test_is_mapped, window, "the window to be mapped");

  return KG_WINDOW (window);
}

/* Closes @window as the user does and checks that nothing keeps it alive. */
static void
close_and_finalize (KgWindow *window)
{
  gpointer weak = window;

  g_object_add_weak_pointer (G_OBJECT (window), &weak);
  gtk_window_close (GTK_WINDOW (window));
  kg_ui_test_wait_for (kg_ui_test_is_null, &weak, "the window to be finalized");
  g_assert_null (gtk_application_get_active_window (GTK_APPLICATION (app)));
}

static GObject *
template_child (KgWindow   *window,
                const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (window), KG_TYPE_WINDOW, name);

  g_assert_nonnull (child);
  return child;
}

static void
test_empty_state (void)
{
  KgWindow *window = open_window ();
  GtkWidget *button = GTK_WIDGET (template_child (window, "add_connection_button"));
  GtkStack *stack = GTK_STACK (template_child (window, "main_stack"));
  AdwStatusPage *empty = ADW_STATUS_PAGE (template_child (window, "empty_page"));

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Keygate");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
  g_assert_cmpstr (adw_status_page_get_title (empty), ==, "No connections yet");
  g_assert_nonnull (adw_status_page_get_description (empty));
  g_assert_true (gtk_widget_is_ancestor (button, GTK_WIDGET (empty)));

  /* The icons come from the GResource, so they work uninstalled too. */
  g_assert_true (gtk_icon_theme_has_icon (gtk_icon_theme_get_for_display (
                   gtk_widget_get_display (GTK_WIDGET (window))),
                                          adw_status_page_get_icon_name (empty)));
  g_assert_true (gtk_icon_theme_has_icon (gtk_icon_theme_get_for_display (
                   gtk_widget_get_display (GTK_WIDGET (window))), APP_ID));

  /* The button is wired to win.add-connection, and GTK makes it insensitive
   * when that action is missing or disabled. */
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==,
                   "win.add-connection");
  g_assert_true (gtk_widget_get_mapped (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.add-connection", NULL));

  close_and_finalize (window);
}

static void
assert_menu_has (GMenuModel *model,
                 const char *label,
                 const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (model, i, G_MENU_LINK_SECTION);
      g_autofree char *item_label = NULL;
      g_autofree char *item_action = NULL;

      if (section != NULL)
        {
          for (int j = 0; j < g_menu_model_get_n_items (section); j++)
            {
              g_autofree char *l = NULL;
              g_autofree char *a = NULL;

              g_menu_model_get_item_attribute (section, j, G_MENU_ATTRIBUTE_LABEL, "s", &l);
              g_menu_model_get_item_attribute (section, j, G_MENU_ATTRIBUTE_ACTION, "s", &a);
              if (g_strcmp0 (l, label) == 0)
                {
                  g_assert_cmpstr (a, ==, action);
                  return;
                }
            }
        }

      g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_LABEL, "s", &item_label);
      g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", &item_action);
      if (g_strcmp0 (item_label, label) == 0)
        {
          g_assert_cmpstr (item_action, ==, action);
          return;
        }
    }

  g_error ("The primary menu has no item \"%s\"", label);
}

static void
test_primary_menu (void)
{
  KgWindow *window = open_window ();
  GtkMenuButton *button = GTK_MENU_BUTTON (template_child (window, "primary_menu_button"));
  GMenuModel *model = gtk_menu_button_get_menu_model (button);

  g_assert_nonnull (model);
  g_assert_true (gtk_menu_button_get_primary (button));
  assert_menu_has (model, "_Keyboard Shortcuts", "win.show-help-overlay");
  assert_menu_has (model, "_About Keygate", "app.about");

  /* The actions behind the items exist and are enabled. */
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "about"));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "show-help-overlay"));

  close_and_finalize (window);
}

static void
collect_accelerators (GtkWidget  *widget,
                      GPtrArray  *accels)
{
  if (GTK_IS_SHORTCUTS_SHORTCUT (widget))
    {
      g_autofree char *accel = NULL;

      g_object_get (widget, "accelerator", &accel, NULL);
      g_ptr_array_add (accels, g_steal_pointer (&accel));
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_accelerators (child, accels);
}

static void
assert_accel_for_action (const char *action,
                         const char *accel)
{
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), action);

  g_assert_true (g_strv_contains ((const char * const *) accels, accel));
}

static void
test_shortcuts (void)
{
  static const char *expected[] = {
    "<Control>n", "<Control>Return", "<Control>l", "<Alt>1...6", "<Control>w",
    "<Control>comma", "<Control>question", "<Control>q",
  };
  KgWindow *window = open_window ();
  GtkShortcutsWindow *overlay;
  g_autoptr(GPtrArray) accels = g_ptr_array_new_with_free_func (g_free);

  /* Loaded by GtkApplication from RESOURCE_PREFIX/gtk/help-overlay.ui. */
  overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));
  g_assert_nonnull (overlay);

  collect_accelerators (GTK_WIDGET (overlay), accels);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_true (g_ptr_array_find_with_equal_func (accels, expected[i], g_str_equal, NULL));

  /* The listed app shortcuts are real bindings. */
  assert_accel_for_action ("app.quit", "<Control>q");
  assert_accel_for_action ("app.preferences", "<Control>comma");
  assert_accel_for_action ("win.show-help-overlay", "<Control>question");

  /* app.shortcuts shows the overlay on the active window. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "shortcuts", NULL);
  kg_ui_test_wait_for (kg_ui_test_is_mapped, overlay, "the shortcuts window");
  gtk_widget_set_visible (GTK_WIDGET (overlay), FALSE);

  close_and_finalize (window);
}

static AdwAboutWindow *
find_about_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* transfer none */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (ADW_IS_ABOUT_WINDOW (toplevel))
        return ADW_ABOUT_WINDOW (toplevel);
    }

  return NULL;
}

static gboolean
about_window_is_mapped (gpointer data)
{
  AdwAboutWindow *about = find_about_window ();

  return about != NULL && gtk_widget_get_mapped (GTK_WIDGET (about));
}

static void
test_about (void)
{
  KgWindow *window = open_window ();
  AdwAboutWindow *about;
  gpointer weak;

  g_assert_null (find_about_window ());
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  kg_ui_test_wait_for (about_window_is_mapped, NULL, "the about window");

  about = find_about_window ();
  g_assert_cmpstr (adw_about_window_get_application_name (about), ==, "Keygate");
  g_assert_cmpstr (adw_about_window_get_version (about), ==, PACKAGE_VERSION);
  g_assert_cmpstr (adw_about_window_get_application_icon (about), ==, APP_ID);
  g_assert_cmpint (adw_about_window_get_license_type (about), ==, GTK_LICENSE_GPL_3_0);
  g_assert_cmpstr (adw_about_window_get_website (about), ==, PACKAGE_WEBSITE);
  g_assert_cmpstr (adw_about_window_get_developer_name (about), ==, "The Keygate developers");
  g_assert_nonnull (adw_about_window_get_issue_url (about));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (about)) == GTK_WINDOW (window));

  weak = about;
  g_object_add_weak_pointer (G_OBJECT (about), &weak);
  gtk_window_close (GTK_WINDOW (about));
  kg_ui_test_wait_for (kg_ui_test_is_null, &weak, "the about window to be finalized");

  close_and_finalize (window);
}

static void
test_window_state (void)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_APP_ID);
  KgWindow *window;
  int width = 0;
  int height = 0;

  /* Restored at start... */
  g_settings_set_int (settings, "window-width", 701);
  g_settings_set_int (settings, "window-height", 503);
  g_settings_set_boolean (settings, "window-maximized", FALSE);

  window = open_window ();
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 701);
  g_assert_cmpint (height, ==, 503);
  g_assert_false (gtk_window_is_maximized (GTK_WINDOW (window)));

  /* ...and saved on close. */
  gtk_window_set_default_size (GTK_WINDOW (window), 812, 577);
  close_and_finalize (window);

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 812);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 577);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));

  /* The next window opens with the saved size. */
  window = open_window ();
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 812);
  g_assert_cmpint (height, ==, 577);
  close_and_finalize (window);

  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
}

static void
test_preferences (void)
{
  g_autoptr(GSettings) settings = g_settings_new (BASE_APP_ID);
  KgWindow *window = open_window ();
  GtkWindow *prefs = NULL;
  GListModel *toplevels;
  gpointer weak;

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);

  toplevels = gtk_window_get_toplevels ();  /* transfer none */
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (ADW_IS_PREFERENCES_WINDOW (toplevel))
        prefs = GTK_WINDOW (toplevel);
    }
  g_assert_nonnull (prefs);
  g_assert_true (gtk_window_get_transient_for (prefs) == GTK_WINDOW (window));
  kg_ui_test_wait_for (kg_ui_test_is_mapped, prefs, "the preferences window");

  /* The settings the spin buttons edit are the ones the app reads. */
  g_settings_set_int (settings, "default-timeout", 45);
  {
    GtkSpinButton *spin = GTK_SPIN_BUTTON (gtk_widget_get_template_child (
      GTK_WIDGET (prefs), G_OBJECT_TYPE (prefs), "timeout_spin"));

    g_assert_cmpint (gtk_spin_button_get_value_as_int (spin), ==, 45);
    gtk_spin_button_set_value (spin, 12);
    g_assert_cmpint (g_settings_get_int (settings, "default-timeout"), ==, 12);
  }
  g_settings_reset (settings, "default-timeout");

  weak = prefs;
  g_object_add_weak_pointer (G_OBJECT (prefs), &weak);
  gtk_window_close (prefs);
  kg_ui_test_wait_for (kg_ui_test_is_null, &weak, "the preferences window to be finalized");

  close_and_finalize (window);
}

static const char *const page_names[] = {
  "connection", "key", "token", "create", "history", "two-factor",
};

static guint
n_pages_built (KgWindow *window)
{
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (page_names); i++)
    n += kg_window_is_page_built (window, page_names[i]);
  return n;
}

/* Issue 12: the empty state loads nothing a page needs (not one page, no
 * GtkSourceView, no history); a connection builds the page on screen only;
 * the others are built when shown, with the title and icon the stack
 * showed for them. Runs first: the GtkSourceView check needs a process in
 * which no page was built yet. */
static void
test_pages_built_when_shown (void)
{
  KgWindow *window = open_window ();
  KgAppContext *context = kg_window_get_context (window);
  AdwViewStack *stack = ADW_VIEW_STACK (template_child (window, "view_stack"));
  g_autoptr(KgProfile) profile = kg_test_demo_profile ("alice");
  g_autoptr(GError) error = NULL;

  kg_ui_test_wait_frames (GTK_WIDGET (window), 2);
  g_assert_cmpuint (n_pages_built (window), ==, 0);
  g_assert_cmpuint (g_type_from_name ("GtkSourceView"), ==, 0);
  g_assert_cmpuint (g_type_from_name ("KgResponseView"), ==, 0);
  g_assert_false (kg_history_is_loaded (kg_app_context_get_history (context)));

  g_assert_true (kg_profile_store_add (kg_app_context_get_store (context), profile, &error));
  g_assert_no_error (error);
  kg_window_select_profile (window, profile);
  kg_ui_test_wait_frames (GTK_WIDGET (window), 2);
  g_assert_cmpstr (kg_window_get_visible_page (window), ==, "connection");
  g_assert_true (kg_window_is_page_built (window, "connection"));
  g_assert_cmpuint (n_pages_built (window), ==, 1);
  g_assert_cmpuint (g_type_from_name ("GtkSourceView"), ==, 0);

  /* Shown through the switcher's stack: built then, and the history read. */
  adw_view_stack_set_visible_child_name (stack, "history");
  g_assert_true (kg_window_is_page_built (window, "history"));
  g_assert_cmpuint (n_pages_built (window), ==, 2);
  kg_ui_test_wait_for ((gboolean (*) (gpointer)) kg_history_is_loaded,
                       kg_app_context_get_history (context), "the history to be read");

  for (guint i = 0; i < G_N_ELEMENTS (page_names); i++)
    {
      GtkWidget *page = kg_window_get_page (window, page_names[i]);
      AdwViewStackPage *stack_page = adw_view_stack_get_page (stack,
                                                              gtk_widget_get_parent (page));

      g_assert_nonnull (stack_page);
      g_assert_cmpstr (adw_view_stack_page_get_name (stack_page), ==, page_names[i]);
      g_assert_cmpstr (adw_view_stack_page_get_title (stack_page), ==,
                       kg_page_get_title (KG_PAGE (page)));
      g_assert_cmpstr (adw_view_stack_page_get_icon_name (stack_page), ==,
                       kg_page_get_icon_name (KG_PAGE (page)));
      g_assert_true (kg_page_get_profile (KG_PAGE (page)) == profile);
    }

  g_assert_true (kg_profile_store_remove (kg_app_context_get_store (context), profile, &error));
  g_assert_no_error (error);
  close_and_finalize (window);
}

static KgAppContext *
new_context (void)
{
  g_autoptr(KgProfileStore) store = kg_profile_store_new (NULL);
  g_autoptr(KgHistory) history = kg_history_new (NULL);

  return kg_app_context_new (store, kg_http_get_default (), history, NULL);
}

static guint
url_port (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  g_assert_nonnull (uri);
  return (guint) g_uri_get_port (uri);
}

static void
assert_answers (const char *url)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  connection = g_socket_client_connect_to_uri (client, url, 0, NULL, &error);
  g_assert_no_error (error);
}

/* The built-in demo listens at the same address from one start to the
 * next (the demo connection and the screenshots keep their URL); when
 * another program holds that port it takes another, and still works. */
static void
test_demo_port (void)
{
  g_autoptr(GSocketListener) squatter = g_socket_listener_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address =
    g_inet_socket_address_new (loopback, KG_DEMO_PREFERRED_PORT);
  g_autoptr(GError) error = NULL;
  gboolean held;

  /* Taken: by this test, or already by another program. */
  held = g_socket_listener_add_address (squatter, address, G_SOCKET_TYPE_STREAM,
                                        G_SOCKET_PROTOCOL_TCP, NULL, NULL, &error);
  if (!held)
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE);
  g_clear_error (&error);
  {
    g_autoptr(KgAppContext) context = new_context ();
    const char *url = kg_app_context_ensure_demo_server (context, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (url_port (url), !=, KG_DEMO_PREFERRED_PORT);
    assert_answers (url);
  }
  if (!held)
    {
      g_test_message ("Port %u is held by another program: the free case is not checked",
                      KG_DEMO_PREFERRED_PORT);
      return;
    }

  /* Free again: the demo is at the usual address. */
  g_socket_listener_close (squatter);
  {
    g_autoptr(KgAppContext) context = new_context ();
    const char *url = kg_app_context_ensure_demo_server (context, &error);

    g_assert_no_error (error);
    assert_answers (url);
    if (url_port (url) != KG_DEMO_PREFERRED_PORT)
      {
        /* Only if a test running beside this one took it meanwhile. */
        g_autoptr(GSocketListener) probe = g_socket_listener_new ();

        g_assert_false (g_socket_listener_add_address (probe, address, G_SOCKET_TYPE_STREAM,
                                                       G_SOCKET_PROTOCOL_TCP, NULL, NULL,
                                                       &error));
        g_assert_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE);
        return;
      }
    g_assert_cmpstr (url, ==, "http://127.0.0.1:48069");
  }
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  kg_test_init (&argc, &argv);

  /* NON_UNIQUE: tests must not take over (or talk to) a running Keygate. */
  app = kg_application_new (APP_ID, G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));

  g_test_add_func ("/ui/window/pages-built-when-shown", test_pages_built_when_shown);
  g_test_add_func ("/ui/window/empty-state", test_empty_state);
  g_test_add_func ("/ui/window/primary-menu", test_primary_menu);
  g_test_add_func ("/ui/window/shortcuts", test_shortcuts);
  g_test_add_func ("/ui/window/about", test_about);
  g_test_add_func ("/ui/window/state-saved-and-restored", test_window_state);
  g_test_add_func ("/ui/window/preferences", test_preferences);
  g_test_add_func ("/ui/window/demo-port", test_demo_port);

  ret = g_test_run ();

  /* No finalize check for the application: once registered, GApplication
   * exports itself on the session bus and stays alive until the process
   * ends. The windows above are all checked. */
  g_assert_null (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_clear_object (&app);

  return ret;
}
