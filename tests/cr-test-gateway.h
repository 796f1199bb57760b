/* cr-test-gateway.h: a loopback Crazyrouter for the tests and the local demo
 *
 * A SoupServer on 127.0.0.1 (random port) that answers like the real gateway
 * (../shared/reference/gateway-behaviour.md): allowlist-filtered models,
 * the 401/403/404 error envelopes, the 200 text/html index page for paths
 * outside /v1 and /api, chat (plain and SSE), token usage and token logs.
 * Faults are injected per gateway with cr_test_gateway_set_mode().
 *
 * Like new-api, it refuses a /chat/completions body without "messages"
 * (Cursor 3.x's Responses-API body) with 400 "field messages is required"
 * and logs that error; it answers GET /api/status with quota_per_unit
 * 500000; and it keeps the "critical" rate limit: /api/usage/token/,
 * /api/log/token and /api/token/{id}/key together allow 20 requests in 20
 * minutes, then answer 429 with an empty body (no Retry-After).
 *
 * CORS is stock new-api's (gin-contrib/cors with all origins, credentials
 * and headers "*"): an OPTIONS request on any path is a preflight, answered
 * 204 before auth and routing with Access-Control-Allow-Origin: *,
 * -Allow-Credentials: true, -Allow-Methods: GET,POST,PUT,DELETE,OPTIONS,
 * -Allow-Headers: * and -Max-Age: 43200; answers to requests with an Origin
 * (401s too) carry Allow-Origin: * and Allow-Credentials: true.
 * CR_TEST_MODE_NO_CORS turns that off; CR_TEST_MODE_CORS_LIST names the
 * allowed headers instead of "*".
 *
 * It runs on the thread-default main context of the caller: drive clients
 * with async calls and iterate the context (a sync client on the same
 * thread would deadlock).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Demo tokens: obviously fake, never real keys. */
#define CR_TEST_TOKEN_GOOD       "sk-demo-cursor-good"       /* allowlist gpt-5.4, claude-sonnet-4-6; quota cap */
#define CR_TEST_TOKEN_NARROW     "sk-demo-cursor-narrow"     /* allowlist claude-sonnet-4-6 only: gpt-5.4 → 403 */
#define CR_TEST_TOKEN_WIDE       "sk-demo-shared-wide"       /* no allowlist, unlimited quota: warnings */
#define CR_TEST_TOKEN_EXHAUSTED  "sk-demo-cursor-exhausted"  /* quota used up: 401 on /v1, usage still readable */
#define CR_TEST_TOKEN_IP_LOCKED  "sk-demo-office-only"       /* IP restriction that loopback fails: 403 access_denied */

/* Every test gateway in this process then also accepts @key (another
 * obviously fake sk-demo-… key, e.g. one made unique for a test) as
 * @demo_token, one of the tokens above. */
void           cr_test_gateway_add_token_alias (const char    *key,
                                                const char    *demo_token);

typedef enum {
  CR_TEST_MODE_NORMAL,
  CR_TEST_MODE_HANG,            /* accept, then never answer */
  CR_TEST_MODE_SLOW_HEADERS,    /* headers trickle, never complete (slowloris) */
  CR_TEST_MODE_GARBAGE,         /* 200 application/json that is not JSON */
  CR_TEST_MODE_WRONG_SHAPE,     /* valid JSON, wrong types ("data" an object, strings for numbers) */
  CR_TEST_MODE_TRUNCATED,       /* JSON cut off in the middle */
  CR_TEST_MODE_HUGE,            /* a 10 MB body */
  CR_TEST_MODE_ENDLESS,         /* a chunked body that never ends */
  CR_TEST_MODE_SERVER_ERROR,    /* 500 with an error envelope */
  CR_TEST_MODE_BAD_GATEWAY_HTML,/* 502 with an HTML page */
  CR_TEST_MODE_RATE_LIMITED,    /* 429 with Retry-After: 7 */
  CR_TEST_MODE_NO_LOGS,         /* /api/log/token answers 404 (deployment without logs) */
  CR_TEST_MODE_MODEL_UNAVAILABLE, /* chat answers 503 model_not_found */
  CR_TEST_MODE_REDIRECT_HTTP,   /* 302 to http:// on another port */
  CR_TEST_MODE_REDIRECT_HOST,   /* 302 to another host (localhost vs 127.0.0.1) */
  CR_TEST_MODE_HOSTILE_MESSAGE, /* 400 whose message has control chars, markup, RTL marks, 1 MB */
  CR_TEST_MODE_REDIRECT_SAME_ORIGIN, /* 307 to /moved/… on the same origin: may be followed */
  CR_TEST_MODE_NO_CORS,         /* no CORS at all: a preflight (OPTIONS) gets the JSON 404 */
  CR_TEST_MODE_CORS_LIST,       /* preflights name the headers: "Content-Type", no Authorization */
  CR_TEST_MODE_RESPONSES_BODY_OK, /* accepts Cursor 3.x's Responses-API body on /chat/completions */
} CrTestMode;

/* "normal", "hang", "slow-headers", … ("redirect-same-origin"): for the demo's --mode. */
const char    *cr_test_mode_to_string         (CrTestMode      mode);
gboolean       cr_test_mode_from_string       (const char     *name,
                                               CrTestMode     *mode);

typedef enum {
  CR_TEST_TLS_NONE,             /* plain http:// */
  CR_TEST_TLS_VALID,            /* a certificate for 127.0.0.1 */
  CR_TEST_TLS_WRONG_NAME,       /* a certificate for wrong.example (trusted, wrong host) */
  CR_TEST_TLS_EXPIRED,          /* a certificate for 127.0.0.1 that expired in 2020 */
} CrTestTls;

#define CR_TYPE_TEST_GATEWAY (cr_test_gateway_get_type ())
G_DECLARE_FINAL_TYPE (CrTestGateway, cr_test_gateway, CR, TEST_GATEWAY, GObject)

/* Listens on 127.0.0.1, port 0 = any free one. With @tls, a throwaway
 * certificate for 127.0.0.1 is made with openssl in a temporary folder. */
CrTestGateway *cr_test_gateway_new            (gboolean        tls,
                                               guint           port,
                                               GError        **error);
/* Like cr_test_gateway_new(), with a choice of (bad) certificates. Every
 * one of them is in the gateway's own trusted database, so only its name or
 * its dates can make a client refuse it. */
CrTestGateway *cr_test_gateway_new_full       (CrTestTls       tls,
                                               guint           port,
                                               GError        **error);
/* The certificate's PEM file, NULL without TLS. */
const char    *cr_test_gateway_get_certificate_path (CrTestGateway *self);

/* "http://127.0.0.1:PORT/v1" (or https) */
const char    *cr_test_gateway_get_base_url   (CrTestGateway  *self);
/* "http://127.0.0.1:PORT" */
const char    *cr_test_gateway_get_root_url   (CrTestGateway  *self);
/* For the TLS variant: a database that trusts the throwaway certificate. */
GTlsDatabase  *cr_test_gateway_get_tls_database (CrTestGateway *self);

void           cr_test_gateway_set_mode       (CrTestGateway  *self,
                                               CrTestMode      mode);
/* What the CORS answers say: @allow_origin instead of "*" in every
 * Allow-Origin, and @allow_headers instead of "Content-Type" in
 * CR_TEST_MODE_CORS_LIST's preflights. NULL restores the default. */
void           cr_test_gateway_set_cors       (CrTestGateway  *self,
                                               const char     *allow_origin,
                                               const char     *allow_headers);
/* Delay before every answer, to show what runs concurrently. */
void           cr_test_gateway_set_latency    (CrTestGateway  *self,
                                               guint           milliseconds);

/* What Cursor's own request leaves in @key's logs, @delay_ms from now. */
typedef enum {
  CR_TEST_LOG_CURSOR_CHAT,        /* type 2: a streamed chat with a long prompt */
  CR_TEST_LOG_CURSOR_SHAPE_ERROR, /* type 5: "field messages is required" (Cursor 3.x's body) */
  CR_TEST_LOG_CURSOR_ERROR,       /* type 5: "This token has no access to model …" */
} CrTestLogKind;

void           cr_test_gateway_add_log_later  (CrTestGateway  *self,
                                               const char     *key,
                                               guint           delay_ms,
                                               CrTestLogKind   kind,
                                               const char     *model);
/* The critical limit: @max_requests in 20 minutes (0: none; 20 by
 * default), past it 429 with an empty body, or with newer new-api's
 * message when @with_message. */
void           cr_test_gateway_set_critical_limit (CrTestGateway *self,
                                               guint           max_requests,
                                               gboolean        with_message);
/* Requests to /chat/completions with Cursor 3.x's Responses-API body
 * (count_path() counts them too). */
guint          cr_test_gateway_count_responses_bodies (CrTestGateway *self);
/* Requests that counted against the critical limit, refused ones too. */
guint          cr_test_gateway_get_critical_count (CrTestGateway *self);

/* Requests seen so far (all paths), and the most that were in flight at once. */
guint          cr_test_gateway_get_request_count (CrTestGateway *self);
guint          cr_test_gateway_get_max_in_flight (CrTestGateway *self);
/* How many requests reached @path ("/v1/models", "/api/usage/token/" …),
 * not counting CORS preflights (OPTIONS). */
guint          cr_test_gateway_count_path     (CrTestGateway  *self,
                                               const char     *path);
/* How many CORS preflights (OPTIONS) reached @path. */
guint          cr_test_gateway_count_preflights (CrTestGateway *self,
                                               const char     *path);
/* A header of the most recent request, NULL if absent. */
const char    *cr_test_gateway_get_last_header (CrTestGateway *self,
                                               const char     *name);
/* The most recent non-empty request body (chat), NULL if none yet. */
GBytes        *cr_test_gateway_get_last_body  (CrTestGateway  *self);

/* The REDIRECT_HTTP and REDIRECT_HOST targets (another port, or the host
 * "localhost") answer like a normal gateway and record what reached them:
 * how many requests, and whether any carried an Authorization header. */
guint          cr_test_gateway_get_redirect_target_count (CrTestGateway *self);
gboolean       cr_test_gateway_get_redirect_target_saw_auth (CrTestGateway *self);

G_END_DECLS
