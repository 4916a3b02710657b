/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kg_text_escape_controls: what a hostile server may put in a message. */
#include "config.h"

#include "kg-test-utils.h"

static void
assert_escaped (const char *input,
                const char *expected)
{
  g_autofree char *out = kg_text_escape_controls (input);

  g_assert_cmpstr (out, ==, expected);
}

static void
test_text_terminal_sequences (void)
{
  /* Window title (OSC 0), clipboard write (OSC 52), screen clear, bell. */
  assert_escaped ("\x1b]0;pwned\x07" "Access denied", "\\x1b]0;pwned\\x07Access denied");
  assert_escaped ("\x1b]52;c;ZWNobyBwd25lZA==\x1b\\", "\\x1b]52;c;ZWNobyBwd25lZA==\\x1b\\");
  assert_escaped ("\x1b" "c\x1b[2J", "\\x1bc\\x1b[2J");
  assert_escaped ("DEL\x7f", "DEL\\x7f");
  assert_escaped ("\r\bover", "\\x0d\\x08over");
  /* C1 CSI (U+009B, two bytes in UTF-8) and NEL. */
  assert_escaped ("a\xc2\x9b" "2Jb\xc2\x85", "a\\u009b2Jb\\u0085");
}

static void
test_text_kept (void)
{
  /* Newlines and tabs are text; so is every printable script. */
  assert_escaped ("line one\n\tline two", "line one\n\tline two");
  assert_escaped ("Accès refusé — “projet” 日本 مشروع", "Accès refusé — “projet” 日本 مشروع");
  assert_escaped ("", "");
  g_assert_null (kg_text_escape_controls (NULL));
  g_assert_false (kg_text_has_controls ("plain text\n"));
  g_assert_true (kg_text_has_controls ("bell\a"));
}

static void
test_text_bidi (void)
{
  /* RIGHT-TO-LEFT OVERRIDE would show "moc.elpmaxe" for a host. */
  assert_escaped ("https://\xe2\x80\xaemoc.elpmaxe.odoo", "https://\\u202emoc.elpmaxe.odoo");
  assert_escaped ("db\xe2\x81\xa6x\xe2\x81\xa9", "db\\u2066x\\u2069");
  assert_escaped ("\xe2\x80\x8f\xd8\x9c", "\\u200f\\u061c");
}

/* JSON as json-glib writes it keeps DEL, C1 and bidi controls raw; they
 * become \u escapes that read back as the same text. */
static void
test_text_json (void)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);
  g_autoptr(JsonNode) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *safe = NULL;
  const char *text = "a\x1b[2J\x7f b\xc2\x9b c\xe2\x80\xae d\n";

  json_node_set_string (node, text);
  json = json_to_string (node, FALSE);
  safe = kg_text_escape_json_controls (json);
  g_assert_cmpstr (safe, ==, "\"a\\u001b[2J\\u007f b\\u009b c\\u202e d\\n\"");
  back = json_from_string (safe, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_node_get_string (back), ==, text);
}

static void
test_text_not_utf8 (void)
{
  static const char binary[] = { 'P', 'K', 0x03, 0x04, (char) 0xff, 0x00, 'z' };
  g_autofree char *out = kg_text_escape_controls_len (binary, sizeof binary);

  g_assert_cmpstr (out, ==, "PK\\x03\\x04\\xff\\x00z");
  assert_escaped ("caf\xe9", "caf\\xe9");
}

int
main (int   argc,
      char *argv[])
{
  kg_test_init (&argc, &argv);

  g_test_add_func ("/core/text/terminal-sequences", test_text_terminal_sequences);
  g_test_add_func ("/core/text/kept", test_text_kept);
  g_test_add_func ("/core/text/bidi", test_text_bidi);
  g_test_add_func ("/core/text/json", test_text_json);
  g_test_add_func ("/core/text/not-utf8", test_text_not_utf8);

  return g_test_run ();
}
