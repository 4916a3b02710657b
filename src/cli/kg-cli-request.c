/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keygate-cli request NAME METHOD PATH [--auth none|api-key|token]
 *   [--header NAME:VALUE]… [--query NAME=VALUE]…
 *   [--json-body JSON | --form NAME=VALUE… | --data TEXT]
 *   [--allow-origin ORIGIN] [--json] [--print-curl]
 *
 * One HTTP route through the connection. 2xx exits 0; anything else exits
 * with the code of its classified error. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "kg-cli.h"

#define REQUEST_USAGE "keygate-cli request NAME METHOD PATH [--auth none|api-key|token] " \
                      "[--header NAME:VALUE]… [--query NAME=VALUE]… " \
                      "[--json-body JSON | --form NAME=VALUE… | --data TEXT] " \
                      "[--allow-origin ORIGIN] [--json] [--print-curl]"

typedef struct
{
  const char *auth;
  GPtrArray  *headers;
  GPtrArray  *query;
  const char *json_body;
  GPtrArray  *form;
  const char *data;
  const char *allow_origin;
  gboolean    print_curl;
} RequestOptions;

static void
request_options_clear (RequestOptions *options)
{
  g_clear_pointer (&options->headers, g_ptr_array_unref);
  g_clear_pointer (&options->query, g_ptr_array_unref);
  g_clear_pointer (&options->form, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RequestOptions, request_options_clear)

/* Splits "NAME<sep>VALUE"; FALSE when there is no separator or no name. */
static gboolean
split_pair (const char  *text,
            char         separator,
            char       **name,
            char       **value)
{
  const char *at = strchr (text, separator);

  if (at == NULL || at == text)
    return FALSE;
  *name = g_strndup (text, at - text);
  *value = g_strdup (at + 1);
  return TRUE;
}

/* The route the options describe; NULL after printing the usage error. */
static KgRoute *
build_route (KgCli          *cli,
             const char     *method,
             const char     *path,
             RequestOptions *options,
             int            *exit_code)
{
  g_autoptr(KgRoute) route = NULL;
  g_autoptr(GError) error = NULL;
  KgRouteAuth auth = KG_ROUTE_AUTH_NONE;
  guint n_bodies;

  route = kg_route_new (method, path, &error);
  if (route == NULL)
    {
      *exit_code = kg_cli_usage (cli, REQUEST_USAGE, error->message);
      return NULL;
    }

  if (options->auth != NULL && !kg_route_auth_from_string (options->auth, &auth))
    {
      g_autofree char *problem =
        g_strdup_printf (_("--auth takes “none”, “api-key” or “token”, not “%s”."),
                         options->auth);
      *exit_code = kg_cli_usage (cli, REQUEST_USAGE, problem);
      return NULL;
    }
  kg_route_set_auth (route, auth);

  for (guint i = 0; options->headers != NULL && i < options->headers->len; i++)
    {
      const char *text = g_ptr_array_index (options->headers, i);
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if (!split_pair (text, ':', &name, &value))
        {
          g_autofree char *problem =
            g_strdup_printf (_("--header takes NAME:VALUE, not “%s”."), text);
          *exit_code = kg_cli_usage (cli, REQUEST_USAGE, problem);
          return NULL;
        }
      if (!kg_route_add_header (route, g_strstrip (name), g_strchug (value), &error))
        {
          *exit_code = kg_cli_usage (cli, REQUEST_USAGE, error->message);
          return NULL;
        }
    }

  for (guint i = 0; options->query != NULL && i < options->query->len; i++)
    {
      const char *text = g_ptr_array_index (options->query, i);
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if (!split_pair (text, '=', &name, &value))
        {
          g_autofree char *problem =
            g_strdup_printf (_("--query takes NAME=VALUE, not “%s”."), text);
          *exit_code = kg_cli_usage (cli, REQUEST_USAGE, problem);
          return NULL;
        }
      kg_route_add_query (route, name, value);
    }

  n_bodies = (options->json_body != NULL) + (options->form != NULL) + (options->data != NULL);
  if (n_bodies > 1)
    {
      *exit_code = kg_cli_usage (cli, REQUEST_USAGE,
                                 _("Give only one body: --json-body, --form or --data."));
      return NULL;
    }
  if (options->json_body != NULL)
    {
      g_autoptr(JsonNode) body = kg_cli_parse_json_option ("--json-body", options->json_body,
                                                           &error);
      if (body == NULL)
        {
          *exit_code = kg_cli_usage (cli, REQUEST_USAGE, error->message);
          return NULL;
        }
      kg_route_set_json_body (route, body);
    }
  for (guint i = 0; options->form != NULL && i < options->form->len; i++)
    {
      const char *text = g_ptr_array_index (options->form, i);
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if (!split_pair (text, '=', &name, &value))
        {
          g_autofree char *problem =
            g_strdup_printf (_("--form takes NAME=VALUE, not “%s”."), text);
          *exit_code = kg_cli_usage (cli, REQUEST_USAGE, problem);
          return NULL;
        }
      kg_route_add_form_field (route, name, value);
    }
  if (options->data != NULL)
    kg_route_set_data (route, options->data);

  if (options->allow_origin != NULL
      && !kg_route_set_origin (route, options->allow_origin, &error))
    {
      *exit_code = kg_cli_usage (cli, REQUEST_USAGE, error->message);
      return NULL;
    }

  return g_steal_pointer (&route);
}

static JsonObject *
error_object (const GError *error)
{
  JsonObject *object = json_object_new ();
  const char *remedy = kg_error_get_remedy (error);

  json_object_set_string_member (object, "kind", kg_error_kind (error));
  json_object_set_string_member (object, "message", error->message);
  if (remedy != NULL)
    json_object_set_string_member (object, "remedy", remedy);
  else
    json_object_set_null_member (object, "remedy");
  return object;
}

static void
print_outcome (KgCli          *cli,
               KgCallResult   *outcome,
               GPtrArray      *exchanges,
               RequestOptions *options)
{
  const GError *error = kg_call_result_get_error (outcome);
  JsonNode *json = kg_call_result_get_json (outcome);
  const char *text = kg_call_result_get_body_text (outcome);
  KgExchange *exchange = kg_call_result_get_exchange (outcome);

  if (cli->json)
    {
      g_autoptr(JsonObject) out = json_object_new ();

      json_object_set_boolean_member (out, "ok", kg_call_result_get_ok (outcome));
      json_object_set_int_member (out, "status", kg_call_result_get_status (outcome));
      if (json != NULL)
        json_object_set_member (out, "body", json_node_copy (json));
      else if (text != NULL)
        json_object_set_string_member (out, "body", text);
      else
        json_object_set_null_member (out, "body");
      if (error != NULL)
        json_object_set_object_member (out, "error", error_object (error));
      if (options->print_curl)
        kg_cli_print_curl (cli, exchanges, out);
      kg_cli_print_json_object (cli, out);
      return;
    }

  if (options->print_curl)
    kg_cli_print_curl (cli, exchanges, NULL);
  if (kg_call_result_get_status (outcome) > 0)
    kg_cli_print (cli, "HTTP %u %s\n", kg_call_result_get_status (outcome),
                  exchange != NULL && kg_exchange_get_reason (exchange) != NULL
                  ? kg_exchange_get_reason (exchange) : "");
  if (json != NULL)
    kg_cli_print_pretty_json (cli, json);
  else if (text != NULL && text[0] != '\0')
    kg_cli_print (cli, "%s%s", text, g_str_has_suffix (text, "\n") ? "" : "\n");
  if (error != NULL)
    {
      const char *remedy = kg_error_get_remedy (error);
      g_autofree char *line = g_strconcat (error->message, "\n", remedy, remedy ? "\n" : NULL,
                                           NULL);

      kg_cli_write (cli, stderr, line);
    }
}

int
kg_cli_request (KgCli  *cli,
                int     argc,
                char  **argv)
{
  g_auto(RequestOptions) options = { 0 };
  const KgCliOption table[] = {
    { "auth",         KG_CLI_OPTION_STRING, &options.auth, NULL },
    { "header",       KG_CLI_OPTION_STRING_LIST, &options.headers, NULL },
    { "query",        KG_CLI_OPTION_STRING_LIST, &options.query, NULL },
    { "json-body",    KG_CLI_OPTION_STRING, &options.json_body, NULL },
    { "form",         KG_CLI_OPTION_STRING_LIST, &options.form, NULL },
    { "data",         KG_CLI_OPTION_STRING, &options.data, NULL },
    { "allow-origin", KG_CLI_OPTION_STRING, &options.allow_origin, NULL },
    { "print-curl",   KG_CLI_OPTION_FLAG, &options.print_curl, NULL },
    { NULL }
  };
  g_autoptr(GPtrArray) positionals = NULL;
  g_autoptr(KgRoute) route = NULL;
  g_autoptr(KgProfile) profile = NULL;
  g_autoptr(KgSecretString) key = NULL;
  g_autoptr(KgTokenClient) token_client = NULL;
  g_autoptr(KgCaller) caller = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(KgCallResult) outcome = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) exchanges = g_ptr_array_new_with_free_func (g_object_unref);
  gulong collecting = 0;
  int rc = KG_EXIT_OK;

  if (!kg_cli_parse_options (cli, REQUEST_USAGE, table, argc, argv, &positionals, &rc))
    return rc;
  if (positionals->len != 3)
    return kg_cli_usage (cli, REQUEST_USAGE,
                         _("Give a profile name, a method and a path, e.g. "
                           "“demo GET /api/projects”."));
  route = build_route (cli, g_ptr_array_index (positionals, 1),
                       g_ptr_array_index (positionals, 2), &options, &rc);
  if (route == NULL)
    return rc;

  profile = kg_cli_find_profile (cli, g_ptr_array_index (positionals, 0), &error);
  if (profile == NULL)
    return kg_cli_fail (cli, error);
  /* The key is needed (and looked up) only when it is sent. */
  if (kg_route_get_auth (route) != KG_ROUTE_AUTH_NONE)
    {
      key = kg_cli_lookup_key (cli, profile, &error);
      if (key == NULL)
        return kg_cli_fail (cli, error);
    }

  token_client = kg_token_client_new (cli->http, profile);
  caller = kg_caller_new (cli->http, profile, token_client);
  if (options.print_curl)
    collecting = kg_cli_collect_exchanges (cli, exchanges);
  kg_caller_send_route_async (caller, key, route, NULL, kg_cli_store_result_cb, &result);
  result = kg_cli_wait (&result);
  kg_cli_stop_collecting (cli, collecting);
  outcome = kg_caller_send_route_finish (caller, result, &error);
  /* No output shows the token, even when a route echoes it. */
  kg_cli_add_secret (cli, KG_SECRET_TOKEN, kg_token_client_peek_token (token_client));

  if (outcome == NULL)
    {
      if (options.print_curl)
        kg_cli_print_curl (cli, exchanges, NULL);
      return kg_cli_fail (cli, error);
    }

  print_outcome (cli, outcome, exchanges, &options);
  if (kg_call_result_get_ok (outcome))
    return KG_EXIT_OK;
  return kg_error_exit_code (kg_call_result_get_error (outcome));
}
