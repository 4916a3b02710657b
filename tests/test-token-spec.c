/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "kg-test-utils.h"

static JsonNode *
parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static char *
object_to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  return json_to_string (node, FALSE);
}

static void
test_token_spec_presets (void)
{
  g_autoptr(KgTokenSpec) tutorial = kg_token_spec_new ();
  g_autoptr(KgTokenSpec) header = kg_token_spec_new_for_preset (KG_TOKEN_PRESET_API_KEY_HEADER);
  g_autoptr(KgTokenSpec) json2 = kg_token_spec_new_for_preset (KG_TOKEN_PRESET_JSON2);

  /* The default is the tutorial module. */
  g_assert_cmpint (kg_token_spec_get_preset (tutorial), ==, KG_TOKEN_PRESET_TUTORIAL);
  g_assert_true (kg_token_spec_get_exchange (tutorial));
  g_assert_cmpstr (kg_token_spec_get_method (tutorial), ==, "POST");
  g_assert_cmpstr (kg_token_spec_get_path (tutorial), ==, "/auth/token/apikey");
  g_assert_cmpint (kg_token_spec_get_db_location (tutorial), ==, KG_PARAM_HEADER);
  g_assert_cmpstr (kg_token_spec_get_db_param (tutorial), ==, "X-Odoo-Database");
  g_assert_cmpint (kg_token_spec_get_key_location (tutorial), ==, KG_PARAM_HEADER);
  g_assert_cmpstr (kg_token_spec_get_key_param (tutorial), ==, "X-API-Key");
  g_assert_cmpstr (kg_token_spec_get_token_path (tutorial), ==, "access_token");
  g_assert_cmpstr (kg_token_spec_get_expires_in_path (tutorial), ==, "expires_in");
  g_assert_cmpstr (kg_token_spec_get_expires_at_path (tutorial), ==, "expires_at");
  g_assert_cmpint (kg_token_spec_get_send_as (tutorial), ==, KG_TOKEN_SEND_BEARER);
  g_assert_cmpuint (kg_token_spec_get_lifetime (tutorial), ==, 0);

  /* Key sent as is, in the API-KEY header. */
  g_assert_cmpint (kg_token_spec_get_preset (header), ==, KG_TOKEN_PRESET_API_KEY_HEADER);
  g_assert_false (kg_token_spec_get_exchange (header));
  g_assert_cmpint (kg_token_spec_get_send_as (header), ==, KG_TOKEN_SEND_HEADER);
  g_assert_cmpstr (kg_token_spec_get_send_header (header), ==, "API-KEY");
  g_assert_cmpstr (kg_token_spec_get_key_param (header), ==, "API-KEY");
  g_assert_cmpstr (kg_token_spec_get_db_param (header), ==, "X-Odoo-Database");

  /* Odoo 19 JSON-2: bearer key, /json/2. */
  g_assert_cmpint (kg_token_spec_get_preset (json2), ==, KG_TOKEN_PRESET_JSON2);
  g_assert_false (kg_token_spec_get_exchange (json2));
  g_assert_cmpint (kg_token_spec_get_send_as (json2), ==, KG_TOKEN_SEND_BEARER);
  g_assert_cmpstr (kg_token_spec_get_path (json2), ==, "/json/2");
  g_assert_cmpint (kg_token_spec_get_db_location (json2), ==, KG_PARAM_HEADER);
  g_assert_cmpstr (kg_token_spec_get_db_param (json2), ==, "X-Odoo-Database");

  /* Applying a preset overwrites every field and keeps the preset. */
  kg_token_spec_set_path (header, "/somewhere");
  kg_token_spec_apply_preset (header, KG_TOKEN_PRESET_TUTORIAL);
  g_assert_cmpint (kg_token_spec_get_preset (header), ==, KG_TOKEN_PRESET_TUTORIAL);
  g_assert_true (kg_token_spec_get_exchange (header));
  g_assert_cmpstr (kg_token_spec_get_path (header), ==, "/auth/token/apikey");
  g_assert_cmpstr (kg_token_spec_get_key_param (header), ==, "X-API-Key");
  g_assert_cmpint (kg_token_spec_get_send_as (header), ==, KG_TOKEN_SEND_BEARER);

  /* Custom keeps the fields as they are. */
  kg_token_spec_set_token_path (json2, "data.token");
  kg_token_spec_apply_preset (json2, KG_TOKEN_PRESET_CUSTOM);
  g_assert_cmpstr (kg_token_spec_get_token_path (json2), ==, "data.token");
  g_assert_cmpstr (kg_token_spec_get_path (json2), ==, "/json/2");
}

static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           gpointer    user_data)
{
  GString *log = user_data;

  g_string_append_printf (log, "%s;", pspec->name);
}

static void
test_token_spec_custom_flip (void)
{
  g_autoptr(KgTokenSpec) spec = kg_token_spec_new ();
  g_autoptr(GString) log = g_string_new (NULL);

  g_signal_connect (spec, "notify", G_CALLBACK (notify_cb), log);

  /* Setting a field to the value it has is no change. */
  kg_token_spec_set_path (spec, "/auth/token/apikey");
  kg_token_spec_set_exchange (spec, TRUE);
  g_object_set (spec, "token-path", "access_token", NULL);
  g_assert_cmpint (kg_token_spec_get_preset (spec), ==, KG_TOKEN_PRESET_TUTORIAL);
  g_assert_cmpstr (log->str, ==, "");

  kg_token_spec_set_send_header (spec, "X-Access-Token");
  g_assert_cmpint (kg_token_spec_get_preset (spec), ==, KG_TOKEN_PRESET_CUSTOM);
  g_assert_cmpstr (log->str, ==, "send-header;preset;");

  g_string_truncate (log, 0);
  kg_token_spec_set_send_as (spec, KG_TOKEN_SEND_HEADER);
  g_assert_cmpstr (log->str, ==, "send-as;");

  /* Every setter flips, including through g_object_set. */
  {
    const char *props[] = { "method", "path", "db-param", "key-param", "token-path",
                            "expires-in-path", "expires-at-path", "send-header" };

    for (guint i = 0; i < G_N_ELEMENTS (props); i++)
      {
        g_autoptr(KgTokenSpec) s = kg_token_spec_new_for_preset (KG_TOKEN_PRESET_JSON2);

        g_object_set (s, props[i], "GET-something.else", NULL);
        g_assert_cmpint (kg_token_spec_get_preset (s), ==, KG_TOKEN_PRESET_CUSTOM);
      }
  }
  {
    g_autoptr(KgTokenSpec) s = kg_token_spec_new ();

    kg_token_spec_set_lifetime (s, 3600);
    g_assert_cmpint (kg_token_spec_get_preset (s), ==, KG_TOKEN_PRESET_CUSTOM);
  }
  {
    g_autoptr(KgTokenSpec) s = kg_token_spec_new ();

    kg_token_spec_set_db_location (s, KG_PARAM_BODY);
    g_assert_cmpint (kg_token_spec_get_preset (s), ==, KG_TOKEN_PRESET_CUSTOM);
  }
  {
    g_autoptr(KgTokenSpec) s = kg_token_spec_new ();

    g_object_set (s, "preset", KG_TOKEN_PRESET_JSON2, NULL);
    g_assert_cmpint (kg_token_spec_get_preset (s), ==, KG_TOKEN_PRESET_JSON2);
    g_assert_cmpstr (kg_token_spec_get_path (s), ==, "/json/2");
  }
}

static void
test_token_spec_json_round_trip (void)
{
  g_autoptr(KgTokenSpec) spec = kg_token_spec_new ();
  g_autoptr(KgTokenSpec) back = NULL;
  g_autoptr(KgTokenSpec) copy = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonObject) object2 = NULL;
  g_autoptr(JsonObject) object3 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text2 = NULL;
  g_autofree char *text3 = NULL;

  kg_token_spec_set_method (spec, "get");
  kg_token_spec_set_db_location (spec, KG_PARAM_QUERY);
  kg_token_spec_set_db_param (spec, "db");
  kg_token_spec_set_key_location (spec, KG_PARAM_BODY);
  kg_token_spec_set_key_param (spec, "api_key");
  kg_token_spec_set_token_path (spec, "data.token");
  kg_token_spec_set_send_as (spec, KG_TOKEN_SEND_HEADER);
  kg_token_spec_set_send_header (spec, "X-Access-Token");
  kg_token_spec_set_lifetime (spec, 900);

  object = kg_token_spec_to_json (spec);
  g_assert_cmpstr (json_object_get_string_member (object, "preset"), ==, "custom");
  g_assert_cmpstr (json_object_get_string_member (object, "method"), ==, "GET");
  g_assert_cmpstr (json_object_get_string_member (object, "db_location"), ==, "query");
  g_assert_cmpstr (json_object_get_string_member (object, "key_location"), ==, "body");
  g_assert_cmpstr (json_object_get_string_member (object, "send_as"), ==, "header");
  g_assert_cmpint (json_object_get_int_member (object, "lifetime"), ==, 900);

  back = kg_token_spec_new_from_json (object, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kg_token_spec_get_preset (back), ==, KG_TOKEN_PRESET_CUSTOM);
  g_assert_cmpstr (kg_token_spec_get_method (back), ==, "GET");
  g_assert_cmpint (kg_token_spec_get_db_location (back), ==, KG_PARAM_QUERY);
  g_assert_cmpstr (kg_token_spec_get_db_param (back), ==, "db");
  g_assert_cmpint (kg_token_spec_get_key_location (back), ==, KG_PARAM_BODY);
  g_assert_cmpstr (kg_token_spec_get_key_param (back), ==, "api_key");
  g_assert_cmpstr (kg_token_spec_get_token_path (back), ==, "data.token");
  g_assert_cmpint (kg_token_spec_get_send_as (back), ==, KG_TOKEN_SEND_HEADER);
  g_assert_cmpstr (kg_token_spec_get_send_header (back), ==, "X-Access-Token");
  g_assert_cmpuint (kg_token_spec_get_lifetime (back), ==, 900);

  object2 = kg_token_spec_to_json (back);
  copy = kg_token_spec_dup (back);
  object3 = kg_token_spec_to_json (copy);
  text = object_to_string (object);
  text2 = object_to_string (object2);
  text3 = object_to_string (object3);
  g_assert_cmpstr (text, ==, text2);
  g_assert_cmpstr (text, ==, text3);

  /* Every preset survives a round trip as that preset. */
  for (KgTokenPreset p = KG_TOKEN_PRESET_TUTORIAL; p <= KG_TOKEN_PRESET_CUSTOM; p++)
    {
      g_autoptr(KgTokenSpec) s = kg_token_spec_new_for_preset (p);
      g_autoptr(JsonObject) o = kg_token_spec_to_json (s);
      g_autoptr(KgTokenSpec) b = kg_token_spec_new_from_json (o, NULL);

      g_assert_cmpint (kg_token_spec_get_preset (b), ==, (p == KG_TOKEN_PRESET_CUSTOM
                                                           ? KG_TOKEN_PRESET_CUSTOM : p));
    }
}

static void
test_token_spec_json_unknown_and_errors (void)
{
  g_autoptr(JsonNode) node = parse ("{\"preset\":\"json2\",\"future\":{\"a\":[1]},\"note\":\"x\"}");
  g_autoptr(JsonNode) hand_edited = parse ("{\"preset\":\"tutorial\",\"path\":\"/token\"}");
  g_autoptr(JsonNode) no_preset = parse ("{\"exchange\":false,\"send_as\":\"header\","
                                         "\"send_header\":\"API-KEY\",\"key_param\":\"API-KEY\","
                                         "\"path\":\"\",\"token_path\":\"\","
                                         "\"expires_in_path\":\"\","
                                         "\"expires_at_path\":\"\"}");
  g_autoptr(KgTokenSpec) spec = NULL;
  g_autoptr(KgTokenSpec) edited = NULL;
  g_autoptr(KgTokenSpec) recognised = NULL;
  g_autoptr(JsonObject) out = NULL;
  const char *bad[] = {
    "{\"preset\":\"magic\"}",
    "{\"exchange\":\"yes\"}",
    "{\"lifetime\":-5}",
    "{\"lifetime\":\"1h\"}",
    "{\"db_location\":\"cookie\"}",
    "{\"send_as\":\"basic\"}",
    "{\"path\":42}",
  };

  spec = kg_token_spec_new_from_json (json_node_get_object (node), NULL);
  g_assert_nonnull (spec);
  g_assert_cmpint (kg_token_spec_get_preset (spec), ==, KG_TOKEN_PRESET_JSON2);
  out = kg_token_spec_to_json (spec);
  g_assert_cmpstr (json_object_get_string_member (out, "note"), ==, "x");
  g_assert_true (json_object_has_member (json_object_get_object_member (out, "future"), "a"));

  /* A preset name with hand-edited fields loads as custom with the edits. */
  edited = kg_token_spec_new_from_json (json_node_get_object (hand_edited), NULL);
  g_assert_cmpint (kg_token_spec_get_preset (edited), ==, KG_TOKEN_PRESET_CUSTOM);
  g_assert_cmpstr (kg_token_spec_get_path (edited), ==, "/token");
  g_assert_cmpstr (kg_token_spec_get_key_param (edited), ==, "X-API-Key");

  /* Without a preset, matching fields are recognised. */
  recognised = kg_token_spec_new_from_json (json_node_get_object (no_preset), NULL);
  g_assert_cmpint (kg_token_spec_get_preset (recognised), ==, KG_TOKEN_PRESET_API_KEY_HEADER);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) b = parse (bad[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(KgTokenSpec) s = kg_token_spec_new_from_json (json_node_get_object (b), &error);

      g_assert_null (s);
      g_assert_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT);
    }
}

static void
test_token_spec_enum_strings (void)
{
  KgParamLocation location;
  KgTokenSend send;
  KgTokenPreset preset;

  g_assert_cmpstr (kg_param_location_to_string (KG_PARAM_HEADER), ==, "header");
  g_assert_cmpstr (kg_param_location_to_string (KG_PARAM_BODY), ==, "body");
  g_assert_cmpstr (kg_param_location_to_string (KG_PARAM_QUERY), ==, "query");
  g_assert_cmpstr (kg_param_location_to_string (KG_PARAM_NONE), ==, "none");
  g_assert_true (kg_param_location_from_string ("query", &location));
  g_assert_cmpint (location, ==, KG_PARAM_QUERY);
  g_assert_false (kg_param_location_from_string ("cookie", &location));
  g_assert_cmpstr (kg_token_send_to_string (KG_TOKEN_SEND_BEARER), ==, "bearer");
  g_assert_true (kg_token_send_from_string ("header", &send));
  g_assert_cmpint (send, ==, KG_TOKEN_SEND_HEADER);
  g_assert_cmpstr (kg_token_preset_to_string (KG_TOKEN_PRESET_API_KEY_HEADER), ==,
                   "api-key-header");
  g_assert_true (kg_token_preset_from_string ("json2", &preset));
  g_assert_cmpint (preset, ==, KG_TOKEN_PRESET_JSON2);
  g_assert_false (kg_token_preset_from_string (NULL, &preset));
}

static void
test_create_spec (void)
{
  g_autoptr(KgCreateSpec) spec = kg_create_spec_new ();
  g_autoptr(KgCreateSpec) back = NULL;
  g_autoptr(KgCreateSpec) copy = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonNode) extra = parse ("{\"company_id\":1,\"tags\":[\"x\"]}");
  g_autoptr(JsonNode) with_unknown = parse ("{\"path\":\"/p\",\"later\":true}");
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(KgCreateSpec) u = NULL;
  g_autoptr(JsonObject) u_out = NULL;

  g_assert_cmpstr (kg_create_spec_get_method (spec), ==, "POST");
  g_assert_cmpstr (kg_create_spec_get_path (spec), ==, "/api/project/create");
  g_assert_cmpstr (kg_create_spec_get_name_field (spec), ==, "project_name");
  g_assert_cmpstr (kg_create_spec_get_description_field (spec), ==, "project_description");
  g_assert_cmpstr (kg_create_spec_get_id_path (spec), ==, "project_id");
  g_assert_cmpstr (kg_create_spec_get_message_path (spec), ==, "message");
  g_assert_nonnull (kg_create_spec_get_extra_fields (spec));
  g_assert_cmpuint (json_object_get_size (kg_create_spec_get_extra_fields (spec)), ==, 0);

  g_signal_connect (spec, "notify", G_CALLBACK (notify_cb), log);
  kg_create_spec_set_path (spec, "/api/project/create");
  kg_create_spec_set_extra_fields (spec, NULL);
  g_assert_cmpstr (log->str, ==, "");
  kg_create_spec_set_id_path (spec, "result.id");
  kg_create_spec_set_extra_fields (spec, json_node_get_object (extra));
  kg_create_spec_set_extra_fields (spec, json_node_get_object (extra));
  g_assert_cmpstr (log->str, ==, "id-path;extra-fields;");
  /* The spec keeps its own copy. */
  json_object_set_int_member (json_node_get_object (extra), "company_id", 2);
  g_assert_cmpint (json_object_get_int_member (kg_create_spec_get_extra_fields (spec),
                                               "company_id"), ==, 1);

  object = kg_create_spec_to_json (spec);
  back = kg_create_spec_new_from_json (object, NULL);
  g_assert_nonnull (back);
  g_assert_cmpstr (kg_create_spec_get_id_path (back), ==, "result.id");
  g_assert_cmpint (json_object_get_int_member (kg_create_spec_get_extra_fields (back),
                                               "company_id"), ==, 1);
  copy = kg_create_spec_dup (back);
  g_assert_cmpstr (kg_create_spec_get_id_path (copy), ==, "result.id");

  u = kg_create_spec_new_from_json (json_node_get_object (with_unknown), NULL);
  u_out = kg_create_spec_to_json (u);
  g_assert_true (json_object_get_boolean_member (u_out, "later"));
  g_assert_cmpstr (json_object_get_string_member (u_out, "path"), ==, "/p");
  g_assert_cmpstr (json_object_get_string_member (u_out, "name_field"), ==, "project_name");
}

/* A preset that is not a string (an object, an array, a number, null) is a
 * clear error, never a json-glib critical (found by fuzz-profile-json). */
static void
test_preset_not_string (void)
{
  const char *bad[] = { "{}", "[]", "[\"tutorial\"]", "7", "null", "true" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *text = g_strdup_printf ("{\"preset\": %s}", bad[i]);
      g_autoptr(JsonNode) node = json_from_string (text, NULL);
      g_autoptr(KgTokenSpec) spec = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_nonnull (node);
      spec = kg_token_spec_new_from_json (json_node_get_object (node), &error);
      g_assert_null (spec);
      g_assert_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT);
      g_assert_nonnull (strstr (error->message, "preset"));
    }
}

int
main (int   argc,
      char *argv[])
{
  kg_test_init (&argc, &argv);

  g_test_add_func ("/core/token-spec/presets", test_token_spec_presets);
  g_test_add_func ("/core/token-spec/custom-flip", test_token_spec_custom_flip);
  g_test_add_func ("/core/token-spec/json-round-trip", test_token_spec_json_round_trip);
  g_test_add_func ("/core/token-spec/json-unknown-and-errors",
                   test_token_spec_json_unknown_and_errors);
  g_test_add_func ("/core/token-spec/enum-strings", test_token_spec_enum_strings);
  g_test_add_func ("/core/token-spec/create-spec", test_create_spec);
  g_test_add_func ("/core/token-spec/preset-not-string", test_preset_not_string);

  return g_test_run ();
}
