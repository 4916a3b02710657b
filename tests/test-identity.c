/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "kg-test-utils.h"

/* Waits for @r and keeps the owned result in @r (freed by its g_autoptr). */
#define WAIT(r) ((r) = kg_test_wait_result (&(r)))

static KgIdentity *
fetch (KgProfile   *profile,
       const char  *key,
       GError     **error)
{
  g_autoptr(KgHttp) http = kg_http_new ();
  g_autoptr(KgOdooRpc) rpc = kg_odoo_rpc_new (http, profile);
  g_autoptr(GAsyncResult) result = NULL;

  kg_identity_fetch_async (rpc, key, NULL, kg_test_store_result_cb, &result);
  return kg_identity_fetch_finish (WAIT (result), error);
}

static KgApiKeyInfo *
find_key (KgIdentity *identity,
          const char *name)
{
  GPtrArray *keys = kg_identity_get_api_keys (identity);

  for (guint i = 0; i < keys->len; i++)
    {
      KgApiKeyInfo *info = g_ptr_array_index (keys, i);

      if (g_strcmp0 (info->name, name) == 0)
        return info;
    }
  return NULL;
}

static GDateTime *
soonest_expiry (KgIdentity *identity)
{
  GPtrArray *keys = kg_identity_get_api_keys (identity);
  GDateTime *soonest = NULL;

  for (guint i = 0; i < keys->len; i++)
    {
      KgApiKeyInfo *info = g_ptr_array_index (keys, i);

      if (info->expiration_date != NULL &&
          (soonest == NULL || g_date_time_compare (info->expiration_date, soonest) < 0))
        soonest = info->expiration_date;
    }
  return soonest;
}

static void
test_alice (void)
{
  g_autoptr(KgProfile) profile = kg_test_demo_profile ("alice");
  g_autoptr(KgIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(JsonObject) json = NULL;
  GPtrArray *keys;

  identity = fetch (profile, KG_DEMO_ALICE_KEY, &error);
  g_assert_no_error (error);
  g_assert_nonnull (identity);

  g_assert_cmpint (kg_identity_get_uid (identity), ==, KG_DEMO_ALICE_UID);
  g_assert_cmpstr (kg_identity_get_login (identity), ==, "alice");
  g_assert_nonnull (kg_identity_get_name (identity));
  g_assert_true (g_str_has_prefix (kg_identity_get_name (identity), "Alice"));
  g_assert_cmpint (kg_identity_get_two_factor (identity), ==, KG_TRISTATE_TRUE);
  g_assert_cmpint (kg_identity_get_can_create_projects (identity), ==, KG_TRISTATE_TRUE);
  g_assert_true (g_str_has_prefix (kg_identity_get_server_version (identity), "18.0"));

  /* Her own keys, each with a parsed expiry in the future (the expired one
   * is not listed, as in Odoo). */
  keys = kg_identity_get_api_keys (identity);
  g_assert_cmpuint (keys->len, >=, 2);
  for (guint i = 0; i < keys->len; i++)
    {
      KgApiKeyInfo *info = g_ptr_array_index (keys, i);

      g_assert_nonnull (info->name);
      g_assert_nonnull (info->create_date);
      g_assert_true (g_date_time_compare (info->create_date, now) < 0);
      if (info->expiration_date != NULL)
        g_assert_true (g_date_time_compare (info->expiration_date, now) > 0);
    }

  /* No key name in the profile and several keys: which one is hers cannot
   * be told, and no other key's expiry stands in for it. */
  g_assert_cmpint (kg_identity_get_key_match (identity), ==, KG_KEY_MATCH_AMBIGUOUS);
  g_assert_null (kg_identity_get_key_expiry (identity));
  g_assert_false (kg_identity_get_key_expiry_matched (identity));
  g_assert_cmpint (kg_identity_get_key_expiry_state (identity, NULL), ==, KG_KEY_EXPIRY_FINE);

  json = kg_identity_to_json (identity);
  g_assert_cmpint (json_object_get_int_member (json, "uid"), ==, KG_DEMO_ALICE_UID);
  g_assert_cmpstr (json_object_get_string_member (json, "login"), ==, "alice");
  g_assert_true (json_object_get_boolean_member (json, "two_factor"));
  g_assert_true (json_object_get_boolean_member (json, "can_create_projects"));
  g_assert_true (json_object_get_null_member (json, "key_expiry"));
  g_assert_cmpstr (json_object_get_string_member (json, "key_match"), ==, "ambiguous");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json, "api_keys")), ==,
                    keys->len);
}

static void
test_alice_key_name (void)
{
  g_autoptr(KgProfile) profile = kg_test_demo_profile ("alice");
  g_autoptr(KgIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;
  KgApiKeyInfo *named;
  GPtrArray *keys;
  const char *later_name = NULL;
  GDateTime *soonest;

  /* Find a key that is not the soonest to expire, then name it. */
  identity = fetch (profile, KG_DEMO_ALICE_KEY, &error);
  g_assert_no_error (error);
  soonest = soonest_expiry (identity);
  keys = kg_identity_get_api_keys (identity);
  for (guint i = 0; i < keys->len; i++)
    {
      KgApiKeyInfo *info = g_ptr_array_index (keys, i);

      if (info->expiration_date != NULL && !g_date_time_equal (info->expiration_date, soonest))
        later_name = info->name;
    }
  g_assert_nonnull (later_name);
  kg_profile_set_key_name (profile, later_name);
  g_clear_object (&identity);

  identity = fetch (profile, KG_DEMO_ALICE_KEY, &error);
  g_assert_no_error (error);
  named = find_key (identity, kg_profile_get_key_name (profile));
  g_assert_nonnull (named);
  g_assert_cmpint (kg_identity_get_key_match (identity), ==, KG_KEY_MATCH_NAMED);
  g_assert_true (kg_identity_get_key_expiry_matched (identity));
  g_assert_true (g_date_time_equal (kg_identity_get_key_expiry (identity),
                                    named->expiration_date));
  g_assert_false (g_date_time_equal (kg_identity_get_key_expiry (identity),
                                     soonest_expiry (identity)));

  /* A name Odoo does not know says so, with no expiry. */
  kg_profile_set_key_name (profile, "no key has this name");
  g_clear_object (&identity);
  identity = fetch (profile, KG_DEMO_ALICE_KEY, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kg_identity_get_key_match (identity), ==, KG_KEY_MATCH_NO_SUCH_NAME);
  g_assert_cmpstr (kg_identity_get_key_name (identity), ==, "no key has this name");
  g_assert_false (kg_identity_get_key_expiry_matched (identity));
  g_assert_null (kg_identity_get_key_expiry (identity));
}

/* The CI key expires in 10 days: a warning; "Keygate demo" (60 days) is
 * fine today and expired 70 days from now. */
static void
test_expiry_state (void)
{
  g_autoptr(KgProfile) profile = kg_test_demo_profile ("alice");
  g_autoptr(KgIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_days (now, 70);
  g_autoptr(JsonObject) json = NULL;

  kg_profile_set_key_name (profile, "CI key");
  identity = fetch (profile, KG_DEMO_ALICE_CI_KEY, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kg_identity_get_key_match (identity), ==, KG_KEY_MATCH_NAMED);
  g_assert_cmpint (kg_identity_get_key_expiry_state (identity, NULL), ==, KG_KEY_EXPIRY_SOON);
  g_assert_cmpuint (kg_identity_get_key_days_left (identity, NULL), ==, 10);
  json = kg_identity_to_json (identity);
  g_assert_cmpstr (json_object_get_string_member (json, "key_expiry_state"), ==, "soon");

  kg_profile_set_key_name (profile, "Keygate demo");
  g_clear_object (&identity);
  identity = fetch (profile, KG_DEMO_ALICE_KEY, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kg_identity_get_key_expiry_state (identity, now), ==, KG_KEY_EXPIRY_FINE);
  g_assert_cmpint (kg_identity_get_key_expiry_state (identity, later), ==,
                   KG_KEY_EXPIRY_EXPIRED);
  g_assert_cmpuint (kg_identity_get_key_days_left (identity, later), ==, 0);
}

static void
test_bob (void)
{
  g_autoptr(KgProfile) profile = kg_test_demo_profile ("bob");
  g_autoptr(KgIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;

  identity = fetch (profile, KG_DEMO_BOB_KEY, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kg_identity_get_uid (identity), ==, KG_DEMO_BOB_UID);
  g_assert_cmpint (kg_identity_get_can_create_projects (identity), ==, KG_TRISTATE_FALSE);
  g_assert_cmpint (kg_identity_get_two_factor (identity), ==, KG_TRISTATE_FALSE);
  /* Bob lists only his own keys. */
  g_assert_nonnull (find_key (identity, "Bob demo key"));
  g_assert_null (find_key (identity, "Keygate demo"));
  /* His only key is the stored one: its own expiry, in 30 days. */
  g_assert_cmpint (kg_identity_get_key_match (identity), ==, KG_KEY_MATCH_ONLY_KEY);
  g_assert_true (g_date_time_equal (kg_identity_get_key_expiry (identity),
                                    find_key (identity, "Bob demo key")->expiration_date));
  g_assert_cmpint (kg_identity_get_key_expiry_state (identity, NULL), ==, KG_KEY_EXPIRY_FINE);
}

static void
test_carol (void)
{
  g_autoptr(KgProfile) profile = kg_test_demo_profile ("carol");
  g_autoptr(KgIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) json = NULL;

  identity = fetch (profile, KG_DEMO_CAROL_KEY, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kg_identity_get_uid (identity), ==, KG_DEMO_CAROL_UID);
  g_assert_cmpint (kg_identity_get_two_factor (identity), ==, KG_TRISTATE_FALSE);
  /* A project user, not an administrator: may not create projects. */
  g_assert_cmpint (kg_identity_get_can_create_projects (identity), ==, KG_TRISTATE_FALSE);

  json = kg_identity_to_json (identity);
  g_assert_false (json_object_get_boolean_member (json, "two_factor"));
}

static void
test_wrong_key_fails (void)
{
  g_autoptr(KgProfile) profile = kg_test_demo_profile ("alice");
  g_autoptr(KgIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;

  identity = fetch (profile, KG_DEMO_EXPIRED_KEY, &error);
  g_assert_null (identity);
  g_assert_error (error, KG_ERROR, KG_ERROR_ACCESS_DENIED);
}

static void
test_odoo19 (void)
{
  KgDemoServer *server = kg_test_get_demo_server ();
  g_autoptr(KgProfile) profile = kg_test_demo_profile ("alice");
  g_autoptr(KgIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;

  kg_demo_server_set_odoo19 (server, TRUE);
  identity = fetch (profile, KG_DEMO_ALICE_KEY, &error);
  kg_demo_server_set_odoo19 (server, FALSE);

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (kg_identity_get_server_version (identity), "19"));
  g_assert_cmpint (kg_identity_get_two_factor (identity), ==, KG_TRISTATE_TRUE);
  g_assert_cmpint (kg_identity_get_can_create_projects (identity), ==, KG_TRISTATE_TRUE);
}

static void
test_no_secret_written (void)
{
  kg_test_assert_dir_lacks (kg_test_get_tmpdir (), KG_DEMO_ALICE_KEY);
  g_assert_null (strstr (kg_test_get_logged_text (), KG_DEMO_ALICE_KEY));
  g_assert_null (strstr (kg_test_get_logged_text (), KG_DEMO_BOB_KEY));
}

int
main (int   argc,
      char *argv[])
{
  kg_test_init (&argc, &argv);
  kg_test_capture_logs ();

  g_test_add_func ("/core/identity/alice", test_alice);
  g_test_add_func ("/core/identity/alice-key-name", test_alice_key_name);
  g_test_add_func ("/core/identity/expiry-state", test_expiry_state);
  g_test_add_func ("/core/identity/bob", test_bob);
  g_test_add_func ("/core/identity/carol", test_carol);
  g_test_add_func ("/core/identity/wrong-key", test_wrong_key_fails);
  g_test_add_func ("/core/identity/odoo19", test_odoo19);
  g_test_add_func ("/core/identity/no-secret-written", test_no_secret_written);

  return g_test_run ();
}
