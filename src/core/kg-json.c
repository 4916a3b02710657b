/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "keygate-json"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "kg-error.h"
#include "kg-json.h"

/* Deep copies ------------------------------------------------------------ */

JsonObject *
kg_json_object_deep_copy (JsonObject *object)
{
  g_autoptr(GList) members = NULL;
  JsonObject *copy;

  g_return_val_if_fail (object != NULL, NULL);

  copy = json_object_new ();
  members = json_object_get_members (object);
  for (const GList *l = members; l != NULL; l = l->next)
    json_object_set_member (copy, l->data,
                            kg_json_node_deep_copy (json_object_get_member (object, l->data)));
  return copy;
}

gboolean
kg_json_object_equal (JsonObject *a,
                      JsonObject *b)
{
  g_autoptr(JsonNode) node_a = NULL;
  g_autoptr(JsonNode) node_b = NULL;

  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  node_a = json_node_init_object (json_node_alloc (), a);
  node_b = json_node_init_object (json_node_alloc (), b);
  return json_node_equal (node_a, node_b);
}

JsonNode *
kg_json_node_deep_copy (JsonNode *node)
{
  g_return_val_if_fail (node != NULL, NULL);

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        g_autoptr(JsonObject) copy = kg_json_object_deep_copy (json_node_get_object (node));

        return json_node_init_object (json_node_alloc (), copy);
      }

    case JSON_NODE_ARRAY:
      {
        JsonArray *source = json_node_get_array (node);
        guint length = json_array_get_length (source);
        g_autoptr(JsonArray) copy = json_array_sized_new (length);

        for (guint i = 0; i < length; i++)
          json_array_add_element (copy,
                                  kg_json_node_deep_copy (json_array_get_element (source, i)));
        return json_node_init_array (json_node_alloc (), copy);
      }

    case JSON_NODE_VALUE:
    case JSON_NODE_NULL:
    default:
      return json_node_copy (node);
    }
}

/* Paths ----------------------------------------------------------------- */

/* Parses a non-negative decimal index of @len characters, rejecting "",
 * "+1", "1x" and values over G_MAXUINT. */
static gboolean
parse_index (const char *text,
             gsize       len,
             guint      *index)
{
  guint64 value = 0;

  if (len == 0)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
      value = value * 10 + (guint64) (text[i] - '0');
      if (value > G_MAXUINT)
        return FALSE;
    }
  *index = (guint) value;
  return TRUE;
}

/* One step of a walk: @node (NULL once the path led nowhere) by the member
 * @name, or by the index @name when @dotted and @node is an array. */
static JsonNode *
step_by_name (JsonNode   *node,
              const char *name,
              gsize       len,
              gboolean    dotted)
{
  g_autofree char *key = NULL;
  guint index;

  if (node == NULL)
    return NULL;

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      if (!dotted || !parse_index (name, len, &index) || index >= json_array_get_length (array))
        return NULL;
      return json_array_get_element (array, index);
    }

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  key = g_strndup (name, len);
  return json_object_get_member (json_node_get_object (node), key);
}

static JsonNode *
step_by_index (JsonNode *node,
               guint     index,
               gboolean  in_range)
{
  JsonArray *array;

  if (node == NULL || !in_range || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  array = json_node_get_array (node);
  if (index >= json_array_get_length (array))
    return NULL;
  return json_array_get_element (array, index);
}

static JsonNode *
bad_path (GError     **error,
          const char  *path,
          gsize        position,
          const char  *reason)
{
  g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
               /* Translators: “%s” is a JSON path such as $.data.token, %u a character
                * position in it, the last %s the reason */
               _("“%s” is not a JSON path (at character %u: %s)."),
               path, (guint) position + 1, reason);
  return NULL;
}

/* A quoted member name from @p (at the quote) to its closing quote; a
 * backslash keeps the next character. Returns the end (after the quote),
 * or NULL when it is not closed. */
static const char *
parse_quoted (const char *p,
              GString    *name)
{
  char quote = *p++;

  for (; *p != '\0'; p++)
    {
      if (*p == quote)
        return p + 1;
      if (*p == '\\' && p[1] != '\0')
        p++;
      g_string_append_c (name, *p);
    }
  return NULL;
}

JsonNode *
kg_json_path_lookup (JsonNode    *root,
                     const char  *path,
                     GError     **error)
{
  g_autoptr(GString) quoted = g_string_new (NULL);
  JsonNode *node = root;
  const char *p;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (path == NULL || path[0] == '\0')
    return bad_path (error, "", 0, _("the path is empty"));

  /* "$" starts at the root; without it the first step is a bare name. */
  p = path;
  if (*p == '$')
    p++;
  else if (*p != '[')
    {
      gsize len = strcspn (path, ".[]");

      if (len == 0)
        return bad_path (error, path, 0, _("a member name is missing"));
      node = step_by_name (node, path, len, TRUE);
      p = path + len;
    }

  while (*p != '\0')
    {
      if (*p == '.')
        {
          const char *name = ++p;
          gsize len = strcspn (name, ".[]");

          if (len == 0)
            return bad_path (error, path, p - path, _("a member name is missing"));
          node = step_by_name (node, name, len, TRUE);
          p = name + len;
        }
      else if (*p == '[' && (p[1] == '\'' || p[1] == '"'))
        {
          const char *end;

          g_string_truncate (quoted, 0);
          end = parse_quoted (p + 1, quoted);
          if (end == NULL || *end != ']')
            return bad_path (error, path, p - path, _("“[” is not closed"));
          node = step_by_name (node, quoted->str, quoted->len, FALSE);
          p = end + 1;
        }
      else if (*p == '[')
        {
          const char *digits = p + 1;
          gsize len = strspn (digits, "0123456789");
          guint index = 0;
          gboolean in_range;

          if (len == 0 || digits[len] != ']')
            return bad_path (error, path, p - path,
                             _("an index is a number or a quoted name, as in [0] or ['name']"));
          in_range = parse_index (digits, len, &index);
          node = step_by_index (node, index, in_range);
          p = digits + len + 1;
        }
      else
        {
          return bad_path (error, path, p - path, _("expected “.” or “[”"));
        }
    }

  return node;
}

/* Member readers -------------------------------------------------------- */

gboolean
kg_json_member_error (GError     **error,
                      const char  *member,
                      const char  *expected)
{
  g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
               /* Translators: the first %s is a JSON member name, the second what it must be */
               _("“%s” must be %s."), member, expected);
  return FALSE;
}

/* The member @member of @object, or NULL when it is absent or null (an
 * error when @required). */
static gboolean
get_member (JsonObject  *object,
            const char  *member,
            gboolean     required,
            const char  *expected,
            JsonNode   **out,
            GError     **error)
{
  JsonNode *node;

  g_return_val_if_fail (object != NULL, FALSE);
  g_return_val_if_fail (member != NULL, FALSE);

  node = json_object_get_member (object, member);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      *out = NULL;
      return required ? kg_json_member_error (error, member, expected) : TRUE;
    }
  *out = node;
  return TRUE;
}

static gboolean
holds_value_of_type (JsonNode *node,
                     GType     type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

gboolean
kg_json_read_string (JsonObject  *object,
                     const char  *member,
                     gboolean     required,
                     const char **out,
                     GError     **error)
{
  const char *expected = _("a string");
  JsonNode *node;

  if (!get_member (object, member, required, expected, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  if (!holds_value_of_type (node, G_TYPE_STRING))
    return kg_json_member_error (error, member, expected);
  *out = json_node_get_string (node);
  return TRUE;
}

gboolean
kg_json_read_boolean (JsonObject  *object,
                      const char  *member,
                      gboolean     required,
                      gboolean    *out,
                      GError     **error)
{
  const char *expected = _("true or false");
  JsonNode *node;

  if (!get_member (object, member, required, expected, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  if (!holds_value_of_type (node, G_TYPE_BOOLEAN))
    return kg_json_member_error (error, member, expected);
  *out = json_node_get_boolean (node);
  return TRUE;
}

gboolean
kg_json_read_uint (JsonObject  *object,
                   const char  *member,
                   gboolean     required,
                   guint       *out,
                   GError     **error)
{
  const char *expected = _("a whole number, 0 or more");
  JsonNode *node;
  gint64 value;

  if (!get_member (object, member, required, expected, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  if (!holds_value_of_type (node, G_TYPE_INT64) ||
      (value = json_node_get_int (node)) < 0 || value > G_MAXUINT)
    return kg_json_member_error (error, member, expected);
  *out = (guint) value;
  return TRUE;
}

gboolean
kg_json_read_object (JsonObject  *object,
                     const char  *member,
                     gboolean     required,
                     JsonObject **out,
                     GError     **error)
{
  const char *expected = _("a JSON object");
  JsonNode *node;

  if (!get_member (object, member, required, expected, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return kg_json_member_error (error, member, expected);
  *out = json_node_get_object (node);
  return TRUE;
}

/* "one of “a”, “b” or “c”" from the nicks of @enum_type. */
static char *
enum_choices (GType enum_type)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (enum_type);
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; i < klass->n_values; i++)
    {
      if (i > 0)
        g_string_append (names, i + 1 < klass->n_values ? ", " : _(" or "));
      g_string_append_printf (names, "“%s”", klass->values[i].value_nick);
    }
  /* Translators: %s is a list of words, as in “header”, “body” or “none” */
  return g_strdup_printf (_("one of %s"), names->str);
}

gboolean
kg_json_read_enum (JsonObject  *object,
                   const char  *member,
                   gboolean     required,
                   GType        enum_type,
                   int         *out,
                   GError     **error)
{
  g_autofree char *expected = NULL;
  JsonNode *node;

  g_return_val_if_fail (G_TYPE_IS_ENUM (enum_type), FALSE);

  expected = enum_choices (enum_type);
  if (!get_member (object, member, required, expected, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  if (!holds_value_of_type (node, G_TYPE_STRING) ||
      !kg_json_enum_from_string (enum_type, json_node_get_string (node), out))
    return kg_json_member_error (error, member, expected);
  return TRUE;
}

const char *
kg_json_enum_to_string (GType enum_type,
                        int   value)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (enum_type);
  GEnumValue *found = g_enum_get_value (klass, value);

  /* Nicks are static strings of a static type: they outlive the class ref. */
  return found != NULL ? found->value_nick : NULL;
}

gboolean
kg_json_enum_from_string (GType       enum_type,
                          const char *text,
                          int        *value)
{
  g_autoptr(GEnumClass) klass = NULL;

  if (text == NULL)
    return FALSE;

  klass = g_type_class_ref (enum_type);
  for (guint i = 0; i < klass->n_values; i++)
    {
      if (g_ascii_strcasecmp (klass->values[i].value_nick, text) == 0)
        {
          if (value != NULL)
            *value = klass->values[i].value;
          return TRUE;
        }
    }
  return FALSE;
}

/* Loading --------------------------------------------------------------- */

const char *
kg_json_member_name (GParamSpec *pspec)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (G_IS_PARAM_SPEC (pspec), NULL);

  name = g_strdelimit (g_strdup (g_param_spec_get_name (pspec)), "-", '_');
  return g_intern_string (name);
}

gpointer
kg_json_load (GType            type,
              JsonObject      *object,
              KgJsonReadFunc   read,
              const char      *where,
              GError         **error)
{
  g_autoptr(GObject) instance = NULL;

  g_return_val_if_fail (g_type_is_a (type, G_TYPE_OBJECT), NULL);
  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (read != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  instance = g_object_new (type, NULL);
  if (!read (instance, object, error))
    {
      if (where != NULL)
        g_prefix_error_literal (error, where);
      return NULL;
    }

  return g_steal_pointer (&instance);
}

/* Unknown members ------------------------------------------------------- */

JsonObject *
kg_json_object_dup_unknown (JsonObject         *object,
                            const char * const *known,
                            gsize               n_known)
{
  g_autoptr(GList) members = NULL;
  JsonObject *unknown = NULL;

  g_return_val_if_fail (object != NULL, NULL);

  members = json_object_get_members (object);
  for (const GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      gboolean is_known = FALSE;

      for (gsize i = 0; i < n_known && !is_known; i++)
        is_known = known[i] != NULL && strcmp (known[i], name) == 0;
      if (is_known)
        continue;
      if (unknown == NULL)
        unknown = json_object_new ();
      json_object_set_member (unknown, name,
                              kg_json_node_deep_copy (json_object_get_member (object, name)));
    }

  return unknown;
}

void
kg_json_object_add_members (JsonObject *object,
                            JsonObject *members)
{
  g_autoptr(GList) names = NULL;

  g_return_if_fail (object != NULL);

  if (members == NULL)
    return;
  names = json_object_get_members (members);
  for (const GList *l = names; l != NULL; l = l->next)
    if (!json_object_has_member (object, l->data))
      json_object_set_member (object, l->data,
                              kg_json_node_deep_copy (json_object_get_member (members, l->data)));
}

gboolean
kg_json_check_depth (const char  *data,
                     gssize       length,
                     GError     **error)
{
  gboolean in_string = FALSE;
  gboolean escaped = FALSE;
  guint depth = 0;
  gsize n;

  if (data == NULL)
    return TRUE;
  n = length < 0 ? strlen (data) : (gsize) length;

  for (gsize i = 0; i < n; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (escaped)
            escaped = FALSE;
          else if (c == '\\')
            escaped = TRUE;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;
        case '[':
        case '{':
          if (++depth > KG_JSON_MAX_DEPTH)
            {
              g_set_error (error, KG_ERROR, KG_ERROR_NOT_JSON,
                           /* Translators: %u is a number of levels, 512 */
                           _("The JSON nests deeper than %u levels, so Keygate does not read "
                             "it."), (guint) KG_JSON_MAX_DEPTH);
              return FALSE;
            }
          break;
        case ']':
        case '}':
          if (depth > 0)
            depth--;
          break;
        default:
          break;
        }
    }
  return TRUE;
}

JsonNode *
kg_json_parse (const char  *data,
               gssize       length,
               GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) json_error = NULL;

  g_return_val_if_fail (data != NULL, NULL);

  if (!kg_json_check_depth (data, length, error))
    return NULL;
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, length, &json_error))
    {
      g_propagate_error (error, kg_json_problem_new (data, length < 0 ? strlen (data)
                                                                      : (gsize) length,
                                                     json_error));
      return NULL;
    }
  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE,
                           _("The text is empty."));
      return NULL;
    }
  return json_parser_steal_root (parser);
}

gboolean
kg_json_get_record_id (JsonNode *node,
                       gint64   *out_id)
{
  const char *text;
  guint64 value = 0;

  g_return_val_if_fail (out_id != NULL, FALSE);
  *out_id = 0;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      if (json_node_get_int (node) <= 0)
        return FALSE;
      *out_id = json_node_get_int (node);
      return TRUE;

    case G_TYPE_STRING:
      text = json_node_get_string (node);
      if (text == NULL || *text == '\0' || strlen (text) > 19)
        return FALSE;
      for (const char *p = text; *p != '\0'; p++)
        {
          if (!g_ascii_isdigit (*p))
            return FALSE;
          value = value * 10 + (guint64) (*p - '0');
        }
      if (value == 0 || value > G_MAXINT64)
        return FALSE;
      *out_id = (gint64) value;
      return TRUE;

    default:
      /* Doubles too: 6.5 is no id, and 6.0 says the server is not Odoo. */
      return FALSE;
    }
}

const char *
kg_json_get_string (JsonObject *object,
                    const char *member)
{
  JsonNode *node;

  if (object == NULL || member == NULL)
    return NULL;
  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

JsonObject *
kg_json_get_object (JsonObject *object,
                    const char *member)
{
  if (object == NULL || member == NULL)
    return NULL;
  return kg_json_node_get_object (json_object_get_member (object, member));
}

JsonObject *
kg_json_node_get_object (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}
