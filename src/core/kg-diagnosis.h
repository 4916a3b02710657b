/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "kg-error.h"
#include "kg-exchange.h"
#include "kg-finding.h"
#include "kg-http.h"
#include "kg-profile.h"

G_BEGIN_DECLS

#define KG_TYPE_DIAGNOSIS (kg_diagnosis_get_type ())
G_DECLARE_FINAL_TYPE (KgDiagnosis, kg_diagnosis, KG, DIAGNOSIS, GObject)

/* The 2FA doctor. Runs its checks in order and stops where later checks
 * cannot run. Findings appear in the model (GListModel of KgFinding) as
 * they are made. @api_key and @password are optional, used only for this
 * run and never stored: kg_diagnosis_run_async takes them over (set them
 * again before another run) and wipes them once used. */
KgDiagnosis *kg_diagnosis_new             (KgHttp              *http,
                                           KgProfile           *profile);
void         kg_diagnosis_set_api_key     (KgDiagnosis         *self,
                                           const char          *api_key);
void         kg_diagnosis_set_password    (KgDiagnosis         *self,
                                           const char          *password);
GListModel  *kg_diagnosis_get_findings    (KgDiagnosis         *self);
void         kg_diagnosis_run_async       (KgDiagnosis         *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean     kg_diagnosis_run_finish      (KgDiagnosis         *self,
                                           GAsyncResult        *result,
                                           GError             **error);
/* The worst status among the findings. */
KgFindingStatus kg_diagnosis_get_verdict  (KgDiagnosis         *self);
/* keygate-cli's exit code for the findings: 0 without a problem; 3 when
 * the first problem is a credential check (api-key, password, key-expiry,
 * token-exchange, token-route); otherwise the exit code of the first
 * problem's error kind. */
KgExitCode   kg_diagnosis_get_exit_code   (KgDiagnosis         *self);

/* The fixed texts the CLI and the GUI's 2FA panel share (translatable). */
const char  *kg_diagnosis_why_passwords_fail (void);
const char  *kg_diagnosis_why_keys_work      (void);
const char  *kg_diagnosis_password_warning   (void);
/* Steps to create a key in Odoo 18/19, one per line. */
const char  *kg_diagnosis_create_key_steps   (void);
/* The page to open to create a key: Odoo's web client home, from where the
 * user menu leads to Preferences › Account Security (see the .c for why
 * not a deep link). Same as _for_version (profile, 0). */
char        *kg_diagnosis_build_preferences_url (KgProfile *profile);
/* Odoo 18 and newer (and 0 = unknown): <url>/odoo; Odoo 17 and older:
 * <url>/web. */
char        *kg_diagnosis_build_preferences_url_for_version (KgProfile *profile,
                                                             int        major);

G_END_DECLS
