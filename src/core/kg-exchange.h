/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "kg-redact.h"

G_BEGIN_DECLS

#define KG_TYPE_EXCHANGE (kg_exchange_get_type ())
G_DECLARE_FINAL_TYPE (KgExchange, kg_exchange, KG, EXCHANGE, GObject)

/* One request/response pair as the user sees it. Everything in it that is
 * shown, stored or exported is REDACTED; only the parsed response JSON
 * (kg_exchange_get_response_json) is the raw server answer, kept in memory
 * for the code that made the request, and never serialised. */

typedef struct
{
  char *name;
  char *value;   /* redacted */
} KgHeader;

/* Durations in microseconds from SoupMessageMetrics; -1 when unknown
 * (e.g. a reused connection has no DNS/connect/TLS time). */
typedef struct
{
  gint64 dns_us;
  gint64 connect_us;
  gint64 tls_us;
  gint64 request_us;     /* sending the request */
  gint64 wait_us;        /* request sent → first response byte */
  gint64 download_us;    /* first byte → last byte */
  gint64 total_us;       /* fetch start → response end */
} KgTiming;

KgExchange     *kg_exchange_new                    (const char   *method,
                                                    const char   *url);
/* Rebuild an exchange from its history JSON (redacted data only). */
KgExchange     *kg_exchange_new_from_json          (JsonObject   *object,
                                                    GError      **error);
/* An entry of a history list: what the list shows (id, start, method, URL,
 * connection, label, status, outcome, total time) and nothing else: no
 * headers, no bodies, no timing phases. @started_us is Unix time in
 * microseconds (G_MININT64: unknown); @outcome is "ok", an error kind nick,
 * "cancelled" or any other text kept as it is. */
KgExchange       *kg_exchange_new_summary            (const char   *id,
                                                      gint64        started_us,
                                                      const char   *method,
                                                      const char   *url,
                                                      const char   *profile_id,
                                                      const char   *label,
                                                      guint         status,
                                                      const char   *outcome,
                                                      gint64        total_us);
JsonObject     *kg_exchange_to_json                (KgExchange   *self);

const char     *kg_exchange_get_id                 (KgExchange   *self);
GDateTime      *kg_exchange_get_started            (KgExchange   *self);
const char     *kg_exchange_get_method             (KgExchange   *self);
const char     *kg_exchange_get_url                (KgExchange   *self); /* redacted */
const char     *kg_exchange_get_profile_id         (KgExchange   *self);
void            kg_exchange_set_profile_id         (KgExchange   *self,
                                                    const char   *profile_id);
/* What the request was for, e.g. "common.authenticate", "token exchange",
 * "create project". */
const char     *kg_exchange_get_label              (KgExchange   *self);
void            kg_exchange_set_label              (KgExchange   *self,
                                                    const char   *label);
/* The step of a flow: "exchange" or "call" (NULL when not part of a flow),
 * or KG_EXCHANGE_STEP_PROBE for a request the 2FA Doctor sends to learn
 * something, whose failure is expected (a made-up password that tells
 * whether the database exists). */
#define KG_EXCHANGE_STEP_PROBE "probe"
const char     *kg_exchange_get_step               (KgExchange   *self);
void            kg_exchange_set_step               (KgExchange   *self,
                                                    const char   *step);

GPtrArray      *kg_exchange_get_request_headers    (KgExchange   *self); /* of KgHeader */
const char     *kg_exchange_get_request_body       (KgExchange   *self);
guint           kg_exchange_get_status             (KgExchange   *self); /* 0: no response */
const char     *kg_exchange_get_reason             (KgExchange   *self);
GPtrArray      *kg_exchange_get_response_headers   (KgExchange   *self); /* of KgHeader */
/* The (redacted) value of the first response header @name, any case. */
const char     *kg_exchange_find_response_header   (KgExchange   *self,
                                                    const char   *name);
const char     *kg_exchange_get_response_content_type (KgExchange *self);
const char     *kg_exchange_get_response_body      (KgExchange   *self); /* redacted text */
gsize           kg_exchange_get_response_size      (KgExchange   *self); /* bytes received */
/* The raw parsed response (NULL when it was not JSON). In memory only. */
JsonNode       *kg_exchange_get_response_json      (KgExchange   *self);
const KgTiming *kg_exchange_get_timing             (KgExchange   *self);

/* Outcome, set by whoever classified the response. */
const GError   *kg_exchange_get_error              (KgExchange   *self);
void            kg_exchange_set_error              (KgExchange   *self,
                                                    const GError *error);
gint64          kg_exchange_get_record_id          (KgExchange   *self); /* 0: none */
void            kg_exchange_set_record_id          (KgExchange   *self,
                                                    gint64        record_id);
/* "ok" or the error kind nick ("access-denied", …). */
const char     *kg_exchange_get_outcome            (KgExchange   *self);

/* Used by kg-http while it fills the exchange. Values must already be
 * redacted by the caller (kg-http does it with the request's KgSecrets). */
void            kg_exchange_add_request_header     (KgExchange   *self,
                                                    const char   *name,
                                                    const char   *value);
void            kg_exchange_set_request_body       (KgExchange   *self,
                                                    const char   *content_type,
                                                    const char   *body);
void            kg_exchange_set_response           (KgExchange   *self,
                                                    guint         status,
                                                    const char   *reason,
                                                    const char   *content_type,
                                                    const char   *redacted_body,
                                                    gsize         size,
                                                    JsonNode     *raw_json);
void            kg_exchange_add_response_header    (KgExchange   *self,
                                                    const char   *name,
                                                    const char   *value);
void            kg_exchange_set_timing             (KgExchange   *self,
                                                    const KgTiming *timing);

/* Added by kg-http's author. */
const char     *kg_exchange_get_request_content_type (KgExchange *self);
/* Redacted URLs of the redirects followed, in order (of char*). */
GPtrArray      *kg_exchange_get_redirects          (KgExchange   *self);
void            kg_exchange_add_redirect           (KgExchange   *self,
                                                    const char   *redacted_url);
/* The secrets of the request: kg_exchange_set_error redacts the error's
 * message with them. */
void            kg_exchange_set_secrets            (KgExchange   *self,
                                                    KgSecrets    *secrets);
/* @text with the request's secrets replaced by placeholders (a copy). */
char           *kg_exchange_redact_text            (KgExchange   *self,
                                                    const char   *text);

G_END_DECLS
