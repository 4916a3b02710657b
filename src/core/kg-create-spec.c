/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Not written yet: see kg-create-spec.h for the contract. */
#include "config.h"
#include "kg-create-spec.h"
