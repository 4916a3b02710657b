/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "keygate-exchange"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "kg-error.h"
#include "kg-exchange.h"
#include "kg-redact.h"

/* Bodies longer than this are cut in the JSON form (history lines). */
#define MAX_SERIALISED_BODY (256 * 1024)

struct _KgExchange
{
  GObject     parent_instance;

  char       *id;
  GDateTime  *started;
  char       *method;
  char       *url;
  char       *profile_id;
  char       *label;
  char       *step;

  GPtrArray  *request_headers;
  char       *request_content_type;
  char       *request_body;

  guint       status;
  char       *reason;
  GPtrArray  *response_headers;
  char       *response_content_type;
  char       *response_body;
  gsize       response_size;
  JsonNode   *response_json;

  GPtrArray  *redirects;   /* of char*, redacted URLs followed */

  KgTiming    timing;

  GError     *error;
  char       *outcome;     /* only when rebuilt from JSON with an unknown kind */
  gint64      record_id;

  KgSecrets  *secrets;
};

G_DEFINE_FINAL_TYPE (KgExchange, kg_exchange, G_TYPE_OBJECT)

static void
kg_header_free (gpointer data)
{
  KgHeader *header = data;

  g_free (header->name);
  g_free (header->value);
  g_free (header);
}

static void
kg_exchange_finalize (GObject *object)
{
  KgExchange *self = KG_EXCHANGE (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->started, g_date_time_unref);
  g_clear_pointer (&self->method, g_free);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->profile_id, g_free);
  g_clear_pointer (&self->label, g_free);
  g_clear_pointer (&self->step, g_free);
  g_clear_pointer (&self->request_headers, g_ptr_array_unref);
  g_clear_pointer (&self->request_content_type, g_free);
  g_clear_pointer (&self->request_body, g_free);
  g_clear_pointer (&self->reason, g_free);
  g_clear_pointer (&self->response_headers, g_ptr_array_unref);
  g_clear_pointer (&self->response_content_type, g_free);
  g_clear_pointer (&self->response_body, g_free);
  g_clear_pointer (&self->response_json, json_node_unref);
  g_clear_pointer (&self->redirects, g_ptr_array_unref);
  g_clear_error (&self->error);
  g_clear_pointer (&self->outcome, g_free);
  g_clear_pointer (&self->secrets, kg_secrets_unref);

  G_OBJECT_CLASS (kg_exchange_parent_class)->finalize (object);
}

static void
kg_exchange_class_init (KgExchangeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kg_exchange_finalize;
}

static void
kg_exchange_init (KgExchange *self)
{
  self->id = g_uuid_string_random ();
  self->started = g_date_time_new_now_utc ();
  self->request_headers = g_ptr_array_new_with_free_func (kg_header_free);
  self->response_headers = g_ptr_array_new_with_free_func (kg_header_free);
  self->redirects = g_ptr_array_new_with_free_func (g_free);
  self->timing.dns_us = -1;
  self->timing.connect_us = -1;
  self->timing.tls_us = -1;
  self->timing.request_us = -1;
  self->timing.wait_us = -1;
  self->timing.download_us = -1;
  self->timing.total_us = -1;
}

KgExchange *
kg_exchange_new (const char *method,
                 const char *url)
{
  KgExchange *self;

  g_return_val_if_fail (method != NULL, NULL);
  g_return_val_if_fail (url != NULL, NULL);

  self = g_object_new (KG_TYPE_EXCHANGE, NULL);
  self->method = g_strdup (method);
  self->url = g_strdup (url);
  return self;
}

/* Getters and setters */

const char *
kg_exchange_get_id (KgExchange *self)
{
  g_return_val_if_fail (KG_IS_EXCHANGE (self), NULL);
  return self->id;
}

GDateTime *
kg_exchange_get_started (KgExchange *self)
{
  g_return_val_if_fail (KG_IS_EXCHANGE (self), NULL);
  return self->started;
}

const char *
kg_exchange_get_method (KgExchange *self)
{
  g_return_val_if_fail (KG_IS_EXCHANGE (self), NULL);
  return self->method;
}

const char *
kg_exchange_get_url (KgExchange *self)
{
  g_return_val_if_fail (KG_IS_EXCHANGE (self), NULL);
  return self->url;
}

const char *
kg_exchange_get_profile_id (KgExchange *self)
{
  g_return_val_if_fail (KG_IS_EXCHANGE (self), NULL);
  return self->profile_id;
}

void
kg_exchange_set_profile_id (KgExchange *self,
                            const char *profile_id)
{
  g_return_if_fail (KG_IS_EXCHANGE (self));
  g_free (self->profile_id);
  self->profile_id = g_strdup (profile_id);
}

const char *
kg_exchange_get_label (KgExchange *self)
{
  g_return_val_if_fail (KG_IS_EXCHANGE (self), NULL);
  return self->label;
}

void
kg_exchange_set_label (KgExchange *self,
                       const char *label)
{
  g_return_if_fail (KG_IS_EXCHANGE (self));
  g_free (self->label);
  self->label = g_strdup (label);
}

const char *
kg_exchange_get_step (KgExchange *self)
{
  g_return_val_if_fail (KG_IS_EXCHANGE (self), NULL);
  return self->step;
}

void
kg_exchange_set_step (KgExchange *self,
                      const char *step)
{
  g_return_if_fail (KG_IS_EXCHANGE (self));
  g_free (self->step);
  self->step = g_strdup (step);
}

GPtrArray *
kg_exchange_get_request_headers (KgExchange *self)
{
  g_return_val_if_fail (KG_IS_EXCHANGE (self), NULL);
  return self->request_headers;
}

const char *
kg_exchange_get_request_body (KgExchange *self)
{
  g_return_val_if_fail (KG_IS_EXCHANGE (self), NULL);
  return self->request_body;
}

const char *
kg_exchange_get_request_content_type (KgExchange *self)
{
  g_return_val_if_fail (KG_IS_EXCHANGE (self), NULL);
  return self->request_content_type;
}

guint
kg_exchange_get_status (KgExchange *self)
{
  g_return_val_if_fail (KG_IS_EXCHANGE (self), 0);
  return self->status;
}

const char *
kg_exchange_get_reason (KgExchange *self)
{
  g_return_val_if_fail (KG_IS_EXCHANGE (self), NULL);
  return self->reason;
}

GPtrArray *
kg_exchange_get_response_headers (KgExchange *self)
{
  g_return_val_if_fail (KG_IS_EXCHANGE (self), NULL);
  return self->response_headers;
}

const char *
kg_exchange_get_response_content_type (KgExchange *self)
{
  g_return_val_if_fail (KG_IS_EXCHANGE (self), NULL);
  return self->response_content_type;
}

const char *
kg_exchange_get_response_body (KgExchange *self)
{
  g_return_val_if_fail (KG_IS_EXCHANGE (self), NULL);
  return self->response_body;
}

gsize
kg_exchange_get_response_size (KgExchange *self)
{
  g_return_val_if_fail (KG_IS_EXCHANGE (self), 0);
  return self->response_size;
}

JsonNode *
kg_exchange_get_response_json (KgExchange *self)
{
  g_return_val_if_fail (KG_IS_EXCHANGE (self), NULL);
  return self->response_json;
}

const KgTiming *
kg_exchange_get_timing (KgExchange *self)
{
  g_return_val_if_fail (KG_IS_EXCHANGE (self), NULL);
  return &self->timing;
}

GPtrArray *
kg_exchange_get_redirects (KgExchange *self)
{
  g_return_val_if_fail (KG_IS_EXCHANGE (self), NULL);
  return self->redirects;
}

void
kg_exchange_add_redirect (KgExchange *self,
                          const char *redacted_url)
{
  g_return_if_fail (KG_IS_EXCHANGE (self));
  g_return_if_fail (redacted_url != NULL);
  g_ptr_array_add (self->redirects, g_strdup (redacted_url));
}

void
kg_exchange_set_secrets (KgExchange *self,
                         KgSecrets  *secrets)
{
  g_return_if_fail (KG_IS_EXCHANGE (self));

  if (secrets != NULL)
    kg_secrets_ref (secrets);
  g_clear_pointer (&self->secrets, kg_secrets_unref);
  self->secrets = secrets;
}

const GError *
kg_exchange_get_error (KgExchange *self)
{
  g_return_val_if_fail (KG_IS_EXCHANGE (self), NULL);
  return self->error;
}

/* A copy without the exchange the error may carry: the exchange holding an
 * error that holds the exchange would never be freed. Text is redacted. */
static GError *
copy_error (KgSecrets    *secrets,
            const GError *error)
{
  g_autofree char *message = kg_secrets_redact (secrets, error->message);
  GError *copy = g_error_new_literal (error->domain, error->code, message ? message : "");

  if (error->domain == KG_ERROR)
    {
      g_autofree char *remedy = kg_secrets_redact (secrets, kg_error_get_remedy (error));
      g_autofree char *server_message = kg_secrets_redact (secrets,
                                                           kg_error_get_server_message (error));

      kg_error_set_remedy (copy, remedy);
      kg_error_set_step (copy, kg_error_get_step (error));
      kg_error_set_http_status (copy, kg_error_get_http_status (error));
      kg_error_set_server_message (copy, server_message);
    }

  return copy;
}

void
kg_exchange_set_error (KgExchange   *self,
                       const GError *error)
{
  g_return_if_fail (KG_IS_EXCHANGE (self));

  g_clear_error (&self->error);
  g_clear_pointer (&self->outcome, g_free);
  if (error != NULL)
    self->error = copy_error (self->secrets, error);
}

gint64
kg_exchange_get_record_id (KgExchange *self)
{
  g_return_val_if_fail (KG_IS_EXCHANGE (self), 0);
  return self->record_id;
}

void
kg_exchange_set_record_id (KgExchange *self,
                           gint64      record_id)
{
  g_return_if_fail (KG_IS_EXCHANGE (self));
  self->record_id = record_id;
}

const char *
kg_exchange_get_outcome (KgExchange *self)
{
  g_return_val_if_fail (KG_IS_EXCHANGE (self), NULL);

  if (self->outcome != NULL)
    return self->outcome;
  if (self->error == NULL)
    return "ok";
  return kg_error_kind (self->error);
}

void
kg_exchange_add_request_header (KgExchange *self,
                                const char *name,
                                const char *value)
{
  KgHeader *header;

  g_return_if_fail (KG_IS_EXCHANGE (self));
  g_return_if_fail (name != NULL);

  header = g_new0 (KgHeader, 1);
  header->name = g_strdup (name);
  header->value = g_strdup (value ? value : "");
  g_ptr_array_add (self->request_headers, header);
}

void
kg_exchange_set_request_body (KgExchange *self,
                              const char *content_type,
                              const char *body)
{
  g_return_if_fail (KG_IS_EXCHANGE (self));

  g_free (self->request_content_type);
  self->request_content_type = g_strdup (content_type);
  g_free (self->request_body);
  self->request_body = g_strdup (body);
}

static void
replace_string (char       **field,
                const char  *value)
{
  char *copy = g_strdup (value);

  g_free (*field);
  *field = copy;
}

void
kg_exchange_set_response (KgExchange *self,
                          guint       status,
                          const char *reason,
                          const char *content_type,
                          const char *redacted_body,
                          gsize       size,
                          JsonNode   *raw_json)
{
  g_return_if_fail (KG_IS_EXCHANGE (self));

  /* Copy before freeing: callers may pass the exchange's own strings
   * (kg-token-client re-sets the response after redacting the token). */
  self->status = status;
  replace_string (&self->reason, reason);
  replace_string (&self->response_content_type, content_type);
  replace_string (&self->response_body, redacted_body);
  self->response_size = size;
  if (raw_json != NULL)
    json_node_ref (raw_json);
  g_clear_pointer (&self->response_json, json_node_unref);
  self->response_json = raw_json;
}

void
kg_exchange_add_response_header (KgExchange *self,
                                 const char *name,
                                 const char *value)
{
  KgHeader *header;

  g_return_if_fail (KG_IS_EXCHANGE (self));
  g_return_if_fail (name != NULL);

  header = g_new0 (KgHeader, 1);
  header->name = g_strdup (name);
  header->value = g_strdup (value ? value : "");
  g_ptr_array_add (self->response_headers, header);
}

void
kg_exchange_set_timing (KgExchange     *self,
                        const KgTiming *timing)
{
  g_return_if_fail (KG_IS_EXCHANGE (self));
  g_return_if_fail (timing != NULL);
  self->timing = *timing;
}

/* JSON */

static void
set_string_or_null (JsonObject *object,
                    const char *member,
                    const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, member, value);
  else
    json_object_set_null_member (object, member);
}

static JsonArray *
headers_to_json (GPtrArray *headers)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < headers->len; i++)
    {
      KgHeader *header = g_ptr_array_index (headers, i);
      JsonArray *pair = json_array_new ();

      json_array_add_string_element (pair, header->name);
      json_array_add_string_element (pair, header->value);
      json_array_add_array_element (array, pair);
    }

  return array;
}

static void
set_body_member (JsonObject *object,
                 const char *body)
{
  gsize len;

  if (body == NULL)
    {
      json_object_set_null_member (object, "body");
      return;
    }

  len = strlen (body);
  if (len > MAX_SERIALISED_BODY)
    {
      const char *end = body + MAX_SERIALISED_BODY;
      g_autofree char *cut = NULL;

      /* Cut on a character boundary. */
      while (end > body && (*end & 0xC0) == 0x80)
        end--;
      cut = g_strndup (body, end - body);
      json_object_set_string_member (object, "body", cut);
      json_object_set_boolean_member (object, "body_truncated", TRUE);
    }
  else
    {
      json_object_set_string_member (object, "body", body);
    }
}

JsonObject *
kg_exchange_to_json (KgExchange *self)
{
  JsonObject *object;
  JsonObject *request;
  JsonObject *response;
  JsonObject *timing;
  JsonArray *redirects;
  g_autofree char *started = NULL;

  g_return_val_if_fail (KG_IS_EXCHANGE (self), NULL);

  object = json_object_new ();
  started = g_date_time_format_iso8601 (self->started);

  json_object_set_string_member (object, "id", self->id);
  json_object_set_string_member (object, "started", started);
  json_object_set_string_member (object, "method", self->method);
  json_object_set_string_member (object, "url", self->url);
  set_string_or_null (object, "profile_id", self->profile_id);
  set_string_or_null (object, "label", self->label);
  set_string_or_null (object, "step", self->step);

  request = json_object_new ();
  json_object_set_array_member (request, "headers", headers_to_json (self->request_headers));
  set_string_or_null (request, "content_type", self->request_content_type);
  set_body_member (request, self->request_body);
  json_object_set_object_member (object, "request", request);

  redirects = json_array_new ();
  for (guint i = 0; i < self->redirects->len; i++)
    json_array_add_string_element (redirects, g_ptr_array_index (self->redirects, i));
  json_object_set_array_member (object, "redirects", redirects);

  response = json_object_new ();
  json_object_set_int_member (response, "status", self->status);
  set_string_or_null (response, "reason", self->reason);
  json_object_set_array_member (response, "headers", headers_to_json (self->response_headers));
  set_string_or_null (response, "content_type", self->response_content_type);
  set_body_member (response, self->response_body);
  json_object_set_int_member (response, "size", self->response_size);
  json_object_set_object_member (object, "response", response);

  timing = json_object_new ();
  json_object_set_int_member (timing, "dns_us", self->timing.dns_us);
  json_object_set_int_member (timing, "connect_us", self->timing.connect_us);
  json_object_set_int_member (timing, "tls_us", self->timing.tls_us);
  json_object_set_int_member (timing, "request_us", self->timing.request_us);
  json_object_set_int_member (timing, "wait_us", self->timing.wait_us);
  json_object_set_int_member (timing, "download_us", self->timing.download_us);
  json_object_set_int_member (timing, "total_us", self->timing.total_us);
  json_object_set_object_member (object, "timing", timing);

  json_object_set_string_member (object, "outcome", kg_exchange_get_outcome (self));
  if (self->error != NULL)
    {
      JsonObject *error = json_object_new ();

      json_object_set_string_member (error, "kind", kg_exchange_get_outcome (self));
      json_object_set_string_member (error, "message", self->error->message);
      set_string_or_null (error, "remedy", kg_error_get_remedy (self->error));
      set_string_or_null (error, "step", kg_error_get_step (self->error));
      json_object_set_int_member (error, "http_status", kg_error_get_http_status (self->error));
      if (kg_error_get_server_message (self->error) != NULL)
        json_object_set_string_member (error, "server_message",
                                       kg_error_get_server_message (self->error));
      json_object_set_object_member (object, "error", error);
    }
  else
    {
      json_object_set_null_member (object, "error");
    }

  if (self->record_id != 0)
    json_object_set_int_member (object, "record_id", self->record_id);
  else
    json_object_set_null_member (object, "record_id");

  return object;
}

static const char *
get_string (JsonObject *object,
            const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gint64
get_int (JsonObject *object,
         const char *member,
         gint64      fallback)
{
  JsonNode *node;

  if (object == NULL)
    return fallback;
  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return (gint64) json_node_get_double (node);
  return fallback;
}

static JsonObject *
get_object (JsonObject *object,
            const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

static JsonArray *
get_array (JsonObject *object,
           const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  return json_node_get_array (node);
}

static void
headers_from_json (JsonArray *array,
                   GPtrArray *headers)
{
  if (array == NULL)
    return;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonArray *pair;
      KgHeader *header;

      if (!JSON_NODE_HOLDS_ARRAY (node))
        continue;
      pair = json_node_get_array (node);
      if (json_array_get_length (pair) != 2 ||
          json_node_get_value_type (json_array_get_element (pair, 0)) != G_TYPE_STRING ||
          json_node_get_value_type (json_array_get_element (pair, 1)) != G_TYPE_STRING)
        continue;

      header = g_new0 (KgHeader, 1);
      header->name = g_strdup (json_array_get_string_element (pair, 0));
      header->value = g_strdup (json_array_get_string_element (pair, 1));
      g_ptr_array_add (headers, header);
    }
}

KgExchange *
kg_exchange_new_from_json (JsonObject  *object,
                           GError     **error)
{
  g_autoptr(KgExchange) self = NULL;
  const char *id;
  const char *started;
  const char *method;
  const char *url;
  JsonObject *request;
  JsonObject *response;
  JsonObject *timing;
  JsonObject *err;
  JsonArray *redirects;

  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  id = get_string (object, "id");
  started = get_string (object, "started");
  method = get_string (object, "method");
  url = get_string (object, "url");

  if (id == NULL || method == NULL || url == NULL)
    {
      g_set_error (error, KG_ERROR, KG_ERROR_STORE,
                   _("A history entry lacks its id, method or URL"));
      return NULL;
    }

  self = kg_exchange_new (method, url);
  g_free (self->id);
  self->id = g_strdup (id);

  if (started != NULL)
    {
      g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 (started, NULL);

      if (when != NULL)
        {
          g_date_time_unref (self->started);
          self->started = g_steal_pointer (&when);
        }
    }

  self->profile_id = g_strdup (get_string (object, "profile_id"));
  self->label = g_strdup (get_string (object, "label"));
  self->step = g_strdup (get_string (object, "step"));

  request = get_object (object, "request");
  headers_from_json (get_array (request, "headers"), self->request_headers);
  self->request_content_type = g_strdup (get_string (request, "content_type"));
  self->request_body = g_strdup (get_string (request, "body"));

  redirects = get_array (object, "redirects");
  for (guint i = 0; redirects != NULL && i < json_array_get_length (redirects); i++)
    {
      JsonNode *node = json_array_get_element (redirects, i);

      if (json_node_get_value_type (node) == G_TYPE_STRING)
        g_ptr_array_add (self->redirects, g_strdup (json_node_get_string (node)));
    }

  response = get_object (object, "response");
  self->status = (guint) CLAMP (get_int (response, "status", 0), 0, 999);
  self->reason = g_strdup (get_string (response, "reason"));
  headers_from_json (get_array (response, "headers"), self->response_headers);
  self->response_content_type = g_strdup (get_string (response, "content_type"));
  self->response_body = g_strdup (get_string (response, "body"));
  self->response_size = (gsize) MAX (get_int (response, "size", 0), 0);

  timing = get_object (object, "timing");
  self->timing.dns_us = get_int (timing, "dns_us", -1);
  self->timing.connect_us = get_int (timing, "connect_us", -1);
  self->timing.tls_us = get_int (timing, "tls_us", -1);
  self->timing.request_us = get_int (timing, "request_us", -1);
  self->timing.wait_us = get_int (timing, "wait_us", -1);
  self->timing.download_us = get_int (timing, "download_us", -1);
  self->timing.total_us = get_int (timing, "total_us", -1);

  err = get_object (object, "error");
  if (err != NULL)
    {
      const char *kind = get_string (err, "kind");
      const char *message = get_string (err, "message");
      KgErrorCode code;

      if (message == NULL)
        message = "";

      if (kind != NULL && kg_error_code_from_nick (kind, &code))
        {
          self->error = g_error_new_literal (KG_ERROR, code, message);
          kg_error_set_remedy (self->error, get_string (err, "remedy"));
          kg_error_set_step (self->error, get_string (err, "step"));
          kg_error_set_http_status (self->error, (guint) CLAMP (get_int (err, "http_status", 0),
                                                                 0, 999));
          kg_error_set_server_message (self->error, get_string (err, "server_message"));
        }
      else if (g_strcmp0 (kind, "cancelled") == 0)
        {
          self->error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, message);
        }
      else
        {
          self->error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, message);
          self->outcome = g_strdup (kind ? kind : "internal");
        }
    }

  self->record_id = get_int (object, "record_id", 0);

  return g_steal_pointer (&self);
}

KgExchange *
kg_exchange_new_summary (const char *id,
                         gint64      started_us,
                         const char *method,
                         const char *url,
                         const char *profile_id,
                         const char *label,
                         guint       status,
                         const char *outcome,
                         gint64      total_us)
{
  KgExchange *self;
  KgErrorCode code;

  g_return_val_if_fail (id != NULL, NULL);

  self = kg_exchange_new (method, url);
  g_free (self->id);
  self->id = g_strdup (id);
  if (started_us != G_MININT64)
    {
      g_autoptr(GDateTime) seconds = g_date_time_new_from_unix_utc (started_us / G_USEC_PER_SEC);

      if (seconds != NULL)
        {
          g_date_time_unref (self->started);
          self->started = g_date_time_add (seconds, started_us % G_USEC_PER_SEC);
        }
    }
  self->profile_id = g_strdup (profile_id);
  self->label = g_strdup (label);
  self->status = status;
  self->timing.total_us = total_us;

  if (outcome == NULL || g_strcmp0 (outcome, "ok") == 0)
    ;
  else if (kg_error_code_from_nick (outcome, &code))
    self->error = g_error_new_literal (KG_ERROR, code, "");
  else if (g_strcmp0 (outcome, "cancelled") == 0)
    self->error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "");
  else
    {
      self->error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "");
      self->outcome = g_strdup (outcome);
    }

  return self;
}

const char *
kg_exchange_find_response_header (KgExchange *self,
                                  const char *name)
{
  GPtrArray *headers;

  g_return_val_if_fail (KG_IS_EXCHANGE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  headers = kg_exchange_get_response_headers (self);
  for (guint i = 0; headers != NULL && i < headers->len; i++)
    {
      KgHeader *header = g_ptr_array_index (headers, i);

      if (g_ascii_strcasecmp (header->name, name) == 0)
        return header->value;
    }
  return NULL;
}

char *
kg_exchange_redact_text (KgExchange *self,
                         const char *text)
{
  g_return_val_if_fail (KG_IS_EXCHANGE (self), NULL);

  if (text == NULL)
    return NULL;
  return self->secrets != NULL ? kg_secrets_redact (self->secrets, text) : g_strdup (text);
}
