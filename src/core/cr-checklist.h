/* cr-checklist.h: the verification checklist and its runner
 *
 * A GListModel of CrCheckItem, in the guide's order. Running it starts every
 * independent check at once (models ∥ token usage → chat → logs) and updates
 * each item the moment its answer arrives, so a view bound to the model is
 * live. Cancelling the run cancels every request in flight.
 *
 * With the Cursor section enabled, a run also reads Cursor's own settings
 * (read-only, in a worker thread, at the same time as the network checks)
 * and replays Cursor's Verify (its chat request and its CORS preflight)
 * right after the models answer, beside the chat check:
 *
 *   models ∥ usage ∥ Cursor's settings → chat ∥ Verify ∥ Cursor's request
 *   format → logs → Cursor's own request (one look at the same logs)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cr-check-ids.h"
#include "cr-check-item.h"
#include "cr-cursor.h"
#include "cr-cursor-history.h"
#include "cr-endpoint.h"
#include "cr-gateway.h"
#include "cr-models.h"

G_BEGIN_DECLS

#define CR_DEFAULT_MODEL CR_MODELS_BASELINE

#define CR_TYPE_CHECKLIST (cr_checklist_get_type ())
G_DECLARE_FINAL_TYPE (CrChecklist, cr_checklist, CR, CHECKLIST, GObject)

CrChecklist   *cr_checklist_new               (void);
/* Only items in the model: the Cursor ones only while it is enabled. */
CrCheckItem   *cr_checklist_lookup            (CrChecklist   *self,
                                               const char    *id);

/* Off by default: the model holds the seven gateway items. On, the four
 * Cursor items follow them (one ::items-changed), and runs check Cursor too.
 * Change it between runs. */
void           cr_checklist_set_cursor_enabled (CrChecklist  *self,
                                               gboolean       enabled);
gboolean       cr_checklist_get_cursor_enabled (CrChecklist  *self);
/* Where Cursor's settings are read: @config_path as cr_cursor_read() takes
 * it (~/.config/Cursor, its globalStorage folder, or state.vscdb), NULL to
 * look in the usual places; @install_roots where its version is looked
 * for, NULL for the usual places. */
void           cr_checklist_set_cursor_location (CrChecklist        *self,
                                               const char         *config_path,
                                               const char * const *install_roots);
/* What was remembered after the last check (GSettings "cursor-version" and
 * "cursor-facts"; NULL or empty for nothing). Each run compares Cursor's
 * settings with it and sets "changed" on the Cursor items it concerns; it
 * stays as given until set again. */
void           cr_checklist_set_cursor_previous (CrChecklist *self,
                                               const char    *version,
                                               GVariant      *facts);

/* The run's inputs. The key is copied and wiped after the run. */
void           cr_checklist_set_base_url      (CrChecklist   *self,
                                               const char    *base_url);
void           cr_checklist_set_key           (CrChecklist   *self,
                                               const char    *key);
void           cr_checklist_set_model         (CrChecklist   *self,
                                               const char    *model);
/* The user has read that Tab Completion does not use the gateway. */
void           cr_checklist_set_tab_acknowledged (CrChecklist *self,
                                               gboolean       acknowledged);
/* Lets tests point the runner at a gateway with a test CA, timeouts … ;
 * by default the runner makes its own from base URL and key. */
void           cr_checklist_set_gateway       (CrChecklist   *self,
                                               CrGateway     *gateway);

/* Resets every item to pending and runs. Completes when every item has a
 * final status; fails only with G_IO_ERROR_CANCELLED. */
void           cr_checklist_run_async         (CrChecklist         *self,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean       cr_checklist_run_finish        (CrChecklist         *self,
                                               GAsyncResult        *result,
                                               GError             **error);
gboolean       cr_checklist_get_running       (CrChecklist   *self);

/* After a run with the Cursor section: reads the token's logs a few more
 * times, up to @seconds, until Cursor's own request shows up (the person
 * sends a message in Cursor's chat meanwhile), updating the "cursor-chat"
 * item live with the time left and then its verdict. Completes at once when
 * Cursor's request is in already; fails with G_IO_ERROR_NOT_INITIALIZED
 * without such a run, G_IO_ERROR_CANCELLED when cancelled or when a new run
 * starts. Stays within the gateway's limit of 20 reads in 20 minutes. */
void           cr_checklist_watch_cursor_async (CrChecklist        *self,
                                               guint                seconds,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean       cr_checklist_watch_cursor_finish (CrChecklist       *self,
                                               GAsyncResult        *result,
                                               GError             **error);
/* The last lines of the last run's gateway trace (its requests, the key
 * hidden), for a diagnostic report; NULL before a run reached the gateway. */
GStrv          cr_checklist_get_trace         (CrChecklist   *self);

/* While watching ("watching" property): look now, not at the next poll. */
void           cr_checklist_watch_cursor_now  (CrChecklist   *self);
gboolean       cr_checklist_get_watching      (CrChecklist   *self);

/* Counts over the items in the model, for a summary. */
guint          cr_checklist_count             (CrChecklist   *self,
                                               CrCheckStatus  status);
/* The same within one section (CR_CHECK_SECTION_GATEWAY or _CURSOR). */
guint          cr_checklist_count_in_section  (CrChecklist   *self,
                                               const char    *section,
                                               CrCheckStatus  status);
/* TRUE when no item failed (warnings and needs-you do not fail a run). */
gboolean       cr_checklist_get_ok            (CrChecklist   *self);

/* With the Cursor section: what was read, and how it compares with what was
 * remembered (NULL before the settings are read, or when the section is off).
 * Remember them for next time with cr_cursor_history_to_remember(). */
CrCursorSnapshot      *cr_checklist_get_cursor_snapshot (CrChecklist *self);
const CrCursorHistory *cr_checklist_get_cursor_history  (CrChecklist *self);
/* The model the last run replayed Cursor's Verify with, or NULL. */
const char    *cr_checklist_get_cursor_verify_model (CrChecklist *self);

/* The runner's verdicts that need no network, as pure functions: the tests
 * drive them with every case, and a page may show a base URL's verdict
 * while the person types. @now is Unix seconds (for the expiry date). */
void           cr_checklist_judge_base_url    (CrCheckItem               *item,
                                               const CrEndpointDiagnosis *diagnosis);
void           cr_checklist_judge_quota       (CrCheckItem               *item,
                                               const CrTokenUsage        *usage,
                                               const char                *model,
                                               gint64                     now);

G_END_DECLS
