/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Collection variables and {{placeholders}}: every rule of the collection
 * format's substitution. */
#include "config.h"

#include <string.h>

#include "kg-template.h"
#include "kg-test-utils.h"

static JsonNode *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = kg_json_parse (text, -1, &error);

  g_assert_no_error (error);
  return node;
}

static KgVariables *
demo_variables (void)
{
  g_autoptr(JsonNode) vars = parse ("{\"prefix\": \"qa\", \"id\": 42, \"ratio\": 1.5, "
                                    "\"on\": true, \"none\": null, \"list\": [1, \"a\"], "
                                    "\"obj\": {\"k\": \"v\"}}");
  KgVariables *variables = kg_variables_new ();

  kg_variables_set_all (variables, KG_VARIABLES_COLLECTION, json_node_get_object (vars));
  return variables;
}

/* Expands @template and compares the compact JSON of the result. */
static void
assert_expands (KgVariables *vars,
                const char  *template,
                const char  *expected)
{
  g_autoptr(JsonNode) node = parse (template);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) expanded = kg_template_expand (node, vars, &error);
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  text = json_to_string (expanded, FALSE);
  g_assert_cmpstr (text, ==, expected);
}

static void
test_whole_string_keeps_type (void)
{
  g_autoptr(KgVariables) vars = demo_variables ();

  assert_expands (vars, "[\"{{id}}\"]", "[42]");
  assert_expands (vars, "[\"{{ratio}}\"]", "[1.5]");
  assert_expands (vars, "[\"{{on}}\"]", "[true]");
  assert_expands (vars, "[\"{{none}}\"]", "[null]");
  assert_expands (vars, "[\"{{list}}\"]", "[[1,\"a\"]]");
  assert_expands (vars, "[\"{{obj}}\"]", "[{\"k\":\"v\"}]");
  assert_expands (vars, "[\"{{prefix}}\"]", "[\"qa\"]");
  /* Spaces inside the braces do not matter. */
  assert_expands (vars, "{\"a\": \"{{ id }}\", \"b\": \"{{id }}\"}", "{\"a\":42,\"b\":42}");
}

static void
test_embedded_becomes_text (void)
{
  g_autoptr(KgVariables) vars = demo_variables ();

  assert_expands (vars, "[\"{{prefix}} rest\"]", "[\"qa rest\"]");
  assert_expands (vars, "[\"#{{id}}\"]", "[\"#42\"]");
  assert_expands (vars, "[\"{{on}}/{{none}}/{{ratio}}\"]", "[\"true/null/1.5\"]");
  assert_expands (vars, "[\"l={{list}} o={{obj}}\"]",
                  "[\"l=[1,\\\"a\\\"] o={\\\"k\\\":\\\"v\\\"}\"]");
  assert_expands (vars, "[\"{{prefix}}{{prefix}}\"]", "[\"qaqa\"]");
}

static void
test_values_only (void)
{
  g_autoptr(KgVariables) vars = demo_variables ();

  /* Member names stay as written; values deep in arrays and objects are
   * substituted; numbers, booleans and null pass unchanged. */
  assert_expands (vars, "{\"{{prefix}}\": [{\"x\": [\"{{id}}\", 7, false, null]}]}",
                  "{\"{{prefix}}\":[{\"x\":[42,7,false,null]}]}");
}

static void
test_unclosed_and_empty (void)
{
  g_autoptr(KgVariables) vars = demo_variables ();

  assert_expands (vars, "[\"{{prefix\"]", "[\"{{prefix\"]");
  assert_expands (vars, "[\"a {{ b\"]", "[\"a {{ b\"]");
  assert_expands (vars, "[\"{{}} and {{ }}\"]", "[\"{{}} and {{ }}\"]");
  assert_expands (vars, "[\"}}{{prefix}}{{\"]", "[\"}}qa{{\"]");
  assert_expands (vars, "[\"plain\"]", "[\"plain\"]");
}

static void
test_builtins (void)
{
  g_autoptr(JsonNode) node = parse ("[\"{{$uuid}}\", \"{{$timestamp}}\", \"{{$isodate}}\", "
                                    "\"t={{$timestamp}}\", \"{{ $uuid }}\"]");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) expanded = kg_template_expand (node, NULL, &error);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  JsonArray *array;
  const char *iso;
  g_autoptr(GDateTime) parsed = NULL;
  g_autofree char *ts_text = NULL;

  g_assert_no_error (error);
  array = json_node_get_array (expanded);
  g_assert_true (g_uuid_string_is_valid (json_array_get_string_element (array, 0)));
  g_assert_true (g_uuid_string_is_valid (json_array_get_string_element (array, 4)));
  /* A v4 UUID. */
  g_assert_cmpint (json_array_get_string_element (array, 0)[14], ==, '4');
  g_assert_cmpint (json_node_get_value_type (json_array_get_element (array, 1)), ==, G_TYPE_INT64);
  g_assert_cmpint (ABS (json_array_get_int_element (array, 1) - g_date_time_to_unix (now)), <=,
                   60);
  iso = json_array_get_string_element (array, 2);
  g_assert_true (g_regex_match_simple ("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$", iso, 0, 0));
  parsed = g_date_time_new_from_iso8601 (iso, NULL);
  g_assert_nonnull (parsed);
  g_assert_cmpint (ABS (g_date_time_to_unix (parsed) - g_date_time_to_unix (now)), <=, 60);
  ts_text = g_strdup_printf ("t=%" G_GINT64_FORMAT, json_array_get_int_element (array, 1));
  g_assert_cmpstr (json_array_get_string_element (array, 3), ==, ts_text);
}

static void
test_unknown_variable (void)
{
  g_autoptr(KgVariables) vars = demo_variables ();
  g_autoptr(JsonNode) node = parse ("{\"a\": \"ok {{prefix}}\", \"b\": [\"x {{ foo }} y\"]}");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) expanded = kg_template_expand (node, vars, &error);
  g_autoptr(GError) builtin_error = NULL;
  g_autofree char *text = NULL;

  g_assert_null (expanded);
  g_assert_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT);
  g_assert_cmpstr (error->message, ==, "Unknown variable “foo”");

  text = kg_template_expand_string ("{{$nope}}", vars, &builtin_error);
  g_assert_null (text);
  g_assert_cmpstr (builtin_error->message, ==, "Unknown variable “$nope”");
}

static void
test_layers (void)
{
  g_autoptr(KgVariables) vars = demo_variables ();
  g_autoptr(JsonNode) captured = parse ("7");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  g_autofree char *joined = NULL;

  g_assert_cmpint (json_node_get_int (kg_variables_lookup (vars, "id")), ==, 42);
  kg_variables_set (vars, KG_VARIABLES_CAPTURED, "id", captured);
  g_assert_cmpint (json_node_get_int (kg_variables_lookup (vars, "id")), ==, 7);

  /* An override wins and is a string, kept as typed ("=" in the value). */
  g_assert_true (kg_variables_parse_override (vars, "id=9=x", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (json_node_get_string (kg_variables_lookup (vars, "id")), ==, "9=x");
  assert_expands (vars, "[\"{{id}}\"]", "[\"9=x\"]");
  g_assert_true (kg_variables_parse_override (vars, "empty=", &error));
  assert_expands (vars, "[\"<{{empty}}>\"]", "[\"<>\"]");

  kg_variables_clear_layer (vars, KG_VARIABLES_OVERRIDE);
  g_assert_cmpint (json_node_get_int (kg_variables_lookup (vars, "id")), ==, 7);
  kg_variables_clear_layer (vars, KG_VARIABLES_CAPTURED);
  g_assert_cmpint (json_node_get_int (kg_variables_lookup (vars, "id")), ==, 42);
  kg_variables_set (vars, KG_VARIABLES_COLLECTION, "id", NULL);
  g_assert_null (kg_variables_lookup (vars, "id"));

  names = kg_variables_dup_names (vars);
  joined = g_strjoinv (",", names);
  g_assert_cmpstr (joined, ==, "list,none,obj,on,prefix,ratio");
}

static void
test_bad_overrides (void)
{
  g_autoptr(KgVariables) vars = kg_variables_new ();
  g_autoptr(GError) no_equals = NULL;
  g_autoptr(GError) empty = NULL;
  g_autoptr(GError) builtin = NULL;
  g_autoptr(GError) braces = NULL;

  g_assert_false (kg_variables_parse_override (vars, "prefix", &no_equals));
  g_assert_error (no_equals, KG_ERROR, KG_ERROR_INVALID_INPUT);
  g_assert_cmpstr (no_equals->message, ==, "“prefix” is not a variable: write NAME=VALUE.");
  g_assert_false (kg_variables_parse_override (vars, "=x", &empty));
  g_assert_error (empty, KG_ERROR, KG_ERROR_INVALID_INPUT);
  g_assert_false (kg_variables_parse_override (vars, "$uuid=x", &builtin));
  g_assert_nonnull (strstr (builtin->message, "“$uuid” is not a variable name"));
  g_assert_false (kg_variables_parse_override (vars, "{{a}}=x", &braces));
  g_assert_error (braces, KG_ERROR, KG_ERROR_INVALID_INPUT);
}

static void
count_changed_cb (KgVariables *vars,
                  guint       *count)
{
  (*count)++;
}

static void
test_changed_signal (void)
{
  g_autoptr(KgVariables) vars = kg_variables_new ();
  g_autoptr(JsonNode) value = parse ("1");
  guint count = 0;

  g_signal_connect (vars, "changed", G_CALLBACK (count_changed_cb), &count);
  kg_variables_set (vars, KG_VARIABLES_COLLECTION, "a", value);
  g_assert_cmpuint (count, ==, 1);
  kg_variables_clear_layer (vars, KG_VARIABLES_COLLECTION);
  g_assert_cmpuint (count, ==, 2);
  kg_variables_clear_layer (vars, KG_VARIABLES_COLLECTION);
  g_assert_cmpuint (count, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  kg_test_init (&argc, &argv);

  g_test_add_func ("/core/template/whole-string-keeps-type", test_whole_string_keeps_type);
  g_test_add_func ("/core/template/embedded-becomes-text", test_embedded_becomes_text);
  g_test_add_func ("/core/template/values-only", test_values_only);
  g_test_add_func ("/core/template/unclosed-and-empty", test_unclosed_and_empty);
  g_test_add_func ("/core/template/builtins", test_builtins);
  g_test_add_func ("/core/template/unknown-variable", test_unknown_variable);
  g_test_add_func ("/core/template/layers", test_layers);
  g_test_add_func ("/core/template/bad-overrides", test_bad_overrides);
  g_test_add_func ("/core/template/changed-signal", test_changed_signal);

  return g_test_run ();
}
