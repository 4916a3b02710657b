/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "kg-exchange.h"

G_BEGIN_DECLS

/* A curl command line that reproduces the request, with every secret as a
 * shell variable reference ("$ODOO_API_KEY", "$ODOO_TOKEN"), never a value. */
char *kg_exchange_to_curl (KgExchange *self);

G_END_DECLS
