/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Not written yet: see kg-token-spec.h for the contract. */
#include "config.h"
#include "kg-token-spec.h"
