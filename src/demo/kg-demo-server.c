/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * KgDemoServer: a small SoupServer that answers like a real Odoo 18 (and, as a
 * switch, Odoo 19) and like the common "API key -> access token" module, in
 * the shape of the captured exchanges in ../shared/odoo-protocol/ (same JSON
 * envelopes, error.data.name values, HTTP statuses and content types). It is
 * a demo: the credentials in kg-demo-server.h are public, and nothing here is
 * a security boundary.
 *
 * Database KG_DEMO_DATABASE. Users: admin (uid 2), alice (uid 6, 2FA on,
 * Project/Administrator), bob (uid 7, no project group), carol (uid 8,
 * Project/User, no 2FA). Keys: see kg-demo-server.h.
 *
 * Routes
 *   POST /jsonrpc                      common.version/authenticate/login,
 *                                      db.list/server_version,
 *                                      object.execute_kw/execute
 *   POST /web/session/authenticate     password login (2FA: {"uid": null}),
 *                                      login cooldown per client address
 *   POST /web/session/get_session_info needs the session_id cookie
 *   POST /web/database/list            (GET: 400 HTML as Odoo does)
 *   POST /web/webclient/version_info
 *   POST /auth/token/apikey            key -> access token (token module)
 *   POST /api/project/create           create with the access token
 *   POST /api/key/project/create       "API key in a header" style (as OCA's
 *                                      auth_api_key does): header API-KEY:
 *                                      <Odoo API key> (+ X-Odoo-Database or
 *                                      body "db"), body as /api/project/create;
 *                                      401 {"error": "Missing API key"} /
 *                                      {"error": "Invalid API key"}, then the
 *                                      same 400/403/404/200 answers.
 *   POST /json/2/<model>/<method>      Odoo 19 JSON-2 (bearer API key)
 *   anything else                      404 text/html page
 *
 * Models reachable through execute_kw and JSON-2: res.users (read,
 * has_group, context_get), res.groups (read), project.project (create,
 * read, search, search_read, search_count, has_access,
 * check_access_rights), res.users.apikeys (search, search_read, unlink:
 * refused). Projects created over any route are shared.
 *
 * Hostile variants, for tests: a path prefix /hostile/KIND, followed by any
 * normal path (so a profile URL "http://127.0.0.1:PORT/hostile/slow" works
 * with every route), or kg_demo_server_set_hostile_mode() for all requests.
 *   /hostile/slow/REST      waits (?seconds=N, default set_slow_delay) and
 *                           then answers REST normally; the wait pauses only
 *                           this message (other requests are served).
 *   /hostile/html/REST      200 text/html: an Odoo-like login page.
 *   /hostile/garbage/REST   200 application/json whose body is not JSON.
 *   /hostile/huge/REST      200 application/json, a valid JSON-RPC result of
 *                           ?mib=N MiB (default set_huge_size), streamed with
 *                           chunked encoding.
 *   /hostile/redirect/REST  302 to ?to=URL, else set_redirect_base + /REST,
 *                           else /REST on this server (?status=307 or 308
 *                           for the method-keeping kinds).
 */
#define G_LOG_DOMAIN "keygate-demo"

#include "config.h"

#include "kg-demo-server.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#define JSON_TYPE "application/json; charset=utf-8"
#define HTML_TYPE "text/html; charset=utf-8"

#define ACCESS_ERROR_CREATE_PROJECT \
  "You are not allowed to create 'Project' (project.project) records.\n\n" \
  "This operation is allowed for the following groups:\n\t- Project/Administrator\n\n" \
  "Contact your administrator to request access if necessary."
#define ACCESS_ERROR_UNLINK_APIKEYS \
  "You are not allowed to delete 'Users API Keys' (res.users.apikeys) records.\n\n" \
  "No group currently allows this operation.\n\n" \
  "Contact your administrator to request access if necessary."
#define VALIDATION_NAME_18 \
  "The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n" \
  "- Delete: another model requires the record being deleted. If possible, archive it instead.\n\n" \
  "Model: Project (project.project)\nField: Name (name)\n"
#define VALIDATION_NAME_19 \
  "The operation cannot be completed: Missing required value for the field 'Name' (name).\n" \
  "Model: 'Project' (project.project)\n- create/update: a mandatory field is not set\n" \
  "- delete: another model requires the record being deleted, you can archive it instead\n"
#define COOLDOWN_MESSAGE "Too many login failures, please wait a bit before trying again."

/* ------------------------------------------------------------------------ */
/* Demo data                                                                 */

typedef struct {
  guint uid;
  const char *login;
  const char *name;
  const char *password;     /* NULL: no password login */
  gboolean totp;
  gboolean project_admin;
  gboolean project_user;
  gboolean is_admin;
  guint partner_id;
  guint groups[6];          /* 0-terminated */
} DemoUser;

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

typedef struct {
  guint id;
  const char *xmlid;
  const char *full_name;
} DemoGroup;

static const DemoGroup demo_groups[] = {
  { 1, "base.group_user", "User types / Internal User" },
  { 2, "base.group_system", "Administration / Settings" },
  { 7, "base.group_no_one", "Extra Rights / Technical Features" },
  { 13, "mail.group_mail_canned_response_admin", "Canned Responses / Canned Response Administrator" },
  { 17, "project.group_project_user", "Project / User" },
  { 18, "project.group_project_manager", "Project / Administrator" },
};

typedef struct {
  guint id;
  const char *key;
  guint uid;
  const char *name;
  int created_days_ago;
  int expires_in_days;      /* 0: never; < 0: expired */
  gboolean listed;          /* expired keys are garbage-collected by Odoo */
} DemoKey;

static const DemoKey demo_keys[] = {
  { 1, KG_DEMO_ALICE_KEY, KG_DEMO_ALICE_UID, "Keygate demo", 2, 60, TRUE },
  { 2, KG_DEMO_ALICE_CI_KEY, KG_DEMO_ALICE_UID, "CI key", 80, 10, TRUE },
  { 3, KG_DEMO_EXPIRED_KEY, KG_DEMO_ALICE_UID, "Old script key", 95, -1, FALSE },
  { 4, KG_DEMO_BOB_KEY, KG_DEMO_BOB_UID, "Bob demo key", 5, 30, TRUE },
  { 5, KG_DEMO_CAROL_KEY, KG_DEMO_CAROL_UID, "Carol demo key", 5, 90, TRUE },
};

typedef struct {
  guint id;
  char *name;
  char *description;        /* HTML or NULL */
  guint uid;
  char *create_date;
} DemoProject;

typedef struct {
  guint uid;
  gint64 expires;           /* g_get_real_time () */
} DemoToken;

typedef struct {
  guint count;
  gint64 last;              /* g_get_monotonic_time () of the last failure */
} LoginFailures;

struct _KgDemoServer
{
  GObject parent_instance;

  GMutex lock;
  SoupServer *server;
  char *url;
  guint port;

  /* Thread mode */
  GThread *thread;
  GMainContext *thread_context;
  GMainLoop *thread_loop;
  GMutex start_lock;
  GCond start_cond;
  gboolean start_done;
  GError *start_error;

  /* Switches */
  gboolean odoo19;
  gboolean list_db;
  gboolean json2;
  guint token_lifetime;
  char *key_header;
  char *db_header;
  char *token_header;
  char *api_key_header;
  char *token_path;
  char *expires_in_path;
  guint cooldown_after;
  guint cooldown_seconds;
  guint slow_msec;
  guint huge_mib;
  char *hostile_mode;
  char *redirect_base;

  /* State */
  GDateTime *epoch;
  GPtrArray *projects;      /* DemoProject */
  guint next_project_id;
  GHashTable *tokens;       /* token -> DemoToken */
  GHashTable *sessions;     /* session id -> uid (0: 2FA still due) */
  GHashTable *failures;     /* client address -> LoginFailures */
  GHashTable *path_counts;  /* path -> count */
  guint request_count;
  GList *slow_calls;
};

G_DEFINE_FINAL_TYPE (KgDemoServer, kg_demo_server, G_TYPE_OBJECT)

static void dispatch (KgDemoServer *self, SoupServerMessage *msg, const char *path, GHashTable *query);

static const DemoUser *
user_by_uid (gint64 uid)
{
  for (guint i = 0; i < G_N_ELEMENTS (demo_users); i++)
    if (demo_users[i].uid == uid)
      return &demo_users[i];
  return NULL;
}

static const DemoUser *
user_by_login (const char *login)
{
  if (login == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (demo_users); i++)
    if (g_str_equal (demo_users[i].login, login))
      return &demo_users[i];
  return NULL;
}

static gboolean
user_has_group (const DemoUser *user, guint group_id)
{
  for (guint i = 0; user->groups[i] != 0; i++)
    if (user->groups[i] == group_id)
      return TRUE;
  return FALSE;
}

static const DemoGroup *
group_by_id (gint64 id)
{
  for (guint i = 0; i < G_N_ELEMENTS (demo_groups); i++)
    if (demo_groups[i].id == id)
      return &demo_groups[i];
  return NULL;
}

static const DemoGroup *
group_by_xmlid (const char *xmlid)
{
  for (guint i = 0; i < G_N_ELEMENTS (demo_groups); i++)
    if (g_strcmp0 (demo_groups[i].xmlid, xmlid) == 0)
      return &demo_groups[i];
  return NULL;
}

static char *
format_date (GDateTime *base, gint64 offset_seconds)
{
  g_autoptr(GDateTime) dt = g_date_time_add_seconds (base, (gdouble) offset_seconds);
  return g_date_time_format (dt, "%Y-%m-%d %H:%M:%S");
}

static char *
now_string (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  return format_date (now, 0);
}

static gint64
key_expiry_unix (KgDemoServer *self, const DemoKey *key)
{
  if (key->expires_in_days == 0)
    return 0;
  return g_date_time_to_unix (self->epoch) + (gint64) key->expires_in_days * 86400;
}

/* The user a valid (known, unexpired) API key belongs to. */
static const DemoUser *
user_for_key (KgDemoServer *self, const char *key)
{
  if (key == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (demo_keys); i++)
    {
      gint64 expiry;

      if (!g_str_equal (demo_keys[i].key, key))
        continue;
      expiry = key_expiry_unix (self, &demo_keys[i]);
      if (expiry != 0 && expiry <= g_get_real_time () / G_USEC_PER_SEC)
        return NULL;
      return user_by_uid (demo_keys[i].uid);
    }
  return NULL;
}

/* RPC credential check: a valid key of @user, or the password of a user
 * without 2FA. */
static gboolean
check_rpc_credential (KgDemoServer *self, const DemoUser *user, const char *secret)
{
  if (user == NULL || secret == NULL)
    return FALSE;
  if (user_for_key (self, secret) == user)
    return TRUE;
  return user->password != NULL && !user->totp && g_str_equal (user->password, secret);
}

static char *
random_token (gsize n_bytes)
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

static void
demo_project_free (gpointer data)
{
  DemoProject *project = data;

  g_free (project->name);
  g_free (project->description);
  g_free (project->create_date);
  g_free (project);
}

static DemoProject *
project_by_id (KgDemoServer *self, gint64 id)
{
  for (guint i = 0; i < self->projects->len; i++)
    {
      DemoProject *project = g_ptr_array_index (self->projects, i);

      if (project->id == id)
        return project;
    }
  return NULL;
}

static guint
add_project (KgDemoServer *self, const char *name, const char *description, guint uid)
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

/* ------------------------------------------------------------------------ */
/* Responses                                                                 */

static void
respond_text (SoupServerMessage *msg, guint status, const char *content_type, const char *body)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, body, strlen (body));
}

static void
respond_node (SoupServerMessage *msg, guint status, JsonNode *node)
{
  g_autofree char *text = json_to_string (node, FALSE);

  respond_text (msg, status, JSON_TYPE, text);
}

static void
respond_object (SoupServerMessage *msg, guint status, JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  respond_node (msg, status, node);
}

/* Werkzeug's small HTML error page. @description is HTML already. */
static void
respond_werkzeug (SoupServerMessage *msg, guint status, const char *title, const char *description)
{
  g_autofree char *body = g_strdup_printf ("<!doctype html>\n<html lang=en>\n<title>%u %s</title>\n"
                                           "<h1>%s</h1>\n<p>%s</p>\n",
                                           status, title, title, description);
  respond_text (msg, status, HTML_TYPE, body);
}

static void
set_session_cookie (SoupServerMessage *msg, const char *sid)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) expires = g_date_time_add_seconds (now, 604800);
  g_autofree char *date = soup_date_time_to_string (expires, SOUP_DATE_HTTP);
  g_autofree char *value = g_strdup_printf ("session_id=%s; Expires=%s; Max-Age=604800; HttpOnly; Path=/",
                                            sid, date);

  soup_message_headers_append (soup_server_message_get_response_headers (msg), "Set-Cookie", value);
}

/* A new session (84 URL-safe characters, like Odoo's) for @uid. */
static char *
new_session (KgDemoServer *self, guint uid)
{
  char *sid = random_token (63);

  g_hash_table_insert (self->sessions, g_strdup (sid), GUINT_TO_POINTER (uid));
  return sid;
}

static void
set_anonymous_session (KgDemoServer *self, SoupServerMessage *msg)
{
  g_autofree char *sid = new_session (self, 0);

  set_session_cookie (msg, sid);
}

static const char *
request_session_id (SoupServerMessage *msg, char **out)
{
  const char *header = soup_message_headers_get_list (soup_server_message_get_request_headers (msg),
                                                      "Cookie");
  g_autoptr(GHashTable) params = NULL;
  const char *sid;

  *out = NULL;
  if (header == NULL)
    return NULL;
  params = soup_header_parse_semi_param_list (header);
  sid = g_hash_table_lookup (params, "session_id");
  *out = g_strdup (sid);
  return *out;
}

static void
respond_not_found_page (KgDemoServer *self, SoupServerMessage *msg)
{
  static const char page[] =
    "<!DOCTYPE html>\n<html>\n    <head>\n        <meta charset=\"utf-8\"/>\n"
    "        <title>Odoo</title>\n    </head>\n    <body>\n"
    "        <div id=\"wrapwrap\">\n            <main>\n"
    "                <div class=\"container\">\n"
    "                    <h1 class=\"mt-5\">404: Page not found!</h1>\n"
    "                    <p>The page you were looking for could not be found; it is possible "
    "you have typed the address incorrectly, but it has most probably been removed due to the "
    "recent website reorganisation.</p>\n"
    "                    <p>(Keygate demo server: this is not a real Odoo.)</p>\n"
    "                </div>\n            </main>\n        </div>\n    </body>\n</html>\n";

  soup_message_headers_append (soup_server_message_get_response_headers (msg), "Set-Cookie",
                               "frontend_lang=en_US; Path=/");
  set_anonymous_session (self, msg);
  respond_text (msg, SOUP_STATUS_NOT_FOUND, "text/html;charset=utf-8", page);
}

/* Odoo's "type='json' route called as http" 400 page. */
static void
respond_wrong_route_type (SoupServerMessage *msg, const char *route)
{
  g_autofree char *escaped = g_markup_escape_text (route, -1);
  g_autofree char *text = g_strdup_printf ("Request inferred type is compatible with [&#39;http&#39;] "
                                           "but &#39;%s&#39; is type=&#39;json&#39;.", escaped);

  respond_werkzeug (msg, SOUP_STATUS_BAD_REQUEST, "Bad Request", text);
}

static void
respond_method_not_allowed (SoupServerMessage *msg)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow",
                                "POST, OPTIONS");
  respond_werkzeug (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "Method Not Allowed",
                    "The method is not allowed for the requested URL.");
}

/* ------------------------------------------------------------------------ */
/* Faults (Odoo exceptions)                                                  */

typedef struct {
  guint status;             /* HTTP status on JSON-2 */
  const char *name;         /* Python class */
  char *message;
  gboolean http_error;      /* werkzeug HTTPException: arguments [message, status] */
} Fault;

static void fault_set (Fault *fault, guint status, const char *name, gboolean http_error,
                       const char *format, ...) G_GNUC_PRINTF (5, 6);

static void
fault_set (Fault      *fault,
           guint       status,
           const char *name,
           gboolean    http_error,
           const char *format,
           ...)
{
  va_list args;

  g_clear_pointer (&fault->message, g_free);
  fault->status = status;
  fault->name = name;
  fault->http_error = http_error;
  va_start (args, format);
  fault->message = g_strdup_vprintf (format, args);
  va_end (args);
}

static void
fault_clear (Fault *fault)
{
  g_clear_pointer (&fault->message, g_free);
}

static char *
fault_debug (const Fault *fault)
{
  const char *dot = strrchr (fault->name, '.');
  const char *short_name = dot ? dot + 1 : fault->name;

  return g_strdup_printf ("Traceback (most recent call last):\n"
                          "  File \"keygate-demo-server\", line 1, in <demo>\n"
                          "    (demo) this server imitates Odoo; there is no real traceback\n"
                          "%s: %s\n", short_name, fault->message);
}

/* The "data" object of a JSON-RPC error, or the JSON-2 error body. */
static JsonObject *
fault_to_object (const Fault *fault, gboolean odoo19_order)
{
  JsonObject *data = json_object_new ();
  JsonArray *arguments = json_array_new ();
  g_autofree char *debug = fault_debug (fault);

  json_array_add_string_element (arguments, fault->message);
  if (fault->http_error)
    json_array_add_int_element (arguments, fault->status);

  json_object_set_string_member (data, "name", fault->name);
  if (!odoo19_order)
    json_object_set_string_member (data, "debug", debug);
  json_object_set_string_member (data, "message", fault->message);
  json_object_set_array_member (data, "arguments", arguments);
  json_object_set_object_member (data, "context", json_object_new ());
  if (odoo19_order)
    json_object_set_string_member (data, "debug", debug);
  return data;
}

static void
respond_rpc_result (SoupServerMessage *msg, JsonNode *id, JsonNode *result)
{
  g_autoptr(JsonObject) envelope = json_object_new ();

  json_object_set_string_member (envelope, "jsonrpc", "2.0");
  json_object_set_member (envelope, "id", id ? json_node_copy (id) : json_node_new (JSON_NODE_NULL));
  json_object_set_member (envelope, "result", result);
  respond_object (msg, SOUP_STATUS_OK, envelope);
}

static void
respond_rpc_fault (KgDemoServer *self, SoupServerMessage *msg, JsonNode *id, const Fault *fault)
{
  g_autoptr(JsonObject) envelope = json_object_new ();
  JsonObject *error = json_object_new ();

  json_object_set_int_member (error, "code", self->odoo19 ? 0 : 200);
  json_object_set_string_member (error, "message", "Odoo Server Error");
  json_object_set_object_member (error, "data", fault_to_object (fault, self->odoo19));

  json_object_set_string_member (envelope, "jsonrpc", "2.0");
  json_object_set_member (envelope, "id", id ? json_node_copy (id) : json_node_new (JSON_NODE_NULL));
  json_object_set_object_member (envelope, "error", error);
  respond_object (msg, SOUP_STATUS_OK, envelope);
}

static void
respond_rpc_simple_fault (KgDemoServer *self, SoupServerMessage *msg, JsonNode *id,
                          const char *name, const char *message)
{
  Fault fault = { 0 };

  fault_set (&fault, 200, name, FALSE, "%s", message);
  respond_rpc_fault (self, msg, id, &fault);
  fault_clear (&fault);
}

static void
fault_unknown_database (Fault *fault, const char *db)
{
  fault_set (fault, 500, "psycopg2.OperationalError", FALSE,
             "connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  "
             "database \"%s\" does not exist\n", db ? db : "");
}

/* ------------------------------------------------------------------------ */
/* Models                                                                    */

typedef struct {
  const char *model;
  const char *method;
  gboolean record;          /* takes ids */
  guint n_required;
  const char *params[6];    /* NULL-terminated */
} DemoMethod;

static const DemoMethod demo_methods[] = {
  { "res.users", "read", TRUE, 0, { "fields", "load", NULL } },
  { "res.users", "has_group", TRUE, 1, { "group_ext_id", NULL } },
  { "res.users", "context_get", FALSE, 0, { NULL } },
  { "res.groups", "read", TRUE, 0, { "fields", "load", NULL } },
  { "project.project", "create", FALSE, 1, { "vals_list", NULL } },
  { "project.project", "read", TRUE, 0, { "fields", "load", NULL } },
  { "project.project", "search", FALSE, 0, { "domain", "offset", "limit", "order", NULL } },
  { "project.project", "search_read", FALSE, 0, { "domain", "fields", "offset", "limit", "order", NULL } },
  { "project.project", "search_count", FALSE, 0, { "domain", "limit", NULL } },
  { "project.project", "has_access", TRUE, 1, { "operation", NULL } },
  { "project.project", "check_access_rights", FALSE, 1, { "operation", "raise_exception", NULL } },
  { "res.users.apikeys", "search", FALSE, 0, { "domain", "offset", "limit", "order", NULL } },
  { "res.users.apikeys", "search_read", FALSE, 0, { "domain", "fields", "offset", "limit", "order", NULL } },
  { "res.users.apikeys", "unlink", TRUE, 0, { NULL } },
};

static const char *known_models[] = {
  "res.users", "res.groups", "project.project", "res.users.apikeys", "res.partner",
};

static gboolean
model_exists (const char *model)
{
  for (guint i = 0; i < G_N_ELEMENTS (known_models); i++)
    if (g_str_equal (known_models[i], model))
      return TRUE;
  return FALSE;
}

static const DemoMethod *
find_method (const char *model, const char *method)
{
  for (guint i = 0; i < G_N_ELEMENTS (demo_methods); i++)
    if (g_str_equal (demo_methods[i].model, model) && g_str_equal (demo_methods[i].method, method))
      return &demo_methods[i];
  return NULL;
}

static JsonNode *
many2one (guint id, const char *name)
{
  JsonArray *pair = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  json_array_add_int_element (pair, id);
  json_array_add_string_element (pair, name);
  json_node_take_array (node, pair);
  return node;
}

static JsonNode *
bool_node (gboolean value)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  json_node_set_boolean (node, value);
  return node;
}

static JsonNode *
int_node (gint64 value)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  json_node_set_int (node, value);
  return node;
}

static JsonNode *
string_node (const char *value)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (node, value);
  return node;
}

static JsonNode *
string_or_false (const char *value)
{
  return value ? string_node (value) : bool_node (FALSE);
}

/* The value of @field of a record; NULL if the field does not exist. */
typedef JsonNode *(*FieldGetter) (KgDemoServer *self, gconstpointer record, const char *field);

static JsonNode *
user_field (KgDemoServer *self, gconstpointer record, const char *field)
{
  const DemoUser *user = record;

  if (g_str_equal (field, "id"))
    return int_node (user->uid);
  if (g_str_equal (field, "name") || g_str_equal (field, "display_name"))
    return string_node (user->name);
  if (g_str_equal (field, "login"))
    return string_node (user->login);
  if (g_str_equal (field, "email"))
    {
      g_autofree char *email = g_strdup_printf ("%s@example.com", user->login);
      return string_node (email);
    }
  if (g_str_equal (field, "totp_enabled"))
    return bool_node (user->totp);
  if (g_str_equal (field, "share"))
    return bool_node (FALSE);
  if (g_str_equal (field, "active"))
    return bool_node (TRUE);
  if (g_str_equal (field, "company_id"))
    return many2one (1, "My Company");
  if (g_str_equal (field, "partner_id"))
    return many2one (user->partner_id, user->name);
  if (g_str_equal (field, "lang"))
    return string_node ("en_US");
  if (g_str_equal (field, "tz"))
    return string_node ("UTC");
  if (g_str_equal (field, self->odoo19 ? "group_ids" : "groups_id"))
    {
      JsonArray *ids = json_array_new ();
      JsonNode *node = json_node_new (JSON_NODE_ARRAY);

      for (guint i = 0; user->groups[i] != 0; i++)
        json_array_add_int_element (ids, user->groups[i]);
      json_node_take_array (node, ids);
      return node;
    }
  return NULL;
}

static JsonNode *
group_field (KgDemoServer *self, gconstpointer record, const char *field)
{
  const DemoGroup *group = record;

  if (g_str_equal (field, "id"))
    return int_node (group->id);
  if (g_str_equal (field, "full_name") || g_str_equal (field, "display_name"))
    return string_node (group->full_name);
  if (g_str_equal (field, "name"))
    {
      const char *slash = strstr (group->full_name, " / ");
      return string_node (slash ? slash + 3 : group->full_name);
    }
  return NULL;
}

static JsonNode *
project_field (KgDemoServer *self, gconstpointer record, const char *field)
{
  const DemoProject *project = record;
  const DemoUser *owner = user_by_uid (project->uid);

  if (g_str_equal (field, "id"))
    return int_node (project->id);
  if (g_str_equal (field, "name") || g_str_equal (field, "display_name"))
    return string_node (project->name);
  if (g_str_equal (field, "description"))
    return string_or_false (project->description);
  if (g_str_equal (field, "user_id") || g_str_equal (field, "create_uid")
      || g_str_equal (field, "write_uid"))
    return many2one (owner->uid, owner->name);
  if (g_str_equal (field, "create_date") || g_str_equal (field, "write_date"))
    return string_node (project->create_date);
  if (g_str_equal (field, "active"))
    return bool_node (TRUE);
  if (g_str_equal (field, "company_id"))
    return many2one (1, "My Company");
  if (g_str_equal (field, "partner_id"))
    return bool_node (FALSE);
  if (g_str_equal (field, "privacy_visibility"))
    return string_node ("portal");
  return NULL;
}

static JsonNode *
apikey_field (KgDemoServer *self, gconstpointer record, const char *field)
{
  const DemoKey *key = record;

  if (g_str_equal (field, "id"))
    return int_node (key->id);
  if (g_str_equal (field, "name") || g_str_equal (field, "display_name"))
    return string_node (key->name);
  if (g_str_equal (field, "scope"))
    return bool_node (FALSE);
  if (g_str_equal (field, "create_date"))
    {
      g_autofree char *date = format_date (self->epoch, -(gint64) key->created_days_ago * 86400);
      return string_node (date);
    }
  if (g_str_equal (field, "expiration_date"))
    {
      g_autofree char *date = NULL;

      if (key->expires_in_days == 0)
        return bool_node (FALSE);
      date = format_date (self->epoch, (gint64) key->expires_in_days * 86400);
      return string_node (date);
    }
  if (g_str_equal (field, "user_id"))
    {
      const DemoUser *owner = user_by_uid (key->uid);
      return many2one (owner->uid, owner->name);
    }
  return NULL;
}

/* Reads @fields (NULL: @defaults) of @record into a new object. */
static JsonObject *
read_record (KgDemoServer *self, FieldGetter getter, gconstpointer record, const char *model,
             JsonArray *fields, const char * const *defaults, Fault *fault)
{
  g_autoptr(JsonObject) object = json_object_new ();
  guint n = fields ? json_array_get_length (fields) : g_strv_length ((char **) defaults);

  json_object_set_member (object, "id", getter (self, record, "id"));
  for (guint i = 0; i < n; i++)
    {
      const char *field = fields ? json_array_get_string_element (fields, i) : defaults[i];
      JsonNode *value;

      if (field == NULL)
        continue;
      value = getter (self, record, field);
      if (value == NULL)
        {
          fault_set (fault, 500, "builtins.ValueError", FALSE, "Invalid field '%s' on '%s'",
                     field, model);
          return NULL;
        }
      json_object_set_member (object, field, value);
    }
  return g_steal_pointer (&object);
}

static gboolean
node_is_false (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN
         && !json_node_get_boolean (node);
}

static JsonArray *
array_param (JsonObject *params, const char *name)
{
  JsonNode *node = params ? json_object_get_member (params, name) : NULL;

  return node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static const char *
string_param (JsonObject *params, const char *name)
{
  JsonNode *node = params ? json_object_get_member (params, name) : NULL;

  if (node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  return NULL;
}

static gint64
int_element (JsonArray *array, guint index)
{
  JsonNode *node = json_array_get_element (array, index);

  if (node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  return -1;
}

/* Records matching simple domains [[field, "=", value], …] (other operators
 * and fields are ignored). */
static gboolean
domain_matches (KgDemoServer *self, FieldGetter getter, gconstpointer record, JsonArray *domain)
{
  guint n = domain ? json_array_get_length (domain) : 0;

  for (guint i = 0; i < n; i++)
    {
      JsonNode *term = json_array_get_element (domain, i);
      JsonArray *leaf;
      const char *field, *op;
      g_autoptr(JsonNode) value = NULL;
      JsonNode *wanted;

      if (!JSON_NODE_HOLDS_ARRAY (term))
        continue;
      leaf = json_node_get_array (term);
      if (json_array_get_length (leaf) != 3)
        continue;
      field = json_array_get_string_element (leaf, 0);
      op = json_array_get_string_element (leaf, 1);
      wanted = json_array_get_element (leaf, 2);
      if (field == NULL || g_strcmp0 (op, "=") != 0)
        continue;
      value = getter (self, record, field);
      if (value == NULL)
        continue;
      if (JSON_NODE_HOLDS_ARRAY (value) && json_array_get_length (json_node_get_array (value)) == 2)
        {
          /* many2one compared with an id */
          if (!JSON_NODE_HOLDS_VALUE (wanted)
              || json_node_get_value_type (wanted) != G_TYPE_INT64
              || int_element (json_node_get_array (value), 0) != json_node_get_int (wanted))
            return FALSE;
        }
      else if (!json_node_equal (value, wanted))
        return FALSE;
    }
  return TRUE;
}

static gboolean
project_access (const DemoUser *user, const char *operation)
{
  if (g_strcmp0 (operation, "read") == 0)
    return TRUE;
  return user->project_admin;
}

static JsonNode *
call_project_create (KgDemoServer *self, const DemoUser *user, JsonObject *params, Fault *fault)
{
  JsonNode *vals = json_object_get_member (params, "vals_list");
  g_autoptr(JsonArray) list = json_array_new ();
  gboolean single;
  JsonArray *ids;
  JsonNode *result;

  if (!user->project_admin)
    {
      fault_set (fault, 403, "odoo.exceptions.AccessError", FALSE, "%s", ACCESS_ERROR_CREATE_PROJECT);
      return NULL;
    }

  single = JSON_NODE_HOLDS_OBJECT (vals);
  if (single)
    json_array_add_element (list, json_node_copy (vals));
  else if (JSON_NODE_HOLDS_ARRAY (vals))
    {
      JsonArray *given = json_node_get_array (vals);
      for (guint i = 0; i < json_array_get_length (given); i++)
        json_array_add_element (list, json_node_copy (json_array_get_element (given, i)));
    }
  else
    {
      fault_set (fault, 422, "builtins.TypeError", FALSE,
                 "create() expects a dict or a list of dicts");
      return NULL;
    }

  /* Validate everything first: one transaction. */
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonNode *item = json_array_get_element (list, i);
      JsonObject *values;
      JsonNode *name;

      if (!JSON_NODE_HOLDS_OBJECT (item))
        {
          fault_set (fault, 500, "builtins.ValueError", FALSE, "Invalid values for create");
          return NULL;
        }
      values = json_node_get_object (item);
      name = json_object_get_member (values, "name");
      if (node_is_false (name) || !JSON_NODE_HOLDS_VALUE (name)
          || json_node_get_value_type (name) != G_TYPE_STRING)
        {
          fault_set (fault, 422, "odoo.exceptions.ValidationError", FALSE, "%s",
                     self->odoo19 ? VALIDATION_NAME_19 : VALIDATION_NAME_18);
          return NULL;
        }
    }

  ids = json_array_new ();
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *values = json_array_get_object_element (list, i);
      guint id = add_project (self, string_param (values, "name"),
                              string_param (values, "description"), user->uid);
      json_array_add_int_element (ids, id);
    }

  if (single)
    {
      result = int_node (json_array_get_int_element (ids, 0));
      json_array_unref (ids);
    }
  else
    {
      result = json_node_new (JSON_NODE_ARRAY);
      json_node_take_array (result, ids);
    }
  return result;
}

static JsonNode *
array_to_node (JsonArray *array)
{
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  json_node_take_array (node, array);
  return node;
}

/* Runs model.method for @user with named @params; @ids NULL when none was
 * given. Returns the result, or NULL with @fault set. */
static JsonNode *
invoke (KgDemoServer   *self,
        const DemoUser *user,
        const char     *model,
        const DemoMethod *method,
        JsonArray      *ids,
        JsonObject     *params,
        Fault          *fault)
{
  const char *name = method->method;
  JsonArray *fields = array_param (params, "fields");
  guint n_ids = ids ? json_array_get_length (ids) : 0;

  if (g_str_equal (model, "res.users"))
    {
      static const char * const defaults[] = { "name", "login", "active", NULL };

      if (g_str_equal (name, "context_get"))
        {
          JsonObject *context = json_object_new ();
          JsonNode *node = json_node_new (JSON_NODE_OBJECT);

          json_object_set_string_member (context, "lang", "en_US");
          json_object_set_string_member (context, "tz", "UTC");
          json_object_set_int_member (context, "uid", user->uid);
          json_node_take_object (node, context);
          return node;
        }
      if (g_str_equal (name, "has_group"))
        {
          const DemoUser *target = n_ids > 0 ? user_by_uid (int_element (ids, 0)) : user;
          const DemoGroup *group = group_by_xmlid (string_param (params, "group_ext_id"));

          return bool_node (target && group && user_has_group (target, group->id));
        }
      if (g_str_equal (name, "read"))
        {
          JsonArray *rows = json_array_new ();

          for (guint i = 0; i < n_ids; i++)
            {
              gint64 id = int_element (ids, i);
              const DemoUser *target = user_by_uid (id);
              JsonObject *row;

              if (target == NULL)
                {
                  if (self->odoo19)
                    continue;
                  fault_set (fault, 404, "odoo.exceptions.MissingError", FALSE,
                             "Record does not exist or has been deleted.\n(Record: res.users(%"
                             G_GINT64_FORMAT ",), User: %u)", id, user->uid);
                  json_array_unref (rows);
                  return NULL;
                }
              row = read_record (self, user_field, target, model, fields, defaults, fault);
              if (row == NULL)
                {
                  json_array_unref (rows);
                  return NULL;
                }
              json_array_add_object_element (rows, row);
            }
          return array_to_node (rows);
        }
    }
  else if (g_str_equal (model, "res.groups"))
    {
      static const char * const defaults[] = { "name", "full_name", NULL };
      JsonArray *rows = json_array_new ();

      for (guint i = 0; i < n_ids; i++)
        {
          const DemoGroup *group = group_by_id (int_element (ids, i));
          JsonObject *row;

          if (group == NULL)
            continue;
          row = read_record (self, group_field, group, model, fields, defaults, fault);
          if (row == NULL)
            {
              json_array_unref (rows);
              return NULL;
            }
          json_array_add_object_element (rows, row);
        }
      return array_to_node (rows);
    }
  else if (g_str_equal (model, "project.project"))
    {
      static const char * const defaults[] = { "name", "description", "user_id", "active", NULL };

      if (g_str_equal (name, "create"))
        return call_project_create (self, user, params, fault);
      if (g_str_equal (name, "has_access"))
        return bool_node (project_access (user, string_param (params, "operation")));
      if (g_str_equal (name, "check_access_rights"))
        {
          const char *operation = string_param (params, "operation");
          JsonNode *raise = json_object_get_member (params, "raise_exception");

          if (!project_access (user, operation) && (raise == NULL || !node_is_false (raise)))
            {
              fault_set (fault, 403, "odoo.exceptions.AccessError", FALSE, "%s",
                         ACCESS_ERROR_CREATE_PROJECT);
              return NULL;
            }
          return bool_node (project_access (user, operation));
        }
      if (g_str_equal (name, "read"))
        {
          JsonArray *rows = json_array_new ();

          for (guint i = 0; i < n_ids; i++)
            {
              gint64 id = int_element (ids, i);
              DemoProject *project = project_by_id (self, id);
              JsonObject *row;

              if (project == NULL)
                {
                  if (self->odoo19)
                    continue;
                  fault_set (fault, 404, "odoo.exceptions.MissingError", FALSE,
                             "Record does not exist or has been deleted.\n(Record: project.project(%"
                             G_GINT64_FORMAT ",), User: %u)", id, user->uid);
                  json_array_unref (rows);
                  return NULL;
                }
              row = read_record (self, project_field, project, model, fields, defaults, fault);
              if (row == NULL)
                {
                  json_array_unref (rows);
                  return NULL;
                }
              json_array_add_object_element (rows, row);
            }
          return array_to_node (rows);
        }
      if (g_str_equal (name, "search") || g_str_equal (name, "search_read")
          || g_str_equal (name, "search_count"))
        {
          JsonArray *domain = array_param (params, "domain");
          JsonArray *rows = json_array_new ();
          guint count = 0;

          for (guint i = 0; i < self->projects->len; i++)
            {
              DemoProject *project = g_ptr_array_index (self->projects, i);
              JsonObject *row;

              if (!domain_matches (self, project_field, project, domain))
                continue;
              count++;
              if (g_str_equal (name, "search"))
                {
                  json_array_add_int_element (rows, project->id);
                  continue;
                }
              if (g_str_equal (name, "search_count"))
                continue;
              row = read_record (self, project_field, project, model, fields, defaults, fault);
              if (row == NULL)
                {
                  json_array_unref (rows);
                  return NULL;
                }
              json_array_add_object_element (rows, row);
            }
          if (g_str_equal (name, "search_count"))
            {
              json_array_unref (rows);
              return int_node (count);
            }
          return array_to_node (rows);
        }
    }
  else if (g_str_equal (model, "res.users.apikeys"))
    {
      static const char * const defaults[] = { "name", "scope", "create_date", "expiration_date",
                                               "user_id", NULL };

      if (g_str_equal (name, "unlink"))
        {
          fault_set (fault, 403, "odoo.exceptions.AccessError", FALSE, "%s",
                     ACCESS_ERROR_UNLINK_APIKEYS);
          return NULL;
        }
      if (g_str_equal (name, "search") || g_str_equal (name, "search_read"))
        {
          JsonArray *domain = array_param (params, "domain");
          JsonArray *rows = json_array_new ();

          for (guint i = 0; i < G_N_ELEMENTS (demo_keys); i++)
            {
              const DemoKey *key = &demo_keys[i];
              JsonObject *row;

              if (!key->listed || (key->uid != user->uid && !user->is_admin))
                continue;
              if (!domain_matches (self, apikey_field, key, domain))
                continue;
              if (g_str_equal (name, "search"))
                {
                  json_array_add_int_element (rows, key->id);
                  continue;
                }
              row = read_record (self, apikey_field, key, model, fields, defaults, fault);
              if (row == NULL)
                {
                  json_array_unref (rows);
                  return NULL;
                }
              json_array_add_object_element (rows, row);
            }
          return array_to_node (rows);
        }
    }

  fault_set (fault, 404, "builtins.AttributeError", FALSE,
             "The method '%s.%s' does not exist", model, name);
  return NULL;
}

/* Checks the model and method name; NULL with @fault set otherwise. */
static const DemoMethod *
lookup_method (const char *model, const char *method, Fault *fault)
{
  const DemoMethod *found;

  if (!model_exists (model))
    {
      fault_set (fault, 404, "werkzeug.exceptions.NotFound", TRUE,
                 "the model '%s' does not exist", model);
      return NULL;
    }
  if (method[0] == '_')
    {
      fault_set (fault, 403, "odoo.exceptions.AccessError", FALSE,
                 "Private methods (such as '%s.%s') cannot be called remotely.", model, method);
      return NULL;
    }
  found = find_method (model, method);
  if (found == NULL)
    fault_set (fault, 404, "werkzeug.exceptions.NotFound", TRUE,
               "The method '%s.%s' does not exist", model, method);
  return found;
}

/* ------------------------------------------------------------------------ */
/* Request helpers                                                           */

static gboolean
is_json_content_type (SoupServerMessage *msg)
{
  const char *type = soup_message_headers_get_content_type (soup_server_message_get_request_headers (msg),
                                                            NULL);

  return type != NULL && (g_ascii_strcasecmp (type, "application/json") == 0
                          || g_ascii_strcasecmp (type, "application/json-rpc") == 0);
}

static const char *
request_header (SoupServerMessage *msg, const char *name)
{
  const char *value = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), name);

  return value && *value ? value : NULL;
}

static GBytes *
request_body (SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  return soup_message_body_flatten (body);
}

/* Parses the body as JSON; NULL when it is not JSON. */
static JsonNode *
parse_json_body (SoupServerMessage *msg, gboolean *empty)
{
  g_autoptr(GBytes) bytes = request_body (msg);
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);
  JsonNode *root;

  if (empty)
    *empty = (size == 0);
  if (size == 0 || !g_utf8_validate (data, (gssize) size, NULL))
    return NULL;
  if (!json_parser_load_from_data (parser, data, (gssize) size, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  return root ? json_node_copy (root) : NULL;
}

static const char *
bearer_token (const char *authorization)
{
  if (authorization == NULL)
    return NULL;
  if (g_ascii_strncasecmp (authorization, "bearer ", 7) != 0)
    return NULL;
  authorization += 7;
  while (*authorization == ' ')
    authorization++;
  return *authorization ? authorization : NULL;
}

/* Sets @value at the dotted @path of @root (intermediate objects are made). */
static void
set_at_path (JsonObject *root, const char *path, JsonNode *value)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  guint n = g_strv_length (parts);
  JsonObject *object = root;

  for (guint i = 0; i + 1 < n; i++)
    {
      JsonNode *child = json_object_get_member (object, parts[i]);

      if (child == NULL || !JSON_NODE_HOLDS_OBJECT (child))
        {
          json_object_set_object_member (object, parts[i], json_object_new ());
          child = json_object_get_member (object, parts[i]);
        }
      object = json_node_get_object (child);
    }
  json_object_set_member (object, parts[n - 1], value);
}

/* ------------------------------------------------------------------------ */
/* JSON-RPC                                                                  */

static JsonNode *
version_node (KgDemoServer *self)
{
  JsonObject *version = json_object_new ();
  JsonArray *info = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  guint major = self->odoo19 ? 19 : 18;

  json_array_add_int_element (info, major);
  json_array_add_int_element (info, 0);
  json_array_add_int_element (info, 0);
  json_array_add_string_element (info, "final");
  json_array_add_int_element (info, 0);
  json_array_add_string_element (info, "");

  json_object_set_string_member (version, "server_version", self->odoo19 ? "19.0-demo" : "18.0-demo");
  json_object_set_array_member (version, "server_version_info", info);
  json_object_set_string_member (version, "server_serie", self->odoo19 ? "19.0" : "18.0");
  json_object_set_int_member (version, "protocol_version", 1);
  json_node_take_object (node, version);
  return node;
}

static const char *
args_string (JsonArray *args, guint index)
{
  JsonNode *node = args && index < json_array_get_length (args) ? json_array_get_element (args, index) : NULL;

  if (node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  return NULL;
}

static void
handle_common (KgDemoServer *self, SoupServerMessage *msg, JsonNode *id, const char *method, JsonArray *args)
{
  if (g_str_equal (method, "version"))
    {
      respond_rpc_result (msg, id, version_node (self));
      return;
    }
  if (g_str_equal (method, "authenticate") || g_str_equal (method, "login"))
    {
      const char *db = args_string (args, 0);
      const DemoUser *user = user_by_login (args_string (args, 1));
      const char *secret = args_string (args, 2);

      if (g_strcmp0 (db, KG_DEMO_DATABASE) != 0)
        {
          Fault fault = { 0 };

          fault_unknown_database (&fault, db);
          respond_rpc_fault (self, msg, id, &fault);
          fault_clear (&fault);
          return;
        }
      if (check_rpc_credential (self, user, secret))
        respond_rpc_result (msg, id, int_node (user->uid));
      else
        respond_rpc_result (msg, id, bool_node (FALSE));
      return;
    }

  {
    g_autofree char *text = g_strdup_printf ("Method not found: %s", method);
    respond_rpc_simple_fault (self, msg, id, "builtins.Exception", text);
  }
}

static void
handle_db (KgDemoServer *self, SoupServerMessage *msg, JsonNode *id, const char *method)
{
  if (g_str_equal (method, "list"))
    {
      JsonArray *list;

      if (!self->list_db)
        {
          respond_rpc_simple_fault (self, msg, id, "odoo.exceptions.AccessDenied", "Access Denied");
          return;
        }
      list = json_array_new ();
      json_array_add_string_element (list, KG_DEMO_DATABASE);
      respond_rpc_result (msg, id, array_to_node (list));
      return;
    }
  if (g_str_equal (method, "server_version"))
    {
      respond_rpc_result (msg, id, string_node (self->odoo19 ? "19.0-demo" : "18.0-demo"));
      return;
    }

  {
    g_autofree char *text = g_strdup_printf ("Method not found: %s", method);
    respond_rpc_simple_fault (self, msg, id, "builtins.Exception", text);
  }
}

/* Binds JSON-RPC positional @pos (from index @first) and @kwargs to the
 * method's named parameters. */
static JsonObject *
bind_rpc_arguments (const DemoMethod *method, JsonArray *pos, guint first, JsonObject *kwargs,
                    JsonArray **ids_out, Fault *fault)
{
  g_autoptr(JsonObject) params = json_object_new ();
  guint n_pos = pos ? json_array_get_length (pos) : 0;
  guint n_params = g_strv_length ((char **) method->params);
  guint p = first;

  *ids_out = NULL;
  if (method->record)
    {
      JsonNode *ids = p < n_pos ? json_array_get_element (pos, p) : NULL;

      if (ids == NULL)
        {
          fault_set (fault, 422, "builtins.TypeError", FALSE,
                     "%s() missing 1 required positional argument: 'ids'", method->method);
          return NULL;
        }
      if (JSON_NODE_HOLDS_ARRAY (ids))
        *ids_out = json_array_ref (json_node_get_array (ids));
      else
        {
          *ids_out = json_array_new ();
          json_array_add_element (*ids_out, json_node_copy (ids));
        }
      p++;
    }

  for (guint i = 0; p < n_pos; i++, p++)
    {
      if (i >= n_params)
        {
          fault_set (fault, 422, "builtins.TypeError", FALSE,
                     "%s() takes %u positional arguments but %u were given",
                     method->method, n_params + 1, n_pos - first + 1);
          g_clear_pointer (ids_out, json_array_unref);
          return NULL;
        }
      json_object_set_member (params, method->params[i], json_node_copy (json_array_get_element (pos, p)));
    }

  if (kwargs != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;

      json_object_iter_init (&iter, kwargs);
      while (json_object_iter_next (&iter, &name, &value))
        {
          if (g_str_equal (name, "context"))
            continue;
          if (!g_strv_contains (method->params, name))
            {
              fault_set (fault, 422, "builtins.TypeError", FALSE,
                         "%s() got an unexpected keyword argument '%s'", method->method, name);
              g_clear_pointer (ids_out, json_array_unref);
              return NULL;
            }
          json_object_set_member (params, name, json_node_copy (value));
        }
    }

  for (guint i = 0; i < method->n_required; i++)
    if (!json_object_has_member (params, method->params[i]))
      {
        fault_set (fault, 422, "builtins.TypeError", FALSE,
                   "%s() missing 1 required positional argument: '%s'",
                   method->method, method->params[i]);
        g_clear_pointer (ids_out, json_array_unref);
        return NULL;
      }

  return g_steal_pointer (&params);
}

static void
handle_object (KgDemoServer *self, SoupServerMessage *msg, JsonNode *id, const char *method, JsonArray *args)
{
  gboolean kw = g_str_equal (method, "execute_kw");
  const char *db = args_string (args, 0);
  JsonNode *uid_node = args && json_array_get_length (args) > 1 ? json_array_get_element (args, 1) : NULL;
  const char *secret = args_string (args, 2);
  const char *model = args_string (args, 3);
  const char *name = args_string (args, 4);
  const DemoUser *user = NULL;
  Fault fault = { 0 };
  const DemoMethod *found;
  g_autoptr(JsonObject) params = NULL;
  g_autoptr(JsonArray) ids = NULL;
  JsonNode *result;

  if (!kw && !g_str_equal (method, "execute"))
    {
      g_autofree char *text = g_strdup_printf ("Method not found: %s", method);
      respond_rpc_simple_fault (self, msg, id, "builtins.Exception", text);
      return;
    }

  if (g_strcmp0 (db, KG_DEMO_DATABASE) != 0)
    {
      fault_unknown_database (&fault, db);
      goto fail;
    }

  if (uid_node && JSON_NODE_HOLDS_VALUE (uid_node) && json_node_get_value_type (uid_node) == G_TYPE_INT64)
    user = user_by_uid (json_node_get_int (uid_node));
  if (!check_rpc_credential (self, user, secret))
    {
      fault_set (&fault, 403, "odoo.exceptions.AccessDenied", FALSE, "Access Denied");
      goto fail;
    }

  if (model == NULL || name == NULL)
    {
      fault_set (&fault, 500, "builtins.TypeError", FALSE,
                 "execute_kw() missing required positional arguments: 'model' and 'method'");
      goto fail;
    }

  found = lookup_method (model, name, &fault);
  if (found == NULL)
    {
      /* JSON-RPC words these differently from JSON-2. */
      if (!model_exists (model))
        fault_set (&fault, 404, "odoo.exceptions.UserError", FALSE, "Object %s doesn't exist", model);
      else if (name[0] != '_')
        fault_set (&fault, 404, "builtins.AttributeError", FALSE,
                   "The method '%s.%s' does not exist", model, name);
      goto fail;
    }

  if (kw)
    {
      JsonNode *pos = json_array_get_length (args) > 5 ? json_array_get_element (args, 5) : NULL;
      JsonNode *kwargs = json_array_get_length (args) > 6 ? json_array_get_element (args, 6) : NULL;

      params = bind_rpc_arguments (found,
                                   pos && JSON_NODE_HOLDS_ARRAY (pos) ? json_node_get_array (pos) : NULL, 0,
                                   kwargs && JSON_NODE_HOLDS_OBJECT (kwargs) ? json_node_get_object (kwargs) : NULL,
                                   &ids, &fault);
    }
  else
    params = bind_rpc_arguments (found, args, 5, NULL, &ids, &fault);
  if (params == NULL)
    goto fail;

  result = invoke (self, user, model, found, ids, params, &fault);
  if (result == NULL)
    goto fail;
  respond_rpc_result (msg, id, result);
  return;

fail:
  respond_rpc_fault (self, msg, id, &fault);
  fault_clear (&fault);
}

/* Parses a JSON-RPC request; answers (and returns NULL) when it is not one. */
static JsonNode *
parse_rpc_request (SoupServerMessage *msg, const char *route, JsonObject **request, JsonNode **id)
{
  JsonNode *root;

  *request = NULL;
  *id = NULL;
  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST || !is_json_content_type (msg))
    {
      respond_wrong_route_type (msg, route);
      return NULL;
    }
  root = parse_json_body (msg, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_clear_pointer (&root, json_node_unref);
      respond_text (msg, SOUP_STATUS_BAD_REQUEST, HTML_TYPE, "Invalid JSON data");
      return NULL;
    }
  *request = json_node_get_object (root);
  *id = json_object_get_member (*request, "id");
  return root;
}

static JsonObject *
rpc_params (JsonObject *request)
{
  JsonNode *params = json_object_get_member (request, "params");

  return params && JSON_NODE_HOLDS_OBJECT (params) ? json_node_get_object (params) : NULL;
}

static void
handle_jsonrpc (KgDemoServer *self, SoupServerMessage *msg)
{
  JsonObject *request, *params;
  JsonNode *id;
  g_autoptr(JsonNode) root = parse_rpc_request (msg, "/jsonrpc", &request, &id);
  const char *service, *method;
  JsonArray *args;

  if (root == NULL)
    return;
  params = rpc_params (request);
  service = string_param (params, "service");
  method = string_param (params, "method");
  args = array_param (params, "args");

  if (service == NULL || method == NULL)
    {
      respond_rpc_simple_fault (self, msg, id, "builtins.TypeError",
                                "jsonrpc() missing 2 required positional arguments: 'service' and 'method'");
      return;
    }

  if (g_str_equal (service, "common"))
    handle_common (self, msg, id, method, args);
  else if (g_str_equal (service, "db"))
    handle_db (self, msg, id, method);
  else if (g_str_equal (service, "object"))
    handle_object (self, msg, id, method, args);
  else
    {
      g_autofree char *text = g_strdup_printf ("No such RPC service: %s", service);
      respond_rpc_simple_fault (self, msg, id, "builtins.Exception", text);
    }
}

/* ------------------------------------------------------------------------ */
/* Web routes                                                                */

static JsonNode *
session_info_node (KgDemoServer *self, const DemoUser *user)
{
  JsonObject *info = json_object_new ();
  JsonObject *context = json_object_new ();
  JsonObject *settings = json_object_new ();
  JsonObject *settings_user = json_object_new ();
  JsonObject *hashes = json_object_new ();
  JsonObject *currencies = json_object_new ();
  JsonObject *usd = json_object_new ();
  JsonArray *digits = json_array_new ();
  JsonObject *bundle = json_object_new ();
  JsonObject *companies = json_object_new ();
  JsonObject *allowed = json_object_new ();
  JsonObject *company = json_object_new ();
  JsonNode *version = version_node (self);
  JsonObject *version_object = json_node_get_object (version);
  JsonObject *view_info = json_object_new ();
  JsonObject *list_view = json_object_new ();
  JsonObject *form_view = json_object_new ();
  JsonObject *store_data = json_object_new ();
  JsonObject *store = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (list_view, "display_name", "List");
  json_object_set_string_member (list_view, "icon", "oi oi-view-list");
  json_object_set_boolean_member (list_view, "multi_record", TRUE);
  json_object_set_string_member (form_view, "display_name", "Form");
  json_object_set_string_member (form_view, "icon", "fa fa-address-card");
  json_object_set_boolean_member (form_view, "multi_record", FALSE);
  json_object_set_object_member (view_info, "list", list_view);
  json_object_set_object_member (view_info, "form", form_view);
  json_object_set_int_member (store, "internalUserGroupId", 1);
  json_object_set_object_member (store_data, "Store", store);

  json_object_set_int_member (context, "uid", user->uid);
  json_object_set_string_member (context, "lang", "en_US");
  json_object_set_string_member (context, "tz", "UTC");
  json_object_set_int_member (settings_user, "id", user->uid);
  json_object_set_int_member (settings, "id", user->uid);
  json_object_set_object_member (settings, "user_id", settings_user);
  json_object_set_string_member (hashes, "translations", "0000000000000000000000000000000000000000");
  json_object_set_string_member (hashes, "load_menus", "0000000000000000000000000000000000000000");
  json_object_set_string_member (usd, "symbol", "$");
  json_object_set_string_member (usd, "position", "before");
  json_array_add_int_element (digits, 69);
  json_array_add_int_element (digits, 2);
  json_object_set_array_member (usd, "digits", digits);
  json_object_set_object_member (currencies, "1", usd);
  json_object_set_string_member (bundle, "lang", "en_US");
  json_object_set_int_member (company, "id", 1);
  json_object_set_string_member (company, "name", "My Company");
  json_object_set_int_member (company, "sequence", 0);
  json_object_set_array_member (company, "child_ids", json_array_new ());
  json_object_set_boolean_member (company, "parent_id", FALSE);
  json_object_set_object_member (allowed, "1", company);
  json_object_set_int_member (companies, "current_company", 1);
  json_object_set_object_member (companies, "allowed_companies", allowed);
  json_object_set_object_member (companies, "disallowed_ancestor_companies", json_object_new ());

  json_object_set_int_member (info, "uid", user->uid);
  json_object_set_boolean_member (info, "is_system", user->is_admin);
  json_object_set_boolean_member (info, "is_admin", user->is_admin);
  json_object_set_boolean_member (info, "is_public", FALSE);
  json_object_set_boolean_member (info, "is_internal_user", TRUE);
  json_object_set_object_member (info, "user_context", context);
  json_object_set_string_member (info, "db", KG_DEMO_DATABASE);
  json_object_set_object_member (info, "user_settings", settings);
  json_object_set_member (info, "server_version",
                          json_node_copy (json_object_get_member (version_object, "server_version")));
  json_object_set_member (info, "server_version_info",
                          json_node_copy (json_object_get_member (version_object, "server_version_info")));
  json_object_set_string_member (info, "support_url", "https://www.odoo.com/buy");
  json_object_set_string_member (info, "name", user->name);
  json_object_set_string_member (info, "username", user->login);
  json_object_set_string_member (info, "partner_write_date", "2026-01-01 00:00:00");
  json_object_set_string_member (info, "partner_display_name", user->name);
  json_object_set_int_member (info, "partner_id", user->partner_id);
  json_object_set_string_member (info, "web.base.url", self->url ? self->url : "http://127.0.0.1");
  json_object_set_int_member (info, "active_ids_limit", 20000);
  json_object_set_null_member (info, "profile_session");
  json_object_set_null_member (info, "profile_collectors");
  json_object_set_null_member (info, "profile_params");
  json_object_set_int_member (info, "max_file_upload_size", 134217728);
  json_object_set_boolean_member (info, "home_action_id", FALSE);
  json_object_set_object_member (info, "cache_hashes", hashes);
  json_object_set_object_member (info, "currencies", currencies);
  json_object_set_object_member (info, "bundle_params", bundle);
  json_object_set_boolean_member (info, "test_mode", FALSE);
  json_object_set_object_member (info, "view_info", view_info);
  json_object_set_object_member (info, "user_companies", companies);
  json_object_set_boolean_member (info, "show_effect", TRUE);
  json_object_set_boolean_member (info, "display_switch_company_menu", FALSE);
  json_object_set_string_member (info, "websocket_worker_version", self->odoo19 ? "19.0-1" : "18.0-5");
  json_object_set_boolean_member (info, "tour_enabled", FALSE);
  json_object_set_null_member (info, "current_tour");
  json_object_set_object_member (info, "storeData", store_data);
  json_node_unref (version);

  json_node_take_object (node, info);
  return node;
}

static void
handle_session_authenticate (KgDemoServer *self, SoupServerMessage *msg)
{
  JsonObject *request, *params;
  JsonNode *id;
  g_autoptr(JsonNode) root = parse_rpc_request (msg, "/web/session/authenticate", &request, &id);
  const char *db, *login, *password;
  const char *address;
  LoginFailures *failures;
  const DemoUser *user;
  gint64 now = g_get_monotonic_time ();

  if (root == NULL)
    return;
  params = rpc_params (request);
  db = string_param (params, "db");
  login = string_param (params, "login");
  password = string_param (params, "password");

  if (g_strcmp0 (db, KG_DEMO_DATABASE) != 0)
    {
      Fault fault = { 0 };

      fault_unknown_database (&fault, db);
      respond_rpc_fault (self, msg, id, &fault);
      fault_clear (&fault);
      return;
    }

  address = soup_server_message_get_remote_host (msg);
  if (address == NULL)
    address = "";
  failures = g_hash_table_lookup (self->failures, address);
  if (failures != NULL && failures->count >= self->cooldown_after
      && now - failures->last < (gint64) self->cooldown_seconds * G_USEC_PER_SEC)
    {
      respond_rpc_simple_fault (self, msg, id, "odoo.exceptions.AccessDenied", COOLDOWN_MESSAGE);
      return;
    }

  user = user_by_login (login);
  if (user == NULL || user->password == NULL || password == NULL
      || !g_str_equal (user->password, password))
    {
      if (failures == NULL)
        {
          failures = g_new0 (LoginFailures, 1);
          g_hash_table_insert (self->failures, g_strdup (address), failures);
        }
      failures->count++;
      failures->last = now;
      respond_rpc_simple_fault (self, msg, id, "odoo.exceptions.AccessDenied", "Access Denied");
      return;
    }

  g_hash_table_remove (self->failures, address);
  if (user->totp)
    {
      g_autofree char *sid = new_session (self, 0);
      JsonObject *result = json_object_new ();
      JsonNode *node = json_node_new (JSON_NODE_OBJECT);

      json_object_set_null_member (result, "uid");
      json_node_take_object (node, result);
      set_session_cookie (msg, sid);
      respond_rpc_result (msg, id, node);
    }
  else
    {
      g_autofree char *sid = new_session (self, user->uid);

      set_session_cookie (msg, sid);
      respond_rpc_result (msg, id, session_info_node (self, user));
    }
}

static const DemoUser *
session_user (KgDemoServer *self, SoupServerMessage *msg)
{
  g_autofree char *sid = NULL;
  gpointer uid;

  if (request_session_id (msg, &sid) == NULL)
    return NULL;
  if (!g_hash_table_lookup_extended (self->sessions, sid, NULL, &uid))
    return NULL;
  return user_by_uid (GPOINTER_TO_UINT (uid));
}

static void
handle_get_session_info (KgDemoServer *self, SoupServerMessage *msg)
{
  JsonObject *request;
  JsonNode *id;
  g_autoptr(JsonNode) root = parse_rpc_request (msg, "/web/session/get_session_info", &request, &id);
  const DemoUser *user;

  if (root == NULL)
    return;
  user = session_user (self, msg);
  if (user == NULL)
    {
      g_autoptr(JsonObject) envelope = json_object_new ();
      JsonObject *error = json_object_new ();
      Fault fault = { 0 };

      fault_set (&fault, 401, "odoo.http.SessionExpiredException", FALSE, "Session expired");
      json_object_set_int_member (error, "code", 100);
      json_object_set_string_member (error, "message", "Odoo Session Expired");
      json_object_set_object_member (error, "data", fault_to_object (&fault, self->odoo19));
      json_object_set_string_member (envelope, "jsonrpc", "2.0");
      json_object_set_null_member (envelope, "id");
      json_object_set_object_member (envelope, "error", error);
      respond_object (msg, SOUP_STATUS_OK, envelope);
      fault_clear (&fault);
      return;
    }
  respond_rpc_result (msg, id, session_info_node (self, user));
}

static void
handle_database_list (KgDemoServer *self, SoupServerMessage *msg)
{
  JsonObject *request;
  JsonNode *id;
  g_autoptr(JsonNode) root = parse_rpc_request (msg, "/web/database/list", &request, &id);
  JsonArray *list;

  if (root == NULL)
    return;
  if (!self->list_db)
    {
      respond_rpc_simple_fault (self, msg, id, "odoo.exceptions.AccessDenied", "Access Denied");
      return;
    }
  list = json_array_new ();
  json_array_add_string_element (list, KG_DEMO_DATABASE);
  set_anonymous_session (self, msg);
  respond_rpc_result (msg, id, array_to_node (list));
}

static void
handle_version_info (KgDemoServer *self, SoupServerMessage *msg)
{
  JsonObject *request;
  JsonNode *id;
  g_autoptr(JsonNode) root = parse_rpc_request (msg, "/web/webclient/version_info", &request, &id);

  if (root == NULL)
    return;
  set_anonymous_session (self, msg);
  respond_rpc_result (msg, id, version_node (self));
}

/* ------------------------------------------------------------------------ */
/* Token module                                                              */

static void
respond_token_object (SoupServerMessage *msg, guint status, JsonObject *object)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "Pragma", "no-cache");
  respond_object (msg, status, object);
}

static void
respond_token_error (SoupServerMessage *msg, guint status, const char *error, const char *message)
{
  g_autoptr(JsonObject) object = json_object_new ();

  json_object_set_string_member (object, "error", error);
  json_object_set_string_member (object, "message", message);
  respond_token_object (msg, status, object);
}

static void
respond_database_not_found (SoupServerMessage *msg, const char *db)
{
  g_autofree char *text = g_strdup_printf ("No database named '%s' with token_api_probe installed "
                                           "is served here.", db);

  respond_token_error (msg, SOUP_STATUS_NOT_FOUND, "Database not found", text);
}

/* Parses an optional JSON object body. Returns FALSE (after answering
 * 400) when a body is present but not a JSON object. */
static gboolean
parse_token_body (SoupServerMessage *msg, gboolean required, JsonNode **root_out, JsonObject **body)
{
  gboolean empty = FALSE;
  JsonNode *root = parse_json_body (msg, &empty);

  *root_out = NULL;
  *body = NULL;
  if ((root == NULL && (!empty || required)) || (root != NULL && !JSON_NODE_HOLDS_OBJECT (root)))
    {
      g_clear_pointer (&root, json_node_unref);
      respond_token_error (msg, SOUP_STATUS_BAD_REQUEST, "Invalid JSON body",
                           "The request body must be a JSON object.");
      return FALSE;
    }
  *root_out = root;
  *body = root ? json_node_get_object (root) : NULL;
  return TRUE;
}

static void
handle_token_exchange (KgDemoServer *self, SoupServerMessage *msg)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonObject) answer = NULL;
  JsonObject *body;
  const char *db, *key;
  const DemoUser *user;
  g_autofree char *token = NULL;
  DemoToken *stored;

  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST)
    {
      respond_method_not_allowed (msg);
      return;
    }
  if (!parse_token_body (msg, FALSE, &root, &body))
    return;

  db = request_header (msg, self->db_header);
  if (db == NULL)
    db = string_param (body, "db");
  key = request_header (msg, self->key_header);
  if (key == NULL)
    key = string_param (body, "api_key");

  if (db == NULL)
    {
      g_autofree char *text = g_strdup_printf ("Send the database name in the '%s' header or as 'db' "
                                               "in the JSON body.", self->db_header);
      respond_token_error (msg, SOUP_STATUS_BAD_REQUEST, "Missing database", text);
      return;
    }
  if (key == NULL)
    {
      g_autofree char *text = g_strdup_printf ("Send the API key in the '%s' header or as 'api_key' "
                                               "in the JSON body.", self->key_header);
      respond_token_error (msg, SOUP_STATUS_BAD_REQUEST, "Missing API key", text);
      return;
    }
  if (!g_str_equal (db, KG_DEMO_DATABASE))
    {
      respond_database_not_found (msg, db);
      return;
    }
  user = user_for_key (self, key);
  if (user == NULL)
    {
      respond_token_error (msg, SOUP_STATUS_UNAUTHORIZED, "Invalid API key",
                           "The API key is unknown, revoked, expired, or belongs to an inactive user.");
      return;
    }

  token = random_token (32);
  stored = g_new0 (DemoToken, 1);
  stored->uid = user->uid;
  stored->expires = g_get_real_time () + (gint64) self->token_lifetime * G_USEC_PER_SEC;
  g_hash_table_insert (self->tokens, g_strdup (token), stored);

  answer = json_object_new ();
  set_at_path (answer, self->token_path, string_node (token));
  json_object_set_string_member (answer, "token_type", "Bearer");
  set_at_path (answer, self->expires_in_path, int_node (self->token_lifetime));
  json_object_set_int_member (answer, "uid", user->uid);
  respond_token_object (msg, SOUP_STATUS_OK, answer);
}

/* The create step shared by the token route and the key route. */
static void
create_project_for (KgDemoServer *self, SoupServerMessage *msg, const DemoUser *user, JsonObject *body)
{
  const char *name = string_param (body, "project_name");
  const char *description = string_param (body, "project_description");
  g_autoptr(JsonObject) answer = NULL;
  guint id;

  if (name == NULL || *name == '\0')
    {
      respond_token_error (msg, SOUP_STATUS_BAD_REQUEST, "Missing project_name",
                           "The JSON body must contain a non-empty string 'project_name'.");
      return;
    }
  if (!user->project_admin)
    {
      respond_token_error (msg, SOUP_STATUS_FORBIDDEN, "Access denied", ACCESS_ERROR_CREATE_PROJECT);
      return;
    }

  id = add_project (self, name, description, user->uid);
  answer = json_object_new ();
  json_object_set_string_member (answer, "status", "success");
  json_object_set_string_member (answer, "message", "Project created successfully");
  json_object_set_int_member (answer, "project_id", id);
  respond_token_object (msg, SOUP_STATUS_OK, answer);
}

static const char *
resolve_database (KgDemoServer *self, SoupServerMessage *msg, JsonObject *body)
{
  const char *db = request_header (msg, self->db_header);

  if (db == NULL)
    db = string_param (body, "db");
  if (db == NULL)
    db = KG_DEMO_DATABASE;   /* the only database served here */
  return db;
}

static void
handle_project_create (KgDemoServer *self, SoupServerMessage *msg)
{
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (msg);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *body;
  const char *token, *db;
  DemoToken *stored;
  const DemoUser *user;

  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST)
    {
      respond_method_not_allowed (msg);
      return;
    }

  token = bearer_token (request_header (msg, "Authorization"));
  if (token == NULL)
    token = request_header (msg, self->token_header);
  if (token == NULL)
    {
      g_autofree char *text = g_strdup_printf ("Send 'Authorization: Bearer <token>' or '%s: <token>'.",
                                               self->token_header);
      soup_message_headers_replace (response_headers, "WWW-Authenticate", "Bearer realm=\"odoo\"");
      respond_token_error (msg, SOUP_STATUS_UNAUTHORIZED, "Missing access token", text);
      return;
    }

  if (!parse_token_body (msg, TRUE, &root, &body))
    return;
  db = resolve_database (self, msg, body);
  if (!g_str_equal (db, KG_DEMO_DATABASE))
    {
      respond_database_not_found (msg, db);
      return;
    }

  stored = g_hash_table_lookup (self->tokens, token);
  user = stored ? user_by_uid (stored->uid) : NULL;
  if (user == NULL)
    {
      soup_message_headers_replace (response_headers, "WWW-Authenticate",
                                    "Bearer realm=\"odoo\", error=\"invalid_token\"");
      respond_token_error (msg, SOUP_STATUS_UNAUTHORIZED, "Invalid access token",
                           "The access token is unknown or its user is inactive.");
      return;
    }
  if (stored->expires <= g_get_real_time ())
    {
      soup_message_headers_replace (response_headers, "WWW-Authenticate",
                                    "Bearer realm=\"odoo\", error=\"invalid_token\"");
      respond_token_error (msg, SOUP_STATUS_UNAUTHORIZED, "Access token expired",
                           "The access token has expired; exchange the API key for a new one.");
      return;
    }

  create_project_for (self, msg, user, body);
}

static void
handle_key_project_create (KgDemoServer *self, SoupServerMessage *msg)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *body;
  const char *key, *db;
  const DemoUser *user;

  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST)
    {
      respond_method_not_allowed (msg);
      return;
    }

  key = request_header (msg, self->api_key_header);
  if (key == NULL)
    {
      g_autofree char *text = g_strdup_printf ("Send the API key in the '%s' header.", self->api_key_header);
      respond_token_error (msg, SOUP_STATUS_UNAUTHORIZED, "Missing API key", text);
      return;
    }
  if (!parse_token_body (msg, TRUE, &root, &body))
    return;
  db = resolve_database (self, msg, body);
  if (!g_str_equal (db, KG_DEMO_DATABASE))
    {
      respond_database_not_found (msg, db);
      return;
    }
  user = user_for_key (self, key);
  if (user == NULL)
    {
      respond_token_error (msg, SOUP_STATUS_UNAUTHORIZED, "Invalid API key",
                           "The API key is unknown, revoked, expired, or belongs to an inactive user.");
      return;
    }
  create_project_for (self, msg, user, body);
}

/* ------------------------------------------------------------------------ */
/* JSON-2                                                                    */

static void
respond_json2_fault (SoupServerMessage *msg, const Fault *fault)
{
  g_autoptr(JsonObject) object = fault_to_object (fault, TRUE);

  if (fault->status == SOUP_STATUS_UNAUTHORIZED)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  "WWW-Authenticate", "Bearer");
  respond_object (msg, fault->status, object);
}

static void
respond_unsupported_media (SoupServerMessage *msg, const char *route)
{
  g_autofree char *escaped = g_markup_escape_text (route, -1);
  g_autofree char *text = g_strdup_printf ("Request inferred type is compatible with [&#39;http&#39;] "
                                           "but &#39;%s&#39; is type=&#39;json2&#39;.<br><br>Please "
                                           "verify the Content-Type request header and try again.",
                                           escaped);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Accept",
                                "application/json");
  respond_werkzeug (msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "Unsupported Media Type", text);
}

static void
handle_json2 (KgDemoServer *self, SoupServerMessage *msg, const char *path)
{
  const char *rest = path + strlen ("/json/2/");
  g_auto(GStrv) parts = g_strsplit (rest, "/", -1);
  gboolean well_formed = g_strv_length (parts) == 2 && *parts[0] && *parts[1];
  gboolean post = soup_server_message_get_method (msg) == SOUP_METHOD_POST;
  const char *db = request_header (msg, "X-Odoo-Database");
  const char *authorization = request_header (msg, "Authorization");
  const char *key;
  const DemoUser *user, *cookie_user;
  Fault fault = { 0 };
  g_autoptr(JsonNode) root = NULL;
  gboolean empty = FALSE;
  JsonObject *body = NULL;
  g_autoptr(JsonObject) params = NULL;
  g_autoptr(JsonArray) ids = NULL;
  const DemoMethod *method;
  JsonNode *result;
  const char *model, *name;

  if (!self->json2)
    {
      respond_werkzeug (msg, SOUP_STATUS_NOT_FOUND, "Not Found",
                        "The requested URL was not found on the server. If you entered the URL "
                        "manually please check your spelling and try again.");
      return;
    }

  if (!is_json_content_type (msg))
    {
      respond_unsupported_media (msg, post && well_formed ? "/json/2/<__model__>/<__method__>" : "/json/2");
      return;
    }
  if (!post || !well_formed)
    {
      fault_set (&fault, 404, "werkzeug.exceptions.NotFound", TRUE,
                 "Did you mean POST /json/2/<model>/<method>?");
      goto fail;
    }
  model = parts[0];
  name = parts[1];

  if (db != NULL && !g_str_equal (db, KG_DEMO_DATABASE))
    {
      respond_text (msg, SOUP_STATUS_NOT_FOUND, HTML_TYPE,
                    "<!DOCTYPE html>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n"
                    "<p>No database is selected and the requested URL was not found in the "
                    "server-wide controllers.</p>\n<p>Please verify the hostname, <a href=/web/login>"
                    "login</a> and try again.</p>\n\n<!-- Alternatively, use the X-Odoo-Database "
                    "header. -->\n");
      return;
    }

  cookie_user = session_user (self, msg);
  key = bearer_token (authorization);
  if (key == NULL)
    {
      if (cookie_user != NULL)
        fault_set (&fault, 401, "werkzeug.exceptions.Unauthorized", TRUE,
                   "Missing \"Authorization\" or Sec-headers for interactive usage.");
      else
        fault_set (&fault, 401, "werkzeug.exceptions.Unauthorized", TRUE,
                   "User not authenticated, use an API Key with a Bearer Authorization header.");
      goto fail;
    }
  user = user_for_key (self, key);
  if (user == NULL)
    {
      fault_set (&fault, 401, "werkzeug.exceptions.Unauthorized", TRUE, "Invalid apikey");
      goto fail;
    }
  if (cookie_user != NULL && cookie_user != user)
    {
      fault_set (&fault, 403, "odoo.exceptions.AccessDenied", FALSE,
                 "Session user does not match the used apikey.");
      goto fail;
    }

  root = parse_json_body (msg, &empty);
  if (root == NULL && !empty)
    {
      fault_set (&fault, 400, "werkzeug.exceptions.BadRequest", TRUE,
                 "could not parse the body as json: Expecting value: line 1 column 1 (char 0)");
      goto fail;
    }
  if (root != NULL && !JSON_NODE_HOLDS_OBJECT (root))
    {
      fault_set (&fault, 422, "werkzeug.exceptions.UnprocessableEntity", TRUE,
                 "the request body must be a JSON object of named arguments");
      goto fail;
    }
  body = root ? json_node_get_object (root) : NULL;

  method = lookup_method (model, name, &fault);
  if (method == NULL)
    goto fail;

  params = json_object_new ();
  if (body != NULL)
    {
      JsonObjectIter iter;
      const char *member;
      JsonNode *value;
      JsonNode *ids_node = json_object_get_member (body, "ids");

      if (ids_node != NULL && !method->record)
        {
          fault_set (&fault, 422, "werkzeug.exceptions.UnprocessableEntity", TRUE,
                     "cannot call %s.%s with ids", model, name);
          goto fail;
        }
      if (ids_node != NULL)
        {
          if (!JSON_NODE_HOLDS_ARRAY (ids_node))
            {
              fault_set (&fault, 422, "werkzeug.exceptions.UnprocessableEntity", TRUE,
                         "ids must be a list of integers");
              goto fail;
            }
          ids = json_array_ref (json_node_get_array (ids_node));
        }

      for (guint i = 0; i < method->n_required; i++)
        if (!json_object_has_member (body, method->params[i]))
          {
            fault_set (&fault, 422, "werkzeug.exceptions.UnprocessableEntity", TRUE,
                       "missing a required argument: '%s'", method->params[i]);
            goto fail;
          }

      json_object_iter_init (&iter, body);
      while (json_object_iter_next (&iter, &member, &value))
        {
          if (g_str_equal (member, "ids") || g_str_equal (member, "context"))
            continue;
          if (!g_strv_contains (method->params, member))
            {
              fault_set (&fault, 422, "werkzeug.exceptions.UnprocessableEntity", TRUE,
                         "got an unexpected keyword argument '%s'", member);
              goto fail;
            }
          json_object_set_member (params, member, json_node_copy (value));
        }
    }
  else if (method->n_required > 0)
    {
      fault_set (&fault, 422, "werkzeug.exceptions.UnprocessableEntity", TRUE,
                 "missing a required argument: '%s'", method->params[0]);
      goto fail;
    }

  if (method->record && ids == NULL)
    ids = json_array_new ();

  /* JSON-2's create always takes a list and gives a list. */
  if (g_str_equal (name, "create"))
    {
      JsonNode *vals = json_object_get_member (params, "vals_list");

      if (vals != NULL && JSON_NODE_HOLDS_OBJECT (vals))
        {
          JsonArray *list = json_array_new ();

          json_array_add_element (list, json_node_copy (vals));
          json_object_set_array_member (params, "vals_list", list);
        }
    }

  result = invoke (self, user, model, method, ids, params, &fault);
  if (result == NULL)
    goto fail;
  respond_node (msg, SOUP_STATUS_OK, result);
  json_node_unref (result);
  return;

fail:
  respond_json2_fault (msg, &fault);
  fault_clear (&fault);
}

/* ------------------------------------------------------------------------ */
/* Hostile variants                                                          */

typedef struct {
  KgDemoServer *self;       /* not owned: the server outlives its calls */
  SoupServerMessage *msg;
  char *rest;
  GHashTable *query;
  GSource *source;
  gulong finished_id;
} SlowCall;

static void
slow_call_free (SlowCall *call)
{
  if (call->finished_id != 0)
    g_signal_handler_disconnect (call->msg, call->finished_id);
  if (call->source != NULL)
    {
      g_source_destroy (call->source);
      g_source_unref (call->source);
    }
  g_clear_object (&call->msg);
  g_clear_pointer (&call->query, g_hash_table_unref);
  g_free (call->rest);
  g_free (call);
}

static gboolean
slow_call_fire_cb (gpointer data)
{
  SlowCall *call = data;
  KgDemoServer *self = call->self;
  SoupServerMessage *msg = g_object_ref (call->msg);

  g_mutex_lock (&self->lock);
  self->slow_calls = g_list_remove (self->slow_calls, call);
  g_clear_pointer (&call->source, g_source_unref);   /* it is being dispatched */
  {
    /* The rest of the path is answered normally, even in hostile mode. */
    char *mode = g_steal_pointer (&self->hostile_mode);

    dispatch (self, msg, call->rest, call->query);
    g_clear_pointer (&self->hostile_mode, g_free);
    self->hostile_mode = mode;
  }
  g_mutex_unlock (&self->lock);

  slow_call_free (call);
  soup_server_message_unpause (msg);
  g_object_unref (msg);
  return G_SOURCE_REMOVE;
}

static void
slow_call_finished_cb (SoupServerMessage *msg, gpointer data)
{
  SlowCall *call = data;
  KgDemoServer *self = call->self;

  /* The client went away (or the server stopped) before the answer. */
  g_mutex_lock (&self->lock);
  self->slow_calls = g_list_remove (self->slow_calls, call);
  g_mutex_unlock (&self->lock);
  slow_call_free (call);
}

static const char *
query_value (GHashTable *query, const char *name)
{
  return query ? g_hash_table_lookup (query, name) : NULL;
}

static void
hostile_slow (KgDemoServer *self, SoupServerMessage *msg, const char *rest, GHashTable *query)
{
  const char *seconds = query_value (query, "seconds");
  guint msec = self->slow_msec;
  SlowCall *call;

  if (seconds != NULL)
    msec = (guint) CLAMP (g_ascii_strtod (seconds, NULL) * 1000.0, 0.0, 3600.0 * 1000.0);

  call = g_new0 (SlowCall, 1);
  call->self = self;
  call->msg = g_object_ref (msg);
  call->rest = g_strdup (rest);
  call->query = query ? g_hash_table_ref (query) : NULL;
  call->source = g_timeout_source_new (msec);
  g_source_set_callback (call->source, slow_call_fire_cb, call, NULL);
  g_source_attach (call->source, g_main_context_get_thread_default ());
  call->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (slow_call_finished_cb), call);
  self->slow_calls = g_list_prepend (self->slow_calls, call);
  soup_server_message_pause (msg);
}

typedef struct {
  guint64 remaining;        /* bytes of filler still to send */
  gboolean closed;
} HugeState;

#define HUGE_CHUNK (64 * 1024)

static void
huge_write_next_cb (SoupServerMessage *msg, gpointer data)
{
  HugeState *state = data;
  SoupMessageBody *body = soup_server_message_get_response_body (msg);

  if (state->remaining > 0)
    {
      gsize n = (gsize) MIN (state->remaining, HUGE_CHUNK);
      char *chunk = g_malloc (n);

      memset (chunk, 'x', n);
      soup_message_body_append (body, SOUP_MEMORY_TAKE, chunk, n);
      state->remaining -= n;
    }
  else if (!state->closed)
    {
      state->closed = TRUE;
      soup_message_body_append (body, SOUP_MEMORY_STATIC, "\"}", 2);
      soup_message_body_complete (body);
    }
}

static void
hostile_huge (KgDemoServer *self, SoupServerMessage *msg, GHashTable *query)
{
  const char *mib = query_value (query, "mib");
  guint64 size = (guint64) (mib ? g_ascii_strtoull (mib, NULL, 10) : self->huge_mib) * 1024 * 1024;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  static const char head[] = "{\"jsonrpc\": \"2.0\", \"id\": 1, \"result\": \"";
  HugeState *state = g_new0 (HugeState, 1);

  state->remaining = size;
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_headers_set_content_type (headers, "application/json", NULL);
  soup_message_body_set_accumulate (body, FALSE);
  soup_message_body_append (body, SOUP_MEMORY_STATIC, head, strlen (head));
  g_signal_connect (msg, "wrote-chunk", G_CALLBACK (huge_write_next_cb), state);
  g_signal_connect_swapped (msg, "finished", G_CALLBACK (g_free), state);
}

static void
hostile_redirect (KgDemoServer *self, SoupServerMessage *msg, const char *rest, GHashTable *query)
{
  const char *to = query_value (query, "to");
  const char *status = query_value (query, "status");
  g_autofree char *location = NULL;
  guint code = SOUP_STATUS_FOUND;

  if (status && (g_str_equal (status, "307") || g_str_equal (status, "308") || g_str_equal (status, "301")
                 || g_str_equal (status, "303")))
    code = (guint) g_ascii_strtoull (status, NULL, 10);

  if (to != NULL)
    location = g_strdup (to);
  else if (self->redirect_base != NULL)
    location = g_strconcat (self->redirect_base, rest, NULL);
  else
    location = g_strdup (rest);

  soup_server_message_set_redirect (msg, code, location);
}

static void
handle_hostile (KgDemoServer *self, SoupServerMessage *msg, const char *kind, const char *rest,
                GHashTable *query)
{
  if (g_str_equal (kind, "slow"))
    hostile_slow (self, msg, rest, query);
  else if (g_str_equal (kind, "html"))
    respond_text (msg, SOUP_STATUS_OK, HTML_TYPE,
                  "<!DOCTYPE html>\n<html>\n<head><meta charset=\"utf-8\"/><title>Odoo</title></head>\n"
                  "<body>\n<form class=\"oe_login_form\" role=\"form\" method=\"post\" action=\"/web/login\">\n"
                  "<input type=\"hidden\" name=\"csrf_token\" value=\"0000000000000000000000000000000000000000o0\"/>\n"
                  "<label for=\"login\">Email</label><input type=\"text\" name=\"login\" id=\"login\"/>\n"
                  "<label for=\"password\">Password</label><input type=\"password\" name=\"password\" id=\"password\"/>\n"
                  "<button type=\"submit\">Log in</button>\n</form>\n</body>\n</html>\n");
  else if (g_str_equal (kind, "garbage"))
    respond_text (msg, SOUP_STATUS_OK, JSON_TYPE,
                  "{\"jsonrpc\": \"2.0\", \"id\": 1, \"result\": {\"uid\": 6,, <html>\x01 not json");
  else if (g_str_equal (kind, "huge"))
    hostile_huge (self, msg, query);
  else if (g_str_equal (kind, "redirect"))
    hostile_redirect (self, msg, rest, query);
  else
    respond_not_found_page (self, msg);
}

/* ------------------------------------------------------------------------ */
/* Dispatch                                                                  */

static void
dispatch (KgDemoServer *self, SoupServerMessage *msg, const char *path, GHashTable *query)
{
  if (self->hostile_mode != NULL && !g_str_has_prefix (path, "/hostile/"))
    {
      g_autofree char *kind = g_strdup (self->hostile_mode);
      g_clear_pointer (&self->hostile_mode, g_free);   /* the slow kind re-enters dispatch */
      handle_hostile (self, msg, kind, path, query);
      self->hostile_mode = g_steal_pointer (&kind);
      return;
    }

  if (g_str_has_prefix (path, "/hostile/"))
    {
      const char *kind = path + strlen ("/hostile/");
      const char *slash = strchr (kind, '/');
      g_autofree char *name = slash ? g_strndup (kind, (gsize) (slash - kind)) : g_strdup (kind);

      handle_hostile (self, msg, name, slash ? slash : "/", query);
      return;
    }

  if (g_str_equal (path, "/jsonrpc"))
    handle_jsonrpc (self, msg);
  else if (g_str_equal (path, "/web/session/authenticate"))
    handle_session_authenticate (self, msg);
  else if (g_str_equal (path, "/web/session/get_session_info"))
    handle_get_session_info (self, msg);
  else if (g_str_equal (path, "/web/database/list"))
    handle_database_list (self, msg);
  else if (g_str_equal (path, "/web/webclient/version_info"))
    handle_version_info (self, msg);
  else if (g_str_equal (path, "/auth/token/apikey"))
    handle_token_exchange (self, msg);
  else if (g_str_equal (path, "/api/project/create"))
    handle_project_create (self, msg);
  else if (g_str_equal (path, "/api/key/project/create"))
    handle_key_project_create (self, msg);
  else if (g_str_has_prefix (path, "/json/2/") || g_str_equal (path, "/json/2"))
    {
      if (g_str_equal (path, "/json/2"))
        handle_json2 (self, msg, "/json/2/");
      else
        handle_json2 (self, msg, path);
    }
  else
    respond_not_found_page (self, msg);
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  KgDemoServer *self = user_data;
  guint count;

  g_mutex_lock (&self->lock);
  self->request_count++;
  count = GPOINTER_TO_UINT (g_hash_table_lookup (self->path_counts, path));
  g_hash_table_insert (self->path_counts, g_strdup (path), GUINT_TO_POINTER (count + 1));
  dispatch (self, msg, path, query);
  g_mutex_unlock (&self->lock);
}

/* ------------------------------------------------------------------------ */
/* Life cycle                                                                */

static void
kg_demo_server_stop_in_context (KgDemoServer *self)
{
  GList *calls;

  if (self->server == NULL)
    return;
  soup_server_disconnect (self->server);

  g_mutex_lock (&self->lock);
  calls = g_steal_pointer (&self->slow_calls);
  g_mutex_unlock (&self->lock);
  g_list_free_full (calls, (GDestroyNotify) slow_call_free);

  g_clear_object (&self->server);
}

static void
kg_demo_server_dispose (GObject *object)
{
  KgDemoServer *self = KG_DEMO_SERVER (object);

  kg_demo_server_stop (self);
  G_OBJECT_CLASS (kg_demo_server_parent_class)->dispose (object);
}

static void
kg_demo_server_finalize (GObject *object)
{
  KgDemoServer *self = KG_DEMO_SERVER (object);

  g_free (self->url);
  g_free (self->key_header);
  g_free (self->db_header);
  g_free (self->token_header);
  g_free (self->api_key_header);
  g_free (self->token_path);
  g_free (self->expires_in_path);
  g_free (self->hostile_mode);
  g_free (self->redirect_base);
  g_clear_pointer (&self->epoch, g_date_time_unref);
  g_clear_pointer (&self->projects, g_ptr_array_unref);
  g_clear_pointer (&self->tokens, g_hash_table_unref);
  g_clear_pointer (&self->sessions, g_hash_table_unref);
  g_clear_pointer (&self->failures, g_hash_table_unref);
  g_clear_pointer (&self->path_counts, g_hash_table_unref);
  g_clear_error (&self->start_error);
  g_mutex_clear (&self->lock);
  g_mutex_clear (&self->start_lock);
  g_cond_clear (&self->start_cond);

  G_OBJECT_CLASS (kg_demo_server_parent_class)->finalize (object);
}

static void
kg_demo_server_class_init (KgDemoServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kg_demo_server_dispose;
  object_class->finalize = kg_demo_server_finalize;
}

static void
kg_demo_server_init (KgDemoServer *self)
{
  g_mutex_init (&self->lock);
  g_mutex_init (&self->start_lock);
  g_cond_init (&self->start_cond);

  self->list_db = TRUE;
  self->json2 = TRUE;
  self->token_lifetime = 3600;
  self->key_header = g_strdup ("X-API-Key");
  self->db_header = g_strdup ("X-Odoo-Database");
  self->token_header = g_strdup ("X-Access-Token");
  self->api_key_header = g_strdup ("API-KEY");
  self->token_path = g_strdup ("access_token");
  self->expires_in_path = g_strdup ("expires_in");
  self->cooldown_after = 10;
  self->cooldown_seconds = 60;
  self->slow_msec = 5000;
  self->huge_mib = 16;

  self->epoch = g_date_time_new_now_utc ();
  self->projects = g_ptr_array_new_with_free_func (demo_project_free);
  self->next_project_id = 1;
  self->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->failures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->path_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  /* One project exists from the start, made by the administrator. */
  add_project (self, "Internal", "Seeded by the demo server", KG_DEMO_ADMIN_UID);
}

KgDemoServer *
kg_demo_server_new (void)
{
  return g_object_new (KG_TYPE_DEMO_SERVER, NULL);
}

gboolean
kg_demo_server_start (KgDemoServer  *self,
                      guint          port,
                      GError       **error)
{
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  GSList *uris;

  g_return_val_if_fail (KG_IS_DEMO_SERVER (self), FALSE);
  g_return_val_if_fail (self->server == NULL, FALSE);
  g_return_val_if_fail (port <= G_MAXUINT16, FALSE);

  server = soup_server_new ("server-header", "Werkzeug/2.2.2 Python/3.11.2 (keygate-demo) ", NULL);
  soup_server_add_handler (server, NULL, server_cb, self, NULL);
  address = g_inet_socket_address_new_from_string ("127.0.0.1", port);
  if (!soup_server_listen (server, address, 0, error))
    return FALSE;

  uris = soup_server_get_uris (server);
  g_mutex_lock (&self->lock);
  self->port = uris ? (guint) g_uri_get_port (uris->data) : port;
  g_free (self->url);
  self->url = g_strdup_printf ("http://127.0.0.1:%u", self->port);
  self->server = g_steal_pointer (&server);
  g_mutex_unlock (&self->lock);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return TRUE;
}

static gboolean
quit_thread_loop_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static gpointer
server_thread (gpointer data)
{
  KgDemoServer *self = data;
  GError *error = NULL;
  gboolean ok;

  g_main_context_push_thread_default (self->thread_context);
  ok = kg_demo_server_start (self, 0, &error);

  g_mutex_lock (&self->start_lock);
  self->start_done = TRUE;
  self->start_error = error;
  g_cond_signal (&self->start_cond);
  g_mutex_unlock (&self->start_lock);

  if (ok)
    g_main_loop_run (self->thread_loop);

  kg_demo_server_stop_in_context (self);
  /* Let the server's pending sources finish their cleanup. */
  while (g_main_context_iteration (self->thread_context, FALSE))
    ;
  g_main_context_pop_thread_default (self->thread_context);
  return NULL;
}

gboolean
kg_demo_server_start_in_thread (KgDemoServer  *self,
                                GError       **error)
{
  g_return_val_if_fail (KG_IS_DEMO_SERVER (self), FALSE);
  g_return_val_if_fail (self->thread == NULL && self->server == NULL, FALSE);

  self->thread_context = g_main_context_new ();
  self->thread_loop = g_main_loop_new (self->thread_context, FALSE);
  self->start_done = FALSE;
  self->thread = g_thread_new ("kg-demo-server", server_thread, self);

  g_mutex_lock (&self->start_lock);
  while (!self->start_done)
    g_cond_wait (&self->start_cond, &self->start_lock);
  g_mutex_unlock (&self->start_lock);

  if (self->start_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&self->start_error));
      kg_demo_server_stop (self);
      return FALSE;
    }
  return TRUE;
}

void
kg_demo_server_stop (KgDemoServer *self)
{
  g_return_if_fail (KG_IS_DEMO_SERVER (self));

  if (self->thread != NULL)
    {
      /* Quit from inside the thread's context: a g_main_loop_quit() sent
       * before the thread reached g_main_loop_run() would be lost. */
      g_main_context_invoke (self->thread_context, quit_thread_loop_cb, self->thread_loop);
      g_thread_join (g_steal_pointer (&self->thread));
      g_clear_pointer (&self->thread_loop, g_main_loop_unref);
      g_clear_pointer (&self->thread_context, g_main_context_unref);
      return;
    }
  kg_demo_server_stop_in_context (self);
}

const char *
kg_demo_server_get_url (KgDemoServer *self)
{
  g_return_val_if_fail (KG_IS_DEMO_SERVER (self), NULL);
  return self->url;
}

guint
kg_demo_server_get_port (KgDemoServer *self)
{
  g_return_val_if_fail (KG_IS_DEMO_SERVER (self), 0);
  return self->port;
}

/* ------------------------------------------------------------------------ */
/* Switches                                                                  */

#define LOCKED(stmt) G_STMT_START { g_mutex_lock (&self->lock); stmt; g_mutex_unlock (&self->lock); } G_STMT_END

static void
replace_string (char **field, const char *value, const char *fallback)
{
  g_free (*field);
  *field = g_strdup (value && *value ? value : fallback);
}

void
kg_demo_server_set_odoo19 (KgDemoServer *self, gboolean odoo19)
{
  g_return_if_fail (KG_IS_DEMO_SERVER (self));
  LOCKED (self->odoo19 = !!odoo19);
}

void
kg_demo_server_set_list_db (KgDemoServer *self, gboolean list_db)
{
  g_return_if_fail (KG_IS_DEMO_SERVER (self));
  LOCKED (self->list_db = !!list_db);
}

void
kg_demo_server_set_json2 (KgDemoServer *self, gboolean enabled)
{
  g_return_if_fail (KG_IS_DEMO_SERVER (self));
  LOCKED (self->json2 = !!enabled);
}

void
kg_demo_server_set_token_lifetime (KgDemoServer *self, guint seconds)
{
  g_return_if_fail (KG_IS_DEMO_SERVER (self));
  LOCKED (self->token_lifetime = seconds);
}

void
kg_demo_server_set_key_header (KgDemoServer *self, const char *name)
{
  g_return_if_fail (KG_IS_DEMO_SERVER (self));
  LOCKED (replace_string (&self->key_header, name, "X-API-Key"));
}

void
kg_demo_server_set_db_header (KgDemoServer *self, const char *name)
{
  g_return_if_fail (KG_IS_DEMO_SERVER (self));
  LOCKED (replace_string (&self->db_header, name, "X-Odoo-Database"));
}

void
kg_demo_server_set_token_header (KgDemoServer *self, const char *name)
{
  g_return_if_fail (KG_IS_DEMO_SERVER (self));
  LOCKED (replace_string (&self->token_header, name, "X-Access-Token"));
}

void
kg_demo_server_set_api_key_header (KgDemoServer *self, const char *name)
{
  g_return_if_fail (KG_IS_DEMO_SERVER (self));
  LOCKED (replace_string (&self->api_key_header, name, "API-KEY"));
}

void
kg_demo_server_set_token_path (KgDemoServer *self, const char *path)
{
  g_return_if_fail (KG_IS_DEMO_SERVER (self));
  LOCKED (replace_string (&self->token_path, path, "access_token"));
}

void
kg_demo_server_set_expires_in_path (KgDemoServer *self, const char *path)
{
  g_return_if_fail (KG_IS_DEMO_SERVER (self));
  LOCKED (replace_string (&self->expires_in_path, path, "expires_in"));
}

void
kg_demo_server_revoke_tokens (KgDemoServer *self)
{
  g_return_if_fail (KG_IS_DEMO_SERVER (self));
  LOCKED (g_hash_table_remove_all (self->tokens));
}

void
kg_demo_server_expire_tokens (KgDemoServer *self)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (KG_IS_DEMO_SERVER (self));
  g_mutex_lock (&self->lock);
  g_hash_table_iter_init (&iter, self->tokens);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    ((DemoToken *) value)->expires = g_get_real_time () - G_USEC_PER_SEC;
  g_mutex_unlock (&self->lock);
}

void
kg_demo_server_set_login_cooldown (KgDemoServer *self, guint failures, guint seconds)
{
  g_return_if_fail (KG_IS_DEMO_SERVER (self));
  g_mutex_lock (&self->lock);
  self->cooldown_after = MAX (failures, 1);
  self->cooldown_seconds = seconds;
  g_hash_table_remove_all (self->failures);
  g_mutex_unlock (&self->lock);
}

void
kg_demo_server_set_slow_delay (KgDemoServer *self, guint msec)
{
  g_return_if_fail (KG_IS_DEMO_SERVER (self));
  LOCKED (self->slow_msec = msec);
}

void
kg_demo_server_set_huge_size (KgDemoServer *self, guint mib)
{
  g_return_if_fail (KG_IS_DEMO_SERVER (self));
  LOCKED (self->huge_mib = mib);
}

void
kg_demo_server_set_hostile_mode (KgDemoServer *self, const char *kind)
{
  g_return_if_fail (KG_IS_DEMO_SERVER (self));
  g_mutex_lock (&self->lock);
  g_free (self->hostile_mode);
  self->hostile_mode = kind && *kind ? g_strdup (kind) : NULL;
  g_mutex_unlock (&self->lock);
}

void
kg_demo_server_set_redirect_base (KgDemoServer *self, const char *base_url)
{
  g_return_if_fail (KG_IS_DEMO_SERVER (self));
  g_mutex_lock (&self->lock);
  g_free (self->redirect_base);
  self->redirect_base = base_url && *base_url ? g_strdup (base_url) : NULL;
  g_mutex_unlock (&self->lock);
}

guint
kg_demo_server_get_request_count (KgDemoServer *self)
{
  guint count;

  g_return_val_if_fail (KG_IS_DEMO_SERVER (self), 0);
  LOCKED (count = self->request_count);
  return count;
}

guint
kg_demo_server_get_path_count (KgDemoServer *self, const char *path)
{
  guint count;

  g_return_val_if_fail (KG_IS_DEMO_SERVER (self), 0);
  g_return_val_if_fail (path != NULL, 0);
  LOCKED (count = GPOINTER_TO_UINT (g_hash_table_lookup (self->path_counts, path)));
  return count;
}
