/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "keygate-history"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "kg-error.h"
#include "kg-json.h"
#include "kg-history.h"

struct _KgHistory
{
  GObject     parent_instance;

  GFile      *file;
  GListStore *model;
  gsize       max_bytes;
  guint       skipped_lines;   /* by the last load: damaged or not entries */
};

G_DEFINE_FINAL_TYPE (KgHistory, kg_history, G_TYPE_OBJECT)

static void
kg_history_dispose (GObject *object)
{
  KgHistory *self = KG_HISTORY (object);

  g_clear_object (&self->file);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (kg_history_parent_class)->dispose (object);
}

static void
kg_history_class_init (KgHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kg_history_dispose;
}

static void
kg_history_init (KgHistory *self)
{
  self->model = g_list_store_new (KG_TYPE_EXCHANGE);
  self->max_bytes = KG_HISTORY_DEFAULT_MAX_BYTES;
}

static GFile *
default_file (void)
{
  const char *state = g_getenv ("XDG_STATE_HOME");
  g_autofree char *path = NULL;

  /* g_get_user_state_dir() is newer than GLib 2.74. */
  if (state != NULL && g_path_is_absolute (state))
    path = g_build_filename (state, "keygate", "history.jsonl", NULL);
  else
    path = g_build_filename (g_get_home_dir (), ".local", "state", "keygate", "history.jsonl",
                             NULL);

  return g_file_new_for_path (path);
}

KgHistory *
kg_history_new (GFile *file)
{
  KgHistory *self;

  g_return_val_if_fail (file == NULL || G_IS_FILE (file), NULL);

  self = g_object_new (KG_TYPE_HISTORY, NULL);
  self->file = file ? g_object_ref (file) : default_file ();
  return self;
}

GFile *
kg_history_get_file (KgHistory *self)
{
  g_return_val_if_fail (KG_IS_HISTORY (self), NULL);
  return self->file;
}

void
kg_history_set_max_bytes (KgHistory *self,
                          gsize      max_bytes)
{
  g_return_if_fail (KG_IS_HISTORY (self));
  self->max_bytes = max_bytes;
}

GListModel *
kg_history_get_model (KgHistory *self)
{
  g_return_val_if_fail (KG_IS_HISTORY (self), NULL);
  return G_LIST_MODEL (self->model);
}

static char *
rotated_path (const char *path)
{
  return g_strconcat (path, ".1", NULL);
}

/* Sets a KG_ERROR_STORE error naming @path and @err; evaluates to FALSE. */
#define set_io_error(error, format, path, err) \
  (g_set_error ((error), KG_ERROR, KG_ERROR_STORE, (format), (path), g_strerror (err)), FALSE)

static gboolean
ensure_parent (const char  *path,
               GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, KG_ERROR, KG_ERROR_STORE,
                   _("Could not create the folder %s: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

gboolean
kg_history_append (KgHistory   *self,
                   KgExchange  *exchange,
                   GError     **error)
{
  g_autofree char *path = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *line = NULL;
  GStatBuf st;
  gsize len;
  gsize written = 0;
  int fd;

  g_return_val_if_fail (KG_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (KG_IS_EXCHANGE (exchange), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  path = g_file_get_path (self->file);
  if (path == NULL)
    {
      g_set_error (error, KG_ERROR, KG_ERROR_STORE, _("The history file has no local path"));
      return FALSE;
    }

  object = kg_exchange_to_json (exchange);
  node = json_node_init_object (json_node_alloc (), object);
  line = json_to_string (node, FALSE);
  len = strlen (line);
  line = g_realloc (line, len + 2);
  line[len++] = '\n';
  line[len] = '\0';

  if (!ensure_parent (path, error))
    return FALSE;

  if (g_stat (path, &st) == 0 && st.st_size > 0 &&
      (gsize) st.st_size + len > self->max_bytes)
    {
      g_autofree char *old = rotated_path (path);

      if (g_rename (path, old) != 0)
        return set_io_error (error, _("Could not rotate the history file %s: %s"), path, errno);
    }

  fd = g_open (path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    return set_io_error (error, _("Could not open the history file %s: %s"), path, errno);

  while (written < len)
    {
      gssize n = write (fd, line + written, len - written);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          close (fd);
          return set_io_error (error, _("Could not write the history file %s: %s"), path,
                               saved_errno);
        }
      written += n;
    }

  if (close (fd) != 0)
    return set_io_error (error, _("Could not write the history file %s: %s"), path, errno);

  g_list_store_insert (self->model, 0, exchange);
  return TRUE;
}

/* Parses one line; NULL when it is not an entry (damaged, cut, zeros). */
static KgExchange *
parse_line (const char *line,
            gsize       length)
{
  g_autoptr(JsonNode) root = NULL;

  /* A NUL inside the line (a crash left a block of zeros) is damage. */
  if (memchr (line, '\0', length) != NULL)
    return NULL;

  root = kg_json_parse (line, (gssize) length, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return kg_exchange_new_from_json (json_node_get_object (root), NULL);
}

/* Appends the entries of @path, oldest first, to @entries and counts the
 * lines that are not entries in @skipped. The whole file is read: a
 * damaged line (even one of NUL bytes) is skipped, not the rest. */
static gboolean
load_file (const char  *path,
           GPtrArray   *entries,
           guint       *skipped,
           GError     **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *end;
  const char *line;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return TRUE;
      g_set_error (error, KG_ERROR, KG_ERROR_STORE,
                   _("Could not read the history file %s: %s"), path, local_error->message);
      return FALSE;
    }

  end = contents + length;
  for (line = contents; line < end;)
    {
      const char *newline = memchr (line, '\n', (gsize) (end - line));
      const char *line_end = newline != NULL ? newline : end;
      const char *first = line;
      KgExchange *exchange;

      /* Blank lines (and a block of zeros alone on its "line") between
       * entries are not entries; whitespace-only lines are not counted. */
      while (first < line_end && g_ascii_isspace (*first))
        first++;
      if (first < line_end)
        {
          exchange = parse_line (first, (gsize) (line_end - first));
          if (exchange != NULL)
            g_ptr_array_add (entries, exchange);
          else
            (*skipped)++;
        }
      line = newline != NULL ? newline + 1 : end;
    }

  return TRUE;
}

gboolean
kg_history_load (KgHistory  *self,
                 GError    **error)
{
  g_autofree char *path = NULL;
  g_autofree char *old = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  guint skipped = 0;

  g_return_val_if_fail (KG_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  path = g_file_get_path (self->file);
  if (path == NULL)
    {
      g_set_error (error, KG_ERROR, KG_ERROR_STORE, _("The history file has no local path"));
      return FALSE;
    }
  old = rotated_path (path);

  entries = g_ptr_array_new_with_free_func (g_object_unref);
  if (!load_file (old, entries, &skipped, error) || !load_file (path, entries, &skipped, error))
    return FALSE;
  if (skipped > 0)
    g_debug ("Skipped %u damaged lines in %s", skipped, path);
  self->skipped_lines = skipped;

  /* Newest first. */
  for (guint i = 0; i < entries->len / 2; i++)
    {
      gpointer tmp = entries->pdata[i];

      entries->pdata[i] = entries->pdata[entries->len - 1 - i];
      entries->pdata[entries->len - 1 - i] = tmp;
    }
  g_list_store_splice (self->model, 0, g_list_model_get_n_items (G_LIST_MODEL (self->model)),
                       entries->pdata, entries->len);
  return TRUE;
}

gboolean
kg_history_clear (KgHistory  *self,
                  GError    **error)
{
  g_autofree char *path = NULL;
  g_autofree char *old = NULL;

  g_return_val_if_fail (KG_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  path = g_file_get_path (self->file);
  if (path == NULL)
    {
      g_set_error (error, KG_ERROR, KG_ERROR_STORE, _("The history file has no local path"));
      return FALSE;
    }
  old = rotated_path (path);

  if (g_unlink (path) != 0 && errno != ENOENT)
    return set_io_error (error, _("Could not delete the history file %s: %s"), path, errno);
  if (g_unlink (old) != 0 && errno != ENOENT)
    return set_io_error (error, _("Could not delete the history file %s: %s"), old, errno);

  g_list_store_remove_all (self->model);
  return TRUE;
}

/* How many lines the last kg_history_load skipped because they were not
 * entries (damaged JSON, a line cut by a crash, a block of zeros). */
guint
kg_history_get_skipped_lines (KgHistory *self)
{
  g_return_val_if_fail (KG_IS_HISTORY (self), 0);
  return self->skipped_lines;
}
