/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "keygate-http"

/* A body made fit to keep and show: decoded, parsed when it is JSON, and
 * redacted, in a worker thread (a 5 MiB answer takes more than half a
 * second of CPU). The worker reads only what it owns and the KgSecrets
 * (locked inside); it touches no GObject of the request and emits
 * nothing. */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "kg-http-body.h"
#include "kg-json.h"

static gboolean
is_text_type (const char *content_type)
{
  g_autofree char *lower = NULL;

  if (content_type == NULL)
    return FALSE;
  lower = g_ascii_strdown (content_type, -1);
  return g_str_has_prefix (lower, "text/") || strstr (lower, "json") != NULL ||
         strstr (lower, "xml") != NULL || strstr (lower, "javascript") != NULL ||
         strstr (lower, "x-www-form-urlencoded") != NULL;
}

gboolean
kg_http_is_json_type (const char *content_type)
{
  g_autofree char *lower = NULL;

  if (content_type == NULL)
    return FALSE;
  lower = g_ascii_strdown (content_type, -1);
  return strstr (lower, "json") != NULL;
}

char *
kg_http_body_to_text (KgSecrets    *secrets,
                      const char   *content_type,
                      const guint8 *bytes,
                      gsize         len,
                      JsonNode     *parsed)
{
  gboolean text = is_text_type (content_type);

  if (parsed != NULL)
    {
      g_autoptr(JsonNode) redacted = kg_redact_json (secrets, parsed);
      g_autofree char *json = json_to_string (redacted, FALSE);

      return kg_secrets_redact (secrets, json);
    }

  if (!text && (memchr (bytes, '\0', len) != NULL ||
                !g_utf8_validate ((const char *) bytes, len, NULL)))
    return g_strdup_printf (/* Translators: %lu is a size in bytes, %s a content type */
                            _("[binary body: %lu bytes of %s]"), (gulong) len,
                            content_type ? content_type : _("unknown type"));

  {
    g_autofree char *valid = g_utf8_make_valid ((const char *) bytes, len);

    return kg_redact_body (secrets, content_type, valid);
  }
}

static void
body_work_free (gpointer user_data)
{
  KgHttpBody *work = user_data;

  kg_secrets_unref (work->secrets);
  g_free (work->content_type);
  g_bytes_unref (work->body);
  g_clear_object (&work->cancellable);
  g_clear_pointer (&work->parsed, json_node_unref);
  g_free (work->text);
  g_free (work);
}

static void
body_work_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  KgHttpBody *work = task_data;
  gsize len = 0;
  const guint8 *bytes = g_bytes_get_data (work->body, &len);

  if (bytes == NULL)
    bytes = (const guint8 *) "";

  if (work->parse_json && kg_http_is_json_type (work->content_type) && len > 0)
    {
      /* Too deep, or not JSON: no parsed root; the caller classifies. */
      work->parsed = kg_json_parse ((const char *) bytes, (gssize) len, NULL);
    }

  /* A request that was cancelled or timed out meanwhile needs no text. */
  if (work->cancellable == NULL || !g_cancellable_is_cancelled (work->cancellable))
    work->text = kg_http_body_to_text (work->secrets, work->content_type, bytes, len,
                                       work->parsed);

  g_task_return_boolean (task, TRUE);
}

void
kg_http_body_process_async (KgSecrets           *secrets,
                            GBytes              *body,
                            const char          *content_type,
                            gboolean             parse_json,
                            GCancellable        *request_cancellable,
                            GMainContext        *context,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) work_task = NULL;
  KgHttpBody *work;

  work = g_new0 (KgHttpBody, 1);
  work->secrets = kg_secrets_ref (secrets);
  work->content_type = g_strdup (content_type);
  work->body = g_bytes_ref (body);
  work->parse_json = parse_json;
  work->cancellable = request_cancellable ? g_object_ref (request_cancellable) : NULL;

  /* The callback comes back to @context. */
  g_main_context_push_thread_default (context);
  work_task = g_task_new (NULL, NULL, callback, user_data);
  g_main_context_pop_thread_default (context);
  g_task_set_source_tag (work_task, kg_http_body_process_async);
  g_task_set_name (work_task, "[keygate] redact body");
  g_task_set_task_data (work_task, work, body_work_free);
  g_task_run_in_thread (work_task, body_work_thread);
}

KgHttpBody *
kg_http_body_process_finish (GAsyncResult *result)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kg_http_body_process_async,
                        NULL);

  g_task_propagate_boolean (G_TASK (result), NULL);
  return g_task_get_task_data (G_TASK (result));
}
