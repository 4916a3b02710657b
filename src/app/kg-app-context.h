/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "keygate-core.h"

G_BEGIN_DECLS

#define KG_APP_CONTEXT_DEMO_PROFILE_ID "demo"

#define KG_TYPE_APP_CONTEXT (kg_app_context_get_type ())
G_DECLARE_FINAL_TYPE (KgAppContext, kg_app_context, KG, APP_CONTEXT, GObject)

/* What every window and page shares: the profile store, the HTTP client
 * (with the history attached), the history, the settings, one token client
 * per profile, whether each profile has a key in the keyring, and the
 * in-process demo server. No widget talks HTTP or D-Bus itself; they go
 * through the core objects reached from here.
 *
 * Signals:
 *   ::key-state-changed (KgProfile *profile)  — after store/forget/refresh
 *   ::error-reported (KgProfile *profile, GError *error) — every page reports
 *     failed operations here; the window offers the 2FA panel on
 *     access-denied / two-factor-required. */
KgAppContext  *kg_app_context_new                 (KgProfileStore *store,
                                                   KgHttp         *http,
                                                   KgHistory      *history,
                                                   GSettings      *settings);
/* The context the application uses: store and history at the XDG paths,
 * settings of APP_ID's schema, kg_http_get_default(). */
KgAppContext  *kg_app_context_new_default         (void);

KgProfileStore *kg_app_context_get_store          (KgAppContext *self);
KgHttp         *kg_app_context_get_http           (KgAppContext *self);
KgHistory      *kg_app_context_get_history        (KgAppContext *self);
GSettings      *kg_app_context_get_settings       (KgAppContext *self);
/* The error of loading the profile store, if any (shown by the window). */
const GError   *kg_app_context_get_load_error     (KgAppContext *self);

KgTokenClient  *kg_app_context_get_token_client   (KgAppContext *self,
                                                   KgProfile    *profile);

/* Key state cache (refreshed asynchronously from the keyring). */
KgTristate      kg_app_context_get_has_key        (KgAppContext *self,
                                                   KgProfile    *profile);
void            kg_app_context_set_has_key        (KgAppContext *self,
                                                   KgProfile    *profile,
                                                   gboolean      has_key);
void            kg_app_context_refresh_key_state  (KgAppContext *self,
                                                   KgProfile    *profile);
/* The key state of every profile of the store, from one keyring search. */
void            kg_app_context_refresh_key_states (KgAppContext *self);

void            kg_app_context_report_error       (KgAppContext *self,
                                                   KgProfile    *profile,
                                                   const GError *error);

/* Starts the bundled demo server in-process (once) and returns its URL. */
const char     *kg_app_context_ensure_demo_server (KgAppContext *self,
                                                   GError      **error);
/* Adds (or refreshes the URL of) the "Demo" connection backed by the demo
 * server, as alice (2FA on), and stores the demo key in the keyring. */
KgProfile      *kg_app_context_add_demo_profile   (KgAppContext *self,
                                                   GError      **error);
/* At start-up: when a Demo connection exists, start the demo server and
 * point it at the new port. */
void            kg_app_context_refresh_demo_profile (KgAppContext *self);

G_END_DECLS
