/* cr-gateway-parse.h: the gateway's JSON answers, parsed into plain structs
 *
 * Pure functions over bytes, so the unit tests and the fuzzers can drive
 * them without a network. Every failure is CR_GATEWAY_ERROR_MALFORMED.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char   *id;
  char   *owned_by;        /* may be NULL */
} CrModel;

typedef struct {
  char   *reply;           /* choices[0].message.content, may be "" */
  char   *model;           /* the model the gateway says answered, may be NULL */
  gint64  prompt_tokens;   /* -1 when usage is missing */
  gint64  completion_tokens;
  gint64  total_tokens;
  gint64  latency_ms;      /* filled by the client, not the parser */
} CrChatResult;

typedef struct {
  char     *name;
  gint64    total_granted;
  gint64    total_used;
  gint64    total_available;
  gboolean  unlimited_quota;
  gboolean  model_limits_enabled;
  GStrv     model_limits;   /* the allowlist, sorted; empty when none */
  gint64    expires_at;     /* Unix seconds, 0 = never */
} CrTokenUsage;

/* new-api's log types: what a request through the token left. */
#define CR_LOG_TYPE_CONSUME 2
#define CR_LOG_TYPE_ERROR   5

/* One line of the token's logs. The id is renumbered on every read: never
 * track an entry by it. */
typedef struct {
  gint64    id;
  gint64    created_at;       /* Unix seconds */
  gint64    type;             /* CR_LOG_TYPE_CONSUME, _ERROR, or another; 0 = not said */
  char     *content;          /* an error entry's message; may be NULL */
  char     *token_name;
  char     *model_name;
  gint64    prompt_tokens;
  gint64    completion_tokens;
  gint64    quota;            /* quota units */
  gint64    use_time;         /* seconds */
  gboolean  is_stream;
} CrLogEntry;

void          cr_model_free         (CrModel      *model);
void          cr_chat_result_free   (CrChatResult *result);
void          cr_token_usage_free   (CrTokenUsage *usage);
void          cr_log_entry_free     (CrLogEntry   *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrModel, cr_model_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrChatResult, cr_chat_result_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrTokenUsage, cr_token_usage_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrLogEntry, cr_log_entry_free)

/* Is @id among @models (CrModel*, as cr_parse_models() gives them; NULL
 * for none): may the token use it? */
gboolean      cr_model_list_contains (GPtrArray *models,
                                      const char *id);
/* Array of CrModel*, sorted by id, with a free func. */
GPtrArray    *cr_parse_models       (GBytes  *body, GError **error);
CrChatResult *cr_parse_chat         (GBytes  *body, GError **error);
/* An SSE stream ("data: {…}" lines, "data: [DONE]"): the chunks' deltas joined. */
CrChatResult *cr_parse_chat_stream  (GBytes  *body, GError **error);
CrTokenUsage *cr_parse_token_usage  (GBytes  *body, GError **error);
/* Array of CrLogEntry*, newest first, with a free func. */
GPtrArray    *cr_parse_token_logs   (GBytes  *body, GError **error);
/* GET /api/status: data.quota_per_unit (quota units per US dollar), 0 when
 * the gateway does not say. */
gint64        cr_parse_quota_per_unit (GBytes *body, GError **error);
/* {"error":{"message","type","code"}}: the message and code, or FALSE. */
gboolean      cr_parse_error_envelope (GBytes *body,
                                       char  **message,
                                       char  **code);

/* Maps a finished HTTP exchange that did not succeed to an error: its
 * envelope parsed here, then mapped by cr_gateway_error_from_answer().
 * @body may be NULL. @content_type is the answer's Content-Type. */
GError       *cr_gateway_error_from_http (guint       status,
                                          const char *content_type,
                                          GBytes     *body,
                                          const char *retry_after_header);

G_END_DECLS
