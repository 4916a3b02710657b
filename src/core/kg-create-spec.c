/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "keygate-profile"

#include <glib/gi18n-lib.h>

#include "kg-create-spec.h"
#include "kg-error.h"
#include "kg-json.h"

/* The object ------------------------------------------------------------ */

enum {
  PROP_0,
  PROP_METHOD,
  PROP_PATH,
  PROP_NAME_FIELD,
  PROP_DESCRIPTION_FIELD,
  PROP_ID_PATH,
  PROP_MESSAGE_PATH,
  N_TEXT_PROPS,
  PROP_EXTRA_FIELDS = N_TEXT_PROPS,
  N_PROPS
};

struct _KgCreateSpec
{
  GObject     parent_instance;

  /* The text fields, indexed by property id (PROP_METHOD..PROP_MESSAGE_PATH). */
  char       *text[N_TEXT_PROPS];
  JsonObject *extra_fields;

  JsonObject *unknown;
};

G_DEFINE_FINAL_TYPE (KgCreateSpec, kg_create_spec, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

/* Member names in the file, indexed by property id (see kg_json_member_name). */
static const char *json_keys[N_PROPS];

/* The defaults, indexed by property id. */
static const char * const defaults[N_TEXT_PROPS] = {
  [PROP_METHOD] = "POST",
  [PROP_PATH] = "/api/project/create",
  [PROP_NAME_FIELD] = "project_name",
  [PROP_DESCRIPTION_FIELD] = "project_description",
  [PROP_ID_PATH] = "project_id",
  [PROP_MESSAGE_PATH] = "message",
};

/* NULL is stored as ""; the method is kept in capitals. */
static void
set_text (KgCreateSpec *self,
          guint         prop_id,
          const char   *value)
{
  g_autofree char *upper = NULL;

  g_assert (prop_id > PROP_0 && prop_id < N_TEXT_PROPS);

  if (value == NULL)
    value = "";
  if (prop_id == PROP_METHOD)
    value = upper = g_ascii_strup (value, -1);
  if (g_strcmp0 (self->text[prop_id], value) == 0)
    return;
  g_free (self->text[prop_id]);
  self->text[prop_id] = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
kg_create_spec_finalize (GObject *object)
{
  KgCreateSpec *self = (KgCreateSpec *)object;

  for (guint i = 0; i < N_TEXT_PROPS; i++)
    g_clear_pointer (&self->text[i], g_free);
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

  if (prop_id > PROP_0 && prop_id < N_TEXT_PROPS)
    g_value_set_string (value, self->text[prop_id]);
  else if (prop_id == PROP_EXTRA_FIELDS)
    g_value_set_boxed (value, self->extra_fields);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
kg_create_spec_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  KgCreateSpec *self = KG_CREATE_SPEC (object);

  if (prop_id > PROP_0 && prop_id < N_TEXT_PROPS)
    set_text (self, prop_id, g_value_get_string (value));
  else if (prop_id == PROP_EXTRA_FIELDS)
    kg_create_spec_set_extra_fields (self, g_value_get_boxed (value));
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
kg_create_spec_class_init (KgCreateSpecClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  static const char * const names[N_TEXT_PROPS] = {
    [PROP_METHOD] = "method",
    [PROP_PATH] = "path",
    [PROP_NAME_FIELD] = "name-field",
    [PROP_DESCRIPTION_FIELD] = "description-field",
    [PROP_ID_PATH] = "id-path",
    [PROP_MESSAGE_PATH] = "message-path",
  };

  object_class->finalize = kg_create_spec_finalize;
  object_class->get_property = kg_create_spec_get_property;
  object_class->set_property = kg_create_spec_set_property;

  for (guint i = PROP_0 + 1; i < N_TEXT_PROPS; i++)
    properties[i] = g_param_spec_string (names[i], NULL, NULL, defaults[i], flags);
  properties[PROP_EXTRA_FIELDS] =
    g_param_spec_boxed ("extra-fields", NULL, NULL, JSON_TYPE_OBJECT, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
  for (guint i = PROP_0 + 1; i < N_PROPS; i++)
    json_keys[i] = kg_json_member_name (properties[i]);
}

static void
kg_create_spec_init (KgCreateSpec *self)
{
  for (guint i = PROP_0 + 1; i < N_TEXT_PROPS; i++)
    self->text[i] = g_strdup (defaults[i]);
  self->extra_fields = json_object_new ();
}

KgCreateSpec *
kg_create_spec_new (void)
{
  return g_object_new (KG_TYPE_CREATE_SPEC, NULL);
}

JsonObject *
kg_create_spec_to_json (KgCreateSpec *self)
{
  JsonObject *object;

  g_return_val_if_fail (KG_IS_CREATE_SPEC (self), NULL);

  object = json_object_new ();
  for (guint i = PROP_0 + 1; i < N_TEXT_PROPS; i++)
    json_object_set_string_member (object, json_keys[i], self->text[i]);
  json_object_set_object_member (object, json_keys[PROP_EXTRA_FIELDS],
                                 kg_json_object_deep_copy (self->extra_fields));
  kg_json_object_add_members (object, self->unknown);

  return object;
}

/* A KgJsonReadFunc: a null or absent member keeps the default. */
static gboolean
read_members (gpointer     instance,
              JsonObject  *object,
              GError     **error)
{
  KgCreateSpec *self = instance;
  JsonObject *extra_fields = NULL;

  for (guint i = PROP_0 + 1; i < N_TEXT_PROPS; i++)
    {
      const char *text = NULL;

      if (!kg_json_read_string (object, json_keys[i], FALSE, &text, error))
        return FALSE;
      if (text != NULL)
        set_text (self, i, text);
    }

  if (!kg_json_read_object (object, json_keys[PROP_EXTRA_FIELDS], FALSE, &extra_fields, error))
    return FALSE;
  if (extra_fields != NULL)
    kg_create_spec_set_extra_fields (self, extra_fields);

  self->unknown = kg_json_object_dup_unknown (object, json_keys, N_PROPS);
  return TRUE;
}

KgCreateSpec *
kg_create_spec_new_from_json (JsonObject  *object,
                              GError     **error)
{
  return kg_json_load (KG_TYPE_CREATE_SPEC, object, read_members, _("Create settings: "), error);
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

static const char *
get_text (KgCreateSpec *self,
          guint         prop_id)
{
  g_return_val_if_fail (KG_IS_CREATE_SPEC (self), NULL);
  return self->text[prop_id];
}

const char *
kg_create_spec_get_method (KgCreateSpec *self)
{
  return get_text (self, PROP_METHOD);
}

void
kg_create_spec_set_method (KgCreateSpec *self,
                           const char   *method)
{
  g_return_if_fail (KG_IS_CREATE_SPEC (self));
  set_text (self, PROP_METHOD, method);
}

const char *
kg_create_spec_get_path (KgCreateSpec *self)
{
  return get_text (self, PROP_PATH);
}

void
kg_create_spec_set_path (KgCreateSpec *self,
                         const char   *path)
{
  g_return_if_fail (KG_IS_CREATE_SPEC (self));
  set_text (self, PROP_PATH, path);
}

const char *
kg_create_spec_get_name_field (KgCreateSpec *self)
{
  return get_text (self, PROP_NAME_FIELD);
}

void
kg_create_spec_set_name_field (KgCreateSpec *self,
                               const char   *field)
{
  g_return_if_fail (KG_IS_CREATE_SPEC (self));
  set_text (self, PROP_NAME_FIELD, field);
}

const char *
kg_create_spec_get_description_field (KgCreateSpec *self)
{
  return get_text (self, PROP_DESCRIPTION_FIELD);
}

void
kg_create_spec_set_description_field (KgCreateSpec *self,
                                      const char   *field)
{
  g_return_if_fail (KG_IS_CREATE_SPEC (self));
  set_text (self, PROP_DESCRIPTION_FIELD, field);
}

const char *
kg_create_spec_get_id_path (KgCreateSpec *self)
{
  return get_text (self, PROP_ID_PATH);
}

void
kg_create_spec_set_id_path (KgCreateSpec *self,
                            const char   *path)
{
  g_return_if_fail (KG_IS_CREATE_SPEC (self));
  set_text (self, PROP_ID_PATH, path);
}

const char *
kg_create_spec_get_message_path (KgCreateSpec *self)
{
  return get_text (self, PROP_MESSAGE_PATH);
}

void
kg_create_spec_set_message_path (KgCreateSpec *self,
                                 const char   *path)
{
  g_return_if_fail (KG_IS_CREATE_SPEC (self));
  set_text (self, PROP_MESSAGE_PATH, path);
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
      self->extra_fields = kg_json_object_deep_copy (fields);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXTRA_FIELDS]);
}
