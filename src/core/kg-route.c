/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "keygate-call"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "kg-error.h"
#include "kg-route.h"

struct _KgRoute
{
  GObject      parent_instance;

  char        *method;
  char        *path;
  char        *origin;
  KgRouteAuth  auth;
  GPtrArray   *query;     /* name, value, … */
  GPtrArray   *headers;   /* name, value, … */
  KgRouteBody  body_kind;
  JsonNode    *json;
  GPtrArray   *form;      /* name, value, … */
  char        *data;
};

G_DEFINE_FINAL_TYPE (KgRoute, kg_route, G_TYPE_OBJECT)

static const char * const methods[] = { "GET", "POST", "PUT", "PATCH", "DELETE", NULL };
static const char * const auth_names[] = { "none", "api-key", "token" };

const char *
kg_route_auth_to_string (KgRouteAuth auth)
{
  g_return_val_if_fail (auth <= KG_ROUTE_AUTH_TOKEN, NULL);
  return auth_names[auth];
}

gboolean
kg_route_auth_from_string (const char  *text,
                           KgRouteAuth *auth)
{
  for (guint i = 0; i < G_N_ELEMENTS (auth_names); i++)
    if (g_strcmp0 (text, auth_names[i]) == 0)
      {
        *auth = (KgRouteAuth) i;
        return TRUE;
      }
  return FALSE;
}

static void
kg_route_finalize (GObject *object)
{
  KgRoute *self = KG_ROUTE (object);

  g_free (self->method);
  g_free (self->path);
  g_free (self->origin);
  g_ptr_array_unref (self->query);
  g_ptr_array_unref (self->headers);
  g_clear_pointer (&self->json, json_node_unref);
  g_ptr_array_unref (self->form);
  g_free (self->data);

  G_OBJECT_CLASS (kg_route_parent_class)->finalize (object);
}

static void
kg_route_class_init (KgRouteClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = kg_route_finalize;
}

static void
kg_route_init (KgRoute *self)
{
  self->query = g_ptr_array_new_with_free_func (g_free);
  self->headers = g_ptr_array_new_with_free_func (g_free);
  self->form = g_ptr_array_new_with_free_func (g_free);
}

static gboolean
has_controls_or_spaces (const char *text)
{
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    if (*p <= 0x20 || *p == 0x7f)
      return TRUE;
  return FALSE;
}

static gboolean
check_path (const char  *path,
            GError     **error)
{
  const char *scheme;

  if (path == NULL || path[0] == '\0')
    {
      g_set_error_literal (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                           _("The request needs a path, e.g. “/api/projects”, or a full URL."));
      return FALSE;
    }
  if (has_controls_or_spaces (path))
    {
      g_set_error_literal (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                           _("The request’s path contains a space or a control character; "
                             "percent-encode it (a space is %20)."));
      return FALSE;
    }
  scheme = g_uri_peek_scheme (path);
  if (scheme != NULL && !g_str_equal (scheme, "http") && !g_str_equal (scheme, "https"))
    {
      g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                   /* Translators: %s is the path the user gave */
                   _("“%s” is neither a path starting with “/” nor an http:// or https:// URL."),
                   path);
      return FALSE;
    }
  return TRUE;
}

KgRoute *
kg_route_new (const char  *method,
              const char  *path,
              GError     **error)
{
  g_autofree char *upper = NULL;
  KgRoute *self;

  if (method == NULL || method[0] == '\0')
    {
      g_set_error_literal (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                           _("The request needs a method: GET, POST, PUT, PATCH or DELETE."));
      return NULL;
    }
  upper = g_ascii_strup (method, -1);
  if (!g_strv_contains (methods, upper))
    {
      g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                   /* Translators: %s is the method the user gave */
                   _("“%s” is not a method Keygate sends; use GET, POST, PUT, PATCH or DELETE."),
                   method);
      return NULL;
    }
  if (!check_path (path, error))
    return NULL;

  self = g_object_new (KG_TYPE_ROUTE, NULL);
  self->method = g_steal_pointer (&upper);
  self->path = g_strdup (path);
  return self;
}

/* A string, number or boolean member value as text (a {{variable}} that was
 * a whole string may have become a number); NULL for anything else. */
static char *
scalar_text (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (node));
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_DOUBLE:
      {
        char buffer[G_ASCII_DTOSTR_BUF_SIZE];

        return g_strdup (g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (node)));
      }
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    default:
      return NULL;
    }
}

typedef gboolean (*AddPairFunc) (KgRoute     *self,
                                 const char  *name,
                                 const char  *value,
                                 GError     **error);

static gboolean
add_query_pair (KgRoute     *self,
                const char  *name,
                const char  *value,
                GError     **error)
{
  kg_route_add_query (self, name, value);
  return TRUE;
}

static gboolean
add_form_pair (KgRoute     *self,
               const char  *name,
               const char  *value,
               GError     **error)
{
  kg_route_add_form_field (self, name, value);
  return TRUE;
}

/* Reads the object member @member (of string values) with @add. */
static gboolean
read_pairs (KgRoute      *self,
            JsonObject   *http,
            const char   *member,
            AddPairFunc   add,
            GError      **error)
{
  JsonNode *node = json_object_get_member (http, member);
  g_autoptr(GList) names = NULL;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                   /* Translators: %s is a JSON member name ("query", "headers", "form") */
                   _("The request’s “%s” must be an object of names and string values."),
                   member);
      return FALSE;
    }

  /* In the file's order (json_object_iter is in hash order). */
  names = json_object_get_members (json_node_get_object (node));
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *name = l->data;
      g_autofree char *text = scalar_text (json_object_get_member (json_node_get_object (node),
                                                                   name));

      if (text == NULL)
        {
          g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                       /* Translators: the first %s is a JSON member name ("query", "headers",
                        * "form"), the second the name inside it */
                       _("The request’s “%s” value of “%s” must be a string."), member, name);
          return FALSE;
        }
      if (!add (self, name, text, error))
        return FALSE;
    }
  return TRUE;
}

static const char *
optional_string (JsonObject  *http,
                 const char  *member,
                 gboolean    *ok,
                 GError     **error)
{
  JsonNode *node = json_object_get_member (http, member);

  *ok = TRUE;
  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                   /* Translators: %s is a JSON member name ("method", "path", "origin", …) */
                   _("The request’s “%s” must be a string."), member);
      *ok = FALSE;
      return NULL;
    }
  return json_node_get_string (node);
}

KgRoute *
kg_route_new_from_json (JsonObject  *http,
                        GError     **error)
{
  g_autoptr(KgRoute) self = NULL;
  const char *method;
  const char *path;
  const char *origin;
  const char *auth;
  const char *data;
  guint n_bodies = 0;
  gboolean ok;

  g_return_val_if_fail (http != NULL, NULL);

  method = optional_string (http, "method", &ok, error);
  if (!ok)
    return NULL;
  if (method == NULL)
    {
      g_set_error_literal (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                           _("The request has no “method”: give GET, POST, PUT, PATCH or "
                             "DELETE."));
      return NULL;
    }
  path = optional_string (http, "path", &ok, error);
  if (!ok)
    return NULL;
  if (path == NULL)
    {
      g_set_error_literal (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                           _("The request has no “path”: give a path such as “/api/projects” "
                             "or a full URL."));
      return NULL;
    }

  self = kg_route_new (method, path, error);
  if (self == NULL)
    return NULL;

  origin = optional_string (http, "origin", &ok, error);
  if (!ok || (origin != NULL && !kg_route_set_origin (self, origin, error)))
    return NULL;

  auth = optional_string (http, "auth", &ok, error);
  if (!ok)
    return NULL;
  if (auth != NULL && !kg_route_auth_from_string (auth, &self->auth))
    {
      g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                   /* Translators: %s is what the user gave */
                   _("The request’s “auth” is “%s”; use “none”, “api-key” or “token”."), auth);
      return NULL;
    }

  if (!read_pairs (self, http, "query", add_query_pair, error)
      || !read_pairs (self, http, "headers", kg_route_add_header, error))
    return NULL;

  n_bodies = (json_object_has_member (http, "json") ? 1 : 0)
             + (json_object_has_member (http, "form") ? 1 : 0)
             + (json_object_has_member (http, "data") ? 1 : 0);
  if (n_bodies > 1)
    {
      g_set_error_literal (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                           _("The request has more than one body: give only one of “json”, "
                             "“form” and “data”."));
      return NULL;
    }

  if (json_object_has_member (http, "json"))
    kg_route_set_json_body (self, json_object_get_member (http, "json"));
  if (!read_pairs (self, http, "form", add_form_pair, error))
    return NULL;
  if (json_object_has_member (http, "form") && self->body_kind == KG_ROUTE_BODY_NONE)
    self->body_kind = KG_ROUTE_BODY_FORM;   /* an empty form is still a form */
  data = optional_string (http, "data", &ok, error);
  if (!ok)
    return NULL;
  if (data != NULL)
    kg_route_set_data (self, data);

  return g_steal_pointer (&self);
}

const char *
kg_route_get_method (KgRoute *self)
{
  g_return_val_if_fail (KG_IS_ROUTE (self), NULL);
  return self->method;
}

const char *
kg_route_get_path (KgRoute *self)
{
  g_return_val_if_fail (KG_IS_ROUTE (self), NULL);
  return self->path;
}

const char *
kg_route_get_origin (KgRoute *self)
{
  g_return_val_if_fail (KG_IS_ROUTE (self), NULL);
  return self->origin;
}

char *
kg_route_dup_origin_of (const char *url)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *host = NULL;
  const char *scheme;
  int port;

  if (url == NULL)
    return NULL;
  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
    return NULL;
  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    return NULL;

  host = g_ascii_strdown (g_uri_get_host (uri), -1);
  port = g_uri_get_port (uri);
  if ((port == 80 && g_ascii_strcasecmp (scheme, "http") == 0)
      || (port == 443 && g_ascii_strcasecmp (scheme, "https") == 0))
    port = -1;

  {
    g_autofree char *lower_scheme = g_ascii_strdown (scheme, -1);
    gboolean ipv6 = strchr (host, ':') != NULL;

    if (port > 0)
      return g_strdup_printf ("%s://%s%s%s:%d", lower_scheme, ipv6 ? "[" : "", host,
                              ipv6 ? "]" : "", port);
    return g_strdup_printf ("%s://%s%s%s", lower_scheme, ipv6 ? "[" : "", host, ipv6 ? "]" : "");
  }
}

gboolean
kg_route_set_origin (KgRoute     *self,
                     const char  *origin,
                     GError     **error)
{
  g_autofree char *normal = NULL;
  g_autoptr(GUri) uri = NULL;

  g_return_val_if_fail (KG_IS_ROUTE (self), FALSE);

  if (origin == NULL || origin[0] == '\0')
    {
      g_clear_pointer (&self->origin, g_free);
      return TRUE;
    }

  normal = kg_route_dup_origin_of (origin);
  uri = g_uri_parse (origin, G_URI_FLAGS_ENCODED, NULL);
  if (normal == NULL || uri == NULL || g_uri_get_userinfo (uri) != NULL
      || g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL
      || (g_uri_get_path (uri)[0] != '\0' && !g_str_equal (g_uri_get_path (uri), "/")))
    {
      g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                   /* Translators: %s is what the user gave */
                   _("“%s” is not an origin: give only the scheme, host and port, e.g. "
                     "“https://api.example.com” or “http://127.0.0.1:8080”."), origin);
      return FALSE;
    }

  g_free (self->origin);
  self->origin = g_steal_pointer (&normal);
  return TRUE;
}

KgRouteAuth
kg_route_get_auth (KgRoute *self)
{
  g_return_val_if_fail (KG_IS_ROUTE (self), KG_ROUTE_AUTH_NONE);
  return self->auth;
}

void
kg_route_set_auth (KgRoute     *self,
                   KgRouteAuth  auth)
{
  g_return_if_fail (KG_IS_ROUTE (self));
  g_return_if_fail (auth <= KG_ROUTE_AUTH_TOKEN);
  self->auth = auth;
}

void
kg_route_add_query (KgRoute    *self,
                    const char *name,
                    const char *value)
{
  g_return_if_fail (KG_IS_ROUTE (self));
  g_return_if_fail (name != NULL);

  g_ptr_array_add (self->query, g_strdup (name));
  g_ptr_array_add (self->query, g_strdup (value ? value : ""));
}

static gboolean
is_header_name (const char *name)
{
  if (name == NULL || name[0] == '\0')
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("!#$%&'*+-.^_`|~", *p) == NULL)
      return FALSE;
  return TRUE;
}

gboolean
kg_route_add_header (KgRoute     *self,
                     const char  *name,
                     const char  *value,
                     GError     **error)
{
  g_return_val_if_fail (KG_IS_ROUTE (self), FALSE);

  if (!is_header_name (name))
    {
      g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                   /* Translators: %s is what the user gave as a header name */
                   _("“%s” is not an HTTP header name: use letters, digits and - (no spaces or "
                     "colons)."), name ? name : "");
      return FALSE;
    }
  if (value == NULL || strpbrk (value, "\r\n") != NULL)
    {
      g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                   /* Translators: %s is a header name */
                   _("The value of the header “%s” may not contain a line break."), name);
      return FALSE;
    }

  g_ptr_array_add (self->headers, g_strdup (name));
  g_ptr_array_add (self->headers, g_strdup (value));
  return TRUE;
}

GPtrArray *
kg_route_get_query (KgRoute *self)
{
  g_return_val_if_fail (KG_IS_ROUTE (self), NULL);
  return self->query;
}

GPtrArray *
kg_route_get_headers (KgRoute *self)
{
  g_return_val_if_fail (KG_IS_ROUTE (self), NULL);
  return self->headers;
}

const char *
kg_route_find_header (KgRoute    *self,
                      const char *name)
{
  g_return_val_if_fail (KG_IS_ROUTE (self), NULL);

  for (guint i = 0; i + 1 < self->headers->len; i += 2)
    if (g_ascii_strcasecmp (g_ptr_array_index (self->headers, i), name) == 0)
      return g_ptr_array_index (self->headers, i + 1);
  return NULL;
}

static void
clear_body (KgRoute *self)
{
  g_clear_pointer (&self->json, json_node_unref);
  g_ptr_array_set_size (self->form, 0);
  g_clear_pointer (&self->data, g_free);
  self->body_kind = KG_ROUTE_BODY_NONE;
}

KgRouteBody
kg_route_get_body_kind (KgRoute *self)
{
  g_return_val_if_fail (KG_IS_ROUTE (self), KG_ROUTE_BODY_NONE);
  return self->body_kind;
}

void
kg_route_set_json_body (KgRoute  *self,
                        JsonNode *json)
{
  g_return_if_fail (KG_IS_ROUTE (self));

  clear_body (self);
  if (json == NULL)
    return;
  self->json = json_node_copy (json);
  self->body_kind = KG_ROUTE_BODY_JSON;
}

void
kg_route_add_form_field (KgRoute    *self,
                         const char *name,
                         const char *value)
{
  g_return_if_fail (KG_IS_ROUTE (self));
  g_return_if_fail (name != NULL);

  if (self->body_kind != KG_ROUTE_BODY_FORM)
    clear_body (self);
  self->body_kind = KG_ROUTE_BODY_FORM;
  g_ptr_array_add (self->form, g_strdup (name));
  g_ptr_array_add (self->form, g_strdup (value ? value : ""));
}

void
kg_route_set_data (KgRoute    *self,
                   const char *text)
{
  g_return_if_fail (KG_IS_ROUTE (self));

  clear_body (self);
  if (text == NULL)
    return;
  self->data = g_strdup (text);
  self->body_kind = KG_ROUTE_BODY_DATA;
}

JsonNode *
kg_route_get_json_body (KgRoute *self)
{
  g_return_val_if_fail (KG_IS_ROUTE (self), NULL);
  return self->json;
}

GPtrArray *
kg_route_get_form (KgRoute *self)
{
  g_return_val_if_fail (KG_IS_ROUTE (self), NULL);
  return self->form;
}

const char *
kg_route_get_data (KgRoute *self)
{
  g_return_val_if_fail (KG_IS_ROUTE (self), NULL);
  return self->data;
}

static void
append_pairs (GString   *out,
              GPtrArray *pairs,
              char       first_separator)
{
  for (guint i = 0; i + 1 < pairs->len; i += 2)
    {
      g_autofree char *name = g_uri_escape_string (g_ptr_array_index (pairs, i), NULL, FALSE);
      g_autofree char *value = g_uri_escape_string (g_ptr_array_index (pairs, i + 1), NULL,
                                                    FALSE);

      if (i == 0 && first_separator != '\0')
        g_string_append_c (out, first_separator);
      else if (i > 0)
        g_string_append_c (out, '&');
      g_string_append_printf (out, "%s=%s", name, value);
    }
}

GBytes *
kg_route_dup_body_bytes (KgRoute  *self,
                         char    **content_type)
{
  const char *given_type;
  char *text = NULL;
  const char *default_type = NULL;

  g_return_val_if_fail (KG_IS_ROUTE (self), NULL);

  switch (self->body_kind)
    {
    case KG_ROUTE_BODY_JSON:
      text = json_to_string (self->json, FALSE);
      default_type = "application/json";
      break;
    case KG_ROUTE_BODY_FORM:
      {
        GString *form = g_string_new (NULL);

        append_pairs (form, self->form, '\0');
        text = g_string_free (form, FALSE);
        default_type = "application/x-www-form-urlencoded";
      }
      break;
    case KG_ROUTE_BODY_DATA:
      text = g_strdup (self->data);
      default_type = "text/plain; charset=utf-8";
      break;
    case KG_ROUTE_BODY_NONE:
    default:
      if (content_type != NULL)
        *content_type = NULL;
      return NULL;
    }

  given_type = kg_route_find_header (self, "Content-Type");
  if (content_type != NULL)
    *content_type = g_strdup (given_type != NULL ? given_type : default_type);
  return g_bytes_new_take (text, strlen (text));
}

char *
kg_route_build_url (KgRoute    *self,
                    KgProfile  *profile,
                    gboolean   *foreign,
                    GError    **error)
{
  const char *scheme;
  g_autoptr(GString) url = NULL;
  g_autoptr(GUri) parsed = NULL;

  g_return_val_if_fail (KG_IS_ROUTE (self), NULL);
  g_return_val_if_fail (KG_IS_PROFILE (profile), NULL);

  if (foreign != NULL)
    *foreign = FALSE;

  scheme = g_uri_peek_scheme (self->path);
  if (scheme == NULL)
    {
      const char *base = kg_profile_get_url (profile);
      const char *path = self->path;

      /* One slash between the profile's URL (path prefix kept) and @path. */
      while (path[0] == '/')
        path++;
      url = g_string_new (base ? base : "");
      while (url->len > 0 && url->str[url->len - 1] == '/')
        g_string_truncate (url, url->len - 1);
      g_string_append_c (url, '/');
      g_string_append (url, path);
    }
  else
    {
      g_autofree char *own = kg_route_dup_origin_of (kg_profile_get_url (profile));
      g_autofree char *target = kg_route_dup_origin_of (self->path);
      g_autoptr(GUri) uri = g_uri_parse (self->path, G_URI_FLAGS_ENCODED, NULL);

      if (target == NULL || uri == NULL)
        {
          g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                       /* Translators: %s is a URL the user gave */
                       _("“%s” is not a valid http:// or https:// URL."), self->path);
          return NULL;
        }
      if (g_uri_get_userinfo (uri) != NULL)
        {
          g_set_error_literal (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                               _("The request’s URL holds a user name or password; Keygate "
                                 "sends credentials only through “auth”."));
          return NULL;
        }
      if (g_strcmp0 (own, target) != 0)
        {
          if (g_strcmp0 (self->origin, target) != 0)
            {
              g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                           /* Translators: the first %s is an origin (https://host:port), the
                            * second the connection's origin, the third the first again */
                           _("The request goes to %s, which is not the connection’s origin (%s). "
                             "To send it there anyway, allow that origin with the request’s "
                             "“origin” member or --allow-origin %s; the API key and token are "
                             "never sent to it."),
                           target, own ? own : "", target);
              return NULL;
            }
          if (self->auth != KG_ROUTE_AUTH_NONE)
            {
              g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                           /* Translators: the first %s is an origin (https://host:port), the
                            * second an auth name ("api-key", "token") */
                           _("The request goes to another origin (%s) and asks for auth “%s”: "
                             "Keygate never sends the API key or a token to another origin. "
                             "Use auth “none” for it."),
                           target, kg_route_auth_to_string (self->auth));
              return NULL;
            }
          if (foreign != NULL)
            *foreign = TRUE;
        }
      url = g_string_new (self->path);
    }

  if (self->query->len > 0)
    append_pairs (url, self->query, strchr (url->str, '?') != NULL ? '&' : '?');

  parsed = g_uri_parse (url->str, G_URI_FLAGS_ENCODED, NULL);
  if (parsed == NULL)
    {
      g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                   /* Translators: %s is a URL */
                   _("“%s” is not a valid address; check the path and the connection’s URL."),
                   url->str);
      return NULL;
    }

  return g_string_free (g_steal_pointer (&url), FALSE);
}
