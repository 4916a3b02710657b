/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* What a KgJsonEditor accepts. */
typedef enum {
  KG_JSON_EDITOR_ANY,          /* any JSON value */
  KG_JSON_EDITOR_ARRAY,        /* a JSON array */
  KG_JSON_EDITOR_OBJECT,       /* a JSON object */
  KG_JSON_EDITOR_STRING_MAP,   /* a JSON object whose values are strings */
  KG_JSON_EDITOR_TEXT,         /* plain text, not checked */
} KgJsonEditorKind;

#define KG_TYPE_JSON_EDITOR (kg_json_editor_get_type ())
G_DECLARE_FINAL_TYPE (KgJsonEditor, kg_json_editor, KG, JSON_EDITOR, AdwBin)

/* A small JSON editor (GtkSourceView) checked as you type: when the text
 * is not what the kind asks for, a message under it says what is wrong
 * and where (line and column), the editor is marked and "valid" turns
 * FALSE. Empty text is valid and means "not given". "label" names the
 * text view for screen readers. Emits ::changed after every edit. */
GtkWidget        *kg_json_editor_new         (void);

KgJsonEditorKind  kg_json_editor_get_kind    (KgJsonEditor     *self);
void              kg_json_editor_set_kind    (KgJsonEditor     *self,
                                              KgJsonEditorKind  kind);
const char       *kg_json_editor_get_label   (KgJsonEditor     *self);
void              kg_json_editor_set_label   (KgJsonEditor     *self,
                                              const char       *label);
/* The whole text (owned). */
char             *kg_json_editor_dup_text    (KgJsonEditor     *self);
void              kg_json_editor_set_text    (KgJsonEditor     *self,
                                              const char       *text);
/* Shows @node pretty-printed (NULL: empty). */
void              kg_json_editor_set_node    (KgJsonEditor     *self,
                                              JsonNode         *node);
/* The parsed value (a new node), NULL when empty, invalid or plain text. */
JsonNode         *kg_json_editor_dup_node    (KgJsonEditor     *self);
gboolean          kg_json_editor_get_valid   (KgJsonEditor     *self);
gboolean          kg_json_editor_get_empty   (KgJsonEditor     *self);
/* What is wrong, or NULL when valid. */
const char       *kg_json_editor_get_message (KgJsonEditor     *self);
GtkWidget        *kg_json_editor_get_view    (KgJsonEditor     *self);

G_END_DECLS
