/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>

#include <glib/gi18n-lib.h>

#include "kg-cli.h"

#define USAGE_ADD "keygate-cli profile add NAME --url URL --db DB --login LOGIN " \
                  "[--protocol jsonrpc|token] [--timeout S] [--key-name ODOO_KEY_NAME] [--json] " \
                  "[--preset tutorial|api-key-header|json2|custom] [--token-path P] " \
                  "[--token-method POST|GET] [--create-path P] [--db-header H] [--key-header H] " \
                  "[--token-header bearer|H] [--token-json-path P] [--expires-json-path P] " \
                  "[--id-json-path P] [--message-json-path P] [--name-field F] " \
                  "[--description-field F]"
#define USAGE_LIST "keygate-cli profile list [--json]"
#define USAGE_SHOW "keygate-cli profile show NAME [--json]"
#define USAGE_REMOVE "keygate-cli profile remove NAME [--json]"
#define USAGE "keygate-cli profile add|list|show|remove …"

/* Options of `profile add`. The token issue extends this (token and create
 * specs): add a member here, a row in the table in profile_add and apply it
 * in apply_add_options. */
typedef struct
{
  const char *url;
  const char *database;
  const char *login;
  const char *protocol;
  const char *key_name;
  guint       timeout;
  gboolean    timeout_set;
  /* Token issue: the token and create spec options (kg-cli-token.c). */
  KgCliSpecOptions spec;
} AddOptions;

static JsonObject *
profile_json (KgProfile *profile)
{
  JsonObject *object = kg_profile_to_json (profile);

  json_object_set_boolean_member (object, "insecure", kg_profile_is_insecure (profile));
  return object;
}

static int
require (KgCli      *cli,
         const char *value,
         const char *option)
{
  g_autofree char *problem = NULL;

  if (value != NULL && value[0] != '\0')
    return KG_EXIT_OK;

  problem = g_strdup_printf (_("The option --%s is required."), option);
  return kg_cli_usage (cli, USAGE_ADD, problem);
}

static gboolean
apply_add_options (KgCli       *cli,
                   KgProfile   *profile,
                   AddOptions  *options,
                   int         *exit_code)
{
  KgProtocol protocol = KG_PROTOCOL_JSONRPC;

  if (options->protocol != NULL && !kg_protocol_from_string (options->protocol, &protocol))
    {
      g_autofree char *problem =
        g_strdup_printf (_("Unknown protocol “%s”: use jsonrpc or token."), options->protocol);

      *exit_code = kg_cli_usage (cli, USAGE_ADD, problem);
      return FALSE;
    }

  kg_profile_set_url (profile, options->url);
  kg_profile_set_database (profile, options->database);
  kg_profile_set_login (profile, options->login);
  kg_profile_set_protocol (profile, protocol);
  if (options->timeout_set)
    kg_profile_set_timeout (profile, options->timeout);
  if (options->key_name != NULL)
    kg_profile_set_key_name (profile, options->key_name);

  /* Token issue: token/create spec options; a spec option without
   * --protocol means the token protocol. */
  if (kg_cli_spec_options_given (&options->spec))
    {
      g_autoptr(GError) error = NULL;

      if (options->protocol == NULL)
        kg_profile_set_protocol (profile, KG_PROTOCOL_TOKEN);
      if (!kg_cli_spec_options_apply (&options->spec, profile, &error))
        {
          *exit_code = kg_cli_usage (cli, USAGE_ADD, error->message);
          return FALSE;
        }
    }

  return TRUE;
}

static int
profile_add (KgCli  *cli,
             int     argc,
             char  **argv)
{
  AddOptions options = { 0 };
  const KgCliOption table[] = {
    { "url",      KG_CLI_OPTION_STRING, &options.url, NULL },
    { "db",       KG_CLI_OPTION_STRING, &options.database, NULL },
    { "login",    KG_CLI_OPTION_STRING, &options.login, NULL },
    { "protocol", KG_CLI_OPTION_STRING, &options.protocol, NULL },
    { "timeout",  KG_CLI_OPTION_UINT,   &options.timeout, &options.timeout_set },
    { "key-name", KG_CLI_OPTION_STRING, &options.key_name, NULL },
    { NULL }
  };
  /* Token issue: plus the spec options. */
  g_autofree KgCliOption *full_table = kg_cli_spec_options_extend (table, &options.spec);
  g_autoptr(GPtrArray) positionals = NULL;
  g_autoptr(KgProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  int rc = KG_EXIT_OK;

  if (!kg_cli_parse_options (cli, USAGE_ADD, full_table, argc, argv, &positionals, &rc))
    return rc;
  if (positionals->len != 1)
    return kg_cli_usage (cli, USAGE_ADD, _("Give exactly one profile name."));

  if ((rc = require (cli, options.url, "url")) != KG_EXIT_OK ||
      (rc = require (cli, options.database, "db")) != KG_EXIT_OK ||
      (rc = require (cli, options.login, "login")) != KG_EXIT_OK)
    return rc;

  profile = kg_profile_new ();
  kg_profile_set_name (profile, g_ptr_array_index (positionals, 0));
  if (!apply_add_options (cli, profile, &options, &rc))
    return rc;

  if (!kg_profile_store_add (cli->store, profile, &error))
    return kg_cli_fail (cli, error);

  kg_cli_use_profile (cli, profile);
  if (cli->json)
    {
      g_autoptr(JsonObject) out = json_object_new ();

      json_object_set_object_member (out, "profile", profile_json (profile));
      kg_cli_print_json (cli, out);
    }
  else
    {
      g_autofree char *subtitle = kg_profile_dup_subtitle (profile);

      kg_cli_print (cli, _("Added profile “%s” (%s as %s).\n"), kg_profile_get_name (profile),
                    subtitle, kg_profile_get_login (profile));
    }

  return KG_EXIT_OK;
}

static int
profile_list (KgCli  *cli,
              int     argc,
              char  **argv)
{
  const KgCliOption table[] = { { NULL } };
  g_autoptr(GPtrArray) positionals = NULL;
  GListModel *model = G_LIST_MODEL (cli->store);
  guint n_items = g_list_model_get_n_items (model);
  int rc = KG_EXIT_OK;

  if (!kg_cli_parse_options (cli, USAGE_LIST, table, argc, argv, &positionals, &rc))
    return rc;
  if (positionals->len != 0)
    return kg_cli_usage (cli, USAGE_LIST, _("“profile list” takes no arguments."));

  if (cli->json)
    {
      g_autoptr(JsonObject) out = json_object_new ();
      JsonArray *profiles = json_array_new ();

      for (guint i = 0; i < n_items; i++)
        {
          g_autoptr(KgProfile) profile = g_list_model_get_item (model, i);

          json_array_add_object_element (profiles, profile_json (profile));
        }
      json_object_set_array_member (out, "profiles", profiles);
      kg_cli_print_json (cli, out);
      return KG_EXIT_OK;
    }

  if (n_items == 0)
    {
      kg_cli_print (cli, "%s\n", _("No profiles yet. Add one with “keygate-cli profile add”."));
      return KG_EXIT_OK;
    }

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(KgProfile) profile = g_list_model_get_item (model, i);
      g_autofree char *subtitle = kg_profile_dup_subtitle (profile);

      kg_cli_print (cli, "%-20s %s@%s  %s%s\n", kg_profile_get_name (profile),
                    kg_profile_get_login (profile), subtitle,
                    kg_protocol_to_string (kg_profile_get_protocol (profile)),
                    kg_profile_is_insecure (profile) ? _("  (insecure)") : "");
    }

  return KG_EXIT_OK;
}

static int
profile_show (KgCli  *cli,
              int     argc,
              char  **argv)
{
  const KgCliOption table[] = { { NULL } };
  g_autoptr(KgProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  int rc = KG_EXIT_OK;

  profile = kg_cli_parse_profile_command (cli, USAGE_SHOW, table, argc, argv, &rc);
  if (profile == NULL)
    return rc;

  if (cli->json)
    {
      g_autoptr(JsonObject) out = profile_json (profile);

      kg_cli_print_json (cli, out);
    }
  else
    {
      const char *key_name = kg_profile_get_key_name (profile);

      kg_cli_print (cli, "%-10s %s\n", _("Name:"), kg_profile_get_name (profile));
      kg_cli_print (cli, "%-10s %s%s\n", _("URL:"), kg_profile_get_url (profile),
                    kg_profile_is_insecure (profile) ? _(" (insecure)") : "");
      kg_cli_print (cli, "%-10s %s\n", _("Database:"), kg_profile_get_database (profile));
      kg_cli_print (cli, "%-10s %s\n", _("Login:"), kg_profile_get_login (profile));
      kg_cli_print (cli, "%-10s %s\n", _("Protocol:"),
                    kg_protocol_to_string (kg_profile_get_protocol (profile)));
      kg_cli_print (cli, "%-10s %u s\n", _("Timeout:"), kg_profile_get_timeout (profile));
      if (key_name != NULL)
        kg_cli_print (cli, "%-10s %s\n", _("Key name:"), key_name);
      kg_cli_print (cli, "%-10s %s\n", _("Id:"), kg_profile_get_id (profile));
    }

  return KG_EXIT_OK;
}

static int
profile_remove (KgCli  *cli,
                int     argc,
                char  **argv)
{
  const KgCliOption table[] = { { NULL } };
  g_autoptr(KgProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) keyring_error = NULL;
  gboolean key_cleared;
  int rc = KG_EXIT_OK;

  profile = kg_cli_parse_profile_command (cli, USAGE_REMOVE, table, argc, argv, &rc);
  if (profile == NULL)
    return rc;

  /* Forget the key first; a keyring problem must not keep the profile. */
  key_cleared = kg_keyring_clear_sync (profile, NULL, &keyring_error);
  if (keyring_error != NULL)
    {
      g_autofree char *warning =
        g_strdup_printf (_("Warning: the key could not be removed from the keyring: %s\n"),
                         keyring_error->message);

      kg_cli_write (cli, stderr, warning);
    }

  if (!kg_profile_store_remove (cli->store, profile, &error))
    return kg_cli_fail (cli, error);

  if (cli->json)
    {
      g_autoptr(JsonObject) out = json_object_new ();

      json_object_set_string_member (out, "removed", kg_profile_get_name (profile));
      json_object_set_boolean_member (out, "key_cleared", key_cleared);
      if (keyring_error != NULL)
        {
          JsonObject *warning = json_object_new ();

          json_object_set_string_member (warning, "kind", kg_error_kind (keyring_error));
          json_object_set_string_member (warning, "message", keyring_error->message);
          json_object_set_object_member (out, "keyring_error", warning);
        }
      kg_cli_print_json (cli, out);
    }
  else
    {
      kg_cli_print (cli, _("Removed profile “%s”.\n"), kg_profile_get_name (profile));
      if (key_cleared)
        kg_cli_print (cli, "%s\n", _("Its API key was removed from the keyring."));
    }

  return KG_EXIT_OK;
}

int
kg_cli_profile (KgCli  *cli,
                int     argc,
                char  **argv)
{
  const char *sub;

  if (argc < 2)
    return kg_cli_usage (cli, USAGE, _("Name a profile command: add, list, show or remove."));

  sub = argv[1];
  if (g_str_equal (sub, "add"))
    return profile_add (cli, argc - 1, argv + 1);
  if (g_str_equal (sub, "list"))
    return profile_list (cli, argc - 1, argv + 1);
  if (g_str_equal (sub, "show"))
    return profile_show (cli, argc - 1, argv + 1);
  if (g_str_equal (sub, "remove"))
    return profile_remove (cli, argc - 1, argv + 1);

  {
    g_autofree char *problem = g_strdup_printf (_("Unknown profile command “%s”."), sub);

    return kg_cli_usage (cli, USAGE, problem);
  }
}
