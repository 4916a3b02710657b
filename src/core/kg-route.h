/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "kg-profile.h"

G_BEGIN_DECLS

/* Which credentials a route is sent with. */
typedef enum {
  KG_ROUTE_AUTH_NONE,      /* "none" */
  KG_ROUTE_AUTH_API_KEY,   /* "api-key": the key in the header the token spec names */
  KG_ROUTE_AUTH_TOKEN,     /* "token": through the token client (exchange, renewal) */
} KgRouteAuth;

const char *kg_route_auth_to_string   (KgRouteAuth  auth);
gboolean    kg_route_auth_from_string (const char  *text,
                                       KgRouteAuth *auth);

/* What a route's body is. */
typedef enum {
  KG_ROUTE_BODY_NONE,
  KG_ROUTE_BODY_JSON,      /* any JSON value, application/json */
  KG_ROUTE_BODY_FORM,      /* fields, application/x-www-form-urlencoded */
  KG_ROUTE_BODY_DATA,      /* text, text/plain unless a Content-Type header is set */
} KgRouteBody;

#define KG_TYPE_ROUTE (kg_route_get_type ())
G_DECLARE_FINAL_TYPE (KgRoute, kg_route, KG, ROUTE, GObject)

/* One HTTP request to send through a connection: the workbench's "http"
 * object. Names and values of query parameters, headers and form fields
 * keep their order. */

/* @method: GET, POST, PUT, PATCH or DELETE in any case (kept upper case);
 * @path: relative to the connection's URL ("/api/x") or an absolute URL.
 * NULL with KG_ERROR_INVALID_INPUT when either is not valid. */
KgRoute     *kg_route_new                (const char   *method,
                                          const char   *path,
                                          GError      **error);
/* A collection request's "http" object: method, path (required), origin,
 * auth, query, headers, and at most one of json / form / data. Every
 * problem is a KG_ERROR_INVALID_INPUT sentence naming the member. */
KgRoute     *kg_route_new_from_json      (JsonObject   *http,
                                          GError      **error);

const char  *kg_route_get_method         (KgRoute      *self);
const char  *kg_route_get_path           (KgRoute      *self);
/* The one other origin allowed ("https://host[:port]"), or NULL. */
const char  *kg_route_get_origin         (KgRoute      *self);
gboolean     kg_route_set_origin         (KgRoute      *self,
                                          const char   *origin,
                                          GError      **error);
KgRouteAuth  kg_route_get_auth           (KgRoute      *self);
void         kg_route_set_auth           (KgRoute      *self,
                                          KgRouteAuth   auth);
/* Appends one query parameter / header (a header name must be a token,
 * a value may not hold a line break). */
void         kg_route_add_query          (KgRoute      *self,
                                          const char   *name,
                                          const char   *value);
gboolean     kg_route_add_header         (KgRoute      *self,
                                          const char   *name,
                                          const char   *value,
                                          GError      **error);
/* Name, value, name, value… (not owned). */
GPtrArray   *kg_route_get_query          (KgRoute      *self);
GPtrArray   *kg_route_get_headers        (KgRoute      *self);
/* The value of the header @name (any case), or NULL. */
const char  *kg_route_find_header        (KgRoute      *self,
                                          const char   *name);

/* Bodies: setting one replaces any other. */
KgRouteBody  kg_route_get_body_kind      (KgRoute      *self);
void         kg_route_set_json_body      (KgRoute      *self,
                                          JsonNode     *json);
void         kg_route_add_form_field     (KgRoute      *self,
                                          const char   *name,
                                          const char   *value);
void         kg_route_set_data           (KgRoute      *self,
                                          const char   *text);
JsonNode    *kg_route_get_json_body      (KgRoute      *self);
GPtrArray   *kg_route_get_form           (KgRoute      *self);
const char  *kg_route_get_data           (KgRoute      *self);
/* The body as sent and its Content-Type; NULL without a body. */
GBytes      *kg_route_dup_body_bytes     (KgRoute      *self,
                                          char        **content_type);

/* The URL to send to for @profile, query included. A relative path is
 * joined to the profile's URL (its path prefix kept, one slash between);
 * an absolute URL to the profile's own origin is used as is; one to
 * another origin is refused unless kg_route_get_origin names exactly that
 * origin, and then *@foreign is TRUE: no credentials may go there (a route
 * asking for auth other than none is refused). */
char        *kg_route_build_url          (KgRoute      *self,
                                          KgProfile    *profile,
                                          gboolean     *foreign,
                                          GError      **error);

/* "scheme://host[:port]" of @url (lower case, default port left out), or
 * NULL when @url is not an http(s) URL with a host. */
char        *kg_route_dup_origin_of      (const char   *url);

G_END_DECLS
