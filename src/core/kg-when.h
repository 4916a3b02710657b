/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Moments shown to a user, in their language (kg-when.c).
 *
 * kg_when_format_date_time: the local date and time with a four-digit
 * year, in the order the translation gives ("3 Dec 2026, 14:05" in
 * English).
 * kg_when_format_relative: how long ago @when was, seen at @now: "just
 * now", "5 minutes ago", "3 hours ago", "yesterday", "4 days ago", or the
 * date beyond a week; "in the future" for a clock that runs behind.
 * kg_when_format_both: "3 Dec 2026, 14:05 · 5 minutes ago". */
char *kg_when_format_date_time (GDateTime *when);
/* The local date alone: "3 December 2026" in English. */
char *kg_when_format_date      (GDateTime *when);
char *kg_when_format_relative  (GDateTime *when,
                                GDateTime *now);
char *kg_when_format_both      (GDateTime *when,
                                GDateTime *now);

G_END_DECLS
