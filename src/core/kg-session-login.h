/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kg-http.h"
#include "kg-profile.h"

G_BEGIN_DECLS

/* Password login through /web/session/authenticate, used only to diagnose.
 * The password is used for this one request and never kept. */
typedef enum {
  KG_SESSION_LOGIN_OK,          /* a full session: password logins work for this user */
  KG_SESSION_LOGIN_TWO_FACTOR,  /* "uid": null with a correct password: 2FA is on */
} KgSessionLoginOutcome;

/* Errors: ACCESS_DENIED (wrong password, or an API key given as password),
 * TOO_MANY_ATTEMPTS (login cooldown), UNKNOWN_DATABASE, transport errors. */
void                  kg_session_login_async  (KgHttp              *http,
                                               KgProfile           *profile,
                                               const char          *password,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
KgSessionLoginOutcome kg_session_login_finish (GAsyncResult        *result,
                                               gint64              *uid,
                                               GError             **error);
/* The exchange behind @result (the login request and its answer, redacted),
 * or NULL when no request was sent. Borrowed from @result. */
KgExchange           *kg_session_login_get_exchange (GAsyncResult   *result);

G_END_DECLS
