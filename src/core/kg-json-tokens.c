/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Finds the keys, strings, numbers and keywords of a JSON text, line by
 * line, for a viewer that colours only the lines it shows. One pass, no
 * allocation but the result: a 1 MiB body scans in a few milliseconds. */
#include "config.h"

#include <string.h>

#include "kg-json-tokens.h"

typedef struct
{
  const char *p;
  const char *end;
  guint32     line;
  guint32     column;  /* in characters */
} Scanner;

static inline void
advance (Scanner *s)
{
  /* UTF-8 continuation bytes do not start a character. */
  s->p++;
  while (s->p < s->end && (*s->p & 0xC0) == 0x80)
    s->p++;
  s->column++;
}

static void
push (GArray          *tokens,
      guint32          line,
      guint32          start,
      guint32          end,
      KgJsonTokenKind  kind)
{
  KgJsonToken token;

  if (start > KG_JSON_TOKEN_MAX_COLUMN)
    return;
  token.line = line;
  token.start = start;
  token.length = MIN (end - start, KG_JSON_TOKEN_MAX_COLUMN);
  token.kind = kind;
  g_array_append_val (tokens, token);
}

/* After a string: is the next thing on the line a ':'? */
static gboolean
colon_follows (const Scanner *s)
{
  for (const char *q = s->p; q < s->end && *q != '\n'; q++)
    {
      if (*q == ':')
        return TRUE;
      if (*q != ' ' && *q != '\t' && *q != '\r')
        return FALSE;
    }
  return FALSE;
}

static gboolean
is_word_char (char c)
{
  return g_ascii_isalnum (c) || c == '_';
}

static gboolean
keyword_at (const Scanner *s,
            const char    *word,
            gsize          len)
{
  return (gsize) (s->end - s->p) >= len && memcmp (s->p, word, len) == 0 &&
         (s->p + len == s->end || !is_word_char (s->p[len]));
}

GArray *
kg_json_tokens_scan (const char *text,
                     gsize       length)
{
  GArray *tokens = g_array_new (FALSE, FALSE, sizeof (KgJsonToken));
  Scanner s = { text, text + length, 0, 0 };

  g_return_val_if_fail (text != NULL || length == 0, tokens);

  while (s.p < s.end)
    {
      char c = *s.p;
      guint32 start = s.column;

      if (c == '\n')
        {
          s.p++;
          s.line++;
          s.column = 0;
        }
      else if (c == '"')
        {
          advance (&s);
          while (s.p < s.end && *s.p != '"' && *s.p != '\n')
            {
              if (*s.p == '\\' && s.p + 1 < s.end && s.p[1] != '\n')
                advance (&s);
              advance (&s);
            }
          if (s.p < s.end && *s.p == '"')
            advance (&s);
          push (tokens, s.line, start, s.column,
                colon_follows (&s) ? KG_JSON_TOKEN_KEY : KG_JSON_TOKEN_STRING);
        }
      else if (c == '-' || g_ascii_isdigit (c))
        {
          while (s.p < s.end && (g_ascii_isdigit (*s.p) || *s.p == '-' || *s.p == '+' ||
                                 *s.p == '.' || *s.p == 'e' || *s.p == 'E'))
            advance (&s);
          push (tokens, s.line, start, s.column, KG_JSON_TOKEN_NUMBER);
        }
      else if (keyword_at (&s, "true", 4) || keyword_at (&s, "null", 4) ||
               keyword_at (&s, "false", 5))
        {
          gsize len = c == 'f' ? 5 : 4;

          s.p += len;
          s.column += len;
          push (tokens, s.line, start, s.column, KG_JSON_TOKEN_KEYWORD);
        }
      else if (is_word_char (c))
        {
          /* A word that is not a keyword (invalid JSON): skip it whole,
           * so "nullable" is not coloured as null + able. */
          while (s.p < s.end && is_word_char (*s.p))
            advance (&s);
        }
      else
        advance (&s);
    }

  return tokens;
}
