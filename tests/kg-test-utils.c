/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "kg-test-utils.h"

static GString *logged_text;
static GMutex log_mutex;

/* Integration settings may come from a file named by KEYGATE_ODOO_ENV_FILE
 * (e.g. /tmp/keygate-odoo/keygate-test.env) instead of the environment:
 * meson writes the whole environment of `meson test` into its log, so keys
 * given as variables would end up in build/meson-logs. Only KEYGATE_ODOO_*
 * lines are taken; variables already set win. */
static void
load_env_file (void)
{
  const char *path = g_getenv ("KEYGATE_ODOO_ENV_FILE");
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;

  if (path == NULL || path[0] == '\0')
    return;
  if (!g_file_get_contents (path, &contents, NULL, &error))
    {
      g_printerr ("KEYGATE_ODOO_ENV_FILE: %s\n", error->message);
      return;
    }

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      char *eq = strchr (line, '=');

      if (!g_str_has_prefix (line, "KEYGATE_ODOO_") || eq == NULL)
        continue;
      *eq = '\0';
      g_setenv (line, eq + 1, FALSE);
    }
}

void
kg_test_init (int    *argc,
              char ***argv)
{
  load_env_file ();

  setlocale (LC_ALL, "");
  g_test_init (argc, argv, NULL);

  if (g_getenv ("KEYGATE_TEST_TMPDIR") == NULL)
    g_error ("Run tests through meson (tests/isolated.sh): KEYGATE_TEST_TMPDIR is not set");
}

const char *
kg_test_get_tmpdir (void)
{
  return g_getenv ("KEYGATE_TEST_TMPDIR");
}

void
kg_test_store_result_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  g_assert_null (*out);
  *out = g_object_ref (result);
}

GAsyncResult *
kg_test_wait_result (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return g_steal_pointer (result);
}

static guint
scan_dir (GFile      *dir,
          const char *needle)
{
  g_autoptr(GFileEnumerator) children = NULL;
  g_autoptr(GError) error = NULL;
  guint scanned = 0;

  children = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                        G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, &error);
  g_assert_no_error (error);

  for (;;)
    {
      GFileInfo *info = NULL;
      GFile *child = NULL;

      g_assert_true (g_file_enumerator_iterate (children, &info, &child, NULL, &error));
      g_assert_no_error (error);
      if (info == NULL)
        break;

      if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
        {
          scanned += scan_dir (child, needle);
        }
      else if (g_file_info_get_file_type (info) == G_FILE_TYPE_REGULAR)
        {
          g_autofree char *contents = NULL;
          g_autofree char *path = g_file_get_path (child);
          gsize len = 0;

          g_assert_true (g_file_load_contents (child, NULL, &contents, &len, NULL, &error));
          g_assert_no_error (error);
          if (memmem (contents, len, needle, strlen (needle)) != NULL)
            g_error ("A secret was written to %s", path);
          scanned++;
        }
    }

  return scanned;
}

guint
kg_test_assert_dir_lacks (const char *dir,
                          const char *needle)
{
  g_autoptr(GFile) file = g_file_new_for_path (dir);

  g_assert_nonnull (needle);
  g_assert_cmpuint (strlen (needle), >, 0);
  return scan_dir (file, needle);
}

static GLogWriterOutput
capture_writer (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  g_mutex_lock (&log_mutex);
  for (gsize i = 0; i < n_fields; i++)
    {
      if (fields[i].length < 0)
        g_string_append (logged_text, fields[i].value);
      else
        g_string_append_len (logged_text, fields[i].value, fields[i].length);
      g_string_append_c (logged_text, ' ');
    }
  g_string_append_c (logged_text, '\n');
  g_mutex_unlock (&log_mutex);

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

void
kg_test_capture_logs (void)
{
  if (logged_text != NULL)
    return;
  logged_text = g_string_new (NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);
}

const char *
kg_test_get_logged_text (void)
{
  return logged_text ? logged_text->str : "";
}
