/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Pretty-prints a response body for display: JSON objects and arrays are
 * re-indented with two spaces per level, anything else is shown as valid
 * UTF-8. Pure text, no GTK: the response view runs it in a worker thread. */
#define G_LOG_DOMAIN "keygate-core"

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "kg-json.h"
#include "kg-json-format.h"

/* Up to this size json-glib checks the whole syntax before re-indenting;
 * above it (a full parse of megabytes takes seconds on a slow machine) the
 * re-indenter's own structure check decides. */
#define VALIDATE_LIMIT (1024 * 1024)

static void
append_indent (GString *out,
               int      depth)
{
  g_string_append_c (out, '\n');
  for (int i = 0; i < depth; i++)
    g_string_append (out, "  ");
}

/**
 * kg_json_format_reindent:
 * @text: JSON text, not necessarily nul-terminated
 * @length: length of @text in bytes
 * @out_length: (out): length of the result in bytes
 *
 * Re-indents JSON token by token, so numbers, escapes and member order stay
 * exactly as the server sent them (a json-glib parse + generate round trip
 * would rewrite 0.1 as 0.10000000000000001). Whitespace outside strings is
 * dropped and replaced by a newline and two spaces per level after every
 * opening bracket and comma, and ": " between a member name and its value;
 * empty containers stay `{}` and `[]`. Checks the structure on the way
 * (brackets matched, strings closed, no comma outside a container) but not
 * the tokens between.
 *
 * Returns: (transfer full) (nullable): the re-indented text, or %NULL when
 *   the structure is broken
 */
char *
kg_json_format_reindent (const char *text,
                         gsize       length,
                         gsize      *out_length)
{
  g_autoptr(GString) out = NULL;
  g_autoptr(GString) closers = NULL;
  gboolean in_string = FALSE;
  gboolean escape = FALSE;

  g_return_val_if_fail (text != NULL || length == 0, NULL);
  g_return_val_if_fail (out_length != NULL, NULL);

  out = g_string_sized_new (length + length / 4 + 16);
  closers = g_string_new (NULL);

  for (gsize i = 0; i < length; i++)
    {
      char c = text[i];

      if (in_string)
        {
          g_string_append_c (out, c);
          if (escape)
            escape = FALSE;
          else if (c == '\\')
            escape = TRUE;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      switch (c)
        {
        case '"':
          in_string = TRUE;
          g_string_append_c (out, c);
          break;
        case '{':
        case '[':
          {
            char close = c == '{' ? '}' : ']';
            gsize j = i + 1;

            while (j < length && g_ascii_isspace (text[j]))
              j++;
            g_string_append_c (out, c);
            if (j < length && text[j] == close)
              {
                g_string_append_c (out, close);
                i = j;
              }
            else
              {
                g_string_append_c (closers, close);
                append_indent (out, (int) closers->len);
              }
          }
          break;
        case '}':
        case ']':
          if (closers->len == 0 || closers->str[closers->len - 1] != c)
            return NULL;
          g_string_truncate (closers, closers->len - 1);
          append_indent (out, (int) closers->len);
          g_string_append_c (out, c);
          break;
        case ',':
          if (closers->len == 0)
            return NULL;
          g_string_append_c (out, c);
          append_indent (out, (int) closers->len);
          break;
        case ':':
          g_string_append (out, ": ");
          break;
        case ' ':
        case '\t':
        case '\n':
        case '\r':
          break;
        default:
          g_string_append_c (out, c);
        }
    }

  if (in_string || closers->len != 0)
    return NULL;
  *out_length = out->len;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * kg_json_format_body:
 * @body: a response body, not necessarily nul-terminated
 * @length: length of @body in bytes
 * @out_length: (out): length of the result in bytes
 * @is_json: (out): whether the result is re-indented JSON
 *
 * The text to show for @body. Only objects and arrays are worth
 * re-indenting: a body that starts (after whitespace) with `{` or `[` and
 * is valid JSON comes back from kg_json_format_reindent(). Up to 1 MiB
 * json-glib checks the whole syntax first; above that only the structure
 * check of the re-indenter applies. Anything else (HTML, a bare string,
 * broken JSON) comes back unchanged, with invalid UTF-8 replaced.
 *
 * Returns: (transfer full): the text to show
 */
char *
kg_json_format_body (const char *body,
                     gsize       length,
                     gsize      *out_length,
                     gboolean   *is_json)
{
  const char *first = body;
  char *text = NULL;

  g_return_val_if_fail (body != NULL || length == 0, NULL);
  g_return_val_if_fail (out_length != NULL, NULL);
  g_return_val_if_fail (is_json != NULL, NULL);

  *is_json = FALSE;
  while (first < body + length && g_ascii_isspace (*first))
    first++;

  /* Nesting that would overflow a recursive parser is shown as text. */
  if (first < body + length && (*first == '{' || *first == '[') &&
      kg_json_check_depth (body, (gssize) length, NULL))
    {
      if (length <= VALIDATE_LIMIT)
        {
          g_autoptr(JsonParser) parser = json_parser_new_immutable ();

          *is_json = json_parser_load_from_data (parser, body, (gssize) length, NULL);
        }
      else
        *is_json = TRUE;
      if (*is_json)
        {
          text = kg_json_format_reindent (body, length, out_length);
          *is_json = text != NULL;
        }
    }
  if (!*is_json)
    {
      text = g_utf8_make_valid (body, (gssize) length);
      *out_length = strlen (text);
    }

  return text;
}
