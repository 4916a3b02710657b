/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "keygate-error"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "kg-error.h"
#include "kg-exchange.h"

typedef struct
{
  char       *remedy;
  char       *step;
  char       *server_message;
  KgExchange *exchange;
  guint       http_status;
} KgErrorPrivate;

static void
kg_error_private_init (KgErrorPrivate *priv)
{
  (void) priv;
}

static void
kg_error_private_copy (const KgErrorPrivate *src,
                       KgErrorPrivate       *dest)
{
  dest->remedy = g_strdup (src->remedy);
  dest->step = g_strdup (src->step);
  dest->server_message = g_strdup (src->server_message);
  dest->exchange = src->exchange ? g_object_ref (src->exchange) : NULL;
  dest->http_status = src->http_status;
}

static void
kg_error_private_clear (KgErrorPrivate *priv)
{
  g_clear_pointer (&priv->remedy, g_free);
  g_clear_pointer (&priv->step, g_free);
  g_clear_pointer (&priv->server_message, g_free);
  g_clear_object (&priv->exchange);
}

G_DEFINE_EXTENDED_ERROR (KgError, kg_error)

typedef struct
{
  const char *nick;
  const char *title;
  const char *remedy;
  KgExitCode  exit_code;
} KgErrorInfo;

static const KgErrorInfo error_info[KG_ERROR_N_CODES] = {
  [KG_ERROR_NETWORK] = { "network",
    N_("The server could not be reached"),
    N_("Check the URL and your network connection, and that the server is running."),
    KG_EXIT_CONNECTION },
  [KG_ERROR_TLS] = { "tls",
    N_("The server’s certificate could not be trusted"),
    N_("Check that the URL names the server its certificate was issued for, or fix the "
       "certificate on the server."),
    KG_EXIT_CONNECTION },
  [KG_ERROR_TIMEOUT] = { "timeout",
    N_("The server did not answer in time"),
    N_("Try again, or raise the connection’s timeout if the server is known to be slow."),
    KG_EXIT_CONNECTION },
  [KG_ERROR_HTTP_STATUS] = { "http-status",
    N_("The server answered with an HTTP error"),
    N_("Check the path of the endpoint and that the module serving it is installed."),
    KG_EXIT_SERVER },
  [KG_ERROR_NOT_JSON] = { "not-json",
    N_("The server did not answer with JSON"),
    N_("Check that the URL points at the Odoo server itself and not at a proxy or login page."),
    KG_EXIT_SERVER },
  [KG_ERROR_RESPONSE_TOO_LARGE] = { "response-too-large",
    N_("The response was too large"),
    N_("Ask for fewer records or fields; Keygate stops reading responses above its size limit."),
    KG_EXIT_SERVER },
  [KG_ERROR_ACCESS_DENIED] = { "access-denied",
    N_("Access denied"),
    N_("Odoo refuses a wrong, revoked or expired API key, a key that belongs to another login, an "
       "unknown login, and the password of a user with two-factor authentication in exactly the "
       "same way. Check the login, then create a new API key in Odoo under Preferences › Account "
       "Security."),
    KG_EXIT_AUTH },
  [KG_ERROR_TWO_FACTOR_REQUIRED] = { "two-factor-required",
    N_("Two-factor authentication is on for this user"),
    N_("Password logins cannot work for scripts once two-factor authentication is on. Create an "
       "API key in Odoo under Preferences › Account Security and use it instead of the password."),
    KG_EXIT_AUTH },
  [KG_ERROR_ACCESS_ERROR] = { "access-error",
    N_("The user is not allowed to do this"),
    N_("Ask an Odoo administrator to add the user to the group the server’s message names."),
    KG_EXIT_PERMISSION },
  [KG_ERROR_VALIDATION] = { "validation",
    N_("The server rejected the values"),
    N_("Correct what the server’s message names, then send again."),
    KG_EXIT_SERVER },
  [KG_ERROR_MISSING_RECORD] = { "missing-record",
    N_("The record does not exist"),
    N_("It may have been deleted, or the ID belongs to another database."),
    KG_EXIT_SERVER },
  [KG_ERROR_UNKNOWN_DATABASE] = { "unknown-database",
    N_("The database does not exist on this server"),
    N_("Check the database name; when the server allows it, pick one from its list."),
    KG_EXIT_SERVER },
  [KG_ERROR_SESSION_EXPIRED] = { "session-expired",
    N_("The session has expired"),
    N_("Log in again; scripts should use an API key instead of a browser session."),
    KG_EXIT_AUTH },
  [KG_ERROR_TOKEN_MISSING] = { "token-missing",
    N_("The request carried no access token"),
    N_("Exchange the API key for a token first, and check how the route expects the token to be "
       "sent."),
    KG_EXIT_AUTH },
  [KG_ERROR_TOKEN_INVALID] = { "token-invalid",
    N_("The access token was refused"),
    N_("Exchange the API key for a new token. If a fresh token is refused too, the route’s token "
       "check and the exchange disagree."),
    KG_EXIT_AUTH },
  [KG_ERROR_TOO_MANY_ATTEMPTS] = { "too-many-attempts",
    N_("Too many failed logins"),
    N_("Odoo blocks interactive logins from this address for a minute after ten failures in a "
       "row. Wait, then try again with the right password."),
    KG_EXIT_SERVER },
  [KG_ERROR_SERVER] = { "server",
    N_("The server reported an error"),
    N_("Read the server’s message; the raw response shows its full answer."),
    KG_EXIT_SERVER },
  [KG_ERROR_KEYRING_UNAVAILABLE] = { "keyring-unavailable",
    N_("No keyring service is available"),
    N_("Start a Secret Service such as GNOME Keyring (or, inside Flatpak, make sure the Secret "
       "portal is available). Keygate never stores keys in plain files."),
    KG_EXIT_KEYRING },
  [KG_ERROR_KEYRING_LOCKED] = { "keyring-locked",
    N_("The keyring is locked"),
    N_("Unlock the keyring when your desktop asks, then try again."),
    KG_EXIT_KEYRING },
  [KG_ERROR_KEY_NOT_FOUND] = { "key-not-found",
    N_("No API key is stored for this connection"),
    N_("Paste the connection’s API key and store it first."),
    KG_EXIT_KEYRING },
  [KG_ERROR_INVALID_INPUT] = { "invalid-input",
    N_("The input is not valid"),
    N_("Correct the value named in the message."),
    KG_EXIT_USAGE },
  [KG_ERROR_PROFILE_NOT_FOUND] = { "profile-not-found",
    N_("There is no connection with this name"),
    N_("List the connections with “keygate-cli profile list”."),
    KG_EXIT_USAGE },
  [KG_ERROR_STORE] = { "store",
    N_("A Keygate data file could not be read or written"),
    N_("Check the file named in the message; Keygate leaves a corrupt file untouched so nothing "
       "is lost."),
    KG_EXIT_KEYRING },
};

static gboolean
code_is_valid (int code)
{
  return code >= 0 && code < KG_ERROR_N_CODES;
}

const char *
kg_error_code_to_nick (KgErrorCode code)
{
  g_return_val_if_fail (code_is_valid (code), "internal");
  return error_info[code].nick;
}

gboolean
kg_error_code_from_nick (const char  *nick,
                         KgErrorCode *code)
{
  g_return_val_if_fail (nick != NULL, FALSE);

  for (guint i = 0; i < KG_ERROR_N_CODES; i++)
    {
      if (g_str_equal (nick, error_info[i].nick))
        {
          if (code != NULL)
            *code = i;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
kg_error_code_title (KgErrorCode code)
{
  g_return_val_if_fail (code_is_valid (code), NULL);
  return g_dgettext (GETTEXT_PACKAGE, error_info[code].title);
}

const char *
kg_error_code_remedy (KgErrorCode code)
{
  g_return_val_if_fail (code_is_valid (code), NULL);
  return g_dgettext (GETTEXT_PACKAGE, error_info[code].remedy);
}

KgExitCode
kg_error_code_exit_code (KgErrorCode code)
{
  g_return_val_if_fail (code_is_valid (code), KG_EXIT_FAILURE);
  return error_info[code].exit_code;
}

const char *
kg_error_kind (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain == KG_ERROR && code_is_valid (error->code))
    return error_info[error->code].nick;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return "cancelled";
  return "internal";
}

KgExitCode
kg_error_exit_code (const GError *error)
{
  g_return_val_if_fail (error != NULL, KG_EXIT_FAILURE);

  if (error->domain == KG_ERROR && code_is_valid (error->code))
    return error_info[error->code].exit_code;
  return KG_EXIT_FAILURE;
}

static KgErrorPrivate *
get_private (const GError *error)
{
  if (error == NULL || error->domain != KG_ERROR)
    return NULL;
  return kg_error_get_private (error);
}

void
kg_error_set_remedy (GError     *error,
                     const char *remedy)
{
  KgErrorPrivate *priv = get_private (error);

  g_return_if_fail (priv != NULL);
  g_free (priv->remedy);
  priv->remedy = priv->exchange ? kg_exchange_redact_text (priv->exchange, remedy)
                                : g_strdup (remedy);
}

const char *
kg_error_get_remedy (const GError *error)
{
  KgErrorPrivate *priv = get_private (error);

  if (priv == NULL)
    return NULL;
  if (priv->remedy != NULL)
    return priv->remedy;
  if (code_is_valid (error->code))
    return kg_error_code_remedy (error->code);
  return NULL;
}

void
kg_error_set_step (GError     *error,
                   const char *step)
{
  KgErrorPrivate *priv = get_private (error);

  g_return_if_fail (priv != NULL);
  g_free (priv->step);
  priv->step = g_strdup (step);
}

const char *
kg_error_get_step (const GError *error)
{
  KgErrorPrivate *priv = get_private (error);

  return priv ? priv->step : NULL;
}

void
kg_error_set_http_status (GError *error,
                          guint   status)
{
  KgErrorPrivate *priv = get_private (error);

  g_return_if_fail (priv != NULL);
  priv->http_status = status;
}

guint
kg_error_get_http_status (const GError *error)
{
  KgErrorPrivate *priv = get_private (error);

  return priv ? priv->http_status : 0;
}

void
kg_error_set_server_message (GError     *error,
                             const char *message)
{
  KgErrorPrivate *priv = get_private (error);

  g_return_if_fail (priv != NULL);
  g_free (priv->server_message);
  priv->server_message = priv->exchange ? kg_exchange_redact_text (priv->exchange, message)
                                        : g_strdup (message);
}

const char *
kg_error_get_server_message (const GError *error)
{
  KgErrorPrivate *priv = get_private (error);

  return priv ? priv->server_message : NULL;
}

void
kg_error_set_exchange (GError     *error,
                       KgExchange *exchange)
{
  KgErrorPrivate *priv = get_private (error);

  g_return_if_fail (priv != NULL);
  g_return_if_fail (exchange == NULL || KG_IS_EXCHANGE (exchange));
  g_set_object (&priv->exchange, exchange);
  if (exchange == NULL)
    return;

  /* A server may echo a secret back ("Bad key <the key>"): whatever the
   * error says goes through the request's redaction, like the exchange. */
  {
    char *message = kg_exchange_redact_text (exchange, error->message);
    char *server_message = kg_exchange_redact_text (exchange, priv->server_message);
    char *remedy = kg_exchange_redact_text (exchange, priv->remedy);

    g_free (error->message);
    error->message = message;
    g_free (priv->server_message);
    priv->server_message = server_message;
    g_free (priv->remedy);
    priv->remedy = remedy;
  }
}

KgExchange *
kg_error_get_exchange (const GError *error)
{
  KgErrorPrivate *priv = get_private (error);

  return priv ? priv->exchange : NULL;
}
