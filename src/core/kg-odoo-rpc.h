/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "kg-http.h"
#include "kg-odoo-error.h"
#include "kg-profile.h"

G_BEGIN_DECLS

#define KG_TYPE_ODOO_RPC (kg_odoo_rpc_get_type ())
G_DECLARE_FINAL_TYPE (KgOdooRpc, kg_odoo_rpc, KG, ODOO_RPC, GObject)

/* Odoo's native external API over POST <url>/jsonrpc for one profile.
 * Every exchange is recorded with kg_http_record. Errors (KG_ERROR) follow
 * the exchanges captured from real Odoo 18 and 19 servers
 * (tests/fixtures/odoo-protocol/): error.data.name decides, never error.code (200
 * in Odoo 18, 0 in Odoo 19) nor the HTTP status (always 200):
 *   odoo.exceptions.AccessDenied     → ACCESS_DENIED
 *   odoo.exceptions.AccessError      → ACCESS_ERROR (message kept verbatim)
 *   odoo.exceptions.ValidationError / UserError → VALIDATION
 *   odoo.exceptions.MissingError     → MISSING_RECORD
 *   psycopg2.OperationalError "… does not exist" → UNKNOWN_DATABASE
 *   code 100 / SessionExpiredException → SESSION_EXPIRED
 *   "Too many login failures"        → TOO_MANY_ATTEMPTS
 *   anything else                    → SERVER
 *   non-JSON body (HTML 404, 400 "Invalid JSON data") → NOT_JSON with the
 *   status and the first line of the page; other 4xx/5xx → HTTP_STATUS. */
KgOdooRpc   *kg_odoo_rpc_new                  (KgHttp              *http,
                                               KgProfile           *profile);
KgProfile   *kg_odoo_rpc_get_profile          (KgOdooRpc           *self);
KgHttp      *kg_odoo_rpc_get_http             (KgOdooRpc           *self);
/* The step (kg_exchange_get_step) of the requests sent from now on, e.g.
 * KG_EXCHANGE_STEP_PROBE; NULL for none. */
void         kg_odoo_rpc_set_step             (KgOdooRpc           *self,
                                               const char          *step);
/* The last exchange this object recorded (NULL before the first). */
KgExchange  *kg_odoo_rpc_get_last_exchange    (KgOdooRpc           *self);

/* Generic call: {"service":…,"method":…,"args":…}. @secret (nullable) is
 * redacted from the recorded exchange as @secret_kind. Returns "result". */
void         kg_odoo_rpc_call_async           (KgOdooRpc           *self,
                                               const char          *service,
                                               const char          *method,
                                               JsonArray           *args,
                                               const char          *secret,
                                               KgSecretKind         secret_kind,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
JsonNode    *kg_odoo_rpc_call_finish          (KgOdooRpc           *self,
                                               GAsyncResult        *result,
                                               GError             **error);

/* common.version → the result object (server_version, server_version_info,
 * server_serie, protocol_version). */
void         kg_odoo_rpc_version_async        (KgOdooRpc           *self,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
JsonObject  *kg_odoo_rpc_version_finish       (KgOdooRpc           *self,
                                               GAsyncResult        *result,
                                               GError             **error);
/* 18 for "18.0-20250702", 0 when unknown. */
int          kg_odoo_version_major            (JsonObject          *version);

/* common.authenticate(db, login, secret, {}) → uid > 0. A `false` result is
 * KG_ERROR_ACCESS_DENIED whose message explains that a wrong, revoked or
 * expired key, a key of another login, an unknown login and a 2FA user's
 * password all look the same. */
void         kg_odoo_rpc_authenticate_async   (KgOdooRpc           *self,
                                               const char          *secret,
                                               KgSecretKind         secret_kind,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gint64       kg_odoo_rpc_authenticate_finish  (KgOdooRpc           *self,
                                               GAsyncResult        *result,
                                               GError             **error);

/* object.execute_kw(db, uid, secret, model, method, args, kwargs). */
void         kg_odoo_rpc_execute_kw_async     (KgOdooRpc           *self,
                                               gint64               uid,
                                               const char          *secret,
                                               const char          *model,
                                               const char          *method,
                                               JsonArray           *args,
                                               JsonObject          *kwargs,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
JsonNode    *kg_odoo_rpc_execute_kw_finish    (KgOdooRpc           *self,
                                               GAsyncResult        *result,
                                               GError             **error);

/* POST /web/database/list → the names; ACCESS_DENIED when listing is off. */
void         kg_odoo_rpc_list_databases_async (KgOdooRpc           *self,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
GStrv        kg_odoo_rpc_list_databases_finish (KgOdooRpc          *self,
                                               GAsyncResult        *result,
                                               GError             **error);

/* The id in a create's result: a number, or a list of exactly one number
 * (0 otherwise). */
gint64       kg_odoo_result_get_id            (JsonNode            *result);
G_END_DECLS
