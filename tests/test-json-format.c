/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kg-json-format: the text the response view shows for a body. */
#include "config.h"

#include <string.h>

#include "kg-json-format.h"

/* Formats @body and checks the text and whether it counts as JSON. */
static void
assert_body (const char *body,
             const char *expected,
             gboolean    expected_json)
{
  g_autofree char *text = NULL;
  gsize length = 0;
  gboolean is_json = !expected_json;

  text = kg_json_format_body (body, strlen (body), &length, &is_json);
  g_assert_cmpstr (text, ==, expected);
  g_assert_cmpuint (length, ==, strlen (expected));
  g_assert_cmpint (is_json, ==, expected_json);
}

static void
test_nested (void)
{
  assert_body ("{\"a\":{\"b\":[1,2,{\"c\":null}]},\"d\":true}",
               "{\n"
               "  \"a\": {\n"
               "    \"b\": [\n"
               "      1,\n"
               "      2,\n"
               "      {\n"
               "        \"c\": null\n"
               "      }\n"
               "    ]\n"
               "  },\n"
               "  \"d\": true\n"
               "}", TRUE);
  assert_body ("[[1],[2,3]]", "[\n  [\n    1\n  ],\n  [\n    2,\n    3\n  ]\n]", TRUE);
}

static void
test_strings (void)
{
  /* Braces, brackets, commas, colons and spaces inside strings stay as they
   * are; escaped quotes and backslashes do not end the string. */
  assert_body ("{\"k\":\"a {b} [c], d: e\",\"q\":\"say \\\"hi\\\"\",\"s\":\"back\\\\\"}",
               "{\n"
               "  \"k\": \"a {b} [c], d: e\",\n"
               "  \"q\": \"say \\\"hi\\\"\",\n"
               "  \"s\": \"back\\\\\"\n"
               "}", TRUE);
  /* Escapes are kept as sent, not decoded. */
  assert_body ("[\"\\u00e9\\n\\t\"]", "[\n  \"\\u00e9\\n\\t\"\n]", TRUE);
}

static void
test_numbers_kept (void)
{
  /* No parse + generate round trip: 0.1 stays 0.1, 1e400 stays. */
  assert_body ("{\"x\":0.1,\"y\":-1.5E+3,\"z\":1e400}",
               "{\n  \"x\": 0.1,\n  \"y\": -1.5E+3,\n  \"z\": 1e400\n}", TRUE);
}

static void
test_unicode (void)
{
  assert_body ("{\"name\":\"Zoë – 東京 🚀\"}", "{\n  \"name\": \"Zoë – 東京 🚀\"\n}", TRUE);
}

static void
test_empty_containers (void)
{
  assert_body ("{}", "{}", TRUE);
  assert_body ("[]", "[]", TRUE);
  assert_body ("{ }", "{}", TRUE);
  assert_body ("{\"a\":[ ],\"b\":{\n}}", "{\n  \"a\": [],\n  \"b\": {}\n}", TRUE);
}

static void
test_already_pretty (void)
{
  const char *pretty = "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": \"c\"\n}";

  assert_body (pretty, pretty, TRUE);
  /* Other indentation is redone with two spaces, leading blanks dropped. */
  assert_body ("  \n{\r\n\t\"a\" :\t1 ,\r\n\t\"b\" : [ 2 ]\r\n}\n",
               "{\n  \"a\": 1,\n  \"b\": [\n    2\n  ]\n}", TRUE);
}

static void
test_not_json (void)
{
  /* Invalid JSON, scalars and other text are shown unchanged. */
  assert_body ("{\"a\":1,}", "{\"a\":1,}", FALSE);
  assert_body ("{\"a\":", "{\"a\":", FALSE);
  assert_body ("[1,2", "[1,2", FALSE);
  assert_body ("{\"a\":1]", "{\"a\":1]", FALSE);
  assert_body ("\"just a string\"", "\"just a string\"", FALSE);
  assert_body ("42", "42", FALSE);
  assert_body ("<html><body>502</body></html>", "<html><body>502</body></html>", FALSE);
  assert_body ("", "", FALSE);
  assert_body ("   ", "   ", FALSE);
}

static void
test_invalid_utf8 (void)
{
  g_autofree char *text = NULL;
  gsize length = 0;
  gboolean is_json = TRUE;

  /* A lone 0xff byte becomes U+FFFD. */
  text = kg_json_format_body ("ab\xff" "c", 4, &length, &is_json);
  g_assert_cmpstr (text, ==, "ab\xef\xbf\xbd" "c");
  g_assert_cmpuint (length, ==, 6);
  g_assert_false (is_json);
}

static void
test_not_nul_terminated (void)
{
  g_autofree char *text = NULL;
  gsize length = 0;
  gboolean is_json = FALSE;

  /* Only @length bytes are read. */
  text = kg_json_format_body ("[1]garbage", 3, &length, &is_json);
  g_assert_cmpstr (text, ==, "[\n  1\n]");
  g_assert_cmpuint (length, ==, 7);
  g_assert_true (is_json);
}

static void
test_reindent_structure (void)
{
  g_autofree char *text = NULL;
  gsize length = 0;

  /* The re-indenter checks brackets and strings only, not the tokens. */
  text = kg_json_format_reindent ("{a:b,c}", 7, &length);
  g_assert_cmpstr (text, ==, "{\n  a: b,\n  c\n}");
  g_assert_cmpuint (length, ==, strlen (text));

  g_assert_null (kg_json_format_reindent ("{]", 2, &length));
  g_assert_null (kg_json_format_reindent ("]", 1, &length));
  g_assert_null (kg_json_format_reindent ("1,2", 3, &length));
  g_assert_null (kg_json_format_reindent ("[\"open]", 7, &length));
  g_assert_null (kg_json_format_reindent ("[[1]", 4, &length));
}

static void
test_large_one_line (void)
{
  g_autoptr(GString) body = g_string_new ("[");
  g_autoptr(GString) expected = g_string_new ("[");
  g_autofree char *text = NULL;
  gsize length = 0;
  gboolean is_json = FALSE;
  const guint n = 60000;   /* about 2 MiB: above the json-glib check */

  for (guint i = 0; i < n; i++)
    {
      g_string_append_printf (body, "%s{\"id\":%u,\"name\":\"row %u\"}", i ? "," : "", i, i);
      g_string_append_printf (expected, "%s\n  {\n    \"id\": %u,\n    \"name\": \"row %u\"\n  }",
                              i ? "," : "", i, i);
    }
  g_string_append (body, "]");
  g_string_append (expected, "\n]");
  g_assert_cmpuint (body->len, >, 1024 * 1024);

  text = kg_json_format_body (body->str, body->len, &length, &is_json);
  g_assert_true (is_json);
  g_assert_cmpuint (length, ==, expected->len);
  g_assert_true (memcmp (text, expected->str, length) == 0);

  /* Above 1 MiB only the structure is checked: an unclosed array is text. */
  g_clear_pointer (&text, g_free);
  text = kg_json_format_body (body->str, body->len - 1, &length, &is_json);
  g_assert_false (is_json);
  g_assert_cmpuint (length, ==, body->len - 1);
  g_assert_true (memcmp (text, body->str, length) == 0);
}

/* 200,000 nested arrays (a hostile server's answer) come back as the text
 * they are, without any parser recursing into them. */
static void
test_too_deep (void)
{
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *text = NULL;
  gsize length = 0;
  gboolean is_json = TRUE;

  for (guint i = 0; i < 200000; i++)
    g_string_append_c (body, '[');
  for (guint i = 0; i < 200000; i++)
    g_string_append_c (body, ']');
  text = kg_json_format_body (body->str, body->len, &length, &is_json);
  g_assert_false (is_json);
  g_assert_cmpuint (length, ==, body->len);
  g_assert_cmpstr (text, ==, body->str);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/json-format/nested", test_nested);
  g_test_add_func ("/core/json-format/strings", test_strings);
  g_test_add_func ("/core/json-format/numbers-kept", test_numbers_kept);
  g_test_add_func ("/core/json-format/unicode", test_unicode);
  g_test_add_func ("/core/json-format/empty-containers", test_empty_containers);
  g_test_add_func ("/core/json-format/already-pretty", test_already_pretty);
  g_test_add_func ("/core/json-format/not-json", test_not_json);
  g_test_add_func ("/core/json-format/too-deep", test_too_deep);
  g_test_add_func ("/core/json-format/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/core/json-format/not-nul-terminated", test_not_nul_terminated);
  g_test_add_func ("/core/json-format/reindent-structure", test_reindent_structure);
  g_test_add_func ("/core/json-format/large-one-line", test_large_one_line);

  return g_test_run ();
}
