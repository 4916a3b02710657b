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

  char *demo_url;
};

G_DEFINE_FINAL_TYPE (KgApplication, kg_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_DEMO_URL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

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

/**
 * kg_application_get_demo_url:
 *
 * Returns: (nullable): the URL of the bundled demo server, taken from
 *   `KEYGATE_DEMO_URL` when the application was created (build-aux/run.sh
 *   sets it), or %NULL.
 */
const char *
kg_application_get_demo_url (KgApplication *self)
{
  g_return_val_if_fail (KG_IS_APPLICATION (self), NULL);

  return self->demo_url;
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
kg_application_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  KgApplication *self = KG_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_DEMO_URL:
      g_value_set_string (value, self->demo_url);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kg_application_finalize (GObject *object)
{
  KgApplication *self = KG_APPLICATION (object);

  g_clear_pointer (&self->demo_url, g_free);

  G_OBJECT_CLASS (kg_application_parent_class)->finalize (object);
}

static void
kg_application_class_init (KgApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->get_property = kg_application_get_property;
  object_class->finalize = kg_application_finalize;

  app_class->activate = kg_application_activate;
  app_class->startup = kg_application_startup;

  /**
   * KgApplication:demo-url:
   *
   * The URL of the bundled demo server (`KEYGATE_DEMO_URL`), or %NULL.
   */
  properties[PROP_DEMO_URL] =
    g_param_spec_string ("demo-url", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kg_application_init (KgApplication *self)
{
  const char *demo_url = g_getenv ("KEYGATE_DEMO_URL");

  if (demo_url != NULL && *demo_url != '\0')
    self->demo_url = g_strdup (demo_url);
}
