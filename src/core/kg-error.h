/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* kg-exchange.h declares the type; the error only carries it. */
typedef struct _KgExchange KgExchange;

#define KG_ERROR (kg_error_quark ())

/* Every failure a user can meet, classified. The nick of each code is the
 * "kind" printed by keygate-cli --json and stored in the history. */
typedef enum {
  KG_ERROR_NETWORK,              /* network */
  KG_ERROR_TLS,                  /* tls */
  KG_ERROR_TIMEOUT,              /* timeout */
  KG_ERROR_HTTP_STATUS,          /* http-status */
  KG_ERROR_NOT_JSON,             /* not-json */
  KG_ERROR_RESPONSE_TOO_LARGE,   /* response-too-large */
  KG_ERROR_ACCESS_DENIED,        /* access-denied */
  KG_ERROR_TWO_FACTOR_REQUIRED,  /* two-factor-required */
  KG_ERROR_ACCESS_ERROR,         /* access-error: authenticated but not permitted */
  KG_ERROR_VALIDATION,           /* validation */
  KG_ERROR_MISSING_RECORD,       /* missing-record */
  KG_ERROR_UNKNOWN_DATABASE,     /* unknown-database */
  KG_ERROR_SESSION_EXPIRED,      /* session-expired */
  KG_ERROR_TOKEN_MISSING,        /* token-missing */
  KG_ERROR_TOKEN_INVALID,        /* token-invalid */
  KG_ERROR_TOO_MANY_ATTEMPTS,    /* too-many-attempts */
  KG_ERROR_SERVER,               /* server */
  KG_ERROR_KEYRING_UNAVAILABLE,  /* keyring-unavailable */
  KG_ERROR_KEYRING_LOCKED,       /* keyring-locked */
  KG_ERROR_KEY_NOT_FOUND,        /* key-not-found */
  KG_ERROR_INVALID_INPUT,        /* invalid-input: a profile field or argument is wrong */
  KG_ERROR_PROFILE_NOT_FOUND,    /* profile-not-found */
  KG_ERROR_STORE,                /* store: profiles/history file unreadable or corrupt */
} KgErrorCode;

#define KG_ERROR_N_CODES (KG_ERROR_STORE + 1)

/* Exit codes of keygate-cli: part of its contract. */
typedef enum {
  KG_EXIT_OK = 0,
  KG_EXIT_FAILURE = 1,
  KG_EXIT_USAGE = 2,
  KG_EXIT_AUTH = 3,
  KG_EXIT_PERMISSION = 4,
  KG_EXIT_CONNECTION = 5,
  KG_EXIT_SERVER = 6,
  KG_EXIT_KEYRING = 7,
} KgExitCode;

GQuark       kg_error_quark           (void);

const char  *kg_error_code_to_nick    (KgErrorCode  code);
gboolean     kg_error_code_from_nick  (const char  *nick,
                                       KgErrorCode *code);
const char  *kg_error_code_title      (KgErrorCode  code);
const char  *kg_error_code_remedy     (KgErrorCode  code);
KgExitCode   kg_error_code_exit_code  (KgErrorCode  code);

/* Helpers that accept any GError (non-KG errors map to "internal", or
 * "cancelled" for G_IO_ERROR_CANCELLED). */
const char  *kg_error_kind            (const GError *error);
KgExitCode   kg_error_exit_code       (const GError *error);

/* Extra context carried by a KG_ERROR (it survives g_error_copy).
 * remedy: a sentence telling the user what to do (falls back to the
 *         code's default remedy);
 * step:   which step of a flow failed, e.g. "exchange" or "call";
 * http-status: the HTTP status of the response, 0 when there was none;
 * server-message: the server's own words, verbatim. */
void         kg_error_set_remedy          (GError     *error,
                                           const char *remedy);
const char  *kg_error_get_remedy          (const GError *error);
void         kg_error_set_step            (GError     *error,
                                           const char *step);
const char  *kg_error_get_step            (const GError *error);
void         kg_error_set_http_status     (GError     *error,
                                           guint       status);
guint        kg_error_get_http_status     (const GError *error);
void         kg_error_set_server_message  (GError     *error,
                                           const char *message);
const char  *kg_error_get_server_message  (const GError *error);

/* The KgExchange behind the failure (a reference is kept), or NULL. */
void         kg_error_set_exchange        (GError     *error,
                                           KgExchange *exchange);
KgExchange  *kg_error_get_exchange        (const GError *error);

G_END_DECLS
