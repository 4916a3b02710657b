/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "keygate-keyring"

#include "kg-keyring.h"

/* The blocking variants, for the CLI: each runs its async call on a
 * private main context (which libsecret's calls then use) until it has
 * answered. */

typedef struct {
  GMainContext *context;
  GAsyncResult *result;
} SyncCall;

static void
sync_call_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  SyncCall *call = user_data;

  call->result = g_object_ref (result);
}

/* Makes @call's context the thread default; returns the callback to give
 * the async call, with @call as its data. */
static GAsyncReadyCallback
sync_call_begin (SyncCall *call)
{
  call->context = g_main_context_new ();
  call->result = NULL;
  g_main_context_push_thread_default (call->context);
  return sync_call_done_cb;
}

static GAsyncResult *
sync_call_wait (SyncCall *call)
{
  while (call->result == NULL)
    g_main_context_iteration (call->context, TRUE);
  return call->result;
}

static void
sync_call_end (SyncCall *call)
{
  /* Let GDBus run what it queued on this context (the destroy notifies of
   * signal subscriptions of the proxies libsecret dropped): they would
   * never run once the context is gone. */
  while (g_main_context_iteration (call->context, FALSE))
    ;
  g_main_context_pop_thread_default (call->context);
  g_clear_object (&call->result);
  g_clear_pointer (&call->context, g_main_context_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SyncCall, sync_call_end)

gboolean
kg_keyring_store_sync (KgProfile     *profile,
                       const char    *key,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_auto(SyncCall) call = { 0 };

  g_return_val_if_fail (KG_IS_PROFILE (profile), FALSE);

  kg_keyring_store_async (profile, key, cancellable, sync_call_begin (&call), &call);
  return kg_keyring_store_finish (sync_call_wait (&call), error);
}

char *
kg_keyring_lookup_sync (KgProfile     *profile,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_auto(SyncCall) call = { 0 };

  g_return_val_if_fail (KG_IS_PROFILE (profile), NULL);

  kg_keyring_lookup_async (profile, cancellable, sync_call_begin (&call), &call);
  return kg_keyring_lookup_finish (sync_call_wait (&call), error);
}

gboolean
kg_keyring_clear_sync (KgProfile     *profile,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_auto(SyncCall) call = { 0 };

  g_return_val_if_fail (KG_IS_PROFILE (profile), FALSE);

  kg_keyring_clear_async (profile, cancellable, sync_call_begin (&call), &call);
  return kg_keyring_clear_finish (sync_call_wait (&call), error);
}

gboolean
kg_keyring_has_key_sync (KgProfile     *profile,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_auto(SyncCall) call = { 0 };

  g_return_val_if_fail (KG_IS_PROFILE (profile), FALSE);

  kg_keyring_has_key_async (profile, cancellable, sync_call_begin (&call), &call);
  return kg_keyring_has_key_finish (sync_call_wait (&call), error);
}
