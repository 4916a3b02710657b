/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kg-page.h"

G_BEGIN_DECLS

#define KG_TYPE_CONNECTION_PAGE (kg_connection_page_get_type ())
G_DECLARE_FINAL_TYPE (KgConnectionPage, kg_connection_page, KG, CONNECTION_PAGE, KgPage)

/* The Connection page (a KgPage). Edits a copy of the profile; every change that leaves all fields valid is
 * written back and saved (kg_profile_store_update). Invalid rows get the
 * "error" style and the reason is shown below them.
 *
 * Signal ::profile-added (KgProfile *profile): the form of
 * kg_connection_page_start_new() became valid and the new connection was
 * added to the store. */
GtkWidget  *kg_connection_page_new          (KgAppContext *context);
/* An empty form for a new connection; nothing is saved until it is valid. */
void        kg_connection_page_start_new    (KgConnectionPage *self);
gboolean    kg_connection_page_is_new       (KgConnectionPage *self);
void        kg_connection_page_focus_url    (KgConnectionPage *self);
void        kg_connection_page_focus_name   (KgConnectionPage *self);

G_END_DECLS
