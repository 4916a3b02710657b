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
/* Expiry of the stored key: matched by the profile's key-name when known,
 * otherwise the soonest expiry among the user's keys. NULL: none/unknown. */
GDateTime    *kg_identity_get_key_expiry       (KgIdentity *self);
gboolean      kg_identity_get_key_expiry_matched (KgIdentity *self);
/* {"uid":…, "login":…, "name":…, "two_factor": true/false/null,
 *  "can_create_projects": …, "key_expiry": ISO-8601 or null, "api_keys": […]} */
JsonObject   *kg_identity_to_json              (KgIdentity *self);

G_END_DECLS
