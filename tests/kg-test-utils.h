/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stdarg.h>

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

G_BEGIN_DECLS

/* A loopback port nobody listens on (bound, then closed without listen()),
 * for "connection refused" tests, and its http:// URL. */
guint16       kg_test_closed_port          (void);
char         *kg_test_closed_url           (void);

/* The ordered findings of a 2FA doctor run as "check:status" words,
 * "server:ok database:ok …", to compare with the expected sequence. On the
 * way, checks that every finding can be shown (a title and an
 * explanation) and every problem says what to do (a remedy and an error
 * kind). The _json variant reads the `findings` array of
 * `keygate-cli diagnose --json`. */
char         *kg_test_findings_sequence      (GListModel  *findings);
char         *kg_test_findings_sequence_json (JsonArray   *findings);

/* Skips the current test case because of @reason (a missing tool), or,
 * with CI set in the environment, fails it: in CI, a missing tool is a
 * broken set-up that must not hide a test. */
void          kg_test_skip_unless_ci       (const char         *reason);

/* One run of the built keygate-cli. */
typedef struct
{
  int         status;   /* exit status */
  char       *out;      /* stdout */
  char       *err;      /* stderr */
  JsonObject *json;     /* stdout parsed, when --json was given */
} KgCliRun;

void          kg_cli_run_clear             (KgCliRun           *run);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KgCliRun, kg_cli_run_clear)

/* Runs $KEYGATE_BUILD_DIR/src/cli/keygate-cli with @args (NULL-terminated)
 * and @input (or nothing) on stdin, and waits for it to exit. Fails the
 * test when one of @secrets (NULL-terminated, or NULL) appears on stdout
 * or stderr, and, with --json among @args, unless stdout is one JSON
 * object whose "ok" says whether the exit status is 0. */
void          kg_test_run_cli_argv         (KgCliRun           *run,
                                            const char         *input,
                                            const char * const *secrets,
                                            const char * const *args);

/* @name in the test's temp dir; the same, written with @contents. */
char         *kg_test_tmp_path             (const char         *name);
char         *kg_test_write_tmp_file       (const char         *name,
                                            const char         *contents);
/* Reads the JUnit file at @path (it must parse, and every testcase must
 * have a time of three decimals): sets @suite to the testsuite's name and
 * returns its cases joined by "\n", each "name|" (passed), "name|failure
 * message" or "name|skipped". */
char         *kg_test_read_junit           (const char         *path,
                                            char              **suite);

/* kg_test_run_cli_argv with the arguments given in line, NULL-terminated. */
void          kg_test_run_cli_valist       (KgCliRun           *run,
                                            const char         *input,
                                            const char * const *secrets,
                                            const char         *first,
                                            va_list             ap);
void          kg_test_run_cli              (KgCliRun           *run,
                                            const char         *input,
                                            const char * const *secrets,
                                            const char         *first,
                                            ...) G_GNUC_NULL_TERMINATED;

/* Whether @text holds a run of @min_length or more characters of a key
 * or token's alphabet (letters, digits, '_' and '-'): what an unmasked
 * secret looks like where its value is not known. */
gboolean      kg_test_has_token_run        (const char         *text,
                                            guint               min_length);
/* The run an unmasked demo server token makes. */
#define KG_TEST_DEMO_TOKEN_RUN 20

/* A real Odoo (docs/HACKING.md, "Real Odoo integration tests"): the
 * KEYGATE_ODOO_* setting @name, NULL when unset or empty; the secrets
 * among them that are set (NULL-terminated), which no output or file may
 * hold. */
const char   *kg_test_odoo_env             (const char         *name);
/* TRUE when @name is set; otherwise skips the current test saying so. */
gboolean      kg_test_odoo_need            (const char         *name);
const char * const *kg_test_odoo_secrets   (void);
/* When a setting of @needed (NULL-terminated; NULL: the URL, the database
 * and alice's key, what every integration program needs) is missing:
 * runs one test, @path, skipped with a message naming them, and returns
 * main's exit code (77 for meson); otherwise -1. Call after kg_test_init. */
int           kg_test_odoo_skip_unless     (const char         *path,
                                            const char * const *needed);
/* Runs one test, @path, skipped because of @reason, and returns main's
 * exit code (77 for meson). Call after kg_test_init. */
int           kg_test_run_skipped          (const char         *path,
                                            const char         *reason);

G_END_DECLS
