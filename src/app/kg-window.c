/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "keygate-app"

#include "config.h"

#include <glib/gi18n.h>

#include "kg-window.h"

struct _KgWindow
{
  AdwApplicationWindow parent_instance;

  GSettings *settings;

  /* Template children. The sidebar pane is hidden until there is a
   * connection to list (the main-window issue fills it). */
  AdwToastOverlay *toast_overlay;
  AdwLeaflet *leaflet;
  GtkWidget *sidebar_pane;
  GtkWidget *sidebar_separator;
  GtkWidget *content_pane;
  AdwHeaderBar *content_header;
  GtkMenuButton *primary_menu_button;
  GtkStack *main_stack;
  AdwStatusPage *empty_page;
  GtkButton *add_connection_button;
};

G_DEFINE_FINAL_TYPE (KgWindow, kg_window, ADW_TYPE_APPLICATION_WINDOW)

KgWindow *
kg_window_new (AdwApplication *application)
{
  g_return_val_if_fail (ADW_IS_APPLICATION (application), NULL);

  return g_object_new (KG_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

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

static gboolean
kg_window_close_request (GtkWindow *window)
{
  kg_window_save_state (KG_WINDOW (window));

  return GTK_WINDOW_CLASS (kg_window_parent_class)->close_request (window);
}

static void
kg_window_add_connection_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  /* The connection editor arrives with the main-window issue. */
  g_debug ("%s: no connection editor yet", action_name);
}

static void
kg_window_dispose (GObject *object)
{
  KgWindow *self = KG_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), KG_TYPE_WINDOW);

  G_OBJECT_CLASS (kg_window_parent_class)->dispose (object);
}

static void
kg_window_finalize (GObject *object)
{
  KgWindow *self = KG_WINDOW (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (kg_window_parent_class)->finalize (object);
}

static void
kg_window_class_init (KgWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = kg_window_dispose;
  object_class->finalize = kg_window_finalize;

  window_class->close_request = kg_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/kg-window.ui");
  gtk_widget_class_bind_template_child (widget_class, KgWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, KgWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, KgWindow, sidebar_pane);
  gtk_widget_class_bind_template_child (widget_class, KgWindow, sidebar_separator);
  gtk_widget_class_bind_template_child (widget_class, KgWindow, content_pane);
  gtk_widget_class_bind_template_child (widget_class, KgWindow, content_header);
  gtk_widget_class_bind_template_child (widget_class, KgWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, KgWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, KgWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, KgWindow, add_connection_button);

  gtk_widget_class_install_action (widget_class, "win.add-connection", NULL,
                                   kg_window_add_connection_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.add-connection", NULL);
}

static void
kg_window_init (KgWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (BASE_APP_ID);
  kg_window_restore_state (self);

#if DEVELOPMENT_BUILD
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif
}
