/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "kg-expect.h"

G_BEGIN_DECLS

/* What a collection request sends. */
typedef enum {
  KG_REQUEST_KIND_CALL,   /* "call": a model method */
  KG_REQUEST_KIND_HTTP,   /* "http": a route */
} KgRequestKind;

GType kg_request_kind_get_type (void);
#define KG_TYPE_REQUEST_KIND (kg_request_kind_get_type ())

#define KG_TYPE_COLLECTION_REQUEST (kg_collection_request_get_type ())
G_DECLARE_FINAL_TYPE (KgCollectionRequest, kg_collection_request, KG, COLLECTION_REQUEST,
                      GObject)

/* One request of a collection, as the file has it (placeholders not yet
 * substituted). Properties (notify on change): "name", "kind", "summary"
 * (read-only: "project.project.create", "POST /api/project/create").
 * The JSON objects handed out are the request's own: do not change them,
 * set new ones. Members Keygate does not know are kept for saving. */

/* A request named @name calling @method of @model with no arguments. */
KgCollectionRequest *kg_collection_request_new              (const char           *name,
                                                             const char           *model,
                                                             const char           *method);
/* The request @object of a collection file: "name" (string, required),
 * exactly one of "call" / "http" (shapes checked: members and their
 * types), "capture", "expect". Errors are KG_ERROR_INVALID_INPUT
 * sentences; the collection adds the file and the request's number. */
KgCollectionRequest *kg_collection_request_new_from_json    (JsonObject           *object,
                                                             GError              **error);
/* The request as a collection file holds it (a new object). */
JsonObject          *kg_collection_request_to_json          (KgCollectionRequest  *self);
KgCollectionRequest *kg_collection_request_copy             (KgCollectionRequest  *self);

const char          *kg_collection_request_get_name         (KgCollectionRequest  *self);
void                 kg_collection_request_set_name         (KgCollectionRequest  *self,
                                                             const char           *name);
KgRequestKind        kg_collection_request_get_kind         (KgCollectionRequest  *self);
/* The "call" or "http" object, per the kind. */
JsonObject          *kg_collection_request_get_body         (KgCollectionRequest  *self);
/* Checks @body's shape for @kind and takes a deep copy. */
gboolean             kg_collection_request_set_body         (KgCollectionRequest  *self,
                                                             KgRequestKind         kind,
                                                             JsonObject           *body,
                                                             GError              **error);
char                *kg_collection_request_dup_summary      (KgCollectionRequest  *self);
/* "capture": name → JSON path, or NULL. */
JsonObject          *kg_collection_request_get_capture      (KgCollectionRequest  *self);
gboolean             kg_collection_request_set_capture      (KgCollectionRequest  *self,
                                                             JsonObject           *capture,
                                                             GError              **error);
/* "expect" as written (NULL when none) and parsed (never NULL: the
 * default when none). */
JsonObject          *kg_collection_request_get_expect_json  (KgCollectionRequest  *self);
KgExpect            *kg_collection_request_get_expect       (KgCollectionRequest  *self);
gboolean             kg_collection_request_set_expect       (KgCollectionRequest  *self,
                                                             JsonObject           *expect,
                                                             GError              **error);

/* Checks the shape of a "call" / "http" object (what a file may hold
 * before its placeholders are substituted). */
gboolean             kg_collection_request_check_body       (KgRequestKind         kind,
                                                             JsonObject           *body,
                                                             GError              **error);

G_END_DECLS
