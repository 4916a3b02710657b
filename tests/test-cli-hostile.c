/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keygate-cli against a hostile server: what it prints must not drive the
 * terminal (ESC, BEL, C1, bidi controls shown as escapes) and must not show
 * the key the server echoes back, in text and in --json output. The server
 * runs in this process, in its own thread. */
#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "kg-hostile-routes.h"
#include "kg-test-utils.h"

#define KEY "c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00"

/* A window title, a clipboard write (OSC 52), a screen clear, a C1 CSI and a
 * right-to-left override: everything a message could do to a terminal. */
#define NASTY "\x1b]0;pwned\x07 \x1b]52;c;cHduZWQ=\x07 \x1b[2J \xc2\x9b" "31m \xe2\x80\xae" "moc"

typedef struct
{
  SoupServer   *server;
  GMainContext *context;
  GMainLoop    *loop;
  GThread      *thread;
  char         *url;
} Hostile;

static Hostile hostile;

/* The API key the request carries, wherever it is in the params. */
static char *
find_key (const char *body)
{
  const char *at = body ? strstr (body, KEY) : NULL;

  return at ? g_strndup (at, strlen (KEY)) : g_strdup ("(none)");
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  SoupMessageBody *request = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (request);
  g_autofree char *body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_autofree char *key = find_key (body);
  g_autofree char *answer = NULL;

  if (g_str_has_prefix (path, "/html/"))
    {
      /* A proxy's error page whose first line carries the sequences. */
      answer = g_strdup ("<html><head><title>" NASTY "</title></head><body>bad gateway</body>");
      soup_server_message_set_status (msg, 502, NULL);
      soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_COPY, answer,
                                        strlen (answer));
      return;
    }
  if (g_str_has_prefix (path, "/reason/"))
    {
      soup_server_message_set_status (msg, 503, "Down " NASTY);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "", 0);
      return;
    }
  if (strstr (body, "\"version\"") != NULL)
    {
      answer = g_strdup ("{\"jsonrpc\": \"2.0\", \"id\": 1, \"result\": {\"server_version\": "
                         "\"18.0\", \"server_version_info\": [18, 0, 0, \"final\", 0, \"\"], "
                         "\"server_serie\": \"18.0\", \"protocol_version\": 1}}");
    }
  else
    {
      /* Odoo's error envelope, with the key echoed and the sequences in
       * the message shown to the user. */
      g_autofree char *message = g_strdup_printf ("Bad key %s for you " NASTY, key);

      answer = kg_hostile_jsonrpc_error ("odoo.exceptions.UserError", message);
    }
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, answer,
                                    strlen (answer));
}

static gpointer
server_thread (gpointer data)
{
  g_main_context_push_thread_default (hostile.context);
  g_main_loop_run (hostile.loop);
  g_main_context_pop_thread_default (hostile.context);
  return NULL;
}

static void
hostile_start (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  GSList *uris;

  hostile.context = g_main_context_new ();
  hostile.loop = g_main_loop_new (hostile.context, FALSE);
  g_main_context_push_thread_default (hostile.context);
  hostile.server = soup_server_new (NULL, NULL);
  soup_server_add_handler (hostile.server, NULL, server_cb, NULL, NULL);
  address = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_assert_true (soup_server_listen (hostile.server, address, 0, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (hostile.server);
  hostile.url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  g_main_context_pop_thread_default (hostile.context);
  hostile.thread = g_thread_new ("hostile-server", server_thread, NULL);
}

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
run_cli_bytes (Run                *run,
               GBytes             *stdin_bytes,
               const char * const *args);

static void
run_cli_argv (Run                *run,
              const char         *input,
              const char * const *args)
{
  g_autoptr(GBytes) bytes = g_bytes_new (input ? input : "", input ? strlen (input) : 0);

  run_cli_bytes (run, bytes, args);
}

static void
run_cli_bytes (Run                *run,
               GBytes             *stdin_bytes,
               const char * const *args)
{
  g_autofree char *cli = g_build_filename (g_getenv ("KEYGATE_BUILD_DIR"), "src", "cli",
                                           "keygate-cli", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, cli);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  /* Bytes, not UTF-8: the point is to see every byte that was written. */
  g_subprocess_communicate (process, stdin_bytes, NULL, &out, &err, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_exit_status (process);
  run->out = g_strndup (g_bytes_get_size (out) > 0 ? g_bytes_get_data (out, NULL) : "",
                        g_bytes_get_size (out));
  run->err = g_strndup (g_bytes_get_size (err) > 0 ? g_bytes_get_data (err, NULL) : "",
                        g_bytes_get_size (err));
  g_test_message ("keygate-cli %s %s → %d\nstdout: %s\nstderr: %s", args[0], args[1],
                  run->status, run->out, run->err);
}

#define run_cli(run, input, ...) \
  G_STMT_START { \
    const char *args_[] = { __VA_ARGS__, NULL }; \
    run_cli_argv ((run), (input), args_); \
  } G_STMT_END

/* Nothing that can act on a terminal, and not the key. */
static void
assert_safe (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      g_assert_false (c < 0x20 && c != '\n' && c != '\t');
      g_assert_cmpint (c, !=, 0x7f);
    }
  g_assert_null (strstr (text, "\xc2\x9b"));
  g_assert_null (strstr (text, "\xe2\x80\xae"));
  g_assert_null (strstr (text, KEY));
}

static void
add_profile (const char *name,
             const char *url)
{
  g_auto(Run) add = { 0 };
  g_auto(Run) key = { 0 };

  run_cli (&add, NULL, "profile", "add", name, "--url", url, "--db", "shop", "--login", "alice");
  g_assert_cmpint (add.status, ==, 0);
  run_cli (&key, KEY "\n", "key", "set", name);
  g_assert_cmpint (key.status, ==, 0);
}

static void
test_echoed_key_and_sequences (void)
{
  g_auto(Run) text = { 0 };
  g_auto(Run) json = { 0 };
  g_auto(Run) create = { 0 };
  g_auto(Run) diagnose = { 0 };
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  add_profile ("echo", hostile.url);

  run_cli (&text, NULL, "key", "verify", "echo");
  g_assert_cmpint (text.status, !=, 0);
  assert_safe (text.out);
  assert_safe (text.err);
  /* The message is still there to read, with the key and the sequences
   * replaced by what they are. */
  g_assert_nonnull (strstr (text.err, "Bad key <API_KEY> for you"));
  g_assert_nonnull (strstr (text.err, "\\x1b]52;c;cHduZWQ=\\x07"));
  g_assert_nonnull (strstr (text.err, "\\u202emoc"));

  run_cli (&json, NULL, "key", "verify", "echo", "--json");
  g_assert_cmpint (json.status, !=, 0);
  assert_safe (json.out);
  assert_safe (json.err);
  node = json_from_string (json.out, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (json.out, "<API_KEY>"));

  run_cli (&create, NULL, "create-project", "echo", "--name", "x");
  g_assert_cmpint (create.status, !=, 0);
  assert_safe (create.out);
  assert_safe (create.err);

  run_cli (&diagnose, NULL, "diagnose", "echo");
  assert_safe (diagnose.out);
  assert_safe (diagnose.err);
  g_assert_nonnull (strstr (diagnose.out, "\\x1b]52;c;cHduZWQ=\\x07"));
}

static void
test_html_and_reason_phrase (void)
{
  g_autofree char *html_url = g_strconcat (hostile.url, "/html", NULL);
  g_autofree char *reason_url = g_strconcat (hostile.url, "/reason", NULL);
  g_auto(Run) html = { 0 };
  g_auto(Run) reason = { 0 };
  g_auto(Run) reason_json = { 0 };

  add_profile ("html", html_url);
  add_profile ("reason", reason_url);

  run_cli (&html, NULL, "key", "verify", "html");
  g_assert_cmpint (html.status, !=, 0);
  assert_safe (html.out);
  assert_safe (html.err);

  run_cli (&reason, NULL, "key", "verify", "reason");
  g_assert_cmpint (reason.status, !=, 0);
  assert_safe (reason.out);
  assert_safe (reason.err);

  run_cli (&reason_json, NULL, "key", "verify", "reason", "--json");
  g_assert_cmpint (reason_json.status, !=, 0);
  assert_safe (reason_json.out);
  assert_safe (reason_json.err);
}

/* A profile that accepts invalid certificates (hand-edited file) says so
 * every time it is used: on stderr in text mode, in the object with --json,
 * and profile show reports it insecure. */
static void
test_accept_invalid_tls_warns (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_config_dir (), "keygate", NULL);
  g_autofree char *path = g_build_filename (dir, "profiles.json", NULL);
  g_autofree char *contents = NULL;
  g_auto(Run) show = { 0 };
  g_auto(Run) show_json = { 0 };
  g_auto(Run) verify = { 0 };
  g_auto(Run) verify_json = { 0 };
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  contents = g_strdup_printf ("{\"version\": 1, \"profiles\": [{\"id\": \"tls-1\", "
                              "\"name\": \"lax\", \"url\": \"%s\", \"database\": \"shop\", "
                              "\"login\": \"alice\", \"tls_policy\": \"accept-invalid\"}]}\n",
                              hostile.url);
  g_assert_true (g_file_set_contents (path, contents, -1, NULL));

  run_cli (&show, NULL, "profile", "show", "lax");
  g_assert_cmpint (show.status, ==, 0);
  g_assert_nonnull (strstr (show.err, "accepts invalid TLS certificates"));
  g_assert_nonnull (strstr (show.out, "(insecure)"));

  run_cli (&show_json, NULL, "profile", "show", "lax", "--json");
  g_assert_cmpint (show_json.status, ==, 0);
  g_assert_cmpstr (show_json.err, ==, "");
  node = json_from_string (show_json.out, NULL);
  g_assert_nonnull (node);
  object = json_node_get_object (node);
  g_assert_true (json_object_get_boolean_member (object, "insecure"));
  g_assert_nonnull (strstr (json_object_get_string_member (object, "warning"), "certificates"));

  run_cli (&verify, NULL, "key", "verify", "lax");
  g_assert_nonnull (strstr (verify.err, "accepts invalid TLS certificates"));
  run_cli (&verify_json, NULL, "key", "verify", "lax", "--json");
  g_assert_nonnull (strstr (verify_json.out, "\"warning\""));
}

/* A key with a NUL byte was cut at it; ten megabytes were stored with a
 * warning. Both are refused, nothing is stored. */
static void
test_key_input_refused (void)
{
  g_auto(Run) add = { 0 };
  g_auto(Run) nul = { 0 };
  g_auto(Run) huge = { 0 };
  g_auto(Run) verify = { 0 };
  g_autofree char *ten_mb = g_strnfill (10 * 1024 * 1024, 'a');
  const char *args[] = { "key", "set", "input", NULL };
  g_autoptr(GBytes) with_nul = g_bytes_new_static ("c0ffee00\0rest-of-key\n", 22);

  run_cli (&add, NULL, "profile", "add", "input", "--url", hostile.url, "--db", "shop",
           "--login", "alice");
  g_assert_cmpint (add.status, ==, 0);

  run_cli_bytes (&nul, with_nul, args);
  g_assert_cmpint (nul.status, ==, KG_EXIT_USAGE);
  g_assert_nonnull (strstr (nul.err, "NUL byte"));

  run_cli (&huge, ten_mb, "key", "set", "input");
  g_assert_cmpint (huge.status, ==, KG_EXIT_USAGE);
  g_assert_nonnull (strstr (huge.err, "cannot be a key"));

  /* Nothing was stored. */
  run_cli (&verify, NULL, "key", "verify", "input", "--json");
  g_assert_cmpint (verify.status, ==, KG_EXIT_KEYRING);
  g_assert_nonnull (strstr (verify.out, "key-not-found"));
}

/* keygate-cli speaks the user's language (LANGUAGE), in text and in the
 * --json messages; --json's kinds and member names do not change. */
static void
test_translated_output (void)
{
  g_autofree char *localedir = g_build_filename (g_getenv ("KEYGATE_BUILD_DIR"), "po", NULL);
  g_auto(Run) text = { 0 };
  g_auto(Run) json = { 0 };

  g_setenv ("KEYGATE_LOCALEDIR", localedir, TRUE);
  g_setenv ("LANGUAGE", "fr", TRUE);
  run_cli (&text, NULL, "profile", "show", "nowhere");
  run_cli (&json, NULL, "profile", "show", "nowhere", "--json");
  g_unsetenv ("LANGUAGE");
  g_unsetenv ("KEYGATE_LOCALEDIR");

  g_assert_cmpint (text.status, ==, KG_EXIT_USAGE);
  g_assert_nonnull (strstr (text.err, "Il n’existe aucun profil nommé"));
  g_assert_nonnull (strstr (text.err, "nowhere"));
  g_assert_cmpint (json.status, ==, KG_EXIT_USAGE);
  g_assert_nonnull (strstr (json.out, "\"kind\":\"profile-not-found\""));
  g_assert_nonnull (strstr (json.out, "Il n’existe aucun profil"));
}

int
main (int   argc,
      char *argv[])
{
  kg_test_init (&argc, &argv);
  hostile_start ();

  g_test_add_func ("/cli/hostile/echoed-key-and-sequences", test_echoed_key_and_sequences);
  g_test_add_func ("/cli/hostile/html-and-reason-phrase", test_html_and_reason_phrase);
  g_test_add_func ("/cli/hostile/accept-invalid-tls-warns", test_accept_invalid_tls_warns);
  g_test_add_func ("/cli/hostile/key-input-refused", test_key_input_refused);
  g_test_add_func ("/cli/translated-output", test_translated_output);

  return g_test_run ();
}
