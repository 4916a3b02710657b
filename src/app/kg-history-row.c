/* SPDX-License-Identifier: GPL-3.0-or-later */
/* An entry of the History list (kg-history-row.ui). */
#define G_LOG_DOMAIN "keygate-app"

#include "config.h"

#include <glib/gi18n.h>

#include "kg-history-row.h"
#include "kg-when.h"

struct _KgHistoryRow
{
  GtkBox    parent_instance;

  GtkLabel *method_label;
  GtkLabel *status_label;
  GtkLabel *title_label;
  GtkLabel *url_label;
  GtkLabel *outcome_label;
  GtkLabel *time_label;
};

G_DEFINE_FINAL_TYPE (KgHistoryRow, kg_history_row, GTK_TYPE_BOX)

static void
kg_history_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), KG_TYPE_HISTORY_ROW);

  G_OBJECT_CLASS (kg_history_row_parent_class)->dispose (object);
}

static void
kg_history_row_class_init (KgHistoryRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kg_history_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/kg-history-row.ui");
  gtk_widget_class_bind_template_child (widget_class, KgHistoryRow, method_label);
  gtk_widget_class_bind_template_child (widget_class, KgHistoryRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, KgHistoryRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, KgHistoryRow, url_label);
  gtk_widget_class_bind_template_child (widget_class, KgHistoryRow, outcome_label);
  gtk_widget_class_bind_template_child (widget_class, KgHistoryRow, time_label);
}

static void
kg_history_row_init (KgHistoryRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
kg_history_row_new (void)
{
  return g_object_new (KG_TYPE_HISTORY_ROW, NULL);
}

static void
set_style (GtkLabel   *label,
           const char *klass)
{
  const char *all[] = { "success", "error", "dim-label" };

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (label), all[i]);
  gtk_widget_add_css_class (GTK_WIDGET (label), klass);
}

void
kg_history_row_set_exchange (KgHistoryRow *self,
                             KgExchange   *exchange)
{
  GDateTime *started;
  const char *outcome;
  const char *url;
  const char *title;
  const char *outcome_text;
  KgErrorCode code;
  gboolean ok;
  gboolean probe;
  guint status;
  g_autofree char *status_text = NULL;
  g_autofree char *time_text = NULL;
  g_autofree char *accessible = NULL;

  g_return_if_fail (KG_IS_HISTORY_ROW (self));
  g_return_if_fail (KG_IS_EXCHANGE (exchange));

  started = kg_exchange_get_started (exchange);
  outcome = kg_exchange_get_outcome (exchange);
  url = kg_exchange_get_url (exchange);
  title = kg_exchange_get_label (exchange) ? kg_exchange_get_label (exchange) : url;
  ok = g_strcmp0 (outcome, "ok") == 0;
  /* A failure shows its kind's title ("Access denied"), never the nick the
   * history stores ("access-denied"), nor one it does not know. */
  probe = g_strcmp0 (kg_exchange_get_step (exchange), KG_EXCHANGE_STEP_PROBE) == 0;
  if (ok)
    outcome_text = _("Succeeded");
  else if (probe)
    /* The Doctor's made-up password, refused as it should be: not a
     * failure of the user's. */
    outcome_text = _("Refused, as the 2FA Doctor’s check expects");
  else if (outcome != NULL && kg_error_code_from_nick (outcome, &code))
    outcome_text = kg_error_code_title (code);
  else
    outcome_text = _("Failed");
  status = kg_exchange_get_status (exchange);
  status_text = status ? g_strdup_printf ("%u", status) : g_strdup ("—");
  if (started != NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      time_text = kg_when_format_both (started, now);
    }

  gtk_label_set_label (self->method_label, kg_exchange_get_method (exchange));
  gtk_label_set_label (self->status_label, status_text);
  gtk_label_set_label (self->title_label, title ? title : "");
  gtk_label_set_label (self->url_label, url ? url : "");
  gtk_label_set_label (self->outcome_label, outcome_text ? outcome_text : "");
  gtk_label_set_label (self->time_label, time_text ? time_text : "");
  set_style (self->outcome_label, ok ? "success" : probe ? "dim-label" : "error");
  /* The outcome leads; the HTTP status is a detail, green only when the
   * call worked (Odoo answers a failed JSON-RPC call with 200). */
  if (ok && status >= 200 && status < 300)
    set_style (self->status_label, "success");
  else if (status == 0 || status >= 400)
    set_style (self->status_label, "error");
  else
    set_style (self->status_label, "dim-label");

  accessible = g_strdup_printf ("%s %s, %s, %s, %s", kg_exchange_get_method (exchange),
                                title ? title : "", status_text,
                                outcome_text ? outcome_text : "", time_text ? time_text : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
  /* GTK 4.8 reads a GtkListView row as its item widget, which has no name
   * of its own (gtk_list_item_set_accessible_label is GTK 4.12). */
  if (gtk_widget_get_parent (GTK_WIDGET (self)) != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_parent (GTK_WIDGET (self))),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                    -1);
}
