/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "keygate-http"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "kg-error.h"
#include "kg-json.h"
#include "kg-history.h"
#include "kg-http.h"
#include "kg-http-body.h"
#include "kg-http-request-private.h"

#define MAX_REDIRECTS 5
#define READ_CHUNK (64 * 1024)
#define REDACTED "<REDACTED>"
/* A request body up to this size is redacted at once on the calling thread
 * (well under a millisecond); a larger one in a worker thread. */
#define INLINE_REDACT_MAX (64 * 1024)

/* KgHttp */

struct _KgHttp
{
  GObject      parent_instance;

  SoupSession *session;
  /* Connections whose certificate was accepted despite errors live in their
   * own pool, so a verifying request never reuses one. */
  SoupSession *insecure_session;
  GObject     *history;
};

G_DEFINE_FINAL_TYPE (KgHttp, kg_http, G_TYPE_OBJECT)

enum {
  EXCHANGE_RECORDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
kg_http_dispose (GObject *object)
{
  KgHttp *self = KG_HTTP (object);

  g_clear_object (&self->session);
  g_clear_object (&self->insecure_session);
  g_clear_object (&self->history);

  G_OBJECT_CLASS (kg_http_parent_class)->dispose (object);
}

static void
kg_http_class_init (KgHttpClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kg_http_dispose;

  /**
   * KgHttp::exchange-recorded:
   * @exchange: the recorded #KgExchange
   */
  signals[EXCHANGE_RECORDED] =
    g_signal_new ("exchange-recorded",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, KG_TYPE_EXCHANGE);
}

static SoupSession *
create_session (void)
{
  /* Timeouts are per request (see timeout_cb). */
  return soup_session_new_with_options ("user-agent", "Keygate/" PACKAGE_VERSION,
                                        "timeout", 0,
                                        "idle-timeout", 60,
                                        NULL);
}

static void
kg_http_init (KgHttp *self)
{
  self->session = create_session ();
}

KgHttp *
kg_http_new (void)
{
  return g_object_new (KG_TYPE_HTTP, NULL);
}

KgHttp *
kg_http_get_default (void)
{
  static KgHttp *default_http;

  if (g_once_init_enter (&default_http))
    g_once_init_leave (&default_http, kg_http_new ());
  return default_http;
}

void
kg_http_set_history (KgHttp  *self,
                     GObject *history)
{
  g_return_if_fail (KG_IS_HTTP (self));
  g_return_if_fail (history == NULL || KG_IS_HISTORY (history));

  g_set_object (&self->history, history);
}

void
kg_http_record (KgHttp     *self,
                KgExchange *exchange)
{
  g_return_if_fail (KG_IS_HTTP (self));
  g_return_if_fail (KG_IS_EXCHANGE (exchange));

  if (self->history != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!kg_history_append (KG_HISTORY (self->history), exchange, &error))
        g_warning ("Could not append to the request history: %s", error->message);
    }

  g_signal_emit (self, signals[EXCHANGE_RECORDED], 0, exchange);
}

/* Sending */

typedef struct
{
  KgHttp              *http;
  KgHttpRequest       *request;
  KgExchange          *exchange;
  SoupSession         *session;

  GCancellable        *cancellable;        /* ours: the user's or the timeout cancel it */
  GSource             *timeout_source;     /* both hold a ref on the task until it returns */
  GSource             *cancelled_source;
  gboolean             timed_out;
  gboolean             returned;           /* the outcome is decided; late callbacks drop */
  gboolean             delivered;          /* the task has its result */
  GError              *error;              /* the outcome when it is an error */
  gboolean             request_body_pending;  /* being redacted in a worker thread */

  GUri                *uri;                /* of the current hop */
  char                *method;             /* of the current hop */
  GBytes              *body;               /* of the current hop */
  guint                n_redirects;
  gboolean             left_origin;        /* secret headers are no longer sent */

  SoupMessage         *msg;
  GInputStream        *stream;
  GByteArray          *received;

  gint64               start_us;
  gint64               wrote_body_us;
  gboolean             tls_handshaking;    /* started, not finished */
  GTlsCertificateFlags tls_errors;
} SendData;

static void
send_data_free (gpointer user_data)
{
  SendData *data = user_data;

  g_assert (data->timeout_source == NULL);
  g_assert (data->cancelled_source == NULL);
  g_clear_error (&data->error);
  g_clear_object (&data->cancellable);
  g_clear_object (&data->http);
  g_clear_pointer (&data->request, kg_http_request_unref);
  g_clear_object (&data->exchange);
  g_clear_object (&data->session);
  g_clear_pointer (&data->uri, g_uri_unref);
  g_clear_pointer (&data->method, g_free);
  g_clear_pointer (&data->body, g_bytes_unref);
  if (data->msg != NULL)
    g_signal_handlers_disconnect_by_data (data->msg, data);
  g_clear_object (&data->msg);
  g_clear_object (&data->stream);
  g_clear_pointer (&data->received, g_byte_array_unref);
  g_free (data);
}

static void start_hop (GTask *task);

static void
stop_timeout (SendData *data)
{
  if (data->timeout_source != NULL)
    {
      g_source_destroy (data->timeout_source);
      g_clear_pointer (&data->timeout_source, g_source_unref);
    }
}

static void
stop_sources (SendData *data)
{
  stop_timeout (data);
  if (data->cancelled_source != NULL)
    {
      g_source_destroy (data->cancelled_source);
      g_clear_pointer (&data->cancelled_source, g_source_unref);
    }
}

static const char *
host_of (SendData *data)
{
  return g_uri_get_host (data->uri) ? g_uri_get_host (data->uri) : "";
}

static char *
describe_tls_errors (GTlsCertificateFlags flags)
{
  g_autoptr(GString) out = g_string_new (NULL);

  static const struct {
    GTlsCertificateFlags flag;
    const char *text;
  } reasons[] = {
    { G_TLS_CERTIFICATE_UNKNOWN_CA,
      N_("it is not signed by a known certificate authority (self-signed?)") },
    { G_TLS_CERTIFICATE_BAD_IDENTITY, N_("it was issued for another host name") },
    { G_TLS_CERTIFICATE_NOT_ACTIVATED, N_("it is not valid yet") },
    { G_TLS_CERTIFICATE_EXPIRED, N_("it has expired") },
    { G_TLS_CERTIFICATE_REVOKED, N_("it has been revoked") },
    { G_TLS_CERTIFICATE_INSECURE, N_("its algorithm is considered insecure") },
    { G_TLS_CERTIFICATE_GENERIC_ERROR, N_("it could not be validated") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (reasons); i++)
    {
      if (flags & reasons[i].flag)
        {
          if (out->len > 0)
            g_string_append (out, "; ");
          g_string_append (out, _(reasons[i].text));
        }
    }

  if (out->len == 0)
    g_string_append (out, _("it was refused"));

  return g_strdup (out->str);
}

/* Turns a transport error into the KG_ERROR a user can act on. */
static GError *
classify_transport_error (SendData     *data,
                          const GError *error)
{
  const char *host = host_of (data);
  int port = g_uri_get_port (data->uri);
  g_autofree char *message = NULL;
  GError *result;

  if (data->timed_out && data->tls_handshaking)
    return g_error_new (KG_ERROR, KG_ERROR_TLS,
                        ngettext ("The secure connection to %s:%d was not set up within "
                                  "%u second: the server may not speak TLS on this port "
                                  "(try http://)",
                                  "The secure connection to %s:%d was not set up within "
                                  "%u seconds: the server may not speak TLS on this port "
                                  "(try http://)",
                                  data->request->timeout),
                        host, port, data->request->timeout);

  if (data->timed_out)
    {
      result = g_error_new (KG_ERROR, KG_ERROR_TIMEOUT,
                            ngettext ("%s did not answer within %u second",
                                      "%s did not answer within %u seconds",
                                      data->request->timeout),
                            host, data->request->timeout);
      return result;
    }

  g_assert (error != NULL);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  message = kg_secrets_redact (data->request->secrets, error->message);

  if (error->domain == G_TLS_ERROR || data->tls_errors != 0)
    {
      if (data->tls_errors != 0)
        {
          g_autofree char *why = describe_tls_errors (data->tls_errors);

          return g_error_new (KG_ERROR, KG_ERROR_TLS,
                              _("The certificate of %s was refused: %s"), host, why);
        }
      if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_NOT_TLS))
        return g_error_new (KG_ERROR, KG_ERROR_TLS,
                            _("%s:%d did not answer with TLS; check whether the URL should "
                              "start with http://"),
                            host, port);
      if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_UNAVAILABLE))
        return g_error_new (KG_ERROR, KG_ERROR_TLS,
                            _("TLS is not available on this system (is glib-networking "
                              "installed?): %s"),
                            message);
      if (data->tls_handshaking)
        return g_error_new (KG_ERROR, KG_ERROR_TLS,
                            _("The secure connection to %s:%d failed (%s): the server may not "
                              "speak TLS on this port (try http://)"), host, port, message);
      return g_error_new (KG_ERROR, KG_ERROR_TLS,
                          _("The secure connection to %s:%d failed: %s"), host, port, message);
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new (KG_ERROR, KG_ERROR_TIMEOUT,
                        _("The connection to %s timed out: %s"), host, message);

  if (error->domain == G_RESOLVER_ERROR)
    return g_error_new (KG_ERROR, KG_ERROR_NETWORK,
                        _("The host name %s could not be resolved: %s"), host, message);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    return g_error_new (KG_ERROR, KG_ERROR_NETWORK,
                        _("%s refused the connection on port %d: is the server running?"),
                        host, port);

  if (error->domain == SOUP_SESSION_ERROR)
    return g_error_new (KG_ERROR, KG_ERROR_NETWORK,
                        _("%s sent an answer that is not valid HTTP: %s"), host, message);

  return g_error_new (KG_ERROR, KG_ERROR_NETWORK,
                      _("Could not reach %s: %s"), host, message);
}

/* Processes @body in a worker (kg-http-body); @callback gets a ref on @task
 * as user data and is called in the request's main context. */
static void
start_body_work (GTask               *task,
                 GBytes              *body,
                 const char          *content_type,
                 gboolean             parse_json,
                 GAsyncReadyCallback  callback)
{
  SendData *data = g_task_get_task_data (task);

  kg_http_body_process_async (data->request->secrets, body, content_type, parse_json,
                              parse_json ? data->cancellable : NULL,
                              g_task_get_context (task), callback, g_object_ref (task));
}

/* Hands the outcome to the caller once it is decided and the request body
 * is redacted (a cancellation does not wait for that). */
static void
deliver (GTask *task)
{
  SendData *data = g_task_get_task_data (task);

  if (data->delivered || !data->returned)
    return;
  if (data->request_body_pending &&
      !g_error_matches (data->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  data->delivered = TRUE;
  if (data->error != NULL)
    g_task_return_error (task, g_steal_pointer (&data->error));
  else
    g_task_return_pointer (task, g_object_ref (data->exchange), g_object_unref);
}

static void
request_body_done_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendData *data = g_task_get_task_data (task);
  KgHttpBody *work = kg_http_body_process_finish (result);
  data->request_body_pending = FALSE;
  if (data->delivered)
    return;

  kg_exchange_set_request_body (data->exchange, data->request->content_type, work->text);
  deliver (task);
}

static void
record_request (GTask *task)
{
  SendData *data = g_task_get_task_data (task);
  SoupMessageHeaders *headers = soup_message_get_request_headers (data->msg);
  SoupMessageHeadersIter iter;
  const char *name;
  const char *value;

  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      g_autofree char *redacted = kg_redact_header_value (data->request->secrets, name, value);

      kg_exchange_add_request_header (data->exchange, name, redacted);
    }

  if (data->body != NULL && g_bytes_get_size (data->body) > INLINE_REDACT_MAX)
    {
      /* Redacted while the request goes out; the outcome waits for it. */
      data->request_body_pending = TRUE;
      start_body_work (task, data->body, data->request->content_type, FALSE,
                       request_body_done_cb);
    }
  else if (data->body != NULL)
    {
      g_autofree char *body = kg_http_body_to_text (data->request->secrets,
                                                    data->request->content_type,
                                                    g_bytes_get_data (data->body, NULL),
                                                    g_bytes_get_size (data->body), NULL);

      kg_exchange_set_request_body (data->exchange, data->request->content_type, body);
    }
}

static gint64
span (guint64 from,
      guint64 to)
{
  if (from == 0 || to == 0 || to < from)
    return -1;
  return (gint64) (to - from);
}

static void
record_timing (SendData *data)
{
  SoupMessageMetrics *metrics = soup_message_get_metrics (data->msg);
  KgTiming timing = { -1, -1, -1, -1, -1, -1, -1 };
  gint64 now = g_get_monotonic_time ();

  if (metrics != NULL)
    {
      guint64 request_start = soup_message_metrics_get_request_start (metrics);
      guint64 response_start = soup_message_metrics_get_response_start (metrics);
      guint64 response_end = soup_message_metrics_get_response_end (metrics);
      guint64 sent = data->wrote_body_us > 0 ? (guint64) data->wrote_body_us : 0;

      const char *host = data->uri != NULL ? g_uri_get_host (data->uri) : NULL;

      /* libsoup reports a "DNS" span for an IP literal too (the address
       * and proxy lookups GIO makes): there was no name to resolve. */
      if (host != NULL && !g_hostname_is_ip_address (host))
        timing.dns_us = span (soup_message_metrics_get_dns_start (metrics),
                              soup_message_metrics_get_dns_end (metrics));
      timing.connect_us = span (soup_message_metrics_get_connect_start (metrics),
                                soup_message_metrics_get_connect_end (metrics));
      timing.tls_us = span (soup_message_metrics_get_tls_start (metrics),
                            soup_message_metrics_get_connect_end (metrics));
      timing.request_us = span (request_start, sent);
      timing.wait_us = span (sent ? sent : request_start, response_start);
      timing.download_us = span (response_start, response_end ? response_end : (guint64) now);
    }

  timing.total_us = MAX (now - data->start_us, 1);
  kg_exchange_set_timing (data->exchange, &timing);
}

static void
log_exchange (SendData   *data,
              const char *outcome)
{
  const KgTiming *timing = kg_exchange_get_timing (data->exchange);

  g_debug ("%s %s → %u %s (%" G_GINT64_FORMAT " ms)",
           kg_exchange_get_method (data->exchange),
           kg_exchange_get_url (data->exchange),
           kg_exchange_get_status (data->exchange),
           outcome,
           timing->total_us / 1000);
}

static void
return_error (GTask  *task,
              GError *error)
{
  SendData *data = g_task_get_task_data (task);

  if (data->returned)
    {
      g_error_free (error);
      return;
    }
  data->returned = TRUE;
  stop_sources (data);
  /* Stop whatever is still running on the wire. */
  g_cancellable_cancel (data->cancellable);

  if (data->msg != NULL)
    record_timing (data);

  if (error->domain == KG_ERROR)
    {
      kg_error_set_step (error, data->request->step);
      kg_error_set_exchange (error, data->exchange);
    }
  kg_exchange_set_error (data->exchange, error);
  log_exchange (data, kg_error_kind (error));

  g_assert (data->error == NULL);
  data->error = error;
  deliver (task);
}

static void
return_transport_error (GTask        *task,
                        const GError *error)
{
  SendData *data = g_task_get_task_data (task);

  return_error (task, classify_transport_error (data, error));
}

static GError *
too_large_error (SendData *data)
{
  g_autofree char *limit = g_format_size_full (data->request->max_body, G_FORMAT_SIZE_IEC_UNITS);
  GError *error = g_error_new (KG_ERROR, KG_ERROR_RESPONSE_TOO_LARGE,
                               _("The answer of %s is larger than %s; Keygate stopped reading it"),
                               host_of (data), limit);

  kg_error_set_http_status (error, soup_message_get_status (data->msg));
  return error;
}

static void
response_body_done_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendData *data = g_task_get_task_data (task);
  KgHttpBody *work = kg_http_body_process_finish (result);
  g_autoptr(JsonNode) parsed = NULL;

  /* Cancelled while the body was processed: that answer was given. */
  if (data->returned)
    return;
  data->returned = TRUE;
  stop_sources (data);

  /* From here on only this thread holds the tree (json-glib's object and
   * array reference counts are not atomic): the work is freed wherever its
   * task is, which may be the worker thread. */
  parsed = g_steal_pointer (&work->parsed);
  g_assert (work->text != NULL);
  kg_exchange_set_response (data->exchange,
                            soup_message_get_status (data->msg),
                            soup_message_get_reason_phrase (data->msg),
                            work->content_type,
                            work->text,
                            g_bytes_get_size (work->body),
                            parsed);

  log_exchange (data, "ok");
  deliver (task);
}

/* The whole body is in: record the timing and the headers here, then parse
 * and redact the body in a worker thread (response_body_done_cb). The
 * request can still be cancelled meanwhile; its timeout no longer runs, as
 * the server did answer in time. */
static void
finish_response (GTask *task)
{
  SendData *data = g_task_get_task_data (task);
  SoupMessageHeaders *headers = soup_message_get_response_headers (data->msg);
  const char *content_type = soup_message_headers_get_one (headers, "Content-Type");
  g_autoptr(GBytes) body = NULL;
  SoupMessageHeadersIter iter;
  const char *name;
  const char *value;

  if (data->returned)
    return;
  stop_timeout (data);

  record_timing (data);

  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      g_autofree char *redacted = kg_redact_header_value (data->request->secrets, name, value);

      kg_exchange_add_response_header (data->exchange, name, redacted);
    }

  body = g_byte_array_free_to_bytes (g_steal_pointer (&data->received));
  start_body_work (task, body, content_type, TRUE, response_body_done_cb);
}

static void
close_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;

  /* The body is complete; a failure to close changes nothing for the user. */
  g_input_stream_close_finish (G_INPUT_STREAM (source), result, NULL);
  finish_response (task);
}

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (data->returned)
    return;
  if (bytes == NULL)
    {
      return_transport_error (task, error);
      return;
    }

  if (g_bytes_get_size (bytes) == 0)
    {
      g_input_stream_close_async (data->stream, G_PRIORITY_DEFAULT, NULL, close_cb,
                                  g_steal_pointer (&task));
      return;
    }

  if (data->received->len + g_bytes_get_size (bytes) > data->request->max_body)
    {
      return_error (task, too_large_error (data));
      return;
    }

  g_byte_array_append (data->received, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_input_stream_read_bytes_async (data->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   data->cancellable, read_cb, g_steal_pointer (&task));
}

static gboolean
same_origin (GUri *a,
             GUri *b)
{
  return g_ascii_strcasecmp (g_uri_get_scheme (a), g_uri_get_scheme (b)) == 0 &&
         g_ascii_strcasecmp (g_uri_get_host (a) ? g_uri_get_host (a) : "",
                             g_uri_get_host (b) ? g_uri_get_host (b) : "") == 0 &&
         g_uri_get_port (a) == g_uri_get_port (b);
}

static gboolean
contains_secret (KgSecrets  *secrets,
                 const char *text,
                 gsize       len)
{
  g_autofree char *copy = g_strndup (text, len);
  g_autofree char *redacted = kg_secrets_redact (secrets, copy);

  return g_strcmp0 (copy, redacted) != 0;
}

/* Returns TRUE when the redirect is followed (or failed). */
static gboolean
maybe_follow_redirect (GTask *task)
{
  SendData *data = g_task_get_task_data (task);
  guint status = soup_message_get_status (data->msg);
  const char *location;
  g_autoptr(GUri) target = NULL;
  g_autofree char *target_string = NULL;
  g_autofree char *redacted = NULL;

  if (!SOUP_STATUS_IS_REDIRECTION (status) || status == SOUP_STATUS_NOT_MODIFIED ||
      status == 300 || status == 305)
    return FALSE;

  location = soup_message_headers_get_one (soup_message_get_response_headers (data->msg),
                                           "Location");
  if (location == NULL)
    return FALSE;

  target = g_uri_parse_relative (data->uri, location, SOUP_HTTP_URI_FLAGS, NULL);
  if (target == NULL ||
      (g_strcmp0 (g_uri_get_scheme (target), "http") != 0 &&
       g_strcmp0 (g_uri_get_scheme (target), "https") != 0))
    return FALSE;

  target_string = g_uri_to_string (target);
  redacted = kg_redact_url (data->request->secrets, target_string);

  if (++data->n_redirects > MAX_REDIRECTS)
    {
      GError *error = g_error_new (KG_ERROR, KG_ERROR_HTTP_STATUS,
                                   _("%s redirected more than %d times; the last target was %s"),
                                   host_of (data), MAX_REDIRECTS, redacted);

      kg_error_set_http_status (error, status);
      return_error (task, error);
      return TRUE;
    }

  /* As browsers do: 303, and 301/302 after a POST, continue as GET. */
  if ((status == SOUP_STATUS_SEE_OTHER && g_strcmp0 (data->method, "HEAD") != 0) ||
      ((status == SOUP_STATUS_MOVED_PERMANENTLY || status == SOUP_STATUS_FOUND) &&
       g_strcmp0 (data->method, "POST") == 0))
    {
      g_free (data->method);
      data->method = g_strdup ("GET");
      g_clear_pointer (&data->body, g_bytes_unref);
    }

  if (!same_origin (data->uri, target))
    {
      data->left_origin = TRUE;

      /* A key placed in the query string (a token spec's query: placement)
       * that the server copies into the Location would go to the other
       * origin in the address itself. */
      if (contains_secret (data->request->secrets, target_string, strlen (target_string)))
        {
          GError *error = g_error_new (KG_ERROR, KG_ERROR_HTTP_STATUS,
                                       _("%s redirected to another server (%s) with a secret in "
                                         "the address; Keygate did not follow"),
                                       host_of (data), redacted);

          kg_error_set_http_status (error, status);
          return_error (task, error);
          return TRUE;
        }

      if (data->body != NULL &&
          contains_secret (data->request->secrets, g_bytes_get_data (data->body, NULL),
                           g_bytes_get_size (data->body)))
        {
          GError *error = g_error_new (KG_ERROR, KG_ERROR_HTTP_STATUS,
                                       _("%s redirected to another server (%s) and the request "
                                         "carries a secret in its body; Keygate did not follow"),
                                       host_of (data), redacted);

          kg_error_set_http_status (error, status);
          return_error (task, error);
          return TRUE;
        }
    }

  g_debug ("Redirect %u to %s%s", status, redacted,
           data->left_origin ? " (another origin: credentials dropped)" : "");

  kg_exchange_add_redirect (data->exchange, redacted);
  g_clear_pointer (&data->uri, g_uri_unref);
  data->uri = g_steal_pointer (&target);
  g_clear_object (&data->stream);
  g_signal_handlers_disconnect_by_data (data->msg, data);
  g_clear_object (&data->msg);
  data->wrote_body_us = 0;
  data->tls_errors = 0;
  data->tls_handshaking = FALSE;

  start_hop (g_object_ref (task));
  return TRUE;
}

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;

  data->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (data->returned)
    return;
  if (data->stream == NULL)
    {
      return_transport_error (task, error);
      return;
    }

  if (maybe_follow_redirect (task))
    return;

  headers = soup_message_get_response_headers (data->msg);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > (goffset) data->request->max_body)
    {
      return_error (task, too_large_error (data));
      return;
    }

  data->received = g_byte_array_new ();
  g_input_stream_read_bytes_async (data->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   data->cancellable, read_cb, g_steal_pointer (&task));
}

static gboolean
accept_certificate_cb (SoupMessage          *msg,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  SendData *data = user_data;

  data->tls_errors = errors;
  if (data->request->tls_policy == KG_TLS_POLICY_ACCEPT_INVALID)
    {
      data->tls_errors = 0;
      return TRUE;
    }
  return FALSE;
}

static void
wrote_body_cb (SoupMessage *msg,
               gpointer     user_data)
{
  SendData *data = user_data;

  data->wrote_body_us = g_get_monotonic_time ();
}

static void
network_event_cb (SoupMessage        *msg,
                  GSocketClientEvent  event,
                  GIOStream          *connection,
                  gpointer            user_data)
{
  SendData *data = user_data;

  if (event == G_SOCKET_CLIENT_TLS_HANDSHAKING)
    data->tls_handshaking = TRUE;
  else if (event == G_SOCKET_CLIENT_TLS_HANDSHAKED)
    data->tls_handshaking = FALSE;
}

static gboolean
header_may_leave_origin (SendData            *data,
                         KgHttpRequestHeader *header)
{
  return !kg_redact_is_secret_header (header->name) &&
         !contains_secret (data->request->secrets, header->value, strlen (header->value));
}

static void
start_hop (GTask *task_in)
{
  g_autoptr(GTask) task = task_in;
  SendData *data = g_task_get_task_data (task);
  SoupMessageHeaders *headers;

  data->msg = soup_message_new_from_uri (data->method, data->uri);
  soup_message_add_flags (data->msg, SOUP_MESSAGE_NO_REDIRECT | SOUP_MESSAGE_COLLECT_METRICS);
  headers = soup_message_get_request_headers (data->msg);

  for (guint i = 0; i < data->request->headers->len; i++)
    {
      KgHttpRequestHeader *header = g_ptr_array_index (data->request->headers, i);

      if (data->left_origin && !header_may_leave_origin (data, header))
        continue;
      soup_message_headers_replace (headers, header->name, header->value);
    }

  if (soup_message_headers_get_one (headers, "User-Agent") == NULL)
    soup_message_headers_replace (headers, "User-Agent", "Keygate/" PACKAGE_VERSION);

  if (data->body != NULL)
    soup_message_set_request_body_from_bytes (data->msg, data->request->content_type, data->body);

  /* The exchange shows the request as the caller made it, before any
   * redirect; the redirects followed are listed beside it. */
  if (data->n_redirects == 0)
    record_request (task);

  g_signal_connect (data->msg, "accept-certificate", G_CALLBACK (accept_certificate_cb), data);
  g_signal_connect (data->msg, "wrote-body", G_CALLBACK (wrote_body_cb), data);
  g_signal_connect (data->msg, "network-event", G_CALLBACK (network_event_cb), data);

  soup_session_send_async (data->session, data->msg, G_PRIORITY_DEFAULT, data->cancellable,
                           send_cb, g_steal_pointer (&task));
}

static gboolean
timeout_cb (gpointer user_data)
{
  GTask *task = user_data;
  SendData *data = g_task_get_task_data (task);

  /* Answer now: a cancelled TLS handshake can take seconds to unwind. */
  data->timed_out = TRUE;
  return_error (task, classify_transport_error (data, NULL));
  return G_SOURCE_REMOVE;
}

static gboolean
cancelled_cb (GCancellable *cancellable,
              gpointer      user_data)
{
  GTask *task = user_data;

  return_error (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                           _("The request was cancelled")));
  return G_SOURCE_REMOVE;
}

static SoupSession *
get_session (KgHttp      *self,
             KgTlsPolicy  policy)
{
  if (policy == KG_TLS_POLICY_VERIFY)
    return self->session;

  if (self->insecure_session == NULL)
    self->insecure_session = create_session ();
  return self->insecure_session;
}

void
kg_http_send_async (KgHttp              *self,
                    KgHttpRequest       *request,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *redacted_url = NULL;
  SendData *data;

  g_return_if_fail (KG_IS_HTTP (self));
  g_return_if_fail (request != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kg_http_send_async);

  redacted_url = kg_redact_url (request->secrets, request->url);

  data = g_new0 (SendData, 1);
  data->http = g_object_ref (self);
  data->request = kg_http_request_ref (request);
  data->exchange = kg_exchange_new (request->method, redacted_url);
  data->session = g_object_ref (get_session (self, request->tls_policy));
  data->method = g_strdup (request->method);
  data->body = request->body ? g_bytes_ref (request->body) : NULL;
  data->start_us = g_get_monotonic_time ();
  data->cancellable = g_cancellable_new ();
  g_task_set_task_data (task, data, send_data_free);

  kg_exchange_set_secrets (data->exchange, request->secrets);
  kg_exchange_set_label (data->exchange, request->label);
  kg_exchange_set_step (data->exchange, request->step);
  kg_exchange_set_profile_id (data->exchange, request->profile_id);

  uri = g_uri_parse (request->url, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL ||
      (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 &&
       g_strcmp0 (g_uri_get_scheme (uri), "https") != 0) ||
      g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      return_error (task, g_error_new (KG_ERROR, KG_ERROR_INVALID_INPUT,
                                       _("“%s” is not an http:// or https:// URL"),
                                       redacted_url));
      return;
    }
  data->uri = g_steal_pointer (&uri);

  if (cancellable != NULL)
    {
      data->cancelled_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (data->cancelled_source, G_SOURCE_FUNC (cancelled_cb),
                             g_object_ref (task), g_object_unref);
      g_source_set_name (data->cancelled_source, "[keygate] request cancelled");
      g_source_attach (data->cancelled_source, g_task_get_context (task));
    }

  if (request->timeout > 0)
    {
      data->timeout_source = g_timeout_source_new (request->timeout * 1000);
      g_source_set_callback (data->timeout_source, timeout_cb, g_object_ref (task),
                             g_object_unref);
      g_source_set_name (data->timeout_source, "[keygate] request timeout");
      g_source_attach (data->timeout_source, g_task_get_context (task));
    }

  start_hop (g_steal_pointer (&task));
}

KgExchange *
kg_http_send_finish (KgHttp        *self,
                     GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (KG_IS_HTTP (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kg_http_send_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
