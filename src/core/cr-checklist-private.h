/* cr-checklist-private.h: what the files of CrChecklist share
 *
 * Only cr-checklist*.c include this; everyone else uses cr-checklist.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "cr-checklist.h"

G_BEGIN_DECLS

typedef enum {
  ITEM_KEY,
  ITEM_BASE_URL,
  ITEM_MODEL,
  ITEM_CHAT,
  ITEM_LOGS,
  ITEM_QUOTA,
  ITEM_TAB,
  N_GATEWAY_ITEMS,
  ITEM_CURSOR_KEY = N_GATEWAY_ITEMS,
  ITEM_CURSOR_BASE_URL,
  ITEM_CURSOR_MODEL,
  ITEM_CURSOR_VERIFY,
  ITEM_CURSOR_SHAPE,
  ITEM_CURSOR_CHAT,
  N_ITEMS
} ItemIndex;

/* new-api's "critical" limit: a token's usage and logs (and a token's
 * key) may be read 20 times in 20 minutes per address. A run and a watch
 * together stay well below it. */
#define CRITICAL_WINDOW_US   (20 * 60 * G_USEC_PER_SEC)
#define CRITICAL_LIMIT       20
#define CRITICAL_BUDGET      16

/* One run's state: the GTask's task data. */
typedef struct {
  GCancellable         *cancellable;
  GCancellable         *caller_cancellable;
  gulong                caller_handler;
  CrGateway            *gateway;
  CrEndpointDiagnosis  *diagnosis;
  char                 *model;
  char                 *masked_key;
  guint                 pending;       /* requests and waits in flight */
  gint64                chat_started;  /* Unix seconds */
  guint                 log_attempts;
  GSource              *retry_source;
  GSource              *retry_cancel_source;

  /* The Cursor section */
  gboolean              cursor;          /* this run checks Cursor too */
  gboolean              snapshot_read;   /* Cursor's settings are in (self->cursor_snapshot) */
  gboolean              models_ok;       /* the model list is in (self->models) */
  gboolean              chat_settled;    /* the chat check has its answer … */
  GError               *chat_error;      /* … and this was it (NULL: success) */
  gboolean              verify_started;
  char                 *verify_model;
  gboolean              verify_shares_chat; /* Cursor would send the chat check's request */
  guint                 verify_waiting;  /* parts of Verify still out */
  CrPreflight          *preflight;         /* POST {base}/chat/completions */
  GError               *preflight_error;
  CrPreflight          *models_preflight;  /* GET {base}/models */
  GError               *models_preflight_error;
  GError               *verify_chat_error;
  /* The logs as the logs check read them, for one look for Cursor's own
   * request once all of ours have their answers */
  GPtrArray            *logs;
  GError               *logs_error;
} Run;

typedef struct _Watch Watch;

struct _CrChecklist
{
  GObject        parent_instance;

  CrCheckItem   *items[N_ITEMS];

  char          *base_url;
  char          *key;
  char          *model;
  gboolean       tab_acknowledged;
  CrGateway     *gateway;

  gboolean       cursor_enabled;
  char          *cursor_config;
  GStrv          cursor_roots;
  char          *previous_version;
  GVariant      *previous_facts;
  CrCursorSnapshot *cursor_snapshot;
  CrCursorHistory  *cursor_history;
  char          *verify_model;

  GPtrArray     *models;
  CrChatResult  *chat_result;
  gint64         quota_per_unit;       /* 0: not known */

  /* What the Cursor watch needs after a run: its gateway (with the record
   * of what we sent), when it began, the model. */
  CrGateway     *last_gateway;
  gint64         last_run_started;     /* Unix seconds */
  char          *last_model;
  GArray        *critical_times;       /* monotonic µs of each usage or logs read */
  Watch         *watch;                /* the Cursor watch, NULL when not watching */

  Run           *run;                  /* the current run, NULL when idle */
};

static inline Run *
task_run (GTask *task)
{
  return g_task_get_task_data (task);
}

static inline CrChecklist *
task_checklist (GTask *task)
{
  return g_task_get_source_object (task);
}

/* TRUE while the run's answers may still change the items. */
static inline gboolean
run_is_live (GTask *task)
{
  Run *run = task_run (task);

  return task_checklist (task)->run == run && !g_cancellable_is_cancelled (run->cancellable);
}

/* cr-checklist.c: the run's bookkeeping */
void         _cr_checklist_run_clear_retry      (Run             *run);
void         _cr_checklist_run_end_op           (GTask           *task);
void         _cr_checklist_skip_items           (CrChecklist     *self,
                                                 const ItemIndex *indexes,
                                                 guint            n_indexes,
                                                 const char      *why);

/* Returns a reference to hand to the async call as its user data. */
static inline GTask *
run_begin_op (GTask *task)
{
  task_run (task)->pending++;

  return g_object_ref (task);
}

/* cr-checklist-judge.c: errors put into words */
char        *_cr_checklist_scrub_key            (CrChecklist     *self,
                                                 const char      *text);
char        *_cr_checklist_describe_error       (const GError    *error);
const char  *_cr_checklist_error_fix            (const GError    *error);
const char  *_cr_checklist_error_symptom        (const GError    *error,
                                                 const char      *fallback);
void         _cr_checklist_judge_tab            (CrChecklist     *self);

/* cr-checklist.c: the "watching" property */
void         _cr_checklist_notify_watching      (CrChecklist     *self);

/* cr-checklist.c: the critical limit's budget */
void         _cr_checklist_note_critical        (CrChecklist     *self);
guint        _cr_checklist_critical_used        (CrChecklist     *self);
guint        _cr_checklist_critical_minutes_left (CrChecklist    *self);

/* cr-checklist-gateway.c: the network stages */
void         _cr_checklist_start_models         (GTask           *task);
void         _cr_checklist_start_usage          (GTask           *task);

/* cr-checklist-cursor.c: Cursor's settings and its Verify */
void         _cr_checklist_start_cursor_read    (GTask           *task);
void         _cr_checklist_maybe_start_verify   (GTask           *task);
void         _cr_checklist_verify_chat_settled  (GTask           *task);
void         _cr_checklist_verify_models_failed (GTask           *task,
                                                 const GError    *error);
/* cr-checklist-watch.c: Cursor's own request in the logs */
void         _cr_checklist_judge_cursor_chat    (CrChecklist     *self,
                                                 Run             *run);
void         _cr_checklist_start_quota_per_unit (GTask           *task);
void         _cr_checklist_watch_free           (Watch           *watch);

/* Every item update goes through here, so no detail or fix shows the key. */
static inline void
item_set (CrChecklist   *self,
          ItemIndex      index,
          CrCheckStatus  status,
          const char    *detail,
          const char    *fix,
          const char    *symptom)
{
  g_autofree char *safe_detail = _cr_checklist_scrub_key (self, detail);
  g_autofree char *safe_fix = _cr_checklist_scrub_key (self, fix);

  cr_check_item_update (self->items[index], status, safe_detail, safe_fix, symptom);
}

static inline gboolean
error_is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

G_END_DECLS
