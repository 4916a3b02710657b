/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "keygate-identity"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "kg-error.h"
#include "kg-identity.h"
#include "kg-secret.h"

struct _KgIdentity
{
  GObject     parent_instance;

  gint64      uid;
  char       *login;
  char       *name;
  char       *server_version;
  char       *key_name;
  KgTristate  two_factor;
  KgTristate  can_create_projects;
  GPtrArray  *api_keys;      /* of KgApiKeyInfo */
  gboolean    keys_read;
  KgKeyMatch  key_match;
  GDateTime  *key_expiry;
};

G_DEFINE_FINAL_TYPE (KgIdentity, kg_identity, G_TYPE_OBJECT)

static void
api_key_info_free (KgApiKeyInfo *info)
{
  g_free (info->name);
  g_free (info->scope);
  g_clear_pointer (&info->create_date, g_date_time_unref);
  g_clear_pointer (&info->expiration_date, g_date_time_unref);
  g_free (info);
}

static void
kg_identity_finalize (GObject *object)
{
  KgIdentity *self = KG_IDENTITY (object);

  g_free (self->login);
  g_free (self->name);
  g_free (self->server_version);
  g_free (self->key_name);
  g_clear_pointer (&self->api_keys, g_ptr_array_unref);
  g_clear_pointer (&self->key_expiry, g_date_time_unref);

  G_OBJECT_CLASS (kg_identity_parent_class)->finalize (object);
}

static void
kg_identity_class_init (KgIdentityClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kg_identity_finalize;
}

static void
kg_identity_init (KgIdentity *self)
{
  self->two_factor = KG_TRISTATE_UNKNOWN;
  self->can_create_projects = KG_TRISTATE_UNKNOWN;
  self->api_keys = g_ptr_array_new_with_free_func ((GDestroyNotify) api_key_info_free);
}

/* ---- Fetching ------------------------------------------------------------ */

typedef struct
{
  KgOdooRpc  *rpc;
  char       *api_key;
  KgIdentity *identity;
  int         major;
  gboolean    read_without_totp;
} FetchData;

static void
fetch_data_free (FetchData *data)
{
  g_clear_object (&data->rpc);
  g_clear_pointer (&data->api_key, kg_secret_free);
  g_clear_object (&data->identity);
  g_free (data);
}

static void read_user (GTask *task);
static void read_access (GTask *task);
static void read_api_keys (GTask *task);

/* A step failed: keep going unless the caller cancelled. */
static gboolean
step_failed (GTask        *task,
             GError      **error,
             const char   *step)
{
  if (g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (error));
      return TRUE;
    }

  g_debug ("Identity step “%s” failed, its value stays unknown: %s", step, (*error)->message);
  g_clear_error (error);
  return FALSE;
}

static const char *
object_get_string_or_null (JsonObject *object,
                           const char *member)
{
  JsonNode *node;

  if (!json_object_has_member (object, member))
    return NULL;
  node = json_object_get_member (object, member);
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  return NULL;  /* Odoo sends false for an empty field */
}

/* "2026-02-24 06:38:12" (UTC) → GDateTime; NULL for false or garbage. */
static GDateTime *
parse_odoo_datetime (JsonObject *object,
                     const char *member)
{
  const char *text = object_get_string_or_null (object, member);
  g_autofree char *iso = NULL;
  g_autoptr(GTimeZone) utc = NULL;

  if (text == NULL || strlen (text) < 10)
    return NULL;

  if (strlen (text) == 10)
    iso = g_strconcat (text, "T00:00:00", NULL);
  else
    iso = g_strdup (text);
  if (iso[10] == ' ')
    iso[10] = 'T';

  utc = g_time_zone_new_utc ();
  return g_date_time_new_from_iso8601 (iso, utc);
}

static void
finish_fetch (GTask *task)
{
  FetchData *data = g_task_get_task_data (task);
  KgIdentity *self = data->identity;
  KgApiKeyInfo *key = NULL;

  if (!self->keys_read || self->api_keys->len == 0)
    self->key_match = KG_KEY_MATCH_UNKNOWN;
  else if (self->key_name != NULL && self->key_name[0] != '\0')
    {
      for (guint i = 0; i < self->api_keys->len && key == NULL; i++)
        {
          KgApiKeyInfo *info = g_ptr_array_index (self->api_keys, i);

          if (g_strcmp0 (info->name, self->key_name) == 0)
            key = info;
        }
      self->key_match = key != NULL ? KG_KEY_MATCH_NAMED : KG_KEY_MATCH_NO_SUCH_NAME;
    }
  else if (self->api_keys->len == 1)
    {
      key = g_ptr_array_index (self->api_keys, 0);
      self->key_match = KG_KEY_MATCH_ONLY_KEY;
    }
  else
    self->key_match = KG_KEY_MATCH_AMBIGUOUS;

  if (key != NULL && key->expiration_date != NULL)
    self->key_expiry = g_date_time_ref (key->expiration_date);

  g_task_return_pointer (task, g_object_ref (self), g_object_unref);
}

static void
api_keys_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FetchData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonArray *array;

  node = kg_odoo_rpc_execute_kw_finish (KG_ODOO_RPC (source), result, &error);
  if (node == NULL)
    {
      if (!step_failed (task, &error, "res.users.apikeys search_read"))
        finish_fetch (task);
      return;
    }

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      finish_fetch (task);
      return;
    }

  data->identity->keys_read = TRUE;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *object;
      KgApiKeyInfo *info;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      object = json_node_get_object (element);

      info = g_new0 (KgApiKeyInfo, 1);
      info->name = g_strdup (object_get_string_or_null (object, "name"));
      info->scope = g_strdup (object_get_string_or_null (object, "scope"));
      info->create_date = parse_odoo_datetime (object, "create_date");
      info->expiration_date = parse_odoo_datetime (object, "expiration_date");
      g_ptr_array_add (data->identity->api_keys, info);
    }

  finish_fetch (task);
}

static void
read_api_keys (GTask *task)
{
  FetchData *data = g_task_get_task_data (task);
  g_autoptr(JsonArray) args = json_array_new ();
  g_autoptr(JsonObject) kwargs = json_object_new ();
  JsonArray *domain = json_array_new ();
  JsonArray *leaf = json_array_new ();
  JsonArray *fields = json_array_new ();

  json_array_add_string_element (leaf, "user_id");
  json_array_add_string_element (leaf, "=");
  json_array_add_int_element (leaf, data->identity->uid);
  json_array_add_array_element (domain, leaf);
  json_array_add_array_element (args, domain);

  json_array_add_string_element (fields, "name");
  json_array_add_string_element (fields, "scope");
  json_array_add_string_element (fields, "create_date");
  json_array_add_string_element (fields, "expiration_date");
  json_object_set_array_member (kwargs, "fields", fields);

  kg_odoo_rpc_execute_kw_async (data->rpc, data->identity->uid, data->api_key,
                                "res.users.apikeys", "search_read", args, kwargs,
                                g_task_get_cancellable (task), api_keys_cb,
                                g_object_ref (task));
}

static gboolean
node_get_boolean (JsonNode   *node,
                  KgTristate *out)
{
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    {
      *out = json_node_get_boolean (node) ? KG_TRISTATE_TRUE : KG_TRISTATE_FALSE;
      return TRUE;
    }
  return FALSE;
}

static void
check_access_rights_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FetchData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = kg_odoo_rpc_execute_kw_finish (KG_ODOO_RPC (source), result, &error);
  if (node == NULL && step_failed (task, &error, "check_access_rights"))
    return;
  if (node != NULL)
    node_get_boolean (node, &data->identity->can_create_projects);

  read_api_keys (task);
}

static void
check_access_rights (GTask *task)
{
  FetchData *data = g_task_get_task_data (task);
  g_autoptr(JsonArray) args = json_array_new ();
  g_autoptr(JsonObject) kwargs = json_object_new ();

  json_array_add_string_element (args, "create");
  json_object_set_boolean_member (kwargs, "raise_exception", FALSE);

  kg_odoo_rpc_execute_kw_async (data->rpc, data->identity->uid, data->api_key,
                                "project.project", "check_access_rights", args, kwargs,
                                g_task_get_cancellable (task), check_access_rights_cb,
                                g_object_ref (task));
}

static void
has_access_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FetchData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = kg_odoo_rpc_execute_kw_finish (KG_ODOO_RPC (source), result, &error);
  if (node == NULL)
    {
      if (step_failed (task, &error, "has_access"))
        return;
      /* Version unknown: an older server may still answer the old way. */
      if (data->major == 0)
        {
          check_access_rights (task);
          return;
        }
    }
  else
    {
      node_get_boolean (node, &data->identity->can_create_projects);
    }

  read_api_keys (task);
}

static void
read_access (GTask *task)
{
  FetchData *data = g_task_get_task_data (task);
  g_autoptr(JsonArray) args = NULL;

  if (data->major > 0 && data->major < 18)
    {
      check_access_rights (task);
      return;
    }

  args = json_array_new ();
  json_array_add_array_element (args, json_array_new ());
  json_array_add_string_element (args, "create");
  kg_odoo_rpc_execute_kw_async (data->rpc, data->identity->uid, data->api_key,
                                "project.project", "has_access", args, NULL,
                                g_task_get_cancellable (task), has_access_cb,
                                g_object_ref (task));
}

static void
read_user_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FetchData *data = g_task_get_task_data (task);
  KgIdentity *self = data->identity;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *user;

  node = kg_odoo_rpc_execute_kw_finish (KG_ODOO_RPC (source), result, &error);
  if (node == NULL)
    {
      gboolean transport = error->domain == KG_ERROR &&
                           (error->code == KG_ERROR_NETWORK || error->code == KG_ERROR_TIMEOUT ||
                            error->code == KG_ERROR_TLS);

      if (step_failed (task, &error, "res.users read"))
        return;
      /* Servers without auth_totp have no totp_enabled field: ask again without it. */
      if (!data->read_without_totp && !transport)
        {
          data->read_without_totp = TRUE;
          read_user (task);
          return;
        }
      read_access (task);
      return;
    }

  if (JSON_NODE_HOLDS_ARRAY (node) && json_array_get_length (json_node_get_array (node)) > 0 &&
      JSON_NODE_HOLDS_OBJECT (json_array_get_element (json_node_get_array (node), 0)))
    {
      user = json_array_get_object_element (json_node_get_array (node), 0);

      if (object_get_string_or_null (user, "name") != NULL)
        {
          g_free (self->name);
          self->name = g_strdup (object_get_string_or_null (user, "name"));
        }
      if (object_get_string_or_null (user, "login") != NULL)
        {
          g_free (self->login);
          self->login = g_strdup (object_get_string_or_null (user, "login"));
        }
      if (json_object_has_member (user, "totp_enabled"))
        node_get_boolean (json_object_get_member (user, "totp_enabled"), &self->two_factor);
    }

  read_access (task);
}

static void
read_user (GTask *task)
{
  FetchData *data = g_task_get_task_data (task);
  g_autoptr(JsonArray) args = json_array_new ();
  g_autoptr(JsonObject) kwargs = json_object_new ();
  JsonArray *ids = json_array_new ();
  JsonArray *fields = json_array_new ();

  json_array_add_int_element (ids, data->identity->uid);
  json_array_add_array_element (args, ids);
  json_array_add_string_element (fields, "name");
  json_array_add_string_element (fields, "login");
  if (!data->read_without_totp)
    json_array_add_string_element (fields, "totp_enabled");
  json_object_set_array_member (kwargs, "fields", fields);

  kg_odoo_rpc_execute_kw_async (data->rpc, data->identity->uid, data->api_key,
                                "res.users", "read", args, kwargs,
                                g_task_get_cancellable (task), read_user_cb,
                                g_object_ref (task));
}

static void
version_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FetchData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) version = NULL;

  version = kg_odoo_rpc_version_finish (KG_ODOO_RPC (source), result, &error);
  if (version == NULL)
    {
      if (step_failed (task, &error, "common.version"))
        return;
    }
  else
    {
      JsonNode *node = json_object_get_member (version, "server_version");

      data->major = kg_odoo_version_major (version);
      if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
          json_node_get_value_type (node) == G_TYPE_STRING)
        data->identity->server_version = g_strdup (json_node_get_string (node));
    }

  read_user (task);
}

static void
authenticate_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FetchData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;
  gint64 uid;

  uid = kg_odoo_rpc_authenticate_finish (KG_ODOO_RPC (source), result, &error);
  if (uid <= 0)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data->identity->uid = uid;
  /* Not g_task_get_cancellable (task) in the same call as g_steal_pointer
   * (&task): the order in which arguments are evaluated is unspecified. */
  cancellable = g_task_get_cancellable (task);
  kg_odoo_rpc_version_async (data->rpc, cancellable, version_cb, g_steal_pointer (&task));
}

void
kg_identity_fetch_async (KgOdooRpc           *rpc,
                         const char          *api_key,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  FetchData *data;
  KgProfile *profile;

  g_return_if_fail (KG_IS_ODOO_RPC (rpc));
  g_return_if_fail (api_key != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, kg_identity_fetch_async);

  profile = kg_odoo_rpc_get_profile (rpc);
  data = g_new0 (FetchData, 1);
  data->rpc = g_object_ref (rpc);
  data->api_key = g_strdup (api_key);
  data->identity = g_object_new (KG_TYPE_IDENTITY, NULL);
  data->identity->login = g_strdup (kg_profile_get_login (profile));
  data->identity->key_name = g_strdup (kg_profile_get_key_name (profile));
  g_task_set_task_data (task, data, (GDestroyNotify) fetch_data_free);

  kg_odoo_rpc_authenticate_async (rpc, api_key, KG_SECRET_API_KEY, cancellable,
                                  authenticate_cb, g_steal_pointer (&task));
}

KgIdentity *
kg_identity_fetch_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kg_identity_fetch_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- Accessors ----------------------------------------------------------- */

gint64
kg_identity_get_uid (KgIdentity *self)
{
  g_return_val_if_fail (KG_IS_IDENTITY (self), 0);
  return self->uid;
}

const char *
kg_identity_get_login (KgIdentity *self)
{
  g_return_val_if_fail (KG_IS_IDENTITY (self), NULL);
  return self->login;
}

const char *
kg_identity_get_name (KgIdentity *self)
{
  g_return_val_if_fail (KG_IS_IDENTITY (self), NULL);
  return self->name;
}

KgTristate
kg_identity_get_two_factor (KgIdentity *self)
{
  g_return_val_if_fail (KG_IS_IDENTITY (self), KG_TRISTATE_UNKNOWN);
  return self->two_factor;
}

KgTristate
kg_identity_get_can_create_projects (KgIdentity *self)
{
  g_return_val_if_fail (KG_IS_IDENTITY (self), KG_TRISTATE_UNKNOWN);
  return self->can_create_projects;
}

const char *
kg_identity_get_server_version (KgIdentity *self)
{
  g_return_val_if_fail (KG_IS_IDENTITY (self), NULL);
  return self->server_version;
}

GPtrArray *
kg_identity_get_api_keys (KgIdentity *self)
{
  g_return_val_if_fail (KG_IS_IDENTITY (self), NULL);
  return self->api_keys;
}

GDateTime *
kg_identity_get_key_expiry (KgIdentity *self)
{
  g_return_val_if_fail (KG_IS_IDENTITY (self), NULL);
  return self->key_expiry;
}

gboolean
kg_identity_get_key_expiry_matched (KgIdentity *self)
{
  g_return_val_if_fail (KG_IS_IDENTITY (self), FALSE);
  return self->key_match == KG_KEY_MATCH_NAMED || self->key_match == KG_KEY_MATCH_ONLY_KEY;
}

KgKeyMatch
kg_identity_get_key_match (KgIdentity *self)
{
  g_return_val_if_fail (KG_IS_IDENTITY (self), KG_KEY_MATCH_UNKNOWN);
  return self->key_match;
}

const char *
kg_identity_get_key_name (KgIdentity *self)
{
  g_return_val_if_fail (KG_IS_IDENTITY (self), NULL);
  return self->key_name;
}

/* Microseconds from @now (NULL: the current time) to the key's expiry. */
static GTimeSpan
time_left (KgIdentity *self,
           GDateTime  *now)
{
  g_autoptr(GDateTime) current = now ? g_date_time_ref (now) : g_date_time_new_now_utc ();

  return g_date_time_difference (self->key_expiry, current);
}

KgKeyExpiryState
kg_identity_get_key_expiry_state (KgIdentity *self,
                                  GDateTime  *now)
{
  GTimeSpan left;

  g_return_val_if_fail (KG_IS_IDENTITY (self), KG_KEY_EXPIRY_FINE);

  if (self->key_expiry == NULL)
    return KG_KEY_EXPIRY_FINE;
  left = time_left (self, now);
  if (left <= 0)
    return KG_KEY_EXPIRY_EXPIRED;
  if (left <= KG_KEY_EXPIRY_WARN_DAYS * G_TIME_SPAN_DAY)
    return KG_KEY_EXPIRY_SOON;
  return KG_KEY_EXPIRY_FINE;
}

guint
kg_identity_get_key_days_left (KgIdentity *self,
                               GDateTime  *now)
{
  GTimeSpan left;

  g_return_val_if_fail (KG_IS_IDENTITY (self), 0);

  if (self->key_expiry == NULL)
    return 0;
  left = time_left (self, now);
  if (left <= 0)
    return 0;
  return (guint) MIN ((left + G_TIME_SPAN_DAY - 1) / G_TIME_SPAN_DAY, G_MAXUINT);
}

static const char *
key_match_nick (KgKeyMatch match)
{
  switch (match)
    {
    case KG_KEY_MATCH_NAMED:
      return "named";
    case KG_KEY_MATCH_ONLY_KEY:
      return "only-key";
    case KG_KEY_MATCH_AMBIGUOUS:
      return "ambiguous";
    case KG_KEY_MATCH_NO_SUCH_NAME:
      return "no-such-name";
    case KG_KEY_MATCH_UNKNOWN:
    default:
      return "unknown";
    }
}

static const char *
key_expiry_state_nick (KgKeyExpiryState state)
{
  switch (state)
    {
    case KG_KEY_EXPIRY_SOON:
      return "soon";
    case KG_KEY_EXPIRY_EXPIRED:
      return "expired";
    case KG_KEY_EXPIRY_FINE:
    default:
      return "fine";
    }
}

static void
set_tristate (JsonObject *object,
              const char *member,
              KgTristate  value)
{
  if (value == KG_TRISTATE_UNKNOWN)
    json_object_set_null_member (object, member);
  else
    json_object_set_boolean_member (object, member, value == KG_TRISTATE_TRUE);
}

static void
set_nullable_string (JsonObject *object,
                     const char *member,
                     const char *value)
{
  if (value == NULL)
    json_object_set_null_member (object, member);
  else
    json_object_set_string_member (object, member, value);
}

static void
set_date (JsonObject *object,
          const char *member,
          GDateTime  *date)
{
  g_autofree char *text = date ? g_date_time_format_iso8601 (date) : NULL;

  set_nullable_string (object, member, text);
}

JsonObject *
kg_identity_to_json (KgIdentity *self)
{
  JsonObject *object;
  JsonArray *keys;

  g_return_val_if_fail (KG_IS_IDENTITY (self), NULL);

  object = json_object_new ();
  json_object_set_int_member (object, "uid", self->uid);
  set_nullable_string (object, "login", self->login);
  set_nullable_string (object, "name", self->name);
  set_tristate (object, "two_factor", self->two_factor);
  set_tristate (object, "can_create_projects", self->can_create_projects);
  set_date (object, "key_expiry", self->key_expiry);
  json_object_set_boolean_member (object, "key_expiry_matched",
                                  kg_identity_get_key_expiry_matched (self));
  json_object_set_string_member (object, "key_match", key_match_nick (self->key_match));
  json_object_set_string_member (object, "key_expiry_state",
                                 key_expiry_state_nick (kg_identity_get_key_expiry_state (self,
                                                                                          NULL)));
  set_nullable_string (object, "server_version", self->server_version);

  keys = json_array_new ();
  for (guint i = 0; i < self->api_keys->len; i++)
    {
      KgApiKeyInfo *info = g_ptr_array_index (self->api_keys, i);
      JsonObject *key = json_object_new ();

      set_nullable_string (key, "name", info->name);
      set_nullable_string (key, "scope", info->scope);
      set_date (key, "create_date", info->create_date);
      set_date (key, "expiration_date", info->expiration_date);
      json_array_add_object_element (keys, key);
    }
  json_object_set_array_member (object, "api_keys", keys);

  return object;
}
