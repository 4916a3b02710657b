/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Runs the built `keygate` twice on the test session bus: the second launch
 * must hand over to the first (which keeps exactly one window) and exit. */
#include "config.h"

#include <gio/gio.h>

#include "kg-test-utils.h"
#include "kg-ui-test-utils.h"

static char *object_path;

/* The window nodes GtkApplication exports under OBJECT_PATH/window. */
static guint
count_exported_windows (GDBusConnection *bus)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GDBusNodeInfo) node = NULL;
  g_autofree char *path = g_strconcat (object_path, "/window", NULL);
  const char *xml;
  guint n = 0;

  reply = g_dbus_connection_call_sync (bus, APP_ID, path,
                                       "org.freedesktop.DBus.Introspectable", "Introspect",
                                       NULL, G_VARIANT_TYPE ("(s)"),
                                       G_DBUS_CALL_FLAGS_NONE, 5000, NULL, NULL);
  if (reply == NULL)
    return 0;

  g_variant_get (reply, "(&s)", &xml);
  node = g_dbus_node_info_new_for_xml (xml, NULL);
  if (node != NULL && node->nodes != NULL)
    for (GDBusNodeInfo **child = node->nodes; *child != NULL; child++)
      n++;

  return n;
}

typedef struct
{
  GDBusConnection *bus;
  guint            n;
} WindowCount;

static gboolean
has_windows (gpointer data)
{
  WindowCount *count = data;

  return count_exported_windows (count->bus) == count->n;
}

static gboolean
tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* The other process exports its windows without telling this one, so the
 * count is polled (every 50 ms) until it matches. */
static void
wait_for_windows (GDBusConnection *bus,
                  guint            n)
{
  WindowCount count = { bus, n };
  guint tick = g_timeout_add (50, tick_cb, NULL);

  kg_ui_test_wait_for (has_windows, &count, "the exported windows");
  g_source_remove (tick);
}

static void
wait_check_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_wait_check_finish (G_SUBPROCESS (source), result, &error);
  g_assert_no_error (error);
  *done = TRUE;
}

static void
wait_exit_ok (GSubprocess *proc,
              const char  *what)
{
  gboolean done = FALSE;

  g_subprocess_wait_check_async (proc, NULL, wait_check_cb, &done);
  kg_ui_test_wait_for (kg_ui_test_is_true, &done, what);
}

static void
test_second_launch_presents_first (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_autofree char *binary = g_build_filename (g_getenv ("KEYGATE_BUILD_DIR"),
                                              "src", "app", "keygate", NULL);
  g_autoptr(GSubprocess) first = NULL;
  g_autoptr(GSubprocess) second = NULL;
  g_autoptr(GVariant) reply = NULL;

  g_assert_no_error (error);

  first = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, binary, NULL);
  g_assert_no_error (error);
  wait_for_windows (bus, 1);

  second = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, binary, NULL);
  g_assert_no_error (error);
  wait_exit_ok (second, "the second launch to exit");

  /* The second launch sent Activate before it exited; a method call to the
   * first instance's action group is handled after it, in the same main
   * context, so once it returns the activation has been handled. */
  reply = g_dbus_connection_call_sync (bus, APP_ID, object_path, "org.gtk.Actions", "List",
                                       NULL, G_VARIANT_TYPE ("(as)"), G_DBUS_CALL_FLAGS_NONE,
                                       5000, NULL, &error);
  g_assert_no_error (error);
  g_clear_pointer (&reply, g_variant_unref);
  g_assert_cmpuint (count_exported_windows (bus), ==, 1);
  g_assert_null (g_subprocess_get_identifier (second));
  g_assert_nonnull (g_subprocess_get_identifier (first));

  /* app.quit over D-Bus ends the first instance cleanly. */
  reply = g_dbus_connection_call_sync (bus, APP_ID, object_path, "org.gtk.Actions", "Activate",
                                       g_variant_new ("(sava{sv})", "quit", NULL, NULL),
                                       NULL, G_DBUS_CALL_FLAGS_NONE, 5000, NULL, &error);
  g_assert_no_error (error);
  wait_exit_ok (first, "the first instance to exit");
}

int
main (int   argc,
      char *argv[])
{
  kg_test_init (&argc, &argv);

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_printerr ("SKIP: needs a session bus (run under .ci/headless-session)\n");
      return g_getenv ("CI") != NULL ? 1 : 77;
    }

  /* io.github.keygate.Keygate → /io/github/keygate/Keygate */
  object_path = g_strconcat ("/", APP_ID, NULL);
  g_strdelimit (object_path, ".", '/');

  g_test_add_func ("/ui/app/second-launch-presents-first", test_second_launch_presents_first);

  return g_test_run ();
}
