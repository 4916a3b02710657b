/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Server-controlled text (error messages, names, reason phrases, bodies)
 * reaches terminals and labels. Without this, an answer holding ESC ] 52 …
 * writes the user's clipboard, ESC c clears the screen, and U+202E turns
 * "odoo.example.com" around. */
#define G_LOG_DOMAIN "keygate-text"

#include "config.h"

#include <string.h>

#include "kg-text.h"

static gboolean
is_shown_escaped (gunichar c)
{
  if (c < 0x20)
    return c != '\n' && c != '\t';
  if (c >= 0x7f && c <= 0x9f)
    return TRUE;
  switch (c)
    {
    case 0x061c:                       /* ARABIC LETTER MARK */
    case 0x200e: case 0x200f:          /* LRM, RLM */
    case 0x202a: case 0x202b: case 0x202c: case 0x202d: case 0x202e:
    case 0x2066: case 0x2067: case 0x2068: case 0x2069:
      return TRUE;
    default:
      return FALSE;
    }
}

char *
kg_text_escape_controls_len (const char *text,
                             gsize       length)
{
  GString *out;
  const char *p = text;
  const char *end;

  if (text == NULL)
    return NULL;

  out = g_string_sized_new (length + 8);
  end = text + length;
  while (p < end)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);

      if (c == (gunichar) -1 || c == (gunichar) -2 || (c == 0 && *p != '\0'))
        {
          g_string_append_printf (out, "\\x%02x", (guint) (guchar) *p);
          p++;
          continue;
        }
      if (c == 0)
        {
          g_string_append (out, "\\x00");
          p++;
          continue;
        }
      if (is_shown_escaped (c))
        {
          if (c < 0x80)
            g_string_append_printf (out, "\\x%02x", c);
          else
            g_string_append_printf (out, "\\u%04x", c);
        }
      else
        {
          g_string_append_len (out, p, g_utf8_next_char (p) - p);
        }
      p = g_utf8_next_char (p);
    }
  return g_string_free (out, FALSE);
}

char *
kg_text_escape_controls (const char *text)
{
  if (text == NULL)
    return NULL;
  return kg_text_escape_controls_len (text, strlen (text));
}

char *
kg_text_escape_json_controls (const char *json)
{
  GString *out;

  if (json == NULL)
    return NULL;

  out = g_string_sized_new (strlen (json) + 8);
  for (const char *p = json; *p != '\0';)
    {
      gunichar c = g_utf8_get_char_validated (p, -1);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          /* json-glib writes UTF-8; a stray byte is left to the reader. */
          g_string_append_c (out, *p);
          p++;
          continue;
        }
      if (c >= 0x20 && is_shown_escaped (c))
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
      p = g_utf8_next_char (p);
    }
  return g_string_free (out, FALSE);
}

gboolean
kg_text_has_controls (const char *text)
{
  g_autofree char *escaped = NULL;

  if (text == NULL)
    return FALSE;
  escaped = kg_text_escape_controls (text);
  return g_strcmp0 (escaped, text) != 0;
}
