/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <stdarg.h>
#include <string.h>

#include "kg-test-utils.h"

static GString *logged_text;
static GMutex log_mutex;

/* Integration settings may come from a file named by KEYGATE_ODOO_ENV_FILE
 * (the keygate-test.env a seeded real Odoo writes, see docs/HACKING.md,
 * "Real Odoo integration tests") instead of the environment:
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

guint16
kg_test_closed_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, address, FALSE, &error));
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  /* Closed without listen(): connecting is refused. */
  g_socket_close (socket, NULL);
  return port;
}

char *
kg_test_closed_url (void)
{
  return g_strdup_printf ("http://127.0.0.1:%u", kg_test_closed_port ());
}

static void
append_finding (GString    *text,
                const char *check,
                const char *status)
{
  if (text->len > 0)
    g_string_append_c (text, ' ');
  g_string_append_printf (text, "%s:%s", check, status);
}

char *
kg_test_findings_sequence (GListModel *findings)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (findings); i++)
    {
      g_autoptr(KgFinding) finding = g_list_model_get_item (findings, i);

      append_finding (text, kg_finding_get_check (finding),
                      kg_finding_status_to_string (kg_finding_get_status (finding)));
      g_assert_nonnull (kg_finding_get_title (finding));
      g_assert_cmpstr (kg_finding_get_title (finding), !=, "");
      g_assert_nonnull (kg_finding_get_explanation (finding));
      if (kg_finding_get_status (finding) == KG_FINDING_PROBLEM)
        {
          g_assert_nonnull (kg_finding_get_remedy (finding));
          g_assert_nonnull (kg_finding_get_error_kind (finding));
        }
    }

  g_test_message ("findings: %s", text->str);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

char *
kg_test_findings_sequence_json (JsonArray *findings)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (findings); i++)
    {
      JsonObject *finding = json_array_get_object_element (findings, i);

      append_finding (text, json_object_get_string_member (finding, "check"),
                      json_object_get_string_member (finding, "status"));
      g_assert_true (json_object_has_member (finding, "title"));
      g_assert_true (json_object_has_member (finding, "explanation"));
      g_assert_true (json_object_has_member (finding, "remedy"));
    }

  g_test_message ("findings: %s", text->str);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

void
kg_test_skip_unless_ci (const char *reason)
{
  const char *ci = g_getenv ("CI");

  if (ci != NULL && ci[0] != '\0')
    g_test_fail_printf ("%s, and CI is set: a missing tool must not hide a test", reason);
  else
    g_test_skip (reason);
}

void
kg_cli_run_clear (KgCliRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
  g_clear_pointer (&run->json, json_object_unref);
}

void
kg_test_run_cli_argv (KgCliRun           *run,
                      const char         *input,
                      const char * const *secrets,
                      const char * const *args)
{
  g_autofree char *cli = g_build_filename (g_getenv ("KEYGATE_BUILD_DIR"), "src", "cli",
                                           "keygate-cli", NULL);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  g_strv_builder_add (builder, cli);
  g_strv_builder_addv (builder, (const char **) args);
  argv = g_strv_builder_end (builder);

  process = g_subprocess_newv ((const char * const *) argv,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input ? input : "", NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
  g_test_message ("keygate-cli %s %s → %d\nstdout: %s\nstderr: %s", args[0] ? args[0] : "",
                  args[0] && args[1] ? args[1] : "", run->status, run->out, run->err);

  /* No secret ever reaches the terminal. */
  for (guint i = 0; secrets != NULL && secrets[i] != NULL; i++)
    {
      if (strstr (run->out, secrets[i]) != NULL || strstr (run->err, secrets[i]) != NULL)
        g_error ("keygate-cli %s printed a secret", args[0] ? args[0] : "");
    }

  if (g_strv_contains (args, "--json"))
    {
      g_autoptr(JsonNode) node = json_from_string (run->out, &error);

      /* Exactly one JSON object on stdout. */
      g_assert_no_error (error);
      g_assert_nonnull (node);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
      run->json = json_object_ref (json_node_get_object (node));
      g_assert_true (json_object_has_member (run->json, "ok"));
      g_assert_true (json_object_get_boolean_member (run->json, "ok") == (run->status == 0));
    }
}

void
kg_test_run_cli_valist (KgCliRun           *run,
                        const char         *input,
                        const char * const *secrets,
                        const char         *first,
                        va_list             ap)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();

  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  g_ptr_array_add (args, NULL);
  kg_test_run_cli_argv (run, input, secrets, (const char * const *) args->pdata);
}

void
kg_test_run_cli (KgCliRun           *run,
                 const char         *input,
                 const char * const *secrets,
                 const char         *first,
                 ...)
{
  va_list ap;

  va_start (ap, first);
  kg_test_run_cli_valist (run, input, secrets, first, ap);
  va_end (ap);
}

/* ---- A real Odoo (docs/HACKING.md) --------------------------------------- */

static const char * const odoo_secret_names[] = {
  "KEYGATE_ODOO_ALICE_KEY", "KEYGATE_ODOO_ALICE_PASSWORD", "KEYGATE_ODOO_BOB_KEY",
  "KEYGATE_ODOO_CAROL_PASSWORD", "KEYGATE_ODOO_EXPIRED_KEY", NULL
};

const char *
kg_test_odoo_env (const char *name)
{
  const char *value = g_getenv (name);

  return value != NULL && value[0] != '\0' ? value : NULL;
}

gboolean
kg_test_odoo_need (const char *name)
{
  g_autofree char *message = NULL;

  if (kg_test_odoo_env (name) != NULL)
    return TRUE;
  message = g_strdup_printf ("%s is not set", name);
  g_test_skip (message);
  return FALSE;
}

const char * const *
kg_test_odoo_secrets (void)
{
  static const char *secrets[G_N_ELEMENTS (odoo_secret_names)];
  guint n = 0;

  for (guint i = 0; odoo_secret_names[i] != NULL; i++)
    if (kg_test_odoo_env (odoo_secret_names[i]) != NULL)
      secrets[n++] = kg_test_odoo_env (odoo_secret_names[i]);
  secrets[n] = NULL;
  return secrets;
}

static char *skip_reason;

static void
skip_test (void)
{
  g_test_skip (skip_reason);
}

int
kg_test_run_skipped (const char *path,
                     const char *reason)
{
  int rc;

  skip_reason = g_strdup (reason);
  g_printerr ("SKIP: %s\n", reason);
  g_test_add_func (path, skip_test);
  rc = g_test_run ();
  g_clear_pointer (&skip_reason, g_free);
  /* GLib's TAP mode answers 0 when everything skipped: tell meson it is
   * a skip (77), also under CI, which has no Odoo. */
  return rc == 0 ? 77 : rc;
}

int
kg_test_odoo_skip_unless (const char         *path,
                          const char * const *needed)
{
  static const char * const basics[] = {
    "KEYGATE_ODOO_URL", "KEYGATE_ODOO_DB", "KEYGATE_ODOO_ALICE_KEY", NULL
  };
  g_autoptr(GString) missing = g_string_new (NULL);
  g_autofree char *reason = NULL;

  if (needed == NULL)
    needed = basics;
  for (guint i = 0; needed[i] != NULL; i++)
    if (kg_test_odoo_env (needed[i]) == NULL)
      g_string_append_printf (missing, "%s%s", missing->len > 0 ? ", " : "", needed[i]);
  if (missing->len == 0)
    return -1;

  reason = g_strdup_printf ("No real Odoo configured: %s not set (or named in a file in "
                            "KEYGATE_ODOO_ENV_FILE); see docs/HACKING.md, \"Real Odoo "
                            "integration tests\".", missing->str);
  return kg_test_run_skipped (path, reason);
}

/* ---- Files in the test's temp dir, and JUnit --------------------------- */

char *
kg_test_tmp_path (const char *name)
{
  return g_build_filename (kg_test_get_tmpdir (), name, NULL);
}

char *
kg_test_write_tmp_file (const char *name,
                        const char *contents)
{
  g_autofree char *path = kg_test_tmp_path (name);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

typedef struct
{
  char      *suite;
  GPtrArray *cases;     /* "name|time|failure message" or "name|time|skipped" */
  GString   *current;
  gboolean   in_case;
} Junit;

static void
junit_start (GMarkupParseContext  *context,
             const char           *element,
             const char          **names,
             const char          **values,
             gpointer              user_data,
             GError              **error)
{
  Junit *junit = user_data;
  const char *name = NULL;
  const char *time = NULL;
  const char *message = NULL;

  for (guint i = 0; names[i] != NULL; i++)
    {
      if (g_str_equal (names[i], "name"))
        name = values[i];
      else if (g_str_equal (names[i], "time"))
        time = values[i];
      else if (g_str_equal (names[i], "message"))
        message = values[i];
    }
  if (g_str_equal (element, "testsuite"))
    junit->suite = g_strdup (name);
  else if (g_str_equal (element, "testcase"))
    {
      g_assert_nonnull (time);
      g_assert_true (g_regex_match_simple ("^\\d+\\.\\d{3}$", time, 0, 0));
      junit->current = g_string_new (name);
      g_string_append (junit->current, "|");
    }
  else if (g_str_equal (element, "failure"))
    g_string_append (junit->current, message);
  else if (g_str_equal (element, "skipped"))
    g_string_append (junit->current, "skipped");
}

static void
junit_end (GMarkupParseContext  *context,
           const char           *element,
           gpointer              user_data,
           GError              **error)
{
  Junit *junit = user_data;

  if (g_str_equal (element, "testcase"))
    g_ptr_array_add (junit->cases, g_string_free (g_steal_pointer (&junit->current), FALSE));
}

char *
kg_test_read_junit (const char  *path,
                    char       **suite)
{
  const GMarkupParser parser = { junit_start, junit_end, NULL, NULL, NULL };
  Junit junit = { NULL, g_ptr_array_new_with_free_func (g_free), NULL, FALSE };
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  char *joined;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (contents, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
  context = g_markup_parse_context_new (&parser, 0, &junit, NULL);
  g_markup_parse_context_parse (context, contents, -1, &error);
  g_assert_no_error (error);
  g_markup_parse_context_end_parse (context, &error);
  g_assert_no_error (error);
  *suite = junit.suite;
  g_ptr_array_add (junit.cases, NULL);
  joined = g_strjoinv ("\n", (char **) junit.cases->pdata);
  g_ptr_array_unref (junit.cases);
  return joined;
}

gboolean
kg_test_has_token_run (const char *text,
                       guint       min_length)
{
  guint run = 0;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p) || *p == '_' || *p == '-')
        {
          if (++run >= min_length)
            return TRUE;
        }
      else
        run = 0;
    }
  return FALSE;
}
