/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <sys/prctl.h>
#include <sys/resource.h>

#include "kg-test-utils.h"

/* A crash of a process holding a key must not leave a core file behind,
 * and other processes must not read its memory. */
static void
test_process_protect_secrets (void)
{
  g_autoptr(GError) error = NULL;
  struct rlimit limit;

  g_assert_cmpint (prctl (PR_GET_DUMPABLE, 0, 0, 0, 0), ==, 1);

  g_assert_true (kg_process_protect_secrets (&error));
  g_assert_no_error (error);

#ifndef __SANITIZE_ADDRESS__
  g_assert_cmpint (prctl (PR_GET_DUMPABLE, 0, 0, 0, 0), ==, 0);
#endif
  g_assert_cmpint (getrlimit (RLIMIT_CORE, &limit), ==, 0);
  g_assert_cmpuint (limit.rlim_cur, ==, 0);
  g_assert_cmpuint (limit.rlim_max, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  kg_test_init (&argc, &argv);

  g_test_add_func ("/core/process/protect-secrets", test_process_protect_secrets);

  return g_test_run ();
}
