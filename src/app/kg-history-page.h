/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kg-app-context.h"

G_BEGIN_DECLS

#define KG_TYPE_HISTORY_PAGE (kg_history_page_get_type ())
G_DECLARE_FINAL_TYPE (KgHistoryPage, kg_history_page, KG, HISTORY_PAGE, AdwBin)

/* A page of the connection content. Properties: context (KgAppContext,
 * construct-only), profile (KgProfile, nullable: the selected connection). */
GtkWidget  *kg_history_page_new          (KgAppContext *context);
KgProfile  *kg_history_page_get_profile  (KgHistoryPage *self);
void        kg_history_page_set_profile  (KgHistoryPage *self,
                                          KgProfile     *profile);

G_END_DECLS
