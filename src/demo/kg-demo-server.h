/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define KG_TYPE_DEMO_SERVER (kg_demo_server_get_type ())
G_DECLARE_FINAL_TYPE (KgDemoServer, kg_demo_server, KG, DEMO_SERVER, GObject)

/* Demo credentials (fixed, documented in the README; demo only). */
#define KG_DEMO_DATABASE     "keygate_demo"
#define KG_DEMO_ALICE_KEY    "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567" /* 2FA on, project admin */
#define KG_DEMO_BOB_KEY      "b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0" /* no project rights */
#define KG_DEMO_CAROL_KEY    "ca501ca501ca501ca501ca501ca501ca501ca501" /* project user, no 2FA */
#define KG_DEMO_EXPIRED_KEY  "dead00000000000000000000000000000000beef" /* alice, expired */
#define KG_DEMO_ALICE_PASSWORD "alice-demo-pw"
#define KG_DEMO_CAROL_PASSWORD "carol-demo-pw"
/* Alice's second key, listed as "CI key" (expires in 10 days). */
#define KG_DEMO_ALICE_CI_KEY "c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1"

/* Fixed demo uids. */
#define KG_DEMO_ADMIN_UID 2
#define KG_DEMO_ALICE_UID 6
#define KG_DEMO_BOB_UID   7
#define KG_DEMO_CAROL_UID 8

/* Where the app's demo server listens when it can (127.0.0.1 only). */
#define KG_DEMO_PREFERRED_PORT 48069

KgDemoServer *kg_demo_server_new        (void);
/* Listens on 127.0.0.1:@port (0: any free port) in the thread-default main
 * context of the caller. */
gboolean      kg_demo_server_start      (KgDemoServer  *self,
                                         guint          port,
                                         GError       **error);
/* Runs the server in its own thread with its own main context, on any
 * free port or on @port (G_IO_ERROR_ADDRESS_IN_USE when it is taken). */
gboolean      kg_demo_server_start_in_thread (KgDemoServer *self,
                                         GError       **error);
gboolean      kg_demo_server_start_in_thread_on_port (KgDemoServer *self,
                                                      guint         port,
                                                      GError      **error);
void          kg_demo_server_stop       (KgDemoServer  *self);
/* "http://127.0.0.1:PORT" */
const char   *kg_demo_server_get_url    (KgDemoServer  *self);
guint         kg_demo_server_get_port   (KgDemoServer  *self);

/* Switches. All are safe to call from any thread, before or after start. */
/* Odoo 19 mode: version 19.0, JSON-RPC error.code 0, group_ids instead of
 * groups_id, read of a missing id gives [] (JSON-2 is served in both modes). */
void          kg_demo_server_set_odoo19          (KgDemoServer *self,
                                                  gboolean      odoo19);
/* FALSE: /web/database/list and db.list answer AccessDenied (list_db = False). */
void          kg_demo_server_set_list_db         (KgDemoServer *self,
                                                  gboolean      list_db);
/* FALSE: /json/2 answers 404 HTML, as an Odoo 18 does. Default TRUE. */
void          kg_demo_server_set_json2           (KgDemoServer *self,
                                                  gboolean      enabled);
/* Access-token lifetime in seconds (default 3600). */
void          kg_demo_server_set_token_lifetime  (KgDemoServer *self,
                                                  guint         seconds);
/* Header names of the token module (NULL restores the default):
 * key "X-API-Key", database "X-Odoo-Database", token "X-Access-Token";
 * the key route's header "API-KEY". */
void          kg_demo_server_set_key_header      (KgDemoServer *self,
                                                  const char   *name);
void          kg_demo_server_set_db_header       (KgDemoServer *self,
                                                  const char   *name);
void          kg_demo_server_set_token_header    (KgDemoServer *self,
                                                  const char   *name);
void          kg_demo_server_set_api_key_header  (KgDemoServer *self,
                                                  const char   *name);
/* Dotted JSON paths of the token and of its lifetime in the exchange answer
 * (defaults "access_token" and "expires_in"; "data.token" nests it). */
void          kg_demo_server_set_token_path      (KgDemoServer *self,
                                                  const char   *path);
void          kg_demo_server_set_expires_in_path (KgDemoServer *self,
                                                  const char   *path);
/* Forget every access token (later calls get 401 "Invalid access token"). */
void          kg_demo_server_revoke_tokens       (KgDemoServer *self);
/* Make every access token expired (401 "Access token expired"). */
void          kg_demo_server_expire_tokens       (KgDemoServer *self);
/* Moves the server's clocks @seconds forward: tokens expire and login
 * cooldowns end as if that time had passed. For tests. */
void          kg_demo_server_advance_clock       (KgDemoServer *self,
                                                  guint         seconds);
/* Login cooldown of /web/session/authenticate: after @failures failures in
 * a row from one address, @seconds of refusal (default 10 and 60). */
void          kg_demo_server_set_login_cooldown  (KgDemoServer *self,
                                                  guint         failures,
                                                  guint         seconds);
/* Extra routes, for tests (misbehaving servers and the like). A handler
 * answers @msg and returns TRUE, or returns FALSE to leave the request to the
 * next handler and then to the built-in routes. It runs in the server's main
 * context, without the server's lock. @path_prefix matches that path and the
 * paths below it; NULL matches every path. Safe to call from any thread,
 * before or after start; the newest handler is asked first. Handlers are
 * dropped (and @destroy called, in the server's context) when the server
 * stops. */
typedef gboolean (*KgDemoServerHandler) (KgDemoServer      *server,
                                         SoupServerMessage *msg,
                                         const char        *path,
                                         GHashTable        *query,
                                         gpointer           user_data);
void          kg_demo_server_add_handler         (KgDemoServer        *self,
                                                  const char          *path_prefix,
                                                  KgDemoServerHandler  handler,
                                                  gpointer             user_data,
                                                  GDestroyNotify       destroy);
/* Answers @msg as the built-in routes answer @path (extra handlers are not
 * asked). Call it from the server's context, e.g. for a delayed answer. */
void          kg_demo_server_answer              (KgDemoServer        *self,
                                                  SoupServerMessage   *msg,
                                                  const char          *path);

/* Number of requests answered so far (any route). */
guint         kg_demo_server_get_request_count   (KgDemoServer *self);
/* Number of requests answered for @path exactly (e.g. "/auth/token/apikey"). */
guint         kg_demo_server_get_path_count      (KgDemoServer *self,
                                                  const char   *path);

G_END_DECLS
