/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "keygate-create"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "kg-error.h"
#include "kg-json.h"
#include "kg-odoo-rpc.h"
#include "kg-record-create.h"
#include "kg-secret.h"
#include "kg-token-client-private.h"

struct _KgCreateResult
{
  GObject     parent_instance;

  gint64      id;
  char       *message;
  KgExchange *exchange;
};

G_DEFINE_FINAL_TYPE (KgCreateResult, kg_create_result, G_TYPE_OBJECT)

static void
kg_create_result_finalize (GObject *object)
{
  KgCreateResult *self = KG_CREATE_RESULT (object);

  g_free (self->message);
  g_clear_object (&self->exchange);

  G_OBJECT_CLASS (kg_create_result_parent_class)->finalize (object);
}

static void
kg_create_result_class_init (KgCreateResultClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kg_create_result_finalize;
}

static void
kg_create_result_init (KgCreateResult *self)
{
}

static KgCreateResult *
kg_create_result_new (gint64      id,
                      const char *message,
                      KgExchange *exchange)
{
  KgCreateResult *self = g_object_new (KG_TYPE_CREATE_RESULT, NULL);

  self->id = id;
  self->message = g_strdup (message);
  self->exchange = exchange ? g_object_ref (exchange) : NULL;

  return self;
}

gint64
kg_create_result_get_id (KgCreateResult *self)
{
  g_return_val_if_fail (KG_IS_CREATE_RESULT (self), 0);
  return self->id;
}

const char *
kg_create_result_get_message (KgCreateResult *self)
{
  g_return_val_if_fail (KG_IS_CREATE_RESULT (self), NULL);
  return self->message;
}

KgExchange *
kg_create_result_get_exchange (KgCreateResult *self)
{
  g_return_val_if_fail (KG_IS_CREATE_RESULT (self), NULL);
  return self->exchange;
}

/* ---- Shared state of one operation ----------------------------------------- */

typedef struct
{
  KgOdooRpc  *rpc;
  char       *api_key;
  JsonObject *values;
  gint64      project_id;
} OpData;

static void
op_data_free (OpData *data)
{
  g_clear_object (&data->rpc);
  g_clear_pointer (&data->api_key, kg_secret_free);
  g_clear_pointer (&data->values, json_object_unref);
  g_free (data);
}

static OpData *
op_data_new (KgHttp     *http,
             KgProfile  *profile,
             const char *api_key)
{
  OpData *data = g_new0 (OpData, 1);

  data->rpc = kg_odoo_rpc_new (http, profile);
  data->api_key = g_strdup (api_key);
  return data;
}

/* ---- Create over JSON-RPC ---------------------------------------------- */

static void
create_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KgOdooRpc *rpc = KG_ODOO_RPC (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  gint64 id;

  node = kg_odoo_rpc_execute_kw_finish (rpc, result, &error);
  if (node == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  id = kg_odoo_result_get_id (node);
  if (id <= 0)
    {
      g_task_return_new_error (task, KG_ERROR, KG_ERROR_SERVER,
                               _("The server’s answer to create is not the id of a new record."));
      return;
    }

  g_task_return_pointer (task,
                         kg_create_result_new (id, _("Project created"),
                                               kg_odoo_rpc_get_last_exchange (rpc)),
                         g_object_unref);
}

static void
create_authenticate_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) args = json_array_new ();
  GCancellable *cancellable;
  gint64 uid;

  uid = kg_odoo_rpc_authenticate_finish (data->rpc, result, &error);
  if (uid <= 0)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  json_array_add_object_element (args, json_object_ref (data->values));
  /* Argument evaluation order is unspecified: fetch before stealing @task. */
  cancellable = g_task_get_cancellable (task);
  kg_odoo_rpc_execute_kw_async (data->rpc, uid, data->api_key, "project.project", "create",
                                args, NULL, cancellable, create_cb, g_steal_pointer (&task));
}

/* ---- Create through the token module --------------------------------------- */

#define JSON2_CREATE_PATH "/json/2/project.project/create"

static void
merge_members (JsonObject *into,
               JsonObject *from)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  if (from == NULL)
    return;
  json_object_iter_init (&iter, from);
  while (json_object_iter_next (&iter, &name, &value))
    json_object_set_member (into, name, json_node_copy (value));
}

/* The id at @node (or the first of a list of ids); 0 when there is none.
 * What was there instead goes to @out_found (JSON text), for the error. */
static gint64
node_get_id (JsonNode  *node,
             char     **out_found)
{
  gint64 id = 0;

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      if (json_array_get_length (array) == 0)
        return 0;
      node = json_array_get_element (array, 0);
    }
  if (!kg_json_get_record_id (node, &id) && node != NULL && out_found != NULL)
    *out_found = json_to_string (node, FALSE);
  return id;
}

/* The error for an answer without a usable id, or NULL when @id is one. */
static GError *
missing_id_error (KgTokenClient *client,
                  KgExchange    *exchange,
                  gint64         id,
                  const char    *found,
                  const char    *id_path)
{
  KgTokenSpec *spec = kg_token_client_get_spec (client);
  const char *server_message;
  g_autofree char *remedy = NULL;

  if (id > 0)
    return NULL;

  if (found != NULL)
    /* Something is where the id should be, but it is not an id: say what. */
    return kg_token_error_new (KG_ERROR_SERVER, KG_TOKEN_STEP_CALL, exchange, NULL,
                               _("Odoo record ids are positive whole numbers; check that the "
                                 "route returns the id Odoo gave the new project."),
                               /* Translators: %s is the JSON value the server sent */
                               _("The route answered %s where the new project’s id should be, "
                                 "and that is not a record id."), found);

  server_message = kg_token_get_server_message (exchange);
  if (!kg_token_spec_is_json2 (spec))
    /* Translators: %s is a JSON path such as "data.id" */
    remedy = g_strdup_printf (_("Set the create spec’s id JSON path (now “%s”) to where the "
                                "route puts the new id."), id_path ? id_path : "");
  if (server_message != NULL)
    /* Translators: %s is the server's own message */
    return kg_token_error_new (KG_ERROR_SERVER, KG_TOKEN_STEP_CALL, exchange, server_message,
                               remedy, _("The route answered without the new project’s id: %s"),
                               server_message);
  return kg_token_error_new (KG_ERROR_SERVER, KG_TOKEN_STEP_CALL, exchange, NULL, remedy, "%s",
                             _("The route answered without the new project’s id."));
}

static void
token_create_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KgTokenClient *client = KG_TOKEN_CLIENT (source);
  KgHttp *http = kg_token_client_get_http (client);
  KgTokenSpec *spec = kg_token_client_get_spec (client);
  KgCreateSpec *create = kg_profile_get_create_spec (kg_token_client_get_profile (client));
  gboolean json2 = kg_token_spec_is_json2 (spec);
  g_autoptr(KgExchange) exchange = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *found = NULL;
  g_autofree char *message = NULL;
  const char *id_path;
  JsonNode *root;
  gint64 id;

  exchange = kg_token_client_send_finish (client, result, &error);
  if (exchange == NULL)
    {
      KgExchange *failed = kg_error_get_exchange (error);

      /* An exchange-step failure was recorded by the exchange itself. */
      if (failed != NULL && g_strcmp0 (kg_error_get_step (error), KG_TOKEN_STEP_CALL) == 0)
        {
          kg_exchange_set_error (failed, error);
          kg_http_record (http, failed);
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  root = kg_exchange_get_response_json (exchange);
  id_path = json2 || create == NULL ? NULL : kg_create_spec_get_id_path (create);
  id = node_get_id (json2 ? root : kg_token_path_lookup (root, id_path), &found);
  error = missing_id_error (client, exchange, id, found, id_path);
  if (error != NULL)
    {
      kg_exchange_set_error (exchange, error);
      kg_http_record (http, exchange);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!json2 && create != NULL)
    {
      JsonNode *node = kg_token_path_lookup (root, kg_create_spec_get_message_path (create));

      if (node != NULL && JSON_NODE_HOLDS_VALUE (node)
          && json_node_get_value_type (node) == G_TYPE_STRING)
        message = g_strdup (json_node_get_string (node));
    }
  kg_exchange_set_record_id (exchange, id);
  kg_http_record (http, exchange);

  g_task_return_pointer (task,
                         kg_create_result_new (id, message ? message : _("Project created"),
                                               exchange),
                         g_object_unref);
}

/* The request the create spec describes (or /json/2 for the json2 preset),
 * the database placed where the token spec says. */
static KgHttpRequest *
build_token_create_request (KgTokenClient         *client,
                            const KgProjectValues *project)
{
  KgProfile *profile = kg_token_client_get_profile (client);
  KgTokenSpec *spec = kg_token_client_get_spec (client);
  KgCreateSpec *create = kg_profile_get_create_spec (profile);
  g_autoptr(KgCreateSpec) fallback = NULL;
  g_autoptr(JsonObject) values = json_object_new ();
  g_autoptr(JsonNode) body = json_node_new (JSON_NODE_OBJECT);
  KgHttpRequest *request;

  if (create == NULL)
    create = fallback = kg_create_spec_new ();

  if (kg_token_spec_is_json2 (spec))
    {
      g_autoptr(JsonArray) vals_list = json_array_new ();
      g_autoptr(JsonObject) wrapper = json_object_new ();
      g_autofree char *url = kg_profile_build_url (profile, JSON2_CREATE_PATH);

      json_object_set_string_member (values, "name", project->name);
      if (project->description != NULL)
        json_object_set_string_member (values, "description", project->description);
      merge_members (values, kg_create_spec_get_extra_fields (create));
      merge_members (values, project->extra_fields);
      json_array_add_object_element (vals_list, json_object_ref (values));
      json_object_set_array_member (wrapper, "vals_list", g_steal_pointer (&vals_list));
      json_node_set_object (body, wrapper);
      request = kg_http_request_new ("POST", url);
    }
  else
    {
      const char *method = kg_create_spec_get_method (create);
      const char *description_field = kg_create_spec_get_description_field (create);
      KgParamLocation db_location = kg_token_spec_get_db_location (spec);
      const char *db_param = kg_token_spec_get_db_param (spec);
      const char *database = kg_profile_get_database (profile);
      gboolean place_db = !kg_token_str_empty (db_param) && !kg_token_str_empty (database);
      g_autofree char *base = kg_profile_build_url (profile, kg_create_spec_get_path (create));
      g_autoptr(GString) url = g_string_new (base);

      json_object_set_string_member (values, kg_create_spec_get_name_field (create),
                                     project->name);
      if (project->description != NULL && !kg_token_str_empty (description_field))
        json_object_set_string_member (values, description_field, project->description);
      /* The module reads the database from the body when the spec says so. */
      if (db_location == KG_PARAM_BODY && place_db)
        json_object_set_string_member (values, db_param, database);
      merge_members (values, kg_create_spec_get_extra_fields (create));
      merge_members (values, project->extra_fields);
      json_node_set_object (body, values);

      if (db_location == KG_PARAM_QUERY && place_db)
        kg_token_append_query (url, db_param, database, TRUE);
      request = kg_http_request_new (kg_token_str_empty (method) ? "POST" : method, url->str);
    }

  kg_http_request_set_json_body (request, body);
  kg_token_client_apply_settings (client, request, _("create project"), KG_TOKEN_STEP_CALL);
  return request;
}

static gboolean
name_is_given (const char *name)
{
  g_autofree char *copy = g_strdup (name);

  return copy != NULL && g_strstrip (copy)[0] != '\0';
}

void
kg_record_create_project_async (KgHttp                *http,
                                KgProfile             *profile,
                                KgTokenClient         *token_client,
                                const char            *api_key,
                                const KgProjectValues *values,
                                KgCreateVia            via,
                                GCancellable          *cancellable,
                                GAsyncReadyCallback    callback,
                                gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  OpData *data;

  g_return_if_fail (KG_IS_HTTP (http));
  g_return_if_fail (KG_IS_PROFILE (profile));
  g_return_if_fail (token_client == NULL || KG_IS_TOKEN_CLIENT (token_client));
  g_return_if_fail (api_key != NULL);
  g_return_if_fail (values != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, kg_record_create_project_async);

  if (!name_is_given (values->name))
    {
      /* Checked here so that no request is sent for nothing. */
      g_task_return_new_error (task, KG_ERROR, KG_ERROR_INVALID_INPUT,
                               _("A project needs a name."));
      return;
    }

  if (via == KG_CREATE_VIA_PROFILE)
    via = kg_profile_get_protocol (profile) == KG_PROTOCOL_TOKEN ? KG_CREATE_VIA_TOKEN
                                                                   : KG_CREATE_VIA_JSONRPC;

  if (via == KG_CREATE_VIA_TOKEN)
    {
      g_autoptr(KgTokenClient) client = NULL;

      if (token_client != NULL)
        client = g_object_ref (token_client);
      else
        client = kg_token_client_new (http, profile);

      g_autoptr(KgHttpRequest) request = NULL;

      request = build_token_create_request (client, values);
      kg_token_client_send_unrecorded_async (client, api_key, request, cancellable,
                                             token_create_cb, g_steal_pointer (&task));
      return;
    }

  data = op_data_new (http, profile, api_key);
  data->values = json_object_new ();
  merge_members (data->values, values->extra_fields);
  json_object_set_string_member (data->values, "name", values->name);
  if (values->description != NULL)
    json_object_set_string_member (data->values, "description", values->description);
  g_task_set_task_data (task, data, (GDestroyNotify) op_data_free);

  kg_odoo_rpc_authenticate_async (data->rpc, api_key, KG_SECRET_API_KEY, cancellable,
                                  create_authenticate_cb, g_steal_pointer (&task));
}

KgCreateResult *
kg_record_create_project_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kg_record_create_project_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- Read back ----------------------------------------------------------- */

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonArray *array;

  node = kg_odoo_rpc_execute_kw_finish (data->rpc, result, &error);
  if (node == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_task_return_new_error (task, KG_ERROR, KG_ERROR_SERVER,
                               _("The server’s answer to read is not a list of records."));
      return;
    }

  array = json_node_get_array (node);
  if (json_array_get_length (array) == 0 ||
      !JSON_NODE_HOLDS_OBJECT (json_array_get_element (array, 0)))
    {
      /* Odoo 19 answers a read of a missing id with an empty list. */
      g_task_return_new_error (task, KG_ERROR, KG_ERROR_MISSING_RECORD,
                               /* Translators: %lld is a project id */
                               _("Project %lld does not exist or was deleted."),
                               (long long) data->project_id);
      return;
    }

  g_task_return_pointer (task, json_object_ref (json_array_get_object_element (array, 0)),
                         (GDestroyNotify) json_object_unref);
}

static void
read_authenticate_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  OpData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) args = NULL;
  g_autoptr(JsonObject) kwargs = NULL;
  JsonArray *ids;
  JsonArray *fields;
  GCancellable *cancellable;
  gint64 uid;

  uid = kg_odoo_rpc_authenticate_finish (data->rpc, result, &error);
  if (uid <= 0)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  args = json_array_new ();
  kwargs = json_object_new ();
  ids = json_array_new ();
  fields = json_array_new ();

  json_array_add_int_element (ids, data->project_id);
  json_array_add_array_element (args, ids);
  json_array_add_string_element (fields, "name");
  json_array_add_string_element (fields, "description");
  json_array_add_string_element (fields, "user_id");
  json_array_add_string_element (fields, "create_date");
  json_object_set_array_member (kwargs, "fields", fields);

  cancellable = g_task_get_cancellable (task);
  kg_odoo_rpc_execute_kw_async (data->rpc, uid, data->api_key, "project.project", "read",
                                args, kwargs, cancellable, read_cb, g_steal_pointer (&task));
}

void
kg_record_read_project_async (KgHttp              *http,
                              KgProfile           *profile,
                              const char          *api_key,
                              gint64               project_id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  OpData *data;

  g_return_if_fail (KG_IS_HTTP (http));
  g_return_if_fail (KG_IS_PROFILE (profile));
  g_return_if_fail (api_key != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, kg_record_read_project_async);

  data = op_data_new (http, profile, api_key);
  data->project_id = project_id;
  g_task_set_task_data (task, data, (GDestroyNotify) op_data_free);

  kg_odoo_rpc_authenticate_async (data->rpc, api_key, KG_SECRET_API_KEY, cancellable,
                                  read_authenticate_cb, g_steal_pointer (&task));
}

JsonObject *
kg_record_read_project_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kg_record_read_project_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

char *
kg_record_build_web_url (KgProfile  *profile,
                         const char *model,
                         gint64      id)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (KG_IS_PROFILE (profile), NULL);
  g_return_val_if_fail (model != NULL, NULL);

  /* The /web# form opens a record on Odoo 16 to 19 alike; the /odoo/…
   * paths of 17+ depend on the action. */
  path = g_strdup_printf ("/web#id=%" G_GINT64_FORMAT "&model=%s&view_type=form", id, model);
  return kg_profile_build_url (profile, path);
}
