/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Against a real Odoo 18: set KEYGATE_ODOO_URL, KEYGATE_ODOO_DB and
 * KEYGATE_ODOO_ALICE_KEY (optional: KEYGATE_ODOO_BOB_KEY,
 * KEYGATE_ODOO_EXPIRED_KEY, KEYGATE_ODOO_ALICE_PASSWORD,
 * KEYGATE_ODOO_CAROL_PASSWORD), or name a file of such lines in
 * KEYGATE_ODOO_ENV_FILE. How to run a real Odoo for these tests:
 * docs/HACKING.md, "Real Odoo integration tests". */
#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "kg-test-utils.h"

/* Waits for @r and keeps the owned result in @r (freed by its g_autoptr). */
#define WAIT(r) ((r) = kg_test_wait_result (&(r)))

#define env  kg_test_odoo_env
#define need kg_test_odoo_need

/* The server's major version (test_version): 18 or 19 for the seeded
 * servers of docs/HACKING.md. */
static int server_major;

static KgProfile *
real_profile (const char *login)
{
  KgProfile *profile = kg_profile_new ();

  kg_profile_set_name (profile, login);
  kg_profile_set_url (profile, env ("KEYGATE_ODOO_URL"));
  kg_profile_set_database (profile, env ("KEYGATE_ODOO_DB"));
  kg_profile_set_login (profile, login);
  kg_profile_set_timeout (profile, 30);
  return profile;
}

static gint64
authenticate (const char    *login,
              const char    *secret,
              KgSecretKind   kind,
              GError       **error)
{
  g_autoptr(KgHttp) http = kg_http_new ();
  g_autoptr(KgProfile) profile = real_profile (login);
  g_autoptr(KgOdooRpc) rpc = kg_odoo_rpc_new (http, profile);
  g_autoptr(GAsyncResult) result = NULL;

  kg_odoo_rpc_authenticate_async (rpc, secret, kind, NULL, kg_test_store_result_cb, &result);
  return kg_odoo_rpc_authenticate_finish (rpc, WAIT (result), error);
}

static KgIdentity *
identity_of (const char  *login,
             const char  *key,
             GError     **error)
{
  g_autoptr(KgHttp) http = kg_http_new ();
  g_autoptr(KgProfile) profile = real_profile (login);
  g_autoptr(KgOdooRpc) rpc = kg_odoo_rpc_new (http, profile);
  g_autoptr(GAsyncResult) result = NULL;

  kg_identity_fetch_async (rpc, key, NULL, kg_test_store_result_cb, &result);
  return kg_identity_fetch_finish (WAIT (result), error);
}

static KgCreateResult *
create_project (const char  *login,
                const char  *key,
                const char  *name,
                GError     **error)
{
  g_autoptr(KgHttp) http = kg_http_new ();
  g_autoptr(KgProfile) profile = real_profile (login);
  g_autoptr(GAsyncResult) result = NULL;
  KgProjectValues values = { 0 };

  values.name = name;
  values.description = "Created by the Keygate integration suite";
  kg_record_create_project_async (http, profile, NULL, key, &values, KG_CREATE_VIA_JSONRPC, NULL,
                                  kg_test_store_result_cb, &result);
  return kg_record_create_project_finish (WAIT (result), error);
}

static void
test_version (void)
{
  g_autoptr(KgHttp) http = kg_http_new ();
  g_autoptr(KgProfile) profile = real_profile ("alice");
  g_autoptr(KgOdooRpc) rpc = kg_odoo_rpc_new (http, profile);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) version = NULL;
  g_autoptr(GError) error = NULL;

  kg_odoo_rpc_version_async (rpc, NULL, kg_test_store_result_cb, &result);
  version = kg_odoo_rpc_version_finish (rpc, WAIT (result), &error);
  g_assert_no_error (error);
  g_test_message ("server_version: %s", json_object_get_string_member (version, "server_version"));
  server_major = kg_odoo_version_major (version);
  g_assert_cmpint (server_major, >=, 16);
}

static void
test_authenticate_key (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (authenticate ("alice", env ("KEYGATE_ODOO_ALICE_KEY"), KG_SECRET_API_KEY,
                                 &error), >, 0);
  g_assert_no_error (error);
}

static void
test_identity_alice (void)
{
  g_autoptr(KgIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;

  identity = identity_of ("alice", env ("KEYGATE_ODOO_ALICE_KEY"), &error);
  g_assert_no_error (error);
  g_test_message ("alice: uid %" G_GINT64_FORMAT ", name %s, 2FA %d, create %d, %u keys",
                  kg_identity_get_uid (identity), kg_identity_get_name (identity),
                  kg_identity_get_two_factor (identity),
                  kg_identity_get_can_create_projects (identity),
                  kg_identity_get_api_keys (identity)->len);
  g_assert_cmpstr (kg_identity_get_login (identity), ==, "alice");
  g_assert_nonnull (kg_identity_get_name (identity));
  g_assert_cmpint (kg_identity_get_two_factor (identity), ==, KG_TRISTATE_TRUE);
  g_assert_cmpint (kg_identity_get_can_create_projects (identity), ==, KG_TRISTATE_TRUE);
  g_assert_cmpuint (kg_identity_get_api_keys (identity)->len, >, 0);
}

static void
test_create_and_read_back (void)
{
  g_autoptr(KgCreateResult) created = NULL;
  g_autoptr(JsonObject) project = NULL;
  g_autoptr(KgHttp) http = kg_http_new ();
  g_autoptr(KgProfile) profile = real_profile ("alice");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("Keygate integration %" G_GINT64_FORMAT,
                                           g_get_real_time ());

  created = create_project ("alice", env ("KEYGATE_ODOO_ALICE_KEY"), name, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kg_create_result_get_id (created), >, 0);
  g_test_message ("created project.project %" G_GINT64_FORMAT, kg_create_result_get_id (created));

  kg_record_read_project_async (http, profile, env ("KEYGATE_ODOO_ALICE_KEY"),
                                kg_create_result_get_id (created), NULL,
                                kg_test_store_result_cb, &result);
  project = kg_record_read_project_finish (WAIT (result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (project, "name"), ==, name);
  g_assert_cmpstr (json_object_get_string_member (project, "description"), ==,
                   "<p>Created by the Keygate integration suite</p>");
}

static void
test_bob_denied (void)
{
  g_autoptr(KgCreateResult) created = NULL;
  g_autoptr(KgIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;

  if (!need ("KEYGATE_ODOO_BOB_KEY"))
    return;

  created = create_project ("bob", env ("KEYGATE_ODOO_BOB_KEY"), "Bob may not", &error);
  g_assert_null (created);
  g_assert_error (error, KG_ERROR, KG_ERROR_ACCESS_ERROR);
  g_assert_nonnull (strstr (error->message, "Project/Administrator"));
  g_clear_error (&error);

  identity = identity_of ("bob", env ("KEYGATE_ODOO_BOB_KEY"), &error);
  g_assert_no_error (error);
  g_assert_cmpint (kg_identity_get_can_create_projects (identity), ==, KG_TRISTATE_FALSE);
}

static void
test_expired_key (void)
{
  g_autoptr(GError) error = NULL;

  if (!need ("KEYGATE_ODOO_EXPIRED_KEY"))
    return;

  g_assert_cmpint (authenticate ("alice", env ("KEYGATE_ODOO_EXPIRED_KEY"), KG_SECRET_API_KEY,
                                 &error), ==, 0);
  g_assert_error (error, KG_ERROR, KG_ERROR_ACCESS_DENIED);
}

static void
test_alice_password (void)
{
  g_autoptr(GError) error = NULL;

  if (!need ("KEYGATE_ODOO_ALICE_PASSWORD"))
    return;

  /* 2FA on: her password is refused over RPC, exactly like a wrong key. */
  g_assert_cmpint (authenticate ("alice", env ("KEYGATE_ODOO_ALICE_PASSWORD"),
                                 KG_SECRET_PASSWORD, &error), ==, 0);
  g_assert_error (error, KG_ERROR, KG_ERROR_ACCESS_DENIED);
}

static void
test_carol_password (void)
{
  g_autoptr(GError) error = NULL;

  if (!need ("KEYGATE_ODOO_CAROL_PASSWORD"))
    return;

  g_assert_cmpint (authenticate ("carol", env ("KEYGATE_ODOO_CAROL_PASSWORD"),
                                 KG_SECRET_PASSWORD, &error), >, 0);
  g_assert_no_error (error);
}

static void
test_unknown_database (void)
{
  g_autoptr(KgHttp) http = kg_http_new ();
  g_autoptr(KgProfile) profile = real_profile ("alice");
  g_autoptr(KgOdooRpc) rpc = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  kg_profile_set_database (profile, "keygate_no_such_db");
  rpc = kg_odoo_rpc_new (http, profile);
  kg_odoo_rpc_authenticate_async (rpc, env ("KEYGATE_ODOO_ALICE_KEY"), KG_SECRET_API_KEY, NULL,
                                  kg_test_store_result_cb, &result);
  g_assert_cmpint (kg_odoo_rpc_authenticate_finish (rpc, WAIT (result), &error),
                   ==, 0);
  g_assert_error (error, KG_ERROR, KG_ERROR_UNKNOWN_DATABASE);
}

static int
run_cli (const char  *input,
         char       **out,
         const char  *first,
         ...)
{
  g_auto(KgCliRun) run = { 0 };
  va_list ap;

  va_start (ap, first);
  kg_test_run_cli_valist (&run, input, kg_test_odoo_secrets (), first, ap);
  va_end (ap);
  *out = g_steal_pointer (&run.out);
  return run.status;
}

static void
test_cli (void)
{
  g_autofree char *out = NULL;
  g_autofree char *line = g_strconcat (env ("KEYGATE_ODOO_ALICE_KEY"), "\n", NULL);
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;

  g_assert_cmpint (run_cli (NULL, &out, "profile", "add", "real-alice", "--url",
                            env ("KEYGATE_ODOO_URL"), "--db", env ("KEYGATE_ODOO_DB"),
                            "--login", "alice", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli (line, &out, "key", "set", "real-alice", NULL), ==, 0);
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run_cli (NULL, &out, "key", "verify", "real-alice", "--json", NULL), ==, 0);
  node = json_from_string (out, NULL);
  object = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (object, "login"), ==, "alice");
  g_assert_true (json_object_get_boolean_member (object, "two_factor"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&node, json_node_unref);

  g_assert_cmpint (run_cli (NULL, &out, "create-project", "real-alice", "--name",
                            "Keygate CLI integration", "--json", NULL), ==, 0);
  node = json_from_string (out, NULL);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "project_id"), >, 0);
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run_cli (NULL, &out, "profile", "remove", "real-alice", NULL), ==, 0);
}

/* --- The 2FA doctor (kg-diagnosis.h) against the real server ------------ */

/* Runs the doctor as @login with the given credentials; the exchanges go to
 * the history file too, so that the redaction checks below scan it. */
static KgDiagnosis *
diagnose (KgProfile  *profile,
          const char *api_key,
          const char *password)
{
  g_autoptr(KgHttp) http = kg_http_new ();
  g_autoptr(KgHistory) history = kg_history_new (NULL);
  g_autoptr(KgDiagnosis) diagnosis = NULL;
  GAsyncResult *pending = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  kg_http_set_history (http, G_OBJECT (history));
  diagnosis = kg_diagnosis_new (http, profile);
  kg_diagnosis_set_api_key (diagnosis, api_key);
  kg_diagnosis_set_password (diagnosis, password);
  kg_diagnosis_run_async (diagnosis, NULL, kg_test_store_result_cb, &pending);
  result = kg_test_wait_result (&pending);
  g_assert_true (kg_diagnosis_run_finish (diagnosis, result, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&diagnosis);
}

static KgFinding *
find (KgDiagnosis *diagnosis,
      const char  *check)
{
  GListModel *findings = kg_diagnosis_get_findings (diagnosis);

  for (guint i = 0; i < g_list_model_get_n_items (findings); i++)
    {
      g_autoptr(KgFinding) finding = g_list_model_get_item (findings, i);

      if (g_str_equal (kg_finding_get_check (finding), check))
        return finding;  /* the model keeps it alive */
    }
  g_error ("No finding for check %s", check);
  return NULL;
}

/* No finding, no exchange behind one, no log line and no file holds @secret. */
static void
assert_diagnosis_lacks (KgDiagnosis *diagnosis,
                        const char  *secret)
{
  GListModel *findings = kg_diagnosis_get_findings (diagnosis);

  for (guint i = 0; i < g_list_model_get_n_items (findings); i++)
    {
      g_autoptr(KgFinding) finding = g_list_model_get_item (findings, i);
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      g_autofree char *text = NULL;

      json_node_take_object (node, kg_finding_to_json (finding));
      text = json_to_string (node, FALSE);
      g_assert_null (strstr (text, secret));
      if (kg_finding_get_exchange (finding) != NULL)
        {
          g_autoptr(JsonNode) exchange = json_node_new (JSON_NODE_OBJECT);
          g_autofree char *exchange_text = NULL;

          json_node_take_object (exchange, kg_exchange_to_json (kg_finding_get_exchange (finding)));
          exchange_text = json_to_string (exchange, FALSE);
          g_assert_null (strstr (exchange_text, secret));
        }
    }
  g_assert_null (strstr (kg_test_get_logged_text (), secret));
  /* The history file at least was written and scanned. */
  g_assert_cmpuint (kg_test_assert_dir_lacks (kg_test_get_tmpdir (), secret), >, 0);
}

static void
test_diagnose_alice_key (void)
{
  g_autoptr(KgProfile) profile = real_profile ("alice");
  g_autoptr(KgDiagnosis) diagnosis = diagnose (profile, env ("KEYGATE_ODOO_ALICE_KEY"), NULL);
  g_autofree char *sequence = kg_test_findings_sequence (kg_diagnosis_get_findings (diagnosis));
  KgFinding *finding;

  /* The seeded test server leaves list_db on (a warning); alice has 2FA and project
   * rights. Her key-expiry finding depends on when the keys were seeded
   * (she has a key that expires a day after seeding): never a problem. */
  g_assert_true (g_str_has_prefix (sequence,
                                   "server:ok database:ok database-listing:warning api-key:ok "
                                   "identity:ok two-factor:ok can-create:ok key-expiry:"));
  g_assert_null (strstr (sequence, ":problem"));
  g_assert_cmpint (kg_finding_get_status (find (diagnosis, "key-expiry")), !=, KG_FINDING_PROBLEM);
  g_assert_cmpint (kg_diagnosis_get_verdict (diagnosis), !=, KG_FINDING_PROBLEM);
  g_assert_cmpint (kg_diagnosis_get_exit_code (diagnosis), ==, KG_EXIT_OK);

  finding = find (diagnosis, "server");
  {
    g_autofree char *major = g_strdup_printf ("%d", server_major);

    g_assert_cmpint (server_major, >, 0);
    g_assert_nonnull (strstr (kg_finding_get_title (finding), major));
  }
  g_assert_nonnull (kg_finding_get_exchange (finding));
  finding = find (diagnosis, "identity");
  g_assert_nonnull (strstr (kg_finding_get_title (finding), "alice"));
  finding = find (diagnosis, "two-factor");
  g_assert_cmpstr (kg_finding_get_title (finding), ==,
                   "Two-factor authentication is on: the API key is the right credential");
  g_assert_nonnull (strstr (kg_finding_get_explanation (finding), kg_diagnosis_why_keys_work ()));
  finding = find (diagnosis, "database-listing");
  g_assert_nonnull (strstr (kg_finding_get_remedy (finding), "list_db"));

  assert_diagnosis_lacks (diagnosis, env ("KEYGATE_ODOO_ALICE_KEY"));
}

static void
test_diagnose_alice_password (void)
{
  g_autoptr(KgProfile) profile = real_profile ("alice");
  g_autoptr(KgDiagnosis) diagnosis = NULL;
  g_autofree char *sequence = NULL;
  g_autofree char *url = NULL;
  KgFinding *finding;

  if (!need ("KEYGATE_ODOO_ALICE_PASSWORD"))
    return;

  /* Her right password, no key: Odoo answers the interactive login with
   * "uid: null" (second factor pending), so no password login can work.
   * (Odoo also tries to e-mail her a "New Connection" alert: expected.) */
  diagnosis = diagnose (profile, NULL, env ("KEYGATE_ODOO_ALICE_PASSWORD"));
  sequence = kg_test_findings_sequence (kg_diagnosis_get_findings (diagnosis));
  g_assert_cmpstr (sequence, ==,
                   "server:ok database:ok database-listing:warning api-key:warning "
                   "password:problem create-key:warning");
  finding = find (diagnosis, "password");
  g_assert_cmpstr (kg_finding_get_title (finding), ==,
                   "2FA is on: password API logins cannot work for this user; use an API key");
  g_assert_cmpstr (kg_finding_get_error_kind (finding), ==, "two-factor-required");
  g_assert_nonnull (kg_finding_get_exchange (finding));
  g_assert_true (g_str_has_suffix (kg_exchange_get_url (kg_finding_get_exchange (finding)),
                                   "/web/session/authenticate"));
  g_assert_cmpuint (kg_exchange_get_status (kg_finding_get_exchange (finding)), ==, 200);
  g_assert_cmpint (kg_diagnosis_get_verdict (diagnosis), ==, KG_FINDING_PROBLEM);
  g_assert_cmpint (kg_diagnosis_get_exit_code (diagnosis), ==, KG_EXIT_AUTH);

  /* Where to create the key instead: this version's web client home. */
  finding = find (diagnosis, "create-key");
  url = kg_diagnosis_build_preferences_url_for_version (profile, server_major);
  g_assert_nonnull (strstr (kg_finding_get_explanation (finding), url));

  assert_diagnosis_lacks (diagnosis, env ("KEYGATE_ODOO_ALICE_PASSWORD"));
}

static void
test_diagnose_carol_password (void)
{
  g_autoptr(KgProfile) profile = real_profile ("carol");
  g_autoptr(KgDiagnosis) diagnosis = NULL;
  g_autofree char *sequence = NULL;

  if (!need ("KEYGATE_ODOO_CAROL_PASSWORD"))
    return;

  diagnosis = diagnose (profile, NULL, env ("KEYGATE_ODOO_CAROL_PASSWORD"));
  sequence = kg_test_findings_sequence (kg_diagnosis_get_findings (diagnosis));
  g_assert_cmpstr (sequence, ==,
                   "server:ok database:ok database-listing:warning api-key:warning "
                   "password:ok create-key:warning");
  g_assert_cmpstr (kg_finding_get_title (find (diagnosis, "password")), ==,
                   "Password logins work (no 2FA)");
  g_assert_cmpint (kg_diagnosis_get_exit_code (diagnosis), ==, KG_EXIT_OK);
  assert_diagnosis_lacks (diagnosis, env ("KEYGATE_ODOO_CAROL_PASSWORD"));
}

static void
test_diagnose_expired_key (void)
{
  g_autoptr(KgProfile) profile = real_profile ("alice");
  g_autoptr(KgDiagnosis) diagnosis = NULL;
  g_autofree char *sequence = NULL;
  KgFinding *finding;

  if (!need ("KEYGATE_ODOO_EXPIRED_KEY"))
    return;

  diagnosis = diagnose (profile, env ("KEYGATE_ODOO_EXPIRED_KEY"), NULL);
  sequence = kg_test_findings_sequence (kg_diagnosis_get_findings (diagnosis));
  g_assert_cmpstr (sequence, ==,
                   "server:ok database:ok database-listing:warning api-key:problem "
                   "create-key:warning");
  finding = find (diagnosis, "api-key");
  g_assert_cmpstr (kg_finding_get_error_kind (finding), ==, "access-denied");
  g_assert_nonnull (strstr (kg_finding_get_explanation (finding), "expired"));
  g_assert_nonnull (kg_finding_get_exchange (finding));
  g_assert_cmpint (kg_diagnosis_get_exit_code (diagnosis), ==, KG_EXIT_AUTH);
  assert_diagnosis_lacks (diagnosis, env ("KEYGATE_ODOO_EXPIRED_KEY"));
}

static void
test_diagnose_unknown_database (void)
{
  g_autoptr(KgProfile) profile = real_profile ("alice");
  g_autoptr(KgDiagnosis) diagnosis = NULL;
  g_autofree char *sequence = NULL;
  KgFinding *finding;

  kg_profile_set_database (profile, "keygate_no_such_db");
  /* The password too: it must never be sent to a database that is not there. */
  diagnosis = diagnose (profile, env ("KEYGATE_ODOO_ALICE_KEY"),
                        env ("KEYGATE_ODOO_ALICE_PASSWORD"));
  sequence = kg_test_findings_sequence (kg_diagnosis_get_findings (diagnosis));
  g_assert_cmpstr (sequence, ==, "server:ok database:problem");
  finding = find (diagnosis, "database");
  g_assert_cmpstr (kg_finding_get_error_kind (finding), ==, "unknown-database");
  /* The server lists its databases: the remedy names the real one. */
  g_assert_nonnull (strstr (kg_finding_get_remedy (finding), env ("KEYGATE_ODOO_DB")));
  g_assert_cmpint (kg_diagnosis_get_exit_code (diagnosis), ==, KG_EXIT_SERVER);
  assert_diagnosis_lacks (diagnosis, env ("KEYGATE_ODOO_ALICE_KEY"));
}

/* keygate-cli diagnose: a profile, its key in the keyring, the exit code. */
static int
cli_diagnose (const char *profile_name,
              const char *key,
              JsonNode  **findings_out)
{
  g_autofree char *out = NULL;
  g_autofree char *line = g_strconcat (key, "\n", NULL);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  int rc;

  g_assert_cmpint (run_cli (NULL, &out, "profile", "add", profile_name, "--url",
                            env ("KEYGATE_ODOO_URL"), "--db", env ("KEYGATE_ODOO_DB"),
                            "--login", "alice", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli (line, &out, "key", "set", profile_name, NULL), ==, 0);
  g_clear_pointer (&out, g_free);

  rc = run_cli (NULL, &out, "diagnose", profile_name, "--json", NULL);
  node = json_from_string (out, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  *findings_out = json_node_ref (node);
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run_cli (NULL, &out, "profile", "remove", profile_name, NULL), ==, 0);
  return rc;
}

static char *
json_sequence (JsonNode *node)
{
  JsonArray *findings = json_object_get_array_member (json_node_get_object (node), "findings");
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (findings); i++)
    {
      JsonObject *finding = json_array_get_object_element (findings, i);

      if (text->len > 0)
        g_string_append_c (text, ' ');
      g_string_append_printf (text, "%s:%s", json_object_get_string_member (finding, "check"),
                              json_object_get_string_member (finding, "status"));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
test_cli_diagnose (void)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *sequence = NULL;

  g_assert_cmpint (cli_diagnose ("real-diagnose-alice", env ("KEYGATE_ODOO_ALICE_KEY"), &node),
                   ==, KG_EXIT_OK);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (node), "ok"));
  sequence = json_sequence (node);
  g_assert_true (g_str_has_prefix (sequence, "server:ok database:ok database-listing:warning "
                                             "api-key:ok identity:ok two-factor:ok"));
  g_assert_null (strstr (sequence, ":problem"));
  g_clear_pointer (&node, json_node_unref);
  g_clear_pointer (&sequence, g_free);

  if (!need ("KEYGATE_ODOO_EXPIRED_KEY"))
    return;
  g_assert_cmpint (cli_diagnose ("real-diagnose-expired", env ("KEYGATE_ODOO_EXPIRED_KEY"), &node),
                   ==, KG_EXIT_AUTH);
  g_assert_false (json_object_get_boolean_member (json_node_get_object (node), "ok"));
  sequence = json_sequence (node);
  g_assert_cmpstr (sequence, ==, "server:ok database:ok database-listing:warning api-key:problem "
                                 "create-key:warning");
}

static void
test_no_secret_written (void)
{
  for (const char * const *secret = kg_test_odoo_secrets (); *secret != NULL; secret++)
    {
      kg_test_assert_dir_lacks (kg_test_get_tmpdir (), *secret);
      g_assert_null (strstr (kg_test_get_logged_text (), *secret));
    }
}

int
main (int   argc,
      char *argv[])
{
  int rc;

  kg_test_init (&argc, &argv);
  if ((rc = kg_test_odoo_skip_unless ("/integration/not-configured", NULL)) >= 0)
    return rc;
  kg_test_capture_logs ();

  g_test_add_func ("/integration/version", test_version);
  g_test_add_func ("/integration/authenticate-key", test_authenticate_key);
  g_test_add_func ("/integration/identity-alice", test_identity_alice);
  g_test_add_func ("/integration/create-and-read-back", test_create_and_read_back);
  g_test_add_func ("/integration/bob-denied", test_bob_denied);
  g_test_add_func ("/integration/expired-key", test_expired_key);
  g_test_add_func ("/integration/alice-password-2fa", test_alice_password);
  g_test_add_func ("/integration/carol-password", test_carol_password);
  g_test_add_func ("/integration/unknown-database", test_unknown_database);
  g_test_add_func ("/integration/cli", test_cli);
  g_test_add_func ("/integration/diagnose-alice-key", test_diagnose_alice_key);
  g_test_add_func ("/integration/diagnose-alice-password-2fa", test_diagnose_alice_password);
  g_test_add_func ("/integration/diagnose-carol-password", test_diagnose_carol_password);
  g_test_add_func ("/integration/diagnose-expired-key", test_diagnose_expired_key);
  g_test_add_func ("/integration/diagnose-unknown-database", test_diagnose_unknown_database);
  g_test_add_func ("/integration/diagnose-cli", test_cli_diagnose);
  g_test_add_func ("/integration/no-secret-written", test_no_secret_written);

  return g_test_run ();
}
