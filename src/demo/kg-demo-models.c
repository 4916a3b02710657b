/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The ORM-ish part: the models and methods reachable through execute_kw
 * (kg-demo-jsonrpc.c) and JSON-2 (kg-demo-json2.c), their fields, simple
 * domains, and the errors Odoo gives for them.
 */
#define G_LOG_DOMAIN "keygate-demo"

#include "config.h"

#include "kg-demo-server-private.h"

#include <string.h>

#define ACCESS_ERROR_UNLINK_APIKEYS \
  "You are not allowed to delete 'Users API Keys' (res.users.apikeys) records.\n\n" \
  "No group currently allows this operation.\n\n" \
  "Contact your administrator to request access if necessary."
#define VALIDATION_NAME_18 \
  "The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n" \
  "- Delete: another model requires the record being deleted. If possible, archive it " \
  "instead.\n\n" \
  "Model: Project (project.project)\nField: Name (name)\n"
#define VALIDATION_NAME_19 \
  "The operation cannot be completed: Missing required value for the field 'Name' (name).\n" \
  "Model: 'Project' (project.project)\n- create/update: a mandatory field is not set\n" \
  "- delete: another model requires the record being deleted, you can archive it instead\n"

static const DemoMethod demo_methods[] = {
  { "res.users", "read", TRUE, 0, { "fields", "load", NULL } },
  { "res.users", "has_group", TRUE, 1, { "group_ext_id", NULL } },
  { "res.users", "context_get", FALSE, 0, { NULL } },
  { "res.groups", "read", TRUE, 0, { "fields", "load", NULL } },
  { "project.project", "create", FALSE, 1, { "vals_list", NULL } },
  { "project.project", "read", TRUE, 0, { "fields", "load", NULL } },
  { "project.project", "search", FALSE, 0, { "domain", "offset", "limit", "order", NULL } },
  { "project.project", "search_read", FALSE, 0,
    { "domain", "fields", "offset", "limit", "order", NULL } },
  { "project.project", "search_count", FALSE, 0, { "domain", "limit", NULL } },
  { "project.project", "has_access", TRUE, 1, { "operation", NULL } },
  { "project.project", "check_access_rights", FALSE, 1, { "operation", "raise_exception", NULL } },
  { "res.users.apikeys", "search", FALSE, 0, { "domain", "offset", "limit", "order", NULL } },
  { "res.users.apikeys", "search_read", FALSE, 0,
    { "domain", "fields", "offset", "limit", "order", NULL } },
  { "res.users.apikeys", "unlink", TRUE, 0, { NULL } },
  /* kg-demo-records.c */
  { "project.project", "write", TRUE, 1, { "vals", NULL } },
  { "project.project", "unlink", TRUE, 0, { NULL } },
  { "project.project", "name_search", FALSE, 0, { "name", "domain", "operator", "limit", NULL } },
  { "project.project", "fields_get", FALSE, 0, { "allfields", "attributes", NULL } },
  { "res.partner", "create", FALSE, 1, { "vals_list", NULL } },
  { "res.partner", "read", TRUE, 0, { "fields", "load", NULL } },
  { "res.partner", "write", TRUE, 1, { "vals", NULL } },
  { "res.partner", "unlink", TRUE, 0, { NULL } },
  { "res.partner", "search", FALSE, 0, { "domain", "offset", "limit", "order", NULL } },
  { "res.partner", "search_read", FALSE, 0,
    { "domain", "fields", "offset", "limit", "order", NULL } },
  { "res.partner", "search_count", FALSE, 0, { "domain", "limit", NULL } },
  { "res.partner", "name_search", FALSE, 0, { "name", "domain", "operator", "limit", NULL } },
  { "res.partner", "fields_get", FALSE, 0, { "allfields", "attributes", NULL } },
  { "ir.model", "search", FALSE, 0, { "domain", "offset", "limit", "order", NULL } },
  { "ir.model", "search_read", FALSE, 0, { "domain", "fields", "offset", "limit", "order", NULL } },
  { "ir.model", "search_count", FALSE, 0, { "domain", "limit", NULL } },
};

static const char *known_models[] = {
  "res.users", "res.groups", "project.project", "res.users.apikeys", "res.partner", "ir.model",
};

gboolean
kg_demo_model_exists (const char *model)
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
string_or_false (const char *value)
{
  return value ? kg_demo_string_node (value) : kg_demo_bool_node (FALSE);
}

static JsonNode *
user_field (KgDemoServer *self, gconstpointer record, const char *field)
{
  const DemoUser *user = record;

  if (g_str_equal (field, "id"))
    return kg_demo_int_node (user->uid);
  if (g_str_equal (field, "name") || g_str_equal (field, "display_name"))
    return kg_demo_string_node (user->name);
  if (g_str_equal (field, "login"))
    return kg_demo_string_node (user->login);
  if (g_str_equal (field, "email"))
    {
      g_autofree char *email = g_strdup_printf ("%s@example.com", user->login);
      return kg_demo_string_node (email);
    }
  if (g_str_equal (field, "totp_enabled"))
    return kg_demo_bool_node (user->totp);
  if (g_str_equal (field, "share"))
    return kg_demo_bool_node (FALSE);
  if (g_str_equal (field, "active"))
    return kg_demo_bool_node (TRUE);
  if (g_str_equal (field, "company_id"))
    return many2one (1, "My Company");
  if (g_str_equal (field, "partner_id"))
    return many2one (user->partner_id, user->name);
  if (g_str_equal (field, "lang"))
    return kg_demo_string_node ("en_US");
  if (g_str_equal (field, "tz"))
    return kg_demo_string_node ("UTC");
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
    return kg_demo_int_node (group->id);
  if (g_str_equal (field, "full_name") || g_str_equal (field, "display_name"))
    return kg_demo_string_node (group->full_name);
  if (g_str_equal (field, "name"))
    {
      const char *slash = strstr (group->full_name, " / ");
      return kg_demo_string_node (slash ? slash + 3 : group->full_name);
    }
  return NULL;
}

JsonNode *
kg_demo_project_field (KgDemoServer *self, gconstpointer record, const char *field)
{
  const DemoProject *project = record;
  const DemoUser *owner = kg_demo_user_by_uid (project->uid);

  if (g_str_equal (field, "id"))
    return kg_demo_int_node (project->id);
  if (g_str_equal (field, "name") || g_str_equal (field, "display_name"))
    return kg_demo_string_node (project->name);
  if (g_str_equal (field, "description"))
    return string_or_false (project->description);
  if (g_str_equal (field, "user_id") || g_str_equal (field, "create_uid")
      || g_str_equal (field, "write_uid"))
    return many2one (owner->uid, owner->name);
  if (g_str_equal (field, "create_date") || g_str_equal (field, "write_date"))
    return kg_demo_string_node (project->create_date);
  if (g_str_equal (field, "active"))
    return kg_demo_bool_node (TRUE);
  if (g_str_equal (field, "company_id"))
    return many2one (1, "My Company");
  if (g_str_equal (field, "partner_id"))
    return kg_demo_bool_node (FALSE);
  if (g_str_equal (field, "privacy_visibility"))
    return kg_demo_string_node ("portal");
  return NULL;
}

static JsonNode *
apikey_field (KgDemoServer *self, gconstpointer record, const char *field)
{
  const DemoKey *key = record;

  if (g_str_equal (field, "id"))
    return kg_demo_int_node (key->id);
  if (g_str_equal (field, "name") || g_str_equal (field, "display_name"))
    return kg_demo_string_node (key->name);
  if (g_str_equal (field, "scope"))
    return kg_demo_bool_node (FALSE);
  if (g_str_equal (field, "create_date"))
    {
      g_autofree char *date = kg_demo_format_date (self->epoch,
                                                   -(gint64) key->created_days_ago * 86400);
      return kg_demo_string_node (date);
    }
  if (g_str_equal (field, "expiration_date"))
    {
      g_autofree char *date = NULL;

      if (key->expires_in_days == 0)
        return kg_demo_bool_node (FALSE);
      date = kg_demo_format_date (self->epoch, (gint64) key->expires_in_days * 86400);
      return kg_demo_string_node (date);
    }
  if (g_str_equal (field, "user_id"))
    {
      const DemoUser *owner = kg_demo_user_by_uid (key->uid);
      return many2one (owner->uid, owner->name);
    }
  return NULL;
}

/* Reads @fields (NULL: @defaults) of @record into a new object. */
JsonObject *
kg_demo_read_record (KgDemoServer *self, DemoFieldGetter getter, gconstpointer record,
                     const char *model, JsonArray *fields, const char * const *defaults,
                     DemoFault *fault)
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
          kg_demo_fault_set (fault, 500, "builtins.ValueError", FALSE, "Invalid field '%s' on '%s'",
                             field, model);
          return NULL;
        }
      json_object_set_member (object, field, value);
    }
  return g_steal_pointer (&object);
}

gboolean
kg_demo_node_is_false (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN
         && !json_node_get_boolean (node);
}

gint64
kg_demo_int_element (JsonArray *array, guint index)
{
  JsonNode *node = json_array_get_element (array, index);

  if (node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  return -1;
}

/* Records matching simple domains [[field, "=", value], …] (other operators
 * and fields are ignored). */
gboolean
kg_demo_domain_matches (KgDemoServer *self, DemoFieldGetter getter, gconstpointer record,
                        JsonArray *domain)
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
              || kg_demo_int_element (json_node_get_array (value), 0) != json_node_get_int (wanted))
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
call_project_create (KgDemoServer *self, const DemoUser *user, JsonObject *params, DemoFault *fault)
{
  JsonNode *vals = json_object_get_member (params, "vals_list");
  g_autoptr(JsonArray) list = json_array_new ();
  gboolean single;
  JsonArray *ids;
  JsonNode *result;

  if (!user->project_admin)
    {
      kg_demo_fault_set (fault, 403, "odoo.exceptions.AccessError", FALSE, "%s",
                         ACCESS_ERROR_CREATE_PROJECT);
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
      kg_demo_fault_set (fault, 422, "builtins.TypeError", FALSE,
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
          kg_demo_fault_set (fault, 500, "builtins.ValueError", FALSE, "Invalid values for create");
          return NULL;
        }
      values = json_node_get_object (item);
      name = json_object_get_member (values, "name");
      if (kg_demo_node_is_false (name) || !JSON_NODE_HOLDS_VALUE (name)
          || json_node_get_value_type (name) != G_TYPE_STRING)
        {
          kg_demo_fault_set (fault, 422, "odoo.exceptions.ValidationError", FALSE, "%s",
                             self->odoo19 ? VALIDATION_NAME_19 : VALIDATION_NAME_18);
          return NULL;
        }
    }

  ids = json_array_new ();
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *values = json_array_get_object_element (list, i);
      guint id = kg_demo_add_project (self, kg_demo_string_param (values, "name"),
                                      kg_demo_string_param (values, "description"), user->uid);
      json_array_add_int_element (ids, id);
    }

  if (single)
    {
      result = kg_demo_int_node (json_array_get_int_element (ids, 0));
      json_array_unref (ids);
    }
  else
    {
      result = json_node_new (JSON_NODE_ARRAY);
      json_node_take_array (result, ids);
    }
  return result;
}

/* Runs model.method for @user with named @params; @ids NULL when none was
 * given. Returns the result, or NULL with @fault set. */
JsonNode *
kg_demo_invoke (KgDemoServer     *self,
                const DemoUser   *user,
                const char       *model,
                const DemoMethod *method,
                JsonArray        *ids,
                JsonObject       *params,
                DemoFault        *fault)
{
  const char *name = method->method;
  JsonArray *fields = kg_demo_array_param (params, "fields");
  guint n_ids = ids ? json_array_get_length (ids) : 0;

  if (kg_demo_records_serve (model, name))
    return kg_demo_records_invoke (self, user, model, name, ids, params, fault);

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
          const DemoUser *target = n_ids > 0 ? kg_demo_user_by_uid (kg_demo_int_element (ids, 0))
                                             : user;
          const char *xmlid = kg_demo_string_param (params, "group_ext_id");
          const DemoGroup *group = kg_demo_group_by_xmlid (xmlid);

          return kg_demo_bool_node (target && group && kg_demo_user_has_group (target, group->id));
        }
      if (g_str_equal (name, "read"))
        {
          JsonArray *rows = json_array_new ();

          for (guint i = 0; i < n_ids; i++)
            {
              gint64 id = kg_demo_int_element (ids, i);
              const DemoUser *target = kg_demo_user_by_uid (id);
              JsonObject *row;

              if (target == NULL)
                {
                  if (self->odoo19)
                    continue;
                  kg_demo_fault_set (fault, 404, "odoo.exceptions.MissingError", FALSE,
                                     "Record does not exist or has been deleted.\n"
                                     "(Record: res.users(%" G_GINT64_FORMAT ",), User: %u)",
                                     id, user->uid);
                  json_array_unref (rows);
                  return NULL;
                }
              row = kg_demo_read_record (self, user_field, target, model, fields, defaults, fault);
              if (row == NULL)
                {
                  json_array_unref (rows);
                  return NULL;
                }
              json_array_add_object_element (rows, row);
            }
          return kg_demo_array_to_node (rows);
        }
    }
  else if (g_str_equal (model, "res.groups"))
    {
      static const char * const defaults[] = { "name", "full_name", NULL };
      JsonArray *rows = json_array_new ();

      for (guint i = 0; i < n_ids; i++)
        {
          const DemoGroup *group = kg_demo_group_by_id (kg_demo_int_element (ids, i));
          JsonObject *row;

          if (group == NULL)
            continue;
          row = kg_demo_read_record (self, group_field, group, model, fields, defaults, fault);
          if (row == NULL)
            {
              json_array_unref (rows);
              return NULL;
            }
          json_array_add_object_element (rows, row);
        }
      return kg_demo_array_to_node (rows);
    }
  else if (g_str_equal (model, "project.project"))
    {
      static const char * const defaults[] = { "name", "description", "user_id", "active", NULL };

      if (g_str_equal (name, "create"))
        return call_project_create (self, user, params, fault);
      if (g_str_equal (name, "has_access"))
        return kg_demo_bool_node (project_access (user,
                                                  kg_demo_string_param (params, "operation")));
      if (g_str_equal (name, "check_access_rights"))
        {
          const char *operation = kg_demo_string_param (params, "operation");
          JsonNode *raise = json_object_get_member (params, "raise_exception");

          if (!project_access (user, operation)
              && (raise == NULL || !kg_demo_node_is_false (raise)))
            {
              kg_demo_fault_set (fault, 403, "odoo.exceptions.AccessError", FALSE, "%s",
                                 ACCESS_ERROR_CREATE_PROJECT);
              return NULL;
            }
          return kg_demo_bool_node (project_access (user, operation));
        }
      if (g_str_equal (name, "read"))
        {
          JsonArray *rows = json_array_new ();

          for (guint i = 0; i < n_ids; i++)
            {
              gint64 id = kg_demo_int_element (ids, i);
              DemoProject *project = kg_demo_project_by_id (self, id);
              JsonObject *row;

              if (project == NULL)
                {
                  if (self->odoo19)
                    continue;
                  kg_demo_fault_set (fault, 404, "odoo.exceptions.MissingError", FALSE,
                                     "Record does not exist or has been deleted.\n"
                                     "(Record: project.project(%" G_GINT64_FORMAT ",), "
                                     "User: %u)", id, user->uid);
                  json_array_unref (rows);
                  return NULL;
                }
              row = kg_demo_read_record (self, kg_demo_project_field, project, model, fields,
                                         defaults, fault);
              if (row == NULL)
                {
                  json_array_unref (rows);
                  return NULL;
                }
              json_array_add_object_element (rows, row);
            }
          return kg_demo_array_to_node (rows);
        }
      if (g_str_equal (name, "search") || g_str_equal (name, "search_read")
          || g_str_equal (name, "search_count"))
        {
          JsonArray *domain = kg_demo_array_param (params, "domain");
          JsonArray *rows = json_array_new ();
          guint count = 0;

          for (guint i = 0; i < self->projects->len; i++)
            {
              DemoProject *project = g_ptr_array_index (self->projects, i);
              JsonObject *row;

              if (!kg_demo_domain_matches (self, kg_demo_project_field, project, domain))
                continue;
              count++;
              if (g_str_equal (name, "search"))
                {
                  json_array_add_int_element (rows, project->id);
                  continue;
                }
              if (g_str_equal (name, "search_count"))
                continue;
              row = kg_demo_read_record (self, kg_demo_project_field, project, model, fields,
                                         defaults, fault);
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
              return kg_demo_int_node (count);
            }
          return kg_demo_array_to_node (rows);
        }
    }
  else if (g_str_equal (model, "res.users.apikeys"))
    {
      static const char * const defaults[] = { "name", "scope", "create_date", "expiration_date",
                                               "user_id", NULL };

      if (g_str_equal (name, "unlink"))
        {
          kg_demo_fault_set (fault, 403, "odoo.exceptions.AccessError", FALSE, "%s",
                             ACCESS_ERROR_UNLINK_APIKEYS);
          return NULL;
        }
      if (g_str_equal (name, "search") || g_str_equal (name, "search_read"))
        {
          JsonArray *domain = kg_demo_array_param (params, "domain");
          JsonArray *rows = json_array_new ();

          for (guint i = 0; i < kg_demo_n_keys; i++)
            {
              const DemoKey *key = &kg_demo_keys[i];
              JsonObject *row;

              if (!key->listed || (key->uid != user->uid && !user->is_admin))
                continue;
              if (!kg_demo_domain_matches (self, apikey_field, key, domain))
                continue;
              if (g_str_equal (name, "search"))
                {
                  json_array_add_int_element (rows, key->id);
                  continue;
                }
              row = kg_demo_read_record (self, apikey_field, key, model, fields, defaults, fault);
              if (row == NULL)
                {
                  json_array_unref (rows);
                  return NULL;
                }
              json_array_add_object_element (rows, row);
            }
          return kg_demo_array_to_node (rows);
        }
    }

  kg_demo_fault_set (fault, 404, "builtins.AttributeError", FALSE,
                     "The method '%s.%s' does not exist", model, name);
  return NULL;
}

/* Checks the model and method name; NULL with @fault set otherwise. */
const DemoMethod *
kg_demo_lookup_method (const char *model, const char *method, DemoFault *fault)
{
  const DemoMethod *found;

  if (!kg_demo_model_exists (model))
    {
      kg_demo_fault_set (fault, 404, "werkzeug.exceptions.NotFound", TRUE,
                         "the model '%s' does not exist", model);
      return NULL;
    }
  if (method[0] == '_')
    {
      kg_demo_fault_set (fault, 403, "odoo.exceptions.AccessError", FALSE,
                         "Private methods (such as '%s.%s') cannot be called remotely.",
                         model, method);
      return NULL;
    }
  found = find_method (model, method);
  if (found == NULL)
    kg_demo_fault_set (fault, 404, "werkzeug.exceptions.NotFound", TRUE,
                       "The method '%s.%s' does not exist", model, method);
  return found;
}
