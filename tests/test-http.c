/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "kg-test-utils.h"

#define KEY "8f14e45fceea167a5a36dedd4bea2543a1b2c3d4"
#define TOKEN "tok_3Jd9sKq0Zp"
#define SESSION "5e55107d0000000000000000000000000000abcd"

/* A SoupServer on 127.0.0.1:0 in its own thread and main context. */

typedef struct
{
  GThread         *thread;
  GMainContext    *context;
  GMainLoop       *loop;
  SoupServer      *server;
  GTlsCertificate *certificate;
  char            *base;        /* "http://127.0.0.1:PORT" */

  GMutex           lock;
  GCond            cond;
  gboolean         ready;
  GPtrArray       *seen;        /* "PATH\nName: value\n…" per request */
  GBytes          *big_json;    /* served at /big-json; set before the request */
} TestServer;

static void
record_request (TestServer        *server,
                SoupServerMessage *msg,
                const char        *path)
{
  GString *text = g_string_new (path);
  SoupMessageHeadersIter iter;
  const char *name;
  const char *value;

  g_string_append_c (text, '\n');
  soup_message_headers_iter_init (&iter, soup_server_message_get_request_headers (msg));
  while (soup_message_headers_iter_next (&iter, &name, &value))
    g_string_append_printf (text, "%s: %s\n", name, value);

  g_mutex_lock (&server->lock);
  g_ptr_array_add (server->seen, g_string_free (text, FALSE));
  g_mutex_unlock (&server->lock);
}

/* Everything the server saw, for one path (NULL: all). */
static char *
server_seen (TestServer *server,
             const char *path)
{
  GString *all = g_string_new (NULL);

  g_mutex_lock (&server->lock);
  for (guint i = 0; i < server->seen->len; i++)
    {
      const char *entry = g_ptr_array_index (server->seen, i);

      if (path == NULL || (g_str_has_prefix (entry, path) && entry[strlen (path)] == '\n'))
        g_string_append (all, entry);
    }
  g_mutex_unlock (&server->lock);

  return g_string_free (all, FALSE);
}

typedef struct
{
  SoupServerMessage *msg;
  goffset            remaining;
} BigBody;

static void
wrote_chunk_cb (SoupServerMessage *msg,
                gpointer           user_data)
{
  BigBody *big = user_data;
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  gsize n = MIN (big->remaining, 64 * 1024);

  if (n == 0)
    {
      soup_message_body_complete (body);
      return;
    }
  soup_message_body_append_take (body, g_malloc0 (n), n);
  big->remaining -= n;
}

static gboolean
unpause_cb (gpointer user_data)
{
  SoupServerMessage *msg = user_data;

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "late", 4);
  soup_server_message_unpause (msg);
  return G_SOURCE_REMOVE;
}

static void
server_cb (SoupServer        *soup_server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  TestServer *server = user_data;
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (msg);

  record_request (server, msg, path);

  if (g_str_equal (path, "/json"))
    {
      SoupMessageBody *request = soup_server_message_get_request_body (msg);
      g_autoptr(GBytes) bytes = soup_message_body_flatten (request);
      g_autofree char *answer = NULL;

      /* Echoes the request (with the key in it) and hands out a token. */
      answer = g_strdup_printf ("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"echo\":%.*s,"
                                "\"access_token\":\"" TOKEN "\",\"expires_in\":3600}}",
                                (int) g_bytes_get_size (bytes),
                                g_bytes_get_size (bytes) ? (const char *) g_bytes_get_data (bytes, NULL) : "null");
      soup_message_headers_append (response_headers, "Set-Cookie",
                                   "session_id=" SESSION "; Path=/; HttpOnly");
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                        answer, strlen (answer));
    }
  else if (g_str_equal (path, "/html404"))
    {
      const char *page = "<!DOCTYPE html><html><body><h1>Not Found</h1>"
                         "<p>The requested URL was not found on the server.</p></body></html>";

      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_STATIC,
                                        page, strlen (page));
    }
  else if (g_str_equal (path, "/slow"))
    {
      GSource *source = g_timeout_source_new_seconds (5);

      soup_server_message_pause (msg);
      g_source_set_callback (source, unpause_cb, g_object_ref (msg), g_object_unref);
      g_source_attach (source, server->context);
      g_source_unref (source);
    }
  else if (g_str_equal (path, "/big"))
    {
      const char *size = query ? g_hash_table_lookup (query, "size") : NULL;
      goffset n = size ? g_ascii_strtoll (size, NULL, 10) : 0;

      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      if (query != NULL && g_hash_table_contains (query, "chunked"))
        {
          BigBody *big = g_new0 (BigBody, 1);

          big->remaining = n;
          soup_message_headers_set_encoding (response_headers, SOUP_ENCODING_CHUNKED);
          soup_message_headers_set_content_type (response_headers, "application/octet-stream",
                                                 NULL);
          soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);
          g_signal_connect_data (msg, "wrote-chunk", G_CALLBACK (wrote_chunk_cb), big,
                                 (GClosureNotify) (void (*) (void)) g_free, 0);
          wrote_chunk_cb (msg, big);
        }
      else
        {
          soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_TAKE,
                                            g_malloc0 (n), n);
        }
    }
  else if (g_str_equal (path, "/big-json") && server->big_json != NULL)
    {
      gsize len;
      gconstpointer bytes = g_bytes_get_data (server->big_json, &len);

      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, bytes, len);
    }
  else if (g_str_equal (path, "/redirect"))
    {
      const char *to = g_hash_table_lookup (query, "to");
      const char *code = g_hash_table_lookup (query, "code");

      soup_server_message_set_redirect (msg, code ? atoi (code) : SOUP_STATUS_FOUND, to);
    }
  else if (g_str_equal (path, "/loop"))
    {
      soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, "/loop");
    }
  else if (g_str_equal (path, "/binary"))
    {
      static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01";

      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "image/png", SOUP_MEMORY_STATIC, png,
                                        sizeof png - 1);
    }
  else if (g_str_equal (path, "/echo-headers"))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "seen", 4);
    }
  else
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
    }
}

static gpointer
server_thread (gpointer user_data)
{
  TestServer *server = user_data;
  g_autoptr(GError) error = NULL;
  g_autoslist(GUri) uris = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  SoupServerListenOptions options = 0;

  g_main_context_push_thread_default (server->context);

  server->server = soup_server_new ("tls-certificate", server->certificate, NULL);
  soup_server_add_handler (server->server, NULL, server_cb, server, NULL);
  if (server->certificate != NULL)
    options |= SOUP_SERVER_LISTEN_HTTPS;
  soup_server_listen (server->server, address, options, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (server->server);
  g_mutex_lock (&server->lock);
  server->base = g_strdup_printf ("%s://127.0.0.1:%d", g_uri_get_scheme (uris->data),
                                  g_uri_get_port (uris->data));
  server->ready = TRUE;
  g_cond_signal (&server->cond);
  g_mutex_unlock (&server->lock);

  g_main_loop_run (server->loop);

  soup_server_disconnect (server->server);
  g_clear_object (&server->server);
  g_main_context_pop_thread_default (server->context);
  return NULL;
}

static TestServer *
test_server_new (GTlsCertificate *certificate)
{
  TestServer *server = g_new0 (TestServer, 1);

  g_mutex_init (&server->lock);
  g_cond_init (&server->cond);
  server->seen = g_ptr_array_new_with_free_func (g_free);
  server->context = g_main_context_new ();
  server->loop = g_main_loop_new (server->context, FALSE);
  server->certificate = certificate ? g_object_ref (certificate) : NULL;
  server->thread = g_thread_new ("test-server", server_thread, server);

  g_mutex_lock (&server->lock);
  while (!server->ready)
    g_cond_wait (&server->cond, &server->lock);
  g_mutex_unlock (&server->lock);

  return server;
}

static void
test_server_free (TestServer *server)
{
  g_main_loop_quit (server->loop);
  g_thread_join (server->thread);
  g_main_loop_unref (server->loop);
  g_main_context_unref (server->context);
  g_clear_object (&server->certificate);
  g_ptr_array_unref (server->seen);
  g_clear_pointer (&server->big_json, g_bytes_unref);
  g_free (server->base);
  g_mutex_clear (&server->lock);
  g_cond_clear (&server->cond);
  g_free (server);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestServer, test_server_free)

static char *
server_url (TestServer *server,
            const char *path)
{
  return g_strconcat (server->base, path, NULL);
}

/* Sends @request and waits; returns the exchange or NULL with @error. */
static KgExchange *
send_and_wait (KgHttp        *http,
               KgHttpRequest *request,
               GCancellable  *cancellable,
               GError       **error)
{
  GAsyncResult *pending = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  kg_http_send_async (http, request, cancellable, kg_test_store_result_cb, &pending);
  result = kg_test_wait_result (&pending);
  return kg_http_send_finish (http, result, error);
}

static KgHttpRequest *
json_request (const char *url)
{
  KgHttpRequest *request = kg_http_request_new ("POST", url);
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser,
                 "{\"jsonrpc\":\"2.0\",\"method\":\"call\",\"id\":1,\"params\":{\"service\":\"object\","
                 "\"method\":\"execute_kw\",\"args\":[\"demo\",2,\"" KEY "\",\"res.users\",\"read\",[[2]]]}}",
                 -1, NULL));
  kg_http_request_set_json_body (request, json_parser_get_root (parser));
  kg_http_request_set_header (request, "X-API-Key", KEY);
  kg_http_request_set_header (request, "Authorization", "Bearer " TOKEN);
  kg_http_request_add_secret (request, KG_SECRET_API_KEY, KEY);
  kg_http_request_add_secret (request, KG_SECRET_TOKEN, TOKEN);
  kg_http_request_set_label (request, "execute_kw");
  kg_http_request_set_step (request, "call");
  kg_http_request_set_profile_id (request, "demo-profile");
  return request;
}

static const char *
header_value (GPtrArray  *headers,
              const char *name)
{
  for (guint i = 0; i < headers->len; i++)
    {
      KgHeader *header = g_ptr_array_index (headers, i);

      if (g_ascii_strcasecmp (header->name, name) == 0)
        return header->value;
    }
  return NULL;
}

static void
test_json_round_trip (void)
{
  g_autoptr(TestServer) server = test_server_new (NULL);
  g_autofree char *url = server_url (server, "/json");
  g_autoptr(KgHttpRequest) request = json_request (url);
  g_autoptr(KgExchange) exchange = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *seen = NULL;
  const KgTiming *timing;
  JsonObject *result;

  exchange = send_and_wait (kg_http_get_default (), request, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (exchange);

  g_assert_cmpuint (kg_exchange_get_status (exchange), ==, 200);
  g_assert_cmpstr (kg_exchange_get_reason (exchange), ==, "OK");
  g_assert_cmpstr (kg_exchange_get_method (exchange), ==, "POST");
  g_assert_cmpstr (kg_exchange_get_url (exchange), ==, url);
  g_assert_cmpstr (kg_exchange_get_label (exchange), ==, "execute_kw");
  g_assert_cmpstr (kg_exchange_get_step (exchange), ==, "call");
  g_assert_cmpstr (kg_exchange_get_profile_id (exchange), ==, "demo-profile");
  g_assert_cmpstr (kg_exchange_get_outcome (exchange), ==, "ok");
  g_assert_true (g_str_has_prefix (kg_exchange_get_response_content_type (exchange),
                                   "application/json"));

  /* The server got the real key and our User-Agent. */
  seen = server_seen (server, "/json");
  g_assert_nonnull (strstr (seen, "X-API-Key: " KEY));
  g_assert_nonnull (strstr (seen, "User-Agent: Keygate/" PACKAGE_VERSION));

  /* The raw JSON (in memory only) has the real values. */
  g_assert_nonnull (kg_exchange_get_response_json (exchange));
  result = json_object_get_object_member (json_node_get_object (kg_exchange_get_response_json (exchange)),
                                          "result");
  g_assert_cmpstr (json_object_get_string_member (result, "access_token"), ==, TOKEN);
  g_assert_cmpint (json_object_get_int_member (result, "expires_in"), ==, 3600);
  g_assert_cmpuint (kg_exchange_get_response_size (exchange), >, 100);

  /* Redacted copies. */
  g_assert_cmpstr (header_value (kg_exchange_get_request_headers (exchange), "X-API-Key"), ==,
                   "<API_KEY>");
  g_assert_cmpstr (header_value (kg_exchange_get_request_headers (exchange), "Authorization"), ==,
                   "Bearer <TOKEN>");
  g_assert_nonnull (strstr (kg_exchange_get_request_body (exchange), "\"<API_KEY>\""));
  g_assert_nonnull (strstr (kg_exchange_get_response_body (exchange), "\"access_token\":\"<TOKEN>\""));
  g_assert_cmpstr (header_value (kg_exchange_get_response_headers (exchange), "Set-Cookie"), ==,
                   "session_id=<SESSION_ID>; Path=/; HttpOnly");

  timing = kg_exchange_get_timing (exchange);
  g_test_message ("timing: dns %" G_GINT64_FORMAT " connect %" G_GINT64_FORMAT
                  " request %" G_GINT64_FORMAT " wait %" G_GINT64_FORMAT
                  " download %" G_GINT64_FORMAT " total %" G_GINT64_FORMAT " µs",
                  timing->dns_us, timing->connect_us, timing->request_us, timing->wait_us,
                  timing->download_us, timing->total_us);
  g_assert_cmpint (timing->total_us, >, 0);
  g_assert_cmpint (timing->total_us, <, 10 * G_USEC_PER_SEC);
  g_assert_cmpint (timing->wait_us, >=, 0);
  g_assert_cmpint (timing->wait_us, <=, timing->total_us);
  g_assert_cmpint (timing->tls_us, ==, -1);
  /* 127.0.0.1: no name was resolved. */
  g_assert_cmpint (timing->dns_us, ==, -1);
}

static void
test_html_404 (void)
{
  g_autoptr(TestServer) server = test_server_new (NULL);
  g_autofree char *url = server_url (server, "/html404");
  g_autoptr(KgHttpRequest) request = kg_http_request_new ("GET", url);
  g_autoptr(KgExchange) exchange = NULL;
  g_autoptr(GError) error = NULL;

  exchange = send_and_wait (kg_http_get_default (), request, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kg_exchange_get_status (exchange), ==, 404);
  g_assert_cmpstr (kg_exchange_get_reason (exchange), ==, "Not Found");
  g_assert_null (kg_exchange_get_response_json (exchange));
  g_assert_nonnull (strstr (kg_exchange_get_response_body (exchange), "<h1>Not Found</h1>"));
  g_assert_true (g_str_has_prefix (kg_exchange_get_response_content_type (exchange), "text/html"));
}

static void
test_binary_body (void)
{
  g_autoptr(TestServer) server = test_server_new (NULL);
  g_autofree char *url = server_url (server, "/binary");
  g_autoptr(KgHttpRequest) request = kg_http_request_new ("GET", url);
  g_autoptr(KgExchange) exchange = NULL;
  g_autoptr(GError) error = NULL;

  exchange = send_and_wait (kg_http_get_default (), request, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kg_exchange_get_response_size (exchange), ==, 20);
  g_assert_cmpstr (kg_exchange_get_response_body (exchange), ==,
                   "[binary body: 20 bytes of image/png]");
  g_assert_true (g_utf8_validate (kg_exchange_get_response_body (exchange), -1, NULL));
}

static void
test_timeout (void)
{
  g_autoptr(TestServer) server = test_server_new (NULL);
  g_autofree char *url = server_url (server, "/slow");
  g_autoptr(KgHttpRequest) request = kg_http_request_new ("GET", url);
  g_autoptr(KgExchange) exchange = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed;
  KgExchange *carried;

  kg_http_request_set_timeout (request, 1);
  exchange = send_and_wait (kg_http_get_default (), request, NULL, &error);
  elapsed = g_get_monotonic_time () - start;

  g_assert_null (exchange);
  g_assert_error (error, KG_ERROR, KG_ERROR_TIMEOUT);
  g_test_message ("timeout after %" G_GINT64_FORMAT " ms: %s", elapsed / 1000, error->message);
  g_assert_cmpint (elapsed, >=, 900 * 1000);
  g_assert_cmpint (elapsed, <, 2 * G_USEC_PER_SEC);
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));

  carried = kg_error_get_exchange (error);
  g_assert_nonnull (carried);
  g_assert_cmpuint (kg_exchange_get_status (carried), ==, 0);
  g_assert_cmpstr (kg_exchange_get_outcome (carried), ==, "timeout");
  g_assert_cmpstr (kg_exchange_get_url (carried), ==, url);
}

static void
test_refused (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) any = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GError) error = NULL;
  g_autoptr(KgHttpRequest) request = NULL;
  g_autoptr(KgExchange) exchange = NULL;
  g_autofree char *url = NULL;
  g_autofree char *port_text = NULL;
  guint16 port;

  /* A port that was free a moment ago and has nothing listening now. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  any = g_inet_socket_address_new (loopback, 0);
  g_socket_bind (socket, any, TRUE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);

  url = g_strdup_printf ("http://127.0.0.1:%u/jsonrpc", port);
  request = kg_http_request_new ("GET", url);
  exchange = send_and_wait (kg_http_get_default (), request, NULL, &error);
  g_assert_null (exchange);
  g_assert_error (error, KG_ERROR, KG_ERROR_NETWORK);
  g_test_message ("%s", error->message);
  port_text = g_strdup_printf ("%u", port);
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  g_assert_nonnull (strstr (error->message, port_text));
  g_assert_nonnull (kg_error_get_exchange (error));
}

static void
test_dns (void)
{
  g_autoptr(KgHttpRequest) request = kg_http_request_new ("GET", "http://keygate-no-such-host.invalid/");

  kg_http_request_set_timeout (request, 10);
  g_autoptr(KgExchange) exchange = NULL;
  g_autoptr(GError) error = NULL;

  exchange = send_and_wait (kg_http_get_default (), request, NULL, &error);
  g_assert_null (exchange);
  g_assert_error (error, KG_ERROR, KG_ERROR_NETWORK);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "keygate-no-such-host.invalid"));
}

static void
test_invalid_url (void)
{
  g_autoptr(KgHttpRequest) request = kg_http_request_new ("GET", "ftp://example.com/?api_key=" KEY);
  g_autoptr(KgExchange) exchange = NULL;
  g_autoptr(GError) error = NULL;

  kg_http_request_add_secret (request, KG_SECRET_API_KEY, KEY);
  exchange = send_and_wait (kg_http_get_default (), request, NULL, &error);
  g_assert_null (exchange);
  g_assert_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT);
  g_assert_null (strstr (error->message, KEY));
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (void)
{
  g_autoptr(TestServer) server = test_server_new (NULL);
  g_autofree char *url = server_url (server, "/slow");
  g_autoptr(KgHttpRequest) request = kg_http_request_new ("GET", url);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GCancellable) already = g_cancellable_new ();
  g_autoptr(KgExchange) exchange = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  g_timeout_add (100, cancel_cb, cancellable);
  exchange = send_and_wait (kg_http_get_default (), request, cancellable, &error);
  g_assert_null (exchange);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  g_clear_error (&error);

  /* Cancelled before it started. */
  g_cancellable_cancel (already);
  exchange = send_and_wait (kg_http_get_default (), request, already, &error);
  g_assert_null (exchange);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static KgHttpRequest *
credential_request (const char *url)
{
  KgHttpRequest *request = kg_http_request_new ("GET", url);

  kg_http_request_set_header (request, "Authorization", "Bearer " TOKEN);
  kg_http_request_set_header (request, "X-API-Key", KEY);
  kg_http_request_set_header (request, "Cookie", "session_id=" SESSION);
  kg_http_request_set_header (request, "X-Odoo-Database", "demo");
  kg_http_request_set_header (request, "X-Carries-Key", "key=" KEY);
  kg_http_request_add_secret (request, KG_SECRET_API_KEY, KEY);
  kg_http_request_add_secret (request, KG_SECRET_TOKEN, TOKEN);
  return request;
}

static char *
redirect_url (TestServer *from,
              const char *to,
              guint       code)
{
  g_autofree char *escaped = g_uri_escape_string (to, NULL, FALSE);

  return g_strdup_printf ("%s/redirect?code=%u&to=%s", from->base, code, escaped);
}

static void
test_redirect_cross_origin (void)
{
  g_autoptr(TestServer) a = test_server_new (NULL);
  g_autoptr(TestServer) b = test_server_new (NULL);
  g_autofree char *target = server_url (b, "/echo-headers");
  const guint codes[] = { 301, 302, 303, 307, 308 };

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      g_autofree char *url = redirect_url (a, target, codes[i]);
      g_autoptr(KgHttpRequest) request = credential_request (url);
      g_autoptr(KgExchange) exchange = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *at_a = NULL;
      g_autofree char *at_b = NULL;

      exchange = send_and_wait (kg_http_get_default (), request, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (kg_exchange_get_status (exchange), ==, 200);
      g_assert_cmpuint (kg_exchange_get_redirects (exchange)->len, ==, 1);
      g_assert_cmpstr (g_ptr_array_index (kg_exchange_get_redirects (exchange), 0), ==, target);
      g_assert_cmpstr (header_value (kg_exchange_get_request_headers (exchange), "X-API-Key"), ==,
                       "<API_KEY>");

      at_a = server_seen (a, "/redirect");
      g_assert_nonnull (strstr (at_a, "Authorization: Bearer " TOKEN));
      at_b = server_seen (b, "/echo-headers");
      g_test_message ("%u: the other origin saw: %s", codes[i], at_b);
      g_assert_nonnull (strstr (at_b, "X-Odoo-Database: demo"));
      g_assert_null (strcasestr (at_b, "Authorization"));
      g_assert_null (strcasestr (at_b, "X-API-Key"));
      g_assert_null (strcasestr (at_b, "Cookie"));
      g_assert_null (strcasestr (at_b, "X-Carries-Key"));
      g_assert_null (strstr (at_b, KEY));
      g_assert_null (strstr (at_b, TOKEN));
      g_assert_null (strstr (at_b, SESSION));

      g_mutex_lock (&b->lock);
      g_ptr_array_set_size (b->seen, 0);
      g_mutex_unlock (&b->lock);
    }
}

/* A key in the query string that the server copies into the Location of a
 * redirect to another origin: not followed, and the key is not in the error
 * either. The same origin may have it. */
static void
test_redirect_query_credentials (void)
{
  g_autoptr(TestServer) a = test_server_new (NULL);
  g_autoptr(TestServer) b = test_server_new (NULL);
  g_autofree char *target = server_url (b, "/echo-headers?api_key=" KEY);
  g_autofree char *redirect = redirect_url (a, target, 302);
  g_autofree char *url = g_strconcat (redirect, "&api_key=" KEY, NULL);
  g_autofree char *same_redirect = redirect_url (a, "/echo-headers?api_key=" KEY, 302);
  g_autoptr(KgHttpRequest) request = kg_http_request_new ("GET", url);
  g_autoptr(KgHttpRequest) same = kg_http_request_new ("GET", same_redirect);
  g_autoptr(KgExchange) exchange = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *at_b = NULL;
  g_autofree char *at_a = NULL;

  kg_http_request_add_secret (request, KG_SECRET_API_KEY, KEY);
  exchange = send_and_wait (kg_http_get_default (), request, NULL, &error);
  g_assert_null (exchange);
  g_assert_error (error, KG_ERROR, KG_ERROR_HTTP_STATUS);
  g_assert_cmpuint (kg_error_get_http_status (error), ==, 302);
  g_assert_nonnull (strstr (error->message, "with a secret in the address"));
  g_assert_null (strstr (error->message, KEY));
  at_b = server_seen (b, NULL);
  g_assert_cmpstr (at_b, ==, "");
  g_clear_error (&error);

  kg_http_request_add_secret (same, KG_SECRET_API_KEY, KEY);
  exchange = send_and_wait (kg_http_get_default (), same, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kg_exchange_get_status (exchange), ==, 200);
  at_a = server_seen (a, "/echo-headers");
  g_assert_nonnull (at_a);
}

static void
test_redirect_same_origin (void)
{
  g_autoptr(TestServer) a = test_server_new (NULL);
  g_autofree char *url = redirect_url (a, "/echo-headers", 302);
  g_autoptr(KgHttpRequest) request = credential_request (url);
  g_autoptr(KgExchange) exchange = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *seen = NULL;

  exchange = send_and_wait (kg_http_get_default (), request, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kg_exchange_get_status (exchange), ==, 200);

  seen = server_seen (a, "/echo-headers");
  g_assert_nonnull (strstr (seen, "Authorization: Bearer " TOKEN));
  g_assert_nonnull (strstr (seen, "X-API-Key: " KEY));
  g_assert_nonnull (strstr (seen, "Cookie: session_id=" SESSION));
}

static void
test_redirect_post_body (void)
{
  g_autoptr(TestServer) a = test_server_new (NULL);
  g_autoptr(TestServer) b = test_server_new (NULL);
  g_autofree char *target = server_url (b, "/json");
  g_autofree char *url = redirect_url (a, target, 307);
  g_autofree char *same = redirect_url (a, "/json", 307);
  g_autoptr(KgHttpRequest) request = json_request (url);
  g_autoptr(KgHttpRequest) same_request = json_request (same);
  g_autoptr(KgExchange) exchange = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *at_b = NULL;
  g_autofree char *at_a = NULL;

  /* A 307 keeps the body; with the key in it, it must not go elsewhere. */
  exchange = send_and_wait (kg_http_get_default (), request, NULL, &error);
  g_assert_null (exchange);
  g_assert_error (error, KG_ERROR, KG_ERROR_HTTP_STATUS);
  g_assert_cmpuint (kg_error_get_http_status (error), ==, 307);
  g_test_message ("%s", error->message);
  at_b = server_seen (b, NULL);
  g_assert_cmpstr (at_b, ==, "");
  g_clear_error (&error);

  /* The same origin gets the POST again. */
  exchange = send_and_wait (kg_http_get_default (), same_request, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kg_exchange_get_status (exchange), ==, 200);
  at_a = server_seen (a, "/json");
  g_assert_nonnull (strstr (at_a, "X-API-Key: " KEY));
  g_assert_cmpstr (kg_exchange_get_method (exchange), ==, "POST");
  g_assert_nonnull (kg_exchange_get_response_json (exchange));
}

static void
test_redirect_loop (void)
{
  g_autoptr(TestServer) a = test_server_new (NULL);
  g_autofree char *url = server_url (a, "/loop");
  g_autoptr(KgHttpRequest) request = kg_http_request_new ("GET", url);
  g_autoptr(KgExchange) exchange = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *seen = NULL;
  g_auto(GStrv) lines = NULL;

  exchange = send_and_wait (kg_http_get_default (), request, NULL, &error);
  g_assert_null (exchange);
  g_assert_error (error, KG_ERROR, KG_ERROR_HTTP_STATUS);
  g_test_message ("%s", error->message);

  /* The first request and 5 redirects, no more. */
  seen = server_seen (a, "/loop");
  lines = g_strsplit (seen, "/loop\n", -1);
  g_assert_cmpuint (g_strv_length (lines) - 1, ==, 6);
}

static void
test_body_cap (void)
{
  g_autoptr(TestServer) server = test_server_new (NULL);
  g_autofree char *over = server_url (server, "/big?size=2097152");
  g_autofree char *exact = server_url (server, "/big?size=1048576");
  g_autofree char *chunked = server_url (server, "/big?size=3145728&chunked=1");
  const char *urls[] = { over, chunked };

  /* Announced (Content-Length) and streamed (chunked) bodies over the cap. */
  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr(KgHttpRequest) request = kg_http_request_new ("GET", urls[i]);
      g_autoptr(KgExchange) exchange = NULL;
      g_autoptr(GError) error = NULL;

      kg_http_request_set_max_body (request, 1024 * 1024);
      exchange = send_and_wait (kg_http_get_default (), request, NULL, &error);
      g_assert_null (exchange);
      g_assert_error (error, KG_ERROR, KG_ERROR_RESPONSE_TOO_LARGE);
      g_test_message ("%s", error->message);
      g_assert_cmpstr (kg_exchange_get_outcome (kg_error_get_exchange (error)), ==,
                       "response-too-large");
    }

  /* Exactly at the cap is fine. */
  {
    g_autoptr(KgHttpRequest) request = kg_http_request_new ("GET", exact);
    g_autoptr(KgExchange) exchange = NULL;
    g_autoptr(GError) error = NULL;

    kg_http_request_set_max_body (request, 1024 * 1024);
    exchange = send_and_wait (kg_http_get_default (), request, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (kg_exchange_get_response_size (exchange), ==, 1024 * 1024);
  }
}

static void
test_body_cap_default (void)
{
  g_autoptr(TestServer) server = test_server_new (NULL);
  g_autofree char *url = server_url (server, "/big?size=62914560&chunked=1");
  g_autoptr(KgHttpRequest) request = kg_http_request_new ("GET", url);
  g_autoptr(KgExchange) exchange = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  /* 60 MiB streamed against the default 50 MiB cap. */
  exchange = send_and_wait (kg_http_get_default (), request, NULL, &error);
  g_assert_null (exchange);
  g_assert_error (error, KG_ERROR, KG_ERROR_RESPONSE_TOO_LARGE);
  g_test_message ("stopped after %" G_GINT64_FORMAT " ms: %s",
                  (g_get_monotonic_time () - start) / 1000, error->message);
}

static void
test_https_to_plain_port (void)
{
  g_autoptr(TestServer) server = test_server_new (NULL);
  g_autofree char *url = g_strdup_printf ("https%s/json", server->base + strlen ("http"));
  g_autoptr(KgHttpRequest) request = kg_http_request_new ("GET", url);
  g_autoptr(KgExchange) exchange = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsDatabase) database = NULL;
  gint64 start;

  /* Loading the system's CA list the first time takes seconds under
   * sanitizers; it is not what this test measures. */
  database = g_tls_backend_get_default_database (g_tls_backend_get_default ());
  start = g_get_monotonic_time ();

  /* SoupServer waits for the rest of a request that never comes. */
  kg_http_request_set_timeout (request, 1);
  exchange = send_and_wait (kg_http_get_default (), request, NULL, &error);
  g_assert_null (exchange);
  g_test_message ("%s", error->message);
  g_assert_error (error, KG_ERROR, KG_ERROR_TLS);
  g_assert_nonnull (strstr (error->message, "http://"));
  /* 1 s; a TLS set-up alone takes about 3 s in sanitizer builds. */
  g_assert_cmpint (g_get_monotonic_time () - start, <,
                   (g_getenv ("ASAN_OPTIONS") ? 10 : 2) * G_USEC_PER_SEC);
}

/* A plain server that answers anything with an HTTP 400 at once, as nginx
 * or Odoo's werkzeug do when they get a TLS hello. */
static gpointer
plain_answer_thread (gpointer user_data)
{
  GSocket *listener = user_data;
  g_autoptr(GSocket) client = g_socket_accept (listener, NULL, NULL);
  const char *answer = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
  char buffer[512];

  if (client == NULL)
    return NULL;
  g_socket_set_timeout (client, 5);
  g_socket_receive (client, buffer, sizeof buffer, NULL, NULL);
  g_socket_send (client, answer, strlen (answer), NULL, NULL);
  g_socket_shutdown (client, FALSE, TRUE, NULL);
  g_socket_receive (client, buffer, sizeof buffer, NULL, NULL);
  g_socket_close (client, NULL);
  return NULL;
}

static void
test_https_to_plain_answer (void)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSocket) listener = NULL;
  g_autoptr(KgHttpRequest) request = NULL;
  g_autoptr(KgExchange) exchange = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  GThread *thread;

  listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (listener, any, TRUE, &error);
  g_assert_no_error (error);
  g_socket_listen (listener, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (listener, &error);
  g_assert_no_error (error);
  thread = g_thread_new ("plain-answer", plain_answer_thread, listener);

  url = g_strdup_printf ("https://127.0.0.1:%u/json",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  request = kg_http_request_new ("GET", url);
  kg_http_request_set_timeout (request, 5);
  exchange = send_and_wait (kg_http_get_default (), request, NULL, &error);
  g_thread_join (thread);

  g_assert_null (exchange);
  g_test_message ("%s", error->message);
  g_assert_error (error, KG_ERROR, KG_ERROR_TLS);
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
}

static GTlsCertificate *
make_certificate (void)
{
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autofree char *dir = NULL;
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  GTlsCertificate *certificate;
  int status = 0;

  if (openssl == NULL)
    return NULL;

  dir = g_build_filename (kg_test_get_tmpdir (), "tls", NULL);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  cert = g_build_filename (dir, "cert.pem", NULL);
  key = g_build_filename (dir, "key.pem", NULL);

  {
    const char *argv[] = { openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt",
                           "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", cert,
                           "-days", "2", "-subj", "/CN=127.0.0.1",
                           "-addext", "subjectAltName=IP:127.0.0.1", NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err,
                  &status, &error);
    g_assert_no_error (error);
    if (!g_spawn_check_wait_status (status, NULL))
      g_error ("openssl failed: %s", err);
  }

  certificate = g_tls_certificate_new_from_files (cert, key, &error);
  g_assert_no_error (error);
  return certificate;
}

static void
test_tls_self_signed (void)
{
  g_autoptr(GTlsCertificate) certificate = make_certificate ();
  g_autoptr(TestServer) server = NULL;
  g_autoptr(KgHttpRequest) verify = NULL;
  g_autoptr(KgHttpRequest) accept = NULL;
  g_autoptr(KgHttpRequest) verify_again = NULL;
  g_autoptr(KgExchange) exchange = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  if (certificate == NULL)
    {
      kg_test_skip_unless_ci ("openssl is not installed");
      return;
    }

  server = test_server_new (certificate);
  url = server_url (server, "/json");
  g_assert_true (g_str_has_prefix (url, "https://"));

  verify = kg_http_request_new ("GET", url);
  exchange = send_and_wait (kg_http_get_default (), verify, NULL, &error);
  g_assert_null (exchange);
  g_assert_error (error, KG_ERROR, KG_ERROR_TLS);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "certificate authority"));
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  g_clear_error (&error);

  accept = kg_http_request_new ("GET", url);
  kg_http_request_set_tls_policy (accept, KG_TLS_POLICY_ACCEPT_INVALID);
  exchange = send_and_wait (kg_http_get_default (), accept, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kg_exchange_get_status (exchange), ==, 200);
  g_assert_cmpint (kg_exchange_get_timing (exchange)->tls_us, >, 0);
  g_clear_object (&exchange);

  /* Accepting once does not make a verifying request trust the server. */
  verify_again = kg_http_request_new ("GET", url);
  exchange = send_and_wait (kg_http_get_default (), verify_again, NULL, &error);
  g_assert_null (exchange);
  g_assert_error (error, KG_ERROR, KG_ERROR_TLS);
}

static void
test_redaction_everywhere (void)
{
  g_autoptr(TestServer) server = test_server_new (NULL);
  g_autofree char *url = server_url (server, "/json?db=demo&api_key=" KEY);
  g_autoptr(KgHttpRequest) request = json_request (url);
  g_autoptr(KgHttp) http = kg_http_new ();
  g_autoptr(KgHistory) history = kg_history_new (NULL);
  g_autoptr(KgExchange) exchange = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *json = NULL;
  g_autofree char *curl = NULL;
  g_autofree char *history_path = NULL;
  g_autofree char *seen = NULL;
  const char *secrets[] = { KEY, TOKEN, NULL };
  KgExchange *recorded = NULL;
  GPtrArray *lists[2];

  kg_http_request_set_header (request, "Cookie", "session_id=" SESSION);
  kg_http_request_add_secret (request, KG_SECRET_SESSION, SESSION);
  kg_http_set_history (http, G_OBJECT (history));
  g_signal_connect_swapped (http, "exchange-recorded", G_CALLBACK (g_set_object), &recorded);

  exchange = send_and_wait (http, request, NULL, &error);
  g_assert_no_error (error);
  kg_http_record (http, exchange);
  g_assert_true (recorded == exchange);
  g_clear_object (&recorded);
  g_assert_cmpuint (g_list_model_get_n_items (kg_history_get_model (history)), ==, 1);

  seen = server_seen (server, "/json");
  g_assert_nonnull (strstr (seen, "Cookie: session_id=" SESSION));

  object = kg_exchange_to_json (exchange);
  node = json_node_init_object (json_node_alloc (), object);
  json = json_to_string (node, FALSE);
  curl = kg_exchange_to_curl (exchange);
  g_test_message ("%s", curl);
  g_assert_nonnull (strstr (kg_exchange_get_url (exchange), "api_key=<API_KEY>"));
  g_assert_nonnull (strstr (curl, "-H \"X-API-Key: $ODOO_API_KEY\""));
  g_assert_nonnull (strstr (curl, "-H \"Cookie: session_id=$ODOO_SESSION_ID\""));

  history_path = g_file_get_path (kg_history_get_file (history));
  g_assert_true (g_str_has_prefix (history_path, kg_test_get_tmpdir ()));
  g_assert_true (g_file_test (history_path, G_FILE_TEST_EXISTS));

  lists[0] = kg_exchange_get_request_headers (exchange);
  lists[1] = kg_exchange_get_response_headers (exchange);

  for (guint s = 0; secrets[s] != NULL; s++)
    {
      g_assert_null (strstr (kg_exchange_get_url (exchange), secrets[s]));
      g_assert_null (strstr (kg_exchange_get_request_body (exchange), secrets[s]));
      g_assert_null (strstr (kg_exchange_get_response_body (exchange), secrets[s]));
      for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
        for (guint i = 0; i < lists[l]->len; i++)
          {
            KgHeader *header = g_ptr_array_index (lists[l], i);

            g_assert_null (strstr (header->value, secrets[s]));
          }
      g_assert_null (strstr (json, secrets[s]));
      g_assert_null (strstr (curl, secrets[s]));
      g_assert_null (strstr (kg_test_get_logged_text (), secrets[s]));
      g_assert_cmpuint (kg_test_assert_dir_lacks (kg_test_get_tmpdir (), secrets[s]), >=, 1);
    }
  g_assert_null (strstr (json, SESSION));
  g_assert_null (strstr (kg_test_get_logged_text (), SESSION));
  kg_test_assert_dir_lacks (kg_test_get_tmpdir (), SESSION);

  /* The debug line was written (and is what we searched). */
  g_assert_nonnull (strstr (kg_test_get_logged_text (), "/json?db=demo&api_key=<API_KEY>"));
}

/* A search_read-like JSON-RPC answer of about @size bytes; every 50th
 * record carries the key. */
static char *
make_records_json (gsize  size,
                   guint *n_records)
{
  GString *body = g_string_sized_new (size + 1024);
  guint id = 1;

  g_string_append (body, "{\"jsonrpc\": \"2.0\", \"id\": 1, \"result\": [");
  while (body->len < size)
    {
      if (id > 1)
        g_string_append_c (body, ',');
      g_string_append_printf (body,
                              "{\"id\": %u, \"name\": \"Project %u\", \"active\": true, "
                              "\"description\": \"<p>Row %u of the test.</p>\", "
                              "\"user_id\": [6, \"Alice\"], \"tag_ids\": [1, 2, 3], "
                              "\"create_date\": \"2025-07-02 10:11:12\", \"note\": \"%s\"}",
                              id, id, id, id % 50 == 0 ? KEY : "none");
      id++;
    }
  g_string_append (body, "]}");
  *n_records = id - 1;
  return g_string_free (body, FALSE);
}

/* 5 MiB, the size of the bench figure. Under AddressSanitizer with full
 * stacks on every malloc (tests/meson.build) a parse of that takes a minute:
 * 128 KiB there, which still takes more than a second. */
#if defined(__SANITIZE_ADDRESS__)
#define BIG_JSON_SIZE (128 * 1024)
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BIG_JSON_SIZE (128 * 1024)
#endif
#endif
#ifndef BIG_JSON_SIZE
#define BIG_JSON_SIZE (5 * 1024 * 1024)
#endif

typedef struct
{
  gint64 last;
  gint64 max_gap;
  guint  ticks;
} Ticker;

static void
ticker_note (Ticker *ticker)
{
  gint64 now = g_get_monotonic_time ();

  ticker->max_gap = MAX (ticker->max_gap, now - ticker->last);
  ticker->last = now;
}

static gboolean
tick_cb (gpointer user_data)
{
  Ticker *ticker = user_data;

  ticker_note (ticker);
  ticker->ticks++;
  return G_SOURCE_CONTINUE;
}

/* A 5 MiB JSON answer (BIG_JSON_SIZE) is decoded, parsed and redacted off
 * the caller's main context: a 10 ms timer there keeps ticking while the request is in flight
 * (in the app, the main loop keeps drawing). */
static void
test_big_json_off_main_thread (void)
{
  g_autoptr(TestServer) server = test_server_new (NULL);
  g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();
  g_autoptr(KgHttpRequest) request = NULL;
  g_autoptr(KgExchange) exchange = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSource) timer = NULL;
  g_autofree char *url = server_url (server, "/big-json");
  GAsyncResult *pending = NULL;
  Ticker ticker = { 0 };
  JsonNode *root;
  gint64 parse_us;
  gint64 start;
  gint64 total_us;
  guint n_records = 0;
  char *body;
  gsize len;

  body = make_records_json (BIG_JSON_SIZE, &n_records);
  len = strlen (body);
  server->big_json = g_bytes_new_take (body, len);

  /* What the calling thread used to spend: parse, redact, serialise. */
  {
    g_autoptr(KgSecrets) secrets = kg_secrets_new ();
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(JsonNode) redacted = NULL;
    g_autofree char *text = NULL;
    g_autofree char *final = NULL;

    kg_secrets_add (secrets, KG_SECRET_API_KEY, KEY);
    start = g_get_monotonic_time ();
    g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (server->big_json, NULL),
                                               len, NULL));
    redacted = kg_redact_json (secrets, json_parser_get_root (parser));
    text = json_to_string (redacted, FALSE);
    final = kg_secrets_redact (secrets, text);
    parse_us = g_get_monotonic_time () - start;
  }

  request = kg_http_request_new ("POST", url);
  kg_http_request_add_secret (request, KG_SECRET_API_KEY, KEY);
  kg_http_request_set_timeout (request, 120);

  timer = g_timeout_source_new (10);
  g_source_set_callback (timer, tick_cb, &ticker, NULL);
  g_source_attach (timer, context);

  start = ticker.last = g_get_monotonic_time ();
  kg_http_send_async (kg_http_get_default (), request, NULL, kg_test_store_result_cb, &pending);
  result = kg_test_wait_result (&pending);
  ticker_note (&ticker);
  total_us = g_get_monotonic_time () - start;
  g_source_destroy (timer);

  exchange = kg_http_send_finish (kg_http_get_default (), result, &error);
  g_assert_no_error (error);

  g_test_message ("%.1f MiB, %u records: parse + redact on one thread %.0f ms; request %.0f ms; "
                  "caller's main context: %u ticks of 10 ms, longest gap %.1f ms",
                  len / 1048576.0, n_records, parse_us / 1e3, total_us / 1e3, ticker.ticks,
                  ticker.max_gap / 1e3);

  /* The answer is whole, parsed and redacted. */
  g_assert_cmpuint (kg_exchange_get_status (exchange), ==, 200);
  g_assert_cmpuint (kg_exchange_get_response_size (exchange), ==, len);
  root = kg_exchange_get_response_json (exchange);
  g_assert_nonnull (root);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (root),
                                                                         "result")),
                    ==, n_records);
  g_assert_null (strstr (kg_exchange_get_response_body (exchange), KEY));
  g_assert_nonnull (strstr (kg_exchange_get_response_body (exchange), "\"note\":\"<API_KEY>\""));

  /* The main context never stalled for long: not for the parse. */
  g_assert_cmpuint (ticker.ticks, >, 0);
  g_assert_cmpint (ticker.max_gap, <, 300 * 1000);
}

static gboolean
cancel_and_note_cb (gpointer user_data)
{
  GCancellable *cancellable = user_data;

  g_object_set_data (G_OBJECT (cancellable), "cancelled-at",
                     GSIZE_TO_POINTER ((gsize) g_get_monotonic_time ()));
  g_cancellable_cancel (cancellable);
  return G_SOURCE_REMOVE;
}

/* Cancelled while the worker parses the big answer: the caller hears of it at
 * once, the late result of the worker is dropped, and nothing stays behind
 * (the KgHttp, held by the request until its worker is done, goes away). */
static void
test_big_json_cancel_while_processing (void)
{
  g_autoptr(TestServer) server = test_server_new (NULL);
  g_autofree char *url = server_url (server, "/big-json");
  g_autoptr(KgExchange) first = NULL;
  g_autoptr(KgExchange) exchange = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  KgHttp *http = kg_http_new ();
  gpointer http_alive = http;
  gint64 transfer_us;
  gint64 start;
  gint64 whole_us;
  gint64 cancelled_at;
  gint64 answered_at;
  guint n_records = 0;
  char *body;

  body = make_records_json (BIG_JSON_SIZE, &n_records);
  server->big_json = g_bytes_new_take (body, strlen (body));

  /* A first, whole run: how long the transfer alone takes. */
  {
    g_autoptr(KgHttpRequest) request = kg_http_request_new ("GET", url);

    kg_http_request_add_secret (request, KG_SECRET_API_KEY, KEY);
    kg_http_request_set_timeout (request, 120);
    start = g_get_monotonic_time ();
    first = send_and_wait (http, request, NULL, &error);
    whole_us = g_get_monotonic_time () - start;
    g_assert_no_error (error);
    transfer_us = kg_exchange_get_timing (first)->total_us;
  }

  /* The second one is cancelled just after its transfer, during the parse. */
  {
    g_autoptr(KgHttpRequest) request = kg_http_request_new ("GET", url);

    kg_http_request_add_secret (request, KG_SECRET_API_KEY, KEY);
    kg_http_request_set_timeout (request, 120);
    g_timeout_add ((guint) (transfer_us / 1000) + 20, cancel_and_note_cb, cancellable);
    exchange = send_and_wait (http, request, cancellable, &error);
    answered_at = g_get_monotonic_time ();
  }
  g_assert_null (exchange);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  cancelled_at = (gint64) GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (cancellable),
                                                               "cancelled-at"));
  g_assert_cmpint (cancelled_at, >, 0);
  g_test_message ("whole request %.0f ms (transfer %.0f ms); cancelled at +%.0f ms, "
                  "answered %.1f ms later",
                  whole_us / 1e3, transfer_us / 1e3, (transfer_us / 1000 + 20.0),
                  (answered_at - cancelled_at) / 1e3);
  g_assert_cmpint (answered_at - cancelled_at, <, 300 * 1000);

  /* The worker ends on its own; its callback drops the late result. */
  g_object_add_weak_pointer (G_OBJECT (http), &http_alive);
  g_object_unref (http);
  start = g_get_monotonic_time ();
  while (http_alive != NULL && g_get_monotonic_time () - start < 20 * G_USEC_PER_SEC)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (5000);
    }
  g_assert_null (http_alive);
}

/* A request body over the inline limit is redacted in a worker while the
 * request goes out; the exchange has it whether the request succeeds or
 * fails. */
static void
test_large_request_body (void)
{
  g_autoptr(TestServer) server = test_server_new (NULL);
  g_autofree char *url = server_url (server, "/json");
  g_autoptr(GString) text = g_string_new ("{\"params\":{\"args\":[\"demo\",2,\"" KEY "\"],\"rows\":[");
  g_autoptr(JsonNode) node = NULL;

  for (guint i = 0; g_string_append_printf (text, "%s\"row %u\"", i ? "," : "", i), text->len < 300 * 1024; i++)
    ;
  g_string_append (text, ",\"" KEY "\"]}}");
  node = json_from_string (text->str, NULL);
  g_assert_nonnull (node);

  /* Answered. */
  {
    g_autoptr(KgHttpRequest) request = kg_http_request_new ("POST", url);
    g_autoptr(KgExchange) exchange = NULL;
    g_autoptr(GError) error = NULL;
    const char *sent;

    kg_http_request_set_json_body (request, node);
    kg_http_request_add_secret (request, KG_SECRET_API_KEY, KEY);
    exchange = send_and_wait (kg_http_get_default (), request, NULL, &error);
    g_assert_no_error (error);
    sent = kg_exchange_get_request_body (exchange);
    g_assert_nonnull (sent);
    g_assert_cmpuint (strlen (sent), >, 290 * 1024);
    g_assert_null (strstr (sent, KEY));
    g_assert_nonnull (strstr (sent, "[\"demo\",2,\"<API_KEY>\"]"));
    g_assert_null (strstr (kg_exchange_get_response_body (exchange), KEY));
    g_assert_nonnull (kg_exchange_get_response_json (exchange));
  }

  /* Refused at once: the error waits for the redacted body. */
  {
    g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                              G_SOCKET_PROTOCOL_TCP, NULL);
    g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
    g_autoptr(GSocketAddress) bound = NULL;
    g_autoptr(KgHttpRequest) request = NULL;
    g_autoptr(KgExchange) exchange = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *closed_url = NULL;
    KgExchange *carried;

    g_assert_true (g_socket_bind (socket, any, TRUE, NULL));
    bound = g_socket_get_local_address (socket, NULL);
    closed_url = g_strdup_printf ("http://127.0.0.1:%u/jsonrpc",
                                  g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
    g_socket_close (socket, NULL);

    request = kg_http_request_new ("POST", closed_url);
    kg_http_request_set_json_body (request, node);
    kg_http_request_add_secret (request, KG_SECRET_API_KEY, KEY);
    exchange = send_and_wait (kg_http_get_default (), request, NULL, &error);
    g_assert_null (exchange);
    g_assert_error (error, KG_ERROR, KG_ERROR_NETWORK);
    carried = kg_error_get_exchange (error);
    g_assert_nonnull (carried);
    g_assert_nonnull (kg_exchange_get_request_body (carried));
    g_assert_cmpuint (strlen (kg_exchange_get_request_body (carried)), >, 290 * 1024);
    g_assert_null (strstr (kg_exchange_get_request_body (carried), KEY));
  }
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  kg_test_init (&argc, &argv);
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
#ifdef __GLIBC__
  /* meson test sets MALLOC_PERTURB_. With it, glibc 2.36 makes the second
   * multi-MiB JSON parse in a reused thread arena take 30-70 s instead of
   * 0.5 s (memset of every chunk realloc frees; it does not happen in the
   * main arena or without perturbation). The big-json tests parse twice. */
  mallopt (M_PERTURB, 0);
#endif
  kg_test_capture_logs ();

  g_test_add_func ("/core/http/json-round-trip", test_json_round_trip);
  g_test_add_func ("/core/http/html-404", test_html_404);
  g_test_add_func ("/core/http/binary-body", test_binary_body);
  g_test_add_func ("/core/http/timeout", test_timeout);
  g_test_add_func ("/core/http/refused", test_refused);
  g_test_add_func ("/core/http/dns", test_dns);
  g_test_add_func ("/core/http/invalid-url", test_invalid_url);
  g_test_add_func ("/core/http/cancel", test_cancel);
  g_test_add_func ("/core/http/redirect-cross-origin", test_redirect_cross_origin);
  g_test_add_func ("/core/http/redirect-same-origin", test_redirect_same_origin);
  g_test_add_func ("/core/http/redirect-query-credentials", test_redirect_query_credentials);
  g_test_add_func ("/core/http/redirect-post-body", test_redirect_post_body);
  g_test_add_func ("/core/http/redirect-loop", test_redirect_loop);
  g_test_add_func ("/core/http/body-cap", test_body_cap);
  g_test_add_func ("/core/http/body-cap-default", test_body_cap_default);
  g_test_add_func ("/core/http/https-to-plain-port", test_https_to_plain_port);
  g_test_add_func ("/core/http/https-to-plain-answer", test_https_to_plain_answer);
  g_test_add_func ("/core/http/tls-self-signed", test_tls_self_signed);
  g_test_add_func ("/core/http/redaction-everywhere", test_redaction_everywhere);
  g_test_add_func ("/core/http/big-json-off-main-thread", test_big_json_off_main_thread);
  g_test_add_func ("/core/http/big-json-cancel-while-processing",
                   test_big_json_cancel_while_processing);
  g_test_add_func ("/core/http/large-request-body", test_large_request_body);

  ret = g_test_run ();

  /* Idle pool threads that ran a TLS handshake hold GnuTLS's dynamic TLS;
   * LeakSanitizer's exit scan crashes on it. Let them end first: a pool
   * thread waits half a second for more work before it counts as unused. */
  g_usleep (G_USEC_PER_SEC * 7 / 10);
  g_thread_pool_set_max_unused_threads (0);
  g_thread_pool_stop_unused_threads ();
  g_usleep (G_USEC_PER_SEC / 5);

  return ret;
}
