/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

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

G_END_DECLS
