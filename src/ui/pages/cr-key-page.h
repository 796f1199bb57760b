/* cr-key-page.h: step 3, the key and the base URL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cr-page.h"

G_BEGIN_DECLS

#define CR_TYPE_KEY_PAGE (cr_key_page_get_type ())
G_DECLARE_FINAL_TYPE (CrKeyPage, cr_key_page, CR, KEY_PAGE, CrPage)

G_END_DECLS
