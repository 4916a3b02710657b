/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The API key page of the real KgWindow with the REAL keyring of the
 * headless session and the in-process demo server: paste + Store, Verify
 * (who the key acts as), Copy (clipboard, then cleared), Forget with
 * confirmation, a refused key sending the user to the 2FA doctor, and no
 * widget text anywhere holding the key. */
#include "config.h"

#include <adwaita.h>

#include "kg-app-context.h"
#include "kg-connection-row.h"
#include "kg-key-page.h"
#include "kg-test-utils.h"
#include "kg-ui-test-utils.h"
#include "kg-window.h"

#define WRONG_KEY "0123456789abcdef0123456789abcdef01234567"

typedef struct
{
  KgAppContext *context;
  KgWindow     *window;
  KgProfile    *profile;
  GError       *reported;    /* last ::error-reported */
} Fixture;

static Fixture f;

static GtkWidget *
key_child (const char *name)
{
  return GTK_WIDGET (kg_ui_test_template_child (kg_window_get_page (f.window, "key"),
                                                KG_TYPE_KEY_PAGE, name));
}

static void
click (const char *button)
{
  GtkWidget *widget = key_child (button);

  g_assert_true (gtk_widget_get_sensitive (widget));
  g_assert_true (gtk_widget_get_mapped (widget));
  g_signal_emit_by_name (widget, "clicked");
}

static const char *
subtitle (const char *row)
{
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (key_child (row)));
}

/* The row of the only connection in the sidebar's list view. */
static KgConnectionRow *
sidebar_row (void)
{
  GtkWidget *list = kg_ui_test_template_child (f.window, KG_TYPE_WINDOW, "connection_list");

  for (GtkWidget *item = gtk_widget_get_first_child (list); item != NULL;
       item = gtk_widget_get_next_sibling (item))
    if (KG_IS_CONNECTION_ROW (gtk_widget_get_first_child (item)))
      return KG_CONNECTION_ROW (gtk_widget_get_first_child (item));

  g_assert_not_reached ();
  return NULL;
}

static gboolean
lock_icon_shown (gpointer data)
{
  gboolean want = GPOINTER_TO_INT (data);

  return gtk_widget_get_visible (GTK_WIDGET (kg_ui_test_template_child (sidebar_row (),
                                                                        KG_TYPE_CONNECTION_ROW,
                                                       "key_icon"))) == want;
}

static void
error_reported_cb (KgAppContext *context,
                   KgProfile    *profile,
                   GError       *error)
{
  g_clear_error (&f.reported);
  f.reported = g_error_copy (error);
}

/* Every text a widget shows: labels, editables (but the password row the
 * user pastes into), tooltips, window titles. */
static void
assert_no_text_holds (GtkWidget  *widget,
                      GtkWidget  *password_row,
                      const char *secret)
{
  const char *tooltip = gtk_widget_get_tooltip_text (widget);

  if (widget == password_row)
    return;

  if (GTK_IS_LABEL (widget))
    {
      g_assert_null (strstr (gtk_label_get_label (GTK_LABEL (widget)), secret));
      g_assert_null (strstr (gtk_label_get_text (GTK_LABEL (widget)), secret));
    }
  if (GTK_IS_EDITABLE (widget))
    g_assert_null (strstr (gtk_editable_get_text (GTK_EDITABLE (widget)), secret));
  if (GTK_IS_WINDOW (widget) && gtk_window_get_title (GTK_WINDOW (widget)) != NULL)
    g_assert_null (strstr (gtk_window_get_title (GTK_WINDOW (widget)), secret));
  if (tooltip != NULL)
    g_assert_null (strstr (tooltip, secret));

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    assert_no_text_holds (child, password_row, secret);
}

static void
assert_no_widget_shows (const char *secret)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) toplevel = g_list_model_get_item (toplevels, i);

      assert_no_text_holds (toplevel, key_child ("key_row"), secret);
    }
}

/* ---- steps ------------------------------------------------------------ */

static gboolean
has_key_is (gpointer data)
{
  return kg_app_context_get_has_key (f.context, f.profile) == GPOINTER_TO_INT (data);
}

static gboolean
verify_done (gpointer data)
{
  return gtk_widget_get_sensitive (key_child ("verify_button"));
}

static gboolean
row_is_empty (gpointer data)
{
  return g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (key_child ("key_row"))), "") == 0;
}

/* Store and Verify: stored, then the server asked. */
static void
paste_and_store (const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (key_child ("key_row")), text);
  click ("store_button");
  kg_ui_test_wait_for (has_key_is, GINT_TO_POINTER (KG_TRISTATE_TRUE), "the key to be stored");
  kg_ui_test_wait_for (row_is_empty, NULL, "the store to finish");
  kg_ui_test_wait_for (verify_done, NULL, "the verification after storing");
}

static void
test_store_verify_copy_forget (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;

  /* A pasted text that is not an Odoo key is warned about. */
  gtk_editable_set_text (GTK_EDITABLE (key_child ("key_row")), "not-a-key");
  g_assert_true (gtk_widget_get_visible (key_child ("key_warning_label")));
  gtk_editable_set_text (GTK_EDITABLE (key_child ("key_row")), "");
  g_assert_false (gtk_widget_get_visible (key_child ("key_warning_label")));
  g_assert_false (gtk_widget_get_sensitive (key_child ("store_button")));

  /* Store: trimmed, in the real keyring; the row is cleared, the lock shows. */
  gtk_editable_set_text (GTK_EDITABLE (key_child ("key_row")), "  " KG_DEMO_ALICE_KEY "\n");
  g_assert_false (gtk_widget_get_visible (key_child ("key_warning_label")));
  paste_and_store ("  " KG_DEMO_ALICE_KEY "\n");
  stored = kg_keyring_lookup_sync (f.profile, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored, ==, KG_DEMO_ALICE_KEY);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (key_child ("key_row"))), ==, "");
  kg_ui_test_wait_for (lock_icon_shown, GINT_TO_POINTER (TRUE), "the lock icon");
  g_assert_cmpstr (kg_window_get_last_toast (f.window), ==, "Key stored in the keyring");
  assert_no_widget_shows (KG_DEMO_ALICE_KEY);

  /* Verified as it was stored: who the key acts as. */
  g_assert_nonnull (strstr (subtitle ("acts_as_row"), "(alice)"));
  g_assert_true (g_str_has_prefix (subtitle ("two_factor_row"), "on"));
  g_assert_cmpstr (subtitle ("can_create_row"), ==, "yes");
  g_assert_cmpstr (subtitle ("expiry_row"), !=, "—");
  g_assert_cmpstr (subtitle ("expiry_row"), !=, "unknown");
  g_assert_true (g_str_has_prefix (subtitle ("version_row"), "18.0"));
  g_assert_false (gtk_widget_get_visible (key_child ("verify_error_label")));
  g_assert_null (f.reported);
  assert_no_widget_shows (KG_DEMO_ALICE_KEY);
  kg_ui_test_save_screenshot (GTK_WIDGET (f.window), "key-page");

  /* Key name: saved on the profile (to match the expiry). */
  gtk_editable_set_text (GTK_EDITABLE (key_child ("key_name_row")), "Keygate demo");
  g_assert_cmpstr (kg_profile_get_key_name (f.profile), ==, "Keygate demo");
}

static gboolean
toast_starts_with (gpointer data)
{
  const char *toast = kg_window_get_last_toast (f.window);

  return toast != NULL && g_str_has_prefix (toast, data);
}

static void
read_text_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  char **text = user_data;
  g_autoptr(GError) error = NULL;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, &error);
  if (*text == NULL)
    *text = g_strdup ("");
}

static char *
clipboard_text (void)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (f.window));
  char *text = NULL;

  gdk_clipboard_read_text_async (clipboard, NULL, read_text_cb, &text);
  while (text == NULL)
    g_main_context_iteration (NULL, TRUE);
  return text;
}

static gboolean
clipboard_holds_key (gpointer data)
{
  g_autofree char *text = clipboard_text ();

  return g_strcmp0 (text, KG_DEMO_ALICE_KEY) == 0;
}

static gboolean
clipboard_cleared (gpointer data)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (f.window));

  return gdk_clipboard_get_content (clipboard) == NULL;
}

static void
test_copy_clears (void)
{
  g_autofree char *text = NULL;
  GSettings *settings = kg_app_context_get_settings (f.context);

  g_settings_set_int (settings, "clipboard-clear-delay", 5);
  click ("copy_button");
  kg_ui_test_wait_for (toast_starts_with, (gpointer) "Copied", "the Copied toast");
  g_assert_cmpstr (kg_window_get_last_toast (f.window), ==, "Copied — clears in 5 seconds");
  text = clipboard_text ();
  g_assert_cmpstr (text, ==, KG_DEMO_ALICE_KEY);
  assert_no_widget_shows (KG_DEMO_ALICE_KEY);

  /* Cleared after the delay from the preferences. */
  kg_ui_test_wait_for (clipboard_cleared, NULL, "the clipboard to be cleared");
  g_free (text);
  text = clipboard_text ();
  g_assert_cmpstr (text, ==, "");

  /* Something the user copied since is left alone. */
  click ("copy_button");
  kg_ui_test_wait_for (clipboard_holds_key, NULL, "the key on the clipboard");
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (f.window)), "user text");
  g_free (text);
  text = clipboard_text ();
  g_assert_cmpstr (text, ==, "user text");
  /* A wall-clock wait on purpose: nothing happens to observe, the point is
   * that the 5 s clear timer fired and left the user's text alone. One
   * second past it is the shortest wait that proves that. */
  kg_ui_test_run_for (6000);
  g_free (text);
  text = clipboard_text ();
  g_assert_cmpstr (text, ==, "user text");
  g_settings_reset (settings, "clipboard-clear-delay");
}

static gboolean
message_dialog_mapped (gpointer data)
{
  AdwMessageDialog **out = data;
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (toplevel) && gtk_widget_get_mapped (GTK_WIDGET (toplevel)))
        {
          *out = ADW_MESSAGE_DIALOG (toplevel);
          return TRUE;
        }
    }

  return FALSE;
}

static void
test_forget (void)
{
  AdwMessageDialog *dialog = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *left = NULL;

  click ("forget_button");
  kg_ui_test_wait_for (message_dialog_mapped, &dialog, "the confirmation");
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (f.window));
  adw_message_dialog_response (dialog, "forget");
  gtk_window_close (GTK_WINDOW (dialog));
  kg_ui_test_wait_for (has_key_is, GINT_TO_POINTER (KG_TRISTATE_FALSE), "the key to be forgotten");

  left = kg_keyring_lookup_sync (f.profile, NULL, &error);
  g_assert_null (left);
  g_assert_error (error, KG_ERROR, KG_ERROR_KEY_NOT_FOUND);
  kg_ui_test_wait_for (lock_icon_shown, GINT_TO_POINTER (FALSE), "the lock icon to go");
  g_assert_cmpstr (kg_window_get_last_toast (f.window), ==, "Key forgotten");
  g_assert_false (gtk_widget_get_sensitive (key_child ("verify_button")));
  g_assert_false (gtk_widget_get_sensitive (key_child ("copy_button")));
}

static gboolean
error_was_reported (gpointer data)
{
  return f.reported != NULL;
}

/* The refusal and the way to the Doctor are on screen, not below the fold. */
static gboolean
doctor_button_in_view (gpointer data)
{
  GtkWidget *button = key_child ("doctor_button");
  GtkWidget *scroller = gtk_widget_get_ancestor (button, GTK_TYPE_SCROLLED_WINDOW);
  graphene_rect_t bounds;

  return gtk_widget_get_mapped (button) &&
         gtk_widget_compute_bounds (button, scroller, &bounds) &&
         bounds.origin.y >= 0 &&
         bounds.origin.y + bounds.size.height <= gtk_widget_get_height (scroller);
}

static gboolean
no_dialog_mapped (gpointer data)
{
  AdwMessageDialog *dialog = NULL;

  return !message_dialog_mapped (&dialog);
}

/* Text that cannot be an Odoo key is asked about before it is stored; a
 * password gets words of its own. */
static void
test_asks_before_odd_text (void)
{
  AdwMessageDialog *dialog = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;

  g_assert_cmpint (kg_app_context_get_has_key (f.context, f.profile), ==, KG_TRISTATE_FALSE);
  gtk_editable_set_text (GTK_EDITABLE (key_child ("key_row")), "Hunter2!");
  click ("store_button");
  kg_ui_test_wait_for (message_dialog_mapped, &dialog, "the question");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "looks like a password"));
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  kg_ui_test_save_screenshot (GTK_WIDGET (dialog), "key-page-password-question");
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_close (GTK_WINDOW (dialog));
  kg_ui_test_wait_for (no_dialog_mapped, NULL, "the question to close");
  kg_ui_test_wait_frames (GTK_WIDGET (f.window), 2);
  stored = kg_keyring_lookup_sync (f.profile, NULL, &error);
  g_assert_null (stored);
  g_assert_error (error, KG_ERROR, KG_ERROR_KEY_NOT_FOUND);
  g_clear_error (&error);

  /* Cut short when copied: asked in other words; stored when confirmed. */
  dialog = NULL;
  gtk_editable_set_text (GTK_EDITABLE (key_child ("key_row")), "0123456789abcdef");
  click ("store_button");
  kg_ui_test_wait_for (message_dialog_mapped, &dialog, "the question");
  g_assert_null (strstr (adw_message_dialog_get_body (dialog), "password"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "40 characters"));
  g_clear_error (&f.reported);
  adw_message_dialog_response (dialog, "store");
  gtk_window_close (GTK_WINDOW (dialog));
  kg_ui_test_wait_for (has_key_is, GINT_TO_POINTER (KG_TRISTATE_TRUE), "the key to be stored");
  stored = kg_keyring_lookup_sync (f.profile, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored, ==, "0123456789abcdef");
  /* And verified: Odoo refuses it. */
  kg_ui_test_wait_for (error_was_reported, NULL, "the verification to fail");
  kg_ui_test_wait_for (verify_done, NULL, "the verification");
}

static void
test_wrong_key_offers_2fa (void)
{
  g_clear_error (&f.reported);
  paste_and_store (WRONG_KEY);
  assert_no_widget_shows (WRONG_KEY);
  kg_ui_test_wait_for (error_was_reported, NULL, "the error report");
  g_assert_error (f.reported, KG_ERROR, KG_ERROR_ACCESS_DENIED);

  /* Said on the API Key page, where the key was entered, with the way to
   * the 2FA doctor: the page does not switch by itself. */
  g_assert_true (gtk_widget_get_visible (key_child ("verify_error_label")));
  g_assert_true (gtk_widget_get_visible (key_child ("doctor_button")));
  g_assert_cmpstr (kg_window_get_visible_page (f.window), ==, "key");
  kg_ui_test_wait_for (doctor_button_in_view, NULL, "the refusal to come into view");
  kg_ui_test_save_screenshot (GTK_WIDGET (f.window), "key-page-two-factor-offered");
  g_assert_nonnull (strstr (kg_window_get_last_toast (f.window), "access denied"));
  assert_no_widget_shows (WRONG_KEY);
  click ("doctor_button");
  g_assert_cmpstr (kg_window_get_visible_page (f.window), ==, "two-factor");

  /* The header button gets back there from anywhere. */
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.show-page", "s", "key");
  g_assert_cmpstr (kg_window_get_visible_page (f.window), ==, "key");
  g_signal_emit_by_name (kg_ui_test_template_child (f.window, KG_TYPE_WINDOW, "two_factor_button"),
                         "clicked");
  g_assert_cmpstr (kg_window_get_visible_page (f.window), ==, "two-factor");
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.show-page", "s", "key");
}

static void
test_no_key_in_files (void)
{
  /* Nothing Keygate wrote (profiles, history) holds a key. */
  g_assert_cmpuint (kg_test_assert_dir_lacks (kg_test_get_tmpdir (), KG_DEMO_ALICE_KEY), >, 0);
  kg_test_assert_dir_lacks (kg_test_get_tmpdir (), WRONG_KEY);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KgProfileStore) store = NULL;
  g_autoptr(KgHistory) history = NULL;
  g_autoptr(GSettings) settings = NULL;
  gpointer weak_window;
  gpointer weak_context;
  int ret;

  kg_test_init (&argc, &argv);
  gtk_init ();
  adw_init ();
  /* GtkApplication adds the app's icons; these tests have none. */
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    RESOURCE_PREFIX "/icons");

  store = kg_profile_store_new (NULL);
  kg_profile_store_load (store, &error);
  g_assert_no_error (error);
  history = kg_history_new (NULL);
  settings = g_settings_new (BASE_APP_ID);
  f.profile = kg_test_demo_profile ("alice");
  kg_keyring_clear_sync (f.profile, NULL, NULL);
  kg_profile_store_add (store, f.profile, &error);
  g_assert_no_error (error);

  f.context = kg_app_context_new (store, kg_http_get_default (), history, settings);
  g_signal_connect (f.context, "error-reported", G_CALLBACK (error_reported_cb), NULL);
  f.window = kg_window_new_with_context (NULL, f.context);
  gtk_window_present (GTK_WINDOW (f.window));
  kg_ui_test_wait_for (kg_ui_test_is_mapped, f.window, "the window to be mapped");
  g_assert_true (kg_window_get_profile (f.window) == f.profile);
  gtk_widget_activate_action (GTK_WIDGET (f.window), "win.show-page", "s", "key");
  g_assert_cmpstr (kg_window_get_visible_page (f.window), ==, "key");
  kg_ui_test_wait_for (has_key_is, GINT_TO_POINTER (KG_TRISTATE_FALSE), "the key state");

  g_test_add_func ("/ui/key-page/store-verify", test_store_verify_copy_forget);
  g_test_add_func ("/ui/key-page/copy-clears-clipboard", test_copy_clears);
  g_test_add_func ("/ui/key-page/forget", test_forget);
  g_test_add_func ("/ui/key-page/asks-before-odd-text", test_asks_before_odd_text);
  g_test_add_func ("/ui/key-page/wrong-key-offers-2fa", test_wrong_key_offers_2fa);
  g_test_add_func ("/ui/key-page/no-key-in-files", test_no_key_in_files);
  ret = g_test_run ();

  /* The window and everything it made go away when it is closed. */
  kg_keyring_clear_sync (f.profile, NULL, NULL);
  weak_window = f.window;
  weak_context = f.context;
  g_object_add_weak_pointer (G_OBJECT (f.window), &weak_window);
  g_object_add_weak_pointer (G_OBJECT (f.context), &weak_context);
  gtk_window_close (GTK_WINDOW (f.window));
  kg_ui_test_wait_for (kg_ui_test_is_null, &weak_window, "the window to be finalized");
  g_signal_handlers_disconnect_by_func (f.context, error_reported_cb, NULL);
  g_clear_object (&f.context);
  kg_ui_test_wait_for (kg_ui_test_is_null, &weak_context, "the context to be finalized");
  g_clear_object (&f.profile);
  g_clear_error (&f.reported);

  return ret;
}
