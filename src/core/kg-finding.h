/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "kg-exchange.h"

G_BEGIN_DECLS

typedef enum {
  KG_FINDING_OK,
  KG_FINDING_WARNING,
  KG_FINDING_PROBLEM,
} KgFindingStatus;

const char *kg_finding_status_to_string (KgFindingStatus status); /* "ok", "warning", "problem" */

#define KG_TYPE_FINDING (kg_finding_get_type ())
G_DECLARE_FINAL_TYPE (KgFinding, kg_finding, KG, FINDING, GObject)

/* One result of the 2FA doctor (KgDiagnosis).
 * check: a stable id ("server", "database", "database-listing", "api-key",
 * "identity", "two-factor", "key-expiry", "password", "transport",
 * "create-key", …). */
const char      *kg_finding_get_check       (KgFinding *self);
KgFindingStatus  kg_finding_get_status      (KgFinding *self);
const char      *kg_finding_get_title       (KgFinding *self);
const char      *kg_finding_get_explanation (KgFinding *self);
const char      *kg_finding_get_remedy      (KgFinding *self);  /* nullable */
KgExchange      *kg_finding_get_exchange    (KgFinding *self);  /* nullable */
/* The KG_ERROR kind behind a problem, or NULL. */
const char      *kg_finding_get_error_kind  (KgFinding *self);
/* {"check", "status", "title", "explanation", "remedy" (or null),
 *  "kind" (or null)} */
JsonObject      *kg_finding_to_json         (KgFinding *self);
KgFinding       *kg_finding_new             (const char      *check,
                                             KgFindingStatus  status,
                                             const char      *title,
                                             const char      *explanation,
                                             const char      *remedy,
                                             KgExchange      *exchange,
                                             const char      *error_kind);

G_END_DECLS
