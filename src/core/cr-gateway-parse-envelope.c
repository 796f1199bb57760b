/* cr-gateway-parse-envelope.c: the gateway's ways of saying a call failed
 *
 * OpenAI's {"error": {"message", "code"}}, a bare {"error": "…"}, and
 * new-api's own {"success": false, "message": "…"}.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "cr-gateway-error.h"
#include "cr-gateway-parse.h"
#include "cr-gateway-parse-private.h"

static char *
node_to_code (JsonNode *node)
{
  gint64 number;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_utf8_make_valid (json_node_get_string (node), -1);
  if (json_node_get_value_type (node) == G_TYPE_INT64 && _cr_parse_node_to_int (node, &number))
    return g_strdup_printf ("%" G_GINT64_FORMAT, number);
  return NULL;
}

static char *
node_to_message (JsonNode *node)
{
  const char *text;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  text = json_node_get_string (node);
  return *text != '\0' ? g_utf8_make_valid (text, -1) : NULL;
}

/* Finds the gateway's error message and code in an answer's root object. */
static gboolean
find_envelope (JsonObject  *root,
               char       **message,
               char       **code)
{
  JsonNode *error_node = _cr_parse_get_member (root, "error");

  if (error_node != NULL && JSON_NODE_HOLDS_OBJECT (error_node))
    {
      JsonObject *envelope = json_node_get_object (error_node);

      *message = node_to_message (json_object_get_member (envelope, "message"));
      *code = node_to_code (json_object_get_member (envelope, "code"));
    }
  else if (error_node != NULL)
    {
      /* {"error": "…"} */
      *message = node_to_message (error_node);
      *code = NULL;
    }
  else
    {
      /* new-api's own routes: {"success": false, "message": "…"} */
      *message = node_to_message (json_object_get_member (root, "message"));
      *code = node_to_code (json_object_get_member (root, "code"));
    }

  return *message != NULL || *code != NULL;
}

/* new-api says {"success": false, "message": …} (or "code": false) when a
 * read-only call fails with a success status. */
gboolean
_cr_parse_check_success (JsonObject  *root,
                         GError     **error)
{
  const char *flags[] = { "success", "code" };

  for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
    {
      JsonNode *node = _cr_parse_get_member (root, flags[i]);

      if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
          json_node_get_value_type (node) == G_TYPE_BOOLEAN &&
          !json_node_get_boolean (node))
        {
          g_autofree char *message = node_to_message (json_object_get_member (root, "message"));

          return _cr_parse_fail (error, message, _("The gateway reported a failure"));
        }
    }

  return TRUE;
}

/* An {"error": …} object where an answer should be: show its message. */
gboolean
_cr_parse_check_error_member (JsonObject  *root,
                              GError     **error)
{
  g_autofree char *message = NULL;
  g_autofree char *code = NULL;

  if (_cr_parse_get_member (root, "error") == NULL)
    return TRUE;

  find_envelope (root, &message, &code);
  return _cr_parse_fail (error, message, _("The gateway sent an error instead of an answer"));
}

gboolean
cr_parse_error_envelope (GBytes  *body,
                         char   **message,
                         char   **code)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *found_message = NULL;
  g_autofree char *found_code = NULL;
  JsonObject *root;

  if (message != NULL)
    *message = NULL;
  if (code != NULL)
    *code = NULL;

  if (!(parser = _cr_parse_load_json (body, NULL)) ||
      !(root = _cr_parse_root_object (parser, NULL)) ||
      !find_envelope (root, &found_message, &found_code))
    return FALSE;

  if (message != NULL)
    *message = g_steal_pointer (&found_message);
  if (code != NULL)
    *code = g_steal_pointer (&found_code);
  return TRUE;
}

/* Here, not in cr-gateway-error.c: the error module takes the envelope as
 * plain strings and never calls the parser, which itself builds errors. */
GError *
cr_gateway_error_from_http (guint        status,
                            const char  *content_type,
                            GBytes      *body,
                            const char  *retry_after_header)
{
  g_autofree char *message = NULL;
  g_autofree char *code = NULL;

  if (body != NULL)
    cr_parse_error_envelope (body, &message, &code);

  return cr_gateway_error_from_answer (status, content_type, message, code, retry_after_header);
}
