/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keygate-cli call NAME --model M --method F [--args JSON] [--kwargs JSON]
 *                      [--json] [--print-curl]
 *
 * One model call through the connection (execute_kw over JSON-RPC, or
 * JSON-2 for json2 profiles). Also the JSON option parser `request` uses. */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "kg-cli.h"

#define CALL_USAGE "keygate-cli call NAME --model MODEL --method METHOD [--args JSON] " \
                   "[--kwargs JSON] [--json] [--print-curl]"

JsonNode *
kg_cli_parse_json_option (const char  *option,
                          const char  *text,
                          GError     **error)
{
  g_autoptr(GError) parse_error = NULL;
  JsonNode *node;

  node = kg_json_parse (text, -1, &parse_error);
  if (node != NULL)
    return node;

  if (parse_error == NULL)
    {
      g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                   /* Translators: %s is an option name, e.g. --args */
                   _("%s: no JSON was given."), option);
      return NULL;
    }

  g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
               /* Translators: %s is an option name (--args), then what is wrong:
                * "Line 1, column 7: …" */
               _("%s: %s"), option, parse_error->message);
  return NULL;
}

static char *
pretty_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  return json_generator_to_data (generator, NULL);
}

void
kg_cli_print_pretty_json (KgCli    *cli,
                          JsonNode *node)
{
  g_autofree char *text = NULL;

  if (node == NULL)
    return;
  text = pretty_json (node);
  kg_cli_print (cli, "%s\n", text);
}

int
kg_cli_call (KgCli  *cli,
             int     argc,
             char  **argv)
{
  const char *model = NULL;
  const char *method = NULL;
  const char *args_text = NULL;
  const char *kwargs_text = NULL;
  gboolean print_curl = FALSE;
  const KgCliOption table[] = {
    { "model",      KG_CLI_OPTION_STRING, &model, NULL },
    { "method",     KG_CLI_OPTION_STRING, &method, NULL },
    { "args",       KG_CLI_OPTION_STRING, &args_text, NULL },
    { "kwargs",     KG_CLI_OPTION_STRING, &kwargs_text, NULL },
    { "print-curl", KG_CLI_OPTION_FLAG, &print_curl, NULL },
    { NULL }
  };
  g_autoptr(GPtrArray) positionals = NULL;
  g_autoptr(JsonNode) args = NULL;
  g_autoptr(JsonNode) kwargs = NULL;
  g_autoptr(KgModelCall) call = NULL;
  g_autoptr(KgProfile) profile = NULL;
  g_autoptr(KgSecretString) key = NULL;
  g_autoptr(KgCaller) caller = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(KgCallResult) outcome = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) exchanges = g_ptr_array_new_with_free_func (g_object_unref);
  gulong collecting = 0;
  JsonNode *value;
  int rc = KG_EXIT_OK;

  if (!kg_cli_parse_options (cli, CALL_USAGE, table, argc, argv, &positionals, &rc))
    return rc;
  if (positionals->len != 1)
    return kg_cli_usage (cli, CALL_USAGE, _("Give exactly one profile name."));
  if (model == NULL)
    return kg_cli_usage (cli, CALL_USAGE, _("The option --model is required."));
  if (method == NULL)
    return kg_cli_usage (cli, CALL_USAGE, _("The option --method is required."));

  if (args_text != NULL)
    {
      args = kg_cli_parse_json_option ("--args", args_text, &error);
      if (args == NULL)
        return kg_cli_usage (cli, CALL_USAGE, error->message);
      if (!JSON_NODE_HOLDS_ARRAY (args))
        return kg_cli_usage (cli, CALL_USAGE,
                             _("--args takes a JSON array of positional arguments, "
                               "e.g. '[[1, 2]]'."));
    }
  if (kwargs_text != NULL)
    {
      kwargs = kg_cli_parse_json_option ("--kwargs", kwargs_text, &error);
      if (kwargs == NULL)
        return kg_cli_usage (cli, CALL_USAGE, error->message);
      if (!JSON_NODE_HOLDS_OBJECT (kwargs))
        return kg_cli_usage (cli, CALL_USAGE,
                             _("--kwargs takes a JSON object of named arguments, "
                               "e.g. '{\"fields\": [\"name\"]}'."));
    }

  call = kg_model_call_new (model, method,
                            args != NULL ? json_node_get_array (args) : NULL,
                            kwargs != NULL ? json_node_get_object (kwargs) : NULL,
                            &error);
  if (call == NULL)
    return kg_cli_usage (cli, CALL_USAGE, error->message);

  profile = kg_cli_find_profile (cli, g_ptr_array_index (positionals, 0), &error);
  if (profile == NULL)
    return kg_cli_fail (cli, error);
  key = kg_cli_lookup_key (cli, profile, &error);
  if (key == NULL)
    return kg_cli_fail (cli, error);

  caller = kg_caller_new (cli->http, profile, NULL);
  if (print_curl)
    collecting = kg_cli_collect_exchanges (cli, exchanges);
  kg_caller_call_model_async (caller, key, call, NULL, kg_cli_store_result_cb, &result);
  result = kg_cli_wait (&result);
  kg_cli_stop_collecting (cli, collecting);
  outcome = kg_caller_call_model_finish (caller, result, &error);

  if (outcome == NULL || !kg_call_result_get_ok (outcome))
    {
      if (print_curl)
        kg_cli_print_curl (cli, exchanges, NULL);
      return kg_cli_fail (cli, outcome != NULL ? kg_call_result_get_error (outcome) : error);
    }

  value = json_object_get_member (json_node_get_object (kg_call_result_get_json (outcome)),
                                  "result");
  if (cli->json)
    {
      g_autoptr(JsonObject) out = json_object_new ();

      json_object_set_member (out, "result", json_node_copy (value));
      if (print_curl)
        kg_cli_print_curl (cli, exchanges, out);
      kg_cli_print_json (cli, out);
    }
  else
    {
      if (print_curl)
        kg_cli_print_curl (cli, exchanges, NULL);
      kg_cli_print_pretty_json (cli, value);
    }

  return KG_EXIT_OK;
}
