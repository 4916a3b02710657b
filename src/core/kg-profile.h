/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "kg-http.h"
#include "kg-token-spec.h"
#include "kg-create-spec.h"

G_BEGIN_DECLS

typedef enum {
  KG_PROTOCOL_JSONRPC,   /* "jsonrpc": Odoo's /jsonrpc execute_kw with the API key */
  KG_PROTOCOL_TOKEN,     /* "token": a token exchange + REST routes (see KgTokenSpec) */
} KgProtocol;

const char *kg_protocol_to_string   (KgProtocol  protocol);
gboolean    kg_protocol_from_string (const char *text,
                                     KgProtocol *protocol);
GType       kg_protocol_get_type    (void);
#define KG_TYPE_PROTOCOL (kg_protocol_get_type ())

/* "verify" / "accept-invalid" (the profile file's and the CLI's words). */
const char *kg_tls_policy_to_string   (KgTlsPolicy  policy);
gboolean    kg_tls_policy_from_string (const char  *text,
                                       KgTlsPolicy *policy);
GType       kg_tls_policy_get_type    (void);
#define KG_TYPE_TLS_POLICY (kg_tls_policy_get_type ())

#define KG_TYPE_PROFILE (kg_profile_get_type ())
G_DECLARE_FINAL_TYPE (KgProfile, kg_profile, KG, PROFILE, GObject)

/* A connection to one Odoo database as one login. Never holds a secret.
 * Properties (all G_PARAM_EXPLICIT_NOTIFY): id, name, url, database, login,
 * protocol, timeout, tls-policy, key-name, token-spec, create-spec,
 * insecure (read-only: http:// to a non-loopback host, or a TLS policy that
 * accepts invalid certificates).
 * "protocol" is a KG_TYPE_PROTOCOL enum, "tls-policy" a guint holding a
 * KgTlsPolicy, "id" is construct-only. Setters trim text; the URL setter
 * also drops trailing slashes. */
KgProfile    *kg_profile_new                (void);   /* fresh random id */
KgProfile    *kg_profile_new_from_json      (JsonObject  *object,
                                             GError     **error);
/* Keeps members it does not know from the object it was loaded from. */
JsonObject   *kg_profile_to_json            (KgProfile   *self);
KgProfile    *kg_profile_dup                (KgProfile   *self);

const char   *kg_profile_get_id             (KgProfile   *self);
const char   *kg_profile_get_name           (KgProfile   *self);
void          kg_profile_set_name           (KgProfile   *self,
                                             const char  *name);
/* Base URL without trailing slash, e.g. "https://odoo.example.com". */
const char   *kg_profile_get_url            (KgProfile   *self);
void          kg_profile_set_url            (KgProfile   *self,
                                             const char  *url);
const char   *kg_profile_get_database       (KgProfile   *self);
void          kg_profile_set_database       (KgProfile   *self,
                                             const char  *database);
const char   *kg_profile_get_login          (KgProfile   *self);
void          kg_profile_set_login          (KgProfile   *self,
                                             const char  *login);
KgProtocol    kg_profile_get_protocol       (KgProfile   *self);
void          kg_profile_set_protocol       (KgProfile   *self,
                                             KgProtocol   protocol);
guint         kg_profile_get_timeout        (KgProfile   *self); /* seconds */
void          kg_profile_set_timeout        (KgProfile   *self,
                                             guint        seconds);
KgTlsPolicy   kg_profile_get_tls_policy     (KgProfile   *self);
void          kg_profile_set_tls_policy     (KgProfile   *self,
                                             KgTlsPolicy  policy);
/* The name the user gave the key in Odoo (to match its expiry), or NULL. */
const char   *kg_profile_get_key_name       (KgProfile   *self);
void          kg_profile_set_key_name       (KgProfile   *self,
                                             const char  *key_name);
KgTokenSpec  *kg_profile_get_token_spec     (KgProfile   *self);
void          kg_profile_set_token_spec     (KgProfile   *self,
                                             KgTokenSpec *spec);
KgCreateSpec *kg_profile_get_create_spec    (KgProfile   *self);
void          kg_profile_set_create_spec    (KgProfile   *self,
                                             KgCreateSpec *spec);

/* http:// to a host that is not loopback: the key would travel in clear. */
gboolean      kg_profile_is_insecure        (KgProfile   *self);
char         *kg_profile_dup_insecure_reason (KgProfile  *self);
/* "host/database" for lists. */
char         *kg_profile_dup_subtitle       (KgProfile   *self);
/* Joins the base URL and @path ("/jsonrpc"). */
char         *kg_profile_build_url          (KgProfile   *self,
                                             const char  *path);
/* Checks every field; the error (KG_ERROR_INVALID_INPUT) names the field
 * and the reason. */
gboolean      kg_profile_validate           (KgProfile   *self,
                                             GError     **error);
/* Field-level validators, shared with the GUI's rows. */
gboolean      kg_profile_validate_url       (const char  *url,
                                             GError     **error);
gboolean      kg_profile_validate_name      (const char  *name,
                                             GError     **error);

G_END_DECLS
