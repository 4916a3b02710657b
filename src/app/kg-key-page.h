/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kg-app-context.h"

G_BEGIN_DECLS

#define KG_TYPE_KEY_PAGE (kg_key_page_get_type ())
G_DECLARE_FINAL_TYPE (KgKeyPage, kg_key_page, KG, KEY_PAGE, AdwBin)

/* A page of the connection content. Properties: context (KgAppContext,
 * construct-only), profile (KgProfile, nullable: the selected connection). */
GtkWidget  *kg_key_page_new          (KgAppContext *context);
KgProfile  *kg_key_page_get_profile  (KgKeyPage *self);
void        kg_key_page_set_profile  (KgKeyPage *self,
                               KgProfile *profile);

G_END_DECLS
