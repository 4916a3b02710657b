/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Shared by the Connection page's files: kg-connection-page.c (the form,
 * its draft, saving) and kg-connection-page-server.c (what the server
 * says: its database list, Test Connection). */

#include "kg-connection-page.h"

G_BEGIN_DECLS

struct _KgConnectionPage
{
  KgPage        parent_instance;

  /* The page's profile is the stored one, NULL for a new one. */
  KgProfile    *draft;         /* what the form shows */
  gboolean      new_mode;
  gboolean      draft_valid;   /* new mode: every field valid, Add possible */
  gboolean      adopting;      /* the new connection was just stored */
  guint         loading;       /* filling rows from the draft */
  guint         applying;      /* writing the draft into the profile */
  guint         database_timeout_id;
  char         *database_list_url;  /* the server the combo's list is from */
  GCancellable *database_cancellable;
  GCancellable *test_cancellable;

  /* Template children */
  AdwPreferencesPage *preferences_page;
  AdwPreferencesGroup *connection_group;
  GtkWidget     *new_box;
  GtkWidget     *add_button;
  GtkWidget     *cancel_new_button;
  AdwEntryRow   *name_row;
  AdwEntryRow   *url_row;
  AdwComboRow   *database_combo;
  GtkStringList *database_list;
  AdwEntryRow   *database_row;
  AdwEntryRow   *login_row;
  GtkLabel      *problem_label;
  GtkWidget     *insecure_label;
  AdwComboRow   *protocol_combo;
  AdwExpanderRow *endpoints_expander;
  AdwEntryRow   *token_path_row;
  AdwEntryRow   *db_header_row;
  AdwEntryRow   *key_header_row;
  AdwEntryRow   *token_json_row;
  AdwEntryRow   *token_header_row;
  AdwEntryRow   *create_path_row;
  AdwEntryRow   *id_path_row;
  AdwEntryRow   *name_field_row;
  AdwEntryRow   *description_field_row;
  GtkSpinButton *timeout_spin;
  GtkSwitch     *tls_switch;
  AdwActionRow  *test_row;
  GtkWidget     *test_spinner;
  GtkWidget     *test_button;
};

/* kg-connection-page-server.c */
void _kg_connection_page_server_class_init        (GtkWidgetClass   *widget_class);
/* Asks the server at the form's URL for its databases, after a pause in
 * the typing. */
void _kg_connection_page_schedule_database_list   (KgConnectionPage *self);
void _kg_connection_page_reset_test_row           (KgConnectionPage *self);

G_END_DECLS
