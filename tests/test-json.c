/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "kg-test-utils.h"

static JsonNode *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

#define RESPONSE \
  "{\"access_token\":\"t0\",\"data\":{\"token\":\"t1\"," \
  "\"items\":[{\"id\":7},{\"id\":8,\"tags\":[\"a\",\"b\"]}]}," \
  "\"result\":[[1,2],[3]],\"nothing\":null,\"n\":5,\"odd.name\":\"dot\"," \
  "\"x\":{\"it's\":1}}"

/* Finds @path without an error. */
static JsonNode *
lookup (JsonNode   *root,
        const char *path)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = kg_json_path_lookup (root, path, &error);

  g_assert_no_error (error);
  return node;
}

static void
test_path_hits (void)
{
  g_autoptr(JsonNode) root = parse (RESPONSE);
  JsonNode *node;

  /* The dotted paths of the token and create settings. */
  g_assert_cmpstr (json_node_get_string (lookup (root, "access_token")), ==, "t0");
  g_assert_cmpstr (json_node_get_string (lookup (root, "data.token")), ==, "t1");
  g_assert_cmpint (json_node_get_int (lookup (root, "data.items.1.id")), ==, 8);
  g_assert_cmpstr (json_node_get_string (lookup (root, "data.items.1.tags.0")), ==, "a");
  g_assert_cmpint (json_node_get_int (lookup (root, "result.0.1")), ==, 2);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (lookup (root, "data.items")));
  node = lookup (root, "nothing");
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_NULL (node));

  /* "$" paths with brackets. */
  g_assert_true (lookup (root, "$") == root);
  g_assert_cmpstr (json_node_get_string (lookup (root, "$.data.token")), ==, "t1");
  g_assert_cmpint (json_node_get_int (lookup (root, "$.data.items[1].id")), ==, 8);
  g_assert_cmpint (json_node_get_int (lookup (root, "$.result[1][0]")), ==, 3);
  g_assert_cmpint (json_node_get_int (lookup (root, "result[0][1]")), ==, 2);
  g_assert_cmpstr (json_node_get_string (lookup (root, "$['data']['token']")), ==, "t1");
  g_assert_cmpstr (json_node_get_string (lookup (root, "$[\"data\"].token")), ==, "t1");
  g_assert_cmpstr (json_node_get_string (lookup (root, "$['odd.name']")), ==, "dot");
  g_assert_cmpint (json_node_get_int (lookup (root, "$.x['it\\'s']")), ==, 1);
  g_assert_cmpstr (json_node_get_string (lookup (root, "data.items[1].tags[1]")), ==, "b");
}

static void
test_path_misses (void)
{
  g_autoptr(JsonNode) root = parse (RESPONSE);
  const char *misses[] = {
    "token", "data.missing", "$.data.missing", "odd.name",
    /* indices out of range or not indices */
    "data.items.2", "$.data.items[2]", "data.items.-1", "data.items.x",
    "data.items.99999999999999999999", "$.data.items[99999999999999999999]",
    /* steps into a value, a name on an array, an index on an object */
    "n.0", "$.n[0]", "access_token.length", "$['data'][0]", "$.result['0']",
  };

  for (guint i = 0; i < G_N_ELEMENTS (misses); i++)
    {
      g_autoptr(GError) error = NULL;

      if (kg_json_path_lookup (root, misses[i], &error) != NULL)
        g_error ("“%s” should find nothing", misses[i]);
      g_assert_no_error (error);
    }

  /* Without a root there is nothing to find. */
  g_assert_null (lookup (NULL, "data"));
  g_assert_null (lookup (NULL, "$"));
}

static void
test_path_errors (void)
{
  g_autoptr(JsonNode) root = parse (RESPONSE);
  const char *bad[] = {
    "", "data..token", ".data", "data.", "$..token", "$data", "$.items[", "$.items[x]",
    "$.items[-1]", "$.items[1", "$['data", "$['data'x]", "$.items[*]", "$.a]",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_null (kg_json_path_lookup (root, bad[i], &error));
      g_assert_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT);
      g_assert_true (g_str_has_prefix (error->message, "“"));
      g_assert_nonnull (strstr (error->message, "is not a JSON path"));
    }

  /* A bad path is reported even where a walk would have stopped early, and
   * a NULL path is an error, not a crash. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (kg_json_path_lookup (root, "missing[", &error));
    g_assert_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT);
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (kg_json_path_lookup (root, NULL, &error));
    g_assert_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT);
  }
}

static void
test_readers (void)
{
  g_autoptr(JsonNode) node = parse ("{\"s\":\"text\",\"b\":true,\"u\":30,\"neg\":-1,"
                                    "\"big\":99999999999,\"d\":1.5,\"o\":{\"k\":1},"
                                    "\"e\":\"BEARER\",\"null\":null}");
  JsonObject *object = json_node_get_object (node);
  const char *text = "unchanged";
  gboolean flag = FALSE;
  guint number = 7;
  JsonObject *member = NULL;
  int choice = -1;

  g_assert_true (kg_json_read_string (object, "s", TRUE, &text, NULL));
  g_assert_cmpstr (text, ==, "text");
  g_assert_true (kg_json_read_boolean (object, "b", TRUE, &flag, NULL));
  g_assert_true (flag);
  g_assert_true (kg_json_read_uint (object, "u", TRUE, &number, NULL));
  g_assert_cmpuint (number, ==, 30);
  g_assert_true (kg_json_read_object (object, "o", TRUE, &member, NULL));
  g_assert_true (json_object_has_member (member, "k"));
  g_assert_true (kg_json_read_enum (object, "e", TRUE, KG_TYPE_TOKEN_SEND, &choice, NULL));
  g_assert_cmpint (choice, ==, KG_TOKEN_SEND_BEARER);

  /* Member names follow property names. */
  {
    g_autoptr(GTypeClass) klass = g_type_class_ref (KG_TYPE_CREATE_SPEC);
    GParamSpec *pspec = g_object_class_find_property (G_OBJECT_CLASS (klass), "name-field");

    g_assert_cmpstr (kg_json_member_name (pspec), ==, "name_field");
  }

  /* Absent or null and optional: the value stays. */
  g_assert_true (kg_json_read_string (object, "absent", FALSE, &text, NULL));
  g_assert_true (kg_json_read_string (object, "null", FALSE, &text, NULL));
  g_assert_cmpstr (text, ==, "text");
  g_assert_true (kg_json_read_uint (object, "null", FALSE, &number, NULL));
  g_assert_cmpuint (number, ==, 30);
}

static void
test_reader_errors (void)
{
  g_autoptr(JsonNode) node = parse ("{\"s\":5,\"b\":\"yes\",\"neg\":-1,\"big\":99999999999,"
                                    "\"d\":1.5,\"o\":[1],\"e\":\"pigeon\",\"null\":null}");
  JsonObject *object = json_node_get_object (node);
  const char *text = NULL;
  gboolean flag = FALSE;
  guint number = 0;
  JsonObject *member = NULL;
  int choice = 0;
  const gboolean ok[] = {
    kg_json_read_string (object, "s", FALSE, &text, NULL),
    kg_json_read_boolean (object, "b", FALSE, &flag, NULL),
    kg_json_read_uint (object, "neg", FALSE, &number, NULL),
    kg_json_read_uint (object, "big", FALSE, &number, NULL),
    kg_json_read_uint (object, "d", FALSE, &number, NULL),
    kg_json_read_object (object, "o", FALSE, &member, NULL),
    kg_json_read_enum (object, "e", FALSE, KG_TYPE_TOKEN_SEND, &choice, NULL),
    kg_json_read_string (object, "null", TRUE, &text, NULL),
    kg_json_read_object (object, "absent", TRUE, &member, NULL),
  };
  const struct {
    const char *member;
    const char *expected;
  } sentences[] = {
    { "s", "“s” must be a string." },
    { "b", "“b” must be true or false." },
    { "neg", "“neg” must be a whole number, 0 or more." },
    { "o", "“o” must be a JSON object." },
    { "e", "“e” must be one of “bearer” or “header”." },
    { "null", "“null” must be a string." },
    { "absent", "“absent” must be a JSON object." },
  };

  for (guint i = 0; i < G_N_ELEMENTS (ok); i++)
    g_assert_false (ok[i]);
  g_assert_null (text);
  g_assert_null (member);

  /* One sentence shape for every reader. */
  for (guint i = 0; i < G_N_ELEMENTS (sentences); i++)
    {
      g_autoptr(GError) error = NULL;
      const char *name = sentences[i].member;

      if (g_str_equal (name, "s") || g_str_equal (name, "null"))
        kg_json_read_string (object, name, TRUE, &text, &error);
      else if (g_str_equal (name, "b"))
        kg_json_read_boolean (object, name, FALSE, &flag, &error);
      else if (g_str_equal (name, "neg"))
        kg_json_read_uint (object, name, FALSE, &number, &error);
      else if (g_str_equal (name, "e"))
        kg_json_read_enum (object, name, FALSE, KG_TYPE_TOKEN_SEND, &choice, &error);
      else
        kg_json_read_object (object, name, TRUE, &member, &error);
      g_assert_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT);
      g_assert_cmpstr (error->message, ==, sentences[i].expected);
    }

  /* The files prefix where the member lives. */
  {
    g_autoptr(JsonNode) bad = parse ("{\"timeout\":\"thirty\"}");
    g_autoptr(GError) error = NULL;
    g_autoptr(KgProfile) profile = kg_profile_new_from_json (json_node_get_object (bad), &error);

    g_assert_null (profile);
    g_assert_cmpstr (error->message, ==,
                     "Profile: “timeout” must be a whole number, 0 or more.");
  }
  {
    g_autoptr(JsonNode) bad = parse ("{\"token\":{\"send_as\":\"pigeon\"}}");
    g_autoptr(GError) error = NULL;
    g_autoptr(KgProfile) profile = kg_profile_new_from_json (json_node_get_object (bad), &error);

    g_assert_null (profile);
    g_assert_cmpstr (error->message, ==,
                     "Token settings: “send_as” must be one of “bearer” or “header”.");
  }
  {
    g_autoptr(JsonNode) bad = parse ("{\"create\":{\"id_path\":[1]}}");
    g_autoptr(GError) error = NULL;
    g_autoptr(KgProfile) profile = kg_profile_new_from_json (json_node_get_object (bad), &error);

    g_assert_null (profile);
    g_assert_cmpstr (error->message, ==, "Create settings: “id_path” must be a string.");
  }
}

static void
test_unknown_members (void)
{
  g_autoptr(JsonNode) node = parse ("{\"a\":1,\"future\":{\"x\":[1,2]},\"b\":2,\"later\":null}");
  JsonObject *object = json_node_get_object (node);
  static const char * const known[] = { NULL, "a", "b" };
  static const char * const all[] = { "a", "b", "future", "later" };
  g_autoptr(JsonObject) unknown = kg_json_object_dup_unknown (object, known, G_N_ELEMENTS (known));
  g_autoptr(JsonObject) out = json_object_new ();
  g_autoptr(JsonObject) none = NULL;

  g_assert_nonnull (unknown);
  g_assert_cmpuint (json_object_get_size (unknown), ==, 2);
  g_assert_true (json_object_has_member (unknown, "future"));
  g_assert_true (json_object_has_member (unknown, "later"));

  /* Written back without replacing what the writer set itself. */
  json_object_set_int_member (out, "a", 10);
  json_object_set_int_member (out, "future", 3);
  kg_json_object_add_members (out, unknown);
  kg_json_object_add_members (out, NULL);
  g_assert_cmpint (json_object_get_int_member (out, "future"), ==, 3);
  g_assert_true (json_object_has_member (out, "later"));
  g_assert_cmpuint (json_object_get_size (out), ==, 3);

  none = kg_json_object_dup_unknown (object, all, G_N_ELEMENTS (all));
  g_assert_null (none);

  /* The three files keep what they do not know. */
  {
    g_autoptr(JsonNode) file = parse ("{\"name\":\"p\",\"someday\":[1],"
                                      "\"token\":{\"note\":\"t\"},\"create\":{\"hint\":\"c\"}}");
    g_autoptr(KgProfile) profile = kg_profile_new_from_json (json_node_get_object (file), NULL);
    g_autoptr(JsonObject) back = kg_profile_to_json (profile);

    g_assert_true (json_object_has_member (back, "someday"));
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (back, "token"),
                                                    "note"), ==, "t");
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (back, "create"),
                                                    "hint"), ==, "c");
  }
}

static void
test_deep_copy (void)
{
  g_autoptr(JsonNode) node = parse ("{\"a\":{\"b\":[1,{\"c\":\"d\"}]},\"e\":null}");
  g_autoptr(JsonNode) copy = kg_json_node_deep_copy (node);
  g_autoptr(JsonObject) object_copy = kg_json_object_deep_copy (json_node_get_object (node));
  JsonObject *inner;

  g_assert_true (json_node_equal (node, copy));

  /* Changing the copy leaves the original alone, at every depth. */
  inner = json_array_get_object_element (
    json_object_get_array_member (json_object_get_object_member (json_node_get_object (copy), "a"),
                                  "b"), 1);
  json_object_set_string_member (inner, "c", "changed");
  json_object_set_int_member (json_object_get_object_member (object_copy, "a"), "new", 1);

  inner = json_array_get_object_element (
    json_object_get_array_member (json_object_get_object_member (json_node_get_object (node), "a"),
                                  "b"), 1);
  g_assert_cmpstr (json_object_get_string_member (inner, "c"), ==, "d");
  g_assert_false (json_object_has_member (
    json_object_get_object_member (json_node_get_object (node), "a"), "new"));
  g_assert_false (json_node_equal (node, copy));
}

static char *
nested (guint levels)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < levels; i++)
    g_string_append_c (text, i % 2 ? '{' : '[');
  for (guint i = levels; i > 0; i--)
    g_string_append_c (text, (i - 1) % 2 ? '}' : ']');
  return g_string_free (text, FALSE);
}

/* Depth is counted before any parser runs; brackets in strings are text. */
static void
test_json_depth (void)
{
  g_autofree char *ok = NULL;
  g_autofree char *too_deep = NULL;
  g_autoptr(GString) huge = g_string_new (NULL);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  /* Objects need members to be JSON: use arrays for the parse checks. */
  g_assert_true (kg_json_check_depth ("[[[\"]]]]]]]\\\"[[[[\"]]]", -1, NULL));
  ok = nested (KG_JSON_MAX_DEPTH);
  g_assert_true (kg_json_check_depth (ok, -1, NULL));
  too_deep = nested (KG_JSON_MAX_DEPTH + 1);
  g_assert_false (kg_json_check_depth (too_deep, -1, &error));
  g_assert_error (error, KG_ERROR, KG_ERROR_NOT_JSON);
  g_clear_error (&error);

  /* What used to kill the process: 200,000 nested arrays. */
  for (guint i = 0; i < 200000; i++)
    g_string_append_c (huge, '[');
  for (guint i = 0; i < 200000; i++)
    g_string_append_c (huge, ']');
  node = kg_json_parse (huge->str, (gssize) huge->len, &error);
  g_assert_null (node);
  g_assert_error (error, KG_ERROR, KG_ERROR_NOT_JSON);
  g_assert_nonnull (strstr (error->message, "512"));
  g_clear_error (&error);

  /* Within the limit it parses as before; a string of brackets is a value. */
  node = kg_json_parse ("[[[1]], \"[[[[\"]", -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  g_clear_pointer (&node, json_node_unref);
  g_assert_null (kg_json_parse ("  ", -1, &error));
  g_assert_nonnull (error);
}

/* Text that is not JSON: where (line, column of the mistake, not where
 * json-glib noticed it) and what, in words a user knows. */
static void
test_problem_words (void)
{
  static const struct {
    const char *text;
    const char *message;
  } cases[] = {
    { "{\"a\": 1", "Line 1, column 8: a closing brace (}) is missing" },
    { "[1, 2", "Line 1, column 6: a closing bracket (]) is missing" },
    { "{\"a\": \"x}", "Line 1, column 7: a text in quotes is not closed: its closing quote "
                     "(\") is missing" },
    { "[1, 2}", "Line 1, column 6: a closing bracket (]) is expected here" },
    { "{\"a\": 1}}", "Line 1, column 9: “}” closes nothing that is open" },
    { "{\"a\": 1 \"b\": 2}", "Line 1, column 7: a comma is missing between two values" },
    { "[\n  [1, ]\n]", "Line 2, column 5: a comma has nothing after it: remove it or add a "
                       "value" },
    { "{\"a\" 1}", "Line 1, column 4: a colon (:) is missing after a member name" },
    { "{\"a\": tru}", "Line 1, column 7: “tru” is not a JSON value: use true, false, null, a "
                     "number, or text in double quotes" },
    { "{\"a\":\n  }", "Line 2, column 3: a value is missing before “}”" },
    { "{\"é\": 1", "Line 1, column 8: a closing brace (}) is missing" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = kg_json_parse (cases[i].text, -1, &error);

      g_assert_null (node);
      g_assert_nonnull (error);
      g_assert_true (error->domain == JSON_PARSER_ERROR);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

int
main (int   argc,
      char *argv[])
{
  kg_test_init (&argc, &argv);

  g_test_add_func ("/core/json/path-hits", test_path_hits);
  g_test_add_func ("/core/json/path-misses", test_path_misses);
  g_test_add_func ("/core/json/path-errors", test_path_errors);
  g_test_add_func ("/core/json/readers", test_readers);
  g_test_add_func ("/core/json/reader-errors", test_reader_errors);
  g_test_add_func ("/core/json/unknown-members", test_unknown_members);
  g_test_add_func ("/core/json/deep-copy", test_deep_copy);

  g_test_add_func ("/core/json/depth", test_json_depth);
  g_test_add_func ("/core/json/problem-words", test_problem_words);

  return g_test_run ();
}
