/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * /jsonrpc (common, db and object services) and the /web/... routes: password
 * login with its per-address cooldown, session info, database list, version.
 */
#define G_LOG_DOMAIN "keygate-demo"

#include "config.h"

#include "kg-demo-server-private.h"

#define ZERO_HASH "0000000000000000000000000000000000000000"
#define COOLDOWN_MESSAGE "Too many login failures, please wait a bit before trying again."

static JsonNode *
version_node (KgDemoServer *self)
{
  JsonObject *version = json_object_new ();
  JsonArray *info = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  guint major = self->odoo19 ? 19 : 18;

  json_array_add_int_element (info, major);
  json_array_add_int_element (info, 0);
  json_array_add_int_element (info, 0);
  json_array_add_string_element (info, "final");
  json_array_add_int_element (info, 0);
  json_array_add_string_element (info, "");

  json_object_set_string_member (version, "server_version",
                                 self->odoo19 ? "19.0-demo" : "18.0-demo");
  json_object_set_array_member (version, "server_version_info", info);
  json_object_set_string_member (version, "server_serie", self->odoo19 ? "19.0" : "18.0");
  json_object_set_int_member (version, "protocol_version", 1);
  json_node_take_object (node, version);
  return node;
}

/* What Odoo answers when @db is not served: PostgreSQL does not know it. */
static void
respond_unknown_database (KgDemoServer      *self,
                          SoupServerMessage *msg,
                          JsonNode          *id,
                          const char        *db)
{
  g_auto(DemoFault) fault = { 0 };

  kg_demo_fault_unknown_database (&fault, db);
  kg_demo_respond_rpc_fault (self, msg, id, &fault);
}

static const char *
args_string (JsonArray *args, guint index)
{
  JsonNode *node = args && index < json_array_get_length (args)
                   ? json_array_get_element (args, index) : NULL;

  if (node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  return NULL;
}

static void
handle_common (KgDemoServer      *self,
               SoupServerMessage *msg,
               JsonNode          *id,
               const char        *method,
               JsonArray         *args)
{
  if (g_str_equal (method, "version"))
    {
      kg_demo_respond_rpc_result (msg, id, version_node (self));
      return;
    }
  if (g_str_equal (method, "authenticate") || g_str_equal (method, "login"))
    {
      const char *db = args_string (args, 0);
      const DemoUser *user = kg_demo_user_by_login (args_string (args, 1));
      const char *secret = args_string (args, 2);

      if (g_strcmp0 (db, KG_DEMO_DATABASE) != 0)
        {
          respond_unknown_database (self, msg, id, db);
          return;
        }
      if (kg_demo_check_rpc_credential (self, user, secret))
        kg_demo_respond_rpc_result (msg, id, kg_demo_int_node (user->uid));
      else
        kg_demo_respond_rpc_result (msg, id, kg_demo_bool_node (FALSE));
      return;
    }

  {
    g_autofree char *text = g_strdup_printf ("Method not found: %s", method);
    kg_demo_respond_rpc_simple_fault (self, msg, id, "builtins.Exception", text);
  }
}

/* The database list, or NULL after answering AccessDenied (list_db off). */
static JsonNode *
database_list (KgDemoServer      *self,
               SoupServerMessage *msg,
               JsonNode          *id)
{
  JsonArray *list;

  if (!self->list_db)
    {
      kg_demo_respond_rpc_simple_fault (self, msg, id, "odoo.exceptions.AccessDenied",
                                        "Access Denied");
      return NULL;
    }
  list = json_array_new ();
  json_array_add_string_element (list, KG_DEMO_DATABASE);
  return kg_demo_array_to_node (list);
}

static void
handle_db (KgDemoServer *self, SoupServerMessage *msg, JsonNode *id, const char *method)
{
  if (g_str_equal (method, "list"))
    {
      JsonNode *list = database_list (self, msg, id);

      if (list != NULL)
        kg_demo_respond_rpc_result (msg, id, list);
      return;
    }
  if (g_str_equal (method, "server_version"))
    {
      kg_demo_respond_rpc_result (msg, id,
                                  kg_demo_string_node (self->odoo19 ? "19.0-demo" : "18.0-demo"));
      return;
    }

  {
    g_autofree char *text = g_strdup_printf ("Method not found: %s", method);
    kg_demo_respond_rpc_simple_fault (self, msg, id, "builtins.Exception", text);
  }
}

/* Binds JSON-RPC positional @pos (from index @first) and @kwargs to the
 * method's named parameters. */
static JsonObject *
bind_rpc_arguments (const DemoMethod *method, JsonArray *pos, guint first, JsonObject *kwargs,
                    JsonArray **ids_out, DemoFault *fault)
{
  g_autoptr(JsonObject) params = json_object_new ();
  guint n_pos = pos ? json_array_get_length (pos) : 0;
  guint n_params = g_strv_length ((char **) method->params);
  guint p = first;

  *ids_out = NULL;
  if (method->record)
    {
      JsonNode *ids = p < n_pos ? json_array_get_element (pos, p) : NULL;

      if (ids == NULL)
        {
          kg_demo_fault_set (fault, 422, "builtins.TypeError", FALSE,
                             "%s() missing 1 required positional argument: 'ids'", method->method);
          return NULL;
        }
      if (JSON_NODE_HOLDS_ARRAY (ids))
        *ids_out = json_array_ref (json_node_get_array (ids));
      else
        {
          *ids_out = json_array_new ();
          json_array_add_element (*ids_out, json_node_copy (ids));
        }
      p++;
    }

  for (guint i = 0; p < n_pos; i++, p++)
    {
      if (i >= n_params)
        {
          kg_demo_fault_set (fault, 422, "builtins.TypeError", FALSE,
                             "%s() takes %u positional arguments but %u were given",
                             method->method, n_params + 1, n_pos - first + 1);
          g_clear_pointer (ids_out, json_array_unref);
          return NULL;
        }
      json_object_set_member (params, method->params[i],
                              json_node_copy (json_array_get_element (pos, p)));
    }

  if (kwargs != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;

      json_object_iter_init (&iter, kwargs);
      while (json_object_iter_next (&iter, &name, &value))
        {
          if (g_str_equal (name, "context"))
            continue;
          if (!g_strv_contains (method->params, name))
            {
              kg_demo_fault_set (fault, 422, "builtins.TypeError", FALSE,
                                 "%s() got an unexpected keyword argument '%s'",
                                 method->method, name);
              g_clear_pointer (ids_out, json_array_unref);
              return NULL;
            }
          json_object_set_member (params, name, json_node_copy (value));
        }
    }

  for (guint i = 0; i < method->n_required; i++)
    if (!json_object_has_member (params, method->params[i]))
      {
        kg_demo_fault_set (fault, 422, "builtins.TypeError", FALSE,
                           "%s() missing 1 required positional argument: '%s'",
                           method->method, method->params[i]);
        g_clear_pointer (ids_out, json_array_unref);
        return NULL;
      }

  return g_steal_pointer (&params);
}

/* object.execute_kw / object.execute: the result, or NULL with @fault set. */
static JsonNode *
call_object (KgDemoServer *self,
             gboolean      kw,
             JsonArray    *args,
             DemoFault    *fault)
{
  const char *db = args_string (args, 0);
  JsonNode *uid_node = args && json_array_get_length (args) > 1
                       ? json_array_get_element (args, 1) : NULL;
  const char *secret = args_string (args, 2);
  const char *model = args_string (args, 3);
  const char *name = args_string (args, 4);
  const DemoUser *user = NULL;
  const DemoMethod *found;
  g_autoptr(JsonObject) params = NULL;
  g_autoptr(JsonArray) ids = NULL;

  if (g_strcmp0 (db, KG_DEMO_DATABASE) != 0)
    {
      kg_demo_fault_unknown_database (fault, db);
      return NULL;
    }

  if (uid_node && JSON_NODE_HOLDS_VALUE (uid_node)
      && json_node_get_value_type (uid_node) == G_TYPE_INT64)
    user = kg_demo_user_by_uid (json_node_get_int (uid_node));
  if (!kg_demo_check_rpc_credential (self, user, secret))
    {
      kg_demo_fault_set (fault, 403, "odoo.exceptions.AccessDenied", FALSE, "Access Denied");
      return NULL;
    }

  if (model == NULL || name == NULL)
    {
      kg_demo_fault_set (fault, 500, "builtins.TypeError", FALSE,
                         "execute_kw() missing required positional arguments: "
                         "'model' and 'method'");
      return NULL;
    }

  found = kg_demo_lookup_method (model, name, fault);
  if (found == NULL)
    {
      /* JSON-RPC words these differently from JSON-2. */
      if (!kg_demo_model_exists (model))
        kg_demo_fault_set (fault, 404, "odoo.exceptions.UserError", FALSE,
                           "Object %s doesn't exist", model);
      else if (name[0] != '_')
        kg_demo_fault_set (fault, 404, "builtins.AttributeError", FALSE,
                           "The method '%s.%s' does not exist", model, name);
      return NULL;
    }

  if (kw)
    {
      JsonNode *pos = json_array_get_length (args) > 5 ? json_array_get_element (args, 5) : NULL;
      JsonNode *kwargs = json_array_get_length (args) > 6
                         ? json_array_get_element (args, 6) : NULL;

      params = bind_rpc_arguments (found,
                                   pos && JSON_NODE_HOLDS_ARRAY (pos)
                                   ? json_node_get_array (pos) : NULL,
                                   0,
                                   kwargs && JSON_NODE_HOLDS_OBJECT (kwargs)
                                   ? json_node_get_object (kwargs) : NULL,
                                   &ids, fault);
    }
  else
    params = bind_rpc_arguments (found, args, 5, NULL, &ids, fault);
  if (params == NULL)
    return NULL;

  return kg_demo_invoke (self, user, model, found, ids, params, fault);
}

static void
handle_object (KgDemoServer      *self,
               SoupServerMessage *msg,
               JsonNode          *id,
               const char        *method,
               JsonArray         *args)
{
  g_auto(DemoFault) fault = { 0 };
  JsonNode *result;

  if (!g_str_equal (method, "execute_kw") && !g_str_equal (method, "execute"))
    {
      g_autofree char *text = g_strdup_printf ("Method not found: %s", method);
      kg_demo_respond_rpc_simple_fault (self, msg, id, "builtins.Exception", text);
      return;
    }

  result = call_object (self, g_str_equal (method, "execute_kw"), args, &fault);
  if (result == NULL)
    {
      kg_demo_respond_rpc_fault (self, msg, id, &fault);
      return;
    }
  kg_demo_respond_rpc_result (msg, id, result);
}

/* Parses a JSON-RPC request; answers (and returns NULL) when it is not one. */
static JsonNode *
parse_rpc_request (SoupServerMessage *msg, const char *route, JsonObject **request, JsonNode **id)
{
  JsonNode *root;

  *request = NULL;
  *id = NULL;
  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST || !kg_demo_is_json_request (msg))
    {
      kg_demo_respond_wrong_route_type (msg, route);
      return NULL;
    }
  root = kg_demo_parse_json_body (msg, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_clear_pointer (&root, json_node_unref);
      kg_demo_respond_text (msg, SOUP_STATUS_BAD_REQUEST, HTML_TYPE, "Invalid JSON data");
      return NULL;
    }
  *request = json_node_get_object (root);
  *id = json_object_get_member (*request, "id");
  return root;
}

static JsonObject *
rpc_params (JsonObject *request)
{
  JsonNode *params = json_object_get_member (request, "params");

  return params && JSON_NODE_HOLDS_OBJECT (params) ? json_node_get_object (params) : NULL;
}

static void
handle_jsonrpc (KgDemoServer *self, SoupServerMessage *msg)
{
  JsonObject *request, *params;
  JsonNode *id;
  g_autoptr(JsonNode) root = parse_rpc_request (msg, "/jsonrpc", &request, &id);
  const char *service, *method;
  JsonArray *args;

  if (root == NULL)
    return;
  params = rpc_params (request);
  service = kg_demo_string_param (params, "service");
  method = kg_demo_string_param (params, "method");
  args = kg_demo_array_param (params, "args");

  if (service == NULL || method == NULL)
    {
      kg_demo_respond_rpc_simple_fault (self, msg, id, "builtins.TypeError",
                                        "jsonrpc() missing 2 required positional arguments: "
                                        "'service' and 'method'");
      return;
    }

  if (g_str_equal (service, "common"))
    handle_common (self, msg, id, method, args);
  else if (g_str_equal (service, "db"))
    handle_db (self, msg, id, method);
  else if (g_str_equal (service, "object"))
    handle_object (self, msg, id, method, args);
  else
    {
      g_autofree char *text = g_strdup_printf ("No such RPC service: %s", service);
      kg_demo_respond_rpc_simple_fault (self, msg, id, "builtins.Exception", text);
    }
}

/* ------------------------------------------------------------------------ */
/* Web routes                                                                */

static JsonNode *
session_info_node (KgDemoServer *self, const DemoUser *user)
{
  JsonObject *info = json_object_new ();
  JsonObject *context = json_object_new ();
  JsonObject *settings = json_object_new ();
  JsonObject *settings_user = json_object_new ();
  JsonObject *hashes = json_object_new ();
  JsonObject *currencies = json_object_new ();
  JsonObject *usd = json_object_new ();
  JsonArray *digits = json_array_new ();
  JsonObject *bundle = json_object_new ();
  JsonObject *companies = json_object_new ();
  JsonObject *allowed = json_object_new ();
  JsonObject *company = json_object_new ();
  JsonNode *version = version_node (self);
  JsonObject *version_object = json_node_get_object (version);
  JsonObject *view_info = json_object_new ();
  JsonObject *list_view = json_object_new ();
  JsonObject *form_view = json_object_new ();
  JsonObject *store_data = json_object_new ();
  JsonObject *store = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (list_view, "display_name", "List");
  json_object_set_string_member (list_view, "icon", "oi oi-view-list");
  json_object_set_boolean_member (list_view, "multi_record", TRUE);
  json_object_set_string_member (form_view, "display_name", "Form");
  json_object_set_string_member (form_view, "icon", "fa fa-address-card");
  json_object_set_boolean_member (form_view, "multi_record", FALSE);
  json_object_set_object_member (view_info, "list", list_view);
  json_object_set_object_member (view_info, "form", form_view);
  json_object_set_int_member (store, "internalUserGroupId", 1);
  json_object_set_object_member (store_data, "Store", store);

  json_object_set_int_member (context, "uid", user->uid);
  json_object_set_string_member (context, "lang", "en_US");
  json_object_set_string_member (context, "tz", "UTC");
  json_object_set_int_member (settings_user, "id", user->uid);
  json_object_set_int_member (settings, "id", user->uid);
  json_object_set_object_member (settings, "user_id", settings_user);
  json_object_set_string_member (hashes, "translations", ZERO_HASH);
  json_object_set_string_member (hashes, "load_menus", ZERO_HASH);
  json_object_set_string_member (usd, "symbol", "$");
  json_object_set_string_member (usd, "position", "before");
  json_array_add_int_element (digits, 69);
  json_array_add_int_element (digits, 2);
  json_object_set_array_member (usd, "digits", digits);
  json_object_set_object_member (currencies, "1", usd);
  json_object_set_string_member (bundle, "lang", "en_US");
  json_object_set_int_member (company, "id", 1);
  json_object_set_string_member (company, "name", "My Company");
  json_object_set_int_member (company, "sequence", 0);
  json_object_set_array_member (company, "child_ids", json_array_new ());
  json_object_set_boolean_member (company, "parent_id", FALSE);
  json_object_set_object_member (allowed, "1", company);
  json_object_set_int_member (companies, "current_company", 1);
  json_object_set_object_member (companies, "allowed_companies", allowed);
  json_object_set_object_member (companies, "disallowed_ancestor_companies", json_object_new ());

  json_object_set_int_member (info, "uid", user->uid);
  json_object_set_boolean_member (info, "is_system", user->is_admin);
  json_object_set_boolean_member (info, "is_admin", user->is_admin);
  json_object_set_boolean_member (info, "is_public", FALSE);
  json_object_set_boolean_member (info, "is_internal_user", TRUE);
  json_object_set_object_member (info, "user_context", context);
  json_object_set_string_member (info, "db", KG_DEMO_DATABASE);
  json_object_set_object_member (info, "user_settings", settings);
  json_object_set_member (info, "server_version",
                          json_node_copy (json_object_get_member (version_object,
                                                                  "server_version")));
  json_object_set_member (info, "server_version_info",
                          json_node_copy (json_object_get_member (version_object,
                                                                  "server_version_info")));
  json_object_set_string_member (info, "support_url", "https://www.odoo.com/buy");
  json_object_set_string_member (info, "name", user->name);
  json_object_set_string_member (info, "username", user->login);
  json_object_set_string_member (info, "partner_write_date", "2026-01-01 00:00:00");
  json_object_set_string_member (info, "partner_display_name", user->name);
  json_object_set_int_member (info, "partner_id", user->partner_id);
  json_object_set_string_member (info, "web.base.url", self->url ? self->url : "http://127.0.0.1");
  json_object_set_int_member (info, "active_ids_limit", 20000);
  json_object_set_null_member (info, "profile_session");
  json_object_set_null_member (info, "profile_collectors");
  json_object_set_null_member (info, "profile_params");
  json_object_set_int_member (info, "max_file_upload_size", 134217728);
  json_object_set_boolean_member (info, "home_action_id", FALSE);
  json_object_set_object_member (info, "cache_hashes", hashes);
  json_object_set_object_member (info, "currencies", currencies);
  json_object_set_object_member (info, "bundle_params", bundle);
  json_object_set_boolean_member (info, "test_mode", FALSE);
  json_object_set_object_member (info, "view_info", view_info);
  json_object_set_object_member (info, "user_companies", companies);
  json_object_set_boolean_member (info, "show_effect", TRUE);
  json_object_set_boolean_member (info, "display_switch_company_menu", FALSE);
  json_object_set_string_member (info, "websocket_worker_version",
                                 self->odoo19 ? "19.0-1" : "18.0-5");
  json_object_set_boolean_member (info, "tour_enabled", FALSE);
  json_object_set_null_member (info, "current_tour");
  json_object_set_object_member (info, "storeData", store_data);
  json_node_unref (version);

  json_node_take_object (node, info);
  return node;
}

static void
handle_session_authenticate (KgDemoServer *self, SoupServerMessage *msg)
{
  JsonObject *request, *params;
  JsonNode *id;
  g_autoptr(JsonNode) root = parse_rpc_request (msg, "/web/session/authenticate", &request, &id);
  const char *db, *login, *password;
  const char *address;
  LoginFailures *failures;
  const DemoUser *user;
  gint64 now = kg_demo_server_monotonic_time (self);

  if (root == NULL)
    return;
  params = rpc_params (request);
  db = kg_demo_string_param (params, "db");
  login = kg_demo_string_param (params, "login");
  password = kg_demo_string_param (params, "password");

  if (g_strcmp0 (db, KG_DEMO_DATABASE) != 0)
    {
      respond_unknown_database (self, msg, id, db);
      return;
    }

  address = soup_server_message_get_remote_host (msg);
  if (address == NULL)
    address = "";
  failures = g_hash_table_lookup (self->failures, address);
  if (failures != NULL && failures->count >= self->cooldown_after
      && now - failures->last < (gint64) self->cooldown_seconds * G_USEC_PER_SEC)
    {
      kg_demo_respond_rpc_simple_fault (self, msg, id, "odoo.exceptions.AccessDenied",
                                        COOLDOWN_MESSAGE);
      return;
    }

  user = kg_demo_user_by_login (login);
  if (user == NULL || user->password == NULL || password == NULL
      || !g_str_equal (user->password, password))
    {
      if (failures == NULL)
        {
          failures = g_new0 (LoginFailures, 1);
          g_hash_table_insert (self->failures, g_strdup (address), failures);
        }
      failures->count++;
      failures->last = now;
      kg_demo_respond_rpc_simple_fault (self, msg, id, "odoo.exceptions.AccessDenied",
                                        "Access Denied");
      return;
    }

  g_hash_table_remove (self->failures, address);
  if (user->totp)
    {
      g_autofree char *sid = kg_demo_session_new (self, 0);
      JsonObject *result = json_object_new ();
      JsonNode *node = json_node_new (JSON_NODE_OBJECT);

      json_object_set_null_member (result, "uid");
      json_node_take_object (node, result);
      kg_demo_set_session_cookie (msg, sid);
      kg_demo_respond_rpc_result (msg, id, node);
    }
  else
    {
      g_autofree char *sid = kg_demo_session_new (self, user->uid);

      kg_demo_set_session_cookie (msg, sid);
      kg_demo_respond_rpc_result (msg, id, session_info_node (self, user));
    }
}

static void
handle_get_session_info (KgDemoServer *self, SoupServerMessage *msg)
{
  JsonObject *request;
  JsonNode *id;
  g_autoptr(JsonNode) root = parse_rpc_request (msg, "/web/session/get_session_info",
                                                &request, &id);
  const DemoUser *user;

  if (root == NULL)
    return;
  user = kg_demo_session_user (self, msg);
  if (user == NULL)
    {
      g_autoptr(JsonObject) envelope = json_object_new ();
      JsonObject *error = json_object_new ();
      DemoFault fault = { 0 };

      kg_demo_fault_set (&fault, 401, "odoo.http.SessionExpiredException", FALSE,
                         "Session expired");
      json_object_set_int_member (error, "code", 100);
      json_object_set_string_member (error, "message", "Odoo Session Expired");
      json_object_set_object_member (error, "data", kg_demo_fault_to_object (&fault, self->odoo19));
      json_object_set_string_member (envelope, "jsonrpc", "2.0");
      json_object_set_null_member (envelope, "id");
      json_object_set_object_member (envelope, "error", error);
      kg_demo_respond_object (msg, SOUP_STATUS_OK, envelope);
      kg_demo_fault_clear (&fault);
      return;
    }
  kg_demo_respond_rpc_result (msg, id, session_info_node (self, user));
}

static void
handle_database_list (KgDemoServer *self, SoupServerMessage *msg)
{
  JsonObject *request;
  JsonNode *id;
  g_autoptr(JsonNode) root = parse_rpc_request (msg, "/web/database/list", &request, &id);
  JsonNode *list;

  if (root == NULL)
    return;
  list = database_list (self, msg, id);
  if (list == NULL)
    return;
  kg_demo_set_anonymous_session (self, msg);
  kg_demo_respond_rpc_result (msg, id, list);
}

static void
handle_version_info (KgDemoServer *self, SoupServerMessage *msg)
{
  JsonObject *request;
  JsonNode *id;
  g_autoptr(JsonNode) root = parse_rpc_request (msg, "/web/webclient/version_info", &request, &id);

  if (root == NULL)
    return;
  kg_demo_set_anonymous_session (self, msg);
  kg_demo_respond_rpc_result (msg, id, version_node (self));
}

gboolean
kg_demo_jsonrpc_route (KgDemoServer      *self,
                       SoupServerMessage *msg,
                       const char        *path)
{
  if (g_str_equal (path, "/jsonrpc"))
    handle_jsonrpc (self, msg);
  else if (g_str_equal (path, "/web/session/authenticate"))
    handle_session_authenticate (self, msg);
  else if (g_str_equal (path, "/web/session/get_session_info"))
    handle_get_session_info (self, msg);
  else if (g_str_equal (path, "/web/database/list"))
    handle_database_list (self, msg);
  else if (g_str_equal (path, "/web/webclient/version_info"))
    handle_version_info (self, msg);
  else
    return FALSE;
  return TRUE;
}
