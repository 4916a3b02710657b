/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Against a real Odoo 18: set KEYGATE_ODOO_URL, KEYGATE_ODOO_DB and
 * KEYGATE_ODOO_ALICE_KEY (optional: KEYGATE_ODOO_BOB_KEY,
 * KEYGATE_ODOO_EXPIRED_KEY, KEYGATE_ODOO_ALICE_PASSWORD,
 * KEYGATE_ODOO_CAROL_PASSWORD). See ../shared/real-odoo/README.md. */
#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "kg-test-utils.h"

/* Waits for @r and keeps the owned result in @r (freed by its g_autoptr). */
#define WAIT(r) ((r) = kg_test_wait_result (&(r)))

static const char *
env (const char *name)
{
  const char *value = g_getenv (name);

  return value != NULL && value[0] != '\0' ? value : NULL;
}

static gboolean
need (const char *name)
{
  if (env (name) != NULL)
    return TRUE;

  {
    g_autofree char *message = g_strdup_printf ("%s is not set", name);

    g_test_skip (message);
  }
  return FALSE;
}

static KgProfile *
real_profile (const char *login)
{
  KgProfile *profile = kg_profile_new ();

  kg_profile_set_name (profile, login);
  kg_profile_set_url (profile, env ("KEYGATE_ODOO_URL"));
  kg_profile_set_database (profile, env ("KEYGATE_ODOO_DB"));
  kg_profile_set_login (profile, login);
  kg_profile_set_timeout (profile, 30);
  return profile;
}

static gint64
authenticate (const char    *login,
              const char    *secret,
              KgSecretKind   kind,
              GError       **error)
{
  g_autoptr(KgHttp) http = kg_http_new ();
  g_autoptr(KgProfile) profile = real_profile (login);
  g_autoptr(KgOdooRpc) rpc = kg_odoo_rpc_new (http, profile);
  g_autoptr(GAsyncResult) result = NULL;

  kg_odoo_rpc_authenticate_async (rpc, secret, kind, NULL, kg_test_store_result_cb, &result);
  return kg_odoo_rpc_authenticate_finish (rpc, WAIT (result), error);
}

static KgIdentity *
identity_of (const char  *login,
             const char  *key,
             GError     **error)
{
  g_autoptr(KgHttp) http = kg_http_new ();
  g_autoptr(KgProfile) profile = real_profile (login);
  g_autoptr(KgOdooRpc) rpc = kg_odoo_rpc_new (http, profile);
  g_autoptr(GAsyncResult) result = NULL;

  kg_identity_fetch_async (rpc, key, NULL, kg_test_store_result_cb, &result);
  return kg_identity_fetch_finish (WAIT (result), error);
}

static KgCreateResult *
create_project (const char  *login,
                const char  *key,
                const char  *name,
                GError     **error)
{
  g_autoptr(KgHttp) http = kg_http_new ();
  g_autoptr(KgProfile) profile = real_profile (login);
  g_autoptr(GAsyncResult) result = NULL;
  KgProjectValues values = { 0 };

  values.name = name;
  values.description = "Created by the Keygate integration suite";
  kg_record_create_project_async (http, profile, NULL, key, &values, KG_CREATE_VIA_JSONRPC, NULL,
                                  kg_test_store_result_cb, &result);
  return kg_record_create_project_finish (WAIT (result), error);
}

static void
test_version (void)
{
  g_autoptr(KgHttp) http = kg_http_new ();
  g_autoptr(KgProfile) profile = real_profile ("alice");
  g_autoptr(KgOdooRpc) rpc = kg_odoo_rpc_new (http, profile);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) version = NULL;
  g_autoptr(GError) error = NULL;

  kg_odoo_rpc_version_async (rpc, NULL, kg_test_store_result_cb, &result);
  version = kg_odoo_rpc_version_finish (rpc, WAIT (result), &error);
  g_assert_no_error (error);
  g_test_message ("server_version: %s", json_object_get_string_member (version, "server_version"));
  g_assert_cmpint (kg_odoo_version_major (version), >=, 16);
}

static void
test_authenticate_key (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (authenticate ("alice", env ("KEYGATE_ODOO_ALICE_KEY"), KG_SECRET_API_KEY,
                                 &error), >, 0);
  g_assert_no_error (error);
}

static void
test_identity_alice (void)
{
  g_autoptr(KgIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;

  identity = identity_of ("alice", env ("KEYGATE_ODOO_ALICE_KEY"), &error);
  g_assert_no_error (error);
  g_test_message ("alice: uid %" G_GINT64_FORMAT ", name %s, 2FA %d, create %d, %u keys",
                  kg_identity_get_uid (identity), kg_identity_get_name (identity),
                  kg_identity_get_two_factor (identity),
                  kg_identity_get_can_create_projects (identity),
                  kg_identity_get_api_keys (identity)->len);
  g_assert_cmpstr (kg_identity_get_login (identity), ==, "alice");
  g_assert_nonnull (kg_identity_get_name (identity));
  g_assert_cmpint (kg_identity_get_two_factor (identity), ==, KG_TRISTATE_TRUE);
  g_assert_cmpint (kg_identity_get_can_create_projects (identity), ==, KG_TRISTATE_TRUE);
  g_assert_cmpuint (kg_identity_get_api_keys (identity)->len, >, 0);
}

static void
test_create_and_read_back (void)
{
  g_autoptr(KgCreateResult) created = NULL;
  g_autoptr(JsonObject) project = NULL;
  g_autoptr(KgHttp) http = kg_http_new ();
  g_autoptr(KgProfile) profile = real_profile ("alice");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("Keygate integration %" G_GINT64_FORMAT,
                                           g_get_real_time ());

  created = create_project ("alice", env ("KEYGATE_ODOO_ALICE_KEY"), name, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kg_create_result_get_id (created), >, 0);
  g_test_message ("created project.project %" G_GINT64_FORMAT, kg_create_result_get_id (created));

  kg_record_read_project_async (http, profile, env ("KEYGATE_ODOO_ALICE_KEY"),
                                kg_create_result_get_id (created), NULL,
                                kg_test_store_result_cb, &result);
  project = kg_record_read_project_finish (WAIT (result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (project, "name"), ==, name);
  g_assert_cmpstr (json_object_get_string_member (project, "description"), ==,
                   "<p>Created by the Keygate integration suite</p>");
}

static void
test_bob_denied (void)
{
  g_autoptr(KgCreateResult) created = NULL;
  g_autoptr(KgIdentity) identity = NULL;
  g_autoptr(GError) error = NULL;

  if (!need ("KEYGATE_ODOO_BOB_KEY"))
    return;

  created = create_project ("bob", env ("KEYGATE_ODOO_BOB_KEY"), "Bob may not", &error);
  g_assert_null (created);
  g_assert_error (error, KG_ERROR, KG_ERROR_ACCESS_ERROR);
  g_assert_nonnull (strstr (error->message, "Project/Administrator"));
  g_clear_error (&error);

  identity = identity_of ("bob", env ("KEYGATE_ODOO_BOB_KEY"), &error);
  g_assert_no_error (error);
  g_assert_cmpint (kg_identity_get_can_create_projects (identity), ==, KG_TRISTATE_FALSE);
}

static void
test_expired_key (void)
{
  g_autoptr(GError) error = NULL;

  if (!need ("KEYGATE_ODOO_EXPIRED_KEY"))
    return;

  g_assert_cmpint (authenticate ("alice", env ("KEYGATE_ODOO_EXPIRED_KEY"), KG_SECRET_API_KEY,
                                 &error), ==, 0);
  g_assert_error (error, KG_ERROR, KG_ERROR_ACCESS_DENIED);
}

static void
test_alice_password (void)
{
  g_autoptr(GError) error = NULL;

  if (!need ("KEYGATE_ODOO_ALICE_PASSWORD"))
    return;

  /* 2FA on: her password is refused over RPC, exactly like a wrong key. */
  g_assert_cmpint (authenticate ("alice", env ("KEYGATE_ODOO_ALICE_PASSWORD"),
                                 KG_SECRET_PASSWORD, &error), ==, 0);
  g_assert_error (error, KG_ERROR, KG_ERROR_ACCESS_DENIED);
}

static void
test_carol_password (void)
{
  g_autoptr(GError) error = NULL;

  if (!need ("KEYGATE_ODOO_CAROL_PASSWORD"))
    return;

  g_assert_cmpint (authenticate ("carol", env ("KEYGATE_ODOO_CAROL_PASSWORD"),
                                 KG_SECRET_PASSWORD, &error), >, 0);
  g_assert_no_error (error);
}

static void
test_unknown_database (void)
{
  g_autoptr(KgHttp) http = kg_http_new ();
  g_autoptr(KgProfile) profile = real_profile ("alice");
  g_autoptr(KgOdooRpc) rpc = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  kg_profile_set_database (profile, "keygate_no_such_db");
  rpc = kg_odoo_rpc_new (http, profile);
  kg_odoo_rpc_authenticate_async (rpc, env ("KEYGATE_ODOO_ALICE_KEY"), KG_SECRET_API_KEY, NULL,
                                  kg_test_store_result_cb, &result);
  g_assert_cmpint (kg_odoo_rpc_authenticate_finish (rpc, WAIT (result), &error),
                   ==, 0);
  g_assert_error (error, KG_ERROR, KG_ERROR_UNKNOWN_DATABASE);
}

static int
run_cli (const char  *input,
         char       **out,
         const char  *first,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  va_list args;

  g_ptr_array_add (argv, g_build_filename (g_getenv ("KEYGATE_BUILD_DIR"), "src", "cli",
                                           "keygate-cli", NULL));
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input ? input : "", NULL, out, &err, &error);
  g_assert_no_error (error);
  g_test_message ("keygate-cli %s → %d: %s%s", first, g_subprocess_get_exit_status (process),
                  *out, err);
  g_assert_null (strstr (*out, env ("KEYGATE_ODOO_ALICE_KEY")));
  g_assert_null (strstr (err, env ("KEYGATE_ODOO_ALICE_KEY")));
  return g_subprocess_get_exit_status (process);
}

static void
test_cli (void)
{
  g_autofree char *out = NULL;
  g_autofree char *line = g_strconcat (env ("KEYGATE_ODOO_ALICE_KEY"), "\n", NULL);
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;

  g_assert_cmpint (run_cli (NULL, &out, "profile", "add", "real-alice", "--url",
                            env ("KEYGATE_ODOO_URL"), "--db", env ("KEYGATE_ODOO_DB"),
                            "--login", "alice", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli (line, &out, "key", "set", "real-alice", NULL), ==, 0);
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run_cli (NULL, &out, "key", "verify", "real-alice", "--json", NULL), ==, 0);
  node = json_from_string (out, NULL);
  object = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (object, "login"), ==, "alice");
  g_assert_true (json_object_get_boolean_member (object, "two_factor"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&node, json_node_unref);

  g_assert_cmpint (run_cli (NULL, &out, "create-project", "real-alice", "--name",
                            "Keygate CLI integration", "--json", NULL), ==, 0);
  node = json_from_string (out, NULL);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "project_id"), >, 0);
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run_cli (NULL, &out, "profile", "remove", "real-alice", NULL), ==, 0);
}

static void
test_no_secret_written (void)
{
  kg_test_assert_dir_lacks (kg_test_get_tmpdir (), env ("KEYGATE_ODOO_ALICE_KEY"));
  if (env ("KEYGATE_ODOO_BOB_KEY") != NULL)
    kg_test_assert_dir_lacks (kg_test_get_tmpdir (), env ("KEYGATE_ODOO_BOB_KEY"));
  if (env ("KEYGATE_ODOO_CAROL_PASSWORD") != NULL)
    kg_test_assert_dir_lacks (kg_test_get_tmpdir (), env ("KEYGATE_ODOO_CAROL_PASSWORD"));
}

static void
test_not_configured (void)
{
  g_test_skip ("No real Odoo configured: set KEYGATE_ODOO_URL, KEYGATE_ODOO_DB and "
               "KEYGATE_ODOO_ALICE_KEY (optionally KEYGATE_ODOO_BOB_KEY, "
               "KEYGATE_ODOO_EXPIRED_KEY, KEYGATE_ODOO_ALICE_PASSWORD, "
               "KEYGATE_ODOO_CAROL_PASSWORD); see ../shared/real-odoo/README.md "
               "(odoo-peer.sh all, then source /tmp/keygate-odoo/keygate-test.env).");
}

int
main (int   argc,
      char *argv[])
{
  kg_test_init (&argc, &argv);

  if (env ("KEYGATE_ODOO_URL") == NULL || env ("KEYGATE_ODOO_DB") == NULL ||
      env ("KEYGATE_ODOO_ALICE_KEY") == NULL)
    {
      g_test_add_func ("/integration/not-configured", test_not_configured);
      return g_test_run ();
    }

  g_test_add_func ("/integration/version", test_version);
  g_test_add_func ("/integration/authenticate-key", test_authenticate_key);
  g_test_add_func ("/integration/identity-alice", test_identity_alice);
  g_test_add_func ("/integration/create-and-read-back", test_create_and_read_back);
  g_test_add_func ("/integration/bob-denied", test_bob_denied);
  g_test_add_func ("/integration/expired-key", test_expired_key);
  g_test_add_func ("/integration/alice-password-2fa", test_alice_password);
  g_test_add_func ("/integration/carol-password", test_carol_password);
  g_test_add_func ("/integration/unknown-database", test_unknown_database);
  g_test_add_func ("/integration/cli", test_cli);
  g_test_add_func ("/integration/no-secret-written", test_no_secret_written);

  return g_test_run ();
}
