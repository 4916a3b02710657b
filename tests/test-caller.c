/* SPDX-License-Identifier: GPL-3.0-or-later */
/* KgCaller against the in-process demo server: model calls over JSON-RPC
 * and JSON-2, HTTP routes with each auth, classified errors, what is
 * recorded in the history. */
#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "kg-hostile-routes.h"
#include "kg-test-utils.h"

typedef struct
{
  KgHttp     *http;
  KgHistory  *history;
  KgProfile  *profile;
  KgCaller   *caller;
  GPtrArray  *recorded;   /* of KgExchange, in order */
} Fixture;

static void
recorded_cb (KgHttp     *http,
             KgExchange *exchange,
             gpointer    user_data)
{
  Fixture *f = user_data;

  g_ptr_array_add (f->recorded, g_object_ref (exchange));
}

static void
use_profile (Fixture   *f,
             KgProfile *profile)
{
  g_clear_object (&f->caller);
  g_set_object (&f->profile, profile);
  f->caller = kg_caller_new (f->http, f->profile, NULL);
}

static void
use_token_preset (Fixture       *f,
                  KgTokenPreset  preset)
{
  g_autoptr(KgTokenSpec) spec = kg_token_spec_new_for_preset (preset);

  kg_profile_set_protocol (f->profile, KG_PROTOCOL_TOKEN);
  kg_profile_set_token_spec (f->profile, spec);
  use_profile (f, f->profile);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(KgProfile) profile = kg_test_demo_profile ("alice");

  f->http = kg_http_new ();
  f->history = kg_history_new (NULL);
  kg_http_set_history (f->http, G_OBJECT (f->history));
  f->recorded = g_ptr_array_new_with_free_func (g_object_unref);
  g_signal_connect (f->http, "exchange-recorded", G_CALLBACK (recorded_cb), f);
  use_profile (f, profile);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_finalize_object (f->caller);
  g_clear_object (&f->profile);
  g_clear_object (&f->http);
  g_clear_object (&f->history);
  g_clear_pointer (&f->recorded, g_ptr_array_unref);
}

static KgModelCall *
model_call (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = kg_json_parse (json, -1, &error);
  KgModelCall *call;

  g_assert_no_error (error);
  call = kg_model_call_new_from_json (json_node_get_object (node), &error);
  g_assert_no_error (error);
  return call;
}

static KgRoute *
route (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = kg_json_parse (json, -1, &error);
  KgRoute *r;

  g_assert_no_error (error);
  r = kg_route_new_from_json (json_node_get_object (node), &error);
  g_assert_no_error (error);
  return r;
}

static KgCallResult *
call (Fixture     *f,
      const char  *api_key,
      const char  *json,
      GError     **error)
{
  g_autoptr(KgModelCall) c = model_call (json);
  g_autoptr(GAsyncResult) result = NULL;

  kg_caller_call_model_async (f->caller, api_key, c, NULL, kg_test_store_result_cb, &result);
  result = kg_test_wait_result (&result);
  return kg_caller_call_model_finish (f->caller, result, error);
}

static KgCallResult *
send (Fixture     *f,
      const char  *api_key,
      const char  *json,
      GError     **error)
{
  g_autoptr(KgRoute) r = route (json);
  g_autoptr(GAsyncResult) result = NULL;

  kg_caller_send_route_async (f->caller, api_key, r, NULL, kg_test_store_result_cb, &result);
  result = kg_test_wait_result (&result);
  return kg_caller_send_route_finish (f->caller, result, error);
}

static JsonNode *
lookup (KgCallResult *result,
        const char   *path)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  g_assert_nonnull (kg_call_result_get_json (result));
  node = kg_json_path_lookup (kg_call_result_get_json (result), path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static guint
count_label (Fixture    *f,
             const char *prefix)
{
  guint n = 0;

  for (guint i = 0; i < f->recorded->len; i++)
    if (g_str_has_prefix (kg_exchange_get_label (g_ptr_array_index (f->recorded, i)), prefix))
      n++;
  return n;
}

static void
assert_ok (KgCallResult *result)
{
  g_assert_nonnull (result);
  if (!kg_call_result_get_ok (result))
    g_error ("call failed: %s", kg_call_result_get_error (result)->message);
  g_assert_null (kg_call_result_get_error (result));
  g_assert_null (kg_call_result_get_error_kind (result));
  g_assert_cmpint (kg_call_result_get_elapsed_us (result), >, 0);
  g_assert_nonnull (kg_call_result_get_exchange (result));
}

static void
assert_failed (KgCallResult *result,
               const char   *kind,
               guint         status)
{
  g_assert_nonnull (result);
  g_assert_false (kg_call_result_get_ok (result));
  g_assert_nonnull (kg_call_result_get_error (result));
  g_assert_cmpstr (kg_call_result_get_error_kind (result), ==, kind);
  g_assert_cmpuint (kg_call_result_get_status (result), ==, status);
  g_assert_nonnull (kg_call_result_get_exchange (result));
  /* The exchange the result carries was recorded, with the same outcome. */
  g_assert_cmpstr (kg_exchange_get_outcome (kg_call_result_get_exchange (result)), ==, kind);
}

/* ---- JSON-RPC ----------------------------------------------------------- */

static void
test_jsonrpc_authenticates_once (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(KgCallResult) created = NULL;
  g_autoptr(KgCallResult) read = NULL;
  g_autoptr(KgCallResult) count = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *read_json = NULL;
  gint64 id;

  g_assert_false (kg_caller_uses_json2 (f->caller));

  created = call (f, KG_DEMO_ALICE_KEY, "{\"model\": \"project.project\", \"method\": \"create\", "
                  "\"args\": [{\"name\": \"Workbench 1\"}]}", &error);
  g_assert_no_error (error);
  assert_ok (created);
  g_assert_cmpuint (kg_call_result_get_status (created), ==, 200);
  id = json_node_get_int (lookup (created, "$.result"));
  g_assert_cmpint (id, >, 0);

  read_json = g_strdup_printf ("{\"model\": \"project.project\", \"method\": \"read\", "
                               "\"args\": [[%" G_GINT64_FORMAT "]], "
                               "\"kwargs\": {\"fields\": [\"name\"]}}", id);
  read = call (f, KG_DEMO_ALICE_KEY, read_json, &error);
  g_assert_no_error (error);
  assert_ok (read);
  g_assert_cmpstr (json_node_get_string (lookup (read, "$.result[0].name")), ==, "Workbench 1");
  g_assert_cmpstr (kg_exchange_get_label (kg_call_result_get_exchange (read)), ==,
                   "object.execute_kw project.project read");

  count = call (f, KG_DEMO_ALICE_KEY, "{\"model\": \"project.project\", \"method\": "
                "\"search_count\", \"args\": [[]]}", &error);
  g_assert_no_error (error);
  assert_ok (count);
  g_assert_cmpint (json_node_get_int (lookup (count, "$.result")), >=, 2);

  /* One authenticate for the three calls. */
  g_assert_cmpuint (count_label (f, "common.authenticate"), ==, 1);
  g_assert_cmpuint (count_label (f, "object.execute_kw"), ==, 3);
  g_assert_cmpuint (f->recorded->len, ==, 4);
  /* Each exchange reached the history. */
  g_assert_cmpuint (g_list_model_get_n_items (kg_history_get_model (f->history)), ==, 4);
}

static void
test_jsonrpc_errors (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(KgCallResult) denied = NULL;
  g_autoptr(KgCallResult) wrong_key = NULL;
  g_autoptr(KgCallResult) unknown = NULL;
  g_autoptr(KgCallResult) none = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KgProfile) alice = g_object_ref (f->profile);
  g_autoptr(KgProfile) bob = kg_test_demo_profile ("bob");
  JsonNode *node;

  /* Bob may not create projects: the call was sent and failed. */
  use_profile (f, bob);
  denied = call (f, KG_DEMO_BOB_KEY, "{\"model\": \"project.project\", \"method\": \"create\", "
                 "\"args\": [{\"name\": \"Bob was here\"}]}", &error);
  g_assert_no_error (error);
  assert_failed (denied, "access-error", 200);
  g_assert_cmpstr (json_node_get_string (lookup (denied, "$.error.kind")), ==, "access-error");
  g_assert_nonnull (strstr (json_node_get_string (lookup (denied, "$.error.server_message")),
                            "not allowed to create"));
  g_assert_nonnull (json_node_get_string (lookup (denied, "$.error.message")));

  /* A wrong key: authenticate refuses it; the call itself was never sent. */
  use_profile (f, alice);
  wrong_key = call (f, KG_DEMO_ALICE_KEY "0", "{\"model\": \"project.project\", "
                    "\"method\": \"search\", \"args\": [[]]}", &error);
  g_assert_no_error (error);
  assert_failed (wrong_key, "access-denied", 0);
  g_assert_cmpstr (kg_exchange_get_label (kg_call_result_get_exchange (wrong_key)), ==,
                   "common.authenticate");
  node = lookup (wrong_key, "$.error.server_message");
  g_assert_true (JSON_NODE_HOLDS_NULL (node));

  unknown = call (f, KG_DEMO_ALICE_KEY, "{\"model\": \"project.project\", \"method\": "
                  "\"no_such_method\"}", &error);
  g_assert_no_error (error);
  g_assert_false (kg_call_result_get_ok (unknown));
  g_assert_cmpuint (kg_call_result_get_status (unknown), ==, 200);

  /* Nothing sent: no key. */
  none = call (f, "", "{\"model\": \"project.project\", \"method\": \"search\"}", &error);
  g_assert_null (none);
  g_assert_error (error, KG_ERROR, KG_ERROR_KEY_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (kg_demo_server_get_request_count (kg_test_get_demo_server ()), >, 0);
}

static void
test_jsonrpc_network_and_cancel (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(KgProfile) closed = kg_test_demo_profile ("alice");
  g_autofree char *url = kg_test_closed_url ();
  g_autoptr(KgCallResult) refused = NULL;
  g_autoptr(KgModelCall) c = model_call ("{\"model\": \"res.users\", \"method\": "
                                         "\"context_get\"}");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(KgCallResult) cancelled = NULL;
  g_autoptr(GError) error = NULL;

  kg_profile_set_url (closed, url);
  use_profile (f, closed);

  /* The request left: a failed result, classified as a network error. */
  refused = call (f, KG_DEMO_ALICE_KEY, "{\"model\": \"res.users\", \"method\": "
                  "\"context_get\"}", &error);
  g_assert_no_error (error);
  g_assert_false (kg_call_result_get_ok (refused));
  g_assert_cmpstr (kg_call_result_get_error_kind (refused), ==, "network");
  g_assert_cmpuint (kg_call_result_get_status (refused), ==, 0);

  /* Cancelled before sending: an error, no result. */
  g_cancellable_cancel (cancellable);
  kg_caller_call_model_async (f->caller, KG_DEMO_ALICE_KEY, c, cancellable,
                              kg_test_store_result_cb, &result);
  result = kg_test_wait_result (&result);
  cancelled = kg_caller_call_model_finish (f->caller, result, &error);
  g_assert_null (cancelled);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static gint refuse_execute_kw;

/* Answers the next execute_kw with AccessDenied, as Odoo does for a key
 * revoked after the uid was remembered. */
static gboolean
stale_uid_handler (KgDemoServer      *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autofree char *text = NULL;

  if (body->data == NULL || strstr (body->data, "execute_kw") == NULL
      || !g_atomic_int_compare_and_exchange (&refuse_execute_kw, 1, 0))
    return FALSE;

  text = kg_hostile_jsonrpc_error ("odoo.exceptions.AccessDenied", "Access Denied");
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, text,
                                    strlen (text));
  return TRUE;
}

static void
test_jsonrpc_reauthenticates_once (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(KgCallResult) first = NULL;
  g_autoptr(KgCallResult) second = NULL;
  g_autoptr(KgCallResult) third = NULL;
  g_autoptr(GError) error = NULL;
  static gsize added;
  g_autoptr(KgProfile) carol = kg_test_demo_profile ("carol");
  const char *context_get = "{\"model\": \"res.users\", \"method\": \"context_get\"}";

  if (g_once_init_enter (&added))
    {
      kg_demo_server_add_handler (kg_test_get_demo_server (), "/jsonrpc", stale_uid_handler,
                                  NULL, NULL);
      g_once_init_leave (&added, 1);
    }

  use_profile (f, carol);
  first = call (f, KG_DEMO_CAROL_KEY, context_get, &error);
  assert_ok (first);
  g_assert_cmpuint (count_label (f, "common.authenticate"), ==, 1);

  /* The remembered uid is refused once: authenticate again, call again. */
  g_atomic_int_set (&refuse_execute_kw, 1);
  second = call (f, KG_DEMO_CAROL_KEY, context_get, &error);
  g_assert_no_error (error);
  assert_ok (second);
  g_assert_cmpuint (count_label (f, "common.authenticate"), ==, 2);
  g_assert_cmpuint (count_label (f, "object.execute_kw"), ==, 3);
  g_assert_cmpint (json_node_get_int (lookup (second, "$.result.uid")), ==, KG_DEMO_CAROL_UID);

  /* A refusal right after authenticating is final: no loop. */
  use_profile (f, f->profile);
  g_atomic_int_set (&refuse_execute_kw, 1);
  third = call (f, KG_DEMO_CAROL_KEY, context_get, &error);
  g_assert_no_error (error);
  assert_failed (third, "access-denied", 200);
  g_assert_cmpuint (count_label (f, "common.authenticate"), ==, 3);
  g_assert_cmpuint (count_label (f, "object.execute_kw"), ==, 4);
}

/* ---- JSON-2 ------------------------------------------------------------- */

static void
test_json2_calls (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(KgCallResult) created = NULL;
  g_autoptr(KgCallResult) read = NULL;
  g_autoptr(KgCallResult) denied = NULL;
  g_autoptr(KgCallResult) usage = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *read_json = NULL;
  KgExchange *exchange;
  gint64 id;
  guint before;

  use_token_preset (f, KG_TOKEN_PRESET_JSON2);
  g_assert_true (kg_caller_uses_json2 (f->caller));

  /* Positional args mapped to JSON-2's named arguments. */
  created = call (f, KG_DEMO_ALICE_KEY, "{\"model\": \"project.project\", \"method\": \"create\", "
                  "\"args\": [[{\"name\": \"JSON-2 workbench\"}]]}", &error);
  g_assert_no_error (error);
  assert_ok (created);
  g_assert_cmpuint (kg_call_result_get_status (created), ==, 200);
  exchange = kg_call_result_get_exchange (created);
  g_assert_true (g_str_has_suffix (kg_exchange_get_url (exchange),
                                   "/json/2/project.project/create"));
  g_assert_cmpstr (kg_exchange_get_request_body (exchange), ==,
                   "{\"vals_list\":[{\"name\":\"JSON-2 workbench\"}]}");
  id = json_node_get_int (lookup (created, "$.result[0]"));
  g_assert_cmpint (id, >, 0);

  read_json = g_strdup_printf ("{\"model\": \"project.project\", \"method\": \"read\", "
                               "\"args\": [[%" G_GINT64_FORMAT "], [\"name\"]]}", id);
  read = call (f, KG_DEMO_ALICE_KEY, read_json, &error);
  g_assert_no_error (error);
  assert_ok (read);
  g_assert_cmpstr (json_node_get_string (lookup (read, "$.result[0].name")), ==,
                   "JSON-2 workbench");

  /* Real statuses: 403 for bob. */
  denied = call (f, KG_DEMO_BOB_KEY, "{\"model\": \"project.project\", \"method\": \"create\", "
                 "\"kwargs\": {\"vals_list\": [{\"name\": \"Bob\"}]}}", &error);
  g_assert_no_error (error);
  assert_failed (denied, "access-error", 403);
  g_assert_nonnull (strstr (json_node_get_string (lookup (denied, "$.error.server_message")),
                            "not allowed to create"));

  /* A usage error sends nothing. */
  before = f->recorded->len;
  usage = call (f, KG_DEMO_ALICE_KEY, "{\"model\": \"res.users\", \"method\": \"has_group\", "
                "\"args\": [[6], \"base.group_user\"]}", &error);
  g_assert_null (usage);
  g_assert_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "kwargs"));
  g_assert_cmpuint (f->recorded->len, ==, before);
  g_assert_cmpuint (count_label (f, "common.authenticate"), ==, 0);
}

/* Every mapped method answers over JSON-2 as Odoo 19 does, for both demo
 * models, positional args mapped to named ones. */
static void
test_json2_orm_methods (Fixture       *f,
                        gconstpointer  data)
{
  static const char * const models[] = { "project.project", "res.partner" };

  use_token_preset (f, KG_TOKEN_PRESET_JSON2);

  for (guint m = 0; m < G_N_ELEMENTS (models); m++)
    {
      const char *model = models[m];
      g_autoptr(GError) error = NULL;
      g_autoptr(KgCallResult) created = NULL;
      g_autoptr(KgCallResult) written = NULL;
      g_autoptr(KgCallResult) read = NULL;
      g_autoptr(KgCallResult) found = NULL;
      g_autoptr(KgCallResult) rows = NULL;
      g_autoptr(KgCallResult) count = NULL;
      g_autoptr(KgCallResult) named = NULL;
      g_autoptr(KgCallResult) fields = NULL;
      g_autoptr(KgCallResult) removed = NULL;
      g_autoptr(KgCallResult) gone = NULL;
      g_autofree char *text = NULL;
      g_autofree char *name = g_strdup_printf ("Mapped %s %u", model, g_random_int ());
      gint64 id;

      text = g_strdup_printf ("{\"model\": \"%s\", \"method\": \"create\", "
                              "\"args\": [[{\"name\": \"draft\"}]]}", model);
      created = call (f, KG_DEMO_ALICE_KEY, text, &error);
      assert_ok (created);
      id = json_node_get_int (lookup (created, "$.result[0]"));
      g_assert_cmpint (id, >, 0);
      g_clear_pointer (&text, g_free);

      text = g_strdup_printf ("{\"model\": \"%s\", \"method\": \"write\", "
                              "\"args\": [[%" G_GINT64_FORMAT "], {\"name\": \"%s\"}]}",
                              model, id, name);
      written = call (f, KG_DEMO_ALICE_KEY, text, &error);
      assert_ok (written);
      g_assert_true (json_node_get_boolean (lookup (written, "$.result")));
      g_clear_pointer (&text, g_free);

      text = g_strdup_printf ("{\"model\": \"%s\", \"method\": \"read\", "
                              "\"args\": [[%" G_GINT64_FORMAT "], [\"name\"]]}", model, id);
      read = call (f, KG_DEMO_ALICE_KEY, text, &error);
      assert_ok (read);
      g_assert_cmpstr (json_node_get_string (lookup (read, "$.result[0].name")), ==, name);
      g_clear_pointer (&text, g_free);

      text = g_strdup_printf ("{\"model\": \"%s\", \"method\": \"search\", "
                              "\"args\": [[[\"name\", \"=\", \"%s\"]]]}", model, name);
      found = call (f, KG_DEMO_ALICE_KEY, text, &error);
      assert_ok (found);
      g_assert_cmpint (json_node_get_int (lookup (found, "$.result[0]")), ==, id);
      g_clear_pointer (&text, g_free);

      text = g_strdup_printf ("{\"model\": \"%s\", \"method\": \"search_read\", "
                              "\"args\": [[[\"name\", \"=\", \"%s\"]], [\"name\"]]}",
                              model, name);
      rows = call (f, KG_DEMO_ALICE_KEY, text, &error);
      assert_ok (rows);
      g_assert_cmpint (json_node_get_int (lookup (rows, "$.result[0].id")), ==, id);
      g_clear_pointer (&text, g_free);

      text = g_strdup_printf ("{\"model\": \"%s\", \"method\": \"search_count\", "
                              "\"args\": [[[\"name\", \"=\", \"%s\"]]]}", model, name);
      count = call (f, KG_DEMO_ALICE_KEY, text, &error);
      assert_ok (count);
      g_assert_cmpint (json_node_get_int (lookup (count, "$.result")), ==, 1);
      g_clear_pointer (&text, g_free);

      text = g_strdup_printf ("{\"model\": \"%s\", \"method\": \"name_search\", "
                              "\"args\": [\"%s\"]}", model, name);
      named = call (f, KG_DEMO_ALICE_KEY, text, &error);
      assert_ok (named);
      g_assert_cmpint (json_node_get_int (lookup (named, "$.result[0][0]")), ==, id);
      g_assert_cmpstr (json_node_get_string (lookup (named, "$.result[0][1]")), ==, name);
      g_clear_pointer (&text, g_free);

      text = g_strdup_printf ("{\"model\": \"%s\", \"method\": \"fields_get\", "
                              "\"args\": [[\"name\"], [\"type\"]]}", model);
      fields = call (f, KG_DEMO_ALICE_KEY, text, &error);
      assert_ok (fields);
      g_assert_cmpstr (json_node_get_string (lookup (fields, "$.result.name.type")), ==, "char");
      g_assert_cmpuint (json_object_get_size (json_node_get_object (lookup (fields,
                                                                            "$.result"))),
                        ==, 1);
      g_clear_pointer (&text, g_free);

      text = g_strdup_printf ("{\"model\": \"%s\", \"method\": \"unlink\", "
                              "\"args\": [[%" G_GINT64_FORMAT "]]}", model, id);
      removed = call (f, KG_DEMO_ALICE_KEY, text, &error);
      assert_ok (removed);
      g_assert_true (json_node_get_boolean (lookup (removed, "$.result")));

      /* Gone: a second unlink is a missing record (404). */
      gone = call (f, KG_DEMO_ALICE_KEY, text, &error);
      g_assert_no_error (error);
      assert_failed (gone, "missing-record", 404);
    }
}

static void
test_json2_orm_refusals (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KgCallResult) write = NULL;
  g_autoptr(KgCallResult) unlink = NULL;
  g_autoptr(KgCallResult) user_partner = NULL;
  g_autoptr(KgProfile) bob = kg_test_demo_profile ("bob");

  use_profile (f, bob);
  use_token_preset (f, KG_TOKEN_PRESET_JSON2);
  write = call (f, KG_DEMO_BOB_KEY, "{\"model\": \"project.project\", \"method\": \"write\", "
                "\"args\": [[1], {\"name\": \"Bob's\"}]}", &error);
  g_assert_no_error (error);
  assert_failed (write, "access-error", 403);
  unlink = call (f, KG_DEMO_BOB_KEY, "{\"model\": \"project.project\", \"method\": \"unlink\", "
                 "\"args\": [[1]]}", &error);
  g_assert_no_error (error);
  assert_failed (unlink, "access-error", 403);
  user_partner = call (f, KG_DEMO_BOB_KEY, "{\"model\": \"res.partner\", \"method\": "
                       "\"unlink\", \"args\": [[8]]}", &error);
  g_assert_no_error (error);
  assert_failed (user_partner, "validation", 422);
}

static void
test_route_token_module (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KgCallResult) list = NULL;
  g_autoptr(KgCallResult) task = NULL;
  g_autoptr(KgCallResult) no_project = NULL;
  g_autoptr(KgCallResult) wrong_method = NULL;

  use_token_preset (f, KG_TOKEN_PRESET_TUTORIAL);
  list = send (f, KG_DEMO_ALICE_KEY, "{\"method\": \"GET\", \"path\": \"/api/projects\", "
               "\"auth\": \"token\"}", &error);
  g_assert_no_error (error);
  assert_ok (list);
  g_assert_cmpstr (json_node_get_string (lookup (list, "$.projects[0].name")), ==, "Internal");
  g_assert_cmpint (json_node_get_int (lookup (list, "$.count")), >=, 1);

  task = send (f, KG_DEMO_ALICE_KEY, "{\"method\": \"POST\", \"path\": \"/api/task/create\", "
               "\"auth\": \"token\", \"json\": {\"task_name\": \"Write the docs\", "
               "\"project_id\": 1}}", &error);
  g_assert_no_error (error);
  assert_ok (task);
  g_assert_cmpint (json_node_get_int (lookup (task, "$.task_id")), >, 0);
  g_assert_cmpint (json_node_get_int (lookup (task, "$.project_id")), ==, 1);
  /* One exchange for the three calls. */
  g_assert_cmpuint (count_label (f, "token exchange"), ==, 1);

  no_project = send (f, KG_DEMO_ALICE_KEY, "{\"method\": \"POST\", \"path\": "
                     "\"/api/task/create\", \"auth\": \"token\", \"json\": "
                     "{\"task_name\": \"x\", \"project_id\": 99999}}", &error);
  g_assert_no_error (error);
  g_assert_false (kg_call_result_get_ok (no_project));
  g_assert_cmpuint (kg_call_result_get_status (no_project), ==, 404);
  g_assert_cmpstr (json_node_get_string (lookup (no_project, "$.error")), ==,
                   "Project not found");

  wrong_method = send (f, KG_DEMO_ALICE_KEY, "{\"method\": \"POST\", \"path\": "
                       "\"/api/projects\", \"auth\": \"token\"}", &error);
  g_assert_no_error (error);
  g_assert_false (kg_call_result_get_ok (wrong_method));
  g_assert_cmpuint (kg_call_result_get_status (wrong_method), ==, 405);
}

/* ---- Routes ------------------------------------------------------------- */

static void
test_route_token (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(KgCallResult) first = NULL;
  g_autoptr(KgCallResult) second = NULL;
  g_autoptr(KgCallResult) anonymous = NULL;
  g_autoptr(GError) error = NULL;
  const char *create = "{\"method\": \"post\", \"path\": \"/api/project/create\", "
                       "\"auth\": \"token\", \"json\": {\"project_name\": \"REST workbench\"}}";

  use_token_preset (f, KG_TOKEN_PRESET_TUTORIAL);

  first = send (f, KG_DEMO_ALICE_KEY, create, &error);
  g_assert_no_error (error);
  assert_ok (first);
  g_assert_cmpuint (kg_call_result_get_status (first), ==, 200);
  g_assert_cmpint (json_node_get_int (lookup (first, "$.project_id")), >, 0);
  g_assert_nonnull (kg_call_result_get_body_text (first));
  g_assert_cmpuint (count_label (f, "token exchange"), ==, 1);

  /* The token is reused. */
  second = send (f, KG_DEMO_ALICE_KEY, create, &error);
  g_assert_no_error (error);
  assert_ok (second);
  g_assert_cmpuint (count_label (f, "token exchange"), ==, 1);
  g_assert_cmpuint (f->recorded->len, ==, 3);
  g_assert_cmpstr (kg_exchange_get_label (kg_call_result_get_exchange (second)), ==,
                   "POST /api/project/create");

  /* Without a token the module refuses: 401, said as a missing token with
   * the way to send one (as a real Odoo with the module answers). */
  anonymous = send (f, NULL, "{\"method\": \"POST\", \"path\": \"/api/project/create\", "
                    "\"json\": {\"project_name\": \"x\"}}", &error);
  g_assert_no_error (error);
  assert_failed (anonymous, "token-missing", 401);
  g_assert_nonnull (strstr (kg_error_get_remedy (kg_call_result_get_error (anonymous)),
                            "“Token”"));
  g_assert_nonnull (lookup (anonymous, "$.error"));
}

static void
test_route_api_key (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(KgCallResult) created = NULL;
  g_autoptr(KgCallResult) forbidden = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *headers;
  gboolean has_key_header = FALSE;

  /* The "API-KEY header" preset: the key goes in API-KEY, no exchange. */
  use_token_preset (f, KG_TOKEN_PRESET_API_KEY_HEADER);
  created = send (f, KG_DEMO_ALICE_KEY, "{\"method\": \"POST\", \"path\": "
                  "\"/api/key/project/create\", \"auth\": \"api-key\", "
                  "\"json\": {\"project_name\": \"Key workbench\"}}", &error);
  g_assert_no_error (error);
  assert_ok (created);
  g_assert_cmpint (json_node_get_int (lookup (created, "$.project_id")), >, 0);
  headers = kg_exchange_get_request_headers (kg_call_result_get_exchange (created));
  for (guint i = 0; i < headers->len; i++)
    {
      KgHeader *header = g_ptr_array_index (headers, i);

      if (g_ascii_strcasecmp (header->name, "API-KEY") == 0)
        {
          has_key_header = TRUE;
          g_assert_null (strstr (header->value, KG_DEMO_ALICE_KEY));
        }
    }
  g_assert_true (has_key_header);
  g_assert_cmpuint (count_label (f, "token exchange"), ==, 0);

  /* Bob's key: 403 from the route. */
  forbidden = send (f, KG_DEMO_BOB_KEY, "{\"method\": \"POST\", \"path\": "
                    "\"/api/key/project/create\", \"auth\": \"api-key\", "
                    "\"json\": {\"project_name\": \"Bob\"}}", &error);
  g_assert_no_error (error);
  assert_failed (forbidden, "access-error", 403);
}

static void
test_route_plain (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(KgCallResult) html = NULL;
  g_autoptr(KgCallResult) envelope = NULL;
  g_autoptr(KgCallResult) version = NULL;
  g_autoptr(KgCallResult) other = NULL;
  g_autoptr(KgCallResult) refused = NULL;
  g_autoptr(KgCallResult) no_key = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *localhost_route = NULL;
  guint port = kg_demo_server_get_port (kg_test_get_demo_server ());
  guint before;

  /* A 404 page: failed, not JSON, the text kept. */
  html = send (f, NULL, "{\"method\": \"GET\", \"path\": \"/no/such/route\"}", &error);
  g_assert_no_error (error);
  assert_failed (html, "http-status", 404);
  g_assert_null (kg_call_result_get_json (html));
  g_assert_nonnull (strstr (kg_call_result_get_body_text (html), "<html>"));
  /* The message says what the page says. */
  g_assert_cmpstr (kg_error_get_server_message (kg_call_result_get_error (html)), ==,
                   "404: Page not found!");

  /* A JSON-RPC error envelope in a 200 answer is a failure. */
  envelope = send (f, NULL, "{\"method\": \"POST\", \"path\": \"/jsonrpc\", \"json\": "
                   "{\"jsonrpc\": \"2.0\", \"method\": \"call\", \"params\": {\"service\": "
                   "\"common\", \"method\": \"authenticate\", \"args\": [\"no_such_db\", "
                   "\"alice\", \"x\", {}]}}}", &error);
  g_assert_no_error (error);
  assert_failed (envelope, "unknown-database", 200);

  /* Query parameters and a JSON body; 2xx is ok. */
  version = send (f, NULL, "{\"method\": \"POST\", \"path\": \"/web/webclient/version_info\", "
                  "\"query\": {\"debug\": \"1\"}, \"json\": {\"jsonrpc\": \"2.0\", "
                  "\"method\": \"call\", \"params\": {}}}", &error);
  g_assert_no_error (error);
  assert_ok (version);
  g_assert_true (g_str_has_suffix (kg_exchange_get_url (kg_call_result_get_exchange (version)),
                                   "/web/webclient/version_info?debug=1"));
  g_assert_nonnull (lookup (version, "$.result.server_version"));

  /* Another origin (localhost is not 127.0.0.1), allowed: sent without
   * credentials. */
  localhost_route = g_strdup_printf ("{\"method\": \"POST\", \"path\": "
                                     "\"http://localhost:%u/web/webclient/version_info\", "
                                     "\"origin\": \"http://localhost:%u\", \"json\": {}}",
                                     port, port);
  other = send (f, KG_DEMO_ALICE_KEY, localhost_route, &error);
  g_assert_no_error (error);
  g_assert_nonnull (other);
  g_assert_cmpuint (kg_call_result_get_status (other), ==, 200);

  /* Refused before sending. */
  before = f->recorded->len;
  refused = send (f, KG_DEMO_ALICE_KEY, "{\"method\": \"GET\", \"path\": "
                  "\"https://elsewhere.example/x\"}", &error);
  g_assert_null (refused);
  g_assert_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  no_key = send (f, NULL, "{\"method\": \"GET\", \"path\": \"/x\", \"auth\": \"token\"}",
                 &error);
  g_assert_null (no_key);
  g_assert_error (error, KG_ERROR, KG_ERROR_KEY_NOT_FOUND);
  g_assert_cmpuint (f->recorded->len, ==, before);
}

static const char *
request_header (KgExchange *exchange,
                const char *name)
{
  GPtrArray *headers = kg_exchange_get_request_headers (exchange);

  for (guint i = 0; i < headers->len; i++)
    {
      KgHeader *header = g_ptr_array_index (headers, i);

      if (g_ascii_strcasecmp (header->name, name) == 0)
        return header->value;
    }
  return NULL;
}

/* What goes out: form and text bodies, headers, and the key in the token
 * spec's key header for auth "api-key" when the spec has an exchange. */
static void
test_route_request_shapes (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KgCallResult) form = NULL;
  g_autoptr(KgCallResult) text = NULL;
  g_autoptr(KgCallResult) keyed = NULL;
  KgExchange *exchange;

  form = send (f, NULL, "{\"method\": \"POST\", \"path\": \"/web/webclient/version_info\", "
               "\"form\": {\"a b\": \"1&2\", \"c\": \"é\"}, \"headers\": {\"X-Trace\": \"t1\"}}",
               &error);
  g_assert_no_error (error);
  exchange = kg_call_result_get_exchange (form);
  g_assert_cmpstr (kg_exchange_get_request_content_type (exchange), ==,
                   "application/x-www-form-urlencoded");
  g_assert_cmpstr (kg_exchange_get_request_body (exchange), ==, "a%20b=1%262&c=%C3%A9");
  g_assert_cmpstr (request_header (exchange, "X-Trace"), ==, "t1");
  g_assert_null (request_header (exchange, "Authorization"));
  g_assert_null (request_header (exchange, "X-API-Key"));

  text = send (f, NULL, "{\"method\": \"PUT\", \"path\": \"/web/webclient/version_info\", "
               "\"data\": \"<x/>\", \"headers\": {\"Content-Type\": \"application/xml\"}}",
               &error);
  g_assert_no_error (error);
  exchange = kg_call_result_get_exchange (text);
  g_assert_cmpstr (kg_exchange_get_method (exchange), ==, "PUT");
  g_assert_cmpstr (kg_exchange_get_request_content_type (exchange), ==, "application/xml");
  g_assert_cmpstr (kg_exchange_get_request_body (exchange), ==, "<x/>");

  /* A jsonrpc profile (tutorial spec by default): X-API-Key and the
   * database header, the key redacted in what was recorded. */
  keyed = send (f, KG_DEMO_ALICE_KEY, "{\"method\": \"GET\", \"path\": \"/api/projects\", "
                "\"auth\": \"api-key\"}", &error);
  g_assert_no_error (error);
  exchange = kg_call_result_get_exchange (keyed);
  g_assert_nonnull (request_header (exchange, "X-API-Key"));
  g_assert_null (strstr (request_header (exchange, "X-API-Key"), KG_DEMO_ALICE_KEY));
  g_assert_cmpstr (request_header (exchange, "X-Odoo-Database"), ==, KG_DEMO_DATABASE);
  g_assert_null (request_header (exchange, "Authorization"));
}

static void
test_history_redacted (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(KgCallResult) a = NULL;
  g_autoptr(KgCallResult) b = NULL;
  g_autoptr(KgCallResult) c = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KgTokenClient) client = NULL;
  g_autofree char *token = NULL;

  kg_test_capture_logs ();
  a = call (f, KG_DEMO_ALICE_KEY, "{\"model\": \"res.users\", \"method\": \"context_get\"}",
            &error);
  assert_ok (a);

  use_token_preset (f, KG_TOKEN_PRESET_TUTORIAL);
  client = kg_token_client_new (f->http, f->profile);
  g_clear_object (&f->caller);
  f->caller = kg_caller_new (f->http, f->profile, client);
  b = send (f, KG_DEMO_ALICE_KEY, "{\"method\": \"POST\", \"path\": \"/api/project/create\", "
            "\"auth\": \"token\", \"json\": {\"project_name\": \"Secret audit\"}}", &error);
  assert_ok (b);
  token = g_strdup (kg_token_client_peek_token (client));
  g_assert_nonnull (token);

  use_token_preset (f, KG_TOKEN_PRESET_JSON2);
  c = call (f, KG_DEMO_ALICE_KEY, "{\"model\": \"res.users\", \"method\": \"context_get\"}",
            &error);
  assert_ok (c);

  g_assert_cmpuint (g_list_model_get_n_items (kg_history_get_model (f->history)), ==,
                    f->recorded->len);
  g_assert_cmpuint (kg_test_assert_dir_lacks (kg_test_get_tmpdir (), KG_DEMO_ALICE_KEY), >=, 1);
  kg_test_assert_dir_lacks (kg_test_get_tmpdir (), token);
  for (guint i = 0; i < f->recorded->len; i++)
    {
      g_autofree char *curl = kg_exchange_to_curl (g_ptr_array_index (f->recorded, i));

      g_assert_null (strstr (curl, KG_DEMO_ALICE_KEY));
      g_assert_null (strstr (curl, token));
    }
  g_assert_null (strstr (kg_test_get_logged_text (), KG_DEMO_ALICE_KEY));
}

int
main (int   argc,
      char *argv[])
{
  kg_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/core/caller/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("jsonrpc-authenticates-once", test_jsonrpc_authenticates_once);
  ADD ("jsonrpc-errors", test_jsonrpc_errors);
  ADD ("jsonrpc-network-and-cancel", test_jsonrpc_network_and_cancel);
  ADD ("jsonrpc-reauthenticates-once", test_jsonrpc_reauthenticates_once);
  ADD ("json2-calls", test_json2_calls);
  ADD ("json2-orm-methods", test_json2_orm_methods);
  ADD ("json2-orm-refusals", test_json2_orm_refusals);
  ADD ("route-token", test_route_token);
  ADD ("route-token-module", test_route_token_module);
  ADD ("route-api-key", test_route_api_key);
  ADD ("route-plain", test_route_plain);
  ADD ("route-request-shapes", test_route_request_shapes);
  ADD ("history-redacted", test_history_redacted);

#undef ADD

  return g_test_run ();
}
