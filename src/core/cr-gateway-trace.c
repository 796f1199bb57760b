/* cr-gateway-trace.c: a trace of the gateway's requests a person can share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "cr-gateway-private.h"
#include "cr-key.h"

/* The line with the key masked wherever it shows, and Authorization's value
 * never shown at all. */
static char *
trace_safe (CrGateway  *self,
            const char *line)
{
  g_autofree char *masked = NULL;
  g_auto(GStrv) parts = NULL;

  if (g_ascii_strncasecmp (line, "Authorization:", strlen ("Authorization:")) == 0)
    return g_strdup ("Authorization: [hidden]");
  if (self->key == NULL || *self->key == '\0' || strstr (line, self->key) == NULL)
    return g_strdup (line);

  masked = cr_key_mask (self->key);
  parts = g_strsplit (line, self->key, -1);
  return g_strjoinv (masked, parts);
}

static void
print_trace (SoupLogger         *logger,
             SoupLoggerLogLevel  level,
             char                direction,
             const char         *data,
             gpointer            user_data)
{
  g_autofree char *safe = trace_safe (user_data, data);

  g_debug ("%c %s", direction, safe);
}

/* On when this program's debug messages are (G_MESSAGES_DEBUG, --verbose),
 * as GNOME Online Accounts traces its requests. */
void
_cr_gateway_attach_trace (CrGateway *self)
{
  SoupLogger *logger;

  if (g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN))
    return;

  logger = soup_logger_new (SOUP_LOGGER_LOG_HEADERS);
  soup_logger_set_printer (logger, print_trace, self, NULL);
  soup_session_add_feature (self->session, SOUP_SESSION_FEATURE (logger));
  g_object_unref (logger);
}

/* "GET https://crazyrouter.com/v1/models: 200 in 84 ms", no user info. */
void
_cr_gateway_trace_done (Request    *req,
                        guint       status,
                        const char *problem)
{
  g_autofree char *shown = NULL;
  gint64 ms;

  if (g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN) || req->uri == NULL)
    return;

  shown = g_uri_to_string_partial (req->uri, G_URI_HIDE_USERINFO | G_URI_HIDE_AUTH_PARAMS);
  ms = (g_get_monotonic_time () - req->started) / 1000;
  if (problem != NULL)
    g_debug ("%s %s: %s after %" G_GINT64_FORMAT " ms", req->method, shown, problem, ms);
  else
    g_debug ("%s %s: %u in %" G_GINT64_FORMAT " ms", req->method, shown, status, ms);
}
