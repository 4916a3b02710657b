/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

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

KgDemoServer *kg_demo_server_new        (void);
/* Listens on 127.0.0.1:@port (0: any free port) in the thread-default main
 * context of the caller. */
gboolean      kg_demo_server_start      (KgDemoServer  *self,
                                         guint          port,
                                         GError       **error);
/* Runs the server in its own thread with its own main context (tests). */
gboolean      kg_demo_server_start_in_thread (KgDemoServer *self,
                                         GError       **error);
void          kg_demo_server_stop       (KgDemoServer  *self);
/* "http://127.0.0.1:PORT" */
const char   *kg_demo_server_get_url    (KgDemoServer  *self);

G_END_DECLS
