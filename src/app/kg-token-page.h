/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kg-page.h"

G_BEGIN_DECLS

#define KG_TYPE_TOKEN_PAGE (kg_token_page_get_type ())
G_DECLARE_FINAL_TYPE (KgTokenPage, kg_token_page, KG, TOKEN_PAGE, KgPage)

/* The Token page (a KgPage). Exchange is the action "page.exchange"; the
 * page is busy while an exchange is in flight. */
GtkWidget  *kg_token_page_new (KgAppContext *context);

G_END_DECLS
