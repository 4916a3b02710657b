/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "keygate-call"

#include "config.h"

#include "kg-call-result-private.h"
#include "kg-error.h"

struct _KgCallResult
{
  GObject     parent_instance;

  GError     *error;
  guint       status;
  JsonNode   *json;
  char       *body_text;
  gint64      elapsed_us;
  KgExchange *exchange;
};

G_DEFINE_FINAL_TYPE (KgCallResult, kg_call_result, G_TYPE_OBJECT)

static void
kg_call_result_finalize (GObject *object)
{
  KgCallResult *self = KG_CALL_RESULT (object);

  g_clear_error (&self->error);
  g_clear_pointer (&self->json, json_node_unref);
  g_clear_pointer (&self->body_text, g_free);
  g_clear_object (&self->exchange);

  G_OBJECT_CLASS (kg_call_result_parent_class)->finalize (object);
}

static void
kg_call_result_class_init (KgCallResultClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kg_call_result_finalize;
}

static void
kg_call_result_init (KgCallResult *self)
{
}

KgCallResult *
kg_call_result_new (const GError *error,
                    guint         status,
                    JsonNode     *json,
                    const char   *body_text,
                    gint64        elapsed_us,
                    KgExchange   *exchange)
{
  KgCallResult *self = g_object_new (KG_TYPE_CALL_RESULT, NULL);

  self->error = error != NULL ? g_error_copy (error) : NULL;
  self->status = status;
  self->json = json != NULL ? json_node_ref (json) : NULL;
  self->body_text = g_strdup (body_text);
  self->elapsed_us = MAX (elapsed_us, 0);
  self->exchange = exchange != NULL ? g_object_ref (exchange) : NULL;

  return self;
}

gboolean
kg_call_result_get_ok (KgCallResult *self)
{
  g_return_val_if_fail (KG_IS_CALL_RESULT (self), FALSE);
  return self->error == NULL;
}

const GError *
kg_call_result_get_error (KgCallResult *self)
{
  g_return_val_if_fail (KG_IS_CALL_RESULT (self), NULL);
  return self->error;
}

const char *
kg_call_result_get_error_kind (KgCallResult *self)
{
  g_return_val_if_fail (KG_IS_CALL_RESULT (self), NULL);
  return self->error != NULL ? kg_error_kind (self->error) : NULL;
}

guint
kg_call_result_get_status (KgCallResult *self)
{
  g_return_val_if_fail (KG_IS_CALL_RESULT (self), 0);
  return self->status;
}

JsonNode *
kg_call_result_get_json (KgCallResult *self)
{
  g_return_val_if_fail (KG_IS_CALL_RESULT (self), NULL);
  return self->json;
}

const char *
kg_call_result_get_body_text (KgCallResult *self)
{
  g_return_val_if_fail (KG_IS_CALL_RESULT (self), NULL);
  return self->body_text;
}

gint64
kg_call_result_get_elapsed_us (KgCallResult *self)
{
  g_return_val_if_fail (KG_IS_CALL_RESULT (self), 0);
  return self->elapsed_us;
}

KgExchange *
kg_call_result_get_exchange (KgCallResult *self)
{
  g_return_val_if_fail (KG_IS_CALL_RESULT (self), NULL);
  return self->exchange;
}
