/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "keygate-redact"

#include "config.h"

#include <string.h>

#include "kg-json.h"
#include "kg-redact.h"
#include "kg-secret.h"

#define REDACTED "<REDACTED>"

static const struct {
  const char *placeholder;
  const char *variable;
} kind_info[] = {
  [KG_SECRET_API_KEY]  = { "<API_KEY>",    "ODOO_API_KEY" },
  [KG_SECRET_TOKEN]    = { "<TOKEN>",      "ODOO_TOKEN" },
  [KG_SECRET_PASSWORD] = { "<PASSWORD>",   "ODOO_PASSWORD" },
  [KG_SECRET_SESSION]  = { "<SESSION_ID>", "ODOO_SESSION_ID" },
};

const char *
kg_secret_kind_placeholder (KgSecretKind kind)
{
  g_return_val_if_fail (kind <= KG_SECRET_SESSION, REDACTED);
  return kind_info[kind].placeholder;
}

const char *
kg_secret_kind_env_variable (KgSecretKind kind)
{
  g_return_val_if_fail (kind <= KG_SECRET_SESSION, NULL);
  return kind_info[kind].variable;
}

typedef struct
{
  KgSecretKind  kind;
  char         *value;   /* one form of the secret: raw, JSON-escaped or URI-escaped */
} SecretEntry;

struct _KgSecrets
{
  grefcount  ref_count;
  GMutex     mutex;
  GArray    *entries;   /* of SecretEntry, longest value first */
};

static void
secret_entry_clear (gpointer data)
{
  SecretEntry *entry = data;

  g_clear_pointer (&entry->value, kg_secret_free);
}

KgSecrets *
kg_secrets_new (void)
{
  KgSecrets *self = g_new0 (KgSecrets, 1);

  g_ref_count_init (&self->ref_count);
  g_mutex_init (&self->mutex);
  self->entries = g_array_new (FALSE, TRUE, sizeof (SecretEntry));
  g_array_set_clear_func (self->entries, secret_entry_clear);
  return self;
}

KgSecrets *
kg_secrets_ref (KgSecrets *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_ref_count_inc (&self->ref_count);
  return self;
}

void
kg_secrets_unref (KgSecrets *self)
{
  g_return_if_fail (self != NULL);

  if (g_ref_count_dec (&self->ref_count))
    {
      g_array_unref (self->entries);
      g_mutex_clear (&self->mutex);
      g_free (self);
    }
}

static gint
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const SecretEntry *ea = a;
  const SecretEntry *eb = b;
  gsize la = strlen (ea->value);
  gsize lb = strlen (eb->value);

  return la < lb ? 1 : la > lb ? -1 : 0;
}

static void
add_form (KgSecrets    *self,
          KgSecretKind  kind,
          const char   *value)
{
  SecretEntry entry;

  for (guint i = 0; i < self->entries->len; i++)
    {
      if (g_str_equal (g_array_index (self->entries, SecretEntry, i).value, value))
        return;
    }

  entry.kind = kind;
  entry.value = g_strdup (value);
  g_array_append_val (self->entries, entry);
}

static char *
json_escape (const char *value)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);
  g_autofree char *quoted = NULL;
  gsize len;

  json_node_set_string (node, value);
  quoted = json_to_string (node, FALSE);
  len = strlen (quoted);
  if (len < 2)
    return g_strdup (value);
  return g_strndup (quoted + 1, len - 2);
}

void
kg_secrets_add (KgSecrets    *self,
                KgSecretKind  kind,
                const char   *value)
{
  g_autofree char *json_form = NULL;
  g_autofree char *uri_form = NULL;

  g_return_if_fail (self != NULL);
  g_return_if_fail (kind <= KG_SECRET_SESSION);

  if (value == NULL || *value == '\0')
    return;

  json_form = json_escape (value);
  uri_form = g_uri_escape_string (value, NULL, FALSE);

  g_mutex_lock (&self->mutex);
  add_form (self, kind, value);
  add_form (self, kind, json_form);
  add_form (self, kind, uri_form);
  g_array_sort (self->entries, compare_entries);
  g_mutex_unlock (&self->mutex);
}

char *
kg_secrets_redact (KgSecrets  *self,
                   const char *text)
{
  GString *out;
  const char *p;

  if (text == NULL)
    return NULL;
  if (self == NULL)
    return g_strdup (text);

  g_mutex_lock (&self->mutex);

  if (self->entries->len == 0)
    {
      g_mutex_unlock (&self->mutex);
      return g_strdup (text);
    }

  out = g_string_sized_new (strlen (text));
  p = text;
  while (*p != '\0')
    {
      gboolean matched = FALSE;

      for (guint i = 0; i < self->entries->len; i++)
        {
          const SecretEntry *entry = &g_array_index (self->entries, SecretEntry, i);
          gsize len = strlen (entry->value);

          if (*p == entry->value[0] && strncmp (p, entry->value, len) == 0)
            {
              g_string_append (out, kind_info[entry->kind].placeholder);
              p += len;
              matched = TRUE;
              break;
            }
        }

      if (!matched)
        g_string_append_c (out, *p++);
    }

  g_mutex_unlock (&self->mutex);

  return g_string_free (out, FALSE);
}

/* Returns the placeholder that @text is exactly, or NULL. */
static const char *
exact_placeholder (const char *text)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_info); i++)
    {
      if (g_str_equal (text, kind_info[i].placeholder))
        return kind_info[i].placeholder;
    }
  return NULL;
}

static gboolean
name_in_list (const char         *name,
              const char * const *list)
{
  if (name == NULL)
    return FALSE;

  for (guint i = 0; list[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (name, list[i]) == 0)
        return TRUE;
    }
  return FALSE;
}

gboolean
kg_redact_is_secret_header (const char *name)
{
  static const char * const secret_headers[] = {
    "Authorization",
    "Proxy-Authorization",
    "Cookie",
    "Set-Cookie",
    "Set-Cookie2",
    "X-API-Key",
    "X-APIKey",
    "API-KEY",
    "API_KEY",
    "Api-Key",
    "ApiKey",
    "X-Access-Token",
    "Access-Token",
    "X-Auth-Token",
    "X-Token",
    "Token",
    "X-Refresh-Token",
    "X-Openerp-Session-Id",
    "X-Odoo-Session-Id",
    "X-Session-Id",
    "X-Password",
    "X-Secret",
    NULL
  };

  return name_in_list (name, secret_headers);
}

gboolean
kg_redact_is_secret_field (const char *name)
{
  static const char * const secret_fields[] = {
    "password",
    "passwd",
    "pass",
    "new_password",
    "old_password",
    "confirm_password",
    "api_key",
    "api-key",
    "apikey",
    "key",
    "access_token",
    "refresh_token",
    "id_token",
    "auth_token",
    "token",
    "secret",
    "client_secret",
    "session_id",
    "authorization",
    "x-api-key",
    NULL
  };

  return name_in_list (name, secret_fields);
}

/* Cookie pairs ("a=1; b=2"): every value becomes a placeholder. @pair has
 * been through kg_secrets_redact already, so a secret in the cookie name
 * (or one that spans the name and the value) is a placeholder by now. */
static void
append_redacted_cookie_pair (GString    *out,
                             KgSecrets  *secrets,
                             const char *pair)
{
  const char *eq = strchr (pair, '=');
  g_autofree char *value = NULL;
  g_autofree char *redacted = NULL;
  const char *placeholder;

  if (eq == NULL)
    {
      g_string_append (out, kind_info[KG_SECRET_SESSION].placeholder);
      return;
    }

  g_string_append_len (out, pair, eq - pair + 1);
  value = g_strstrip (g_strdup (eq + 1));
  redacted = kg_secrets_redact (secrets, value);
  placeholder = redacted ? exact_placeholder (redacted) : NULL;
  g_string_append (out, placeholder ? placeholder : kind_info[KG_SECRET_SESSION].placeholder);
}

char *
kg_redact_header_value (KgSecrets  *secrets,
                        const char *name,
                        const char *value)
{
  g_autofree char *redacted = NULL;
  const char *space;

  if (value == NULL)
    return NULL;

  redacted = kg_secrets_redact (secrets, value);
  if (!kg_redact_is_secret_header (name))
    return g_steal_pointer (&redacted);

  /* Cookies are taken apart after the known secrets are replaced (a secret
   * can be a cookie's name), and the result is checked once more: joining
   * the pieces with "; " must not put a secret back together. */
  if (g_ascii_strncasecmp (name, "Set-Cookie", strlen ("Set-Cookie")) == 0)
    {
      g_autoptr(GString) out = g_string_new (NULL);
      const char *semi = strchr (redacted, ';');
      g_autofree char *pair = NULL;

      pair = g_strndup (redacted, semi ? (gsize) (semi - redacted) : strlen (redacted));

      append_redacted_cookie_pair (out, secrets, pair);
      if (semi != NULL)
        g_string_append (out, semi);
      return kg_secrets_redact (secrets, out->str);
    }

  if (g_ascii_strcasecmp (name, "Cookie") == 0)
    {
      g_autoptr(GString) out = g_string_new (NULL);
      g_auto(GStrv) pairs = g_strsplit (redacted, ";", -1);

      for (guint i = 0; pairs[i] != NULL; i++)
        {
          g_strstrip (pairs[i]);
          if (*pairs[i] == '\0')
            continue;
          if (out->len > 0)
            g_string_append (out, "; ");
          append_redacted_cookie_pair (out, secrets, pairs[i]);
        }
      return kg_secrets_redact (secrets, out->str);
    }

  /* Whole value a known secret: its placeholder. */
  if (exact_placeholder (redacted) != NULL)
    return g_steal_pointer (&redacted);

  /* "Scheme credentials": keep the scheme. */
  space = strchr (redacted, ' ');
  if (space != NULL && space != redacted)
    {
      g_autofree char *scheme = g_strndup (redacted, space - redacted);
      const char *rest = space;
      const char *placeholder;

      while (*rest == ' ')
        rest++;
      placeholder = exact_placeholder (rest);

      return g_strdup_printf ("%s %s", scheme, placeholder ? placeholder : REDACTED);
    }

  return g_strdup (REDACTED);
}

static JsonNode *redact_node (KgSecrets *secrets, JsonNode *node, gboolean secret);

/* Query values of secret parameters and known secrets become placeholders;
 * a password in the user info is dropped. */
char *
kg_redact_url (KgSecrets  *secrets,
               const char *url)
{
  g_autoptr(GString) out = NULL;
  const char *scheme_end;
  const char *query;
  const char *fragment;
  const char *authority;
  const char *authority_end;
  const char *at;
  const char *end;
  const char *path_end;

  if (url == NULL)
    return NULL;

  out = g_string_new (NULL);
  scheme_end = strstr (url, "://");
  query = strchr (url, '?');
  fragment = strchr (url, '#');
  end = url + strlen (url);
  if (fragment != NULL && query != NULL && query > fragment)
    query = NULL;

  path_end = query ? query : fragment ? fragment : end;
  authority = scheme_end ? scheme_end + 3 : url;
  authority_end = authority + strcspn (authority, "/?#");
  at = memchr (authority, '@', authority_end - authority);

  if (at != NULL)
    {
      const char *colon = memchr (authority, ':', at - authority);

      g_string_append_len (out, url, (colon ? colon : at) - url);
      if (colon != NULL)
        g_string_append (out, ":" REDACTED);
      g_string_append_len (out, at, path_end - at);
    }
  else
    {
      g_string_append_len (out, url, path_end - url);
    }

  if (query != NULL)
    {
      g_autofree char *q = g_strndup (query + 1, (fragment ? fragment : end) - query - 1);
      g_auto(GStrv) pairs = g_strsplit (q, "&", -1);

      g_string_append_c (out, '?');
      for (guint i = 0; pairs[i] != NULL; i++)
        {
          const char *eq = strchr (pairs[i], '=');
          g_autofree char *name = eq ? g_strndup (pairs[i], eq - pairs[i]) : NULL;
          g_autofree char *decoded = name ? g_uri_unescape_string (name, NULL) : NULL;

          if (i > 0)
            g_string_append_c (out, '&');

          if (name != NULL && kg_redact_is_secret_field (decoded ? decoded : name))
            {
              g_autofree char *value = kg_secrets_redact (secrets, eq + 1);

              g_string_append_len (out, pairs[i], eq - pairs[i] + 1);
              g_string_append (out, exact_placeholder (value) != NULL ? value : REDACTED);
            }
          else
            {
              g_string_append (out, pairs[i]);
            }
        }
    }

  if (fragment != NULL)
    g_string_append (out, fragment);

  return kg_secrets_redact (secrets, out->str);
}

/* A scalar under a secret field: a known secret becomes its placeholder,
 * anything else "<REDACTED>". null and booleans say nothing secret. */
static JsonNode *
redact_secret_value (KgSecrets *secrets,
                     JsonNode  *node)
{
  JsonNode *copy;
  GType type = json_node_get_value_type (node);

  if (type == G_TYPE_BOOLEAN)
    return json_node_copy (node);

  copy = json_node_new (JSON_NODE_VALUE);
  if (type == G_TYPE_STRING)
    {
      g_autofree char *redacted = kg_secrets_redact (secrets, json_node_get_string (node));
      const char *placeholder = exact_placeholder (redacted);

      /* An empty string gives nothing away and shows that nothing was sent. */
      if (*json_node_get_string (node) == '\0')
        json_node_set_string (copy, "");
      else
        json_node_set_string (copy, placeholder ? placeholder : REDACTED);
    }
  else
    {
      json_node_set_string (copy, REDACTED);
    }
  return copy;
}

static JsonNode *
redact_node (KgSecrets *secrets,
             JsonNode  *node,
             gboolean   secret)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_NULL:
      return json_node_new (JSON_NODE_NULL);

    case JSON_NODE_VALUE:
      if (secret)
        return redact_secret_value (secrets, node);
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        {
          g_autofree char *redacted = kg_secrets_redact (secrets, json_node_get_string (node));
          JsonNode *copy = json_node_new (JSON_NODE_VALUE);

          json_node_set_string (copy, redacted);
          return copy;
        }
      return json_node_copy (node);

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        g_autoptr(JsonArray) out = json_array_sized_new (json_array_get_length (array));
        JsonNode *result = json_node_new (JSON_NODE_ARRAY);

        for (guint i = 0; i < json_array_get_length (array); i++)
          json_array_add_element (out, redact_node (secrets, json_array_get_element (array, i),
                                                    secret));
        json_node_set_array (result, out);
        return result;
      }

    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(JsonObject) out = json_object_new ();
        JsonNode *result = json_node_new (JSON_NODE_OBJECT);
        JsonObjectIter iter;
        const char *member;
        JsonNode *child;

        json_object_iter_init_ordered (&iter, object);
        while (json_object_iter_next_ordered (&iter, &member, &child))
          {
            g_autofree char *name = kg_secrets_redact (secrets, member);

            json_object_set_member (out, name,
                                    redact_node (secrets, child,
                                                 secret || kg_redact_is_secret_field (member)));
          }
        json_node_set_object (result, out);
        return result;
      }

    default:
      g_assert_not_reached ();
    }
  return NULL;
}

JsonNode *
kg_redact_json (KgSecrets *secrets,
                JsonNode  *node)
{
  if (node == NULL)
    return NULL;
  return redact_node (secrets, node, FALSE);
}

static gboolean
content_type_is_json (const char *content_type)
{
  g_autofree char *lower = NULL;

  if (content_type == NULL)
    return FALSE;
  lower = g_ascii_strdown (content_type, -1);
  return strstr (lower, "json") != NULL;
}

static gboolean
content_type_is_form (const char *content_type)
{
  return content_type != NULL &&
         g_ascii_strncasecmp (content_type, "application/x-www-form-urlencoded",
                              strlen ("application/x-www-form-urlencoded")) == 0;
}

static gboolean
looks_like_json (const char *body)
{
  while (g_ascii_isspace (*body))
    body++;
  return *body == '{' || *body == '[';
}

/* "a=1&password=x" → "a=1&password=<REDACTED>" (known secrets as placeholders).
 * The known secrets are replaced in the whole body first: one with a raw '&'
 * or '=' in it would otherwise be cut in pieces that no longer match. */
static char *
redact_form (KgSecrets  *secrets,
             const char *body)
{
  g_autofree char *whole = kg_secrets_redact (secrets, body);
  g_auto(GStrv) pairs = g_strsplit (whole, "&", -1);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; pairs[i] != NULL; i++)
    {
      const char *eq = strchr (pairs[i], '=');
      g_autofree char *name = eq ? g_strndup (pairs[i], eq - pairs[i]) : g_strdup (pairs[i]);
      g_autofree char *decoded = g_uri_unescape_string (name, NULL);

      if (i > 0)
        g_string_append_c (out, '&');

      if (eq != NULL && kg_redact_is_secret_field (decoded ? decoded : name))
        {
          g_autofree char *value = kg_secrets_redact (secrets, eq + 1);
          const char *placeholder = exact_placeholder (value);

          g_string_append_len (out, pairs[i], eq - pairs[i] + 1);
          g_string_append (out, placeholder ? placeholder : (eq[1] ? REDACTED : ""));
        }
      else
        {
          g_autofree char *redacted = kg_secrets_redact (secrets, pairs[i]);

          g_string_append (out, redacted);
        }
    }

  /* And once more on the result, as the pieces were put back together. */
  return kg_secrets_redact (secrets, out->str);
}

char *
kg_redact_body (KgSecrets  *secrets,
                const char *content_type,
                const char *body)
{
  if (body == NULL)
    return NULL;

  if (content_type_is_json (content_type) || looks_like_json (body))
    {
      g_autoptr(JsonNode) root = kg_json_parse (body, -1, NULL);

      if (root != NULL)
        {
          g_autoptr(JsonNode) redacted = kg_redact_json (secrets, root);
          g_autofree char *text = json_to_string (redacted, FALSE);

          /* A final text pass catches secrets in member names and numbers. */
          return kg_secrets_redact (secrets, text);
        }
    }

  if (content_type_is_form (content_type))
    return redact_form (secrets, body);

  return kg_secrets_redact (secrets, body);
}

char *
kg_redact_mask (const char *secret)
{
  glong n_chars;
  const char *end;
  GString *out;

  if (secret == NULL)
    return NULL;

  n_chars = g_utf8_validate (secret, -1, NULL) ? g_utf8_strlen (secret, -1)
                                               : (glong) strlen (secret);

  if (n_chars < 12 || !g_utf8_validate (secret, -1, NULL))
    {
      out = g_string_new (NULL);
      for (glong i = 0; i < n_chars; i++)
        g_string_append (out, "•");
      return g_string_free (out, FALSE);
    }

  out = g_string_new (NULL);
  end = g_utf8_offset_to_pointer (secret, 4);
  g_string_append_len (out, secret, end - secret);
  g_string_append (out, "…");
  g_string_append (out, g_utf8_offset_to_pointer (secret, n_chars - 4));
  return g_string_free (out, FALSE);
}
