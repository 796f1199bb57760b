/* cr-checklist-page.h: step 8, the live checklist and the troubleshooting view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cr-page.h"

G_BEGIN_DECLS

#define CR_TYPE_CHECKLIST_PAGE (cr_checklist_page_get_type ())
G_DECLARE_FINAL_TYPE (CrChecklistPage, cr_checklist_page, CR, CHECKLIST_PAGE, CrPage)

G_END_DECLS
