/* SPDX-License-Identifier: GPL-3.0-or-later */
/* KgFieldProvider: field names of a model offered while typing in the
 * args and kwargs editors, read from the model's fields_get. */
#define G_LOG_DOMAIN "keygate-app"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "keygate-core.h"
#include "kg-field-provider.h"

/* KgFieldProposal --------------------------------------------------------- */

struct _KgFieldProposal
{
  GObject  parent_instance;

  char    *name;
  char    *label;
  char    *kind;
  char    *folded_name;
  char    *folded_label;
};

static void kg_field_proposal_iface_init (GtkSourceCompletionProposalInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KgFieldProposal, kg_field_proposal, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GTK_SOURCE_TYPE_COMPLETION_PROPOSAL,
                                                      kg_field_proposal_iface_init))

static char *
kg_field_proposal_get_typed_text (GtkSourceCompletionProposal *proposal)
{
  return g_strdup (KG_FIELD_PROPOSAL (proposal)->name);
}

static void
kg_field_proposal_iface_init (GtkSourceCompletionProposalInterface *iface)
{
  iface->get_typed_text = kg_field_proposal_get_typed_text;
}

static void
kg_field_proposal_finalize (GObject *object)
{
  KgFieldProposal *self = KG_FIELD_PROPOSAL (object);

  g_free (self->name);
  g_free (self->label);
  g_free (self->kind);
  g_free (self->folded_name);
  g_free (self->folded_label);

  G_OBJECT_CLASS (kg_field_proposal_parent_class)->finalize (object);
}

static void
kg_field_proposal_class_init (KgFieldProposalClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kg_field_proposal_finalize;
}

static void
kg_field_proposal_init (KgFieldProposal *self)
{
}

static KgFieldProposal *
kg_field_proposal_new (const char *name,
                       const char *label,
                       const char *kind)
{
  KgFieldProposal *self = g_object_new (KG_TYPE_FIELD_PROPOSAL, NULL);

  self->name = g_strdup (name);
  self->label = g_strdup (label ? label : "");
  self->kind = g_strdup (kind ? kind : "");
  self->folded_name = g_utf8_casefold (name, -1);
  self->folded_label = g_utf8_casefold (self->label, -1);
  return self;
}

const char *
kg_field_proposal_get_name (KgFieldProposal *self)
{
  g_return_val_if_fail (KG_IS_FIELD_PROPOSAL (self), NULL);
  return self->name;
}

const char *
kg_field_proposal_get_label (KgFieldProposal *self)
{
  g_return_val_if_fail (KG_IS_FIELD_PROPOSAL (self), NULL);
  return self->label;
}

const char *
kg_field_proposal_get_kind (KgFieldProposal *self)
{
  g_return_val_if_fail (KG_IS_FIELD_PROPOSAL (self), NULL);
  return self->kind;
}

/* KgFieldProvider --------------------------------------------------------- */

struct _KgFieldProvider
{
  GObject    parent_instance;

  char      *model;
  GPtrArray *fields;   /* KgFieldProposal, by name */
};

static void kg_field_provider_iface_init (GtkSourceCompletionProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KgFieldProvider, kg_field_provider, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GTK_SOURCE_TYPE_COMPLETION_PROVIDER,
                                                      kg_field_provider_iface_init))

static int
compare_by_name (gconstpointer a,
                 gconstpointer b)
{
  const KgFieldProposal *left = *(KgFieldProposal * const *) a;
  const KgFieldProposal *right = *(KgFieldProposal * const *) b;

  return strcmp (left->name, right->name);
}

void
kg_field_provider_set_fields (KgFieldProvider *self,
                              const char      *model,
                              JsonObject      *fields)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  g_return_if_fail (KG_IS_FIELD_PROVIDER (self));

  g_ptr_array_set_size (self->fields, 0);
  g_free (self->model);
  self->model = fields != NULL ? g_strdup (model) : NULL;
  if (fields == NULL)
    return;

  json_object_iter_init (&iter, fields);
  while (json_object_iter_next (&iter, &name, &node))
    {
      JsonObject *attributes = kg_json_node_get_object (node);

      g_ptr_array_add (self->fields,
                       kg_field_proposal_new (name, kg_json_get_string (attributes, "string"),
                                              kg_json_get_string (attributes, "type")));
    }
  g_ptr_array_sort (self->fields, compare_by_name);
}

const char *
kg_field_provider_get_model (KgFieldProvider *self)
{
  g_return_val_if_fail (KG_IS_FIELD_PROVIDER (self), NULL);
  return self->model;
}

/* "project manager" for "man": a word of the label starts with @prefix. */
static gboolean
label_word_starts_with (const char *label,
                        const char *prefix)
{
  for (const char *p = label; (p = strstr (p, prefix)) != NULL; p++)
    if (p == label || !g_unichar_isalnum (g_utf8_get_char (g_utf8_prev_char (p))))
      return TRUE;
  return FALSE;
}

GListModel *
kg_field_provider_match (KgFieldProvider *self,
                         const char      *word)
{
  GListStore *matches;
  g_autofree char *folded = NULL;

  g_return_val_if_fail (KG_IS_FIELD_PROVIDER (self), NULL);

  matches = g_list_store_new (KG_TYPE_FIELD_PROPOSAL);
  if (word == NULL || word[0] == '\0')
    return G_LIST_MODEL (matches);
  folded = g_utf8_casefold (word, -1);
  for (guint i = 0; i < self->fields->len; i++)
    {
      KgFieldProposal *field = g_ptr_array_index (self->fields, i);

      if (g_str_has_prefix (field->folded_name, folded) ||
          label_word_starts_with (field->folded_label, folded))
        g_list_store_append (matches, field);
    }
  return G_LIST_MODEL (matches);
}

/* GtkSourceCompletionProvider --------------------------------------------- */

static char *
kg_field_provider_get_title (GtkSourceCompletionProvider *provider)
{
  KgFieldProvider *self = KG_FIELD_PROVIDER (provider);

  /* Translators: the heading of the completion list, %s a model name */
  return self->model ? g_strdup_printf (_("Fields of %s"), self->model) : NULL;
}

static GListModel *
kg_field_provider_populate (GtkSourceCompletionProvider  *provider,
                            GtkSourceCompletionContext   *context,
                            GError                      **error)
{
  g_autofree char *word = gtk_source_completion_context_get_word (context);

  return kg_field_provider_match (KG_FIELD_PROVIDER (provider), word);
}

static void
kg_field_provider_populate_async (GtkSourceCompletionProvider *provider,
                                  GtkSourceCompletionContext  *context,
                                  GCancellable                *cancellable,
                                  GAsyncReadyCallback          callback,
                                  gpointer                     user_data)
{
  g_autoptr(GTask) task = g_task_new (provider, cancellable, callback, user_data);

  g_task_set_source_tag (task, kg_field_provider_populate_async);
  g_task_return_pointer (task, kg_field_provider_populate (provider, context, NULL),
                         g_object_unref);
}

static GListModel *
kg_field_provider_populate_finish (GtkSourceCompletionProvider  *provider,
                                   GAsyncResult                 *result,
                                   GError                      **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The word grew or shrank: match again. */
static void
kg_field_provider_refilter (GtkSourceCompletionProvider *provider,
                            GtkSourceCompletionContext  *context,
                            GListModel                  *model)
{
  g_autoptr(GListModel) matches = kg_field_provider_populate (provider, context, NULL);

  gtk_source_completion_context_set_proposals_for_provider (context, provider, matches);
}

static void
kg_field_provider_display (GtkSourceCompletionProvider *provider,
                           GtkSourceCompletionContext  *context,
                           GtkSourceCompletionProposal *proposal,
                           GtkSourceCompletionCell     *cell)
{
  KgFieldProposal *field = KG_FIELD_PROPOSAL (proposal);

  switch (gtk_source_completion_cell_get_column (cell))
    {
    case GTK_SOURCE_COMPLETION_COLUMN_TYPED_TEXT:
      gtk_source_completion_cell_set_text (cell, field->name);
      break;
    /* The label beside the name in the list, the type under it for the
     * selected field. */
    case GTK_SOURCE_COMPLETION_COLUMN_AFTER:
      gtk_source_completion_cell_set_text (cell, field->label);
      break;
    case GTK_SOURCE_COMPLETION_COLUMN_COMMENT:
      gtk_source_completion_cell_set_text (cell, field->kind);
      break;
    case GTK_SOURCE_COMPLETION_COLUMN_ICON:
    case GTK_SOURCE_COMPLETION_COLUMN_BEFORE:
    case GTK_SOURCE_COMPLETION_COLUMN_DETAILS:
    default:
      gtk_source_completion_cell_set_text (cell, NULL);
      break;
    }
}

/* The word typed is replaced by the field's technical name. */
static void
kg_field_provider_activate (GtkSourceCompletionProvider *provider,
                            GtkSourceCompletionContext  *context,
                            GtkSourceCompletionProposal *proposal)
{
  GtkSourceBuffer *buffer = gtk_source_completion_context_get_buffer (context);
  GtkTextIter begin, end;

  if (buffer == NULL)
    return;
  gtk_source_completion_context_get_bounds (context, &begin, &end);
  gtk_text_buffer_begin_user_action (GTK_TEXT_BUFFER (buffer));
  gtk_text_buffer_delete (GTK_TEXT_BUFFER (buffer), &begin, &end);
  gtk_text_buffer_insert (GTK_TEXT_BUFFER (buffer), &begin, KG_FIELD_PROPOSAL (proposal)->name,
                          -1);
  gtk_text_buffer_end_user_action (GTK_TEXT_BUFFER (buffer));
}

static void
kg_field_provider_iface_init (GtkSourceCompletionProviderInterface *iface)
{
  iface->get_title = kg_field_provider_get_title;
  iface->populate_async = kg_field_provider_populate_async;
  iface->populate_finish = kg_field_provider_populate_finish;
  iface->refilter = kg_field_provider_refilter;
  iface->display = kg_field_provider_display;
  iface->activate = kg_field_provider_activate;
}

/* GObject ------------------------------------------------------------------ */

static void
kg_field_provider_finalize (GObject *object)
{
  KgFieldProvider *self = KG_FIELD_PROVIDER (object);

  g_free (self->model);
  g_ptr_array_unref (self->fields);

  G_OBJECT_CLASS (kg_field_provider_parent_class)->finalize (object);
}

static void
kg_field_provider_class_init (KgFieldProviderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kg_field_provider_finalize;
}

static void
kg_field_provider_init (KgFieldProvider *self)
{
  self->fields = g_ptr_array_new_with_free_func (g_object_unref);
}

KgFieldProvider *
kg_field_provider_new (void)
{
  return g_object_new (KG_TYPE_FIELD_PROVIDER, NULL);
}
