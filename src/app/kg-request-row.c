/* SPDX-License-Identifier: GPL-3.0-or-later */
/* KgRequestRow: a request of a collection in the Requests page's list,
 * with its outcome in the last run. */
#define G_LOG_DOMAIN "keygate-app"

#include "config.h"

#include <glib/gi18n.h>

#include "keygate-core.h"
#include "kg-request-row.h"

struct _KgRequestRow
{
  AdwBin             parent_instance;

  GtkStack          *state_stack;
  GtkSpinner        *spinner;
  GtkLabel          *name_label;
  GtkLabel          *summary_label;
  GtkLabel          *reason_label;

  KgRequestRowState  state;
  char              *reason;
};

G_DEFINE_FINAL_TYPE (KgRequestRow, kg_request_row, ADW_TYPE_BIN)

static const char * const state_names[] = { "idle", "running", "passed", "failed", "skipped" };

char *
kg_request_row_dup_summary (JsonObject *request)
{
  JsonNode *node;

  g_return_val_if_fail (request != NULL, NULL);

  node = json_object_get_member (request, "http");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *http = json_node_get_object (node);
      const char *method = NULL;
      const char *path = NULL;
      g_autofree char *upper = NULL;

      kg_json_read_string (http, "method", FALSE, &method, NULL);
      kg_json_read_string (http, "path", FALSE, &path, NULL);
      upper = g_ascii_strup (method ? method : "GET", -1);
      return g_strdup_printf ("%s %s", upper, path ? path : "");
    }

  node = json_object_get_member (request, "call");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *call = json_node_get_object (node);
      const char *model = NULL;
      const char *method = NULL;

      kg_json_read_string (call, "model", FALSE, &model, NULL);
      kg_json_read_string (call, "method", FALSE, &method, NULL);
      return g_strdup_printf ("%s · %s", model ? model : "", method ? method : "");
    }

  return g_strdup ("");
}

void
kg_request_row_set_request (KgRequestRow *self,
                            JsonObject   *request)
{
  const char *name = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *shown_name = NULL;
  g_autofree char *shown_summary = NULL;

  g_return_if_fail (KG_IS_REQUEST_ROW (self));

  if (request != NULL)
    {
      kg_json_read_string (request, "name", FALSE, &name, NULL);
      summary = kg_request_row_dup_summary (request);
    }
  /* Names come from a file anyone may have written. */
  shown_name = kg_text_escape_controls (name ? name : "");
  shown_summary = kg_text_escape_controls (summary ? summary : "");
  gtk_label_set_label (self->name_label, shown_name);
  gtk_label_set_label (self->summary_label, shown_summary);
}

void
kg_request_row_set_state (KgRequestRow      *self,
                          KgRequestRowState  state,
                          const char        *reason)
{
  g_autofree char *shown = NULL;

  g_return_if_fail (KG_IS_REQUEST_ROW (self));
  g_return_if_fail (state < G_N_ELEMENTS (state_names));

  self->state = state;
  g_free (self->reason);
  self->reason = g_strdup (reason);

  gtk_stack_set_visible_child_name (self->state_stack, state_names[state]);
  gtk_spinner_set_spinning (self->spinner, state == KG_REQUEST_ROW_RUNNING);
  shown = kg_text_escape_controls (reason ? reason : "");
  gtk_label_set_label (self->reason_label, shown);
  gtk_widget_set_visible (GTK_WIDGET (self->reason_label), reason != NULL && reason[0] != '\0');
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->reason_label), reason);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  state == KG_REQUEST_ROW_PASSED ? _("Passed") :
                                  state == KG_REQUEST_ROW_FAILED ? _("Failed") :
                                  state == KG_REQUEST_ROW_RUNNING ? _("Running") :
                                  state == KG_REQUEST_ROW_SKIPPED ? _("Not run") : "",
                                  -1);
}

KgRequestRowState
kg_request_row_get_state (KgRequestRow *self)
{
  g_return_val_if_fail (KG_IS_REQUEST_ROW (self), KG_REQUEST_ROW_IDLE);
  return self->state;
}

const char *
kg_request_row_get_reason (KgRequestRow *self)
{
  g_return_val_if_fail (KG_IS_REQUEST_ROW (self), NULL);
  return self->reason;
}

static void
kg_request_row_finalize (GObject *object)
{
  KgRequestRow *self = KG_REQUEST_ROW (object);

  g_clear_pointer (&self->reason, g_free);

  G_OBJECT_CLASS (kg_request_row_parent_class)->finalize (object);
}

static void
kg_request_row_class_init (KgRequestRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = kg_request_row_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/kg-request-row.ui");
  gtk_widget_class_bind_template_child (widget_class, KgRequestRow, state_stack);
  gtk_widget_class_bind_template_child (widget_class, KgRequestRow, spinner);
  gtk_widget_class_bind_template_child (widget_class, KgRequestRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, KgRequestRow, summary_label);
  gtk_widget_class_bind_template_child (widget_class, KgRequestRow, reason_label);
}

static void
kg_request_row_init (KgRequestRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
kg_request_row_new (void)
{
  return g_object_new (KG_TYPE_REQUEST_ROW, NULL);
}
