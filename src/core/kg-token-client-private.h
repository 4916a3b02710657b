/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Shared by the token client (kg-token-client.c: the token and the calls;
 * kg-token-exchange.c: the exchange), the classification of its answers (kg-token-response.c) and
 * the project creation through the token module (kg-record-create.c). Not
 * installed, not for the app. */

#include <json-glib/json-glib.h>

#include "kg-error.h"
#include "kg-http-request.h"
#include "kg-token-client.h"

G_BEGIN_DECLS

struct _KgTokenClient
{
  GObject     parent_instance;

  KgHttp     *http;
  KgProfile  *profile;

  char       *token;        /* the secret: in memory only, wiped when dropped */
  char       *token_type;
  GDateTime  *obtained_at;
  GDateTime  *expires_at;   /* NULL: unknown */

  /* Tasks waiting for the exchange in flight (the first one drives it). */
  GPtrArray  *exchange_waiters;
  gboolean    exchange_in_flight;
};

/* kg-token-client.c */
void         _kg_token_client_set_token           (KgTokenClient *self,
                                                   const char    *token,
                                                   const char    *token_type,
                                                   GDateTime     *expires_at);

/* kg-token-exchange.c: one exchange for every caller waiting on it. */
void         _kg_token_client_exchange            (KgTokenClient       *self,
                                                   const char          *api_key,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean     _kg_token_client_exchange_finish     (KgTokenClient *self,
                                                   GAsyncResult  *result,
                                                   GError       **error);

/* The step an error names (kg_error_get_step). */
#define KG_TOKEN_STEP_EXCHANGE "exchange"
#define KG_TOKEN_STEP_CALL     "call"

static inline gboolean
kg_token_str_empty (const char *text)
{
  return text == NULL || *text == '\0';
}

/* The profile's token spec, or the defaults when it has none. */
KgTokenSpec *kg_token_client_get_spec             (KgTokenClient *self);
KgHttp      *kg_token_client_get_http             (KgTokenClient *self);
/* The json2 preset, also after an edit turned it into "custom". */
gboolean     kg_token_spec_is_json2               (KgTokenSpec   *spec);
/* Timeout, TLS policy, profile id, @label and @step from the profile. */
void         kg_token_client_apply_settings       (KgTokenClient *self,
                                                   KgHttpRequest *request,
                                                   const char    *label,
                                                   const char    *step);
/* Sends @request like kg_token_client_send_async, without recording the
 * exchange: the caller records it once it has read the answer. Finish
 * with kg_token_client_send_finish. */
void         kg_token_client_send_unrecorded_async (KgTokenClient       *self,
                                                    const char          *api_key,
                                                    KgHttpRequest       *request,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);

void         kg_token_append_query                (GString       *url,
                                                   const char    *name,
                                                   const char    *value,
                                                   gboolean       escape_value);
/* kg_json_path_lookup, NULL for an empty or invalid @path. */
JsonNode    *kg_token_path_lookup                 (JsonNode      *root,
                                                   const char    *path);

/* kg-token-response.c: reading the module's answers. */

/* A number, or a string holding one. */
gboolean     kg_token_node_get_number             (JsonNode      *node,
                                                   double        *out);
/* ISO 8601, Odoo's "YYYY-MM-DD HH:MM:SS" (UTC), or Unix seconds (or
 * milliseconds); NULL when it is none of these. */
GDateTime   *kg_token_parse_expires_at            (JsonNode      *node);
/* A KG_ERROR with its step, status, exchange, server message and remedy. */
GError      *kg_token_error_new                   (KgErrorCode    code,
                                                   const char    *step,
                                                   KgExchange    *exchange,
                                                   const char    *server_message,
                                                   const char    *remedy,
                                                   const char    *format,
                                                   ...) G_GNUC_PRINTF (6, 7);
/* The server's words: "message", else "error". */
const char  *kg_token_get_server_message          (KgExchange    *exchange);
/* NULL when the answer is a usable exchange answer (2xx with JSON). */
GError      *kg_token_classify_exchange_response  (KgTokenClient *self,
                                                   KgExchange    *exchange);
/* NULL when the call succeeded. @retried: after a re-exchange. */
GError      *kg_token_classify_call_response      (KgTokenClient *self,
                                                   KgExchange    *exchange,
                                                   gboolean       retried);

G_END_DECLS
