/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kg-caller.h"
#include "kg-collection.h"
#include "kg-request-outcome.h"
#include "kg-template.h"

G_BEGIN_DECLS

#define KG_TYPE_COLLECTION_RUN (kg_collection_run_get_type ())
G_DECLARE_FINAL_TYPE (KgCollectionRun, kg_collection_run, KG, COLLECTION_RUN, GObject)

/* One run of a collection's requests, in order, through one KgCaller
 * (one connection: JSON-RPC authenticates once, connections are kept
 * alive). For each request: placeholders are substituted (collection
 * variables < values captured earlier in the run < overrides); a request
 * whose placeholders or shape are wrong fails without anything being sent;
 * the call is sent; when it succeeded, its captures are taken; then its
 * expectations are checked.
 *
 * Signals: ::request-started (guint index) before a request is sent,
 * ::request-finished (guint index, KgRequestOutcome *outcome) after.
 * "outcomes" is a GListModel of KgRequestOutcome that grows as the run
 * goes (for the GUI's live list). */

/* @api_key (may be NULL for collections of auth-none routes only) is
 * copied and wiped when the run is finalized. */
KgCollectionRun *kg_collection_run_new            (KgCollection        *collection,
                                                   KgCaller            *caller,
                                                   const char          *api_key);
/* The run's variables: the collection's are set; add overrides in the
 * KG_VARIABLES_OVERRIDE layer before starting. */
KgVariables     *kg_collection_run_get_variables  (KgCollectionRun     *self);
/* Stop at the first request that does not pass. */
void             kg_collection_run_set_bail       (KgCollectionRun     *self,
                                                   gboolean             bail);
gboolean         kg_collection_run_get_bail       (KgCollectionRun     *self);
GListModel      *kg_collection_run_get_outcomes   (KgCollectionRun     *self);

/* Runs once. The callback comes when every request ran (or the run
 * stopped at a failure with bail). */
void             kg_collection_run_start_async    (KgCollectionRun     *self,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
/* FALSE with an error only when the run was cancelled; otherwise the
 * numbers of requests that passed and failed (requests left out by bail
 * count in neither). */
gboolean         kg_collection_run_start_finish   (KgCollectionRun     *self,
                                                   GAsyncResult        *result,
                                                   guint               *passed,
                                                   guint               *failed,
                                                   GError             **error);

/* What a run makes of @request's answer @result: its expectations
 * checked and, when the call succeeded, its captures set in @variables.
 * The failures in order, a capture that found nothing first (a new array,
 * empty when the request passed). Also for a request sent alone. */
GPtrArray       *kg_collection_run_check_result   (KgCollectionRequest *request,
                                                   KgCallResult        *result,
                                                   KgVariables         *variables);

G_END_DECLS
