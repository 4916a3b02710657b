/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Secrets in memory (API keys, tokens, passwords): one way to wipe them.
 * explicit_bzero, unlike a memset before free, is a store the compiler may
 * not drop. */

/* Overwrites the string's bytes with zeros (NULL is fine). */
void  kg_secret_wipe      (char     *secret);
/* Overwrites @length bytes at @data with zeros. */
void  kg_secret_wipe_len  (gpointer  data,
                           gsize     length);
/* kg_secret_wipe, then g_free. A GDestroyNotify for strings and GBytes data. */
void  kg_secret_free      (gpointer  secret);

/* g_autoptr(KgSecretString) key = kg_keyring_lookup_sync (…); */
typedef char KgSecretString;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KgSecretString, kg_secret_free)

G_END_DECLS
