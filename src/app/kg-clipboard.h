/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A secret (API key, access token) put on @widget's clipboard, taken off
 * again after @delay_seconds when it is still the clipboard's content (the
 * user may have copied something else since). One secret at a time per
 * clipboard: a second copy replaces the first and its timer. */
void  kg_clipboard_set_secret   (GtkWidget  *widget,
                                 const char *secret,
                                 guint       delay_seconds);
/* Takes the secret off now if it is still there (a window closing). */
void  kg_clipboard_clear_secret (GtkWidget  *widget);

G_END_DECLS
