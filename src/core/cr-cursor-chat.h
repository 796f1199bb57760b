/* cr-cursor-chat.h: did Cursor's own request reach the gateway?
 *
 * Cursor sends its chat requests from its own servers, so no check from
 * this computer proves that they work. What does is the token's logs: the
 * token is Cursor's alone, so an entry that this app did not make is
 * Cursor's. These pure functions find that entry and put it into words for
 * the "cursor-chat" item; the checklist reads the logs and calls them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "cr-check-item.h"
#include "cr-gateway.h"

G_BEGIN_DECLS

/* Cursor's newest request in @logs (newest first): the newest consume or
 * error entry created at or after @since (0: any) that none of @sent
 * (CrSentRequest*, may be NULL) explains. Each of ours explains at most one
 * entry, the closest in time: the same model and streaming, a consume
 * entry when it was answered and an error entry when it failed, created
 * while it was out (give or take the clocks' skew). An entry that looks
 * like one of this app's checks (not streamed, a prompt of a few tokens) is
 * never Cursor's: it may be from an earlier run. NULL when none is left. */
const CrLogEntry *cr_cursor_chat_find   (GPtrArray        *logs,
                                         GPtrArray        *sent,
                                         gint64            since,
                                         gint64            now);

/* The kind of failure an error entry's message names (new-api writes the
 * relay's error there), as the error code every surface puts into words;
 * *responses_shape is set when it is Cursor 3.x's Responses-API body
 * refused ("field messages is required"). */
CrGatewayError    cr_cursor_chat_error_code (const char    *content,
                                         gboolean         *responses_shape);

/* @entry arrived: passed with what it was (model, tokens, cost, how long
 * ago, streamed or not), or failed with the error's cause and fix.
 * @quota_per_unit (0: unknown) turns quota into dollars. An entry older
 * than a day is not taken as today's proof: needs you. */
void      cr_cursor_chat_judge_seen     (CrCheckItem      *item,
                                         const CrLogEntry *entry,
                                         gint64            quota_per_unit,
                                         gint64            now);
/* Still watching: what to do in Cursor, and how long it is watched. */
void      cr_cursor_chat_judge_waiting  (CrCheckItem      *item,
                                         const char       *model,
                                         guint             seconds_left);
/* Nothing of Cursor's arrived: after a watch of @watched seconds, or (0)
 * in one look at the recent logs. */
void      cr_cursor_chat_judge_nothing  (CrCheckItem      *item,
                                         const char       *model,
                                         guint             watched);
/* The logs could not be read (@error: the gateway does not show them, the
 * key was refused, the network …). A 429 says when to look again. */
void      cr_cursor_chat_judge_unread   (CrCheckItem      *item,
                                         const GError     *error,
                                         guint             minutes_to_wait);
/* "3 minutes ago", "2 days ago" … (translated). */
char     *cr_cursor_chat_format_ago     (gint64            seconds);
/* "$0.0122", "$1.50" for @quota units at @quota_per_unit per dollar; NULL
 * when @quota_per_unit is unknown (0). */
char     *cr_cursor_chat_format_cost    (gint64            quota,
                                         gint64            quota_per_unit);

G_END_DECLS
