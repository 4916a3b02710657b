/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "keygate-core.h"

G_BEGIN_DECLS

#define KG_TYPE_RESPONSE_VIEW (kg_response_view_get_type ())
G_DECLARE_FINAL_TYPE (KgResponseView, kg_response_view, KG, RESPONSE_VIEW, AdwBin)

/* One widget reused by every page: status and time, the record id and the
 * server's message on success, the classified error with its remedy on
 * failure, and tabs Body (GtkSourceView, JSON pretty-printed), Headers,
 * Timing, plus "Copy as curl" (secrets as shell variables). */
GtkWidget  *kg_response_view_new           (void);
/* Shows @exchange (nullable: clears). */
void        kg_response_view_set_exchange  (KgResponseView *self,
                                            KgExchange     *exchange);
KgExchange *kg_response_view_get_exchange  (KgResponseView *self);
/* A classified failure (its exchange, when attached, is shown too). */
void        kg_response_view_set_error     (KgResponseView *self,
                                            const GError   *error);
/* A success: @record_id > 0 is shown prominently with @message. */
void        kg_response_view_set_result    (KgResponseView *self,
                                            gint64          record_id,
                                            const char     *message);
void        kg_response_view_clear         (KgResponseView *self);

/* The connection the exchange belongs to: "Open in Odoo" builds the record's
 * web client URL from it (nullable). */
void        kg_response_view_set_profile   (KgResponseView *self,
                                            KgProfile      *profile);
KgProfile  *kg_response_view_get_profile   (KgResponseView *self);
/* TRUE while the body is being formatted or inserted (property "loading").
 * Large bodies are prepared in a thread and inserted in slices from an idle
 * source, so the window keeps drawing; a new exchange cancels the load. */
gboolean    kg_response_view_get_loading   (KgResponseView *self);
/* The model of the record shown ("Open in Odoo"); NULL: project.project. */
void        kg_response_view_set_record_model (KgResponseView *self,
                                               const char     *model);
/* The record id shown, 0 when none. */
gint64      kg_response_view_get_record_id (KgResponseView *self);

G_END_DECLS
