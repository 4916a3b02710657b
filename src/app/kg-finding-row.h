/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "keygate-core.h"

G_BEGIN_DECLS

#define KG_TYPE_FINDING_ROW (kg_finding_row_get_type ())
G_DECLARE_FINAL_TYPE (KgFindingRow, kg_finding_row, KG, FINDING_ROW, AdwExpanderRow)

/* One finding of the 2FA doctor: its title and status, its explanation and
 * what to do, and "Show Exchange" when a request and answer are behind it.
 * What needs attention (a problem) is open at once. */
GtkWidget *kg_finding_row_new         (KgFinding    *finding);
KgFinding *kg_finding_row_get_finding (KgFindingRow *self);

G_END_DECLS
