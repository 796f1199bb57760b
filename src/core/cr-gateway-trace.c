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
  if (g_ascii_strncasecmp (line, "Authorization:", strlen ("Authorization:")) == 0)
    return g_strdup ("Authorization: [hidden]");
  return cr_key_scrub (line, self->key);
}

/* Kept for a diagnostic report, and printed as debug messages. */
static void
trace_add (CrGateway *self,
           char      *line)
{
  g_debug ("%s", line);
  g_queue_push_tail (&self->trace, line);
  while (self->trace.length > CR_GATEWAY_TRACE_LINES)
    g_free (g_queue_pop_head (&self->trace));
}

static void
print_trace (SoupLogger         *logger,
             SoupLoggerLogLevel  level,
             char                direction,
             const char         *data,
             gpointer            user_data)
{
  /* The session can outlive its gateway while a request is still out. */
  g_autoptr(CrGateway) self = g_weak_ref_get (user_data);
  g_autofree char *safe = NULL;

  if (self == NULL)
    return;

  safe = trace_safe (self, data);
  trace_add (self, g_strdup_printf ("%c %s", direction, safe));
}

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

/* Always kept (the last lines, for "Copy Diagnostic Report"), and printed
 * when this program's debug messages are on (G_MESSAGES_DEBUG, --verbose),
 * as GNOME Online Accounts traces its requests. */
void
_cr_gateway_attach_trace (CrGateway *self)
{
  SoupLogger *logger;
  GWeakRef *gateway = g_new0 (GWeakRef, 1);

  g_weak_ref_init (gateway, self);
  logger = soup_logger_new (SOUP_LOGGER_LOG_HEADERS);
  soup_logger_set_printer (logger, print_trace, gateway, weak_ref_free);
  soup_session_add_feature (self->session, SOUP_SESSION_FEATURE (logger));
  g_object_unref (logger);
}

/* "GET https://crazyrouter.com/v1/models: 200 in 84 ms", no user info. */
void
_cr_gateway_trace_done (CrGateway  *self,
                        Request    *req,
                        guint       status,
                        const char *problem)
{
  g_autofree char *shown = NULL;
  g_autofree char *safe = NULL;
  gint64 ms;

  if (req->uri == NULL)
    return;

  shown = g_uri_to_string_partial (req->uri, G_URI_HIDE_USERINFO | G_URI_HIDE_AUTH_PARAMS);
  ms = (g_get_monotonic_time () - req->started) / 1000;
  if (problem != NULL)
    {
      safe = trace_safe (self, problem);
      trace_add (self, g_strdup_printf ("%s %s: %s after %" G_GINT64_FORMAT " ms", req->method, shown, safe, ms));
    }
  else
    trace_add (self, g_strdup_printf ("%s %s: %u in %" G_GINT64_FORMAT " ms", req->method, shown, status, ms));
}

GStrv
cr_gateway_get_trace (CrGateway *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (CR_IS_GATEWAY (self), NULL);

  for (GList *l = self->trace.head; l != NULL; l = l->next)
    g_strv_builder_add (builder, l->data);
  return g_strv_builder_end (builder);
}
