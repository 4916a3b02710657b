/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "keygate-app"

#include "config.h"

#include <glib/gi18n.h>

#include "kg-application.h"
#include "kg-preferences-window.h"
#include "kg-window.h"

struct _KgApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (KgApplication, kg_application, ADW_TYPE_APPLICATION)

KgApplication *
kg_application_new (const char        *application_id,
                    GApplicationFlags  flags)
{
  g_return_val_if_fail (application_id != NULL, NULL);

  /* The resource base path is fixed, so the .Devel variant finds the same
   * gtk/help-overlay.ui and icons/ in the GResource. */
  return g_object_new (KG_TYPE_APPLICATION,
                       "application-id", application_id,
                       "flags", flags,
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
}

static void
kg_application_activate (GApplication *app)
{
  GtkWindow *window;

  /* A second launch lands here in the primary instance: present the window
   * that is already open instead of opening another one. */
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window == NULL)
    window = GTK_WINDOW (kg_window_new (ADW_APPLICATION (app)));

  gtk_window_present (window);
}

static void
kg_application_quit_action (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (app));

  /* Close the windows first (not destroy) so each one saves its state. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (GTK_WINDOW (l->data));

  g_application_quit (G_APPLICATION (app));
}

static void
kg_application_about_action (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  static const char *developers[] = { "The Keygate developers", NULL };

  adw_show_about_window (gtk_application_get_active_window (app),
                         "application-name", _("Keygate"),
                         "application-icon", APP_ID,
                         "version", PACKAGE_VERSION,
                         "developer-name", "The Keygate developers",
                         "developers", developers,
                         "copyright", "© 2026 The Keygate developers",
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "website", PACKAGE_WEBSITE,
                         "issue-url", PACKAGE_WEBSITE "/issues",
                         "comments", _("Keep Odoo API keys in your keyring and test the APIs that use them"),
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
kg_application_shortcuts_action (GSimpleAction *action,
                                 GVariant      *parameter,
                                 gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  if (window != NULL)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
}

static void
kg_application_preferences_action (GSimpleAction *action,
                                   GVariant      *parameter,
                                   gpointer       user_data)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  KgPreferencesWindow *prefs = kg_preferences_window_new ();

  gtk_window_set_transient_for (GTK_WINDOW (prefs), parent);
  gtk_window_present (GTK_WINDOW (prefs));
}

static const GActionEntry app_actions[] = {
  { .name = "quit", .activate = kg_application_quit_action },
  { .name = "about", .activate = kg_application_about_action },
  { .name = "shortcuts", .activate = kg_application_shortcuts_action },
  { .name = "preferences", .activate = kg_application_preferences_action },
};

static void
kg_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (kg_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences",
                                         preferences_accels);
}

static void
kg_application_class_init (KgApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = kg_application_activate;
  app_class->startup = kg_application_startup;
}

static void
kg_application_init (KgApplication *self)
{
}
