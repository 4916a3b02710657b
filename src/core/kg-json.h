/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* JSON helpers shared by the files Keygate keeps (profiles, token and
 * create settings) and by the flows that read server responses. */

/* How deep JSON may nest before Keygate refuses to read it. json-glib's
 * parser recurses once per level: 200,000 nested arrays from a server
 * would overflow the stack. Real Odoo answers nest a few levels. */
#define KG_JSON_MAX_DEPTH 512

/* Checks, without parsing, that @data (@length bytes, or -1 for a string)
 * nests no deeper than KG_JSON_MAX_DEPTH. Brackets inside strings do not
 * count. On failure sets KG_ERROR_NOT_JSON and returns FALSE. */
gboolean    kg_json_check_depth        (const char         *data,
                                        gssize              length,
                                        GError            **error);
/* kg_json_check_depth, then json-glib's parser. Returns the root (owned)
 * or NULL with an error (KG_ERROR_NOT_JSON for too deep; otherwise
 * json-glib's domain and code with kg_json_problem_new's words). Every
 * JSON Keygate reads goes through here. */
JsonNode   *kg_json_parse              (const char         *data,
                                        gssize              length,
                                        GError            **error);

/* What is wrong with @data (@length bytes), which json-glib refused with
 * @json_error: "Line 1, column 8: a closing brace (}) is missing", in the
 * user's language; same domain and code as @json_error
 * (kg-json-problem.c). */
GError     *kg_json_problem_new        (const char         *data,
                                        gsize               length,
                                        const GError       *json_error);

/* A record id as Odoo gives it: a positive JSON integer, or a string of
 * decimal digits only that fits in 63 bits. "6.5", 6.5, "0x2A", " 7",
 * "-3", 0 and anything else are not ids (returns FALSE). */
gboolean    kg_json_get_record_id      (JsonNode           *node,
                                        gint64             *out_id);

/* Copies that share nothing with the original (objects and arrays are
 * copied member by member; json_node_copy would share them). */
JsonNode   *kg_json_node_deep_copy     (JsonNode           *node);
JsonObject *kg_json_object_deep_copy   (JsonObject         *object);
/* Whether @a and @b hold the same members with equal values (json-glib's
 * json_node_equal, for objects). */
gboolean    kg_json_object_equal       (JsonObject         *a,
                                        JsonObject         *b);

/* Looks up @path in @root. A path is "$" (the root) followed by steps:
 * ".name", "['name']" (or "[\"name\"]") and "[N]" (an array index); the
 * leading "$" may be left out ("data.access_token", "result[0].name").
 * A ".N" step on an array indexes it too ("result.0.id").
 *
 * Returns a borrowed node, or NULL: without an error when the path leads
 * nowhere (a missing member, an index out of range, a step into a value),
 * with KG_ERROR_INVALID_INPUT when @path is not a path. A NULL @root finds
 * nothing. */
JsonNode   *kg_json_path_lookup        (JsonNode           *root,
                                        const char         *path,
                                        GError            **error);

/* The one sentence for a member of the wrong type or value:
 * "“timeout” must be a whole number." Sets KG_ERROR_INVALID_INPUT and
 * returns FALSE. Callers prefix where the member lives ("Profile: "). */
gboolean    kg_json_member_error       (GError            **error,
                                        const char         *member,
                                        const char         *expected);

/* The string member @member of @object, or NULL when @object is NULL, the
 * member is absent or it is not a string. For reading what a server sent,
 * where a missing or odd member is not an error of its own. */
const char *kg_json_get_string         (JsonObject         *object,
                                        const char         *member);
/* The same for an object member. */
JsonObject *kg_json_get_object         (JsonObject         *object,
                                        const char         *member);
/* The object @node holds, or NULL. */
JsonObject *kg_json_node_get_object    (JsonNode           *node);

/* Typed member readers. A member that is absent or null leaves *@out as it
 * is and is fine unless @required; one of another type is an error in the
 * sentence above. Strings and objects are borrowed from @object. */
gboolean    kg_json_read_string        (JsonObject         *object,
                                        const char         *member,
                                        gboolean            required,
                                        const char        **out,
                                        GError            **error);
gboolean    kg_json_read_boolean       (JsonObject         *object,
                                        const char         *member,
                                        gboolean            required,
                                        gboolean           *out,
                                        GError            **error);
/* A whole number from 0 to G_MAXUINT. */
gboolean    kg_json_read_uint          (JsonObject         *object,
                                        const char         *member,
                                        gboolean            required,
                                        guint              *out,
                                        GError            **error);
gboolean    kg_json_read_object        (JsonObject         *object,
                                        const char         *member,
                                        gboolean            required,
                                        JsonObject        **out,
                                        GError            **error);
/* A string naming a value of the enum @enum_type by its nick, in any case
 * ("jsonrpc", "Bearer"). */
gboolean    kg_json_read_enum          (JsonObject         *object,
                                        const char         *member,
                                        gboolean            required,
                                        GType               enum_type,
                                        int                *out,
                                        GError            **error);

/* Nick of @value in @enum_type, or NULL. */
const char *kg_json_enum_to_string     (GType               enum_type,
                                        int                 value);
/* Value of the nick @text (any case) in @enum_type. */
gboolean    kg_json_enum_from_string   (GType               enum_type,
                                        const char         *text,
                                        int                *value);

/* The member that holds the property @pspec in a settings file: its name
 * with "_" for "-" ("name-field" → "name_field"). An interned string. */
const char *kg_json_member_name        (GParamSpec         *pspec);

/* Reads the members of @object into @instance; FALSE with an error in the
 * sentence of kg_json_member_error. */
typedef gboolean (*KgJsonReadFunc) (gpointer     instance,
                                    JsonObject  *object,
                                    GError     **error);

/* The one way a settings object is loaded from its JSON object: a new
 * @type with its default properties, filled in by @read. The error of a
 * failed read is prefixed by @where (e.g. "Profile: "). */
gpointer    kg_json_load               (GType               type,
                                        JsonObject         *object,
                                        KgJsonReadFunc      read,
                                        const char         *where,
                                        GError            **error);

/* Defines type_name_to_string and type_name_from_string (any case) for
 * the enum @TypeName registered as @TYPE, by the nicks of its values: the
 * words the files and the command line use. */
#define KG_JSON_DEFINE_ENUM_STRINGS(TypeName, type_name, TYPE)              \
  const char *                                                               \
  type_name##_to_string (TypeName value)                                     \
  {                                                                          \
    return kg_json_enum_to_string (TYPE, value);                             \
  }                                                                          \
                                                                             \
  gboolean                                                                   \
  type_name##_from_string (const char *text,                                 \
                           TypeName   *value)                                \
  {                                                                          \
    int found;                                                               \
                                                                             \
    if (!kg_json_enum_from_string (TYPE, text, &found))                      \
      return FALSE;                                                          \
    if (value != NULL)                                                       \
      *value = found;                                                        \
    return TRUE;                                                             \
  }

/* Keeping members a newer Keygate wrote: a deep copy of the members of
 * @object whose names are not among the @n_known names of @known (NULL
 * entries are skipped), or NULL when there are none. */
JsonObject *kg_json_object_dup_unknown (JsonObject         *object,
                                        const char * const *known,
                                        gsize               n_known);
/* Adds a deep copy of each member of @members (may be NULL) that @object
 * does not have yet. */
void        kg_json_object_add_members (JsonObject         *object,
                                        JsonObject         *members);

G_END_DECLS
