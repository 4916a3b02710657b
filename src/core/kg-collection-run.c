/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Running a collection: requests in order, variables, captures,
 * expectations. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "kg-collection-run.h"
#include "kg-error.h"
#include "kg-expect.h"
#include "kg-json.h"
#include "kg-secret.h"

struct _KgCollectionRun
{
  GObject        parent_instance;
  KgCollection  *collection;
  KgCaller      *caller;
  char          *api_key;
  KgVariables   *variables;
  GListStore    *outcomes;
  gboolean       bail;
  gboolean       started;
};

G_DEFINE_FINAL_TYPE (KgCollectionRun, kg_collection_run, G_TYPE_OBJECT)

enum {
  REQUEST_STARTED,
  REQUEST_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  guint                index;
  guint                passed;
  guint                failed;
  KgCollectionRequest *request;   /* the one in flight */
} RunState;

static void
run_state_free (RunState *state)
{
  g_clear_object (&state->request);
  g_free (state);
}

static void
kg_collection_run_finalize (GObject *object)
{
  KgCollectionRun *self = KG_COLLECTION_RUN (object);

  g_clear_object (&self->collection);
  g_clear_object (&self->caller);
  g_clear_pointer (&self->api_key, kg_secret_free);
  g_clear_object (&self->variables);
  g_clear_object (&self->outcomes);

  G_OBJECT_CLASS (kg_collection_run_parent_class)->finalize (object);
}

static void
kg_collection_run_class_init (KgCollectionRunClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kg_collection_run_finalize;

  signals[REQUEST_STARTED] =
    g_signal_new ("request-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  signals[REQUEST_FINISHED] =
    g_signal_new ("request-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, KG_TYPE_REQUEST_OUTCOME);
}

static void
kg_collection_run_init (KgCollectionRun *self)
{
  self->variables = kg_variables_new ();
  self->outcomes = g_list_store_new (KG_TYPE_REQUEST_OUTCOME);
}

KgCollectionRun *
kg_collection_run_new (KgCollection *collection,
                       KgCaller     *caller,
                       const char   *api_key)
{
  KgCollectionRun *self;

  g_return_val_if_fail (KG_IS_COLLECTION (collection), NULL);
  g_return_val_if_fail (KG_IS_CALLER (caller), NULL);

  self = g_object_new (KG_TYPE_COLLECTION_RUN, NULL);
  self->collection = g_object_ref (collection);
  self->caller = g_object_ref (caller);
  self->api_key = g_strdup (api_key);
  kg_variables_set_all (self->variables, KG_VARIABLES_COLLECTION,
                        kg_collection_get_variables (collection));
  return self;
}

KgVariables *
kg_collection_run_get_variables (KgCollectionRun *self)
{
  g_return_val_if_fail (KG_IS_COLLECTION_RUN (self), NULL);

  return self->variables;
}

void
kg_collection_run_set_bail (KgCollectionRun *self,
                            gboolean         bail)
{
  g_return_if_fail (KG_IS_COLLECTION_RUN (self));

  self->bail = !!bail;
}

gboolean
kg_collection_run_get_bail (KgCollectionRun *self)
{
  g_return_val_if_fail (KG_IS_COLLECTION_RUN (self), FALSE);

  return self->bail;
}

GListModel *
kg_collection_run_get_outcomes (KgCollectionRun *self)
{
  g_return_val_if_fail (KG_IS_COLLECTION_RUN (self), NULL);

  return G_LIST_MODEL (self->outcomes);
}

static void run_next (GTask *task);

/* Records how the request in flight went and goes on with the next. */
static void
finish_request (GTask        *task,
                KgCallResult *call_result,
                const char   *error_message,
                GPtrArray    *failures)
{
  KgCollectionRun *self = g_task_get_source_object (task);
  RunState *state = g_task_get_task_data (task);
  g_autoptr(KgRequestOutcome) outcome = NULL;
  gboolean passed;

  outcome = kg_request_outcome_new (state->index,
                                    kg_collection_request_get_name (state->request),
                                    call_result, error_message, failures);
  passed = kg_request_outcome_get_passed (outcome);
  if (passed)
    state->passed++;
  else
    state->failed++;
  g_list_store_append (self->outcomes, outcome);
  g_signal_emit (self, signals[REQUEST_FINISHED], 0, state->index, outcome);

  g_clear_object (&state->request);
  state->index++;
  if (!passed && self->bail)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  run_next (task);
}

/* A request that could not be sent: its one failure is @message. */
static void
fail_unsent (GTask      *task,
             const char *message)
{
  g_autoptr(GPtrArray) failures = g_ptr_array_new ();

  g_ptr_array_add (failures, (gpointer) message);
  finish_request (task, NULL, message, failures);
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KgCollectionRun *self = g_task_get_source_object (task);
  RunState *state = g_task_get_task_data (task);
  g_autoptr(KgCallResult) call_result = NULL;
  g_autoptr(GPtrArray) failures = NULL;
  g_autoptr(GError) error = NULL;
  const GError *call_error;

  if (kg_collection_request_get_kind (state->request) == KG_REQUEST_KIND_CALL)
    call_result = kg_caller_call_model_finish (KG_CALLER (source), result, &error);
  else
    call_result = kg_caller_send_route_finish (KG_CALLER (source), result, &error);

  if (call_result == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      fail_unsent (task, error->message);
      return;
    }

  call_error = kg_call_result_get_error (call_result);
  failures = kg_collection_run_check_result (state->request, call_result, self->variables);
  finish_request (task, call_result, call_error != NULL ? call_error->message : NULL, failures);
}

static void
run_next (GTask *task)
{
  KgCollectionRun *self = g_task_get_source_object (task);
  RunState *state = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) expanded = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  if (g_task_return_error_if_cancelled (task))
    return;
  if (state->index >= kg_collection_get_n_requests (self->collection))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  state->request = g_object_ref (kg_collection_get_request (self->collection, state->index));
  g_signal_emit (self, signals[REQUEST_STARTED], 0, state->index);

  body = json_node_init_object (json_node_alloc (),
                                kg_collection_request_get_body (state->request));
  expanded = kg_template_expand (body, self->variables, &error);
  if (expanded == NULL)
    {
      fail_unsent (task, error->message);
      return;
    }
  object = json_node_get_object (expanded);

  if (kg_collection_request_get_kind (state->request) == KG_REQUEST_KIND_CALL)
    {
      g_autoptr(KgModelCall) call = kg_model_call_new_from_json (object, &error);

      if (call == NULL)
        {
          fail_unsent (task, error->message);
          return;
        }
      kg_caller_call_model_async (self->caller, self->api_key, call, cancellable, sent_cb,
                                  g_object_ref (task));
    }
  else
    {
      g_autoptr(KgRoute) route = kg_route_new_from_json (object, &error);

      if (route == NULL)
        {
          fail_unsent (task, error->message);
          return;
        }
      kg_caller_send_route_async (self->caller, self->api_key, route, cancellable, sent_cb,
                                  g_object_ref (task));
    }
}

void
kg_collection_run_start_async (KgCollectionRun     *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KG_IS_COLLECTION_RUN (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kg_collection_run_start_async);
  if (self->started)
    {
      g_task_return_new_error (task, KG_ERROR, KG_ERROR_INVALID_INPUT,
                               _("This run has already started: start a new one."));
      return;
    }
  self->started = TRUE;
  g_task_set_task_data (task, g_new0 (RunState, 1), (GDestroyNotify) run_state_free);
  kg_variables_clear_layer (self->variables, KG_VARIABLES_CAPTURED);
  run_next (task);
}

gboolean
kg_collection_run_start_finish (KgCollectionRun  *self,
                                GAsyncResult     *result,
                                guint            *passed,
                                guint            *failed,
                                GError          **error)
{
  RunState *state;

  g_return_val_if_fail (KG_IS_COLLECTION_RUN (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  state = g_task_get_task_data (G_TASK (result));
  if (passed != NULL)
    *passed = state != NULL ? state->passed : 0;
  if (failed != NULL)
    *failed = state != NULL ? state->failed : 0;
  return g_task_propagate_boolean (G_TASK (result), error);
}

GPtrArray *
kg_collection_run_check_result (KgCollectionRequest *request,
                                KgCallResult        *result,
                                KgVariables         *variables)
{
  const GError *call_error;
  g_autoptr(GError) capture_error = NULL;
  KgOutcome outcome = { 0 };
  GPtrArray *failures;

  g_return_val_if_fail (KG_IS_COLLECTION_REQUEST (request), NULL);
  g_return_val_if_fail (KG_IS_CALL_RESULT (result), NULL);
  g_return_val_if_fail (KG_IS_VARIABLES (variables), NULL);

  call_error = kg_call_result_get_error (result);
  outcome.ok = kg_call_result_get_ok (result);
  outcome.error_kind = kg_call_result_get_error_kind (result);
  outcome.error_message = call_error != NULL ? call_error->message : NULL;
  outcome.status = kg_call_result_get_status (result);
  outcome.json = kg_call_result_get_json (result);
  outcome.elapsed_us = kg_call_result_get_elapsed_us (result);

  failures = kg_expect_evaluate (kg_collection_request_get_expect (request), &outcome);
  /* Captures read what a call that succeeded gave. */
  if (outcome.ok
      && !kg_capture_apply (kg_collection_request_get_capture (request), outcome.json, variables,
                            &capture_error))
    g_ptr_array_insert (failures, 0, g_strdup (capture_error->message));
  return failures;
}
