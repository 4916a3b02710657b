/* SPDX-License-Identifier: GPL-3.0-or-later */
/* KgTokenPage in a real window against the demo server and the real
 * keyring: the request preview masks the key, Exchange shows the masked
 * token, its type and a live countdown, the exchange's answer shows in the
 * response view, Forget drops the token, and the raw token never appears
 * in the widget tree. */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "kg-response-view.h"
#include "kg-test-utils.h"
#include "kg-ui-test-utils.h"
#include "kg-token-page.h"

static gboolean
is_idle (gpointer data)
{
  return !kg_page_get_busy (KG_PAGE (data));
}

static GtkWidget *
child (KgTokenPage *page,
       const char  *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (page), KG_TYPE_TOKEN_PAGE, name);

  g_assert_nonnull (object);
  return GTK_WIDGET (object);
}

static const char *
subtitle (KgTokenPage *page,
          const char  *row)
{
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (child (page, row)));
}

typedef struct
{
  KgTokenPage *page;
  const char  *text;
  gboolean     equal;   /* wait until the expiry row shows @text, or until it no longer does */
} ExpiryWait;

static gboolean
expiry_reached (gpointer data)
{
  ExpiryWait *wait = data;

  return (g_strcmp0 (subtitle (wait->page, "expiry_row"), wait->text) == 0) == wait->equal;
}

typedef struct
{
  KgAppContext *context;
  GtkWidget    *window;
  KgTokenPage  *page;
  KgProfile    *profile;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *store_path = g_build_filename (kg_test_get_tmpdir (), "profiles.json", NULL);
  g_autoptr(GFile) store_file = g_file_new_for_path (store_path);
  g_autoptr(KgProfileStore) store = kg_profile_store_new (store_file);
  g_autoptr(KgHistory) history = kg_history_new (NULL);
  g_autoptr(KgHttp) http = kg_http_new ();
  g_autoptr(KgTokenSpec) spec = kg_token_spec_new ();
  g_autoptr(KgCreateSpec) create_spec = kg_create_spec_new ();
  g_autoptr(GError) error = NULL;

  f->context = kg_app_context_new (store, http, history, NULL);

  f->profile = kg_test_demo_profile ("alice");
  kg_profile_set_protocol (f->profile, KG_PROTOCOL_TOKEN);
  kg_profile_set_token_spec (f->profile, spec);
  kg_profile_set_create_spec (f->profile, create_spec);
  kg_keyring_store_sync (f->profile, KG_DEMO_ALICE_KEY, NULL, &error);
  g_assert_no_error (error);

  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 900, 900);
  f->page = KG_TOKEN_PAGE (kg_token_page_new (f->context));
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->page));
  gtk_window_present (GTK_WINDOW (f->window));
  kg_ui_test_wait_for (kg_ui_test_is_mapped, f->window, "the window to be mapped");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gpointer weak = f->page;

  g_object_add_weak_pointer (G_OBJECT (f->page), &weak);
  gtk_window_destroy (GTK_WINDOW (f->window));
  kg_ui_test_wait_for (kg_ui_test_is_null, &weak, "the page to be finalized");
  g_clear_object (&f->profile);
  g_assert_finalize_object (f->context);
}

static void
exchange_and_wait (Fixture *f)
{
  g_assert_true (gtk_widget_is_sensitive (child (f->page, "exchange_button")));
  g_signal_emit_by_name (child (f->page, "exchange_button"), "clicked");
  g_assert_true (kg_page_get_busy (KG_PAGE (f->page)));
  kg_ui_test_wait_for (is_idle, f->page, "the token exchange");
}

static void
test_exchange_countdown_forget (Fixture       *f,
                                gconstpointer  data)
{
  KgTokenClient *client;
  const char *token;
  const char *masked;
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;
  g_autofree char *countdown = NULL;
  const char *preview;

  kg_page_set_profile (KG_PAGE (f->page), f->profile);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child (f->page, "stack"))), ==,
                   "token");

  /* The request as it will be sent: the key header with a placeholder. */
  preview = gtk_label_get_label (GTK_LABEL (child (f->page, "preview_label")));
  g_assert_true (g_str_has_prefix (preview, "POST "));
  g_assert_nonnull (strstr (preview, "/auth/token/apikey"));
  g_assert_nonnull (strstr (preview, "<API_KEY>"));
  g_assert_null (strstr (preview, KG_DEMO_ALICE_KEY));
  g_assert_cmpstr (subtitle (f->page, "token_row"), ==, "No token");
  g_assert_false (gtk_widget_is_sensitive (child (f->page, "forget_button")));

  exchange_and_wait (f);

  client = kg_app_context_get_token_client (f->context, f->profile);
  g_assert_true (kg_token_client_has_token (client));
  token = kg_token_client_peek_token (client);
  g_assert_cmpuint (strlen (token), >, 12);

  /* Masked: the first 4 and the last 4 characters, nothing in between. */
  masked = subtitle (f->page, "token_row");
  first = g_strndup (token, 4);
  last = g_strdup (token + strlen (token) - 4);
  g_assert_true (g_str_has_prefix (masked, first));
  g_assert_true (g_str_has_suffix (masked, last));
  g_assert_cmpuint (strlen (masked), <, strlen (token));
  g_assert_cmpstr (subtitle (f->page, "type_row"), ==, kg_token_client_get_token_type (client));
  g_assert_true (gtk_widget_is_sensitive (child (f->page, "forget_button")));

  /* The exchange's answer is in the response view. */
  {
    KgResponseView *view = KG_RESPONSE_VIEW (child (f->page, "response_view"));
    KgExchange *shown = kg_response_view_get_exchange (view);

    g_assert_nonnull (shown);
    g_assert_cmpstr (kg_exchange_get_step (shown), ==, "exchange");
    g_assert_cmpuint (kg_exchange_get_status (shown), ==, 200);
  }

  /* The countdown runs. */
  countdown = g_strdup (subtitle (f->page, "expiry_row"));
  g_assert_true (g_str_has_prefix (countdown, "Expires in "));
  /* A tick a second: the label moves (waited for, not slept: a loaded
   * machine or a sanitizer build dispatches the tick late). */
  {
    ExpiryWait wait = { f->page, countdown, FALSE };

    kg_ui_test_wait_for (expiry_reached, &wait, "the countdown to move");
  }
  g_assert_true (g_str_has_prefix (subtitle (f->page, "expiry_row"), "Expires in "));
  g_assert_cmpstr (subtitle (f->page, "expiry_row"), !=, countdown);

  kg_ui_test_assert_tree_lacks (f->window, token);
  kg_ui_test_assert_tree_lacks (f->window, KG_DEMO_ALICE_KEY);
  kg_ui_test_save_screenshot (f->window, "token-page");

  /* Forget. */
  {
    g_autofree char *saved = g_strdup (token);

    g_signal_emit_by_name (child (f->page, "forget_button"), "clicked");
    g_assert_false (kg_token_client_has_token (client));
    g_assert_cmpstr (subtitle (f->page, "token_row"), ==, "No token");
    g_assert_cmpstr (subtitle (f->page, "expiry_row"), ==, "—");
    g_assert_false (gtk_widget_is_sensitive (child (f->page, "forget_button")));
    kg_ui_test_assert_tree_lacks (f->window, saved);
  }
}

static void
test_expired (Fixture       *f,
              gconstpointer  data)
{
  kg_demo_server_set_token_lifetime (kg_test_get_demo_server (), 1);
  kg_page_set_profile (KG_PAGE (f->page), f->profile);
  exchange_and_wait (f);
  kg_demo_server_set_token_lifetime (kg_test_get_demo_server (), 3600);

  {
    ExpiryWait wait = { f->page, "Expired", TRUE };

    kg_ui_test_wait_for (expiry_reached, &wait, "the token to show as expired");
  }
  g_assert_cmpstr (subtitle (f->page, "expiry_row"), ==, "Expired");
}

static void
test_wrong_key (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  KgResponseView *view = KG_RESPONSE_VIEW (child (f->page, "response_view"));
  GObject *title;

  kg_keyring_store_sync (f->profile, KG_DEMO_EXPIRED_KEY, NULL, &error);
  g_assert_no_error (error);
  kg_page_set_profile (KG_PAGE (f->page), f->profile);
  exchange_and_wait (f);

  g_assert_cmpstr (subtitle (f->page, "token_row"), ==, "No token");
  title = gtk_widget_get_template_child (GTK_WIDGET (view), KG_TYPE_RESPONSE_VIEW, "error_box");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (title)));
  title = gtk_widget_get_template_child (GTK_WIDGET (view), KG_TYPE_RESPONSE_VIEW,
                                         "error_step_label");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (title)), ==, "Token exchange failed");
  kg_ui_test_assert_tree_lacks (f->window, KG_DEMO_EXPIRED_KEY);
}

static void
test_not_token_profile (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(KgProfile) rpc = kg_test_demo_profile ("alice");

  kg_page_set_profile (KG_PAGE (f->page), rpc);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child (f->page, "stack"))), ==,
                   "empty");
  /* Switching the connection to the token protocol shows the flow. */
  kg_profile_set_protocol (rpc, KG_PROTOCOL_TOKEN);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child (f->page, "stack"))), ==,
                   "token");
  kg_page_set_profile (KG_PAGE (f->page), NULL);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child (f->page, "stack"))), ==,
                   "empty");
}

int
main (int   argc,
      char *argv[])
{
  kg_test_init (&argc, &argv);
  gtk_init ();
  adw_init ();

#define ADD(path, func) \
  g_test_add ("/ui/token-page/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("exchange-countdown-forget", test_exchange_countdown_forget);
  ADD ("expired", test_expired);
  ADD ("wrong-key", test_wrong_key);
  ADD ("not-token-profile", test_not_token_profile);
#undef ADD

  return g_test_run ();
}
