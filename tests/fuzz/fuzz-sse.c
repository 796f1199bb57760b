/* fuzz-sse.c: the chat stream (server-sent events) parser
 *
 * A stream that the gateway cut, garbled or padded: either the joined reply
 * or a MALFORMED error that is safe to show, and nothing read past the end.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "cr-gateway-error.h"
#include "cr-gateway-parse.h"
#include "cr-fuzz.h"

/* Like memmem(): the input may hold NULs. */
static gboolean
holds_done (const uint8_t *data,
            size_t         size)
{
  for (size_t i = 0; i + strlen ("[DONE]") <= size; i++)
    if (memcmp (data + i, "[DONE]", strlen ("[DONE]")) == 0)
      return TRUE;

  return FALSE;
}

int
cr_fuzz_sse (const uint8_t *data,
             size_t         size)
{
  g_autoptr(GBytes) body = g_bytes_new_static (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(CrChatResult) result = cr_parse_chat_stream (body, &error);

  CR_FUZZ_CHECK ((result == NULL) != (error == NULL));

  if (result == NULL)
    {
      const char *server_message = cr_gateway_error_get_server_message (error);

      CR_FUZZ_CHECK (g_error_matches (error, CR_GATEWAY_ERROR, CR_GATEWAY_ERROR_MALFORMED));
      CR_FUZZ_CHECK (g_utf8_validate (error->message, -1, NULL));
      CR_FUZZ_CHECK (server_message == NULL || cr_fuzz_is_clean_text (server_message));
      return 0;
    }

  /* A stream only succeeds once it said [DONE]. */
  CR_FUZZ_CHECK (size >= strlen ("data:[DONE]"));
  CR_FUZZ_CHECK (holds_done (data, size));
  CR_FUZZ_CHECK (result->reply != NULL && g_utf8_validate (result->reply, -1, NULL));
  CR_FUZZ_CHECK (result->model == NULL || g_utf8_validate (result->model, -1, NULL));
  CR_FUZZ_CHECK (result->prompt_tokens >= -1);

  return 0;
}

CR_FUZZ_DEFINE_ENTRY (cr_fuzz_sse)
