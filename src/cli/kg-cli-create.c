/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "kg-cli.h"

#define USAGE "keygate-cli create-project NAME --name TEXT [--description TEXT] [--json] " \
              "[--field NAME=VALUE]… [--via token|jsonrpc] [--print-curl]"

/* Everything `create-project` accepts. The token issue adds options here
 * (--via jsonrpc|token, --field k=v, --preset …): add a member, a row in
 * the table below, and use it in build_request. */
typedef struct
{
  const char *name;
  const char *description;
  KgCreateVia via;
  JsonObject *extra_fields;   /* owned, nullable */
  /* Token issue (helpers in kg-cli-token.c). */
  const char *via_text;       /* --via */
  GPtrArray  *fields;         /* --field NAME=VALUE, of const char * */
  gboolean    print_curl;
} CreateOptions;

static void
create_options_clear (CreateOptions *options)
{
  g_clear_pointer (&options->extra_fields, json_object_unref);
  g_clear_pointer (&options->fields, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CreateOptions, create_options_clear)

static gboolean
build_request (KgCli         *cli,
               CreateOptions *options,
               int           *exit_code)
{
  if (options->name == NULL || options->name[0] == '\0')
    {
      *exit_code = kg_cli_usage (cli, USAGE, _("The option --name is required."));
      return FALSE;
    }

  options->via = KG_CREATE_VIA_PROFILE;

  /* Token issue: --via and --field. */
  {
    g_autoptr(GError) error = NULL;

    if (!kg_cli_parse_via (options->via_text, &options->via, &error))
      {
        *exit_code = kg_cli_usage (cli, USAGE, error->message);
        return FALSE;
      }
    if (options->fields != NULL)
      {
        options->extra_fields = kg_cli_parse_fields (options->fields, &error);
        if (options->extra_fields == NULL)
          {
            *exit_code = kg_cli_usage (cli, USAGE, error->message);
            return FALSE;
          }
      }
  }

  return TRUE;
}

int
kg_cli_create_project (KgCli  *cli,
                       int     argc,
                       char  **argv)
{
  g_auto(CreateOptions) options = { 0 };
  const KgCliOption table[] = {
    { "name",        KG_CLI_OPTION_STRING, &options.name, NULL },
    { "description", KG_CLI_OPTION_STRING, &options.description, NULL },
    { "via",         KG_CLI_OPTION_STRING, &options.via_text, NULL },
    { "field",       KG_CLI_OPTION_STRING_LIST, &options.fields, NULL },
    { "print-curl",  KG_CLI_OPTION_FLAG, &options.print_curl, NULL },
    { NULL }
  };
  g_autoptr(GPtrArray) positionals = NULL;
  g_autoptr(KgProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KgSecretString) key = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(KgCreateResult) created = NULL;
  g_autofree char *url = NULL;
  KgProjectValues values = { 0 };
  int rc = KG_EXIT_OK;
  /* Token issue: --print-curl shows every exchange of the run. */
  g_autoptr(GPtrArray) exchanges = g_ptr_array_new_with_free_func (g_object_unref);
  gulong collecting = 0;

  if (!kg_cli_parse_options (cli, USAGE, table, argc, argv, &positionals, &rc))
    return rc;
  if (positionals->len != 1)
    return kg_cli_usage (cli, USAGE, _("Give exactly one profile name."));
  if (!build_request (cli, &options, &rc))
    return rc;

  profile = kg_cli_find_profile (cli, g_ptr_array_index (positionals, 0), &error);
  if (profile == NULL)
    return kg_cli_fail (cli, error);

  key = kg_cli_lookup_key (cli, profile, &error);
  if (key == NULL)
    return kg_cli_fail (cli, error);

  values.name = options.name;
  values.description = options.description;
  values.extra_fields = options.extra_fields;

  if (options.print_curl)
    collecting = kg_cli_collect_exchanges (cli, exchanges);
  kg_record_create_project_async (cli->http, profile, NULL, key, &values, options.via, NULL,
                                  kg_cli_store_result_cb, &result);
  result = kg_cli_wait (&result);
  kg_cli_stop_collecting (cli, collecting);
  created = kg_record_create_project_finish (result, &error);
  if (created == NULL)
    {
      if (options.print_curl)
        kg_cli_print_curl (cli, exchanges, NULL);
      return kg_cli_fail (cli, error);
    }

  url = kg_record_build_web_url (profile, "project.project", kg_create_result_get_id (created));

  if (cli->json)
    {
      g_autoptr(JsonObject) out = json_object_new ();

      json_object_set_int_member (out, "project_id", kg_create_result_get_id (created));
      json_object_set_string_member (out, "message", kg_create_result_get_message (created));
      json_object_set_string_member (out, "url", url);
      if (options.print_curl)
        kg_cli_print_curl (cli, exchanges, out);
      kg_cli_print_json (cli, out);
    }
  else
    {
      if (options.print_curl)
        kg_cli_print_curl (cli, exchanges, NULL);
      /* Translators: the server's message, the new project's id, its link */
      kg_cli_print (cli, _("%s: project %lld\n%s\n"),
                    kg_create_result_get_message (created),
                    (long long) kg_create_result_get_id (created), url);
    }

  return KG_EXIT_OK;
}
