/* cr-page.h: one step of the assistant
 *
 * In the manner of gnome-initial-setup: each step derives from CrPage, says
 * whether the user may go on ("complete"), and may do the step's work in an
 * async apply() when the user presses Next, while the assistant shows a
 * spinner, greys out the buttons and offers Cancel.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cr-setup-state.h"

G_BEGIN_DECLS

#define CR_TYPE_PAGE (cr_page_get_type ())
G_DECLARE_DERIVABLE_TYPE (CrPage, cr_page, CR, PAGE, AdwBin)

struct _CrPageClass
{
  AdwBinClass parent_class;

  /* The page has just become the visible step (also after Back). */
  void     (*shown)        (CrPage               *self);
  /* The step's work when the user presses Next. NULL: nothing to do. An
   * error keeps the user on the page; the page shows it itself. */
  void     (*apply_async)  (CrPage               *self,
                            GCancellable         *cancellable,
                            GAsyncReadyCallback   callback,
                            gpointer              user_data);
  gboolean (*apply_finish) (CrPage               *self,
                            GAsyncResult         *result,
                            GError              **error);
};

/* The stack child name, e.g. "welcome". Set in the page's init. */
const char   *cr_page_get_id          (CrPage        *self);
void          cr_page_set_id          (CrPage        *self,
                                       const char    *id);
/* Shown in the header bar, translated. */
const char   *cr_page_get_title       (CrPage        *self);
void          cr_page_set_title       (CrPage        *self,
                                       const char    *title);
/* Next is sensitive only while the page is complete. */
gboolean      cr_page_get_complete    (CrPage        *self);
void          cr_page_set_complete    (CrPage        *self,
                                       gboolean       complete);
/* Label for the Next button on this page ("Next" when NULL). */
const char   *cr_page_get_next_label  (CrPage        *self);
void          cr_page_set_next_label  (CrPage        *self,
                                       const char    *label);
/* Next is the view's suggested action unless the page offers a better one
 * of its own (the welcome page's "Check my setup"). Default TRUE. */
gboolean      cr_page_get_next_suggested (CrPage     *self);
void          cr_page_set_next_suggested (CrPage     *self,
                                          gboolean    suggested);
/* The wizard's shared state; set by the assistant before the page is shown. */
CrSetupState *cr_page_get_state       (CrPage        *self);
void          cr_page_set_state       (CrPage        *self,
                                       CrSetupState  *state);

/* The step the user came from to this one, for shown() to read: "cursor"
 * after Next on the Cursor step, "welcome" after its "Check my setup"; NULL
 * for the first step shown. The assistant sets it just before shown(). */
const char   *cr_page_get_came_from   (CrPage        *self);
void          cr_page_set_came_from   (CrPage        *self,
                                       const char    *page_id);

/* Asks the assistant to go to another step (emits ::jump), e.g. the welcome
 * page's "Check my setup" goes straight to "checklist". */
void          cr_page_jump_to         (CrPage        *self,
                                       const char    *page_id);
/* Asks the assistant to advance as if Next were pressed (emits ::advance),
 * e.g. Enter in the last entry of a form. Ignored while incomplete. */
void          cr_page_advance         (CrPage        *self);
/* A short notice as a toast in the window (emits ::toast). */
void          cr_page_toast           (CrPage        *self,
                                       const char    *message);

void          cr_page_shown           (CrPage        *self);
void          cr_page_apply_async     (CrPage               *self,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
gboolean      cr_page_apply_finish    (CrPage               *self,
                                       GAsyncResult         *result,
                                       GError              **error);

G_END_DECLS
