/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kg-app-context.h"

G_BEGIN_DECLS

#define KG_TYPE_CREATE_PAGE (kg_create_page_get_type ())
G_DECLARE_FINAL_TYPE (KgCreatePage, kg_create_page, KG, CREATE_PAGE, AdwBin)

/* A page of the connection content. Properties: context (KgAppContext,
 * construct-only), profile (KgProfile, nullable: the selected connection). */
GtkWidget  *kg_create_page_new          (KgAppContext *context);
KgProfile  *kg_create_page_get_profile  (KgCreatePage *self);
void        kg_create_page_set_profile  (KgCreatePage *self,
                                         KgProfile    *profile);
/* TRUE while a create request is in flight (property "busy"). Send is the
 * action "page.send" (Ctrl+Return inside the page). */
gboolean    kg_create_page_get_busy     (KgCreatePage *self);

G_END_DECLS
