/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kg-app-context.h"

G_BEGIN_DECLS

#define KG_TYPE_CONNECTION_PAGE (kg_connection_page_get_type ())
G_DECLARE_FINAL_TYPE (KgConnectionPage, kg_connection_page, KG, CONNECTION_PAGE, AdwBin)

/* A page of the connection content. Properties: context (KgAppContext,
 * construct-only), profile (KgProfile, nullable: the selected connection).
 *
 * Edits a copy of the profile; every change that leaves all fields valid is
 * written back and saved (kg_profile_store_update). Invalid rows get the
 * "error" style and the reason is shown below them.
 *
 * Signal ::profile-added (KgProfile *profile): the form of
 * kg_connection_page_start_new() became valid and the new connection was
 * added to the store. */
GtkWidget  *kg_connection_page_new          (KgAppContext *context);
KgProfile  *kg_connection_page_get_profile  (KgConnectionPage *self);
void        kg_connection_page_set_profile  (KgConnectionPage *self,
                               KgProfile *profile);
/* An empty form for a new connection; nothing is saved until it is valid. */
void        kg_connection_page_start_new    (KgConnectionPage *self);
gboolean    kg_connection_page_is_new       (KgConnectionPage *self);
void        kg_connection_page_focus_url    (KgConnectionPage *self);

G_END_DECLS
