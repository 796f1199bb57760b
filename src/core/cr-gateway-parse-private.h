/* cr-gateway-parse-private.h: what the files of the gateway parser share
 *
 * cr-gateway-parse.c has the JSON helpers and the read-only answers;
 * cr-gateway-parse-chat.c the chat answers, plain and streamed;
 * cr-gateway-parse-envelope.c the gateway's ways of saying it failed.
 *
 * Every helper that fails sets CR_GATEWAY_ERROR_MALFORMED and returns
 * FALSE (or NULL). A member that is null counts as missing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "cr-gateway-parse.h"

G_BEGIN_DECLS

/* @server_message (may be NULL) is what the gateway said, shown as detail. */
gboolean     _cr_parse_fail               (GError      **error,
                                           const char   *server_message,
                                           const char   *format,
                                           ...) G_GNUC_PRINTF (3, 4);

/* One JSON value, checked for depth and escapes before json-glib sees it. */
JsonParser  *_cr_parse_load_json          (GBytes       *body,
                                           GError      **error);
JsonObject  *_cr_parse_root_object        (JsonParser   *parser,
                                           GError      **error);

JsonNode    *_cr_parse_get_member         (JsonObject   *object,
                                           const char   *name);
/* A whole number, or a double small enough to be one. */
gboolean     _cr_parse_node_to_int        (JsonNode     *node,
                                           gint64       *out);

gboolean     _cr_parse_member_string      (JsonObject   *object,
                                           const char   *name,
                                           gboolean      required,
                                           char        **out,
                                           GError      **error);
gboolean     _cr_parse_member_int         (JsonObject   *object,
                                           const char   *name,
                                           gboolean      required,
                                           gint64        fallback,
                                           gint64       *out,
                                           GError      **error);
gboolean     _cr_parse_member_array       (JsonObject   *object,
                                           const char   *name,
                                           gboolean      required,
                                           JsonArray   **out,
                                           GError      **error);
gboolean     _cr_parse_member_object      (JsonObject   *object,
                                           const char   *name,
                                           gboolean      required,
                                           JsonObject  **out,
                                           GError      **error);
JsonObject  *_cr_parse_array_object       (JsonArray    *array,
                                           guint         index,
                                           const char   *name,
                                           GError      **error);

/* new-api's {"success": false, "message": …} on a read-only call. */
gboolean     _cr_parse_check_success      (JsonObject   *root,
                                           GError      **error);
/* An {"error": …} where an answer should be. */
gboolean     _cr_parse_check_error_member (JsonObject   *root,
                                           GError      **error);

G_END_DECLS
