/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "kg-test-utils.h"

static KgProfile *
make_profile (const char *name)
{
  KgProfile *profile = kg_profile_new ();

  kg_profile_set_name (profile, name);
  kg_profile_set_url (profile, "https://odoo.example.com");
  kg_profile_set_database (profile, "prod");
  kg_profile_set_login (profile, "admin");
  return profile;
}

/* A fresh directory per test under the isolated temp dir. */
static GFile *
fresh_store_file (const char *test)
{
  g_autofree char *dir = g_build_filename (kg_test_get_tmpdir (), "stores", test, NULL);
  g_autofree char *path = g_build_filename (dir, "keygate", "profiles.json", NULL);

  return g_file_new_for_path (path);
}

static char *
read_file (GFile *file)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_assert_true (g_file_load_contents (file, NULL, &contents, NULL, NULL, &error));
  g_assert_no_error (error);
  return contents;
}

static void
write_file (GFile      *file,
            const char *contents)
{
  g_autoptr(GFile) dir = g_file_get_parent (file);
  g_autofree char *dir_path = g_file_get_path (dir);
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir_path, 0700), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static guint
file_mode (GFile *file)
{
  g_autofree char *path = g_file_get_path (file);
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 0777;
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  GString *log = user_data;

  g_string_append_printf (log, "%u-%u+%u;", position, removed, added);
}

/* The default file lives under $XDG_CONFIG_HOME (isolated per test). */
static void
test_store_default_file (void)
{
  g_autoptr(KgProfileStore) store = kg_profile_store_new (NULL);
  g_autofree char *path = g_file_get_path (kg_profile_store_get_file (store));
  g_autofree char *expected = g_build_filename (g_get_user_config_dir (), "keygate",
                                                "profiles.json", NULL);

  g_assert_cmpstr (path, ==, expected);
  g_assert_true (g_str_has_prefix (path, kg_test_get_tmpdir ()));
}

static void
test_store_missing_file_is_empty (void)
{
  g_autoptr(GFile) file = fresh_store_file ("missing");
  g_autoptr(KgProfileStore) store = kg_profile_store_new (file);
  g_autoptr(GError) error = NULL;

  g_assert_true (kg_profile_store_load (store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
  g_assert_false (kg_profile_store_is_read_only (store));
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (store)) == KG_TYPE_PROFILE);
  /* Loading alone writes nothing. */
  g_assert_false (g_file_query_exists (file, NULL));
}

static void
test_store_save_reload (void)
{
  g_autoptr(GFile) file = fresh_store_file ("save-reload");
  g_autoptr(GFile) dir = g_file_get_parent (file);
  g_autoptr(GFile) backup = g_file_get_child (dir, "profiles.json.bak");
  g_autoptr(KgProfileStore) store = kg_profile_store_new (file);
  g_autoptr(KgProfileStore) again = NULL;
  g_autoptr(KgProfile) a = make_profile ("Production");
  g_autoptr(KgProfile) b = make_profile ("Staging");
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *bak = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;

  g_assert_true (kg_profile_store_load (store, NULL));
  g_signal_connect (store, "items-changed", G_CALLBACK (items_changed_cb), log);

  g_assert_true (kg_profile_store_add (store, a, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_query_exists (file, NULL));
  g_assert_false (g_file_query_exists (backup, NULL));
  first = read_file (file);
  g_assert_cmpuint (file_mode (file), ==, 0600);
  g_assert_cmpuint (file_mode (dir), ==, 0700);

  /* The file is {"version": 1, "profiles": [...]}. */
  json_parser_load_from_data (parser, first, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (root, "version"), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "profiles")), ==, 1);

  kg_profile_set_protocol (b, KG_PROTOCOL_TOKEN);
  kg_token_spec_apply_preset (kg_profile_get_token_spec (b), KG_TOKEN_PRESET_JSON2);
  g_assert_true (kg_profile_store_add (store, b, &error));
  g_assert_no_error (error);
  /* The previous file became the backup, byte for byte. */
  bak = read_file (backup);
  g_assert_cmpstr (bak, ==, first);
  g_assert_cmpuint (file_mode (backup), ==, 0600);
  second = read_file (file);
  g_assert_cmpstr (second, !=, first);

  g_assert_cmpstr (log->str, ==, "0-0+1;1-0+1;");

  /* Insertion order, and the same data after a reload. */
  again = kg_profile_store_new (file);
  g_assert_true (kg_profile_store_load (again, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(KgProfile) saved = g_list_model_get_item (G_LIST_MODEL (store), i);
      g_autoptr(KgProfile) loaded = g_list_model_get_item (G_LIST_MODEL (again), i);
      g_autoptr(JsonObject) js = kg_profile_to_json (saved);
      g_autoptr(JsonObject) jl = kg_profile_to_json (loaded);

      g_assert_true (json_object_equal (js, jl));
    }
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (again), 2));
  {
    KgProfile *found = kg_profile_store_find_by_name (again, "staging");

    g_assert_nonnull (found);
    g_assert_cmpstr (kg_profile_get_id (found), ==, kg_profile_get_id (b));
    g_assert_cmpint (kg_profile_get_protocol (found), ==, KG_PROTOCOL_TOKEN);
    g_assert_cmpint (kg_token_spec_get_preset (kg_profile_get_token_spec (found)), ==,
                     KG_TOKEN_PRESET_JSON2);
    g_assert_true (kg_profile_store_find_by_id (again, kg_profile_get_id (a)) ==
                   kg_profile_store_find_by_name (again, "Production"));
    g_assert_null (kg_profile_store_find_by_name (again, "Nope"));
    g_assert_null (kg_profile_store_find_by_id (again, "nope"));
  }

  /* Saving what was loaded gives the same bytes. */
  g_assert_true (kg_profile_store_save (again, &error));
  g_assert_no_error (error);
  {
    g_autofree char *third = read_file (file);

    g_assert_cmpstr (third, ==, second);
  }
}

static void
test_store_remove_update (void)
{
  g_autoptr(GFile) file = fresh_store_file ("remove-update");
  g_autoptr(KgProfileStore) store = kg_profile_store_new (file);
  g_autoptr(KgProfileStore) again = kg_profile_store_new (file);
  g_autoptr(KgProfile) a = make_profile ("A");
  g_autoptr(KgProfile) b = make_profile ("B");
  g_autoptr(KgProfile) c = make_profile ("C");
  g_autoptr(KgProfile) edited = NULL;
  g_autoptr(KgProfile) stranger = make_profile ("Stranger");
  g_autoptr(GError) error = NULL;

  g_assert_true (kg_profile_store_load (store, NULL));
  g_assert_true (kg_profile_store_add (store, a, NULL));
  g_assert_true (kg_profile_store_add (store, b, NULL));
  g_assert_true (kg_profile_store_add (store, c, NULL));

  g_assert_true (kg_profile_store_remove (store, b, &error));
  g_assert_no_error (error);
  g_assert_false (kg_profile_store_remove (store, stranger, &error));
  g_assert_error (error, KG_ERROR, KG_ERROR_PROFILE_NOT_FOUND);
  g_clear_error (&error);

  /* Update in place. */
  kg_profile_set_database (c, "other");
  g_assert_true (kg_profile_store_update (store, c, &error));
  g_assert_no_error (error);

  /* Update from an edited copy (same id). */
  edited = kg_profile_dup (a);
  kg_profile_set_name (edited, "A renamed");
  g_assert_true (kg_profile_store_update (store, edited, &error));
  g_assert_no_error (error);

  /* An update may not take another profile's name, nor be invalid. */
  kg_profile_set_name (c, "a RENAMED");
  g_assert_false (kg_profile_store_update (store, c, &error));
  g_assert_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  kg_profile_set_name (c, "C");
  kg_profile_set_url (c, "ftp://x");
  g_assert_false (kg_profile_store_update (store, c, &error));
  g_assert_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  g_assert_true (kg_profile_store_load (again, NULL));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 2);
  g_assert_nonnull (kg_profile_store_find_by_name (again, "A renamed"));
  g_assert_null (kg_profile_store_find_by_name (again, "B"));
  g_assert_cmpstr (kg_profile_get_database (kg_profile_store_find_by_name (again, "C")), ==, "other");
  /* The rejected URL was never written. */
  g_assert_cmpstr (kg_profile_get_url (kg_profile_store_find_by_name (again, "C")), ==,
                   "https://odoo.example.com");
}

static void
test_store_duplicate_and_invalid (void)
{
  g_autoptr(GFile) file = fresh_store_file ("duplicate");
  g_autoptr(KgProfileStore) store = kg_profile_store_new (file);
  g_autoptr(KgProfile) a = make_profile ("Production");
  g_autoptr(KgProfile) dup = make_profile ("PRODUCTION");
  g_autoptr(KgProfile) invalid = make_profile ("Invalid");
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  g_assert_true (kg_profile_store_load (store, NULL));
  g_assert_true (kg_profile_store_add (store, a, NULL));
  before = read_file (file);

  g_assert_false (kg_profile_store_add (store, dup, &error));
  g_assert_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "Production"));
  g_clear_error (&error);

  /* The same profile twice. */
  g_assert_false (kg_profile_store_add (store, a, &error));
  g_assert_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  kg_profile_set_login (invalid, "");
  g_assert_false (kg_profile_store_add (store, invalid, &error));
  g_assert_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT);
  g_assert_true (g_str_has_prefix (error->message, "Login:"));

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  after = read_file (file);
  g_assert_cmpstr (after, ==, before);
}

static void
check_corrupt (const char *test,
               const char *contents)
{
  g_autoptr(GFile) file = fresh_store_file (test);
  g_autoptr(GFile) dir = NULL;
  g_autoptr(GFile) backup = NULL;
  g_autoptr(KgProfileStore) store = kg_profile_store_new (file);
  g_autoptr(KgProfile) profile = make_profile ("New");
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *after = NULL;

  write_file (file, contents);
  dir = g_file_get_parent (file);
  backup = g_file_get_child (dir, "profiles.json.bak");

  g_assert_false (kg_profile_store_load (store, &error));
  g_assert_error (error, KG_ERROR, KG_ERROR_STORE);
  if (strstr (error->message, path) == NULL)
    g_error ("“%s”: the message “%s” does not name the file", contents, error->message);
  g_assert_nonnull (kg_error_get_remedy (error));
  g_assert_true (kg_profile_store_is_read_only (store));
  g_clear_error (&error);

  g_assert_false (kg_profile_store_add (store, profile, &error));
  g_assert_error (error, KG_ERROR, KG_ERROR_STORE);
  g_assert_nonnull (strstr (error->message, "untouched"));
  g_assert_nonnull (strstr (error->message, path));
  g_clear_error (&error);
  g_assert_false (kg_profile_store_save (store, &error));
  g_assert_error (error, KG_ERROR, KG_ERROR_STORE);
  g_clear_error (&error);
  g_assert_false (kg_profile_store_remove (store, profile, &error));
  g_assert_error (error, KG_ERROR, KG_ERROR_STORE);
  g_clear_error (&error);
  g_assert_false (kg_profile_store_update (store, profile, &error));
  g_assert_error (error, KG_ERROR, KG_ERROR_STORE);
  g_clear_error (&error);

  /* Byte for byte the same, and no backup was made over it. */
  after = read_file (file);
  g_assert_cmpstr (after, ==, contents);
  g_assert_false (g_file_query_exists (backup, NULL));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
}

static void
test_store_corrupt_not_overwritten (void)
{
  check_corrupt ("corrupt-json", "{\"version\": 1, \"profiles\": [ {\"name\": \"x\"");
  check_corrupt ("corrupt-array", "[1, 2, 3]");
  check_corrupt ("corrupt-profiles", "{\"version\": 1, \"profiles\": {\"a\": 1}}");
  check_corrupt ("corrupt-element", "{\"version\": 1, \"profiles\": [42]}");
  check_corrupt ("corrupt-field", "{\"version\": 1, \"profiles\": [{\"name\": \"x\", \"timeout\": \"soon\"}]}");
  check_corrupt ("corrupt-empty", "");
  check_corrupt ("corrupt-binary", "\xff\xfe\x00garbage");
  check_corrupt ("newer-version", "{\"version\": 7, \"profiles\": []}");
}

/* After the file is fixed, a reload makes the store writable again. */
static void
test_store_recovers_after_fix (void)
{
  g_autoptr(GFile) file = fresh_store_file ("recover");
  g_autoptr(KgProfileStore) store = kg_profile_store_new (file);
  g_autoptr(KgProfile) profile = make_profile ("New");
  g_autoptr(GError) error = NULL;

  write_file (file, "not json");
  g_assert_false (kg_profile_store_load (store, NULL));
  g_assert_true (kg_profile_store_is_read_only (store));
  write_file (file, "{\"version\": 1, \"profiles\": []}");
  g_assert_true (kg_profile_store_load (store, &error));
  g_assert_no_error (error);
  g_assert_false (kg_profile_store_is_read_only (store));
  g_assert_true (kg_profile_store_add (store, profile, &error));
  g_assert_no_error (error);
}

static void
test_store_unknown_top_level_kept (void)
{
  g_autoptr(GFile) file = fresh_store_file ("unknown");
  g_autoptr(KgProfileStore) store = kg_profile_store_new (file);
  g_autoptr(KgProfile) profile = make_profile ("Added");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *contents = NULL;
  JsonObject *root;
  JsonObject *first;

  write_file (file,
              "{\"version\": 1, \"written_by\": \"keygate 2.0\", \"sync\": {\"peers\": [1, 2]},"
              " \"profiles\": [{\"id\": \"0b7f3f7e-8d51-4a39-9a8e-6d6f1e1c2b3a\", \"name\": \"Old\","
              " \"url\": \"https://old.example.com\", \"database\": \"db\", \"login\": \"me\","
              " \"pinned\": true}]}");
  g_assert_true (kg_profile_store_load (store, &error));
  g_assert_no_error (error);
  g_assert_true (kg_profile_store_add (store, profile, &error));
  g_assert_no_error (error);

  contents = read_file (file);
  json_parser_load_from_data (parser, contents, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "written_by"), ==, "keygate 2.0");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_object_get_object_member (root, "sync"), "peers")), ==, 2);
  first = json_array_get_object_element (json_object_get_array_member (root, "profiles"), 0);
  g_assert_true (json_object_get_boolean_member (first, "pinned"));
  g_assert_cmpstr (json_object_get_string_member (first, "id"), ==,
                   "0b7f3f7e-8d51-4a39-9a8e-6d6f1e1c2b3a");
}

/* An unreadable file (a directory in its place) is reported, not replaced. */
static void
test_store_unreadable (void)
{
  g_autoptr(GFile) file = fresh_store_file ("unreadable");
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(KgProfileStore) store = kg_profile_store_new (file);
  g_autoptr(KgProfile) profile = make_profile ("New");
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (path, 0700), ==, 0);
  g_assert_false (kg_profile_store_load (store, &error));
  g_assert_error (error, KG_ERROR, KG_ERROR_STORE);
  g_assert_nonnull (strstr (error->message, path));
  g_clear_error (&error);
  g_assert_false (kg_profile_store_add (store, profile, &error));
  g_assert_error (error, KG_ERROR, KG_ERROR_STORE);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_DIR));
}

static guint
count_profiles_in_file (GFile *file)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *contents = read_file (file);
  g_autoptr(GError) error = NULL;
  JsonObject *root;

  g_assert_true (json_parser_load_from_data (parser, contents, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  return json_array_get_length (json_object_get_array_member (root, "profiles"));
}

typedef struct
{
  GFile   *file;
  guint    index;
  gboolean ok;
} AddJob;

static gpointer
add_in_thread (gpointer user_data)
{
  AddJob *job = user_data;
  g_autoptr(KgProfileStore) store = kg_profile_store_new (job->file);
  g_autofree char *name = g_strdup_printf ("Parallel %02u", job->index);
  g_autoptr(KgProfile) profile = make_profile (name);

  /* Each "process" loaded the file before any other one saved. */
  job->ok = kg_profile_store_load (store, NULL) && kg_profile_store_add (store, profile, NULL);
  return NULL;
}

/* Twenty stores that loaded the same (empty) file add a profile each at
 * once: every one of them is in the file afterwards. Each store opens the
 * lock file itself, so the flock serialises them as it does processes. */
static void
test_store_parallel_adds (void)
{
  g_autoptr(GFile) file = fresh_store_file ("parallel");
  g_autoptr(KgProfileStore) check = kg_profile_store_new (file);
  AddJob jobs[20];
  GThread *threads[20];

  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    {
      jobs[i] = (AddJob) { file, i, FALSE };
      threads[i] = g_thread_new ("add", add_in_thread, &jobs[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    {
      g_thread_join (threads[i]);
      g_assert_true (jobs[i].ok);
    }

  g_assert_cmpuint (count_profiles_in_file (file), ==, 20);
  g_assert_true (kg_profile_store_load (check, NULL));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (check)), ==, 20);
  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *name = g_strdup_printf ("Parallel %02u", i);

      g_assert_nonnull (kg_profile_store_find_by_name (check, name));
    }
}

/* The same with twenty keygate-cli processes, as a user's scripts would. */
static void
test_store_parallel_cli_adds (void)
{
  g_autofree char *cli = g_build_filename (g_getenv ("KEYGATE_BUILD_DIR"), "src", "cli",
                                           "keygate-cli", NULL);
  g_autofree char *path = g_build_filename (g_get_user_config_dir (), "keygate",
                                            "profiles.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GPtrArray) procs = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *name = g_strdup_printf ("cli-%02u", i);
      g_autoptr(GError) error = NULL;
      GSubprocess *proc;

      proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                               G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                               cli, "profile", "add", name, "--url", "https://odoo.example.com",
                               "--db", "prod", "--login", "admin", NULL);
      g_assert_no_error (error);
      g_ptr_array_add (procs, proc);
    }
  for (guint i = 0; i < procs->len; i++)
    {
      g_autoptr(GError) error = NULL;
      GSubprocess *proc = g_ptr_array_index (procs, i);

      g_assert_true (g_subprocess_wait (proc, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
    }
  g_assert_cmpuint (count_profiles_in_file (file), ==, 20);
}

/* A store that was loaded before another process changed the file keeps
 * that process's changes when it saves its own, and its profile objects take
 * the other process's values (the window's rows and pages hold them). */
static void
test_store_merges_external_changes (void)
{
  g_autoptr(GFile) file = fresh_store_file ("merge");
  g_autoptr(KgProfileStore) window = kg_profile_store_new (file);
  g_autoptr(KgProfileStore) cli = kg_profile_store_new (file);
  g_autoptr(KgProfile) shared = make_profile ("Shared");
  g_autoptr(KgProfile) from_cli = make_profile ("From CLI");
  g_autoptr(KgProfile) from_window = make_profile ("From window");
  g_autoptr(GError) error = NULL;
  KgProfile *held;
  KgProfile *cli_copy;

  g_assert_true (kg_profile_store_load (window, NULL));
  g_assert_true (kg_profile_store_add (window, shared, &error));
  g_assert_no_error (error);

  /* The CLI adds one and renames the shared one. */
  g_assert_true (kg_profile_store_load (cli, NULL));
  g_assert_true (kg_profile_store_add (cli, from_cli, &error));
  cli_copy = kg_profile_store_find_by_name (cli, "Shared");
  kg_profile_set_login (cli_copy, "renamed-login");
  g_assert_true (kg_profile_store_update (cli, cli_copy, &error));
  g_assert_no_error (error);

  /* The window, unaware, adds its own. */
  held = kg_profile_store_find_by_name (window, "Shared");
  g_assert_true (held == shared);
  g_assert_true (kg_profile_store_add (window, from_window, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (count_profiles_in_file (file), ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (window)), ==, 3);
  g_assert_nonnull (kg_profile_store_find_by_name (window, "From CLI"));
  /* Same object, the CLI's value. */
  g_assert_true (kg_profile_store_find_by_name (window, "Shared") == shared);
  g_assert_cmpstr (kg_profile_get_login (shared), ==, "renamed-login");

  /* The CLI removes it; the window's explicit reload drops it too. */
  g_assert_true (kg_profile_store_remove (cli, kg_profile_store_find_by_name (cli, "From CLI"),
                                          &error));
  g_assert_true (kg_profile_store_reload (window, &error));
  g_assert_no_error (error);
  g_assert_null (kg_profile_store_find_by_name (window, "From CLI"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (window)), ==, 2);
}

static gboolean
tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* A watching store (the window's) picks up a profile another process
 * added, without a reload call and without losing its own objects. */
static void
test_store_watching (void)
{
  g_autoptr(GFile) file = fresh_store_file ("watch");
  g_autoptr(KgProfileStore) window = kg_profile_store_new (file);
  g_autoptr(KgProfileStore) cli = kg_profile_store_new (file);
  g_autoptr(KgProfile) mine = make_profile ("Mine");
  g_autoptr(KgProfile) theirs = make_profile ("Theirs");
  gint64 deadline;
  guint tick;

  g_assert_true (kg_profile_store_load (window, NULL));
  g_assert_true (kg_profile_store_add (window, mine, NULL));
  kg_profile_store_set_watching (window, TRUE);

  g_assert_true (kg_profile_store_load (cli, NULL));
  g_assert_true (kg_profile_store_add (cli, theirs, NULL));

  /* A tick keeps the blocking iteration below from sleeping past the deadline. */
  tick = g_timeout_add (50, tick_cb, NULL);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (g_list_model_get_n_items (G_LIST_MODEL (window)) < 2 &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (window)), ==, 2);
  g_assert_nonnull (kg_profile_store_find_by_name (window, "Theirs"));
  g_assert_true (kg_profile_store_find_by_name (window, "Mine") == mine);
  kg_profile_store_set_watching (window, FALSE);
}

/* A FIFO in the file's place would block a read forever: it is refused at
 * once, reported with its path, and left alone. */
static void
test_store_fifo_refused (void)
{
  g_autoptr(GFile) file = fresh_store_file ("fifo");
  g_autoptr(GFile) dir = g_file_get_parent (file);
  g_autofree char *dir_path = g_file_get_path (dir);
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(KgProfileStore) store = kg_profile_store_new (file);
  g_autoptr(KgProfile) profile = make_profile ("New");
  g_autoptr(GError) error = NULL;
  GStatBuf st;
  gint64 start;

  g_assert_cmpint (g_mkdir_with_parents (dir_path, 0700), ==, 0);
  g_assert_cmpint (mkfifo (path, 0600), ==, 0);

  start = g_get_monotonic_time ();
  g_assert_false (kg_profile_store_load (store, &error));
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  g_assert_error (error, KG_ERROR, KG_ERROR_STORE);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "not a regular file"));
  g_assert_true (kg_profile_store_is_read_only (store));
  g_clear_error (&error);
  g_assert_false (kg_profile_store_add (store, profile, &error));
  g_assert_error (error, KG_ERROR, KG_ERROR_STORE);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_true (S_ISFIFO (st.st_mode));
}

/* profiles.json as a symbolic link (a dotfiles checkout): saves write
 * through to the target, the link stays a link. */
static void
test_store_symlink_written_through (void)
{
  g_autoptr(GFile) file = fresh_store_file ("symlink");
  g_autoptr(GFile) dir = g_file_get_parent (file);
  g_autofree char *dir_path = g_file_get_path (dir);
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *target_dir = g_build_filename (dir_path, "dotfiles", NULL);
  g_autofree char *target = g_build_filename (target_dir, "profiles.json", NULL);
  g_autoptr(GFile) target_file = g_file_new_for_path (target);
  g_autoptr(KgProfileStore) store = kg_profile_store_new (file);
  g_autoptr(KgProfile) profile = make_profile ("Linked");
  g_autoptr(GError) error = NULL;
  g_autofree char *link = NULL;

  g_assert_cmpint (g_mkdir_with_parents (target_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (target, "{\"version\": 1, \"profiles\": []}\n", -1, NULL));
  g_assert_cmpint (symlink ("dotfiles/profiles.json", path), ==, 0);

  g_assert_true (kg_profile_store_load (store, &error));
  g_assert_true (kg_profile_store_add (store, profile, &error));
  g_assert_no_error (error);

  link = g_file_read_link (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (link, ==, "dotfiles/profiles.json");
  g_assert_cmpuint (count_profiles_in_file (target_file), ==, 1);
}

/* A save killed half-way by an older Keygate left GIO's temporaries; the
 * next save removes them, and a save of ours leaves no temporary behind. */
static void
test_store_stale_temporaries_removed (void)
{
  g_autoptr(GFile) file = fresh_store_file ("stale");
  g_autoptr(GFile) dir = g_file_get_parent (file);
  g_autofree char *dir_path = g_file_get_path (dir);
  g_autofree char *stale = g_build_filename (dir_path, ".goutputstream-K3Y9Q1", NULL);
  g_autofree char *tmp = NULL;
  g_autoptr(KgProfileStore) store = kg_profile_store_new (file);
  g_autoptr(KgProfile) profile = make_profile ("After crash");
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir_path, 0700), ==, 0);
  g_assert_true (g_file_set_contents (stale, "{\"version\": 1, \"profiles\": [", -1, NULL));

  g_assert_true (kg_profile_store_load (store, NULL));
  g_assert_true (kg_profile_store_add (store, profile, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (stale, G_FILE_TEST_EXISTS));
  tmp = g_strconcat (g_file_peek_path (file), ".tmp", NULL);
  g_assert_false (g_file_test (tmp, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (file_mode (file), ==, 0600);
}

/* A hand-edited file gets the checks the forms make: a timeout that would
 * wrap in milliseconds, or port 0, is an error naming the profile and the
 * member, and the file is left alone. */
static void
test_store_hand_edited_values_checked (void)
{
  static const struct {
    const char *member;
    const char *in_message;
  } cases[] = {
    { "\"url\": \"https://odoo.example.com\", \"timeout\": 4294968", "Timeout" },
    { "\"url\": \"https://odoo.example.com:0\", \"timeout\": 30", "port 0" },
    { "\"url\": \"https://odoo.example.com\", \"timeout\": 0", "Timeout" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *test = g_strdup_printf ("hand-edited-%u", i);
      g_autoptr(GFile) file = fresh_store_file (test);
      g_autoptr(KgProfileStore) store = kg_profile_store_new (file);
      g_autoptr(GError) error = NULL;
      g_autofree char *contents = g_strdup_printf (
        "{\"version\": 1, \"profiles\": [{\"id\": \"p1\", \"name\": \"Shop\", %s, "
        "\"database\": \"prod\", \"login\": \"admin\"}]}\n", cases[i].member);
      g_autofree char *after = NULL;

      write_file (file, contents);
      g_assert_false (kg_profile_store_load (store, &error));
      g_assert_error (error, KG_ERROR, KG_ERROR_STORE);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, "“Shop”"));
      g_assert_nonnull (strstr (error->message, cases[i].in_message));
      g_assert_true (kg_profile_store_is_read_only (store));
      after = read_file (file);
      g_assert_cmpstr (after, ==, contents);
    }
}

int
main (int   argc,
      char *argv[])
{
  kg_test_init (&argc, &argv);

  g_test_add_func ("/core/profile-store/default-file", test_store_default_file);
  g_test_add_func ("/core/profile-store/missing-file-is-empty", test_store_missing_file_is_empty);
  g_test_add_func ("/core/profile-store/save-reload", test_store_save_reload);
  g_test_add_func ("/core/profile-store/remove-update", test_store_remove_update);
  g_test_add_func ("/core/profile-store/duplicate-and-invalid", test_store_duplicate_and_invalid);
  g_test_add_func ("/core/profile-store/corrupt-not-overwritten", test_store_corrupt_not_overwritten);
  g_test_add_func ("/core/profile-store/recovers-after-fix", test_store_recovers_after_fix);
  g_test_add_func ("/core/profile-store/unknown-top-level-kept", test_store_unknown_top_level_kept);
  g_test_add_func ("/core/profile-store/unreadable", test_store_unreadable);
  g_test_add_func ("/core/profile-store/parallel-adds", test_store_parallel_adds);
  g_test_add_func ("/core/profile-store/parallel-cli-adds", test_store_parallel_cli_adds);
  g_test_add_func ("/core/profile-store/merges-external-changes",
                   test_store_merges_external_changes);
  g_test_add_func ("/core/profile-store/watching", test_store_watching);
  g_test_add_func ("/core/profile-store/hand-edited-values-checked",
                   test_store_hand_edited_values_checked);
  g_test_add_func ("/core/profile-store/fifo-refused", test_store_fifo_refused);
  g_test_add_func ("/core/profile-store/symlink-written-through",
                   test_store_symlink_written_through);
  g_test_add_func ("/core/profile-store/stale-temporaries-removed",
                   test_store_stale_temporaries_removed);

  return g_test_run ();
}
