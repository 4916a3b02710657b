/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Requests page's "Variables…": the open collection's variables,
 * saved in its file, and values for this session only, not saved — what
 * `keygate-cli run --var NAME=VALUE` gives a run. Both are JSON objects,
 * names to values, checked as they are typed; Apply stays off while
 * either is not one or names a variable that cannot be written as
 * {{name}}. Session values win over the collection's and over captures,
 * in Run All and in a request sent alone. */
#define G_LOG_DOMAIN "keygate-app"

#include "config.h"

#include <glib/gi18n.h>

#include "keygate-core.h"
#include "kg-json-editor.h"
#include "kg-requests-page-private.h"

typedef struct
{
  GWeakRef          page;
  KgJsonEditor     *collection_editor;
  KgJsonEditor     *session_editor;
  GtkLabel         *problem_label;
  AdwMessageDialog *dialog;   /* not owned: it owns this */
} VariablesEdit;

static void
variables_edit_free (gpointer data)
{
  VariablesEdit *edit = data;

  g_weak_ref_clear (&edit->page);
  g_free (edit);
}

/* The object in @editor (empty: {}), or NULL and why not. */
static JsonObject *
read_variables (KgJsonEditor  *editor,
                char         **problem)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  if (kg_json_editor_get_empty (editor))
    return json_object_new ();
  if (!kg_json_editor_get_valid (editor))
    {
      *problem = g_strdup (kg_json_editor_get_message (editor));
      return NULL;
    }
  node = kg_json_editor_dup_node (editor);
  if (!kg_variables_check_names (json_node_get_object (node), &error))
    {
      *problem = g_strdup (error->message);
      return NULL;
    }
  return json_object_ref (json_node_get_object (node));
}

static void
editors_changed_cb (VariablesEdit *edit)
{
  g_autoptr(JsonObject) collection = NULL;
  g_autoptr(JsonObject) session = NULL;
  g_autofree char *problem = NULL;

  collection = read_variables (edit->collection_editor, &problem);
  if (collection != NULL)
    session = read_variables (edit->session_editor, &problem);
  gtk_label_set_text (edit->problem_label, problem != NULL ? problem : "");
  gtk_widget_set_visible (GTK_WIDGET (edit->problem_label), problem != NULL);
  adw_message_dialog_set_response_enabled (edit->dialog, "apply", session != NULL);
}

static void
response_cb (AdwMessageDialog *dialog,
             const char       *response,
             VariablesEdit    *edit)
{
  g_autoptr(KgRequestsPage) self = g_weak_ref_get (&edit->page);
  g_autoptr(JsonObject) collection = NULL;
  g_autoptr(JsonObject) session = NULL;
  g_autofree char *problem = NULL;
  g_autoptr(GError) error = NULL;

  if (self == NULL || self->collection == NULL || g_strcmp0 (response, "apply") != 0)
    return;
  collection = read_variables (edit->collection_editor, &problem);
  session = read_variables (edit->session_editor, &problem);
  if (collection == NULL || session == NULL)
    return;

  if (!kg_json_object_equal (collection, kg_collection_get_variables (self->collection)))
    {
      if (!kg_collection_set_variables (self->collection, collection, &error))
        {
          kg_page_report_error (KG_PAGE (self), error);
          return;
        }
      kg_requests_page_set_dirty (self, TRUE);
    }
  g_clear_pointer (&self->session_values, json_object_unref);
  self->session_values = g_steal_pointer (&session);
}

static GtkWidget *
build_editor (const char    *title,
              JsonObject    *value,
              KgJsonEditor **editor_out)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *heading = gtk_label_new (title);
  GtkWidget *editor = kg_json_editor_new ();
  g_autoptr(JsonNode) node = NULL;

  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_label_set_wrap (GTK_LABEL (heading), TRUE);
  gtk_widget_add_css_class (heading, "heading");
  kg_json_editor_set_kind (KG_JSON_EDITOR (editor), KG_JSON_EDITOR_OBJECT);
  kg_json_editor_set_label (KG_JSON_EDITOR (editor), title);
  if (value != NULL && json_object_get_size (value) > 0)
    {
      node = json_node_new (JSON_NODE_OBJECT);
      json_node_set_object (node, value);
      kg_json_editor_set_node (KG_JSON_EDITOR (editor), node);
    }
  gtk_box_append (GTK_BOX (box), heading);
  gtk_box_append (GTK_BOX (box), editor);
  *editor_out = KG_JSON_EDITOR (editor);
  return box;
}

static GtkWidget *
build_body (VariablesEdit  *edit,
            KgRequestsPage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_box_append (GTK_BOX (box),
                  build_editor (_("Saved in the collection"),
                                kg_collection_get_variables (self->collection),
                                &edit->collection_editor));
  gtk_box_append (GTK_BOX (box),
                  build_editor (_("For this session only, not saved"), self->session_values,
                                &edit->session_editor));

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "error");
  gtk_widget_set_visible (label, FALSE);
  edit->problem_label = GTK_LABEL (label);
  gtk_box_append (GTK_BOX (box), label);
  return box;
}

static void
edit_variables_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  KgRequestsPage *self = KG_REQUESTS_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  VariablesEdit *edit;
  AdwMessageDialog *dialog;

  if (self->collection == NULL)
    return;

  edit = g_new0 (VariablesEdit, 1);
  g_weak_ref_init (&edit->page, self);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (
    GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, _("Variables"),
    _("Names and values, as a JSON object, written as {{name}} in the requests. Values for "
      "this session win over the collection’s and over values captured by a run, like "
      "keygate-cli run --var.")));
  edit->dialog = dialog;
  adw_message_dialog_set_extra_child (dialog, build_body (edit, self));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "apply", _("_Apply"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "apply", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "apply");
  adw_message_dialog_set_close_response (dialog, "cancel");

  g_signal_connect_swapped (edit->collection_editor, "changed", G_CALLBACK (editors_changed_cb),
                            edit);
  g_signal_connect_swapped (edit->session_editor, "changed", G_CALLBACK (editors_changed_cb),
                            edit);
  g_signal_connect_data (dialog, "response", G_CALLBACK (response_cb), edit,
                         (GClosureNotify) (void (*) (void)) variables_edit_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
kg_requests_page_variables_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "page.edit-variables", NULL,
                                   edit_variables_action);
}
