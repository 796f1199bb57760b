/* cr-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cr-setup-state.h"

G_BEGIN_DECLS

#define CR_TYPE_APPLICATION (cr_application_get_type ())
G_DECLARE_FINAL_TYPE (CrApplication, cr_application, CR, APPLICATION, AdwApplication)

CrApplication *cr_application_new       (void);
/* The one state every window shares (NULL before startup). */
CrSetupState  *cr_application_get_state (CrApplication *self);

G_END_DECLS
