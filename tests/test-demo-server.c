/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The demo server against the captured real-server exchanges, its switches
 * and its hostile routes. */
#include "config.h"

#include <signal.h>
#include <string.h>

#include <libsoup/soup.h>

#include "kg-hostile-routes.h"
#include "kg-test-utils.h"

#define VERSION_INFO "server_version_info"
#define VERSION_CALL \
  "{\"jsonrpc\": \"2.0\", \"method\": \"call\", \"params\": {\"service\": \"common\", " \
  "\"method\": \"version\", \"args\": []}, \"id\": 1}"
#define EMPTY_CALL "{\"jsonrpc\": \"2.0\", \"params\": {}, \"id\": 1}"

/* ------------------------------------------------------------------------ */
/* HTTP helpers                                                              */

typedef struct {
  guint status;
  char *content_type;       /* media type only, lower case */
  SoupMessageHeaders *headers;
  GBytes *body;
  JsonNode *json;           /* NULL when the body is not JSON */
} Reply;

static void
reply_free (Reply *reply)
{
  g_free (reply->content_type);
  g_clear_pointer (&reply->headers, soup_message_headers_unref);
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_clear_pointer (&reply->json, json_node_unref);
  g_free (reply);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

static SoupSession *
test_session (void)
{
  static SoupSession *session;

  if (session == NULL)
    session = soup_session_new_with_options ("timeout", 20, "proxy-resolver", NULL, NULL);
  return session;
}

static char *
media_type (const char *content_type)
{
  g_autofree char *lower = NULL;
  char *semi;

  if (content_type == NULL)
    return g_strdup ("");
  lower = g_ascii_strdown (content_type, -1);
  semi = strchr (lower, ';');
  if (semi)
    *semi = '\0';
  return g_strstrip (g_strdup (lower));
}

static JsonNode *
parse_json (const char *data, gsize size)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (size == 0 || !g_utf8_validate (data, (gssize) size, NULL)
      || !json_parser_load_from_data (parser, data, (gssize) size, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  return root ? json_node_copy (root) : NULL;
}

static Reply *
reply_from (SoupMessage *msg, GBytes *body)
{
  Reply *reply = g_new0 (Reply, 1);
  gsize size = 0;
  const char *data = g_bytes_get_data (body, &size);

  reply->status = soup_message_get_status (msg);
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  reply->content_type = media_type (soup_message_headers_get_one (reply->headers, "Content-Type"));
  reply->body = g_bytes_ref (body);
  reply->json = parse_json (data, size);
  return reply;
}

/* Sends @method @url with optional @body and NULL-terminated name/value
 * header pairs. */
static Reply *
http (const char *method, const char *url, const char *content_type, const char *body, ...)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  va_list args;
  const char *name;

  g_assert_nonnull (msg);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, content_type, bytes);
    }
  va_start (args, body);
  while ((name = va_arg (args, const char *)) != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), name,
                                  va_arg (args, const char *));
  va_end (args);

  answer = soup_session_send_and_read (test_session (), msg, NULL, &error);
  g_assert_no_error (error);
  return reply_from (msg, answer);
}

static char *
url_for (KgDemoServer *server, const char *path)
{
  return g_strconcat (kg_demo_server_get_url (server), path, NULL);
}

static Reply *
jsonrpc (KgDemoServer *server, const char *service, const char *method, const char *args_json)
{
  g_autofree char *url = url_for (server, "/jsonrpc");
  g_autofree char *body =
    g_strdup_printf ("{\"jsonrpc\": \"2.0\", \"method\": \"call\", \"params\": "
                     "{\"service\": \"%s\", \"method\": \"%s\", \"args\": %s}, "
                     "\"id\": 7}", service, method, args_json);

  return http ("POST", url, "application/json", body, NULL);
}

static JsonObject *
reply_object (Reply *reply)
{
  g_assert_nonnull (reply->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (reply->json));
  return json_node_get_object (reply->json);
}

static JsonArray *
result_array (Reply *reply)
{
  return json_object_get_array_member (reply_object (reply), "result");
}

static const char *
reply_string (Reply      *reply,
              const char *member)
{
  return json_object_get_string_member (reply_object (reply), member);
}

/* reply.@outer.@member, e.g. ("error", "code") */
static gint64
reply_member_int (Reply      *reply,
                  const char *outer,
                  const char *member)
{
  return json_object_get_int_member (json_object_get_object_member (reply_object (reply), outer),
                                     member);
}

static const char *
error_name (Reply *reply)
{
  JsonObject *object = reply_object (reply);
  JsonObject *error = json_object_get_object_member (object, "error");

  g_assert_nonnull (error);
  return json_object_get_string_member (json_object_get_object_member (error, "data"), "name");
}

static const char *
error_message (Reply *reply)
{
  JsonObject *error = json_object_get_object_member (reply_object (reply), "error");

  return json_object_get_string_member (json_object_get_object_member (error, "data"), "message");
}

static KgDemoServer *
new_server (void)
{
  g_autoptr(GError) error = NULL;
  KgDemoServer *server = kg_demo_server_new ();

  g_assert_true (kg_demo_server_start_in_thread (server, &error));
  g_assert_no_error (error);
  return server;
}

/* ------------------------------------------------------------------------ */
/* Replay of the captured exchanges                                          */

typedef struct {
  const char *name;         /* exchange name prefix */
  const char *reason;
} Skip;

static const Skip skip_odoo18[] = {
  { "15-", "browser login form + TOTP (15-18): HTML/CSRF flow with a real authenticator, "
           "not imitated" },
  { "16-", "browser login + TOTP flow, not imitated" },
  { "17-", "browser login + TOTP flow, not imitated" },
  { "18-", "needs the session finished by the TOTP flow (15-17)" },
  { "50-", "XML-RPC is not imitated (Keygate speaks JSON)" },
  { "51-", "XML-RPC is not imitated" },
  { "52-", "XML-RPC is not imitated" },
  { "70-", "/json/1 (read-only, off by default in Odoo 18) is not imitated" },
  { "71-", "/json/1 is not imitated" },
  { "72-", "/json/1 is not imitated" },
  { "73-", "/json/1 is not imitated" },
  { "74-", "/json/1 is not imitated" },
  { "80-", "cooldown: depends on 10 earlier failures and wall-clock timing; "
           "see /demo/switch/cooldown" },
  { "81-", "cooldown timing; see /demo/switch/cooldown" },
  { "82-", "cooldown timing; see /demo/switch/cooldown" },
  { "83-", "cooldown timing (62 s later); see /demo/switch/cooldown" },
};

static const Skip skip_token[] = {
  { "none", NULL },
};

static const Skip skip_odoo19[] = {
  { "74-", "searches a key by a name that exists only in the captured database" },
  { "76-", "identity-check wizards for removing keys are not imitated" },
  { "77-", "identity-check wizards are not imitated" },
  { "78-", "identity-check wizards are not imitated" },
  { "79-", "needs the key removed by 76-78" },
  { "80-", "key-making wizard (res.users.apikeys.description) is not imitated" },
  { "81-", "key-making wizard is not imitated" },
  { "82-", "key-making wizard is not imitated" },
  { "83-", "needs the key made by 80-82" },
  { "84-", "key-making wizard is not imitated" },
  { "85-", "key-making wizard is not imitated" },
  { "86-", "/doc-bearer (api_doc) is not imitated" },
  { "87-", "/doc-bearer (api_doc) is not imitated" },
  { "90-", "short-lived key made through the wizard (90-97) is not imitated" },
  { "91-", "short-lived key wizard is not imitated" },
  { "92-", "short-lived key wizard is not imitated" },
  { "93-", "short-lived key wizard is not imitated" },
  { "94-", "short-lived key wizard is not imitated" },
  { "95-", "short-lived key wizard is not imitated" },
  { "96-", "JSON-RPC credential cache after expiry (96) is not imitated" },
  { "97-", "short-lived key wizard is not imitated" },
};

typedef struct {
  const char *file;
  gboolean odoo19;
  const Skip *skips;
  guint n_skips;
  const char *fixture_db;
  guint uid_map[3][2];      /* fixture uid -> demo uid */
} ReplaySet;

static const ReplaySet set_odoo18 = {
  "exchanges.json", FALSE, skip_odoo18, G_N_ELEMENTS (skip_odoo18), "keygate_accept",
  { { 6, KG_DEMO_ALICE_UID }, { 7, KG_DEMO_BOB_UID }, { 8, KG_DEMO_CAROL_UID } },
};
static const ReplaySet set_token = {
  "token-module/exchanges.json", FALSE, skip_token, 0, "keygate_accept",
  { { 6, KG_DEMO_ALICE_UID }, { 7, KG_DEMO_BOB_UID }, { 8, KG_DEMO_CAROL_UID } },
};
static const ReplaySet set_odoo19 = {
  "odoo19/exchanges.json", TRUE, skip_odoo19, G_N_ELEMENTS (skip_odoo19), "keygate_accept19",
  { { 5, KG_DEMO_ALICE_UID }, { 6, KG_DEMO_BOB_UID }, { 7, KG_DEMO_CAROL_UID } },
};

typedef struct {
  const ReplaySet *set;
  KgDemoServer *server;
  GHashTable *placeholders; /* "<NAME>" -> demo value */
  GHashTable *ids;          /* fixture record id -> demo record id (projects) */
  GString *problems;
  const char *current;
} Replay;

static char *
substitute (Replay *replay, const char *text)
{
  GString *out = g_string_new (text);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, replay->placeholders);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_string_replace (out, key, value, 0);
  g_string_replace (out, replay->set->fixture_db, KG_DEMO_DATABASE, 0);
  return g_string_free (out, FALSE);
}

static gint64
map_uid (Replay *replay, gint64 uid)
{
  for (guint i = 0; i < 3; i++)
    if (replay->set->uid_map[i][0] == uid)
      return replay->set->uid_map[i][1];
  return uid;
}

static gint64
map_id (Replay *replay, gint64 id)
{
  gpointer mapped;

  if (g_hash_table_lookup_extended (replay->ids, GINT_TO_POINTER ((int) id), NULL, &mapped))
    return GPOINTER_TO_INT (mapped);
  return id;
}

/* Maps the ids in @ids for @model: users by the uid table, projects by the
 * ids the demo gave to earlier creates. */
static void
map_ids (Replay *replay, const char *model, JsonArray *ids)
{
  for (guint i = 0; ids && i < json_array_get_length (ids); i++)
    {
      JsonNode *node = json_array_get_element (ids, i);
      gint64 id;

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
        continue;
      id = json_node_get_int (node);
      if (g_strcmp0 (model, "res.users") == 0)
        json_node_set_int (node, map_uid (replay, id));
      else if (g_strcmp0 (model, "project.project") == 0)
        json_node_set_int (node, map_id (replay, id));
    }
}

/* Rewrites uids and record ids in a request body (JSON-RPC or JSON-2). */
static char *
adapt_body (Replay *replay, const char *path, const char *body)
{
  g_autoptr(JsonNode) root = parse_json (body, strlen (body));
  JsonObject *object;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return g_strdup (body);
  object = json_node_get_object (root);

  if (g_str_equal (path, "/jsonrpc"))
    {
      JsonObject *params = json_object_get_object_member (object, "params");
      JsonArray *args = json_object_get_array_member (params, "args");
      const char *method = json_object_get_string_member (params, "method");

      if (g_strcmp0 (method, "execute_kw") == 0 && json_array_get_length (args) >= 6)
        {
          JsonNode *uid = json_array_get_element (args, 1);
          const char *model = json_array_get_string_element (args, 3);
          JsonArray *pos = json_array_get_array_element (args, 5);

          json_node_set_int (uid, map_uid (replay, json_node_get_int (uid)));
          if (pos != NULL && json_array_get_length (pos) > 0
              && JSON_NODE_HOLDS_ARRAY (json_array_get_element (pos, 0)))
            map_ids (replay, model, json_array_get_array_element (pos, 0));
        }
    }
  else if (g_str_has_prefix (path, "/json/2/") && json_object_has_member (object, "ids"))
    {
      g_auto(GStrv) parts = g_strsplit (path + strlen ("/json/2/"), "/", 2);
      map_ids (replay, parts[0], json_object_get_array_member (object, "ids"));
    }

  return json_to_string (root, FALSE);
}

static gboolean
is_create (const char *path, const char *body)
{
  return g_str_equal (path, "/api/project/create")
         || g_str_has_suffix (path, "/project.project/create")
         || (g_str_equal (path, "/jsonrpc") && body && strstr (body, "\"create\"") != NULL);
}

/* Learns fixture id -> demo id from the answers of a create, and placeholder
 * -> demo value from any answer. */
static void
learn (Replay *replay, JsonNode *fixture, JsonNode *demo, gboolean create)
{
  if (fixture == NULL || demo == NULL)
    return;
  if (JSON_NODE_HOLDS_OBJECT (fixture) && JSON_NODE_HOLDS_OBJECT (demo))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;

      json_object_iter_init (&iter, json_node_get_object (fixture));
      while (json_object_iter_next (&iter, &name, &value))
        learn (replay, value, json_object_get_member (json_node_get_object (demo), name), create);
    }
  else if (JSON_NODE_HOLDS_ARRAY (fixture) && JSON_NODE_HOLDS_ARRAY (demo))
    {
      JsonArray *a = json_node_get_array (fixture), *b = json_node_get_array (demo);

      for (guint i = 0; i < MIN (json_array_get_length (a), json_array_get_length (b)); i++)
        learn (replay, json_array_get_element (a, i), json_array_get_element (b, i), create);
    }
  else if (JSON_NODE_HOLDS_VALUE (fixture) && JSON_NODE_HOLDS_VALUE (demo))
    {
      GType ft = json_node_get_value_type (fixture), dt = json_node_get_value_type (demo);

      if (create && ft == G_TYPE_INT64 && dt == G_TYPE_INT64)
        g_hash_table_insert (replay->ids, GINT_TO_POINTER ((int) json_node_get_int (fixture)),
                             GINT_TO_POINTER ((int) json_node_get_int (demo)));
      else if (ft == G_TYPE_STRING && dt == G_TYPE_STRING)
        {
          const char *text = json_node_get_string (fixture);

          if (text[0] == '<' && g_str_has_suffix (text, ">") && strchr (text, ' ') == NULL
              && !g_hash_table_contains (replay->placeholders, text))
            g_hash_table_insert (replay->placeholders, g_strdup (text),
                                 g_strdup (json_node_get_string (demo)));
        }
    }
}

static void problem (Replay *replay, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
problem (Replay *replay, const char *format, ...)
{
  va_list args;

  g_string_append_printf (replay->problems, "%s: ", replay->current);
  va_start (args, format);
  g_string_append_vprintf (replay->problems, format, args);
  va_end (args);
  g_string_append_c (replay->problems, '\n');
}

static const char *
json_kind (JsonNode *node)
{
  if (node == NULL)
    return "missing";
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT: return "object";
    case JSON_NODE_ARRAY: return "array";
    case JSON_NODE_NULL: return "null";
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_BOOLEAN: return "boolean";
        case G_TYPE_STRING: return "string";
        default: return "number";
        }
    default: return "?";
    }
}

static char *
member_names (JsonObject *object)
{
  g_autoptr(GList) names = json_object_get_members (object);
  GString *out = g_string_new (NULL);

  names = g_list_sort (names, (GCompareFunc) g_strcmp0);
  for (GList *l = names; l; l = l->next)
    g_string_append_printf (out, "%s%s", out->len ? "," : "", (const char *) l->data);
  return g_string_free (out, FALSE);
}

static gboolean
message_compared (const char *name)
{
  return g_strcmp0 (name, "odoo.exceptions.AccessDenied") == 0
         || g_strcmp0 (name, "odoo.exceptions.AccessError") == 0
         || g_strcmp0 (name, "odoo.exceptions.ValidationError") == 0;
}

/* "Same shape": kinds, object member names (one level into results and
 * the first row of lists), booleans, error code/name/message. */
static void
compare_json (Replay *replay, const char *where, JsonNode *fixture, JsonNode *demo, guint depth)
{
  if (g_strcmp0 (json_kind (fixture), json_kind (demo)) != 0)
    {
      problem (replay, "%s: %s in the capture, %s from the demo", where, json_kind (fixture),
               json_kind (demo));
      return;
    }
  if (JSON_NODE_HOLDS_VALUE (fixture) && json_node_get_value_type (fixture) == G_TYPE_BOOLEAN
      && json_node_get_boolean (fixture) != json_node_get_boolean (demo))
    problem (replay, "%s: %d in the capture, %d from the demo", where,
             json_node_get_boolean (fixture), json_node_get_boolean (demo));

  if (JSON_NODE_HOLDS_OBJECT (fixture))
    {
      JsonObject *f = json_node_get_object (fixture), *d = json_node_get_object (demo);
      g_autofree char *fnames = member_names (f);
      g_autofree char *dnames = member_names (d);

      if (!g_str_equal (fnames, dnames))
        problem (replay, "%s: members [%s] in the capture, [%s] from the demo", where,
                 fnames, dnames);
      if (depth < 1)
        {
          if (json_object_has_member (f, "result") && json_object_has_member (d, "result"))
            compare_json (replay, "result", json_object_get_member (f, "result"),
                          json_object_get_member (d, "result"), depth + 1);
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (fixture) && depth < 2)
    {
      JsonArray *f = json_node_get_array (fixture), *d = json_node_get_array (demo);

      if (json_array_get_length (f) > 0 && json_array_get_length (d) > 0
          && JSON_NODE_HOLDS_OBJECT (json_array_get_element (f, 0)))
        compare_json (replay, "first row", json_array_get_element (f, 0),
                      json_array_get_element (d, 0), 2);
      else if ((json_array_get_length (f) == 0) != (json_array_get_length (d) == 0))
        problem (replay, "%s: %u items in the capture, %u from the demo", where,
                 json_array_get_length (f), json_array_get_length (d));
    }
}

static void
compare_errors (Replay *replay, JsonNode *fixture, JsonNode *demo)
{
  JsonObject *f, *d;

  if (!JSON_NODE_HOLDS_OBJECT (fixture) || !JSON_NODE_HOLDS_OBJECT (demo))
    return;
  f = json_node_get_object (fixture);
  d = json_node_get_object (demo);

  /* JSON-RPC envelope */
  if (json_object_has_member (f, "error")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (f, "error"))
      && json_object_has_member (d, "error")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (d, "error")))
    {
      JsonObject *fe = json_object_get_object_member (f, "error");
      JsonObject *de = json_object_get_object_member (d, "error");
      JsonObject *fdata = json_object_get_object_member (fe, "data");
      JsonObject *ddata = json_object_get_object_member (de, "data");
      const char *fname = json_object_get_string_member (fdata, "name");

      if (json_object_get_int_member (fe, "code") != json_object_get_int_member (de, "code"))
        problem (replay, "error.code %" G_GINT64_FORMAT " in the capture, %" G_GINT64_FORMAT
                 " from the demo", json_object_get_int_member (fe, "code"),
                 json_object_get_int_member (de, "code"));
      if (g_strcmp0 (json_object_get_string_member (fe, "message"),
                     json_object_get_string_member (de, "message")))
        problem (replay, "error.message differs");
      if (ddata == NULL || g_strcmp0 (fname, json_object_get_string_member (ddata, "name")) != 0)
        problem (replay, "error.data.name %s in the capture, %s from the demo", fname,
                 ddata ? json_object_get_string_member (ddata, "name") : "(none)");
      else
        {
          g_autofree char *fnames = member_names (fdata);
          g_autofree char *dnames = member_names (ddata);

          if (!g_str_equal (fnames, dnames))
            problem (replay, "error.data members [%s] vs [%s]", fnames, dnames);
          if (message_compared (fname)
              && g_strcmp0 (json_object_get_string_member (fdata, "message"),
                            json_object_get_string_member (ddata, "message")) != 0)
            problem (replay, "error.data.message differs: «%s» vs «%s»",
                     json_object_get_string_member (fdata, "message"),
                     json_object_get_string_member (ddata, "message"));
        }
      return;
    }

  /* JSON-2 error object */
  if (json_object_has_member (f, "name") && json_object_has_member (f, "arguments"))
    {
      const char *fname = json_object_get_string_member (f, "name");

      if (g_strcmp0 (fname, json_object_get_string_member_with_default (d, "name", NULL)) != 0)
        problem (replay, "name %s in the capture, %s from the demo", fname,
                 json_object_get_string_member_with_default (d, "name", "(none)"));
      else if (message_compared (fname) || g_str_has_prefix (fname, "werkzeug."))
        {
          if (g_strcmp0 (json_object_get_string_member (f, "message"),
                         json_object_get_string_member_with_default (d, "message", NULL)) != 0)
            problem (replay, "message differs: «%s» vs «%s»",
                     json_object_get_string_member (f, "message"),
                     json_object_get_string_member_with_default (d, "message", ""));
        }
      return;
    }

  /* Token module error */
  if (json_object_has_member (f, "error")
      && JSON_NODE_HOLDS_VALUE (json_object_get_member (f, "error")))
    {
      if (g_strcmp0 (json_object_get_string_member (f, "error"),
                     json_object_get_string_member_with_default (d, "error", NULL)) != 0)
        problem (replay, "error «%s» in the capture, «%s» from the demo",
                 json_object_get_string_member (f, "error"),
                 json_object_get_string_member_with_default (d, "error", ""));
      if (g_strcmp0 (json_object_get_string_member (f, "error"), "Access denied") == 0
          && g_strcmp0 (json_object_get_string_member (f, "message"),
                        json_object_get_string_member_with_default (d, "message", NULL)) != 0)
        problem (replay, "Access denied message differs");
    }
}

static char *
header_value (const char *line, const char **name_out)
{
  const char *colon = strchr (line, ':');
  static char name[128];

  g_strlcpy (name, line, MIN ((gsize) (colon - line) + 1, sizeof name));
  *name_out = name;
  return g_strstrip (g_strdup (colon + 1));
}

static gboolean
same_item_set (const char *a, const char *b)
{
  g_auto(GStrv) x = g_strsplit (a, ",", -1);
  g_auto(GStrv) y = g_strsplit (b ? b : "", ",", -1);

  if (g_strv_length (x) != g_strv_length (y))
    return FALSE;
  for (guint i = 0; x[i]; i++)
    {
      gboolean found = FALSE;

      g_strstrip (x[i]);
      for (guint j = 0; y[j]; j++)
        found |= g_ascii_strcasecmp (x[i], g_strstrip (y[j])) == 0;
      if (!found)
        return FALSE;
    }
  return TRUE;
}

static void
compare_headers (Replay *replay, JsonArray *fixture_headers, SoupMessageHeaders *demo)
{
  for (guint i = 0; i < json_array_get_length (fixture_headers); i++)
    {
      const char *name;
      const char *line = json_array_get_string_element (fixture_headers, i);
      g_autofree char *value = header_value (line, &name);
      const char *got = soup_message_headers_get_list (demo, name);
      g_autofree char *got_trimmed = got ? g_strstrip (g_strdup (got)) : NULL;

      if (g_ascii_strcasecmp (name, "WWW-Authenticate") == 0
          || g_ascii_strcasecmp (name, "Cache-Control") == 0
          || g_ascii_strcasecmp (name, "Pragma") == 0)
        {
          if (g_strcmp0 (value, got_trimmed) != 0)
            problem (replay, "header %s: «%s» in the capture, «%s» from the demo", name, value,
                     got_trimmed ? got_trimmed : "(none)");
        }
      else if (g_ascii_strcasecmp (name, "Allow") == 0)
        {
          if (!same_item_set (value, got))
            problem (replay, "header Allow: «%s» vs «%s»", value, got ? got : "(none)");
        }
      else if (g_ascii_strcasecmp (name, "Set-Cookie") == 0
               && g_str_has_prefix (value, "session_id="))
        {
          if (got == NULL || strstr (got, "session_id=") == NULL
              || strstr (got, "Max-Age=604800") == NULL || strstr (got, "HttpOnly") == NULL)
            problem (replay, "no session_id cookie (Max-Age=604800; HttpOnly) from the demo");
        }
    }
}

static void
replay_one (Replay *replay, JsonObject *exchange)
{
  JsonObject *request = json_object_get_object_member (exchange, "request");
  JsonObject *response = json_object_get_object_member (exchange, "response");
  JsonArray *req_headers = json_object_get_array_member (request, "headers");
  JsonArray *resp_headers = json_object_get_array_member (response, "headers");
  g_auto(GStrv) line = g_strsplit (json_object_get_string_member (request, "line"), " ", 3);
  const char *fixture_body = json_object_get_string_member_with_default (request, "body", NULL);
  g_autofree char *body = NULL;
  g_autofree char *url = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(Reply) reply = NULL;
  g_auto(GStrv) status_line = g_strsplit (json_object_get_string_member (response, "status_line"),
                                          " ", 3);
  const char *resp_body = json_object_get_string_member (response, "body");
  gboolean truncated = json_object_get_boolean_member_with_default (response, "body_truncated",
                                                                    FALSE);
  g_autoptr(JsonNode) expected = NULL;
  g_autofree char *expected_type = NULL;
  guint expected_status = (guint) g_ascii_strtoull (status_line[1], NULL, 10);

  if (fixture_body != NULL && *fixture_body)
    {
      g_autofree char *substituted = substitute (replay, fixture_body);
      body = adapt_body (replay, line[1], substituted);
    }

  url = url_for (replay->server, line[1]);
  msg = soup_message_new (line[0], url);
  g_assert_nonnull (msg);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, NULL, bytes);
    }
  for (guint i = 0; i < json_array_get_length (req_headers); i++)
    {
      const char *name;
      g_autofree char *raw = header_value (json_array_get_string_element (req_headers, i), &name);
      g_autofree char *value = NULL;

      if (g_ascii_strcasecmp (name, "Host") == 0
          || g_ascii_strcasecmp (name, "Content-Length") == 0
          || g_ascii_strcasecmp (name, "User-Agent") == 0)
        continue;
      if (strstr (raw, "<SESSION_ID>") != NULL
          && !g_hash_table_contains (replay->placeholders, "<SESSION_ID>"))
        {
          /* A session of carol's (the captures use hers). */
          g_autofree char *login_url = url_for (replay->server, "/web/session/authenticate");
          g_autoptr(Reply) login = http ("POST", login_url, "application/json",
                                         "{\"jsonrpc\": \"2.0\", \"method\": \"call\", "
                                         "\"params\": {\"db\": \"" KG_DEMO_DATABASE "\", "
                                         "\"login\": \"carol\", \"password\": \""
                                         KG_DEMO_CAROL_PASSWORD "\"}, \"id\": 1}", NULL);
          const char *cookie = soup_message_headers_get_one (login->headers, "Set-Cookie");
          g_autofree char *sid = NULL;

          g_assert_nonnull (cookie);
          cookie += strlen ("session_id=");
          sid = g_strndup (cookie, strcspn (cookie, ";"));
          g_hash_table_insert (replay->placeholders, g_strdup ("<SESSION_ID>"),
                               g_steal_pointer (&sid));
        }
      value = substitute (replay, raw);
      soup_message_headers_replace (soup_message_get_request_headers (msg), name, value);
    }

  answer = soup_session_send_and_read (test_session (), msg, NULL, &error);
  g_assert_no_error (error);
  reply = reply_from (msg, answer);

  if (reply->status != expected_status)
    problem (replay, "status %u in the capture, %u from the demo", expected_status, reply->status);

  for (guint i = 0; i < json_array_get_length (resp_headers); i++)
    {
      const char *name;
      g_autofree char *value = header_value (json_array_get_string_element (resp_headers, i),
                                             &name);
      if (g_ascii_strcasecmp (name, "Content-Type") == 0)
        expected_type = media_type (value);
    }
  if (g_strcmp0 (expected_type ? expected_type : "", reply->content_type) != 0)
    problem (replay, "Content-Type %s in the capture, %s from the demo", expected_type,
             reply->content_type);

  compare_headers (replay, resp_headers, reply->headers);

  if (!truncated)
    expected = parse_json (resp_body, strlen (resp_body));
  if (expected != NULL)
    {
      if (reply->json == NULL)
        problem (replay, "the capture is JSON, the demo's body is not");
      else
        {
          compare_json (replay, "body", expected, reply->json, 0);
          compare_errors (replay, expected, reply->json);
          learn (replay, expected, reply->json, is_create (line[1], body) && reply->status == 200);
        }
    }
  else if (!truncated
           && g_str_equal (expected_type ? expected_type : "", "application/json") == FALSE
           && reply->json != NULL && resp_body[0] != '\0')
    problem (replay, "the capture is not JSON, the demo's body is");
}

static const char * const placeholders[][2] = {
  { "<ALICE_API_KEY>", KG_DEMO_ALICE_KEY },
  { "<BOB_API_KEY>", KG_DEMO_BOB_KEY },
  { "<CAROL_API_KEY>", KG_DEMO_CAROL_KEY },
  { "<ALICE_EXPIRED_API_KEY>", KG_DEMO_EXPIRED_KEY },
  { "<ALICE_EXPIRING_API_KEY>", KG_DEMO_ALICE_CI_KEY },
  { "<ALICE_PASSWORD>", KG_DEMO_ALICE_PASSWORD },
  { "<CAROL_PASSWORD>", KG_DEMO_CAROL_PASSWORD },
};

static void
replay_set (const ReplaySet *set)
{
  g_autofree char *file = g_build_filename (g_getenv ("KEYGATE_PROTOCOL_DIR"), set->file, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(KgDemoServer) server = new_server ();
  g_autoptr(GHashTable) skips_used = g_hash_table_new (g_str_hash, g_str_equal);
  JsonArray *exchanges;
  Replay replay = { 0 };
  guint replayed = 0, skipped = 0;

  g_assert_nonnull (g_getenv ("KEYGATE_PROTOCOL_DIR"));
  json_parser_load_from_file (parser, file, &error);
  g_assert_no_error (error);
  exchanges = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                            "exchanges");
  g_assert_cmpuint (json_array_get_length (exchanges), >, 10);

  kg_demo_server_set_odoo19 (server, set->odoo19);
  replay.set = set;
  replay.server = server;
  replay.problems = g_string_new (NULL);
  replay.ids = g_hash_table_new (NULL, NULL);
  replay.placeholders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < G_N_ELEMENTS (placeholders); i++)
    g_hash_table_insert (replay.placeholders, g_strdup (placeholders[i][0]),
                         g_strdup (placeholders[i][1]));

  for (guint i = 0; i < json_array_get_length (exchanges); i++)
    {
      JsonObject *exchange = json_array_get_object_element (exchanges, i);
      const char *name = json_object_get_string_member (exchange, "name");
      const Skip *skip = NULL;

      for (guint s = 0; s < set->n_skips; s++)
        if (g_str_has_prefix (name, set->skips[s].name))
          skip = &set->skips[s];
      if (skip != NULL)
        {
          g_test_message ("skip %s: %s", name, skip->reason);
          g_hash_table_add (skips_used, (gpointer) skip->name);
          skipped++;
          continue;
        }

      /* The one exchange that needs an expired token: make the demo's expire. */
      if (strstr (json_object_get_string_member (exchange, "title"), "expired token") != NULL)
        kg_demo_server_expire_tokens (server);

      replay.current = name;
      replay_one (&replay, exchange);
      replayed++;
    }

  g_test_message ("%s: %u exchanges replayed, %u skipped", set->file, replayed, skipped);
  /* Every skip entry names an exchange that exists. */
  g_assert_cmpuint (g_hash_table_size (skips_used), ==, set->n_skips);
  g_assert_cmpuint (replayed, >=, json_array_get_length (exchanges) / 2);
  if (replay.problems->len > 0)
    g_test_fail_printf ("The demo differs from the captures:\n%s", replay.problems->str);

  g_string_free (replay.problems, TRUE);
  g_hash_table_unref (replay.ids);
  g_hash_table_unref (replay.placeholders);
}

static void
test_replay_odoo18 (void)
{
  replay_set (&set_odoo18);
}

static void
test_replay_token (void)
{
  replay_set (&set_token);
}

static void
test_replay_odoo19 (void)
{
  replay_set (&set_odoo19);
}

/* ------------------------------------------------------------------------ */
/* Behaviour and switches                                                    */

static char *
exchange_token (KgDemoServer *server, const char *key, guint *expires_in)
{
  g_autofree char *url = url_for (server, "/auth/token/apikey");
  g_autoptr(Reply) reply = http ("POST", url, NULL, NULL, "X-Odoo-Database", KG_DEMO_DATABASE,
                                 "X-API-Key", key, NULL);
  JsonObject *object;

  g_assert_cmpuint (reply->status, ==, 200);
  object = reply_object (reply);
  if (expires_in)
    *expires_in = (guint) json_object_get_int_member (object, "expires_in");
  return g_strdup (json_object_get_string_member (object, "access_token"));
}

static Reply *
create_with_token (KgDemoServer *server, const char *token, const char *name)
{
  g_autofree char *url = url_for (server, "/api/project/create");
  g_autofree char *auth = g_strdup_printf ("Bearer %s", token);
  g_autofree char *body = g_strdup_printf ("{\"project_name\": \"%s\"}", name);

  return http ("POST", url, "application/json", body, "X-Odoo-Database", KG_DEMO_DATABASE,
               "Authorization", auth, NULL);
}

static void
test_credentials_and_users (void)
{
  g_autoptr(KgDemoServer) server = new_server ();
  struct { const char *login, *secret; int uid; } cases[] = {
    { "alice", KG_DEMO_ALICE_KEY, KG_DEMO_ALICE_UID },
    { "alice", KG_DEMO_ALICE_CI_KEY, KG_DEMO_ALICE_UID },
    { "alice", KG_DEMO_ALICE_PASSWORD, -1 },      /* 2FA */
    { "alice", KG_DEMO_EXPIRED_KEY, -1 },
    { "alice", KG_DEMO_BOB_KEY, -1 },
    { "bob", KG_DEMO_BOB_KEY, KG_DEMO_BOB_UID },
    { "carol", KG_DEMO_CAROL_PASSWORD, KG_DEMO_CAROL_UID },
    { "carol", KG_DEMO_CAROL_KEY, KG_DEMO_CAROL_UID },
    { "nobody", KG_DEMO_ALICE_KEY, -1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *args = g_strdup_printf ("[\"%s\", \"%s\", \"%s\", {}]", KG_DEMO_DATABASE,
                                               cases[i].login, cases[i].secret);
      g_autoptr(Reply) reply = jsonrpc (server, "common", "authenticate", args);
      JsonNode *result = json_object_get_member (reply_object (reply), "result");

      if (cases[i].uid < 0)
        {
          g_assert_cmpint (json_node_get_value_type (result), ==, G_TYPE_BOOLEAN);
          g_assert_false (json_node_get_boolean (result));
        }
      else
        g_assert_cmpint (json_node_get_int (result), ==, cases[i].uid);
    }

  {
    g_autoptr(Reply) reply = jsonrpc (server, "common", "authenticate",
                                      "[\"other_db\", \"alice\", \"" KG_DEMO_ALICE_KEY "\", {}]");
    g_assert_cmpstr (error_name (reply), ==, "psycopg2.OperationalError");
    g_assert_nonnull (strstr (error_message (reply), "database \"other_db\" does not exist"));
  }

  /* execute_kw: own record, groups, 2FA flag */
  {
    g_autoptr(Reply) reply = jsonrpc (server, "object", "execute_kw",
                                      "[\"" KG_DEMO_DATABASE "\", 6, \"" KG_DEMO_ALICE_KEY "\", "
                                      "\"res.users\", \"read\", [[6]], {\"fields\": [\"name\", "
                                      "\"login\", \"totp_enabled\", \"groups_id\"]}]");
    JsonObject *row = json_array_get_object_element (result_array (reply), 0);

    g_assert_cmpstr (json_object_get_string_member (row, "login"), ==, "alice");
    g_assert_true (json_object_get_boolean_member (row, "totp_enabled"));
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (row, "groups_id")),
                      >, 0);
  }
  /* wrong password → AccessDenied; expired key too */
  {
    g_autoptr(Reply) reply = jsonrpc (server, "object", "execute_kw",
                                      "[\"" KG_DEMO_DATABASE "\", 6, \"" KG_DEMO_EXPIRED_KEY "\", "
                                      "\"res.users\", \"read\", [[6]]]");
    g_assert_cmpstr (error_name (reply), ==, "odoo.exceptions.AccessDenied");
    g_assert_cmpstr (error_message (reply), ==, "Access Denied");
  }
  /* missing record */
  {
    g_autoptr(Reply) reply = jsonrpc (server, "object", "execute_kw",
                                      "[\"" KG_DEMO_DATABASE "\", 6, \"" KG_DEMO_ALICE_KEY "\", "
                                      "\"project.project\", \"read\", [[424242]], "
                                      "{\"fields\": [\"name\"]}]");
    g_assert_cmpstr (error_name (reply), ==, "odoo.exceptions.MissingError");
  }
  /* has_access per user */
  {
    const char *keys[] = { KG_DEMO_ALICE_KEY, KG_DEMO_BOB_KEY, KG_DEMO_CAROL_KEY };
    int uids[] = { 6, 7, 8 };
    gboolean expected[] = { TRUE, FALSE, FALSE };

    for (guint i = 0; i < 3; i++)
      {
        g_autofree char *args =
          g_strdup_printf ("[\"%s\", %d, \"%s\", \"project.project\", \"has_access\", "
                           "[[], \"create\"]]", KG_DEMO_DATABASE, uids[i], keys[i]);
        g_autoptr(Reply) reply = jsonrpc (server, "object", "execute_kw", args);

        g_assert_cmpint (json_object_get_boolean_member (reply_object (reply), "result"), ==,
                         expected[i]);
      }
  }
}

static void
test_apikeys_list (void)
{
  g_autoptr(KgDemoServer) server = new_server ();
  g_autoptr(Reply) reply = jsonrpc (server, "object", "execute_kw",
                                    "[\"" KG_DEMO_DATABASE "\", 6, \"" KG_DEMO_ALICE_KEY "\", "
                                    "\"res.users.apikeys\", \"search_read\", "
                                    "[[[\"user_id\", \"=\", 6]]], {\"fields\": [\"name\", "
                                    "\"scope\", \"create_date\", \"expiration_date\"]}]");
  JsonArray *rows = json_object_get_array_member (reply_object (reply), "result");
  g_autoptr(GRegex) date = g_regex_new ("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d$",
                                        0, 0, NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  guint found = 0;

  g_assert_cmpuint (json_array_get_length (rows), ==, 2);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      const char *name = json_object_get_string_member (row, "name");
      const char *expiry = json_object_get_string_member (row, "expiration_date");
      g_autofree char *iso = NULL;
      g_autoptr(GDateTime) when = NULL;
      double days;

      g_assert_true (g_regex_match (date, expiry, 0, NULL));
      g_assert_true (g_regex_match (date, json_object_get_string_member (row, "create_date"),
                                    0, NULL));
      g_assert_false (json_object_get_boolean_member (row, "scope"));
      iso = g_strdup_printf ("%sZ", expiry);
      iso[10] = 'T';
      when = g_date_time_new_from_iso8601 (iso, NULL);
      g_assert_nonnull (when);
      days = (double) g_date_time_difference (when, now) / G_TIME_SPAN_DAY;
      if (g_str_equal (name, "Keygate demo"))
        {
          g_assert_cmpfloat_with_epsilon (days, 60.0, 0.1);
          found++;
        }
      else if (g_str_equal (name, "CI key"))
        {
          g_assert_cmpfloat_with_epsilon (days, 10.0, 0.1);
          found++;
        }
    }
  g_assert_cmpuint (found, ==, 2);

  /* bob sees only his own */
  {
    g_autoptr(Reply) bob = jsonrpc (server, "object", "execute_kw",
                                    "[\"" KG_DEMO_DATABASE "\", 7, \"" KG_DEMO_BOB_KEY "\", "
                                    "\"res.users.apikeys\", \"search_read\", "
                                    "[[[\"user_id\", \"=\", 6]]], {\"fields\": [\"name\"]}]");
    g_assert_cmpuint (json_array_get_length (result_array (bob)), ==, 0);
  }
}

static void
test_projects_shared (void)
{
  g_autoptr(KgDemoServer) server = new_server ();
  g_autofree char *token = exchange_token (server, KG_DEMO_ALICE_KEY, NULL);
  g_autoptr(Reply) created = create_with_token (server, token, "Shared one");
  gint64 id = json_object_get_int_member (reply_object (created), "project_id");
  g_autofree char *args =
    g_strdup_printf ("[\"%s\", 6, \"%s\", \"project.project\", \"read\", [[%" G_GINT64_FORMAT
                     "]], {\"fields\": [\"name\", \"user_id\"]}]", KG_DEMO_DATABASE,
                     KG_DEMO_ALICE_KEY, id);
  g_autoptr(Reply) read = jsonrpc (server, "object", "execute_kw", args);
  JsonObject *row = json_array_get_object_element (result_array (read), 0);
  g_autoptr(Reply) second = NULL;

  g_assert_cmpstr (json_object_get_string_member (row, "name"), ==, "Shared one");
  g_assert_cmpint (json_array_get_int_element (json_object_get_array_member (row, "user_id"), 0),
                   ==, 6);

  /* ids increase */
  second = create_with_token (server, token, "Next one");
  g_assert_cmpint (json_object_get_int_member (reply_object (second), "project_id"), ==, id + 1);

  /* one exchange, many calls: the server counts them */
  g_assert_cmpuint (kg_demo_server_get_path_count (server, "/auth/token/apikey"), ==, 1);
  g_assert_cmpuint (kg_demo_server_get_path_count (server, "/api/project/create"), ==, 2);
}

static void
test_switch_token (void)
{
  g_autoptr(KgDemoServer) server = new_server ();
  g_autofree char *url = url_for (server, "/auth/token/apikey");
  guint expires_in = 0;

  /* lifetime */
  kg_demo_server_set_token_lifetime (server, 1);
  {
    g_autofree char *token = exchange_token (server, KG_DEMO_ALICE_KEY, &expires_in);
    g_autoptr(Reply) ok = create_with_token (server, token, "Before expiry");
    g_autoptr(Reply) late = NULL;

    g_assert_cmpuint (expires_in, ==, 1);
    g_assert_cmpuint (strlen (token), ==, 43);
    g_assert_true (strspn (token, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                  "0123456789-_") == 43);
    g_assert_cmpuint (ok->status, ==, 200);
    kg_demo_server_advance_clock (server, 2);
    late = create_with_token (server, token, "After expiry");
    g_assert_cmpuint (late->status, ==, 401);
    g_assert_cmpstr (reply_string (late, "error"), ==, "Access token expired");
  }
  kg_demo_server_set_token_lifetime (server, 3600);

  /* revoke-all */
  {
    g_autofree char *token = exchange_token (server, KG_DEMO_ALICE_KEY, NULL);
    g_autoptr(Reply) revoked = NULL;

    kg_demo_server_revoke_tokens (server);
    revoked = create_with_token (server, token, "Revoked");
    g_assert_cmpuint (revoked->status, ==, 401);
    g_assert_cmpstr (reply_string (revoked, "error"), ==, "Invalid access token");
  }

  /* header names */
  kg_demo_server_set_key_header (server, "X-Custom-Key");
  kg_demo_server_set_db_header (server, "X-Custom-Db");
  kg_demo_server_set_token_header (server, "X-Custom-Token");
  {
    g_autoptr(Reply) old = http ("POST", url, NULL, NULL, "X-Odoo-Database", KG_DEMO_DATABASE,
                                 "X-API-Key", KG_DEMO_ALICE_KEY, NULL);
    g_autoptr(Reply) custom = http ("POST", url, NULL, NULL, "X-Custom-Db", KG_DEMO_DATABASE,
                                    "X-Custom-Key", KG_DEMO_ALICE_KEY, NULL);
    g_autofree char *create_url = url_for (server, "/api/project/create");
    g_autoptr(Reply) created = NULL;

    g_assert_cmpuint (old->status, ==, 400);
    g_assert_nonnull (strstr (reply_string (old, "message"), "X-Custom-Db"));
    g_assert_cmpuint (custom->status, ==, 200);
    created = http ("POST", create_url, "application/json", "{\"project_name\": \"Custom header\"}",
                    "X-Custom-Token", reply_string (custom, "access_token"), NULL);
    g_assert_cmpuint (created->status, ==, 200);
  }
  kg_demo_server_set_key_header (server, NULL);
  kg_demo_server_set_db_header (server, NULL);
  kg_demo_server_set_token_header (server, NULL);

  /* token path */
  kg_demo_server_set_token_path (server, "data.token");
  {
    g_autoptr(Reply) reply = http ("POST", url, "application/json",
                                   "{\"db\": \"" KG_DEMO_DATABASE "\", "
                                   "\"api_key\": \"" KG_DEMO_ALICE_KEY "\"}", NULL);
    JsonObject *object = reply_object (reply);
    JsonObject *data = json_object_get_object_member (object, "data");

    g_assert_false (json_object_has_member (object, "access_token"));
    g_assert_nonnull (data);
    g_assert_cmpuint (strlen (json_object_get_string_member (data, "token")), ==, 43);
    g_assert_cmpint (json_object_get_int_member (object, "expires_in"), ==, 3600);
  }
}

static void
test_key_route (void)
{
  g_autoptr(KgDemoServer) server = new_server ();
  g_autofree char *url = url_for (server, "/api/key/project/create");
  g_autoptr(Reply) missing = http ("POST", url, "application/json", "{\"project_name\": \"x\"}",
                                   NULL);
  g_autoptr(Reply) invalid = http ("POST", url, "application/json", "{\"project_name\": \"x\"}",
                                   "API-KEY", "0123456789abcdef0123456789abcdef01234567", NULL);
  g_autoptr(Reply) expired = http ("POST", url, "application/json", "{\"project_name\": \"x\"}",
                                   "API-KEY", KG_DEMO_EXPIRED_KEY, NULL);
  g_autoptr(Reply) bob = http ("POST", url, "application/json", "{\"project_name\": \"x\"}",
                               "API-KEY", KG_DEMO_BOB_KEY,
                               "X-Odoo-Database", KG_DEMO_DATABASE, NULL);
  g_autoptr(Reply) alice = http ("POST", url, "application/json", "{\"project_name\": \"By key\"}",
                                 "API-KEY", KG_DEMO_ALICE_KEY,
                                 "X-Odoo-Database", KG_DEMO_DATABASE, NULL);
  g_autoptr(Reply) nodb = http ("POST", url, "application/json", "{\"project_name\": \"x\"}",
                                "API-KEY", KG_DEMO_ALICE_KEY, "X-Odoo-Database", "other", NULL);
  g_autoptr(Reply) noname = http ("POST", url, "application/json", "{}",
                                  "API-KEY", KG_DEMO_ALICE_KEY, NULL);

  g_assert_cmpuint (missing->status, ==, 401);
  g_assert_cmpstr (reply_string (missing, "error"), ==, "Missing API key");
  g_assert_cmpuint (invalid->status, ==, 401);
  g_assert_cmpstr (reply_string (invalid, "error"), ==, "Invalid API key");
  g_assert_cmpuint (expired->status, ==, 401);
  g_assert_cmpuint (bob->status, ==, 403);
  g_assert_cmpuint (nodb->status, ==, 404);
  g_assert_cmpuint (noname->status, ==, 400);
  g_assert_cmpuint (alice->status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (reply_object (alice), "project_id"), >, 0);
  g_assert_cmpstr (soup_message_headers_get_one (alice->headers, "Cache-Control"), ==, "no-store");
}

static void
test_switch_odoo19_and_listing (void)
{
  g_autoptr(KgDemoServer) server = new_server ();
  g_autofree char *list_url = url_for (server, "/web/database/list");
  g_autofree char *json2_url = url_for (server, "/json/2/res.users/context_get");

  kg_demo_server_set_odoo19 (server, TRUE);
  {
    g_autoptr(Reply) version = jsonrpc (server, "common", "version", "[]");
    g_autoptr(Reply) denied = jsonrpc (server, "object", "execute_kw",
                                       "[\"" KG_DEMO_DATABASE "\", 6, \"wrong\", \"res.users\", "
                                       "\"read\", [[6]]]");
    g_autoptr(Reply) groups = jsonrpc (server, "object", "execute_kw",
                                       "[\"" KG_DEMO_DATABASE "\", 6, \"" KG_DEMO_ALICE_KEY "\", "
                                       "\"res.users\", \"read\", [[6]], "
                                       "{\"fields\": [\"group_ids\"]}]");
    JsonObject *result = json_object_get_object_member (reply_object (version), "result");

    g_assert_cmpint (json_array_get_int_element (json_object_get_array_member (result,
                                                                               VERSION_INFO),
                                                 0), ==, 19);
    g_assert_cmpint (reply_member_int (denied, "error", "code"), ==, 0);
    g_assert_nonnull (json_object_get_member (reply_object (groups), "result"));
  }
  kg_demo_server_set_odoo19 (server, FALSE);
  {
    g_autoptr(Reply) version = jsonrpc (server, "common", "version", "[]");
    g_autoptr(Reply) denied = jsonrpc (server, "object", "execute_kw",
                                       "[\"" KG_DEMO_DATABASE "\", 6, \"wrong\", \"res.users\", "
                                       "\"read\", [[6]]]");
    g_autoptr(Reply) groups = jsonrpc (server, "object", "execute_kw",
                                       "[\"" KG_DEMO_DATABASE "\", 6, \"" KG_DEMO_ALICE_KEY "\", "
                                       "\"res.users\", \"read\", [[6]], "
                                       "{\"fields\": [\"group_ids\"]}]");
    JsonObject *result = json_object_get_object_member (reply_object (version), "result");

    g_assert_cmpint (json_array_get_int_element (json_object_get_array_member (result,
                                                                               VERSION_INFO),
                                                 0), ==, 18);
    g_assert_cmpint (reply_member_int (denied, "error", "code"), ==, 200);
    g_assert_cmpstr (error_name (groups), ==, "builtins.ValueError");
  }

  {
    g_autoptr(Reply) listed = http ("POST", list_url, "application/json", EMPTY_CALL, NULL);
    g_autoptr(Reply) refused = NULL;
    JsonArray *dbs = json_object_get_array_member (reply_object (listed), "result");

    g_assert_cmpuint (json_array_get_length (dbs), ==, 1);
    g_assert_cmpstr (json_array_get_string_element (dbs, 0), ==, KG_DEMO_DATABASE);
    kg_demo_server_set_list_db (server, FALSE);
    refused = http ("POST", list_url, "application/json", EMPTY_CALL, NULL);
    g_assert_cmpstr (error_name (refused), ==, "odoo.exceptions.AccessDenied");
  }

  {
    g_autoptr(Reply) on = http ("POST", json2_url, "application/json", "{}",
                                "Authorization", "bearer " KG_DEMO_CAROL_KEY, NULL);
    g_autoptr(Reply) off = NULL;

    g_assert_cmpuint (on->status, ==, 200);
    g_assert_cmpint (json_object_get_int_member (reply_object (on), "uid"), ==, KG_DEMO_CAROL_UID);
    kg_demo_server_set_json2 (server, FALSE);
    off = http ("POST", json2_url, "application/json", "{}",
                "Authorization", "bearer " KG_DEMO_CAROL_KEY, NULL);
    g_assert_cmpuint (off->status, ==, 404);
    g_assert_cmpstr (off->content_type, ==, "text/html");
  }
}

static Reply *
session_login (KgDemoServer *server, const char *login, const char *password)
{
  g_autofree char *url = url_for (server, "/web/session/authenticate");
  g_autofree char *body =
    g_strdup_printf ("{\"jsonrpc\": \"2.0\", \"method\": \"call\", \"params\": "
                     "{\"db\": \"%s\", \"login\": \"%s\", \"password\": \"%s\"}, \"id\": 3}",
                     KG_DEMO_DATABASE, login, password);

  return http ("POST", url, "application/json", body, NULL);
}

static void
test_session_and_cooldown (void)
{
  g_autoptr(KgDemoServer) server = new_server ();
  g_autofree char *info_url = url_for (server, "/web/session/get_session_info");

  /* A session cookie gives the session info back. */
  {
    g_autoptr(Reply) login = session_login (server, "carol", KG_DEMO_CAROL_PASSWORD);
    const char *cookie = soup_message_headers_get_one (login->headers, "Set-Cookie");
    g_autofree char *pair = g_strndup (cookie, strcspn (cookie, ";"));
    g_autoptr(Reply) info = http ("POST", info_url, "application/json", EMPTY_CALL,
                                  "Cookie", pair, NULL);
    g_autoptr(Reply) anonymous = http ("POST", info_url, "application/json", EMPTY_CALL, NULL);

    g_assert_cmpuint (strlen (pair), ==, strlen ("session_id=") + 84);
    g_assert_cmpint (reply_member_int (info, "result", "uid"), ==, 8);
    g_assert_cmpint (reply_member_int (anonymous, "error", "code"), ==, 100);
    g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (reply_object (anonymous), "id")));
  }

  kg_demo_server_set_login_cooldown (server, 3, 1);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(Reply) wrong = session_login (server, "carol", "not-the-password");
      g_assert_cmpstr (error_message (wrong), ==, "Access Denied");
    }
  {
    g_autoptr(Reply) blocked = session_login (server, "carol", KG_DEMO_CAROL_PASSWORD);
    g_autoptr(Reply) rpc = jsonrpc (server, "common", "authenticate",
                                    "[\"" KG_DEMO_DATABASE "\", \"carol\", "
                                    "\"" KG_DEMO_CAROL_PASSWORD "\", {}]");
    g_autoptr(Reply) after = NULL;

    g_assert_cmpstr (error_name (blocked), ==, "odoo.exceptions.AccessDenied");
    g_assert_cmpstr (error_message (blocked), ==,
                     "Too many login failures, please wait a bit before trying again.");
    g_assert_cmpint (json_object_get_int_member (reply_object (rpc), "result"), ==, 8);
    kg_demo_server_advance_clock (server, 2);
    after = session_login (server, "carol", KG_DEMO_CAROL_PASSWORD);
    g_assert_cmpint (reply_member_int (after, "result", "uid"), ==, 8);
  }
}

/* ------------------------------------------------------------------------ */
/* Hostile routes                                                            */

static void
test_hostile_simple (void)
{
  g_autoptr(KgDemoServer) server = new_server ();
  KgHostileRoutes *hostile = kg_hostile_routes_register (server);
  g_autofree char *html_url = url_for (server, "/hostile/html/jsonrpc");
  g_autofree char *garbage_url = url_for (server, "/hostile/garbage/jsonrpc");
  g_autofree char *redirect_url = url_for (server, "/hostile/redirect/jsonrpc");
  g_autofree char *redirect_to = url_for (server,
                                          "/hostile/redirect/x?to=http://127.0.0.1:9/elsewhere");
  g_autoptr(Reply) html = http ("POST", html_url, "application/json", "{}", NULL);
  g_autoptr(Reply) garbage = http ("POST", garbage_url, "application/json", "{}", NULL);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(SoupMessage) msg2 = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  const char *location;

  g_assert_cmpuint (html->status, ==, 200);
  g_assert_cmpstr (html->content_type, ==, "text/html");
  g_assert_null (html->json);
  g_assert_cmpuint (garbage->status, ==, 200);
  g_assert_cmpstr (garbage->content_type, ==, "application/json");
  g_assert_null (garbage->json);

  msg = soup_message_new ("GET", redirect_url);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  body = soup_session_send_and_read (test_session (), msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 302);
  location = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location");
  g_assert_true (g_str_has_suffix (location, "/jsonrpc"));
  g_clear_pointer (&body, g_bytes_unref);
  msg2 = soup_message_new ("GET", redirect_to);
  soup_message_add_flags (msg2, SOUP_MESSAGE_NO_REDIRECT);
  body = soup_session_send_and_read (test_session (), msg2, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg2),
                                                 "Location"), ==,
                   "http://127.0.0.1:9/elsewhere");

  /* mode flag: every path */
  kg_hostile_routes_set_mode (hostile, "garbage");
  {
    g_autoptr(Reply) any = jsonrpc (server, "common", "version", "[]");
    g_autoptr(Reply) normal = NULL;

    g_assert_null (any->json);
    kg_hostile_routes_set_mode (hostile, NULL);
    normal = jsonrpc (server, "common", "version", "[]");
    g_assert_nonnull (normal->json);
  }
}

static void
test_hostile_huge (void)
{
  g_autoptr(KgDemoServer) server = new_server ();
  g_autofree char *url = url_for (server, "/hostile/huge/jsonrpc?mib=3");
  g_autoptr(Reply) reply = NULL;
  JsonObject *object;

  kg_hostile_routes_register (server);
  reply = http ("POST", url, "application/json", "{}", NULL);
  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_one (reply->headers, "Transfer-Encoding"), ==,
                   "chunked");
  g_assert_cmpuint (g_bytes_get_size (reply->body), >, 3 * 1024 * 1024);
  g_assert_cmpuint (g_bytes_get_size (reply->body), <, 3 * 1024 * 1024 + 100);
  object = reply_object (reply);       /* valid JSON, just big */
  g_assert_cmpuint (strlen (json_object_get_string_member (object, "result")), ==, 3 * 1024 * 1024);
}

static void
send_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  gint64 *done = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                              &error);

  g_assert_no_error (error);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (body, NULL), (gssize) g_bytes_get_size (body),
                                  "protocol_version"));
  *done = g_get_monotonic_time ();
}

static void
test_hostile_slow (void)
{
  g_autoptr(KgDemoServer) server = new_server ();
  KgHostileRoutes *hostile = kg_hostile_routes_register (server);
  g_autofree char *slow_url = url_for (server, "/hostile/slow/jsonrpc");
  g_autofree char *fast_url = url_for (server, "/jsonrpc");
  const char *body = VERSION_CALL;
  g_autoptr(SoupMessage) slow = soup_message_new ("POST", slow_url);
  g_autoptr(SoupMessage) fast = soup_message_new ("POST", fast_url);
  g_autoptr(GBytes) bytes = g_bytes_new_static (body, strlen (body));
  g_autoptr(SoupSession) session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  gint64 start = g_get_monotonic_time ();
  gint64 slow_done = 0, fast_done = 0;

  kg_hostile_routes_set_slow_delay (hostile, 1500);
  soup_message_set_request_body_from_bytes (slow, "application/json", bytes);
  soup_message_set_request_body_from_bytes (fast, "application/json", bytes);
  soup_session_send_and_read_async (session, slow, G_PRIORITY_DEFAULT, NULL, send_cb, &slow_done);
  /* Let the slow request reach the server first. */
  while (kg_demo_server_get_path_count (server, "/hostile/slow/jsonrpc") == 0)
    g_main_context_iteration (NULL, FALSE);
  soup_session_send_and_read_async (session, fast, G_PRIORITY_DEFAULT, NULL, send_cb, &fast_done);
  while (slow_done == 0 || fast_done == 0)
    g_main_context_iteration (NULL, TRUE);

  g_test_message ("fast answered after %.0f ms, slow after %.0f ms",
                  (fast_done - start) / 1000.0, (slow_done - start) / 1000.0);
  g_assert_cmpint (fast_done, <, slow_done);
  g_assert_cmpint (fast_done - start, <, 1000 * 1000);
  g_assert_cmpint (slow_done - start, >=, 1500 * 1000);
}

/* A slow request still pending when the server stops does not hang or leak. */
static void
test_hostile_slow_stop (void)
{
  KgDemoServer *server = new_server ();
  g_autofree char *url = url_for (server, "/hostile/slow/jsonrpc?seconds=30");
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(SoupSession) session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  g_autoptr(GBytes) bytes = g_bytes_new_static ("{}", 2);
  gint64 start = g_get_monotonic_time ();

  kg_hostile_routes_register (server);
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  soup_session_send_async (session, msg, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  while (kg_demo_server_get_path_count (server, "/hostile/slow/jsonrpc") == 0)
    g_main_context_iteration (NULL, FALSE);
  kg_demo_server_stop (server);
  g_assert_finalize_object (server);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  soup_session_abort (session);
}

/* ------------------------------------------------------------------------ */
/* Life cycle and the executable                                             */

static void
test_thread_lifecycle (void)
{
  KgDemoServer *server = new_server ();
  g_autofree char *url = g_strdup (kg_demo_server_get_url (server));
  g_autofree char *version_url = g_strconcat (url, "/jsonrpc", NULL);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_str_has_prefix (url, "http://127.0.0.1:"));
  g_assert_cmpuint (kg_demo_server_get_port (server), >, 0);
  {
    g_autoptr(Reply) reply = jsonrpc (server, "common", "version", "[]");
    g_assert_cmpuint (reply->status, ==, 200);
  }
  kg_demo_server_stop (server);
  g_assert_finalize_object (server);

  /* The port is closed. */
  msg = soup_message_new ("POST", version_url);
  body = soup_session_send_and_read (test_session (), msg, NULL, &error);
  g_assert_nonnull (error);
}

static void
test_executable (void)
{
  g_autofree char *exe = g_build_filename (g_getenv ("KEYGATE_BUILD_DIR"), "src", "demo",
                                           "keygate-demo-server", NULL);
  const char *argv[] = { exe, "--port", "0", "--lifetime", "120", NULL };
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *url = NULL;
  g_autoptr(Reply) reply = NULL;
  g_autoptr(Reply) token = NULL;

  proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_regex_match_simple ("^URL: http://127\\.0\\.0\\.1:[0-9]+$", line, 0, 0));

  /* The credentials are printed too (demo values). */
  {
    GString *all = g_string_new (NULL);
    char *next;

    while ((next = g_data_input_stream_read_line_utf8 (out, NULL, NULL, NULL)) != NULL)
      {
        g_string_append_printf (all, "%s\n", next);
        g_free (next);
        if (strstr (all->str, "Stop with") != NULL)
          break;
      }
    g_assert_nonnull (strstr (all->str, KG_DEMO_DATABASE));
    g_assert_nonnull (strstr (all->str, KG_DEMO_ALICE_KEY));
    g_assert_nonnull (strstr (all->str, KG_DEMO_CAROL_PASSWORD));
    g_assert_nonnull (strstr (all->str, "demo"));
    g_string_free (all, TRUE);
  }

  url = g_strconcat (line + strlen ("URL: "), "/jsonrpc", NULL);
  reply = http ("POST", url, "application/json",
                VERSION_CALL, NULL);
  g_assert_cmpuint (reply->status, ==, 200);
  g_free (url);
  url = g_strconcat (line + strlen ("URL: "), "/auth/token/apikey", NULL);
  token = http ("POST", url, NULL, NULL, "X-Odoo-Database", KG_DEMO_DATABASE,
                "X-API-Key", KG_DEMO_BOB_KEY, NULL);
  g_assert_cmpint (json_object_get_int_member (reply_object (token), "expires_in"), ==, 120);

  g_subprocess_send_signal (proc, SIGTERM);
  g_subprocess_wait (proc, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
}

/* Stopping right after starting must not hang: the quit used to be lost
 * when the server thread had not reached its main loop yet. */
static void
test_thread_stop_at_once (void)
{
  for (guint i = 0; i < 50; i++)
    {
      g_autoptr(KgDemoServer) server = kg_demo_server_new ();
      g_autoptr(GError) error = NULL;

      g_assert_true (kg_demo_server_start_in_thread (server, &error));
      g_assert_no_error (error);
      kg_demo_server_stop (server);
    }
}

int
main (int argc, char **argv)
{
  kg_test_init (&argc, &argv);

  g_test_add_func ("/demo/replay/odoo18", test_replay_odoo18);
  g_test_add_func ("/demo/replay/token-module", test_replay_token);
  g_test_add_func ("/demo/replay/odoo19", test_replay_odoo19);
  g_test_add_func ("/demo/credentials", test_credentials_and_users);
  g_test_add_func ("/demo/apikeys-list", test_apikeys_list);
  g_test_add_func ("/demo/projects-shared", test_projects_shared);
  g_test_add_func ("/demo/key-route", test_key_route);
  g_test_add_func ("/demo/switch/token", test_switch_token);
  g_test_add_func ("/demo/switch/odoo19-listing-json2", test_switch_odoo19_and_listing);
  g_test_add_func ("/demo/switch/cooldown", test_session_and_cooldown);
  g_test_add_func ("/demo/hostile/simple", test_hostile_simple);
  g_test_add_func ("/demo/hostile/huge", test_hostile_huge);
  g_test_add_func ("/demo/hostile/slow", test_hostile_slow);
  g_test_add_func ("/demo/hostile/slow-stop", test_hostile_slow_stop);
  g_test_add_func ("/demo/thread-lifecycle", test_thread_lifecycle);
  g_test_add_func ("/demo/executable", test_executable);
  g_test_add_func ("/demo/thread-stop-at-once", test_thread_stop_at_once);

  return g_test_run ();
}
