/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keygate-cli run FILE [--connection NAME] [--var NAME=VALUE]... [--junit FILE]
 *                      [--json] [--bail]
 *
 * Runs a request collection: one line per request, a summary, JUnit XML
 * for CI. Exit 0 when every request passed, 1 when one did not. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "kg-cli.h"

#define RUN_USAGE "keygate-cli run FILE [--connection NAME] [--var NAME=VALUE]... " \
                  "[--junit FILE] [--json] [--bail]"

typedef struct
{
  KgCli         *cli;
  KgTokenClient *token_client;
} RunPrinter;

static void
request_finished_cb (KgCollectionRun  *run,
                     guint             index,
                     KgRequestOutcome *outcome,
                     RunPrinter       *printer)
{
  const char * const *failures = kg_request_outcome_get_failures (outcome);
  gint64 ms = kg_request_outcome_get_elapsed_us (outcome) / 1000;
  g_autoptr(GString) line = g_string_new (NULL);

  /* No output shows the token, even when a route echoes it. */
  kg_cli_add_secret (printer->cli, KG_SECRET_TOKEN,
                     kg_token_client_peek_token (printer->token_client));
  if (printer->cli->json)
    return;

  g_string_append_printf (line, "%s %s (%" G_GINT64_FORMAT " ms)\n",
                          kg_request_outcome_get_passed (outcome) ? "✓" : "✗",
                          kg_request_outcome_get_name (outcome), ms);
  for (guint i = 0; failures[i] != NULL; i++)
    g_string_append_printf (line, "    %s\n", failures[i]);
  kg_cli_write (printer->cli, stdout, line->str);
}

/* Every request in the file needs the key unless it is a route sent with
 * auth "none". */
static gboolean
needs_key (KgCollection *collection)
{
  for (guint i = 0; i < kg_collection_get_n_requests (collection); i++)
    {
      KgCollectionRequest *request = kg_collection_get_request (collection, i);
      JsonObject *body = kg_collection_request_get_body (request);

      if (kg_collection_request_get_kind (request) == KG_REQUEST_KIND_CALL
          || g_strcmp0 (json_object_get_string_member_with_default (body, "auth", "none"),
                        "none") != 0)
        return TRUE;
    }
  return FALSE;
}

/* Appends @before, @text (secrets redacted, controls escaped, XML
 * escaped) and @after. */
static void
append_xml (KgCli      *cli,
            GString    *xml,
            const char *before,
            const char *text,
            const char *after)
{
  g_autofree char *safe = kg_cli_safe_text (cli, text != NULL ? text : "");
  g_autofree char *escaped = g_markup_escape_text (safe, -1);

  g_string_append (xml, before);
  g_string_append (xml, escaped);
  g_string_append (xml, after);
}

/* JUnit XML: one testsuite named after the collection, one testcase per
 * request (those bail left out are <skipped/>). Written atomically. */
static gboolean
write_junit (KgCli         *cli,
             const char    *path,
             KgCollection  *collection,
             GListModel    *outcomes,
             guint          failed,
             GError       **error)
{
  g_autoptr(GString) xml = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  guint n_requests = kg_collection_get_n_requests (collection);
  guint n_run = g_list_model_get_n_items (outcomes);
  gint64 total_us = 0;
  const char *name = kg_collection_get_name (collection);

  for (guint i = 0; i < n_run; i++)
    {
      g_autoptr(KgRequestOutcome) outcome = g_list_model_get_item (outcomes, i);

      total_us += kg_request_outcome_get_elapsed_us (outcome);
    }

  append_xml (cli, xml, "<testsuite name=\"", name, "\"");
  g_string_append_printf (xml, " tests=\"%u\" failures=\"%u\" errors=\"0\" skipped=\"%u\" "
                          "time=\"%.3f\">\n", n_requests, failed, n_requests - n_run,
                          total_us / 1e6);
  for (guint i = 0; i < n_requests; i++)
    {
      KgCollectionRequest *request = kg_collection_get_request (collection, i);
      g_autoptr(KgRequestOutcome) outcome = i < n_run ? g_list_model_get_item (outcomes, i)
                                                      : NULL;

      append_xml (cli, xml, "  <testcase name=\"", kg_collection_request_get_name (request),
                  "\"");
      append_xml (cli, xml, " classname=\"", name, "\"");
      g_string_append_printf (xml, " time=\"%.3f\"",
                              outcome != NULL
                              ? kg_request_outcome_get_elapsed_us (outcome) / 1e6 : 0.0);
      if (outcome == NULL)
        g_string_append (xml, ">\n    <skipped/>\n  </testcase>\n");
      else if (kg_request_outcome_get_passed (outcome))
        g_string_append (xml, "/>\n");
      else
        {
          g_autofree char *joined = NULL;
          g_autofree char *lines = NULL;

          joined = g_strjoinv ("; ", (char **) kg_request_outcome_get_failures (outcome));
          lines = g_strjoinv ("\n", (char **) kg_request_outcome_get_failures (outcome));
          g_string_append (xml, ">\n");
          append_xml (cli, xml, "    <failure message=\"", joined, "\">");
          append_xml (cli, xml, "", lines, "</failure>\n");
          g_string_append (xml, "  </testcase>\n");
        }
    }
  g_string_append (xml, "</testsuite>\n");

  /* g_file_set_contents writes a temporary file and renames it. */
  return g_file_set_contents (path, xml->str, xml->len, error);
}

static void
print_json (KgCli      *cli,
            GListModel *outcomes,
            guint       passed,
            guint       failed)
{
  g_autoptr(JsonObject) out = json_object_new ();
  JsonArray *requests = json_array_new ();

  json_object_set_boolean_member (out, "ok", failed == 0);
  json_object_set_int_member (out, "passed", passed);
  json_object_set_int_member (out, "failed", failed);
  for (guint i = 0; i < g_list_model_get_n_items (outcomes); i++)
    {
      g_autoptr(KgRequestOutcome) outcome = g_list_model_get_item (outcomes, i);
      const char * const *failures = kg_request_outcome_get_failures (outcome);
      JsonObject *request = json_object_new ();
      JsonArray *list = json_array_new ();

      json_object_set_string_member (request, "name", kg_request_outcome_get_name (outcome));
      json_object_set_boolean_member (request, "ok", kg_request_outcome_get_passed (outcome));
      json_object_set_int_member (request, "ms",
                                  kg_request_outcome_get_elapsed_us (outcome) / 1000);
      json_object_set_int_member (request, "status", kg_request_outcome_get_status (outcome));
      if (kg_request_outcome_get_error_message (outcome) != NULL)
        json_object_set_string_member (request, "error",
                                       kg_request_outcome_get_error_message (outcome));
      else
        json_object_set_null_member (request, "error");
      for (guint j = 0; failures[j] != NULL; j++)
        json_array_add_string_element (list, failures[j]);
      json_object_set_array_member (request, "failures", list);
      json_array_add_object_element (requests, request);
    }
  json_object_set_array_member (out, "requests", requests);
  kg_cli_print_json_object (cli, out);
}

int
kg_cli_run (KgCli  *cli,
            int     argc,
            char  **argv)
{
  const char *connection = NULL;
  const char *junit = NULL;
  GPtrArray *vars = NULL;
  gboolean bail = FALSE;
  const KgCliOption table[] = {
    { "connection", KG_CLI_OPTION_STRING, &connection, NULL },
    { "var",        KG_CLI_OPTION_STRING_LIST, &vars, NULL },
    { "junit",      KG_CLI_OPTION_STRING, &junit, NULL },
    { "bail",       KG_CLI_OPTION_FLAG, &bail, NULL },
    { NULL }
  };
  g_autoptr(GPtrArray) owned_vars = NULL;
  g_autoptr(GPtrArray) positionals = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(KgCollection) collection = NULL;
  g_autoptr(KgProfile) profile = NULL;
  g_autoptr(KgSecretString) key = NULL;
  g_autoptr(KgTokenClient) token_client = NULL;
  g_autoptr(KgCaller) caller = NULL;
  g_autoptr(KgCollectionRun) run = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  RunPrinter printer = { cli, NULL };
  guint passed = 0;
  guint failed = 0;
  int rc = KG_EXIT_OK;

  if (!kg_cli_parse_options (cli, RUN_USAGE, table, argc, argv, &positionals, &rc))
    return rc;
  owned_vars = vars;
  if (positionals->len != 1)
    return kg_cli_usage (cli, RUN_USAGE, _("Give exactly one collection file."));

  file = g_file_new_for_commandline_arg (g_ptr_array_index (positionals, 0));
  collection = kg_collection_load (file, &error);
  if (collection == NULL)
    {
      kg_cli_fail (cli, error);
      return KG_EXIT_USAGE;
    }

  if (connection == NULL)
    connection = kg_collection_get_connection (collection);
  if (connection == NULL)
    return kg_cli_usage (cli, RUN_USAGE,
                         _("The collection names no connection: give --connection NAME."));
  profile = kg_cli_find_profile (cli, connection, &error);
  if (profile == NULL)
    return kg_cli_fail (cli, error);

  token_client = kg_token_client_new (cli->http, profile);
  caller = kg_caller_new (cli->http, profile, token_client);
  if (needs_key (collection))
    {
      key = kg_cli_lookup_key (cli, profile, &error);
      if (key == NULL)
        return kg_cli_fail (cli, error);
    }
  run = kg_collection_run_new (collection, caller, key);
  for (guint i = 0; vars != NULL && i < vars->len; i++)
    if (!kg_variables_parse_override (kg_collection_run_get_variables (run),
                                      g_ptr_array_index (vars, i), &error))
      return kg_cli_usage (cli, RUN_USAGE, error->message);
  kg_collection_run_set_bail (run, bail);

  printer.token_client = token_client;
  g_signal_connect (run, "request-finished", G_CALLBACK (request_finished_cb), &printer);
  kg_collection_run_start_async (run, NULL, kg_cli_store_result_cb, &result);
  result = kg_cli_wait (&result);
  if (!kg_collection_run_start_finish (run, result, &passed, &failed, &error))
    return kg_cli_fail (cli, error);

  if (junit != NULL
      && !write_junit (cli, junit, collection, kg_collection_run_get_outcomes (run), failed,
                       &error))
    {
      g_autoptr(GError) junit_error =
        g_error_new (KG_ERROR, KG_ERROR_STORE,
                     /* Translators: a file name, then why it could not be written */
                     _("The JUnit report %s could not be written: %s"), junit, error->message);

      return kg_cli_fail (cli, junit_error);
    }

  if (cli->json)
    print_json (cli, kg_collection_run_get_outcomes (run), passed, failed);
  else
    {
      guint left = kg_collection_get_n_requests (collection) - passed - failed;
      g_autofree char *summary = NULL;

      if (left > 0)
        /* Translators: numbers of requests; --bail stopped the run */
        summary = g_strdup_printf (_("%u passed, %u failed, %u not run"), passed, failed, left);
      else
        /* Translators: numbers of requests */
        summary = g_strdup_printf (_("%u passed, %u failed"), passed, failed);
      kg_cli_print (cli, "%s\n", summary);
    }

  return failed == 0 ? KG_EXIT_OK : KG_EXIT_FAILURE;
}
