/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "keygate-token"

/* What the token module's answers mean: the token and its expiry read from
 * an exchange answer, and every failure of the exchange or of a call with
 * the token turned into a KG_ERROR a user can act on. */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "kg-json.h"
#include "kg-odoo-rpc.h"
#include "kg-token-client-private.h"

/* An error of the exchange or of the call with the token. */
#define exchange_error(code, ...) kg_token_error_new (code, KG_TOKEN_STEP_EXCHANGE, __VA_ARGS__)
#define call_error(code, ...)     kg_token_error_new (code, KG_TOKEN_STEP_CALL, __VA_ARGS__)

/* A number, or a string holding one. */
gboolean
kg_token_node_get_number (JsonNode *node,
                          double   *out)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      *out = (double) json_node_get_int (node);
      return TRUE;
    case G_TYPE_DOUBLE:
      *out = json_node_get_double (node);
      return TRUE;
    case G_TYPE_STRING:
      {
        const char *text = json_node_get_string (node);
        char *end = NULL;
        double value;

        if (kg_token_str_empty (text))
          return FALSE;
        value = g_ascii_strtod (text, &end);
        if (end == NULL || *end != '\0')
          return FALSE;
        *out = value;
        return TRUE;
      }
    default:
      return FALSE;
    }
}

GDateTime *
kg_token_parse_expires_at (JsonNode *node)
{
  double number;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;

  if (json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (node);
      g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
      GDateTime *parsed;
      g_autofree char *with_t = NULL;

      if (kg_token_str_empty (text))
        return NULL;
      parsed = g_date_time_new_from_iso8601 (text, utc);
      if (parsed != NULL)
        return parsed;
      /* Odoo's own "YYYY-MM-DD HH:MM:SS" (UTC). */
      with_t = g_strdup (text);
      if (strlen (with_t) > 10 && with_t[10] == ' ')
        {
          with_t[10] = 'T';
          parsed = g_date_time_new_from_iso8601 (with_t, utc);
          if (parsed != NULL)
            return parsed;
        }
    }

  if (kg_token_node_get_number (node, &number) && number > 0)
    {
      /* Unix seconds; values this large are milliseconds. */
      if (number > 1e11)
        number /= 1000.0;
      return g_date_time_new_from_unix_utc ((gint64) number);
    }

  return NULL;
}

static gboolean
content_type_is_json (const char *content_type)
{
  return content_type != NULL && strstr (content_type, "json") != NULL;
}

/* The title or first line of an HTML/text page, tags stripped, short. */
static char *
page_summary (const char *body)
{
  g_autoptr(GString) text = NULL;
  const char *start;
  const char *end;
  gboolean in_tag = FALSE;

  if (kg_token_str_empty (body))
    return g_strdup ("");

  start = strstr (body, "<title>");
  if (start == NULL)
    start = strstr (body, "<TITLE>");
  if (start != NULL)
    {
      start += strlen ("<title>");
      end = strchr (start, '<');
      if (end == NULL)
        end = start + strlen (start);
    }
  else
    {
      start = body;
      /* First line with text outside tags. */
      for (;;)
        {
          const char *line_end = strchr (start, '\n');
          g_autofree char *line = g_strndup (start, line_end ? (gsize) (line_end - start)
                                                             : strlen (start));
          gboolean has_text = FALSE;
          gboolean tag = FALSE;

          for (const char *p = line; *p != '\0'; p++)
            {
              if (*p == '<')
                tag = TRUE;
              else if (*p == '>')
                tag = FALSE;
              else if (!tag && !g_ascii_isspace (*p))
                has_text = TRUE;
            }
          if (has_text || line_end == NULL)
            break;
          start = line_end + 1;
        }
      end = strchr (start, '\n');
      if (end == NULL)
        end = start + strlen (start);
    }

  text = g_string_new (NULL);
  for (const char *p = start; p < end; p++)
    {
      if (*p == '<')
        in_tag = TRUE;
      else if (*p == '>')
        in_tag = FALSE;
      else if (!in_tag)
        g_string_append_c (text, *p);
    }
  g_strstrip (text->str);
  text->len = strlen (text->str);
  if (text->len > 120)
    {
      const char *cut = g_utf8_find_prev_char (text->str, text->str + 118);

      g_string_truncate (text, cut ? (gsize) (cut - text->str) : 118);
      g_string_append (text, "…");
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

GError *
kg_token_error_new (KgErrorCode  code,
                    const char  *step,
                    KgExchange  *exchange,
                    const char  *server_message,
                    const char  *remedy,
                    const char  *format,
                    ...)
{
  GError *error;
  va_list args;

  va_start (args, format);
  error = g_error_new_valist (KG_ERROR, code, format, args);
  va_end (args);

  kg_error_set_step (error, step);
  if (exchange != NULL)
    {
      kg_error_set_http_status (error, kg_exchange_get_status (exchange));
      kg_error_set_exchange (error, exchange);
    }
  if (server_message != NULL)
    kg_error_set_server_message (error, server_message);
  if (remedy != NULL)
    kg_error_set_remedy (error, remedy);

  return error;
}

typedef enum {
  PLACED_DATABASE,
  PLACED_API_KEY,
} PlacedValue;

/* Sentence for the remedy of "the module did not find the database/key":
 * one whole sentence per value and location, so translators see each one. */
static char *
placement_remedy (PlacedValue      what,
                  KgParamLocation  location,
                  const char      *param)
{
  gboolean database = what == PLACED_DATABASE;

  if (location == KG_PARAM_NONE || kg_token_str_empty (param))
    return g_strdup (database
                     ? _("The token spec sends the database nowhere. Set its db-location (header, "
                         "body or query) and db-param to what the module expects, e.g. the header "
                         "X-Odoo-Database or X-API-Key.")
                     : _("The token spec sends the API key nowhere. Set its key-location (header, "
                         "body or query) and key-param to what the module expects, e.g. the header "
                         "X-Odoo-Database or X-API-Key."));

  switch (location)
    {
    case KG_PARAM_HEADER:
      if (database)
        /* Translators: %s is an HTTP header name */
        return g_strdup_printf (_("Keygate sent the database in the header “%s”, but the module "
                                  "did not find it there. Set the token spec’s db-location and "
                                  "db-param to what the module expects."),
                                param);
      /* Translators: %s is an HTTP header name */
      return g_strdup_printf (_("Keygate sent the API key in the header “%s”, but the module did "
                                "not find it there. Set the token spec’s key-location and "
                                "key-param to what the module expects."),
                              param);
    case KG_PARAM_BODY:
      if (database)
        /* Translators: %s is the name of a member of a JSON object */
        return g_strdup_printf (_("Keygate sent the database in the JSON body member “%s”, but "
                                  "the module did not find it there. Set the token spec’s "
                                  "db-location and db-param to what the module expects."),
                                param);
      /* Translators: %s is the name of a member of a JSON object */
      return g_strdup_printf (_("Keygate sent the API key in the JSON body member “%s”, but the "
                                "module did not find it there. Set the token spec’s key-location "
                                "and key-param to what the module expects."),
                              param);
    case KG_PARAM_QUERY:
    case KG_PARAM_NONE:
    default:
      if (database)
        /* Translators: %s is the name of a URL query parameter */
        return g_strdup_printf (_("Keygate sent the database in the query parameter “%s”, but the "
                                  "module did not find it there. Set the token spec’s db-location "
                                  "and db-param to what the module expects."),
                                param);
      /* Translators: %s is the name of a URL query parameter */
      return g_strdup_printf (_("Keygate sent the API key in the query parameter “%s”, but the "
                                "module did not find it there. Set the token spec’s key-location "
                                "and key-param to what the module expects."),
                              param);
    }
}

/* Classification shared by both steps for what is not specific to either. */
static GError *
classify_generic (KgExchange  *exchange,
                  const char  *step,
                  const char  *method,
                  const char  *server_message)
{
  guint status = kg_exchange_get_status (exchange);
  JsonNode *json = kg_exchange_get_response_json (exchange);
  const char *content_type = kg_exchange_get_response_content_type (exchange);

  /* Rate limits keep their meaning whatever the body is. */
  if (status == 429)
    {
      GError *error = kg_odoo_rate_limited_error (exchange, server_message);

      kg_error_set_step (error, step);
      return error;
    }

  if (json == NULL && !content_type_is_json (content_type))
    {
      const char *body = kg_exchange_get_response_body (exchange);
      g_autofree char *summary = page_summary (body);

      /* Odoo 19 answers an unknown X-Odoo-Database with an HTML 404. */
      if (status == 404 && body != NULL && strstr (body, "No database is selected") != NULL)
        return kg_token_error_new (KG_ERROR_UNKNOWN_DATABASE, step, exchange,
                                   "No database is selected",
                                   _("Odoo did not find the database named in the X-Odoo-Database "
                                     "header. "
                                     "Check the database name."),
                                   _("The database was not found (HTTP 404)"));

      if (status == 405)
        {
          const char *allow = kg_exchange_find_response_header (exchange, "Allow");
          g_autofree char *remedy = NULL;

          if (allow != NULL)
            remedy = g_strdup_printf (_("Use a method the route allows (%s)."), allow);
          return kg_token_error_new (KG_ERROR_HTTP_STATUS, step, exchange, summary, remedy,
                                     _("The route does not accept %s (HTTP 405)"), method);
        }

      if (status >= 400 && status < 500)
        return kg_token_error_new (KG_ERROR_HTTP_STATUS, step, exchange, summary, NULL,
                                   _("The server answered HTTP %u: “%s”"), status, summary);

      return kg_token_error_new (KG_ERROR_NOT_JSON, step, exchange, summary, NULL,
                                 _("The server answered HTTP %u with a page that is not JSON: "
                                   "“%s”"),
                                 status, summary);
    }

  if (status == 405)
    return kg_token_error_new (KG_ERROR_HTTP_STATUS, step, exchange, server_message, NULL,
                               _("The route does not accept %s (HTTP 405)"), method);

  if (status >= 500)
    return kg_token_error_new (KG_ERROR_SERVER, step, exchange, server_message, NULL,
                               _("The server reported an error (HTTP %u): %s"), status,
                               server_message ? server_message : _("no message"));

  if (json == NULL)
    return kg_token_error_new (KG_ERROR_NOT_JSON, step, exchange, NULL, NULL,
                               _("The server answered HTTP %u with a body that is not valid "
                                 "JSON"), status);

  return kg_token_error_new (KG_ERROR_HTTP_STATUS, step, exchange, server_message, NULL,
                             _("The server answered HTTP %u: %s"), status,
                             server_message ? server_message : _("no message"));
}

/* The server's words: "message", else "error". */
const char *
kg_token_get_server_message (KgExchange *exchange)
{
  JsonObject *object = kg_json_node_get_object (kg_exchange_get_response_json (exchange));
  const char *message = kg_json_get_string (object, "message");

  if (kg_token_str_empty (message))
    message = kg_json_get_string (object, "error");
  return message;
}

GError *
kg_token_classify_exchange_response (KgTokenClient *self,
                                     KgExchange    *exchange)
{
  KgTokenSpec *spec = kg_token_client_get_spec (self);
  guint status = kg_exchange_get_status (exchange);
  JsonObject *object = kg_json_node_get_object (kg_exchange_get_response_json (exchange));
  const char *error_name = kg_json_get_string (object, "error");
  const char *server_message = kg_token_get_server_message (exchange);
  const char *method = kg_token_spec_get_method (spec);

  if (status >= 200 && status < 300)
    {
      if (kg_exchange_get_response_json (exchange) == NULL)
        return classify_generic (exchange, KG_TOKEN_STEP_EXCHANGE, method, server_message);
      return NULL;
    }

  if (object == NULL)
    return classify_generic (exchange, KG_TOKEN_STEP_EXCHANGE, method, server_message);

  if (status == 400)
    {
      g_autofree char *remedy = NULL;

      if (g_strcmp0 (error_name, "Missing database") == 0)
        {
          remedy = placement_remedy (PLACED_DATABASE,
                                     kg_token_spec_get_db_location (spec),
                                     kg_token_spec_get_db_param (spec));
          return exchange_error (KG_ERROR_VALIDATION, exchange, server_message, remedy,
                                 _("The token exchange did not receive the database name (HTTP "
                                   "400)"));
        }
      if (g_strcmp0 (error_name, "Missing API key") == 0)
        {
          remedy = placement_remedy (PLACED_API_KEY,
                                     kg_token_spec_get_key_location (spec),
                                     kg_token_spec_get_key_param (spec));
          return exchange_error (KG_ERROR_VALIDATION, exchange, server_message, remedy,
                                 _("The token exchange did not receive the API key (HTTP 400)"));
        }
      if (g_strcmp0 (error_name, "Invalid JSON body") == 0)
        return exchange_error (KG_ERROR_VALIDATION, exchange, server_message,
                               _("The module wants a JSON object body or headers. Send the "
                                 "database "
                                 "and the key as headers, or set db-location and key-location to "
                                 "“body”."),
                               _("The token exchange could not read the request body as JSON (HTTP "
                                 "400)"));

      return exchange_error (KG_ERROR_VALIDATION, exchange, server_message, NULL,
                             _("The token exchange rejected the request (HTTP 400): %s"),
                             server_message ? server_message : _("no message"));
    }

  if (status == 401)
    return exchange_error (KG_ERROR_ACCESS_DENIED, exchange, server_message,
                           _("The API key is unknown, revoked or expired, belongs to an inactive "
                             "user, "
                             "or is a password (the exchange never accepts passwords). Create a "
                             "new "
                             "API key in Odoo under Preferences › Account Security and store it."),
                           _("The token exchange refused the API key (HTTP 401)"));

  if (status == 403)
    return exchange_error (KG_ERROR_ACCESS_ERROR, exchange, server_message, NULL,
                           _("The token exchange refused the request (HTTP 403): %s"),
                           server_message ? server_message : _("no message"));

  if (status == 404)
    {
      if (error_name != NULL && strstr (error_name, "atabase") != NULL)
        return exchange_error (KG_ERROR_UNKNOWN_DATABASE, exchange, server_message,
                               _("Check the database name, and that the token module is installed "
                                 "in "
                                 "that database."),
                               _("The database “%s” was not found, or the token module is not "
                                 "installed in it (HTTP 404)"),
                               kg_profile_get_database (kg_token_client_get_profile (self)));

      return exchange_error (KG_ERROR_HTTP_STATUS, exchange, server_message,
                             _("Check the token spec’s path and that the token module is "
                               "installed."),
                             _("The token exchange route %s was not found (HTTP 404)"),
                             kg_token_spec_get_path (spec));
    }

  if (status == 422)
    return exchange_error (KG_ERROR_VALIDATION, exchange, server_message, NULL,
                           _("The token exchange rejected the request (HTTP 422): %s"),
                           server_message ? server_message : _("no message"));

  return classify_generic (exchange, KG_TOKEN_STEP_EXCHANGE, method, server_message);
}

/* How the credentials went out on a call, for remedies. */
static char *
describe_sending (KgTokenSpec *spec)
{
  if (kg_token_spec_get_send_as (spec) == KG_TOKEN_SEND_BEARER)
    return g_strdup ("Authorization: Bearer");
  return g_strdup_printf ("%s:", kg_token_spec_get_send_header (spec));
}

GError *
kg_token_classify_call_response (KgTokenClient *self,
                                 KgExchange    *exchange,
                                 gboolean       retried)
{
  KgTokenSpec *spec = kg_token_client_get_spec (self);
  const char *method = kg_exchange_get_method (exchange);
  gboolean key_mode = !kg_token_spec_get_exchange (spec);
  guint status = kg_exchange_get_status (exchange);
  JsonNode *json = kg_exchange_get_response_json (exchange);
  JsonObject *object = kg_json_node_get_object (json);
  const char *error_name = kg_json_get_string (object, "error");
  const char *odoo_name = kg_json_get_string (object, "name");   /* JSON-2 */
  const char *server_message = kg_token_get_server_message (exchange);

  if (status >= 200 && status < 300)
    {
      const char *body = kg_exchange_get_response_body (exchange);

      if (json == NULL && !kg_token_str_empty (body))
        return classify_generic (exchange, KG_TOKEN_STEP_CALL, method, server_message);
      return NULL;
    }

  if (json == NULL)
    return classify_generic (exchange, KG_TOKEN_STEP_CALL, method, server_message);

  if (status == 401)
    {
      g_autofree char *sending = describe_sending (spec);
      const char *www = kg_exchange_find_response_header (exchange, "WWW-Authenticate");

      if (key_mode)
        {
          g_autofree char *remedy = NULL;

          if (kg_token_spec_is_json2 (spec))
            remedy = g_strdup (_("Odoo’s JSON-2 API refuses a wrong, expired or removed key with "
                                 "the same answer. Check the key, or create a new one in Odoo "
                                 "under Preferences › Account Security."));
          else
            remedy = g_strdup_printf (_("Keygate sent the API key as “%s”. Check the key, and that "
                                        "the route reads it from that header."),
                                      sending);
          return call_error (KG_ERROR_ACCESS_DENIED, exchange, server_message, remedy,
                             _("The route refused the API key (HTTP 401)"));
        }

      if (g_strcmp0 (error_name, "Missing access token") == 0)
        {
          g_autofree char *remedy =
            g_strdup_printf (_("Keygate sent the token as “%s”, but the route did not find it. Set "
                               "how the token is sent (send-as, send-header) to what the route "
                               "expects, e.g. Authorization: Bearer or X-Access-Token."),
                             sending);
          return call_error (KG_ERROR_TOKEN_MISSING, exchange, server_message, remedy,
                             _("The route did not find the access token (HTTP 401)"));
        }

      if (retried)
        return call_error (KG_ERROR_TOKEN_INVALID, exchange, server_message,
                           _("The key was accepted for the exchange but the token was refused: the "
                             "route’s token check and the exchange disagree. Check that the route "
                             "and the exchange belong to the same module and database, and how the "
                             "token is sent."),
                           _("The route refused a freshly exchanged access token (HTTP 401)"));

      if (g_strcmp0 (error_name, "Access token expired") == 0)
        return call_error (KG_ERROR_TOKEN_INVALID, exchange, server_message, NULL,
                           _("The access token has expired (HTTP 401)"));

      if (g_strcmp0 (error_name, "Invalid access token") == 0
          || (www != NULL && strstr (www, "invalid_token") != NULL))
        return call_error (KG_ERROR_TOKEN_INVALID, exchange, server_message, NULL,
                           _("The route refused the access token (HTTP 401)"));

      return call_error (KG_ERROR_TOKEN_INVALID, exchange, server_message, NULL,
                         _("The route refused the request (HTTP 401): %s"),
                         server_message ? server_message : _("no message"));
    }

  if (status == 403)
    {
      if (odoo_name != NULL && g_str_has_suffix (odoo_name, "AccessDenied"))
        return call_error (KG_ERROR_ACCESS_DENIED, exchange, server_message, NULL,
                           _("Odoo refused the credentials (HTTP 403): %s"),
                           server_message ? server_message : _("no message"));
      return call_error (KG_ERROR_ACCESS_ERROR, exchange, server_message, NULL,
                         "%s", server_message ? server_message
                         : _("The user is not allowed to do this (HTTP 403)"));
    }

  if (status == 400 || status == 422)
    {
      if (g_strcmp0 (error_name, "Missing database") == 0)
        {
          g_autofree char *remedy = placement_remedy (PLACED_DATABASE,
                                                      kg_token_spec_get_db_location (spec),
                                                      kg_token_spec_get_db_param (spec));
          return call_error (KG_ERROR_VALIDATION, exchange, server_message, remedy,
                             _("The route did not receive the database name (HTTP 400)"));
        }
      return call_error (KG_ERROR_VALIDATION, exchange, server_message, NULL,
                         _("The server rejected the values (HTTP %u): %s"), status,
                         server_message ? server_message : _("no message"));
    }

  if (status == 404 && odoo_name != NULL && g_str_has_suffix (odoo_name, "MissingError"))
    return call_error (KG_ERROR_MISSING_RECORD, exchange, server_message, NULL, "%s",
                       server_message ? server_message
                                      : _("The record does not exist or was deleted."));

  if (status == 404)
    {
      if ((error_name != NULL && strstr (error_name, "atabase") != NULL)
          || (odoo_name != NULL && server_message != NULL
              && strstr (server_message, "atabase") != NULL))
        return call_error (KG_ERROR_UNKNOWN_DATABASE, exchange, server_message, NULL,
                           _("The database “%s” was not found, or the module is not installed in "
                             "it (HTTP 404)"),
                           kg_profile_get_database (kg_token_client_get_profile (self)));

      return call_error (KG_ERROR_HTTP_STATUS, exchange, server_message,
                         _("Check the route’s path, model and method, and that the module serving "
                           "it is installed."),
                         _("The route was not found (HTTP 404): %s"),
                         server_message ? server_message : _("no message"));
    }

  return classify_generic (exchange, KG_TOKEN_STEP_CALL, method, server_message);
}
