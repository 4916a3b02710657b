/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kg-call-result.h"

G_BEGIN_DECLS

#define KG_TYPE_REQUEST_OUTCOME (kg_request_outcome_get_type ())
G_DECLARE_FINAL_TYPE (KgRequestOutcome, kg_request_outcome, KG, REQUEST_OUTCOME, GObject)

/* How one request of a collection run went (immutable). Properties:
 * "index", "name", "passed", "elapsed-us", "status", "error-message",
 * "call-result".
 *   passed:        sent, and every expectation met;
 *   status:        HTTP status of the main call (0: none);
 *   error_message: why the call failed, or why it was not sent (an unknown
 *                  variable, a bad call), NULL when the call succeeded;
 *   failures:      the sentences of what was not as expected (empty when
 *                  passed);
 *   call_result:   what the sent call gave, NULL when nothing was sent. */
KgRequestOutcome   *kg_request_outcome_new               (guint              index,
                                                          const char        *name,
                                                          KgCallResult      *call_result,
                                                          const char        *error_message,
                                                          GPtrArray         *failures);
guint               kg_request_outcome_get_index         (KgRequestOutcome  *self);
const char         *kg_request_outcome_get_name          (KgRequestOutcome  *self);
gboolean            kg_request_outcome_get_passed        (KgRequestOutcome  *self);
gint64              kg_request_outcome_get_elapsed_us    (KgRequestOutcome  *self);
guint               kg_request_outcome_get_status        (KgRequestOutcome  *self);
const char         *kg_request_outcome_get_error_message (KgRequestOutcome  *self);
/* NULL-terminated, owned by the outcome. */
const char * const *kg_request_outcome_get_failures      (KgRequestOutcome  *self);
KgCallResult       *kg_request_outcome_get_call_result   (KgRequestOutcome  *self);

G_END_DECLS
