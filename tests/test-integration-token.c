/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The token flow against a real Odoo 18 with the companion module
 * keygate_token_api (odoo-addons/, README section "Companion Odoo module"):
 * KgTokenClient with the tutorial preset, kg_record_create_project through
 * the token route, and keygate-cli token / create-project --via token.
 *
 * Set KEYGATE_ODOO_URL, KEYGATE_ODOO_DB and KEYGATE_ODOO_ALICE_KEY (optional:
 * KEYGATE_ODOO_BOB_KEY, KEYGATE_ODOO_EXPIRED_KEY), or name a file of such
 * lines in KEYGATE_ODOO_ENV_FILE; see docs/HACKING.md, "Real Odoo
 * integration tests". Skipped (exit 77) when they are not set, or
 * when POST /auth/token/apikey answers 404 (the module is not installed). */
#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "kg-test-utils.h"

#define WAIT(r) ((r) = kg_test_wait_result (&(r)))

#define LABEL_EXCHANGE "token exchange"
#define LABEL_CREATE   "create project"
#define DESCRIPTION    "Created by the Keygate token integration suite"

/* One client for the whole program: every exchange it records is kept (in
 * order) and written to the history file, which the redaction test scans. */
static KgHttp *http;
static KgHistory *history;
static GPtrArray *recorded;
/* Every access token seen in this program (they must not leak either). */
static GPtrArray *tokens;

#define env  kg_test_odoo_env
#define need kg_test_odoo_need

static void
recorded_cb (KgHttp     *source,
             KgExchange *exchange,
             gpointer    user_data)
{
  g_ptr_array_add (recorded, g_object_ref (exchange));
}

static guint
count_label (const char *label)
{
  guint n = 0;

  for (guint i = 0; i < recorded->len; i++)
    if (g_strcmp0 (kg_exchange_get_label (g_ptr_array_index (recorded, i)), label) == 0)
      n++;
  return n;
}

static KgExchange *
last_with_label (const char *label)
{
  for (guint i = recorded->len; i > 0; i--)
    if (g_strcmp0 (kg_exchange_get_label (g_ptr_array_index (recorded, i - 1)), label) == 0)
      return g_ptr_array_index (recorded, i - 1);
  g_error ("No exchange labelled %s was recorded", label);
  return NULL;
}

static const char *
find_header (GPtrArray  *headers,
             const char *name)
{
  for (guint i = 0; i < headers->len; i++)
    {
      KgHeader *header = g_ptr_array_index (headers, i);

      if (g_ascii_strcasecmp (header->name, name) == 0)
        return header->value;
    }
  return NULL;
}

static void
remember_token (KgTokenClient *client)
{
  if (kg_token_client_has_token (client))
    g_ptr_array_add (tokens, g_strdup (kg_token_client_peek_token (client)));
}

/* A JSON-RPC profile (for reading back) */
static KgProfile *
jsonrpc_profile (const char *login)
{
  KgProfile *profile = kg_profile_new ();

  kg_profile_set_name (profile, login);
  kg_profile_set_url (profile, env ("KEYGATE_ODOO_URL"));
  kg_profile_set_database (profile, env ("KEYGATE_ODOO_DB"));
  kg_profile_set_login (profile, login);
  kg_profile_set_timeout (profile, 30);
  return profile;
}

/* The token protocol with the tutorial preset and the default create spec
 * (POST /api/project/create, project_name / project_description). */
static KgProfile *
token_profile (const char *login)
{
  KgProfile *profile = jsonrpc_profile (login);
  g_autoptr(KgTokenSpec) spec = kg_token_spec_new_for_preset (KG_TOKEN_PRESET_TUTORIAL);
  g_autoptr(KgCreateSpec) create_spec = kg_create_spec_new ();

  kg_profile_set_protocol (profile, KG_PROTOCOL_TOKEN);
  kg_profile_set_token_spec (profile, spec);
  kg_profile_set_create_spec (profile, create_spec);
  return profile;
}

static gboolean
exchange (KgTokenClient  *client,
          const char     *key,
          GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  gboolean ok;

  kg_token_client_exchange_async (client, key, NULL, kg_test_store_result_cb, &result);
  ok = kg_token_client_exchange_finish (client, WAIT (result), error);
  remember_token (client);
  return ok;
}

static KgCreateResult *
create_via_token (KgTokenClient  *client,
                  const char     *key,
                  const char     *name,
                  GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  KgProjectValues values = { 0 };
  KgCreateResult *created;

  values.name = name;
  values.description = DESCRIPTION;
  kg_record_create_project_async (http, kg_token_client_get_profile (client), client, key,
                                  &values, KG_CREATE_VIA_TOKEN, NULL,
                                  kg_test_store_result_cb, &result);
  created = kg_record_create_project_finish (WAIT (result), error);
  remember_token (client);
  return created;
}

static char *
unique_name (const char *what)
{
  return g_strdup_printf ("Keygate token integration %s %" G_GINT64_FORMAT, what,
                          g_get_real_time ());
}

static JsonObject *
read_back (gint64 project_id)
{
  g_autoptr(KgProfile) profile = jsonrpc_profile ("alice");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *project;

  kg_record_read_project_async (http, profile, env ("KEYGATE_ODOO_ALICE_KEY"), project_id, NULL,
                                kg_test_store_result_cb, &result);
  project = kg_record_read_project_finish (WAIT (result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (project);
  return project;
}

static gint64
alice_uid (void)
{
  g_autoptr(KgProfile) profile = jsonrpc_profile ("alice");
  g_autoptr(KgOdooRpc) rpc = kg_odoo_rpc_new (http, profile);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 uid;

  kg_odoo_rpc_authenticate_async (rpc, env ("KEYGATE_ODOO_ALICE_KEY"), KG_SECRET_API_KEY, NULL,
                                  kg_test_store_result_cb, &result);
  uid = kg_odoo_rpc_authenticate_finish (rpc, WAIT (result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (uid, >, 0);
  return uid;
}

/* ------------------------------------------------------------------------ */

static void
test_exchange (void)
{
  g_autoptr(KgProfile) profile = token_profile ("alice");
  g_autoptr(KgTokenClient) client = kg_token_client_new (http, profile);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  g_autofree char *masked = NULL;
  g_autofree char *expected_mask = NULL;
  guint exchanges_before = count_label (LABEL_EXCHANGE);
  const char *token;
  KgExchange *recorded_exchange;
  GTimeSpan left;

  g_assert_true (exchange (client, env ("KEYGATE_ODOO_ALICE_KEY"), &error));
  g_assert_no_error (error);
  g_assert_true (kg_token_client_has_token (client));
  g_assert_cmpstr (kg_token_client_get_token_type (client), ==, "Bearer");

  token = kg_token_client_peek_token (client);
  g_assert_nonnull (token);
  g_assert_cmpuint (strlen (token), >=, 32);
  masked = kg_token_client_dup_masked_token (client);
  expected_mask = g_strdup_printf ("%.4s…%s", token, token + strlen (token) - 4);
  g_assert_cmpstr (masked, ==, expected_mask);

  /* The module's tokens live one hour (expires_in 3600). */
  g_assert_nonnull (kg_token_client_get_expires_at (client));
  left = g_date_time_difference (kg_token_client_get_expires_at (client), now);
  g_test_message ("token expires in %" G_GINT64_FORMAT " s", left / G_USEC_PER_SEC);
  g_assert_cmpint (left, >, (GTimeSpan) 3500 * G_USEC_PER_SEC);
  g_assert_cmpint (left, <=, (GTimeSpan) 3601 * G_USEC_PER_SEC);

  /* One exchange, recorded as sent and answered; the key and the token
   * appear only masked. */
  g_assert_cmpuint (count_label (LABEL_EXCHANGE) - exchanges_before, ==, 1);
  recorded_exchange = last_with_label (LABEL_EXCHANGE);
  g_assert_cmpstr (kg_exchange_get_step (recorded_exchange), ==, "exchange");
  g_assert_cmpstr (kg_exchange_get_method (recorded_exchange), ==, "POST");
  g_assert_true (g_str_has_suffix (kg_exchange_get_url (recorded_exchange), "/auth/token/apikey"));
  g_assert_cmpuint (kg_exchange_get_status (recorded_exchange), ==, 200);
  g_assert_cmpstr (kg_exchange_get_outcome (recorded_exchange), ==, "ok");
  g_assert_cmpstr (find_header (kg_exchange_get_request_headers (recorded_exchange),
                                "X-Odoo-Database"), ==, env ("KEYGATE_ODOO_DB"));
  g_assert_nonnull (find_header (kg_exchange_get_request_headers (recorded_exchange), "X-API-Key"));
  g_assert_null (strstr (find_header (kg_exchange_get_request_headers (recorded_exchange),
                                      "X-API-Key"), env ("KEYGATE_ODOO_ALICE_KEY")));
  g_assert_nonnull (strstr (kg_exchange_get_response_body (recorded_exchange), "Bearer"));
  g_assert_null (strstr (kg_exchange_get_response_body (recorded_exchange), token));

  kg_token_client_forget (client);
  g_assert_false (kg_token_client_has_token (client));
  g_assert_null (kg_token_client_peek_token (client));
}

static void
test_create_and_read_back (void)
{
  g_autoptr(KgProfile) profile = token_profile ("alice");
  g_autoptr(KgTokenClient) client = kg_token_client_new (http, profile);
  g_autoptr(KgCreateResult) created = NULL;
  g_autoptr(JsonObject) project = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = unique_name ("create");
  KgExchange *call;
  JsonArray *user;

  created = create_via_token (client, env ("KEYGATE_ODOO_ALICE_KEY"), name, &error);
  g_assert_no_error (error);
  g_assert_nonnull (created);
  g_assert_cmpint (kg_create_result_get_id (created), >, 0);
  g_test_message ("created project.project %" G_GINT64_FORMAT " through the token route",
                  kg_create_result_get_id (created));
  /* The module's own message, read through the create spec's message path. */
  g_assert_cmpstr (kg_create_result_get_message (created), ==, "Project created successfully");

  call = kg_create_result_get_exchange (created);
  g_assert_nonnull (call);
  g_assert_true (g_str_has_suffix (kg_exchange_get_url (call), "/api/project/create"));
  g_assert_cmpuint (kg_exchange_get_status (call), ==, 200);
  g_assert_cmpstr (kg_exchange_get_label (call), ==, LABEL_CREATE);
  g_assert_cmpstr (kg_exchange_get_step (call), ==, "call");
  g_assert_cmpint (kg_exchange_get_record_id (call), ==, kg_create_result_get_id (created));
  g_assert_nonnull (find_header (kg_exchange_get_request_headers (call), "Authorization"));

  /* Read back over JSON-RPC: the same record, made by alice herself (the
   * module creates as the token's user, with her rights). */
  project = read_back (kg_create_result_get_id (created));
  g_assert_cmpstr (json_object_get_string_member (project, "name"), ==, name);
  g_assert_cmpstr (json_object_get_string_member (project, "description"), ==,
                   "<p>" DESCRIPTION "</p>");
  user = json_object_get_array_member (project, "user_id");
  g_assert_nonnull (user);
  g_assert_cmpint (json_array_get_int_element (user, 0), ==, alice_uid ());
}

static void
test_token_reuse (void)
{
  g_autoptr(KgProfile) profile = token_profile ("alice");
  g_autoptr(KgTokenClient) client = kg_token_client_new (http, profile);
  guint exchanges_before = count_label (LABEL_EXCHANGE);
  guint creates_before = count_label (LABEL_CREATE);
  gint64 ids[3] = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr(KgCreateResult) created = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *what = g_strdup_printf ("reuse %u", i + 1);
      g_autofree char *name = unique_name (what);

      created = create_via_token (client, env ("KEYGATE_ODOO_ALICE_KEY"), name, &error);
      g_assert_no_error (error);
      ids[i] = kg_create_result_get_id (created);
      g_assert_cmpint (ids[i], >, 0);
      for (guint j = 0; j < i; j++)
        g_assert_cmpint (ids[i], !=, ids[j]);
    }

  /* Three projects, one exchange: the token was kept and reused. */
  g_assert_cmpuint (count_label (LABEL_CREATE) - creates_before, ==, 3);
  g_assert_cmpuint (count_label (LABEL_EXCHANGE) - exchanges_before, ==, 1);
  g_assert_true (kg_token_client_has_token (client));
}

static void
test_bob_denied (void)
{
  g_autoptr(KgProfile) profile = NULL;
  g_autoptr(KgTokenClient) client = NULL;
  g_autoptr(KgCreateResult) created = NULL;
  g_autoptr(GError) error = NULL;
  guint exchanges_before = count_label (LABEL_EXCHANGE);
  KgExchange *call;

  if (!need ("KEYGATE_ODOO_BOB_KEY"))
    return;

  /* Bob's key is good (the exchange works); he lacks project rights. */
  profile = token_profile ("bob");
  client = kg_token_client_new (http, profile);
  created = create_via_token (client, env ("KEYGATE_ODOO_BOB_KEY"), "Bob may not (token)", &error);
  g_assert_null (created);
  g_assert_error (error, KG_ERROR, KG_ERROR_ACCESS_ERROR);
  g_test_message ("bob: %s", error->message);
  g_assert_cmpstr (kg_error_get_step (error), ==, "call");
  g_assert_cmpuint (kg_error_get_http_status (error), ==, 403);
  /* Odoo's own AccessError text, passed on by the module. */
  g_assert_nonnull (kg_error_get_server_message (error));
  g_assert_nonnull (strstr (kg_error_get_server_message (error), "Project/Administrator"));
  g_assert_nonnull (strstr (error->message, "Project/Administrator"));

  g_assert_cmpuint (count_label (LABEL_EXCHANGE) - exchanges_before, ==, 1);
  call = last_with_label (LABEL_CREATE);
  g_assert_cmpuint (kg_exchange_get_status (call), ==, 403);
  g_assert_true (kg_token_client_has_token (client));
}

static void
test_expired_key (void)
{
  g_autoptr(KgProfile) profile = NULL;
  g_autoptr(KgTokenClient) client = NULL;
  g_autoptr(KgCreateResult) created = NULL;
  g_autoptr(GError) error = NULL;
  guint creates_before = count_label (LABEL_CREATE);
  guint exchanges_before = count_label (LABEL_EXCHANGE);

  if (!need ("KEYGATE_ODOO_EXPIRED_KEY"))
    return;

  profile = token_profile ("alice");
  client = kg_token_client_new (http, profile);
  g_assert_false (exchange (client, env ("KEYGATE_ODOO_EXPIRED_KEY"), &error));
  g_assert_error (error, KG_ERROR, KG_ERROR_ACCESS_DENIED);
  g_test_message ("expired key: %s", error->message);
  g_assert_cmpstr (kg_error_get_step (error), ==, "exchange");
  g_assert_cmpuint (kg_error_get_http_status (error), ==, 401);
  g_assert_false (kg_token_client_has_token (client));
  g_clear_error (&error);

  /* Creating stops at the exchange: the route is never called. */
  created = create_via_token (client, env ("KEYGATE_ODOO_EXPIRED_KEY"), "Never created", &error);
  g_assert_null (created);
  g_assert_error (error, KG_ERROR, KG_ERROR_ACCESS_DENIED);
  g_assert_cmpstr (kg_error_get_step (error), ==, "exchange");
  g_assert_cmpuint (count_label (LABEL_CREATE), ==, creates_before);
  g_assert_cmpuint (count_label (LABEL_EXCHANGE) - exchanges_before, ==, 2);
}

static void
test_x_access_token (void)
{
  g_autoptr(KgProfile) profile = token_profile ("alice");
  g_autoptr(KgTokenClient) client = NULL;
  g_autoptr(KgCreateResult) created = NULL;
  g_autoptr(JsonObject) project = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = unique_name ("X-Access-Token");
  KgTokenSpec *spec = kg_profile_get_token_spec (profile);
  GPtrArray *headers;
  const char *sent;

  /* The module also reads the token from X-Access-Token. */
  kg_token_spec_set_send_as (spec, KG_TOKEN_SEND_HEADER);
  kg_token_spec_set_send_header (spec, "X-Access-Token");
  client = kg_token_client_new (http, profile);

  created = create_via_token (client, env ("KEYGATE_ODOO_ALICE_KEY"), name, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kg_create_result_get_id (created), >, 0);

  headers = kg_exchange_get_request_headers (kg_create_result_get_exchange (created));
  sent = find_header (headers, "X-Access-Token");
  g_assert_nonnull (sent);
  g_assert_null (find_header (headers, "Authorization"));
  /* Shown masked, never as the token itself. */
  g_assert_null (strstr (sent, kg_token_client_peek_token (client)));

  project = read_back (kg_create_result_get_id (created));
  g_assert_cmpstr (json_object_get_string_member (project, "name"), ==, name);
}

/* --- keygate-cli ---------------------------------------------------------- */

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

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  node = json_from_string (text, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

/* profile add NAME --protocol token (tutorial preset) + key set from stdin */
static void
cli_add_token_profile (const char *name,
                       const char *login,
                       const char *key)
{
  g_autofree char *out = NULL;
  g_autofree char *line = g_strconcat (key, "\n", NULL);
  g_autoptr(JsonObject) object = NULL;

  g_assert_cmpint (run_cli (NULL, &out, "profile", "add", name, "--url", env ("KEYGATE_ODOO_URL"),
                            "--db", env ("KEYGATE_ODOO_DB"), "--login", login,
                            "--protocol", "token", "--preset", "tutorial", "--json", NULL), ==, 0);
  object = parse_object (out);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "profile"),
                                                  "protocol"), ==, "token");
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli (line, &out, "key", "set", name, NULL), ==, 0);
}

static void
cli_remove_profile (const char *name)
{
  g_autofree char *out = NULL;

  g_assert_cmpint (run_cli (NULL, &out, "profile", "remove", name, NULL), ==, 0);
}

static void
test_cli (void)
{
  g_autofree char *out = NULL;
  g_autofree char *name = unique_name ("cli");
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonObject) project = NULL;
  const char *token;
  gint64 expires_in;
  gint64 project_id;

  cli_add_token_profile ("real-token-alice", "alice", env ("KEYGATE_ODOO_ALICE_KEY"));

  /* token --json: type, lifetime, and the token masked (no --show-token). */
  g_assert_cmpint (run_cli (NULL, &out, "token", "real-token-alice", "--json", NULL), ==, 0);
  object = parse_object (out);
  g_assert_cmpstr (json_object_get_string_member (object, "token_type"), ==, "Bearer");
  expires_in = json_object_get_int_member (object, "expires_in");
  g_assert_cmpint (expires_in, >, 3500);
  g_assert_cmpint (expires_in, <=, 3600);
  token = json_object_get_string_member (object, "token");
  g_assert_nonnull (token);
  g_assert_nonnull (strstr (token, "…"));
  g_assert_cmpuint (g_utf8_strlen (token, -1), ==, 9);
  g_clear_pointer (&object, json_object_unref);
  g_clear_pointer (&out, g_free);

  /* create-project --via token --json, then read back over JSON-RPC. */
  g_assert_cmpint (run_cli (NULL, &out, "create-project", "real-token-alice", "--name", name,
                            "--description", DESCRIPTION, "--via", "token", "--json", NULL), ==, 0);
  object = parse_object (out);
  g_assert_true (json_object_get_boolean_member (object, "ok"));
  project_id = json_object_get_int_member (object, "project_id");
  g_assert_cmpint (project_id, >, 0);
  project = read_back (project_id);
  g_assert_cmpstr (json_object_get_string_member (project, "name"), ==, name);
  g_assert_cmpstr (json_object_get_string_member (project, "description"), ==,
                   "<p>" DESCRIPTION "</p>");
  g_clear_pointer (&object, json_object_unref);
  g_clear_pointer (&out, g_free);
  cli_remove_profile ("real-token-alice");

  if (env ("KEYGATE_ODOO_BOB_KEY") != NULL)
    {
      /* Bob gets a token, but creating is a permission error: exit 4. */
      cli_add_token_profile ("real-token-bob", "bob", env ("KEYGATE_ODOO_BOB_KEY"));
      g_assert_cmpint (run_cli (NULL, &out, "token", "real-token-bob", "--json", NULL), ==, 0);
      g_clear_pointer (&out, g_free);
      g_assert_cmpint (run_cli (NULL, &out, "create-project", "real-token-bob", "--name",
                                "Bob may not (cli)", "--via", "token", "--json", NULL),
                       ==, KG_EXIT_PERMISSION);
      object = parse_object (out);
      g_assert_false (json_object_get_boolean_member (object, "ok"));
      g_clear_pointer (&object, json_object_unref);
      g_clear_pointer (&out, g_free);
      cli_remove_profile ("real-token-bob");
    }

  if (env ("KEYGATE_ODOO_EXPIRED_KEY") != NULL)
    {
      /* The exchange refuses the expired key: authentication, exit 3. */
      cli_add_token_profile ("real-token-expired", "alice", env ("KEYGATE_ODOO_EXPIRED_KEY"));
      g_assert_cmpint (run_cli (NULL, &out, "token", "real-token-expired", "--json", NULL),
                       ==, KG_EXIT_AUTH);
      object = parse_object (out);
      g_assert_false (json_object_get_boolean_member (object, "ok"));
      g_clear_pointer (&object, json_object_unref);
      g_clear_pointer (&out, g_free);
      g_assert_cmpint (run_cli (NULL, &out, "create-project", "real-token-expired", "--name",
                                "Never created (cli)", "--via", "token", "--json", NULL),
                       ==, KG_EXIT_AUTH);
      object = parse_object (out);
      g_assert_false (json_object_get_boolean_member (object, "ok"));
      g_clear_pointer (&out, g_free);
      cli_remove_profile ("real-token-expired");
    }
}

/* Last: nothing written under the test's XDG dirs (history included) and
 * no log line holds a key or any token seen in this program. */
static void
test_no_secret_written (void)
{
  const char *logged = kg_test_get_logged_text ();

  g_assert_cmpuint (tokens->len, >, 0);
  for (const char * const *secret = kg_test_odoo_secrets (); *secret != NULL; secret++)
    {
      g_assert_cmpuint (kg_test_assert_dir_lacks (kg_test_get_tmpdir (), *secret), >, 0);
      g_assert_null (strstr (logged, *secret));
    }
  for (guint i = 0; i < tokens->len; i++)
    {
      kg_test_assert_dir_lacks (kg_test_get_tmpdir (), g_ptr_array_index (tokens, i));
      g_assert_null (strstr (logged, g_ptr_array_index (tokens, i)));
    }
  /* Nor any recorded exchange, as shown or exported. */
  for (guint i = 0; i < recorded->len; i++)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      g_autofree char *text = NULL;

      json_node_take_object (node, kg_exchange_to_json (g_ptr_array_index (recorded, i)));
      text = json_to_string (node, FALSE);
      for (guint j = 0; j < tokens->len; j++)
        g_assert_null (strstr (text, g_ptr_array_index (tokens, j)));
      for (const char * const *secret = kg_test_odoo_secrets (); *secret != NULL; secret++)
        g_assert_null (strstr (text, *secret));
    }
}

/* --- skips ------------------------------------------------------------------ */

/* POST /auth/token/apikey with the database and a made-up key: with the
 * module installed in that database the answer is 401 ("Invalid API key");
 * without the module Odoo has no such route, and with the module loaded
 * but not installed in the database it answers "Database not found": 404
 * both. Returns the status; a transport failure ends the program (the
 * server is configured, so it must answer). */
static guint
probe_token_route (void)
{
  g_autofree char *url = g_strconcat (env ("KEYGATE_ODOO_URL"), "/auth/token/apikey", NULL);
  g_autoptr(KgHttpRequest) request = kg_http_request_new ("POST", url);
  g_autoptr(KgExchange) answer = NULL;
  g_autoptr(JsonNode) body = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  kg_http_request_set_header (request, "X-Odoo-Database", env ("KEYGATE_ODOO_DB"));
  kg_http_request_set_header (request, "X-API-Key", "keygate-probe-not-a-key");
  json_node_take_object (body, json_object_new ());
  kg_http_request_set_json_body (request, body);
  kg_http_request_set_timeout (request, 30);
  kg_http_request_set_label (request, "token module probe");
  kg_http_send_async (http, request, NULL, kg_test_store_result_cb, &result);
  answer = kg_http_send_finish (http, WAIT (result), &error);
  if (answer == NULL)
    g_error ("The configured Odoo at %s does not answer POST /auth/token/apikey: %s",
             env ("KEYGATE_ODOO_URL"), error->message);
  return kg_exchange_get_status (answer);
}

int
main (int   argc,
      char *argv[])
{
  int rc;
  guint status;

  kg_test_init (&argc, &argv);
  if ((rc = kg_test_odoo_skip_unless ("/integration/token/not-configured", NULL)) >= 0)
    return rc;

  kg_test_capture_logs ();
  http = kg_http_new ();

  status = probe_token_route ();
  if (status == 404)
    {
      g_autofree char *reason = NULL;

      g_clear_object (&http);
      reason = g_strdup_printf ("POST %s/auth/token/apikey answers 404: the companion "
                                "Odoo module keygate_token_api is not installed in "
                                "database %s. Install it as README.md, section "
                                "“Companion Odoo module”, says: put odoo-addons/ on "
                                "Odoo’s addons_path and install “Keygate token API” "
                                "(odoo-bin -d %s -i keygate_token_api); "
                                "docs/HACKING.md, \"Real Odoo integration "
                                "tests\", says how.",
                                env ("KEYGATE_ODOO_URL"), env ("KEYGATE_ODOO_DB"),
                                env ("KEYGATE_ODOO_DB"));
      return kg_test_run_skipped ("/integration/token/module-not-installed", reason);
    }
  g_test_message ("POST /auth/token/apikey with a made-up key answers %u", status);

  history = kg_history_new (NULL);
  kg_http_set_history (http, G_OBJECT (history));
  recorded = g_ptr_array_new_with_free_func (g_object_unref);
  tokens = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (http, "exchange-recorded", G_CALLBACK (recorded_cb), NULL);

  g_test_add_func ("/integration/token/exchange", test_exchange);
  g_test_add_func ("/integration/token/create-and-read-back", test_create_and_read_back);
  g_test_add_func ("/integration/token/reuse", test_token_reuse);
  g_test_add_func ("/integration/token/bob-denied", test_bob_denied);
  g_test_add_func ("/integration/token/expired-key", test_expired_key);
  g_test_add_func ("/integration/token/x-access-token", test_x_access_token);
  g_test_add_func ("/integration/token/cli", test_cli);
  g_test_add_func ("/integration/token/no-secret-written", test_no_secret_written);

  rc = g_test_run ();

  g_clear_pointer (&tokens, g_ptr_array_unref);
  g_clear_pointer (&recorded, g_ptr_array_unref);
  g_clear_object (&http);
  g_clear_object (&history);
  return rc;
}
