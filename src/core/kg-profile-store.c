/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "keygate-profile"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "kg-error.h"
#include "kg-json.h"
#include "kg-profile-file.h"
#include "kg-profile-store.h"

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
  /* kg_profile_store_set_watching: changes by other processes. */
  GFileMonitor *monitor;
  guint         reload_source;
  /* Of a change in progress: what merging the file found, held back until
   * the lock is released so that no handler runs under it. */
  GPtrArray    *pending_copies;   /* pairs: our profile, the file's values */
  gboolean      reset_pending;    /* the list was replaced: one full signal */
  guint         known_len;        /* the length listeners were last told */
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
  self->known_len = self->known_len - removed + added;
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
  if (removed != added)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/* The object ------------------------------------------------------------ */

static void
kg_profile_store_finalize (GObject *object)
{
  KgProfileStore *self = (KgProfileStore *)object;

  g_clear_handle_id (&self->reload_source, g_source_remove);
  if (self->monitor != NULL)
    g_file_monitor_cancel (self->monitor);
  g_clear_object (&self->monitor);
  g_clear_object (&self->file);
  g_clear_pointer (&self->profiles, g_ptr_array_unref);
  g_clear_pointer (&self->pending_copies, g_ptr_array_unref);
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
  self->pending_copies = g_ptr_array_new_with_free_func (g_object_unref);
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
  g_autofree char *cause = g_strdup (reason);
  gsize len = strlen (cause);

  /* The reason may be a sentence of its own: one full stop is enough. */
  if (len > 0 && cause[len - 1] == '.')
    cause[len - 1] = '\0';
  message = g_strdup_printf (/* Translators: %s is a file path, then the reason */
                             _("The profiles file “%s” could not be loaded: %s."), path, cause);
  set_read_only_reason (self, message);
  if (error != NULL)
    {
      g_set_error_literal (error, KG_ERROR, KG_ERROR_STORE, message);
      kg_error_set_remedy (*error,
                           _("Keygate will not overwrite this file. Fix it or move it away (a "
                             "backup may be next to it as profiles.json.bak), then start again."));
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
               _("Profiles cannot be changed: the file “%s” is kept untouched because it could "
                 "not be loaded. Fix or move it away, then reload. (%s)"),
               path, self->read_only_reason);
  return FALSE;
}

static void
replace_profiles (KgProfileStore *self,
                  GPtrArray      *profiles)
{
  guint removed = self->known_len;
  guint added = profiles->len;

  g_ptr_array_set_size (self->profiles, 0);
  for (guint i = 0; i < profiles->len; i++)
    g_ptr_array_add (self->profiles, g_object_ref (g_ptr_array_index (profiles, i)));
  self->reset_pending = FALSE;

  if (removed > 0 || added > 0)
    items_changed (self, 0, removed, added);
}

gboolean
kg_profile_store_load (KgProfileStore  *self,
                       GError         **error)
{
  g_auto(KgProfileFileState) state = { NULL, NULL };
  g_autofree char *reason = NULL;

  g_return_val_if_fail (KG_IS_PROFILE_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!kg_profile_file_read (self->file, &state, &reason))
    return fail_load (self, reason, error);

  g_clear_pointer (&self->unknown, json_object_unref);
  self->unknown = g_steal_pointer (&state.unknown);
  set_read_only_reason (self, NULL);
  replace_profiles (self, state.profiles);

  return TRUE;
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

/* Writes the list; the caller holds the lock. */
static gboolean
save_locked (KgProfileStore  *self,
             GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!check_writable (self, error))
    return FALSE;

  contents = kg_profile_file_serialize (self->profiles, self->unknown, &length);
  if (!kg_profile_file_write (self->file, contents, length, &local_error))
    return save_error (self, local_error, error);

  g_debug ("Saved %u profiles", self->profiles->len);
  return TRUE;
}

/* The lock, with a failure said as a failed save. */
static int
lock_store (KgProfileStore  *self,
            GError         **error)
{
  g_autoptr(GError) local_error = NULL;
  int fd = kg_profile_file_lock (self->file, &local_error);

  if (fd == -2)
    save_error (self, local_error, error);
  return fd;
}

gboolean
kg_profile_store_save (KgProfileStore  *self,
                       GError         **error)
{
  gboolean ok;
  int fd;

  g_return_val_if_fail (KG_IS_PROFILE_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_writable (self, error))
    return FALSE;
  fd = lock_store (self, error);
  if (fd == -2)
    return FALSE;
  ok = save_locked (self, error);
  kg_profile_file_unlock (fd);
  return ok;
}

/* Copies every writable property but the id from @from into @to; the
 * setters notify only what changed. */
static void
copy_profile_properties (KgProfile *to,
                         KgProfile *from)
{
  g_autofree GParamSpec **pspecs = NULL;
  guint n_pspecs = 0;

  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (from), &n_pspecs);
  g_object_freeze_notify (G_OBJECT (to));
  for (guint i = 0; i < n_pspecs; i++)
    {
      GParamSpec *pspec = pspecs[i];
      g_auto(GValue) value = G_VALUE_INIT;

      if ((pspec->flags & G_PARAM_WRITABLE) == 0 ||
          (pspec->flags & G_PARAM_CONSTRUCT_ONLY) != 0 ||
          g_str_equal (pspec->name, "id"))
        continue;
      g_value_init (&value, pspec->value_type);
      g_object_get_property (G_OBJECT (from), pspec->name, &value);
      g_object_set_property (G_OBJECT (to), pspec->name, &value);
    }
  g_object_thaw_notify (G_OBJECT (to));
}

static KgProfile *
find_in (GPtrArray  *profiles,
         const char *id)
{
  for (guint i = 0; i < profiles->len; i++)
    if (g_strcmp0 (kg_profile_get_id (g_ptr_array_index (profiles, i)), id) == 0)
      return g_ptr_array_index (profiles, i);
  return NULL;
}

/* Brings the list in line with the file as another process may have
 * written it: profiles keep their objects (so widgets and token clients
 * that hold them stay valid) and take the file's values, except the one
 * with @keep_id, whose in-memory values are about to be saved. Nothing is
 * signalled here, under the lock: end_change does it (a handler that saves
 * again would otherwise wait for the lock its own process holds). A file
 * that cannot be read makes the store read-only, as on load. */
static gboolean
merge_from_disk (KgProfileStore  *self,
                 const char      *keep_id,
                 GError         **error)
{
  g_auto(KgProfileFileState) state = { NULL, NULL };
  g_autoptr(GPtrArray) merged = NULL;
  g_autofree char *reason = NULL;
  gboolean same_order;

  if (!kg_profile_file_read (self->file, &state, &reason))
    return fail_load (self, reason, error);

  merged = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < state.profiles->len; i++)
    {
      KgProfile *on_disk = g_ptr_array_index (state.profiles, i);
      KgProfile *mine = find_in (self->profiles, kg_profile_get_id (on_disk));

      if (mine == NULL)
        {
          g_ptr_array_add (merged, g_object_ref (on_disk));
          continue;
        }
      if (g_strcmp0 (kg_profile_get_id (mine), keep_id) != 0)
        {
          g_ptr_array_add (self->pending_copies, g_object_ref (mine));
          g_ptr_array_add (self->pending_copies, g_object_ref (on_disk));
        }
      g_ptr_array_add (merged, g_object_ref (mine));
    }

  g_clear_pointer (&self->unknown, json_object_unref);
  self->unknown = g_steal_pointer (&state.unknown);

  same_order = merged->len == self->profiles->len;
  for (guint i = 0; same_order && i < merged->len; i++)
    same_order = g_ptr_array_index (merged, i) == g_ptr_array_index (self->profiles, i);
  if (!same_order)
    {
      g_ptr_array_set_size (self->profiles, 0);
      for (guint i = 0; i < merged->len; i++)
        g_ptr_array_add (self->profiles, g_object_ref (g_ptr_array_index (merged, i)));
      self->reset_pending = TRUE;
    }
  return TRUE;
}

/* Releases the lock, then tells listeners: one full items-changed when
 * merging replaced the list, else the change the caller made (@removed
 * and @added items at @position; all 0 when it made none); then the values
 * merged from the file reach their profiles (whose handlers may start
 * changes of their own). */
static void
end_change (KgProfileStore *self,
            int             fd,
            guint           position,
            guint           removed,
            guint           added)
{
  g_autoptr(GPtrArray) copies = NULL;

  kg_profile_file_unlock (fd);

  if (self->reset_pending)
    {
      self->reset_pending = FALSE;
      items_changed (self, 0, self->known_len, self->profiles->len);
    }
  else if (removed > 0 || added > 0)
    {
      items_changed (self, position, removed, added);
    }

  copies = g_steal_pointer (&self->pending_copies);
  self->pending_copies = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i + 1 < copies->len; i += 2)
    copy_profile_properties (g_ptr_array_index (copies, i), g_ptr_array_index (copies, i + 1));
}

/* Takes the lock and merges the file's current state in; the caller then
 * changes the list, saves with save_locked and calls end_change. */
static int
begin_change (KgProfileStore  *self,
              const char      *keep_id,
              GError         **error)
{
  int fd;

  if (!check_writable (self, error))
    return -2;
  fd = lock_store (self, error);
  if (fd == -2)
    return -2;
  if (!merge_from_disk (self, keep_id, error))
    {
      end_change (self, fd, 0, 0, 0);
      return -2;
    }
  return fd;
}

gboolean
kg_profile_store_reload (KgProfileStore  *self,
                         GError         **error)
{
  gboolean ok;
  int fd;

  g_return_val_if_fail (KG_IS_PROFILE_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  fd = lock_store (self, error);
  if (fd == -2)
    return FALSE;
  ok = merge_from_disk (self, NULL, error);
  if (ok)
    set_read_only_reason (self, NULL);
  end_change (self, fd, 0, 0, 0);
  return ok;
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

      if (other == profile ||
          g_strcmp0 (kg_profile_get_id (other), kg_profile_get_id (profile)) == 0)
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
  int fd;

  g_return_val_if_fail (KG_IS_PROFILE_STORE (self), FALSE);
  g_return_val_if_fail (KG_IS_PROFILE (profile), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_writable (self, error))
    return FALSE;
  if (!kg_profile_validate (profile, error))
    return FALSE;
  fd = begin_change (self, NULL, error);
  if (fd == -2)
    return FALSE;
  if (find_index (self, profile) >= 0)
    {
      g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                   _("The profile “%s” is already in the list."), kg_profile_get_name (profile));
      end_change (self, fd, 0, 0, 0);
      return FALSE;
    }
  if (!check_unique_name (self, profile, error))
    {
      end_change (self, fd, 0, 0, 0);
      return FALSE;
    }

  position = self->profiles->len;
  g_ptr_array_add (self->profiles, g_object_ref (profile));
  if (!save_locked (self, error))
    {
      g_ptr_array_remove_index (self->profiles, position);
      end_change (self, fd, 0, 0, 0);
      return FALSE;
    }
  end_change (self, fd, position, 0, 1);
  return TRUE;
}

gboolean
kg_profile_store_remove (KgProfileStore  *self,
                         KgProfile       *profile,
                         GError         **error)
{
  g_autoptr(KgProfile) removed = NULL;
  gint index;
  int fd;

  g_return_val_if_fail (KG_IS_PROFILE_STORE (self), FALSE);
  g_return_val_if_fail (KG_IS_PROFILE (profile), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  fd = begin_change (self, NULL, error);
  if (fd == -2)
    return FALSE;

  index = find_index (self, profile);
  if (index < 0)
    {
      g_set_error (error, KG_ERROR, KG_ERROR_PROFILE_NOT_FOUND,
                   _("There is no profile named “%s”."), kg_profile_get_name (profile));
      end_change (self, fd, 0, 0, 0);
      return FALSE;
    }

  removed = g_ptr_array_steal_index (self->profiles, index);
  if (!save_locked (self, error))
    {
      g_ptr_array_insert (self->profiles, index, g_steal_pointer (&removed));
      end_change (self, fd, 0, 0, 0);
      return FALSE;
    }
  end_change (self, fd, index, 1, 0);
  return TRUE;
}

gboolean
kg_profile_store_update (KgProfileStore  *self,
                         KgProfile       *profile,
                         GError         **error)
{
  gint index;
  int fd;

  g_return_val_if_fail (KG_IS_PROFILE_STORE (self), FALSE);
  g_return_val_if_fail (KG_IS_PROFILE (profile), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!kg_profile_validate (profile, error))
    return FALSE;
  fd = begin_change (self, kg_profile_get_id (profile), error);
  if (fd == -2)
    return FALSE;

  index = find_index (self, profile);
  if (index < 0)
    {
      g_set_error (error, KG_ERROR, KG_ERROR_PROFILE_NOT_FOUND,
                   _("There is no profile named “%s”."), kg_profile_get_name (profile));
      end_change (self, fd, 0, 0, 0);
      return FALSE;
    }
  if (!check_unique_name (self, profile, error))
    {
      end_change (self, fd, 0, 0, 0);
      return FALSE;
    }

  /* An edited copy (same id) replaces the stored profile. */
  if (g_ptr_array_index (self->profiles, index) != (gpointer) profile)
    {
      g_object_unref (g_ptr_array_index (self->profiles, index));
      g_ptr_array_index (self->profiles, index) = g_object_ref (profile);
    }

  if (!save_locked (self, error))
    {
      end_change (self, fd, 0, 0, 0);
      return FALSE;
    }
  end_change (self, fd, index, 1, 1);
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

static gboolean
reload_cb (gpointer user_data)
{
  KgProfileStore *self = user_data;
  g_autoptr(GError) error = NULL;

  self->reload_source = 0;
  if (!kg_profile_store_reload (self, &error))
    g_debug ("Reloading the profiles after an outside change failed: %s", error->message);
  return G_SOURCE_REMOVE;
}

static void
file_changed_cb (GFileMonitor      *monitor,
                 GFile             *file,
                 GFile             *other_file,
                 GFileMonitorEvent  event,
                 KgProfileStore    *self)
{
  switch (event)
    {
    case G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT:
    case G_FILE_MONITOR_EVENT_CREATED:
    case G_FILE_MONITOR_EVENT_DELETED:
    case G_FILE_MONITOR_EVENT_MOVED_IN:
    case G_FILE_MONITOR_EVENT_RENAMED:
      /* A burst of events from one save becomes one reload. Our own saves
       * come back here too; merging an unchanged file changes nothing. */
      if (self->reload_source == 0)
        self->reload_source = g_timeout_add (100, reload_cb, self);
      break;
    case G_FILE_MONITOR_EVENT_CHANGED:
    case G_FILE_MONITOR_EVENT_ATTRIBUTE_CHANGED:
    case G_FILE_MONITOR_EVENT_PRE_UNMOUNT:
    case G_FILE_MONITOR_EVENT_UNMOUNTED:
    case G_FILE_MONITOR_EVENT_MOVED:
    case G_FILE_MONITOR_EVENT_MOVED_OUT:
    default:
      break;
    }
}

/**
 * kg_profile_store_set_watching:
 *
 * While @watching, a change of the file by another process (keygate-cli,
 * a second window) is merged into the list shortly after it happens, on the
 * thread-default main context of the caller. The window turns this on; the
 * CLI, which lives for one command, does not.
 */
void
kg_profile_store_set_watching (KgProfileStore *self,
                               gboolean        watching)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (KG_IS_PROFILE_STORE (self));

  if (watching == (self->monitor != NULL))
    return;
  if (!watching)
    {
      g_file_monitor_cancel (self->monitor);
      g_clear_object (&self->monitor);
      g_clear_handle_id (&self->reload_source, g_source_remove);
      return;
    }
  self->monitor = g_file_monitor_file (self->file, G_FILE_MONITOR_WATCH_MOVES, NULL, &error);
  if (self->monitor == NULL)
    {
      g_debug ("Cannot watch the profiles file: %s", error->message);
      return;
    }
  g_signal_connect_object (self->monitor, "changed", G_CALLBACK (file_changed_cb), self, 0);
}
