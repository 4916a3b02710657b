/* SPDX-License-Identifier: GPL-3.0-or-later */
/* KgRequestsPage in a real window against the demo server and the real
 * keyring: a model call (project.project search_read) sent with the real
 * Send action shows the server's answer in the response view, on screen
 * at 900×640 and at 360 px wide; a create shows the new record's id and
 * "Open in Odoo"; JSON that does not parse in args keeps Send
 * insensitive and says where it breaks; an HTTP route with token auth on
 * a token connection goes through the token client, and no secret is
 * ever on screen. A pasted curl command is imported without its key;
 * unsaved edits and files changed on disk are never lost unasked. */
#include "config.h"

#include <adwaita.h>
#include <gtksourceview/gtksource.h>
#include <string.h>

#include "kg-json-editor.h"
#include "kg-request-editor.h"
#include "kg-request-row.h"
#include "kg-requests-page.h"
#include "kg-response-view.h"
#include "kg-test-utils.h"
#include "kg-ui-test-utils.h"

typedef struct
{
  KgAppContext   *context;
  GtkWidget      *window;
  KgRequestsPage *page;
  guint           errors_reported;
} Fixture;

static GtkWidget *
child (Fixture    *f,
       const char *name)
{
  return kg_ui_test_template_child (f->page, KG_TYPE_REQUESTS_PAGE, name);
}

static GtkWidget *
editor_child (Fixture    *f,
              const char *name)
{
  return kg_ui_test_template_child (child (f, "editor"), KG_TYPE_REQUEST_EDITOR, name);
}

static GtkWidget *
view_child (Fixture    *f,
            const char *name)
{
  return kg_ui_test_template_child (child (f, "response_view"), KG_TYPE_RESPONSE_VIEW, name);
}

static KgResponseView *
response_view (Fixture *f)
{
  return KG_RESPONSE_VIEW (child (f, "response_view"));
}

static gboolean
is_idle (gpointer data)
{
  return !kg_page_get_busy (KG_PAGE (data));
}

static void
error_reported_cb (KgAppContext *context,
                   KgProfile    *profile,
                   GError       *error,
                   Fixture      *f)
{
  f->errors_reported++;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *store_path = g_build_filename (kg_test_get_tmpdir (), "profiles.json", NULL);
  g_autoptr(GFile) store_file = g_file_new_for_path (store_path);
  g_autoptr(KgProfileStore) store = kg_profile_store_new (store_file);
  g_autoptr(KgHistory) history = kg_history_new (NULL);
  g_autoptr(KgHttp) http = kg_http_new ();

  f->context = kg_app_context_new (store, http, history, NULL);
  g_signal_connect (f->context, "error-reported", G_CALLBACK (error_reported_cb), f);

  f->page = KG_REQUESTS_PAGE (kg_requests_page_new (f->context));
  f->window = kg_ui_test_present (GTK_WIDGET (f->page), 900, 640);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  kg_ui_test_destroy_window (f->window, f->page);
  g_signal_handlers_disconnect_by_data (f->context, f);
  g_assert_finalize_object (f->context);
}

static KgProfile *
profile_with_key (const char *login,
                  const char *key)
{
  KgProfile *profile = kg_test_demo_profile (login);
  g_autoptr(GError) error = NULL;

  kg_keyring_store_sync (profile, key, NULL, &error);
  g_assert_no_error (error);
  return profile;
}

static void
make_token_profile (KgProfile *profile)
{
  g_autoptr(KgTokenSpec) spec = kg_token_spec_new ();

  kg_profile_set_protocol (profile, KG_PROTOCOL_TOKEN);
  kg_profile_set_token_spec (profile, spec);
}

static void
set_request (Fixture    *f,
             const char *json)
{
  g_autoptr(JsonNode) node = kg_json_parse (json, -1, NULL);

  g_assert_nonnull (node);
  kg_request_editor_set_request (KG_REQUEST_EDITOR (child (f, "editor")),
                                 json_node_get_object (node));
}

static gboolean
send_is_sensitive (Fixture *f)
{
  return gtk_widget_is_sensitive (child (f, "send_button"));
}

/* Presses the real Send button and waits for the answer. */
static void
send_and_wait (Fixture *f)
{
  kg_ui_test_click (child (f, "send_button"));
  g_assert_true (kg_page_get_busy (KG_PAGE (f->page)));
  g_assert_true (gtk_widget_get_visible (child (f, "cancel_button")));
  g_assert_false (send_is_sensitive (f));
  kg_ui_test_wait_for (is_idle, f->page, "the request");
  g_assert_false (gtk_widget_get_visible (child (f, "cancel_button")));
}

static gboolean
body_loaded (gpointer data)
{
  return !kg_response_view_get_loading (data);
}

static char *
dup_body (Fixture *f)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view_child (f, "body_view")));
  GtkTextIter start, end;

  kg_ui_test_wait_for (body_loaded, response_view (f), "the body to be shown");
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static gboolean
is_narrow (gpointer data)
{
  int width = gtk_widget_get_width (GTK_WIDGET (data));

  return width > 0 && width <= 400;
}

static void
test_model_call (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(KgProfile) profile = profile_with_key ("alice", KG_DEMO_ALICE_KEY);
  g_autofree char *body = NULL;
  KgExchange *exchange;

  g_assert_false (send_is_sensitive (f));   /* no connection yet */
  kg_page_set_profile (KG_PAGE (f->page), profile);
  set_request (f, "{\"name\": \"projects\", \"call\": {\"model\": \"project.project\", "
                  "\"method\": \"search_read\", \"args\": [[]], "
                  "\"kwargs\": {\"fields\": [\"name\"]}}}");
  g_assert_true (send_is_sensitive (f));
  send_and_wait (f);

  exchange = kg_response_view_get_exchange (response_view (f));
  g_assert_nonnull (exchange);
  g_assert_cmpuint (kg_exchange_get_status (exchange), ==, 200);
  g_assert_nonnull (strstr (kg_exchange_get_request_body (exchange), "search_read"));
  body = dup_body (f);
  g_assert_nonnull (strstr (body, "\"Internal\""));   /* the seeded project */
  g_assert_false (gtk_widget_get_visible (view_child (f, "error_box")));
  g_assert_cmpuint (f->errors_reported, ==, 0);
  kg_ui_test_assert_tree_lacks (f->window, KG_DEMO_ALICE_KEY);

  /* The answer is on screen, with the Send button, at 900×640… */
  kg_ui_test_assert_on_screen (f->window, view_child (f, "body_view"), 60);
  kg_ui_test_assert_on_screen (f->window, child (f, "send_button"), 20);
  kg_ui_test_save_screenshot (f->window, "requests-page");

  /* … and on a phone. Without a window manager a mapped window keeps its
   * size: map it anew. */
  gtk_widget_set_visible (f->window, FALSE);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 640);
  gtk_window_present (GTK_WINDOW (f->window));
  kg_ui_test_wait_for (is_narrow, f->window, "the window to become narrow");
  kg_ui_test_assert_on_screen (f->window, view_child (f, "body_view"), 60);
  kg_ui_test_assert_on_screen (f->window, child (f, "send_button"), 20);
  kg_ui_test_save_screenshot (f->window, "requests-page-narrow");

  /* Ctrl+Return's action sends again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "page.send", NULL));
  g_assert_true (kg_page_get_busy (KG_PAGE (f->page)));
  kg_ui_test_wait_for (is_idle, f->page, "the second request");
  g_assert_nonnull (kg_response_view_get_exchange (response_view (f)));
}

static void
test_create_shows_record (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(KgProfile) profile = profile_with_key ("alice", KG_DEMO_ALICE_KEY);
  g_autofree char *id_text = NULL;
  gint64 id;

  kg_page_set_profile (KG_PAGE (f->page), profile);
  set_request (f, "{\"name\": \"new\", \"call\": {\"model\": \"res.partner\", "
                  "\"method\": \"create\", \"args\": [{\"name\": \"Requests page\"}]}}");
  send_and_wait (f);

  id = kg_response_view_get_record_id (response_view (f));
  g_assert_cmpint (id, >, 0);
  id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (view_child (f, "record_id_label"))), ==,
                   id_text);
  g_assert_true (gtk_widget_get_visible (view_child (f, "open_button")));
  g_assert_true (gtk_widget_get_sensitive (view_child (f, "open_button")));
}

static void
test_invalid_args (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(KgProfile) profile = kg_test_demo_profile ("alice");
  GtkWidget *args = editor_child (f, "args_editor");
  GtkTextBuffer *buffer =
    gtk_text_view_get_buffer (GTK_TEXT_VIEW (kg_json_editor_get_view (KG_JSON_EDITOR (args))));
  GtkWidget *message = kg_ui_test_template_child (args, KG_TYPE_JSON_EDITOR, "message_label");
  GtkWidget *hint = child (f, "hint_label");

  kg_page_set_profile (KG_PAGE (f->page), profile);
  g_assert_true (send_is_sensitive (f));

  /* Typed into the real editor: not JSON on line 2. */
  gtk_text_buffer_set_text (buffer, "[\n  [1, ]\n]", -1);
  g_assert_false (send_is_sensitive (f));
  g_assert_true (gtk_widget_get_visible (message));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (message)), ==,
                   "Line 2, column 5: a comma has nothing after it: remove it or add a value");
  g_assert_true (gtk_widget_get_visible (hint));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (hint)), "args"));
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (f->page), "page.send", NULL) &&
                  kg_page_get_busy (KG_PAGE (f->page)));
  kg_ui_test_save_screenshot (f->window, "requests-page-invalid");

  /* JSON, but not an array. */
  gtk_text_buffer_set_text (buffer, "{\"a\": 1}", -1);
  g_assert_false (send_is_sensitive (f));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (message)), "JSON array"));

  /* Fixed: the message goes, Send comes back. */
  gtk_text_buffer_set_text (buffer, "[[]]", -1);
  g_assert_false (gtk_widget_get_visible (message));
  g_assert_false (gtk_widget_get_visible (hint));
  g_assert_true (send_is_sensitive (f));

  /* No model: Send off, and the hint says why. */
  gtk_editable_set_text (GTK_EDITABLE (editor_child (f, "model_entry")), " ");
  g_assert_false (send_is_sensitive (f));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (hint)), "model"));
}

static void
test_route_token (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(KgProfile) profile = profile_with_key ("alice", KG_DEMO_ALICE_KEY);
  g_autofree char *body = NULL;
  KgTokenClient *client;
  KgExchange *exchange;

  make_token_profile (profile);
  kg_page_set_profile (KG_PAGE (f->page), profile);
  set_request (f, "{\"name\": \"list\", \"http\": {\"method\": \"GET\", "
                  "\"path\": \"/api/projects\", \"auth\": \"token\"}}");
  /* The editor shows the route as loaded. */
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (editor_child (f, "auth_dropdown"))),
                    ==, 2);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (editor_child (f, "path_entry"))), ==,
                   "/api/projects");
  send_and_wait (f);

  exchange = kg_response_view_get_exchange (response_view (f));
  g_assert_nonnull (exchange);
  g_assert_cmpuint (kg_exchange_get_status (exchange), ==, 200);
  g_assert_nonnull (strstr (kg_exchange_get_url (exchange), "/api/projects"));
  body = dup_body (f);
  g_assert_nonnull (strstr (body, "Internal"));
  g_assert_cmpuint (f->errors_reported, ==, 0);

  /* Through the context's token client, whose token is nowhere on screen. */
  client = kg_app_context_get_token_client (f->context, profile);
  g_assert_true (kg_token_client_has_token (client));
  kg_ui_test_assert_tree_lacks (f->window, kg_token_client_peek_token (client));
  kg_ui_test_assert_tree_lacks (f->window, KG_DEMO_ALICE_KEY);

  /* Without auth the route is refused by the server, and that is shown. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (editor_child (f, "auth_dropdown")), 0);
  send_and_wait (f);
  g_assert_true (gtk_widget_get_visible (view_child (f, "error_box")));
  g_assert_cmpuint (f->errors_reported, ==, 1);
}

static gboolean
completion_filled (gpointer data)
{
  GtkEntryCompletion *completion = gtk_entry_get_completion (GTK_ENTRY (data));

  return gtk_tree_model_iter_n_children (gtk_entry_completion_get_model (completion), NULL) > 0;
}

/* Focusing the model entry loads the server's model names once, in the
 * background, for completion. */
static void
test_model_completion (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(KgProfile) profile = profile_with_key ("alice", KG_DEMO_ALICE_KEY);
  GtkWidget *entry = editor_child (f, "model_entry");
  GtkTreeModel *model;
  GtkTreeIter iter;
  gboolean found = FALSE;

  kg_page_set_profile (KG_PAGE (f->page), profile);
  g_assert_false (kg_page_get_busy (KG_PAGE (f->page)));
  gtk_widget_grab_focus (entry);
  kg_ui_test_wait_for (completion_filled, entry, "the model names");
  g_assert_false (kg_page_get_busy (KG_PAGE (f->page)));

  model = gtk_entry_completion_get_model (gtk_entry_get_completion (GTK_ENTRY (entry)));
  for (gboolean ok = gtk_tree_model_get_iter_first (model, &iter); ok && !found;
       ok = gtk_tree_model_iter_next (model, &iter))
    {
      g_autofree char *name = NULL;

      gtk_tree_model_get (model, &iter, 0, &name, -1);
      found = g_strcmp0 (name, "res.partner") == 0;
    }
  g_assert_true (found);
}

static gboolean
fields_known (gpointer data)
{
  return g_strcmp0 (kg_request_editor_get_fields_model (data), "project.project") == 0;
}

/* A mapped popover under @widget whose text holds @needle, or NULL. */
static GtkWidget *
find_popover_showing (GtkWidget  *widget,
                      const char *needle)
{
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found;

      if (GTK_IS_POPOVER (c) && gtk_widget_get_mapped (c))
        {
          g_autofree char *text = kg_ui_test_dup_tree_text (c);

          if (strstr (text, needle) != NULL)
            return c;
        }
      if ((found = find_popover_showing (c, needle)) != NULL)
        return found;
    }
  return NULL;
}

/* The demo's project.project has "name", labelled "Name". */
static gboolean
offers_name_field (gpointer data)
{
  return find_popover_showing (data, "Name") != NULL;
}

/* In args, the model's fields are offered as you type, read once from the
 * server's fields_get; another model or connection drops them. */
static void
test_field_completion (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(KgProfile) profile = profile_with_key ("alice", KG_DEMO_ALICE_KEY);
  g_autoptr(KgProfile) bob = profile_with_key ("bob", KG_DEMO_BOB_KEY);
  KgRequestEditor *editor = KG_REQUEST_EDITOR (child (f, "editor"));
  GtkWidget *args = kg_json_editor_get_view (KG_JSON_EDITOR (editor_child (f, "args_editor")));
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (args));
  g_autofree char *text = NULL;
  guint before;
  GtkTextIter end;

  kg_page_set_profile (KG_PAGE (f->page), profile);
  set_request (f, "{\"name\": \"new project\", \"call\": {\"model\": \"project.project\", "
                  "\"method\": \"create\"}}");
  g_assert_null (kg_request_editor_get_fields_model (editor));

  gtk_widget_grab_focus (args);
  kg_ui_test_wait_for (fields_known, editor, "the fields of project.project");

  /* Typing part of a name opens the list with the field and its label. */
  gtk_text_buffer_set_text (buffer, "[[{\"na", -1);
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_place_cursor (buffer, &end);
  gtk_source_completion_show (gtk_source_view_get_completion (GTK_SOURCE_VIEW (args)));
  kg_ui_test_wait_for (offers_name_field, args, "the completion list");
  text = kg_ui_test_dup_tree_text (find_popover_showing (args, "Name"));
  g_assert_nonnull (strstr (text, "name"));
  /* Neither "company_id" nor "Project Manager" starts a word with "na". */
  g_assert_null (strstr (text, "company_id"));
  g_assert_null (strstr (text, "user_id"));
  kg_ui_test_save_screenshot (find_popover_showing (args, "Name"),
                              "requests-page-field-completion");

  /* Asked once: focusing again sends nothing. */
  before = kg_demo_server_get_request_count (kg_test_get_demo_server ());
  gtk_widget_grab_focus (editor_child (f, "name_entry"));
  gtk_widget_grab_focus (args);
  kg_ui_test_run_for (100);
  g_assert_cmpuint (kg_demo_server_get_request_count (kg_test_get_demo_server ()), ==, before);

  /* Another model: not its fields. */
  gtk_editable_set_text (GTK_EDITABLE (editor_child (f, "model_entry")), "res.partner");
  g_assert_null (kg_request_editor_get_fields_model (editor));

  /* Back, then another connection: dropped too. */
  gtk_editable_set_text (GTK_EDITABLE (editor_child (f, "model_entry")), "project.project");
  gtk_widget_grab_focus (editor_child (f, "name_entry"));
  gtk_widget_grab_focus (args);
  kg_ui_test_wait_for (fields_known, editor, "the cached fields");
  kg_page_set_profile (KG_PAGE (f->page), bob);
  g_assert_null (kg_request_editor_get_fields_model (editor));
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(KgProfile) profile = kg_test_demo_profile ("alice");
  guint before = kg_demo_server_get_request_count (kg_test_get_demo_server ());

  kg_page_set_profile (KG_PAGE (f->page), profile);
  set_request (f, "{\"name\": \"slow\", \"http\": {\"method\": \"GET\", "
                  "\"path\": \"/hostile/slow\"}}");
  kg_ui_test_click (child (f, "send_button"));
  g_assert_true (kg_page_get_busy (KG_PAGE (f->page)));
  /* Wait until the request reached the server, then cancel. */
  while (kg_demo_server_get_request_count (kg_test_get_demo_server ()) == before &&
         kg_page_get_busy (KG_PAGE (f->page)))
    g_main_context_iteration (NULL, FALSE) || (g_usleep (1000), TRUE);
  kg_ui_test_click (child (f, "cancel_button"));

  g_assert_false (kg_page_get_busy (KG_PAGE (f->page)));
  g_assert_true (send_is_sensitive (f));
  g_assert_false (gtk_widget_get_visible (child (f, "cancel_button")));
  g_assert_null (kg_response_view_get_exchange (response_view (f)));
  g_assert_false (gtk_widget_get_visible (view_child (f, "error_box")));
  g_assert_cmpuint (f->errors_reported, ==, 0);
}

/* The KgRequestRows the list shows, in order. */
static GPtrArray *
list_rows (Fixture *f)
{
  kg_ui_test_wait_frames (f->window, 2);
  return kg_ui_test_find_all (child (f, "request_list"), KG_TYPE_REQUEST_ROW);
}

static GtkSingleSelection *
selection (Fixture *f)
{
  return GTK_SINGLE_SELECTION (gtk_list_view_get_model (GTK_LIST_VIEW (child (f,
                                                                             "request_list"))));
}

static const char *
title (Fixture *f)
{
  return gtk_label_get_label (GTK_LABEL (child (f, "title_label")));
}

#define COLLECTION_JSON \
  "{\n" \
  "  \"keygate_collection\": 1,\n" \
  "  \"name\": \"Smoke test\",\n" \
  "  \"requests\": [\n" \
  "    { \"name\": \"list projects\",\n" \
  "      \"call\": { \"model\": \"project.project\", \"method\": \"search_read\",\n" \
  "                \"args\": [[]], \"kwargs\": { \"fields\": [\"name\"] } } },\n" \
  "    { \"name\": \"count partners\",\n" \
  "      \"call\": { \"model\": \"res.partner\", \"method\": \"search_count\",\n" \
  "                \"args\": [[]] } },\n" \
  "    { \"name\": \"a model that is not there\",\n" \
  "      \"call\": { \"model\": \"no.such.model\", \"method\": \"search_read\",\n" \
  "                \"args\": [[]] } }\n" \
  "  ]\n" \
  "}\n"

static char *
write_collection (void)
{
  g_autofree char *path = g_build_filename (kg_test_get_tmpdir (), "smoke.json", NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, COLLECTION_JSON, -1, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

static gboolean
sidebar_shown (gpointer data)
{
  return adw_flap_get_reveal_progress (ADW_FLAP (data)) >= 1.0;
}

static void
open_collection (Fixture    *f,
                 const char *path)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "page.open-recent", "s",
                                             path));
}

static void
test_collection (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(KgProfile) profile = profile_with_key ("alice", KG_DEMO_ALICE_KEY);
  g_autofree char *path = write_collection ();
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(JsonObject) edited = NULL;
  g_autofree char *saved = NULL;
  GtkWidget *name_entry = editor_child (f, "name_entry");
  KgRequestRow *failed;

  kg_page_set_profile (KG_PAGE (f->page), profile);
  g_assert_cmpstr (title (f), ==, "Request");
  open_collection (f, path);

  /* The list beside the editor, the first request in the editor. */
  g_assert_cmpstr (title (f), ==, "Smoke test");
  kg_ui_test_wait_for (sidebar_shown, child (f, "flap"), "the request list to slide in");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection (f))), ==, 3);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name_entry)), ==, "list projects");
  rows = list_rows (f);
  g_assert_cmpuint (rows->len, ==, 3);

  /* Select the second one and edit it: the title says it is not saved. */
  gtk_single_selection_set_selected (selection (f), 1);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name_entry)), ==, "count partners");
  gtk_editable_set_text (GTK_EDITABLE (name_entry), "count the partners");
  g_assert_cmpstr (title (f), ==, "Smoke test •");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (kg_ui_test_template_child (
                     g_ptr_array_index (rows, 1), KG_TYPE_REQUEST_ROW, "name_label"))), ==,
                   "count the partners");

  /* Send it alone: its answer is shown. */
  send_and_wait (f);
  g_assert_cmpuint (kg_exchange_get_status (kg_response_view_get_exchange (response_view (f))),
                    ==, 200);

  /* Run all: two pass, the third fails and says why. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "page.run-all", NULL));
  g_assert_true (kg_page_get_busy (KG_PAGE (f->page)));
  kg_ui_test_wait_for (is_idle, f->page, "the run");
  g_ptr_array_unref (rows);
  rows = list_rows (f);
  g_assert_cmpuint (rows->len, ==, 3);
  g_assert_cmpint (kg_request_row_get_state (g_ptr_array_index (rows, 0)), ==,
                   KG_REQUEST_ROW_PASSED);
  g_assert_cmpint (kg_request_row_get_state (g_ptr_array_index (rows, 1)), ==,
                   KG_REQUEST_ROW_PASSED);
  failed = g_ptr_array_index (rows, 2);
  g_assert_cmpint (kg_request_row_get_state (failed), ==, KG_REQUEST_ROW_FAILED);
  g_assert_nonnull (strstr (kg_request_row_get_reason (failed), "no.such.model"));
  g_assert_true (gtk_widget_get_visible (kg_ui_test_template_child (failed, KG_TYPE_REQUEST_ROW,
                                                                    "reason_label")));
  g_assert_true (gtk_widget_get_visible (child (f, "run_summary_label")));
  kg_ui_test_assert_on_screen (f->window, kg_ui_test_template_child (failed, KG_TYPE_REQUEST_ROW,
                                                                     "reason_label"), 10);
  kg_ui_test_assert_tree_lacks (f->window, KG_DEMO_ALICE_KEY);
  kg_ui_test_save_screenshot (f->window, "requests-page-run");

  /* On a phone the list folds over the editor; the reasons are still
   * shown in it. */
  gtk_widget_set_visible (f->window, FALSE);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 640);
  gtk_window_present (GTK_WINDOW (f->window));
  kg_ui_test_wait_for (is_narrow, f->window, "the window to become narrow");
  adw_flap_set_reveal_flap (ADW_FLAP (child (f, "flap")), TRUE);
  kg_ui_test_wait_frames (f->window, 4);
  kg_ui_test_assert_on_screen (f->window, kg_ui_test_template_child (failed, KG_TYPE_REQUEST_ROW,
                                                                     "reason_label"), 10);
  kg_ui_test_save_screenshot (f->window, "requests-page-run-narrow");

  /* Save: the file has the edit, the title drops the mark. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "page.save", NULL));
  g_assert_cmpstr (title (f), ==, "Smoke test");
  g_file_get_contents (path, &saved, NULL, NULL);
  g_assert_nonnull (strstr (saved, "count the partners"));
  g_assert_null (strstr (saved, KG_DEMO_ALICE_KEY));

  /* Reopen it and compare. */
  open_collection (f, path);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection (f))), ==, 3);
  gtk_single_selection_set_selected (selection (f), 1);
  edited = kg_request_editor_dup_request (KG_REQUEST_EDITOR (child (f, "editor")));
  g_assert_cmpstr (json_object_get_string_member (edited, "name"), ==, "count the partners");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (edited, "call"),
                                                  "model"), ==, "res.partner");
  g_assert_cmpstr (title (f), ==, "Smoke test");
}

#define CAPTURE_JSON \
  "{\n" \
  "  \"keygate_collection\": 1,\n" \
  "  \"name\": \"Captures\",\n" \
  "  \"requests\": [\n" \
  "    { \"name\": \"create\",\n" \
  "      \"call\": { \"model\": \"project.project\", \"method\": \"create\",\n" \
  "                \"args\": [[{ \"name\": \"Captured {{$timestamp}}\" }]] },\n" \
  "      \"capture\": { \"project_id\": \"$.result[0]\" } },\n" \
  "    { \"name\": \"read it\",\n" \
  "      \"call\": { \"model\": \"project.project\", \"method\": \"read\",\n" \
  "                \"args\": [[\"{{project_id}}\"]], \"kwargs\": { \"fields\": [\"name\"] } } }\n" \
  "  ]\n" \
  "}\n"

/* What a run or a single send captured is there for the requests sent
 * alone after it; before anything captured it, the variable is said to be
 * unknown, and nothing is sent. */
static void
test_send_after_capture (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(KgProfile) profile = profile_with_key ("alice", KG_DEMO_ALICE_KEY);
  g_autofree char *path = kg_test_write_tmp_file ("captures.json", CAPTURE_JSON);
  g_autofree char *body = NULL;
  g_autofree char *again = NULL;
  const char *message;

  kg_page_set_profile (KG_PAGE (f->page), profile);
  open_collection (f, path);
  kg_ui_test_wait_for (sidebar_shown, child (f, "flap"), "the request list to slide in");

  /* Nothing captured yet: refused at once. */
  gtk_single_selection_set_selected (selection (f), 1);
  kg_ui_test_click (child (f, "send_button"));
  g_assert_false (kg_page_get_busy (KG_PAGE (f->page)));
  g_assert_true (gtk_widget_get_visible (view_child (f, "error_box")));
  message = gtk_label_get_label (GTK_LABEL (view_child (f, "error_message_label")));
  g_assert_nonnull (strstr (message, "project_id"));
  g_assert_null (kg_response_view_get_exchange (response_view (f)));

  /* The create sent alone captures the ID; the read then finds it. */
  gtk_single_selection_set_selected (selection (f), 0);
  send_and_wait (f);
  g_assert_cmpuint (kg_exchange_get_status (kg_response_view_get_exchange (response_view (f))),
                    ==, 200);
  gtk_single_selection_set_selected (selection (f), 1);
  send_and_wait (f);
  g_assert_false (gtk_widget_get_visible (view_child (f, "error_box")));
  body = dup_body (f);
  g_assert_nonnull (strstr (body, "Captured "));

  /* After Run All, the run's capture is the one used. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "page.run-all", NULL));
  kg_ui_test_wait_for (is_idle, f->page, "the run");
  gtk_single_selection_set_selected (selection (f), 1);
  send_and_wait (f);
  again = dup_body (f);
  g_assert_nonnull (strstr (again, "Captured "));
  g_assert_cmpstr (again, !=, body);

  /* Another collection starts with nothing captured. */
  open_collection (f, path);
  gtk_single_selection_set_selected (selection (f), 1);
  kg_ui_test_click (child (f, "send_button"));
  g_assert_false (kg_page_get_busy (KG_PAGE (f->page)));
  g_assert_true (gtk_widget_get_visible (view_child (f, "error_box")));
}

static AdwMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (toplevel) && gtk_widget_get_visible (GTK_WIDGET (toplevel)))
        return ADW_MESSAGE_DIALOG (toplevel);
    }
  return NULL;
}

static gboolean
message_dialog_is_mapped (gpointer data)
{
  AdwMessageDialog *dialog = find_message_dialog ();

  return dialog != NULL && gtk_widget_get_mapped (GTK_WIDGET (dialog));
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_descendant (c, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Paste curl: what cannot be imported says why and keeps Import off; a
 * command with a key written out is imported without it, and says so. */
/* A collection opened the moment the page is first shown (mapped, not yet
 * given a size: the window builds its pages when first shown) slides its
 * list in once the page has a size, and the editor and answer get the
 * rest of the width. (Animated at once, libadwaita 1.2's flap sometimes
 * took a NaN reveal progress and allocated them -2147483648 pixels wide,
 * a critical warning: the screenshots suite, which opens a collection
 * right after the window builds the page, hit it in 3 runs of 3.) */
static void
test_open_at_first_show (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(KgProfile) profile = profile_with_key ("alice", KG_DEMO_ALICE_KEY);
  g_autofree char *path = write_collection ();
  GtkWidget *window = gtk_window_new ();
  GtkWidget *page = kg_requests_page_new (f->context);
  GtkWidget *flap = kg_ui_test_template_child (page, KG_TYPE_REQUESTS_PAGE, "flap");
  GtkWidget *paned = kg_ui_test_template_child (page, KG_TYPE_REQUESTS_PAGE, "paned");
  graphene_rect_t bounds;
  gpointer weak = page;

  gtk_window_set_default_size (GTK_WINDOW (window), 900, 640);
  gtk_window_present (GTK_WINDOW (window));
  kg_ui_test_wait_for (kg_ui_test_is_mapped, window, "the window to be mapped");

  kg_page_set_profile (KG_PAGE (page), profile);
  gtk_window_set_child (GTK_WINDOW (window), page);
  g_assert_true (gtk_widget_get_mapped (flap));
  g_assert_cmpint (gtk_widget_get_width (flap), ==, 0);
  g_assert_true (gtk_widget_activate_action (page, "page.open-recent", "s", path));

  kg_ui_test_wait_for (sidebar_shown, flap, "the request list to slide in");
  kg_ui_test_wait_frames (page, 2);
  g_assert_true (adw_flap_get_reveal_flap (ADW_FLAP (flap)));
  g_assert_true (gtk_widget_compute_bounds (paned, window, &bounds));
  g_assert_cmpfloat (bounds.size.width, >=, 300);
  g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, gtk_widget_get_width (window));

  g_object_add_weak_pointer (G_OBJECT (page), &weak);
  gtk_window_destroy (GTK_WINDOW (window));
  kg_ui_test_wait_for (kg_ui_test_is_null, &weak, "the page to be finalized");
}

static void
test_import_curl (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(KgProfile) profile = profile_with_key ("alice", KG_DEMO_ALICE_KEY);
  const char *literal_key = "0123456789abcdef0123456789abcdef01234567";
  g_autofree char *command = NULL;
  g_autoptr(JsonObject) request = NULL;
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *request_text = NULL;
  AdwMessageDialog *dialog;
  GtkTextView *text_view;
  GtkWidget *problem;
  JsonObject *http;

  kg_page_set_profile (KG_PAGE (f->page), profile);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "page.paste-curl", NULL));
  kg_ui_test_wait_for (message_dialog_is_mapped, NULL, "the import dialog");
  dialog = find_message_dialog ();
  text_view = GTK_TEXT_VIEW (find_descendant (GTK_WIDGET (dialog), GTK_TYPE_TEXT_VIEW));
  g_assert_nonnull (text_view);
  problem = gtk_widget_get_last_child (gtk_widget_get_parent (gtk_widget_get_parent (
    GTK_WIDGET (text_view))));
  g_assert_true (GTK_IS_LABEL (problem));
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "import"));

  /* Not a curl command: said under the text, Import stays off. */
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (text_view), "ls -la /tmp", -1);
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "import"));
  g_assert_true (gtk_widget_get_visible (problem));
  g_assert_true (gtk_widget_has_css_class (problem, "error"));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (problem)), !=, "");
  kg_ui_test_wait_frames (GTK_WIDGET (dialog), 2);
  g_assert_true (gtk_widget_get_mapped (problem));

  /* A route on the connection's server with a key written out. */
  command = g_strdup_printf ("curl -X POST '%s/api/project/create' "
                             "-H 'Content-Type: application/json' "
                             "-H 'X-API-Key: %s' -d '{\"name\": \"Imported\"}'",
                             kg_profile_get_url (profile), literal_key);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (text_view), command, -1);
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "import"));
  g_assert_true (gtk_widget_get_visible (problem));
  g_assert_true (gtk_widget_has_css_class (problem, "warning"));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (problem)), "not imported"));
  kg_ui_test_wait_frames (GTK_WIDGET (dialog), 2);
  g_assert_true (gtk_widget_get_mapped (problem));
  kg_ui_test_save_screenshot (GTK_WIDGET (dialog), "requests-page-import-curl");

  adw_message_dialog_response (dialog, "import");
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* In the editor, relative to the connection, without the key. */
  request = kg_request_editor_dup_request (KG_REQUEST_EDITOR (child (f, "editor")));
  http = json_object_get_object_member (request, "http");
  g_assert_nonnull (http);
  g_assert_cmpstr (json_object_get_string_member (http, "method"), ==, "POST");
  g_assert_cmpstr (json_object_get_string_member (http, "path"), ==, "/api/project/create");
  json_node_set_object (node, request);
  request_text = json_to_string (node, FALSE);
  g_assert_null (strstr (request_text, literal_key));
  g_assert_nonnull (strstr (request_text, "Imported"));
  kg_ui_test_assert_tree_lacks (f->window, literal_key);
  g_assert_true (send_is_sensitive (f));
}

/* Answers the question on screen (a message dialog) with @response. */
static void
answer_dialog (const char *heading,
               const char *response)
{
  AdwMessageDialog *dialog;

  kg_ui_test_wait_for (message_dialog_is_mapped, NULL, "a question");
  dialog = find_message_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, heading);
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static gboolean
no_message_dialog (gpointer data)
{
  return find_message_dialog () == NULL;
}

#define VARIABLES_JSON \
  "{\n" \
  "  \"keygate_collection\": 1,\n" \
  "  \"name\": \"Variables\",\n" \
  "  \"variables\": { \"prefix\": \"qa\" },\n" \
  "  \"requests\": [\n" \
  "    { \"name\": \"create\",\n" \
  "      \"call\": { \"model\": \"project.project\", \"method\": \"create\",\n" \
  "                \"args\": [[{ \"name\": \"{{prefix}} {{who}}\" }]] } }\n" \
  "  ]\n" \
  "}\n"

/* The two editors of the Variables dialog: the collection's, the session's. */
static void
variables_editors (AdwMessageDialog  *dialog,
                   KgJsonEditor     **collection,
                   KgJsonEditor     **session)
{
  g_autoptr(GPtrArray) editors = kg_ui_test_find_all (GTK_WIDGET (dialog), KG_TYPE_JSON_EDITOR);

  g_assert_cmpuint (editors->len, ==, 2);
  *collection = g_ptr_array_index (editors, 0);
  *session = g_ptr_array_index (editors, 1);
}

/* Variables…: the collection's variables are edited and saved with it;
 * values for the session fill what the collection lacks (like --var),
 * are used by Send and Run All, and never reach the file. A name that
 * cannot be written as {{name}} keeps Apply off and says why. */
static void
test_variables_dialog (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(KgProfile) profile = profile_with_key ("alice", KG_DEMO_ALICE_KEY);
  g_autofree char *path = kg_test_write_tmp_file ("variables.json", VARIABLES_JSON);
  g_autofree char *saved = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  AdwMessageDialog *dialog;
  KgJsonEditor *collection;
  KgJsonEditor *session;
  KgExchange *exchange;

  kg_page_set_profile (KG_PAGE (f->page), profile);
  open_collection (f, path);
  kg_ui_test_wait_for (sidebar_shown, child (f, "flap"), "the request list to slide in");

  /* {{who}} is known nowhere yet: said, nothing sent. */
  kg_ui_test_click (child (f, "send_button"));
  g_assert_true (gtk_widget_get_visible (view_child (f, "error_box")));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (view_child (f,
                                                   "error_message_label"))), "who"));

  /* A name with a space: Apply off, the reason shown. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "page.edit-variables", NULL));
  kg_ui_test_wait_for (message_dialog_is_mapped, NULL, "the Variables dialog");
  dialog = find_message_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Variables");
  variables_editors (dialog, &collection, &session);
  kg_json_editor_set_text (session, "{\"a b\": 1}");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "apply"));
  {
    g_autofree char *text = kg_ui_test_dup_tree_text (GTK_WIDGET (dialog));

    g_assert_nonnull (strstr (text, "“a b” is not a variable name"));
  }
  kg_ui_test_save_screenshot (GTK_WIDGET (dialog), "requests-page-variables");

  /* The session gives "who", the collection's prefix changes. */
  kg_json_editor_set_text (session, "{\"who\": \"tester\"}");
  kg_json_editor_set_text (collection, "{\"prefix\": \"ui\"}");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "apply"));
  adw_message_dialog_response (dialog, "apply");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_cmpstr (title (f), ==, "Variables •");

  send_and_wait (f);
  exchange = kg_response_view_get_exchange (response_view (f));
  g_assert_cmpuint (kg_exchange_get_status (exchange), ==, 200);
  g_assert_nonnull (strstr (kg_exchange_get_request_body (exchange), "ui tester"));

  /* Run All uses them too. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "page.run-all", NULL));
  kg_ui_test_wait_for (is_idle, f->page, "the run");
  rows = list_rows (f);
  g_assert_cmpint (kg_request_row_get_state (g_ptr_array_index (rows, 0)), ==,
                   KG_REQUEST_ROW_PASSED);

  /* Saved: the collection's variable, not the session's value. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "page.save", NULL));
  g_file_get_contents (path, &saved, NULL, NULL);
  g_assert_nonnull (strstr (saved, "\"prefix\" : \"ui\""));
  g_assert_null (strstr (saved, "tester"));

  /* The dialog shows both again, and fits a phone's width. */
  gtk_widget_set_visible (f->window, FALSE);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 640);
  gtk_window_present (GTK_WINDOW (f->window));
  kg_ui_test_wait_for (is_narrow, f->window, "the window to become narrow");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "page.edit-variables", NULL));
  kg_ui_test_wait_for (message_dialog_is_mapped, NULL, "the Variables dialog");
  dialog = find_message_dialog ();
  kg_ui_test_wait_frames (GTK_WIDGET (dialog), 2);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (dialog)), <=, 360);
  kg_ui_test_save_screenshot (GTK_WIDGET (dialog), "requests-page-variables-narrow");
  variables_editors (dialog, &collection, &session);
  {
    g_autofree char *collection_text = kg_json_editor_dup_text (collection);
    g_autofree char *session_text = kg_json_editor_dup_text (session);

    g_assert_nonnull (strstr (collection_text, "\"ui\""));
    g_assert_nonnull (strstr (session_text, "\"tester\""));
  }
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* Unsaved edits are never lost without a question: New Collection and
 * closing the window ask first; Cancel keeps them, Discard drops them. A
 * file changed on disk since it was opened is not overwritten unasked:
 * Reload takes the other version, Overwrite keeps the user's. */
static void
test_unsaved_changes (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(KgProfile) profile = profile_with_key ("alice", KG_DEMO_ALICE_KEY);
  g_autofree char *path = write_collection ();
  g_autoptr(GString) other = g_string_new (COLLECTION_JSON);
  g_autofree char *saved = NULL;
  GtkWidget *name_entry = editor_child (f, "name_entry");

  kg_page_set_profile (KG_PAGE (f->page), profile);
  open_collection (f, path);
  gtk_editable_set_text (GTK_EDITABLE (name_entry), "renamed here");
  g_assert_cmpstr (title (f), ==, "Smoke test •");

  /* New Collection, then Cancel: nothing changes. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "page.new-collection", NULL));
  answer_dialog ("Discard unsaved changes?", "cancel");
  g_assert_cmpstr (title (f), ==, "Smoke test •");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name_entry)), ==, "renamed here");

  /* Closing the window asks too; Cancel keeps it open. */
  gtk_window_close (GTK_WINDOW (f->window));
  answer_dialog ("Discard unsaved changes?", "cancel");
  g_assert_true (gtk_widget_get_visible (f->window));
  g_assert_cmpstr (title (f), ==, "Smoke test •");

  /* Another program changes the file; Save asks, Reload takes its
   * version and drops the edit. */
  g_string_replace (other, "Smoke test", "Smoke test, edited elsewhere", 1);
  g_assert_true (g_file_set_contents (path, other->str, -1, NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "page.save", NULL));
  answer_dialog ("The file changed on disk", "reload");
  g_assert_cmpstr (title (f), ==, "Smoke test, edited elsewhere");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name_entry)), ==, "list projects");

  /* The same again, and Overwrite: the file has the user's edit. */
  gtk_editable_set_text (GTK_EDITABLE (name_entry), "renamed again");
  g_assert_true (g_file_set_contents (path, COLLECTION_JSON, -1, NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "page.save", NULL));
  answer_dialog ("The file changed on disk", "overwrite");
  g_assert_true (g_file_get_contents (path, &saved, NULL, NULL));
  g_assert_nonnull (strstr (saved, "renamed again"));
  g_assert_cmpstr (title (f), ==, "Smoke test, edited elsewhere");

  /* Edited again, New Collection, Discard: a new collection. */
  gtk_editable_set_text (GTK_EDITABLE (name_entry), "dropped");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "page.new-collection", NULL));
  answer_dialog ("Discard unsaved changes?", "discard");
  g_assert_cmpstr (title (f), !=, "Smoke test •");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (selection (f))), ==, 1);
  g_assert_true (no_message_dialog (NULL));
}

/* What the editor shows is what it gives back, other members kept. */
static void
test_round_trip (Fixture       *f,
                 gconstpointer  data)
{
  const char *json =
    "{\"name\": \"r\", \"http\": {\"method\": \"post\", \"path\": \"/api/x\", "
    "\"auth\": \"api-key\", \"origin\": \"https://example.com\", "
    "\"query\": {\"a\": \"1\"}, \"headers\": {\"X-T\": \"v\"}, \"form\": {\"f\": \"g\"}}, "
    "\"expect\": {\"status\": 200}}";
  g_autoptr(JsonNode) wanted = kg_json_parse (json, -1, NULL);
  g_autoptr(JsonObject) got = NULL;
  g_autoptr(JsonNode) got_node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *http;

  set_request (f, json);
  got = kg_request_editor_dup_request (KG_REQUEST_EDITOR (child (f, "editor")));
  http = json_object_get_object_member (json_node_get_object (wanted), "http");
  json_object_set_string_member (http, "method", "POST");
  json_node_set_object (got_node, got);
  g_assert_true (json_node_equal (got_node, wanted));
}

int
main (int   argc,
      char *argv[])
{
  kg_test_init (&argc, &argv);
  gtk_init ();
  adw_init ();

#define ADD(path, func) \
  g_test_add ("/ui/requests-page/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("model-call", test_model_call);
  ADD ("create-shows-record", test_create_shows_record);
  ADD ("invalid-args", test_invalid_args);
  ADD ("route-token", test_route_token);
  ADD ("round-trip", test_round_trip);
  ADD ("model-completion", test_model_completion);
  ADD ("cancel", test_cancel);
  ADD ("field-completion", test_field_completion);
  ADD ("variables-dialog", test_variables_dialog);
  ADD ("collection", test_collection);
  ADD ("send-after-capture", test_send_after_capture);
  ADD ("open-at-first-show", test_open_at_first_show);
  ADD ("import-curl", test_import_curl);
  ADD ("unsaved-changes", test_unsaved_changes);
#undef ADD

  return g_test_run ();
}
