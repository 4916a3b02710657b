/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "kg-exchange.h"

G_BEGIN_DECLS

#define KG_TYPE_HISTORY (kg_history_get_type ())
G_DECLARE_FINAL_TYPE (KgHistory, kg_history, KG, HISTORY, GObject)

#define KG_HISTORY_DEFAULT_MAX_BYTES (5 * 1024 * 1024)

/* Append-only request log: one redacted JSON object per line in
 * $XDG_STATE_HOME/keygate/history.jsonl, rotated to history.jsonl.1 when it
 * grows past max-bytes. A GListModel of KgExchange, newest first (the
 * history itself implements it).
 *
 * The entries read from the files are kept as compact records of what a
 * list shows: the items are summary exchanges (kg_exchange_new_summary)
 * built when asked for; kg_history_dup_full_async reads a whole entry again
 * from its line. Entries appended in this session are whole. Nothing is
 * read until a load is asked for. */
KgHistory  *kg_history_new             (GFile       *file);   /* NULL: default path */
GFile      *kg_history_get_file        (KgHistory   *self);
void        kg_history_set_max_bytes   (KgHistory   *self,
                                        gsize        max_bytes);
gboolean    kg_history_append          (KgHistory   *self,
                                        KgExchange  *exchange,
                                        GError     **error);
/* Reads the existing file into the model (replacing what it held); lines
 * that are not entries (malformed, cut, NUL bytes) are skipped and counted,
 * the rest is read. */
gboolean    kg_history_load            (KgHistory   *self,
                                        GError     **error);
/* The same in a worker thread, newest first, in pages added to the model
 * as they are read (the first one soon); what was appended meanwhile stays
 * on top, once. Only the first call reads; later ones (and calls while it
 * runs) complete when it has. */
void        kg_history_load_async      (KgHistory            *self,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
gboolean    kg_history_load_finish     (KgHistory            *self,
                                        GAsyncResult         *result,
                                        GError              **error);
gboolean    kg_history_is_loaded       (KgHistory   *self);
/* The whole entry (headers, bodies, timing phases) behind an item of the
 * model, read from its line in a worker thread; an entry that is whole
 * already comes back as it is. Fails (KG_ERROR_STORE) when the line is
 * gone (cleared, rotated away). */
void        kg_history_dup_full_async  (KgHistory            *self,
                                        KgExchange           *entry,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
/* Whether @entry is a summary item (its whole entry is on disk only). */
gboolean    kg_history_is_summary      (KgExchange           *entry);
KgExchange *kg_history_dup_full_finish (KgHistory            *self,
                                        GAsyncResult         *result,
                                        GError              **error);
guint       kg_history_get_skipped_lines (KgHistory *self);
GListModel *kg_history_get_model       (KgHistory   *self);
gboolean    kg_history_clear           (KgHistory   *self,
                                        GError     **error);

G_END_DECLS
