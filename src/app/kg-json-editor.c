/* SPDX-License-Identifier: GPL-3.0-or-later */
/* KgJsonEditor: a GtkSourceView for a JSON value, checked on every edit,
 * with the problem (and its line and column) written under it. */
#define G_LOG_DOMAIN "keygate-app"

#include "config.h"

#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>
#include <string.h>

#include "keygate-core.h"
#include "kg-json-editor.h"
#include "kg-scroll-chain.h"

struct _KgJsonEditor
{
  AdwBin            parent_instance;

  GtkWidget        *scroller;
  GtkSourceView    *view;
  GtkLabel         *message_label;

  KgJsonEditorKind  kind;
  char             *label;
  char             *message;     /* NULL when valid */
  gboolean          empty;
  gboolean          setting;     /* set_text is changing the buffer */
};

G_DEFINE_FINAL_TYPE (KgJsonEditor, kg_json_editor, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_LABEL,
  PROP_VALID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
check_kind (KgJsonEditor *self,
            JsonNode     *root)
{
  switch (self->kind)
    {
    case KG_JSON_EDITOR_ARRAY:
      if (!JSON_NODE_HOLDS_ARRAY (root))
        return g_strdup (_("This must be a JSON array, e.g. [[1, 2]]."));
      break;
    case KG_JSON_EDITOR_OBJECT:
      if (!JSON_NODE_HOLDS_OBJECT (root))
        return g_strdup (_("This must be a JSON object, e.g. {\"fields\": [\"name\"]}."));
      break;
    case KG_JSON_EDITOR_STRING_MAP:
      {
        JsonObjectIter iter;
        const char *name;
        JsonNode *value;

        if (!JSON_NODE_HOLDS_OBJECT (root))
          return g_strdup (_("This must be a JSON object of text values, "
                             "e.g. {\"name\": \"value\"}."));
        json_object_iter_init (&iter, json_node_get_object (root));
        while (json_object_iter_next (&iter, &name, &value))
          if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
            /* Translators: %s is a name in the JSON object */
            return g_strdup_printf (_("The value of “%s” must be text in quotes."), name);
      }
      break;
    case KG_JSON_EDITOR_ANY:
    case KG_JSON_EDITOR_TEXT:
    default:
      break;
    }
  return NULL;
}

static char *
dup_buffer_text (KgJsonEditor *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->view));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
validate (KgJsonEditor *self)
{
  g_autofree char *text = dup_buffer_text (self);
  g_autofree char *message = NULL;
  gboolean was_valid = self->message == NULL;

  self->empty = g_strstrip (text)[0] == '\0';
  if (!self->empty && self->kind != KG_JSON_EDITOR_TEXT)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) root = kg_json_parse (text, -1, &error);

      if (root == NULL)
        message = g_strdup (error->message);   /* "Line 1, column 8: …" */
      else
        message = check_kind (self, root);
    }

  g_free (self->message);
  self->message = g_steal_pointer (&message);

  gtk_label_set_label (self->message_label, self->message ? self->message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), self->message != NULL);
  if (self->message != NULL)
    gtk_widget_add_css_class (self->scroller, "kg-invalid");
  else
    gtk_widget_remove_css_class (self->scroller, "kg-invalid");
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->view), GTK_ACCESSIBLE_STATE_INVALID,
                               self->message ? GTK_ACCESSIBLE_INVALID_TRUE
                                             : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);

  if (was_valid != (self->message == NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALID]);
}

static void
buffer_changed_cb (KgJsonEditor *self)
{
  validate (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
update_style_scheme (KgJsonEditor *self)
{
  GtkSourceBuffer *buffer =
    GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->view)));
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  GtkSourceStyleSchemeManager *schemes = gtk_source_style_scheme_manager_get_default ();

  gtk_source_buffer_set_style_scheme (buffer,
                                      gtk_source_style_scheme_manager_get_scheme (
                                        schemes, dark ? "Adwaita-dark" : "Adwaita"));
}

static void
update_language (KgJsonEditor *self)
{
  GtkSourceBuffer *buffer =
    GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->view)));
  GtkSourceLanguageManager *languages = gtk_source_language_manager_get_default ();

  gtk_source_buffer_set_language (buffer,
                                  self->kind == KG_JSON_EDITOR_TEXT
                                    ? NULL
                                    : gtk_source_language_manager_get_language (languages,
                                                                                "json"));
}

/* GObject ---------------------------------------------------------------- */

static void
kg_json_editor_finalize (GObject *object)
{
  KgJsonEditor *self = KG_JSON_EDITOR (object);

  g_clear_pointer (&self->label, g_free);
  g_clear_pointer (&self->message, g_free);

  G_OBJECT_CLASS (kg_json_editor_parent_class)->finalize (object);
}

static void
kg_json_editor_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  KgJsonEditor *self = KG_JSON_EDITOR (object);

  switch (prop_id)
    {
    case PROP_LABEL:
      g_value_set_string (value, self->label);
      break;
    case PROP_VALID:
      g_value_set_boolean (value, self->message == NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kg_json_editor_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  KgJsonEditor *self = KG_JSON_EDITOR (object);

  switch (prop_id)
    {
    case PROP_LABEL:
      kg_json_editor_set_label (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kg_json_editor_class_init (KgJsonEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = kg_json_editor_finalize;
  object_class->get_property = kg_json_editor_get_property;
  object_class->set_property = kg_json_editor_set_property;

  properties[PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VALID] =
    g_param_spec_boolean ("valid", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_source_init ();
  g_type_ensure (GTK_SOURCE_TYPE_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/kg-json-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, KgJsonEditor, scroller);
  gtk_widget_class_bind_template_child (widget_class, KgJsonEditor, view);
  gtk_widget_class_bind_template_child (widget_class, KgJsonEditor, message_label);
}

static void
kg_json_editor_init (KgJsonEditor *self)
{
  GtkTextBuffer *buffer;

  gtk_widget_init_template (GTK_WIDGET (self));
  kg_scroll_chain_attach (GTK_SCROLLED_WINDOW (self->scroller));

  self->kind = KG_JSON_EDITOR_ANY;
  self->empty = TRUE;
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->view));
  update_language (self);
  update_style_scheme (self);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (update_style_scheme), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (buffer, "changed", G_CALLBACK (buffer_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

GtkWidget *
kg_json_editor_new (void)
{
  return g_object_new (KG_TYPE_JSON_EDITOR, NULL);
}

KgJsonEditorKind
kg_json_editor_get_kind (KgJsonEditor *self)
{
  g_return_val_if_fail (KG_IS_JSON_EDITOR (self), KG_JSON_EDITOR_ANY);
  return self->kind;
}

void
kg_json_editor_set_kind (KgJsonEditor     *self,
                         KgJsonEditorKind  kind)
{
  g_return_if_fail (KG_IS_JSON_EDITOR (self));

  if (self->kind == kind)
    return;
  self->kind = kind;
  update_language (self);
  validate (self);
}

const char *
kg_json_editor_get_label (KgJsonEditor *self)
{
  g_return_val_if_fail (KG_IS_JSON_EDITOR (self), NULL);
  return self->label;
}

void
kg_json_editor_set_label (KgJsonEditor *self,
                          const char   *label)
{
  g_return_if_fail (KG_IS_JSON_EDITOR (self));

  if (g_strcmp0 (self->label, label) == 0)
    return;
  g_free (self->label);
  self->label = g_strdup (label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  label ? label : "", -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LABEL]);
}

char *
kg_json_editor_dup_text (KgJsonEditor *self)
{
  g_return_val_if_fail (KG_IS_JSON_EDITOR (self), NULL);
  return dup_buffer_text (self);
}

void
kg_json_editor_set_text (KgJsonEditor *self,
                         const char   *text)
{
  GtkTextBuffer *buffer;
  g_autofree char *current = NULL;

  g_return_if_fail (KG_IS_JSON_EDITOR (self));

  current = dup_buffer_text (self);
  if (g_strcmp0 (current, text ? text : "") == 0)
    return;
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->view));
  /* Not an edit the user can undo into the previous request. */
  gtk_text_buffer_begin_irreversible_action (buffer);
  gtk_text_buffer_set_text (buffer, text ? text : "", -1);
  gtk_text_buffer_end_irreversible_action (buffer);
}

void
kg_json_editor_set_node (KgJsonEditor *self,
                         JsonNode     *node)
{
  g_autoptr(JsonGenerator) generator = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (KG_IS_JSON_EDITOR (self));

  if (node != NULL)
    {
      generator = json_generator_new ();
      json_generator_set_root (generator, node);
      json_generator_set_pretty (generator, TRUE);
      json_generator_set_indent (generator, 2);
      text = json_generator_to_data (generator, NULL);
    }
  kg_json_editor_set_text (self, text);
}

JsonNode *
kg_json_editor_dup_node (KgJsonEditor *self)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (KG_IS_JSON_EDITOR (self), NULL);

  if (self->message != NULL || self->empty || self->kind == KG_JSON_EDITOR_TEXT)
    return NULL;
  text = dup_buffer_text (self);
  return kg_json_parse (text, -1, NULL);
}

gboolean
kg_json_editor_get_valid (KgJsonEditor *self)
{
  g_return_val_if_fail (KG_IS_JSON_EDITOR (self), FALSE);
  return self->message == NULL;
}

gboolean
kg_json_editor_get_empty (KgJsonEditor *self)
{
  g_return_val_if_fail (KG_IS_JSON_EDITOR (self), TRUE);
  return self->empty;
}

const char *
kg_json_editor_get_message (KgJsonEditor *self)
{
  g_return_val_if_fail (KG_IS_JSON_EDITOR (self), NULL);
  return self->message;
}

GtkWidget *
kg_json_editor_get_view (KgJsonEditor *self)
{
  g_return_val_if_fail (KG_IS_JSON_EDITOR (self), NULL);
  return GTK_WIDGET (self->view);
}
