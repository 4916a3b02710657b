/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kg-app-context.h"

G_BEGIN_DECLS

#define KG_TYPE_CONNECTION_ROW (kg_connection_row_get_type ())
G_DECLARE_FINAL_TYPE (KgConnectionRow, kg_connection_row, KG, CONNECTION_ROW, AdwBin)

/* One connection in the sidebar's list view: name, login, host/database, a
 * lock icon when its key is in the keyring (the context's key state), a
 * warning icon when the URL is http:// to another computer, and a menu with
 * "Remove…" (win.remove-connection with the profile id). Follows the
 * profile's properties. Made once per list item (setup) and given a
 * profile on bind, NULL on unbind. */
GtkWidget  *kg_connection_row_new          (KgAppContext    *context);
void        kg_connection_row_set_profile  (KgConnectionRow *self,
                                            KgProfile       *profile);
KgProfile  *kg_connection_row_get_profile  (KgConnectionRow *self);

G_END_DECLS
