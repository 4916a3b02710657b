/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Shared by the 2FA doctor's files: kg-diagnosis.c (the object, the run,
 * the server and database checks, the create-key advice),
 * kg-diagnosis-key.c (the API key, identity and key-name checks) and
 * kg-diagnosis-login.c (the token and password checks). Each step ends by
 * starting the next one, in the order the checks run. */

#include "kg-diagnosis.h"
#include "kg-identity.h"
#include "kg-odoo-rpc.h"
#include "kg-token-client.h"

G_BEGIN_DECLS

/* A key that expires within this many days gets a warning. */
#define EXPIRY_WARNING_DAYS 14

struct _KgDiagnosis
{
  GObject     parent_instance;

  KgHttp     *http;
  KgProfile  *profile;
  char       *api_key;
  char       *password;
  GListStore *findings;
  gboolean    running;
};

typedef struct
{
  KgOdooRpc     *rpc;
  char          *api_key;
  char          *password;
  char          *server_version;
  int            major;
  GStrv          databases;
  GError        *listing_error;
  KgExchange    *listing_exchange;
  gboolean       key_works;
  gboolean       api_key_refused;
  KgIdentity    *identity;
  KgTokenClient *token_client;
} RunData;

KgFinding  *kg_diagnosis_add_finding              (KgDiagnosis     *self,
                                                   const char      *check,
                                                   KgFindingStatus  status,
                                                   const char      *title,
                                                   const char      *explanation,
                                                   const char      *remedy,
                                                   KgExchange      *exchange,
                                                   const char      *error_kind);
KgExchange *kg_diagnosis_exchange_of_error        (const GError    *error);
/* A problem made from a classified error: its own words and remedy. */
void        kg_diagnosis_add_error_finding        (KgDiagnosis     *self,
                                                   const char      *check,
                                                   const char      *title,
                                                   const GError    *error,
                                                   KgExchange      *exchange);
/* Returns the cancellation to the run's task: TRUE when @error is one. */
gboolean    kg_diagnosis_return_if_cancelled      (GTask           *task,
                                                   const GError    *error);
gboolean    kg_diagnosis_is_transport_error       (const GError    *error);
/* The profile name as it must be typed in a shell. */
char       *kg_diagnosis_dup_shell_name           (KgProfile       *profile);
/* Worth looking the key up by its name (with the password): the key was
 * refused and the connection names its key. */
gboolean    kg_diagnosis_key_name_lookup_possible (KgDiagnosis     *self,
                                                   RunData         *data);

/* The steps, in the order they run. */
void        kg_diagnosis_step_api_key             (GTask           *task);
void        kg_diagnosis_step_token               (GTask           *task);
void        kg_diagnosis_step_password            (GTask           *task);
void        kg_diagnosis_step_key_name            (GTask           *task);
void        kg_diagnosis_step_create_key          (GTask           *task);
void        kg_diagnosis_finish_run               (GTask           *task);

G_END_DECLS
