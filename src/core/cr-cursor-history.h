/* cr-cursor-history.h: what changed in Cursor since the last check
 *
 * The app remembers Cursor's version and the snapshot's non-secret facts
 * (cr_cursor_snapshot_to_variant()) in GSettings ("cursor-version",
 * "cursor-facts"). Given those and a fresh snapshot, this says whether
 * Cursor was updated and which checklist items look at something that
 * changed, so a re-run after an update can say so.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "cr-cursor.h"

G_BEGIN_DECLS

typedef struct {
  gboolean         remembered;        /* an earlier check left facts or a version */
  char            *previous_version;  /* NULL: unknown, or nothing remembered */
  char            *current_version;   /* NULL: unknown */
  gboolean         updated;           /* both versions known, and they differ */
  CrCursorChanges  changes;           /* facts that differ (NONE when nothing was remembered) */
} CrCursorHistory;

/* @previous_version may be NULL or "" (unknown); @previous_facts may be NULL
 * or an empty a{sv} (nothing remembered). Facts of another format count as
 * nothing remembered. The version comes from @previous_version, else from
 * the facts. */
CrCursorHistory *cr_cursor_history_new           (const char             *previous_version,
                                                  GVariant               *previous_facts,
                                                  const CrCursorSnapshot *current);
void             cr_cursor_history_free          (CrCursorHistory        *history);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrCursorHistory, cr_cursor_history_free)

/* Whether the checklist item @item_id ("cursor-key", "cursor-base-url",
 * "cursor-model") looks at something that changed. */
gboolean         cr_cursor_history_item_changed  (const CrCursorHistory  *history,
                                                  const char             *item_id);

/* What to remember after a check. *version is the version to store under
 * "cursor-version" (NULL: keep the stored one: unknown now is no news);
 * *facts is a new a{sv} for "cursor-facts", or NULL to keep the stored
 * facts (Cursor's settings could not be read this time, which says nothing
 * about them). */
void             cr_cursor_history_to_remember   (const CrCursorSnapshot *snapshot,
                                                  char                  **version,
                                                  GVariant              **facts);

G_END_DECLS
