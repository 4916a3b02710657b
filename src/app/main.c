/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "keygate-core.h"
#include "kg-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(KgApplication) app = NULL;
  g_autoptr(GError) error = NULL;

  /* API keys and tokens live in this process's memory: no crash dump. */
  if (!kg_process_protect_secrets (&error))
    g_warning ("%s", error->message);

  /* KEYGATE_LOCALEDIR: the build's po/ folder (see keygate-cli.c). */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("KEYGATE_LOCALEDIR") ? g_getenv ("KEYGATE_LOCALEDIR")
                                                                   : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = kg_application_new (APP_ID, G_APPLICATION_DEFAULT_FLAGS);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
