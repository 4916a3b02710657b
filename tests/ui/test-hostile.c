/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The window against a hostile server: for every misbehaving route of
 * tests/kg-hostile-routes.c, the response view shows what came and the 2FA
 * doctor finishes its checks, with no crash, no long main-loop stall and no
 * secret anywhere in the widgets. */
#include "config.h"

#include <string.h>

#include "kg-response-view.h"
#include "kg-test-utils.h"
#include "kg-two-factor-panel.h"
#include "kg-ui-test-utils.h"

/* Each route, and the query it takes to stay quick. */
static const char * const routes[] = {
  "html", "garbage", "huge?mib=2", "redirect", "deep", "limited?retry=30", "echo",
  "slow?seconds=1",
};

/* Longest main-loop gap allowed while a hostile answer is shown: a loose
 * bound that catches a body blocking the loop (a tenfold regression), not
 * a timing target. The figures are printed; on an idle machine they are
 * 10-180 ms, and a CI run of two suites in parallel saw 254 ms for the
 * 2 MiB body. Speed is measured by tests/bench, not here. */
#define MAX_GAP_US (1000 * 1000)

typedef struct
{
  gint64 last;
  gint64 max_gap;
} Probe;

static gboolean
probe_tick_cb (gpointer data)
{
  Probe *probe = data;
  gint64 now = g_get_monotonic_time ();

  if (probe->last != 0)
    probe->max_gap = MAX (probe->max_gap, now - probe->last);
  probe->last = now;
  return G_SOURCE_CONTINUE;
}

static char *
route_url (const char *route,
           const char *rest)
{
  const char *query = strchr (route, '?');
  g_autofree char *kind = g_strndup (route, query ? (gsize) (query - route) : strlen (route));

  return g_strdup_printf ("%s/hostile/%s%s%s", kg_demo_server_get_url (kg_test_get_demo_server ()),
                          kind, rest, query ? query : "");
}

static gboolean
view_idle (gpointer data)
{
  return !kg_response_view_get_loading (KG_RESPONSE_VIEW (data));
}

/* Under Xvfb the GL renderer (llvmpipe) compiles each new shader on first
 * use, so the first frames with text can take a second whatever the app
 * does: draw a small answer first, and measure only after. */
static void
warm_up (KgResponseView *view)
{
  g_autoptr(KgExchange) exchange = kg_exchange_new ("GET", "http://127.0.0.1/warm-up");
  static const char body[] = "{\"result\": [1, 2, 3], \"warm\": \"up\"}";

  kg_exchange_set_response (exchange, 200, "OK", "application/json", body, strlen (body), NULL);
  kg_response_view_set_exchange (view, exchange);
  kg_ui_test_wait_for (view_idle, view, "the warm-up answer to be shown");
  kg_ui_test_run_for (1500);
}

static void
check_gap (const char *what,
           const char *route,
           gint64      gap)
{
  g_test_message ("%s, /hostile/%s: longest main-loop gap %.1f ms", what, route, gap / 1000.0);
#ifndef __SANITIZE_ADDRESS__
  g_assert_cmpint (gap, <, MAX_GAP_US);
#endif
}

/* Authenticates with alice's key against the route, as the API Key page
 * does, and shows the outcome: the error and the exchange behind it. */
static void
test_response_view (void)
{
  GtkWidget *window = gtk_window_new ();
  KgResponseView *view = KG_RESPONSE_VIEW (kg_response_view_new ());
  g_autoptr(KgHttp) http = kg_http_new ();
  gpointer weak = view;

  gtk_window_set_default_size (GTK_WINDOW (window), 900, 700);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (window));
  kg_ui_test_wait_for (kg_ui_test_is_mapped, window, "the window to be mapped");
  warm_up (view);

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      g_autoptr(KgProfile) profile = kg_test_demo_profile ("alice");
      g_autofree char *url = route_url (routes[i], "");
      g_autoptr(KgOdooRpc) rpc = NULL;
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GAsyncResult) done = NULL;
      g_autoptr(GError) error = NULL;
      Probe probe = { 0 };
      guint id;

      kg_profile_set_url (profile, url);
      rpc = kg_odoo_rpc_new (http, profile);
      kg_odoo_rpc_authenticate_async (rpc, KG_DEMO_ALICE_KEY, KG_SECRET_API_KEY, NULL,
                                      kg_test_store_result_cb, &result);
      done = kg_test_wait_result (&result);
      kg_odoo_rpc_authenticate_finish (rpc, done, &error);

      id = g_timeout_add (10, probe_tick_cb, &probe);
      if (error != NULL)
        kg_response_view_set_error (view, error);
      else
        kg_response_view_set_exchange (view, kg_odoo_rpc_get_last_exchange (rpc));
      kg_ui_test_wait_for (view_idle, view, "the answer to be shown");
      kg_ui_test_wait_frames (GTK_WIDGET (view), 3);
      g_source_remove (id);

      check_gap ("response view", routes[i], probe.max_gap);
      kg_ui_test_assert_tree_lacks (GTK_WIDGET (view), KG_DEMO_ALICE_KEY);
    }

  g_object_add_weak_pointer (G_OBJECT (view), &weak);
  gtk_window_destroy (GTK_WINDOW (window));
  kg_ui_test_wait_for (kg_ui_test_is_null, &weak, "the response view to be finalized");
}

static gboolean
panel_idle (gpointer data)
{
  return !kg_page_get_busy (KG_PAGE (data));
}

/* The 2FA doctor diagnoses a connection whose server is the route. */
static void
test_two_factor_panel (void)
{
  g_autoptr(KgProfileStore) store = kg_profile_store_new (NULL);
  g_autoptr(KgHistory) history = kg_history_new (NULL);
  g_autoptr(KgAppContext) context = NULL;
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  KgTwoFactorPanel *panel;

  context = kg_app_context_new (store, kg_http_get_default (), history, NULL);
  panel = KG_TWO_FACTOR_PANEL (kg_two_factor_panel_new (context));
  gtk_window_set_default_size (window, 900, 800);
  gtk_window_set_child (window, GTK_WIDGET (panel));
  gtk_window_present (window);
  kg_ui_test_wait_for (kg_ui_test_is_mapped, panel, "the panel to be mapped");
  kg_ui_test_run_for (1500);   /* first frames: see warm_up () */

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      g_autoptr(KgProfile) profile = kg_test_demo_profile ("alice");
      g_autofree char *name = g_strdup_printf ("hostile %u", i);
      g_autofree char *url = route_url (routes[i], "");
      g_autoptr(GError) error = NULL;
      Probe probe = { 0 };
      guint id;

      kg_profile_set_name (profile, name);
      kg_profile_set_url (profile, url);
      g_assert_true (kg_keyring_store_sync (profile, KG_DEMO_ALICE_KEY, NULL, &error));
      g_assert_no_error (error);

      id = g_timeout_add (10, probe_tick_cb, &probe);
      kg_page_set_profile (KG_PAGE (panel), profile);
      kg_two_factor_panel_run (panel);
      kg_ui_test_wait_for (panel_idle, panel, "the diagnosis to end");
      kg_ui_test_wait_frames (GTK_WIDGET (panel), 3);
      g_source_remove (id);

      check_gap ("2FA doctor", routes[i], probe.max_gap);
      g_assert_cmpuint (g_list_model_get_n_items (kg_two_factor_panel_get_findings (panel)), >, 0);
      kg_ui_test_assert_tree_lacks (GTK_WIDGET (panel), KG_DEMO_ALICE_KEY);
      kg_page_set_profile (KG_PAGE (panel), NULL);
      kg_keyring_clear_sync (profile, NULL, NULL);
    }

  gtk_window_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  kg_test_init (&argc, &argv);
  gtk_init ();
  adw_init ();

  g_test_add_func ("/ui/hostile/response-view", test_response_view);
  g_test_add_func ("/ui/hostile/two-factor-panel", test_two_factor_panel);

  return g_test_run ();
}
