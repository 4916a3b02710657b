/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "kg-test-utils.h"

/* Password login through /web/session/authenticate against the demo
 * server (it answers like the captured Odoo exchanges 10–14 and 80–83 in
 * tests/fixtures/odoo-protocol/). */

typedef struct
{
  KgHttp                *http;
  KgHistory             *history;
  GPtrArray             *recorded;
} Fixture;

static void
recorded_cb (KgHttp     *http,
             KgExchange *exchange,
             gpointer    user_data)
{
  Fixture *fixture = user_data;

  g_ptr_array_add (fixture->recorded, g_object_ref (exchange));
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->http = kg_http_new ();
  fixture->history = kg_history_new (NULL);
  kg_http_set_history (fixture->http, G_OBJECT (fixture->history));
  fixture->recorded = g_ptr_array_new_with_free_func (g_object_unref);
  g_signal_connect (fixture->http, "exchange-recorded", G_CALLBACK (recorded_cb), fixture);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_signal_handlers_disconnect_by_data (fixture->http, fixture);
  g_clear_pointer (&fixture->recorded, g_ptr_array_unref);
  g_clear_object (&fixture->history);
  g_clear_object (&fixture->http);
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

static KgSessionLoginOutcome
login (Fixture     *fixture,
       KgProfile   *profile,
       const char  *password,
       gint64      *uid,
       KgExchange **exchange,
       GError     **error)
{
  GAsyncResult *pending = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  KgSessionLoginOutcome outcome;

  kg_session_login_async (fixture->http, profile, password, NULL, kg_test_store_result_cb,
                          &pending);
  result = kg_test_wait_result (&pending);
  outcome = kg_session_login_finish (result, uid, error);
  if (exchange != NULL)
    *exchange = kg_session_login_get_exchange (result) ?
                g_object_ref (kg_session_login_get_exchange (result)) : NULL;
  return outcome;
}

/* Everything the exchange shows, stores or exports. */
static char *
exchange_text (KgExchange *exchange)
{
  g_autoptr(JsonObject) object = kg_exchange_to_json (exchange);
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *curl = kg_exchange_to_curl (exchange);
  g_autofree char *json = NULL;

  json_node_set_object (node, object);
  json = json_to_string (node, FALSE);
  return g_strconcat (json, "\n", curl, NULL);
}

static void
assert_no_secret_anywhere (Fixture    *fixture,
                           const char *secret)
{
  for (guint i = 0; i < fixture->recorded->len; i++)
    {
      g_autofree char *text = exchange_text (g_ptr_array_index (fixture->recorded, i));

      g_assert_null (strstr (text, secret));
    }
  g_assert_null (strstr (kg_test_get_logged_text (), secret));
  /* The history file at least was written and scanned. */
  g_assert_cmpuint (kg_test_assert_dir_lacks (kg_test_get_tmpdir (), secret), >, 0);
}

static void
test_no_two_factor (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(KgProfile) profile = profile_for (NULL, "carol");
  g_autoptr(GError) error = NULL;
  g_autoptr(KgExchange) exchange = NULL;
  g_autofree char *text = NULL;
  gboolean seen_cookie = FALSE;
  gint64 uid = 0;
  KgSessionLoginOutcome outcome;

  outcome = login (fixture, profile, KG_DEMO_CAROL_PASSWORD, &uid, &exchange, &error);
  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, KG_SESSION_LOGIN_OK);
  g_assert_cmpint (uid, ==, KG_DEMO_CAROL_UID);

  /* The request went to the interactive route, was recorded once, and
   * shows neither the password nor the session cookie. */
  g_assert_nonnull (exchange);
  g_assert_cmpuint (fixture->recorded->len, ==, 1);
  g_assert_true (g_ptr_array_index (fixture->recorded, 0) == exchange);
  g_assert_true (g_str_has_suffix (kg_exchange_get_url (exchange), "/web/session/authenticate"));
  g_assert_cmpstr (kg_exchange_get_method (exchange), ==, "POST");
  g_assert_cmpuint (kg_exchange_get_status (exchange), ==, 200);
  g_assert_cmpstr (kg_exchange_get_outcome (exchange), ==, "ok");
  g_assert_nonnull (strstr (kg_exchange_get_request_body (exchange), "<PASSWORD>"));
  g_assert_nonnull (strstr (kg_exchange_get_request_body (exchange), "\"login\""));

  /* Every session_id in the shown, stored or exported copy is a placeholder. */
  text = exchange_text (exchange);
  for (const char *p = strstr (text, "session_id="); p != NULL; p = strstr (p + 1, "session_id="))
    g_assert_true (p[strlen ("session_id=")] == '<');
  for (guint i = 0; i < kg_exchange_get_response_headers (exchange)->len; i++)
    {
      KgHeader *header = g_ptr_array_index (kg_exchange_get_response_headers (exchange), i);

      if (g_ascii_strcasecmp (header->name, "Set-Cookie") == 0)
        {
          seen_cookie = TRUE;
          g_assert_nonnull (strstr (header->value, "<"));
        }
    }
  g_assert_true (seen_cookie);

  assert_no_secret_anywhere (fixture, KG_DEMO_CAROL_PASSWORD);
}

static void
test_two_factor (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(KgProfile) profile = profile_for (NULL, "alice");
  g_autoptr(GError) error = NULL;
  g_autoptr(KgExchange) exchange = NULL;
  gint64 uid = -1;
  KgSessionLoginOutcome outcome;

  outcome = login (fixture, profile, KG_DEMO_ALICE_PASSWORD, &uid, &exchange, &error);
  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, KG_SESSION_LOGIN_TWO_FACTOR);
  g_assert_cmpint (uid, ==, 0);
  /* The history shows why the login did not finish. */
  g_assert_cmpstr (kg_exchange_get_outcome (exchange), ==, "two-factor-required");
  assert_no_secret_anywhere (fixture, KG_DEMO_ALICE_PASSWORD);
}

static void
test_wrong_password (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(KgProfile) profile = profile_for (NULL, "carol");
  g_autoptr(GError) error = NULL;
  g_autoptr(KgExchange) exchange = NULL;
  const char *wrong = "not-carols-password-4711";

  login (fixture, profile, wrong, NULL, &exchange, &error);
  g_assert_error (error, KG_ERROR, KG_ERROR_ACCESS_DENIED);
  g_assert_cmpuint (kg_error_exit_code (error), ==, KG_EXIT_AUTH);
  g_assert_nonnull (kg_error_get_remedy (error));
  g_assert_true (kg_error_get_exchange (error) == exchange);
  g_assert_cmpstr (kg_exchange_get_outcome (exchange), ==, "access-denied");
  g_assert_null (strstr (error->message, wrong));
  assert_no_secret_anywhere (fixture, wrong);
}

static void
test_api_key_as_password (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(KgProfile) profile = profile_for (NULL, "alice");
  g_autoptr(GError) error = NULL;

  /* Interactive logins take passwords only (exchange 12). */
  login (fixture, profile, KG_DEMO_ALICE_KEY, NULL, NULL, &error);
  g_assert_error (error, KG_ERROR, KG_ERROR_ACCESS_DENIED);
  g_assert_nonnull (strstr (error->message, "API key"));
  assert_no_secret_anywhere (fixture, KG_DEMO_ALICE_KEY);
}

static void
test_unknown_database (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(KgProfile) profile = profile_for (NULL, "carol");
  g_autoptr(GError) error = NULL;

  kg_profile_set_database (profile, "no_such_db");
  login (fixture, profile, KG_DEMO_CAROL_PASSWORD, NULL, NULL, &error);
  g_assert_error (error, KG_ERROR, KG_ERROR_UNKNOWN_DATABASE);
  g_assert_cmpuint (kg_error_exit_code (error), ==, KG_EXIT_SERVER);
}

static void
test_cooldown (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(KgDemoServer) server = kg_demo_server_new ();
  g_autoptr(KgProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  KgSessionLoginOutcome outcome;

  /* A server of its own, so the shared one never reaches its cooldown. */
  kg_demo_server_set_login_cooldown (server, 3, 60);
  kg_demo_server_start_in_thread (server, &error);
  g_assert_no_error (error);
  profile = profile_for (server, "carol");

  for (guint i = 0; i < 3; i++)
    {
      login (fixture, profile, "wrong-password", NULL, NULL, &error);
      g_assert_error (error, KG_ERROR, KG_ERROR_ACCESS_DENIED);
      g_clear_error (&error);
    }

  /* Now even the right password is refused (exchange 81). */
  login (fixture, profile, KG_DEMO_CAROL_PASSWORD, NULL, NULL, &error);
  g_assert_error (error, KG_ERROR, KG_ERROR_TOO_MANY_ATTEMPTS);
  g_clear_error (&error);

  /* Carol's own server is not blocked for the others: a JSON-RPC call is
   * not part of the cooldown, and the shared server still logs her in. */
  g_clear_object (&profile);
  profile = profile_for (NULL, "carol");
  outcome = login (fixture, profile, KG_DEMO_CAROL_PASSWORD, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, KG_SESSION_LOGIN_OK);

  kg_demo_server_stop (server);
}

static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(KgProfile) profile = profile_for (NULL, "carol");
  g_autoptr(GError) error = NULL;
  g_autofree char *url = kg_test_closed_url ();

  kg_profile_set_url (profile, url);
  login (fixture, profile, KG_DEMO_CAROL_PASSWORD, NULL, NULL, &error);
  g_assert_error (error, KG_ERROR, KG_ERROR_NETWORK);
  g_assert_cmpuint (kg_error_exit_code (error), ==, KG_EXIT_CONNECTION);
  assert_no_secret_anywhere (fixture, KG_DEMO_CAROL_PASSWORD);
}

int
main (int   argc,
      char *argv[])
{
  kg_test_init (&argc, &argv);
  kg_test_capture_logs ();
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);

#define ADD(path, func) \
  g_test_add ("/core/session-login/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("no-two-factor", test_no_two_factor);
  ADD ("two-factor", test_two_factor);
  ADD ("wrong-password", test_wrong_password);
  ADD ("api-key-as-password", test_api_key_as_password);
  ADD ("unknown-database", test_unknown_database);
  ADD ("cooldown", test_cooldown);
  ADD ("refused", test_refused);
#undef ADD

  return g_test_run ();
}
