/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What every route family answers with: JSON-RPC envelopes, Odoo faults in
 * their JSON-RPC and JSON-2 shapes, Werkzeug's and Odoo's HTML error pages,
 * session cookies, and small helpers to read requests and build JSON values.
 */
#define G_LOG_DOMAIN "keygate-demo"

#include "config.h"

#include "kg-demo-server-private.h"

#include <string.h>

void
kg_demo_respond_text (SoupServerMessage *msg,
                      guint              status,
                      const char        *content_type,
                      const char        *body)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, body, strlen (body));
}

void
kg_demo_respond_node (SoupServerMessage *msg, guint status, JsonNode *node)
{
  g_autofree char *text = json_to_string (node, FALSE);

  kg_demo_respond_text (msg, status, JSON_TYPE, text);
}

void
kg_demo_respond_object (SoupServerMessage *msg, guint status, JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  kg_demo_respond_node (msg, status, node);
}

/* Werkzeug's small HTML error page. @description is HTML already. */
void
kg_demo_respond_werkzeug (SoupServerMessage *msg,
                          guint              status,
                          const char        *title,
                          const char        *description)
{
  g_autofree char *body = g_strdup_printf ("<!doctype html>\n<html lang=en>\n<title>%u %s</title>\n"
                                           "<h1>%s</h1>\n<p>%s</p>\n",
                                           status, title, title, description);
  kg_demo_respond_text (msg, status, HTML_TYPE, body);
}

void
kg_demo_set_session_cookie (SoupServerMessage *msg, const char *sid)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) expires = g_date_time_add_seconds (now, 604800);
  g_autofree char *date = soup_date_time_to_string (expires, SOUP_DATE_HTTP);
  g_autofree char *value =
    g_strdup_printf ("session_id=%s; Expires=%s; Max-Age=604800; HttpOnly; Path=/", sid, date);

  soup_message_headers_append (soup_server_message_get_response_headers (msg), "Set-Cookie", value);
}

/* A new session (84 URL-safe characters, like Odoo's) for @uid. */
char *
kg_demo_session_new (KgDemoServer *self, guint uid)
{
  char *sid = kg_demo_random_token (63);

  g_hash_table_insert (self->sessions, g_strdup (sid), GUINT_TO_POINTER (uid));
  return sid;
}

void
kg_demo_set_anonymous_session (KgDemoServer *self, SoupServerMessage *msg)
{
  g_autofree char *sid = kg_demo_session_new (self, 0);

  kg_demo_set_session_cookie (msg, sid);
}

static const char *
request_session_id (SoupServerMessage *msg, char **out)
{
  const char *header = soup_message_headers_get_list (soup_server_message_get_request_headers (msg),
                                                      "Cookie");
  g_autoptr(GHashTable) params = NULL;
  const char *sid;

  *out = NULL;
  if (header == NULL)
    return NULL;
  params = soup_header_parse_semi_param_list (header);
  sid = g_hash_table_lookup (params, "session_id");
  *out = g_strdup (sid);
  return *out;
}

void
kg_demo_respond_not_found (KgDemoServer *self, SoupServerMessage *msg)
{
  static const char page[] =
    "<!DOCTYPE html>\n<html>\n    <head>\n        <meta charset=\"utf-8\"/>\n"
    "        <title>Odoo</title>\n    </head>\n    <body>\n"
    "        <div id=\"wrapwrap\">\n            <main>\n"
    "                <div class=\"container\">\n"
    "                    <h1 class=\"mt-5\">404: Page not found!</h1>\n"
    "                    <p>The page you were looking for could not be found; it is possible "
    "you have typed the address incorrectly, but it has most probably been removed due to the "
    "recent website reorganisation.</p>\n"
    "                    <p>(Keygate demo server: this is not a real Odoo.)</p>\n"
    "                </div>\n            </main>\n        </div>\n    </body>\n</html>\n";

  soup_message_headers_append (soup_server_message_get_response_headers (msg), "Set-Cookie",
                               "frontend_lang=en_US; Path=/");
  kg_demo_set_anonymous_session (self, msg);
  kg_demo_respond_text (msg, SOUP_STATUS_NOT_FOUND, "text/html;charset=utf-8", page);
}

/* Odoo's "type='json' route called as http" 400 page. */
void
kg_demo_respond_wrong_route_type (SoupServerMessage *msg, const char *route)
{
  g_autofree char *escaped = g_markup_escape_text (route, -1);
  g_autofree char *text =
    g_strdup_printf ("Request inferred type is compatible with [&#39;http&#39;] "
                     "but &#39;%s&#39; is type=&#39;json&#39;.", escaped);

  kg_demo_respond_werkzeug (msg, SOUP_STATUS_BAD_REQUEST, "Bad Request", text);
}

void
kg_demo_respond_method_not_allowed (SoupServerMessage *msg)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow",
                                "POST, OPTIONS");
  kg_demo_respond_werkzeug (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method Not Allowed",
                            "The method is not allowed for the requested URL.");
}
void
kg_demo_fault_set (DemoFault  *fault,
                   guint       status,
                   const char *name,
                   gboolean    http_error,
                   const char *format,
                   ...)
{
  va_list args;

  g_clear_pointer (&fault->message, g_free);
  fault->status = status;
  fault->name = name;
  fault->http_error = http_error;
  va_start (args, format);
  fault->message = g_strdup_vprintf (format, args);
  va_end (args);
}

void
kg_demo_fault_clear (DemoFault *fault)
{
  g_clear_pointer (&fault->message, g_free);
}

static char *
fault_debug (const DemoFault *fault)
{
  const char *dot = strrchr (fault->name, '.');
  const char *short_name = dot ? dot + 1 : fault->name;

  return g_strdup_printf ("Traceback (most recent call last):\n"
                          "  File \"keygate-demo-server\", line 1, in <demo>\n"
                          "    (demo) this server imitates Odoo; there is no real traceback\n"
                          "%s: %s\n", short_name, fault->message);
}

/* The "data" object of a JSON-RPC error, or the JSON-2 error body. */
JsonObject *
kg_demo_fault_to_object (const DemoFault *fault, gboolean odoo19_order)
{
  JsonObject *data = json_object_new ();
  JsonArray *arguments = json_array_new ();
  g_autofree char *debug = fault_debug (fault);

  json_array_add_string_element (arguments, fault->message);
  if (fault->http_error)
    json_array_add_int_element (arguments, fault->status);

  json_object_set_string_member (data, "name", fault->name);
  if (!odoo19_order)
    json_object_set_string_member (data, "debug", debug);
  json_object_set_string_member (data, "message", fault->message);
  json_object_set_array_member (data, "arguments", arguments);
  json_object_set_object_member (data, "context", json_object_new ());
  if (odoo19_order)
    json_object_set_string_member (data, "debug", debug);
  return data;
}

void
kg_demo_respond_rpc_result (SoupServerMessage *msg, JsonNode *id, JsonNode *result)
{
  g_autoptr(JsonObject) envelope = json_object_new ();

  json_object_set_string_member (envelope, "jsonrpc", "2.0");
  json_object_set_member (envelope, "id",
                          id ? json_node_copy (id) : json_node_new (JSON_NODE_NULL));
  json_object_set_member (envelope, "result", result);
  kg_demo_respond_object (msg, SOUP_STATUS_OK, envelope);
}

void
kg_demo_respond_rpc_fault (KgDemoServer      *self,
                           SoupServerMessage *msg,
                           JsonNode          *id,
                           const DemoFault   *fault)
{
  g_autoptr(JsonObject) envelope = json_object_new ();
  JsonObject *error = json_object_new ();

  json_object_set_int_member (error, "code", self->odoo19 ? 0 : 200);
  json_object_set_string_member (error, "message", "Odoo Server Error");
  json_object_set_object_member (error, "data", kg_demo_fault_to_object (fault, self->odoo19));

  json_object_set_string_member (envelope, "jsonrpc", "2.0");
  json_object_set_member (envelope, "id",
                          id ? json_node_copy (id) : json_node_new (JSON_NODE_NULL));
  json_object_set_object_member (envelope, "error", error);
  kg_demo_respond_object (msg, SOUP_STATUS_OK, envelope);
}

void
kg_demo_respond_rpc_simple_fault (KgDemoServer *self, SoupServerMessage *msg, JsonNode *id,
                                  const char *name, const char *message)
{
  DemoFault fault = { 0 };

  kg_demo_fault_set (&fault, 200, name, FALSE, "%s", message);
  kg_demo_respond_rpc_fault (self, msg, id, &fault);
  kg_demo_fault_clear (&fault);
}

void
kg_demo_fault_unknown_database (DemoFault *fault, const char *db)
{
  kg_demo_fault_set (fault, 500, "psycopg2.OperationalError", FALSE,
                     "connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  "
                     "database \"%s\" does not exist\n", db ? db : "");
}
JsonNode *
kg_demo_bool_node (gboolean value)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  json_node_set_boolean (node, value);
  return node;
}

JsonNode *
kg_demo_int_node (gint64 value)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  json_node_set_int (node, value);
  return node;
}

JsonNode *
kg_demo_string_node (const char *value)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (node, value);
  return node;
}

JsonArray *
kg_demo_array_param (JsonObject *params, const char *name)
{
  JsonNode *node = params ? json_object_get_member (params, name) : NULL;

  return node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

const char *
kg_demo_string_param (JsonObject *params, const char *name)
{
  JsonNode *node = params ? json_object_get_member (params, name) : NULL;

  if (node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  return NULL;
}

gboolean
kg_demo_is_json_request (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *type = soup_message_headers_get_content_type (headers, NULL);

  return type != NULL && (g_ascii_strcasecmp (type, "application/json") == 0
                          || g_ascii_strcasecmp (type, "application/json-rpc") == 0);
}

const char *
kg_demo_request_header (SoupServerMessage *msg, const char *name)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *value = soup_message_headers_get_one (headers, name);

  return value && *value ? value : NULL;
}

static GBytes *
request_body (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  return soup_message_body_flatten (body);
}

/* Parses the body as JSON; NULL when it is not JSON. */
JsonNode *
kg_demo_parse_json_body (SoupServerMessage *msg, gboolean *empty)
{
  g_autoptr(GBytes) bytes = request_body (msg);
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);
  JsonNode *root;

  if (empty)
    *empty = (size == 0);
  if (size == 0 || !g_utf8_validate (data, (gssize) size, NULL))
    return NULL;
  if (!json_parser_load_from_data (parser, data, (gssize) size, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  return root ? json_node_copy (root) : NULL;
}

const char *
kg_demo_bearer_token (const char *authorization)
{
  if (authorization == NULL)
    return NULL;
  if (g_ascii_strncasecmp (authorization, "bearer ", 7) != 0)
    return NULL;
  authorization += 7;
  while (*authorization == ' ')
    authorization++;
  return *authorization ? authorization : NULL;
}

JsonNode *
kg_demo_array_to_node (JsonArray *array)
{
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  json_node_take_array (node, array);
  return node;
}


const DemoUser *
kg_demo_session_user (KgDemoServer *self, SoupServerMessage *msg)
{
  g_autofree char *sid = NULL;
  gpointer uid;

  if (request_session_id (msg, &sid) == NULL)
    return NULL;
  if (!g_hash_table_lookup_extended (self->sessions, sid, NULL, &uid))
    return NULL;
  return kg_demo_user_by_uid (GPOINTER_TO_UINT (uid));
}
