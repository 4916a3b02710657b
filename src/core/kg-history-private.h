/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Shared by the history's files: kg-history.c (the list model, appending,
 * loading in pages, whole entries, clearing) and kg-history-reader.c
 * (reading the JSON-lines files backwards into compact entries). Not
 * installed, not for the app. */

#include <sys/types.h>

#include "kg-history.h"

G_BEGIN_DECLS

/* The list holds, per entry read from the file, only what the list shows,
 * in a compact record whose strings live in the string chunk of the load
 * that read it (method, URL, connection, label and outcome are interned:
 * they repeat). The items handed out by the GListModel interface are
 * summary KgExchanges built on demand and not kept; the whole entry is
 * read again from its line (file identity + offset) when it is opened.
 * Entries appended in this session keep their exchange. */

#define READ_BLOCK (256 * 1024)
#define FIRST_PAGE 200
#define PAGE 2000

typedef struct
{
  dev_t dev;
  ino_t ino;
} FileId;

typedef struct
{
  KgExchange *full;        /* appended in this session, else NULL */
  const char *id;
  const char *method;
  const char *url;
  const char *profile_id;
  const char *label;
  const char *step;        /* e.g. KG_EXCHANGE_STEP_PROBE */
  const char *outcome;
  gint64      started_us;
  gint64      total_us;
  gint64      offset;      /* of the line in its file */
  guint32     length;
  guint16     status;
  FileId      file;
} Entry;

/* Where a summary item's line is: attached to the items handed out. */
typedef struct
{
  FileId  file;
  gint64  offset;
  guint32 length;
} LineRef;

/* One reading of the files. Shared (atomic reference count) by the worker,
 * the pages in flight and the history, which keeps the ones whose strings
 * its entries point into. */
typedef struct
{
  GWeakRef      history;
  GStringChunk *strings;
  int           fds[2];      /* current file, rotated file; -1 when missing */
  gint64        sizes[2];    /* read up to there: later lines are appended ones */
  FileId        ids[2];
  GHashTable   *appended;    /* "dev:ino:offset" of lines this session appended */
  guint         generation;
  guint         skipped;
  gboolean      cancelled;
} Load;

struct _KgHistory
{
  GObject     parent_instance;

  GFile      *file;
  gsize       max_bytes;
  guint       skipped_lines;   /* by the last load: damaged or not entries */

  GArray     *recent;          /* Entry, appended this session, oldest first */
  GArray     *loaded;          /* Entry, read from the files, newest first */
  GPtrArray  *loads;           /* Load whose strings the entries use */

  guint       generation;      /* bumped by load and clear: late pages are dropped */
  gboolean    is_loaded;
  GTask      *loading;         /* the load in flight */
  GPtrArray  *waiting;         /* GTask: more callers of the same load */
};

typedef struct
{
  Load     *load;
  guint     which;       /* 0: current file, 1: rotated */
  GArray   *page;        /* Entry */
  guint     page_size;
  void    (*deliver) (gpointer user_data,
                      GArray  *page);
  gpointer  user_data;
} Reader;

/* kg-history.c */
void        _kg_history_load_unref   (Load        *load);
/* "dev:ino:offset": a line's key in Load.appended. */
char       *_kg_history_line_key     (FileId       id,
                                      gint64       offset);
char       *_kg_history_rotated_path (const char  *path);
char       *_kg_history_dup_path     (KgHistory   *self,
                                      GError     **error);

/* kg-history-reader.c */
/* One line of the file as an exchange; NULL for a damaged line. */
KgExchange *_kg_history_parse_line   (const char  *line,
                                      gsize        length);
/* Opens the current and the rotated file for one reading. */
Load       *_kg_history_load_new     (KgHistory   *self,
                                      GError     **error);
/* Reads @reader's file backwards, handing over pages of entries. */
gboolean    _kg_history_load_read    (Reader      *reader,
                                      GError     **error);

G_END_DECLS
