/* cr-troubleshoot-view.h: the guide's symptoms, causes and fixes
 *
 * One expander row per symptom. Rows that match a check that did not pass
 * are marked and opened, so the user lands on the fix that applies.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CR_TYPE_TROUBLESHOOT_VIEW (cr_troubleshoot_view_get_type ())
G_DECLARE_FINAL_TYPE (CrTroubleshootView, cr_troubleshoot_view, CR, TROUBLESHOOT_VIEW, AdwBin)

GtkWidget  *cr_troubleshoot_view_new        (void);
/* Marks and opens the rows with these ids (NULL-terminated, may be NULL);
 * every other row is unmarked and closed. */
void        cr_troubleshoot_view_highlight  (CrTroubleshootView  *self,
                                             const char * const  *ids);
gboolean    cr_troubleshoot_view_is_highlighted (CrTroubleshootView *self,
                                             const char          *id);
/* Moves the keyboard focus (and so the scroll position) to a row. */
void        cr_troubleshoot_view_focus_row  (CrTroubleshootView  *self,
                                             const char          *id);

G_END_DECLS
