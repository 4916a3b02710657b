/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Odoo 19's JSON-2 API: POST /json/2/<model>/<method> with a bearer API key.
 */
#define G_LOG_DOMAIN "keygate-demo"

#include "config.h"

#include "kg-demo-server-private.h"

#include <string.h>

static void
respond_json2_fault (SoupServerMessage *msg, const DemoFault *fault)
{
  g_autoptr(JsonObject) object = kg_demo_fault_to_object (fault, TRUE);

  if (fault->status == SOUP_STATUS_UNAUTHORIZED)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  "WWW-Authenticate", "Bearer");
  kg_demo_respond_object (msg, fault->status, object);
}

static void
respond_unsupported_media (SoupServerMessage *msg, const char *route)
{
  g_autofree char *escaped = g_markup_escape_text (route, -1);
  g_autofree char *text =
    g_strdup_printf ("Request inferred type is compatible with [&#39;http&#39;] "
                     "but &#39;%s&#39; is type=&#39;json2&#39;.<br><br>Please "
                     "verify the Content-Type request header and try again.",
                     escaped);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Accept",
                                "application/json");
  kg_demo_respond_werkzeug (msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "Unsupported Media Type",
                            text);
}

/* The user of the bearer API key; NULL with @fault set otherwise. */
static const DemoUser *
json2_user (KgDemoServer      *self,
            SoupServerMessage *msg,
            DemoFault     *fault)
{
  const DemoUser *cookie_user = kg_demo_session_user (self, msg);
  const char *key = kg_demo_bearer_token (kg_demo_request_header (msg, "Authorization"));
  const DemoUser *user;

  if (key == NULL)
    {
      if (cookie_user != NULL)
        kg_demo_fault_set (fault, 401, "werkzeug.exceptions.Unauthorized", TRUE,
                           "Missing \"Authorization\" or Sec-headers for interactive usage.");
      else
        kg_demo_fault_set (fault, 401, "werkzeug.exceptions.Unauthorized", TRUE,
                           "User not authenticated, use an API Key with a Bearer "
                           "Authorization header.");
      return NULL;
    }
  user = kg_demo_user_for_key (self, key);
  if (user == NULL)
    {
      kg_demo_fault_set (fault, 401, "werkzeug.exceptions.Unauthorized", TRUE, "Invalid apikey");
      return NULL;
    }
  if (cookie_user != NULL && cookie_user != user)
    {
      kg_demo_fault_set (fault, 403, "odoo.exceptions.AccessDenied", FALSE,
                         "Session user does not match the used apikey.");
      return NULL;
    }
  return user;
}

/* The named arguments of @body for @method (and its "ids" in @ids_out);
 * NULL with @fault set when they do not fit. */
static JsonObject *
json2_params (const DemoMethod  *method,
              JsonObject        *body,
              JsonArray        **ids_out,
              DemoFault     *fault)
{
  g_autoptr(JsonObject) params = json_object_new ();
  g_autoptr(JsonArray) ids = NULL;
  JsonObjectIter iter;
  const char *member;
  JsonNode *value;
  JsonNode *ids_node;

  if (body == NULL)
    {
      if (method->n_required > 0)
        {
          kg_demo_fault_set (fault, 422, "werkzeug.exceptions.UnprocessableEntity", TRUE,
                             "missing a required argument: '%s'", method->params[0]);
          return NULL;
        }
      *ids_out = method->record ? json_array_new () : NULL;
      return g_steal_pointer (&params);
    }

  ids_node = json_object_get_member (body, "ids");
  if (ids_node != NULL && !method->record)
    {
      kg_demo_fault_set (fault, 422, "werkzeug.exceptions.UnprocessableEntity", TRUE,
                         "cannot call %s.%s with ids", method->model, method->method);
      return NULL;
    }
  if (ids_node != NULL)
    {
      if (!JSON_NODE_HOLDS_ARRAY (ids_node))
        {
          kg_demo_fault_set (fault, 422, "werkzeug.exceptions.UnprocessableEntity", TRUE,
                             "ids must be a list of integers");
          return NULL;
        }
      ids = json_array_ref (json_node_get_array (ids_node));
    }

  for (guint i = 0; i < method->n_required; i++)
    if (!json_object_has_member (body, method->params[i]))
      {
        kg_demo_fault_set (fault, 422, "werkzeug.exceptions.UnprocessableEntity", TRUE,
                           "missing a required argument: '%s'", method->params[i]);
        return NULL;
      }

  json_object_iter_init (&iter, body);
  while (json_object_iter_next (&iter, &member, &value))
    {
      if (g_str_equal (member, "ids") || g_str_equal (member, "context"))
        continue;
      if (!g_strv_contains (method->params, member))
        {
          kg_demo_fault_set (fault, 422, "werkzeug.exceptions.UnprocessableEntity", TRUE,
                             "got an unexpected keyword argument '%s'", member);
          return NULL;
        }
      json_object_set_member (params, member, json_node_copy (value));
    }

  if (method->record && ids == NULL)
    ids = json_array_new ();
  *ids_out = g_steal_pointer (&ids);
  return g_steal_pointer (&params);
}

/* Runs @model.@name for the request; the result, or NULL with @fault set. */
static JsonNode *
json2_call (KgDemoServer      *self,
            SoupServerMessage *msg,
            const char        *model,
            const char        *name,
            DemoFault     *fault)
{
  const DemoUser *user;
  g_autoptr(JsonNode) root = NULL;
  gboolean empty = FALSE;
  g_autoptr(JsonObject) params = NULL;
  g_autoptr(JsonArray) ids = NULL;
  const DemoMethod *method;
  JsonNode *vals;

  user = json2_user (self, msg, fault);
  if (user == NULL)
    return NULL;

  root = kg_demo_parse_json_body (msg, &empty);
  if (root == NULL && !empty)
    {
      kg_demo_fault_set (fault, 400, "werkzeug.exceptions.BadRequest", TRUE,
                         "could not parse the body as json: Expecting value: line 1 column 1 "
                         "(char 0)");
      return NULL;
    }
  if (root != NULL && !JSON_NODE_HOLDS_OBJECT (root))
    {
      kg_demo_fault_set (fault, 422, "werkzeug.exceptions.UnprocessableEntity", TRUE,
                         "the request body must be a JSON object of named arguments");
      return NULL;
    }

  method = kg_demo_lookup_method (model, name, fault);
  if (method == NULL)
    return NULL;
  params = json2_params (method, root ? json_node_get_object (root) : NULL, &ids, fault);
  if (params == NULL)
    return NULL;

  /* JSON-2's create always takes a list and gives a list. */
  vals = json_object_get_member (params, "vals_list");
  if (g_str_equal (name, "create") && vals != NULL && JSON_NODE_HOLDS_OBJECT (vals))
    {
      JsonArray *list = json_array_new ();

      json_array_add_element (list, json_node_copy (vals));
      json_object_set_array_member (params, "vals_list", list);
    }

  return kg_demo_invoke (self, user, model, method, ids, params, fault);
}

static void
handle_json2 (KgDemoServer      *self,
              SoupServerMessage *msg,
              const char        *path)
{
  const char *rest = path + strlen ("/json/2/");
  g_auto(GStrv) parts = g_strsplit (rest, "/", -1);
  gboolean well_formed = g_strv_length (parts) == 2 && *parts[0] && *parts[1];
  gboolean post = soup_server_message_get_method (msg) == SOUP_METHOD_POST;
  const char *db = kg_demo_request_header (msg, "X-Odoo-Database");
  g_auto(DemoFault) fault = { 0 };
  g_autoptr(JsonNode) result = NULL;

  if (!self->json2)
    {
      kg_demo_respond_werkzeug (msg, SOUP_STATUS_NOT_FOUND, "Not Found",
                                "The requested URL was not found on the server. If you entered "
                                "the URL manually please check your spelling and try again.");
      return;
    }

  if (!kg_demo_is_json_request (msg))
    {
      respond_unsupported_media (msg, post && well_formed
                                      ? "/json/2/<__model__>/<__method__>" : "/json/2");
      return;
    }
  if (!post || !well_formed)
    {
      kg_demo_fault_set (&fault, 404, "werkzeug.exceptions.NotFound", TRUE,
                         "Did you mean POST /json/2/<model>/<method>?");
      respond_json2_fault (msg, &fault);
      return;
    }

  if (db != NULL && !g_str_equal (db, KG_DEMO_DATABASE))
    {
      kg_demo_respond_text (msg, SOUP_STATUS_NOT_FOUND, HTML_TYPE,
                            "<!DOCTYPE html>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n"
                            "<p>No database is selected and the requested URL was not found in "
                            "the server-wide controllers.</p>\n<p>Please verify the hostname, "
                            "<a href=/web/login>login</a> and try again.</p>\n\n"
                            "<!-- Alternatively, use the X-Odoo-Database header. -->\n");
      return;
    }

  result = json2_call (self, msg, parts[0], parts[1], &fault);
  if (result == NULL)
    {
      respond_json2_fault (msg, &fault);
      return;
    }
  kg_demo_respond_node (msg, SOUP_STATUS_OK, result);
}

gboolean
kg_demo_json2_route (KgDemoServer      *self,
                     SoupServerMessage *msg,
                     const char        *path)
{
  if (g_str_equal (path, "/json/2"))
    handle_json2 (self, msg, "/json/2/");
  else if (g_str_has_prefix (path, "/json/2/"))
    handle_json2 (self, msg, path);
  else
    return FALSE;
  return TRUE;
}
