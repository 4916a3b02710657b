/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Not written yet: see kg-demo-server.h. */
#include "config.h"
#include "kg-demo-server.h"
