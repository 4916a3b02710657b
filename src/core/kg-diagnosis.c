/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "keygate-diagnosis"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "kg-diagnosis.h"
#include "kg-secret.h"
#include "kg-error.h"
#include "kg-identity.h"
#include "kg-odoo-rpc.h"
#include "kg-session-login.h"
#include "kg-token-client.h"

/* The 2FA doctor. Every sentence a user reads about a diagnosis lives in
 * this file, so the CLI and the GUI's 2FA panel say the same thing.
 * The facts behind the texts come from the captured Odoo exchanges in
 * tests/fixtures/odoo-protocol/. The checks below read top to bottom in
 * the order they run. */

#define EXPIRY_WARNING_DAYS 14
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

struct _KgDiagnosis
{
  GObject     parent_instance;

  KgHttp     *http;
  KgProfile  *profile;
  char       *api_key;
  char       *password;
  GListStore *findings;
  gboolean    running;
};

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

typedef struct
{
  KgOdooRpc     *rpc;
  char          *api_key;
  char          *password;
  char          *server_version;
  int            major;
  GStrv          databases;
  GError        *listing_error;
  KgExchange    *listing_exchange;
  gboolean       key_works;
  gboolean       api_key_refused;
  KgIdentity    *identity;
  KgTokenClient *token_client;
} RunData;

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

static KgFinding *
add_finding (KgDiagnosis     *self,
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

static KgExchange *
exchange_of_error (const GError *error)
{
  return kg_error_get_exchange (error);
}

/* A problem made from a classified error: its own words and remedy. */
static void
add_error_finding (KgDiagnosis  *self,
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

  add_finding (self, check, KG_FINDING_PROBLEM, title, explanation, remedy,
               exchange ? exchange : exchange_of_error (error), kg_error_kind (error));
}

static gboolean
return_if_cancelled (GTask        *task,
                     const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_error_copy (error));
      return TRUE;
    }
  return FALSE;
}

static gboolean
is_transport_error (const GError *error)
{
  return g_error_matches (error, KG_ERROR, KG_ERROR_NETWORK) ||
         g_error_matches (error, KG_ERROR, KG_ERROR_TLS) ||
         g_error_matches (error, KG_ERROR, KG_ERROR_TIMEOUT);
}

/* The profile name as it must be typed in a shell. */
static char *
dup_shell_name (KgProfile *profile)
{
  const char *name = kg_profile_get_name (profile) ? kg_profile_get_name (profile) : "";

  for (const char *p = name; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && strchr ("._-@+", *p) == NULL)
        return g_shell_quote (name);
    }
  return *name != '\0' ? g_strdup (name) : g_shell_quote (name);
}

/* The steps and their callbacks, defined below in the order they run. */
static void version_cb        (GObject      *source,
                               GAsyncResult *result,
                               gpointer      user_data);
static void listing_cb        (GObject      *source,
                               GAsyncResult *result,
                               gpointer      user_data);
static void database_probe_cb (GObject      *source,
                               GAsyncResult *result,
                               gpointer      user_data);
static void step_api_key      (GTask        *task);
static void api_key_cb        (GObject      *source,
                               GAsyncResult *result,
                               gpointer      user_data);
static void identity_cb       (GObject      *source,
                               GAsyncResult *result,
                               gpointer      user_data);
static void step_token        (GTask        *task);
static void token_exchange_cb (GObject      *source,
                               GAsyncResult *result,
                               gpointer      user_data);
static void token_route_cb    (GObject      *source,
                               GAsyncResult *result,
                               gpointer      user_data);
static void step_password     (GTask        *task);
static void session_login_cb  (GObject      *source,
                               GAsyncResult *result,
                               gpointer      user_data);
static void step_key_name     (GTask        *task);
static void key_name_cb       (GObject      *source,
                               GAsyncResult *result,
                               gpointer      user_data);
static void step_create_key   (GTask        *task);
static void finish_run        (GTask        *task);

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
      add_finding (self, "transport", KG_FINDING_WARNING,
                   _("The connection is not encrypted: the key travels in clear"),
                   _("The URL starts with http:// and the server is not on this computer, so the "
                     "API key, tokens and passwords cross the network readable by anyone on the "
                     "way."),
                   _("Use the server’s https:// address; if it has none, put Odoo behind a proxy "
                     "with a TLS certificate."),
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
      if (return_if_cancelled (task, error))
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
          add_finding (self, "server", KG_FINDING_PROBLEM, _("This is not an Odoo server"),
                       explanation,
                       _("Check the URL: it must be the address you open Odoo with in a browser, "
                         "without /web or /odoo at the end. If a proxy sits in front of Odoo, it "
                         "must pass /jsonrpc through."),
                       exchange ? exchange : exchange_of_error (error), kg_error_kind (error));
        }
      else
        {
          add_error_finding (self, "server", NULL, error, exchange);
        }

      add_transport_finding (self);
      finish_run (task);
      return;
    }

  data->major = kg_odoo_version_major (version);
  if (json_object_has_member (version, "server_version") &&
      JSON_NODE_HOLDS_VALUE (json_object_get_member (version, "server_version")))
    data->server_version = g_strdup (json_object_get_string_member (version, "server_version"));

  if (data->major >= 18)
    {
      g_autofree char *title = g_strdup_printf (_("Odoo %s answers"), data->server_version);

      add_finding (self, "server", KG_FINDING_OK, title,
                   _("The server is Odoo 18 or newer, the version Keygate’s checks are made for."),
                   NULL, exchange, NULL);
    }
  else if (data->major > 0)
    {
      g_autofree char *title = g_strdup_printf (_("Odoo %s is older than Odoo 18"),
                                                data->server_version);

      add_finding (self, "server", KG_FINDING_WARNING, title,
                   _("Keygate’s checks are made for Odoo 18 and newer. Older versions name their "
                     "menus differently and lack some checks, so some findings may be missing."),
                   _("Upgrade the server when you can; API keys exist since Odoo 14."),
                   exchange, NULL);
    }
  else
    {
      add_finding (self, "server", KG_FINDING_WARNING, _("Odoo answers, but not with its version"),
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
      if (return_if_cancelled (task, error))
        return;
      data->listing_error = g_steal_pointer (&error);
    }

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
      add_finding (self, "database-listing", KG_FINDING_WARNING,
                   _("The server lists its databases to anyone"),
                   _("/web/database/list answers every visitor, without a login, with the names "
                     "of all databases. That helps attackers: they learn which database to aim "
                     "their login attempts at."),
                   _("Set “list_db = False” in the Odoo server’s configuration file (and a "
                     "“dbfilter”), then restart it. Keygate does not need the list."),
                   data->listing_exchange, NULL);
    }
  else if (data->listing_error != NULL && is_transport_error (data->listing_error))
    {
      add_finding (self, "database-listing", KG_FINDING_WARNING,
                   _("Keygate could not check whether the server lists its databases"),
                   data->listing_error->message, NULL, data->listing_exchange,
                   kg_error_kind (data->listing_error));
    }
  else
    {
      add_finding (self, "database-listing", KG_FINDING_OK,
                   _("The server does not list its databases"),
                   _("/web/database/list refused to name the databases, as a server on the "
                     "internet should."),
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
  exchange = kg_odoo_rpc_get_last_exchange (data->rpc);

  if (error != NULL && return_if_cancelled (task, error))
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

      add_finding (self, "database", KG_FINDING_PROBLEM, title,
                   _("The server answered that it cannot connect to this database (PostgreSQL: "
                     "“database does not exist”). No login can work until the name is right."),
                   remedy, exchange, kg_error_kind (error));
      finish_run (task);
      return;
    }

  if (error == NULL || g_error_matches (error, KG_ERROR, KG_ERROR_ACCESS_DENIED))
    {
      g_autofree char *title = g_strdup_printf (_("The database “%s” exists"), database);

      add_finding (self, "database", KG_FINDING_OK, title,
                   _("Odoo opened the database to check a deliberately wrong credential."),
                   NULL, exchange, NULL);
      add_listing_finding (self, data);
      step_api_key (task);
      return;
    }

  add_error_finding (self, "database", _("The database could not be checked"), error, exchange);
  finish_run (task);
}

/* --- 3. api-key --------------------------------------------------- */

static void
step_api_key (GTask *task)
{
  KgDiagnosis *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);

  if (data->api_key == NULL)
    {
      g_autofree char *name = dup_shell_name (self->profile);
      g_autofree char *remedy =
        g_strdup_printf (_("Create an API key in Odoo (see below), then store it with "
                           "“keygate-cli key set %s” or the “Paste API key” row in Keygate."),
                         name);

      add_finding (self, "api-key", KG_FINDING_WARNING, _("No API key stored"),
                   _("This connection has no API key in the keyring, so Keygate cannot check "
                     "which user the key acts as or whether it is valid."),
                   remedy, NULL, NULL);
      step_password (task);
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
      add_finding (self, "api-key", KG_FINDING_OK, _("The API key is accepted"), explanation,
                   NULL, exchange, NULL);
      kg_identity_fetch_async (data->rpc, data->api_key, g_task_get_cancellable (task),
                               identity_cb, g_object_ref (task));
      return;
    }

  if (error != NULL && return_if_cancelled (task, error))
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

      add_finding (self, "api-key", KG_FINDING_PROBLEM, _("The API key was refused"),
                   explanation->str,
                   _("Check each cause: compare the stored key with the one Odoo showed (40 "
                     "characters, 0–9 and a–f); in Odoo, Preferences › Account Security lists "
                     "the user’s keys by name — a key missing there was revoked or has expired "
                     "and been removed; make sure the connection’s login is the user who created "
                     "the key; check the login’s spelling. When in doubt, create a new key."),
                   exchange, kg_error_code_to_nick (KG_ERROR_ACCESS_DENIED));
      step_password (task);
      return;
    }

  add_error_finding (self, "api-key", NULL, error, exchange);
  if (is_transport_error (error))
    {
      finish_run (task);
      return;
    }
  step_password (task);
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
      add_finding (self, "key-expiry", KG_FINDING_PROBLEM, _("The stored API key has expired"),
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
      add_finding (self, "key-expiry", KG_FINDING_WARNING, title, expiring->str,
                   _("Create a new key before the old one expires, store it in Keygate and "
                     "update the integrations that use the old one. Expired keys are refused "
                     "like wrong ones."),
                   NULL, NULL);
      return;
    }

  if (matched && expiry != NULL)
    {
      g_autofree char *when = format_date (expiry);
      g_autofree char *title = g_strdup_printf (_("The stored key expires on %s"), when);

      add_finding (self, "key-expiry", KG_FINDING_OK, title,
                   _("No API key of this user expires within the next 14 days."), NULL, NULL, NULL);
    }
  else if (matched)
    {
      add_finding (self, "key-expiry", KG_FINDING_OK, _("The stored key never expires"),
                   _("Only administrators may create keys without an expiry date."), NULL, NULL,
                   NULL);
    }
  else
    {
      add_finding (self, "key-expiry", KG_FINDING_OK,
                   _("No API key of this user expires within the next 14 days"),
                   key_name == NULL ?
                   _("Give the connection the key’s name from Odoo to see the stored key’s own "
                     "expiry date.") :
                   _("No key of this user has the name given for the stored key; the dates of "
                     "the user’s other keys were checked."),
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
      if (return_if_cancelled (task, error))
        return;
      add_error_finding (self, "identity", _("Keygate could not read who the key acts as"),
                         error, NULL);
      step_token (task);
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
  add_finding (self, "identity", KG_FINDING_OK, title, explanation, NULL, exchange, NULL);

  switch (kg_identity_get_two_factor (identity))
    {
    case KG_TRISTATE_TRUE:
      {
        g_autofree char *text = g_strdup_printf ("%s %s", kg_diagnosis_why_passwords_fail (),
                                                 kg_diagnosis_why_keys_work ());
        add_finding (self, "two-factor", KG_FINDING_OK,
                     _("Two-factor authentication is on: the API key is the right credential"),
                     text, _("Never use this user’s password in scripts; use the API key."),
                     NULL, NULL);
      }
      break;

    case KG_TRISTATE_FALSE:
      add_finding (self, "two-factor", KG_FINDING_OK, _("Two-factor authentication is off"),
                   _("This user’s password would work over JSON-RPC today, but it stops working "
                     "the day two-factor authentication is turned on. The API key keeps working."),
                   NULL, NULL, NULL);
      break;

    case KG_TRISTATE_UNKNOWN:
    default:
      add_finding (self, "two-factor", KG_FINDING_OK,
                   _("Keygate could not tell whether two-factor authentication is on"),
                   _("The server did not show the user’s two-factor setting (the auth_totp module "
                     "may not be installed). The API key works either way."),
                   NULL, NULL, NULL);
      break;
    }

  switch (kg_identity_get_can_create_projects (identity))
    {
    case KG_TRISTATE_TRUE:
      add_finding (self, "can-create", KG_FINDING_OK, _("This user may create projects"),
                   _("Odoo’s access check for creating project.project records answered yes."),
                   NULL, NULL, NULL);
      break;

    case KG_TRISTATE_FALSE:
      add_finding (self, "can-create", KG_FINDING_WARNING, _("This user may not create projects"),
                   _("Odoo’s access check (has_access “create” on project.project) answered no: "
                     "creating a project with this key will fail with “You are not allowed to "
                     "create 'Project' records”."),
                   _("Ask an Odoo administrator to add the user to the group “Project / "
                     "Administrator”: in a default Odoo 18 only that group may create projects."),
                   NULL, kg_error_code_to_nick (KG_ERROR_ACCESS_ERROR));
      break;

    case KG_TRISTATE_UNKNOWN:
    default:
      break;
    }

  add_key_expiry_finding (self, identity);
  step_token (task);
}

/* --- token profiles ------------------------------------------------ */

static void
step_token (GTask *task)
{
  KgDiagnosis *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);

  if (kg_profile_get_protocol (self->profile) != KG_PROTOCOL_TOKEN ||
      kg_profile_get_token_spec (self->profile) == NULL)
    {
      step_password (task);
      return;
    }

  data->token_client = kg_token_client_new (self->http, self->profile);
  kg_token_client_exchange_async (data->token_client, data->api_key,
                                  g_task_get_cancellable (task), token_exchange_cb,
                                  g_object_ref (task));
}

static void
token_exchange_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KgDiagnosis *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);
  KgCreateSpec *create_spec;
  g_autoptr(GError) error = NULL;
  g_autoptr(KgHttpRequest) request = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *url = NULL;
  g_autofree char *masked = NULL;
  g_autofree char *title = NULL;

  if (!kg_token_client_exchange_finish (KG_TOKEN_CLIENT (source), result, &error))
    {
      if (return_if_cancelled (task, error))
        return;
      add_error_finding (self, "token-exchange", _("The token exchange failed"), error, NULL);
      step_password (task);
      return;
    }

  masked = kg_token_client_dup_masked_token (data->token_client);
  if (masked != NULL)
    title = g_strdup_printf (_("The key was exchanged for an access token (%s)"), masked);
  else
    title = g_strdup (_("The token settings need no exchange"));
  add_finding (self, "token-exchange", KG_FINDING_OK, title,
               _("The exchange route accepted the API key."), NULL, NULL, NULL);

  create_spec = kg_profile_get_create_spec (self->profile);
  if (create_spec == NULL || kg_create_spec_get_path (create_spec) == NULL)
    {
      step_password (task);
      return;
    }

  url = kg_profile_build_url (self->profile, kg_create_spec_get_path (create_spec));
  request = kg_http_request_new (kg_create_spec_get_method (create_spec) ?
                                 kg_create_spec_get_method (create_spec) : "POST", url);
  body = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (body, json_object_new ());
  kg_http_request_set_json_body (request, body);
  kg_http_request_set_timeout (request, kg_profile_get_timeout (self->profile));
  kg_http_request_set_tls_policy (request, kg_profile_get_tls_policy (self->profile));
  kg_http_request_set_label (request, "diagnose token route");
  kg_http_request_set_profile_id (request, kg_profile_get_id (self->profile));
  kg_token_client_send_async (data->token_client, data->api_key, request,
                              g_task_get_cancellable (task), token_route_cb, g_object_ref (task));
}

/* The token module checks the body and the database before the token
 * (see tests/fixtures/odoo-protocol/token-module/): those answers prove
 * nothing. */
static gboolean
refused_before_token (const GError *error)
{
  KgExchange *exchange = exchange_of_error (error);
  JsonNode *json = exchange ? kg_exchange_get_response_json (exchange) : NULL;
  const char *name = NULL;

  if (json != NULL && JSON_NODE_HOLDS_OBJECT (json))
    {
      JsonNode *member = json_object_get_member (json_node_get_object (json), "error");

      if (member != NULL && JSON_NODE_HOLDS_VALUE (member) &&
          json_node_get_value_type (member) == G_TYPE_STRING)
        name = json_node_get_string (member);
    }

  return name != NULL && (g_str_equal (name, "Missing database") ||
                          g_str_equal (name, "Invalid JSON body") ||
                          g_str_equal (name, "Database not found"));
}

static void
token_route_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KgDiagnosis *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(KgExchange) exchange = NULL;

  exchange = kg_token_client_send_finish (KG_TOKEN_CLIENT (source), result, &error);
  if (error != NULL && return_if_cancelled (task, error))
    return;

  if (g_error_matches (error, KG_ERROR, KG_ERROR_VALIDATION) && refused_before_token (error))
    {
      /* Refused before the token was looked at: nothing learned. */
      add_finding (self, "token-route", KG_FINDING_WARNING,
                   _("The token route could not be checked"), error->message,
                   kg_error_get_remedy (error), exchange_of_error (error), kg_error_kind (error));
    }
  else if (error == NULL ||
      g_error_matches (error, KG_ERROR, KG_ERROR_VALIDATION) ||
      g_error_matches (error, KG_ERROR, KG_ERROR_ACCESS_ERROR) ||
      (g_error_matches (error, KG_ERROR, KG_ERROR_HTTP_STATUS) &&
       kg_error_get_http_status (error) == 400))
    {
      /* The empty body is refused only after the token was checked. */
      add_finding (self, "token-route", KG_FINDING_OK, _("The route accepts the access token"),
                   _("Keygate sent an empty request to the create route with the token: the route "
                     "checked the token and then refused only the missing values."),
                   NULL, exchange ? exchange : (error ? exchange_of_error (error) : NULL), NULL);
    }
  else if (g_error_matches (error, KG_ERROR, KG_ERROR_TOKEN_INVALID) ||
           g_error_matches (error, KG_ERROR, KG_ERROR_TOKEN_MISSING))
    {
      g_autofree char *explanation =
        g_strdup_printf (_("The exchange issued a token, but the route refused it (%s), also after "
                           "a fresh exchange."), error->message);
      add_finding (self, "token-route", KG_FINDING_PROBLEM,
                   _("The route’s token check and the exchange disagree"), explanation,
                   _("Check how the route expects the token (header name, “Bearer” scheme, "
                     "database header) in the connection’s token settings, and that the route and "
                     "the exchange belong to the same module and database."),
                   exchange_of_error (error), kg_error_kind (error));
    }
  else
    {
      add_error_finding (self, "token-route", _("The token route could not be checked"), error,
                         NULL);
    }

  step_password (task);
}

/* --- 5. password -------------------------------------------------- */

static gboolean
key_name_lookup_possible (KgDiagnosis *self,
                          RunData     *data)
{
  return !data->key_works && data->api_key_refused &&
         kg_profile_get_key_name (self->profile) != NULL;
}

static void
step_password (GTask *task)
{
  KgDiagnosis *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);

  if (data->password == NULL)
    {
      step_create_key (task);
      return;
    }

  kg_session_login_async (self->http, self->profile, data->password,
                          g_task_get_cancellable (task), session_login_cb, g_object_ref (task));
  /* The request holds what it needs: drop our copy now, unless the key was
   * refused and the password may be needed once more to look the stored
   * key up by its name (step_key_name). */
  if (!key_name_lookup_possible (self, data))
    g_clear_pointer (&data->password, kg_secret_free);
}

static void
session_login_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KgDiagnosis *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  KgExchange *exchange = kg_session_login_get_exchange (result);
  KgSessionLoginOutcome outcome;
  gint64 uid = 0;

  outcome = kg_session_login_finish (result, &uid, &error);
  if (error != NULL)
    {
      if (return_if_cancelled (task, error))
        return;

      if (g_error_matches (error, KG_ERROR, KG_ERROR_ACCESS_DENIED))
        {
          add_finding (self, "password", KG_FINDING_PROBLEM, _("Wrong password"),
                       _("Odoo refused the password. Its interactive login takes passwords only: "
                         "an API key given as the password is refused the same way."),
                       _("Check the password by logging in to Odoo in a browser. For scripts, "
                         "use an API key rather than the password."),
                       exchange, kg_error_kind (error));
        }
      else if (g_error_matches (error, KG_ERROR, KG_ERROR_TOO_MANY_ATTEMPTS))
        {
          add_finding (self, "password", KG_FINDING_PROBLEM,
                       _("Too many failed logins: Odoo’s login cooldown is active"),
                       _("After 10 failed logins in a row from one address, Odoo refuses every "
                         "interactive login from that address for 60 seconds, even with the right "
                         "password. Calls with an API key over JSON-RPC are not blocked."),
                       _("Wait a minute, then try once more with the right password."),
                       exchange, kg_error_kind (error));
        }
      else
        {
          add_error_finding (self, "password", NULL, error, exchange);
          if (is_transport_error (error))
            {
              finish_run (task);
              return;
            }
        }

      g_clear_pointer (&data->password, kg_secret_free);
      step_create_key (task);
      return;
    }

  if (outcome == KG_SESSION_LOGIN_TWO_FACTOR)
    {
      g_autofree char *explanation =
        g_strdup_printf (_("Odoo accepted the password and then asked for the second factor "
                           "(its answer was “uid: null”). %s Odoo has probably just e-mailed the "
                           "user a “New Connection” alert for this check."),
                         kg_diagnosis_why_passwords_fail ());
      /* Only a problem when nothing else works: with a working key the
       * password path simply is not the one to use. */
      add_finding (self, "password",
                   data->key_works ? KG_FINDING_WARNING : KG_FINDING_PROBLEM,
                   _("2FA is on: password API logins cannot work for this user; use an API key"),
                   explanation,
                   data->key_works ?
                   _("Keep using the stored API key: it works for this user.") :
                   _("Create an API key and use it instead of the password (see below)."),
                   exchange, kg_error_code_to_nick (KG_ERROR_TWO_FACTOR_REQUIRED));
    }
  else
    {
      add_finding (self, "password", KG_FINDING_OK, _("Password logins work (no 2FA)"),
                   _("Odoo opened a full session with this password: two-factor authentication "
                     "is off for this user, so the password also works over JSON-RPC today."),
                   _("Scripts should still use an API key: it can be revoked on its own and keeps "
                     "working when two-factor authentication is turned on."),
                   exchange, NULL);
      if (data->password != NULL)
        {
          step_key_name (task);
          return;
        }
    }

  g_clear_pointer (&data->password, kg_secret_free);
  step_create_key (task);
}

/* --- key name, with the password as the other working credential --- */

/* Only after a full session proved the password (no 2FA): the password
 * then works over JSON-RPC too, and the user may list its own keys. */
static void
step_key_name (GTask *task)
{
  KgDiagnosis *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);
  g_autofree char *password = g_steal_pointer (&data->password);

  if (password == NULL || !key_name_lookup_possible (self, data))
    {
      g_clear_pointer (&password, kg_secret_free);
      step_create_key (task);
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
      if (return_if_cancelled (task, error))
        return;
      /* Nothing more to learn: the key finding already says what to do. */
      g_debug ("Key name lookup failed: %s", error->message);
      step_create_key (task);
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

      add_finding (self, "key-expiry", KG_FINDING_PROBLEM, _("The stored API key has expired"),
                   explanation, _("Create a new API key (see below) and store it."), NULL,
                   kg_error_code_to_nick (KG_ERROR_ACCESS_DENIED));
    }
  else if (named != NULL)
    {
      g_autofree char *explanation =
        g_strdup_printf (_("The user has a valid key named “%s”, but the stored key was refused: "
                           "the stored key is not that key. It was mistyped or cut short when "
                           "copied, or it belongs to another server or database."), key_name);

      add_finding (self, "key-expiry", KG_FINDING_WARNING,
                   _("The stored key is not the key with that name"), explanation,
                   _("Odoo shows a key only once: create a new one (see below), store it, and "
                     "revoke the old one if nothing else uses it."),
                   NULL, NULL);
    }
  else
    {
      g_autofree char *explanation =
        g_strdup_printf (_("The user has no key named “%s” any more: it was revoked, or it "
                           "expired and Odoo removed it."), key_name);

      add_finding (self, "key-expiry", KG_FINDING_WARNING,
                   _("The stored key was revoked or has expired"), explanation,
                   _("Create a new API key (see below) and store it."), NULL, NULL);
    }

  step_create_key (task);
}

/* --- 6. create-key ------------------------------------------------ */

static void
step_create_key (GTask *task)
{
  KgDiagnosis *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);
  g_autofree char *url = NULL;
  g_autofree char *explanation = NULL;
  g_autofree char *remedy = NULL;
  g_autofree char *name = dup_shell_name (self->profile);

  if (data->key_works)
    {
      finish_run (task);
      return;
    }

  url = kg_diagnosis_build_preferences_url_for_version (self->profile, data->major);
  explanation = g_strdup_printf (_("Odoo: %s\n%s"), url, kg_diagnosis_create_key_steps ());
  remedy = g_strdup_printf (_("Then paste the key here: “keygate-cli key set %s” (it reads the key "
                              "from standard input), or the “Paste API key” row in Keygate. It is "
                              "stored in the keyring and checked at once."),
                            name);
  add_finding (self, "create-key", KG_FINDING_WARNING,
               _("Create an API key in Odoo"), explanation, remedy, NULL, NULL);
  finish_run (task);
}

static void
finish_run (GTask *task)
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
