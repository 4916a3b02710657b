/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "kg-profile.h"

G_BEGIN_DECLS

/* The profiles file's format version this Keygate writes and reads. */
#define KG_PROFILE_FILE_VERSION 1

/* What the file on disk holds. */
typedef struct
{
  GPtrArray  *profiles;   /* KgProfile */
  JsonObject *unknown;    /* top-level members Keygate does not know, or NULL */
} KgProfileFileState;

void      kg_profile_file_state_clear    (KgProfileFileState  *state);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KgProfileFileState, kg_profile_file_state_clear)

/* Reads @file into @state. A missing file is an empty state. On failure sets
 * @reason and returns FALSE. Never blocks on a FIFO, socket or device. */
gboolean  kg_profile_file_read           (GFile               *file,
                                          KgProfileFileState  *state,
                                          char               **reason);
/* The file's text: version, profiles, the unknown members; 2-space pretty
 * JSON with a final newline. */
char     *kg_profile_file_serialize      (GPtrArray           *profiles,
                                          JsonObject          *unknown,
                                          gsize               *length);
/* The path writes go to: the file, or what a symbolic link in its place
 * points to. NULL when @file is not local. */
char     *kg_profile_file_dup_write_path (GFile               *file);
/* An exclusive flock on "<file>.lock": a descriptor, -1 when the file is
 * not local (nothing to lock), -2 with @error set. */
int       kg_profile_file_lock           (GFile               *file,
                                          GError             **error);
void      kg_profile_file_unlock         (int                  fd);
/* The backup, then the atomic 0600 write. The caller holds the lock. */
gboolean  kg_profile_file_write          (GFile               *file,
                                          const char          *contents,
                                          gsize                length,
                                          GError             **error);

G_END_DECLS
