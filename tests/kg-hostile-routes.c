/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The /hostile/... routes (see kg-hostile-routes.h): a demo server that is slow,
 * answers HTML or broken JSON, answers too much, or redirects. They run in
 * the demo server's context through kg_demo_server_add_handler().
 */
#include "config.h"

#include "kg-hostile-routes.h"

#include <string.h>

#include <json-glib/json-glib.h>

#define HUGE_CHUNK (64 * 1024)

static const char login_page[] =
  "<!DOCTYPE html>\n<html>\n<head><meta charset=\"utf-8\"/><title>Odoo</title></head>\n"
  "<body>\n"
  "<form class=\"oe_login_form\" role=\"form\" method=\"post\" action=\"/web/login\">\n"
  "<input type=\"hidden\" name=\"csrf_token\" "
  "value=\"0000000000000000000000000000000000000000o0\"/>\n"
  "<label for=\"login\">Email</label><input type=\"text\" name=\"login\" id=\"login\"/>\n"
  "<label for=\"password\">Password</label>"
  "<input type=\"password\" name=\"password\" id=\"password\"/>\n"
  "<button type=\"submit\">Log in</button>\n</form>\n</body>\n</html>\n";

static const char garbage[] =
  "{\"jsonrpc\": \"2.0\", \"id\": 1, \"result\": {\"uid\": 6,, <html>\x01 not json";

struct _KgHostileRoutes
{
  KgDemoServer *server;     /* not owned: it owns us */
  GMutex lock;
  guint slow_msec;
  guint huge_mib;
  char *mode;
  char *redirect_base;
  GList *slow_calls;        /* SlowCall, only touched in the server's context */
};

typedef struct {
  KgHostileRoutes *routes;  /* not owned: frees its pending calls */
  SoupServerMessage *msg;
  char *rest;
  GSource *source;
  gulong finished_id;
} SlowCall;

typedef struct {
  guint64 remaining;        /* bytes of filler still to send */
  gboolean closed;
} HugeState;

static void
slow_call_free (SlowCall *call)
{
  if (call->finished_id != 0)
    g_signal_handler_disconnect (call->msg, call->finished_id);
  if (call->source != NULL)
    {
      g_source_destroy (call->source);
      g_source_unref (call->source);
    }
  g_clear_object (&call->msg);
  g_free (call->rest);
  g_free (call);
}

static gboolean
slow_call_fire_cb (gpointer data)
{
  SlowCall *call = data;
  g_autoptr(SoupServerMessage) msg = g_object_ref (call->msg);
  KgDemoServer *server = call->routes->server;
  g_autofree char *rest = g_strdup (call->rest);

  call->routes->slow_calls = g_list_remove (call->routes->slow_calls, call);
  g_clear_pointer (&call->source, g_source_unref);   /* it is being dispatched */
  slow_call_free (call);

  /* The rest of the path is answered normally, even in hostile mode. */
  kg_demo_server_answer (server, msg, rest);
  soup_server_message_unpause (msg);
  return G_SOURCE_REMOVE;
}

static void
slow_call_finished_cb (SoupServerMessage *msg,
                       gpointer           data)
{
  SlowCall *call = data;

  /* The client went away before the answer. */
  call->routes->slow_calls = g_list_remove (call->routes->slow_calls, call);
  slow_call_free (call);
}

static const char *
query_value (GHashTable *query,
             const char *name)
{
  return query ? g_hash_table_lookup (query, name) : NULL;
}

static void
respond_text (SoupServerMessage *msg,
              const char        *content_type,
              const char        *body,
              gsize              length)
{
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_STATIC, body, length);
}

static void
hostile_slow (KgHostileRoutes   *self,
              SoupServerMessage *msg,
              const char        *rest,
              GHashTable        *query)
{
  const char *seconds = query_value (query, "seconds");
  SlowCall *call;
  guint msec;

  g_mutex_lock (&self->lock);
  msec = self->slow_msec;
  g_mutex_unlock (&self->lock);
  if (seconds != NULL)
    msec = (guint) CLAMP (g_ascii_strtod (seconds, NULL) * 1000.0, 0.0, 3600.0 * 1000.0);

  call = g_new0 (SlowCall, 1);
  call->routes = self;
  call->msg = g_object_ref (msg);
  call->rest = g_strdup (rest);
  call->source = g_timeout_source_new (msec);
  g_source_set_callback (call->source, slow_call_fire_cb, call, NULL);
  g_source_attach (call->source, g_main_context_get_thread_default ());
  call->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (slow_call_finished_cb), call);
  self->slow_calls = g_list_prepend (self->slow_calls, call);
  soup_server_message_pause (msg);
}

static void
huge_write_next_cb (SoupServerMessage *msg,
                    gpointer           data)
{
  HugeState *state = data;
  SoupMessageBody *body = soup_server_message_get_response_body (msg);

  if (state->remaining > 0)
    {
      gsize n = (gsize) MIN (state->remaining, HUGE_CHUNK);
      char *chunk = g_malloc (n);

      memset (chunk, 'x', n);
      soup_message_body_append (body, SOUP_MEMORY_TAKE, chunk, n);
      state->remaining -= n;
    }
  else if (!state->closed)
    {
      state->closed = TRUE;
      soup_message_body_append (body, SOUP_MEMORY_STATIC, "\"}", 2);
      soup_message_body_complete (body);
    }
}

static void
hostile_huge (KgHostileRoutes   *self,
              SoupServerMessage *msg,
              GHashTable        *query)
{
  static const char head[] = "{\"jsonrpc\": \"2.0\", \"id\": 1, \"result\": \"";
  const char *mib = query_value (query, "mib");
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  HugeState *state = g_new0 (HugeState, 1);
  guint64 size;

  g_mutex_lock (&self->lock);
  size = mib ? g_ascii_strtoull (mib, NULL, 10) : self->huge_mib;
  g_mutex_unlock (&self->lock);

  state->remaining = size * 1024 * 1024;
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_headers_set_content_type (headers, "application/json", NULL);
  soup_message_body_set_accumulate (body, FALSE);
  soup_message_body_append (body, SOUP_MEMORY_STATIC, head, strlen (head));
  g_signal_connect (msg, "wrote-chunk", G_CALLBACK (huge_write_next_cb), state);
  g_signal_connect_swapped (msg, "finished", G_CALLBACK (g_free), state);
}

static void
hostile_redirect (KgHostileRoutes   *self,
                  SoupServerMessage *msg,
                  const char        *rest,
                  GHashTable        *query)
{
  const char *to = query_value (query, "to");
  const char *status = query_value (query, "status");
  g_autofree char *location = NULL;
  guint code = SOUP_STATUS_FOUND;

  if (status && (g_str_equal (status, "307") || g_str_equal (status, "308")
                 || g_str_equal (status, "301") || g_str_equal (status, "303")))
    code = (guint) g_ascii_strtoull (status, NULL, 10);

  g_mutex_lock (&self->lock);
  if (to != NULL)
    location = g_strdup (to);
  else if (self->redirect_base != NULL)
    location = g_strconcat (self->redirect_base, rest, NULL);
  else
    location = g_strdup (rest);
  g_mutex_unlock (&self->lock);

  soup_server_message_set_redirect (msg, code, location);
}

/* A JSON-RPC answer nested ?levels=N deep (200,000): a recursive parser
 * overflows its stack on it. */
static void
hostile_deep (SoupServerMessage *msg,
              GHashTable        *query)
{
  const char *levels_text = query ? g_hash_table_lookup (query, "levels") : NULL;
  guint levels = levels_text ? (guint) g_ascii_strtoull (levels_text, NULL, 10) : 200000;
  GString *body = g_string_sized_new (2 * (gsize) levels + 64);
  gsize length;

  g_string_append (body, "{\"jsonrpc\": \"2.0\", \"id\": 1, \"result\": ");
  for (guint i = 0; i < levels; i++)
    g_string_append_c (body, '[');
  for (guint i = 0; i < levels; i++)
    g_string_append_c (body, ']');
  g_string_append (body, "}");
  length = body->len;
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    g_string_free (body, FALSE), length);
}

/* 429 with a JSON body and Retry-After: ?retry=VALUE (seconds or a date),
 * none when absent. */
static void
hostile_limited (SoupServerMessage *msg,
                 GHashTable        *query)
{
  static const char body[] = "{\"error\": \"rate_limited\", \"message\": \"Slow down, "
                             "too many requests from your address\"}";
  const char *retry = query ? g_hash_table_lookup (query, "retry") : NULL;

  if (retry != NULL)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  "Retry-After", retry);
  soup_server_message_set_status (msg, 429, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body,
                                    strlen (body));
}

/* A JSON-RPC error whose message repeats the request body (and so the key
 * or password in it), as careless servers do. */
char *
kg_hostile_jsonrpc_error (const char *exception_name,
                          const char *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "jsonrpc");
  json_builder_add_string_value (builder, "2.0");
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_int_value (builder, 200);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, "Odoo Server Error");
  json_builder_set_member_name (builder, "data");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, exception_name);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_set_member_name (builder, "arguments");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, message);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "debug");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/* A JSON-RPC error whose message repeats the request body (and so the key
 * or password in it), as careless servers do. */
static void
hostile_echo (SoupServerMessage *msg)
{
  SoupMessageBody *request = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (request);
  g_autofree char *sent = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_autofree char *message = g_strdup_printf ("Bad request %s for you", sent);
  char *text = kg_hostile_jsonrpc_error ("odoo.exceptions.UserError", message);

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text,
                                    strlen (text));
}

/* Answers @msg as /hostile/@kind/@rest; FALSE for an unknown @kind. */
static gboolean
hostile_answer (KgHostileRoutes   *self,
                SoupServerMessage *msg,
                const char        *kind,
                const char        *rest,
                GHashTable        *query)
{
  if (g_str_equal (kind, "slow"))
    hostile_slow (self, msg, rest, query);
  else if (g_str_equal (kind, "html"))
    respond_text (msg, "text/html; charset=utf-8", login_page, strlen (login_page));
  else if (g_str_equal (kind, "garbage"))
    respond_text (msg, "application/json; charset=utf-8", garbage, strlen (garbage));
  else if (g_str_equal (kind, "huge"))
    hostile_huge (self, msg, query);
  else if (g_str_equal (kind, "redirect"))
    hostile_redirect (self, msg, rest, query);
  else if (g_str_equal (kind, "deep"))
    hostile_deep (msg, query);
  else if (g_str_equal (kind, "limited"))
    hostile_limited (msg, query);
  else if (g_str_equal (kind, "echo"))
    hostile_echo (msg);
  else
    return FALSE;
  return TRUE;
}

static gboolean
hostile_handler (KgDemoServer      *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  KgHostileRoutes *self = user_data;
  g_autofree char *kind = NULL;
  const char *rest;

  if (g_str_has_prefix (path, "/hostile/"))
    {
      const char *start = path + strlen ("/hostile/");
      const char *slash = strchr (start, '/');

      kind = slash ? g_strndup (start, (gsize) (slash - start)) : g_strdup (start);
      rest = slash ? slash : "/";
    }
  else
    {
      g_mutex_lock (&self->lock);
      kind = g_strdup (self->mode);
      g_mutex_unlock (&self->lock);
      rest = path;
    }

  return kind != NULL && hostile_answer (self, msg, kind, rest, query);
}

static void
kg_hostile_routes_free (gpointer data)
{
  KgHostileRoutes *self = data;

  /* The server stopped: drop the calls still waiting. */
  g_list_free_full (g_steal_pointer (&self->slow_calls), (GDestroyNotify) slow_call_free);
  g_mutex_clear (&self->lock);
  g_free (self->mode);
  g_free (self->redirect_base);
  g_free (self);
}

KgHostileRoutes *
kg_hostile_routes_register (KgDemoServer *server)
{
  KgHostileRoutes *self;

  g_return_val_if_fail (KG_IS_DEMO_SERVER (server), NULL);

  self = g_new0 (KgHostileRoutes, 1);
  self->server = server;
  g_mutex_init (&self->lock);
  self->slow_msec = 5000;
  self->huge_mib = 16;
  /* Every path: the mode applies to all of them. */
  kg_demo_server_add_handler (server, NULL, hostile_handler, self, kg_hostile_routes_free);
  return self;
}

void
kg_hostile_routes_set_slow_delay (KgHostileRoutes *self,
                                  guint            msec)
{
  g_return_if_fail (self != NULL);
  g_mutex_lock (&self->lock);
  self->slow_msec = msec;
  g_mutex_unlock (&self->lock);
}

void
kg_hostile_routes_set_huge_size (KgHostileRoutes *self,
                                 guint            mib)
{
  g_return_if_fail (self != NULL);
  g_mutex_lock (&self->lock);
  self->huge_mib = mib;
  g_mutex_unlock (&self->lock);
}

void
kg_hostile_routes_set_mode (KgHostileRoutes *self,
                            const char      *kind)
{
  g_return_if_fail (self != NULL);
  g_mutex_lock (&self->lock);
  g_free (self->mode);
  self->mode = kind && *kind ? g_strdup (kind) : NULL;
  g_mutex_unlock (&self->lock);
}

void
kg_hostile_routes_set_redirect_base (KgHostileRoutes *self,
                                     const char      *base_url)
{
  g_return_if_fail (self != NULL);
  g_mutex_lock (&self->lock);
  g_free (self->redirect_base);
  self->redirect_base = base_url && *base_url ? g_strdup (base_url) : NULL;
  g_mutex_unlock (&self->lock);
}
