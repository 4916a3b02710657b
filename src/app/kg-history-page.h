/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kg-page.h"

G_BEGIN_DECLS

#define KG_TYPE_HISTORY_PAGE (kg_history_page_get_type ())
G_DECLARE_FINAL_TYPE (KgHistoryPage, kg_history_page, KG, HISTORY_PAGE, KgPage)

/* The History page (a KgPage): the log of every connection. */
GtkWidget  *kg_history_page_new (KgAppContext *context);

G_END_DECLS
