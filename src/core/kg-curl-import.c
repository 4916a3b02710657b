/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "keygate-exchange"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "kg-curl-import.h"
#include "kg-error.h"
#include "kg-json.h"
#include "kg-model-call.h"
#include "kg-route.h"
#include "kg-text.h"

/* curl command lines and recorded exchanges → collection requests. Both
 * fill a Draft (method, URL, headers, body as curl would send them), which
 * one function turns into the request JSON. Secrets are only ever
 * recognised as references ("$ODOO_API_KEY", "<API_KEY>") and turned into
 * "auth"; a literal one is dropped with a warning and never copied. */

typedef struct
{
  char *method;          /* NULL: GET, or POST with a body */
  char *url;
  GPtrArray *headers;    /* name, value, name, value… */
  GString *data;         /* -d pieces joined with '&' (NULL: none) */
  GString *json;         /* --json pieces (NULL: none) */
  char *content_type;    /* of a recorded body */
  char *label;           /* a recorded exchange's label */
  gboolean get;          /* -G: the data goes to the query */
  GPtrArray *warnings;
} Draft;

static void
draft_clear (Draft *d)
{
  g_clear_pointer (&d->method, g_free);
  g_clear_pointer (&d->url, g_free);
  g_clear_pointer (&d->headers, g_ptr_array_unref);
  if (d->data != NULL)
    g_string_free (g_steal_pointer (&d->data), TRUE);
  if (d->json != NULL)
    g_string_free (g_steal_pointer (&d->json), TRUE);
  g_clear_pointer (&d->content_type, g_free);
  g_clear_pointer (&d->label, g_free);
  g_clear_pointer (&d->warnings, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Draft, draft_clear)

static void
draft_init (Draft *d)
{
  memset (d, 0, sizeof *d);
  d->headers = g_ptr_array_new_with_free_func (g_free);
  d->warnings = g_ptr_array_new_with_free_func (g_free);
}

static void
warn (Draft      *d,
      const char *sentence)
{
  g_ptr_array_add (d->warnings, g_strdup (sentence));
}

/* Text from the command shown in a sentence: controls escaped, cut. */
static char *
shown (const char *text)
{
  g_autofree char *cut = NULL;

  if (g_utf8_strlen (text, -1) > 40)
    {
      g_autofree char *head = g_utf8_substring (text, 0, 40);

      cut = g_strconcat (head, "…", NULL);
    }
  else
    {
      cut = g_strdup (text);
    }
  return kg_text_escape_controls (cut);
}

static gboolean
invalid (GError    **error,
         const char *message)
{
  g_set_error_literal (error, KG_ERROR, KG_ERROR_INVALID_INPUT, message);
  return FALSE;
}

/* Which secret @text refers to: "$ODOO_API_KEY", "${ODOO_API_KEY}" or
 * "<API_KEY>" (and the same for the token, password and session). */
static gboolean
find_reference (const char   *text,
                KgSecretKind *out_kind)
{
  static const KgSecretKind kinds[] = {
    KG_SECRET_API_KEY, KG_SECRET_TOKEN, KG_SECRET_PASSWORD, KG_SECRET_SESSION
  };

  if (text == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      const char *variable = kg_secret_kind_env_variable (kinds[i]);
      g_autofree char *braced = g_strdup_printf ("${%s}", variable);
      g_autofree char *dollar = g_strdup_printf ("$%s", variable);
      const char *p;

      if (strstr (text, kg_secret_kind_placeholder (kinds[i])) != NULL
          || strstr (text, braced) != NULL)
        {
          *out_kind = kinds[i];
          return TRUE;
        }
      for (p = strstr (text, dollar); p != NULL; p = strstr (p + 1, dollar))
        {
          char next = p[strlen (dollar)];

          if (!g_ascii_isalnum (next) && next != '_')
            {
              *out_kind = kinds[i];
              return TRUE;
            }
        }
    }
  return FALSE;
}

static gboolean
str_equal0 (const char *a,
            const char *b)
{
  return g_strcmp0 (a, b) == 0;
}

/* ---- the command line ---------------------------------------------- */

typedef enum {
  OPT_REQUEST, OPT_HEADER, OPT_DATA, OPT_DATA_RAW, OPT_JSON, OPT_URL, OPT_GET,
  OPT_FORM, OPT_USER, OPT_INSECURE, OPT_OUTPUT, OPT_QUIET,
} OptionKind;

static const struct {
  char short_name;
  const char *long_name;
  OptionKind kind;
} options[] = {
  { 'X', "request", OPT_REQUEST },
  { 'H', "header", OPT_HEADER },
  { 'd', "data", OPT_DATA },
  { 0, "data-ascii", OPT_DATA },
  { 0, "data-binary", OPT_DATA },
  { 0, "data-raw", OPT_DATA_RAW },
  { 0, "json", OPT_JSON },
  { 0, "url", OPT_URL },
  { 'G', "get", OPT_GET },
  { 'F', "form", OPT_FORM },
  { 0, "form-string", OPT_FORM },
  { 'u', "user", OPT_USER },
  { 'k', "insecure", OPT_INSECURE },
  { 'o', "output", OPT_OUTPUT },
  { 0, "compressed", OPT_QUIET },
  { 's', "silent", OPT_QUIET },
  { 'S', "show-error", OPT_QUIET },
  { 'i', "include", OPT_QUIET },
  { 'L', "location", OPT_QUIET },
  { 'v', "verbose", OPT_QUIET },
  { 'f', "fail", OPT_QUIET },
};

static gboolean
option_takes_value (OptionKind kind)
{
  return kind <= OPT_URL || kind == OPT_FORM || kind == OPT_USER || kind == OPT_OUTPUT;
}

static void
append_piece (GString    **body,
              const char  *piece,
              const char  *separator)
{
  if (*body == NULL)
    *body = g_string_new (NULL);
  else
    g_string_append (*body, separator);
  g_string_append (*body, piece);
}

static gboolean
add_header_line (Draft       *d,
                 const char  *line,
                 GError     **error)
{
  const char *colon = strchr (line, ':');
  g_autofree char *name = NULL;
  g_autofree char *value = NULL;

  if (colon == NULL)
    {
      g_autofree char *text = shown (line);

      /* Translators: %s is a header line from a curl command. */
      g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                   _("The header “%s” has no colon; write it as “Name: value”."), text);
      return FALSE;
    }
  name = g_strstrip (g_strndup (line, colon - line));
  value = g_strstrip (g_strdup (colon + 1));
  if (*value == '\0')     /* curl: "Name:" removes a header it would add */
    return TRUE;
  g_ptr_array_add (d->headers, g_steal_pointer (&name));
  g_ptr_array_add (d->headers, g_steal_pointer (&value));
  return TRUE;
}

static gboolean
apply_option (Draft       *d,
              OptionKind   kind,
              const char  *value,
              GError     **error)
{
  switch (kind)
    {
    case OPT_REQUEST:
      g_free (d->method);
      d->method = g_strdup (value);
      return TRUE;
    case OPT_HEADER:
      return add_header_line (d, value, error);
    case OPT_DATA:
      if (value[0] == '@')
        return invalid (error, _("Reading the body from a file (“@file”) is not supported; "
                                 "paste the body into the command instead."));
      append_piece (&d->data, value, "&");
      return TRUE;
    case OPT_DATA_RAW:
      append_piece (&d->data, value, "&");
      return TRUE;
    case OPT_JSON:
      if (value[0] == '@')
        return invalid (error, _("Reading the body from a file (“@file”) is not supported; "
                                 "paste the body into the command instead."));
      append_piece (&d->json, value, "");
      return TRUE;
    case OPT_URL:
      if (d->url != NULL)
        return invalid (error, _("The command has more than one URL; import one request at "
                                 "a time."));
      d->url = g_strdup (value);
      return TRUE;
    case OPT_GET:
      d->get = TRUE;
      return TRUE;
    case OPT_FORM:
      return invalid (error, _("Multipart forms (-F) are not supported; send the fields with "
                               "-d or --json instead."));
    case OPT_USER:
      return invalid (error, _("Passwords are not imported; store an API key in the "
                               "connection instead."));
    case OPT_INSECURE:
      warn (d, _("The -k option was ignored: whether certificates are checked is a setting "
                 "of the connection."));
      return TRUE;
    case OPT_OUTPUT:
      warn (d, _("The -o option was ignored: the response is shown, not written to a file."));
      return TRUE;
    case OPT_QUIET:
    default:
      return TRUE;
    }
}

static gboolean
unknown_option (const char  *option,
                GError     **error)
{
  /* "--name=value": only the name, the value may be a secret. */
  g_autofree char *name = g_strndup (option, strcspn (option, "="));
  g_autofree char *text = shown (name);

  /* Translators: %s is a command-line option, e.g. “--proxy”. */
  g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
               _("The curl option “%s” is not supported."), text);
  return FALSE;
}

static gboolean
missing_value (const char  *option,
               GError     **error)
{
  g_autofree char *text = shown (option);

  /* Translators: %s is a command-line option, e.g. “-H”. */
  g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
               _("The option “%s” needs a value."), text);
  return FALSE;
}

static gboolean
parse_argv (Draft       *d,
            char       **argv,
            GError     **error)
{
  guint i = 0;

  if (argv[0] != NULL && strcmp (argv[0], "curl") == 0)
    i++;

  for (; argv[i] != NULL; i++)
    {
      const char *arg = argv[i];

      if (g_str_has_prefix (arg, "--") && arg[2] != '\0')
        {
          guint o;

          for (o = 0; o < G_N_ELEMENTS (options); o++)
            {
              if (strcmp (arg + 2, options[o].long_name) == 0)
                break;
            }
          if (o == G_N_ELEMENTS (options))
            return unknown_option (arg, error);
          if (option_takes_value (options[o].kind))
            {
              if (argv[i + 1] == NULL)
                return missing_value (arg, error);
              i++;
            }
          if (!apply_option (d, options[o].kind, argv[i], error))
            return FALSE;
        }
      else if (arg[0] == '-' && arg[1] != '\0')
        {
          /* A cluster of short options ("-sSL"); one that takes a value
           * takes the rest of the word ("-XPOST") or the next word. */
          for (const char *p = arg + 1; *p != '\0'; p++)
            {
              char name[3] = { '-', *p, '\0' };
              guint o;

              for (o = 0; o < G_N_ELEMENTS (options); o++)
                {
                  if (options[o].short_name == *p)
                    break;
                }
              if (o == G_N_ELEMENTS (options))
                return unknown_option (g_ascii_isprint (*p) ? name : arg, error);
              if (option_takes_value (options[o].kind))
                {
                  const char *value = p + 1;

                  if (*value == '\0')
                    {
                      if (argv[i + 1] == NULL)
                        return missing_value (name, error);
                      value = argv[++i];
                    }
                  if (!apply_option (d, options[o].kind, value, error))
                    return FALSE;
                  break;
                }
              if (!apply_option (d, options[o].kind, NULL, error))
                return FALSE;
            }
        }
      else if (!apply_option (d, OPT_URL, arg, error))
        {
          return FALSE;
        }
    }
  return TRUE;
}

/* ---- the request ----------------------------------------------------- */

typedef struct
{
  char *path;            /* relative to the connection, or absolute */
  char *odoo_path;       /* the path on the server, for Odoo routes */
  gboolean foreign;
  JsonObject *query;
  KgRouteAuth auth;
} Target;

static void
target_clear (Target *t)
{
  g_clear_pointer (&t->path, g_free);
  g_clear_pointer (&t->odoo_path, g_free);
  g_clear_pointer (&t->query, json_object_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Target, target_clear)

static char *
form_unescape (const char *text,
               gssize      len)
{
  g_autofree char *plus = g_strndup (text, len < 0 ? strlen (text) : (gsize) len);
  char *out;

  g_strdelimit (plus, "+", ' ');
  out = g_uri_unescape_string (plus, NULL);
  if (out == NULL || !g_utf8_validate (out, -1, NULL))
    {
      g_free (out);
      return NULL;
    }
  return out;
}

/* "a=1&b=2" → name, value pairs; FALSE when a piece has no '=' or does
 * not decode to UTF-8 text. */
static gboolean
split_form (const char *text,
            GPtrArray  *pairs)
{
  g_auto(GStrv) pieces = g_strsplit (text, "&", -1);

  for (guint i = 0; pieces[i] != NULL; i++)
    {
      const char *eq = strchr (pieces[i], '=');
      char *name;
      char *value;

      if (pieces[i][0] == '\0')
        continue;
      if (eq == NULL)
        return FALSE;
      name = form_unescape (pieces[i], eq - pieces[i]);
      value = form_unescape (eq + 1, -1);
      if (name == NULL || value == NULL || *name == '\0')
        {
          g_free (name);
          g_free (value);
          return FALSE;
        }
      g_ptr_array_add (pairs, name);
      g_ptr_array_add (pairs, value);
    }
  return TRUE;
}

/* A secret-looking field (password=, api_key=…): a reference becomes
 * @auth, a literal value is dropped. TRUE when the field is kept. */
static gboolean
keep_field (Draft       *d,
            const char  *name,
            const char  *value,
            KgRouteAuth *auth,
            gboolean     in_query)
{
  KgSecretKind kind;

  if (!kg_redact_is_secret_field (name))
    return TRUE;
  if (find_reference (value, &kind) && kind == KG_SECRET_API_KEY)
    *auth = KG_ROUTE_AUTH_API_KEY;
  else if (find_reference (value, &kind) && kind == KG_SECRET_TOKEN)
    *auth = KG_ROUTE_AUTH_TOKEN;
  else
    {
      g_autofree char *text = shown (name);
      g_autofree char *message = NULL;

      if (in_query)
        /* Translators: %s is the name of a URL query parameter. */
        message = g_strdup_printf (_("The “%s” query parameter held a secret; it was not "
                                     "imported."), text);
      else
        /* Translators: %s is the name of a form field. */
        message = g_strdup_printf (_("The form field “%s” held a secret; it was not "
                                     "imported."), text);

      warn (d, message);
    }
  return FALSE;
}

static void
add_query (Draft       *d,
           Target      *t,
           const char  *query)
{
  g_autoptr(GPtrArray) pairs = g_ptr_array_new_with_free_func (g_free);

  if (!split_form (query, pairs))
    {
      /* Not name=value pairs: kept as one name with an empty value. */
      g_autofree char *text = form_unescape (query, -1);

      g_ptr_array_set_size (pairs, 0);
      if (text == NULL)
        return;
      g_ptr_array_add (pairs, g_steal_pointer (&text));
      g_ptr_array_add (pairs, g_strdup (""));
    }
  for (guint i = 0; i + 1 < pairs->len; i += 2)
    {
      const char *name = g_ptr_array_index (pairs, i);
      const char *value = g_ptr_array_index (pairs, i + 1);

      if (!keep_field (d, name, value, &t->auth, TRUE))
        continue;
      if (t->query == NULL)
        t->query = json_object_new ();
      json_object_set_string_member (t->query, name, value);
    }
}

static gboolean
resolve_url (Draft       *d,
             const char  *base_url,
             Target      *t,
             GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GUri) base = NULL;
  g_autofree char *url = NULL;
  g_autofree char *origin = NULL;
  g_autofree char *base_origin = NULL;
  const char *path;

  if (d->url == NULL || *d->url == '\0')
    return invalid (error, _("The command has no URL."));
  if (strstr (d->url, "://") == NULL)
    url = g_strconcat ("http://", d->url, NULL);   /* curl's default */
  else
    url = g_strdup (d->url);

  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  origin = kg_route_dup_origin_of (url);
  if (uri == NULL || origin == NULL)
    {
      g_autofree char *text = shown (d->url);

      /* Translators: %s is the URL of a curl command. */
      g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                   _("“%s” is not an http or https URL."), text);
      return FALSE;
    }
  if (g_uri_get_userinfo (uri) != NULL)
    warn (d, _("The user name and password in the URL were not imported."));

  path = g_uri_get_path (uri);
  if (*path == '\0')
    path = "/";
  if (base_url != NULL)
    {
      base = g_uri_parse (base_url, G_URI_FLAGS_ENCODED, NULL);
      base_origin = kg_route_dup_origin_of (base_url);
    }

  if (base != NULL && str_equal0 (origin, base_origin))
    {
      g_autofree char *prefix = g_strdup (g_uri_get_path (base));
      gsize len;

      while (*prefix != '\0' && prefix[strlen (prefix) - 1] == '/')
        prefix[strlen (prefix) - 1] = '\0';
      len = strlen (prefix);
      if (strncmp (path, prefix, len) == 0 && (path[len] == '/' || path[len] == '\0'))
        {
          t->path = g_strdup (path[len] == '\0' ? "/" : path + len);
          t->odoo_path = g_strdup (t->path);
        }
    }

  if (t->path == NULL)
    {
      t->path = g_strconcat (origin, path, NULL);
      t->odoo_path = g_strdup (path);
      if (base_url != NULL)
        {
          g_autofree char *message = NULL;

          t->foreign = TRUE;
          /* Translators: %s is an origin, e.g. “https://example.com”. */
          message = g_strdup_printf (_("This request goes to %s, not to the connection: it is "
                                       "sent only when that origin is allowed, and no "
                                       "credentials are sent there."), origin);
          warn (d, message);
        }
    }

  if (g_uri_get_query (uri) != NULL)
    add_query (d, t, g_uri_get_query (uri));
  return TRUE;
}

static gboolean
content_type_is (const char *content_type,
                 const char *what)
{
  g_autofree char *lower = NULL;

  if (content_type == NULL)
    return FALSE;
  lower = g_ascii_strdown (content_type, -1);
  return strstr (lower, what) != NULL;
}

/* Headers: references to the key or token become the auth, secrets are
 * dropped, the rest kept. Returns the Content-Type (owned, nullable). */
static char *
sort_headers (Draft      *d,
              Target     *t,
              JsonObject *headers)
{
  g_autofree char *content_type = NULL;
  g_autofree char *database = NULL;

  for (guint i = 0; i + 1 < d->headers->len; i += 2)
    {
      const char *name = g_ptr_array_index (d->headers, i);
      const char *value = g_ptr_array_index (d->headers, i + 1);
      KgSecretKind kind;

      if (find_reference (value, &kind) && kind == KG_SECRET_API_KEY)
        t->auth = KG_ROUTE_AUTH_API_KEY;
      else if (find_reference (value, &kind) && kind == KG_SECRET_TOKEN)
        t->auth = KG_ROUTE_AUTH_TOKEN;
      else if (find_reference (value, &kind) || kg_redact_is_secret_header (name)
               || strstr (value, "<REDACTED>") != NULL)
        {
          g_autofree char *text = shown (name);
          g_autofree char *message = NULL;

          /* Translators: %s is an HTTP header name, e.g. “Authorization”. */
          message = g_strdup_printf (_("The “%s” header held a secret; it was not imported. "
                                       "Choose the request’s authentication instead."), text);
          warn (d, message);
        }
      else if (g_ascii_strcasecmp (name, "Content-Type") == 0)
        {
          g_free (content_type);
          content_type = g_strdup (value);
        }
      else if (g_ascii_strcasecmp (name, "X-Odoo-Database") == 0)
        {
          g_free (database);
          database = g_strdup (value);
        }
      else if (g_ascii_strcasecmp (name, "Content-Length") != 0
               && g_ascii_strcasecmp (name, "Host") != 0
               && g_ascii_strcasecmp (name, "Connection") != 0
               && g_ascii_strcasecmp (name, "Accept-Encoding") != 0)
        json_object_set_string_member (headers, name, value);
    }

  /* The database header goes with the key: the connection sends its own. */
  if (database != NULL && t->auth == KG_ROUTE_AUTH_NONE)
    json_object_set_string_member (headers, "X-Odoo-Database", database);
  return g_steal_pointer (&content_type);
}

static JsonObject *
model_call_request (JsonObject *call)
{
  g_autoptr(KgModelCall) checked = kg_model_call_new_from_json (call, NULL);
  JsonObject *request;
  g_autofree char *name = NULL;

  if (checked == NULL)
    return NULL;
  name = g_strdup_printf ("%s.%s", kg_model_call_get_model (checked),
                          kg_model_call_get_method (checked));
  request = json_object_new ();
  json_object_set_string_member (request, "name", name);
  json_object_set_object_member (request, "call", json_object_ref (call));
  return request;
}

/* POST /jsonrpc {"params": {"service": "object", "method": "execute_kw",
 * "args": [db, uid, key, model, method, args?, kwargs?]}} or
 * POST /json/2/<model>/<method> {kwargs}: a model call. */
static JsonObject *
odoo_call (Draft      *d,
           Target     *t,
           const char *method,
           JsonNode   *body)
{
  g_autoptr(JsonObject) call = json_object_new ();

  if (t->foreign || strcmp (method, "POST") != 0 || !JSON_NODE_HOLDS_OBJECT (body))
    return NULL;

  if (strcmp (t->odoo_path, "/jsonrpc") == 0)
    {
      JsonNode *service = kg_json_path_lookup (body, "$.params.service", NULL);
      JsonNode *rpc_method = kg_json_path_lookup (body, "$.params.method", NULL);
      JsonNode *args_node = kg_json_path_lookup (body, "$.params.args", NULL);
      JsonArray *args;
      JsonNode *key;
      KgSecretKind kind;
      guint n;

      if (service == NULL || !str_equal0 (json_node_get_string (service), "object")
          || rpc_method == NULL || !str_equal0 (json_node_get_string (rpc_method), "execute_kw")
          || args_node == NULL || !JSON_NODE_HOLDS_ARRAY (args_node))
        return NULL;
      args = json_node_get_array (args_node);
      n = json_array_get_length (args);
      if (n < 5 || n > 7)
        return NULL;
      json_object_set_member (call, "model",
                              kg_json_node_deep_copy (json_array_get_element (args, 3)));
      json_object_set_member (call, "method",
                              kg_json_node_deep_copy (json_array_get_element (args, 4)));
      if (n > 5)
        json_object_set_member (call, "args",
                                kg_json_node_deep_copy (json_array_get_element (args, 5)));
      if (n > 6)
        json_object_set_member (call, "kwargs",
                                kg_json_node_deep_copy (json_array_get_element (args, 6)));
      key = json_array_get_element (args, 2);
      if (JSON_NODE_HOLDS_VALUE (key) && json_node_get_value_type (key) == G_TYPE_STRING
          && *json_node_get_string (key) != '\0' && !find_reference (json_node_get_string (key),
                                                                      &kind))
        {
          g_autoptr(JsonObject) request = model_call_request (call);

          if (request != NULL)
            warn (d, _("The API key written in the call was not imported; the connection’s "
                       "key is used instead."));
          return g_steal_pointer (&request);
        }
      return model_call_request (call);
    }

  if (g_str_has_prefix (t->odoo_path, "/json/2/"))
    {
      g_auto(GStrv) parts = g_strsplit (t->odoo_path + strlen ("/json/2/"), "/", -1);

      if (g_strv_length (parts) != 2)
        return NULL;
      json_object_set_string_member (call, "model", parts[0]);
      json_object_set_string_member (call, "method", parts[1]);
      json_object_set_array_member (call, "args", json_array_new ());
      json_object_set_member (call, "kwargs", kg_json_node_deep_copy (body));
      return model_call_request (call);
    }
  return NULL;
}

/* JSON-RPC's password argument (common.login/authenticate, execute_kw…:
 * params.args[2]) when it is written out: "<REDACTED>". TRUE if changed. */
static gboolean
redact_rpc_password (Target   *t,
                     JsonNode *body)
{
  JsonNode *args = kg_json_path_lookup (body, "$.params.args", NULL);
  JsonNode *password;
  KgSecretKind kind;

  if (strcmp (t->odoo_path, "/jsonrpc") != 0 || args == NULL || !JSON_NODE_HOLDS_ARRAY (args)
      || json_array_get_length (json_node_get_array (args)) < 3)
    return FALSE;
  password = json_array_get_element (json_node_get_array (args), 2);
  if (!JSON_NODE_HOLDS_VALUE (password) || json_node_get_value_type (password) != G_TYPE_STRING
      || *json_node_get_string (password) == '\0'
      || find_reference (json_node_get_string (password), &kind))
    return FALSE;
  json_node_set_string (password, "<REDACTED>");
  return TRUE;
}

static JsonObject *
build_request (Draft       *d,
               const char  *base_url,
               GError     **error)
{
  static const char * const methods[] = { "GET", "POST", "PUT", "PATCH", "DELETE", NULL };
  g_auto(Target) t = { 0 };
  g_autoptr(JsonObject) http = json_object_new ();
  g_autoptr(JsonObject) headers = json_object_new ();
  g_autoptr(JsonObject) request = NULL;
  g_autoptr(KgRoute) checked = NULL;
  g_autofree char *method = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *name = NULL;
  g_autoptr(JsonNode) parsed = NULL;
  const char *body = NULL;
  KgSecretKind kind;

  if (d->json != NULL)
    {
      body = d->json->str;
      content_type = g_strdup ("application/json");
    }
  else if (d->data != NULL && !d->get)
    {
      body = d->data->str;
    }

  if (d->get)
    method = g_strdup ("GET");
  else if (d->method != NULL)
    method = g_ascii_strup (d->method, -1);
  else
    method = g_strdup (body != NULL ? "POST" : "GET");
  if (!g_strv_contains (methods, method))
    {
      g_autofree char *text = shown (d->method);

      /* Translators: %s is an HTTP method from a curl command. */
      g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                   _("The method “%s” is not supported; use GET, POST, PUT, PATCH or DELETE."),
                   text);
      return NULL;
    }

  if (!resolve_url (d, base_url, &t, error))
    return NULL;
  if (d->get && d->data != NULL)
    add_query (d, &t, d->data->str);

  {
    g_autofree char *header_type = sort_headers (d, &t, headers);

    if (header_type != NULL)
      {
        g_free (content_type);
        content_type = g_steal_pointer (&header_type);
      }
  }
  if (content_type == NULL && body != NULL)
    content_type = g_strdup (d->content_type != NULL ? d->content_type
                                                     : "application/x-www-form-urlencoded");

  if (body != NULL && content_type_is (content_type, "json"))
    parsed = kg_json_parse (body, -1, NULL);
  if (parsed != NULL)
    {
      request = odoo_call (d, &t, method, parsed);
      if (request != NULL)
        return g_steal_pointer (&request);
    }
  if (body != NULL && find_reference (body, &kind))
    warn (d, _("The body refers to a secret; it is sent as written, without the secret."));

  if (parsed != NULL)
    {
      g_autoptr(KgSecrets) none = kg_secrets_new ();
      g_autoptr(JsonNode) redacted = NULL;
      gboolean changed = redact_rpc_password (&t, parsed);

      redacted = kg_redact_json (none, parsed);
      if (changed || !json_node_equal (redacted, parsed) || strstr (body, "<REDACTED>") != NULL)
        warn (d, _("A secret in the body was not imported; its value is now “<REDACTED>”."));
      json_object_set_member (http, "json", g_steal_pointer (&redacted));
      body = NULL;
    }
  else if (body != NULL && content_type_is (content_type, "json"))
    {
      warn (d, _("The body is marked as JSON but is not valid JSON; it is kept as text."));
    }
  else if (body != NULL && content_type_is (content_type, "application/x-www-form-urlencoded"))
    {
      g_autoptr(GPtrArray) pairs = g_ptr_array_new_with_free_func (g_free);

      if (split_form (body, pairs))
        {
          g_autoptr(JsonObject) form = json_object_new ();

          for (guint i = 0; i + 1 < pairs->len; i += 2)
            {
              const char *field = g_ptr_array_index (pairs, i);

              if (keep_field (d, field, g_ptr_array_index (pairs, i + 1), &t.auth, FALSE))
                json_object_set_string_member (form, field, g_ptr_array_index (pairs, i + 1));
            }
          json_object_set_object_member (http, "form", g_steal_pointer (&form));
          body = NULL;
        }
    }
  if (body != NULL)
    {
      json_object_set_string_member (http, "data", body);
      json_object_set_string_member (headers, "Content-Type", content_type);
    }

  if (t.foreign)
    t.auth = KG_ROUTE_AUTH_NONE;

  json_object_set_string_member (http, "method", method);
  json_object_set_string_member (http, "path", t.path);
  if (t.auth != KG_ROUTE_AUTH_NONE)
    json_object_set_string_member (http, "auth", kg_route_auth_to_string (t.auth));
  if (t.query != NULL)
    json_object_set_object_member (http, "query", json_object_ref (t.query));
  if (json_object_get_size (headers) > 0)
    json_object_set_object_member (http, "headers", json_object_ref (headers));

  checked = kg_route_new_from_json (http, error);
  if (checked == NULL)
    return NULL;

  name = g_strdup_printf ("%s %s", method, t.path);
  request = json_object_new ();
  json_object_set_string_member (request, "name", d->label != NULL ? d->label : name);
  json_object_set_object_member (request, "http", g_steal_pointer (&http));
  return g_steal_pointer (&request);
}

static JsonObject *
finish (Draft       *d,
        const char  *base_url,
        GPtrArray  **warnings,
        GError     **error)
{
  g_autoptr(JsonObject) request = build_request (d, base_url, error);

  if (request != NULL && warnings != NULL)
    *warnings = g_steal_pointer (&d->warnings);
  return g_steal_pointer (&request);
}

JsonObject *
kg_curl_import (const char  *command_line,
                const char  *base_url,
                GPtrArray  **warnings,
                GError     **error)
{
  g_auto(Draft) d = { 0 };
  g_auto(GStrv) argv = NULL;
  g_autoptr(GError) shell_error = NULL;
  g_autoptr(GString) text = NULL;

  g_return_val_if_fail (command_line != NULL, NULL);
  g_return_val_if_fail (warnings == NULL || *warnings == NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  draft_init (&d);
  if (!g_utf8_validate (command_line, -1, NULL))
    {
      invalid (error, _("The curl command is not UTF-8 text."));
      return NULL;
    }

  /* Lines continued with a backslash, from Unix or Windows files. */
  text = g_string_new (command_line);
  g_string_replace (text, "\\\r\n", " ", 0);
  g_string_replace (text, "\\\n", " ", 0);
  g_strstrip (text->str);
  if (text->str[0] == '\0')
    {
      invalid (error, _("The curl command is empty."));
      return NULL;
    }
  if (!g_shell_parse_argv (text->str, NULL, &argv, &shell_error))
    {
      /* Translators: %s says what is wrong, e.g. an unmatched quote. */
      g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                   _("The curl command could not be read: %s"), shell_error->message);
      return NULL;
    }
  if (!parse_argv (&d, argv, error))
    return NULL;
  return finish (&d, base_url, warnings, error);
}

JsonObject *
kg_exchange_to_collection_request (KgExchange  *exchange,
                                   const char  *base_url,
                                   GPtrArray  **warnings,
                                   GError     **error)
{
  g_auto(Draft) d = { 0 };
  GPtrArray *headers;
  const char *body;
  const char *label;

  g_return_val_if_fail (KG_IS_EXCHANGE (exchange), NULL);
  g_return_val_if_fail (warnings == NULL || *warnings == NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  draft_init (&d);
  d.method = g_strdup (kg_exchange_get_method (exchange));
  d.url = g_strdup (kg_exchange_get_url (exchange));
  headers = kg_exchange_get_request_headers (exchange);
  for (guint i = 0; headers != NULL && i < headers->len; i++)
    {
      KgHeader *header = g_ptr_array_index (headers, i);

      if (header->value != NULL && *header->value != '\0')
        {
          g_ptr_array_add (d.headers, g_strdup (header->name));
          g_ptr_array_add (d.headers, g_strdup (header->value));
        }
    }
  body = kg_exchange_get_request_body (exchange);
  if (body != NULL)
    {
      d.data = g_string_new (body);
      d.content_type = g_strdup (kg_exchange_get_request_content_type (exchange));
    }
  label = kg_exchange_get_label (exchange);
  if (label != NULL && *label != '\0')
    d.label = g_strdup (label);
  return finish (&d, base_url, warnings, error);
}
