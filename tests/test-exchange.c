/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "kg-test-utils.h"

#define KEY "8f14e45fceea167a5a36dedd4bea2543a1b2c3d4"
#define TOKEN "tok_3Jd9sKq0Zp"

static KgSecrets *
make_secrets (void)
{
  KgSecrets *secrets = kg_secrets_new ();

  kg_secrets_add (secrets, KG_SECRET_API_KEY, KEY);
  kg_secrets_add (secrets, KG_SECRET_TOKEN, TOKEN);
  return secrets;
}

static char *
to_text (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  return json_to_string (node, FALSE);
}

static JsonNode *
parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_parser_steal_root (parser);
}

/* An exchange built the way kg-http builds one: from raw values, redacted. */
static KgExchange *
make_exchange (KgSecrets  *secrets,
               const char *raw_body)
{
  KgExchange *exchange = kg_exchange_new ("POST", "http://127.0.0.1:8069/jsonrpc?db=o'dd");
  struct {
    const char *name;
    const char *value;
  } headers[] = {
    { "X-API-Key", KEY },
    { "Authorization", "Bearer " TOKEN },
    { "Content-Type", "application/json" },
    { "X-Odd", "it's \"quoted\" $HOME `x` \\ !" },
    { "Content-Length", "123" },
  };
  g_autofree char *body = kg_redact_body (secrets, "application/json", raw_body);

  for (guint i = 0; i < G_N_ELEMENTS (headers); i++)
    {
      g_autofree char *value = kg_redact_header_value (secrets, headers[i].name, headers[i].value);

      kg_exchange_add_request_header (exchange, headers[i].name, value);
    }
  kg_exchange_set_request_body (exchange, "application/json", body);
  return exchange;
}

static void
test_new (void)
{
  g_autoptr(KgExchange) a = kg_exchange_new ("GET", "http://example.com/");
  g_autoptr(KgExchange) b = kg_exchange_new ("GET", "http://example.com/");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  g_assert_true (g_uuid_string_is_valid (kg_exchange_get_id (a)));
  g_assert_cmpstr (kg_exchange_get_id (a), !=, kg_exchange_get_id (b));
  g_assert_cmpint (g_date_time_difference (now, kg_exchange_get_started (a)), <, G_USEC_PER_SEC);
  g_assert_cmpstr (kg_exchange_get_outcome (a), ==, "ok");
  g_assert_cmpuint (kg_exchange_get_status (a), ==, 0);
  g_assert_cmpint (kg_exchange_get_timing (a)->total_us, ==, -1);
}

static void
test_json_round_trip (void)
{
  g_autoptr(KgSecrets) secrets = make_secrets ();
  g_autoptr(KgExchange) exchange = NULL;
  g_autoptr(KgExchange) copy = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonObject) object2 = NULL;
  g_autoptr(JsonNode) raw = NULL;
  g_autoptr(JsonNode) reparsed = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) failure = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text2 = NULL;
  KgTiming timing = { 10, 20, 30, 40, 50, 60, 210 };
  const char *raw_answer = "{\"jsonrpc\":\"2.0\",\"result\":{\"access_token\":\"" TOKEN "\","
                           "\"raw_only\":\"server-said-this\"}}";
  g_autofree char *redacted_answer = kg_redact_body (secrets, "application/json", raw_answer);

  exchange = make_exchange (secrets, "{\"params\":{\"args\":[\"db\",2,\"" KEY "\"]}}");
  kg_exchange_set_profile_id (exchange, "demo");
  kg_exchange_set_label (exchange, "token exchange");
  kg_exchange_set_step (exchange, "exchange");
  raw = parse (raw_answer);
  /* The raw JSON holds something the redacted body does not: it must
   * never be serialised. */
  json_object_set_string_member (json_node_get_object (raw), "only_in_memory", "RAW-MARKER");
  kg_exchange_set_response (exchange, 403, "Forbidden", "application/json", redacted_answer,
                            strlen (raw_answer), raw);
  kg_exchange_add_response_header (exchange, "Content-Type", "application/json");
  kg_exchange_set_timing (exchange, &timing);
  kg_exchange_set_record_id (exchange, 42);

  failure = g_error_new_literal (KG_ERROR, KG_ERROR_ACCESS_DENIED, "Access denied for " KEY);
  kg_error_set_remedy (failure, "Create a new key");
  kg_error_set_step (failure, "exchange");
  kg_error_set_http_status (failure, 403);
  kg_exchange_set_secrets (exchange, secrets);
  kg_exchange_set_error (exchange, failure);
  g_assert_cmpstr (kg_exchange_get_outcome (exchange), ==, "access-denied");

  object = kg_exchange_to_json (exchange);
  text = to_text (object);
  g_assert_null (strstr (text, KEY));
  g_assert_null (strstr (text, TOKEN));
  g_assert_null (strstr (text, "RAW-MARKER"));
  g_assert_nonnull (strstr (text, "Access denied for <API_KEY>"));

  reparsed = parse (text);
  copy = kg_exchange_new_from_json (json_node_get_object (reparsed), &error);
  g_assert_no_error (error);

  g_assert_cmpstr (kg_exchange_get_id (copy), ==, kg_exchange_get_id (exchange));
  g_assert_true (g_date_time_equal (kg_exchange_get_started (copy),
                                    kg_exchange_get_started (exchange)));
  g_assert_cmpstr (kg_exchange_get_method (copy), ==, "POST");
  g_assert_cmpstr (kg_exchange_get_url (copy), ==, kg_exchange_get_url (exchange));
  g_assert_cmpstr (kg_exchange_get_profile_id (copy), ==, "demo");
  g_assert_cmpstr (kg_exchange_get_label (copy), ==, "token exchange");
  g_assert_cmpstr (kg_exchange_get_step (copy), ==, "exchange");
  g_assert_cmpuint (kg_exchange_get_request_headers (copy)->len, ==, 5);
  g_assert_cmpstr (((KgHeader *) g_ptr_array_index (kg_exchange_get_request_headers (copy), 0))->value,
                   ==, "<API_KEY>");
  g_assert_cmpstr (kg_exchange_get_request_body (copy), ==, kg_exchange_get_request_body (exchange));
  g_assert_cmpuint (kg_exchange_get_status (copy), ==, 403);
  g_assert_cmpstr (kg_exchange_get_reason (copy), ==, "Forbidden");
  g_assert_cmpstr (kg_exchange_get_response_body (copy), ==, redacted_answer);
  g_assert_cmpuint (kg_exchange_get_response_size (copy), ==, strlen (raw_answer));
  g_assert_null (kg_exchange_get_response_json (copy));
  g_assert_cmpint (kg_exchange_get_timing (copy)->dns_us, ==, 10);
  g_assert_cmpint (kg_exchange_get_timing (copy)->total_us, ==, 210);
  g_assert_cmpint (kg_exchange_get_record_id (copy), ==, 42);
  g_assert_cmpstr (kg_exchange_get_outcome (copy), ==, "access-denied");
  g_assert_error (kg_exchange_get_error (copy), KG_ERROR, KG_ERROR_ACCESS_DENIED);
  g_assert_cmpstr (kg_error_get_remedy (kg_exchange_get_error (copy)), ==, "Create a new key");
  g_assert_cmpstr (kg_error_get_step (kg_exchange_get_error (copy)), ==, "exchange");
  g_assert_cmpuint (kg_error_get_http_status (kg_exchange_get_error (copy)), ==, 403);

  /* A second round gives the same text. */
  object2 = kg_exchange_to_json (copy);
  text2 = to_text (object2);
  g_assert_cmpstr (text, ==, text2);
}

static void
test_json_malformed (void)
{
  g_autoptr(JsonNode) node = parse ("{\"method\":\"GET\"}");
  g_autoptr(GError) error = NULL;
  KgExchange *exchange;

  exchange = kg_exchange_new_from_json (json_node_get_object (node), &error);
  g_assert_null (exchange);
  g_assert_error (error, KG_ERROR, KG_ERROR_STORE);
}

static void
test_error_cycle (void)
{
  KgExchange *exchange = kg_exchange_new ("GET", "http://example.com/");
  g_autoptr(GError) error = g_error_new_literal (KG_ERROR, KG_ERROR_NETWORK, "refused");

  /* The error carries the exchange, the exchange keeps the error: no cycle. */
  kg_error_set_exchange (error, exchange);
  kg_exchange_set_error (exchange, error);
  g_assert_null (kg_error_get_exchange (kg_exchange_get_error (exchange)));
  g_clear_error (&error);
  g_assert_cmpstr (kg_exchange_get_outcome (exchange), ==, "network");
  g_assert_finalize_object (exchange);
}

/* Runs @command in sh, with curl a function that prints each of its
 * arguments as LENGTH:TEXT, and the secrets in the environment. */
static GStrv
run_curl_command (const char *command)
{
  g_autofree char *script = g_strconcat ("curl () { for a; do printf '%d:%s' \"${#a}\" \"$a\"; done; }\n",
                                         command, NULL);
  const char *argv[] = { "/bin/sh", "-c", script, NULL };
  g_auto(GStrv) envp = g_get_environ ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GStrvBuilder) args = g_strv_builder_new ();
  const char *p;
  int status = 0;

  envp = g_environ_setenv (envp, "ODOO_API_KEY", KEY, TRUE);
  envp = g_environ_setenv (envp, "ODOO_TOKEN", TOKEN, TRUE);
  envp = g_environ_setenv (envp, "LC_ALL", "C", TRUE);

  g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("sh failed on %s: %s", command, err);
  g_assert_cmpstr (err, ==, "");

  for (p = out; *p != '\0';)
    {
      char *colon = NULL;
      guint64 len = g_ascii_strtoull (p, &colon, 10);
      g_autofree char *word = NULL;

      g_assert_nonnull (colon);
      g_assert_cmpint (*colon, ==, ':');
      g_assert_cmpuint (strlen (colon + 1), >=, len);
      word = g_strndup (colon + 1, len);
      g_strv_builder_add (args, word);
      p = colon + 1 + len;
    }

  return g_strv_builder_end (args);
}

static void
test_curl (void)
{
  g_autoptr(KgSecrets) secrets = make_secrets ();
  const char *raw_body = "{\"params\":{\"args\":[\"db\",2,\"" KEY "\"],\"note\":\"it's $HOME\"}}";
  g_autoptr(KgExchange) exchange = make_exchange (secrets, raw_body);
  g_autofree char *curl = kg_exchange_to_curl (exchange);
  g_auto(GStrv) args = NULL;
  const char *expected[] = {
    "-X", "POST", "http://127.0.0.1:8069/jsonrpc?db=o'dd",
    "-H", "X-API-Key: " KEY,
    "-H", "Authorization: Bearer " TOKEN,
    "-H", "Content-Type: application/json",
    "-H", "X-Odd: it's \"quoted\" $HOME `x` \\ !",
    "--data-raw", raw_body,
    NULL
  };

  g_test_message ("%s", curl);
  g_assert_true (g_str_has_prefix (curl, "curl -X POST 'http://127.0.0.1:8069/jsonrpc?db=o'\\''dd' "));
  g_assert_null (strstr (curl, KEY));
  g_assert_null (strstr (curl, TOKEN));
  g_assert_nonnull (strstr (curl, "-H \"X-API-Key: $ODOO_API_KEY\""));
  g_assert_nonnull (strstr (curl, "-H \"Authorization: Bearer $ODOO_TOKEN\""));
  g_assert_null (strstr (curl, "Content-Length"));

  args = run_curl_command (curl);
  g_assert_cmpstrv (args, expected);
}

static void
test_curl_unknown_secret (void)
{
  g_autoptr(KgExchange) exchange = kg_exchange_new ("GET", "https://odoo.example.com/api");
  g_autofree char *value = kg_redact_header_value (NULL, "Authorization", "Bearer unknown");
  g_autofree char *curl = NULL;
  g_auto(GStrv) args = NULL;
  const char *expected[] = {
    "-X", "GET", "https://odoo.example.com/api", "-H", "Authorization: Bearer <REDACTED>", NULL
  };

  kg_exchange_add_request_header (exchange, "Authorization", value);
  curl = kg_exchange_to_curl (exchange);
  g_assert_null (strstr (curl, "unknown"));
  args = run_curl_command (curl);
  g_assert_cmpstrv (args, expected);
}

int
main (int   argc,
      char *argv[])
{
  kg_test_init (&argc, &argv);

  g_test_add_func ("/core/exchange/new", test_new);
  g_test_add_func ("/core/exchange/json-round-trip", test_json_round_trip);
  g_test_add_func ("/core/exchange/json-malformed", test_json_malformed);
  g_test_add_func ("/core/exchange/error-cycle", test_error_cycle);
  g_test_add_func ("/core/exchange/curl", test_curl);
  g_test_add_func ("/core/exchange/curl-unknown-secret", test_curl_unknown_secret);

  return g_test_run ();
}
