/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "kg-test-utils.h"

#define KEY "8f14e45fceea167a5a36dedd4bea2543a1b2c3d4"
#define TOKEN "tok_3Jd9sKq0Zp"
#define PASSWORD "p'a\"ss wo$rd"

static KgSecrets *
make_secrets (void)
{
  KgSecrets *secrets = kg_secrets_new ();

  kg_secrets_add (secrets, KG_SECRET_API_KEY, KEY);
  kg_secrets_add (secrets, KG_SECRET_TOKEN, TOKEN);
  kg_secrets_add (secrets, KG_SECRET_PASSWORD, PASSWORD);
  return secrets;
}

static void
test_placeholders (void)
{
  g_assert_cmpstr (kg_secret_kind_placeholder (KG_SECRET_API_KEY), ==, "<API_KEY>");
  g_assert_cmpstr (kg_secret_kind_placeholder (KG_SECRET_TOKEN), ==, "<TOKEN>");
  g_assert_cmpstr (kg_secret_kind_placeholder (KG_SECRET_PASSWORD), ==, "<PASSWORD>");
  g_assert_cmpstr (kg_secret_kind_placeholder (KG_SECRET_SESSION), ==, "<SESSION_ID>");
  g_assert_cmpstr (kg_secret_kind_env_variable (KG_SECRET_API_KEY), ==, "ODOO_API_KEY");
  g_assert_cmpstr (kg_secret_kind_env_variable (KG_SECRET_TOKEN), ==, "ODOO_TOKEN");
  g_assert_cmpstr (kg_secret_kind_env_variable (KG_SECRET_SESSION), ==, "ODOO_SESSION_ID");
}

static void
test_secrets_text (void)
{
  g_autoptr(KgSecrets) secrets = make_secrets ();
  g_autofree char *out = NULL;
  g_autofree char *none = NULL;

  out = kg_secrets_redact (secrets, "key=" KEY " again " KEY "; token " TOKEN ".");
  g_assert_cmpstr (out, ==, "key=<API_KEY> again <API_KEY>; token <TOKEN>.");

  g_assert_null (kg_secrets_redact (secrets, NULL));
  none = kg_secrets_redact (NULL, "plain " KEY);
  g_assert_cmpstr (none, ==, "plain " KEY);
}

static void
test_secrets_longest_first (void)
{
  g_autoptr(KgSecrets) secrets = kg_secrets_new ();
  g_autofree char *out = NULL;

  /* The short secret is a prefix of the long one: the long one must win. */
  kg_secrets_add (secrets, KG_SECRET_TOKEN, "abc");
  kg_secrets_add (secrets, KG_SECRET_API_KEY, "abcdef");
  kg_secrets_add (secrets, KG_SECRET_PASSWORD, "");
  kg_secrets_add (secrets, KG_SECRET_PASSWORD, NULL);

  out = kg_secrets_redact (secrets, "abcdef abc xabcdefx");
  g_assert_cmpstr (out, ==, "<API_KEY> <TOKEN> x<API_KEY>x");
}

static void
test_secrets_escaped_forms (void)
{
  g_autoptr(KgSecrets) secrets = make_secrets ();
  g_autofree char *json = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *escaped = g_uri_escape_string (PASSWORD, NULL, FALSE);
  g_autofree char *query = g_strconcat ("a=1&pw=", escaped, NULL);

  /* The password as it appears inside a JSON string. */
  json = kg_secrets_redact (secrets, "{\"x\": \"p'a\\\"ss wo$rd\"}");
  g_assert_cmpstr (json, ==, "{\"x\": \"<PASSWORD>\"}");

  uri = kg_secrets_redact (secrets, query);
  g_assert_cmpstr (uri, ==, "a=1&pw=<PASSWORD>");
}

static void
test_secret_names (void)
{
  const char *headers[] = { "Authorization", "authorization", "PROXY-AUTHORIZATION", "Cookie",
                            "set-cookie", "X-API-Key", "x-api-key", "API-KEY", "Api-Key",
                            "X-Access-Token", "X-Openerp-Session-Id" };
  const char *fields[] = { "password", "PASSWORD", "api_key", "apikey", "key", "access_token",
                           "refresh_token", "token", "secret", "client_secret" };

  for (guint i = 0; i < G_N_ELEMENTS (headers); i++)
    g_assert_true (kg_redact_is_secret_header (headers[i]));
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    g_assert_true (kg_redact_is_secret_field (fields[i]));

  g_assert_false (kg_redact_is_secret_header ("Content-Type"));
  g_assert_false (kg_redact_is_secret_header ("User-Agent"));
  g_assert_false (kg_redact_is_secret_header (NULL));
  g_assert_false (kg_redact_is_secret_field ("name"));
  g_assert_false (kg_redact_is_secret_field ("totp_enabled"));
  g_assert_false (kg_redact_is_secret_field ("expiration_date"));
}

static void
test_header_values (void)
{
  g_autoptr(KgSecrets) secrets = make_secrets ();
  struct {
    const char *name;
    const char *value;
    const char *expected;
  } cases[] = {
    { "Authorization", "Bearer " TOKEN, "Bearer <TOKEN>" },
    { "authorization", "Bearer someone-elses-token", "Bearer <REDACTED>" },
    { "Authorization", "Basic dXNlcjpwYXNz", "Basic <REDACTED>" },
    { "X-API-Key", KEY, "<API_KEY>" },
    { "X-API-Key", "unknown-key-value", "<REDACTED>" },
    { "Api-Key", "unknownvalue", "<REDACTED>" },
    { "Set-Cookie", "session_id=0123456789abcdef; Expires=Wed, 01 Jan 2031 00:00:00 GMT; Path=/; "
      "HttpOnly",
      "session_id=<SESSION_ID>; Expires=Wed, 01 Jan 2031 00:00:00 GMT; Path=/; HttpOnly" },
    { "Cookie", "frontend_lang=en_US; session_id=0123456789abcdef",
      "frontend_lang=<SESSION_ID>; session_id=<SESSION_ID>" },
    { "Content-Type", "application/json", "application/json" },
    { "X-Custom", "prefix-" KEY, "prefix-<API_KEY>" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = kg_redact_header_value (secrets, cases[i].name, cases[i].value);

      g_assert_cmpstr (out, ==, cases[i].expected);
    }

  /* Without any known secret, secret headers are still redacted. */
  {
    g_autofree char *out = kg_redact_header_value (NULL, "X-Access-Token", "abc");

    g_assert_cmpstr (out, ==, "<REDACTED>");
  }
}

/* tests/fuzz/corpus/fuzz-redact/crash-cookie-name-*: a secret that is a
 * cookie's name was kept verbatim ("SECRET=<SESSION_ID>"). */
static void
test_cookie_names (void)
{
  g_autoptr(KgSecrets) secrets = kg_secrets_new ();
  struct {
    const char *name;
    const char *value;
    const char *expected;
  } cases[] = {
    { "Cookie", "sid0123456789abcdef=1; b=2", "<SESSION_ID>=<SESSION_ID>; b=<SESSION_ID>" },
    { "Set-Cookie", "sid0123456789abcdef=1; Path=/", "<SESSION_ID>=<SESSION_ID>; Path=/" },
    { "Set-Cookie", "x=sid0123456789abcdef", "x=<SESSION_ID>" },
    { "Cookie", "a=1; sid0123456789abcdef", "a=<SESSION_ID>; <SESSION_ID>" },
    /* Part of the name, then the value: the secret spans the '='. */
    { "Cookie", "pre_" KEY "=x; b=2", "pre_<API_KEY>=<SESSION_ID>; b=<SESSION_ID>" },
  };

  kg_secrets_add (secrets, KG_SECRET_SESSION, "sid0123456789abcdef");
  kg_secrets_add (secrets, KG_SECRET_API_KEY, KEY);
  kg_secrets_add (secrets, KG_SECRET_PASSWORD, "; sid=");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = kg_redact_header_value (secrets, cases[i].name, cases[i].value);

      g_test_message ("%s: %s → %s", cases[i].name, cases[i].value, out);
      g_assert_null (strstr (out, "sid0123456789abcdef"));
      g_assert_null (strstr (out, KEY));
      g_assert_cmpstr (out, ==, cases[i].expected);
    }

  /* Joining the pairs with "; " must not rebuild a secret either. */
  {
    g_autofree char *out = kg_redact_header_value (secrets, "Cookie", "a=1;sid=2");

    g_assert_null (strstr (out, "; sid="));
  }
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

static void
test_json_deep (void)
{
  g_autoptr(KgSecrets) secrets = make_secrets ();
  g_autoptr(JsonNode) input = NULL;
  g_autoptr(JsonNode) output = NULL;
  g_autofree char *text = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  /* execute_kw: the key is a positional string; a secret field with an
   * unknown value; a known token deep inside; null stays null. */
  input = parse ("{\"jsonrpc\":\"2.0\",\"method\":\"call\",\"params\":{\"service\":\"object\","
                 "\"method\":\"execute_kw\",\"args\":[\"db\",2,\"" KEY "\",\"res.users\",\"read\","
                 "[[2]],{\"fields\":[\"name\"]}]},"
                 "\"nested\":[{\"deeper\":{\"password\":\"hunter2\",\"note\":\"Bearer "
                 "" TOKEN "\"}}],"
                 "\"access_token\":\"" TOKEN "\",\"token\":null,\"secret\":false,"
                 "\"api_key\":12345}");
  before = json_to_string (input, FALSE);
  output = kg_redact_json (secrets, input);
  text = json_to_string (output, FALSE);

  g_assert_null (strstr (text, KEY));
  g_assert_null (strstr (text, TOKEN));
  g_assert_null (strstr (text, "hunter2"));
  g_assert_null (strstr (text, "12345"));
  g_assert_nonnull (strstr (text, "\"args\":[\"db\",2,\"<API_KEY>\",\"res.users\""));
  g_assert_nonnull (strstr (text, "\"password\":\"<REDACTED>\""));
  g_assert_nonnull (strstr (text, "\"note\":\"Bearer <TOKEN>\""));
  g_assert_nonnull (strstr (text, "\"access_token\":\"<TOKEN>\""));
  g_assert_nonnull (strstr (text, "\"token\":null"));
  g_assert_nonnull (strstr (text, "\"secret\":false"));
  g_assert_nonnull (strstr (text, "\"api_key\":\"<REDACTED>\""));

  /* The input is left alone. */
  after = json_to_string (input, FALSE);
  g_assert_cmpstr (before, ==, after);
}

static void
test_body (void)
{
  g_autoptr(KgSecrets) secrets = make_secrets ();
  g_autofree char *json = NULL;
  g_autofree char *form = NULL;
  g_autofree char *text = NULL;
  g_autofree char *broken = NULL;

  json = kg_redact_body (secrets, "application/json; charset=utf-8",
                         "{\"params\":{\"login\":\"admin\",\"password\":\"" KEY "\"}}");
  g_assert_cmpstr (json, ==, "{\"params\":{\"login\":\"admin\",\"password\":\"<API_KEY>\"}}");

  form = kg_redact_body (secrets, "application/x-www-form-urlencoded",
                         "db=odoo&api_key=" KEY "&password=other&login=me");
  g_assert_cmpstr (form, ==, "db=odoo&api_key=<API_KEY>&password=<REDACTED>&login=me");

  text = kg_redact_body (secrets, "text/html", "<p>Your token is " TOKEN "</p>");
  g_assert_cmpstr (text, ==, "<p>Your token is <TOKEN></p>");

  /* Not JSON although it says so: still redacted as text. */
  broken = kg_redact_body (secrets, "application/json", "{\"key\": \"" KEY "\"");
  g_assert_cmpstr (broken, ==, "{\"key\": \"<API_KEY>\"");

  g_assert_null (kg_redact_body (secrets, "text/plain", NULL));
}

/* tests/fuzz/corpus/fuzz-redact/crash-form-ampersand: a form body was
 * redacted pair by pair after splitting on '&', so a secret with a raw '&'
 * (or '=') in it went through whole. */
static void
test_form_raw_separators (void)
{
  g_autoptr(KgSecrets) secrets = kg_secrets_new ();
  struct {
    const char *body;
    const char *expected;
  } cases[] = {
    { "x=ab&cdefgh", "x=<PASSWORD>" },
    { "password=ab&cdefgh&login=me", "password=<PASSWORD>&login=me" },
    { "ab&cdefgh", "<PASSWORD>" },
    { "a=1&b=ab&cdefgh&c=3", "a=1&b=<PASSWORD>&c=3" },
    { "note=tok=en=123&x=1", "note=<TOKEN>&x=1" },
    { "tok=en=123", "<TOKEN>" },
    /* Encoded as a form should be: redacted as before. */
    { "x=ab%26cdefgh", "x=<PASSWORD>" },
  };

  kg_secrets_add (secrets, KG_SECRET_PASSWORD, "ab&cdefgh");
  kg_secrets_add (secrets, KG_SECRET_TOKEN, "tok=en=123");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = kg_redact_body (secrets, "application/x-www-form-urlencoded",
                                             cases[i].body);

      g_test_message ("%s → %s", cases[i].body, out);
      g_assert_null (strstr (out, "ab&cdefgh"));
      g_assert_null (strstr (out, "tok=en=123"));
      g_assert_cmpstr (out, ==, cases[i].expected);
    }
}

static void
test_mask (void)
{
  g_autofree char *long_mask = kg_redact_mask (KEY);
  g_autofree char *short_mask = kg_redact_mask ("short");

  g_assert_cmpstr (long_mask, ==, "8f14…c3d4");
  g_assert_null (strstr (short_mask, "s"));
  g_assert_cmpuint (g_utf8_strlen (short_mask, -1), ==, 5);
  g_assert_null (kg_redact_mask (NULL));
}

/* URLs: secret query values and the user info's password (moved here from
 * kg-http, which redacts every URL it records through kg_redact_url). */
static void
test_url (void)
{
  g_autoptr(KgSecrets) secrets = make_secrets ();
  const struct {
    const char *url;
    const char *expected;
  } cases[] = {
    { "https://odoo.example.com/json?db=demo&api_key=" KEY,
      "https://odoo.example.com/json?db=demo&api_key=<API_KEY>" },
    /* A secret parameter with a value nobody told us about. */
    { "https://h/x?token=unknown&page=2", "https://h/x?token=<REDACTED>&page=2" },
    /* An escaped parameter name is still a secret name. */
    { "https://h/x?api%5Fkey=zzz", "https://h/x?api%5Fkey=<REDACTED>" },
    /* A known secret anywhere: in the path, under another name. */
    { "https://h/keys/" KEY "?q=" TOKEN, "https://h/keys/<API_KEY>?q=<TOKEN>" },
    /* The password of the user info goes, the user stays. */
    { "https://admin:hunter2@h:8069/web", "https://admin:<REDACTED>@h:8069/web" },
    { "https://admin@h/web", "https://admin@h/web" },
    /* A "?" inside the fragment is no query; the fragment is kept. */
    { "https://h/web#action=1?token=x", "https://h/web#action=1?token=x" },
    { "https://h/web?password=x#top", "https://h/web?password=<REDACTED>#top" },
    { "https://h/web?flag&x=1", "https://h/web?flag&x=1" },
    { "not a url", "not a url" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = kg_redact_url (secrets, cases[i].url);

      g_assert_cmpstr (out, ==, cases[i].expected);
    }

  g_assert_null (kg_redact_url (secrets, NULL));

  /* Without known secrets the rules on names still hold. */
  {
    g_autofree char *out = kg_redact_url (NULL, "https://u:p@h/?access_token=abc");

    g_assert_cmpstr (out, ==, "https://u:<REDACTED>@h/?access_token=<REDACTED>");
  }
}

int
main (int   argc,
      char *argv[])
{
  kg_test_init (&argc, &argv);

  g_test_add_func ("/core/redact/placeholders", test_placeholders);
  g_test_add_func ("/core/redact/secrets-text", test_secrets_text);
  g_test_add_func ("/core/redact/secrets-longest-first", test_secrets_longest_first);
  g_test_add_func ("/core/redact/secrets-escaped-forms", test_secrets_escaped_forms);
  g_test_add_func ("/core/redact/secret-names", test_secret_names);
  g_test_add_func ("/core/redact/header-values", test_header_values);
  g_test_add_func ("/core/redact/cookie-names", test_cookie_names);
  g_test_add_func ("/core/redact/json-deep", test_json_deep);
  g_test_add_func ("/core/redact/body", test_body);
  g_test_add_func ("/core/redact/form-raw-separators", test_form_raw_separators);
  g_test_add_func ("/core/redact/mask", test_mask);
  g_test_add_func ("/core/redact/url", test_url);

  return g_test_run ();
}
