/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "keygate-diagnosis"

/* The 2FA doctor's checks of the API key: does it log in (3), whom does it
 * act as and when does it expire (4), and which of the user's keys is it
 * (looked up by its name, with the password as the other credential). */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "kg-diagnosis-private.h"
#include "kg-error.h"
#include "kg-secret.h"

static void api_key_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data);
static void identity_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data);
static void key_name_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data);

/* --- 3. api-key --------------------------------------------------- */

void
kg_diagnosis_step_api_key (GTask *task)
{
  KgDiagnosis *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);

  if (data->api_key == NULL)
    {
      g_autofree char *name = kg_diagnosis_dup_shell_name (self->profile);
      g_autofree char *remedy =
        g_strdup_printf (_("Create an API key in Odoo (see below), then store it with "
                           "“keygate-cli key set %s” or the “Paste API key” row in Keygate."),
                         name);

      kg_diagnosis_add_finding (self, "api-key", KG_FINDING_WARNING, _("No API key stored"),
                                _("This connection has no API key in the keyring, so Keygate "
                                  "cannot check which user the key acts as or whether it is "
                                  "valid."),
                                remedy, NULL, NULL);
      kg_diagnosis_step_password (task);
      return;
    }

  kg_odoo_rpc_authenticate_async (data->rpc, data->api_key, KG_SECRET_API_KEY,
                                  g_task_get_cancellable (task), api_key_cb, g_object_ref (task));
}

/* Odoo API keys are 40 lowercase hexadecimal characters. */
static gboolean
looks_like_odoo_key (const char *key)
{
  gsize len = 0;

  for (const char *p = key; *p != '\0'; p++, len++)
    {
      if (!g_ascii_isdigit (*p) && !(*p >= 'a' && *p <= 'f'))
        return FALSE;
    }
  return len == 40;
}

static void
api_key_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KgDiagnosis *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  KgExchange *exchange;
  gint64 uid;

  uid = kg_odoo_rpc_authenticate_finish (data->rpc, result, &error);
  exchange = kg_odoo_rpc_get_last_exchange (data->rpc);

  if (error == NULL && uid > 0)
    {
      g_autofree char *explanation =
        g_strdup_printf (/* Translators: %s is a login, %lld a user id */
                         _("Odoo’s authenticate accepted the key for login “%s” (user id %lld)."),
                         kg_profile_get_login (self->profile), (long long) uid);

      data->key_works = TRUE;
      kg_diagnosis_add_finding (self, "api-key", KG_FINDING_OK, _("The API key is accepted"),
                                explanation,
                                NULL, exchange, NULL);
      kg_identity_fetch_async (data->rpc, data->api_key, g_task_get_cancellable (task),
                               identity_cb, g_object_ref (task));
      return;
    }

  if (error != NULL && kg_diagnosis_return_if_cancelled (task, error))
    return;

  if (error == NULL || g_error_matches (error, KG_ERROR, KG_ERROR_ACCESS_DENIED))
    {
      const char *login = kg_profile_get_login (self->profile);
      const char *database = kg_profile_get_database (self->profile);
      g_autoptr(GString) explanation = g_string_new (NULL);

      data->api_key_refused = TRUE;
      g_string_append_printf (explanation,
                              _("Odoo answered “false” and does not say why. Five causes look "
                                "exactly the same from outside:\n"
                                "• a wrong key: mistyped, cut short when copied, or a key of "
                                "another server or database;\n"
                                "• a revoked key: deleted in Odoo;\n"
                                "• an expired key: keys of users who are not administrators last "
                                "at most 90 days;\n"
                                "• a key of another login: a key works only with the login of "
                                "the user who created it, here “%s”;\n"
                                "• an unknown login: there is no active user “%s” in database "
                                "“%s”.\n"
                                "A correct password of a user with two-factor authentication "
                                "is refused the same way."),
                              login, login, database);
      if (!looks_like_odoo_key (data->api_key))
        g_string_append (explanation,
                         _("\nThe stored key is not 40 lowercase hexadecimal characters, the "
                           "form of every Odoo API key: it was probably copied incompletely, or "
                           "it is a password."));

      kg_diagnosis_add_finding (self, "api-key", KG_FINDING_PROBLEM, _("The API key was refused"),
                                explanation->str,
                                _("Check each cause: compare the stored key with the one Odoo "
                                  "showed (40 characters, 0–9 and a–f); in Odoo, Preferences › "
                                  "Account Security lists the user’s keys by name — a key "
                                  "missing there was revoked or has expired and been removed; "
                                  "make sure the connection’s login is the user who created the "
                                  "key; check the login’s spelling. When in doubt, create a new "
                                  "key."),
                                exchange, kg_error_code_to_nick (KG_ERROR_ACCESS_DENIED));
      kg_diagnosis_step_password (task);
      return;
    }

  kg_diagnosis_add_error_finding (self, "api-key", NULL, error, exchange);
  if (kg_diagnosis_is_transport_error (error))
    {
      kg_diagnosis_finish_run (task);
      return;
    }
  kg_diagnosis_step_password (task);
}

/* --- 4. identity -------------------------------------------------- */

static char *
format_date (GDateTime *date)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (date);

  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

static void
add_key_expiry_finding (KgDiagnosis *self,
                        KgIdentity  *identity)
{
  const char *key_name = kg_profile_get_key_name (self->profile);
  GPtrArray *keys = kg_identity_get_api_keys (identity);
  GDateTime *expiry = kg_identity_get_key_expiry (identity);
  gboolean matched = kg_identity_get_key_match (identity) == KG_KEY_MATCH_NAMED;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) soon = g_date_time_add_days (now, EXPIRY_WARNING_DAYS);
  g_autoptr(GString) expiring = g_string_new (NULL);
  guint n_expiring = 0;

  if (matched && expiry != NULL && g_date_time_compare (expiry, now) <= 0)
    {
      g_autofree char *when = format_date (expiry);
      g_autofree char *explanation =
        g_strdup_printf (_("The key named “%s” expired on %s. Odoo refuses an expired key exactly "
                           "like a wrong one."), key_name, when);
      kg_diagnosis_add_finding (self, "key-expiry", KG_FINDING_PROBLEM,
                                _("The stored API key has expired"),
                                explanation, _("Create a new API key (see below) and store it."),
                                NULL, kg_error_code_to_nick (KG_ERROR_ACCESS_DENIED));
      return;
    }

  if (keys == NULL)
    return;

  for (guint i = 0; i < keys->len; i++)
    {
      KgApiKeyInfo *info = g_ptr_array_index (keys, i);
      g_autofree char *when = NULL;

      if (info->expiration_date == NULL ||
          g_date_time_compare (info->expiration_date, now) <= 0 ||
          g_date_time_compare (info->expiration_date, soon) > 0)
        continue;

      when = format_date (info->expiration_date);
      /* TRANSLATORS: one line of a list: API key name, expiry date */
      g_string_append_printf (expiring, _("• “%s” expires on %s\n"),
                              info->name ? info->name : "", when);
      n_expiring++;
    }

  if (n_expiring > 0)
    {
      g_autofree char *title =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "%u API key of this user expires within %d days",
                                      "%u API keys of this user expire within %d days",
                                      n_expiring),
                         n_expiring, EXPIRY_WARNING_DAYS);

      g_string_truncate (expiring, expiring->len - 1);
      kg_diagnosis_add_finding (self, "key-expiry", KG_FINDING_WARNING, title, expiring->str,
                                _("Create a new key before the old one expires, store it in "
                                  "Keygate and update the integrations that use the old one. "
                                  "Expired keys are refused like wrong ones."),
                                NULL, NULL);
      return;
    }

  if (matched && expiry != NULL)
    {
      g_autofree char *when = format_date (expiry);
      g_autofree char *title = g_strdup_printf (_("The stored key expires on %s"), when);

      kg_diagnosis_add_finding (self, "key-expiry", KG_FINDING_OK, title,
                                _("No API key of this user expires within the next 14 "
                                  "days."), NULL, NULL, NULL);
    }
  else if (matched)
    {
      kg_diagnosis_add_finding (self, "key-expiry", KG_FINDING_OK,
                                _("The stored key never expires"),
                                _("Only administrators may create keys without an expiry "
                                  "date."), NULL, NULL,
                                NULL);
    }
  else
    {
      kg_diagnosis_add_finding (self, "key-expiry", KG_FINDING_OK,
                                _("No API key of this user expires within the next 14 days"),
                                key_name == NULL ?
                                _("Give the connection the key’s name from Odoo to see the "
                                  "stored key’s own expiry date.") :
                                _("No key of this user has the name given for the stored key; "
                                  "the dates of the user’s other keys were checked."),
                                NULL, NULL, NULL);
    }
}

static void
identity_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KgDiagnosis *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(KgIdentity) identity = NULL;
  g_autofree char *title = NULL;
  g_autofree char *explanation = NULL;
  KgExchange *exchange;
  const char *name;
  const char *login;

  identity = kg_identity_fetch_finish (result, &error);
  exchange = kg_odoo_rpc_get_last_exchange (data->rpc);
  if (identity == NULL)
    {
      if (kg_diagnosis_return_if_cancelled (task, error))
        return;
      kg_diagnosis_add_error_finding (self, "identity", _("Keygate could not read who the key "
                                                          "acts as"),
                                      error, NULL);
      kg_diagnosis_step_token (task);
      return;
    }

  data->identity = g_object_ref (identity);

  name = kg_identity_get_name (identity);
  login = kg_identity_get_login (identity);
  title = g_strdup_printf (_("The key acts as %s (%s)"), name ? name : "?", login ? login : "?");
  explanation = g_strdup_printf (/* Translators: %lld is a user id, %s a database */
                                 _("User id %lld in database “%s”. Everything done with this key "
                                   "is done as this user, with this user’s rights."),
                                 (long long) kg_identity_get_uid (identity),
                                 kg_profile_get_database (self->profile));
  kg_diagnosis_add_finding (self, "identity", KG_FINDING_OK, title, explanation, NULL, exchange,
                            NULL);

  switch (kg_identity_get_two_factor (identity))
    {
    case KG_TRISTATE_TRUE:
      {
        g_autofree char *text = g_strdup_printf ("%s %s", kg_diagnosis_why_passwords_fail (),
                                                 kg_diagnosis_why_keys_work ());
        kg_diagnosis_add_finding (self, "two-factor", KG_FINDING_OK,
                                  _("Two-factor authentication is on: the API key is the right "
                                    "credential"),
                                  text, _("Never use this user’s password in scripts; use the API "
                                          "key."),
                                  NULL, NULL);
      }
      break;

    case KG_TRISTATE_FALSE:
      kg_diagnosis_add_finding (self, "two-factor", KG_FINDING_OK,
                                _("Two-factor authentication is off"),
                                _("This user’s password would work over JSON-RPC today, but it "
                                  "stops working the day two-factor authentication is turned on. "
                                  "The API key keeps working."),
                                NULL, NULL, NULL);
      break;

    case KG_TRISTATE_UNKNOWN:
    default:
      kg_diagnosis_add_finding (self, "two-factor", KG_FINDING_OK,
                                _("Keygate could not tell whether two-factor authentication is on"),
                                _("The server did not show the user’s two-factor setting (the "
                                  "auth_totp module may not be installed). The API key works "
                                  "either way."),
                                NULL, NULL, NULL);
      break;
    }

  switch (kg_identity_get_can_create_projects (identity))
    {
    case KG_TRISTATE_TRUE:
      kg_diagnosis_add_finding (self, "can-create", KG_FINDING_OK,
                                _("This user may create projects"),
                                _("Odoo’s access check for creating project.project records "
                                  "answered yes."),
                                NULL, NULL, NULL);
      break;

    case KG_TRISTATE_FALSE:
      kg_diagnosis_add_finding (self, "can-create", KG_FINDING_WARNING,
                                _("This user may not create projects"),
                                _("Odoo’s access check (has_access “create” on project.project) "
                                  "answered no: creating a project with this key will fail with "
                                  "“You are not allowed to create 'Project' records”."),
                                _("Ask an Odoo administrator to add the user to the group "
                                  "“Project / Administrator”: in a default Odoo 18 only that "
                                  "group may create projects."),
                                NULL, kg_error_code_to_nick (KG_ERROR_ACCESS_ERROR));
      break;

    case KG_TRISTATE_UNKNOWN:
    default:
      break;
    }

  add_key_expiry_finding (self, identity);
  kg_diagnosis_step_token (task);
}

gboolean
kg_diagnosis_key_name_lookup_possible (KgDiagnosis *self,
                                       RunData     *data)
{
  return !data->key_works && data->api_key_refused &&
         kg_profile_get_key_name (self->profile) != NULL;
}

/* --- key name, with the password as the other working credential --- */

/* Only after a full session proved the password (no 2FA): the password
 * then works over JSON-RPC too, and the user may list its own keys. */
void
kg_diagnosis_step_key_name (GTask *task)
{
  KgDiagnosis *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);
  g_autofree char *password = g_steal_pointer (&data->password);

  if (password == NULL || !kg_diagnosis_key_name_lookup_possible (self, data))
    {
      g_clear_pointer (&password, kg_secret_free);
      kg_diagnosis_step_create_key (task);
      return;
    }

  kg_identity_fetch_async (data->rpc, password, g_task_get_cancellable (task), key_name_cb,
                           g_object_ref (task));
  g_clear_pointer (&password, kg_secret_free);
}

static void
key_name_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KgDiagnosis *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(KgIdentity) identity = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  const char *key_name = kg_profile_get_key_name (self->profile);
  GPtrArray *keys;
  KgApiKeyInfo *named = NULL;

  identity = kg_identity_fetch_finish (result, &error);
  if (identity == NULL)
    {
      if (kg_diagnosis_return_if_cancelled (task, error))
        return;
      /* Nothing more to learn: the key finding already says what to do. */
      g_debug ("Key name lookup failed: %s", error->message);
      kg_diagnosis_step_create_key (task);
      return;
    }

  keys = kg_identity_get_api_keys (identity);
  for (guint i = 0; keys != NULL && i < keys->len && named == NULL; i++)
    {
      KgApiKeyInfo *info = g_ptr_array_index (keys, i);

      if (g_strcmp0 (info->name, key_name) == 0)
        named = info;
    }

  if (named != NULL && named->expiration_date != NULL &&
      g_date_time_compare (named->expiration_date, now) <= 0)
    {
      g_autofree char *when = format_date (named->expiration_date);
      g_autofree char *explanation =
        g_strdup_printf (_("The user’s key named “%s” expired on %s. Odoo refuses an expired key "
                           "exactly like a wrong one."), key_name, when);

      kg_diagnosis_add_finding (self, "key-expiry", KG_FINDING_PROBLEM,
                                _("The stored API key has expired"),
                                explanation, _("Create a new API key (see below) and store "
                                               "it."), NULL,
                                kg_error_code_to_nick (KG_ERROR_ACCESS_DENIED));
    }
  else if (named != NULL)
    {
      g_autofree char *explanation =
        g_strdup_printf (_("The user has a valid key named “%s”, but the stored key was refused: "
                           "the stored key is not that key. It was mistyped or cut short when "
                           "copied, or it belongs to another server or database."), key_name);

      kg_diagnosis_add_finding (self, "key-expiry", KG_FINDING_WARNING,
                                _("The stored key is not the key with that name"), explanation,
                                _("Odoo shows a key only once: create a new one (see below), "
                                  "store it, and revoke the old one if nothing else uses it."),
                                NULL, NULL);
    }
  else
    {
      g_autofree char *explanation =
        g_strdup_printf (_("The user has no key named “%s” any more: it was revoked, or it "
                           "expired and Odoo removed it."), key_name);

      kg_diagnosis_add_finding (self, "key-expiry", KG_FINDING_WARNING,
                                _("The stored key was revoked or has expired"), explanation,
                                _("Create a new API key (see below) and store it."), NULL, NULL);
    }

  kg_diagnosis_step_create_key (task);
}
