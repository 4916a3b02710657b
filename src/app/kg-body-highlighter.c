/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Lazy JSON colouring for the response view: the tokens are grouped in
 * blocks of BLOCK_LINES lines; a block is coloured when it comes within a
 * screenful of the visible lines and its text is in the buffer. The work
 * runs from a source scheduled before the redraw, for at most BUDGET_US at
 * a time, so coloured lines are drawn in the frame that shows them. */
#define G_LOG_DOMAIN "keygate-app"

#include "config.h"

#include "keygate-core.h"
#include "kg-body-highlighter.h"

#define BLOCK_LINES 32
#define BUDGET_US   4000
/* After GTK's resize (HIGH_IDLE + 10), before its redraw (HIGH_IDLE + 20). */
#define WORK_PRIORITY (G_PRIORITY_HIGH_IDLE + 15)

#define N_KINDS (KG_JSON_TOKEN_KEYWORD + 1)

struct _KgBodyHighlighter
{
  GObject        parent_instance;

  GtkTextView   *view;       /* weak */
  GtkTextBuffer *buffer;
  GtkTextTag    *tags[N_KINDS];

  GArray        *tokens;
  guint         *block_first; /* index of the first token of each block, n_blocks + 1 */
  guint         *block_done;  /* tokens of each block coloured so far */
  guint          n_blocks;
  guint          n_applied;

  guint          source;
  gulong         buffer_changed_id;
  gulong         value_changed_id;
  gulong         adjustment_changed_id;
  GtkAdjustment *vadjustment;
};

G_DEFINE_FINAL_TYPE (KgBodyHighlighter, kg_body_highlighter, G_TYPE_OBJECT)

/* The scheme's style for a kind: JSON's own, else what json.lang maps it
 * to, down to def:constant. */
static const char * const style_ids[N_KINDS][5] = {
  [KG_JSON_TOKEN_KEY] = { "json:keyname", "def:constant", NULL },
  [KG_JSON_TOKEN_STRING] = { "json:string", "js:string", "def:string", "def:constant", NULL },
  [KG_JSON_TOKEN_NUMBER] = { "json:decimal", "def:decimal", "def:number", "def:constant", NULL },
  [KG_JSON_TOKEN_KEYWORD] = { "json:boolean", "def:boolean", "def:special-constant",
                              "def:constant", NULL },
};

static void
drop_tokens (KgBodyHighlighter *self)
{
  g_clear_handle_id (&self->source, g_source_remove);
  g_clear_pointer (&self->tokens, g_array_unref);
  g_clear_pointer (&self->block_first, g_free);
  g_clear_pointer (&self->block_done, g_free);
  self->n_blocks = 0;
  self->n_applied = 0;
}

/* Colours what is left of @block once its lines are in the buffer; FALSE
 * when some of them are not in yet. */
static gboolean
color_block (KgBodyHighlighter *self,
             guint              block,
             int                n_lines)
{
  guint first = self->block_first[block] + self->block_done[block];
  guint end = self->block_first[block + 1];

  for (guint i = first; i < end; i++)
    {
      const KgJsonToken *token = &g_array_index (self->tokens, KgJsonToken, i);
      GtkTextIter start, stop;

      /* The last line in the buffer may still be growing. */
      if ((int) token->line >= n_lines - 1)
        {
          if ((int) token->line > n_lines - 1)
            return FALSE;
          gtk_text_buffer_get_iter_at_line (self->buffer, &stop, (int) token->line);
          if (gtk_text_iter_get_chars_in_line (&stop) < (int) (token->start + token->length))
            return FALSE;
        }
      gtk_text_buffer_get_iter_at_line_offset (self->buffer, &start, (int) token->line,
                                               (int) token->start);
      stop = start;
      gtk_text_iter_forward_chars (&stop, (int) token->length);
      gtk_text_buffer_apply_tag (self->buffer, self->tags[token->kind], &start, &stop);
      self->block_done[block]++;
      self->n_applied++;
    }
  return TRUE;
}

static gboolean
work_cb (gpointer user_data)
{
  KgBodyHighlighter *self = user_data;
  gint64 until = g_get_monotonic_time () + BUDGET_US;
  int n_lines = gtk_text_buffer_get_line_count (self->buffer);
  GdkRectangle visible;
  GtkTextIter iter;
  int top, bottom, margin;
  guint first_block, last_block;

  if (self->view == NULL)
    {
      self->source = 0;
      return G_SOURCE_REMOVE;
    }
  gtk_text_view_get_visible_rect (self->view, &visible);
  gtk_text_view_get_line_at_y (self->view, &iter, visible.y, NULL);
  top = gtk_text_iter_get_line (&iter);
  gtk_text_view_get_line_at_y (self->view, &iter, visible.y + MAX (visible.height, 1), NULL);
  bottom = gtk_text_iter_get_line (&iter);
  /* Not laid out yet: the first lines are what will show. */
  if (visible.height <= 1)
    bottom = top + 2 * BLOCK_LINES;
  margin = bottom - top + 1;

  first_block = (guint) MAX (top - margin, 0) / BLOCK_LINES;
  last_block = MIN ((guint) (bottom + margin) / BLOCK_LINES, self->n_blocks - 1);

  /* The visible blocks first, then the margins, nearest first. */
  for (guint pass = 0; pass < 2; pass++)
    for (guint b = first_block; b <= last_block; b++)
      {
        gboolean shown = (int) ((b + 1) * BLOCK_LINES) > top && (int) (b * BLOCK_LINES) <= bottom;

        if (shown != (pass == 0))
          continue;
        if (self->block_done[b] == self->block_first[b + 1] - self->block_first[b])
          continue;
        if (!color_block (self, b, n_lines))
          continue;
        if (g_get_monotonic_time () >= until)
          return G_SOURCE_CONTINUE;
      }

  self->source = 0;
  return G_SOURCE_REMOVE;
}

static void
schedule (KgBodyHighlighter *self)
{
  if (self->tokens == NULL || self->source != 0 || self->n_applied == self->tokens->len)
    return;
  self->source = g_idle_add_full (WORK_PRIORITY, work_cb, self, NULL);
  g_source_set_name_by_id (self->source, "[keygate] colour the body");
}

static void
vadjustment_changed_cb (KgBodyHighlighter *self)
{
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->view));

  if (adjustment != self->vadjustment)
    {
      if (self->vadjustment != NULL)
        {
          g_signal_handler_disconnect (self->vadjustment, self->value_changed_id);
          g_signal_handler_disconnect (self->vadjustment, self->adjustment_changed_id);
          g_clear_object (&self->vadjustment);
        }
      if (adjustment != NULL)
        {
          self->vadjustment = g_object_ref (adjustment);
          self->value_changed_id = g_signal_connect_swapped (adjustment, "value-changed",
                                                             G_CALLBACK (schedule), self);
          self->adjustment_changed_id = g_signal_connect_swapped (adjustment, "changed",
                                                                  G_CALLBACK (schedule), self);
        }
    }
  schedule (self);
}

static void
kg_body_highlighter_dispose (GObject *object)
{
  KgBodyHighlighter *self = KG_BODY_HIGHLIGHTER (object);

  drop_tokens (self);
  if (self->vadjustment != NULL)
    {
      g_signal_handler_disconnect (self->vadjustment, self->value_changed_id);
      g_signal_handler_disconnect (self->vadjustment, self->adjustment_changed_id);
      g_clear_object (&self->vadjustment);
    }
  if (self->view != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->view, self);
      g_object_remove_weak_pointer (G_OBJECT (self->view), (gpointer *) &self->view);
      self->view = NULL;
    }
  g_clear_signal_handler (&self->buffer_changed_id, self->buffer);
  g_clear_object (&self->buffer);

  G_OBJECT_CLASS (kg_body_highlighter_parent_class)->dispose (object);
}

static void
kg_body_highlighter_class_init (KgBodyHighlighterClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = kg_body_highlighter_dispose;
}

static void
kg_body_highlighter_init (KgBodyHighlighter *self)
{
}

KgBodyHighlighter *
kg_body_highlighter_new (GtkTextView *view)
{
  KgBodyHighlighter *self;

  g_return_val_if_fail (GTK_IS_TEXT_VIEW (view), NULL);

  self = g_object_new (KG_TYPE_BODY_HIGHLIGHTER, NULL);
  self->view = view;
  g_object_add_weak_pointer (G_OBJECT (view), (gpointer *) &self->view);
  self->buffer = g_object_ref (gtk_text_view_get_buffer (view));
  for (guint k = 0; k < N_KINDS; k++)
    self->tags[k] = gtk_text_buffer_create_tag (self->buffer, NULL, NULL);
  self->buffer_changed_id = g_signal_connect_swapped (self->buffer, "changed",
                                                      G_CALLBACK (schedule), self);
  g_signal_connect_swapped (view, "notify::vadjustment", G_CALLBACK (vadjustment_changed_cb),
                            self);
  vadjustment_changed_cb (self);
  return self;
}

void
kg_body_highlighter_set_tokens (KgBodyHighlighter *self,
                                GArray            *tokens)
{
  g_return_if_fail (KG_IS_BODY_HIGHLIGHTER (self));

  drop_tokens (self);
  if (tokens == NULL || tokens->len == 0)
    {
      g_clear_pointer (&tokens, g_array_unref);
      return;
    }

  self->tokens = tokens;
  self->n_blocks = g_array_index (tokens, KgJsonToken, tokens->len - 1).line / BLOCK_LINES + 1;
  self->block_first = g_new0 (guint, self->n_blocks + 1);
  self->block_done = g_new0 (guint, self->n_blocks);
  /* The tokens are in line order: block b's are block_first[b] to
   * block_first[b + 1]. */
  for (guint b = 0, i = 0; b < self->n_blocks; b++)
    {
      self->block_first[b] = i;
      while (i < tokens->len && g_array_index (tokens, KgJsonToken, i).line / BLOCK_LINES == b)
        i++;
    }
  self->block_first[self->n_blocks] = tokens->len;
  schedule (self);
}

void
kg_body_highlighter_set_scheme (KgBodyHighlighter    *self,
                                GtkSourceStyleScheme *scheme)
{
  g_return_if_fail (KG_IS_BODY_HIGHLIGHTER (self));

  for (guint k = 0; k < N_KINDS; k++)
    {
      GtkSourceStyle *style = NULL;

      for (guint i = 0; scheme != NULL && style == NULL && style_ids[k][i] != NULL; i++)
        style = gtk_source_style_scheme_get_style (scheme, style_ids[k][i]);
      gtk_source_style_apply (style, self->tags[k]);
    }
}
