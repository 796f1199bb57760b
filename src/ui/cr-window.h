/* cr-window.h: the assistant frame (header bar, step stack, Back/Next/Cancel)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cr-page.h"
#include "cr-setup-state.h"

G_BEGIN_DECLS

#define CR_TYPE_WINDOW (cr_window_get_type ())
G_DECLARE_FINAL_TYPE (CrWindow, cr_window, CR, WINDOW, AdwApplicationWindow)

CrWindow     *cr_window_new             (GtkApplication *application,
                                         CrSetupState   *state);
CrSetupState *cr_window_get_state       (CrWindow       *self);

/* The visible step, and the step with this id (NULL when there is none;
 * built on demand, as steps are built the first time they are shown). */
CrPage       *cr_window_get_page        (CrWindow       *self);
CrPage       *cr_window_lookup_page     (CrWindow       *self,
                                         const char     *page_id);
/* TRUE while a step's apply() runs (Next shows a spinner and Cancel). */
gboolean      cr_window_get_busy        (CrWindow       *self);

G_END_DECLS
