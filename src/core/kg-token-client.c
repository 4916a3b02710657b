/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Not written yet: see kg-token-client.h for the contract. */
#include "config.h"
#include "kg-token-client.h"
