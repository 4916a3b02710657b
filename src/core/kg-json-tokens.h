/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  KG_JSON_TOKEN_KEY,      /* a string before ':' */
  KG_JSON_TOKEN_STRING,   /* any other string */
  KG_JSON_TOKEN_NUMBER,
  KG_JSON_TOKEN_KEYWORD,  /* true, false, null */
} KgJsonTokenKind;

#define KG_JSON_TOKEN_MAX_COLUMN 32767

/* Where a token is in the text, as GtkTextBuffer counts: a line, and
 * characters (not bytes) from the line's start. A string token includes
 * its quotes. Eight bytes, as a long body has millions: tokens that start
 * past KG_JSON_TOKEN_MAX_COLUMN characters into their line are left out,
 * and longer ones cut to that length. */
typedef struct
{
  guint32 line;
  guint32 start  : 15;
  guint32 length : 15;
  guint32 kind   : 2;
} KgJsonToken;

/* The tokens worth colouring in @text (JSON, valid or not: what does not
 * scan is skipped), in order, as a GArray of KgJsonToken. A string that
 * runs to a line's end ends there. Safe to call from any thread. */
GArray *kg_json_tokens_scan (const char *text,
                             gsize       length);

G_END_DECLS
