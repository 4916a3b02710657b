/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * KgDemoServer: a small SoupServer that answers like a real Odoo 18 (and, as a
 * switch, Odoo 19) and like the common "API key -> access token" module, in
 * the shape of the captured Odoo exchanges in tests/fixtures/odoo-protocol/
 * (same JSON envelopes, error.data.name values, HTTP statuses and content
 * types), which test-demo-server replays against it. It is a demo: the
 * credentials in kg-demo-server.h are public, and nothing here is a security
 * boundary.
 *
 * Database KG_DEMO_DATABASE. Users: admin (uid 2), alice (uid 6, 2FA on,
 * Project/Administrator), bob (uid 7, no project group), carol (uid 8,
 * Project/User, no 2FA). Keys: see kg-demo-server.h.
 *
 * Routes
 *   POST /jsonrpc                      common.version/authenticate/login,
 *                                      db.list/server_version,
 *                                      object.execute_kw/execute
 *   POST /web/session/authenticate     password login (2FA: {"uid": null}),
 *                                      login cooldown per client address
 *   POST /web/session/get_session_info needs the session_id cookie
 *   POST /web/database/list            (GET: 400 HTML as Odoo does)
 *   POST /web/webclient/version_info
 *   POST /auth/token/apikey            key -> access token (token module)
 *   POST /api/project/create           create with the access token
 *   POST /api/key/project/create       "API key in a header" style (as OCA's
 *                                      auth_api_key does): header API-KEY:
 *                                      <Odoo API key> (+ X-Odoo-Database or
 *                                      body "db"), body as /api/project/create;
 *                                      401 {"error": "Missing API key"} /
 *                                      {"error": "Invalid API key"}, then the
 *                                      same 400/403/404/200 answers.
 *   POST /json/2/<model>/<method>      Odoo 19 JSON-2 (bearer API key)
 *   anything else                      404 text/html page
 *
 * Models reachable through execute_kw and JSON-2: res.users (read,
 * has_group, context_get), res.groups (read), project.project (create,
 * read, search, search_read, search_count, has_access,
 * check_access_rights), res.users.apikeys (search, search_read, unlink:
 * refused). Projects created over any route are shared.
 *
 * The routes live in one file per family (see kg-demo-server-private.h); this
 * file holds the life cycle, the switches and the dispatch. Tests add their
 * own routes (misbehaving servers) with kg_demo_server_add_handler().
 */
#define G_LOG_DOMAIN "keygate-demo"

#include "config.h"

#include "kg-demo-server-private.h"

#include <string.h>

G_DEFINE_FINAL_TYPE (KgDemoServer, kg_demo_server, G_TYPE_OBJECT)

/* One registration per route family, asked in this order. */
static gboolean (* const route_families[]) (KgDemoServer      *self,
                                            SoupServerMessage *msg,
                                            const char        *path) = {
  kg_demo_jsonrpc_route,
  kg_demo_token_route,
  kg_demo_json2_route,
};

static void
demo_handler_free (gpointer data)
{
  DemoHandler *handler = data;

  if (handler->destroy != NULL)
    handler->destroy (handler->user_data);
  g_free (handler->path);
  g_free (handler);
}

static gboolean
demo_handler_matches (const DemoHandler *handler,
                      const char        *path)
{
  gsize len;

  if (handler->path == NULL)
    return TRUE;
  len = strlen (handler->path);
  return strncmp (path, handler->path, len) == 0 && (path[len] == '\0' || path[len] == '/');
}

/* ------------------------------------------------------------------------ */
/* Dispatch                                                                  */

static void
dispatch (KgDemoServer      *self,
          SoupServerMessage *msg,
          const char        *path)
{
  for (guint i = 0; i < G_N_ELEMENTS (route_families); i++)
    if (route_families[i] (self, msg, path))
      return;
  kg_demo_respond_not_found (self, msg);
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  KgDemoServer *self = user_data;
  GSList *handlers;
  guint count;

  g_mutex_lock (&self->lock);
  self->request_count++;
  count = GPOINTER_TO_UINT (g_hash_table_lookup (self->path_counts, path));
  g_hash_table_insert (self->path_counts, g_strdup (path), GUINT_TO_POINTER (count + 1));
  /* New handlers are prepended (older nodes never change) and only this
   * context removes them (at stop), so the list can be walked unlocked. */
  handlers = self->handlers;
  g_mutex_unlock (&self->lock);

  for (const GSList *l = handlers; l != NULL; l = l->next)
    {
      const DemoHandler *handler = l->data;

      if (demo_handler_matches (handler, path)
          && handler->handler (self, msg, path, query, handler->user_data))
        return;
    }

  kg_demo_server_answer (self, msg, path);
}

void
kg_demo_server_answer (KgDemoServer      *self,
                       SoupServerMessage *msg,
                       const char        *path)
{
  g_return_if_fail (KG_IS_DEMO_SERVER (self));
  g_return_if_fail (SOUP_IS_SERVER_MESSAGE (msg));
  g_return_if_fail (path != NULL);

  g_mutex_lock (&self->lock);
  dispatch (self, msg, path);
  g_mutex_unlock (&self->lock);
}

void
kg_demo_server_add_handler (KgDemoServer        *self,
                            const char          *path_prefix,
                            KgDemoServerHandler  handler,
                            gpointer             user_data,
                            GDestroyNotify       destroy)
{
  DemoHandler *entry;

  g_return_if_fail (KG_IS_DEMO_SERVER (self));
  g_return_if_fail (handler != NULL);

  entry = g_new0 (DemoHandler, 1);
  entry->path = g_strdup (path_prefix);
  entry->handler = handler;
  entry->user_data = user_data;
  entry->destroy = destroy;

  g_mutex_lock (&self->lock);
  self->handlers = g_slist_prepend (self->handlers, entry);
  g_mutex_unlock (&self->lock);
}

/* ------------------------------------------------------------------------ */
/* Life cycle                                                                */

static void
kg_demo_server_stop_in_context (KgDemoServer *self)
{
  GSList *handlers;

  if (self->server == NULL)
    return;
  soup_server_disconnect (self->server);

  /* Extra handlers go with the server; their destroy notify runs here, in
   * the server's context, so they can drop what they keep (paused messages,
   * timeouts). */
  g_mutex_lock (&self->lock);
  handlers = g_steal_pointer (&self->handlers);
  g_mutex_unlock (&self->lock);
  g_slist_free_full (handlers, demo_handler_free);

  g_clear_object (&self->server);
}

static void
kg_demo_server_dispose (GObject *object)
{
  KgDemoServer *self = KG_DEMO_SERVER (object);

  kg_demo_server_stop (self);
  G_OBJECT_CLASS (kg_demo_server_parent_class)->dispose (object);
}

static void
kg_demo_server_finalize (GObject *object)
{
  KgDemoServer *self = KG_DEMO_SERVER (object);

  g_free (self->url);
  g_free (self->key_header);
  g_free (self->db_header);
  g_free (self->token_header);
  g_free (self->api_key_header);
  g_free (self->token_path);
  g_free (self->expires_in_path);
  g_clear_pointer (&self->epoch, g_date_time_unref);
  g_clear_pointer (&self->projects, g_ptr_array_unref);
  g_clear_pointer (&self->partners, g_ptr_array_unref);
  g_clear_pointer (&self->tokens, g_hash_table_unref);
  g_clear_pointer (&self->sessions, g_hash_table_unref);
  g_clear_pointer (&self->failures, g_hash_table_unref);
  g_clear_pointer (&self->path_counts, g_hash_table_unref);
  g_slist_free_full (g_steal_pointer (&self->handlers), demo_handler_free);
  g_clear_error (&self->start_error);
  g_mutex_clear (&self->lock);
  g_mutex_clear (&self->start_lock);
  g_cond_clear (&self->start_cond);

  G_OBJECT_CLASS (kg_demo_server_parent_class)->finalize (object);
}

static void
kg_demo_server_class_init (KgDemoServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kg_demo_server_dispose;
  object_class->finalize = kg_demo_server_finalize;
}

static void
kg_demo_server_init (KgDemoServer *self)
{
  g_mutex_init (&self->lock);
  g_mutex_init (&self->start_lock);
  g_cond_init (&self->start_cond);

  self->list_db = TRUE;
  self->json2 = TRUE;
  self->token_lifetime = 3600;
  self->key_header = g_strdup ("X-API-Key");
  self->db_header = g_strdup ("X-Odoo-Database");
  self->token_header = g_strdup ("X-Access-Token");
  self->api_key_header = g_strdup ("API-KEY");
  self->token_path = g_strdup ("access_token");
  self->expires_in_path = g_strdup ("expires_in");
  self->cooldown_after = 10;
  self->cooldown_seconds = 60;

  self->epoch = g_date_time_new_now_utc ();
  self->projects = g_ptr_array_new_with_free_func (kg_demo_project_free);
  self->next_project_id = 1;
  self->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->failures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->path_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  /* One project exists from the start, made by the administrator. */
  kg_demo_add_project (self, "Internal", "Seeded by the demo server", KG_DEMO_ADMIN_UID);
  /* The company and the users' partners. */
  kg_demo_records_init (self);
}

KgDemoServer *
kg_demo_server_new (void)
{
  return g_object_new (KG_TYPE_DEMO_SERVER, NULL);
}

gboolean
kg_demo_server_start (KgDemoServer  *self,
                      guint          port,
                      GError       **error)
{
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  GSList *uris;

  g_return_val_if_fail (KG_IS_DEMO_SERVER (self), FALSE);
  g_return_val_if_fail (self->server == NULL, FALSE);
  g_return_val_if_fail (port <= G_MAXUINT16, FALSE);

  server = soup_server_new ("server-header", "Werkzeug/2.2.2 Python/3.11.2 (keygate-demo) ", NULL);
  soup_server_add_handler (server, NULL, server_cb, self, NULL);
  address = g_inet_socket_address_new_from_string ("127.0.0.1", port);
  if (!soup_server_listen (server, address, 0, error))
    return FALSE;

  uris = soup_server_get_uris (server);
  g_mutex_lock (&self->lock);
  self->port = uris ? (guint) g_uri_get_port (uris->data) : port;
  g_free (self->url);
  self->url = g_strdup_printf ("http://127.0.0.1:%u", self->port);
  self->server = g_steal_pointer (&server);
  g_mutex_unlock (&self->lock);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return TRUE;
}

static gboolean
quit_thread_loop_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static gpointer
server_thread (gpointer data)
{
  KgDemoServer *self = data;
  GError *error = NULL;
  gboolean ok;

  g_main_context_push_thread_default (self->thread_context);
  ok = kg_demo_server_start (self, self->thread_port, &error);

  g_mutex_lock (&self->start_lock);
  self->start_done = TRUE;
  self->start_error = error;
  g_cond_signal (&self->start_cond);
  g_mutex_unlock (&self->start_lock);

  if (ok)
    g_main_loop_run (self->thread_loop);

  kg_demo_server_stop_in_context (self);
  /* Let the server's pending sources finish their cleanup. */
  while (g_main_context_iteration (self->thread_context, FALSE))
    ;
  g_main_context_pop_thread_default (self->thread_context);
  return NULL;
}

gboolean
kg_demo_server_start_in_thread (KgDemoServer  *self,
                                GError       **error)
{
  return kg_demo_server_start_in_thread_on_port (self, 0, error);
}

gboolean
kg_demo_server_start_in_thread_on_port (KgDemoServer  *self,
                                        guint          port,
                                        GError       **error)
{
  g_return_val_if_fail (KG_IS_DEMO_SERVER (self), FALSE);
  g_return_val_if_fail (self->thread == NULL && self->server == NULL, FALSE);

  self->thread_port = port;
  self->thread_context = g_main_context_new ();
  self->thread_loop = g_main_loop_new (self->thread_context, FALSE);
  self->start_done = FALSE;
  self->thread = g_thread_new ("kg-demo-server", server_thread, self);

  g_mutex_lock (&self->start_lock);
  while (!self->start_done)
    g_cond_wait (&self->start_cond, &self->start_lock);
  g_mutex_unlock (&self->start_lock);

  if (self->start_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&self->start_error));
      kg_demo_server_stop (self);
      return FALSE;
    }
  return TRUE;
}

void
kg_demo_server_stop (KgDemoServer *self)
{
  g_return_if_fail (KG_IS_DEMO_SERVER (self));

  if (self->thread != NULL)
    {
      /* Quit from inside the thread's context: a g_main_loop_quit() sent
       * before the thread reached g_main_loop_run() would be lost. */
      g_main_context_invoke (self->thread_context, quit_thread_loop_cb, self->thread_loop);
      g_thread_join (g_steal_pointer (&self->thread));
      g_clear_pointer (&self->thread_loop, g_main_loop_unref);
      g_clear_pointer (&self->thread_context, g_main_context_unref);
      return;
    }
  kg_demo_server_stop_in_context (self);
}

const char *
kg_demo_server_get_url (KgDemoServer *self)
{
  g_return_val_if_fail (KG_IS_DEMO_SERVER (self), NULL);
  return self->url;
}

guint
kg_demo_server_get_port (KgDemoServer *self)
{
  g_return_val_if_fail (KG_IS_DEMO_SERVER (self), 0);
  return self->port;
}

/* ------------------------------------------------------------------------ */
/* Switches                                                                  */

#define LOCKED(stmt) \
  G_STMT_START { g_mutex_lock (&self->lock); stmt; g_mutex_unlock (&self->lock); } G_STMT_END

static void
replace_string (char **field, const char *value, const char *fallback)
{
  g_free (*field);
  *field = g_strdup (value && *value ? value : fallback);
}

void
kg_demo_server_set_odoo19 (KgDemoServer *self, gboolean odoo19)
{
  g_return_if_fail (KG_IS_DEMO_SERVER (self));
  LOCKED (self->odoo19 = !!odoo19);
}

void
kg_demo_server_set_list_db (KgDemoServer *self, gboolean list_db)
{
  g_return_if_fail (KG_IS_DEMO_SERVER (self));
  LOCKED (self->list_db = !!list_db);
}

void
kg_demo_server_set_json2 (KgDemoServer *self, gboolean enabled)
{
  g_return_if_fail (KG_IS_DEMO_SERVER (self));
  LOCKED (self->json2 = !!enabled);
}

void
kg_demo_server_set_token_lifetime (KgDemoServer *self, guint seconds)
{
  g_return_if_fail (KG_IS_DEMO_SERVER (self));
  LOCKED (self->token_lifetime = seconds);
}

void
kg_demo_server_set_key_header (KgDemoServer *self, const char *name)
{
  g_return_if_fail (KG_IS_DEMO_SERVER (self));
  LOCKED (replace_string (&self->key_header, name, "X-API-Key"));
}

void
kg_demo_server_set_db_header (KgDemoServer *self, const char *name)
{
  g_return_if_fail (KG_IS_DEMO_SERVER (self));
  LOCKED (replace_string (&self->db_header, name, "X-Odoo-Database"));
}

void
kg_demo_server_set_token_header (KgDemoServer *self, const char *name)
{
  g_return_if_fail (KG_IS_DEMO_SERVER (self));
  LOCKED (replace_string (&self->token_header, name, "X-Access-Token"));
}

void
kg_demo_server_set_api_key_header (KgDemoServer *self, const char *name)
{
  g_return_if_fail (KG_IS_DEMO_SERVER (self));
  LOCKED (replace_string (&self->api_key_header, name, "API-KEY"));
}

void
kg_demo_server_set_token_path (KgDemoServer *self, const char *path)
{
  g_return_if_fail (KG_IS_DEMO_SERVER (self));
  LOCKED (replace_string (&self->token_path, path, "access_token"));
}

void
kg_demo_server_set_expires_in_path (KgDemoServer *self, const char *path)
{
  g_return_if_fail (KG_IS_DEMO_SERVER (self));
  LOCKED (replace_string (&self->expires_in_path, path, "expires_in"));
}

void
kg_demo_server_revoke_tokens (KgDemoServer *self)
{
  g_return_if_fail (KG_IS_DEMO_SERVER (self));
  LOCKED (g_hash_table_remove_all (self->tokens));
}

void
kg_demo_server_expire_tokens (KgDemoServer *self)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (KG_IS_DEMO_SERVER (self));
  g_mutex_lock (&self->lock);
  g_hash_table_iter_init (&iter, self->tokens);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    ((DemoToken *) value)->expires = kg_demo_server_real_time (self) - G_USEC_PER_SEC;
  g_mutex_unlock (&self->lock);
}

void
kg_demo_server_set_login_cooldown (KgDemoServer *self, guint failures, guint seconds)
{
  g_return_if_fail (KG_IS_DEMO_SERVER (self));
  g_mutex_lock (&self->lock);
  self->cooldown_after = MAX (failures, 1);
  self->cooldown_seconds = seconds;
  g_hash_table_remove_all (self->failures);
  g_mutex_unlock (&self->lock);
}

guint
kg_demo_server_get_request_count (KgDemoServer *self)
{
  guint count;

  g_return_val_if_fail (KG_IS_DEMO_SERVER (self), 0);
  LOCKED (count = self->request_count);
  return count;
}

guint
kg_demo_server_get_path_count (KgDemoServer *self, const char *path)
{
  guint count;

  g_return_val_if_fail (KG_IS_DEMO_SERVER (self), 0);
  g_return_val_if_fail (path != NULL, 0);
  LOCKED (count = GPOINTER_TO_UINT (g_hash_table_lookup (self->path_counts, path)));
  return count;
}

gint64
kg_demo_server_real_time (KgDemoServer *self)
{
  return g_get_real_time () + (gint64) g_atomic_int_get (&self->clock_offset) * G_USEC_PER_SEC;
}

gint64
kg_demo_server_monotonic_time (KgDemoServer *self)
{
  return g_get_monotonic_time () +
         (gint64) g_atomic_int_get (&self->clock_offset) * G_USEC_PER_SEC;
}

void
kg_demo_server_advance_clock (KgDemoServer *self,
                              guint         seconds)
{
  g_return_if_fail (KG_IS_DEMO_SERVER (self));
  g_return_if_fail (seconds <= G_MAXINT / 2);
  g_atomic_int_add (&self->clock_offset, (int) seconds);
}
