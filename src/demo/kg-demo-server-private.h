/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The parts of KgDemoServer shared by its files, one per route family:
 *   kg-demo-server.c     life cycle, switches, request dispatch, extra handlers
 *   kg-demo-data.c       users, groups, keys, passwords, projects, tokens
 *   kg-demo-responses.c  JSON-RPC envelopes, Odoo faults, HTML error pages,
 *                        session cookies, request and JSON value helpers
 *   kg-demo-models.c     the ORM-ish part behind execute_kw and JSON-2
 *   kg-demo-records.c    res.partner, and write, unlink, name_search and
 *                        fields_get of project.project
 *   kg-demo-jsonrpc.c    /jsonrpc and the /web/... routes (sessions, cooldown, databases)
 *   kg-demo-token.c      the token module (/auth/token/apikey, /api/...)
 *   kg-demo-json2.c      /json/2/<model>/<method>
 *
 * Every route runs with self->lock held (see kg-demo-server.c), so the
 * shared state below needs no other locking.
 */
#pragma once

#include "kg-demo-server.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define JSON_TYPE "application/json; charset=utf-8"
#define HTML_TYPE "text/html; charset=utf-8"

#define ACCESS_ERROR_CREATE_PROJECT \
  "You are not allowed to create 'Project' (project.project) records.\n\n" \
  "This operation is allowed for the following groups:\n\t- Project/Administrator\n\n" \
  "Contact your administrator to request access if necessary."

/* ------------------------------------------------------------------------ */
/* Demo data (kg-demo-data.c)                                                */

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

typedef struct {
  guint id;
  const char *xmlid;
  const char *full_name;
} DemoGroup;

typedef struct {
  guint id;
  const char *key;
  guint uid;
  const char *name;
  int created_days_ago;
  int expires_in_days;      /* 0: never; < 0: expired */
  gboolean listed;          /* expired keys are garbage-collected by Odoo */
} DemoKey;

typedef struct {
  guint id;
  char *name;
  char *description;        /* HTML or NULL */
  guint uid;
  char *create_date;
} DemoProject;

typedef struct {
  guint id;
  char *name;
  char *email;              /* NULL: false */
  gboolean is_company;
  guint uid;                /* the user it is the partner of, 0: none */
} DemoPartner;

typedef struct {
  guint uid;
  gint64 expires;           /* g_get_real_time () */
} DemoToken;

typedef struct {
  guint count;
  gint64 last;              /* g_get_monotonic_time () of the last failure */
} LoginFailures;

typedef struct {
  char *path;               /* NULL: every path */
  KgDemoServerHandler handler;
  gpointer user_data;
  GDestroyNotify destroy;
} DemoHandler;

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
  guint thread_port;   /* asked for; 0: any */

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

  /* Extra handlers (DemoHandler), newest first; see kg_demo_server_add_handler() */
  GSList *handlers;

  /* State */
  GDateTime *epoch;
  int clock_offset;          /* seconds added to the clocks (atomic) */
  GPtrArray *projects;      /* DemoProject */
  guint next_project_id;
  GPtrArray *partners;      /* DemoPartner */
  guint next_partner_id;
  guint next_task_id;       /* /api/task/create */
  GHashTable *tokens;       /* token -> DemoToken */
  GHashTable *sessions;     /* session id -> uid (0: 2FA still due) */
  GHashTable *failures;     /* client address -> LoginFailures */
  GHashTable *path_counts;  /* path -> count */
  guint request_count;
};

extern const DemoKey kg_demo_keys[];
extern const guint kg_demo_n_keys;

const DemoUser  *kg_demo_user_by_uid          (gint64            uid);
const DemoUser  *kg_demo_user_by_login        (const char       *login);
gboolean         kg_demo_user_has_group       (const DemoUser   *user,
                                               guint             group_id);
const DemoGroup *kg_demo_group_by_id          (gint64            id);
const DemoGroup *kg_demo_group_by_xmlid       (const char       *xmlid);
char            *kg_demo_format_date          (GDateTime        *base,
                                               gint64            offset_seconds);
const DemoUser  *kg_demo_user_for_key         (KgDemoServer     *self,
                                               const char       *key);
gboolean         kg_demo_check_rpc_credential (KgDemoServer     *self,
                                               const DemoUser   *user,
                                               const char       *secret);
char            *kg_demo_random_token         (gsize             n_bytes);
void             kg_demo_project_free         (gpointer          data);
DemoProject     *kg_demo_project_by_id        (KgDemoServer     *self,
                                               gint64            id);
guint            kg_demo_add_project          (KgDemoServer     *self,
                                               const char       *name,
                                               const char       *description,
                                               guint             uid);

/* ------------------------------------------------------------------------ */
/* Responses, faults, sessions and request helpers (kg-demo-responses.c)     */

typedef struct {
  guint status;             /* HTTP status on JSON-2 */
  const char *name;         /* Python class */
  char *message;
  gboolean http_error;      /* werkzeug HTTPException: arguments [message, status] */
} DemoFault;

void        kg_demo_fault_set              (DemoFault         *fault,
                                            guint              status,
                                            const char        *name,
                                            gboolean           http_error,
                                            const char        *format,
                                            ...) G_GNUC_PRINTF (5, 6);
void        kg_demo_fault_clear            (DemoFault         *fault);
JsonObject *kg_demo_fault_to_object        (const DemoFault   *fault,
                                            gboolean           odoo19_order);
void        kg_demo_fault_unknown_database (DemoFault         *fault,
                                            const char        *db);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DemoFault, kg_demo_fault_clear)

void        kg_demo_respond_text           (SoupServerMessage *msg,
                                            guint              status,
                                            const char        *content_type,
                                            const char        *body);
void        kg_demo_respond_node           (SoupServerMessage *msg,
                                            guint              status,
                                            JsonNode          *node);
void        kg_demo_respond_object         (SoupServerMessage *msg,
                                            guint              status,
                                            JsonObject        *object);
void        kg_demo_respond_werkzeug       (SoupServerMessage *msg,
                                            guint              status,
                                            const char        *title,
                                            const char        *description);
void        kg_demo_respond_not_found      (KgDemoServer      *self,
                                            SoupServerMessage *msg);
void        kg_demo_respond_wrong_route_type (SoupServerMessage *msg,
                                              const char        *route);
void        kg_demo_respond_method_not_allowed (SoupServerMessage *msg);
void        kg_demo_respond_rpc_result     (SoupServerMessage *msg,
                                            JsonNode          *id,
                                            JsonNode          *result);
void        kg_demo_respond_rpc_fault      (KgDemoServer      *self,
                                            SoupServerMessage *msg,
                                            JsonNode          *id,
                                            const DemoFault   *fault);
void        kg_demo_respond_rpc_simple_fault (KgDemoServer      *self,
                                              SoupServerMessage *msg,
                                              JsonNode          *id,
                                              const char        *name,
                                              const char        *message);

void            kg_demo_set_session_cookie    (SoupServerMessage *msg,
                                               const char        *sid);
char           *kg_demo_session_new           (KgDemoServer      *self,
                                               guint              uid);
void            kg_demo_set_anonymous_session (KgDemoServer      *self,
                                               SoupServerMessage *msg);
const DemoUser *kg_demo_session_user          (KgDemoServer      *self,
                                               SoupServerMessage *msg);

gboolean    kg_demo_is_json_request        (SoupServerMessage *msg);
const char *kg_demo_request_header         (SoupServerMessage *msg,
                                            const char        *name);
JsonNode   *kg_demo_parse_json_body        (SoupServerMessage *msg,
                                            gboolean          *empty);
const char *kg_demo_bearer_token           (const char        *authorization);

JsonNode   *kg_demo_bool_node              (gboolean           value);
JsonNode   *kg_demo_int_node               (gint64             value);
JsonNode   *kg_demo_string_node            (const char        *value);
JsonNode   *kg_demo_array_to_node          (JsonArray         *array);
JsonArray  *kg_demo_array_param            (JsonObject        *params,
                                            const char        *name);
const char *kg_demo_string_param           (JsonObject        *params,
                                            const char        *name);

/* ------------------------------------------------------------------------ */
/* Models (kg-demo-models.c)                                                 */

typedef struct {
  const char *model;
  const char *method;
  gboolean record;          /* takes ids */
  guint n_required;
  const char *params[6];    /* NULL-terminated */
} DemoMethod;

/* The value of @field of a record; NULL if the field does not exist. */
typedef JsonNode *(*DemoFieldGetter) (KgDemoServer *self, gconstpointer record, const char *field);

gboolean          kg_demo_model_exists  (const char       *model);
const DemoMethod *kg_demo_lookup_method (const char       *model,
                                         const char       *method,
                                         DemoFault        *fault);
JsonNode         *kg_demo_invoke        (KgDemoServer     *self,
                                         const DemoUser   *user,
                                         const char       *model,
                                         const DemoMethod *method,
                                         JsonArray        *ids,
                                         JsonObject       *params,
                                         DemoFault        *fault);

JsonNode         *kg_demo_project_field (KgDemoServer     *self,
                                         gconstpointer     record,
                                         const char       *field);
/* Reads @fields (NULL: @defaults) of @record into a new object; NULL with
 * @fault set for an unknown field. */
JsonObject       *kg_demo_read_record   (KgDemoServer     *self,
                                         DemoFieldGetter   getter,
                                         gconstpointer     record,
                                         const char       *model,
                                         JsonArray        *fields,
                                         const char * const *defaults,
                                         DemoFault        *fault);
/* Simple domains: [[field, "=", value], …] (other operators ignored). */
gboolean          kg_demo_domain_matches (KgDemoServer    *self,
                                          DemoFieldGetter  getter,
                                          gconstpointer    record,
                                          JsonArray       *domain);
gboolean          kg_demo_node_is_false (JsonNode         *node);
/* The integer at @index, -1 when it is not one. */
gint64            kg_demo_int_element   (JsonArray        *array,
                                         guint             index);

/* kg-demo-records.c */
void              kg_demo_records_init   (KgDemoServer     *self);
void              kg_demo_partner_free   (gpointer          data);
gboolean          kg_demo_records_serve  (const char       *model,
                                          const char       *method);
JsonNode         *kg_demo_records_invoke (KgDemoServer     *self,
                                          const DemoUser   *user,
                                          const char       *model,
                                          const char       *method,
                                          JsonArray        *ids,
                                          JsonObject       *params,
                                          DemoFault        *fault);

/* ------------------------------------------------------------------------ */
/* Route families: each answers the paths it owns and returns TRUE, or
 * returns FALSE for a path it does not serve.                               */

gboolean kg_demo_jsonrpc_route (KgDemoServer      *self,
                                SoupServerMessage *msg,
                                const char        *path);
gboolean kg_demo_token_route   (KgDemoServer      *self,
                                SoupServerMessage *msg,
                                const char        *path);
gboolean kg_demo_json2_route   (KgDemoServer      *self,
                                SoupServerMessage *msg,
                                const char        *path);

/* The server's clocks: the real and monotonic time plus what
 * kg_demo_server_advance_clock added. Token expiry and the login cooldown
 * read these, so tests move time instead of sleeping. */
gint64 kg_demo_server_real_time      (KgDemoServer *self);
gint64 kg_demo_server_monotonic_time (KgDemoServer *self);

G_END_DECLS
