/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Helpers shared by the UI tests. */

/* Iterates the default main context until @cond (@data) is true; fails the
 * test naming @what after 30 s. */
void      kg_ui_test_wait_for        (gboolean   (*cond) (gpointer),
                                      gpointer     data,
                                      const char  *what);
/* Conditions for kg_ui_test_wait_for. */
gboolean  kg_ui_test_is_mapped       (gpointer     widget);
gboolean  kg_ui_test_is_null         (gpointer     pointer_location);
/* Runs the main loop for @msec milliseconds. */
void      kg_ui_test_run_for         (guint        msec);
/* Saves @window as $KEYGATE_BUILD_DIR/screenshots/@name.png, to be looked at. */
void      kg_ui_test_save_screenshot (GtkWidget   *window,
                                      const char  *name);

G_END_DECLS
