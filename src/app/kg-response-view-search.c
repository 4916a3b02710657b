/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Searching the response body: the count of matches, previous and next
 * (wrapping around), the match selected and scrolled to. */
#define G_LOG_DOMAIN "keygate-app"

#include "config.h"

#include <glib/gi18n.h>

#include "kg-response-view-private.h"

/* Search ----------------------------------------------------------------- */

static void
update_search_count (KgResponseView *self)
{
  gint count = gtk_source_search_context_get_occurrences_count (self->search_context);
  const char *text = gtk_source_search_settings_get_search_text (self->search_settings);
  g_autofree char *label = NULL;

  if (text == NULL || text[0] == '\0')
    label = g_strdup ("");
  else if (count < 0)
    label = g_strdup ("…");
  else
    /* Translators: number of matches of the search in the body */
    label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d match", "%d matches", count), count);
  gtk_label_set_label (self->search_count_label, label);
}

static void
search_changed_cb (KgResponseView *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  gtk_source_search_settings_set_search_text (self->search_settings,
                                              text[0] != '\0' ? text : NULL);
  update_search_count (self);
}

static void
select_match (KgResponseView *self,
              GtkTextIter    *start,
              GtkTextIter    *end)
{
  gtk_text_buffer_select_range (GTK_TEXT_BUFFER (self->buffer), start, end);
  gtk_text_view_scroll_to_mark (GTK_TEXT_VIEW (self->body_view),
                                gtk_text_buffer_get_insert (GTK_TEXT_BUFFER (self->buffer)),
                                0.1, FALSE, 0, 0);
}

static void
search_forward_done_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(KgResponseView) self = user_data;
  GtkTextIter start, end;
  gboolean wrapped;

  if (gtk_source_search_context_forward_finish (GTK_SOURCE_SEARCH_CONTEXT (source), result,
                                                &start, &end, &wrapped, NULL) &&
      GTK_SOURCE_SEARCH_CONTEXT (source) == self->search_context)
    select_match (self, &start, &end);
}

static void
search_backward_done_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(KgResponseView) self = user_data;
  GtkTextIter start, end;
  gboolean wrapped;

  if (gtk_source_search_context_backward_finish (GTK_SOURCE_SEARCH_CONTEXT (source), result,
                                                 &start, &end, &wrapped, NULL) &&
      GTK_SOURCE_SEARCH_CONTEXT (source) == self->search_context)
    select_match (self, &start, &end);
}

static void
search_step (KgResponseView *self,
             gboolean        backward)
{
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (self->buffer);
  GtkTextIter start, end;

  /* The entry's search-changed comes after a delay: don't search stale text. */
  search_changed_cb (self);
  if (gtk_source_search_settings_get_search_text (self->search_settings) == NULL)
    return;

  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  self->search_cancellable = g_cancellable_new ();

  gtk_text_buffer_get_selection_bounds (buffer, &start, &end);
  if (backward)
    gtk_source_search_context_backward_async (self->search_context, &start,
                                              self->search_cancellable,
                                              search_backward_done_cb, g_object_ref (self));
  else
    gtk_source_search_context_forward_async (self->search_context, &end,
                                             self->search_cancellable,
                                             search_forward_done_cb, g_object_ref (self));
}

static void
search_next_cb (KgResponseView *self)
{
  search_step (self, FALSE);
}

static void
search_previous_cb (KgResponseView *self)
{
  search_step (self, TRUE);
}

void
_kg_response_view_search_init (KgResponseView *self)
{
  self->search_settings = gtk_source_search_settings_new ();
  gtk_source_search_settings_set_wrap_around (self->search_settings, TRUE);
  self->search_context = gtk_source_search_context_new (self->buffer, self->search_settings);
  g_signal_connect_object (self->search_context, "notify::occurrences-count",
                           G_CALLBACK (update_search_count), self, G_CONNECT_SWAPPED);
}

void
_kg_response_view_search_dispose (KgResponseView *self)
{
  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  g_clear_object (&self->search_context);
  g_clear_object (&self->search_settings);
}

void
_kg_response_view_search_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_next_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_previous_cb);
}
