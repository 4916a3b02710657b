/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Shared by the window's files, GNOME Text Editor style: kg-window.c (the
 * window, its pages, the sidebar, the view) and kg-window-actions.c (the
 * win.* actions and their shortcuts). Not for other files. */

#include "kg-active-selection.h"
#include "kg-page-switcher.h"
#include "kg-window.h"

G_BEGIN_DECLS

typedef enum {
  PAGE_CONNECTION,
  PAGE_KEY,
  PAGE_TOKEN,
  PAGE_CREATE,
  PAGE_REQUESTS,
  PAGE_HISTORY,
  PAGE_TWO_FACTOR,
  N_PAGES
} PageId;

struct _KgWindow
{
  AdwApplicationWindow parent_instance;

  GSettings *settings;
  KgAppContext *context;
  KgProfile *profile;           /* the selected connection */
  gboolean new_mode;            /* the Connection page edits a new one */
  KgProfile *before_new;        /* selected when the new one was started */
  KgActiveSelection *selection; /* the sidebar's: follows activation only */
  GtkStringFilter *name_filter;  /* the search field's */
  GtkSliceListModel *first_rows; /* the list's first rows until the first frame */
  char *last_toast;
  KgPage *pages[N_PAGES];        /* NULL until built; owned by their slot */
  GtkWidget *slots[N_PAGES];     /* the view stack's children */
  guint first_frames;            /* frames drawn, counted up to 2 */
  GCancellable *cancellable;

  /* Template children */
  AdwToastOverlay *toast_overlay;
  AdwLeaflet *leaflet;
  GtkWidget *sidebar_pane;
  GtkWidget *sidebar_separator;
  GtkWidget *read_only_label;
  GtkSearchEntry *search_entry;
  GtkListView *connection_list;
  GtkWidget *content_pane;
  AdwHeaderBar *content_header;
  GtkLabel *folded_title_label;
  AdwViewSwitcherTitle *switcher_title;
  GtkWidget *two_factor_button;
  GtkMenuButton *primary_menu_button;
  GtkStack *main_stack;
  AdwStatusPage *empty_page;
  AdwStatusPage *load_error_page;
  GtkButton *add_connection_button;
  GtkButton *demo_button;
  GtkButton *sidebar_add_button;
  GtkWidget *back_button;
  AdwViewStack *view_stack;
  AdwViewSwitcherBar *switcher_bar;
  KgPageSwitcher *icon_switcher;
};

/* kg-window.c */
KgPage   *_kg_window_ensure_page        (KgWindow     *self,
                                         PageId        id);
int       _kg_window_page_id_from_name  (const char   *name);
/* The page's name for win.show-page. */
const char *_kg_window_page_name        (PageId        id);
void      _kg_window_set_profile        (KgWindow     *self,
                                         KgProfile    *profile);
AdwToast *_kg_window_toast              (KgWindow     *self,
                                         const char   *text);

/* kg-window-actions.c */
void      _kg_window_class_actions_init (GtkWidgetClass *widget_class);
/* The Connection page's ::profile-added and ::new-cancelled. */
void      _kg_window_connection_added   (KgWindow     *self,
                                         KgProfile    *profile);
void      _kg_window_new_cancelled      (KgWindow     *self);

G_END_DECLS
