/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>

int
main (void)
{
  fprintf (stderr, "keygate-demo-server: not written yet\n");
  return 1;
}
