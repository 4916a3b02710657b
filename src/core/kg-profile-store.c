/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "keygate-profile"

#include <errno.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "kg-error.h"
#include "kg-json.h"
#include "kg-profile-store.h"

#define KG_PROFILE_STORE_VERSION 1

static const char * const known_keys[] = { "version", "profiles" };

struct _KgProfileStore
{
  GObject     parent_instance;

  GFile      *file;
  /* KgProfile, in insertion order. */
  GPtrArray  *profiles;
  /* Top-level members of the file we don't know, written back on save. */
  JsonObject *unknown;
  /* Why the file may not be written (it could not be loaded), or NULL. */
  char       *read_only_reason;
};

static void kg_profile_store_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KgProfileStore, kg_profile_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      kg_profile_store_list_model_init))

enum {
  PROP_0,
  PROP_FILE,
  PROP_READ_ONLY,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* GListModel ------------------------------------------------------------ */

static GType
kg_profile_store_get_item_type (GListModel *model)
{
  return KG_TYPE_PROFILE;
}

static guint
kg_profile_store_get_n_items (GListModel *model)
{
  KgProfileStore *self = KG_PROFILE_STORE (model);

  return self->profiles->len;
}

static gpointer
kg_profile_store_get_item (GListModel *model,
                           guint       position)
{
  KgProfileStore *self = KG_PROFILE_STORE (model);

  if (position >= self->profiles->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->profiles, position));
}

static void
kg_profile_store_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = kg_profile_store_get_item_type;
  iface->get_n_items = kg_profile_store_get_n_items;
  iface->get_item = kg_profile_store_get_item;
}

static void
items_changed (KgProfileStore *self,
               guint           position,
               guint           removed,
               guint           added)
{
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
  if (removed != added)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/* The object ------------------------------------------------------------ */

static void
kg_profile_store_finalize (GObject *object)
{
  KgProfileStore *self = (KgProfileStore *)object;

  g_clear_object (&self->file);
  g_clear_pointer (&self->profiles, g_ptr_array_unref);
  g_clear_pointer (&self->unknown, json_object_unref);
  g_clear_pointer (&self->read_only_reason, g_free);

  G_OBJECT_CLASS (kg_profile_store_parent_class)->finalize (object);
}

static void
kg_profile_store_constructed (GObject *object)
{
  KgProfileStore *self = (KgProfileStore *)object;

  G_OBJECT_CLASS (kg_profile_store_parent_class)->constructed (object);

  if (self->file == NULL)
    {
      g_autofree char *path = g_build_filename (g_get_user_config_dir (), "keygate",
                                                "profiles.json", NULL);

      self->file = g_file_new_for_path (path);
    }
}

static void
kg_profile_store_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  KgProfileStore *self = KG_PROFILE_STORE (object);

  switch (prop_id)
    {
    case PROP_FILE: g_value_set_object (value, self->file); break;
    case PROP_READ_ONLY: g_value_set_boolean (value, self->read_only_reason != NULL); break;
    case PROP_N_ITEMS: g_value_set_uint (value, self->profiles->len); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kg_profile_store_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  KgProfileStore *self = KG_PROFILE_STORE (object);

  switch (prop_id)
    {
    case PROP_FILE: self->file = g_value_dup_object (value); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kg_profile_store_class_init (KgProfileStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kg_profile_store_finalize;
  object_class->constructed = kg_profile_store_constructed;
  object_class->get_property = kg_profile_store_get_property;
  object_class->set_property = kg_profile_store_set_property;

  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_READ_ONLY] =
    g_param_spec_boolean ("read-only", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kg_profile_store_init (KgProfileStore *self)
{
  self->profiles = g_ptr_array_new_with_free_func (g_object_unref);
}

KgProfileStore *
kg_profile_store_new (GFile *file)
{
  g_return_val_if_fail (file == NULL || G_IS_FILE (file), NULL);

  return g_object_new (KG_TYPE_PROFILE_STORE, "file", file, NULL);
}

GFile *
kg_profile_store_get_file (KgProfileStore *self)
{
  g_return_val_if_fail (KG_IS_PROFILE_STORE (self), NULL);
  return self->file;
}

gboolean
kg_profile_store_is_read_only (KgProfileStore *self)
{
  g_return_val_if_fail (KG_IS_PROFILE_STORE (self), TRUE);
  return self->read_only_reason != NULL;
}

static void
set_read_only_reason (KgProfileStore *self,
                      const char     *reason)
{
  gboolean was = self->read_only_reason != NULL;
  char *copy = g_strdup (reason);

  g_free (self->read_only_reason);
  self->read_only_reason = copy;
  if (was != (reason != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READ_ONLY]);
}

static char *
dup_display_path (GFile *file)
{
  g_autofree char *path = g_file_get_path (file);

  return path ? g_steal_pointer (&path) : g_file_get_uri (file);
}

/* Marks the store read-only and sets @error (KG_ERROR_STORE) from @reason. */
static gboolean
fail_load (KgProfileStore  *self,
           const char      *reason,
           GError         **error)
{
  g_autofree char *path = dup_display_path (self->file);
  g_autofree char *message = NULL;

  message = g_strdup_printf (/* Translators: %s is a file path, then the reason */
                             _("The profiles file “%s” could not be loaded: %s."), path, reason);
  set_read_only_reason (self, message);
  if (error != NULL)
    {
      g_set_error_literal (error, KG_ERROR, KG_ERROR_STORE, message);
      kg_error_set_remedy (*error,
                           _("Keygate will not overwrite this file. Fix it or move it away (a backup may be next to it as profiles.json.bak), then start again."));
    }
  return FALSE;
}

static gboolean
check_writable (KgProfileStore  *self,
                GError         **error)
{
  g_autofree char *path = NULL;

  if (self->read_only_reason == NULL)
    return TRUE;

  path = dup_display_path (self->file);
  g_set_error (error, KG_ERROR, KG_ERROR_STORE,
               /* Translators: %s is a file path, then the load error */
               _("Profiles cannot be changed: the file “%s” is kept untouched because it could not be loaded. Fix or move it away, then reload. (%s)"),
               path, self->read_only_reason);
  return FALSE;
}

static void
replace_profiles (KgProfileStore *self,
                  GPtrArray      *profiles)
{
  guint removed = self->profiles->len;
  guint added = profiles->len;

  g_ptr_array_set_size (self->profiles, 0);
  for (guint i = 0; i < profiles->len; i++)
    g_ptr_array_add (self->profiles, g_object_ref (g_ptr_array_index (profiles, i)));

  if (removed > 0 || added > 0)
    items_changed (self, 0, removed, added);
}

gboolean
kg_profile_store_load (KgProfileStore  *self,
                       GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GPtrArray) profiles = NULL;
  g_autofree char *contents = NULL;
  JsonObject *root_object;
  JsonNode *root;
  JsonNode *node;
  JsonArray *array = NULL;
  gsize length = 0;

  g_return_val_if_fail (KG_IS_PROFILE_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!g_file_load_contents (self->file, NULL, &contents, &length, NULL, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        {
          /* No file yet: an empty store that may be written. */
          g_autoptr(GPtrArray) none = g_ptr_array_new ();

          replace_profiles (self, none);
          g_clear_pointer (&self->unknown, json_object_unref);
          set_read_only_reason (self, NULL);
          return TRUE;
        }
      return fail_load (self, local_error->message, error);
    }

  if (!g_utf8_validate (contents, length, NULL))
    return fail_load (self, _("it is not UTF-8 text"), error);

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, contents, length, &local_error))
    {
      g_autofree char *reason = g_strdup_printf (_("it is not valid JSON (%s)"),
                                                 local_error->message);
      return fail_load (self, reason, error);
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return fail_load (self, _("it does not hold a JSON object"), error);
  root_object = json_node_get_object (root);

  node = json_object_get_member (root_object, "version");
  if (node != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
        return fail_load (self, _("“version” is not a number"), error);
      if (json_node_get_int (node) > KG_PROFILE_STORE_VERSION)
        {
          g_autofree char *reason =
            g_strdup_printf (_("it was written by a newer Keygate (format version %" G_GINT64_FORMAT ")"),
                             json_node_get_int (node));
          return fail_load (self, reason, error);
        }
    }

  node = json_object_get_member (root_object, "profiles");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      if (!JSON_NODE_HOLDS_ARRAY (node))
        return fail_load (self, _("“profiles” is not a list"), error);
      array = json_node_get_array (node);
    }

  profiles = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autoptr(GError) profile_error = NULL;
      KgProfile *profile;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          g_autofree char *reason = g_strdup_printf (_("profile %u is not a JSON object"), i + 1);
          return fail_load (self, reason, error);
        }

      profile = kg_profile_new_from_json (json_node_get_object (element), &profile_error);
      if (profile == NULL)
        {
          g_autofree char *reason = g_strdup_printf (/* Translators: %u is a position, %s the reason */
                                                     _("profile %u is damaged (%s)"),
                                                     i + 1, profile_error->message);
          return fail_load (self, reason, error);
        }
      g_ptr_array_add (profiles, profile);
    }

  g_clear_pointer (&self->unknown, json_object_unref);
  self->unknown = kg_json_object_dup_unknown (root_object, known_keys, G_N_ELEMENTS (known_keys));

  set_read_only_reason (self, NULL);
  replace_profiles (self, profiles);

  return TRUE;
}

static char *
serialize (KgProfileStore *self,
           gsize          *length)
{
  g_autoptr(JsonObject) root = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  JsonArray *array = json_array_sized_new (self->profiles->len);
  char *text;

  json_object_set_int_member (root, "version", KG_PROFILE_STORE_VERSION);
  for (guint i = 0; i < self->profiles->len; i++)
    json_array_add_object_element (array, kg_profile_to_json (g_ptr_array_index (self->profiles, i)));
  json_object_set_array_member (root, "profiles", array);

  kg_json_object_add_members (root, self->unknown);

  node = json_node_init_object (json_node_alloc (), root);
  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  text = json_generator_to_data (generator, length);

  /* End with a newline, like a file written by hand. */
  {
    char *with_newline = g_strconcat (text, "\n", NULL);

    g_free (text);
    *length += 1;
    return with_newline;
  }
}

static gboolean
write_private (GFile       *file,
               const char  *contents,
               gsize        length,
               GError     **error)
{
  return g_file_replace_contents (file, contents, length, NULL, FALSE,
                                  G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                                  NULL, NULL, error);
}

static gboolean
save_error (KgProfileStore  *self,
            const GError    *cause,
            GError         **error)
{
  g_autofree char *path = dup_display_path (self->file);

  g_set_error (error, KG_ERROR, KG_ERROR_STORE,
               /* Translators: %s is a file path, then the reason */
               _("Could not save the profiles to “%s”: %s"), path, cause->message);
  return FALSE;
}

gboolean
kg_profile_store_save (KgProfileStore  *self,
                       GError         **error)
{
  g_autoptr(GFile) dir = NULL;
  g_autoptr(GFile) backup = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *previous = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *dir_path = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *backup_name = NULL;
  gsize previous_length = 0;
  gsize length = 0;

  g_return_val_if_fail (KG_IS_PROFILE_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_writable (self, error))
    return FALSE;

  dir = g_file_get_parent (self->file);
  dir_path = dir ? g_file_get_path (dir) : NULL;
  if (dir_path != NULL && g_mkdir_with_parents (dir_path, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (&local_error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "%s", g_strerror (saved_errno));
      return save_error (self, local_error, error);
    }

  /* Keep the previous version as profiles.json.bak. */
  if (g_file_load_contents (self->file, NULL, &previous, &previous_length, NULL, &local_error))
    {
      basename = g_file_get_basename (self->file);
      backup_name = g_strconcat (basename, ".bak", NULL);
      backup = g_file_get_child (dir, backup_name);
      if (!write_private (backup, previous, previous_length, &local_error))
        return save_error (self, local_error, error);
    }
  else if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      return save_error (self, local_error, error);
    }
  g_clear_error (&local_error);

  contents = serialize (self, &length);
  if (!write_private (self->file, contents, length, &local_error))
    return save_error (self, local_error, error);

  g_debug ("Saved %u profiles", self->profiles->len);
  return TRUE;
}

static gint
find_index (KgProfileStore *self,
            KgProfile      *profile)
{
  guint index;

  if (g_ptr_array_find (self->profiles, profile, &index))
    return (gint) index;
  for (guint i = 0; i < self->profiles->len; i++)
    if (g_strcmp0 (kg_profile_get_id (g_ptr_array_index (self->profiles, i)),
                   kg_profile_get_id (profile)) == 0)
      return (gint) i;
  return -1;
}

static gboolean
names_equal (const char *a,
             const char *b)
{
  g_autofree char *fa = g_utf8_casefold (a, -1);
  g_autofree char *fb = g_utf8_casefold (b, -1);

  return g_strcmp0 (fa, fb) == 0;
}

/* Fails when another profile than @profile has its name. */
static gboolean
check_unique_name (KgProfileStore  *self,
                   KgProfile       *profile,
                   GError         **error)
{
  const char *name = kg_profile_get_name (profile);

  for (guint i = 0; i < self->profiles->len; i++)
    {
      KgProfile *other = g_ptr_array_index (self->profiles, i);

      if (other == profile || g_strcmp0 (kg_profile_get_id (other), kg_profile_get_id (profile)) == 0)
        continue;
      if (names_equal (kg_profile_get_name (other), name))
        {
          g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                       _("Name: a profile called “%s” already exists; choose another name."),
                       kg_profile_get_name (other));
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
kg_profile_store_add (KgProfileStore  *self,
                      KgProfile       *profile,
                      GError         **error)
{
  guint position;

  g_return_val_if_fail (KG_IS_PROFILE_STORE (self), FALSE);
  g_return_val_if_fail (KG_IS_PROFILE (profile), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_writable (self, error))
    return FALSE;
  if (!kg_profile_validate (profile, error))
    return FALSE;
  if (find_index (self, profile) >= 0)
    {
      g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                   _("The profile “%s” is already in the list."), kg_profile_get_name (profile));
      return FALSE;
    }
  if (!check_unique_name (self, profile, error))
    return FALSE;

  position = self->profiles->len;
  g_ptr_array_add (self->profiles, g_object_ref (profile));
  if (!kg_profile_store_save (self, error))
    {
      g_ptr_array_remove_index (self->profiles, position);
      return FALSE;
    }

  items_changed (self, position, 0, 1);
  return TRUE;
}

gboolean
kg_profile_store_remove (KgProfileStore  *self,
                         KgProfile       *profile,
                         GError         **error)
{
  g_autoptr(KgProfile) removed = NULL;
  gint index;

  g_return_val_if_fail (KG_IS_PROFILE_STORE (self), FALSE);
  g_return_val_if_fail (KG_IS_PROFILE (profile), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_writable (self, error))
    return FALSE;

  index = find_index (self, profile);
  if (index < 0)
    {
      g_set_error (error, KG_ERROR, KG_ERROR_PROFILE_NOT_FOUND,
                   _("There is no profile named “%s”."), kg_profile_get_name (profile));
      return FALSE;
    }

  removed = g_ptr_array_steal_index (self->profiles, index);
  if (!kg_profile_store_save (self, error))
    {
      g_ptr_array_insert (self->profiles, index, g_steal_pointer (&removed));
      return FALSE;
    }

  items_changed (self, index, 1, 0);
  return TRUE;
}

gboolean
kg_profile_store_update (KgProfileStore  *self,
                         KgProfile       *profile,
                         GError         **error)
{
  gint index;

  g_return_val_if_fail (KG_IS_PROFILE_STORE (self), FALSE);
  g_return_val_if_fail (KG_IS_PROFILE (profile), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_writable (self, error))
    return FALSE;

  index = find_index (self, profile);
  if (index < 0)
    {
      g_set_error (error, KG_ERROR, KG_ERROR_PROFILE_NOT_FOUND,
                   _("There is no profile named “%s”."), kg_profile_get_name (profile));
      return FALSE;
    }
  if (!kg_profile_validate (profile, error))
    return FALSE;
  if (!check_unique_name (self, profile, error))
    return FALSE;

  /* An edited copy (same id) replaces the stored profile. */
  if (g_ptr_array_index (self->profiles, index) != (gpointer) profile)
    {
      g_object_unref (g_ptr_array_index (self->profiles, index));
      g_ptr_array_index (self->profiles, index) = g_object_ref (profile);
    }

  if (!kg_profile_store_save (self, error))
    return FALSE;

  items_changed (self, index, 1, 1);
  return TRUE;
}

/* Exact match first, then ignoring case. Transfer none. */
KgProfile *
kg_profile_store_find_by_name (KgProfileStore *self,
                               const char     *name)
{
  g_return_val_if_fail (KG_IS_PROFILE_STORE (self), NULL);

  if (name == NULL)
    return NULL;

  for (guint i = 0; i < self->profiles->len; i++)
    if (g_strcmp0 (kg_profile_get_name (g_ptr_array_index (self->profiles, i)), name) == 0)
      return g_ptr_array_index (self->profiles, i);

  for (guint i = 0; i < self->profiles->len; i++)
    if (names_equal (kg_profile_get_name (g_ptr_array_index (self->profiles, i)), name))
      return g_ptr_array_index (self->profiles, i);

  return NULL;
}

/* Transfer none. */
KgProfile *
kg_profile_store_find_by_id (KgProfileStore *self,
                             const char     *id)
{
  g_return_val_if_fail (KG_IS_PROFILE_STORE (self), NULL);

  if (id == NULL)
    return NULL;

  for (guint i = 0; i < self->profiles->len; i++)
    if (g_strcmp0 (kg_profile_get_id (g_ptr_array_index (self->profiles, i)), id) == 0)
      return g_ptr_array_index (self->profiles, i);

  return NULL;
}
