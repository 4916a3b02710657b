/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Placeholder until the response view is built: see kg-response-view.h. */
#define G_LOG_DOMAIN "keygate-app"

#include "config.h"

#include "kg-response-view.h"

struct _KgResponseView
{
  AdwBin      parent_instance;

  KgExchange *exchange;
};

G_DEFINE_FINAL_TYPE (KgResponseView, kg_response_view, ADW_TYPE_BIN)

static void
kg_response_view_dispose (GObject *object)
{
  KgResponseView *self = KG_RESPONSE_VIEW (object);

  g_clear_object (&self->exchange);

  G_OBJECT_CLASS (kg_response_view_parent_class)->dispose (object);
}

static void
kg_response_view_class_init (KgResponseViewClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = kg_response_view_dispose;
}

static void
kg_response_view_init (KgResponseView *self)
{
}

GtkWidget *
kg_response_view_new (void)
{
  return g_object_new (KG_TYPE_RESPONSE_VIEW, NULL);
}

void
kg_response_view_set_exchange (KgResponseView *self,
                               KgExchange     *exchange)
{
  g_return_if_fail (KG_IS_RESPONSE_VIEW (self));
  g_set_object (&self->exchange, exchange);
}

KgExchange *
kg_response_view_get_exchange (KgResponseView *self)
{
  g_return_val_if_fail (KG_IS_RESPONSE_VIEW (self), NULL);
  return self->exchange;
}

void
kg_response_view_set_error (KgResponseView *self,
                            const GError   *error)
{
  g_return_if_fail (KG_IS_RESPONSE_VIEW (self));
  kg_response_view_set_exchange (self, KG_EXCHANGE (kg_error_get_exchange (error)));
}

void
kg_response_view_set_result (KgResponseView *self,
                             gint64          record_id,
                             const char     *message)
{
  g_return_if_fail (KG_IS_RESPONSE_VIEW (self));
}

void
kg_response_view_clear (KgResponseView *self)
{
  kg_response_view_set_exchange (self, NULL);
}
