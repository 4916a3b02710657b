/* SPDX-License-Identifier: GPL-3.0-or-later */
/* KgResponseView in a real window with real exchanges from the demo server:
 * a JSON-RPC create (status, ID, pretty body, timing), the token route
 * (redacted headers, no secret anywhere in the widget tree), a classified
 * access error with its remedy, and 5 MiB bodies that load while the main
 * loop keeps running. */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include <gtksourceview/gtksource.h>

#include "kg-response-view.h"
#include "kg-timing-bar.h"
#include "kg-test-utils.h"
#include "kg-ui-test-utils.h"

static gboolean
not_loading (gpointer data)
{
  return !kg_response_view_get_loading (KG_RESPONSE_VIEW (data));
}

static GtkWidget *
child (KgResponseView *view,
       const char     *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (view), KG_TYPE_RESPONSE_VIEW, name);

  g_assert_nonnull (object);
  return GTK_WIDGET (object);
}

static const char *
label_text (KgResponseView *view,
            const char     *name)
{
  return gtk_label_get_label (GTK_LABEL (child (view, name)));
}

static char *
body_text (KgResponseView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (child (view, "body_view")));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, TRUE);
}

/* The colour the body is drawn in at @line, @offset: the foreground of
 * the tags there ("rgb(…)"), or NULL for the view's own. */
static char *
body_colour_at (KgResponseView *view,
                int             line,
                int             offset)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (child (view, "body_view")));
  g_autoptr(GSList) tags = NULL;
  char *colour = NULL;
  GtkTextIter iter;

  gtk_text_buffer_get_iter_at_line_offset (buffer, &iter, line, offset);
  tags = gtk_text_iter_get_tags (&iter);
  for (GSList *l = tags; l != NULL; l = l->next)
    {
      g_autoptr(GdkRGBA) rgba = NULL;
      gboolean set = FALSE;

      g_object_get (l->data, "foreground-set", &set, "foreground-rgba", &rgba, NULL);
      if (set && rgba != NULL)
        {
          g_free (colour);
          colour = gdk_rgba_to_string (rgba);
        }
    }
  return colour;
}

typedef struct
{
  KgResponseView *view;
  int             line;
  int             offset;
  gboolean        scroll_to_end;
} BodySpot;

static gboolean
is_coloured (gpointer data)
{
  BodySpot *spot = data;
  g_autofree char *colour = body_colour_at (spot->view, spot->line, spot->offset);

  if (spot->scroll_to_end)
    {
      GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (
        GTK_SCROLLABLE (child (spot->view, "body_view")));

      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
    }

  return colour != NULL;
}

/* The value label of the header row named @name in @list, or NULL. */
static const char *
header_value (GtkWidget  *list,
              const char *name)
{
  for (GtkWidget *row = gtk_widget_get_first_child (list); row; row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *box;
      GtkWidget *name_label;

      if (!GTK_IS_LIST_BOX_ROW (row))
        continue;
      box = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row));
      name_label = gtk_widget_get_first_child (box);
      if (g_ascii_strcasecmp (gtk_label_get_label (GTK_LABEL (name_label)), name) == 0)
        return gtk_label_get_label (GTK_LABEL (gtk_widget_get_next_sibling (name_label)));
    }
  return NULL;
}

typedef struct
{
  GtkWidget      *window;
  KgResponseView *view;
  KgHttp         *http;
  GPtrArray      *recorded;
} Fixture;

static void
recorded_cb (KgHttp     *http,
             KgExchange *exchange,
             GPtrArray  *recorded)
{
  g_ptr_array_add (recorded, g_object_ref (exchange));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 900, 700);
  f->view = KG_RESPONSE_VIEW (kg_response_view_new ());
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->view));
  gtk_window_present (GTK_WINDOW (f->window));
  kg_ui_test_wait_for (kg_ui_test_is_mapped, f->window, "the window to be mapped");

  f->http = kg_http_new ();
  f->recorded = g_ptr_array_new_with_free_func (g_object_unref);
  g_signal_connect (f->http, "exchange-recorded", G_CALLBACK (recorded_cb), f->recorded);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gpointer weak = f->view;

  g_object_add_weak_pointer (G_OBJECT (f->view), &weak);
  gtk_window_destroy (GTK_WINDOW (f->window));
  kg_ui_test_wait_for (kg_ui_test_is_null, &weak, "the response view to be finalized");
  g_clear_pointer (&f->recorded, g_ptr_array_unref);
  g_clear_object (&f->http);
}

static KgCreateResult *
create_project (Fixture       *f,
                KgProfile     *profile,
                KgTokenClient *client,
                const char    *key,
                KgCreateVia    via,
                GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  KgProjectValues values = { .name = "Response view test", .description = "from the UI test" };

  kg_record_create_project_async (f->http, profile, client, key, &values, via, NULL,
                                  kg_test_store_result_cb, &result);
  g_autoptr(GAsyncResult) done = NULL;

  done = kg_test_wait_result (&result);   /* owned */
  return kg_record_create_project_finish (done, error);
}

static void
read_text_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  char **out = user_data;

  *out = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);
  if (*out == NULL)
    *out = g_strdup ("");
}

static char *
clipboard_text (GtkWidget *widget)
{
  char *text = NULL;

  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (widget), NULL, read_text_cb, &text);
  while (text == NULL)
    g_main_context_iteration (NULL, TRUE);
  return text;
}

static void
test_jsonrpc_create (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(KgProfile) profile = kg_test_demo_profile ("alice");
  g_autoptr(KgCreateResult) created = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *body = NULL;
  g_autofree char *status = NULL;
  KgExchange *exchange;
  guint timing_labels = 0;
  GtkWidget *grid;

  created = create_project (f, profile, NULL, KG_DEMO_ALICE_KEY, KG_CREATE_VIA_JSONRPC, &error);
  g_assert_no_error (error);
  exchange = kg_create_result_get_exchange (created);

  kg_response_view_set_profile (f->view, profile);
  kg_response_view_set_exchange (f->view, exchange);
  kg_response_view_set_result (f->view, kg_create_result_get_id (created),
                               kg_create_result_get_message (created));
  kg_ui_test_wait_for (not_loading, f->view, "the body to load");

  status = g_strdup_printf ("%u", kg_exchange_get_status (exchange));
  g_assert_cmpuint (kg_exchange_get_status (exchange), ==, 200);
  g_assert_true (g_str_has_prefix (label_text (f->view, "status_label"), "200"));
  g_assert_true (gtk_widget_has_css_class (child (f->view, "status_label"), "success"));
  g_assert_true (g_str_has_suffix (label_text (f->view, "time_label"), "ms"));

  /* The ID, as the server created it, prominently. */
  id = g_strdup_printf ("%" G_GINT64_FORMAT, kg_create_result_get_id (created));
  g_assert_cmpint (kg_create_result_get_id (created), >, 0);
  g_assert_cmpstr (label_text (f->view, "record_id_label"), ==, id);
  g_assert_true (gtk_widget_get_visible (child (f->view, "result_box")));
  g_assert_true (gtk_widget_is_visible (child (f->view, "record_id_label")));
  g_assert_true (gtk_widget_get_sensitive (child (f->view, "open_button")));
  g_assert_cmpstr (label_text (f->view, "result_message_label"), ==,
                   kg_create_result_get_message (created));
  g_assert_false (gtk_widget_get_visible (child (f->view, "error_box")));

  /* The body is the server's JSON, pretty-printed with the id in it. */
  body = body_text (f->view);
  g_assert_true (g_str_has_prefix (body, "{\n  \""));
  g_assert_nonnull (strstr (body, "\"jsonrpc\": \"2.0\""));
  g_assert_true (gtk_source_view_get_show_line_numbers (GTK_SOURCE_VIEW (child (f->view,
                                                                                "body_view"))));
  g_assert_nonnull (strstr (body, id));
  /* Coloured as JSON: line 1 is `  "jsonrpc": "2.0",`; the key, the
   * string after it in another colour, the colon in the text's own. */
  {
    BodySpot key = { f->view, 1, 3 };
    g_autofree char *key_colour = NULL;
    g_autofree char *value_colour = NULL;
    g_autofree char *colon_colour = NULL;

    kg_ui_test_wait_for (is_coloured, &key, "the body to be coloured");
    key_colour = body_colour_at (f->view, 1, 3);
    value_colour = body_colour_at (f->view, 1, 14);
    colon_colour = body_colour_at (f->view, 1, 11);
    g_assert_nonnull (value_colour);
    g_assert_cmpstr (key_colour, !=, value_colour);
    g_assert_null (colon_colour);

    /* The dark style has colours of its own. */
    {
      AdwStyleManager *style = adw_style_manager_get_default ();
      g_autofree char *dark_colour = NULL;

      adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
      dark_colour = body_colour_at (f->view, 1, 3);
      adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
      g_assert_nonnull (dark_colour);
      g_assert_cmpstr (dark_colour, !=, key_colour);
      g_free (dark_colour);
      dark_colour = body_colour_at (f->view, 1, 3);
      g_assert_cmpstr (dark_colour, ==, key_colour);
    }
  }

  /* Timing: a label per phase plus the total, the total known. */
  grid = GTK_WIDGET (gtk_widget_get_template_child (child (f->view, "timing_bar"),
                                                    KG_TYPE_TIMING_BAR, "timing_grid"));
  for (GtkWidget *c = gtk_widget_get_first_child (grid); c; c = gtk_widget_get_next_sibling (c))
    if (g_strcmp0 (gtk_widget_get_name (c), "timing-value") == 0)
      timing_labels++;
  g_assert_cmpuint (timing_labels, ==, 7);
  g_assert_true (g_str_has_suffix (gtk_label_get_label (GTK_LABEL (gtk_grid_get_child_at (GTK_GRID (grid), 2, 6))),
                                   "ms"));
  kg_ui_test_save_screenshot (f->window, "response-view-body");
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (child (f->view, "view_stack")), "timing");
  kg_ui_test_save_screenshot (f->window, "response-view-timing");
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (child (f->view, "view_stack")), "body");

  /* The API key went in the JSON-RPC body: it is shown redacted only. */
  g_assert_nonnull (strstr (label_text (f->view, "request_line_label"), "<API_KEY>"));
  kg_ui_test_assert_tree_lacks (f->window, KG_DEMO_ALICE_KEY);

  /* Search finds the id in the body. */
  gtk_editable_set_text (GTK_EDITABLE (child (f->view, "search_entry")), "\"jsonrpc\"");
  while (g_main_context_iteration (NULL, FALSE));
  g_signal_emit_by_name (child (f->view, "search_next_button"), "clicked");
  {
    GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (child (f->view, "body_view")));
    gint64 until = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

    while (!gtk_text_buffer_get_has_selection (buffer) && g_get_monotonic_time () < until)
      g_main_context_iteration (NULL, TRUE);
    g_assert_true (gtk_text_buffer_get_has_selection (buffer));
  }

  /* Copy as curl: a command with the key as a shell variable. */
  g_signal_emit_by_name (child (f->view, "curl_button"), "clicked");
  {
    g_autofree char *curl = clipboard_text (GTK_WIDGET (f->view));

    g_assert_true (g_str_has_prefix (curl, "curl "));
    g_assert_nonnull (strstr (curl, "/jsonrpc"));
    g_assert_nonnull (strstr (curl, "$ODOO_API_KEY"));
    g_assert_null (strstr (curl, KG_DEMO_ALICE_KEY));
  }

  /* Copy the ID. */
  g_signal_emit_by_name (child (f->view, "copy_id_button"), "clicked");
  {
    g_autofree char *copied = clipboard_text (GTK_WIDGET (f->view));

    g_assert_cmpstr (copied, ==, id);
  }

  /* Clearing goes back to the empty state. */
  kg_response_view_clear (f->view);
  g_assert_true (gtk_widget_get_visible (child (f->view, "empty_page")));
  g_assert_false (gtk_widget_get_visible (child (f->view, "content_box")));
  g_assert_cmpint (kg_response_view_get_record_id (f->view), ==, 0);
}

/* At 720 px (the two-factor exchange window, a narrow main window) the view
 * fits without scrolling sideways on every tab; and when it is the first
 * widget of a window, no label takes the focus with its text selected. */
static void
test_narrow_no_focus (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(KgProfile) profile = kg_test_demo_profile ("alice");
  g_autoptr(KgCreateResult) created = NULL;
  g_autoptr(GError) error = NULL;
  static const char *tabs[] = { "body", "headers", "timing" };
  GtkWidget *window;
  KgResponseView *view;
  GtkWidget *focus;
  gpointer weak;
  int start, end;

  created = create_project (f, profile, NULL, KG_DEMO_ALICE_KEY, KG_CREATE_VIA_JSONRPC, &error);
  g_assert_no_error (error);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 720, 600);
  view = KG_RESPONSE_VIEW (kg_response_view_new ());
  weak = view;
  g_object_add_weak_pointer (G_OBJECT (view), &weak);
  kg_response_view_set_profile (view, profile);
  kg_response_view_set_exchange (view, kg_create_result_get_exchange (created));
  kg_response_view_set_result (view, kg_create_result_get_id (created),
                               kg_create_result_get_message (created));
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (window));
  kg_ui_test_wait_for (kg_ui_test_is_mapped, window, "the window to be mapped");
  kg_ui_test_wait_for (not_loading, view, "the body to load");
  kg_ui_test_run_for (200);

  for (guint i = 0; i < G_N_ELEMENTS (tabs); i++)
    {
      int minimum = 0;

      adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (child (view, "view_stack")), tabs[i]);
      kg_ui_test_run_for (100);
      gtk_widget_measure (GTK_WIDGET (view), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
      g_test_message ("%s: minimum width %d, width %d", tabs[i], minimum,
                      gtk_widget_get_width (GTK_WIDGET (view)));
      g_assert_cmpint (minimum, <=, 720);
      g_assert_cmpint (gtk_widget_get_width (window), <=, 720);
      if (i == 0)
        kg_ui_test_save_screenshot (window, "response-view-720");
    }
  /* Narrower still (a tiled half screen), with a long URL without spaces:
   * the summary and the request line wrap or ellipsize. */
  {
    g_autoptr(GString) url = g_string_new ("http://127.0.0.1:8069/json/2/project.project/");
    g_autoptr(KgExchange) long_one = NULL;

    for (guint i = 0; i < 12; i++)
      g_string_append (url, "a-very-long-path-segment/");
    long_one = kg_exchange_new ("POST", url->str);
    kg_exchange_set_label (long_one, url->str);
    kg_exchange_set_response (long_one, 200, "OK", "application/json", "{}", 2, NULL);
    kg_response_view_set_exchange (view, long_one);
    kg_ui_test_wait_for (not_loading, view, "the body to load");
    for (guint i = 0; i < G_N_ELEMENTS (tabs); i++)
      {
        int minimum = 0;

        adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (child (view, "view_stack")), tabs[i]);
        kg_ui_test_run_for (50);
        gtk_widget_measure (GTK_WIDGET (view), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
        g_test_message ("long URL, %s: minimum width %d", tabs[i], minimum);
        g_assert_cmpint (minimum, <=, 480);
        if (i == 1)
          kg_ui_test_save_screenshot (window, "response-view-720-long-url");
      }
    g_assert_cmpint (gtk_widget_get_width (window), <=, 720);
    adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (child (view, "view_stack")), "body");
  }

  /* No label took the focus on map, and none shows selected text. */
  focus = gtk_window_get_focus (GTK_WINDOW (window));
  g_assert_false (GTK_IS_LABEL (focus));
  g_assert_false (gtk_widget_get_focusable (child (view, "status_label")));
  g_assert_false (gtk_label_get_selectable (GTK_LABEL (child (view, "status_label"))));
  g_assert_false (gtk_label_get_selection_bounds (GTK_LABEL (child (view, "status_label")), &start, &end));
  g_assert_false (gtk_label_get_selectable (GTK_LABEL (child (view, "result_message_label"))));
  g_assert_true (gtk_label_get_selectable (GTK_LABEL (child (view, "record_id_label"))));
  g_assert_false (gtk_label_get_selection_bounds (GTK_LABEL (child (view, "record_id_label")), &start, &end));

  gtk_window_destroy (GTK_WINDOW (window));
  kg_ui_test_wait_for (kg_ui_test_is_null, &weak, "the narrow view to be finalized");
}

static void
test_token_headers (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(KgProfile) profile = kg_test_demo_profile ("alice");
  g_autoptr(KgTokenSpec) spec = kg_token_spec_new ();
  g_autoptr(KgCreateSpec) create_spec = kg_create_spec_new ();
  g_autoptr(KgTokenClient) client = NULL;
  g_autoptr(KgCreateResult) created = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  KgExchange *key_exchange = NULL;
  KgExchange *call;
  const char *value;

  kg_profile_set_protocol (profile, KG_PROTOCOL_TOKEN);
  kg_profile_set_token_spec (profile, spec);
  kg_profile_set_create_spec (profile, create_spec);
  client = kg_token_client_new (f->http, profile);

  created = create_project (f, profile, client, KG_DEMO_ALICE_KEY, KG_CREATE_VIA_TOKEN, &error);
  g_assert_no_error (error);
  token = g_strdup (kg_token_client_peek_token (client));
  g_assert_nonnull (token);
  call = kg_create_result_get_exchange (created);

  for (guint i = 0; i < f->recorded->len; i++)
    if (g_strcmp0 (kg_exchange_get_step (g_ptr_array_index (f->recorded, i)), "exchange") == 0)
      key_exchange = g_ptr_array_index (f->recorded, i);
  g_assert_nonnull (key_exchange);

  /* The key exchange: the key header is listed, redacted. */
  kg_response_view_set_exchange (f->view, key_exchange);
  kg_ui_test_wait_for (not_loading, f->view, "the body to load");
  value = header_value (child (f->view, "request_headers_list"), "X-API-Key");
  g_assert_cmpstr (value, ==, "<API_KEY>");
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (child (f->view, "view_stack")), "headers");
  kg_ui_test_save_screenshot (f->window, "response-view-headers");
  g_assert_nonnull (header_value (child (f->view, "response_headers_list"), "Content-Type"));
  kg_ui_test_assert_tree_lacks (f->window, KG_DEMO_ALICE_KEY);
  kg_ui_test_assert_tree_lacks (f->window, token);

  /* The call: the token header is listed, redacted. */
  kg_response_view_set_exchange (f->view, call);
  kg_response_view_set_result (f->view, kg_create_result_get_id (created),
                               kg_create_result_get_message (created));
  kg_ui_test_wait_for (not_loading, f->view, "the body to load");
  value = header_value (child (f->view, "request_headers_list"), "X-Access-Token");
  if (value == NULL)
    value = header_value (child (f->view, "request_headers_list"), "Authorization");
  g_assert_nonnull (value);
  g_assert_nonnull (strstr (value, "<TOKEN>"));
  kg_ui_test_assert_tree_lacks (f->window, KG_DEMO_ALICE_KEY);
  kg_ui_test_assert_tree_lacks (f->window, token);
}

static void
test_access_error (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(KgProfile) profile = kg_test_demo_profile ("bob");
  g_autoptr(KgCreateResult) created = NULL;
  g_autoptr(GError) error = NULL;

  created = create_project (f, profile, NULL, KG_DEMO_BOB_KEY, KG_CREATE_VIA_JSONRPC, &error);
  g_assert_null (created);
  g_assert_error (error, KG_ERROR, KG_ERROR_ACCESS_ERROR);

  kg_response_view_set_error (f->view, error);
  kg_ui_test_wait_for (not_loading, f->view, "the body to load");

  g_assert_true (gtk_widget_get_visible (child (f->view, "error_box")));
  g_assert_false (gtk_widget_get_visible (child (f->view, "result_box")));
  g_assert_cmpstr (label_text (f->view, "error_title_label"), ==,
                   kg_error_code_title (KG_ERROR_ACCESS_ERROR));
  /* Odoo's own words ("… Project/Administrator …") and the remedy. */
  g_assert_nonnull (strstr (label_text (f->view, "error_message_label"), "Project/Administrator"));
  g_assert_nonnull (kg_error_get_remedy (error));
  g_assert_cmpstr (label_text (f->view, "remedy_label"), ==, kg_error_get_remedy (error));
  g_assert_true (gtk_widget_get_visible (child (f->view, "remedy_box")));
  /* JSON-RPC errors come in a 200: the heading says the call failed, in
   * words, and the status is a detail. */
  g_assert_cmpstr (label_text (f->view, "status_label"), ==,
                   kg_error_code_title (KG_ERROR_ACCESS_ERROR));
  g_assert_true (gtk_widget_has_css_class (child (f->view, "status_label"), "error"));
  g_assert_false (gtk_widget_has_css_class (child (f->view, "status_label"), "success"));
  g_assert_cmpstr (label_text (f->view, "error_status_label"), ==, "HTTP status 200");
  g_assert_cmpint (kg_response_view_get_record_id (f->view), ==, 0);
  kg_ui_test_assert_tree_lacks (f->window, KG_DEMO_BOB_KEY);
  kg_ui_test_save_screenshot (f->window, "response-view-error");

  /* An error without an exchange (nothing was sent) still explains itself. */
  {
    g_autoptr(GError) local = g_error_new_literal (KG_ERROR, KG_ERROR_KEY_NOT_FOUND,
                                                   "No API key is stored for this connection.");

    kg_response_view_set_error (f->view, local);
    g_assert_cmpstr (label_text (f->view, "error_title_label"), ==,
                     kg_error_code_title (KG_ERROR_KEY_NOT_FOUND));
    g_assert_cmpstr (label_text (f->view, "remedy_label"), ==, kg_error_get_remedy (local));
    g_assert_false (gtk_widget_get_visible (child (f->view, "view_stack")));
  }
}

/* Responsiveness probe: a 10 ms timeout counting ticks and the longest gap. */
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

/* Shows a small body first: under Xvfb the GL renderer is llvmpipe, which
 * JIT-compiles each new shader on first use (the tests get an empty Mesa
 * shader cache), and that first frame with text can take seconds whatever
 * the widget does. The stall measured afterwards is the load's own. */
static void
warm_up (Fixture *f)
{
  g_autoptr(KgExchange) exchange = kg_exchange_new ("GET", "http://127.0.0.1/warm-up");
  g_autoptr(GString) json = g_string_new ("{\"a\": [1, 2, 3], \"b\": \"");

  for (guint i = 0; i < 20000; i++)
    g_string_append_c (json, 'y');
  g_string_append (json, "\"}");
  kg_exchange_set_response (exchange, 200, "OK", "application/json", json->str, json->len, NULL);
  kg_response_view_set_exchange (f->view, exchange);
  kg_ui_test_wait_for (not_loading, f->view, "the warm-up body to load");
  kg_ui_test_run_for (1500);
}

static gint64
load_and_measure (Fixture    *f,
                  KgExchange *exchange,
                  guint      *ticks)
{
  Probe probe = { 0 };
  guint id;
  gint64 start;

  warm_up (f);

  id = g_timeout_add (10, probe_tick_cb, &probe);
  start = g_get_monotonic_time ();
  kg_response_view_set_exchange (f->view, exchange);
  g_assert_true (kg_response_view_get_loading (f->view));
  kg_ui_test_wait_for (not_loading, f->view, "the body to load");
  g_test_message ("loaded in %.0f ms", (g_get_monotonic_time () - start) / 1000.0);
  /* Layout and highlighting go on after the insertion: keep measuring. */
  kg_ui_test_run_for (1000);
  g_source_remove (id);

  g_test_message ("%u ticks, longest main-loop gap %.1f ms", probe.ticks, probe.max_gap / 1000.0);
  *ticks = probe.ticks;
  return probe.max_gap;
}

static void
test_huge_one_line (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *url = g_strconcat (kg_demo_server_get_url (kg_test_get_demo_server ()),
                                      "/hostile/huge/jsonrpc?mib=5", NULL);
  g_autoptr(KgHttpRequest) request = kg_http_request_new ("GET", url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) done = NULL;
  g_autoptr(KgExchange) exchange = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  const char *p;
  gsize xs = 0;
  gint64 gap;
  guint ticks;

  kg_http_send_async (f->http, request, NULL, kg_test_store_result_cb, &result);
  done = kg_test_wait_result (&result);   /* owned */
  exchange = kg_http_send_finish (f->http, done, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kg_exchange_get_response_size (exchange), >, 5 * 1024 * 1024);

  gap = load_and_measure (f, exchange, &ticks);
#ifndef __SANITIZE_ADDRESS__
  g_assert_cmpint (gap, <, 250 * 1000);
  g_assert_cmpuint (ticks, >, 20);
#else
  /* Under ASan every allocation is many times slower: the stall bound is
   * measured in normal builds (and by tests/bench), not here. */
  g_test_message ("longest gap under ASan: %" G_GINT64_FORMAT " us", gap);
#endif

  /* All of it is in the buffer. */
  body = body_text (f->view);
  for (p = body; *p; p++)
    xs += *p == 'x';
  g_assert_cmpuint (xs, ==, 5 * 1024 * 1024);
  g_assert_true (g_str_has_suffix (body, "\"\n}"));
  /* The 5 MiB line is broken up on screen (laying it out in one piece would
   * stall the window); Copy takes the body unchanged. */
  g_assert_true (gtk_widget_get_visible (child (f->view, "notice_label")));

  /* Not coloured: its lines are broken up. Nor analysed by a GtkSourceView
   * language, which runs its regexes over the text in idle (40 ms at a
   * time on this body). The next JSON body is coloured again. */
  {
    GtkSourceBuffer *buffer = GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (
                                                   GTK_TEXT_VIEW (child (f->view, "body_view"))));
    g_autoptr(KgExchange) small = kg_exchange_new ("POST", "http://127.0.0.1/jsonrpc");
    const char *json = "{\"jsonrpc\": \"2.0\", \"id\": 2, \"result\": [1, 2]}";
    BodySpot key = { f->view, 1, 3 };
    g_autofree char *colour = NULL;

    kg_ui_test_run_for (100);
    colour = body_colour_at (f->view, 1, 3);
    g_assert_null (colour);
    g_assert_null (gtk_source_buffer_get_language (buffer));

    kg_exchange_set_response (small, 200, "OK", "application/json", json, strlen (json), NULL);
    kg_response_view_set_exchange (f->view, small);
    kg_ui_test_wait_for (not_loading, f->view, "the small body");
    kg_ui_test_wait_for (is_coloured, &key, "the small body to be coloured");
    g_assert_null (gtk_source_buffer_get_language (buffer));
  }
}

static void
test_huge_many_lines (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(KgExchange) exchange = kg_exchange_new ("POST", "http://127.0.0.1/jsonrpc");
  g_autoptr(GString) json = g_string_new ("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[");
  g_autofree char *body = NULL;
  guint records = 0;
  gint64 gap;
  guint ticks;

  while (json->len < 5 * 1024 * 1024)
    {
      g_string_append_printf (json, "%s{\"id\":%u,\"name\":\"Project %u\",\"amount\":0.1,"
                              "\"description\":\"<p>Lorem ipsum dolor sit amet – %u</p>\","
                              "\"tag_ids\":[1,2,3],\"user_id\":[6,\"Alice\"]}",
                              records ? "," : "", records + 1, records + 1, records);
      records++;
    }
  g_string_append (json, "]}");
  kg_exchange_set_response (exchange, 200, "OK", "application/json", json->str, json->len, NULL);

  gap = load_and_measure (f, exchange, &ticks);
#ifndef __SANITIZE_ADDRESS__
  g_assert_cmpint (gap, <, 250 * 1000);
  g_assert_cmpuint (ticks, >, 20);
#else
  /* Under ASan every allocation is many times slower: the stall bound is
   * measured in normal builds (and by tests/bench), not here. */
  g_test_message ("longest gap under ASan: %" G_GINT64_FORMAT " us", gap);
#endif

  body = body_text (f->view);
  g_assert_true (g_str_has_suffix (body, "\n  ]\n}"));
  g_assert_nonnull (strstr (body, "\"amount\": 0.1,"));
  {
    g_autofree char *last = g_strdup_printf ("\"id\": %u,", records);

    g_assert_nonnull (strstr (body, last));
  }
  /* Over 10,000 lines: no line numbers (GtkSourceView's gutter stalls the
   * view for 100-200 ms on such bodies), and the notice says so. */
  g_assert_false (gtk_source_view_get_show_line_numbers (GTK_SOURCE_VIEW (child (f->view,
                                                                                 "body_view"))));
  g_assert_true (gtk_widget_get_visible (child (f->view, "notice_label")));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (child (f->view, "notice_label"))),
                            "Line numbers are off for bodies over 10000 lines."));

  /* Coloured where it is shown, not everywhere: the first record's key
   * is, the last one's is not (colouring half a million lines at once is
   * what stalled the window). The first key, "id", is on line 5; the last,
   * "user_id", 6 lines above the end. */
  {
    GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (child (f->view,
                                                                            "body_view")));
    int last_line = gtk_text_buffer_get_line_count (buffer) - 1;
    BodySpot first = { f->view, 5, 7 };
    g_autofree char *last_colour = NULL;

    g_assert_cmpint (last_line, >, 100000);
    kg_ui_test_wait_for (is_coloured, &first, "the first record to be coloured");
    kg_ui_test_run_for (200);
    last_colour = body_colour_at (f->view, last_line - 6, 7);
    g_assert_null (last_colour);
  }
}

/* What frames painted while the body was being formatted, and then while
 * its text went in, showed. */
typedef struct
{
  KgResponseView *view;
  GtkWidget      *window;
  gboolean        painted;
  char           *painted_label;
  graphene_rect_t label_bounds;
  graphene_rect_t bar_bounds;
  char           *progress_label;
  double          progress;
  guint           progress_frames;
} LoadingSeen;

static void
loading_painted_cb (GdkFrameClock *clock,
                    LoadingSeen   *seen)
{
  GtkWidget *label = child (seen->view, "loading_label");
  GtkWidget *bar = child (seen->view, "loading_bar");
  double fraction = gtk_progress_bar_get_fraction (GTK_PROGRESS_BAR (bar));

  if (!kg_response_view_get_loading (seen->view) || !gtk_widget_get_mapped (label))
    return;
  if (!seen->painted)
    {
      seen->painted = TRUE;
      seen->painted_label = g_strdup (gtk_label_get_label (GTK_LABEL (label)));
      g_assert_true (gtk_widget_compute_bounds (label, seen->window, &seen->label_bounds));
      g_assert_true (gtk_widget_compute_bounds (bar, seen->window, &seen->bar_bounds));
    }
  if (fraction > 0 && fraction < 1)
    {
      if (seen->progress_frames++ == 0)
        {
          seen->progress = fraction;
          seen->progress_label = g_strdup (gtk_label_get_label (GTK_LABEL (label)));
        }
    }
}

static void
assert_inside (GtkWidget             *window,
               const graphene_rect_t *bounds)
{
  g_assert_cmpfloat (bounds->size.width, >, 0);
  g_assert_cmpfloat (bounds->size.height, >, 0);
  g_assert_cmpfloat (bounds->origin.x, >=, 0);
  g_assert_cmpfloat (bounds->origin.y, >=, 0);
  g_assert_cmpfloat (bounds->origin.x + bounds->size.width, <=,
                     gtk_widget_get_width (window) + 0.5);
  g_assert_cmpfloat (bounds->origin.y + bounds->size.height, <=,
                     gtk_widget_get_height (window) + 0.5);
}

/* While a big body is formatted, a frame says so, with the bar inside the
 * window; as it goes in, frames are painted that say how far it is, with
 * the bar and in words (the text's timeouts used to starve the frame
 * clock: nothing was drawn until the whole body was in); once it is in,
 * neither shows. */
static void
test_loading_progress (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(KgExchange) exchange = kg_exchange_new ("POST", "http://127.0.0.1/jsonrpc");
  g_autoptr(GString) json = g_string_new ("[");
  GdkFrameClock *clock = gtk_widget_get_frame_clock (f->window);
  LoadingSeen seen = { f->view, f->window };
  gulong paint_id;

  gboolean narrow = GPOINTER_TO_INT (data);

  /* Also at 360 px with large text: the bar and the words must fit. */
  if (narrow)
    {
      g_object_set (gtk_settings_get_default (), "gtk-xft-dpi", 120 * 1024, NULL);
      gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 640);
      kg_ui_test_wait_frames (f->window, 2);
    }

  for (guint i = 0; json->len < 8 * 1024 * 1024; i++)
    g_string_append_printf (json, "%s{\"n\":%u,\"name\":\"Project %u\"}", i ? "," : "", i, i);
  g_string_append_c (json, ']');
  kg_exchange_set_response (exchange, 200, "OK", "application/json", json->str, json->len, NULL);

  paint_id = g_signal_connect (clock, "after-paint", G_CALLBACK (loading_painted_cb), &seen);
  kg_response_view_set_exchange (f->view, exchange);
  kg_ui_test_wait_for (kg_ui_test_is_true, &seen.painted, "a frame while loading");
  kg_ui_test_save_screenshot (f->window, narrow ? "response-view-loading-narrow"
                                                 : "response-view-loading");
  kg_ui_test_wait_for (not_loading, f->view, "the body to load");
  g_signal_handler_disconnect (clock, paint_id);

  g_assert_true (seen.painted);
  g_assert_cmpstr (seen.painted_label, ==, "Formatting the body…");
  assert_inside (f->window, &seen.label_bounds);
  assert_inside (f->window, &seen.bar_bounds);
  g_test_message ("%u frames as it went in, the first: %s (%.2f)", seen.progress_frames,
                  seen.progress_label, seen.progress);
  g_assert_cmpuint (seen.progress_frames, >=, 2);
  g_assert_nonnull (seen.progress_label);
  g_assert_true (g_str_has_prefix (seen.progress_label, "Loading the body: "));
  /* g_format_size puts a no-break space before the unit. */
  g_assert_nonnull (strstr (seen.progress_label, "B of 12.6\u00a0MB"));
  g_free (seen.painted_label);
  g_free (seen.progress_label);

  g_assert_false (gtk_widget_get_visible (child (f->view, "loading_box")));
  if (narrow)
    {
      g_assert_cmpint (gtk_widget_get_width (f->window), <=, 360);
      g_object_set (gtk_settings_get_default (), "gtk-xft-dpi", 96 * 1024, NULL);
    }
}

/* What comes into view is coloured as it comes: the last record of a body
 * of 20,000 lines once the view is scrolled to the end. */
static void
test_colours_what_is_shown (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(KgExchange) exchange = kg_exchange_new ("POST", "http://127.0.0.1/jsonrpc");
  g_autoptr(GString) json = g_string_new ("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[");
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (child (f->view,
                                                                          "body_view")));
  g_autofree char *colour = NULL;
  BodySpot last = { f->view, 0, 7, TRUE };

  for (guint i = 0; i < 2000; i++)
    g_string_append_printf (json, "%s{\"id\":%u,\"name\":\"Project %u\",\"active\":true,"
                            "\"user_id\":[6,\"Alice\"]}", i ? "," : "", i + 1, i + 1);
  g_string_append (json, "]}");
  kg_exchange_set_response (exchange, 200, "OK", "application/json", json->str, json->len, NULL);
  kg_response_view_set_exchange (f->view, exchange);
  kg_ui_test_wait_for (not_loading, f->view, "the body to load");

  /* Each record is 9 lines; "user_id" is 6 lines above the end. */
  last.line = gtk_text_buffer_get_line_count (buffer) - 1 - 6;
  g_assert_cmpint (last.line, >, 16000);
  kg_ui_test_run_for (200);
  colour = body_colour_at (f->view, last.line, 7);
  g_assert_null (colour);

  /* As the scroll bar dragged to its end: the view's height is an
   * estimate until every line is laid out, so keep it at the end. */
  kg_ui_test_wait_for (is_coloured, &last, "the last record to be coloured once shown");
  {
    g_autofree char *text = body_text (f->view);

    g_assert_true (g_str_has_suffix (text, "\"user_id\": [\n        6,\n        \"Alice\"\n"
                                           "      ]\n    }\n  ]\n}"));
  }
}

static void
test_new_exchange_cancels_load (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(KgExchange) big = kg_exchange_new ("GET", "http://127.0.0.1/big");
  g_autoptr(KgExchange) small = kg_exchange_new ("GET", "http://127.0.0.1/small");
  g_autoptr(GString) json = g_string_new ("[");
  g_autofree char *body = NULL;

  for (guint i = 0; json->len < 3 * 1024 * 1024; i++)
    g_string_append_printf (json, "%s{\"n\":%u}", i ? "," : "", i);
  g_string_append_c (json, ']');
  kg_exchange_set_response (big, 200, "OK", "application/json", json->str, json->len, NULL);
  kg_exchange_set_response (small, 404, "Not Found", "application/json", "{\"error\":\"gone\"}", 16, NULL);

  kg_response_view_set_exchange (f->view, big);
  kg_response_view_set_exchange (f->view, small);
  kg_ui_test_wait_for (not_loading, f->view, "the body to load");
  kg_ui_test_run_for (200);

  body = body_text (f->view);
  g_assert_cmpstr (body, ==, "{\n  \"error\": \"gone\"\n}");
  g_assert_true (g_str_has_prefix (label_text (f->view, "status_label"), "404"));
  g_assert_true (gtk_widget_has_css_class (child (f->view, "status_label"), "error"));
}

/* Bodies that are not JSON (or broken JSON) are shown as they came. */
static void
test_not_json (Fixture       *f,
               gconstpointer  data)
{
  const char *bodies[] = {
    "<html><body>Login</body></html>",
    "{\"a\": [1, 2}",
    "{\"unterminated\": \"string}",
    "[1, 2, 3]]",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(KgExchange) exchange = kg_exchange_new ("GET", "http://127.0.0.1/x");
      g_autofree char *body = NULL;

      kg_exchange_set_response (exchange, 200, "OK", i == 0 ? "text/html" : "application/json",
                                bodies[i], strlen (bodies[i]), NULL);
      kg_response_view_set_exchange (f->view, exchange);
      kg_ui_test_wait_for (not_loading, f->view, "the body to load");
      body = body_text (f->view);
      g_assert_cmpstr (body, ==, bodies[i]);
    }

  /* Above the json-glib limit the structure check alone decides. */
  {
    g_autoptr(KgExchange) exchange = kg_exchange_new ("GET", "http://127.0.0.1/big-broken");
    g_autoptr(GString) json = g_string_new ("[");
    g_autofree char *body = NULL;

    for (guint i = 0; json->len < 2 * 1024 * 1024; i++)
      g_string_append_printf (json, "%s{\"n\":%u}", i ? "," : "", i);
    g_string_append (json, "}");   /* wrong closer */
    kg_exchange_set_response (exchange, 200, "OK", "application/json", json->str, json->len, NULL);
    kg_response_view_set_exchange (f->view, exchange);
    kg_ui_test_wait_for (not_loading, f->view, "the body to load");
    /* One 2 MiB line: shown broken into lines, otherwise unchanged. */
    body = body_text (f->view);
    {
      g_auto(GStrv) lines = g_strsplit (body, "\n", -1);
      g_autofree char *joined = g_strjoinv ("", lines);

      g_assert_cmpuint (g_strv_length (lines), >, 1);
      g_assert_true (g_str_equal (joined, json->str));
    }
    g_assert_true (gtk_widget_get_visible (child (f->view, "notice_label")));
  }
}

int
main (int   argc,
      char *argv[])
{
  /* The responsiveness checks measure the view, not llvmpipe: with GL
   * under Xvfb every new shader is JIT-compiled on first use (seconds, on
   * an empty per-test Mesa cache). The cairo renderer has no such step.
   * bench-response-view gives the GL figures. */
  if (g_getenv ("GDK_DEBUG") == NULL)
    g_setenv ("GDK_DEBUG", "gl-disable", TRUE);
  kg_test_init (&argc, &argv);
  gtk_init ();
  adw_init ();

#define ADD(path, func) \
  g_test_add ("/ui/response-view/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("jsonrpc-create", test_jsonrpc_create);
  ADD ("token-headers", test_token_headers);
  ADD ("narrow-no-focus", test_narrow_no_focus);
  ADD ("access-error", test_access_error);
  ADD ("huge-one-line", test_huge_one_line);
  ADD ("huge-many-lines", test_huge_many_lines);
  ADD ("colours-what-is-shown", test_colours_what_is_shown);
  ADD ("loading-progress", test_loading_progress);
  g_test_add ("/ui/response-view/loading-progress-narrow", Fixture, GINT_TO_POINTER (TRUE),
              fixture_setup, test_loading_progress, fixture_teardown);
  ADD ("new-exchange-cancels-load", test_new_exchange_cancels_load);
  ADD ("not-json", test_not_json);
#undef ADD

  return g_test_run ();
}
