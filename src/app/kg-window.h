/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define KG_TYPE_WINDOW (kg_window_get_type ())

G_DECLARE_FINAL_TYPE (KgWindow, kg_window, KG, WINDOW, AdwApplicationWindow)

KgWindow *kg_window_new (AdwApplication *application);

G_END_DECLS
