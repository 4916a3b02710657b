/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "kg-test-utils.h"

/* Waits for @r and keeps the owned result in @r (freed by its g_autoptr). */
#define WAIT(r) ((r) = kg_test_wait_result (&(r)))

/* ---- Helpers ------------------------------------------------------------- */

typedef struct
{
  KgHttp     *http;
  KgHistory  *history;
  GPtrArray  *recorded;   /* of KgExchange, in the order they were recorded */
} Client;

static void
exchange_recorded_cb (KgHttp     *http,
                      KgExchange *exchange,
                      Client     *client)
{
  g_ptr_array_add (client->recorded, g_object_ref (exchange));
}

static void
client_init (Client *client)
{
  client->http = kg_http_new ();
  client->history = kg_history_new (NULL);
  client->recorded = g_ptr_array_new_with_free_func (g_object_unref);
  kg_http_set_history (client->http, G_OBJECT (client->history));
  g_signal_connect (client->http, "exchange-recorded", G_CALLBACK (exchange_recorded_cb), client);
}

static void
client_clear (Client *client)
{
  g_signal_handlers_disconnect_by_data (client->http, client);
  g_clear_object (&client->http);
  g_clear_object (&client->history);
  g_clear_pointer (&client->recorded, g_ptr_array_unref);
}

static gint64
authenticate (KgOdooRpc     *rpc,
              const char    *secret,
              KgSecretKind   kind,
              GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kg_odoo_rpc_authenticate_async (rpc, secret, kind, NULL, kg_test_store_result_cb, &result);
  return kg_odoo_rpc_authenticate_finish (rpc, WAIT (result), error);
}

static JsonNode *
execute_kw (KgOdooRpc   *rpc,
            gint64       uid,
            const char  *secret,
            const char  *model,
            const char  *method,
            JsonArray   *args,
            JsonObject  *kwargs,
            GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kg_odoo_rpc_execute_kw_async (rpc, uid, secret, model, method, args, kwargs, NULL,
                                kg_test_store_result_cb, &result);
  return kg_odoo_rpc_execute_kw_finish (rpc, WAIT (result), error);
}

static char *
exchange_json_text (KgExchange *exchange)
{
  g_autoptr(JsonObject) object = kg_exchange_to_json (exchange);
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return json_to_string (node, FALSE);
}

/* The secret is in no recorded exchange, curl line or error message. */
static void
assert_exchanges_lack (Client     *client,
                       const char *secret)
{
  g_assert_cmpuint (client->recorded->len, >, 0);
  for (guint i = 0; i < client->recorded->len; i++)
    {
      KgExchange *exchange = g_ptr_array_index (client->recorded, i);
      g_autofree char *json = exchange_json_text (exchange);
      g_autofree char *curl = kg_exchange_to_curl (exchange);
      const GError *error = kg_exchange_get_error (exchange);

      g_assert_null (strstr (json, secret));
      g_assert_null (strstr (curl, secret));
      if (error != NULL)
        g_assert_null (strstr (error->message, secret));
    }
}

/* ---- Against the demo server --------------------------------------------- */

static void
test_version (void)
{
  Client client = { 0 };
  g_autoptr(KgProfile) profile = kg_test_demo_profile ("alice");
  g_autoptr(KgOdooRpc) rpc = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) version = NULL;
  g_autoptr(GError) error = NULL;

  client_init (&client);
  rpc = kg_odoo_rpc_new (client.http, profile);
  kg_odoo_rpc_version_async (rpc, NULL, kg_test_store_result_cb, &result);
  version = kg_odoo_rpc_version_finish (rpc, WAIT (result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (version);
  g_assert_cmpint (kg_odoo_version_major (version), ==, 18);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (version, "server_version"),
                                   "18.0"));

  g_assert_cmpuint (client.recorded->len, ==, 1);
  g_assert_true (kg_odoo_rpc_get_last_exchange (rpc) == g_ptr_array_index (client.recorded, 0));
  g_assert_cmpstr (kg_exchange_get_label (kg_odoo_rpc_get_last_exchange (rpc)), ==,
                   "common.version");
  g_assert_cmpstr (kg_exchange_get_outcome (kg_odoo_rpc_get_last_exchange (rpc)), ==, "ok");
  client_clear (&client);
}

static void
test_version_major_parsing (void)
{
  static const struct {
    const char *json;
    int major;
  } cases[] = {
    { "{\"server_version_info\": [18, 0, 0, \"final\", 0, \"\"], \"server_serie\": \"18.0\"}", 18 },
    { "{\"server_version_info\": [19, 0, 0, \"final\", 0, \"\"]}", 19 },
    { "{\"server_serie\": \"17.0\"}", 17 },
    { "{\"server_version_info\": [\"saas~17\", 4], \"server_serie\": \"saas~17.4\"}", 17 },
    { "{\"server_version\": \"16.0-20230101\"}", 16 },
    { "{\"server_version\": \"unknown\"}", 0 },
    { "{}", 0 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) node = json_from_string (cases[i].json, NULL);

      g_assert_nonnull (node);
      g_assert_cmpint (kg_odoo_version_major (json_node_get_object (node)), ==, cases[i].major);
    }
  g_assert_cmpint (kg_odoo_version_major (NULL), ==, 0);
}

static void
test_authenticate_ok (void)
{
  Client client = { 0 };
  g_autoptr(KgProfile) alice = kg_test_demo_profile ("alice");
  g_autoptr(KgProfile) carol = kg_test_demo_profile ("carol");
  g_autoptr(KgOdooRpc) rpc = NULL;
  g_autoptr(KgOdooRpc) carol_rpc = NULL;
  g_autoptr(GError) error = NULL;
  const KgTiming *timing;

  client_init (&client);
  rpc = kg_odoo_rpc_new (client.http, alice);
  g_assert_cmpint (authenticate (rpc, KG_DEMO_ALICE_KEY, KG_SECRET_API_KEY, &error), ==, 6);
  g_assert_no_error (error);

  /* Timing is recorded. */
  timing = kg_exchange_get_timing (kg_odoo_rpc_get_last_exchange (rpc));
  g_assert_nonnull (timing);
  g_assert_cmpint (timing->total_us, >, 0);
  g_assert_cmpstr (kg_exchange_get_label (kg_odoo_rpc_get_last_exchange (rpc)), ==,
                   "common.authenticate");

  /* Carol has no 2FA: her password works over RPC. */
  carol_rpc = kg_odoo_rpc_new (client.http, carol);
  g_assert_cmpint (authenticate (carol_rpc, KG_DEMO_CAROL_PASSWORD, KG_SECRET_PASSWORD, &error),
                   ==, KG_DEMO_CAROL_UID);
  g_assert_no_error (error);

  assert_exchanges_lack (&client, KG_DEMO_ALICE_KEY);
  assert_exchanges_lack (&client, KG_DEMO_CAROL_PASSWORD);
  client_clear (&client);
}

static void
assert_access_denied (const char   *login,
                      const char   *secret,
                      KgSecretKind  kind)
{
  Client client = { 0 };
  g_autoptr(KgProfile) profile = kg_test_demo_profile (login);
  g_autoptr(KgOdooRpc) rpc = NULL;
  g_autoptr(GError) error = NULL;
  KgExchange *exchange;

  client_init (&client);
  rpc = kg_odoo_rpc_new (client.http, profile);
  g_assert_cmpint (authenticate (rpc, secret, kind, &error), ==, 0);
  g_assert_error (error, KG_ERROR, KG_ERROR_ACCESS_DENIED);
  g_assert_cmpint (kg_error_exit_code (error), ==, KG_EXIT_AUTH);

  /* The message explains the causes the server cannot tell apart. */
  g_assert_nonnull (strstr (error->message, "expired"));
  g_assert_nonnull (strstr (error->message, "another login"));
  g_assert_nonnull (strstr (error->message, "two-factor"));
  g_assert_nonnull (strstr (error->message, login));
  g_assert_nonnull (kg_error_get_remedy (error));

  /* The error carries the exchange, which carries the outcome. */
  exchange = kg_error_get_exchange (error);
  g_assert_nonnull (exchange);
  g_assert_true (exchange == kg_odoo_rpc_get_last_exchange (rpc));
  g_assert_cmpstr (kg_exchange_get_outcome (exchange), ==, "access-denied");
  g_assert_cmpuint (client.recorded->len, ==, 1);

  assert_exchanges_lack (&client, secret);
  client_clear (&client);
}

static void
test_authenticate_denied (void)
{
  /* alice has 2FA: her password is refused over RPC. */
  assert_access_denied ("alice", KG_DEMO_ALICE_PASSWORD, KG_SECRET_PASSWORD);
  /* A well-formed key that was never issued. */
  assert_access_denied ("alice", "0123456789abcdef0123456789abcdef01234567", KG_SECRET_API_KEY);
  assert_access_denied ("alice", KG_DEMO_EXPIRED_KEY, KG_SECRET_API_KEY);
  /* bob's key with the login alice. */
  assert_access_denied ("alice", KG_DEMO_BOB_KEY, KG_SECRET_API_KEY);
}

static void
test_unknown_database (void)
{
  Client client = { 0 };
  g_autoptr(KgProfile) profile = kg_test_demo_profile ("alice");
  g_autoptr(KgOdooRpc) rpc = NULL;
  g_autoptr(GError) error = NULL;

  client_init (&client);
  kg_profile_set_database (profile, "no_such_db");
  rpc = kg_odoo_rpc_new (client.http, profile);
  g_assert_cmpint (authenticate (rpc, KG_DEMO_ALICE_KEY, KG_SECRET_API_KEY, &error), ==, 0);
  g_assert_error (error, KG_ERROR, KG_ERROR_UNKNOWN_DATABASE);
  g_assert_nonnull (strstr (error->message, "no_such_db"));
  g_assert_cmpint (kg_error_exit_code (error), ==, KG_EXIT_SERVER);
  g_assert_cmpstr (kg_exchange_get_outcome (kg_odoo_rpc_get_last_exchange (rpc)), ==,
                   "unknown-database");
  client_clear (&client);
}

static JsonArray *
project_values_args (const char *name)
{
  JsonArray *args = json_array_new ();
  JsonObject *values = json_object_new ();

  if (name != NULL)
    json_object_set_string_member (values, "name", name);
  json_object_set_string_member (values, "description", "made by test-odoo-rpc");
  json_array_add_object_element (args, values);
  return args;
}

static void
test_execute_kw_errors (void)
{
  Client client = { 0 };
  g_autoptr(KgProfile) bob = kg_test_demo_profile ("bob");
  g_autoptr(KgProfile) alice = kg_test_demo_profile ("alice");
  g_autoptr(KgOdooRpc) bob_rpc = NULL;
  g_autoptr(KgOdooRpc) alice_rpc = NULL;
  g_autoptr(JsonArray) args = NULL;
  g_autoptr(JsonArray) no_name = NULL;
  g_autoptr(JsonArray) read_args = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *ids;
  gint64 uid;

  client_init (&client);

  /* bob may not create projects: Odoo's message names the group. */
  bob_rpc = kg_odoo_rpc_new (client.http, bob);
  uid = authenticate (bob_rpc, KG_DEMO_BOB_KEY, KG_SECRET_API_KEY, &error);
  g_assert_no_error (error);
  g_assert_cmpint (uid, ==, KG_DEMO_BOB_UID);
  args = project_values_args ("Bob's project");
  node = execute_kw (bob_rpc, uid, KG_DEMO_BOB_KEY, "project.project", "create", args, NULL,
                     &error);
  g_assert_null (node);
  g_assert_error (error, KG_ERROR, KG_ERROR_ACCESS_ERROR);
  g_assert_nonnull (strstr (error->message, "Project/Administrator"));
  g_assert_cmpstr (kg_error_get_server_message (error), ==, error->message);
  g_assert_cmpint (kg_error_exit_code (error), ==, KG_EXIT_PERMISSION);
  g_assert_cmpstr (kg_exchange_get_label (kg_odoo_rpc_get_last_exchange (bob_rpc)), ==,
                   "object.execute_kw project.project create");
  g_clear_error (&error);

  /* A create without a name: validation. */
  alice_rpc = kg_odoo_rpc_new (client.http, alice);
  uid = authenticate (alice_rpc, KG_DEMO_ALICE_KEY, KG_SECRET_API_KEY, &error);
  g_assert_no_error (error);
  no_name = project_values_args (NULL);
  node = execute_kw (alice_rpc, uid, KG_DEMO_ALICE_KEY, "project.project", "create", no_name,
                     NULL, &error);
  g_assert_null (node);
  g_assert_error (error, KG_ERROR, KG_ERROR_VALIDATION);
  g_assert_nonnull (strstr (error->message, "mandatory field"));
  g_clear_error (&error);

  /* Reading a record that does not exist. */
  read_args = json_array_new ();
  ids = json_array_new ();
  json_array_add_int_element (ids, 999999);
  json_array_add_array_element (read_args, ids);
  node = execute_kw (alice_rpc, uid, KG_DEMO_ALICE_KEY, "project.project", "read", read_args,
                     NULL, &error);
  g_assert_null (node);
  g_assert_error (error, KG_ERROR, KG_ERROR_MISSING_RECORD);
  g_clear_error (&error);

  /* A wrong key in execute_kw is an error (not false) and explained the same way. */
  node = execute_kw (alice_rpc, uid, "0123456789abcdef0123456789abcdef01234567",
                     "project.project", "read", read_args, NULL, &error);
  g_assert_null (node);
  g_assert_error (error, KG_ERROR, KG_ERROR_ACCESS_DENIED);
  g_assert_nonnull (strstr (error->message, "two-factor"));

  assert_exchanges_lack (&client, KG_DEMO_BOB_KEY);
  assert_exchanges_lack (&client, KG_DEMO_ALICE_KEY);
  client_clear (&client);
}

static void
test_create_sets_record_id (void)
{
  Client client = { 0 };
  g_autoptr(KgProfile) alice = kg_test_demo_profile ("alice");
  g_autoptr(KgOdooRpc) rpc = NULL;
  g_autoptr(JsonArray) args = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  gint64 uid;
  gint64 id;

  client_init (&client);
  rpc = kg_odoo_rpc_new (client.http, alice);
  uid = authenticate (rpc, KG_DEMO_ALICE_KEY, KG_SECRET_API_KEY, &error);
  g_assert_no_error (error);
  args = project_values_args ("Made by test-odoo-rpc");
  node = execute_kw (rpc, uid, KG_DEMO_ALICE_KEY, "project.project", "create", args, NULL,
                     &error);
  g_assert_no_error (error);
  id = kg_odoo_result_get_id (node);
  g_assert_cmpint (id, >, 0);
  g_assert_cmpint (kg_exchange_get_record_id (kg_odoo_rpc_get_last_exchange (rpc)), ==, id);
  client_clear (&client);
}

/* Authenticates alice's key against the demo server's @path (a route
 * prefix in front of /jsonrpc); returns the error, and checks the key is
 * in no recorded exchange. */
static GError *
authenticate_at (const char *path)
{
  Client client = { 0 };
  g_autoptr(KgProfile) profile = kg_test_demo_profile ("alice");
  g_autofree char *url = g_strconcat (kg_demo_server_get_url (kg_test_get_demo_server ()), path,
                                      NULL);
  g_autoptr(KgOdooRpc) rpc = NULL;
  GError *error = NULL;

  client_init (&client);
  kg_profile_set_url (profile, url);
  rpc = kg_odoo_rpc_new (client.http, profile);
  g_assert_cmpint (authenticate (rpc, KG_DEMO_ALICE_KEY, KG_SECRET_API_KEY, &error), ==, 0);
  g_assert_nonnull (error);
  assert_exchanges_lack (&client, KG_DEMO_ALICE_KEY);
  client_clear (&client);
  return error;
}

static void
test_html_page (void)
{
  /* POST <url>/no/such/route/jsonrpc: Odoo's 404 HTML page. */
  g_autoptr(GError) error = authenticate_at ("/no/such/route");

  g_assert_error (error, KG_ERROR, KG_ERROR_NOT_JSON);
  g_assert_true (g_str_has_prefix (error->message, "HTTP 404: "));
  g_assert_null (strchr (error->message, '<'));
  g_assert_cmpuint (kg_error_get_http_status (error), ==, 404);
  g_assert_cmpint (kg_error_exit_code (error), ==, KG_EXIT_SERVER);
}

/* A server that echoes the request (and so the key) in its error: the
 * error Keygate shows says <API_KEY>, like the recorded exchange. */
static void
test_echoed_key_redacted (void)
{
  g_autoptr(GError) error = authenticate_at ("/hostile/echo");

  g_assert_error (error, KG_ERROR, KG_ERROR_VALIDATION);
  g_test_message ("%s", error->message);
  g_assert_null (strstr (error->message, KG_DEMO_ALICE_KEY));
  g_assert_nonnull (strstr (error->message, "<API_KEY>"));
  g_assert_null (strstr (kg_error_get_server_message (error), KG_DEMO_ALICE_KEY));
}

/* 200,000 nested arrays in a JSON-RPC answer crashed the process (the
 * parser recursed). They are refused, named as such, before any parser
 * sees them. */
static void
test_deep_json (void)
{
  g_autoptr(GError) error = authenticate_at ("/hostile/deep");

  g_assert_error (error, KG_ERROR, KG_ERROR_NOT_JSON);
  g_assert_nonnull (strstr (error->message, "deeper than 512 levels"));
  g_assert_cmpint (kg_error_exit_code (error), ==, KG_EXIT_SERVER);
}

static KgExchange *
send_raw (KgHttp     *http,
          const char *path,
          const char *content_type,
          const char *body)
{
  g_autofree char *url = g_strconcat (kg_demo_server_get_url (kg_test_get_demo_server ()), path,
                                      NULL);
  g_autoptr(KgHttpRequest) request = kg_http_request_new ("POST", url);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  KgExchange *exchange;

  kg_http_request_set_body (request, content_type, g_steal_pointer (&bytes));  /* takes it */
  kg_http_send_async (http, request, NULL, kg_test_store_result_cb, &result);
  exchange = kg_http_send_finish (http, WAIT (result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (exchange);
  return exchange;
}

/* 429 keeps its meaning: its own kind, the status, the server's message
 * and the wait Retry-After asks for (seconds or an HTTP date). */
static void
test_rate_limited (void)
{
  g_autoptr(KgHttp) http = kg_http_new ();
  const struct {
    const char *path;
    const char *in_message;
    const char *in_remedy;
  } cases[] = {
    { "/hostile/limited/jsonrpc?retry=30", "wait 30 s", "Wait 30 seconds" },
    { "/hostile/limited/jsonrpc?retry=Wed,%2021%20Oct%202015%2007:28:00%20GMT", "wait 0 s",
      "Wait 0 seconds" },
    { "/hostile/limited/jsonrpc", NULL, "Wait a while" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(KgExchange) exchange = send_raw (http, cases[i].path, "application/json", "{}");
      g_autoptr(GError) error = NULL;

      g_assert_null (kg_odoo_classify_jsonrpc (exchange, &error));
      g_assert_error (error, KG_ERROR, KG_ERROR_TOO_MANY_ATTEMPTS);
      g_assert_cmpuint (kg_error_get_http_status (error), ==, 429);
      g_assert_nonnull (strstr (error->message, "Slow down"));
      if (cases[i].in_message != NULL)
        g_assert_nonnull (strstr (error->message, cases[i].in_message));
      else
        g_assert_null (strstr (error->message, "wait"));
      g_assert_nonnull (strstr (kg_error_get_remedy (error), cases[i].in_remedy));
      g_assert_cmpstr (kg_error_kind (error), ==, "too-many-attempts");
    }
}

static void
test_invalid_json (void)
{
  g_autoptr(KgHttp) http = kg_http_new ();
  g_autoptr(KgExchange) exchange = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  exchange = send_raw (http, "/jsonrpc", "application/json", "{not json");
  g_assert_cmpuint (kg_exchange_get_status (exchange), ==, 400);
  node = kg_odoo_classify_jsonrpc (exchange, &error);
  g_assert_null (node);
  g_assert_error (error, KG_ERROR, KG_ERROR_NOT_JSON);
  g_assert_cmpstr (error->message, ==, "HTTP 400: Invalid JSON data");
  g_assert_cmpstr (kg_exchange_get_outcome (exchange), ==, "not-json");
}

static void
test_session_expired (void)
{
  g_autoptr(KgHttp) http = kg_http_new ();
  g_autoptr(KgExchange) exchange = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  /* A JSON route that needs a session, called without a cookie: code 100. */
  exchange = send_raw (http, "/web/session/get_session_info", "application/json",
                       "{\"jsonrpc\": \"2.0\", \"method\": \"call\", \"params\": {}, \"id\": 1}");
  node = kg_odoo_classify_jsonrpc (exchange, &error);
  g_assert_null (node);
  g_assert_error (error, KG_ERROR, KG_ERROR_SESSION_EXPIRED);
  g_assert_cmpstr (kg_exchange_get_outcome (exchange), ==, "session-expired");
}

static void
test_connection_refused (void)
{
  Client client = { 0 };
  g_autoptr(KgProfile) profile = kg_test_demo_profile ("alice");
  g_autofree char *url = kg_test_closed_url ();
  g_autoptr(KgOdooRpc) rpc = NULL;
  g_autoptr(GError) error = NULL;

  client_init (&client);
  kg_profile_set_url (profile, url);
  rpc = kg_odoo_rpc_new (client.http, profile);
  g_assert_cmpint (authenticate (rpc, KG_DEMO_ALICE_KEY, KG_SECRET_API_KEY, &error), ==, 0);
  g_assert_error (error, KG_ERROR, KG_ERROR_NETWORK);
  g_assert_cmpint (kg_error_exit_code (error), ==, KG_EXIT_CONNECTION);
  /* Even a failed connection is recorded once, with its outcome. */
  g_assert_cmpuint (client.recorded->len, ==, 1);
  g_assert_cmpstr (kg_exchange_get_outcome (g_ptr_array_index (client.recorded, 0)), ==,
                   "network");
  assert_exchanges_lack (&client, KG_DEMO_ALICE_KEY);
  client_clear (&client);
}

static void
test_list_databases (void)
{
  Client client = { 0 };
  g_autoptr(KgProfile) profile = kg_test_demo_profile ("alice");
  g_autoptr(KgOdooRpc) rpc = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_auto(GStrv) names = NULL;
  g_autoptr(GError) error = NULL;

  client_init (&client);
  rpc = kg_odoo_rpc_new (client.http, profile);
  kg_odoo_rpc_list_databases_async (rpc, NULL, kg_test_store_result_cb, &result);
  names = kg_odoo_rpc_list_databases_finish (rpc, WAIT (result), &error);
  g_assert_no_error (error);
  g_assert_true (g_strv_contains ((const char * const *) names, KG_DEMO_DATABASE));
  client_clear (&client);
}

/* Runs last: the key was used by every test above; nothing under the
 * test's XDG dirs (history included) and no log line may contain it. */
static void
test_no_secret_written (void)
{
  const char *log = kg_test_get_logged_text ();
  g_autofree char *history_path = g_build_filename (kg_test_get_tmpdir (), "state", "keygate",
                                                    "history.jsonl", NULL);

  g_assert_true (g_file_test (history_path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (kg_test_assert_dir_lacks (kg_test_get_tmpdir (), KG_DEMO_ALICE_KEY), >, 0);
  kg_test_assert_dir_lacks (kg_test_get_tmpdir (), KG_DEMO_BOB_KEY);
  kg_test_assert_dir_lacks (kg_test_get_tmpdir (), KG_DEMO_CAROL_PASSWORD);
  kg_test_assert_dir_lacks (kg_test_get_tmpdir (), KG_DEMO_ALICE_PASSWORD);
  g_assert_null (strstr (log, KG_DEMO_ALICE_KEY));
  g_assert_null (strstr (log, KG_DEMO_BOB_KEY));
  g_assert_null (strstr (log, KG_DEMO_CAROL_PASSWORD));
}

/* ---- Classification of captured real answers ----------------------------- */

typedef struct
{
  const char *file;       /* under KEYGATE_PROTOCOL_DIR */
  const char *name;
  const char *kind;       /* "ok" or an error nick */
} FixtureCase;

static const FixtureCase fixture_cases[] = {
  { "exchanges.json", "01-jsonrpc-common-version", "ok" },
  { "exchanges.json", "03-web-database-list", "ok" },
  { "exchanges.json", "12-session-authenticate-alice-apikey", "access-denied" },
  { "exchanges.json", "13-session-authenticate-wrong-password", "access-denied" },
  { "exchanges.json", "14-session-authenticate-unknown-db", "unknown-database" },
  { "exchanges.json", "19-session-get-session-info-no-cookie", "session-expired" },
  { "exchanges.json", "20-jsonrpc-authenticate-alice-password-2fa", "ok" },
  { "exchanges.json", "21-jsonrpc-authenticate-alice-apikey", "ok" },
  { "exchanges.json", "26-jsonrpc-authenticate-unknown-db", "unknown-database" },
  { "exchanges.json", "30-execute-kw-project-create-alice", "ok" },
  { "exchanges.json", "32-execute-kw-project-create-bob-denied", "access-error" },
  { "exchanges.json", "33-execute-kw-project-create-missing-name", "validation" },
  { "exchanges.json", "39-execute-kw-alice-password-2fa", "access-denied" },
  { "exchanges.json", "40-execute-kw-carol-create-denied", "access-error" },
  { "exchanges.json", "41-execute-kw-wrong-key", "access-denied" },
  { "exchanges.json", "42-execute-kw-expired-key", "access-denied" },
  { "exchanges.json", "50-xmlrpc-common-authenticate-apikey", "not-json" },
  { "exchanges.json", "60-unknown-route-html-404", "not-json" },
  { "exchanges.json", "61-jsonrpc-invalid-json", "not-json" },
  { "exchanges.json", "62-jsonrpc-unknown-method", "server" },
  { "exchanges.json", "63-web-database-list-get", "not-json" },
  { "exchanges.json", "71-json1-bearer-enabled-admin", "server" },
  { "exchanges.json", "72-json1-bearer-invalid-key", "not-json" },
  { "exchanges.json", "80-cooldown-failure-1-of-10", "access-denied" },
  { "exchanges.json", "81-cooldown-session-authenticate-good-password", "too-many-attempts" },
  /* Odoo 19: error.code is 0, not 200. */
  { "odoo19/exchanges.json", "50-jsonrpc-authenticate-alice-apikey", "ok" },
  { "odoo19/exchanges.json", "55-jsonrpc-execute-kw-wrong-key", "access-denied" },
  { "odoo19/exchanges.json", "56-jsonrpc-execute-kw-bob-create-denied", "access-error" },
  { "odoo19/exchanges.json", "58-session-authenticate-alice-apikey", "access-denied" },
  /* A JSON error object that is not a JSON-RPC envelope, with a 4xx. */
  { "odoo19/exchanges.json", "30-json2-wrong-key", "http-status" },
};

static JsonObject *
find_fixture (const char *file,
              const char *name)
{
  static GHashTable *parsers;
  g_autofree char *path = g_build_filename (g_getenv ("KEYGATE_PROTOCOL_DIR"), file, NULL);
  JsonParser *parser;
  JsonArray *exchanges;

  if (parsers == NULL)
    parsers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);

  parser = g_hash_table_lookup (parsers, path);
  if (parser == NULL)
    {
      g_autoptr(GError) error = NULL;

      parser = json_parser_new ();
      json_parser_load_from_file (parser, path, &error);
      g_assert_no_error (error);
      g_hash_table_insert (parsers, g_strdup (path), parser);
    }

  exchanges = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                            "exchanges");
  for (guint i = 0; i < json_array_get_length (exchanges); i++)
    {
      JsonObject *exchange = json_array_get_object_element (exchanges, i);

      if (g_str_equal (json_object_get_string_member (exchange, "name"), name))
        return exchange;
    }

  return NULL;
}

/* A KgExchange as kg-http would build it from the captured response. */
static KgExchange *
exchange_from_fixture (JsonObject *fixture)
{
  JsonObject *response = json_object_get_object_member (fixture, "response");
  JsonArray *headers = json_object_get_array_member (response, "headers");
  const char *status_line = json_object_get_string_member (response, "status_line");
  const char *body = json_object_get_string_member (response, "body");
  g_auto(GStrv) parts = g_strsplit (status_line, " ", 3);
  g_autoptr(JsonNode) json = NULL;
  const char *content_type = NULL;
  KgExchange *exchange;

  for (guint i = 0; i < json_array_get_length (headers); i++)
    {
      const char *header = json_array_get_string_element (headers, i);

      if (g_ascii_strncasecmp (header, "Content-Type: ", 14) == 0)
        content_type = header + 14;
    }

  if (content_type != NULL && g_str_has_prefix (content_type, "application/json"))
    json = json_from_string (body, NULL);

  exchange = kg_exchange_new ("POST", "http://127.0.0.1:8069/jsonrpc");
  kg_exchange_set_response (exchange, (guint) g_ascii_strtoull (parts[1], NULL, 10), parts[2],
                            content_type, body, strlen (body), json);
  return exchange;
}

static void
test_fixture_classification (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (fixture_cases); i++)
    {
      const FixtureCase *c = &fixture_cases[i];
      JsonObject *fixture = find_fixture (c->file, c->name);
      g_autoptr(KgExchange) exchange = NULL;
      g_autoptr(JsonNode) result = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("fixture %s/%s → %s", c->file, c->name, c->kind);
      g_assert_nonnull (fixture);
      exchange = exchange_from_fixture (fixture);
      result = kg_odoo_classify_jsonrpc (exchange, &error);

      if (g_str_equal (c->kind, "ok"))
        {
          g_assert_no_error (error);
          g_assert_nonnull (result);
        }
      else
        {
          g_assert_null (result);
          g_assert_nonnull (error);
          g_assert_cmpstr (kg_error_kind (error), ==, c->kind);
          g_assert_cmpstr (kg_exchange_get_outcome (exchange), ==, c->kind);
        }
    }
}

static void
test_fixture_messages (void)
{
  struct {
    const char *name;
    const char *message;
  } cases[] = {
    { "61-jsonrpc-invalid-json", "HTTP 400: Invalid JSON data" },
    { "60-unknown-route-html-404", "HTTP 404: Odoo" },
    { "63-web-database-list-get", "HTTP 400: 400 Bad Request" },
    { "14-session-authenticate-unknown-db",
      "The database “no_such_db” does not exist on this server." },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      JsonObject *fixture = find_fixture ("exchanges.json", cases[i].name);
      g_autoptr(KgExchange) exchange = NULL;
      g_autoptr(JsonNode) result = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_nonnull (fixture);
      exchange = exchange_from_fixture (fixture);
      result = kg_odoo_classify_jsonrpc (exchange, &error);
      g_assert_null (result);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

static void
test_fixture_access_error_verbatim (void)
{
  JsonObject *fixture = find_fixture ("exchanges.json", "32-execute-kw-project-create-bob-denied");
  g_autoptr(KgExchange) exchange = exchange_from_fixture (fixture);
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(GError) error = NULL;

  result = kg_odoo_classify_jsonrpc (exchange, &error);
  g_assert_error (error, KG_ERROR, KG_ERROR_ACCESS_ERROR);
  g_assert_cmpstr (error->message, ==,
                   "You are not allowed to create 'Project' (project.project) records.\n\n"
                   "This operation is allowed for the following groups:\n"
                   "\t- Project/Administrator\n\n"
                   "Contact your administrator to request access if necessary.");
}

static void
test_result_get_id (void)
{
  static const struct {
    const char *json;
    gint64 id;
  } cases[] = {
    { "42", 42 }, { "[42]", 42 }, { "[1, 2]", 0 }, { "false", 0 }, { "[]", 0 }, { "\"7\"", 0 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) node = json_from_string (cases[i].json, NULL);

      g_assert_cmpint (kg_odoo_result_get_id (node), ==, cases[i].id);
    }
}

/* An exchange as kg-http fills it: the raw JSON only when @body parses. */
static KgExchange *
exchange_with_body (guint       status,
                    const char *content_type,
                    const char *body)
{
  KgExchange *exchange = kg_exchange_new ("POST", "http://127.0.0.1:8069/jsonrpc");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonNode) raw = NULL;

  if (json_parser_load_from_data (parser, body, -1, NULL))
    raw = json_parser_steal_root (parser);
  kg_exchange_set_response (exchange, status, status == 200 ? "OK" : "Error", content_type,
                            body, strlen (body), raw);
  return exchange;
}

/* tests/fuzz/corpus/fuzz-classify-jsonrpc/empty-json-body and
 * whitespace-json-body: a 200 application/json answer with no document
 * used to hit json_node_copy (NULL), a critical (fatal in tests). */
static void
test_empty_json_body (void)
{
  static const char * const bodies[] = { "", "\t\t\t", " \r\n " };
  static const char * const types[] = { "application/json", "application/json; charset=utf-8",
                                        "text/html", NULL };

  for (gsize i = 0; i < G_N_ELEMENTS (bodies); i++)
    for (gsize j = 0; j < G_N_ELEMENTS (types); j++)
      {
        g_autoptr(KgExchange) exchange = exchange_with_body (200, types[j], bodies[i]);
        g_autoptr(JsonNode) node = NULL;
        g_autoptr(GError) error = NULL;

        node = kg_odoo_classify_jsonrpc (exchange, &error);
        g_assert_null (node);
        g_assert_error (error, KG_ERROR, KG_ERROR_NOT_JSON);
        g_assert_cmpstr (error->message, ==, "HTTP 200 OK: empty response");
        g_assert_cmpuint (kg_error_get_http_status (error), ==, 200);
        g_assert_cmpstr (kg_exchange_get_outcome (exchange), ==, "not-json");
        g_assert_nonnull (kg_exchange_get_error (exchange));
      }
}

/* Every JSON shape that is not a usable JSON-RPC answer gives a KG_ERROR
 * with a message, never a critical (the tests run with fatal warnings). */
static void
test_malformed_envelopes (void)
{
  static const struct {
    const char *body;
    KgErrorCode code;
    const char *message;   /* a part of it */
  } cases[] = {
    { "{}", KG_ERROR_SERVER, "not a JSON-RPC response" },
    { "{\"jsonrpc\":\"2.0\",\"id\":1}", KG_ERROR_SERVER, "not a JSON-RPC response" },
    { "[1,2]", KG_ERROR_SERVER, "not a JSON-RPC response" },
    { "\"result\"", KG_ERROR_SERVER, "not a JSON-RPC response" },
    { "null", KG_ERROR_SERVER, "not a JSON-RPC response" },
    { "{\"error\":\"boom\"}", KG_ERROR_SERVER, "boom" },
    { "{\"error\":42}", KG_ERROR_SERVER, "no details" },
    { "{\"error\":[\"x\"]}", KG_ERROR_SERVER, "no details" },
    { "{\"error\":{}}", KG_ERROR_SERVER, "no details" },
    { "{\"error\":{\"code\":\"200\",\"message\":\"Odoo Server Error\",\"data\":\"odoo\"}}",
      KG_ERROR_SERVER, "Odoo Server Error" },
    { "{\"error\":{\"code\":{},\"data\":[1]}}", KG_ERROR_SERVER, "no details" },
    { "{\"error\":{\"code\":200,\"data\":{\"name\":42,\"message\":[\"m\"]}}}",
      KG_ERROR_SERVER, "no details" },
    { "{\"error\":{\"code\":200,\"data\":{\"name\":null,\"message\":\"Access Denied\"}}}",
      KG_ERROR_SERVER, "Access Denied" },
    { "{\"error\":{\"code\":200,\"data\":{\"name\":\"odoo.exceptions.AccessDenied\","
      "\"message\":null}}}", KG_ERROR_ACCESS_DENIED, "Access Denied" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(KgExchange) exchange = exchange_with_body (200, "application/json", cases[i].body);
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(GError) error = NULL;

      node = kg_odoo_classify_jsonrpc (exchange, &error);
      g_test_message ("%s → %s", cases[i].body, error ? error->message : "(result)");
      g_assert_null (node);
      g_assert_error (error, KG_ERROR, (gint) cases[i].code);
      g_assert_nonnull (strstr (error->message, cases[i].message));
      g_assert_nonnull (kg_exchange_get_error (exchange));
      g_assert_cmpstr (kg_exchange_get_outcome (exchange), !=, "ok");
    }

  /* The same with only the text kept (no raw JSON): parsed again. */
  {
    g_autoptr(KgExchange) exchange = kg_exchange_new ("POST", "http://127.0.0.1:8069/jsonrpc");
    g_autoptr(JsonNode) node = NULL;
    g_autoptr(GError) error = NULL;

    kg_exchange_set_response (exchange, 200, "OK", "application/json", "{\"error\":7}", 11, NULL);
    node = kg_odoo_classify_jsonrpc (exchange, &error);
    g_assert_null (node);
    g_assert_error (error, KG_ERROR, KG_ERROR_SERVER);
  }

  /* "result": null is a result (Odoo's answer to a call returning None). */
  {
    g_autoptr(KgExchange) exchange = exchange_with_body (200, "application/json",
                                                         "{\"jsonrpc\":\"2.0\",\"result\":null}");
    g_autoptr(JsonNode) node = NULL;
    g_autoptr(GError) error = NULL;

    node = kg_odoo_classify_jsonrpc (exchange, &error);
    g_assert_no_error (error);
    g_assert_nonnull (node);
    g_assert_true (JSON_NODE_HOLDS_NULL (node));
  }
}

int
main (int   argc,
      char *argv[])
{
  kg_test_init (&argc, &argv);
  kg_test_capture_logs ();

  g_test_add_func ("/core/odoo-rpc/version-major", test_version_major_parsing);
  g_test_add_func ("/core/odoo-rpc/result-id", test_result_get_id);
  g_test_add_func ("/core/odoo-rpc/fixtures/classification", test_fixture_classification);
  g_test_add_func ("/core/odoo-rpc/fixtures/messages", test_fixture_messages);
  g_test_add_func ("/core/odoo-rpc/fixtures/access-error-verbatim",
                   test_fixture_access_error_verbatim);
  g_test_add_func ("/core/odoo-rpc/version", test_version);
  g_test_add_func ("/core/odoo-rpc/authenticate-ok", test_authenticate_ok);
  g_test_add_func ("/core/odoo-rpc/authenticate-denied", test_authenticate_denied);
  g_test_add_func ("/core/odoo-rpc/unknown-database", test_unknown_database);
  g_test_add_func ("/core/odoo-rpc/execute-kw-errors", test_execute_kw_errors);
  g_test_add_func ("/core/odoo-rpc/create-record-id", test_create_sets_record_id);
  g_test_add_func ("/core/odoo-rpc/html-page", test_html_page);
  g_test_add_func ("/core/odoo-rpc/deep-json", test_deep_json);
  g_test_add_func ("/core/odoo-rpc/echoed-key-redacted", test_echoed_key_redacted);
  g_test_add_func ("/core/odoo-rpc/rate-limited", test_rate_limited);
  g_test_add_func ("/core/odoo-rpc/invalid-json", test_invalid_json);
  g_test_add_func ("/core/odoo-rpc/empty-json-body", test_empty_json_body);
  g_test_add_func ("/core/odoo-rpc/malformed-envelopes", test_malformed_envelopes);
  g_test_add_func ("/core/odoo-rpc/session-expired", test_session_expired);
  g_test_add_func ("/core/odoo-rpc/connection-refused", test_connection_refused);
  g_test_add_func ("/core/odoo-rpc/list-databases", test_list_databases);
  g_test_add_func ("/core/odoo-rpc/no-secret-written", test_no_secret_written);

  return g_test_run ();
}
