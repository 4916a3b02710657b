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
 * grows past max-bytes. A GListModel of KgExchange, newest first. */
KgHistory  *kg_history_new             (GFile       *file);   /* NULL: default path */
GFile      *kg_history_get_file        (KgHistory   *self);
void        kg_history_set_max_bytes   (KgHistory   *self,
                                        gsize        max_bytes);
gboolean    kg_history_append          (KgHistory   *self,
                                        KgExchange  *exchange,
                                        GError     **error);
/* Reads the existing file into the model; lines that are not entries
 * (malformed, cut, NUL bytes) are skipped and counted, the rest is read. */
gboolean    kg_history_load            (KgHistory   *self,
                                        GError     **error);
guint       kg_history_get_skipped_lines (KgHistory *self);
GListModel *kg_history_get_model       (KgHistory   *self);
gboolean    kg_history_clear           (KgHistory   *self,
                                        GError     **error);

G_END_DECLS
