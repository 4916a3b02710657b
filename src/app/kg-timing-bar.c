/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Timing tab of the response view: the phases of one exchange as a
 * coloured bar and as a legend of durations. */
#define G_LOG_DOMAIN "keygate-app"

#include "config.h"

#include <glib/gi18n.h>

#include "kg-timing-bar.h"

struct _KgTimingBar
{
  AdwBin          parent_instance;

  GtkDrawingArea *timing_area;
  GtkGrid        *timing_grid;

  KgTiming        timing;
};

G_DEFINE_FINAL_TYPE (KgTimingBar, kg_timing_bar, ADW_TYPE_BIN)

/* Timing phases, in bar order. */
static const struct {
  const char *title;
  double      r, g, b;
} phases[] = {
  { N_("DNS"),                   0.21, 0.52, 0.89 },
  { N_("Connect"),               0.15, 0.64, 0.41 },
  { N_("TLS"),                   0.57, 0.25, 0.67 },
  { N_("Request"),               0.90, 0.65, 0.04 },
  { N_("Waiting (first byte)"),  0.89, 0.42, 0.15 },
  { N_("Download"),              0.11, 0.63, 0.68 },
};
#define N_PHASES G_N_ELEMENTS (phases)

static const KgTiming unknown_timing = { -1, -1, -1, -1, -1, -1, -1 };

char *
kg_timing_bar_format_duration (gint64 us)
{
  if (us < 0)
    return g_strdup ("—");
  if (us >= 10 * G_USEC_PER_SEC)
    return g_strdup_printf (_("%.1f s"), us / (double) G_USEC_PER_SEC);
  return g_strdup_printf (_("%.1f ms"), us / 1000.0);
}

static gint64
phase_us (const KgTiming *timing,
          guint           phase)
{
  switch (phase)
    {
    case 0: return timing->dns_us;
    case 1: return timing->connect_us;
    case 2: return timing->tls_us;
    case 3: return timing->request_us;
    case 4: return timing->wait_us;
    case 5: return timing->download_us;
    default: g_assert_not_reached ();
    }
}

static void
timing_draw_cb (GtkDrawingArea *area,
                cairo_t        *cr,
                int             width,
                int             height,
                gpointer        user_data)
{
  KgTimingBar *self = user_data;
  gint64 sum = 0;
  double x = 0;

  for (guint i = 0; i < N_PHASES; i++)
    sum += MAX (phase_us (&self->timing, i), 0);
  if (sum <= 0)
    {
      cairo_set_source_rgba (cr, 0.5, 0.5, 0.5, 0.25);
      cairo_rectangle (cr, 0, 0, width, height);
      cairo_fill (cr);
      return;
    }

  for (guint i = 0; i < N_PHASES; i++)
    {
      gint64 us = phase_us (&self->timing, i);
      double w;

      if (us <= 0)
        continue;
      /* At least 2 px so a short phase stays visible. */
      w = MAX (2.0, width * (double) us / (double) sum);
      cairo_set_source_rgb (cr, phases[i].r, phases[i].g, phases[i].b);
      cairo_rectangle (cr, x, 0, MIN (w, width - x), height);
      cairo_fill (cr);
      x += w;
      if (x >= width)
        break;
    }
}

static void
swatch_draw_cb (GtkDrawingArea *area,
                cairo_t        *cr,
                int             width,
                int             height,
                gpointer        user_data)
{
  guint i = GPOINTER_TO_UINT (user_data);

  cairo_set_source_rgb (cr, phases[i].r, phases[i].g, phases[i].b);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_fill (cr);
}

static void
build_timing_grid (KgTimingBar *self)
{
  for (guint i = 0; i <= N_PHASES; i++)
    {
      GtkWidget *title = gtk_label_new (i < N_PHASES ? _(phases[i].title) : _("Total"));
      GtkWidget *value = gtk_label_new ("—");

      if (i < N_PHASES)
        {
          GtkWidget *swatch = gtk_drawing_area_new ();

          gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (swatch), 12);
          gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (swatch), 12);
          gtk_widget_set_valign (swatch, GTK_ALIGN_CENTER);
          gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (swatch), swatch_draw_cb,
                                          GUINT_TO_POINTER (i), NULL);
          gtk_grid_attach (self->timing_grid, swatch, 0, i, 1, 1);
        }
      else
        gtk_widget_add_css_class (title, "heading");

      gtk_label_set_xalign (GTK_LABEL (title), 0);
      gtk_label_set_xalign (GTK_LABEL (value), 1);
      gtk_widget_add_css_class (value, "numeric");
      gtk_widget_set_name (value, "timing-value");
      gtk_grid_attach (self->timing_grid, title, 1, i, 1, 1);
      gtk_grid_attach (self->timing_grid, value, 2, i, 1, 1);
    }
}

static void
kg_timing_bar_class_init (KgTimingBarClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/kg-timing-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, KgTimingBar, timing_area);
  gtk_widget_class_bind_template_child (widget_class, KgTimingBar, timing_grid);
}

static void
kg_timing_bar_init (KgTimingBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->timing = unknown_timing;
  gtk_drawing_area_set_draw_func (self->timing_area, timing_draw_cb, self, NULL);
  build_timing_grid (self);
}

GtkWidget *
kg_timing_bar_new (void)
{
  return g_object_new (KG_TYPE_TIMING_BAR, NULL);
}

void
kg_timing_bar_set_timing (KgTimingBar    *self,
                          const KgTiming *timing)
{
  g_return_if_fail (KG_IS_TIMING_BAR (self));

  self->timing = timing != NULL ? *timing : unknown_timing;

  for (guint i = 0; i <= N_PHASES; i++)
    {
      GtkWidget *value = gtk_grid_get_child_at (self->timing_grid, 2, i);
      gint64 us = i < N_PHASES ? phase_us (&self->timing, i) : self->timing.total_us;
      g_autofree char *text = kg_timing_bar_format_duration (us);
      /* The connection phases that did not happen (no name to resolve, a
       * reused connection, no TLS) are not listed; the others say "—"
       * when unknown. */
      gboolean shown = i > 2 || us >= 0 || timing == NULL;

      gtk_label_set_label (GTK_LABEL (value), text);
      for (guint column = 0; column < 3; column++)
        {
          GtkWidget *cell = gtk_grid_get_child_at (self->timing_grid, column, i);

          if (cell != NULL)
            gtk_widget_set_visible (cell, shown);
        }
    }
  gtk_widget_queue_draw (GTK_WIDGET (self->timing_area));
}
