/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kg_odoo_classify_jsonrpc on an exchange built from arbitrary bytes, the way
 * kg-http fills it: the body is parsed as JSON when it is JSON, the text
 * kept is valid UTF-8. Input: one selector byte (status, content type,
 * whether the parsed JSON is kept), then the response body.
 * Checks: no crash or GLib critical/warning; an error (KG_ERROR, with a
 * message) exactly when there is no result, recorded on the exchange; the
 * exchange still serialises. */
#include "config.h"

#include <string.h>

#include "keygate-core.h"
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const guint statuses[] = { 200, 200, 200, 400, 401, 404, 500, 502 };
  static const char * const content_types[] = {
    "application/json",
    "application/json; charset=utf-8",
    "text/html; charset=utf-8",
    NULL,
  };
  g_autoptr(KgExchange) exchange = NULL;
  g_autoptr(JsonNode) raw = NULL;
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(JsonObject) serialised = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  g_autofree char *curl = NULL;
  const char *content_type;
  guint status;
  guint8 selector;

  fuzz_init ();
  if (size < 1)
    return 0;

  selector = data[0];
  data++;
  size--;
  status = statuses[selector & 7];
  content_type = content_types[(selector >> 3) & 3];

  if ((selector & 0x20) == 0)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (json_parser_load_from_data (parser, (const char *) data, (gssize) size, NULL))
        raw = json_parser_steal_root (parser);
    }
  body = g_utf8_make_valid ((const char *) data, (gssize) size);

  exchange = kg_exchange_new ("POST", "http://127.0.0.1:8069/jsonrpc");
  kg_exchange_set_response (exchange, status, "Reason", content_type, body, size, raw);

  result = kg_odoo_classify_jsonrpc (exchange, &error);
  if (result == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == KG_ERROR);
      g_assert_nonnull (error->message);
      g_assert_cmpuint (strlen (error->message), >, 0);
      g_assert_nonnull (kg_exchange_get_error (exchange));
      g_assert_cmpstr (kg_exchange_get_outcome (exchange), !=, "ok");
    }
  else
    {
      g_assert_no_error (error);
    }
  g_assert_nonnull (kg_exchange_get_outcome (exchange));

  serialised = kg_exchange_to_json (exchange);
  g_assert_nonnull (serialised);
  curl = kg_exchange_to_curl (exchange);
  g_assert_nonnull (curl);

  return 0;
}
