/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "keygate-core.h"

G_BEGIN_DECLS

#define KG_TYPE_TIMING_BAR (kg_timing_bar_get_type ())
G_DECLARE_FINAL_TYPE (KgTimingBar, kg_timing_bar, KG, TIMING_BAR, AdwBin)

/* The Timing tab: a bar with one coloured segment per phase of an exchange
 * (DNS, connect, TLS, request, waiting, download), proportional to its
 * duration, above a legend with each phase's duration and the total. */
GtkWidget *kg_timing_bar_new             (void);
/* Shows @timing (nullable: every phase unknown). */
void       kg_timing_bar_set_timing      (KgTimingBar    *self,
                                          const KgTiming *timing);
/* "12.3 ms", "14.2 s" from 10 s on, "—" when @us is negative (unknown). */
char      *kg_timing_bar_format_duration (gint64          us);

G_END_DECLS
