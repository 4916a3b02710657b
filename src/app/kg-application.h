/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define KG_TYPE_APPLICATION (kg_application_get_type ())

G_DECLARE_FINAL_TYPE (KgApplication, kg_application, KG, APPLICATION, AdwApplication)

KgApplication *kg_application_new (const char        *application_id,
                                   GApplicationFlags  flags);

G_END_DECLS
