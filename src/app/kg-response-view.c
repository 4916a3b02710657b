/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The response of one exchange: status line, the created record or the
 * classified error with its remedy, and the Body / Headers / Timing tabs.
 *
 * Bodies of any size keep the window responsive: KgBodyLoader formats them
 * in a worker thread and inserts them in slices; the view shows its
 * progress, turns JSON highlighting on when the lines allow it, and says
 * when long lines were broken up. Copy copies the body unchanged. */
#define G_LOG_DOMAIN "keygate-app"

#include "config.h"

#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>
#include <string.h>

#include "kg-body-highlighter.h"
#include "kg-body-loader.h"
#include "kg-response-view-private.h"
#include "kg-scroll-chain.h"
#include "kg-style.h"
#include "kg-timing-bar.h"

#define LINE_NUMBERS_LIMIT 10000
#define REQUEST_BODY_SHOWN 8192


G_DEFINE_FINAL_TYPE (KgResponseView, kg_response_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_EXCHANGE,
  PROP_PROFILE,
  PROP_LOADING,
  PROP_RECORD_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Body ------------------------------------------------------------------- */

/* The icons the response shows besides the empty state's. The first SVG
 * icon a process draws loads librsvg (a dlopen of 10 ms and more) and
 * each icon is parsed when first drawn: in the frame that shows the first
 * response, a stall. Looked up with PRELOAD once the view is mapped, they
 * load in GTK's worker threads meanwhile, and the view keeps them (a few
 * small textures) so the theme's cache cannot drop them before. */
static const char * const response_icons[] = {
  "edit-copy-symbolic",
  "text-x-generic-symbolic",
  "view-list-symbolic",
  "preferences-system-time-symbolic",
  "go-up-symbolic",
  "go-down-symbolic",
  "system-search-symbolic",
};

static void
kg_response_view_map (GtkWidget *widget)
{
  KgResponseView *self = KG_RESPONSE_VIEW (widget);
  GtkIconTheme *theme;

  GTK_WIDGET_CLASS (kg_response_view_parent_class)->map (widget);

  if (self->icons != NULL)
    return;
  theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (widget));
  self->icons = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < G_N_ELEMENTS (response_icons); i++)
    g_ptr_array_add (self->icons,
                     gtk_icon_theme_lookup_icon (theme, response_icons[i], NULL, 16,
                                                 gtk_widget_get_scale_factor (widget),
                                                 gtk_widget_get_direction (widget),
                                                 GTK_ICON_LOOKUP_PRELOAD));
}

static void
set_loading (KgResponseView *self,
             gboolean        loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  gtk_widget_set_visible (self->loading_box, loading);
  gtk_progress_bar_set_fraction (self->loading_bar, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
loading_changed_cb (KgResponseView *self)
{
  set_loading (self, kg_body_loader_get_loading (self->body_loader));
}

static void
update_loading_label (KgResponseView *self)
{
  g_autofree char *done = NULL;
  g_autofree char *total = NULL;
  g_autofree char *text = NULL;
  gsize length;
  gsize pos = kg_body_loader_get_progress (self->body_loader, &length);

  done = g_format_size (pos);
  total = g_format_size (length);
  /* Translators: "1.2 MB of 5.2 MB" */
  text = g_strdup_printf (_("Loading the body: %s of %s"), done, total);
  gtk_label_set_label (self->loading_label, text);
  gtk_progress_bar_set_fraction (self->loading_bar, length > 0 ? (double) pos / length : 0);
}

static void
body_formatted_cb (KgResponseView *self)
{
  guint breaks = kg_body_loader_get_n_breaks (self->body_loader);
  gboolean lines_shown;

  /* GtkSourceView's line numbers cost a stall of 100–200 ms once a body
   * has more than about 10,000 lines (measured on GtkSourceView 5.6):
   * long bodies show without them, before any text is in. */
  lines_shown = kg_body_loader_get_n_lines (self->body_loader) <= LINE_NUMBERS_LIMIT;
  if (gtk_source_view_get_show_line_numbers (self->body_view) != lines_shown)
    gtk_source_view_set_show_line_numbers (self->body_view, lines_shown);

  /* JSON is coloured by KgBodyHighlighter, as its lines come into view,
   * not by a GtkSourceView language: see kg-body-highlighter.h. */
  kg_body_highlighter_set_tokens (self->highlighter,
                                  kg_body_loader_steal_tokens (self->body_loader));

  if (breaks > 0 || !lines_shown)
    {
      g_autoptr(GString) notice = g_string_new (NULL);

      if (breaks > 0)
        g_string_append_printf (notice,
                                _("Lines longer than %d characters are broken up in this "
                                  "view (not highlighted). Copy copies the body unchanged."),
                                KG_BODY_LOADER_LONG_LINE);
      if (!lines_shown)
        {
          if (notice->len > 0)
            g_string_append_c (notice, ' ');
          g_string_append_printf (notice,
                                  g_dngettext (GETTEXT_PACKAGE,
                                               "Line numbers are off for bodies over %d line.",
                                               "Line numbers are off for bodies over %d lines.",
                                               LINE_NUMBERS_LIMIT),
                                  LINE_NUMBERS_LIMIT);
        }
      gtk_label_set_label (self->notice_label, notice->str);
      gtk_widget_set_visible (GTK_WIDGET (self->notice_label), TRUE);
    }
}

static void
load_body (KgResponseView *self,
           KgExchange     *exchange)
{
  gtk_widget_set_visible (GTK_WIDGET (self->notice_label), FALSE);
  gtk_label_set_label (self->loading_label, _("Formatting the body…"));
  kg_body_highlighter_set_tokens (self->highlighter, NULL);
  kg_body_loader_load (self->body_loader, G_OBJECT (exchange),
                       kg_exchange_get_response_body (exchange));
}

/* Clipboard -------------------------------------------------------------- */

static void
toast (KgResponseView *self,
       const char     *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

static void
copy_text (KgResponseView *self,
           const char     *text)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
}

static void
copy_curl_clicked_cb (KgResponseView *self)
{
  g_autofree char *curl = NULL;

  if (self->exchange == NULL)
    return;
  curl = kg_exchange_to_curl (self->exchange);
  copy_text (self, curl);
  toast (self, _("curl command copied; secrets are shell variables"));
}

static void
copy_id_clicked_cb (KgResponseView *self)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, self->record_id);

  copy_text (self, id);
  toast (self, _("ID copied"));
}

static void
copy_body_clicked_cb (KgResponseView *self)
{
  const char *text = kg_body_loader_get_text (self->body_loader);

  if (text == NULL)
    return;
  copy_text (self, text);
  toast (self, _("Body copied"));
}

static void
open_clicked_cb (KgResponseView *self)
{
  g_autofree char *url = NULL;
  GtkRoot *root;

  if (self->profile == NULL || self->record_id <= 0)
    return;
  url = kg_record_build_web_url (self->profile,
                                 self->record_model ? self->record_model : "project.project",
                                 self->record_id);
  root = gtk_widget_get_root (GTK_WIDGET (self));
  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, url, GDK_CURRENT_TIME);
}

/* Status, headers, timing ------------------------------------------------ */

static void
show_content (KgResponseView *self,
              gboolean        content)
{
  gtk_widget_set_visible (self->empty_page, !content);
  gtk_widget_set_visible (self->content_box, content);
}

static void
set_status_class (KgResponseView *self,
                  const char     *klass)
{
  const char *all[] = { "success", "warning", "error" };

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), all[i]);
  if (klass != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), klass);
}

/* A failure in words: its kind's title ("Access denied"). */
static const char *
error_title (const GError *error)
{
  if (error->domain == KG_ERROR)
    return kg_error_code_title (error->code);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return _("Cancelled");
  return _("Something went wrong");
}

/* The heading leads with the outcome: the HTTP status of a response, or,
 * when the call failed, the failure in words. Odoo answers a failed
 * JSON-RPC call with "200 OK": that status goes to the error's details. */
static void
update_status (KgResponseView *self)
{
  g_autofree char *text = NULL;
  const GError *error;
  const char *klass;
  guint status;

  if (self->exchange == NULL)
    {
      gtk_label_set_label (self->status_label, self->error ? _("Not sent") : "");
      set_status_class (self, self->error ? "error" : NULL);
      return;
    }

  status = kg_exchange_get_status (self->exchange);
  error = self->error != NULL ? self->error : kg_exchange_get_error (self->exchange);
  if (error != NULL)
    text = g_strdup (error_title (error));
  else if (status == 0)
    text = g_strdup (_("No response"));
  else if (kg_exchange_get_reason (self->exchange) != NULL)
    text = g_strdup_printf ("%u %s", status, kg_exchange_get_reason (self->exchange));
  else
    text = g_strdup_printf ("%u", status);

  if (error != NULL || status == 0 || status >= 400)
    klass = "error";
  else if (status >= 300)
    klass = "warning";
  else
    klass = "success";

  gtk_label_set_label (self->status_label, text);
  set_status_class (self, klass);
}

static GtkWidget *
header_row_new (const KgHeader *header)
{
  GtkWidget *row = gtk_list_box_row_new ();
  /* Name above value: a wrapping label beside another widget in a
   * horizontal box can make GTK 4.8 report inconsistent heights. */
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name = gtk_label_new (header->name);
  GtkWidget *value = gtk_label_new (header->value);
  g_autofree char *accessible = g_strdup_printf ("%s: %s", header->name, header->value);

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_yalign (GTK_LABEL (name), 0);
  gtk_label_set_selectable (GTK_LABEL (name), TRUE);
  gtk_widget_add_css_class (name, "heading");
  gtk_label_set_xalign (GTK_LABEL (value), 0);
  gtk_label_set_wrap (GTK_LABEL (value), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (value), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (value), TRUE);
  gtk_widget_set_hexpand (value, TRUE);
  gtk_widget_add_css_class (value, "monospace");
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), value);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);

  return row;
}

static void
fill_headers (GtkListBox *list,
              GPtrArray  *headers)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL &&
         GTK_IS_LIST_BOX_ROW (child))
    gtk_list_box_remove (list, child);

  for (guint i = 0; headers != NULL && i < headers->len; i++)
    gtk_list_box_append (list, header_row_new (g_ptr_array_index (headers, i)));
}

static void
show_exchange (KgResponseView *self)
{
  KgExchange *exchange = self->exchange;
  const KgTiming *timing = kg_exchange_get_timing (exchange);
  const char *label = kg_exchange_get_label (exchange);
  const char *request_body = kg_exchange_get_request_body (exchange);
  g_autofree char *summary = NULL;
  g_autofree char *time = NULL;
  g_autoptr(GString) request = g_string_new (NULL);

  gtk_widget_set_visible (self->view_switcher, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->view_stack), TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->curl_button), TRUE);

  if (timing != NULL && timing->total_us >= 0)
    time = kg_timing_bar_format_duration (timing->total_us);
  gtk_label_set_label (self->time_label, time != NULL ? time : "");

  if (label != NULL)
    summary = g_strdup_printf ("%s · %s %s", label, kg_exchange_get_method (exchange),
                               kg_exchange_get_url (exchange));
  else
    summary = g_strdup_printf ("%s %s", kg_exchange_get_method (exchange),
                               kg_exchange_get_url (exchange));
  gtk_label_set_label (self->summary_label, summary);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->summary_label), summary);

  g_string_append_printf (request, "%s %s", kg_exchange_get_method (exchange),
                          kg_exchange_get_url (exchange));
  if (request_body != NULL && request_body[0] != '\0')
    {
      gsize len = strlen (request_body);

      g_string_append (request, "\n\n");
      if (len > REQUEST_BODY_SHOWN)
        {
          const char *cut = g_utf8_find_prev_char (request_body, request_body + REQUEST_BODY_SHOWN);

          g_string_append_len (request, request_body, cut - request_body);
          g_string_append (request, "…");
        }
      else
        g_string_append (request, request_body);
    }
  gtk_label_set_label (self->request_line_label, request->str);

  fill_headers (self->request_headers_list, kg_exchange_get_request_headers (exchange));
  fill_headers (self->response_headers_list, kg_exchange_get_response_headers (exchange));
  kg_timing_bar_set_timing (self->timing_bar, timing);
  update_status (self);

  load_body (self, exchange);
}

static void
hide_outcome (KgResponseView *self)
{
  g_clear_error (&self->error);
  self->record_id = 0;
  gtk_widget_set_visible (self->result_box, FALSE);
  gtk_widget_set_visible (self->error_box, FALSE);
}

static void
show_error (KgResponseView *self,
            const GError   *error)
{
  const char *step = kg_error_get_step (error);
  const char *server = kg_error_get_server_message (error);
  const char *remedy = kg_error_get_remedy (error);
  guint status = kg_error_get_http_status (error);
  g_autofree char *status_text = NULL;
  g_autofree char *server_text = NULL;

  if (error != self->error)
    {
      g_clear_error (&self->error);
      self->error = g_error_copy (error);
    }

  /* With an exchange the heading says it already. */
  gtk_label_set_label (self->error_title_label, error_title (error));
  gtk_widget_set_visible (GTK_WIDGET (self->error_title_label), self->exchange == NULL);

  if (g_strcmp0 (step, "exchange") == 0)
    gtk_label_set_label (self->error_step_label, _("Token exchange failed"));
  else if (g_strcmp0 (step, "call") == 0)
    gtk_label_set_label (self->error_step_label, _("The call failed"));
  else
    gtk_label_set_label (self->error_step_label, step ? step : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_step_label), step != NULL);

  gtk_label_set_label (self->error_message_label, error->message);

  if (status == 0 && self->exchange != NULL)
    status = kg_exchange_get_status (self->exchange);
  if (status != 0)
    /* Translators: %u is an HTTP status code */
    status_text = g_strdup_printf (_("HTTP status %u"), status);
  gtk_label_set_label (self->error_status_label, status_text ? status_text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_status_label), status_text != NULL);

  if (server != NULL && server[0] != '\0' && g_strcmp0 (server, error->message) != 0)
    /* Translators: %s is the server's own error message */
    server_text = g_strdup_printf (_("The server said: %s"), server);
  gtk_label_set_label (self->error_server_label, server_text ? server_text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_server_label), server_text != NULL);

  gtk_label_set_label (self->remedy_label, remedy ? remedy : "");
  gtk_widget_set_visible (self->remedy_box, remedy != NULL && remedy[0] != '\0');

  gtk_widget_set_visible (self->result_box, FALSE);
  gtk_widget_set_visible (self->error_box, TRUE);
  update_status (self);
}

static void
update_open_button (KgResponseView *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->open_button),
                            self->profile != NULL && self->record_id > 0);
}

static void
update_style_scheme (KgResponseView *self)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  GtkSourceStyleSchemeManager *schemes = gtk_source_style_scheme_manager_get_default ();
  const char *id = adw_style_manager_get_dark (manager) ? "Adwaita-dark" : "Adwaita";
  GtkSourceStyleScheme *scheme = gtk_source_style_scheme_manager_get_scheme (schemes, id);

  if (scheme == NULL)
    scheme = gtk_source_style_scheme_manager_get_scheme (schemes, "classic");
  gtk_source_buffer_set_style_scheme (self->buffer, scheme);
  kg_body_highlighter_set_scheme (self->highlighter, scheme);
}

/* GObject ---------------------------------------------------------------- */

static void
kg_response_view_dispose (GObject *object)
{
  KgResponseView *self = KG_RESPONSE_VIEW (object);

  /* The loader's worker task holds it until the thread is done. */
  if (self->body_loader != NULL)
    kg_body_loader_cancel (self->body_loader);
  g_clear_object (&self->body_loader);
  g_clear_object (&self->highlighter);
  g_clear_pointer (&self->icons, g_ptr_array_unref);
  _kg_response_view_search_dispose (self);
  g_clear_object (&self->exchange);
  g_clear_object (&self->profile);
  g_clear_error (&self->error);
  g_clear_pointer (&self->record_model, g_free);

  /* AdwBin unparents the template's child itself. */
  G_OBJECT_CLASS (kg_response_view_parent_class)->dispose (object);

  g_clear_object (&self->buffer);
}

static void
kg_response_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  KgResponseView *self = KG_RESPONSE_VIEW (object);

  switch (prop_id)
    {
    case PROP_EXCHANGE:
      g_value_set_object (value, self->exchange);
      break;
    case PROP_PROFILE:
      g_value_set_object (value, self->profile);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_RECORD_ID:
      g_value_set_int64 (value, self->record_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kg_response_view_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  KgResponseView *self = KG_RESPONSE_VIEW (object);

  switch (prop_id)
    {
    case PROP_EXCHANGE:
      kg_response_view_set_exchange (self, g_value_get_object (value));
      break;
    case PROP_PROFILE:
      kg_response_view_set_profile (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kg_response_view_class_init (KgResponseViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kg_response_view_dispose;
  object_class->get_property = kg_response_view_get_property;
  object_class->set_property = kg_response_view_set_property;
  widget_class->map = kg_response_view_map;

  properties[PROP_EXCHANGE] =
    g_param_spec_object ("exchange", NULL, NULL, KG_TYPE_EXCHANGE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROFILE] =
    g_param_spec_object ("profile", NULL, NULL, KG_TYPE_PROFILE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RECORD_ID] =
    g_param_spec_int64 ("record-id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_source_init ();
  g_type_ensure (GTK_SOURCE_TYPE_VIEW);
  g_type_ensure (KG_TYPE_TIMING_BAR);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/kg-response-view.ui");
#define CHILD(name) gtk_widget_class_bind_template_child (widget_class, KgResponseView, name)
  CHILD (toast_overlay);
  CHILD (empty_page);
  CHILD (content_box);
  CHILD (status_label);
  CHILD (time_label);
  CHILD (summary_label);
  CHILD (curl_button);
  CHILD (result_box);
  CHILD (result_caption_label);
  CHILD (record_id_label);
  CHILD (copy_id_button);
  CHILD (open_button);
  CHILD (result_message_label);
  CHILD (error_box);
  CHILD (error_title_label);
  CHILD (error_step_label);
  CHILD (error_message_label);
  CHILD (error_status_label);
  CHILD (error_server_label);
  CHILD (remedy_box);
  CHILD (remedy_label);
  CHILD (view_switcher);
  CHILD (view_stack);
  CHILD (search_entry);
  CHILD (search_count_label);
  CHILD (search_previous_button);
  CHILD (search_next_button);
  CHILD (copy_body_button);
  CHILD (loading_box);
  CHILD (loading_bar);
  CHILD (loading_label);
  CHILD (notice_label);
  CHILD (body_view);
  CHILD (request_line_label);
  CHILD (request_headers_list);
  CHILD (response_headers_list);
  CHILD (timing_bar);
#undef CHILD
  gtk_widget_class_bind_template_callback (widget_class, copy_curl_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, copy_id_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, copy_body_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, open_clicked_cb);
  _kg_response_view_search_class_init (widget_class);
}

static void
kg_response_view_init (KgResponseView *self)
{
  GtkWidget *placeholder;

  gtk_widget_init_template (GTK_WIDGET (self));

  kg_style_ensure_loaded ();
  /* In a scrolling page, the wheel over the body or headers moves the
   * page once they are at their end. */
  kg_scroll_chain_attach (GTK_SCROLLED_WINDOW (
    gtk_widget_get_parent (GTK_WIDGET (self->body_view))));
  kg_scroll_chain_attach (GTK_SCROLLED_WINDOW (
    gtk_widget_get_ancestor (GTK_WIDGET (self->request_line_label), GTK_TYPE_SCROLLED_WINDOW)));

  self->buffer = gtk_source_buffer_new (NULL);
  gtk_text_buffer_set_enable_undo (GTK_TEXT_BUFFER (self->buffer), FALSE);
  gtk_text_view_set_buffer (GTK_TEXT_VIEW (self->body_view), GTK_TEXT_BUFFER (self->buffer));
  self->highlighter = kg_body_highlighter_new (GTK_TEXT_VIEW (self->body_view));
  update_style_scheme (self);
  self->body_loader = kg_body_loader_new (GTK_TEXT_BUFFER (self->buffer));
  kg_body_loader_set_pace_widget (self->body_loader, GTK_WIDGET (self->body_view));
  g_signal_connect_object (self->body_loader, "notify::loading",
                           G_CALLBACK (loading_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->body_loader, "formatted",
                           G_CALLBACK (body_formatted_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->body_loader, "progress",
                           G_CALLBACK (update_loading_label), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (update_style_scheme), self, G_CONNECT_SWAPPED);

  _kg_response_view_search_init (self);

  for (guint i = 0; i < 2; i++)
    {
      placeholder = gtk_label_new (_("None"));
      gtk_widget_add_css_class (placeholder, "dim-label");
      gtk_widget_set_margin_top (placeholder, 12);
      gtk_widget_set_margin_bottom (placeholder, 12);
      gtk_list_box_set_placeholder (i == 0 ? self->request_headers_list
                                           : self->response_headers_list, placeholder);
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->copy_id_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Copy the ID"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->search_previous_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Previous match"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->search_next_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Next match"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->copy_body_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Copy the whole body"), -1);
  gtk_search_entry_set_key_capture_widget (self->search_entry, NULL);

  show_content (self, FALSE);
}

GtkWidget *
kg_response_view_new (void)
{
  return g_object_new (KG_TYPE_RESPONSE_VIEW, NULL);
}

void
kg_response_view_set_exchange (KgResponseView *self,
                               KgExchange     *exchange)
{
  g_return_if_fail (KG_IS_RESPONSE_VIEW (self));
  g_return_if_fail (exchange == NULL || KG_IS_EXCHANGE (exchange));

  g_set_object (&self->exchange, exchange);
  hide_outcome (self);

  if (exchange == NULL)
    {
      kg_body_loader_clear (self->body_loader);
      show_content (self, FALSE);
    }
  else
    {
      const GError *error = kg_exchange_get_error (exchange);

      show_content (self, TRUE);
      show_exchange (self);
      if (error != NULL)
        show_error (self, error);
      else if (kg_exchange_get_record_id (exchange) > 0)
        kg_response_view_set_result (self, kg_exchange_get_record_id (exchange), NULL);
    }

  update_open_button (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXCHANGE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECORD_ID]);
}

KgExchange *
kg_response_view_get_exchange (KgResponseView *self)
{
  g_return_val_if_fail (KG_IS_RESPONSE_VIEW (self), NULL);
  return self->exchange;
}

void
kg_response_view_set_error (KgResponseView *self,
                            const GError   *error)
{
  KgExchange *exchange;

  g_return_if_fail (KG_IS_RESPONSE_VIEW (self));
  g_return_if_fail (error != NULL);

  exchange = kg_error_get_exchange (error);
  if (exchange != NULL)
    kg_response_view_set_exchange (self, exchange);
  else
    {
      kg_response_view_set_exchange (self, NULL);
      show_content (self, TRUE);
      gtk_label_set_label (self->time_label, "");
      gtk_label_set_label (self->summary_label, "");
      gtk_widget_set_sensitive (GTK_WIDGET (self->curl_button), FALSE);
      gtk_widget_set_visible (self->view_switcher, FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->view_stack), FALSE);
    }

  show_error (self, error);
}

void
kg_response_view_set_result (KgResponseView *self,
                             gint64          record_id,
                             const char     *message)
{
  g_autofree char *id = NULL;

  g_return_if_fail (KG_IS_RESPONSE_VIEW (self));

  g_clear_error (&self->error);
  gtk_widget_set_visible (self->error_box, FALSE);
  self->record_id = MAX (record_id, 0);

  if (self->exchange == NULL)
    {
      show_content (self, TRUE);
      gtk_widget_set_visible (self->view_switcher, FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->view_stack), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->curl_button), FALSE);
      gtk_label_set_label (self->status_label, "");
    }
  else
    update_status (self);

  id = g_strdup_printf ("%" G_GINT64_FORMAT, self->record_id);
  gtk_label_set_label (self->record_id_label, id);
  gtk_widget_set_visible (GTK_WIDGET (self->record_id_label), record_id > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->copy_id_button), record_id > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->open_button), record_id > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->result_caption_label), record_id > 0);
  gtk_label_set_label (self->result_message_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->result_message_label),
                          message != NULL && message[0] != '\0');
  gtk_widget_set_visible (self->result_box,
                          record_id > 0 || (message != NULL && message[0] != '\0'));

  update_open_button (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECORD_ID]);
}

void
kg_response_view_clear (KgResponseView *self)
{
  g_return_if_fail (KG_IS_RESPONSE_VIEW (self));
  kg_response_view_set_exchange (self, NULL);
}

void
kg_response_view_set_profile (KgResponseView *self,
                              KgProfile      *profile)
{
  g_return_if_fail (KG_IS_RESPONSE_VIEW (self));
  g_return_if_fail (profile == NULL || KG_IS_PROFILE (profile));

  if (!g_set_object (&self->profile, profile))
    return;
  update_open_button (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROFILE]);
}

KgProfile *
kg_response_view_get_profile (KgResponseView *self)
{
  g_return_val_if_fail (KG_IS_RESPONSE_VIEW (self), NULL);
  return self->profile;
}

gboolean
kg_response_view_get_loading (KgResponseView *self)
{
  g_return_val_if_fail (KG_IS_RESPONSE_VIEW (self), FALSE);
  return self->loading;
}

gint64
kg_response_view_get_record_id (KgResponseView *self)
{
  g_return_val_if_fail (KG_IS_RESPONSE_VIEW (self), 0);
  return self->record_id;
}

void
kg_response_view_set_record_model (KgResponseView *self,
                                   const char     *model)
{
  g_return_if_fail (KG_IS_RESPONSE_VIEW (self));

  g_free (self->record_model);
  self->record_model = g_strdup (model);
}
