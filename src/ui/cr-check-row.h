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
 * troubleshooting entry. */
GtkWidget    *cr_check_row_new       (CrCheckItem *item);
CrCheckItem  *cr_check_row_get_item  (CrCheckRow  *self);

/* The status as a person reads it ("Passed", "Needs you" …), translated. */
const char   *cr_check_status_label  (CrCheckStatus status);

G_END_DECLS
