/* cr-endpoint-url.c: base URLs put together, and hosts checked
 *
 * What the gateway client needs from a base URL (the address of a call),
 * and what the diagnosis in cr-endpoint.c uses to judge a host and to
 * write the repaired URL.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "cr-endpoint.h"
#include "cr-endpoint-private.h"

gboolean
_cr_endpoint_host_is_well_formed (const char *host)
{
  gboolean has_alnum = FALSE;

  if (host == NULL || *host == '\0')
    return FALSE;
  /* An IPv6 literal; a ":" that came from a "%3A" in a name is not one.
   * g_hostname_is_ip_address() takes anything after a zone's "%", so the
   * zone (an interface name) is checked here. */
  if (strchr (host, ':') != NULL)
    {
      const char *zone = strchr (host, '%');

      for (const char *p = zone ? zone + 1 : ""; *p != '\0'; p++)
        if (!g_ascii_isalnum (*p) && strchr ("-_.", *p) == NULL)
          return FALSE;
      return g_hostname_is_ip_address (host);
    }

  for (const char *p = host; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p))
        has_alnum = TRUE;
      else if (*p != '-' && *p != '.' && *p != '_')
        return FALSE;
    }

  return has_alnum;
}

char *
_cr_endpoint_build_url (const char *scheme,
                        const char *host,
                        int         port,
                        const char *path)
{
  /* GLib brackets an IPv6 host and escapes a zone's "%"; the path is used
   * as it is, already encoded. */
  return g_uri_join (G_URI_FLAGS_ENCODED_PATH, scheme, NULL, host, port, path, NULL, NULL);
}

char *
cr_endpoint_join (const char *base_url,
                  const char *path)
{
  g_return_val_if_fail (base_url != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  return g_strconcat (base_url, path, NULL);
}

char *
cr_endpoint_api_url (const char *base_url,
                     const char *api_path)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *path = NULL;
  const char *base_path;
  gsize length;

  g_return_val_if_fail (base_url != NULL, NULL);
  g_return_val_if_fail (api_path != NULL, NULL);

  uri = g_uri_parse (base_url, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL || !_cr_endpoint_host_is_well_formed (g_uri_get_host (uri)))
    return NULL;

  base_path = g_uri_get_path (uri);
  length = strlen (base_path);
  while (length > 0 && base_path[length - 1] == '/')
    length--;
  if (length >= 3 && strncmp (base_path + length - 3, "/v1", 3) == 0)
    length -= 3;

  path = g_strdup_printf ("%.*s%s", (int) length, base_path, api_path);

  return _cr_endpoint_build_url (g_uri_get_scheme (uri), g_uri_get_host (uri),
                                 g_uri_get_port (uri), path);
}

gboolean
cr_endpoint_is_loopback_host (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *bare = NULL;
  gsize length;

  if (host == NULL || *host == '\0')
    return FALSE;

  if (g_ascii_strcasecmp (host, "localhost") == 0
      || g_ascii_strcasecmp (host, "localhost.") == 0)
    return TRUE;

  length = strlen (host);
  if (host[0] == '[' && length > 2 && host[length - 1] == ']')
    bare = g_strndup (host + 1, length - 2);
  else
    bare = g_strdup (host);

  address = g_inet_address_new_from_string (bare);

  return address != NULL && g_inet_address_get_is_loopback (address);
}

guint
cr_endpoint_effective_port (GUri *uri)
{
  int port;

  g_return_val_if_fail (uri != NULL, 0);

  port = g_uri_get_port (uri);
  if (port > 0)
    return port;
  return g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80;
}
