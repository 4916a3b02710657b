/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kg-call-result.h"

G_BEGIN_DECLS

/* @error NULL: a success. @json is referenced; @body_text copied. */
KgCallResult *kg_call_result_new (const GError *error,
                                  guint         status,
                                  JsonNode     *json,
                                  const char   *body_text,
                                  gint64        elapsed_us,
                                  KgExchange   *exchange);

G_END_DECLS
