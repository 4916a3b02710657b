/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kg-page.h"

G_BEGIN_DECLS

#define KG_TYPE_REQUESTS_PAGE (kg_requests_page_get_type ())
G_DECLARE_FINAL_TYPE (KgRequestsPage, kg_requests_page, KG, REQUESTS_PAGE, KgPage)

/* The request workbench (a KgPage): one model call or HTTP route edited
 * and sent through the selected connection's credentials, the answer in
 * a KgResponseView. Send is the action "page.send" (Ctrl+Return inside
 * the page); busy while a request is in flight. */
GtkWidget  *kg_requests_page_new          (KgAppContext *context);
/* Puts @request (a collection request, as kg_exchange_to_collection_request
 * makes) in the editor, as a new request of the open collection if there
 * is one; with @send, sends it with the page's connection. */
void        kg_requests_page_open_request (KgRequestsPage *self,
                                           JsonObject     *request,
                                           gboolean        send);

G_END_DECLS
