/* cr-model-page.h: step 5, pick the first model and send it a test message
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cr-page.h"

G_BEGIN_DECLS

#define CR_TYPE_MODEL_PAGE (cr_model_page_get_type ())
G_DECLARE_FINAL_TYPE (CrModelPage, cr_model_page, CR, MODEL_PAGE, CrPage)

G_END_DECLS
