/* fuzz-gateway.c: every parser of the gateway's answers, on one body
 *
 * The first byte picks the HTTP status, Content-Type and Retry-After the
 * body is mapped with (cr_gateway_error_from_http) and the cap for
 * cr_text_sanitize; the rest is the body, fed to every parser. Each must
 * either return a well-formed result or a MALFORMED error whose message is
 * safe to show — never both, never neither.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "cr-gateway-error.h"
#include "cr-gateway-parse.h"
#include "cr-text.h"
#include "cr-fuzz.h"

typedef struct {
  guint       status;
  const char *content_type;
  const char *retry_after;   /* "body": the body's first line */
  guint       max_chars;     /* for cr_text_sanitize */
} Variant;

/* 16 of them, so a seed file's first character picks one by name:
 * '@' is 0, 'A' is 1 … 'O' is 15. */
static const Variant variants[] = {
  { 401, "application/json", NULL, 0 },
  { 403, "application/json; charset=utf-8", NULL, CR_GATEWAY_MESSAGE_MAX_CHARS },
  { 404, "application/json", NULL, 1 },
  { 429, "application/json", "7", 2 },
  { 429, "application/json", "body", 3 },
  { 429, NULL, "Wed, 21 Oct 2015 07:28:00 GMT", 80 },
  { 500, "text/plain", NULL, 0 },
  { 502, "text/html; charset=utf-8", NULL, 10 },
  { 503, "application/json", NULL, CR_GATEWAY_MESSAGE_MAX_CHARS },
  { 200, "text/html", NULL, 0 },
  { 200, "application/json", NULL, 4 },
  { 201, NULL, NULL, 5 },
  { 302, "application/json", NULL, 0 },
  { 418, "  TEXT/HTML", NULL, 1000 },
  { 0, NULL, NULL, 0 },
  { 599, "application/problem+json", "body", 64 },
};

/* What a parser hands on reaches labels and GVariants: valid UTF-8 only. */
static gboolean
valid_or_null (const char *text)
{
  return text == NULL || g_utf8_validate (text, -1, NULL);
}

static void
check_error (const GError *error,
             gboolean      from_parser)
{
  const char *server_message;

  CR_FUZZ_CHECK (error != NULL);
  CR_FUZZ_CHECK (error->domain == CR_GATEWAY_ERROR);
  CR_FUZZ_CHECK (error->code >= 0 && error->code <= CR_GATEWAY_ERROR_INSECURE_REDIRECT);
  if (from_parser)
    CR_FUZZ_CHECK (error->code == CR_GATEWAY_ERROR_MALFORMED);

  CR_FUZZ_CHECK (error->message != NULL && g_utf8_validate (error->message, -1, NULL));
  CR_FUZZ_CHECK (cr_gateway_error_get_cause (error) != NULL);
  CR_FUZZ_CHECK (cr_gateway_error_get_fix (error) != NULL);

  server_message = cr_gateway_error_get_server_message (error);
  if (server_message != NULL)
    {
      CR_FUZZ_CHECK (cr_fuzz_is_clean_text (server_message));
      CR_FUZZ_CHECK (g_utf8_strlen (server_message, -1) <= CR_GATEWAY_MESSAGE_MAX_CHARS);
    }
}

static void
check_models (GBytes *body)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) models = cr_parse_models (body, &error);

  CR_FUZZ_CHECK ((models == NULL) != (error == NULL));
  if (models == NULL)
    {
      check_error (error, TRUE);
      return;
    }

  for (guint i = 0; i < models->len; i++)
    {
      CrModel *model = g_ptr_array_index (models, i);

      CR_FUZZ_CHECK (model->id != NULL && *model->id != '\0');
      CR_FUZZ_CHECK (valid_or_null (model->id) && valid_or_null (model->owned_by));
      if (i > 0)
        CR_FUZZ_CHECK (strcmp (((CrModel *) g_ptr_array_index (models, i - 1))->id, model->id) <= 0);
    }
}

static void
check_chat_result (CrChatResult *result,
                   GError       *error)
{
  CR_FUZZ_CHECK ((result == NULL) != (error == NULL));
  if (result == NULL)
    {
      check_error (error, TRUE);
      return;
    }

  CR_FUZZ_CHECK (result->reply != NULL);
  CR_FUZZ_CHECK (valid_or_null (result->reply) && valid_or_null (result->model));
}

static void
check_usage (GBytes *body)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrTokenUsage) usage = cr_parse_token_usage (body, &error);

  CR_FUZZ_CHECK ((usage == NULL) != (error == NULL));
  if (usage == NULL)
    {
      check_error (error, TRUE);
      return;
    }

  CR_FUZZ_CHECK (usage->model_limits != NULL);
  CR_FUZZ_CHECK (usage->expires_at >= 0);
  CR_FUZZ_CHECK (valid_or_null (usage->name));
  for (guint i = 0; usage->model_limits[i] != NULL; i++)
    {
      CR_FUZZ_CHECK (*usage->model_limits[i] != '\0');
      CR_FUZZ_CHECK (valid_or_null (usage->model_limits[i]));
      if (i > 0)
        CR_FUZZ_CHECK (strcmp (usage->model_limits[i - 1], usage->model_limits[i]) <= 0);
    }
}

static void
check_quota_per_unit (GBytes *body)
{
  g_autoptr(GError) error = NULL;
  gint64 quota_per_unit = cr_parse_quota_per_unit (body, &error);

  CR_FUZZ_CHECK ((quota_per_unit < 0) == (error != NULL));
  if (error != NULL)
    check_error (error, TRUE);
}

static void
check_logs (GBytes *body)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) logs = cr_parse_token_logs (body, &error);

  CR_FUZZ_CHECK ((logs == NULL) != (error == NULL));
  if (logs == NULL)
    {
      check_error (error, TRUE);
      return;
    }

  for (guint i = 0; i < logs->len; i++)
    {
      CrLogEntry *entry = g_ptr_array_index (logs, i);

      CR_FUZZ_CHECK (valid_or_null (entry->token_name) && valid_or_null (entry->model_name)
                     && valid_or_null (entry->content));
      if (i > 0)
        CR_FUZZ_CHECK (((CrLogEntry *) g_ptr_array_index (logs, i - 1))->created_at >= entry->created_at);
    }
}

static void
check_envelope (GBytes *body)
{
  g_autofree char *message = NULL;
  g_autofree char *code = NULL;
  gboolean found = cr_parse_error_envelope (body, &message, &code);

  CR_FUZZ_CHECK (found == (message != NULL || code != NULL));
  CR_FUZZ_CHECK (valid_or_null (message) && valid_or_null (code));
  /* NULL out-arguments are allowed. */
  CR_FUZZ_CHECK (cr_parse_error_envelope (body, NULL, NULL) == found);
}

static void
check_from_http (const Variant *variant,
                 GBytes        *body,
                 const char    *body_text)
{
  g_autofree char *first_line = NULL;
  g_autoptr(GError) error = NULL;
  const char *retry_after = variant->retry_after;

  if (g_strcmp0 (retry_after, "body") == 0)
    retry_after = first_line = g_strndup (body_text, strcspn (body_text, "\r\n"));

  error = cr_gateway_error_from_http (variant->status, variant->content_type, body, retry_after);
  check_error (error, FALSE);
  CR_FUZZ_CHECK (cr_gateway_error_get_status (error) == variant->status);
  if (error->code != CR_GATEWAY_ERROR_RATE_LIMITED)
    CR_FUZZ_CHECK (cr_gateway_error_get_retry_after (error) == 0);

  /* Without a body, too. */
  g_clear_error (&error);
  error = cr_gateway_error_from_http (variant->status, variant->content_type, NULL, retry_after);
  check_error (error, FALSE);
}

/* @text is @data up to its first NUL, for the NUL-terminated form. */
static void
check_sanitize (const char *data,
                gsize       size,
                const char *text,
                guint       max_chars)
{
  g_autofree char *clean = cr_text_sanitize (data, size, max_chars);
  g_autofree char *clean_nul = cr_text_sanitize (text, -1, max_chars);

  CR_FUZZ_CHECK (cr_fuzz_is_clean_text (clean));
  CR_FUZZ_CHECK (cr_fuzz_is_clean_text (clean_nul));
  if (max_chars > 0)
    CR_FUZZ_CHECK (g_utf8_strlen (clean, -1) <= max_chars);

  /* White space folded: never at the ends, never two in a row. */
  CR_FUZZ_CHECK (clean[0] != ' ');
  CR_FUZZ_CHECK (strstr (clean, "  ") == NULL);
}

int
cr_fuzz_gateway (const uint8_t *data,
                 size_t         size)
{
  const Variant *variant;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *body_text = NULL;

  if (size == 0)
    return 0;

  variant = &variants[data[0] % G_N_ELEMENTS (variants)];
  /* The fuzzer's own buffer, so a read past the end is caught. */
  body = g_bytes_new_static (data + 1, size - 1);
  body_text = g_strndup ((const char *) data + 1, size - 1);

  check_models (body);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(CrChatResult) chat = cr_parse_chat (body, &error);

    check_chat_result (chat, error);
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(CrChatResult) chat = cr_parse_chat_stream (body, &error);

    check_chat_result (chat, error);
  }
  check_usage (body);
  check_logs (body);
  check_quota_per_unit (body);
  check_envelope (body);
  check_from_http (variant, body, body_text);
  check_sanitize ((const char *) data + 1, size - 1, body_text, variant->max_chars);

  return 0;
}

CR_FUZZ_DEFINE_ENTRY (cr_fuzz_gateway)
