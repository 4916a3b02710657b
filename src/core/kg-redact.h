/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The single rule set that keeps secrets out of everything Keygate shows,
 * logs, stores or exports. A known secret is replaced by a placeholder that
 * names its kind (as in the captured transcripts: "<API_KEY>"). */
typedef enum {
  KG_SECRET_API_KEY,   /* "<API_KEY>",  curl: "$ODOO_API_KEY" */
  KG_SECRET_TOKEN,     /* "<TOKEN>",    curl: "$ODOO_TOKEN" */
  KG_SECRET_PASSWORD,  /* "<PASSWORD>", curl: "$ODOO_PASSWORD" */
  KG_SECRET_SESSION,   /* "<SESSION_ID>", curl: "$ODOO_SESSION_ID" */
} KgSecretKind;

const char *kg_secret_kind_placeholder  (KgSecretKind kind);
const char *kg_secret_kind_env_variable (KgSecretKind kind);

/* A set of secret values with their kinds. */
typedef struct _KgSecrets KgSecrets;

KgSecrets  *kg_secrets_new        (void);
KgSecrets  *kg_secrets_ref        (KgSecrets    *self);
void        kg_secrets_unref      (KgSecrets    *self);
void        kg_secrets_add        (KgSecrets    *self,
                                   KgSecretKind  kind,
                                   const char   *value);
/* Returns a newly allocated copy of @text with every known secret replaced
 * by its placeholder. NULL in, NULL out. */
char       *kg_secrets_redact     (KgSecrets    *self,
                                   const char   *text);

/* Header names whose value is always a secret (Authorization, Cookie,
 * Set-Cookie, X-API-Key, API-KEY, X-Access-Token, X-Openerp-Session-Id, …),
 * case-insensitive. */
gboolean    kg_redact_is_secret_header    (const char *name);
/* JSON member names whose value is always a secret (password, api_key,
 * access_token, token, refresh_token, secret, …), case-insensitive. */
gboolean    kg_redact_is_secret_field     (const char *name);

/* Redact a header value: known secrets are replaced by placeholders; a
 * secret header with an unknown value keeps its scheme ("Bearer <REDACTED>"). */
char       *kg_redact_header_value        (KgSecrets  *secrets,
                                           const char *name,
                                           const char *value);
/* Redact a URL: the values of secret query parameters (api_key=, token=,
 * …) and known secrets become placeholders, a password in the user info
 * becomes "<REDACTED>". NULL in, NULL out. */
char       *kg_redact_url                 (KgSecrets  *secrets,
                                           const char *url);
/* Deep copy of @node with known secrets replaced and the values of secret
 * fields replaced by "<REDACTED>" (or the matching placeholder). */
JsonNode   *kg_redact_json                (KgSecrets  *secrets,
                                           JsonNode   *node);
/* Redacts a body: parsed as JSON when it is JSON, text otherwise. */
char       *kg_redact_body                (KgSecrets  *secrets,
                                           const char *content_type,
                                           const char *body);

/* "abcd…wxyz" (first 4 and last 4 characters); all bullets when the value
 * is shorter than 12 characters. For display of a value the user owns. */
char       *kg_redact_mask                (const char *secret);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KgSecrets, kg_secrets_unref)

G_END_DECLS
