/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The rest of the ORM the workbench reaches: res.partner (create, read,
 * write, unlink, search, search_read, search_count, name_search,
 * fields_get), project.project's write, unlink, name_search and
 * fields_get, and ir.model (search, search_read, search_count: the models
 * the demo knows, for the workbench's model completion), answering like
 * Odoo 18/19 (write and unlink give true,
 * name_search [[id, name], …], fields_get {field: {attribute: …}}).
 */
#define G_LOG_DOMAIN "keygate-demo"

#include "config.h"

#include "kg-demo-server-private.h"

#include <string.h>

#define ACCESS_ERROR_PROJECT(operation) \
  "You are not allowed to " operation " 'Project' (project.project) records.\n\n" \
  "This operation is allowed for the following groups:\n\t- Project/Administrator\n\n" \
  "Contact your administrator to request access if necessary."

typedef struct {
  const char *name;
  const char *type;
  const char *string;
  gboolean required;
  gboolean readonly;
  const char *relation;     /* many2one: the comodel */
} DemoField;

static const DemoField project_fields[] = {
  { "id", "integer", "ID", FALSE, TRUE, NULL },
  { "name", "char", "Name", TRUE, FALSE, NULL },
  { "description", "html", "Description", FALSE, FALSE, NULL },
  { "user_id", "many2one", "Project Manager", FALSE, FALSE, "res.users" },
  { "active", "boolean", "Active", FALSE, FALSE, NULL },
  { "company_id", "many2one", "Company", FALSE, FALSE, "res.company" },
  { "create_date", "datetime", "Created on", FALSE, TRUE, NULL },
};

static const DemoField partner_fields[] = {
  { "id", "integer", "ID", FALSE, TRUE, NULL },
  { "name", "char", "Name", FALSE, FALSE, NULL },
  { "display_name", "char", "Display Name", FALSE, TRUE, NULL },
  { "email", "char", "Email", FALSE, FALSE, NULL },
  { "is_company", "boolean", "Is a Company", FALSE, FALSE, NULL },
  { "active", "boolean", "Active", FALSE, FALSE, NULL },
  { "company_id", "many2one", "Company", FALSE, FALSE, "res.company" },
};

/* ---- Partners ------------------------------------------------------------ */

void
kg_demo_partner_free (gpointer data)
{
  DemoPartner *partner = data;

  g_free (partner->name);
  g_free (partner->email);
  g_free (partner);
}

static DemoPartner *
add_partner (KgDemoServer *self, guint id, const char *name, const char *email,
             gboolean is_company, guint uid)
{
  DemoPartner *partner = g_new0 (DemoPartner, 1);

  partner->id = id != 0 ? id : self->next_partner_id++;
  partner->name = g_strdup (name);
  partner->email = g_strdup (email);
  partner->is_company = is_company;
  partner->uid = uid;
  g_ptr_array_add (self->partners, partner);
  return partner;
}

void
kg_demo_records_init (KgDemoServer *self)
{
  static const guint uids[] = {
    KG_DEMO_ADMIN_UID, KG_DEMO_ALICE_UID, KG_DEMO_BOB_UID, KG_DEMO_CAROL_UID,
  };

  self->partners = g_ptr_array_new_with_free_func (kg_demo_partner_free);
  add_partner (self, 1, "My Company", "info@example.com", TRUE, 0);
  for (guint i = 0; i < G_N_ELEMENTS (uids); i++)
    {
      const DemoUser *user = kg_demo_user_by_uid (uids[i]);
      g_autofree char *email = g_strdup_printf ("%s@example.com", user->login);

      add_partner (self, user->partner_id, user->name, email, FALSE, user->uid);
      self->next_partner_id = MAX (self->next_partner_id, user->partner_id + 1);
    }
  self->next_task_id = 1;
}

static DemoPartner *
partner_by_id (KgDemoServer *self, gint64 id)
{
  for (guint i = 0; i < self->partners->len; i++)
    {
      DemoPartner *partner = g_ptr_array_index (self->partners, i);

      if (partner->id == id)
        return partner;
    }
  return NULL;
}

static JsonNode *
partner_field (KgDemoServer *self, gconstpointer record, const char *field)
{
  const DemoPartner *partner = record;

  if (g_str_equal (field, "id"))
    return kg_demo_int_node (partner->id);
  if (g_str_equal (field, "name") || g_str_equal (field, "display_name"))
    return kg_demo_string_node (partner->name);
  if (g_str_equal (field, "email"))
    return partner->email ? kg_demo_string_node (partner->email) : kg_demo_bool_node (FALSE);
  if (g_str_equal (field, "is_company"))
    return kg_demo_bool_node (partner->is_company);
  if (g_str_equal (field, "active"))
    return kg_demo_bool_node (TRUE);
  if (g_str_equal (field, "company_id"))
    {
      JsonArray *pair;
      JsonNode *node;

      if (partner->is_company)
        return kg_demo_bool_node (FALSE);
      pair = json_array_new ();
      json_array_add_int_element (pair, 1);
      json_array_add_string_element (pair, "My Company");
      node = json_node_new (JSON_NODE_ARRAY);
      json_node_take_array (node, pair);
      return node;
    }
  return NULL;
}

/* ---- Shared helpers ------------------------------------------------------ */

static void
missing_record (DemoFault *fault, const char *model, gint64 id, const DemoUser *user)
{
  kg_demo_fault_set (fault, 404, "odoo.exceptions.MissingError", FALSE,
                     "Record does not exist or has been deleted.\n"
                     "(Record: %s(%" G_GINT64_FORMAT ",), User: %u)", model, id, user->uid);
}

/* The values of a create: a dict or a list of dicts, as a list. */
static JsonArray *
vals_list (JsonObject *params, DemoFault *fault)
{
  JsonNode *vals = json_object_get_member (params, "vals_list");
  JsonArray *list;

  if (vals != NULL && JSON_NODE_HOLDS_OBJECT (vals))
    {
      list = json_array_new ();
      json_array_add_element (list, json_node_copy (vals));
      return list;
    }
  if (vals != NULL && JSON_NODE_HOLDS_ARRAY (vals))
    {
      list = json_node_get_array (vals);
      for (guint i = 0; i < json_array_get_length (list); i++)
        if (!JSON_NODE_HOLDS_OBJECT (json_array_get_element (list, i)))
          {
            kg_demo_fault_set (fault, 422, "builtins.TypeError", FALSE,
                               "create() expects a dict or a list of dicts");
            return NULL;
          }
      return json_array_ref (list);
    }
  kg_demo_fault_set (fault, 422, "builtins.TypeError", FALSE,
                     "create() expects a dict or a list of dicts");
  return NULL;
}

static JsonObject *
vals_param (JsonObject *params, DemoFault *fault)
{
  JsonNode *vals = json_object_get_member (params, "vals");

  if (vals == NULL || !JSON_NODE_HOLDS_OBJECT (vals))
    {
      kg_demo_fault_set (fault, 422, "builtins.TypeError", FALSE,
                         "write() expects a dict of values");
      return NULL;
    }
  return json_node_get_object (vals);
}

/* Checks that every member of @vals is one of @writable; sets @fault. */
static gboolean
check_fields (JsonObject *vals, const char * const *writable, const char *model,
              DemoFault *fault)
{
  g_autoptr(GList) names = json_object_get_members (vals);

  for (GList *l = names; l != NULL; l = l->next)
    if (!g_strv_contains (writable, l->data))
      {
        kg_demo_fault_set (fault, 500, "builtins.ValueError", FALSE,
                           "Invalid field '%s' on '%s'", (const char *) l->data, model);
        return FALSE;
      }
  return TRUE;
}

static const char *
string_value (JsonObject *vals, const char *name)
{
  JsonNode *node = json_object_get_member (vals, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
name_matches (const char *record_name, const char *name, const char *operator)
{
  g_autofree char *haystack = NULL;
  g_autofree char *needle = NULL;

  if (name == NULL || *name == '\0')
    return TRUE;
  if (g_strcmp0 (operator, "=") == 0)
    return g_strcmp0 (record_name, name) == 0;
  if (g_strcmp0 (operator, "like") == 0)
    return strstr (record_name, name) != NULL;
  haystack = g_utf8_casefold (record_name, -1);
  needle = g_utf8_casefold (name, -1);
  return strstr (haystack, needle) != NULL;
}

static gint64
int_param (JsonObject *params, const char *name, gint64 fallback)
{
  JsonNode *node = json_object_get_member (params, name);

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node)
      && json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  return fallback;
}

/* {field: {attribute: value}} of @fields, filtered by allfields and
 * attributes as Odoo does. */
static JsonNode *
fields_get (const DemoField *fields, guint n_fields, JsonObject *params)
{
  JsonArray *allfields = kg_demo_array_param (params, "allfields");
  JsonArray *attributes = kg_demo_array_param (params, "attributes");
  JsonObject *result = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  for (guint i = 0; i < n_fields; i++)
    {
      const DemoField *field = &fields[i];
      g_autoptr(JsonObject) all = json_object_new ();
      JsonObject *description;
      gboolean wanted = allfields == NULL || json_array_get_length (allfields) == 0;

      for (guint j = 0; !wanted && j < json_array_get_length (allfields); j++)
        wanted = g_strcmp0 (json_array_get_string_element (allfields, j), field->name) == 0;
      if (!wanted)
        continue;

      json_object_set_string_member (all, "type", field->type);
      json_object_set_string_member (all, "string", field->string);
      json_object_set_boolean_member (all, "required", field->required);
      json_object_set_boolean_member (all, "readonly", field->readonly);
      if (field->relation != NULL)
        json_object_set_string_member (all, "relation", field->relation);

      if (attributes == NULL || json_array_get_length (attributes) == 0)
        description = json_object_ref (all);
      else
        {
          description = json_object_new ();
          for (guint j = 0; j < json_array_get_length (attributes); j++)
            {
              const char *attribute = json_array_get_string_element (attributes, j);

              if (attribute != NULL && json_object_has_member (all, attribute))
                json_object_set_member (description, attribute,
                                        json_node_copy (json_object_get_member (all,
                                                                                attribute)));
            }
        }
      json_object_set_object_member (result, field->name, description);
    }

  json_node_take_object (node, result);
  return node;
}

static JsonNode *
name_pair (guint id, const char *name)
{
  JsonArray *pair = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  json_array_add_int_element (pair, id);
  json_array_add_string_element (pair, name);
  json_node_take_array (node, pair);
  return node;
}

/* ---- project.project ----------------------------------------------------- */

static DemoProject *
project_or_fault (KgDemoServer *self, const DemoUser *user, JsonArray *ids, guint i,
                  DemoFault *fault)
{
  gint64 id = kg_demo_int_element (ids, i);
  DemoProject *project = kg_demo_project_by_id (self, id);

  if (project == NULL)
    missing_record (fault, "project.project", id, user);
  return project;
}

static JsonNode *
project_invoke (KgDemoServer *self, const DemoUser *user, const char *method, JsonArray *ids,
                JsonObject *params, DemoFault *fault)
{
  static const char * const writable[] = { "name", "description", NULL };
  guint n_ids = ids ? json_array_get_length (ids) : 0;

  if (g_str_equal (method, "fields_get"))
    return fields_get (project_fields, G_N_ELEMENTS (project_fields), params);

  if (g_str_equal (method, "name_search"))
    {
      const char *name = kg_demo_string_param (params, "name");
      const char *operator = kg_demo_string_param (params, "operator");
      JsonArray *domain = kg_demo_array_param (params, "domain");
      gint64 limit = int_param (params, "limit", 100);
      JsonArray *rows = json_array_new ();

      for (guint i = 0; i < self->projects->len && json_array_get_length (rows) < limit; i++)
        {
          DemoProject *project = g_ptr_array_index (self->projects, i);

          if (name_matches (project->name, name, operator)
              && kg_demo_domain_matches (self, kg_demo_project_field, project, domain))
            json_array_add_element (rows, name_pair (project->id, project->name));
        }
      return kg_demo_array_to_node (rows);
    }

  if (g_str_equal (method, "write"))
    {
      JsonObject *vals = vals_param (params, fault);
      const char *name;

      if (vals == NULL)
        return NULL;
      if (!user->project_admin)
        {
          kg_demo_fault_set (fault, 403, "odoo.exceptions.AccessError", FALSE, "%s",
                             ACCESS_ERROR_PROJECT ("modify"));
          return NULL;
        }
      if (!check_fields (vals, writable, "project.project", fault))
        return NULL;
      name = string_value (vals, "name");
      if (json_object_has_member (vals, "name") && (name == NULL || *name == '\0'))
        {
          kg_demo_fault_set (fault, 422, "odoo.exceptions.ValidationError", FALSE,
                             "The operation cannot be completed: Missing required value for "
                             "the field 'Name' (name).\nModel: 'Project' (project.project)\n");
          return NULL;
        }
      for (guint i = 0; i < n_ids; i++)
        if (project_or_fault (self, user, ids, i, fault) == NULL)
          return NULL;
      for (guint i = 0; i < n_ids; i++)
        {
          DemoProject *project = kg_demo_project_by_id (self, kg_demo_int_element (ids, i));

          if (name != NULL)
            {
              g_free (project->name);
              project->name = g_strdup (name);
            }
          if (json_object_has_member (vals, "description"))
            {
              const char *description = string_value (vals, "description");

              g_free (project->description);
              project->description = g_strdup (description);
            }
        }
      return kg_demo_bool_node (TRUE);
    }

  /* unlink */
  if (!user->project_admin)
    {
      kg_demo_fault_set (fault, 403, "odoo.exceptions.AccessError", FALSE, "%s",
                         ACCESS_ERROR_PROJECT ("delete"));
      return NULL;
    }
  for (guint i = 0; i < n_ids; i++)
    if (project_or_fault (self, user, ids, i, fault) == NULL)
      return NULL;
  for (guint i = 0; i < n_ids; i++)
    g_ptr_array_remove (self->projects,
                        kg_demo_project_by_id (self, kg_demo_int_element (ids, i)));
  return kg_demo_bool_node (TRUE);
}

/* ---- res.partner --------------------------------------------------------- */

static const char * const partner_defaults[] = { "name", "email", "is_company", NULL };
static const char * const partner_writable[] = { "name", "email", "is_company", NULL };

static gboolean
check_partner_vals (JsonObject *vals, gboolean creating, DemoFault *fault)
{
  const char *name = string_value (vals, "name");

  if (!check_fields (vals, partner_writable, "res.partner", fault))
    return FALSE;
  if ((creating || json_object_has_member (vals, "name")) && (name == NULL || *name == '\0'))
    {
      kg_demo_fault_set (fault, 422, "odoo.exceptions.ValidationError", FALSE,
                         "Contacts require a name");
      return FALSE;
    }
  return TRUE;
}

static void
apply_partner_vals (DemoPartner *partner, JsonObject *vals)
{
  JsonNode *company = json_object_get_member (vals, "is_company");

  if (string_value (vals, "name") != NULL)
    {
      g_free (partner->name);
      partner->name = g_strdup (string_value (vals, "name"));
    }
  if (json_object_has_member (vals, "email"))
    {
      g_free (partner->email);
      partner->email = g_strdup (string_value (vals, "email"));
    }
  if (company != NULL)
    partner->is_company = !kg_demo_node_is_false (company);
}

static JsonNode *
partner_search (KgDemoServer *self, const char *method, JsonObject *params, DemoFault *fault)
{
  JsonArray *domain = kg_demo_array_param (params, "domain");
  JsonArray *fields = kg_demo_array_param (params, "fields");
  gint64 offset = int_param (params, "offset", 0);
  gint64 limit = int_param (params, "limit", -1);
  g_autoptr(JsonArray) rows = json_array_new ();
  gint64 matched = 0;

  for (guint i = 0; i < self->partners->len; i++)
    {
      DemoPartner *partner = g_ptr_array_index (self->partners, i);
      JsonObject *row;

      if (!kg_demo_domain_matches (self, partner_field, partner, domain))
        continue;
      if (matched++ < offset && !g_str_equal (method, "search_count"))
        continue;
      if (limit >= 0 && json_array_get_length (rows) >= (guint) limit)
        break;
      if (g_str_equal (method, "search_read"))
        {
          row = kg_demo_read_record (self, partner_field, partner, "res.partner", fields,
                                     partner_defaults, fault);
          if (row == NULL)
            return NULL;
          json_array_add_object_element (rows, row);
        }
      else
        json_array_add_int_element (rows, partner->id);
    }

  if (g_str_equal (method, "search_count"))
    return kg_demo_int_node (json_array_get_length (rows));
  return kg_demo_array_to_node (g_steal_pointer (&rows));
}

static JsonNode *
partner_invoke (KgDemoServer *self, const DemoUser *user, const char *method, JsonArray *ids,
                JsonObject *params, DemoFault *fault)
{
  guint n_ids = ids ? json_array_get_length (ids) : 0;
  g_autoptr(GPtrArray) records = g_ptr_array_new ();

  if (g_str_equal (method, "fields_get"))
    return fields_get (partner_fields, G_N_ELEMENTS (partner_fields), params);
  if (g_str_equal (method, "search") || g_str_equal (method, "search_read")
      || g_str_equal (method, "search_count"))
    return partner_search (self, method, params, fault);

  if (g_str_equal (method, "name_search"))
    {
      const char *name = kg_demo_string_param (params, "name");
      const char *operator = kg_demo_string_param (params, "operator");
      JsonArray *domain = kg_demo_array_param (params, "domain");
      gint64 limit = int_param (params, "limit", 100);
      JsonArray *rows = json_array_new ();

      for (guint i = 0; i < self->partners->len && json_array_get_length (rows) < limit; i++)
        {
          DemoPartner *partner = g_ptr_array_index (self->partners, i);

          if (name_matches (partner->name, name, operator)
              && kg_demo_domain_matches (self, partner_field, partner, domain))
            json_array_add_element (rows, name_pair (partner->id, partner->name));
        }
      return kg_demo_array_to_node (rows);
    }

  if (g_str_equal (method, "create"))
    {
      g_autoptr(JsonArray) list = vals_list (params, fault);
      JsonNode *given = json_object_get_member (params, "vals_list");
      JsonArray *new_ids;

      if (list == NULL)
        return NULL;
      for (guint i = 0; i < json_array_get_length (list); i++)
        if (!check_partner_vals (json_array_get_object_element (list, i), TRUE, fault))
          return NULL;
      new_ids = json_array_new ();
      for (guint i = 0; i < json_array_get_length (list); i++)
        {
          DemoPartner *partner = add_partner (self, 0, NULL, NULL, FALSE, 0);

          apply_partner_vals (partner, json_array_get_object_element (list, i));
          json_array_add_int_element (new_ids, partner->id);
        }
      /* One dict gives one id, a list a list (as create does over RPC). */
      if (JSON_NODE_HOLDS_OBJECT (given))
        {
          JsonNode *id = kg_demo_int_node (json_array_get_int_element (new_ids, 0));

          json_array_unref (new_ids);
          return id;
        }
      return kg_demo_array_to_node (new_ids);
    }

  /* read, write, unlink: the records must exist (Odoo 19's read skips
   * missing ones). */
  for (guint i = 0; i < n_ids; i++)
    {
      gint64 id = kg_demo_int_element (ids, i);
      DemoPartner *partner = partner_by_id (self, id);

      if (partner == NULL && g_str_equal (method, "read") && self->odoo19)
        continue;
      if (partner == NULL)
        {
          missing_record (fault, "res.partner", id, user);
          return NULL;
        }
      g_ptr_array_add (records, partner);
    }

  if (g_str_equal (method, "read"))
    {
      JsonArray *rows = json_array_new ();
      JsonArray *fields = kg_demo_array_param (params, "fields");

      for (guint i = 0; i < records->len; i++)
        {
          JsonObject *row = kg_demo_read_record (self, partner_field,
                                                 g_ptr_array_index (records, i),
                                                 "res.partner", fields, partner_defaults,
                                                 fault);
          if (row == NULL)
            {
              json_array_unref (rows);
              return NULL;
            }
          json_array_add_object_element (rows, row);
        }
      return kg_demo_array_to_node (rows);
    }

  if (g_str_equal (method, "write"))
    {
      JsonObject *vals = vals_param (params, fault);

      if (vals == NULL || !check_partner_vals (vals, FALSE, fault))
        return NULL;
      for (guint i = 0; i < records->len; i++)
        apply_partner_vals (g_ptr_array_index (records, i), vals);
      return kg_demo_bool_node (TRUE);
    }

  /* unlink */
  for (guint i = 0; i < records->len; i++)
    {
      DemoPartner *partner = g_ptr_array_index (records, i);

      if (partner->uid != 0 || partner->id == 1)
        {
          kg_demo_fault_set (fault, 422, "odoo.exceptions.UserError", FALSE,
                             "You cannot delete the contact of a user or of the company "
                             "(%s); archive it instead.", partner->name);
          return NULL;
        }
    }
  for (guint i = 0; i < records->len; i++)
    g_ptr_array_remove (self->partners, g_ptr_array_index (records, i));
  return kg_demo_bool_node (TRUE);
}

/* ---- Models (ir.model) ---------------------------------------------------- */

typedef struct {
  guint id;
  const char *model;
  const char *name;
} DemoModel;

static const DemoModel demo_models[] = {
  { 1, "ir.model", "Models" },
  { 2, "project.project", "Project" },
  { 3, "res.groups", "Access Groups" },
  { 4, "res.partner", "Contact" },
  { 5, "res.users", "User" },
  { 6, "res.users.apikeys", "Users API Keys" },
};

static const char * const model_defaults[] = { "model", "name", NULL };

static JsonNode *
model_field (KgDemoServer *self, gconstpointer record, const char *field)
{
  const DemoModel *model = record;

  if (g_str_equal (field, "id"))
    return kg_demo_int_node (model->id);
  if (g_str_equal (field, "model"))
    return kg_demo_string_node (model->model);
  if (g_str_equal (field, "name") || g_str_equal (field, "display_name"))
    return kg_demo_string_node (model->name);
  if (g_str_equal (field, "transient"))
    return kg_demo_bool_node (FALSE);
  return NULL;
}

static JsonNode *
model_invoke (KgDemoServer *self, const char *method, JsonObject *params, DemoFault *fault)
{
  JsonArray *domain = kg_demo_array_param (params, "domain");
  JsonArray *fields = kg_demo_array_param (params, "fields");
  gint64 limit = int_param (params, "limit", -1);
  g_autoptr(JsonArray) rows = json_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (demo_models); i++)
    {
      JsonObject *row;

      if (!kg_demo_domain_matches (self, model_field, &demo_models[i], domain))
        continue;
      if (limit >= 0 && json_array_get_length (rows) >= (guint) limit)
        break;
      if (!g_str_equal (method, "search_read"))
        {
          json_array_add_int_element (rows, demo_models[i].id);
          continue;
        }
      row = kg_demo_read_record (self, model_field, &demo_models[i], "ir.model", fields,
                                 model_defaults, fault);
      if (row == NULL)
        return NULL;
      json_array_add_object_element (rows, row);
    }

  if (g_str_equal (method, "search_count"))
    return kg_demo_int_node (json_array_get_length (rows));
  return kg_demo_array_to_node (g_steal_pointer (&rows));
}

gboolean
kg_demo_records_serve (const char *model, const char *method)
{
  if (g_str_equal (model, "res.partner") || g_str_equal (model, "ir.model"))
    return TRUE;
  return g_str_equal (model, "project.project")
         && (g_str_equal (method, "write") || g_str_equal (method, "unlink")
             || g_str_equal (method, "name_search") || g_str_equal (method, "fields_get"));
}

JsonNode *
kg_demo_records_invoke (KgDemoServer   *self,
                        const DemoUser *user,
                        const char     *model,
                        const char     *method,
                        JsonArray      *ids,
                        JsonObject     *params,
                        DemoFault      *fault)
{
  if (g_str_equal (model, "res.partner"))
    return partner_invoke (self, user, method, ids, params, fault);
  if (g_str_equal (model, "ir.model"))
    return model_invoke (self, method, params, fault);
  return project_invoke (self, user, method, ids, params, fault);
}
