/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Lines longer than this many characters are broken up in the buffer. */
#define KG_BODY_LOADER_LONG_LINE 128
/* JSON bodies up to this size once formatted (with no line broken up)
 * are coloured; their tokens take about a third of the text's size. */
#define KG_BODY_LOADER_HIGHLIGHT_LIMIT (64 * 1024 * 1024)

#define KG_TYPE_BODY_LOADER (kg_body_loader_get_type ())
G_DECLARE_FINAL_TYPE (KgBodyLoader, kg_body_loader, KG, BODY_LOADER, GObject)

/* Fills a text buffer with a response body of any size while the window
 * keeps drawing: the body is pretty-printed (kg-json-format) and its long
 * lines broken up in a worker thread, then inserted in slices from a
 * timeout source. Signals: "formatted" once the text is ready, before the
 * first slice goes in; "progress" after each batch of slices. */
KgBodyLoader *kg_body_loader_new          (GtkTextBuffer *buffer);
/* While @widget (nullable) is mapped, the slices wait for a frame of its
 * window to be painted between batches, so the text and the progress are
 * drawn as they go in. Without it, or unmapped, they follow each other. */
void          kg_body_loader_set_pace_widget (KgBodyLoader *self,
                                              GtkWidget    *widget);
/* Empties the buffer and loads @body (nullable); cancels a load under way.
 * @body belongs to @owner, which is kept until the worker has read it; it
 * must not change meanwhile. */
void          kg_body_loader_load         (KgBodyLoader  *self,
                                           GObject       *owner,
                                           const char    *body);
/* Cancels a load under way; what is in the buffer stays. */
void          kg_body_loader_cancel       (KgBodyLoader  *self);
/* Cancels a load under way and empties the buffer. */
void          kg_body_loader_clear        (KgBodyLoader  *self);
/* TRUE from kg_body_loader_load() until the whole body is in (property). */
gboolean      kg_body_loader_get_loading  (KgBodyLoader  *self);
/* Once formatted: the body as formatted, before long lines were broken up
 * (for Copy); NULL before. */
const char   *kg_body_loader_get_text     (KgBodyLoader  *self);
/* Line breaks added to lines over KG_BODY_LOADER_LONG_LINE characters. */
guint         kg_body_loader_get_n_breaks (KgBodyLoader  *self);
/* Lines of the text shown, known once ::formatted is emitted. */
guint         kg_body_loader_get_n_lines  (KgBodyLoader  *self);
/* Bytes of the buffer text inserted so far, of @length in all. */
gsize         kg_body_loader_get_progress (KgBodyLoader  *self,
                                           gsize         *length);
/* In a ::formatted handler: the tokens to colour (kg_json_tokens_scan),
 * found in the worker for JSON bodies up to KG_BODY_LOADER_HIGHLIGHT_LIMIT
 * whose lines were not broken up; NULL for others (transfer full). */
GArray       *kg_body_loader_steal_tokens (KgBodyLoader  *self);

G_END_DECLS
