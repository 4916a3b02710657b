/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "kg-collection-request.h"

G_BEGIN_DECLS

/* Files larger than this are not loaded. */
#define KG_COLLECTION_MAX_SIZE (10 * 1024 * 1024)

#define KG_TYPE_COLLECTION (kg_collection_get_type ())
G_DECLARE_FINAL_TYPE (KgCollection, kg_collection, KG, COLLECTION, GObject)

/* A request collection (the workbench's file, "keygate_collection": 1).
 * Properties (notify on change): "name", "connection", "variables"
 * (JsonObject, read-only: set with kg_collection_set_variables), "file"
 * (GFile, read-only: where it was loaded from or last saved to), "requests"
 * (read-only GListModel of KgCollectionRequest). */
KgCollection *kg_collection_new                (const char           *name);
/* Reads @file. Errors are KG_ERROR_INVALID_INPUT (KG_ERROR_STORE when the
 * file cannot be read) sentences starting with the file's basename and,
 * for a request, its 1-based number and name:
 * "smoke.json: request 3 (“read it back”): …". */
KgCollection *kg_collection_load               (GFile                *file,
                                                GError              **error);
/* Writes the collection to @file (NULL: the file it came from) through a
 * temporary file in the same folder renamed over it: 2-space indented
 * JSON, a final newline, members Keygate does not know kept. Unless
 * @force, refuses (KG_ERROR_STORE) to overwrite the collection's own file
 * when it changed on disk since it was loaded or saved. */
gboolean      kg_collection_save               (KgCollection         *self,
                                                GFile                *file,
                                                gboolean              force,
                                                GError              **error);
/* The whole file as JSON (a new node). */
JsonNode     *kg_collection_to_json            (KgCollection         *self);

const char   *kg_collection_get_name           (KgCollection         *self);
void          kg_collection_set_name           (KgCollection         *self,
                                                const char           *name);
/* The connection (profile name) the collection runs on by default, or
 * NULL. */
const char   *kg_collection_get_connection     (KgCollection         *self);
void          kg_collection_set_connection     (KgCollection         *self,
                                                const char           *connection);
/* "variables" (never NULL; do not change it, set a new one). */
JsonObject   *kg_collection_get_variables      (KgCollection         *self);
gboolean      kg_collection_set_variables      (KgCollection         *self,
                                                JsonObject           *variables,
                                                GError              **error);
GFile        *kg_collection_get_file           (KgCollection         *self);
GListModel   *kg_collection_get_requests       (KgCollection         *self);
guint         kg_collection_get_n_requests     (KgCollection         *self);
/* Borrowed. */
KgCollectionRequest *kg_collection_get_request (KgCollection         *self,
                                                guint                 position);
/* Appends @request; inserts it at @position (G_MAXUINT: the end). */
void          kg_collection_add_request        (KgCollection         *self,
                                                KgCollectionRequest  *request);
void          kg_collection_insert_request     (KgCollection         *self,
                                                guint                 position,
                                                KgCollectionRequest  *request);
void          kg_collection_remove_request     (KgCollection         *self,
                                                guint                 position);
/* Moves the request at @from to @to (positions in the list as it is
 * before the move). */
void          kg_collection_move_request       (KgCollection         *self,
                                                guint                 from,
                                                guint                 to);

G_END_DECLS
