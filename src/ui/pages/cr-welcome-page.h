/* cr-welcome-page.h: step 1, what will happen and what is needed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cr-page.h"

G_BEGIN_DECLS

#define CR_TYPE_WELCOME_PAGE (cr_welcome_page_get_type ())
G_DECLARE_FINAL_TYPE (CrWelcomePage, cr_welcome_page, CR, WELCOME_PAGE, CrPage)

G_END_DECLS
