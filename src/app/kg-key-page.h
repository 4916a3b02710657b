/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kg-page.h"

G_BEGIN_DECLS

#define KG_TYPE_KEY_PAGE (kg_key_page_get_type ())
G_DECLARE_FINAL_TYPE (KgKeyPage, kg_key_page, KG, KEY_PAGE, KgPage)

/* The API Key page (a KgPage): store, verify, copy and forget the key of
 * the selected connection. */
GtkWidget  *kg_key_page_new (KgAppContext *context);

G_END_DECLS
