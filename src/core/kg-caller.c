/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "keygate-call"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "kg-call-result-private.h"
#include "kg-caller.h"
#include "kg-error.h"
#include "kg-odoo-rpc.h"
#include "kg-secret.h"

#define STEP_CALL "call"
#define JSON2_PREFIX "/json/2"

struct _KgCaller
{
  GObject        parent_instance;

  KgHttp        *http;
  KgProfile     *profile;
  KgTokenClient *token_client;
  /* SHA-256 of an API key → its JSON-RPC uid (gint64 *). The key itself is
   * not kept. */
  GHashTable    *uids;
};

G_DEFINE_FINAL_TYPE (KgCaller, kg_caller, G_TYPE_OBJECT)

static void
kg_caller_dispose (GObject *object)
{
  KgCaller *self = KG_CALLER (object);

  g_clear_object (&self->token_client);
  g_clear_object (&self->profile);
  g_clear_object (&self->http);

  G_OBJECT_CLASS (kg_caller_parent_class)->dispose (object);
}

static void
kg_caller_finalize (GObject *object)
{
  KgCaller *self = KG_CALLER (object);

  g_hash_table_unref (self->uids);

  G_OBJECT_CLASS (kg_caller_parent_class)->finalize (object);
}

static void
kg_caller_class_init (KgCallerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kg_caller_dispose;
  object_class->finalize = kg_caller_finalize;
}

static void
kg_caller_init (KgCaller *self)
{
  self->uids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static void
profile_changed_cb (KgCaller *self)
{
  /* A uid of another server, database or login is of no use. */
  g_hash_table_remove_all (self->uids);
}

KgCaller *
kg_caller_new (KgHttp        *http,
               KgProfile     *profile,
               KgTokenClient *token_client)
{
  KgCaller *self;

  g_return_val_if_fail (http == NULL || KG_IS_HTTP (http), NULL);
  g_return_val_if_fail (KG_IS_PROFILE (profile), NULL);
  g_return_val_if_fail (token_client == NULL || KG_IS_TOKEN_CLIENT (token_client), NULL);

  self = g_object_new (KG_TYPE_CALLER, NULL);
  self->http = g_object_ref (http != NULL ? http : kg_http_get_default ());
  self->profile = g_object_ref (profile);
  self->token_client = token_client != NULL ? g_object_ref (token_client)
                                            : kg_token_client_new (self->http, profile);

  g_signal_connect_object (profile, "notify::url", G_CALLBACK (profile_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (profile, "notify::database", G_CALLBACK (profile_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (profile, "notify::login", G_CALLBACK (profile_changed_cb), self,
                           G_CONNECT_SWAPPED);
  return self;
}

KgProfile *
kg_caller_get_profile (KgCaller *self)
{
  g_return_val_if_fail (KG_IS_CALLER (self), NULL);
  return self->profile;
}

static KgTokenSpec *
get_spec (KgCaller *self)
{
  KgTokenSpec *spec = kg_profile_get_token_spec (self->profile);
  static KgTokenSpec *fallback;

  if (spec != NULL)
    return spec;
  if (g_once_init_enter (&fallback))
    g_once_init_leave (&fallback, kg_token_spec_new ());
  return fallback;
}

gboolean
kg_caller_uses_json2 (KgCaller *self)
{
  KgTokenSpec *spec;
  const char *path;

  g_return_val_if_fail (KG_IS_CALLER (self), FALSE);

  if (kg_profile_get_protocol (self->profile) != KG_PROTOCOL_TOKEN)
    return FALSE;
  spec = get_spec (self);
  if (kg_token_spec_get_preset (spec) == KG_TOKEN_PRESET_JSON2)
    return TRUE;
  /* The json2 preset after an edit turned it into "custom". */
  path = kg_token_spec_get_path (spec);
  return !kg_token_spec_get_exchange (spec) && path != NULL
         && g_str_has_prefix (path, JSON2_PREFIX);
}

static char *
uid_key (const char *api_key)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, api_key, -1);
}

static gint64
lookup_uid (KgCaller   *self,
            const char *api_key)
{
  g_autofree char *key = uid_key (api_key);
  gint64 *uid = g_hash_table_lookup (self->uids, key);

  return uid != NULL ? *uid : 0;
}

static void
store_uid (KgCaller   *self,
           const char *api_key,
           gint64      uid)
{
  if (uid > 0)
    g_hash_table_insert (self->uids, uid_key (api_key), g_memdup2 (&uid, sizeof uid));
  else
    {
      g_autofree char *key = uid_key (api_key);

      g_hash_table_remove (self->uids, key);
    }
}

static void
apply_profile_settings (KgCaller      *self,
                        KgHttpRequest *request,
                        const char    *label,
                        gboolean       foreign)
{
  guint timeout = kg_profile_get_timeout (self->profile);

  kg_http_request_set_timeout (request, timeout > 0 ? timeout : KG_HTTP_DEFAULT_TIMEOUT);
  /* Accepting invalid certificates is the connection's choice for its own
   * server, not for another origin. */
  kg_http_request_set_tls_policy (request, foreign ? KG_TLS_POLICY_VERIFY
                                                   : kg_profile_get_tls_policy (self->profile));
  kg_http_request_set_profile_id (request, kg_profile_get_id (self->profile));
  kg_http_request_set_label (request, label);
  kg_http_request_set_step (request, STEP_CALL);
}

static gboolean
str_empty (const char *text)
{
  return text == NULL || text[0] == '\0';
}

/* ------------------------------------------------------------------------ */
/* Results                                                                   */

typedef struct
{
  KgModelCall *call;
  KgRoute     *route;
  char        *api_key;
  KgOdooRpc   *rpc;
  gint64       started;
  gboolean     fresh_uid;   /* the uid was obtained by this operation */
  gboolean     retried;
} Operation;

static void
operation_free (Operation *op)
{
  g_clear_object (&op->call);
  g_clear_object (&op->route);
  g_clear_pointer (&op->api_key, kg_secret_free);
  g_clear_object (&op->rpc);
  g_free (op);
}

static Operation *
operation_new (GTask      *task,
               const char *api_key)
{
  Operation *op = g_new0 (Operation, 1);

  op->started = g_get_monotonic_time ();
  op->api_key = g_strdup (api_key);
  g_task_set_task_data (task, op, (GDestroyNotify) operation_free);
  return op;
}

static gint64
elapsed (GTask *task)
{
  Operation *op = g_task_get_task_data (task);

  return g_get_monotonic_time () - op->started;
}

/* {"error": {"kind", "message", "server_message"}}: what paths read on a
 * failed model call. */
static JsonNode *
error_json (const GError *error)
{
  g_autoptr(JsonObject) root = json_object_new ();
  JsonObject *inner = json_object_new ();
  const char *server_message = kg_error_get_server_message (error);
  JsonNode *node;

  json_object_set_string_member (inner, "kind", kg_error_kind (error));
  json_object_set_string_member (inner, "message", error->message);
  if (server_message != NULL)
    json_object_set_string_member (inner, "server_message", server_message);
  else
    json_object_set_null_member (inner, "server_message");
  json_object_set_object_member (root, "error", inner);

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, root);
  return node;
}

static JsonNode *
result_json (JsonNode *result)
{
  g_autoptr(JsonObject) root = json_object_new ();
  JsonNode *node;

  json_object_set_member (root, "result", result != NULL ? json_node_copy (result)
                                                         : json_node_new (JSON_NODE_NULL));
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, root);
  return node;
}

/* Returns @error from @task when nothing was sent or the operation was
 * cancelled; else a failed result. @main_sent: the main call (not only an
 * authenticate or token exchange step) reached the server. */
static void
return_failure (GTask    *task,
                GError   *error,
                gboolean  model_call,
                gboolean  main_sent)
{
  KgExchange *exchange = kg_error_get_exchange (error);
  g_autoptr(JsonNode) json = NULL;
  KgCallResult *result;

  if (exchange == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, error);
      return;
    }

  if (model_call)
    json = error_json (error);
  else if (kg_exchange_get_response_json (exchange) != NULL)
    json = json_node_ref (kg_exchange_get_response_json (exchange));

  result = kg_call_result_new (error,
                               main_sent ? kg_exchange_get_status (exchange) : 0,
                               json,
                               kg_exchange_get_response_body (exchange),
                               elapsed (task),
                               exchange);
  g_error_free (error);
  g_task_return_pointer (task, result, g_object_unref);
}

/* ------------------------------------------------------------------------ */
/* Model calls over JSON-RPC                                                 */

static void rpc_authenticate (GTask *task);

static void
rpc_execute_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KgCaller *self = g_task_get_source_object (task);
  Operation *op = g_task_get_task_data (task);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) json = NULL;
  GError *error = NULL;
  KgExchange *exchange;

  node = kg_odoo_rpc_execute_kw_finish (op->rpc, result, &error);
  if (node == NULL)
    {
      gboolean refused = g_error_matches (error, KG_ERROR, KG_ERROR_ACCESS_DENIED)
                         || g_error_matches (error, KG_ERROR, KG_ERROR_SESSION_EXPIRED);

      if (refused && !op->fresh_uid && !op->retried
          && !g_cancellable_is_cancelled (g_task_get_cancellable (task)))
        {
          /* Once: the remembered uid may belong to a key that was replaced. */
          g_debug ("execute_kw refused a remembered uid; authenticating again");
          g_error_free (error);
          op->retried = TRUE;
          store_uid (self, op->api_key, 0);
          rpc_authenticate (g_steal_pointer (&task));
          return;
        }
      return_failure (task, error, TRUE, TRUE);
      return;
    }

  exchange = kg_odoo_rpc_get_last_exchange (op->rpc);
  json = result_json (node);
  g_task_return_pointer (task,
                         kg_call_result_new (NULL,
                                             exchange ? kg_exchange_get_status (exchange) : 0,
                                             json,
                                             exchange ? kg_exchange_get_response_body (exchange)
                                                      : NULL,
                                             elapsed (task), exchange),
                         g_object_unref);
}

static void
rpc_execute (GTask  *task,
             gint64  uid)
{
  Operation *op = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  kg_odoo_rpc_execute_kw_async (op->rpc, uid, op->api_key,
                                kg_model_call_get_model (op->call),
                                kg_model_call_get_method (op->call),
                                kg_model_call_get_args (op->call),
                                kg_model_call_get_kwargs (op->call),
                                cancellable, rpc_execute_cb, task);
}

static void
rpc_authenticate_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KgCaller *self = g_task_get_source_object (task);
  Operation *op = g_task_get_task_data (task);
  GError *error = NULL;
  gint64 uid;

  uid = kg_odoo_rpc_authenticate_finish (op->rpc, result, &error);
  if (uid <= 0)
    {
      return_failure (task, error, TRUE, FALSE);
      return;
    }

  store_uid (self, op->api_key, uid);
  op->fresh_uid = TRUE;
  rpc_execute (g_steal_pointer (&task), uid);
}

static void
rpc_authenticate (GTask *task)
{
  Operation *op = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  kg_odoo_rpc_authenticate_async (op->rpc, op->api_key, KG_SECRET_API_KEY, cancellable,
                                  rpc_authenticate_cb, task);
}

/* ------------------------------------------------------------------------ */
/* Model calls over JSON-2                                                   */

static void
json2_sent_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(KgExchange) exchange = NULL;
  g_autoptr(JsonNode) json = NULL;
  GError *error = NULL;

  exchange = kg_token_client_send_finish (KG_TOKEN_CLIENT (source), result, &error);
  if (exchange == NULL)
    {
      return_failure (task, error, TRUE, g_strcmp0 (kg_error_get_step (error), STEP_CALL) == 0);
      return;
    }

  json = result_json (kg_exchange_get_response_json (exchange));
  g_task_return_pointer (task,
                         kg_call_result_new (NULL, kg_exchange_get_status (exchange), json,
                                             kg_exchange_get_response_body (exchange),
                                             elapsed (task), exchange),
                         g_object_unref);
}

void
kg_caller_call_model_async (KgCaller            *self,
                            const char          *api_key,
                            KgModelCall         *call,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Operation *op;
  gint64 uid;

  g_return_if_fail (KG_IS_CALLER (self));
  g_return_if_fail (KG_IS_MODEL_CALL (call));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kg_caller_call_model_async);
  op = operation_new (task, api_key);
  op->call = g_object_ref (call);

  if (str_empty (api_key))
    {
      g_task_return_new_error (task, KG_ERROR, KG_ERROR_KEY_NOT_FOUND,
                               _("No API key to send the call with; store one for this "
                                 "connection first."));
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  if (kg_caller_uses_json2 (self))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) body = kg_model_call_to_json2_body (call, &error);
      g_autoptr(KgHttpRequest) request = NULL;
      g_autofree char *path = NULL;
      g_autofree char *url = NULL;
      g_autofree char *label = NULL;

      if (body == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      path = g_strdup_printf (JSON2_PREFIX "/%s/%s", kg_model_call_get_model (call),
                              kg_model_call_get_method (call));
      url = kg_profile_build_url (self->profile, path);
      label = g_strdup_printf ("json/2 %s %s", kg_model_call_get_model (call),
                               kg_model_call_get_method (call));
      request = kg_http_request_new ("POST", url);
      kg_http_request_set_json_body (request, body);
      apply_profile_settings (self, request, label, FALSE);
      kg_token_client_send_async (self->token_client, api_key, request, cancellable,
                                  json2_sent_cb, g_steal_pointer (&task));
      return;
    }

  op->rpc = kg_odoo_rpc_new (self->http, self->profile);
  uid = lookup_uid (self, api_key);
  if (uid > 0)
    rpc_execute (g_steal_pointer (&task), uid);
  else
    rpc_authenticate (g_steal_pointer (&task));
}

KgCallResult *
kg_caller_call_model_finish (KgCaller      *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (KG_IS_CALLER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kg_caller_call_model_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------ */
/* Routes                                                                    */

static JsonObject *
response_object (KgExchange *exchange)
{
  JsonNode *json = kg_exchange_get_response_json (exchange);

  return json != NULL && JSON_NODE_HOLDS_OBJECT (json) ? json_node_get_object (json) : NULL;
}

static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* A type='json' route answers errors as a JSON-RPC envelope with HTTP 200. */
static gboolean
is_jsonrpc_error (KgExchange *exchange)
{
  JsonObject *object = response_object (exchange);

  return object != NULL && json_object_has_member (object, "error")
         && (json_object_has_member (object, "jsonrpc") || json_object_has_member (object, "id"));
}

/* @text without tags, spaces collapsed; NULL when nothing is left. */
static char *
strip_tags (const char *text,
            gssize      length)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *end = length < 0 ? text + strlen (text) : text + length;
  gboolean in_tag = FALSE;
  gboolean space = FALSE;

  for (const char *p = text; p < end; p++)
    {
      if (*p == '<')
        in_tag = TRUE;
      else if (*p == '>')
        in_tag = FALSE;
      else if (!in_tag && g_ascii_isspace (*p))
        space = out->len > 0;
      else if (!in_tag)
        {
          if (space)
            g_string_append_c (out, ' ');
          space = FALSE;
          g_string_append_c (out, *p);
        }
    }
  if (out->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* What a page says: its first heading, else its title, else its first
 * line with text; at most 120 characters. */
static char *
page_summary (const char *body)
{
  static const char * const tags[] = { "<h1", "<title" };
  g_autofree char *text = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (tags) && text == NULL; i++)
    {
      const char *start = strstr (body, tags[i]);
      const char *close;

      if (start == NULL || (start = strchr (start, '>')) == NULL)
        continue;
      close = strchr (++start, '<');
      text = strip_tags (start, close != NULL ? close - start : -1);
    }
  if (text == NULL)
    {
      g_auto(GStrv) lines = g_strsplit (body, "\n", -1);

      for (guint i = 0; lines[i] != NULL && text == NULL; i++)
        text = strip_tags (lines[i], -1);
    }
  if (text != NULL && g_utf8_validate (text, -1, NULL) && g_utf8_strlen (text, -1) > 120)
    {
      g_autofree char *cut = g_utf8_substring (text, 0, 118);

      g_free (text);
      text = g_strconcat (cut, "…", NULL);
    }
  return g_steal_pointer (&text);
}

/* The server's words: "message" or "error" of a JSON answer, else what the
 * page says. */
static char *
server_message (KgExchange *exchange)
{
  JsonObject *object = response_object (exchange);
  const char *message = string_member (object, "message");
  const char *body;

  if (str_empty (message))
    message = string_member (object, "error");
  if (!str_empty (message))
    return g_strdup (message);
  if (kg_exchange_get_response_json (exchange) != NULL)
    return NULL;

  body = kg_exchange_get_response_body (exchange);
  if (str_empty (body))
    return NULL;
  return page_summary (body);
}

/* A 401 that asks for a token the request did not carry: the token
 * module's "Missing access token" (its error member), as the common
 * token modules answer a request without one. */
static gboolean
wants_token (KgExchange *exchange)
{
  JsonObject *object = response_object (exchange);

  return g_strcmp0 (string_member (object, "error"), "Missing access token") == 0;
}

/* Classifies the answer of a route sent without the token client: 2xx is
 * a success (unless it is a JSON-RPC error envelope), anything else an
 * error by its status. */
static GError *
classify_route (KgExchange *exchange)
{
  guint status = kg_exchange_get_status (exchange);
  g_autofree char *message = server_message (exchange);
  const char *shown = message != NULL ? message : _("no message");
  GError *error = NULL;

  if (status >= 200 && status < 300)
    {
      g_autoptr(JsonNode) ignored = NULL;

      if (!is_jsonrpc_error (exchange))
        return NULL;
      ignored = kg_odoo_classify_jsonrpc (exchange, &error);
      if (error != NULL)
        kg_error_set_step (error, STEP_CALL);
      return error;
    }

  if (status == 429)
    error = kg_odoo_rate_limited_error (exchange, message);
  else if (status == 401 && wants_token (exchange))
    {
      error = g_error_new (KG_ERROR, KG_ERROR_TOKEN_MISSING,
                           _("The route wants an access token (HTTP 401): %s"), shown);
      kg_error_set_remedy (error, _("Set the request’s authentication to “Token”: Keygate then "
                                    "exchanges the connection’s API key for a token and sends "
                                    "it."));
    }
  else if (status == 401)
    error = g_error_new (KG_ERROR, KG_ERROR_ACCESS_DENIED,
                         _("The route refused the request (HTTP 401): %s"), shown);
  else if (status == 403)
    error = g_error_new (KG_ERROR, KG_ERROR_ACCESS_ERROR,
                         _("The route refused access (HTTP 403): %s"), shown);
  else if (status == 400 || status == 422)
    error = g_error_new (KG_ERROR, KG_ERROR_VALIDATION,
                         _("The server rejected the values (HTTP %u): %s"), status, shown);
  else if (status == 404)
    error = g_error_new (KG_ERROR, KG_ERROR_HTTP_STATUS,
                         _("The route was not found (HTTP 404): %s"), shown);
  else if (status >= 500)
    error = g_error_new (KG_ERROR, KG_ERROR_SERVER,
                         _("The server reported an error (HTTP %u): %s"), status, shown);
  else
    error = g_error_new (KG_ERROR, KG_ERROR_HTTP_STATUS,
                         _("The server answered HTTP %u: %s"), status, shown);

  kg_error_set_step (error, STEP_CALL);
  kg_error_set_http_status (error, status);
  if (message != NULL)
    kg_error_set_server_message (error, message);
  kg_error_set_exchange (error, exchange);
  return error;
}

static void
return_route_result (GTask      *task,
                     KgExchange *exchange,
                     GError     *error)
{
  KgCallResult *result;

  result = kg_call_result_new (error, kg_exchange_get_status (exchange),
                               kg_exchange_get_response_json (exchange),
                               kg_exchange_get_response_body (exchange),
                               elapsed (task), exchange);
  g_clear_error (&error);
  g_task_return_pointer (task, result, g_object_unref);
}

static void
route_sent_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KgCaller *self = g_task_get_source_object (task);
  g_autoptr(KgExchange) exchange = NULL;
  GError *error = NULL;

  exchange = kg_http_send_finish (KG_HTTP (source), result, &error);
  if (exchange == NULL)
    {
      KgExchange *failed = kg_error_get_exchange (error);

      if (failed != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          if (error->domain == KG_ERROR)
            kg_error_set_step (error, STEP_CALL);
          kg_exchange_set_error (failed, error);
          kg_http_record (self->http, failed);
        }
      return_failure (task, error, FALSE, TRUE);
      return;
    }

  error = classify_route (exchange);
  if (error != NULL)
    kg_exchange_set_error (exchange, error);
  kg_http_record (self->http, exchange);
  return_route_result (task, exchange, error);
}

static void
route_token_sent_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(KgExchange) exchange = NULL;
  GError *error = NULL;

  exchange = kg_token_client_send_finish (KG_TOKEN_CLIENT (source), result, &error);
  if (exchange == NULL)
    {
      return_failure (task, error, FALSE, g_strcmp0 (kg_error_get_step (error), STEP_CALL) == 0);
      return;
    }

  /* The token client recorded the exchange as a success; a JSON-RPC error
   * envelope in a 200 answer is still a failed call. */
  if (is_jsonrpc_error (exchange))
    {
      g_autoptr(JsonNode) ignored = kg_odoo_classify_jsonrpc (exchange, &error);

      if (error != NULL)
        kg_error_set_step (error, STEP_CALL);
    }
  return_route_result (task, exchange, error);
}

/* The header the key goes in with auth "api-key" when the token spec has an
 * exchange: its key header, X-API-Key when the spec sends the key elsewhere. */
static void
attach_api_key (KgCaller      *self,
                KgHttpRequest *request,
                const char    *api_key)
{
  KgTokenSpec *spec = get_spec (self);
  const char *header = kg_token_spec_get_key_param (spec);
  const char *db_param = kg_token_spec_get_db_param (spec);
  const char *database = kg_profile_get_database (self->profile);

  if (kg_token_spec_get_key_location (spec) != KG_PARAM_HEADER || str_empty (header))
    header = "X-API-Key";
  kg_http_request_set_header (request, header, api_key);
  if (kg_token_spec_get_db_location (spec) == KG_PARAM_HEADER && !str_empty (db_param)
      && !str_empty (database))
    kg_http_request_set_header (request, db_param, database);
}

void
kg_caller_send_route_async (KgCaller            *self,
                            const char          *api_key,
                            KgRoute             *route,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KgHttpRequest) request = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *url = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *label = NULL;
  GPtrArray *headers;
  KgRouteAuth auth;
  gboolean foreign = FALSE;
  Operation *op;

  g_return_if_fail (KG_IS_CALLER (self));
  g_return_if_fail (KG_IS_ROUTE (route));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kg_caller_send_route_async);
  op = operation_new (task, api_key);
  op->route = g_object_ref (route);
  auth = kg_route_get_auth (route);

  url = kg_route_build_url (route, self->profile, &foreign, &error);
  if (url == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (auth != KG_ROUTE_AUTH_NONE && str_empty (api_key))
    {
      g_task_return_new_error (task, KG_ERROR, KG_ERROR_KEY_NOT_FOUND,
                               _("No API key to send the request with; store one for this "
                                 "connection first, or use auth “none”."));
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  request = kg_http_request_new (kg_route_get_method (route), url);
  label = g_strdup_printf ("%s %s", kg_route_get_method (route), kg_route_get_path (route));
  apply_profile_settings (self, request, label, foreign);
  if (!str_empty (api_key))
    kg_http_request_add_secret (request, KG_SECRET_API_KEY, api_key);

  body = kg_route_dup_body_bytes (route, &content_type);
  headers = kg_route_get_headers (route);
  for (guint i = 0; i + 1 < headers->len; i += 2)
    {
      const char *name = g_ptr_array_index (headers, i);

      /* The body's type goes with the body. */
      if (body != NULL && g_ascii_strcasecmp (name, "Content-Type") == 0)
        continue;
      kg_http_request_set_header (request, name, g_ptr_array_index (headers, i + 1));
    }
  if (body != NULL)
    kg_http_request_set_body (request, content_type, g_steal_pointer (&body));   /* takes it */

  if (auth == KG_ROUTE_AUTH_TOKEN
      || (auth == KG_ROUTE_AUTH_API_KEY && !kg_token_spec_get_exchange (get_spec (self))))
    {
      /* The token client attaches the token, or the key itself the way a
       * preset without an exchange sends it. */
      kg_token_client_send_async (self->token_client, api_key, request, cancellable,
                                  route_token_sent_cb, g_steal_pointer (&task));
      return;
    }

  if (auth == KG_ROUTE_AUTH_API_KEY)
    attach_api_key (self, request, api_key);
  kg_http_send_async (self->http, request, cancellable, route_sent_cb, g_steal_pointer (&task));
}

KgCallResult *
kg_caller_send_route_finish (KgCaller      *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (KG_IS_CALLER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kg_caller_send_route_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
