/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kg-json-tokens: what the response view colours, and where. */
#include "config.h"

#include <string.h>

#include "kg-json-format.h"
#include "kg-json-tokens.h"

/* The tokens of @text as "line:start+length kind" words, so a test reads
 * like the text it checks. */
static char *
describe (const char *text)
{
  g_autoptr(GArray) tokens = kg_json_tokens_scan (text, strlen (text));
  const char *kinds[] = { "key", "string", "number", "keyword" };
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < tokens->len; i++)
    {
      const KgJsonToken *t = &g_array_index (tokens, KgJsonToken, i);

      g_string_append_printf (out, "%s%u:%u+%u %s", i ? " " : "", t->line, t->start, t->length,
                              kinds[t->kind]);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
test_kinds (void)
{
  g_autofree char *got = describe ("{\"id\": 7, \"name\": \"Demo\", \"rate\": -1.5e3, "
                                   "\"active\": true, \"user_id\": null, \"x\": false}");

  g_assert_cmpstr (got, ==,
                   "0:1+4 key 0:7+1 number 0:10+6 key 0:18+6 string 0:26+6 key "
                   "0:34+6 number 0:42+8 key 0:52+4 keyword 0:58+9 key 0:69+4 keyword "
                   "0:75+3 key 0:80+5 keyword");
}

/* Lines and columns as a text buffer counts them: characters, not bytes,
 * after the pretty-printer's line breaks. */
static void
test_lines_and_characters (void)
{
  const char *body = "{\"name\":\"Café ☕\",\"tags\":[\"été\",1]}";
  gsize length;
  gboolean is_json;
  g_autofree char *text = kg_json_format_body (body, strlen (body), &length, &is_json);
  g_autofree char *got = NULL;

  g_assert_true (is_json);
  /* {
   *   "name": "Café ☕",
   *   "tags": [
   *     "été",
   *     1
   *   ]
   * } */
  got = describe (text);
  g_assert_cmpstr (got, ==,
                   "1:2+6 key 1:10+8 string 2:2+6 key 3:4+5 string 4:4+1 number");
}

/* Escaped quotes stay inside the string; a key is a key only when a colon
 * follows it; text that is not JSON is skipped without colouring parts of
 * words. */
static void
test_escapes_and_junk (void)
{
  g_autofree char *escaped = describe ("[\"say \\\"hi\\\"\", \"a\\\\\" : 1]");
  g_autofree char *junk = describe ("nullable truest <html> 12px");
  g_autofree char *open = describe ("\"runs to the end\n\"next\"");

  g_assert_cmpstr (escaped, ==, "0:1+12 string 0:15+5 key 0:23+1 number");
  g_assert_cmpstr (junk, ==, "0:23+2 number");
  g_assert_cmpstr (open, ==, "0:0+16 string 1:0+6 string");
}

/* Eight bytes a token; what lies past the column limit is left out. */
static void
test_long_line (void)
{
  g_autoptr(GString) text = g_string_new ("[");
  g_autoptr(GArray) tokens = NULL;
  const KgJsonToken *last;

  g_assert_cmpuint (sizeof (KgJsonToken), ==, 8);
  while (text->len < 40000)
    g_string_append (text, "\"abcdefgh\", ");
  g_string_append (text, "1]");
  tokens = kg_json_tokens_scan (text->str, text->len);
  last = &g_array_index (tokens, KgJsonToken, tokens->len - 1);
  g_assert_cmpuint (last->kind, ==, KG_JSON_TOKEN_STRING);
  g_assert_cmpuint (last->start, <=, KG_JSON_TOKEN_MAX_COLUMN);
  g_assert_cmpuint (last->start + last->length, >, KG_JSON_TOKEN_MAX_COLUMN - 12);
}

static void
test_empty (void)
{
  g_autoptr(GArray) none = kg_json_tokens_scan ("", 0);
  g_autoptr(GArray) spaces = kg_json_tokens_scan ("  \n\n {}", 7);

  g_assert_cmpuint (none->len, ==, 0);
  g_assert_cmpuint (spaces->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/json-tokens/kinds", test_kinds);
  g_test_add_func ("/json-tokens/lines-and-characters", test_lines_and_characters);
  g_test_add_func ("/json-tokens/escapes-and-junk", test_escapes_and_junk);
  g_test_add_func ("/json-tokens/long-line", test_long_line);
  g_test_add_func ("/json-tokens/empty", test_empty);
  return g_test_run ();
}
