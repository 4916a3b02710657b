/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "kg-hostile-routes.h"
#include "kg-test-utils.h"

/* The 2FA doctor against the demo server. Each case asserts the whole
 * sequence of findings as "check:status" words, in order. The shared demo
 * server sees at most 2 failed interactive logins from this program;
 * tests that need more use a server of their own. */

typedef struct
{
  KgHttp    *http;
  KgHistory *history;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->http = kg_http_new ();
  fixture->history = kg_history_new (NULL);
  kg_http_set_history (fixture->http, G_OBJECT (fixture->history));
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_object (&fixture->history);
  g_clear_object (&fixture->http);
}

static KgDemoServer *
start_own_server (void)
{
  KgDemoServer *server = kg_demo_server_new ();
  g_autoptr(GError) error = NULL;

  kg_demo_server_start_in_thread (server, &error);
  g_assert_no_error (error);
  return server;
}

static KgProfile *
profile_for (KgDemoServer *server,
             const char   *login)
{
  KgProfile *profile = kg_test_demo_profile (login);

  if (server != NULL)
    kg_profile_set_url (profile, kg_demo_server_get_url (server));
  return profile;
}

static KgDiagnosis *
diagnose (Fixture    *fixture,
          KgProfile  *profile,
          const char *api_key,
          const char *password)
{
  g_autoptr(KgDiagnosis) diagnosis = kg_diagnosis_new (fixture->http, profile);
  GAsyncResult *pending = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

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

static void
assert_text_lacks (KgDiagnosis *diagnosis,
                   const char  *secret)
{
  GListModel *findings = kg_diagnosis_get_findings (diagnosis);

  for (guint i = 0; i < g_list_model_get_n_items (findings); i++)
    {
      g_autoptr(KgFinding) finding = g_list_model_get_item (findings, i);
      g_autoptr(JsonObject) object = kg_finding_to_json (finding);
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      g_autofree char *text = NULL;

      json_node_set_object (node, object);
      text = json_to_string (node, FALSE);
      g_assert_null (strstr (text, secret));

      if (kg_finding_get_exchange (finding) != NULL)
        {
          g_autoptr(JsonObject) exchange = kg_exchange_to_json (kg_finding_get_exchange (finding));
          g_autoptr(JsonNode) exchange_node = json_node_new (JSON_NODE_OBJECT);
          g_autofree char *exchange_text = NULL;

          json_node_set_object (exchange_node, exchange);
          exchange_text = json_to_string (exchange_node, FALSE);
          g_assert_null (strstr (exchange_text, secret));
        }
    }

  g_assert_null (strstr (kg_test_get_logged_text (), secret));
  /* The history file at least was written and scanned. */
  g_assert_cmpuint (kg_test_assert_dir_lacks (kg_test_get_tmpdir (), secret), >, 0);
}

static void
test_good_key (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(KgProfile) profile = profile_for (NULL, "alice");
  g_autoptr(KgDiagnosis) diagnosis = NULL;
  g_autofree char *sequence = NULL;
  KgFinding *finding;

  diagnosis = diagnose (fixture, profile, KG_DEMO_ALICE_KEY, NULL);
  sequence = kg_test_findings_sequence (kg_diagnosis_get_findings (diagnosis));
  /* Alice: 2FA on, project administrator, her "CI key" expires in 10 days;
   * the demo server lists its databases like a default Odoo. */
  g_assert_cmpstr (sequence, ==,
                   "server:ok database:ok database-listing:warning api-key:ok identity:ok "
                   "two-factor:ok can-create:ok key-expiry:warning");
  g_assert_cmpint (kg_diagnosis_get_verdict (diagnosis), ==, KG_FINDING_WARNING);
  g_assert_cmpint (kg_diagnosis_get_exit_code (diagnosis), ==, KG_EXIT_OK);

  finding = find (diagnosis, "server");
  g_assert_nonnull (strstr (kg_finding_get_title (finding), "18."));
  g_assert_nonnull (kg_finding_get_exchange (finding));
  finding = find (diagnosis, "identity");
  g_assert_nonnull (strstr (kg_finding_get_title (finding), "alice"));
  finding = find (diagnosis, "two-factor");
  g_assert_nonnull (strstr (kg_finding_get_explanation (finding), kg_diagnosis_why_keys_work ()));
  finding = find (diagnosis, "key-expiry");
  g_assert_nonnull (strstr (kg_finding_get_explanation (finding), "CI key"));
  finding = find (diagnosis, "database-listing");
  g_assert_nonnull (strstr (kg_finding_get_remedy (finding), "list_db"));

  /* The made-up password that tells whether the database exists is the
   * one probe: History marks it as the Doctor's, not as a failure. */
  {
    GListModel *entries = kg_history_get_model (fixture->history);
    guint probes = 0;

    for (guint i = 0; i < g_list_model_get_n_items (entries); i++)
      {
        g_autoptr(KgExchange) entry = g_list_model_get_item (entries, i);

        if (g_strcmp0 (kg_exchange_get_step (entry), KG_EXCHANGE_STEP_PROBE) != 0)
          continue;
        probes++;
        g_assert_cmpstr (kg_exchange_get_label (entry), ==, "common.authenticate");
        g_assert_cmpstr (kg_exchange_get_outcome (entry), !=, "ok");
      }
    g_assert_cmpuint (probes, ==, 1);
    g_assert_null (kg_exchange_get_step (kg_finding_get_exchange (find (diagnosis, "api-key"))));
  }

  assert_text_lacks (diagnosis, KG_DEMO_ALICE_KEY);
}

static void
test_user_without_rights (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(KgProfile) profile = profile_for (NULL, "bob");
  g_autoptr(KgDiagnosis) diagnosis = NULL;
  g_autofree char *sequence = NULL;
  KgFinding *finding;

  diagnosis = diagnose (fixture, profile, KG_DEMO_BOB_KEY, NULL);
  sequence = kg_test_findings_sequence (kg_diagnosis_get_findings (diagnosis));
  g_assert_true (g_str_has_prefix (sequence,
                                   "server:ok database:ok database-listing:warning api-key:ok "
                                   "identity:ok two-factor:ok can-create:warning"));
  finding = find (diagnosis, "can-create");
  g_assert_nonnull (strstr (kg_finding_get_remedy (finding), "Project / Administrator"));
  finding = find (diagnosis, "two-factor");
  g_assert_nonnull (strstr (kg_finding_get_title (finding), "off"));
  g_assert_cmpint (kg_diagnosis_get_exit_code (diagnosis), ==, KG_EXIT_OK);
}

static void
test_two_factor_password (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(KgProfile) profile = profile_for (NULL, "alice");
  g_autoptr(KgDiagnosis) diagnosis = NULL;
  g_autofree char *sequence = NULL;
  g_autofree char *url = NULL;
  KgFinding *finding;

  /* No key, the right password of a 2FA user: the uid-null path. */
  diagnosis = diagnose (fixture, profile, NULL, KG_DEMO_ALICE_PASSWORD);
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
  g_assert_cmpint (kg_diagnosis_get_exit_code (diagnosis), ==, KG_EXIT_AUTH);
  g_assert_cmpint (kg_diagnosis_get_verdict (diagnosis), ==, KG_FINDING_PROBLEM);

  finding = find (diagnosis, "create-key");
  url = kg_diagnosis_build_preferences_url_for_version (profile, 18);
  g_assert_nonnull (strstr (kg_finding_get_explanation (finding), url));
  g_assert_nonnull (strstr (kg_finding_get_explanation (finding), "New API Key"));
  g_assert_nonnull (strstr (kg_finding_get_explanation (finding), "90 days"));
  g_assert_nonnull (strstr (kg_finding_get_remedy (finding), "keygate-cli key set 'Demo alice'"));

  assert_text_lacks (diagnosis, KG_DEMO_ALICE_PASSWORD);
}

static void
test_two_factor_password_with_key (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(KgProfile) profile = profile_for (NULL, "alice");
  g_autoptr(KgDiagnosis) diagnosis = NULL;
  g_autofree char *sequence = NULL;

  /* With a working key the password path is only a warning. */
  diagnosis = diagnose (fixture, profile, KG_DEMO_ALICE_KEY, KG_DEMO_ALICE_PASSWORD);
  sequence = kg_test_findings_sequence (kg_diagnosis_get_findings (diagnosis));
  g_assert_true (g_str_has_suffix (sequence, "key-expiry:warning password:warning"));
  g_assert_cmpint (kg_diagnosis_get_exit_code (diagnosis), ==, KG_EXIT_OK);
  assert_text_lacks (diagnosis, KG_DEMO_ALICE_PASSWORD);
  assert_text_lacks (diagnosis, KG_DEMO_ALICE_KEY);
}

static void
test_no_two_factor_password (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(KgProfile) profile = profile_for (NULL, "carol");
  g_autoptr(KgDiagnosis) diagnosis = NULL;
  g_autofree char *sequence = NULL;

  diagnosis = diagnose (fixture, profile, NULL, KG_DEMO_CAROL_PASSWORD);
  sequence = kg_test_findings_sequence (kg_diagnosis_get_findings (diagnosis));
  g_assert_cmpstr (sequence, ==,
                   "server:ok database:ok database-listing:warning api-key:warning "
                   "password:ok create-key:warning");
  g_assert_cmpstr (kg_finding_get_title (find (diagnosis, "password")), ==,
                   "Password logins work (no 2FA)");
  g_assert_cmpint (kg_diagnosis_get_exit_code (diagnosis), ==, KG_EXIT_OK);
  assert_text_lacks (diagnosis, KG_DEMO_CAROL_PASSWORD);
}

static void
test_wrong_password (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(KgProfile) profile = profile_for (NULL, "carol");
  g_autoptr(KgDiagnosis) diagnosis = NULL;
  g_autofree char *sequence = NULL;
  const char *wrong = "carol-wrong-pw-0815";

  diagnosis = diagnose (fixture, profile, KG_DEMO_CAROL_KEY, wrong);
  sequence = kg_test_findings_sequence (kg_diagnosis_get_findings (diagnosis));
  g_assert_true (g_str_has_prefix (sequence, "server:ok database:ok database-listing:warning "
                                             "api-key:ok identity:ok two-factor:ok"));
  g_assert_true (g_str_has_suffix (sequence, "password:problem"));
  g_assert_cmpstr (kg_finding_get_title (find (diagnosis, "password")), ==, "Wrong password");
  g_assert_cmpstr (kg_finding_get_error_kind (find (diagnosis, "password")), ==, "access-denied");
  g_assert_cmpint (kg_diagnosis_get_exit_code (diagnosis), ==, KG_EXIT_AUTH);
  assert_text_lacks (diagnosis, wrong);
}

static void
assert_key_refused (Fixture    *fixture,
                    const char *login,
                    const char *key)
{
  g_autoptr(KgProfile) profile = profile_for (NULL, login);
  g_autoptr(KgDiagnosis) diagnosis = NULL;
  g_autofree char *sequence = NULL;
  KgFinding *finding;

  diagnosis = diagnose (fixture, profile, key, NULL);
  sequence = kg_test_findings_sequence (kg_diagnosis_get_findings (diagnosis));
  g_assert_cmpstr (sequence, ==,
                   "server:ok database:ok database-listing:warning api-key:problem "
                   "create-key:warning");
  finding = find (diagnosis, "api-key");
  g_assert_cmpstr (kg_finding_get_error_kind (finding), ==, "access-denied");
  /* The five causes, each named. */
  g_assert_nonnull (strstr (kg_finding_get_explanation (finding), "wrong key"));
  g_assert_nonnull (strstr (kg_finding_get_explanation (finding), "revoked"));
  g_assert_nonnull (strstr (kg_finding_get_explanation (finding), "expired"));
  g_assert_nonnull (strstr (kg_finding_get_explanation (finding), "another login"));
  g_assert_nonnull (strstr (kg_finding_get_explanation (finding), "unknown login"));
  g_assert_nonnull (strstr (kg_finding_get_explanation (finding), "two-factor"));
  g_assert_cmpint (kg_diagnosis_get_exit_code (diagnosis), ==, KG_EXIT_AUTH);
  assert_text_lacks (diagnosis, key);
}

static void
test_expired_key (Fixture       *fixture,
                  gconstpointer  data)
{
  assert_key_refused (fixture, "alice", KG_DEMO_EXPIRED_KEY);
}

static void
test_key_of_other_login (Fixture       *fixture,
                         gconstpointer  data)
{
  assert_key_refused (fixture, "alice", KG_DEMO_BOB_KEY);
}

static void
assert_key_name_finding (Fixture        *fixture,
                         const char     *key_name,
                         const char     *title)
{
  g_autoptr(KgProfile) profile = profile_for (NULL, "carol");
  g_autoptr(KgDiagnosis) diagnosis = NULL;
  g_autofree char *sequence = NULL;

  /* A refused key, and carol's password (no 2FA) as the other working
   * credential that may list her keys by name. */
  kg_profile_set_key_name (profile, key_name);
  diagnosis = diagnose (fixture, profile, KG_DEMO_BOB_KEY, KG_DEMO_CAROL_PASSWORD);
  sequence = kg_test_findings_sequence (kg_diagnosis_get_findings (diagnosis));
  g_assert_cmpstr (sequence, ==,
                   "server:ok database:ok database-listing:warning api-key:problem "
                   "password:ok key-expiry:warning create-key:warning");
  g_assert_cmpstr (kg_finding_get_title (find (diagnosis, "key-expiry")), ==, title);
  g_assert_nonnull (strstr (kg_finding_get_explanation (find (diagnosis, "key-expiry")), key_name));
  g_assert_cmpint (kg_diagnosis_get_exit_code (diagnosis), ==, KG_EXIT_AUTH);
  assert_text_lacks (diagnosis, KG_DEMO_CAROL_PASSWORD);
  assert_text_lacks (diagnosis, KG_DEMO_BOB_KEY);
}

static void
test_key_name_gone (Fixture       *fixture,
                    gconstpointer  data)
{
  /* Odoo removes expired keys: a name that is not listed any more. */
  assert_key_name_finding (fixture, "Old carol script key", "The stored key was revoked or has expired");
}

static void
test_key_name_other_key (Fixture       *fixture,
                         gconstpointer  data)
{
  assert_key_name_finding (fixture, "Carol demo key", "The stored key is not the key with that name");
}

static void
test_key_name_without_password (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(KgProfile) profile = profile_for (NULL, "alice");
  g_autoptr(KgDiagnosis) diagnosis = NULL;
  g_autofree char *sequence = NULL;

  /* Alice has 2FA: her password is no second credential; skipped. */
  kg_profile_set_key_name (profile, "Old script key");
  diagnosis = diagnose (fixture, profile, KG_DEMO_EXPIRED_KEY, KG_DEMO_ALICE_PASSWORD);
  sequence = kg_test_findings_sequence (kg_diagnosis_get_findings (diagnosis));
  g_assert_cmpstr (sequence, ==,
                   "server:ok database:ok database-listing:warning api-key:problem "
                   "password:problem create-key:warning");
}

static void
test_unknown_database (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(KgProfile) profile = profile_for (NULL, "alice");
  g_autoptr(KgDiagnosis) diagnosis = NULL;
  g_autofree char *sequence = NULL;
  KgFinding *finding;

  kg_profile_set_database (profile, "no_such_db");
  diagnosis = diagnose (fixture, profile, KG_DEMO_ALICE_KEY, KG_DEMO_ALICE_PASSWORD);
  sequence = kg_test_findings_sequence (kg_diagnosis_get_findings (diagnosis));
  /* Stops there: no key check, and the password is never sent. */
  g_assert_cmpstr (sequence, ==, "server:ok database:problem");
  finding = find (diagnosis, "database");
  g_assert_cmpstr (kg_finding_get_error_kind (finding), ==, "unknown-database");
  /* The server lists its databases: the remedy names the real one. */
  g_assert_nonnull (strstr (kg_finding_get_remedy (finding), KG_DEMO_DATABASE));
  g_assert_cmpint (kg_diagnosis_get_exit_code (diagnosis), ==, KG_EXIT_SERVER);
}

static void
test_listing_refused (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(KgDemoServer) server = kg_demo_server_new ();
  g_autoptr(KgProfile) profile = NULL;
  g_autoptr(KgDiagnosis) diagnosis = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sequence = NULL;

  kg_demo_server_set_list_db (server, FALSE);
  kg_demo_server_start_in_thread (server, &error);
  g_assert_no_error (error);
  profile = profile_for (server, "carol");

  diagnosis = diagnose (fixture, profile, KG_DEMO_CAROL_KEY, NULL);
  sequence = kg_test_findings_sequence (kg_diagnosis_get_findings (diagnosis));
  g_assert_true (g_str_has_prefix (sequence,
                                   "server:ok database:ok database-listing:ok api-key:ok"));
  kg_demo_server_stop (server);
}

static void
test_not_odoo (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(KgDemoServer) server = kg_demo_server_new ();
  g_autoptr(KgProfile) profile = NULL;
  g_autoptr(KgDiagnosis) diagnosis = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sequence = NULL;
  KgFinding *finding;

  /* A web server that answers every path with an HTML page. */
  kg_hostile_routes_set_mode (kg_hostile_routes_register (server), "html");
  kg_demo_server_start_in_thread (server, &error);
  g_assert_no_error (error);
  profile = profile_for (server, "alice");

  diagnosis = diagnose (fixture, profile, KG_DEMO_ALICE_KEY, KG_DEMO_ALICE_PASSWORD);
  sequence = kg_test_findings_sequence (kg_diagnosis_get_findings (diagnosis));
  g_assert_cmpstr (sequence, ==, "server:problem");
  finding = find (diagnosis, "server");
  g_assert_cmpstr (kg_finding_get_title (finding), ==, "This is not an Odoo server");
  g_assert_cmpstr (kg_finding_get_error_kind (finding), ==, "not-json");
  g_assert_nonnull (kg_finding_get_exchange (finding));
  g_assert_cmpint (kg_diagnosis_get_exit_code (diagnosis), ==, KG_EXIT_SERVER);
  /* Only the version probe was sent: never the key nor the password. */
  g_assert_cmpuint (kg_demo_server_get_request_count (server), ==, 1);
  kg_demo_server_stop (server);
}

static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(KgProfile) profile = profile_for (NULL, "alice");
  g_autoptr(KgDiagnosis) diagnosis = NULL;
  g_autofree char *sequence = NULL;
  g_autofree char *url = kg_test_closed_url ();
  KgFinding *finding;

  kg_profile_set_url (profile, url);
  diagnosis = diagnose (fixture, profile, KG_DEMO_ALICE_KEY, NULL);
  sequence = kg_test_findings_sequence (kg_diagnosis_get_findings (diagnosis));
  g_assert_cmpstr (sequence, ==, "server:problem");
  finding = find (diagnosis, "server");
  g_assert_cmpstr (kg_finding_get_error_kind (finding), ==, "network");
  g_assert_cmpint (kg_diagnosis_get_exit_code (diagnosis), ==, KG_EXIT_CONNECTION);
}

static void
test_timeout (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(KgDemoServer) server = kg_demo_server_new ();
  g_autoptr(KgProfile) profile = NULL;
  g_autoptr(KgDiagnosis) diagnosis = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sequence = NULL;
  KgHostileRoutes *hostile;

  /* Every answer comes after 3 s; the profile waits 1 s. */
  hostile = kg_hostile_routes_register (server);
  kg_hostile_routes_set_mode (hostile, "slow");
  kg_hostile_routes_set_slow_delay (hostile, 3000);
  kg_demo_server_start_in_thread (server, &error);
  g_assert_no_error (error);
  profile = profile_for (server, "alice");
  kg_profile_set_timeout (profile, 1);

  diagnosis = diagnose (fixture, profile, KG_DEMO_ALICE_KEY, NULL);
  sequence = kg_test_findings_sequence (kg_diagnosis_get_findings (diagnosis));
  g_assert_cmpstr (sequence, ==, "server:problem");
  g_assert_cmpstr (kg_finding_get_error_kind (find (diagnosis, "server")), ==, "timeout");
  g_assert_cmpint (kg_diagnosis_get_exit_code (diagnosis), ==, KG_EXIT_CONNECTION);
  kg_demo_server_stop (server);
}

static void
test_insecure_transport (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(KgProfile) profile = profile_for (NULL, "alice");
  g_autoptr(KgDiagnosis) diagnosis = NULL;
  g_autofree char *sequence = NULL;

  /* http:// to a host that is not loopback (TEST-NET-1: nothing answers). */
  kg_profile_set_url (profile, "http://192.0.2.1:8069");
  kg_profile_set_timeout (profile, 1);
  g_assert_true (kg_profile_is_insecure (profile));
  diagnosis = diagnose (fixture, profile, NULL, NULL);
  sequence = kg_test_findings_sequence (kg_diagnosis_get_findings (diagnosis));
  g_assert_cmpstr (sequence, ==, "server:problem transport:warning");
  g_assert_nonnull (strstr (kg_finding_get_title (find (diagnosis, "transport")), "in clear"));
  g_assert_cmpint (kg_diagnosis_get_exit_code (diagnosis), ==, KG_EXIT_CONNECTION);
}

static void
test_cooldown (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(KgDemoServer) server = kg_demo_server_new ();
  g_autoptr(KgProfile) profile = NULL;
  g_autoptr(GError) error = NULL;

  kg_demo_server_set_login_cooldown (server, 2, 60);
  kg_demo_server_start_in_thread (server, &error);
  g_assert_no_error (error);
  profile = profile_for (server, "carol");

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(KgDiagnosis) diagnosis = diagnose (fixture, profile, NULL,
                                                   i < 2 ? "wrong-password" : KG_DEMO_CAROL_PASSWORD);
      KgFinding *finding = find (diagnosis, "password");

      g_assert_cmpint (kg_finding_get_status (finding), ==, KG_FINDING_PROBLEM);
      if (i < 2)
        {
          g_assert_cmpstr (kg_finding_get_error_kind (finding), ==, "access-denied");
        }
      else
        {
          /* Even the right password is refused now. */
          g_assert_cmpstr (kg_finding_get_error_kind (finding), ==, "too-many-attempts");
          g_assert_nonnull (strstr (kg_finding_get_explanation (finding), "60 seconds"));
          g_assert_cmpint (kg_diagnosis_get_exit_code (diagnosis), ==, KG_EXIT_AUTH);
        }
    }

  kg_demo_server_stop (server);
}

static void
test_token_route (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(KgProfile) profile = profile_for (NULL, "alice");
  g_autoptr(KgDiagnosis) diagnosis = NULL;
  g_autofree char *sequence = NULL;

  kg_profile_set_protocol (profile, KG_PROTOCOL_TOKEN);
  diagnosis = diagnose (fixture, profile, KG_DEMO_ALICE_KEY, NULL);
  sequence = kg_test_findings_sequence (kg_diagnosis_get_findings (diagnosis));
  g_test_message ("%s", sequence);
  g_assert_true (g_str_has_suffix (sequence, "token-exchange:ok token-route:ok"));
  g_assert_cmpint (kg_diagnosis_get_exit_code (diagnosis), ==, KG_EXIT_OK);
  assert_text_lacks (diagnosis, KG_DEMO_ALICE_KEY);
}

static void
test_token_route_disagrees (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(KgDemoServer) server = start_own_server ();
  g_autoptr(KgProfile) profile = profile_for (server, "alice");
  g_autoptr(KgDiagnosis) diagnosis = NULL;
  g_autofree char *sequence = NULL;
  KgFinding *finding;

  /* The exchange works, but the route reads the token from another header
   * than the one the profile sends it in. */
  kg_profile_set_protocol (profile, KG_PROTOCOL_TOKEN);
  kg_demo_server_set_token_header (server, "X-Other-Token");
  kg_token_spec_set_send_as (kg_profile_get_token_spec (profile), KG_TOKEN_SEND_HEADER);
  kg_token_spec_set_send_header (kg_profile_get_token_spec (profile), "X-Access-Token");
  diagnosis = diagnose (fixture, profile, KG_DEMO_ALICE_KEY, NULL);
  sequence = kg_test_findings_sequence (kg_diagnosis_get_findings (diagnosis));
  g_assert_true (g_str_has_suffix (sequence, "api-key:ok identity:ok two-factor:ok can-create:ok "
                                             "key-expiry:warning token-exchange:ok token-route:problem"));
  finding = find (diagnosis, "token-route");
  g_assert_cmpstr (kg_finding_get_title (finding), ==,
                   "The route’s token check and the exchange disagree");
  g_assert_cmpint (kg_diagnosis_get_exit_code (diagnosis), ==, KG_EXIT_AUTH);
  kg_demo_server_stop (server);
}

static void
test_texts (void)
{
  g_autoptr(KgProfile) profile = kg_profile_new ();
  g_autofree char *url18 = NULL;
  g_autofree char *url17 = NULL;
  g_autofree char *url = NULL;

  kg_profile_set_url (profile, "https://odoo.example.com");
  url18 = kg_diagnosis_build_preferences_url_for_version (profile, 18);
  url17 = kg_diagnosis_build_preferences_url_for_version (profile, 17);
  url = kg_diagnosis_build_preferences_url (profile);
  g_assert_cmpstr (url18, ==, "https://odoo.example.com/odoo");
  g_assert_cmpstr (url17, ==, "https://odoo.example.com/web");
  g_assert_cmpstr (url, ==, url18);

  g_assert_nonnull (strstr (kg_diagnosis_password_warning (), "New Connection"));
  g_assert_nonnull (strstr (kg_diagnosis_password_warning (), "60 seconds"));
  g_assert_nonnull (strstr (kg_diagnosis_create_key_steps (), "Account Security"));
  g_assert_nonnull (strstr (kg_diagnosis_create_key_steps (), "only once"));
  g_assert_nonnull (strstr (kg_diagnosis_why_passwords_fail (), "two-factor"));
}

int
main (int   argc,
      char *argv[])
{
  kg_test_init (&argc, &argv);
  kg_test_capture_logs ();

#define ADD(path, func) \
  g_test_add ("/core/diagnosis/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("good-key", test_good_key);
  ADD ("user-without-rights", test_user_without_rights);
  ADD ("two-factor-password", test_two_factor_password);
  ADD ("two-factor-password-with-key", test_two_factor_password_with_key);
  ADD ("no-two-factor-password", test_no_two_factor_password);
  ADD ("wrong-password", test_wrong_password);
  ADD ("expired-key", test_expired_key);
  ADD ("key-of-other-login", test_key_of_other_login);
  ADD ("key-name-gone", test_key_name_gone);
  ADD ("key-name-other-key", test_key_name_other_key);
  ADD ("key-name-without-password", test_key_name_without_password);
  ADD ("unknown-database", test_unknown_database);
  ADD ("listing-refused", test_listing_refused);
  ADD ("not-odoo", test_not_odoo);
  ADD ("refused", test_refused);
  ADD ("timeout", test_timeout);
  ADD ("insecure-transport", test_insecure_transport);
  ADD ("cooldown", test_cooldown);
  ADD ("token-route", test_token_route);
  ADD ("token-route-disagrees", test_token_route_disagrees);
#undef ADD
  g_test_add_func ("/core/diagnosis/texts", test_texts);

  return g_test_run ();
}
