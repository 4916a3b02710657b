/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>

#include "keygate-core.h"

int
main (int   argc,
      char *argv[])
{
  fprintf (stderr, "keygate-cli %s: no commands yet\n", PACKAGE_VERSION);
  return KG_EXIT_USAGE;
}
