/* cr-soup.c: libsoup, opened when the first request is made
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gmodule.h>
#include <glib/gi18n.h>

#include "cr-soup.h"

static CrSoup  soup;
static GError *load_error;

static gboolean
find (GModule     *module,
      const char  *name,
      gpointer    *function,
      GError     **error)
{
  if (g_module_symbol (module, name, function) && *function != NULL)
    return TRUE;

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
               /* Translators: a function's name, then the system's reason. */
               _("The HTTP library has no function %s: %s"), name, g_module_error ());
  return FALSE;
}

#define FIND(member) find (module, "soup_" #member, (gpointer *) &soup.member, error)

static gboolean
load (GError **error)
{
  const char *name = g_getenv ("CR_SOUP_LIBRARY");
  GModule *module;

  if (name == NULL || *name == '\0')
    name = CR_SOUP_SONAME;

  /* Local: only this table looks its functions up. */
  module = g_module_open (name, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
  if (module == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   /* Translators: a file name, then the system's reason. */
                   _("Cannot load the HTTP library %s: %s"), name, g_module_error ());
      return FALSE;
    }
  /* Its types are registered with GObject: it may never be unloaded. */
  g_module_make_resident (module);

  return FIND (session_get_type) &&
         FIND (session_error_quark) &&
         FIND (session_set_tls_database) &&
         FIND (session_send_async) &&
         FIND (session_send_finish) &&
         FIND (message_new_from_uri) &&
         FIND (message_add_flags) &&
         FIND (message_get_status) &&
         FIND (message_get_request_headers) &&
         FIND (message_get_response_headers) &&
         FIND (message_set_request_body_from_bytes) &&
         FIND (message_headers_get_content_type) &&
         FIND (message_headers_get_list) &&
         FIND (message_headers_get_one) &&
         FIND (message_headers_replace) &&
         FIND (date_time_new_from_http_string);
}

const CrSoup *
cr_soup_get (GError **error)
{
  static gsize loaded = 0;

  if (g_once_init_enter (&loaded))
    {
      load (&load_error);
      g_once_init_leave (&loaded, 1);
    }

  if (load_error != NULL)
    {
      if (error != NULL)
        *error = g_error_copy (load_error);
      return NULL;
    }
  return &soup;
}
