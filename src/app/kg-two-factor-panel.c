/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "keygate-app"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "kg-finding-row.h"
#include "kg-two-factor-panel.h"

/* The 2FA doctor's page. Every sentence about the diagnosis comes from
 * core (kg-diagnosis), so the panel and keygate-cli say the same thing.
 * Secrets typed here (the password, a new key) are read once, handed to
 * core and wiped; they never reach a label. */

struct _KgTwoFactorPanel
{
  KgPage        parent_instance;

  KgDiagnosis  *diagnosis;        /* of the last run, or NULL */
  GListStore   *empty_findings;   /* shown before the first run */
  char         *keyring_note;     /* why the stored key could not be read */
  gboolean      diagnosed;        /* a run started since the profile was set */
  gboolean      verifying_new_key;
  gboolean      stale;            /* the findings no longer tell the truth */
  guint         auto_run_id;      /* idle starting a run after the page is shown */

  /* Template children */
  GtkLabel             *why_passwords_label;
  GtkLabel             *why_keys_label;
  AdwPreferencesGroup  *diagnosis_group;
  GtkSpinner           *spinner;
  GtkButton            *run_button;
  GtkLabel             *summary_label;
  GtkLabel             *password_answer_label;
  GtkListBox           *findings_list;
  AdwPasswordEntryRow  *password_row;
  GtkButton            *check_password_button;
  GtkLabel             *steps_label;
  AdwActionRow         *open_preferences_row;
  AdwPasswordEntryRow  *key_row;
  GtkButton            *store_button;
  GtkLabel             *key_status_label;
};

G_DEFINE_FINAL_TYPE (KgTwoFactorPanel, kg_two_factor_panel, KG_TYPE_PAGE)

static void start_run (KgTwoFactorPanel *self,
                       const char       *password);

/* ------------------------------------------------------------------ */
/* Helpers                                                            */

static KgProfile *
panel_profile (KgTwoFactorPanel *self)
{
  return kg_page_get_profile (KG_PAGE (self));
}

static KgAppContext *
panel_context (KgTwoFactorPanel *self)
{
  return kg_page_get_context (KG_PAGE (self));
}

static void
busy_changed_cb (KgTwoFactorPanel *self)
{
  gboolean running = kg_page_get_busy (KG_PAGE (self));

  gtk_widget_set_visible (GTK_WIDGET (self->spinner), running);
  gtk_spinner_set_spinning (self->spinner, running);
}

static void
set_status (GtkLabel   *label,
            const char *text,
            const char *style)
{
  gtk_widget_remove_css_class (GTK_WIDGET (label), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (label), "warning");
  gtk_widget_remove_css_class (GTK_WIDGET (label), "success");
  if (style != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (label), style);
  gtk_label_set_text (label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL);
}

static void
update_sensitivity (KgTwoFactorPanel *self)
{
  gboolean has_profile = panel_profile (self) != NULL;
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  const char *key = gtk_editable_get_text (GTK_EDITABLE (self->key_row));

  gtk_widget_set_sensitive (GTK_WIDGET (self->run_button), has_profile);
  gtk_widget_set_sensitive (GTK_WIDGET (self->check_password_button),
                            has_profile && password != NULL && *password != '\0');
  gtk_widget_set_sensitive (GTK_WIDGET (self->store_button),
                            has_profile && key != NULL && *key != '\0');
  gtk_widget_set_sensitive (GTK_WIDGET (self->open_preferences_row), has_profile);
  gtk_widget_set_sensitive (GTK_WIDGET (self->password_row), has_profile);
  gtk_widget_set_sensitive (GTK_WIDGET (self->key_row), has_profile);
}

/* ------------------------------------------------------------------ */
/* Finding rows                                                       */

static GtkWidget *
create_finding_row (gpointer item,
                    gpointer user_data)
{
  return kg_finding_row_new (KG_FINDING (item));
}

/* The password check's answer is the headline of the result (see
 * show_summary), not one more row among the checks. (A list box bound to
 * a model ignores filter functions and shows every row it makes.) */
static void
hide_password_row (KgTwoFactorPanel *self)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->findings_list));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      KgFinding *finding;

      if (!KG_IS_FINDING_ROW (row))
        continue;
      finding = kg_finding_row_get_finding (KG_FINDING_ROW (row));
      if (finding != NULL && g_strcmp0 (kg_finding_get_check (finding), "password") == 0)
        gtk_widget_set_visible (row, FALSE);
    }
}
static void
bind_findings (KgTwoFactorPanel *self,
               GListModel       *model)
{
  gtk_list_box_bind_model (self->findings_list, model, create_finding_row, NULL, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->findings_list), g_list_model_get_n_items (model) > 0);
  hide_password_row (self);
}

static void
findings_changed_cb (KgTwoFactorPanel *self,
                     guint             position,
                     guint             removed,
                     guint             added,
                     GListModel       *model)
{
  gtk_widget_set_visible (GTK_WIDGET (self->findings_list), g_list_model_get_n_items (model) > 0);
  hide_password_row (self);
}

static void
set_diagnosis (KgTwoFactorPanel *self,
               KgDiagnosis      *diagnosis)
{
  if (self->diagnosis != NULL)
    g_signal_handlers_disconnect_by_func (kg_diagnosis_get_findings (self->diagnosis),
                                          findings_changed_cb, self);
  g_set_object (&self->diagnosis, diagnosis);

  if (diagnosis != NULL)
    {
      GListModel *model = kg_diagnosis_get_findings (diagnosis);

      /* After the list box has made the new rows. */
      g_signal_connect_object (model, "items-changed", G_CALLBACK (findings_changed_cb), self,
                               G_CONNECT_SWAPPED | G_CONNECT_AFTER);
      bind_findings (self, model);
    }
  else
    {
      bind_findings (self, G_LIST_MODEL (self->empty_findings));
    }
}

/* ------------------------------------------------------------------ */
/* The run                                                            */

static KgFinding *
find_finding (KgTwoFactorPanel *self,
              const char       *check)
{
  GListModel *model;
  guint n;

  if (self->diagnosis == NULL)
    return NULL;

  model = kg_diagnosis_get_findings (self->diagnosis);
  n = g_list_model_get_n_items (model);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KgFinding) finding = g_list_model_get_item (model, i);

      if (g_strcmp0 (kg_finding_get_check (finding), check) == 0)
        return finding;  /* the model keeps it alive */
    }

  return NULL;
}

static void
show_summary (KgTwoFactorPanel *self)
{
  GListModel *model = kg_diagnosis_get_findings (self->diagnosis);
  guint n = g_list_model_get_n_items (model);
  guint n_problems = 0;
  guint n_warnings = 0;
  g_autoptr(GString) text = g_string_new (NULL);
  KgFinding *password;
  const char *style;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KgFinding) finding = g_list_model_get_item (model, i);

      if (kg_finding_get_status (finding) == KG_FINDING_PROBLEM)
        n_problems++;
      else if (kg_finding_get_status (finding) == KG_FINDING_WARNING)
        n_warnings++;
    }

  if (n_problems > 0)
    {
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                                 "%u problem found: open it below for what to do.",
                                                 "%u problems found: open them below for what "
                                                 "to do.",
                                                 n_problems), n_problems);
      style = "error";
    }
  else if (n_warnings > 0)
    {
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                                 "No problem found, %u warning.",
                                                 "No problem found, %u warnings.",
                                                 n_warnings), n_warnings);
      style = "warning";
    }
  else
    {
      g_string_append (text, _("No problem found: this connection works."));
      style = "success";
    }

  if (self->keyring_note != NULL)
    g_string_append_printf (text, "\n%s", self->keyring_note);

  /* A password check asked one question: its answer leads, in words. A
   * password refused for 2FA while the key works is the answer, not a
   * warning. */
  password = find_finding (self, "password");
  if (password != NULL)
    {
      g_autofree char *counts = g_string_free (g_steal_pointer (&text), FALSE);
      g_autofree char *answer = NULL;
      const char *remedy = kg_finding_get_remedy (password);

      text = g_string_new (kg_finding_get_title (password));
      if (n_problems > 0 && kg_finding_get_status (password) != KG_FINDING_PROBLEM)
        g_string_append_printf (text, "\n%s", counts);
      switch (kg_finding_get_status (password))
        {
        case KG_FINDING_PROBLEM:
          style = "error";
          break;
        case KG_FINDING_OK:
          style = "success";
          break;
        case KG_FINDING_WARNING:
        default:
          style = n_problems > 0 ? "error" : NULL;
          break;
        }
      answer = remedy != NULL ? g_strdup_printf ("%s\n\n%s",
                                                 kg_finding_get_explanation (password), remedy)
                              : g_strdup (kg_finding_get_explanation (password));
      set_status (self->password_answer_label, answer, NULL);
    }
  else
    set_status (self->password_answer_label, NULL, NULL);

  set_status (self->summary_label, text->str, style);
}

static void
show_new_key_verdict (KgTwoFactorPanel *self)
{
  KgFinding *api_key = find_finding (self, "api-key");
  KgFinding *identity = find_finding (self, "identity");

  self->verifying_new_key = FALSE;

  if (api_key != NULL && kg_finding_get_status (api_key) == KG_FINDING_OK)
    {
      g_autofree char *text = NULL;

      if (identity != NULL)
        text = g_strdup_printf (_("The new key is stored and works. %s."),
                                kg_finding_get_title (identity));
      else
        text = g_strdup (_("The new key is stored and works."));
      set_status (self->key_status_label, text, "success");
    }
  else if (api_key != NULL)
    {
      set_status (self->key_status_label,
                  _("The new key is stored, but Odoo refused it: see the findings above."),
                  "error");
    }
  else
    {
      set_status (self->key_status_label,
                  _("The new key is stored, but the diagnosis stopped before checking it: see "
                    "the findings above."),
                  "warning");
    }
}

/* A run: the page is touched only while @cancellable is its operation (it
 * cancels it before it goes away), so nothing here keeps the page alive. */
typedef struct
{
  KgTwoFactorPanel *self;
  GCancellable     *cancellable;
  char             *password;
} RunData;

static void
run_data_free (RunData *data)
{
  g_clear_object (&data->cancellable);
  kg_secret_free (data->password);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RunData, run_data_free)

static void
run_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(RunData) data = user_data;
  KgTwoFactorPanel *self = data->self;
  KgDiagnosis *diagnosis = KG_DIAGNOSIS (source);
  g_autoptr(GError) error = NULL;

  kg_diagnosis_run_finish (diagnosis, result, &error);

  /* A newer run, another profile or the window closing took over. */
  if (g_cancellable_is_cancelled (data->cancellable))
    return;
  kg_page_end_operation (KG_PAGE (self), data->cancellable);

  if (error != NULL)
    {
      set_status (self->summary_label, error->message, "error");
      return;
    }

  show_summary (self);
  if (self->verifying_new_key)
    show_new_key_verdict (self);
  else if (find_finding (self, "password") != NULL)
    /* Asked at the bottom of the page, answered at the top of the
     * diagnosis. */
    kg_page_scroll_to (gtk_widget_get_parent (GTK_WIDGET (self->summary_label)));
}

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(RunData) data = user_data;
  KgTwoFactorPanel *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(KgDiagnosis) diagnosis = NULL;
  KgAppContext *context;
  KgProfile *profile;
  GCancellable *cancellable;
  char *key;

  key = kg_keyring_lookup_finish (result, &error);
  if (g_cancellable_is_cancelled (data->cancellable))
    {
      kg_secret_free (key);
      return;
    }

  context = panel_context (self);
  profile = panel_profile (self);
  g_clear_pointer (&self->keyring_note, g_free);
  if (error != NULL && !g_error_matches (error, KG_ERROR, KG_ERROR_KEY_NOT_FOUND))
    {
      const char *remedy = kg_error_get_remedy (error);

      self->keyring_note = remedy != NULL
        ? g_strdup_printf (_("The stored key could not be read, so the diagnosis ran without it: "
                             "%s %s"), error->message, remedy)
        : g_strdup_printf (_("The stored key could not be read, so the diagnosis ran without it: "
                             "%s"), error->message);
    }
  else
    {
      /* The keyring answered: keep the key state the sidebar shows true. */
      kg_app_context_set_has_key (context, profile, key != NULL);
    }

  diagnosis = kg_diagnosis_new (kg_app_context_get_http (context), profile);
  kg_diagnosis_set_api_key (diagnosis, key);
  kg_diagnosis_set_password (diagnosis, data->password);
  kg_secret_free (key);
  g_clear_pointer (&data->password, kg_secret_free);

  set_diagnosis (self, diagnosis);
  /* The operation carries over from the lookup to the run. */
  cancellable = data->cancellable;
  kg_diagnosis_run_async (diagnosis, cancellable, run_cb, g_steal_pointer (&data));
}

/* Looks up the stored key and runs the diagnosis with it (and with
 * @password, when given: used for this run only). A run in flight is
 * abandoned. */
static void
start_run (KgTwoFactorPanel *self,
           const char       *password)
{
  KgProfile *profile = panel_profile (self);
  RunData *data;

  if (profile == NULL)
    return;

  self->stale = FALSE;
  self->diagnosed = TRUE;

  set_diagnosis (self, NULL);
  set_status (self->summary_label, NULL, NULL);
  set_status (self->password_answer_label, NULL, NULL);

  data = g_new0 (RunData, 1);
  data->self = self;
  data->cancellable = g_object_ref (kg_page_begin_operation (KG_PAGE (self)));
  data->password = g_strdup (password);
  kg_keyring_lookup_async (profile, data->cancellable, lookup_cb, data);
}

static void
run_clicked_cb (KgTwoFactorPanel *self)
{
  self->verifying_new_key = FALSE;
  start_run (self, NULL);
}

static void
run_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  KgTwoFactorPanel *self = KG_TWO_FACTOR_PANEL (widget);

  if (panel_profile (self) != NULL && gtk_widget_is_sensitive (GTK_WIDGET (self->run_button)))
    run_clicked_cb (self);
}

/* ------------------------------------------------------------------ */
/* The password check                                                 */

static void
password_changed_cb (KgTwoFactorPanel *self)
{
  update_sensitivity (self);
}

static void
password_dialog_response_cb (AdwMessageDialog *dialog,
                             const char       *response,
                             KgTwoFactorPanel *self)
{
  char *password;

  if (g_strcmp0 (response, "check") != 0 || panel_profile (self) == NULL)
    return;

  /* Read once, cleared from the row at once, never stored. */
  password = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->password_row)));
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  if (*password != '\0')
    {
      self->verifying_new_key = FALSE;
      start_run (self, password);
    }
  kg_secret_free (password);
}

static void
check_password_clicked_cb (KgTwoFactorPanel *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  GtkWidget *dialog;

  if (panel_profile (self) == NULL || password == NULL || *password == '\0')
    return;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Send the Password to Odoo?"),
                                   kg_diagnosis_password_warning ());
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "check", _("_Send Password"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "check",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (password_dialog_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ------------------------------------------------------------------ */
/* Paste your new key                                                 */

static void
key_changed_cb (KgTwoFactorPanel *self)
{
  update_sensitivity (self);
}

static void
open_preferences_cb (KgTwoFactorPanel *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *url = NULL;

  if (panel_profile (self) == NULL)
    return;

  url = kg_diagnosis_build_preferences_url (panel_profile (self));
  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, url, GDK_CURRENT_TIME);
}

static void
stored_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(RunData) data = user_data;
  KgTwoFactorPanel *self = data->self;
  g_autoptr(GError) error = NULL;

  kg_keyring_store_finish (result, &error);
  if (g_cancellable_is_cancelled (data->cancellable))
    return;

  if (error != NULL)
    {
      const char *remedy = kg_error_get_remedy (error);
      g_autofree char *text = remedy != NULL
        ? g_strdup_printf (_("The key could not be stored: %s %s"), error->message, remedy)
        : g_strdup_printf (_("The key could not be stored: %s"), error->message);

      set_status (self->key_status_label, text, "error");
      kg_page_end_operation (KG_PAGE (self), data->cancellable);
      return;
    }

  gtk_editable_set_text (GTK_EDITABLE (self->key_row), "");
  kg_app_context_set_has_key (panel_context (self), panel_profile (self), TRUE);
  set_status (self->key_status_label, _("Stored in the keyring. Checking the new key…"), NULL);

  self->verifying_new_key = TRUE;
  start_run (self, NULL);
}

static void
store_clicked_cb (KgTwoFactorPanel *self)
{
  g_autoptr(GError) error = NULL;
  RunData *data;
  char *key;

  if (panel_profile (self) == NULL)
    return;

  key = kg_keyring_normalize_key (gtk_editable_get_text (GTK_EDITABLE (self->key_row)), &error);
  if (key == NULL)
    {
      set_status (self->key_status_label, error->message, "error");
      return;
    }

  if (!kg_keyring_key_looks_valid (key))
    set_status (self->key_status_label,
                _("This does not look like an Odoo API key (40 characters, 0–9 and a–f). "
                  "Storing it anyway; the check below tells whether Odoo accepts it."),
                "warning");
  else
    set_status (self->key_status_label, _("Storing the key…"), NULL);

  /* Storing is the page's operation too: a run starts once it is done. */
  data = g_new0 (RunData, 1);
  data->self = self;
  data->cancellable = g_object_ref (kg_page_begin_operation (KG_PAGE (self)));
  kg_keyring_store_async (panel_profile (self), key, data->cancellable, stored_cb, data);
  kg_secret_free (key);
}

/* ------------------------------------------------------------------ */
/* Profile                                                            */

static void
update_profile_texts (KgTwoFactorPanel *self)
{
  g_autofree char *password_title = NULL;
  g_autofree char *url = NULL;

  if (panel_profile (self) != NULL && kg_profile_get_login (panel_profile (self)) != NULL)
    password_title = g_strdup_printf (_("Password of %s"),
                                      kg_profile_get_login (panel_profile (self)));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->password_row),
                                 password_title ? password_title : _("Password"));

  if (panel_profile (self) != NULL)
    url = kg_diagnosis_build_preferences_url (panel_profile (self));
  adw_action_row_set_subtitle (self->open_preferences_row, url ? url : "");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->open_preferences_row), url);
}

/* Opening the page shows the findings of the selected connection: a
 * connection never diagnosed since it was selected is diagnosed when the
 * page is shown (with the stored key only; the password check is never
 * automatic). */
static void
maybe_auto_run (KgTwoFactorPanel *self)
{
  if (panel_profile (self) != NULL && (!self->diagnosed || self->stale) &&
      gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->verifying_new_key = FALSE;
      start_run (self, NULL);
    }
}

/* An access-denied elsewhere (the window then shows this page), or a key
 * stored or forgotten elsewhere, makes the shown findings stale: the next
 * time the page is shown it diagnoses again. While the page is shown, its
 * own run is what changed the key state. */
static void
context_error_reported_cb (KgTwoFactorPanel *self,
                           KgProfile        *profile,
                           const GError     *error)
{
  if (panel_profile (self) == NULL ||
      g_strcmp0 (kg_profile_get_id (profile), kg_profile_get_id (panel_profile (self))) != 0)
    return;
  if (!g_error_matches (error, KG_ERROR, KG_ERROR_ACCESS_DENIED) &&
      !g_error_matches (error, KG_ERROR, KG_ERROR_TWO_FACTOR_REQUIRED))
    return;

  self->stale = TRUE;
  maybe_auto_run (self);
}

static void
context_key_state_changed_cb (KgTwoFactorPanel *self,
                              KgProfile        *profile)
{
  if (panel_profile (self) == NULL || gtk_widget_get_mapped (GTK_WIDGET (self)) ||
      g_strcmp0 (kg_profile_get_id (profile), kg_profile_get_id (panel_profile (self))) != 0)
    return;

  self->stale = TRUE;
}

/* ------------------------------------------------------------------ */
/* GObject                                                            */

static void
kg_two_factor_panel_constructed (GObject *object)
{
  KgTwoFactorPanel *self = KG_TWO_FACTOR_PANEL (object);

  G_OBJECT_CLASS (kg_two_factor_panel_parent_class)->constructed (object);

  if (panel_context (self) != NULL)
    {
      g_signal_connect_object (panel_context (self), "error-reported",
                               G_CALLBACK (context_error_reported_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (panel_context (self), "key-state-changed",
                               G_CALLBACK (context_key_state_changed_cb), self,
                               G_CONNECT_SWAPPED);
    }
}

static gboolean
auto_run_idle_cb (gpointer user_data)
{
  KgTwoFactorPanel *self = user_data;

  self->auto_run_id = 0;
  maybe_auto_run (self);
  return G_SOURCE_REMOVE;
}

/* Not from map itself: replacing the finding rows while GTK maps them
 * leaves references behind. */
static void
kg_two_factor_panel_map (GtkWidget *widget)
{
  KgTwoFactorPanel *self = KG_TWO_FACTOR_PANEL (widget);

  GTK_WIDGET_CLASS (kg_two_factor_panel_parent_class)->map (widget);
  if (self->auto_run_id == 0)
    self->auto_run_id = g_idle_add (auto_run_idle_cb, self);
}

static void
kg_two_factor_panel_unmap (GtkWidget *widget)
{
  KgTwoFactorPanel *self = KG_TWO_FACTOR_PANEL (widget);

  g_clear_handle_id (&self->auto_run_id, g_source_remove);
  GTK_WIDGET_CLASS (kg_two_factor_panel_parent_class)->unmap (widget);
}

static void
kg_two_factor_panel_dispose (GObject *object)
{
  KgTwoFactorPanel *self = KG_TWO_FACTOR_PANEL (object);

  kg_page_deactivate (KG_PAGE (self));
  g_clear_handle_id (&self->auto_run_id, g_source_remove);
  if (self->findings_list != NULL)
    gtk_list_box_bind_model (self->findings_list, NULL, NULL, NULL, NULL);
  if (self->diagnosis != NULL)
    g_signal_handlers_disconnect_by_func (kg_diagnosis_get_findings (self->diagnosis),
                                          findings_changed_cb, self);
  g_clear_object (&self->diagnosis);
  gtk_widget_dispose_template (GTK_WIDGET (self), KG_TYPE_TWO_FACTOR_PANEL);

  G_OBJECT_CLASS (kg_two_factor_panel_parent_class)->dispose (object);
}

static void
kg_two_factor_panel_finalize (GObject *object)
{
  KgTwoFactorPanel *self = KG_TWO_FACTOR_PANEL (object);

  g_clear_object (&self->empty_findings);
  g_clear_pointer (&self->keyring_note, g_free);

  G_OBJECT_CLASS (kg_two_factor_panel_parent_class)->finalize (object);
}

/* Nothing of the previous connection carries over. */
static void
kg_two_factor_panel_profile_changed (KgPage    *page,
                                     KgProfile *old_profile)
{
  KgTwoFactorPanel *self = KG_TWO_FACTOR_PANEL (page);

  self->diagnosed = FALSE;
  self->verifying_new_key = FALSE;
  self->stale = FALSE;
  g_clear_pointer (&self->keyring_note, g_free);

  set_diagnosis (self, NULL);
  set_status (self->summary_label, NULL, NULL);
  set_status (self->password_answer_label, NULL, NULL);
  set_status (self->key_status_label, NULL, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->key_row), "");
  update_profile_texts (self);
  update_sensitivity (self);
  maybe_auto_run (self);
}

static void
kg_two_factor_panel_class_init (KgTwoFactorPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  KgPageClass *page_class = KG_PAGE_CLASS (klass);

  object_class->constructed = kg_two_factor_panel_constructed;
  object_class->dispose = kg_two_factor_panel_dispose;
  object_class->finalize = kg_two_factor_panel_finalize;
  page_class->profile_changed = kg_two_factor_panel_profile_changed;

  widget_class->map = kg_two_factor_panel_map;
  widget_class->unmap = kg_two_factor_panel_unmap;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/kg-two-factor-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, KgTwoFactorPanel, why_passwords_label);
  gtk_widget_class_bind_template_child (widget_class, KgTwoFactorPanel, why_keys_label);
  gtk_widget_class_bind_template_child (widget_class, KgTwoFactorPanel, diagnosis_group);
  gtk_widget_class_bind_template_child (widget_class, KgTwoFactorPanel, spinner);
  gtk_widget_class_bind_template_child (widget_class, KgTwoFactorPanel, run_button);
  gtk_widget_class_bind_template_child (widget_class, KgTwoFactorPanel, summary_label);
  gtk_widget_class_bind_template_child (widget_class, KgTwoFactorPanel, password_answer_label);
  gtk_widget_class_bind_template_child (widget_class, KgTwoFactorPanel, findings_list);
  gtk_widget_class_bind_template_child (widget_class, KgTwoFactorPanel, password_row);
  gtk_widget_class_bind_template_child (widget_class, KgTwoFactorPanel, check_password_button);
  gtk_widget_class_bind_template_child (widget_class, KgTwoFactorPanel, steps_label);
  gtk_widget_class_bind_template_child (widget_class, KgTwoFactorPanel, open_preferences_row);
  gtk_widget_class_bind_template_child (widget_class, KgTwoFactorPanel, key_row);
  gtk_widget_class_bind_template_child (widget_class, KgTwoFactorPanel, store_button);
  gtk_widget_class_bind_template_child (widget_class, KgTwoFactorPanel, key_status_label);
  gtk_widget_class_bind_template_callback (widget_class, run_clicked_cb);
  gtk_widget_class_install_action (widget_class, "page.run", NULL, run_action);
  gtk_widget_class_bind_template_callback (widget_class, password_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, check_password_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, open_preferences_cb);
  gtk_widget_class_bind_template_callback (widget_class, key_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, store_clicked_cb);
}

static void
kg_two_factor_panel_init (KgTwoFactorPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  kg_page_set_main_action (KG_PAGE (self), "page.run");

  self->empty_findings = g_list_store_new (KG_TYPE_FINDING);
  g_signal_connect (self, "notify::busy", G_CALLBACK (busy_changed_cb), NULL);

  gtk_label_set_text (self->why_passwords_label, kg_diagnosis_why_passwords_fail ());
  gtk_label_set_text (self->why_keys_label, kg_diagnosis_why_keys_work ());
  gtk_label_set_text (self->steps_label, kg_diagnosis_create_key_steps ());

  set_diagnosis (self, NULL);
  update_profile_texts (self);
  update_sensitivity (self);
}

GtkWidget *
kg_two_factor_panel_new (KgAppContext *context)
{
  return g_object_new (KG_TYPE_TWO_FACTOR_PANEL, "context", context, NULL);
}

void
kg_two_factor_panel_run (KgTwoFactorPanel *self)
{
  g_return_if_fail (KG_IS_TWO_FACTOR_PANEL (self));

  self->verifying_new_key = FALSE;
  start_run (self, NULL);
}

GListModel *
kg_two_factor_panel_get_findings (KgTwoFactorPanel *self)
{
  g_return_val_if_fail (KG_IS_TWO_FACTOR_PANEL (self), NULL);

  if (self->diagnosis != NULL)
    return kg_diagnosis_get_findings (self->diagnosis);
  return G_LIST_MODEL (self->empty_findings);
}
