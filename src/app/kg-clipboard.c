/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Secrets on the clipboard, for a while only: the API Key page's Copy and
 * the Token page's Copy share one rule. */
#define G_LOG_DOMAIN "keygate-app"

#include "config.h"

#include "kg-clipboard.h"

#define SECRET_COPY_KEY "kg-clipboard-secret-copy"

/* Kept on the GdkClipboard, which outlives the pages. */
typedef struct
{
  GdkClipboard       *clipboard;   /* unowned: the copy is its data */
  GdkContentProvider *content;     /* what was put there */
  guint               timeout_id;
} SecretCopy;

static void
secret_copy_free (SecretCopy *copy)
{
  g_clear_handle_id (&copy->timeout_id, g_source_remove);
  g_clear_object (&copy->content);
  g_free (copy);
}

static void
take_off_if_ours (SecretCopy *copy)
{
  if (copy->content != NULL && gdk_clipboard_get_content (copy->clipboard) == copy->content)
    gdk_clipboard_set_content (copy->clipboard, NULL);
  g_clear_object (&copy->content);
}

static gboolean
timeout_cb (gpointer user_data)
{
  SecretCopy *copy = user_data;

  copy->timeout_id = 0;
  take_off_if_ours (copy);
  return G_SOURCE_REMOVE;
}

void
kg_clipboard_set_secret (GtkWidget  *widget,
                         const char *secret,
                         guint       delay_seconds)
{
  GdkClipboard *clipboard;
  SecretCopy *copy;
  GValue value = G_VALUE_INIT;

  g_return_if_fail (GTK_IS_WIDGET (widget));
  g_return_if_fail (secret != NULL);

  clipboard = gtk_widget_get_clipboard (widget);
  copy = g_object_get_data (G_OBJECT (clipboard), SECRET_COPY_KEY);
  if (copy == NULL)
    {
      copy = g_new0 (SecretCopy, 1);
      copy->clipboard = clipboard;
      g_object_set_data_full (G_OBJECT (clipboard), SECRET_COPY_KEY, copy,
                              (GDestroyNotify) secret_copy_free);
    }

  g_clear_handle_id (&copy->timeout_id, g_source_remove);
  g_clear_object (&copy->content);
  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, secret);
  copy->content = gdk_content_provider_new_for_value (&value);
  g_value_unset (&value);
  gdk_clipboard_set_content (clipboard, copy->content);
  copy->timeout_id = g_timeout_add_seconds (MAX (delay_seconds, 1), timeout_cb, copy);
}

void
kg_clipboard_clear_secret (GtkWidget *widget)
{
  SecretCopy *copy;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  copy = g_object_get_data (G_OBJECT (gtk_widget_get_clipboard (widget)), SECRET_COPY_KEY);
  if (copy == NULL)
    return;
  g_clear_handle_id (&copy->timeout_id, g_source_remove);
  take_off_if_ours (copy);
}
