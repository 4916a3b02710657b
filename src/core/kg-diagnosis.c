/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "keygate-diagnosis"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "kg-diagnosis-private.h"
#include "kg-secret.h"
#include "kg-error.h"
#include "kg-identity.h"
#include "kg-odoo-rpc.h"
#include "kg-session-login.h"
#include "kg-token-client.h"

/* The 2FA doctor. Every sentence a user reads about a diagnosis lives in
 * this file and its two siblings (kg-diagnosis-key.c, kg-diagnosis-login.c),
 * so the CLI and the GUI's 2FA panel say the same thing. The facts behind
 * the texts come from the captured Odoo exchanges in
 * tests/fixtures/odoo-protocol/. The checks read top to bottom in the order
 * they run: server and database here, then the key, the token and the
 * password in the siblings, then the create-key advice here. */

/* Sent as the password of the database probe: authenticate() answers
 * false for a database that exists and an error for one that does not.
 * JSON-RPC logins are not counted by Odoo's login cooldown. */
#define DATABASE_PROBE_SECRET "keygate-database-probe"

/* ------------------------------------------------------------------ */
/* Shared texts                                                       */

const char *
kg_diagnosis_why_passwords_fail (void)
{
  return _("Once two-factor authentication is on, Odoo accepts this user’s password only in the "
           "browser, where it can ask for the second factor. Scripts and integrations cannot give "
           "that code, so JSON-RPC and XML-RPC refuse the password: authenticate answers “false” "
           "and other calls answer “Access Denied”, exactly as for a wrong password. Odoo does not "
           "say why.");
}

const char *
kg_diagnosis_why_keys_work (void)
{
  return _("An API key replaces the password for scripts. Odoo accepts it over JSON-RPC and "
           "XML-RPC whether or not two-factor authentication is on, it can be revoked on its own, "
           "and it can be given an expiry date.");
}

const char *
kg_diagnosis_password_warning (void)
{
  return _("Before the password is sent: if it is right and the user has two-factor "
           "authentication, Odoo at once e-mails the user a “New Connection to your Account” "
           "alert. If it is wrong, the failure counts toward Odoo’s login cooldown: after 10 "
           "failed logins in a row, every login from this address is refused for 60 seconds. "
           "The password is used for this one request and never stored.");
}

const char *
kg_diagnosis_create_key_steps (void)
{
  return _("1. Open Odoo in a browser and log in as the user the key is for.\n"
           "2. Open the user menu (your avatar, top right) › Preferences (“My Profile” when the "
           "Employees app is installed), then the “Account Security” tab.\n"
           "3. Click “New API Key” and confirm your password.\n"
           "4. Name the key after where it is used (Keygate shows its expiry by that name) and "
           "choose a duration: only administrators may create keys that never expire, other "
           "users at most 90 days.\n"
           "5. Click “Generate key” and copy the key at once: Odoo shows it only once.");
}

/* Where the user creates a key. Checked against Odoo 18's sources: there is
 * no "/odoo/my-preferences" path; the preferences are the dialog action
 * base.action_res_users_my, which the user menu opens with the user's own
 * id (res.users action_get + res_id). Opened by URL without that id
 * (/odoo/action-base.action_res_users_my or /web#action=…) it shows an
 * empty new-user form, and the id is unknown exactly when a key is needed.
 * So the URL is the web client's home (/odoo since Odoo 17.2/18, /web
 * before; both send a logged-out visitor to the login page and back), and
 * the steps name the menu path from there. */
char *
kg_diagnosis_build_preferences_url_for_version (KgProfile *profile,
                                                int        major)
{
  g_return_val_if_fail (KG_IS_PROFILE (profile), NULL);

  if (major > 0 && major < 18)
    return kg_profile_build_url (profile, "/web");
  return kg_profile_build_url (profile, "/odoo");
}

char *
kg_diagnosis_build_preferences_url (KgProfile *profile)
{
  return kg_diagnosis_build_preferences_url_for_version (profile, 0);
}

/* ------------------------------------------------------------------ */
/* KgDiagnosis                                                        */

G_DEFINE_FINAL_TYPE (KgDiagnosis, kg_diagnosis, G_TYPE_OBJECT)

static void
kg_diagnosis_finalize (GObject *object)
{
  KgDiagnosis *self = KG_DIAGNOSIS (object);

  g_clear_pointer (&self->api_key, kg_secret_free);
  g_clear_pointer (&self->password, kg_secret_free);
  g_clear_object (&self->http);
  g_clear_object (&self->profile);
  g_clear_object (&self->findings);

  G_OBJECT_CLASS (kg_diagnosis_parent_class)->finalize (object);
}

static void
kg_diagnosis_class_init (KgDiagnosisClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kg_diagnosis_finalize;
}

static void
kg_diagnosis_init (KgDiagnosis *self)
{
  self->findings = g_list_store_new (KG_TYPE_FINDING);
}

KgDiagnosis *
kg_diagnosis_new (KgHttp    *http,
                  KgProfile *profile)
{
  KgDiagnosis *self;

  g_return_val_if_fail (KG_IS_HTTP (http), NULL);
  g_return_val_if_fail (KG_IS_PROFILE (profile), NULL);

  self = g_object_new (KG_TYPE_DIAGNOSIS, NULL);
  self->http = g_object_ref (http);
  self->profile = g_object_ref (profile);

  return self;
}

void
kg_diagnosis_set_api_key (KgDiagnosis *self,
                          const char  *api_key)
{
  g_return_if_fail (KG_IS_DIAGNOSIS (self));

  g_clear_pointer (&self->api_key, kg_secret_free);
  if (api_key != NULL && *api_key != '\0')
    self->api_key = g_strdup (api_key);
}

void
kg_diagnosis_set_password (KgDiagnosis *self,
                           const char  *password)
{
  g_return_if_fail (KG_IS_DIAGNOSIS (self));

  g_clear_pointer (&self->password, kg_secret_free);
  if (password != NULL && *password != '\0')
    self->password = g_strdup (password);
}

GListModel *
kg_diagnosis_get_findings (KgDiagnosis *self)
{
  g_return_val_if_fail (KG_IS_DIAGNOSIS (self), NULL);
  return G_LIST_MODEL (self->findings);
}

KgFindingStatus
kg_diagnosis_get_verdict (KgDiagnosis *self)
{
  KgFindingStatus worst = KG_FINDING_OK;
  guint n;

  g_return_val_if_fail (KG_IS_DIAGNOSIS (self), KG_FINDING_OK);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->findings));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KgFinding) finding = g_list_model_get_item (G_LIST_MODEL (self->findings), i);

      worst = MAX (worst, kg_finding_get_status (finding));
    }

  return worst;
}

static gboolean
check_is_authentication (const char *check)
{
  return g_strcmp0 (check, "api-key") == 0 ||
         g_strcmp0 (check, "password") == 0 ||
         g_strcmp0 (check, "key-expiry") == 0 ||
         g_strcmp0 (check, "token-exchange") == 0 ||
         g_strcmp0 (check, "token-route") == 0;
}

KgExitCode
kg_diagnosis_get_exit_code (KgDiagnosis *self)
{
  g_autoptr(KgFinding) first = NULL;
  const char *error_kind;
  KgErrorCode code;
  guint n;

  g_return_val_if_fail (KG_IS_DIAGNOSIS (self), KG_EXIT_FAILURE);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->findings));
  for (guint i = 0; i < n && first == NULL; i++)
    {
      g_autoptr(KgFinding) finding = g_list_model_get_item (G_LIST_MODEL (self->findings), i);

      if (kg_finding_get_status (finding) == KG_FINDING_PROBLEM)
        first = g_steal_pointer (&finding);
    }

  if (first == NULL)
    return KG_EXIT_OK;

  /* Authentication is the problem when a credential check failed and
   * nothing before it (server, database) already did. */
  if (check_is_authentication (kg_finding_get_check (first)))
    return KG_EXIT_AUTH;
  error_kind = kg_finding_get_error_kind (first);
  if (error_kind != NULL && kg_error_code_from_nick (error_kind, &code))
    return kg_error_code_exit_code (code);

  return KG_EXIT_FAILURE;
}
/* ------------------------------------------------------------------ */
/* The run                                                            */

static void
run_data_free (RunData *data)
{
  g_clear_pointer (&data->api_key, kg_secret_free);
  g_clear_pointer (&data->password, kg_secret_free);
  g_clear_object (&data->rpc);
  g_clear_pointer (&data->server_version, g_free);
  g_clear_pointer (&data->databases, g_strfreev);
  g_clear_error (&data->listing_error);
  g_clear_object (&data->listing_exchange);
  g_clear_object (&data->identity);
  g_clear_object (&data->token_client);
  g_free (data);
}

KgFinding *
kg_diagnosis_add_finding (KgDiagnosis     *self,
                          const char      *check,
                          KgFindingStatus  status,
                          const char      *title,
                          const char      *explanation,
                          const char      *remedy,
                          KgExchange      *exchange,
                          const char      *error_kind)
{
  g_autoptr(KgFinding) finding = kg_finding_new (check, status, title, explanation, remedy,
                                                 exchange, error_kind);

  g_debug ("Finding %s: %s", check, kg_finding_status_to_string (status));
  g_list_store_append (self->findings, finding);
  return finding;
}

KgExchange *
kg_diagnosis_exchange_of_error (const GError *error)
{
  return kg_error_get_exchange (error);
}

/* A problem made from a classified error: its own words and remedy. */
void
kg_diagnosis_add_error_finding (KgDiagnosis  *self,
                                const char   *check,
                                const char   *title,
                                const GError *error,
                                KgExchange   *exchange)
{
  const char *remedy = kg_error_get_remedy (error);
  const char *server_message = kg_error_get_server_message (error);
  g_autofree char *explanation = NULL;

  if (server_message != NULL && strstr (error->message, server_message) == NULL)
    explanation = g_strdup_printf (_("%s\nThe server said: %s"), error->message, server_message);
  else
    explanation = g_strdup (error->message);

  if (title == NULL && error->domain == KG_ERROR)
    title = kg_error_code_title (error->code);
  if (title == NULL)
    title = _("The check failed");

  kg_diagnosis_add_finding (self, check, KG_FINDING_PROBLEM, title, explanation, remedy,
                            exchange ? exchange : kg_diagnosis_exchange_of_error (error),
                            kg_error_kind (error));
}

gboolean
kg_diagnosis_return_if_cancelled (GTask        *task,
                                  const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_error_copy (error));
      return TRUE;
    }
  return FALSE;
}

gboolean
kg_diagnosis_is_transport_error (const GError *error)
{
  return g_error_matches (error, KG_ERROR, KG_ERROR_NETWORK) ||
         g_error_matches (error, KG_ERROR, KG_ERROR_TLS) ||
         g_error_matches (error, KG_ERROR, KG_ERROR_TIMEOUT);
}

/* The profile name as it must be typed in a shell. */
char *
kg_diagnosis_dup_shell_name (KgProfile *profile)
{
  const char *name = kg_profile_get_name (profile) ? kg_profile_get_name (profile) : "";

  for (const char *p = name; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && strchr ("._-@+", *p) == NULL)
        return g_shell_quote (name);
    }
  return *name != '\0' ? g_strdup (name) : g_shell_quote (name);
}

static void version_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data);
static void listing_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data);
static void database_probe_cb (GObject      *source,
                              GAsyncResult *result,
                              gpointer      user_data);

void
kg_diagnosis_run_async (KgDiagnosis         *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RunData *data;

  g_return_if_fail (KG_IS_DIAGNOSIS (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kg_diagnosis_run_async);

  if (self->running)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("The diagnosis is already running."));
      return;
    }

  self->running = TRUE;
  g_list_store_remove_all (self->findings);

  /* The secrets are used for this run only. */
  data = g_new0 (RunData, 1);
  data->rpc = kg_odoo_rpc_new (self->http, self->profile);
  data->api_key = g_steal_pointer (&self->api_key);
  data->password = g_steal_pointer (&self->password);
  g_task_set_task_data (task, data, (GDestroyNotify) run_data_free);

  kg_odoo_rpc_version_async (data->rpc, cancellable, version_cb, g_steal_pointer (&task));
}
/* --- 1. server ---------------------------------------------------- */

static void
add_transport_finding (KgDiagnosis *self)
{
  if (kg_profile_is_insecure (self->profile))
    {
      kg_diagnosis_add_finding (self, "transport", KG_FINDING_WARNING,
                                _("The connection is not encrypted: the key travels in clear"),
                                _("The URL starts with http:// and the server is not on this "
                                  "computer, so the API key, tokens and passwords cross the "
                                  "network readable by anyone on the way."),
                                _("Use the server’s https:// address; if it has none, put Odoo "
                                  "behind a proxy with a TLS certificate."),
                                NULL, NULL);
    }
}

static void
version_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KgDiagnosis *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) version = NULL;
  KgExchange *exchange;

  version = kg_odoo_rpc_version_finish (data->rpc, result, &error);
  exchange = kg_odoo_rpc_get_last_exchange (data->rpc);

  if (version == NULL)
    {
      if (kg_diagnosis_return_if_cancelled (task, error))
        return;

      if (g_error_matches (error, KG_ERROR, KG_ERROR_NOT_JSON) ||
          g_error_matches (error, KG_ERROR, KG_ERROR_HTTP_STATUS))
        {
          g_autofree char *explanation = NULL;
          guint status = kg_error_get_http_status (error);

          if (status != 0)
            explanation = g_strdup_printf (_("Odoo’s JSON-RPC endpoint (/jsonrpc) answered HTTP "
                                             "%u with a page that is not Odoo’s JSON: this is "
                                             "another web server, or a proxy or login page in "
                                             "front of Odoo. (%s)"), status, error->message);
          else
            explanation = g_strdup_printf (_("Odoo’s JSON-RPC endpoint (/jsonrpc) did not answer "
                                             "with Odoo’s JSON: this is another web server, or a "
                                             "proxy or login page in front of Odoo. (%s)"),
                                           error->message);
          kg_diagnosis_add_finding (self, "server", KG_FINDING_PROBLEM,
                                    _("This is not an Odoo server"),
                                    explanation,
                                    _("Check the URL: it must be the address you open Odoo with "
                                      "in a browser, without /web or /odoo at the end. If a "
                                      "proxy sits in front of Odoo, it must pass /jsonrpc "
                                      "through."),
                                    exchange ? exchange : kg_diagnosis_exchange_of_error (error),
                                    kg_error_kind (error));
        }
      else
        {
          kg_diagnosis_add_error_finding (self, "server", NULL, error, exchange);
        }

      add_transport_finding (self);
      kg_diagnosis_finish_run (task);
      return;
    }

  data->major = kg_odoo_version_major (version);
  if (json_object_has_member (version, "server_version") &&
      JSON_NODE_HOLDS_VALUE (json_object_get_member (version, "server_version")))
    data->server_version = g_strdup (json_object_get_string_member (version, "server_version"));

  if (data->major >= 18)
    {
      g_autofree char *title = g_strdup_printf (_("Odoo %s answers"), data->server_version);

      kg_diagnosis_add_finding (self, "server", KG_FINDING_OK, title,
                                _("The server is Odoo 18 or newer, the version Keygate’s checks "
                                  "are made for."),
                                NULL, exchange, NULL);
    }
  else if (data->major > 0)
    {
      g_autofree char *title = g_strdup_printf (_("Odoo %s is older than Odoo 18"),
                                                data->server_version);

      kg_diagnosis_add_finding (self, "server", KG_FINDING_WARNING, title,
                                _("Keygate’s checks are made for Odoo 18 and newer. Older "
                                  "versions name their menus differently and lack some checks, "
                                  "so some findings may be missing."),
                                _("Upgrade the server when you can; API keys exist since Odoo 14."),
                                exchange, NULL);
    }
  else
    {
      kg_diagnosis_add_finding (self, "server", KG_FINDING_WARNING,
                                _("Odoo answers, but not with its version"),
                                _("common.version gave no version number Keygate understands."),
                                NULL, exchange, NULL);
    }

  add_transport_finding (self);
  kg_odoo_rpc_list_databases_async (data->rpc, g_task_get_cancellable (task), listing_cb,
                                    g_object_ref (task));
}

/* --- 2. database -------------------------------------------------- */

static void
listing_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RunData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  data->databases = kg_odoo_rpc_list_databases_finish (data->rpc, result, &error);
  g_set_object (&data->listing_exchange, kg_odoo_rpc_get_last_exchange (data->rpc));
  if (error != NULL)
    {
      if (kg_diagnosis_return_if_cancelled (task, error))
        return;
      data->listing_error = g_steal_pointer (&error);
    }

  /* A made-up password: History marks the refusal as the Doctor's. */
  kg_odoo_rpc_set_step (data->rpc, KG_EXCHANGE_STEP_PROBE);
  kg_odoo_rpc_authenticate_async (data->rpc, DATABASE_PROBE_SECRET, KG_SECRET_PASSWORD,
                                  g_task_get_cancellable (task), database_probe_cb,
                                  g_object_ref (task));
}

static void
add_listing_finding (KgDiagnosis *self,
                     RunData     *data)
{
  if (data->databases != NULL)
    {
      kg_diagnosis_add_finding (self, "database-listing", KG_FINDING_WARNING,
                                _("The server lists its databases to anyone"),
                                _("/web/database/list answers every visitor, without a login, "
                                  "with the names of all databases. That helps attackers: they "
                                  "learn which database to aim their login attempts at."),
                                _("Set “list_db = False” in the Odoo server’s configuration file "
                                  "(and a “dbfilter”), then restart it. Keygate does not need "
                                  "the list."),
                                data->listing_exchange, NULL);
    }
  else if (data->listing_error != NULL && kg_diagnosis_is_transport_error (data->listing_error))
    {
      kg_diagnosis_add_finding (self, "database-listing", KG_FINDING_WARNING,
                                _("Keygate could not check whether the server lists its databases"),
                                data->listing_error->message, NULL, data->listing_exchange,
                                kg_error_kind (data->listing_error));
    }
  else
    {
      kg_diagnosis_add_finding (self, "database-listing", KG_FINDING_OK,
                                _("The server does not list its databases"),
                                _("/web/database/list refused to name the databases, as a server "
                                  "on the internet should."),
                                NULL, data->listing_exchange, NULL);
    }
}

static void
database_probe_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KgDiagnosis *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  const char *database = kg_profile_get_database (self->profile);
  KgExchange *exchange;

  kg_odoo_rpc_authenticate_finish (data->rpc, result, &error);
  kg_odoo_rpc_set_step (data->rpc, NULL);
  exchange = kg_odoo_rpc_get_last_exchange (data->rpc);

  if (error != NULL && kg_diagnosis_return_if_cancelled (task, error))
    return;

  if (g_error_matches (error, KG_ERROR, KG_ERROR_UNKNOWN_DATABASE))
    {
      g_autofree char *title = g_strdup_printf (_("The database “%s” does not exist"), database);
      g_autofree char *remedy = NULL;

      if (data->databases != NULL && data->databases[0] != NULL)
        {
          g_autofree char *names = g_strjoinv (", ", data->databases);
          remedy = g_strdup_printf (_("Correct the connection’s database name. This server has: "
                                      "%s."), names);
        }
      else
        {
          remedy = g_strdup (_("Correct the connection’s database name: it is shown in Odoo "
                               "under Settings › Activate the developer mode, or in the "
                               "database manager."));
        }

      kg_diagnosis_add_finding (self, "database", KG_FINDING_PROBLEM, title,
                                _("The server answered that it cannot connect to this database "
                                  "(PostgreSQL: “database does not exist”). No login can work "
                                  "until the name is right."),
                                remedy, exchange, kg_error_kind (error));
      kg_diagnosis_finish_run (task);
      return;
    }

  if (error == NULL || g_error_matches (error, KG_ERROR, KG_ERROR_ACCESS_DENIED))
    {
      g_autofree char *title = g_strdup_printf (_("The database “%s” exists"), database);

      kg_diagnosis_add_finding (self, "database", KG_FINDING_OK, title,
                                _("Odoo opened the database to check a deliberately wrong "
                                  "credential."),
                                NULL, exchange, NULL);
      add_listing_finding (self, data);
      kg_diagnosis_step_api_key (task);
      return;
    }

  kg_diagnosis_add_error_finding (self, "database", _("The database could not be checked"), error,
                                  exchange);
  kg_diagnosis_finish_run (task);
}
/* --- 6. create-key ------------------------------------------------ */

void
kg_diagnosis_step_create_key (GTask *task)
{
  KgDiagnosis *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);
  g_autofree char *url = NULL;
  g_autofree char *explanation = NULL;
  g_autofree char *remedy = NULL;
  g_autofree char *name = kg_diagnosis_dup_shell_name (self->profile);

  if (data->key_works)
    {
      kg_diagnosis_finish_run (task);
      return;
    }

  url = kg_diagnosis_build_preferences_url_for_version (self->profile, data->major);
  explanation = g_strdup_printf (_("Odoo: %s\n%s"), url, kg_diagnosis_create_key_steps ());
  remedy = g_strdup_printf (_("Then paste the key here: “keygate-cli key set %s” (it reads the key "
                              "from standard input), or the “Paste API key” row in Keygate. It is "
                              "stored in the keyring and checked at once."),
                            name);
  kg_diagnosis_add_finding (self, "create-key", KG_FINDING_WARNING,
                            _("Create an API key in Odoo"), explanation, remedy, NULL, NULL);
  kg_diagnosis_finish_run (task);
}

void
kg_diagnosis_finish_run (GTask *task)
{
  KgDiagnosis *self = g_task_get_source_object (task);

  self->running = FALSE;
  g_task_return_boolean (task, TRUE);
}

gboolean
kg_diagnosis_run_finish (KgDiagnosis   *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (KG_IS_DIAGNOSIS (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kg_diagnosis_run_async, FALSE);

  /* A cancelled run returns early: it is no longer running either. */
  self->running = FALSE;
  return g_task_propagate_boolean (G_TASK (result), error);
}
