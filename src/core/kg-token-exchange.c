/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The token client's exchange: the request its spec describes (the key in
 * a header, the body or the query), one exchange in flight however many
 * calls wait for it, and the answer read into a token, its type and expiry
 * (the token itself redacted from what is recorded). */
#define G_LOG_DOMAIN "keygate-token"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "kg-error.h"
#include "kg-json.h"
#include "kg-odoo-rpc.h"
#include "kg-redact.h"
#include "kg-secret.h"
#include "kg-token-client-private.h"

#define DEFAULT_TOKEN_PATH "access_token"
#define FALLBACK_TOKEN_PATH "token"
#define DEFAULT_EXPIRES_AT_PATH "expires_at"
#define FALLBACK_EXPIRES_AT_PATH "expires"

/* ------------------------------------------------------------------------ */
/* Building the exchange request                                             */

typedef struct
{
  char       *method;
  char       *url;
  GPtrArray  *headers;   /* name, value, name, value, … */
  JsonNode   *body;      /* nullable */
} RequestParts;

static void
request_parts_free (RequestParts *parts)
{
  g_free (parts->method);
  g_free (parts->url);
  /* Header values may hold the key: wipe them. */
  g_ptr_array_unref (parts->headers);
  g_clear_pointer (&parts->body, json_node_unref);
  g_free (parts);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RequestParts, request_parts_free)

static void
place_value (RequestParts     *parts,
             GString          *url,
             JsonObject       *body,
             KgParamLocation   location,
             const char       *param,
             const char       *value,
             gboolean          escape)
{
  if (kg_token_str_empty (param) || value == NULL)
    return;

  switch (location)
    {
    case KG_PARAM_HEADER:
      g_ptr_array_add (parts->headers, g_strdup (param));
      g_ptr_array_add (parts->headers, g_strdup (value));
      break;
    case KG_PARAM_BODY:
      json_object_set_string_member (body, param, value);
      break;
    case KG_PARAM_QUERY:
      kg_token_append_query (url, param, value, escape);
      break;
    case KG_PARAM_NONE:
    default:
      break;
    }
}

static RequestParts *
build_exchange_parts (KgTokenClient *self,
                      const char    *api_key,
                      gboolean       preview)
{
  KgTokenSpec *spec = kg_token_client_get_spec (self);
  RequestParts *parts = g_new0 (RequestParts, 1);
  g_autofree char *base = kg_profile_build_url (self->profile, kg_token_spec_get_path (spec));
  g_autoptr(GString) url = g_string_new (base);
  g_autoptr(JsonObject) body = json_object_new ();
  const char *method = kg_token_spec_get_method (spec);

  parts->method = g_strdup (kg_token_str_empty (method) ? "POST" : method);
  parts->headers = g_ptr_array_new_with_free_func ((GDestroyNotify) kg_secret_free);

  place_value (parts, url, body, kg_token_spec_get_db_location (spec),
               kg_token_spec_get_db_param (spec), kg_profile_get_database (self->profile), TRUE);
  place_value (parts, url, body, kg_token_spec_get_key_location (spec),
               kg_token_spec_get_key_param (spec), api_key, !preview);

  if (json_object_get_size (body) > 0)
    {
      parts->body = json_node_new (JSON_NODE_OBJECT);
      json_node_set_object (parts->body, body);
    }
  parts->url = g_string_free (g_steal_pointer (&url), FALSE);

  return parts;
}

static KgHttpRequest *
build_exchange_request (KgTokenClient *self,
                        const char    *api_key)
{
  g_autoptr(RequestParts) parts = build_exchange_parts (self, api_key, FALSE);
  KgHttpRequest *request = kg_http_request_new (parts->method, parts->url);

  kg_http_request_add_secret (request, KG_SECRET_API_KEY, api_key);
  for (guint i = 0; i + 1 < parts->headers->len; i += 2)
    kg_http_request_set_header (request, g_ptr_array_index (parts->headers, i),
                                g_ptr_array_index (parts->headers, i + 1));
  if (parts->body != NULL)
    kg_http_request_set_json_body (request, parts->body);
  kg_token_client_apply_settings (self, request, _("token exchange"), KG_TOKEN_STEP_EXCHANGE);

  return request;
}

KgExchange *
kg_token_client_preview_exchange (KgTokenClient *self)
{
  g_autoptr(RequestParts) parts = NULL;
  KgExchange *exchange;
  const char *placeholder = kg_secret_kind_placeholder (KG_SECRET_API_KEY);

  g_return_val_if_fail (KG_IS_TOKEN_CLIENT (self), NULL);

  parts = build_exchange_parts (self, placeholder, TRUE);
  exchange = kg_exchange_new (parts->method, parts->url);
  kg_exchange_set_label (exchange, _("token exchange"));
  kg_exchange_set_step (exchange, KG_TOKEN_STEP_EXCHANGE);
  kg_exchange_set_profile_id (exchange, kg_profile_get_id (self->profile));

  for (guint i = 0; i + 1 < parts->headers->len; i += 2)
    kg_exchange_add_request_header (exchange, g_ptr_array_index (parts->headers, i),
                                    g_ptr_array_index (parts->headers, i + 1));
  if (parts->body != NULL)
    {
      g_autofree char *text = json_to_string (parts->body, FALSE);

      kg_exchange_add_request_header (exchange, "Content-Type", "application/json");
      kg_exchange_set_request_body (exchange, "application/json", text);
    }

  return exchange;
}

/* ------------------------------------------------------------------------ */
/* The exchange                                                              */

static void
finish_exchange_waiters (KgTokenClient *self,
                         const GError  *error)
{
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->exchange_waiters);

  self->exchange_waiters = g_ptr_array_new ();

  for (guint i = 0; i < waiters->len; i++)
    {
      g_autoptr(GTask) task = g_ptr_array_index (waiters, i);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
}

/* Replaces the exchange's response body and parsed JSON by copies with the
 * token redacted: the token must not outlive the client in an exchange. */
static void
redact_token_from_exchange (KgExchange *exchange,
                            const char *api_key,
                            const char *token)
{
  g_autoptr(KgSecrets) secrets = kg_secrets_new ();
  g_autofree char *body = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *content_type = NULL;
  g_autoptr(JsonNode) json = NULL;

  if (api_key != NULL)
    kg_secrets_add (secrets, KG_SECRET_API_KEY, api_key);
  kg_secrets_add (secrets, KG_SECRET_TOKEN, token);

  body = kg_secrets_redact (secrets, kg_exchange_get_response_body (exchange));
  if (kg_exchange_get_response_json (exchange) != NULL)
    json = kg_redact_json (secrets, kg_exchange_get_response_json (exchange));

  /* Copies: set_response replaces the strings it is given. */
  reason = g_strdup (kg_exchange_get_reason (exchange));
  content_type = g_strdup (kg_exchange_get_response_content_type (exchange));
  kg_exchange_set_response (exchange,
                            kg_exchange_get_status (exchange),
                            reason,
                            content_type,
                            body,
                            kg_exchange_get_response_size (exchange),
                            json);
}

static GError *
accept_exchange_response (KgTokenClient *self,
                          KgExchange    *exchange,
                          const char    *api_key)
{
  KgTokenSpec *spec = kg_token_client_get_spec (self);
  JsonNode *root = kg_exchange_get_response_json (exchange);
  const char *token_path = kg_token_spec_get_token_path (spec);
  const char *expires_in_path = kg_token_spec_get_expires_in_path (spec);
  const char *expires_at_path = kg_token_spec_get_expires_at_path (spec);
  JsonNode *node;
  const char *token = NULL;
  const char *token_type = NULL;
  g_autoptr(GDateTime) expires_at = NULL;
  double seconds;

  if (kg_token_str_empty (token_path))
    token_path = DEFAULT_TOKEN_PATH;
  node = kg_token_path_lookup (root, token_path);
  if (node == NULL && g_strcmp0 (token_path, DEFAULT_TOKEN_PATH) == 0)
    node = kg_token_path_lookup (root, FALLBACK_TOKEN_PATH);
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_STRING)
    token = json_node_get_string (node);

  if (kg_token_str_empty (token))
    {
      g_autofree char *remedy =
        g_strdup_printf (_("Set the token spec’s token JSON path (now “%s”) to where the module "
                           "puts the token, e.g. “data.token”."),
                         token_path);
      return kg_token_error_new (KG_ERROR_SERVER, KG_TOKEN_STEP_EXCHANGE, exchange, NULL, remedy,
                                 _("The token exchange answered without a token at “%s”"),
                                 token_path);
    }

  node = kg_token_path_lookup (root, expires_in_path);
  /* 0 is a valid answer: the token is already expired. */
  if (kg_token_node_get_number (node, &seconds) && seconds >= 0)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      expires_at = g_date_time_add (now, (GTimeSpan) (seconds * G_USEC_PER_SEC));
    }
  if (expires_at == NULL)
    {
      node = kg_token_path_lookup (root, expires_at_path);
      if (node == NULL && g_strcmp0 (expires_at_path, DEFAULT_EXPIRES_AT_PATH) == 0)
        node = kg_token_path_lookup (root, FALLBACK_EXPIRES_AT_PATH);
      expires_at = kg_token_parse_expires_at (node);
    }
  if (expires_at == NULL && kg_token_spec_get_lifetime (spec) > 0)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      expires_at = g_date_time_add_seconds (now, kg_token_spec_get_lifetime (spec));
    }

  token_type = kg_json_get_string (kg_json_node_get_object (root), "token_type");

  _kg_token_client_set_token (self, token, kg_token_str_empty (token_type) ? "Bearer" : token_type, expires_at);
  /* From here on the exchange only holds the token redacted. */
  redact_token_from_exchange (exchange, api_key, self->token);

  g_debug ("Exchanged the API key for a %s token", self->token_type);
  return NULL;
}

typedef struct
{
  char *api_key;
} ExchangeData;

static void
exchange_data_free (ExchangeData *data)
{
  g_clear_pointer (&data->api_key, kg_secret_free);
  g_free (data);
}

static void
exchange_sent_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KgTokenClient *self = g_task_get_source_object (task);
  ExchangeData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(KgExchange) exchange = NULL;

  exchange = kg_http_send_finish (KG_HTTP (source), result, &error);

  if (exchange == NULL)
    {
      KgExchange *failed = kg_error_get_exchange (error);

      if (error->domain == KG_ERROR)
        kg_error_set_step (error, KG_TOKEN_STEP_EXCHANGE);
      if (failed != NULL)
        {
          kg_exchange_set_error (failed, error);
          kg_http_record (self->http, failed);
        }
    }
  else
    {
      error = kg_token_classify_exchange_response (self, exchange);
      if (error == NULL)
        error = accept_exchange_response (self, exchange, data->api_key);
      if (error != NULL)
        kg_exchange_set_error (exchange, error);
      kg_http_record (self->http, exchange);
    }

  if (error != NULL)
    g_debug ("Token exchange failed: %s", error->message);

  self->exchange_in_flight = FALSE;
  finish_exchange_waiters (self, error);
  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/* Exchanges now; when an exchange is already in flight, waits for it. */
void
_kg_token_client_exchange (KgTokenClient       *self,
                           const char          *api_key,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(KgHttpRequest) request = NULL;
  ExchangeData *data;

  g_task_set_source_tag (task, _kg_token_client_exchange);

  if (kg_token_str_empty (api_key))
    {
      GError *error = kg_token_error_new (KG_ERROR_KEY_NOT_FOUND, KG_TOKEN_STEP_EXCHANGE,
                                          NULL, NULL, NULL, "%s",
                                          _("No API key to exchange for a token"));
      g_task_return_error (task, error);
      return;
    }

  if (!kg_token_spec_get_exchange (kg_token_client_get_spec (self)))
    {
      GError *error = kg_token_error_new (KG_ERROR_INVALID_INPUT, KG_TOKEN_STEP_EXCHANGE,
                                          NULL, NULL,
                                          _("Choose a preset with a token exchange, or send "
                                            "requests directly: this preset sends the key "
                                            "itself."),
                                          _("This connection’s token spec has no token exchange"));
      g_task_return_error (task, error);
      return;
    }

  if (self->exchange_in_flight)
    {
      g_ptr_array_add (self->exchange_waiters, g_steal_pointer (&task));
      return;
    }

  data = g_new0 (ExchangeData, 1);
  data->api_key = g_strdup (api_key);
  g_task_set_task_data (task, data, (GDestroyNotify) exchange_data_free);

  request = build_exchange_request (self, api_key);
  self->exchange_in_flight = TRUE;
  kg_http_send_async (self->http, request, cancellable, exchange_sent_cb, g_steal_pointer (&task));
}

gboolean
_kg_token_client_exchange_finish (KgTokenClient  *self,
                                  GAsyncResult   *result,
                                  GError        **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
kg_token_client_exchange_async (KgTokenClient       *self,
                                const char          *api_key,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (KG_IS_TOKEN_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  _kg_token_client_exchange (self, api_key, cancellable, callback, user_data);
}

gboolean
kg_token_client_exchange_finish (KgTokenClient  *self,
                                 GAsyncResult   *result,
                                 GError        **error)
{
  g_return_val_if_fail (KG_IS_TOKEN_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return _kg_token_client_exchange_finish (self, result, error);
}
