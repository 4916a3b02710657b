/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "kg-cli.h"

gboolean
kg_cli_setup (KgCli   *cli,
              GError **error)
{
  if (cli->secrets == NULL)
    cli->secrets = kg_secrets_new ();
  cli->store = kg_profile_store_new (NULL);
  if (!kg_profile_store_load (cli->store, error))
    return FALSE;

  /* Every exchange any command makes is appended to the history. */
  cli->history = kg_history_new (NULL);
  cli->http = kg_http_new ();
  kg_http_set_history (cli->http, G_OBJECT (cli->history));

  return TRUE;
}

KgProfile *
kg_cli_find_profile (KgCli       *cli,
                     const char  *name,
                     GError     **error)
{
  KgProfile *profile = kg_profile_store_find_by_name (cli->store, name);

  if (profile == NULL)
    {
      g_set_error (error, KG_ERROR, KG_ERROR_PROFILE_NOT_FOUND,
                   _("There is no profile named “%s”."), name);
      return NULL;
    }

  kg_cli_use_profile (cli, profile);
  return g_object_ref (profile);
}

void
kg_cli_use_profile (KgCli     *cli,
                    KgProfile *profile)
{
  g_autofree char *reason = kg_profile_dup_insecure_reason (profile);

  g_clear_pointer (&cli->insecure_warning, g_free);
  if (reason == NULL)
    return;
  cli->insecure_warning = g_steal_pointer (&reason);
  if (!cli->json)
    {
      /* Translators: %s is a sentence saying why the connection is not safe */
      g_autofree char *line = g_strdup_printf (_("Warning: %s\n"), cli->insecure_warning);

      kg_cli_write (cli, stderr, line);
    }
}

void
kg_cli_teardown (KgCli *cli)
{
  g_clear_object (&cli->history);
  g_clear_object (&cli->http);
  g_clear_object (&cli->store);
  g_clear_pointer (&cli->secrets, kg_secrets_unref);
  g_clear_pointer (&cli->insecure_warning, g_free);
}

void
kg_cli_add_secret (KgCli        *cli,
                   KgSecretKind  kind,
                   const char   *value)
{
  if (value == NULL || *value == '\0')
    return;
  if (cli->secrets == NULL)
    cli->secrets = kg_secrets_new ();
  kg_secrets_add (cli->secrets, kind, value);
}

char *
kg_cli_safe_text (KgCli      *cli,
                  const char *text)
{
  g_autofree char *redacted = NULL;

  if (text == NULL)
    return NULL;
  redacted = cli->secrets != NULL ? kg_secrets_redact (cli->secrets, text) : g_strdup (text);
  return kg_text_escape_controls (redacted);
}

void
kg_cli_write (KgCli      *cli,
              FILE       *out,
              const char *text)
{
  g_autofree char *safe = kg_cli_safe_text (cli, text);

  if (safe != NULL)
    fputs (safe, out);
  fflush (out);
}

/* Replaces the run's secrets in every string of @node. */
static void
redact_strings (KgCli    *cli,
                JsonNode *node)
{
  if (node == NULL || cli->secrets == NULL)
    return;
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        redact_strings (cli, json_object_get_member (object, l->data));
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        redact_strings (cli, json_array_get_element (array, i));
    }
  else if (json_node_get_value_type (node) == G_TYPE_STRING)
    {
      g_autofree char *redacted = kg_secrets_redact (cli->secrets, json_node_get_string (node));

      if (g_strcmp0 (redacted, json_node_get_string (node)) != 0)
        json_node_set_string (node, redacted);
    }
}

static void
print_object (KgCli      *cli,
              JsonObject *object,
              FILE       *out)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;
  g_autofree char *safe = NULL;

  json_node_set_object (node, object);
  if (cli->insecure_warning != NULL)
    {
      json_object_set_boolean_member (object, "insecure", TRUE);
      json_object_set_string_member (object, "warning", cli->insecure_warning);
    }
  redact_strings (cli, node);
  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, FALSE);
  text = json_generator_to_data (generator, NULL);
  safe = kg_text_escape_json_controls (text);
  fprintf (out, "%s\n", safe);
  fflush (out);
}

void
kg_cli_print_json_object (KgCli      *cli,
                          JsonObject *object)
{
  print_object (cli, object, stdout);
}

void
kg_cli_print_json (KgCli      *cli,
                   JsonObject *object)
{
  g_autoptr(JsonObject) out = json_object_new ();
  g_autoptr(GList) members = NULL;

  /* "ok" first, for humans reading the output. */
  json_object_set_boolean_member (out, "ok", TRUE);
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      if (g_str_equal (l->data, "ok"))
        continue;
      json_object_set_member (out, l->data,
                              json_node_copy (json_object_get_member (object, l->data)));
    }
  print_object (cli, out, stdout);
}

void
kg_cli_print (KgCli      *cli,
              const char *format,
              ...)
{
  g_autofree char *text = NULL;
  va_list args;

  if (cli->json)
    return;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  kg_cli_write (cli, stdout, text);
}

static void
print_error_json (KgCli      *cli,
                  const char *kind,
                  const char *message,
                  const char *remedy)
{
  g_autoptr(JsonObject) out = json_object_new ();
  JsonObject *error_object = json_object_new ();

  json_object_set_boolean_member (out, "ok", FALSE);
  json_object_set_string_member (error_object, "kind", kind);
  json_object_set_string_member (error_object, "message", message);
  if (remedy != NULL)
    json_object_set_string_member (error_object, "remedy", remedy);
  else
    json_object_set_null_member (error_object, "remedy");
  json_object_set_object_member (out, "error", error_object);
  print_object (cli, out, stdout);
}

int
kg_cli_fail (KgCli        *cli,
             const GError *error)
{
  const char *remedy;

  g_return_val_if_fail (error != NULL, KG_EXIT_FAILURE);

  remedy = kg_error_get_remedy (error);
  if (cli->json)
    {
      print_error_json (cli, kg_error_kind (error), error->message, remedy);
    }
  else
    {
      g_autofree char *text = g_strconcat (error->message, "\n", remedy, remedy ? "\n" : NULL,
                                           NULL);

      kg_cli_write (cli, stderr, text);
    }

  return kg_error_exit_code (error);
}

int
kg_cli_usage (KgCli      *cli,
              const char *usage,
              const char *problem)
{
  g_autofree char *remedy = g_strdup_printf (_("Usage: %s"), usage);

  if (cli->json)
    {
      print_error_json (cli, "usage", problem, remedy);
    }
  else
    {
      g_autofree char *text = g_strdup_printf ("%s\n%s\n", problem, remedy);

      kg_cli_write (cli, stderr, text);
    }

  return KG_EXIT_USAGE;
}

static const KgCliOption *
find_option (const KgCliOption *options,
             const char        *name,
             gsize              len)
{
  for (const KgCliOption *o = options; o != NULL && o->name != NULL; o++)
    {
      if (strlen (o->name) == len && strncmp (o->name, name, len) == 0)
        return o;
    }
  return NULL;
}

gboolean
kg_cli_parse_options (KgCli              *cli,
                      const char         *usage,
                      const KgCliOption  *options,
                      int                 argc,
                      char              **argv,
                      GPtrArray         **positionals,
                      int                *exit_code)
{
  g_autoptr(GPtrArray) rest = g_ptr_array_new ();
  gboolean only_positionals = FALSE;

  for (int i = 1; i < argc; i++)
    {
      const char *arg = argv[i];
      const char *name;
      const char *equals;
      const char *value = NULL;
      const KgCliOption *option;
      gsize name_len;

      if (only_positionals || !g_str_has_prefix (arg, "--") || arg[2] == '\0')
        {
          if (!only_positionals && g_str_equal (arg, "--"))
            only_positionals = TRUE;
          else
            g_ptr_array_add (rest, (gpointer) arg);
          continue;
        }

      name = arg + 2;
      equals = strchr (name, '=');
      name_len = equals ? (gsize) (equals - name) : strlen (name);
      option = find_option (options, name, name_len);
      if (option == NULL)
        {
          g_autofree char *problem = g_strdup_printf (_("Unknown option “%s”."), arg);
          *exit_code = kg_cli_usage (cli, usage, problem);
          return FALSE;
        }

      if (option->type == KG_CLI_OPTION_FLAG)
        {
          if (equals != NULL)
            {
              g_autofree char *problem = g_strdup_printf (_("The option --%s takes no value."),
                                                          option->name);
              *exit_code = kg_cli_usage (cli, usage, problem);
              return FALSE;
            }
          *(gboolean *) option->target = TRUE;
          if (option->set_flag != NULL)
            *option->set_flag = TRUE;
          continue;
        }

      if (equals != NULL)
        value = equals + 1;
      else if (i + 1 < argc)
        value = argv[++i];

      if (value == NULL)
        {
          g_autofree char *problem = g_strdup_printf (_("The option --%s needs a value."),
                                                      option->name);
          *exit_code = kg_cli_usage (cli, usage, problem);
          return FALSE;
        }

      switch (option->type)
        {
        case KG_CLI_OPTION_STRING:
          *(const char **) option->target = value;
          break;

        case KG_CLI_OPTION_UINT:
          {
            guint64 number = 0;

            if (!g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT, &number, NULL))
              {
                g_autofree char *problem =
                  g_strdup_printf (_("The option --%s needs a whole number, not “%s”."),
                                   option->name, value);
                *exit_code = kg_cli_usage (cli, usage, problem);
                return FALSE;
              }
            *(guint *) option->target = (guint) number;
          }
          break;

        case KG_CLI_OPTION_STRING_LIST:
          {
            GPtrArray **list = option->target;

            if (*list == NULL)
              *list = g_ptr_array_new ();
            g_ptr_array_add (*list, (gpointer) value);
          }
          break;

        case KG_CLI_OPTION_FLAG:
        default:
          g_assert_not_reached ();
        }

      if (option->set_flag != NULL)
        *option->set_flag = TRUE;
    }

  *positionals = g_steal_pointer (&rest);
  return TRUE;
}

char *
kg_cli_read_secret_line (GError **error)
{
  g_autoptr(GString) line = g_string_new (NULL);
  gboolean nul = FALSE;
  int c;

  /* One line only: stop at the first newline and leave the rest unread.
   * Past 64 KiB it is no key: stop reading (the key check refuses it). */
  while ((c = getchar ()) != EOF && c != '\n')
    {
      if (c == '\0')
        nul = TRUE;
      else if (line->len < 64 * 1024)
        g_string_append_c (line, (char) c);
    }

  if (ferror (stdin) || nul)
    {
      g_set_error_literal (error, KG_ERROR, KG_ERROR_INVALID_INPUT,
                           nul ? _("API key: the input holds a NUL byte, so it is not a key. "
                                   "Give the key as one line of text.")
                               : _("The key could not be read from standard input."));
      kg_secret_wipe_len (line->str, line->len);
      return NULL;
    }

  return g_string_free (g_steal_pointer (&line), FALSE);
}

void
kg_cli_store_result_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

GAsyncResult *
kg_cli_wait (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return g_steal_pointer (result);
}

KgProfile *
kg_cli_parse_profile_command (KgCli             *cli,
                              const char        *usage,
                              const KgCliOption *options,
                              int                argc,
                              char             **argv,
                              int               *exit_code)
{
  g_autoptr(GPtrArray) positionals = NULL;
  g_autoptr(GError) error = NULL;
  KgProfile *profile;

  if (!kg_cli_parse_options (cli, usage, options, argc, argv, &positionals, exit_code))
    return NULL;
  if (positionals->len != 1)
    {
      *exit_code = kg_cli_usage (cli, usage, _("Give exactly one profile name."));
      return NULL;
    }

  profile = kg_cli_find_profile (cli, g_ptr_array_index (positionals, 0), &error);
  if (profile == NULL)
    *exit_code = kg_cli_fail (cli, error);
  return profile;
}

typedef struct
{
  KgCli        *cli;
  GCancellable *cancellable;
  guint         seconds;
  gboolean      timed_out;
  guint         notice_id;
  guint         timeout_id;
} KeyWait;

static gboolean
key_wait_notice_cb (gpointer user_data)
{
  KeyWait *wait = user_data;

  wait->notice_id = 0;
  if (!wait->cli->json)
    {
      g_autofree char *line =
        g_strdup_printf (/* Translators: %u is a number of seconds */
                         ngettext ("Waiting for the keyring: unlock it in its prompt (giving up "
                                   "after %u second)…\n",
                                   "Waiting for the keyring: unlock it in its prompt (giving up "
                                   "after %u seconds)…\n", wait->seconds), wait->seconds);

      kg_cli_write (wait->cli, stderr, line);
    }
  return G_SOURCE_REMOVE;
}

static gboolean
key_wait_timeout_cb (gpointer user_data)
{
  KeyWait *wait = user_data;

  wait->timeout_id = 0;
  wait->timed_out = TRUE;
  g_cancellable_cancel (wait->cancellable);
  return G_SOURCE_REMOVE;
}

char *
kg_cli_lookup_key (KgCli      *cli,
                   KgProfile  *profile,
                   GError    **error)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) local_error = NULL;
  KeyWait wait = { cli, cancellable, kg_profile_get_timeout (profile), FALSE, 0, 0 };
  GAsyncResult *pending = NULL;
  char *key;

  wait.notice_id = g_timeout_add_seconds (1, key_wait_notice_cb, &wait);
  wait.timeout_id = g_timeout_add_seconds (MAX (wait.seconds, 1), key_wait_timeout_cb, &wait);
  kg_keyring_lookup_async (profile, cancellable, kg_cli_store_result_cb, &pending);
  result = kg_cli_wait (&pending);
  g_clear_handle_id (&wait.timeout_id, g_source_remove);
  g_clear_handle_id (&wait.notice_id, g_source_remove);

  key = kg_keyring_lookup_finish (result, &local_error);
  if (key == NULL && wait.timed_out)
    {
      g_set_error (error, KG_ERROR, KG_ERROR_KEYRING_LOCKED,
                   /* Translators: %u is a number of seconds */
                   ngettext ("The keyring did not answer within %u second: it is locked and "
                             "its unlock prompt was not answered, or it does not respond.",
                             "The keyring did not answer within %u seconds: it is locked and "
                             "its unlock prompt was not answered, or it does not respond.",
                             wait.seconds), wait.seconds);
      kg_error_set_remedy (*error, _("Unlock the keyring (Passwords and Keys), or raise the "
                                     "connection’s timeout, then try again."));
      return NULL;
    }
  if (key == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  kg_cli_add_secret (cli, KG_SECRET_API_KEY, key);
  return key;
}
