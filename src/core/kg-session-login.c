/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "keygate-session"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "kg-error.h"
#include "kg-odoo-rpc.h"
#include "kg-secret.h"
#include "kg-session-login.h"

/* Password login through Odoo's interactive route, used only by the 2FA
 * doctor. See the captured exchanges 10–14 and 80–83 in
 * tests/fixtures/odoo-protocol/exchanges.json:
 *   carol (no 2FA), right password  → result with an integer "uid"
 *   alice (2FA), right password     → {"uid": null}: the TOTP step is due
 *   wrong password / API key        → odoo.exceptions.AccessDenied
 *   10 failures in a row            → AccessDenied "Too many login failures…"
 *   unknown database                → psycopg2.OperationalError */

typedef struct
{
  KgHttp     *http;
  KgExchange *exchange;
  gint64      uid;
} LoginData;

static void
login_data_free (LoginData *data)
{
  g_clear_object (&data->http);
  g_clear_object (&data->exchange);
  g_free (data);
}

static GBytes *
build_body (KgProfile  *profile,
            const char *password)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  JsonObject *params;
  JsonNode *password_node;
  char *text;
  gsize len = 0;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "jsonrpc");
  json_builder_add_string_value (builder, "2.0");
  json_builder_set_member_name (builder, "method");
  json_builder_add_string_value (builder, "call");
  json_builder_set_member_name (builder, "params");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "db");
  json_builder_add_string_value (builder, kg_profile_get_database (profile));
  json_builder_set_member_name (builder, "login");
  json_builder_add_string_value (builder, kg_profile_get_login (profile));
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, 1);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &len);

  /* Wipe the copy json-glib keeps in the tree before it is freed. */
  params = json_object_get_object_member (json_node_get_object (root), "params");
  password_node = json_object_get_member (params, "password");
  kg_secret_wipe ((char *) json_node_get_string (password_node));

  return g_bytes_new_with_free_func (text, len, kg_secret_free, text);
}

static gboolean
message_says_too_many (const GError *error)
{
  const char *server_message = kg_error_get_server_message (error);

  return (server_message != NULL && strstr (server_message, "Too many login failures") != NULL) ||
         (error->message != NULL && strstr (error->message, "Too many login failures") != NULL);
}

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LoginData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(KgExchange) exchange = NULL;
  g_autoptr(JsonNode) answer = NULL;
  JsonObject *object;
  JsonNode *uid_node;

  exchange = kg_http_send_finish (KG_HTTP (source), result, &error);
  if (exchange == NULL)
    {
      /* Transport failure (or cancelled): the error carries the exchange. */
      KgExchange *failed = kg_error_get_exchange (error);

      if (failed != NULL)
        {
          g_set_object (&data->exchange, failed);
          kg_exchange_set_error (failed, error);
          kg_http_record (data->http, failed);
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_set_object (&data->exchange, exchange);
  answer = kg_odoo_classify_jsonrpc (exchange, &error);
  if (answer == NULL)
    {
      if (g_error_matches (error, KG_ERROR, KG_ERROR_ACCESS_DENIED) && message_says_too_many (error))
        {
          g_autoptr(GError) cooldown = g_error_new_literal (KG_ERROR, KG_ERROR_TOO_MANY_ATTEMPTS,
                                                            _("Odoo refused the login because there were too many failed logins from this address."));
          kg_error_set_server_message (cooldown, kg_error_get_server_message (error));
          g_clear_error (&error);
          error = g_steal_pointer (&cooldown);
        }
      else if (g_error_matches (error, KG_ERROR, KG_ERROR_ACCESS_DENIED))
        {
          g_autoptr(GError) denied = g_error_new_literal (KG_ERROR, KG_ERROR_ACCESS_DENIED,
                                                          _("Odoo refused the password: it is wrong, or it is an API key (Odoo’s interactive login accepts passwords only)."));
          kg_error_set_server_message (denied, kg_error_get_server_message (error));
          kg_error_set_remedy (denied, _("Check the password by logging in to Odoo in a browser. An API key cannot be used as a password here."));
          g_clear_error (&error);
          error = g_steal_pointer (&denied);
        }
      kg_error_set_http_status (error, kg_exchange_get_status (exchange));
      kg_error_set_exchange (error, exchange);
      kg_exchange_set_error (exchange, error);
      kg_http_record (data->http, exchange);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  object = JSON_NODE_HOLDS_OBJECT (answer) ? json_node_get_object (answer) : NULL;
  uid_node = object ? json_object_get_member (object, "uid") : NULL;

  if (uid_node != NULL && JSON_NODE_HOLDS_NULL (uid_node))
    {
      /* A correct password, but the second factor is due. */
      g_autoptr(GError) two_factor = g_error_new_literal (KG_ERROR, KG_ERROR_TWO_FACTOR_REQUIRED,
                                                          _("The password is right, but two-factor authentication is on for this user."));
      kg_exchange_set_error (exchange, two_factor);
      kg_http_record (data->http, exchange);
      data->uid = 0;
      g_task_return_int (task, KG_SESSION_LOGIN_TWO_FACTOR);
      return;
    }

  if (uid_node != NULL && JSON_NODE_HOLDS_VALUE (uid_node) &&
      json_node_get_value_type (uid_node) == G_TYPE_INT64 && json_node_get_int (uid_node) > 0)
    {
      data->uid = json_node_get_int (uid_node);
      kg_http_record (data->http, exchange);
      g_task_return_int (task, KG_SESSION_LOGIN_OK);
      return;
    }

  error = g_error_new_literal (KG_ERROR, KG_ERROR_SERVER,
                               _("The server answered the login with neither a user id nor an error."));
  kg_error_set_http_status (error, kg_exchange_get_status (exchange));
  kg_error_set_exchange (error, exchange);
  kg_exchange_set_error (exchange, error);
  kg_http_record (data->http, exchange);
  g_task_return_error (task, g_steal_pointer (&error));
}

void
kg_session_login_async (KgHttp              *http,
                        KgProfile           *profile,
                        const char          *password,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(KgHttpRequest) request = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *url = NULL;
  LoginData *data;

  g_return_if_fail (KG_IS_HTTP (http));
  g_return_if_fail (KG_IS_PROFILE (profile));
  g_return_if_fail (password != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (http, cancellable, callback, user_data);
  g_task_set_source_tag (task, kg_session_login_async);
  data = g_new0 (LoginData, 1);
  data->http = g_object_ref (http);
  g_task_set_task_data (task, data, (GDestroyNotify) login_data_free);

  if (*password == '\0')
    {
      g_task_return_new_error (task, KG_ERROR, KG_ERROR_INVALID_INPUT,
                               _("The password is empty."));
      return;
    }

  url = kg_profile_build_url (profile, "/web/session/authenticate");
  request = kg_http_request_new ("POST", url);
  /* Registered before the body so every copy of it is redacted. */
  kg_http_request_add_secret (request, KG_SECRET_PASSWORD, password);
  body = build_body (profile, password);
  /* kg-http takes the body over (transfer full). */
  kg_http_request_set_body (request, "application/json", g_steal_pointer (&body));
  kg_http_request_set_timeout (request, kg_profile_get_timeout (profile));
  kg_http_request_set_tls_policy (request, kg_profile_get_tls_policy (profile));
  kg_http_request_set_label (request, "session authenticate");
  kg_http_request_set_profile_id (request, kg_profile_get_id (profile));

  kg_http_send_async (http, request, cancellable, send_cb, g_steal_pointer (&task));
}

KgSessionLoginOutcome
kg_session_login_finish (GAsyncResult  *result,
                         gint64        *uid,
                         GError       **error)
{
  LoginData *data;
  gssize outcome;

  g_return_val_if_fail (G_IS_TASK (result), KG_SESSION_LOGIN_OK);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kg_session_login_async,
                        KG_SESSION_LOGIN_OK);

  data = g_task_get_task_data (G_TASK (result));
  outcome = g_task_propagate_int (G_TASK (result), error);
  if (uid != NULL)
    *uid = outcome < 0 ? 0 : data->uid;

  return outcome < 0 ? KG_SESSION_LOGIN_OK : (KgSessionLoginOutcome) outcome;
}

KgExchange *
kg_session_login_get_exchange (GAsyncResult *result)
{
  LoginData *data;

  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kg_session_login_async, NULL);

  data = g_task_get_task_data (G_TASK (result));
  return data->exchange;
}
