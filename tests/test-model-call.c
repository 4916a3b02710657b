/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "kg-test-utils.h"

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = kg_json_parse (text, -1, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

static KgModelCall *
call_from (const char *text)
{
  g_autoptr(JsonObject) object = parse_object (text);
  g_autoptr(GError) error = NULL;
  KgModelCall *call = kg_model_call_new_from_json (object, &error);

  g_assert_no_error (error);
  g_assert_nonnull (call);
  return call;
}

/* The JSON-2 body of @call_text as compact JSON text. */
static char *
json2_body (const char *call_text)
{
  g_autoptr(KgModelCall) call = call_from (call_text);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = kg_model_call_to_json2_body (call, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (body));
  return json_to_string (body, FALSE);
}

static void
assert_json2_refused (const char *call_text,
                      const char *fragment)
{
  g_autoptr(KgModelCall) call = call_from (call_text);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = kg_model_call_to_json2_body (call, &error);

  g_assert_null (body);
  g_assert_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT);
  if (strstr (error->message, fragment) == NULL)
    g_error ("“%s” lacks “%s”", error->message, fragment);
}

static void
test_from_json (void)
{
  g_autoptr(KgModelCall) full = call_from ("{\"model\": \"project.project\", \"method\": \"read\", "
                                           "\"args\": [[1]], \"kwargs\": {\"fields\": [\"name\"]}, "
                                           "\"note\": \"extra members are fine\"}");
  g_autoptr(KgModelCall) bare = call_from ("{\"model\": \"res.users\", \"method\": "
                                           "\"context_get\"}");

  g_assert_cmpstr (kg_model_call_get_model (full), ==, "project.project");
  g_assert_cmpstr (kg_model_call_get_method (full), ==, "read");
  g_assert_cmpuint (json_array_get_length (kg_model_call_get_args (full)), ==, 1);
  g_assert_true (json_object_has_member (kg_model_call_get_kwargs (full), "fields"));

  /* Defaults: [] and {}. */
  g_assert_cmpuint (json_array_get_length (kg_model_call_get_args (bare)), ==, 0);
  g_assert_cmpuint (json_object_get_size (kg_model_call_get_kwargs (bare)), ==, 0);
}

static void
test_from_json_errors (void)
{
  static const struct {
    const char *json;
    const char *fragment;
  } cases[] = {
    { "{\"method\": \"read\"}", "“model”" },
    { "{\"model\": 7, \"method\": \"read\"}", "“model” must be a string" },
    { "{\"model\": \"project.project\"}", "“method”" },
    { "{\"model\": \"project.project\", \"method\": null}", "“method”" },
    { "{\"model\": \"project.project\", \"method\": \"read\", \"args\": {}}", "“args”" },
    { "{\"model\": \"project.project\", \"method\": \"read\", \"args\": \"[1]\"}", "“args”" },
    { "{\"model\": \"project.project\", \"method\": \"read\", \"kwargs\": []}", "“kwargs”" },
    { "{\"model\": \"\", \"method\": \"read\"}", "needs a model" },
    { "{\"model\": \"project/../x\", \"method\": \"read\"}", "not an Odoo model name" },
    { "{\"model\": \"project.project\", \"method\": \"read?x=1\"}", "not a method name" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) object = parse_object (cases[i].json);
      g_autoptr(GError) error = NULL;
      g_autoptr(KgModelCall) call = kg_model_call_new_from_json (object, &error);

      g_assert_null (call);
      g_assert_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT);
      if (strstr (error->message, cases[i].fragment) == NULL)
        g_error ("case %u: “%s” lacks “%s”", i, error->message, cases[i].fragment);
    }
}

static void
test_json2_mapping (void)
{
  static const struct {
    const char *call;
    const char *body;
  } cases[] = {
    /* The shapes of the captured Odoo 19 exchanges (20, 21, 70, 74, 75). */
    { "{\"model\":\"project.project\",\"method\":\"create\","
      "\"args\":[[{\"name\":\"Probe\"}]]}",
      "{\"vals_list\":[{\"name\":\"Probe\"}]}" },
    { "{\"model\":\"project.project\",\"method\":\"read\",\"args\":[[9]],"
      "\"kwargs\":{\"fields\":[\"name\"]}}",
      "{\"ids\":[9],\"fields\":[\"name\"]}" },
    { "{\"model\":\"project.project\",\"method\":\"read\",\"args\":[[9],[\"name\"]]}",
      "{\"ids\":[9],\"fields\":[\"name\"]}" },
    /* execute_kw takes one id where a list is meant; JSON-2 wants the list. */
    { "{\"model\":\"project.project\",\"method\":\"read\",\"args\":[9]}",
      "{\"ids\":[9]}" },
    { "{\"model\":\"project.project\",\"method\":\"write\","
      "\"args\":[[9],{\"name\":\"New\"}]}",
      "{\"ids\":[9],\"vals\":{\"name\":\"New\"}}" },
    { "{\"model\":\"res.users.apikeys\",\"method\":\"unlink\",\"args\":[[40]]}",
      "{\"ids\":[40]}" },
    { "{\"model\":\"res.users.apikeys\",\"method\":\"search\","
      "\"args\":[[[\"name\",\"=\",\"x\"]]],\"kwargs\":{\"limit\":1}}",
      "{\"domain\":[[\"name\",\"=\",\"x\"]],\"limit\":1}" },
    { "{\"model\":\"project.project\",\"method\":\"search\",\"args\":[[],5,10,\"id desc\"]}",
      "{\"domain\":[],\"offset\":5,\"limit\":10,\"order\":\"id desc\"}" },
    { "{\"model\":\"res.users.apikeys\",\"method\":\"search_read\","
      "\"args\":[[],[\"name\",\"scope\"]]}",
      "{\"domain\":[],\"fields\":[\"name\",\"scope\"]}" },
    { "{\"model\":\"project.project\",\"method\":\"search_count\",\"args\":[[],100]}",
      "{\"domain\":[],\"limit\":100}" },
    /* Odoo 19: name_search(name='', domain=None, operator='ilike', limit=100). */
    { "{\"model\":\"res.partner\",\"method\":\"name_search\","
      "\"args\":[\"Ali\",[],\"ilike\",5]}",
      "{\"name\":\"Ali\",\"domain\":[],\"operator\":\"ilike\",\"limit\":5}" },
    { "{\"model\":\"res.partner\",\"method\":\"fields_get\","
      "\"args\":[[\"name\"],[\"type\",\"string\"]]}",
      "{\"allfields\":[\"name\"],\"attributes\":[\"type\",\"string\"]}" },
    { "{\"model\":\"res.partner\",\"method\":\"web_search_read\","
      "\"args\":[[],{\"name\":{}}]}",
      "{\"domain\":[],\"specification\":{\"name\":{}}}" },
    /* Named arguments only: any method, kwargs as they are. */
    { "{\"model\":\"res.users\",\"method\":\"has_group\","
      "\"kwargs\":{\"ids\":[5],\"group_ext_id\":\"base.group_user\"}}",
      "{\"ids\":[5],\"group_ext_id\":\"base.group_user\"}" },
    { "{\"model\":\"res.users\",\"method\":\"context_get\"}", "{}" },
    /* Positional and named arguments merge. */
    { "{\"model\":\"project.project\",\"method\":\"search_read\","
      "\"args\":[[[\"active\",\"=\",true]]],\"kwargs\":{\"fields\":[\"name\"],"
      "\"context\":{\"lang\":\"fr_FR\"}}}",
      "{\"domain\":[[\"active\",\"=\",true]],\"fields\":[\"name\"],"
      "\"context\":{\"lang\":\"fr_FR\"}}" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *body = json2_body (cases[i].call);

      g_assert_cmpstr (body, ==, cases[i].body);
    }
}

static void
test_json2_errors (void)
{
  /* A name given both ways. */
  assert_json2_refused ("{\"model\":\"project.project\",\"method\":\"read\",\"args\":[[9]],"
                        "\"kwargs\":{\"ids\":[9]}}", "“ids” of “read” is given twice");
  assert_json2_refused ("{\"model\":\"project.project\",\"method\":\"search_read\","
                        "\"args\":[[],[\"name\"]],\"kwargs\":{\"fields\":[\"id\"]}}",
                        "“fields” of “search_read” is given twice");
  /* Too many positional arguments. */
  assert_json2_refused ("{\"model\":\"project.project\",\"method\":\"unlink\","
                        "\"args\":[[1],true]}", "“unlink” takes 1 positional argument");
  assert_json2_refused ("{\"model\":\"project.project\",\"method\":\"write\","
                        "\"args\":[[1],{},3]}", "“write” takes 2 positional arguments");
  /* A method whose argument names Keygate does not know. */
  assert_json2_refused ("{\"model\":\"res.users\",\"method\":\"has_group\","
                        "\"args\":[[5],\"base.group_user\"]}",
                        "JSON-2 takes named arguments only");
  assert_json2_refused ("{\"model\":\"res.users\",\"method\":\"has_group\","
                        "\"args\":[[5],\"base.group_user\"]}", "“has_group”");
  assert_json2_refused ("{\"model\":\"res.users\",\"method\":\"has_group\","
                        "\"args\":[[5],\"base.group_user\"]}", "kwargs");
}

int
main (int   argc,
      char *argv[])
{
  kg_test_init (&argc, &argv);

  g_test_add_func ("/core/model-call/from-json", test_from_json);
  g_test_add_func ("/core/model-call/from-json-errors", test_from_json_errors);
  g_test_add_func ("/core/model-call/json2-mapping", test_json2_mapping);
  g_test_add_func ("/core/model-call/json2-errors", test_json2_errors);

  return g_test_run ();
}
