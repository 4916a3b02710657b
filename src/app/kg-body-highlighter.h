/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtksourceview/gtksource.h>

G_BEGIN_DECLS

#define KG_TYPE_BODY_HIGHLIGHTER (kg_body_highlighter_get_type ())
G_DECLARE_FINAL_TYPE (KgBodyHighlighter, kg_body_highlighter, KG, BODY_HIGHLIGHTER, GObject)

/* Colours a JSON body in @view from tokens found off the main thread
 * (kg_json_tokens_scan): only the lines shown and a screenful on either
 * side, as they come into view, a few milliseconds at a time. GtkSourceView's
 * own highlighting analyses the whole buffer in 30 ms steps (a 1 MiB body
 * stalled the window 16 times for 45 ms) and compiles its language
 * (200 ms) the first time. */
KgBodyHighlighter *kg_body_highlighter_new           (GtkTextView          *view);
/* The tokens of the text the buffer is being filled with (transfer full,
 * a GArray of KgJsonToken; NULL: colour nothing). Tags already applied
 * stay: call it when the buffer is emptied. */
void               kg_body_highlighter_set_tokens    (KgBodyHighlighter    *self,
                                                      GArray               *tokens);
/* Colours from @scheme's styles for JSON (nullable: no colours). */
void               kg_body_highlighter_set_scheme    (KgBodyHighlighter    *self,
                                                      GtkSourceStyleScheme *scheme);

G_END_DECLS
