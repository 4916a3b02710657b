/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kg_profile_new_from_json on arbitrary JSON (profiles.json is user-editable).
 * Checks: no crash or GLib critical/warning; an error exactly when no
 * profile; a profile that loaded reloads from its own JSON, and that second
 * round gives the same JSON; the helpers work on whatever loaded. */
#include "config.h"

#include <string.h>

#include "keygate-core.h"
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(KgProfile) profile = NULL;
  g_autoptr(KgProfile) again = NULL;
  g_autoptr(KgProfile) copy = NULL;
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first_text = NULL;
  g_autofree char *second_text = NULL;
  g_autofree char *url = NULL;
  g_autofree char *subtitle = NULL;

  fuzz_init ();
  object = fuzz_parse_object (data, size);
  if (object == NULL)
    return 0;

  profile = kg_profile_new_from_json (object, &error);
  if (profile == NULL)
    {
      g_assert_nonnull (error);
      return 0;
    }
  g_assert_no_error (error);

  first = kg_profile_to_json (profile);
  first_text = fuzz_object_to_string (first);
  again = kg_profile_new_from_json (first, &error);
  if (again == NULL)
    g_error ("a loaded profile does not reload from its own JSON: %s\n%s",
             error->message, first_text);
  second = kg_profile_to_json (again);
  second_text = fuzz_object_to_string (second);
  if (g_strcmp0 (first_text, second_text) != 0)
    g_error ("profile JSON changes on a round trip:\n%s\n%s", first_text, second_text);

  g_clear_error (&error);
  kg_profile_validate (profile, &error);
  g_clear_error (&error);
  copy = kg_profile_dup (profile);
  g_assert_nonnull (copy);
  url = kg_profile_build_url (profile, "/jsonrpc");
  subtitle = kg_profile_dup_subtitle (profile);
  kg_profile_is_insecure (profile);

  return 0;
}
