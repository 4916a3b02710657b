/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define KG_TYPE_PAGE_SWITCHER (kg_page_switcher_get_type ())
G_DECLARE_FINAL_TYPE (KgPageSwitcher, kg_page_switcher, KG, PAGE_SWITCHER, GtkWidget)

/* A bar of icon-only buttons, one per visible page of an AdwViewStack, each
 * named by its page's title (tooltip and accessible label): the switcher of
 * a window too narrow for the pages' titles. */
GtkWidget    *kg_page_switcher_new       (void);
void          kg_page_switcher_set_stack (KgPageSwitcher *self,
                                          AdwViewStack   *stack);
AdwViewStack *kg_page_switcher_get_stack (KgPageSwitcher *self);

G_END_DECLS
