/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Text from a server or a file, made safe to show.
 *
 * kg_text_escape_controls: every character that could drive a terminal or
 * reorder what is shown becomes a visible escape: C0 controls except
 * newline and tab (ESC → "\x1b", BEL → "\x07"), DEL ("\x7f"), C1 controls
 * ("\u009b"), the bidirectional controls U+061C, U+200E, U+200F,
 * U+202A–U+202E and U+2066–U+2069 ("\u202e"). Bytes that are not UTF-8
 * become "\xNN". Everything else, newlines and tabs included, is kept.
 * NULL gives NULL. */
char *kg_text_escape_controls (const char *text);

/* The same for a text of @length bytes that may hold NUL bytes ("\x00"). */
char *kg_text_escape_controls_len (const char *text,
                                   gsize       length);

/* For JSON text (as json-glib writes it): the controls json-glib leaves raw
 * (DEL, C1, bidi controls) become \uXXXX escapes, which JSON reads back as
 * the same characters; a terminal showing the JSON sees no control. */
char *kg_text_escape_json_controls (const char *json);

/* TRUE when kg_text_escape_controls would change @text. */
gboolean kg_text_has_controls (const char *text);

G_END_DECLS
