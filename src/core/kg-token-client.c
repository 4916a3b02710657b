/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "keygate-token"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "kg-error.h"
#include "kg-json.h"
#include "kg-odoo-rpc.h"
#include "kg-redact.h"
#include "kg-secret.h"
#include "kg-token-client.h"

#define STEP_EXCHANGE "exchange"
#define STEP_CALL     "call"
#define DEFAULT_TOKEN_PATH "access_token"
#define FALLBACK_TOKEN_PATH "token"
#define DEFAULT_EXPIRES_AT_PATH "expires_at"
#define FALLBACK_EXPIRES_AT_PATH "expires"
/* Re-exchange this long before the token expires (at most half its life). */
#define EXPIRY_MARGIN_US (30 * G_USEC_PER_SEC)
#define JSON2_CREATE_PATH "/json/2/project.project/create"

struct _KgTokenClient
{
  GObject     parent_instance;

  KgHttp     *http;
  KgProfile  *profile;

  char       *token;        /* the secret: in memory only, wiped when dropped */
  char       *token_type;
  GDateTime  *obtained_at;
  GDateTime  *expires_at;   /* NULL: unknown */

  /* Tasks waiting for the exchange in flight (the first one drives it). */
  GPtrArray  *exchange_waiters;
  gboolean    exchange_in_flight;
};

G_DEFINE_FINAL_TYPE (KgTokenClient, kg_token_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_HTTP,
  PROP_PROFILE,
  PROP_HAS_TOKEN,
  PROP_TOKEN_TYPE,
  PROP_EXPIRES_AT,
  PROP_MASKED_TOKEN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ------------------------------------------------------------------------ */
/* Secrets in memory                                                         */

static void
notify_token (KgTokenClient *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_TOKEN]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN_TYPE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPIRES_AT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MASKED_TOKEN]);
}

static gboolean
drop_token (KgTokenClient *self)
{
  gboolean had_token = self->token != NULL;

  g_clear_pointer (&self->token, kg_secret_free);
  g_clear_pointer (&self->token_type, g_free);
  g_clear_pointer (&self->obtained_at, g_date_time_unref);
  g_clear_pointer (&self->expires_at, g_date_time_unref);

  return had_token;
}

static void
set_token (KgTokenClient *self,
           const char    *token,
           const char    *token_type,
           GDateTime     *expires_at)
{
  drop_token (self);
  self->token = g_strdup (token);
  self->token_type = g_strdup (token_type != NULL ? token_type : "Bearer");
  self->obtained_at = g_date_time_new_now_utc ();
  self->expires_at = expires_at != NULL ? g_date_time_ref (expires_at) : NULL;
  notify_token (self);
}

/* ------------------------------------------------------------------------ */
/* GObject                                                                   */

static void
profile_changed_cb (KgTokenClient *self)
{
  /* A token bought for another server, database or spec is of no use. */
  kg_token_client_forget (self);
}

static void
kg_token_client_constructed (GObject *object)
{
  KgTokenClient *self = KG_TOKEN_CLIENT (object);

  G_OBJECT_CLASS (kg_token_client_parent_class)->constructed (object);

  if (self->http == NULL)
    self->http = g_object_ref (kg_http_get_default ());

  g_assert (self->profile != NULL);
  g_signal_connect_object (self->profile, "notify::url",
                           G_CALLBACK (profile_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->profile, "notify::database",
                           G_CALLBACK (profile_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->profile, "notify::token-spec",
                           G_CALLBACK (profile_changed_cb), self, G_CONNECT_SWAPPED);
}

static void
kg_token_client_dispose (GObject *object)
{
  KgTokenClient *self = KG_TOKEN_CLIENT (object);

  g_clear_object (&self->profile);
  g_clear_object (&self->http);

  G_OBJECT_CLASS (kg_token_client_parent_class)->dispose (object);
}

static void
kg_token_client_finalize (GObject *object)
{
  KgTokenClient *self = KG_TOKEN_CLIENT (object);

  drop_token (self);
  g_clear_pointer (&self->exchange_waiters, g_ptr_array_unref);

  G_OBJECT_CLASS (kg_token_client_parent_class)->finalize (object);
}

static void
kg_token_client_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  KgTokenClient *self = KG_TOKEN_CLIENT (object);

  switch (prop_id)
    {
    case PROP_HTTP:
      g_value_set_object (value, self->http);
      break;
    case PROP_PROFILE:
      g_value_set_object (value, self->profile);
      break;
    case PROP_HAS_TOKEN:
      g_value_set_boolean (value, kg_token_client_has_token (self));
      break;
    case PROP_TOKEN_TYPE:
      g_value_set_string (value, kg_token_client_get_token_type (self));
      break;
    case PROP_EXPIRES_AT:
      g_value_set_boxed (value, self->expires_at);
      break;
    case PROP_MASKED_TOKEN:
      g_value_take_string (value, kg_token_client_dup_masked_token (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kg_token_client_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  KgTokenClient *self = KG_TOKEN_CLIENT (object);

  switch (prop_id)
    {
    case PROP_HTTP:
      self->http = g_value_dup_object (value);
      break;
    case PROP_PROFILE:
      self->profile = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kg_token_client_class_init (KgTokenClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = kg_token_client_constructed;
  object_class->dispose = kg_token_client_dispose;
  object_class->finalize = kg_token_client_finalize;
  object_class->get_property = kg_token_client_get_property;
  object_class->set_property = kg_token_client_set_property;

  properties[PROP_HTTP] =
    g_param_spec_object ("http", NULL, NULL, KG_TYPE_HTTP,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROFILE] =
    g_param_spec_object ("profile", NULL, NULL, KG_TYPE_PROFILE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HAS_TOKEN] =
    g_param_spec_boolean ("has-token", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOKEN_TYPE] =
    g_param_spec_string ("token-type", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EXPIRES_AT] =
    g_param_spec_boxed ("expires-at", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MASKED_TOKEN] =
    g_param_spec_string ("masked-token", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kg_token_client_init (KgTokenClient *self)
{
  self->exchange_waiters = g_ptr_array_new ();
}

KgTokenClient *
kg_token_client_new (KgHttp    *http,
                     KgProfile *profile)
{
  g_return_val_if_fail (http == NULL || KG_IS_HTTP (http), NULL);
  g_return_val_if_fail (KG_IS_PROFILE (profile), NULL);

  return g_object_new (KG_TYPE_TOKEN_CLIENT, "http", http, "profile", profile, NULL);
}

KgProfile *
kg_token_client_get_profile (KgTokenClient *self)
{
  g_return_val_if_fail (KG_IS_TOKEN_CLIENT (self), NULL);
  return self->profile;
}

gboolean
kg_token_client_has_token (KgTokenClient *self)
{
  g_return_val_if_fail (KG_IS_TOKEN_CLIENT (self), FALSE);
  return self->token != NULL;
}

const char *
kg_token_client_get_token_type (KgTokenClient *self)
{
  g_return_val_if_fail (KG_IS_TOKEN_CLIENT (self), NULL);
  return self->token_type;
}

GDateTime *
kg_token_client_get_expires_at (KgTokenClient *self)
{
  g_return_val_if_fail (KG_IS_TOKEN_CLIENT (self), NULL);
  return self->expires_at;
}

char *
kg_token_client_dup_masked_token (KgTokenClient *self)
{
  g_return_val_if_fail (KG_IS_TOKEN_CLIENT (self), NULL);

  if (self->token == NULL)
    return NULL;
  return kg_redact_mask (self->token);
}

const char *
kg_token_client_peek_token (KgTokenClient *self)
{
  g_return_val_if_fail (KG_IS_TOKEN_CLIENT (self), NULL);
  return self->token;
}

void
kg_token_client_forget (KgTokenClient *self)
{
  g_return_if_fail (KG_IS_TOKEN_CLIENT (self));

  if (drop_token (self))
    notify_token (self);
}

/* ------------------------------------------------------------------------ */
/* Helpers                                                                   */

static KgTokenSpec *
get_spec (KgTokenClient *self)
{
  KgTokenSpec *spec = kg_profile_get_token_spec (self->profile);
  static KgTokenSpec *fallback;

  if (spec != NULL)
    return spec;
  if (g_once_init_enter (&fallback))
    g_once_init_leave (&fallback, kg_token_spec_new ());
  return fallback;
}

/* The json2 preset, also after an edit turned it into "custom". */
static gboolean
is_json2 (KgTokenSpec *spec)
{
  if (kg_token_spec_get_preset (spec) == KG_TOKEN_PRESET_JSON2)
    return TRUE;
  return !kg_token_spec_get_exchange (spec)
         && g_str_has_prefix (kg_token_spec_get_path (spec) ? kg_token_spec_get_path (spec) : "",
                              "/json/2");
}

static gboolean
str_empty (const char *text)
{
  return text == NULL || *text == '\0';
}

static void
apply_profile_settings (KgTokenClient *self,
                        KgHttpRequest *request,
                        const char    *label,
                        const char    *step)
{
  guint timeout = kg_profile_get_timeout (self->profile);

  if (timeout > 0)
    kg_http_request_set_timeout (request, timeout);
  kg_http_request_set_tls_policy (request, kg_profile_get_tls_policy (self->profile));
  kg_http_request_set_profile_id (request, kg_profile_get_id (self->profile));
  if (label != NULL)
    kg_http_request_set_label (request, label);
  kg_http_request_set_step (request, step);
}

static void
append_query (GString    *url,
              const char *name,
              const char *value,
              gboolean    escape_value)
{
  g_autofree char *escaped_name = g_uri_escape_string (name, NULL, FALSE);
  g_autofree char *escaped_value = escape_value ? g_uri_escape_string (value, NULL, FALSE)
                                                : g_strdup (value);

  g_string_append_c (url, strchr (url->str, '?') != NULL ? '&' : '?');
  g_string_append_printf (url, "%s=%s", escaped_name, escaped_value);
}

static JsonObject *
get_object (JsonNode *node)
{
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    return json_node_get_object (node);
  return NULL;
}

static const char *
object_get_string (JsonObject *object,
                   const char *name)
{
  JsonNode *member;

  if (object == NULL)
    return NULL;
  member = json_object_get_member (object, name);
  if (member == NULL || !JSON_NODE_HOLDS_VALUE (member)
      || json_node_get_value_type (member) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (member);
}

static JsonNode *
path_lookup (JsonNode   *root,
             const char *path)
{
  if (root == NULL || str_empty (path))
    return NULL;
  return kg_json_path_lookup (root, path, NULL);
}

/* A number, or a string holding one. */
static gboolean
node_get_number (JsonNode *node,
                 double   *out)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      *out = (double) json_node_get_int (node);
      return TRUE;
    case G_TYPE_DOUBLE:
      *out = json_node_get_double (node);
      return TRUE;
    case G_TYPE_STRING:
      {
        const char *text = json_node_get_string (node);
        char *end = NULL;
        double value;

        if (str_empty (text))
          return FALSE;
        value = g_ascii_strtod (text, &end);
        if (end == NULL || *end != '\0')
          return FALSE;
        *out = value;
        return TRUE;
      }
    default:
      return FALSE;
    }
}

static GDateTime *
parse_expires_at (JsonNode *node)
{
  double number;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;

  if (json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (node);
      g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
      GDateTime *parsed;
      g_autofree char *with_t = NULL;

      if (str_empty (text))
        return NULL;
      parsed = g_date_time_new_from_iso8601 (text, utc);
      if (parsed != NULL)
        return parsed;
      /* Odoo's own "YYYY-MM-DD HH:MM:SS" (UTC). */
      with_t = g_strdup (text);
      if (strlen (with_t) > 10 && with_t[10] == ' ')
        {
          with_t[10] = 'T';
          parsed = g_date_time_new_from_iso8601 (with_t, utc);
          if (parsed != NULL)
            return parsed;
        }
    }

  if (node_get_number (node, &number) && number > 0)
    {
      /* Unix seconds; values this large are milliseconds. */
      if (number > 1e11)
        number /= 1000.0;
      return g_date_time_new_from_unix_utc ((gint64) number);
    }

  return NULL;
}

static gboolean
content_type_is_json (const char *content_type)
{
  return content_type != NULL && strstr (content_type, "json") != NULL;
}

/* The title or first line of an HTML/text page, tags stripped, short. */
static char *
page_summary (const char *body)
{
  g_autoptr(GString) text = NULL;
  const char *start;
  const char *end;
  gboolean in_tag = FALSE;

  if (str_empty (body))
    return g_strdup ("");

  start = strstr (body, "<title>");
  if (start == NULL)
    start = strstr (body, "<TITLE>");
  if (start != NULL)
    {
      start += strlen ("<title>");
      end = strchr (start, '<');
      if (end == NULL)
        end = start + strlen (start);
    }
  else
    {
      start = body;
      /* First line with text outside tags. */
      for (;;)
        {
          const char *line_end = strchr (start, '\n');
          g_autofree char *line = g_strndup (start, line_end ? (gsize) (line_end - start)
                                                             : strlen (start));
          gboolean has_text = FALSE;
          gboolean tag = FALSE;

          for (const char *p = line; *p != '\0'; p++)
            {
              if (*p == '<')
                tag = TRUE;
              else if (*p == '>')
                tag = FALSE;
              else if (!tag && !g_ascii_isspace (*p))
                has_text = TRUE;
            }
          if (has_text || line_end == NULL)
            break;
          start = line_end + 1;
        }
      end = strchr (start, '\n');
      if (end == NULL)
        end = start + strlen (start);
    }

  text = g_string_new (NULL);
  for (const char *p = start; p < end; p++)
    {
      if (*p == '<')
        in_tag = TRUE;
      else if (*p == '>')
        in_tag = FALSE;
      else if (!in_tag)
        g_string_append_c (text, *p);
    }
  g_strstrip (text->str);
  text->len = strlen (text->str);
  if (text->len > 120)
    {
      const char *cut = g_utf8_find_prev_char (text->str, text->str + 118);

      g_string_truncate (text, cut ? (gsize) (cut - text->str) : 118);
      g_string_append (text, "…");
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static GError *
make_error (KgErrorCode  code,
            const char  *step,
            KgExchange  *exchange,
            const char  *server_message,
            const char  *remedy,
            const char  *format,
            ...) G_GNUC_PRINTF (6, 7);

static GError *
make_error (KgErrorCode  code,
            const char  *step,
            KgExchange  *exchange,
            const char  *server_message,
            const char  *remedy,
            const char  *format,
            ...)
{
  GError *error;
  va_list args;

  va_start (args, format);
  error = g_error_new_valist (KG_ERROR, code, format, args);
  va_end (args);

  kg_error_set_step (error, step);
  if (exchange != NULL)
    {
      kg_error_set_http_status (error, kg_exchange_get_status (exchange));
      kg_error_set_exchange (error, exchange);
    }
  if (server_message != NULL)
    kg_error_set_server_message (error, server_message);
  if (remedy != NULL)
    kg_error_set_remedy (error, remedy);

  return error;
}

typedef enum {
  PLACED_DATABASE,
  PLACED_API_KEY,
} PlacedValue;

/* Sentence for the remedy of "the module did not find the database/key":
 * one whole sentence per value and location, so translators see each one. */
static char *
placement_remedy (PlacedValue      what,
                  KgParamLocation  location,
                  const char      *param)
{
  gboolean database = what == PLACED_DATABASE;

  if (location == KG_PARAM_NONE || str_empty (param))
    return g_strdup (database
                     ? _("The token spec sends the database nowhere. Set its db-location (header, "
                         "body or query) and db-param to what the module expects, e.g. the header "
                         "X-Odoo-Database or X-API-Key.")
                     : _("The token spec sends the API key nowhere. Set its key-location (header, "
                         "body or query) and key-param to what the module expects, e.g. the header "
                         "X-Odoo-Database or X-API-Key."));

  switch (location)
    {
    case KG_PARAM_HEADER:
      if (database)
        /* Translators: %s is an HTTP header name */
        return g_strdup_printf (_("Keygate sent the database in the header “%s”, but the module "
                                  "did not find it there. Set the token spec’s db-location and "
                                  "db-param to what the module expects."),
                                param);
      /* Translators: %s is an HTTP header name */
      return g_strdup_printf (_("Keygate sent the API key in the header “%s”, but the module did "
                                "not find it there. Set the token spec’s key-location and "
                                "key-param to what the module expects."),
                              param);
    case KG_PARAM_BODY:
      if (database)
        /* Translators: %s is the name of a member of a JSON object */
        return g_strdup_printf (_("Keygate sent the database in the JSON body member “%s”, but "
                                  "the module did not find it there. Set the token spec’s "
                                  "db-location and db-param to what the module expects."),
                                param);
      /* Translators: %s is the name of a member of a JSON object */
      return g_strdup_printf (_("Keygate sent the API key in the JSON body member “%s”, but the "
                                "module did not find it there. Set the token spec’s key-location "
                                "and key-param to what the module expects."),
                              param);
    case KG_PARAM_QUERY:
    case KG_PARAM_NONE:
    default:
      if (database)
        /* Translators: %s is the name of a URL query parameter */
        return g_strdup_printf (_("Keygate sent the database in the query parameter “%s”, but the "
                                  "module did not find it there. Set the token spec’s db-location "
                                  "and db-param to what the module expects."),
                                param);
      /* Translators: %s is the name of a URL query parameter */
      return g_strdup_printf (_("Keygate sent the API key in the query parameter “%s”, but the "
                                "module did not find it there. Set the token spec’s key-location "
                                "and key-param to what the module expects."),
                              param);
    }
}

/* Classification shared by both steps for what is not specific to either. */
static GError *
classify_generic (KgExchange  *exchange,
                  const char  *step,
                  const char  *method,
                  const char  *server_message)
{
  guint status = kg_exchange_get_status (exchange);
  JsonNode *json = kg_exchange_get_response_json (exchange);
  const char *content_type = kg_exchange_get_response_content_type (exchange);

  /* Rate limits keep their meaning whatever the body is. */
  if (status == 429)
    {
      GError *error = kg_odoo_rate_limited_error (exchange, server_message);

      kg_error_set_step (error, step);
      return error;
    }

  if (json == NULL && !content_type_is_json (content_type))
    {
      const char *body = kg_exchange_get_response_body (exchange);
      g_autofree char *summary = page_summary (body);

      /* Odoo 19 answers an unknown X-Odoo-Database with an HTML 404. */
      if (status == 404 && body != NULL && strstr (body, "No database is selected") != NULL)
        return make_error (KG_ERROR_UNKNOWN_DATABASE, step, exchange,
                           "No database is selected",
                           _("Odoo did not find the database named in the X-Odoo-Database header. Check the database name."),
                           _("The database was not found (HTTP 404)"));

      if (status == 405)
        {
          const char *allow = kg_exchange_find_response_header (exchange, "Allow");
          g_autofree char *remedy = NULL;

          if (allow != NULL)
            remedy = g_strdup_printf (_("Use a method the route allows (%s)."), allow);
          return make_error (KG_ERROR_HTTP_STATUS, step, exchange, summary, remedy,
                             _("The route does not accept %s (HTTP 405)"), method);
        }

      if (status >= 400 && status < 500)
        return make_error (KG_ERROR_HTTP_STATUS, step, exchange, summary, NULL,
                           _("The server answered HTTP %u: “%s”"), status, summary);

      return make_error (KG_ERROR_NOT_JSON, step, exchange, summary, NULL,
                         _("The server answered HTTP %u with a page that is not JSON: “%s”"),
                         status, summary);
    }

  if (status == 405)
    return make_error (KG_ERROR_HTTP_STATUS, step, exchange, server_message, NULL,
                       _("The route does not accept %s (HTTP 405)"), method);

  if (status >= 500)
    return make_error (KG_ERROR_SERVER, step, exchange, server_message, NULL,
                       _("The server reported an error (HTTP %u): %s"), status,
                       server_message ? server_message : _("no message"));

  if (json == NULL)
    return make_error (KG_ERROR_NOT_JSON, step, exchange, NULL, NULL,
                       _("The server answered HTTP %u with a body that is not valid JSON"), status);

  return make_error (KG_ERROR_HTTP_STATUS, step, exchange, server_message, NULL,
                     _("The server answered HTTP %u: %s"), status,
                     server_message ? server_message : _("no message"));
}

/* The server's words: "message", else "error". */
static const char *
get_server_message (KgExchange *exchange)
{
  JsonObject *object = get_object (kg_exchange_get_response_json (exchange));
  const char *message = object_get_string (object, "message");

  if (str_empty (message))
    message = object_get_string (object, "error");
  return message;
}

static GError *
classify_exchange_response (KgTokenClient *self,
                            KgExchange    *exchange)
{
  KgTokenSpec *spec = get_spec (self);
  guint status = kg_exchange_get_status (exchange);
  JsonObject *object = get_object (kg_exchange_get_response_json (exchange));
  const char *error_name = object_get_string (object, "error");
  const char *server_message = get_server_message (exchange);
  const char *method = kg_token_spec_get_method (spec);

  if (status >= 200 && status < 300)
    {
      if (kg_exchange_get_response_json (exchange) == NULL)
        return classify_generic (exchange, STEP_EXCHANGE, method, server_message);
      return NULL;
    }

  if (object == NULL)
    return classify_generic (exchange, STEP_EXCHANGE, method, server_message);

  if (status == 400)
    {
      g_autofree char *remedy = NULL;

      if (g_strcmp0 (error_name, "Missing database") == 0)
        {
          remedy = placement_remedy (PLACED_DATABASE,
                                     kg_token_spec_get_db_location (spec),
                                     kg_token_spec_get_db_param (spec));
          return make_error (KG_ERROR_VALIDATION, STEP_EXCHANGE, exchange, server_message, remedy,
                             _("The token exchange did not receive the database name (HTTP 400)"));
        }
      if (g_strcmp0 (error_name, "Missing API key") == 0)
        {
          remedy = placement_remedy (PLACED_API_KEY,
                                     kg_token_spec_get_key_location (spec),
                                     kg_token_spec_get_key_param (spec));
          return make_error (KG_ERROR_VALIDATION, STEP_EXCHANGE, exchange, server_message, remedy,
                             _("The token exchange did not receive the API key (HTTP 400)"));
        }
      if (g_strcmp0 (error_name, "Invalid JSON body") == 0)
        return make_error (KG_ERROR_VALIDATION, STEP_EXCHANGE, exchange, server_message,
                           _("The module wants a JSON object body or headers. Send the database and the key as headers, or set db-location and key-location to “body”."),
                           _("The token exchange could not read the request body as JSON (HTTP 400)"));

      return make_error (KG_ERROR_VALIDATION, STEP_EXCHANGE, exchange, server_message, NULL,
                         _("The token exchange rejected the request (HTTP 400): %s"),
                         server_message ? server_message : _("no message"));
    }

  if (status == 401)
    return make_error (KG_ERROR_ACCESS_DENIED, STEP_EXCHANGE, exchange, server_message,
                       _("The API key is unknown, revoked or expired, belongs to an inactive user, or is a password (the exchange never accepts passwords). Create a new API key in Odoo under Preferences › Account Security and store it."),
                       _("The token exchange refused the API key (HTTP 401)"));

  if (status == 403)
    return make_error (KG_ERROR_ACCESS_ERROR, STEP_EXCHANGE, exchange, server_message, NULL,
                       _("The token exchange refused the request (HTTP 403): %s"),
                       server_message ? server_message : _("no message"));

  if (status == 404)
    {
      if (error_name != NULL && strstr (error_name, "atabase") != NULL)
        return make_error (KG_ERROR_UNKNOWN_DATABASE, STEP_EXCHANGE, exchange, server_message,
                           _("Check the database name, and that the token module is installed in that database."),
                           _("The database “%s” was not found, or the token module is not installed in it (HTTP 404)"),
                           kg_profile_get_database (self->profile));

      return make_error (KG_ERROR_HTTP_STATUS, STEP_EXCHANGE, exchange, server_message,
                         _("Check the token spec’s path and that the token module is installed."),
                         _("The token exchange route %s was not found (HTTP 404)"),
                         kg_token_spec_get_path (spec));
    }

  if (status == 422)
    return make_error (KG_ERROR_VALIDATION, STEP_EXCHANGE, exchange, server_message, NULL,
                       _("The token exchange rejected the request (HTTP 422): %s"),
                       server_message ? server_message : _("no message"));

  return classify_generic (exchange, STEP_EXCHANGE, method, server_message);
}

/* How the credentials went out on a call, for remedies. */
static char *
describe_sending (KgTokenSpec *spec)
{
  if (kg_token_spec_get_send_as (spec) == KG_TOKEN_SEND_BEARER)
    return g_strdup ("Authorization: Bearer");
  return g_strdup_printf ("%s:", kg_token_spec_get_send_header (spec));
}

static GError *
classify_call_response (KgTokenClient *self,
                        KgExchange    *exchange,
                        gboolean       retried)
{
  KgTokenSpec *spec = get_spec (self);
  const char *method = kg_exchange_get_method (exchange);
  gboolean key_mode = !kg_token_spec_get_exchange (spec);
  guint status = kg_exchange_get_status (exchange);
  JsonNode *json = kg_exchange_get_response_json (exchange);
  JsonObject *object = get_object (json);
  const char *error_name = object_get_string (object, "error");
  const char *odoo_name = object_get_string (object, "name");   /* JSON-2 */
  const char *server_message = get_server_message (exchange);

  if (status >= 200 && status < 300)
    {
      const char *body = kg_exchange_get_response_body (exchange);

      if (json == NULL && !str_empty (body))
        return classify_generic (exchange, STEP_CALL, method, server_message);
      return NULL;
    }

  if (json == NULL)
    return classify_generic (exchange, STEP_CALL, method, server_message);

  if (status == 401)
    {
      g_autofree char *sending = describe_sending (spec);
      const char *www = kg_exchange_find_response_header (exchange, "WWW-Authenticate");

      if (key_mode)
        {
          g_autofree char *remedy = NULL;

          if (is_json2 (spec))
            remedy = g_strdup (_("Odoo’s JSON-2 API refuses a wrong, expired or removed key with the same answer. Check the key, or create a new one in Odoo under Preferences › Account Security."));
          else
            remedy = g_strdup_printf (_("Keygate sent the API key as “%s”. Check the key, and that the route reads it from that header."),
                                      sending);
          return make_error (KG_ERROR_ACCESS_DENIED, STEP_CALL, exchange, server_message, remedy,
                             _("The route refused the API key (HTTP 401)"));
        }

      if (g_strcmp0 (error_name, "Missing access token") == 0)
        {
          g_autofree char *remedy =
            g_strdup_printf (_("Keygate sent the token as “%s”, but the route did not find it. Set how the token is sent (send-as, send-header) to what the route expects, e.g. Authorization: Bearer or X-Access-Token."),
                             sending);
          return make_error (KG_ERROR_TOKEN_MISSING, STEP_CALL, exchange, server_message, remedy,
                             _("The route did not find the access token (HTTP 401)"));
        }

      if (retried)
        return make_error (KG_ERROR_TOKEN_INVALID, STEP_CALL, exchange, server_message,
                           _("The key was accepted for the exchange but the token was refused: the route’s token check and the exchange disagree. Check that the route and the exchange belong to the same module and database, and how the token is sent."),
                           _("The route refused a freshly exchanged access token (HTTP 401)"));

      if (g_strcmp0 (error_name, "Access token expired") == 0)
        return make_error (KG_ERROR_TOKEN_INVALID, STEP_CALL, exchange, server_message, NULL,
                           _("The access token has expired (HTTP 401)"));

      if (g_strcmp0 (error_name, "Invalid access token") == 0
          || (www != NULL && strstr (www, "invalid_token") != NULL))
        return make_error (KG_ERROR_TOKEN_INVALID, STEP_CALL, exchange, server_message, NULL,
                           _("The route refused the access token (HTTP 401)"));

      return make_error (KG_ERROR_TOKEN_INVALID, STEP_CALL, exchange, server_message, NULL,
                         _("The route refused the request (HTTP 401): %s"),
                         server_message ? server_message : _("no message"));
    }

  if (status == 403)
    {
      if (odoo_name != NULL && g_str_has_suffix (odoo_name, "AccessDenied"))
        return make_error (KG_ERROR_ACCESS_DENIED, STEP_CALL, exchange, server_message, NULL,
                           _("Odoo refused the credentials (HTTP 403): %s"),
                           server_message ? server_message : _("no message"));
      return make_error (KG_ERROR_ACCESS_ERROR, STEP_CALL, exchange, server_message, NULL,
                         "%s", server_message ? server_message
                                              : _("The user is not allowed to do this (HTTP 403)"));
    }

  if (status == 400 || status == 422)
    {
      if (g_strcmp0 (error_name, "Missing database") == 0)
        {
          g_autofree char *remedy = placement_remedy (PLACED_DATABASE,
                                                      kg_token_spec_get_db_location (spec),
                                                      kg_token_spec_get_db_param (spec));
          return make_error (KG_ERROR_VALIDATION, STEP_CALL, exchange, server_message, remedy,
                             _("The route did not receive the database name (HTTP 400)"));
        }
      return make_error (KG_ERROR_VALIDATION, STEP_CALL, exchange, server_message, NULL,
                         _("The server rejected the values (HTTP %u): %s"), status,
                         server_message ? server_message : _("no message"));
    }

  if (status == 404 && odoo_name != NULL && g_str_has_suffix (odoo_name, "MissingError"))
    return make_error (KG_ERROR_MISSING_RECORD, STEP_CALL, exchange, server_message, NULL,
                       "%s", server_message ? server_message
                                            : _("The record does not exist or was deleted."));

  if (status == 404)
    {
      if ((error_name != NULL && strstr (error_name, "atabase") != NULL)
          || (odoo_name != NULL && server_message != NULL
              && strstr (server_message, "atabase") != NULL))
        return make_error (KG_ERROR_UNKNOWN_DATABASE, STEP_CALL, exchange, server_message, NULL,
                           _("The database “%s” was not found, or the module is not installed in it (HTTP 404)"),
                           kg_profile_get_database (self->profile));

      return make_error (KG_ERROR_HTTP_STATUS, STEP_CALL, exchange, server_message,
                         _("Check the route’s path, model and method, and that the module serving it is installed."),
                         _("The route was not found (HTTP 404): %s"),
                         server_message ? server_message : _("no message"));
    }

  return classify_generic (exchange, STEP_CALL, method, server_message);
}

/* ------------------------------------------------------------------------ */
/* Building the exchange request                                             */

typedef struct
{
  char       *method;
  char       *url;
  GPtrArray  *headers;   /* name, value, name, value, … */
  JsonNode   *body;      /* nullable */
} RequestParts;

static void
request_parts_free (RequestParts *parts)
{
  g_free (parts->method);
  g_free (parts->url);
  /* Header values may hold the key: wipe them. */
  g_ptr_array_unref (parts->headers);
  g_clear_pointer (&parts->body, json_node_unref);
  g_free (parts);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RequestParts, request_parts_free)

static void
place_value (RequestParts     *parts,
             GString          *url,
             JsonObject       *body,
             KgParamLocation   location,
             const char       *param,
             const char       *value,
             gboolean          escape)
{
  if (str_empty (param) || value == NULL)
    return;

  switch (location)
    {
    case KG_PARAM_HEADER:
      g_ptr_array_add (parts->headers, g_strdup (param));
      g_ptr_array_add (parts->headers, g_strdup (value));
      break;
    case KG_PARAM_BODY:
      json_object_set_string_member (body, param, value);
      break;
    case KG_PARAM_QUERY:
      append_query (url, param, value, escape);
      break;
    case KG_PARAM_NONE:
    default:
      break;
    }
}

static RequestParts *
build_exchange_parts (KgTokenClient *self,
                      const char    *api_key,
                      gboolean       preview)
{
  KgTokenSpec *spec = get_spec (self);
  RequestParts *parts = g_new0 (RequestParts, 1);
  g_autofree char *base = kg_profile_build_url (self->profile, kg_token_spec_get_path (spec));
  g_autoptr(GString) url = g_string_new (base);
  g_autoptr(JsonObject) body = json_object_new ();
  const char *method = kg_token_spec_get_method (spec);

  parts->method = g_strdup (str_empty (method) ? "POST" : method);
  parts->headers = g_ptr_array_new_with_free_func ((GDestroyNotify) kg_secret_free);

  place_value (parts, url, body, kg_token_spec_get_db_location (spec),
               kg_token_spec_get_db_param (spec), kg_profile_get_database (self->profile), TRUE);
  place_value (parts, url, body, kg_token_spec_get_key_location (spec),
               kg_token_spec_get_key_param (spec), api_key, !preview);

  if (json_object_get_size (body) > 0)
    {
      parts->body = json_node_new (JSON_NODE_OBJECT);
      json_node_set_object (parts->body, body);
    }
  parts->url = g_string_free (g_steal_pointer (&url), FALSE);

  return parts;
}

static KgHttpRequest *
build_exchange_request (KgTokenClient *self,
                        const char    *api_key)
{
  g_autoptr(RequestParts) parts = build_exchange_parts (self, api_key, FALSE);
  KgHttpRequest *request = kg_http_request_new (parts->method, parts->url);

  kg_http_request_add_secret (request, KG_SECRET_API_KEY, api_key);
  for (guint i = 0; i + 1 < parts->headers->len; i += 2)
    kg_http_request_set_header (request, g_ptr_array_index (parts->headers, i),
                                g_ptr_array_index (parts->headers, i + 1));
  if (parts->body != NULL)
    kg_http_request_set_json_body (request, parts->body);
  apply_profile_settings (self, request, _("token exchange"), STEP_EXCHANGE);

  return request;
}

KgExchange *
kg_token_client_preview_exchange (KgTokenClient *self)
{
  g_autoptr(RequestParts) parts = NULL;
  KgExchange *exchange;
  const char *placeholder = kg_secret_kind_placeholder (KG_SECRET_API_KEY);

  g_return_val_if_fail (KG_IS_TOKEN_CLIENT (self), NULL);

  parts = build_exchange_parts (self, placeholder, TRUE);
  exchange = kg_exchange_new (parts->method, parts->url);
  kg_exchange_set_label (exchange, _("token exchange"));
  kg_exchange_set_step (exchange, STEP_EXCHANGE);
  kg_exchange_set_profile_id (exchange, kg_profile_get_id (self->profile));

  for (guint i = 0; i + 1 < parts->headers->len; i += 2)
    kg_exchange_add_request_header (exchange, g_ptr_array_index (parts->headers, i),
                                    g_ptr_array_index (parts->headers, i + 1));
  if (parts->body != NULL)
    {
      g_autofree char *text = json_to_string (parts->body, FALSE);

      kg_exchange_add_request_header (exchange, "Content-Type", "application/json");
      kg_exchange_set_request_body (exchange, "application/json", text);
    }

  return exchange;
}

/* ------------------------------------------------------------------------ */
/* The exchange                                                              */

static void
finish_exchange_waiters (KgTokenClient *self,
                         const GError  *error)
{
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->exchange_waiters);

  self->exchange_waiters = g_ptr_array_new ();

  for (guint i = 0; i < waiters->len; i++)
    {
      g_autoptr(GTask) task = g_ptr_array_index (waiters, i);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
}

/* Replaces the exchange's response body and parsed JSON by copies with the
 * token redacted: the token must not outlive the client in an exchange. */
static void
redact_token_from_exchange (KgExchange *exchange,
                            const char *api_key,
                            const char *token)
{
  g_autoptr(KgSecrets) secrets = kg_secrets_new ();
  g_autofree char *body = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *content_type = NULL;
  g_autoptr(JsonNode) json = NULL;

  if (api_key != NULL)
    kg_secrets_add (secrets, KG_SECRET_API_KEY, api_key);
  kg_secrets_add (secrets, KG_SECRET_TOKEN, token);

  body = kg_secrets_redact (secrets, kg_exchange_get_response_body (exchange));
  if (kg_exchange_get_response_json (exchange) != NULL)
    json = kg_redact_json (secrets, kg_exchange_get_response_json (exchange));

  /* Copies: set_response replaces the strings it is given. */
  reason = g_strdup (kg_exchange_get_reason (exchange));
  content_type = g_strdup (kg_exchange_get_response_content_type (exchange));
  kg_exchange_set_response (exchange,
                            kg_exchange_get_status (exchange),
                            reason,
                            content_type,
                            body,
                            kg_exchange_get_response_size (exchange),
                            json);
}

static GError *
accept_exchange_response (KgTokenClient *self,
                          KgExchange    *exchange,
                          const char    *api_key)
{
  KgTokenSpec *spec = get_spec (self);
  JsonNode *root = kg_exchange_get_response_json (exchange);
  const char *token_path = kg_token_spec_get_token_path (spec);
  const char *expires_in_path = kg_token_spec_get_expires_in_path (spec);
  const char *expires_at_path = kg_token_spec_get_expires_at_path (spec);
  JsonNode *node;
  const char *token = NULL;
  const char *token_type = NULL;
  g_autoptr(GDateTime) expires_at = NULL;
  double seconds;

  if (str_empty (token_path))
    token_path = DEFAULT_TOKEN_PATH;
  node = path_lookup (root, token_path);
  if (node == NULL && g_strcmp0 (token_path, DEFAULT_TOKEN_PATH) == 0)
    node = path_lookup (root, FALLBACK_TOKEN_PATH);
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_STRING)
    token = json_node_get_string (node);

  if (str_empty (token))
    {
      g_autofree char *remedy =
        g_strdup_printf (_("Set the token spec’s token JSON path (now “%s”) to where the module puts the token, e.g. “data.token”."),
                         token_path);
      return make_error (KG_ERROR_SERVER, STEP_EXCHANGE, exchange, NULL, remedy,
                         _("The token exchange answered without a token at “%s”"), token_path);
    }

  node = path_lookup (root, expires_in_path);
  /* 0 is a valid answer: the token is already expired. */
  if (node_get_number (node, &seconds) && seconds >= 0)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      expires_at = g_date_time_add (now, (GTimeSpan) (seconds * G_USEC_PER_SEC));
    }
  if (expires_at == NULL)
    {
      node = path_lookup (root, expires_at_path);
      if (node == NULL && g_strcmp0 (expires_at_path, DEFAULT_EXPIRES_AT_PATH) == 0)
        node = path_lookup (root, FALLBACK_EXPIRES_AT_PATH);
      expires_at = parse_expires_at (node);
    }
  if (expires_at == NULL && kg_token_spec_get_lifetime (spec) > 0)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      expires_at = g_date_time_add_seconds (now, kg_token_spec_get_lifetime (spec));
    }

  token_type = object_get_string (get_object (root), "token_type");

  set_token (self, token, str_empty (token_type) ? "Bearer" : token_type, expires_at);
  /* From here on the exchange only holds the token redacted. */
  redact_token_from_exchange (exchange, api_key, self->token);

  g_debug ("Exchanged the API key for a %s token", self->token_type);
  return NULL;
}

typedef struct
{
  char *api_key;
} ExchangeData;

static void
exchange_data_free (ExchangeData *data)
{
  g_clear_pointer (&data->api_key, kg_secret_free);
  g_free (data);
}

static void
exchange_sent_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KgTokenClient *self = g_task_get_source_object (task);
  ExchangeData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(KgExchange) exchange = NULL;

  exchange = kg_http_send_finish (KG_HTTP (source), result, &error);

  if (exchange == NULL)
    {
      KgExchange *failed = kg_error_get_exchange (error);

      if (error->domain == KG_ERROR)
        kg_error_set_step (error, STEP_EXCHANGE);
      if (failed != NULL)
        {
          kg_exchange_set_error (failed, error);
          kg_http_record (self->http, failed);
        }
    }
  else
    {
      error = classify_exchange_response (self, exchange);
      if (error == NULL)
        error = accept_exchange_response (self, exchange, data->api_key);
      if (error != NULL)
        kg_exchange_set_error (exchange, error);
      kg_http_record (self->http, exchange);
    }

  if (error != NULL)
    g_debug ("Token exchange failed: %s", error->message);

  self->exchange_in_flight = FALSE;
  finish_exchange_waiters (self, error);
  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/* Exchanges now; when an exchange is already in flight, waits for it. */
static void
exchange_internal (KgTokenClient       *self,
                   const char          *api_key,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(KgHttpRequest) request = NULL;
  ExchangeData *data;

  g_task_set_source_tag (task, exchange_internal);

  if (str_empty (api_key))
    {
      GError *error = make_error (KG_ERROR_KEY_NOT_FOUND, STEP_EXCHANGE, NULL, NULL, NULL,
                                  _("No API key to exchange for a token"));
      g_task_return_error (task, error);
      return;
    }

  if (!kg_token_spec_get_exchange (get_spec (self)))
    {
      GError *error = make_error (KG_ERROR_INVALID_INPUT, STEP_EXCHANGE, NULL, NULL,
                                  _("Choose a preset with a token exchange, or send requests directly: this preset sends the key itself."),
                                  _("This connection’s token spec has no token exchange"));
      g_task_return_error (task, error);
      return;
    }

  if (self->exchange_in_flight)
    {
      g_ptr_array_add (self->exchange_waiters, g_steal_pointer (&task));
      return;
    }

  data = g_new0 (ExchangeData, 1);
  data->api_key = g_strdup (api_key);
  g_task_set_task_data (task, data, (GDestroyNotify) exchange_data_free);

  request = build_exchange_request (self, api_key);
  self->exchange_in_flight = TRUE;
  kg_http_send_async (self->http, request, cancellable, exchange_sent_cb, g_steal_pointer (&task));
}

static gboolean
exchange_internal_finish (KgTokenClient  *self,
                          GAsyncResult   *result,
                          GError        **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
kg_token_client_exchange_async (KgTokenClient       *self,
                                const char          *api_key,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (KG_IS_TOKEN_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  exchange_internal (self, api_key, cancellable, callback, user_data);
}

gboolean
kg_token_client_exchange_finish (KgTokenClient  *self,
                                 GAsyncResult   *result,
                                 GError        **error)
{
  g_return_val_if_fail (KG_IS_TOKEN_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return exchange_internal_finish (self, result, error);
}

/* ------------------------------------------------------------------------ */
/* Calls                                                                     */

static gboolean
token_needs_exchange (KgTokenClient *self)
{
  g_autoptr(GDateTime) now = NULL;
  GTimeSpan margin = EXPIRY_MARGIN_US;

  if (self->token == NULL)
    return TRUE;
  if (self->expires_at == NULL)
    return FALSE;   /* unknown lifetime: used until the route refuses it */

  if (self->obtained_at != NULL)
    margin = MIN (margin,
                  MAX (0, g_date_time_difference (self->expires_at, self->obtained_at) / 2));
  now = g_date_time_new_now_utc ();
  return g_date_time_difference (self->expires_at, now) <= margin;
}

static void
attach_database (KgTokenClient *self,
                 KgHttpRequest *request)
{
  KgTokenSpec *spec = get_spec (self);
  const char *database = kg_profile_get_database (self->profile);
  const char *param = kg_token_spec_get_db_param (spec);

  if (kg_token_spec_get_db_location (spec) == KG_PARAM_HEADER
      && !str_empty (param) && !str_empty (database))
    kg_http_request_set_header (request, param, database);
}

/* The key itself (presets without an exchange) or the token. */
static void
attach_credentials (KgTokenClient *self,
                    KgHttpRequest *request,
                    const char    *api_key)
{
  KgTokenSpec *spec = get_spec (self);
  gboolean key_mode = !kg_token_spec_get_exchange (spec);
  const char *secret = key_mode ? api_key : self->token;
  /* Odoo's JSON-2 documents the scheme in lower case ("bearer <key>"). */
  const char *scheme = key_mode && is_json2 (spec) ? "bearer" : "Bearer";

  if (api_key != NULL)
    kg_http_request_add_secret (request, KG_SECRET_API_KEY, api_key);
  if (self->token != NULL)
    kg_http_request_add_secret (request, KG_SECRET_TOKEN, self->token);

  attach_database (self, request);

  if (str_empty (secret))
    return;

  if (kg_token_spec_get_send_as (spec) == KG_TOKEN_SEND_HEADER
      && !str_empty (kg_token_spec_get_send_header (spec)))
    {
      kg_http_request_set_header (request, kg_token_spec_get_send_header (spec), secret);
    }
  else
    {
      g_autofree char *value = g_strdup_printf ("%s %s", scheme, secret);

      kg_http_request_set_header (request, "Authorization", value);
      kg_secret_wipe (value);
    }
}

typedef struct
{
  KgHttpRequest *request;
  char          *api_key;
  gboolean       retried;
  gboolean       record;   /* record the final call exchange here */
} SendData;

static void
send_data_free (SendData *data)
{
  g_clear_pointer (&data->request, kg_http_request_unref);
  g_clear_pointer (&data->api_key, kg_secret_free);
  g_free (data);
}

static void call_sent_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data);

static void
send_call (GTask *task)
{
  KgTokenClient *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);

  attach_credentials (self, data->request, data->api_key);
  kg_http_request_set_step (data->request, STEP_CALL);
  kg_http_request_set_profile_id (data->request, kg_profile_get_id (self->profile));
  kg_http_send_async (self->http, data->request, g_task_get_cancellable (task),
                      call_sent_cb, task);
}

static void
send_exchanged_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!exchange_internal_finish (KG_TOKEN_CLIENT (source), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  send_call (g_steal_pointer (&task));
}

static void
return_call_error (GTask  *task,
                   GError *error)
{
  KgTokenClient *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);
  KgExchange *exchange = kg_error_get_exchange (error);

  if (data->record && exchange != NULL)
    {
      kg_exchange_set_error (exchange, error);
      kg_http_record (self->http, exchange);
    }
  g_task_return_error (task, error);
}

static void
call_sent_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KgTokenClient *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);
  g_autoptr(KgExchange) exchange = NULL;
  GError *error = NULL;

  exchange = kg_http_send_finish (KG_HTTP (source), result, &error);
  if (exchange == NULL)
    {
      if (error->domain == KG_ERROR)
        kg_error_set_step (error, STEP_CALL);
      return_call_error (task, error);
      return;
    }

  error = classify_call_response (self, exchange, data->retried);
  if (error == NULL)
    {
      if (data->record)
        kg_http_record (self->http, exchange);
      g_task_return_pointer (task, g_steal_pointer (&exchange), g_object_unref);
      return;
    }

  if (kg_exchange_get_status (exchange) == 401
      && kg_token_spec_get_exchange (get_spec (self))
      && !data->retried)
    {
      /* Once: this call is recorded as refused, a new token is bought and
       * the call sent again. A second refusal is final. */
      kg_exchange_set_error (exchange, error);
      kg_http_record (self->http, exchange);
      g_clear_error (&error);

      data->retried = TRUE;
      kg_token_client_forget (self);
      /* g_object_ref, not g_steal_pointer: argument evaluation order is
       * unspecified, and g_task_get_cancellable (task) reads task. */
      exchange_internal (self, data->api_key, g_task_get_cancellable (task),
                         send_exchanged_cb, g_object_ref (task));
      return;
    }

  return_call_error (task, error);
}

static void
send_internal (KgTokenClient       *self,
               const char          *api_key,
               KgHttpRequest       *request,
               gboolean             record,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  SendData *data = g_new0 (SendData, 1);

  g_task_set_source_tag (task, send_internal);
  data->request = kg_http_request_ref (request);
  data->api_key = g_strdup (api_key);
  data->record = record;
  g_task_set_task_data (task, data, (GDestroyNotify) send_data_free);

  if (kg_token_spec_get_exchange (get_spec (self)) && token_needs_exchange (self))
    {
      exchange_internal (self, api_key, cancellable, send_exchanged_cb, g_steal_pointer (&task));
      return;
    }

  send_call (g_steal_pointer (&task));
}

void
kg_token_client_send_async (KgTokenClient       *self,
                            const char          *api_key,
                            KgHttpRequest       *request,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (KG_IS_TOKEN_CLIENT (self));
  g_return_if_fail (request != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  send_internal (self, api_key, request, TRUE, cancellable, callback, user_data);
}

KgExchange *
kg_token_client_send_finish (KgTokenClient  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (KG_IS_TOKEN_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------ */
/* Create a project                                                          */

typedef struct
{
  gint64      id;
  char       *message;
  KgExchange *exchange;
} CreateResult;

static void
create_result_free (CreateResult *result)
{
  g_free (result->message);
  g_clear_object (&result->exchange);
  g_free (result);
}

static void
merge_members (JsonObject *into,
               JsonObject *from)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  if (from == NULL)
    return;
  json_object_iter_init (&iter, from);
  while (json_object_iter_next (&iter, &name, &value))
    json_object_set_member (into, name, json_node_copy (value));
}

/* The id at @node (or the first of a list of ids); 0 when there is none.
 * What was there instead goes to @out_found (JSON text), for the error. */
static gint64
node_get_id (JsonNode  *node,
             char     **out_found)
{
  gint64 id = 0;

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      if (json_array_get_length (array) == 0)
        return 0;
      node = json_array_get_element (array, 0);
    }
  if (!kg_json_get_record_id (node, &id) && node != NULL && out_found != NULL)
    *out_found = json_to_string (node, FALSE);
  return id;
}

static void
create_sent_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KgTokenClient *self = KG_TOKEN_CLIENT (source);
  KgTokenSpec *spec = get_spec (self);
  KgCreateSpec *create = kg_profile_get_create_spec (self->profile);
  g_autoptr(KgExchange) exchange = NULL;
  g_autoptr(GError) error = NULL;
  CreateResult *created;
  JsonNode *root;
  const char *id_path;
  g_autofree char *found = NULL;
  gint64 id;

  exchange = g_task_propagate_pointer (G_TASK (result), &error);
  if (exchange == NULL)
    {
      KgExchange *failed = kg_error_get_exchange (error);

      /* An exchange-step failure was recorded by the exchange itself. */
      if (failed != NULL && g_strcmp0 (kg_error_get_step (error), STEP_CALL) == 0)
        {
          kg_exchange_set_error (failed, error);
          kg_http_record (self->http, failed);
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  root = kg_exchange_get_response_json (exchange);
  id_path = is_json2 (spec) || create == NULL ? NULL : kg_create_spec_get_id_path (create);
  id = node_get_id (is_json2 (spec) ? root : path_lookup (root, id_path), &found);

  if (id <= 0 && found != NULL)
    {
      /* Something is where the id should be, but it is not an id: say what. */
      error = make_error (KG_ERROR_SERVER, STEP_CALL, exchange, NULL,
                          _("Odoo record ids are positive whole numbers; check that the route "
                            "returns the id Odoo gave the new project."),
                          /* Translators: %s is the JSON value the server sent */
                          _("The route answered %s where the new project’s id should be, and "
                            "that is not a record id."), found);
      kg_exchange_set_error (exchange, error);
      kg_http_record (self->http, exchange);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (id <= 0)
    {
      const char *server_message = get_server_message (exchange);
      g_autofree char *remedy = NULL;

      if (!is_json2 (spec))
        remedy = g_strdup_printf (_("Set the create spec’s id JSON path (now “%s”) to where the route puts the new id."),
                                  id_path ? id_path : "");
      error = make_error (KG_ERROR_SERVER, STEP_CALL, exchange, server_message, remedy,
                          _("The route answered without the new project’s id%s%s"),
                          server_message ? ": " : "", server_message ? server_message : "");
      kg_exchange_set_error (exchange, error);
      kg_http_record (self->http, exchange);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  created = g_new0 (CreateResult, 1);
  created->id = id;
  if (!is_json2 (spec) && create != NULL)
    {
      JsonNode *message = path_lookup (root, kg_create_spec_get_message_path (create));

      if (message != NULL && JSON_NODE_HOLDS_VALUE (message)
          && json_node_get_value_type (message) == G_TYPE_STRING)
        created->message = g_strdup (json_node_get_string (message));
    }
  kg_exchange_set_record_id (exchange, id);
  kg_http_record (self->http, exchange);
  created->exchange = g_steal_pointer (&exchange);

  g_task_return_pointer (task, created, (GDestroyNotify) create_result_free);
}

void
kg_token_client_create_project_async (KgTokenClient       *self,
                                      const char          *api_key,
                                      const char          *name,
                                      const char          *description,
                                      JsonObject          *extra_fields,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(KgHttpRequest) request = NULL;
  g_autoptr(KgCreateSpec) fallback = NULL;
  g_autoptr(JsonObject) values = json_object_new ();
  g_autoptr(JsonNode) body = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *url = NULL;
  KgTokenSpec *spec;
  KgCreateSpec *create;

  g_return_if_fail (KG_IS_TOKEN_CLIENT (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kg_token_client_create_project_async);

  spec = get_spec (self);
  create = kg_profile_get_create_spec (self->profile);
  if (create == NULL)
    create = fallback = kg_create_spec_new ();

  if (is_json2 (spec))
    {
      g_autoptr(JsonArray) vals_list = json_array_new ();
      g_autoptr(JsonObject) wrapper = json_object_new ();

      json_object_set_string_member (values, "name", name);
      if (description != NULL)
        json_object_set_string_member (values, "description", description);
      merge_members (values, kg_create_spec_get_extra_fields (create));
      merge_members (values, extra_fields);
      json_array_add_object_element (vals_list, json_object_ref (values));
      json_object_set_array_member (wrapper, "vals_list", g_steal_pointer (&vals_list));
      json_node_set_object (body, wrapper);

      url = kg_profile_build_url (self->profile, JSON2_CREATE_PATH);
      request = kg_http_request_new ("POST", url);
    }
  else
    {
      const char *method = kg_create_spec_get_method (create);
      KgParamLocation db_location = kg_token_spec_get_db_location (spec);
      const char *db_param = kg_token_spec_get_db_param (spec);
      const char *database = kg_profile_get_database (self->profile);
      g_autoptr(GString) full_url = NULL;
      g_autofree char *base = kg_profile_build_url (self->profile,
                                                    kg_create_spec_get_path (create));

      json_object_set_string_member (values, kg_create_spec_get_name_field (create), name);
      if (description != NULL && !str_empty (kg_create_spec_get_description_field (create)))
        json_object_set_string_member (values, kg_create_spec_get_description_field (create),
                                       description);
      /* The module reads the database from the body when the spec says so. */
      if (db_location == KG_PARAM_BODY && !str_empty (db_param) && !str_empty (database))
        json_object_set_string_member (values, db_param, database);
      merge_members (values, kg_create_spec_get_extra_fields (create));
      merge_members (values, extra_fields);
      json_node_set_object (body, values);

      full_url = g_string_new (base);
      if (db_location == KG_PARAM_QUERY && !str_empty (db_param) && !str_empty (database))
        append_query (full_url, db_param, database, TRUE);
      request = kg_http_request_new (str_empty (method) ? "POST" : method, full_url->str);
    }

  kg_http_request_set_json_body (request, body);
  apply_profile_settings (self, request, _("create project"), STEP_CALL);

  send_internal (self, api_key, request, FALSE, cancellable, create_sent_cb,
                 g_steal_pointer (&task));
}

gint64
kg_token_client_create_project_finish (KgTokenClient  *self,
                                       GAsyncResult   *result,
                                       char          **message,
                                       KgExchange    **exchange,
                                       GError        **error)
{
  CreateResult *created;
  gint64 id;

  g_return_val_if_fail (KG_IS_TOKEN_CLIENT (self), 0);
  g_return_val_if_fail (g_task_is_valid (result, self), 0);

  if (message != NULL)
    *message = NULL;
  if (exchange != NULL)
    *exchange = NULL;

  created = g_task_propagate_pointer (G_TASK (result), error);
  if (created == NULL)
    return 0;

  id = created->id;
  if (message != NULL)
    *message = g_steal_pointer (&created->message);
  if (exchange != NULL)
    *exchange = g_steal_pointer (&created->exchange);
  create_result_free (created);

  return id;
}
