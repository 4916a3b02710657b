/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the Requests page knows of the connection's server, for
 * completion: the model names (ir.model, when the model entry is focused)
 * and a model's fields (fields_get, when args or kwargs is focused). Each
 * is asked once per connection, in the background, with the connection's
 * key; an answer that fails is kept as "nothing", not asked again. */
#define G_LOG_DOMAIN "keygate-app"

#include "config.h"

#include <string.h>

#include "kg-requests-page-private.h"

/* The keys of the caches and of self->loading. */
static char *
models_key (KgProfile *profile)
{
  return g_strconcat ("models/", kg_profile_get_id (profile), NULL);
}

static char *
fields_key (KgProfile  *profile,
            const char *model)
{
  return g_strconcat (kg_profile_get_id (profile), "/", model, NULL);
}

/* One question in flight. Touched only while @cancellable (the page's
 * background cancellable of that profile) is not cancelled. */
typedef void (*LookupDone) (KgRequestsPage *self,
                            const char     *key,
                            const char     *model,
                            KgCallResult   *result);

typedef struct
{
  KgRequestsPage *self;
  GCancellable   *cancellable;
  KgCaller       *caller;
  KgModelCall    *call;
  char           *key;
  char           *model;
  LookupDone      done;
} Lookup;

static void
lookup_free (Lookup *lookup)
{
  g_clear_object (&lookup->cancellable);
  g_clear_object (&lookup->caller);
  g_clear_object (&lookup->call);
  g_free (lookup->key);
  g_free (lookup->model);
  g_free (lookup);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Lookup, lookup_free)

static void
lookup_answered_cb (GObject      *source,
                    GAsyncResult *res,
                    gpointer      user_data)
{
  g_autoptr(Lookup) lookup = user_data;
  g_autoptr(KgCallResult) result = NULL;

  result = kg_caller_call_model_finish (KG_CALLER (source), res, NULL);
  if (g_cancellable_is_cancelled (lookup->cancellable))
    return;
  g_hash_table_remove (lookup->self->loading, lookup->key);
  lookup->done (lookup->self, lookup->key, lookup->model, result);
}

static void
lookup_key_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(Lookup) lookup = user_data;
  g_autoptr(KgSecretString) key = NULL;
  GCancellable *cancellable;
  KgCaller *caller;
  KgModelCall *call;

  key = kg_keyring_lookup_finish (result, NULL);
  if (g_cancellable_is_cancelled (lookup->cancellable))
    return;
  if (key == NULL)
    {
      /* No key yet: ask again next time. */
      g_hash_table_remove (lookup->self->loading, lookup->key);
      return;
    }
  cancellable = lookup->cancellable;
  caller = lookup->caller;
  call = lookup->call;
  kg_caller_call_model_async (caller, key, call, cancellable, lookup_answered_cb,
                              g_steal_pointer (&lookup));
}

/* Asks @call of the page's connection unless @key is cached in @cache or
 * on the way; @done gets the answer (NULL when the call could not be made). */
static void
lookup_start (KgRequestsPage *self,
              GHashTable     *cache,
              const char     *key,
              const char     *model,
              KgModelCall    *call,
              LookupDone      done)
{
  KgPage *page = KG_PAGE (self);
  KgProfile *profile = kg_page_get_profile (page);
  Lookup *lookup;

  if (kg_page_get_context (page) == NULL || profile == NULL ||
      g_hash_table_contains (cache, key) || g_hash_table_contains (self->loading, key))
    return;

  g_hash_table_add (self->loading, g_strdup (key));
  lookup = g_new0 (Lookup, 1);
  lookup->self = self;
  lookup->cancellable = g_object_ref (kg_page_get_cancellable (page));
  lookup->caller = g_object_ref (kg_requests_page_ensure_caller (self));
  lookup->call = g_object_ref (call);
  lookup->key = g_strdup (key);
  lookup->model = g_strdup (model);
  lookup->done = done;
  kg_keyring_lookup_async (profile, lookup->cancellable, lookup_key_cb, lookup);
}

static gboolean
is_current (KgRequestsPage *self,
            const char     *key,
            const char     *model)
{
  KgProfile *profile = kg_page_get_profile (KG_PAGE (self));
  g_autofree char *current = NULL;

  if (profile == NULL)
    return FALSE;
  current = model != NULL ? fields_key (profile, model) : models_key (profile);
  return g_str_equal (current, key);
}

/* What a successful call answered ("result"), or NULL. */
static JsonNode *
answer_of (KgCallResult *result)
{
  if (result == NULL || !kg_call_result_get_ok (result))
    return NULL;
  return kg_json_path_lookup (kg_call_result_get_json (result), "$.result", NULL);
}

/* A model call whose arguments are written as JSON text. */
static KgModelCall *
model_call (const char *model,
            const char *method,
            const char *args,
            const char *kwargs)
{
  g_autoptr(JsonNode) args_node = kg_json_parse (args, -1, NULL);
  g_autoptr(JsonNode) kwargs_node = kg_json_parse (kwargs, -1, NULL);

  return kg_model_call_new (model, method, json_node_get_array (args_node),
                            json_node_get_object (kwargs_node), NULL);
}

/* Model names ------------------------------------------------------------- */

static GStrv
read_model_names (KgCallResult *result)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonNode *rows = answer_of (result);

  if (rows != NULL && JSON_NODE_HOLDS_ARRAY (rows))
    {
      JsonArray *array = json_node_get_array (rows);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonObject *row = kg_json_node_get_object (json_array_get_element (array, i));
          const char *model = kg_json_get_string (row, "model");
          const char *name = kg_json_get_string (row, "name");

          if (model == NULL)
            continue;
          g_strv_builder_add (builder, model);
          g_strv_builder_add (builder, name ? name : "");
        }
    }
  return g_strv_builder_end (builder);
}

static void
models_done (KgRequestsPage *self,
             const char     *key,
             const char     *model,
             KgCallResult   *result)
{
  GStrv names = read_model_names (result);

  g_hash_table_replace (self->model_names, g_strdup (key), names);
  if (is_current (self, key, NULL))
    kg_request_editor_set_models (self->editor, (const char * const *) names);
}

static void
models_wanted_cb (KgRequestsPage *self)
{
  KgProfile *profile = kg_page_get_profile (KG_PAGE (self));
  g_autoptr(KgModelCall) call = NULL;
  g_autofree char *key = NULL;

  if (profile == NULL)
    return;
  call = model_call ("ir.model", "search_read", "[[]]",
                     "{\"fields\": [\"model\", \"name\"], \"order\": \"model\"}");
  key = models_key (profile);
  lookup_start (self, self->model_names, key, NULL, call, models_done);
}

/* Fields of a model --------------------------------------------------------- */

static void
fields_done (KgRequestsPage *self,
             const char     *key,
             const char     *model,
             KgCallResult   *result)
{
  JsonObject *answer = kg_json_node_get_object (answer_of (result));
  JsonObject *fields = answer != NULL ? json_object_ref (answer) : json_object_new ();

  g_hash_table_replace (self->model_fields, g_strdup (key), fields);
  if (is_current (self, key, model))
    kg_request_editor_set_fields (self->editor, model, fields);
}

static void
fields_wanted_cb (KgRequestsPage *self,
                  const char     *model)
{
  KgProfile *profile = kg_page_get_profile (KG_PAGE (self));
  g_autoptr(KgModelCall) call = NULL;
  g_autofree char *key = NULL;
  JsonObject *known;

  if (profile == NULL || model == NULL || model[0] == '\0')
    return;
  key = fields_key (profile, model);
  known = g_hash_table_lookup (self->model_fields, key);
  if (known != NULL)
    {
      kg_request_editor_set_fields (self->editor, model, known);
      return;
    }

  /* Named arguments only: the same call on JSON-RPC and JSON-2. */
  call = model_call (model, "fields_get", "[]", "{\"attributes\": [\"string\", \"type\"]}");
  lookup_start (self, self->model_fields, key, model, call, fields_done);
}

/* The page ------------------------------------------------------------------ */

void
kg_requests_page_schema_profile_changed (KgRequestsPage *self)
{
  KgProfile *profile = kg_page_get_profile (KG_PAGE (self));
  g_autofree char *key = profile ? models_key (profile) : NULL;
  GStrv names = key ? g_hash_table_lookup (self->model_names, key) : NULL;

  /* Its background work was cancelled with the old profile. */
  g_hash_table_remove_all (self->loading);
  kg_request_editor_set_models (self->editor, (const char * const *) names);
  kg_request_editor_set_fields (self->editor, NULL, NULL);
}

static gboolean
is_of_profile (gpointer key,
               gpointer value,
               gpointer user_data)
{
  const char *id = user_data;

  return g_str_has_prefix (key, id) && ((const char *) key)[strlen (id)] == '/';
}

void
kg_requests_page_schema_forget (KgRequestsPage *self,
                                KgProfile      *profile)
{
  g_autofree char *key = models_key (profile);

  g_hash_table_remove (self->model_names, key);
  g_hash_table_foreach_remove (self->model_fields, is_of_profile,
                               (gpointer) kg_profile_get_id (profile));
  kg_request_editor_set_fields (self->editor, NULL, NULL);
}

void
kg_requests_page_schema_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, models_wanted_cb);
  gtk_widget_class_bind_template_callback (widget_class, fields_wanted_cb);
}

void
kg_requests_page_schema_init (KgRequestsPage *self)
{
  self->model_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) g_strfreev);
  self->model_fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify) json_object_unref);
  self->loading = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

void
kg_requests_page_schema_finalize (KgRequestsPage *self)
{
  g_clear_pointer (&self->model_names, g_hash_table_unref);
  g_clear_pointer (&self->model_fields, g_hash_table_unref);
  g_clear_pointer (&self->loading, g_hash_table_unref);
}
