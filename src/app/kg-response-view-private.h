/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Shared by the response view's files: kg-response-view.c (the exchange,
 * body, status, headers, timing) and kg-response-view-search.c (searching
 * the body). Not for other files. */

#include <gtksourceview/gtksource.h>

#include "kg-body-highlighter.h"
#include "kg-body-loader.h"
#include "kg-response-view.h"
#include "kg-timing-bar.h"

G_BEGIN_DECLS

struct _KgResponseView
{
  AdwBin                   parent_instance;

  AdwToastOverlay         *toast_overlay;
  GtkWidget               *empty_page;
  GtkWidget               *content_box;
  GtkLabel                *status_label;
  GtkLabel                *time_label;
  GtkLabel                *summary_label;
  GtkButton               *curl_button;
  GtkWidget               *result_box;
  GtkLabel                *result_caption_label;
  GtkLabel                *record_id_label;
  GtkButton               *copy_id_button;
  GtkButton               *open_button;
  GtkLabel                *result_message_label;
  GtkWidget               *error_box;
  GtkLabel                *error_title_label;
  GtkLabel                *error_step_label;
  GtkLabel                *error_message_label;
  GtkLabel                *error_status_label;
  GtkLabel                *error_server_label;
  GtkWidget               *remedy_box;
  GtkLabel                *remedy_label;
  GtkWidget               *view_switcher;
  AdwViewStack            *view_stack;
  GtkSearchEntry          *search_entry;
  GtkLabel                *search_count_label;
  GtkButton               *search_previous_button;
  GtkButton               *search_next_button;
  GtkButton               *copy_body_button;
  GtkWidget               *loading_box;
  GtkProgressBar          *loading_bar;
  GtkLabel                *loading_label;
  GtkLabel                *notice_label;
  GtkSourceView           *body_view;
  GtkLabel                *request_line_label;
  GtkListBox              *request_headers_list;
  GtkListBox              *response_headers_list;
  KgTimingBar             *timing_bar;

  GtkSourceBuffer         *buffer;
  GtkSourceSearchSettings *search_settings;
  GtkSourceSearchContext  *search_context;
  GCancellable            *search_cancellable;

  KgExchange              *exchange;
  KgProfile               *profile;
  GError                  *error;
  gint64                   record_id;
  char                    *record_model;   /* NULL: project.project */

  KgBodyLoader            *body_loader;
  KgBodyHighlighter       *highlighter;
  GPtrArray               *icons;          /* preloaded on map */
  gboolean                 loading;
};

/* kg-response-view-search.c */
void _kg_response_view_search_class_init (GtkWidgetClass *widget_class);
void _kg_response_view_search_init       (KgResponseView *self);
void _kg_response_view_search_dispose    (KgResponseView *self);

G_END_DECLS
