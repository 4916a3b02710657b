/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Connection page and the server: the database list offered while the
 * URL is typed, and Test Connection. */
#define G_LOG_DOMAIN "keygate-app"

#include "config.h"

#include <glib/gi18n.h>

#include "kg-connection-page-private.h"

#define DATABASE_LIST_DELAY_MS 500

/* Database list ---------------------------------------------------------- */

static void
show_database_list (KgConnectionPage *self,
                    GStrv             names)
{
  const char *current = self->draft ? kg_profile_get_database (self->draft) : "";
  guint n_old = g_list_model_get_n_items (G_LIST_MODEL (self->database_list));
  guint n_names = names ? g_strv_length (names) : 0;
  guint selected = n_names;  /* "Other…" */

  self->loading++;
  gtk_string_list_splice (self->database_list, 0, n_old, NULL);
  if (n_names > 0)
    {
      for (guint i = 0; i < n_names; i++)
        {
          gtk_string_list_append (self->database_list, names[i]);
          if (g_strcmp0 (names[i], current) == 0)
            selected = i;
        }
      gtk_string_list_append (self->database_list, _("Other…"));
      adw_combo_row_set_selected (self->database_combo, selected);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->database_combo), n_names > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->database_row), n_names == 0 || selected == n_names);
  self->loading--;

  /* A new connection takes the server's only (or first) database. */
  if (n_names > 0 && current[0] == '\0')
    {
      adw_combo_row_set_selected (self->database_combo, 0);
      gtk_widget_set_visible (GTK_WIDGET (self->database_row), FALSE);
      gtk_editable_set_text (GTK_EDITABLE (self->database_row), names[0]);
    }
}

static void
database_selected_cb (KgConnectionPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->database_list));
  guint selected = adw_combo_row_get_selected (self->database_combo);

  if (self->loading > 0 || self->draft == NULL || n == 0 || selected == GTK_INVALID_LIST_POSITION)
    return;

  if (selected + 1 < n)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->database_row), FALSE);
      gtk_editable_set_text (GTK_EDITABLE (self->database_row),
                             gtk_string_list_get_string (self->database_list, selected));
    }
  else
    {
      gtk_widget_set_visible (GTK_WIDGET (self->database_row), TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->database_row));
    }
}

static void
list_databases_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  KgConnectionPage *self = kg_page_call_end (user_data);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = kg_odoo_rpc_list_databases_finish (KG_ODOO_RPC (source), result, &error);

  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* Listing switched off (or no server there yet): free text. */
  if (error != NULL)
    g_debug ("No database list: %s", error->message);
  show_database_list (self, names);
}

static gboolean
database_timeout_cb (gpointer user_data)
{
  KgConnectionPage *self = user_data;
  g_autoptr(KgOdooRpc) rpc = NULL;
  g_autoptr(KgProfile) probe = NULL;

  self->database_timeout_id = 0;
  if (self->draft == NULL || kg_page_get_context (KG_PAGE (self)) == NULL)
    return G_SOURCE_REMOVE;

  g_free (self->database_list_url);
  self->database_list_url = g_strdup (kg_profile_get_url (self->draft));

  probe = kg_profile_dup (self->draft);
  rpc = kg_odoo_rpc_new (kg_app_context_get_http (kg_page_get_context (KG_PAGE (self))), probe);
  g_cancellable_cancel (self->database_cancellable);
  g_clear_object (&self->database_cancellable);
  self->database_cancellable = g_cancellable_new ();
  kg_odoo_rpc_list_databases_async (rpc, self->database_cancellable, list_databases_cb,
                                    kg_page_call_new (KG_PAGE (self),
                                                      self->database_cancellable));

  return G_SOURCE_REMOVE;
}

void
_kg_connection_page_schedule_database_list (KgConnectionPage *self)
{
  g_clear_handle_id (&self->database_timeout_id, g_source_remove);

  if (self->draft == NULL ||
      !kg_profile_validate_url (kg_profile_get_url (self->draft), NULL))
    {
      g_cancellable_cancel (self->database_cancellable);
      g_clear_pointer (&self->database_list_url, g_free);
      show_database_list (self, NULL);
      return;
    }

  if (g_strcmp0 (self->database_list_url, kg_profile_get_url (self->draft)) == 0)
    return;

  self->database_timeout_id = g_timeout_add (DATABASE_LIST_DELAY_MS, database_timeout_cb, self);
}

/* Test connection -------------------------------------------------------- */

typedef struct
{
  KgConnectionPage *self;
  KgOdooRpc        *rpc;
  GCancellable     *cancellable;
  char             *version;
} TestData;

static void
test_data_free (TestData *data)
{
  g_clear_object (&data->rpc);
  g_clear_object (&data->cancellable);
  g_free (data->version);
  g_free (data);
}

static void
test_finish (KgConnectionPage *self,
             const char       *text,
             gboolean          ok)
{
  gtk_widget_set_visible (self->test_spinner, FALSE);
  gtk_spinner_set_spinning (GTK_SPINNER (self->test_spinner), FALSE);
  gtk_widget_set_sensitive (self->test_button, TRUE);
  adw_action_row_set_subtitle (self->test_row, text);
  if (ok)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->test_row), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->test_row), "success");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->test_row), "success");
      gtk_widget_add_css_class (GTK_WIDGET (self->test_row), "error");
    }
}

static char *
describe_error (const GError *error)
{
  const char *remedy = kg_error_get_remedy (error);

  if (remedy != NULL && remedy[0] != '\0')
    return g_strdup_printf ("%s %s", error->message, remedy);
  return g_strdup (error->message);
}

static void
test_databases_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  TestData *data = user_data;
  KgConnectionPage *self = data->self;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = kg_odoo_rpc_list_databases_finish (data->rpc, result, &error);
  const char *database = kg_profile_get_database (kg_odoo_rpc_get_profile (data->rpc));
  g_autofree char *text = NULL;
  gboolean ok = TRUE;

  /* The page cancels the test before it goes away. */
  if (g_cancellable_is_cancelled (data->cancellable))
    {
      test_data_free (data);
      return;
    }

  if (error != NULL)
    /* Translators: the first %s is a version such as 18.0 */
    text = g_strdup_printf (_("Odoo %s — the server does not list its databases; “%s” is "
                              "checked when you verify the key"),
                            data->version, database);
  else if (g_strv_contains ((const char * const *) names, database))
    text = g_strdup_printf (_("Odoo %s — database found"), data->version);
  else
    {
      g_autofree char *list = g_strjoinv (", ", names);

      ok = FALSE;
      text = g_strdup_printf (_("Odoo %s — no database “%s” on this server (it has: %s)"),
                              data->version, database, list[0] ? list : _("none"));
    }

  test_finish (self, text, ok);
  test_data_free (data);
}

static void
test_version_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  TestData *data = user_data;
  KgConnectionPage *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) version = kg_odoo_rpc_version_finish (data->rpc, result, &error);

  /* The page cancels the test before it goes away. */
  if (g_cancellable_is_cancelled (data->cancellable))
    {
      test_data_free (data);
      return;
    }

  if (version == NULL)
    {
      g_autofree char *text = describe_error (error);

      test_finish (self, text, FALSE);
      test_data_free (data);
      return;
    }

  data->version = g_strdup (json_object_get_string_member_with_default (version,
                                                                         "server_version", "?"));
  kg_odoo_rpc_list_databases_async (data->rpc, data->cancellable, test_databases_cb, data);
}

static void
test_clicked_cb (KgConnectionPage *self)
{
  g_autoptr(KgProfile) probe = NULL;
  TestData *data;

  if (self->draft == NULL || kg_page_get_context (KG_PAGE (self)) == NULL)
    return;

  if (!kg_profile_validate_url (kg_profile_get_url (self->draft), NULL))
    {
      test_finish (self, _("Enter a valid server address first."), FALSE);
      return;
    }

  g_cancellable_cancel (self->test_cancellable);
  g_clear_object (&self->test_cancellable);
  self->test_cancellable = g_cancellable_new ();

  gtk_widget_remove_css_class (GTK_WIDGET (self->test_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->test_row), "success");
  adw_action_row_set_subtitle (self->test_row, _("Asking the server…"));
  gtk_widget_set_visible (self->test_spinner, TRUE);
  gtk_spinner_set_spinning (GTK_SPINNER (self->test_spinner), TRUE);
  gtk_widget_set_sensitive (self->test_button, FALSE);

  probe = kg_profile_dup (self->draft);
  data = g_new0 (TestData, 1);
  data->self = self;
  data->rpc = kg_odoo_rpc_new (kg_app_context_get_http (kg_page_get_context (KG_PAGE (self))), probe);
  data->cancellable = g_object_ref (self->test_cancellable);
  kg_odoo_rpc_version_async (data->rpc, data->cancellable, test_version_cb, data);
}

void
_kg_connection_page_reset_test_row (KgConnectionPage *self)
{
  g_cancellable_cancel (self->test_cancellable);
  gtk_widget_set_visible (self->test_spinner, FALSE);
  gtk_spinner_set_spinning (GTK_SPINNER (self->test_spinner), FALSE);
  gtk_widget_set_sensitive (self->test_button, TRUE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->test_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->test_row), "success");
  adw_action_row_set_subtitle (self->test_row,
                               _("Asks the server for its version and looks for the database"));
}

void
_kg_connection_page_server_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, database_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, test_clicked_cb);
}
