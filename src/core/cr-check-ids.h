/* cr-check-ids.h: the checklist items' stable ids
 *
 * On their own so that modules which name an item (cr-cursor-history.c)
 * need not include the checklist, which includes them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

/* Stable ids, in display order: the gateway section (the guide's seven) … */
#define CR_CHECK_KEY             "key"
#define CR_CHECK_BASE_URL        "base-url"
#define CR_CHECK_MODEL           "model"
#define CR_CHECK_CHAT            "chat"
#define CR_CHECK_LOGS            "logs"
#define CR_CHECK_QUOTA           "quota"
#define CR_CHECK_TAB_COMPLETION  "tab-completion"
/* … then the Cursor section, when it is enabled. */
#define CR_CHECK_CURSOR_KEY       "cursor-key"
#define CR_CHECK_CURSOR_BASE_URL  "cursor-base-url"
#define CR_CHECK_CURSOR_MODEL     "cursor-model"
#define CR_CHECK_CURSOR_VERIFY    "cursor-verify"
#define CR_CHECK_CURSOR_SHAPE     "cursor-request-shape"
#define CR_CHECK_CURSOR_CHAT      "cursor-chat"
