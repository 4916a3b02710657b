/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "kg-ui-test-utils.h"

static gboolean
deadline_cb (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

void
kg_ui_test_wait_for (gboolean   (*cond) (gpointer),
                     gpointer     data,
                     const char  *what)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add_seconds (30, deadline_cb, &expired);

  while (!cond (data) && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (expired)
    g_error ("Timed out waiting for %s", what);
  g_source_remove (id);
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
  GtkSnapshot *snapshot;
  int width;
  int height;

  if (build_dir == NULL)
    return;

  /* Let pending layout and drawing settle first. */
  kg_ui_test_run_for (300);
  width = gtk_widget_get_width (window);
  height = gtk_widget_get_height (window);

  dir = g_build_filename (build_dir, "screenshots", NULL);
  g_mkdir_with_parents (dir, 0755);
  file = g_strconcat (name, ".png", NULL);
  path = g_build_filename (dir, file, NULL);

  paintable = gtk_widget_paintable_new (window);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    return;
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  gdk_texture_save_to_png (texture, path);
}
