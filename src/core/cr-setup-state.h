/* cr-setup-state.h: what the wizard knows, shared by every step
 *
 * The one place where the app's settings are read and written: the wizard
 * and `--check` both go through it. Non-secret choices (profile, base URL,
 * model, Tab Completion acknowledgement, the last check and what it read
 * from Cursor) are properties bound to the GSettings key of the same name.
 * The key lives only here, in memory, until it goes to the keyring or the
 * wire. No GTK in here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cr-checklist.h"
#include "cr-gateway.h"

G_BEGIN_DECLS

#define CR_TYPE_SETUP_STATE (cr_setup_state_get_type ())
G_DECLARE_FINAL_TYPE (CrSetupState, cr_setup_state, CR, SETUP_STATE, GObject)

/* Remembers its choices in the app's settings when their schema is
 * installed (and has every key this build knows); otherwise, as in a build
 * run from its tree, it starts from the defaults and remembers nothing. */
CrSetupState  *cr_setup_state_new_persistent    (void);
/* @settings may be NULL (nothing persists), or any GSettings of the app's
 * schema (tests use the memory backend). */
CrSetupState  *cr_setup_state_new               (GSettings     *settings);

/* Properties bound to the setting of the same name: "profile", "base-url",
 * "model", "tab-acknowledged", "last-check-time", "last-check-ok",
 * "cursor-version", "cursor-facts". An empty profile, base URL or model in
 * the settings means "not chosen": the default applies. Not saved:
 * "key-stored" (a key for the profile is in the keyring), "has-key" and
 * "generation". */
const char    *cr_setup_state_get_profile       (CrSetupState  *self);
void           cr_setup_state_set_profile       (CrSetupState  *self,
                                                 const char    *profile);
const char    *cr_setup_state_get_base_url      (CrSetupState  *self);
void           cr_setup_state_set_base_url      (CrSetupState  *self,
                                                 const char    *base_url);
const char    *cr_setup_state_get_model         (CrSetupState  *self);
void           cr_setup_state_set_model         (CrSetupState  *self,
                                                 const char    *model);
gboolean       cr_setup_state_get_tab_acknowledged (CrSetupState *self);
void           cr_setup_state_set_tab_acknowledged (CrSetupState *self,
                                                 gboolean       acknowledged);
gboolean       cr_setup_state_get_key_stored    (CrSetupState  *self);
void           cr_setup_state_set_key_stored    (CrSetupState  *self,
                                                 gboolean       stored);

/* The key: copied in, wiped when replaced or when the state dies. Not a
 * GObject property on purpose, so it never shows up in a notify or a dump. */
const char    *cr_setup_state_get_key           (CrSetupState  *self);
void           cr_setup_state_set_key           (CrSetupState  *self,
                                                 const char    *key);
gboolean       cr_setup_state_get_has_key       (CrSetupState  *self);

/* Goes up whenever the key, base URL, model or profile change. A step
 * remembers the generation it verified (or saved) and compares it with
 * this one to know whether its answer still holds. Never 0, so 0 can mean
 * "nothing verified yet". */
guint          cr_setup_state_get_generation    (CrSetupState  *self);

/* A gateway client for the current base URL and key (made anew when either
 * changes; never NULL). Tests may install one with a test CA or short
 * timeouts; it is dropped like any other when the base URL or key changes. */
CrGateway     *cr_setup_state_get_gateway       (CrSetupState  *self);
void           cr_setup_state_set_gateway       (CrSetupState  *self,
                                                 CrGateway     *gateway);

/* Results of the steps, NULL until known. Models: GPtrArray of CrModel*. */
GPtrArray     *cr_setup_state_get_models        (CrSetupState  *self);
void           cr_setup_state_set_models        (CrSetupState  *self,
                                                 GPtrArray     *models);
gboolean       cr_setup_state_model_allowed     (CrSetupState  *self,
                                                 const char    *model);
CrChatResult  *cr_setup_state_get_chat_result   (CrSetupState  *self);
void           cr_setup_state_take_chat_result  (CrSetupState  *self,
                                                 CrChatResult  *result);

/* The checklist, configured from the state each time it is asked for. It
 * checks Cursor's own settings too, and compares them with what the last
 * check remembered. */
CrChecklist   *cr_setup_state_get_checklist     (CrSetupState  *self);
/* Remembers when the last check finished and whether it passed, and what
 * the checklist read from Cursor (cr_setup_state_remember_cursor()). */
void           cr_setup_state_record_check      (CrSetupState  *self,
                                                 gboolean       ok);
/* Remembers only what the checklist read from Cursor (its version and
 * non-secret facts), for the next check to compare with; a check that
 * could not read them keeps what was remembered before. */
void           cr_setup_state_remember_cursor   (CrSetupState  *self);

/* Where Cursor's settings and version are read, as
 * cr_checklist_set_cursor_location() takes them; NULL for the usual places
 * (the default). Applies to the checklist too. */
void           cr_setup_state_set_cursor_location (CrSetupState       *self,
                                                 const char         *config_path,
                                                 const char * const *install_roots);
const char    *cr_setup_state_get_cursor_config (CrSetupState  *self);
const char * const *cr_setup_state_get_cursor_install_roots (CrSetupState *self);
/* What the last check remembered about Cursor: NULL when unknown or
 * nothing was remembered. */
const char    *cr_setup_state_get_cursor_version (CrSetupState *self);
GVariant      *cr_setup_state_get_cursor_facts  (CrSetupState  *self);
/* Unix seconds of the last finished check, 0 when never. */
gint64         cr_setup_state_get_last_check_time (CrSetupState *self);
gboolean       cr_setup_state_get_last_check_ok (CrSetupState  *self);

G_END_DECLS
