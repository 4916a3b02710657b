/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `keygate-cli call` and `keygate-cli request` as a user runs them: a
 * subprocess with the test's XDG dirs and session keyring, against a demo
 * server in this process. */
#include "config.h"

#include <string.h>

#include "kg-test-utils.h"

#define WRONG_KEY "0123456789abcdef0123456789abcdef01234567"

/* No key ever reaches the terminal (kg_test_run_cli_argv checks). */
static const char * const demo_keys[] = {
  KG_DEMO_ALICE_KEY, KG_DEMO_BOB_KEY, WRONG_KEY, NULL
};

#define CLI(run, input, ...) \
  G_STMT_START { \
    const char *args_[] = { __VA_ARGS__, NULL }; \
    kg_test_run_cli_argv ((run), (input), demo_keys, args_); \
  } G_STMT_END

static const char *
error_kind (KgCliRun *run)
{
  return json_object_get_string_member (json_object_get_object_member (run->json, "error"),
                                        "kind");
}

static const char *
error_message (KgCliRun *run)
{
  return json_object_get_string_member (json_object_get_object_member (run->json, "error"),
                                        "message");
}

/* Adds a profile for @login on the demo server (@preset NULL: jsonrpc) and
 * stores @key for it. */
static void
add_profile (const char *name,
             const char *login,
             const char *preset,
             const char *key)
{
  KgDemoServer *server = kg_test_get_demo_server ();
  g_auto(KgCliRun) add = { 0 };
  g_auto(KgCliRun) set = { 0 };
  g_autofree char *line = g_strconcat (key, "\n", NULL);

  if (preset != NULL)
    CLI (&add, NULL, "profile", "add", name, "--url", kg_demo_server_get_url (server),
         "--db", KG_DEMO_DATABASE, "--login", login, "--protocol", "token",
         "--preset", preset, "--json");
  else
    CLI (&add, NULL, "profile", "add", name, "--url", kg_demo_server_get_url (server),
         "--db", KG_DEMO_DATABASE, "--login", login, "--json");
  g_assert_cmpint (add.status, ==, 0);
  CLI (&set, line, "key", "set", name);
  g_assert_cmpint (set.status, ==, 0);
}

static void
test_setup_profiles (void)
{
  add_profile ("alice", "alice", NULL, KG_DEMO_ALICE_KEY);
  add_profile ("bob", "bob", NULL, KG_DEMO_BOB_KEY);
  add_profile ("wrong", "alice", NULL, WRONG_KEY);
  add_profile ("alice-json2", "alice", "json2", KG_DEMO_ALICE_KEY);
  add_profile ("alice-token", "alice", "tutorial", KG_DEMO_ALICE_KEY);
  add_profile ("bob-token", "bob", "tutorial", KG_DEMO_BOB_KEY);
}

static void
test_call_jsonrpc (void)
{
  g_auto(KgCliRun) created = { 0 };
  g_auto(KgCliRun) read = { 0 };
  g_auto(KgCliRun) text = { 0 };
  g_autofree char *args = NULL;
  JsonArray *rows;
  gint64 id;

  CLI (&created, NULL, "call", "alice", "--model", "project.project", "--method", "create",
       "--args", "[{\"name\": \"CLI call\"}]", "--json");
  g_assert_cmpint (created.status, ==, 0);
  g_assert_true (json_object_get_boolean_member (created.json, "ok"));
  id = json_object_get_int_member (created.json, "result");
  g_assert_cmpint (id, >, 0);

  args = g_strdup_printf ("[[%" G_GINT64_FORMAT "]]", id);
  CLI (&read, NULL, "call", "alice", "--model", "project.project", "--method", "read",
       "--args", args, "--kwargs", "{\"fields\": [\"name\"]}", "--json");
  g_assert_cmpint (read.status, ==, 0);
  rows = json_object_get_array_member (read.json, "result");
  g_assert_cmpuint (json_array_get_length (rows), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rows, 0),
                                                  "name"), ==, "CLI call");

  /* Text mode: Odoo's result, indented. */
  CLI (&text, NULL, "call", "alice", "--model", "project.project", "--method", "read",
       "--args", args, "--kwargs", "{\"fields\": [\"name\"]}");
  g_assert_cmpint (text.status, ==, 0);
  g_assert_true (g_str_has_prefix (text.out, "[\n  {\n"));
  g_assert_nonnull (strstr (text.out, "\"name\" : \"CLI call\""));
}

static void
test_call_errors (void)
{
  g_auto(KgCliRun) denied = { 0 };
  g_auto(KgCliRun) wrong = { 0 };
  g_auto(KgCliRun) bad_args = { 0 };
  g_auto(KgCliRun) bad_text = { 0 };
  g_auto(KgCliRun) not_array = { 0 };
  g_auto(KgCliRun) no_method = { 0 };
  g_auto(KgCliRun) bad_model = { 0 };

  /* Permission: exit 4. */
  CLI (&denied, NULL, "call", "bob", "--model", "project.project", "--method", "create",
       "--args", "[{\"name\": \"Bob\"}]", "--json");
  g_assert_cmpint (denied.status, ==, 4);
  g_assert_cmpstr (error_kind (&denied), ==, "access-error");
  g_assert_nonnull (strstr (error_message (&denied), "not allowed to create"));

  /* Authentication: exit 3. */
  CLI (&wrong, NULL, "call", "wrong", "--model", "res.users", "--method", "context_get",
       "--json");
  g_assert_cmpint (wrong.status, ==, 3);
  g_assert_cmpstr (error_kind (&wrong), ==, "access-denied");

  /* Bad JSON: where and what, usage exit 2, nothing sent. */
  CLI (&bad_args, NULL, "call", "alice", "--model", "res.users", "--method", "read",
       "--args", "{\"a\": x}", "--json");
  g_assert_cmpint (bad_args.status, ==, 2);
  g_assert_cmpstr (error_kind (&bad_args), ==, "usage");
  g_assert_cmpstr (error_message (&bad_args), ==,
                   "--args: Line 1, column 7: “x” is not a JSON value: use true, false, null, "
                   "a number, or text in double quotes");

  CLI (&bad_text, NULL, "call", "alice", "--model", "res.users", "--method", "read",
       "--kwargs", "[1,");
  g_assert_cmpint (bad_text.status, ==, 2);
  g_assert_true (g_str_has_prefix (bad_text.err, "--kwargs: Line 1, column 4: a closing bracket "
                                                 "(]) is missing"));
  g_assert_nonnull (strstr (bad_text.err, "Usage: keygate-cli call"));

  CLI (&not_array, NULL, "call", "alice", "--model", "res.users", "--method", "read",
       "--args", "{}", "--json");
  g_assert_cmpint (not_array.status, ==, 2);
  g_assert_nonnull (strstr (error_message (&not_array), "JSON array"));

  CLI (&no_method, NULL, "call", "alice", "--model", "res.users", "--json");
  g_assert_cmpint (no_method.status, ==, 2);
  g_assert_nonnull (strstr (error_message (&no_method), "--method"));

  CLI (&bad_model, NULL, "call", "alice", "--model", "res users", "--method", "read", "--json");
  g_assert_cmpint (bad_model.status, ==, 2);
  g_assert_nonnull (strstr (error_message (&bad_model), "not an Odoo model name"));
}

static void
test_call_json2 (void)
{
  g_auto(KgCliRun) read = { 0 };
  g_auto(KgCliRun) unmapped = { 0 };
  g_auto(KgCliRun) curl = { 0 };
  JsonArray *rows;

  /* Positional args become JSON-2's named arguments. */
  CLI (&read, NULL, "call", "alice-json2", "--model", "project.project", "--method", "read",
       "--args", "[[1], [\"name\"]]", "--json");
  g_assert_cmpint (read.status, ==, 0);
  rows = json_object_get_array_member (read.json, "result");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rows, 0),
                                                  "name"), ==, "Internal");

  CLI (&unmapped, NULL, "call", "alice-json2", "--model", "res.users", "--method", "has_group",
       "--args", "[[6], \"base.group_user\"]", "--json");
  g_assert_cmpint (unmapped.status, ==, 2);
  g_assert_cmpstr (error_kind (&unmapped), ==, "invalid-input");
  g_assert_nonnull (strstr (error_message (&unmapped), "kwargs"));

  /* --print-curl: the request as curl, the key as a variable. */
  CLI (&curl, NULL, "call", "alice-json2", "--model", "res.users", "--method", "context_get",
       "--print-curl");
  g_assert_cmpint (curl.status, ==, 0);
  g_assert_true (g_str_has_prefix (curl.out, "curl "));
  g_assert_nonnull (strstr (curl.out, "/json/2/res.users/context_get"));
  g_assert_nonnull (strstr (curl.out, "$ODOO_API_KEY"));
  g_assert_nonnull (strstr (curl.out, "\"uid\""));
}

static void
test_request (void)
{
  g_auto(KgCliRun) created = { 0 };
  g_auto(KgCliRun) anonymous = { 0 };
  g_auto(KgCliRun) forbidden = { 0 };
  g_auto(KgCliRun) missing = { 0 };
  g_auto(KgCliRun) text = { 0 };
  JsonObject *body;

  CLI (&created, NULL, "request", "alice-token", "post", "/api/project/create",
       "--auth", "token", "--json-body", "{\"project_name\": \"CLI request\"}", "--json");
  g_assert_cmpint (created.status, ==, 0);
  g_assert_true (json_object_get_boolean_member (created.json, "ok"));
  g_assert_cmpint (json_object_get_int_member (created.json, "status"), ==, 200);
  body = json_object_get_object_member (created.json, "body");
  g_assert_cmpint (json_object_get_int_member (body, "project_id"), >, 0);
  g_assert_false (json_object_has_member (created.json, "error"));

  /* No token: 401, exit 3, the body still shown, said as a missing token. */
  CLI (&anonymous, NULL, "request", "alice-token", "POST", "/api/project/create",
       "--json-body", "{\"project_name\": \"x\"}", "--json");
  g_assert_cmpint (anonymous.status, ==, 3);
  g_assert_false (json_object_get_boolean_member (anonymous.json, "ok"));
  g_assert_cmpint (json_object_get_int_member (anonymous.json, "status"), ==, 401);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_object_get_member (anonymous.json, "body")));
  g_assert_cmpstr (error_kind (&anonymous), ==, "token-missing");

  /* Bob's token: 403, exit 4. */
  CLI (&forbidden, NULL, "request", "bob-token", "POST", "/api/project/create",
       "--auth", "token", "--json-body", "{\"project_name\": \"Bob\"}", "--json");
  g_assert_cmpint (forbidden.status, ==, 4);
  g_assert_cmpint (json_object_get_int_member (forbidden.json, "status"), ==, 403);

  /* An HTML 404: the body as text, exit 6. */
  CLI (&missing, NULL, "request", "alice", "GET", "/no/such/page", "--query", "a=b c",
       "--json");
  g_assert_cmpint (missing.status, ==, 6);
  g_assert_cmpint (json_object_get_int_member (missing.json, "status"), ==, 404);
  g_assert_nonnull (strstr (json_object_get_string_member (missing.json, "body"), "<html>"));
  g_assert_cmpstr (error_kind (&missing), ==, "http-status");

  /* Text mode: the status line, then the body. */
  CLI (&text, NULL, "request", "alice", "POST", "/web/webclient/version_info",
       "--header", "X-Trace: 1", "--json-body", "{}");
  g_assert_cmpint (text.status, ==, 0);
  g_assert_true (g_str_has_prefix (text.out, "HTTP 200 OK\n{\n"));
  g_assert_nonnull (strstr (text.out, "\"server_version\""));
}

static void
test_request_usage (void)
{
  g_auto(KgCliRun) origin = { 0 };
  g_auto(KgCliRun) bodies = { 0 };
  g_auto(KgCliRun) bad_json = { 0 };
  g_auto(KgCliRun) bad_header = { 0 };
  g_auto(KgCliRun) bad_auth = { 0 };
  g_auto(KgCliRun) bad_method = { 0 };
  g_auto(KgCliRun) allowed_with_key = { 0 };

  CLI (&origin, NULL, "request", "alice", "GET", "https://elsewhere.example/x", "--json");
  g_assert_cmpint (origin.status, ==, 2);
  g_assert_nonnull (strstr (error_message (&origin), "--allow-origin https://elsewhere.example"));

  CLI (&allowed_with_key, NULL, "request", "alice", "GET", "https://elsewhere.example/x",
       "--allow-origin", "https://elsewhere.example", "--auth", "api-key", "--json");
  g_assert_cmpint (allowed_with_key.status, ==, 2);
  g_assert_nonnull (strstr (error_message (&allowed_with_key), "never sends the API key"));

  CLI (&bodies, NULL, "request", "alice", "POST", "/x", "--data", "a", "--form", "b=c",
       "--json");
  g_assert_cmpint (bodies.status, ==, 2);
  g_assert_nonnull (strstr (error_message (&bodies), "only one body"));

  CLI (&bad_json, NULL, "request", "alice", "POST", "/x", "--json-body", "{\"a\": x}", "--json");
  g_assert_cmpint (bad_json.status, ==, 2);
  g_assert_true (g_str_has_prefix (error_message (&bad_json), "--json-body: Line 1, column 7: "));

  CLI (&bad_header, NULL, "request", "alice", "GET", "/x", "--header", "NoColon", "--json");
  g_assert_cmpint (bad_header.status, ==, 2);
  g_assert_nonnull (strstr (error_message (&bad_header), "NAME:VALUE"));

  CLI (&bad_auth, NULL, "request", "alice", "GET", "/x", "--auth", "basic", "--json");
  g_assert_cmpint (bad_auth.status, ==, 2);

  CLI (&bad_method, NULL, "request", "alice", "TRACE", "/x", "--json");
  g_assert_cmpint (bad_method.status, ==, 2);
  g_assert_nonnull (strstr (error_message (&bad_method), "TRACE"));
}

static void
test_request_print_curl (void)
{
  g_auto(KgCliRun) run = { 0 };
  g_auto(KgCliRun) json = { 0 };
  JsonArray *lines;

  CLI (&run, NULL, "request", "alice-token", "POST", "/api/project/create", "--auth", "token",
       "--json-body", "{\"project_name\": \"curl\"}", "--print-curl");
  g_assert_cmpint (run.status, ==, 0);
  /* The exchange, then the call; after sending. */
  g_assert_true (g_str_has_prefix (run.out, "curl "));
  g_assert_nonnull (strstr (run.out, "$ODOO_API_KEY"));
  g_assert_nonnull (strstr (run.out, "$ODOO_TOKEN"));
  g_assert_nonnull (strstr (run.out, "HTTP 200"));

  CLI (&json, NULL, "request", "alice", "POST", "/api/key/project/create", "--auth", "api-key",
       "--json-body", "{\"project_name\": \"curl\"}", "--print-curl", "--json");
  lines = json_object_get_array_member (json.json, "curl");
  g_assert_cmpuint (json_array_get_length (lines), ==, 1);
  g_assert_nonnull (strstr (json_array_get_string_element (lines, 0), "$ODOO_API_KEY"));
}

/* Last: nothing the CLI wrote holds a key, and the token exchanges in the
 * history show the token only as a placeholder (every call of a CLI run
 * gets a new token, so the test cannot know the tokens themselves). */
static void
test_no_secret_written (void)
{
  g_autofree char *history = g_build_filename (kg_test_get_tmpdir (), "state", "keygate",
                                               "history.jsonl", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  guint exchanges = 0;

  g_file_get_contents (history, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (g_strchomp (contents), "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonNode) node = json_from_string (lines[i], &error);
      JsonObject *object;

      g_assert_no_error (error);
      object = json_node_get_object (node);
      if (g_strcmp0 (json_object_get_string_member_with_default (object, "label", ""),
                     "token exchange") == 0)
        {
          exchanges++;
          g_assert_nonnull (strstr (lines[i], "\\\"access_token\\\":\\\"<REDACTED>\\\""));
        }
    }
  g_assert_cmpuint (exchanges, >=, 3);
  g_assert_cmpuint (g_strv_length (lines), >=, 20);

  for (gsize i = 0; demo_keys[i] != NULL; i++)
    g_assert_cmpuint (kg_test_assert_dir_lacks (kg_test_get_tmpdir (), demo_keys[i]), >=, 2);
}

int
main (int   argc,
      char *argv[])
{
  kg_test_init (&argc, &argv);

  g_test_add_func ("/cli/call/setup-profiles", test_setup_profiles);
  g_test_add_func ("/cli/call/jsonrpc", test_call_jsonrpc);
  g_test_add_func ("/cli/call/errors", test_call_errors);
  g_test_add_func ("/cli/call/json2", test_call_json2);
  g_test_add_func ("/cli/request/basics", test_request);
  g_test_add_func ("/cli/request/usage", test_request_usage);
  g_test_add_func ("/cli/request/print-curl", test_request_print_curl);
  g_test_add_func ("/cli/workbench-audit/no-secret-written", test_no_secret_written);

  return g_test_run ();
}
