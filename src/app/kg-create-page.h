/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kg-page.h"

G_BEGIN_DECLS

#define KG_TYPE_CREATE_PAGE (kg_create_page_get_type ())
G_DECLARE_FINAL_TYPE (KgCreatePage, kg_create_page, KG, CREATE_PAGE, KgPage)

/* The Create Project page (a KgPage): busy while a create request is in
 * flight. Send is the action "page.send" (Ctrl+Return inside the page). */
GtkWidget  *kg_create_page_new (KgAppContext *context);

G_END_DECLS
