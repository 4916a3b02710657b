/* SPDX-License-Identifier: GPL-3.0-or-later */
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
/* Re-exchange this long before the token expires (at most half its life). */
#define EXPIRY_MARGIN_US (30 * G_USEC_PER_SEC)

struct _KgTokenClient
{
  GObject     parent_instance;

  KgHttp     *http;
  KgProfile  *profile;

  char       *token;        /* the secret: in memory only, wiped when dropped */
  char       *token_type;
  GDateTime  *obtained_at;
  GDateTime  *expires_at;   /* NULL: unknown */

  /* Tasks waiting for the exchange in flight (the first one drives it). */
  GPtrArray  *exchange_waiters;
  gboolean    exchange_in_flight;
};

G_DEFINE_FINAL_TYPE (KgTokenClient, kg_token_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_HTTP,
  PROP_PROFILE,
  PROP_HAS_TOKEN,
  PROP_TOKEN_TYPE,
  PROP_EXPIRES_AT,
  PROP_MASKED_TOKEN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];
/* ------------------------------------------------------------------------ */
/* Secrets in memory                                                         */

static void
notify_token (KgTokenClient *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_TOKEN]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN_TYPE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPIRES_AT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MASKED_TOKEN]);
}

static gboolean
drop_token (KgTokenClient *self)
{
  gboolean had_token = self->token != NULL;

  g_clear_pointer (&self->token, kg_secret_free);
  g_clear_pointer (&self->token_type, g_free);
  g_clear_pointer (&self->obtained_at, g_date_time_unref);
  g_clear_pointer (&self->expires_at, g_date_time_unref);

  return had_token;
}

static void
set_token (KgTokenClient *self,
           const char    *token,
           const char    *token_type,
           GDateTime     *expires_at)
{
  drop_token (self);
  self->token = g_strdup (token);
  self->token_type = g_strdup (token_type != NULL ? token_type : "Bearer");
  self->obtained_at = g_date_time_new_now_utc ();
  self->expires_at = expires_at != NULL ? g_date_time_ref (expires_at) : NULL;
  notify_token (self);
}

/* ------------------------------------------------------------------------ */
/* GObject                                                                   */

static void
profile_changed_cb (KgTokenClient *self)
{
  /* A token bought for another server, database or spec is of no use. */
  kg_token_client_forget (self);
}

static void
kg_token_client_constructed (GObject *object)
{
  KgTokenClient *self = KG_TOKEN_CLIENT (object);

  G_OBJECT_CLASS (kg_token_client_parent_class)->constructed (object);

  if (self->http == NULL)
    self->http = g_object_ref (kg_http_get_default ());

  g_assert (self->profile != NULL);
  g_signal_connect_object (self->profile, "notify::url",
                           G_CALLBACK (profile_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->profile, "notify::database",
                           G_CALLBACK (profile_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->profile, "notify::token-spec",
                           G_CALLBACK (profile_changed_cb), self, G_CONNECT_SWAPPED);
}

static void
kg_token_client_dispose (GObject *object)
{
  KgTokenClient *self = KG_TOKEN_CLIENT (object);

  g_clear_object (&self->profile);
  g_clear_object (&self->http);

  G_OBJECT_CLASS (kg_token_client_parent_class)->dispose (object);
}

static void
kg_token_client_finalize (GObject *object)
{
  KgTokenClient *self = KG_TOKEN_CLIENT (object);

  drop_token (self);
  g_clear_pointer (&self->exchange_waiters, g_ptr_array_unref);

  G_OBJECT_CLASS (kg_token_client_parent_class)->finalize (object);
}

static void
kg_token_client_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  KgTokenClient *self = KG_TOKEN_CLIENT (object);

  switch (prop_id)
    {
    case PROP_HTTP:
      g_value_set_object (value, self->http);
      break;
    case PROP_PROFILE:
      g_value_set_object (value, self->profile);
      break;
    case PROP_HAS_TOKEN:
      g_value_set_boolean (value, kg_token_client_has_token (self));
      break;
    case PROP_TOKEN_TYPE:
      g_value_set_string (value, kg_token_client_get_token_type (self));
      break;
    case PROP_EXPIRES_AT:
      g_value_set_boxed (value, self->expires_at);
      break;
    case PROP_MASKED_TOKEN:
      g_value_take_string (value, kg_token_client_dup_masked_token (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kg_token_client_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  KgTokenClient *self = KG_TOKEN_CLIENT (object);

  switch (prop_id)
    {
    case PROP_HTTP:
      self->http = g_value_dup_object (value);
      break;
    case PROP_PROFILE:
      self->profile = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kg_token_client_class_init (KgTokenClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = kg_token_client_constructed;
  object_class->dispose = kg_token_client_dispose;
  object_class->finalize = kg_token_client_finalize;
  object_class->get_property = kg_token_client_get_property;
  object_class->set_property = kg_token_client_set_property;

  properties[PROP_HTTP] =
    g_param_spec_object ("http", NULL, NULL, KG_TYPE_HTTP,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROFILE] =
    g_param_spec_object ("profile", NULL, NULL, KG_TYPE_PROFILE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HAS_TOKEN] =
    g_param_spec_boolean ("has-token", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOKEN_TYPE] =
    g_param_spec_string ("token-type", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EXPIRES_AT] =
    g_param_spec_boxed ("expires-at", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MASKED_TOKEN] =
    g_param_spec_string ("masked-token", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kg_token_client_init (KgTokenClient *self)
{
  self->exchange_waiters = g_ptr_array_new ();
}

KgTokenClient *
kg_token_client_new (KgHttp    *http,
                     KgProfile *profile)
{
  g_return_val_if_fail (http == NULL || KG_IS_HTTP (http), NULL);
  g_return_val_if_fail (KG_IS_PROFILE (profile), NULL);

  return g_object_new (KG_TYPE_TOKEN_CLIENT, "http", http, "profile", profile, NULL);
}

KgProfile *
kg_token_client_get_profile (KgTokenClient *self)
{
  g_return_val_if_fail (KG_IS_TOKEN_CLIENT (self), NULL);
  return self->profile;
}

KgHttp *
kg_token_client_get_http (KgTokenClient *self)
{
  g_return_val_if_fail (KG_IS_TOKEN_CLIENT (self), NULL);

  return self->http;
}

gboolean
kg_token_client_has_token (KgTokenClient *self)
{
  g_return_val_if_fail (KG_IS_TOKEN_CLIENT (self), FALSE);
  return self->token != NULL;
}

const char *
kg_token_client_get_token_type (KgTokenClient *self)
{
  g_return_val_if_fail (KG_IS_TOKEN_CLIENT (self), NULL);
  return self->token_type;
}

GDateTime *
kg_token_client_get_expires_at (KgTokenClient *self)
{
  g_return_val_if_fail (KG_IS_TOKEN_CLIENT (self), NULL);
  return self->expires_at;
}

char *
kg_token_client_dup_masked_token (KgTokenClient *self)
{
  g_return_val_if_fail (KG_IS_TOKEN_CLIENT (self), NULL);

  if (self->token == NULL)
    return NULL;
  return kg_redact_mask (self->token);
}

const char *
kg_token_client_peek_token (KgTokenClient *self)
{
  g_return_val_if_fail (KG_IS_TOKEN_CLIENT (self), NULL);
  return self->token;
}

void
kg_token_client_forget (KgTokenClient *self)
{
  g_return_if_fail (KG_IS_TOKEN_CLIENT (self));

  if (drop_token (self))
    notify_token (self);
}
/* ------------------------------------------------------------------------ */
/* Helpers                                                                   */

KgTokenSpec *
kg_token_client_get_spec (KgTokenClient *self)
{
  KgTokenSpec *spec = kg_profile_get_token_spec (self->profile);
  static KgTokenSpec *fallback;

  if (spec != NULL)
    return spec;
  if (g_once_init_enter (&fallback))
    g_once_init_leave (&fallback, kg_token_spec_new ());
  return fallback;
}

/* The json2 preset, also after an edit turned it into "custom". */
gboolean
kg_token_spec_is_json2 (KgTokenSpec *spec)
{
  if (kg_token_spec_get_preset (spec) == KG_TOKEN_PRESET_JSON2)
    return TRUE;
  return !kg_token_spec_get_exchange (spec)
         && g_str_has_prefix (kg_token_spec_get_path (spec) ? kg_token_spec_get_path (spec) : "",
                              "/json/2");
}

void
kg_token_client_apply_settings (KgTokenClient *self,
                                KgHttpRequest *request,
                                const char    *label,
                                const char    *step)
{
  guint timeout = kg_profile_get_timeout (self->profile);

  if (timeout > 0)
    kg_http_request_set_timeout (request, timeout);
  kg_http_request_set_tls_policy (request, kg_profile_get_tls_policy (self->profile));
  kg_http_request_set_profile_id (request, kg_profile_get_id (self->profile));
  if (label != NULL)
    kg_http_request_set_label (request, label);
  kg_http_request_set_step (request, step);
}

void
kg_token_append_query (GString    *url,
                       const char *name,
                       const char *value,
                       gboolean    escape_value)
{
  g_autofree char *escaped_name = g_uri_escape_string (name, NULL, FALSE);
  g_autofree char *escaped_value = escape_value ? g_uri_escape_string (value, NULL, FALSE)
                                                : g_strdup (value);

  g_string_append_c (url, strchr (url->str, '?') != NULL ? '&' : '?');
  g_string_append_printf (url, "%s=%s", escaped_name, escaped_value);
}

JsonNode *
kg_token_path_lookup (JsonNode   *root,
                      const char *path)
{
  if (root == NULL || kg_token_str_empty (path))
    return NULL;
  return kg_json_path_lookup (root, path, NULL);
}
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

  set_token (self, token, kg_token_str_empty (token_type) ? "Bearer" : token_type, expires_at);
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
static void
exchange_internal (KgTokenClient       *self,
                   const char          *api_key,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(KgHttpRequest) request = NULL;
  ExchangeData *data;

  g_task_set_source_tag (task, exchange_internal);

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

static gboolean
exchange_internal_finish (KgTokenClient  *self,
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

  exchange_internal (self, api_key, cancellable, callback, user_data);
}

gboolean
kg_token_client_exchange_finish (KgTokenClient  *self,
                                 GAsyncResult   *result,
                                 GError        **error)
{
  g_return_val_if_fail (KG_IS_TOKEN_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return exchange_internal_finish (self, result, error);
}

/* ------------------------------------------------------------------------ */
/* Calls                                                                     */

static gboolean
token_needs_exchange (KgTokenClient *self)
{
  g_autoptr(GDateTime) now = NULL;
  GTimeSpan margin = EXPIRY_MARGIN_US;

  if (self->token == NULL)
    return TRUE;
  if (self->expires_at == NULL)
    return FALSE;   /* unknown lifetime: used until the route refuses it */

  if (self->obtained_at != NULL)
    margin = MIN (margin,
                  MAX (0, g_date_time_difference (self->expires_at, self->obtained_at) / 2));
  now = g_date_time_new_now_utc ();
  return g_date_time_difference (self->expires_at, now) <= margin;
}

static void
attach_database (KgTokenClient *self,
                 KgHttpRequest *request)
{
  KgTokenSpec *spec = kg_token_client_get_spec (self);
  const char *database = kg_profile_get_database (self->profile);
  const char *param = kg_token_spec_get_db_param (spec);

  if (kg_token_spec_get_db_location (spec) == KG_PARAM_HEADER
      && !kg_token_str_empty (param) && !kg_token_str_empty (database))
    kg_http_request_set_header (request, param, database);
}

/* The key itself (presets without an exchange) or the token. */
static void
attach_credentials (KgTokenClient *self,
                    KgHttpRequest *request,
                    const char    *api_key)
{
  KgTokenSpec *spec = kg_token_client_get_spec (self);
  gboolean key_mode = !kg_token_spec_get_exchange (spec);
  const char *secret = key_mode ? api_key : self->token;
  /* Odoo's JSON-2 documents the scheme in lower case ("bearer <key>"). */
  const char *scheme = key_mode && kg_token_spec_is_json2 (spec) ? "bearer" : "Bearer";

  if (api_key != NULL)
    kg_http_request_add_secret (request, KG_SECRET_API_KEY, api_key);
  if (self->token != NULL)
    kg_http_request_add_secret (request, KG_SECRET_TOKEN, self->token);

  attach_database (self, request);

  if (kg_token_str_empty (secret))
    return;

  if (kg_token_spec_get_send_as (spec) == KG_TOKEN_SEND_HEADER
      && !kg_token_str_empty (kg_token_spec_get_send_header (spec)))
    {
      kg_http_request_set_header (request, kg_token_spec_get_send_header (spec), secret);
    }
  else
    {
      g_autofree char *value = g_strdup_printf ("%s %s", scheme, secret);

      kg_http_request_set_header (request, "Authorization", value);
      kg_secret_wipe (value);
    }
}

typedef struct
{
  KgHttpRequest *request;
  char          *api_key;
  gboolean       retried;
  gboolean       record;   /* record the final call exchange here */
} SendData;

static void
send_data_free (SendData *data)
{
  g_clear_pointer (&data->request, kg_http_request_unref);
  g_clear_pointer (&data->api_key, kg_secret_free);
  g_free (data);
}

static void call_sent_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data);

static void
send_call (GTask *task)
{
  KgTokenClient *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);

  attach_credentials (self, data->request, data->api_key);
  kg_http_request_set_step (data->request, KG_TOKEN_STEP_CALL);
  kg_http_request_set_profile_id (data->request, kg_profile_get_id (self->profile));
  kg_http_send_async (self->http, data->request, g_task_get_cancellable (task),
                      call_sent_cb, task);
}

static void
send_exchanged_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!exchange_internal_finish (KG_TOKEN_CLIENT (source), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  send_call (g_steal_pointer (&task));
}

static void
return_call_error (GTask  *task,
                   GError *error)
{
  KgTokenClient *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);
  KgExchange *exchange = kg_error_get_exchange (error);

  if (data->record && exchange != NULL)
    {
      kg_exchange_set_error (exchange, error);
      kg_http_record (self->http, exchange);
    }
  g_task_return_error (task, error);
}

static void
call_sent_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KgTokenClient *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);
  g_autoptr(KgExchange) exchange = NULL;
  GError *error = NULL;

  exchange = kg_http_send_finish (KG_HTTP (source), result, &error);
  if (exchange == NULL)
    {
      if (error->domain == KG_ERROR)
        kg_error_set_step (error, KG_TOKEN_STEP_CALL);
      return_call_error (task, error);
      return;
    }

  error = kg_token_classify_call_response (self, exchange, data->retried);
  if (error == NULL)
    {
      if (data->record)
        kg_http_record (self->http, exchange);
      g_task_return_pointer (task, g_steal_pointer (&exchange), g_object_unref);
      return;
    }

  if (kg_exchange_get_status (exchange) == 401
      && kg_token_spec_get_exchange (kg_token_client_get_spec (self))
      && !data->retried)
    {
      /* Once: this call is recorded as refused, a new token is bought and
       * the call sent again. A second refusal is final. */
      kg_exchange_set_error (exchange, error);
      kg_http_record (self->http, exchange);
      g_clear_error (&error);

      data->retried = TRUE;
      kg_token_client_forget (self);
      /* g_object_ref, not g_steal_pointer: argument evaluation order is
       * unspecified, and g_task_get_cancellable (task) reads task. */
      exchange_internal (self, data->api_key, g_task_get_cancellable (task),
                         send_exchanged_cb, g_object_ref (task));
      return;
    }

  return_call_error (task, error);
}

static void
send_internal (KgTokenClient       *self,
               const char          *api_key,
               KgHttpRequest       *request,
               gboolean             record,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  SendData *data = g_new0 (SendData, 1);

  g_task_set_source_tag (task, send_internal);
  data->request = kg_http_request_ref (request);
  data->api_key = g_strdup (api_key);
  data->record = record;
  g_task_set_task_data (task, data, (GDestroyNotify) send_data_free);

  if (kg_token_spec_get_exchange (kg_token_client_get_spec (self)) && token_needs_exchange (self))
    {
      exchange_internal (self, api_key, cancellable, send_exchanged_cb, g_steal_pointer (&task));
      return;
    }

  send_call (g_steal_pointer (&task));
}

void
kg_token_client_send_async (KgTokenClient       *self,
                            const char          *api_key,
                            KgHttpRequest       *request,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (KG_IS_TOKEN_CLIENT (self));
  g_return_if_fail (request != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  send_internal (self, api_key, request, TRUE, cancellable, callback, user_data);
}

void
kg_token_client_send_unrecorded_async (KgTokenClient       *self,
                                       const char          *api_key,
                                       KgHttpRequest       *request,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_return_if_fail (KG_IS_TOKEN_CLIENT (self));
  g_return_if_fail (request != NULL);

  send_internal (self, api_key, request, FALSE, cancellable, callback, user_data);
}

KgExchange *
kg_token_client_send_finish (KgTokenClient  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (KG_IS_TOKEN_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
