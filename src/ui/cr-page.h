/* cr-page.h: one step of the assistant
 *
 * In the manner of gnome-initial-setup's GisPage: each step derives from
 * CrPage, says whether the user may go on ("complete"), and may do the
 * step's work in apply() when the user presses Next. CrPage owns that
 * work's lifecycle (its cancellable, the "applying" property the assistant
 * greys out Next and offers Cancel by, and its end), so a page holds only
 * its own logic.
 *
 * A page's template leaves its top widget unbound, as GisPage's do: AdwBin
 * unparents its child on dispose, and gtk_widget_dispose_template() would
 * unparent a bound one a second time. A page that needs its top widget
 * takes it with adw_bin_get_child().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "cr-setup-state.h"

G_BEGIN_DECLS

#define CR_TYPE_PAGE (cr_page_get_type ())
G_DECLARE_DERIVABLE_TYPE (CrPage, cr_page, CR, PAGE, AdwBin)

/* How an apply ended: @ok FALSE keeps the user on the page, which has
 * shown what went wrong itself. Not called when the apply was cancelled. */
typedef void (*CrPageApplyCallback) (CrPage   *page,
                                     gboolean  ok,
                                     gpointer  user_data);

struct _CrPageClass
{
  AdwBinClass parent_class;

  /* The step's name, e.g. "welcome": set once with cr_page_class_set_id(). */
  const char *page_id;

  /* The page has just become the visible step (also after Back). */
  void     (*shown)        (CrPage               *self);
  /* The user has left the step (Next, Back, a jump, the window closing):
   * stop the work only this step shows. The ::hidden signal's handler,
   * called by the assistant as the user navigates, while the page is still
   * on screen; unmap comes later, after the slide, and also without
   * navigation. A running apply has been cancelled already. */
  void     (*hidden)       (CrPage               *self);
  /* The step's work when the user presses Next. Returns FALSE when the
   * work is done already (the step succeeded), TRUE when the page will call
   * cr_page_apply_complete() once it is, with FALSE on failure. The frame
   * cancels @cancellable when the user presses Cancel or leaves the step;
   * the apply has ended then, and cr_page_apply_complete() is ignored until
   * the next cr_page_apply_begin(). NULL: nothing to do. */
  gboolean (*apply)        (CrPage               *self,
                            GCancellable         *cancellable);
};

/* Names the step in class_init; the assistant's table, jumps and tests
 * use it. */
void          cr_page_class_set_id    (CrPageClass   *klass,
                                       const char    *page_id);
const char   *cr_page_class_get_id    (CrPageClass   *klass);
/* The page's class's id. */
const char   *cr_page_get_id          (CrPage        *self);
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

/* For the assistant: the page has become the visible step. */
void          cr_page_shown           (CrPage        *self);
/* For the assistant: the user has left the step; cancels a running apply
 * and emits ::hidden. */
void          cr_page_hidden          (CrPage        *self);

/* For the assistant: runs apply(), with "applying" TRUE until the page
 * completes it (then @callback runs) or it is cancelled. One at a time. */
void          cr_page_apply_begin     (CrPage               *self,
                                       CrPageApplyCallback   callback,
                                       gpointer              user_data);
/* For the page: the work apply() started has ended. */
void          cr_page_apply_complete  (CrPage               *self,
                                       gboolean              ok);
/* For the assistant: cancels the running apply, if any, and ends it at
 * once; the page's late answer is ignored. */
void          cr_page_apply_cancel    (CrPage               *self);
/* TRUE from cr_page_apply_begin() until the apply ends (notified). */
gboolean      cr_page_get_applying    (CrPage               *self);

G_END_DECLS
