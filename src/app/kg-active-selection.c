/* SPDX-License-Identifier: GPL-3.0-or-later */
/* KgActiveSelection: a selection that follows activation, not the focus. */
#define G_LOG_DOMAIN "keygate-app"

#include "config.h"

#include "kg-active-selection.h"

struct _KgActiveSelection
{
  GObject     parent_instance;

  GListModel *model;
  GObject    *active;     /* a reference, or NULL */
  guint       position;   /* of @active in @model, or GTK_INVALID_LIST_POSITION */
};

static void kg_active_selection_list_model_init      (GListModelInterface        *iface);
static void kg_active_selection_selection_model_init (GtkSelectionModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KgActiveSelection, kg_active_selection, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      kg_active_selection_list_model_init)
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SELECTION_MODEL,
                                                      kg_active_selection_selection_model_init))

static guint
find_position (KgActiveSelection *self)
{
  guint n;

  if (self->active == NULL)
    return GTK_INVALID_LIST_POSITION;

  n = g_list_model_get_n_items (self->model);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (self->model, i);

      if (item == self->active)
        return i;
    }

  return GTK_INVALID_LIST_POSITION;
}

/* GListModel ------------------------------------------------------------- */

static GType
kg_active_selection_get_item_type (GListModel *model)
{
  return g_list_model_get_item_type (KG_ACTIVE_SELECTION (model)->model);
}

static guint
kg_active_selection_get_n_items (GListModel *model)
{
  return g_list_model_get_n_items (KG_ACTIVE_SELECTION (model)->model);
}

static gpointer
kg_active_selection_get_item (GListModel *model,
                              guint       position)
{
  return g_list_model_get_item (KG_ACTIVE_SELECTION (model)->model, position);
}

static void
kg_active_selection_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = kg_active_selection_get_item_type;
  iface->get_n_items = kg_active_selection_get_n_items;
  iface->get_item = kg_active_selection_get_item;
}

/* GtkSelectionModel: only reading. The default select/unselect
 * implementations refuse, which is the point. */

static gboolean
kg_active_selection_is_selected (GtkSelectionModel *model,
                                 guint              position)
{
  KgActiveSelection *self = KG_ACTIVE_SELECTION (model);

  return self->position != GTK_INVALID_LIST_POSITION && position == self->position;
}

static GtkBitset *
kg_active_selection_get_selection_in_range (GtkSelectionModel *model,
                                            guint              position,
                                            guint              n_items)
{
  KgActiveSelection *self = KG_ACTIVE_SELECTION (model);
  GtkBitset *bitset = gtk_bitset_new_empty ();

  if (self->position != GTK_INVALID_LIST_POSITION && self->position >= position &&
      self->position - position < n_items)
    gtk_bitset_add (bitset, self->position);

  return bitset;
}

static void
kg_active_selection_selection_model_init (GtkSelectionModelInterface *iface)
{
  iface->is_selected = kg_active_selection_is_selected;
  iface->get_selection_in_range = kg_active_selection_get_selection_in_range;
}

/* Following the model ---------------------------------------------------- */

static void
model_items_changed_cb (KgActiveSelection *self,
                        guint              position,
                        guint              removed,
                        guint              added,
                        GListModel        *model)
{
  guint old = self->position;

  self->position = find_position (self);
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);

  /* A row that kept its widget moved or lost the selection: say so. */
  if (old != self->position)
    {
      if (old != GTK_INVALID_LIST_POSITION && old < g_list_model_get_n_items (model))
        gtk_selection_model_selection_changed (GTK_SELECTION_MODEL (self), old, 1);
      if (self->position != GTK_INVALID_LIST_POSITION)
        gtk_selection_model_selection_changed (GTK_SELECTION_MODEL (self), self->position, 1);
    }
}

/* GObject ---------------------------------------------------------------- */

static void
kg_active_selection_dispose (GObject *object)
{
  KgActiveSelection *self = KG_ACTIVE_SELECTION (object);

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->model);
  g_clear_object (&self->active);

  G_OBJECT_CLASS (kg_active_selection_parent_class)->dispose (object);
}

static void
kg_active_selection_class_init (KgActiveSelectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kg_active_selection_dispose;
}

static void
kg_active_selection_init (KgActiveSelection *self)
{
  self->position = GTK_INVALID_LIST_POSITION;
}

KgActiveSelection *
kg_active_selection_new (GListModel *model)
{
  KgActiveSelection *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (model), NULL);

  self = g_object_new (KG_TYPE_ACTIVE_SELECTION, NULL);
  self->model = g_object_ref (model);
  g_signal_connect_object (model, "items-changed", G_CALLBACK (model_items_changed_cb), self,
                           G_CONNECT_SWAPPED);
  return self;
}

GListModel *
kg_active_selection_get_model (KgActiveSelection *self)
{
  g_return_val_if_fail (KG_IS_ACTIVE_SELECTION (self), NULL);
  return self->model;
}

gpointer
kg_active_selection_get_active (KgActiveSelection *self)
{
  g_return_val_if_fail (KG_IS_ACTIVE_SELECTION (self), NULL);
  return self->active;
}

void
kg_active_selection_set_active (KgActiveSelection *self,
                                gpointer           item)
{
  guint old;

  g_return_if_fail (KG_IS_ACTIVE_SELECTION (self));
  g_return_if_fail (item == NULL || G_IS_OBJECT (item));

  if (self->active == item)
    return;

  old = self->position;
  g_set_object (&self->active, item);
  self->position = find_position (self);

  if (old != GTK_INVALID_LIST_POSITION)
    gtk_selection_model_selection_changed (GTK_SELECTION_MODEL (self), old, 1);
  if (self->position != GTK_INVALID_LIST_POSITION)
    gtk_selection_model_selection_changed (GTK_SELECTION_MODEL (self), self->position, 1);
}
