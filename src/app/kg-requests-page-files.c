/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Requests page's collection files: Open, the recently used files,
 * Save and Save As (with a question when the file changed on disk since
 * it was read), and a question before unsaved changes are lost, by
 * opening another collection or closing the window. */
#define G_LOG_DOMAIN "keygate-app"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "keygate-core.h"
#include "kg-requests-page-private.h"

#define RECENT_KEY "recent-collections"
#define MAX_RECENT 10

/* Questions ----------------------------------------------------------------- */

typedef struct
{
  GWeakRef       page;
  KgRequestsPageThen       then;
  gpointer       data;
  GDestroyNotify data_free;
} Pending;

static void
pending_free (gpointer user_data)
{
  Pending *pending = user_data;

  g_weak_ref_clear (&pending->page);
  if (pending->data_free != NULL)
    pending->data_free (pending->data);
  g_free (pending);
}

static Pending *
pending_new (KgRequestsPage *self,
             KgRequestsPageThen        then,
             gpointer        data,
             GDestroyNotify  data_free)
{
  Pending *pending = g_new0 (Pending, 1);

  g_weak_ref_init (&pending->page, self);
  pending->then = then;
  pending->data = data;
  pending->data_free = data_free;
  return pending;
}

static GtkWindow *
get_window (KgRequestsPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
discard_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     Pending          *pending)
{
  g_autoptr(KgRequestsPage) self = g_weak_ref_get (&pending->page);

  if (self == NULL || g_strcmp0 (response, "discard") != 0)
    return;
  self->dirty = FALSE;
  pending->then (self, pending->data);
}

/* Runs @then now, or once the user agreed to lose the unsaved changes. */
void
kg_requests_page_confirm_discard (KgRequestsPage     *self,
                                  KgRequestsPageThen  then,
                                  gpointer            data,
                                  GDestroyNotify      data_free)
{
  AdwMessageDialog *dialog;
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;

  if (!self->dirty || self->collection == NULL)
    {
      then (self, data);
      if (data_free != NULL)
        data_free (data);
      return;
    }

  title = kg_requests_page_dup_collection_title (self);
  /* Translators: %s is the name of a request collection */
  body = g_strdup_printf (_("The changes to “%s” are not saved. They are lost if you go on."),
                          title);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (get_window (self),
                                                       _("Discard unsaved changes?"), body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_data (dialog, "response", G_CALLBACK (discard_response_cb),
                         pending_new (self, then, data, data_free),
                         (GClosureNotify) (void (*) (void)) pending_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
show_file_error (KgRequestsPage *self,
                 const char     *heading,
                 const GError   *error)
{
  AdwMessageDialog *dialog;
  g_autofree char *body = kg_text_escape_controls (error->message);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (get_window (self), heading, body));
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Recently used files ------------------------------------------------------- */

static GSettings *
get_settings (KgRequestsPage *self)
{
  KgAppContext *context = kg_page_get_context (KG_PAGE (self));

  return context != NULL ? kg_app_context_get_settings (context) : NULL;
}

static void
rebuild_recent_menu (KgRequestsPage *self)
{
  GSettings *settings = get_settings (self);
  g_auto(GStrv) paths = NULL;

  g_menu_remove_all (self->recent_menu);
  if (settings == NULL)
    return;
  paths = g_settings_get_strv (settings, RECENT_KEY);
  for (guint i = 0; paths[i] != NULL; i++)
    {
      g_autofree char *basename = g_path_get_basename (paths[i]);
      g_autofree char *shown = kg_text_escape_controls (basename);
      g_auto(GStrv) parts = g_strsplit (shown, "_", -1);
      g_autofree char *label = g_strjoinv ("__", parts);   /* not a mnemonic */
      g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

      g_menu_item_set_action_and_target (item, "page.open-recent", "s", paths[i]);
      g_menu_append_item (self->recent_menu, item);
    }
}

static void
remember_file (KgRequestsPage *self,
               GFile          *file)
{
  GSettings *settings = get_settings (self);
  g_autofree char *path = g_file_get_path (file);
  g_auto(GStrv) paths = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) updated = NULL;
  guint n = 1;

  if (settings == NULL || path == NULL)
    return;
  paths = g_settings_get_strv (settings, RECENT_KEY);
  g_strv_builder_add (builder, path);
  for (guint i = 0; paths[i] != NULL && n < MAX_RECENT; i++)
    if (g_strcmp0 (paths[i], path) != 0)
      {
        g_strv_builder_add (builder, paths[i]);
        n++;
      }
  updated = g_strv_builder_end (builder);
  g_settings_set_strv (settings, RECENT_KEY, (const char * const *) updated);
  rebuild_recent_menu (self);
}

/* Opening ------------------------------------------------------------------- */

static void
open_file (KgRequestsPage *self,
           gpointer        data)
{
  GFile *file = data;
  g_autoptr(GError) error = NULL;
  KgCollection *collection = kg_collection_load (file, &error);

  if (collection == NULL)
    {
      show_file_error (self, _("The collection could not be opened"), error);
      return;
    }
  kg_requests_page_set_collection (self, collection, FALSE);
  remember_file (self, file);
}

static void
open_chosen_cb (GtkNativeDialog *native,
                int              response,
                gpointer         user_data)
{
  GWeakRef *ref = user_data;
  g_autoptr(KgRequestsPage) self = g_weak_ref_get (ref);
  g_autoptr(GFile) file = NULL;

  g_weak_ref_clear (ref);
  g_free (ref);
  if (self != NULL && response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
      open_file (self, file);
    }
  gtk_native_dialog_destroy (native);
  g_object_unref (native);
}

static GtkFileFilter *
json_filter (void)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _("Collections (*.json)"));
  gtk_file_filter_add_pattern (filter, "*.json");
  gtk_file_filter_add_mime_type (filter, "application/json");
  return filter;
}

static GWeakRef *
weak_page (KgRequestsPage *self)
{
  GWeakRef *ref = g_new0 (GWeakRef, 1);

  g_weak_ref_init (ref, self);
  return ref;
}

static void
choose_file_to_open (KgRequestsPage *self,
                     gpointer        data)
{
  GtkFileChooserNative *native;
  g_autoptr(GtkFileFilter) filter = json_filter ();

  native = gtk_file_chooser_native_new (_("Open Collection"), get_window (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);
  g_signal_connect (native, "response", G_CALLBACK (open_chosen_cb), weak_page (self));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  kg_requests_page_confirm_discard (KG_REQUESTS_PAGE (widget), choose_file_to_open, NULL, NULL);
}

static void
open_recent_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  GFile *file = g_file_new_for_path (g_variant_get_string (parameter, NULL));

  kg_requests_page_confirm_discard (KG_REQUESTS_PAGE (widget), open_file, file, g_object_unref);
}

/* Saving -------------------------------------------------------------------- */

static void save_to (KgRequestsPage *self,
                     GFile          *file,
                     gboolean        force);

typedef struct
{
  GWeakRef  page;
  GFile    *file;
} SaveConflict;

static void
save_conflict_free (gpointer data)
{
  SaveConflict *conflict = data;

  g_weak_ref_clear (&conflict->page);
  g_clear_object (&conflict->file);
  g_free (conflict);
}

static void
conflict_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      SaveConflict     *conflict)
{
  g_autoptr(KgRequestsPage) self = g_weak_ref_get (&conflict->page);

  if (self == NULL)
    return;
  if (g_strcmp0 (response, "overwrite") == 0)
    save_to (self, conflict->file, TRUE);
  else if (g_strcmp0 (response, "reload") == 0)
    open_file (self, conflict->file);
}

static void
ask_about_conflict (KgRequestsPage *self,
                    GFile          *file,
                    const GError   *error)
{
  AdwMessageDialog *dialog;
  SaveConflict *conflict;
  g_autofree char *message = kg_text_escape_controls (error->message);
  g_autofree char *body =
    /* Translators: %s says which file changed */
    g_strdup_printf (_("%s\n\nReload it and lose your changes, or overwrite it with them?"),
                     message);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (get_window (self),
                                                       _("The file changed on disk"), body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "reload", _("_Reload"),
                                    "overwrite", _("_Overwrite"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "overwrite", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  conflict = g_new0 (SaveConflict, 1);
  g_weak_ref_init (&conflict->page, self);
  conflict->file = g_object_ref (file);
  g_signal_connect_data (dialog, "response", G_CALLBACK (conflict_response_cb), conflict,
                         (GClosureNotify) (void (*) (void)) save_conflict_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
save_to (KgRequestsPage *self,
         GFile          *file,
         gboolean        force)
{
  g_autoptr(GError) error = NULL;

  if (self->collection == NULL)
    return;
  if (kg_collection_get_name (self->collection)[0] == '\0')
    {
      g_autofree char *basename = g_file_get_basename (file);

      if (g_str_has_suffix (basename, ".json"))
        basename[strlen (basename) - strlen (".json")] = '\0';
      kg_collection_set_name (self->collection, basename);
    }
  if (!kg_collection_save (self->collection, file, force, &error))
    {
      if (!force && g_error_matches (error, KG_ERROR, KG_ERROR_STORE))
        ask_about_conflict (self, file, error);
      else
        show_file_error (self, _("The collection could not be saved"), error);
      return;
    }
  kg_requests_page_set_dirty (self, FALSE);
  remember_file (self, file);
  kg_page_toast (KG_PAGE (self), _("Collection saved"));
}

static void
save_chosen_cb (GtkNativeDialog *native,
                int              response,
                gpointer         user_data)
{
  GWeakRef *ref = user_data;
  g_autoptr(KgRequestsPage) self = g_weak_ref_get (ref);
  g_autoptr(GFile) file = NULL;

  g_weak_ref_clear (ref);
  g_free (ref);
  if (self != NULL && response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
      /* The chooser asked before replacing a file. */
      save_to (self, file, TRUE);
    }
  gtk_native_dialog_destroy (native);
  g_object_unref (native);
}

static void
save_as_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  KgRequestsPage *self = KG_REQUESTS_PAGE (widget);
  GtkFileChooserNative *native;
  g_autoptr(GtkFileFilter) filter = json_filter ();
  g_autofree char *title = NULL;
  g_autofree char *name = NULL;

  if (self->collection == NULL)
    return;
  native = gtk_file_chooser_native_new (_("Save Collection"), get_window (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);
  title = kg_requests_page_dup_collection_title (self);
  name = g_str_has_suffix (title, ".json") ? g_strdup (title) : g_strconcat (title, ".json", NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), name);
  g_signal_connect (native, "response", G_CALLBACK (save_chosen_cb), weak_page (self));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  KgRequestsPage *self = KG_REQUESTS_PAGE (widget);
  GFile *file;

  if (self->collection == NULL)
    return;
  file = kg_collection_get_file (self->collection);
  if (file == NULL)
    save_as_action (widget, "page.save-as", NULL);
  else
    save_to (self, file, FALSE);
}

/* Closing ------------------------------------------------------------------- */

static void
close_window (KgRequestsPage *self,
              gpointer        data)
{
  GtkWindow *window = get_window (self);

  if (window != NULL)
    gtk_window_close (window);
}

static gboolean
close_request_cb (GtkWindow      *window,
                  KgRequestsPage *self)
{
  if (!self->dirty || self->collection == NULL)
    return FALSE;
  kg_requests_page_confirm_discard (self, close_window, NULL, NULL);
  return TRUE;
}

static void
root_changed (KgRequestsPage *self)
{
  GtkWindow *window = get_window (self);

  if (self->close_window != NULL && self->close_handler != 0)
    g_signal_handler_disconnect (self->close_window, self->close_handler);
  self->close_handler = 0;
  self->close_window = window;
  if (window != NULL)
    self->close_handler = g_signal_connect (window, "close-request",
                                            G_CALLBACK (close_request_cb), self);
}

/* Setup --------------------------------------------------------------------- */

void
kg_requests_page_files_init (KgRequestsPage *self)
{
  g_signal_connect (self, "notify::root", G_CALLBACK (root_changed), NULL);
}

void
kg_requests_page_files_constructed (KgRequestsPage *self)
{
  rebuild_recent_menu (self);
}

void
kg_requests_page_files_dispose (KgRequestsPage *self)
{
  if (self->close_window != NULL && self->close_handler != 0)
    g_signal_handler_disconnect (self->close_window, self->close_handler);
  self->close_handler = 0;
  self->close_window = NULL;
}

void
kg_requests_page_files_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "page.open-collection", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "page.open-recent", "s", open_recent_action);
  gtk_widget_class_install_action (widget_class, "page.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "page.save-as", NULL, save_as_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "page.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK, "page.save-as", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK,
                                       "page.open-collection", NULL);
}
