/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "keygate-rpc"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "kg-error.h"
#include "kg-json.h"
#include "kg-odoo-rpc.h"

struct _KgOdooRpc
{
  GObject     parent_instance;

  KgHttp     *http;
  KgProfile  *profile;
  KgExchange *last_exchange;
  gint64      next_id;
  char       *step;         /* given to every request, or NULL */
};

G_DEFINE_FINAL_TYPE (KgOdooRpc, kg_odoo_rpc, G_TYPE_OBJECT)

/* Turns the "result" of a successful call into what the caller returns, or
 * fails with a classified error (e.g. authenticate → false). */
typedef JsonNode *(*InterpretFunc) (KgOdooRpc  *self,
                                    JsonNode   *result,
                                    GError    **error);

typedef struct
{
  InterpretFunc interpret;
  gboolean      credentials;  /* an AccessDenied here means the key or login */
  gboolean      creates;      /* the result is the id of a new record */
} CallData;

static void
kg_odoo_rpc_dispose (GObject *object)
{
  KgOdooRpc *self = KG_ODOO_RPC (object);

  g_clear_object (&self->last_exchange);
  g_clear_object (&self->profile);
  g_clear_object (&self->http);
  g_clear_pointer (&self->step, g_free);

  G_OBJECT_CLASS (kg_odoo_rpc_parent_class)->dispose (object);
}

static void
kg_odoo_rpc_class_init (KgOdooRpcClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kg_odoo_rpc_dispose;
}

static void
kg_odoo_rpc_init (KgOdooRpc *self)
{
  self->next_id = 1;
}

KgOdooRpc *
kg_odoo_rpc_new (KgHttp    *http,
                 KgProfile *profile)
{
  KgOdooRpc *self;

  g_return_val_if_fail (KG_IS_HTTP (http), NULL);
  g_return_val_if_fail (KG_IS_PROFILE (profile), NULL);

  self = g_object_new (KG_TYPE_ODOO_RPC, NULL);
  self->http = g_object_ref (http);
  self->profile = g_object_ref (profile);

  return self;
}

KgProfile *
kg_odoo_rpc_get_profile (KgOdooRpc *self)
{
  g_return_val_if_fail (KG_IS_ODOO_RPC (self), NULL);
  return self->profile;
}

KgHttp *
kg_odoo_rpc_get_http (KgOdooRpc *self)
{
  g_return_val_if_fail (KG_IS_ODOO_RPC (self), NULL);
  return self->http;
}

void
kg_odoo_rpc_set_step (KgOdooRpc  *self,
                      const char *step)
{
  g_return_if_fail (KG_IS_ODOO_RPC (self));

  g_free (self->step);
  self->step = g_strdup (step);
}

KgExchange *
kg_odoo_rpc_get_last_exchange (KgOdooRpc *self)
{
  g_return_val_if_fail (KG_IS_ODOO_RPC (self), NULL);
  return self->last_exchange;
}

static void
explain_access_denied (KgOdooRpc *self,
                       GError    *error)
{
  g_autofree char *message = NULL;

  message = g_strdup_printf (_("Odoo did not accept the credentials for “%s” on database “%s”. A "
                               "wrong, revoked or expired API key, a key that belongs to another "
                               "login, an unknown login, and the password of a user with "
                               "two-factor authentication all get this same answer, so the "
                               "server does not say which one it is."),
                             kg_profile_get_login (self->profile),
                             kg_profile_get_database (self->profile));
  kg_odoo_error_set_message (error, message);
  kg_error_set_remedy (error,
                       _("Check the login, then create a new API key in Odoo (Preferences → "
                         "Account Security → New API Key) and store it again. Users with "
                         "two-factor authentication must use an API key, not their password."));
}

gint64
kg_odoo_result_get_id (JsonNode *result)
{
  if (result == NULL)
    return 0;

  /* One dict gives one id; a list of dicts gives a list of ids. */
  if (JSON_NODE_HOLDS_ARRAY (result) && json_array_get_length (json_node_get_array (result)) == 1)
    result = json_array_get_element (json_node_get_array (result), 0);

  if (JSON_NODE_HOLDS_VALUE (result) && json_node_get_value_type (result) == G_TYPE_INT64)
    return MAX (json_node_get_int (result), 0);

  return 0;
}

/* ---- Sending --------------------------------------------------------- */

static void
finish_exchange (KgOdooRpc  *self,
                 KgExchange *exchange,
                 GError     *error)
{
  if (error != NULL)
    {
      kg_odoo_exchange_set_error (exchange, error);
      if (error->domain == KG_ERROR)
        kg_error_set_exchange (error, exchange);
    }

  g_set_object (&self->last_exchange, exchange);
  kg_http_record (self->http, exchange);
}

static void
post_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KgOdooRpc *self = g_task_get_source_object (task);
  CallData *data = g_task_get_task_data (task);
  g_autoptr(KgExchange) exchange = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  exchange = kg_http_send_finish (KG_HTTP (source), result, &error);
  if (exchange == NULL)
    {
      KgExchange *failed = kg_error_get_exchange (error);

      if (failed != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autoptr(KgExchange) hold = g_object_ref (failed);

          kg_odoo_exchange_set_error (hold, error);
          g_set_object (&self->last_exchange, hold);
          kg_http_record (self->http, hold);
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  node = kg_odoo_classify_jsonrpc (exchange, &error);
  if (node != NULL && data->interpret != NULL)
    {
      g_autoptr(JsonNode) result_node = g_steal_pointer (&node);

      node = data->interpret (self, result_node, &error);
    }

  if (error != NULL && data->credentials &&
      g_error_matches (error, KG_ERROR, KG_ERROR_ACCESS_DENIED))
    explain_access_denied (self, error);

  if (node != NULL && data->creates)
    {
      gint64 record_id = kg_odoo_result_get_id (node);

      if (record_id > 0)
        kg_exchange_set_record_id (exchange, record_id);
    }

  finish_exchange (self, exchange, error);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_steal_pointer (&node), (GDestroyNotify) json_node_unref);
}

static void
post_async (KgOdooRpc           *self,
            const char          *path,
            JsonObject          *params,
            const char          *label,
            const char          *secret,
            KgSecretKind         secret_kind,
            InterpretFunc        interpret,
            gboolean             credentials,
            gboolean             creates,
            gpointer             source_tag,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(KgHttpRequest) request = NULL;
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonNode) body_node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *url = NULL;
  CallData *data;
  guint timeout;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  data = g_new0 (CallData, 1);
  data->interpret = interpret;
  data->credentials = credentials;
  data->creates = creates;
  g_task_set_task_data (task, data, g_free);

  json_object_set_string_member (body, "jsonrpc", "2.0");
  json_object_set_string_member (body, "method", "call");
  json_object_set_object_member (body, "params", json_object_ref (params));
  json_object_set_int_member (body, "id", self->next_id++);
  json_node_set_object (body_node, body);

  url = kg_profile_build_url (self->profile, path);
  request = kg_http_request_new ("POST", url);
  kg_http_request_set_json_body (request, body_node);
  if (secret != NULL && secret[0] != '\0')
    kg_http_request_add_secret (request, secret_kind, secret);
  timeout = kg_profile_get_timeout (self->profile);
  kg_http_request_set_timeout (request, timeout > 0 ? timeout : KG_HTTP_DEFAULT_TIMEOUT);
  kg_http_request_set_tls_policy (request, kg_profile_get_tls_policy (self->profile));
  kg_http_request_set_label (request, label);
  kg_http_request_set_profile_id (request, kg_profile_get_id (self->profile));
  if (self->step != NULL)
    kg_http_request_set_step (request, self->step);

  kg_http_send_async (self->http, request, cancellable, post_cb, g_steal_pointer (&task));
}

static void
call_async (KgOdooRpc           *self,
            const char          *service,
            const char          *method,
            JsonArray           *args,
            const char          *label,
            const char          *secret,
            KgSecretKind         secret_kind,
            InterpretFunc        interpret,
            gboolean             credentials,
            gboolean             creates,
            gpointer             source_tag,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(JsonObject) params = json_object_new ();
  g_autofree char *default_label = g_strdup_printf ("%s.%s", service, method);

  json_object_set_string_member (params, "service", service);
  json_object_set_string_member (params, "method", method);
  json_object_set_array_member (params, "args",
                                args ? json_array_ref (args) : json_array_new ());

  post_async (self, "/jsonrpc", params, label ? label : default_label, secret, secret_kind,
              interpret, credentials, creates, source_tag, cancellable, callback, user_data);
}

static JsonNode *
call_finish_node (KgOdooRpc     *self,
                  GAsyncResult  *result,
                  gpointer       source_tag,
                  GError       **error)
{
  g_return_val_if_fail (KG_IS_ODOO_RPC (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
kg_odoo_rpc_call_async (KgOdooRpc           *self,
                        const char          *service,
                        const char          *method,
                        JsonArray           *args,
                        const char          *secret,
                        KgSecretKind         secret_kind,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (KG_IS_ODOO_RPC (self));
  g_return_if_fail (service != NULL);
  g_return_if_fail (method != NULL);

  call_async (self, service, method, args, NULL, secret, secret_kind, NULL, secret != NULL,
              FALSE, kg_odoo_rpc_call_async, cancellable, callback, user_data);
}

JsonNode *
kg_odoo_rpc_call_finish (KgOdooRpc     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  return call_finish_node (self, result, kg_odoo_rpc_call_async, error);
}

/* ---- common.version ---------------------------------------------------- */

static JsonNode *
interpret_version (KgOdooRpc  *self,
                   JsonNode   *result,
                   GError    **error)
{
  if (!JSON_NODE_HOLDS_OBJECT (result))
    {
      g_set_error_literal (error, KG_ERROR, KG_ERROR_SERVER,
                           _("The server’s answer to common.version is not an object; it may not "
                             "be Odoo."));
      return NULL;
    }
  return json_node_ref (result);
}

void
kg_odoo_rpc_version_async (KgOdooRpc           *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (KG_IS_ODOO_RPC (self));

  call_async (self, "common", "version", NULL, NULL, NULL, KG_SECRET_API_KEY,
              interpret_version, FALSE, FALSE, kg_odoo_rpc_version_async,
              cancellable, callback, user_data);
}

JsonObject *
kg_odoo_rpc_version_finish (KgOdooRpc     *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_autoptr(JsonNode) node = call_finish_node (self, result, kg_odoo_rpc_version_async, error);

  if (node == NULL)
    return NULL;
  return json_object_ref (json_node_get_object (node));
}

static int
parse_major (const char *text)
{
  guint64 major = 0;
  g_autofree char *digits = NULL;
  const char *p;

  if (text == NULL)
    return 0;
  if (g_str_has_prefix (text, "saas~"))
    text += strlen ("saas~");
  for (p = text; g_ascii_isdigit (*p); p++)
    ;
  digits = g_strndup (text, p - text);
  if (!g_ascii_string_to_unsigned (digits, 10, 1, 1000, &major, NULL))
    return 0;
  return (int) major;
}

int
kg_odoo_version_major (JsonObject *version)
{
  if (version == NULL)
    return 0;

  if (json_object_has_member (version, "server_version_info"))
    {
      JsonNode *info = json_object_get_member (version, "server_version_info");

      if (JSON_NODE_HOLDS_ARRAY (info) && json_array_get_length (json_node_get_array (info)) > 0)
        {
          JsonNode *first = json_array_get_element (json_node_get_array (info), 0);

          if (JSON_NODE_HOLDS_VALUE (first) && json_node_get_value_type (first) == G_TYPE_INT64 &&
              json_node_get_int (first) > 0)
            return (int) json_node_get_int (first);
          if (JSON_NODE_HOLDS_VALUE (first) && json_node_get_value_type (first) == G_TYPE_STRING &&
              parse_major (json_node_get_string (first)) > 0)
            return parse_major (json_node_get_string (first));
        }
    }

  if (parse_major (kg_json_get_string (version, "server_serie")) > 0)
    return parse_major (kg_json_get_string (version, "server_serie"));

  return parse_major (kg_json_get_string (version, "server_version"));
}

/* ---- common.authenticate ------------------------------------------------- */

static JsonNode *
interpret_authenticate (KgOdooRpc  *self,
                        JsonNode   *result,
                        GError    **error)
{
  if (JSON_NODE_HOLDS_VALUE (result) && json_node_get_value_type (result) == G_TYPE_INT64 &&
      json_node_get_int (result) > 0)
    return json_node_ref (result);

  if (JSON_NODE_HOLDS_NULL (result) ||
      (JSON_NODE_HOLDS_VALUE (result) && json_node_get_value_type (result) == G_TYPE_BOOLEAN &&
       !json_node_get_boolean (result)))
    {
      /* The message is replaced by explain_access_denied. */
      g_set_error_literal (error, KG_ERROR, KG_ERROR_ACCESS_DENIED, "Access Denied");
      return NULL;
    }

  g_set_error_literal (error, KG_ERROR, KG_ERROR_SERVER,
                       _("The server’s answer to common.authenticate is neither a user id nor "
                         "false."));
  return NULL;
}

void
kg_odoo_rpc_authenticate_async (KgOdooRpc           *self,
                                const char          *secret,
                                KgSecretKind         secret_kind,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(JsonArray) args = json_array_new ();

  g_return_if_fail (KG_IS_ODOO_RPC (self));
  g_return_if_fail (secret != NULL);

  json_array_add_string_element (args, kg_profile_get_database (self->profile) ?: "");
  json_array_add_string_element (args, kg_profile_get_login (self->profile) ?: "");
  json_array_add_string_element (args, secret);
  json_array_add_object_element (args, json_object_new ());

  call_async (self, "common", "authenticate", args, NULL, secret, secret_kind,
              interpret_authenticate, TRUE, FALSE, kg_odoo_rpc_authenticate_async,
              cancellable, callback, user_data);
}

gint64
kg_odoo_rpc_authenticate_finish (KgOdooRpc     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_autoptr(JsonNode) node = call_finish_node (self, result, kg_odoo_rpc_authenticate_async,
                                               error);

  if (node == NULL)
    return 0;
  return json_node_get_int (node);
}

/* ---- object.execute_kw --------------------------------------------------- */

void
kg_odoo_rpc_execute_kw_async (KgOdooRpc           *self,
                              gint64               uid,
                              const char          *secret,
                              const char          *model,
                              const char          *method,
                              JsonArray           *args,
                              JsonObject          *kwargs,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(JsonArray) call_args = json_array_new ();
  g_autofree char *label = NULL;

  g_return_if_fail (KG_IS_ODOO_RPC (self));
  g_return_if_fail (secret != NULL);
  g_return_if_fail (model != NULL);
  g_return_if_fail (method != NULL);

  json_array_add_string_element (call_args, kg_profile_get_database (self->profile) ?: "");
  json_array_add_int_element (call_args, uid);
  json_array_add_string_element (call_args, secret);
  json_array_add_string_element (call_args, model);
  json_array_add_string_element (call_args, method);
  json_array_add_array_element (call_args, args ? json_array_ref (args) : json_array_new ());
  json_array_add_object_element (call_args, kwargs ? json_object_ref (kwargs) : json_object_new ());

  label = g_strdup_printf ("object.execute_kw %s %s", model, method);
  call_async (self, "object", "execute_kw", call_args, label, secret, KG_SECRET_API_KEY,
              NULL, TRUE, g_str_equal (method, "create"), kg_odoo_rpc_execute_kw_async,
              cancellable, callback, user_data);
}

JsonNode *
kg_odoo_rpc_execute_kw_finish (KgOdooRpc     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return call_finish_node (self, result, kg_odoo_rpc_execute_kw_async, error);
}

/* ---- /web/database/list -------------------------------------------------- */

static gboolean
is_list_of_names (JsonNode *node)
{
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        return FALSE;
    }
  return TRUE;
}

static JsonNode *
interpret_database_list (KgOdooRpc  *self,
                         JsonNode   *result,
                         GError    **error)
{
  if (!is_list_of_names (result))
    {
      g_set_error_literal (error, KG_ERROR, KG_ERROR_SERVER,
                           _("The server’s list of databases is not a list of names."));
      return NULL;
    }
  return json_node_ref (result);
}

static void
list_databases_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  JsonArray *array;

  node = g_task_propagate_pointer (G_TASK (result), &error);
  if (node == NULL)
    {
      if (g_error_matches (error, KG_ERROR, KG_ERROR_ACCESS_DENIED))
        {
          kg_odoo_error_set_message (error, _("The server does not let clients list its "
                                              "databases."));
          kg_error_set_remedy (error, _("Type the database name; the server’s administrator knows "
                                        "it."));
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  builder = g_strv_builder_new ();
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    g_strv_builder_add (builder, json_array_get_string_element (array, i));
  g_task_return_pointer (task, g_strv_builder_end (builder), (GDestroyNotify) g_strfreev);
}

void
kg_odoo_rpc_list_databases_async (KgOdooRpc           *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonObject) params = json_object_new ();

  g_return_if_fail (KG_IS_ODOO_RPC (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kg_odoo_rpc_list_databases_async);

  post_async (self, "/web/database/list", params, "database list", NULL, KG_SECRET_API_KEY,
              interpret_database_list, FALSE, FALSE, kg_odoo_rpc_list_databases_async,
              cancellable, list_databases_cb, g_steal_pointer (&task));
}

GStrv
kg_odoo_rpc_list_databases_finish (KgOdooRpc     *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (KG_IS_ODOO_RPC (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kg_odoo_rpc_list_databases_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
