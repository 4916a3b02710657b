/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Standalone driver for the fuzz targets when they are built without
 * libFuzzer: feeds every file named on the command line (or found in a
 * directory named on it) to LLVMFuzzerTestOneInput, once each. Used by the
 * corpus replay tests and to replay a crash with gcc:
 *   build/tests/fuzz/fuzz-redact-replay tests/fuzz/crashes/fuzz-redact/crash-…
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-common.h"

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static guint
run_path (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len = 0;

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, &error);
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      const char *name;
      guint n = 0;

      if (dir == NULL)
        {
          fprintf (stderr, "%s\n", error->message);
          exit (1);
        }
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          if (name[0] != '.')
            g_ptr_array_add (names, g_build_filename (path, name, NULL));
        }
      /* A fixed order, so a failure names the same file every time. */
      g_ptr_array_sort (names, compare_paths);
      for (guint i = 0; i < names->len; i++)
        n += run_path (g_ptr_array_index (names, i));
      return n;
    }

  if (!g_file_get_contents (path, &contents, &len, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      exit (1);
    }
  printf ("# %s (%" G_GSIZE_FORMAT " bytes)\n", path, len);
  fflush (stdout);
  LLVMFuzzerTestOneInput ((const uint8_t *) contents, len);
  return 1;
}

int
main (int   argc,
      char *argv[])
{
  guint n = 0;

  if (argc < 2)
    {
      fprintf (stderr, "Usage: %s FILE|DIR...\n", argv[0]);
      return 2;
    }

  for (int i = 1; i < argc; i++)
    n += run_path (argv[i]);

  if (n == 0)
    {
      fprintf (stderr, "No input files found\n");
      return 1;
    }
  printf ("%u inputs replayed without a finding\n", n);
  return 0;
}
