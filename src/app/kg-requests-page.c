/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Requests page: the request workbench. One request (a model call or
 * an HTTP route, edited in a KgRequestEditor as the collection format's
 * JSON object) is sent with KgCaller through the selected connection: the
 * key from the keyring, the token through the context's token client. The
 * answer goes to the shared KgResponseView. Send is "page.send"
 * (Ctrl+Return), with Cancel while it is in flight. */
#define G_LOG_DOMAIN "keygate-app"

#include "config.h"

#include <glib/gi18n.h>

#include "kg-requests-page-private.h"

G_DEFINE_FINAL_TYPE (KgRequestsPage, kg_requests_page, KG_TYPE_PAGE)

/* Sending ---------------------------------------------------------------- */

/* The page is touched only while @cancellable is not cancelled: the page
 * cancels it before it goes away. */
typedef struct
{
  KgRequestsPage *self;
  GCancellable   *cancellable;
  KgCaller       *caller;
  KgModelCall    *call;
  KgRoute        *route;
} SendData;

static void
send_data_free (SendData *data)
{
  g_clear_object (&data->cancellable);
  g_clear_object (&data->caller);
  g_clear_object (&data->call);
  g_clear_object (&data->route);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SendData, send_data_free)

static gboolean
can_send (KgRequestsPage *self)
{
  KgPage *page = KG_PAGE (self);

  return kg_page_get_context (page) != NULL && kg_page_get_profile (page) != NULL &&
         kg_request_editor_get_valid (self->editor) && !kg_page_get_busy (page);
}

void
kg_requests_page_update_state (KgRequestsPage *self)
{
  KgPage *page = KG_PAGE (self);
  gboolean busy = kg_page_get_busy (page);
  const char *hint = NULL;

  if (kg_page_get_profile (page) == NULL)
    hint = _("Select a connection first.");
  else if (!kg_request_editor_get_valid (self->editor))
    hint = kg_request_editor_get_problem (self->editor);
  else if (busy)
    hint = _("Sending…");

  gtk_label_set_label (self->hint_label, hint ? hint : "");
  gtk_widget_set_visible (GTK_WIDGET (self->hint_label), hint != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.send", can_send (self));
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
}

KgCaller *
kg_requests_page_ensure_caller (KgRequestsPage *self)
{
  KgPage *page = KG_PAGE (self);
  KgProfile *profile = kg_page_get_profile (page);
  KgAppContext *context = kg_page_get_context (page);

  if (self->caller == NULL)
    self->caller = kg_caller_new (kg_app_context_get_http (context), profile,
                                  kg_app_context_get_token_client (context, profile));
  return self->caller;
}

/* The id a create answered ({"result": 42} or {"result": [42]}), or 0. */
static gint64
created_id (KgCallResult *result)
{
  JsonNode *json = kg_call_result_get_json (result);
  JsonNode *value;
  gint64 id = 0;

  value = json ? kg_json_path_lookup (json, "$.result", NULL) : NULL;
  if (value != NULL && JSON_NODE_HOLDS_ARRAY (value) &&
      json_array_get_length (json_node_get_array (value)) == 1)
    value = json_array_get_element (json_node_get_array (value), 0);
  if (value == NULL || !kg_json_get_record_id (value, &id))
    return 0;
  return id;
}

static void
show_outcome (KgRequestsPage *self,
              SendData       *data,
              KgCallResult   *result,
              const GError   *error)
{
  if (result == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      kg_response_view_set_error (self->response_view, error);
      kg_page_report_error (KG_PAGE (self), error);
      return;
    }

  if (!kg_call_result_get_ok (result))
    {
      kg_response_view_set_error (self->response_view, kg_call_result_get_error (result));
      kg_page_report_error (KG_PAGE (self), kg_call_result_get_error (result));
      return;
    }

  kg_response_view_set_exchange (self->response_view, kg_call_result_get_exchange (result));
  if (data->call != NULL && g_str_equal (kg_model_call_get_method (data->call), "create"))
    {
      gint64 id = created_id (result);

      if (id > 0)
        {
          kg_response_view_set_record_model (self->response_view,
                                             kg_model_call_get_model (data->call));
          kg_response_view_set_result (self->response_view, id, _("Record created"));
        }
    }
}

static void
sent_cb (GObject      *source,
         GAsyncResult *res,
         gpointer      user_data)
{
  g_autoptr(SendData) data = user_data;
  g_autoptr(KgCallResult) result = NULL;
  g_autoptr(GError) error = NULL;
  KgRequestsPage *self = data->self;

  if (data->call != NULL)
    result = kg_caller_call_model_finish (KG_CALLER (source), res, &error);
  else
    result = kg_caller_send_route_finish (KG_CALLER (source), res, &error);

  /* Cancelled, a newer request or a profile change took over: drop this
   * answer (the page may be gone). */
  if (g_cancellable_is_cancelled (data->cancellable))
    return;
  kg_page_end_operation (KG_PAGE (self), data->cancellable);
  show_outcome (self, data, result, error);
  kg_requests_page_collection_sent (self, result);
}

static void
send_with_key (SendData   *data,
               const char *key)
{
  KgCaller *caller = data->caller;
  GCancellable *cancellable = data->cancellable;

  if (data->call != NULL)
    kg_caller_call_model_async (caller, key, data->call, cancellable, sent_cb, data);
  else
    kg_caller_send_route_async (caller, key, data->route, cancellable, sent_cb, data);
}

static void
key_looked_up_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(SendData) data = user_data;
  g_autoptr(KgSecretString) key = NULL;
  g_autoptr(GError) error = NULL;

  key = kg_keyring_lookup_finish (result, &error);
  if (g_cancellable_is_cancelled (data->cancellable))
    return;
  if (key == NULL)
    {
      kg_page_end_operation (KG_PAGE (data->self), data->cancellable);
      show_outcome (data->self, data, NULL, error);
      return;
    }
  send_with_key (g_steal_pointer (&data), key);
}

/* A model call or a route from the request's "call" / "http" object, the
 * collection's variables and the values captured so far substituted. */
static gboolean
build_request (KgRequestsPage  *self,
               SendData        *data,
               JsonObject      *source,
               GError         **error)
{
  g_autoptr(JsonNode) expanded = NULL;
  JsonObject *request = source;
  JsonNode *http;

  if (self->collection != NULL)
    {
      g_autoptr(KgVariables) variables = kg_requests_page_dup_variables (self);
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

      json_node_set_object (node, source);
      expanded = kg_template_expand (node, variables, error);
      if (expanded == NULL)
        return FALSE;
      request = json_node_get_object (expanded);
    }
  http = json_object_get_member (request, "http");

  if (http != NULL)
    {
      data->route = kg_route_new_from_json (json_node_get_object (http), error);
      return data->route != NULL;
    }
  data->call = kg_model_call_new_from_json (json_object_get_object_member (request, "call"),
                                            error);
  return data->call != NULL;
}

static void
send_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  KgRequestsPage *self = KG_REQUESTS_PAGE (widget);
  KgPage *page = KG_PAGE (widget);
  g_autoptr(SendData) data = NULL;
  g_autoptr(JsonObject) request = NULL;
  g_autoptr(GError) error = NULL;

  if (!can_send (self))
    return;

  request = kg_request_editor_dup_request (self->editor);
  data = g_new0 (SendData, 1);
  data->self = self;
  data->cancellable = g_object_ref (kg_page_begin_operation (page));
  data->caller = g_object_ref (kg_requests_page_ensure_caller (self));
  kg_response_view_clear (self->response_view);

  if (!build_request (self, data, request, &error))
    {
      kg_page_end_operation (page, data->cancellable);
      show_outcome (self, data, NULL, error);
      return;
    }

  /* A route without credentials needs no key. */
  if (data->route != NULL && kg_route_get_auth (data->route) == KG_ROUTE_AUTH_NONE)
    {
      send_with_key (g_steal_pointer (&data), NULL);
      return;
    }
  kg_keyring_lookup_async (kg_page_get_profile (page), data->cancellable, key_looked_up_cb,
                           data);
  data = NULL;
}

static void
cancel_clicked_cb (KgRequestsPage *self)
{
  kg_page_cancel_operation (KG_PAGE (self));
}

static void
editor_changed_cb (KgRequestsPage *self)
{
  kg_requests_page_update_state (self);
  kg_requests_page_collection_edited (self);
}

static void
editor_activated_cb (KgRequestsPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "page.send", NULL);
}

/* The connection ---------------------------------------------------------- */

static void
kg_requests_page_profile_changed (KgPage    *page,
                                  KgProfile *old_profile)
{
  KgRequestsPage *self = KG_REQUESTS_PAGE (page);
  KgProfile *profile = kg_page_get_profile (page);

  g_clear_object (&self->caller);
  kg_requests_page_schema_profile_changed (self);
  kg_response_view_set_profile (self->response_view, profile);
  kg_response_view_clear (self->response_view);
  kg_requests_page_update_state (self);
}

/* The connection was edited in place (URL, database, login, protocol):
 * nothing cached for it holds any more. */
static void
profile_edited_cb (KgRequestsPage *self)
{
  KgProfile *profile = kg_page_get_profile (KG_PAGE (self));

  g_clear_object (&self->caller);
  if (profile != NULL)
    kg_requests_page_schema_forget (self, profile);
}

/* GObject ---------------------------------------------------------------- */

static void
kg_requests_page_dispose (GObject *object)
{
  KgRequestsPage *self = KG_REQUESTS_PAGE (object);

  kg_page_cancel_operation (KG_PAGE (self));
  kg_requests_page_collection_dispose (self);
  kg_requests_page_files_dispose (self);
  g_clear_object (&self->caller);

  G_OBJECT_CLASS (kg_requests_page_parent_class)->dispose (object);
}

static void
kg_requests_page_finalize (GObject *object)
{
  KgRequestsPage *self = KG_REQUESTS_PAGE (object);

  kg_requests_page_schema_finalize (self);

  G_OBJECT_CLASS (kg_requests_page_parent_class)->finalize (object);
}

static void
kg_requests_page_constructed (GObject *object)
{
  G_OBJECT_CLASS (kg_requests_page_parent_class)->constructed (object);
  kg_requests_page_collection_constructed (KG_REQUESTS_PAGE (object));
  kg_requests_page_files_constructed (KG_REQUESTS_PAGE (object));
  kg_requests_page_update_state (KG_REQUESTS_PAGE (object));
}

static void
kg_requests_page_class_init (KgRequestsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  KgPageClass *page_class = KG_PAGE_CLASS (klass);

  object_class->constructed = kg_requests_page_constructed;
  object_class->dispose = kg_requests_page_dispose;
  object_class->finalize = kg_requests_page_finalize;
  page_class->profile_changed = kg_requests_page_profile_changed;

  g_type_ensure (KG_TYPE_REQUEST_EDITOR);
  g_type_ensure (KG_TYPE_RESPONSE_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/kg-requests-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KgRequestsPage, sidebar_button);
  gtk_widget_class_bind_template_child (widget_class, KgRequestsPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, KgRequestsPage, collection_menu_button);
  gtk_widget_class_bind_template_child (widget_class, KgRequestsPage, flap);
  gtk_widget_class_bind_template_child (widget_class, KgRequestsPage, request_list);
  gtk_widget_class_bind_template_child (widget_class, KgRequestsPage, run_summary_label);
  gtk_widget_class_bind_template_child (widget_class, KgRequestsPage, run_button);
  gtk_widget_class_bind_template_child (widget_class, KgRequestsPage, run_cancel_button);
  gtk_widget_class_bind_template_child (widget_class, KgRequestsPage, recent_menu);
  gtk_widget_class_bind_template_child (widget_class, KgRequestsPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, KgRequestsPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, KgRequestsPage, send_button);
  gtk_widget_class_bind_template_child (widget_class, KgRequestsPage, hint_label);
  gtk_widget_class_bind_template_child (widget_class, KgRequestsPage, paned);
  gtk_widget_class_bind_template_child (widget_class, KgRequestsPage, editor_scroller);
  gtk_widget_class_bind_template_child (widget_class, KgRequestsPage, editor);
  gtk_widget_class_bind_template_child (widget_class, KgRequestsPage, response_view);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, editor_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, editor_activated_cb);
  kg_requests_page_schema_class_init (widget_class);
  kg_requests_page_variables_class_init (widget_class);

  gtk_widget_class_install_action (widget_class, "page.send", NULL, send_action);

  kg_requests_page_collection_class_init (widget_class);
  kg_requests_page_files_class_init (widget_class);
  kg_requests_page_curl_class_init (widget_class);
}

static void
kg_requests_page_init (KgRequestsPage *self)
{
  g_autoptr(JsonObject) request = json_object_new ();
  g_autoptr(JsonObject) call = json_object_new ();
  g_autoptr(JsonArray) args = json_array_new ();
  g_autoptr(JsonArray) fields = json_array_new ();
  g_autoptr(JsonObject) kwargs = json_object_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  kg_requests_page_schema_init (self);
  kg_requests_page_collection_init (self);
  kg_requests_page_files_init (self);

  /* Something that works as it is: the projects the key can see. */
  json_array_add_array_element (args, json_array_new ());
  json_array_add_string_element (fields, "name");
  json_object_set_array_member (kwargs, "fields", g_steal_pointer (&fields));
  json_object_set_int_member (kwargs, "limit", 5);
  json_object_set_string_member (call, "model", "project.project");
  json_object_set_string_member (call, "method", "search_read");
  json_object_set_array_member (call, "args", g_steal_pointer (&args));
  json_object_set_object_member (call, "kwargs", g_steal_pointer (&kwargs));
  json_object_set_string_member (request, "name", _("List projects"));
  json_object_set_object_member (request, "call", g_steal_pointer (&call));
  kg_request_editor_set_request (self->editor, request);

  /* Ctrl+Return anywhere in the page sends, from a JSON editor too. */
  kg_page_set_main_action (KG_PAGE (self), "page.send");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->send_button),
                                  GTK_ACCESSIBLE_PROPERTY_KEY_SHORTCUTS, "Control+Return", -1);
  g_signal_connect (self, "notify::busy", G_CALLBACK (kg_requests_page_update_state), NULL);
  g_signal_connect_object (self->editor, "notify::valid",
                           G_CALLBACK (kg_requests_page_update_state), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_swapped (kg_page_get_profile_signals (KG_PAGE (self)), "notify",
                                  G_CALLBACK (profile_edited_cb), self);
  kg_requests_page_update_state (self);
}

void
kg_requests_page_open_request (KgRequestsPage *self,
                               JsonObject     *request,
                               gboolean        send)
{
  g_return_if_fail (KG_IS_REQUESTS_PAGE (self));
  g_return_if_fail (request != NULL);

  if (self->collection != NULL)
    kg_requests_page_insert_request (self, request);
  else
    kg_request_editor_set_request (self->editor, request);
  kg_requests_page_update_state (self);
  if (send)
    gtk_widget_activate_action (GTK_WIDGET (self), "page.send", NULL);
}

GtkWidget *
kg_requests_page_new (KgAppContext *context)
{
  return g_object_new (KG_TYPE_REQUESTS_PAGE, "context", context, NULL);
}
