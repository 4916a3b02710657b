/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define KG_TYPE_PREFERENCES_WINDOW (kg_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (KgPreferencesWindow, kg_preferences_window, KG, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

KgPreferencesWindow *kg_preferences_window_new (void);

G_END_DECLS
