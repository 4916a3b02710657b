/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Not written yet: see kg-record-create.h for the contract. */
#include "config.h"
#include "kg-record-create.h"
