/* cr-cursor-history.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cr-check-ids.h"
#include "cr-cursor-history.h"

static char *
nonempty (const char *text)
{
  return text != NULL && *text != '\0' ? g_strdup (text) : NULL;
}

CrCursorHistory *
cr_cursor_history_new (const char             *previous_version,
                       GVariant               *previous_facts,
                       const CrCursorSnapshot *current)
{
  CrCursorHistory *history;
  g_autoptr(CrCursorSnapshot) before = NULL;

  g_return_val_if_fail (current != NULL, NULL);

  history = g_new0 (CrCursorHistory, 1);
  history->previous_version = nonempty (previous_version);
  history->current_version = g_strdup (current->version);

  if (previous_facts != NULL && g_variant_is_of_type (previous_facts, G_VARIANT_TYPE_VARDICT)
      && g_variant_n_children (previous_facts) > 0)
    before = cr_cursor_snapshot_from_variant (previous_facts);

  if (before != NULL)
    {
      history->changes = cr_cursor_snapshot_compare (before, current);
      if (history->previous_version == NULL)
        history->previous_version = g_strdup (before->version);
    }

  history->remembered = before != NULL || history->previous_version != NULL;
  history->updated = history->previous_version != NULL && history->current_version != NULL
                     && g_strcmp0 (history->previous_version, history->current_version) != 0;

  return history;
}

void
cr_cursor_history_free (CrCursorHistory *history)
{
  if (history == NULL)
    return;

  g_free (history->previous_version);
  g_free (history->current_version);
  g_free (history);
}

gboolean
cr_cursor_history_item_changed (const CrCursorHistory *history,
                                const char            *item_id)
{
  CrCursorChanges mask = CR_CURSOR_CHANGED_NONE;

  g_return_val_if_fail (history != NULL, FALSE);
  g_return_val_if_fail (item_id != NULL, FALSE);

  /* Found now but not before, or the other way round: everything is news. */
  if (g_str_equal (item_id, CR_CHECK_CURSOR_KEY))
    mask = CR_CURSOR_CHANGED_STATUS | CR_CURSOR_CHANGED_KEY_PRESENT | CR_CURSOR_CHANGED_USE_OPENAI_KEY;
  else if (g_str_equal (item_id, CR_CHECK_CURSOR_BASE_URL))
    mask = CR_CURSOR_CHANGED_STATUS | CR_CURSOR_CHANGED_BASE_URL;
  else if (g_str_equal (item_id, CR_CHECK_CURSOR_MODEL))
    mask = CR_CURSOR_CHANGED_STATUS | CR_CURSOR_CHANGED_ENABLED_MODELS | CR_CURSOR_CHANGED_CUSTOM_MODELS;

  return (history->changes & mask) != 0;
}

void
cr_cursor_history_to_remember (const CrCursorSnapshot  *snapshot,
                               char                   **version,
                               GVariant               **facts)
{
  g_return_if_fail (snapshot != NULL);
  g_return_if_fail (version != NULL && facts != NULL);

  *version = g_strdup (snapshot->version);
  *facts = snapshot->status == CR_CURSOR_FOUND
           ? g_variant_ref_sink (cr_cursor_snapshot_to_variant (snapshot))
           : NULL;
}
