/* SPDX-License-Identifier: GPL-3.0-or-later */
/* How one request of a collection run went. */
#include "config.h"

#include "kg-request-outcome.h"

struct _KgRequestOutcome
{
  GObject       parent_instance;
  guint         index;
  char         *name;
  KgCallResult *call_result;
  char         *error_message;
  char        **failures;
};

G_DEFINE_FINAL_TYPE (KgRequestOutcome, kg_request_outcome, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_INDEX,
  PROP_NAME,
  PROP_PASSED,
  PROP_ELAPSED_US,
  PROP_STATUS,
  PROP_ERROR_MESSAGE,
  PROP_CALL_RESULT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
kg_request_outcome_finalize (GObject *object)
{
  KgRequestOutcome *self = KG_REQUEST_OUTCOME (object);

  g_free (self->name);
  g_clear_object (&self->call_result);
  g_free (self->error_message);
  g_strfreev (self->failures);

  G_OBJECT_CLASS (kg_request_outcome_parent_class)->finalize (object);
}

static void
kg_request_outcome_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  KgRequestOutcome *self = KG_REQUEST_OUTCOME (object);

  switch (prop_id)
    {
    case PROP_INDEX:
      g_value_set_uint (value, self->index);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_PASSED:
      g_value_set_boolean (value, kg_request_outcome_get_passed (self));
      break;
    case PROP_ELAPSED_US:
      g_value_set_int64 (value, kg_request_outcome_get_elapsed_us (self));
      break;
    case PROP_STATUS:
      g_value_set_uint (value, kg_request_outcome_get_status (self));
      break;
    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;
    case PROP_CALL_RESULT:
      g_value_set_object (value, self->call_result);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kg_request_outcome_class_init (KgRequestOutcomeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = kg_request_outcome_finalize;
  object_class->get_property = kg_request_outcome_get_property;

  properties[PROP_INDEX] = g_param_spec_uint ("index", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_PASSED] = g_param_spec_boolean ("passed", NULL, NULL, FALSE, flags);
  properties[PROP_ELAPSED_US] = g_param_spec_int64 ("elapsed-us", NULL, NULL, 0, G_MAXINT64, 0,
                                                    flags);
  properties[PROP_STATUS] = g_param_spec_uint ("status", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_ERROR_MESSAGE] = g_param_spec_string ("error-message", NULL, NULL, NULL, flags);
  properties[PROP_CALL_RESULT] = g_param_spec_object ("call-result", NULL, NULL,
                                                      KG_TYPE_CALL_RESULT, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kg_request_outcome_init (KgRequestOutcome *self)
{
}

KgRequestOutcome *
kg_request_outcome_new (guint         index,
                        const char   *name,
                        KgCallResult *call_result,
                        const char   *error_message,
                        GPtrArray    *failures)
{
  KgRequestOutcome *self = g_object_new (KG_TYPE_REQUEST_OUTCOME, NULL);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  self->index = index;
  self->name = g_strdup (name);
  if (call_result != NULL)
    self->call_result = g_object_ref (call_result);
  self->error_message = g_strdup (error_message);
  for (guint i = 0; failures != NULL && i < failures->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (failures, i));
  self->failures = g_strv_builder_end (builder);
  return self;
}

guint
kg_request_outcome_get_index (KgRequestOutcome *self)
{
  g_return_val_if_fail (KG_IS_REQUEST_OUTCOME (self), 0);
  return self->index;
}

const char *
kg_request_outcome_get_name (KgRequestOutcome *self)
{
  g_return_val_if_fail (KG_IS_REQUEST_OUTCOME (self), NULL);
  return self->name;
}

gboolean
kg_request_outcome_get_passed (KgRequestOutcome *self)
{
  g_return_val_if_fail (KG_IS_REQUEST_OUTCOME (self), FALSE);
  return self->call_result != NULL && self->failures[0] == NULL;
}

gint64
kg_request_outcome_get_elapsed_us (KgRequestOutcome *self)
{
  g_return_val_if_fail (KG_IS_REQUEST_OUTCOME (self), 0);
  return self->call_result != NULL ? kg_call_result_get_elapsed_us (self->call_result) : 0;
}

guint
kg_request_outcome_get_status (KgRequestOutcome *self)
{
  g_return_val_if_fail (KG_IS_REQUEST_OUTCOME (self), 0);
  return self->call_result != NULL ? kg_call_result_get_status (self->call_result) : 0;
}

const char *
kg_request_outcome_get_error_message (KgRequestOutcome *self)
{
  g_return_val_if_fail (KG_IS_REQUEST_OUTCOME (self), NULL);
  return self->error_message;
}

const char * const *
kg_request_outcome_get_failures (KgRequestOutcome *self)
{
  g_return_val_if_fail (KG_IS_REQUEST_OUTCOME (self), NULL);
  return (const char * const *) self->failures;
}

KgCallResult *
kg_request_outcome_get_call_result (KgRequestOutcome *self)
{
  g_return_val_if_fail (KG_IS_REQUEST_OUTCOME (self), NULL);
  return self->call_result;
}
