/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "keygate-call"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kg-error.h"
#include "kg-model-call.h"

struct _KgModelCall
{
  GObject     parent_instance;

  char       *model;
  char       *method;
  JsonArray  *args;
  JsonObject *kwargs;
};

G_DEFINE_FINAL_TYPE (KgModelCall, kg_model_call, G_TYPE_OBJECT)

/* How JSON-2 names the positional arguments of the ORM methods (Odoo 19's
 * signatures). "ids" is the recordset of the record methods. */
typedef struct
{
  const char *method;
  const char *params[7];   /* NULL-terminated */
} Json2Signature;

static const Json2Signature json2_signatures[] = {
  { "create",          { "vals_list", NULL } },
  { "read",            { "ids", "fields", "load", NULL } },
  { "write",           { "ids", "vals", NULL } },
  { "unlink",          { "ids", NULL } },
  { "search",          { "domain", "offset", "limit", "order", NULL } },
  { "search_read",     { "domain", "fields", "offset", "limit", "order", NULL } },
  { "search_count",    { "domain", "limit", NULL } },
  { "name_search",     { "name", "domain", "operator", "limit", NULL } },
  { "fields_get",      { "allfields", "attributes", NULL } },
  { "web_search_read", { "domain", "specification", "offset", "limit", "order", "count_limit",
                         NULL } },
};

static void
kg_model_call_finalize (GObject *object)
{
  KgModelCall *self = KG_MODEL_CALL (object);

  g_free (self->model);
  g_free (self->method);
  g_clear_pointer (&self->args, json_array_unref);
  g_clear_pointer (&self->kwargs, json_object_unref);

  G_OBJECT_CLASS (kg_model_call_parent_class)->finalize (object);
}

static void
kg_model_call_class_init (KgModelCallClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kg_model_call_finalize;
}

static void
kg_model_call_init (KgModelCall *self)
{
}

/* Odoo model names: "project.project", "res.users.apikeys". */
static gboolean
is_model_name (const char *name)
{
  if (name == NULL || !g_ascii_isalpha (name[0]))
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '.')
      return FALSE;
  return TRUE;
}

static gboolean
is_method_name (const char *name)
{
  if (name == NULL || name[0] == '\0' || g_ascii_isdigit (name[0]))
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_')
      return FALSE;
  return TRUE;
}

KgModelCall *
kg_model_call_new (const char  *model,
                   const char  *method,
                   JsonArray   *args,
                   JsonObject  *kwargs,
                   GError     **error)
{
  KgModelCall *self;

  if (model == NULL || model[0] == '\0')
    {
      g_set_error_literal (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                           _("A model call needs a model, e.g. “project.project”."));
      return NULL;
    }
  if (!is_model_name (model))
    {
      g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                   /* Translators: %s is what the user gave as a model name */
                   _("“%s” is not an Odoo model name: use letters, digits, dots and underscores, "
                     "e.g. “project.project”."), model);
      return NULL;
    }
  if (method == NULL || method[0] == '\0')
    {
      g_set_error_literal (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                           _("A model call needs a method, e.g. “search_read”."));
      return NULL;
    }
  if (!is_method_name (method))
    {
      g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                   /* Translators: %s is what the user gave as a method name */
                   _("“%s” is not a method name: use letters, digits and underscores, "
                     "e.g. “search_read”."), method);
      return NULL;
    }

  self = g_object_new (KG_TYPE_MODEL_CALL, NULL);
  self->model = g_strdup (model);
  self->method = g_strdup (method);
  self->args = args != NULL ? json_array_ref (args) : json_array_new ();
  self->kwargs = kwargs != NULL ? json_object_ref (kwargs) : json_object_new ();
  return self;
}

/* The string member @name, or NULL with @error set (missing or not a
 * string). */
static const char *
required_string (JsonObject  *call,
                 const char  *name,
                 GError     **error)
{
  JsonNode *node = json_object_get_member (call, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                   /* Translators: %s is a JSON member name ("model", "method") */
                   _("The call has no “%s”."), name);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                   /* Translators: %s is a JSON member name ("model", "method") */
                   _("The call’s “%s” must be a string."), name);
      return NULL;
    }
  return json_node_get_string (node);
}

KgModelCall *
kg_model_call_new_from_json (JsonObject  *call,
                             GError     **error)
{
  const char *model;
  const char *method;
  JsonNode *args;
  JsonNode *kwargs;

  g_return_val_if_fail (call != NULL, NULL);

  model = required_string (call, "model", error);
  if (model == NULL)
    return NULL;
  method = required_string (call, "method", error);
  if (method == NULL)
    return NULL;

  args = json_object_get_member (call, "args");
  if (args != NULL && !JSON_NODE_HOLDS_ARRAY (args))
    {
      g_set_error_literal (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                           _("The call’s “args” must be an array of positional arguments, "
                             "e.g. [[1, 2]]."));
      return NULL;
    }
  kwargs = json_object_get_member (call, "kwargs");
  if (kwargs != NULL && !JSON_NODE_HOLDS_OBJECT (kwargs))
    {
      g_set_error_literal (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                           _("The call’s “kwargs” must be an object of named arguments, "
                             "e.g. {\"fields\": [\"name\"]}."));
      return NULL;
    }

  return kg_model_call_new (model, method,
                            args != NULL ? json_node_get_array (args) : NULL,
                            kwargs != NULL ? json_node_get_object (kwargs) : NULL,
                            error);
}

const char *
kg_model_call_get_model (KgModelCall *self)
{
  g_return_val_if_fail (KG_IS_MODEL_CALL (self), NULL);
  return self->model;
}

const char *
kg_model_call_get_method (KgModelCall *self)
{
  g_return_val_if_fail (KG_IS_MODEL_CALL (self), NULL);
  return self->method;
}

JsonArray *
kg_model_call_get_args (KgModelCall *self)
{
  g_return_val_if_fail (KG_IS_MODEL_CALL (self), NULL);
  return self->args;
}

JsonObject *
kg_model_call_get_kwargs (KgModelCall *self)
{
  g_return_val_if_fail (KG_IS_MODEL_CALL (self), NULL);
  return self->kwargs;
}

static const Json2Signature *
find_signature (const char *method)
{
  for (guint i = 0; i < G_N_ELEMENTS (json2_signatures); i++)
    if (g_str_equal (json2_signatures[i].method, method))
      return &json2_signatures[i];
  return NULL;
}

static char *
join_params (const Json2Signature *signature)
{
  return g_strjoinv (", ", (char **) signature->params);
}

/* execute_kw accepts one id where a list is meant; JSON-2 wants the list. */
static JsonNode *
ids_node (JsonNode *given)
{
  if (JSON_NODE_HOLDS_VALUE (given) && json_node_get_value_type (given) == G_TYPE_INT64)
    {
      JsonArray *list = json_array_new ();
      JsonNode *node = json_node_new (JSON_NODE_ARRAY);

      json_array_add_element (list, json_node_copy (given));
      json_node_take_array (node, list);
      return node;
    }
  return json_node_copy (given);
}

JsonNode *
kg_model_call_to_json2_body (KgModelCall  *self,
                             GError      **error)
{
  g_autoptr(JsonObject) body = json_object_new ();
  const Json2Signature *signature;
  guint n_args;
  guint n_params;
  g_autoptr(GList) members = NULL;
  JsonNode *node;

  g_return_val_if_fail (KG_IS_MODEL_CALL (self), NULL);

  n_args = json_array_get_length (self->args);
  signature = find_signature (self->method);

  if (n_args > 0 && signature == NULL)
    {
      g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                   /* Translators: %s is an Odoo method name */
                   _("JSON-2 takes named arguments only, and Keygate does not know the names of "
                     "the positional arguments of “%s”: give them in kwargs instead of args."),
                   self->method);
      return NULL;
    }

  n_params = signature != NULL ? g_strv_length ((char **) signature->params) : 0;
  if (n_args > n_params)
    {
      g_autofree char *names = join_params (signature);

      g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                   /* Translators: %s is an Odoo method name, %u a count, the last %s the
                    * argument names */
                   g_dngettext (GETTEXT_PACKAGE,
                                "“%s” takes %u positional argument over JSON-2 (%s); "
                                "give the others in kwargs.",
                                "“%s” takes %u positional arguments over JSON-2 (%s); "
                                "give the others in kwargs.", n_params),
                   self->method, n_params, names);
      return NULL;
    }

  for (guint i = 0; i < n_args; i++)
    {
      const char *param = signature->params[i];
      JsonNode *arg = json_array_get_element (self->args, i);

      if (json_object_has_member (self->kwargs, param))
        {
          g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                       /* Translators: %s is an argument name, then an Odoo method name */
                       _("The argument “%s” of “%s” is given twice, in args and in kwargs; "
                         "give it once."), param, self->method);
          return NULL;
        }
      node = g_str_equal (param, "ids") ? ids_node (arg) : json_node_copy (arg);
      json_object_set_member (body, param, node);
    }

  /* In the given order (json_object_iter is in hash order). */
  members = json_object_get_members (self->kwargs);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *value = json_object_get_member (self->kwargs, l->data);

      json_object_set_member (body, l->data, g_str_equal (l->data, "ids") ? ids_node (value)
                                                                          : json_node_copy (value));
    }

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, body);
  return node;
}
