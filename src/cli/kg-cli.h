/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <stdio.h>

#include "keygate-core.h"

G_BEGIN_DECLS

/* Shared state of one keygate-cli run. */
typedef struct
{
  KgProfileStore *store;
  KgHttp         *http;
  KgHistory      *history;
  gboolean        json;       /* --json anywhere on the command line */
  KgSecrets      *secrets;    /* the key and password this run handles */
  char           *insecure_warning;  /* why the profile in use is not safe, or NULL */
} KgCli;

/* Each command group lives in its own file and returns a KgExitCode.
 * argv[0] is the command name ("profile", "key", …). */
int  kg_cli_profile         (KgCli *cli, int argc, char **argv);  /* kg-cli-profile.c */
int  kg_cli_key             (KgCli *cli, int argc, char **argv);  /* kg-cli-key.c */
int  kg_cli_create_project  (KgCli *cli, int argc, char **argv);  /* kg-cli-create.c */
int  kg_cli_token           (KgCli *cli, int argc, char **argv);  /* kg-cli-token.c */
int  kg_cli_diagnose        (KgCli *cli, int argc, char **argv);  /* kg-cli-diagnose.c */
int  kg_cli_call            (KgCli *cli, int argc, char **argv);  /* kg-cli-call.c */
int  kg_cli_request         (KgCli *cli, int argc, char **argv);  /* kg-cli-request.c */
int  kg_cli_run             (KgCli *cli, int argc, char **argv);  /* kg-cli-run.c */

/* Helpers (kg-cli-common.c). */
/* Finds the profile and, when it is not safe (http:// to another host,
 * invalid certificates accepted), says so: on stderr in text mode, as
 * "insecure": true and "warning" in every --json object of the run. */
KgProfile *kg_cli_find_profile   (KgCli *cli, const char *name, GError **error);
void       kg_cli_use_profile    (KgCli *cli, KgProfile *profile);
/* Prints {"ok":false,"error":{kind,message,remedy}} with --json, or the
 * message and remedy on stderr; returns the error's exit code. */
int        kg_cli_fail           (KgCli *cli, const GError *error);
int        kg_cli_usage          (KgCli *cli, const char *usage, const char *problem);
/* Prints @object (adds "ok": true) as one JSON object on stdout. */
void       kg_cli_print_json     (KgCli *cli, JsonObject *object);
/* The profile's key from the keyring, registered as a secret of the run.
 * When the keyring has not answered after a second (it may be showing its
 * unlock prompt), text mode says that it waits; after the profile's
 * timeout it gives up with KG_ERROR_KEYRING_LOCKED. */
char      *kg_cli_lookup_key     (KgCli *cli, KgProfile *profile, GError **error);
/* Reads one line from stdin (the key or password; never from argv). */
char      *kg_cli_read_secret_line (GError **error);

/* Opens the profile store (loaded), the HTTP client and the history
 * (every exchange is appended to it). kg_cli_teardown frees them. */
gboolean   kg_cli_setup          (KgCli *cli, GError **error);
void       kg_cli_teardown       (KgCli *cli);

/* A table-driven option parser, so command files can grow options by adding
 * a row. Options are "--name VALUE", "--name=VALUE" or "--flag"; everything
 * else is a positional argument. Values point into argv (not copied). */
typedef enum {
  KG_CLI_OPTION_STRING,        /* const char **target */
  KG_CLI_OPTION_UINT,          /* guint *target; also sets *set_flag when given */
  KG_CLI_OPTION_FLAG,          /* gboolean *target */
  KG_CLI_OPTION_STRING_LIST,   /* GPtrArray **target (created on first use, of const char *) */
} KgCliOptionType;

typedef struct
{
  const char      *name;       /* long name without "--" */
  KgCliOptionType  type;
  gpointer         target;
  gboolean        *set_flag;   /* nullable: TRUE when the option was given */
} KgCliOption;

/* Parses argv[1..argc-1] (argv[0] is the subcommand). On success returns
 * the positional arguments (of const char *, not owned) and TRUE. On a
 * usage error prints it (see kg_cli_usage), sets *@exit_code and returns
 * FALSE. */
gboolean   kg_cli_parse_options  (KgCli             *cli,
                                  const char        *usage,
                                  const KgCliOption *options,
                                  int                argc,
                                  char             **argv,
                                  GPtrArray        **positionals,
                                  int               *exit_code);
/* For commands whose only positional argument is a profile name: parses
 * the options, checks there is exactly one name and finds the profile. On
 * failure prints the problem and returns NULL with *@exit_code set. */
KgProfile *kg_cli_parse_profile_command (KgCli             *cli,
                                         const char        *usage,
                                         const KgCliOption *options,
                                         int                argc,
                                         char             **argv,
                                         int               *exit_code);
/* Prints a human line on stdout (nothing with --json). Like every output
 * of the CLI it passes kg_cli_safe_text. */
void       kg_cli_print          (KgCli *cli, const char *format, ...) G_GNUC_PRINTF (2, 3);

/* Registers a secret this run holds (the key read from the keyring or
 * stdin, a password): no output of the run shows it, even when a server
 * echoes it back in a message. */
void       kg_cli_add_secret     (KgCli *cli, KgSecretKind kind, const char *value);
/* @text with the run's secrets replaced by placeholders and every control
 * character a server could use on a terminal shown as an escape. */
char      *kg_cli_safe_text      (KgCli *cli, const char *text);
/* Writes kg_cli_safe_text (@text) to @out (stdout or stderr) and flushes. */
void       kg_cli_write          (KgCli *cli, FILE *out, const char *text);
/* Prints @object as one JSON line on stdout as it is (no "ok" added), with
 * the run's secrets redacted in every string. */
void       kg_cli_print_json_object (KgCli *cli, JsonObject *object);
/* Runs the default main context until *@result is set. */
GAsyncResult *kg_cli_wait        (GAsyncResult **result);
void       kg_cli_store_result_cb (GObject *source, GAsyncResult *result, gpointer user_data);

/* ---- Token flow helpers (kg-cli-token.c; added by the token-flow author
 * for `profile add`, `create-project` and `--print-curl`). ---- */

/* The token/create spec options of `profile add`, as parsed strings. */
typedef struct
{
  const char *preset;             /* tutorial | api-key-header | json2 | custom */
  const char *token_path;         /* --token-path: the exchange route */
  const char *token_method;       /* POST | GET */
  const char *create_path;        /* --create-path */
  const char *db_header;          /* NAME, header:NAME, body:NAME, query:NAME or none */
  const char *key_header;         /* same forms */
  const char *token_header;       /* "bearer" or a header name (X-Access-Token) */
  const char *token_json_path;
  const char *expires_json_path;
  const char *id_json_path;
  const char *message_json_path;
  const char *name_field;
  const char *description_field;
} KgCliSpecOptions;

/* A new option table (g_free it): the rows of @base followed by one row per
 * spec option, writing into @opts. */
KgCliOption *kg_cli_spec_options_extend (const KgCliOption      *base,
                                         KgCliSpecOptions       *opts);
gboolean     kg_cli_spec_options_given  (const KgCliSpecOptions *opts);
/* Applies the given options to copies of the profile's token and create
 * specs (preset first) and sets them on the profile. */
gboolean     kg_cli_spec_options_apply  (const KgCliSpecOptions *opts,
                                         KgProfile              *profile,
                                         GError                **error);
/* --via token|jsonrpc (NULL: the profile's protocol). */
gboolean     kg_cli_parse_via           (const char   *text,
                                         KgCreateVia  *via,
                                         GError      **error);
/* --field NAME=VALUE…: VALUE is parsed as JSON when it is JSON, else a string. */
JsonObject  *kg_cli_parse_fields        (GPtrArray    *fields,
                                         GError      **error);
/* Collects every exchange recorded by the CLI's KgHttp into @exchanges
 * (of KgExchange, add a free func) until kg_cli_stop_collecting. */
gulong       kg_cli_collect_exchanges   (KgCli        *cli,
                                         GPtrArray    *exchanges);
void         kg_cli_stop_collecting     (KgCli        *cli,
                                         gulong        handler);
/* --print-curl: one curl line per exchange (secrets as "$ODOO_API_KEY",
 * "$ODOO_TOKEN"). With --json and @json_out they become its "curl" array;
 * with --json and no @json_out they go to stderr; else to stdout. */
void         kg_cli_print_curl          (KgCli        *cli,
                                         GPtrArray    *exchanges,
                                         JsonObject   *json_out);

/* ---- Request workbench helpers (kg-cli-call.c). ---- */

/* Parses @text given to @option ("--args") as JSON. The error is a
 * KG_ERROR_INVALID_INPUT sentence: "--args: line 1, column 7: …". */
JsonNode    *kg_cli_parse_json_option   (const char   *option,
                                         const char   *text,
                                         GError      **error);
/* Prints @node as indented JSON on stdout (nothing with --json). */
void         kg_cli_print_pretty_json   (KgCli        *cli,
                                         JsonNode     *node);

G_END_DECLS
