/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "kg-test-utils.h"

/* Every code has a distinct nick, a title and a remedy, and round-trips. */
static void
test_error_codes_complete (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (int code = 0; code < KG_ERROR_N_CODES; code++)
    {
      const char *nick = kg_error_code_to_nick (code);
      KgErrorCode back;

      g_assert_nonnull (nick);
      g_assert_false (g_hash_table_contains (seen, nick));
      g_hash_table_add (seen, (gpointer) nick);
      g_assert_true (kg_error_code_from_nick (nick, &back));
      g_assert_cmpint (back, ==, code);
      g_assert_nonnull (kg_error_code_title (code));
      g_assert_cmpstr (kg_error_code_title (code), !=, "");
      g_assert_nonnull (kg_error_code_remedy (code));
      g_assert_cmpstr (kg_error_code_remedy (code), !=, "");
    }
  g_assert_false (kg_error_code_from_nick ("no-such-kind", NULL));
}

/* The CLI's exit codes are a contract (issue: core engine). */
static void
test_error_exit_codes (void)
{
  const struct { const char *nick; KgExitCode exit_code; } table[] = {
    { "access-denied", KG_EXIT_AUTH },
    { "two-factor-required", KG_EXIT_AUTH },
    { "token-missing", KG_EXIT_AUTH },
    { "token-invalid", KG_EXIT_AUTH },
    { "access-error", KG_EXIT_PERMISSION },
    { "network", KG_EXIT_CONNECTION },
    { "tls", KG_EXIT_CONNECTION },
    { "timeout", KG_EXIT_CONNECTION },
    { "validation", KG_EXIT_SERVER },
    { "unknown-database", KG_EXIT_SERVER },
    { "not-json", KG_EXIT_SERVER },
    { "http-status", KG_EXIT_SERVER },
    { "server", KG_EXIT_SERVER },
    { "keyring-unavailable", KG_EXIT_KEYRING },
    { "keyring-locked", KG_EXIT_KEYRING },
    { "key-not-found", KG_EXIT_KEYRING },
  };

  g_assert_cmpint (KG_EXIT_AUTH, ==, 3);
  g_assert_cmpint (KG_EXIT_PERMISSION, ==, 4);
  g_assert_cmpint (KG_EXIT_CONNECTION, ==, 5);
  g_assert_cmpint (KG_EXIT_SERVER, ==, 6);
  g_assert_cmpint (KG_EXIT_KEYRING, ==, 7);

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      KgErrorCode code;
      g_autoptr(GError) error = NULL;

      g_assert_true (kg_error_code_from_nick (table[i].nick, &code));
      error = g_error_new_literal (KG_ERROR, code, "x");
      g_assert_cmpint (kg_error_exit_code (error), ==, table[i].exit_code);
      g_assert_cmpstr (kg_error_kind (error), ==, table[i].nick);
    }
}

/* Remedy, step, status and server message survive g_error_copy. */
static void
test_error_context_survives_copy (void)
{
  g_autoptr(GError) error = g_error_new (KG_ERROR, KG_ERROR_TOKEN_INVALID, "refused");
  g_autoptr(GError) copy = NULL;
  g_autoptr(KgExchange) exchange = kg_exchange_new ("POST", "http://127.0.0.1:8069/jsonrpc");

  g_assert_cmpstr (kg_error_get_remedy (error), ==,
                   kg_error_code_remedy (KG_ERROR_TOKEN_INVALID));
  kg_error_set_remedy (error, "Check the route");
  kg_error_set_step (error, "call");
  kg_error_set_http_status (error, 401);
  kg_error_set_server_message (error, "Invalid access token");
  kg_error_set_exchange (error, exchange);

  copy = g_error_copy (error);
  g_clear_error (&error);

  g_assert_cmpstr (kg_error_get_remedy (copy), ==, "Check the route");
  g_assert_cmpstr (kg_error_get_step (copy), ==, "call");
  g_assert_cmpuint (kg_error_get_http_status (copy), ==, 401);
  g_assert_cmpstr (kg_error_get_server_message (copy), ==, "Invalid access token");
  g_assert_true (kg_error_get_exchange (copy) == exchange);
}

static void
test_error_foreign_domains (void)
{
  g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "c");
  g_autoptr(GError) other = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "f");

  g_assert_cmpstr (kg_error_kind (cancelled), ==, "cancelled");
  g_assert_cmpstr (kg_error_kind (other), ==, "internal");
  g_assert_cmpint (kg_error_exit_code (other), ==, KG_EXIT_FAILURE);
  g_assert_null (kg_error_get_remedy (other));
  g_assert_null (kg_error_get_step (other));
}

int
main (int   argc,
      char *argv[])
{
  kg_test_init (&argc, &argv);

  g_test_add_func ("/core/error/codes-complete", test_error_codes_complete);
  g_test_add_func ("/core/error/exit-codes", test_error_exit_codes);
  g_test_add_func ("/core/error/context-survives-copy", test_error_context_survives_copy);
  g_test_add_func ("/core/error/foreign-domains", test_error_foreign_domains);

  return g_test_run ();
}
