/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Stub: the owner of this command replaces it. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "kg-cli.h"

int
kg_cli_diagnose (KgCli  *cli,
                 int     argc,
                 char  **argv)
{
  return kg_cli_usage (cli, "keygate-cli diagnose …",
                       _("The “diagnose” command is not available yet."));
}
