/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kg-request-editor.h"
#include "kg-requests-page.h"
#include "kg-response-view.h"

G_BEGIN_DECLS


struct _KgRequestsPage
{
  KgPage           parent_instance;

  GtkToggleButton *sidebar_button;
  GtkLabel        *title_label;
  GtkMenuButton   *collection_menu_button;
  GtkSpinner      *spinner;
  GtkButton       *cancel_button;
  GtkButton       *send_button;
  GtkLabel        *hint_label;
  AdwFlap         *flap;
  GtkListView     *request_list;
  GtkLabel        *run_summary_label;
  GtkButton       *run_button;
  GtkButton       *run_cancel_button;
  GMenu           *recent_menu;
  GtkPaned        *paned;
  GtkWidget       *editor_scroller;
  KgRequestEditor *editor;
  KgResponseView  *response_view;

  /* The collection (kg-requests-page-collection.c); NULL: one request. */
  KgCollection    *collection;
  GtkSingleSelection *selection;   /* over the collection's requests */
  GHashTable      *results;        /* request → RunResult of the last run or send */
  GCancellable    *run_cancellable;/* the run in flight (owned), or NULL */
  KgVariables     *variables;      /* of the last run, captures included, kept for
                                    * single sends; NULL before any run */
  JsonObject      *session_values; /* "Variables…" for this session (not saved), or NULL */
  guint            n_passed;
  guint            n_failed;
  gboolean         dirty;          /* changed since loaded or saved */
  GHashTable      *rows;           /* request → its bound KgRequestRow */
  guint            applying;       /* the page is filling the editor */
  GtkWindow       *close_window;   /* the window whose close-request is watched */
  gulong           close_handler;  /* on it: ask before losing changes */

  KgCaller        *caller;         /* of the current profile, made when first needed */
  /* For completion (kg-requests-page-schema.c). */
  GHashTable      *model_names;    /* profile id → GStrv (model, name, …) */
  GHashTable      *model_fields;   /* "profile id/model" → JsonObject from fields_get */
  GHashTable      *loading;        /* the keys above whose answer is on the way */
  guint            reveal_tick;    /* a sidebar reveal put off until the flap has a size */
  gboolean         reveal_pending; /* what that reveal will set */
};

/* kg-requests-page-collection.c */
void      kg_requests_page_collection_init       (KgRequestsPage      *self);
void      kg_requests_page_collection_class_init (GtkWidgetClass      *widget_class);
void      kg_requests_page_collection_constructed (KgRequestsPage     *self);
void      kg_requests_page_collection_dispose    (KgRequestsPage      *self);
/* The editor changed: the selected request takes the edit. */
void      kg_requests_page_collection_edited     (KgRequestsPage      *self);
/* A single send of the selected request finished: its row shows it. */
void      kg_requests_page_collection_sent       (KgRequestsPage      *self,
                                                  KgCallResult        *result);

/* The variables a single send expands with: the collection's, then what
 * the last run and later sends captured (owned; NULL without a
 * collection). */
KgVariables *kg_requests_page_dup_variables      (KgRequestsPage      *self);

/* kg-requests-page-variables.c: "Variables…". */
void      kg_requests_page_variables_class_init  (GtkWidgetClass      *widget_class);

/* kg-requests-page-schema.c: model names and fields for completion,
 * asked of the connection's server once each. */
void      kg_requests_page_schema_init           (KgRequestsPage      *self);
void      kg_requests_page_schema_class_init     (GtkWidgetClass      *widget_class);
void      kg_requests_page_schema_finalize       (KgRequestsPage      *self);
/* The page's profile changed: what is known of the new one is offered. */
void      kg_requests_page_schema_profile_changed (KgRequestsPage     *self);
/* @profile was edited in place: nothing known of it holds any more. */
void      kg_requests_page_schema_forget         (KgRequestsPage      *self,
                                                  KgProfile           *profile);

/* Shared by the two files above and below. */
/* Shows or hides the collection's sidebar (put off until the flap has a
 * size: see kg-requests-page-collection.c). */
void      kg_requests_page_reveal_sidebar        (KgRequestsPage      *self,
                                                  gboolean             reveal);
void      kg_requests_page_set_collection        (KgRequestsPage      *self,
                                                  KgCollection        *collection,
                                                  gboolean             dirty);
void      kg_requests_page_set_dirty             (KgRequestsPage      *self,
                                                  gboolean             dirty);
char     *kg_requests_page_dup_collection_title  (KgRequestsPage      *self);
/* Adds @json after the selected request and selects it. */
void      kg_requests_page_insert_request        (KgRequestsPage      *self,
                                                  JsonObject          *json);

/* kg-requests-page-files.c */
typedef void (*KgRequestsPageThen) (KgRequestsPage *self,
                                    gpointer        data);

void      kg_requests_page_files_init            (KgRequestsPage      *self);
void      kg_requests_page_files_class_init      (GtkWidgetClass      *widget_class);
void      kg_requests_page_files_constructed     (KgRequestsPage      *self);
void      kg_requests_page_files_dispose         (KgRequestsPage      *self);
/* Runs @then now, or once the user agreed to lose the unsaved changes. */
void      kg_requests_page_confirm_discard       (KgRequestsPage      *self,
                                                  KgRequestsPageThen   then,
                                                  gpointer             data,
                                                  GDestroyNotify       data_free);

/* kg-requests-page-curl.c */
void      kg_requests_page_curl_class_init       (GtkWidgetClass      *widget_class);

/* kg-requests-page.c */
KgCaller *kg_requests_page_ensure_caller    (KgRequestsPage *self);
void      kg_requests_page_update_state     (KgRequestsPage *self);

G_END_DECLS
