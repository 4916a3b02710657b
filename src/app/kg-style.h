/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void kg_style_ensure_loaded (void);

G_END_DECLS
