/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The application style sheet, style.css in the GResource.
 *
 * AdwApplication loads it from its resource base path on startup. Widgets
 * that also live without the application (the UI tests, the screenshot tool)
 * call kg_style_ensure_loaded() from their init, so they look the same
 * there. */
#define G_LOG_DOMAIN "keygate-app"

#include "config.h"

#include <adwaita.h>

#include "kg-style.h"

/**
 * kg_style_ensure_loaded:
 *
 * Loads style.css for the default display once, unless an AdwApplication is
 * running (it has loaded it already). Does nothing without a display.
 */
void
kg_style_ensure_loaded (void)
{
  static gboolean loaded;
  g_autoptr(GtkCssProvider) provider = NULL;
  GdkDisplay *display = gdk_display_get_default ();

  if (loaded || display == NULL)
    return;
  loaded = TRUE;
  if (ADW_IS_APPLICATION (g_application_get_default ()))
    return;

  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, RESOURCE_PREFIX "/style.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}
