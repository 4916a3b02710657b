/* SPDX-License-Identifier: GPL-3.0-or-later */
/* `keygate-cli diagnose` end to end: a subprocess with the test's XDG dirs
 * and session keyring, against the demo server running in this process. */
#include "config.h"

#include <string.h>

#include "kg-test-utils.h"

static const char * const secrets[] = {
  KG_DEMO_ALICE_KEY, KG_DEMO_BOB_KEY, KG_DEMO_CAROL_KEY, KG_DEMO_ALICE_PASSWORD,
  KG_DEMO_CAROL_PASSWORD,
};

typedef struct
{
  int         status;
  char       *out;
  char       *err;
  JsonObject *json;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
  g_clear_pointer (&run->json, json_object_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
run_cli_argv (Run                *run,
              const char         *input,
              const char * const *args)
{
  g_autofree char *cli = g_build_filename (g_getenv ("KEYGATE_BUILD_DIR"), "src", "cli",
                                           "keygate-cli", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, cli);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input ? input : "", NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
  g_test_message ("keygate-cli %s %s → %d\nstdout: %s\nstderr: %s", args[0],
                  args[1] ? args[1] : "", run->status, run->out, run->err);

  /* Neither a key nor a password is ever echoed. */
  for (gsize i = 0; i < G_N_ELEMENTS (secrets); i++)
    {
      g_assert_null (strstr (run->out, secrets[i]));
      g_assert_null (strstr (run->err, secrets[i]));
    }

  if (g_strv_contains (args, "--json"))
    {
      g_autoptr(JsonNode) node = json_from_string (run->out, &error);

      g_assert_no_error (error);
      g_assert_nonnull (node);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
      run->json = json_object_ref (json_node_get_object (node));
      g_assert_true (json_object_get_boolean_member (run->json, "ok") == (run->status == 0));
    }
}

#define run_cli(run, input, ...) \
  G_STMT_START { \
    const char *args_[] = { __VA_ARGS__, NULL }; \
    run_cli_argv ((run), (input), args_); \
  } G_STMT_END

static void
add_profile (const char *name,
             const char *url,
             const char *database,
             const char *login,
             const char *key)
{
  g_auto(Run) added = { 0 };

  run_cli (&added, NULL, "profile", "add", name, "--url", url, "--db", database, "--login", login,
           "--timeout", "10");
  g_assert_cmpint (added.status, ==, 0);

  if (key != NULL)
    {
      g_auto(Run) stored = { 0 };
      g_autofree char *line = g_strconcat (key, "\n", NULL);

      run_cli (&stored, line, "key", "set", name);
      g_assert_cmpint (stored.status, ==, 0);
    }
}

/* "server:ok database:ok …" from the --json findings. */
static char *
sequence_of (Run *run)
{
  JsonArray *findings = json_object_get_array_member (run->json, "findings");
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (findings); i++)
    {
      JsonObject *finding = json_array_get_object_element (findings, i);

      g_assert_true (json_object_has_member (finding, "title"));
      g_assert_true (json_object_has_member (finding, "explanation"));
      g_assert_true (json_object_has_member (finding, "remedy"));
      if (text->len > 0)
        g_string_append_c (text, ' ');
      g_string_append_printf (text, "%s:%s", json_object_get_string_member (finding, "check"),
                              json_object_get_string_member (finding, "status"));
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static guint
closed_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  guint port;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);
  return port;
}

static const char *
demo_url (void)
{
  return kg_demo_server_get_url (kg_test_get_demo_server ());
}

static void
test_good_key (void)
{
  g_auto(Run) run = { 0 };
  g_autofree char *sequence = NULL;

  add_profile ("good", demo_url (), KG_DEMO_DATABASE, "alice", KG_DEMO_ALICE_KEY);
  run_cli (&run, NULL, "diagnose", "good", "--json");
  g_assert_cmpint (run.status, ==, 0);
  sequence = sequence_of (&run);
  g_assert_cmpstr (sequence, ==,
                   "server:ok database:ok database-listing:warning api-key:ok identity:ok "
                   "two-factor:ok can-create:ok key-expiry:warning");
}

static void
test_wrong_key (void)
{
  g_auto(Run) run = { 0 };
  g_autofree char *sequence = NULL;

  /* Bob's key with login alice. */
  add_profile ("wrong", demo_url (), KG_DEMO_DATABASE, "alice", KG_DEMO_BOB_KEY);
  run_cli (&run, NULL, "diagnose", "wrong", "--json");
  g_assert_cmpint (run.status, ==, 3);
  sequence = sequence_of (&run);
  g_assert_cmpstr (sequence, ==,
                   "server:ok database:ok database-listing:warning api-key:problem "
                   "create-key:warning");
}

static void
test_refused (void)
{
  g_auto(Run) run = { 0 };
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", closed_port ());
  g_autofree char *sequence = NULL;

  add_profile ("refused", url, KG_DEMO_DATABASE, "alice", KG_DEMO_ALICE_KEY);
  run_cli (&run, NULL, "diagnose", "refused", "--json");
  g_assert_cmpint (run.status, ==, 5);
  sequence = sequence_of (&run);
  g_assert_cmpstr (sequence, ==, "server:problem");
}

static void
test_unknown_database (void)
{
  g_auto(Run) run = { 0 };
  g_autofree char *sequence = NULL;

  add_profile ("nodb", demo_url (), "no_such_db", "alice", KG_DEMO_ALICE_KEY);
  run_cli (&run, NULL, "diagnose", "nodb", "--json");
  g_assert_cmpint (run.status, ==, 6);
  sequence = sequence_of (&run);
  g_assert_cmpstr (sequence, ==, "server:ok database:problem");
}

static void
test_password_two_factor (void)
{
  g_auto(Run) run = { 0 };
  g_autofree char *sequence = NULL;
  JsonObject *finding;

  /* No key stored: absent is fine, and is a finding. */
  add_profile ("alice-pw", demo_url (), KG_DEMO_DATABASE, "alice", NULL);
  run_cli (&run, KG_DEMO_ALICE_PASSWORD "\n", "diagnose", "alice-pw", "--password-stdin",
           "--json");
  g_assert_cmpint (run.status, ==, 3);
  sequence = sequence_of (&run);
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
  g_auto(Run) run = { 0 };

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
  g_auto(Run) run = { 0 };

  add_profile ("empty-pw", demo_url (), KG_DEMO_DATABASE, "carol", NULL);
  run_cli (&run, "", "diagnose", "empty-pw", "--password-stdin", "--json");
  g_assert_cmpint (run.status, ==, 2);
}

static void
test_usage (void)
{
  g_auto(Run) missing = { 0 };
  g_auto(Run) unknown = { 0 };

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
  for (gsize i = 0; i < G_N_ELEMENTS (secrets); i++)
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
