/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kg_exchange_new_from_json on an arbitrary history line (history.jsonl is a
 * file on disk; kg_history_load feeds every line to it). Checks: no crash or
 * GLib critical/warning; an error exactly when no exchange; an exchange that
 * loaded serialises, reloads, and its JSON is stable from then on; the
 * getters and the curl export work on it. */
#include "config.h"

#include "keygate-core.h"
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(KgExchange) exchange = NULL;
  g_autoptr(KgExchange) again = NULL;
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first_text = NULL;
  g_autofree char *second_text = NULL;
  g_autofree char *curl = NULL;
  GPtrArray *headers;

  fuzz_init ();
  object = fuzz_parse_object (data, size);
  if (object == NULL)
    return 0;

  exchange = kg_exchange_new_from_json (object, &error);
  if (exchange == NULL)
    {
      g_assert_nonnull (error);
      return 0;
    }
  g_assert_no_error (error);

  first = kg_exchange_to_json (exchange);
  first_text = fuzz_object_to_string (first);
  again = kg_exchange_new_from_json (first, &error);
  if (again == NULL)
    g_error ("a loaded exchange does not reload from its own JSON: %s\n%s",
             error->message, first_text);
  second = kg_exchange_to_json (again);
  second_text = fuzz_object_to_string (second);
  if (g_strcmp0 (first_text, second_text) != 0)
    g_error ("exchange JSON changes on a round trip:\n%s\n%s", first_text, second_text);

  g_assert_nonnull (kg_exchange_get_id (exchange));
  g_assert_nonnull (kg_exchange_get_method (exchange));
  g_assert_nonnull (kg_exchange_get_url (exchange));
  g_assert_nonnull (kg_exchange_get_outcome (exchange));
  g_assert_nonnull (kg_exchange_get_timing (exchange));
  headers = kg_exchange_get_request_headers (exchange);
  for (guint i = 0; headers != NULL && i < headers->len; i++)
    g_assert_nonnull (((KgHeader *) g_ptr_array_index (headers, i))->name);
  headers = kg_exchange_get_response_headers (exchange);
  for (guint i = 0; headers != NULL && i < headers->len; i++)
    g_assert_nonnull (((KgHeader *) g_ptr_array_index (headers, i))->name);
  kg_exchange_get_started (exchange);
  kg_exchange_get_error (exchange);
  curl = kg_exchange_to_curl (exchange);
  g_assert_nonnull (curl);

  return 0;
}
