/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "kg-exchange.h"
#include "kg-http-request.h"
#include "kg-redact.h"

G_BEGIN_DECLS

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
