/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Dates and times as the History shows them: a four-digit year, and how
 * long ago in words. */
#include "config.h"

#include <string.h>

#include "kg-test-utils.h"
#include "kg-when.h"

static void
test_date_time (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) when = g_date_time_new (utc, 2026, 12, 3, 14, 5, 9);
  g_autofree char *text = NULL;

  g_setenv ("TZ", "UTC", TRUE);
  g_date_time_unref (g_date_time_new_now_local ());
  text = kg_when_format_date_time (when);
  g_assert_cmpstr (text, ==, "3 Dec 2026, 14:05");
  g_free (text);
  text = kg_when_format_date (when);
  g_assert_cmpstr (text, ==, "3 December 2026");
}

static void
test_relative (void)
{
  static const struct {
    GTimeSpan   ago;
    const char *text;
  } cases[] = {
    { -5 * G_TIME_SPAN_MINUTE, "in the future" },
    { 20 * G_TIME_SPAN_SECOND, "just now" },
    { 1 * G_TIME_SPAN_MINUTE, "1 minute ago" },
    { 59 * G_TIME_SPAN_MINUTE, "59 minutes ago" },
    { 1 * G_TIME_SPAN_HOUR, "1 hour ago" },
    { 23 * G_TIME_SPAN_HOUR, "23 hours ago" },
    { 30 * G_TIME_SPAN_HOUR, "yesterday" },
    { 3 * G_TIME_SPAN_DAY, "3 days ago" },
  };
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) when = g_date_time_add (now, -cases[i].ago);
      g_autofree char *text = kg_when_format_relative (when, now);

      g_assert_cmpstr (text, ==, cases[i].text);
    }

  /* Past a week: the date itself, with its year. */
  {
    g_autoptr(GDateTime) when = g_date_time_add (now, -10 * G_TIME_SPAN_DAY);
    g_autofree char *text = kg_when_format_relative (when, now);
    g_autofree char *year = g_date_time_format (when, "%Y");

    g_assert_nonnull (strstr (text, year));
  }
}

static void
test_both (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) recent = g_date_time_add (now, -5 * G_TIME_SPAN_MINUTE);
  g_autoptr(GDateTime) old = g_date_time_add (now, -40 * G_TIME_SPAN_DAY);
  g_autofree char *recent_text = kg_when_format_both (recent, now);
  g_autofree char *old_text = kg_when_format_both (old, now);
  g_autofree char *old_date = kg_when_format_date_time (old);

  g_assert_true (g_str_has_suffix (recent_text, " · 5 minutes ago"));
  g_assert_cmpstr (old_text, ==, old_date);
}

int
main (int   argc,
      char *argv[])
{
  kg_test_init (&argc, &argv);

  g_test_add_func ("/core/when/date-time", test_date_time);
  g_test_add_func ("/core/when/relative", test_relative);
  g_test_add_func ("/core/when/both", test_both);

  return g_test_run ();
}
