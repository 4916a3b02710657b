/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "kg-test-utils.h"
#include "kg-hostile-routes.h"

KgDemoServer *
kg_test_get_demo_server (void)
{
  static KgDemoServer *server;

  if (server == NULL)
    {
      g_autoptr(GError) error = NULL;

      server = kg_demo_server_new ();
      kg_demo_server_start_in_thread (server, &error);
      g_assert_no_error (error);
      kg_hostile_routes_register (server);
    }

  return server;
}

KgProfile *
kg_test_demo_profile (const char *login)
{
  KgDemoServer *server = kg_test_get_demo_server ();
  KgProfile *profile = kg_profile_new ();
  g_autofree char *name = g_strdup_printf ("Demo %s", login);

  kg_profile_set_name (profile, name);
  kg_profile_set_url (profile, kg_demo_server_get_url (server));
  kg_profile_set_database (profile, KG_DEMO_DATABASE);
  kg_profile_set_login (profile, login);
  kg_profile_set_timeout (profile, 10);

  return profile;
}
