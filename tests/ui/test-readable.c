/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Issue 14, "the window a user can read and trust", through the real
 * window against the demo server: a server's error explanation fits the
 * window whatever its length, one error does not fold the window, failed
 * calls lead with their outcome in words. */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "kg-connection-page.h"
#include "kg-create-page.h"
#include "kg-response-view.h"
#include "kg-two-factor-panel.h"
#include "kg-test-utils.h"
#include "kg-ui-test-utils.h"
#include "kg-window.h"

static struct
{
  KgAppContext *context;
  KgProfile    *bob;     /* may not create projects */
  KgProfile    *alice;
  KgProfile    *ci;      /* alice's CI key, which expires in 10 days */
} f;

/* ---- widgets ---------------------------------------------------------- */

static gpointer
page_child (KgWindow   *window,
            const char *page_name,
            const char *name)
{
  GtkWidget *page = kg_window_get_page (window, page_name);

  g_assert_nonnull (page);
  return kg_ui_test_template_child (page, G_OBJECT_TYPE (page), name);
}

static gpointer
view_child (GtkWidget  *view,
            const char *name)
{
  return kg_ui_test_template_child (view, KG_TYPE_RESPONSE_VIEW, name);
}

static KgWindow *
open_window (int width,
             int height)
{
  KgWindow *window = kg_window_new_with_context (NULL, f.context);

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  kg_ui_test_wait_for (kg_ui_test_is_mapped, window, "the window to be mapped");
  return window;
}

static void
close_window (KgWindow *window)
{
  gpointer weak = window;

  g_object_add_weak_pointer (G_OBJECT (window), &weak);
  gtk_window_destroy (GTK_WINDOW (window));
  kg_ui_test_wait_for (kg_ui_test_is_null, &weak, "the window to be finalized");
}

static void
show_page (KgWindow   *window,
           const char *name)
{
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", name);
  g_assert_cmpstr (kg_window_get_visible_page (window), ==, name);
}

/* A red, full-weight button among a page's main controls (the HIG keeps
 * destructive actions in menus or at the end, quieter). */
static GtkWidget *
find_destructive_button (GtkWidget *widget)
{
  if (!gtk_widget_get_mapped (widget))
    return NULL;
  if (GTK_IS_BUTTON (widget) && gtk_widget_has_css_class (widget, "destructive-action"))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_destructive_button (c);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static int
min_width (GtkWidget *widget)
{
  int min = 0;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  return min;
}

/* Says which widgets under @widget ask for @at_least pixels or more: what
 * to look at when a page is too wide. */
static void
dump_min_widths (GtkWidget *widget,
                 int        at_least,
                 int        depth)
{
  int min;

  if (depth > 16 || !gtk_widget_get_visible (widget))
    return;
  min = min_width (widget);
  if (min < at_least)
    return;
  g_test_message ("%*s%s %s: minimum width %d", depth, "", G_OBJECT_TYPE_NAME (widget),
                  GTK_IS_LABEL (widget) ? gtk_label_get_label (GTK_LABEL (widget))
                                        : gtk_widget_get_name (widget), min);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    dump_min_widths (c, at_least, depth + 1);
}

/* Fails unless @widget is drawn and lies inside @window horizontally. */
static void
assert_inside (KgWindow   *window,
               GtkWidget  *widget,
               const char *what)
{
  graphene_rect_t bounds;
  int width = gtk_widget_get_width (GTK_WIDGET (window));

  g_assert_true (gtk_widget_get_mapped (widget));
  g_assert_true (gtk_widget_compute_bounds (widget, GTK_WIDGET (window), &bounds));
  if (g_getenv ("DUMP"))
    dump_min_widths (kg_window_get_page (window, "create"), 100, 0);
  g_test_message ("%s: x %.0f, width %.0f in a window %d wide", what,
                  bounds.origin.x, bounds.size.width, width);
  if (bounds.origin.x < 0 || bounds.origin.x + bounds.size.width > width + 0.5 ||
      bounds.size.width < 1)
    g_error ("%s is laid out at x %.0f, %.0f wide: outside a window %d wide", what,
             bounds.origin.x, bounds.size.width, width);
}

/* Every mapped label under @widget lies inside the window. */
static void
assert_labels_inside (KgWindow  *window,
                      GtkWidget *widget)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      if (!gtk_widget_get_mapped (c))
        continue;
      if (GTK_IS_LABEL (c) && gtk_label_get_label (GTK_LABEL (c))[0] != '\0')
        {
          g_autofree char *what = g_strdup_printf ("The label “%.40s”",
                                                   gtk_label_get_label (GTK_LABEL (c)));

          assert_inside (window, c, what);
        }
      assert_labels_inside (window, c);
    }
}

static gboolean
list_has_items (gpointer data)
{
  GtkSelectionModel *model = gtk_list_view_get_model (GTK_LIST_VIEW (data));

  return model != NULL && g_list_model_get_n_items (G_LIST_MODEL (model)) > 0;
}

static gboolean
page_idle (gpointer data)
{
  return !kg_page_get_busy (KG_PAGE (data));
}

/* bob presses Send on the Create Project page over JSON-RPC: Odoo's access
 * error (the longest real message in the protocol captures). */
static GtkWidget *
create_as_bob (KgWindow *window,
               int      *page_min)
{
  GtkWidget *page = kg_window_get_page (window, "create");

  kg_window_select_profile (window, f.bob);
  show_page (window, "create");
  kg_ui_test_wait_frames (GTK_WIDGET (window), 2);
  if (page_min != NULL)
    *page_min = min_width (page);
  adw_combo_row_set_selected (page_child (window, "create", "via_row"), 1);
  gtk_editable_set_text (page_child (window, "create", "name_row"), "Not allowed");
  g_assert_true (gtk_widget_activate_action (page, "page.send", NULL));
  kg_ui_test_wait_for (page_idle, page, "the create call to end");
  return page_child (window, "create", "response_view");
}

/* ---- 1. error explanations fit ----------------------------------------- */

/* Scrolls the page holding @widget so that it is at the top (for the
 * screenshot: the bounds checked do not depend on scrolling). */
static void
scroll_to (GtkWidget *widget)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkWidget *content;
  graphene_point_t point;

  if (scroller == NULL)
    return;
  content = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller));
  if (GTK_IS_VIEWPORT (content))
    content = gtk_viewport_get_child (GTK_VIEWPORT (content));
  if (!gtk_widget_compute_point (widget, content, &GRAPHENE_POINT_INIT (0, 0), &point))
    return;
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller)),
                            point.y - 12);
  kg_ui_test_wait_frames (widget, 2);
}

/* @page_min: the most the page showing @view may ask for, before the error
 * or the narrowest window. */
static void
assert_error_fits (KgWindow   *window,
                   GtkWidget  *view,
                   GtkWidget  *page,
                   int         page_min,
                   const char *shot)
{
  kg_ui_test_wait_frames (GTK_WIDGET (window), 3);
  scroll_to (view_child (view, "status_label"));
  kg_ui_test_save_screenshot (GTK_WIDGET (window), shot);
  g_assert_true (gtk_widget_get_visible (view_child (view, "error_box")));
  g_assert_nonnull (strstr (gtk_label_get_label (view_child (view, "error_message_label")),
                            "Project/Administrator"));
  assert_inside (window, view_child (view, "status_label"), "The status");
  assert_inside (window, view_child (view, "curl_button"), "Copy as curl");
  assert_inside (window, view_child (view, "error_box"), "The error card");
  assert_labels_inside (window, view_child (view, "error_box"));
  assert_labels_inside (window, gtk_widget_get_parent (view_child (view, "status_label")));

  /* What the server said sets no minimum width. */
  g_test_message ("page minimum width %d, at most %d", min_width (page), page_min);
  if (min_width (page) > page_min)
    dump_min_widths (page, page_min / 2, 0);
  g_assert_cmpint (min_width (page), <=, page_min);
}

static void
set_large_text (gboolean large)
{
  g_object_set (gtk_settings_get_default (), "gtk-xft-dpi", (large ? 120 : 96) * 1024, NULL);
}

static void
test_error_fits (void)
{
  const int widths[] = { 900, 360 };

  for (guint large = 0; large < 2; large++)
    for (guint i = 0; i < G_N_ELEMENTS (widths); i++)
      {
        KgWindow *window;
        GtkWidget *view;
        g_autofree char *shot = g_strdup_printf ("readable-error-%d%s", widths[i],
                                                 large ? "-large" : "");

        set_large_text (large);
        window = open_window (widths[i], 640);
        view = create_as_bob (window, NULL);
        assert_error_fits (window, view, kg_window_get_page (window, "create"), 360, shot);
        close_window (window);
      }
  set_large_text (FALSE);
}

/* Where the newest failed create is in the History list. */
static guint
failed_create_position (GtkListView *list)
{
  GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (list));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KgExchange) exchange = g_list_model_get_item (model, i);

      if (g_strcmp0 (kg_exchange_get_label (exchange),
                     "object.execute_kw project.project create") == 0 &&
          g_strcmp0 (kg_exchange_get_outcome (exchange), "ok") != 0)
        return i;
    }
  g_error ("The History list has no failed create");
}

/* The same error reopened from History. */
static void
test_history_error_fits (void)
{
  KgWindow *window = open_window (900, 640);
  GtkWidget *view;
  GtkListView *list;
  int page_min;

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  create_as_bob (window, NULL);
  show_page (window, "history");
  kg_ui_test_wait_frames (GTK_WIDGET (window), 2);
  page_min = min_width (kg_window_get_page (window, "history"));
  list = page_child (window, "history", "list_view");
  kg_ui_test_wait_for (list_has_items, list, "the failed call in the history");
  g_signal_emit_by_name (list, "activate", failed_create_position (list));
  view = page_child (window, "history", "response_view");
  kg_ui_test_wait_frames (GTK_WIDGET (window), 3);
  assert_error_fits (window, view, kg_window_get_page (window, "history"), MAX (page_min, 360),
                     "readable-error-history-dark");
  close_window (window);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_DEFAULT);
}

/* ---- 2. the fold depends on the window's width only -------------------- */

/* A mapped label under @widget showing @text whole (not ellipsized). */
static GtkWidget *
find_shown_label (GtkWidget  *widget,
                  const char *text)
{
  if (!gtk_widget_get_mapped (widget))
    return NULL;
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0 &&
      !pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (widget))))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_shown_label (c, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A mapped button under @widget that opens the primary menu. */
static GtkWidget *
find_primary_menu (GtkWidget *widget)
{
  if (!gtk_widget_get_mapped (widget))
    return NULL;
  if (GTK_IS_MENU_BUTTON (widget) &&
      g_strcmp0 (gtk_menu_button_get_icon_name (GTK_MENU_BUTTON (widget)),
                 "open-menu-symbolic") == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_primary_menu (c);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
is_folded (KgWindow *window)
{
  return adw_leaflet_get_folded (kg_ui_test_template_child (window, KG_TYPE_WINDOW, "leaflet"));
}

static void
test_fold_by_width (void)
{
  static const char * const pages[] = {
    "connection", "key", "token", "create", "requests", "history", "two-factor",
  };

  for (guint large = 0; large < 2; large++)
    {
      KgWindow *window;
      GtkWidget *content;

      set_large_text (large);
      window = open_window (900, 640);
      content = kg_ui_test_template_child (window, KG_TYPE_WINDOW, "content_pane");
      create_as_bob (window, NULL);
      kg_ui_test_wait_frames (GTK_WIDGET (window), 3);
      g_assert_false (is_folded (window));

      /* Whatever page is shown, and whatever it showed before. */
      for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
        {
          gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", pages[i]);
          if (g_strcmp0 (kg_window_get_visible_page (window), pages[i]) != 0)
            continue;   /* not for this connection (the Token page) */
          kg_ui_test_wait_frames (GTK_WIDGET (window), 2);
          g_assert_false (is_folded (window));
          g_assert_cmpint (min_width (content), <=, 360);
        }
      close_window (window);
    }
  set_large_text (FALSE);
}

/* Folded, the content shows the connection's name and the list keeps the
 * primary menu. */
static void
test_folded_layout (void)
{
  KgWindow *window = open_window (360, 640);

  create_as_bob (window, NULL);
  kg_ui_test_wait_frames (GTK_WIDGET (window), 3);
  g_assert_true (is_folded (window));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, 360);
  kg_ui_test_save_screenshot (GTK_WIDGET (window), "readable-folded-content");
  if (find_shown_label (GTK_WIDGET (window), kg_profile_get_name (f.bob)) == NULL)
    g_error ("Folded, the window does not show the connection's name");
  g_assert_nonnull (find_primary_menu (GTK_WIDGET (window)));

  kg_ui_test_click (kg_ui_test_template_child (window, KG_TYPE_WINDOW, "back_button"));
  kg_ui_test_wait_frames (GTK_WIDGET (window), 3);
  kg_ui_test_save_screenshot (GTK_WIDGET (window), "readable-folded-list");
  g_assert_true (gtk_widget_get_mapped (kg_ui_test_template_child (window, KG_TYPE_WINDOW,
                                                                  "connection_list")));
  g_assert_nonnull (find_primary_menu (GTK_WIDGET (window)));
  close_window (window);
}

/* ---- 6. failed calls lead with their outcome in words ------------------- */

/* The first KgHistoryRow under @widget whose title is @title. */
static GtkWidget *
find_history_row (GtkWidget  *widget,
                  const char *title)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, g_type_from_name ("KgHistoryRow")) &&
      g_strcmp0 (gtk_label_get_label (kg_ui_test_template_child (widget, G_OBJECT_TYPE (widget),
                                                                 "title_label")), title) == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_history_row (c, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_outcome_in_words (void)
{
  KgWindow *window = open_window (900, 640);
  GtkWidget *view = create_as_bob (window, NULL);
  const char *title = kg_error_code_title (KG_ERROR_ACCESS_ERROR);
  GtkWidget *status = view_child (view, "status_label");
  GtkWidget *detail = view_child (view, "error_status_label");
  GtkListView *list;
  GtkWidget *row;
  GtkWidget *row_status;

  /* Odoo said "200 OK"; the heading says what happened. */
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (status)), ==, title);
  g_assert_true (gtk_widget_has_css_class (status, "error"));
  g_assert_false (gtk_widget_has_css_class (status, "warning"));
  g_assert_false (gtk_widget_has_css_class (status, "success"));
  /* The status is a detail, and the title is not said twice. */
  g_assert_true (gtk_widget_get_mapped (detail));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (detail)), "200"));
  g_assert_false (gtk_widget_get_mapped (view_child (view, "error_title_label")));
  scroll_to (status);
  kg_ui_test_save_screenshot (GTK_WIDGET (window), "readable-outcome");

  /* History: the outcome in words, the 200 not green. */
  show_page (window, "history");
  list = page_child (window, "history", "list_view");
  kg_ui_test_wait_for (list_has_items, list, "the failed call in the history");
  kg_ui_test_wait_frames (GTK_WIDGET (window), 3);
  row = find_history_row (GTK_WIDGET (list), "object.execute_kw project.project create");
  g_assert_nonnull (row);
  g_assert_cmpstr (gtk_label_get_label (kg_ui_test_template_child (row, G_OBJECT_TYPE (row),
                                                                   "outcome_label")), ==, title);
  row_status = kg_ui_test_template_child (row, G_OBJECT_TYPE (row), "status_label");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (row_status)), ==, "200");
  g_assert_false (gtk_widget_has_css_class (row_status, "success"));
  kg_ui_test_save_screenshot (GTK_WIDGET (window), "readable-outcome-history");
  close_window (window);
}

/* ---- 3. "Key expires" names the stored key ------------------------------ */

/* The spinner the API Key page shows while it asks the server. */
static gboolean
verify_done (gpointer data)
{
  return !gtk_widget_get_visible (GTK_WIDGET (data));
}

/* Types @key_name (NULL: leaves it) on the API Key page of @profile, presses
 * Verify and returns the expiry row. */
static GtkWidget *
verify_key (KgWindow   *window,
            KgProfile  *profile,
            const char *key_name)
{
  GtkWidget *button;

  kg_window_select_profile (window, profile);
  show_page (window, "key");
  if (key_name != NULL)
    gtk_editable_set_text (page_child (window, "key", "key_name_row"), key_name);
  button = page_child (window, "key", "verify_button");
  kg_ui_test_click (button);
  g_assert_true (gtk_widget_get_visible (page_child (window, "key", "verify_spinner")));
  kg_ui_test_wait_for (verify_done, page_child (window, "key", "verify_spinner"),
                       "the verification");
  kg_ui_test_wait_frames (GTK_WIDGET (window), 2);
  g_assert_false (gtk_widget_get_visible (page_child (window, "key", "verify_error_label")));
  return page_child (window, "key", "expiry_row");
}

/* The key's facts are the page's headline; "May create projects: no"
 * stands out (bob), "yes" does not (alice). */
static void
test_key_facts (void)
{
  KgWindow *window = open_window (900, 640);
  GtkWidget *can_create = page_child (window, "key", "can_create_row");

  verify_key (window, f.bob, NULL);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (can_create)), ==, "no");
  g_assert_true (gtk_widget_has_css_class (can_create, "warning"));
  g_assert_true (gtk_widget_has_css_class (page_child (window, "key", "acts_as_row"), "kg-fact"));
  kg_ui_test_save_screenshot (GTK_WIDGET (window), "readable-key-facts-bob");
  verify_key (window, f.alice, NULL);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (can_create)), ==, "yes");
  g_assert_false (gtk_widget_has_css_class (can_create, "warning"));
  close_window (window);
}

/* Field hints go in placeholders, subtitles or tooltips, never in the
 * field's name: no page says "(optional)", "(required)" or "(e.g." in a
 * label. */
static void
test_no_hints_in_labels (void)
{
  static const char * const pages[] = { "connection", "key", "create", "requests", "history",
                                         "two-factor" };
  KgWindow *window = open_window (900, 640);

  kg_window_select_profile (window, f.alice);
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autofree char *text = NULL;

      show_page (window, pages[i]);
      text = kg_ui_test_dup_tree_text (kg_window_get_page (window, pages[i]));
      if (strstr (text, "(optional)") || strstr (text, "(required)") || strstr (text, "(e.g."))
        g_error ("The %s page has a hint in a label: %s", pages[i], text);
    }
  close_window (window);
}

static void
test_key_expiry (void)
{
  KgWindow *window = open_window (900, 640);
  GtkWidget *row;
  const char *text;

  /* alice has two keys, the connection names none. */
  row = verify_key (window, f.alice, "");
  text = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
  g_assert_cmpstr (text, ==, "Unknown — this user has 2 keys; name yours to match");
  kg_ui_test_save_screenshot (GTK_WIDGET (window), "readable-key-ambiguous");

  /* A name that matches none of them. */
  row = verify_key (window, f.alice, "No such key");
  text = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
  g_assert_nonnull (strstr (text, "no key of this user is named “No such key”"));
  g_assert_true (gtk_widget_has_css_class (row, "warning"));

  /* Her own key's date, not the CI key's (which expires first). */
  row = verify_key (window, f.alice, "Keygate demo");
  text = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
  g_assert_null (strstr (text, "Unknown"));
  g_assert_null (strstr (text, " — in "));
  g_assert_false (gtk_widget_has_css_class (row, "warning"));
  g_assert_false (gtk_widget_has_css_class (row, "error"));

  /* The CI key expires in 10 days: said, and styled. */
  row = verify_key (window, f.ci, NULL);
  text = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
  g_assert_nonnull (strstr (text, "in 10 days; create a new key before then"));
  g_assert_true (gtk_widget_has_css_class (row, "warning"));
  kg_ui_test_save_screenshot (GTK_WIDGET (window), "readable-key-soon");

  kg_profile_set_key_name (f.alice, NULL);
  close_window (window);
}

/* ---- 17. narrow -------------------------------------------------------- */

static gboolean
is_heading (GtkWidget *label)
{
  static const char * const classes[] = {
    "heading", "title", "title-1", "title-2", "title-3", "title-4",
  };

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    if (gtk_widget_has_css_class (label, classes[i]))
      return TRUE;
  return FALSE;
}

/* Counts the mapped headings under @widget that are ellipsized, and says
 * which. */
static guint
count_cut_headings (GtkWidget  *widget,
                    const char *where)
{
  guint n = 0;

  if (!gtk_widget_get_mapped (widget))
    return 0;
  if (GTK_IS_LABEL (widget) && is_heading (widget) &&
      pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (widget))))
    {
      g_test_message ("%s: the heading “%s” is cut", where,
                      gtk_label_get_text (GTK_LABEL (widget)));
      n++;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    n += count_cut_headings (c, where);
  return n;
}

static void
test_narrow (void)
{
  static const char * const pages[] = {
    "connection", "key", "token", "create", "requests", "history", "two-factor",
  };

  for (guint large = 0; large < 2; large++)
    {
      KgWindow *window;

      set_large_text (large);
      window = open_window (360, 640);
      kg_window_select_profile (window, f.alice);
      for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
        {
          GtkWidget *page;
          g_autofree char *shot = NULL;

          gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", pages[i]);
          if (g_strcmp0 (kg_window_get_visible_page (window), pages[i]) != 0)
            continue;
          page = kg_window_get_page (window, pages[i]);
          kg_ui_test_wait_frames (GTK_WIDGET (window), 3);
          shot = g_strdup_printf ("readable-narrow-%s%s", pages[i], large ? "-large" : "");
          kg_ui_test_save_screenshot (GTK_WIDGET (window), shot);
          g_test_message ("%s: minimum width %d", shot, min_width (page));
          if (min_width (page) > gtk_widget_get_width (GTK_WIDGET (window)))
            dump_min_widths (page, 150, 0);
          g_assert_cmpint (min_width (page), <=, gtk_widget_get_width (GTK_WIDGET (window)));
          g_assert_cmpuint (count_cut_headings (page, shot), ==, 0);
        }
      close_window (window);
    }
  set_large_text (FALSE);
}

/* Folded, the page switcher is icons only, each named; unfolded, the
 * usual switcher bar with titles. */
static void
test_narrow_switcher (void)
{
  KgWindow *window = open_window (360, 640);
  GtkWidget *icons = kg_ui_test_template_child (window, KG_TYPE_WINDOW, "icon_switcher");
  AdwViewSwitcherBar *bar = kg_ui_test_template_child (window, KG_TYPE_WINDOW, "switcher_bar");
  GtkWidget *history = NULL;
  guint n_shown = 0;

  kg_window_select_profile (window, f.bob);
  kg_ui_test_wait_frames (GTK_WIDGET (window), 3);
  g_assert_true (is_folded (window));
  g_assert_true (gtk_widget_get_mapped (icons));
  g_assert_false (adw_view_switcher_bar_get_reveal (bar));
  for (GtkWidget *b = gtk_widget_get_first_child (icons); b; b = gtk_widget_get_next_sibling (b))
    {
      if (!gtk_widget_get_mapped (b))
        continue;
      n_shown++;
      assert_inside (window, b, "A page button");
      g_assert_nonnull (gtk_widget_get_tooltip_text (b));
      if (g_strcmp0 (gtk_widget_get_tooltip_text (b), "History") == 0)
        history = b;
    }
  g_assert_cmpuint (n_shown, ==, 6);   /* bob has no Token page */
  g_assert_nonnull (history);
  kg_ui_test_click (history);
  g_assert_cmpstr (kg_window_get_visible_page (window), ==, "history");
  kg_ui_test_save_screenshot (GTK_WIDGET (window), "readable-narrow-switcher");
  close_window (window);

  window = open_window (900, 640);
  kg_window_select_profile (window, f.bob);
  kg_ui_test_wait_frames (GTK_WIDGET (window), 3);
  g_assert_false (gtk_widget_get_visible (kg_ui_test_template_child (window, KG_TYPE_WINDOW,
                                                                    "icon_switcher")));
  close_window (window);
}

/* ---- 15. no DNS phase for an IP literal -------------------------------- */

static void
test_timing_ip_literal (void)
{
  KgWindow *window = open_window (900, 640);
  GtkWidget *view = create_as_bob (window, NULL);
  GtkWidget *timing = view_child (view, "timing_bar");

  g_assert_true (g_str_has_prefix (kg_profile_get_url (f.bob), "http://127.0.0.1:"));
  adw_view_stack_set_visible_child_name (view_child (view, "view_stack"), "timing");
  kg_ui_test_wait_frames (GTK_WIDGET (window), 3);
  g_assert_true (gtk_widget_get_mapped (timing));
  g_assert_nonnull (find_shown_label (timing, "Total"));
  if (find_shown_label (timing, "DNS") != NULL)
    g_error ("The timing of a call to 127.0.0.1 shows a DNS phase");
  scroll_to (timing);
  kg_ui_test_save_screenshot (GTK_WIDGET (window), "readable-timing-ip");
  close_window (window);
}

/* ---- 5. each connection keeps its own Create Project draft -------------- */

static void
test_create_drafts (void)
{
  KgWindow *window = open_window (900, 640);
  GtkEditable *name = page_child (window, "create", "name_row");
  GtkEditable *description = page_child (window, "create", "description_row");
  GtkTextView *extra = page_child (window, "create", "extra_view");
  GtkScrolledWindow *scroller = page_child (window, "create", "scroller");
  GtkTextIter start, end;
  g_autofree char *extra_text = NULL;

  /* bob's failed create leaves the page scrolled down to the answer. */
  create_as_bob (window, NULL);
  gtk_editable_set_text (description, "bob's description");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (extra), "{\"color\": 3}", -1);
  scroll_to (view_child (page_child (window, "create", "response_view"), "status_label"));
  g_assert_cmpfloat (gtk_adjustment_get_value (gtk_scrolled_window_get_vadjustment (scroller)),
                     >, 0);

  /* alice's form is her own: empty, and shown from its heading. */
  kg_window_select_profile (window, f.alice);
  kg_ui_test_wait_frames (GTK_WIDGET (window), 2);
  g_assert_cmpstr (gtk_editable_get_text (name), ==, "");
  g_assert_cmpstr (gtk_editable_get_text (description), ==, "");
  g_assert_cmpfloat (gtk_adjustment_get_value (gtk_scrolled_window_get_vadjustment (scroller)),
                     ==, 0);
  kg_ui_test_save_screenshot (GTK_WIDGET (window), "readable-create-alice");
  gtk_editable_set_text (name, "alice's project");

  /* Back to bob: his draft, as he left it. */
  kg_window_select_profile (window, f.bob);
  g_assert_cmpstr (gtk_editable_get_text (name), ==, "Not allowed");
  g_assert_cmpstr (gtk_editable_get_text (description), ==, "bob's description");
  gtk_text_buffer_get_bounds (gtk_text_view_get_buffer (extra), &start, &end);
  extra_text = gtk_text_buffer_get_text (gtk_text_view_get_buffer (extra), &start, &end, FALSE);
  g_assert_cmpstr (extra_text, ==, "{\"color\": 3}");
  g_assert_cmpuint (adw_combo_row_get_selected (page_child (window, "create", "via_row")), ==, 1);

  kg_window_select_profile (window, f.alice);
  g_assert_cmpstr (gtk_editable_get_text (name), ==, "alice's project");
  close_window (window);
}

/* ---- 14. copy the access token ----------------------------------------- */

static void
read_text_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  char **out = user_data;

  *out = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);
  if (*out == NULL)
    *out = g_strdup ("");
}

static char *
clipboard_text (GtkWidget *widget)
{
  char *text = NULL;

  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (widget), NULL, read_text_cb, &text);
  kg_ui_test_wait_for (kg_ui_test_is_true, &text, "the clipboard to be read");
  return text;
}

static gboolean
clipboard_empty (gpointer data)
{
  return gdk_clipboard_get_content (gtk_widget_get_clipboard (GTK_WIDGET (data))) == NULL;
}

static void
test_copy_token (void)
{
  g_autoptr(KgProfile) profile = kg_test_demo_profile ("alice");
  g_autoptr(KgTokenSpec) spec = kg_token_spec_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *copied = NULL;
  GSettings *settings = kg_app_context_get_settings (f.context);
  KgWindow *window;
  GtkWidget *page;
  GtkWidget *copy;
  const char *token;
  int start, end;

  kg_profile_set_name (profile, "Alice through the token route");
  kg_profile_set_protocol (profile, KG_PROTOCOL_TOKEN);
  kg_profile_set_token_spec (profile, spec);
  g_assert_true (kg_profile_store_add (kg_app_context_get_store (f.context), profile, &error));
  g_assert_true (kg_keyring_store_sync (profile, KG_DEMO_ALICE_KEY, NULL, &error));
  g_settings_set_int (settings, "clipboard-clear-delay", 5);

  window = open_window (900, 640);
  kg_window_select_profile (window, profile);
  /* From a page with a field to one without: the request's preview does
   * not open with all its text selected, nor after an exchange. */
  show_page (window, "key");
  kg_ui_test_wait_frames (GTK_WIDGET (window), 2);
  show_page (window, "token");
  kg_ui_test_wait_frames (GTK_WIDGET (window), 2);
  g_assert_false (gtk_label_get_selection_bounds (page_child (window, "token", "preview_label"),
                                                  &start, &end));
  page = kg_window_get_page (window, "token");
  g_assert_null (find_destructive_button (page));
  copy = page_child (window, "token", "copy_token_button");
  g_assert_false (gtk_widget_get_sensitive (copy));
  g_assert_true (gtk_widget_activate_action (page, "page.exchange", NULL));
  kg_ui_test_wait_for (page_idle, page, "the token exchange");
  g_assert_false (gtk_label_get_selection_bounds (page_child (window, "token", "preview_label"),
                                                  &start, &end));

  token = kg_token_client_peek_token (kg_app_context_get_token_client (f.context, profile));
  g_assert_nonnull (token);
  /* Shown masked, copied whole, and gone from the clipboard after the delay. */
  kg_ui_test_assert_tree_lacks (GTK_WIDGET (window), token);
  kg_ui_test_click (copy);
  copied = clipboard_text (GTK_WIDGET (window));
  g_assert_cmpstr (copied, ==, token);
  kg_ui_test_save_screenshot (GTK_WIDGET (window), "readable-token-copied");
  kg_ui_test_wait_for (clipboard_empty, window, "the clipboard to be cleared");

  g_settings_reset (settings, "clipboard-clear-delay");
  close_window (window);
  kg_keyring_clear_sync (profile, NULL, NULL);
  g_assert_true (kg_profile_store_remove (kg_app_context_get_store (f.context), profile, &error));
}

/* ---- 10. the password check's answer is the headline -------------------- */

static gboolean
message_dialog_shown (gpointer data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_mapped (window))
        {
          *(AdwMessageDialog **) data = ADW_MESSAGE_DIALOG (window);
          return TRUE;
        }
    }
  return FALSE;
}

static void
test_password_headline (void)
{
  KgWindow *window = open_window (900, 640);
  GtkWidget *page;
  GtkWidget *summary;
  GtkWidget *answer;
  GtkScrolledWindow *scroller;
  AdwMessageDialog *dialog = NULL;
  graphene_rect_t bounds;

  /* alice: 2FA on, her key works. */
  kg_window_select_profile (window, f.alice);
  show_page (window, "two-factor");
  page = kg_window_get_page (window, "two-factor");
  kg_two_factor_panel_run (KG_TWO_FACTOR_PANEL (page));
  kg_ui_test_wait_for (page_idle, page, "the first diagnosis");

  /* The password is typed at the bottom of the page. */
  gtk_editable_set_text (page_child (window, "two-factor", "password_row"),
                         KG_DEMO_ALICE_PASSWORD);
  scroll_to (page_child (window, "two-factor", "password_row"));
  kg_ui_test_click (page_child (window, "two-factor", "check_password_button"));
  kg_ui_test_wait_for (message_dialog_shown, &dialog, "the password warning");
  adw_message_dialog_response (dialog, "check");
  kg_ui_test_wait_for (page_idle, page, "the diagnosis with the password");
  kg_ui_test_wait_frames (GTK_WIDGET (window), 3);

  /* Its answer leads the result, in the diagnosis' own words, not as a
   * warning; no row repeats it among the checks. */
  summary = page_child (window, "two-factor", "summary_label");
  answer = page_child (window, "two-factor", "password_answer_label");
  g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (summary)), "2FA is on"));
  g_assert_false (gtk_widget_has_css_class (summary, "warning"));
  g_assert_true (gtk_widget_get_mapped (answer));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (answer)), "uid: null"));
  if (find_shown_label (page_child (window, "two-factor", "findings_list"),
                        gtk_label_get_text (GTK_LABEL (summary))) != NULL)
    g_error ("The password's answer is also a row of the findings");

  /* The page shows the answer: it did not jump to its top, nor stay at
   * the bottom. */
  scroller = GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (summary, GTK_TYPE_SCROLLED_WINDOW));
  g_assert_cmpfloat (gtk_adjustment_get_value (gtk_scrolled_window_get_vadjustment (scroller)),
                     >, 0);
  g_assert_true (gtk_widget_compute_bounds (summary, GTK_WIDGET (scroller), &bounds));
  g_assert_cmpfloat (bounds.origin.y, >=, 0);
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=,
                     gtk_widget_get_height (GTK_WIDGET (scroller)));
  kg_ui_test_save_screenshot (GTK_WIDGET (window), "readable-password-headline");
  close_window (window);
}

/* ---- 11. results come into view ---------------------------------------- */

static void
test_created_id_in_view (void)
{
  KgWindow *window = open_window (900, 640);
  GtkWidget *page = kg_window_get_page (window, "create");
  GtkWidget *view = page_child (window, "create", "response_view");
  GtkWidget *id_label = view_child (view, "record_id_label");
  GtkWidget *scroller = GTK_WIDGET (page_child (window, "create", "scroller"));
  graphene_rect_t bounds;

  kg_window_select_profile (window, f.alice);
  show_page (window, "create");
  adw_combo_row_set_selected (page_child (window, "create", "via_row"), 1);
  gtk_editable_set_text (page_child (window, "create", "name_row"), "Comes into view");
  g_assert_true (gtk_widget_activate_action (page, "page.send", NULL));
  kg_ui_test_wait_for (page_idle, page, "the create call to end");
  kg_ui_test_wait_frames (GTK_WIDGET (window), 3);

  /* The ID is where the user looks, not below the fold. */
  g_assert_true (gtk_widget_get_mapped (id_label));
  g_assert_true (gtk_widget_compute_bounds (id_label, scroller, &bounds));
  g_test_message ("the ID at y %.0f in a page %d high", bounds.origin.y,
                  gtk_widget_get_height (scroller));
  g_assert_cmpfloat (bounds.origin.y, >=, 0);
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, gtk_widget_get_height (scroller));
  kg_ui_test_save_screenshot (GTK_WIDGET (window), "readable-created-id");
  close_window (window);
}

/* ---- 7. the keyboard ---------------------------------------------------- */

/* Does what pressing @keyval with @modifiers does on @widget: the first
 * shortcut of @widget's controllers (its class's included) that the key
 * triggers is activated. FALSE when none is. */
static gboolean
press (GtkWidget       *widget,
       guint            keyval,
       GdkModifierType  modifiers)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
              gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval &&
              gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == modifiers)
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, widget,
                                                 gtk_shortcut_get_arguments (shortcut));
        }
    }
  return FALSE;
}

/* A capture-phase shortcut: the focused widget (a text editor) does not
 * see the key first. */
static gboolean
has_capture_shortcut (GtkWidget *widget,
                      guint      keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_SHORTCUT_CONTROLLER (controller) &&
          gtk_event_controller_get_propagation_phase (controller) == GTK_PHASE_CAPTURE)
        for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
          {
            g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
            GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

            if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
                gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval)
              return TRUE;
          }
    }
  return FALSE;
}

static GtkWidget *
find_clamp (GtkWidget *widget)
{
  if (!gtk_widget_get_mapped (widget))
    return NULL;
  if (ADW_IS_CLAMP (widget))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_clamp (c);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* In a wide window every page's content has one width: the forms and the
 * pages built on AdwPreferencesPage line up when switching pages. */
static void
test_one_content_width (void)
{
  static const char * const pages[] = { "connection", "key", "create", "requests",
                                         "two-factor" };
  KgWindow *window = open_window (1400, 800);
  int width = -1;

  kg_window_select_profile (window, f.alice);
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      GtkWidget *clamp;
      GtkWidget *content;

      show_page (window, pages[i]);
      kg_ui_test_wait_frames (GTK_WIDGET (window), 3);
      clamp = find_clamp (kg_window_get_page (window, pages[i]));
      g_assert_nonnull (clamp);
      content = adw_clamp_get_child (ADW_CLAMP (clamp));
      g_test_message ("%s: %d px", pages[i], gtk_widget_get_width (content));
      if (width < 0)
        width = gtk_widget_get_width (content);
      g_assert_cmpint (ABS (gtk_widget_get_width (content) - width), <=, 2);
    }
  close_window (window);
}

/* A page opens with the focus in its first field and nothing selected. */
static void
test_initial_focus (void)
{
  KgWindow *window = open_window (900, 640);
  GtkWidget *focus;
  int start, end;

  kg_window_select_profile (window, f.bob);
  show_page (window, "connection");
  gtk_editable_set_text (page_child (window, "create", "name_row"), "Already typed");
  show_page (window, "create");
  kg_ui_test_wait_frames (GTK_WIDGET (window), 2);
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_is_ancestor (focus, page_child (window, "create", "name_row")));
  g_assert_false (gtk_editable_get_selection_bounds (GTK_EDITABLE (focus), &start, &end));

  show_page (window, "key");
  kg_ui_test_wait_frames (GTK_WIDGET (window), 2);
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_is_ancestor (focus, page_child (window, "key", "key_row")));
  close_window (window);
}

static void
test_keyboard (void)
{
  static const char * const pages[] = { "connection", "key", "create", "requests", "history",
                                         "two-factor" };
  KgWindow *window = open_window (900, 640);
  GtkWidget *page;
  gpointer weak = window;

  kg_window_select_profile (window, f.bob);

  /* Alt+1…6: bob's pages in the switcher's order (no Token page). */
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_assert_true (press (GTK_WIDGET (window), GDK_KEY_1 + i, GDK_ALT_MASK));
      g_assert_cmpstr (kg_window_get_visible_page (window), ==, pages[i]);
    }

  /* Ctrl+Return runs each page's main action. */
  show_page (window, "key");
  page = kg_window_get_page (window, "key");
  g_assert_true (has_capture_shortcut (page, GDK_KEY_Return));
  g_assert_true (press (page, GDK_KEY_Return, GDK_CONTROL_MASK));
  g_assert_true (gtk_widget_get_visible (page_child (window, "key", "verify_spinner")));
  kg_ui_test_wait_for (verify_done, page_child (window, "key", "verify_spinner"),
                       "the verification");

  show_page (window, "create");
  page = kg_window_get_page (window, "create");
  g_assert_true (has_capture_shortcut (page, GDK_KEY_Return));
  gtk_editable_set_text (page_child (window, "create", "name_row"), "From the keyboard");
  /* The JSON editor lets Tab move on. */
  g_assert_false (gtk_text_view_get_accepts_tab (page_child (window, "create", "extra_view")));
  g_assert_true (press (page, GDK_KEY_Return, GDK_CONTROL_MASK));
  g_assert_true (kg_page_get_busy (KG_PAGE (page)));
  kg_ui_test_wait_for (page_idle, page, "the create call");

  show_page (window, "two-factor");
  page = kg_window_get_page (window, "two-factor");
  g_assert_true (has_capture_shortcut (page, GDK_KEY_Return));
  g_assert_true (press (page, GDK_KEY_Return, GDK_CONTROL_MASK));
  g_assert_true (kg_page_get_busy (KG_PAGE (page)));
  kg_ui_test_wait_for (page_idle, page, "the diagnosis");

  /* Tab follows reading order: from the window's start, the sidebar's
   * controls (its header, search, connections) come before the page's, and
   * once in the page the focus does not jump back to the sidebar before
   * the end. */
  {
    GtkWidget *sidebar = kg_ui_test_template_child (window, KG_TYPE_WINDOW, "sidebar_pane");
    GtkWidget *content = kg_ui_test_template_child (window, KG_TYPE_WINDOW, "content_pane");
    gboolean seen_sidebar = FALSE;
    gboolean seen_content = FALSE;
    GtkWidget *first = NULL;

    show_page (window, "connection");
    gtk_window_set_focus (GTK_WINDOW (window), NULL);
    for (guint i = 0; i < 100; i++)
      {
        GtkWidget *focus;

        if (!gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD))
          break;
        focus = gtk_root_get_focus (GTK_ROOT (window));
        if (focus == NULL)
          continue;
        if (focus == first)
          break;   /* round the window once: it wraps */
        if (first == NULL)
          first = focus;
        if (gtk_widget_is_ancestor (focus, sidebar))
          {
            g_assert_false (seen_content);   /* the sidebar again, after the page */
            seen_sidebar = TRUE;
          }
        else if (gtk_widget_is_ancestor (focus, content))
          {
            g_assert_true (seen_sidebar);    /* the page before the sidebar */
            seen_content = TRUE;
          }
      }
    g_assert_true (seen_sidebar);
    g_assert_true (seen_content);
  }

  /* Escape drops a new connection's draft: the connection before is back. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.add-connection", NULL));
  page = kg_window_get_page (window, "connection");
  g_assert_true (kg_connection_page_is_new (KG_CONNECTION_PAGE (page)));
  gtk_editable_set_text (page_child (window, "connection", "name_row"), "Not kept");
  g_assert_true (press (page, GDK_KEY_Escape, 0));
  g_assert_false (kg_connection_page_is_new (KG_CONNECTION_PAGE (page)));
  g_assert_true (kg_window_get_profile (window) == f.bob);
  g_assert_null (kg_profile_store_find_by_name (kg_app_context_get_store (f.context), "Not kept"));

  /* Ctrl+W closes the window. */
  g_object_add_weak_pointer (G_OBJECT (window), &weak);
  g_assert_true (press (GTK_WIDGET (window), GDK_KEY_w, GDK_CONTROL_MASK));
  kg_ui_test_wait_for (kg_ui_test_is_null, &weak, "the window to close");
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

  /* --high-contrast: the same checks in libadwaita's high contrast style
   * (the test-readable-high-contrast run), which widens borders. */
  if (argc > 1 && g_str_equal (argv[1], "--high-contrast"))
    {
      g_setenv ("ADW_DEBUG_HIGH_CONTRAST", "1", TRUE);
      argv[1] = argv[0];
      argv++;
      argc--;
    }

  kg_test_init (&argc, &argv);
  gtk_init ();
  adw_init ();
  if (g_getenv ("ADW_DEBUG_HIGH_CONTRAST") != NULL)
    g_assert_true (adw_style_manager_get_high_contrast (adw_style_manager_get_default ()));

  store = kg_profile_store_new (NULL);
  kg_profile_store_load (store, &error);
  g_assert_no_error (error);
  history = kg_history_new (NULL);
  settings = g_settings_new (BASE_APP_ID);
  f.context = kg_app_context_new (store, kg_http_get_default (), history, settings);

  f.bob = kg_test_demo_profile ("bob");
  kg_profile_set_name (f.bob, "Bob on the demo");
  f.alice = kg_test_demo_profile ("alice");
  kg_profile_set_name (f.alice, "Alice on the demo");
  f.ci = kg_test_demo_profile ("alice");
  kg_profile_set_name (f.ci, "Alice's CI key");
  kg_profile_set_key_name (f.ci, "CI key");
  g_assert_true (kg_profile_store_add (store, f.bob, &error));
  g_assert_true (kg_profile_store_add (store, f.ci, &error));
  g_assert_true (kg_keyring_store_sync (f.ci, KG_DEMO_ALICE_CI_KEY, NULL, &error));
  g_assert_true (kg_profile_store_add (store, f.alice, &error));
  g_assert_true (kg_keyring_store_sync (f.bob, KG_DEMO_BOB_KEY, NULL, &error));
  g_assert_true (kg_keyring_store_sync (f.alice, KG_DEMO_ALICE_KEY, NULL, &error));
  g_assert_no_error (error);

  g_test_add_func ("/ui/readable/error-fits", test_error_fits);
  g_test_add_func ("/ui/readable/history-error-fits", test_history_error_fits);
  g_test_add_func ("/ui/readable/fold-by-width", test_fold_by_width);
  g_test_add_func ("/ui/readable/folded-layout", test_folded_layout);
  g_test_add_func ("/ui/readable/outcome-in-words", test_outcome_in_words);
  g_test_add_func ("/ui/readable/key-expiry", test_key_expiry);
  g_test_add_func ("/ui/readable/key-facts", test_key_facts);
  g_test_add_func ("/ui/readable/no-hints-in-labels", test_no_hints_in_labels);
  g_test_add_func ("/ui/readable/narrow", test_narrow);
  g_test_add_func ("/ui/readable/narrow-switcher", test_narrow_switcher);
  g_test_add_func ("/ui/readable/timing-ip-literal", test_timing_ip_literal);
  g_test_add_func ("/ui/readable/create-drafts", test_create_drafts);
  g_test_add_func ("/ui/readable/copy-token", test_copy_token);
  g_test_add_func ("/ui/readable/one-content-width", test_one_content_width);
  g_test_add_func ("/ui/readable/password-headline", test_password_headline);
  g_test_add_func ("/ui/readable/created-id-in-view", test_created_id_in_view);
  g_test_add_func ("/ui/readable/initial-focus", test_initial_focus);
  g_test_add_func ("/ui/readable/keyboard", test_keyboard);
  ret = g_test_run ();

  g_clear_object (&f.bob);
  g_clear_object (&f.alice);
  g_clear_object (&f.ci);
  g_clear_object (&f.context);
  return ret;
}
