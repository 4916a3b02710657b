/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Scroll chaining for nested scrolled windows.
 *
 * GTK 4.8's GtkScrolledWindow takes every wheel event over it that goes
 * its way, also when it is already at its end: with a response body in a
 * scrolling page, the page stops scrolling as soon as the body comes under
 * the pointer. A capture-phase controller on the inner window runs first
 * and hands the event to the nearest outer scrolled window while the inner
 * one cannot move in that direction. */
#define G_LOG_DOMAIN "keygate-app"

#include "config.h"

#include <math.h>

#include "kg-scroll-chain.h"

/* Half a pixel: adjustments hold doubles. */
#define EDGE_SLACK 0.5

static gboolean
can_scroll (GtkAdjustment *adjustment,
            double         dy)
{
  double value = gtk_adjustment_get_value (adjustment);

  if (dy < 0)
    return value > gtk_adjustment_get_lower (adjustment) + EDGE_SLACK;
  return value < gtk_adjustment_get_upper (adjustment) -
                 gtk_adjustment_get_page_size (adjustment) - EDGE_SLACK;
}

static gboolean
scroll_cb (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           gpointer                  user_data)
{
  GtkWidget *inner = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  GtkWidget *parent = gtk_widget_get_parent (inner);
  GtkWidget *outer;
  GtkAdjustment *adjustment;
  double step;

  if (dy == 0 || parent == NULL)
    return FALSE;
  outer = gtk_widget_get_ancestor (parent, GTK_TYPE_SCROLLED_WINDOW);
  if (outer == NULL)
    return FALSE;
  if (can_scroll (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (inner)), dy))
    return FALSE;

  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (outer));
  if (!can_scroll (adjustment, dy))
    return FALSE;
  /* A wheel notch moves as far as GtkScrolledWindow's own (page^⅔);
   * a touchpad's deltas are already in pixels. */
  if (gtk_event_controller_scroll_get_unit (controller) == GDK_SCROLL_UNIT_WHEEL)
    step = dy * pow (gtk_adjustment_get_page_size (adjustment), 2.0 / 3.0);
  else
    step = dy;
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + step);
  return TRUE;
}

void
kg_scroll_chain_attach (GtkScrolledWindow *scrolled)
{
  GtkEventController *controller;

  g_return_if_fail (GTK_IS_SCROLLED_WINDOW (scrolled));

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  gtk_event_controller_set_name (controller, "kg-scroll-chain");
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "scroll", G_CALLBACK (scroll_cb), NULL);
  gtk_widget_add_controller (GTK_WIDGET (scrolled), controller);
}
