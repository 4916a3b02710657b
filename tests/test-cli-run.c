/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `keygate-cli run` as CI runs it: a subprocess with the test's XDG dirs
 * and session keyring, against a demo server in this process. */
#include "config.h"

#include <string.h>

#include "kg-test-utils.h"

static const char * const demo_keys[] = { KG_DEMO_ALICE_KEY, KG_DEMO_BOB_KEY, NULL };

#define CLI(run, ...) \
  G_STMT_START { \
    const char *args_[] = { __VA_ARGS__, NULL }; \
    kg_test_run_cli_argv ((run), NULL, demo_keys, args_); \
  } G_STMT_END

static void
add_profile (const char *name,
             const char *preset,
             const char *key)
{
  KgDemoServer *server = kg_test_get_demo_server ();
  const char *url = kg_demo_server_get_url (server);
  g_auto(KgCliRun) add = { 0 };
  g_auto(KgCliRun) set = { 0 };
  g_autofree char *line = g_strconcat (key, "\n", NULL);
  const char *set_args[] = { "key", "set", name, NULL };

  if (preset != NULL)
    CLI (&add, "profile", "add", name, "--url", url, "--db", KG_DEMO_DATABASE, "--login",
         "alice", "--protocol", "token", "--preset", preset, "--json");
  else
    CLI (&add, "profile", "add", name, "--url", url, "--db", KG_DEMO_DATABASE, "--login",
         "alice", "--json");
  g_assert_cmpint (add.status, ==, 0);
  kg_test_run_cli_argv (&set, line, demo_keys, set_args);
  g_assert_cmpint (set.status, ==, 0);
}

/* ---- The collections ------------------------------------------------------ */

#define PASSING \
  "{ \"keygate_collection\": 1, \"name\": \"Projects <smoke> & test\", " \
  "\"connection\": \"alice-token\",\n" \
  "  \"variables\": { \"prefix\": \"qa\" },\n" \
  "  \"requests\": [\n" \
  "    { \"name\": \"create a project\",\n" \
  "      \"call\": { \"model\": \"project.project\", \"method\": \"create\",\n" \
  "                \"args\": [[{ \"name\": \"{{prefix}} one\" }]] },\n" \
  "      \"capture\": { \"project_id\": \"$.result[0]\" }, \"expect\": { \"ok\": true } },\n" \
  "    { \"name\": \"read it back\",\n" \
  "      \"call\": { \"model\": \"project.project\", \"method\": \"read\",\n" \
  "                \"args\": [[\"{{project_id}}\"]], \"kwargs\": { \"fields\": [\"name\"] } },\n" \
  "      \"expect\": { \"json\": { \"$.result[0].name\": { \"matches\": \"^qa \" } } } },\n" \
  "    { \"name\": \"REST create via the token module\",\n" \
  "      \"http\": { \"method\": \"POST\", \"path\": \"/api/project/create\", " \
  "\"auth\": \"token\",\n" \
  "                \"json\": { \"project_name\": \"{{prefix}} rest\" } },\n" \
  "      \"expect\": { \"status\": 200, \"json\": { \"$.project_id\": { " \
  "\"exists\": true } } } }\n" \
  "  ] }"

#define FAILING \
  "{ \"keygate_collection\": 1, \"name\": \"Failing\", \"requests\": [\n" \
  "  { \"name\": \"first <project>\", \"call\": { \"model\": \"project.project\", \"method\": " \
  "\"search_read\", \"args\": [[]], \"kwargs\": { \"fields\": [\"{{field}}\"], " \
  "\"limit\": 1 } },\n" \
  "    \"expect\": { \"json\": { \"$.result[0].name\": { \"matches\": \"^qa \" } } } },\n" \
  "  { \"name\": \"count\", \"call\": { \"model\": \"{{model}}\", \"method\": " \
  "\"search_count\", \"args\": [[]] } },\n" \
  "  { \"name\": \"status\", \"http\": { \"method\": \"POST\", \"path\": " \
  "\"/api/project/create\", " \
  "\"auth\": \"token\", \"json\": {} }, \"expect\": { \"status\": 200 } }\n" \
  "] }"

static void
test_setup (void)
{
  add_profile ("alice", NULL, KG_DEMO_ALICE_KEY);
  add_profile ("alice-token", "tutorial", KG_DEMO_ALICE_KEY);
}

static void
test_passing (void)
{
  g_autofree char *file = kg_test_write_tmp_file ("passing.json", PASSING);
  g_autofree char *junit = kg_test_tmp_path ("passing.xml");
  g_autofree char *suite = NULL;
  g_autofree char *cases = NULL;
  g_auto(KgCliRun) run = { 0 };
  g_auto(GStrv) lines = NULL;

  CLI (&run, "run", file, "--junit", junit);
  g_assert_cmpint (run.status, ==, 0);
  lines = g_strsplit (run.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 5);
  g_assert_true (g_regex_match_simple ("^✓ create a project \\(\\d+ ms\\)$", lines[0], 0, 0));
  g_assert_true (g_regex_match_simple ("^✓ read it back \\(\\d+ ms\\)$", lines[1], 0, 0));
  g_assert_true (g_str_has_prefix (lines[2], "✓ REST create via the token module ("));
  g_assert_cmpstr (lines[3], ==, "3 passed, 0 failed");

  cases = kg_test_read_junit (junit, &suite);
  g_assert_cmpstr (suite, ==, "Projects <smoke> & test");
  g_assert_cmpstr (cases, ==,
                   "create a project|\nread it back|\nREST create via the token module|");
}

static void
test_failing (void)
{
  g_autofree char *file = kg_test_write_tmp_file ("failing.json", FAILING);
  g_autofree char *junit = kg_test_tmp_path ("failing.xml");
  g_autofree char *suite = NULL;
  g_autofree char *cases = NULL;
  g_auto(KgCliRun) run = { 0 };
  g_auto(KgCliRun) json = { 0 };
  JsonArray *requests;
  JsonObject *first;
  JsonObject *second;

  /* --connection, since the file names none; --var fills {{field}} and
   * {{model}}. */
  CLI (&run, "run", file, "--connection", "alice-token", "--var", "field=name", "--var",
       "model=project.project", "--junit", junit);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.out, "✗ first <project> ("));
  g_assert_nonnull (strstr (run.out, "\n    $.result[0].name: “Internal” does not match ^qa \n"));
  g_assert_nonnull (strstr (run.out, "\n✓ count ("));
  g_assert_nonnull (strstr (run.out, "\n✗ status ("));
  g_assert_nonnull (strstr (run.out, "    Expected status 200, got 400\n"));
  g_assert_true (g_str_has_suffix (run.out, "\n1 passed, 2 failed\n"));

  cases = kg_test_read_junit (junit, &suite);
  g_assert_cmpstr (suite, ==, "Failing");
  g_assert_cmpstr (cases, ==,
                   "first <project>|$.result[0].name: “Internal” does not match ^qa \n"
                   "count|\n"
                   "status|Expected status 200, got 400");

  /* --json; without --var, {{model}} is unknown: that request fails
   * before anything is sent. */
  CLI (&json, "run", file, "--connection", "alice-token", "--var", "field=name", "--json");
  g_assert_cmpint (json.status, ==, 1);
  g_assert_false (json_object_get_boolean_member (json.json, "ok"));
  g_assert_cmpint (json_object_get_int_member (json.json, "passed"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (json.json, "failed"), ==, 3);
  requests = json_object_get_array_member (json.json, "requests");
  g_assert_cmpuint (json_array_get_length (requests), ==, 3);
  first = json_array_get_object_element (requests, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "name"), ==, "first <project>");
  g_assert_false (json_object_get_boolean_member (first, "ok"));
  g_assert_cmpint (json_object_get_int_member (first, "status"), ==, 200);
  g_assert_cmpint (json_object_get_int_member (first, "ms"), >=, 0);
  /* The call succeeded: no error, one expectation not met. */
  g_assert_true (json_object_get_null_member (first, "error"));
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (first,
                                                                                "failures"), 0),
                   ==, "$.result[0].name: “Internal” does not match ^qa ");
  second = json_array_get_object_element (requests, 1);
  g_assert_false (json_object_get_boolean_member (second, "ok"));
  g_assert_cmpint (json_object_get_int_member (second, "status"), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (second, "error"), ==,
                   "Unknown variable “model”");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (second,
                                                                                "failures"), 0),
                   ==, "Unknown variable “model”");
}

static void
test_bail (void)
{
  g_autofree char *file = kg_test_write_tmp_file ("bail.json", FAILING);
  g_autofree char *junit = kg_test_tmp_path ("bail.xml");
  g_autofree char *suite = NULL;
  g_autofree char *cases = NULL;
  g_auto(KgCliRun) run = { 0 };

  CLI (&run, "run", file, "--connection", "alice", "--var", "field=name", "--var",
       "model=project.project", "--bail", "--junit", junit);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_null (strstr (run.out, "count"));
  g_assert_true (g_str_has_suffix (run.out, "\n0 passed, 1 failed, 2 not run\n"));
  cases = kg_test_read_junit (junit, &suite);
  g_assert_cmpstr (cases, ==,
                   "first <project>|$.result[0].name: “Internal” does not match ^qa \n"
                   "count|skipped\n"
                   "status|skipped");
}

static void
test_bad_input (void)
{
  g_autofree char *bad = kg_test_write_tmp_file ("bad.json", "{\"keygate_collection\": 1, "
                                           "\"requests\": [{\"name\": \"x\"}]}");
  g_autofree char *no_connection = kg_test_write_tmp_file ("noconn.json", FAILING);
  g_autofree char *missing = g_build_filename (kg_test_get_tmpdir (), "missing.json", NULL);
  g_auto(KgCliRun) bad_run = { 0 };
  g_auto(KgCliRun) missing_run = { 0 };
  g_auto(KgCliRun) no_conn_run = { 0 };
  g_auto(KgCliRun) unknown_conn = { 0 };
  g_auto(KgCliRun) bad_var = { 0 };
  g_auto(KgCliRun) no_file = { 0 };

  CLI (&bad_run, "run", bad, "--json");
  g_assert_cmpint (bad_run.status, ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (bad_run.json,
                                                                                 "error"),
                                                  "message"), ==,
                   "bad.json: request 1 (“x”): The request has neither “call” nor “http”: give "
                   "one of them.");
  CLI (&missing_run, "run", missing);
  g_assert_cmpint (missing_run.status, ==, 2);
  g_assert_nonnull (strstr (missing_run.err, "missing.json: cannot be read: "));
  CLI (&no_conn_run, "run", no_connection);
  g_assert_cmpint (no_conn_run.status, ==, 2);
  g_assert_nonnull (strstr (no_conn_run.err, "The collection names no connection"));
  CLI (&unknown_conn, "run", no_connection, "--connection", "nobody");
  g_assert_cmpint (unknown_conn.status, ==, 2);
  CLI (&bad_var, "run", no_connection, "--connection", "alice", "--var", "novalue");
  g_assert_cmpint (bad_var.status, ==, 2);
  g_assert_nonnull (strstr (bad_var.err, "“novalue” is not a variable: write NAME=VALUE."));
  CLI (&no_file, "run");
  g_assert_cmpint (no_file.status, ==, 2);
}

static void
test_no_secret_written (void)
{
  g_autofree char *file = kg_test_write_tmp_file ("audit.json", PASSING);
  g_autofree char *junit = kg_test_tmp_path ("audit.xml");
  g_autofree char *contents = NULL;
  g_auto(KgCliRun) run = { 0 };

  CLI (&run, "run", file, "--junit", junit, "--json");
  g_assert_cmpint (run.status, ==, 0);
  g_file_get_contents (junit, &contents, NULL, NULL);
  g_assert_false (kg_test_has_token_run (contents, KG_TEST_DEMO_TOKEN_RUN));
  g_assert_false (kg_test_has_token_run (run.out, KG_TEST_DEMO_TOKEN_RUN));
  g_assert_false (kg_test_has_token_run (run.err, KG_TEST_DEMO_TOKEN_RUN));

  /* The JUnit files, the history and everything else the runs wrote. */
  for (gsize i = 0; demo_keys[i] != NULL; i++)
    g_assert_cmpuint (kg_test_assert_dir_lacks (kg_test_get_tmpdir (), demo_keys[i]), >=, 5);
}

int
main (int   argc,
      char *argv[])
{
  kg_test_init (&argc, &argv);

  g_test_add_func ("/cli/run/setup", test_setup);
  g_test_add_func ("/cli/run/passing", test_passing);
  g_test_add_func ("/cli/run/failing", test_failing);
  g_test_add_func ("/cli/run/bail", test_bail);
  g_test_add_func ("/cli/run/bad-input", test_bad_input);
  g_test_add_func ("/cli/run/no-secret-written", test_no_secret_written);

  return g_test_run ();
}
