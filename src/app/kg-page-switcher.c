/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Icon-only page switcher for narrow windows (see kg-page-switcher.h). It
 * follows the stack's pages model: pages added or removed, their
 * visibility, icon and title, and the selected page. */
#define G_LOG_DOMAIN "keygate-app"

#include "config.h"

#include "kg-page-switcher.h"

struct _KgPageSwitcher
{
  GtkWidget          parent_instance;

  AdwViewStack      *stack;
  GtkSelectionModel *pages;
  gboolean           syncing;
};

G_DEFINE_FINAL_TYPE (KgPageSwitcher, kg_page_switcher, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STACK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
sync_active (KgPageSwitcher *self)
{
  guint i = 0;

  self->syncing = TRUE;
  for (GtkWidget *button = gtk_widget_get_first_child (GTK_WIDGET (self)); button != NULL;
       button = gtk_widget_get_next_sibling (button), i++)
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button),
                                  gtk_selection_model_is_selected (self->pages, i));
  self->syncing = FALSE;
}

static void
button_toggled_cb (GtkToggleButton *button,
                   KgPageSwitcher  *self)
{
  guint position = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "position"));

  if (self->syncing || !gtk_toggle_button_get_active (button))
    return;
  gtk_selection_model_select_item (self->pages, position, TRUE);
}

static void
update_button (GtkWidget        *button,
               AdwViewStackPage *page)
{
  const char *title = adw_view_stack_page_get_title (page);

  gtk_button_set_icon_name (GTK_BUTTON (button), adw_view_stack_page_get_icon_name (page));
  gtk_widget_set_tooltip_text (button, title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  title ? title : "", -1);
}

static void
rebuild (KgPageSwitcher *self)
{
  GtkWidget *child;
  GtkToggleButton *group = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  if (self->pages == NULL)
    return;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->pages)); i++)
    {
      g_autoptr(AdwViewStackPage) page = g_list_model_get_item (G_LIST_MODEL (self->pages), i);
      GtkWidget *button = gtk_toggle_button_new ();

      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_hexpand (button, TRUE);
      g_object_set_data (G_OBJECT (button), "position", GUINT_TO_POINTER (i));
      update_button (button, page);
      g_object_bind_property (page, "visible", button, "visible", G_BINDING_SYNC_CREATE);
      g_signal_connect_object (page, "notify::icon-name", G_CALLBACK (update_button), button,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (page, "notify::title", G_CALLBACK (update_button), button,
                               G_CONNECT_SWAPPED);
      if (group != NULL)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), group);
      else
        group = GTK_TOGGLE_BUTTON (button);
      g_signal_connect (button, "toggled", G_CALLBACK (button_toggled_cb), self);
      gtk_widget_set_parent (button, GTK_WIDGET (self));
    }
  sync_active (self);
}

static void
items_changed_cb (KgPageSwitcher *self)
{
  rebuild (self);
}

void
kg_page_switcher_set_stack (KgPageSwitcher *self,
                            AdwViewStack   *stack)
{
  g_return_if_fail (KG_IS_PAGE_SWITCHER (self));
  g_return_if_fail (stack == NULL || ADW_IS_VIEW_STACK (stack));

  if (self->stack == stack)
    return;
  if (self->pages != NULL)
    g_signal_handlers_disconnect_by_data (self->pages, self);
  g_clear_object (&self->pages);
  g_set_object (&self->stack, stack);
  if (stack != NULL)
    {
      self->pages = adw_view_stack_get_pages (stack);
      g_signal_connect_object (self->pages, "items-changed", G_CALLBACK (items_changed_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (self->pages, "selection-changed", G_CALLBACK (sync_active), self,
                               G_CONNECT_SWAPPED);
    }
  rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STACK]);
}

AdwViewStack *
kg_page_switcher_get_stack (KgPageSwitcher *self)
{
  g_return_val_if_fail (KG_IS_PAGE_SWITCHER (self), NULL);
  return self->stack;
}

GtkWidget *
kg_page_switcher_new (void)
{
  return g_object_new (KG_TYPE_PAGE_SWITCHER, NULL);
}

static void
kg_page_switcher_dispose (GObject *object)
{
  KgPageSwitcher *self = KG_PAGE_SWITCHER (object);
  GtkWidget *child;

  if (self->pages != NULL)
    g_signal_handlers_disconnect_by_data (self->pages, self);
  g_clear_object (&self->pages);
  g_clear_object (&self->stack);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (kg_page_switcher_parent_class)->dispose (object);
}

static void
kg_page_switcher_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_STACK:
      g_value_set_object (value, KG_PAGE_SWITCHER (object)->stack);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kg_page_switcher_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_STACK:
      kg_page_switcher_set_stack (KG_PAGE_SWITCHER (object), g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kg_page_switcher_class_init (KgPageSwitcherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kg_page_switcher_dispose;
  object_class->get_property = kg_page_switcher_get_property;
  object_class->set_property = kg_page_switcher_set_property;

  properties[PROP_STACK] =
    g_param_spec_object ("stack", NULL, NULL, ADW_TYPE_VIEW_STACK,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "kgpageswitcher");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
kg_page_switcher_init (KgPageSwitcher *self)
{
  gtk_widget_add_css_class (GTK_WIDGET (self), "toolbar");
}
