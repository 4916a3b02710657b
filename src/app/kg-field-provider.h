/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtksourceview/gtksource.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define KG_TYPE_FIELD_PROPOSAL (kg_field_proposal_get_type ())
G_DECLARE_FINAL_TYPE (KgFieldProposal, kg_field_proposal, KG, FIELD_PROPOSAL, GObject)

/* One field of a model: its technical name, its label and its type, as
 * the model's fields_get gives them. */
const char      *kg_field_proposal_get_name  (KgFieldProposal *self);
const char      *kg_field_proposal_get_label (KgFieldProposal *self);
const char      *kg_field_proposal_get_kind  (KgFieldProposal *self);

#define KG_TYPE_FIELD_PROVIDER (kg_field_provider_get_type ())
G_DECLARE_FINAL_TYPE (KgFieldProvider, kg_field_provider, KG, FIELD_PROVIDER, GObject)

/* Completes the field names of one model in JSON editors (a
 * GtkSourceCompletionProvider): typing the start of a name or of a word of
 * its label offers the fields, choosing one puts its technical name in place of the
 * word. Offers nothing until it is given fields. */
KgFieldProvider *kg_field_provider_new        (void);
/* @model's fields (nullable) from the answer of fields_get with the
 * "string" and "type" attributes: { name: { "string": …, "type": … } }. */
void             kg_field_provider_set_fields (KgFieldProvider *self,
                                               const char      *model,
                                               JsonObject      *fields);
/* The model whose fields are offered, or NULL. */
const char      *kg_field_provider_get_model  (KgFieldProvider *self);
/* The fields whose name, or a word of whose label, starts with @word, in
 * any case, by name (a new list of KgFieldProposal). */
GListModel      *kg_field_provider_match      (KgFieldProvider *self,
                                               const char      *word);

G_END_DECLS
