/* SPDX-License-Identifier: GPL-3.0-or-later */
/* KgRequestEditor: the fields of one workbench request, read from and
 * written to the collection format's JSON object. */
#define G_LOG_DOMAIN "keygate-app"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "keygate-core.h"
#include "kg-field-provider.h"
#include "kg-json-editor.h"
#include "kg-request-editor.h"

/* Positions in the body dropdown. */
enum {
  BODY_NONE,
  BODY_JSON,
  BODY_FORM,
  BODY_TEXT,
};

/* The HTTP methods of the method dropdown, in its order. */
static const char * const http_methods[] = { "GET", "POST", "PUT", "PATCH", "DELETE" };

/* The auth dropdown, in its order. */
static const KgRouteAuth auths[] = {
  KG_ROUTE_AUTH_NONE, KG_ROUTE_AUTH_API_KEY, KG_ROUTE_AUTH_TOKEN,
};

enum {
  MODEL_COLUMN_MODEL,
  MODEL_COLUMN_NAME,
};

struct _KgRequestEditor
{
  AdwBin           parent_instance;

  GtkEntry        *name_entry;
  GtkToggleButton *call_toggle;
  GtkToggleButton *http_toggle;
  GtkStack        *kind_stack;
  GtkEntry        *model_entry;
  GtkEntry        *method_entry;
  GtkMenuButton   *method_menu_button;
  KgJsonEditor    *args_editor;
  KgJsonEditor    *kwargs_editor;
  GtkDropDown     *http_method_dropdown;
  GtkEntry        *path_entry;
  GtkDropDown     *auth_dropdown;
  KgJsonEditor    *query_editor;
  KgJsonEditor    *headers_editor;
  GtkDropDown     *body_dropdown;
  KgJsonEditor    *body_editor;

  JsonObject      *original;    /* the request shown: its other members are kept */
  GtkListStore    *models;      /* model names for completion */
  KgFieldProvider *fields;      /* the model's fields, for completion in args and kwargs */
  char            *problem;     /* NULL when valid */
  guint            loading;     /* set_request is filling the fields */
};

G_DEFINE_FINAL_TYPE (KgRequestEditor, kg_request_editor, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_VALID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  ACTIVATE,
  MODELS_WANTED,
  FIELDS_WANTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
is_http (KgRequestEditor *self)
{
  return gtk_toggle_button_get_active (self->http_toggle);
}

static char *
dup_stripped (GtkEntry *entry)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
}

static const char *
find_problem (KgRequestEditor *self)
{
  g_autofree char *model = dup_stripped (self->model_entry);
  g_autofree char *method = dup_stripped (self->method_entry);
  g_autofree char *path = dup_stripped (self->path_entry);

  if (!is_http (self))
    {
      if (model[0] == '\0')
        return _("A model call needs a model, e.g. project.project.");
      if (method[0] == '\0')
        return _("A model call needs a method, e.g. search_read.");
      if (!kg_json_editor_get_valid (self->args_editor))
        return _("Fix the arguments (args) first.");
      if (!kg_json_editor_get_valid (self->kwargs_editor))
        return _("Fix the named arguments (kwargs) first.");
      return NULL;
    }

  if (path[0] == '\0')
    return _("An HTTP route needs a path, e.g. /api/project/create.");
  if (!kg_json_editor_get_valid (self->query_editor))
    return _("Fix the query parameters first.");
  if (!kg_json_editor_get_valid (self->headers_editor))
    return _("Fix the headers first.");
  if (gtk_drop_down_get_selected (self->body_dropdown) != BODY_NONE &&
      !kg_json_editor_get_valid (self->body_editor))
    return _("Fix the body first.");
  return NULL;
}

static void
update_validity (KgRequestEditor *self)
{
  const char *problem = find_problem (self);
  gboolean was_valid = self->problem == NULL;

  g_free (self->problem);
  self->problem = g_strdup (problem);
  if (was_valid != (self->problem == NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALID]);
}

static void
edited_cb (KgRequestEditor *self)
{
  update_validity (self);
  if (self->loading == 0)
    g_signal_emit (self, signals[CHANGED], 0);
}

static void
entry_activated_cb (KgRequestEditor *self)
{
  g_signal_emit (self, signals[ACTIVATE], 0);
}

static void
kind_toggled_cb (KgRequestEditor *self)
{
  gtk_stack_set_visible_child_name (self->kind_stack, is_http (self) ? "http" : "call");
  /* Each button's "toggled" comes once for the one turned off, once for
   * the one turned on: react to the second. */
  if (gtk_toggle_button_get_active (self->call_toggle) != gtk_toggle_button_get_active (
        self->http_toggle))
    edited_cb (self);
}

static void
update_body_editor (KgRequestEditor *self)
{
  guint body = gtk_drop_down_get_selected (self->body_dropdown);

  gtk_widget_set_visible (GTK_WIDGET (self->body_editor), body != BODY_NONE);
  kg_json_editor_set_kind (self->body_editor,
                           body == BODY_FORM ? KG_JSON_EDITOR_STRING_MAP :
                           body == BODY_TEXT ? KG_JSON_EDITOR_TEXT :
                           KG_JSON_EDITOR_ANY);
}

static void
body_selected_cb (KgRequestEditor *self)
{
  update_body_editor (self);
  edited_cb (self);
}

static void
method_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  KgRequestEditor *self = KG_REQUEST_EDITOR (widget);

  gtk_editable_set_text (GTK_EDITABLE (self->method_entry), g_variant_get_string (parameter,
                                                                                  NULL));
  gtk_widget_grab_focus (GTK_WIDGET (self->method_entry));
  gtk_editable_set_position (GTK_EDITABLE (self->method_entry), -1);
}

static void
model_focus_cb (KgRequestEditor *self)
{
  g_signal_emit (self, signals[MODELS_WANTED], 0);
}

/* Into args or kwargs: the model's fields are wanted, unless known. */
static void
arguments_focus_cb (KgRequestEditor *self)
{
  g_autofree char *model = dup_stripped (self->model_entry);

  if (model[0] != '\0' && g_strcmp0 (model, kg_field_provider_get_model (self->fields)) != 0)
    g_signal_emit (self, signals[FIELDS_WANTED], 0, model);
}

/* Another model: its fields are not the ones offered. */
static void
model_changed_cb (KgRequestEditor *self)
{
  g_autofree char *model = dup_stripped (self->model_entry);

  if (kg_field_provider_get_model (self->fields) != NULL &&
      g_strcmp0 (model, kg_field_provider_get_model (self->fields)) != 0)
    kg_field_provider_set_fields (self->fields, NULL, NULL);
}

static void
setup_field_completion (KgRequestEditor *self,
                        KgJsonEditor    *editor)
{
  GtkSourceView *view = GTK_SOURCE_VIEW (kg_json_editor_get_view (editor));
  GtkEventController *focus = gtk_event_controller_focus_new ();

  gtk_source_completion_add_provider (gtk_source_view_get_completion (view),
                                      GTK_SOURCE_COMPLETION_PROVIDER (self->fields));
  g_signal_connect_object (focus, "enter", G_CALLBACK (arguments_focus_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (view), focus);
}

/* A model matches what is typed when its technical or display name
 * contains it, in any case. */
static gboolean
model_match_cb (GtkEntryCompletion *completion,
                const char         *key,
                GtkTreeIter        *iter,
                gpointer            user_data)
{
  KgRequestEditor *self = user_data;
  g_autofree char *model = NULL;
  g_autofree char *name = NULL;
  g_autofree char *folded_key = g_utf8_casefold (key, -1);
  g_autofree char *folded_model = NULL;
  g_autofree char *folded_name = NULL;

  gtk_tree_model_get (GTK_TREE_MODEL (self->models), iter, MODEL_COLUMN_MODEL, &model,
                      MODEL_COLUMN_NAME, &name, -1);
  if (model == NULL)
    return FALSE;
  folded_model = g_utf8_casefold (model, -1);
  folded_name = name ? g_utf8_casefold (name, -1) : NULL;
  return strstr (folded_model, folded_key) != NULL ||
         (folded_name != NULL && strstr (folded_name, folded_key) != NULL);
}

static void
setup_completion (KgRequestEditor *self)
{
  g_autoptr(GtkEntryCompletion) completion = gtk_entry_completion_new ();
  GtkCellRenderer *name_cell = gtk_cell_renderer_text_new ();

  self->models = gtk_list_store_new (2, G_TYPE_STRING, G_TYPE_STRING);
  gtk_entry_completion_set_model (completion, GTK_TREE_MODEL (self->models));
  gtk_entry_completion_set_text_column (completion, MODEL_COLUMN_MODEL);
  gtk_entry_completion_set_minimum_key_length (completion, 1);
  gtk_entry_completion_set_match_func (completion, model_match_cb, self, NULL);
  g_object_set (name_cell, "ellipsize", PANGO_ELLIPSIZE_END, "xpad", 12, NULL);
  gtk_cell_layout_pack_start (GTK_CELL_LAYOUT (completion), name_cell, TRUE);
  gtk_cell_layout_add_attribute (GTK_CELL_LAYOUT (completion), name_cell, "text",
                                 MODEL_COLUMN_NAME);
  gtk_entry_set_completion (self->model_entry, completion);
}

/* Reading and writing the request ---------------------------------------- */

static const char *
get_string (JsonObject *object,
            const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonObject *
get_object (JsonObject *object,
            const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static void
set_entry (GtkEntry   *entry,
           const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), text ? text : "");
}

static void
show_call (KgRequestEditor *self,
           JsonObject      *call)
{
  set_entry (self->model_entry, get_string (call, "model"));
  set_entry (self->method_entry, get_string (call, "method"));
  kg_json_editor_set_node (self->args_editor,
                           call ? json_object_get_member (call, "args") : NULL);
  kg_json_editor_set_node (self->kwargs_editor,
                           call ? json_object_get_member (call, "kwargs") : NULL);
}

static void
show_http (KgRequestEditor *self,
           JsonObject      *http)
{
  const char *method = get_string (http, "method");
  const char *auth_text = get_string (http, "auth");
  KgRouteAuth auth = KG_ROUTE_AUTH_NONE;
  guint body = BODY_NONE;
  JsonNode *node;

  gtk_drop_down_set_selected (self->http_method_dropdown, 0);
  for (guint i = 0; method != NULL && i < G_N_ELEMENTS (http_methods); i++)
    if (g_ascii_strcasecmp (method, http_methods[i]) == 0)
      gtk_drop_down_set_selected (self->http_method_dropdown, i);
  set_entry (self->path_entry, get_string (http, "path"));

  if (auth_text != NULL)
    kg_route_auth_from_string (auth_text, &auth);
  for (guint i = 0; i < G_N_ELEMENTS (auths); i++)
    if (auths[i] == auth)
      gtk_drop_down_set_selected (self->auth_dropdown, i);

  kg_json_editor_set_node (self->query_editor,
                           http ? json_object_get_member (http, "query") : NULL);
  kg_json_editor_set_node (self->headers_editor,
                           http ? json_object_get_member (http, "headers") : NULL);

  if (http != NULL && (node = json_object_get_member (http, "json")) != NULL)
    body = BODY_JSON;
  else if (http != NULL && (node = json_object_get_member (http, "form")) != NULL)
    body = BODY_FORM;
  else if (http != NULL && get_string (http, "data") != NULL)
    body = BODY_TEXT;
  gtk_drop_down_set_selected (self->body_dropdown, body);
  update_body_editor (self);
  if (body == BODY_TEXT)
    kg_json_editor_set_text (self->body_editor, get_string (http, "data"));
  else if (body != BODY_NONE)
    kg_json_editor_set_node (self->body_editor, node);
  else
    kg_json_editor_set_text (self->body_editor, NULL);
}

void
kg_request_editor_set_request (KgRequestEditor *self,
                               JsonObject      *request)
{
  JsonObject *http;

  g_return_if_fail (KG_IS_REQUEST_EDITOR (self));

  self->loading++;
  g_clear_pointer (&self->original, json_object_unref);
  if (request != NULL)
    self->original = kg_json_object_deep_copy (request);

  set_entry (self->name_entry, get_string (request, "name"));
  http = get_object (request, "http");
  /* The fields of the other kind are cleared, not left from before. */
  show_call (self, http == NULL ? get_object (request, "call") : NULL);
  show_http (self, http);
  gtk_toggle_button_set_active (http != NULL ? self->http_toggle : self->call_toggle, TRUE);
  gtk_stack_set_visible_child_name (self->kind_stack, http != NULL ? "http" : "call");
  self->loading--;

  update_validity (self);
}

/* @member of @object set to the editor's value, or removed when the
 * editor is empty or does not parse. */
static void
set_member_from_editor (JsonObject   *object,
                        const char   *member,
                        KgJsonEditor *editor)
{
  JsonNode *node = kg_json_editor_dup_node (editor);

  if (node != NULL)
    json_object_set_member (object, member, node);
  else if (json_object_has_member (object, member))
    json_object_remove_member (object, member);
}

static JsonObject *
build_call (KgRequestEditor *self,
            JsonObject      *original)
{
  JsonObject *call = original ? kg_json_object_deep_copy (original) : json_object_new ();
  g_autofree char *model = dup_stripped (self->model_entry);
  g_autofree char *method = dup_stripped (self->method_entry);

  json_object_set_string_member (call, "model", model);
  json_object_set_string_member (call, "method", method);
  set_member_from_editor (call, "args", self->args_editor);
  set_member_from_editor (call, "kwargs", self->kwargs_editor);
  return call;
}

static JsonObject *
build_http (KgRequestEditor *self,
            JsonObject      *original)
{
  JsonObject *http = original ? kg_json_object_deep_copy (original) : json_object_new ();
  g_autofree char *path = dup_stripped (self->path_entry);
  guint method = gtk_drop_down_get_selected (self->http_method_dropdown);
  guint auth = gtk_drop_down_get_selected (self->auth_dropdown);
  guint body = gtk_drop_down_get_selected (self->body_dropdown);
  const char *bodies[] = { "json", "form", "data" };

  json_object_set_string_member (http, "method",
                                 http_methods[MIN (method, G_N_ELEMENTS (http_methods) - 1)]);
  json_object_set_string_member (http, "path", path);
  auth = MIN (auth, G_N_ELEMENTS (auths) - 1);
  if (auths[auth] != KG_ROUTE_AUTH_NONE || json_object_has_member (http, "auth"))
    json_object_set_string_member (http, "auth", kg_route_auth_to_string (auths[auth]));
  set_member_from_editor (http, "query", self->query_editor);
  set_member_from_editor (http, "headers", self->headers_editor);

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    if (json_object_has_member (http, bodies[i]))
      json_object_remove_member (http, bodies[i]);
  if (body == BODY_TEXT)
    {
      g_autofree char *text = kg_json_editor_dup_text (self->body_editor);

      json_object_set_string_member (http, "data", text);
    }
  else if (body == BODY_JSON)
    set_member_from_editor (http, "json", self->body_editor);
  else if (body == BODY_FORM)
    set_member_from_editor (http, "form", self->body_editor);
  return http;
}

JsonObject *
kg_request_editor_dup_request (KgRequestEditor *self)
{
  JsonObject *request;
  g_autofree char *name = NULL;

  g_return_val_if_fail (KG_IS_REQUEST_EDITOR (self), NULL);

  request = json_object_new ();
  name = dup_stripped (self->name_entry);
  json_object_set_string_member (request, "name", name[0] ? name : _("Unnamed request"));
  if (is_http (self))
    json_object_set_object_member (request, "http",
                                   build_http (self, get_object (self->original, "http")));
  else
    json_object_set_object_member (request, "call",
                                   build_call (self, get_object (self->original, "call")));

  /* The members the editor does not show, in their order. */
  if (self->original != NULL)
    {
      JsonObjectIter iter;
      const char *member;
      JsonNode *node;

      json_object_iter_init (&iter, self->original);
      while (json_object_iter_next (&iter, &member, &node))
        if (!g_str_equal (member, "name") && !g_str_equal (member, "call") &&
            !g_str_equal (member, "http"))
          json_object_set_member (request, member, kg_json_node_deep_copy (node));
    }

  return request;
}

gboolean
kg_request_editor_get_valid (KgRequestEditor *self)
{
  g_return_val_if_fail (KG_IS_REQUEST_EDITOR (self), FALSE);
  return self->problem == NULL;
}

const char *
kg_request_editor_get_problem (KgRequestEditor *self)
{
  g_return_val_if_fail (KG_IS_REQUEST_EDITOR (self), NULL);
  return self->problem;
}

void
kg_request_editor_focus_name (KgRequestEditor *self)
{
  g_return_if_fail (KG_IS_REQUEST_EDITOR (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->name_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->name_entry), 0, -1);
}

void
kg_request_editor_set_models (KgRequestEditor    *self,
                              const char * const *pairs)
{
  g_return_if_fail (KG_IS_REQUEST_EDITOR (self));

  gtk_list_store_clear (self->models);
  for (guint i = 0; pairs != NULL && pairs[i] != NULL && pairs[i + 1] != NULL; i += 2)
    gtk_list_store_insert_with_values (self->models, NULL, -1,
                                       MODEL_COLUMN_MODEL, pairs[i],
                                       MODEL_COLUMN_NAME, pairs[i + 1],
                                       -1);
}

/* GObject ---------------------------------------------------------------- */

static void
kg_request_editor_finalize (GObject *object)
{
  KgRequestEditor *self = KG_REQUEST_EDITOR (object);

  g_clear_pointer (&self->original, json_object_unref);
  g_clear_object (&self->models);
  g_clear_object (&self->fields);
  g_clear_pointer (&self->problem, g_free);

  G_OBJECT_CLASS (kg_request_editor_parent_class)->finalize (object);
}

static void
kg_request_editor_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  KgRequestEditor *self = KG_REQUEST_EDITOR (object);

  switch (prop_id)
    {
    case PROP_VALID:
      g_value_set_boolean (value, self->problem == NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kg_request_editor_class_init (KgRequestEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = kg_request_editor_finalize;
  object_class->get_property = kg_request_editor_get_property;

  properties[PROP_VALID] =
    g_param_spec_boolean ("valid", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[ACTIVATE] = g_signal_new ("activate", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[MODELS_WANTED] = g_signal_new ("models-wanted", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 0);
  signals[FIELDS_WANTED] = g_signal_new ("fields-wanted", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (KG_TYPE_JSON_EDITOR);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/kg-request-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, KgRequestEditor, name_entry);
  gtk_widget_class_bind_template_child (widget_class, KgRequestEditor, call_toggle);
  gtk_widget_class_bind_template_child (widget_class, KgRequestEditor, http_toggle);
  gtk_widget_class_bind_template_child (widget_class, KgRequestEditor, kind_stack);
  gtk_widget_class_bind_template_child (widget_class, KgRequestEditor, model_entry);
  gtk_widget_class_bind_template_child (widget_class, KgRequestEditor, method_entry);
  gtk_widget_class_bind_template_child (widget_class, KgRequestEditor, method_menu_button);
  gtk_widget_class_bind_template_child (widget_class, KgRequestEditor, args_editor);
  gtk_widget_class_bind_template_child (widget_class, KgRequestEditor, kwargs_editor);
  gtk_widget_class_bind_template_child (widget_class, KgRequestEditor, http_method_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KgRequestEditor, path_entry);
  gtk_widget_class_bind_template_child (widget_class, KgRequestEditor, auth_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KgRequestEditor, query_editor);
  gtk_widget_class_bind_template_child (widget_class, KgRequestEditor, headers_editor);
  gtk_widget_class_bind_template_child (widget_class, KgRequestEditor, body_dropdown);
  gtk_widget_class_bind_template_child (widget_class, KgRequestEditor, body_editor);
  gtk_widget_class_bind_template_callback (widget_class, edited_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, kind_toggled_cb);

  gtk_widget_class_install_action (widget_class, "editor.method", "s", method_action);
}

static void
kg_request_editor_init (KgRequestEditor *self)
{
  GtkEventController *focus;

  gtk_widget_init_template (GTK_WIDGET (self));

  kg_json_editor_set_kind (self->args_editor, KG_JSON_EDITOR_ARRAY);
  kg_json_editor_set_kind (self->kwargs_editor, KG_JSON_EDITOR_OBJECT);
  kg_json_editor_set_kind (self->query_editor, KG_JSON_EDITOR_STRING_MAP);
  kg_json_editor_set_kind (self->headers_editor, KG_JSON_EDITOR_STRING_MAP);
  update_body_editor (self);
  setup_completion (self);
  self->fields = kg_field_provider_new ();
  setup_field_completion (self, self->args_editor);
  setup_field_completion (self, self->kwargs_editor);
  g_signal_connect_object (self->model_entry, "changed", G_CALLBACK (model_changed_cb), self,
                           G_CONNECT_SWAPPED);

  g_signal_connect_object (self->http_method_dropdown, "notify::selected",
                           G_CALLBACK (edited_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->auth_dropdown, "notify::selected",
                           G_CALLBACK (edited_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->body_dropdown, "notify::selected",
                           G_CALLBACK (body_selected_cb), self, G_CONNECT_SWAPPED);

  focus = gtk_event_controller_focus_new ();
  g_signal_connect_object (focus, "enter", G_CALLBACK (model_focus_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->model_entry), focus);

  update_validity (self);
}

GtkWidget *
kg_request_editor_new (void)
{
  return g_object_new (KG_TYPE_REQUEST_EDITOR, NULL);
}

void
kg_request_editor_set_fields (KgRequestEditor *self,
                              const char      *model,
                              JsonObject      *fields)
{
  g_autofree char *current = NULL;

  g_return_if_fail (KG_IS_REQUEST_EDITOR (self));

  current = dup_stripped (self->model_entry);
  if (fields != NULL && g_strcmp0 (model, current) != 0)
    return;
  kg_field_provider_set_fields (self->fields, model, fields);
}

const char *
kg_request_editor_get_fields_model (KgRequestEditor *self)
{
  g_return_val_if_fail (KG_IS_REQUEST_EDITOR (self), NULL);
  return kg_field_provider_get_model (self->fields);
}
