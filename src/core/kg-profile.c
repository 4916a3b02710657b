/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "keygate-profile"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "kg-error.h"
#include "kg-json.h"
#include "kg-profile.h"
#include "kg-text.h"

#define KG_PROFILE_DEFAULT_TIMEOUT 30
#define KG_PROFILE_MIN_TIMEOUT     1
#define KG_PROFILE_MAX_TIMEOUT     600

/* Enums ----------------------------------------------------------------- */

G_DEFINE_ENUM_TYPE (KgProtocol, kg_protocol,
                    G_DEFINE_ENUM_VALUE (KG_PROTOCOL_JSONRPC, "jsonrpc"),
                    G_DEFINE_ENUM_VALUE (KG_PROTOCOL_TOKEN, "token"))

KG_JSON_DEFINE_ENUM_STRINGS (KgProtocol, kg_protocol, KG_TYPE_PROTOCOL)

/* The profile file reads the TLS policy through its GType (any case); the
 * command line keeps the exact words of kg_tls_policy_from_string. */
G_DEFINE_ENUM_TYPE (KgTlsPolicy, kg_tls_policy,
                    G_DEFINE_ENUM_VALUE (KG_TLS_POLICY_VERIFY, "verify"),
                    G_DEFINE_ENUM_VALUE (KG_TLS_POLICY_ACCEPT_INVALID, "accept-invalid"))

const char *
kg_tls_policy_to_string (KgTlsPolicy policy)
{
  switch (policy)
    {
    case KG_TLS_POLICY_VERIFY: return "verify";
    case KG_TLS_POLICY_ACCEPT_INVALID: return "accept-invalid";
    default: return NULL;
    }
}

gboolean
kg_tls_policy_from_string (const char  *text,
                           KgTlsPolicy *policy)
{
  KgTlsPolicy value;

  if (g_strcmp0 (text, "verify") == 0)
    value = KG_TLS_POLICY_VERIFY;
  else if (g_strcmp0 (text, "accept-invalid") == 0)
    value = KG_TLS_POLICY_ACCEPT_INVALID;
  else
    return FALSE;

  if (policy != NULL)
    *policy = value;
  return TRUE;
}

/* The object ------------------------------------------------------------ */

struct _KgProfile
{
  GObject       parent_instance;

  char         *id;
  char         *name;
  char         *url;
  char         *database;
  char         *login;
  KgProtocol    protocol;
  guint         timeout;
  KgTlsPolicy   tls_policy;
  char         *key_name;
  KgTokenSpec  *token_spec;
  KgCreateSpec *create_spec;

  gboolean      insecure;

  /* Members of the JSON object this profile was loaded from that we don't
   * know: written back by kg_profile_to_json. */
  JsonObject   *unknown;
};

G_DEFINE_FINAL_TYPE (KgProfile, kg_profile, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_URL,
  PROP_DATABASE,
  PROP_LOGIN,
  PROP_PROTOCOL,
  PROP_TIMEOUT,
  PROP_TLS_POLICY,
  PROP_KEY_NAME,
  PROP_TOKEN_SPEC,
  PROP_CREATE_SPEC,
  PROP_INSECURE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const known_keys[] = {
  "id", "name", "url", "database", "login", "protocol", "timeout",
  "tls_policy", "key_name", "token", "create",
};

/* Replaces *@field by a copy of @value; returns whether it changed. */
static gboolean
replace_string (char       **field,
                const char  *value)
{
  char *copy;

  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  copy = g_strdup (value);
  g_free (*field);
  *field = copy;
  return TRUE;
}

/* Surrounding whitespace and trailing slashes go, in turns until neither is
 * left ("https://x/ /" → "https://x"), so that normalising a normalised URL
 * changes nothing and a profile reloads with the URL it was saved with. */
static char *
normalize_url (const char *url)
{
  char *copy = g_strdup (url ? url : "");
  gsize len;

  do
    {
      g_strstrip (copy);
      len = strlen (copy);
      if (len == 0 || copy[len - 1] != '/')
        break;
      while (len > 0 && copy[len - 1] == '/')
        copy[--len] = '\0';
    }
  while (TRUE);

  return copy;
}

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *bare = NULL;
  gsize len;

  if (host == NULL || host[0] == '\0')
    return FALSE;

  if (g_ascii_strcasecmp (host, "localhost") == 0 ||
      g_ascii_strcasecmp (host, "localhost.") == 0)
    return TRUE;

  /* GUri keeps the brackets of an IPv6 literal. */
  len = strlen (host);
  if (host[0] == '[' && host[len - 1] == ']')
    bare = g_strndup (host + 1, len - 2);
  else
    bare = g_strdup (host);

  address = g_inet_address_new_from_string (bare);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

static gboolean
compute_insecure (const char *url)
{
  g_autoptr(GUri) uri = NULL;

  if (url == NULL || url[0] == '\0')
    return FALSE;

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return g_ascii_strncasecmp (url, "http://", 7) == 0;

  if (g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") != 0)
    return FALSE;

  return !host_is_loopback (g_uri_get_host (uri));
}

/* Insecure: the key can be read on the way, by an http:// address to
 * another host, or by accepting invalid certificates. */
static void
update_insecure (KgProfile *self)
{
  gboolean insecure = compute_insecure (self->url) ||
                      self->tls_policy == KG_TLS_POLICY_ACCEPT_INVALID;

  if (insecure != self->insecure)
    {
      self->insecure = insecure;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INSECURE]);
    }
}

static void
kg_profile_dispose (GObject *object)
{
  KgProfile *self = (KgProfile *)object;

  g_clear_object (&self->token_spec);
  g_clear_object (&self->create_spec);

  G_OBJECT_CLASS (kg_profile_parent_class)->dispose (object);
}

static void
kg_profile_finalize (GObject *object)
{
  KgProfile *self = (KgProfile *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->database, g_free);
  g_clear_pointer (&self->login, g_free);
  g_clear_pointer (&self->key_name, g_free);
  g_clear_pointer (&self->unknown, json_object_unref);

  G_OBJECT_CLASS (kg_profile_parent_class)->finalize (object);
}

static void
kg_profile_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  KgProfile *self = KG_PROFILE (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_string (value, self->id); break;
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_URL: g_value_set_string (value, self->url); break;
    case PROP_DATABASE: g_value_set_string (value, self->database); break;
    case PROP_LOGIN: g_value_set_string (value, self->login); break;
    case PROP_PROTOCOL: g_value_set_enum (value, self->protocol); break;
    case PROP_TIMEOUT: g_value_set_uint (value, self->timeout); break;
    case PROP_TLS_POLICY: g_value_set_uint (value, self->tls_policy); break;
    case PROP_KEY_NAME: g_value_set_string (value, self->key_name); break;
    case PROP_TOKEN_SPEC: g_value_set_object (value, self->token_spec); break;
    case PROP_CREATE_SPEC: g_value_set_object (value, self->create_spec); break;
    case PROP_INSECURE: g_value_set_boolean (value, self->insecure); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kg_profile_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  KgProfile *self = KG_PROFILE (object);

  switch (prop_id)
    {
    case PROP_ID:
      /* Construct-only; NULL keeps the random id from init. */
      if (g_value_get_string (value) != NULL && g_value_get_string (value)[0] != '\0')
        replace_string (&self->id, g_value_get_string (value));
      break;
    case PROP_NAME: kg_profile_set_name (self, g_value_get_string (value)); break;
    case PROP_URL: kg_profile_set_url (self, g_value_get_string (value)); break;
    case PROP_DATABASE: kg_profile_set_database (self, g_value_get_string (value)); break;
    case PROP_LOGIN: kg_profile_set_login (self, g_value_get_string (value)); break;
    case PROP_PROTOCOL: kg_profile_set_protocol (self, g_value_get_enum (value)); break;
    case PROP_TIMEOUT: kg_profile_set_timeout (self, g_value_get_uint (value)); break;
    case PROP_TLS_POLICY: kg_profile_set_tls_policy (self, g_value_get_uint (value)); break;
    case PROP_KEY_NAME: kg_profile_set_key_name (self, g_value_get_string (value)); break;
    case PROP_TOKEN_SPEC: kg_profile_set_token_spec (self, g_value_get_object (value)); break;
    case PROP_CREATE_SPEC: kg_profile_set_create_spec (self, g_value_get_object (value)); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kg_profile_class_init (KgProfileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = kg_profile_dispose;
  object_class->finalize = kg_profile_finalize;
  object_class->get_property = kg_profile_get_property;
  object_class->set_property = kg_profile_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, "", flags);
  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL, "", flags);
  properties[PROP_DATABASE] =
    g_param_spec_string ("database", NULL, NULL, "", flags);
  properties[PROP_LOGIN] =
    g_param_spec_string ("login", NULL, NULL, "", flags);
  properties[PROP_PROTOCOL] =
    g_param_spec_enum ("protocol", NULL, NULL, KG_TYPE_PROTOCOL, KG_PROTOCOL_JSONRPC, flags);
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 0, G_MAXUINT, KG_PROFILE_DEFAULT_TIMEOUT, flags);
  /* A KgTlsPolicy value. */
  properties[PROP_TLS_POLICY] =
    g_param_spec_uint ("tls-policy", NULL, NULL,
                       KG_TLS_POLICY_VERIFY, KG_TLS_POLICY_ACCEPT_INVALID, KG_TLS_POLICY_VERIFY,
                       flags);
  properties[PROP_KEY_NAME] =
    g_param_spec_string ("key-name", NULL, NULL, NULL, flags);
  properties[PROP_TOKEN_SPEC] =
    g_param_spec_object ("token-spec", NULL, NULL, KG_TYPE_TOKEN_SPEC, flags);
  properties[PROP_CREATE_SPEC] =
    g_param_spec_object ("create-spec", NULL, NULL, KG_TYPE_CREATE_SPEC, flags);
  properties[PROP_INSECURE] =
    g_param_spec_boolean ("insecure", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kg_profile_init (KgProfile *self)
{
  self->id = g_uuid_string_random ();
  self->name = g_strdup ("");
  self->url = g_strdup ("");
  self->database = g_strdup ("");
  self->login = g_strdup ("");
  self->protocol = KG_PROTOCOL_JSONRPC;
  self->timeout = KG_PROFILE_DEFAULT_TIMEOUT;
  self->tls_policy = KG_TLS_POLICY_VERIFY;
  self->token_spec = kg_token_spec_new_for_preset (KG_TOKEN_PRESET_TUTORIAL);
  self->create_spec = kg_create_spec_new ();
}

KgProfile *
kg_profile_new (void)
{
  return g_object_new (KG_TYPE_PROFILE, NULL);
}

static gboolean
read_members (gpointer     instance,
              JsonObject  *object,
              GError     **error)
{
  static const struct {
    const char *member;
    void      (*set) (KgProfile *self, const char *text);
  } texts[] = {
    { "name", kg_profile_set_name },
    { "url", kg_profile_set_url },
    { "database", kg_profile_set_database },
    { "login", kg_profile_set_login },
    { "key_name", kg_profile_set_key_name },
  };
  KgProfile *self = instance;
  JsonObject *settings = NULL;  /* "token" and "create": only checked here */
  const char *id = NULL;
  int protocol = self->protocol;
  int tls_policy = self->tls_policy;
  guint timeout = self->timeout;

  /* The id is construct-only; none (or "") keeps the random one. */
  if (!kg_json_read_string (object, "id", FALSE, &id, error))
    return FALSE;
  if (id != NULL && id[0] != '\0')
    replace_string (&self->id, id);

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      const char *text = NULL;

      if (!kg_json_read_string (object, texts[i].member, FALSE, &text, error))
        return FALSE;
      texts[i].set (self, text);
    }

  if (!kg_json_read_enum (object, "protocol", FALSE, KG_TYPE_PROTOCOL, &protocol, error) ||
      !kg_json_read_enum (object, "tls_policy", FALSE, KG_TYPE_TLS_POLICY, &tls_policy, error) ||
      !kg_json_read_uint (object, "timeout", FALSE, &timeout, error) ||
      !kg_json_read_object (object, "token", FALSE, &settings, error) ||
      !kg_json_read_object (object, "create", FALSE, &settings, error))
    return FALSE;
  kg_profile_set_protocol (self, protocol);
  kg_profile_set_tls_policy (self, tls_policy);
  kg_profile_set_timeout (self, timeout);

  self->unknown = kg_json_object_dup_unknown (object, known_keys, G_N_ELEMENTS (known_keys));
  return TRUE;
}

KgProfile *
kg_profile_new_from_json (JsonObject  *object,
                          GError     **error)
{
  g_autoptr(KgProfile) self = NULL;
  g_autoptr(KgTokenSpec) token_spec = NULL;
  g_autoptr(KgCreateSpec) create_spec = NULL;
  JsonObject *token = NULL;
  JsonObject *create = NULL;

  self = kg_json_load (KG_TYPE_PROFILE, object, read_members, _("Profile: "), error);
  if (self == NULL)
    return NULL;

  /* Checked to be objects (or absent) by read_members; the settings name
   * themselves in their errors. */
  kg_json_read_object (object, "token", FALSE, &token, NULL);
  kg_json_read_object (object, "create", FALSE, &create, NULL);
  if (token != NULL && (token_spec = kg_token_spec_new_from_json (token, error)) == NULL)
    return NULL;
  if (create != NULL && (create_spec = kg_create_spec_new_from_json (create, error)) == NULL)
    return NULL;
  if (token_spec != NULL)
    kg_profile_set_token_spec (self, token_spec);
  if (create_spec != NULL)
    kg_profile_set_create_spec (self, create_spec);

  return g_steal_pointer (&self);
}

JsonObject *
kg_profile_to_json (KgProfile *self)
{
  JsonObject *object;

  g_return_val_if_fail (KG_IS_PROFILE (self), NULL);

  object = json_object_new ();
  json_object_set_string_member (object, "id", self->id);
  json_object_set_string_member (object, "name", self->name);
  json_object_set_string_member (object, "url", self->url);
  json_object_set_string_member (object, "database", self->database);
  json_object_set_string_member (object, "login", self->login);
  json_object_set_string_member (object, "protocol", kg_protocol_to_string (self->protocol));
  json_object_set_int_member (object, "timeout", self->timeout);
  json_object_set_string_member (object, "tls_policy", kg_tls_policy_to_string (self->tls_policy));
  if (self->key_name != NULL)
    json_object_set_string_member (object, "key_name", self->key_name);
  json_object_set_object_member (object, "token", kg_token_spec_to_json (self->token_spec));
  json_object_set_object_member (object, "create", kg_create_spec_to_json (self->create_spec));
  kg_json_object_add_members (object, self->unknown);

  return object;
}

/* A copy with the same id (and unknown members): edit it, then copy back. */
KgProfile *
kg_profile_dup (KgProfile *self)
{
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;
  KgProfile *copy;

  g_return_val_if_fail (KG_IS_PROFILE (self), NULL);

  object = kg_profile_to_json (self);
  copy = kg_profile_new_from_json (object, &error);
  g_assert_no_error (error);
  return copy;
}

/* Getters and setters --------------------------------------------------- */

const char *
kg_profile_get_id (KgProfile *self)
{
  g_return_val_if_fail (KG_IS_PROFILE (self), NULL);
  return self->id;
}

const char *
kg_profile_get_name (KgProfile *self)
{
  g_return_val_if_fail (KG_IS_PROFILE (self), NULL);
  return self->name;
}

void
kg_profile_set_name (KgProfile  *self,
                     const char *name)
{
  g_autofree char *trimmed = NULL;

  g_return_if_fail (KG_IS_PROFILE (self));

  trimmed = g_strstrip (g_strdup (name ? name : ""));
  if (replace_string (&self->name, trimmed))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

const char *
kg_profile_get_url (KgProfile *self)
{
  g_return_val_if_fail (KG_IS_PROFILE (self), NULL);
  return self->url;
}

void
kg_profile_set_url (KgProfile  *self,
                    const char *url)
{
  g_autofree char *normalized = NULL;
  g_return_if_fail (KG_IS_PROFILE (self));

  normalized = normalize_url (url);
  if (!replace_string (&self->url, normalized))
    return;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URL]);
  update_insecure (self);
}

const char *
kg_profile_get_database (KgProfile *self)
{
  g_return_val_if_fail (KG_IS_PROFILE (self), NULL);
  return self->database;
}

void
kg_profile_set_database (KgProfile  *self,
                         const char *database)
{
  g_autofree char *trimmed = NULL;

  g_return_if_fail (KG_IS_PROFILE (self));

  trimmed = g_strstrip (g_strdup (database ? database : ""));
  if (replace_string (&self->database, trimmed))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATABASE]);
}

const char *
kg_profile_get_login (KgProfile *self)
{
  g_return_val_if_fail (KG_IS_PROFILE (self), NULL);
  return self->login;
}

void
kg_profile_set_login (KgProfile  *self,
                      const char *login)
{
  g_autofree char *trimmed = NULL;

  g_return_if_fail (KG_IS_PROFILE (self));

  trimmed = g_strstrip (g_strdup (login ? login : ""));
  if (replace_string (&self->login, trimmed))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOGIN]);
}

KgProtocol
kg_profile_get_protocol (KgProfile *self)
{
  g_return_val_if_fail (KG_IS_PROFILE (self), KG_PROTOCOL_JSONRPC);
  return self->protocol;
}

void
kg_profile_set_protocol (KgProfile  *self,
                         KgProtocol  protocol)
{
  g_return_if_fail (KG_IS_PROFILE (self));
  g_return_if_fail (kg_protocol_to_string (protocol) != NULL);

  if (self->protocol == protocol)
    return;
  self->protocol = protocol;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROTOCOL]);
}

guint
kg_profile_get_timeout (KgProfile *self)
{
  g_return_val_if_fail (KG_IS_PROFILE (self), KG_PROFILE_DEFAULT_TIMEOUT);
  return self->timeout;
}

/* Any value is kept (so the GUI can show what was typed); validation
 * rejects one outside 1..600. */
void
kg_profile_set_timeout (KgProfile *self,
                        guint      seconds)
{
  g_return_if_fail (KG_IS_PROFILE (self));

  if (self->timeout == seconds)
    return;
  self->timeout = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

KgTlsPolicy
kg_profile_get_tls_policy (KgProfile *self)
{
  g_return_val_if_fail (KG_IS_PROFILE (self), KG_TLS_POLICY_VERIFY);
  return self->tls_policy;
}

void
kg_profile_set_tls_policy (KgProfile   *self,
                           KgTlsPolicy  policy)
{
  g_return_if_fail (KG_IS_PROFILE (self));
  g_return_if_fail (kg_tls_policy_to_string (policy) != NULL);

  if (self->tls_policy == policy)
    return;
  self->tls_policy = policy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TLS_POLICY]);
  update_insecure (self);
}

/**
 * kg_profile_dup_insecure_reason:
 *
 * Why the key is not safe on the way to this profile's server, in a
 * sentence (two when both apply), or NULL when it is.
 */
char *
kg_profile_dup_insecure_reason (KgProfile *self)
{
  gboolean plain_http;
  gboolean any_certificate;

  g_return_val_if_fail (KG_IS_PROFILE (self), NULL);

  plain_http = compute_insecure (self->url);
  any_certificate = self->tls_policy == KG_TLS_POLICY_ACCEPT_INVALID;
  if (plain_http && any_certificate)
    return g_strdup (_("This connection uses http:// to a host that is not this computer, so "
                       "the API key travels unencrypted, and it accepts invalid certificates."));
  if (plain_http)
    return g_strdup (_("This connection uses http:// to a host that is not this computer, so "
                       "the API key travels unencrypted."));
  if (any_certificate)
    return g_strdup (_("This connection accepts invalid TLS certificates, so anyone between you "
                       "and the server can pose as it and read the API key."));
  return NULL;
}

const char *
kg_profile_get_key_name (KgProfile *self)
{
  g_return_val_if_fail (KG_IS_PROFILE (self), NULL);
  return self->key_name;
}

/* An empty or blank name is stored as NULL. */
void
kg_profile_set_key_name (KgProfile  *self,
                         const char *key_name)
{
  g_autofree char *trimmed = NULL;

  g_return_if_fail (KG_IS_PROFILE (self));

  if (key_name != NULL)
    {
      trimmed = g_strstrip (g_strdup (key_name));
      if (trimmed[0] == '\0')
        g_clear_pointer (&trimmed, g_free);
    }
  if (replace_string (&self->key_name, trimmed))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEY_NAME]);
}

KgTokenSpec *
kg_profile_get_token_spec (KgProfile *self)
{
  g_return_val_if_fail (KG_IS_PROFILE (self), NULL);
  return self->token_spec;
}

/* Takes a reference; NULL resets to the tutorial preset. */
void
kg_profile_set_token_spec (KgProfile   *self,
                           KgTokenSpec *spec)
{
  g_autoptr(KgTokenSpec) fresh = NULL;

  g_return_if_fail (KG_IS_PROFILE (self));
  g_return_if_fail (spec == NULL || KG_IS_TOKEN_SPEC (spec));

  if (spec == NULL)
    spec = fresh = kg_token_spec_new_for_preset (KG_TOKEN_PRESET_TUTORIAL);
  if (g_set_object (&self->token_spec, spec))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN_SPEC]);
}

KgCreateSpec *
kg_profile_get_create_spec (KgProfile *self)
{
  g_return_val_if_fail (KG_IS_PROFILE (self), NULL);
  return self->create_spec;
}

/* Takes a reference; NULL resets to the defaults. */
void
kg_profile_set_create_spec (KgProfile    *self,
                            KgCreateSpec *spec)
{
  g_autoptr(KgCreateSpec) fresh = NULL;

  g_return_if_fail (KG_IS_PROFILE (self));
  g_return_if_fail (spec == NULL || KG_IS_CREATE_SPEC (spec));

  if (spec == NULL)
    spec = fresh = kg_create_spec_new ();
  if (g_set_object (&self->create_spec, spec))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREATE_SPEC]);
}

gboolean
kg_profile_is_insecure (KgProfile *self)
{
  g_return_val_if_fail (KG_IS_PROFILE (self), FALSE);
  return self->insecure;
}

/* "host[:port]/database", or as much of it as is known. */
char *
kg_profile_dup_subtitle (KgProfile *self)
{
  g_autoptr(GUri) uri = NULL;
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (KG_IS_PROFILE (self), NULL);

  uri = g_uri_parse (self->url, G_URI_FLAGS_NONE, NULL);
  if (uri != NULL && g_uri_get_host (uri) != NULL && g_uri_get_host (uri)[0] != '\0')
    {
      const char *host = g_uri_get_host (uri);

      if (strchr (host, ':') != NULL && host[0] != '[')
        g_string_append_printf (text, "[%s]", host);
      else
        g_string_append (text, host);
      if (g_uri_get_port (uri) > 0)
        g_string_append_printf (text, ":%d", g_uri_get_port (uri));
    }
  else
    {
      g_string_append (text, self->url);
    }

  if (self->database[0] != '\0')
    {
      g_string_append_c (text, '/');
      g_string_append (text, self->database);
    }

  return g_string_free (text, FALSE);
}

char *
kg_profile_build_url (KgProfile  *self,
                      const char *path)
{
  g_return_val_if_fail (KG_IS_PROFILE (self), NULL);

  if (path == NULL || path[0] == '\0')
    return g_strdup (self->url);

  while (*path == '/')
    path++;
  return g_strconcat (self->url, "/", path, NULL);
}

/* Validation ------------------------------------------------------------ */

gboolean
kg_profile_validate_name (const char  *name,
                          GError     **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (name ? name : ""));

  if (trimmed[0] == '\0')
    {
      g_set_error_literal (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                           _("Name: enter a name for the profile."));
      return FALSE;
    }
  return TRUE;
}

gboolean
kg_profile_validate_url (const char  *url,
                         GError     **error)
{
  g_autofree char *normalized = normalize_url (url);
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *scheme;
  const char *host;

  if (normalized[0] == '\0')
    {
      g_set_error_literal (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                           _("URL: enter the address of the Odoo server, e.g. "
                             "https://odoo.example.com."));
      return FALSE;
    }

  if (strstr (normalized, "://") == NULL)
    {
      g_set_error_literal (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                           _("URL: the address must start with https:// or http://, e.g. "
                             "https://odoo.example.com."));
      return FALSE;
    }

  uri = g_uri_parse (normalized, G_URI_FLAGS_NONE, &local_error);
  if (uri == NULL)
    {
      g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                   /* Translators: %s is the reason given by GLib */
                   _("URL: this is not a valid address (%s). Write it as "
                     "https://odoo.example.com."),
                   local_error->message);
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    {
      g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                   _("URL: the address must start with https:// or http://, not “%s:”."), scheme);
      return FALSE;
    }

  host = g_uri_get_host (uri);
  if (host == NULL || host[0] == '\0')
    {
      g_set_error_literal (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                           _("URL: the address has no host name, e.g. https://odoo.example.com."));
      return FALSE;
    }

  for (const char *p = host; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p) || strchr ("<>\"{}|\\^`%", *p) != NULL)
        {
          g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                       _("URL: “%s” is not a valid host name."), host);
          return FALSE;
        }
    }

  /* GUri reads ":0" as port 0; nothing listens there. */
  if (g_uri_get_port (uri) == 0)
    {
      g_set_error_literal (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                           _("URL: port 0 is not a port a server can listen on; give the "
                             "server’s port, or none for the scheme’s default."));
      return FALSE;
    }

  if (g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error_literal (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                           _("URL: remove the user name and password from the address; the login "
                             "has its own field and the key goes in the keyring."));
      return FALSE;
    }

  if (g_uri_get_query (uri) != NULL)
    {
      g_set_error_literal (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                           _("URL: remove the query (the part from “?”) from the address."));
      return FALSE;
    }

  if (g_uri_get_fragment (uri) != NULL)
    {
      g_set_error_literal (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                           _("URL: remove the fragment (the part from “#”) from the address."));
      return FALSE;
    }

  return TRUE;
}

gboolean
kg_profile_validate (KgProfile  *self,
                     GError    **error)
{
  g_return_val_if_fail (KG_IS_PROFILE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!kg_profile_validate_name (self->name, error))
    return FALSE;

  if (!kg_profile_validate_url (self->url, error))
    return FALSE;

  /* What the window and the CLI show about a connection cannot be turned
   * around (U+202E) or drive a terminal. */
  {
    const struct { const char *value; const char *what; } fields[] = {
      /* Translators: the field names of the error below */
      { self->name, N_("Name") }, { self->url, N_("URL") },
      { self->database, N_("Database") }, { self->login, N_("Login") },
    };

    for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
      if (kg_text_has_controls (fields[i].value))
        {
          g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                       /* Translators: %s is a field name (Name, URL, Database, Login) */
                       _("%s: it contains a control or text-direction character; type it "
                         "again without it."), _(fields[i].what));
          return FALSE;
        }
  }

  if (self->database[0] == '\0')
    {
      g_set_error_literal (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                           _("Database: enter the name of the Odoo database."));
      return FALSE;
    }

  if (self->login[0] == '\0')
    {
      g_set_error_literal (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                           _("Login: enter the login of the Odoo user the key belongs to."));
      return FALSE;
    }

  if (self->timeout < KG_PROFILE_MIN_TIMEOUT || self->timeout > KG_PROFILE_MAX_TIMEOUT)
    {
      g_set_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                   _("Timeout: %u seconds is out of range; use %u to %u seconds."),
                   self->timeout, KG_PROFILE_MIN_TIMEOUT, KG_PROFILE_MAX_TIMEOUT);
      return FALSE;
    }

  return TRUE;
}
