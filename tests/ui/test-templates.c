/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Loads every .ui file in the app's GResource with G_DEBUG=fatal-warnings:
 * a template instantiates its class, any other file goes through GtkBuilder.
 * A widget, property or enum value newer than GTK 4.8 / libadwaita 1.2 (or
 * simply misspelled) aborts the test. New .ui files are picked up without
 * touching this test. */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "kg-test-utils.h"
#include "kg-ui-test-utils.h"

/* Shows @widget (in a window if it is not one), lets it draw, destroys it
 * and, with @check_finalized, checks nothing else keeps it alive. */
static void
show_and_destroy (GtkWidget *widget,
                  gboolean   check_finalized)
{
  GtkWidget *window = widget;
  gpointer weak = widget;

  if (!GTK_IS_WINDOW (widget))
    {
      window = gtk_window_new ();
      gtk_window_set_child (GTK_WINDOW (window), widget);
    }

  g_object_add_weak_pointer (G_OBJECT (widget), &weak);
  gtk_window_present (GTK_WINDOW (window));
  kg_ui_test_wait_for (kg_ui_test_is_mapped, window, "the window to be mapped");
  gtk_window_destroy (GTK_WINDOW (window));
  if (check_finalized)
    kg_ui_test_wait_for (kg_ui_test_is_null, &weak, "the widget to be finalized");
  else
    g_object_remove_weak_pointer (G_OBJECT (widget), &weak);
}

/* The class named by <template class="…">, or NULL. */
static char *
template_class_name (const char *xml)
{
  const char *tag = strstr (xml, "<template ");
  const char *start;
  const char *end;

  if (tag == NULL)
    return NULL;
  start = strstr (tag, "class=\"");
  g_assert_nonnull (start);
  start += strlen ("class=\"");
  end = strchr (start, '"');
  g_assert_nonnull (end);

  return g_strndup (start, end - start);
}

/* Rows show server and user text (names, versions, URLs, messages):
 * libadwaita 1.2 reads a row's title and subtitle as Pango markup by
 * default, so "Tom & Jerry" would vanish and "<span …>" would style it. */
static void
assert_rows_plain (GtkWidget  *widget,
                   const char *path)
{
  if (ADW_IS_PREFERENCES_ROW (widget) &&
      adw_preferences_row_get_use_markup (ADW_PREFERENCES_ROW (widget)))
    g_error ("%s: the %s “%s” reads its text as markup; set use-markup to False", path,
             G_OBJECT_TYPE_NAME (widget),
             adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    assert_rows_plain (child, path);
}

static void
test_ui_file (gconstpointer data)
{
  const char *path = data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *class_name = NULL;

  bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  g_assert_no_error (error);
  xml = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  class_name = template_class_name (xml);
  if (class_name != NULL)
    {
      g_autoptr(GtkBuilder) builder = gtk_builder_new ();
      /* KgFooBar → kg_foo_bar_get_type(), found in this executable's
       * exported symbols (the app library is linked whole). */
      GType type = gtk_builder_get_type_from_name (builder, class_name);
      GObject *object;

      if (type == G_TYPE_INVALID)
        g_error ("%s: template class %s not found", path, class_name);
      g_assert_true (g_type_is_a (type, GTK_TYPE_WIDGET));

      object = g_object_new (type, NULL);
      assert_rows_plain (GTK_WIDGET (object), path);
      show_and_destroy (GTK_WIDGET (object), TRUE);
    }
  else
    {
      g_autoptr(GtkBuilder) builder = gtk_builder_new ();
      g_autoptr(GSList) objects = NULL;

      gtk_builder_add_from_resource (builder, path, &error);
      g_assert_no_error (error);

      /* The builder owns these: no finalize check here. */
      objects = gtk_builder_get_objects (builder);
      for (GSList *l = objects; l != NULL; l = l->next)
        if (GTK_IS_WINDOW (l->data) && gtk_widget_get_parent (l->data) == NULL)
          {
            assert_rows_plain (GTK_WIDGET (l->data), path);
            show_and_destroy (GTK_WIDGET (l->data), FALSE);
          }
    }
}

static void
collect_ui_files (const char *dir,
                  GPtrArray  *out)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) children = NULL;

  children = g_resources_enumerate_children (dir, G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  g_assert_no_error (error);

  for (guint i = 0; children[i] != NULL; i++)
    {
      g_autofree char *path = g_strconcat (dir, children[i], NULL);

      if (g_str_has_suffix (children[i], "/"))
        collect_ui_files (path, out);
      else if (g_str_has_suffix (children[i], ".ui"))
        g_ptr_array_add (out, g_steal_pointer (&path));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);

  kg_test_init (&argc, &argv);
  gtk_init ();
  adw_init ();

  collect_ui_files (RESOURCE_PREFIX "/", files);
  /* The window, the preferences window and the shortcuts window at least. */
  g_assert_cmpuint (files->len, >=, 3);

  for (guint i = 0; i < files->len; i++)
    {
      const char *path = g_ptr_array_index (files, i);
      g_autofree char *test_path = g_strconcat ("/ui/templates", path + strlen (RESOURCE_PREFIX),
                                                NULL);

      g_test_add_data_func (test_path, path, test_ui_file);
    }

  return g_test_run ();
}
