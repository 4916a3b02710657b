/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "keygate-core.h"

G_BEGIN_DECLS

/* Shared state of one keygate-cli run. */
typedef struct
{
  KgProfileStore *store;
  KgHttp         *http;
  KgHistory      *history;
  gboolean        json;       /* --json anywhere on the command line */
} KgCli;

/* Each command group lives in its own file and returns a KgExitCode.
 * argv[0] is the command name ("profile", "key", …). */
int  kg_cli_profile         (KgCli *cli, int argc, char **argv);  /* kg-cli-profile.c */
int  kg_cli_key             (KgCli *cli, int argc, char **argv);  /* kg-cli-key.c */
int  kg_cli_create_project  (KgCli *cli, int argc, char **argv);  /* kg-cli-create.c */
int  kg_cli_token           (KgCli *cli, int argc, char **argv);  /* kg-cli-token.c */
int  kg_cli_diagnose        (KgCli *cli, int argc, char **argv);  /* kg-cli-diagnose.c */

/* Helpers (kg-cli-common.c). */
KgProfile *kg_cli_find_profile   (KgCli *cli, const char *name, GError **error);
/* Prints {"ok":false,"error":{kind,message,remedy}} with --json, or the
 * message and remedy on stderr; returns the error's exit code. */
int        kg_cli_fail           (KgCli *cli, const GError *error);
int        kg_cli_usage          (KgCli *cli, const char *usage, const char *problem);
/* Prints @object (adds "ok": true) as one JSON object on stdout. */
void       kg_cli_print_json     (KgCli *cli, JsonObject *object);
/* Reads one line from stdin (the key or password; never from argv). */
char      *kg_cli_read_secret_line (GError **error);
/* Runs the default main context until *@result is set. */
GAsyncResult *kg_cli_wait        (GAsyncResult **result);
void       kg_cli_store_result_cb (GObject *source, GAsyncResult *result, gpointer user_data);

G_END_DECLS
