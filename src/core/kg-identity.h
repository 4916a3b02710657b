/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "kg-odoo-rpc.h"

G_BEGIN_DECLS

/* Tri-state: the server may not tell us. */
typedef enum {
  KG_TRISTATE_UNKNOWN = -1,
  KG_TRISTATE_FALSE = 0,
  KG_TRISTATE_TRUE = 1,
} KgTristate;

/* One of the user's own API keys as res.users.apikeys shows it. */
typedef struct
{
  char      *name;
  char      *scope;             /* NULL: all scopes */
  GDateTime *create_date;       /* nullable */
  GDateTime *expiration_date;   /* NULL: never expires */
} KgApiKeyInfo;

#define KG_TYPE_IDENTITY (kg_identity_get_type ())
G_DECLARE_FINAL_TYPE (KgIdentity, kg_identity, KG, IDENTITY, GObject)

/* Who a key acts as: authenticate, then res.users read of self (name,
 * login, totp_enabled), project.project has_access [[], "create"] (Odoo 18+;
 * check_access_rights on older servers), and res.users.apikeys search_read
 * on user_id = uid. Steps after authenticate that fail (e.g. a field a
 * version lacks) leave their value unknown rather than failing the whole. */
void          kg_identity_fetch_async          (KgOdooRpc           *rpc,
                                                const char          *api_key,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
KgIdentity   *kg_identity_fetch_finish         (GAsyncResult        *result,
                                                GError             **error);

gint64        kg_identity_get_uid              (KgIdentity *self);
const char   *kg_identity_get_login            (KgIdentity *self);
const char   *kg_identity_get_name             (KgIdentity *self);
KgTristate    kg_identity_get_two_factor       (KgIdentity *self);
KgTristate    kg_identity_get_can_create_projects (KgIdentity *self);
const char   *kg_identity_get_server_version   (KgIdentity *self); /* nullable */
GPtrArray    *kg_identity_get_api_keys         (KgIdentity *self); /* of KgApiKeyInfo */
/* Which of the user's keys is the stored one. Odoo does not say which key
 * authenticated: the profile's key name tells, or the user having a
 * single key does. */
typedef enum {
  KG_KEY_MATCH_UNKNOWN,        /* the user's keys could not be read, or none is listed */
  KG_KEY_MATCH_NAMED,          /* the profile's key name names one of them */
  KG_KEY_MATCH_ONLY_KEY,       /* the user has a single key */
  KG_KEY_MATCH_AMBIGUOUS,      /* several keys and no key name */
  KG_KEY_MATCH_NO_SUCH_NAME,   /* the key name names none of them */
} KgKeyMatch;

/* How close the stored key is to its expiry. */
typedef enum {
  KG_KEY_EXPIRY_FINE,          /* never, later than KG_KEY_EXPIRY_WARN_DAYS, or unknown */
  KG_KEY_EXPIRY_SOON,          /* within KG_KEY_EXPIRY_WARN_DAYS */
  KG_KEY_EXPIRY_EXPIRED,
} KgKeyExpiryState;

#define KG_KEY_EXPIRY_WARN_DAYS 14

KgKeyMatch    kg_identity_get_key_match        (KgIdentity *self);
/* The key name looked for (the profile's), or NULL. */
const char   *kg_identity_get_key_name         (KgIdentity *self);
/* Expiry of the stored key when it is known which key that is (NAMED or
 * ONLY_KEY): NULL for a key that never expires, and whenever it cannot be
 * told. Never another key's expiry. */
GDateTime    *kg_identity_get_key_expiry       (KgIdentity *self);
/* TRUE when the match is NAMED or ONLY_KEY. */
gboolean      kg_identity_get_key_expiry_matched (KgIdentity *self);
/* Whether the stored key has expired or expires within the warning period
 * at @now (NULL: the current time). */
KgKeyExpiryState kg_identity_get_key_expiry_state (KgIdentity *self,
                                                   GDateTime  *now);
/* Whole days from @now (NULL: the current time) to the stored key's
 * expiry, rounded up; 0 without a known expiry or once it has passed. */
guint         kg_identity_get_key_days_left    (KgIdentity *self,
                                                GDateTime  *now);
/* {"uid":…, "login":…, "name":…, "two_factor": true/false/null,
 *  "can_create_projects": …, "key_expiry": ISO-8601 or null,
 *  "key_expiry_matched": …, "key_match": "named"/"only-key"/"ambiguous"/
 *  "no-such-name"/"unknown", "key_expiry_state": "fine"/"soon"/"expired",
 *  "api_keys": […]} */
JsonObject   *kg_identity_to_json              (KgIdentity *self);

G_END_DECLS
