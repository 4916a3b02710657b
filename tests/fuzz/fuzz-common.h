/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared by the fuzz targets: the libFuzzer entry point and helpers. The
 * same sources build as libFuzzer targets (-Dfuzzing=true, clang) and as
 * replay programs (fuzz-driver.c feeds every corpus file to the entry point),
 * which run as tests in suite 'core'. */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <json-glib/json-glib.h>

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* A critical or warning from GLib, json-glib or Keygate on any input is a
 * finding. GLib would stop on them with SIGTRAP, which libFuzzer does not
 * catch (no reproducer is saved): abort() instead, after printing. */
static inline GLogWriterOutput
fuzz_log_writer (GLogLevelFlags   log_level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         user_data)
{
  GLogWriterOutput ret = g_log_writer_standard_streams (log_level, fields, n_fields, user_data);

  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();
  return ret;
}

static inline void
fuzz_init (void)
{
  static gboolean done;

  if (done)
    return;
  done = TRUE;
  g_log_set_writer_func (fuzz_log_writer, NULL, NULL);
  g_setenv ("no_proxy", "127.0.0.1,localhost", TRUE);
}

/* KEYGATE_FUZZ_SKIP_KNOWN=1 makes the targets skip inputs of a bug class
 * already reported (see crashes/README.md), so a fuzzing run can look past
 * it. Replays and CI never set it. */
static inline gboolean
fuzz_skip_known (void)
{
  return g_getenv ("KEYGATE_FUZZ_SKIP_KNOWN") != NULL;
}

/* Parses @data as JSON (NULL when it is not JSON or not an object). */
static inline JsonObject *
fuzz_parse_object (const uint8_t *data,
                   size_t         size)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (!json_parser_load_from_data (parser, (const char *) data, (gssize) size, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_object_ref (json_node_get_object (root));
}

/* Serialises @object compactly (owned). */
static inline char *
fuzz_object_to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  return json_to_string (node, FALSE);
}
