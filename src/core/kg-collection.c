/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A request collection and its file. */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "kg-collection.h"
#include "kg-error.h"
#include "kg-json.h"

struct _KgCollection
{
  GObject      parent_instance;
  char        *name;
  char        *connection;
  JsonObject  *variables;
  GListStore  *requests;
  JsonObject  *unknown;
  GFile       *file;
  /* What the file was when loaded or saved, to see changes on disk. */
  gboolean     stamped;
  guint64      stamp_mtime_us;
  goffset      stamp_size;
  char        *stamp_checksum;
};

G_DEFINE_FINAL_TYPE (KgCollection, kg_collection, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_CONNECTION,
  PROP_VARIABLES,
  PROP_FILE,
  PROP_REQUESTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const known_members[] = {
  "keygate_collection", "name", "connection", "variables", "requests"
};

static void
kg_collection_finalize (GObject *object)
{
  KgCollection *self = KG_COLLECTION (object);

  g_free (self->name);
  g_free (self->connection);
  g_clear_pointer (&self->variables, json_object_unref);
  g_clear_object (&self->requests);
  g_clear_pointer (&self->unknown, json_object_unref);
  g_clear_object (&self->file);
  g_free (self->stamp_checksum);

  G_OBJECT_CLASS (kg_collection_parent_class)->finalize (object);
}

static void
kg_collection_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  KgCollection *self = KG_COLLECTION (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_CONNECTION:
      g_value_set_string (value, self->connection);
      break;
    case PROP_VARIABLES:
      g_value_set_boxed (value, self->variables);
      break;
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    case PROP_REQUESTS:
      g_value_set_object (value, self->requests);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kg_collection_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  KgCollection *self = KG_COLLECTION (object);

  switch (prop_id)
    {
    case PROP_NAME:
      kg_collection_set_name (self, g_value_get_string (value));
      break;
    case PROP_CONNECTION:
      kg_collection_set_connection (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kg_collection_class_init (KgCollectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kg_collection_finalize;
  object_class->get_property = kg_collection_get_property;
  object_class->set_property = kg_collection_set_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONNECTION] =
    g_param_spec_string ("connection", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VARIABLES] =
    g_param_spec_boxed ("variables", NULL, NULL, JSON_TYPE_OBJECT,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REQUESTS] =
    g_param_spec_object ("requests", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kg_collection_init (KgCollection *self)
{
  self->name = g_strdup ("");
  self->variables = json_object_new ();
  self->requests = g_list_store_new (KG_TYPE_COLLECTION_REQUEST);
}

KgCollection *
kg_collection_new (const char *name)
{
  return g_object_new (KG_TYPE_COLLECTION, "name", name != NULL ? name : "", NULL);
}

/* ---- Loading ------------------------------------------------------------- */

static gboolean
read_collection (KgCollection  *self,
                 JsonNode      *root,
                 const char    *basename,
                 GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  JsonObject *object;
  JsonNode *version;
  JsonNode *requests;
  JsonObject *variables = NULL;
  const char *name = NULL;
  const char *connection = NULL;
  gint64 number = 0;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                   /* Translators: %s is a file name */
                   _("%s: a collection is a JSON object."), basename);
      return FALSE;
    }
  object = json_node_get_object (root);
  version = json_object_get_member (object, "keygate_collection");
  if (version == NULL)
    {
      g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                   /* Translators: %s is a file name; keygate_collection is a JSON member */
                   _("%s: not a Keygate collection (it has no “keygate_collection” member)."),
                   basename);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_VALUE (version) || json_node_get_value_type (version) != G_TYPE_INT64
      || (number = json_node_get_int (version)) != 1)
    {
      g_autofree char *text = json_to_string (version, FALSE);

      g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                   /* Translators: a file name, then the version the file gives */
                   _("%s: collection version %s is not one this Keygate reads (it reads "
                     "version 1)."), basename, text);
      return FALSE;
    }

  if (!kg_json_read_string (object, "name", FALSE, &name, &local_error)
      || !kg_json_read_string (object, "connection", FALSE, &connection, &local_error)
      || !kg_json_read_object (object, "variables", FALSE, &variables, &local_error)
      || (variables != NULL && !kg_variables_check_names (variables, &local_error)))
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ", basename);
      return FALSE;
    }
  requests = json_object_get_member (object, "requests");
  if (requests != NULL && !JSON_NODE_HOLDS_ARRAY (requests))
    {
      kg_json_member_error (&local_error, "requests", _("an array"));
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ", basename);
      return FALSE;
    }

  g_free (self->name);
  self->name = g_strdup (name != NULL ? name : "");
  self->connection = g_strdup (connection);
  if (variables != NULL)
    {
      g_clear_pointer (&self->variables, json_object_unref);
      self->variables = kg_json_object_deep_copy (variables);
    }

  for (guint i = 0; requests != NULL && i < json_array_get_length (json_node_get_array (requests));
       i++)
    {
      JsonNode *node = json_array_get_element (json_node_get_array (requests), i);
      g_autoptr(KgCollectionRequest) request = NULL;
      const char *request_name = NULL;

      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonNode *name_node = json_object_get_member (json_node_get_object (node), "name");

          if (name_node != NULL && JSON_NODE_HOLDS_VALUE (name_node)
              && json_node_get_value_type (name_node) == G_TYPE_STRING)
            request_name = json_node_get_string (name_node);
          request = kg_collection_request_new_from_json (json_node_get_object (node),
                                                         &local_error);
        }
      else
        g_set_error_literal (&local_error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                             _("A request is a JSON object."));

      if (request == NULL)
        {
          if (request_name != NULL)
            g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                        /* Translators: a file name, a request number, its
                                         * name; the problem follows */
                                        _("%s: request %u (“%s”): "), basename, i + 1,
                                        request_name);
          else
            g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                        /* Translators: a file name, a request number; the
                                         * problem follows */
                                        _("%s: request %u: "), basename, i + 1);
          return FALSE;
        }
      g_list_store_append (self->requests, request);
    }

  self->unknown = kg_json_object_dup_unknown (object, known_members,
                                              G_N_ELEMENTS (known_members));
  return TRUE;
}

static void
stamp (KgCollection *self,
       GFileInfo    *info,
       const char   *data,
       gsize         length)
{
  self->stamped = TRUE;
  self->stamp_mtime_us = g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED)
                         * G_USEC_PER_SEC
                         + g_file_info_get_attribute_uint32 (info,
                                                             G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC);
  self->stamp_size = g_file_info_get_size (info);
  g_free (self->stamp_checksum);
  self->stamp_checksum = g_compute_checksum_for_data (G_CHECKSUM_SHA256,
                                                      (const guchar *) data, length);
}

#define STAMP_ATTRIBUTES G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE "," \
                         G_FILE_ATTRIBUTE_TIME_MODIFIED "," G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC

KgCollection *
kg_collection_load (GFile   *file,
                    GError **error)
{
  g_autoptr(KgCollection) self = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *data = NULL;
  gsize length = 0;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  basename = g_file_get_basename (file);
  info = g_file_query_info (file, STAMP_ATTRIBUTES, G_FILE_QUERY_INFO_NONE, NULL, &local_error);
  if (info == NULL)
    {
      g_set_error (error, KG_ERROR, KG_ERROR_STORE,
                   /* Translators: a file name, then why it cannot be read */
                   _("%s: cannot be read: %s"), basename, local_error->message);
      return NULL;
    }
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error (error, KG_ERROR, KG_ERROR_STORE,
                   /* Translators: %s is a file name */
                   _("%s: not a regular file."), basename);
      return NULL;
    }
  if (g_file_info_get_size (info) > KG_COLLECTION_MAX_SIZE)
    {
      g_autofree char *size = g_format_size_full (g_file_info_get_size (info),
                                                  G_FORMAT_SIZE_IEC_UNITS);
      g_autofree char *limit = g_format_size_full (KG_COLLECTION_MAX_SIZE, G_FORMAT_SIZE_IEC_UNITS);

      g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                   /* Translators: a file name, its size, the largest size that loads */
                   _("%s: the file is %s; collections up to %s load."), basename, size, limit);
      return NULL;
    }
  if (!g_file_load_contents (file, NULL, &data, &length, NULL, &local_error))
    {
      g_set_error (error, KG_ERROR, KG_ERROR_STORE,
                   /* Translators: a file name, then why it cannot be read */
                   _("%s: cannot be read: %s"), basename, local_error->message);
      return NULL;
    }
  if (length > KG_COLLECTION_MAX_SIZE)
    {
      g_autofree char *limit = g_format_size_full (KG_COLLECTION_MAX_SIZE, G_FORMAT_SIZE_IEC_UNITS);

      g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                   /* Translators: a file name, the largest size that loads */
                   _("%s: the file grew past %s while it was read."), basename, limit);
      return NULL;
    }

  root = kg_json_parse (data, length, &local_error);
  if (root == NULL)
    {
      if (local_error != NULL && g_error_matches (local_error, KG_ERROR, KG_ERROR_NOT_JSON))
        g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                     "%s: %s", basename, local_error->message);
      else if (local_error != NULL)
        g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                     /* Translators: a file name, then what is wrong:
                      * "Line 2, column 11: …" */
                     _("%s: not JSON: %s"), basename, local_error->message);
      else
        g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                     /* Translators: %s is a file name */
                     _("%s: the file is empty."), basename);
      return NULL;
    }

  self = g_object_new (KG_TYPE_COLLECTION, NULL);
  if (!read_collection (self, root, basename, error))
    return NULL;
  self->file = g_object_ref (file);
  stamp (self, info, data, length);
  return g_steal_pointer (&self);
}

/* ---- Saving -------------------------------------------------------------- */

JsonNode *
kg_collection_to_json (KgCollection *self)
{
  g_autoptr(JsonObject) object = json_object_new ();
  JsonArray *requests;
  guint n;

  g_return_val_if_fail (KG_IS_COLLECTION (self), NULL);

  json_object_set_int_member (object, "keygate_collection", 1);
  json_object_set_string_member (object, "name", self->name);
  if (self->connection != NULL)
    json_object_set_string_member (object, "connection", self->connection);
  json_object_set_object_member (object, "variables", kg_json_object_deep_copy (self->variables));
  n = g_list_model_get_n_items (G_LIST_MODEL (self->requests));
  requests = json_array_sized_new (n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KgCollectionRequest) request = g_list_model_get_item (G_LIST_MODEL (self->requests),
                                                                      i);

      json_array_add_object_element (requests, kg_collection_request_to_json (request));
    }
  json_object_set_array_member (object, "requests", requests);
  kg_json_object_add_members (object, self->unknown);
  return json_node_init_object (json_node_alloc (), object);
}

/* Whether the file changed since it was stamped: another size, or another
 * modification time and other contents. A file gone is not a change. */
static gboolean
changed_on_disk (KgCollection *self)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *data = NULL;
  g_autofree char *checksum = NULL;
  gsize length = 0;
  guint64 mtime_us;

  if (!self->stamped)
    return FALSE;
  info = g_file_query_info (self->file, STAMP_ATTRIBUTES, G_FILE_QUERY_INFO_NONE, NULL, NULL);
  if (info == NULL)
    return FALSE;
  if (g_file_info_get_size (info) != self->stamp_size)
    return TRUE;
  mtime_us = g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED)
             * G_USEC_PER_SEC
             + g_file_info_get_attribute_uint32 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC);
  if (mtime_us == self->stamp_mtime_us)
    return FALSE;
  if (!g_file_load_contents (self->file, NULL, &data, &length, NULL, NULL))
    return TRUE;
  checksum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, length);
  return g_strcmp0 (checksum, self->stamp_checksum) != 0;
}

gboolean
kg_collection_save (KgCollection  *self,
                    GFile         *file,
                    gboolean       force,
                    GError       **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *text = NULL;
  g_autofree char *data = NULL;
  gboolean same_file;

  g_return_val_if_fail (KG_IS_COLLECTION (self), FALSE);
  g_return_val_if_fail (file == NULL || G_IS_FILE (file), FALSE);

  if (file == NULL)
    file = self->file;
  if (file == NULL)
    {
      g_set_error_literal (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                           _("The collection has no file yet: choose where to save it."));
      return FALSE;
    }
  basename = g_file_get_basename (file);
  same_file = self->file != NULL && g_file_equal (file, self->file);

  if (same_file && !force && changed_on_disk (self))
    {
      g_set_error (error, KG_ERROR, KG_ERROR_STORE,
                   /* Translators: %s is a file name */
                   _("%s changed on disk since it was opened: reload it, or save anyway to "
                     "replace the other changes."), basename);
      return FALSE;
    }

  root = kg_collection_to_json (self);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  text = json_generator_to_data (generator, NULL);
  data = g_strconcat (text, "\n", NULL);

  /* GIO writes a temporary file next to @file and renames it over. */
  if (!g_file_replace_contents (file, data, strlen (data), NULL, FALSE, G_FILE_CREATE_NONE,
                                NULL, NULL, &local_error))
    {
      g_set_error (error, KG_ERROR, KG_ERROR_STORE,
                   /* Translators: a file name, then why it could not be written */
                   _("%s: could not be saved: %s"), basename, local_error->message);
      return FALSE;
    }

  if (!same_file)
    {
      g_set_object (&self->file, file);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
    }
  info = g_file_query_info (file, STAMP_ATTRIBUTES, G_FILE_QUERY_INFO_NONE, NULL, NULL);
  if (info != NULL)
    stamp (self, info, data, strlen (data));
  else
    self->stamped = FALSE;
  return TRUE;
}

/* ---- Accessors ----------------------------------------------------------- */

const char *
kg_collection_get_name (KgCollection *self)
{
  g_return_val_if_fail (KG_IS_COLLECTION (self), NULL);

  return self->name;
}

void
kg_collection_set_name (KgCollection *self,
                        const char   *name)
{
  g_return_if_fail (KG_IS_COLLECTION (self));

  if (name == NULL)
    name = "";
  if (g_strcmp0 (self->name, name) == 0)
    return;
  g_free (self->name);
  self->name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

const char *
kg_collection_get_connection (KgCollection *self)
{
  g_return_val_if_fail (KG_IS_COLLECTION (self), NULL);

  return self->connection;
}

void
kg_collection_set_connection (KgCollection *self,
                              const char   *connection)
{
  g_return_if_fail (KG_IS_COLLECTION (self));

  if (connection != NULL && connection[0] == '\0')
    connection = NULL;
  if (g_strcmp0 (self->connection, connection) == 0)
    return;
  g_free (self->connection);
  self->connection = g_strdup (connection);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTION]);
}

JsonObject *
kg_collection_get_variables (KgCollection *self)
{
  g_return_val_if_fail (KG_IS_COLLECTION (self), NULL);

  return self->variables;
}

gboolean
kg_collection_set_variables (KgCollection  *self,
                             JsonObject    *variables,
                             GError       **error)
{
  g_return_val_if_fail (KG_IS_COLLECTION (self), FALSE);

  if (variables != NULL && !kg_variables_check_names (variables, error))
    return FALSE;
  g_clear_pointer (&self->variables, json_object_unref);
  self->variables = variables != NULL ? kg_json_object_deep_copy (variables) : json_object_new ();
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VARIABLES]);
  return TRUE;
}

GFile *
kg_collection_get_file (KgCollection *self)
{
  g_return_val_if_fail (KG_IS_COLLECTION (self), NULL);

  return self->file;
}

GListModel *
kg_collection_get_requests (KgCollection *self)
{
  g_return_val_if_fail (KG_IS_COLLECTION (self), NULL);

  return G_LIST_MODEL (self->requests);
}

guint
kg_collection_get_n_requests (KgCollection *self)
{
  g_return_val_if_fail (KG_IS_COLLECTION (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->requests));
}

KgCollectionRequest *
kg_collection_get_request (KgCollection *self,
                           guint         position)
{
  g_autoptr(KgCollectionRequest) request = NULL;

  g_return_val_if_fail (KG_IS_COLLECTION (self), NULL);

  /* The store keeps a reference: the borrowed pointer stays valid. */
  request = g_list_model_get_item (G_LIST_MODEL (self->requests), position);
  return request;
}

void
kg_collection_add_request (KgCollection        *self,
                           KgCollectionRequest *request)
{
  kg_collection_insert_request (self, G_MAXUINT, request);
}

void
kg_collection_insert_request (KgCollection        *self,
                              guint                position,
                              KgCollectionRequest *request)
{
  guint n;

  g_return_if_fail (KG_IS_COLLECTION (self));
  g_return_if_fail (KG_IS_COLLECTION_REQUEST (request));

  n = g_list_model_get_n_items (G_LIST_MODEL (self->requests));
  g_list_store_insert (self->requests, MIN (position, n), request);
}

void
kg_collection_remove_request (KgCollection *self,
                              guint         position)
{
  g_return_if_fail (KG_IS_COLLECTION (self));
  g_return_if_fail (position < g_list_model_get_n_items (G_LIST_MODEL (self->requests)));

  g_list_store_remove (self->requests, position);
}

void
kg_collection_move_request (KgCollection *self,
                            guint         from,
                            guint         to)
{
  g_autoptr(KgCollectionRequest) request = NULL;
  guint n;

  g_return_if_fail (KG_IS_COLLECTION (self));
  n = g_list_model_get_n_items (G_LIST_MODEL (self->requests));
  g_return_if_fail (from < n && to < n);

  if (from == to)
    return;
  request = g_list_model_get_item (G_LIST_MODEL (self->requests), from);
  g_list_store_remove (self->requests, from);
  g_list_store_insert (self->requests, to, request);
}
