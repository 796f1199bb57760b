/* test-gateway-parse.c: the gateway's JSON answers, good and bad
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "cr-gateway-parse.h"
#include "cr-gateway-error.h"

static GBytes *
bytes (const char *text)
{
  return g_bytes_new (text, strlen (text));
}

/* Answers no parser may accept. */
static const char *hopeless[] = {
  "",
  "not json at all",
  "<!doctype html><html><body>Crazyrouter</body></html>",
  "{\"success\":true,\"data\":[{\"id\":\"gpt-5.4\"",
  "[]",
  "\"a string\"",
  "42",
  "null",
  "{\"data\": tru}",
  "\xff\xfe\x00garbage",
};

typedef gpointer (*ParseFunc) (GBytes *body, GError **error);

static void
assert_hopeless (ParseFunc parse)
{
  for (guint i = 0; i < G_N_ELEMENTS (hopeless); i++)
    {
      g_autoptr(GBytes) body = bytes (hopeless[i]);
      g_autoptr(GError) error = NULL;

      g_assert_null (parse (body, &error));
      g_assert_error (error, CR_GATEWAY_ERROR, CR_GATEWAY_ERROR_MALFORMED);
    }

  /* No body at all, and a nesting bomb. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GString) deep = g_string_new ("{\"data\":");

    g_assert_null (parse (NULL, &error));
    g_assert_error (error, CR_GATEWAY_ERROR, CR_GATEWAY_ERROR_MALFORMED);
    g_clear_error (&error);

    for (guint i = 0; i < 100000; i++)
      g_string_append_c (deep, '[');
    {
      g_autoptr(GBytes) body = g_bytes_new (deep->str, deep->len);

      g_assert_null (parse (body, &error));
      g_assert_error (error, CR_GATEWAY_ERROR, CR_GATEWAY_ERROR_MALFORMED);
    }
  }
}

static gpointer
parse_malformed (ParseFunc   parse,
                 const char *text)
{
  g_autoptr(GBytes) body = bytes (text);
  g_autoptr(GError) error = NULL;
  gpointer result = parse (body, &error);

  g_test_message ("%s", text);
  g_assert_null (result);
  g_assert_error (error, CR_GATEWAY_ERROR, CR_GATEWAY_ERROR_MALFORMED);
  return NULL;
}

/* --- models --- */

static void
test_models_good (void)
{
  g_autoptr(GBytes) body = bytes ("{\"success\":true,\"object\":\"list\",\"data\":["
                                  "{\"id\":\"gpt-5.4\",\"object\":\"model\",\"created\":1,\"owned_by\":\"openai\","
                                  "\"supported_endpoint_types\":[\"openai\"]},"
                                  "{\"id\":\"claude-sonnet-4-6\",\"object\":\"model\",\"owned_by\":\"anthropic\"}]}");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) models = cr_parse_models (body, &error);
  CrModel *model;

  g_assert_no_error (error);
  g_assert_cmpuint (models->len, ==, 2);
  model = g_ptr_array_index (models, 0);
  g_assert_cmpstr (model->id, ==, "claude-sonnet-4-6");
  g_assert_cmpstr (model->owned_by, ==, "anthropic");
  model = g_ptr_array_index (models, 1);
  g_assert_cmpstr (model->id, ==, "gpt-5.4");

  /* What the token may use, asked in one place. */
  g_assert_true (cr_model_list_contains (models, "gpt-5.4"));
  g_assert_false (cr_model_list_contains (models, "gpt-5.4-mini"));
  g_assert_false (cr_model_list_contains (models, NULL));
  g_assert_false (cr_model_list_contains (NULL, "gpt-5.4"));
}

static void
test_models_optional (void)
{
  g_autoptr(GBytes) plain = bytes ("{\"data\":[{\"id\":\"deepseek-chat\"},{\"id\":\"a\",\"owned_by\":null,\"extra\":{}}]}");
  g_autoptr(GBytes) empty = bytes ("{\"object\":\"list\",\"data\":[]}");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) models = cr_parse_models (plain, &error);
  g_autoptr(GPtrArray) none = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (models->len, ==, 2);
  g_assert_cmpstr (((CrModel *) g_ptr_array_index (models, 0))->id, ==, "a");
  g_assert_null (((CrModel *) g_ptr_array_index (models, 0))->owned_by);

  none = cr_parse_models (empty, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (none->len, ==, 0);
}

static void
test_models_wrong_types (void)
{
  ParseFunc parse = (ParseFunc) cr_parse_models;

  parse_malformed (parse, "{\"success\":true,\"object\":\"list\",\"data\":{\"id\":\"gpt-5.4\"}}");
  parse_malformed (parse, "{\"data\":\"gpt-5.4\"}");
  parse_malformed (parse, "{\"data\":[{\"id\":42}]}");
  parse_malformed (parse, "{\"data\":[{\"id\":\"\"}]}");
  parse_malformed (parse, "{\"data\":[{\"owned_by\":\"openai\"}]}");
  parse_malformed (parse, "{\"data\":[\"gpt-5.4\"]}");
  parse_malformed (parse, "{\"data\":[{\"id\":\"a\",\"owned_by\":7}]}");
  parse_malformed (parse, "{\"object\":\"list\"}");
  assert_hopeless (parse);
}

static void
test_models_failure_message (void)
{
  g_autoptr(GBytes) body = bytes ("{\"success\":false,\"message\":\"无效的令牌\"}");
  g_autoptr(GError) error = NULL;

  g_assert_null (cr_parse_models (body, &error));
  g_assert_error (error, CR_GATEWAY_ERROR, CR_GATEWAY_ERROR_MALFORMED);
  g_assert_cmpstr (cr_gateway_error_get_server_message (error), ==, "无效的令牌");
}

/* --- chat --- */

static void
test_chat_good (void)
{
  g_autoptr(GBytes) body = bytes ("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,"
                                  "\"model\":\"gpt-5.4\",\"choices\":[{\"index\":0,\"message\":"
                                  "{\"role\":\"assistant\",\"content\":\"ok\"},\"finish_reason\":\"stop\"}],"
                                  "\"usage\":{\"prompt_tokens\":14,\"completion_tokens\":1,\"total_tokens\":15,"
                                  "\"prompt_tokens_details\":{\"cached_tokens\":0}}}");
  g_autoptr(GError) error = NULL;
  g_autoptr(CrChatResult) result = cr_parse_chat (body, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (result->reply, ==, "ok");
  g_assert_cmpstr (result->model, ==, "gpt-5.4");
  g_assert_cmpint (result->prompt_tokens, ==, 14);
  g_assert_cmpint (result->completion_tokens, ==, 1);
  g_assert_cmpint (result->total_tokens, ==, 15);
  g_assert_cmpint (result->latency_ms, ==, 0);
}

static void
test_chat_optional (void)
{
  g_autoptr(GBytes) no_usage = bytes ("{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":null}}]}");
  g_autoptr(GBytes) no_total = bytes ("{\"choices\":[{\"message\":{\"content\":\"hi\"}}],"
                                      "\"usage\":{\"prompt_tokens\":3.0,\"completion_tokens\":2}}");
  g_autoptr(GError) error = NULL;
  g_autoptr(CrChatResult) a = cr_parse_chat (no_usage, &error);
  g_autoptr(CrChatResult) b = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (a->reply, ==, "");
  g_assert_null (a->model);
  g_assert_cmpint (a->prompt_tokens, ==, -1);
  g_assert_cmpint (a->completion_tokens, ==, -1);
  g_assert_cmpint (a->total_tokens, ==, -1);

  b = cr_parse_chat (no_total, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (b->reply, ==, "hi");
  g_assert_cmpint (b->prompt_tokens, ==, 3);
  g_assert_cmpint (b->total_tokens, ==, 5);
}

static void
test_chat_wrong_types (void)
{
  ParseFunc parse = (ParseFunc) cr_parse_chat;

  parse_malformed (parse, "{\"choices\":[{\"message\":{\"content\":42}}]}");
  parse_malformed (parse, "{\"choices\":[{\"message\":{\"content\":\"ok\"}}],\"usage\":{\"prompt_tokens\":\"12\"}}");
  parse_malformed (parse, "{\"choices\":[{\"message\":{\"content\":\"ok\"}}],\"usage\":{\"total_tokens\":1e300}}");
  parse_malformed (parse, "{\"choices\":[{\"message\":{\"content\":\"ok\"}}],\"usage\":\"lots\"}");
  parse_malformed (parse, "{\"choices\":[{\"message\":{\"content\":\"ok\"}}],\"model\":5}");
  parse_malformed (parse, "{\"choices\":[]}");
  parse_malformed (parse, "{\"choices\":{\"message\":{\"content\":\"ok\"}}}");
  parse_malformed (parse, "{\"choices\":[\"ok\"]}");
  parse_malformed (parse, "{\"choices\":[{\"text\":\"ok\"}]}");
  parse_malformed (parse, "{\"id\":\"chatcmpl-1\"}");
  assert_hopeless (parse);
}

static void
test_chat_error_in_success (void)
{
  g_autoptr(GBytes) body = bytes ("{\"error\":{\"message\":\"upstream said no\",\"type\":\"upstream_error\"}}");
  g_autoptr(GError) error = NULL;

  g_assert_null (cr_parse_chat (body, &error));
  g_assert_error (error, CR_GATEWAY_ERROR, CR_GATEWAY_ERROR_MALFORMED);
  g_assert_cmpstr (cr_gateway_error_get_server_message (error), ==, "upstream said no");
}

/* --- the SSE stream --- */

#define CHUNK(content) \
  "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-5.4\"," \
  "\"choices\":[{\"index\":0,\"delta\":{\"content\":" content "},\"finish_reason\":null}]}\n\n"
#define USAGE_CHUNK \
  "data: {\"id\":\"c\",\"model\":\"gpt-5.4\",\"choices\":[]," \
  "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2,\"total_tokens\":11}}\n\n"

static void
test_stream_good (void)
{
  g_autoptr(GBytes) body = bytes (": keep-alive comment\n\n"
                                  "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n"
                                  CHUNK ("\"o\"") CHUNK ("\"k\"") CHUNK ("null")
                                  "data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
                                  USAGE_CHUNK
                                  "data: [DONE]\n\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(CrChatResult) result = cr_parse_chat_stream (body, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (result->reply, ==, "ok");
  g_assert_cmpstr (result->model, ==, "gpt-5.4");
  g_assert_cmpint (result->prompt_tokens, ==, 9);
  g_assert_cmpint (result->completion_tokens, ==, 2);
  g_assert_cmpint (result->total_tokens, ==, 11);
}

static void
test_stream_variants (void)
{
  /* CRLF, no space after the colon, event/id fields, nothing after [DONE] read. */
  g_autoptr(GBytes) body = bytes ("event: message\r\nid: 1\r\n"
                                  "data:{\"choices\":[{\"delta\":{\"content\":\"he\"}}]}\r\n\r\n"
                                  "data: {\"choices\":[{\"delta\":{\"content\":\"llo\"}}]}\r\n\r\n"
                                  "data: [DONE]\r\n\r\n"
                                  "data: this is never parsed\n\n");
  /* One event split over two data lines, joined with a newline. */
  g_autoptr(GBytes) split = bytes ("data: {\"choices\":\n"
                                   "data: [{\"delta\":{\"content\":\"x\"}}]}\n\n"
                                   "data: [DONE]");
  g_autoptr(GError) error = NULL;
  g_autoptr(CrChatResult) result = cr_parse_chat_stream (body, &error);
  g_autoptr(CrChatResult) joined = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (result->reply, ==, "hello");
  g_assert_cmpint (result->prompt_tokens, ==, -1);

  joined = cr_parse_chat_stream (split, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (joined->reply, ==, "x");
}

static void
test_stream_bad (void)
{
  ParseFunc parse = (ParseFunc) cr_parse_chat_stream;

  /* Truncated: no [DONE]. */
  parse_malformed (parse, CHUNK ("\"o\"") CHUNK ("\"k\""));
  parse_malformed (parse, CHUNK ("\"o\"") "data: {\"choices\":[{\"delta\":{\"cont");
  parse_malformed (parse, "data: not json\n\ndata: [DONE]\n\n");
  parse_malformed (parse, CHUNK ("7") "data: [DONE]\n\n");
  parse_malformed (parse, "data: {\"choices\":{}}\n\ndata: [DONE]\n\n");
  parse_malformed (parse, "data: {\"choices\":[{\"delta\":\"ok\"}]}\n\ndata: [DONE]\n\n");
  parse_malformed (parse, "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":\"9\"}}\n\ndata: [DONE]\n\n");
  parse_malformed (parse, "{\"choices\":[{\"message\":{\"content\":\"ok\"}}]}");
  parse_malformed (parse, ": only a comment\n\n");
  assert_hopeless (parse);
}

static void
test_stream_error_chunk (void)
{
  g_autoptr(GBytes) body = bytes (CHUNK ("\"o\"")
                                  "data: {\"error\":{\"message\":\"upstream timed out\"}}\n\n"
                                  "data: [DONE]\n\n");
  g_autoptr(GError) error = NULL;

  g_assert_null (cr_parse_chat_stream (body, &error));
  g_assert_error (error, CR_GATEWAY_ERROR, CR_GATEWAY_ERROR_MALFORMED);
  g_assert_cmpstr (cr_gateway_error_get_server_message (error), ==, "upstream timed out");
}

/* --- token usage --- */

static void
test_usage_good (void)
{
  g_autoptr(GBytes) body = bytes ("{\"code\":true,\"message\":\"ok\",\"data\":{\"object\":\"token_usage\","
                                  "\"name\":\"cursor\",\"total_granted\":5000000,\"total_used\":120000,"
                                  "\"total_available\":4880000,\"unlimited_quota\":false,"
                                  "\"model_limits\":{\"gpt-5.4\":true,\"claude-sonnet-4-6\":true,\"gpt-4o\":false},"
                                  "\"model_limits_enabled\":true,\"expires_at\":1893456000}}");
  g_autoptr(GError) error = NULL;
  g_autoptr(CrTokenUsage) usage = cr_parse_token_usage (body, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (usage->name, ==, "cursor");
  g_assert_cmpint (usage->total_granted, ==, 5000000);
  g_assert_cmpint (usage->total_used, ==, 120000);
  g_assert_cmpint (usage->total_available, ==, 4880000);
  g_assert_false (usage->unlimited_quota);
  g_assert_true (usage->model_limits_enabled);
  g_assert_cmpuint (g_strv_length (usage->model_limits), ==, 2);
  g_assert_cmpstr (usage->model_limits[0], ==, "claude-sonnet-4-6");
  g_assert_cmpstr (usage->model_limits[1], ==, "gpt-5.4");
  g_assert_cmpint (usage->expires_at, ==, 1893456000);
}

static void
test_usage_optional (void)
{
  g_autoptr(GBytes) minimal = bytes ("{\"data\":{\"total_granted\":0,\"total_used\":10,\"total_available\":0}}");
  g_autoptr(GBytes) limits_only = bytes ("{\"data\":{\"total_granted\":1,\"total_used\":0,\"total_available\":1,"
                                         "\"model_limits\":{\"gpt-5.4\":true},\"expires_at\":-1,\"name\":null}}");
  g_autoptr(GError) error = NULL;
  g_autoptr(CrTokenUsage) a = cr_parse_token_usage (minimal, &error);
  g_autoptr(CrTokenUsage) b = NULL;

  g_assert_no_error (error);
  g_assert_null (a->name);
  g_assert_false (a->unlimited_quota);
  g_assert_false (a->model_limits_enabled);
  g_assert_nonnull (a->model_limits);
  g_assert_cmpuint (g_strv_length (a->model_limits), ==, 0);
  g_assert_cmpint (a->expires_at, ==, 0);

  b = cr_parse_token_usage (limits_only, &error);
  g_assert_no_error (error);
  /* An allowlist with no "enabled" flag is an allowlist. */
  g_assert_true (b->model_limits_enabled);
  g_assert_cmpint (b->expires_at, ==, 0);
}

static void
test_usage_wrong_types (void)
{
  ParseFunc parse = (ParseFunc) cr_parse_token_usage;

  parse_malformed (parse, "{\"data\":{\"total_granted\":\"5000000\",\"total_used\":0,\"total_available\":0}}");
  parse_malformed (parse, "{\"data\":{\"total_granted\":1,\"total_used\":0,\"total_available\":true}}");
  parse_malformed (parse, "{\"data\":{\"total_granted\":1,\"total_used\":0}}");
  parse_malformed (parse, "{\"data\":{\"total_granted\":1,\"total_used\":0,\"total_available\":1,\"unlimited_quota\":\"false\"}}");
  parse_malformed (parse, "{\"data\":{\"total_granted\":1,\"total_used\":0,\"total_available\":1,\"model_limits\":[\"gpt-5.4\"]}}");
  parse_malformed (parse, "{\"data\":{\"total_granted\":1,\"total_used\":0,\"total_available\":1,\"model_limits\":{\"gpt-5.4\":1}}}");
  parse_malformed (parse, "{\"data\":{\"total_granted\":1,\"total_used\":0,\"total_available\":1,\"name\":[]}}");
  parse_malformed (parse, "{\"data\":[]}");
  parse_malformed (parse, "{\"code\":true}");
  assert_hopeless (parse);
}

static void
test_usage_failure (void)
{
  g_autoptr(GBytes) body = bytes ("{\"code\":false,\"message\":\"token not found\",\"data\":null}");
  g_autoptr(GError) error = NULL;

  g_assert_null (cr_parse_token_usage (body, &error));
  g_assert_error (error, CR_GATEWAY_ERROR, CR_GATEWAY_ERROR_MALFORMED);
  g_assert_cmpstr (cr_gateway_error_get_server_message (error), ==, "token not found");
}

/* --- token logs --- */

static void
test_logs_good (void)
{
  g_autoptr(GBytes) body = bytes ("{\"success\":true,\"message\":\"\",\"data\":["
                                  "{\"id\":1,\"created_at\":1700000000,\"type\":2,\"token_name\":\"cursor\","
                                  "\"model_name\":\"claude-sonnet-4-6\",\"quota\":150,\"prompt_tokens\":9,"
                                  "\"completion_tokens\":1,\"use_time\":1,\"is_stream\":false},"
                                  "{\"id\":2,\"created_at\":1700000100,\"token_name\":\"cursor\","
                                  "\"model_name\":\"gpt-5.4\",\"quota\":300,\"prompt_tokens\":19,\"completion_tokens\":1},"
                                  "{\"id\":3,\"created_at\":1700000100,\"model_name\":\"gpt-5.4\"}]}");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) logs = cr_parse_token_logs (body, &error);
  CrLogEntry *entry;

  g_assert_no_error (error);
  g_assert_cmpuint (logs->len, ==, 3);
  /* Newest first; the same second ordered by id. */
  g_assert_cmpint (((CrLogEntry *) g_ptr_array_index (logs, 0))->id, ==, 3);
  entry = g_ptr_array_index (logs, 1);
  g_assert_cmpint (entry->id, ==, 2);
  g_assert_cmpint (entry->created_at, ==, 1700000100);
  g_assert_cmpstr (entry->token_name, ==, "cursor");
  g_assert_cmpstr (entry->model_name, ==, "gpt-5.4");
  g_assert_cmpint (entry->quota, ==, 300);
  g_assert_cmpint (entry->prompt_tokens, ==, 19);
  g_assert_cmpint (entry->completion_tokens, ==, 1);
  entry = g_ptr_array_index (logs, 0);
  g_assert_null (entry->token_name);
  g_assert_cmpint (entry->quota, ==, 0);
  g_assert_cmpint (entry->type, ==, 0);
  g_assert_false (entry->is_stream);
  entry = g_ptr_array_index (logs, 2);
  g_assert_cmpint (entry->id, ==, 1);
  g_assert_cmpint (entry->type, ==, CR_LOG_TYPE_CONSUME);
  g_assert_cmpint (entry->use_time, ==, 1);
  g_assert_false (entry->is_stream);
}

/* What Cursor's requests leave: a streamed chat, or the error it met. */
static void
test_logs_cursor (void)
{
  g_autoptr(GBytes) body = bytes ("{\"success\":true,\"message\":\"\",\"data\":["
                                  "{\"id\":1,\"created_at\":1700000200,\"type\":5,"
                                  "\"content\":\"field messages is required\",\"token_name\":\"cursor\","
                                  "\"model_name\":\"gpt-5.4\",\"quota\":0,\"prompt_tokens\":0,"
                                  "\"completion_tokens\":0,\"use_time\":0,\"is_stream\":true,"
                                  "\"group\":\"default\",\"ip\":\"\",\"other\":\"{}\"},"
                                  "{\"id\":2,\"created_at\":1700000100,\"type\":2,\"content\":\"\","
                                  "\"model_name\":\"gpt-5.4\",\"quota\":6100,\"prompt_tokens\":2350,"
                                  "\"completion_tokens\":180,\"use_time\":4,\"is_stream\":true,"
                                  "\"request_id\":\"20261207200000abcdef\"}]}");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) logs = cr_parse_token_logs (body, &error);
  CrLogEntry *entry;

  g_assert_no_error (error);
  g_assert_cmpuint (logs->len, ==, 2);
  entry = g_ptr_array_index (logs, 0);
  g_assert_cmpint (entry->type, ==, CR_LOG_TYPE_ERROR);
  g_assert_cmpstr (entry->content, ==, "field messages is required");
  g_assert_true (entry->is_stream);
  entry = g_ptr_array_index (logs, 1);
  g_assert_cmpint (entry->type, ==, CR_LOG_TYPE_CONSUME);
  g_assert_cmpint (entry->use_time, ==, 4);
  g_assert_cmpint (entry->quota, ==, 6100);
}

/* --- /api/status --- */

static void
test_quota_per_unit (void)
{
  static const struct {
    const char *json;
    gint64      expected;
  } cases[] = {
    { "{\"success\":true,\"message\":\"\",\"data\":{\"quota_per_unit\":500000}}", 500000 },
    { "{\"success\":true,\"data\":{\"quota_per_unit\":250000}}", 250000 },
    { "{\"success\":true,\"data\":{\"system_name\":\"x\"}}", 0 },
    { "{\"success\":true,\"data\":{\"quota_per_unit\":-5}}", 0 },
  };
  g_autoptr(GBytes) broken = bytes ("{\"success\":true,\"data\":[]}");
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) body = bytes (cases[i].json);

      g_assert_cmpint (cr_parse_quota_per_unit (body, &error), ==, cases[i].expected);
      g_assert_no_error (error);
    }
  g_assert_cmpint (cr_parse_quota_per_unit (broken, &error), ==, -1);
  g_assert_error (error, CR_GATEWAY_ERROR, CR_GATEWAY_ERROR_MALFORMED);
}

static void
test_logs_empty (void)
{
  const char *answers[] = {
    "{\"success\":true,\"message\":\"\",\"data\":[]}",
    "{\"success\":true,\"message\":\"\",\"data\":null}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      g_autoptr(GBytes) body = bytes (answers[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) logs = cr_parse_token_logs (body, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (logs->len, ==, 0);
    }
}

static void
test_logs_wrong_types (void)
{
  ParseFunc parse = (ParseFunc) cr_parse_token_logs;

  parse_malformed (parse, "{\"success\":true,\"data\":{\"id\":1,\"created_at\":1}}");
  parse_malformed (parse, "{\"success\":true,\"data\":{\"items\":[],\"total\":0}}");
  parse_malformed (parse, "{\"success\":true,\"data\":[{\"id\":\"1\",\"created_at\":1}]}");
  parse_malformed (parse, "{\"success\":true,\"data\":[{\"id\":1,\"created_at\":\"yesterday\"}]}");
  parse_malformed (parse, "{\"success\":true,\"data\":[{\"id\":1}]}");
  parse_malformed (parse, "{\"success\":true,\"data\":[{\"created_at\":1,\"model_name\":false}]}");
  parse_malformed (parse, "{\"success\":true,\"data\":[7]}");
  parse_malformed (parse, "{\"success\":true}");
  parse_malformed (parse, "{\"success\":false,\"message\":\"logs disabled\"}");
  assert_hopeless (parse);
}

/* --- the error envelope --- */

typedef struct {
  const char *body;
  gboolean    found;
  const char *message;
  const char *code;
} EnvelopeCase;

static void
test_error_envelope (void)
{
  const EnvelopeCase cases[] = {
    { "{\"error\":{\"message\":\"Invalid token (request id: 1)\",\"type\":\"new_api_error\"}}",
      TRUE, "Invalid token (request id: 1)", NULL },
    { "{\"error\":{\"message\":\"no\",\"type\":\"new_api_error\",\"code\":\"access_denied\"}}",
      TRUE, "no", "access_denied" },
    { "{\"error\":{\"message\":\"slow\",\"code\":429}}", TRUE, "slow", "429" },
    { "{\"error\":{\"code\":\"model_not_found\"}}", TRUE, NULL, "model_not_found" },
    { "{\"error\":{\"message\":\"\",\"code\":\"\"}}", TRUE, NULL, "" },
    { "{\"error\":\"plain\"}", TRUE, "plain", NULL },
    { "{\"success\":false,\"message\":\"无效的令牌\"}", TRUE, "无效的令牌", NULL },
    { "{\"error\":{\"message\":{\"nested\":true}}}", FALSE, NULL, NULL },
    { "{\"error\":{\"message\":\"\"}}", FALSE, NULL, NULL },
    { "{\"success\":true,\"message\":\"\"}", FALSE, NULL, NULL },
    { "{\"data\":[]}", FALSE, NULL, NULL },
    { "<html>502</html>", FALSE, NULL, NULL },
    { "", FALSE, NULL, NULL },
    { "[\"error\"]", FALSE, NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) body = bytes (cases[i].body);
      g_autofree char *message = NULL;
      g_autofree char *code = NULL;

      g_test_message ("%s", cases[i].body);
      g_assert_cmpint (cr_parse_error_envelope (body, &message, &code), ==, cases[i].found);
      g_assert_cmpstr (message, ==, cases[i].message);
      g_assert_cmpstr (code, ==, cases[i].code);
      /* The out arguments are optional. */
      g_assert_cmpint (cr_parse_error_envelope (body, NULL, NULL), ==, cases[i].found);
    }

  g_assert_false (cr_parse_error_envelope (NULL, NULL, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/parse/models/good", test_models_good);
  g_test_add_func ("/parse/models/optional", test_models_optional);
  g_test_add_func ("/parse/models/wrong-types", test_models_wrong_types);
  g_test_add_func ("/parse/models/failure-message", test_models_failure_message);
  g_test_add_func ("/parse/chat/good", test_chat_good);
  g_test_add_func ("/parse/chat/optional", test_chat_optional);
  g_test_add_func ("/parse/chat/wrong-types", test_chat_wrong_types);
  g_test_add_func ("/parse/chat/error-in-success", test_chat_error_in_success);
  g_test_add_func ("/parse/stream/good", test_stream_good);
  g_test_add_func ("/parse/stream/variants", test_stream_variants);
  g_test_add_func ("/parse/stream/bad", test_stream_bad);
  g_test_add_func ("/parse/stream/error-chunk", test_stream_error_chunk);
  g_test_add_func ("/parse/usage/good", test_usage_good);
  g_test_add_func ("/parse/usage/optional", test_usage_optional);
  g_test_add_func ("/parse/usage/wrong-types", test_usage_wrong_types);
  g_test_add_func ("/parse/usage/failure", test_usage_failure);
  g_test_add_func ("/parse/logs/good", test_logs_good);
  g_test_add_func ("/parse/logs/empty", test_logs_empty);
  g_test_add_func ("/parse/logs/cursor", test_logs_cursor);
  g_test_add_func ("/parse/status/quota-per-unit", test_quota_per_unit);
  g_test_add_func ("/parse/logs/wrong-types", test_logs_wrong_types);
  g_test_add_func ("/parse/error-envelope", test_error_envelope);

  return g_test_run ();
}
