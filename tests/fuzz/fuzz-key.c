/* fuzz-key.c: paste-cleaning, format check and masking of keys
 *
 * Whatever lands in the key field: cleaning only ever removes, a key the
 * check calls good has the shape of one, the check's message never quotes
 * the key, and a mask never shows more than the last four characters.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "cr-key.h"
#include "cr-fuzz.h"

#define MASK_MAX_BYTES (strlen ("sk-…") + 4)

static void
check_mask (const char *key)
{
  g_autofree char *mask = cr_key_mask (key);
  const char *ellipsis;
  gsize tail;

  CR_FUZZ_CHECK (mask != NULL);
  if (*key == '\0')
    {
      CR_FUZZ_CHECK (*mask == '\0');
      return;
    }

  CR_FUZZ_CHECK (strlen (mask) <= MASK_MAX_BYTES);
  ellipsis = strstr (mask, "…");
  CR_FUZZ_CHECK (ellipsis != NULL);

  /* What shows is the key's own end, and at most a third of it. */
  tail = strlen (ellipsis + strlen ("…"));
  CR_FUZZ_CHECK (tail <= 4 && tail * 3 <= strlen (key));
  CR_FUZZ_CHECK (g_str_has_suffix (key, ellipsis + strlen ("…")));
}

static void
check_key (const char *key)
{
  g_autofree char *message = NULL;
  CrKeyIssue issue = cr_key_check (key, &message);

  CR_FUZZ_CHECK (issue <= CR_KEY_TOO_LONG);
  CR_FUZZ_CHECK (message != NULL && g_utf8_validate (message, -1, NULL));
  /* Longer than any word of ours: the message must not quote it. */
  if (strlen (key) >= 16)
    CR_FUZZ_CHECK (strstr (message, key) == NULL);

  if (issue == CR_KEY_OK)
    {
      CR_FUZZ_CHECK (g_str_has_prefix (key, "sk-"));
      CR_FUZZ_CHECK (strlen (key) >= 3 + 12);
      for (const char *p = key; *p != '\0'; p++)
        CR_FUZZ_CHECK (g_ascii_isalnum (*p) || *p == '-' || *p == '_');
    }
  if (*key == '\0')
    CR_FUZZ_CHECK (issue == CR_KEY_EMPTY);
}

int
cr_fuzz_key (const uint8_t *data,
             size_t         size)
{
  g_autofree char *pasted = g_strndup ((const char *) data, size);
  char *key = cr_key_clean (pasted);

  CR_FUZZ_CHECK (key != NULL);
  CR_FUZZ_CHECK (strlen (key) <= strlen (pasted));
  CR_FUZZ_CHECK (strchr (key, ' ') == NULL);

  check_key (key);
  check_mask (key);
  /* What the field holds before cleaning goes through them too. */
  check_key (pasted);
  check_mask (pasted);

  cr_key_free (key);
  cr_key_free (NULL);

  return 0;
}

CR_FUZZ_DEFINE_ENTRY (cr_fuzz_key)
