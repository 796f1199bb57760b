/* cr-verify-page.h: step 4, ask the gateway which models the key may use
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cr-page.h"

G_BEGIN_DECLS

#define CR_TYPE_VERIFY_PAGE (cr_verify_page_get_type ())
G_DECLARE_FINAL_TYPE (CrVerifyPage, cr_verify_page, CR, VERIFY_PAGE, CrPage)

G_END_DECLS
