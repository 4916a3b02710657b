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
/* The same without failing: returns whether @cond held within @seconds. */
gboolean  kg_ui_test_wait_until      (gboolean   (*cond) (gpointer),
                                      gpointer     data,
                                      guint        seconds);
/* Conditions for kg_ui_test_wait_for. */
gboolean  kg_ui_test_is_mapped       (gpointer     widget);
gboolean  kg_ui_test_is_null         (gpointer     pointer_location);
gboolean  kg_ui_test_is_true         (gpointer     boolean_location);
/* Runs the main loop for @msec milliseconds: only to let drawing settle
 * (before a screenshot), never to wait for something to happen. */
void      kg_ui_test_run_for         (guint        msec);
/* Clicks a real button the user can reach: fails unless it is mapped and
 * sensitive. */
void      kg_ui_test_click           (GtkWidget   *button);
/* The template child @name of @widget's @type template; fails the test
 * naming the type when there is none. */
gpointer  kg_ui_test_template_child  (gpointer     widget,
                                      GType        type,
                                      const char  *name);
/* Waits until @widget's frame clock has ticked @n_frames times (layout and
 * drawing of what changed before the call are done): the condition to wait
 * for when the thing to check is "nothing moved". */
void      kg_ui_test_wait_frames     (GtkWidget   *widget,
                                      guint        n_frames);
/* Every text the widget tree shows: labels, editables, text views, tooltips. */
char     *kg_ui_test_dup_tree_text   (GtkWidget   *widget);
/* Fails when @secret occurs in the text of @widget's tree (or it has none). */
void      kg_ui_test_assert_tree_lacks (GtkWidget *widget,
                                        const char *secret);
/* Saves @window (a toplevel) as $KEYGATE_BUILD_DIR/screenshots/@name.png,
 * to be looked at, once it has drawn a frame. Returns whether it did (FALSE
 * without KEYGATE_BUILD_DIR or when nothing was drawn after ~8 s). */
gboolean  kg_ui_test_save_screenshot (GtkWidget   *window,
                                      const char  *name);

/* At least @min_height pixels of @widget (mapped) are inside @window, and
 * none of its width is outside, once @window is laid out at its size. */
void      kg_ui_test_assert_on_screen (GtkWidget  *window,
                                       GtkWidget  *widget,
                                       float       min_height);

/* The widgets of @type under @root (@root included), in tree order, not
 * looking inside one that matched (a new array, not owning them). */
GPtrArray *kg_ui_test_find_all        (GtkWidget  *root,
                                       GType       type);

/* A new window of @width × @height holding @child, presented and mapped. */
GtkWidget *kg_ui_test_present         (GtkWidget  *child,
                                       int         width,
                                       int         height);
/* Destroys @window and waits until @widget (in it) is finalized. */
void       kg_ui_test_destroy_window  (GtkWidget  *window,
                                       gpointer    widget);

G_END_DECLS
