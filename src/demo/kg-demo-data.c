/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The demo's data: the fixed users, groups and API keys (public, documented
 * in kg-demo-server.h), and the projects created while the server runs.
 */
#define G_LOG_DOMAIN "keygate-demo"

#include "config.h"

#include "kg-demo-server-private.h"

#include <errno.h>
#include <sys/random.h>

static const DemoUser demo_users[] = {
  { KG_DEMO_ADMIN_UID, "admin", "Mitchell Admin", NULL, FALSE, TRUE, TRUE, TRUE, 3,
    { 2, 18, 17, 7, 1, 0 } },
  { KG_DEMO_ALICE_UID, "alice", "Alice Keygate (2FA, project manager)", KG_DEMO_ALICE_PASSWORD,
    TRUE, TRUE, TRUE, FALSE, 7, { 18, 13, 1, 7, 17, 0 } },
  { KG_DEMO_BOB_UID, "bob", "Bob Keygate (no project rights)", NULL, FALSE, FALSE, FALSE, FALSE, 8,
    { 1, 0 } },
  { KG_DEMO_CAROL_UID, "carol", "Carol Keygate (password only, project user)",
    KG_DEMO_CAROL_PASSWORD, FALSE, FALSE, TRUE, FALSE, 9, { 17, 1, 0 } },
};

static const DemoGroup demo_groups[] = {
  { 1, "base.group_user", "User types / Internal User" },
  { 2, "base.group_system", "Administration / Settings" },
  { 7, "base.group_no_one", "Extra Rights / Technical Features" },
  { 13, "mail.group_mail_canned_response_admin",
    "Canned Responses / Canned Response Administrator" },
  { 17, "project.group_project_user", "Project / User" },
  { 18, "project.group_project_manager", "Project / Administrator" },
};

const DemoKey kg_demo_keys[] = {
  { 1, KG_DEMO_ALICE_KEY, KG_DEMO_ALICE_UID, "Keygate demo", 2, 60, TRUE },
  { 2, KG_DEMO_ALICE_CI_KEY, KG_DEMO_ALICE_UID, "CI key", 80, 10, TRUE },
  { 3, KG_DEMO_EXPIRED_KEY, KG_DEMO_ALICE_UID, "Old script key", 95, -1, FALSE },
  { 4, KG_DEMO_BOB_KEY, KG_DEMO_BOB_UID, "Bob demo key", 5, 30, TRUE },
  { 5, KG_DEMO_CAROL_KEY, KG_DEMO_CAROL_UID, "Carol demo key", 5, 90, TRUE },
};

const guint kg_demo_n_keys = G_N_ELEMENTS (kg_demo_keys);

const DemoUser *
kg_demo_user_by_uid (gint64 uid)
{
  for (guint i = 0; i < G_N_ELEMENTS (demo_users); i++)
    if (demo_users[i].uid == uid)
      return &demo_users[i];
  return NULL;
}

const DemoUser *
kg_demo_user_by_login (const char *login)
{
  if (login == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (demo_users); i++)
    if (g_str_equal (demo_users[i].login, login))
      return &demo_users[i];
  return NULL;
}

gboolean
kg_demo_user_has_group (const DemoUser *user, guint group_id)
{
  for (guint i = 0; user->groups[i] != 0; i++)
    if (user->groups[i] == group_id)
      return TRUE;
  return FALSE;
}

const DemoGroup *
kg_demo_group_by_id (gint64 id)
{
  for (guint i = 0; i < G_N_ELEMENTS (demo_groups); i++)
    if (demo_groups[i].id == id)
      return &demo_groups[i];
  return NULL;
}

const DemoGroup *
kg_demo_group_by_xmlid (const char *xmlid)
{
  for (guint i = 0; i < G_N_ELEMENTS (demo_groups); i++)
    if (g_strcmp0 (demo_groups[i].xmlid, xmlid) == 0)
      return &demo_groups[i];
  return NULL;
}

char *
kg_demo_format_date (GDateTime *base, gint64 offset_seconds)
{
  g_autoptr(GDateTime) dt = g_date_time_add_seconds (base, (gdouble) offset_seconds);
  return g_date_time_format (dt, "%Y-%m-%d %H:%M:%S");
}

static char *
now_string (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  return kg_demo_format_date (now, 0);
}

static gint64
key_expiry_unix (KgDemoServer *self, const DemoKey *key)
{
  if (key->expires_in_days == 0)
    return 0;
  return g_date_time_to_unix (self->epoch) + (gint64) key->expires_in_days * 86400;
}

/* The user a valid (known, unexpired) API key belongs to. */
const DemoUser *
kg_demo_user_for_key (KgDemoServer *self, const char *key)
{
  if (key == NULL)
    return NULL;
  for (guint i = 0; i < kg_demo_n_keys; i++)
    {
      gint64 expiry;

      if (!g_str_equal (kg_demo_keys[i].key, key))
        continue;
      expiry = key_expiry_unix (self, &kg_demo_keys[i]);
      if (expiry != 0 && expiry <= g_get_real_time () / G_USEC_PER_SEC)
        return NULL;
      return kg_demo_user_by_uid (kg_demo_keys[i].uid);
    }
  return NULL;
}

/* RPC credential check: a valid key of @user, or the password of a user
 * without 2FA. */
gboolean
kg_demo_check_rpc_credential (KgDemoServer *self, const DemoUser *user, const char *secret)
{
  if (user == NULL || secret == NULL)
    return FALSE;
  if (kg_demo_user_for_key (self, secret) == user)
    return TRUE;
  return user->password != NULL && !user->totp && g_str_equal (user->password, secret);
}

char *
kg_demo_random_token (gsize n_bytes)
{
  g_autofree guchar *buf = g_malloc (n_bytes);
  g_autofree char *b64 = NULL;
  gsize got = 0;
  GString *out;

  while (got < n_bytes)
    {
      ssize_t r = getrandom (buf + got, n_bytes - got, 0);

      if (r < 0 && errno == EINTR)
        continue;
      if (r <= 0)
        {
          for (; got < n_bytes; got++)
            buf[got] = (guchar) g_random_int_range (0, 256);
          break;
        }
      got += (gsize) r;
    }

  b64 = g_base64_encode (buf, n_bytes);
  out = g_string_new (NULL);
  for (const char *p = b64; *p; p++)
    {
      if (*p == '+')
        g_string_append_c (out, '-');
      else if (*p == '/')
        g_string_append_c (out, '_');
      else if (*p != '=')
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

void
kg_demo_project_free (gpointer data)
{
  DemoProject *project = data;

  g_free (project->name);
  g_free (project->description);
  g_free (project->create_date);
  g_free (project);
}

DemoProject *
kg_demo_project_by_id (KgDemoServer *self, gint64 id)
{
  for (guint i = 0; i < self->projects->len; i++)
    {
      DemoProject *project = g_ptr_array_index (self->projects, i);

      if (project->id == id)
        return project;
    }
  return NULL;
}

guint
kg_demo_add_project (KgDemoServer *self, const char *name, const char *description, guint uid)
{
  DemoProject *project = g_new0 (DemoProject, 1);

  project->id = self->next_project_id++;
  project->name = g_strdup (name);
  if (description != NULL && *description != '\0')
    {
      g_autofree char *escaped = g_markup_escape_text (description, -1);
      project->description = g_strdup_printf ("<p>%s</p>", escaped);
    }
  project->uid = uid;
  project->create_date = now_string ();
  g_ptr_array_add (self->projects, project);
  return project->id;
}
