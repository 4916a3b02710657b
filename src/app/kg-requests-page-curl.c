/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Requests page's "Import curl Command…": a dialog to paste a curl
 * command line into, checked as it is typed by the core's kg_curl_import
 * (what is wrong, or what was left out, is said under the text; Import
 * stays off until the command can be imported). The request goes into the
 * open collection after the selected one, or into the editor. A key or
 * token written out in the command is never kept: the request names the
 * connection's credentials instead. */
#define G_LOG_DOMAIN "keygate-app"

#include "config.h"

#include <glib/gi18n.h>

#include "keygate-core.h"
#include "kg-requests-page-private.h"

typedef struct
{
  GWeakRef          page;
  GtkTextBuffer    *buffer;
  GtkLabel         *problem_label;
  AdwMessageDialog *dialog;   /* not owned: it owns this */
  JsonObject       *request;  /* what Import would add, or NULL */
} CurlImport;

static void
curl_import_free (gpointer data)
{
  CurlImport *import = data;

  g_weak_ref_clear (&import->page);
  g_signal_handlers_disconnect_by_data (import->buffer, import);
  g_clear_object (&import->buffer);
  g_clear_pointer (&import->request, json_object_unref);
  g_free (import);
}

static char *
dup_buffer_text (GtkTextBuffer *buffer)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static char *
join_warnings (GPtrArray *warnings)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; warnings != NULL && i < warnings->len; i++)
    {
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, g_ptr_array_index (warnings, i));
    }
  return g_string_free (text, FALSE);
}

static void
set_problem (CurlImport *import,
             const char *text,
             gboolean    is_error)
{
  g_autofree char *shown = text != NULL ? kg_text_escape_controls (text) : NULL;

  gtk_label_set_text (import->problem_label, shown != NULL ? shown : "");
  gtk_widget_set_visible (GTK_WIDGET (import->problem_label), shown != NULL && shown[0] != '\0');
  if (is_error)
    {
      gtk_widget_add_css_class (GTK_WIDGET (import->problem_label), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (import->problem_label), "warning");
    }
  else
    {
      gtk_widget_add_css_class (GTK_WIDGET (import->problem_label), "warning");
      gtk_widget_remove_css_class (GTK_WIDGET (import->problem_label), "error");
    }
}

static void
text_changed_cb (GtkTextBuffer *buffer,
                 CurlImport    *import)
{
  g_autoptr(KgRequestsPage) self = g_weak_ref_get (&import->page);
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = dup_buffer_text (buffer);
  g_autofree char *warning_text = NULL;
  KgProfile *profile;

  g_clear_pointer (&import->request, json_object_unref);
  if (self == NULL)
    return;

  g_strstrip (text);
  if (text[0] == '\0')
    {
      set_problem (import, NULL, FALSE);
      adw_message_dialog_set_response_enabled (import->dialog, "import", FALSE);
      return;
    }

  profile = kg_page_get_profile (KG_PAGE (self));
  import->request = kg_curl_import (text, profile != NULL ? kg_profile_get_url (profile) : NULL,
                                    &warnings, &error);
  if (import->request == NULL)
    {
      set_problem (import, error->message, TRUE);
      adw_message_dialog_set_response_enabled (import->dialog, "import", FALSE);
      return;
    }
  warning_text = join_warnings (warnings);
  set_problem (import, warning_text, FALSE);
  adw_message_dialog_set_response_enabled (import->dialog, "import", TRUE);
}

static void
response_cb (AdwMessageDialog *dialog,
             const char       *response,
             CurlImport       *import)
{
  g_autoptr(KgRequestsPage) self = g_weak_ref_get (&import->page);

  if (self == NULL || g_strcmp0 (response, "import") != 0 || import->request == NULL)
    return;

  if (self->collection != NULL)
    kg_requests_page_insert_request (self, import->request);
  else
    kg_request_editor_set_request (self->editor, import->request);
  kg_requests_page_update_state (self);
  kg_page_toast (KG_PAGE (self), _("Request imported"));
}

static GtkWidget *
build_body (CurlImport *import)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *view = gtk_text_view_new_with_buffer (import->buffer);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_text_view_set_monospace (GTK_TEXT_VIEW (view), TRUE);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_CHAR);
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 6);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("curl command"), -1);
  gtk_widget_add_css_class (view, "card");

  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), view);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scroller), 120);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 240);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_use_markup (GTK_LABEL (label), FALSE);
  gtk_label_set_selectable (GTK_LABEL (label), FALSE);
  gtk_widget_set_visible (label, FALSE);
  import->problem_label = GTK_LABEL (label);

  gtk_box_append (GTK_BOX (box), scroller);
  gtk_box_append (GTK_BOX (box), label);
  return box;
}

static void
paste_curl_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  KgRequestsPage *self = KG_REQUESTS_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  CurlImport *import = g_new0 (CurlImport, 1);
  AdwMessageDialog *dialog;

  g_weak_ref_init (&import->page, self);
  import->buffer = gtk_text_buffer_new (NULL);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (
    GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, _("Import a curl Command"),
    _("Paste a curl command, as copied from a browser or another tool. "
      "A key or token written out in it is left out: write it as $ODOO_API_KEY or "
      "$ODOO_TOKEN to send the connection’s own.")));
  import->dialog = dialog;
  adw_message_dialog_set_extra_child (dialog, build_body (import));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "import", _("_Import"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "import", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (dialog, "import", FALSE);
  adw_message_dialog_set_default_response (dialog, "import");
  adw_message_dialog_set_close_response (dialog, "cancel");

  g_signal_connect (import->buffer, "changed", G_CALLBACK (text_changed_cb), import);
  g_signal_connect_data (dialog, "response", G_CALLBACK (response_cb), import,
                         (GClosureNotify) (void (*) (void)) curl_import_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
kg_requests_page_curl_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "page.paste-curl", NULL, paste_curl_action);
}
