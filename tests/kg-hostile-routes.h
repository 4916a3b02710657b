/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kg-demo-server.h"

G_BEGIN_DECLS

/*
 * Misbehaving-server routes for tests, added to a KgDemoServer. They are not
 * part of the shipped demo server. A path prefix /hostile/KIND is followed by
 * any normal path, so a profile URL "http://127.0.0.1:PORT/hostile/slow"
 * works with every route:
 *   /hostile/slow/REST      waits (?seconds=N, default set_slow_delay: 5 s) and
 *                           then answers REST normally; the wait pauses only
 *                           this message (other requests are served).
 *   /hostile/html/REST      200 text/html: an Odoo-like login page.
 *   /hostile/garbage/REST   200 application/json whose body is not JSON.
 *   /hostile/huge/REST      200 application/json, a valid JSON-RPC result of
 *                           ?mib=N MiB (default set_huge_size: 16), streamed
 *                           with chunked encoding.
 *   /hostile/redirect/REST  302 to ?to=URL, else set_redirect_base + /REST,
 *                           else /REST on this server (?status=307 or 308
 *                           for the method-keeping kinds, 301, 303).
 *   /hostile/deep/REST      200 application/json, a JSON-RPC result nested
 *                           ?levels=N deep (200,000).
 *   /hostile/limited/REST   429 with {"error": "rate_limited", "message": …}
 *                           and Retry-After: ?retry=VALUE when given.
 *   /hostile/echo/REST      a JSON-RPC UserError whose message repeats the
 *                           request body (the key in it).
 * Any other KIND gets the demo server's 404 page.
 */
typedef struct _KgHostileRoutes KgHostileRoutes;

/* The JSON text of an Odoo JSON-RPC error envelope (code 200, "Odoo Server
 * Error") with data.name @exception_name and @message as data.message,
 * data.arguments[0] and data.debug, for servers tests write. */
char            *kg_hostile_jsonrpc_error            (const char      *exception_name,
                                                      const char      *message);

/* Adds the routes to @server (before or after it starts, from any thread).
 * The returned object belongs to @server and lives until the server stops. */
KgHostileRoutes *kg_hostile_routes_register         (KgDemoServer    *server);
/* Default delay of /hostile/slow in milliseconds (5000). */
void             kg_hostile_routes_set_slow_delay    (KgHostileRoutes *self,
                                                      guint            msec);
/* Default size of /hostile/huge in MiB (16). */
void             kg_hostile_routes_set_huge_size     (KgHostileRoutes *self,
                                                      guint            mib);
/* Treat every request as /hostile/KIND/<path> ("slow", "html", "garbage",
 * "huge", "redirect"); NULL turns it off. */
void             kg_hostile_routes_set_mode          (KgHostileRoutes *self,
                                                      const char      *kind);
/* Where /hostile/redirect sends to when the request has no ?to= (a base
 * URL; the rest of the path is appended). NULL: the same server. */
void             kg_hostile_routes_set_redirect_base (KgHostileRoutes *self,
                                                      const char      *base_url);

G_END_DECLS
