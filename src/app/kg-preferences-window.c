/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "keygate-app"

#include "config.h"

#include "kg-preferences-window.h"

struct _KgPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  GSettings *settings;

  GtkSpinButton *timeout_spin;
  GtkSpinButton *clipboard_spin;
  GtkSpinButton *history_spin;
};

G_DEFINE_FINAL_TYPE (KgPreferencesWindow, kg_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

KgPreferencesWindow *
kg_preferences_window_new (void)
{
  return g_object_new (KG_TYPE_PREFERENCES_WINDOW, NULL);
}

static void
kg_preferences_window_dispose (GObject *object)
{
  KgPreferencesWindow *self = KG_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), KG_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (kg_preferences_window_parent_class)->dispose (object);
}

static void
kg_preferences_window_class_init (KgPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kg_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/kg-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, KgPreferencesWindow, timeout_spin);
  gtk_widget_class_bind_template_child (widget_class, KgPreferencesWindow, clipboard_spin);
  gtk_widget_class_bind_template_child (widget_class, KgPreferencesWindow, history_spin);
}

static void
kg_preferences_window_init (KgPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (BASE_APP_ID);
  g_settings_bind (self->settings, "default-timeout", self->timeout_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "clipboard-clear-delay", self->clipboard_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "history-max-entries", self->history_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
}
