/* cr-check-row.h: one live line of the checklist
 *
 * Follows its CrCheckItem: status icon (a spinner while running) and status
 * word, title, what was found, and the fix in plain sight when something
 * needs doing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "cr-check-item.h"

G_BEGIN_DECLS

#define CR_TYPE_CHECK_ROW (cr_check_row_get_type ())
G_DECLARE_FINAL_TYPE (CrCheckRow, cr_check_row, CR, CHECK_ROW, GtkListBoxRow)

/* Emits ::show-help (symptom id) when the user asks for the matching
 * troubleshooting entry, and ::action when its button is pressed. */
GtkWidget    *cr_check_row_new       (CrCheckItem *item);
CrCheckItem  *cr_check_row_get_item  (CrCheckRow  *self);

/* A button under the row's text for what can be done about it now (e.g.
 * "Check _Now"), or none (NULL); @accessible_label says the same for a
 * screen reader, out of the row's context. Emits ::action when pressed. */
void          cr_check_row_set_action (CrCheckRow *self,
                                       const char *label,
                                       const char *accessible_label);
/* The label of the button shown, or NULL. */
const char   *cr_check_row_get_action (CrCheckRow *self);

/* The status as a person reads it ("Passed", "Needs you" …), translated. */
const char   *cr_check_status_label  (CrCheckStatus status);

G_END_DECLS
