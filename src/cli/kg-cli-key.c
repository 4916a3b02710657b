/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "kg-cli.h"

#define USAGE_SET "keygate-cli key set NAME [--key-name ODOO_KEY_NAME]   (the key is read from stdin)"
#define USAGE_VERIFY "keygate-cli key verify NAME [--json]"
#define USAGE_FORGET "keygate-cli key forget NAME [--json]"
#define USAGE "keygate-cli key set|verify|forget NAME"

static int
key_set (KgCli  *cli,
         int     argc,
         char  **argv)
{
  const char *key_name = NULL;
  /* Deliberately no option that takes the key: argv is visible to every
   * process on the machine and lands in shell history. */
  const KgCliOption table[] = {
    { "key-name", KG_CLI_OPTION_STRING, &key_name, NULL },
    { NULL }
  };
  g_autoptr(GPtrArray) positionals = NULL;
  g_autoptr(KgProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KgSecretString) line = NULL;
  g_autoptr(KgSecretString) key = NULL;
  gboolean looks_valid;
  int rc = KG_EXIT_OK;

  if (!kg_cli_parse_options (cli, USAGE_SET, table, argc, argv, &positionals, &rc))
    return rc;
  if (positionals->len > 1)
    return kg_cli_usage (cli, USAGE_SET,
                         _("The key is read from standard input, never from the command line."));
  if (positionals->len != 1)
    return kg_cli_usage (cli, USAGE_SET, _("Give exactly one profile name."));

  profile = kg_cli_find_profile (cli, g_ptr_array_index (positionals, 0), &error);
  if (profile == NULL)
    return kg_cli_fail (cli, error);

  line = kg_cli_read_secret_line (&error);
  if (line == NULL)
    return kg_cli_fail (cli, error);

  kg_cli_add_secret (cli, KG_SECRET_API_KEY, line);
  key = kg_keyring_normalize_key (line, &error);
  if (key == NULL)
    return kg_cli_fail (cli, error);

  looks_valid = kg_keyring_key_looks_valid (key);
  if (!looks_valid)
    kg_cli_write (cli, stderr,
                  _("Warning: this does not look like an Odoo API key (40 hexadecimal "
                    "characters). It was stored anyway.\n"));

  if (!kg_keyring_store_sync (profile, key, NULL, &error))
    return kg_cli_fail (cli, error);

  if (key_name != NULL)
    {
      kg_profile_set_key_name (profile, key_name);
      if (!kg_profile_store_update (cli->store, profile, &error))
        return kg_cli_fail (cli, error);
    }

  if (cli->json)
    {
      g_autoptr(JsonObject) out = json_object_new ();

      json_object_set_string_member (out, "message", _("Stored"));
      json_object_set_boolean_member (out, "looks_valid", looks_valid);
      kg_cli_print_json (cli, out);
    }
  else
    {
      kg_cli_print (cli, "%s\n", _("Stored"));
    }

  return KG_EXIT_OK;
}

static const char *
tristate_text (KgTristate  value,
               const char *yes,
               const char *no)
{
  switch (value)
    {
    case KG_TRISTATE_TRUE:
      return yes;
    case KG_TRISTATE_FALSE:
      return no;
    case KG_TRISTATE_UNKNOWN:
    default:
      return _("unknown");
    }
}

static void
print_identity (KgCli      *cli,
                KgIdentity *identity)
{
  GDateTime *expiry = kg_identity_get_key_expiry (identity);
  GPtrArray *keys = kg_identity_get_api_keys (identity);
  g_autofree char *expiry_text = NULL;
  const int width = 18;

  kg_cli_print (cli, "%-*s %s (%s, uid %" G_GINT64_FORMAT ")\n", width, _("Acting as:"),
                kg_identity_get_name (identity) ? kg_identity_get_name (identity) : _("unknown"),
                kg_identity_get_login (identity), kg_identity_get_uid (identity));
  if (kg_identity_get_server_version (identity) != NULL)
    kg_cli_print (cli, "%-*s Odoo %s\n", width, _("Server:"),
                  kg_identity_get_server_version (identity));
  kg_cli_print (cli, "%-*s %s\n", width, _("Two-factor:"),
                tristate_text (kg_identity_get_two_factor (identity),
                               _("on (password logins over RPC fail; use the key)"), _("off")));
  kg_cli_print (cli, "%-*s %s\n", width, _("Create projects:"),
                tristate_text (kg_identity_get_can_create_projects (identity), _("yes"), _("no")));

  switch (kg_identity_get_key_match (identity))
    {
    case KG_KEY_MATCH_NAMED:
    case KG_KEY_MATCH_ONLY_KEY:
      if (expiry == NULL)
        expiry_text = g_strdup (_("never"));
      else
        {
          g_autoptr(GDateTime) local = g_date_time_to_local (expiry);
          g_autofree char *date = g_date_time_format (local, "%Y-%m-%d %H:%M");
          guint days = kg_identity_get_key_days_left (identity, NULL);

          switch (kg_identity_get_key_expiry_state (identity, NULL))
            {
            case KG_KEY_EXPIRY_EXPIRED:
              /* Translators: %s is a date */
              expiry_text = g_strdup_printf (_("%s — expired: Odoo refuses this key; create a "
                                               "new one"), date);
              break;
            case KG_KEY_EXPIRY_SOON:
              /* Translators: %s is a date, %u a number of days */
              expiry_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                          "%s — in %u day; create a new key "
                                                          "before then",
                                                          "%s — in %u days; create a new key "
                                                          "before then", days), date, days);
              break;
            case KG_KEY_EXPIRY_FINE:
            default:
              expiry_text = g_steal_pointer (&date);
              break;
            }
        }
      break;
    case KG_KEY_MATCH_AMBIGUOUS:
      /* Translators: %u is the number of API keys the user has (2 or more) */
      expiry_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                  "unknown — this user has %u key; name yours "
                                                  "to match (key set --key-name)",
                                                  "unknown — this user has %u keys; name yours "
                                                  "to match (key set --key-name)",
                                                  keys->len), keys->len);
      break;
    case KG_KEY_MATCH_NO_SUCH_NAME:
      /* Translators: %s is the profile's key name */
      expiry_text = g_strdup_printf (_("unknown — no key of this user is named “%s”; check "
                                       "the key name"), kg_identity_get_key_name (identity));
      break;
    case KG_KEY_MATCH_UNKNOWN:
    default:
      expiry_text = g_strdup (_("unknown"));
      break;
    }
  kg_cli_print (cli, "%-*s %s\n", width, _("Key expires:"), expiry_text);
}


static int
key_verify (KgCli  *cli,
            int     argc,
            char  **argv)
{
  const KgCliOption table[] = { { NULL } };
  g_autoptr(KgProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KgSecretString) key = NULL;
  g_autoptr(KgOdooRpc) rpc = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(KgIdentity) identity = NULL;
  int rc = KG_EXIT_OK;

  profile = kg_cli_parse_profile_command (cli, USAGE_VERIFY, table, argc, argv, &rc);
  if (profile == NULL)
    return rc;

  key = kg_cli_lookup_key (cli, profile, &error);
  if (key == NULL)
    return kg_cli_fail (cli, error);

  rpc = kg_odoo_rpc_new (cli->http, profile);
  kg_identity_fetch_async (rpc, key, NULL, kg_cli_store_result_cb, &result);
  result = kg_cli_wait (&result);
  identity = kg_identity_fetch_finish (result, &error);
  if (identity == NULL)
    return kg_cli_fail (cli, error);

  if (cli->json)
    {
      g_autoptr(JsonObject) out = kg_identity_to_json (identity);

      kg_cli_print_json (cli, out);
    }
  else
    {
      print_identity (cli, identity);
    }

  return KG_EXIT_OK;
}

static int
key_forget (KgCli  *cli,
            int     argc,
            char  **argv)
{
  const KgCliOption table[] = { { NULL } };
  g_autoptr(KgProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  gboolean cleared;
  int rc = KG_EXIT_OK;

  profile = kg_cli_parse_profile_command (cli, USAGE_FORGET, table, argc, argv, &rc);
  if (profile == NULL)
    return rc;

  cleared = kg_keyring_clear_sync (profile, NULL, &error);
  if (error != NULL)
    return kg_cli_fail (cli, error);

  if (cli->json)
    {
      g_autoptr(JsonObject) out = json_object_new ();

      json_object_set_boolean_member (out, "cleared", cleared);
      kg_cli_print_json (cli, out);
    }
  else
    {
      kg_cli_print (cli, "%s\n", cleared ? _("Forgotten") : _("No key was stored."));
    }

  return KG_EXIT_OK;
}

int
kg_cli_key (KgCli  *cli,
            int     argc,
            char  **argv)
{
  const char *sub;

  if (argc < 2)
    return kg_cli_usage (cli, USAGE, _("Name a key command: set, verify or forget."));

  sub = argv[1];
  if (g_str_equal (sub, "set"))
    return key_set (cli, argc - 1, argv + 1);
  if (g_str_equal (sub, "verify"))
    return key_verify (cli, argc - 1, argv + 1);
  if (g_str_equal (sub, "forget"))
    return key_forget (cli, argc - 1, argv + 1);

  {
    g_autofree char *problem = g_strdup_printf (_("Unknown key command “%s”."), sub);

    return kg_cli_usage (cli, USAGE, problem);
  }
}
