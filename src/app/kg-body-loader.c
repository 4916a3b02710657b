/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Loads a response body into a text buffer without freezing the window.
 *
 * The text is checked and pretty-printed (kg-json-format) in a worker thread
 * (GTask), then inserted into the buffer in slices of BODY_SLICE bytes from a
 * timeout source, so the frame clock gets to draw between slices. Lines
 * longer than KG_BODY_LOADER_LONG_LINE characters (a megabyte-long string)
 * are broken up: GtkTextView lays out a whole line at once (invisible text
 * included), so a 5 MiB line stalls the window for seconds. The text for Copy
 * is the body as formatted, without those breaks. */
#define G_LOG_DOMAIN "keygate-app"

#include "config.h"

#include <string.h>

#include "keygate-core.h"
#include "kg-body-loader.h"

#define BODY_SLICE        (32 * 1024)
#define SLICE_BUDGET_US   8000
#define FRAME_LATE_MS     200

typedef struct
{
  /* in: read by the worker, not copied (@owner holds it) */
  GObject    *owner;
  const char *body;
  /* out */
  char     *text;
  gsize     length;
  gboolean  is_json;
  guint     breaks;      /* line breaks added to long lines */
  guint     n_lines;     /* of the text shown */
  char     *copy_text;   /* the formatted body without those breaks */
  GArray   *tokens;      /* what to colour, for JSON with no broken line */
  /* insertion state (main thread) */
  gsize     pos;
} BodyJob;

struct _KgBodyLoader
{
  GObject        parent_instance;

  GtkTextBuffer *buffer;
  GtkWidget     *pace_widget;     /* weak */
  GdkFrameClock *pace_clock;      /* while waiting for its frame */
  gulong         after_paint_id;
  guint          frame_late_source;
  GCancellable  *cancellable;
  BodyJob       *job;
  guint          insert_source;
  gboolean       loading;

  /* of the last body formatted */
  GArray        *tokens;
  char          *text;
  guint          breaks;
  guint          n_lines;
};

G_DEFINE_FINAL_TYPE (KgBodyLoader, kg_body_loader, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

enum {
  FORMATTED,
  PROGRESS,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
body_job_free (BodyJob *job)
{
  g_clear_object (&job->owner);
  g_free (job->text);
  g_free (job->copy_text);
  g_clear_pointer (&job->tokens, g_array_unref);
  g_free (job);
}

/* Formatting (worker thread) --------------------------------------------- */

/* Breaks lines longer than KG_BODY_LOADER_LONG_LINE characters into pieces of
 * KG_BODY_LOADER_LONG_LINE characters (on character boundaries). */
static void
break_long_lines (BodyJob *job)
{
  const char *p = job->text;
  const char *end = job->text + job->length;
  GString *out = NULL;

  while (p < end)
    {
      const char *nl = memchr (p, '\n', end - p);
      const char *line_end = nl ? nl : end;

      if (line_end - p > KG_BODY_LOADER_LONG_LINE &&
          g_utf8_strlen (p, line_end - p) > KG_BODY_LOADER_LONG_LINE)
        {
          if (out == NULL)
            {
              out = g_string_sized_new (job->length + job->length / KG_BODY_LOADER_LONG_LINE
                                        + 16);
              g_string_append_len (out, job->text, p - job->text);
            }
          while (p < line_end)
            {
              const char *cut = p;

              /* That many characters on (the text is valid UTF-8). */
              for (guint n = 0; n < KG_BODY_LOADER_LONG_LINE && cut < line_end; n++)
                cut = g_utf8_next_char (cut);
              g_string_append_len (out, p, cut - p);
              if (cut < line_end)
                {
                  g_string_append_c (out, '\n');
                  job->breaks++;
                }
              p = cut;
            }
        }
      else if (out != NULL)
        g_string_append_len (out, p, line_end - p);
      p = line_end;
      if (nl != NULL)
        {
          if (out != NULL)
            g_string_append_c (out, '\n');
          p = nl + 1;
        }
    }

  if (out != NULL)
    {
      g_free (job->text);
      job->length = out->len;
      job->text = g_string_free (out, FALSE);
    }
}

static void
format_body_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  BodyJob *job = task_data;
  gint64 start = g_get_monotonic_time ();

  job->text = kg_json_format_body (job->body, strlen (job->body), &job->length, &job->is_json);
  job->body = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;
  /* Copy gets the body as formatted, before any line is broken up. */
  job->copy_text = g_strndup (job->text, job->length);
  break_long_lines (job);
  job->n_lines = 1;
  for (const char *c = job->text; c != NULL && (c = memchr (c, '\n', job->text + job->length - c));
       c++)
    job->n_lines++;
  if (job->is_json && job->breaks == 0 && job->length <= KG_BODY_LOADER_HIGHLIGHT_LIMIT)
    job->tokens = kg_json_tokens_scan (job->text, job->length);
  g_debug ("Body of %" G_GSIZE_FORMAT " bytes formatted in %.1f ms", job->length,
           (g_get_monotonic_time () - start) / 1000.0);
  g_task_return_boolean (task, TRUE);
}

/* Insertion (main thread) ------------------------------------------------ */

static void
set_loading (KgBodyLoader *self,
             gboolean      loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
stop_waiting_for_frame (KgBodyLoader *self)
{
  g_clear_handle_id (&self->frame_late_source, g_source_remove);
  if (self->pace_clock != NULL)
    {
      g_clear_signal_handler (&self->after_paint_id, self->pace_clock);
      g_clear_object (&self->pace_clock);
    }
}

static void
cancel_load (KgBodyLoader *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->insert_source, g_source_remove);
  stop_waiting_for_frame (self);
  g_clear_pointer (&self->job, body_job_free);
  set_loading (self, FALSE);
}

/* Inserts one slice; FALSE once the whole body is in. */
static gboolean
insert_slice (KgBodyLoader *self)
{
  GtkTextBuffer *buffer = self->buffer;
  BodyJob *job = self->job;
  GtkTextIter iter;
  gsize end;

  g_assert (job != NULL);

  end = MIN (job->pos + BODY_SLICE, job->length);
  if (end < job->length)
    {
      /* Cut after a newline when there is one close by, else on a character
       * boundary. */
      const char *nl = memchr (job->text + end, '\n', MIN (job->length - end, BODY_SLICE));

      if (nl != NULL)
        end = (gsize) (nl - job->text) + 1;
      else
        while (end > job->pos + 1 && (job->text[end] & 0xC0) == 0x80)
          end--;
    }

  gtk_text_buffer_get_end_iter (buffer, &iter);
  gtk_text_buffer_insert (buffer, &iter, job->text + job->pos, (int) (end - job->pos));

  job->pos = end;

  return job->pos < job->length;
}

static void
finish_load (KgBodyLoader *self)
{
  g_clear_handle_id (&self->insert_source, g_source_remove);
  stop_waiting_for_frame (self);
  g_clear_pointer (&self->job, body_job_free);
  g_clear_object (&self->cancellable);
  set_loading (self, FALSE);
}

static gboolean insert_slices_cb (gpointer user_data);

static void
frame_painted_cb (GdkFrameClock *clock,
                  KgBodyLoader  *self)
{
  stop_waiting_for_frame (self);
  self->insert_source = g_timeout_add (1, insert_slices_cb, self);
}

/* No frame: the window may be hidden, and a compositor does not ask it to
 * draw then. The text goes on. */
static gboolean
frame_late_cb (gpointer user_data)
{
  KgBodyLoader *self = user_data;

  self->frame_late_source = 0;
  frame_painted_cb (NULL, self);
  return G_SOURCE_REMOVE;
}

/* Between batches, the window paints a frame: the text timeouts below
 * would otherwise run back to back and starve the frame clock (a 20 MiB
 * body went in with no frame painted for 1.3 s: a window that still ticks
 * but does not draw looks frozen, progress and all). A frame is asked for,
 * so one comes even when the text that went in is not on screen; if none
 * comes within FRAME_LATE_MS, the text goes on without it. */
static gboolean
wait_for_frame (KgBodyLoader *self)
{
  GdkFrameClock *clock;

  if (self->pace_widget == NULL || !gtk_widget_get_mapped (self->pace_widget))
    return FALSE;
  clock = gtk_widget_get_frame_clock (self->pace_widget);
  if (clock == NULL)
    return FALSE;
  self->pace_clock = g_object_ref (clock);
  self->after_paint_id = g_signal_connect (clock, "after-paint",
                                           G_CALLBACK (frame_painted_cb), self);
  gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_AFTER_PAINT);
  self->frame_late_source = g_timeout_add (FRAME_LATE_MS, frame_late_cb, self);
  return TRUE;
}

/* A 1 ms timeout rather than an idle: a default-idle source would starve
 * behind a frame clock that is always behind (a software renderer). Each
 * dispatch inserts slices for at most SLICE_BUDGET_US, then waits for the
 * next frame (see wait_for_frame()). */
static gboolean
insert_slices_cb (gpointer user_data)
{
  KgBodyLoader *self = user_data;
  gint64 until = g_get_monotonic_time () + SLICE_BUDGET_US;

  do
    {
      if (!insert_slice (self))
        {
          self->insert_source = 0;
          finish_load (self);
          return G_SOURCE_REMOVE;
        }
    }
  while (g_get_monotonic_time () < until);

  g_signal_emit (self, signals[PROGRESS], 0);
  /* A handler that cleared or loaded another body removed this source;
   * a new body's slices start when it is formatted. */
  if (self->insert_source == 0)
    return G_SOURCE_REMOVE;
  if (wait_for_frame (self))
    {
      self->insert_source = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
body_formatted_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(KgBodyLoader) self = user_data;
  BodyJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    return;  /* cancelled: a newer body took over */
  if (g_task_get_cancellable (G_TASK (result)) != self->cancellable)
    return;

  /* The job now belongs to the loader: steal it from the task. */
  self->job = g_new0 (BodyJob, 1);
  *self->job = *job;
  memset (job, 0, sizeof *job);
  g_free (self->text);
  self->text = g_steal_pointer (&self->job->copy_text);
  self->breaks = self->job->breaks;
  self->n_lines = self->job->n_lines;
  g_clear_pointer (&self->tokens, g_array_unref);
  self->tokens = g_steal_pointer (&self->job->tokens);

  g_signal_emit (self, signals[FORMATTED], 0);
  g_clear_pointer (&self->tokens, g_array_unref);
  if (self->job == NULL)
    return;  /* a handler loaded another body or cleared */

  if (self->job->length == 0)
    {
      finish_load (self);
      return;
    }

  /* The first slice right away, so small bodies show in the same frame. */
  if (insert_slice (self))
    self->insert_source = g_timeout_add (1, insert_slices_cb, self);
  else
    finish_load (self);
}

/* GObject ---------------------------------------------------------------- */

static void
kg_body_loader_dispose (GObject *object)
{
  KgBodyLoader *self = KG_BODY_LOADER (object);

  cancel_load (self);
  if (self->pace_widget != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->pace_widget), (gpointer *) &self->pace_widget);
  self->pace_widget = NULL;
  g_clear_object (&self->buffer);

  G_OBJECT_CLASS (kg_body_loader_parent_class)->dispose (object);
}

static void
kg_body_loader_finalize (GObject *object)
{
  KgBodyLoader *self = KG_BODY_LOADER (object);

  g_free (self->text);
  g_clear_pointer (&self->tokens, g_array_unref);

  G_OBJECT_CLASS (kg_body_loader_parent_class)->finalize (object);
}

static void
kg_body_loader_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  KgBodyLoader *self = KG_BODY_LOADER (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kg_body_loader_class_init (KgBodyLoaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kg_body_loader_dispose;
  object_class->finalize = kg_body_loader_finalize;
  object_class->get_property = kg_body_loader_get_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[FORMATTED] = g_signal_new ("formatted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[PROGRESS] = g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
kg_body_loader_init (KgBodyLoader *self)
{
}

KgBodyLoader *
kg_body_loader_new (GtkTextBuffer *buffer)
{
  KgBodyLoader *self;

  g_return_val_if_fail (GTK_IS_TEXT_BUFFER (buffer), NULL);

  self = g_object_new (KG_TYPE_BODY_LOADER, NULL);
  self->buffer = g_object_ref (buffer);
  return self;
}

void
kg_body_loader_cancel (KgBodyLoader *self)
{
  g_return_if_fail (KG_IS_BODY_LOADER (self));
  cancel_load (self);
}

void
kg_body_loader_clear (KgBodyLoader *self)
{
  g_return_if_fail (KG_IS_BODY_LOADER (self));

  cancel_load (self);
  gtk_text_buffer_set_text (self->buffer, "", 0);
  g_clear_pointer (&self->text, g_free);
  self->breaks = 0;
}

void
kg_body_loader_load (KgBodyLoader *self,
                     GObject      *owner,
                     const char   *body)
{
  g_autoptr(GTask) task = NULL;
  BodyJob *job;

  g_return_if_fail (KG_IS_BODY_LOADER (self));

  kg_body_loader_clear (self);
  if (body == NULL || body[0] == '\0')
    return;

  g_return_if_fail (G_IS_OBJECT (owner));

  /* Not copied here: a copy of a 20 MiB body stalled the window for 50 ms
   * (fresh pages). The worker reads it where it is. */
  job = g_new0 (BodyJob, 1);
  job->owner = g_object_ref (owner);
  job->body = body;

  self->cancellable = g_cancellable_new ();
  task = g_task_new (NULL, self->cancellable, body_formatted_cb, g_object_ref (self));
  g_task_set_source_tag (task, kg_body_loader_load);
  g_task_set_task_data (task, job, (GDestroyNotify) body_job_free);
  set_loading (self, TRUE);
  g_task_run_in_thread (task, format_body_thread);
}

gboolean
kg_body_loader_get_loading (KgBodyLoader *self)
{
  g_return_val_if_fail (KG_IS_BODY_LOADER (self), FALSE);
  return self->loading;
}

const char *
kg_body_loader_get_text (KgBodyLoader *self)
{
  g_return_val_if_fail (KG_IS_BODY_LOADER (self), NULL);
  return self->text;
}


guint
kg_body_loader_get_n_breaks (KgBodyLoader *self)
{
  g_return_val_if_fail (KG_IS_BODY_LOADER (self), 0);
  return self->breaks;
}

guint
kg_body_loader_get_n_lines (KgBodyLoader *self)
{
  g_return_val_if_fail (KG_IS_BODY_LOADER (self), 0);
  return self->n_lines;
}

gsize
kg_body_loader_get_progress (KgBodyLoader *self,
                             gsize        *length)
{
  g_return_val_if_fail (KG_IS_BODY_LOADER (self), 0);

  if (length != NULL)
    *length = self->job != NULL ? self->job->length : 0;
  return self->job != NULL ? self->job->pos : 0;
}

GArray *
kg_body_loader_steal_tokens (KgBodyLoader *self)
{
  g_return_val_if_fail (KG_IS_BODY_LOADER (self), NULL);
  return g_steal_pointer (&self->tokens);
}

void
kg_body_loader_set_pace_widget (KgBodyLoader *self,
                                GtkWidget    *widget)
{
  g_return_if_fail (KG_IS_BODY_LOADER (self));
  g_return_if_fail (widget == NULL || GTK_IS_WIDGET (widget));

  if (self->pace_widget != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->pace_widget), (gpointer *) &self->pace_widget);
  self->pace_widget = widget;
  if (widget != NULL)
    g_object_add_weak_pointer (G_OBJECT (widget), (gpointer *) &self->pace_widget);
}
