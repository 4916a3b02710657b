/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A finding of the 2FA doctor as an expander row (kg-finding-row.ui). */
#define G_LOG_DOMAIN "keygate-app"

#include "config.h"

#include <glib/gi18n.h>

#include "kg-finding-row.h"
#include "kg-response-view.h"

struct _KgFindingRow
{
  AdwExpanderRow  parent_instance;

  KgFinding      *finding;

  GtkImage       *status_image;
  GtkWidget      *content_box;
  GtkLabel       *explanation_label;
  GtkWidget      *remedy_heading;
  GtkLabel       *remedy_label;
  GtkWidget      *exchange_button;
};

G_DEFINE_FINAL_TYPE (KgFindingRow, kg_finding_row, ADW_TYPE_EXPANDER_ROW)

static const char *
status_icon_name (KgFindingStatus status)
{
  switch (status)
    {
    case KG_FINDING_OK:
      return "emblem-ok-symbolic";
    case KG_FINDING_WARNING:
      return "dialog-warning-symbolic";
    case KG_FINDING_PROBLEM:
    default:
      return "dialog-error-symbolic";
    }
}

static const char *
status_style (KgFindingStatus status)
{
  switch (status)
    {
    case KG_FINDING_OK:
      return "success";
    case KG_FINDING_WARNING:
      return "warning";
    case KG_FINDING_PROBLEM:
    default:
      return "error";
    }
}

static const char *
status_label (KgFindingStatus status)
{
  switch (status)
    {
    case KG_FINDING_OK:
      return _("OK");
    case KG_FINDING_WARNING:
      return _("Warning");
    case KG_FINDING_PROBLEM:
    default:
      return _("Problem");
    }
}

/* The request and the answer behind the finding, in a window of its own. */
static void
show_exchange_clicked_cb (KgFindingRow *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *window;
  GtkWidget *box;
  GtkWidget *header;
  GtkWidget *title;
  GtkWidget *view;

  window = adw_window_new ();
  gtk_window_set_title (GTK_WINDOW (window), _("Exchange"));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (window), 860, 600);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  title = adw_window_title_new (_("Exchange"), kg_finding_get_title (self->finding));
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), title);
  gtk_box_append (GTK_BOX (box), header);

  view = kg_response_view_new ();
  gtk_widget_set_vexpand (view, TRUE);
  gtk_widget_set_margin_start (view, 12);
  gtk_widget_set_margin_end (view, 12);
  gtk_widget_set_margin_top (view, 6);
  gtk_widget_set_margin_bottom (view, 12);
  kg_response_view_set_exchange (KG_RESPONSE_VIEW (view), kg_finding_get_exchange (self->finding));
  gtk_box_append (GTK_BOX (box), view);

  adw_window_set_content (ADW_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));
}

static void
kg_finding_row_dispose (GObject *object)
{
  KgFindingRow *self = KG_FINDING_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), KG_TYPE_FINDING_ROW);
  g_clear_object (&self->finding);

  G_OBJECT_CLASS (kg_finding_row_parent_class)->dispose (object);
}

static void
kg_finding_row_class_init (KgFindingRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kg_finding_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/kg-finding-row.ui");
  gtk_widget_class_bind_template_child (widget_class, KgFindingRow, status_image);
  gtk_widget_class_bind_template_child (widget_class, KgFindingRow, content_box);
  gtk_widget_class_bind_template_child (widget_class, KgFindingRow, explanation_label);
  gtk_widget_class_bind_template_child (widget_class, KgFindingRow, remedy_heading);
  gtk_widget_class_bind_template_child (widget_class, KgFindingRow, remedy_label);
  gtk_widget_class_bind_template_child (widget_class, KgFindingRow, exchange_button);
  gtk_widget_class_bind_template_callback (widget_class, show_exchange_clicked_cb);
}

static void
kg_finding_row_init (KgFindingRow *self)
{
  GtkWidget *parent;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* The content is read, not activated. */
  parent = gtk_widget_get_parent (self->content_box);
  if (GTK_IS_LIST_BOX_ROW (parent))
    gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (parent), FALSE);
}

static void
set_finding (KgFindingRow *self,
             KgFinding    *finding)
{
  KgFindingStatus status = kg_finding_get_status (finding);
  const char *remedy = kg_finding_get_remedy (finding);
  gboolean has_remedy = remedy != NULL && *remedy != '\0';

  self->finding = g_object_ref (finding);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), kg_finding_get_title (finding));
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), status_label (status));

  gtk_image_set_from_icon_name (self->status_image, status_icon_name (status));
  gtk_widget_add_css_class (GTK_WIDGET (self->status_image), status_style (status));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_image), status_label (status));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->status_image),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, status_label (status),
                                  -1);

  gtk_label_set_text (self->explanation_label, kg_finding_get_explanation (finding));
  {
    /* Translators: a finding of the 2FA Doctor as a screen reader says it:
     * its title, then its status ("Problem") */
    g_autofree char *name = g_strdup_printf (_("%s, %s"), kg_finding_get_title (finding),
                                             status_label (status));

    gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                    -1);
  }
  /* The expanded part is a list row of its own: read as the explanation. */
  if (GTK_IS_LIST_BOX_ROW (gtk_widget_get_parent (self->content_box)))
    gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_parent (self->content_box)),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    kg_finding_get_explanation (finding),
                                    -1);
  gtk_label_set_text (self->remedy_label, has_remedy ? remedy : "");
  gtk_widget_set_visible (self->remedy_heading, has_remedy);
  gtk_widget_set_visible (GTK_WIDGET (self->remedy_label), has_remedy);
  gtk_widget_set_visible (self->exchange_button, kg_finding_get_exchange (finding) != NULL);

  /* What needs attention is open at once. */
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (self), status == KG_FINDING_PROBLEM);
}

GtkWidget *
kg_finding_row_new (KgFinding *finding)
{
  KgFindingRow *self;

  g_return_val_if_fail (KG_IS_FINDING (finding), NULL);

  self = g_object_new (KG_TYPE_FINDING_ROW, NULL);
  set_finding (self, finding);
  return GTK_WIDGET (self);
}

KgFinding *
kg_finding_row_get_finding (KgFindingRow *self)
{
  g_return_val_if_fail (KG_IS_FINDING_ROW (self), NULL);
  return self->finding;
}
