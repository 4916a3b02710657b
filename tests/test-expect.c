/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Expectations (every matcher passing and failing, with its sentence) and
 * captures of collection requests. */
#include "config.h"

#include <string.h>

#include "kg-test-utils.h"

static JsonNode *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = kg_json_parse (text, -1, &error);

  g_assert_no_error (error);
  return node;
}

static KgExpect *
expect (const char *text)
{
  g_autoptr(JsonNode) node = parse (text);
  g_autoptr(GError) error = NULL;
  KgExpect *e = kg_expect_new_from_json (json_node_get_object (node), &error);

  g_assert_no_error (error);
  g_assert_nonnull (e);
  return e;
}

/* Evaluates @expect_json against @outcome and compares the failures,
 * joined by "|" ("" when it passes). */
static void
assert_failures (const char *expect_json,
                 KgOutcome  *outcome,
                 const char *expected)
{
  g_autoptr(KgExpect) e = expect_json != NULL ? expect (expect_json) : NULL;
  g_autoptr(GPtrArray) failures = kg_expect_evaluate (e, outcome);
  g_autofree char *joined = NULL;

  g_ptr_array_add (failures, NULL);
  joined = g_strjoinv ("|", (char **) failures->pdata);
  g_assert_cmpstr (joined, ==, expected);
}

static void
assert_bad (const char *expect_json,
            const char *message)
{
  g_autoptr(JsonNode) node = parse (expect_json);
  g_autoptr(GError) error = NULL;
  g_autoptr(KgExpect) e = kg_expect_new_from_json (json_node_get_object (node), &error);

  g_assert_null (e);
  g_assert_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT);
  if (message != NULL)
    g_assert_cmpstr (error->message, ==, message);
  else
    g_assert_nonnull (strstr (error->message, "is not valid"));
}

#define BODY "{\"result\": [{\"id\": 42, \"name\": \"Foo\", \"tags\": [\"a\", \"b\"], " \
             "\"ratio\": 2.0, \"on\": true}], \"project_id\": 7}"

static void
test_default (void)
{
  g_autoptr(JsonNode) json = parse (BODY);
  KgOutcome ok = { TRUE, NULL, NULL, 200, json, 1000 };
  KgOutcome failed = { FALSE, "access-error", "You may not read projects.", 0, NULL, 1000 };

  assert_failures (NULL, &ok, "");
  assert_failures (NULL, &failed,
                   "Expected the call to succeed; it failed: You may not read projects.");
  /* An expect object that says nothing of ok/status/error_kind still
   * wants the call to succeed. */
  assert_failures ("{\"max_ms\": 5000}", &failed,
                   "Expected the call to succeed; it failed: You may not read projects.");
  assert_failures ("{}", &ok, "");
}

static void
test_ok_and_error_kind (void)
{
  g_autoptr(JsonNode) json = parse (BODY);
  KgOutcome ok = { TRUE, NULL, NULL, 200, json, 1000 };
  KgOutcome failed = { FALSE, "access-error", "Not allowed.", 200, NULL, 1000 };

  assert_failures ("{\"ok\": true}", &ok, "");
  assert_failures ("{\"ok\": true}", &failed,
                   "Expected the call to succeed; it failed: Not allowed.");
  assert_failures ("{\"ok\": false}", &failed, "");
  assert_failures ("{\"ok\": false}", &ok, "Expected the call to fail; it succeeded");
  assert_failures ("{\"error_kind\": \"access-error\"}", &failed, "");
  assert_failures ("{\"ok\": false, \"error_kind\": \"access-error\"}", &failed, "");
  assert_failures ("{\"error_kind\": \"validation\"}", &failed,
                   "Expected the error validation, got access-error");
  assert_failures ("{\"error_kind\": \"validation\"}", &ok,
                   "Expected the call to fail with validation; it succeeded");
}

static void
test_status (void)
{
  KgOutcome forbidden = { FALSE, "http-status", "Forbidden.", 403, NULL, 1000 };
  KgOutcome none = { FALSE, "network", "Refused.", 0, NULL, 1000 };
  KgOutcome fine = { TRUE, NULL, NULL, 200, NULL, 1000 };

  assert_failures ("{\"status\": 200}", &fine, "");
  assert_failures ("{\"status\": 200}", &forbidden, "Expected status 200, got 403");
  /* Expecting a status is enough: a 403 that was asked for passes. */
  assert_failures ("{\"status\": 403}", &forbidden, "");
  assert_failures ("{\"status\": 200}", &none, "Expected status 200; no response came");
}

static void
test_json_matchers (void)
{
  g_autoptr(JsonNode) json = parse (BODY);
  KgOutcome outcome = { TRUE, NULL, NULL, 200, json, 1000 };

  /* Passing. */
  assert_failures ("{\"json\": {\"$.project_id\": {\"exists\": true}, "
                   "\"$.nothing\": {\"exists\": false}, "
                   "\"$.result[0].id\": {\"equals\": 42.0}, "
                   "\"$.result[0].ratio\": {\"equals\": 2}, "
                   "\"$.result[0].tags\": {\"equals\": [\"a\", \"b\"]}, "
                   "\"$.result[0]\": {\"equals\": {\"on\": true, \"ratio\": 2, \"id\": 42, "
                   "\"name\": \"Foo\", \"tags\": [\"a\", \"b\"]}}, "
                   "\"$.result[0].name\": {\"matches\": \"^F\"}, "
                   "\"$.result[0].id\": {\"matches\": \"^4\\\\d$\"}, "
                   "\"$['project_id']\": {\"matches\": \"7\"}, "
                   "\"$.result[0].tags\": {\"contains\": \"b\"}, "
                   "\"result[0].name\": {\"contains\": \"oo\"}}}", &outcome, "");

  /* Failing, one sentence each, in the order of the file. */
  assert_failures ("{\"json\": {\"$.missing\": {\"exists\": true}}}", &outcome,
                   "$.missing: expected to exist");
  assert_failures ("{\"json\": {\"$.project_id\": {\"exists\": false}}}", &outcome,
                   "$.project_id: expected not to exist, found “7”");
  assert_failures ("{\"json\": {\"$.result[0].id\": {\"equals\": 43}}}", &outcome,
                   "$.result[0].id: expected 43, got 42");
  assert_failures ("{\"json\": {\"$.result[0].id\": {\"equals\": \"42\"}}}", &outcome,
                   "$.result[0].id: expected \"42\", got 42");
  assert_failures ("{\"json\": {\"$.result[1]\": {\"equals\": 1}}}", &outcome,
                   "$.result[1]: expected 1, found nothing");
  assert_failures ("{\"json\": {\"$.result[0].name\": {\"matches\": \"^qa \"}}}", &outcome,
                   "$.result[0].name: “Foo” does not match ^qa ");
  assert_failures ("{\"json\": {\"$.result[0].x\": {\"matches\": \"^qa \"}}}", &outcome,
                   "$.result[0].x: nothing there to match ^qa ");
  assert_failures ("{\"json\": {\"$.result[0].name\": {\"contains\": \"bar\"}}}", &outcome,
                   "$.result[0].name: “Foo” does not contain “bar”");
  assert_failures ("{\"json\": {\"$.result[0].tags\": {\"contains\": \"c\"}}}", &outcome,
                   "$.result[0].tags: [\"a\",\"b\"] has no element “c”");
  assert_failures ("{\"json\": {\"$.result[0].id\": {\"contains\": \"4\"}}}", &outcome,
                   "$.result[0].id: 42 is neither text nor an array");
  assert_failures ("{\"json\": {\"$.zzz\": {\"contains\": \"4\"}}}", &outcome,
                   "$.zzz: nothing there to contain “4”");
  assert_failures ("{\"status\": 201, \"json\": {\"$.a\": {\"exists\": true}, "
                   "\"$.b\": {\"exists\": true}}}", &outcome,
                   "Expected status 201, got 200|$.a: expected to exist|$.b: expected to exist");
}

static void
test_not_json (void)
{
  KgOutcome html = { TRUE, NULL, NULL, 200, NULL, 1000 };

  assert_failures ("{\"json\": {\"$.a\": {\"exists\": false}}}", &html,
                   "$.a: the body is not JSON");
  assert_failures ("{\"status\": 200}", &html, "");
}

static void
test_max_ms (void)
{
  KgOutcome slow = { TRUE, NULL, NULL, 200, NULL, 812400 };

  assert_failures ("{\"max_ms\": 500}", &slow, "Took 812 ms, more than the 500 ms allowed");
  assert_failures ("{\"max_ms\": 812}", &slow, "");
  assert_failures ("{\"max_ms\": 1000}", &slow, "");
}

static void
test_bad_expect (void)
{
  assert_bad ("{\"ok\": \"yes\"}", "“ok” must be true or false.");
  assert_bad ("{\"status\": \"200\"}", "“status” must be a whole number, 0 or more.");
  assert_bad ("{\"max_ms\": -1}", "“max_ms” must be a whole number, 0 or more.");
  assert_bad ("{\"json\": []}", "“json” must be a JSON object.");
  assert_bad ("{\"error_kind\": \"teapot\"}",
              "“teapot” is not a Keygate error kind (such as access-error, access-denied or "
              "validation).");
  assert_bad ("{\"statuz\": 200}",
              "“expect” has no member “statuz”: use ok, error_kind, status, json or max_ms.");
  assert_bad ("{\"json\": {\"$.a[\": {\"exists\": true}}}",
              "“$.a[” is not a JSON path (at character 4: an index is a number or a quoted "
              "name, as in [0] or ['name']).");
  assert_bad ("{\"json\": {\"$.a\": {\"matches\": \"(\"}}}", NULL);
  assert_bad ("{\"json\": {\"$.a\": {\"exists\": 1}}}",
              "The expectation for “$.a” must be one of {\"equals\": value}, {\"exists\": true "
              "or false}, {\"matches\": \"regex\"} or {\"contains\": \"text\"}.");
  assert_bad ("{\"json\": {\"$.a\": {\"exists\": true, \"equals\": 1}}}",
              "The expectation for “$.a” must be an object with one of “equals”, “exists”, "
              "“matches” or “contains”.");
}

static void
test_capture (void)
{
  g_autoptr(JsonNode) json = parse (BODY);
  g_autoptr(JsonNode) capture = parse ("{\"id\": \"$.result[0].id\", \"tags\": "
                                       "\"$.result[0].tags\"}");
  g_autoptr(JsonNode) missing = parse ("{\"first\": \"$.project_id\", \"x\": \"$.result[3]\"}");
  g_autoptr(JsonNode) bad_name = parse ("{\"a b\": \"$.x\"}");
  g_autoptr(JsonNode) bad_path = parse ("{\"a\": \"$.[\"}");
  g_autoptr(JsonNode) not_string = parse ("{\"a\": 3}");
  g_autoptr(KgVariables) vars = kg_variables_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) not_json = NULL;
  g_autoptr(GError) e1 = NULL;
  g_autoptr(GError) e2 = NULL;
  g_autoptr(GError) e3 = NULL;

  g_assert_true (kg_capture_validate (json_node_get_object (capture), &error));
  g_assert_true (kg_capture_apply (json_node_get_object (capture), json, vars, &error));
  g_assert_no_error (error);
  g_assert_cmpint (json_node_get_int (kg_variables_lookup (vars, "id")), ==, 42);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (kg_variables_lookup (vars, "tags")));

  g_assert_false (kg_capture_apply (json_node_get_object (missing), json, vars, &e1));
  g_assert_error (e1, KG_ERROR, KG_ERROR_INVALID_INPUT);
  g_assert_cmpstr (e1->message, ==, "Could not capture “x”: $.result[3] matches nothing");
  g_clear_error (&e1);
  /* Those before the failure stay captured. */
  g_assert_cmpint (json_node_get_int (kg_variables_lookup (vars, "first")), ==, 7);

  g_assert_false (kg_capture_apply (json_node_get_object (capture), NULL, vars, &not_json));
  g_assert_cmpstr (not_json->message, ==,
                   "Could not capture “id”: the body is not JSON, so $.result[0].id matches "
                   "nothing");

  g_assert_false (kg_capture_validate (json_node_get_object (bad_name), &e1));
  g_assert_error (e1, KG_ERROR, KG_ERROR_INVALID_INPUT);
  g_assert_false (kg_capture_validate (json_node_get_object (bad_path), &e2));
  g_assert_nonnull (strstr (e2->message, "is not a JSON path"));
  g_assert_false (kg_capture_validate (json_node_get_object (not_string), &e3));
  g_assert_cmpstr (e3->message, ==,
                   "The capture of “a” must be a JSON path such as “$.result[0]”.");
}

int
main (int   argc,
      char *argv[])
{
  kg_test_init (&argc, &argv);

  g_test_add_func ("/core/expect/default", test_default);
  g_test_add_func ("/core/expect/ok-and-error-kind", test_ok_and_error_kind);
  g_test_add_func ("/core/expect/status", test_status);
  g_test_add_func ("/core/expect/json-matchers", test_json_matchers);
  g_test_add_func ("/core/expect/not-json", test_not_json);
  g_test_add_func ("/core/expect/max-ms", test_max_ms);
  g_test_add_func ("/core/expect/bad-expect", test_bad_expect);
  g_test_add_func ("/core/expect/capture", test_capture);

  return g_test_run ();
}
