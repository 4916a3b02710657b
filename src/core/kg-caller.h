/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kg-call-result.h"
#include "kg-http.h"
#include "kg-model-call.h"
#include "kg-profile.h"
#include "kg-route.h"
#include "kg-token-client.h"

G_BEGIN_DECLS

#define KG_TYPE_CALLER (kg_caller_get_type ())
G_DECLARE_FINAL_TYPE (KgCaller, kg_caller, KG, CALLER, GObject)

/* Sends one model call or one HTTP route through one connection's
 * credentials (the request workbench, `keygate-cli call` / `request`).
 *
 * Model calls: JSON-RPC execute_kw (authenticate once per API key for the
 * caller's lifetime, the uid kept in memory; authenticate again once when
 * execute_kw answers access-denied or session-expired), or, for a token
 * profile with the json2 preset, POST /json/2/<model>/<method> with the
 * key as bearer (kg_model_call_to_json2_body).
 *
 * Routes: auth "none" sends nothing secret; "api-key" sends the key as
 * the token spec sends it on calls when the spec has no exchange, else in
 * the spec's key header (X-API-Key by default) with the database header;
 * "token" goes through the token client (exchange, renewal, one retry after
 * a 401).
 *
 * Every exchange is recorded with kg_http_record (history, redacted).
 * The _finish functions return NULL with an error only when nothing was
 * sent (a usage error, a refused origin, no key) or when the operation was
 * cancelled; once something was sent, a KgCallResult says how it went. */
KgCaller      *kg_caller_new                  (KgHttp              *http,
                                               KgProfile           *profile,
                                               KgTokenClient       *token_client);
KgProfile     *kg_caller_get_profile          (KgCaller            *self);
/* Whether model calls go over JSON-2 (a token profile whose token spec is
 * the json2 preset) rather than JSON-RPC. */
gboolean       kg_caller_uses_json2           (KgCaller            *self);

void           kg_caller_call_model_async     (KgCaller            *self,
                                               const char          *api_key,
                                               KgModelCall         *call,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
KgCallResult  *kg_caller_call_model_finish    (KgCaller            *self,
                                               GAsyncResult        *result,
                                               GError             **error);

/* @api_key may be NULL for auth "none". */
void           kg_caller_send_route_async     (KgCaller            *self,
                                               const char          *api_key,
                                               KgRoute             *route,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
KgCallResult  *kg_caller_send_route_finish    (KgCaller            *self,
                                               GAsyncResult        *result,
                                               GError             **error);

G_END_DECLS
