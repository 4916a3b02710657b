/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Keeps secrets held in memory out of crash dumps: no core file is written
 * (RLIMIT_CORE 0) and the process is not dumpable, so other processes of
 * the same user cannot read its memory through ptrace or /proc/PID/mem
 * either. Called first thing by keygate and keygate-cli. */
gboolean kg_process_protect_secrets (GError **error);

G_END_DECLS
