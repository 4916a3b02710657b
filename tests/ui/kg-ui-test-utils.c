/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "kg-ui-test-utils.h"

#include <string.h>

static gboolean
deadline_cb (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
kg_ui_test_wait_until (gboolean   (*cond) (gpointer),
                       gpointer     data,
                       guint        seconds)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add_seconds (seconds, deadline_cb, &expired);

  while (!cond (data) && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (id);
  return !expired;
}

void
kg_ui_test_wait_for (gboolean   (*cond) (gpointer),
                     gpointer     data,
                     const char  *what)
{
  if (!kg_ui_test_wait_until (cond, data, 30))
    g_error ("Timed out waiting for %s", what);
}

gboolean
kg_ui_test_is_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (GTK_WIDGET (widget));
}

gboolean
kg_ui_test_is_null (gpointer pointer_location)
{
  return *(gpointer *) pointer_location == NULL;
}

gboolean
kg_ui_test_is_true (gpointer boolean_location)
{
  return *(gboolean *) boolean_location;
}

void
kg_ui_test_run_for (guint msec)
{
  gint64 until = g_get_monotonic_time () + (gint64) msec * 1000;

  while (g_get_monotonic_time () < until)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
}

void
kg_ui_test_click (GtkWidget *button)
{
  g_assert_true (gtk_widget_get_mapped (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

gpointer
kg_ui_test_template_child (gpointer    widget,
                           GType       type,
                           const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  if (object == NULL)
    g_error ("%s has no template child \"%s\"", g_type_name (type), name);
  return object;
}

static void
collect_text (GtkWidget *widget,
              GString   *out)
{
  const char *tooltip = gtk_widget_get_tooltip_text (widget);

  if (tooltip != NULL)
    g_string_append_printf (out, "%s\n", tooltip);
  if (GTK_IS_LABEL (widget))
    g_string_append_printf (out, "%s\n", gtk_label_get_label (GTK_LABEL (widget)));
  else if (GTK_IS_EDITABLE (widget))
    g_string_append_printf (out, "%s\n", gtk_editable_get_text (GTK_EDITABLE (widget)));
  else if (GTK_IS_TEXT_VIEW (widget))
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget));
      GtkTextIter start, end;
      g_autofree char *text = NULL;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      text = gtk_text_buffer_get_text (buffer, &start, &end, TRUE);
      g_string_append_printf (out, "%s\n", text);
    }

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    collect_text (c, out);
}

char *
kg_ui_test_dup_tree_text (GtkWidget *widget)
{
  GString *text = g_string_new (NULL);

  collect_text (widget, text);
  return g_string_free (text, FALSE);
}

void
kg_ui_test_assert_tree_lacks (GtkWidget  *widget,
                              const char *secret)
{
  g_autofree char *text = kg_ui_test_dup_tree_text (widget);

  g_assert_cmpuint (strlen (text), >, 0);
  if (strstr (text, secret) != NULL)
    g_error ("a secret is shown in the widget tree");
}

static gboolean
count_frame_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  guint *left = user_data;

  if (*left > 0)
    (*left)--;
  return *left > 0 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static gboolean
is_zero (gpointer uint_location)
{
  return *(guint *) uint_location == 0;
}

void
kg_ui_test_wait_frames (GtkWidget *widget,
                        guint      n_frames)
{
  guint left = n_frames;

  g_assert_true (gtk_widget_get_mapped (widget));
  gtk_widget_add_tick_callback (widget, count_frame_cb, &left, NULL);
  gtk_widget_queue_draw (widget);
  kg_ui_test_wait_for (is_zero, &left, "frames to be drawn");
}

gboolean
kg_ui_test_save_screenshot (GtkWidget  *window,
                            const char *name)
{
  const char *build_dir = g_getenv ("KEYGATE_BUILD_DIR");
  g_autofree char *dir = NULL;
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int width = 0;
  int height = 0;

  if (build_dir == NULL)
    {
      g_test_message ("No screenshot %s: KEYGATE_BUILD_DIR is not set", name);
      return FALSE;
    }

  /* Let pending layout, stack transitions and drawing settle first; a
   * loaded machine may need a while before the first frame is laid out. */
  paintable = gtk_widget_paintable_new (window);
  for (guint attempt = 0; node == NULL && attempt < 20; attempt++)
    {
      GtkSnapshot *snapshot;

      kg_ui_test_run_for (400);
      width = gtk_widget_get_width (window);
      height = gtk_widget_get_height (window);
      if (width <= 0 || height <= 0)
        continue;
      snapshot = gtk_snapshot_new ();
      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (snapshot);
    }
  if (node == NULL)
    {
      g_test_message ("No screenshot %s: nothing drawn", name);
      return FALSE;
    }

  dir = g_build_filename (build_dir, "screenshots", NULL);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  file = g_strconcat (name, ".png", NULL);
  path = g_build_filename (dir, file, NULL);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, path))
    return FALSE;
  g_test_message ("%s (%dx%d)", path, width, height);
  return TRUE;
}

static gboolean
has_width (gpointer data)
{
  return gtk_widget_get_width (GTK_WIDGET (data)) > 0;
}

/* At least @min_height pixels of @widget are inside the window. */
void
kg_ui_test_assert_on_screen (GtkWidget *window,
                             GtkWidget *widget,
                             float      min_height)
{
  graphene_rect_t bounds;
  float top, bottom;
  int width;
  int height;

  /* Read the window's size once it has been laid out at its new size. */
  kg_ui_test_wait_frames (window, 2);
  kg_ui_test_wait_for (has_width, window, "the window to be laid out");
  width = gtk_widget_get_width (window);
  height = gtk_widget_get_height (window);
  g_assert_true (gtk_widget_get_mapped (widget));
  g_assert_true (gtk_widget_compute_bounds (widget, window, &bounds));
  top = MAX (bounds.origin.y, 0);
  bottom = MIN (bounds.origin.y + bounds.size.height, height);
  g_assert_cmpfloat (bounds.origin.x, >=, 0);
  g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, width + 0.5);
  g_assert_cmpfloat (bottom - top, >=, min_height);
}

static void
find_all (GtkWidget *widget,
          GType      type,
          GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    {
      g_ptr_array_add (found, widget);
      return;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    find_all (c, type, found);
}

GPtrArray *
kg_ui_test_find_all (GtkWidget *root,
                     GType      type)
{
  GPtrArray *found = g_ptr_array_new ();

  find_all (root, type, found);
  return found;
}

GtkWidget *
kg_ui_test_present (GtkWidget *child,
                    int        width,
                    int        height)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_set_child (GTK_WINDOW (window), child);
  gtk_window_present (GTK_WINDOW (window));
  kg_ui_test_wait_for (kg_ui_test_is_mapped, window, "the window to be mapped");
  return window;
}

void
kg_ui_test_destroy_window (GtkWidget *window,
                           gpointer   widget)
{
  gpointer weak = widget;

  g_object_add_weak_pointer (G_OBJECT (widget), &weak);
  gtk_window_destroy (GTK_WINDOW (window));
  kg_ui_test_wait_for (kg_ui_test_is_null, &weak, "the widget to be finalized");
}
