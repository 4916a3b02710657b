/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Makes the wheel over @scrolled (a scrolled window inside another one:
 * a response body or a JSON editor in a scrolling page) scroll the outer
 * one once @scrolled cannot go further that way, so that the page never
 * stops scrolling under the pointer. */
void kg_scroll_chain_attach (GtkScrolledWindow *scrolled);

G_END_DECLS
