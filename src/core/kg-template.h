/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Where a variable comes from; a later layer wins over an earlier one. */
typedef enum {
  KG_VARIABLES_COLLECTION,   /* the collection's "variables" */
  KG_VARIABLES_CAPTURED,     /* captured from earlier requests of a run */
  KG_VARIABLES_OVERRIDE,     /* --var NAME=VALUE, the GUI's run dialog */
} KgVariablesLayer;

#define KG_TYPE_VARIABLES (kg_variables_get_type ())
G_DECLARE_FINAL_TYPE (KgVariables, kg_variables, KG, VARIABLES, GObject)

/* The variables of a collection run: names → JSON values in three layers.
 * Emits ::changed after any change. */
KgVariables *kg_variables_new              (void);
/* Sets @name to a deep copy of @value (NULL removes it) in @layer. */
void         kg_variables_set              (KgVariables       *self,
                                            KgVariablesLayer   layer,
                                            const char        *name,
                                            JsonNode          *value);
/* Sets every member of @object (may be NULL) in @layer. */
void         kg_variables_set_all          (KgVariables       *self,
                                            KgVariablesLayer   layer,
                                            JsonObject        *object);
void         kg_variables_clear_layer      (KgVariables       *self,
                                            KgVariablesLayer   layer);
/* The value of @name from the highest layer that has it (borrowed), or
 * NULL. */
JsonNode    *kg_variables_lookup           (KgVariables       *self,
                                            const char        *name);
/* The names of every layer, sorted, without duplicates (free with
 * g_strfreev). */
char       **kg_variables_dup_names        (KgVariables       *self);
/* Whether @name can be a variable's name: not empty, no "{", "}" or
 * white space, and not starting with "$" (the built-ins). */
gboolean     kg_variables_is_valid_name    (const char        *name);
/* Every member name of @object (a "variables" object) is a valid name;
 * otherwise KG_ERROR_INVALID_INPUT naming the first one that is not. */
gboolean     kg_variables_check_names      (JsonObject        *object,
                                            GError           **error);
/* "NAME=VALUE" (--var): sets NAME in the override layer to VALUE, kept as
 * a string. KG_ERROR_INVALID_INPUT when there is no "=" or NAME is not a
 * name. */
gboolean     kg_variables_parse_override   (KgVariables       *self,
                                            const char        *assignment,
                                            GError           **error);

/* A deep copy of @node with "{{name}}" placeholders in every string value
 * (not in member names) replaced:
 *  - a placeholder that is the whole string takes the variable's JSON
 *    type ("{{id}}" → 42);
 *  - inside a longer string the value is inserted as text (strings as
 *    they are, other values as compact JSON);
 *  - built-ins: {{$uuid}} (a random v4 UUID), {{$timestamp}} (Unix
 *    seconds, a number when the whole string), {{$isodate}} (UTC ISO 8601);
 *  - "{{ name }}" is "{{name}}"; a "{{" with no "}}" after it stays text.
 * An unknown variable is KG_ERROR_INVALID_INPUT "Unknown variable “foo”"
 * and returns NULL. @vars may be NULL (only built-ins). */
JsonNode    *kg_template_expand            (JsonNode          *node,
                                            KgVariables       *vars,
                                            GError           **error);
/* The same for one string: the text with every placeholder as text. */
char        *kg_template_expand_string     (const char        *text,
                                            KgVariables       *vars,
                                            GError           **error);

G_END_DECLS
