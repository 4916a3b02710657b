/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kg-app-context.h"

G_BEGIN_DECLS

#define KG_TYPE_WINDOW (kg_window_get_type ())

G_DECLARE_FINAL_TYPE (KgWindow, kg_window, KG, WINDOW, AdwApplicationWindow)

/* The main window: the connection list | the pages of the selected
 * connection (AdwViewStack: "connection", "key", "token", "create",
 * "history", "two-factor").
 *
 * Window actions pages may use (gtk_widget_activate_action on any widget
 * inside the window):
 *   win.toast (s)              — shows a toast with that text
 *   win.show-page (s)          — switches to the named page
 *   win.show-two-factor        — switches to the 2FA doctor page
 *   win.add-connection         — a new connection in the Connection page (Ctrl+N)
 *   win.remove-connection (s)  — asks, then removes the profile with that id and its key
 *   win.try-demo               — adds the Demo connection and selects it
 *   win.focus-url              — the URL row of the Connection page (Ctrl+L) */
KgWindow     *kg_window_new               (AdwApplication *application);
/* Uses @context instead of kg_app_context_new_default() (tests). */
KgWindow     *kg_window_new_with_context  (AdwApplication *application,
                                           KgAppContext   *context);
KgAppContext *kg_window_get_context       (KgWindow       *self);
/* The selected connection, or NULL. */
KgProfile    *kg_window_get_profile       (KgWindow       *self);
void          kg_window_select_profile    (KgWindow       *self,
                                           KgProfile      *profile);
/* The page widget named @name (see above), or NULL. Pages are built when
 * first shown; this builds the page if it was not built yet. */
GtkWidget    *kg_window_get_page          (KgWindow       *self,
                                           const char     *name);
/* Whether the page named @name has been built (without building it). */
gboolean      kg_window_is_page_built     (KgWindow       *self,
                                           const char     *name);
const char   *kg_window_get_visible_page  (KgWindow       *self);
/* The text of the last toast shown through win.toast or by the window. */
const char   *kg_window_get_last_toast    (KgWindow       *self);

G_END_DECLS
