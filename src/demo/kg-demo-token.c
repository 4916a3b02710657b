/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The common "API key -> access token" module: /auth/token/apikey,
 * /api/project/create, GET /api/projects and /api/task/create with the
 * access token, and /api/key/project/create with the API key in a header.
 */
#define G_LOG_DOMAIN "keygate-demo"

#include "config.h"

#include "kg-demo-server-private.h"

/* Sets @value at the dotted @path of @root (intermediate objects are made). */
static void
set_at_path (JsonObject *root, const char *path, JsonNode *value)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  guint n = g_strv_length (parts);
  JsonObject *object = root;

  for (guint i = 0; i + 1 < n; i++)
    {
      JsonNode *child = json_object_get_member (object, parts[i]);

      if (child == NULL || !JSON_NODE_HOLDS_OBJECT (child))
        {
          json_object_set_object_member (object, parts[i], json_object_new ());
          child = json_object_get_member (object, parts[i]);
        }
      object = json_node_get_object (child);
    }
  json_object_set_member (object, parts[n - 1], value);
}

static void
respond_token_object (SoupServerMessage *msg, guint status, JsonObject *object)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "Pragma", "no-cache");
  kg_demo_respond_object (msg, status, object);
}

static void
respond_token_error (SoupServerMessage *msg, guint status, const char *error, const char *message)
{
  g_autoptr(JsonObject) object = json_object_new ();

  json_object_set_string_member (object, "error", error);
  json_object_set_string_member (object, "message", message);
  respond_token_object (msg, status, object);
}

static void
respond_invalid_api_key (SoupServerMessage *msg)
{
  respond_token_error (msg, SOUP_STATUS_UNAUTHORIZED, "Invalid API key",
                       "The API key is unknown, revoked, expired, or belongs to an "
                       "inactive user.");
}

static void
respond_database_not_found (SoupServerMessage *msg, const char *db)
{
  g_autofree char *text = g_strdup_printf ("No database named '%s' with token_api_probe installed "
                                           "is served here.", db);

  respond_token_error (msg, SOUP_STATUS_NOT_FOUND, "Database not found", text);
}

/* Parses an optional JSON object body. Returns FALSE (after answering
 * 400) when a body is present but not a JSON object. */
static gboolean
parse_token_body (SoupServerMessage *msg, gboolean required, JsonNode **root_out, JsonObject **body)
{
  gboolean empty = FALSE;
  JsonNode *root = kg_demo_parse_json_body (msg, &empty);

  *root_out = NULL;
  *body = NULL;
  if ((root == NULL && (!empty || required)) || (root != NULL && !JSON_NODE_HOLDS_OBJECT (root)))
    {
      g_clear_pointer (&root, json_node_unref);
      respond_token_error (msg, SOUP_STATUS_BAD_REQUEST, "Invalid JSON body",
                           "The request body must be a JSON object.");
      return FALSE;
    }
  *root_out = root;
  *body = root ? json_node_get_object (root) : NULL;
  return TRUE;
}

static void
handle_token_exchange (KgDemoServer *self, SoupServerMessage *msg)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonObject) answer = NULL;
  JsonObject *body;
  const char *db, *key;
  const DemoUser *user;
  g_autofree char *token = NULL;
  DemoToken *stored;

  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST)
    {
      kg_demo_respond_method_not_allowed (msg);
      return;
    }
  if (!parse_token_body (msg, FALSE, &root, &body))
    return;

  db = kg_demo_request_header (msg, self->db_header);
  if (db == NULL)
    db = kg_demo_string_param (body, "db");
  key = kg_demo_request_header (msg, self->key_header);
  if (key == NULL)
    key = kg_demo_string_param (body, "api_key");

  if (db == NULL)
    {
      g_autofree char *text =
        g_strdup_printf ("Send the database name in the '%s' header or as 'db' in the JSON body.",
                         self->db_header);
      respond_token_error (msg, SOUP_STATUS_BAD_REQUEST, "Missing database", text);
      return;
    }
  if (key == NULL)
    {
      g_autofree char *text =
        g_strdup_printf ("Send the API key in the '%s' header or as 'api_key' in the JSON body.",
                         self->key_header);
      respond_token_error (msg, SOUP_STATUS_BAD_REQUEST, "Missing API key", text);
      return;
    }
  if (!g_str_equal (db, KG_DEMO_DATABASE))
    {
      respond_database_not_found (msg, db);
      return;
    }
  user = kg_demo_user_for_key (self, key);
  if (user == NULL)
    {
      respond_invalid_api_key (msg);
      return;
    }

  token = kg_demo_random_token (32);
  stored = g_new0 (DemoToken, 1);
  stored->uid = user->uid;
  stored->expires = kg_demo_server_real_time (self) + (gint64) self->token_lifetime * G_USEC_PER_SEC;
  g_hash_table_insert (self->tokens, g_strdup (token), stored);

  answer = json_object_new ();
  set_at_path (answer, self->token_path, kg_demo_string_node (token));
  json_object_set_string_member (answer, "token_type", "Bearer");
  set_at_path (answer, self->expires_in_path, kg_demo_int_node (self->token_lifetime));
  json_object_set_int_member (answer, "uid", user->uid);
  respond_token_object (msg, SOUP_STATUS_OK, answer);
}

/* The create step shared by the token route and the key route. */
static void
create_project_for (KgDemoServer      *self,
                    SoupServerMessage *msg,
                    const DemoUser    *user,
                    JsonObject        *body)
{
  const char *name = kg_demo_string_param (body, "project_name");
  const char *description = kg_demo_string_param (body, "project_description");
  g_autoptr(JsonObject) answer = NULL;
  guint id;

  if (name == NULL || *name == '\0')
    {
      respond_token_error (msg, SOUP_STATUS_BAD_REQUEST, "Missing project_name",
                           "The JSON body must contain a non-empty string 'project_name'.");
      return;
    }
  if (!user->project_admin)
    {
      respond_token_error (msg, SOUP_STATUS_FORBIDDEN, "Access denied",
                           ACCESS_ERROR_CREATE_PROJECT);
      return;
    }

  id = kg_demo_add_project (self, name, description, user->uid);
  answer = json_object_new ();
  json_object_set_string_member (answer, "status", "success");
  json_object_set_string_member (answer, "message", "Project created successfully");
  json_object_set_int_member (answer, "project_id", id);
  respond_token_object (msg, SOUP_STATUS_OK, answer);
}

static const char *
resolve_database (KgDemoServer *self, SoupServerMessage *msg, JsonObject *body)
{
  const char *db = kg_demo_request_header (msg, self->db_header);

  if (db == NULL)
    db = kg_demo_string_param (body, "db");
  if (db == NULL)
    db = KG_DEMO_DATABASE;   /* the only database served here */
  return db;
}

/* The body of the create routes, for the database they name (header, body
 * or the default); FALSE after answering 400 or 404. */
static gboolean
parse_create_body (KgDemoServer       *self,
                   SoupServerMessage  *msg,
                   JsonNode          **root,
                   JsonObject        **body)
{
  const char *db;

  if (!parse_token_body (msg, TRUE, root, body))
    return FALSE;
  db = resolve_database (self, msg, *body);
  if (!g_str_equal (db, KG_DEMO_DATABASE))
    {
      respond_database_not_found (msg, db);
      return FALSE;
    }
  return TRUE;
}

/* The header that carries the access token, or NULL after answering 401. */
static const char *
request_token (KgDemoServer *self, SoupServerMessage *msg)
{
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (msg);
  const char *token;

  token = kg_demo_bearer_token (kg_demo_request_header (msg, "Authorization"));
  if (token == NULL)
    token = kg_demo_request_header (msg, self->token_header);
  if (token == NULL)
    {
      g_autofree char *text =
        g_strdup_printf ("Send 'Authorization: Bearer <token>' or '%s: <token>'.",
                         self->token_header);
      soup_message_headers_replace (response_headers, "WWW-Authenticate", "Bearer realm=\"odoo\"");
      respond_token_error (msg, SOUP_STATUS_UNAUTHORIZED, "Missing access token", text);
    }
  return token;
}

/* The user of @token, or NULL after answering 401. */
static const DemoUser *
token_user (KgDemoServer *self, SoupServerMessage *msg, const char *token)
{
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (msg);
  DemoToken *stored = g_hash_table_lookup (self->tokens, token);
  const DemoUser *user = stored ? kg_demo_user_by_uid (stored->uid) : NULL;

  if (user == NULL)
    {
      soup_message_headers_replace (response_headers, "WWW-Authenticate",
                                    "Bearer realm=\"odoo\", error=\"invalid_token\"");
      respond_token_error (msg, SOUP_STATUS_UNAUTHORIZED, "Invalid access token",
                           "The access token is unknown or its user is inactive.");
      return NULL;
    }
  if (stored->expires <= kg_demo_server_real_time (self))
    {
      soup_message_headers_replace (response_headers, "WWW-Authenticate",
                                    "Bearer realm=\"odoo\", error=\"invalid_token\"");
      respond_token_error (msg, SOUP_STATUS_UNAUTHORIZED, "Access token expired",
                           "The access token has expired; exchange the API key for a new one.");
      return NULL;
    }
  return user;
}

static void
handle_project_create (KgDemoServer *self, SoupServerMessage *msg)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *body;
  const char *token;
  const DemoUser *user;

  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST)
    {
      kg_demo_respond_method_not_allowed (msg);
      return;
    }

  token = request_token (self, msg);
  if (token == NULL)
    return;
  if (!parse_create_body (self, msg, &root, &body))
    return;
  user = token_user (self, msg, token);
  if (user == NULL)
    return;

  create_project_for (self, msg, user, body);
}

/* GET /api/projects: the projects the token's user can read. */
static void
handle_projects_list (KgDemoServer *self, SoupServerMessage *msg)
{
  g_autoptr(JsonObject) answer = NULL;
  JsonArray *projects;
  const char *token;
  const char *db;

  if (soup_server_message_get_method (msg) != SOUP_METHOD_GET)
    {
      kg_demo_respond_method_not_allowed (msg);
      return;
    }
  token = request_token (self, msg);
  if (token == NULL)
    return;
  db = resolve_database (self, msg, NULL);
  if (!g_str_equal (db, KG_DEMO_DATABASE))
    {
      respond_database_not_found (msg, db);
      return;
    }
  if (token_user (self, msg, token) == NULL)
    return;

  projects = json_array_new ();
  for (guint i = 0; i < self->projects->len; i++)
    {
      DemoProject *project = g_ptr_array_index (self->projects, i);
      JsonObject *item = json_object_new ();

      json_object_set_int_member (item, "id", project->id);
      json_object_set_string_member (item, "name", project->name);
      if (project->description != NULL)
        json_object_set_string_member (item, "description", project->description);
      else
        json_object_set_boolean_member (item, "description", FALSE);
      json_array_add_object_element (projects, item);
    }
  answer = json_object_new ();
  json_object_set_string_member (answer, "status", "success");
  json_object_set_int_member (answer, "count", json_array_get_length (projects));
  json_object_set_array_member (answer, "projects", projects);
  respond_token_object (msg, SOUP_STATUS_OK, answer);
}

/* POST /api/task/create {"task_name", "project_id"}: project users and
 * administrators may add tasks. */
static void
handle_task_create (KgDemoServer *self, SoupServerMessage *msg)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonObject) answer = NULL;
  JsonObject *body;
  JsonNode *project_node;
  const char *token;
  const char *name;
  const DemoUser *user;
  gint64 project_id = 0;

  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST)
    {
      kg_demo_respond_method_not_allowed (msg);
      return;
    }
  token = request_token (self, msg);
  if (token == NULL)
    return;
  if (!parse_create_body (self, msg, &root, &body))
    return;
  user = token_user (self, msg, token);
  if (user == NULL)
    return;

  name = kg_demo_string_param (body, "task_name");
  if (name == NULL || *name == '\0')
    {
      respond_token_error (msg, SOUP_STATUS_BAD_REQUEST, "Missing task_name",
                           "The JSON body must contain a non-empty string 'task_name'.");
      return;
    }
  project_node = json_object_get_member (body, "project_id");
  if (project_node != NULL && JSON_NODE_HOLDS_VALUE (project_node)
      && json_node_get_value_type (project_node) == G_TYPE_INT64)
    project_id = json_node_get_int (project_node);
  if (project_id <= 0)
    {
      respond_token_error (msg, SOUP_STATUS_BAD_REQUEST, "Missing project_id",
                           "The JSON body must contain the integer 'project_id'.");
      return;
    }
  if (!user->project_user && !user->project_admin)
    {
      respond_token_error (msg, SOUP_STATUS_FORBIDDEN, "Access denied",
                           "You are not allowed to create 'Task' (project.task) records.\n\n"
                           "This operation is allowed for the following groups:\n"
                           "\t- Project/User\n\n"
                           "Contact your administrator to request access if necessary.");
      return;
    }
  if (kg_demo_project_by_id (self, project_id) == NULL)
    {
      respond_token_error (msg, SOUP_STATUS_NOT_FOUND, "Project not found",
                           "No project has the id given in 'project_id'.");
      return;
    }

  answer = json_object_new ();
  json_object_set_string_member (answer, "status", "success");
  json_object_set_string_member (answer, "message", "Task created successfully");
  json_object_set_int_member (answer, "task_id", self->next_task_id++);
  json_object_set_int_member (answer, "project_id", project_id);
  respond_token_object (msg, SOUP_STATUS_OK, answer);
}

static void
handle_key_project_create (KgDemoServer *self, SoupServerMessage *msg)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *body;
  const char *key;
  const DemoUser *user;

  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST)
    {
      kg_demo_respond_method_not_allowed (msg);
      return;
    }

  key = kg_demo_request_header (msg, self->api_key_header);
  if (key == NULL)
    {
      g_autofree char *text = g_strdup_printf ("Send the API key in the '%s' header.",
                                               self->api_key_header);
      respond_token_error (msg, SOUP_STATUS_UNAUTHORIZED, "Missing API key", text);
      return;
    }
  if (!parse_create_body (self, msg, &root, &body))
    return;
  user = kg_demo_user_for_key (self, key);
  if (user == NULL)
    {
      respond_invalid_api_key (msg);
      return;
    }
  create_project_for (self, msg, user, body);
}

gboolean
kg_demo_token_route (KgDemoServer      *self,
                     SoupServerMessage *msg,
                     const char        *path)
{
  if (g_str_equal (path, "/auth/token/apikey"))
    handle_token_exchange (self, msg);
  else if (g_str_equal (path, "/api/project/create"))
    handle_project_create (self, msg);
  else if (g_str_equal (path, "/api/key/project/create"))
    handle_key_project_create (self, msg);
  else if (g_str_equal (path, "/api/projects"))
    handle_projects_list (self, msg);
  else if (g_str_equal (path, "/api/task/create"))
    handle_task_create (self, msg);
  else
    return FALSE;
  return TRUE;
}
