/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "kg-http.h"
#include "kg-profile.h"

G_BEGIN_DECLS

#define KG_TYPE_TOKEN_CLIENT (kg_token_client_get_type ())
G_DECLARE_FINAL_TYPE (KgTokenClient, kg_token_client, KG, TOKEN_CLIENT, GObject)

/* The custom token module flow for one profile (its KgTokenSpec): exchanges
 * the API key for an access token, keeps the token in memory only with its
 * expiry, re-exchanges shortly before expiry and once after a 401, never in
 * a loop. Properties: has-token (gboolean), token-type, expires-at
 * (GDateTime, nullable), masked-token. Notifies when the token changes. */
KgTokenClient *kg_token_client_new              (KgHttp              *http,
                                                 KgProfile           *profile);
KgProfile     *kg_token_client_get_profile      (KgTokenClient       *self);

void           kg_token_client_exchange_async   (KgTokenClient       *self,
                                                 const char          *api_key,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean       kg_token_client_exchange_finish  (KgTokenClient       *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

gboolean       kg_token_client_has_token        (KgTokenClient       *self);
const char    *kg_token_client_get_token_type   (KgTokenClient       *self);
GDateTime     *kg_token_client_get_expires_at   (KgTokenClient       *self);
/* First 4 and last 4 characters, NULL without a token. */
char          *kg_token_client_dup_masked_token (KgTokenClient       *self);
/* For `keygate-cli token --show-token` and the Token page's Copy only. */
const char    *kg_token_client_peek_token       (KgTokenClient       *self);
void           kg_token_client_forget           (KgTokenClient       *self);
/* The exchange request as it will be sent, secrets masked (for the GUI). */
KgExchange    *kg_token_client_preview_exchange (KgTokenClient       *self);

/* Sends @request with the credentials attached (token, or the key itself for
 * presets without an exchange), exchanging first when needed. Errors name
 * their step ("exchange" or "call") via kg_error_get_step. */
void           kg_token_client_send_async       (KgTokenClient       *self,
                                                 const char          *api_key,
                                                 KgHttpRequest       *request,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
KgExchange    *kg_token_client_send_finish      (KgTokenClient       *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

G_END_DECLS
