/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "keygate-keyring"

/* SecretBackend is public API since libsecret 0.19, but 0.20's umbrella
 * header does not include its header (later versions do; the include
 * guard makes this a no-op there). */
#include <libsecret/secret.h>
#ifndef __SECRET_BACKEND_H__
# define __SECRET_INSIDE_HEADER__
# include <libsecret/secret-backend.h>
# undef __SECRET_INSIDE_HEADER__
#endif

#include "kg-keyring-private.h"
#include "kg-secret.h"

/* Never log a key: this file logs nothing but errors' texts. */

const SecretSchema *
kg_keyring_get_schema (void)
{
  static const SecretSchema schema = {
    "io.github.keygate.ApiKey", SECRET_SCHEMA_NONE,
    {
      { "profile-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "url", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "database", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "login", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };

  return &schema;
}

typedef struct
{
  KgKeyringCall             kind;
  GHashTable          *attributes;
  SecretSearchFlags    flags;   /* CALL_SEARCH */
  char                *label;   /* CALL_STORE */
  char                *secret;  /* CALL_STORE, wiped when freed */
  GCancellable        *cancellable;
  GAsyncReadyCallback  callback;
  gpointer             user_data;
} QueuedCall;

static GQueue call_queue = G_QUEUE_INIT;
static gboolean call_running;

static void start_next_call (void);
static void list_ids_start (GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data);

static void
queued_call_free (QueuedCall *call)
{
  g_hash_table_unref (call->attributes);
  g_free (call->label);
  kg_secret_free (call->secret);
  g_clear_object (&call->cancellable);
  g_free (call);
}

static void
start_call (QueuedCall          *call,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  switch (call->kind)
    {
    case CALL_SEARCH:
      secret_password_searchv (kg_keyring_get_schema (), call->attributes, call->flags,
                               call->cancellable, callback, user_data);
      break;
    case CALL_LOOKUP:
      secret_password_lookupv (kg_keyring_get_schema (), call->attributes, call->cancellable,
                               callback, user_data);
      break;
    case CALL_STORE:
      /* libsecret copies the secret into its own (wiped) buffer at once. */
      secret_password_storev (kg_keyring_get_schema (), call->attributes, SECRET_COLLECTION_DEFAULT,
                              call->label, call->secret, call->cancellable, callback,
                              user_data);
      kg_secret_free (g_steal_pointer (&call->secret));
      break;
    case CALL_CLEAR:
      secret_password_clearv (kg_keyring_get_schema (), call->attributes, call->cancellable,
                              callback, user_data);
      break;
    case CALL_LIST_IDS:
      list_ids_start (call->cancellable, callback, user_data);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
queued_call_done_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  QueuedCall *call = user_data;

  call->callback (source, result, call->user_data);
  queued_call_free (call);
  call_running = FALSE;
  start_next_call ();
}

static void
start_next_call (void)
{
  QueuedCall *call;

  if (call_running || (call = g_queue_pop_head (&call_queue)) == NULL)
    return;
  call_running = TRUE;
  start_call (call, queued_call_done_cb, call);
}

void
kg_keyring_call_in_turn (KgKeyringCall             kind,
              GHashTable          *attributes,
              SecretSearchFlags    flags,
              const char          *label,
              const char          *secret,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  QueuedCall *call = g_new0 (QueuedCall, 1);

  call->kind = kind;
  call->attributes = g_hash_table_ref (attributes);
  call->flags = flags;
  call->label = g_strdup (label);
  call->secret = g_strdup (secret);
  call->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  call->callback = callback;
  call->user_data = user_data;

  /* The blocking variants run on a private context of their own: they
   * cannot wait for the main context's queue to move. */
  if (g_main_context_get_thread_default () != NULL &&
      g_main_context_get_thread_default () != g_main_context_default ())
    {
      start_call (call, callback, user_data);
      queued_call_free (call);
      return;
    }

  g_queue_push_tail (&call_queue, call);
  start_next_call ();
}

void
kg_keyring_search_in_turn (GHashTable          *attributes,
                SecretSearchFlags    flags,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  kg_keyring_call_in_turn (CALL_SEARCH, attributes, flags, NULL, NULL, cancellable, callback, user_data);
}

/* libsecret 0.20.5's search with SECRET_SEARCH_ALL loads every item it
 * found; when one of them is removed in between (another Keygate process,
 * or any client, removed a key) it fails the search and later returns
 * its task a second time. On the Secret Service this asks for the item
 * paths and reads each item's attributes, skipping the items that are
 * gone. The file backend (Flatpak) searches in-process and has no such
 * gap. No secret crosses the bus either way. */
typedef struct
{
  GHashTable *ids;       /* profile ids (owned strings) */
  guint       loading;   /* items still being read */
} ListIds;

static void
list_ids_free (ListIds *list)
{
  g_clear_pointer (&list->ids, g_hash_table_unref);
  g_free (list);
}

static void
list_ids_add (ListIds    *list,
              GHashTable *attributes)
{
  const char *id = attributes ? g_hash_table_lookup (attributes, "profile-id") : NULL;

  if (id != NULL)
    g_hash_table_add (list->ids, g_strdup (id));
}

static void
list_ids_return (GTask *task)
{
  ListIds *list = g_task_get_task_data (task);

  g_task_return_pointer (task, g_hash_table_ref (list->ids),
                         (GDestroyNotify) g_hash_table_unref);
}

static void
list_ids_item_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ListIds *list = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(SecretItem) item = secret_item_new_for_dbus_path_finish (result, &error);

  if (item != NULL)
    {
      g_autoptr(GHashTable) attributes = secret_item_get_attributes (item);

      list_ids_add (list, attributes);
    }
  else
    {
      g_debug ("Skipped a keyring item that could not be read: %s", error->message);
    }

  if (--list->loading == 0)
    {
      if (g_task_return_error_if_cancelled (task))
        return;
      list_ids_return (task);
    }
}

static void
list_ids_read_items (GTask         *task,
                     SecretService *service,
                     char         **paths)
{
  ListIds *list = g_task_get_task_data (task);

  for (guint i = 0; paths != NULL && paths[i] != NULL; i++)
    {
      list->loading++;
      secret_item_new_for_dbus_path (service, paths[i], SECRET_ITEM_NONE,
                                     g_task_get_cancellable (task), list_ids_item_cb,
                                     g_object_ref (task));
    }
}

static void
list_ids_paths_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ListIds *list = g_task_get_task_data (task);
  SecretService *service = SECRET_SERVICE (source);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) unlocked = NULL;
  g_auto(GStrv) locked = NULL;

  if (!secret_service_search_for_dbus_paths_finish (service, result, &unlocked, &locked,
                                                    &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  list_ids_read_items (task, service, unlocked);
  list_ids_read_items (task, service, locked);
  if (list->loading == 0)
    list_ids_return (task);
}

static void
list_ids_search_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ListIds *list = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GList *items;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (l->data);

      list_ids_add (list, attributes);
    }
  g_list_free_full (items, g_object_unref);
  list_ids_return (task);
}

static void
list_ids_backend_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  /* Borrowed, whatever the annotation says: in 0.20.5 the first call
   * hands out the reference its cache holds, and libsecret's own callers
   * never drop it. */
  SecretBackend *backend = secret_backend_get_finish (result, &error);
  g_autoptr(GHashTable) any = g_hash_table_new (g_str_hash, g_str_equal);
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (backend == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (SECRET_IS_SERVICE (backend))
    secret_service_search_for_dbus_paths (SECRET_SERVICE (backend), kg_keyring_get_schema (), any,
                                          cancellable, list_ids_paths_cb,
                                          g_steal_pointer (&task));
  else
    secret_password_searchv (kg_keyring_get_schema (), any, SECRET_SEARCH_ALL, cancellable,
                             list_ids_search_cb, g_steal_pointer (&task));
}

/* Answers a GTask holding a GHashTable of profile ids, or a libsecret
 * error. */
static void
list_ids_start (GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  ListIds *list = g_new0 (ListIds, 1);

  list->ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_task_set_task_data (task, list, (GDestroyNotify) list_ids_free);
  secret_backend_get (SECRET_BACKEND_NONE, cancellable, list_ids_backend_cb,
                      g_steal_pointer (&task));
}
