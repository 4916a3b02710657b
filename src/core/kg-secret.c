/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "kg-secret.h"

void
kg_secret_wipe (char *secret)
{
  if (secret != NULL)
    explicit_bzero (secret, strlen (secret));
}

void
kg_secret_wipe_len (gpointer data,
                    gsize    length)
{
  if (data != NULL && length > 0)
    explicit_bzero (data, length);
}

void
kg_secret_free (gpointer secret)
{
  kg_secret_wipe (secret);
  g_free (secret);
}
