/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "kg-app-context.h"

G_BEGIN_DECLS

#define KG_TYPE_PAGE (kg_page_get_type ())
G_DECLARE_DERIVABLE_TYPE (KgPage, kg_page, KG, PAGE, AdwBin)

/* The base of the window's pages: each page shows the selected connection
 * (property "profile") through the app's shared state (property "context",
 * construct-only), has a title and an icon (set in its template), and runs
 * at most one operation at a time (property "busy"). */
struct _KgPageClass
{
  AdwBinClass parent_class;

  /* Called after "profile" changed (the page's operation is already
   * cancelled); @old_profile is the previous one, or NULL. */
  void (*profile_changed) (KgPage    *self,
                           KgProfile *old_profile);

  gpointer padding[4];
};

KgAppContext *kg_page_get_context         (KgPage       *self);
KgProfile    *kg_page_get_profile         (KgPage       *self);
void          kg_page_set_profile         (KgPage       *self,
                                           KgProfile    *profile);
/* Follows the current profile: connect once, in init or constructed. */
GSignalGroup *kg_page_get_profile_signals (KgPage       *self);
const char   *kg_page_get_title           (KgPage       *self);
const char   *kg_page_get_icon_name       (KgPage       *self);

/* The page's operation. begin cancels the one in flight (if any) and returns
 * a new cancellable owned by the page (busy becomes TRUE); callbacks keep a
 * reference on that cancellable, not on the page, and touch the page only
 * while it is not cancelled: the page cancels it when the profile changes,
 * on kg_page_cancel_operation() (the window calls it when it closes) and
 * when it is disposed. end (busy becomes FALSE) is ignored unless
 * @cancellable is the current operation. */
gboolean      kg_page_get_busy            (KgPage       *self);
GCancellable *kg_page_begin_operation     (KgPage       *self);
void          kg_page_end_operation       (KgPage       *self,
                                           GCancellable *cancellable);
gboolean      kg_page_is_operation        (KgPage       *self,
                                           GCancellable *cancellable);
void          kg_page_cancel_operation    (KgPage       *self);

/* Background work of the current profile that does not make the page busy
 * (like a keyring check): cancelled and replaced when the profile changes
 * and on kg_page_deactivate(), cancelled on dispose. */
GCancellable *kg_page_get_cancellable     (KgPage       *self);
/* Cancels the operation and the background work: the window calls it when
 * it closes, so that nothing in flight outlives it. */
void          kg_page_deactivate          (KgPage       *self);

/* The user data of an async call of a page that must not keep the page
 * alive: kg_page_call_end() frees @call and returns the page, or NULL when
 * @cancellable was cancelled (the page may be gone). */
typedef struct _KgPageCall KgPageCall;

KgPageCall   *kg_page_call_new            (KgPage       *self,
                                           GCancellable *cancellable);
gpointer      kg_page_call_end            (KgPageCall   *call);

/* kg_app_context_report_error() for the page's profile. */
void          kg_page_report_error        (KgPage       *self,
                                           const GError *error);
/* A toast in the window ("win.toast"). */
void          kg_page_toast               (KgPage       *self,
                                           const char   *text);
/* Scrolls the scrolled window around @widget so that @widget is near its
 * top: a result comes into view. When the content has just changed and
 * does not have its new height yet, the scroll is made again as the
 * height changes, until it reaches its place. */
void          kg_page_scroll_to           (GtkWidget    *widget);
/* Ctrl+Return (and Ctrl+Enter on the keypad) activates @action_name (a
 * "page.…" action of @self) from anywhere in the page, a text editor
 * included: the shortcut is handled before the focused widget sees it. */
void          kg_page_set_main_action     (KgPage       *self,
                                           const char   *action_name);
/* Puts the focus in the page's first text field that can be typed in,
 * with nothing selected. FALSE when the page has none: the focus then goes
 * to its first focusable widget, still with no text selected. */
gboolean      kg_page_focus_first_field   (KgPage       *self);

G_END_DECLS
