/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "kg-test-utils.h"

static KgProfile *
valid_profile (void)
{
  KgProfile *profile = kg_profile_new ();

  kg_profile_set_name (profile, "Production");
  kg_profile_set_url (profile, "https://odoo.example.com");
  kg_profile_set_database (profile, "prod");
  kg_profile_set_login (profile, "admin@example.com");
  return profile;
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  GHashTable *counts = user_data;
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, pspec->name));

  g_hash_table_insert (counts, (gpointer) g_intern_string (pspec->name), GUINT_TO_POINTER (n + 1));
}

static guint
count (GHashTable *counts,
       const char *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (counts, g_intern_string (name)));
}

static void
test_profile_defaults (void)
{
  g_autoptr(KgProfile) a = kg_profile_new ();
  g_autoptr(KgProfile) b = kg_profile_new ();

  /* Random UUIDs, distinct per profile. */
  g_assert_true (g_uuid_string_is_valid (kg_profile_get_id (a)));
  g_assert_cmpstr (kg_profile_get_id (a), !=, kg_profile_get_id (b));
  g_assert_cmpuint (kg_profile_get_timeout (a), ==, 30);
  g_assert_cmpint (kg_profile_get_protocol (a), ==, KG_PROTOCOL_JSONRPC);
  g_assert_cmpint (kg_profile_get_tls_policy (a), ==, KG_TLS_POLICY_VERIFY);
  g_assert_null (kg_profile_get_key_name (a));
  g_assert_nonnull (kg_profile_get_token_spec (a));
  g_assert_cmpint (kg_token_spec_get_preset (kg_profile_get_token_spec (a)), ==,
                   KG_TOKEN_PRESET_TUTORIAL);
  g_assert_cmpstr (kg_create_spec_get_path (kg_profile_get_create_spec (a)), ==,
                   "/api/project/create");
  /* Each profile has its own spec objects. */
  g_assert_true (kg_profile_get_token_spec (a) != kg_profile_get_token_spec (b));
}

static void
test_profile_url_normalized (void)
{
  g_autoptr(KgProfile) profile = kg_profile_new ();
  g_autofree char *joined = NULL;
  g_autofree char *joined2 = NULL;
  g_autofree char *joined3 = NULL;

  kg_profile_set_url (profile, "  https://odoo.example.com/odoo//  ");
  g_assert_cmpstr (kg_profile_get_url (profile), ==, "https://odoo.example.com/odoo");

  joined = kg_profile_build_url (profile, "/jsonrpc");
  g_assert_cmpstr (joined, ==, "https://odoo.example.com/odoo/jsonrpc");
  joined2 = kg_profile_build_url (profile, "web/session/authenticate");
  g_assert_cmpstr (joined2, ==, "https://odoo.example.com/odoo/web/session/authenticate");
  joined3 = kg_profile_build_url (profile, "//json/2");
  g_assert_cmpstr (joined3, ==, "https://odoo.example.com/odoo/json/2");
}

/* tests/fuzz/corpus/fuzz-profile-json/crash-url-trim-before-slashes: the
 * whitespace was trimmed before the trailing slashes were dropped, so
 * "…/ /" kept a trailing space that the next load removed: the profile
 * changed on a save/reload round trip. */
static void
test_profile_url_round_trip_stable (void)
{
  static const struct {
    const char *url;
    const char *expected;
  } cases[] = {
    { "https://odoo.example.com/ /", "https://odoo.example.com" },
    { "https://odoo.example.com/ / /\t/\n", "https://odoo.example.com" },
    { " \thttps://odoo.example.com/odoo/ // ", "https://odoo.example.com/odoo" },
    { "/ /", "" },
    { " ", "" },
    { "https://odoo.example.com/a b/ ", "https://odoo.example.com/a b" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonObject) object = json_object_new ();
      g_autoptr(KgProfile) loaded = NULL;
      g_autoptr(KgProfile) reloaded = NULL;
      g_autoptr(JsonObject) saved = NULL;
      g_autoptr(KgProfile) profile = kg_profile_new ();

      /* The setter is idempotent. */
      kg_profile_set_url (profile, cases[i].url);
      g_assert_cmpstr (kg_profile_get_url (profile), ==, cases[i].expected);
      kg_profile_set_url (profile, kg_profile_get_url (profile));
      g_assert_cmpstr (kg_profile_get_url (profile), ==, cases[i].expected);

      /* Load, save, load again: the same URL each time. */
      json_object_set_string_member (object, "url", cases[i].url);
      loaded = kg_profile_new_from_json (object, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (kg_profile_get_url (loaded), ==, cases[i].expected);
      saved = kg_profile_to_json (loaded);
      g_assert_cmpstr (json_object_get_string_member (saved, "url"), ==, cases[i].expected);
      reloaded = kg_profile_new_from_json (saved, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (kg_profile_get_url (reloaded), ==, cases[i].expected);
    }

  /* Whitespace inside the host is still refused. */
  g_assert_false (kg_profile_validate_url ("https://odoo example.com/ /", NULL));
  g_assert_false (kg_profile_validate_url ("https://odoo\texample.com", NULL));
  g_assert_true (kg_profile_validate_url ("https://odoo.example.com/ /", NULL));
}

static void
test_profile_subtitle (void)
{
  g_autoptr(KgProfile) profile = valid_profile ();
  g_autofree char *plain = NULL;
  g_autofree char *with_port = NULL;
  g_autofree char *ipv6 = NULL;

  plain = kg_profile_dup_subtitle (profile);
  g_assert_cmpstr (plain, ==, "odoo.example.com/prod");

  kg_profile_set_url (profile, "http://127.0.0.1:8069/");
  with_port = kg_profile_dup_subtitle (profile);
  g_assert_cmpstr (with_port, ==, "127.0.0.1:8069/prod");

  kg_profile_set_url (profile, "http://[::1]:8069");
  ipv6 = kg_profile_dup_subtitle (profile);
  g_assert_cmpstr (ipv6, ==, "[::1]:8069/prod");
}

/* Each invalid field is reported with the field's name in the message. */
static void
test_profile_validation_messages (void)
{
  const struct {
    const char *field;
    const char *value;
    const char *expected_prefix;
  } cases[] = {
    { "name", "", "Name:" },
    { "name", "   ", "Name:" },
    { "url", "", "URL:" },
    { "url", "odoo.example.com", "URL:" },
    { "url", "ftp://odoo.example.com", "URL:" },
    { "url", "https://", "URL:" },
    { "url", "https:///path", "URL:" },
    { "url", "https://odoo.example.com/?db=prod", "URL:" },
    { "url", "https://odoo.example.com/#home", "URL:" },
    { "url", "https://admin:secret@odoo.example.com", "URL:" },
    { "url", "https://odoo example.com", "URL:" },
    { "database", "", "Database:" },
    { "login", " ", "Login:" },
  };
  g_autoptr(KgProfile) ok = valid_profile ();

  g_assert_true (kg_profile_validate (ok, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(KgProfile) profile = valid_profile ();
      g_autoptr(GError) error = NULL;

      g_object_set (profile, cases[i].field, cases[i].value, NULL);
      if (kg_profile_validate (profile, &error))
        g_error ("%s=“%s” was accepted", cases[i].field, cases[i].value);
      g_assert_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT);
      if (!g_str_has_prefix (error->message, cases[i].expected_prefix))
        g_error ("%s=“%s”: message “%s” does not start with “%s”", cases[i].field,
                 cases[i].value, error->message, cases[i].expected_prefix);
      /* A reason follows the field name. */
      g_assert_cmpuint (strlen (error->message), >, strlen (cases[i].expected_prefix) + 10);
    }

  /* The messages differ by reason, not only by field. */
  {
    g_autoptr(GError) scheme = NULL;
    g_autoptr(GError) query = NULL;

    g_assert_false (kg_profile_validate_url ("ftp://odoo.example.com", &scheme));
    g_assert_false (kg_profile_validate_url ("https://odoo.example.com?x=1", &query));
    g_assert_cmpstr (scheme->message, !=, query->message);
    g_assert_nonnull (strstr (scheme->message, "ftp"));
  }

  /* Paths and ports are fine; so is plain http (flagged insecure instead). */
  g_assert_true (kg_profile_validate_url ("https://odoo.example.com:8443/odoo/", NULL));
  g_assert_true (kg_profile_validate_url ("http://odoo.example.com", NULL));
  g_assert_true (kg_profile_validate_url ("HTTPS://ODOO.EXAMPLE.COM", NULL));
  g_assert_true (kg_profile_validate_name ("x", NULL));
  g_assert_false (kg_profile_validate_name (NULL, NULL));

  /* Timeout: 1..600. */
  {
    const guint bad[] = { 0, 601, 100000 };
    const guint good[] = { 1, 30, 600 };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(KgProfile) profile = valid_profile ();
        g_autoptr(GError) error = NULL;

        kg_profile_set_timeout (profile, bad[i]);
        g_assert_false (kg_profile_validate (profile, &error));
        g_assert_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT);
        g_assert_true (g_str_has_prefix (error->message, "Timeout:"));
      }
    for (guint i = 0; i < G_N_ELEMENTS (good); i++)
      {
        g_autoptr(KgProfile) profile = valid_profile ();

        kg_profile_set_timeout (profile, good[i]);
        g_assert_true (kg_profile_validate (profile, NULL));
      }
  }
}

static void
test_profile_insecure (void)
{
  const struct { const char *url; gboolean insecure; } cases[] = {
    { "https://odoo.example.com", FALSE },
    { "http://odoo.example.com", TRUE },
    { "HTTP://odoo.example.com", TRUE },
    { "http://10.0.0.5:8069", TRUE },
    { "http://127.0.0.1:8069", FALSE },
    { "http://127.1.2.3", FALSE },
    { "http://localhost:8069", FALSE },
    { "http://LOCALHOST", FALSE },
    { "http://[::1]:8069", FALSE },
    { "http://[::2]", TRUE },
    { "http://localhost.example.com", TRUE },
    { "http://128.0.0.1", TRUE },
    { "https://10.0.0.5", FALSE },
  };
  g_autoptr(KgProfile) profile = valid_profile ();
  g_autoptr(GHashTable) counts = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(KgProfile) p = kg_profile_new ();
      gboolean prop;

      kg_profile_set_url (p, cases[i].url);
      g_object_get (p, "insecure", &prop, NULL);
      if (kg_profile_is_insecure (p) != cases[i].insecure)
        g_error ("%s: insecure should be %d", cases[i].url, cases[i].insecure);
      g_assert_cmpint (prop, ==, cases[i].insecure);
    }

  /* "insecure" is notified exactly when the URL flips it. */
  g_signal_connect (profile, "notify", G_CALLBACK (count_notify_cb), counts);
  kg_profile_set_url (profile, "https://other.example.com");
  g_assert_cmpuint (count (counts, "insecure"), ==, 0);
  kg_profile_set_url (profile, "http://other.example.com");
  g_assert_cmpuint (count (counts, "insecure"), ==, 1);
  g_assert_true (kg_profile_is_insecure (profile));
  kg_profile_set_url (profile, "http://another.example.com");
  g_assert_cmpuint (count (counts, "insecure"), ==, 1);
  kg_profile_set_url (profile, "http://127.0.0.1:8069");
  g_assert_cmpuint (count (counts, "insecure"), ==, 2);
  g_assert_false (kg_profile_is_insecure (profile));
  g_assert_cmpuint (count (counts, "url"), ==, 4);
}

static void
test_profile_notify_only_on_change (void)
{
  g_autoptr(KgProfile) profile = valid_profile ();
  g_autoptr(GHashTable) counts = g_hash_table_new (NULL, NULL);
  g_autoptr(KgTokenSpec) spec = kg_token_spec_new ();

  g_signal_connect (profile, "notify", G_CALLBACK (count_notify_cb), counts);

  kg_profile_set_name (profile, "Production");
  kg_profile_set_url (profile, "https://odoo.example.com/");   /* normalizes to the same */
  kg_profile_set_database (profile, "prod");
  kg_profile_set_login (profile, "admin@example.com");
  kg_profile_set_timeout (profile, 30);
  kg_profile_set_protocol (profile, KG_PROTOCOL_JSONRPC);
  kg_profile_set_tls_policy (profile, KG_TLS_POLICY_VERIFY);
  kg_profile_set_key_name (profile, NULL);
  kg_profile_set_key_name (profile, "");
  kg_profile_set_token_spec (profile, kg_profile_get_token_spec (profile));
  g_object_set (profile, "name", "Production", "timeout", 30, NULL);
  g_assert_cmpuint (g_hash_table_size (counts), ==, 0);

  kg_profile_set_name (profile, "Staging");
  kg_profile_set_name (profile, "Staging");
  kg_profile_set_database (profile, "staging");
  kg_profile_set_login (profile, "bot");
  kg_profile_set_timeout (profile, 60);
  kg_profile_set_protocol (profile, KG_PROTOCOL_TOKEN);
  kg_profile_set_tls_policy (profile, KG_TLS_POLICY_ACCEPT_INVALID);
  kg_profile_set_key_name (profile, "ci key");
  kg_profile_set_key_name (profile, "ci key");
  kg_profile_set_token_spec (profile, spec);
  g_object_set (profile, "timeout", 60, NULL);

  g_assert_cmpuint (count (counts, "name"), ==, 1);
  g_assert_cmpuint (count (counts, "database"), ==, 1);
  g_assert_cmpuint (count (counts, "login"), ==, 1);
  g_assert_cmpuint (count (counts, "timeout"), ==, 1);
  g_assert_cmpuint (count (counts, "protocol"), ==, 1);
  g_assert_cmpuint (count (counts, "tls-policy"), ==, 1);
  g_assert_cmpuint (count (counts, "key-name"), ==, 1);
  g_assert_cmpuint (count (counts, "token-spec"), ==, 1);
  g_assert_cmpuint (count (counts, "url"), ==, 0);
  g_assert_true (kg_profile_get_token_spec (profile) == spec);
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_dup_object (json_parser_get_root (parser));
}

static char *
to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  return json_to_string (node, FALSE);
}

static void
test_profile_json_round_trip (void)
{
  g_autoptr(KgProfile) profile = valid_profile ();
  g_autoptr(KgProfile) back = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonObject) object2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text2 = NULL;
  JsonObject *extra = json_object_new ();

  kg_profile_set_protocol (profile, KG_PROTOCOL_TOKEN);
  kg_profile_set_timeout (profile, 45);
  kg_profile_set_tls_policy (profile, KG_TLS_POLICY_ACCEPT_INVALID);
  kg_profile_set_key_name (profile, "keygate ci");
  kg_token_spec_set_token_path (kg_profile_get_token_spec (profile), "data.token");
  json_object_set_string_member (extra, "company", "ACME");
  kg_create_spec_set_extra_fields (kg_profile_get_create_spec (profile), extra);
  json_object_unref (extra);

  object = kg_profile_to_json (profile);
  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, kg_profile_get_id (profile));
  g_assert_cmpstr (json_object_get_string_member (object, "protocol"), ==, "token");
  g_assert_cmpstr (json_object_get_string_member (object, "tls_policy"), ==, "accept-invalid");
  g_assert_cmpint (json_object_get_int_member (object, "timeout"), ==, 45);
  g_assert_cmpstr (json_object_get_string_member (object, "key_name"), ==, "keygate ci");
  g_assert_true (json_object_has_member (object, "token"));
  g_assert_true (json_object_has_member (object, "create"));

  back = kg_profile_new_from_json (object, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kg_profile_get_id (back), ==, kg_profile_get_id (profile));
  g_assert_cmpstr (kg_profile_get_name (back), ==, "Production");
  g_assert_cmpstr (kg_profile_get_url (back), ==, "https://odoo.example.com");
  g_assert_cmpstr (kg_profile_get_database (back), ==, "prod");
  g_assert_cmpstr (kg_profile_get_login (back), ==, "admin@example.com");
  g_assert_cmpint (kg_profile_get_protocol (back), ==, KG_PROTOCOL_TOKEN);
  g_assert_cmpuint (kg_profile_get_timeout (back), ==, 45);
  g_assert_cmpint (kg_profile_get_tls_policy (back), ==, KG_TLS_POLICY_ACCEPT_INVALID);
  g_assert_cmpstr (kg_profile_get_key_name (back), ==, "keygate ci");
  g_assert_cmpstr (kg_token_spec_get_token_path (kg_profile_get_token_spec (back)), ==,
                   "data.token");
  g_assert_cmpint (kg_token_spec_get_preset (kg_profile_get_token_spec (back)), ==,
                   KG_TOKEN_PRESET_CUSTOM);
  g_assert_cmpstr (json_object_get_string_member (
                     kg_create_spec_get_extra_fields (kg_profile_get_create_spec (back)),
                     "company"),
                   ==, "ACME");

  object2 = kg_profile_to_json (back);
  text = to_string (object);
  text2 = to_string (object2);
  g_assert_cmpstr (text, ==, text2);
}

static void
test_profile_json_unknown_members (void)
{
  g_autoptr(JsonObject) input = parse_object (
    "{\"id\":\"5f0c6a3e-2f1e-4c1e-9a53-0d1f5b8c9e11\",\"name\":\"Old\","
    "\"url\":\"https://odoo.example.com/\",\"database\":\"db\",\"login\":\"me\","
    "\"color\":\"blue\",\"future\":{\"nested\":[1,2,{\"x\":true}]},"
    "\"token\":{\"preset\":\"tutorial\",\"future_token_option\":7},"
    "\"create\":{\"path\":\"/api/v2/project\",\"hint\":\"kept\"}}");
  g_autoptr(KgProfile) profile = NULL;
  g_autoptr(KgProfile) copy = NULL;
  g_autoptr(JsonObject) output = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *future;
  JsonObject *token;
  JsonObject *create;

  profile = kg_profile_new_from_json (input, &error);
  g_assert_no_error (error);
  /* Defaults for members the file lacks. */
  g_assert_cmpuint (kg_profile_get_timeout (profile), ==, 30);
  g_assert_cmpstr (kg_profile_get_url (profile), ==, "https://odoo.example.com");

  /* Changing the source object afterwards does not change what is kept. */
  json_object_set_string_member (json_object_get_object_member (input, "future"), "late", "no");

  kg_profile_set_name (profile, "Renamed");
  copy = kg_profile_dup (profile);
  output = kg_profile_to_json (copy);
  g_assert_cmpstr (json_object_get_string_member (output, "name"), ==, "Renamed");
  g_assert_cmpstr (json_object_get_string_member (output, "id"), ==,
                   "5f0c6a3e-2f1e-4c1e-9a53-0d1f5b8c9e11");
  g_assert_cmpstr (json_object_get_string_member (output, "color"), ==, "blue");
  future = json_object_get_object_member (output, "future");
  g_assert_nonnull (future);
  g_assert_false (json_object_has_member (future, "late"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (future, "nested")), ==, 3);
  token = json_object_get_object_member (output, "token");
  g_assert_cmpint (json_object_get_int_member (token, "future_token_option"), ==, 7);
  create = json_object_get_object_member (output, "create");
  g_assert_cmpstr (json_object_get_string_member (create, "hint"), ==, "kept");
  g_assert_cmpstr (json_object_get_string_member (create, "path"), ==, "/api/v2/project");
}

static void
test_profile_json_errors (void)
{
  const char *bad[] = {
    "{\"name\": 5}",
    "{\"timeout\": \"thirty\"}",
    "{\"timeout\": -1}",
    "{\"protocol\": \"soap\"}",
    "{\"tls_policy\": \"never\"}",
    "{\"token\": []}",
    "{\"token\": {\"send_as\": \"carrier-pigeon\"}}",
    "{\"create\": {\"extra_fields\": [1]}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonObject) object = parse_object (bad[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(KgProfile) profile = kg_profile_new_from_json (object, &error);

      g_assert_null (profile);
      g_assert_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT);
    }

  /* A profile without an id gets one. */
  {
    g_autoptr(JsonObject) object = parse_object ("{\"name\": \"x\"}");
    g_autoptr(KgProfile) profile = kg_profile_new_from_json (object, NULL);

    g_assert_nonnull (profile);
    g_assert_true (g_uuid_string_is_valid (kg_profile_get_id (profile)));
  }
}

static void
test_profile_protocol_strings (void)
{
  KgProtocol protocol;
  KgTlsPolicy policy;

  g_assert_cmpstr (kg_protocol_to_string (KG_PROTOCOL_JSONRPC), ==, "jsonrpc");
  g_assert_cmpstr (kg_protocol_to_string (KG_PROTOCOL_TOKEN), ==, "token");
  g_assert_true (kg_protocol_from_string ("token", &protocol));
  g_assert_cmpint (protocol, ==, KG_PROTOCOL_TOKEN);
  g_assert_false (kg_protocol_from_string ("rest", &protocol));
  g_assert_false (kg_protocol_from_string (NULL, &protocol));
  g_assert_true (kg_tls_policy_from_string ("accept-invalid", &policy));
  g_assert_cmpint (policy, ==, KG_TLS_POLICY_ACCEPT_INVALID);
  g_assert_cmpstr (kg_tls_policy_to_string (KG_TLS_POLICY_VERIFY), ==, "verify");
}

/* Accepting invalid certificates makes a profile insecure as plain http
 * does: the flag, its notification and the reason all say so. */
static void
test_profile_accept_invalid_is_insecure (void)
{
  g_autoptr(KgProfile) profile = kg_profile_new ();
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *reason = NULL;

  kg_profile_set_url (profile, "https://odoo.example.com");
  g_assert_false (kg_profile_is_insecure (profile));
  g_assert_null (kg_profile_dup_insecure_reason (profile));
  g_signal_connect (profile, "notify", G_CALLBACK (count_notify_cb), counts);
  kg_profile_set_tls_policy (profile, KG_TLS_POLICY_ACCEPT_INVALID);
  g_assert_true (kg_profile_is_insecure (profile));
  g_assert_cmpuint (count (counts, "insecure"), ==, 1);
  reason = kg_profile_dup_insecure_reason (profile);
  g_assert_nonnull (strstr (reason, "invalid TLS certificates"));
  kg_profile_set_tls_policy (profile, KG_TLS_POLICY_VERIFY);
  g_assert_false (kg_profile_is_insecure (profile));
  g_assert_cmpuint (count (counts, "insecure"), ==, 2);
}

/* A right-to-left override in a database name would show "dorp" for
 * "prod" in the window; a control character would drive a terminal. */
static void
test_profile_controls_refused (void)
{
  const char *databases[] = { "pr\xe2\x80\xae" "dorp", "prod\x1b[2J", "prod\xe2\x81\xa6" };

  for (guint i = 0; i < G_N_ELEMENTS (databases); i++)
    {
      g_autoptr(KgProfile) profile = kg_profile_new ();
      g_autoptr(GError) error = NULL;

      kg_profile_set_name (profile, "Shop");
      kg_profile_set_url (profile, "https://odoo.example.com");
      kg_profile_set_database (profile, databases[i]);
      kg_profile_set_login (profile, "admin");
      g_assert_false (kg_profile_validate (profile, &error));
      g_assert_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT);
      g_assert_true (g_str_has_prefix (error->message, "Database:"));
    }
}

int
main (int   argc,
      char *argv[])
{
  kg_test_init (&argc, &argv);

  g_test_add_func ("/core/profile/defaults", test_profile_defaults);
  g_test_add_func ("/core/profile/controls-refused", test_profile_controls_refused);
  g_test_add_func ("/core/profile/accept-invalid-is-insecure",
                   test_profile_accept_invalid_is_insecure);
  g_test_add_func ("/core/profile/url-normalized", test_profile_url_normalized);
  g_test_add_func ("/core/profile/url-round-trip-stable", test_profile_url_round_trip_stable);
  g_test_add_func ("/core/profile/subtitle", test_profile_subtitle);
  g_test_add_func ("/core/profile/validation-messages", test_profile_validation_messages);
  g_test_add_func ("/core/profile/insecure", test_profile_insecure);
  g_test_add_func ("/core/profile/notify-only-on-change", test_profile_notify_only_on_change);
  g_test_add_func ("/core/profile/json-round-trip", test_profile_json_round_trip);
  g_test_add_func ("/core/profile/json-unknown-members", test_profile_json_unknown_members);
  g_test_add_func ("/core/profile/json-errors", test_profile_json_errors);
  g_test_add_func ("/core/profile/protocol-strings", test_profile_protocol_strings);

  return g_test_run ();
}
