/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kg-app-context.h"

G_BEGIN_DECLS

#define KG_TYPE_TOKEN_PAGE (kg_token_page_get_type ())
G_DECLARE_FINAL_TYPE (KgTokenPage, kg_token_page, KG, TOKEN_PAGE, AdwBin)

/* A page of the connection content. Properties: context (KgAppContext,
 * construct-only), profile (KgProfile, nullable: the selected connection). */
GtkWidget  *kg_token_page_new          (KgAppContext *context);
KgProfile  *kg_token_page_get_profile  (KgTokenPage *self);
void        kg_token_page_set_profile  (KgTokenPage *self,
                                        KgProfile   *profile);
/* TRUE while an exchange is in flight (property "busy"). Exchange is the
 * action "page.exchange". */
gboolean    kg_token_page_get_busy     (KgTokenPage *self);

G_END_DECLS
