/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keygate-cli as a user runs it: a subprocess with the test's XDG dirs and
 * session keyring, against the demo server running in this process. */
#include "config.h"

#include <string.h>

#include "kg-test-utils.h"

#define WRONG_KEY "0123456789abcdef0123456789abcdef01234567"

static const char * const secrets[] = {
  KG_DEMO_ALICE_KEY, KG_DEMO_BOB_KEY, KG_DEMO_EXPIRED_KEY, WRONG_KEY, "not-a-hex-key-but-secret",
  NULL
};

#define run_cli(run, input, ...) \
  G_STMT_START { \
    const char *args_[] = { __VA_ARGS__, NULL }; \
    kg_test_run_cli_argv ((run), (input), secrets, args_); \
  } G_STMT_END

static const char *
error_kind (KgCliRun *run)
{
  g_assert_nonnull (run->json);
  return json_object_get_string_member (json_object_get_object_member (run->json, "error"),
                                        "kind");
}

static const char *
demo_url (void)
{
  return kg_demo_server_get_url (kg_test_get_demo_server ());
}

static void
add_profile (const char *name,
             const char *url,
             const char *database,
             const char *login)
{
  g_auto(KgCliRun) run = { 0 };

  run_cli (&run, NULL, "profile", "add", name, "--url", url, "--db", database, "--login", login,
           "--json");
  g_assert_cmpint (run.status, ==, 0);
}

static void
set_key (const char *name,
         const char *key)
{
  g_auto(KgCliRun) run = { 0 };
  g_autofree char *line = g_strconcat (key, "\n", NULL);

  run_cli (&run, line, "key", "set", name);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "Stored\n");
}

/* ---- Tests, run in order: they share the profiles file ------------------- */

static void
test_usage (void)
{
  g_auto(KgCliRun) none = { 0 };
  g_auto(KgCliRun) unknown = { 0 };
  g_auto(KgCliRun) missing = { 0 };
  g_auto(KgCliRun) bad_timeout = { 0 };
  g_auto(KgCliRun) help = { 0 };

  {
    const char *args[] = { NULL };
    kg_test_run_cli_argv (&none, NULL, secrets, args);
  }
  g_assert_cmpint (none.status, ==, 2);

  run_cli (&unknown, NULL, "frobnicate", "--json");
  g_assert_cmpint (unknown.status, ==, 2);
  g_assert_cmpstr (error_kind (&unknown), ==, "usage");

  /* The field that is missing is named. */
  run_cli (&missing, NULL, "profile", "add", "x", "--db", "d", "--login", "l", "--json");
  g_assert_cmpint (missing.status, ==, 2);
  g_assert_nonnull (strstr (json_object_get_string_member (
                              json_object_get_object_member (missing.json, "error"), "message"),
                            "--url"));

  run_cli (&bad_timeout, NULL, "profile", "add", "x", "--url", "http://127.0.0.1", "--db", "d",
           "--login", "l", "--timeout", "soon");
  g_assert_cmpint (bad_timeout.status, ==, 2);
  g_assert_nonnull (strstr (bad_timeout.err, "--timeout"));

  run_cli (&help, NULL, "--help");
  g_assert_cmpint (help.status, ==, 0);
  g_assert_nonnull (strstr (help.out, "create-project"));
}

static void
test_profile_add_list_show (void)
{
  g_auto(KgCliRun) dup = { 0 };
  g_auto(KgCliRun) invalid = { 0 };
  g_auto(KgCliRun) list = { 0 };
  g_auto(KgCliRun) show = { 0 };
  g_auto(KgCliRun) human = { 0 };
  g_auto(KgCliRun) missing = { 0 };
  g_auto(KgCliRun) insecure = { 0 };
  JsonArray *profiles;
  gboolean found = FALSE;

  add_profile ("alice", demo_url (), KG_DEMO_DATABASE, "alice");

  run_cli (&dup, NULL, "profile", "add", "alice", "--url", demo_url (), "--db", "x", "--login",
           "y", "--json");
  g_assert_cmpint (dup.status, ==, 2);

  /* Validation names the field. */
  run_cli (&invalid, NULL, "profile", "add", "ftp", "--url", "ftp://example.com", "--db", "x",
           "--login", "y", "--json");
  g_assert_cmpint (invalid.status, ==, 2);
  g_assert_cmpstr (error_kind (&invalid), ==, "invalid-input");
  g_assert_nonnull (strstr (json_object_get_string_member (
                              json_object_get_object_member (invalid.json, "error"), "message"),
                            "URL"));

  run_cli (&list, NULL, "profile", "list", "--json");
  g_assert_cmpint (list.status, ==, 0);
  profiles = json_object_get_array_member (list.json, "profiles");
  for (guint i = 0; i < json_array_get_length (profiles); i++)
    {
      JsonObject *p = json_array_get_object_element (profiles, i);

      if (g_str_equal (json_object_get_string_member (p, "name"), "alice"))
        found = TRUE;
      g_assert_false (g_str_equal (json_object_get_string_member (p, "name"), "ftp"));
    }
  g_assert_true (found);

  run_cli (&show, NULL, "profile", "show", "alice", "--json");
  g_assert_cmpint (show.status, ==, 0);
  g_assert_cmpstr (json_object_get_string_member (show.json, "url"), ==, demo_url ());
  g_assert_cmpstr (json_object_get_string_member (show.json, "database"), ==, KG_DEMO_DATABASE);
  g_assert_cmpstr (json_object_get_string_member (show.json, "login"), ==, "alice");
  g_assert_cmpstr (json_object_get_string_member (show.json, "protocol"), ==, "jsonrpc");
  g_assert_true (json_object_has_member (show.json, "token"));
  g_assert_true (json_object_has_member (show.json, "create"));
  g_assert_false (json_object_get_boolean_member (show.json, "insecure"));

  run_cli (&human, NULL, "profile", "show", "alice");
  g_assert_cmpint (human.status, ==, 0);
  g_assert_nonnull (strstr (human.out, demo_url ()));

  run_cli (&missing, NULL, "profile", "show", "nobody", "--json");
  g_assert_cmpint (missing.status, ==, 2);
  g_assert_cmpstr (error_kind (&missing), ==, "profile-not-found");

  /* http:// to another host works but is flagged. */
  run_cli (&insecure, NULL, "profile", "add", "plain", "--url", "http://odoo.example.com",
           "--db", "x", "--login", "y", "--protocol", "token", "--timeout", "5", "--json");
  g_assert_cmpint (insecure.status, ==, 0);
  g_assert_true (json_object_get_boolean_member (
                   json_object_get_object_member (insecure.json, "profile"), "insecure"));
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (insecure.json, "profile"), "protocol"),
                   ==, "token");
  /* With --json the warning is part of the one object on stdout. */
  g_assert_true (json_object_get_boolean_member (insecure.json, "insecure"));
  g_assert_nonnull (strstr (json_object_get_string_member (insecure.json, "warning"),
                            "unencrypted"));
}

static void
test_key_not_stored (void)
{
  g_auto(KgCliRun) verify = { 0 };
  g_auto(KgCliRun) text = { 0 };

  run_cli (&verify, NULL, "key", "verify", "alice", "--json");
  g_assert_cmpint (verify.status, ==, 7);
  g_assert_cmpstr (error_kind (&verify), ==, "key-not-found");

  /* Where a CLI user looks for a key the Flatpak app stored: told that
   * the two keep their keys apart. */
  run_cli (&text, NULL, "key", "verify", "alice");
  g_assert_cmpint (text.status, ==, 7);
  g_assert_nonnull (strstr (text.err, "Flatpak app is kept apart"));
}

static void
test_key_set (void)
{
  g_auto(KgCliRun) on_argv = { 0 };
  g_auto(KgCliRun) odd = { 0 };
  g_auto(KgCliRun) empty = { 0 };

  /* There is no way to pass the key as an argument. */
  run_cli (&on_argv, NULL, "key", "set", "alice", KG_DEMO_ALICE_KEY);
  g_assert_cmpint (on_argv.status, ==, 2);
  kg_cli_run_clear (&on_argv);
  run_cli (&on_argv, NULL, "key", "set", "alice", "--key", KG_DEMO_ALICE_KEY);
  g_assert_cmpint (on_argv.status, ==, 2);

  /* Something that is not 40 hex characters: stored, with a warning. */
  add_profile ("odd", demo_url (), KG_DEMO_DATABASE, "alice");
  run_cli (&odd, "  not-a-hex-key-but-secret  \nsecond line\n", "key", "set", "odd");
  g_assert_cmpint (odd.status, ==, 0);
  g_assert_nonnull (strstr (odd.err, "40"));

  run_cli (&empty, "\n", "key", "set", "odd", "--json");
  g_assert_cmpint (empty.status, ==, 2);
  g_assert_cmpstr (error_kind (&empty), ==, "invalid-input");

  /* Surrounding white space is trimmed: verify below proves it. */
  {
    g_auto(KgCliRun) run = { 0 };
    g_autofree char *line = g_strconcat ("  ", KG_DEMO_ALICE_KEY, " \n", NULL);

    run_cli (&run, line, "key", "set", "alice", "--json");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_true (json_object_get_boolean_member (run.json, "looks_valid"));
  }
}

static void
test_key_verify (void)
{
  g_auto(KgCliRun) verify = { 0 };
  g_auto(KgCliRun) human = { 0 };

  run_cli (&verify, NULL, "key", "verify", "alice", "--json");
  g_assert_cmpint (verify.status, ==, 0);
  g_assert_cmpint (json_object_get_int_member (verify.json, "uid"), ==, KG_DEMO_ALICE_UID);
  g_assert_cmpstr (json_object_get_string_member (verify.json, "login"), ==, "alice");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (verify.json, "name"), "Alice"));
  g_assert_true (json_object_get_boolean_member (verify.json, "two_factor"));
  g_assert_true (json_object_get_boolean_member (verify.json, "can_create_projects"));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (verify.json, "server_version"),
                                   "18"));
  /* alice has two keys and the profile names none: which one this is
   * cannot be told, and no other key's expiry is given as its own. */
  g_assert_true (json_object_get_null_member (verify.json, "key_expiry"));
  g_assert_cmpstr (json_object_get_string_member (verify.json, "key_match"), ==, "ambiguous");

  run_cli (&human, NULL, "key", "verify", "alice");
  g_assert_cmpint (human.status, ==, 0);
  g_assert_nonnull (strstr (human.out, "uid 6"));
  g_assert_nonnull (strstr (human.out, "Two-factor"));
  g_assert_nonnull (strstr (human.out, "unknown — this user has 2 keys; name yours to match"));
}

/* A key name that matches tells the key's own expiry, with a warning when
 * it is near; one that matches nothing says so. */
static void
test_key_verify_expiry (void)
{
  g_auto(KgCliRun) named = { 0 };
  g_auto(KgCliRun) soon = { 0 };
  g_auto(KgCliRun) soon_json = { 0 };
  g_auto(KgCliRun) unmatched = { 0 };
  g_auto(KgCliRun) set = { 0 };
  g_autofree char *alice_line = g_strconcat (KG_DEMO_ALICE_KEY, "\n", NULL);
  g_autofree char *ci_line = g_strconcat (KG_DEMO_ALICE_CI_KEY, "\n", NULL);

  add_profile ("named", demo_url (), KG_DEMO_DATABASE, "alice");
  run_cli (&set, alice_line, "key", "set", "named", "--key-name", "Keygate demo");
  g_assert_cmpint (set.status, ==, 0);
  run_cli (&named, NULL, "key", "verify", "named");
  g_assert_cmpint (named.status, ==, 0);
  g_assert_null (strstr (named.out, "unknown"));
  g_assert_null (strstr (named.out, "days"));

  add_profile ("ci", demo_url (), KG_DEMO_DATABASE, "alice");
  kg_cli_run_clear (&set);
  run_cli (&set, ci_line, "key", "set", "ci", "--key-name", "CI key");
  g_assert_cmpint (set.status, ==, 0);
  run_cli (&soon, NULL, "key", "verify", "ci");
  g_assert_cmpint (soon.status, ==, 0);
  g_assert_nonnull (strstr (soon.out, "in 10 days; create a new key before then"));
  run_cli (&soon_json, NULL, "key", "verify", "ci", "--json");
  g_assert_cmpstr (json_object_get_string_member (soon_json.json, "key_match"), ==, "named");
  g_assert_cmpstr (json_object_get_string_member (soon_json.json, "key_expiry_state"), ==,
                   "soon");
  g_assert_nonnull (json_object_get_string_member (soon_json.json, "key_expiry"));

  add_profile ("unmatched", demo_url (), KG_DEMO_DATABASE, "alice");
  kg_cli_run_clear (&set);
  run_cli (&set, alice_line, "key", "set", "unmatched", "--key-name", "No such key");
  g_assert_cmpint (set.status, ==, 0);
  run_cli (&unmatched, NULL, "key", "verify", "unmatched");
  g_assert_cmpint (unmatched.status, ==, 0);
  g_assert_nonnull (strstr (unmatched.out, "no key of this user is named “No such key”"));
}

static void
test_create_project (void)
{
  g_auto(KgCliRun) created = { 0 };
  g_auto(KgCliRun) no_name = { 0 };
  g_auto(KgCliRun) denied = { 0 };
  g_auto(KgCliRun) denied_human = { 0 };

  run_cli (&created, NULL, "create-project", "alice", "--name", "From keygate-cli",
           "--description", "made by test-cli", "--json");
  g_assert_cmpint (created.status, ==, 0);
  g_assert_cmpint (json_object_get_int_member (created.json, "project_id"), >, 0);
  g_assert_cmpstr (json_object_get_string_member (created.json, "message"), ==, "Project created");

  run_cli (&no_name, NULL, "create-project", "alice", "--json");
  g_assert_cmpint (no_name.status, ==, 2);

  add_profile ("bob", demo_url (), KG_DEMO_DATABASE, "bob");
  set_key ("bob", KG_DEMO_BOB_KEY);
  run_cli (&denied, NULL, "create-project", "bob", "--name", "Not allowed", "--json");
  g_assert_cmpint (denied.status, ==, 4);
  g_assert_cmpstr (error_kind (&denied), ==, "access-error");
  g_assert_nonnull (strstr (json_object_get_string_member (
                              json_object_get_object_member (denied.json, "error"), "message"),
                            "Project/Administrator"));

  /* Human errors: message then remedy on stderr, nothing on stdout. */
  run_cli (&denied_human, NULL, "create-project", "bob", "--name", "Not allowed");
  g_assert_cmpint (denied_human.status, ==, 4);
  g_assert_cmpstr (denied_human.out, ==, "");
  g_assert_nonnull (strstr (denied_human.err, "Project/Administrator"));
}

static void
test_error_exit_codes (void)
{
  g_auto(KgCliRun) expired = { 0 };
  g_auto(KgCliRun) refused = { 0 };
  g_auto(KgCliRun) unknown_db = { 0 };
  g_autofree char *closed_url = kg_test_closed_url ();

  /* 3: authentication (an expired key looks like a wrong one). */
  add_profile ("expired", demo_url (), KG_DEMO_DATABASE, "alice");
  set_key ("expired", KG_DEMO_EXPIRED_KEY);
  run_cli (&expired, NULL, "key", "verify", "expired", "--json");
  g_assert_cmpint (expired.status, ==, 3);
  g_assert_cmpstr (error_kind (&expired), ==, "access-denied");

  /* 5: connection, to a port nothing listens on. */
  add_profile ("closed", closed_url, KG_DEMO_DATABASE, "alice");
  set_key ("closed", KG_DEMO_ALICE_KEY);
  run_cli (&refused, NULL, "key", "verify", "closed", "--json");
  g_assert_cmpint (refused.status, ==, 5);
  g_assert_cmpstr (error_kind (&refused), ==, "network");

  /* 6: server, a database that does not exist. */
  add_profile ("nodb", demo_url (), "no_such_db", "alice");
  set_key ("nodb", KG_DEMO_ALICE_KEY);
  run_cli (&unknown_db, NULL, "create-project", "nodb", "--name", "x", "--json");
  g_assert_cmpint (unknown_db.status, ==, 6);
  g_assert_cmpstr (error_kind (&unknown_db), ==, "unknown-database");
}

static void
test_forget_and_remove (void)
{
  g_auto(KgCliRun) forget = { 0 };
  g_auto(KgCliRun) verify = { 0 };
  g_auto(KgCliRun) show = { 0 };
  g_auto(KgCliRun) remove = { 0 };
  g_auto(KgCliRun) gone = { 0 };
  g_autoptr(KgProfile) removed = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KgSecretString) key = NULL;

  run_cli (&forget, NULL, "key", "forget", "alice", "--json");
  g_assert_cmpint (forget.status, ==, 0);
  g_assert_true (json_object_get_boolean_member (forget.json, "cleared"));
  run_cli (&verify, NULL, "key", "verify", "alice", "--json");
  g_assert_cmpint (verify.status, ==, 7);

  /* profile remove also clears the key from the keyring. */
  run_cli (&show, NULL, "profile", "show", "bob", "--json");
  g_assert_cmpint (show.status, ==, 0);
  removed = kg_profile_new_from_json (show.json, &error);
  g_assert_no_error (error);
  key = kg_keyring_lookup_sync (removed, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (key, ==, KG_DEMO_BOB_KEY);
  g_clear_pointer (&key, kg_secret_free);

  run_cli (&remove, NULL, "profile", "remove", "bob", "--json");
  g_assert_cmpint (remove.status, ==, 0);
  g_assert_true (json_object_get_boolean_member (remove.json, "key_cleared"));
  if (g_strcmp0 (g_getenv ("SECRET_BACKEND"), "file") == 0)
    {
      /* libsecret's file backend reads the keyring file once per process:
       * this process would still see its old copy. Look in a fresh one. */
      g_autoptr(JsonObject) json = kg_profile_to_json (removed);
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), json);
      g_autofree char *text = json_to_string (node, FALSE);

      g_setenv ("KEYGATE_TEST_LOOKUP_PROFILE", text, TRUE);
      g_test_trap_subprocess ("/cli/helper/lookup-key", 20 * G_USEC_PER_SEC,
                              G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_unsetenv ("KEYGATE_TEST_LOOKUP_PROFILE");
      g_test_trap_assert_passed ();
      g_test_trap_assert_stdout ("*key-not-found*");
    }
  else
    {
      key = kg_keyring_lookup_sync (removed, NULL, &error);
      g_assert_null (key);
      g_assert_error (error, KG_ERROR, KG_ERROR_KEY_NOT_FOUND);
    }

  run_cli (&gone, NULL, "profile", "show", "bob", "--json");
  g_assert_cmpint (gone.status, ==, 2);
}

/* Last: nothing the CLI wrote under the XDG dirs holds a key, and the
 * history logged what it did. */
static void
test_no_secret_written (void)
{
  g_autofree char *history = g_build_filename (kg_test_get_tmpdir (), "state", "keygate",
                                               "history.jsonl", NULL);
  g_autofree char *profiles = g_build_filename (kg_test_get_tmpdir (), "config", "keygate",
                                                "profiles.json", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_test (profiles, G_FILE_TEST_IS_REGULAR));
  g_file_get_contents (history, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (g_strchomp (contents), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), >=, 10);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonNode) node = json_from_string (lines[i], &error);

      g_assert_no_error (error);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
    }

  for (gsize i = 0; secrets[i] != NULL; i++)
    g_assert_cmpuint (kg_test_assert_dir_lacks (kg_test_get_tmpdir (), secrets[i]), >=, 2);
}

/* Run by test_forget_and_remove in a fresh process: prints what looking up
 * the key of the profile in $KEYGATE_TEST_LOOKUP_PROFILE gives. */
static void
helper_lookup_key (void)
{
  const char *text = g_getenv ("KEYGATE_TEST_LOOKUP_PROFILE");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(KgProfile) profile = NULL;
  g_autoptr(KgSecretString) key = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_test_subprocess () || text == NULL)
    {
      g_test_skip ("a helper of /cli/forget-and-remove, run in its own process");
      return;
    }
  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  profile = kg_profile_new_from_json (json_node_get_object (json_parser_get_root (parser)), NULL);
  g_assert_nonnull (profile);
  key = kg_keyring_lookup_sync (profile, NULL, &error);
  if (key != NULL)
    g_print ("key-found\n");
  else
    g_print ("%s\n", g_error_matches (error, KG_ERROR, KG_ERROR_KEY_NOT_FOUND) ?
                     "key-not-found" : error->message);
}

int
main (int   argc,
      char *argv[])
{
  kg_test_init (&argc, &argv);

  g_test_add_func ("/cli/usage", test_usage);
  g_test_add_func ("/cli/profile-add-list-show", test_profile_add_list_show);
  g_test_add_func ("/cli/key-not-stored", test_key_not_stored);
  g_test_add_func ("/cli/key-set", test_key_set);
  g_test_add_func ("/cli/key-verify", test_key_verify);
  g_test_add_func ("/cli/key-verify-expiry", test_key_verify_expiry);
  g_test_add_func ("/cli/create-project", test_create_project);
  g_test_add_func ("/cli/error-exit-codes", test_error_exit_codes);
  g_test_add_func ("/cli/forget-and-remove", test_forget_and_remove);
  g_test_add_func ("/cli/helper/lookup-key", helper_lookup_key);
  g_test_add_func ("/cli/no-secret-written", test_no_secret_written);

  return g_test_run ();
}
