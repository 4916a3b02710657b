/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Where a request of a collection stands in the last run. */
typedef enum {
  KG_REQUEST_ROW_IDLE,      /* not run (yet) */
  KG_REQUEST_ROW_RUNNING,
  KG_REQUEST_ROW_PASSED,
  KG_REQUEST_ROW_FAILED,
  KG_REQUEST_ROW_SKIPPED,
} KgRequestRowState;

#define KG_TYPE_REQUEST_ROW (kg_request_row_get_type ())
G_DECLARE_FINAL_TYPE (KgRequestRow, kg_request_row, KG, REQUEST_ROW, AdwBin)

/* One request in the Requests page's collection list: its name, what it
 * calls ("project.project · search_read", "POST /api/project/create"),
 * and, after a run, ✓ or ✗ with the reason it failed. */
GtkWidget         *kg_request_row_new        (void);
/* Name and summary from a collection request's JSON object. */
void               kg_request_row_set_request (KgRequestRow      *self,
                                               JsonObject        *request);
void               kg_request_row_set_state  (KgRequestRow      *self,
                                              KgRequestRowState  state,
                                              const char        *reason);
KgRequestRowState  kg_request_row_get_state  (KgRequestRow      *self);
const char        *kg_request_row_get_reason (KgRequestRow      *self);

/* "project.project · search_read" or "POST /api/x" for @request. */
char              *kg_request_row_dup_summary (JsonObject       *request);

G_END_DECLS
