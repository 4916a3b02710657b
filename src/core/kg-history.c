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
#include "kg-history-private.h"

static void kg_history_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KgHistory, kg_history, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      kg_history_list_model_init))

static GQuark line_ref_quark;

/* Loads ------------------------------------------------------------------ */

static void
load_free (Load *load)
{
  for (guint i = 0; i < 2; i++)
    if (load->fds[i] >= 0)
      close (load->fds[i]);
  g_clear_pointer (&load->strings, g_string_chunk_free);
  g_clear_pointer (&load->appended, g_hash_table_unref);
  g_weak_ref_clear (&load->history);
}

static Load *
load_ref (Load *load)
{
  return g_atomic_rc_box_acquire (load);
}

void
_kg_history_load_unref (Load *load)
{
  g_atomic_rc_box_release_full (load, (GDestroyNotify) load_free);
}

char *
_kg_history_line_key (FileId id,
          gint64 offset)
{
  return g_strdup_printf ("%" G_GUINT64_FORMAT ":%" G_GUINT64_FORMAT ":%" G_GINT64_FORMAT,
                          (guint64) id.dev, (guint64) id.ino, offset);
}

/* GObject ---------------------------------------------------------------- */

static void
entry_clear (gpointer data)
{
  Entry *entry = data;

  g_clear_object (&entry->full);
}

static void
kg_history_dispose (GObject *object)
{
  KgHistory *self = KG_HISTORY (object);

  for (guint i = 0; self->loads != NULL && i < self->loads->len; i++)
    g_atomic_int_set (&((Load *) g_ptr_array_index (self->loads, i))->cancelled, TRUE);
  g_clear_object (&self->loading);
  g_clear_object (&self->file);
  g_clear_pointer (&self->recent, g_array_unref);
  g_clear_pointer (&self->loaded, g_array_unref);
  g_clear_pointer (&self->loads, g_ptr_array_unref);
  g_clear_pointer (&self->waiting, g_ptr_array_unref);

  G_OBJECT_CLASS (kg_history_parent_class)->dispose (object);
}

static void
kg_history_class_init (KgHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kg_history_dispose;

  line_ref_quark = g_quark_from_static_string ("kg-history-line");
}

static void
kg_history_init (KgHistory *self)
{
  self->max_bytes = KG_HISTORY_DEFAULT_MAX_BYTES;
  self->recent = g_array_new (FALSE, TRUE, sizeof (Entry));
  g_array_set_clear_func (self->recent, entry_clear);
  self->loaded = g_array_new (FALSE, TRUE, sizeof (Entry));
  self->loads = g_ptr_array_new_with_free_func ((GDestroyNotify) _kg_history_load_unref);
  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
}

/* GListModel ------------------------------------------------------------- */

static GType
kg_history_get_item_type (GListModel *model)
{
  return KG_TYPE_EXCHANGE;
}

static guint
kg_history_get_n_items (GListModel *model)
{
  KgHistory *self = KG_HISTORY (model);

  return self->recent->len + self->loaded->len;
}

static gpointer
kg_history_get_item (GListModel *model,
                     guint       position)
{
  KgHistory *self = KG_HISTORY (model);
  KgExchange *exchange;
  LineRef *ref;
  Entry *entry;

  if (position < self->recent->len)
    return g_object_ref (g_array_index (self->recent, Entry,
                                        self->recent->len - 1 - position).full);
  position -= self->recent->len;
  if (position >= self->loaded->len)
    return NULL;

  entry = &g_array_index (self->loaded, Entry, position);
  exchange = kg_exchange_new_summary (entry->id, entry->started_us, entry->method, entry->url,
                                      entry->profile_id, entry->label, entry->status,
                                      entry->outcome, entry->total_us);
  kg_exchange_set_step (exchange, entry->step);
  ref = g_new (LineRef, 1);
  ref->file = entry->file;
  ref->offset = entry->offset;
  ref->length = entry->length;
  g_object_set_qdata_full (G_OBJECT (exchange), line_ref_quark, ref, g_free);

  return exchange;
}

static void
kg_history_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = kg_history_get_item_type;
  iface->get_n_items = kg_history_get_n_items;
  iface->get_item = kg_history_get_item;
}

/* Paths ------------------------------------------------------------------ */

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
  return G_LIST_MODEL (self);
}

char *
_kg_history_rotated_path (const char *path)
{
  return g_strconcat (path, ".1", NULL);
}

/* Sets a KG_ERROR_STORE error naming @path and @err; evaluates to FALSE. */
#define set_io_error(error, format, path, err) \
  (g_set_error ((error), KG_ERROR, KG_ERROR_STORE, (format), (path), g_strerror (err)), FALSE)

char *
_kg_history_dup_path (KgHistory  *self,
          GError    **error)
{
  char *path = g_file_get_path (self->file);

  if (path == NULL)
    g_set_error (error, KG_ERROR, KG_ERROR_STORE, _("The history file has no local path"));
  return path;
}

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

/* Append ----------------------------------------------------------------- */

gboolean
kg_history_append (KgHistory   *self,
                   KgExchange  *exchange,
                   GError     **error)
{
  g_autofree char *path = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *line = NULL;
  Entry entry = { 0 };
  struct stat st;
  gsize len;
  gsize written = 0;
  off_t end;
  int fd;

  g_return_val_if_fail (KG_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (KG_IS_EXCHANGE (exchange), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!(path = _kg_history_dup_path (self, error)))
    return FALSE;

  object = kg_exchange_to_json (exchange);
  node = json_node_init_object (json_node_alloc (), object);
  line = json_to_string (node, FALSE);
  len = strlen (line);
  line = g_realloc (line, len + 2);
  line[len++] = '\n';
  line[len] = '\0';

  if (!ensure_parent (path, error))
    return FALSE;

  if (stat (path, &st) == 0 && st.st_size > 0 && (gsize) st.st_size + len > self->max_bytes)
    {
      g_autofree char *old = _kg_history_rotated_path (path);

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

  /* Where the line went, so that a load running now does not list it twice. */
  end = lseek (fd, 0, SEEK_CUR);
  if (fstat (fd, &st) == 0 && end >= (off_t) len)
    {
      entry.file.dev = st.st_dev;
      entry.file.ino = st.st_ino;
      entry.offset = end - (off_t) len;
    }
  else
    {
      entry.offset = -1;
    }

  if (close (fd) != 0)
    return set_io_error (error, _("Could not write the history file %s: %s"), path, errno);

  entry.full = g_object_ref (exchange);
  entry.length = len;
  g_array_append_val (self->recent, entry);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, 1);
  return TRUE;
}

/* Synchronous load ------------------------------------------------------- */

static void
collect_page (gpointer user_data,
              GArray  *page)
{
  GArray *all = user_data;

  g_array_append_vals (all, page->data, page->len);
  g_array_unref (page);
}

static void
finish_loading (KgHistory    *self,
                const GError *error);

gboolean
kg_history_load (KgHistory  *self,
                 GError    **error)
{
  g_autoptr(GArray) all = NULL;
  Reader reader = { 0 };
  guint removed;
  Load *load;

  g_return_val_if_fail (KG_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* A load in flight is overtaken by this one. */
  self->generation++;
  if (!(load = _kg_history_load_new (self, error)))
    return FALSE;

  all = g_array_new (FALSE, TRUE, sizeof (Entry));
  reader.load = load;
  reader.page = g_array_new (FALSE, TRUE, sizeof (Entry));
  reader.page_size = G_MAXUINT;
  reader.deliver = collect_page;
  reader.user_data = all;
  if (!_kg_history_load_read (&reader, error))
    {
      g_array_unref (reader.page);
      _kg_history_load_unref (load);
      return FALSE;
    }
  g_array_unref (reader.page);

  if (load->skipped > 0)
    g_debug ("Skipped %u damaged lines in the history", load->skipped);
  self->skipped_lines = load->skipped;

  /* What is on disk, newest first, replaces the list. */
  removed = g_list_model_get_n_items (G_LIST_MODEL (self));
  g_array_set_size (self->recent, 0);
  g_ptr_array_set_size (self->loads, 0);
  g_ptr_array_add (self->loads, load);
  g_clear_pointer (&self->loaded, g_array_unref);
  self->loaded = g_steal_pointer (&all);
  self->is_loaded = TRUE;
  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->loaded->len);
  finish_loading (self, NULL);

  return TRUE;
}

/* Asynchronous load ------------------------------------------------------ */

typedef struct
{
  Load     *load;
  GArray   *page;
} PageData;

static gboolean
page_arrived_cb (gpointer user_data)
{
  PageData *data = user_data;
  g_autoptr(KgHistory) self = g_weak_ref_get (&data->load->history);

  if (self != NULL && data->load->generation == self->generation &&
      !g_atomic_int_get (&data->load->cancelled))
    {
      guint position = g_list_model_get_n_items (G_LIST_MODEL (self));

      g_array_append_vals (self->loaded, data->page->data, data->page->len);
      g_list_model_items_changed (G_LIST_MODEL (self), position, 0, data->page->len);
    }

  return G_SOURCE_REMOVE;
}

static void
page_data_free (gpointer user_data)
{
  PageData *data = user_data;

  _kg_history_load_unref (data->load);
  g_array_unref (data->page);
  g_free (data);
}

typedef struct
{
  GMainContext *context;
  Load         *load;
} DeliverData;

/* Pages go at the task's priority: they are all in before its result. */
static void
deliver_page (gpointer user_data,
              GArray  *page)
{
  DeliverData *deliver = user_data;
  PageData *data = g_new0 (PageData, 1);
  GSource *source;

  data->load = load_ref (deliver->load);
  data->page = page;

  /* Always through a source: g_main_context_invoke() would run the
   * callback right here, in the worker, whenever the main thread does not
   * own its context at that moment. */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, page_arrived_cb, data, page_data_free);
  g_source_set_static_name (source, "[keygate] history page");
  g_source_attach (source, deliver->context);
  g_source_unref (source);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Load *load = task_data;
  DeliverData deliver = { g_task_get_context (task), load };
  Reader reader = { 0 };
  GError *error = NULL;

  reader.load = load;
  reader.page = g_array_sized_new (FALSE, TRUE, sizeof (Entry), FIRST_PAGE);
  reader.page_size = FIRST_PAGE;
  reader.deliver = deliver_page;
  reader.user_data = &deliver;
  if (!_kg_history_load_read (&reader, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
  g_array_unref (reader.page);
}

static void
finish_loading (KgHistory    *self,
                const GError *error)
{
  g_autoptr(GPtrArray) waiting = g_steal_pointer (&self->waiting);

  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < waiting->len; i++)
    {
      GTask *task = g_ptr_array_index (waiting, i);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
}

static void
load_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Load *load = g_task_get_task_data (G_TASK (result));
  g_autoptr(KgHistory) self = g_weak_ref_get (&load->history);
  g_autoptr(GError) error = NULL;

  if (self == NULL)
    return;
  if (self->loading == G_TASK (result))
    g_clear_object (&self->loading);
  if (load->generation != self->generation)
    return;   /* overtaken: the newer load answers the callers */

  g_task_propagate_boolean (G_TASK (result), &error);
  if (error == NULL)
    {
      /* The pages are queued before the result: they are all in. */
      if (load->skipped > 0)
        g_debug ("Skipped %u damaged lines in the history", load->skipped);
      self->skipped_lines = load->skipped;
      self->is_loaded = TRUE;
    }
  finish_loading (self, error);
}

void
kg_history_load_async (KgHistory           *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) worker = NULL;
  g_autoptr(GError) error = NULL;
  Load *load;

  g_return_if_fail (KG_IS_HISTORY (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kg_history_load_async);

  if (self->is_loaded)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  g_ptr_array_add (self->waiting, g_steal_pointer (&task));
  if (self->loading != NULL)
    return;

  if (!(load = _kg_history_load_new (self, &error)))
    {
      finish_loading (self, error);
      return;
    }

  /* Lines appended before now are listed already. */
  for (guint i = 0; i < self->recent->len; i++)
    {
      Entry *entry = &g_array_index (self->recent, Entry, i);

      if (entry->offset < 0)
        continue;
      if (load->appended == NULL)
        load->appended = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_add (load->appended, _kg_history_line_key (entry->file, entry->offset));
    }

  g_ptr_array_add (self->loads, load_ref (load));
  /* The worker holds no reference on the history: dropping it stops the
   * reading. */
  worker = g_task_new (NULL, NULL, load_done_cb, NULL);
  g_task_set_source_tag (worker, kg_history_load_async);
  g_task_set_task_data (worker, load, (GDestroyNotify) _kg_history_load_unref);
  self->loading = g_object_ref (worker);
  g_task_run_in_thread (worker, load_thread);
}

gboolean
kg_history_load_finish (KgHistory     *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
kg_history_is_loaded (KgHistory *self)
{
  g_return_val_if_fail (KG_IS_HISTORY (self), FALSE);
  return self->is_loaded;
}

/* Whole entries ---------------------------------------------------------- */

typedef struct
{
  char    *path;
  LineRef  ref;
} FullData;

static void
full_data_free (FullData *data)
{
  g_free (data->path);
  g_free (data);
}

static void
full_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  FullData *data = task_data;
  g_autofree char *old = _kg_history_rotated_path (data->path);
  g_autofree char *line = NULL;
  KgExchange *exchange = NULL;

  for (guint i = 0; i < 2 && exchange == NULL; i++)
    {
      int fd = g_open (i == 0 ? data->path : old, O_RDONLY | O_CLOEXEC, 0);
      struct stat st;
      gssize got;

      if (fd < 0)
        continue;
      if (fstat (fd, &st) != 0 || st.st_dev != data->ref.file.dev ||
          st.st_ino != data->ref.file.ino)
        {
          close (fd);
          continue;
        }
      line = g_malloc (data->ref.length + 1);
      do
        got = pread (fd, line, data->ref.length, data->ref.offset);
      while (got < 0 && errno == EINTR);
      close (fd);
      if (got == (gssize) data->ref.length)
        {
          const char *first = line;

          while (first < line + got && g_ascii_isspace (*first))
            first++;
          exchange = _kg_history_parse_line (first, (gsize) (line + got - first));
        }
      g_clear_pointer (&line, g_free);
      break;
    }

  if (exchange == NULL)
    g_task_return_new_error (task, KG_ERROR, KG_ERROR_STORE,
                             _("This request is no longer in the history file: the history was "
                               "cleared, rotated or changed since it was listed."));
  else
    g_task_return_pointer (task, exchange, g_object_unref);
}

void
kg_history_dup_full_async (KgHistory           *self,
                           KgExchange          *entry,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  LineRef *ref;
  FullData *data;

  g_return_if_fail (KG_IS_HISTORY (self));
  g_return_if_fail (KG_IS_EXCHANGE (entry));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kg_history_dup_full_async);

  ref = g_object_get_qdata (G_OBJECT (entry), line_ref_quark);
  if (ref == NULL)
    {
      /* Already whole (recorded in this session). */
      g_task_return_pointer (task, g_object_ref (entry), g_object_unref);
      return;
    }

  data = g_new0 (FullData, 1);
  if (!(data->path = _kg_history_dup_path (self, &error)))
    {
      full_data_free (data);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  data->ref = *ref;
  g_task_set_task_data (task, data, (GDestroyNotify) full_data_free);
  g_task_run_in_thread (task, full_thread);
}

gboolean
kg_history_is_summary (KgExchange *entry)
{
  g_return_val_if_fail (KG_IS_EXCHANGE (entry), FALSE);
  return line_ref_quark != 0 && g_object_get_qdata (G_OBJECT (entry), line_ref_quark) != NULL;
}

KgExchange *
kg_history_dup_full_finish (KgHistory     *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Clear ------------------------------------------------------------------ */

gboolean
kg_history_clear (KgHistory  *self,
                  GError    **error)
{
  g_autofree char *path = NULL;
  g_autofree char *old = NULL;
  guint removed;

  g_return_val_if_fail (KG_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!(path = _kg_history_dup_path (self, error)))
    return FALSE;
  old = _kg_history_rotated_path (path);

  if (g_unlink (path) != 0 && errno != ENOENT)
    return set_io_error (error, _("Could not delete the history file %s: %s"), path, errno);
  if (g_unlink (old) != 0 && errno != ENOENT)
    return set_io_error (error, _("Could not delete the history file %s: %s"), old, errno);

  /* A load in flight stops and its late pages are dropped. */
  for (guint i = 0; i < self->loads->len; i++)
    g_atomic_int_set (&((Load *) g_ptr_array_index (self->loads, i))->cancelled, TRUE);
  self->generation++;
  removed = g_list_model_get_n_items (G_LIST_MODEL (self));
  g_array_set_size (self->recent, 0);
  g_array_set_size (self->loaded, 0);
  g_ptr_array_set_size (self->loads, 0);
  self->skipped_lines = 0;
  self->is_loaded = TRUE;
  finish_loading (self, NULL);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 0);
  return TRUE;
}

/* How many lines the last load skipped because they were not entries
 * (damaged JSON, a line cut by a crash, a block of zeros). */
guint
kg_history_get_skipped_lines (KgHistory *self)
{
  g_return_val_if_fail (KG_IS_HISTORY (self), 0);
  return self->skipped_lines;
}
