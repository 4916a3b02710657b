/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Loads 1, 5 and 20 MiB JSON bodies into a mapped KgResponseView and prints
 * the time until the first slice is on screen, the time until the whole body
 * is in the buffer, and the longest main-loop stall (measured with a 10 ms
 * timeout source), during the load and in the second after it (layout and
 * highlighting continue in idle).
 *
 * Two shapes per size: "records" (a JSON-RPC search_read-like array, many
 * short lines once pretty-printed) and "one-line" (the demo server's
 * /hostile/huge shape: one string of that size).
 *
 * Run under a display: .ci/headless-session build/tests/bench/bench-response-view
 * Options: --sizes 1,5,20  --shapes records,one-line */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "kg-response-view.h"

typedef struct
{
  gint64 last;
  gint64 max_gap;
  guint  ticks;
} Probe;

static gboolean
probe_tick_cb (gpointer data)
{
  Probe *probe = data;
  gint64 now = g_get_monotonic_time ();

  if (probe->last != 0)
    probe->max_gap = MAX (probe->max_gap, now - probe->last);
  probe->last = now;
  probe->ticks++;
  return G_SOURCE_CONTINUE;
}

static char *
make_body (const char *shape,
           guint       mib)
{
  gsize size = (gsize) mib * 1024 * 1024;
  GString *json;

  if (g_str_equal (shape, "one-line"))
    {
      json = g_string_sized_new (size + 64);
      g_string_append (json, "{\"jsonrpc\": \"2.0\", \"id\": 1, \"result\": \"");
      for (gsize i = 0; i < size; i++)
        g_string_append_c (json, 'x');
      g_string_append (json, "\"}");
      return g_string_free (json, FALSE);
    }

  json = g_string_sized_new (size + 256);
  g_string_append (json, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[");
  for (guint i = 0; json->len < size; i++)
    g_string_append_printf (json, "%s{\"id\":%u,\"name\":\"Project %u\",\"amount\":0.1,"
                            "\"description\":\"<p>Lorem ipsum dolor sit amet %u</p>\","
                            "\"tag_ids\":[1,2,3],\"user_id\":[6,\"Alice\"]}",
                            i ? "," : "", i + 1, i + 1, i);
  g_string_append (json, "]}");
  return g_string_free (json, FALSE);
}

static gboolean
buffer_has_text (GtkTextView *view)
{
  return gtk_text_buffer_get_char_count (gtk_text_view_get_buffer (view)) > 0;
}

static void
run (KgResponseView *view,
     const char     *shape,
     guint           mib)
{
  g_autofree char *body = make_body (shape, mib);
  g_autoptr(KgExchange) exchange = kg_exchange_new ("POST", "http://127.0.0.1/jsonrpc");
  GtkTextView *text_view = GTK_TEXT_VIEW (gtk_widget_get_template_child (GTK_WIDGET (view),
                                                                          KG_TYPE_RESPONSE_VIEW,
                                                                          "body_view"));
  Probe probe = { 0 };
  gint64 start, first = 0, loaded, after_gap;
  guint id;

  kg_exchange_set_response (exchange, 200, "OK", "application/json", body, strlen (body), NULL);

  id = g_timeout_add (10, probe_tick_cb, &probe);
  start = g_get_monotonic_time ();
  kg_response_view_set_exchange (view, exchange);
  while (kg_response_view_get_loading (view))
    {
      g_main_context_iteration (NULL, TRUE);
      if (first == 0 && buffer_has_text (text_view))
        first = g_get_monotonic_time ();
    }
  loaded = g_get_monotonic_time ();
  if (first == 0)
    first = loaded;
  {
    gint64 during = probe.max_gap;

    probe.max_gap = 0;
    while (g_get_monotonic_time () < loaded + G_USEC_PER_SEC)
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    /* A stall still running when the second ends counts too. */
    after_gap = MAX (probe.max_gap, g_get_monotonic_time () - probe.last);
    probe.max_gap = during;
  }
  g_source_remove (id);

  g_print ("%-9s %3u MiB  first slice %7.1f ms  all in buffer %8.1f ms  "
           "longest stall while loading %6.1f ms, in the second after %6.1f ms  (%u ticks)\n",
           shape, mib, (first - start) / 1000.0, (loaded - start) / 1000.0,
           probe.max_gap / 1000.0, after_gap / 1000.0, probe.ticks);

  kg_response_view_clear (view);
  while (g_main_context_iteration (NULL, FALSE));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *sizes_arg = NULL;
  g_autofree char *shapes_arg = NULL;
  g_auto(GStrv) sizes = NULL;
  g_auto(GStrv) shapes = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new ("- KgResponseView load benchmark");
  g_autoptr(GError) error = NULL;
  GOptionEntry entries[] = {
    { "sizes", 0, 0, G_OPTION_ARG_STRING, &sizes_arg, "Body sizes in MiB (1,5,20)", "LIST" },
    { "shapes", 0, 0, G_OPTION_ARG_STRING, &shapes_arg, "records,one-line", "LIST" },
    { NULL }
  };
  GtkWidget *window;
  KgResponseView *view;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  gtk_init ();
  adw_init ();

  sizes = g_strsplit (sizes_arg ? sizes_arg : "1,5,20", ",", -1);
  shapes = g_strsplit (shapes_arg ? shapes_arg : "records,one-line", ",", -1);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 800);
  view = KG_RESPONSE_VIEW (kg_response_view_new ());
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (window))
    g_main_context_iteration (NULL, TRUE);
  /* Mapped is not drawn: the window's first frame (renderer set-up,
   * shaders, fonts) would land in the first body's figures. Let it paint
   * and settle for half a second. */
  {
    GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
    gint64 painted = gdk_frame_clock_get_frame_counter (clock);
    gint64 until;

    while (gdk_frame_clock_get_frame_counter (clock) < painted + 2)
      {
        gtk_widget_queue_draw (window);
        g_main_context_iteration (NULL, TRUE);
      }
    until = g_get_monotonic_time () + G_USEC_PER_SEC / 2;
    while (g_get_monotonic_time () < until)
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
  }

  g_print ("renderer: %s\n", G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window))));
  for (guint s = 0; shapes[s] != NULL; s++)
    for (guint i = 0; sizes[i] != NULL; i++)
      run (view, shapes[s], (guint) g_ascii_strtoull (sizes[i], NULL, 10));

  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
