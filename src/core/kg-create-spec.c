/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "keygate-profile"

#include <glib/gi18n-lib.h>

#include "kg-create-spec.h"
#include "kg-error.h"

/* JSON helpers ---------------------------------------------------------- */

JsonNode *
kg_json_node_deep_copy (JsonNode *node)
{
  g_return_val_if_fail (node != NULL, NULL);

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *source = json_node_get_object (node);
        g_autoptr(JsonObject) copy = json_object_new ();
        g_autoptr(GList) members = json_object_get_members (source);

        for (const GList *l = members; l != NULL; l = l->next)
          json_object_set_member (copy, l->data,
                                  kg_json_node_deep_copy (json_object_get_member (source,
                                                                                  l->data)));
        return json_node_init_object (json_node_alloc (), copy);
      }

    case JSON_NODE_ARRAY:
      {
        JsonArray *source = json_node_get_array (node);
        guint length = json_array_get_length (source);
        g_autoptr(JsonArray) copy = json_array_sized_new (length);

        for (guint i = 0; i < length; i++)
          json_array_add_element (copy,
                                  kg_json_node_deep_copy (json_array_get_element (source, i)));
        return json_node_init_array (json_node_alloc (), copy);
      }

    case JSON_NODE_VALUE:
    case JSON_NODE_NULL:
    default:
      return json_node_copy (node);
    }
}

static JsonObject *
deep_copy_object (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
  g_autoptr(JsonNode) copy = kg_json_node_deep_copy (node);

  return json_node_dup_object (copy);
}

/* Parses a non-negative decimal array index, rejecting "", "+1", "01x"... */
static gboolean
parse_index (const char *segment,
             guint      *index)
{
  guint64 value = 0;

  if (segment[0] == '\0')
    return FALSE;
  for (const char *p = segment; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
      value = value * 10 + (guint64) (*p - '0');
      if (value > G_MAXUINT)
        return FALSE;
    }
  *index = (guint) value;
  return TRUE;
}

JsonNode *
kg_json_path_lookup (JsonNode   *node,
                     const char *path)
{
  g_auto(GStrv) segments = NULL;

  if (node == NULL || path == NULL || path[0] == '\0')
    return NULL;

  segments = g_strsplit (path, ".", -1);
  for (guint i = 0; segments[i] != NULL; i++)
    {
      const char *segment = segments[i];

      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObject *object = json_node_get_object (node);

          if (!json_object_has_member (object, segment))
            return NULL;
          node = json_object_get_member (object, segment);
        }
      else if (JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);
          guint index;

          if (!parse_index (segment, &index) || index >= json_array_get_length (array))
            return NULL;
          node = json_array_get_element (array, index);
        }
      else
        {
          return NULL;
        }
    }

  return node;
}

/* The object ------------------------------------------------------------ */

struct _KgCreateSpec
{
  GObject     parent_instance;

  char       *method;
  char       *path;
  char       *name_field;
  char       *description_field;
  char       *id_path;
  char       *message_path;
  JsonObject *extra_fields;

  JsonObject *unknown;
};

G_DEFINE_FINAL_TYPE (KgCreateSpec, kg_create_spec, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_METHOD,
  PROP_PATH,
  PROP_NAME_FIELD,
  PROP_DESCRIPTION_FIELD,
  PROP_ID_PATH,
  PROP_MESSAGE_PATH,
  PROP_EXTRA_FIELDS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const json_keys[N_PROPS] = {
  [PROP_METHOD] = "method",
  [PROP_PATH] = "path",
  [PROP_NAME_FIELD] = "name_field",
  [PROP_DESCRIPTION_FIELD] = "description_field",
  [PROP_ID_PATH] = "id_path",
  [PROP_MESSAGE_PATH] = "message_path",
  [PROP_EXTRA_FIELDS] = "extra_fields",
};

static void
set_string_field (KgCreateSpec  *self,
                  char         **field,
                  const char    *value,
                  guint          prop_id)
{
  char *copy;

  if (value == NULL)
    value = "";
  if (g_strcmp0 (*field, value) == 0)
    return;
  copy = g_strdup (value);
  g_free (*field);
  *field = copy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
kg_create_spec_finalize (GObject *object)
{
  KgCreateSpec *self = (KgCreateSpec *)object;

  g_clear_pointer (&self->method, g_free);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->name_field, g_free);
  g_clear_pointer (&self->description_field, g_free);
  g_clear_pointer (&self->id_path, g_free);
  g_clear_pointer (&self->message_path, g_free);
  g_clear_pointer (&self->extra_fields, json_object_unref);
  g_clear_pointer (&self->unknown, json_object_unref);

  G_OBJECT_CLASS (kg_create_spec_parent_class)->finalize (object);
}

static void
kg_create_spec_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  KgCreateSpec *self = KG_CREATE_SPEC (object);

  switch (prop_id)
    {
    case PROP_METHOD: g_value_set_string (value, self->method); break;
    case PROP_PATH: g_value_set_string (value, self->path); break;
    case PROP_NAME_FIELD: g_value_set_string (value, self->name_field); break;
    case PROP_DESCRIPTION_FIELD: g_value_set_string (value, self->description_field); break;
    case PROP_ID_PATH: g_value_set_string (value, self->id_path); break;
    case PROP_MESSAGE_PATH: g_value_set_string (value, self->message_path); break;
    case PROP_EXTRA_FIELDS: g_value_set_boxed (value, self->extra_fields); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kg_create_spec_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  KgCreateSpec *self = KG_CREATE_SPEC (object);

  switch (prop_id)
    {
    case PROP_METHOD: kg_create_spec_set_method (self, g_value_get_string (value)); break;
    case PROP_PATH: kg_create_spec_set_path (self, g_value_get_string (value)); break;
    case PROP_NAME_FIELD: kg_create_spec_set_name_field (self, g_value_get_string (value)); break;
    case PROP_DESCRIPTION_FIELD:
      kg_create_spec_set_description_field (self, g_value_get_string (value));
      break;
    case PROP_ID_PATH: kg_create_spec_set_id_path (self, g_value_get_string (value)); break;
    case PROP_MESSAGE_PATH: kg_create_spec_set_message_path (self, g_value_get_string (value)); break;
    case PROP_EXTRA_FIELDS: kg_create_spec_set_extra_fields (self, g_value_get_boxed (value)); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kg_create_spec_class_init (KgCreateSpecClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = kg_create_spec_finalize;
  object_class->get_property = kg_create_spec_get_property;
  object_class->set_property = kg_create_spec_set_property;

  properties[PROP_METHOD] =
    g_param_spec_string ("method", NULL, NULL, "POST", flags);
  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, "/api/project/create", flags);
  properties[PROP_NAME_FIELD] =
    g_param_spec_string ("name-field", NULL, NULL, "project_name", flags);
  properties[PROP_DESCRIPTION_FIELD] =
    g_param_spec_string ("description-field", NULL, NULL, "project_description", flags);
  properties[PROP_ID_PATH] =
    g_param_spec_string ("id-path", NULL, NULL, "project_id", flags);
  properties[PROP_MESSAGE_PATH] =
    g_param_spec_string ("message-path", NULL, NULL, "message", flags);
  properties[PROP_EXTRA_FIELDS] =
    g_param_spec_boxed ("extra-fields", NULL, NULL, JSON_TYPE_OBJECT, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kg_create_spec_init (KgCreateSpec *self)
{
  self->method = g_strdup ("POST");
  self->path = g_strdup ("/api/project/create");
  self->name_field = g_strdup ("project_name");
  self->description_field = g_strdup ("project_description");
  self->id_path = g_strdup ("project_id");
  self->message_path = g_strdup ("message");
  self->extra_fields = json_object_new ();
}

KgCreateSpec *
kg_create_spec_new (void)
{
  return g_object_new (KG_TYPE_CREATE_SPEC, NULL);
}

KgCreateSpec *
kg_create_spec_new_from_json (JsonObject  *object,
                              GError     **error)
{
  g_autoptr(KgCreateSpec) self = NULL;
  g_autoptr(GList) members = NULL;

  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = kg_create_spec_new ();
  members = json_object_get_members (object);

  for (const GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *node = json_object_get_member (object, name);
      guint prop_id = 0;

      for (guint i = 1; i < N_PROPS; i++)
        if (g_strcmp0 (json_keys[i], name) == 0)
          prop_id = i;

      if (prop_id == 0)
        {
          if (self->unknown == NULL)
            self->unknown = json_object_new ();
          json_object_set_member (self->unknown, name, kg_json_node_deep_copy (node));
        }
      else if (prop_id == PROP_EXTRA_FIELDS)
        {
          if (JSON_NODE_HOLDS_NULL (node))
            continue;
          if (!JSON_NODE_HOLDS_OBJECT (node))
            {
              g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                           _("Create settings: “%s” must be a JSON object."), name);
              return NULL;
            }
          kg_create_spec_set_extra_fields (self, json_node_get_object (node));
        }
      else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        {
          g_object_set (self, properties[prop_id]->name, json_node_get_string (node), NULL);
        }
      else if (!JSON_NODE_HOLDS_NULL (node))
        {
          g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                       _("Create settings: “%s” must be a string."), name);
          return NULL;
        }
    }

  return g_steal_pointer (&self);
}

JsonObject *
kg_create_spec_to_json (KgCreateSpec *self)
{
  JsonObject *object;

  g_return_val_if_fail (KG_IS_CREATE_SPEC (self), NULL);

  object = json_object_new ();
  json_object_set_string_member (object, "method", self->method);
  json_object_set_string_member (object, "path", self->path);
  json_object_set_string_member (object, "name_field", self->name_field);
  json_object_set_string_member (object, "description_field", self->description_field);
  json_object_set_string_member (object, "id_path", self->id_path);
  json_object_set_string_member (object, "message_path", self->message_path);
  json_object_set_object_member (object, "extra_fields", deep_copy_object (self->extra_fields));

  if (self->unknown != NULL)
    {
      g_autoptr(GList) members = json_object_get_members (self->unknown);

      for (const GList *l = members; l != NULL; l = l->next)
        json_object_set_member (object, l->data,
                                kg_json_node_deep_copy (json_object_get_member (self->unknown,
                                                                                l->data)));
    }

  return object;
}

KgCreateSpec *
kg_create_spec_dup (KgCreateSpec *self)
{
  g_autoptr(JsonObject) object = NULL;
  KgCreateSpec *copy;

  g_return_val_if_fail (KG_IS_CREATE_SPEC (self), NULL);

  object = kg_create_spec_to_json (self);
  copy = kg_create_spec_new_from_json (object, NULL);
  g_assert (copy != NULL);
  return copy;
}

const char *
kg_create_spec_get_method (KgCreateSpec *self)
{
  g_return_val_if_fail (KG_IS_CREATE_SPEC (self), NULL);
  return self->method;
}

void
kg_create_spec_set_method (KgCreateSpec *self,
                           const char   *method)
{
  g_autofree char *upper = NULL;

  g_return_if_fail (KG_IS_CREATE_SPEC (self));

  upper = method ? g_ascii_strup (method, -1) : NULL;
  set_string_field (self, &self->method, upper, PROP_METHOD);
}

const char *
kg_create_spec_get_path (KgCreateSpec *self)
{
  g_return_val_if_fail (KG_IS_CREATE_SPEC (self), NULL);
  return self->path;
}

void
kg_create_spec_set_path (KgCreateSpec *self,
                         const char   *path)
{
  g_return_if_fail (KG_IS_CREATE_SPEC (self));
  set_string_field (self, &self->path, path, PROP_PATH);
}

const char *
kg_create_spec_get_name_field (KgCreateSpec *self)
{
  g_return_val_if_fail (KG_IS_CREATE_SPEC (self), NULL);
  return self->name_field;
}

void
kg_create_spec_set_name_field (KgCreateSpec *self,
                               const char   *field)
{
  g_return_if_fail (KG_IS_CREATE_SPEC (self));
  set_string_field (self, &self->name_field, field, PROP_NAME_FIELD);
}

const char *
kg_create_spec_get_description_field (KgCreateSpec *self)
{
  g_return_val_if_fail (KG_IS_CREATE_SPEC (self), NULL);
  return self->description_field;
}

void
kg_create_spec_set_description_field (KgCreateSpec *self,
                                      const char   *field)
{
  g_return_if_fail (KG_IS_CREATE_SPEC (self));
  set_string_field (self, &self->description_field, field, PROP_DESCRIPTION_FIELD);
}

const char *
kg_create_spec_get_id_path (KgCreateSpec *self)
{
  g_return_val_if_fail (KG_IS_CREATE_SPEC (self), NULL);
  return self->id_path;
}

void
kg_create_spec_set_id_path (KgCreateSpec *self,
                            const char   *path)
{
  g_return_if_fail (KG_IS_CREATE_SPEC (self));
  set_string_field (self, &self->id_path, path, PROP_ID_PATH);
}

const char *
kg_create_spec_get_message_path (KgCreateSpec *self)
{
  g_return_val_if_fail (KG_IS_CREATE_SPEC (self), NULL);
  return self->message_path;
}

void
kg_create_spec_set_message_path (KgCreateSpec *self,
                                 const char   *path)
{
  g_return_if_fail (KG_IS_CREATE_SPEC (self));
  set_string_field (self, &self->message_path, path, PROP_MESSAGE_PATH);
}

/* Borrowed, never NULL (an empty object when there are none). */
JsonObject *
kg_create_spec_get_extra_fields (KgCreateSpec *self)
{
  g_return_val_if_fail (KG_IS_CREATE_SPEC (self), NULL);
  return self->extra_fields;
}

/* Keeps a deep copy of @fields (NULL: none). */
void
kg_create_spec_set_extra_fields (KgCreateSpec *self,
                                 JsonObject   *fields)
{
  g_return_if_fail (KG_IS_CREATE_SPEC (self));

  if (fields == NULL)
    {
      if (json_object_get_size (self->extra_fields) == 0)
        return;
      g_clear_pointer (&self->extra_fields, json_object_unref);
      self->extra_fields = json_object_new ();
    }
  else
    {
      if (fields == self->extra_fields || json_object_equal (fields, self->extra_fields))
        return;
      g_clear_pointer (&self->extra_fields, json_object_unref);
      self->extra_fields = deep_copy_object (fields);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXTRA_FIELDS]);
}
