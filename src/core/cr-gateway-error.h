/* cr-gateway-error.h: what can go wrong talking to the gateway
 *
 * One GError domain with typed codes. Each code has a likely cause and a fix
 * (the provider guide's "Common Errors And Fixes", in our words); the error
 * also carries the server's own message, cleaned for display.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

/* The server's message is cleaned with cr_text_sanitize(). Still included
 * here for the callers that have not yet included it themselves
 * (cr-cursor-checks.c, src/ui/pages/cr-model-page.c). */
#include "cr-text.h"

G_BEGIN_DECLS

#define CR_GATEWAY_ERROR (cr_gateway_error_quark ())

typedef enum {
  CR_GATEWAY_ERROR_UNAUTHORIZED,        /* 401 */
  CR_GATEWAY_ERROR_MODEL_NOT_ALLOWED,   /* 403: model outside the token's allowlist */
  CR_GATEWAY_ERROR_IP_NOT_ALLOWED,      /* 403 access_denied */
  CR_GATEWAY_ERROR_QUOTA,               /* 403 insufficient_user_quota / pre_consume_token_quota_failed */
  CR_GATEWAY_ERROR_FORBIDDEN,           /* any other 403 */
  CR_GATEWAY_ERROR_WRONG_BASE_URL,      /* 404, or 200 text/html (the web app's index page) */
  CR_GATEWAY_ERROR_RATE_LIMITED,        /* 429 */
  CR_GATEWAY_ERROR_MODEL_UNAVAILABLE,   /* 503 model_not_found: no channel serves it */
  CR_GATEWAY_ERROR_SERVER,              /* other 5xx */
  CR_GATEWAY_ERROR_HTTP,                /* any other unexpected status */
  CR_GATEWAY_ERROR_TLS,                 /* certificate not trusted, wrong name, expired … */
  CR_GATEWAY_ERROR_DNS,                 /* host name does not resolve */
  CR_GATEWAY_ERROR_CONNECTION_REFUSED,
  CR_GATEWAY_ERROR_NETWORK,             /* other transport failure */
  CR_GATEWAY_ERROR_TIMEOUT,
  CR_GATEWAY_ERROR_MALFORMED,           /* not JSON, truncated, or the wrong shape */
  CR_GATEWAY_ERROR_TOO_LARGE,           /* answer over the size cap */
  CR_GATEWAY_ERROR_INSECURE_REDIRECT,   /* redirect to http:// or another host: not followed */
} CrGatewayError;

/* Cancellation is not one of ours: every call reports it as GIO does,
 * G_IO_ERROR_CANCELLED, so callers test one thing. */

GQuark       cr_gateway_error_quark          (void);

/* Translated, never NULL for a CR_GATEWAY_ERROR. */
const char  *cr_gateway_error_get_cause      (const GError *error);
const char  *cr_gateway_error_get_fix        (const GError *error);
const char  *cr_gateway_error_code_cause     (CrGatewayError code);
const char  *cr_gateway_error_code_fix       (CrGatewayError code);

/* One voice for every surface (checklist, pages, command line): a short
 * headline, the likely cause and the fix (each one translated sentence,
 * never NULL for a CR_GATEWAY_ERROR; any other error gets the network's
 * words), and what the server answered as one sentence ("The gateway
 * answered 401: “Invalid token”"), or NULL when it answered nothing useful.
 * A Retry-After is in the fix. */
const char  *cr_gateway_error_get_headline   (const GError *error);
char        *cr_gateway_error_describe_answer (const GError *error);

/* The server's own words ({"error":{"message"}}), length-capped and stripped
 * of control characters; NULL when it said nothing useful. */
const char  *cr_gateway_error_get_server_message (const GError *error);
/* HTTP status, 0 when the request never got an answer. */
guint        cr_gateway_error_get_status     (const GError *error);
/* Seconds from a 429's Retry-After, 0 when absent. */
guint        cr_gateway_error_get_retry_after (const GError *error);

/* Builds an error; @server_message is cleaned here. The GError's message is a
 * translated one-line summary that names the status and includes the cleaned
 * server message, never the key. */
GError      *cr_gateway_error_new            (CrGatewayError  code,
                                              guint           status,
                                              const char     *server_message,
                                              guint           retry_after);

/* TRUE for an HTML answer ("text/html; charset=utf-8" too): the web app's
 * page, never the API's. */
gboolean     cr_gateway_content_is_html      (const char     *content_type);

/* Maps a finished HTTP exchange that did not succeed to an error, given
 * what its error envelope said (cr_parse_error_envelope(): @message and
 * @code, each NULL when absent). @content_type is the answer's
 * Content-Type; an HTML answer has no envelope, so both are ignored then.
 * To map a raw body, see cr_gateway_error_from_http() in cr-gateway-parse.h. */
GError      *cr_gateway_error_from_answer    (guint           status,
                                              const char     *content_type,
                                              const char     *message,
                                              const char     *code,
                                              const char     *retry_after_header);

/* Maps a transport GError (GIOError, GResolverError, GTlsError) to ours. */
GError      *cr_gateway_error_from_transport (const GError   *error);

/* Like cr_gateway_error_new(), with @detail (e.g. the system's words for a
 * transport failure, or what was wrong with an answer) added to the message
 * when there is no server message. @detail is cleaned here too. */
GError      *cr_gateway_error_new_detail     (CrGatewayError  code,
                                              guint           status,
                                              const char     *server_message,
                                              guint           retry_after,
                                              const char     *detail);

/* The cap cr_gateway_error_new() puts on the server's message. */
#define CR_GATEWAY_MESSAGE_MAX_CHARS 300

G_END_DECLS
