/* test-gateway-error.c: status and transport mappings, causes and fixes, sanitizing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "cr-gateway-error.h"
#include "cr-gateway-parse.h"
#include "cr-text.h"

#define JSON "application/json"
#define HTML "text/html"

typedef struct {
  guint           status;
  const char     *content_type;
  const char     *body;
  const char     *retry_after;
  CrGatewayError  code;
  const char     *message;      /* expected server message substring, NULL: none */
  guint           retry;
} HttpCase;

static const HttpCase http_cases[] = {
  { 401, JSON, "{\"error\":{\"message\":\"Invalid token (request id: 1)\",\"type\":\"new_api_error\"}}",
    NULL, CR_GATEWAY_ERROR_UNAUTHORIZED, "Invalid token", 0 },
  { 401, JSON, NULL, NULL, CR_GATEWAY_ERROR_UNAUTHORIZED, NULL, 0 },
  { 401, JSON, "{\"success\":false,\"message\":\"无效的令牌\"}", NULL,
    CR_GATEWAY_ERROR_UNAUTHORIZED, "无效的令牌", 0 },
  { 403, JSON, "{\"error\":{\"message\":\"您的 IP 不在令牌允许访问的列表中\",\"code\":\"access_denied\"}}",
    NULL, CR_GATEWAY_ERROR_IP_NOT_ALLOWED, "IP", 0 },
  { 403, JSON, "{\"error\":{\"message\":\"user quota is not enough\",\"code\":\"insufficient_user_quota\"}}",
    NULL, CR_GATEWAY_ERROR_QUOTA, "quota", 0 },
  { 403, JSON, "{\"error\":{\"message\":\"pre-consume failed\",\"code\":\"pre_consume_token_quota_failed\"}}",
    NULL, CR_GATEWAY_ERROR_QUOTA, "pre-consume", 0 },
  { 403, JSON, "{\"error\":{\"message\":\"This token has no access to model gpt-5.4 (request id: 2)\",\"type\":\"new_api_error\"}}",
    NULL, CR_GATEWAY_ERROR_MODEL_NOT_ALLOWED, "gpt-5.4", 0 },
  { 403, JSON, "{\"error\":{\"message\":\"该令牌无权访问模型 gpt-5.4\"}}",
    NULL, CR_GATEWAY_ERROR_MODEL_NOT_ALLOWED, "无权访问模型", 0 },
  { 403, JSON, "{\"error\":{\"message\":\"denied\",\"code\":\"model_not_allowed\"}}",
    NULL, CR_GATEWAY_ERROR_MODEL_NOT_ALLOWED, "denied", 0 },
  { 403, JSON, "{\"error\":{\"message\":\"token disabled\",\"code\":\"forbidden\"}}",
    NULL, CR_GATEWAY_ERROR_FORBIDDEN, "token disabled", 0 },
  { 403, HTML, "<h1>Forbidden</h1>", NULL, CR_GATEWAY_ERROR_FORBIDDEN, NULL, 0 },
  { 404, JSON, "{\"error\":{\"message\":\"Invalid URL (POST /v1/chat/completions/chat/completions)\",\"type\":\"invalid_request_error\"}}",
    NULL, CR_GATEWAY_ERROR_WRONG_BASE_URL, "Invalid URL", 0 },
  { 404, HTML, "<h1>Not found</h1>", NULL, CR_GATEWAY_ERROR_WRONG_BASE_URL, NULL, 0 },
  { 200, HTML, "<!doctype html><html></html>", NULL, CR_GATEWAY_ERROR_WRONG_BASE_URL, NULL, 0 },
  { 200, "text/html; charset=utf-8", "<html></html>", NULL, CR_GATEWAY_ERROR_WRONG_BASE_URL, NULL, 0 },
  { 200, "application/xhtml+xml", "<html></html>", NULL, CR_GATEWAY_ERROR_WRONG_BASE_URL, NULL, 0 },
  { 429, JSON, "{\"error\":{\"message\":\"slow down\"}}", "7", CR_GATEWAY_ERROR_RATE_LIMITED, "slow down", 7 },
  { 429, JSON, NULL, NULL, CR_GATEWAY_ERROR_RATE_LIMITED, NULL, 0 },
  { 429, JSON, NULL, " 12 ", CR_GATEWAY_ERROR_RATE_LIMITED, NULL, 12 },
  { 429, JSON, NULL, "soon", CR_GATEWAY_ERROR_RATE_LIMITED, NULL, 0 },
  { 429, JSON, NULL, "-3", CR_GATEWAY_ERROR_RATE_LIMITED, NULL, 0 },
  { 429, JSON, NULL, "99999999999999999999999", CR_GATEWAY_ERROR_RATE_LIMITED, NULL, 86400 },
  { 429, JSON, NULL, "Wed, 21 Oct 2015 07:28:00 GMT", CR_GATEWAY_ERROR_RATE_LIMITED, NULL, 0 },
  { 503, JSON, "{\"error\":{\"message\":\"No available channel for model x\",\"code\":\"model_not_found\"}}",
    NULL, CR_GATEWAY_ERROR_MODEL_UNAVAILABLE, "No available channel", 0 },
  { 503, JSON, "{\"error\":{\"message\":\"overloaded\"}}", NULL, CR_GATEWAY_ERROR_SERVER, "overloaded", 0 },
  { 500, JSON, "{\"error\":{\"message\":\"boom\",\"code\":500}}", NULL, CR_GATEWAY_ERROR_SERVER, "boom", 0 },
  { 502, HTML, "<html><title>502 Bad Gateway</title></html>", NULL, CR_GATEWAY_ERROR_SERVER, NULL, 0 },
  { 504, NULL, NULL, NULL, CR_GATEWAY_ERROR_SERVER, NULL, 0 },
  { 400, JSON, "{\"error\":{\"message\":\"messages is required\"}}", NULL, CR_GATEWAY_ERROR_HTTP, "messages", 0 },
  { 400, JSON, "{\"error\":\"plain text error\"}", NULL, CR_GATEWAY_ERROR_HTTP, "plain text error", 0 },
  { 418, "text/plain", "teapot", NULL, CR_GATEWAY_ERROR_HTTP, NULL, 0 },
  { 301, NULL, NULL, NULL, CR_GATEWAY_ERROR_HTTP, NULL, 0 },
  /* Billing routes put errors in a 200 answer. */
  { 200, JSON, "{\"error\":{\"message\":\"billing disabled\"}}", NULL, CR_GATEWAY_ERROR_HTTP, "billing disabled", 0 },
  { 200, JSON, "{\"data\":[]}", NULL, CR_GATEWAY_ERROR_MALFORMED, NULL, 0 },
};

static void
test_from_http (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (http_cases); i++)
    {
      const HttpCase *c = &http_cases[i];
      g_autoptr(GBytes) body = c->body ? g_bytes_new_static (c->body, strlen (c->body)) : NULL;
      g_autoptr(GError) error = NULL;
      const char *message;

      g_test_message ("case %u: %u %s", i, c->status, c->body ? c->body : "(no body)");
      error = cr_gateway_error_from_http (c->status, c->content_type, body, c->retry_after);
      g_assert_error (error, CR_GATEWAY_ERROR, (int) c->code);
      g_assert_cmpuint (cr_gateway_error_get_status (error), ==, c->status);
      g_assert_cmpuint (cr_gateway_error_get_retry_after (error), ==, c->retry);

      message = cr_gateway_error_get_server_message (error);
      if (c->message == NULL)
        g_assert_null (message);
      else
        {
          g_assert_nonnull (message);
          g_assert_nonnull (strstr (message, c->message));
          g_assert_nonnull (strstr (error->message, c->message));
        }

      /* The summary names the status; an HTML body never leaks into it. */
      {
        g_autofree char *status = g_strdup_printf ("%u", c->status);

        g_assert_nonnull (strstr (error->message, status));
        g_assert_null (strstr (error->message, "<"));
      }
    }
}

static void
test_retry_after_date (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_seconds (now, 120);
  g_autofree char *header = soup_date_time_to_string (later, SOUP_DATE_HTTP);
  g_autoptr(GError) error = cr_gateway_error_from_http (429, JSON, NULL, header);

  g_assert_error (error, CR_GATEWAY_ERROR, CR_GATEWAY_ERROR_RATE_LIMITED);
  g_assert_cmpuint (cr_gateway_error_get_retry_after (error), >=, 110);
  g_assert_cmpuint (cr_gateway_error_get_retry_after (error), <=, 121);
  g_assert_nonnull (strstr (cr_gateway_error_get_fix (error), "minutes"));
}

static void
test_retry_after_fix (void)
{
  g_autoptr(GError) seven = cr_gateway_error_new (CR_GATEWAY_ERROR_RATE_LIMITED, 429, NULL, 7);
  g_autoptr(GError) one = cr_gateway_error_new (CR_GATEWAY_ERROR_RATE_LIMITED, 429, NULL, 1);
  g_autoptr(GError) none = cr_gateway_error_new (CR_GATEWAY_ERROR_RATE_LIMITED, 429, NULL, 0);
  g_autoptr(GError) copy = g_error_copy (seven);

  g_assert_nonnull (strstr (cr_gateway_error_get_fix (seven), "7 seconds"));
  g_assert_nonnull (strstr (cr_gateway_error_get_fix (one), "1 second."));
  g_assert_cmpstr (cr_gateway_error_get_fix (none), ==,
                   cr_gateway_error_code_fix (CR_GATEWAY_ERROR_RATE_LIMITED));
  g_assert_cmpstr (cr_gateway_error_get_fix (copy), ==, cr_gateway_error_get_fix (seven));
}

static void
test_every_code_explained (void)
{
  g_autoptr(GHashTable) causes = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint code = CR_GATEWAY_ERROR_UNAUTHORIZED; code <= CR_GATEWAY_ERROR_INSECURE_REDIRECT; code++)
    {
      g_autoptr(GError) error = cr_gateway_error_new (code, 0, NULL, 0);
      const char *cause = cr_gateway_error_code_cause (code);
      const char *fix = cr_gateway_error_code_fix (code);

      g_assert_nonnull (cause);
      g_assert_nonnull (fix);
      g_assert_cmpuint (strlen (cause), >, 10);
      g_assert_cmpuint (strlen (fix), >, 10);
      g_assert_cmpstr (cr_gateway_error_get_cause (error), ==, cause);
      g_assert_cmpstr (cr_gateway_error_get_fix (error), ==, fix);
      g_assert_cmpstr (error->message, !=, "");
      g_assert_null (strchr (error->message, '\n'));
      /* Each code says something of its own. */
      g_assert_false (g_hash_table_contains (causes, cause));
      g_hash_table_add (causes, (gpointer) cause);
    }

  /* The guide's facts, where they matter most. */
  g_assert_nonnull (strstr (cr_gateway_error_code_fix (CR_GATEWAY_ERROR_WRONG_BASE_URL),
                            "https://crazyrouter.com/v1"));
  g_assert_nonnull (strstr (cr_gateway_error_code_fix (CR_GATEWAY_ERROR_UNAUTHORIZED), "new token"));
  g_assert_nonnull (strstr (cr_gateway_error_code_fix (CR_GATEWAY_ERROR_MODEL_NOT_ALLOWED), "Allow that model"));
  g_assert_nonnull (strstr (cr_gateway_error_code_fix (CR_GATEWAY_ERROR_QUOTA), "quota cap"));
  g_assert_nonnull (strstr (cr_gateway_error_code_fix (CR_GATEWAY_ERROR_TLS), "date and time"));
  g_assert_nonnull (strstr (cr_gateway_error_code_cause (CR_GATEWAY_ERROR_TLS), "never bypassed"));
}

static void
test_not_our_domain (void)
{
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "x");

  g_assert_nonnull (cr_gateway_error_get_cause (error));
  g_assert_nonnull (cr_gateway_error_get_fix (error));
  g_assert_null (cr_gateway_error_get_server_message (error));
  g_assert_cmpuint (cr_gateway_error_get_status (error), ==, 0);
  g_assert_cmpuint (cr_gateway_error_get_retry_after (error), ==, 0);
}

static void
test_copy_keeps_details (void)
{
  g_autoptr(GError) error = cr_gateway_error_new (CR_GATEWAY_ERROR_RATE_LIMITED, 429, "wait, please", 30);
  g_autoptr(GError) copy = g_error_copy (error);

  g_assert_error (copy, CR_GATEWAY_ERROR, CR_GATEWAY_ERROR_RATE_LIMITED);
  g_assert_cmpstr (cr_gateway_error_get_server_message (copy), ==, "wait, please");
  g_assert_cmpuint (cr_gateway_error_get_status (copy), ==, 429);
  g_assert_cmpuint (cr_gateway_error_get_retry_after (copy), ==, 30);
  g_assert_cmpstr (copy->message, ==, error->message);
}

static void
test_message_summary (void)
{
  g_autoptr(GError) with_status = cr_gateway_error_new (CR_GATEWAY_ERROR_UNAUTHORIZED, 401, "Invalid token", 0);
  g_autoptr(GError) without = cr_gateway_error_new (CR_GATEWAY_ERROR_TIMEOUT, 0, NULL, 0);
  g_autoptr(GError) detail = cr_gateway_error_new_detail (CR_GATEWAY_ERROR_NETWORK, 0, NULL, 0,
                                                          "Network unreachable\n\x1b[0m");
  g_autoptr(GError) empty = cr_gateway_error_new (CR_GATEWAY_ERROR_SERVER, 500, " \n\t\x01 ", 0);

  g_assert_nonnull (strstr (with_status->message, "HTTP 401"));
  g_assert_true (g_str_has_suffix (with_status->message, ": Invalid token"));
  g_assert_null (strstr (without->message, "HTTP"));
  g_assert_true (g_str_has_suffix (detail->message, ": Network unreachable [0m"));
  g_assert_null (cr_gateway_error_get_server_message (detail));
  /* Nothing useful said: no server message. */
  g_assert_null (cr_gateway_error_get_server_message (empty));
}

typedef struct {
  GQuark          domain;
  gint            code;
  CrGatewayError  expected;
} TransportCase;

static void
test_from_transport (void)
{
  const TransportCase cases[] = {
    { G_IO_ERROR, G_IO_ERROR_TIMED_OUT, CR_GATEWAY_ERROR_TIMEOUT },
    { G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED, CR_GATEWAY_ERROR_CONNECTION_REFUSED },
    { G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE, CR_GATEWAY_ERROR_NETWORK },
    { G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE, CR_GATEWAY_ERROR_NETWORK },
    { G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, CR_GATEWAY_ERROR_NETWORK },
    { G_IO_ERROR, G_IO_ERROR_HOST_NOT_FOUND, CR_GATEWAY_ERROR_DNS },
    { G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, CR_GATEWAY_ERROR_DNS },
    { G_RESOLVER_ERROR, G_RESOLVER_ERROR_TEMPORARY_FAILURE, CR_GATEWAY_ERROR_DNS },
    { G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE, CR_GATEWAY_ERROR_TLS },
    { G_TLS_ERROR, G_TLS_ERROR_HANDSHAKE, CR_GATEWAY_ERROR_TLS },
    { G_TLS_ERROR, G_TLS_ERROR_NOT_TLS, CR_GATEWAY_ERROR_TLS },
    { SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_PARSING, CR_GATEWAY_ERROR_MALFORMED },
    { SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_TOO_MANY_REDIRECTS, CR_GATEWAY_ERROR_NETWORK },
    { G_FILE_ERROR, G_FILE_ERROR_FAILED, CR_GATEWAY_ERROR_NETWORK },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) transport = g_error_new_literal (cases[i].domain, cases[i].code, "the system's words");
      g_autoptr(GError) error = cr_gateway_error_from_transport (transport);

      g_assert_error (error, CR_GATEWAY_ERROR, (int) cases[i].expected);
      g_assert_cmpuint (cr_gateway_error_get_status (error), ==, 0);
      g_assert_nonnull (strstr (error->message, "the system's words"));
    }

  /* Cancellation stays GIO's. */
  {
    g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled");
    g_autoptr(GError) same = cr_gateway_error_from_transport (cancelled);

    g_assert_error (same, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  }

  /* Already ours: passed through. */
  {
    g_autoptr(GError) ours = cr_gateway_error_new (CR_GATEWAY_ERROR_TOO_LARGE, 200, NULL, 0);
    g_autoptr(GError) again = cr_gateway_error_from_transport (ours);

    g_assert_error (again, CR_GATEWAY_ERROR, CR_GATEWAY_ERROR_TOO_LARGE);
    g_assert_cmpuint (cr_gateway_error_get_status (again), ==, 200);
  }
}

/* --- cr_text_sanitize --- */

typedef struct {
  const char *input;
  gssize      len;
  guint       max;
  const char *expected;
} SanitizeCase;

static void
test_sanitize_table (void)
{
  const SanitizeCase cases[] = {
    { "plain", -1, 300, "plain" },
    { "  leading and trailing \n", -1, 300, "leading and trailing" },
    { "line one\r\nline two\ttab", -1, 300, "line one line two tab" },
    { "bell\x07 escape\x1b[31m red\x7f del", -1, 300, "bell escape[31m red del" },
    { "c1\xc2\x85next\xc2\x9b", -1, 300, "c1next" },
    { "<b>bold</b> &amp; <a href='x'>link</a>", -1, 300, "<b>bold</b> &amp; <a href='x'>link</a>" },
    { "abc\u202Egnp.exe\u202C", -1, 300, "abcgnp.exe" },
    { "\u2066iso\u2069 \u200Fmark\u200E \u061Calm", -1, 300, "iso mark alm" },
    { "zero\u200Bwidth\uFEFF", -1, 300, "zerowidth" },
    { "tag\U000E0041\U000E0042s", -1, 300, "tags" },
    { "emoji \xf0\x9f\x98\x80 and 错误", -1, 300, "emoji \xf0\x9f\x98\x80 and 错误" },
    { "no\u00A0break\u2028sep", -1, 300, "no break sep" },
    { "bad \xff\xfe utf8", -1, 300, "bad \xef\xbf\xbd\xef\xbf\xbd utf8" },
    { "nul\0hidden", 10, 300, "nul\xef\xbf\xbdhidden" },
    { "", -1, 300, "" },
    { " \t\n ", -1, 300, "" },
    { "abcde", -1, 5, "abcde" },
    { "abcdef", -1, 5, "abcd…" },
    { "ab    cdef", -1, 4, "ab…" },
    { "错误错误错误", -1, 3, "错误…" },
    { "abc", -1, 1, "…" },
    { "no cap at all", -1, 0, "no cap at all" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = cr_text_sanitize (cases[i].input, cases[i].len, cases[i].max);

      g_test_message ("case %u", i);
      g_assert_cmpstr (out, ==, cases[i].expected);
      g_assert_true (g_utf8_validate (out, -1, NULL));
    }

  {
    g_autofree char *out = cr_text_sanitize (NULL, -1, 10);

    g_assert_cmpstr (out, ==, "");
  }
}

static void
test_sanitize_megabyte (void)
{
  gsize size = 1024 * 1024;
  g_autofree char *big = g_malloc (size + 1);
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < size; i++)
    big[i] = (i % 97 == 0) ? '\x01' : 'a' + i % 26;
  big[size] = '\0';

  out = cr_text_sanitize (big, -1, CR_GATEWAY_MESSAGE_MAX_CHARS);
  g_assert_cmpuint (g_utf8_strlen (out, -1), ==, CR_GATEWAY_MESSAGE_MAX_CHARS);
  g_assert_true (g_str_has_suffix (out, "…"));

  error = cr_gateway_error_new (CR_GATEWAY_ERROR_HTTP, 400, big, 0);
  g_assert_cmpuint (g_utf8_strlen (cr_gateway_error_get_server_message (error), -1), <=,
                    CR_GATEWAY_MESSAGE_MAX_CHARS);
  g_assert_cmpuint (strlen (error->message), <, 2048);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gateway-error/from-http", test_from_http);
  g_test_add_func ("/gateway-error/retry-after/date", test_retry_after_date);
  g_test_add_func ("/gateway-error/retry-after/fix", test_retry_after_fix);
  g_test_add_func ("/gateway-error/every-code-explained", test_every_code_explained);
  g_test_add_func ("/gateway-error/not-our-domain", test_not_our_domain);
  g_test_add_func ("/gateway-error/copy-keeps-details", test_copy_keeps_details);
  g_test_add_func ("/gateway-error/message-summary", test_message_summary);
  g_test_add_func ("/gateway-error/from-transport", test_from_transport);
  g_test_add_func ("/sanitize/table", test_sanitize_table);
  g_test_add_func ("/sanitize/megabyte", test_sanitize_megabyte);

  return g_test_run ();
}
