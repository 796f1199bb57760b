/* cr-cursor-checks.h: the checklist's verdicts on Cursor's own settings
 *
 * Pure functions over a CrCursorSnapshot, so the tests can drive every case
 * and a page could show a verdict without a run. When the snapshot is not
 * FOUND every verdict is "needs you", with the reason and where to look in
 * Cursor Settings → Models: never a pass on what could not be read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "cr-check-item.h"
#include "cr-cursor.h"

G_BEGIN_DECLS

/* Said once with the Cursor items (not in each): the file they read may
 * lag behind a running Cursor. Translated. */
const char *cr_cursor_checks_lag_note   (void);

/* "cursor-key": an OpenAI key row is saved and its switch is on. */
void      cr_cursor_judge_key           (CrCheckItem            *item,
                                         const CrCursorSnapshot *snapshot);
/* "cursor-base-url": Override OpenAI Base URL is exactly @base_url (the
 * checklist's own), shown as found. A loopback or private-network @base_url
 * is a warning even when it matches: Cursor calls it from its own servers. */
void      cr_cursor_judge_base_url      (CrCheckItem            *item,
                                         const CrCursorSnapshot *snapshot,
                                         const char             *base_url);
/* "cursor-model": @model is enabled in Cursor; custom models (or @model)
 * that Cursor sends to its Anthropic or Google key are warnings. */
void      cr_cursor_judge_model         (CrCheckItem            *item,
                                         const CrCursorSnapshot *snapshot,
                                         const char             *model);

/* The model Cursor's Verify would use: the first model enabled in Cursor
 * that goes to the OpenAI key and that @allowed (model ids the token may
 * use; NULL = any) contains; else @chosen. */
char     *cr_cursor_verify_model        (const CrCursorSnapshot *snapshot,
                                         const char * const     *allowed,
                                         const char             *chosen);

/* TRUE when @url's host is this computer or a private network (10.x,
 * 192.168.x, fd00::/8, "nas.local", a name without a dot …): not reachable
 * from Cursor's servers. */
gboolean  cr_cursor_url_is_private      (const char             *url);

G_END_DECLS
