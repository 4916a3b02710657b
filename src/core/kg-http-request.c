/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "keygate-http"

#include "config.h"

#include <string.h>

#include "kg-http-request-private.h"

static void
request_header_free (gpointer data)
{
  KgHttpRequestHeader *header = data;

  g_free (header->name);
  g_free (header->value);
  g_free (header);
}

KgHttpRequest *
kg_http_request_new (const char *method,
                     const char *url)
{
  KgHttpRequest *self;

  g_return_val_if_fail (method != NULL, NULL);
  g_return_val_if_fail (url != NULL, NULL);

  self = g_new0 (KgHttpRequest, 1);
  g_ref_count_init (&self->ref_count);
  self->method = g_ascii_strup (method, -1);
  self->url = g_strdup (url);
  self->headers = g_ptr_array_new_with_free_func (request_header_free);
  self->secrets = kg_secrets_new ();
  self->timeout = KG_HTTP_DEFAULT_TIMEOUT;
  self->tls_policy = KG_TLS_POLICY_VERIFY;
  self->max_body = KG_HTTP_DEFAULT_MAX_BODY;
  return self;
}

KgHttpRequest *
kg_http_request_ref (KgHttpRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_ref_count_inc (&self->ref_count);
  return self;
}

void
kg_http_request_unref (KgHttpRequest *self)
{
  g_return_if_fail (self != NULL);

  if (!g_ref_count_dec (&self->ref_count))
    return;

  g_free (self->method);
  g_free (self->url);
  g_ptr_array_unref (self->headers);
  g_free (self->content_type);
  g_clear_pointer (&self->body, g_bytes_unref);
  kg_secrets_unref (self->secrets);
  g_free (self->label);
  g_free (self->step);
  g_free (self->profile_id);
  g_free (self);
}

void
kg_http_request_set_header (KgHttpRequest *self,
                            const char    *name,
                            const char    *value)
{
  KgHttpRequestHeader *header;

  g_return_if_fail (self != NULL);
  g_return_if_fail (name != NULL);

  for (guint i = 0; i < self->headers->len; i++)
    {
      header = g_ptr_array_index (self->headers, i);
      if (g_ascii_strcasecmp (header->name, name) == 0)
        {
          if (value == NULL)
            {
              g_ptr_array_remove_index (self->headers, i);
            }
          else
            {
              g_free (header->value);
              header->value = g_strdup (value);
            }
          return;
        }
    }

  if (value == NULL)
    return;

  header = g_new0 (KgHttpRequestHeader, 1);
  header->name = g_strdup (name);
  header->value = g_strdup (value);
  g_ptr_array_add (self->headers, header);
}

void
kg_http_request_set_json_body (KgHttpRequest *self,
                               JsonNode      *body)
{
  g_autofree char *text = NULL;
  gsize len;

  g_return_if_fail (self != NULL);
  g_return_if_fail (body != NULL);

  text = json_to_string (body, FALSE);
  len = strlen (text);
  kg_http_request_set_body (self, "application/json",
                            g_bytes_new_take (g_steal_pointer (&text), len));
}

void
kg_http_request_set_body (KgHttpRequest *self,
                          const char    *content_type,
                          GBytes        *body)
{
  g_return_if_fail (self != NULL);

  g_free (self->content_type);
  self->content_type = g_strdup (content_type);
  g_clear_pointer (&self->body, g_bytes_unref);
  self->body = body;
}

void
kg_http_request_add_secret (KgHttpRequest *self,
                            KgSecretKind   kind,
                            const char    *value)
{
  g_return_if_fail (self != NULL);
  kg_secrets_add (self->secrets, kind, value);
}

KgSecrets *
kg_http_request_get_secrets (KgHttpRequest *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->secrets;
}

void
kg_http_request_set_timeout (KgHttpRequest *self,
                             guint          seconds)
{
  g_return_if_fail (self != NULL);
  self->timeout = seconds;
}

void
kg_http_request_set_tls_policy (KgHttpRequest *self,
                                KgTlsPolicy    policy)
{
  g_return_if_fail (self != NULL);
  self->tls_policy = policy;
}

void
kg_http_request_set_max_body (KgHttpRequest *self,
                              gsize          max_bytes)
{
  g_return_if_fail (self != NULL);
  self->max_body = max_bytes;
}

void
kg_http_request_set_label (KgHttpRequest *self,
                           const char    *label)
{
  g_return_if_fail (self != NULL);
  g_free (self->label);
  self->label = g_strdup (label);
}

void
kg_http_request_set_step (KgHttpRequest *self,
                          const char    *step)
{
  g_return_if_fail (self != NULL);
  g_free (self->step);
  self->step = g_strdup (step);
}

void
kg_http_request_set_profile_id (KgHttpRequest *self,
                                const char    *profile_id)
{
  g_return_if_fail (self != NULL);
  g_free (self->profile_id);
  self->profile_id = g_strdup (profile_id);
}
