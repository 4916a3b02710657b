/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Requests page's collection: the list of its requests beside the
 * editor (edits go into the selected one), New, Add / Duplicate / Remove /
 * Rename, Run All with ✓ or ✗ and the reason per request. Opening and
 * saving files is kg-requests-page-files.c. The collection itself (files,
 * variables, runs) is the core's KgCollection. */
#define G_LOG_DOMAIN "keygate-app"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "keygate-core.h"
#include "kg-request-row.h"
#include "kg-requests-page-private.h"

typedef struct
{
  KgRequestRowState  state;
  char              *reason;
  KgCallResult      *result;      /* nullable */
} RunResult;

static void
run_result_free (gpointer data)
{
  RunResult *result = data;

  g_free (result->reason);
  g_clear_object (&result->result);
  g_free (result);
}

/* The core's collection ---------------------------------------------------- */

static KgCollection *
collection_new (void)
{
  return kg_collection_new (NULL);
}

static JsonObject *
collection_request_dup_json (gpointer item)
{
  return kg_collection_request_to_json (KG_COLLECTION_REQUEST (item));
}

/* The editor changes the name and what is sent; capture and expect are
 * kept as they were. */
static gboolean
collection_request_set_json (gpointer     item,
                             JsonObject  *json,
                             GError     **error)
{
  KgCollectionRequest *request = KG_COLLECTION_REQUEST (item);
  JsonNode *http = json_object_get_member (json, "http");
  const char *name = NULL;

  kg_json_read_string (json, "name", FALSE, &name, NULL);
  if (http != NULL && JSON_NODE_HOLDS_OBJECT (http))
    {
      if (!kg_collection_request_set_body (request, KG_REQUEST_KIND_HTTP,
                                           json_node_get_object (http), error))
        return FALSE;
    }
  else if (!kg_collection_request_set_body (request, KG_REQUEST_KIND_CALL,
                                            json_object_get_object_member (json, "call"),
                                            error))
    return FALSE;
  if (name != NULL)
    kg_collection_request_set_name (request, name);
  return TRUE;
}

static gboolean
collection_insert (KgCollection  *collection,
                   guint          position,
                   JsonObject    *json,
                   GError       **error)
{
  g_autoptr(KgCollectionRequest) request = kg_collection_request_new_from_json (json, error);

  if (request == NULL)
    return FALSE;
  kg_collection_insert_request (collection, position, request);
  return TRUE;
}

static void
collection_remove (KgCollection *collection,
                   guint         position)
{
  kg_collection_remove_request (collection, position);
}


/* What is shown ------------------------------------------------------------ */

static gpointer
selected_item (KgRequestsPage *self)
{
  return gtk_single_selection_get_selected_item (self->selection);
}

char *
kg_requests_page_dup_collection_title (KgRequestsPage *self)
{
  g_autofree char *basename = NULL;
  const char *name = kg_collection_get_name (self->collection);
  GFile *file = kg_collection_get_file (self->collection);

  if (name != NULL && name[0] != '\0')
    return kg_text_escape_controls (name);
  if (file != NULL)
    {
      basename = g_file_get_basename (file);
      return kg_text_escape_controls (basename);
    }
  return g_strdup (_("New collection"));
}

static void
update_collection_state (KgRequestsPage *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean have = self->collection != NULL;
  gboolean selected = have && selected_item (self) != NULL;
  gboolean busy = kg_page_get_busy (KG_PAGE (self));
  guint n = have ? g_list_model_get_n_items (G_LIST_MODEL (self->selection)) : 0;

  if (have)
    {
      g_autofree char *title = kg_requests_page_dup_collection_title (self);
      g_autofree char *shown = self->dirty ? g_strdup_printf ("%s •", title) : g_strdup (title);

      gtk_label_set_label (self->title_label, shown);
    }
  else
    gtk_label_set_label (self->title_label, _("Request"));

  gtk_widget_set_visible (GTK_WIDGET (self->sidebar_button), have);
  if (!have)
    kg_requests_page_reveal_sidebar (self, FALSE);
  gtk_widget_action_set_enabled (widget, "page.save", have);
  gtk_widget_action_set_enabled (widget, "page.save-as", have);
  gtk_widget_action_set_enabled (widget, "page.edit-variables", have);
  gtk_widget_action_set_enabled (widget, "page.add-request", have);
  gtk_widget_action_set_enabled (widget, "page.duplicate-request", selected);
  gtk_widget_action_set_enabled (widget, "page.remove-request", selected);
  gtk_widget_action_set_enabled (widget, "page.rename-request", selected);
  gtk_widget_action_set_enabled (widget, "page.run-all",
                                 n > 0 && !busy && kg_page_get_profile (KG_PAGE (self)) != NULL &&
                                 kg_page_get_context (KG_PAGE (self)) != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->run_cancel_button), self->run_cancellable != NULL);
}

void
kg_requests_page_set_dirty (KgRequestsPage *self,
                            gboolean        dirty)
{
  self->dirty = dirty;
  update_collection_state (self);
}

static void
refresh_row (KgRequestsPage *self,
             gpointer        item)
{
  KgRequestRow *row = g_hash_table_lookup (self->rows, item);
  RunResult *result = g_hash_table_lookup (self->results, item);
  g_autoptr(JsonObject) json = NULL;

  if (row == NULL)
    return;
  json = collection_request_dup_json (item);
  kg_request_row_set_request (row, json);
  kg_request_row_set_state (row, result ? result->state : KG_REQUEST_ROW_IDLE,
                            result ? result->reason : NULL);
}

static void
show_result (KgRequestsPage *self,
             RunResult      *result)
{
  KgCallResult *outcome = result ? result->result : NULL;

  if (outcome == NULL)
    kg_response_view_clear (self->response_view);
  else if (!kg_call_result_get_ok (outcome))
    kg_response_view_set_error (self->response_view, kg_call_result_get_error (outcome));
  else
    kg_response_view_set_exchange (self->response_view, kg_call_result_get_exchange (outcome));
}

static void
show_selected (KgRequestsPage *self)
{
  gpointer item = selected_item (self);
  g_autoptr(JsonObject) json = NULL;

  update_collection_state (self);
  if (item == NULL)
    return;
  json = collection_request_dup_json (item);
  self->applying++;
  kg_request_editor_set_request (self->editor, json);
  self->applying--;
  if (!kg_page_get_busy (KG_PAGE (self)))
    show_result (self, g_hash_table_lookup (self->results, item));
  kg_requests_page_update_state (self);
}

void
kg_requests_page_collection_edited (KgRequestsPage *self)
{
  g_autoptr(JsonObject) json = NULL;
  g_autoptr(GError) error = NULL;
  gpointer item;

  if (self->collection == NULL || self->applying > 0)
    return;
  item = selected_item (self);
  /* The collection keeps the last version that can be sent. */
  if (item == NULL || !kg_request_editor_get_valid (self->editor))
    return;

  json = kg_request_editor_dup_request (self->editor);
  if (!collection_request_set_json (item, json, &error))
    {
      g_debug ("The edit was not taken: %s", error->message);
      return;
    }
  refresh_row (self, item);
  kg_requests_page_set_dirty (self, TRUE);
}

KgVariables *
kg_requests_page_dup_variables (KgRequestsPage *self)
{
  KgVariables *variables;

  if (self->collection == NULL)
    return NULL;
  variables = self->variables != NULL ? g_object_ref (self->variables) : kg_variables_new ();
  /* The collection's own and the session's may have changed since. */
  kg_variables_clear_layer (variables, KG_VARIABLES_COLLECTION);
  kg_variables_set_all (variables, KG_VARIABLES_COLLECTION,
                        kg_collection_get_variables (self->collection));
  kg_variables_clear_layer (variables, KG_VARIABLES_OVERRIDE);
  if (self->session_values != NULL)
    kg_variables_set_all (variables, KG_VARIABLES_OVERRIDE, self->session_values);
  return variables;
}

void
kg_requests_page_collection_sent (KgRequestsPage *self,
                                  KgCallResult   *result)
{
  gpointer item = self->collection ? selected_item (self) : NULL;
  g_autoptr(KgVariables) variables = NULL;
  g_autoptr(GPtrArray) failures = NULL;
  g_autoptr(GString) reason = NULL;
  RunResult *entry;

  if (item == NULL || result == NULL)
    return;

  /* Checked as a run checks it, captures included: they are kept for the
   * requests sent after it. */
  variables = kg_requests_page_dup_variables (self);
  failures = kg_collection_run_check_result (item, result, variables);
  g_set_object (&self->variables, variables);

  reason = g_string_new (NULL);
  for (guint i = 0; i < failures->len; i++)
    g_string_append_printf (reason, "%s%s", i > 0 ? "\n" : "",
                            (const char *) g_ptr_array_index (failures, i));
  entry = g_new0 (RunResult, 1);
  entry->state = reason->len == 0 ? KG_REQUEST_ROW_PASSED : KG_REQUEST_ROW_FAILED;
  entry->reason = reason->len > 0 ? g_strdup (reason->str) : NULL;
  entry->result = g_object_ref (result);
  g_hash_table_replace (self->results, item, entry);
  refresh_row (self, item);
}

/* Replaces the collection (@collection: transfer full, nullable). */
void
kg_requests_page_set_collection (KgRequestsPage *self,
                                 KgCollection   *collection,
                                 gboolean        dirty)
{
  kg_page_cancel_operation (KG_PAGE (self));
  g_hash_table_remove_all (self->results);
  g_clear_object (&self->variables);
  g_clear_pointer (&self->session_values, json_object_unref);
  g_set_object (&self->collection, collection);
  g_clear_object (&collection);
  gtk_single_selection_set_model (self->selection,
                                  self->collection != NULL
                                  ? kg_collection_get_requests (self->collection)
                                  : NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->run_summary_label), FALSE);
  self->dirty = dirty;
  if (self->collection != NULL)
    gtk_single_selection_set_selected (self->selection, 0);
  show_selected (self);
  if (self->collection != NULL)
    kg_requests_page_reveal_sidebar (self, TRUE);
}

/* libadwaita 1.2's AdwFlap, asked to animate while mapped but before its
 * first allocation (the page was just built and a collection opened at
 * once), takes a NaN reveal progress and allocates its content
 * -2147483648 pixels wide (a critical warning, and a broken layout). The
 * reveal waits for the flap's first size instead. */
static gboolean
reveal_when_sized_cb (GtkWidget     *flap,
                      GdkFrameClock *clock,
                      gpointer       user_data)
{
  KgRequestsPage *self = user_data;

  if (gtk_widget_get_width (flap) == 0)
    return G_SOURCE_CONTINUE;
  self->reveal_tick = 0;
  adw_flap_set_reveal_flap (self->flap, self->reveal_pending);
  return G_SOURCE_REMOVE;
}

void
kg_requests_page_reveal_sidebar (KgRequestsPage *self,
                                 gboolean        reveal)
{
  GtkWidget *flap = GTK_WIDGET (self->flap);

  self->reveal_pending = reveal;
  if (self->reveal_tick != 0)
    return;
  if (gtk_widget_get_mapped (flap) && gtk_widget_get_width (flap) == 0)
    self->reveal_tick = gtk_widget_add_tick_callback (flap, reveal_when_sized_cb, self, NULL);
  else
    adw_flap_set_reveal_flap (self->flap, reveal);
}

static void
selection_changed_cb (KgRequestsPage *self)
{
  show_selected (self);
  /* Folded, the list covers the editor: the request picked is what the
   * user wants to see now. */
  if (adw_flap_get_folded (self->flap))
    kg_requests_page_reveal_sidebar (self, FALSE);
}

/* Rows ---------------------------------------------------------------------- */

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  gtk_list_item_set_child (list_item, kg_request_row_new ());
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             gpointer                  user_data)
{
  KgRequestsPage *self = user_data;
  gpointer item = gtk_list_item_get_item (list_item);

  g_hash_table_replace (self->rows, item, gtk_list_item_get_child (list_item));
  refresh_row (self, item);
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  KgRequestsPage *self = user_data;
  gpointer item = gtk_list_item_get_item (list_item);

  if (g_hash_table_lookup (self->rows, item) == gtk_list_item_get_child (list_item))
    g_hash_table_remove (self->rows, item);
}

/* Requests ------------------------------------------------------------------ */

void
kg_requests_page_insert_request (KgRequestsPage *self,
                                 JsonObject     *json)
{
  g_autoptr(GError) error = NULL;
  guint position = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  guint selected = gtk_single_selection_get_selected (self->selection);

  if (selected != GTK_INVALID_LIST_POSITION)
    position = selected + 1;
  if (!collection_insert (self->collection, position, json, &error))
    {
      kg_page_toast (KG_PAGE (self), error->message);
      return;
    }
  gtk_single_selection_set_selected (self->selection, position);
  kg_requests_page_set_dirty (self, TRUE);
}

static JsonObject *
new_request_json (void)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *request;

  node = kg_json_parse ("{\"call\": {\"model\": \"project.project\", \"method\": "
                        "\"search_read\", \"args\": [[]], \"kwargs\": {\"fields\": "
                        "[\"name\"], \"limit\": 5}}}", -1, NULL);
  request = json_object_ref (json_node_get_object (node));
  json_object_set_string_member (request, "name", _("New request"));
  return request;
}

static void
new_collection (KgRequestsPage *self,
                gpointer        data)
{
  g_autoptr(JsonObject) json = kg_request_editor_dup_request (self->editor);

  kg_requests_page_set_collection (self, collection_new (), TRUE);
  kg_requests_page_insert_request (self, json);
}

static void
new_collection_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  kg_requests_page_confirm_discard (KG_REQUESTS_PAGE (widget), new_collection, NULL, NULL);
}

static void
save_to_collection_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  KgRequestsPage *self = KG_REQUESTS_PAGE (widget);
  g_autoptr(JsonObject) json = kg_request_editor_dup_request (self->editor);

  if (self->collection == NULL)
    kg_requests_page_set_collection (self, collection_new (), TRUE);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  kg_requests_page_insert_request (self, json);
}

static void
add_request_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  KgRequestsPage *self = KG_REQUESTS_PAGE (widget);
  g_autoptr(JsonObject) json = new_request_json ();

  if (self->collection != NULL)
    kg_requests_page_insert_request (self, json);
}

static void
duplicate_request_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  KgRequestsPage *self = KG_REQUESTS_PAGE (widget);
  gpointer item = self->collection ? selected_item (self) : NULL;
  g_autoptr(JsonObject) json = NULL;
  g_autofree char *name = NULL;
  const char *old_name = NULL;

  if (item == NULL)
    return;
  json = collection_request_dup_json (item);
  kg_json_read_string (json, "name", FALSE, &old_name, NULL);
  /* Translators: the name of a copy of the request named %s */
  name = g_strdup_printf (_("%s (copy)"), old_name ? old_name : "");
  json_object_set_string_member (json, "name", name);
  kg_requests_page_insert_request (self, json);
}

static void
remove_request_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  KgRequestsPage *self = KG_REQUESTS_PAGE (widget);
  guint selected = gtk_single_selection_get_selected (self->selection);
  gpointer item = self->collection ? selected_item (self) : NULL;

  if (item == NULL)
    return;
  g_hash_table_remove (self->results, item);
  g_hash_table_remove (self->rows, item);
  collection_remove (self->collection, selected);
  kg_requests_page_set_dirty (self, TRUE);
  show_selected (self);
}

static void
rename_request_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  KgRequestsPage *self = KG_REQUESTS_PAGE (widget);

  if (adw_flap_get_folded (self->flap))
    kg_requests_page_reveal_sidebar (self, FALSE);
  kg_request_editor_focus_name (self->editor);
}

/* Running ------------------------------------------------------------------- */

/* The page is touched only while @cancellable (the page's operation) is
 * not cancelled: the page cancels it before it goes away. */
typedef struct
{
  KgRequestsPage  *self;
  GCancellable    *cancellable;
  KgCollectionRun *run;
} RunData;

static void
run_data_free (RunData *data)
{
  if (data->run != NULL)
    g_signal_handlers_disconnect_by_data (data->run, data);
  g_clear_object (&data->run);
  g_clear_object (&data->cancellable);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RunData, run_data_free)

static void
set_result (KgRequestsPage    *self,
            guint              index,
            KgRequestRowState  state,
            const char        *reason,
            KgCallResult      *call_result)
{
  g_autoptr(GObject) item = NULL;
  RunResult *entry;

  if (self->collection == NULL ||
      index >= g_list_model_get_n_items (kg_collection_get_requests (self->collection)))
    return;
  item = g_list_model_get_item (kg_collection_get_requests (self->collection), index);
  entry = g_new0 (RunResult, 1);
  entry->state = state;
  entry->reason = g_strdup (reason);
  entry->result = call_result ? g_object_ref (call_result) : NULL;
  g_hash_table_replace (self->results, item, entry);
  refresh_row (self, item);
  if (item == selected_item (self) && state != KG_REQUEST_ROW_RUNNING)
    show_result (self, entry);
}

static void
request_started_cb (KgCollectionRun *run,
                    guint            index,
                    RunData         *data)
{
  if (!g_cancellable_is_cancelled (data->cancellable))
    set_result (data->self, index, KG_REQUEST_ROW_RUNNING, NULL, NULL);
}

/* Why a request did not pass: what was not as expected, or why it failed. */
static char *
dup_reason (KgRequestOutcome *outcome)
{
  const char * const *failures = kg_request_outcome_get_failures (outcome);
  g_autoptr(GString) reason = g_string_new (NULL);

  /* The failures quote the error already when there are some. */
  if (failures == NULL || failures[0] == NULL)
    return g_strdup (kg_request_outcome_get_error_message (outcome));
  for (guint i = 0; failures[i] != NULL; i++)
    {
      if (reason->len > 0)
        g_string_append_c (reason, '\n');
      g_string_append (reason, failures[i]);
    }
  return g_string_free (g_steal_pointer (&reason), FALSE);
}

static void
request_finished_cb (KgCollectionRun  *run,
                     guint             index,
                     KgRequestOutcome *outcome,
                     RunData          *data)
{
  g_autofree char *reason = NULL;
  gboolean passed;

  if (g_cancellable_is_cancelled (data->cancellable))
    return;
  passed = kg_request_outcome_get_passed (outcome);
  reason = passed ? NULL : dup_reason (outcome);
  set_result (data->self, index, passed ? KG_REQUEST_ROW_PASSED : KG_REQUEST_ROW_FAILED, reason,
              kg_request_outcome_get_call_result (outcome));
}

static void
run_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(RunData) data = user_data;
  KgRequestsPage *self = data->self;
  g_autofree char *summary = NULL;
  guint passed = 0;
  guint failed = 0;

  kg_collection_run_start_finish (KG_COLLECTION_RUN (source), result, &passed, &failed, NULL);
  if (g_cancellable_is_cancelled (data->cancellable))
    return;
  kg_page_end_operation (KG_PAGE (self), data->cancellable);
  /* Translators: how many requests of a collection run passed and failed */
  summary = g_strdup_printf (_("Passed: %u · Failed: %u"), passed, failed);
  gtk_label_set_label (self->run_summary_label, summary);
  gtk_widget_set_visible (GTK_WIDGET (self->run_summary_label), TRUE);
}

static void
run_key_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(RunData) data = user_data;
  g_autoptr(KgSecretString) key = NULL;
  g_autoptr(GError) error = NULL;
  KgRequestsPage *self = data->self;
  GCancellable *cancellable;
  KgCollectionRun *run;

  key = kg_keyring_lookup_finish (result, &error);
  if (g_cancellable_is_cancelled (data->cancellable))
    return;
  if (key == NULL)
    {
      kg_page_end_operation (KG_PAGE (self), data->cancellable);
      kg_response_view_set_error (self->response_view, error);
      kg_page_report_error (KG_PAGE (self), error);
      return;
    }

  data->run = kg_collection_run_new (self->collection, kg_requests_page_ensure_caller (self), key);
  /* What it captures stays for sending one request after it. */
  g_set_object (&self->variables, kg_collection_run_get_variables (data->run));
  if (self->session_values != NULL)
    kg_variables_set_all (self->variables, KG_VARIABLES_OVERRIDE, self->session_values);
  g_signal_connect (data->run, "request-started", G_CALLBACK (request_started_cb), data);
  g_signal_connect (data->run, "request-finished", G_CALLBACK (request_finished_cb), data);
  /* Argument order is unspecified: read everything before stealing data. */
  cancellable = data->cancellable;
  run = data->run;
  kg_collection_run_start_async (run, cancellable, run_done_cb, g_steal_pointer (&data));
}

static void
run_all_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  KgRequestsPage *self = KG_REQUESTS_PAGE (widget);
  KgPage *page = KG_PAGE (widget);
  GHashTableIter iter;
  gpointer item;
  RunData *data;

  if (self->collection == NULL || kg_page_get_busy (page) || kg_page_get_profile (page) == NULL ||
      kg_page_get_context (page) == NULL)
    return;

  g_hash_table_remove_all (self->results);
  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, &item, NULL))
    refresh_row (self, item);
  gtk_widget_set_visible (GTK_WIDGET (self->run_summary_label), FALSE);
  kg_response_view_clear (self->response_view);

  data = g_new0 (RunData, 1);
  data->self = self;
  data->cancellable = g_object_ref (kg_page_begin_operation (page));
  g_set_object (&self->run_cancellable, data->cancellable);
  update_collection_state (self);
  kg_keyring_lookup_async (kg_page_get_profile (page), data->cancellable, run_key_cb, data);
}

/* The run ended, or was stopped (Stop, Cancel, another connection): the
 * requests it did not reach say so. */
static void
busy_changed_cb (KgRequestsPage *self)
{
  GHashTableIter iter;
  gpointer item;
  RunResult *entry;

  if (kg_page_get_busy (KG_PAGE (self)) || self->run_cancellable == NULL)
    {
      update_collection_state (self);
      return;
    }
  g_clear_object (&self->run_cancellable);
  g_hash_table_iter_init (&iter, self->results);
  while (g_hash_table_iter_next (&iter, &item, (gpointer *) &entry))
    if (entry->state == KG_REQUEST_ROW_RUNNING)
      {
        entry->state = KG_REQUEST_ROW_SKIPPED;
        refresh_row (self, item);
      }
  update_collection_state (self);
}


static void
run_cancel_clicked_cb (KgRequestsPage *self)
{
  kg_page_cancel_operation (KG_PAGE (self));
}

/* Setup --------------------------------------------------------------------- */

void
kg_requests_page_collection_init (KgRequestsPage *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  self->results = g_hash_table_new_full (NULL, NULL, NULL, run_result_free);
  self->rows = g_hash_table_new (NULL, NULL);
  self->selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->selection, TRUE);
  g_signal_connect_object (self->selection, "notify::selected",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row_cb), self);
  gtk_list_view_set_factory (self->request_list, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->request_list, GTK_SELECTION_MODEL (self->selection));

  g_signal_connect (self, "notify::busy", G_CALLBACK (busy_changed_cb), NULL);
  g_signal_connect (self, "notify::profile", G_CALLBACK (update_collection_state), NULL);
  update_collection_state (self);
}

void
kg_requests_page_collection_constructed (KgRequestsPage *self)
{
  update_collection_state (self);
}

void
kg_requests_page_collection_dispose (KgRequestsPage *self)
{
  if (self->reveal_tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->flap), self->reveal_tick);
  self->reveal_tick = 0;
  if (self->request_list != NULL)
    gtk_list_view_set_model (self->request_list, NULL);
  g_clear_object (&self->selection);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_clear_pointer (&self->results, g_hash_table_unref);
  g_clear_object (&self->collection);
  g_clear_object (&self->variables);
  g_clear_pointer (&self->session_values, json_object_unref);
  g_clear_object (&self->run_cancellable);
}

void
kg_requests_page_collection_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, run_cancel_clicked_cb);

  gtk_widget_class_install_action (widget_class, "page.new-collection", NULL,
                                   new_collection_action);
  gtk_widget_class_install_action (widget_class, "page.save-to-collection", NULL,
                                   save_to_collection_action);
  gtk_widget_class_install_action (widget_class, "page.add-request", NULL, add_request_action);
  gtk_widget_class_install_action (widget_class, "page.duplicate-request", NULL,
                                   duplicate_request_action);
  gtk_widget_class_install_action (widget_class, "page.remove-request", NULL,
                                   remove_request_action);
  gtk_widget_class_install_action (widget_class, "page.rename-request", NULL,
                                   rename_request_action);
  gtk_widget_class_install_action (widget_class, "page.run-all", NULL, run_all_action);
}
