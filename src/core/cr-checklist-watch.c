/* cr-checklist-watch.c: Cursor's own request in the token's logs
 *
 * A run looks once, with the logs it read anyway for its own test request.
 * After the run, a watch reads the logs a few more times until Cursor's
 * request shows up: the first look after FIRST_LOOK_S (the person needs a
 * moment to send a message), then every NEXT_LOOK_S, and a last one when
 * the time is up. The gateway allows 20 reads of a token's usage and logs
 * in 20 minutes, so the watch counts what the checklist has read and stops
 * before the limit; a 429 means "wait", never that the setup is wrong.
 * Part of CrChecklist (see cr-checklist.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cr-checklist-private.h"
#include "cr-cursor-chat.h"

#define FIRST_LOOK_S  10
#define NEXT_LOOK_S   25

struct _Watch
{
  CrChecklist  *self;            /* owns the watch */
  guint         serial;          /* tells a late answer from this watch's own */
  GTask        *task;
  GCancellable *cancellable;     /* ours: the caller's cancel, or a new run */
  GCancellable *caller;
  gulong        caller_handler;
  guint         seconds;
  gint64        deadline;        /* monotonic µs */
  GSource      *look_source;
  GSource      *tick_source;
  gboolean      reading;         /* a read of the logs is out */
  gboolean      last_look;       /* the look scheduled is the one at the deadline */
  gboolean      look_again;      /* "Check Now" while one was out */
};

static void watch_look (Watch *watch);

/* What a read of the logs carries: a watch may be gone when it answers. */
typedef struct {
  CrChecklist *self;
  guint        serial;
} Look;

static guint next_serial;

/* ----------------------------------------------------------------------- */
/* One look (during a run) and what a quota unit is worth                   */

static gint64
now_s (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static CrGateway *
current_gateway (CrChecklist *self)
{
  return self->run != NULL && self->run->gateway != NULL ? self->run->gateway : self->last_gateway;
}

static gboolean
judge_logs_read (CrChecklist *self,
                 GPtrArray   *logs,
                 gint64       since)
{
  CrGateway *gateway = current_gateway (self);
  GPtrArray *sent = gateway != NULL ? cr_gateway_get_sent_requests (gateway) : NULL;
  const CrLogEntry *entry = cr_cursor_chat_find (logs, sent, since, now_s ());

  if (entry == NULL)
    return FALSE;

  cr_cursor_chat_judge_seen (self->items[ITEM_CURSOR_CHAT], entry, self->quota_per_unit, now_s ());
  return TRUE;
}

static const char *
watched_model (CrChecklist *self)
{
  if (self->verify_model != NULL)
    return self->verify_model;
  if (self->last_model != NULL)
    return self->last_model;
  return self->model != NULL && *self->model != '\0' ? self->model : CR_DEFAULT_MODEL;
}

void
_cr_checklist_judge_cursor_chat (CrChecklist *self,
                                 Run         *run)
{
  CrCheckItem *item = self->items[ITEM_CURSOR_CHAT];

  /* Not read: the reason is on the item already (the chat failed …). */
  if (cr_check_item_get_status (item) != CR_CHECK_RUNNING)
    return;

  if (run->logs != NULL)
    {
      if (!judge_logs_read (self, run->logs, 0))
        cr_cursor_chat_judge_nothing (item, watched_model (self), 0);
    }
  else if (run->logs_error != NULL)
    cr_cursor_chat_judge_unread (item, run->logs_error, _cr_checklist_critical_minutes_left (self));
  else
    item_set (self, ITEM_CURSOR_CHAT, CR_CHECK_NEEDS_YOU,
              _("Not checked: the token’s logs were not read."), NULL, NULL);
}

static void
on_quota_per_unit (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  gint64 quota_per_unit = cr_gateway_quota_per_unit_finish (CR_GATEWAY (source), result, NULL);

  /* Without it the cost is left out, never guessed. */
  if (run_is_live (task) && quota_per_unit > 0)
    task_checklist (task)->quota_per_unit = quota_per_unit;

  _cr_checklist_run_end_op (task);
}

void
_cr_checklist_start_quota_per_unit (GTask *task)
{
  Run *run = task_run (task);

  cr_gateway_quota_per_unit_async (run->gateway, run->cancellable, on_quota_per_unit, run_begin_op (task));
}

/* ----------------------------------------------------------------------- */
/* The watch                                                                */

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static guint
seconds_left (Watch *watch)
{
  gint64 left = watch->deadline - g_get_monotonic_time ();

  return left > 0 ? (guint) ((left + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC) : 0;
}

static guint
seconds_watched (Watch *watch)
{
  return watch->seconds - MIN (watch->seconds, seconds_left (watch));
}

/* Ends the watch: the item has its verdict. */
static void
watch_finish (Watch  *watch,
              GError *error)
{
  CrChecklist *self = watch->self;
  g_autoptr(GTask) task = g_steal_pointer (&watch->task);

  if (self->watch == watch)
    self->watch = NULL;
  _cr_checklist_watch_free (watch);
  _cr_checklist_notify_watching (self);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static gboolean
on_tick (gpointer data)
{
  Watch *watch = data;

  cr_cursor_chat_judge_waiting (watch->self->items[ITEM_CURSOR_CHAT], watched_model (watch->self),
                                seconds_left (watch));
  return G_SOURCE_CONTINUE;
}

static gboolean
on_look_time (gpointer data)
{
  Watch *watch = data;

  g_clear_pointer (&watch->look_source, g_source_unref);
  watch_look (watch);
  return G_SOURCE_REMOVE;
}

static void
schedule_look (Watch *watch,
               guint  seconds)
{
  gint64 left = MAX (watch->deadline - g_get_monotonic_time (), 0);
  gint64 wait = MIN ((gint64) seconds * G_USEC_PER_SEC, left);

  watch->last_look = wait == left;
  clear_source (&watch->look_source);
  watch->look_source = g_timeout_source_new ((guint) (wait / 1000));
  g_source_set_callback (watch->look_source, on_look_time, watch, NULL);
  g_source_set_static_name (watch->look_source, "[cr-checklist] watch: next look");
  g_source_attach (watch->look_source, g_task_get_context (watch->task));
}

static void
on_watch_logs (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autofree Look *look = user_data;
  g_autoptr(CrChecklist) self = look->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) logs = NULL;
  Watch *watch = self->watch;

  logs = cr_gateway_token_logs_finish (CR_GATEWAY (source), result, &error);
  /* The watch that asked has ended (cancelled, or a new run began). */
  if (watch == NULL || watch->serial != look->serial)
    return;

  watch->reading = FALSE;

  if (logs == NULL)
    {
      guint wait = _cr_checklist_critical_minutes_left (self);

      cr_cursor_chat_judge_unread (self->items[ITEM_CURSOR_CHAT], error, wait);
      watch_finish (watch, NULL);
      return;
    }

  if (judge_logs_read (self, logs, self->last_run_started))
    {
      watch_finish (watch, NULL);
      return;
    }

  if (watch->last_look || seconds_left (watch) == 0)
    {
      cr_cursor_chat_judge_nothing (self->items[ITEM_CURSOR_CHAT], watched_model (self), watch->seconds);
      watch_finish (watch, NULL);
      return;
    }

  if (watch->look_again)
    {
      watch->look_again = FALSE;
      watch_look (watch);
      return;
    }

  schedule_look (watch, NEXT_LOOK_S);
}

static void
watch_look (Watch *watch)
{
  CrChecklist *self = watch->self;
  Look *look;

  if (watch->reading)
    {
      watch->look_again = TRUE;
      return;
    }

  /* Leave room below the limit for the next run and the person's own use. */
  if (_cr_checklist_critical_used (self) >= CRITICAL_BUDGET)
    {
      g_autoptr(GError) limited = cr_gateway_error_new (CR_GATEWAY_ERROR_RATE_LIMITED, 0, NULL, 0);

      cr_cursor_chat_judge_unread (self->items[ITEM_CURSOR_CHAT], limited,
                                   _cr_checklist_critical_minutes_left (self));
      watch_finish (watch, NULL);
      return;
    }

  clear_source (&watch->look_source);
  watch->reading = TRUE;
  look = g_new0 (Look, 1);
  look->self = g_object_ref (self);
  look->serial = watch->serial;
  _cr_checklist_note_critical (self);
  cr_gateway_token_logs_async (self->last_gateway, watch->cancellable, on_watch_logs, look);
}

static void
on_caller_cancelled (GCancellable *caller,
                     gpointer      data)
{
  g_cancellable_cancel (G_CANCELLABLE (data));
}

static gboolean
on_watch_cancelled (GCancellable *cancellable,
                    gpointer      data)
{
  Watch *watch = data;

  cr_cursor_chat_judge_nothing (watch->self->items[ITEM_CURSOR_CHAT], watched_model (watch->self),
                                MAX (seconds_watched (watch), 1));
  watch_finish (watch, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                            "The watch for Cursor’s request was cancelled"));
  return G_SOURCE_REMOVE;
}

void
_cr_checklist_watch_free (Watch *watch)
{
  clear_source (&watch->look_source);
  clear_source (&watch->tick_source);
  if (watch->caller_handler != 0)
    g_signal_handler_disconnect (watch->caller, watch->caller_handler);
  g_clear_object (&watch->caller);
  /* A read still out is cancelled; its answer finds no watch of its serial. */
  g_cancellable_cancel (watch->cancellable);
  g_clear_object (&watch->cancellable);

  if (watch->task != NULL)
    {
      g_autoptr(GTask) task = g_steal_pointer (&watch->task);

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               "The watch for Cursor’s request ended with a new run");
    }
  g_free (watch);
}

void
cr_checklist_watch_cursor_async (CrChecklist         *self,
                                 guint                seconds,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GSource) cancelled = NULL;
  Watch *watch;

  g_return_if_fail (CR_IS_CHECKLIST (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cr_checklist_watch_cursor_async);
  g_task_set_check_cancellable (task, FALSE);

  if (!self->cursor_enabled || self->run != NULL || self->last_gateway == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                               "Run the checklist with its Cursor section first");
      return;
    }
  /* Cursor's request is in already (it came during the run). */
  if (cr_check_item_get_status (self->items[ITEM_CURSOR_CHAT]) == CR_CHECK_PASSED
      || self->watch != NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  watch = g_new0 (Watch, 1);
  watch->self = self;
  watch->serial = ++next_serial;
  watch->task = g_steal_pointer (&task);
  watch->seconds = MAX (seconds, 1);
  watch->deadline = g_get_monotonic_time () + (gint64) watch->seconds * G_USEC_PER_SEC;
  watch->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      watch->caller = g_object_ref (cancellable);
      watch->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (on_caller_cancelled),
                                                     g_object_ref (watch->cancellable), g_object_unref);
    }
  self->watch = watch;

  /* The time left, each second; and a cancel ends the watch at once, even
   * between two looks (a child of the tick, it goes with it). */
  watch->tick_source = g_timeout_source_new_seconds (1);
  g_source_set_callback (watch->tick_source, on_tick, watch, NULL);
  cancelled = g_cancellable_source_new (watch->cancellable);
  g_source_set_callback (cancelled, G_SOURCE_FUNC (on_watch_cancelled), watch, NULL);
  g_source_add_child_source (watch->tick_source, cancelled);
  g_source_attach (watch->tick_source, g_task_get_context (watch->task));

  on_tick (watch);
  schedule_look (watch, FIRST_LOOK_S);
  _cr_checklist_notify_watching (self);
}

gboolean
cr_checklist_watch_cursor_finish (CrChecklist   *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (CR_IS_CHECKLIST (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cr_checklist_watch_cursor_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
cr_checklist_watch_cursor_now (CrChecklist *self)
{
  g_return_if_fail (CR_IS_CHECKLIST (self));

  if (self->watch != NULL)
    {
      /* Not the deadline's look: that one is scheduled again after it. */
      if (!self->watch->reading)
        self->watch->last_look = FALSE;
      watch_look (self->watch);
    }
}

gboolean
cr_checklist_get_watching (CrChecklist *self)
{
  g_return_val_if_fail (CR_IS_CHECKLIST (self), FALSE);

  return self->watch != NULL;
}
