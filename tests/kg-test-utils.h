/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "keygate-core.h"
#include "kg-demo-server.h"

G_BEGIN_DECLS

/* g_test_init + locale; refuses to run outside tests/isolated.sh (which
 * gives every test fresh XDG dirs). */
void          kg_test_init                 (int          *argc,
                                            char       ***argv);
/* The per-test temp dir ($KEYGATE_TEST_TMPDIR). */
const char   *kg_test_get_tmpdir           (void);

/* Iterates the thread-default main context until *@result is set (by
 * kg_test_store_result_cb) and returns it (owned). */
void          kg_test_store_result_cb      (GObject       *source,
                                            GAsyncResult  *result,
                                            gpointer       user_data);
GAsyncResult *kg_test_wait_result          (GAsyncResult **result);

/* Fails the test when @needle occurs in any file under @dir (recursively).
 * Returns the number of files scanned. */
guint         kg_test_assert_dir_lacks     (const char    *dir,
                                            const char    *needle);

/* Captures every log line written while it is installed (see
 * kg_test_get_logged_text); passes them on to the default writer. */
void          kg_test_capture_logs         (void);
const char   *kg_test_get_logged_text      (void);

/* A demo server running in its own thread for the whole test program, with
 * the /hostile/... routes of kg-hostile-routes.h. */
KgDemoServer *kg_test_get_demo_server      (void);
/* A profile for @login on the shared demo server (jsonrpc protocol). */
KgProfile    *kg_test_demo_profile         (const char    *login);

G_END_DECLS
