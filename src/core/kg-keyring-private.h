/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Shared by the keyring's files: kg-keyring.c (store, lookup, clear, which
 * profiles have a key), kg-keyring-calls.c (the calls into libsecret, in
 * turn) and kg-keyring-sync.c (the blocking variants). Not for the app. */

#include <libsecret/secret.h>

#include "kg-keyring.h"

G_BEGIN_DECLS

/* Calls into libsecret (kg-keyring-calls.c), one at a time on the main
 * context. libsecret
 * 0.20.5 returns the same GTask twice (a GLib critical, fatal in the
 * tests) when several calls run at once while its session with the
 * Secret Service is still being opened or a collection is being loaded:
 * seen with two searches, and with a search beside a lookup or a store
 * on a loaded machine. Keygate's calls are short, so they queue behind
 * each other instead. */
typedef enum
{
  CALL_SEARCH,
  CALL_LOOKUP,
  CALL_STORE,
  CALL_CLEAR,
  CALL_LIST_IDS,
} KgKeyringCall;

const SecretSchema *kg_keyring_get_schema     (void);
/* Starts a libsecret call once the ones before it have finished; @callback
 * gets libsecret's own result (CALL_LIST_IDS: a GTask holding a GHashTable
 * of profile ids). @label and @secret only for CALL_STORE, @flags only for
 * CALL_SEARCH. Blocking callers (a private thread-default context) run at
 * once. */
void                kg_keyring_call_in_turn   (KgKeyringCall        kind,
                                               GHashTable          *attributes,
                                               SecretSearchFlags    flags,
                                               const char          *label,
                                               const char          *secret,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
void                kg_keyring_search_in_turn (GHashTable          *attributes,
                                               SecretSearchFlags    flags,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);

G_END_DECLS
