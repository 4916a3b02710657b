/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The "Create project" form: name, description, extra fields (a JSON object
 * checked as you type), the route, and Send (Ctrl+Return, action
 * "page.send") with Cancel while the request is in flight. The key comes
 * from the keyring; the request goes through kg-record-create; the answer
 * is shown in a KgResponseView. */
#define G_LOG_DOMAIN "keygate-app"

#include "config.h"

#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>

#include "kg-create-page.h"
#include "kg-response-view.h"
#include "kg-scroll-chain.h"

/* Positions in the "Send via" combo. */
enum {
  VIA_TOKEN,
  VIA_JSONRPC,
};

struct _KgCreatePage
{
  KgPage          parent_instance;

  AdwEntryRow    *name_row;
  AdwEntryRow    *description_row;
  AdwComboRow    *via_row;
  GtkWidget      *extra_scroller;
  GtkSourceView  *extra_view;
  GtkLabel       *extra_error_label;
  GtkLabel       *hint_label;
  GtkSpinner     *spinner;
  GtkButton      *cancel_button;
  GtkButton      *send_button;
  KgResponseView *response_view;

  GtkScrolledWindow *scroller;
  GHashTable     *drafts;          /* profile id → Draft: each connection's own form */

  JsonObject     *extra_fields;    /* parsed extra fields, NULL when empty */
  gboolean        extra_valid;
  gboolean        name_touched;
  gboolean        via_chosen;      /* the user picked "Send via" for this connection */
  gboolean        setting_via;     /* the page itself is changing via_row */
};

G_DEFINE_FINAL_TYPE (KgCreatePage, kg_create_page, KG_TYPE_PAGE)

/* The page is touched only while @cancellable is its operation: it cancels
 * it before it goes away. */
typedef struct
{
  KgCreatePage *self;
  KgProfile    *profile;
  GCancellable *cancellable;
  char         *name;
  char         *description;
  JsonObject   *extra_fields;
  KgCreateVia   via;
} SendData;

static void
send_data_free (SendData *data)
{
  g_clear_object (&data->profile);
  g_clear_object (&data->cancellable);
  g_free (data->name);
  g_free (data->description);
  g_clear_pointer (&data->extra_fields, json_object_unref);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SendData, send_data_free)

/* What was typed in the form for one connection, kept while another one
 * is selected. */
typedef struct
{
  char     *name;
  char     *description;
  char     *extra;
  guint     via;
  gboolean  via_chosen;
  gboolean  name_touched;
} Draft;

static void
draft_free (Draft *draft)
{
  g_free (draft->name);
  g_free (draft->description);
  g_free (draft->extra);
  g_free (draft);
}

static char *
dup_extra_text (KgCreatePage *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->extra_view));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
save_draft (KgCreatePage *self,
            KgProfile    *profile)
{
  Draft *draft = g_new0 (Draft, 1);

  draft->name = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row)));
  draft->description = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->description_row)));
  draft->extra = dup_extra_text (self);
  draft->via = adw_combo_row_get_selected (self->via_row);
  draft->via_chosen = self->via_chosen;
  draft->name_touched = self->name_touched;
  g_hash_table_replace (self->drafts, g_strdup (kg_profile_get_id (profile)), draft);
}

/* The form as it was left for @profile, or empty. */
static void
restore_draft (KgCreatePage *self,
               KgProfile    *profile)
{
  Draft *draft = profile != NULL ? g_hash_table_lookup (self->drafts, kg_profile_get_id (profile))
                                 : NULL;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->extra_view));

  gtk_editable_set_text (GTK_EDITABLE (self->name_row), draft ? draft->name : "");
  gtk_editable_set_text (GTK_EDITABLE (self->description_row), draft ? draft->description : "");
  gtk_text_buffer_set_text (buffer, draft ? draft->extra : "", -1);
  self->via_chosen = draft != NULL && draft->via_chosen;
  if (self->via_chosen)
    {
      self->setting_via = TRUE;
      adw_combo_row_set_selected (self->via_row, draft->via);
      self->setting_via = FALSE;
    }
  self->name_touched = draft != NULL && draft->name_touched;
}

static gboolean
name_is_valid (KgCreatePage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  g_autofree char *name = g_strstrip (g_strdup (text));

  return name[0] != '\0';
}

static void
update_state (KgCreatePage *self)
{
  KgPage *page = KG_PAGE (self);
  KgProfile *profile = kg_page_get_profile (page);
  gboolean busy = kg_page_get_busy (page);
  gboolean name_ok = name_is_valid (self);
  gboolean can_send = kg_page_get_context (page) != NULL && profile != NULL && name_ok &&
                      self->extra_valid && !busy;
  const char *hint = "";

  if (self->name_touched && !name_ok)
    gtk_widget_add_css_class (GTK_WIDGET (self->name_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->name_row), "error");

  if (profile == NULL)
    hint = _("Select a connection first.");
  else if (!name_ok)
    hint = _("A project needs a name.");
  else if (!self->extra_valid)
    hint = _("Fix the extra fields first.");
  else if (busy)
    hint = _("Sending…");
  gtk_label_set_label (self->hint_label, hint);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.send", can_send);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
}

static void
name_changed_cb (KgCreatePage *self)
{
  self->name_touched = TRUE;
  update_state (self);
}

static void
extra_changed_cb (KgCreatePage *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->extra_view));
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *message = NULL;
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_clear_pointer (&self->extra_fields, json_object_unref);
  self->extra_valid = TRUE;

  if (g_strstrip (text)[0] != '\0')
    {
      g_autoptr(JsonNode) root = kg_json_parse (text, -1, &error);

      if (root == NULL)
        message = g_strdup (error->message);   /* "Line 1, column 8: …" */
      else if (!JSON_NODE_HOLDS_OBJECT (root))
        message = g_strdup (_("The extra fields must be a JSON object: { \"field\": value, … }"));
      else
        self->extra_fields = json_object_ref (json_node_get_object (root));
    }

  self->extra_valid = message == NULL;
  gtk_label_set_label (self->extra_error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->extra_error_label), message != NULL);
  if (message != NULL)
    gtk_widget_add_css_class (self->extra_scroller, "kg-invalid");
  else
    gtk_widget_remove_css_class (self->extra_scroller, "kg-invalid");
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->extra_view), GTK_ACCESSIBLE_STATE_INVALID,
                               message ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
  update_state (self);
}

static void
show_failure (SendData     *data,
              const GError *error)
{
  KgCreatePage *self = data->self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  kg_response_view_set_error (self->response_view, error);
  kg_page_report_error (KG_PAGE (self), error);
}

static void
created_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SendData) data = user_data;
  KgCreatePage *self = data->self;
  g_autoptr(KgCreateResult) created = NULL;
  g_autoptr(GError) error = NULL;

  created = kg_record_create_project_finish (result, &error);

  /* Cancelled, a newer request or a profile change took over: drop this
   * answer (the page may be gone). */
  if (g_cancellable_is_cancelled (data->cancellable))
    return;
  kg_page_end_operation (KG_PAGE (self), data->cancellable);

  if (created == NULL)
    {
      show_failure (data, error);
      return;
    }

  kg_response_view_set_exchange (self->response_view, kg_create_result_get_exchange (created));
  kg_response_view_set_result (self->response_view, kg_create_result_get_id (created),
                               kg_create_result_get_message (created));
  /* The created ID comes into view. */
  kg_page_scroll_to (GTK_WIDGET (self->response_view));
}

static void
key_looked_up_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(SendData) data = user_data;
  KgCreatePage *self = data->self;
  g_autoptr(KgSecretString) key = NULL;
  g_autoptr(GError) error = NULL;
  KgTokenClient *client = NULL;
  KgAppContext *context;
  KgProjectValues values = { 0 };
  GCancellable *cancellable;
  KgProfile *profile;
  KgCreateVia via;

  key = kg_keyring_lookup_finish (result, &error);
  if (g_cancellable_is_cancelled (data->cancellable))
    return;
  context = kg_page_get_context (KG_PAGE (self));
  if (key == NULL)
    {
      kg_page_end_operation (KG_PAGE (self), data->cancellable);
      show_failure (data, error);
      return;
    }

  if (data->via == KG_CREATE_VIA_TOKEN)
    client = kg_app_context_get_token_client (context, data->profile);

  values.name = data->name;
  values.description = data->description;
  values.extra_fields = data->extra_fields;
  /* Argument order is unspecified: read everything before stealing data. */
  cancellable = data->cancellable;
  profile = data->profile;
  via = data->via;
  kg_record_create_project_async (kg_app_context_get_http (context), profile, client,
                                  key, &values, via, cancellable, created_cb,
                                  g_steal_pointer (&data));
}

static void
send_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  KgCreatePage *self = KG_CREATE_PAGE (widget);
  KgPage *page = KG_PAGE (widget);
  KgProfile *profile = kg_page_get_profile (page);
  SendData *data;
  const char *description;

  if (kg_page_get_context (page) == NULL || profile == NULL || kg_page_get_busy (page) ||
      !name_is_valid (self) || !self->extra_valid)
    return;

  description = gtk_editable_get_text (GTK_EDITABLE (self->description_row));

  data = g_new0 (SendData, 1);
  data->self = self;
  data->profile = g_object_ref (profile);
  data->cancellable = g_object_ref (kg_page_begin_operation (page));
  data->name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  data->description = description[0] != '\0' ? g_strdup (description) : NULL;
  data->extra_fields = self->extra_fields ? json_object_ref (self->extra_fields) : NULL;
  data->via = adw_combo_row_get_selected (self->via_row) == VIA_TOKEN ? KG_CREATE_VIA_TOKEN
                                                                      : KG_CREATE_VIA_JSONRPC;

  kg_response_view_clear (self->response_view);
  kg_keyring_lookup_async (profile, data->cancellable, key_looked_up_cb, data);
}

static void
entry_activated_cb (KgCreatePage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "page.send", NULL);
}

static void
cancel_clicked_cb (KgCreatePage *self)
{
  kg_page_cancel_operation (KG_PAGE (self));
}

/* "Send via" follows the connection's protocol until the user picks a
 * route by hand for this connection. */
static void
sync_via_from_profile (KgCreatePage *self)
{
  KgProfile *profile = kg_page_get_profile (KG_PAGE (self));

  if (profile == NULL || self->via_chosen)
    return;
  self->setting_via = TRUE;
  adw_combo_row_set_selected (self->via_row,
                              kg_profile_get_protocol (profile) == KG_PROTOCOL_TOKEN ? VIA_TOKEN
                                                                                     : VIA_JSONRPC);
  self->setting_via = FALSE;
}

static void
via_selected_cb (KgCreatePage *self)
{
  if (!self->setting_via)
    self->via_chosen = TRUE;
}

static void
kg_create_page_profile_changed (KgPage    *page,
                                KgProfile *old_profile)
{
  KgCreatePage *self = KG_CREATE_PAGE (page);
  KgProfile *profile = kg_page_get_profile (page);

  if (old_profile != NULL)
    save_draft (self, old_profile);
  restore_draft (self, profile);
  sync_via_from_profile (self);
  kg_response_view_set_profile (self->response_view, profile);
  kg_response_view_clear (self->response_view);
  /* The page opens on its heading and form, not where the last answer
   * was read. */
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
  update_state (self);
}

/* GObject ---------------------------------------------------------------- */

static void
kg_create_page_dispose (GObject *object)
{
  KgCreatePage *self = KG_CREATE_PAGE (object);

  kg_page_cancel_operation (KG_PAGE (self));
  g_clear_pointer (&self->extra_fields, json_object_unref);
  g_clear_pointer (&self->drafts, g_hash_table_unref);

  G_OBJECT_CLASS (kg_create_page_parent_class)->dispose (object);
}

static void
kg_create_page_constructed (GObject *object)
{
  G_OBJECT_CLASS (kg_create_page_parent_class)->constructed (object);
  update_state (KG_CREATE_PAGE (object));
}

static void
kg_create_page_class_init (KgCreatePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  KgPageClass *page_class = KG_PAGE_CLASS (klass);

  object_class->constructed = kg_create_page_constructed;
  object_class->dispose = kg_create_page_dispose;
  page_class->profile_changed = kg_create_page_profile_changed;

  gtk_source_init ();
  g_type_ensure (GTK_SOURCE_TYPE_VIEW);
  g_type_ensure (KG_TYPE_RESPONSE_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/kg-create-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KgCreatePage, name_row);
  gtk_widget_class_bind_template_child (widget_class, KgCreatePage, description_row);
  gtk_widget_class_bind_template_child (widget_class, KgCreatePage, via_row);
  gtk_widget_class_bind_template_child (widget_class, KgCreatePage, extra_scroller);
  gtk_widget_class_bind_template_child (widget_class, KgCreatePage, extra_view);
  gtk_widget_class_bind_template_child (widget_class, KgCreatePage, scroller);
  gtk_widget_class_bind_template_child (widget_class, KgCreatePage, extra_error_label);
  gtk_widget_class_bind_template_child (widget_class, KgCreatePage, hint_label);
  gtk_widget_class_bind_template_child (widget_class, KgCreatePage, spinner);
  gtk_widget_class_bind_template_child (widget_class, KgCreatePage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, KgCreatePage, send_button);
  gtk_widget_class_bind_template_child (widget_class, KgCreatePage, response_view);
  gtk_widget_class_bind_template_callback (widget_class, name_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);

  gtk_widget_class_install_action (widget_class, "page.send", NULL, send_action);
}

static void
update_style_scheme (KgCreatePage *self)
{
  GtkTextBuffer *text_buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->extra_view));
  GtkSourceBuffer *buffer = GTK_SOURCE_BUFFER (text_buffer);
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());

  gtk_source_buffer_set_style_scheme (buffer,
                                      gtk_source_style_scheme_manager_get_scheme (
                                        gtk_source_style_scheme_manager_get_default (),
                                        dark ? "Adwaita-dark" : "Adwaita"));
}

static void
kg_create_page_init (KgCreatePage *self)
{
  GtkSourceBuffer *buffer;
  AdwStyleManager *manager = adw_style_manager_get_default ();

  gtk_widget_init_template (GTK_WIDGET (self));
  kg_scroll_chain_attach (GTK_SCROLLED_WINDOW (self->extra_scroller));
  /* Ctrl+Return sends from anywhere in the page, the JSON editor too. */
  kg_page_set_main_action (KG_PAGE (self), "page.send");
  self->drafts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) draft_free);

  buffer = GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->extra_view)));
  gtk_source_buffer_set_language (buffer,
                                  gtk_source_language_manager_get_language (
                                    gtk_source_language_manager_get_default (), "json"));
  update_style_scheme (self);
  g_signal_connect_object (manager, "notify::dark", G_CALLBACK (update_style_scheme), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (buffer, "changed", G_CALLBACK (extra_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->via_row, "notify::selected", G_CALLBACK (via_selected_cb), self,
                           G_CONNECT_SWAPPED);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->send_button),
                                  GTK_ACCESSIBLE_PROPERTY_KEY_SHORTCUTS, "Control+Return", -1);

  g_signal_connect (self, "notify::busy", G_CALLBACK (update_state), NULL);
  g_signal_group_connect_swapped (kg_page_get_profile_signals (KG_PAGE (self)),
                                  "notify::protocol", G_CALLBACK (sync_via_from_profile), self);

  self->extra_valid = TRUE;
  update_state (self);
}

GtkWidget *
kg_create_page_new (KgAppContext *context)
{
  return g_object_new (KG_TYPE_CREATE_PAGE, "context", context, NULL);
}
