/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The token page of a token-route connection: the exchange request as it
 * will be sent (key as a placeholder), Exchange, the token masked with its
 * type and a live expiry countdown, Forget token, and the exchange's answer
 * in a KgResponseView. The state comes from the profile's KgTokenClient
 * (kg_app_context_get_token_client), followed through its notify signals. */
#define G_LOG_DOMAIN "keygate-app"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "kg-clipboard.h"
#include "kg-response-view.h"
#include "kg-token-page.h"

struct _KgTokenPage
{
  KgPage          parent_instance;

  GtkStack       *stack;
  GtkLabel       *preview_label;
  GtkSpinner     *spinner;
  GtkButton      *forget_button;
  GtkButton      *exchange_button;
  AdwActionRow   *token_row;
  GtkWidget      *copy_token_button;
  AdwActionRow   *type_row;
  AdwActionRow   *expiry_row;
  KgResponseView *response_view;

  KgTokenClient  *client;
  KgExchange     *last_exchange;   /* recorded while our exchange ran */
  guint           countdown_source;
};

G_DEFINE_FINAL_TYPE (KgTokenPage, kg_token_page, KG_TYPE_PAGE)

/* The page is touched only while @cancellable is its operation: it cancels
 * it before it goes away. */
typedef struct
{
  KgTokenPage   *self;
  KgTokenClient *client;
  GCancellable  *cancellable;
} ExchangeData;

static void
exchange_data_free (ExchangeData *data)
{
  g_clear_object (&data->client);
  g_clear_object (&data->cancellable);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ExchangeData, exchange_data_free)

/* "59:12", "1:02:03" */
static char *
format_remaining (gint64 seconds)
{
  if (seconds >= 3600)
    return g_strdup_printf ("%" G_GINT64_FORMAT ":%02d:%02d", seconds / 3600,
                            (int) (seconds / 60 % 60), (int) (seconds % 60));
  return g_strdup_printf ("%d:%02d", (int) (seconds / 60), (int) (seconds % 60));
}

static void
update_expiry (KgTokenPage *self)
{
  GDateTime *expires = self->client ? kg_token_client_get_expires_at (self->client) : NULL;
  g_autofree char *text = NULL;

  if (self->client == NULL || !kg_token_client_has_token (self->client))
    text = g_strdup ("—");
  else if (expires == NULL)
    text = g_strdup (_("Unknown (the server did not say)"));
  else
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      GTimeSpan diff = g_date_time_difference (expires, now);
      /* Whole seconds left, rounded up: "0:01" until it is really over. */
      gint64 left = diff <= 0 ? 0 : (diff + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC;

      if (left <= 0)
        text = g_strdup (_("Expired"));
      else
        {
          g_autofree char *remaining = format_remaining (left);

          /* Translators: %s is a countdown such as "59:12" */
          text = g_strdup_printf (_("Expires in %s"), remaining);
        }
    }
  adw_action_row_set_subtitle (self->expiry_row, text);
}

static gboolean
countdown_cb (gpointer user_data)
{
  update_expiry (KG_TOKEN_PAGE (user_data));
  return G_SOURCE_CONTINUE;
}

/* The 1 s countdown runs only while the page is on screen and a token with
 * an expiry exists. */
static void
update_countdown (KgTokenPage *self)
{
  gboolean wanted = gtk_widget_get_mapped (GTK_WIDGET (self)) && self->client != NULL &&
                    kg_token_client_has_token (self->client) &&
                    kg_token_client_get_expires_at (self->client) != NULL;

  if (wanted && self->countdown_source == 0)
    self->countdown_source = g_timeout_add (1000, countdown_cb, self);
  else if (!wanted)
    g_clear_handle_id (&self->countdown_source, g_source_remove);
}

static void
update_preview (KgTokenPage *self)
{
  g_autoptr(KgExchange) preview = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  GPtrArray *headers;
  const char *body;

  if (self->client == NULL)
    {
      gtk_label_set_label (self->preview_label, "");
      return;
    }

  preview = kg_token_client_preview_exchange (self->client);
  if (preview == NULL)
    {
      gtk_label_set_label (self->preview_label,
                           _("This connection's token settings send the key itself on every "
                             "call: there is no exchange."));
      return;
    }

  g_string_append_printf (text, "%s %s", kg_exchange_get_method (preview),
                          kg_exchange_get_url (preview));
  headers = kg_exchange_get_request_headers (preview);
  for (guint i = 0; headers != NULL && i < headers->len; i++)
    {
      KgHeader *header = g_ptr_array_index (headers, i);

      g_string_append_printf (text, "\n%s: %s", header->name, header->value);
    }
  body = kg_exchange_get_request_body (preview);
  if (body != NULL && body[0] != '\0')
    g_string_append_printf (text, "\n\n%s", body);
  gtk_label_set_label (self->preview_label, text->str);
}

static void
update_state (KgTokenPage *self)
{
  gboolean busy = kg_page_get_busy (KG_PAGE (self));
  gboolean has_token = self->client != NULL && kg_token_client_has_token (self->client);
  g_autofree char *masked = NULL;
  const char *type = NULL;

  if (has_token)
    {
      masked = kg_token_client_dup_masked_token (self->client);
      type = kg_token_client_get_token_type (self->client);
    }
  adw_action_row_set_subtitle (self->token_row, masked ? masked : _("No token"));
  adw_action_row_set_subtitle (self->type_row, type ? type : "—");
  update_expiry (self);
  update_countdown (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.exchange",
                                 self->client != NULL && !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->forget_button), has_token && !busy);
  gtk_widget_set_sensitive (self->copy_token_button, has_token);
  gtk_spinner_set_spinning (self->spinner, busy);
}

static void
client_notify_cb (KgTokenPage *self)
{
  update_state (self);
}

static void
exchange_recorded_cb (KgTokenPage *self,
                      KgExchange  *exchange)
{
  KgProfile *profile = kg_page_get_profile (KG_PAGE (self));

  /* Only the key exchange of our own request, for this connection. */
  if (!kg_page_get_busy (KG_PAGE (self)) || profile == NULL ||
      g_strcmp0 (kg_exchange_get_profile_id (exchange), kg_profile_get_id (profile)) != 0 ||
      g_strcmp0 (kg_exchange_get_step (exchange), "exchange") != 0)
    return;
  g_set_object (&self->last_exchange, exchange);
}

static void
exchanged_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(ExchangeData) data = user_data;
  KgTokenPage *self = data->self;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = kg_token_client_exchange_finish (data->client, result, &error);
  if (g_cancellable_is_cancelled (data->cancellable))
    return;

  if (ok)
    {
      if (self->last_exchange != NULL)
        kg_response_view_set_exchange (self->response_view, self->last_exchange);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      kg_response_view_set_error (self->response_view, error);
      kg_page_report_error (KG_PAGE (self), error);
    }
  g_clear_object (&self->last_exchange);
  kg_page_end_operation (KG_PAGE (self), data->cancellable);
}

static void
key_looked_up_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(ExchangeData) data = user_data;
  KgTokenPage *self = data->self;
  g_autoptr(KgSecretString) key = NULL;
  g_autoptr(GError) error = NULL;
  KgTokenClient *client;
  GCancellable *cancellable;

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

  client = data->client;
  cancellable = data->cancellable;
  kg_token_client_exchange_async (client, key, cancellable, exchanged_cb, g_steal_pointer (&data));
}

static void
exchange_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  KgTokenPage *self = KG_TOKEN_PAGE (widget);
  KgPage *page = KG_PAGE (widget);
  ExchangeData *data;

  if (self->client == NULL || kg_page_get_busy (page))
    return;

  data = g_new0 (ExchangeData, 1);
  data->self = self;
  data->client = g_object_ref (self->client);
  data->cancellable = g_object_ref (kg_page_begin_operation (page));

  g_clear_object (&self->last_exchange);
  kg_response_view_clear (self->response_view);
  kg_keyring_lookup_async (kg_page_get_profile (page), data->cancellable, key_looked_up_cb, data);
}

static void
forget_clicked_cb (KgTokenPage *self)
{
  if (self->client == NULL)
    return;
  kg_token_client_forget (self->client);
  update_state (self);
}

/* The token on the clipboard, cleared like the API key (the same
 * "clipboard-clear-delay"). */
static void
copy_token_clicked_cb (KgTokenPage *self)
{
  KgAppContext *context = kg_page_get_context (KG_PAGE (self));
  const char *token = self->client ? kg_token_client_peek_token (self->client) : NULL;
  g_autofree char *text = NULL;
  int delay = 30;

  if (token == NULL)
    return;
  if (context != NULL && kg_app_context_get_settings (context) != NULL)
    delay = g_settings_get_int (kg_app_context_get_settings (context), "clipboard-clear-delay");
  kg_clipboard_set_secret (GTK_WIDGET (self), token, delay);

  /* Translators: %d is a number of seconds */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Token copied — clears in %d second",
                                       "Token copied — clears in %d seconds", delay),
                          delay);
  kg_page_toast (KG_PAGE (self), text);
}

static void
set_client (KgTokenPage   *self,
            KgTokenClient *client)
{
  if (self->client == client)
    return;
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_set_object (&self->client, client);
  if (client != NULL)
    g_signal_connect_swapped (client, "notify", G_CALLBACK (client_notify_cb), self);
}

/* Shows the token flow of the current profile (again after an edit of the
 * profile on the Connection page: protocol, URL or token settings). */
static void
refresh_profile (KgTokenPage *self)
{
  KgAppContext *context = kg_page_get_context (KG_PAGE (self));
  KgProfile *profile = kg_page_get_profile (KG_PAGE (self));
  gboolean token_flow = profile != NULL && context != NULL &&
                        kg_profile_get_protocol (profile) == KG_PROTOCOL_TOKEN;

  set_client (self, token_flow ? kg_app_context_get_token_client (context, profile) : NULL);
  gtk_stack_set_visible_child_name (self->stack, token_flow ? "token" : "empty");
  update_preview (self);
  update_state (self);
}

static void
kg_token_page_profile_changed (KgPage    *page,
                               KgProfile *old_profile)
{
  KgTokenPage *self = KG_TOKEN_PAGE (page);
  KgProfile *profile = kg_page_get_profile (page);

  g_clear_object (&self->last_exchange);
  kg_response_view_set_profile (self->response_view, profile);
  kg_response_view_clear (self->response_view);
  refresh_profile (self);
}

static void
busy_changed_cb (KgTokenPage *self)
{
  update_state (self);
}

/* GObject ---------------------------------------------------------------- */

static void
kg_token_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (kg_token_page_parent_class)->map (widget);
  update_expiry (KG_TOKEN_PAGE (widget));
  update_countdown (KG_TOKEN_PAGE (widget));
}

static void
kg_token_page_unmap (GtkWidget *widget)
{
  KgTokenPage *self = KG_TOKEN_PAGE (widget);

  GTK_WIDGET_CLASS (kg_token_page_parent_class)->unmap (widget);
  g_clear_handle_id (&self->countdown_source, g_source_remove);
}

static void
kg_token_page_constructed (GObject *object)
{
  KgTokenPage *self = KG_TOKEN_PAGE (object);
  KgAppContext *context = kg_page_get_context (KG_PAGE (self));

  G_OBJECT_CLASS (kg_token_page_parent_class)->constructed (object);

  if (context != NULL)
    g_signal_connect_object (kg_app_context_get_http (context), "exchange-recorded",
                             G_CALLBACK (exchange_recorded_cb), self, G_CONNECT_SWAPPED);
  update_state (self);
}

static void
kg_token_page_dispose (GObject *object)
{
  KgTokenPage *self = KG_TOKEN_PAGE (object);

  kg_page_cancel_operation (KG_PAGE (self));
  /* Do not leave the token on the clipboard after the window is gone. */
  kg_clipboard_clear_secret (GTK_WIDGET (self));
  g_clear_handle_id (&self->countdown_source, g_source_remove);
  set_client (self, NULL);
  g_clear_object (&self->last_exchange);

  G_OBJECT_CLASS (kg_token_page_parent_class)->dispose (object);
}

static void
kg_token_page_class_init (KgTokenPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  KgPageClass *page_class = KG_PAGE_CLASS (klass);

  object_class->constructed = kg_token_page_constructed;
  object_class->dispose = kg_token_page_dispose;
  widget_class->map = kg_token_page_map;
  widget_class->unmap = kg_token_page_unmap;
  page_class->profile_changed = kg_token_page_profile_changed;

  g_type_ensure (KG_TYPE_RESPONSE_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/kg-token-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KgTokenPage, stack);
  gtk_widget_class_bind_template_child (widget_class, KgTokenPage, preview_label);
  gtk_widget_class_bind_template_child (widget_class, KgTokenPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, KgTokenPage, forget_button);
  gtk_widget_class_bind_template_child (widget_class, KgTokenPage, exchange_button);
  gtk_widget_class_bind_template_child (widget_class, KgTokenPage, token_row);
  gtk_widget_class_bind_template_child (widget_class, KgTokenPage, copy_token_button);
  gtk_widget_class_bind_template_child (widget_class, KgTokenPage, type_row);
  gtk_widget_class_bind_template_child (widget_class, KgTokenPage, expiry_row);
  gtk_widget_class_bind_template_child (widget_class, KgTokenPage, response_view);
  gtk_widget_class_bind_template_callback (widget_class, forget_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, copy_token_clicked_cb);

  gtk_widget_class_install_action (widget_class, "page.exchange", NULL, exchange_action);
}

static void
kg_token_page_init (KgTokenPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  kg_page_set_main_action (KG_PAGE (self), "page.exchange");

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->copy_token_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Copy the token"), -1);
  gtk_stack_set_visible_child_name (self->stack, "empty");

  g_signal_connect (self, "notify::busy", G_CALLBACK (busy_changed_cb), NULL);
  g_signal_group_connect_swapped (kg_page_get_profile_signals (KG_PAGE (self)), "notify",
                                  G_CALLBACK (refresh_profile), self);
}

GtkWidget *
kg_token_page_new (KgAppContext *context)
{
  return g_object_new (KG_TYPE_TOKEN_PAGE, "context", context, NULL);
}
