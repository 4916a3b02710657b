/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "keygate-diagnosis"

/* The 2FA doctor's checks of the other ways in: the token module's
 * exchange and route for token connections, and the password (5), whose
 * answer tells whether two-factor authentication is on. */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "kg-diagnosis-private.h"
#include "kg-error.h"
#include "kg-secret.h"
#include "kg-session-login.h"

static void token_exchange_cb (GObject      *source,
                              GAsyncResult *result,
                              gpointer      user_data);
static void token_route_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data);
static void session_login_cb (GObject      *source,
                             GAsyncResult *result,
                             gpointer      user_data);

/* --- token profiles ------------------------------------------------ */

void
kg_diagnosis_step_token (GTask *task)
{
  KgDiagnosis *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);

  if (kg_profile_get_protocol (self->profile) != KG_PROTOCOL_TOKEN ||
      kg_profile_get_token_spec (self->profile) == NULL)
    {
      kg_diagnosis_step_password (task);
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
      if (kg_diagnosis_return_if_cancelled (task, error))
        return;
      kg_diagnosis_add_error_finding (self, "token-exchange", _("The token exchange failed"),
                                      error, NULL);
      kg_diagnosis_step_password (task);
      return;
    }

  masked = kg_token_client_dup_masked_token (data->token_client);
  if (masked != NULL)
    title = g_strdup_printf (_("The key was exchanged for an access token (%s)"), masked);
  else
    title = g_strdup (_("The token settings need no exchange"));
  kg_diagnosis_add_finding (self, "token-exchange", KG_FINDING_OK, title,
                            _("The exchange route accepted the API key."), NULL, NULL, NULL);

  create_spec = kg_profile_get_create_spec (self->profile);
  if (create_spec == NULL || kg_create_spec_get_path (create_spec) == NULL)
    {
      kg_diagnosis_step_password (task);
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
  KgExchange *exchange = kg_diagnosis_exchange_of_error (error);
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
  KgExchange *route_exchange;

  exchange = kg_token_client_send_finish (KG_TOKEN_CLIENT (source), result, &error);
  if (error != NULL && kg_diagnosis_return_if_cancelled (task, error))
    return;
  route_exchange = error != NULL ? kg_diagnosis_exchange_of_error (error) : NULL;

  if (g_error_matches (error, KG_ERROR, KG_ERROR_VALIDATION) && refused_before_token (error))
    {
      /* Refused before the token was looked at: nothing learned. */
      kg_diagnosis_add_finding (self, "token-route", KG_FINDING_WARNING,
                                _("The token route could not be checked"), error->message,
                                kg_error_get_remedy (error),
                                kg_diagnosis_exchange_of_error (error), kg_error_kind (error));
    }
  else if (error == NULL ||
      g_error_matches (error, KG_ERROR, KG_ERROR_VALIDATION) ||
      g_error_matches (error, KG_ERROR, KG_ERROR_ACCESS_ERROR) ||
      (g_error_matches (error, KG_ERROR, KG_ERROR_HTTP_STATUS) &&
       kg_error_get_http_status (error) == 400))
    {
      /* The empty body is refused only after the token was checked. */
      kg_diagnosis_add_finding (self, "token-route", KG_FINDING_OK,
                                _("The route accepts the access token"),
                                _("Keygate sent an empty request to the create route with the "
                                  "token: the route checked the token and then refused only the "
                                  "missing values."),
                                NULL, exchange ? exchange : route_exchange, NULL);
    }
  else if (g_error_matches (error, KG_ERROR, KG_ERROR_TOKEN_INVALID) ||
           g_error_matches (error, KG_ERROR, KG_ERROR_TOKEN_MISSING))
    {
      g_autofree char *explanation =
        g_strdup_printf (_("The exchange issued a token, but the route refused it (%s), also after "
                           "a fresh exchange."), error->message);
      kg_diagnosis_add_finding (self, "token-route", KG_FINDING_PROBLEM,
                                _("The route’s token check and the exchange disagree"), explanation,
                                _("Check how the route expects the token (header name, “Bearer” "
                                  "scheme, database header) in the connection’s token settings, "
                                  "and that the route and the exchange belong to the same module "
                                  "and database."),
                                kg_diagnosis_exchange_of_error (error), kg_error_kind (error));
    }
  else
    {
      kg_diagnosis_add_error_finding (self, "token-route", _("The token route could not be "
                                                             "checked"), error,
                                      NULL);
    }

  kg_diagnosis_step_password (task);
}

/* --- 5. password -------------------------------------------------- */

void
kg_diagnosis_step_password (GTask *task)
{
  KgDiagnosis *self = g_task_get_source_object (task);
  RunData *data = g_task_get_task_data (task);

  if (data->password == NULL)
    {
      kg_diagnosis_step_create_key (task);
      return;
    }

  kg_session_login_async (self->http, self->profile, data->password,
                          g_task_get_cancellable (task), session_login_cb, g_object_ref (task));
  /* The request holds what it needs: drop our copy now, unless the key was
   * refused and the password may be needed once more to look the stored
   * key up by its name (kg_diagnosis_step_key_name). */
  if (!kg_diagnosis_key_name_lookup_possible (self, data))
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
      if (kg_diagnosis_return_if_cancelled (task, error))
        return;

      if (g_error_matches (error, KG_ERROR, KG_ERROR_ACCESS_DENIED))
        {
          kg_diagnosis_add_finding (self, "password", KG_FINDING_PROBLEM, _("Wrong password"),
                                    _("Odoo refused the password. Its interactive login takes "
                                      "passwords only: an API key given as the password is "
                                      "refused the same way."),
                                    _("Check the password by logging in to Odoo in a browser. "
                                      "For scripts, use an API key rather than the password."),
                                    exchange, kg_error_kind (error));
        }
      else if (g_error_matches (error, KG_ERROR, KG_ERROR_TOO_MANY_ATTEMPTS))
        {
          kg_diagnosis_add_finding (self, "password", KG_FINDING_PROBLEM,
                                    _("Too many failed logins: Odoo’s login cooldown is active"),
                                    _("After 10 failed logins in a row from one address, Odoo "
                                      "refuses every interactive login from that address for 60 "
                                      "seconds, even with the right password. Calls with an API "
                                      "key over JSON-RPC are not blocked."),
                                    _("Wait a minute, then try once more with the right password."),
                                    exchange, kg_error_kind (error));
        }
      else
        {
          kg_diagnosis_add_error_finding (self, "password", NULL, error, exchange);
          if (kg_diagnosis_is_transport_error (error))
            {
              kg_diagnosis_finish_run (task);
              return;
            }
        }

      g_clear_pointer (&data->password, kg_secret_free);
      kg_diagnosis_step_create_key (task);
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
      kg_diagnosis_add_finding (self, "password",
                                data->key_works ? KG_FINDING_WARNING : KG_FINDING_PROBLEM,
                                _("2FA is on: password API logins cannot work for this user; use "
                                  "an API key"),
                                explanation,
                                data->key_works ?
                                _("Keep using the stored API key: it works for this user.") :
                                _("Create an API key and use it instead of the password (see "
                                  "below)."),
                                exchange, kg_error_code_to_nick (KG_ERROR_TWO_FACTOR_REQUIRED));
    }
  else
    {
      kg_diagnosis_add_finding (self, "password", KG_FINDING_OK, _("Password logins work (no 2FA)"),
                                _("Odoo opened a full session with this password: two-factor "
                                  "authentication is off for this user, so the password also "
                                  "works over JSON-RPC today."),
                                _("Scripts should still use an API key: it can be revoked on its "
                                  "own and keeps working when two-factor authentication is "
                                  "turned on."),
                                exchange, NULL);
      if (data->password != NULL)
        {
          kg_diagnosis_step_key_name (task);
          return;
        }
    }

  g_clear_pointer (&data->password, kg_secret_free);
  kg_diagnosis_step_create_key (task);
}
