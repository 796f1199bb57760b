/* cr-gateway.h: the gateway client
 *
 * Every call is async (GTask + GCancellable), has its own deadline and a cap
 * on the answer's size. TLS errors are never bypassed; a redirect is followed
 * only to the same https origin, so the Authorization header never travels to
 * another host or in clear text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cr-gateway-error.h"
#include "cr-gateway-parse.h"

G_BEGIN_DECLS

#define CR_GATEWAY_DEFAULT_TIMEOUT   20        /* seconds */
#define CR_GATEWAY_DEFAULT_MAX_BODY  (1 << 20) /* bytes */

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

#define CR_TYPE_GATEWAY (cr_gateway_get_type ())
G_DECLARE_FINAL_TYPE (CrGateway, cr_gateway, CR, GATEWAY, GObject)

/* @base_url is used as given (no repair: that is the checklist's job).
 * @key is copied and wiped when the gateway is finalized. */
CrGateway    *cr_gateway_new                  (const char     *base_url,
                                               const char     *key);
const char   *cr_gateway_get_base_url         (CrGateway      *self);
void          cr_gateway_set_timeout          (CrGateway      *self,
                                               guint           seconds);
void          cr_gateway_set_max_body         (CrGateway      *self,
                                               gsize           max_bytes);
/* "en", "zh-CN" …: sent as Accept-Language. Default: from the locale. */
void          cr_gateway_set_language         (CrGateway      *self,
                                               const char     *language);
/* "zh_CN.UTF-8" -> "zh-CN", "C" or "POSIX" -> "en": the Accept-Language
 * value for a locale name as g_get_language_names() gives it. */
char         *cr_gateway_language_from_locale (const char    *locale);
/* Tests use this to trust their own throwaway CA; the default is the system's. */
void          cr_gateway_set_tls_database     (CrGateway      *self,
                                               GTlsDatabase   *database);

/* GET {base}/models → GPtrArray of CrModel* */
void          cr_gateway_list_models_async    (CrGateway           *self,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
GPtrArray    *cr_gateway_list_models_finish   (CrGateway           *self,
                                               GAsyncResult        *result,
                                               GError             **error);

/* POST {base}/chat/completions: one short message, a tiny max_tokens. */
void          cr_gateway_chat_async           (CrGateway           *self,
                                               const char          *model,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
CrChatResult *cr_gateway_chat_finish          (CrGateway           *self,
                                               GAsyncResult        *result,
                                               GError             **error);

/* OPTIONS {base}@path ("/chat/completions") with Origin,
 * Access-Control-Request-Method and Access-Control-Request-Headers, as a
 * browser sends it: without the Authorization header, and without following
 * redirects. Any HTTP answer is a CrPreflight (judge it with
 * cr_preflight_judge()); only transport problems are errors. */
void          cr_gateway_preflight_async      (CrGateway           *self,
                                               const char          *path,
                                               const char          *origin,
                                               const char          *method,
                                               const char          *request_headers,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
CrPreflight  *cr_gateway_preflight_finish     (CrGateway           *self,
                                               GAsyncResult        *result,
                                               GError             **error);

/* GET {root}/api/usage/token/ */
void          cr_gateway_token_usage_async    (CrGateway           *self,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
CrTokenUsage *cr_gateway_token_usage_finish   (CrGateway           *self,
                                               GAsyncResult        *result,
                                               GError             **error);

/* GET {root}/api/log/token → GPtrArray of CrLogEntry*, newest first */
void          cr_gateway_token_logs_async     (CrGateway           *self,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
GPtrArray    *cr_gateway_token_logs_finish    (CrGateway           *self,
                                               GAsyncResult        *result,
                                               GError             **error);

G_END_DECLS
