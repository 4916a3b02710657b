/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What is wrong with a text that is not JSON, in words.
 *
 * json-glib words its errors for programmers and often points past the
 * mistake: a missing closing brace in {"a": 1 reads "<data>:1:7: Parse
 * error: unexpected number `1', expected string constant". Keygate says
 * "Line 1, column 8: a closing brace (}) is missing". Unclosed strings and
 * brackets are found by one pass over the text that only follows quotes
 * and brackets (no parsing: json-glib has said the text is not JSON); the
 * other mistakes come from json-glib's error code. */
#define G_LOG_DOMAIN "keygate-json"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "kg-json.h"

typedef struct
{
  char  opener;   /* '{', '[' or '"' */
  gsize offset;
} Open;

/* Line and column (1-based, in characters) of byte @offset. */
static void
position_of (const char *data,
             gsize       offset,
             int        *line,
             int        *column)
{
  *line = 1;
  *column = 1;
  for (gsize i = 0; i < offset; i++)
    {
      if (data[i] == '\n')
        {
          (*line)++;
          *column = 1;
        }
      else if (((guchar) data[i] & 0xC0) != 0x80)
        (*column)++;
    }
}

/* Follows quotes and brackets; TRUE with @problem and @offset set when one
 * is left open or closed wrongly. */
static gboolean
find_unbalanced (const char  *data,
                 gsize        length,
                 char       **problem,
                 gsize       *offset)
{
  g_autoptr(GArray) open = g_array_new (FALSE, FALSE, sizeof (Open));
  gboolean escaped = FALSE;

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];
      Open *top = open->len > 0 ? &g_array_index (open, Open, open->len - 1) : NULL;

      if (top != NULL && top->opener == '"')
        {
          if (escaped)
            escaped = FALSE;
          else if (c == '\\')
            escaped = TRUE;
          else if (c == '"')
            g_array_set_size (open, open->len - 1);
          continue;
        }

      if (c == '"' || c == '{' || c == '[')
        {
          Open item = { c, i };

          g_array_append_val (open, item);
        }
      else if (c == '}' || c == ']')
        {
          char expected = c == '}' ? '{' : '[';

          if (top == NULL)
            {
              /* Translators: %c is } or ] */
              *problem = g_strdup_printf (_("“%c” closes nothing that is open"), c);
              *offset = i;
              return TRUE;
            }
          if (top->opener != expected)
            {
              *problem = g_strdup (top->opener == '{'
                                   ? _("a closing brace (}) is expected here")
                                   : _("a closing bracket (]) is expected here"));
              *offset = i;
              return TRUE;
            }
          g_array_set_size (open, open->len - 1);
        }
    }

  if (open->len == 0)
    return FALSE;

  {
    Open *top = &g_array_index (open, Open, open->len - 1);

    switch (top->opener)
      {
      case '"':
        *problem = g_strdup (_("a text in quotes is not closed: its closing quote (\") is "
                               "missing"));
        *offset = top->offset;
        break;
      case '{':
        *problem = g_strdup (_("a closing brace (}) is missing"));
        *offset = length;
        break;
      default:
        *problem = g_strdup (_("a closing bracket (]) is missing"));
        *offset = length;
        break;
      }
  }
  return TRUE;
}

/* The word json-glib quotes in "unexpected identifier `tru'". */
static char *
quoted_word (const char *message)
{
  const char *start = strchr (message, '`');
  const char *end = start ? strchr (start + 1, '\'') : NULL;

  if (start == NULL || end == NULL || end == start + 1)
    return NULL;
  return g_strndup (start + 1, end - start - 1);
}

/* @column: json-glib's, which points after a word it did not take; moved
 * to the word's start. */
static char *
describe_code (const GError *json_error,
               int          *column)
{
  const char *message = json_error->message;
  g_autofree char *word = NULL;

  if (strstr (message, "unterminated string") != NULL)
    return g_strdup (_("a text in quotes is not closed: its closing quote (\") is "
                       "missing"));
  if (strstr (message, "expected end of file") != NULL)
    return g_strdup (_("more text follows the end of the JSON value"));
  if (strstr (message, "unexpected identifier") != NULL && (word = quoted_word (message)) != NULL)
    {
      if (*column > (int) g_utf8_strlen (word, -1))
        *column -= (int) g_utf8_strlen (word, -1) - 1;
      /* Translators: %s is the word that is not a value, e.g. "tru" */
      return g_strdup_printf (_("“%s” is not a JSON value: use true, false, null, a number, "
                                "or text in double quotes"), word);
    }

  switch (json_error->code)
    {
    case JSON_PARSER_ERROR_TRAILING_COMMA:
      return g_strdup (_("a comma has nothing after it: remove it or add a value"));
    case JSON_PARSER_ERROR_MISSING_COMMA:
      return g_strdup (_("a comma is missing between two values"));
    case JSON_PARSER_ERROR_MISSING_COLON:
      return g_strdup (_("a colon (:) is missing after a member name"));
    case JSON_PARSER_ERROR_EMPTY_MEMBER_NAME:
      return g_strdup (_("a member name is empty"));
    case JSON_PARSER_ERROR_INVALID_DATA:
      return g_strdup (_("the text holds a character that JSON does not allow"));
    default:
      if (strstr (message, "unexpected character") != NULL &&
          (word = quoted_word (message)) != NULL && (g_str_equal (word, "}") ||
                                                     g_str_equal (word, "]")))
        /* Translators: %s is } or ] */
        return g_strdup_printf (_("a value is missing before “%s”"), word);
      if (strstr (message, "expected value") != NULL)
        return g_strdup (_("a value is missing here"));
      if (strstr (message, "expected string constant") != NULL)
        return g_strdup (_("a member name in double quotes is expected here"));
      return g_strdup (_("this is not valid JSON"));
    }
}

GError *
kg_json_problem_new (const char   *data,
                     gsize         length,
                     const GError *json_error)
{
  g_autofree char *problem = NULL;
  gsize offset = 0;
  int line = 0;
  int column = 0;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (json_error != NULL, NULL);

  if (find_unbalanced (data, length, &problem, &offset))
    position_of (data, offset, &line, &column);
  else
    {
      /* json-glib: "<data>:LINE:COLUMN: …" */
      if (sscanf (json_error->message, "<data>:%d:%d:", &line, &column) != 2)
        line = column = 0;
      problem = describe_code (json_error, &column);
    }

  if (line <= 0 || column <= 0)
    return g_error_new_literal (json_error->domain, json_error->code, problem);
  /* Translators: a line and a column in a JSON text, then what is wrong
   * there, e.g. "Line 1, column 8: a closing brace (}) is missing" */
  return g_error_new (json_error->domain, json_error->code, _("Line %d, column %d: %s"),
                      line, column, problem);
}
