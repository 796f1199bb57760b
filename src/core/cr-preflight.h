/* cr-preflight.h: a CORS preflight's answer, judged as Chromium does
 *
 * Cursor's Verify runs in Cursor's window (Chromium), which asks the
 * gateway's permission before each of its requests. The gateway client
 * sends the same question (cr_gateway_preflight_async()); this says what
 * Chromium would make of the answer.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What Cursor's Verify (called Save in newer Cursor) sends from its window,
 * a web page with this origin: POST {base}/chat/completions, then GET
 * {base}/models, each with the key in Authorization and no cookies. For
 * each, Chromium first asks the gateway's permission with a CORS preflight
 * (OPTIONS) and sends nothing if it is refused. */
#define CR_CURSOR_ORIGIN                   "vscode-file://vscode-app"
#define CR_CURSOR_PREFLIGHT_PATH           "/chat/completions"
#define CR_CURSOR_PREFLIGHT_METHOD         "POST"
#define CR_CURSOR_PREFLIGHT_HEADERS        "authorization,content-type"
#define CR_CURSOR_MODELS_PREFLIGHT_PATH    "/models"
#define CR_CURSOR_MODELS_PREFLIGHT_METHOD  "GET"
#define CR_CURSOR_MODELS_PREFLIGHT_HEADERS "authorization"

/* The answer to a CORS preflight: header values as sent, NULL when absent.
 * Access-Control-Allow-Credentials is not kept: Verify sends no
 * credentials, so a browser never looks at it. */
typedef struct {
  guint     status;
  char     *allow_origin;       /* Access-Control-Allow-Origin */
  char     *allow_methods;      /* Access-Control-Allow-Methods */
  char     *allow_headers;      /* Access-Control-Allow-Headers */
} CrPreflight;

typedef enum {
  CR_PREFLIGHT_ALLOWED,
  CR_PREFLIGHT_BAD_STATUS,   /* not a 2xx answer (a 404/405: no CORS at all; a redirect) */
  CR_PREFLIGHT_NO_ORIGIN,    /* Access-Control-Allow-Origin missing, or neither "*" nor the origin */
  CR_PREFLIGHT_NO_METHOD,    /* the method is not allowed */
  CR_PREFLIGHT_NO_HEADERS,   /* an explicit Allow-Headers list lacks a requested header */
} CrPreflightVerdict;

void                cr_preflight_free  (CrPreflight       *preflight);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrPreflight, cr_preflight_free)

/* Judges @preflight as Chromium does for a request without credentials
 * from @origin with @method and the comma-separated @request_headers:
 * "*" in Allow-Origin, Allow-Methods or Allow-Headers allows anything
 * (Authorization too: Chromium does not enforce the Fetch standard's
 * exception for it, and neither do Firefox and Safari), and
 * Allow-Credentials does not matter. On NO_HEADERS, *missing (optional)
 * gets the first header that is not allowed. */
CrPreflightVerdict  cr_preflight_judge (const CrPreflight *preflight,
                                        const char        *origin,
                                        const char        *method,
                                        const char        *request_headers,
                                        char             **missing);

G_END_DECLS
