/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The redacted request log (kg_history_get_model, newest first, updated
 * live as requests are recorded) with filters by connection and outcome;
 * activating an entry reopens it in the response view below. "Clear
 * History" asks first. */
#define G_LOG_DOMAIN "keygate-app"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "kg-history-page.h"
#include "kg-history-row.h"
#include "kg-response-view.h"

enum {
  OUTCOME_ALL,
  OUTCOME_SUCCEEDED,
  OUTCOME_FAILED,
};

struct _KgHistoryPage
{
  KgPage              parent_instance;

  GtkSearchEntry     *search_entry;
  AdwComboRow        *connection_row;
  AdwComboRow        *outcome_row;
  GtkButton          *clear_button;
  GtkStack           *list_stack;
  GtkListView        *list_view;
  GtkPaned           *paned;
  GtkWidget          *response_scroller;
  KgResponseView     *response_view;
  GtkWidget          *send_again_button;
  GtkWidget          *open_in_requests_button;
  GtkLabel           *skipped_label;
  GtkWidget          *loading_spinner;

  GCancellable       *cancellable;      /* the load; cancelled on dispose */
  GCancellable       *open_cancellable; /* reading the entry being opened */

  GtkStringList      *connection_names;
  GPtrArray          *connection_ids;   /* parallel to connection_names; [0] = NULL (All) */
  GtkCustomFilter    *filter;
  char               *search;           /* casefolded, or NULL */
  GtkFilterListModel *filtered;
  GtkSingleSelection *selection;
};

G_DEFINE_FINAL_TYPE (KgHistoryPage, kg_history_page, KG_TYPE_PAGE)

static KgHistory *
get_history (KgHistoryPage *self)
{
  KgAppContext *context = kg_page_get_context (KG_PAGE (self));

  return context != NULL ? kg_app_context_get_history (context) : NULL;
}

/* Filtering -------------------------------------------------------------- */

static gboolean
contains_folded (const char *text,
                 const char *search)
{
  g_autofree char *folded = NULL;

  if (text == NULL)
    return FALSE;
  folded = g_utf8_casefold (text, -1);
  return strstr (folded, search) != NULL;
}

/* The search looks at what a row shows: method, label, URL, the outcome
 * in words (and its nick) and the HTTP status. */
static gboolean
matches_search (KgExchange *exchange,
                const char *search)
{
  const char *outcome = kg_exchange_get_outcome (exchange);
  KgErrorCode code;
  char status[16];

  if (contains_folded (kg_exchange_get_method (exchange), search) ||
      contains_folded (kg_exchange_get_label (exchange), search) ||
      contains_folded (kg_exchange_get_url (exchange), search) ||
      contains_folded (outcome, search))
    return TRUE;
  if (g_strcmp0 (outcome, "ok") == 0)
    return contains_folded (_("Succeeded"), search);
  if (outcome != NULL && kg_error_code_from_nick (outcome, &code) &&
      contains_folded (kg_error_code_title (code), search))
    return TRUE;
  g_snprintf (status, sizeof status, "%u", kg_exchange_get_status (exchange));
  return kg_exchange_get_status (exchange) != 0 && strstr (status, search) != NULL;
}

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  KgHistoryPage *self = user_data;
  KgExchange *exchange = item;
  guint connection = adw_combo_row_get_selected (self->connection_row);
  guint outcome = adw_combo_row_get_selected (self->outcome_row);
  gboolean ok = g_strcmp0 (kg_exchange_get_outcome (exchange), "ok") == 0;

  if (outcome == OUTCOME_SUCCEEDED && !ok)
    return FALSE;
  if (outcome == OUTCOME_FAILED && ok)
    return FALSE;
  if (self->search != NULL && !matches_search (exchange, self->search))
    return FALSE;

  if (connection != GTK_INVALID_LIST_POSITION && connection > 0 &&
      connection < self->connection_ids->len)
    {
      const char *id = g_ptr_array_index (self->connection_ids, connection);

      if (g_strcmp0 (kg_exchange_get_profile_id (exchange), id) != 0)
        return FALSE;
    }

  return TRUE;
}

static void
update_empty (KgHistoryPage *self)
{
  gboolean empty = g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) == 0;
  KgHistory *history = get_history (self);
  gboolean any = history != NULL &&
                 g_list_model_get_n_items (kg_history_get_model (history)) > 0;

  gtk_stack_set_visible_child_name (self->list_stack, empty ? "empty" : "list");
  gtk_widget_set_sensitive (GTK_WIDGET (self->clear_button), any);
}

/* A long history is filtered in slices, not in one stall. */
#define INCREMENTAL_FILTER_ABOVE 5000

static void
filter_changed_cb (KgHistoryPage *self)
{
  KgHistory *history;

  if (self->filter == NULL)
    return;
  g_clear_pointer (&self->search, g_free);
  if (self->search_entry != NULL &&
      *gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) != '\0')
    self->search = g_utf8_casefold (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), -1);
  history = get_history (self);
  gtk_filter_list_model_set_incremental (
    self->filtered,
    history != NULL &&
    g_list_model_get_n_items (kg_history_get_model (history)) > INCREMENTAL_FILTER_ABOVE);
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_empty (self);
}

static void
rebuild_connections (KgHistoryPage *self)
{
  g_autofree char *selected_id = NULL;
  KgAppContext *context;
  KgProfileStore *store;
  GListModel *profiles;
  guint selected = adw_combo_row_get_selected (self->connection_row);
  guint new_selected = 0;
  guint n;

  if (selected != GTK_INVALID_LIST_POSITION && selected < self->connection_ids->len)
    selected_id = g_strdup (g_ptr_array_index (self->connection_ids, selected));

  g_ptr_array_set_size (self->connection_ids, 0);
  g_ptr_array_add (self->connection_ids, NULL);
  gtk_string_list_splice (self->connection_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->connection_names)), NULL);
  gtk_string_list_append (self->connection_names, _("All connections"));

  context = kg_page_get_context (KG_PAGE (self));
  store = context != NULL ? kg_app_context_get_store (context) : NULL;
  profiles = store ? G_LIST_MODEL (store) : NULL;
  n = profiles ? g_list_model_get_n_items (profiles) : 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KgProfile) profile = g_list_model_get_item (profiles, i);

      g_ptr_array_add (self->connection_ids, g_strdup (kg_profile_get_id (profile)));
      gtk_string_list_append (self->connection_names, kg_profile_get_name (profile));
      if (g_strcmp0 (selected_id, kg_profile_get_id (profile)) == 0)
        new_selected = i + 1;
    }

  adw_combo_row_set_selected (self->connection_row, new_selected);
  filter_changed_cb (self);
}

/* Rows ------------------------------------------------------------------- */

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  gtk_list_item_set_child (item, kg_history_row_new ());
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  kg_history_row_set_exchange (KG_HISTORY_ROW (gtk_list_item_get_child (item)),
                               gtk_list_item_get_item (item));
}

/* Send Again needs the entry's connection selected: its credentials are
 * injected at send time (the entry holds placeholders, never a secret). */
static void
update_send_again (KgHistoryPage *self)
{
  KgExchange *shown = kg_response_view_get_exchange (self->response_view);
  KgProfile *profile = kg_page_get_profile (KG_PAGE (self));
  gboolean same = shown != NULL && profile != NULL &&
                  g_strcmp0 (kg_exchange_get_profile_id (shown), kg_profile_get_id (profile)) == 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.send-again", same);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.open-in-requests",
                                 shown != NULL && profile != NULL);
  gtk_widget_set_tooltip_text (self->send_again_button,
                               same ? _("Send this request again with the connection’s key")
                                    : _("Select the connection it was sent with to send it "
                                        "again"));
}

/* Open in Requests and Send Again: the entry as a request of the Requests
 * page, sent or not. */
static void
entry_to_requests_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  KgHistoryPage *self = KG_HISTORY_PAGE (widget);
  KgExchange *shown = kg_response_view_get_exchange (self->response_view);
  KgProfile *profile = kg_page_get_profile (KG_PAGE (self));
  g_autoptr(JsonObject) request = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (shown == NULL || profile == NULL)
    return;
  request = kg_exchange_to_collection_request (shown, kg_profile_get_url (profile), NULL, &error);
  if (request == NULL)
    {
      kg_page_report_error (KG_PAGE (self), error);
      return;
    }
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, request);
  text = json_to_string (node, FALSE);
  gtk_widget_activate_action (widget,
                              g_str_equal (action_name, "page.send-again") ? "win.send-request"
                                                                           : "win.open-request",
                              "s", text);
}

static void
show_exchange (KgHistoryPage *self,
               KgExchange    *exchange)
{
  kg_response_view_set_exchange (self->response_view, exchange);
  update_send_again (self);
  if (!gtk_widget_get_visible (self->response_scroller))
    {
      int height = gtk_widget_get_height (GTK_WIDGET (self->paned));

      /* The list keeps a good share of the height above the response. */
      gtk_paned_set_position (self->paned, MAX (260, height * 45 / 100));
      gtk_widget_set_visible (self->response_scroller, TRUE);
    }
}

static void
full_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  KgHistoryPage *self = kg_page_call_end (user_data);
  g_autoptr(KgExchange) exchange = NULL;
  g_autoptr(GError) error = NULL;

  exchange = kg_history_dup_full_finish (KG_HISTORY (source), result, &error);
  if (self == NULL)
    return;
  if (exchange == NULL)
    {
      kg_page_toast (KG_PAGE (self), error->message);
      return;
    }
  show_exchange (self, exchange);
}

/* The list holds what it shows only: the whole entry is read from the
 * file when it is opened. */
static void
show_position (KgHistoryPage *self,
               guint          position)
{
  g_autoptr(KgExchange) exchange = g_list_model_get_item (G_LIST_MODEL (self->filtered), position);
  KgHistory *history = get_history (self);

  if (exchange == NULL || history == NULL)
    return;

  g_cancellable_cancel (self->open_cancellable);
  g_clear_object (&self->open_cancellable);
  if (!kg_history_is_summary (exchange))
    {
      show_exchange (self, exchange);
      return;
    }
  self->open_cancellable = g_cancellable_new ();
  kg_history_dup_full_async (history, exchange, self->open_cancellable, full_read_cb,
                             kg_page_call_new (KG_PAGE (self), self->open_cancellable));
}

static void
row_activated_cb (KgHistoryPage *self,
                  guint          position)
{
  show_position (self, position);
}

/* Clear ------------------------------------------------------------------ */

static void
clear_response_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   gpointer          user_data)
{
  g_autoptr(KgHistoryPage) self = user_data;
  g_autoptr(GError) error = NULL;
  KgHistory *history;

  if (g_strcmp0 (response, "clear") != 0)
    return;
  history = get_history (self);
  if (history == NULL)
    return;
  if (!kg_history_clear (history, &error))
    g_warning ("The history could not be cleared: %s", error->message);
  kg_response_view_clear (self->response_view);
  gtk_widget_set_visible (self->response_scroller, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->skipped_label), FALSE);
  update_empty (self);
}

static void
clear_clicked_cb (KgHistoryPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                                             : NULL,
                                                       _("Clear the History?"),
                                                       _("Every recorded request is deleted. "
                                                         "This cannot be undone.")));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "clear", _("C_lear"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "clear", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (clear_response_cb), g_object_ref (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* GObject ---------------------------------------------------------------- */

static void
model_items_changed_cb (KgHistoryPage *self)
{
  update_empty (self);
}

/* Connected after the list view's own handler, which must see the change
 * first. */
static void
selection_items_changed_cb (KgHistoryPage *self,
                            guint          position,
                            guint          removed,
                            guint          added)
{
  GtkAdjustment *vadj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->list_view));

  /* New entries come in at the top. The list view keeps the rows that were
   * in view where they were, which pushes the new ones out of sight above:
   * when the list was showing its top, keep showing it (a user who scrolled
   * down is left where they are). */
  if (position == 0 && added > 0 && removed == 0 &&
      (vadj == NULL || gtk_adjustment_get_value (vadj) <= 0))
    gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", 0);
}

static void
history_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  KgHistoryPage *self = kg_page_call_end (user_data);
  KgHistory *history = KG_HISTORY (source);
  g_autoptr(GError) error = NULL;
  guint skipped;

  kg_history_load_finish (history, result, &error);
  if (self == NULL)
    return;

  gtk_widget_set_visible (self->loading_spinner, FALSE);
  if (error != NULL)
    {
      gtk_label_set_label (self->skipped_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->skipped_label), TRUE);
      return;
    }

  skipped = kg_history_get_skipped_lines (history);
  if (skipped > 0)
    {
      g_autofree char *text =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "%u damaged line of the history file was skipped.",
                                      "%u damaged lines of the history file were skipped.",
                                      skipped),
                         skipped);

      gtk_label_set_label (self->skipped_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->skipped_label), skipped > 0);
  update_empty (self);
}

static void
kg_history_page_constructed (GObject *object)
{
  KgHistoryPage *self = KG_HISTORY_PAGE (object);
  KgAppContext *context = kg_page_get_context (KG_PAGE (self));
  KgHistory *history = get_history (self);

  G_OBJECT_CLASS (kg_history_page_parent_class)->constructed (object);

  if (history != NULL)
    gtk_filter_list_model_set_model (self->filtered, kg_history_get_model (history));
  if (context != NULL)
    g_signal_connect_object (kg_app_context_get_store (context), "items-changed",
                             G_CALLBACK (rebuild_connections), self, G_CONNECT_SWAPPED);
  rebuild_connections (self);
  update_empty (self);
  update_send_again (self);

  /* Read off the main thread, first page first. */
  if (history != NULL)
    {
      gtk_widget_set_visible (self->loading_spinner, !kg_history_is_loaded (history));
      kg_history_load_async (history, self->cancellable, history_loaded_cb,
                             kg_page_call_new (KG_PAGE (self), self->cancellable));
    }
}

static void
kg_history_page_dispose (GObject *object)
{
  KgHistoryPage *self = KG_HISTORY_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->open_cancellable);
  g_clear_object (&self->open_cancellable);

  G_OBJECT_CLASS (kg_history_page_parent_class)->dispose (object);

  g_clear_object (&self->selection);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_pointer (&self->search, g_free);
  g_clear_object (&self->connection_names);
  g_clear_pointer (&self->connection_ids, g_ptr_array_unref);
  g_clear_object (&self->cancellable);
}

/* The log covers every connection (the Connection filter narrows it); the
 * entry open below belongs to the selected connection or is closed: "Open
 * in Odoo" and the like act with the selected one. */
static void
kg_history_page_profile_changed (KgPage    *page,
                                 KgProfile *old_profile)
{
  KgHistoryPage *self = KG_HISTORY_PAGE (page);
  KgProfile *profile = kg_page_get_profile (page);
  KgExchange *shown = kg_response_view_get_exchange (self->response_view);

  if (shown != NULL &&
      (profile == NULL ||
       g_strcmp0 (kg_exchange_get_profile_id (shown), kg_profile_get_id (profile)) != 0))
    {
      g_cancellable_cancel (self->open_cancellable);
      g_clear_object (&self->open_cancellable);
      kg_response_view_clear (self->response_view);
      gtk_widget_set_visible (self->response_scroller, FALSE);
      gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
    }
  kg_response_view_set_profile (self->response_view, profile);
  update_send_again (self);
}

static void
kg_history_page_class_init (KgHistoryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  KgPageClass *page_class = KG_PAGE_CLASS (klass);

  object_class->constructed = kg_history_page_constructed;
  object_class->dispose = kg_history_page_dispose;
  page_class->profile_changed = kg_history_page_profile_changed;

  g_type_ensure (KG_TYPE_RESPONSE_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/kg-history-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KgHistoryPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, KgHistoryPage, connection_row);
  gtk_widget_class_bind_template_child (widget_class, KgHistoryPage, outcome_row);
  gtk_widget_class_bind_template_child (widget_class, KgHistoryPage, clear_button);
  gtk_widget_class_bind_template_child (widget_class, KgHistoryPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, KgHistoryPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, KgHistoryPage, paned);
  gtk_widget_class_bind_template_child (widget_class, KgHistoryPage, response_scroller);
  gtk_widget_class_bind_template_child (widget_class, KgHistoryPage, response_view);
  gtk_widget_class_bind_template_child (widget_class, KgHistoryPage, send_again_button);
  gtk_widget_class_bind_template_child (widget_class, KgHistoryPage, open_in_requests_button);
  gtk_widget_class_bind_template_child (widget_class, KgHistoryPage, skipped_label);
  gtk_widget_class_bind_template_child (widget_class, KgHistoryPage, loading_spinner);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);
  gtk_widget_class_install_action (widget_class, "page.send-again", NULL, entry_to_requests_action);
  gtk_widget_class_install_action (widget_class, "page.open-in-requests", NULL, entry_to_requests_action);
  gtk_widget_class_bind_template_callback (widget_class, clear_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
}

static void
kg_history_page_init (KgHistoryPage *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  self->cancellable = g_cancellable_new ();
  self->connection_ids = g_ptr_array_new_with_free_func (g_free);
  self->connection_names = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  adw_combo_row_set_model (self->connection_row, G_LIST_MODEL (self->connection_names));

  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->filtered = gtk_filter_list_model_new (NULL, GTK_FILTER (g_object_ref (self->filter)));
  g_signal_connect_object (self->filtered, "items-changed", G_CALLBACK (model_items_changed_cb),
                           self, G_CONNECT_SWAPPED);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->filtered)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_object (self->selection, "items-changed",
                           G_CALLBACK (selection_items_changed_cb),
                           self, G_CONNECT_SWAPPED | G_CONNECT_AFTER);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
}

GtkWidget *
kg_history_page_new (KgAppContext *context)
{
  return g_object_new (KG_TYPE_HISTORY_PAGE, "context", context, NULL);
}
