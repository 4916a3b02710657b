/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "keygate-app"

#include "config.h"

#include <glib/gi18n.h>

#include "kg-app-context.h"
#include "kg-demo-server.h"

struct _KgAppContext
{
  GObject         parent_instance;

  KgProfileStore *store;
  KgHttp         *http;
  KgHistory      *history;
  GSettings      *settings;
  GError         *load_error;
  GHashTable     *token_clients;  /* profile id → KgTokenClient */
  GHashTable     *has_key;        /* profile id → GINT_TO_POINTER (KgTristate + 2) */
  KgDemoServer   *demo_server;
  /* One keyring search for every key state at a time: a refresh asked for
   * meanwhile runs once, after it. Many searches at once, while libsecret
   * is still opening its session with a keyring that needs a prompt, end in
   * a task of libsecret's being returned twice. */
  gboolean        key_states_in_flight;
  gboolean        key_states_again;
};

G_DEFINE_FINAL_TYPE (KgAppContext, kg_app_context, G_TYPE_OBJECT)

enum {
  KEY_STATE_CHANGED,
  ERROR_REPORTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
kg_app_context_dispose (GObject *object)
{
  KgAppContext *self = KG_APP_CONTEXT (object);

  if (self->demo_server != NULL)
    kg_demo_server_stop (self->demo_server);
  g_clear_object (&self->demo_server);
  g_clear_pointer (&self->token_clients, g_hash_table_unref);
  g_clear_pointer (&self->has_key, g_hash_table_unref);
  if (self->http != NULL)
    kg_http_set_history (self->http, NULL);
  g_clear_object (&self->store);
  g_clear_object (&self->http);
  g_clear_object (&self->history);
  g_clear_object (&self->settings);
  g_clear_error (&self->load_error);

  G_OBJECT_CLASS (kg_app_context_parent_class)->dispose (object);
}

static void
kg_app_context_class_init (KgAppContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kg_app_context_dispose;

  signals[KEY_STATE_CHANGED] =
    g_signal_new ("key-state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, KG_TYPE_PROFILE);
  signals[ERROR_REPORTED] =
    g_signal_new ("error-reported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, KG_TYPE_PROFILE, G_TYPE_ERROR);
}

static void
kg_app_context_init (KgAppContext *self)
{
  self->token_clients = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->has_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

KgAppContext *
kg_app_context_new (KgProfileStore *store,
                    KgHttp         *http,
                    KgHistory      *history,
                    GSettings      *settings)
{
  KgAppContext *self;

  g_return_val_if_fail (KG_IS_PROFILE_STORE (store), NULL);
  g_return_val_if_fail (KG_IS_HTTP (http), NULL);
  g_return_val_if_fail (history == NULL || KG_IS_HISTORY (history), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  self = g_object_new (KG_TYPE_APP_CONTEXT, NULL);
  self->store = g_object_ref (store);
  self->http = g_object_ref (http);
  self->history = history ? g_object_ref (history) : NULL;
  self->settings = settings ? g_object_ref (settings) : NULL;
  if (history != NULL)
    kg_http_set_history (http, G_OBJECT (history));

  return self;
}

KgAppContext *
kg_app_context_new_default (void)
{
  g_autoptr(KgProfileStore) store = kg_profile_store_new (NULL);
  g_autoptr(KgHistory) history = kg_history_new (NULL);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GError) load_error = NULL;
  KgAppContext *self;

  if (!kg_profile_store_load (store, &load_error))
    g_warning ("%s", load_error->message);
  else
    /* keygate-cli may change the file while the window is open. */
    kg_profile_store_set_watching (store, TRUE);
  /* The history is read when it is first shown (kg_history_load_async):
   * a large one must not hold up the first frame. */

  self = kg_app_context_new (store, kg_http_get_default (), history, settings);
  self->load_error = g_steal_pointer (&load_error);

  return self;
}

KgProfileStore *
kg_app_context_get_store (KgAppContext *self)
{
  g_return_val_if_fail (KG_IS_APP_CONTEXT (self), NULL);
  return self->store;
}

KgHttp *
kg_app_context_get_http (KgAppContext *self)
{
  g_return_val_if_fail (KG_IS_APP_CONTEXT (self), NULL);
  return self->http;
}

KgHistory *
kg_app_context_get_history (KgAppContext *self)
{
  g_return_val_if_fail (KG_IS_APP_CONTEXT (self), NULL);
  return self->history;
}

GSettings *
kg_app_context_get_settings (KgAppContext *self)
{
  g_return_val_if_fail (KG_IS_APP_CONTEXT (self), NULL);
  return self->settings;
}

const GError *
kg_app_context_get_load_error (KgAppContext *self)
{
  g_return_val_if_fail (KG_IS_APP_CONTEXT (self), NULL);
  return self->load_error;
}

KgTokenClient *
kg_app_context_get_token_client (KgAppContext *self,
                                 KgProfile    *profile)
{
  KgTokenClient *client;

  g_return_val_if_fail (KG_IS_APP_CONTEXT (self), NULL);
  g_return_val_if_fail (KG_IS_PROFILE (profile), NULL);

  client = g_hash_table_lookup (self->token_clients, kg_profile_get_id (profile));
  if (client == NULL)
    {
      client = kg_token_client_new (self->http, profile);
      g_hash_table_insert (self->token_clients, g_strdup (kg_profile_get_id (profile)), client);
    }

  return client;
}

KgTristate
kg_app_context_get_has_key (KgAppContext *self,
                            KgProfile    *profile)
{
  gpointer value;

  g_return_val_if_fail (KG_IS_APP_CONTEXT (self), KG_TRISTATE_UNKNOWN);
  g_return_val_if_fail (KG_IS_PROFILE (profile), KG_TRISTATE_UNKNOWN);

  if (!g_hash_table_lookup_extended (self->has_key, kg_profile_get_id (profile), NULL, &value))
    return KG_TRISTATE_UNKNOWN;
  return GPOINTER_TO_INT (value) - 2;
}

void
kg_app_context_set_has_key (KgAppContext *self,
                            KgProfile    *profile,
                            gboolean      has_key)
{
  KgTristate state = has_key ? KG_TRISTATE_TRUE : KG_TRISTATE_FALSE;

  g_return_if_fail (KG_IS_APP_CONTEXT (self));
  g_return_if_fail (KG_IS_PROFILE (profile));

  if (kg_app_context_get_has_key (self, profile) == state)
    return;
  g_hash_table_insert (self->has_key, g_strdup (kg_profile_get_id (profile)),
                       GINT_TO_POINTER (state + 2));
  g_signal_emit (self, signals[KEY_STATE_CHANGED], 0, profile);
}

typedef struct
{
  KgAppContext *self;
  KgProfile    *profile;
} RefreshData;

static void
refresh_data_free (RefreshData *data)
{
  g_clear_object (&data->self);
  g_clear_object (&data->profile);
  g_free (data);
}

static void
has_key_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  RefreshData *data = user_data;
  g_autoptr(GError) error = NULL;
  gboolean has_key;

  has_key = kg_keyring_has_key_finish (result, &error);
  if (error == NULL)
    kg_app_context_set_has_key (data->self, data->profile, has_key);
  else
    g_debug ("Key state of %s unknown: %s", kg_profile_get_name (data->profile), error->message);

  refresh_data_free (data);
}

void
kg_app_context_refresh_key_state (KgAppContext *self,
                                  KgProfile    *profile)
{
  RefreshData *data;

  g_return_if_fail (KG_IS_APP_CONTEXT (self));
  g_return_if_fail (KG_IS_PROFILE (profile));

  data = g_new0 (RefreshData, 1);
  data->self = g_object_ref (self);
  data->profile = g_object_ref (profile);
  kg_keyring_has_key_async (profile, NULL, has_key_cb, data);
}

static void
key_states_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(KgAppContext) self = user_data;
  g_autoptr(GHashTable) ids = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *profiles;
  guint n;

  ids = kg_keyring_list_profile_ids_finish (result, &error);
  self->key_states_in_flight = FALSE;
  if (self->key_states_again)
    {
      /* The store changed meanwhile: this answer may be stale already. */
      self->key_states_again = FALSE;
      kg_app_context_refresh_key_states (self);
      return;
    }
  if (ids == NULL)
    {
      g_debug ("Key states unknown: %s", error->message);
      return;
    }
  if (self->store == NULL)
    return;

  profiles = G_LIST_MODEL (self->store);
  n = g_list_model_get_n_items (profiles);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KgProfile) profile = g_list_model_get_item (profiles, i);

      kg_app_context_set_has_key (self, profile,
                                  g_hash_table_contains (ids, kg_profile_get_id (profile)));
    }
}

void
kg_app_context_refresh_key_states (KgAppContext *self)
{
  g_return_if_fail (KG_IS_APP_CONTEXT (self));

  if (self->key_states_in_flight)
    {
      self->key_states_again = TRUE;
      return;
    }
  self->key_states_in_flight = TRUE;
  kg_keyring_list_profile_ids_async (NULL, key_states_cb, g_object_ref (self));
}

void
kg_app_context_report_error (KgAppContext *self,
                             KgProfile    *profile,
                             const GError *error)
{
  g_return_if_fail (KG_IS_APP_CONTEXT (self));
  g_return_if_fail (KG_IS_PROFILE (profile));
  g_return_if_fail (error != NULL);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_signal_emit (self, signals[ERROR_REPORTED], 0, profile, error);
}

const char *
kg_app_context_ensure_demo_server (KgAppContext *self,
                                   GError      **error)
{
  g_return_val_if_fail (KG_IS_APP_CONTEXT (self), NULL);

  if (self->demo_server == NULL)
    {
      g_autoptr(KgDemoServer) server = kg_demo_server_new ();
      g_autoptr(GError) local_error = NULL;

      /* The same address every time when it is free: the demo
       * connection and the screenshots do not change from one start to
       * the next. Another program on it: any free port. */
      if (!kg_demo_server_start_in_thread_on_port (server, KG_DEMO_PREFERRED_PORT,
                                                   &local_error))
        {
          if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
          g_debug ("Port %u is taken; the demo server takes another: %s",
                   KG_DEMO_PREFERRED_PORT, local_error->message);
          if (!kg_demo_server_start_in_thread (server, error))
            return NULL;
        }
      self->demo_server = g_steal_pointer (&server);
    }

  return kg_demo_server_get_url (self->demo_server);
}

static void
demo_key_stored_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  RefreshData *data = user_data;
  g_autoptr(GError) error = NULL;

  if (kg_keyring_store_finish (result, &error))
    kg_app_context_set_has_key (data->self, data->profile, TRUE);
  else
    kg_app_context_report_error (data->self, data->profile, error);

  refresh_data_free (data);
}

KgProfile *
kg_app_context_add_demo_profile (KgAppContext *self,
                                 GError      **error)
{
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(KgProfile) profile = NULL;
  RefreshData *data;
  const char *url;

  g_return_val_if_fail (KG_IS_APP_CONTEXT (self), NULL);

  if (!(url = kg_app_context_ensure_demo_server (self, error)))
    return NULL;

  profile = kg_profile_store_find_by_id (self->store, KG_APP_CONTEXT_DEMO_PROFILE_ID);
  if (profile != NULL)
    {
      g_object_ref (profile);
      kg_profile_set_url (profile, url);
      if (!kg_profile_store_update (self->store, profile, error))
        return NULL;
    }
  else
    {
      /* The demo profile has a fixed id so a later start finds it again. */
      object = json_object_new ();
      json_object_set_string_member (object, "id", KG_APP_CONTEXT_DEMO_PROFILE_ID);
      json_object_set_string_member (object, "name", _("Demo"));
      json_object_set_string_member (object, "url", url);
      json_object_set_string_member (object, "database", KG_DEMO_DATABASE);
      json_object_set_string_member (object, "login", "alice");
      profile = kg_profile_new_from_json (object, error);
      if (profile == NULL || !kg_profile_store_add (self->store, profile, error))
        return NULL;
    }

  data = g_new0 (RefreshData, 1);
  data->self = g_object_ref (self);
  data->profile = g_object_ref (profile);
  kg_keyring_store_async (profile, KG_DEMO_ALICE_KEY, NULL, demo_key_stored_cb, data);

  return g_steal_pointer (&profile);
}

void
kg_app_context_refresh_demo_profile (KgAppContext *self)
{
  KgProfile *profile;
  g_autoptr(GError) error = NULL;
  const char *url;

  g_return_if_fail (KG_IS_APP_CONTEXT (self));

  profile = kg_profile_store_find_by_id (self->store, KG_APP_CONTEXT_DEMO_PROFILE_ID);
  if (profile == NULL)
    return;

  url = kg_app_context_ensure_demo_server (self, &error);
  if (url != NULL)
    {
      kg_profile_set_url (profile, url);
      kg_profile_store_update (self->store, profile, &error);
    }
  if (error != NULL)
    g_warning ("The demo connection could not be started: %s", error->message);
}
