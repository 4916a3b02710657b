/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Screenshots of the real window on the Demo connection, one per page, each
 * taken after the page did its work: Connection, API Key after Verify,
 * Token after an exchange, Create Project after a create, Requests after a
 * collection run, History, and the
 * 2FA Doctor after a diagnosis (with a working key and with a refused
 * one). Saved as PNG into $KEYGATE_BUILD_DIR/screenshots/ to be looked at;
 * the best go to data/screenshots/ for the AppStream metainfo.
 *
 *   bash .ci/headless-session meson test -C BUILD --suite screenshots --verbose
 *
 * (a plain `meson test` leaves this suite out: it pictures, it does not
 * check).
 *
 * `--lang LL` (the screenshots-fr and screenshots-ar tests) runs the same
 * steps in that language from the build's translations, the files named
 * LL-NAME.png; Arabic lays the window out right to left.
 *
 * Rendered in-process (GtkSnapshot → GskRenderer → PNG), so the images do
 * not depend on a window manager. Each step checks that the page shows
 * what the picture is meant to show, so a broken flow is not pictured. */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n-lib.h>

#include "kg-create-page.h"
#include "kg-key-page.h"
#include "kg-response-view.h"
#include "kg-test-utils.h"
#include "kg-ui-test-utils.h"
#include "kg-token-page.h"
#include "kg-finding-row.h"
#include "kg-two-factor-panel.h"
#include "kg-window.h"

#define WIDTH  900
#define HEIGHT 640
#define WRONG_KEY "0123456789abcdef0123456789abcdef01234567"

static KgAppContext *context;
static KgWindow     *window;
static KgProfile    *profile;
static KgProfile    *bob;
static const char   *language;   /* NULL: English */

static GtkWidget *
page (const char *name)
{
  GtkWidget *widget = kg_window_get_page (window, name);

  g_assert_nonnull (widget);
  return widget;
}

static gpointer
page_child (const char *page_name,
            const char *name)
{
  GtkWidget *widget = page (page_name);
  GObject *object = gtk_widget_get_template_child (widget, G_OBJECT_TYPE (widget), name);

  if (object == NULL)
    g_error ("The %s page has no \"%s\"", page_name, name);
  return object;
}

static void
show_page (const char *name)
{
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", name);
  g_assert_cmpstr (kg_window_get_visible_page (window), ==, name);
}

static void
shoot_widget (GtkWidget  *widget,
              const char *name)
{
  g_autofree char *file = language ? g_strdup_printf ("%s-%s", language, name) : g_strdup (name);

  g_assert_true (kg_ui_test_save_screenshot (widget, file));
}

static void
shoot (const char *name)
{
  shoot_widget (GTK_WIDGET (window), name);
}

static GtkWidget *
find_button_with_class (GtkWidget  *widget,
                        const char *css_class)
{
  if (GTK_IS_BUTTON (widget) && gtk_widget_has_css_class (widget, css_class))
    return widget;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_button_with_class (c, css_class);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* ---- steps ------------------------------------------------------------ */

static void
test_connection (void)
{
  /* The Demo connection as a token profile (the tutorial module), so the
   * Token page has something to show. */
  show_page ("connection");
  adw_combo_row_set_selected (page_child ("connection", "protocol_combo"), 1);
  g_assert_cmpint (kg_profile_get_protocol (profile), ==, KG_PROTOCOL_TOKEN);
  shoot ("connection");
}

static gboolean
verify_done (gpointer data)
{
  const char *acts_as = adw_action_row_get_subtitle (page_child ("key", "acts_as_row"));

  return gtk_widget_get_sensitive (page_child ("key", "verify_button")) &&
         acts_as != NULL && strstr (acts_as, "(alice)") != NULL;
}

static void
test_key (void)
{
  show_page ("key");
  kg_ui_test_click (page_child ("key", "verify_button"));
  kg_ui_test_wait_for (verify_done, NULL, "the verification to show alice");
  shoot ("key");
}

static gboolean
token_idle (gpointer data)
{
  return !kg_page_get_busy (KG_PAGE (page ("token")));
}

static void
test_token (void)
{
  show_page ("token");
  kg_ui_test_click (page_child ("token", "exchange_button"));
  kg_ui_test_wait_for (token_idle, NULL, "the token exchange");
  g_assert_true (kg_token_client_has_token (kg_app_context_get_token_client (context, profile)));
  shoot ("token");
}

static gboolean
create_idle (gpointer data)
{
  return !kg_page_get_busy (KG_PAGE (page ("create")));
}

static void
test_create (void)
{
  KgResponseView *view = page_child ("create", "response_view");

  show_page ("create");
  gtk_editable_set_text (page_child ("create", "name_row"), "Website relaunch");
  gtk_editable_set_text (page_child ("create", "description_row"),
                         "Tracked from the CI smoke test");
  adw_combo_row_set_selected (page_child ("create", "via_row"), 0);
  kg_ui_test_click (page_child ("create", "send_button"));
  kg_ui_test_wait_for (create_idle, NULL, "the create request");
  g_assert_cmpint (kg_response_view_get_record_id (view), >, 0);
  shoot ("create");
}

/* The error a user without project rights gets: bob, on the same server. */
static void
test_create_denied (void)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(GError) error = NULL;
  GtkWidget *view = page_child ("create", "response_view");

  json_object_set_string_member (object, "name", "Demo (bob)");
  json_object_set_string_member (object, "url", kg_profile_get_url (profile));
  json_object_set_string_member (object, "database", kg_profile_get_database (profile));
  json_object_set_string_member (object, "login", "bob");
  bob = kg_profile_new_from_json (object, &error);
  g_assert_no_error (error);
  kg_profile_store_add (kg_app_context_get_store (context), bob, &error);
  g_assert_no_error (error);
  kg_keyring_store_sync (bob, KG_DEMO_BOB_KEY, NULL, &error);
  g_assert_no_error (error);

  kg_window_select_profile (window, bob);
  show_page ("create");
  gtk_editable_set_text (page_child ("create", "name_row"), "Quarterly budget review");
  kg_ui_test_click (page_child ("create", "send_button"));
  kg_ui_test_wait_for (create_idle, NULL, "the create request");
  g_assert_cmpint (kg_response_view_get_record_id (KG_RESPONSE_VIEW (view)), ==, 0);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (gtk_widget_get_template_child (
                   view, KG_TYPE_RESPONSE_VIEW, "error_box"))));
  shoot ("create-denied");
  kg_window_select_profile (window, profile);
}

static gboolean
requests_idle (gpointer data)
{
  return !kg_page_get_busy (KG_PAGE (page ("requests"))) &&
         !kg_response_view_get_loading (page_child ("requests", "response_view"));
}

#define COLLECTION_JSON \
  "{ \"keygate_collection\": 1, \"name\": \"Projects smoke test\", \"requests\": [\n" \
  "  { \"name\": \"List projects\", \"call\": { \"model\": \"project.project\",\n" \
  "    \"method\": \"search_read\", \"args\": [[]], \"kwargs\": { \"fields\": [\"name\"] } } },\n" \
  "  { \"name\": \"Count contacts\", \"call\": { \"model\": \"res.partner\",\n" \
  "    \"method\": \"search_count\", \"args\": [[]] } },\n" \
  "  { \"name\": \"Projects over REST\", \"http\": { \"method\": \"GET\",\n" \
  "    \"path\": \"/api/projects\", \"auth\": \"token\" } },\n" \
  "  { \"name\": \"Read a missing model\", \"call\": { \"model\": \"x_fleet.vehicle\",\n" \
  "    \"method\": \"search_read\", \"args\": [[]] } } ] }\n"

/* The Requests page after a collection run: three requests pass, one
 * fails and says why. */
static void
test_requests (void)
{
  g_autofree char *path = g_build_filename (kg_test_get_tmpdir (), "projects-smoke.json", NULL);
  g_autoptr(GError) error = NULL;
  GtkSingleSelection *selection;

  g_file_set_contents (path, COLLECTION_JSON, -1, &error);
  g_assert_no_error (error);
  show_page ("requests");
  g_assert_true (gtk_widget_activate_action (page ("requests"), "page.open-recent", "s", path));
  selection = GTK_SINGLE_SELECTION (gtk_list_view_get_model (page_child ("requests",
                                                                         "request_list")));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection)), ==, 4);
  g_assert_true (gtk_widget_activate_action (page ("requests"), "page.run-all", NULL));
  kg_ui_test_wait_for (requests_idle, NULL, "the collection run");
  g_assert_true (gtk_widget_get_visible (page_child ("requests", "run_summary_label")));
  gtk_single_selection_set_selected (selection, 0);
  kg_ui_test_wait_for (requests_idle, NULL, "the answer to be shown");
  shoot ("requests");
}

static void
test_history (void)
{
  show_page ("history");
  shoot ("history");
}

static gboolean
diagnosis_done (gpointer data)
{
  KgTwoFactorPanel *panel = KG_TWO_FACTOR_PANEL (page ("two-factor"));

  return !kg_page_get_busy (KG_PAGE (panel)) &&
         g_list_model_get_n_items (kg_two_factor_panel_get_findings (panel)) > 0;
}

static void
test_two_factor (void)
{
  show_page ("two-factor");
  kg_two_factor_panel_run (KG_TWO_FACTOR_PANEL (page ("two-factor")));
  kg_ui_test_wait_for (diagnosis_done, NULL, "the diagnosis");
  shoot ("two-factor");
}

static void
test_two_factor_problem (void)
{
  g_autoptr(GError) error = NULL;
  KgTwoFactorPanel *panel = KG_TWO_FACTOR_PANEL (page ("two-factor"));
  GtkWidget *scrolled;

  /* The case Keygate exists for: the stored key is refused. */
  kg_keyring_store_sync (profile, WRONG_KEY, NULL, &error);
  g_assert_no_error (error);
  kg_two_factor_panel_run (panel);
  kg_ui_test_wait_for (diagnosis_done, NULL, "the diagnosis");

  /* Scrolled to the findings. */
  scrolled = gtk_widget_get_ancestor (GTK_WIDGET (page_child ("two-factor", "findings_list")),
                                      GTK_TYPE_SCROLLED_WINDOW);
  if (scrolled != NULL)
    {
      GtkScrolledWindow *window_scroll = GTK_SCROLLED_WINDOW (scrolled);
      GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (window_scroll);
      graphene_point_t point;

      kg_ui_test_wait_frames (scrolled, 2);
      if (gtk_widget_compute_point (GTK_WIDGET (page_child ("two-factor", "diagnosis_group")),
                                    gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled)),
                                    &GRAPHENE_POINT_INIT (0, 0), &point))
        gtk_adjustment_set_value (adjustment, point.y - 12);
    }
  shoot ("two-factor-problem");

  /* The exchange behind the refused key, in the response view. */
  {
    GtkListBox *list = page_child ("two-factor", "findings_list");
    GtkWidget *button = NULL;
    GListModel *toplevels = gtk_window_get_toplevels ();
    GtkWidget *dialog = NULL;
    gpointer weak;

    for (int i = 0; button == NULL; i++)
      {
        GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, i);
        KgFinding *finding;

        g_assert_nonnull (row);
        finding = kg_finding_row_get_finding (KG_FINDING_ROW (row));
        if (finding != NULL && g_strcmp0 (kg_finding_get_check (finding), "api-key") == 0)
          button = find_button_with_class (GTK_WIDGET (row), "kg-show-exchange");
      }
    kg_ui_test_click (button);
    for (guint i = 0; i < g_list_model_get_n_items (toplevels) && dialog == NULL; i++)
      {
        g_autoptr(GtkWidget) toplevel = g_list_model_get_item (toplevels, i);

        if (ADW_IS_WINDOW (toplevel) && toplevel != GTK_WIDGET (window))
          dialog = toplevel;
      }
    g_assert_nonnull (dialog);
    kg_ui_test_wait_for (kg_ui_test_is_mapped, dialog, "the exchange window");
    shoot_widget (dialog, "two-factor-exchange");
    weak = dialog;
    g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
    gtk_window_destroy (GTK_WINDOW (dialog));
    kg_ui_test_wait_for (kg_ui_test_is_null, &weak, "the exchange window to close");
  }
}

static gboolean
is_narrow (gpointer data)
{
  return gtk_widget_get_width (GTK_WIDGET (window)) <= 400;
}

/* The smallest size the window allows (a phone): the 2FA doctor folded. */
static void
test_two_factor_narrow (void)
{
  /* Without a window manager a mapped window keeps its size: map it anew. */
  gtk_widget_set_visible (GTK_WIDGET (window), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 720);
  gtk_window_present (GTK_WINDOW (window));
  kg_ui_test_wait_for (is_narrow, NULL, "the window to become narrow");
  show_page ("two-factor");
  shoot ("two-factor-narrow");
}

static gboolean
has_key (gpointer data)
{
  return kg_app_context_get_has_key (context, profile) == KG_TRISTATE_TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(KgProfileStore) store = NULL;
  g_autoptr(KgHistory) history = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  gpointer weak;
  int ret;

  /* --lang LL: the build's translations into LL, before GTK reads the
   * locale (its text direction comes from its own translation). */
  if (argc > 2 && g_str_equal (argv[1], "--lang"))
    {
      g_autofree char *localedir = g_build_filename (g_getenv ("KEYGATE_BUILD_DIR"), "po", NULL);

      language = argv[2];
      g_setenv ("LANGUAGE", language, TRUE);
      bindtextdomain (GETTEXT_PACKAGE, localedir);
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      /* The templates' strings come from the default domain, as in the app. */
      textdomain (GETTEXT_PACKAGE);
      argv[2] = argv[0];
      argv += 2;
      argc -= 2;
    }

  kg_test_init (&argc, &argv);
  gtk_init ();
  adw_init ();

  store = kg_profile_store_new (NULL);
  history = kg_history_new (NULL);
  settings = g_settings_new (BASE_APP_ID);
  context = kg_app_context_new (store, kg_http_get_default (), history, settings);

  /* What a first run offers: the Demo connection, its key in the keyring. */
  profile = kg_app_context_add_demo_profile (context, &error);
  g_assert_no_error (error);
  kg_ui_test_wait_for (has_key, NULL, "the demo key to be stored");

  window = kg_window_new_with_context (NULL, context);
  gtk_window_set_default_size (GTK_WINDOW (window), WIDTH, HEIGHT);
  gtk_window_present (GTK_WINDOW (window));
  kg_ui_test_wait_for (kg_ui_test_is_mapped, window, "the window to be mapped");
  kg_window_select_profile (window, profile);

  g_test_add_func ("/screenshots/connection", test_connection);
  g_test_add_func ("/screenshots/key", test_key);
  g_test_add_func ("/screenshots/token", test_token);
  g_test_add_func ("/screenshots/create", test_create);
  g_test_add_func ("/screenshots/create-denied", test_create_denied);
  g_test_add_func ("/screenshots/requests", test_requests);
  g_test_add_func ("/screenshots/history", test_history);
  g_test_add_func ("/screenshots/two-factor", test_two_factor);
  g_test_add_func ("/screenshots/two-factor-problem", test_two_factor_problem);
  g_test_add_func ("/screenshots/two-factor-narrow", test_two_factor_narrow);
  ret = g_test_run ();

  kg_keyring_clear_sync (profile, NULL, NULL);
  if (bob != NULL)
    kg_keyring_clear_sync (bob, NULL, NULL);
  weak = window;
  g_object_add_weak_pointer (G_OBJECT (window), &weak);
  gtk_window_close (GTK_WINDOW (window));
  kg_ui_test_wait_for (kg_ui_test_is_null, &weak, "the window to be finalized");
  g_clear_object (&profile);
  g_clear_object (&bob);
  g_clear_object (&context);

  return ret;
}
