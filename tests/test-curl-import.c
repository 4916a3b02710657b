/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "kg-test-utils.h"

#define KEY "8f14e45fceea167a5a36dedd4bea2543a1b2c3d4"
#define TOKEN "tok_3Jd9sKq0Zp"
#define SESSION "9a8b7c6d5e4f3a2b1c0d"
#define BASE "http://127.0.0.1:8069"

static char *
to_text (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  return json_to_string (node, FALSE);
}

/* No secret of the tests in the request or the warnings, and the request
 * is one the workbench's sender accepts. */
static void
check_request (JsonObject *request,
               GPtrArray  *warnings)
{
  g_autofree char *text = to_text (request);
  g_autoptr(GError) error = NULL;

  g_assert_null (strstr (text, KEY));
  g_assert_null (strstr (text, TOKEN));
  g_assert_null (strstr (text, SESSION));
  for (guint i = 0; warnings != NULL && i < warnings->len; i++)
    {
      const char *warning = g_ptr_array_index (warnings, i);

      g_assert_null (strstr (warning, KEY));
      g_assert_null (strstr (warning, TOKEN));
      g_assert_null (strstr (warning, SESSION));
    }

  g_assert_true (json_object_has_member (request, "name"));
  g_assert_cmpstr (json_object_get_string_member (request, "name"), !=, "");
  if (json_object_has_member (request, "call"))
    {
      g_autoptr(KgModelCall) call =
        kg_model_call_new_from_json (json_object_get_object_member (request, "call"), &error);

      g_assert_no_error (error);
      g_assert_nonnull (call);
      g_assert_false (json_object_has_member (request, "http"));
    }
  else
    {
      g_autoptr(KgRoute) route =
        kg_route_new_from_json (json_object_get_object_member (request, "http"), &error);

      g_assert_no_error (error);
      g_assert_nonnull (route);
    }
}

static void
assert_json_equal (JsonObject *object,
                   const char *expected)
{
  g_autoptr(JsonNode) want = kg_json_parse (expected, -1, NULL);
  g_autoptr(JsonNode) got = json_node_init_object (json_node_alloc (), object);

  g_assert_nonnull (want);
  if (!json_node_equal (want, got))
    {
      g_autofree char *text = json_to_string (got, FALSE);

      g_error ("expected %s\n     got %s", expected, text);
    }
}

/* Imports @command, checks it, compares it with @expected (JSON text) and
 * returns the warnings joined with newlines ("" when none). */
static char *
import_ok (const char *command,
           const char *base_url,
           const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(JsonObject) request = kg_curl_import (command, base_url, &warnings, &error);

  g_assert_no_error (error);
  g_assert_nonnull (request);
  g_assert_nonnull (warnings);
  check_request (request, warnings);
  assert_json_equal (request, expected);
  g_ptr_array_add (warnings, NULL);
  return g_strjoinv ("\n", (char **) warnings->pdata);
}

static void
import_fails (const char *command,
              const char *message_part)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(JsonObject) request = kg_curl_import (command, BASE, &warnings, &error);

  g_assert_null (request);
  g_assert_null (warnings);
  g_assert_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT);
  if (message_part != NULL && strstr (error->message, message_part) == NULL)
    g_error ("“%s” does not say “%s”", error->message, message_part);
  g_assert_null (strstr (error->message, KEY));
}

static void
test_methods_and_urls (void)
{
  g_autofree char *w1 = NULL;
  g_autofree char *w2 = NULL;
  g_autofree char *w3 = NULL;
  g_autofree char *w4 = NULL;
  g_autofree char *w5 = NULL;
  g_autofree char *w6 = NULL;

  w1 = import_ok ("curl " BASE "/web/health", BASE,
                  "{\"name\":\"GET /web/health\",\"http\":{\"method\":\"GET\","
                  "\"path\":\"/web/health\"}}");
  g_assert_cmpstr (w1, ==, "");
  /* -X, --request, -XPOST, lower case methods, --url, no "curl" */
  w2 = import_ok ("curl -X delete '" BASE "/api/x/7'", BASE,
                  "{\"name\":\"DELETE /api/x/7\",\"http\":{\"method\":\"DELETE\","
                  "\"path\":\"/api/x/7\"}}");
  w3 = import_ok ("--request PUT --url " BASE "/api/x", BASE,
                  "{\"name\":\"PUT /api/x\",\"http\":{\"method\":\"PUT\",\"path\":\"/api/x\"}}");
  w4 = import_ok ("curl -XPATCH " BASE "/api/x", BASE,
                  "{\"name\":\"PATCH /api/x\",\"http\":{\"method\":\"PATCH\","
                  "\"path\":\"/api/x\"}}");
  /* the query string moves to "query", decoded, in order */
  w5 = import_ok ("curl '" BASE "/api/p?limit=5&name=a%20b&q=x+y'", BASE,
                  "{\"name\":\"GET /api/p\",\"http\":{\"method\":\"GET\",\"path\":\"/api/p\","
                  "\"query\":{\"limit\":\"5\",\"name\":\"a b\",\"q\":\"x y\"}}}");
  /* a connection URL with a path: paths are relative to it */
  w6 = import_ok ("curl https://Odoo.example.com/odoo/api/x", "https://odoo.example.com/odoo/",
                  "{\"name\":\"GET /api/x\",\"http\":{\"method\":\"GET\",\"path\":\"/api/x\"}}");
  g_assert_cmpstr (w6, ==, "");
}

static void
test_other_origin (void)
{
  g_autofree char *warnings = NULL;
  g_autofree char *no_base = NULL;

  /* another origin: absolute, a warning, and never credentials */
  warnings = import_ok ("curl -H 'X-API-Key: $ODOO_API_KEY' 'https://other.example:8443/x?a=1'",
                        BASE,
                        "{\"name\":\"GET https://other.example:8443/x\",\"http\":{"
                        "\"method\":\"GET\",\"path\":\"https://other.example:8443/x\","
                        "\"query\":{\"a\":\"1\"}}}");
  g_assert_nonnull (strstr (warnings, "https://other.example:8443"));
  g_assert_nonnull (strstr (warnings, "no credentials"));

  /* the same port but another path prefix is not under the connection */
  g_free (warnings);
  warnings = import_ok ("curl http://127.0.0.1:8069/elsewhere/x", BASE "/odoo",
                        "{\"name\":\"GET http://127.0.0.1:8069/elsewhere/x\",\"http\":{"
                        "\"method\":\"GET\",\"path\":\"http://127.0.0.1:8069/elsewhere/x\"}}");
  g_assert_nonnull (strstr (warnings, "not to the connection"));

  /* without a connection: absolute, no warning; a URL without scheme is http */
  no_base = import_ok ("curl example.com/api/x", NULL,
                       "{\"name\":\"GET http://example.com/api/x\",\"http\":{\"method\":\"GET\","
                       "\"path\":\"http://example.com/api/x\"}}");
  g_assert_cmpstr (no_base, ==, "");
}

static void
test_bodies (void)
{
  g_autofree char *w1 = NULL;
  g_autofree char *w2 = NULL;
  g_autofree char *w3 = NULL;
  g_autofree char *w4 = NULL;
  g_autofree char *w5 = NULL;
  g_autofree char *w6 = NULL;
  g_autofree char *w7 = NULL;

  /* -d, --data, --data-ascii joined with &: a form (curl's default type) */
  w1 = import_ok ("curl -d a=1 --data 'b=two+words' --data-ascii c=%26 " BASE "/web/f", BASE,
                  "{\"name\":\"POST /web/f\",\"http\":{\"method\":\"POST\",\"path\":\"/web/f\","
                  "\"form\":{\"a\":\"1\",\"b\":\"two words\",\"c\":\"&\"}}}");
  g_assert_cmpstr (w1, ==, "");
  /* JSON content */
  w2 = import_ok ("curl " BASE "/api/x -H 'Content-Type: application/json' "
                  "--data-raw '{\"project_name\":\"qa\",\"n\":[1,2]}'", BASE,
                  "{\"name\":\"POST /api/x\",\"http\":{\"method\":\"POST\",\"path\":\"/api/x\","
                  "\"json\":{\"project_name\":\"qa\",\"n\":[1,2]}}}");
  /* --json: the body and the JSON headers, pieces joined as curl does */
  w3 = import_ok ("curl --json '{\"a\":' --json '1}' " BASE "/api/x", BASE,
                  "{\"name\":\"POST /api/x\",\"http\":{\"method\":\"POST\",\"path\":\"/api/x\","
                  "\"json\":{\"a\":1}}}");
  /* other content: "data", with its Content-Type kept */
  w4 = import_ok ("curl -X PUT --data-binary '<a>x</a>' -H 'content-type: text/xml' "
                  BASE "/api/x", BASE,
                  "{\"name\":\"PUT /api/x\",\"http\":{\"method\":\"PUT\",\"path\":\"/api/x\","
                  "\"data\":\"<a>x</a>\",\"headers\":{\"Content-Type\":\"text/xml\"}}}");
  /* -G: the data goes to the query, after the URL's own */
  w5 = import_ok ("curl -G -d limit=5 --data 'name=a b' '" BASE "/api/p?x=1'", BASE,
                  "{\"name\":\"GET /api/p\",\"http\":{\"method\":\"GET\",\"path\":\"/api/p\","
                  "\"query\":{\"x\":\"1\",\"limit\":\"5\",\"name\":\"a b\"}}}");
  /* JSON declared but not JSON: kept as text, with a warning */
  w6 = import_ok ("curl -H 'Content-Type: application/json' -d '{oops' " BASE "/api/x", BASE,
                  "{\"name\":\"POST /api/x\",\"http\":{\"method\":\"POST\",\"path\":\"/api/x\","
                  "\"data\":\"{oops\",\"headers\":{\"Content-Type\":\"application/json\"}}}");
  g_assert_nonnull (strstr (w6, "not valid JSON"));
  /* a body that is not name=value pairs, curl's default type */
  w7 = import_ok ("curl -d hello " BASE "/api/x", BASE,
                  "{\"name\":\"POST /api/x\",\"http\":{\"method\":\"POST\",\"path\":\"/api/x\","
                  "\"data\":\"hello\",\"headers\":{\"Content-Type\":"
                  "\"application/x-www-form-urlencoded\"}}}");
}

static void
test_ignored_options (void)
{
  g_autofree char *quiet = NULL;
  g_autofree char *k = NULL;
  g_autofree char *o = NULL;

  quiet = import_ok ("curl -sSL -i -v --compressed --fail --silent --show-error --location "
                     "--include --verbose " BASE "/x", BASE,
                     "{\"name\":\"GET /x\",\"http\":{\"method\":\"GET\",\"path\":\"/x\"}}");
  g_assert_cmpstr (quiet, ==, "");
  k = import_ok ("curl -k " BASE "/x", BASE,
                 "{\"name\":\"GET /x\",\"http\":{\"method\":\"GET\",\"path\":\"/x\"}}");
  g_assert_nonnull (strstr (k, "-k"));
  g_free (k);
  k = import_ok ("curl --insecure " BASE "/x", BASE,
                 "{\"name\":\"GET /x\",\"http\":{\"method\":\"GET\",\"path\":\"/x\"}}");
  g_assert_nonnull (strstr (k, "certificates"));
  o = import_ok ("curl -o out.json --output x " BASE "/x", BASE,
                 "{\"name\":\"GET /x\",\"http\":{\"method\":\"GET\",\"path\":\"/x\"}}");
  g_assert_nonnull (strstr (o, "-o"));
}

static void
test_refused_options (void)
{
  import_fails ("curl -F file=@x.txt " BASE "/x", "Multipart");
  import_fails ("curl --form a=b " BASE "/x", "Multipart");
  import_fails ("curl -u admin:" KEY " " BASE "/x",
                "Passwords are not imported; store an API key in the connection instead");
  import_fails ("curl --user admin:" KEY " " BASE "/x", "Passwords are not imported");
  import_fails ("curl -uadmin:" KEY " " BASE "/x", "Passwords are not imported");
  import_fails ("curl --proxy http://p:3128 " BASE "/x", "“--proxy”");
  import_fails ("curl -sZ " BASE "/x", "“-Z”");
  import_fails ("curl --oauth2-bearer=" KEY " " BASE "/x", "“--oauth2-bearer”");
  import_fails ("curl -d @body.json " BASE "/x", "@file");
  import_fails ("curl -X TRACE " BASE "/x", "“TRACE”");
  import_fails ("curl -H 'NoColon' " BASE "/x", "“NoColon”");
  import_fails ("curl " BASE "/x " BASE "/y", "more than one URL");
  import_fails ("curl -H", "“-H”");
  import_fails ("curl --header", "“--header”");
  import_fails ("curl ftp://example.com/x", "not an http or https URL");
}

static void
test_credentials (void)
{
  g_autofree char *w1 = NULL;
  g_autofree char *w2 = NULL;
  g_autofree char *w3 = NULL;
  g_autofree char *w4 = NULL;
  g_autofree char *w5 = NULL;
  g_autofree char *w6 = NULL;

  /* references become the auth; the database header that goes with the
   * key is dropped */
  w1 = import_ok ("curl -H \"X-API-Key: $ODOO_API_KEY\" -H 'X-Odoo-Database: demo' "
                  "-H 'Accept: application/json' " BASE "/api/x", BASE,
                  "{\"name\":\"GET /api/x\",\"http\":{\"method\":\"GET\",\"path\":\"/api/x\","
                  "\"auth\":\"api-key\",\"headers\":{\"Accept\":\"application/json\"}}}");
  g_assert_cmpstr (w1, ==, "");
  w2 = import_ok ("curl -H 'Authorization: Bearer $ODOO_TOKEN' " BASE "/api/x", BASE,
                  "{\"name\":\"GET /api/x\",\"http\":{\"method\":\"GET\",\"path\":\"/api/x\","
                  "\"auth\":\"token\"}}");
  g_assert_cmpstr (w2, ==, "");
  w3 = import_ok ("curl -H \"Authorization: Bearer ${ODOO_TOKEN}\" " BASE "/api/x", BASE,
                  "{\"name\":\"GET /api/x\",\"http\":{\"method\":\"GET\",\"path\":\"/api/x\","
                  "\"auth\":\"token\"}}");
  w4 = import_ok ("curl -H 'Authorization: Bearer '\"$ODOO_API_KEY\" "
                  "-H 'X-Odoo-Database: demo' " BASE "/api/x", BASE,
                  "{\"name\":\"GET /api/x\",\"http\":{\"method\":\"GET\",\"path\":\"/api/x\","
                  "\"auth\":\"api-key\"}}");
  /* without auth the database header is an ordinary header */
  g_free (w4);
  w4 = import_ok ("curl -H 'X-Odoo-Database: demo' " BASE "/api/x", BASE,
                  "{\"name\":\"GET /api/x\",\"http\":{\"method\":\"GET\",\"path\":\"/api/x\","
                  "\"headers\":{\"X-Odoo-Database\":\"demo\"}}}");

  /* literal secrets: dropped with a warning, never stored */
  w5 = import_ok ("curl -H 'Authorization: Bearer " TOKEN "' -H 'X-API-Key: " KEY "' "
                  "-H 'X-Openerp-Session-Id: " SESSION "' -H 'Cookie: session_id=" SESSION "' "
                  "-H 'X-Trace: 1' " BASE "/api/x", BASE,
                  "{\"name\":\"GET /api/x\",\"http\":{\"method\":\"GET\",\"path\":\"/api/x\","
                  "\"headers\":{\"X-Trace\":\"1\"}}}");
  g_assert_nonnull (strstr (w5, "“Authorization” header held a secret"));
  g_assert_nonnull (strstr (w5, "“X-API-Key” header"));
  g_assert_nonnull (strstr (w5, "“X-Openerp-Session-Id” header"));
  g_assert_nonnull (strstr (w5, "“Cookie” header"));

  /* secrets in the query, a form and a JSON body */
  w6 = import_ok ("curl -X POST '" BASE "/api/x?api_key=" KEY "&a=1' "
                  "-d 'password=" SESSION "&login=bob'", BASE,
                  "{\"name\":\"POST /api/x\",\"http\":{\"method\":\"POST\",\"path\":\"/api/x\","
                  "\"query\":{\"a\":\"1\"},\"form\":{\"login\":\"bob\"}}}");
  g_assert_nonnull (strstr (w6, "“api_key” query parameter"));
  g_assert_nonnull (strstr (w6, "“password”"));
  g_free (w6);
  w6 = import_ok ("curl --json '{\"login\":\"bob\",\"password\":\"" SESSION "\"}' "
                  BASE "/web/session/authenticate", BASE,
                  "{\"name\":\"POST /web/session/authenticate\",\"http\":{\"method\":\"POST\","
                  "\"path\":\"/web/session/authenticate\",\"json\":{\"login\":\"bob\","
                  "\"password\":\"<REDACTED>\"}}}");
  g_assert_nonnull (strstr (w6, "secret in the body"));
}

static void
test_odoo_calls (void)
{
  g_autofree char *literal = NULL;
  g_autofree char *reference = NULL;
  g_autofree char *json2 = NULL;
  g_autofree char *other = NULL;

  literal = import_ok ("curl -s " BASE "/jsonrpc -H 'Content-Type: application/json' "
                       "-d '{\"jsonrpc\":\"2.0\",\"method\":\"call\",\"id\":1,\"params\":{"
                       "\"service\":\"object\",\"method\":\"execute_kw\",\"args\":[\"demo\",2,"
                       "\"" KEY "\",\"project.project\",\"create\",[{\"name\":\"x\"}],"
                       "{\"context\":{\"lang\":\"fr_FR\"}}]}}'", BASE,
                       "{\"name\":\"project.project.create\",\"call\":{\"model\":"
                       "\"project.project\",\"method\":\"create\",\"args\":[{\"name\":\"x\"}],"
                       "\"kwargs\":{\"context\":{\"lang\":\"fr_FR\"}}}}");
  g_assert_nonnull (strstr (literal, "API key written in the call was not imported"));

  reference = import_ok ("curl " BASE "/jsonrpc --json '{\"params\":{\"service\":\"object\","
                         "\"method\":\"execute_kw\",\"args\":[\"demo\",2,\"'\"$ODOO_API_KEY\"'\","
                         "\"res.partner\",\"search_count\"]}}'", BASE,
                         "{\"name\":\"res.partner.search_count\",\"call\":{\"model\":"
                         "\"res.partner\",\"method\":\"search_count\"}}");
  g_assert_cmpstr (reference, ==, "");

  json2 = import_ok ("curl -X POST " BASE "/json/2/res.partner/search_read "
                     "-H 'Authorization: Bearer $ODOO_API_KEY' -H 'X-Odoo-Database: demo' "
                     "--json '{\"domain\":[],\"limit\":3}'", BASE,
                     "{\"name\":\"res.partner.search_read\",\"call\":{\"model\":\"res.partner\","
                     "\"method\":\"search_read\",\"args\":[],\"kwargs\":{\"domain\":[],"
                     "\"limit\":3}}}");
  g_assert_cmpstr (json2, ==, "");

  /* a password written into a JSON-RPC body that is no model call */
  g_free (literal);
  literal = import_ok ("curl " BASE "/jsonrpc --json '{\"params\":{\"service\":\"common\","
                       "\"method\":\"login\",\"args\":[\"demo\",\"bob\",\"" KEY "\"]}}'", BASE,
                       "{\"name\":\"POST /jsonrpc\",\"http\":{\"method\":\"POST\","
                       "\"path\":\"/jsonrpc\",\"json\":{\"params\":{\"service\":\"common\","
                       "\"method\":\"login\",\"args\":[\"demo\",\"bob\",\"<REDACTED>\"]}}}}");
  g_assert_nonnull (strstr (literal, "secret in the body"));
  g_free (literal);
  literal = import_ok ("curl " BASE "/jsonrpc --json '{\"params\":{\"service\":\"object\","
                       "\"method\":\"execute_kw\",\"args\":[\"demo\",2,\"" KEY "\",\"x\","
                       "\"y\",\"not args\"]}}'", BASE,
                       "{\"name\":\"POST /jsonrpc\",\"http\":{\"method\":\"POST\","
                       "\"path\":\"/jsonrpc\",\"json\":{\"params\":{\"service\":\"object\","
                       "\"method\":\"execute_kw\",\"args\":[\"demo\",2,\"<REDACTED>\",\"x\","
                       "\"y\",\"not args\"]}}}}");
  g_assert_null (strstr (literal, "written in the call"));

  /* not execute_kw: an ordinary route */
  other = import_ok ("curl --json '{\"params\":{\"service\":\"common\",\"method\":\"version\","
                     "\"args\":[]}}' " BASE "/jsonrpc", BASE,
                     "{\"name\":\"POST /jsonrpc\",\"http\":{\"method\":\"POST\","
                     "\"path\":\"/jsonrpc\",\"json\":{\"params\":{\"service\":\"common\","
                     "\"method\":\"version\",\"args\":[]}}}}");
}

static void
test_line_continuations (void)
{
  g_autofree char *unix_lines = NULL;
  g_autofree char *dos_lines = NULL;

  unix_lines = import_ok ("curl -X POST \\\n  " BASE "/api/x \\\n  -H 'X-A: 1' \\\n"
                          "  -d 'a=1'\n", BASE,
                          "{\"name\":\"POST /api/x\",\"http\":{\"method\":\"POST\","
                          "\"path\":\"/api/x\",\"headers\":{\"X-A\":\"1\"},"
                          "\"form\":{\"a\":\"1\"}}}");
  dos_lines = import_ok ("curl \\\r\n " BASE "/api/x \\\r\n -H 'X-A: 1'\r\n", BASE,
                         "{\"name\":\"GET /api/x\",\"http\":{\"method\":\"GET\","
                         "\"path\":\"/api/x\",\"headers\":{\"X-A\":\"1\"}}}");
}

static void
test_malformed (void)
{
  g_autoptr(GString) garbage = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) request = NULL;
  guint32 seed = 12345;

  import_fails ("", "empty");
  import_fails ("   \n ", "empty");
  import_fails ("curl", "no URL");
  import_fails ("curl -s -X POST", "no URL");
  import_fails ("curl 'http://x/", "could not be read");
  import_fails ("curl \"http://x/", "could not be read");
  import_fails ("curl http://x/\xff", "UTF-8");

  /* 1 MiB of garbage, twice: printable noise, and shell-like words */
  for (guint i = 0; i < 1024 * 1024; i++)
    {
      seed = seed * 1103515245 + 12345;
      g_string_append_c (garbage, (char) (' ' + (seed >> 16) % 95));
    }
  request = kg_curl_import (garbage->str, BASE, NULL, &error);
  g_assert_null (request);
  g_assert_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  g_string_truncate (garbage, 0);
  g_string_append (garbage, "curl ");
  while (garbage->len < 1024 * 1024)
    g_string_append (garbage, "-H 'X: y' -d a=b ");
  g_string_append (garbage, "-Q");
  request = kg_curl_import (garbage->str, BASE, NULL, &error);
  g_assert_null (request);
  g_assert_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "“-Q”"));
}

/* ---- exchanges as the app records them ------------------------------ */

static KgSecrets *
make_secrets (void)
{
  KgSecrets *secrets = kg_secrets_new ();

  kg_secrets_add (secrets, KG_SECRET_API_KEY, KEY);
  kg_secrets_add (secrets, KG_SECRET_TOKEN, TOKEN);
  return secrets;
}

/* Redacted the way kg-http redacts: headers name/value pairs, then body. */
static KgExchange *
make_exchange (const char         *method,
               const char         *url,
               const char         *label,
               const char * const *headers,
               const char         *content_type,
               const char         *raw_body)
{
  g_autoptr(KgSecrets) secrets = make_secrets ();
  g_autofree char *redacted_url = kg_redact_url (secrets, url);
  KgExchange *exchange = kg_exchange_new (method, redacted_url);

  for (guint i = 0; headers != NULL && headers[i] != NULL; i += 2)
    {
      g_autofree char *value = kg_redact_header_value (secrets, headers[i], headers[i + 1]);

      kg_exchange_add_request_header (exchange, headers[i], value);
    }
  if (raw_body != NULL)
    {
      g_autofree char *body = kg_redact_body (secrets, content_type, raw_body);

      kg_exchange_set_request_body (exchange, content_type, body);
    }
  kg_exchange_set_label (exchange, label);
  kg_exchange_set_response (exchange, 200, "OK", "application/json", "{}", 2, NULL);
  return exchange;
}

typedef struct
{
  KgExchange *exchange;
  const char *expected;
  const char *expected_from_history;   /* NULL: the same */
} Case;

static GPtrArray *
recorded_cases (void)
{
  static const char * const json_headers[] = {
    "Content-Type", "application/json", NULL
  };
  static const char * const json2_headers[] = {
    "Authorization", "Bearer " KEY, "X-Odoo-Database", "demo",
    "Content-Type", "application/json", NULL
  };
  static const char * const token_headers[] = {
    "Authorization", "Bearer " TOKEN, "Content-Type", "application/json", NULL
  };
  static const char * const form_headers[] = {
    "Content-Type", "application/x-www-form-urlencoded", "X-Client", "keygate", NULL
  };
  static const char * const get_headers[] = {
    "Accept", "application/json", "X-API-Key", KEY, NULL
  };
  GPtrArray *cases = g_ptr_array_new_with_free_func (g_free);
  Case *c;

  c = g_new0 (Case, 1);
  c->exchange = make_exchange ("POST", BASE "/jsonrpc", "object.execute_kw", json_headers,
                               "application/json",
                               "{\"jsonrpc\":\"2.0\",\"method\":\"call\",\"id\":3,\"params\":{"
                               "\"service\":\"object\",\"method\":\"execute_kw\",\"args\":["
                               "\"demo\",2,\"" KEY "\",\"project.project\",\"create\","
                               "[{\"name\":\"qa 1\"}]]}}");
  c->expected = "{\"name\":\"project.project.create\",\"call\":{\"model\":\"project.project\","
                "\"method\":\"create\",\"args\":[{\"name\":\"qa 1\"}]}}";
  g_ptr_array_add (cases, c);

  c = g_new0 (Case, 1);
  c->exchange = make_exchange ("POST", BASE "/json/2/project.project/create",
                               "json/2 project.project create", json2_headers,
                               "application/json", "{\"vals_list\":[{\"name\":\"qa 2\"}]}");
  c->expected = "{\"name\":\"project.project.create\",\"call\":{\"model\":\"project.project\","
                "\"method\":\"create\",\"args\":[],\"kwargs\":{\"vals_list\":"
                "[{\"name\":\"qa 2\"}]}}}";
  g_ptr_array_add (cases, c);

  c = g_new0 (Case, 1);
  c->exchange = make_exchange ("POST", BASE "/api/project/create", "create project",
                               token_headers, "application/json",
                               "{\"project_name\":\"qa 3\"}");
  c->expected = "{\"name\":\"POST /api/project/create\",\"http\":{\"method\":\"POST\","
                "\"path\":\"/api/project/create\",\"auth\":\"token\","
                "\"json\":{\"project_name\":\"qa 3\"}}}";
  c->expected_from_history = "{\"name\":\"create project\",\"http\":{\"method\":\"POST\","
                             "\"path\":\"/api/project/create\",\"auth\":\"token\","
                             "\"json\":{\"project_name\":\"qa 3\"}}}";
  g_ptr_array_add (cases, c);

  c = g_new0 (Case, 1);
  c->exchange = make_exchange ("POST", BASE "/web/form", "POST /web/form", form_headers,
                               "application/x-www-form-urlencoded",
                               "name=qa+4&note=it%27s%20%22ok%22%20%24HOME");
  c->expected = "{\"name\":\"POST /web/form\",\"http\":{\"method\":\"POST\","
                "\"path\":\"/web/form\",\"headers\":{\"X-Client\":\"keygate\"},"
                "\"form\":{\"name\":\"qa 4\",\"note\":\"it's \\\"ok\\\" $HOME\"}}}";
  g_ptr_array_add (cases, c);

  c = g_new0 (Case, 1);
  c->exchange = make_exchange ("GET", BASE "/api/projects?limit=5&name=qa%20%26%205",
                               "GET /api/projects", get_headers, NULL, NULL);
  c->expected = "{\"name\":\"GET /api/projects\",\"http\":{\"method\":\"GET\","
                "\"path\":\"/api/projects\",\"auth\":\"api-key\","
                "\"headers\":{\"Accept\":\"application/json\"},"
                "\"query\":{\"limit\":\"5\",\"name\":\"qa & 5\"}}}";
  g_ptr_array_add (cases, c);

  return cases;
}

static void
free_cases (GPtrArray *cases)
{
  for (guint i = 0; i < cases->len; i++)
    g_object_unref (((Case *) g_ptr_array_index (cases, i))->exchange);
  g_ptr_array_unref (cases);
}

static void
test_copy_as_curl_round_trip (void)
{
  GPtrArray *cases = recorded_cases ();

  for (guint i = 0; i < cases->len; i++)
    {
      Case *c = g_ptr_array_index (cases, i);
      g_autofree char *curl = kg_exchange_to_curl (c->exchange);
      g_autofree char *warnings = NULL;

      g_test_message ("%s", curl);
      g_assert_null (strstr (curl, KEY));
      warnings = import_ok (curl, BASE, c->expected);
      g_assert_cmpstr (warnings, ==, "");
    }
  free_cases (cases);
}

static void
test_from_exchange (void)
{
  GPtrArray *cases = recorded_cases ();

  for (guint i = 0; i < cases->len; i++)
    {
      Case *c = g_ptr_array_index (cases, i);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) warnings = NULL;
      g_autoptr(JsonObject) request = NULL;
      g_autoptr(JsonObject) history = NULL;
      g_autoptr(KgExchange) reloaded = NULL;

      request = kg_exchange_to_collection_request (c->exchange, BASE, &warnings, &error);
      g_assert_no_error (error);
      check_request (request, warnings);
      assert_json_equal (request, c->expected_from_history ? c->expected_from_history
                                                           : c->expected);
      g_assert_cmpuint (warnings->len, ==, 0);

      /* the same from the entry as the History stores and reads it */
      history = kg_exchange_to_json (c->exchange);
      reloaded = kg_exchange_new_from_json (history, &error);
      g_assert_no_error (error);
      g_clear_pointer (&request, json_object_unref);
      request = kg_exchange_to_collection_request (reloaded, BASE, NULL, &error);
      g_assert_no_error (error);
      assert_json_equal (request, c->expected_from_history ? c->expected_from_history
                                                           : c->expected);
    }
  free_cases (cases);
}

static void
test_from_exchange_secrets (void)
{
  static const char * const headers[] = {
    "Cookie", "session_id=" SESSION, "X-Custom-Secret", "Bearer <REDACTED>", NULL
  };
  g_autoptr(KgExchange) exchange = NULL;
  g_autoptr(KgExchange) odd = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(JsonObject) request = NULL;
  g_autoptr(JsonObject) refused = NULL;

  /* a session cookie the redaction did not know, a masked header, a
   * password in a JSON body, another origin */
  exchange = make_exchange ("POST", "https://other.example/web/session/authenticate",
                            "session login", headers, "application/json",
                            "{\"params\":{\"login\":\"carol\",\"password\":\"" SESSION "\"}}");
  request = kg_exchange_to_collection_request (exchange, BASE, &warnings, &error);
  g_assert_no_error (error);
  check_request (request, warnings);
  assert_json_equal (request,
                     "{\"name\":\"session login\",\"http\":{\"method\":\"POST\","
                     "\"path\":\"https://other.example/web/session/authenticate\","
                     "\"json\":{\"params\":{\"login\":\"carol\",\"password\":\"<REDACTED>\"}}}}");
  g_assert_cmpuint (warnings->len, ==, 4);

  /* a method the workbench cannot send */
  odd = kg_exchange_new ("HEAD", BASE "/x");
  refused = kg_exchange_to_collection_request (odd, BASE, NULL, &error);
  g_assert_null (refused);
  g_assert_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT);
}

int
main (int   argc,
      char *argv[])
{
  kg_test_init (&argc, &argv);

  g_test_add_func ("/core/curl-import/methods-and-urls", test_methods_and_urls);
  g_test_add_func ("/core/curl-import/other-origin", test_other_origin);
  g_test_add_func ("/core/curl-import/bodies", test_bodies);
  g_test_add_func ("/core/curl-import/ignored-options", test_ignored_options);
  g_test_add_func ("/core/curl-import/refused-options", test_refused_options);
  g_test_add_func ("/core/curl-import/credentials", test_credentials);
  g_test_add_func ("/core/curl-import/odoo-calls", test_odoo_calls);
  g_test_add_func ("/core/curl-import/line-continuations", test_line_continuations);
  g_test_add_func ("/core/curl-import/malformed", test_malformed);
  g_test_add_func ("/core/curl-import/copy-as-curl-round-trip", test_copy_as_curl_round_trip);
  g_test_add_func ("/core/curl-import/from-exchange", test_from_exchange);
  g_test_add_func ("/core/curl-import/from-exchange-secrets", test_from_exchange_secrets);

  return g_test_run ();
}
