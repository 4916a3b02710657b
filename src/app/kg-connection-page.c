/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "keygate-app"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "kg-connection-page-private.h"

/* Rows of the protocol combo. */
enum {
  PROTOCOL_ROW_JSONRPC,
  PROTOCOL_ROW_TUTORIAL,
  PROTOCOL_ROW_API_KEY_HEADER,
  PROTOCOL_ROW_JSON2,
  PROTOCOL_ROW_CUSTOM,
};



G_DEFINE_FINAL_TYPE (KgConnectionPage, kg_connection_page, KG_TYPE_PAGE)

static KgProfile *
page_profile (KgConnectionPage *self)
{
  return kg_page_get_profile (KG_PAGE (self));
}

static KgAppContext *
page_context (KgConnectionPage *self)
{
  return kg_page_get_context (KG_PAGE (self));
}

enum {
  PROFILE_ADDED,
  NEW_CANCELLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void kg_connection_page_validate_and_save (KgConnectionPage *self);
static void kg_connection_page_reset (KgConnectionPage *self);

/* A new connection shows Cancel and Add, and says that nothing is saved
 * before Add; a stored one saves each valid change. */
static void
update_new_mode (KgConnectionPage *self)
{
  gtk_widget_set_visible (self->new_box, self->new_mode);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.cancel-new", self->new_mode);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.add-new",
                                 self->new_mode && self->draft_valid);
  adw_preferences_group_set_description (
    self->connection_group,
    self->new_mode ? _("Nothing is saved until you add the connection.")
                   : _("Changes are saved as soon as every field is valid."));
}

/* Helpers ---------------------------------------------------------------- */

static void
set_text_if_different (GtkEditable *editable,
                       const char  *text)
{
  if (g_strcmp0 (gtk_editable_get_text (editable), text ? text : "") != 0)
    gtk_editable_set_text (editable, text ? text : "");
}

static char *
dup_trimmed (GtkEditable *editable)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (editable)));
}

static void
mark_row (GtkWidget  *row,
          const char *problem)
{
  if (problem != NULL)
    gtk_widget_add_css_class (row, "error");
  else
    gtk_widget_remove_css_class (row, "error");
  gtk_widget_set_tooltip_text (row, problem);
}

static guint
protocol_row_for (KgProfile *profile)
{
  if (kg_profile_get_protocol (profile) == KG_PROTOCOL_JSONRPC)
    return PROTOCOL_ROW_JSONRPC;

  switch (kg_token_spec_get_preset (kg_profile_get_token_spec (profile)))
    {
    case KG_TOKEN_PRESET_TUTORIAL:
      return PROTOCOL_ROW_TUTORIAL;
    case KG_TOKEN_PRESET_API_KEY_HEADER:
      return PROTOCOL_ROW_API_KEY_HEADER;
    case KG_TOKEN_PRESET_JSON2:
      return PROTOCOL_ROW_JSON2;
    case KG_TOKEN_PRESET_CUSTOM:
    default:
      return PROTOCOL_ROW_CUSTOM;
    }
}

static KgCreateSpec *
ensure_create_spec (KgProfile *profile)
{
  if (kg_profile_get_create_spec (profile) == NULL)
    {
      g_autoptr(KgCreateSpec) spec = kg_create_spec_new ();

      kg_profile_set_create_spec (profile, spec);
    }

  return kg_profile_get_create_spec (profile);
}

/* Form <-> draft --------------------------------------------------------- */

static void
load_spec_rows (KgConnectionPage *self)
{
  KgTokenSpec *token = kg_profile_get_token_spec (self->draft);
  KgCreateSpec *create = ensure_create_spec (self->draft);

  self->loading++;
  set_text_if_different (GTK_EDITABLE (self->token_path_row), kg_token_spec_get_path (token));
  set_text_if_different (GTK_EDITABLE (self->db_header_row), kg_token_spec_get_db_param (token));
  set_text_if_different (GTK_EDITABLE (self->key_header_row), kg_token_spec_get_key_param (token));
  set_text_if_different (GTK_EDITABLE (self->token_json_row), kg_token_spec_get_token_path (token));
  set_text_if_different (GTK_EDITABLE (self->token_header_row),
                         kg_token_spec_get_send_header (token));
  set_text_if_different (GTK_EDITABLE (self->create_path_row), kg_create_spec_get_path (create));
  set_text_if_different (GTK_EDITABLE (self->id_path_row), kg_create_spec_get_id_path (create));
  set_text_if_different (GTK_EDITABLE (self->name_field_row),
                         kg_create_spec_get_name_field (create));
  set_text_if_different (GTK_EDITABLE (self->description_field_row),
                         kg_create_spec_get_description_field (create));
  adw_combo_row_set_selected (self->protocol_combo, protocol_row_for (self->draft));
  gtk_widget_set_visible (GTK_WIDGET (self->endpoints_expander),
                          kg_profile_get_protocol (self->draft) == KG_PROTOCOL_TOKEN);
  self->loading--;
}

static void
clear_touched (KgConnectionPage *self)
{
  GtkWidget *rows[] = {
    GTK_WIDGET (self->name_row), GTK_WIDGET (self->url_row),
    GTK_WIDGET (self->database_row), GTK_WIDGET (self->login_row),
  };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    g_object_set_data (G_OBJECT (rows[i]), "kg-touched", NULL);
}

static void
load_form (KgConnectionPage *self)
{
  gboolean editable = self->draft != NULL;

  gtk_widget_set_sensitive (GTK_WIDGET (self->preferences_page), editable);
  if (!editable)
    return;

  self->loading++;
  set_text_if_different (GTK_EDITABLE (self->name_row), kg_profile_get_name (self->draft));
  set_text_if_different (GTK_EDITABLE (self->url_row), kg_profile_get_url (self->draft));
  set_text_if_different (GTK_EDITABLE (self->database_row), kg_profile_get_database (self->draft));
  set_text_if_different (GTK_EDITABLE (self->login_row), kg_profile_get_login (self->draft));
  gtk_spin_button_set_value (self->timeout_spin, kg_profile_get_timeout (self->draft));
  gtk_switch_set_active (self->tls_switch,
                         kg_profile_get_tls_policy (self->draft) == KG_TLS_POLICY_ACCEPT_INVALID);
  load_spec_rows (self);
  self->loading--;

  kg_connection_page_validate_and_save (self);
}

/* Writes the fields this page edits (not the key name, which the key page
 * owns) from the draft into the stored profile. */
static void
apply_draft (KgConnectionPage *self)
{
  KgProfile *p = page_profile (self);
  KgProfile *d = self->draft;
  g_autoptr(JsonObject) old_token = kg_token_spec_to_json (kg_profile_get_token_spec (p));
  g_autoptr(JsonObject) new_token = kg_token_spec_to_json (kg_profile_get_token_spec (d));

  self->applying++;
  g_object_freeze_notify (G_OBJECT (p));
  kg_profile_set_name (p, kg_profile_get_name (d));
  kg_profile_set_url (p, kg_profile_get_url (d));
  kg_profile_set_database (p, kg_profile_get_database (d));
  kg_profile_set_login (p, kg_profile_get_login (d));
  kg_profile_set_protocol (p, kg_profile_get_protocol (d));
  kg_profile_set_timeout (p, kg_profile_get_timeout (d));
  kg_profile_set_tls_policy (p, kg_profile_get_tls_policy (d));
  if (!kg_json_object_equal (old_token, new_token))
    {
      g_autoptr(KgTokenSpec) spec = kg_token_spec_dup (kg_profile_get_token_spec (d));

      kg_profile_set_token_spec (p, spec);
    }
  {
    KgCreateSpec *old_spec = kg_profile_get_create_spec (p);
    g_autoptr(JsonObject) new_create = kg_create_spec_to_json (ensure_create_spec (d));
    g_autoptr(JsonObject) old_create = old_spec ? kg_create_spec_to_json (old_spec) : NULL;

    if (old_create == NULL || !kg_json_object_equal (old_create, new_create))
      {
        g_autoptr(KgCreateSpec) spec = kg_create_spec_dup (ensure_create_spec (d));

        kg_profile_set_create_spec (p, spec);
      }
  }
  g_object_thaw_notify (G_OBJECT (p));
  self->applying--;
}

static gboolean
touched (gpointer row)
{
  return g_object_get_data (G_OBJECT (row), "kg-touched") != NULL;
}

static void
kg_connection_page_validate_and_save (KgConnectionPage *self)
{
  KgProfileStore *store;
  g_autoptr(GError) error = NULL;
  g_autofree char *name_problem = NULL;
  g_autofree char *url_problem = NULL;
  g_autofree char *database_problem = NULL;
  g_autofree char *login_problem = NULL;
  const char *shown = NULL;
  KgProfile *same_name;
  gboolean url_valid;
  gboolean valid = FALSE;

  if (self->draft == NULL || page_context (self) == NULL)
    return;

  store = kg_app_context_get_store (page_context (self));

  if (!kg_profile_validate_name (kg_profile_get_name (self->draft), &error))
    name_problem = g_strdup (error->message);
  g_clear_error (&error);

  same_name = kg_profile_store_find_by_name (store, kg_profile_get_name (self->draft));
  if (name_problem == NULL && same_name != NULL &&
      g_strcmp0 (kg_profile_get_id (same_name), kg_profile_get_id (self->draft)) != 0)
    /* Translators: %s is a connection name */
    name_problem = g_strdup_printf (_("Name: another connection is already called “%s”."),
                                    kg_profile_get_name (same_name));

  url_valid = kg_profile_validate_url (kg_profile_get_url (self->draft), &error);
  if (!url_valid)
    url_problem = g_strdup (error->message);
  g_clear_error (&error);

  if (kg_profile_get_database (self->draft)[0] == '\0')
    database_problem = g_strdup (_("Database: enter the name of the Odoo database."));
  if (kg_profile_get_login (self->draft)[0] == '\0')
    login_problem = g_strdup (_("Login: enter the login of the Odoo user the key belongs to."));

  /* A new, empty form is not an error yet: only what was typed into is. */
  mark_row (GTK_WIDGET (self->name_row),
            !self->new_mode || touched (self->name_row) ? name_problem : NULL);
  mark_row (GTK_WIDGET (self->url_row),
            !self->new_mode || touched (self->url_row) ? url_problem : NULL);
  mark_row (GTK_WIDGET (self->database_row),
            !self->new_mode || touched (self->database_row) ? database_problem : NULL);
  mark_row (GTK_WIDGET (self->login_row),
            !self->new_mode || touched (self->login_row) ? login_problem : NULL);

  gtk_widget_set_visible (self->insecure_label, url_valid && kg_profile_is_insecure (self->draft));

  if (name_problem == NULL && url_problem == NULL && database_problem == NULL &&
      login_problem == NULL && kg_profile_validate (self->draft, &error))
    {
      if (page_profile (self) != NULL)
        {
          g_autoptr(JsonObject) before = kg_profile_to_json (page_profile (self));
          g_autoptr(JsonObject) after = NULL;

          apply_draft (self);
          after = kg_profile_to_json (page_profile (self));
          /* Showing a connection saves nothing: only a change is written
           * (each save rewrites the file and refreshes every list). */
          if (!kg_json_object_equal (before, after))
            kg_profile_store_update (store, page_profile (self), &error);
        }
      else if (self->new_mode)
        valid = TRUE;   /* added by Add, not while typing */
    }
  if (self->new_mode)
    {
      self->draft_valid = valid;
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.add-new", valid);
    }

  if (name_problem && (!self->new_mode || touched (self->name_row)))
    shown = name_problem;
  else if (url_problem && (!self->new_mode || touched (self->url_row)))
    shown = url_problem;
  else if (database_problem && (!self->new_mode || touched (self->database_row)))
    shown = database_problem;
  else if (login_problem && (!self->new_mode || touched (self->login_row)))
    shown = login_problem;
  else if (error != NULL)
    shown = error->message;  /* e.g. the store is read-only */

  gtk_label_set_label (self->problem_label, shown);
  gtk_widget_set_visible (GTK_WIDGET (self->problem_label), shown != NULL);
}

static void
read_form (KgConnectionPage *self)
{
  g_autofree char *name = dup_trimmed (GTK_EDITABLE (self->name_row));
  g_autofree char *url = dup_trimmed (GTK_EDITABLE (self->url_row));
  g_autofree char *database = dup_trimmed (GTK_EDITABLE (self->database_row));
  g_autofree char *login = dup_trimmed (GTK_EDITABLE (self->login_row));

  /* "odoo.example.com" means https://odoo.example.com. */
  if (url[0] != '\0' && strstr (url, "://") == NULL)
    {
      char *with_scheme = g_strconcat ("https://", url, NULL);

      g_free (url);
      url = with_scheme;
    }
  kg_profile_set_name (self->draft, name);
  kg_profile_set_url (self->draft, url);
  kg_profile_set_database (self->draft, database);
  kg_profile_set_login (self->draft, login);
  kg_profile_set_timeout (self->draft, gtk_spin_button_get_value_as_int (self->timeout_spin));
  kg_profile_set_tls_policy (self->draft, gtk_switch_get_active (self->tls_switch)
                                            ? KG_TLS_POLICY_ACCEPT_INVALID : KG_TLS_POLICY_VERIFY);
}

static void
row_changed_cb (KgConnectionPage *self,
                GtkWidget        *row)
{
  if (self->loading > 0 || self->draft == NULL)
    return;

  g_object_set_data (G_OBJECT (row), "kg-touched", GINT_TO_POINTER (TRUE));
  read_form (self);
  kg_connection_page_validate_and_save (self);
}

static void
url_changed_cb (KgConnectionPage *self,
                GtkWidget        *row)
{
  row_changed_cb (self, row);
  if (self->loading == 0)
    _kg_connection_page_schedule_database_list (self);
}

static void
protocol_selected_cb (KgConnectionPage *self)
{
  KgTokenSpec *spec;
  guint selected;

  if (self->loading > 0 || self->draft == NULL)
    return;

  selected = adw_combo_row_get_selected (self->protocol_combo);
  spec = kg_profile_get_token_spec (self->draft);

  switch (selected)
    {
    case PROTOCOL_ROW_JSONRPC:
      kg_profile_set_protocol (self->draft, KG_PROTOCOL_JSONRPC);
      break;
    case PROTOCOL_ROW_TUTORIAL:
      kg_profile_set_protocol (self->draft, KG_PROTOCOL_TOKEN);
      kg_token_spec_apply_preset (spec, KG_TOKEN_PRESET_TUTORIAL);
      break;
    case PROTOCOL_ROW_API_KEY_HEADER:
      kg_profile_set_protocol (self->draft, KG_PROTOCOL_TOKEN);
      kg_token_spec_apply_preset (spec, KG_TOKEN_PRESET_API_KEY_HEADER);
      break;
    case PROTOCOL_ROW_JSON2:
      kg_profile_set_protocol (self->draft, KG_PROTOCOL_TOKEN);
      kg_token_spec_apply_preset (spec, KG_TOKEN_PRESET_JSON2);
      break;
    case PROTOCOL_ROW_CUSTOM:
    default:
      kg_profile_set_protocol (self->draft, KG_PROTOCOL_TOKEN);
      kg_token_spec_apply_preset (spec, KG_TOKEN_PRESET_CUSTOM);
      break;
    }

  load_spec_rows (self);
  kg_connection_page_validate_and_save (self);
}

static void
spec_changed_cb (KgConnectionPage *self)
{
  KgTokenSpec *token;
  KgCreateSpec *create;
  g_autofree char *token_path = NULL;
  g_autofree char *db_param = NULL;
  g_autofree char *key_param = NULL;
  g_autofree char *token_json = NULL;
  g_autofree char *token_header = NULL;
  g_autofree char *create_path = NULL;
  g_autofree char *id_path = NULL;
  g_autofree char *name_field = NULL;
  g_autofree char *description_field = NULL;

  if (self->loading > 0 || self->draft == NULL)
    return;

  token = kg_profile_get_token_spec (self->draft);
  create = ensure_create_spec (self->draft);
  token_path = dup_trimmed (GTK_EDITABLE (self->token_path_row));
  db_param = dup_trimmed (GTK_EDITABLE (self->db_header_row));
  key_param = dup_trimmed (GTK_EDITABLE (self->key_header_row));
  token_json = dup_trimmed (GTK_EDITABLE (self->token_json_row));
  token_header = dup_trimmed (GTK_EDITABLE (self->token_header_row));
  create_path = dup_trimmed (GTK_EDITABLE (self->create_path_row));
  id_path = dup_trimmed (GTK_EDITABLE (self->id_path_row));
  name_field = dup_trimmed (GTK_EDITABLE (self->name_field_row));
  description_field = dup_trimmed (GTK_EDITABLE (self->description_field_row));

  kg_token_spec_set_path (token, token_path);
  kg_token_spec_set_db_param (token, db_param);
  kg_token_spec_set_key_param (token, key_param);
  kg_token_spec_set_token_path (token, token_json);
  kg_token_spec_set_send_header (token, token_header);
  kg_create_spec_set_path (create, create_path);
  kg_create_spec_set_id_path (create, id_path);
  kg_create_spec_set_name_field (create, name_field);
  kg_create_spec_set_description_field (create, description_field);

  /* An edited field makes the preset "Custom". */
  self->loading++;
  adw_combo_row_set_selected (self->protocol_combo, protocol_row_for (self->draft));
  self->loading--;

  kg_connection_page_validate_and_save (self);
}

/* Profile ---------------------------------------------------------------- */

static void
profile_notify_cb (KgConnectionPage *self,
                   GParamSpec       *pspec)
{
  if (self->applying > 0)
    return;

  /* The key page edits the key name: keep the draft in step without
   * touching the form. */
  if (g_strcmp0 (pspec->name, "key-name") == 0)
    {
      kg_profile_set_key_name (self->draft, kg_profile_get_key_name (page_profile (self)));
      return;
    }

  /* Changed from elsewhere (e.g. the demo server got a new port). */
  g_clear_object (&self->draft);
  self->draft = kg_profile_dup (page_profile (self));
  load_form (self);
  _kg_connection_page_schedule_database_list (self);
}

/* Add: the draft becomes a stored connection, selected by the window
 * (::profile-added). */
static void
add_new_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  KgConnectionPage *self = KG_CONNECTION_PAGE (widget);
  g_autoptr(GError) error = NULL;
  g_autoptr(KgProfile) added = NULL;

  if (!self->new_mode || self->draft == NULL || page_context (self) == NULL)
    return;
  read_form (self);
  kg_connection_page_validate_and_save (self);
  if (!self->draft_valid)
    return;
  if (!kg_profile_store_add (kg_app_context_get_store (page_context (self)), self->draft, &error))
    {
      gtk_label_set_label (self->problem_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->problem_label), TRUE);
      return;
    }

  /* From here on it is an ordinary stored connection. */
  added = g_steal_pointer (&self->draft);
  self->new_mode = FALSE;
  update_new_mode (self);
  self->draft = kg_profile_dup (added);
  self->adopting = TRUE;
  kg_page_set_profile (KG_PAGE (self), added);
  self->adopting = FALSE;
  g_signal_emit (self, signals[PROFILE_ADDED], 0, added);
}

/* Cancel (or Escape): the draft goes, nothing was saved. */
static void
cancel_new_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  KgConnectionPage *self = KG_CONNECTION_PAGE (widget);

  if (!self->new_mode)
    return;
  kg_connection_page_reset (self);
  load_form (self);
  g_signal_emit (self, signals[NEW_CANCELLED], 0);
}

/* Enter in a field of a new connection adds it, when it can be. */
static void
entry_activated_cb (KgConnectionPage *self)
{
  if (self->new_mode && self->draft_valid)
    gtk_widget_activate_action (GTK_WIDGET (self), "page.add-new", NULL);
}

static void
kg_connection_page_reset (KgConnectionPage *self)
{
  g_clear_handle_id (&self->database_timeout_id, g_source_remove);
  g_cancellable_cancel (self->database_cancellable);
  g_clear_pointer (&self->database_list_url, g_free);
  _kg_connection_page_reset_test_row (self);

  g_clear_object (&self->draft);
  self->new_mode = FALSE;
  self->draft_valid = FALSE;
  update_new_mode (self);
  clear_touched (self);
}

static void
kg_connection_page_profile_changed (KgPage    *page,
                                    KgProfile *old_profile)
{
  KgConnectionPage *self = KG_CONNECTION_PAGE (page);
  KgProfile *profile = kg_page_get_profile (page);

  /* The new connection just stored keeps its form as it is. */
  if (self->adopting)
    return;

  kg_connection_page_reset (self);
  if (profile != NULL)
    self->draft = kg_profile_dup (profile);
  load_form (self);
  _kg_connection_page_schedule_database_list (self);
}

void
kg_connection_page_start_new (KgConnectionPage *self)
{
  GSettings *settings;

  g_return_if_fail (KG_IS_CONNECTION_PAGE (self));

  kg_page_set_profile (KG_PAGE (self), NULL);
  kg_connection_page_reset (self);

  self->new_mode = TRUE;
  update_new_mode (self);
  self->draft = kg_profile_new ();
  settings = page_context (self) ? kg_app_context_get_settings (page_context (self)) : NULL;
  if (settings != NULL)
    kg_profile_set_timeout (self->draft, g_settings_get_int (settings, "default-timeout"));
  load_form (self);
  _kg_connection_page_schedule_database_list (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
}

gboolean
kg_connection_page_is_new (KgConnectionPage *self)
{
  g_return_val_if_fail (KG_IS_CONNECTION_PAGE (self), FALSE);
  return self->new_mode;
}

void
kg_connection_page_focus_url (KgConnectionPage *self)
{
  g_return_if_fail (KG_IS_CONNECTION_PAGE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->url_row));
}

/* Rename: the name, selected, ready to be typed over. */
void
kg_connection_page_focus_name (KgConnectionPage *self)
{
  g_return_if_fail (KG_IS_CONNECTION_PAGE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
  gtk_editable_select_region (GTK_EDITABLE (self->name_row), 0, -1);
}

/* GObject ---------------------------------------------------------------- */

static void
kg_connection_page_dispose (GObject *object)
{
  KgConnectionPage *self = KG_CONNECTION_PAGE (object);

  kg_connection_page_reset (self);
  g_clear_object (&self->database_cancellable);
  g_clear_object (&self->test_cancellable);

  /* AdwBin keeps a pointer to its child: drop it before the template
   * children go, or AdwBin's dispose unparents a freed widget. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), KG_TYPE_CONNECTION_PAGE);

  G_OBJECT_CLASS (kg_connection_page_parent_class)->dispose (object);
}

static void
kg_connection_page_class_init (KgConnectionPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  KgPageClass *page_class = KG_PAGE_CLASS (klass);

  object_class->dispose = kg_connection_page_dispose;
  page_class->profile_changed = kg_connection_page_profile_changed;

  signals[PROFILE_ADDED] =
    g_signal_new ("profile-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, KG_TYPE_PROFILE);
  /* The new connection's draft was dropped (Cancel, Escape). */
  signals[NEW_CANCELLED] =
    g_signal_new ("new-cancelled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "page.add-new", NULL, add_new_action);
  gtk_widget_class_install_action (widget_class, "page.cancel-new", NULL, cancel_new_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "page.cancel-new", NULL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/kg-connection-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KgConnectionPage, preferences_page);
  gtk_widget_class_bind_template_child (widget_class, KgConnectionPage, connection_group);
  gtk_widget_class_bind_template_child (widget_class, KgConnectionPage, new_box);
  gtk_widget_class_bind_template_child (widget_class, KgConnectionPage, add_button);
  gtk_widget_class_bind_template_child (widget_class, KgConnectionPage, cancel_new_button);
  gtk_widget_class_bind_template_child (widget_class, KgConnectionPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, KgConnectionPage, url_row);
  gtk_widget_class_bind_template_child (widget_class, KgConnectionPage, database_combo);
  gtk_widget_class_bind_template_child (widget_class, KgConnectionPage, database_list);
  gtk_widget_class_bind_template_child (widget_class, KgConnectionPage, database_row);
  gtk_widget_class_bind_template_child (widget_class, KgConnectionPage, login_row);
  gtk_widget_class_bind_template_child (widget_class, KgConnectionPage, problem_label);
  gtk_widget_class_bind_template_child (widget_class, KgConnectionPage, insecure_label);
  gtk_widget_class_bind_template_child (widget_class, KgConnectionPage, protocol_combo);
  gtk_widget_class_bind_template_child (widget_class, KgConnectionPage, endpoints_expander);
  gtk_widget_class_bind_template_child (widget_class, KgConnectionPage, token_path_row);
  gtk_widget_class_bind_template_child (widget_class, KgConnectionPage, db_header_row);
  gtk_widget_class_bind_template_child (widget_class, KgConnectionPage, key_header_row);
  gtk_widget_class_bind_template_child (widget_class, KgConnectionPage, token_json_row);
  gtk_widget_class_bind_template_child (widget_class, KgConnectionPage, token_header_row);
  gtk_widget_class_bind_template_child (widget_class, KgConnectionPage, create_path_row);
  gtk_widget_class_bind_template_child (widget_class, KgConnectionPage, id_path_row);
  gtk_widget_class_bind_template_child (widget_class, KgConnectionPage, name_field_row);
  gtk_widget_class_bind_template_child (widget_class, KgConnectionPage, description_field_row);
  gtk_widget_class_bind_template_child (widget_class, KgConnectionPage, timeout_spin);
  gtk_widget_class_bind_template_child (widget_class, KgConnectionPage, tls_switch);
  gtk_widget_class_bind_template_child (widget_class, KgConnectionPage, test_row);
  gtk_widget_class_bind_template_child (widget_class, KgConnectionPage, test_spinner);
  gtk_widget_class_bind_template_child (widget_class, KgConnectionPage, test_button);
  gtk_widget_class_bind_template_callback (widget_class, row_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, url_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, protocol_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, spec_changed_cb);
  _kg_connection_page_server_class_init (widget_class);
  gtk_widget_class_bind_template_callback (widget_class, entry_activated_cb);
}

static void
kg_connection_page_init (KgConnectionPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update_new_mode (self);
  g_signal_group_connect_swapped (kg_page_get_profile_signals (KG_PAGE (self)), "notify",
                                  G_CALLBACK (profile_notify_cb), self);
  load_form (self);
}

GtkWidget *
kg_connection_page_new (KgAppContext *context)
{
  return g_object_new (KG_TYPE_CONNECTION_PAGE, "context", context, NULL);
}
