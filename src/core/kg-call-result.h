/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "kg-exchange.h"

G_BEGIN_DECLS

#define KG_TYPE_CALL_RESULT (kg_call_result_get_type ())
G_DECLARE_FINAL_TYPE (KgCallResult, kg_call_result, KG, CALL_RESULT, GObject)

/* The outcome of one model call or HTTP route that was sent (KgCaller).
 * Immutable; made only by the core.
 *   ok:          the call succeeded;
 *   error:       why it failed (KG_ERROR, with the extended data of
 *                kg-error.h), NULL when ok;
 *   error_kind:  the error's kind nick ("access-denied", …), NULL when ok;
 *   status:      HTTP status of the main call, 0 when it was not sent (the
 *                authenticate or token exchange step failed) or got no
 *                response;
 *   json:        what JSON paths read: for a model call {"result": …} when
 *                ok, {"error": {"kind", "message", "server_message"}}
 *                when not; for a route the parsed body, NULL when the body
 *                is not JSON;
 *   body_text:   the response body as text (redacted), NULL without one;
 *   elapsed_us:  from sending to the answer of the whole call, the
 *                authenticate / token exchange steps included;
 *   exchange:    the main call's recorded exchange (redacted), or the
 *                exchange of the step that failed; NULL when none. */
gboolean      kg_call_result_get_ok         (KgCallResult *self);
const GError *kg_call_result_get_error      (KgCallResult *self);
const char   *kg_call_result_get_error_kind (KgCallResult *self);
guint         kg_call_result_get_status     (KgCallResult *self);
JsonNode     *kg_call_result_get_json       (KgCallResult *self);
const char   *kg_call_result_get_body_text  (KgCallResult *self);
gint64        kg_call_result_get_elapsed_us (KgCallResult *self);
KgExchange   *kg_call_result_get_exchange   (KgCallResult *self);

G_END_DECLS
