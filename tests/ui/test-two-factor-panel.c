/* SPDX-License-Identifier: GPL-3.0-or-later */
/* KgTwoFactorPanel, the 2FA doctor page, driven through its real widgets
 * against the demo server and the real keyring of .ci/headless-session:
 * a refused key, the password check behind its warning, "Paste your new
 * key" storing a working key and the rerun proving it, and no secret in
 * any label or file. */
#include "config.h"

#include <adwaita.h>

#include "kg-response-view.h"
#include "kg-test-utils.h"
#include "kg-ui-test-utils.h"
#include "kg-finding-row.h"
#include "kg-two-factor-panel.h"

/* 40 lowercase hex characters, so it looks like a key, but unknown to the
 * demo server. */
#define WRONG_KEY "0123456789abcdef0123456789abcdef01234567"

typedef struct
{
  KgAppContext     *context;
  KgProfile        *profile;
  GtkWindow        *window;
  KgTwoFactorPanel *panel;
} Fixture;

/* ------------------------------------------------------------------ */
/* Main loop helpers                                                  */

static gboolean
panel_is_idle (gpointer data)
{
  return !kg_page_get_busy (KG_PAGE (data));
}

static gboolean
panel_is_running (gpointer data)
{
  return kg_page_get_busy (KG_PAGE (data));
}

static gpointer
child (KgTwoFactorPanel *panel,
       const char       *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (panel),
                                                   KG_TYPE_TWO_FACTOR_PANEL, name);

  g_assert_nonnull (object);
  return object;
}

/* Clicks "Run Diagnosis" and waits for the run to end. */
static void
run_and_wait (Fixture *f)
{
  kg_ui_test_click (child (f->panel, "run_button"));
  g_assert_true (kg_page_get_busy (KG_PAGE (f->panel)));
  kg_ui_test_wait_for (panel_is_idle, f->panel, "the diagnosis to end");
}

/* ------------------------------------------------------------------ */
/* Widget tree helpers                                                */

static void
collect_labels (GtkWidget *widget,
                GString   *text)
{
  if (GTK_IS_LABEL (widget))
    g_string_append_printf (text, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    collect_labels (c, text);
}

/* The text of every label of every toplevel (dialogs included). */
static char *
dup_all_label_text (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) toplevel = g_list_model_get_item (toplevels, i);

      collect_labels (toplevel, text);
    }

  return g_string_free (text, FALSE);
}

static void
assert_no_label_contains (const char *secret)
{
  g_autofree char *text = dup_all_label_text ();

  g_assert_nonnull (strstr (text, "Two-Factor"));  /* the walk saw the panel */
  if (strstr (text, secret) != NULL)
    g_error ("A label shows a secret:\n%s", text);
}

/* The rows of the findings list, in order. */
static GPtrArray *
finding_rows (Fixture *f)
{
  GtkWidget *list = child (f->panel, "findings_list");
  GPtrArray *rows = g_ptr_array_new ();

  for (int i = 0;; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), i);

      if (row == NULL)
        break;
      g_ptr_array_add (rows, row);
    }

  return rows;
}

/* The row showing the finding of @check; checks it shows that finding. */
static AdwExpanderRow *
find_row (Fixture    *f,
          const char *check)
{
  g_autoptr(GPtrArray) rows = finding_rows (f);
  GListModel *model = kg_two_factor_panel_get_findings (f->panel);

  /* One row per finding, live from the model. */
  g_assert_cmpuint (rows->len, ==, g_list_model_get_n_items (model));

  for (guint i = 0; i < rows->len; i++)
    {
      g_autoptr(KgFinding) finding = g_list_model_get_item (model, i);

      if (g_strcmp0 (kg_finding_get_check (finding), check) == 0)
        {
          AdwExpanderRow *row = rows->pdata[i];

          g_assert_true (ADW_IS_EXPANDER_ROW (row));
          g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                           kg_finding_get_title (finding));
          return row;
        }
    }

  return NULL;
}

static KgFinding *
row_finding (AdwExpanderRow *row)
{
  return kg_finding_row_get_finding (KG_FINDING_ROW (row));
}

static GtkImage *
find_image (GtkWidget *widget)
{
  if (GTK_IS_IMAGE (widget))
    return GTK_IMAGE (widget);

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkImage *image = find_image (c);

      if (image != NULL)
        return image;
    }

  return NULL;
}

/* The status icon is the first image of the row (its prefix). */
static const char *
row_icon_name (AdwExpanderRow *row)
{
  GtkImage *image = find_image (GTK_WIDGET (row));

  g_assert_nonnull (image);
  return gtk_image_get_icon_name (image);
}

static char *
dup_row_text (AdwExpanderRow *row)
{
  GString *text = g_string_new (NULL);

  collect_labels (GTK_WIDGET (row), text);
  return g_string_free (text, FALSE);
}

static GtkWidget *
find_button_with_class (GtkWidget  *widget,
                        const char *css_class)
{
  if (GTK_IS_BUTTON (widget) && gtk_widget_has_css_class (widget, css_class))
    return widget;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_button_with_class (c, css_class);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static GtkWidget *
find_button_with_label (GtkWidget  *widget,
                        const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_button_with_label (c, label);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (toplevel, type))
        return GTK_WINDOW (toplevel);
    }

  return NULL;
}

static gboolean
message_dialog_is_mapped (gpointer data)
{
  GtkWindow *dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);

  return dialog != NULL && gtk_widget_get_mapped (GTK_WIDGET (dialog));
}

static gboolean
no_message_dialog (gpointer data)
{
  GtkWindow *dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);

  return dialog == NULL || !gtk_widget_get_visible (GTK_WIDGET (dialog));
}

static KgResponseView *
find_response_view (GtkWidget *widget)
{
  if (KG_IS_RESPONSE_VIEW (widget))
    return KG_RESPONSE_VIEW (widget);

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      KgResponseView *view = find_response_view (c);

      if (view != NULL)
        return view;
    }

  return NULL;
}

static void
destroy_and_wait (GtkWindow *window)
{
  gpointer weak = window;

  g_object_add_weak_pointer (G_OBJECT (window), &weak);
  gtk_window_destroy (window);
  kg_ui_test_wait_for (kg_ui_test_is_null, &weak, "a window to be finalized");
}

/* ------------------------------------------------------------------ */
/* Fixture                                                            */

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(KgProfileStore) store = kg_profile_store_new (NULL);
  g_autoptr(KgHistory) history = kg_history_new (NULL);
  g_autoptr(GError) error = NULL;

  /* Every case starts from no profiles (the file outlives a case). */
  g_file_delete (kg_profile_store_get_file (store), NULL, NULL);
  f->context = kg_app_context_new (store, kg_http_get_default (), history, NULL);
  f->profile = kg_test_demo_profile ("alice");
  g_assert_true (kg_profile_store_add (store, f->profile, &error));
  g_assert_no_error (error);

  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 900, 800);
  f->panel = KG_TWO_FACTOR_PANEL (kg_two_factor_panel_new (f->context));
  gtk_window_set_child (f->window, GTK_WIDGET (f->panel));
  gtk_window_present (f->window);
  kg_ui_test_wait_for (kg_ui_test_is_mapped, f->panel, "the panel to be mapped");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gpointer weak_panel = f->panel;
  gpointer weak_context = f->context;
  GtkWindow *other;

  while ((other = find_toplevel (ADW_TYPE_WINDOW)) != NULL ||
         (other = find_toplevel (ADW_TYPE_MESSAGE_DIALOG)) != NULL)
    destroy_and_wait (other);

  g_object_add_weak_pointer (G_OBJECT (f->panel), &weak_panel);
  destroy_and_wait (f->window);
  kg_ui_test_wait_for (kg_ui_test_is_null, &weak_panel, "the panel to be finalized");

  kg_keyring_clear_sync (f->profile, NULL, NULL);
  g_clear_object (&f->profile);
  g_object_add_weak_pointer (G_OBJECT (f->context), &weak_context);
  g_object_unref (f->context);
  g_assert_null (weak_context);
}

static gboolean
focus_is_outside_panel (gpointer data)
{
  Fixture *f = data;
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (f->window));

  return focus == NULL || !gtk_widget_is_ancestor (focus, GTK_WIDGET (f->panel));
}

/* Hides the panel as a page switch does, then lets the window move the
 * focus out of it before anything else happens. GTK 4.8 keeps a reference
 * on a hidden widget that holds the focus until the frame's after-paint
 * phase moves the focus; a second widget on the focus path hidden or
 * removed in the meantime (a diagnosis that starts on show replaces the
 * finding rows, one of which may hold the focus) replaces that reference
 * without dropping it (_gtk_window_unset_focus_and_default), and the panel
 * then outlives its window. In the window a page switch is one per event. */
static void
hide_panel (Fixture *f)
{
  gtk_widget_set_visible (GTK_WIDGET (f->panel), FALSE);
  kg_ui_test_wait_for (focus_is_outside_panel, f, "the focus to leave the hidden panel");
}

static void
store_wrong_key (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (kg_keyring_store_sync (f->profile, WRONG_KEY, NULL, &error));
  g_assert_no_error (error);
}

/* ------------------------------------------------------------------ */
/* Tests                                                              */

static void
test_texts_from_core (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *url = kg_diagnosis_build_preferences_url (f->profile);

  /* The same words as keygate-cli. */
  g_assert_cmpstr (gtk_label_get_text (child (f->panel, "why_passwords_label")), ==,
                   kg_diagnosis_why_passwords_fail ());
  g_assert_cmpstr (gtk_label_get_text (child (f->panel, "why_keys_label")), ==,
                   kg_diagnosis_why_keys_work ());
  g_assert_cmpstr (gtk_label_get_text (child (f->panel, "steps_label")), ==,
                   kg_diagnosis_create_key_steps ());

  /* Without a connection nothing can run. */
  g_assert_false (gtk_widget_is_sensitive (child (f->panel, "run_button")));

  kg_page_set_profile (KG_PAGE (f->panel), f->profile);
  g_assert_true (gtk_widget_is_sensitive (child (f->panel, "run_button")));
  g_assert_cmpstr (adw_action_row_get_subtitle (child (f->panel, "open_preferences_row")), ==, url);
  g_assert_cmpstr (adw_preferences_row_get_title (child (f->panel, "password_row")), ==,
                   "Password of alice");
  /* The buttons wait for something to send. */
  g_assert_false (gtk_widget_is_sensitive (child (f->panel, "check_password_button")));
  g_assert_false (gtk_widget_is_sensitive (child (f->panel, "store_button")));
}

static void
test_refused_key (Fixture       *f,
                  gconstpointer  data)
{
  AdwExpanderRow *row;
  KgFinding *finding;
  g_autofree char *text = NULL;
  GtkWidget *button;
  GtkWindow *dialog;
  KgResponseView *view;
  GtkLabel *summary;
  g_autofree char *sequence = NULL;

  store_wrong_key (f);
  kg_page_set_profile (KG_PAGE (f->panel), f->profile);
  run_and_wait (f);

  /* The panel lists the doctor's findings in the doctor's order. */
  sequence = kg_test_findings_sequence (kg_two_factor_panel_get_findings (f->panel));
  g_assert_cmpstr (sequence, ==,
                   "server:ok database:ok database-listing:warning api-key:problem "
                   "create-key:warning");
  row = find_row (f, "api-key");
  g_assert_nonnull (row);
  finding = row_finding (row);
  g_assert_cmpint (kg_finding_get_status (finding), ==, KG_FINDING_PROBLEM);
  g_assert_cmpstr (row_icon_name (row), ==, "dialog-error-symbolic");
  /* A problem is open at once, and its text names the 2FA password case. */
  g_assert_true (adw_expander_row_get_expanded (row));
  text = dup_row_text (row);
  g_assert_nonnull (strstr (text, "A correct password of a user with two-factor authentication "
                                  "is refused the same way"));
  g_assert_nonnull (strstr (text, kg_finding_get_remedy (finding)));

  /* The checks before it passed and show the ok icon. */
  g_assert_cmpstr (row_icon_name (find_row (f, "server")), ==, "emblem-ok-symbolic");
  g_assert_cmpstr (row_icon_name (find_row (f, "database-listing")), ==,
                   "dialog-warning-symbolic");
  /* Without a working key the remedy path ends the run. */
  g_assert_nonnull (find_row (f, "create-key"));
  g_assert_null (find_row (f, "identity"));

  summary = child (f->panel, "summary_label");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (summary)));
  g_assert_nonnull (strstr (gtk_label_get_text (summary), "1 problem found"));

  /* The exchange behind the finding opens in a response view. */
  button = find_button_with_class (GTK_WIDGET (row), "kg-show-exchange");
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  dialog = find_toplevel (ADW_TYPE_WINDOW);
  g_assert_nonnull (dialog);
  kg_ui_test_wait_for (kg_ui_test_is_mapped, dialog, "the exchange window");
  g_assert_true (gtk_window_get_transient_for (dialog) == f->window);
  view = find_response_view (GTK_WIDGET (dialog));
  g_assert_nonnull (view);
  g_assert_true (kg_response_view_get_exchange (view) == kg_finding_get_exchange (finding));
  destroy_and_wait (dialog);

  assert_no_label_contains (WRONG_KEY);
  kg_test_assert_dir_lacks (kg_test_get_tmpdir (), WRONG_KEY);
}

static void
test_password_check (Fixture       *f,
                     gconstpointer  data)
{
  GtkEditable *password_row = child (f->panel, "password_row");
  GtkWidget *check_button = child (f->panel, "check_password_button");
  AdwMessageDialog *dialog;
  AdwExpanderRow *row;
  KgFinding *finding;
  GListModel *findings;

  store_wrong_key (f);
  kg_page_set_profile (KG_PAGE (f->panel), f->profile);
  kg_ui_test_wait_for (panel_is_idle, f->panel, "the first diagnosis to end");
  findings = kg_two_factor_panel_get_findings (f->panel);
  g_assert_null (find_row (f, "password"));

  gtk_editable_set_text (password_row, KG_DEMO_ALICE_PASSWORD);

  /* Cancelling the warning sends nothing. */
  kg_ui_test_click (check_button);
  kg_ui_test_wait_for (message_dialog_is_mapped, NULL, "the password warning");
  dialog = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==, kg_diagnosis_password_warning ());
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "cancel");
  kg_ui_test_click (find_button_with_label (GTK_WIDGET (dialog), "_Cancel"));
  kg_ui_test_wait_for (no_message_dialog, NULL, "the warning to close");
  g_assert_false (kg_page_get_busy (KG_PAGE (f->panel)));
  g_assert_true (kg_two_factor_panel_get_findings (f->panel) == findings);
  g_assert_null (find_row (f, "password"));
  g_assert_cmpstr (gtk_editable_get_text (password_row), ==, KG_DEMO_ALICE_PASSWORD);

  /* Confirming sends it once and clears the row at once. */
  kg_ui_test_click (check_button);
  kg_ui_test_wait_for (message_dialog_is_mapped, NULL, "the password warning");
  dialog = ADW_MESSAGE_DIALOG (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  kg_ui_test_click (find_button_with_label (GTK_WIDGET (dialog), "_Send Password"));
  g_assert_cmpstr (gtk_editable_get_text (password_row), ==, "");
  g_assert_true (kg_page_get_busy (KG_PAGE (f->panel)));
  kg_ui_test_wait_for (no_message_dialog, NULL, "the warning to close");
  kg_ui_test_wait_for (panel_is_idle, f->panel, "the diagnosis to end");

  /* The uid-null answer: 2FA is on, and with no working key it is the problem. */
  row = find_row (f, "password");
  g_assert_nonnull (row);
  finding = row_finding (row);
  g_assert_cmpint (kg_finding_get_status (finding), ==, KG_FINDING_PROBLEM);
  g_assert_cmpstr (kg_finding_get_error_kind (finding), ==, "two-factor-required");
  g_assert_nonnull (strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                            "2FA is on"));
  /* The answer heads the result instead of being one more row. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (row)));
  g_assert_true (g_str_has_prefix (gtk_label_get_text (child (f->panel, "summary_label")),
                                   kg_finding_get_title (finding)));
  g_assert_cmpstr (row_icon_name (row), ==, "dialog-error-symbolic");
  /* The answer heads the result instead of being one more row. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (row)));
  g_assert_true (g_str_has_prefix (gtk_label_get_text (child (f->panel, "summary_label")),
                                   kg_finding_get_title (finding)));
  g_assert_cmpint (kg_finding_get_status (row_finding (find_row (f, "api-key"))), ==,
                   KG_FINDING_PROBLEM);
  g_assert_false (gtk_widget_is_sensitive (check_button));

  /* The next run does not send it again. */
  run_and_wait (f);
  g_assert_null (find_row (f, "password"));

  assert_no_label_contains (KG_DEMO_ALICE_PASSWORD);
  kg_test_assert_dir_lacks (kg_test_get_tmpdir (), KG_DEMO_ALICE_PASSWORD);
}

static gboolean
key_verdict_shown (gpointer data)
{
  Fixture *f = data;
  GtkLabel *label = child (f->panel, "key_status_label");

  return !kg_page_get_busy (KG_PAGE (f->panel)) &&
         strstr (gtk_label_get_text (label), "works") != NULL;
}

static void
key_state_changed_cb (KgAppContext *context,
                      KgProfile    *profile,
                      guint        *count)
{
  (*count)++;
}

static void
test_paste_new_key (Fixture       *f,
                    gconstpointer  data)
{
  GtkEditable *key_row = child (f->panel, "key_row");
  g_autoptr(GError) error = NULL;
  g_autofree char *padded = g_strdup_printf ("  %s\n", KG_DEMO_ALICE_KEY);
  g_autofree char *stored = NULL;
  AdwExpanderRow *row;
  guint key_state_changes = 0;

  store_wrong_key (f);
  kg_page_set_profile (KG_PAGE (f->panel), f->profile);
  run_and_wait (f);
  g_assert_cmpint (kg_finding_get_status (row_finding (find_row (f, "api-key"))), ==,
                   KG_FINDING_PROBLEM);
  kg_app_context_set_has_key (f->context, f->profile, FALSE);
  g_signal_connect (f->context, "key-state-changed", G_CALLBACK (key_state_changed_cb),
                    &key_state_changes);

  /* Pasted with the whitespace a copy often brings. */
  gtk_editable_set_text (key_row, padded);
  kg_ui_test_click (child (f->panel, "store_button"));
  kg_ui_test_wait_for (key_verdict_shown, f, "the new key to be stored and verified");

  /* In the real keyring, trimmed, and the context knows. */
  stored = kg_keyring_lookup_sync (f->profile, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored, ==, KG_DEMO_ALICE_KEY);
  kg_secret_free (g_steal_pointer (&stored));
  g_assert_cmpint (kg_app_context_get_has_key (f->context, f->profile), ==, KG_TRISTATE_TRUE);
  g_assert_cmpuint (key_state_changes, >=, 1);
  g_assert_cmpstr (gtk_editable_get_text (key_row), ==, "");

  /* The rerun shows it working. */
  row = find_row (f, "api-key");
  g_assert_cmpint (kg_finding_get_status (row_finding (row)), ==, KG_FINDING_OK);
  g_assert_cmpstr (row_icon_name (row), ==, "emblem-ok-symbolic");
  g_assert_false (adw_expander_row_get_expanded (row));
  g_assert_nonnull (find_row (f, "identity"));
  g_assert_nonnull (strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (
                              find_row (f, "two-factor"))), "Two-factor authentication is on"));
  g_assert_null (find_row (f, "create-key"));
  g_assert_nonnull (strstr (gtk_label_get_text (child (f->panel, "key_status_label")),
                            "acts as Alice"));

  g_signal_handlers_disconnect_by_func (f->context, key_state_changed_cb, &key_state_changes);
  assert_no_label_contains (KG_DEMO_ALICE_KEY);
  kg_test_assert_dir_lacks (kg_test_get_tmpdir (), KG_DEMO_ALICE_KEY);
}

static void
test_profile_change (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(KgProfile) other = kg_test_demo_profile ("carol");

  store_wrong_key (f);
  kg_page_set_profile (KG_PAGE (f->panel), f->profile);
  run_and_wait (f);
  g_assert_cmpuint (g_list_model_get_n_items (kg_two_factor_panel_get_findings (f->panel)), >, 0);

  /* A run in flight is abandoned and nothing of alice's stays. */
  kg_ui_test_click (child (f->panel, "run_button"));
  gtk_editable_set_text (child (f->panel, "password_row"), "typed for alice");
  kg_page_set_profile (KG_PAGE (f->panel), other);
  g_assert_cmpuint (g_list_model_get_n_items (kg_two_factor_panel_get_findings (f->panel)), ==, 0);
  g_assert_null (gtk_list_box_get_row_at_index (child (f->panel, "findings_list"), 0));
  g_assert_cmpstr (gtk_editable_get_text (child (f->panel, "password_row")), ==, "");
  g_assert_false (gtk_widget_get_visible (child (f->panel, "summary_label")));
  g_assert_cmpstr (adw_preferences_row_get_title (child (f->panel, "password_row")), ==,
                   "Password of carol");

  /* The shown page diagnoses the newly selected connection by itself.
   * Carol has no key: the run says so instead of failing. */
  g_assert_true (kg_page_get_busy (KG_PAGE (f->panel)));
  kg_ui_test_wait_for (panel_is_idle, f->panel, "carol's diagnosis to end");
  g_assert_cmpint (kg_finding_get_status (row_finding (find_row (f, "api-key"))), ==,
                   KG_FINDING_WARNING);
  g_assert_cmpint (kg_app_context_get_has_key (f->context, other), ==, KG_TRISTATE_FALSE);
  g_assert_nonnull (find_row (f, "create-key"));
}

static void
test_runs_when_shown (Fixture       *f,
                      gconstpointer  data)
{
  GListModel *findings;

  store_wrong_key (f);

  /* Hidden: a selected connection is not diagnosed... */
  hide_panel (f);
  kg_page_set_profile (KG_PAGE (f->panel), f->profile);
  g_assert_false (kg_page_get_busy (KG_PAGE (f->panel)));

  /* ...until the page is shown. */
  gtk_widget_set_visible (GTK_WIDGET (f->panel), TRUE);
  kg_ui_test_wait_for (panel_is_running, f->panel, "the diagnosis to start");
  kg_ui_test_wait_for (panel_is_idle, f->panel, "the diagnosis to end");
  g_assert_cmpint (kg_finding_get_status (row_finding (find_row (f, "api-key"))), ==,
                   KG_FINDING_PROBLEM);

  /* Showing it again keeps the findings instead of asking the server again. */
  findings = kg_two_factor_panel_get_findings (f->panel);
  hide_panel (f);
  gtk_widget_set_visible (GTK_WIDGET (f->panel), TRUE);
  kg_ui_test_wait_for (kg_ui_test_is_mapped, f->panel, "the panel to be shown again");
  /* A rerun would have started when the panel was mapped. */
  kg_ui_test_wait_frames (GTK_WIDGET (f->panel), 2);
  g_assert_false (kg_page_get_busy (KG_PAGE (f->panel)));
  g_assert_true (kg_two_factor_panel_get_findings (f->panel) == findings);

  /* An access-denied reported while the page is hidden (the window then
   * shows it) makes the findings stale: shown again, it diagnoses again. */
  {
    g_autoptr(GError) denied = g_error_new_literal (KG_ERROR, KG_ERROR_ACCESS_DENIED, "denied");
    g_autoptr(KgProfile) other = kg_test_demo_profile ("bob");

    hide_panel (f);
    kg_app_context_report_error (f->context, other, denied);   /* another connection's */
    gtk_widget_set_visible (GTK_WIDGET (f->panel), TRUE);
    kg_ui_test_wait_for (kg_ui_test_is_mapped, f->panel, "the panel to be shown again");
    kg_ui_test_wait_frames (GTK_WIDGET (f->panel), 2);
    g_assert_false (kg_page_get_busy (KG_PAGE (f->panel)));

    hide_panel (f);
    kg_app_context_report_error (f->context, f->profile, denied);
    gtk_widget_set_visible (GTK_WIDGET (f->panel), TRUE);
    kg_ui_test_wait_for (panel_is_running, f->panel, "the diagnosis to start again");
    kg_ui_test_wait_for (panel_is_idle, f->panel, "the diagnosis to end");
    g_assert_true (kg_two_factor_panel_get_findings (f->panel) != findings);
    findings = kg_two_factor_panel_get_findings (f->panel);

    /* So does a key stored elsewhere (the API Key page). */
    hide_panel (f);
    kg_app_context_set_has_key (f->context, f->profile, FALSE);
    gtk_widget_set_visible (GTK_WIDGET (f->panel), TRUE);
    kg_ui_test_wait_for (panel_is_running, f->panel, "the diagnosis to start again");
    kg_ui_test_wait_for (panel_is_idle, f->panel, "the diagnosis to end");
    findings = kg_two_factor_panel_get_findings (f->panel);
  }

  /* What the window calls after an access-denied: a fresh run. */
  kg_two_factor_panel_run (f->panel);
  g_assert_true (kg_page_get_busy (KG_PAGE (f->panel)));
  kg_ui_test_wait_for (panel_is_idle, f->panel, "the diagnosis to end");
  g_assert_true (kg_two_factor_panel_get_findings (f->panel) != findings);
  g_assert_nonnull (find_row (f, "api-key"));
}

int
main (int   argc,
      char *argv[])
{
  kg_test_init (&argc, &argv);
  gtk_init ();
  adw_init ();

  g_test_add ("/ui/two-factor-panel/texts-from-core", Fixture, NULL,
              fixture_set_up, test_texts_from_core, fixture_tear_down);
  g_test_add ("/ui/two-factor-panel/refused-key", Fixture, NULL,
              fixture_set_up, test_refused_key, fixture_tear_down);
  g_test_add ("/ui/two-factor-panel/password-check", Fixture, NULL,
              fixture_set_up, test_password_check, fixture_tear_down);
  g_test_add ("/ui/two-factor-panel/paste-new-key", Fixture, NULL,
              fixture_set_up, test_paste_new_key, fixture_tear_down);
  g_test_add ("/ui/two-factor-panel/runs-when-shown", Fixture, NULL,
              fixture_set_up, test_runs_when_shown, fixture_tear_down);
  g_test_add ("/ui/two-factor-panel/profile-change", Fixture, NULL,
              fixture_set_up, test_profile_change, fixture_tear_down);

  return g_test_run ();
}
