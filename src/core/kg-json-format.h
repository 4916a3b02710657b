/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *kg_json_format_reindent (const char *text,
                               gsize       length,
                               gsize      *out_length);
char *kg_json_format_body     (const char *body,
                               gsize       length,
                               gsize      *out_length,
                               gboolean   *is_json);

G_END_DECLS
