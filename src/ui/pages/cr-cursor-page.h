/* cr-cursor-page.h: step 7, what to enter where in Cursor, with copy buttons
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cr-page.h"

G_BEGIN_DECLS

#define CR_TYPE_CURSOR_PAGE (cr_cursor_page_get_type ())
G_DECLARE_FINAL_TYPE (CrCursorPage, cr_cursor_page, CR, CURSOR_PAGE, CrPage)

/* How long a copied key stays on the clipboard (30 s); tests shorten it. */
void cr_cursor_page_set_clipboard_timeout (CrCursorPage *self,
                                           guint         seconds);

G_END_DECLS
