/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The window's actions (win.*): pages, connections (add, rename,
 * duplicate, remove), the demo, History's Send Again, and their keyboard
 * shortcuts. */
#define G_LOG_DOMAIN "keygate-app"

#include "config.h"

#include <glib/gi18n.h>

#include "kg-connection-page.h"
#include "kg-requests-page.h"
#include "kg-window-private.h"

static void
kg_window_toast_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  _kg_window_toast (KG_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
kg_window_show_page_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  KgWindow *self = KG_WINDOW (widget);
  int id = _kg_window_page_id_from_name (g_variant_get_string (parameter, NULL));

  if (id < 0)
    return;
  if (!adw_view_stack_page_get_visible (adw_view_stack_get_page (self->view_stack,
                                                                 self->slots[id])))
    return;

  /* Built before it is shown, so the focus can follow into it. */
  _kg_window_ensure_page (self, id);
  adw_view_stack_set_visible_child (self->view_stack, self->slots[id]);
  adw_leaflet_set_visible_child (self->leaflet, self->content_pane);
}

/* Alt+1…6: the nth page the switcher shows (the Token page only for a
 * connection that uses it). */
static void
kg_window_show_nth_page_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  KgWindow *self = KG_WINDOW (widget);
  guint wanted = g_variant_get_uint32 (parameter);
  guint n = 0;

  for (guint i = 0; i < N_PAGES; i++)
    {
      AdwViewStackPage *page = adw_view_stack_get_page (self->view_stack, self->slots[i]);

      if (!adw_view_stack_page_get_visible (page))
        continue;
      if (++n == wanted)
        {
          gtk_widget_activate_action (widget, "win.show-page", "s", _kg_window_page_name (i));
          return;
        }
    }
}

static void
kg_window_show_two_factor_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  gtk_widget_activate_action (widget, "win.show-page", "s", _kg_window_page_name (PAGE_TWO_FACTOR));
}

void
_kg_window_connection_added (KgWindow  *self,
                             KgProfile *profile)
{
  kg_window_select_profile (self, profile);
}

/* The new connection's draft was dropped: back to the connection that was
 * selected before (or the first one, or the empty state). */
void
_kg_window_new_cancelled (KgWindow *self)
{
  g_autoptr(KgProfile) back = g_steal_pointer (&self->before_new);
  KgProfileStore *store = kg_app_context_get_store (self->context);

  self->new_mode = FALSE;
  if (back == NULL || kg_profile_store_find_by_id (store, kg_profile_get_id (back)) != back)
    {
      g_clear_object (&back);
      back = g_list_model_get_item (G_LIST_MODEL (store), 0);
    }
  kg_window_select_profile (self, back);
}

/* Rename: the connection's page, its name selected. */
static void
kg_window_rename_connection_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  KgWindow *self = KG_WINDOW (widget);
  KgProfile *profile = kg_profile_store_find_by_id (kg_app_context_get_store (self->context),
                                                    g_variant_get_string (parameter, NULL));

  if (profile == NULL)
    return;
  kg_window_select_profile (self, profile);
  adw_view_stack_set_visible_child (self->view_stack, self->slots[PAGE_CONNECTION]);
  adw_leaflet_set_visible_child (self->leaflet, self->content_pane);
  kg_connection_page_focus_name (KG_CONNECTION_PAGE (_kg_window_ensure_page (self,
                                                                           PAGE_CONNECTION)));
}

/* Duplicate: the same server, database and settings under a new name, for
 * another login or a variant; the API key stays with the original (it
 * belongs to one login). */
static void
kg_window_duplicate_connection_action (GtkWidget  *widget,
                                       const char *action_name,
                                       GVariant   *parameter)
{
  KgWindow *self = KG_WINDOW (widget);
  KgProfileStore *store = kg_app_context_get_store (self->context);
  KgProfile *profile = kg_profile_store_find_by_id (store, g_variant_get_string (parameter, NULL));
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(KgProfile) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *toast = NULL;

  if (profile == NULL)
    return;

  for (guint n = 1; name == NULL || kg_profile_store_find_by_name (store, name) != NULL; n++)
    {
      g_free (name);
      name = n == 1
        /* Translators: a connection's name for its copy, e.g. "Shop (copy)" */
        ? g_strdup_printf (_("%s (copy)"), kg_profile_get_name (profile))
        /* Translators: the second copy and on, e.g. "Shop (copy 2)" */
        : g_strdup_printf (_("%s (copy %u)"), kg_profile_get_name (profile), n);
    }
  object = kg_profile_to_json (profile);
  json_object_remove_member (object, "id");
  json_object_remove_member (object, "key_name");
  json_object_set_string_member (object, "name", name);
  copy = kg_profile_new_from_json (object, &error);
  if (copy == NULL || !kg_profile_store_add (store, copy, &error))
    {
      _kg_window_toast (self, error->message);
      return;
    }
  kg_window_rename_connection_action (widget, action_name,
                                      g_variant_new_string (kg_profile_get_id (copy)));
  /* Translators: %s is the name of the connection that was copied */
  toast = g_strdup_printf (_("Copied “%s”: the copy has no API key yet"),
                           kg_profile_get_name (profile));
  _kg_window_toast (self, toast);
}

/* History's Open in Requests and Send Again: the entry as a request of the
 * Requests page, sent (win.send-request) with the selected connection's
 * credentials or only opened there (win.open-request). */
static void
kg_window_request_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  KgWindow *self = KG_WINDOW (widget);
  g_autoptr(JsonNode) node = kg_json_parse (g_variant_get_string (parameter, NULL), -1, NULL);
  KgPage *page;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node) || self->profile == NULL)
    return;
  page = _kg_window_ensure_page (self, PAGE_REQUESTS);
  adw_view_stack_set_visible_child (self->view_stack, self->slots[PAGE_REQUESTS]);
  adw_leaflet_set_visible_child (self->leaflet, self->content_pane);
  kg_requests_page_open_request (KG_REQUESTS_PAGE (page), json_node_get_object (node),
                                 g_str_equal (action_name, "win.send-request"));
}

static void
kg_window_add_connection_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  KgWindow *self = KG_WINDOW (widget);

  /* Nothing is saved until Add; then the Connection page adds it and
   * emits ::profile-added, which selects it. Cancel comes back here. */
  if (!self->new_mode)
    g_set_object (&self->before_new, self->profile);
  self->new_mode = TRUE;
  kg_active_selection_set_active (self->selection, NULL);
  _kg_window_set_profile (self, NULL);
  kg_connection_page_start_new (KG_CONNECTION_PAGE (_kg_window_ensure_page (self,
                                                                          PAGE_CONNECTION)));
  adw_view_stack_set_visible_child (self->view_stack, self->slots[PAGE_CONNECTION]);
  adw_leaflet_set_visible_child (self->leaflet, self->content_pane);
}

static void
kg_window_focus_url_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  KgWindow *self = KG_WINDOW (widget);

  if (self->profile == NULL && !self->new_mode)
    {
      gtk_widget_activate_action (widget, "win.add-connection", NULL);
      return;
    }

  adw_view_stack_set_visible_child (self->view_stack, self->slots[PAGE_CONNECTION]);
  adw_leaflet_set_visible_child (self->leaflet, self->content_pane);
  kg_connection_page_focus_url (KG_CONNECTION_PAGE (_kg_window_ensure_page (self,
                                                                          PAGE_CONNECTION)));
}

static void
kg_window_try_demo_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  KgWindow *self = KG_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(KgProfile) profile = kg_app_context_add_demo_profile (self->context, &error);

  if (profile == NULL)
    {
      /* Translators: %s is the reason */
      g_autofree char *text = g_strdup_printf (_("The demo could not be started: %s"),
                                               error->message);
      _kg_window_toast (self, text);
      return;
    }

  kg_window_select_profile (self, profile);
  adw_leaflet_set_visible_child (self->leaflet, self->content_pane);
}

typedef struct
{
  GWeakRef   window;
  KgProfile *profile;
} RemoveData;

static void
remove_data_free (RemoveData *data)
{
  g_weak_ref_clear (&data->window);
  g_clear_object (&data->profile);
  g_free (data);
}

static void
remove_key_cleared_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  RemoveData *data = user_data;
  g_autoptr(KgWindow) self = g_weak_ref_get (&data->window);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  kg_keyring_clear_finish (result, &error);
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      remove_data_free (data);
      return;
    }

  if (error != NULL)
    {
      /* Keep the connection so the key is not left behind unnoticed. */
      text = g_strdup_printf (_("“%s” was kept: its key could not be removed from the "
                                "keyring. %s"),
                              kg_profile_get_name (data->profile), error->message);
    }
  else
    {
      kg_app_context_set_has_key (self->context, data->profile, FALSE);
      if (kg_profile_store_remove (kg_app_context_get_store (self->context), data->profile, &error))
        /* Translators: %s is a connection name */
        text = g_strdup_printf (_("“%s” and its key were removed"),
                                kg_profile_get_name (data->profile));
      else
        text = g_strdup_printf (_("“%s” could not be removed: %s"),
                                kg_profile_get_name (data->profile), error->message);
    }

  _kg_window_toast (self, text);
  remove_data_free (data);
}

static void
remove_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    RemoveData       *data)
{
  g_autoptr(KgWindow) self = g_weak_ref_get (&data->window);
  RemoveData *op;

  if (self == NULL || g_strcmp0 (response, "remove") != 0)
    return;

  /* @data belongs to the dialog; the removal gets its own. */
  op = g_new0 (RemoveData, 1);
  g_weak_ref_init (&op->window, self);
  op->profile = g_object_ref (data->profile);
  kg_keyring_clear_async (op->profile, self->cancellable, remove_key_cleared_cb, op);
}

static void
kg_window_remove_connection_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  KgWindow *self = KG_WINDOW (widget);
  KgProfile *profile = kg_profile_store_find_by_id (kg_app_context_get_store (self->context),
                                                    g_variant_get_string (parameter, NULL));
  AdwMessageDialog *dialog;
  RemoveData *data;
  g_autofree char *heading = NULL;
  const char *body;

  if (profile == NULL)
    return;

  /* Translators: %s is a connection name */
  heading = g_strdup_printf (_("Remove “%s”?"), kg_profile_get_name (profile));
  /* "Its key" only when the keyring holds one. */
  switch (kg_app_context_get_has_key (self->context, profile))
    {
    case KG_TRISTATE_TRUE:
      body = _("The connection and its API key in the keyring are removed. The key itself "
               "stays valid in Odoo until you revoke it there.");
      break;
    case KG_TRISTATE_FALSE:
      body = _("The connection is removed. It has no API key in the keyring.");
      break;
    default:
      body = _("The connection is removed, with its API key if the keyring holds one.");
      break;
    }
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading, body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");

  data = g_new0 (RemoveData, 1);
  g_weak_ref_init (&data->window, self);
  data->profile = g_object_ref (profile);
  g_signal_connect_data (dialog, "response", G_CALLBACK (remove_response_cb), data,
                         (GClosureNotify) (void (*) (void)) remove_data_free, 0);

  gtk_window_present (GTK_WINDOW (dialog));
}

/* Errors from the pages -------------------------------------------------- */

void
_kg_window_class_actions_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.add-connection", NULL,
                                   kg_window_add_connection_action);
  gtk_widget_class_install_action (widget_class, "win.remove-connection", "s",
                                   kg_window_remove_connection_action);
  gtk_widget_class_install_action (widget_class, "win.rename-connection", "s",
                                   kg_window_rename_connection_action);
  gtk_widget_class_install_action (widget_class, "win.duplicate-connection", "s",
                                   kg_window_duplicate_connection_action);
  gtk_widget_class_install_action (widget_class, "win.send-request", "s",
                                   kg_window_request_action);
  gtk_widget_class_install_action (widget_class, "win.open-request", "s",
                                   kg_window_request_action);
  gtk_widget_class_install_action (widget_class, "win.try-demo", NULL,
                                   kg_window_try_demo_action);
  gtk_widget_class_install_action (widget_class, "win.show-two-factor", NULL,
                                   kg_window_show_two_factor_action);
  gtk_widget_class_install_action (widget_class, "win.show-page", "s",
                                   kg_window_show_page_action);
  gtk_widget_class_install_action (widget_class, "win.focus-url", NULL,
                                   kg_window_focus_url_action);
  gtk_widget_class_install_action (widget_class, "win.toast", "s",
                                   kg_window_toast_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.add-connection", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK,
                                       "win.focus-url", NULL);
  gtk_widget_class_install_action (widget_class, "win.show-nth-page", "u",
                                   kg_window_show_nth_page_action);
  for (guint i = 0; i < N_PAGES; i++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + i, GDK_ALT_MASK,
                                         "win.show-nth-page", "u", i + 1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
}
