/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "kg-profile.h"
#include "kg-secret.h"

G_BEGIN_DECLS

/* API keys in the Secret Service (libsecret; the Secret portal inside
 * Flatpak). Schema "io.github.keygate.ApiKey" with attributes profile-id,
 * url, database, login; label "Odoo API key for LOGIN on HOST/DB".
 * Errors: KG_ERROR_KEYRING_UNAVAILABLE (no service on the bus),
 * KG_ERROR_KEYRING_LOCKED (locked and unlock dismissed),
 * KG_ERROR_KEY_NOT_FOUND (lookup of a profile without a key).
 * There is no plaintext fallback. */

/* Odoo keys are 40 lowercase hex characters. */
gboolean  kg_keyring_key_looks_valid   (const char  *key);
/* The longest text Keygate takes as a key (Odoo's are 40 characters). */
#define KG_KEYRING_MAX_KEY_LENGTH 1024

/* Trims whitespace; fails (KG_ERROR_INVALID_INPUT) on an empty key, one with
 * a line break or another control character inside, or one over
 * KG_KEYRING_MAX_KEY_LENGTH bytes. */
char     *kg_keyring_normalize_key     (const char  *key,
                                        GError     **error);

void      kg_keyring_store_async       (KgProfile           *profile,
                                        const char          *key,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean  kg_keyring_store_finish      (GAsyncResult        *result,
                                        GError             **error);
/* The returned string is the secret: free it with kg_secret_free
 * (wipes it) and never log it. */
void      kg_keyring_lookup_async      (KgProfile           *profile,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
char     *kg_keyring_lookup_finish     (GAsyncResult        *result,
                                        GError             **error);
/* Succeeds (FALSE, no error) when there was nothing to clear. */
void      kg_keyring_clear_async       (KgProfile           *profile,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean  kg_keyring_clear_finish      (GAsyncResult        *result,
                                        GError             **error);
/* Whether a key is stored (no secret is transferred). */
void      kg_keyring_has_key_async     (KgProfile           *profile,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean  kg_keyring_has_key_finish    (GAsyncResult        *result,
                                        GError             **error);

/* The ids of every profile that has a key stored, as a set (GHashTable of
 * strings, g_hash_table_contains), from one search of the keyring: the
 * lock icons of 1,000 connections cost one D-Bus round trip, not 1,000.
 * No secret is transferred. */
void        kg_keyring_list_profile_ids_async  (GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
GHashTable *kg_keyring_list_profile_ids_finish (GAsyncResult         *result,
                                                GError              **error);

/* Blocking variants for the CLI, built on the async ones. */
gboolean  kg_keyring_store_sync        (KgProfile     *profile,
                                        const char    *key,
                                        GCancellable  *cancellable,
                                        GError       **error);
char     *kg_keyring_lookup_sync       (KgProfile     *profile,
                                        GCancellable  *cancellable,
                                        GError       **error);
gboolean  kg_keyring_clear_sync        (KgProfile     *profile,
                                        GCancellable  *cancellable,
                                        GError       **error);
gboolean  kg_keyring_has_key_sync      (KgProfile     *profile,
                                        GCancellable  *cancellable,
                                        GError       **error);

/* The item label: "Odoo API key for LOGIN on HOST[:PORT]/DATABASE". */
char     *kg_keyring_dup_label         (KgProfile     *profile);



G_END_DECLS
