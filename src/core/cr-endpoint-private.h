/* cr-endpoint-private.h: what the files of the endpoint module share
 *
 * cr-endpoint.c diagnoses a typed base URL; cr-endpoint-url.c builds URLs
 * and checks hosts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A DNS name or an IP literal (an IPv6 zone id included); NULL is not. */
gboolean  _cr_endpoint_host_is_well_formed (const char *host);

/* scheme://host[:port]path with g_uri_join(): an IPv6 @host in brackets
 * and its zone's "%" escaped; @port -1 for none; @path used as it is. */
char     *_cr_endpoint_build_url           (const char *scheme,
                                            const char *host,
                                            int         port,
                                            const char *path);

G_END_DECLS
