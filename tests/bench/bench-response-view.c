/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Loads 1, 5 and 20 MiB JSON bodies into a mapped KgResponseView and prints
 * the time until the first slice is on screen, the time until the whole body
 * is in the buffer, and the longest main-loop stall (measured with a 10 ms
 * timeout source), during the load and in the second after it (layout and
 * highlighting continue in idle), and then what drawing one scroll step
 * of the body costs: the floor under any stall in which the window draws
 * a frame.
 *
 * Two shapes per size: "records" (a JSON-RPC search_read-like array, many
 * short lines once pretty-printed) and "one-line" (the demo server's
 * /hostile/huge shape: one string of that size).
 *
 * The window has the Requests page's shape: a header bar, a request
 * editor showing a model call (its JSON fields highlighted) and the
 * response view beside it, so the first body pays what it pays in the app
 * and not the process's first SVG icon or first monospace glyphs (--bare:
 * the response view alone in a plain window, as this bench had it first).
 *
 * Run under a display: .ci/headless-session build/tests/bench/bench-response-view
 * Options: --sizes 1,5,20  --shapes records,one-line  --after SECONDS (how
 * long "after" lasts: 3, long enough for the highlighting of a 1 MiB body
 * to end)  --bare  --frames (print every stall over 25 ms and the first
 * frames of each load: where a stall falls) */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "kg-request-editor.h"
#include "kg-response-view.h"

static gboolean print_frames;

typedef struct
{
  gint64 start;
  gint64 last;
  gint64 max_gap;
  guint  ticks;
} Probe;

static gboolean
probe_tick_cb (gpointer data)
{
  Probe *probe = data;
  gint64 now = g_get_monotonic_time ();

  if (probe->last != 0 && print_frames && now - probe->last > 25 * 1000)
    g_print ("  stall %5.1f ms ending at %.1f ms\n", (now - probe->last) / 1000.0,
             (now - probe->start) / 1000.0);
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

/* One scroll step of @widget (the body view) down and back, each drawn:
 * snapshot and render of a frame in which every line shown moved, from the
 * end of the frame's layout to its after-paint. What drawing a screenful
 * of the body costs, the floor under any stall in which it is drawn. (A
 * redraw without a change draws nothing: GTK renders only what differs.) */
typedef struct
{
  gint64 laid_out;
  gint64 painted;
} FrameTimes;

static void
frame_laid_out_cb (GdkFrameClock *clock,
                   FrameTimes    *frame)
{
  frame->laid_out = g_get_monotonic_time ();
}

static void
frame_painted_cb (GdkFrameClock *clock,
                  FrameTimes    *frame)
{
  if (frame->laid_out != 0 && frame->painted == 0)
    frame->painted = g_get_monotonic_time ();
}

static double
measure_scroll_step (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  double best = G_MAXDOUBLE;

  /* The least of four: a frame that met other work is not the cost. */
  for (guint i = 0; i < 4; i++)
    {
      FrameTimes frame = { 0 };
      gulong layout_id = g_signal_connect (clock, "layout", G_CALLBACK (frame_laid_out_cb),
                                           &frame);
      gulong paint_id = g_signal_connect (clock, "after-paint",
                                          G_CALLBACK (frame_painted_cb), &frame);

      GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (widget));
      double step = gtk_adjustment_get_step_increment (adjustment);

      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) +
                                (i % 2 == 0 ? step : -step));
      /* A paint alone skips the layout phase, whose end marks the start. */
      gtk_widget_queue_draw (widget);
      gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_LAYOUT);
      while (frame.painted == 0)
        g_main_context_iteration (NULL, TRUE);
      g_signal_handler_disconnect (clock, layout_id);
      g_signal_handler_disconnect (clock, paint_id);
      best = MIN (best, (frame.painted - frame.laid_out) / 1000.0);
    }
  return best;
}

/* --frames: the first frames of a load, each split into its update and
 * layout, and its paint (snapshot and render). */
typedef struct
{
  gint64 begin;
  gint64 laid_out;
  gint64 painted;
} FrameSpan;

typedef struct
{
  gint64    start;
  FrameSpan spans[8];
  guint     n_spans;
} FrameTrace;

static void
trace_update_cb (GdkFrameClock *clock,
                 FrameTrace    *trace)
{
  if (trace->n_spans < G_N_ELEMENTS (trace->spans))
    trace->spans[trace->n_spans] = (FrameSpan) { .begin = g_get_monotonic_time () };
}

static void
trace_layout_cb (GdkFrameClock *clock,
                 FrameTrace    *trace)
{
  if (trace->n_spans < G_N_ELEMENTS (trace->spans))
    trace->spans[trace->n_spans].laid_out = g_get_monotonic_time ();
}

static void
trace_painted_cb (GdkFrameClock *clock,
                  FrameTrace    *trace)
{
  if (trace->n_spans < G_N_ELEMENTS (trace->spans) && trace->spans[trace->n_spans].begin != 0)
    trace->spans[trace->n_spans++].painted = g_get_monotonic_time ();
}

static void
print_trace (const FrameTrace *trace)
{
  for (guint i = 0; i < trace->n_spans; i++)
    {
      const FrameSpan *span = &trace->spans[i];

      if (span->laid_out == 0)
        g_print ("  frame %u at %6.1f ms: paint only, %5.1f ms\n", i,
                 (span->begin - trace->start) / 1000.0, (span->painted - span->begin) / 1000.0);
      else
        g_print ("  frame %u at %6.1f ms: update and layout %5.1f ms, paint %5.1f ms\n", i,
                 (span->begin - trace->start) / 1000.0, (span->laid_out - span->begin) / 1000.0,
                 (span->painted - span->laid_out) / 1000.0);
    }
}

/* The longest wait for a painted frame while the text goes in (from the
 * first slice on: while the body is formatted nothing changes on screen):
 * a main loop that ticks but never paints shows a frozen window all the
 * same. */
typedef struct
{
  gint64 last;
  gint64 max_gap;
} PaintGap;

static void
paint_gap_cb (GdkFrameClock *clock,
              PaintGap      *gap)
{
  gint64 now = g_get_monotonic_time ();

  if (gap->last != 0)
    gap->max_gap = MAX (gap->max_gap, now - gap->last);
  gap->last = now;
}

static gboolean
buffer_has_text (GtkTextView *view)
{
  return gtk_text_buffer_get_char_count (gtk_text_view_get_buffer (view)) > 0;
}

static void
run (KgResponseView *view,
     const char     *shape,
     guint           mib,
     guint           after)
{
  g_autofree char *body = make_body (shape, mib);
  g_autoptr(KgExchange) exchange = kg_exchange_new ("POST", "http://127.0.0.1/jsonrpc");
  GtkTextView *text_view = GTK_TEXT_VIEW (gtk_widget_get_template_child (GTK_WIDGET (view),
                                                                          KG_TYPE_RESPONSE_VIEW,
                                                                          "body_view"));
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (view));
  FrameTrace trace = { 0 };
  gulong trace_ids[3] = { 0 };
  PaintGap paint_gap = { 0 };
  gulong paint_gap_id;
  Probe probe = { 0 };
  gint64 start, first = 0, loaded, after_gap;
  double scroll_step;
  guint id;

  kg_exchange_set_response (exchange, 200, "OK", "application/json", body, strlen (body), NULL);

  if (print_frames)
    {
      trace_ids[0] = g_signal_connect (clock, "update", G_CALLBACK (trace_update_cb), &trace);
      trace_ids[1] = g_signal_connect (clock, "layout", G_CALLBACK (trace_layout_cb), &trace);
      trace_ids[2] = g_signal_connect (clock, "after-paint", G_CALLBACK (trace_painted_cb),
                                       &trace);
    }
  id = g_timeout_add (10, probe_tick_cb, &probe);
  paint_gap_id = g_signal_connect (clock, "after-paint", G_CALLBACK (paint_gap_cb), &paint_gap);
  /* From Send on: a stall before the first tick counts too. */
  start = probe.start = probe.last = trace.start = g_get_monotonic_time ();
  kg_response_view_set_exchange (view, exchange);
  if (print_frames)
    g_print ("  set_exchange returned after %.1f ms\n",
             (g_get_monotonic_time () - start) / 1000.0);
  while (kg_response_view_get_loading (view))
    {
      g_main_context_iteration (NULL, TRUE);
      if (first == 0 && buffer_has_text (text_view))
        first = paint_gap.last = g_get_monotonic_time ();
    }
  loaded = g_get_monotonic_time ();
  g_signal_handler_disconnect (clock, paint_gap_id);
  if (paint_gap.last != 0)
    paint_gap.max_gap = MAX (paint_gap.max_gap, loaded - paint_gap.last);
  if (first == 0)
    first = loaded;
  {
    gint64 during = probe.max_gap;

    probe.max_gap = 0;
    while (g_get_monotonic_time () < loaded + (gint64) after * G_USEC_PER_SEC)
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    /* A stall still running when the second ends counts too. */
    after_gap = MAX (probe.max_gap, g_get_monotonic_time () - probe.last);
    probe.max_gap = during;
  }
  g_source_remove (id);
  for (guint i = 0; i < G_N_ELEMENTS (trace_ids); i++)
    if (trace_ids[i] != 0)
      g_signal_handler_disconnect (clock, trace_ids[i]);
  scroll_step = measure_scroll_step (GTK_WIDGET (text_view));

  g_print ("%-9s %3u MiB  first slice %7.1f ms  all in buffer %8.1f ms  "
           "longest stall while loading %6.1f ms, in the %u s after %6.1f ms  (%u ticks); "
           "longest wait for a frame while the text goes in %6.1f ms; one scroll step drawn %5.1f ms\n",
           shape, mib, (first - start) / 1000.0, (loaded - start) / 1000.0,
           probe.max_gap / 1000.0, after, after_gap / 1000.0, probe.ticks,
           paint_gap.max_gap / 1000.0, scroll_step);
  if (print_frames)
    print_trace (&trace);

  kg_response_view_clear (view);
  while (g_main_context_iteration (NULL, FALSE));
}

/* A header bar with a menu button, a request editor showing a search_read
 * call, and @view beside it: what is on screen when Send is pressed. */
static GtkWidget *
page_shaped_window_new (KgResponseView *view)
{
  GtkWidget *window = adw_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *menu = gtk_menu_button_new ();
  GtkWidget *paned = gtk_paned_new (GTK_ORIENTATION_HORIZONTAL);
  GtkWidget *editor = kg_request_editor_new ();
  g_autoptr(JsonNode) request = json_from_string ("{\"name\": \"list the projects\", "
                                                  "\"call\": {\"model\": \"project.project\", "
                                                  "\"method\": \"search_read\", "
                                                  "\"args\": [[[\"active\", \"=\", true]]], "
                                                  "\"kwargs\": {\"fields\": [\"name\", "
                                                  "\"user_id\"], \"limit\": 80}}}", NULL);

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (menu), "open-menu-symbolic");
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), menu);
  gtk_box_append (GTK_BOX (box), header);
  kg_request_editor_set_request (KG_REQUEST_EDITOR (editor), json_node_get_object (request));
  gtk_widget_set_margin_start (editor, 12);
  gtk_widget_set_margin_end (editor, 12);
  gtk_widget_set_margin_start (GTK_WIDGET (view), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (view), 12);
  gtk_paned_set_start_child (GTK_PANED (paned), editor);
  gtk_paned_set_end_child (GTK_PANED (paned), GTK_WIDGET (view));
  gtk_paned_set_position (GTK_PANED (paned), 380);
  gtk_widget_set_vexpand (paned, TRUE);
  gtk_box_append (GTK_BOX (box), paned);
  adw_window_set_content (ADW_WINDOW (window), box);
  return window;
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
  gboolean bare = FALSE;
  int after = 3;
  GOptionEntry entries[] = {
    { "after", 0, 0, G_OPTION_ARG_INT, &after, "Seconds watched after the load (3)", "S" },
    { "bare", 0, 0, G_OPTION_ARG_NONE, &bare, "The response view alone in a plain window",
      NULL },
    { "frames", 0, 0, G_OPTION_ARG_NONE, &print_frames, "Print stalls and frames", NULL },
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

  view = KG_RESPONSE_VIEW (kg_response_view_new ());
  if (bare)
    {
      window = gtk_window_new ();
      gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
      gtk_window_set_default_size (GTK_WINDOW (window), 1000, 800);
    }
  else
    {
      /* The app's default size. */
      window = page_shaped_window_new (view);
      gtk_window_set_default_size (GTK_WINDOW (window), 900, 640);
    }
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
      run (view, shapes[s], (guint) g_ascii_strtoull (sizes[i], NULL, 10), (guint) MAX (after, 1));

  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
