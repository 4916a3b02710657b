/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "keygate-keyring"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "kg-error.h"
#include "kg-keyring-private.h"
#include "kg-secret.h"

/* Never log a key: this file logs attribute names and error texts only. */

/* Attributes identifying a profile's key: its id only, so that editing the
 * URL, database or login keeps finding the key. */
static GHashTable *
id_attributes (KgProfile *profile)
{
  GHashTable *attributes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  g_hash_table_insert (attributes, (gpointer) "profile-id", g_strdup (kg_profile_get_id (profile)));
  return attributes;
}

static GHashTable *
all_attributes (KgProfile *profile)
{
  GHashTable *attributes = id_attributes (profile);

  g_hash_table_insert (attributes, (gpointer) "url", g_strdup (kg_profile_get_url (profile)));
  g_hash_table_insert (attributes, (gpointer) "database",
                       g_strdup (kg_profile_get_database (profile)));
  g_hash_table_insert (attributes, (gpointer) "login", g_strdup (kg_profile_get_login (profile)));
  return attributes;
}

char *
kg_keyring_dup_label (KgProfile *profile)
{
  g_autofree char *where = NULL;

  g_return_val_if_fail (KG_IS_PROFILE (profile), NULL);

  where = kg_profile_dup_subtitle (profile);
  /* Translators: shown in the keyring manager (Seahorse): "Odoo API key for LOGIN on HOST/DATABASE" */
  return g_strdup_printf (_("Odoo API key for %s on %s"), kg_profile_get_login (profile), where);
}

/* Keys ------------------------------------------------------------------ */

gboolean
kg_keyring_key_looks_valid (const char *key)
{
  if (key == NULL)
    return FALSE;
  for (guint i = 0; i < 40; i++)
    {
      char c = key[i];

      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
        return FALSE;
    }
  return key[40] == '\0';
}

char *
kg_keyring_normalize_key (const char  *key,
                          GError     **error)
{
  const char *start;
  const char *end;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (key == NULL)
    key = "";

  start = key;
  while (*start != '\0' && g_ascii_isspace (*start))
    start++;
  end = start + strlen (start);
  while (end > start && g_ascii_isspace (end[-1]))
    end--;

  if (end == start)
    {
      g_set_error_literal (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                           _("API key: the key is empty. Paste the key Odoo showed when you created it."));
      return NULL;
    }

  if ((gsize) (end - start) > KG_KEYRING_MAX_KEY_LENGTH)
    {
      g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                   /* Translators: %lu is a size in bytes, %u the limit */
                   _("API key: %lu bytes cannot be a key (Odoo’s keys are 40 characters; Keygate "
                     "takes at most %u bytes). Paste only the key."),
                   (gulong) (end - start), (guint) KG_KEYRING_MAX_KEY_LENGTH);
      return NULL;
    }

  for (const char *p = start; p < end; p++)
    {
      if (*p == '\n' || *p == '\r')
        {
          g_set_error_literal (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                               _("API key: the key must be a single line; it contains a line break."));
          return NULL;
        }
      if ((guchar) *p < 0x20 || *p == 0x7f)
        {
          g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                       /* Translators: %02x is the character's code, e.g. 1b */
                       _("API key: the key contains a control character (0x%02x), so it cannot "
                         "be a key. Paste only the key."), (guint) (guchar) *p);
          return NULL;
        }
    }

  return g_strndup (start, end - start);
}

/* Errors ---------------------------------------------------------------- */

static GError *
map_error (const GError *error,
           GCancellable *cancellable)
{
  GError *mapped;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (cancellable != NULL && g_cancellable_is_cancelled (cancellable))
        return g_error_copy (error);

      /* libsecret reports a dismissed unlock prompt as "cancelled". */
      mapped = g_error_new_literal (KG_ERROR, KG_ERROR_KEYRING_LOCKED,
                                    _("The keyring is locked and was not unlocked."));
    }
  else if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    {
      mapped = g_error_new_literal (KG_ERROR, KG_ERROR_KEYRING_LOCKED,
                                    _("The keyring is locked and was not unlocked."));
    }
  else if (g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD) ||
           g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_OBJECT))
    {
      /* The service answers, but its default keyring does not exist or
       * could not be unlocked: it needed a prompt it could not show. */
      mapped = g_error_new_literal (KG_ERROR, KG_ERROR_KEYRING_LOCKED,
                                    _("The keyring service is running, but its default keyring "
                                      "is missing or locked and it could not show the prompt to "
                                      "create or unlock it (no display, or the prompt failed)."));
      kg_error_set_remedy (mapped,
                           _("Unlock or create the default keyring in Passwords and Keys "
                             "(Seahorse) in your desktop session, then try again."));
    }
  else if (g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_NO_REPLY) ||
           g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_TIMEOUT) ||
           g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    {
      mapped = g_error_new (KG_ERROR, KG_ERROR_KEYRING_UNAVAILABLE,
                            _("The keyring service did not answer in time: %s"), error->message);
    }
  else if (error->domain == G_DBUS_ERROR || error->domain == G_IO_ERROR ||
           error->domain == G_SPAWN_ERROR)
    {
      /* No bus, nobody owning org.freedesktop.secrets, nothing activatable,
       * or the service went away mid-call. */
      mapped = g_error_new_literal (KG_ERROR, KG_ERROR_KEYRING_UNAVAILABLE,
                                    _("No Secret Service is running in this session, so the API key cannot be kept. Start GNOME Keyring or another Secret Service (e.g. KeePassXC) and try again."));
    }
  else
    {
      mapped = g_error_new (KG_ERROR, KG_ERROR_KEYRING_UNAVAILABLE,
                            _("The keyring refused the request: %s"), error->message);
    }

  kg_error_set_server_message (mapped, error->message);
  g_debug ("Keyring error %s:%d mapped to %s",
           g_quark_to_string (error->domain), error->code, kg_error_code_to_nick (mapped->code));
  return mapped;
}

static void
return_mapped_error (GTask        *task,
                     const GError *error)
{
  g_task_return_error (task, map_error (error, g_task_get_cancellable (task)));
}

/* The Flatpak app keeps keys in its own keyring file (the Secret
 * portal), apart from the desktop's keyring that a keygate-cli outside it
 * uses: a key stored by one is not found by the other. */
static GError *
not_found_error (KgProfile *profile)
{
  GError *error = g_error_new (KG_ERROR, KG_ERROR_KEY_NOT_FOUND,
                               _("No API key is stored for the profile “%s”."),
                               kg_profile_get_name (profile));

  if (g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
    kg_error_set_remedy (error, _("Keygate’s Flatpak app keeps its keys apart from your "
                                  "desktop’s keyring: a key stored with keygate-cli outside "
                                  "it is not seen here. Paste the API key and store it here."));
  else
    kg_error_set_remedy (error, _("Paste the connection’s API key and store it first. A key "
                                  "stored in Keygate’s Flatpak app is kept apart, in that "
                                  "app’s own keyring, and is not seen here."));
  return error;
}

/* Store ----------------------------------------------------------------- */

typedef struct {
  KgProfile  *profile;
  GHashTable *attributes;   /* what was stored */
  GList      *stale;        /* GHashTable* of items left under an older URL/db/login */
} StoreData;

static void
store_data_free (StoreData *data)
{
  g_clear_object (&data->profile);
  g_clear_pointer (&data->attributes, g_hash_table_unref);
  g_list_free_full (data->stale, (GDestroyNotify) g_hash_table_unref);
  g_free (data);
}

static void store_clear_next (GTask *task);

static void
store_clear_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_clear_finish (result, &error))
    {
      if (error != NULL)
        g_debug ("Could not remove an older copy of a key: %s", error->message);
    }
  store_clear_next (g_steal_pointer (&task));
}

static void
store_clear_next (GTask *task)
{
  StoreData *data = g_task_get_task_data (task);
  GHashTable *attributes;

  if (data->stale == NULL)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  attributes = data->stale->data;
  data->stale = g_list_delete_link (data->stale, data->stale);
  kg_keyring_call_in_turn (CALL_CLEAR, attributes, 0, NULL, NULL, g_task_get_cancellable (task),
                store_clear_cb, task);
  g_hash_table_unref (attributes);
}

static gboolean
same_attributes (GHashTable *a,
                 GHashTable *b)
{
  const char *names[] = { "profile-id", "url", "database", "login" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (g_hash_table_lookup (a, names[i]), g_hash_table_lookup (b, names[i])) != 0)
      return FALSE;
  return TRUE;
}

static void
store_search_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  StoreData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GList *items;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    {
      /* The key is stored; an older copy may remain. Not worth failing. */
      g_debug ("Could not look for older copies of a key: %s", error->message);
      g_task_return_boolean (task, TRUE);
      return;
    }

  for (const GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (l->data);

      if (!same_attributes (attributes, data->attributes))
        data->stale = g_list_prepend (data->stale, g_steal_pointer (&attributes));
    }
  g_list_free_full (items, g_object_unref);

  store_clear_next (g_steal_pointer (&task));
}

static void
store_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  StoreData *data = g_task_get_task_data (task);
  g_autoptr(GHashTable) by_id = NULL;
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;

  if (!secret_password_store_finish (result, &error))
    {
      return_mapped_error (task, error);
      return;
    }

  /* The key is stored under the profile's current URL, database and login.
   * Remove copies stored under older ones, so a lookup by id finds one. */
  by_id = id_attributes (data->profile);
  cancellable = g_task_get_cancellable (task);
  kg_keyring_search_in_turn (by_id, SECRET_SEARCH_ALL, cancellable,
                  store_search_cb, g_steal_pointer (&task));
}

void
kg_keyring_store_async (KgProfile           *profile,
                        const char          *key,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;
  StoreData *data;
  char *normalized;

  g_return_if_fail (KG_IS_PROFILE (profile));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, kg_keyring_store_async);

  normalized = kg_keyring_normalize_key (key, &error);
  if (normalized == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data = g_new0 (StoreData, 1);
  data->profile = g_object_ref (profile);
  data->attributes = all_attributes (profile);
  g_task_set_task_data (task, data, (GDestroyNotify) store_data_free);

  label = kg_keyring_dup_label (profile);
  kg_keyring_call_in_turn (CALL_STORE, data->attributes, 0, label, normalized, cancellable,
                store_cb, g_steal_pointer (&task));
  kg_secret_free (normalized);
}

gboolean
kg_keyring_store_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kg_keyring_store_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Lookup ---------------------------------------------------------------- */

static void
lookup_search_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KgProfile *profile = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GList *items;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    {
      return_mapped_error (task, error);
      return;
    }

  /* The item exists but its secret could not be read: it stayed locked. */
  if (items != NULL)
    g_task_return_new_error (task, KG_ERROR, KG_ERROR_KEYRING_LOCKED, "%s",
                             _("The keyring is locked and was not unlocked."));
  else
    g_task_return_error (task, not_found_error (profile));
  g_list_free_full (items, g_object_unref);
}

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KgProfile *profile = g_task_get_task_data (task);
  g_autoptr(GHashTable) by_id = NULL;
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;
  char *secret;

  secret = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      return_mapped_error (task, error);
      return;
    }

  if (secret != NULL)
    {
      /* Hand out a g_malloc'd copy that kg_secret_free can wipe. */
      char *copy = g_strdup (secret);

      secret_password_free (secret);
      g_task_return_pointer (task, copy, (GDestroyNotify) kg_secret_free);
      return;
    }

  /* Nothing returned: no item, or one that stayed locked. */
  by_id = id_attributes (profile);
  cancellable = g_task_get_cancellable (task);
  kg_keyring_search_in_turn (by_id, SECRET_SEARCH_NONE, cancellable,
                  lookup_search_cb, g_steal_pointer (&task));
}

void
kg_keyring_lookup_async (KgProfile           *profile,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) by_id = NULL;

  g_return_if_fail (KG_IS_PROFILE (profile));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, kg_keyring_lookup_async);
  g_task_set_task_data (task, g_object_ref (profile), g_object_unref);

  by_id = id_attributes (profile);
  kg_keyring_call_in_turn (CALL_LOOKUP, by_id, 0, NULL, NULL, cancellable, lookup_cb,
                g_steal_pointer (&task));
}

char *
kg_keyring_lookup_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kg_keyring_lookup_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Clear ----------------------------------------------------------------- */

static void
clear_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  gboolean removed;

  removed = secret_password_clear_finish (result, &error);
  if (error != NULL)
    return_mapped_error (task, error);
  else
    g_task_return_boolean (task, removed);
}

void
kg_keyring_clear_async (KgProfile           *profile,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) by_id = NULL;

  g_return_if_fail (KG_IS_PROFILE (profile));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, kg_keyring_clear_async);

  by_id = id_attributes (profile);
  kg_keyring_call_in_turn (CALL_CLEAR, by_id, 0, NULL, NULL, cancellable, clear_cb,
                g_steal_pointer (&task));
}

/* TRUE when a key was removed; FALSE without error when there was none. */
gboolean
kg_keyring_clear_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kg_keyring_clear_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Has key --------------------------------------------------------------- */

static void
has_key_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GList *items;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    {
      return_mapped_error (task, error);
      return;
    }
  g_task_return_boolean (task, items != NULL);
  g_list_free_full (items, g_object_unref);
}

void
kg_keyring_has_key_async (KgProfile           *profile,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) by_id = NULL;

  g_return_if_fail (KG_IS_PROFILE (profile));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, kg_keyring_has_key_async);

  /* Without SECRET_SEARCH_LOAD_SECRETS no secret crosses the bus. */
  by_id = id_attributes (profile);
  kg_keyring_search_in_turn (by_id, SECRET_SEARCH_NONE, cancellable,
                  has_key_cb, g_steal_pointer (&task));
}

gboolean
kg_keyring_has_key_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kg_keyring_has_key_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Which profiles have a key --------------------------------------------- */

static void
list_ids_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GHashTable *ids;

  ids = g_task_propagate_pointer (G_TASK (result), &error);
  if (ids == NULL)
    {
      return_mapped_error (task, error);
      return;
    }
  g_task_return_pointer (task, ids, (GDestroyNotify) g_hash_table_unref);
}

void
kg_keyring_list_profile_ids_async (GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) any = NULL;

  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, kg_keyring_list_profile_ids_async);

  any = g_hash_table_new (g_str_hash, g_str_equal);
  kg_keyring_call_in_turn (CALL_LIST_IDS, any, 0, NULL, NULL, cancellable, list_ids_cb,
                g_steal_pointer (&task));
}

GHashTable *
kg_keyring_list_profile_ids_finish (GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        kg_keyring_list_profile_ids_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
