/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "keygate-app"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "kg-clipboard.h"
#include "kg-key-page.h"

struct _KgKeyPage
{
  KgPage        parent_instance;

  guint         loading;

  /* Template children */
  AdwPreferencesPage *preferences_page;
  AdwPreferencesGroup *key_group;
  GtkEditable   *key_row;
  GtkEditable   *key_name_row;
  GtkLabel      *key_warning_label;
  GtkLabel      *keyring_problem_label;
  GtkWidget     *store_button;
  GtkWidget     *button_box;
  GtkWidget     *verify_button;
  GtkWidget     *copy_button;
  GtkWidget     *forget_button;
  GtkWidget     *verify_group;
  GtkSpinner    *verify_spinner;
  AdwActionRow  *acts_as_row;
  AdwActionRow  *two_factor_row;
  AdwActionRow  *can_create_row;
  AdwActionRow  *expiry_row;
  AdwActionRow  *version_row;
  GtkLabel      *verify_error_label;
  GtkWidget     *doctor_button;
  GtkLabel      *steps_label;
};

G_DEFINE_FINAL_TYPE (KgKeyPage, kg_key_page, KG_TYPE_PAGE)

/* Helpers ---------------------------------------------------------------- */

static char *
describe_error (const GError *error)
{
  const char *remedy = kg_error_get_remedy (error);

  if (remedy != NULL && remedy[0] != '\0' && g_strstr_len (error->message, -1, remedy) == NULL)
    return g_strdup_printf ("%s %s", error->message, remedy);
  return g_strdup (error->message);
}

static gboolean
is_keyring_problem (const GError *error)
{
  return g_error_matches (error, KG_ERROR, KG_ERROR_KEYRING_UNAVAILABLE) ||
         g_error_matches (error, KG_ERROR, KG_ERROR_KEYRING_LOCKED);
}

/* Keyring problems (no service, locked) as one clear message with what to
 * do; the rest of the app keeps working. */
static void
show_keyring_problem (KgKeyPage    *self,
                      const GError *error)
{
  g_autofree char *text = error ? describe_error (error) : NULL;

  gtk_label_set_label (self->keyring_problem_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->keyring_problem_label), error != NULL);
}

static void
update_buttons (KgKeyPage *self)
{
  KgAppContext *context = kg_page_get_context (KG_PAGE (self));
  KgProfile *profile = kg_page_get_profile (KG_PAGE (self));
  gboolean have_profile = profile != NULL && context != NULL;
  KgTristate has_key = have_profile ? kg_app_context_get_has_key (context, profile)
                                    : KG_TRISTATE_FALSE;
  const char *pasted = gtk_editable_get_text (self->key_row);
  g_autofree char *trimmed = g_strstrip (g_strdup (pasted));
  const char *description = NULL;

  gtk_widget_set_sensitive (GTK_WIDGET (self->preferences_page), have_profile);
  gtk_widget_set_sensitive (self->store_button, have_profile && trimmed[0] != '\0');
  gtk_widget_set_sensitive (self->verify_button, has_key != KG_TRISTATE_FALSE);
  gtk_widget_set_sensitive (self->copy_button, has_key != KG_TRISTATE_FALSE);
  gtk_widget_set_sensitive (self->forget_button, has_key != KG_TRISTATE_FALSE);

  if (has_key == KG_TRISTATE_TRUE)
    description = _("A key for this connection is stored in the keyring.");
  else if (has_key == KG_TRISTATE_FALSE)
    description = _("No key stored yet. Paste the key Odoo showed you when you created it.");
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->key_group), description);
}

static void
set_expiry_style (KgKeyPage  *self,
                  const char *klass)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->expiry_row), "warning");
  gtk_widget_remove_css_class (GTK_WIDGET (self->expiry_row), "error");
  if (klass != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->expiry_row), klass);
}

static void
reset_verification (KgKeyPage *self)
{
  adw_action_row_set_subtitle (self->acts_as_row, _("Not verified yet"));
  adw_action_row_set_subtitle (self->two_factor_row, "—");
  adw_action_row_set_subtitle (self->can_create_row, "—");
  gtk_widget_remove_css_class (GTK_WIDGET (self->can_create_row), "warning");
  adw_action_row_set_subtitle (self->expiry_row, "—");
  set_expiry_style (self, NULL);
  adw_action_row_set_subtitle (self->version_row, "—");
  gtk_widget_set_visible (GTK_WIDGET (self->verify_error_label), FALSE);
  gtk_widget_set_visible (self->doctor_button, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->verify_spinner), FALSE);
  gtk_spinner_set_spinning (self->verify_spinner, FALSE);
}

static void
key_state_changed_cb (KgKeyPage *self,
                      KgProfile *profile)
{
  KgProfile *current = kg_page_get_profile (KG_PAGE (self));

  if (current != NULL &&
      g_strcmp0 (kg_profile_get_id (profile), kg_profile_get_id (current)) == 0)
    update_buttons (self);
}

/* Paste, key name -------------------------------------------------------- */

static void
key_changed_cb (KgKeyPage *self)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (gtk_editable_get_text (self->key_row)));
  gboolean warn = trimmed[0] != '\0' && !kg_keyring_key_looks_valid (trimmed);

  if (warn)
    gtk_label_set_label (self->key_warning_label,
                         _("This does not look like an Odoo API key (40 characters 0–9 and "
                           "a–f). Check that you copied all of it; it can still be stored."));
  gtk_widget_set_visible (GTK_WIDGET (self->key_warning_label), warn);
  update_buttons (self);
}

static void
key_name_changed_cb (KgKeyPage *self)
{
  KgAppContext *context = kg_page_get_context (KG_PAGE (self));
  KgProfile *profile = kg_page_get_profile (KG_PAGE (self));
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  if (self->loading > 0 || profile == NULL || context == NULL)
    return;

  name = g_strstrip (g_strdup (gtk_editable_get_text (self->key_name_row)));
  kg_profile_set_key_name (profile, name[0] ? name : NULL);
  if (!kg_profile_store_update (kg_app_context_get_store (context), profile, &error))
    g_debug ("Key name not saved: %s", error->message);
}

/* Store ------------------------------------------------------------------ */

static void verify_clicked_cb (KgKeyPage *self);

static void
store_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  KgKeyPage *self = kg_page_call_end (user_data);
  g_autoptr(GError) error = NULL;

  if (self == NULL)
    return;
  KgAppContext *context = kg_page_get_context (KG_PAGE (self));
  KgProfile *profile = kg_page_get_profile (KG_PAGE (self));

  if (!kg_keyring_store_finish (result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      show_keyring_problem (self, error);
      if (profile != NULL)
        kg_app_context_report_error (context, profile, error);
      return;
    }

  show_keyring_problem (self, NULL);
  gtk_editable_set_text (self->key_row, "");
  reset_verification (self);
  kg_app_context_set_has_key (context, profile, TRUE);
  update_buttons (self);
  kg_page_toast (KG_PAGE (self), _("Key stored in the keyring"));
  /* Store and Verify: a key is worth little until the server took it. */
  verify_clicked_cb (self);
}

static void
store_key (KgKeyPage  *self,
           const char *key)
{
  KgProfile *profile = kg_page_get_profile (KG_PAGE (self));
  GCancellable *cancellable = kg_page_get_cancellable (KG_PAGE (self));

  if (profile == NULL)
    return;
  kg_keyring_store_async (profile, key, cancellable, store_cb,
                          kg_page_call_new (KG_PAGE (self), cancellable));
}

/* Shorter than a key and not hexadecimal: what people type as a password. */
static gboolean
looks_like_password (const char *text)
{
  gsize length = strlen (text);

  if (length >= 40)
    return FALSE;
  for (const char *c = text; *c != '\0'; c++)
    if (!g_ascii_isxdigit (*c) || g_ascii_isupper (*c))
      return TRUE;
  return FALSE;
}

static void
store_anyway_response_cb (AdwMessageDialog *dialog,
                          const char       *response,
                          KgKeyPage        *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KgSecretString) key = NULL;

  /* Only for the connection the question was about. */
  if (g_strcmp0 (response, "store") != 0 ||
      g_object_get_data (G_OBJECT (dialog), "kg-profile") != kg_page_get_profile (KG_PAGE (self)))
    return;
  key = kg_keyring_normalize_key (gtk_editable_get_text (self->key_row), &error);
  if (key != NULL)
    store_key (self, key);
}

/* Not 40 characters 0–9 and a–f: asked before it goes to the keyring. */
static void
ask_before_storing (KgKeyPage  *self,
                    const char *key)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                                             : NULL,
                                                       _("Store Text That Is Not an API Key?"),
                                                       NULL));
  if (looks_like_password (key))
    adw_message_dialog_set_body (dialog,
                                 _("This looks like a password. Since two-factor "
                                   "authentication, Odoo takes only API keys from scripts: "
                                   "40 characters 0–9 and a–f, made in Preferences › Account "
                                   "Security › New API Key."));
  else
    adw_message_dialog_set_body (dialog,
                                 _("Odoo API keys are 40 characters 0–9 and a–f. Check that "
                                   "you copied all of it."));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "store", _("_Store Anyway"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "store", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "kg-profile",
                          g_object_ref (kg_page_get_profile (KG_PAGE (self))), g_object_unref);
  g_signal_connect_object (dialog, "response", G_CALLBACK (store_anyway_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
store_clicked_cb (KgKeyPage *self)
{
  KgAppContext *context = kg_page_get_context (KG_PAGE (self));
  KgProfile *profile = kg_page_get_profile (KG_PAGE (self));
  g_autoptr(GError) error = NULL;
  g_autoptr(KgSecretString) key = NULL;

  if (profile == NULL || context == NULL)
    return;

  key = kg_keyring_normalize_key (gtk_editable_get_text (self->key_row), &error);
  if (key == NULL)
    {
      gtk_label_set_label (self->key_warning_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->key_warning_label), TRUE);
      return;
    }

  if (!kg_keyring_key_looks_valid (key))
    ask_before_storing (self, key);
  else
    store_key (self, key);
}

/* Verify ----------------------------------------------------------------- */

static const char *
tristate_text (KgTristate value,
               const char *yes,
               const char *no)
{
  switch (value)
    {
    case KG_TRISTATE_TRUE:
      return yes;
    case KG_TRISTATE_FALSE:
      return no;
    case KG_TRISTATE_UNKNOWN:
    default:
      return _("unknown (the server did not say)");
    }
}

/* The stored key's own expiry, or why it cannot be told: never another
 * key's. An expired key, or one that expires within two weeks, is a
 * warning in words and in style. */
static void
show_expiry (KgKeyPage  *self,
             KgIdentity *identity)
{
  GDateTime *expiry = kg_identity_get_key_expiry (identity);
  GPtrArray *keys = kg_identity_get_api_keys (identity);
  g_autofree char *text = NULL;
  const char *klass = NULL;

  switch (kg_identity_get_key_match (identity))
    {
    case KG_KEY_MATCH_NAMED:
    case KG_KEY_MATCH_ONLY_KEY:
      if (expiry == NULL)
        text = g_strdup (_("never"));
      else
        {
          g_autofree char *date = kg_when_format_date (expiry);
          guint days = kg_identity_get_key_days_left (identity, NULL);

          switch (kg_identity_get_key_expiry_state (identity, NULL))
            {
            case KG_KEY_EXPIRY_EXPIRED:
              /* Translators: %s is a date */
              text = g_strdup_printf (_("Expired on %s — Odoo refuses this key; create a new "
                                        "one"), date);
              klass = "error";
              break;
            case KG_KEY_EXPIRY_SOON:
              /* Translators: %s is a date, %u a number of days */
              text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                   "%s — in %u day; create a new key before then",
                                                   "%s — in %u days; create a new key before then",
                                                   days), date, days);
              klass = "warning";
              break;
            case KG_KEY_EXPIRY_FINE:
            default:
              text = g_steal_pointer (&date);
              break;
            }
        }
      break;
    case KG_KEY_MATCH_AMBIGUOUS:
      /* Translators: %u is the number of API keys the user has (2 or more) */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Unknown — this user has %u key; name yours to match",
                                           "Unknown — this user has %u keys; name yours to match",
                                           keys->len), keys->len);
      break;
    case KG_KEY_MATCH_NO_SUCH_NAME:
      /* Translators: %s is the key name the user typed */
      text = g_strdup_printf (_("Unknown — no key of this user is named “%s”; check the key "
                                "name"), kg_identity_get_key_name (identity));
      klass = "warning";
      break;
    case KG_KEY_MATCH_UNKNOWN:
    default:
      text = g_strdup (_("unknown"));
      break;
    }

  adw_action_row_set_subtitle (self->expiry_row, text);
  set_expiry_style (self, klass);
}

static void
show_identity (KgKeyPage  *self,
               KgIdentity *identity)
{
  g_autofree char *acts_as = g_strdup_printf ("%s (%s)", kg_identity_get_name (identity),
                                              kg_identity_get_login (identity));

  adw_action_row_set_subtitle (self->acts_as_row, acts_as);
  adw_action_row_set_subtitle (self->two_factor_row,
                               tristate_text (kg_identity_get_two_factor (identity),
                                              _("on — password logins from scripts fail, "
                                                "API keys work"),
                                              _("off")));
  adw_action_row_set_subtitle (self->can_create_row,
                               tristate_text (kg_identity_get_can_create_projects (identity),
                                              _("yes"), _("no")));
  /* "No" is why Create Project will fail: it stands out. */
  if (kg_identity_get_can_create_projects (identity) == KG_TRISTATE_FALSE)
    gtk_widget_add_css_class (GTK_WIDGET (self->can_create_row), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->can_create_row), "warning");

  show_expiry (self, identity);

  adw_action_row_set_subtitle (self->version_row,
                               kg_identity_get_server_version (identity)
                                 ? kg_identity_get_server_version (identity) : _("unknown"));
}

static void
verify_failed (KgKeyPage    *self,
               const GError *error)
{
  KgAppContext *context = kg_page_get_context (KG_PAGE (self));
  KgProfile *profile = kg_page_get_profile (KG_PAGE (self));
  g_autofree char *text = describe_error (error);

  gtk_widget_set_visible (GTK_WIDGET (self->verify_spinner), FALSE);
  gtk_spinner_set_spinning (self->verify_spinner, FALSE);
  gtk_widget_set_sensitive (self->verify_button, TRUE);
  adw_action_row_set_subtitle (self->acts_as_row, _("Not verified"));
  gtk_label_set_label (self->verify_error_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->verify_error_label), TRUE);

  if (is_keyring_problem (error))
    show_keyring_problem (self, error);
  if (g_error_matches (error, KG_ERROR, KG_ERROR_KEY_NOT_FOUND))
    kg_app_context_set_has_key (context, profile, FALSE);

  kg_page_report_error (KG_PAGE (self), error);

  /* A refused key is what the 2FA Doctor explains: offered here, where
   * the key was entered; the page stays. */
  gtk_widget_set_visible (self->doctor_button,
                          g_error_matches (error, KG_ERROR, KG_ERROR_ACCESS_DENIED) ||
                          g_error_matches (error, KG_ERROR, KG_ERROR_TWO_FACTOR_REQUIRED));
  /* The answer comes into view: it is below the key's facts. */
  kg_page_scroll_to (GTK_WIDGET (self->verify_error_label));
}

static void
identity_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  KgKeyPage *self = kg_page_call_end (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(KgIdentity) identity = kg_identity_fetch_finish (result, &error);

  if (self == NULL)
    return;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (identity == NULL)
    {
      verify_failed (self, error);
      return;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->verify_spinner), FALSE);
  gtk_spinner_set_spinning (self->verify_spinner, FALSE);
  gtk_widget_set_sensitive (self->verify_button, TRUE);
  show_identity (self, identity);
}

static void
verify_lookup_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  KgKeyPage *self = kg_page_call_end (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(KgSecretString) key = kg_keyring_lookup_finish (result, &error);
  g_autoptr(KgOdooRpc) rpc = NULL;

  if (self == NULL)
    return;
  KgAppContext *context = kg_page_get_context (KG_PAGE (self));
  KgProfile *profile = kg_page_get_profile (KG_PAGE (self));
  GCancellable *cancellable = kg_page_get_cancellable (KG_PAGE (self));

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (key == NULL)
    {
      verify_failed (self, error);
      return;
    }

  show_keyring_problem (self, NULL);
  rpc = kg_odoo_rpc_new (kg_app_context_get_http (context), profile);
  kg_identity_fetch_async (rpc, key, cancellable, identity_cb,
                           kg_page_call_new (KG_PAGE (self), cancellable));
}

static void
verify_clicked_cb (KgKeyPage *self)
{
  KgAppContext *context = kg_page_get_context (KG_PAGE (self));
  KgProfile *profile = kg_page_get_profile (KG_PAGE (self));
  GCancellable *cancellable = kg_page_get_cancellable (KG_PAGE (self));

  if (profile == NULL || context == NULL)
    return;

  reset_verification (self);
  adw_action_row_set_subtitle (self->acts_as_row, _("Asking the server…"));
  gtk_widget_set_visible (GTK_WIDGET (self->verify_spinner), TRUE);
  gtk_spinner_set_spinning (self->verify_spinner, TRUE);
  gtk_widget_set_sensitive (self->verify_button, FALSE);
  kg_keyring_lookup_async (profile, cancellable, verify_lookup_cb,
                           kg_page_call_new (KG_PAGE (self), cancellable));
}

static void
verify_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  KgKeyPage *self = KG_KEY_PAGE (widget);

  if (gtk_widget_is_sensitive (self->verify_button))
    verify_clicked_cb (self);
}

/* Copy ------------------------------------------------------------------- */

static void
copy_lookup_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  KgKeyPage *self = kg_page_call_end (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(KgSecretString) key = kg_keyring_lookup_finish (result, &error);
  g_autofree char *text = NULL;
  int delay = 30;

  if (self == NULL)
    return;
  KgAppContext *context = kg_page_get_context (KG_PAGE (self));
  KgProfile *profile = kg_page_get_profile (KG_PAGE (self));

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (key == NULL)
    {
      g_autofree char *message = describe_error (error);

      if (is_keyring_problem (error))
        show_keyring_problem (self, error);
      if (g_error_matches (error, KG_ERROR, KG_ERROR_KEY_NOT_FOUND))
        kg_app_context_set_has_key (context, profile, FALSE);
      kg_page_toast (KG_PAGE (self), message);
      return;
    }

  if (kg_app_context_get_settings (context) != NULL)
    delay = g_settings_get_int (kg_app_context_get_settings (context), "clipboard-clear-delay");

  kg_clipboard_set_secret (GTK_WIDGET (self), key, delay);

  /* Translators: %d is a number of seconds */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Copied — clears in %d second",
                                       "Copied — clears in %d seconds", delay),
                          delay);
  kg_page_toast (KG_PAGE (self), text);
}

static void
copy_clicked_cb (KgKeyPage *self)
{
  KgAppContext *context = kg_page_get_context (KG_PAGE (self));
  KgProfile *profile = kg_page_get_profile (KG_PAGE (self));
  GCancellable *cancellable = kg_page_get_cancellable (KG_PAGE (self));

  if (profile == NULL || context == NULL)
    return;

  kg_keyring_lookup_async (profile, cancellable, copy_lookup_cb,
                           kg_page_call_new (KG_PAGE (self), cancellable));
}

/* Forget ----------------------------------------------------------------- */

static void
forget_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  KgKeyPage *self = kg_page_call_end (user_data);
  g_autoptr(GError) error = NULL;

  kg_keyring_clear_finish (result, &error);
  if (self == NULL)
    return;
  KgAppContext *context = kg_page_get_context (KG_PAGE (self));
  KgProfile *profile = kg_page_get_profile (KG_PAGE (self));

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    {
      show_keyring_problem (self, error);
      return;
    }

  show_keyring_problem (self, NULL);
  kg_app_context_set_has_key (context, profile, FALSE);
  reset_verification (self);
  kg_clipboard_clear_secret (GTK_WIDGET (self));
  update_buttons (self);
  kg_page_toast (KG_PAGE (self), _("Key forgotten"));
}

static void
forget_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    KgKeyPage        *self)
{
  KgAppContext *context = kg_page_get_context (KG_PAGE (self));
  KgProfile *profile = kg_page_get_profile (KG_PAGE (self));
  GCancellable *cancellable = kg_page_get_cancellable (KG_PAGE (self));

  if (g_strcmp0 (response, "forget") == 0 && profile != NULL && context != NULL)
    kg_keyring_clear_async (profile, cancellable, forget_cb,
                            kg_page_call_new (KG_PAGE (self), cancellable));
}

static void
forget_clicked_cb (KgKeyPage *self)
{
  KgProfile *profile = kg_page_get_profile (KG_PAGE (self));
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  AdwMessageDialog *dialog;
  g_autofree char *body = NULL;

  if (profile == NULL)
    return;

  /* Translators: %s is a connection name */
  body = g_strdup_printf (_("The API key of “%s” is removed from the keyring. It stays valid "
                            "in Odoo until you revoke it there, so keep a copy if you still "
                            "need it."),
                          kg_profile_get_name (profile));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root)
                                                                             : NULL,
                                                       _("Forget the key?"), body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "forget", _("_Forget"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "forget", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (forget_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Create a key ----------------------------------------------------------- */

static void
create_key_clicked_cb (KgKeyPage *self)
{
  KgProfile *profile = kg_page_get_profile (KG_PAGE (self));
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *url = NULL;

  if (profile == NULL)
    return;

  url = kg_diagnosis_build_preferences_url (profile);
  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, url, GDK_CURRENT_TIME);
}

/* Profile ---------------------------------------------------------------- */

static void
has_key_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  KgKeyPage *self = kg_page_call_end (user_data);
  g_autoptr(GError) error = NULL;
  gboolean has_key = kg_keyring_has_key_finish (result, &error);

  if (self == NULL)
    return;
  KgAppContext *context = kg_page_get_context (KG_PAGE (self));
  KgProfile *profile = kg_page_get_profile (KG_PAGE (self));

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || profile == NULL)
    return;

  if (error != NULL)
    {
      show_keyring_problem (self, error);
      return;
    }

  show_keyring_problem (self, NULL);
  kg_app_context_set_has_key (context, profile, has_key);
  update_buttons (self);
}

static void
kg_key_page_profile_changed (KgPage    *page,
                             KgProfile *old_profile)
{
  KgKeyPage *self = KG_KEY_PAGE (page);
  KgProfile *profile = kg_page_get_profile (page);
  GCancellable *cancellable = kg_page_get_cancellable (page);
  const char *key_name = profile != NULL ? kg_profile_get_key_name (profile) : NULL;

  self->loading++;
  gtk_editable_set_text (self->key_row, "");
  gtk_editable_set_text (self->key_name_row, key_name != NULL ? key_name : "");
  self->loading--;
  reset_verification (self);
  show_keyring_problem (self, NULL);
  update_buttons (self);

  /* Learn about keyring problems now rather than at the first click. */
  if (profile != NULL && kg_page_get_context (page) != NULL)
    kg_keyring_has_key_async (profile, cancellable, has_key_cb,
                              kg_page_call_new (page, cancellable));
}

/* GObject ---------------------------------------------------------------- */

static void
kg_key_page_constructed (GObject *object)
{
  KgKeyPage *self = KG_KEY_PAGE (object);
  KgAppContext *context = kg_page_get_context (KG_PAGE (self));

  G_OBJECT_CLASS (kg_key_page_parent_class)->constructed (object);

  if (context != NULL)
    g_signal_connect_object (context, "key-state-changed",
                             G_CALLBACK (key_state_changed_cb), self, G_CONNECT_SWAPPED);
}

static void
kg_key_page_dispose (GObject *object)
{
  KgKeyPage *self = KG_KEY_PAGE (object);

  kg_page_deactivate (KG_PAGE (self));
  /* Do not leave the key on the clipboard after the window is gone. */
  kg_clipboard_clear_secret (GTK_WIDGET (self));

  /* AdwBin keeps a pointer to its child: drop it before the template
   * children go, or AdwBin's dispose unparents a freed widget. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), KG_TYPE_KEY_PAGE);

  G_OBJECT_CLASS (kg_key_page_parent_class)->dispose (object);
}

static void
kg_key_page_class_init (KgKeyPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  KgPageClass *page_class = KG_PAGE_CLASS (klass);

  object_class->constructed = kg_key_page_constructed;
  object_class->dispose = kg_key_page_dispose;
  page_class->profile_changed = kg_key_page_profile_changed;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/kg-key-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KgKeyPage, preferences_page);
  gtk_widget_class_bind_template_child (widget_class, KgKeyPage, key_group);
  gtk_widget_class_bind_template_child (widget_class, KgKeyPage, key_row);
  gtk_widget_class_bind_template_child (widget_class, KgKeyPage, key_name_row);
  gtk_widget_class_bind_template_child (widget_class, KgKeyPage, key_warning_label);
  gtk_widget_class_bind_template_child (widget_class, KgKeyPage, keyring_problem_label);
  gtk_widget_class_bind_template_child (widget_class, KgKeyPage, store_button);
  gtk_widget_class_bind_template_child (widget_class, KgKeyPage, button_box);
  gtk_widget_class_bind_template_child (widget_class, KgKeyPage, verify_button);
  gtk_widget_class_bind_template_child (widget_class, KgKeyPage, copy_button);
  gtk_widget_class_bind_template_child (widget_class, KgKeyPage, forget_button);
  gtk_widget_class_bind_template_child (widget_class, KgKeyPage, verify_group);
  gtk_widget_class_bind_template_child (widget_class, KgKeyPage, verify_spinner);
  gtk_widget_class_bind_template_child (widget_class, KgKeyPage, acts_as_row);
  gtk_widget_class_bind_template_child (widget_class, KgKeyPage, two_factor_row);
  gtk_widget_class_bind_template_child (widget_class, KgKeyPage, can_create_row);
  gtk_widget_class_bind_template_child (widget_class, KgKeyPage, expiry_row);
  gtk_widget_class_bind_template_child (widget_class, KgKeyPage, version_row);
  gtk_widget_class_bind_template_child (widget_class, KgKeyPage, verify_error_label);
  gtk_widget_class_bind_template_child (widget_class, KgKeyPage, doctor_button);
  gtk_widget_class_bind_template_child (widget_class, KgKeyPage, steps_label);
  gtk_widget_class_bind_template_callback (widget_class, key_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, key_name_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, store_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, verify_clicked_cb);
  gtk_widget_class_install_action (widget_class, "page.verify", NULL, verify_action);
  gtk_widget_class_bind_template_callback (widget_class, copy_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, forget_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, create_key_clicked_cb);
}

static void
kg_key_page_init (KgKeyPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  kg_page_set_main_action (KG_PAGE (self), "page.verify");

  /* The flow box's cells are not stops of their own on the way to the
   * buttons. */
  for (GtkWidget *cell = gtk_widget_get_first_child (self->button_box); cell != NULL;
       cell = gtk_widget_get_next_sibling (cell))
    gtk_widget_set_focusable (cell, FALSE);

  gtk_label_set_label (self->steps_label, kg_diagnosis_create_key_steps ());
  update_buttons (self);
}

GtkWidget *
kg_key_page_new (KgAppContext *context)
{
  return g_object_new (KG_TYPE_KEY_PAGE, "context", context, NULL);
}
