/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One request of a collection file. */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "kg-collection-request.h"
#include "kg-error.h"
#include "kg-json.h"

G_DEFINE_ENUM_TYPE (KgRequestKind, kg_request_kind,
                    G_DEFINE_ENUM_VALUE (KG_REQUEST_KIND_CALL, "call"),
                    G_DEFINE_ENUM_VALUE (KG_REQUEST_KIND_HTTP, "http"))

struct _KgCollectionRequest
{
  GObject        parent_instance;
  char          *name;
  KgRequestKind  kind;
  JsonObject    *body;
  JsonObject    *capture;
  JsonObject    *expect_json;
  KgExpect      *expect;
  JsonObject    *unknown;
};

G_DEFINE_FINAL_TYPE (KgCollectionRequest, kg_collection_request, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_KIND,
  PROP_SUMMARY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const known_members[] = { "name", "call", "http", "capture", "expect" };

static void
kg_collection_request_finalize (GObject *object)
{
  KgCollectionRequest *self = KG_COLLECTION_REQUEST (object);

  g_free (self->name);
  g_clear_pointer (&self->body, json_object_unref);
  g_clear_pointer (&self->capture, json_object_unref);
  g_clear_pointer (&self->expect_json, json_object_unref);
  g_clear_pointer (&self->expect, kg_expect_unref);
  g_clear_pointer (&self->unknown, json_object_unref);

  G_OBJECT_CLASS (kg_collection_request_parent_class)->finalize (object);
}

static void
kg_collection_request_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  KgCollectionRequest *self = KG_COLLECTION_REQUEST (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_SUMMARY:
      g_value_take_string (value, kg_collection_request_dup_summary (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kg_collection_request_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  KgCollectionRequest *self = KG_COLLECTION_REQUEST (object);

  switch (prop_id)
    {
    case PROP_NAME:
      kg_collection_request_set_name (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kg_collection_request_class_init (KgCollectionRequestClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kg_collection_request_finalize;
  object_class->get_property = kg_collection_request_get_property;
  object_class->set_property = kg_collection_request_set_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL, KG_TYPE_REQUEST_KIND, KG_REQUEST_KIND_CALL,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUMMARY] =
    g_param_spec_string ("summary", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kg_collection_request_init (KgCollectionRequest *self)
{
  self->name = g_strdup ("");
  self->body = json_object_new ();
  self->expect = kg_expect_new_from_json (NULL, NULL);
}

KgCollectionRequest *
kg_collection_request_new (const char *name,
                           const char *model,
                           const char *method)
{
  KgCollectionRequest *self;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (model != NULL, NULL);
  g_return_val_if_fail (method != NULL, NULL);

  self = g_object_new (KG_TYPE_COLLECTION_REQUEST, "name", name, NULL);
  json_object_set_string_member (self->body, "model", model);
  json_object_set_string_member (self->body, "method", method);
  json_object_set_array_member (self->body, "args", json_array_new ());
  return self;
}

/* ---- Shape checks -------------------------------------------------------- */

/* @member of @object, when present, must be an object of string values. */
static gboolean
check_string_map (JsonObject  *object,
                  const char  *member,
                  GError     **error)
{
  JsonObject *map = NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  if (!kg_json_read_object (object, member, FALSE, &map, error))
    return FALSE;
  if (map == NULL)
    return TRUE;
  json_object_iter_init_ordered (&iter, map);
  while (json_object_iter_next_ordered (&iter, &name, &value))
    if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
      {
        g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                     /* Translators: the first %s is a name in the object named by the
                      * second (headers, query, form) */
                     _("The value of “%s” in “%s” must be a string."), name, member);
        return FALSE;
      }
  return TRUE;
}

static gboolean
check_call (JsonObject  *call,
            GError     **error)
{
  const char *text = NULL;
  JsonNode *node;

  if (!kg_json_read_string (call, "model", TRUE, &text, error)
      || !kg_json_read_string (call, "method", TRUE, &text, error))
    return FALSE;
  node = json_object_get_member (call, "args");
  if (node != NULL && !JSON_NODE_HOLDS_ARRAY (node) && !JSON_NODE_HOLDS_NULL (node))
    return kg_json_member_error (error, "args", _("an array"));
  node = json_object_get_member (call, "kwargs");
  if (node != NULL && !JSON_NODE_HOLDS_OBJECT (node) && !JSON_NODE_HOLDS_NULL (node))
    return kg_json_member_error (error, "kwargs", _("a JSON object"));
  return TRUE;
}

static gboolean
check_http (JsonObject  *http,
            GError     **error)
{
  static const char * const methods[] = { "GET", "POST", "PUT", "PATCH", "DELETE" };
  static const char * const auths[] = { "none", "api-key", "token" };
  const char *method = NULL;
  const char *text = NULL;
  const char *auth = NULL;
  guint bodies = 0;
  gboolean found = FALSE;

  if (!kg_json_read_string (http, "method", TRUE, &method, error)
      || !kg_json_read_string (http, "path", TRUE, &text, error)
      || !kg_json_read_string (http, "origin", FALSE, &text, error)
      || !kg_json_read_string (http, "auth", FALSE, &auth, error)
      || !kg_json_read_string (http, "data", FALSE, &text, error)
      || !check_string_map (http, "query", error)
      || !check_string_map (http, "headers", error)
      || !check_string_map (http, "form", error))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    found = found || g_ascii_strcasecmp (method, methods[i]) == 0;
  if (!found && strstr (method, "{{") == NULL)
    {
      g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                   /* Translators: %s is an HTTP method the file gives */
                   _("“%s” is not an HTTP method Keygate sends: use GET, POST, PUT, PATCH or "
                     "DELETE."), method);
      return FALSE;
    }
  found = auth == NULL;
  for (guint i = 0; i < G_N_ELEMENTS (auths) && !found; i++)
    found = g_str_equal (auth, auths[i]);
  if (!found && strstr (auth, "{{") == NULL)
    {
      g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                   /* Translators: %s is what the file gives as "auth"; keep the words */
                   _("“%s” is not a way to authenticate: use none, api-key or token."), auth);
      return FALSE;
    }
  bodies += json_object_has_member (http, "json");
  bodies += json_object_has_member (http, "form");
  bodies += json_object_has_member (http, "data");
  if (bodies > 1)
    {
      g_set_error_literal (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                           _("A request has at most one body: “json”, “form” or “data”."));
      return FALSE;
    }
  return TRUE;
}

gboolean
kg_collection_request_check_body (KgRequestKind   kind,
                                  JsonObject     *body,
                                  GError        **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (body != NULL, FALSE);

  if (kind == KG_REQUEST_KIND_CALL ? check_call (body, &local_error)
                                   : check_http (body, &local_error))
    return TRUE;
  g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ",
                              kind == KG_REQUEST_KIND_CALL ? "call" : "http");
  return FALSE;
}

/* ---- Construction -------------------------------------------------------- */

KgCollectionRequest *
kg_collection_request_new_from_json (JsonObject  *object,
                                     GError     **error)
{
  g_autoptr(KgCollectionRequest) self = NULL;
  const char *name = NULL;
  JsonObject *call = NULL;
  JsonObject *http = NULL;
  JsonObject *capture = NULL;
  JsonObject *expect = NULL;

  g_return_val_if_fail (object != NULL, NULL);

  if (!kg_json_read_string (object, "name", TRUE, &name, error)
      || !kg_json_read_object (object, "call", FALSE, &call, error)
      || !kg_json_read_object (object, "http", FALSE, &http, error)
      || !kg_json_read_object (object, "capture", FALSE, &capture, error)
      || !kg_json_read_object (object, "expect", FALSE, &expect, error))
    return NULL;
  if ((call == NULL) == (http == NULL))
    {
      g_set_error_literal (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                           call == NULL
                           ? _("The request has neither “call” nor “http”: give one of them.")
                           : _("The request has both “call” and “http”: give only one."));
      return NULL;
    }

  self = g_object_new (KG_TYPE_COLLECTION_REQUEST, "name", name, NULL);
  if (!kg_collection_request_set_body (self,
                                       call != NULL ? KG_REQUEST_KIND_CALL : KG_REQUEST_KIND_HTTP,
                                       call != NULL ? call : http, error)
      || !kg_collection_request_set_capture (self, capture, error)
      || !kg_collection_request_set_expect (self, expect, error))
    return NULL;
  self->unknown = kg_json_object_dup_unknown (object, known_members,
                                              G_N_ELEMENTS (known_members));
  return g_steal_pointer (&self);
}

JsonObject *
kg_collection_request_to_json (KgCollectionRequest *self)
{
  JsonObject *object;

  g_return_val_if_fail (KG_IS_COLLECTION_REQUEST (self), NULL);

  object = json_object_new ();
  json_object_set_string_member (object, "name", self->name);
  json_object_set_object_member (object,
                                 self->kind == KG_REQUEST_KIND_CALL ? "call" : "http",
                                 kg_json_object_deep_copy (self->body));
  if (self->capture != NULL)
    json_object_set_object_member (object, "capture", kg_json_object_deep_copy (self->capture));
  if (self->expect_json != NULL)
    json_object_set_object_member (object, "expect",
                                   kg_json_object_deep_copy (self->expect_json));
  kg_json_object_add_members (object, self->unknown);
  return object;
}

KgCollectionRequest *
kg_collection_request_copy (KgCollectionRequest *self)
{
  g_autoptr(JsonObject) object = NULL;

  g_return_val_if_fail (KG_IS_COLLECTION_REQUEST (self), NULL);

  object = kg_collection_request_to_json (self);
  return kg_collection_request_new_from_json (object, NULL);
}

/* ---- Accessors ----------------------------------------------------------- */

const char *
kg_collection_request_get_name (KgCollectionRequest *self)
{
  g_return_val_if_fail (KG_IS_COLLECTION_REQUEST (self), NULL);

  return self->name;
}

void
kg_collection_request_set_name (KgCollectionRequest *self,
                                const char          *name)
{
  g_return_if_fail (KG_IS_COLLECTION_REQUEST (self));

  if (name == NULL)
    name = "";
  if (g_strcmp0 (self->name, name) == 0)
    return;
  g_free (self->name);
  self->name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

KgRequestKind
kg_collection_request_get_kind (KgCollectionRequest *self)
{
  g_return_val_if_fail (KG_IS_COLLECTION_REQUEST (self), KG_REQUEST_KIND_CALL);

  return self->kind;
}

JsonObject *
kg_collection_request_get_body (KgCollectionRequest *self)
{
  g_return_val_if_fail (KG_IS_COLLECTION_REQUEST (self), NULL);

  return self->body;
}

gboolean
kg_collection_request_set_body (KgCollectionRequest  *self,
                                KgRequestKind         kind,
                                JsonObject           *body,
                                GError              **error)
{
  gboolean kind_changed;

  g_return_val_if_fail (KG_IS_COLLECTION_REQUEST (self), FALSE);
  g_return_val_if_fail (body != NULL, FALSE);

  if (!kg_collection_request_check_body (kind, body, error))
    return FALSE;
  kind_changed = kind != self->kind;
  g_clear_pointer (&self->body, json_object_unref);
  self->body = kg_json_object_deep_copy (body);
  self->kind = kind;
  if (kind_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUMMARY]);
  return TRUE;
}

char *
kg_collection_request_dup_summary (KgCollectionRequest *self)
{
  const char *a;
  const char *b;

  g_return_val_if_fail (KG_IS_COLLECTION_REQUEST (self), NULL);

  if (self->kind == KG_REQUEST_KIND_CALL)
    {
      a = json_object_get_string_member_with_default (self->body, "model", "");
      b = json_object_get_string_member_with_default (self->body, "method", "");
      return g_strdup_printf ("%s.%s", a, b);
    }
  a = json_object_get_string_member_with_default (self->body, "method", "");
  b = json_object_get_string_member_with_default (self->body, "path", "");
  {
    g_autofree char *upper = g_ascii_strup (a, -1);

    return g_strdup_printf ("%s %s", upper, b);
  }
}

JsonObject *
kg_collection_request_get_capture (KgCollectionRequest *self)
{
  g_return_val_if_fail (KG_IS_COLLECTION_REQUEST (self), NULL);

  return self->capture;
}

gboolean
kg_collection_request_set_capture (KgCollectionRequest  *self,
                                   JsonObject           *capture,
                                   GError              **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (KG_IS_COLLECTION_REQUEST (self), FALSE);

  if (!kg_capture_validate (capture, &local_error))
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "capture: ");
      return FALSE;
    }
  g_clear_pointer (&self->capture, json_object_unref);
  if (capture != NULL)
    self->capture = kg_json_object_deep_copy (capture);
  return TRUE;
}

JsonObject *
kg_collection_request_get_expect_json (KgCollectionRequest *self)
{
  g_return_val_if_fail (KG_IS_COLLECTION_REQUEST (self), NULL);

  return self->expect_json;
}

KgExpect *
kg_collection_request_get_expect (KgCollectionRequest *self)
{
  g_return_val_if_fail (KG_IS_COLLECTION_REQUEST (self), NULL);

  return self->expect;
}

gboolean
kg_collection_request_set_expect (KgCollectionRequest  *self,
                                  JsonObject           *expect,
                                  GError              **error)
{
  g_autoptr(GError) local_error = NULL;
  KgExpect *parsed;

  g_return_val_if_fail (KG_IS_COLLECTION_REQUEST (self), FALSE);

  parsed = kg_expect_new_from_json (expect, &local_error);
  if (parsed == NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "expect: ");
      return FALSE;
    }
  g_clear_pointer (&self->expect, kg_expect_unref);
  self->expect = parsed;
  g_clear_pointer (&self->expect_json, json_object_unref);
  if (expect != NULL)
    self->expect_json = kg_json_object_deep_copy (expect);
  return TRUE;
}
