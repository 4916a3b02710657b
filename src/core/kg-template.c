/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Collection variables and "{{name}}" placeholders (the request workbench). */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "kg-error.h"
#include "kg-json.h"
#include "kg-template.h"

#define N_LAYERS (KG_VARIABLES_OVERRIDE + 1)

struct _KgVariables
{
  GObject     parent_instance;
  GHashTable *layers[N_LAYERS];   /* name → JsonNode */
};

G_DEFINE_FINAL_TYPE (KgVariables, kg_variables, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
kg_variables_finalize (GObject *object)
{
  KgVariables *self = KG_VARIABLES (object);

  for (guint i = 0; i < N_LAYERS; i++)
    g_clear_pointer (&self->layers[i], g_hash_table_unref);

  G_OBJECT_CLASS (kg_variables_parent_class)->finalize (object);
}

static void
kg_variables_class_init (KgVariablesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kg_variables_finalize;

  /**
   * KgVariables::changed:
   *
   * A variable was set or removed.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
kg_variables_init (KgVariables *self)
{
  for (guint i = 0; i < N_LAYERS; i++)
    self->layers[i] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) json_node_unref);
}

KgVariables *
kg_variables_new (void)
{
  return g_object_new (KG_TYPE_VARIABLES, NULL);
}

static void
set_one (KgVariables      *self,
         KgVariablesLayer  layer,
         const char       *name,
         JsonNode         *value)
{
  if (value == NULL)
    g_hash_table_remove (self->layers[layer], name);
  else
    g_hash_table_replace (self->layers[layer], g_strdup (name), kg_json_node_deep_copy (value));
}

void
kg_variables_set (KgVariables      *self,
                  KgVariablesLayer  layer,
                  const char       *name,
                  JsonNode         *value)
{
  g_return_if_fail (KG_IS_VARIABLES (self));
  g_return_if_fail (layer < N_LAYERS);
  g_return_if_fail (name != NULL);

  set_one (self, layer, name, value);
  g_signal_emit (self, signals[CHANGED], 0);
}

void
kg_variables_set_all (KgVariables      *self,
                      KgVariablesLayer  layer,
                      JsonObject       *object)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  g_return_if_fail (KG_IS_VARIABLES (self));
  g_return_if_fail (layer < N_LAYERS);

  if (object == NULL)
    return;
  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &name, &value))
    set_one (self, layer, name, value);
  g_signal_emit (self, signals[CHANGED], 0);
}

void
kg_variables_clear_layer (KgVariables      *self,
                          KgVariablesLayer  layer)
{
  g_return_if_fail (KG_IS_VARIABLES (self));
  g_return_if_fail (layer < N_LAYERS);

  if (g_hash_table_size (self->layers[layer]) == 0)
    return;
  g_hash_table_remove_all (self->layers[layer]);
  g_signal_emit (self, signals[CHANGED], 0);
}

JsonNode *
kg_variables_lookup (KgVariables *self,
                     const char  *name)
{
  g_return_val_if_fail (KG_IS_VARIABLES (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (int i = N_LAYERS - 1; i >= 0; i--)
    {
      JsonNode *value = g_hash_table_lookup (self->layers[i], name);

      if (value != NULL)
        return value;
    }
  return NULL;
}

/* g_ptr_array_sort passes pointers to the elements. */
static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

char **
kg_variables_dup_names (KgVariables *self)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  g_return_val_if_fail (KG_IS_VARIABLES (self), NULL);

  for (guint i = 0; i < N_LAYERS; i++)
    {
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, self->layers[i]);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        if (g_hash_table_add (seen, key))
          g_ptr_array_add (names, g_strdup (key));
    }
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

gboolean
kg_variables_is_valid_name (const char *name)
{
  if (name == NULL || name[0] == '\0' || name[0] == '$')
    return FALSE;
  if (!g_utf8_validate (name, -1, NULL))
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (*p == '{' || *p == '}' || *p == '=' || g_ascii_isspace (*p) || g_ascii_iscntrl (*p))
      return FALSE;
  return TRUE;
}

/* The one sentence for a name that cannot be a variable's. */
static gboolean
invalid_name (GError     **error,
              const char  *name)
{
  g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
               /* Translators: %s is a variable name the user gave */
               _("“%s” is not a variable name: use no spaces or braces, and do not start "
                 "it with “$”."), name);
  return FALSE;
}

gboolean
kg_variables_check_names (JsonObject  *object,
                          GError     **error)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  g_return_val_if_fail (object != NULL, FALSE);

  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &name, &value))
    if (!kg_variables_is_valid_name (name))
      return invalid_name (error, name);
  return TRUE;
}

gboolean
kg_variables_parse_override (KgVariables  *self,
                             const char   *assignment,
                             GError      **error)
{
  g_autofree char *name = NULL;
  g_autoptr(JsonNode) value = NULL;
  const char *equals;

  g_return_val_if_fail (KG_IS_VARIABLES (self), FALSE);
  g_return_val_if_fail (assignment != NULL, FALSE);

  equals = strchr (assignment, '=');
  if (equals == NULL)
    {
      g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                   /* Translators: %s is what the user gave to --var */
                   _("“%s” is not a variable: write NAME=VALUE."), assignment);
      return FALSE;
    }
  name = g_strndup (assignment, equals - assignment);
  if (!kg_variables_is_valid_name (name))
    return invalid_name (error, name);
  if (!g_utf8_validate (equals + 1, -1, NULL))
    {
      g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                   /* Translators: %s is a variable name */
                   _("The value of the variable “%s” is not valid UTF-8."), name);
      return FALSE;
    }
  value = json_node_init_string (json_node_alloc (), equals + 1);
  kg_variables_set (self, KG_VARIABLES_OVERRIDE, name, value);
  return TRUE;
}

/* ---- Expansion ----------------------------------------------------------- */

/* The value of the placeholder named @name (new), or NULL with an error. */
static JsonNode *
resolve (const char   *name,
         KgVariables  *vars,
         GError      **error)
{
  JsonNode *value = NULL;

  if (g_str_equal (name, "$uuid"))
    {
      g_autofree char *uuid = g_uuid_string_random ();

      return json_node_init_string (json_node_alloc (), uuid);
    }
  if (g_str_equal (name, "$timestamp"))
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      return json_node_init_int (json_node_alloc (), g_date_time_to_unix (now));
    }
  if (g_str_equal (name, "$isodate"))
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *text = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");

      return json_node_init_string (json_node_alloc (), text);
    }

  if (vars != NULL)
    value = kg_variables_lookup (vars, name);
  if (value == NULL)
    {
      g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                   /* Translators: %s is a variable name used in a {{placeholder}} */
                   _("Unknown variable “%s”"), name);
      return NULL;
    }
  return kg_json_node_deep_copy (value);
}

static void
append_value (GString  *out,
              JsonNode *value)
{
  if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
    g_string_append (out, json_node_get_string (value));
  else
    {
      g_autofree char *text = json_to_string (value, FALSE);

      g_string_append (out, text);
    }
}

/* Finds the next placeholder in @text from @from: its start, its end (past
 * "}}") and its trimmed name (owned). FALSE when there is none. */
static gboolean
next_placeholder (const char  *text,
                  const char  *from,
                  const char **start,
                  const char **end,
                  char       **name)
{
  const char *p = from;

  while ((p = strstr (p, "{{")) != NULL)
    {
      const char *close = strstr (p + 2, "}}");
      g_autofree char *inner = NULL;

      if (close == NULL)
        return FALSE;
      inner = g_strstrip (g_strndup (p + 2, close - (p + 2)));
      if (inner[0] == '\0' || strstr (inner, "{{") != NULL)
        {
          /* "{{}}" or "{{ {{x}}": not a placeholder here; look further. */
          p += 2;
          continue;
        }
      *start = p;
      *end = close + 2;
      *name = g_steal_pointer (&inner);
      return TRUE;
    }
  return FALSE;
}

/* A new node for the string @text, expanded. */
static JsonNode *
expand_string (const char   *text,
               KgVariables  *vars,
               GError      **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *from = text;
  const char *start;
  const char *end;
  char *name;

  while (next_placeholder (text, from, &start, &end, &name))
    {
      g_autofree char *owned_name = name;
      g_autoptr(JsonNode) value = resolve (owned_name, vars, error);

      if (value == NULL)
        return NULL;
      /* The whole string: the value keeps its JSON type. */
      if (start == text && *end == '\0')
        return g_steal_pointer (&value);
      g_string_append_len (out, from, start - from);
      append_value (out, value);
      from = end;
    }
  g_string_append (out, from);
  return json_node_init_string (json_node_alloc (), out->str);
}

char *
kg_template_expand_string (const char   *text,
                           KgVariables  *vars,
                           GError      **error)
{
  g_autoptr(GString) out = NULL;
  const char *from = text;
  const char *start;
  const char *end;
  char *name;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (vars == NULL || KG_IS_VARIABLES (vars), NULL);

  out = g_string_new (NULL);
  while (next_placeholder (text, from, &start, &end, &name))
    {
      g_autofree char *owned_name = name;
      g_autoptr(JsonNode) value = resolve (owned_name, vars, error);

      if (value == NULL)
        return NULL;
      g_string_append_len (out, from, start - from);
      append_value (out, value);
      from = end;
    }
  g_string_append (out, from);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

JsonNode *
kg_template_expand (JsonNode     *node,
                    KgVariables  *vars,
                    GError      **error)
{
  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (vars == NULL || KG_IS_VARIABLES (vars), NULL);

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        g_autoptr(JsonObject) copy = json_object_new ();
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;

        json_object_iter_init_ordered (&iter, json_node_get_object (node));
        while (json_object_iter_next_ordered (&iter, &name, &member))
          {
            JsonNode *expanded = kg_template_expand (member, vars, error);

            if (expanded == NULL)
              return NULL;
            json_object_set_member (copy, name, expanded);
          }
        return json_node_init_object (json_node_alloc (), copy);
      }
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        g_autoptr(JsonArray) copy = json_array_sized_new (json_array_get_length (array));

        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            JsonNode *expanded = kg_template_expand (json_array_get_element (array, i),
                                                     vars, error);

            if (expanded == NULL)
              return NULL;
            json_array_add_element (copy, expanded);
          }
        return json_node_init_array (json_node_alloc (), copy);
      }
    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        return expand_string (json_node_get_string (node), vars, error);
      return kg_json_node_deep_copy (node);
    case JSON_NODE_NULL:
    default:
      return json_node_init_null (json_node_alloc ());
    }
}
