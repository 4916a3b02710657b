/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define KG_TYPE_CREATE_SPEC (kg_create_spec_get_type ())
G_DECLARE_FINAL_TYPE (KgCreateSpec, kg_create_spec, KG, CREATE_SPEC, GObject)

/* The REST route that creates a project. Properties (explicit notify):
 *   method ("POST"), path ("/api/project/create"), name-field
 *   ("project_name"), description-field ("project_description"),
 *   id-path ("project_id", a JSON path as kg_json_path_lookup reads it),
 *   message-path ("message"),
 *   extra-fields (a JsonObject merged into every payload; boxed JSON_TYPE_OBJECT). */
KgCreateSpec *kg_create_spec_new                  (void);
KgCreateSpec *kg_create_spec_new_from_json        (JsonObject    *object,
                                                   GError       **error);
JsonObject   *kg_create_spec_to_json              (KgCreateSpec  *self);
KgCreateSpec *kg_create_spec_dup                  (KgCreateSpec  *self);

const char   *kg_create_spec_get_method           (KgCreateSpec  *self);
void          kg_create_spec_set_method           (KgCreateSpec  *self,
                                                   const char    *method);
const char   *kg_create_spec_get_path             (KgCreateSpec  *self);
void          kg_create_spec_set_path             (KgCreateSpec  *self,
                                                   const char    *path);
const char   *kg_create_spec_get_name_field       (KgCreateSpec  *self);
void          kg_create_spec_set_name_field       (KgCreateSpec  *self,
                                                   const char    *field);
const char   *kg_create_spec_get_description_field (KgCreateSpec *self);
void          kg_create_spec_set_description_field (KgCreateSpec *self,
                                                   const char    *field);
const char   *kg_create_spec_get_id_path          (KgCreateSpec  *self);
void          kg_create_spec_set_id_path          (KgCreateSpec  *self,
                                                   const char    *path);
const char   *kg_create_spec_get_message_path     (KgCreateSpec  *self);
void          kg_create_spec_set_message_path     (KgCreateSpec  *self,
                                                   const char    *path);
JsonObject   *kg_create_spec_get_extra_fields     (KgCreateSpec  *self);
void          kg_create_spec_set_extra_fields     (KgCreateSpec  *self,
                                                   JsonObject    *fields);

G_END_DECLS
