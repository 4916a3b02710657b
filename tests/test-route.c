/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "kg-test-utils.h"

static KgRoute *
route_from (const char  *text,
            GError     **error)
{
  g_autoptr(GError) parse_error = NULL;
  g_autoptr(JsonNode) node = kg_json_parse (text, -1, &parse_error);

  g_assert_no_error (parse_error);
  return kg_route_new_from_json (json_node_get_object (node), error);
}

static KgProfile *
profile_at (const char *url)
{
  KgProfile *profile = kg_profile_new ();

  kg_profile_set_url (profile, url);
  kg_profile_set_database (profile, "db");
  return profile;
}

static char *
url_for (const char *route_json,
         const char *profile_url,
         gboolean   *foreign,
         GError    **error)
{
  g_autoptr(KgProfile) profile = profile_at (profile_url);
  g_autoptr(KgRoute) route = route_from (route_json, NULL);

  g_assert_nonnull (route);
  return kg_route_build_url (route, profile, foreign, error);
}

static void
assert_contains (const char *text,
                 const char *fragment)
{
  if (text == NULL || strstr (text, fragment) == NULL)
    g_error ("“%s” lacks “%s”", text ? text : "(null)", fragment);
}

static void
test_route_from_json (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KgRoute) route = route_from ("{\"method\": \"post\", \"path\": \"/api/project/create\","
                                         " \"auth\": \"token\", \"query\": {\"a\": \"1\", "
                                         "\"id\": 42}, \"headers\": {\"X-Trace\": \"t\"}, "
                                         "\"json\": {\"project_name\": \"qa\"}, \"x\": 1}",
                                         &error);
  g_autofree char *content_type = NULL;
  g_autoptr(GBytes) body = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (kg_route_get_method (route), ==, "POST");
  g_assert_cmpstr (kg_route_get_path (route), ==, "/api/project/create");
  g_assert_cmpint (kg_route_get_auth (route), ==, KG_ROUTE_AUTH_TOKEN);
  g_assert_cmpuint (kg_route_get_query (route)->len, ==, 4);
  /* A whole-string {{variable}} may have become a number. */
  g_assert_cmpstr (g_ptr_array_index (kg_route_get_query (route), 3), ==, "42");
  g_assert_cmpstr (kg_route_find_header (route, "x-trace"), ==, "t");
  g_assert_cmpint (kg_route_get_body_kind (route), ==, KG_ROUTE_BODY_JSON);

  body = kg_route_dup_body_bytes (route, &content_type);
  g_assert_cmpstr (content_type, ==, "application/json");
  g_assert_cmpmem (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                   "{\"project_name\":\"qa\"}", strlen ("{\"project_name\":\"qa\"}"));
}

static void
test_route_bodies (void)
{
  g_autoptr(KgRoute) form = route_from ("{\"method\": \"POST\", \"path\": \"/f\", "
                                        "\"form\": {\"a b\": \"x&y=z\", \"n\": \"é\"}}", NULL);
  g_autoptr(KgRoute) data = route_from ("{\"method\": \"PUT\", \"path\": \"/d\", "
                                        "\"data\": \"hello\"}", NULL);
  g_autoptr(KgRoute) typed = route_from ("{\"method\": \"PATCH\", \"path\": \"/d\", "
                                         "\"data\": \"<x/>\", \"headers\": "
                                         "{\"content-type\": \"application/xml\"}}", NULL);
  g_autoptr(KgRoute) none = route_from ("{\"method\": \"delete\", \"path\": \"/d\"}", NULL);
  g_autofree char *type = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *text = NULL;

  bytes = kg_route_dup_body_bytes (form, &type);
  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_assert_cmpstr (type, ==, "application/x-www-form-urlencoded");
  g_assert_cmpstr (text, ==, "a%20b=x%26y%3Dz&n=%C3%A9");
  g_clear_pointer (&bytes, g_bytes_unref);
  g_clear_pointer (&type, g_free);

  bytes = kg_route_dup_body_bytes (data, &type);
  g_assert_cmpstr (type, ==, "text/plain; charset=utf-8");
  g_assert_cmpuint (g_bytes_get_size (bytes), ==, 5);
  g_clear_pointer (&bytes, g_bytes_unref);
  g_clear_pointer (&type, g_free);

  bytes = kg_route_dup_body_bytes (typed, &type);
  g_assert_cmpstr (type, ==, "application/xml");
  g_clear_pointer (&bytes, g_bytes_unref);
  g_clear_pointer (&type, g_free);

  g_assert_cmpstr (kg_route_get_method (none), ==, "DELETE");
  g_assert_null (kg_route_dup_body_bytes (none, &type));
  g_assert_null (type);
}

static void
test_route_validation (void)
{
  static const struct {
    const char *json;
    const char *fragment;
  } cases[] = {
    { "{\"path\": \"/x\"}", "no “method”" },
    { "{\"method\": \"GET\"}", "no “path”" },
    { "{\"method\": 1, \"path\": \"/x\"}", "“method” must be a string" },
    { "{\"method\": \"TRACE\", \"path\": \"/x\"}", "“TRACE” is not a method" },
    { "{\"method\": \"GET\", \"path\": \"\"}", "needs a path" },
    { "{\"method\": \"GET\", \"path\": \"/a b\"}", "space or a control character" },
    { "{\"method\": \"GET\", \"path\": \"/a\\nb\"}", "space or a control character" },
    { "{\"method\": \"GET\", \"path\": \"ftp://h/x\"}", "neither a path" },
    { "{\"method\": \"GET\", \"path\": \"/x\", \"auth\": \"basic\"}", "“auth” is “basic”" },
    { "{\"method\": \"GET\", \"path\": \"/x\", \"query\": [1]}", "“query” must be an object" },
    { "{\"method\": \"GET\", \"path\": \"/x\", \"query\": {\"a\": [1]}}",
      "“query” value of “a” must be a string" },
    { "{\"method\": \"GET\", \"path\": \"/x\", \"headers\": {\"a\": null}}",
      "“headers” value of “a”" },
    { "{\"method\": \"GET\", \"path\": \"/x\", \"headers\": {\"Bad Name\": \"v\"}}",
      "not an HTTP header name" },
    { "{\"method\": \"GET\", \"path\": \"/x\", \"headers\": {\"X\": \"a\\r\\nInjected: 1\"}}",
      "line break" },
    { "{\"method\": \"POST\", \"path\": \"/x\", \"json\": {}, \"data\": \"t\"}",
      "more than one body" },
    { "{\"method\": \"POST\", \"path\": \"/x\", \"data\": 5}", "“data” must be a string" },
    { "{\"method\": \"GET\", \"path\": \"/x\", \"origin\": \"https://h/path\"}",
      "not an origin" },
    { "{\"method\": \"GET\", \"path\": \"/x\", \"origin\": \"h.example\"}", "not an origin" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KgRoute) route = route_from (cases[i].json, &error);

      g_assert_null (route);
      g_assert_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT);
      if (strstr (error->message, cases[i].fragment) == NULL)
        g_error ("case %u: “%s” lacks “%s”", i, error->message, cases[i].fragment);
    }
}

static void
test_route_url_joining (void)
{
  static const struct {
    const char *profile;
    const char *route;
    const char *url;
  } cases[] = {
    { "http://127.0.0.1:8069", "{\"method\":\"GET\",\"path\":\"/api/x\"}",
      "http://127.0.0.1:8069/api/x" },
    { "http://127.0.0.1:8069", "{\"method\":\"GET\",\"path\":\"api/x\"}",
      "http://127.0.0.1:8069/api/x" },
    /* The profile's path prefix is kept, with one slash. */
    { "https://h.example/odoo", "{\"method\":\"GET\",\"path\":\"/api/x\"}",
      "https://h.example/odoo/api/x" },
    { "https://h.example/odoo/", "{\"method\":\"GET\",\"path\":\"//api/x\"}",
      "https://h.example/odoo/api/x" },
    /* Query parameters, encoded, after any query in the path. */
    { "https://h.example", "{\"method\":\"GET\",\"path\":\"/s\","
      "\"query\":{\"q\":\"a b&c\",\"é\":\"1/2\"}}",
      "https://h.example/s?q=a%20b%26c&%C3%A9=1%2F2" },
    { "https://h.example", "{\"method\":\"GET\",\"path\":\"/s?x=1\",\"query\":{\"y\":\"2\"}}",
      "https://h.example/s?x=1&y=2" },
    /* An absolute URL to the profile's own origin (default port, any case). */
    { "https://h.example", "{\"method\":\"GET\",\"path\":\"https://H.example:443/api\","
      "\"auth\":\"token\"}", "https://H.example:443/api" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean foreign = TRUE;
      g_autofree char *url = url_for (cases[i].route, cases[i].profile, &foreign, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (url, ==, cases[i].url);
      g_assert_false (foreign);
    }
}

static void
test_route_origins (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  gboolean foreign = FALSE;

  /* Another origin is refused, with a sentence naming it and the way out. */
  url = url_for ("{\"method\":\"GET\",\"path\":\"https://other.example:8443/x\"}",
                 "https://odoo.example", &foreign, &error);
  g_assert_null (url);
  g_assert_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT);
  assert_contains (error->message, "https://other.example:8443");
  assert_contains (error->message, "https://odoo.example");
  assert_contains (error->message, "--allow-origin https://other.example:8443");
  assert_contains (error->message, "“origin”");
  g_clear_error (&error);

  /* Another scheme or port is another origin. */
  url = url_for ("{\"method\":\"GET\",\"path\":\"http://odoo.example/x\"}",
                 "https://odoo.example", &foreign, &error);
  g_assert_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  /* Allowed by "origin" (normalised: case, default port, trailing slash). */
  url = url_for ("{\"method\":\"GET\",\"path\":\"https://other.example/x\","
                 "\"origin\":\"HTTPS://Other.Example:443/\"}",
                 "https://odoo.example", &foreign, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (url, ==, "https://other.example/x");
  g_assert_true (foreign);
  g_clear_pointer (&url, g_free);

  /* An origin that is not exactly the target's does not allow it. */
  url = url_for ("{\"method\":\"GET\",\"path\":\"https://other.example/x\","
                 "\"origin\":\"https://other.example:8443\"}",
                 "https://odoo.example", &foreign, &error);
  g_assert_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  /* Credentials never go to another origin, even an allowed one. */
  url = url_for ("{\"method\":\"GET\",\"path\":\"https://other.example/x\","
                 "\"origin\":\"https://other.example\",\"auth\":\"api-key\"}",
                 "https://odoo.example", &foreign, &error);
  g_assert_null (url);
  g_assert_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT);
  assert_contains (error->message, "never sends the API key");
  assert_contains (error->message, "“api-key”");
  g_clear_error (&error);

  url = url_for ("{\"method\":\"GET\",\"path\":\"https://other.example/x\","
                 "\"origin\":\"https://other.example\",\"auth\":\"token\"}",
                 "https://odoo.example", &foreign, &error);
  g_assert_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  /* A password in the URL is refused. */
  url = url_for ("{\"method\":\"GET\",\"path\":\"https://u:p@odoo.example/x\"}",
                 "https://odoo.example", &foreign, &error);
  g_assert_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT);
  assert_contains (error->message, "user name or password");
  g_clear_error (&error);

  /* The setters the CLI uses. */
  {
    g_autoptr(KgRoute) route = kg_route_new ("get", "https://other.example/x", &error);
    g_autoptr(KgProfile) profile = profile_at ("https://odoo.example");

    g_assert_no_error (error);
    g_assert_false (kg_route_set_origin (route, "not an origin", &error));
    g_assert_error (error, KG_ERROR, KG_ERROR_INVALID_INPUT);
    g_clear_error (&error);
    g_assert_true (kg_route_set_origin (route, "https://other.example", &error));
    url = kg_route_build_url (route, profile, &foreign, &error);
    g_assert_no_error (error);
    g_assert_true (foreign);
  }
}

static void
test_route_origin_of (void)
{
  g_autofree char *a = kg_route_dup_origin_of ("HTTP://Example.COM:80/x?y");
  g_autofree char *b = kg_route_dup_origin_of ("https://[::1]:8443/");
  g_autofree char *c = kg_route_dup_origin_of ("mailto:x@example.com");
  g_autofree char *d = kg_route_dup_origin_of ("/relative");

  g_assert_cmpstr (a, ==, "http://example.com");
  g_assert_cmpstr (b, ==, "https://[::1]:8443");
  g_assert_null (c);
  g_assert_null (d);
}

int
main (int   argc,
      char *argv[])
{
  kg_test_init (&argc, &argv);

  g_test_add_func ("/core/route/from-json", test_route_from_json);
  g_test_add_func ("/core/route/bodies", test_route_bodies);
  g_test_add_func ("/core/route/validation", test_route_validation);
  g_test_add_func ("/core/route/url-joining", test_route_url_joining);
  g_test_add_func ("/core/route/origins", test_route_origins);
  g_test_add_func ("/core/route/origin-of", test_route_origin_of);

  return g_test_run ();
}
