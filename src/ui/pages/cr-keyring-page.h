/* cr-keyring-page.h: step 6, keep the key in the keyring (or go on without)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cr-page.h"

G_BEGIN_DECLS

#define CR_TYPE_KEYRING_PAGE (cr_keyring_page_get_type ())
G_DECLARE_FINAL_TYPE (CrKeyringPage, cr_keyring_page, CR, KEYRING_PAGE, CrPage)

G_END_DECLS
