/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "keygate-diagnosis"

#include "config.h"

#include "kg-finding.h"

struct _KgFinding
{
  GObject          parent_instance;

  char            *check;
  KgFindingStatus  status;
  char            *title;
  char            *explanation;
  char            *remedy;
  char            *error_kind;
  KgExchange      *exchange;
};

G_DEFINE_FINAL_TYPE (KgFinding, kg_finding, G_TYPE_OBJECT)

const char *
kg_finding_status_to_string (KgFindingStatus status)
{
  switch (status)
    {
    case KG_FINDING_OK:
      return "ok";
    case KG_FINDING_WARNING:
      return "warning";
    case KG_FINDING_PROBLEM:
      return "problem";
    default:
      g_return_val_if_reached (NULL);
    }
}

static void
kg_finding_finalize (GObject *object)
{
  KgFinding *self = KG_FINDING (object);

  g_clear_pointer (&self->check, g_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->explanation, g_free);
  g_clear_pointer (&self->remedy, g_free);
  g_clear_pointer (&self->error_kind, g_free);
  g_clear_object (&self->exchange);

  G_OBJECT_CLASS (kg_finding_parent_class)->finalize (object);
}

static void
kg_finding_class_init (KgFindingClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kg_finding_finalize;
}

static void
kg_finding_init (KgFinding *self)
{
}

KgFinding *
kg_finding_new (const char      *check,
                KgFindingStatus  status,
                const char      *title,
                const char      *explanation,
                const char      *remedy,
                KgExchange      *exchange,
                const char      *error_kind)
{
  KgFinding *self;

  g_return_val_if_fail (check != NULL, NULL);
  g_return_val_if_fail (title != NULL, NULL);
  g_return_val_if_fail (!exchange || KG_IS_EXCHANGE (exchange), NULL);

  self = g_object_new (KG_TYPE_FINDING, NULL);
  self->check = g_strdup (check);
  self->status = status;
  self->title = g_strdup (title);
  self->explanation = g_strdup (explanation ? explanation : "");
  self->remedy = g_strdup (remedy);
  self->error_kind = g_strdup (error_kind);
  self->exchange = exchange ? g_object_ref (exchange) : NULL;

  return self;
}

const char *
kg_finding_get_check (KgFinding *self)
{
  g_return_val_if_fail (KG_IS_FINDING (self), NULL);
  return self->check;
}

KgFindingStatus
kg_finding_get_status (KgFinding *self)
{
  g_return_val_if_fail (KG_IS_FINDING (self), KG_FINDING_OK);
  return self->status;
}

const char *
kg_finding_get_title (KgFinding *self)
{
  g_return_val_if_fail (KG_IS_FINDING (self), NULL);
  return self->title;
}

const char *
kg_finding_get_explanation (KgFinding *self)
{
  g_return_val_if_fail (KG_IS_FINDING (self), NULL);
  return self->explanation;
}

const char *
kg_finding_get_remedy (KgFinding *self)
{
  g_return_val_if_fail (KG_IS_FINDING (self), NULL);
  return self->remedy;
}

KgExchange *
kg_finding_get_exchange (KgFinding *self)
{
  g_return_val_if_fail (KG_IS_FINDING (self), NULL);
  return self->exchange;
}

const char *
kg_finding_get_error_kind (KgFinding *self)
{
  g_return_val_if_fail (KG_IS_FINDING (self), NULL);
  return self->error_kind;
}

JsonObject *
kg_finding_to_json (KgFinding *self)
{
  JsonObject *object;

  g_return_val_if_fail (KG_IS_FINDING (self), NULL);

  object = json_object_new ();
  json_object_set_string_member (object, "check", self->check);
  json_object_set_string_member (object, "status", kg_finding_status_to_string (self->status));
  json_object_set_string_member (object, "title", self->title);
  json_object_set_string_member (object, "explanation", self->explanation);
  if (self->remedy != NULL)
    json_object_set_string_member (object, "remedy", self->remedy);
  else
    json_object_set_null_member (object, "remedy");
  if (self->error_kind != NULL)
    json_object_set_string_member (object, "kind", self->error_kind);
  else
    json_object_set_null_member (object, "kind");

  return object;
}
