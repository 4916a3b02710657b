/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Expectations and captures of a collection request. */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "kg-error.h"
#include "kg-expect.h"
#include "kg-json.h"
#include "kg-text.h"

/* Values shown in a failure are cut after this many characters. */
#define SHOWN_CHARS 200

typedef enum {
  MATCH_EQUALS,
  MATCH_EXISTS,
  MATCH_MATCHES,
  MATCH_CONTAINS,
} MatchKind;

typedef struct
{
  char      *path;
  MatchKind  kind;
  JsonNode  *equals;
  gboolean   exists;
  GRegex    *regex;
  char      *text;     /* the pattern or the text to contain */
} Matcher;

struct _KgExpect
{
  gatomicrefcount  ref_count;
  gboolean         has_ok;
  gboolean         ok;
  char            *error_kind;
  gboolean         has_status;
  guint            status;
  gboolean         has_max_ms;
  guint            max_ms;
  GPtrArray       *matchers;   /* of Matcher */
};

G_DEFINE_BOXED_TYPE (KgExpect, kg_expect, kg_expect_ref, kg_expect_unref)

static void
matcher_free (Matcher *matcher)
{
  g_free (matcher->path);
  g_clear_pointer (&matcher->equals, json_node_unref);
  g_clear_pointer (&matcher->regex, g_regex_unref);
  g_free (matcher->text);
  g_free (matcher);
}

KgExpect *
kg_expect_ref (KgExpect *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
kg_expect_unref (KgExpect *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_free (self->error_kind);
  g_ptr_array_unref (self->matchers);
  g_free (self);
}

static gboolean
check_path (const char  *path,
            GError     **error)
{
  g_autoptr(GError) path_error = NULL;

  kg_json_path_lookup (NULL, path, &path_error);
  if (path_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&path_error));
      return FALSE;
    }
  return TRUE;
}

static Matcher *
parse_matcher (const char  *path,
               JsonNode    *node,
               GError     **error)
{
  g_autoptr(GError) regex_error = NULL;
  Matcher *matcher;
  JsonObject *object;
  JsonNode *value;

  if (!check_path (path, error))
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node) || json_object_get_size (json_node_get_object (node)) != 1)
    {
      g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                   /* Translators: %s is a JSON path; equals, exists, matches and contains
                    * are JSON member names, keep them */
                   _("The expectation for “%s” must be an object with one of “equals”, "
                     "“exists”, “matches” or “contains”."), path);
      return NULL;
    }

  object = json_node_get_object (node);
  matcher = g_new0 (Matcher, 1);
  matcher->path = g_strdup (path);
  if ((value = json_object_get_member (object, "equals")) != NULL)
    {
      matcher->kind = MATCH_EQUALS;
      matcher->equals = kg_json_node_deep_copy (value);
      return matcher;
    }
  if ((value = json_object_get_member (object, "exists")) != NULL
      && JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_BOOLEAN)
    {
      matcher->kind = MATCH_EXISTS;
      matcher->exists = json_node_get_boolean (value);
      return matcher;
    }
  if ((value = json_object_get_member (object, "matches")) != NULL
      && JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
    {
      matcher->kind = MATCH_MATCHES;
      matcher->text = g_strdup (json_node_get_string (value));
      matcher->regex = g_regex_new (matcher->text, 0, 0, &regex_error);
      if (matcher->regex == NULL)
        {
          g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                       /* Translators: the first %s is a regular expression, the second a JSON
                        * path, the last GLib's description of the problem */
                       _("The regular expression “%s” for “%s” is not valid: %s"),
                       matcher->text, path, regex_error->message);
          matcher_free (matcher);
          return NULL;
        }
      return matcher;
    }
  if ((value = json_object_get_member (object, "contains")) != NULL
      && JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
    {
      matcher->kind = MATCH_CONTAINS;
      matcher->text = g_strdup (json_node_get_string (value));
      return matcher;
    }

  matcher_free (matcher);
  g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
               /* Translators: %s is a JSON path; the member names stay in English */
               _("The expectation for “%s” must be one of {\"equals\": value}, "
                 "{\"exists\": true or false}, {\"matches\": \"regex\"} or "
                 "{\"contains\": \"text\"}."), path);
  return NULL;
}

static const char * const known_members[] = { "ok", "error_kind", "status", "json", "max_ms" };

KgExpect *
kg_expect_new_from_json (JsonObject  *expect,
                         GError     **error)
{
  g_autoptr(KgExpect) self = g_new0 (KgExpect, 1);
  g_autoptr(GList) members = NULL;
  const char *kind = NULL;
  JsonObject *json = NULL;

  g_atomic_ref_count_init (&self->ref_count);
  self->matchers = g_ptr_array_new_with_free_func ((GDestroyNotify) matcher_free);
  if (expect == NULL)
    return g_steal_pointer (&self);

  members = json_object_get_members (expect);
  for (GList *l = members; l != NULL; l = l->next)
    {
      gboolean known = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (known_members); i++)
        known = known || g_str_equal (l->data, known_members[i]);
      if (!known)
        {
          g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                       /* Translators: %s is a JSON member name; the others stay in English */
                       _("“expect” has no member “%s”: use ok, error_kind, status, json or "
                         "max_ms."), (const char *) l->data);
          return NULL;
        }
    }

  if (json_object_has_member (expect, "ok"))
    {
      if (!kg_json_read_boolean (expect, "ok", TRUE, &self->ok, error))
        return NULL;
      self->has_ok = TRUE;
    }
  if (!kg_json_read_string (expect, "error_kind", FALSE, &kind, error))
    return NULL;
  if (kind != NULL)
    {
      KgErrorCode code;

      if (!kg_error_code_from_nick (kind, &code))
        {
          g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                       /* Translators: %s is what the file gives as error_kind */
                       _("“%s” is not a Keygate error kind (such as access-error, "
                         "access-denied or validation)."), kind);
          return NULL;
        }
      self->error_kind = g_strdup (kg_error_code_to_nick (code));
    }
  if (json_object_has_member (expect, "status"))
    {
      if (!kg_json_read_uint (expect, "status", TRUE, &self->status, error))
        return NULL;
      self->has_status = TRUE;
    }
  if (json_object_has_member (expect, "max_ms"))
    {
      if (!kg_json_read_uint (expect, "max_ms", TRUE, &self->max_ms, error))
        return NULL;
      self->has_max_ms = TRUE;
    }
  if (!kg_json_read_object (expect, "json", FALSE, &json, error))
    return NULL;
  if (json != NULL)
    {
      JsonObjectIter iter;
      const char *path;
      JsonNode *node;

      json_object_iter_init_ordered (&iter, json);
      while (json_object_iter_next_ordered (&iter, &path, &node))
        {
          Matcher *matcher = parse_matcher (path, node, error);

          if (matcher == NULL)
            return NULL;
          g_ptr_array_add (self->matchers, matcher);
        }
    }

  return g_steal_pointer (&self);
}

/* ---- Evaluation ---------------------------------------------------------- */

gboolean
kg_expect_json_equal (JsonNode *a,
                      JsonNode *b)
{
  JsonNodeType type;

  if (a == NULL || b == NULL)
    return a == b;
  type = json_node_get_node_type (a);
  if (type != json_node_get_node_type (b))
    return FALSE;

  switch (type)
    {
    case JSON_NODE_NULL:
      return TRUE;
    case JSON_NODE_ARRAY:
      {
        JsonArray *x = json_node_get_array (a);
        JsonArray *y = json_node_get_array (b);

        if (json_array_get_length (x) != json_array_get_length (y))
          return FALSE;
        for (guint i = 0; i < json_array_get_length (x); i++)
          if (!kg_expect_json_equal (json_array_get_element (x, i),
                                     json_array_get_element (y, i)))
            return FALSE;
        return TRUE;
      }
    case JSON_NODE_OBJECT:
      {
        JsonObject *x = json_node_get_object (a);
        JsonObject *y = json_node_get_object (b);
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;

        if (json_object_get_size (x) != json_object_get_size (y))
          return FALSE;
        json_object_iter_init_ordered (&iter, x);
        while (json_object_iter_next_ordered (&iter, &name, &member))
          if (!kg_expect_json_equal (member, json_object_get_member (y, name)))
            return FALSE;
        return TRUE;
      }
    case JSON_NODE_VALUE:
    default:
      {
        GType ta = json_node_get_value_type (a);
        GType tb = json_node_get_value_type (b);
        gboolean na = ta == G_TYPE_INT64 || ta == G_TYPE_DOUBLE;
        gboolean nb = tb == G_TYPE_INT64 || tb == G_TYPE_DOUBLE;

        if (na && nb)
          {
            if (ta == G_TYPE_INT64 && tb == G_TYPE_INT64)
              return json_node_get_int (a) == json_node_get_int (b);
            return json_node_get_double (a) == json_node_get_double (b);
          }
        if (ta != tb)
          return FALSE;
        if (ta == G_TYPE_STRING)
          return g_strcmp0 (json_node_get_string (a), json_node_get_string (b)) == 0;
        if (ta == G_TYPE_BOOLEAN)
          return json_node_get_boolean (a) == json_node_get_boolean (b);
        return FALSE;
      }
    }
}

/* @text cut to SHOWN_CHARS characters, controls escaped. */
static char *
shown (const char *text)
{
  g_autofree char *cut = NULL;

  if (g_utf8_strlen (text, -1) > SHOWN_CHARS)
    {
      g_autofree char *head = g_utf8_substring (text, 0, SHOWN_CHARS);

      cut = g_strconcat (head, "…", NULL);
    }
  else
    cut = g_strdup (text);
  return kg_text_escape_controls (cut);
}

/* A value as a failure shows it: a string as its text, others as JSON. */
static char *
node_text (JsonNode *node)
{
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  return json_to_string (node, FALSE);
}

static void
evaluate_matcher (Matcher   *matcher,
                  JsonNode  *root,
                  GPtrArray *failures)
{
  g_autofree char *found_text = NULL;
  g_autofree char *found_shown = NULL;
  JsonNode *found;

  if (root == NULL)
    {
      g_ptr_array_add (failures, g_strdup_printf (_("%s: the body is not JSON"), matcher->path));
      return;
    }

  found = kg_json_path_lookup (root, matcher->path, NULL);
  if (found != NULL)
    {
      found_text = node_text (found);
      found_shown = shown (found_text);
    }

  switch (matcher->kind)
    {
    case MATCH_EXISTS:
      if (matcher->exists && found == NULL)
        g_ptr_array_add (failures,
                         /* Translators: %s is a JSON path */
                         g_strdup_printf (_("%s: expected to exist"), matcher->path));
      else if (!matcher->exists && found != NULL)
        g_ptr_array_add (failures,
                         /* Translators: %s is a JSON path, then the value found there */
                         g_strdup_printf (_("%s: expected not to exist, found “%s”"),
                                          matcher->path, found_shown));
      break;

    case MATCH_EQUALS:
      {
        g_autofree char *want = json_to_string (matcher->equals, FALSE);
        g_autofree char *want_shown = shown (want);

        if (found == NULL)
          g_ptr_array_add (failures,
                           /* Translators: %s is a JSON path, then the expected JSON value */
                           g_strdup_printf (_("%s: expected %s, found nothing"),
                                            matcher->path, want_shown));
        else if (!kg_expect_json_equal (found, matcher->equals))
          {
            g_autofree char *got = json_to_string (found, FALSE);
            g_autofree char *got_shown = shown (got);

            g_ptr_array_add (failures,
                             /* Translators: a JSON path, the expected and the found JSON */
                             g_strdup_printf (_("%s: expected %s, got %s"),
                                              matcher->path, want_shown, got_shown));
          }
      }
      break;

    case MATCH_MATCHES:
      if (found == NULL)
        g_ptr_array_add (failures,
                         /* Translators: a JSON path, then a regular expression */
                         g_strdup_printf (_("%s: nothing there to match %s"),
                                          matcher->path, matcher->text));
      else if (!g_regex_match (matcher->regex, found_text, 0, NULL))
        g_ptr_array_add (failures,
                         /* Translators: a JSON path, the value, a regular expression */
                         g_strdup_printf (_("%s: “%s” does not match %s"),
                                          matcher->path, found_shown, matcher->text));
      break;

    case MATCH_CONTAINS:
    default:
      if (found == NULL)
        g_ptr_array_add (failures,
                         /* Translators: a JSON path, then the text looked for */
                         g_strdup_printf (_("%s: nothing there to contain “%s”"),
                                          matcher->path, matcher->text));
      else if (JSON_NODE_HOLDS_ARRAY (found))
        {
          JsonArray *array = json_node_get_array (found);
          gboolean hit = FALSE;

          for (guint i = 0; i < json_array_get_length (array) && !hit; i++)
            {
              JsonNode *element = json_array_get_element (array, i);

              hit = JSON_NODE_HOLDS_VALUE (element)
                    && json_node_get_value_type (element) == G_TYPE_STRING
                    && g_str_equal (json_node_get_string (element), matcher->text);
            }
          if (!hit)
            g_ptr_array_add (failures,
                             /* Translators: a JSON path, the array, the text looked for */
                             g_strdup_printf (_("%s: %s has no element “%s”"),
                                              matcher->path, found_shown, matcher->text));
        }
      else if (JSON_NODE_HOLDS_VALUE (found)
               && json_node_get_value_type (found) == G_TYPE_STRING)
        {
          if (strstr (found_text, matcher->text) == NULL)
            g_ptr_array_add (failures,
                             /* Translators: a JSON path, the value, the text looked for */
                             g_strdup_printf (_("%s: “%s” does not contain “%s”"),
                                              matcher->path, found_shown, matcher->text));
        }
      else
        g_ptr_array_add (failures,
                         /* Translators: a JSON path, then the value found there */
                         g_strdup_printf (_("%s: %s is neither text nor an array"),
                                          matcher->path, found_shown));
      break;
    }
}

static void
add_call_failed (GPtrArray       *failures,
                 const KgOutcome *outcome)
{
  g_autofree char *message = shown (outcome->error_message != NULL
                                    ? outcome->error_message : outcome->error_kind != NULL
                                    ? outcome->error_kind : "?");

  g_ptr_array_add (failures,
                   /* Translators: %s is the error message of the call */
                   g_strdup_printf (_("Expected the call to succeed; it failed: %s"), message));
}

GPtrArray *
kg_expect_evaluate (KgExpect        *self,
                    const KgOutcome *outcome)
{
  g_autoptr(GPtrArray) failures = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (outcome != NULL, NULL);

  if (self == NULL || (!self->has_ok && self->error_kind == NULL && !self->has_status))
    {
      if (!outcome->ok)
        add_call_failed (failures, outcome);
    }
  else if (self->has_ok && self->ok && !outcome->ok)
    add_call_failed (failures, outcome);
  else if (((self->has_ok && !self->ok) || self->error_kind != NULL) && outcome->ok)
    {
      if (self->error_kind != NULL)
        g_ptr_array_add (failures,
                         /* Translators: %s is an error kind such as access-error */
                         g_strdup_printf (_("Expected the call to fail with %s; it succeeded"),
                                          self->error_kind));
      else
        g_ptr_array_add (failures, g_strdup (_("Expected the call to fail; it succeeded")));
    }
  else if (self->error_kind != NULL && g_strcmp0 (self->error_kind, outcome->error_kind) != 0)
    g_ptr_array_add (failures,
                     /* Translators: two error kinds, e.g. access-error and validation */
                     g_strdup_printf (_("Expected the error %s, got %s"),
                                      self->error_kind, outcome->error_kind));

  if (self != NULL && self->has_status && self->status != outcome->status)
    {
      if (outcome->status == 0)
        g_ptr_array_add (failures,
                         /* Translators: %u is an HTTP status such as 200 */
                         g_strdup_printf (_("Expected status %u; no response came"),
                                          self->status));
      else
        g_ptr_array_add (failures,
                         /* Translators: two HTTP statuses, e.g. 200 and 403 */
                         g_strdup_printf (_("Expected status %u, got %u"),
                                          self->status, outcome->status));
    }

  if (self != NULL)
    for (guint i = 0; i < self->matchers->len; i++)
      evaluate_matcher (g_ptr_array_index (self->matchers, i), outcome->json, failures);

  if (self != NULL && self->has_max_ms)
    {
      gint64 ms = outcome->elapsed_us / 1000;

      if (ms > self->max_ms)
        g_ptr_array_add (failures,
                         /* Translators: two durations in milliseconds */
                         g_strdup_printf (_("Took %u ms, more than the %u ms allowed"),
                                          (guint) MIN (ms, G_MAXUINT), self->max_ms));
    }

  return g_steal_pointer (&failures);
}

/* ---- Captures ------------------------------------------------------------ */

gboolean
kg_capture_validate (JsonObject  *capture,
                     GError     **error)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *path;

  if (capture == NULL)
    return TRUE;
  json_object_iter_init_ordered (&iter, capture);
  while (json_object_iter_next_ordered (&iter, &name, &path))
    {
      if (!kg_variables_is_valid_name (name))
        {
          g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                       /* Translators: %s is a variable name in "capture" */
                       _("“%s” cannot be captured: a variable name has no spaces or braces "
                         "and does not start with “$”."), name);
          return FALSE;
        }
      if (!JSON_NODE_HOLDS_VALUE (path) || json_node_get_value_type (path) != G_TYPE_STRING)
        {
          g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                       /* Translators: %s is a variable name in "capture" */
                       _("The capture of “%s” must be a JSON path such as “$.result[0]”."),
                       name);
          return FALSE;
        }
      if (!check_path (json_node_get_string (path), error))
        return FALSE;
    }
  return TRUE;
}

gboolean
kg_capture_apply (JsonObject   *capture,
                  JsonNode     *json,
                  KgVariables  *vars,
                  GError      **error)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *path;

  g_return_val_if_fail (KG_IS_VARIABLES (vars), FALSE);

  if (capture == NULL)
    return TRUE;
  json_object_iter_init_ordered (&iter, capture);
  while (json_object_iter_next_ordered (&iter, &name, &path))
    {
      const char *text = json_node_get_string (path);
      g_autoptr(GError) path_error = NULL;
      JsonNode *found;

      if (text == NULL)
        continue;
      found = kg_json_path_lookup (json, text, &path_error);
      if (path_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&path_error));
          return FALSE;
        }
      if (found == NULL)
        {
          if (json == NULL)
            g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                         /* Translators: a variable name, then a JSON path */
                         _("Could not capture “%s”: the body is not JSON, so %s matches "
                           "nothing"), name, text);
          else
            g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                         /* Translators: a variable name, then a JSON path */
                         _("Could not capture “%s”: %s matches nothing"), name, text);
          return FALSE;
        }
      kg_variables_set (vars, KG_VARIABLES_CAPTURED, name, found);
    }
  return TRUE;
}
