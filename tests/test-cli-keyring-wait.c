/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keygate-cli and a Secret Service that never answers.
 *
 * A locked keyring whose unlock prompt nobody answers looks, from the CLI,
 * like a Secret Service that holds every call: a script must not hang on
 * it. The CLI says it is waiting after a second and gives up at the
 * connection's timeout with its own error kind and exit code.
 *
 * The silent service is real D-Bus: a private dbus-daemon, and this
 * process owning org.freedesktop.secrets on it with an object tree whose
 * calls are queued to a main context nobody runs. */

#include "config.h"

#include <string.h>

#include "kg-test-utils.h"

#define TIMEOUT_SECONDS 2

typedef struct
{
  GSubprocess     *bus_daemon;
  char            *address;
  GDBusConnection *connection;
  GMainContext    *silent_context;
  guint            subtree_id;
} SilentService;

static char **
enumerate_nothing (GDBusConnection *connection,
                   const char      *sender,
                   const char      *object_path,
                   gpointer         user_data)
{
  return g_new0 (char *, 1);
}

static GDBusInterfaceInfo **
introspect_nothing (GDBusConnection *connection,
                    const char      *sender,
                    const char      *object_path,
                    const char      *node,
                    gpointer         user_data)
{
  return g_new0 (GDBusInterfaceInfo *, 1);
}

static const GDBusInterfaceVTable *
dispatch_nothing (GDBusConnection *connection,
                  const char      *sender,
                  const char      *object_path,
                  const char      *interface_name,
                  const char      *node,
                  gpointer        *out_user_data,
                  gpointer         user_data)
{
  /* Never reached: the calls wait in a context that is not iterated. */
  g_assert_not_reached ();
  return NULL;
}

static const GDBusSubtreeVTable silent_vtable = {
  enumerate_nothing, introspect_nothing, dispatch_nothing, { 0 }
};

static gboolean
silent_service_start (SilentService *service)
{
  g_autofree char *daemon = g_find_program_in_path ("dbus-daemon");
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  if (daemon == NULL)
    {
      kg_test_skip_unless_ci ("dbus-daemon is not installed");
      return FALSE;
    }

  service->bus_daemon = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, daemon,
                                          "--session", "--nofork", "--print-address=1", NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (service->bus_daemon));
  service->address = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (service->address);

  /* Calls to objects registered here are dispatched in silent_context,
   * which is never iterated: they are received and never answered. */
  service->silent_context = g_main_context_new ();
  g_main_context_push_thread_default (service->silent_context);
  service->connection =
    g_dbus_connection_new_for_address_sync (service->address,
                                            G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                            G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                            NULL, NULL, &error);
  g_assert_no_error (error);
  service->subtree_id =
    g_dbus_connection_register_subtree (service->connection, "/org/freedesktop/secrets",
                                        &silent_vtable,
                                        G_DBUS_SUBTREE_FLAGS_DISPATCH_TO_UNENUMERATED_NODES,
                                        NULL, NULL, &error);
  g_assert_no_error (error);
  g_main_context_pop_thread_default (service->silent_context);

  reply = g_dbus_connection_call_sync (service->connection, "org.freedesktop.DBus",
                                       "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                       "RequestName",
                                       g_variant_new ("(su)", "org.freedesktop.secrets", 0),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                       NULL, &error);
  g_assert_no_error (error);
  return TRUE;
}

static void
silent_service_stop (SilentService *service)
{
  if (service->connection != NULL)
    {
      g_dbus_connection_unregister_subtree (service->connection, service->subtree_id);
      g_dbus_connection_close_sync (service->connection, NULL, NULL);
    }
  g_clear_object (&service->connection);
  if (service->bus_daemon != NULL)
    {
      g_subprocess_force_exit (service->bus_daemon);
      g_subprocess_wait (service->bus_daemon, NULL, NULL);
    }
  g_clear_object (&service->bus_daemon);
  g_clear_pointer (&service->silent_context, g_main_context_unref);
  g_clear_pointer (&service->address, g_free);
}

static void
add_profile (void)
{
  g_auto(KgCliRun) run = { 0 };
  g_autofree char *url = kg_test_closed_url ();
  g_autofree char *timeout = g_strdup_printf ("%d", TIMEOUT_SECONDS);
  const char *args[] = { "profile", "add", "silent", "--url", url, "--db", "db",
                         "--login", "admin", "--timeout", timeout, NULL };

  kg_test_run_cli_argv (&run, NULL, NULL, args);
  g_assert_cmpint (run.status, ==, 0);
}

static void
test_gives_up_at_timeout (void)
{
  SilentService service = { 0 };
  g_auto(KgCliRun) text = { 0 };
  g_auto(KgCliRun) json = { 0 };
  g_autofree char *saved_bus = g_strdup (g_getenv ("DBUS_SESSION_BUS_ADDRESS"));
  g_autofree char *expected = NULL;
  const char *text_args[] = { "key", "verify", "silent", NULL };
  const char *json_args[] = { "key", "verify", "silent", "--json", NULL };
  JsonObject *error;
  gint64 start, elapsed_ms;

  if (g_strcmp0 (g_getenv ("KEYGATE_TEST_SECRET_BACKEND"), "file") == 0)
    {
      g_test_skip ("The file keyring has no Secret Service to wait for");
      return;
    }
  if (!silent_service_start (&service))
    return;
  add_profile ();

  g_setenv ("DBUS_SESSION_BUS_ADDRESS", service.address, TRUE);
  start = g_get_monotonic_time ();
  kg_test_run_cli_argv (&text, NULL, NULL, text_args);
  elapsed_ms = (g_get_monotonic_time () - start) / 1000;
  kg_test_run_cli_argv (&json, NULL, NULL, json_args);
  if (saved_bus != NULL)
    g_setenv ("DBUS_SESSION_BUS_ADDRESS", saved_bus, TRUE);
  else
    g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
  silent_service_stop (&service);

  g_test_message ("keygate-cli gave up after %" G_GINT64_FORMAT " ms (timeout %d s)",
                  elapsed_ms, TIMEOUT_SECONDS);

  /* It waited, said so, and gave up: not D-Bus's 25 s, not forever. A
   * loose bound: this is about hanging, not speed. */
  /* g_timeout_add_seconds may fire up to a second early. */
  g_assert_cmpint (elapsed_ms, >=, (TIMEOUT_SECONDS - 1) * 1000);
  g_assert_cmpint (elapsed_ms, <, 20000);
  g_assert_cmpint (text.status, ==, kg_error_code_exit_code (KG_ERROR_KEYRING_LOCKED));
  g_assert_nonnull (strstr (text.err, "Waiting for the keyring: unlock it in its prompt"));
  expected = g_strdup_printf ("The keyring did not answer within %d seconds", TIMEOUT_SECONDS);
  g_assert_nonnull (strstr (text.err, expected));
  g_assert_nonnull (strstr (text.err, "raise the connection’s timeout"));

  /* --json: one object, the kind a script can test; no progress line. */
  g_assert_cmpint (json.status, ==, kg_error_code_exit_code (KG_ERROR_KEYRING_LOCKED));
  error = json_object_get_object_member (json.json, "error");
  g_assert_cmpstr (json_object_get_string_member (error, "kind"), ==, "keyring-locked");
  g_assert_null (strstr (json.err, "Waiting for the keyring"));
}

int
main (int   argc,
      char *argv[])
{
  kg_test_init (&argc, &argv);

  g_test_add_func ("/cli/keyring-wait/gives-up-at-timeout", test_gives_up_at_timeout);

  return g_test_run ();
}
