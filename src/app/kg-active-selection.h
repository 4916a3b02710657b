/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define KG_TYPE_ACTIVE_SELECTION (kg_active_selection_get_type ())
G_DECLARE_FINAL_TYPE (KgActiveSelection, kg_active_selection, KG, ACTIVE_SELECTION, GObject)

/* A selection model over @model that shows one item as selected: the
 * active one, set by its owner only. The view cannot change it: clicks,
 * arrow keys, Tab and Space move the focus but select nothing (a list that
 * selects what the focus passes over would switch connections while the
 * user only moves through them); the owner makes an item active when it is
 * activated. The active item is followed by identity across changes of
 * @model (filtering, re-sorting); while it is filtered out nothing shows
 * as selected. */
KgActiveSelection *kg_active_selection_new        (GListModel        *model);
GListModel        *kg_active_selection_get_model  (KgActiveSelection *self);
gpointer           kg_active_selection_get_active (KgActiveSelection *self);
void               kg_active_selection_set_active (KgActiveSelection *self,
                                                   gpointer           item);

G_END_DECLS
