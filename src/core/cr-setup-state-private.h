/* cr-setup-state-private.h: what the files of CrSetupState share
 *
 * cr-setup-state.c has the object; cr-setup-state-settings.c binds its
 * properties to the settings.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cr-setup-state.h"

G_BEGIN_DECLS

/* Binds every property that mirrors a key of @settings. FALSE, binding
 * nothing, when the schema is not the one this build knows (an installed
 * older version lacking a key, say): the state then remembers nothing. */
gboolean _cr_setup_state_bind   (CrSetupState *self,
                                 GSettings    *settings);
void     _cr_setup_state_unbind (CrSetupState *self);

G_END_DECLS
