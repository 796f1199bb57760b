/* cr-info-row.h: a boxed-list row that only informs
 *
 * Looks like an AdwActionRow with a title, a subtitle and a prefix (a step
 * number or an icon), but lays its text out in a grid. See cr-info-row.ui.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define CR_TYPE_INFO_ROW (cr_info_row_get_type ())
G_DECLARE_FINAL_TYPE (CrInfoRow, cr_info_row, CR, INFO_ROW, AdwPreferencesRow)

const char *cr_info_row_get_subtitle  (CrInfoRow  *self);
void        cr_info_row_set_subtitle  (CrInfoRow  *self,
                                       const char *subtitle);
const char *cr_info_row_get_number    (CrInfoRow  *self);
void        cr_info_row_set_number    (CrInfoRow  *self,
                                       const char *number);
const char *cr_info_row_get_icon_name (CrInfoRow  *self);
void        cr_info_row_set_icon_name (CrInfoRow  *self,
                                       const char *icon_name);

G_END_DECLS
