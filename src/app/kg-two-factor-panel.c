/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Placeholder until this page is built: see kg-two-factor-panel.h. */
#define G_LOG_DOMAIN "keygate-app"

#include "config.h"

#include "kg-two-factor-panel.h"

struct _KgTwoFactorPanel
{
  AdwBin        parent_instance;

  KgAppContext *context;
  KgProfile    *profile;
};

G_DEFINE_FINAL_TYPE (KgTwoFactorPanel, kg_two_factor_panel, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_PROFILE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
kg_two_factor_panel_dispose (GObject *object)
{
  KgTwoFactorPanel *self = KG_TWO_FACTOR_PANEL (object);

  g_clear_object (&self->context);
  g_clear_object (&self->profile);

  G_OBJECT_CLASS (kg_two_factor_panel_parent_class)->dispose (object);
}

static void
kg_two_factor_panel_get_property (GObject    *object,
                   guint       prop_id,
                   GValue     *value,
                   GParamSpec *pspec)
{
  KgTwoFactorPanel *self = KG_TWO_FACTOR_PANEL (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    case PROP_PROFILE:
      g_value_set_object (value, self->profile);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kg_two_factor_panel_set_property (GObject      *object,
                   guint         prop_id,
                   const GValue *value,
                   GParamSpec   *pspec)
{
  KgTwoFactorPanel *self = KG_TWO_FACTOR_PANEL (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    case PROP_PROFILE:
      kg_two_factor_panel_set_profile (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kg_two_factor_panel_class_init (KgTwoFactorPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kg_two_factor_panel_dispose;
  object_class->get_property = kg_two_factor_panel_get_property;
  object_class->set_property = kg_two_factor_panel_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, KG_TYPE_APP_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROFILE] =
    g_param_spec_object ("profile", NULL, NULL, KG_TYPE_PROFILE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kg_two_factor_panel_init (KgTwoFactorPanel *self)
{
}

GtkWidget *
kg_two_factor_panel_new (KgAppContext *context)
{
  return g_object_new (KG_TYPE_TWO_FACTOR_PANEL, "context", context, NULL);
}

KgProfile *
kg_two_factor_panel_get_profile (KgTwoFactorPanel *self)
{
  g_return_val_if_fail (KG_IS_TWO_FACTOR_PANEL (self), NULL);
  return self->profile;
}

void
kg_two_factor_panel_set_profile (KgTwoFactorPanel *self,
                  KgProfile *profile)
{
  g_return_if_fail (KG_IS_TWO_FACTOR_PANEL (self));

  if (g_set_object (&self->profile, profile))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROFILE]);
}
