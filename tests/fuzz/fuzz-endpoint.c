/* fuzz-endpoint.c: base-URL diagnosis, join and api_url
 *
 * Whatever is pasted into the base-URL field: the diagnosis always has a
 * message, never quotes more than the capped, valid input, and a repair it
 * offers is itself a usable address (no credentials, no spaces).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "cr-endpoint.h"
#include "cr-fuzz.h"

static gboolean
has_space_or_control (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || g_unichar_iscntrl (c))
        return TRUE;
    }

  return FALSE;
}

static void
check_diagnosis (const CrEndpointDiagnosis *d)
{
  CR_FUZZ_CHECK (d != NULL);
  CR_FUZZ_CHECK (d->message != NULL && g_utf8_validate (d->message, -1, NULL));
  CR_FUZZ_CHECK (d->input != NULL && g_utf8_validate (d->input, -1, NULL));
  CR_FUZZ_CHECK (strlen (d->input) <= 2048);
  CR_FUZZ_CHECK (d->issue <= CR_ENDPOINT_NOT_OFFICIAL);

  switch (d->issue)
    {
    case CR_ENDPOINT_OK:
      CR_FUZZ_CHECK (d->severity == CR_SEVERITY_OK);
      break;
    case CR_ENDPOINT_NOT_OFFICIAL:
      CR_FUZZ_CHECK (d->severity == CR_SEVERITY_WARNING);
      break;
    default:
      CR_FUZZ_CHECK (d->severity == CR_SEVERITY_ERROR);
      break;
    }

  /* Only an error is repaired, and the repair is a plain web address. */
  if (d->fixed_url != NULL)
    {
      CR_FUZZ_CHECK (d->severity == CR_SEVERITY_ERROR);
      CR_FUZZ_CHECK (g_utf8_validate (d->fixed_url, -1, NULL));
      CR_FUZZ_CHECK (g_str_has_prefix (d->fixed_url, "https://") ||
                     g_str_has_prefix (d->fixed_url, "http://"));
      CR_FUZZ_CHECK (strchr (d->fixed_url, '@') == NULL);
      CR_FUZZ_CHECK (strpbrk (d->fixed_url, "?#") == NULL);
      CR_FUZZ_CHECK (!has_space_or_control (d->fixed_url));
    }
}

static void
check_api_url (const char *base_url)
{
  g_autofree char *api = cr_endpoint_api_url (base_url, "/api/usage/token/");
  g_autoptr(GUri) uri = NULL;

  if (api == NULL)
    return;

  /* A well-formed address, and the key's neighbours (user info, query,
   * fragment) are gone; an "@" may stay inside the path. */
  CR_FUZZ_CHECK (g_str_has_suffix (api, "/api/usage/token/"));
  uri = g_uri_parse (api, G_URI_FLAGS_ENCODED, NULL);
  CR_FUZZ_CHECK (uri != NULL);
  CR_FUZZ_CHECK (g_uri_get_userinfo (uri) == NULL);
  CR_FUZZ_CHECK (g_uri_get_query (uri) == NULL && g_uri_get_fragment (uri) == NULL);
}

int
cr_fuzz_endpoint (const uint8_t *data,
                  size_t         size)
{
  g_autofree char *input = g_strndup ((const char *) data, size);
  g_autoptr(CrEndpointDiagnosis) diagnosis = cr_endpoint_diagnose (input);
  g_autofree char *joined = NULL;

  check_diagnosis (diagnosis);

  /* The repair must not need repairing again. */
  if (diagnosis->fixed_url != NULL)
    {
      g_autoptr(CrEndpointDiagnosis) again = cr_endpoint_diagnose (diagnosis->fixed_url);

      check_diagnosis (again);
      CR_FUZZ_CHECK (again->severity != CR_SEVERITY_ERROR);
      CR_FUZZ_CHECK (cr_endpoint_is_sendable (again));
    }

  joined = cr_endpoint_join (input, "/models");
  CR_FUZZ_CHECK (g_str_has_prefix (joined, input) && g_str_has_suffix (joined, "/models"));

  check_api_url (input);
  if (cr_endpoint_is_sendable (diagnosis))
    check_api_url (diagnosis->input);

  (void) cr_endpoint_is_loopback_host (input);

  return 0;
}

CR_FUZZ_DEFINE_ENTRY (cr_fuzz_endpoint)
