/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `keygate-cli diagnose` end to end: a subprocess with the test's XDG dirs
 * and session keyring, against the demo server running in this process. */
#include "config.h"

#include <string.h>

#include "kg-test-utils.h"

static const char * const secrets[] = {
  KG_DEMO_ALICE_KEY, KG_DEMO_BOB_KEY, KG_DEMO_CAROL_KEY, KG_DEMO_ALICE_PASSWORD,
  KG_DEMO_CAROL_PASSWORD, NULL
};

#define run_cli(run, input, ...) \
  G_STMT_START { \
    const char *args_[] = { __VA_ARGS__, NULL }; \
    kg_test_run_cli_argv ((run), (input), secrets, args_); \
  } G_STMT_END

static void
add_profile (const char *name,
             const char *url,
             const char *database,
             const char *login,
             const char *key)
{
  g_auto(KgCliRun) added = { 0 };

  run_cli (&added, NULL, "profile", "add", name, "--url", url, "--db", database, "--login", login,
           "--timeout", "10");
  g_assert_cmpint (added.status, ==, 0);

  if (key != NULL)
    {
      g_auto(KgCliRun) stored = { 0 };
      g_autofree char *line = g_strconcat (key, "\n", NULL);

      run_cli (&stored, line, "key", "set", name);
      g_assert_cmpint (stored.status, ==, 0);
    }
}

static const char *
demo_url (void)
{
  return kg_demo_server_get_url (kg_test_get_demo_server ());
}

static void
test_good_key (void)
{
  g_auto(KgCliRun) run = { 0 };
  g_autofree char *sequence = NULL;

  add_profile ("good", demo_url (), KG_DEMO_DATABASE, "alice", KG_DEMO_ALICE_KEY);
  run_cli (&run, NULL, "diagnose", "good", "--json");
  g_assert_cmpint (run.status, ==, 0);
  sequence = kg_test_findings_sequence_json (json_object_get_array_member (run.json, "findings"));
  g_assert_cmpstr (sequence, ==,
                   "server:ok database:ok database-listing:warning api-key:ok identity:ok "
                   "two-factor:ok can-create:ok key-expiry:warning");
}

static void
test_wrong_key (void)
{
  g_auto(KgCliRun) run = { 0 };
  g_autofree char *sequence = NULL;

  /* Bob's key with login alice. */
  add_profile ("wrong", demo_url (), KG_DEMO_DATABASE, "alice", KG_DEMO_BOB_KEY);
  run_cli (&run, NULL, "diagnose", "wrong", "--json");
  g_assert_cmpint (run.status, ==, 3);
  sequence = kg_test_findings_sequence_json (json_object_get_array_member (run.json, "findings"));
  g_assert_cmpstr (sequence, ==,
                   "server:ok database:ok database-listing:warning api-key:problem "
                   "create-key:warning");
}

static void
test_refused (void)
{
  g_auto(KgCliRun) run = { 0 };
  g_autofree char *url = kg_test_closed_url ();
  g_autofree char *sequence = NULL;

  add_profile ("refused", url, KG_DEMO_DATABASE, "alice", KG_DEMO_ALICE_KEY);
  run_cli (&run, NULL, "diagnose", "refused", "--json");
  g_assert_cmpint (run.status, ==, 5);
  sequence = kg_test_findings_sequence_json (json_object_get_array_member (run.json, "findings"));
  g_assert_cmpstr (sequence, ==, "server:problem");
}

static void
test_unknown_database (void)
{
  g_auto(KgCliRun) run = { 0 };
  g_autofree char *sequence = NULL;

  add_profile ("nodb", demo_url (), "no_such_db", "alice", KG_DEMO_ALICE_KEY);
  run_cli (&run, NULL, "diagnose", "nodb", "--json");
  g_assert_cmpint (run.status, ==, 6);
  sequence = kg_test_findings_sequence_json (json_object_get_array_member (run.json, "findings"));
  g_assert_cmpstr (sequence, ==, "server:ok database:problem");
}

static void
test_password_two_factor (void)
{
  g_auto(KgCliRun) run = { 0 };
  g_autofree char *sequence = NULL;
  JsonObject *finding;

  /* No key stored: absent is fine, and is a finding. */
  add_profile ("alice-pw", demo_url (), KG_DEMO_DATABASE, "alice", NULL);
  run_cli (&run, KG_DEMO_ALICE_PASSWORD "\n", "diagnose", "alice-pw", "--password-stdin",
           "--json");
  g_assert_cmpint (run.status, ==, 3);
  sequence = kg_test_findings_sequence_json (json_object_get_array_member (run.json, "findings"));
  g_assert_cmpstr (sequence, ==,
                   "server:ok database:ok database-listing:warning api-key:warning "
                   "password:problem create-key:warning");
  finding = json_array_get_object_element (json_object_get_array_member (run.json, "findings"), 4);
  g_assert_cmpstr (json_object_get_string_member (finding, "title"), ==,
                   "2FA is on: password API logins cannot work for this user; use an API key");
  /* The warning about the e-mail alert and the cooldown came first, on
   * stderr, so --json output stays one object. */
  g_assert_nonnull (strstr (run.err, "New Connection"));
}

static void
test_password_human (void)
{
  g_auto(KgCliRun) run = { 0 };

  add_profile ("carol-pw", demo_url (), KG_DEMO_DATABASE, "carol", NULL);
  run_cli (&run, KG_DEMO_CAROL_PASSWORD "\n", "diagnose", "carol-pw", "--password-stdin");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "[ok]      Password logins work (no 2FA)"));
  g_assert_nonnull (strstr (run.out, "[warning] No API key stored"));
  g_assert_nonnull (strstr (run.out, "[warning] Create an API key in Odoo"));
  g_assert_nonnull (strstr (run.out, "→ Then paste the key here: “keygate-cli key set carol-pw”"));
  g_assert_nonnull (strstr (run.err, "New Connection"));
}

static void
test_password_needs_stdin (void)
{
  g_auto(KgCliRun) run = { 0 };

  add_profile ("empty-pw", demo_url (), KG_DEMO_DATABASE, "carol", NULL);
  run_cli (&run, "", "diagnose", "empty-pw", "--password-stdin", "--json");
  g_assert_cmpint (run.status, ==, 2);
}

static void
test_usage (void)
{
  g_auto(KgCliRun) missing = { 0 };
  g_auto(KgCliRun) unknown = { 0 };

  run_cli (&missing, NULL, "diagnose");
  g_assert_cmpint (missing.status, ==, 2);
  run_cli (&unknown, NULL, "diagnose", "no-such-profile", "--json");
  g_assert_cmpint (unknown.status, ==, 2);
}

static void
test_nothing_written (void)
{
  /* Runs last: everything the CLI wrote (profiles, history) lacks every
   * key and password it was given. */
  for (gsize i = 0; secrets[i] != NULL; i++)
    g_assert_cmpuint (kg_test_assert_dir_lacks (kg_test_get_tmpdir (), secrets[i]), >, 0);
}

int
main (int   argc,
      char *argv[])
{
  kg_test_init (&argc, &argv);

  g_test_add_func ("/cli/diagnose/good-key", test_good_key);
  g_test_add_func ("/cli/diagnose/wrong-key", test_wrong_key);
  g_test_add_func ("/cli/diagnose/refused", test_refused);
  g_test_add_func ("/cli/diagnose/unknown-database", test_unknown_database);
  g_test_add_func ("/cli/diagnose/password-two-factor", test_password_two_factor);
  g_test_add_func ("/cli/diagnose/password-human", test_password_human);
  g_test_add_func ("/cli/diagnose/password-needs-stdin", test_password_needs_stdin);
  g_test_add_func ("/cli/diagnose/usage", test_usage);
  g_test_add_func ("/cli/diagnose/nothing-written", test_nothing_written);

  return g_test_run ();
}
