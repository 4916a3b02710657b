/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keygate-cli token NAME [--json] [--show-token] [--print-curl]
 *
 * Also the helpers other commands use for the token flow (see kg-cli.h):
 * the token/create spec options of `profile add`, `--field k=v`,
 * `--via` and `--print-curl`. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "kg-cli.h"

#define TOKEN_USAGE "keygate-cli token NAME [--json] [--show-token] [--print-curl]"

/* ------------------------------------------------------------------------ */
/* Shared helpers                                                            */

static KgHttp *
cli_http (KgCli *cli)
{
  return cli->http != NULL ? cli->http : kg_http_get_default ();
}

static void
collect_exchange_cb (KgHttp     *http,
                     KgExchange *exchange,
                     gpointer    user_data)
{
  GPtrArray *exchanges = user_data;

  g_ptr_array_add (exchanges, g_object_ref (exchange));
}

gulong
kg_cli_collect_exchanges (KgCli     *cli,
                          GPtrArray *exchanges)
{
  return g_signal_connect (cli_http (cli), "exchange-recorded",
                           G_CALLBACK (collect_exchange_cb), exchanges);
}

void
kg_cli_stop_collecting (KgCli *cli,
                        gulong handler)
{
  if (handler != 0)
    g_signal_handler_disconnect (cli_http (cli), handler);
}

void
kg_cli_print_curl (KgCli      *cli,
                   GPtrArray  *exchanges,
                   JsonObject *json_out)
{
  g_autoptr(JsonArray) lines = json_array_new ();

  for (guint i = 0; exchanges != NULL && i < exchanges->len; i++)
    {
      g_autofree char *curl = kg_exchange_to_curl (g_ptr_array_index (exchanges, i));

      if (curl == NULL)
        continue;
      if (json_out != NULL && cli->json)
        json_array_add_string_element (lines, curl);
      else
        {
          g_autofree char *line = g_strconcat (curl, "\n", NULL);

          kg_cli_write (cli, cli->json ? stderr : stdout, line);
        }
    }

  if (json_out != NULL && cli->json)
    json_object_set_array_member (json_out, "curl", g_steal_pointer (&lines));
}

gboolean
kg_cli_parse_via (const char   *text,
                  KgCreateVia  *via,
                  GError      **error)
{
  if (text == NULL)
    *via = KG_CREATE_VIA_PROFILE;
  else if (g_str_equal (text, "token"))
    *via = KG_CREATE_VIA_TOKEN;
  else if (g_str_equal (text, "jsonrpc"))
    *via = KG_CREATE_VIA_JSONRPC;
  else
    {
      g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                   _("--via takes “token” or “jsonrpc”, not “%s”."), text);
      return FALSE;
    }
  return TRUE;
}

JsonObject *
kg_cli_parse_fields (GPtrArray  *fields,
                     GError    **error)
{
  g_autoptr(JsonObject) object = json_object_new ();

  for (guint i = 0; fields != NULL && i < fields->len; i++)
    {
      const char *field = g_ptr_array_index (fields, i);
      const char *equals = strchr (field, '=');
      g_autofree char *name = NULL;
      g_autoptr(JsonNode) node = NULL;
      const char *value;

      if (equals == NULL || equals == field)
        {
          g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                       _("--field takes NAME=VALUE, not “%s”."), field);
          return NULL;
        }
      name = g_strndup (field, equals - field);
      value = equals + 1;

      /* JSON scalars, arrays and objects as such ("7", "true", "[1]"),
       * anything else as a string. */
      node = *value != '\0' ? kg_json_parse (value, -1, NULL) : NULL;
      if (node != NULL)
        json_object_set_member (object, name, g_steal_pointer (&node));
      else
        json_object_set_string_member (object, name, value);
    }

  return g_steal_pointer (&object);
}

/* "NAME" or "header:NAME" → header; "body:NAME", "query:NAME"; "none". */
static gboolean
parse_placement (const char       *option,
                 const char       *text,
                 KgParamLocation  *location,
                 char            **param,
                 GError          **error)
{
  const char *colon = strchr (text, ':');

  if (g_str_equal (text, "none"))
    {
      *location = KG_PARAM_NONE;
      *param = NULL;
      return TRUE;
    }

  if (colon != NULL)
    {
      g_autofree char *where = g_strndup (text, colon - text);

      if (!kg_param_location_from_string (where, location) || colon[1] == '\0')
        {
          g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                       _("--%s takes NAME, header:NAME, body:NAME, query:NAME or none, not “%s”."),
                       option, text);
          return FALSE;
        }
      *param = g_strdup (colon + 1);
      return TRUE;
    }

  if (*text == '\0')
    {
      g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                   _("--%s needs a header name."), option);
      return FALSE;
    }
  *location = KG_PARAM_HEADER;
  *param = g_strdup (text);
  return TRUE;
}

KgCliOption *
kg_cli_spec_options_extend (const KgCliOption *base,
                            KgCliSpecOptions  *opts)
{
  const KgCliOption rows[] = {
    { "preset",            KG_CLI_OPTION_STRING, &opts->preset, NULL },
    { "token-path",        KG_CLI_OPTION_STRING, &opts->token_path, NULL },
    { "token-method",      KG_CLI_OPTION_STRING, &opts->token_method, NULL },
    { "create-path",       KG_CLI_OPTION_STRING, &opts->create_path, NULL },
    { "db-header",         KG_CLI_OPTION_STRING, &opts->db_header, NULL },
    { "key-header",        KG_CLI_OPTION_STRING, &opts->key_header, NULL },
    { "token-header",      KG_CLI_OPTION_STRING, &opts->token_header, NULL },
    { "token-json-path",   KG_CLI_OPTION_STRING, &opts->token_json_path, NULL },
    { "expires-json-path", KG_CLI_OPTION_STRING, &opts->expires_json_path, NULL },
    { "id-json-path",      KG_CLI_OPTION_STRING, &opts->id_json_path, NULL },
    { "message-json-path", KG_CLI_OPTION_STRING, &opts->message_json_path, NULL },
    { "name-field",        KG_CLI_OPTION_STRING, &opts->name_field, NULL },
    { "description-field", KG_CLI_OPTION_STRING, &opts->description_field, NULL },
  };
  g_autoptr(GArray) options = g_array_new (TRUE, TRUE, sizeof (KgCliOption));

  for (const KgCliOption *o = base; o != NULL && o->name != NULL; o++)
    g_array_append_val (options, *o);
  g_array_append_vals (options, rows, G_N_ELEMENTS (rows));

  return (KgCliOption *) (gpointer) g_array_free (g_steal_pointer (&options), FALSE);
}

gboolean
kg_cli_spec_options_given (const KgCliSpecOptions *opts)
{
  return opts->preset || opts->token_path || opts->token_method || opts->create_path
         || opts->db_header || opts->key_header || opts->token_header
         || opts->token_json_path || opts->expires_json_path || opts->id_json_path
         || opts->message_json_path || opts->name_field || opts->description_field;
}

gboolean
kg_cli_spec_options_apply (const KgCliSpecOptions  *opts,
                           KgProfile               *profile,
                           GError                 **error)
{
  g_autoptr(KgTokenSpec) token_spec = NULL;
  g_autoptr(KgCreateSpec) create_spec = NULL;

  token_spec = kg_profile_get_token_spec (profile) != NULL
               ? kg_token_spec_dup (kg_profile_get_token_spec (profile))
               : kg_token_spec_new ();
  create_spec = kg_profile_get_create_spec (profile) != NULL
                ? kg_create_spec_dup (kg_profile_get_create_spec (profile))
                : kg_create_spec_new ();

  /* The preset first: the other options refine it. */
  if (opts->preset != NULL)
    {
      KgTokenPreset preset;

      if (!kg_token_preset_from_string (opts->preset, &preset))
        {
          g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                       _("--preset takes tutorial, api-key-header, json2 or custom, not “%s”."),
                       opts->preset);
          return FALSE;
        }
      kg_token_spec_apply_preset (token_spec, preset);
    }

  if (opts->token_path != NULL)
    kg_token_spec_set_path (token_spec, opts->token_path);
  if (opts->token_method != NULL)
    {
      g_autofree char *method = g_ascii_strup (opts->token_method, -1);

      if (!g_str_equal (method, "POST") && !g_str_equal (method, "GET"))
        {
          g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                       _("--token-method takes POST or GET, not “%s”."), opts->token_method);
          return FALSE;
        }
      kg_token_spec_set_method (token_spec, method);
    }
  if (opts->db_header != NULL)
    {
      KgParamLocation location;
      g_autofree char *param = NULL;

      if (!parse_placement ("db-header", opts->db_header, &location, &param, error))
        return FALSE;
      kg_token_spec_set_db_location (token_spec, location);
      if (param != NULL)
        kg_token_spec_set_db_param (token_spec, param);
    }
  if (opts->key_header != NULL)
    {
      KgParamLocation location;
      g_autofree char *param = NULL;

      if (!parse_placement ("key-header", opts->key_header, &location, &param, error))
        return FALSE;
      kg_token_spec_set_key_location (token_spec, location);
      if (param != NULL)
        kg_token_spec_set_key_param (token_spec, param);
    }
  if (opts->token_header != NULL)
    {
      if (g_ascii_strcasecmp (opts->token_header, "bearer") == 0
          || g_ascii_strcasecmp (opts->token_header, "Authorization") == 0)
        {
          kg_token_spec_set_send_as (token_spec, KG_TOKEN_SEND_BEARER);
        }
      else if (*opts->token_header == '\0')
        {
          g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                       _("--token-header needs a header name, or “bearer”."));
          return FALSE;
        }
      else
        {
          kg_token_spec_set_send_as (token_spec, KG_TOKEN_SEND_HEADER);
          kg_token_spec_set_send_header (token_spec, opts->token_header);
        }
    }
  if (opts->token_json_path != NULL)
    kg_token_spec_set_token_path (token_spec, opts->token_json_path);
  if (opts->expires_json_path != NULL)
    kg_token_spec_set_expires_in_path (token_spec, opts->expires_json_path);

  if (opts->create_path != NULL)
    kg_create_spec_set_path (create_spec, opts->create_path);
  if (opts->id_json_path != NULL)
    kg_create_spec_set_id_path (create_spec, opts->id_json_path);
  if (opts->message_json_path != NULL)
    kg_create_spec_set_message_path (create_spec, opts->message_json_path);
  if (opts->name_field != NULL)
    kg_create_spec_set_name_field (create_spec, opts->name_field);
  if (opts->description_field != NULL)
    kg_create_spec_set_description_field (create_spec, opts->description_field);

  kg_profile_set_token_spec (profile, token_spec);
  kg_profile_set_create_spec (profile, create_spec);
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* keygate-cli token                                                         */

static int
fail_with_curl (KgCli        *cli,
                const GError *error,
                GPtrArray    *exchanges,
                gboolean      print_curl)
{
  if (print_curl)
    {
      /* With --json stdout is one JSON object: the curl line goes to stderr. */
      for (guint i = 0; i < exchanges->len; i++)
        {
          g_autofree char *curl = kg_exchange_to_curl (g_ptr_array_index (exchanges, i));

          if (curl != NULL)
            {
              g_autofree char *line = g_strconcat (curl, "\n", NULL);

              kg_cli_write (cli, cli->json ? stderr : stdout, line);
            }
        }
    }
  return kg_cli_fail (cli, error);
}

int
kg_cli_token (KgCli  *cli,
              int     argc,
              char  **argv)
{
  gboolean show_token = FALSE;
  gboolean print_curl = FALSE;
  const KgCliOption options[] = {
    { "show-token", KG_CLI_OPTION_FLAG, &show_token, NULL },
    { "print-curl", KG_CLI_OPTION_FLAG, &print_curl, NULL },
    { NULL },
  };
  g_autoptr(GPtrArray) positionals = NULL;
  g_autoptr(GPtrArray) exchanges = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autoptr(KgProfile) profile = NULL;
  g_autoptr(KgTokenClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) out = NULL;
  g_autofree char *token_text = NULL;
  g_autofree char *expires_text = NULL;
  KgSecretString *key = NULL;
  GDateTime *expires_at;
  gint64 expires_in = -1;
  gulong handler;
  int exit_code = KG_EXIT_OK;
  gboolean ok;

  if (!kg_cli_parse_options (cli, TOKEN_USAGE, options, argc, argv, &positionals, &exit_code))
    return exit_code;
  if (positionals->len != 1)
    return kg_cli_usage (cli, TOKEN_USAGE,
                         positionals->len == 0 ? _("Name the connection.")
                                               : _("Too many arguments."));

  profile = kg_cli_find_profile (cli, g_ptr_array_index (positionals, 0), &error);
  if (profile == NULL)
    return kg_cli_fail (cli, error);

  if (!kg_token_spec_get_exchange (kg_profile_get_token_spec (profile)))
    {
      g_set_error (&error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                   _("The connection “%s” sends its API key directly (preset %s): there is no token to exchange."),
                   kg_profile_get_name (profile),
                   kg_token_preset_to_string (kg_token_spec_get_preset (kg_profile_get_token_spec (profile))));
      return kg_cli_fail (cli, error);
    }

  key = kg_cli_lookup_key (cli, profile, &error);
  if (key == NULL)
    return kg_cli_fail (cli, error);

  client = kg_token_client_new (cli_http (cli), profile);
  handler = kg_cli_collect_exchanges (cli, exchanges);
  kg_token_client_exchange_async (client, key, NULL, kg_cli_store_result_cb, &result);
  result = kg_cli_wait (&result);
  kg_secret_free (g_steal_pointer (&key));
  kg_cli_stop_collecting (cli, handler);

  ok = kg_token_client_exchange_finish (client, result, &error);
  if (!ok)
    return fail_with_curl (cli, error, exchanges, print_curl);

  expires_at = kg_token_client_get_expires_at (client);
  if (expires_at != NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      expires_in = MAX (0, g_date_time_difference (expires_at, now) / G_USEC_PER_SEC);
      g_autoptr(GDateTime) utc = g_date_time_to_utc (expires_at);

      expires_text = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
    }
  token_text = show_token ? g_strdup (kg_token_client_peek_token (client))
                          : kg_token_client_dup_masked_token (client);

  if (cli->json)
    {
      out = json_object_new ();
      json_object_set_string_member (out, "token_type", kg_token_client_get_token_type (client));
      if (expires_at != NULL)
        {
          json_object_set_int_member (out, "expires_in", expires_in);
          json_object_set_string_member (out, "expires_at", expires_text);
        }
      else
        {
          json_object_set_null_member (out, "expires_in");
          json_object_set_null_member (out, "expires_at");
        }
      json_object_set_string_member (out, "token", token_text);
      if (print_curl)
        kg_cli_print_curl (cli, exchanges, out);
      kg_cli_print_json (cli, out);
    }
  else
    {
      if (print_curl)
        kg_cli_print_curl (cli, exchanges, NULL);
      kg_cli_print (cli, _("Token type: %s\n"), kg_token_client_get_token_type (client));
      if (expires_at != NULL)
        kg_cli_print (cli, /* Translators: %lld is a number of seconds, %s a date */
                      _("Expires in: %lld s (%s)\n"), (long long) expires_in, expires_text);
      else
        kg_cli_print (cli, _("Expires in: unknown (the server did not say)\n"));
      kg_cli_print (cli, _("Token: %s\n"), token_text);
    }

  if (show_token && token_text != NULL)
    kg_secret_wipe (token_text);
  kg_token_client_forget (client);

  return KG_EXIT_OK;
}
