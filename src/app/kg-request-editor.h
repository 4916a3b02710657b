/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define KG_TYPE_REQUEST_EDITOR (kg_request_editor_get_type ())
G_DECLARE_FINAL_TYPE (KgRequestEditor, kg_request_editor, KG, REQUEST_EDITOR, AdwBin)

/* Edits one workbench request as the collection format has it: "name" and
 * either "call" (model, method, args, kwargs) or "http" (method, path,
 * auth, query, headers, one body). Members it does not show (capture,
 * expect, origin, …) are kept as they were.
 *
 * Property "valid": every field holds what it must (a model and a method,
 * or a path; JSON that parses and has the right type); when not,
 * kg_request_editor_get_problem() says what to fix.
 *
 * Signals:
 *   ::changed        — the user edited something (not after set_request)
 *   ::activate       — Enter in one of its entries
 *   ::models-wanted  — the model entry got the focus: a good time to load
 *                      the model names for completion */
GtkWidget  *kg_request_editor_new          (void);

/* Shows @request (NULL: a new empty model call). */
void        kg_request_editor_set_request  (KgRequestEditor    *self,
                                            JsonObject         *request);
/* The request as edited (a new object), even when not valid: the fields
 * whose JSON does not parse are left out. */
JsonObject *kg_request_editor_dup_request  (KgRequestEditor    *self);
gboolean    kg_request_editor_get_valid    (KgRequestEditor    *self);
const char *kg_request_editor_get_problem  (KgRequestEditor    *self);
/* Moves the focus to the name, all of it selected (Rename). */
void        kg_request_editor_focus_name   (KgRequestEditor    *self);
/* Model names offered while typing a model: model, display name, model,
 * display name, …, NULL (NULL: none). */
void        kg_request_editor_set_models   (KgRequestEditor    *self,
                                            const char * const *pairs);
/* The fields of @model (fields_get with "string" and "type"), offered
 * while typing in args and kwargs when @model is the model being edited;
 * NULL @fields: none known. */
void        kg_request_editor_set_fields   (KgRequestEditor    *self,
                                            const char         *model,
                                            JsonObject         *fields);
/* The model whose fields are offered, or NULL. */
const char *kg_request_editor_get_fields_model (KgRequestEditor *self);

G_END_DECLS
