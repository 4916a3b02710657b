/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "keygate-profile"

#include <glib/gi18n-lib.h>

#include "kg-error.h"
#include "kg-json.h"
#include "kg-token-spec.h"

/* Enum types ------------------------------------------------------------ */

G_DEFINE_ENUM_TYPE (KgParamLocation, kg_param_location,
                    G_DEFINE_ENUM_VALUE (KG_PARAM_HEADER, "header"),
                    G_DEFINE_ENUM_VALUE (KG_PARAM_BODY, "body"),
                    G_DEFINE_ENUM_VALUE (KG_PARAM_QUERY, "query"),
                    G_DEFINE_ENUM_VALUE (KG_PARAM_NONE, "none"))

G_DEFINE_ENUM_TYPE (KgTokenSend, kg_token_send,
                    G_DEFINE_ENUM_VALUE (KG_TOKEN_SEND_BEARER, "bearer"),
                    G_DEFINE_ENUM_VALUE (KG_TOKEN_SEND_HEADER, "header"))

G_DEFINE_ENUM_TYPE (KgTokenPreset, kg_token_preset,
                    G_DEFINE_ENUM_VALUE (KG_TOKEN_PRESET_TUTORIAL, "tutorial"),
                    G_DEFINE_ENUM_VALUE (KG_TOKEN_PRESET_API_KEY_HEADER, "api-key-header"),
                    G_DEFINE_ENUM_VALUE (KG_TOKEN_PRESET_JSON2, "json2"),
                    G_DEFINE_ENUM_VALUE (KG_TOKEN_PRESET_CUSTOM, "custom"))

KG_JSON_DEFINE_ENUM_STRINGS (KgParamLocation, kg_param_location, KG_TYPE_PARAM_LOCATION)
KG_JSON_DEFINE_ENUM_STRINGS (KgTokenSend, kg_token_send, KG_TYPE_TOKEN_SEND)
KG_JSON_DEFINE_ENUM_STRINGS (KgTokenPreset, kg_token_preset, KG_TYPE_TOKEN_PRESET)

/* The object ------------------------------------------------------------ */

enum {
  PROP_0,
  PROP_PRESET,
  PROP_EXCHANGE,
  PROP_METHOD,
  PROP_PATH,
  PROP_DB_LOCATION,
  PROP_DB_PARAM,
  PROP_KEY_LOCATION,
  PROP_KEY_PARAM,
  PROP_TOKEN_PATH,
  PROP_EXPIRES_IN_PATH,
  PROP_EXPIRES_AT_PATH,
  PROP_SEND_AS,
  PROP_SEND_HEADER,
  PROP_LIFETIME,
  N_PROPS
};

struct _KgTokenSpec
{
  GObject          parent_instance;

  KgTokenPreset    preset;
  gboolean         exchange;
  /* The text fields, indexed by property id (NULL for the others). */
  char            *text[N_PROPS];
  KgParamLocation  db_location;
  KgParamLocation  key_location;
  KgTokenSend      send_as;
  guint            lifetime;

  /* Members of the JSON object this was loaded from that we don't know. */
  JsonObject      *unknown;
  /* > 0 while a preset or a saved spec is being applied: no flip to custom. */
  guint            applying;
};

G_DEFINE_FINAL_TYPE (KgTokenSpec, kg_token_spec, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

/* Member names in the file, indexed by property id (see kg_json_member_name). */
static const char *json_keys[N_PROPS];

static void
set_preset_internal (KgTokenSpec   *self,
                     KgTokenPreset  preset)
{
  if (self->preset == preset)
    return;
  self->preset = preset;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRESET]);
}

/* Called after a field changed: a hand-edited field makes the spec custom. */
static void
field_changed (KgTokenSpec *self,
               guint        prop_id)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
  if (self->applying == 0)
    set_preset_internal (self, KG_TOKEN_PRESET_CUSTOM);
}

static void
set_string_field (KgTokenSpec *self,
                  guint        prop_id,
                  const char  *value)
{
  if (value == NULL)
    value = "";
  if (g_strcmp0 (self->text[prop_id], value) == 0)
    return;
  g_free (self->text[prop_id]);
  self->text[prop_id] = g_strdup (value);
  field_changed (self, prop_id);
}

static void
dup_string (char       **field,
            const char  *value)
{
  char *copy = g_strdup (value);

  g_free (*field);
  *field = copy;
}

static void
kg_token_spec_finalize (GObject *object)
{
  KgTokenSpec *self = (KgTokenSpec *)object;

  for (guint i = 0; i < N_PROPS; i++)
    g_clear_pointer (&self->text[i], g_free);
  g_clear_pointer (&self->unknown, json_object_unref);

  G_OBJECT_CLASS (kg_token_spec_parent_class)->finalize (object);
}

static void
kg_token_spec_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  KgTokenSpec *self = KG_TOKEN_SPEC (object);

  if (G_IS_PARAM_SPEC_STRING (pspec))
    {
      g_value_set_string (value, self->text[prop_id]);
      return;
    }

  switch (prop_id)
    {
    case PROP_PRESET: g_value_set_enum (value, self->preset); break;
    case PROP_EXCHANGE: g_value_set_boolean (value, self->exchange); break;
    case PROP_DB_LOCATION: g_value_set_enum (value, self->db_location); break;
    case PROP_KEY_LOCATION: g_value_set_enum (value, self->key_location); break;
    case PROP_SEND_AS: g_value_set_enum (value, self->send_as); break;
    case PROP_LIFETIME: g_value_set_uint (value, self->lifetime); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kg_token_spec_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  KgTokenSpec *self = KG_TOKEN_SPEC (object);

  switch (prop_id)
    {
    case PROP_PRESET: kg_token_spec_apply_preset (self, g_value_get_enum (value)); break;
    case PROP_EXCHANGE: kg_token_spec_set_exchange (self, g_value_get_boolean (value)); break;
    case PROP_METHOD: kg_token_spec_set_method (self, g_value_get_string (value)); break;
    case PROP_PATH: kg_token_spec_set_path (self, g_value_get_string (value)); break;
    case PROP_DB_LOCATION: kg_token_spec_set_db_location (self, g_value_get_enum (value)); break;
    case PROP_DB_PARAM: kg_token_spec_set_db_param (self, g_value_get_string (value)); break;
    case PROP_KEY_LOCATION: kg_token_spec_set_key_location (self, g_value_get_enum (value)); break;
    case PROP_KEY_PARAM: kg_token_spec_set_key_param (self, g_value_get_string (value)); break;
    case PROP_TOKEN_PATH: kg_token_spec_set_token_path (self, g_value_get_string (value)); break;
    case PROP_EXPIRES_IN_PATH:
      kg_token_spec_set_expires_in_path (self, g_value_get_string (value));
      break;
    case PROP_EXPIRES_AT_PATH:
      kg_token_spec_set_expires_at_path (self, g_value_get_string (value));
      break;
    case PROP_SEND_AS: kg_token_spec_set_send_as (self, g_value_get_enum (value)); break;
    case PROP_SEND_HEADER: kg_token_spec_set_send_header (self, g_value_get_string (value)); break;
    case PROP_LIFETIME: kg_token_spec_set_lifetime (self, g_value_get_uint (value)); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kg_token_spec_class_init (KgTokenSpecClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = kg_token_spec_finalize;
  object_class->get_property = kg_token_spec_get_property;
  object_class->set_property = kg_token_spec_set_property;

  /* Setting "preset" applies it (every field takes the preset's value). */
  properties[PROP_PRESET] =
    g_param_spec_enum ("preset", NULL, NULL,
                       KG_TYPE_TOKEN_PRESET, KG_TOKEN_PRESET_TUTORIAL, flags);
  properties[PROP_EXCHANGE] =
    g_param_spec_boolean ("exchange", NULL, NULL, TRUE, flags);
  properties[PROP_METHOD] =
    g_param_spec_string ("method", NULL, NULL, "POST", flags);
  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, "/auth/token/apikey", flags);
  properties[PROP_DB_LOCATION] =
    g_param_spec_enum ("db-location", NULL, NULL,
                       KG_TYPE_PARAM_LOCATION, KG_PARAM_HEADER, flags);
  properties[PROP_DB_PARAM] =
    g_param_spec_string ("db-param", NULL, NULL, "X-Odoo-Database", flags);
  properties[PROP_KEY_LOCATION] =
    g_param_spec_enum ("key-location", NULL, NULL,
                       KG_TYPE_PARAM_LOCATION, KG_PARAM_HEADER, flags);
  properties[PROP_KEY_PARAM] =
    g_param_spec_string ("key-param", NULL, NULL, "X-API-Key", flags);
  properties[PROP_TOKEN_PATH] =
    g_param_spec_string ("token-path", NULL, NULL, "access_token", flags);
  properties[PROP_EXPIRES_IN_PATH] =
    g_param_spec_string ("expires-in-path", NULL, NULL, "expires_in", flags);
  properties[PROP_EXPIRES_AT_PATH] =
    g_param_spec_string ("expires-at-path", NULL, NULL, "expires_at", flags);
  properties[PROP_SEND_AS] =
    g_param_spec_enum ("send-as", NULL, NULL,
                       KG_TYPE_TOKEN_SEND, KG_TOKEN_SEND_BEARER, flags);
  properties[PROP_SEND_HEADER] =
    g_param_spec_string ("send-header", NULL, NULL, "Authorization", flags);
  properties[PROP_LIFETIME] =
    g_param_spec_uint ("lifetime", NULL, NULL, 0, G_MAXUINT, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
  for (guint i = PROP_0 + 1; i < N_PROPS; i++)
    json_keys[i] = kg_json_member_name (properties[i]);
}

static void
kg_token_spec_init (KgTokenSpec *self)
{
  self->preset = KG_TOKEN_PRESET_CUSTOM;
  for (guint i = 0; i < N_PROPS; i++)
    if (G_IS_PARAM_SPEC_STRING (properties[i]))
      self->text[i] = g_strdup ("");

  self->applying++;
  kg_token_spec_apply_preset (self, KG_TOKEN_PRESET_TUTORIAL);
  self->applying--;
}

KgTokenSpec *
kg_token_spec_new (void)
{
  return g_object_new (KG_TYPE_TOKEN_SPEC, NULL);
}

KgTokenSpec *
kg_token_spec_new_for_preset (KgTokenPreset preset)
{
  KgTokenSpec *self = kg_token_spec_new ();

  kg_token_spec_apply_preset (self, preset);
  return self;
}

static gboolean read_members (gpointer     instance,
                              JsonObject  *object,
                              GError     **error);

KgTokenSpec *
kg_token_spec_new_from_json (JsonObject  *object,
                             GError     **error)
{
  return kg_json_load (KG_TYPE_TOKEN_SPEC, object, read_members, _("Token settings: "), error);
}

/* Sets every field to @preset's values (custom keeps the current ones). */
void
kg_token_spec_apply_preset (KgTokenSpec   *self,
                            KgTokenPreset  preset)
{
  g_return_if_fail (KG_IS_TOKEN_SPEC (self));
  g_return_if_fail (kg_token_preset_to_string (preset) != NULL);

  g_object_freeze_notify (G_OBJECT (self));
  self->applying++;

  switch (preset)
    {
    case KG_TOKEN_PRESET_TUTORIAL:
      kg_token_spec_set_exchange (self, TRUE);
      kg_token_spec_set_method (self, "POST");
      kg_token_spec_set_path (self, "/auth/token/apikey");
      kg_token_spec_set_db_location (self, KG_PARAM_HEADER);
      kg_token_spec_set_db_param (self, "X-Odoo-Database");
      kg_token_spec_set_key_location (self, KG_PARAM_HEADER);
      kg_token_spec_set_key_param (self, "X-API-Key");
      kg_token_spec_set_token_path (self, "access_token");
      kg_token_spec_set_expires_in_path (self, "expires_in");
      kg_token_spec_set_expires_at_path (self, "expires_at");
      kg_token_spec_set_send_as (self, KG_TOKEN_SEND_BEARER);
      kg_token_spec_set_send_header (self, "Authorization");
      kg_token_spec_set_lifetime (self, 0);
      break;

    case KG_TOKEN_PRESET_API_KEY_HEADER:
      /* No exchange: the key goes in the "API-KEY" header of every call. */
      kg_token_spec_set_exchange (self, FALSE);
      kg_token_spec_set_method (self, "POST");
      kg_token_spec_set_path (self, "");
      kg_token_spec_set_db_location (self, KG_PARAM_HEADER);
      kg_token_spec_set_db_param (self, "X-Odoo-Database");
      kg_token_spec_set_key_location (self, KG_PARAM_HEADER);
      kg_token_spec_set_key_param (self, "API-KEY");
      kg_token_spec_set_token_path (self, "");
      kg_token_spec_set_expires_in_path (self, "");
      kg_token_spec_set_expires_at_path (self, "");
      kg_token_spec_set_send_as (self, KG_TOKEN_SEND_HEADER);
      kg_token_spec_set_send_header (self, "API-KEY");
      kg_token_spec_set_lifetime (self, 0);
      break;

    case KG_TOKEN_PRESET_JSON2:
      /* Odoo 19: POST /json/2/<model>/<method>, Authorization: bearer <key>. */
      kg_token_spec_set_exchange (self, FALSE);
      kg_token_spec_set_method (self, "POST");
      kg_token_spec_set_path (self, "/json/2");
      kg_token_spec_set_db_location (self, KG_PARAM_HEADER);
      kg_token_spec_set_db_param (self, "X-Odoo-Database");
      kg_token_spec_set_key_location (self, KG_PARAM_HEADER);
      kg_token_spec_set_key_param (self, "Authorization");
      kg_token_spec_set_token_path (self, "");
      kg_token_spec_set_expires_in_path (self, "");
      kg_token_spec_set_expires_at_path (self, "");
      kg_token_spec_set_send_as (self, KG_TOKEN_SEND_BEARER);
      kg_token_spec_set_send_header (self, "Authorization");
      kg_token_spec_set_lifetime (self, 0);
      break;

    case KG_TOKEN_PRESET_CUSTOM:
    default:
      break;
    }

  set_preset_internal (self, preset);

  self->applying--;
  g_object_thaw_notify (G_OBJECT (self));
}

/* Whether every field of @a equals that of @b (the preset is not compared). */
static gboolean
fields_equal (KgTokenSpec *a,
              KgTokenSpec *b)
{
  for (guint i = 0; i < N_PROPS; i++)
    if (g_strcmp0 (a->text[i], b->text[i]) != 0)
      return FALSE;

  return a->exchange == b->exchange &&
         a->db_location == b->db_location &&
         a->key_location == b->key_location &&
         a->send_as == b->send_as &&
         a->lifetime == b->lifetime;
}

/* The members other than "preset", in the order of the properties. A null
 * string member clears the field. */
static gboolean
read_fields (KgTokenSpec  *self,
             JsonObject   *object,
             GError      **error)
{
  for (guint i = PROP_PRESET + 1; i < N_PROPS; i++)
    {
      GParamSpec *pspec = properties[i];
      const char *member = json_keys[i];
      g_auto(GValue) value = G_VALUE_INIT;
      gboolean ok;

      if (!json_object_has_member (object, member))
        continue;

      g_value_init (&value, pspec->value_type);
      g_param_value_set_default (pspec, &value);
      if (pspec->value_type == G_TYPE_BOOLEAN)
        {
          gboolean flag = g_value_get_boolean (&value);

          ok = kg_json_read_boolean (object, member, TRUE, &flag, error);
          g_value_set_boolean (&value, flag);
        }
      else if (pspec->value_type == G_TYPE_UINT)
        {
          guint number = g_value_get_uint (&value);

          ok = kg_json_read_uint (object, member, TRUE, &number, error);
          g_value_set_uint (&value, number);
        }
      else if (G_TYPE_IS_ENUM (pspec->value_type))
        {
          int choice = g_value_get_enum (&value);

          ok = kg_json_read_enum (object, member, TRUE, pspec->value_type, &choice, error);
          g_value_set_enum (&value, choice);
        }
      else
        {
          const char *text = NULL;

          g_assert (pspec->value_type == G_TYPE_STRING);
          ok = kg_json_read_string (object, member, FALSE, &text, error);
          g_value_set_string (&value, text);
        }

      if (!ok)
        return FALSE;
      g_object_set_property (G_OBJECT (self), pspec->name, &value);
    }

  return TRUE;
}

/* A KgJsonReadFunc: the preset first, then the fields over it. */
static gboolean
read_members (gpointer     instance,
              JsonObject  *object,
              GError     **error)
{
  KgTokenSpec *self = instance;
  gboolean has_preset = json_object_has_member (object, json_keys[PROP_PRESET]);
  int preset = KG_TOKEN_PRESET_CUSTOM;
  gboolean ok;

  /* What a newer Keygate wrote is kept; then what we know is read. */
  self->unknown = kg_json_object_dup_unknown (object, json_keys, N_PROPS);

  if (!kg_json_read_enum (object, json_keys[PROP_PRESET], has_preset, KG_TYPE_TOKEN_PRESET,
                          &preset, error))
    return FALSE;
  if (has_preset)
    kg_token_spec_apply_preset (self, preset);

  self->applying++;
  ok = read_fields (self, object, error);
  self->applying--;
  if (!ok)
    return FALSE;

  if (has_preset)
    {
      /* A file saying "tutorial" whose fields were edited by hand is custom. */
      if (self->preset != KG_TOKEN_PRESET_CUSTOM)
        {
          g_autoptr(KgTokenSpec) reference = kg_token_spec_new_for_preset (self->preset);

          if (!fields_equal (self, reference))
            set_preset_internal (self, KG_TOKEN_PRESET_CUSTOM);
        }
    }
  else
    {
      /* No preset given: recognise one, or it is custom. */
      KgTokenPreset found = KG_TOKEN_PRESET_CUSTOM;

      for (KgTokenPreset p = KG_TOKEN_PRESET_TUTORIAL; p < KG_TOKEN_PRESET_CUSTOM; p++)
        {
          g_autoptr(KgTokenSpec) reference = kg_token_spec_new_for_preset (p);

          if (fields_equal (self, reference))
            {
              found = p;
              break;
            }
        }
      set_preset_internal (self, found);
    }

  return TRUE;
}

JsonObject *
kg_token_spec_to_json (KgTokenSpec *self)
{
  JsonObject *object;

  g_return_val_if_fail (KG_IS_TOKEN_SPEC (self), NULL);

  object = json_object_new ();
  json_object_set_string_member (object, "preset", kg_token_preset_to_string (self->preset));
  json_object_set_boolean_member (object, "exchange", self->exchange);
  json_object_set_string_member (object, "method", self->text[PROP_METHOD]);
  json_object_set_string_member (object, "path", self->text[PROP_PATH]);
  json_object_set_string_member (object, "db_location",
                                 kg_param_location_to_string (self->db_location));
  json_object_set_string_member (object, "db_param", self->text[PROP_DB_PARAM]);
  json_object_set_string_member (object, "key_location",
                                 kg_param_location_to_string (self->key_location));
  json_object_set_string_member (object, "key_param", self->text[PROP_KEY_PARAM]);
  json_object_set_string_member (object, "token_path", self->text[PROP_TOKEN_PATH]);
  json_object_set_string_member (object, "expires_in_path", self->text[PROP_EXPIRES_IN_PATH]);
  json_object_set_string_member (object, "expires_at_path", self->text[PROP_EXPIRES_AT_PATH]);
  json_object_set_string_member (object, "send_as", kg_token_send_to_string (self->send_as));
  json_object_set_string_member (object, "send_header", self->text[PROP_SEND_HEADER]);
  json_object_set_int_member (object, "lifetime", self->lifetime);
  kg_json_object_add_members (object, self->unknown);

  return object;
}

KgTokenSpec *
kg_token_spec_dup (KgTokenSpec *self)
{
  KgTokenSpec *copy;

  g_return_val_if_fail (KG_IS_TOKEN_SPEC (self), NULL);

  copy = kg_token_spec_new ();
  copy->preset = self->preset;
  copy->exchange = self->exchange;
  copy->db_location = self->db_location;
  copy->key_location = self->key_location;
  copy->send_as = self->send_as;
  copy->lifetime = self->lifetime;
  for (guint i = 0; i < N_PROPS; i++)
    dup_string (&copy->text[i], self->text[i]);
  if (self->unknown != NULL)
    copy->unknown = kg_json_object_deep_copy (self->unknown);

  return copy;
}

/* Getters --------------------------------------------------------------- */

KgTokenPreset
kg_token_spec_get_preset (KgTokenSpec *self)
{
  g_return_val_if_fail (KG_IS_TOKEN_SPEC (self), KG_TOKEN_PRESET_CUSTOM);
  return self->preset;
}

gboolean
kg_token_spec_get_exchange (KgTokenSpec *self)
{
  g_return_val_if_fail (KG_IS_TOKEN_SPEC (self), FALSE);
  return self->exchange;
}

const char *
kg_token_spec_get_method (KgTokenSpec *self)
{
  g_return_val_if_fail (KG_IS_TOKEN_SPEC (self), NULL);
  return self->text[PROP_METHOD];
}

const char *
kg_token_spec_get_path (KgTokenSpec *self)
{
  g_return_val_if_fail (KG_IS_TOKEN_SPEC (self), NULL);
  return self->text[PROP_PATH];
}

KgParamLocation
kg_token_spec_get_db_location (KgTokenSpec *self)
{
  g_return_val_if_fail (KG_IS_TOKEN_SPEC (self), KG_PARAM_NONE);
  return self->db_location;
}

const char *
kg_token_spec_get_db_param (KgTokenSpec *self)
{
  g_return_val_if_fail (KG_IS_TOKEN_SPEC (self), NULL);
  return self->text[PROP_DB_PARAM];
}

KgParamLocation
kg_token_spec_get_key_location (KgTokenSpec *self)
{
  g_return_val_if_fail (KG_IS_TOKEN_SPEC (self), KG_PARAM_NONE);
  return self->key_location;
}

const char *
kg_token_spec_get_key_param (KgTokenSpec *self)
{
  g_return_val_if_fail (KG_IS_TOKEN_SPEC (self), NULL);
  return self->text[PROP_KEY_PARAM];
}

const char *
kg_token_spec_get_token_path (KgTokenSpec *self)
{
  g_return_val_if_fail (KG_IS_TOKEN_SPEC (self), NULL);
  return self->text[PROP_TOKEN_PATH];
}

const char *
kg_token_spec_get_expires_in_path (KgTokenSpec *self)
{
  g_return_val_if_fail (KG_IS_TOKEN_SPEC (self), NULL);
  return self->text[PROP_EXPIRES_IN_PATH];
}

const char *
kg_token_spec_get_expires_at_path (KgTokenSpec *self)
{
  g_return_val_if_fail (KG_IS_TOKEN_SPEC (self), NULL);
  return self->text[PROP_EXPIRES_AT_PATH];
}

KgTokenSend
kg_token_spec_get_send_as (KgTokenSpec *self)
{
  g_return_val_if_fail (KG_IS_TOKEN_SPEC (self), KG_TOKEN_SEND_BEARER);
  return self->send_as;
}

const char *
kg_token_spec_get_send_header (KgTokenSpec *self)
{
  g_return_val_if_fail (KG_IS_TOKEN_SPEC (self), NULL);
  return self->text[PROP_SEND_HEADER];
}

guint
kg_token_spec_get_lifetime (KgTokenSpec *self)
{
  g_return_val_if_fail (KG_IS_TOKEN_SPEC (self), 0);
  return self->lifetime;
}

/* Setters --------------------------------------------------------------- */

void
kg_token_spec_set_exchange (KgTokenSpec *self,
                            gboolean     exchange)
{
  g_return_if_fail (KG_IS_TOKEN_SPEC (self));

  exchange = !!exchange;
  if (self->exchange == exchange)
    return;
  self->exchange = exchange;
  field_changed (self, PROP_EXCHANGE);
}

void
kg_token_spec_set_method (KgTokenSpec *self,
                          const char  *method)
{
  g_autofree char *upper = NULL;

  g_return_if_fail (KG_IS_TOKEN_SPEC (self));

  upper = method ? g_ascii_strup (method, -1) : NULL;
  set_string_field (self, PROP_METHOD, upper);
}

void
kg_token_spec_set_path (KgTokenSpec *self,
                        const char  *path)
{
  g_return_if_fail (KG_IS_TOKEN_SPEC (self));
  set_string_field (self, PROP_PATH, path);
}

void
kg_token_spec_set_db_location (KgTokenSpec     *self,
                               KgParamLocation  location)
{
  g_return_if_fail (KG_IS_TOKEN_SPEC (self));
  g_return_if_fail (kg_param_location_to_string (location) != NULL);
  if (self->db_location == location)
    return;
  self->db_location = location;
  field_changed (self, PROP_DB_LOCATION);
}

void
kg_token_spec_set_db_param (KgTokenSpec *self,
                            const char  *param)
{
  g_return_if_fail (KG_IS_TOKEN_SPEC (self));
  set_string_field (self, PROP_DB_PARAM, param);
}

void
kg_token_spec_set_key_location (KgTokenSpec     *self,
                                KgParamLocation  location)
{
  g_return_if_fail (KG_IS_TOKEN_SPEC (self));
  g_return_if_fail (kg_param_location_to_string (location) != NULL);
  if (self->key_location == location)
    return;
  self->key_location = location;
  field_changed (self, PROP_KEY_LOCATION);
}

void
kg_token_spec_set_key_param (KgTokenSpec *self,
                             const char  *param)
{
  g_return_if_fail (KG_IS_TOKEN_SPEC (self));
  set_string_field (self, PROP_KEY_PARAM, param);
}

void
kg_token_spec_set_token_path (KgTokenSpec *self,
                              const char  *path)
{
  g_return_if_fail (KG_IS_TOKEN_SPEC (self));
  set_string_field (self, PROP_TOKEN_PATH, path);
}

void
kg_token_spec_set_expires_in_path (KgTokenSpec *self,
                                   const char  *path)
{
  g_return_if_fail (KG_IS_TOKEN_SPEC (self));
  set_string_field (self, PROP_EXPIRES_IN_PATH, path);
}

void
kg_token_spec_set_expires_at_path (KgTokenSpec *self,
                                   const char  *path)
{
  g_return_if_fail (KG_IS_TOKEN_SPEC (self));
  set_string_field (self, PROP_EXPIRES_AT_PATH, path);
}

void
kg_token_spec_set_send_as (KgTokenSpec *self,
                           KgTokenSend  send)
{
  g_return_if_fail (KG_IS_TOKEN_SPEC (self));
  g_return_if_fail (kg_token_send_to_string (send) != NULL);
  if (self->send_as == send)
    return;
  self->send_as = send;
  field_changed (self, PROP_SEND_AS);
}

void
kg_token_spec_set_send_header (KgTokenSpec *self,
                               const char  *header)
{
  g_return_if_fail (KG_IS_TOKEN_SPEC (self));
  set_string_field (self, PROP_SEND_HEADER, header);
}

void
kg_token_spec_set_lifetime (KgTokenSpec *self,
                            guint        seconds)
{
  g_return_if_fail (KG_IS_TOKEN_SPEC (self));
  if (self->lifetime == seconds)
    return;
  self->lifetime = seconds;
  field_changed (self, PROP_LIFETIME);
}
