/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "keygate-app"

#include "config.h"

#include <glib/gi18n.h>

#include "kg-active-selection.h"
#include "kg-connection-page.h"
#include "kg-connection-row.h"
#include "kg-create-page.h"
#include "kg-history-page.h"
#include "kg-key-page.h"
#include "kg-page-switcher.h"
#include "kg-requests-page.h"
#include "kg-token-page.h"
#include "kg-two-factor-panel.h"
#include "kg-window-private.h"


/* The pages of the view stack. A page is built the first time it is shown
 * (or asked for by kg_window_get_page): until then the stack holds an empty
 * slot with the page's name, title and icon, so the empty state and the
 * first frame load nothing a page needs (GtkSourceView, the history). The
 * titles and icons are the ones of the pages' templates (test-window checks
 * that they agree). */
typedef struct
{
  const char *name;       /* win.show-page */
  const char *title;
  const char *icon_name;
  GtkWidget *(*create) (KgAppContext *context);
} PageInfo;

static const PageInfo page_info[N_PAGES] = {
  { "connection", N_("Connection"), "network-server-symbolic", kg_connection_page_new },
  { "key", N_("API Key"), "dialog-password-symbolic", kg_key_page_new },
  { "token", N_("Token"), "channel-secure-symbolic", kg_token_page_new },
  { "create", N_("Create Project"), "document-new-symbolic", kg_create_page_new },
  { "requests", N_("Requests"), "network-transmit-receive-symbolic", kg_requests_page_new },
  { "history", N_("History"), "document-open-recent-symbolic", kg_history_page_new },
  { "two-factor", N_("2FA Doctor"), "dialog-question-symbolic", kg_two_factor_panel_new },
};


G_DEFINE_FINAL_TYPE (KgWindow, kg_window, ADW_TYPE_APPLICATION_WINDOW)

/* More connections than a sidebar shows at once on a tall screen. */
#define FIRST_ROWS 40

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];


KgWindow *
kg_window_new (AdwApplication *application)
{
  g_return_val_if_fail (ADW_IS_APPLICATION (application), NULL);

  return g_object_new (KG_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

KgWindow *
kg_window_new_with_context (AdwApplication *application,
                            KgAppContext   *context)
{
  g_return_val_if_fail (application == NULL || ADW_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (KG_IS_APP_CONTEXT (context), NULL);

  return g_object_new (KG_TYPE_WINDOW,
                       "application", application,
                       "context", context,
                       NULL);
}

KgAppContext *
kg_window_get_context (KgWindow *self)
{
  g_return_val_if_fail (KG_IS_WINDOW (self), NULL);
  return self->context;
}

KgProfile *
kg_window_get_profile (KgWindow *self)
{
  g_return_val_if_fail (KG_IS_WINDOW (self), NULL);
  return self->profile;
}


/* Builds page @id if it is not built yet. */
KgPage *
_kg_window_ensure_page (KgWindow *self,
                        PageId    id)
{
  if (self->pages[id] != NULL || self->slots[id] == NULL)
    return self->pages[id];

  g_debug ("Building the %s page", page_info[id].name);
  self->pages[id] = KG_PAGE (page_info[id].create (self->context));
  adw_bin_set_child (ADW_BIN (self->slots[id]), GTK_WIDGET (self->pages[id]));
  kg_page_set_profile (self->pages[id], self->profile);

  if (id == PAGE_CONNECTION)
    {
      g_signal_connect_object (self->pages[id], "profile-added",
                               G_CALLBACK (_kg_window_connection_added), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->pages[id], "new-cancelled",
                               G_CALLBACK (_kg_window_new_cancelled), self, G_CONNECT_SWAPPED);
    }

  return self->pages[id];
}

const char *
_kg_window_page_name (PageId id)
{
  g_return_val_if_fail (id < N_PAGES, NULL);
  return page_info[id].name;
}

int
_kg_window_page_id_from_name (const char *name)
{
  for (guint i = 0; i < N_PAGES; i++)
    if (g_strcmp0 (name, page_info[i].name) == 0)
      return (int) i;

  return -1;
}

GtkWidget *
kg_window_get_page (KgWindow   *self,
                    const char *name)
{
  int id;

  g_return_val_if_fail (KG_IS_WINDOW (self), NULL);

  id = _kg_window_page_id_from_name (name);
  return id >= 0 ? GTK_WIDGET (_kg_window_ensure_page (self, id)) : NULL;
}

gboolean
kg_window_is_page_built (KgWindow   *self,
                         const char *name)
{
  int id;

  g_return_val_if_fail (KG_IS_WINDOW (self), FALSE);

  id = _kg_window_page_id_from_name (name);
  return id >= 0 && self->pages[id] != NULL;
}

const char *
kg_window_get_visible_page (KgWindow *self)
{
  g_return_val_if_fail (KG_IS_WINDOW (self), NULL);
  return adw_view_stack_get_visible_child_name (self->view_stack);
}

const char *
kg_window_get_last_toast (KgWindow *self)
{
  g_return_val_if_fail (KG_IS_WINDOW (self), NULL);
  return self->last_toast;
}

AdwToast *
_kg_window_toast (KgWindow   *self,
                  const char *text)
{
  AdwToast *toast = adw_toast_new (text);

  /* Short, so a quick series of confirmations does not pile up. */
  adw_toast_set_timeout (toast, 3);

  g_free (self->last_toast);
  self->last_toast = g_strdup (text);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);

  return toast;
}

/* Window state ----------------------------------------------------------- */

static void
kg_window_restore_state (KgWindow *self)
{
  int width = g_settings_get_int (self->settings, "window-width");
  int height = g_settings_get_int (self->settings, "window-height");

  gtk_window_set_default_size (GTK_WINDOW (self), width, height);

  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
kg_window_save_state (KgWindow *self)
{
  gboolean maximized = gtk_window_is_maximized (GTK_WINDOW (self));
  int width = 0;
  int height = 0;

  /* The default size follows the size the user gave the window, but not
   * the maximized size: keep the last unmaximized one. */
  if (!maximized)
    {
      gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
      if (width > 0 && height > 0)
        {
          g_settings_set_int (self->settings, "window-width", width);
          g_settings_set_int (self->settings, "window-height", height);
        }
    }

  g_settings_set_boolean (self->settings, "window-maximized", maximized);
}

/* Nothing the pages started outlives the window. */
static void
kg_window_deactivate_pages (KgWindow *self)
{
  for (guint i = 0; i < N_PAGES; i++)
    if (self->pages[i] != NULL)
      kg_page_deactivate (self->pages[i]);
}

static gboolean
kg_window_close_request (GtkWindow *window)
{
  kg_window_save_state (KG_WINDOW (window));
  kg_window_deactivate_pages (KG_WINDOW (window));

  return GTK_WINDOW_CLASS (kg_window_parent_class)->close_request (window);
}

/* What is shown ---------------------------------------------------------- */

static gboolean
profile_is_token (KgProfile *profile)
{
  return profile != NULL && kg_profile_get_protocol (profile) == KG_PROTOCOL_TOKEN;
}

/* The page on screen is built (only then, and only that one). Not before
 * the window's first frame: the window shows at once, with the connection
 * list, and the page fills in on the next frame. */
static void
kg_window_ensure_visible_page (KgWindow *self)
{
  GtkWidget *visible = adw_view_stack_get_visible_child (self->view_stack);

  if (self->first_frames < 2)
    return;

  for (guint i = 0; i < N_PAGES; i++)
    if (self->slots[i] == visible)
      _kg_window_ensure_page (self, i);
}

static gboolean
first_frames_cb (GtkWidget     *widget,
                 GdkFrameClock *frame_clock,
                 gpointer       user_data)
{
  KgWindow *self = KG_WINDOW (widget);

  /* The first tick comes before the first frame is drawn, the second one
   * after it. */
  if (++self->first_frames < 2)
    return G_SOURCE_CONTINUE;

  gtk_slice_list_model_set_size (self->first_rows, G_MAXUINT);
  if (self->profile != NULL || self->new_mode)
    kg_window_ensure_visible_page (self);
  return G_SOURCE_REMOVE;
}

/* The page on screen is built, and opens with the focus in its first
 * field, nothing selected. */
static void
visible_page_changed_cb (KgWindow *self)
{
  GtkWidget *visible = adw_view_stack_get_visible_child (self->view_stack);

  if (self->profile == NULL && !self->new_mode)
    return;
  kg_window_ensure_visible_page (self);
  for (guint i = 0; i < N_PAGES; i++)
    {
      if (self->slots[i] == visible && self->pages[i] != NULL &&
          gtk_widget_get_mapped (GTK_WIDGET (self)))
        kg_page_focus_first_field (KG_PAGE (self->pages[i]));
    }
}

static void
kg_window_update_view (KgWindow *self)
{
  KgProfileStore *store = kg_app_context_get_store (self->context);
  guint n_profiles = g_list_model_get_n_items (G_LIST_MODEL (store));
  gboolean read_only = kg_profile_store_is_read_only (store);
  const GError *load_error = kg_app_context_get_load_error (self->context);
  gboolean show_pages = self->profile != NULL || self->new_mode;
  gboolean sidebar = n_profiles > 0 || self->new_mode;

  gtk_widget_set_visible (self->sidebar_pane, sidebar);
  gtk_widget_set_visible (self->sidebar_separator, sidebar);
  gtk_widget_set_visible (self->read_only_label, read_only);
  gtk_widget_set_visible (self->two_factor_button, self->profile != NULL);

  if (show_pages)
    gtk_stack_set_visible_child_name (self->main_stack, "connections");
  else if (load_error != NULL)
    gtk_stack_set_visible_child_name (self->main_stack, "load-error");
  else
    gtk_stack_set_visible_child_name (self->main_stack, "empty");

  if (load_error != NULL)
    {
      /* The description is markup. */
      g_autofree char *text =
        /* Translators: %s says which file and what is wrong with it */
        g_markup_printf_escaped (_("%s\n\nKeygate does not change the file until it is fixed "
                                   "or moved away. Until then no connection can be added or "
                                   "changed."),
                                 load_error->message);

      adw_status_page_set_description (self->load_error_page, text);
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.add-connection", !read_only);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.try-demo", !read_only);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-two-factor", self->profile != NULL);

  for (guint i = 0; i < N_PAGES; i++)
    {
      AdwViewStackPage *page = adw_view_stack_get_page (self->view_stack, self->slots[i]);
      gboolean visible;

      if (i == PAGE_CONNECTION)
        visible = TRUE;
      else if (i == PAGE_TOKEN)
        visible = profile_is_token (self->profile);
      else
        visible = self->profile != NULL;

      adw_view_stack_page_set_visible (page, visible);
    }

  {
    GtkWidget *visible_child = adw_view_stack_get_visible_child (self->view_stack);
    AdwViewStackPage *visible_page =
      visible_child ? adw_view_stack_get_page (self->view_stack, visible_child) : NULL;

    if (visible_page == NULL || !adw_view_stack_page_get_visible (visible_page))
      adw_view_stack_set_visible_child (self->view_stack, self->slots[PAGE_CONNECTION]);
  }

  if (show_pages)
    kg_window_ensure_visible_page (self);

  adw_view_switcher_title_set_view_switcher_enabled (self->switcher_title, self->profile != NULL);
  /* libadwaita 1.2's AdwViewSwitcherBar counts the visible pages only when
   * "reveal" changes, not when a page's visibility does: with the title
   * shown all along (no room for the switcher) the bar stayed hidden after
   * the pages appeared, and no page but Connection could be reached. */
  adw_view_switcher_bar_set_reveal (self->switcher_bar, FALSE);
  adw_view_switcher_bar_set_reveal (
    self->switcher_bar, adw_view_switcher_title_get_title_visible (self->switcher_title) &&
                        !adw_leaflet_get_folded (self->leaflet));
  if (self->profile != NULL)
    {
      g_autofree char *subtitle = kg_profile_dup_subtitle (self->profile);

      adw_view_switcher_title_set_title (self->switcher_title, kg_profile_get_name (self->profile));
      adw_view_switcher_title_set_subtitle (self->switcher_title, subtitle);
    }
  else
    {
      adw_view_switcher_title_set_title (self->switcher_title,
                                         self->new_mode ? _("New Connection") : _("Keygate"));
      adw_view_switcher_title_set_subtitle (self->switcher_title, NULL);
    }
  gtk_label_set_label (self->folded_title_label,
                       adw_view_switcher_title_get_title (self->switcher_title));
}

static void
profile_notify_cb (KgWindow *self)
{
  kg_window_update_view (self);
}

void
_kg_window_set_profile (KgWindow  *self,
                        KgProfile *profile)
{
  GSettings *settings = kg_app_context_get_settings (self->context);

  if (profile != NULL)
    self->new_mode = FALSE;
  /* The next start opens with it. */
  if (profile != NULL && settings != NULL)
    {
      g_autofree char *last = g_settings_get_string (settings, "last-connection");

      if (g_strcmp0 (last, kg_profile_get_id (profile)) != 0)
        g_settings_set_string (settings, "last-connection", kg_profile_get_id (profile));
    }

  if (self->profile != profile)
    {
      if (self->profile != NULL)
        g_signal_handlers_disconnect_by_data (self->profile, self);
      g_set_object (&self->profile, profile);
      if (profile != NULL)
        g_signal_connect_object (profile, "notify", G_CALLBACK (profile_notify_cb), self,
                                 G_CONNECT_SWAPPED);

      for (guint i = 0; i < N_PAGES; i++)
        if (self->pages[i] != NULL)
          kg_page_set_profile (self->pages[i], profile);
    }

  kg_window_update_view (self);
}

/* The sidebar ------------------------------------------------------------ */

void
kg_window_select_profile (KgWindow  *self,
                          KgProfile *profile)
{
  KgProfileStore *store;

  g_return_if_fail (KG_IS_WINDOW (self));
  g_return_if_fail (profile == NULL || KG_IS_PROFILE (profile));

  /* Only a connection of the list can be selected. */
  store = kg_app_context_get_store (self->context);
  if (profile != NULL &&
      kg_profile_store_find_by_id (store, kg_profile_get_id (profile)) != profile)
    profile = NULL;

  kg_active_selection_set_active (self->selection, profile);
  _kg_window_set_profile (self, profile);
}

/* A click, Enter or Space on a row: the only ways the selection changes
 * (moving the focus through the list with Tab or the arrows does not). */
static void
connection_activated_cb (KgWindow *self,
                         guint     position)
{
  g_autoptr(KgProfile) profile = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  if (profile == NULL)
    return;
  kg_window_select_profile (self, profile);
  adw_leaflet_set_visible_child (self->leaflet, self->content_pane);
}

/* Space on a focused row activates it, like Enter (GtkListView would
 * toggle a selection the list does not have). */
static gboolean
space_pressed_cb (GtkWidget *widget,
                  GVariant  *args,
                  gpointer   user_data)
{
  KgWindow *self = KG_WINDOW (user_data);
  GtkWidget *item = gtk_widget_get_focus_child (GTK_WIDGET (self->connection_list));
  GtkWidget *row = item != NULL ? gtk_widget_get_first_child (item) : NULL;
  KgProfile *profile;

  /* Only when the row itself has the focus, not its menu button. */
  if (row == NULL || !KG_IS_CONNECTION_ROW (row) ||
      gtk_root_get_focus (gtk_widget_get_root (widget)) != item)
    return FALSE;

  profile = kg_connection_row_get_profile (KG_CONNECTION_ROW (row));
  if (profile == NULL)
    return FALSE;
  kg_window_select_profile (self, profile);
  adw_leaflet_set_visible_child (self->leaflet, self->content_pane);
  return TRUE;
}

static void
back_clicked_cb (KgWindow *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              KgWindow                 *self)
{
  gtk_list_item_set_child (item, kg_connection_row_new (self->context));
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             KgWindow                 *self)
{
  kg_connection_row_set_profile (KG_CONNECTION_ROW (gtk_list_item_get_child (item)),
                                 gtk_list_item_get_item (item));
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               KgWindow                 *self)
{
  kg_connection_row_set_profile (KG_CONNECTION_ROW (gtk_list_item_get_child (item)), NULL);
}

static void
search_changed_cb (KgWindow *self)
{
  gtk_string_filter_set_search (self->name_filter,
                                gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
store_items_changed_cb (KgWindow   *self,
                        guint       position,
                        guint       removed,
                        guint       added,
                        GListModel *model)
{
  KgProfile *current = NULL;

  /* New connections' lock icons: one keyring search for them all. */
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(KgProfile) profile = g_list_model_get_item (model, i);

      if (kg_app_context_get_has_key (self->context, profile) == KG_TRISTATE_UNKNOWN)
        {
          kg_app_context_refresh_key_states (self->context);
          break;
        }
    }

  /* An update may replace the profile object: follow it by id. */
  if (self->profile != NULL)
    current = kg_profile_store_find_by_id (KG_PROFILE_STORE (model),
                                           kg_profile_get_id (self->profile));

  if (current != NULL)
    {
      kg_window_select_profile (self, current);
    }
  else if (self->profile != NULL)
    {
      /* The selected one was removed: select the first one left. */
      g_autoptr(KgProfile) first = g_list_model_get_item (model, 0);

      kg_window_select_profile (self, first);
    }
  else
    {
      kg_window_update_view (self);
    }
}

/* Actions ---------------------------------------------------------------- */

static void
error_reported_cb (KgWindow     *self,
                   KgProfile    *profile,
                   const GError *error)
{
  AdwToast *toast;
  g_autofree char *text = NULL;

  if (!g_error_matches (error, KG_ERROR, KG_ERROR_ACCESS_DENIED) &&
      !g_error_matches (error, KG_ERROR, KG_ERROR_TWO_FACTOR_REQUIRED))
    return;
  if (self->profile == NULL ||
      g_strcmp0 (kg_profile_get_id (profile), kg_profile_get_id (self->profile)) != 0)
    return;

  if (g_error_matches (error, KG_ERROR, KG_ERROR_TWO_FACTOR_REQUIRED))
    /* Translators: %s is a connection name */
    text = g_strdup_printf (_("%s: two-factor authentication blocks this login"),
                            kg_profile_get_name (profile));
  else
    text = g_strdup_printf (_("%s: access denied"), kg_profile_get_name (profile));

  toast = _kg_window_toast (self, text);
  adw_toast_set_button_label (toast, _("_Why?"));
  adw_toast_set_action_name (toast, "win.show-two-factor");
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_set_timeout (toast, 8);
}

/* GObject ---------------------------------------------------------------- */

static void
kg_window_constructed (GObject *object)
{
  KgWindow *self = KG_WINDOW (object);
  KgProfileStore *store;
  g_autoptr(KgProfile) first = NULL;

  G_OBJECT_CLASS (kg_window_parent_class)->constructed (object);

  if (self->context == NULL)
    self->context = kg_app_context_new_default ();
  store = kg_app_context_get_store (self->context);

  kg_app_context_refresh_demo_profile (self->context);

  for (guint i = 0; i < N_PAGES; i++)
    {
      self->slots[i] = adw_bin_new ();
      adw_view_stack_add_titled_with_icon (self->view_stack, self->slots[i], page_info[i].name,
                                           _(page_info[i].title), page_info[i].icon_name);
    }
  /* The switchers follow the stack from here: bound in the template, before
   * the pages were added, each rebuilt all its buttons on every add (a fifth
   * of the start-up work with no connection, in callgrind's count). */
  adw_view_switcher_title_set_stack (self->switcher_title, self->view_stack);
  adw_view_switcher_bar_set_stack (self->switcher_bar, self->view_stack);
  kg_page_switcher_set_stack (self->icon_switcher, self->view_stack);
  g_signal_connect_object (self->view_stack, "notify::visible-child",
                           G_CALLBACK (visible_page_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->context, "error-reported",
                           G_CALLBACK (error_reported_cb), self, G_CONNECT_SWAPPED);

  /* A recycling list over the store, narrowed by the search field. */
  {
    g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
    GtkFilterListModel *filtered;

    self->name_filter = gtk_string_filter_new (gtk_property_expression_new (KG_TYPE_PROFILE, NULL,
                                                                            "name"));
    filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (store)),
                                          g_object_ref (GTK_FILTER (self->name_filter)));
    /* Until it has a size, GtkListView makes 200 rows: give it the rows
     * that can be on screen, and the rest once the first frame is drawn
     * (then it makes rows for what is in view only). */
    self->first_rows = gtk_slice_list_model_new (G_LIST_MODEL (filtered), 0, FIRST_ROWS);
    self->selection = kg_active_selection_new (G_LIST_MODEL (self->first_rows));
    g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
    g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
    g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), self);
    gtk_list_view_set_factory (self->connection_list, factory);
    gtk_list_view_set_model (self->connection_list, GTK_SELECTION_MODEL (self->selection));
  }
  g_signal_connect_object (store, "items-changed", G_CALLBACK (store_items_changed_cb), self,
                           G_CONNECT_SWAPPED);

  if (g_list_model_get_n_items (G_LIST_MODEL (store)) > 0)
    kg_app_context_refresh_key_states (self->context);

  /* The connection used last, else the first. */
  {
    GSettings *settings = kg_app_context_get_settings (self->context);
    g_autofree char *last = settings ? g_settings_get_string (settings, "last-connection") : NULL;
    KgProfile *found = last ? kg_profile_store_find_by_id (store, last) : NULL;

    first = found ? g_object_ref (found) : g_list_model_get_item (G_LIST_MODEL (store), 0);
  }
  kg_window_select_profile (self, first);
}

static void
kg_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  KgWindow *self = KG_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kg_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  KgWindow *self = KG_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kg_window_dispose (GObject *object)
{
  KgWindow *self = KG_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  kg_window_deactivate_pages (self);
  if (self->context != NULL)
    {
      g_signal_handlers_disconnect_by_data (kg_app_context_get_store (self->context), self);
      g_signal_handlers_disconnect_by_data (self->context, self);
    }
  if (self->profile != NULL)
    g_signal_handlers_disconnect_by_data (self->profile, self);
  g_clear_object (&self->before_new);
  /* Tearing the stack down must not build a page. */
  if (self->view_stack != NULL)
    g_signal_handlers_disconnect_by_data (self->view_stack, self);
  if (self->connection_list != NULL)
    {
      /* Unbinding the model removes the selected row; ::row-selected would
       * then deselect the connection and re-lay the window out while it is
       * being torn down (hide the pages, move the focus). Moving the focus
       * out of a hidden page in a half-disposed GtkWindow left GTK 4.8
       * holding a reference on the pages' container when the focus was on
       * a selectable label (the Token page's request preview, reached by
       * switching pages after Ctrl+L): every page, and the context they
       * hold, outlived the window. The window does not react to its own
       * teardown. */
      g_signal_handlers_disconnect_by_data (self->connection_list, self);
      gtk_list_view_set_model (self->connection_list, NULL);
      gtk_list_view_set_factory (self->connection_list, NULL);
    }

  /* libadwaita 1.2 criticals when a switcher drops its stack while the
   * stack is being disposed: detach them first. */
  if (self->leaflet != NULL)
    g_signal_handlers_disconnect_by_data (self->leaflet, self);
  if (self->switcher_title != NULL)
    g_signal_handlers_disconnect_by_data (self->switcher_title, self);
  if (self->view_stack != NULL)
    g_signal_handlers_disconnect_by_data (self->view_stack, self);
  if (self->switcher_title != NULL)
    adw_view_switcher_title_set_stack (self->switcher_title, NULL);
  if (self->switcher_bar != NULL)
    adw_view_switcher_bar_set_stack (self->switcher_bar, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (self), KG_TYPE_WINDOW);
  memset (self->pages, 0, sizeof self->pages);
  memset (self->slots, 0, sizeof self->slots);
  g_clear_object (&self->profile);

  G_OBJECT_CLASS (kg_window_parent_class)->dispose (object);
}

static void
kg_window_finalize (GObject *object)
{
  KgWindow *self = KG_WINDOW (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->selection);
  g_clear_object (&self->name_filter);
  g_clear_object (&self->first_rows);
  g_clear_object (&self->context);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->last_toast, g_free);

  G_OBJECT_CLASS (kg_window_parent_class)->finalize (object);
}

static void
kg_window_class_init (KgWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = kg_window_constructed;
  object_class->get_property = kg_window_get_property;
  object_class->set_property = kg_window_set_property;
  object_class->dispose = kg_window_dispose;
  object_class->finalize = kg_window_finalize;

  window_class->close_request = kg_window_close_request;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, KG_TYPE_APP_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (KG_TYPE_PAGE_SWITCHER);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/kg-window.ui");
  gtk_widget_class_bind_template_child (widget_class, KgWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, KgWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, KgWindow, sidebar_pane);
  gtk_widget_class_bind_template_child (widget_class, KgWindow, sidebar_separator);
  gtk_widget_class_bind_template_child (widget_class, KgWindow, read_only_label);
  gtk_widget_class_bind_template_child (widget_class, KgWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, KgWindow, connection_list);
  gtk_widget_class_bind_template_child (widget_class, KgWindow, content_pane);
  gtk_widget_class_bind_template_child (widget_class, KgWindow, content_header);
  gtk_widget_class_bind_template_child (widget_class, KgWindow, folded_title_label);
  gtk_widget_class_bind_template_child (widget_class, KgWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, KgWindow, two_factor_button);
  gtk_widget_class_bind_template_child (widget_class, KgWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, KgWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, KgWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, KgWindow, load_error_page);
  gtk_widget_class_bind_template_child (widget_class, KgWindow, add_connection_button);
  gtk_widget_class_bind_template_child (widget_class, KgWindow, demo_button);
  gtk_widget_class_bind_template_child (widget_class, KgWindow, sidebar_add_button);
  gtk_widget_class_bind_template_child (widget_class, KgWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, KgWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, KgWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, KgWindow, icon_switcher);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);

  _kg_window_class_actions_init (widget_class);
}

static void
kg_window_init (KgWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (BASE_APP_ID);
  gtk_widget_add_tick_callback (GTK_WIDGET (self), first_frames_cb, NULL, NULL);
  kg_window_restore_state (self);

  g_signal_connect_object (self->connection_list, "activate",
                           G_CALLBACK (connection_activated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->leaflet, "notify::folded", G_CALLBACK (kg_window_update_view),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->switcher_title, "notify::title-visible",
                           G_CALLBACK (kg_window_update_view), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "search-changed", G_CALLBACK (search_changed_cb),
                           self, G_CONNECT_SWAPPED);
  {
    GtkEventController *shortcuts = gtk_shortcut_controller_new ();

    /* Before the row's own Space binding (which would select). */
    gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
    gtk_shortcut_controller_add_shortcut (
      GTK_SHORTCUT_CONTROLLER (shortcuts),
      gtk_shortcut_new (gtk_alternative_trigger_new (gtk_keyval_trigger_new (GDK_KEY_space, 0),
                                                     gtk_keyval_trigger_new (GDK_KEY_KP_Space, 0)),
                        gtk_callback_action_new (space_pressed_cb, self, NULL)));
    gtk_widget_add_controller (GTK_WIDGET (self->connection_list), shortcuts);
  }

  /* Icon-only buttons get a name for screen readers. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->two_factor_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Why does my login fail?"),
                                  -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->sidebar_add_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Add Connection"),
                                  -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->back_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Back to Connections"),
                                  -1);

#if DEVELOPMENT_BUILD
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif
}
