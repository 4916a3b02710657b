/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Collection files: loading, every bad input with its sentence, saving
 * atomically, keeping unknown members, seeing changes made on disk. */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>
#include <utime.h>

#include "kg-test-utils.h"

#define EXAMPLE \
  "{\n" \
  "  \"keygate_collection\": 1,\n" \
  "  \"name\": \"Projects smoke test\",\n" \
  "  \"connection\": \"demo\",\n" \
  "  \"variables\": { \"prefix\": \"qa\" },\n" \
  "  \"future\": { \"keep\": [1, 2] },\n" \
  "  \"requests\": [\n" \
  "    { \"name\": \"create a project\",\n" \
  "      \"call\": { \"model\": \"project.project\", \"method\": \"create\",\n" \
  "                \"args\": [[{ \"name\": \"{{prefix}} {{$uuid}}\" }]] },\n" \
  "      \"capture\": { \"project_id\": \"$.result[0]\" },\n" \
  "      \"expect\": { \"ok\": true }, \"note\": \"kept\" },\n" \
  "    { \"name\": \"read it back\",\n" \
  "      \"call\": { \"model\": \"project.project\", \"method\": \"read\",\n" \
  "                \"args\": [[\"{{project_id}}\"]], \"kwargs\": { \"fields\": [\"name\"] } },\n" \
  "      \"expect\": { \"ok\": true, \"json\": { \"$.result[0].name\": { " \
  "\"matches\": \"^qa \" } } } },\n" \
  "    { \"name\": \"REST create via the token module\",\n" \
  "      \"http\": { \"method\": \"post\", \"path\": \"/api/project/create\", " \
  "\"auth\": \"token\",\n" \
  "                \"json\": { \"project_name\": \"{{prefix}} rest\" } },\n" \
  "      \"expect\": { \"status\": 200, \"json\": { \"$.project_id\": { " \
  "\"exists\": true } } } }\n" \
  "  ]\n" \
  "}\n"

static GFile *
write_file (const char *name,
            const char *contents)
{
  g_autofree char *path = g_build_filename (kg_test_get_tmpdir (), name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

static KgCollection *
load_ok (GFile *file)
{
  g_autoptr(GError) error = NULL;
  KgCollection *collection = kg_collection_load (file, &error);

  g_assert_no_error (error);
  g_assert_nonnull (collection);
  return collection;
}

static char *
to_text (KgCollection *collection)
{
  g_autoptr(JsonNode) node = kg_collection_to_json (collection);

  return json_to_string (node, FALSE);
}

static void
test_load_example (void)
{
  g_autoptr(GFile) file = write_file ("smoke.json", EXAMPLE);
  g_autoptr(KgCollection) collection = load_ok (file);
  KgCollectionRequest *first;
  KgCollectionRequest *third;
  g_autofree char *summary = NULL;

  g_assert_cmpstr (kg_collection_get_name (collection), ==, "Projects smoke test");
  g_assert_cmpstr (kg_collection_get_connection (collection), ==, "demo");
  g_assert_cmpstr (json_object_get_string_member (kg_collection_get_variables (collection),
                                                  "prefix"), ==, "qa");
  g_assert_true (g_file_equal (kg_collection_get_file (collection), file));
  g_assert_cmpuint (g_list_model_get_n_items (kg_collection_get_requests (collection)), ==, 3);
  g_assert_true (g_list_model_get_item_type (kg_collection_get_requests (collection))
                 == KG_TYPE_COLLECTION_REQUEST);

  first = kg_collection_get_request (collection, 0);
  g_assert_cmpstr (kg_collection_request_get_name (first), ==, "create a project");
  g_assert_cmpint (kg_collection_request_get_kind (first), ==, KG_REQUEST_KIND_CALL);
  g_assert_cmpstr (json_object_get_string_member (kg_collection_request_get_capture (first),
                                                  "project_id"), ==, "$.result[0]");
  third = kg_collection_get_request (collection, 2);
  g_assert_cmpint (kg_collection_request_get_kind (third), ==, KG_REQUEST_KIND_HTTP);
  summary = kg_collection_request_dup_summary (third);
  g_assert_cmpstr (summary, ==, "POST /api/project/create");
  g_assert_nonnull (kg_collection_request_get_expect_json (first));
  g_assert_nonnull (kg_collection_request_get_expect (first));
}

static void
test_round_trip (void)
{
  g_autoptr(GFile) file = write_file ("round.json", EXAMPLE);
  g_autoptr(KgCollection) collection = load_ok (file);
  g_autoptr(KgCollection) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = to_text (collection);
  g_autofree char *after = NULL;
  g_autofree char *saved = NULL;

  g_assert_true (kg_collection_save (collection, NULL, FALSE, &error));
  g_assert_no_error (error);
  g_file_load_contents (file, NULL, &saved, NULL, NULL, &error);
  g_assert_no_error (error);
  /* Two-space indentation, a final newline, unknown members kept. */
  g_assert_true (g_str_has_prefix (saved, "{\n  \"keygate_collection\" : 1,\n"));
  g_assert_true (g_str_has_suffix (saved, "}\n"));
  g_assert_nonnull (strstr (saved, "\"future\""));
  g_assert_nonnull (strstr (saved, "\"note\" : \"kept\""));

  again = load_ok (file);
  after = to_text (again);
  g_assert_cmpstr (before, ==, after);
  g_assert_nonnull (strstr (after, "\"future\":{\"keep\":[1,2]}"));
}

/* Loads @contents as "bad.json" and checks the error message. */
static void
assert_load_fails (const char *contents,
                   const char *message)
{
  g_autoptr(GFile) file = write_file ("bad.json", contents);
  g_autoptr(GError) error = NULL;
  g_autoptr(KgCollection) collection = kg_collection_load (file, &error);

  g_assert_null (collection);
  g_assert_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT);
  /* A message ending in "…" gives the start (the rest is json-glib's). */
  if (g_str_has_suffix (message, "…"))
    {
      g_autofree char *start = g_strndup (message, strlen (message) - strlen ("…"));

      g_assert_true (g_str_has_prefix (error->message, start));
    }
  else
    g_assert_cmpstr (error->message, ==, message);
}

#define HEAD "{\"keygate_collection\": 1, \"requests\": ["
#define CALL "\"call\": {\"model\": \"res.partner\", \"method\": \"read\"}"

static void
test_bad_files (void)
{
  g_autofree char *deep = NULL;

  assert_load_fails ("{\"keygate_collection\": 1,\n  \"name\": }",
                     "bad.json: not JSON: Line 2, column 11: a value is missing before “}”");
  assert_load_fails ("", "bad.json: not JSON: The text is empty.");
  assert_load_fails ("[1]", "bad.json: a collection is a JSON object.");
  assert_load_fails ("{\"name\": \"x\"}",
                     "bad.json: not a Keygate collection (it has no “keygate_collection” "
                     "member).");
  assert_load_fails ("{\"keygate_collection\": 2}",
                     "bad.json: collection version 2 is not one this Keygate reads (it reads "
                     "version 1).");
  assert_load_fails ("{\"keygate_collection\": \"1\"}",
                     "bad.json: collection version \"1\" is not one this Keygate reads (it "
                     "reads version 1).");
  assert_load_fails ("{\"keygate_collection\": 1, \"name\": 3}",
                     "bad.json: “name” must be a string.");
  assert_load_fails ("{\"keygate_collection\": 1, \"requests\": {}}",
                     "bad.json: “requests” must be an array.");
  assert_load_fails ("{\"keygate_collection\": 1, \"variables\": {\"a b\": 1}}",
                     "bad.json: “a b” is not a variable name: use no spaces or braces, and do "
                     "not start it with “$”.");
  assert_load_fails (HEAD "3]}", "bad.json: request 1: A request is a JSON object.");
  assert_load_fails (HEAD "{" CALL "}]}", "bad.json: request 1: “name” must be a string.");
  assert_load_fails (HEAD "{\"name\": \"a\", " CALL "}, {\"name\": \"read it back\"}]}",
                     "bad.json: request 2 (“read it back”): The request has neither “call” "
                     "nor “http”: give one of them.");
  assert_load_fails (HEAD "{\"name\": \"x\", " CALL ", \"http\": {}}]}",
                     "bad.json: request 1 (“x”): The request has both “call” and “http”: give "
                     "only one.");
  assert_load_fails (HEAD "{\"name\": \"x\", \"call\": {\"model\": \"m\"}}]}",
                     "bad.json: request 1 (“x”): call: “method” must be a string.");
  assert_load_fails (HEAD "{\"name\": \"x\", \"call\": {\"model\": \"m\", \"method\": \"f\", "
                     "\"args\": {}}}]}",
                     "bad.json: request 1 (“x”): call: “args” must be an array.");
  assert_load_fails (HEAD "{\"name\": \"x\", \"http\": {\"method\": \"FETCH\", \"path\": "
                     "\"/x\"}}]}",
                     "bad.json: request 1 (“x”): http: “FETCH” is not an HTTP method Keygate "
                     "sends: use GET, POST, PUT, PATCH or DELETE.");
  assert_load_fails (HEAD "{\"name\": \"x\", \"http\": {\"method\": \"GET\", \"path\": \"/x\", "
                     "\"headers\": {\"A\": 1}}}]}",
                     "bad.json: request 1 (“x”): http: The value of “A” in “headers” must be a "
                     "string.");
  assert_load_fails (HEAD "{\"name\": \"x\", \"http\": {\"method\": \"GET\", \"path\": \"/x\", "
                     "\"auth\": \"basic\"}}]}",
                     "bad.json: request 1 (“x”): http: “basic” is not a way to authenticate: "
                     "use none, api-key or token.");
  assert_load_fails (HEAD "{\"name\": \"x\", \"http\": {\"method\": \"GET\", \"path\": \"/x\", "
                     "\"json\": 1, \"data\": \"a\"}}]}",
                     "bad.json: request 1 (“x”): http: A request has at most one body: "
                     "“json”, “form” or “data”.");
  assert_load_fails (HEAD "{\"name\": \"x\", " CALL ", \"capture\": {\"id\": \"$.[\"}}]}",
                     "bad.json: request 1 (“x”): capture: “$.[” is not a JSON path (at "
                     "character 3: a member name is missing).");
  assert_load_fails (HEAD "{\"name\": \"x\", " CALL ", \"expect\": {\"json\": {\"$.a\": "
                     "{\"matches\": \"([\"}}}}]}",
                     "bad.json: request 1 (“x”): expect: The regular expression “([” for “$.a” "
                     "is not valid: Error while compiling regular expression ‘([’ at char 2: "
                     "missing terminating ] for character class");
  assert_load_fails (HEAD "{\"name\": \"x\", " CALL ", \"expect\": {\"error_kind\": "
                     "\"oops\"}}]}",
                     "bad.json: request 1 (“x”): expect: “oops” is not a Keygate error kind "
                     "(such as access-error, access-denied or validation).");
  assert_load_fails (HEAD "{\"name\": \"x\", " CALL ", \"expect\": {\"status\": true}}]}",
                     "bad.json: request 1 (“x”): expect: “status” must be a whole number, 0 or "
                     "more.");

  /* kg_json_parse's depth guard: no stack overflow, a sentence. */
  deep = g_strnfill (100000, '[');
  {
    g_autoptr(GFile) file = write_file ("deep.json", deep);
    g_autoptr(GError) error = NULL;
    g_autoptr(KgCollection) collection = kg_collection_load (file, &error);

    g_assert_null (collection);
    g_assert_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT);
    g_assert_true (g_str_has_prefix (error->message, "deep.json: "));
  }
}

static void
test_too_large (void)
{
  g_autofree char *path = g_build_filename (kg_test_get_tmpdir (), "huge.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(KgCollection) collection = NULL;
  FILE *out = fopen (path, "w");

  /* Sparse: the size alone must refuse it, before reading. */
  g_assert_nonnull (out);
  g_assert_cmpint (fseek (out, 11 * 1024 * 1024 - 1, SEEK_SET), ==, 0);
  fputc ('}', out);
  fclose (out);

  collection = kg_collection_load (file, &error);
  g_assert_null (collection);
  g_assert_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT);
  g_assert_cmpstr (error->message, ==,
                   "huge.json: the file is 11.0\u00a0MiB; collections up to 10.0\u00a0MiB load.");
}

static guint
count_entries (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (d != NULL && g_dir_read_name (d) != NULL)
    n++;
  return n;
}

static void
test_atomic_save (void)
{
  g_autofree char *dir = g_build_filename (kg_test_get_tmpdir (), "atomic", NULL);
  g_autofree char *path = g_build_filename (dir, "c.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(KgCollection) collection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, EXAMPLE, -1, &error);
  g_assert_no_error (error);
  collection = load_ok (file);
  kg_collection_set_name (collection, "renamed");
  g_assert_true (kg_collection_save (collection, NULL, FALSE, &error));
  g_assert_no_error (error);
  /* No temporary file left behind. */
  g_assert_cmpuint (count_entries (dir), ==, 1);

  if (geteuid () == 0)
    {
      g_test_message ("root writes into read-only folders: not checked");
      return;
    }
  g_assert_cmpint (g_chmod (dir, 0500), ==, 0);
  kg_collection_set_name (collection, "never written");
  g_assert_false (kg_collection_save (collection, NULL, FALSE, &error));
  g_assert_error (error, KG_ERROR, KG_ERROR_STORE);
  g_assert_true (g_str_has_prefix (error->message, "c.json: could not be saved: "));
  g_assert_cmpint (g_chmod (dir, 0700), ==, 0);
  g_file_get_contents (path, &contents, NULL, NULL);
  g_assert_nonnull (strstr (contents, "\"renamed\""));
  g_assert_cmpuint (count_entries (dir), ==, 1);
}

static void
test_changed_on_disk (void)
{
  g_autoptr(GFile) file = write_file ("changed.json", EXAMPLE);
  g_autoptr(KgCollection) collection = load_ok (file);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GFile) elsewhere = NULL;
  g_autofree char *other = g_strdup (EXAMPLE);

  /* Touched but the same contents: not a change. */
  g_assert_cmpint (g_utime (g_file_peek_path (file), NULL), ==, 0);
  g_assert_true (kg_collection_save (collection, NULL, FALSE, &error));
  g_assert_no_error (error);

  /* Another program rewrites it (same size, other contents). */
  other[strstr (other, "qa") - other] = 'Q';
  {
    g_autoptr(GFile) rewritten = write_file ("changed.json", other);
  }
  g_assert_false (kg_collection_save (collection, NULL, FALSE, &error));
  g_assert_error (error, KG_ERROR, KG_ERROR_STORE);
  g_assert_cmpstr (error->message, ==,
                   "changed.json changed on disk since it was opened: reload it, or save "
                   "anyway to replace the other changes.");
  g_clear_error (&error);
  g_file_load_contents (file, NULL, &contents, NULL, NULL, NULL);
  g_assert_cmpstr (contents, ==, other);

  /* Forced, it is written; after that, saving again needs no force. */
  g_assert_true (kg_collection_save (collection, NULL, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (kg_collection_save (collection, NULL, FALSE, &error));
  g_assert_no_error (error);

  /* Saved elsewhere, the collection follows its new file. */
  elsewhere = write_file ("elsewhere.json", "junk");
  g_assert_true (kg_collection_save (collection, elsewhere, FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_equal (kg_collection_get_file (collection), elsewhere));
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  guint      *count)
{
  (*count)++;
}

static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           GString    *seen)
{
  g_string_append_printf (seen, "%s;", pspec->name);
}

static void
test_edit (void)
{
  g_autoptr(KgCollection) collection = kg_collection_new ("New");
  g_autoptr(KgCollectionRequest) a = kg_collection_request_new ("a", "res.partner", "read");
  g_autoptr(KgCollectionRequest) b = kg_collection_request_new ("b", "res.partner", "write");
  g_autoptr(KgCollectionRequest) c = kg_collection_request_new ("c", "res.partner", "unlink");
  g_autoptr(GString) seen = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) http = kg_json_parse ("{\"method\": \"GET\", \"path\": \"/x\"}", -1,
                                            NULL);
  g_autoptr(JsonNode) bad = kg_json_parse ("{\"method\": \"GET\"}", -1, NULL);
  g_autoptr(JsonNode) bad_var = kg_json_parse ("{\"a b\": 1}", -1, NULL);
  guint changes = 0;

  g_signal_connect (kg_collection_get_requests (collection), "items-changed",
                    G_CALLBACK (items_changed_cb), &changes);
  kg_collection_add_request (collection, a);
  kg_collection_add_request (collection, b);
  kg_collection_insert_request (collection, 0, c);
  g_assert_cmpuint (changes, ==, 3);
  g_assert_true (kg_collection_get_request (collection, 0) == c);
  kg_collection_move_request (collection, 0, 2);
  g_assert_true (kg_collection_get_request (collection, 0) == a);
  g_assert_true (kg_collection_get_request (collection, 2) == c);
  kg_collection_remove_request (collection, 1);
  g_assert_cmpuint (kg_collection_get_n_requests (collection), ==, 2);
  g_assert_true (kg_collection_get_request (collection, 1) == c);

  g_signal_connect (a, "notify", G_CALLBACK (notify_cb), seen);
  kg_collection_request_set_name (a, "renamed");
  kg_collection_request_set_name (a, "renamed");
  g_assert_true (kg_collection_request_set_body (a, KG_REQUEST_KIND_HTTP,
                                                 json_node_get_object (http), &error));
  g_assert_false (kg_collection_request_set_body (a, KG_REQUEST_KIND_HTTP,
                                                  json_node_get_object (bad), &error));
  g_assert_cmpstr (error->message, ==, "http: “path” must be a string.");
  g_assert_cmpstr (seen->str, ==, "name;kind;summary;");
  g_assert_cmpint (kg_collection_request_get_kind (a), ==, KG_REQUEST_KIND_HTTP);

  /* The collection's own properties notify too. */
  g_clear_error (&error);
  g_string_truncate (seen, 0);
  g_signal_connect (collection, "notify", G_CALLBACK (notify_cb), seen);
  kg_collection_set_name (collection, "Other");
  kg_collection_set_connection (collection, "demo");
  kg_collection_set_connection (collection, "demo");
  g_assert_true (kg_collection_set_variables (collection, json_node_get_object (http), NULL));
  g_assert_cmpstr (seen->str, ==, "name;connection;variables;");
  g_assert_false (kg_collection_set_variables (collection, json_node_get_object (bad_var),
                                               &error));
  g_assert_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  /* A collection never saved asks where to save. */
  g_clear_error (&error);
  g_assert_false (kg_collection_save (collection, NULL, FALSE, &error));
  g_assert_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT);
}

int
main (int   argc,
      char *argv[])
{
  kg_test_init (&argc, &argv);

  g_test_add_func ("/core/collection/load-example", test_load_example);
  g_test_add_func ("/core/collection/round-trip", test_round_trip);
  g_test_add_func ("/core/collection/bad-files", test_bad_files);
  g_test_add_func ("/core/collection/too-large", test_too_large);
  g_test_add_func ("/core/collection/atomic-save", test_atomic_save);
  g_test_add_func ("/core/collection/changed-on-disk", test_changed_on_disk);
  g_test_add_func ("/core/collection/edit", test_edit);

  return g_test_run ();
}
