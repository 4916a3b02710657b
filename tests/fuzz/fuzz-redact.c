/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kg_secrets_redact, kg_redact_body, kg_redact_header_value and
 * kg_redact_url with arbitrary input must never return text that contains
 * the registered secret.
 *
 * Input: byte 0 secret length (8..47), byte 1 kind and entry point, byte 2
 * header name or content type, then the secret, then the text (which also
 * goes through kg_redact_url, whatever the entry point). In the text,
 * byte 0x01 stands for the secret, 0x02 for its URI-escaped and 0x03 for its
 * JSON-escaped form (so the fuzzer does not have to guess it).
 *
 * A secret that contains '<' or '>' or is part of a placeholder is skipped:
 * the placeholders themselves would then "contain" it. So is a secret that
 * is part of a secret field name ("password"): the field names are kept. */
#include "config.h"

#include <string.h>

#include "keygate-core.h"
#include "fuzz-common.h"

static const char * const placeholders =
  "<API_KEY> <TOKEN> <PASSWORD> <SESSION_ID> <REDACTED> $ODOO_API_KEY $ODOO_TOKEN "
  "$ODOO_PASSWORD $ODOO_SESSION_ID";

static const char * const field_names =
  "password passwd new_password old_password confirm_password api_key api-key apikey "
  "access_token refresh_token id_token auth_token client_secret session_id authorization "
  "x-api-key";

static char *
json_form (const char *value)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);
  g_autofree char *quoted = NULL;

  json_node_set_string (node, value);
  quoted = json_to_string (node, FALSE);
  return g_strndup (quoted + 1, strlen (quoted) - 2);
}

static void
check (const char *entry,
       const char *arg,
       const char *text,
       const char *secret,
       const char *out)
{
  if (out != NULL && strstr (out, secret) != NULL)
    g_error ("%s(%s) leaked the secret \"%s\"\n input: \"%s\"\noutput: \"%s\"",
             entry, arg ? arg : "", secret, text, out);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const char * const headers[] = {
    "Authorization", "Cookie", "Set-Cookie", "X-API-Key",
    "X-Openerp-Session-Id", "Content-Type", "X-Custom", "Location",
  };
  static const char * const content_types[] = {
    "application/json", "application/json; charset=utf-8", "text/plain",
    "application/x-www-form-urlencoded", "text/html", NULL, "application/xml", "",
  };
  g_autoptr(KgSecrets) secrets = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *json = NULL;
  g_autofree char *raw_text = NULL;
  g_autofree char *out = NULL;
  g_autofree char *url = NULL;
  GString *text;
  gsize secret_len;
  KgSecretKind kind;
  guint entry;
  guint8 which;

  fuzz_init ();
  if (size < 3)
    return 0;

  secret_len = 8 + data[0] % 40;
  kind = data[1] & 3;
  entry = (data[1] >> 2) & 3;
  which = data[2] & 7;
  data += 3;
  size -= 3;
  if (size < secret_len)
    return 0;

  secret = g_strndup ((const char *) data, secret_len);
  if (strlen (secret) != secret_len || !g_utf8_validate (secret, -1, NULL) ||
      strpbrk (secret, "<>") != NULL || strstr (placeholders, secret) != NULL)
    return 0;
  {
    g_autofree char *lower = g_ascii_strdown (secret, -1);

    if (strstr (field_names, lower) != NULL)
      return 0;
  }
  data += secret_len;
  size -= secret_len;

  uri = g_uri_escape_string (secret, NULL, FALSE);
  json = json_form (secret);

  /* The text as kg-http hands it over: valid UTF-8, up to the first NUL. */
  raw_text = g_utf8_make_valid ((const char *) data, (gssize) size);
  text = g_string_new (NULL);
  for (const char *p = raw_text; *p != '\0'; p++)
    {
      if (*p == '\x01')
        g_string_append (text, secret);
      else if (*p == '\x02')
        g_string_append (text, uri);
      else if (*p == '\x03')
        g_string_append (text, json);
      else
        g_string_append_c (text, *p);
    }

  secrets = kg_secrets_new ();
  kg_secrets_add (secrets, kind, secret);

  switch (entry)
    {
    case 0:
      out = kg_secrets_redact (secrets, text->str);
      check ("kg_secrets_redact", NULL, text->str, secret, out);
      break;
    case 1:
    case 2:
      out = kg_redact_body (secrets, content_types[which], text->str);
      check ("kg_redact_body", content_types[which], text->str, secret, out);
      break;
    default:
      out = kg_redact_header_value (secrets, headers[which], text->str);
      check ("kg_redact_header_value", headers[which], text->str, secret, out);
      break;
    }

  url = kg_redact_url (secrets, text->str);
  check ("kg_redact_url", NULL, text->str, secret, url);

  g_string_free (text, TRUE);
  return 0;
}
