/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `keygate-cli token` as a user runs it: a subprocess with the test's XDG
 * dirs and session keyring, against a demo server in this process. */
#include "config.h"

#include <string.h>

#include "kg-test-utils.h"

#define WRONG_KEY "0123456789abcdef0123456789abcdef01234567"

/* No key ever reaches the terminal. */
static const char * const demo_keys[] = {
  KG_DEMO_ALICE_KEY, KG_DEMO_BOB_KEY, KG_DEMO_EXPIRED_KEY, WRONG_KEY, NULL
};

/* Every token the CLI showed with --show-token: must reach no file. */
static GPtrArray *shown_tokens;

#define CLI(run, input, ...) \
  G_STMT_START { \
    const char *args_[] = { __VA_ARGS__, NULL }; \
    kg_test_run_cli_argv ((run), (input), demo_keys, args_); \
  } G_STMT_END

static const char *
error_kind (KgCliRun *run)
{
  return json_object_get_string_member (json_object_get_object_member (run->json, "error"), "kind");
}

static void
add_profile (const char *name,
             const char *url,
             const char *database,
             const char *key)
{
  g_auto(KgCliRun) add = { 0 };
  g_auto(KgCliRun) set = { 0 };
  g_autofree char *line = key ? g_strconcat (key, "\n", NULL) : NULL;

  CLI (&add, NULL, "profile", "add", name, "--url", url, "--db", database,
       "--login", "alice", "--protocol", "token", "--json");
  g_assert_cmpint (add.status, ==, 0);
  if (key != NULL)
    {
      CLI (&set, line, "key", "set", name);
      g_assert_cmpint (set.status, ==, 0);
    }
}

static void
test_token_json (void)
{
  KgDemoServer *server = kg_test_get_demo_server ();
  g_auto(KgCliRun) run = { 0 };
  g_auto(KgCliRun) shown = { 0 };
  g_autoptr(GDateTime) expires = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  const char *masked;
  const char *token;
  guint before = kg_demo_server_get_path_count (server, "/auth/token/apikey");

  add_profile ("alice-token", kg_demo_server_get_url (server), KG_DEMO_DATABASE, KG_DEMO_ALICE_KEY);

  CLI (&run, NULL, "token", "alice-token", "--json");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (json_object_get_string_member (run.json, "token_type"), ==, "Bearer");
  g_assert_cmpint (json_object_get_int_member (run.json, "expires_in"), >, 3500);
  g_assert_cmpint (json_object_get_int_member (run.json, "expires_in"), <=, 3600);
  expires = g_date_time_new_from_iso8601 (json_object_get_string_member (run.json, "expires_at"),
                                          utc);
  g_assert_nonnull (expires);
  g_assert_cmpint (g_date_time_difference (expires, now) / G_USEC_PER_SEC, >, 3500);
  masked = json_object_get_string_member (run.json, "token");
  /* "abcd…wxyz": 4 + the ellipsis + 4 characters. */
  g_assert_cmpint (g_utf8_strlen (masked, -1), ==, 9);
  g_assert_nonnull (strstr (masked, "…"));
  g_assert_false (kg_test_has_token_run (run.out, KG_TEST_DEMO_TOKEN_RUN));
  g_assert_cmpuint (kg_demo_server_get_path_count (server, "/auth/token/apikey"), ==, before + 1);

  /* --show-token prints the token itself, and it is the one masked above
   * in shape: a fresh exchange, 43 URL-safe characters. */
  CLI (&shown, NULL, "token", "alice-token", "--json", "--show-token");
  g_assert_cmpint (shown.status, ==, 0);
  token = json_object_get_string_member (shown.json, "token");
  g_assert_cmpuint (strlen (token), ==, 43);
  g_assert_true (kg_test_has_token_run (token, KG_TEST_DEMO_TOKEN_RUN));
  g_ptr_array_add (shown_tokens, g_strdup (token));
}

static void
test_token_human (void)
{
  KgDemoServer *server = kg_test_get_demo_server ();
  g_auto(KgCliRun) run = { 0 };

  add_profile ("alice-human", kg_demo_server_get_url (server), KG_DEMO_DATABASE, KG_DEMO_ALICE_KEY);
  CLI (&run, NULL, "token", "alice-human");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Bearer"));
  g_assert_nonnull (strstr (run.out, "…"));
  g_assert_nonnull (strstr (run.out, " s "));
  g_assert_false (kg_test_has_token_run (run.out, KG_TEST_DEMO_TOKEN_RUN));
  g_assert_cmpstr (run.err, ==, "");
}

static void
test_token_print_curl (void)
{
  KgDemoServer *server = kg_test_get_demo_server ();
  g_auto(KgCliRun) run = { 0 };
  g_auto(KgCliRun) json = { 0 };
  JsonArray *lines;

  add_profile ("alice-curl", kg_demo_server_get_url (server), KG_DEMO_DATABASE, KG_DEMO_ALICE_KEY);
  CLI (&run, NULL, "token", "alice-curl", "--print-curl");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "curl "));
  g_assert_nonnull (strstr (run.out, "$ODOO_API_KEY"));
  g_assert_nonnull (strstr (run.out, "/auth/token/apikey"));
  g_assert_nonnull (strstr (run.out, "Bearer"));

  CLI (&json, NULL, "token", "alice-curl", "--print-curl", "--json");
  g_assert_cmpint (json.status, ==, 0);
  lines = json_object_get_array_member (json.json, "curl");
  g_assert_cmpuint (json_array_get_length (lines), ==, 1);
  g_assert_nonnull (strstr (json_array_get_string_element (lines, 0), "$ODOO_API_KEY"));
}

static void
test_token_errors (void)
{
  KgDemoServer *server = kg_test_get_demo_server ();
  const char *url = kg_demo_server_get_url (server);
  g_autofree char *closed_url = kg_test_closed_url ();
  struct {
    const char *profile;
    const char *url;
    const char *database;
    const char *key;
    int exit_code;
    const char *kind;
  } cases[] = {
    { "wrong-key", url, KG_DEMO_DATABASE, WRONG_KEY, KG_EXIT_AUTH, "access-denied" },
    { "expired-key", url, KG_DEMO_DATABASE, KG_DEMO_EXPIRED_KEY, KG_EXIT_AUTH, "access-denied" },
    { "unknown-db", url, "no_such_db", KG_DEMO_ALICE_KEY, KG_EXIT_SERVER, "unknown-database" },
    { "no-server", closed_url, KG_DEMO_DATABASE, KG_DEMO_ALICE_KEY, KG_EXIT_CONNECTION,
      "network" },
    { "no-key", url, KG_DEMO_DATABASE, NULL, KG_EXIT_KEYRING, "key-not-found" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(KgCliRun) run = { 0 };
      g_auto(KgCliRun) human = { 0 };

      add_profile (cases[i].profile, cases[i].url, cases[i].database, cases[i].key);
      CLI (&run, NULL, "token", cases[i].profile, "--json");
      g_assert_cmpint (run.status, ==, cases[i].exit_code);
      g_assert_cmpstr (error_kind (&run), ==, cases[i].kind);

      /* Without --json: the message and the remedy on stderr. */
      CLI (&human, NULL, "token", cases[i].profile);
      g_assert_cmpint (human.status, ==, cases[i].exit_code);
      g_assert_cmpstr (human.out, ==, "");
      g_assert_cmpstr (human.err, !=, "");
    }

  {
    g_auto(KgCliRun) run = { 0 };
    g_auto(KgCliRun) usage = { 0 };

    CLI (&run, NULL, "token", "no-such-profile", "--json");
    g_assert_cmpint (run.status, ==, KG_EXIT_USAGE);
    g_assert_cmpstr (error_kind (&run), ==, "profile-not-found");

    CLI (&usage, NULL, "token", "--json");
    g_assert_cmpint (usage.status, ==, KG_EXIT_USAGE);
  }
}

static JsonObject *
profile_token_spec (KgCliRun *run)
{
  return json_object_get_object_member (json_object_get_object_member (run->json, "profile"),
                                        "token");
}

static void
test_profile_add_spec_options (void)
{
  const char *url = kg_demo_server_get_url (kg_test_get_demo_server ());
  g_auto(KgCliRun) json2 = { 0 };
  g_auto(KgCliRun) custom = { 0 };
  g_auto(KgCliRun) shown = { 0 };
  g_auto(KgCliRun) bad = { 0 };
  g_auto(KgCliRun) no_token = { 0 };
  JsonObject *token_spec;
  JsonObject *create;

  CLI (&json2, NULL, "profile", "add", "spec-json2", "--url", url, "--db", KG_DEMO_DATABASE,
       "--login", "alice", "--preset", "json2", "--json");
  g_assert_cmpint (json2.status, ==, 0);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json2.json,
                                                                                 "profile"),
                                                  "protocol"), ==, "token");
  token_spec = profile_token_spec (&json2);
  g_assert_cmpstr (json_object_get_string_member (token_spec, "preset"), ==, "json2");
  g_assert_false (json_object_get_boolean_member (token_spec, "exchange"));

  CLI (&custom, NULL, "profile", "add", "spec-custom", "--url", url, "--db", KG_DEMO_DATABASE,
       "--login", "alice", "--token-path", "/api/auth", "--token-method", "get",
       "--db-header", "body:db", "--key-header", "X-Key", "--token-header", "X-Access-Token",
       "--token-json-path", "data.token", "--expires-json-path", "data.ttl",
       "--create-path", "/api/v2/projects", "--id-json-path", "data.id",
       "--message-json-path", "data.msg", "--name-field", "title",
       "--description-field", "body", "--json");
  g_assert_cmpint (custom.status, ==, 0);
  token_spec = profile_token_spec (&custom);
  g_assert_cmpstr (json_object_get_string_member (token_spec, "path"), ==, "/api/auth");
  g_assert_cmpstr (json_object_get_string_member (token_spec, "method"), ==, "GET");
  g_assert_cmpstr (json_object_get_string_member (token_spec, "db_location"), ==, "body");
  g_assert_cmpstr (json_object_get_string_member (token_spec, "db_param"), ==, "db");
  g_assert_cmpstr (json_object_get_string_member (token_spec, "key_location"), ==, "header");
  g_assert_cmpstr (json_object_get_string_member (token_spec, "key_param"), ==, "X-Key");
  g_assert_cmpstr (json_object_get_string_member (token_spec, "send_as"), ==, "header");
  g_assert_cmpstr (json_object_get_string_member (token_spec, "send_header"), ==, "X-Access-Token");
  g_assert_cmpstr (json_object_get_string_member (token_spec, "token_path"), ==, "data.token");
  g_assert_cmpstr (json_object_get_string_member (token_spec, "expires_in_path"), ==, "data.ttl");
  create = json_object_get_object_member (json_object_get_object_member (custom.json, "profile"),
                                          "create");
  g_assert_cmpstr (json_object_get_string_member (create, "path"), ==, "/api/v2/projects");
  g_assert_cmpstr (json_object_get_string_member (create, "id_path"), ==, "data.id");
  g_assert_cmpstr (json_object_get_string_member (create, "message_path"), ==, "data.msg");
  g_assert_cmpstr (json_object_get_string_member (create, "name_field"), ==, "title");
  g_assert_cmpstr (json_object_get_string_member (create, "description_field"), ==, "body");

  /* Stored: `profile show --json` prints the same specs. */
  CLI (&shown, NULL, "profile", "show", "spec-custom", "--json");
  g_assert_cmpint (shown.status, ==, 0);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (shown.json,
                                                                                 "token"),
                                                  "send_header"), ==, "X-Access-Token");

  CLI (&bad, NULL, "profile", "add", "spec-bad", "--url", url, "--db", KG_DEMO_DATABASE,
       "--login", "alice", "--preset", "oauth", "--json");
  g_assert_cmpint (bad.status, ==, KG_EXIT_USAGE);

  /* A preset without an exchange has no token to show. */
  CLI (&no_token, NULL, "token", "spec-json2", "--json");
  g_assert_cmpint (no_token.status, ==, KG_EXIT_USAGE);
  g_assert_cmpstr (error_kind (&no_token), ==, "invalid-input");
}

static JsonObject *
read_project (gint64 id)
{
  g_autoptr(KgProfile) profile = kg_test_demo_profile ("alice");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *project;

  kg_record_read_project_async (kg_http_get_default (), profile, KG_DEMO_ALICE_KEY, id, NULL,
                                kg_test_store_result_cb, &result);
  result = kg_test_wait_result (&result);
  project = kg_record_read_project_finish (result, &error);
  g_assert_no_error (error);
  return project;
}

static void
test_create_project_via_token (void)
{
  const char *url = kg_demo_server_get_url (kg_test_get_demo_server ());
  struct {
    const char *profile;
    const char *preset;
    const char *create_path;   /* nullable */
    guint curl_lines;
  } cases[] = {
    { "create-tutorial", "tutorial", NULL, 2 },
    { "create-key-header", "api-key-header", "/api/key/project/create", 1 },
    { "create-json2", "json2", NULL, 1 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(KgCliRun) add = { 0 };
      g_auto(KgCliRun) set = { 0 };
      g_auto(KgCliRun) run = { 0 };
      g_autoptr(JsonObject) project = NULL;
      g_autofree char *name = g_strdup_printf ("CLI %s project", cases[i].preset);
      JsonArray *curl;
      gint64 id;

      if (cases[i].create_path != NULL)
        CLI (&add, NULL, "profile", "add", cases[i].profile, "--url", url, "--db", KG_DEMO_DATABASE,
             "--login", "alice", "--preset", cases[i].preset, "--create-path", cases[i].create_path,
             "--json");
      else
        CLI (&add, NULL, "profile", "add", cases[i].profile, "--url", url, "--db", KG_DEMO_DATABASE,
             "--login", "alice", "--preset", cases[i].preset, "--json");
      g_assert_cmpint (add.status, ==, 0);
      CLI (&set, KG_DEMO_ALICE_KEY "\n", "key", "set", cases[i].profile);
      g_assert_cmpint (set.status, ==, 0);

      CLI (&run, NULL, "create-project", cases[i].profile, "--name", name,
           "--description", "From test-cli-token", "--field", "color=4", "--via", "token",
           "--print-curl", "--json");
      g_assert_cmpint (run.status, ==, 0);
      id = json_object_get_int_member (run.json, "project_id");
      g_assert_cmpint (id, >, 0);

      /* One curl line per exchange, secrets as variables. */
      curl = json_object_get_array_member (run.json, "curl");
      g_assert_cmpuint (json_array_get_length (curl), ==, cases[i].curl_lines);
      for (guint l = 0; l < json_array_get_length (curl); l++)
        {
          const char *line = json_array_get_string_element (curl, l);

          g_assert_true (g_str_has_prefix (line, "curl "));
          g_assert_true (strstr (line, "$ODOO_API_KEY") != NULL ||
                         strstr (line, "$ODOO_TOKEN") != NULL);
        }
      if (cases[i].curl_lines == 2)
        g_assert_nonnull (strstr (json_array_get_string_element (curl, 1), "$ODOO_TOKEN"));

      project = read_project (id);
      g_assert_cmpstr (json_object_get_string_member (project, "name"), ==, name);
    }
}

static void
test_create_project_errors (void)
{
  const char *url = kg_demo_server_get_url (kg_test_get_demo_server ());
  g_auto(KgCliRun) add = { 0 };
  g_auto(KgCliRun) set = { 0 };
  g_auto(KgCliRun) bob = { 0 };
  g_auto(KgCliRun) via = { 0 };
  g_auto(KgCliRun) field = { 0 };
  g_auto(KgCliRun) jsonrpc = { 0 };

  CLI (&add, NULL, "profile", "add", "bob-token", "--url", url, "--db", KG_DEMO_DATABASE,
       "--login", "bob", "--protocol", "token", "--json");
  g_assert_cmpint (add.status, ==, 0);
  CLI (&set, KG_DEMO_BOB_KEY "\n", "key", "set", "bob-token");
  g_assert_cmpint (set.status, ==, 0);

  CLI (&bob, NULL, "create-project", "bob-token", "--name", "Bob was here", "--via", "token",
       "--json");
  g_assert_cmpint (bob.status, ==, KG_EXIT_PERMISSION);
  g_assert_cmpstr (error_kind (&bob), ==, "access-error");

  CLI (&via, NULL, "create-project", "bob-token", "--name", "x", "--via", "carrier-pigeon",
       "--json");
  g_assert_cmpint (via.status, ==, KG_EXIT_USAGE);
  CLI (&field, NULL, "create-project", "bob-token", "--name", "x", "--field", "novalue", "--json");
  g_assert_cmpint (field.status, ==, KG_EXIT_USAGE);

  /* The same profile over JSON-RPC: Odoo's own AccessError, same kind. */
  CLI (&jsonrpc, NULL, "create-project", "bob-token", "--name", "Bob again", "--via", "jsonrpc",
       "--json");
  g_assert_cmpint (jsonrpc.status, ==, KG_EXIT_PERMISSION);
  g_assert_cmpstr (error_kind (&jsonrpc), ==, "access-error");
}

static void
test_no_secret_in_files (void)
{
  /* Runs after the others (same process, same XDG dirs). */
  const char *keys[] = { KG_DEMO_ALICE_KEY, KG_DEMO_EXPIRED_KEY, WRONG_KEY };

  for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
    g_assert_cmpuint (kg_test_assert_dir_lacks (kg_test_get_tmpdir (), keys[i]), >=, 2);
  g_assert_cmpuint (shown_tokens->len, >=, 1);
  for (guint i = 0; i < shown_tokens->len; i++)
    kg_test_assert_dir_lacks (kg_test_get_tmpdir (), g_ptr_array_index (shown_tokens, i));
}

int
main (int   argc,
      char *argv[])
{
  kg_test_init (&argc, &argv);
  shown_tokens = g_ptr_array_new_with_free_func (g_free);

  g_test_add_func ("/cli/token/json", test_token_json);
  g_test_add_func ("/cli/token/human", test_token_human);
  g_test_add_func ("/cli/token/print-curl", test_token_print_curl);
  g_test_add_func ("/cli/token/errors", test_token_errors);
  g_test_add_func ("/cli/token/profile-add-spec-options", test_profile_add_spec_options);
  g_test_add_func ("/cli/token/create-project-via-token", test_create_project_via_token);
  g_test_add_func ("/cli/token/create-project-errors", test_create_project_errors);
  g_test_add_func ("/cli/token/no-secret-in-files", test_no_secret_in_files);

  return g_test_run ();
}
