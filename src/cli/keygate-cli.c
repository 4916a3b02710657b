/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "kg-cli.h"

typedef int (*KgCliCommandFunc) (KgCli *cli, int argc, char **argv);

typedef struct
{
  const char       *name;
  KgCliCommandFunc  func;
  gboolean          needs_profiles;
} KgCliCommand;

/* Each command group lives in its own file (see kg-cli.h). */
static const KgCliCommand commands[] = {
  { "profile",        kg_cli_profile,        TRUE },
  { "key",            kg_cli_key,            TRUE },
  { "create-project", kg_cli_create_project, TRUE },
  { "token",          kg_cli_token,          TRUE },
  { "diagnose",       kg_cli_diagnose,       TRUE },
  { "call",           kg_cli_call,           TRUE },
  { "request",        kg_cli_request,        TRUE },
  { "run",            kg_cli_run,            TRUE },
};

static void
print_help (FILE *out)
{
  fprintf (out, "%s",
           _("Usage:\n"
             "  keygate-cli profile add NAME --url URL --db DB --login LOGIN [--protocol jsonrpc|token] [--timeout S]\n"
             "        [--key-name NAME] [--preset tutorial|api-key-header|json2|custom] [--token-path PATH]\n"
             "        [--token-method POST|GET] [--db-header H] [--key-header H] [--token-header H]\n"
             "        [--token-json-path P] [--expires-json-path P] [--create-path PATH] [--id-json-path P]\n"
             "        [--message-json-path P] [--name-field F] [--description-field F]\n"
             "  keygate-cli profile list [--json]\n"
             "  keygate-cli profile show NAME [--json]\n"
             "  keygate-cli profile remove NAME            (also forgets its key)\n"
             "  keygate-cli key set NAME                   (reads the key from stdin, one line)\n"
             "  keygate-cli key verify NAME [--json]\n"
             "  keygate-cli key forget NAME\n"
             "  keygate-cli create-project NAME --name TEXT [--description TEXT] [--field K=V]...\n"
             "        [--via token|jsonrpc] [--print-curl] [--json]\n"
             "  keygate-cli token NAME [--json] [--show-token] [--print-curl]\n"
             "  keygate-cli diagnose NAME [--password-stdin] [--json]\n"
             "  keygate-cli call NAME --model MODEL --method METHOD [--args JSON] [--kwargs JSON]\n"
             "        [--print-curl] [--json]\n"
             "  keygate-cli request NAME METHOD PATH [--auth none|api-key|token]\n"
             "        [--header K:V]... [--query K=V]...\n"
             "        [--json-body JSON | --form K=V... | --data TEXT]\n"
             "        [--allow-origin ORIGIN] [--print-curl] [--json]\n"
             "  keygate-cli run FILE [--connection NAME] [--var NAME=VALUE]... [--junit FILE]\n"
             "        [--bail] [--json]       (runs a request collection; exit 1 when a request\n"
             "                                  fails)\n"
             "\n"
             "Keys and passwords are read from standard input, never from the command line.\n"
             "Exit codes: 0 ok, 2 usage, 3 authentication, 4 permission, 5 connection,\n"
"6 server or protocol, 7 keyring.\n"));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  KgCli cli = { 0 };
  const KgCliCommand *command = NULL;
  int rc;

  /* Keys and tokens pass through this process's memory: no crash dump. */
  if (!kg_process_protect_secrets (NULL))
    g_printerr ("keygate-cli: could not turn off core dumps\n");

  setlocale (LC_ALL, "");
  /* KEYGATE_LOCALEDIR: the build's po/ folder, to run translated from the
   * build tree (tests, development); installed, LOCALEDIR holds them. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("KEYGATE_LOCALEDIR") ? g_getenv ("KEYGATE_LOCALEDIR")
                                                                   : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("keygate-cli");

  /* --json may appear anywhere on the command line. */
  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--json"))
        cli.json = TRUE;
      else
        g_ptr_array_add (args, argv[i]);
    }
  g_ptr_array_add (args, NULL);

  if (args->len == 1)
    {
      print_help (stderr);
      return KG_EXIT_USAGE;
    }

  if (g_str_equal (args->pdata[0], "--help") || g_str_equal (args->pdata[0], "-h") ||
      g_str_equal (args->pdata[0], "help"))
    {
      print_help (stdout);
      return KG_EXIT_OK;
    }

  if (g_str_equal (args->pdata[0], "--version"))
    {
      printf ("keygate-cli %s\n", PACKAGE_VERSION);
      return KG_EXIT_OK;
    }

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (g_str_equal (commands[i].name, args->pdata[0]))
        command = &commands[i];
    }

  if (command == NULL)
    {
      g_autofree char *problem = g_strdup_printf (_("Unknown command “%s”."),
                                                  (const char *) args->pdata[0]);
      return kg_cli_usage (&cli, "keygate-cli --help", problem);
    }

  if (command->needs_profiles)
    {
      g_autoptr(GError) error = NULL;

      if (!kg_cli_setup (&cli, &error))
        {
          rc = kg_cli_fail (&cli, error);
          kg_cli_teardown (&cli);
          return rc;
        }
    }

  rc = command->func (&cli, (int) args->len - 1, (char **) args->pdata);
  kg_cli_teardown (&cli);

  return rc;
}
