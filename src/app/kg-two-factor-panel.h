/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kg-page.h"

G_BEGIN_DECLS

#define KG_TYPE_TWO_FACTOR_PANEL (kg_two_factor_panel_get_type ())
G_DECLARE_FINAL_TYPE (KgTwoFactorPanel, kg_two_factor_panel, KG, TWO_FACTOR_PANEL, KgPage)

/* A page of the connection content (a KgPage): the 2FA doctor. Explains why
 * password logins fail once two-factor authentication is on, runs
 * KgDiagnosis for the selected connection with its stored key and lists the
 * findings as they arrive, offers the optional password check, and ends in
 * "Paste your new key" (store in the keyring, then diagnose again). A
 * connection not diagnosed since it was selected is diagnosed when the
 * panel is shown (mapped), with the stored key only; so is one whose
 * findings went stale (an access-denied reported to the context, or its key
 * stored or forgotten elsewhere). The page is busy while a diagnosis or a
 * key store is in flight. */
GtkWidget  *kg_two_factor_panel_new          (KgAppContext *context);

/* Starts a diagnosis of the selected connection with its stored key
 * (restarting one in flight). The window calls it when it opens the panel
 * after an access-denied. Does nothing without a profile. */
void        kg_two_factor_panel_run          (KgTwoFactorPanel *self);
/* The findings of the last (or current) run: a GListModel of KgFinding,
 * empty before the first run. Owned by the panel. */
GListModel *kg_two_factor_panel_get_findings (KgTwoFactorPanel *self);

G_END_DECLS
