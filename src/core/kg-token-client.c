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

/* Re-exchange this long before the token expires (at most half its life). */
#define EXPIRY_MARGIN_US (30 * G_USEC_PER_SEC)


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

void
_kg_token_client_set_token (KgTokenClient *self,
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

  if (!_kg_token_client_exchange_finish (KG_TOKEN_CLIENT (source), result, &error))
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
      _kg_token_client_exchange (self, data->api_key, g_task_get_cancellable (task),
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
      _kg_token_client_exchange (self, api_key, cancellable, send_exchanged_cb, g_steal_pointer (&task));
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
