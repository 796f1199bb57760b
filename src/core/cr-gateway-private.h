/* cr-gateway-private.h: what the files of CrGateway share
 *
 * cr-gateway.c is the transport (session, deadline, size cap, redirects,
 * errors); cr-gateway-calls.c builds each call on it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "cr-gateway.h"

G_BEGIN_DECLS

#define CR_GATEWAY_TRACE_LINES 400

struct _CrGateway
{
  GObject       parent_instance;

  SoupSession  *session;
  char         *base_url;
  char         *key;
  char         *authorization;
  char         *language;
  guint         timeout_ms;
  gsize         max_body;
  GPtrArray    *sent;          /* CrSentRequest*: every chat request sent */
  GQueue        trace;         /* char*: the last lines of the trace, key hidden */
};


typedef enum {
  REQUEST_MODELS,
  REQUEST_CHAT,
  REQUEST_SHAPE,      /* Cursor's Responses-API body on /chat/completions */
  REQUEST_USAGE,
  REQUEST_LOGS,
  REQUEST_STATUS,     /* public: sent without the key */
  REQUEST_PREFLIGHT,
} RequestKind;

typedef struct {
  RequestKind   kind;
  const char   *method;
  GUri         *origin;
  GUri         *uri;
  GBytes       *request_body;
  SoupMessage  *message;
  GInputStream *stream;
  GByteArray   *body;
  gboolean      over_limit;
  GCancellable *cancellable;     /* ours: cancelled by the deadline or the caller */
  GCancellable *caller;
  gulong        caller_handler;
  GSource      *deadline;
  gboolean      timed_out;
  guint         redirects;
  gint64        started;
  /* REQUEST_PREFLIGHT: what the browser would ask for */
  char         *cors_origin;
  char         *cors_method;
  char         *cors_headers;
  /* REQUEST_CHAT, REQUEST_SHAPE: the gateway's record of it (not owned) */
  CrSentRequest *sent;
} Request;

/* Starts @method @url (owned) with @request_body (owned, may be NULL); @req
 * (owned, may be NULL) carries what the kind needs besides. Completes with
 * what the kind's parser returns, or a CR_GATEWAY_ERROR. */
void      _cr_gateway_start_request  (CrGateway           *self,
                                      RequestKind          kind,
                                      const char          *method,
                                      char                *url,
                                      GBytes              *request_body,
                                      Request             *req,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data,
                                      gpointer             source_tag);
gpointer  _cr_gateway_finish_pointer (CrGateway           *self,
                                      GAsyncResult        *result,
                                      gpointer             source_tag,
                                      GError             **error);
/* Records a chat request about to be sent with the key (see
 * cr_gateway_get_sent_requests()). */
void      _cr_gateway_note_sent      (CrGateway           *self,
                                      Request             *req,
                                      const char          *model,
                                      gboolean             streamed);

/* cr-gateway-trace.c: on when this program's debug messages are */
void      _cr_gateway_attach_trace   (CrGateway           *self);
/* "GET https://…/v1/models: 200 in 84 ms" (or what went wrong). */
void      _cr_gateway_trace_done     (CrGateway           *self,
                                      Request             *req,
                                      guint                status,
                                      const char          *problem);

G_END_DECLS
