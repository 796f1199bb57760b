/* test-gateway.c: the gateway client against the real loopback test gateway
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "cr-gateway.h"
#include "cr-test-gateway.h"

/* A distinctive key for the leak checks: the gateway answers 401 to it. */
#define TRACE_KEY "sk-demo-trace-4b7e19c2d05a"

typedef struct {
  CrTestGateway *gateway;
  CrGateway     *client;
  const char    *key;
} Fixture;

static void
fixture_set_client (Fixture    *f,
                    const char *base_url,
                    const char *key)
{
  g_clear_object (&f->client);
  f->key = key;
  f->client = cr_gateway_new (base_url, key);
  if (cr_test_gateway_get_tls_database (f->gateway) != NULL)
    cr_gateway_set_tls_database (f->client, cr_test_gateway_get_tls_database (f->gateway));
}

static void
fixture_setup_tls (Fixture   *f,
                   CrTestTls  tls)
{
  g_autoptr(GError) error = NULL;

  f->gateway = cr_test_gateway_new_full (tls, 0, &error);
  g_assert_no_error (error);
  fixture_set_client (f, cr_test_gateway_get_base_url (f->gateway), CR_TEST_TOKEN_GOOD);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  fixture_setup_tls (f, CR_TEST_TLS_NONE);
}

static void
fixture_setup_https (Fixture       *f,
                     gconstpointer  data)
{
  fixture_setup_tls (f, CR_TEST_TLS_VALID);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_finalize_object (f->client);
  g_assert_finalize_object (f->gateway);
}

/* --- running async calls --- */

static gboolean
on_watchdog (gpointer user_data)
{
  g_error ("a gateway call did not finish within 30 s");
  return G_SOURCE_REMOVE;
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
await (GAsyncResult **slot)
{
  guint watchdog = g_timeout_add_seconds (30, on_watchdog, NULL);

  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (watchdog);
  return *slot;
}

static void
sleep_ms (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE), g_usleep (2000);
}

static GPtrArray *
list_models (Fixture *f, GCancellable *cancellable, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cr_gateway_list_models_async (f->client, cancellable, on_done, &result);
  return cr_gateway_list_models_finish (f->client, await (&result), error);
}

static CrChatResult *
chat (Fixture *f, const char *model, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cr_gateway_chat_async (f->client, model, NULL, on_done, &result);
  return cr_gateway_chat_finish (f->client, await (&result), error);
}

static CrTokenUsage *
token_usage (Fixture *f, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cr_gateway_token_usage_async (f->client, NULL, on_done, &result);
  return cr_gateway_token_usage_finish (f->client, await (&result), error);
}

static GPtrArray *
token_logs (Fixture *f, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cr_gateway_token_logs_async (f->client, NULL, on_done, &result);
  return cr_gateway_token_logs_finish (f->client, await (&result), error);
}

static void
assert_no_secret (const char *text,
                  const char *key)
{
  if (text == NULL)
    return;
  g_assert_null (strstr (text, key));
  g_assert_null (strstr (text, key + 3));
}

/* Every error: the right code, a cause and a fix, and never the key. */
static void
assert_gateway_error (Fixture        *f,
                      const GError   *error,
                      CrGatewayError  code)
{
  g_assert_error (error, CR_GATEWAY_ERROR, (int) code);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_nonnull (cr_gateway_error_get_cause (error));
  g_assert_nonnull (cr_gateway_error_get_fix (error));
  assert_no_secret (error->message, f->key);
  assert_no_secret (cr_gateway_error_get_server_message (error), f->key);
}

/* --- the happy paths --- */

static void
assert_model_ids (GPtrArray          *models,
                  const char * const *expected)
{
  g_assert_cmpuint (models->len, ==, g_strv_length ((char **) expected));
  for (guint i = 0; i < models->len; i++)
    g_assert_cmpstr (((CrModel *) g_ptr_array_index (models, i))->id, ==, expected[i]);
}

static void
test_models_allowlist (Fixture       *f,
                       gconstpointer  data)
{
  const char *good[] = { "claude-sonnet-4-6", "gpt-5.4", NULL };
  const char *narrow[] = { "claude-sonnet-4-6", NULL };
  const char *wide[] = { "claude-sonnet-4-6", "deepseek-chat", "gemini-3-pro-preview",
                         "gpt-4o-mini", "gpt-5.4", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) models = NULL;

  models = list_models (f, NULL, &error);
  g_assert_no_error (error);
  assert_model_ids (models, good);
  g_assert_cmpstr (((CrModel *) g_ptr_array_index (models, 1))->owned_by, ==, "openai");
  g_clear_pointer (&models, g_ptr_array_unref);

  fixture_set_client (f, cr_test_gateway_get_base_url (f->gateway), CR_TEST_TOKEN_NARROW);
  models = list_models (f, NULL, &error);
  g_assert_no_error (error);
  assert_model_ids (models, narrow);
  g_clear_pointer (&models, g_ptr_array_unref);

  fixture_set_client (f, cr_test_gateway_get_base_url (f->gateway), CR_TEST_TOKEN_WIDE);
  models = list_models (f, NULL, &error);
  g_assert_no_error (error);
  assert_model_ids (models, wide);

  g_assert_cmpuint (cr_test_gateway_count_path (f->gateway, "/v1/models"), ==, 3);
}

/* What the gateway received must be a valid CreateChatCompletionRequest. */
static void
assert_valid_chat_request (GBytes     *body,
                           const char *model)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *request;
  JsonArray *messages;
  JsonObject *message;

  g_assert_nonnull (body);
  json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error);
  g_assert_no_error (error);
  request = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (request, "model"), ==, model);
  messages = json_object_get_array_member (request, "messages");
  g_assert_cmpuint (json_array_get_length (messages), ==, 1);
  message = json_array_get_object_element (messages, 0);
  g_assert_cmpstr (json_object_get_string_member (message, "role"), ==, "user");
  g_assert_cmpstr (json_object_get_string_member (message, "content"), !=, "");
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (request, "max_completion_tokens")),
                   ==, G_TYPE_INT64);
  g_assert_cmpint (json_object_get_int_member (request, "max_completion_tokens"), >, 0);
  g_assert_cmpint (json_object_get_int_member (request, "max_completion_tokens"), <=, 64);
  g_assert_false (json_object_get_boolean_member (request, "stream"));
}

static void
test_chat_reply (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrChatResult) result = NULL;

  result = chat (f, "gpt-5.4", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result->reply, ==, "ok");
  g_assert_cmpstr (result->model, ==, "gpt-5.4");
  g_assert_cmpint (result->prompt_tokens, >, 0);
  g_assert_cmpint (result->completion_tokens, ==, 1);
  g_assert_cmpint (result->total_tokens, ==, result->prompt_tokens + 1);
  g_assert_cmpint (result->latency_ms, >, 0);

  assert_valid_chat_request (cr_test_gateway_get_last_body (f->gateway), "gpt-5.4");
  g_assert_cmpstr (cr_test_gateway_get_last_header (f->gateway, "Content-Type"), ==, "application/json");
  g_assert_cmpuint (cr_test_gateway_count_path (f->gateway, "/v1/chat/completions"), ==, 1);
}

/* Cursor 3.x's Responses-API body: stock new-api refuses it, as it does
 * Cursor's own; a gateway that takes it answers a stream. */
static void
test_cursor_shape (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrChatResult) result = NULL;
  g_autoptr(GAsyncResult) async = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  GBytes *body;
  JsonObject *request;
  GPtrArray *sent;

  cr_gateway_cursor_shape_async (f->client, "gpt-5.4", NULL, on_done, &async);
  result = cr_gateway_cursor_shape_finish (f->client, await (&async), &error);
  g_assert_null (result);
  g_assert_error (error, CR_GATEWAY_ERROR, CR_GATEWAY_ERROR_HTTP);
  g_assert_cmpuint (cr_gateway_error_get_status (error), ==, 400);
  g_assert_true (g_str_has_prefix (cr_gateway_error_get_server_message (error), "field messages is required"));

  /* What was sent is Cursor's shape: input, no messages (but not streamed,
   * so that it is never taken for Cursor's own request in the logs). */
  body = cr_test_gateway_get_last_body (f->gateway);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                             NULL));
  request = json_node_get_object (json_parser_get_root (parser));
  g_assert_true (json_object_has_member (request, "input"));
  g_assert_false (json_object_has_member (request, "messages"));
  g_assert_false (json_object_get_boolean_member (request, "stream"));
  g_assert_true (json_object_has_member (request, "reasoning"));

  g_clear_error (&error);
  g_clear_object (&async);
  cr_test_gateway_set_mode (f->gateway, CR_TEST_MODE_RESPONSES_BODY_OK);
  cr_gateway_cursor_shape_async (f->client, "gpt-5.4", NULL, on_done, &async);
  result = cr_gateway_cursor_shape_finish (f->client, await (&async), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result->reply, ==, "ok");

  /* Both are on record as ours: not streamed, settled, with their outcome. */
  sent = cr_gateway_get_sent_requests (f->client);
  g_assert_cmpuint (sent->len, ==, 2);
  for (guint i = 0; i < sent->len; i++)
    {
      CrSentRequest *request_sent = g_ptr_array_index (sent, i);

      g_assert_cmpstr (request_sent->model, ==, "gpt-5.4");
      g_assert_false (request_sent->streamed);
      g_assert_cmpint (request_sent->outcome, ==, i == 0 ? CR_SENT_FAILED : CR_SENT_ANSWERED);
      g_assert_cmpint (request_sent->settled_at, >=, request_sent->sent_at);
      g_assert_cmpint (request_sent->sent_at, >, 0);
    }
}

/* The public status page: quota per dollar, asked without the key. */
static void
test_quota_per_unit (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) async = NULL;

  cr_gateway_quota_per_unit_async (f->client, NULL, on_done, &async);
  g_assert_cmpint (cr_gateway_quota_per_unit_finish (f->client, await (&async), &error), ==, 500000);
  g_assert_no_error (error);
  g_assert_null (cr_test_gateway_get_last_header (f->gateway, "Authorization"));
  g_assert_cmpuint (cr_test_gateway_count_path (f->gateway, "/api/status"), ==, 1);
  g_assert_cmpuint (cr_test_gateway_get_critical_count (f->gateway), ==, 0);
}

/* new-api's critical limit: past 20 reads in 20 minutes, a 429 with an
 * empty body (older) or a message (newer), and no Retry-After. */
static void
test_critical_limit (Fixture       *f,
                     gconstpointer  data)
{
  for (guint style = 0; style < 2; style++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GAsyncResult) async = NULL;
      g_autoptr(GPtrArray) logs = NULL;

      /* The first round's two allowed reads still count in the second. */
      cr_test_gateway_set_critical_limit (f->gateway, style == 0 ? 2 : 4, style == 1);
      for (guint i = 0; i < 2; i++)
        {
          g_autoptr(GAsyncResult) ok = NULL;
          g_autoptr(GPtrArray) read = NULL;

          cr_gateway_token_logs_async (f->client, NULL, on_done, &ok);
          read = cr_gateway_token_logs_finish (f->client, await (&ok), &error);
          g_assert_no_error (error);
        }
      cr_gateway_token_logs_async (f->client, NULL, on_done, &async);
      logs = cr_gateway_token_logs_finish (f->client, await (&async), &error);
      g_assert_null (logs);
      g_assert_error (error, CR_GATEWAY_ERROR, CR_GATEWAY_ERROR_RATE_LIMITED);
      g_assert_cmpuint (cr_gateway_error_get_retry_after (error), ==, 0);
      if (style == 1)
        g_assert_nonnull (strstr (cr_gateway_error_get_server_message (error), "maximum 20 requests"));
    }
  g_assert_cmpuint (cr_test_gateway_get_critical_count (f->gateway), ==, 6);
}

static void
test_chat_latency (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrChatResult) result = NULL;

  cr_test_gateway_set_latency (f->gateway, 250);
  result = chat (f, "claude-sonnet-4-6", &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->latency_ms, >=, 250);
  g_assert_cmpint (result->latency_ms, <, 5000);
}

/* The test gateway's SSE answer, read by our stream parser. */
static void
test_chat_stream_answer (Fixture       *f,
                         gconstpointer  data)
{
  const char *request = "{\"model\":\"gpt-5.4\",\"stream\":true,"
                        "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (cr_test_gateway_get_base_url (f->gateway), "/chat/completions", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) request_body = g_bytes_new_static (request, strlen (request));
  g_autoptr(CrChatResult) chat_result = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                "Bearer " CR_TEST_TOKEN_GOOD);
  soup_message_set_request_body_from_bytes (msg, "application/json", request_body);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, on_done, &result);
  body = soup_session_send_and_read_finish (session, await (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL),
                   ==, "text/event-stream");

  chat_result = cr_parse_chat_stream (body, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (chat_result->reply, ==, "ok");
  g_assert_cmpint (chat_result->completion_tokens, ==, 1);
  g_assert_cmpint (chat_result->prompt_tokens, >, 0);
}

static void
test_usage (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrTokenUsage) usage = NULL;

  usage = token_usage (f, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (usage->name, ==, "cursor");
  g_assert_false (usage->unlimited_quota);
  g_assert_true (usage->model_limits_enabled);
  g_assert_cmpuint (g_strv_length (usage->model_limits), ==, 2);
  g_assert_cmpstr (usage->model_limits[0], ==, "claude-sonnet-4-6");
  g_assert_cmpstr (usage->model_limits[1], ==, "gpt-5.4");
  g_assert_cmpint (usage->total_available, >, 0);
  g_assert_cmpint (usage->total_granted, ==, usage->total_used + usage->total_available);
  g_assert_cmpint (usage->expires_at, ==, 0);
  g_clear_pointer (&usage, cr_token_usage_free);

  fixture_set_client (f, cr_test_gateway_get_base_url (f->gateway), CR_TEST_TOKEN_WIDE);
  usage = token_usage (f, &error);
  g_assert_no_error (error);
  g_assert_true (usage->unlimited_quota);
  g_assert_false (usage->model_limits_enabled);
  g_assert_cmpuint (g_strv_length (usage->model_limits), ==, 0);
  g_clear_pointer (&usage, cr_token_usage_free);

  /* Exhausted: 401 on /v1, but its usage is still readable. */
  fixture_set_client (f, cr_test_gateway_get_base_url (f->gateway), CR_TEST_TOKEN_EXHAUSTED);
  usage = token_usage (f, &error);
  g_assert_no_error (error);
  g_assert_cmpint (usage->total_available, ==, 0);
  g_assert_cmpint (usage->total_used, >, 0);

  g_assert_cmpuint (cr_test_gateway_count_path (f->gateway, "/api/usage/token/"), ==, 3);
}

static void
test_logs_show_chat (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) logs = NULL;
  g_autoptr(CrChatResult) result = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  CrLogEntry *entry;

  logs = token_logs (f, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (logs->len, ==, 0);
  g_clear_pointer (&logs, g_ptr_array_unref);

  result = chat (f, "claude-sonnet-4-6", &error);
  g_assert_no_error (error);
  g_clear_pointer (&result, cr_chat_result_free);
  result = chat (f, "gpt-5.4", &error);
  g_assert_no_error (error);

  logs = token_logs (f, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (logs->len, ==, 2);
  entry = g_ptr_array_index (logs, 0);
  g_assert_cmpstr (entry->model_name, ==, "gpt-5.4");
  g_assert_cmpstr (entry->token_name, ==, "cursor");
  g_assert_cmpint (entry->prompt_tokens, ==, result->prompt_tokens);
  g_assert_cmpint (entry->created_at, >=, now - 5);
  g_assert_cmpint (entry->created_at, <=, now + 60);
  g_assert_cmpint (entry->id, >, ((CrLogEntry *) g_ptr_array_index (logs, 1))->id);
}

static void
test_concurrent (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GAsyncResult) models_result = NULL;
  g_autoptr(GAsyncResult) usage_result = NULL;
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(CrTokenUsage) usage = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  cr_test_gateway_set_latency (f->gateway, 300);
  cr_gateway_list_models_async (f->client, NULL, on_done, &models_result);
  cr_gateway_token_usage_async (f->client, NULL, on_done, &usage_result);
  models = cr_gateway_list_models_finish (f->client, await (&models_result), &error);
  g_assert_no_error (error);
  usage = cr_gateway_token_usage_finish (f->client, await (&usage_result), &error);
  g_assert_no_error (error);

  /* Both were received before either was answered. */
  g_assert_cmpuint (cr_test_gateway_get_max_in_flight (f->gateway), ==, 2);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 300 * G_TIME_SPAN_MILLISECOND);
}

static void
test_headers (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) models = NULL;

  models = list_models (f, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cr_test_gateway_get_last_header (f->gateway, "User-Agent"), ==,
                   "crazyrouter-setup/" PACKAGE_VERSION);
  /* The tests run with LC_ALL=C.UTF-8, for which libsoup's own choice
   * (accept-language-auto) is English. */
  g_assert_cmpstr (cr_test_gateway_get_last_header (f->gateway, "Accept-Language"), ==, "en");
  g_assert_cmpstr (cr_test_gateway_get_last_header (f->gateway, "Authorization"), ==,
                   "Bearer " CR_TEST_TOKEN_GOOD);
  g_clear_pointer (&models, g_ptr_array_unref);

  cr_gateway_set_language (f->client, "zh-CN");
  models = list_models (f, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cr_test_gateway_get_last_header (f->gateway, "Accept-Language"), ==, "zh-CN");
}

/* --- what the gateway refuses --- */

static void
test_error_unauthorized (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) models = NULL;

  fixture_set_client (f, cr_test_gateway_get_base_url (f->gateway), TRACE_KEY);
  models = list_models (f, NULL, &error);
  g_assert_null (models);
  assert_gateway_error (f, error, CR_GATEWAY_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (cr_gateway_error_get_status (error), ==, 401);
  g_assert_nonnull (strstr (cr_gateway_error_get_server_message (error), "Invalid token"));
  g_assert_nonnull (strstr (error->message, "401"));
  g_clear_error (&error);

  fixture_set_client (f, cr_test_gateway_get_base_url (f->gateway), CR_TEST_TOKEN_EXHAUSTED);
  models = list_models (f, NULL, &error);
  assert_gateway_error (f, error, CR_GATEWAY_ERROR_UNAUTHORIZED);
}

static void
test_error_model_not_allowed (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrChatResult) result = NULL;

  fixture_set_client (f, cr_test_gateway_get_base_url (f->gateway), CR_TEST_TOKEN_NARROW);
  result = chat (f, "gpt-5.4", &error);
  g_assert_null (result);
  assert_gateway_error (f, error, CR_GATEWAY_ERROR_MODEL_NOT_ALLOWED);
  g_assert_cmpuint (cr_gateway_error_get_status (error), ==, 403);
  g_assert_nonnull (strstr (cr_gateway_error_get_server_message (error), "gpt-5.4"));
  g_clear_error (&error);

  /* The Chinese message is recognised too. */
  cr_gateway_set_language (f->client, "zh-CN");
  result = chat (f, "gpt-5.4", &error);
  assert_gateway_error (f, error, CR_GATEWAY_ERROR_MODEL_NOT_ALLOWED);
  g_assert_nonnull (strstr (cr_gateway_error_get_server_message (error), "无权访问模型"));
}

static void
test_error_ip_not_allowed (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) models = NULL;

  fixture_set_client (f, cr_test_gateway_get_base_url (f->gateway), CR_TEST_TOKEN_IP_LOCKED);
  models = list_models (f, NULL, &error);
  assert_gateway_error (f, error, CR_GATEWAY_ERROR_IP_NOT_ALLOWED);
  g_assert_cmpuint (cr_gateway_error_get_status (error), ==, 403);
}

static void
test_error_full_endpoint (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *base = g_strconcat (cr_test_gateway_get_base_url (f->gateway), "/chat/completions", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(CrChatResult) result = NULL;

  fixture_set_client (f, base, CR_TEST_TOKEN_GOOD);
  models = list_models (f, NULL, &error);
  assert_gateway_error (f, error, CR_GATEWAY_ERROR_WRONG_BASE_URL);
  g_assert_cmpuint (cr_gateway_error_get_status (error), ==, 404);
  g_assert_nonnull (strstr (cr_gateway_error_get_server_message (error), "Invalid URL"));
  g_clear_error (&error);

  result = chat (f, "gpt-5.4", &error);
  assert_gateway_error (f, error, CR_GATEWAY_ERROR_WRONG_BASE_URL);
  g_assert_cmpuint (cr_test_gateway_count_path (f->gateway, "/v1/chat/completions/chat/completions"), ==, 1);
}

static void
test_error_root_domain (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(CrChatResult) result = NULL;

  fixture_set_client (f, cr_test_gateway_get_root_url (f->gateway), CR_TEST_TOKEN_GOOD);
  models = list_models (f, NULL, &error);
  assert_gateway_error (f, error, CR_GATEWAY_ERROR_WRONG_BASE_URL);
  g_assert_cmpuint (cr_gateway_error_get_status (error), ==, 200);
  g_assert_null (cr_gateway_error_get_server_message (error));
  g_clear_error (&error);

  result = chat (f, "gpt-5.4", &error);
  assert_gateway_error (f, error, CR_GATEWAY_ERROR_WRONG_BASE_URL);
  g_assert_cmpuint (cr_test_gateway_count_path (f->gateway, "/chat/completions"), ==, 1);
}

static void
test_error_rate_limited (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) models = NULL;

  cr_test_gateway_set_mode (f->gateway, CR_TEST_MODE_RATE_LIMITED);
  models = list_models (f, NULL, &error);
  assert_gateway_error (f, error, CR_GATEWAY_ERROR_RATE_LIMITED);
  g_assert_cmpuint (cr_gateway_error_get_status (error), ==, 429);
  g_assert_cmpuint (cr_gateway_error_get_retry_after (error), ==, 7);
  g_assert_nonnull (strstr (cr_gateway_error_get_fix (error), "7 seconds"));
}

/* A storm: every call fails the same way, and nothing is retried behind our back. */
static void
test_error_server (Fixture       *f,
                   gconstpointer  data)
{
  cr_test_gateway_set_mode (f->gateway, CR_TEST_MODE_SERVER_ERROR);

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) models = list_models (f, NULL, &error);

      g_assert_null (models);
      assert_gateway_error (f, error, CR_GATEWAY_ERROR_SERVER);
      g_assert_cmpuint (cr_gateway_error_get_status (error), ==, 500);
      g_assert_nonnull (cr_gateway_error_get_server_message (error));
    }
  g_assert_cmpuint (cr_test_gateway_get_request_count (f->gateway), ==, 5);
}

static void
test_error_bad_gateway_html (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrChatResult) result = NULL;

  cr_test_gateway_set_mode (f->gateway, CR_TEST_MODE_BAD_GATEWAY_HTML);
  result = chat (f, "gpt-5.4", &error);
  assert_gateway_error (f, error, CR_GATEWAY_ERROR_SERVER);
  g_assert_cmpuint (cr_gateway_error_get_status (error), ==, 502);
  g_assert_null (cr_gateway_error_get_server_message (error));
  g_assert_null (strstr (error->message, "<"));
}

static void
test_error_model_unavailable (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrChatResult) result = NULL;

  cr_test_gateway_set_mode (f->gateway, CR_TEST_MODE_MODEL_UNAVAILABLE);
  result = chat (f, "gpt-5.4", &error);
  assert_gateway_error (f, error, CR_GATEWAY_ERROR_MODEL_UNAVAILABLE);
  g_assert_cmpuint (cr_gateway_error_get_status (error), ==, 503);
}

static void
test_error_no_logs (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) logs = NULL;

  cr_test_gateway_set_mode (f->gateway, CR_TEST_MODE_NO_LOGS);
  logs = token_logs (f, &error);
  assert_gateway_error (f, error, CR_GATEWAY_ERROR_WRONG_BASE_URL);
  g_assert_cmpuint (cr_gateway_error_get_status (error), ==, 404);
}

static void
test_connection_refused (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *base = NULL;
  CrGateway *client;
  Fixture f = { .key = CR_TEST_TOKEN_GOOD };

  /* A port that was free a moment ago: bound, never listened on, closed. */
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  base = g_strdup_printf ("http://127.0.0.1:%u/v1",
                          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (socket, NULL);

  client = cr_gateway_new (base, CR_TEST_TOKEN_GOOD);
  cr_gateway_list_models_async (client, NULL, on_done, &result);
  models = cr_gateway_list_models_finish (client, await (&result), &error);
  assert_gateway_error (&f, error, CR_GATEWAY_ERROR_CONNECTION_REFUSED);
  g_assert_cmpuint (cr_gateway_error_get_status (error), ==, 0);
  g_clear_object (&result);
  g_assert_finalize_object (client);
}

/* Keys never travel in clear text to another machine: refused before sending. */
static void
test_refuses_plain_http (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  CrGateway *client = cr_gateway_new ("http://gateway.invalid/v1", CR_TEST_TOKEN_GOOD);
  Fixture f = { .key = CR_TEST_TOKEN_GOOD };

  cr_gateway_list_models_async (client, NULL, on_done, &result);
  models = cr_gateway_list_models_finish (client, await (&result), &error);
  assert_gateway_error (&f, error, CR_GATEWAY_ERROR_WRONG_BASE_URL);
  g_assert_cmpuint (cr_gateway_error_get_status (error), ==, 0);
  g_clear_object (&result);
  g_assert_finalize_object (client);
}

/* --- the hostile gateway --- */

static void
test_hostile_garbage (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(CrChatResult) result = NULL;

  cr_test_gateway_set_mode (f->gateway, CR_TEST_MODE_GARBAGE);
  models = list_models (f, NULL, &error);
  assert_gateway_error (f, error, CR_GATEWAY_ERROR_MALFORMED);
  g_clear_error (&error);
  result = chat (f, "gpt-5.4", &error);
  assert_gateway_error (f, error, CR_GATEWAY_ERROR_MALFORMED);
}

static void
assert_all_malformed (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(CrChatResult) result = NULL;
  g_autoptr(CrTokenUsage) usage = NULL;
  g_autoptr(GPtrArray) logs = NULL;

  models = list_models (f, NULL, &error);
  assert_gateway_error (f, error, CR_GATEWAY_ERROR_MALFORMED);
  g_clear_error (&error);
  result = chat (f, "gpt-5.4", &error);
  assert_gateway_error (f, error, CR_GATEWAY_ERROR_MALFORMED);
  g_clear_error (&error);
  usage = token_usage (f, &error);
  assert_gateway_error (f, error, CR_GATEWAY_ERROR_MALFORMED);
  g_clear_error (&error);
  logs = token_logs (f, &error);
  assert_gateway_error (f, error, CR_GATEWAY_ERROR_MALFORMED);
}

static void
test_hostile_wrong_shape (Fixture       *f,
                          gconstpointer  data)
{
  cr_test_gateway_set_mode (f->gateway, CR_TEST_MODE_WRONG_SHAPE);
  assert_all_malformed (f);
}

static void
test_hostile_truncated (Fixture       *f,
                        gconstpointer  data)
{
  cr_test_gateway_set_mode (f->gateway, CR_TEST_MODE_TRUNCATED);
  assert_all_malformed (f);
}

static void
test_hostile_huge (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) models = NULL;

  cr_test_gateway_set_mode (f->gateway, CR_TEST_MODE_HUGE);
  models = list_models (f, NULL, &error);
  assert_gateway_error (f, error, CR_GATEWAY_ERROR_TOO_LARGE);
  g_clear_error (&error);

  /* The gateway still works afterwards. */
  cr_test_gateway_set_mode (f->gateway, CR_TEST_MODE_NORMAL);
  models = list_models (f, NULL, &error);
  g_assert_no_error (error);
}

static void
test_hostile_endless (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) models = NULL;
  gint64 start = g_get_monotonic_time ();

  cr_test_gateway_set_mode (f->gateway, CR_TEST_MODE_ENDLESS);
  cr_gateway_set_timeout (f->client, 1);
  models = list_models (f, NULL, &error);
  assert_gateway_error (f, error, CR_GATEWAY_ERROR_TIMEOUT);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 900 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_TIME_SPAN_SECOND);
}

static void
test_hostile_hang_timeout (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrChatResult) result = NULL;
  gint64 start = g_get_monotonic_time ();

  cr_test_gateway_set_mode (f->gateway, CR_TEST_MODE_HANG);
  cr_gateway_set_timeout (f->client, 1);
  result = chat (f, "gpt-5.4", &error);
  assert_gateway_error (f, error, CR_GATEWAY_ERROR_TIMEOUT);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 900 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_TIME_SPAN_SECOND);
}

static void
test_hostile_hang_cancel (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GError) error = NULL;
  gint64 cancelled_at;

  cr_test_gateway_set_mode (f->gateway, CR_TEST_MODE_HANG);
  cr_gateway_list_models_async (f->client, cancellable, on_done, &result);
  while (cr_test_gateway_get_request_count (f->gateway) == 0)
    g_main_context_iteration (NULL, TRUE);
  sleep_ms (100);
  g_assert_null (result);

  cancelled_at = g_get_monotonic_time ();
  g_cancellable_cancel (cancellable);
  models = cr_gateway_list_models_finish (f->client, await (&result), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - cancelled_at, <, G_TIME_SPAN_SECOND);
}

static void
test_cancelled_before_start (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  models = list_models (f, cancellable, &error);
  /* As GIO says it, so callers test one thing. */
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_hostile_slow_headers (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) models = NULL;
  gint64 start = g_get_monotonic_time ();

  cr_test_gateway_set_mode (f->gateway, CR_TEST_MODE_SLOW_HEADERS);
  cr_gateway_set_timeout (f->client, 1);
  models = list_models (f, NULL, &error);
  assert_gateway_error (f, error, CR_GATEWAY_ERROR_TIMEOUT);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_TIME_SPAN_SECOND);
}

static gboolean
has_control_or_bidi (const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x20 || c == 0x7f || c == 0x202e || c == 0x2066 || c == 0x2069 || c == 0x200f)
        return TRUE;
    }
  return FALSE;
}

static void
test_hostile_message (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrChatResult) result = NULL;
  const char *message;

  cr_test_gateway_set_mode (f->gateway, CR_TEST_MODE_HOSTILE_MESSAGE);
  result = chat (f, "gpt-5.4", &error);
  assert_gateway_error (f, error, CR_GATEWAY_ERROR_HTTP);
  g_assert_cmpuint (cr_gateway_error_get_status (error), ==, 400);

  message = cr_gateway_error_get_server_message (error);
  g_assert_nonnull (message);
  g_assert_true (g_utf8_validate (message, -1, NULL));
  g_assert_cmpuint (g_utf8_strlen (message, -1), <=, CR_GATEWAY_MESSAGE_MAX_CHARS);
  g_assert_true (g_str_has_suffix (message, "…"));
  /* Markup stays literal text: escaping is the UI's job, never interpretation. */
  g_assert_nonnull (strstr (message, "<b>Bold</b>"));
  g_assert_nonnull (strstr (message, "line one line two tabbed"));
  g_assert_false (has_control_or_bidi (message));
  g_assert_false (has_control_or_bidi (error->message));
  g_assert_cmpuint (strlen (error->message), <, 2048);
}

/* A server that echoes what it got (here: the key sent as a model name)
 * must not get the key into an error. */
static void
test_echoed_key_redacted (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrChatResult) result = NULL;

  fixture_set_client (f, cr_test_gateway_get_base_url (f->gateway), CR_TEST_TOKEN_GOOD);
  result = chat (f, CR_TEST_TOKEN_GOOD, &error);
  assert_gateway_error (f, error, CR_GATEWAY_ERROR_MODEL_NOT_ALLOWED);
  g_assert_nonnull (strstr (cr_gateway_error_get_server_message (error), "no access to model"));
}

static void
test_key_never_in_errors (Fixture       *f,
                          gconstpointer  data)
{
  static const CrTestMode modes[] = {
    CR_TEST_MODE_NORMAL, CR_TEST_MODE_GARBAGE, CR_TEST_MODE_WRONG_SHAPE, CR_TEST_MODE_TRUNCATED,
    CR_TEST_MODE_SERVER_ERROR, CR_TEST_MODE_BAD_GATEWAY_HTML, CR_TEST_MODE_RATE_LIMITED,
    CR_TEST_MODE_NO_LOGS, CR_TEST_MODE_MODEL_UNAVAILABLE, CR_TEST_MODE_REDIRECT_HOST,
    CR_TEST_MODE_HOSTILE_MESSAGE,
  };

  fixture_set_client (f, cr_test_gateway_get_base_url (f->gateway), TRACE_KEY);
  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autoptr(GError) e1 = NULL;
      g_autoptr(GError) e2 = NULL;
      g_autoptr(GError) e3 = NULL;
      g_autoptr(GPtrArray) models = NULL;
      g_autoptr(CrChatResult) result = NULL;
      g_autoptr(CrTokenUsage) usage = NULL;

      cr_test_gateway_set_mode (f->gateway, modes[i]);
      models = list_models (f, NULL, &e1);
      result = chat (f, "gpt-5.4", &e2);
      usage = token_usage (f, &e3);
      g_assert_nonnull (e1);
      g_assert_nonnull (e2);
      g_assert_nonnull (e3);
      assert_gateway_error (f, e1, e1->code);
      assert_gateway_error (f, e2, e2->code);
      assert_gateway_error (f, e3, e3->code);
    }
}

/* --- TLS --- */

static void
test_tls_trusted (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(CrChatResult) result = NULL;

  g_assert_true (g_str_has_prefix (cr_test_gateway_get_base_url (f->gateway), "https://127.0.0.1:"));
  models = list_models (f, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (models->len, ==, 2);
  result = chat (f, "gpt-5.4", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result->reply, ==, "ok");
}

static void
test_tls_system_database (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) models = NULL;

  g_clear_object (&f->client);
  f->client = cr_gateway_new (cr_test_gateway_get_base_url (f->gateway), CR_TEST_TOKEN_GOOD);
  models = list_models (f, NULL, &error);
  assert_gateway_error (f, error, CR_GATEWAY_ERROR_TLS);
  g_assert_cmpuint (cr_test_gateway_get_request_count (f->gateway), ==, 0);
}

static void
test_tls_bad_certificate (gconstpointer data)
{
  Fixture fixture = { 0 };
  Fixture *f = &fixture;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) models = NULL;

  fixture_setup_tls (f, GPOINTER_TO_INT (data));
  models = list_models (f, NULL, &error);
  assert_gateway_error (f, error, CR_GATEWAY_ERROR_TLS);
  /* The error names the certificate's own problem. */
  g_test_message ("%s", error->message);
  if (GPOINTER_TO_INT (data) == CR_TEST_TLS_EXPIRED)
    g_assert_nonnull (strstr (error->message, "expired"));
  else
    g_assert_nonnull (strstr (error->message, "another name"));
  g_assert_cmpuint (cr_test_gateway_get_request_count (f->gateway), ==, 0);
  fixture_teardown (f, NULL);
}

/* --- redirects --- */

static void
assert_redirect_refused (Fixture    *f,
                         CrTestMode  mode)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(CrChatResult) result = NULL;

  cr_test_gateway_set_mode (f->gateway, mode);
  models = list_models (f, NULL, &error);
  assert_gateway_error (f, error, CR_GATEWAY_ERROR_INSECURE_REDIRECT);
  g_assert_cmpuint (cr_gateway_error_get_status (error), ==, 302);
  g_clear_error (&error);
  result = chat (f, "gpt-5.4", &error);
  assert_gateway_error (f, error, CR_GATEWAY_ERROR_INSECURE_REDIRECT);

  /* Let anything that might have followed arrive before looking. */
  sleep_ms (200);
  g_assert_cmpuint (cr_test_gateway_get_redirect_target_count (f->gateway), ==, 0);
  g_assert_false (cr_test_gateway_get_redirect_target_saw_auth (f->gateway));
}

static void
test_redirect_to_http (Fixture       *f,
                       gconstpointer  data)
{
  assert_redirect_refused (f, CR_TEST_MODE_REDIRECT_HTTP);
}

static void
test_redirect_to_host (Fixture       *f,
                       gconstpointer  data)
{
  assert_redirect_refused (f, CR_TEST_MODE_REDIRECT_HOST);
}

static GBytes *
plain_get (const char *url,
           const char *authorization)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GBytes *body;

  if (authorization != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", authorization);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, on_done, &result);
  body = soup_session_send_and_read_finish (session, await (&result), &error);
  g_assert_no_error (error);
  return body;
}

/* The targets are real and would notice the key: a client that followed
 * would reach them, and one that sent the key there would be caught. */
static void
test_redirect_targets_answer (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *url = g_strconcat (cr_test_gateway_get_base_url (f->gateway), "/models", NULL);
  g_autofree char *target = NULL;
  g_autoptr(GBytes) followed = NULL;
  g_autoptr(GBytes) direct = NULL;
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  /* libsoup follows the redirect itself (and drops the header on the way). */
  cr_test_gateway_set_mode (f->gateway, CR_TEST_MODE_REDIRECT_HOST);
  followed = plain_get (url, "Bearer " CR_TEST_TOKEN_GOOD);
  g_assert_cmpuint (cr_test_gateway_get_redirect_target_count (f->gateway), ==, 1);
  g_assert_false (cr_test_gateway_get_redirect_target_saw_auth (f->gateway));

  target = g_strdup_printf ("http://localhost:%d/v1/models", g_uri_get_port (uri));
  direct = plain_get (target, "Bearer " CR_TEST_TOKEN_GOOD);
  g_assert_cmpuint (cr_test_gateway_get_redirect_target_count (f->gateway), ==, 2);
  g_assert_true (cr_test_gateway_get_redirect_target_saw_auth (f->gateway));
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (direct, NULL), g_bytes_get_size (direct), "gpt-5.4"));
}

static void
test_redirect_same_origin (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(CrChatResult) result = NULL;

  cr_test_gateway_set_mode (f->gateway, CR_TEST_MODE_REDIRECT_SAME_ORIGIN);
  models = list_models (f, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (models->len, ==, 2);
  g_assert_cmpuint (cr_test_gateway_count_path (f->gateway, "/moved/v1/models"), ==, 1);
  g_assert_cmpstr (cr_test_gateway_get_last_header (f->gateway, "Authorization"), ==,
                   "Bearer " CR_TEST_TOKEN_GOOD);

  /* 307 keeps the method and the body. */
  result = chat (f, "gpt-5.4", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result->reply, ==, "ok");
  assert_valid_chat_request (cr_test_gateway_get_last_body (f->gateway), "gpt-5.4");
}

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
#define ADD_HTTPS(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup_https, func, fixture_teardown)

/* --- CORS preflights (Cursor's Verify) --- */

static CrPreflight *
preflight_to (Fixture     *f,
              const char  *path,
              const char  *method,
              const char  *headers,
              GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cr_gateway_preflight_async (f->client, path, CR_CURSOR_ORIGIN, method, headers, NULL, on_done, &result);
  return cr_gateway_preflight_finish (f->client, await (&result), error);
}

static CrPreflight *
preflight (Fixture *f, GError **error)
{
  return preflight_to (f, CR_CURSOR_PREFLIGHT_PATH, CR_CURSOR_PREFLIGHT_METHOD,
                       CR_CURSOR_PREFLIGHT_HEADERS, error);
}

/* As a browser sends it: OPTIONS, the CORS headers, and no key; answered
 * as stock new-api does, which Chromium allows. */
static void
test_preflight_allowed (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrPreflight) answer = preflight (f, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (answer->status, ==, 204);
  g_assert_cmpstr (answer->allow_origin, ==, "*");
  g_assert_cmpstr (answer->allow_headers, ==, "*");
  g_assert_cmpstr (answer->allow_methods, ==, "GET,POST,PUT,DELETE,OPTIONS");
  g_assert_cmpint (cr_preflight_judge (answer, CR_CURSOR_ORIGIN, CR_CURSOR_PREFLIGHT_METHOD,
                                       CR_CURSOR_PREFLIGHT_HEADERS, NULL), ==, CR_PREFLIGHT_ALLOWED);

  g_assert_cmpuint (cr_test_gateway_count_preflights (f->gateway, "/v1/chat/completions"), ==, 1);
  g_assert_cmpuint (cr_test_gateway_count_path (f->gateway, "/v1/chat/completions"), ==, 0);
  g_assert_cmpstr (cr_test_gateway_get_last_header (f->gateway, "Origin"), ==, CR_CURSOR_ORIGIN);
  g_assert_cmpstr (cr_test_gateway_get_last_header (f->gateway, "Access-Control-Request-Method"), ==, "POST");
  g_assert_cmpstr (cr_test_gateway_get_last_header (f->gateway, "Access-Control-Request-Headers"), ==,
                   CR_CURSOR_PREFLIGHT_HEADERS);
  g_assert_null (cr_test_gateway_get_last_header (f->gateway, "Authorization"));
}

/* Verify's second request: GET {base}/models, asked for the same way. */
static void
test_preflight_models (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrPreflight) answer = NULL;

  answer = preflight_to (f, CR_CURSOR_MODELS_PREFLIGHT_PATH, CR_CURSOR_MODELS_PREFLIGHT_METHOD,
                         CR_CURSOR_MODELS_PREFLIGHT_HEADERS, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (answer->status, ==, 204);
  g_assert_cmpint (cr_preflight_judge (answer, CR_CURSOR_ORIGIN, CR_CURSOR_MODELS_PREFLIGHT_METHOD,
                                       CR_CURSOR_MODELS_PREFLIGHT_HEADERS, NULL), ==, CR_PREFLIGHT_ALLOWED);
  g_assert_cmpuint (cr_test_gateway_count_preflights (f->gateway, "/v1/models"), ==, 1);
  g_assert_cmpuint (cr_test_gateway_count_path (f->gateway, "/v1/models"), ==, 0);
  g_assert_cmpstr (cr_test_gateway_get_last_header (f->gateway, "Access-Control-Request-Method"), ==, "GET");
}

/* A gateway that names the headers it allows, without Authorization. */
static void
test_preflight_list (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrPreflight) answer = NULL;
  g_autofree char *missing = NULL;

  cr_test_gateway_set_mode (f->gateway, CR_TEST_MODE_CORS_LIST);
  answer = preflight (f, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (answer->allow_headers, ==, "Content-Type");
  g_assert_cmpint (cr_preflight_judge (answer, CR_CURSOR_ORIGIN, CR_CURSOR_PREFLIGHT_METHOD,
                                       CR_CURSOR_PREFLIGHT_HEADERS, &missing), ==, CR_PREFLIGHT_NO_HEADERS);
  g_assert_cmpstr (missing, ==, "authorization");
}

/* A gateway without CORS answers like any unknown route: no permission. */
static void
test_preflight_refused (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrPreflight) answer = NULL;

  cr_test_gateway_set_mode (f->gateway, CR_TEST_MODE_NO_CORS);
  answer = preflight (f, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (answer->status, ==, 404);
  g_assert_null (answer->allow_origin);
  g_assert_cmpint (cr_preflight_judge (answer, CR_CURSOR_ORIGIN, CR_CURSOR_PREFLIGHT_METHOD,
                                       CR_CURSOR_PREFLIGHT_HEADERS, NULL), ==, CR_PREFLIGHT_BAD_STATUS);
}

/* A preflight is never followed through a redirect, as in a browser. */
static void
test_preflight_redirect (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrPreflight) answer = NULL;

  cr_test_gateway_set_mode (f->gateway, CR_TEST_MODE_REDIRECT_SAME_ORIGIN);
  answer = preflight (f, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (answer->status, ==, 307);
  g_assert_cmpuint (cr_test_gateway_count_preflights (f->gateway, "/moved/v1/chat/completions"), ==, 0);
}

static void
test_preflight_transport_error (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrPreflight) answer = NULL;

  cr_test_gateway_set_mode (f->gateway, CR_TEST_MODE_HANG);
  cr_gateway_set_timeout (f->client, 1);
  answer = preflight (f, &error);
  g_assert_null (answer);
  g_assert_error (error, CR_GATEWAY_ERROR, CR_GATEWAY_ERROR_TIMEOUT);
}

/* Chromium's rules for a request without credentials, as
 * cr_preflight_judge() applies them (test-cors-chromium checks them
 * against a real Chromium). */
static void
test_preflight_judge (void)
{
  static const struct {
    guint               status;
    const char         *origin;
    const char         *methods;
    const char         *headers;
    CrPreflightVerdict  verdict;
    const char         *missing;
  } cases[] = {
    /* Stock new-api: "*" everywhere (its Allow-Credentials: true is ignored). */
    { 204, "*", "GET,POST,PUT,DELETE,OPTIONS", "*", CR_PREFLIGHT_ALLOWED, NULL },
    { 204, "*", "GET, POST", "authorization,content-type", CR_PREFLIGHT_ALLOWED, NULL },
    { 200, CR_CURSOR_ORIGIN, NULL, "Authorization, Content-Type", CR_PREFLIGHT_ALLOWED, NULL },
    /* POST is safelisted: Allow-Methods need not name it. */
    { 204, "*", "GET", "authorization, content-type", CR_PREFLIGHT_ALLOWED, NULL },
    { 204, CR_CURSOR_ORIGIN, NULL, "*", CR_PREFLIGHT_ALLOWED, NULL },
    { 404, NULL, NULL, NULL, CR_PREFLIGHT_BAD_STATUS, NULL },
    { 405, "*", "GET", "*", CR_PREFLIGHT_BAD_STATUS, NULL },
    { 301, "*", "POST", "authorization,content-type", CR_PREFLIGHT_BAD_STATUS, NULL },
    { 307, "*", "*", "*", CR_PREFLIGHT_BAD_STATUS, NULL },
    { 204, NULL, "POST", "authorization,content-type", CR_PREFLIGHT_NO_ORIGIN, NULL },
    { 204, NULL, "*", "*", CR_PREFLIGHT_NO_ORIGIN, NULL },
    { 204, "https://app.example", "POST", "authorization,content-type", CR_PREFLIGHT_NO_ORIGIN, NULL },
    { 204, "*, " CR_CURSOR_ORIGIN, "POST", "authorization,content-type", CR_PREFLIGHT_NO_ORIGIN, NULL },
    { 204, "*", "POST", "content-type", CR_PREFLIGHT_NO_HEADERS, "authorization" },
    { 204, "*", "POST", "Authorization", CR_PREFLIGHT_NO_HEADERS, "content-type" },
    { 204, "*", "POST", NULL, CR_PREFLIGHT_NO_HEADERS, "authorization" },
    { 204, "*", "POST", "*, Authorization", CR_PREFLIGHT_ALLOWED, NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      CrPreflight answer = {
        cases[i].status, (char *) cases[i].origin, (char *) cases[i].methods, (char *) cases[i].headers,
      };
      g_autofree char *missing = NULL;

      g_test_message ("case %" G_GSIZE_FORMAT, i);
      g_assert_cmpint (cr_preflight_judge (&answer, CR_CURSOR_ORIGIN, CR_CURSOR_PREFLIGHT_METHOD,
                                           CR_CURSOR_PREFLIGHT_HEADERS, &missing), ==, cases[i].verdict);
      g_assert_cmpstr (missing, ==, cases[i].missing);
    }

  /* Methods that are not safelisted must be listed, or "*". */
  {
    CrPreflight answer = { 204, (char *) "*", (char *) "GET, POST", (char *) "*" };

    g_assert_cmpint (cr_preflight_judge (&answer, CR_CURSOR_ORIGIN, "DELETE", "content-type", NULL),
                     ==, CR_PREFLIGHT_NO_METHOD);
    answer.allow_methods = (char *) "*";
    g_assert_cmpint (cr_preflight_judge (&answer, CR_CURSOR_ORIGIN, "DELETE", "content-type", NULL),
                     ==, CR_PREFLIGHT_ALLOWED);
  }
}

/* --- the trace --- */

/* Debug messages of this program, while a test collects them. */
static GString *trace;

static GLogWriterOutput
write_log (GLogLevelFlags   level,
           const GLogField *fields,
           gsize            n_fields,
           gpointer         user_data)
{
  const char *domain = NULL;
  const char *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
      domain = fields[i].value;
    else if (g_str_equal (fields[i].key, "MESSAGE"))
      message = fields[i].value;

  /* What a person would see: debug messages only when G_MESSAGES_DEBUG says. */
  if (trace != NULL && level == G_LOG_LEVEL_DEBUG && g_strcmp0 (domain, G_LOG_DOMAIN) == 0
      && !g_log_writer_default_would_drop (level, domain))
    {
      g_string_append_printf (trace, "%s\n", message);
      return G_LOG_WRITER_HANDLED;
    }
  return g_log_writer_default (level, fields, n_fields, user_data);
}

/* G_MESSAGES_DEBUG=crazyrouter-setup: every request's method, address,
 * headers, status and time, with the key hidden everywhere. */
static void
test_trace (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(CrGateway) traced = NULL;
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *base = g_strdup (cr_test_gateway_get_base_url (f->gateway));

  trace = g_string_new (NULL);
  g_setenv ("G_MESSAGES_DEBUG", "crazyrouter-setup", TRUE);
  traced = cr_gateway_new (base, CR_TEST_TOKEN_GOOD);
  cr_gateway_list_models_async (traced, NULL, on_done, &result);
  models = cr_gateway_list_models_finish (traced, await (&result), &error);
  g_unsetenv ("G_MESSAGES_DEBUG");
  g_assert_no_error (error);

  g_test_message ("%s", trace->str);
  g_assert_nonnull (strstr (trace->str, "GET /v1/models"));
  g_assert_nonnull (strstr (trace->str, "Authorization: [hidden]"));
  g_assert_nonnull (strstr (trace->str, "200"));
  g_assert_nonnull (strstr (trace->str, " ms"));
  g_assert_null (strstr (trace->str, CR_TEST_TOKEN_GOOD));
  g_string_free (g_steal_pointer (&trace), TRUE);

  /* Off by default: not a line printed, but the last lines are kept for a
   * diagnostic report, the key hidden there too. */
  trace = g_string_new (NULL);
  g_clear_object (&result);
  g_clear_pointer (&models, g_ptr_array_unref);
  models = list_models (f, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (trace->str, ==, "");
  g_string_free (g_steal_pointer (&trace), TRUE);
  {
    g_auto(GStrv) kept = cr_gateway_get_trace (f->client);
    g_autofree char *joined = g_strjoinv ("\n", kept);

    g_assert_nonnull (strstr (joined, "GET /v1/models"));
    g_assert_nonnull (strstr (joined, "Authorization: [hidden]"));
    g_assert_nonnull (strstr (joined, ": 200 in "));
    g_assert_null (strstr (joined, CR_TEST_TOKEN_GOOD));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_log_set_writer_func (write_log, NULL, NULL);
  g_test_init (&argc, &argv, NULL);

  ADD ("/gateway/trace", test_trace);
  ADD ("/gateway/models/allowlist", test_models_allowlist);
  ADD ("/gateway/chat/reply", test_chat_reply);
  ADD ("/gateway/chat/latency", test_chat_latency);
  ADD ("/gateway/chat/cursor-shape", test_cursor_shape);
  ADD ("/gateway/status/quota-per-unit", test_quota_per_unit);
  ADD ("/gateway/logs/critical-limit", test_critical_limit);
  ADD ("/gateway/chat/stream-answer", test_chat_stream_answer);
  ADD ("/gateway/usage", test_usage);
  ADD ("/gateway/logs/show-chat", test_logs_show_chat);
  ADD ("/gateway/concurrent", test_concurrent);
  ADD ("/gateway/headers", test_headers);

  ADD ("/gateway/error/unauthorized", test_error_unauthorized);
  ADD ("/gateway/error/model-not-allowed", test_error_model_not_allowed);
  ADD ("/gateway/error/ip-not-allowed", test_error_ip_not_allowed);
  ADD ("/gateway/error/full-endpoint-base", test_error_full_endpoint);
  ADD ("/gateway/error/root-domain-base", test_error_root_domain);
  ADD ("/gateway/error/rate-limited", test_error_rate_limited);
  ADD ("/gateway/error/server-storm", test_error_server);
  ADD ("/gateway/error/bad-gateway-html", test_error_bad_gateway_html);
  ADD ("/gateway/error/model-unavailable", test_error_model_unavailable);
  ADD ("/gateway/error/no-logs", test_error_no_logs);
  g_test_add_func ("/gateway/error/connection-refused", test_connection_refused);
  g_test_add_func ("/gateway/error/refuses-plain-http", test_refuses_plain_http);

  ADD ("/gateway/hostile/garbage", test_hostile_garbage);
  ADD ("/gateway/hostile/wrong-shape", test_hostile_wrong_shape);
  ADD ("/gateway/hostile/truncated", test_hostile_truncated);
  ADD ("/gateway/hostile/huge", test_hostile_huge);
  ADD ("/gateway/hostile/endless", test_hostile_endless);
  ADD ("/gateway/hostile/hang-timeout", test_hostile_hang_timeout);
  ADD ("/gateway/hostile/hang-cancel", test_hostile_hang_cancel);
  ADD ("/gateway/hostile/cancelled-before-start", test_cancelled_before_start);
  ADD ("/gateway/hostile/slow-headers", test_hostile_slow_headers);
  ADD ("/gateway/hostile/message", test_hostile_message);
  ADD ("/gateway/hostile/echoed-key-redacted", test_echoed_key_redacted);
  ADD ("/gateway/hostile/key-never-in-errors", test_key_never_in_errors);

  ADD_HTTPS ("/gateway/tls/trusted", test_tls_trusted);
  ADD_HTTPS ("/gateway/tls/system-database", test_tls_system_database);
  g_test_add_data_func ("/gateway/tls/wrong-name", GINT_TO_POINTER (CR_TEST_TLS_WRONG_NAME),
                        test_tls_bad_certificate);
  g_test_add_data_func ("/gateway/tls/expired", GINT_TO_POINTER (CR_TEST_TLS_EXPIRED),
                        test_tls_bad_certificate);

  ADD ("/gateway/redirect/to-http-port", test_redirect_to_http);
  ADD_HTTPS ("/gateway/redirect/https-to-http", test_redirect_to_http);
  ADD ("/gateway/redirect/to-other-host", test_redirect_to_host);
  ADD ("/gateway/redirect/targets-answer", test_redirect_targets_answer);
  ADD ("/gateway/redirect/same-origin", test_redirect_same_origin);

  ADD ("/gateway/preflight/allowed", test_preflight_allowed);
  ADD ("/gateway/preflight/models", test_preflight_models);
  ADD ("/gateway/preflight/list", test_preflight_list);
  ADD ("/gateway/preflight/refused", test_preflight_refused);
  ADD ("/gateway/preflight/redirect", test_preflight_redirect);
  ADD ("/gateway/preflight/transport-error", test_preflight_transport_error);
  g_test_add_func ("/gateway/preflight/judge", test_preflight_judge);

  return g_test_run ();
}
