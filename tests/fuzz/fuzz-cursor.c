/* fuzz-cursor.c: Cursor's BYOK settings blob
 *
 * The JSON that Cursor (or anything else) left in its settings row: either
 * refused with the snapshot untouched, or read into sorted, bounded model
 * lists and a base URL with any pasted key masked. What is read survives
 * being remembered (to a GVariant and back) unchanged.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "cr-cursor.h"
#include "cr-fuzz.h"

static void
check_names (GStrv names)
{
  CR_FUZZ_CHECK (names != NULL);
  CR_FUZZ_CHECK (g_strv_length (names) <= 4096);

  for (guint i = 0; names[i] != NULL; i++)
    {
      CR_FUZZ_CHECK (*names[i] != '\0' && strlen (names[i]) <= 256);
      CR_FUZZ_CHECK (cr_fuzz_is_clean_text (names[i]));
      if (i > 0)
        CR_FUZZ_CHECK (strcmp (names[i - 1], names[i]) < 0);
    }
}

static gboolean
is_key_char (char c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '_';
}

/* No "sk-" followed by eight key characters: a pasted key is masked. */
static gboolean
holds_key (const char *text)
{
  for (const char *p = strstr (text, "sk-"); p != NULL; p = strstr (p + 1, "sk-"))
    {
      gsize n = 0;

      if (p > text && is_key_char (p[-1]))
        continue;
      while (is_key_char (p[3 + n]))
        n++;
      if (n >= 8)
        return TRUE;
    }

  return FALSE;
}

static void
check_unchanged (const CrCursorSnapshot *snapshot)
{
  CR_FUZZ_CHECK (!snapshot->settings_found);
  CR_FUZZ_CHECK (snapshot->use_openai_key == CR_CURSOR_UNKNOWN);
  CR_FUZZ_CHECK (snapshot->openai_base_url == NULL);
  CR_FUZZ_CHECK (!snapshot->models_known);
  CR_FUZZ_CHECK (snapshot->enabled_models[0] == NULL);
  CR_FUZZ_CHECK (snapshot->disabled_models[0] == NULL);
  CR_FUZZ_CHECK (snapshot->custom_models[0] == NULL);
}

static void
check_remembered (CrCursorSnapshot *snapshot)
{
  g_autoptr(GVariant) facts = NULL;
  g_autoptr(CrCursorSnapshot) back = NULL;
  g_autoptr(CrCursorSnapshot) copy = NULL;

  snapshot->status = CR_CURSOR_FOUND;
  snapshot->problem = CR_CURSOR_PROBLEM_NONE;

  facts = g_variant_ref_sink (cr_cursor_snapshot_to_variant (snapshot));
  back = cr_cursor_snapshot_from_variant (facts);
  CR_FUZZ_CHECK (back != NULL);
  CR_FUZZ_CHECK (cr_cursor_snapshot_compare (snapshot, back) == CR_CURSOR_CHANGED_NONE);

  copy = cr_cursor_snapshot_copy (snapshot);
  CR_FUZZ_CHECK (cr_cursor_snapshot_compare (snapshot, copy) == CR_CURSOR_CHANGED_NONE);
}

int
cr_fuzz_cursor (const uint8_t *data,
                size_t         size)
{
  g_autoptr(CrCursorSnapshot) snapshot = cr_cursor_snapshot_new ();

  if (!cr_cursor_parse_settings ((const char *) data, size, snapshot))
    {
      check_unchanged (snapshot);
      return 0;
    }

  CR_FUZZ_CHECK (snapshot->settings_found);
  CR_FUZZ_CHECK (!snapshot->key_present);
  check_names (snapshot->enabled_models);
  check_names (snapshot->disabled_models);
  check_names (snapshot->custom_models);

  /* Cursor's rule: what the user switched off is not enabled. */
  for (guint i = 0; snapshot->disabled_models[i] != NULL; i++)
    CR_FUZZ_CHECK (!g_strv_contains ((const char * const *) snapshot->enabled_models,
                                     snapshot->disabled_models[i]));

  if (snapshot->openai_base_url != NULL)
    {
      g_autofree char *redacted = cr_cursor_redact_url (snapshot->openai_base_url);

      CR_FUZZ_CHECK (*snapshot->openai_base_url != '\0');
      CR_FUZZ_CHECK (g_utf8_validate (snapshot->openai_base_url, -1, NULL));
      CR_FUZZ_CHECK (!holds_key (snapshot->openai_base_url));
      CR_FUZZ_CHECK (redacted != NULL && !holds_key (redacted));
      CR_FUZZ_CHECK (strchr (redacted, '?') == NULL || g_str_has_suffix (redacted, "?…"));
    }

  check_remembered (snapshot);

  return 0;
}

CR_FUZZ_DEFINE_ENTRY (cr_fuzz_cursor)
