/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "kg-cli.h"

int
kg_cli_create_project (KgCli  *cli,
                       int     argc,
                       char  **argv)
{
  return kg_cli_usage (cli, "keygate-cli --help", _("Not available yet."));
}
