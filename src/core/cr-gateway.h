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
#include "cr-preflight.h"

G_BEGIN_DECLS

#define CR_GATEWAY_DEFAULT_TIMEOUT   20        /* seconds */
#define CR_GATEWAY_DEFAULT_MAX_BODY  (1 << 20) /* bytes */


typedef enum {
  CR_SENT_OUT,        /* no answer yet */
  CR_SENT_ANSWERED,   /* answered: its log entry is a consume entry */
  CR_SENT_FAILED,     /* refused or lost: its entry, if any, is an error entry */
} CrSentOutcome;

/* A chat request this client sent with the key. Times are Unix seconds. */
typedef struct {
  gint64         sent_at;
  gint64         settled_at;   /* 0 while it is out */
  char          *model;
  gboolean       streamed;
  CrSentOutcome  outcome;
} CrSentRequest;

void          cr_sent_request_free            (CrSentRequest *request);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrSentRequest, cr_sent_request_free)

#define CR_TYPE_GATEWAY (cr_gateway_get_type ())
G_DECLARE_FINAL_TYPE (CrGateway, cr_gateway, CR, GATEWAY, GObject)

/* @base_url is used as given (no repair: that is the checklist's job).
 * @key is copied and wiped when the gateway is finalized. */
CrGateway    *cr_gateway_new                  (const char     *base_url,
                                               const char     *key);
const char   *cr_gateway_get_base_url         (CrGateway      *self);
void          cr_gateway_set_timeout          (CrGateway      *self,
                                               guint           seconds);
/* "en", "zh-CN" …: sent as Accept-Language instead of what libsoup
 * takes from the person's languages (NULL: back to that). */
void          cr_gateway_set_language         (CrGateway      *self,
                                               const char     *language);
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

/* The same question in Cursor 3.x's shape: a Responses-API body (input,
 * reasoning, text, include, store; no messages), not streamed, with a few
 * output tokens, to {base}/chat/completions. A gateway that does not take
 * it answers 400 "field messages is required" (CR_GATEWAY_ERROR_HTTP). */
void          cr_gateway_cursor_shape_async   (CrGateway           *self,
                                               const char          *model,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
CrChatResult *cr_gateway_cursor_shape_finish  (CrGateway           *self,
                                               GAsyncResult        *result,
                                               GError             **error);

/* The last lines of this client's trace (requests, headers, status and
 * time; Authorization and the key hidden), oldest first, for a diagnostic
 * report. The same lines are debug messages (G_MESSAGES_DEBUG). */
GStrv         cr_gateway_get_trace            (CrGateway           *self);

/* Every chat request sent so far (CrSentRequest*, oldest first): the log
 * entries they leave are ours, not Cursor's. Transfer none. */
GPtrArray    *cr_gateway_get_sent_requests    (CrGateway           *self);

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

/* GET {root}/api/status, without the key → quota units per US dollar
 * (0 when the gateway does not say; -1 with @error set on failure). */
void          cr_gateway_quota_per_unit_async (CrGateway           *self,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gint64        cr_gateway_quota_per_unit_finish (CrGateway          *self,
                                               GAsyncResult        *result,
                                               GError             **error);

G_END_DECLS
