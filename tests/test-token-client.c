/* SPDX-License-Identifier: GPL-3.0-or-later */
/* KgTokenClient against the demo server's token module, API-key and JSON-2
 * routes: presets, token reuse, re-exchange, classified errors, redaction. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "kg-hostile-routes.h"
#include "kg-test-utils.h"

typedef struct
{
  KgDemoServer  *server;
  KgHttp        *http;
  KgProfile     *profile;
  KgTokenClient *client;
  GPtrArray     *recorded;   /* of KgExchange, in order */
  GPtrArray     *tokens;     /* every token the client held (char *) */
} Fixture;

static void
recorded_cb (KgHttp     *http,
             KgExchange *exchange,
             gpointer    user_data)
{
  Fixture *f = user_data;

  g_ptr_array_add (f->recorded, g_object_ref (exchange));
}

static void
token_changed_cb (KgTokenClient *client,
                  GParamSpec    *pspec,
                  gpointer       user_data)
{
  Fixture *f = user_data;
  const char *token = kg_token_client_peek_token (client);

  if (token != NULL)
    g_ptr_array_add (f->tokens, g_strdup (token));
}

static KgTokenSpec *
spec (Fixture *f)
{
  return kg_profile_get_token_spec (f->profile);
}

static KgCreateSpec *
create_spec (Fixture *f)
{
  return kg_profile_get_create_spec (f->profile);
}

static void
fixture_set_url (Fixture    *f,
                 const char *suffix)
{
  g_autofree char *url = g_strconcat (kg_demo_server_get_url (f->server), suffix, NULL);

  kg_profile_set_url (f->profile, url);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->server = kg_demo_server_new ();
  g_assert_true (kg_demo_server_start_in_thread (f->server, &error));
  g_assert_no_error (error);
  kg_hostile_routes_register (f->server);   /* /hostile/html */

  f->http = kg_http_new ();
  f->recorded = g_ptr_array_new_with_free_func (g_object_unref);
  f->tokens = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (f->http, "exchange-recorded", G_CALLBACK (recorded_cb), f);

  f->profile = kg_profile_new ();
  kg_profile_set_name (f->profile, "Token demo");
  kg_profile_set_url (f->profile, kg_demo_server_get_url (f->server));
  kg_profile_set_database (f->profile, KG_DEMO_DATABASE);
  kg_profile_set_login (f->profile, "alice");
  kg_profile_set_timeout (f->profile, 10);
  kg_profile_set_protocol (f->profile, KG_PROTOCOL_TOKEN);
  if (spec (f) == NULL)
    {
      g_autoptr(KgTokenSpec) token_spec = kg_token_spec_new ();
      kg_profile_set_token_spec (f->profile, token_spec);
    }
  if (create_spec (f) == NULL)
    {
      g_autoptr(KgCreateSpec) cspec = kg_create_spec_new ();
      kg_profile_set_create_spec (f->profile, cspec);
    }

  f->client = kg_token_client_new (f->http, f->profile);
  g_signal_connect (f->client, "notify::has-token", G_CALLBACK (token_changed_cb), f);
  g_signal_connect (f->client, "notify::masked-token", G_CALLBACK (token_changed_cb), f);
}

/* kg_demo_server_stop() loses its quit when the server thread has not yet
 * entered its main loop (then the join hangs): make sure it has, by having
 * it answer one request. */
static void
ensure_server_loop_running (Fixture *f)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(KgHttpRequest) request = NULL;
  g_autoptr(KgExchange) exchange = NULL;
  g_autofree char *url = NULL;

  if (kg_demo_server_get_request_count (f->server) > 0)
    return;
  url = g_strconcat (kg_demo_server_get_url (f->server), "/web/webclient/version_info", NULL);
  request = kg_http_request_new ("POST", url);
  kg_http_send_async (f->http, request, NULL, kg_test_store_result_cb, &result);
  result = kg_test_wait_result (&result);
  exchange = kg_http_send_finish (f->http, result, NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  ensure_server_loop_running (f);
  g_assert_finalize_object (f->client);
  g_clear_object (&f->profile);
  g_clear_object (&f->http);
  kg_demo_server_stop (f->server);
  g_clear_object (&f->server);
  g_clear_pointer (&f->recorded, g_ptr_array_unref);
  g_clear_pointer (&f->tokens, g_ptr_array_unref);
}

static guint
count_step (Fixture    *f,
            const char *step)
{
  guint n = 0;

  for (guint i = 0; i < f->recorded->len; i++)
    if (g_strcmp0 (kg_exchange_get_step (g_ptr_array_index (f->recorded, i)), step) == 0)
      n++;
  return n;
}

static KgExchange *
last_recorded (Fixture *f)
{
  g_assert_cmpuint (f->recorded->len, >, 0);
  return g_ptr_array_index (f->recorded, f->recorded->len - 1);
}

static gboolean
do_exchange (Fixture     *f,
             const char  *key,
             GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kg_token_client_exchange_async (f->client, key, NULL, kg_test_store_result_cb, &result);
  result = kg_test_wait_result (&result);
  return kg_token_client_exchange_finish (f->client, result, error);
}

/* A project created through the token module, the way the app does it. */
static void
create_async (Fixture             *f,
              const char          *key,
              const char          *name,
              const char          *description,
              JsonObject          *extra,
              GAsyncResult       **result)
{
  KgProjectValues values = { name, description, extra };

  kg_record_create_project_async (f->http, f->profile, f->client, key, &values,
                                  KG_CREATE_VIA_TOKEN, NULL, kg_test_store_result_cb, result);
}

static gint64
do_create (Fixture     *f,
           const char  *key,
           const char  *name,
           const char  *description,
           char       **message,
           GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(KgCreateResult) created = NULL;
  KgExchange *exchange;
  gint64 id;

  create_async (f, key, name, description, NULL, &result);
  result = kg_test_wait_result (&result);
  created = kg_record_create_project_finish (result, error);
  if (created == NULL)
    return 0;
  id = kg_create_result_get_id (created);
  exchange = kg_create_result_get_exchange (created);
  g_assert_cmpint (id, >, 0);
  g_assert_nonnull (exchange);
  g_assert_cmpint (kg_exchange_get_record_id (exchange), ==, id);
  g_assert_cmpstr (kg_exchange_get_step (exchange), ==, "call");
  if (message != NULL)
    *message = g_strdup (kg_create_result_get_message (created));
  return id;
}

static KgExchange *
do_send (Fixture     *f,
         const char  *key,
         const char  *path,
         const char  *json_body,
         GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(KgHttpRequest) request = NULL;
  g_autoptr(JsonNode) body = json_from_string (json_body, NULL);
  g_autofree char *url = kg_profile_build_url (f->profile, path);

  g_assert_nonnull (body);
  request = kg_http_request_new ("POST", url);
  kg_http_request_set_json_body (request, body);
  kg_http_request_set_label (request, path);
  kg_token_client_send_async (f->client, key, request, NULL, kg_test_store_result_cb, &result);
  result = kg_test_wait_result (&result);
  return kg_token_client_send_finish (f->client, result, error);
}

static JsonObject *
read_back (Fixture *f,
           gint64   id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KgProfile) rpc_profile = kg_profile_dup (f->profile);
  JsonObject *project;

  /* Read back over JSON-RPC, independent of the route that created it. */
  kg_profile_set_url (rpc_profile, kg_demo_server_get_url (f->server));
  kg_profile_set_protocol (rpc_profile, KG_PROTOCOL_JSONRPC);
  kg_record_read_project_async (f->http, rpc_profile, KG_DEMO_ALICE_KEY, id, NULL,
                                kg_test_store_result_cb, &result);
  result = kg_test_wait_result (&result);
  project = kg_record_read_project_finish (result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (project);
  return project;
}

static void
assert_error (const GError *error,
              int           code,
              const char   *step,
              guint         status)
{
  g_assert_error (error, KG_ERROR, code);
  g_assert_cmpstr (kg_error_get_step (error), ==, step);
  g_assert_cmpuint (kg_error_get_http_status (error), ==, status);
  g_assert_nonnull (kg_error_get_remedy (error));
}

static const char *
find_header (GPtrArray  *headers,
             const char *name)
{
  for (guint i = 0; headers != NULL && i < headers->len; i++)
    {
      KgHeader *header = g_ptr_array_index (headers, i);

      if (g_ascii_strcasecmp (header->name, name) == 0)
        return header->value;
    }
  return NULL;
}

/* ------------------------------------------------------------------------ */

static void
test_exchange_headers (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *masked = NULL;
  g_autofree char *expected_mask = NULL;
  const char *token;
  KgExchange *exchange;
  GTimeSpan left;

  g_assert_false (kg_token_client_has_token (f->client));
  g_assert_null (kg_token_client_dup_masked_token (f->client));

  g_assert_true (do_exchange (f, KG_DEMO_ALICE_KEY, &error));
  g_assert_no_error (error);

  g_assert_true (kg_token_client_has_token (f->client));
  g_assert_cmpstr (kg_token_client_get_token_type (f->client), ==, "Bearer");
  token = kg_token_client_peek_token (f->client);
  g_assert_nonnull (token);
  g_assert_cmpuint (strlen (token), >=, 12);
  g_assert_cmpuint (f->tokens->len, >=, 1);

  /* First 4 and last 4 characters. */
  masked = kg_token_client_dup_masked_token (f->client);
  expected_mask = g_strdup_printf ("%.4s…%s", token, token + strlen (token) - 4);
  g_assert_cmpstr (masked, ==, expected_mask);

  /* The demo's tokens live one hour. */
  g_assert_nonnull (kg_token_client_get_expires_at (f->client));
  left = g_date_time_difference (kg_token_client_get_expires_at (f->client), now);
  g_assert_cmpint (left, >, (GTimeSpan) 3500 * G_USEC_PER_SEC);
  g_assert_cmpint (left, <=, (GTimeSpan) 3601 * G_USEC_PER_SEC);

  g_assert_cmpuint (f->recorded->len, ==, 1);
  exchange = last_recorded (f);
  g_assert_cmpstr (kg_exchange_get_step (exchange), ==, "exchange");
  g_assert_cmpstr (kg_exchange_get_label (exchange), ==, "token exchange");
  g_assert_cmpstr (kg_exchange_get_method (exchange), ==, "POST");
  g_assert_true (g_str_has_suffix (kg_exchange_get_url (exchange), "/auth/token/apikey"));
  g_assert_cmpuint (kg_exchange_get_status (exchange), ==, 200);
  g_assert_cmpstr (kg_exchange_get_outcome (exchange), ==, "ok");
  g_assert_cmpstr (find_header (kg_exchange_get_request_headers (exchange), "X-Odoo-Database"),
                   ==, KG_DEMO_DATABASE);
  g_assert_cmpstr (find_header (kg_exchange_get_request_headers (exchange), "X-API-Key"),
                   ==, "<API_KEY>");
  g_assert_null (strstr (kg_exchange_get_response_body (exchange), token));
  g_assert_cmpuint (kg_demo_server_get_path_count (f->server, "/auth/token/apikey"), ==, 1);

  kg_token_client_forget (f->client);
  g_assert_false (kg_token_client_has_token (f->client));
  g_assert_null (kg_token_client_peek_token (f->client));
  g_assert_null (kg_token_client_get_expires_at (f->client));
}

static void
test_exchange_body_and_query (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  KgExchange *exchange;

  /* As in t02: {"db": …, "api_key": …} in a JSON body. */
  kg_token_spec_set_db_location (spec (f), KG_PARAM_BODY);
  kg_token_spec_set_db_param (spec (f), "db");
  kg_token_spec_set_key_location (spec (f), KG_PARAM_BODY);
  kg_token_spec_set_key_param (spec (f), "api_key");

  g_assert_true (do_exchange (f, KG_DEMO_ALICE_KEY, &error));
  g_assert_no_error (error);
  exchange = last_recorded (f);
  g_assert_null (find_header (kg_exchange_get_request_headers (exchange), "X-API-Key"));
  g_assert_nonnull (strstr (kg_exchange_get_request_body (exchange), "\"db\""));
  g_assert_nonnull (strstr (kg_exchange_get_request_body (exchange), KG_DEMO_DATABASE));
  g_assert_nonnull (strstr (kg_exchange_get_request_body (exchange), "<API_KEY>"));
  g_assert_null (strstr (kg_exchange_get_request_body (exchange), KG_DEMO_ALICE_KEY));

  /* A key in the query: the module does not read it there (400), and the
   * URL shown keeps the key masked. */
  kg_token_spec_set_key_location (spec (f), KG_PARAM_QUERY);
  g_assert_false (do_exchange (f, KG_DEMO_ALICE_KEY, &error));
  assert_error (error, KG_ERROR_VALIDATION, "exchange", 400);
  g_assert_nonnull (strstr (kg_error_get_remedy (error), "key-location"));
  exchange = last_recorded (f);
  g_assert_nonnull (strstr (kg_exchange_get_url (exchange), "api_key="));
  g_assert_null (strstr (kg_exchange_get_url (exchange), KG_DEMO_ALICE_KEY));
}

static void
test_token_paths (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = NULL;
  GTimeSpan left;

  /* "token" instead of "access_token": the default path falls back. */
  kg_demo_server_set_token_path (f->server, "token");
  g_assert_true (do_exchange (f, KG_DEMO_ALICE_KEY, &error));
  g_assert_no_error (error);

  /* Nested: data.token / data.expires. Default spec: no token found. */
  kg_demo_server_set_token_path (f->server, "data.token");
  kg_demo_server_set_expires_in_path (f->server, "data.expires");
  kg_token_client_forget (f->client);
  g_assert_false (do_exchange (f, KG_DEMO_ALICE_KEY, &error));
  assert_error (error, KG_ERROR_SERVER, "exchange", 200);
  g_assert_nonnull (strstr (kg_error_get_remedy (error), "access_token"));
  g_assert_false (kg_token_client_has_token (f->client));
  g_clear_error (&error);

  kg_demo_server_set_token_lifetime (f->server, 600);
  kg_token_spec_set_token_path (spec (f), "data.token");
  kg_token_spec_set_expires_in_path (spec (f), "data.expires");
  g_assert_true (do_exchange (f, KG_DEMO_ALICE_KEY, &error));
  g_assert_no_error (error);
  now = g_date_time_new_now_utc ();
  left = g_date_time_difference (kg_token_client_get_expires_at (f->client), now);
  g_assert_cmpint (left, >, (GTimeSpan) 590 * G_USEC_PER_SEC);
  g_assert_cmpint (left, <=, (GTimeSpan) 600 * G_USEC_PER_SEC);

  /* No lifetime in the answer: the spec's lifetime, else unknown. */
  kg_token_spec_set_expires_in_path (spec (f), "data.nothing");
  kg_token_spec_set_lifetime (spec (f), 120);
  g_assert_true (do_exchange (f, KG_DEMO_ALICE_KEY, &error));
  g_assert_no_error (error);
  g_clear_pointer (&now, g_date_time_unref);
  now = g_date_time_new_now_utc ();
  left = g_date_time_difference (kg_token_client_get_expires_at (f->client), now);
  g_assert_cmpint (left, >, (GTimeSpan) 110 * G_USEC_PER_SEC);
  g_assert_cmpint (left, <=, (GTimeSpan) 120 * G_USEC_PER_SEC);

  kg_token_spec_set_lifetime (spec (f), 0);
  g_assert_true (do_exchange (f, KG_DEMO_ALICE_KEY, &error));
  g_assert_no_error (error);
  g_assert_null (kg_token_client_get_expires_at (f->client));
}

static void
test_presets_create (Fixture       *f,
                     gconstpointer  data)
{
  struct {
    const char *what;
    KgTokenPreset preset;
    const char *send_header;   /* tutorial: NULL = Bearer */
    const char *create_path;
    guint exchanges;
  } cases[] = {
    { "tutorial, Bearer", KG_TOKEN_PRESET_TUTORIAL, NULL, NULL, 1 },
    { "tutorial, X-Access-Token", KG_TOKEN_PRESET_TUTORIAL, "X-Access-Token", NULL, 1 },
    { "api-key-header", KG_TOKEN_PRESET_API_KEY_HEADER, NULL, "/api/key/project/create", 0 },
    { "json2", KG_TOKEN_PRESET_JSON2, NULL, NULL, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonObject) project = NULL;
      g_autofree char *message = NULL;
      g_autofree char *name = g_strdup_printf ("Keygate %s project %u", cases[i].what, i);
      guint exchanges_before = count_step (f, "exchange");
      KgExchange *call;
      const char *sent;
      gint64 id;

      g_test_message ("preset case: %s", cases[i].what);
      kg_token_spec_apply_preset (spec (f), cases[i].preset);
      if (cases[i].send_header != NULL)
        {
          kg_token_spec_set_send_as (spec (f), KG_TOKEN_SEND_HEADER);
          kg_token_spec_set_send_header (spec (f), cases[i].send_header);
        }
      kg_create_spec_set_path (create_spec (f), cases[i].create_path ? cases[i].create_path
                                                                     : "/api/project/create");
      kg_token_client_forget (f->client);

      id = do_create (f, KG_DEMO_ALICE_KEY, name, "Made by test-token-client", &message, &error);
      g_assert_no_error (error);
      g_assert_cmpint (id, >, 0);
      g_assert_cmpuint (count_step (f, "exchange") - exchanges_before, ==, cases[i].exchanges);

      call = last_recorded (f);
      g_assert_cmpint (kg_exchange_get_record_id (call), ==, id);
      g_assert_cmpstr (kg_exchange_get_label (call), ==, "create project");
      if (cases[i].preset == KG_TOKEN_PRESET_JSON2)
        {
          g_assert_true (g_str_has_suffix (kg_exchange_get_url (call),
                                           "/json/2/project.project/create"));
          g_assert_nonnull (strstr (kg_exchange_get_request_body (call), "\"vals_list\""));
          sent = find_header (kg_exchange_get_request_headers (call), "Authorization");
          g_assert_nonnull (sent);
          g_assert_true (g_str_has_prefix (sent, "bearer "));
          g_assert_null (strstr (sent, KG_DEMO_ALICE_KEY));
          /* JSON-2 answers the ids only: Keygate's own words. */
          g_assert_cmpstr (message, ==, "Project created");
        }
      else
        {
          g_assert_cmpstr (message, ==, "Project created successfully");
          g_assert_nonnull (strstr (kg_exchange_get_request_body (call), "\"project_name\""));
        }
      if (cases[i].preset == KG_TOKEN_PRESET_API_KEY_HEADER)
        g_assert_cmpstr (find_header (kg_exchange_get_request_headers (call), "API-KEY"),
                         ==, "<API_KEY>");
      if (cases[i].send_header != NULL)
        g_assert_cmpstr (find_header (kg_exchange_get_request_headers (call), cases[i].send_header),
                         ==, "<TOKEN>");
      g_assert_cmpstr (find_header (kg_exchange_get_request_headers (call), "X-Odoo-Database"),
                       ==, KG_DEMO_DATABASE);

      project = read_back (f, id);
      g_assert_cmpstr (json_object_get_string_member (project, "name"), ==, name);
      g_assert_nonnull (strstr (json_object_get_string_member (project, "description"),
                                "Made by test-token-client"));
    }
}

static void
test_extra_fields (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) extra = json_object_new ();
  g_autoptr(KgCreateResult) created = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  KgExchange *exchange;
  JsonObject *sent;
  gint64 id;

  /* Extra fields are merged and may override the named ones. */
  json_object_set_string_member (extra, "project_name", "Overridden name");
  json_object_set_int_member (extra, "color", 3);
  create_async (f, KG_DEMO_ALICE_KEY, "Original", NULL, extra, &result);
  result = kg_test_wait_result (&result);
  created = kg_record_create_project_finish (result, &error);
  g_assert_no_error (error);
  id = kg_create_result_get_id (created);
  exchange = kg_create_result_get_exchange (created);
  g_assert_cmpint (id, >, 0);

  g_assert_true (json_parser_load_from_data (parser, kg_exchange_get_request_body (exchange), -1, NULL));
  sent = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (sent, "project_name"), ==, "Overridden name");
  g_assert_cmpint (json_object_get_int_member (sent, "color"), ==, 3);
  g_assert_false (json_object_has_member (sent, "project_description"));
}

static void
test_reuse (Fixture       *f,
            gconstpointer  data)
{
  GAsyncResult *pending[3] = { NULL, NULL, NULL };

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *name = g_strdup_printf ("Reuse %u", i);

      g_assert_cmpint (do_create (f, KG_DEMO_ALICE_KEY, name, NULL, NULL, &error), >, 0);
      g_assert_no_error (error);
    }
  g_assert_cmpuint (count_step (f, "exchange"), ==, 1);
  g_assert_cmpuint (count_step (f, "call"), ==, 5);
  g_assert_cmpuint (kg_demo_server_get_path_count (f->server, "/auth/token/apikey"), ==, 1);

  /* Three calls at once without a token share one exchange. */
  kg_token_client_forget (f->client);
  for (guint i = 0; i < G_N_ELEMENTS (pending); i++)
    create_async (f, KG_DEMO_ALICE_KEY, "Concurrent", NULL, NULL, &pending[i]);
  for (guint i = 0; i < G_N_ELEMENTS (pending); i++)
    {
      g_autoptr(GAsyncResult) result = kg_test_wait_result (&pending[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(KgCreateResult) created = kg_record_create_project_finish (result, &error);

      g_assert_no_error (error);
      g_assert_cmpint (kg_create_result_get_id (created), >, 0);
    }
  g_assert_cmpuint (count_step (f, "exchange"), ==, 2);
  g_assert_cmpuint (count_step (f, "call"), ==, 8);
}

static void
test_reexchange_before_expiry (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* Re-exchanged within min (30 s, half its life) of the end: 1.5 s. */
  kg_demo_server_set_token_lifetime (f->server, 3);

  g_assert_cmpint (do_create (f, KG_DEMO_ALICE_KEY, "Short 1", NULL, NULL, &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (do_create (f, KG_DEMO_ALICE_KEY, "Short 2", NULL, NULL, &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpuint (count_step (f, "exchange"), ==, 1);

  /* Past half the token's life, by the wall clock the client reads (a real
   * sleep: expiry is wall-clock time by design), it is exchanged again
   * before the call, before it expires: no 401. */
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    GTimeSpan left = g_date_time_difference (kg_token_client_get_expires_at (f->client), now);

    g_usleep (MAX (0, left - 3 * G_USEC_PER_SEC / 2) + G_USEC_PER_SEC / 10);
  }
  g_assert_cmpint (do_create (f, KG_DEMO_ALICE_KEY, "Short 3", NULL, NULL, &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpuint (count_step (f, "exchange"), ==, 2);
  g_assert_cmpuint (count_step (f, "call"), ==, 3);
  for (guint i = 0; i < f->recorded->len; i++)
    g_assert_cmpuint (kg_exchange_get_status (g_ptr_array_index (f->recorded, i)), ==, 200);
}

static void
test_expires_at_in_the_past (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* The demo writes its lifetime (3600) at "expires_at": as unix seconds
   * that is 1970, long past. Each call then buys a token first. */
  kg_demo_server_set_expires_in_path (f->server, "expires_at");
  kg_token_spec_set_expires_in_path (spec (f), "");
  kg_token_spec_set_expires_at_path (spec (f), "expires_at");

  g_assert_true (do_exchange (f, KG_DEMO_ALICE_KEY, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_date_time_to_unix (kg_token_client_get_expires_at (f->client)), ==, 3600);

  g_assert_cmpint (do_create (f, KG_DEMO_ALICE_KEY, "Past 1", NULL, NULL, &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (do_create (f, KG_DEMO_ALICE_KEY, "Past 2", NULL, NULL, &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpuint (count_step (f, "exchange"), ==, 3);
  g_assert_cmpuint (count_step (f, "call"), ==, 2);
}

static void
test_reexchange_after_401 (Fixture       *f,
                           gconstpointer  data)
{
  void (*breakers[]) (KgDemoServer *) = { kg_demo_server_revoke_tokens,
                                          kg_demo_server_expire_tokens };

  for (guint i = 0; i < G_N_ELEMENTS (breakers); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *first_token = NULL;
      KgExchange *refused;
      guint before;

      g_assert_true (do_exchange (f, KG_DEMO_ALICE_KEY, &error));
      g_assert_no_error (error);
      first_token = g_strdup (kg_token_client_peek_token (f->client));
      breakers[i] (f->server);
      before = f->recorded->len;

      g_assert_cmpint (do_create (f, KG_DEMO_ALICE_KEY, "After 401", NULL, NULL, &error), >, 0);
      g_assert_no_error (error);

      /* Refused call, exchange, call again: 2 calls and 1 more exchange. */
      g_assert_cmpuint (f->recorded->len - before, ==, 3);
      refused = g_ptr_array_index (f->recorded, before);
      g_assert_cmpstr (kg_exchange_get_step (refused), ==, "call");
      g_assert_cmpuint (kg_exchange_get_status (refused), ==, 401);
      g_assert_cmpstr (kg_exchange_get_outcome (refused), ==, "token-invalid");
      g_assert_cmpstr (kg_exchange_get_step (g_ptr_array_index (f->recorded, before + 1)), ==, "exchange");
      g_assert_cmpstr (kg_exchange_get_step (g_ptr_array_index (f->recorded, before + 2)), ==, "call");
      g_assert_cmpstr (kg_token_client_peek_token (f->client), !=, first_token);
    }
  g_assert_cmpuint (count_step (f, "exchange"), ==, 4);
  g_assert_cmpuint (count_step (f, "call"), ==, 4);
}

static void
test_no_infinite_retry (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* Every token the demo hands out is already expired at the route. */
  kg_demo_server_set_token_lifetime (f->server, 0);
  g_assert_cmpint (do_create (f, KG_DEMO_ALICE_KEY, "Never", NULL, NULL, &error), ==, 0);
  assert_error (error, KG_ERROR_TOKEN_INVALID, "call", 401);
  g_assert_nonnull (strstr (kg_error_get_remedy (error), "disagree"));
  g_assert_cmpstr (kg_error_get_server_message (error), ==,
                   "The access token has expired; exchange the API key for a new one.");
  g_assert_cmpuint (count_step (f, "exchange"), ==, 2);
  g_assert_cmpuint (count_step (f, "call"), ==, 2);
  g_assert_cmpuint (kg_demo_server_get_path_count (f->server, "/auth/token/apikey"), ==, 2);
  g_assert_cmpuint (kg_demo_server_get_path_count (f->server, "/api/project/create"), ==, 2);
  g_clear_error (&error);

  /* The token sent in a header the route does not read: "Missing access
   * token" after exactly one re-exchange, naming the header. */
  kg_demo_server_set_token_lifetime (f->server, 3600);
  kg_token_spec_set_send_as (spec (f), KG_TOKEN_SEND_HEADER);
  kg_token_spec_set_send_header (spec (f), "X-Wrong-Token");
  g_assert_cmpint (do_create (f, KG_DEMO_ALICE_KEY, "Never", NULL, NULL, &error), ==, 0);
  assert_error (error, KG_ERROR_TOKEN_MISSING, "call", 401);
  g_assert_nonnull (strstr (kg_error_get_remedy (error), "X-Wrong-Token"));
  g_assert_cmpuint (count_step (f, "exchange"), ==, 4);
  g_assert_cmpuint (count_step (f, "call"), ==, 4);
  g_assert_cmpint (kg_error_exit_code (error), ==, KG_EXIT_AUTH);
}

static void
test_exchange_errors (Fixture       *f,
                      gconstpointer  data)
{
  struct {
    const char *what;
    const char *key;
    int code;
    guint status;
    const char *in_remedy;     /* nullable */
    const char *in_message;    /* nullable */
  } keys[] = {
    { "wrong key", "0123456789abcdef0123456789abcdef01234567", KG_ERROR_ACCESS_DENIED, 401, "password", NULL },
    { "expired key", KG_DEMO_EXPIRED_KEY, KG_ERROR_ACCESS_DENIED, 401, NULL, NULL },
    { "password", KG_DEMO_ALICE_PASSWORD, KG_ERROR_ACCESS_DENIED, 401, NULL, NULL },
  };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_test_message ("exchange error: %s", keys[i].what);
      g_assert_false (do_exchange (f, keys[i].key, &error));
      assert_error (error, keys[i].code, "exchange", keys[i].status);
      g_assert_cmpstr (kg_error_get_server_message (error), ==,
                       "The API key is unknown, revoked, expired, or belongs to an inactive user.");
      if (keys[i].in_remedy)
        g_assert_nonnull (strstr (kg_error_get_remedy (error), keys[i].in_remedy));
      g_assert_cmpstr (kg_exchange_get_outcome (last_recorded (f)), ==, "access-denied");
      g_assert_false (kg_token_client_has_token (f->client));
      g_clear_error (&error);
    }

  /* Database and key where the module does not look. */
  kg_token_spec_set_db_location (spec (f), KG_PARAM_NONE);
  g_assert_false (do_exchange (f, KG_DEMO_ALICE_KEY, &error));
  assert_error (error, KG_ERROR_VALIDATION, "exchange", 400);
  g_assert_nonnull (strstr (kg_error_get_remedy (error), "db-location"));
  g_assert_nonnull (strstr (kg_error_get_server_message (error), "X-Odoo-Database"));
  g_clear_error (&error);
  kg_token_spec_set_db_location (spec (f), KG_PARAM_HEADER);

  kg_token_spec_set_key_param (spec (f), "X-Key");
  g_assert_false (do_exchange (f, KG_DEMO_ALICE_KEY, &error));
  assert_error (error, KG_ERROR_VALIDATION, "exchange", 400);
  g_assert_nonnull (strstr (kg_error_get_remedy (error), "X-Key"));
  g_assert_nonnull (strstr (kg_error_get_remedy (error), "key-param"));
  g_clear_error (&error);
  kg_token_spec_set_key_param (spec (f), "X-API-Key");

  /* Unknown database. */
  kg_profile_set_database (f->profile, "no_such_db");
  g_assert_false (do_exchange (f, KG_DEMO_ALICE_KEY, &error));
  assert_error (error, KG_ERROR_UNKNOWN_DATABASE, "exchange", 404);
  g_assert_nonnull (strstr (kg_error_get_server_message (error), "no_such_db"));
  g_assert_cmpint (kg_error_exit_code (error), ==, KG_EXIT_SERVER);
  g_clear_error (&error);
  kg_profile_set_database (f->profile, KG_DEMO_DATABASE);

  /* GET on a POST-only route: Werkzeug's HTML 405. */
  kg_token_spec_set_method (spec (f), "GET");
  g_assert_false (do_exchange (f, KG_DEMO_ALICE_KEY, &error));
  assert_error (error, KG_ERROR_HTTP_STATUS, "exchange", 405);
  g_assert_nonnull (strstr (error->message, "GET"));
  g_clear_error (&error);
  kg_token_spec_set_method (spec (f), "POST");

  /* A path the server does not serve: HTML 404. */
  kg_token_spec_set_path (spec (f), "/auth/token/nope");
  g_assert_false (do_exchange (f, KG_DEMO_ALICE_KEY, &error));
  assert_error (error, KG_ERROR_HTTP_STATUS, "exchange", 404);
  g_clear_error (&error);
  kg_token_spec_set_path (spec (f), "/auth/token/apikey");

  /* A proxy's or login page's HTML instead of JSON. */
  fixture_set_url (f, "/hostile/html");
  g_assert_false (do_exchange (f, KG_DEMO_ALICE_KEY, &error));
  assert_error (error, KG_ERROR_NOT_JSON, "exchange", 200);
  g_clear_error (&error);
  fixture_set_url (f, "");

  /* Nobody listening. */
  kg_profile_set_url (f->profile, "http://127.0.0.1:9");
  g_assert_false (do_exchange (f, KG_DEMO_ALICE_KEY, &error));
  g_assert_error (error, KG_ERROR, KG_ERROR_NETWORK);
  g_assert_cmpstr (kg_error_get_step (error), ==, "exchange");
  g_clear_error (&error);

  /* No key at all. */
  fixture_set_url (f, "");
  g_assert_false (do_exchange (f, NULL, &error));
  g_assert_error (error, KG_ERROR, KG_ERROR_KEY_NOT_FOUND);
  g_clear_error (&error);

  /* Every exchange that reached the network was recorded once. */
  g_assert_cmpuint (count_step (f, "exchange"), ==, 10);
  g_assert_cmpuint (count_step (f, "call"), ==, 0);
}

static void
test_call_errors (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* bob may not create projects: Odoo's AccessError text, kept verbatim. */
  g_assert_cmpint (do_create (f, KG_DEMO_BOB_KEY, "Bob was here", NULL, NULL, &error), ==, 0);
  assert_error (error, KG_ERROR_ACCESS_ERROR, "call", 403);
  g_assert_nonnull (strstr (kg_error_get_server_message (error), "Project/Administrator"));
  g_assert_cmpint (kg_error_exit_code (error), ==, KG_EXIT_PERMISSION);
  g_assert_cmpstr (kg_exchange_get_outcome (last_recorded (f)), ==, "access-error");
  g_clear_error (&error);
  kg_token_client_forget (f->client);

  /* No name: refused before anything is sent. */
  {
    guint sent_before = f->recorded->len;

    g_assert_cmpint (do_create (f, KG_DEMO_ALICE_KEY, " ", NULL, NULL, &error), ==, 0);
    g_assert_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT);
    g_assert_cmpuint (f->recorded->len, ==, sent_before);
    g_clear_error (&error);
  }

  /* The create route's name field is wrong: the module misses project_name
   * and says so (400), its words kept. */
  kg_create_spec_set_name_field (create_spec (f), "name");
  g_assert_cmpint (do_create (f, KG_DEMO_ALICE_KEY, "Wrong field", NULL, NULL, &error), ==, 0);
  assert_error (error, KG_ERROR_VALIDATION, "call", 400);
  g_assert_nonnull (strstr (kg_error_get_server_message (error), "project_name"));
  g_clear_error (&error);
  kg_create_spec_set_name_field (create_spec (f), "project_name");

  /* A create path that does not exist. */
  kg_create_spec_set_path (create_spec (f), "/api/nope");
  g_assert_cmpint (do_create (f, KG_DEMO_ALICE_KEY, "Nowhere", NULL, NULL, &error), ==, 0);
  assert_error (error, KG_ERROR_HTTP_STATUS, "call", 404);
  g_clear_error (&error);
  kg_create_spec_set_path (create_spec (f), "/api/project/create");

  /* The id is somewhere else than the spec says. */
  kg_create_spec_set_id_path (create_spec (f), "data.id");
  g_assert_cmpint (do_create (f, KG_DEMO_ALICE_KEY, "No id", NULL, NULL, &error), ==, 0);
  assert_error (error, KG_ERROR_SERVER, "call", 200);
  g_assert_nonnull (strstr (kg_error_get_remedy (error), "data.id"));
  g_clear_error (&error);
  kg_create_spec_set_id_path (create_spec (f), "project_id");

  /* API key in a header: a wrong key is the key's fault. */
  kg_token_spec_apply_preset (spec (f), KG_TOKEN_PRESET_API_KEY_HEADER);
  kg_create_spec_set_path (create_spec (f), "/api/key/project/create");
  g_assert_cmpint (do_create (f, "0123456789abcdef0123456789abcdef01234567", "Wrong", NULL, NULL,
                              &error), ==, 0);
  assert_error (error, KG_ERROR_ACCESS_DENIED, "call", 401);
  g_clear_error (&error);
}

static void
test_json2_errors (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  kg_token_spec_apply_preset (spec (f), KG_TOKEN_PRESET_JSON2);

  g_assert_cmpint (do_create (f, "0123456789abcdef0123456789abcdef01234567", "Wrong", NULL, NULL,
                              &error), ==, 0);
  assert_error (error, KG_ERROR_ACCESS_DENIED, "call", 401);
  g_assert_cmpstr (kg_error_get_server_message (error), ==, "Invalid apikey");
  g_clear_error (&error);

  g_assert_cmpint (do_create (f, KG_DEMO_BOB_KEY, "Bob was here", NULL, NULL, &error), ==, 0);
  assert_error (error, KG_ERROR_ACCESS_ERROR, "call", 403);
  g_assert_nonnull (strstr (kg_error_get_server_message (error), "Project/Administrator"));
  g_clear_error (&error);

  /* As in odoo19/24: no name → 422 ValidationError. */
  g_assert_null (do_send (f, KG_DEMO_ALICE_KEY, "/json/2/project.project/create",
                          "{\"vals_list\": [{\"description\": \"no name\"}]}", &error));
  assert_error (error, KG_ERROR_VALIDATION, "call", 422);
  g_assert_nonnull (strstr (kg_error_get_server_message (error), "name"));
  g_clear_error (&error);

  /* Unknown model: NotFound in the JSON body is the path's fault. */
  g_assert_null (do_send (f, KG_DEMO_ALICE_KEY, "/json/2/no.such.model/search", "{}", &error));
  assert_error (error, KG_ERROR_HTTP_STATUS, "call", 404);
  g_assert_nonnull (strstr (kg_error_get_server_message (error), "no.such.model"));
  g_clear_error (&error);

  /* Odoo 19 answers an unknown X-Odoo-Database with an HTML 404. */
  kg_profile_set_database (f->profile, "no_such_db");
  g_assert_cmpint (do_create (f, KG_DEMO_ALICE_KEY, "Nowhere", NULL, NULL, &error), ==, 0);
  assert_error (error, KG_ERROR_UNKNOWN_DATABASE, "call", 404);
  g_clear_error (&error);
  kg_profile_set_database (f->profile, KG_DEMO_DATABASE);

  /* An Odoo 18 (no JSON-2): HTML 404. */
  kg_demo_server_set_json2 (f->server, FALSE);
  g_assert_cmpint (do_create (f, KG_DEMO_ALICE_KEY, "Old server", NULL, NULL, &error), ==, 0);
  assert_error (error, KG_ERROR_HTTP_STATUS, "call", 404);
  g_clear_error (&error);
  kg_demo_server_set_json2 (f->server, TRUE);

  /* A login page instead of the API. */
  fixture_set_url (f, "/hostile/html");
  g_assert_cmpint (do_create (f, KG_DEMO_ALICE_KEY, "Login page", NULL, NULL, &error), ==, 0);
  assert_error (error, KG_ERROR_NOT_JSON, "call", 200);
  g_clear_error (&error);

  g_assert_cmpuint (count_step (f, "exchange"), ==, 0);
  g_assert_cmpuint (count_step (f, "call"), ==, 7);
}

static void
test_send_generic (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KgExchange) exchange = NULL;
  g_autoptr(KgHttpRequest) request = NULL;
  g_autoptr(JsonNode) body = json_from_string ("{}", NULL);
  g_autofree char *url = NULL;

  /* Any JSON-2 method through send_async: the key is attached. */
  kg_token_spec_apply_preset (spec (f), KG_TOKEN_PRESET_JSON2);
  url = kg_profile_build_url (f->profile, "/json/2/res.users/context_get");
  request = kg_http_request_new ("POST", url);
  kg_http_request_set_json_body (request, body);
  kg_http_request_set_label (request, "context_get");

  kg_token_client_send_async (f->client, KG_DEMO_ALICE_KEY, request, NULL,
                              kg_test_store_result_cb, &result);
  result = kg_test_wait_result (&result);
  exchange = kg_token_client_send_finish (f->client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kg_exchange_get_status (exchange), ==, 200);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (kg_exchange_get_response_json (exchange)));
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (kg_exchange_get_response_json (exchange)), "uid"),
                   ==, KG_DEMO_ALICE_UID);
  g_assert_cmpuint (f->recorded->len, ==, 1);
  g_assert_true (last_recorded (f) == exchange);
  g_assert_cmpstr (kg_exchange_get_step (exchange), ==, "call");
}

static void
test_preview (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(KgExchange) preview = NULL;
  g_autofree char *curl = NULL;

  preview = kg_token_client_preview_exchange (f->client);
  g_assert_cmpstr (kg_exchange_get_method (preview), ==, "POST");
  g_assert_true (g_str_has_suffix (kg_exchange_get_url (preview), "/auth/token/apikey"));
  g_assert_cmpstr (kg_exchange_get_step (preview), ==, "exchange");
  g_assert_cmpstr (find_header (kg_exchange_get_request_headers (preview), "X-API-Key"), ==, "<API_KEY>");
  g_assert_cmpstr (find_header (kg_exchange_get_request_headers (preview), "X-Odoo-Database"),
                   ==, KG_DEMO_DATABASE);
  curl = kg_exchange_to_curl (preview);
  g_assert_nonnull (strstr (curl, "$ODOO_API_KEY"));
  g_clear_object (&preview);
  g_clear_pointer (&curl, g_free);

  kg_token_spec_set_key_location (spec (f), KG_PARAM_BODY);
  kg_token_spec_set_key_param (spec (f), "api_key");
  kg_token_spec_set_db_location (spec (f), KG_PARAM_QUERY);
  kg_token_spec_set_db_param (spec (f), "db");
  preview = kg_token_client_preview_exchange (f->client);
  g_assert_nonnull (strstr (kg_exchange_get_url (preview), "?db=" KG_DEMO_DATABASE));
  g_assert_nonnull (strstr (kg_exchange_get_request_body (preview), "\"api_key\""));
  g_assert_nonnull (strstr (kg_exchange_get_request_body (preview), "<API_KEY>"));
  g_assert_null (find_header (kg_exchange_get_request_headers (preview), "X-API-Key"));

  /* Nothing was sent. */
  g_assert_cmpuint (f->recorded->len, ==, 0);
  g_assert_cmpuint (kg_demo_server_get_path_count (f->server, "/auth/token/apikey"), ==, 0);
}

/* Runs @curl_line with sh, a fake `curl` that prints its arguments one per
 * line, and the secrets in the environment. Returns the arguments. */
static char *
run_curl_line (const char *curl_line,
               const char *api_key,
               const char *token)
{
  g_autofree char *bin = g_build_filename (kg_test_get_tmpdir (), "fakebin", NULL);
  g_autofree char *fake = g_build_filename (bin, "curl", NULL);
  g_autofree char *path = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) env = g_get_environ ();
  const char *argv[] = { "/bin/sh", "-c", curl_line, NULL };
  int status = -1;

  g_mkdir_with_parents (bin, 0700);
  g_assert_true (g_file_set_contents (fake, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n",
                                      -1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (fake, 0755), ==, 0);

  path = g_strconcat (bin, ":", g_environ_getenv (env, "PATH"), NULL);
  env = g_environ_setenv (env, "PATH", path, TRUE);
  env = g_environ_setenv (env, "ODOO_API_KEY", api_key, TRUE);
  if (token != NULL)
    env = g_environ_setenv (env, "ODOO_TOKEN", token, TRUE);

  g_assert_true (g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (err, ==, "");
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_steal_pointer (&out);
}

static void
assert_lacks (const char *text,
              GPtrArray  *secrets)
{
  for (guint i = 0; i < secrets->len; i++)
    g_assert_null (strstr (text, g_ptr_array_index (secrets, i)));
}

static void
test_redaction (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(KgHistory) history = kg_history_new (NULL);
  g_autoptr(GPtrArray) secrets = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *exchange_curl = NULL;
  g_autofree char *create_curl = NULL;
  g_autofree char *args = NULL;
  g_autofree char *token_used = NULL;
  g_autofree char *expected = NULL;

  kg_test_capture_logs ();
  kg_http_set_history (f->http, G_OBJECT (history));

  /* Exchange, create, refused token + re-exchange, X-Access-Token, key in
   * the body, bob's 403, a wrong key. */
  g_assert_cmpint (do_create (f, KG_DEMO_ALICE_KEY, "Redaction 1", NULL, NULL, &error), >, 0);
  g_assert_no_error (error);
  token_used = g_strdup (kg_token_client_peek_token (f->client));
  exchange_curl = kg_exchange_to_curl (g_ptr_array_index (f->recorded, 0));
  create_curl = kg_exchange_to_curl (g_ptr_array_index (f->recorded, 1));

  kg_demo_server_revoke_tokens (f->server);
  g_assert_cmpint (do_create (f, KG_DEMO_ALICE_KEY, "Redaction 2", NULL, NULL, &error), >, 0);
  g_assert_no_error (error);
  kg_token_spec_set_send_as (spec (f), KG_TOKEN_SEND_HEADER);
  kg_token_spec_set_send_header (spec (f), "X-Access-Token");
  kg_token_spec_set_key_location (spec (f), KG_PARAM_BODY);
  kg_token_spec_set_key_param (spec (f), "api_key");
  kg_token_client_forget (f->client);
  g_assert_cmpint (do_create (f, KG_DEMO_ALICE_KEY, "Redaction 3", NULL, NULL, &error), >, 0);
  g_assert_no_error (error);
  kg_token_client_forget (f->client);
  g_assert_cmpint (do_create (f, KG_DEMO_BOB_KEY, "Redaction 4", NULL, NULL, &error), ==, 0);
  g_clear_error (&error);
  kg_token_client_forget (f->client);
  g_assert_false (do_exchange (f, KG_DEMO_CAROL_KEY "0", &error));
  g_clear_error (&error);

  g_ptr_array_add (secrets, g_strdup (KG_DEMO_ALICE_KEY));
  g_ptr_array_add (secrets, g_strdup (KG_DEMO_BOB_KEY));
  g_ptr_array_add (secrets, g_strdup (KG_DEMO_CAROL_KEY));
  for (guint i = 0; i < f->tokens->len; i++)
    g_ptr_array_add (secrets, g_strdup (g_ptr_array_index (f->tokens, i)));
  g_assert_cmpuint (f->tokens->len, >=, 4);
  g_assert_cmpuint (f->recorded->len, >=, 10);

  for (guint i = 0; i < f->recorded->len; i++)
    {
      KgExchange *exchange = g_ptr_array_index (f->recorded, i);
      g_autoptr(JsonObject) object = kg_exchange_to_json (exchange);
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
      g_autofree char *text = json_to_string (node, FALSE);
      g_autofree char *curl = kg_exchange_to_curl (exchange);

      assert_lacks (text, secrets);
      assert_lacks (curl, secrets);
      assert_lacks (kg_exchange_get_response_body (exchange) ? kg_exchange_get_response_body (exchange) : "",
                    secrets);
    }
  assert_lacks (kg_test_get_logged_text (), secrets);
  for (guint i = 0; i < secrets->len; i++)
    g_assert_cmpuint (kg_test_assert_dir_lacks (kg_test_get_tmpdir (), g_ptr_array_index (secrets, i)),
                      >=, 1);

  /* The curl lines are sh that reproduces the requests once the
   * environment holds the secrets. */
  g_assert_nonnull (strstr (exchange_curl, "$ODOO_API_KEY"));
  args = run_curl_line (exchange_curl, KG_DEMO_ALICE_KEY, NULL);
  expected = g_strdup_printf ("X-API-Key: %s\n", KG_DEMO_ALICE_KEY);
  g_assert_nonnull (strstr (args, expected));
  g_assert_nonnull (strstr (args, "X-Odoo-Database: " KG_DEMO_DATABASE "\n"));
  g_assert_nonnull (strstr (args, "/auth/token/apikey\n"));
  g_assert_nonnull (strstr (args, "POST\n"));
  g_clear_pointer (&args, g_free);
  g_clear_pointer (&expected, g_free);

  g_assert_nonnull (strstr (create_curl, "$ODOO_TOKEN"));
  args = run_curl_line (create_curl, KG_DEMO_ALICE_KEY, token_used);
  expected = g_strdup_printf ("Authorization: Bearer %s\n", token_used);
  g_assert_nonnull (strstr (args, expected));
  g_assert_nonnull (strstr (args, "{\"project_name\":\"Redaction 1\"}"));
  g_assert_nonnull (strstr (args, "/api/project/create\n"));
}

/* ------------------------------------------------------------------------ */
/* Replaying the captured answers of a real Odoo                             */

typedef struct
{
  SoupServer *server;
  char       *url;
  JsonObject *answer;        /* response of the capture to replay */
  JsonObject *token_answer;  /* what /auth/token/apikey answers meanwhile (nullable) */
  guint       requests;
} Replay;

static void
replay_respond (SoupServerMessage *msg,
                JsonObject        *response)
{
  const char *status_line = json_object_get_string_member (response, "status_line");
  JsonArray *headers = json_object_get_array_member (response, "headers");
  const char *body = json_object_get_string_member (response, "body");
  SoupMessageHeaders *out = soup_server_message_get_response_headers (msg);
  const char *content_type = "text/plain";
  guint status = 0;

  /* "HTTP/1.1 401 UNAUTHORIZED" */
  g_assert_true (sscanf (status_line, "HTTP/1.1 %u", &status) == 1);
  for (guint i = 0; i < json_array_get_length (headers); i++)
    {
      const char *line = json_array_get_string_element (headers, i);
      const char *colon = strchr (line, ':');
      g_autofree char *name = g_strndup (line, colon - line);
      const char *value = colon + 2;

      if (g_ascii_strcasecmp (name, "Content-Type") == 0)
        content_type = value;
      else if (g_ascii_strcasecmp (name, "Content-Length") != 0
               && g_ascii_strcasecmp (name, "Connection") != 0
               && g_ascii_strcasecmp (name, "Date") != 0)
        soup_message_headers_append (out, name, value);
    }
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY,
                                    body ? body : "", body ? strlen (body) : 0);
}

static void
replay_handler (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  Replay *replay = user_data;

  replay->requests++;
  if (replay->token_answer != NULL && g_str_equal (path, "/auth/token/apikey"))
    replay_respond (msg, replay->token_answer);
  else
    replay_respond (msg, replay->answer);
}

static void
replay_start (Replay *replay)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  GSList *uris;

  replay->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (replay->server, NULL, replay_handler, replay, NULL);
  g_assert_true (soup_server_listen (replay->server, address, 0, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (replay->server);
  replay->url = g_strdup_printf ("http://127.0.0.1:%u", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
}

static void
replay_stop (Replay *replay)
{
  soup_server_disconnect (replay->server);
  g_clear_object (&replay->server);
  g_clear_pointer (&replay->url, g_free);
}

static JsonObject *
load_captures (const char *folder,
               JsonParser *parser)
{
  g_autofree char *path = g_build_filename (g_getenv ("KEYGATE_PROTOCOL_DIR"), folder,
                                            "exchanges.json", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

static JsonObject *
find_capture (JsonArray  *exchanges,
              const char *prefix)
{
  for (guint i = 0; i < json_array_get_length (exchanges); i++)
    {
      JsonObject *exchange = json_array_get_object_element (exchanges, i);

      if (g_str_has_prefix (json_object_get_string_member (exchange, "name"), prefix))
        return exchange;
    }
  g_assert_not_reached ();
}

/* The expected outcome for each capture, from token-module/README.md:
 * kind nick ("ok" for success), step, status of the final answer. */
static void
test_captured_token_module (Fixture       *f,
                            gconstpointer  data)
{
  struct {
    const char *capture;
    const char *kind;
    const char *step;
    gint64 id;            /* calls: the id the capture returned */
  } cases[] = {
    { "t01", "ok", "exchange", 0 },
    { "t02", "ok", "exchange", 0 },
    { "t03", "validation", "exchange", 0 },
    { "t04", "validation", "exchange", 0 },
    { "t05", "access-denied", "exchange", 0 },
    { "t06", "access-denied", "exchange", 0 },
    { "t07", "unknown-database", "exchange", 0 },
    { "t08", "access-denied", "exchange", 0 },
    { "t09", "ok", "exchange", 0 },
    { "t10", "http-status", "exchange", 0 },
    { "t20", "ok", "call", 5 },
    { "t21", "ok", "call", 6 },
    { "t22", "token-missing", "call", 0 },
    { "t23", "token-invalid", "call", 0 },
    { "t24", "access-error", "call", 0 },
    { "t25", "validation", "call", 0 },
    { "t26", "validation", "call", 0 },
    { "t27", "token-invalid", "call", 0 },
    { "t28", "token-invalid", "call", 0 },
  };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *exchanges = json_object_get_array_member (load_captures ("token-module", parser),
                                                       "exchanges");
  JsonObject *token_ok = json_object_get_object_member (find_capture (exchanges, "t01"), "response");
  Replay replay = { 0 };

  replay_start (&replay);
  kg_profile_set_url (f->profile, replay.url);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      JsonObject *capture = find_capture (exchanges, cases[i].capture);
      JsonObject *response = json_object_get_object_member (capture, "response");
      const char *message = NULL;
      g_autoptr(GError) error = NULL;
      gboolean call = g_str_equal (cases[i].step, "call");
      guint status = 0;

      g_test_message ("capture %s (%s)", json_object_get_string_member (capture, "name"),
                      cases[i].kind);
      sscanf (json_object_get_string_member (response, "status_line"), "HTTP/1.1 %u", &status);
      replay.answer = response;
      replay.token_answer = call ? token_ok : NULL;
      kg_token_client_forget (f->client);

      if (call)
        {
          gint64 id = do_create (f, KG_DEMO_ALICE_KEY, "Replayed", NULL, NULL, &error);

          if (g_str_equal (cases[i].kind, "ok"))
            {
              g_assert_no_error (error);
              g_assert_cmpint (id, ==, cases[i].id);
              continue;
            }
        }
      else if (do_exchange (f, KG_DEMO_ALICE_KEY, &error))
        {
          g_assert_cmpstr (cases[i].kind, ==, "ok");
          g_assert_cmpstr (kg_token_client_get_token_type (f->client), ==, "Bearer");
          continue;
        }

      g_assert_nonnull (error);
      g_assert_cmpstr (kg_error_kind (error), ==, cases[i].kind);
      g_assert_cmpstr (kg_error_get_step (error), ==, cases[i].step);
      g_assert_cmpuint (kg_error_get_http_status (error), ==, status);
      g_assert_nonnull (kg_error_get_remedy (error));
      /* The server's own words are kept (JSON error bodies). */
      {
        g_autoptr(JsonNode) body = json_from_string (json_object_get_string_member (response, "body"),
                                                     NULL);

        if (body != NULL && JSON_NODE_HOLDS_OBJECT (body))
          {
            message = kg_error_get_server_message (error);
            g_assert_cmpstr (message, ==,
                             json_object_get_string_member (json_node_get_object (body), "message"));
          }
      }
    }

  replay_stop (&replay);
}

/* A new record's id is a positive JSON integer or a string of digits: the
 * REST route's 6.5, "6.9" and "0x2A" were read as projects 6, 6 and 42. */
static void
test_record_id_strict (Fixture       *f,
                       gconstpointer  data)
{
  static const struct {
    const char *value;
    gint64      id;     /* 0: refused */
  } cases[] = {
    { "42", 42 }, { "\"42\"", 42 }, { "[7]", 7 },
    { "6.5", 0 }, { "\"6.9\"", 0 }, { "\"0x2A\"", 0 }, { "-3", 0 }, { "0", 0 },
    { "\" 7\"", 0 }, { "\"99999999999999999999\"", 0 }, { "6.0", 0 }, { "true", 0 },
  };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *exchanges = json_object_get_array_member (load_captures ("token-module", parser),
                                                       "exchanges");
  JsonObject *token_ok = json_object_get_object_member (find_capture (exchanges, "t01"),
                                                        "response");
  Replay replay = { 0 };

  replay_start (&replay);
  kg_profile_set_url (f->profile, replay.url);
  replay.token_answer = token_ok;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) answer = json_object_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *body = g_strdup_printf ("{\"project_id\": %s, \"message\": \"ok\"}",
                                               cases[i].value);
      JsonArray *headers = json_array_new ();
      gint64 id;

      json_array_add_string_element (headers, "Content-Type: application/json");
      json_object_set_string_member (answer, "status_line", "HTTP/1.1 200 OK");
      json_object_set_array_member (answer, "headers", headers);
      json_object_set_string_member (answer, "body", body);
      replay.answer = answer;

      id = do_create (f, KG_DEMO_ALICE_KEY, "Strict id", NULL, NULL, &error);
      g_test_message ("%s → %" G_GINT64_FORMAT " %s", cases[i].value, id,
                      error ? error->message : "");
      g_assert_cmpint (id, ==, cases[i].id);
      if (cases[i].id == 0)
        {
          g_assert_error (error, KG_ERROR, KG_ERROR_SERVER);
          /* What came is shown. */
          g_assert_nonnull (strstr (error->message, cases[i].value[0] == '[' ?
                                                    cases[i].value + 1 : cases[i].value));
        }
      else
        {
          g_assert_no_error (error);
        }
    }
  replay.answer = NULL;
  replay_stop (&replay);
}

static void
test_captured_json2 (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *exchanges = json_object_get_array_member (load_captures ("odoo19", parser), "exchanges");
  Replay replay = { 0 };
  guint checked = 0;

  replay_start (&replay);
  kg_profile_set_url (f->profile, replay.url);
  kg_token_spec_apply_preset (spec (f), KG_TOKEN_PRESET_JSON2);

  for (guint i = 0; i < json_array_get_length (exchanges); i++)
    {
      JsonObject *capture = json_array_get_object_element (exchanges, i);
      const char *name = json_object_get_string_member (capture, "name");
      const char *line = json_object_get_string_member (json_object_get_object_member (capture, "request"), "line");
      JsonObject *response = json_object_get_object_member (capture, "response");
      const char *body = json_object_get_string_member (response, "body");
      g_autoptr(GError) error = NULL;
      g_autoptr(KgExchange) exchange = NULL;
      g_auto(GStrv) parts = g_strsplit (line, " ", 3);
      const char *expected;
      guint status = 0;
      int number = atoi (name);

      if (strstr (line, "/json/2/") == NULL)
        continue;
      sscanf (json_object_get_string_member (response, "status_line"), "HTTP/1.1 %u", &status);

      /* From odoo19/README.md's table. */
      if (status == 200)
        expected = "ok";
      else if (status == 401)
        expected = "access-denied";
      else if (status == 403)
        expected = strstr (body, "odoo.exceptions.AccessDenied") ? "access-denied" : "access-error";
      else if (status == 422 || status == 400)
        expected = "validation";
      else if (status == 404 && number == 34)
        expected = "unknown-database";
      else if (status == 404 || status == 415)
        expected = "http-status";
      else
        expected = "server";

      g_test_message ("capture %s → %s", name, expected);
      replay.answer = response;
      exchange = do_send (f, KG_DEMO_ALICE_KEY, parts[1], "{}", &error);
      if (g_str_equal (expected, "ok"))
        {
          g_assert_no_error (error);
          g_assert_cmpuint (kg_exchange_get_status (exchange), ==, 200);
        }
      else
        {
          g_assert_null (exchange);
          g_assert_cmpstr (kg_error_kind (error), ==, expected);
          g_assert_cmpstr (kg_error_get_step (error), ==, "call");
          g_assert_cmpuint (kg_error_get_http_status (error), ==, status);
        }
      checked++;
    }

  /* JSON-2 never exchanges, and never retries a 401. */
  g_assert_cmpuint (count_step (f, "exchange"), ==, 0);
  g_assert_cmpuint (replay.requests, ==, checked);
  g_assert_cmpuint (checked, >=, 40);
  replay_stop (&replay);
}

static void
test_proxy_page (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(JsonObject) response = json_object_new ();
  g_autoptr(JsonArray) headers = json_array_new ();
  g_autoptr(GError) error = NULL;
  Replay replay = { 0 };

  json_array_add_string_element (headers, "Content-Type: text/html");
  json_object_set_string_member (response, "status_line", "HTTP/1.1 502 Bad Gateway");
  json_object_set_array_member (response, "headers", json_array_ref (headers));
  json_object_set_string_member (response, "body",
                                 "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n"
                                 "<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n"
                                 "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n");
  replay_start (&replay);
  replay.answer = response;
  kg_profile_set_url (f->profile, replay.url);

  g_assert_false (do_exchange (f, KG_DEMO_ALICE_KEY, &error));
  assert_error (error, KG_ERROR_NOT_JSON, "exchange", 502);
  g_assert_nonnull (strstr (error->message, "502 Bad Gateway"));
  replay_stop (&replay);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  kg_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/core/token/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("exchange-headers", test_exchange_headers);
  ADD ("exchange-body-and-query", test_exchange_body_and_query);
  ADD ("token-paths", test_token_paths);
  ADD ("presets-create", test_presets_create);
  ADD ("extra-fields", test_extra_fields);
  ADD ("reuse", test_reuse);
  ADD ("reexchange-before-expiry", test_reexchange_before_expiry);
  ADD ("expires-at-in-the-past", test_expires_at_in_the_past);
  ADD ("reexchange-after-401", test_reexchange_after_401);
  ADD ("no-infinite-retry", test_no_infinite_retry);
  ADD ("exchange-errors", test_exchange_errors);
  ADD ("call-errors", test_call_errors);
  ADD ("json2-errors", test_json2_errors);
  ADD ("send-generic", test_send_generic);
  ADD ("preview", test_preview);
  ADD ("redaction", test_redaction);
  ADD ("captured-token-module", test_captured_token_module);
  ADD ("captured-json2", test_captured_json2);
  ADD ("record-id-strict", test_record_id_strict);
  ADD ("proxy-page", test_proxy_page);

  return g_test_run ();
}
