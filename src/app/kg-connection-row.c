/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "keygate-app"

#include "config.h"

#include <glib/gi18n.h>

#include "kg-connection-row.h"

struct _KgConnectionRow
{
  AdwBin         parent_instance;

  KgAppContext  *context;
  KgProfile     *profile;
  GSignalGroup  *profile_signals;

  GtkLabel      *name_label;
  GtkLabel      *login_label;
  GtkLabel      *subtitle_label;
  GtkWidget     *insecure_icon;
  GtkWidget     *key_icon;
  GtkMenuButton *menu_button;
};

G_DEFINE_FINAL_TYPE (KgConnectionRow, kg_connection_row, ADW_TYPE_BIN)

static void
kg_connection_row_update (KgConnectionRow *self)
{
  g_autofree char *subtitle = NULL;
  g_autofree char *label = NULL;
  g_autofree char *insecure_reason = NULL;
  const char *name;
  const char *login;
  gboolean has_key;
  gboolean insecure;

  if (self->profile == NULL)
    return;

  name = kg_profile_get_name (self->profile);
  login = kg_profile_get_login (self->profile);
  subtitle = kg_profile_dup_subtitle (self->profile);
  has_key = kg_app_context_get_has_key (self->context, self->profile) == KG_TRISTATE_TRUE;
  insecure = kg_profile_is_insecure (self->profile);
  insecure_reason = kg_profile_dup_insecure_reason (self->profile);

  gtk_label_set_label (self->name_label, name);
  /* Two logins on one server are told apart by the login. */
  gtk_label_set_label (self->login_label, login);
  gtk_widget_set_visible (GTK_WIDGET (self->login_label), login != NULL && login[0] != '\0');
  gtk_label_set_label (self->subtitle_label, subtitle);
  gtk_widget_set_visible (self->insecure_icon, insecure);
  /* http:// to another host, invalid certificates accepted, or both. */
  gtk_widget_set_tooltip_text (self->insecure_icon, insecure_reason);
  gtk_widget_set_visible (self->key_icon, has_key);

  /* Screen readers hear the icons' meaning as part of the row. */
  label = g_strdup_printf ("%s, %s, %s%s%s", name, login ? login : "", subtitle,
                           has_key ? _(", key stored") : "",
                           insecure ? _(", insecure") : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  /* GTK 4.8 reads a GtkListView row as its item widget, which has no name
   * of its own (gtk_list_item_set_accessible_label is GTK 4.12). */
  if (gtk_widget_get_parent (GTK_WIDGET (self)) != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_parent (GTK_WIDGET (self))),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                    -1);

  /* Translators: %s is a connection name */
  label = (g_free (label), g_strdup_printf (_("Menu of %s"), name));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);

}

/* The menu is made when it is opened: a menu model on every row made a
 * popover per row, at every rebinding of the list. */
static void
create_menu_cb (GtkMenuButton *button,
                gpointer       user_data)
{
  KgConnectionRow *self = KG_CONNECTION_ROW (user_data);
  g_autoptr(GMenu) menu = NULL;
  g_autoptr(GMenuItem) item = NULL;

  if (self->profile == NULL)
    return;

  menu = g_menu_new ();
  item = g_menu_item_new (_("_Rename"), NULL);
  g_menu_item_set_action_and_target_value (
    item, "win.rename-connection", g_variant_new_string (kg_profile_get_id (self->profile)));
  g_menu_append_item (menu, item);
  g_clear_object (&item);
  item = g_menu_item_new (_("_Duplicate"), NULL);
  g_menu_item_set_action_and_target_value (
    item, "win.duplicate-connection", g_variant_new_string (kg_profile_get_id (self->profile)));
  g_menu_append_item (menu, item);
  g_clear_object (&item);
  item = g_menu_item_new (_("_Remove…"), NULL);
  g_menu_item_set_action_and_target_value (
    item, "win.remove-connection", g_variant_new_string (kg_profile_get_id (self->profile)));
  g_menu_append_item (menu, item);
  gtk_menu_button_set_menu_model (button, G_MENU_MODEL (menu));
}

static void
key_state_changed_cb (KgConnectionRow *self,
                      KgProfile       *profile)
{
  if (self->profile != NULL &&
      g_strcmp0 (kg_profile_get_id (profile), kg_profile_get_id (self->profile)) == 0)
    kg_connection_row_update (self);
}

static void
kg_connection_row_dispose (GObject *object)
{
  KgConnectionRow *self = KG_CONNECTION_ROW (object);

  if (self->context != NULL)
    g_signal_handlers_disconnect_by_data (self->context, self);
  if (self->profile_signals != NULL)
    g_signal_group_set_target (self->profile_signals, NULL);
  g_clear_object (&self->profile_signals);
  g_clear_object (&self->context);
  g_clear_object (&self->profile);

  /* AdwBin keeps a pointer to its child: drop it before the template
   * children go, or AdwBin's dispose unparents a freed widget. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), KG_TYPE_CONNECTION_ROW);

  G_OBJECT_CLASS (kg_connection_row_parent_class)->dispose (object);
}

static void
kg_connection_row_class_init (KgConnectionRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kg_connection_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/kg-connection-row.ui");
  gtk_widget_class_bind_template_child (widget_class, KgConnectionRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, KgConnectionRow, login_label);
  gtk_widget_class_bind_template_child (widget_class, KgConnectionRow, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, KgConnectionRow, insecure_icon);
  gtk_widget_class_bind_template_child (widget_class, KgConnectionRow, key_icon);
  gtk_widget_class_bind_template_child (widget_class, KgConnectionRow, menu_button);
}

static void
kg_connection_row_init (KgConnectionRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Connected once; the list view rebinds the row to other profiles. */
  gtk_menu_button_set_create_popup_func (self->menu_button, create_menu_cb, self, NULL);
  self->profile_signals = g_signal_group_new (KG_TYPE_PROFILE);
  g_signal_group_connect_swapped (self->profile_signals, "notify",
                                  G_CALLBACK (kg_connection_row_update), self);
}

GtkWidget *
kg_connection_row_new (KgAppContext *context)
{
  KgConnectionRow *self;

  g_return_val_if_fail (KG_IS_APP_CONTEXT (context), NULL);

  self = g_object_new (KG_TYPE_CONNECTION_ROW, NULL);
  self->context = g_object_ref (context);
  g_signal_connect_object (context, "key-state-changed", G_CALLBACK (key_state_changed_cb),
                           self, G_CONNECT_SWAPPED);

  return GTK_WIDGET (self);
}

void
kg_connection_row_set_profile (KgConnectionRow *self,
                               KgProfile       *profile)
{
  g_return_if_fail (KG_IS_CONNECTION_ROW (self));
  g_return_if_fail (profile == NULL || KG_IS_PROFILE (profile));

  if (!g_set_object (&self->profile, profile))
    return;
  /* The menu of the previous profile goes; the next one is made on demand. */
  gtk_menu_button_set_menu_model (self->menu_button, NULL);
  g_signal_group_set_target (self->profile_signals, profile);
  kg_connection_row_update (self);
}

KgProfile *
kg_connection_row_get_profile (KgConnectionRow *self)
{
  g_return_val_if_fail (KG_IS_CONNECTION_ROW (self), NULL);
  return self->profile;
}
