/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Dates and times as a user reads them: never the C library's %x, which
 * gives two-digit years ("12/03/26") in many locales. The format is the
 * translators' (a strftime pattern in the catalogue), the relative part
 * counts with ngettext. */
#define G_LOG_DOMAIN "keygate-when"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kg-when.h"

/* @when in the local time zone, with the translated @pattern. */
static char *
format_local (GDateTime  *when,
              const char *pattern)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (when);

  return g_date_time_format (local, pattern);
}

char *
kg_when_format_date_time (GDateTime *when)
{
  g_return_val_if_fail (when != NULL, NULL);

  /* xgettext:no-c-format
   * Translators: a date and time as g_date_time_format() reads it; keep a
   * four-digit year (%Y) and put day, month and time in your order, e.g.
   * "%-d %b %Y, %H:%M" gives "3 Dec 2026, 14:05" */
  return format_local (when, _("%-d %b %Y, %H:%M"));
}

char *
kg_when_format_date (GDateTime *when)
{
  g_return_val_if_fail (when != NULL, NULL);

  /* xgettext:no-c-format
   * Translators: a date as g_date_time_format() reads it; keep a
   * four-digit year (%Y), e.g. "%-d %B %Y" gives "3 December 2026" */
  return format_local (when, _("%-d %B %Y"));
}

char *
kg_when_format_relative (GDateTime *when,
                         GDateTime *now)
{
  GTimeSpan span;
  gint64 minutes;
  gint64 hours;
  gint64 days;

  g_return_val_if_fail (when != NULL, NULL);
  g_return_val_if_fail (now != NULL, NULL);

  span = g_date_time_difference (now, when);
  if (span < -G_TIME_SPAN_MINUTE)
    return g_strdup (_("in the future"));
  if (span < G_TIME_SPAN_MINUTE)
    return g_strdup (_("just now"));

  minutes = span / G_TIME_SPAN_MINUTE;
  if (minutes < 60)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute ago", "%d minutes ago",
                                         (gulong) minutes), (int) minutes);
  hours = span / G_TIME_SPAN_HOUR;
  if (hours < 24)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour ago", "%d hours ago",
                                         (gulong) hours), (int) hours);
  days = span / G_TIME_SPAN_DAY;
  if (days < 2)
    return g_strdup (_("yesterday"));
  if (days < 7)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day ago", "%d days ago",
                                         (gulong) days), (int) days);
  return kg_when_format_date_time (when);
}

char *
kg_when_format_both (GDateTime *when,
                     GDateTime *now)
{
  g_autofree char *date = NULL;
  g_autofree char *relative = NULL;
  gint64 days;

  g_return_val_if_fail (when != NULL, NULL);
  g_return_val_if_fail (now != NULL, NULL);

  date = kg_when_format_date_time (when);
  days = g_date_time_difference (now, when) / G_TIME_SPAN_DAY;
  if (days >= 7)
    return g_steal_pointer (&date);
  relative = kg_when_format_relative (when, now);
  /* Translators: a date and time, then how long ago it was:
   * "3 Dec 2026, 14:05 · 5 minutes ago" */
  return g_strdup_printf (_("%s · %s"), date, relative);
}
