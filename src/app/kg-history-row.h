/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "keygate-core.h"

G_BEGIN_DECLS

#define KG_TYPE_HISTORY_ROW (kg_history_row_get_type ())
G_DECLARE_FINAL_TYPE (KgHistoryRow, kg_history_row, KG, HISTORY_ROW, GtkBox)

/* One entry of the History list: method, HTTP status, label and URL, the
 * outcome (a failure as its kind's title) and the time. */
GtkWidget *kg_history_row_new          (void);
void       kg_history_row_set_exchange (KgHistoryRow *self,
                                        KgExchange   *exchange);

G_END_DECLS
