/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define KG_TYPE_MODEL_CALL (kg_model_call_get_type ())
G_DECLARE_FINAL_TYPE (KgModelCall, kg_model_call, KG, MODEL_CALL, GObject)

/* One call of an Odoo model method: model, method, positional args and
 * named kwargs, as execute_kw takes them. Immutable once made. */

/* @args / @kwargs (nullable: empty) are referenced. Returns NULL with
 * KG_ERROR_INVALID_INPUT when the model or method name is not one. */
KgModelCall *kg_model_call_new             (const char   *model,
                                            const char   *method,
                                            JsonArray    *args,
                                            JsonObject   *kwargs,
                                            GError      **error);
/* A collection request's "call" object: "model" and "method" (strings,
 * required), "args" (array, default []), "kwargs" (object, default {});
 * other members are ignored. Errors are KG_ERROR_INVALID_INPUT sentences
 * naming the member. */
KgModelCall *kg_model_call_new_from_json   (JsonObject   *call,
                                            GError      **error);

const char  *kg_model_call_get_model       (KgModelCall  *self);
const char  *kg_model_call_get_method      (KgModelCall  *self);
JsonArray   *kg_model_call_get_args        (KgModelCall  *self);
JsonObject  *kg_model_call_get_kwargs      (KgModelCall  *self);

/* The body of POST /json/2/<model>/<method>. JSON-2 takes named arguments
 * only: the positional args of the common ORM methods are given their
 * names (create: vals_list; read: ids, fields, load; write: ids, vals;
 * unlink: ids; search: domain, offset, limit, order; search_read: domain,
 * fields, offset, limit, order; search_count: domain, limit; name_search:
 * name, domain, operator, limit; fields_get: allfields, attributes;
 * web_search_read: domain, specification, offset, limit, order,
 * count_limit) and merged with the kwargs. A name given both ways, too
 * many positional args, or positional args for any other method are
 * KG_ERROR_INVALID_INPUT. Returns a new object node. */
JsonNode    *kg_model_call_to_json2_body   (KgModelCall  *self,
                                            GError      **error);

G_END_DECLS
