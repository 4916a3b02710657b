/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "keygate-process"

#include "config.h"

#include <errno.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <gio/gio.h>

#include "kg-process.h"

gboolean
kg_process_protect_secrets (GError **error)
{
  struct rlimit no_core = { 0, 0 };

  if (setrlimit (RLIMIT_CORE, &no_core) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Could not turn off core dumps: %s", g_strerror (saved_errno));
      return FALSE;
    }

#ifndef __SANITIZE_ADDRESS__
  /* LeakSanitizer inspects the process with ptrace at exit: sanitizer
   * builds keep it dumpable (they never reach users). */
  if (prctl (PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Could not mark the process undumpable: %s", g_strerror (saved_errno));
      return FALSE;
    }
#endif

  return TRUE;
}
