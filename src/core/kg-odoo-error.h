/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "kg-exchange.h"

G_BEGIN_DECLS

/* Classifies a JSON-RPC response (any /jsonrpc or type='json' route).
 * Returns the "result" member (a copy) or NULL with @error set. Sets the
 * error on the exchange too. Shared by kg-odoo-rpc and kg-session-login.
 * See kg-odoo-rpc.h for the kinds. */
JsonNode *kg_odoo_classify_jsonrpc    (KgExchange    *exchange,
                                       GError       **error);
/* HTTP 429 from any route: KG_ERROR_TOO_MANY_ATTEMPTS (the idea of Odoo's
 * login cooldown) with the status, the server's message and the wait the
 * Retry-After header asks for in the message and the remedy. */
GError   *kg_odoo_rate_limited_error  (KgExchange    *exchange,
                                       const char    *server_message);
/* Replaces the message of @error by @message. */
void      kg_odoo_error_set_message   (GError        *error,
                                       const char    *message);
/* Stores a copy of @error on @exchange without the exchange itself
 * attached (which would make a reference cycle). */
void      kg_odoo_exchange_set_error  (KgExchange    *exchange,
                                       const GError  *error);

G_END_DECLS
