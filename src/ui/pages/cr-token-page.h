/* cr-token-page.h: step 2, how to create a dedicated token
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cr-page.h"

G_BEGIN_DECLS

#define CR_TYPE_TOKEN_PAGE (cr_token_page_get_type ())
G_DECLARE_FINAL_TYPE (CrTokenPage, cr_token_page, CR, TOKEN_PAGE, CrPage)

G_END_DECLS
