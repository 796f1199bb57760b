/* cr-preflight.c: a CORS preflight's answer, judged as Chromium does
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "cr-preflight.h"

void
cr_preflight_free (CrPreflight *preflight)
{
  if (preflight == NULL)
    return;

  g_free (preflight->allow_origin);
  g_free (preflight->allow_methods);
  g_free (preflight->allow_headers);
  g_free (preflight);
}

/* Is @name, or "*", in the comma-separated @list (case-insensitive)? */
static gboolean
list_allows (const char *list,
             const char *name)
{
  g_auto(GStrv) items = NULL;

  if (list == NULL)
    return FALSE;

  items = g_strsplit (list, ",", -1);
  for (guint i = 0; items[i] != NULL; i++)
    {
      const char *item = g_strstrip (items[i]);

      if (g_ascii_strcasecmp (item, name) == 0 || strcmp (item, "*") == 0)
        return TRUE;
    }

  return FALSE;
}

static gboolean
method_is_safelisted (const char *method)
{
  return strcmp (method, "GET") == 0 || strcmp (method, "HEAD") == 0 || strcmp (method, "POST") == 0;
}

CrPreflightVerdict
cr_preflight_judge (const CrPreflight *preflight,
                    const char        *origin,
                    const char        *method,
                    const char        *request_headers,
                    char             **missing)
{
  g_auto(GStrv) wanted = NULL;

  g_return_val_if_fail (preflight != NULL, CR_PREFLIGHT_BAD_STATUS);
  g_return_val_if_fail (origin != NULL && method != NULL && request_headers != NULL,
                        CR_PREFLIGHT_BAD_STATUS);

  if (missing != NULL)
    *missing = NULL;

  /* A browser never follows a preflight's redirect: only 2xx allows. */
  if (preflight->status < 200 || preflight->status > 299)
    return CR_PREFLIGHT_BAD_STATUS;

  /* One value, compared byte for byte: two values ("*, x") allow nothing. */
  if (preflight->allow_origin == NULL
      || (strcmp (preflight->allow_origin, origin) != 0 && strcmp (preflight->allow_origin, "*") != 0))
    return CR_PREFLIGHT_NO_ORIGIN;

  /* Chromium lets a safelisted method (GET, POST) through whatever
   * Allow-Methods says; only other methods must be listed. */
  if (!method_is_safelisted (method) && !list_allows (preflight->allow_methods, method))
    return CR_PREFLIGHT_NO_METHOD;

  wanted = g_strsplit (request_headers, ",", -1);
  for (guint i = 0; wanted[i] != NULL; i++)
    {
      const char *header = g_strstrip (wanted[i]);

      if (*header == '\0' || list_allows (preflight->allow_headers, header))
        continue;

      if (missing != NULL)
        *missing = g_ascii_strdown (header, -1);
      return CR_PREFLIGHT_NO_HEADERS;
    }

  return CR_PREFLIGHT_ALLOWED;
}
