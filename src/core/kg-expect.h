/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "kg-template.h"

G_BEGIN_DECLS

/* What one sent request gave, as expectations read it (the runner fills
 * it from a KgCallResult). Nothing is owned. */
typedef struct
{
  gboolean    ok;              /* the call succeeded */
  const char *error_kind;      /* the error's kind nick, NULL when ok */
  const char *error_message;   /* the error's message, NULL when ok */
  guint       status;          /* HTTP status of the main call, 0 when none */
  JsonNode   *json;            /* what JSON paths read; NULL: the body is not JSON */
  gint64      elapsed_us;      /* how long the call took */
} KgOutcome;

/* A request's parsed "expect" object. Immutable, reference counted. */
typedef struct _KgExpect KgExpect;

#define KG_TYPE_EXPECT (kg_expect_get_type ())
GType       kg_expect_get_type        (void) G_GNUC_CONST;

/* Parses @expect: "ok" (bool), "error_kind" (a Keygate error nick),
 * "status" (a whole number), "max_ms" (a whole number) and "json" (an
 * object: JSON path → matcher, a matcher being an object with one of
 * "equals" (any JSON), "exists" (bool), "matches" (a regular expression
 * that compiles) or "contains" (a string)). Every problem is a
 * KG_ERROR_INVALID_INPUT sentence naming the member. @expect NULL gives
 * the default: the request passes when the call succeeded. */
KgExpect   *kg_expect_new_from_json   (JsonObject      *expect,
                                       GError         **error);
KgExpect   *kg_expect_ref             (KgExpect        *self);
void        kg_expect_unref           (KgExpect        *self);

/* The expectations @outcome does not meet, as plain sentences ("Expected
 * status 200, got 403"; "$.project_id: expected to exist"), in the order
 * of the file; an empty array when it passes. When the "expect" object
 * says nothing of ok, error_kind or status, the call must have succeeded.
 * @self NULL is the default. */
GPtrArray  *kg_expect_evaluate        (KgExpect        *self,
                                       const KgOutcome *outcome);

/* Checks a "capture" object: names (kg_variables_is_valid_name) → JSON
 * paths (strings that are paths). */
gboolean    kg_capture_validate       (JsonObject      *capture,
                                       GError         **error);
/* Reads each path of @capture (may be NULL) in @json and sets the value
 * as a captured variable in @vars. A path that matches nothing (or no
 * JSON at all) is KG_ERROR_INVALID_INPUT naming the variable and path;
 * the variables captured before it stay set. */
gboolean    kg_capture_apply          (JsonObject      *capture,
                                       JsonNode        *json,
                                       KgVariables     *vars,
                                       GError         **error);

/* JSON equality where 42 equals 42.0 and members may come in any order. */
gboolean    kg_expect_json_equal      (JsonNode        *a,
                                       JsonNode        *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KgExpect, kg_expect_unref)

G_END_DECLS
