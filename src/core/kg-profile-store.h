/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "kg-profile.h"

G_BEGIN_DECLS

#define KG_TYPE_PROFILE_STORE (kg_profile_store_get_type ())
G_DECLARE_FINAL_TYPE (KgProfileStore, kg_profile_store, KG, PROFILE_STORE, GObject)

/* Profiles in $XDG_CONFIG_HOME/keygate/profiles.json (or @file). Saved
 * atomically (write temp + rename) after copying the previous file to
 * profiles.json.bak; a symbolic link in the file's place is written through.
 * Every change (add, remove, update, save) holds an exclusive flock on
 * profiles.json.lock, re-reads the file under it and merges, so processes
 * changing the store at once lose nothing. A file that is not a regular
 * file (a FIFO, a device) is refused without being opened. A corrupt or unreadable file is reported (KG_ERROR_STORE,
 * the message names the path) and is never overwritten: the store becomes
 * read-only until the file is fixed. Unknown top-level and per-profile
 * members are preserved. Implements GListModel of KgProfile, in insertion
 * order. Properties: file, read-only, n-items. add/remove/update save at
 * once and leave the list unchanged when saving fails. update also accepts
 * an edited copy (kg_profile_dup) with the same id, which replaces the
 * stored object. */
KgProfileStore *kg_profile_store_new            (GFile           *file);  /* NULL: default */
GFile          *kg_profile_store_get_file       (KgProfileStore  *self);
gboolean        kg_profile_store_load           (KgProfileStore  *self,
                                                 GError         **error);
gboolean        kg_profile_store_save           (KgProfileStore  *self,
                                                 GError         **error);
gboolean        kg_profile_store_is_read_only   (KgProfileStore  *self);
/* Merges what another process (keygate-cli, a second window) wrote into
 * the list: profiles keep their objects and take the file's values; new
 * ones are added, removed ones removed. */
gboolean        kg_profile_store_reload         (KgProfileStore  *self,
                                                 GError         **error);
void            kg_profile_store_set_watching   (KgProfileStore  *self,
                                                 gboolean         watching);

/* Validates, rejects a duplicate name, adds and saves. */
gboolean        kg_profile_store_add            (KgProfileStore  *self,
                                                 KgProfile       *profile,
                                                 GError         **error);
gboolean        kg_profile_store_remove         (KgProfileStore  *self,
                                                 KgProfile       *profile,
                                                 GError         **error);
/* Validates and saves after a profile's properties changed. */
gboolean        kg_profile_store_update         (KgProfileStore  *self,
                                                 KgProfile       *profile,
                                                 GError         **error);
/* Both return a borrowed profile (transfer none) or NULL. Names match
 * exactly first, then ignoring case (names are unique ignoring case). */
KgProfile      *kg_profile_store_find_by_name   (KgProfileStore  *self,
                                                 const char      *name);
KgProfile      *kg_profile_store_find_by_id     (KgProfileStore  *self,
                                                 const char      *id);

G_END_DECLS
