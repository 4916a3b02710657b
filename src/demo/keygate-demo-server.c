/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keygate-demo-server: the demo Odoo server, on 127.0.0.1. */
#define G_LOG_DOMAIN "keygate-demo"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <glib-unix.h>

#include "kg-demo-server.h"

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_CONTINUE;
}

int
main (int argc, char **argv)
{
  int port = 0;
  int lifetime = 3600;
  gboolean odoo19 = FALSE;
  gboolean no_list_db = FALSE;
  gboolean no_json2 = FALSE;
  g_autofree char *token_path = NULL;
  g_autofree char *key_header = NULL;
  g_autofree char *db_header = NULL;
  g_autofree char *token_header = NULL;
  g_autofree char *api_key_header = NULL;
  const GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &port,
      "Port on 127.0.0.1 (0: any free port)", "N" },
    { "lifetime", 0, 0, G_OPTION_ARG_INT, &lifetime,
      "Access-token lifetime in seconds (3600)", "S" },
    { "odoo19", 0, 0, G_OPTION_ARG_NONE, &odoo19,
      "Answer like Odoo 19", NULL },
    { "no-list-db", 0, 0, G_OPTION_ARG_NONE, &no_list_db,
      "Refuse to list databases (list_db = False)", NULL },
    { "no-json2", 0, 0, G_OPTION_ARG_NONE, &no_json2,
      "Do not serve /json/2 (like Odoo 18)", NULL },
    { "token-path", 0, 0, G_OPTION_ARG_STRING, &token_path,
      "Dotted JSON path of the token (access_token)", "PATH" },
    { "key-header", 0, 0, G_OPTION_ARG_STRING, &key_header,
      "API key header of the token route (X-API-Key)", "NAME" },
    { "db-header", 0, 0, G_OPTION_ARG_STRING, &db_header,
      "Database header (X-Odoo-Database)", "NAME" },
    { "token-header", 0, 0, G_OPTION_ARG_STRING, &token_header,
      "Token header (X-Access-Token)", "NAME" },
    { "api-key-header", 0, 0, G_OPTION_ARG_STRING, &api_key_header,
      "Header of /api/key/project/create (API-KEY)", "NAME" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- a demo Odoo server for Keygate");
  g_autoptr(GError) error = NULL;
  g_autoptr(KgDemoServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  guint sigint, sigterm;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context,
    "Answers like Odoo 18 JSON-RPC (or Odoo 19 with --odoo19), the common token module\n"
    "(/auth/token/apikey, /api/project/create), an API-key-in-a-header route\n"
    "(/api/key/project/create) and Odoo 19 JSON-2 (/json/2/<model>/<method>).\n"
    "The credentials it prints are public demo values, not secrets.");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "keygate-demo-server: %s\n", error->message);
      return 2;
    }
  if (port < 0 || port > 65535 || lifetime < 0)
    {
      fprintf (stderr, "keygate-demo-server: --port must be 0..65535 and --lifetime >= 0\n");
      return 2;
    }

  server = kg_demo_server_new ();
  kg_demo_server_set_odoo19 (server, odoo19);
  kg_demo_server_set_list_db (server, !no_list_db);
  kg_demo_server_set_json2 (server, !no_json2);
  kg_demo_server_set_token_lifetime (server, (guint) lifetime);
  kg_demo_server_set_token_path (server, token_path);
  kg_demo_server_set_key_header (server, key_header);
  kg_demo_server_set_db_header (server, db_header);
  kg_demo_server_set_token_header (server, token_header);
  kg_demo_server_set_api_key_header (server, api_key_header);

  if (!kg_demo_server_start (server, (guint) port, &error))
    {
      fprintf (stderr, "keygate-demo-server: cannot listen on 127.0.0.1:%d: %s\n",
               port, error->message);
      return 1;
    }

  printf ("URL: %s\n", kg_demo_server_get_url (server));
  printf ("Answers like: Odoo %s%s\n", odoo19 ? "19" : "18",
          no_json2 ? "" : " (+ JSON-2 at /json/2)");
  printf ("Database: %s\n", KG_DEMO_DATABASE);
  printf ("Demo credentials (public demo values, not secrets):\n");
  printf ("  alice (uid %d, 2FA on, project administrator): password %s, API key %s\n",
          KG_DEMO_ALICE_UID, KG_DEMO_ALICE_PASSWORD, KG_DEMO_ALICE_KEY);
  printf ("  alice expired API key: %s\n", KG_DEMO_EXPIRED_KEY);
  printf ("  bob (uid %d, no project rights): API key %s\n", KG_DEMO_BOB_UID, KG_DEMO_BOB_KEY);
  printf ("  carol (uid %d, project user, no 2FA): password %s, API key %s\n",
          KG_DEMO_CAROL_UID, KG_DEMO_CAROL_PASSWORD, KG_DEMO_CAROL_KEY);
  printf ("Access tokens live %d s. Stop with Ctrl+C.\n", lifetime);
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  sigint = g_unix_signal_add (SIGINT, quit_cb, loop);
  sigterm = g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_main_loop_run (loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);

  kg_demo_server_stop (server);
  return 0;
}
