/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kg-http-request.h"

G_BEGIN_DECLS

/* The fields of a request, for KgHttp, which sends it. */
typedef struct
{
  char *name;
  char *value;
} KgHttpRequestHeader;

struct _KgHttpRequest
{
  grefcount    ref_count;
  char        *method;
  char        *url;
  GPtrArray   *headers;        /* of KgHttpRequestHeader */
  char        *content_type;
  GBytes      *body;
  KgSecrets   *secrets;
  guint        timeout;
  KgTlsPolicy  tls_policy;
  gsize        max_body;
  char        *label;
  char        *step;
  char        *profile_id;
};

G_END_DECLS
