/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>

#include "kg-cli.h"

#define USAGE "keygate-cli diagnose NAME [--password-stdin] [--json]"

/* One line from stdin; the terminal does not echo it. */
static char *
read_password (GError **error)
{
  struct termios saved;
  gboolean restore = FALSE;
  char *line;

  if (isatty (STDIN_FILENO) && tcgetattr (STDIN_FILENO, &saved) == 0)
    {
      struct termios quiet = saved;

      quiet.c_lflag &= ~(tcflag_t) ECHO;
      restore = tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
      fprintf (stderr, "%s", _("Password: "));
      fflush (stderr);
    }

  line = kg_cli_read_secret_line (error);

  if (restore)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
      fprintf (stderr, "\n");
    }

  return line;
}

static const char *
status_marker (KgFindingStatus status)
{
  switch (status)
    {
    case KG_FINDING_OK:
      return "[ok]     ";
    case KG_FINDING_WARNING:
      return "[warning]";
    case KG_FINDING_PROBLEM:
    default:
      return "[problem]";
    }
}

static void
append_indented (GString    *out,
                 const char *text,
                 const char *first_prefix,
                 const char *prefix)
{
  g_auto(GStrv) lines = NULL;

  if (text == NULL || *text == '\0')
    return;

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    g_string_append_printf (out, "%s%s\n", i == 0 ? first_prefix : prefix, lines[i]);
}

/* Findings hold server text (messages, names): the whole report goes out
 * through kg_cli_write, redacted and with control characters escaped. */
static void
print_human (KgCli       *cli,
             KgDiagnosis *diagnosis,
             KgProfile   *profile)
{
  GListModel *findings = kg_diagnosis_get_findings (diagnosis);
  guint n = g_list_model_get_n_items (findings);
  g_autofree char *subtitle = kg_profile_dup_subtitle (profile);
  g_autoptr(GString) out = g_string_new (NULL);

  g_string_append_printf (out, _("Diagnosis of “%s” (%s as %s)\n"), kg_profile_get_name (profile),
                          subtitle, kg_profile_get_login (profile));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KgFinding) finding = g_list_model_get_item (findings, i);

      g_string_append_printf (out, "\n%s %s\n", status_marker (kg_finding_get_status (finding)),
                              kg_finding_get_title (finding));
      append_indented (out, kg_finding_get_explanation (finding), "          ", "          ");
      /* TRANSLATORS: prefix of the remedy line of a diagnosis finding */
      append_indented (out, kg_finding_get_remedy (finding), _("          → "),
                       "            ");
    }

  g_string_append (out, "\n");
  switch (kg_diagnosis_get_verdict (diagnosis))
    {
    case KG_FINDING_OK:
      g_string_append_printf (out, "%s\n", _("Everything checked is fine."));
      break;
    case KG_FINDING_WARNING:
      g_string_append_printf (out, "%s\n", _("No problem found, but read the warnings."));
      break;
    case KG_FINDING_PROBLEM:
    default:
      g_string_append_printf (out, "%s\n", _("Problems found: see the remedies above."));
      break;
    }
  kg_cli_write (cli, stdout, out->str);
}

static void
print_json (KgCli       *cli,
            KgDiagnosis *diagnosis)
{
  GListModel *findings = kg_diagnosis_get_findings (diagnosis);
  guint n = g_list_model_get_n_items (findings);
  g_autoptr(JsonObject) out = json_object_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;
  JsonArray *array = json_array_new ();
  KgFindingStatus verdict = kg_diagnosis_get_verdict (diagnosis);

  /* "ok" is false exactly when a finding is a problem (kg_cli_print_json
   * would always say true). */
  json_object_set_boolean_member (out, "ok", verdict != KG_FINDING_PROBLEM);
  json_object_set_string_member (out, "verdict", kg_finding_status_to_string (verdict));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KgFinding) finding = g_list_model_get_item (findings, i);

      json_array_add_object_element (array, kg_finding_to_json (finding));
    }
  json_object_set_array_member (out, "findings", array);
  kg_cli_print_json_object (cli, out);
}

int
kg_cli_diagnose (KgCli  *cli,
                 int     argc,
                 char  **argv)
{
  gboolean password_stdin = FALSE;
  const KgCliOption table[] = {
    { "password-stdin", KG_CLI_OPTION_FLAG, &password_stdin, NULL },
    { NULL }
  };
  g_autoptr(KgProfile) profile = NULL;
  g_autoptr(KgDiagnosis) diagnosis = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KgSecretString) key = NULL;
  g_autoptr(KgSecretString) password = NULL;
  GAsyncResult *pending = NULL;
  int rc = KG_EXIT_OK;

  profile = kg_cli_parse_profile_command (cli, USAGE, table, argc, argv, &rc);
  if (profile == NULL)
    return rc;

  /* A missing key is a finding, not a failure. */
  key = kg_cli_lookup_key (cli, profile, &error);
  if (key == NULL)
    {
      if (!g_error_matches (error, KG_ERROR, KG_ERROR_KEY_NOT_FOUND))
        {
          g_autofree char *warning =
            g_strdup_printf (_("Warning: the API key could not be read from the keyring (%s). "
                               "Diagnosing without it.\n"), error->message);

          kg_cli_write (cli, stderr, warning);
        }
      g_clear_error (&error);
    }

  if (password_stdin)
    {
      /* Said before anything is sent, on stderr so --json stays clean. */
      fprintf (stderr, "%s\n", kg_diagnosis_password_warning ());
      fflush (stderr);

      password = read_password (&error);
      if (password == NULL)
        return kg_cli_fail (cli, error);
      /* Only a Windows line end is dropped: spaces may be part of it. */
      if (*password != '\0' && password[strlen (password) - 1] == '\r')
        password[strlen (password) - 1] = '\0';
      kg_cli_add_secret (cli, KG_SECRET_PASSWORD, password);
      if (*password == '\0')
        return kg_cli_usage (cli, USAGE, _("--password-stdin needs the password on standard "
                                           "input, one line."));
    }

  diagnosis = kg_diagnosis_new (cli->http, profile);
  kg_diagnosis_set_api_key (diagnosis, key);
  kg_diagnosis_set_password (diagnosis, password);
  /* The diagnosis holds its own copies until it uses them. */
  g_clear_pointer (&password, kg_secret_free);
  g_clear_pointer (&key, kg_secret_free);

  kg_diagnosis_run_async (diagnosis, NULL, kg_cli_store_result_cb, &pending);
  result = kg_cli_wait (&pending);
  if (!kg_diagnosis_run_finish (diagnosis, result, &error))
    return kg_cli_fail (cli, error);

  if (cli->json)
    print_json (cli, diagnosis);
  else
    print_human (cli, diagnosis, profile);

  return kg_diagnosis_get_exit_code (diagnosis);
}
