/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "kg-exchange.h"
#include "kg-redact.h"

G_BEGIN_DECLS

typedef enum {
  KG_TLS_POLICY_VERIFY,          /* default: certificate must be valid */
  KG_TLS_POLICY_ACCEPT_INVALID,  /* testing servers with self-signed certificates */
} KgTlsPolicy;

#define KG_HTTP_DEFAULT_MAX_BODY (50 * 1024 * 1024)
#define KG_HTTP_DEFAULT_TIMEOUT  30

/* A request to send: opaque, reference counted. */
typedef struct _KgHttpRequest KgHttpRequest;

KgHttpRequest *kg_http_request_new            (const char    *method,
                                               const char    *url);
KgHttpRequest *kg_http_request_ref            (KgHttpRequest *self);
void           kg_http_request_unref          (KgHttpRequest *self);
void           kg_http_request_set_header     (KgHttpRequest *self,
                                               const char    *name,
                                               const char    *value);
/* Serialises @body as the request body, Content-Type application/json. */
void           kg_http_request_set_json_body  (KgHttpRequest *self,
                                               JsonNode      *body);
void           kg_http_request_set_body       (KgHttpRequest *self,
                                               const char    *content_type,
                                               GBytes        *body);
/* Values to redact wherever they appear in the recorded exchange. */
void           kg_http_request_add_secret     (KgHttpRequest *self,
                                               KgSecretKind   kind,
                                               const char    *value);
KgSecrets     *kg_http_request_get_secrets    (KgHttpRequest *self);
void           kg_http_request_set_timeout    (KgHttpRequest *self,
                                               guint          seconds);
void           kg_http_request_set_tls_policy (KgHttpRequest *self,
                                               KgTlsPolicy    policy);
void           kg_http_request_set_max_body   (KgHttpRequest *self,
                                               gsize          max_bytes);
void           kg_http_request_set_label      (KgHttpRequest *self,
                                               const char    *label);
void           kg_http_request_set_step       (KgHttpRequest *self,
                                               const char    *step);
void           kg_http_request_set_profile_id (KgHttpRequest *self,
                                               const char    *profile_id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KgHttpRequest, kg_http_request_unref)

#define KG_TYPE_HTTP (kg_http_get_type ())
G_DECLARE_FINAL_TYPE (KgHttp, kg_http, KG, HTTP, GObject)

/* The process-wide client (one SoupSession). */
KgHttp        *kg_http_get_default            (void);
KgHttp        *kg_http_new                    (void);

/* Sends the request. On any HTTP response (any status) the exchange is
 * returned; the caller classifies the status and body. Transport failures
 * are KG_ERROR_NETWORK / TLS / TIMEOUT / RESPONSE_TOO_LARGE, or
 * G_IO_ERROR_CANCELLED; their error carries the exchange
 * (kg_error_get_exchange). A redirect to another origin is followed without
 * Authorization, X-API-Key, Cookie or other secret headers. */
void           kg_http_send_async             (KgHttp              *self,
                                               KgHttpRequest       *request,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
KgExchange    *kg_http_send_finish            (KgHttp              *self,
                                               GAsyncResult        *result,
                                               GError             **error);

/* Records a finished, classified exchange: appends it to the history (when
 * one is set) and emits ::exchange-recorded. Every flow calls this once per
 * exchange, after kg_exchange_set_error/set_record_id. */
void           kg_http_record                 (KgHttp              *self,
                                               KgExchange          *exchange);

/* The history that kg_http_record appends to (NULL: none). */
void           kg_http_set_history            (KgHttp              *self,
                                               GObject             *history);

G_END_DECLS
