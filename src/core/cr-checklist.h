/* cr-checklist.h: the verification checklist and its runner
 *
 * A GListModel of CrCheckItem, in the guide's order. Running it starts every
 * independent check at once (models ∥ token usage → chat → logs) and updates
 * each item the moment its answer arrives, so a view bound to the model is
 * live. Cancelling the run cancels every request in flight.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cr-check-item.h"
#include "cr-endpoint.h"
#include "cr-gateway.h"

G_BEGIN_DECLS

/* Stable ids, in display order. */
#define CR_CHECK_KEY             "key"
#define CR_CHECK_BASE_URL        "base-url"
#define CR_CHECK_MODEL           "model"
#define CR_CHECK_CHAT            "chat"
#define CR_CHECK_LOGS            "logs"
#define CR_CHECK_QUOTA           "quota"
#define CR_CHECK_TAB_COMPLETION  "tab-completion"

#define CR_DEFAULT_MODEL "gpt-5.4"

#define CR_TYPE_CHECKLIST (cr_checklist_get_type ())
G_DECLARE_FINAL_TYPE (CrChecklist, cr_checklist, CR, CHECKLIST, GObject)

CrChecklist   *cr_checklist_new               (void);
CrCheckItem   *cr_checklist_lookup            (CrChecklist   *self,
                                               const char    *id);

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
 * final status; fails only with CR_GATEWAY_ERROR_CANCELLED. */
void           cr_checklist_run_async         (CrChecklist         *self,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean       cr_checklist_run_finish        (CrChecklist         *self,
                                               GAsyncResult        *result,
                                               GError             **error);
gboolean       cr_checklist_get_running       (CrChecklist   *self);

/* Counts, for a summary. */
guint          cr_checklist_count             (CrChecklist   *self,
                                               CrCheckStatus  status);
/* TRUE when no item failed (warnings and needs-you do not fail a run). */
gboolean       cr_checklist_get_ok            (CrChecklist   *self);

/* Results the wizard shows beside the items (NULL before they are known). */
GPtrArray     *cr_checklist_get_models        (CrChecklist   *self);
CrChatResult  *cr_checklist_get_chat_result   (CrChecklist   *self);
CrTokenUsage  *cr_checklist_get_token_usage   (CrChecklist   *self);

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
