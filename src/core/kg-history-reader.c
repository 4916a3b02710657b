/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reading the history's JSON-lines files backwards, newest first, in
 * blocks, into compact entries; damaged lines (a crash's block of zeros,
 * a cut line) are counted and skipped. */
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
#include "kg-history-private.h"
#include "kg-json.h"

/* Reading ---------------------------------------------------------------- */

/* Parses one line; NULL when it is not an entry (damaged, cut, zeros). */
KgExchange *
_kg_history_parse_line (const char *line,
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

static const char *
intern (Load       *load,
        const char *text)
{
  return text != NULL ? g_string_chunk_insert_const (load->strings, text) : NULL;
}

static void
reader_flush (Reader *reader)
{
  if (reader->page->len == 0)
    return;
  reader->deliver (reader->user_data, reader->page);
  reader->page = g_array_sized_new (FALSE, TRUE, sizeof (Entry), PAGE);
  reader->page_size = PAGE;
}

/* One line of the file at @offset (whitespace-only lines are no entries and
 * are not counted; anything else that is not an entry is skipped and
 * counted). */
static void
reader_line (Reader     *reader,
             const char *line,
             gsize       length,
             gint64      offset)
{
  Load *load = reader->load;
  const char *first = line;
  const char *end = line + length;
  g_autoptr(KgExchange) exchange = NULL;
  GDateTime *started;
  Entry entry = { 0 };

  while (first < end && g_ascii_isspace (*first))
    first++;
  if (first == end)
    return;

  if (load->appended != NULL)
    {
      g_autofree char *key = _kg_history_line_key (load->ids[reader->which], offset);

      if (g_hash_table_contains (load->appended, key))
        return;
    }

  exchange = _kg_history_parse_line (first, (gsize) (end - first));
  if (exchange == NULL)
    {
      load->skipped++;
      return;
    }

  started = kg_exchange_get_started (exchange);
  entry.id = g_string_chunk_insert (load->strings, kg_exchange_get_id (exchange));
  entry.method = intern (load, kg_exchange_get_method (exchange));
  entry.url = intern (load, kg_exchange_get_url (exchange));
  entry.profile_id = intern (load, kg_exchange_get_profile_id (exchange));
  entry.label = intern (load, kg_exchange_get_label (exchange));
  entry.step = intern (load, kg_exchange_get_step (exchange));
  entry.outcome = intern (load, kg_exchange_get_outcome (exchange));
  entry.started_us = started != NULL ? g_date_time_to_unix (started) * G_USEC_PER_SEC +
                                       g_date_time_get_microsecond (started)
                                     : G_MININT64;
  entry.total_us = kg_exchange_get_timing (exchange)->total_us;
  entry.status = (guint16) kg_exchange_get_status (exchange);
  entry.offset = offset;
  entry.length = (guint32) MIN (length, G_MAXUINT32);
  entry.file = load->ids[reader->which];
  g_array_append_val (reader->page, entry);

  if (reader->page->len >= reader->page_size)
    reader_flush (reader);
}

/* Reads file @which of @reader's load from its end to its start, line by
 * line, so the newest entries come first. Only a block and the line that
 * crosses it are in memory at a time. */
static gboolean
read_backwards (Reader  *reader,
                GError **error)
{
  Load *load = reader->load;
  int fd = load->fds[reader->which];
  gint64 pos = load->sizes[reader->which];
  g_autoptr(GByteArray) data = g_byte_array_new ();
  g_autofree guint8 *block = g_malloc (READ_BLOCK);

  if (fd < 0)
    return TRUE;

  while (pos > 0)
    {
      gsize n = (gsize) MIN (pos, READ_BLOCK);
      gsize got = 0;
      gsize end;

      if (g_atomic_int_get (&load->cancelled))
        return TRUE;

      pos -= n;
      while (got < n)
        {
          gssize r = pread (fd, block + got, n - got, pos + got);

          if (r < 0 && errno == EINTR)
            continue;
          if (r <= 0)
            {
              int saved_errno = r < 0 ? errno : EIO;

              g_set_error (error, KG_ERROR, KG_ERROR_STORE,
                           _("Could not read the history file: %s"), g_strerror (saved_errno));
              return FALSE;
            }
          got += r;
        }

      /* The block, then what is left of the line that started in it. */
      g_byte_array_prepend (data, block, n);
      end = data->len;
      for (gsize i = n; i > 0; i--)
        {
          if (data->data[i - 1] != '\n')
            continue;
          reader_line (reader, (const char *) data->data + i, end - i, pos + i);
          end = i - 1;
        }
      g_byte_array_set_size (data, end);
    }

  reader_line (reader, (const char *) data->data, data->len, 0);
  return TRUE;
}

/* Opens the files (on the caller's thread, so that what is appended from
 * now on is known to be beyond the sizes read here). */
Load *
_kg_history_load_new (KgHistory  *self,
          GError    **error)
{
  g_autofree char *path = NULL;
  g_autofree char *old = NULL;
  Load *load;

  if (!(path = _kg_history_dup_path (self, error)))
    return NULL;
  old = _kg_history_rotated_path (path);

  load = g_atomic_rc_box_new0 (Load);
  g_weak_ref_init (&load->history, self);
  load->fds[0] = load->fds[1] = -1;
  load->strings = g_string_chunk_new (64 * 1024);
  load->generation = self->generation;
  for (guint i = 0; i < 2; i++)
    {
      const char *name = i == 0 ? path : old;
      struct stat st;

      /* Non-blocking: a FIFO in the file's place must not hang the open. */
      load->fds[i] = g_open (name, O_RDONLY | O_CLOEXEC | O_NONBLOCK, 0);
      if (load->fds[i] < 0)
        {
          int saved_errno = errno;

          if (saved_errno == ENOENT)
            continue;
          g_set_error (error, KG_ERROR, KG_ERROR_STORE,
                       _("Could not read the history file %s: %s"), name,
                       g_strerror (saved_errno));
          _kg_history_load_unref (load);
          return NULL;
        }
      if (fstat (load->fds[i], &st) != 0 || !S_ISREG (st.st_mode))
        {
          g_set_error (error, KG_ERROR, KG_ERROR_STORE,
                       _("The history file %s is not a regular file."), name);
          _kg_history_load_unref (load);
          return NULL;
        }
      load->sizes[i] = st.st_size;
      load->ids[i].dev = st.st_dev;
      load->ids[i].ino = st.st_ino;
    }

  return load;
}

gboolean
_kg_history_load_read (Reader  *reader,
           GError **error)
{
  for (guint i = 0; i < 2; i++)
    {
      reader->which = i;
      if (!read_backwards (reader, error))
        return FALSE;
    }
  reader_flush (reader);
  return TRUE;
}
