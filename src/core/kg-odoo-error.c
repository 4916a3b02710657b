/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "keygate-rpc"

/* What an Odoo JSON-RPC answer means: the "result", or a KG_ERROR of the
 * kind the user can act on, read from error.data.name (never error.code,
 * which is 200 in Odoo 18 and 0 in 19, nor the HTTP status, always 200), a
 * non-JSON page, an empty body or an HTTP 429. The facts come from the
 * exchanges captured from real Odoo 18 and 19 servers in
 * tests/fixtures/odoo-protocol/. */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "kg-error.h"
#include "kg-json.h"
#include "kg-odoo-error.h"

#define MAX_PAGE_LINE 120

void
kg_odoo_error_set_message (GError     *error,
                           const char *message)
{
  char *copy = g_strdup (message);

  g_free (error->message);
  error->message = copy;
}

/* Stores a copy of @error on @exchange without the exchange itself attached
 * (which would make a reference cycle). */
void
kg_odoo_exchange_set_error (KgExchange   *exchange,
                            const GError *error)
{
  g_autoptr(GError) copy = g_error_copy (error);

  if (copy->domain == KG_ERROR)
    kg_error_set_exchange (copy, NULL);
  kg_exchange_set_error (exchange, copy);
}

static char *
strip_tags (const char *line)
{
  g_autoptr(GString) text = g_string_new (NULL);
  gboolean in_tag = FALSE;

  for (const char *p = line; *p != '\0'; p++)
    {
      if (*p == '<')
        in_tag = TRUE;
      else if (*p == '>' && in_tag)
        in_tag = FALSE;
      else if (!in_tag)
        g_string_append_c (text, *p == '\t' ? ' ' : *p);
    }

  return g_strstrip (g_string_free (g_steal_pointer (&text), FALSE));
}

/* The first line of @body with text once tags are stripped, cut to
 * MAX_PAGE_LINE characters; NULL when there is none. Skips <script> and
 * <style> blocks, whose contents are not text a reader sees. */
static char *
first_page_line (const char *body)
{
  g_auto(GStrv) lines = NULL;
  gboolean in_script = FALSE;

  if (body == NULL)
    return NULL;

  lines = g_strsplit (body, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *lower = g_ascii_strdown (lines[i], -1);
      g_autofree char *text = NULL;

      if (in_script)
        {
          if (strstr (lower, "</script") != NULL || strstr (lower, "</style") != NULL)
            in_script = FALSE;
          continue;
        }
      if ((strstr (lower, "<script") != NULL && strstr (lower, "</script") == NULL) ||
          (strstr (lower, "<style") != NULL && strstr (lower, "</style") == NULL))
        {
          in_script = TRUE;
          continue;
        }

      text = strip_tags (lines[i]);
      if (text[0] == '\0' || !g_utf8_validate (text, -1, NULL))
        continue;

      if (g_utf8_strlen (text, -1) > MAX_PAGE_LINE)
        {
          char *end = g_utf8_offset_to_pointer (text, MAX_PAGE_LINE - 1);

          *end = '\0';
          return g_strconcat (text, "…", NULL);
        }
      return g_steal_pointer (&text);
    }

  return NULL;
}

static gboolean
content_type_is_json (const char *content_type)
{
  return content_type != NULL &&
         (g_str_has_prefix (content_type, "application/json") ||
          strstr (content_type, "+json") != NULL);
}

static GError *
not_json_error (KgExchange *exchange)
{
  guint status = kg_exchange_get_status (exchange);
  g_autofree char *line = first_page_line (kg_exchange_get_response_body (exchange));
  const char *what = line;
  GError *error;

  if (what == NULL)
    what = kg_exchange_get_reason (exchange);
  if (what == NULL || what[0] == '\0')
    what = _("empty answer");

  error = g_error_new (KG_ERROR, KG_ERROR_NOT_JSON, "HTTP %u: %s", status, what);
  kg_error_set_http_status (error, status);
  if (line != NULL)
    kg_error_set_server_message (error, line);
  return error;
}

/* NULL, empty or only whitespace. */
static gboolean
text_is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  while (g_ascii_isspace (*text))
    text++;
  return *text == '\0';
}

static GError *
empty_response_error (KgExchange *exchange)
{
  guint status = kg_exchange_get_status (exchange);
  const char *reason = kg_exchange_get_reason (exchange);
  GError *error;

  if (reason != NULL && reason[0] != '\0')
    /* Translators: "HTTP 200 OK: empty response" */
    error = g_error_new (KG_ERROR, KG_ERROR_NOT_JSON, _("HTTP %u %s: empty response"),
                         status, reason);
  else
    error = g_error_new (KG_ERROR, KG_ERROR_NOT_JSON, _("HTTP %u: empty response"), status);
  kg_error_set_http_status (error, status);
  return error;
}

/* database "no_such_db" does not exist → no_such_db */
static char *
extract_database_name (const char *message)
{
  const char *start;
  const char *end;

  if (message == NULL || (start = strstr (message, "database \"")) == NULL)
    return NULL;
  start += strlen ("database \"");
  end = strchr (start, '"');
  if (end == NULL)
    return NULL;
  return g_strndup (start, end - start);
}

static GError *
classify_rpc_error (JsonObject *error_object,
                    guint       status)
{
  JsonObject *data = kg_json_get_object (error_object, "data");
  const char *name = kg_json_get_string (data, "name");
  const char *server_message = kg_json_get_string (data, "message");
  const char *envelope_message = kg_json_get_string (error_object, "message");
  gint64 code = 0;
  GError *error;

  if (json_object_has_member (error_object, "code"))
    {
      JsonNode *code_node = json_object_get_member (error_object, "code");

      /* Only a number is a code; a string or an object is ignored. */
      if (JSON_NODE_HOLDS_VALUE (code_node) &&
          json_node_get_value_type (code_node) == G_TYPE_INT64)
        code = json_node_get_int (code_node);
    }

  if (server_message == NULL)
    server_message = envelope_message;
  if (name == NULL)
    name = "";

  if (g_str_has_suffix (name, "SessionExpiredException") || (code == 100 && name[0] == '\0'))
    {
      error = g_error_new_literal (KG_ERROR, KG_ERROR_SESSION_EXPIRED,
                                   _("The Odoo session has expired or was never opened."));
    }
  else if (server_message != NULL && strstr (server_message, "Too many login failures") != NULL)
    {
      error = g_error_new (KG_ERROR, KG_ERROR_TOO_MANY_ATTEMPTS,
                           _("Odoo blocks logins from this address for a while: “%s”"),
                           server_message);
    }
  else if (g_str_equal (name, "odoo.exceptions.AccessDenied"))
    {
      error = g_error_new_literal (KG_ERROR, KG_ERROR_ACCESS_DENIED,
                                   _("Odoo refused the login (Access Denied)."));
    }
  else if (g_str_equal (name, "odoo.exceptions.AccessError"))
    {
      error = g_error_new_literal (KG_ERROR, KG_ERROR_ACCESS_ERROR,
                                   server_message ? server_message : _("Access error"));
    }
  else if (g_str_equal (name, "odoo.exceptions.ValidationError") ||
           g_str_equal (name, "odoo.exceptions.UserError"))
    {
      error = g_error_new_literal (KG_ERROR, KG_ERROR_VALIDATION,
                                   server_message ? server_message : _("Validation error"));
    }
  else if (g_str_equal (name, "odoo.exceptions.MissingError"))
    {
      error = g_error_new_literal (KG_ERROR, KG_ERROR_MISSING_RECORD,
                                   server_message ? server_message : _("Record does not exist"));
    }
  else if (g_str_has_prefix (name, "psycopg2.OperationalError") &&
           server_message != NULL && strstr (server_message, "does not exist") != NULL)
    {
      g_autofree char *database = extract_database_name (server_message);

      if (database != NULL)
        error = g_error_new (KG_ERROR, KG_ERROR_UNKNOWN_DATABASE,
                             _("The database “%s” does not exist on this server."), database);
      else
        error = g_error_new_literal (KG_ERROR, KG_ERROR_UNKNOWN_DATABASE,
                                     _("The database does not exist on this server."));
    }
  else
    {
      if (name[0] != '\0' && server_message != NULL)
        error = g_error_new (KG_ERROR, KG_ERROR_SERVER, _("Odoo reported an error (%s): %s"),
                             name, server_message);
      else
        error = g_error_new (KG_ERROR, KG_ERROR_SERVER, _("Odoo reported an error: %s"),
                             server_message ? server_message : _("no details"));
    }

  if (server_message != NULL)
    kg_error_set_server_message (error, server_message);
  kg_error_set_http_status (error, status);

  return error;
}

static JsonNode *
fail (GError **error,
      GError  *local_error)
{
  g_propagate_error (error, local_error);
  return NULL;
}

/* The "result" of a JSON-RPC answer, or NULL and why not. */
static JsonNode *
read_jsonrpc_answer (KgExchange  *exchange,
                     GError     **error)
{
  g_autoptr(JsonNode) parsed = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;
  JsonObject *object;
  guint status;

  status = kg_exchange_get_status (exchange);
  root = kg_exchange_get_response_json (exchange);

  if (root == NULL && content_type_is_json (kg_exchange_get_response_content_type (exchange)) &&
      !text_is_blank (kg_exchange_get_response_body (exchange)))
    {
      /* Parse the (redacted) text when the raw JSON was not kept. A document
       * of only whitespace parses to no root at all. */
      g_autoptr(GError) parse_error = NULL;
      const char *body = kg_exchange_get_response_body (exchange);

      root = parsed = kg_json_parse (body, -1, &parse_error);
      /* Nesting too deep to read safely is said as such. */
      if (root == NULL && g_error_matches (parse_error, KG_ERROR, KG_ERROR_NOT_JSON))
        {
          local_error = g_steal_pointer (&parse_error);
          kg_error_set_http_status (local_error, status);
          return fail (error, g_steal_pointer (&local_error));
        }
    }

  /* A rate limit keeps its status and meaning, whatever the body says
   * ({"error": "rate_limited"} is no Odoo error). */
  if (status == 429)
    {
      JsonObject *limited = root && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root)
                                                                  : NULL;
      const char *message = kg_json_get_string (limited, "message");

      local_error = kg_odoo_rate_limited_error (exchange,
                                                message ? message
                                                        : kg_json_get_string (limited, "error"));
      return fail (error, g_steal_pointer (&local_error));
    }

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      if (root == NULL && text_is_blank (kg_exchange_get_response_body (exchange)))
        local_error = empty_response_error (exchange);
      else if (root == NULL)
        local_error = not_json_error (exchange);
      else if (status >= 400)
        local_error = g_error_new (KG_ERROR, KG_ERROR_HTTP_STATUS,
                                   _("HTTP %u %s"), status,
                                   kg_exchange_get_reason (exchange) ?: "");
      else
        local_error = g_error_new_literal (KG_ERROR, KG_ERROR_SERVER,
                                           _("The server answered with JSON that is not a "
                                             "JSON-RPC response."));
      kg_error_set_http_status (local_error, status);
      return fail (error, g_steal_pointer (&local_error));
    }

  object = json_node_get_object (root);

  if (json_object_has_member (object, "error") &&
      !JSON_NODE_HOLDS_NULL (json_object_get_member (object, "error")))
    {
      JsonObject *error_object = kg_json_get_object (object, "error");

      if (error_object != NULL)
        local_error = classify_rpc_error (error_object, status);
      else
        local_error = g_error_new (KG_ERROR, KG_ERROR_SERVER, _("Odoo reported an error: %s"),
                                   kg_json_get_string (object, "error") ?: _("no details"));
      return fail (error, g_steal_pointer (&local_error));
    }

  if (json_object_has_member (object, "result"))
    {
      if (status >= 400)
        {
          local_error = g_error_new (KG_ERROR, KG_ERROR_HTTP_STATUS, _("HTTP %u %s"), status,
                                     kg_exchange_get_reason (exchange) ?: "");
          kg_error_set_http_status (local_error, status);
          return fail (error, g_steal_pointer (&local_error));
        }
      return json_node_copy (json_object_get_member (object, "result"));
    }

  if (status >= 400)
    {
      const char *message = kg_json_get_string (object, "message");

      if (message != NULL)
        {
          local_error = g_error_new (KG_ERROR, KG_ERROR_HTTP_STATUS, _("HTTP %u: %s"), status,
                                     message);
          kg_error_set_server_message (local_error, message);
        }
      else
        {
          local_error = g_error_new (KG_ERROR, KG_ERROR_HTTP_STATUS, _("HTTP %u %s"), status,
                                     kg_exchange_get_reason (exchange) ?: "");
        }
    }
  else
    {
      local_error = g_error_new_literal (KG_ERROR, KG_ERROR_SERVER,
                                         _("The server answered with JSON that is not a JSON-RPC "
                                           "response."));
    }
  kg_error_set_http_status (local_error, status);
  return fail (error, g_steal_pointer (&local_error));
}

JsonNode *
kg_odoo_classify_jsonrpc (KgExchange  *exchange,
                          GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  JsonNode *result;

  g_return_val_if_fail (KG_IS_EXCHANGE (exchange), NULL);

  result = read_jsonrpc_answer (exchange, &local_error);
  if (result == NULL)
    {
      kg_odoo_exchange_set_error (exchange, local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
    }
  return result;
}

/* "120" (seconds) or an HTTP date: how long from now, in seconds; -1 when
 * the header is missing or unreadable. */
static gint64
retry_after_seconds (const char *value)
{
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) now = NULL;
  char *end = NULL;
  guint64 seconds;

  if (value == NULL)
    return -1;
  while (g_ascii_isspace (*value))
    value++;
  if (g_ascii_isdigit (*value))
    {
      seconds = g_ascii_strtoull (value, &end, 10);
      while (end != NULL && g_ascii_isspace (*end))
        end++;
      return end != NULL && *end == '\0' && seconds < G_MAXINT32 ? (gint64) seconds : -1;
    }
  when = soup_date_time_new_from_http_string (value);
  if (when == NULL)
    return -1;
  now = g_date_time_new_now_utc ();
  return MAX (g_date_time_difference (when, now) / G_USEC_PER_SEC, 0);
}

GError *
kg_odoo_rate_limited_error (KgExchange *exchange,
                            const char *server_message)
{
  const char *retry_after;
  gint64 wait;
  GError *error;
  g_autofree char *message = NULL;
  g_autofree char *remedy = NULL;

  g_return_val_if_fail (KG_IS_EXCHANGE (exchange), NULL);

  retry_after = kg_exchange_find_response_header (exchange, "Retry-After");
  wait = retry_after_seconds (retry_after);

  if (server_message != NULL && wait >= 0)
    message = g_strdup_printf (/* Translators: %s is the server's message, %lld seconds */
                               _("The server refuses requests for now (HTTP 429: %s); it asks to "
                                 "wait %lld s."), server_message, (long long) wait);
  else if (server_message != NULL)
    message = g_strdup_printf (/* Translators: %s is the server's message */
                               _("The server refuses requests for now (HTTP 429: %s)."),
                               server_message);
  else if (wait >= 0)
    message = g_strdup_printf (/* Translators: %lld is a number of seconds */
                               _("The server refuses requests for now (HTTP 429); it asks to "
                                 "wait %lld s."), (long long) wait);
  else
    message = g_strdup (_("The server refuses requests for now (HTTP 429)."));

  if (wait >= 0)
    remedy = g_strdup_printf (/* Translators: %lld is a number of seconds */
                              ngettext ("Wait %lld second, then try again. Requests sent "
                                        "meanwhile may make the server wait longer.",
                                        "Wait %lld seconds, then try again. Requests sent "
                                        "meanwhile may make the server wait longer.",
                                        (gulong) MIN (wait, G_MAXLONG)),
                              (long long) wait);
  else
    remedy = g_strdup (_("Wait a while, then try again. Requests sent meanwhile may make the "
                         "server wait longer; a proxy or the server’s configuration sets the "
                         "limit."));

  error = g_error_new_literal (KG_ERROR, KG_ERROR_TOO_MANY_ATTEMPTS, message);
  kg_error_set_http_status (error, 429);
  kg_error_set_exchange (error, exchange);
  kg_error_set_remedy (error, remedy);
  if (server_message != NULL)
    kg_error_set_server_message (error, server_message);
  return error;
}
