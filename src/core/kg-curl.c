/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "keygate-exchange"

#include "config.h"

#include <string.h>

#include "kg-curl.h"

/* "Copy as curl": the recorded request as a shell command. The recorded
 * exchange holds placeholders (<API_KEY>, <TOKEN>, ...) where secrets
 * were; each becomes a reference to the matching environment variable, so
 * the command never holds a secret. */

static const struct {
  const char *placeholder;
  KgSecretKind kind;
} placeholders[] = {
  { "<API_KEY>", KG_SECRET_API_KEY },
  { "<TOKEN>", KG_SECRET_TOKEN },
  { "<PASSWORD>", KG_SECRET_PASSWORD },
  { "<SESSION_ID>", KG_SECRET_SESSION },
};

static gboolean
find_placeholder (const char   *p,
                  gsize        *len,
                  KgSecretKind *kind)
{
  if (*p != '<')
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (placeholders); i++)
    {
      gsize l = strlen (placeholders[i].placeholder);

      if (strncmp (p, placeholders[i].placeholder, l) == 0)
        {
          *len = l;
          *kind = placeholders[i].kind;
          return TRUE;
        }
    }

  return FALSE;
}

static void
append_single_quoted (GString    *out,
                      const char *text,
                      gsize       len)
{
  g_string_append_c (out, '\'');
  for (gsize i = 0; i < len; i++)
    {
      if (text[i] == '\'')
        g_string_append (out, "'\\''");
      else
        g_string_append_c (out, text[i]);
    }
  g_string_append_c (out, '\'');
}

static gboolean
safe_in_double_quotes (const char *text,
                       gsize       len)
{
  for (gsize i = 0; i < len; i++)
    {
      if (strchr ("$`\\\"!", text[i]) != NULL)
        return FALSE;
    }
  return TRUE;
}

/* Quotes @text as one shell word; placeholders become "$VARIABLE". */
static void
append_shell_word (GString    *out,
                   const char *text)
{
  const char *p;
  const char *literal;
  gboolean has_placeholder = FALSE;
  gboolean double_quotable = TRUE;

  for (p = text; *p != '\0'; p++)
    {
      gsize len;
      KgSecretKind kind;

      if (find_placeholder (p, &len, &kind))
        {
          has_placeholder = TRUE;
          p += len - 1;
        }
      else if (!safe_in_double_quotes (p, 1))
        {
          double_quotable = FALSE;
        }
    }

  if (!has_placeholder)
    {
      append_single_quoted (out, text, strlen (text));
      return;
    }

  if (double_quotable)
    {
      g_string_append_c (out, '"');
      for (p = text; *p != '\0';)
        {
          gsize len;
          KgSecretKind kind;

          if (find_placeholder (p, &len, &kind))
            {
              p += len;
              if (g_ascii_isalnum (*p) || *p == '_')
                g_string_append_printf (out, "${%s}", kg_secret_kind_env_variable (kind));
              else
                g_string_append_printf (out, "$%s", kg_secret_kind_env_variable (kind));
            }
          else
            {
              g_string_append_c (out, *p++);
            }
        }
      g_string_append_c (out, '"');
      return;
    }

  /* 'literal'"$VARIABLE"'literal' */
  literal = text;
  for (p = text; *p != '\0';)
    {
      gsize len;
      KgSecretKind kind;

      if (find_placeholder (p, &len, &kind))
        {
          if (p > literal)
            append_single_quoted (out, literal, p - literal);
          g_string_append_printf (out, "\"$%s\"", kg_secret_kind_env_variable (kind));
          p += len;
          literal = p;
        }
      else
        {
          p++;
        }
    }
  if (p > literal)
    append_single_quoted (out, literal, p - literal);
}

static gboolean
skip_header_in_curl (const char *name)
{
  static const char * const skipped[] = {
    "Host", "Content-Length", "Connection", "Accept-Encoding", NULL
  };

  for (guint i = 0; skipped[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (name, skipped[i]) == 0)
        return TRUE;
    }
  return FALSE;
}

char *
kg_exchange_to_curl (KgExchange *self)
{
  GString *out;
  GPtrArray *redirects;
  GPtrArray *headers;
  const char *method;
  const char *body;
  const char *content_type;
  gboolean has_content_type = FALSE;

  g_return_val_if_fail (KG_IS_EXCHANGE (self), NULL);

  redirects = kg_exchange_get_redirects (self);
  method = kg_exchange_get_method (self);
  headers = kg_exchange_get_request_headers (self);
  body = kg_exchange_get_request_body (self);
  content_type = kg_exchange_get_request_content_type (self);

  out = g_string_new ("curl");
  if (redirects != NULL && redirects->len > 0)
    g_string_append (out, " -L");
  g_string_append (out, " -X ");
  if (*method != '\0' && strspn (method, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == strlen (method))
    g_string_append (out, method);
  else
    append_shell_word (out, method);
  g_string_append_c (out, ' ');
  append_shell_word (out, kg_exchange_get_url (self));

  for (guint i = 0; headers != NULL && i < headers->len; i++)
    {
      KgHeader *header = g_ptr_array_index (headers, i);
      g_autofree char *line = NULL;

      if (skip_header_in_curl (header->name))
        continue;
      if (g_ascii_strcasecmp (header->name, "Content-Type") == 0)
        has_content_type = TRUE;

      line = g_strdup_printf ("%s: %s", header->name, header->value);
      g_string_append (out, " -H ");
      append_shell_word (out, line);
    }

  if (body != NULL)
    {
      if (!has_content_type && content_type != NULL)
        {
          g_autofree char *line = g_strdup_printf ("Content-Type: %s", content_type);

          g_string_append (out, " -H ");
          append_shell_word (out, line);
        }
      g_string_append (out, " --data-raw ");
      append_shell_word (out, body);
    }

  return g_string_free (out, FALSE);
}
