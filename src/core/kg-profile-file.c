/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "keygate-profile"

/* The profiles file on disk, without the store's list and signals: reading
 * it without ever blocking (a FIFO or device in its place is refused
 * unopened), its JSON form, the lock every read-modify-write holds, and the
 * atomic private write with a backup. */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "kg-json.h"
#include "kg-profile-file.h"

static const char * const known_keys[] = { "version", "profiles" };

void
kg_profile_file_state_clear (KgProfileFileState *state)
{
  g_clear_pointer (&state->profiles, g_ptr_array_unref);
  g_clear_pointer (&state->unknown, json_object_unref);
}

/* Reads the file without ever blocking on it: a FIFO, socket or device in
 * its place is refused before it is opened. A missing file is an empty
 * state. On failure sets @reason (a phrase that completes "the file
 * cannot be read: …") and returns FALSE. */
gboolean
kg_profile_file_read (GFile               *file,
                      KgProfileFileState  *state,
                      char               **reason)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *contents = NULL;
  JsonObject *root_object;
  g_autoptr(JsonNode) root = NULL;
  JsonNode *node;
  JsonArray *array = NULL;
  gsize length = 0;

  state->profiles = g_ptr_array_new_with_free_func (g_object_unref);
  state->unknown = NULL;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NONE, NULL, &local_error);
  if (info == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        return TRUE;   /* no file yet: an empty store that may be written */
      *reason = g_strdup (local_error->message);
      return FALSE;
    }
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      *reason = g_strdup (_("it is not a regular file (a pipe, device or folder stands in "
                            "its place)"));
      return FALSE;
    }

  if (!g_file_load_contents (file, NULL, &contents, &length, NULL, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        return TRUE;
      *reason = g_strdup (local_error->message);
      return FALSE;
    }

  if (!g_utf8_validate (contents, length, NULL))
    {
      *reason = g_strdup (_("it is not UTF-8 text"));
      return FALSE;
    }

  root = kg_json_parse (contents, (gssize) length, &local_error);
  if (root == NULL)
    {
      *reason = g_strdup_printf (_("it is not valid JSON (%s)"), local_error->message);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      *reason = g_strdup (_("it does not hold a JSON object"));
      return FALSE;
    }
  root_object = json_node_get_object (root);

  node = json_object_get_member (root_object, "version");
  if (node != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
        {
          *reason = g_strdup (_("“version” is not a number"));
          return FALSE;
        }
      if (json_node_get_int (node) > KG_PROFILE_FILE_VERSION)
        {
          *reason = g_strdup_printf (/* Translators: %lld is a file format version number */
                                     _("it was written by a newer Keygate (format version %lld)"),
                                     (long long) json_node_get_int (node));
          return FALSE;
        }
    }

  node = json_object_get_member (root_object, "profiles");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      if (!JSON_NODE_HOLDS_ARRAY (node))
        {
          *reason = g_strdup (_("“profiles” is not a list"));
          return FALSE;
        }
      array = json_node_get_array (node);
    }

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autoptr(GError) profile_error = NULL;
      KgProfile *profile;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          *reason = g_strdup_printf (_("profile %u is not a JSON object"), i + 1);
          return FALSE;
        }

      profile = kg_profile_new_from_json (json_node_get_object (element), &profile_error);
      /* A hand-edited file gets the checks the forms and the CLI make: a
       * timeout of 4294968 s would wrap when turned into milliseconds. */
      if (profile != NULL && !kg_profile_validate (profile, &profile_error))
        g_clear_object (&profile);
      if (profile == NULL)
        {
          const char *name = NULL;

          kg_json_read_string (json_node_get_object (element), "name", FALSE, &name, NULL);
          if (name != NULL && name[0] != '\0')
            *reason = g_strdup_printf (/* Translators: %u is a position, %s a connection name,
                                        * then the reason */
                                       _("profile %u (“%s”) is damaged: %s"),
                                       i + 1, name, profile_error->message);
          else
            *reason = g_strdup_printf (/* Translators: %u is a position, %s the reason */
                                       _("profile %u is damaged (%s)"),
                                       i + 1, profile_error->message);
          return FALSE;
        }
      g_ptr_array_add (state->profiles, profile);
    }

  state->unknown = kg_json_object_dup_unknown (root_object, known_keys,
                                               G_N_ELEMENTS (known_keys));

  return TRUE;
}

char *
kg_profile_file_serialize (GPtrArray  *profiles,
                           JsonObject *unknown,
                           gsize      *length)
{
  g_autoptr(JsonObject) root = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  JsonArray *array = json_array_sized_new (profiles->len);
  char *text;

  json_object_set_int_member (root, "version", KG_PROFILE_FILE_VERSION);
  for (guint i = 0; i < profiles->len; i++)
    json_array_add_object_element (array, kg_profile_to_json (g_ptr_array_index (profiles, i)));
  json_object_set_array_member (root, "profiles", array);

  kg_json_object_add_members (root, unknown);

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
set_errno_error (GError     **error,
                 int          saved_errno,
                 const char  *path)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               "%s: %s", path, g_strerror (saved_errno));
  return FALSE;
}

/* Writes @contents to @path atomically with mode 0600: a temporary file
 * "<name>.tmp" beside it (the store's lock makes the name ours), fsync,
 * rename. A process killed half-way leaves only that temporary file, which
 * the next save overwrites. */
static gboolean
write_private (const char  *path,
               const char  *contents,
               gsize        length,
               GError     **error)
{
  g_autofree char *tmp_path = g_strconcat (path, ".tmp", NULL);
  gsize written = 0;
  int fd;

  fd = g_open (tmp_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0)
    return set_errno_error (error, errno, tmp_path);
  /* An existing temporary file keeps its mode on O_TRUNC. */
  if (fchmod (fd, 0600) != 0)
    {
      int saved_errno = errno;

      close (fd);
      return set_errno_error (error, saved_errno, tmp_path);
    }
  while (written < length)
    {
      gssize n = write (fd, contents + written, length - written);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          close (fd);
          g_unlink (tmp_path);
          return set_errno_error (error, saved_errno, tmp_path);
        }
      written += (gsize) n;
    }
  if (fsync (fd) != 0 || close (fd) != 0)
    {
      int saved_errno = errno;

      g_unlink (tmp_path);
      return set_errno_error (error, saved_errno, tmp_path);
    }
  if (g_rename (tmp_path, path) != 0)
    {
      int saved_errno = errno;

      g_unlink (tmp_path);
      return set_errno_error (error, saved_errno, path);
    }
  return TRUE;
}

/* The path saves go to: the file itself, or the file a symbolic link in
 * its place points to (a dotfiles repository often links profiles.json), so
 * that a save writes through the link instead of replacing it. */
char *
kg_profile_file_dup_write_path (GFile *file)
{
  g_autofree char *path = g_file_get_path (file);

  if (path == NULL)
    return NULL;
  for (guint hops = 0; hops < 16; hops++)
    {
      g_autofree char *target = g_file_read_link (path, NULL);
      g_autofree char *dir = NULL;

      if (target == NULL)
        return g_steal_pointer (&path);
      if (g_path_is_absolute (target))
        {
          g_free (path);
          path = g_steal_pointer (&target);
          continue;
        }
      dir = g_path_get_dirname (path);
      g_free (path);
      path = g_build_filename (dir, target, NULL);
    }
  return g_steal_pointer (&path);
}

/* Removes what an earlier Keygate killed during a save may have left
 * beside the file: GIO's ".goutputstream-*" temporaries (written by
 * versions that saved through g_file_replace_contents). Called under the
 * lock, so no save of ours is using them. */
static void
remove_stale_temporaries (const char *dir_path)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;

      if (!g_str_has_prefix (name, ".goutputstream-"))
        continue;
      path = g_build_filename (dir_path, name, NULL);
      if (g_unlink (path) == 0)
        g_debug ("Removed a stale temporary file %s", path);
    }
}

/* Writes @contents as the profiles file @file: the folder made (0700), the
 * stale temporaries of an earlier crash removed, the previous version kept
 * as "<file>.bak", then the file replaced atomically (0600). A symbolic link
 * in the file's place is written through. The caller holds the lock. */
gboolean
kg_profile_file_write (GFile       *file,
                       const char  *contents,
                       gsize        length,
                       GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *path = kg_profile_file_dup_write_path (file);
  g_autofree char *dir_path = NULL;
  g_autofree char *backup_path = NULL;
  g_autofree char *previous = NULL;
  gsize previous_length = 0;

  if (path == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("it is not a local file"));
      return FALSE;
    }

  dir_path = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir_path, 0700) != 0)
    return set_errno_error (error, errno, dir_path);
  remove_stale_temporaries (dir_path);

  /* Keep the previous version as profiles.json.bak. */
  if (g_file_get_contents (path, &previous, &previous_length, &local_error))
    {
      backup_path = g_strconcat (path, ".bak", NULL);
      if (!write_private (backup_path, previous, previous_length, error))
        return FALSE;
    }
  else if (!g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return write_private (path, contents, length, error);
}

/* Holds an exclusive flock on "<file>.lock" beside the profiles file: every
 * read-modify-write of the file (this process or another keygate or
 * keygate-cli) happens under it. Returns the descriptor, -1 when the file
 * is not a local one (nothing to lock), -2 with @error set. */
int
kg_profile_file_lock (GFile   *file,
                      GError **error)
{
  g_autofree char *path = kg_profile_file_dup_write_path (file);
  g_autofree char *dir_path = NULL;
  g_autofree char *lock_path = NULL;
  int fd;

  if (path == NULL)
    return -1;   /* not a local file: nothing to lock */

  dir_path = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir_path, 0700) != 0)
    {
      set_errno_error (error, errno, dir_path);
      return -2;
    }
  lock_path = g_strconcat (path, ".lock", NULL);
  fd = g_open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0)
    {
      set_errno_error (error, errno, lock_path);
      return -2;
    }
  while (flock (fd, LOCK_EX) != 0)
    {
      if (errno == EINTR)
        continue;
      set_errno_error (error, errno, lock_path);
      close (fd);
      return -2;
    }
  return fd;
}

void
kg_profile_file_unlock (int fd)
{
  if (fd >= 0)
    close (fd);   /* releases the flock */
}
