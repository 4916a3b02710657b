/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The request workbench against a real Odoo 18 or 19: `keygate-cli call`,
 * `keygate-cli request` and `keygate-cli run` as a user runs them, on
 * JSON-RPC connections and, when the server is Odoo 19 or later, on JSON-2
 * connections too; the token route when the companion module
 * keygate_token_api is installed.
 *
 * Set KEYGATE_ODOO_URL, KEYGATE_ODOO_DB, KEYGATE_ODOO_ALICE_KEY and
 * KEYGATE_ODOO_BOB_KEY, or name a file of such lines in
 * KEYGATE_ODOO_ENV_FILE; see docs/HACKING.md, "Real Odoo integration
 * tests". Skipped (exit 77) when they are not set. */
#include "config.h"

#include <string.h>

#include "kg-test-utils.h"

/* What the server turned out to be (test_setup). */
static int server_major;
static gboolean has_token_module;

#define env kg_test_odoo_env

/* keygate-cli with the NULL-terminated arguments; no key given to the
 * suite may appear on its stdout or stderr. */
#define cli(run, input, ...) \
  kg_test_run_cli ((run), (input), kg_test_odoo_secrets (), __VA_ARGS__)

static const char *
error_kind (KgCliRun *run)
{
  JsonObject *error = json_object_get_object_member (run->json, "error");

  g_assert_nonnull (error);
  return json_object_get_string_member (error, "kind");
}

static void
add_profile (const char *name,
             const char *login,
             const char *preset,
             const char *key)
{
  g_auto(KgCliRun) add = { 0 };
  g_auto(KgCliRun) set = { 0 };
  g_autofree char *line = g_strconcat (key, "\n", NULL);

  if (preset != NULL)
    cli (&add, NULL, "profile", "add", name, "--url", env ("KEYGATE_ODOO_URL"), "--db",
         env ("KEYGATE_ODOO_DB"), "--login", login, "--protocol", "token", "--preset", preset,
         "--json", NULL);
  else
    cli (&add, NULL, "profile", "add", name, "--url", env ("KEYGATE_ODOO_URL"), "--db",
         env ("KEYGATE_ODOO_DB"), "--login", login, "--json", NULL);
  g_assert_cmpint (add.status, ==, 0);
  cli (&set, line, "key", "set", name, NULL);
  g_assert_cmpint (set.status, ==, 0);
}

/* The connections every test below uses, and what the server is: its
 * version, asked through an HTTP route (Odoo's JSON-RPC route
 * /web/webclient/version_info, a JSON body in, the envelope out), and
 * whether the token module answers. */
static void
test_setup (void)
{
  g_auto(KgCliRun) version = { 0 };
  g_auto(KgCliRun) exchange = { 0 };
  JsonObject *body;
  JsonObject *result;
  JsonArray *info;

  add_profile ("alice", "alice", NULL, env ("KEYGATE_ODOO_ALICE_KEY"));
  add_profile ("bob", "bob", NULL, env ("KEYGATE_ODOO_BOB_KEY"));

  cli (&version, NULL, "request", "alice", "POST", "/web/webclient/version_info", "--auth",
       "none", "--json-body", "{\"jsonrpc\": \"2.0\", \"method\": \"call\", \"params\": {}}",
       "--json", NULL);
  g_assert_cmpint (version.status, ==, 0);
  g_assert_cmpint (json_object_get_int_member (version.json, "status"), ==, 200);
  body = json_object_get_object_member (version.json, "body");
  g_assert_nonnull (body);
  result = json_object_get_object_member (body, "result");
  g_assert_nonnull (result);
  info = json_object_get_array_member (result, "server_version_info");
  g_assert_nonnull (info);
  server_major = json_array_get_int_element (info, 0);
  g_assert_cmpint (server_major, >=, 18);
  g_test_message ("Odoo %s", json_object_get_string_member (result, "server_version"));

  if (server_major >= 19)
    {
      add_profile ("alice-json2", "alice", "json2", env ("KEYGATE_ODOO_ALICE_KEY"));
      add_profile ("bob-json2", "bob", "json2", env ("KEYGATE_ODOO_BOB_KEY"));
    }

  /* Without credentials the module answers 400 or 401; without the module
   * Odoo answers 404. */
  cli (&exchange, NULL, "request", "alice", "POST", "/auth/token/apikey", "--auth", "none",
       "--json", NULL);
  g_assert_cmpint (exchange.status, !=, 0);
  has_token_module = json_object_get_int_member (exchange.json, "status") != 404;
  if (has_token_module)
    add_profile ("alice-token", "alice", "tutorial", env ("KEYGATE_ODOO_ALICE_KEY"));
}

/* Creates a project as alice through @connection, reads it back, counts
 * it, and has bob refused: what a model call means on that transport. */
static void
check_model_calls (const char *alice,
                   const char *bob)
{
  g_autofree char *name = g_strdup_printf ("Keygate workbench %s %" G_GINT64_FORMAT, alice,
                                           g_get_real_time ());
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) args_node = NULL;
  g_autofree char *args = NULL;
  g_autofree char *read_args = NULL;
  g_autofree char *count_args = NULL;
  g_auto(KgCliRun) created = { 0 };
  g_auto(KgCliRun) read = { 0 };
  g_auto(KgCliRun) count = { 0 };
  g_auto(KgCliRun) denied = { 0 };
  JsonArray *ids;
  JsonArray *records;
  gint64 id;

  /* [[{"name": name}]]: one vals_list, built so the name is escaped. */
  json_builder_begin_array (builder);
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_array (builder);
  args_node = json_builder_get_root (builder);
  args = json_to_string (args_node, FALSE);

  cli (&created, NULL, "call", alice, "--model", "project.project", "--method", "create",
       "--args", args, "--json", NULL);
  g_assert_cmpint (created.status, ==, 0);
  ids = json_object_get_array_member (created.json, "result");
  g_assert_nonnull (ids);
  g_assert_cmpuint (json_array_get_length (ids), ==, 1);
  id = json_array_get_int_element (ids, 0);
  g_assert_cmpint (id, >, 0);

  read_args = g_strdup_printf ("[[%" G_GINT64_FORMAT "]]", id);
  cli (&read, NULL, "call", alice, "--model", "project.project", "--method", "read", "--args",
       read_args, "--kwargs", "{\"fields\": [\"name\"]}", "--json", NULL);
  g_assert_cmpint (read.status, ==, 0);
  records = json_object_get_array_member (read.json, "result");
  g_assert_cmpuint (json_array_get_length (records), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (records, 0),
                                                  "name"), ==, name);

  count_args = g_strdup_printf ("[[[\"id\", \"=\", %" G_GINT64_FORMAT "]]]", id);
  cli (&count, NULL, "call", alice, "--model", "project.project", "--method", "search_count",
       "--args", count_args, "--json", NULL);
  g_assert_cmpint (count.status, ==, 0);
  g_assert_cmpint (json_object_get_int_member (count.json, "result"), ==, 1);

  cli (&denied, NULL, "call", bob, "--model", "project.project", "--method", "create",
       "--args", "[[{\"name\": \"Bob may not\"}]]", "--json", NULL);
  g_assert_cmpint (denied.status, ==, KG_EXIT_PERMISSION);
  g_assert_cmpstr (error_kind (&denied), ==, "access-error");
  g_assert_nonnull (strstr (json_object_get_string_member (
                              json_object_get_object_member (denied.json, "error"), "message"),
                            "project.project"));
}

static void
test_call_jsonrpc (void)
{
  check_model_calls ("alice", "bob");
}

static void
test_call_json2 (void)
{
  g_auto(KgCliRun) unmapped = { 0 };
  g_auto(KgCliRun) named = { 0 };
  JsonObject *context;

  if (server_major < 19)
    {
      g_test_skip ("JSON-2 needs Odoo 19 or later");
      return;
    }
  check_model_calls ("alice-json2", "bob-json2");

  /* A method whose positional names Keygate does not know: said before
   * anything is sent; the same method with named arguments works. */
  cli (&unmapped, NULL, "call", "alice-json2", "--model", "res.users", "--method", "has_group",
       "--args", "[\"base.group_user\"]", "--json", NULL);
  g_assert_cmpint (unmapped.status, ==, KG_EXIT_USAGE);
  g_assert_cmpstr (error_kind (&unmapped), ==, "invalid-input");
  cli (&named, NULL, "call", "alice-json2", "--model", "res.users", "--method", "context_get",
       "--json", NULL);
  g_assert_cmpint (named.status, ==, 0);
  context = json_object_get_object_member (named.json, "result");
  g_assert_nonnull (context);
  g_assert_true (json_object_has_member (context, "uid"));
}

/* HTTP routes: a public one, a missing one, and with the key as the
 * connection's bearer (JSON-2) or through the token module. */
static void
test_request (void)
{
  g_auto(KgCliRun) health = { 0 };
  g_auto(KgCliRun) missing = { 0 };

  cli (&health, NULL, "request", "alice", "GET", "/web/health", "--auth", "none", "--json",
       NULL);
  g_assert_cmpint (health.status, ==, 0);
  g_assert_cmpint (json_object_get_int_member (health.json, "status"), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (health.json,
                                                                                 "body"),
                                                  "status"), ==, "pass");

  /* Odoo's 404 is an HTML page: kept as text, classified, not a crash. */
  cli (&missing, NULL, "request", "alice", "GET", "/keygate/no/such/route", "--auth", "none",
       "--json", NULL);
  g_assert_cmpint (missing.status, !=, 0);
  g_assert_cmpint (json_object_get_int_member (missing.json, "status"), ==, 404);
  g_assert_cmpstr (error_kind (&missing), ==, "http-status");
  g_assert_true (JSON_NODE_HOLDS_VALUE (json_object_get_member (missing.json, "body")));

  if (server_major >= 19)
    {
      g_auto(KgCliRun) counted = { 0 };
      g_auto(KgCliRun) refused = { 0 };

      cli (&counted, NULL, "request", "alice-json2", "POST", "/json/2/project.project/search_count",
           "--auth", "api-key", "--json-body", "{\"domain\": []}", "--json", NULL);
      g_assert_cmpint (counted.status, ==, 0);
      g_assert_cmpint (json_object_get_int_member (counted.json, "body"), >, 0);

      /* JSON-2 says no with a real HTTP status. */
      cli (&refused, NULL, "request", "bob-json2", "POST", "/json/2/project.project/create",
           "--auth", "api-key", "--json-body", "{\"vals_list\": [{\"name\": \"Bob may not\"}]}",
           "--json", NULL);
      g_assert_cmpint (refused.status, ==, KG_EXIT_PERMISSION);
      g_assert_cmpint (json_object_get_int_member (refused.json, "status"), ==, 403);
      g_assert_cmpstr (error_kind (&refused), ==, "access-error");
    }

  if (has_token_module)
    {
      g_auto(KgCliRun) created = { 0 };
      g_auto(KgCliRun) no_token = { 0 };
      g_auto(KgCliRun) curl = { 0 };

      cli (&created, NULL, "request", "alice-token", "POST", "/api/project/create", "--auth",
           "token", "--json-body", "{\"project_name\": \"Keygate workbench REST\"}", "--json",
           NULL);
      g_assert_cmpint (created.status, ==, 0);
      g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (created.json,
                                                                                  "body"),
                                                   "project_id"), >, 0);

      /* The key where the route wants a token: said so, with the way out. */
      cli (&no_token, NULL, "request", "alice-token", "POST", "/api/project/create", "--auth",
           "api-key", "--json-body", "{\"project_name\": \"Keygate workbench\"}", "--json",
           NULL);
      g_assert_cmpint (no_token.status, ==, KG_EXIT_AUTH);
      g_assert_cmpint (json_object_get_int_member (no_token.json, "status"), ==, 401);
      g_assert_cmpstr (error_kind (&no_token), ==, "token-missing");

      /* The curl text names the token and the key as variables only. */
      cli (&curl, NULL, "request", "alice-token", "POST", "/api/project/create", "--auth",
           "token", "--json-body", "{\"project_name\": \"Keygate workbench curl\"}",
           "--print-curl", NULL);
      g_assert_cmpint (curl.status, ==, 0);
      g_assert_nonnull (strstr (curl.out, "-H \"X-API-Key: $ODOO_API_KEY\""));
      g_assert_nonnull (strstr (curl.out, "-H \"Authorization: Bearer $ODOO_TOKEN\""));
    }
}

/* A collection as people write it: a create whose ID is captured, read
 * back and counted through the capture, a public route, the REST route
 * when the module is there. */
static const char collection_head[] =
  "{\n"
  "  \"keygate_collection\": 1,\n"
  "  \"name\": \"Real Odoo smoke test\",\n"
  "  \"variables\": { \"prefix\": \"qa\" },\n"
  "  \"requests\": [\n"
  "    { \"name\": \"create a project\",\n"
  "      \"call\": { \"model\": \"project.project\", \"method\": \"create\",\n"
  "                \"args\": [[{ \"name\": \"{{prefix}} {{$uuid}}\" }]] },\n"
  "      \"capture\": { \"project_id\": \"$.result[0]\" },\n"
  "      \"expect\": { \"ok\": true } },\n"
  "    { \"name\": \"read it back\",\n"
  "      \"call\": { \"model\": \"project.project\", \"method\": \"read\",\n"
  "                \"args\": [[\"{{project_id}}\"]], \"kwargs\": { \"fields\": [\"name\"] } },\n"
  "      \"expect\": { \"ok\": true, \"json\": { \"$.result[0].name\": { \"matches\": \"^qa \" } } } },\n"
  "    { \"name\": \"count it\",\n"
  "      \"call\": { \"model\": \"project.project\", \"method\": \"search_count\",\n"
  "                \"args\": [[[\"id\", \"=\", \"{{project_id}}\"]]] },\n"
  "      \"expect\": { \"json\": { \"$.result\": { \"equals\": 1 } } } },\n"
  "    { \"name\": \"health\",\n"
  "      \"http\": { \"method\": \"GET\", \"path\": \"/web/health\", \"auth\": \"none\" },\n"
  "      \"expect\": { \"status\": 200, \"json\": { \"$.status\": { \"equals\": \"pass\" } } } }";
static const char collection_rest[] =
  ",\n"
  "    { \"name\": \"REST create via the token module\",\n"
  "      \"http\": { \"method\": \"POST\", \"path\": \"/api/project/create\", \"auth\": \"token\",\n"
  "                \"json\": { \"project_name\": \"{{prefix}} rest\" } },\n"
  "      \"expect\": { \"status\": 200, \"json\": { \"$.project_id\": { \"exists\": true } } } }";
static const char collection_failing[] =
  ",\n"
  "    { \"name\": \"a wrong expectation\",\n"
  "      \"call\": { \"model\": \"project.project\", \"method\": \"search_count\",\n"
  "                \"args\": [[[\"id\", \"=\", \"{{project_id}}\"]]] },\n"
  "      \"expect\": { \"json\": { \"$.result\": { \"equals\": 2 } } } }";

static char *
write_collection (const char *file,
                  gboolean    rest,
                  gboolean    failing)
{
  g_autoptr(GString) text = g_string_new (collection_head);

  if (rest)
    g_string_append (text, collection_rest);
  if (failing)
    g_string_append (text, collection_failing);
  g_string_append (text, "\n  ]\n}\n");
  return kg_test_write_tmp_file (file, text->str);
}

static void
check_run (const char *connection,
           const char *tag)
{
  gboolean rest = has_token_module && g_str_equal (connection, "alice-token");
  g_autofree char *passing_name = g_strdup_printf ("passing-%s.json", tag);
  g_autofree char *failing_name = g_strdup_printf ("failing-%s.json", tag);
  g_autofree char *junit_name = g_strdup_printf ("run-%s.xml", tag);
  g_autofree char *passing = write_collection (passing_name, rest, FALSE);
  g_autofree char *failing = write_collection (failing_name, rest, TRUE);
  g_autofree char *junit = kg_test_tmp_path (junit_name);
  g_autofree char *suite = NULL;
  g_autofree char *cases = NULL;
  g_autofree char *summary = NULL;
  g_auto(KgCliRun) run = { 0 };
  g_auto(KgCliRun) failed = { 0 };
  guint n = rest ? 5 : 4;
  JsonArray *requests;
  JsonObject *last;

  cli (&run, NULL, "run", passing, "--connection", connection, "--junit", junit, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_regex_match_simple ("^✓ create a project \\(\\d+ ms\\)\n", run.out, 0, 0));
  summary = g_strdup_printf ("\n%u passed, 0 failed\n", n);
  g_assert_true (g_str_has_suffix (run.out, summary));

  cases = kg_test_read_junit (junit, &suite);
  g_assert_cmpstr (suite, ==, "Real Odoo smoke test");
  if (rest)
    g_assert_cmpstr (cases, ==, "create a project|\nread it back|\ncount it|\nhealth|\n"
                                "REST create via the token module|");
  else
    g_assert_cmpstr (cases, ==, "create a project|\nread it back|\ncount it|\nhealth|");

  /* One expectation the server's answer cannot meet: exit 1, said. */
  cli (&failed, NULL, "run", failing, "--connection", connection, "--json", NULL);
  g_assert_cmpint (failed.status, ==, 1);
  g_assert_cmpint (json_object_get_int_member (failed.json, "passed"), ==, n);
  g_assert_cmpint (json_object_get_int_member (failed.json, "failed"), ==, 1);
  requests = json_object_get_array_member (failed.json, "requests");
  last = json_array_get_object_element (requests, json_array_get_length (requests) - 1);
  g_assert_cmpstr (json_object_get_string_member (last, "name"), ==, "a wrong expectation");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (last,
                                                                                "failures"), 0),
                   ==, "$.result: expected 2, got 1");
}

static void
test_run_jsonrpc (void)
{
  check_run ("alice", "jsonrpc");
}

static void
test_run_json2 (void)
{
  if (server_major < 19)
    {
      g_test_skip ("JSON-2 needs Odoo 19 or later");
      return;
    }
  check_run ("alice-json2", "json2");
}

static void
test_run_token (void)
{
  if (!has_token_module)
    {
      g_test_skip ("POST /auth/token/apikey answers 404: keygate_token_api is not installed");
      return;
    }
  check_run ("alice-token", "token");
}

/* No key in any file the runs wrote (collections, JUnit, history,
 * settings); the tokens the module handed out are not known here, so the
 * JUnit files must hold nothing shaped like one, no bearer header in the
 * history may carry one, and every token member there is a placeholder. */
static void
test_no_secret_written (void)
{
  g_autoptr(GDir) dir = NULL;
  g_autofree char *history = NULL;
  g_autofree char *history_text = NULL;
  const char *name;
  guint junit_files = 0;

  for (const char * const *secret = kg_test_odoo_secrets (); *secret != NULL; secret++)
    g_assert_cmpuint (kg_test_assert_dir_lacks (kg_test_get_tmpdir (), *secret), >=, 5);

  dir = g_dir_open (kg_test_get_tmpdir (), 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".xml"))
      {
        g_autofree char *path = kg_test_tmp_path (name);
        g_autofree char *contents = NULL;

        g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
        g_assert_false (kg_test_has_token_run (contents, 40));
        junit_files++;
      }
  g_assert_cmpuint (junit_files, >, 0);

  /* Where KgHistory writes it: $XDG_STATE_HOME, which isolated.sh sets. */
  g_assert_nonnull (g_getenv ("XDG_STATE_HOME"));
  history = g_build_filename (g_getenv ("XDG_STATE_HOME"), "keygate", "history.jsonl", NULL);
  g_assert_true (g_file_get_contents (history, &history_text, NULL, NULL));
  g_assert_nonnull (strstr (history_text, "project.project"));
  if (has_token_module)
    {
      g_autoptr(GRegex) bearer = g_regex_new ("Bearer [A-Za-z0-9_.~+/-]{16}", 0, 0, NULL);
      g_autoptr(GRegex) member = g_regex_new ("\\\\\"access_token\\\\\" *: *\\\\\"(?!<TOKEN>|<REDACTED>)",
                                              0, 0, NULL);

      g_assert_nonnull (strstr (history_text, "Bearer <TOKEN>"));
      g_assert_false (g_regex_match (bearer, history_text, 0, NULL));
      g_assert_false (g_regex_match (member, history_text, 0, NULL));
    }
}

int
main (int   argc,
      char *argv[])
{
  static const char * const needed[] = {
    "KEYGATE_ODOO_URL", "KEYGATE_ODOO_DB", "KEYGATE_ODOO_ALICE_KEY", "KEYGATE_ODOO_BOB_KEY", NULL
  };
  int rc;

  kg_test_init (&argc, &argv);
  if ((rc = kg_test_odoo_skip_unless ("/integration/workbench/not-configured", needed)) >= 0)
    return rc;

  g_test_add_func ("/integration/workbench/setup", test_setup);
  g_test_add_func ("/integration/workbench/call-jsonrpc", test_call_jsonrpc);
  g_test_add_func ("/integration/workbench/call-json2", test_call_json2);
  g_test_add_func ("/integration/workbench/request", test_request);
  g_test_add_func ("/integration/workbench/run-jsonrpc", test_run_jsonrpc);
  g_test_add_func ("/integration/workbench/run-json2", test_run_json2);
  g_test_add_func ("/integration/workbench/run-token", test_run_token);
  g_test_add_func ("/integration/workbench/no-secret-written", test_no_secret_written);

  return g_test_run ();
}
