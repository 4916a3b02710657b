/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "kg-test-utils.h"

/* Waits for @r and keeps the owned result in @r (freed by its g_autoptr). */
#define WAIT(r) ((r) = kg_test_wait_result (&(r)))

static KgCreateResult *
create (KgHttp                *http,
        KgProfile             *profile,
        const char            *key,
        const KgProjectValues *values,
        KgCreateVia            via,
        GError               **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kg_record_create_project_async (http, profile, NULL, key, values, via, NULL,
                                  kg_test_store_result_cb, &result);
  return kg_record_create_project_finish (WAIT (result), error);
}

static JsonObject *
read_back (KgHttp      *http,
           KgProfile   *profile,
           const char  *key,
           gint64       id,
           GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  kg_record_read_project_async (http, profile, key, id, NULL, kg_test_store_result_cb, &result);
  return kg_record_read_project_finish (WAIT (result), error);
}

static void
test_create_and_read_back (void)
{
  g_autoptr(KgHttp) http = kg_http_new ();
  g_autoptr(KgProfile) profile = kg_test_demo_profile ("alice");
  g_autoptr(KgCreateResult) created = NULL;
  g_autoptr(KgCreateResult) second = NULL;
  g_autoptr(JsonObject) project = NULL;
  g_autoptr(GError) error = NULL;
  KgProjectValues values = { 0 };
  KgExchange *exchange;

  values.name = "Keygate test project";
  values.description = "desc";

  /* VIA_PROFILE on a jsonrpc profile takes the JSON-RPC path. */
  created = create (http, profile, KG_DEMO_ALICE_KEY, &values, KG_CREATE_VIA_PROFILE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (created);
  g_assert_cmpint (kg_create_result_get_id (created), >, 0);
  g_assert_cmpstr (kg_create_result_get_message (created), ==, "Project created");

  exchange = kg_create_result_get_exchange (created);
  g_assert_nonnull (exchange);
  g_assert_cmpint (kg_exchange_get_record_id (exchange), ==, kg_create_result_get_id (created));
  g_assert_cmpstr (kg_exchange_get_outcome (exchange), ==, "ok");
  g_assert_null (strstr (kg_exchange_get_request_body (exchange), KG_DEMO_ALICE_KEY));

  project = read_back (http, profile, KG_DEMO_ALICE_KEY, kg_create_result_get_id (created),
                       &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (project, "name"), ==, values.name);
  g_assert_cmpstr (json_object_get_string_member (project, "description"), ==, "<p>desc</p>");
  g_assert_true (json_object_has_member (project, "user_id"));
  g_assert_true (json_object_has_member (project, "create_date"));

  /* A second project gets another id. */
  second = create (http, profile, KG_DEMO_ALICE_KEY, &values, KG_CREATE_VIA_JSONRPC, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kg_create_result_get_id (second), !=, kg_create_result_get_id (created));
}

static void
test_extra_fields (void)
{
  g_autoptr(KgHttp) http = kg_http_new ();
  g_autoptr(KgProfile) profile = kg_test_demo_profile ("alice");
  g_autoptr(KgCreateResult) created = NULL;
  g_autoptr(JsonObject) extra = json_object_new ();
  g_autoptr(GError) error = NULL;
  KgProjectValues values = { 0 };
  const char *body;

  json_object_set_string_member (extra, "privacy_visibility", "followers");
  values.name = "With extra fields";
  values.extra_fields = extra;

  created = create (http, profile, KG_DEMO_ALICE_KEY, &values, KG_CREATE_VIA_JSONRPC, &error);
  g_assert_no_error (error);
  body = kg_exchange_get_request_body (kg_create_result_get_exchange (created));
  g_assert_nonnull (strstr (body, "privacy_visibility"));
  /* No description given: none is sent. */
  g_assert_null (strstr (body, "description"));
}

static void
test_bob_denied (void)
{
  g_autoptr(KgHttp) http = kg_http_new ();
  g_autoptr(KgProfile) profile = kg_test_demo_profile ("bob");
  g_autoptr(KgCreateResult) created = NULL;
  g_autoptr(GError) error = NULL;
  KgProjectValues values = { 0 };
  KgExchange *exchange;

  values.name = "Bob's project";
  created = create (http, profile, KG_DEMO_BOB_KEY, &values, KG_CREATE_VIA_JSONRPC, &error);
  g_assert_null (created);
  g_assert_error (error, KG_ERROR, KG_ERROR_ACCESS_ERROR);
  g_assert_cmpint (kg_error_exit_code (error), ==, KG_EXIT_PERMISSION);
  g_assert_nonnull (strstr (error->message, "Project/Administrator"));

  exchange = kg_error_get_exchange (error);
  g_assert_nonnull (exchange);
  g_assert_cmpstr (kg_exchange_get_outcome (exchange), ==, "access-error");
  g_assert_cmpint (kg_exchange_get_record_id (exchange), ==, 0);
}

static void
test_wrong_key (void)
{
  g_autoptr(KgHttp) http = kg_http_new ();
  g_autoptr(KgProfile) profile = kg_test_demo_profile ("alice");
  g_autoptr(KgCreateResult) created = NULL;
  g_autoptr(GError) error = NULL;
  KgProjectValues values = { 0 };

  values.name = "Never created";
  created = create (http, profile, KG_DEMO_EXPIRED_KEY, &values, KG_CREATE_VIA_JSONRPC, &error);
  g_assert_null (created);
  g_assert_error (error, KG_ERROR, KG_ERROR_ACCESS_DENIED);
}

static void
count_cb (KgHttp     *http,
          KgExchange *exchange,
          guint      *count)
{
  (*count)++;
}

static void
test_empty_name (void)
{
  g_autoptr(KgHttp) http = kg_http_new ();
  g_autoptr(KgProfile) profile = kg_test_demo_profile ("alice");
  g_autoptr(KgCreateResult) created = NULL;
  g_autoptr(GError) error = NULL;
  KgProjectValues values = { 0 };
  guint recorded = 0;

  g_signal_connect (http, "exchange-recorded", G_CALLBACK (count_cb), &recorded);
  values.name = "   ";
  created = create (http, profile, KG_DEMO_ALICE_KEY, &values, KG_CREATE_VIA_JSONRPC, &error);
  g_assert_null (created);
  g_assert_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT);
  g_assert_cmpuint (recorded, ==, 0);
}

static void
test_read_missing (void)
{
  g_autoptr(KgHttp) http = kg_http_new ();
  g_autoptr(KgProfile) profile = kg_test_demo_profile ("alice");
  g_autoptr(JsonObject) project = NULL;
  g_autoptr(GError) error = NULL;

  project = read_back (http, profile, KG_DEMO_ALICE_KEY, 987654, &error);
  g_assert_null (project);
  g_assert_error (error, KG_ERROR, KG_ERROR_MISSING_RECORD);
}

static void
test_token_route (void)
{
  g_autoptr(KgHttp) http = kg_http_new ();
  g_autoptr(KgProfile) profile = kg_test_demo_profile ("alice");
  g_autoptr(KgCreateResult) created = NULL;
  g_autoptr(JsonObject) project = NULL;
  g_autoptr(GError) error = NULL;
  KgProjectValues values = { 0 };

  /* VIA_PROFILE on a token profile goes through the token module's routes
   * (the default spec matches the demo server). */
  kg_profile_set_protocol (profile, KG_PROTOCOL_TOKEN);
  values.name = "Through the token route";
  values.description = "token";
  created = create (http, profile, KG_DEMO_ALICE_KEY, &values, KG_CREATE_VIA_PROFILE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kg_create_result_get_id (created), >, 0);
  g_assert_nonnull (kg_create_result_get_message (created));
  g_assert_nonnull (kg_create_result_get_exchange (created));
  g_assert_null (strstr (kg_exchange_get_url (kg_create_result_get_exchange (created)), "jsonrpc"));

  /* The record exists: read it back over JSON-RPC. */
  project = read_back (http, profile, KG_DEMO_ALICE_KEY, kg_create_result_get_id (created),
                       &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (project, "name"), ==, values.name);
}

static void
test_web_url (void)
{
  g_autoptr(KgProfile) profile = kg_profile_new ();
  g_autofree char *url = NULL;

  kg_profile_set_url (profile, "https://odoo.example.com");
  url = kg_record_build_web_url (profile, "project.project", 42);
  g_assert_cmpstr (url, ==, "https://odoo.example.com/web#id=42&model=project.project&view_type=form");
}

int
main (int   argc,
      char *argv[])
{
  kg_test_init (&argc, &argv);

  g_test_add_func ("/core/record-create/create-and-read-back", test_create_and_read_back);
  g_test_add_func ("/core/record-create/extra-fields", test_extra_fields);
  g_test_add_func ("/core/record-create/bob-denied", test_bob_denied);
  g_test_add_func ("/core/record-create/wrong-key", test_wrong_key);
  g_test_add_func ("/core/record-create/empty-name", test_empty_name);
  g_test_add_func ("/core/record-create/read-missing", test_read_missing);
  g_test_add_func ("/core/record-create/token-route", test_token_route);
  g_test_add_func ("/core/record-create/web-url", test_web_url);

  return g_test_run ();
}
