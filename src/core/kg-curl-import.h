/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "kg-exchange.h"

G_BEGIN_DECLS

/* Turns a curl command line into a collection request: {"name": …,
 * "http": {…}} or, for an Odoo model call (POST /jsonrpc execute_kw,
 * POST /json/2/<model>/<method>), {"name": …, "call": {…}}.
 *
 * @base_url (nullable) is the connection's URL: a URL under it becomes a
 * relative path. Credentials written as "$ODOO_API_KEY" / "$ODOO_TOKEN"
 * become "auth"; a literal secret is dropped, never copied, and a
 * sentence saying so is added to @warnings (nullable out: a new array of
 * char*, possibly empty). Options that are not understood, multipart
 * forms, user passwords, a missing URL or text that is not a command are
 * KG_ERROR_INVALID_INPUT. Returns a new object, or NULL with @error. */
JsonObject *kg_curl_import                     (const char   *command_line,
                                                const char   *base_url,
                                                GPtrArray   **warnings,
                                                GError      **error);

/* The same conversion from a recorded (redacted) exchange: "save a history
 * entry into a collection". Placeholders (<API_KEY>, <TOKEN>) become
 * "auth"; nothing secret is copied. */
JsonObject *kg_exchange_to_collection_request  (KgExchange   *exchange,
                                                const char   *base_url,
                                                GPtrArray   **warnings,
                                                GError      **error);

G_END_DECLS
