/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Against the real gnome-keyring-daemon of .ci/headless-session. */
#include "config.h"

#include <glib/gstdio.h>

#include <string.h>

#include <libsecret/secret.h>

#include "kg-test-utils.h"

/* The schema as a keyring browser sees it (same name and attributes). */
static const SecretSchema test_schema = {
  "io.github.keygate.ApiKey", SECRET_SCHEMA_NONE,
  {
    { "profile-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "url", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "database", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "login", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  },
};

/* Every key this program stored: none may reach a file or a log line. */
static GPtrArray *used_keys;

static char *
random_key (void)
{
  GString *key = g_string_new (NULL);

  for (guint i = 0; i < 40; i++)
    g_string_append_c (key, "0123456789abcdef"[g_random_int_range (0, 16)]);
  g_ptr_array_add (used_keys, g_strdup (key->str));
  return g_string_free (key, FALSE);
}

static KgProfile *
make_profile (const char *name)
{
  KgProfile *profile = kg_profile_new ();

  kg_profile_set_name (profile, name);
  kg_profile_set_url (profile, "https://odoo.example.com:8443");
  kg_profile_set_database (profile, "prod");
  kg_profile_set_login (profile, "admin@example.com");
  return profile;
}

static gboolean
store (KgProfile  *profile,
       const char *key,
       GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) done = NULL;

  kg_keyring_store_async (profile, key, NULL, kg_test_store_result_cb, &result);
  done = kg_test_wait_result (&result);
  return kg_keyring_store_finish (done, error);
}

static char *
lookup (KgProfile *profile,
        GError   **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) done = NULL;

  kg_keyring_lookup_async (profile, NULL, kg_test_store_result_cb, &result);
  done = kg_test_wait_result (&result);
  return kg_keyring_lookup_finish (done, error);
}

static gboolean
clear (KgProfile *profile,
       GError   **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) done = NULL;

  kg_keyring_clear_async (profile, NULL, kg_test_store_result_cb, &result);
  done = kg_test_wait_result (&result);
  return kg_keyring_clear_finish (done, error);
}

static gboolean
has_key (KgProfile *profile,
         GError   **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) done = NULL;

  kg_keyring_has_key_async (profile, NULL, kg_test_store_result_cb, &result);
  done = kg_test_wait_result (&result);
  return kg_keyring_has_key_finish (done, error);
}

/* Items of @profile as the Secret Service lists them, secrets not loaded.
 * (Async on the default context: libsecret's _sync calls run a private
 * context that strands GDBus' cleanups, which LeakSanitizer reports.) */
static GList *
search_items (KgProfile *profile)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) done = NULL;
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  GList *items;

  g_hash_table_insert (attributes, (gpointer) "profile-id", (gpointer) kg_profile_get_id (profile));
  secret_password_searchv (&test_schema, attributes, SECRET_SEARCH_ALL, NULL,
                           kg_test_store_result_cb, &result);
  done = kg_test_wait_result (&result);
  items = secret_password_search_finish (done, &error);
  g_assert_no_error (error);
  return items;
}

static void
free_items (GList *items)
{
  g_list_free_full (items, g_object_unref);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* What the window does at start-up and on a burst of clicks: many calls
 * started before any ends. Each ends once, with its own answer, in the
 * order the calls were made (a lookup after a store finds the key). */
#define N_AT_ONCE 6

static void
test_keyring_many_at_once (void)
{
  KgProfile *profiles[N_AT_ONCE];
  char *keys[N_AT_ONCE];
  GAsyncResult *stored[N_AT_ONCE] = { NULL };
  GAsyncResult *found[N_AT_ONCE] = { NULL };
  GAsyncResult *looked_up[N_AT_ONCE] = { NULL };
  GAsyncResult *cleared[N_AT_ONCE] = { NULL };
  g_autoptr(GAsyncResult) listed_before = NULL;
  g_autoptr(GAsyncResult) listed = NULL;
  g_autoptr(GAsyncResult) listed_done = NULL;
  g_autoptr(GHashTable) ids_before = NULL;
  g_autoptr(GHashTable) ids = NULL;
  g_autoptr(GError) error = NULL;

  /* The window's first call: which connections have a key. It is
   * answered before the stores queued after it. */
  kg_keyring_list_profile_ids_async (NULL, kg_test_store_result_cb, &listed_before);
  for (guint i = 0; i < N_AT_ONCE; i++)
    {
      g_autofree char *name = g_strdup_printf ("At once %u", i);

      profiles[i] = make_profile (name);
      keys[i] = random_key ();
      kg_keyring_has_key_async (profiles[i], NULL, kg_test_store_result_cb, &found[i]);
      kg_keyring_store_async (profiles[i], keys[i], NULL, kg_test_store_result_cb, &stored[i]);
      kg_keyring_lookup_async (profiles[i], NULL, kg_test_store_result_cb, &looked_up[i]);
    }
  kg_keyring_list_profile_ids_async (NULL, kg_test_store_result_cb, &listed);

  for (guint i = 0; i < N_AT_ONCE; i++)
    {
      g_autoptr(GAsyncResult) has = kg_test_wait_result (&found[i]);
      g_autoptr(GAsyncResult) store_done = kg_test_wait_result (&stored[i]);
      g_autoptr(GAsyncResult) lookup_done = kg_test_wait_result (&looked_up[i]);
      g_autofree char *key = NULL;

      /* Asked before the store: no key yet. */
      g_assert_false (kg_keyring_has_key_finish (has, &error));
      g_assert_no_error (error);
      g_assert_true (kg_keyring_store_finish (store_done, &error));
      g_assert_no_error (error);
      key = kg_keyring_lookup_finish (lookup_done, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (key, ==, keys[i]);
      kg_secret_free (g_steal_pointer (&key));
    }

  {
    g_autoptr(GAsyncResult) before_done = kg_test_wait_result (&listed_before);

    ids_before = kg_keyring_list_profile_ids_finish (before_done, &error);
    g_assert_no_error (error);
    g_assert_nonnull (ids_before);
    for (guint i = 0; i < N_AT_ONCE; i++)
      g_assert_false (g_hash_table_contains (ids_before, kg_profile_get_id (profiles[i])));
  }

  listed_done = kg_test_wait_result (&listed);
  ids = kg_keyring_list_profile_ids_finish (listed_done, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < N_AT_ONCE; i++)
    {
      g_assert_true (g_hash_table_contains (ids, kg_profile_get_id (profiles[i])));
      kg_keyring_clear_async (profiles[i], NULL, kg_test_store_result_cb, &cleared[i]);
    }

  for (guint i = 0; i < N_AT_ONCE; i++)
    {
      g_autoptr(GAsyncResult) clear_done = kg_test_wait_result (&cleared[i]);

      g_assert_true (kg_keyring_clear_finish (clear_done, &error));
      g_assert_no_error (error);
      g_object_unref (profiles[i]);
      g_free (keys[i]);
    }
}

/* Another client (the CLI, a keyring browser) removes keys while the
 * window lists which connections have one: the list still comes, once,
 * without the removed keys' fault becoming the user's ("keyring locked"). */
static void
test_keyring_list_while_removed (void)
{
  gboolean file_backend = g_strcmp0 (g_getenv ("KEYGATE_TEST_SECRET_BACKEND"), "file") == 0;

  for (guint round = 0; round < 10; round++)
    {
      KgProfile *profiles[N_AT_ONCE];
      g_autoptr(GAsyncResult) listed = NULL;
      g_autoptr(GAsyncResult) done = NULL;
      g_autoptr(GHashTable) ids = NULL;
      g_autoptr(GError) error = NULL;
      GAsyncResult *removed[N_AT_ONCE] = { NULL };
      guint n_cleared = 0;

      for (guint i = 0; i < N_AT_ONCE; i++)
        {
          g_autofree char *key = random_key ();

          profiles[i] = make_profile ("Removed meanwhile");
          g_assert_true (store (profiles[i], key, &error));
          g_assert_no_error (error);
        }

      kg_keyring_list_profile_ids_async (NULL, kg_test_store_result_cb, &listed);
      /* Straight through libsecret, as another client would: not queued
       * behind Keygate's own calls. On the file backend (the Flatpak app's
       * own file, which no other client writes) one after the other: its
       * writes overlapping in one process lose one another (1 run in 25
       * under load failed a clear), which is why Keygate queues its own. */
      for (guint i = 0; i < N_AT_ONCE; i += 2)
        {
          g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);

          g_hash_table_insert (attributes, (gpointer) "profile-id",
                               (gpointer) kg_profile_get_id (profiles[i]));
          secret_password_clearv (&test_schema, attributes, NULL, kg_test_store_result_cb,
                                  &removed[i]);
          if (file_backend)
            removed[i] = kg_test_wait_result (&removed[i]);
        }

      done = kg_test_wait_result (&listed);
      ids = kg_keyring_list_profile_ids_finish (done, &error);
      g_assert_no_error (error);
      for (guint i = 1; i < N_AT_ONCE; i += 2)
        g_assert_true (g_hash_table_contains (ids, kg_profile_get_id (profiles[i])));
      for (guint i = 0; i < N_AT_ONCE; i += 2)
        {
          g_autoptr(GAsyncResult) removed_done = file_backend ? g_steal_pointer (&removed[i])
                                                              : kg_test_wait_result (&removed[i]);

          g_assert_true (secret_password_clear_finish (removed_done, &error));
          g_assert_no_error (error);
        }

      for (guint i = 0; i < N_AT_ONCE; i++)
        {
          if (clear (profiles[i], NULL))
            n_cleared++;
          g_object_unref (profiles[i]);
        }
      /* The keys kept were still there; the others were gone. */
      g_assert_cmpuint (n_cleared, ==, N_AT_ONCE / 2);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
}

static void
test_keyring_key_format (void)
{
  g_autoptr(GError) error = NULL;
  char *key;

  g_assert_true (kg_keyring_key_looks_valid ("0123456789abcdef0123456789abcdef01234567"));
  g_assert_false (kg_keyring_key_looks_valid ("0123456789abcdef0123456789abcdef0123456"));
  g_assert_false (kg_keyring_key_looks_valid ("0123456789abcdef0123456789abcdef012345678"));
  g_assert_false (kg_keyring_key_looks_valid ("0123456789ABCDEF0123456789abcdef01234567"));
  g_assert_false (kg_keyring_key_looks_valid ("0123456789abcdef0123456789abcdef0123456g"));
  g_assert_false (kg_keyring_key_looks_valid (""));
  g_assert_false (kg_keyring_key_looks_valid (NULL));

  key = kg_keyring_normalize_key ("  \t0123456789abcdef0123456789abcdef01234567\n", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (key, ==, "0123456789abcdef0123456789abcdef01234567");
  kg_secret_free (key);

  /* Not Odoo's format but a key all the same: accepted, only flagged. */
  key = kg_keyring_normalize_key ("my-custom-key", &error);
  g_assert_no_error (error);
  g_assert_false (kg_keyring_key_looks_valid (key));
  kg_secret_free (key);

  g_assert_null (kg_keyring_normalize_key (" \n\t ", &error));
  g_assert_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_null (kg_keyring_normalize_key (NULL, &error));
  g_assert_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  /* Control characters and a megabyte of text cannot be a key. */
  g_assert_null (kg_keyring_normalize_key ("0123456789abcdef\x1b[2J0123456789abcdef", &error));
  g_assert_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "0x1b"));
  g_clear_error (&error);
  {
    g_autofree char *huge = g_strnfill (KG_KEYRING_MAX_KEY_LENGTH + 1, 'a');
    g_autofree char *longest = g_strnfill (KG_KEYRING_MAX_KEY_LENGTH, 'a');

    g_assert_null (kg_keyring_normalize_key (huge, &error));
    g_assert_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT);
    g_clear_error (&error);
    key = kg_keyring_normalize_key (longest, &error);
    g_assert_no_error (error);
    kg_secret_free (key);
  }
  g_assert_null (kg_keyring_normalize_key ("abc\ndef", &error));
  g_assert_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_null (kg_keyring_normalize_key ("abc\rdef", &error));
  g_assert_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  kg_secret_free (NULL);
}

static void
test_keyring_store_lookup_clear (void)
{
  g_autoptr(KgProfile) profile = make_profile ("Production");
  g_autofree char *key = random_key ();
  g_autoptr(GError) error = NULL;
  g_autofree char *padded = g_strdup_printf ("  %s\n", key);
  char *found;

  g_assert_false (has_key (profile, &error));
  g_assert_no_error (error);

  /* The key is stored trimmed. */
  g_assert_true (store (profile, padded, &error));
  g_assert_no_error (error);
  g_assert_true (has_key (profile, &error));
  g_assert_no_error (error);

  found = lookup (profile, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, key);
  kg_secret_free (found);

  g_assert_true (clear (profile, &error));
  g_assert_no_error (error);
  g_assert_false (has_key (profile, &error));
  g_assert_no_error (error);

  found = lookup (profile, &error);
  g_assert_null (found);
  g_assert_error (error, KG_ERROR, KG_ERROR_KEY_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "Production"));
  g_clear_error (&error);

  /* Clearing again is not an error: there was nothing to clear. */
  g_assert_false (clear (profile, &error));
  g_assert_no_error (error);

  /* An empty key is refused before reaching the keyring. */
  g_assert_false (store (profile, " \n", &error));
  g_assert_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_false (has_key (profile, NULL));
}

/* Two profiles with the same server, database and login keep their own keys. */
static void
test_keyring_two_profiles (void)
{
  g_autoptr(KgProfile) a = make_profile ("A");
  g_autoptr(KgProfile) b = make_profile ("B");
  g_autofree char *key_a = random_key ();
  g_autofree char *key_b = random_key ();
  g_autoptr(GError) error = NULL;
  char *found;

  g_assert_true (store (a, key_a, &error));
  g_assert_no_error (error);
  g_assert_true (store (b, key_b, &error));
  g_assert_no_error (error);

  found = lookup (a, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, key_a);
  kg_secret_free (found);
  found = lookup (b, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, key_b);
  kg_secret_free (found);

  g_assert_true (clear (a, &error));
  g_assert_no_error (error);
  found = lookup (b, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, key_b);
  kg_secret_free (found);
  g_assert_null (lookup (a, &error));
  g_assert_error (error, KG_ERROR, KG_ERROR_KEY_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (clear (b, NULL));
}

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Issue 12: which profiles have a key, for every lock icon of the sidebar,
 * from one search: the stored ones are in, a cleared one and one that
 * never had a key are not. */
static void
test_keyring_list_profile_ids (void)
{
  g_autoptr(KgProfile) a = make_profile ("A");
  g_autoptr(KgProfile) b = make_profile ("B");
  g_autoptr(KgProfile) none = make_profile ("None");
  g_autofree char *key_a = random_key ();
  g_autofree char *key_b = random_key ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GHashTable) ids = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (store (a, key_a, &error));
  g_assert_true (store (b, key_b, &error));
  g_assert_no_error (error);
  g_assert_true (clear (b, &error));
  g_assert_no_error (error);

  kg_keyring_list_profile_ids_async (NULL, store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  ids = kg_keyring_list_profile_ids_finish (result, &error);
  g_assert_no_error (error);
  g_assert_true (g_hash_table_contains (ids, kg_profile_get_id (a)));
  g_assert_false (g_hash_table_contains (ids, kg_profile_get_id (b)));
  g_assert_false (g_hash_table_contains (ids, kg_profile_get_id (none)));

  g_assert_true (clear (a, NULL));
}

/* What a keyring manager shows: the label and the attributes. */
static void
test_keyring_label_and_attributes (void)
{
  g_autoptr(KgProfile) profile = make_profile ("Labelled");
  g_autofree char *key = random_key ();
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;
  GList *items;

  g_assert_true (store (profile, key, &error));
  g_assert_no_error (error);

  items = search_items (profile);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  label = secret_retrievable_get_label (items->data);
  g_assert_cmpstr (label, ==, "Odoo API key for admin@example.com on odoo.example.com:8443/prod");
  {
    g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (items->data);

    /* libsecret adds the schema name over D-Bus; its file backend (the
     * Flatpak's path) keeps only the schema's own attributes. */
    if (g_strcmp0 (g_getenv ("SECRET_BACKEND"), "file") != 0)
      g_assert_cmpstr (g_hash_table_lookup (attributes, "xdg:schema"), ==,
                       "io.github.keygate.ApiKey");
    g_assert_cmpstr (g_hash_table_lookup (attributes, "profile-id"), ==, kg_profile_get_id (profile));
    g_assert_cmpstr (g_hash_table_lookup (attributes, "url"), ==, "https://odoo.example.com:8443");
    g_assert_cmpstr (g_hash_table_lookup (attributes, "database"), ==, "prod");
    g_assert_cmpstr (g_hash_table_lookup (attributes, "login"), ==, "admin@example.com");
    /* No secret in the attributes. */
    g_assert_false (g_hash_table_contains (attributes, "key"));
  }
  free_items (items);

  g_assert_true (clear (profile, NULL));
}

/* Editing the profile's URL keeps its key, and storing again leaves one item. */
static void
test_keyring_url_change_keeps_key (void)
{
  g_autoptr(KgProfile) profile = make_profile ("Moving");
  g_autofree char *key = random_key ();
  g_autofree char *key2 = random_key ();
  g_autoptr(GError) error = NULL;
  GList *items;
  char *found;

  g_assert_true (store (profile, key, &error));
  g_assert_no_error (error);

  kg_profile_set_url (profile, "https://new.example.com");
  kg_profile_set_login (profile, "bot");
  found = lookup (profile, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, key);
  kg_secret_free (found);

  g_assert_true (store (profile, key2, &error));
  g_assert_no_error (error);
  items = search_items (profile);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  {
    g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (items->data);
    g_autofree char *label = secret_retrievable_get_label (items->data);

    g_assert_cmpstr (g_hash_table_lookup (attributes, "url"), ==, "https://new.example.com");
    g_assert_cmpstr (label, ==, "Odoo API key for bot on new.example.com/prod");
  }
  free_items (items);

  found = lookup (profile, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, key2);
  kg_secret_free (found);

  /* Storing the same key twice keeps one item too. */
  g_assert_true (store (profile, key2, &error));
  items = search_items (profile);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  free_items (items);

  g_assert_true (clear (profile, NULL));
}

static void
test_keyring_sync (void)
{
  g_autoptr(KgProfile) profile = make_profile ("Sync");
  g_autofree char *key = random_key ();
  g_autoptr(GError) error = NULL;
  g_autoptr(KgSecretString) found = NULL;

  g_assert_true (kg_keyring_store_sync (profile, key, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (kg_keyring_has_key_sync (profile, NULL, &error));
  g_assert_no_error (error);
  found = kg_keyring_lookup_sync (profile, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, key);
  g_assert_true (kg_keyring_clear_sync (profile, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (kg_keyring_clear_sync (profile, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (kg_keyring_lookup_sync (profile, NULL, &error));
  g_assert_error (error, KG_ERROR, KG_ERROR_KEY_NOT_FOUND);
}

static void
test_keyring_cancelled (void)
{
  g_autoptr(KgProfile) profile = make_profile ("Cancelled");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_null (kg_keyring_lookup_sync (profile, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* Runs the keyring calls against @address and checks each fails with
 * keyring-unavailable within a second. */
static void
assert_unavailable_fast (const char *address)
{
  g_autoptr(KgProfile) profile = make_profile ("Nowhere");
  g_autoptr(GError) error = NULL;
  gint64 start, elapsed;
  char *found;

  g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);

  start = g_get_monotonic_time ();
  found = kg_keyring_lookup_sync (profile, NULL, &error);
  elapsed = g_get_monotonic_time () - start;
  g_assert_null (found);
  g_assert_error (error, KG_ERROR, KG_ERROR_KEYRING_UNAVAILABLE);
  g_assert_true (g_str_has_prefix (error->message, "No Secret Service"));
  /* stderr: the parent shows a subprocess's stderr, not its stdout. */
  g_printerr ("# %s: lookup failed after %.1f ms (%s)\n", address, elapsed / 1000.0,
              kg_error_get_server_message (error));
  g_assert_cmpint (elapsed, <, G_USEC_PER_SEC);
  g_clear_error (&error);

  start = g_get_monotonic_time ();
  g_assert_false (kg_keyring_store_sync (profile, "0123456789abcdef0123456789abcdef01234567",
                                         NULL, &error));
  elapsed = g_get_monotonic_time () - start;
  g_assert_error (error, KG_ERROR, KG_ERROR_KEYRING_UNAVAILABLE);
  g_printerr ("# store failed after %.1f ms\n", elapsed / 1000.0);
  g_assert_cmpint (elapsed, <, G_USEC_PER_SEC);
  g_clear_error (&error);

  start = g_get_monotonic_time ();
  g_assert_false (kg_keyring_has_key_sync (profile, NULL, &error));
  elapsed = g_get_monotonic_time () - start;
  g_assert_error (error, KG_ERROR, KG_ERROR_KEYRING_UNAVAILABLE);
  g_assert_cmpint (elapsed, <, G_USEC_PER_SEC);
  g_clear_error (&error);

  g_assert_false (kg_keyring_clear_sync (profile, NULL, &error));
  g_assert_error (error, KG_ERROR, KG_ERROR_KEYRING_UNAVAILABLE);
}

/* A session bus on which nothing provides (or can activate) a Secret
 * Service. `dbus-daemon --session` would read the system's service files
 * and activate gnome-keyring, so the bus gets a config of its own. */
static void
test_keyring_no_secret_service (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *config_path = NULL;
  g_autofree char *config = NULL;
  g_autofree char *config_arg = NULL;
  g_autofree char *address = NULL;
  g_autoptr(GSubprocess) daemon = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (g_getenv ("SECRET_BACKEND"), "file") == 0)
    {
      g_test_skip ("libsecret's file backend talks to no Secret Service");
      return;
    }

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 20 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }

  dir = g_build_filename (kg_test_get_tmpdir (), "private-bus", NULL);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  config_path = g_build_filename (dir, "bus.conf", NULL);
  config = g_strdup_printf (
    "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
    " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
    "<busconfig>\n"
    "  <type>session</type>\n"
    "  <listen>unix:path=%s/socket</listen>\n"
    "  <auth>EXTERNAL</auth>\n"
    "  <policy context=\"default\">\n"
    "    <allow send_destination=\"*\" eavesdrop=\"true\"/>\n"
    "    <allow eavesdrop=\"true\"/>\n"
    "    <allow own=\"*\"/>\n"
    "  </policy>\n"
    "</busconfig>\n", dir);
  g_file_set_contents (config_path, config, -1, &error);
  g_assert_no_error (error);

  config_arg = g_strconcat ("--config-file=", config_path, NULL);
  daemon = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                             "dbus-daemon", config_arg, "--print-address", "--nofork", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (daemon));
  address = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (address);

  assert_unavailable_fast (address);

  g_subprocess_force_exit (daemon);
  g_subprocess_wait (daemon, NULL, NULL);
}

/* No bus at all (the address points at nothing). */
static void
test_keyring_no_bus (void)
{
  g_autofree char *address = NULL;

  if (g_strcmp0 (g_getenv ("SECRET_BACKEND"), "file") == 0)
    {
      g_test_skip ("libsecret's file backend talks to no Secret Service");
      return;
    }

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 20 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }

  address = g_strdup_printf ("unix:path=%s/no-such-bus", kg_test_get_tmpdir ());
  assert_unavailable_fast (address);
}

/* Runs last: no key reached a file under the test's dirs or a log line. */
static void
test_keyring_no_key_in_files_or_logs (void)
{
  g_assert_cmpuint (used_keys->len, >, 0);
  for (guint i = 0; i < used_keys->len; i++)
    {
      const char *key = g_ptr_array_index (used_keys, i);

      kg_test_assert_dir_lacks (kg_test_get_tmpdir (), key);
      /* Read the log text afresh: scanning may have logged more. */
      g_assert_null (strstr (kg_test_get_logged_text (), key));
    }

  /* On the file backend (the Flatpak's path) the keys went into the keyring
   * file inside the scanned temp dir: it exists, and holds none of them in
   * plain text (checked above). */
  if (g_strcmp0 (g_getenv ("SECRET_BACKEND"), "file") == 0)
    {
      const char *path = g_getenv ("SECRET_FILE_TEST_PATH");
      GStatBuf st;

      g_assert_nonnull (path);
      g_assert_true (g_str_has_prefix (path, kg_test_get_tmpdir ()));
      g_assert_cmpint (g_stat (path, &st), ==, 0);
      g_assert_cmpint (st.st_size, >, 0);
      g_test_message ("file keyring %s: %" G_GINT64_FORMAT " bytes", path, (gint64) st.st_size);
    }
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  kg_test_init (&argc, &argv);
  kg_test_capture_logs ();
  used_keys = g_ptr_array_new_with_free_func (g_free);

  /* First, while libsecret's session with the service is still new. */
  g_test_add_func ("/keyring/many-at-once", test_keyring_many_at_once);
  g_test_add_func ("/keyring/list-while-removed", test_keyring_list_while_removed);
  g_test_add_func ("/keyring/key-format", test_keyring_key_format);
  g_test_add_func ("/keyring/store-lookup-clear", test_keyring_store_lookup_clear);
  g_test_add_func ("/keyring/two-profiles", test_keyring_two_profiles);
  g_test_add_func ("/keyring/list-profile-ids", test_keyring_list_profile_ids);
  g_test_add_func ("/keyring/label-and-attributes", test_keyring_label_and_attributes);
  g_test_add_func ("/keyring/url-change-keeps-key", test_keyring_url_change_keeps_key);
  g_test_add_func ("/keyring/sync", test_keyring_sync);
  g_test_add_func ("/keyring/cancelled", test_keyring_cancelled);
  g_test_add_func ("/keyring/no-secret-service", test_keyring_no_secret_service);
  g_test_add_func ("/keyring/no-bus", test_keyring_no_bus);
  g_test_add_func ("/keyring/no-key-in-files-or-logs", test_keyring_no_key_in_files_or_logs);

  ret = g_test_run ();
  g_ptr_array_unref (used_keys);
  return ret;
}
