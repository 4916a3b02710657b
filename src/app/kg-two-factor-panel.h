/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kg-app-context.h"

G_BEGIN_DECLS

#define KG_TYPE_TWO_FACTOR_PANEL (kg_two_factor_panel_get_type ())
G_DECLARE_FINAL_TYPE (KgTwoFactorPanel, kg_two_factor_panel, KG, TWO_FACTOR_PANEL, AdwBin)

/* A page of the connection content. Properties: context (KgAppContext,
 * construct-only), profile (KgProfile, nullable: the selected connection). */
GtkWidget  *kg_two_factor_panel_new          (KgAppContext *context);
KgProfile  *kg_two_factor_panel_get_profile  (KgTwoFactorPanel *self);
void        kg_two_factor_panel_set_profile  (KgTwoFactorPanel *self,
                               KgProfile *profile);

G_END_DECLS
