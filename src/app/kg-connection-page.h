/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kg-app-context.h"

G_BEGIN_DECLS

#define KG_TYPE_CONNECTION_PAGE (kg_connection_page_get_type ())
G_DECLARE_FINAL_TYPE (KgConnectionPage, kg_connection_page, KG, CONNECTION_PAGE, AdwBin)

/* A page of the connection content. Properties: context (KgAppContext,
 * construct-only), profile (KgProfile, nullable: the selected connection). */
GtkWidget  *kg_connection_page_new          (KgAppContext *context);
KgProfile  *kg_connection_page_get_profile  (KgConnectionPage *self);
void        kg_connection_page_set_profile  (KgConnectionPage *self,
                               KgProfile *profile);

G_END_DECLS
