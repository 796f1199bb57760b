/* cr-gateway-parse-chat.c: the answer to a chat request, plain or streamed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "cr-gateway-parse.h"
#include "cr-gateway-parse-private.h"

static gboolean
parse_usage (JsonObject    *object,
             CrChatResult  *result,
             GError       **error)
{
  JsonObject *usage;

  if (!_cr_parse_member_object (object, "usage", FALSE, &usage, error))
    return FALSE;
  if (usage == NULL)
    return TRUE;

  if (!_cr_parse_member_int (usage, "prompt_tokens", FALSE, -1, &result->prompt_tokens, error) ||
      !_cr_parse_member_int (usage, "completion_tokens", FALSE, -1, &result->completion_tokens, error) ||
      !_cr_parse_member_int (usage, "total_tokens", FALSE, -1, &result->total_tokens, error))
    return FALSE;

  if (result->total_tokens < 0 && result->prompt_tokens >= 0 && result->completion_tokens >= 0)
    result->total_tokens = result->prompt_tokens + result->completion_tokens;
  return TRUE;
}

static CrChatResult *
chat_result_new (void)
{
  CrChatResult *result = g_new0 (CrChatResult, 1);

  result->prompt_tokens = -1;
  result->completion_tokens = -1;
  result->total_tokens = -1;
  return result;
}

CrChatResult *
cr_parse_chat (GBytes  *body,
               GError **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(CrChatResult) result = chat_result_new ();
  JsonObject *root;
  JsonObject *choice;
  JsonObject *message;
  JsonArray *choices;

  if (!(parser = _cr_parse_load_json (body, error)) ||
      !(root = _cr_parse_root_object (parser, error)) ||
      !_cr_parse_check_error_member (root, error) ||
      !_cr_parse_member_array (root, "choices", TRUE, &choices, error))
    return NULL;

  if (json_array_get_length (choices) == 0)
    {
      _cr_parse_fail (error, NULL, _("The answer has no choices"));
      return NULL;
    }

  if (!(choice = _cr_parse_array_object (choices, 0, "choices", error)) ||
      !_cr_parse_member_object (choice, "message", TRUE, &message, error) ||
      !_cr_parse_member_string (message, "content", FALSE, &result->reply, error) ||
      !_cr_parse_member_string (root, "model", FALSE, &result->model, error) ||
      !parse_usage (root, result, error))
    return NULL;

  if (result->reply == NULL)
    result->reply = g_strdup ("");

  return g_steal_pointer (&result);
}

static gboolean
parse_stream_chunk (const char    *data,
                    CrChatResult  *result,
                    GString       *reply,
                    GError       **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, strlen (data));
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *model = NULL;
  g_autofree char *content = NULL;
  JsonObject *root;
  JsonObject *choice;
  JsonObject *delta;
  JsonArray *choices;

  if (!(parser = _cr_parse_load_json (bytes, error)) ||
      !(root = _cr_parse_root_object (parser, error)) ||
      !_cr_parse_check_error_member (root, error) ||
      !_cr_parse_member_array (root, "choices", FALSE, &choices, error) ||
      !_cr_parse_member_string (root, "model", FALSE, &model, error) ||
      !parse_usage (root, result, error))
    return FALSE;

  if (model != NULL)
    {
      g_free (result->model);
      result->model = g_steal_pointer (&model);
    }

  if (choices == NULL || json_array_get_length (choices) == 0)
    return TRUE;

  if (!(choice = _cr_parse_array_object (choices, 0, "choices", error)) ||
      !_cr_parse_member_object (choice, "delta", FALSE, &delta, error))
    return FALSE;
  if (delta == NULL)
    return TRUE;

  if (!_cr_parse_member_string (delta, "content", FALSE, &content, error))
    return FALSE;
  if (content != NULL)
    g_string_append (reply, content);
  return TRUE;
}

CrChatResult *
cr_parse_chat_stream (GBytes  *body,
                      GError **error)
{
  g_autoptr(CrChatResult) result = chat_result_new ();
  g_autoptr(GString) reply = g_string_new (NULL);
  g_autoptr(GString) event = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;
  g_autofree char *text = NULL;
  gboolean have_data = FALSE;
  gboolean done = FALSE;
  const char *data;
  gsize len = 0;

  data = body ? g_bytes_get_data (body, &len) : NULL;
  if (data == NULL || len == 0)
    {
      _cr_parse_fail (error, NULL, _("The answer is empty"));
      return NULL;
    }

  text = g_utf8_make_valid (data, len);
  lines = g_strsplit (text, "\n", -1);

  /* One event per blank line; its "data:" lines joined (the SSE rule). The
   * loop runs one step past the end so the last event is dispatched too. */
  for (guint i = 0; !done && (i == 0 || lines[i - 1] != NULL); i++)
    {
      char *line = lines[i];
      gsize line_len;

      if (line != NULL && (line_len = strlen (line)) > 0 && line[line_len - 1] == '\r')
        line[--line_len] = '\0';

      if (line == NULL || *line == '\0')
        {
          if (have_data)
            {
              if (g_strcmp0 (g_strstrip (event->str), "[DONE]") == 0)
                done = TRUE;
              else if (!parse_stream_chunk (event->str, result, reply, error))
                return NULL;
            }
          g_string_truncate (event, 0);
          have_data = FALSE;
          continue;
        }

      if (g_str_has_prefix (line, "data:"))
        {
          const char *value = line + 5;

          if (*value == ' ')
            value++;
          if (have_data)
            g_string_append_c (event, '\n');
          g_string_append (event, value);
          have_data = TRUE;
        }
      /* Comments (":"), "event:", "id:", "retry:" carry nothing for us. */
    }

  if (!done)
    {
      _cr_parse_fail (error, NULL, _("The stream ended before the gateway said it was done"));
      return NULL;
    }

  result->reply = g_string_free (g_steal_pointer (&reply), FALSE);
  return g_steal_pointer (&result);
}
