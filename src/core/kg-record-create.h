/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "kg-http.h"
#include "kg-profile.h"
#include "kg-token-client.h"

G_BEGIN_DECLS

typedef enum {
  KG_CREATE_VIA_PROFILE,  /* whatever the profile's protocol says */
  KG_CREATE_VIA_JSONRPC,  /* execute_kw project.project create */
  KG_CREATE_VIA_TOKEN,    /* the profile's create spec, token attached */
} KgCreateVia;

#define KG_TYPE_CREATE_RESULT (kg_create_result_get_type ())
G_DECLARE_FINAL_TYPE (KgCreateResult, kg_create_result, KG, CREATE_RESULT, GObject)

gint64       kg_create_result_get_id        (KgCreateResult *self);
const char  *kg_create_result_get_message   (KgCreateResult *self); /* nullable */
KgExchange  *kg_create_result_get_exchange  (KgCreateResult *self);

typedef struct
{
  const char *name;          /* required */
  const char *description;   /* nullable */
  JsonObject *extra_fields;  /* nullable: merged into the values/payload */
} KgProjectValues;

/* Creates a project.project. JSON-RPC: authenticate, then execute_kw create
 * {name, description, …extra}. Token: the create spec's route through
 * @token_client (which must be for the same profile). */
void            kg_record_create_project_async  (KgHttp              *http,
                                                 KgProfile           *profile,
                                                 KgTokenClient       *token_client,
                                                 const char          *api_key,
                                                 const KgProjectValues *values,
                                                 KgCreateVia          via,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
KgCreateResult *kg_record_create_project_finish (GAsyncResult        *result,
                                                 GError             **error);

/* Reads a project back over JSON-RPC (name, description, user_id, create_date). */
void            kg_record_read_project_async    (KgHttp              *http,
                                                 KgProfile           *profile,
                                                 const char          *api_key,
                                                 gint64               project_id,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
JsonObject     *kg_record_read_project_finish   (GAsyncResult        *result,
                                                 GError             **error);

/* <url>/odoo/action-project.open_view_project_all/<id>-style link to open
 * the record in the web client: "<url>/web#id=<id>&model=project.project&view_type=form". */
char           *kg_record_build_web_url         (KgProfile           *profile,
                                                 const char          *model,
                                                 gint64               id);

G_END_DECLS
