/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Where a value (database name, API key) goes in a request. */
typedef enum {
  KG_PARAM_HEADER,   /* "header" */
  KG_PARAM_BODY,     /* "body": a member of a JSON object body */
  KG_PARAM_QUERY,    /* "query": a query parameter */
  KG_PARAM_NONE,     /* "none": not sent */
} KgParamLocation;

/* How the access token (or the key itself) is sent on later calls. */
typedef enum {
  KG_TOKEN_SEND_BEARER,  /* "bearer": Authorization: Bearer <token> */
  KG_TOKEN_SEND_HEADER,  /* "header": <send-header>: <token> */
} KgTokenSend;

typedef enum {
  /* "tutorial": POST /auth/token/apikey, X-Odoo-Database + X-API-Key */
  KG_TOKEN_PRESET_TUTORIAL,
  /* "api-key-header": no exchange, key sent in a header (API-KEY) */
  KG_TOKEN_PRESET_API_KEY_HEADER,
  KG_TOKEN_PRESET_JSON2,           /* "json2": Odoo 19 /json/2, Authorization: bearer <key> */
  KG_TOKEN_PRESET_CUSTOM,          /* "custom" */
} KgTokenPreset;

GType kg_param_location_get_type (void);
GType kg_token_send_get_type     (void);
GType kg_token_preset_get_type   (void);
#define KG_TYPE_PARAM_LOCATION (kg_param_location_get_type ())
#define KG_TYPE_TOKEN_SEND     (kg_token_send_get_type ())
#define KG_TYPE_TOKEN_PRESET   (kg_token_preset_get_type ())

const char *kg_param_location_to_string   (KgParamLocation  location);
gboolean    kg_param_location_from_string (const char      *text,
                                           KgParamLocation *location);
const char *kg_token_send_to_string       (KgTokenSend      send);
gboolean    kg_token_send_from_string     (const char      *text,
                                           KgTokenSend     *send);
const char *kg_token_preset_to_string     (KgTokenPreset    preset);
gboolean    kg_token_preset_from_string   (const char      *text,
                                           KgTokenPreset   *preset);

#define KG_TYPE_TOKEN_SPEC (kg_token_spec_get_type ())
G_DECLARE_FINAL_TYPE (KgTokenSpec, kg_token_spec, KG, TOKEN_SPEC, GObject)

/* How to turn an API key into credentials for REST calls. GObject
 * properties (explicit notify) mirror every field:
 *   preset, exchange (gboolean: FALSE = the key itself is sent on calls),
 *   method ("POST"/"GET"), path, db-location, db-param, key-location,
 *   key-param, token-path (a JSON path for kg_json_path_lookup, e.g. "data.token"),
 *   expires-in-path, expires-at-path, send-as, send-header, lifetime
 *   (seconds to assume when the response gives none; 0 = unknown).
 * Defaults = the tutorial preset. */
KgTokenSpec     *kg_token_spec_new               (void);
KgTokenSpec     *kg_token_spec_new_for_preset    (KgTokenPreset  preset);
void             kg_token_spec_apply_preset      (KgTokenSpec   *self,
                                                  KgTokenPreset  preset);
KgTokenSpec     *kg_token_spec_new_from_json     (JsonObject    *object,
                                                  GError       **error);
JsonObject      *kg_token_spec_to_json           (KgTokenSpec   *self);
KgTokenSpec     *kg_token_spec_dup               (KgTokenSpec   *self);

KgTokenPreset    kg_token_spec_get_preset        (KgTokenSpec   *self);
gboolean         kg_token_spec_get_exchange      (KgTokenSpec   *self);
const char      *kg_token_spec_get_method        (KgTokenSpec   *self);
const char      *kg_token_spec_get_path          (KgTokenSpec   *self);
KgParamLocation  kg_token_spec_get_db_location   (KgTokenSpec   *self);
const char      *kg_token_spec_get_db_param      (KgTokenSpec   *self);
KgParamLocation  kg_token_spec_get_key_location  (KgTokenSpec   *self);
const char      *kg_token_spec_get_key_param     (KgTokenSpec   *self);
const char      *kg_token_spec_get_token_path    (KgTokenSpec   *self);
const char      *kg_token_spec_get_expires_in_path (KgTokenSpec *self);
const char      *kg_token_spec_get_expires_at_path (KgTokenSpec *self);
KgTokenSend      kg_token_spec_get_send_as       (KgTokenSpec   *self);
const char      *kg_token_spec_get_send_header   (KgTokenSpec   *self);
guint            kg_token_spec_get_lifetime      (KgTokenSpec   *self);

/* Setters for each (g_object_set works too). */
void             kg_token_spec_set_exchange      (KgTokenSpec   *self,
                                                  gboolean       exchange);
void             kg_token_spec_set_method        (KgTokenSpec   *self,
                                                  const char    *method);
void             kg_token_spec_set_path          (KgTokenSpec   *self,
                                                  const char    *path);
void             kg_token_spec_set_db_location   (KgTokenSpec   *self,
                                                  KgParamLocation location);
void             kg_token_spec_set_db_param      (KgTokenSpec   *self,
                                                  const char    *param);
void             kg_token_spec_set_key_location  (KgTokenSpec   *self,
                                                  KgParamLocation location);
void             kg_token_spec_set_key_param     (KgTokenSpec   *self,
                                                  const char    *param);
void             kg_token_spec_set_token_path    (KgTokenSpec   *self,
                                                  const char    *path);
void             kg_token_spec_set_expires_in_path (KgTokenSpec *self,
                                                  const char    *path);
void             kg_token_spec_set_expires_at_path (KgTokenSpec *self,
                                                  const char    *path);
void             kg_token_spec_set_send_as       (KgTokenSpec   *self,
                                                  KgTokenSend    send);
void             kg_token_spec_set_send_header   (KgTokenSpec   *self,
                                                  const char    *header);
void             kg_token_spec_set_lifetime      (KgTokenSpec   *self,
                                                  guint          seconds);

G_END_DECLS
