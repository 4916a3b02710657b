/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Core-internal: kg-http's body worker. */

#include <json-glib/json-glib.h>

#include "kg-redact.h"

G_BEGIN_DECLS

/* One body's processing: what went in, and what came out. */
typedef struct
{
  KgSecrets    *secrets;
  char         *content_type;
  GBytes       *body;
  gboolean      parse_json;
  GCancellable *cancellable;   /* the request's: cancelled once the request has its outcome */

  JsonNode     *parsed;        /* out: when parse_json and the body is JSON */
  char         *text;          /* out: the redacted text, NULL when cancelled */
} KgHttpBody;

/* Parses (when @parse_json and the type is JSON) and redacts @body in a
 * worker thread; @callback runs in @context. The text is skipped when
 * @request_cancellable (nullable) is cancelled meanwhile. */
void        kg_http_body_process_async  (KgSecrets           *secrets,
                                         GBytes              *body,
                                         const char          *content_type,
                                         gboolean             parse_json,
                                         GCancellable        *request_cancellable,
                                         GMainContext        *context,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
/* The processed body, owned by @result (steal what you keep: the body may
 * be freed in the worker thread). */
KgHttpBody *kg_http_body_process_finish (GAsyncResult        *result);

/* The body as redacted text for display; a summary for a binary body. */
char       *kg_http_body_to_text        (KgSecrets           *secrets,
                                         const char          *content_type,
                                         const guint8        *bytes,
                                         gsize                len,
                                         JsonNode            *parsed);
gboolean    kg_http_is_json_type        (const char          *content_type);

G_END_DECLS
