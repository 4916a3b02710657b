/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kg_curl_import with arbitrary text must return a request the workbench
 * accepts (kg_route_new_from_json / kg_model_call_new_from_json) or an
 * error, never crash or warn; its warnings are UTF-8 sentences.
 *
 * Input: byte 0 picks the connection URL (none, a host, a host with a
 * path prefix), the rest is the command line, up to the first NUL. */
#include "config.h"

#include <string.h>

#include "keygate-core.h"
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const char * const bases[] = {
    NULL, "http://127.0.0.1:8069", "https://odoo.example.com/odoo/",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(JsonObject) request = NULL;
  g_autofree char *command = NULL;
  g_autofree char *text = NULL;
  const char *base;

  fuzz_init ();
  if (size < 1)
    return 0;
  base = bases[data[0] % G_N_ELEMENTS (bases)];
  command = g_strndup ((const char *) data + 1, size - 1);

  request = kg_curl_import (command, base, &warnings, &error);
  if (request == NULL)
    {
      if (error == NULL || error->domain != KG_ERROR || error->message == NULL)
        g_error ("no request and no KG_ERROR for \"%s\"", command);
      if (!g_utf8_validate (error->message, -1, NULL))
        g_error ("the error message is not UTF-8");
      return 0;
    }

  if (warnings == NULL)
    g_error ("a request without its warnings array");
  for (guint i = 0; i < warnings->len; i++)
    {
      if (!g_utf8_validate (g_ptr_array_index (warnings, i), -1, NULL))
        g_error ("a warning is not UTF-8");
    }

  if (!json_object_has_member (request, "name"))
    g_error ("a request without a name");
  if (json_object_has_member (request, "call"))
    {
      g_autoptr(KgModelCall) call =
        kg_model_call_new_from_json (json_object_get_object_member (request, "call"), &error);

      if (call == NULL)
        g_error ("the call is refused: %s", error->message);
    }
  else
    {
      g_autoptr(KgRoute) route =
        kg_route_new_from_json (json_object_get_object_member (request, "http"), &error);

      if (route == NULL)
        g_error ("the route is refused: %s", error->message);
    }

  text = fuzz_object_to_string (request);
  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    g_error ("the request does not serialise to UTF-8 JSON");
  return 0;
}
