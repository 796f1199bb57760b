/* cr-checklist.c
 *
 * The runner is a small dependency graph driven by async callbacks:
 *
 *   base URL (local) ─┬─ models ─┬─ chat ── logs ── Cursor's own request (one look)
 *                     │          ├─ Verify (2 preflights ∥ Cursor's chat)
 *                     │          └─ Cursor's request format
 *                     ├─ token usage         ↑ the last two also wait for:
 *                     ├─ quota per dollar    │
 *                     └─ Cursor's settings (a thread) → Cursor items
 *
 * After a run, a watch (cr-checklist-watch.c) can read the token's logs
 * a few more times until Cursor's own request shows up.
 *
 * Every request of a run shares one GCancellable, and every callback first
 * asks whether its run is still the current, uncancelled one, so a cancelled
 * or superseded run never touches the items again.
 *
 * One class in four files, behind cr-checklist-private.h (the Run, the
 * instance struct, the item table):
 *
 *   cr-checklist.c          the list model, the public API, the run's bookkeeping
 *   cr-checklist-judge.c    verdicts that need no network; errors put into words
 *   cr-checklist-gateway.c  the gateway's stages: models, usage, chat, logs
 *   cr-checklist-cursor.c   Cursor's settings, its items, the Verify replay and Cursor's request format
 *   cr-checklist-watch.c    Cursor's own request in the token's logs, and the watch for it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cr-checklist-private.h"
#include "cr-key.h"

static const struct {
  const char *id;
  const char *title;
} item_table[N_ITEMS] = {
  /* The gateway section */
  [ITEM_KEY]      = { CR_CHECK_KEY,            N_("The key is accepted") },
  [ITEM_BASE_URL] = { CR_CHECK_BASE_URL,       N_("The base URL is exactly https://crazyrouter.com/v1") },
  [ITEM_MODEL]    = { CR_CHECK_MODEL,          N_("An allowed chat model is chosen") },
  [ITEM_CHAT]     = { CR_CHECK_CHAT,           N_("A test request from this computer succeeds") },
  [ITEM_LOGS]     = { CR_CHECK_LOGS,           N_("The token’s logs can be read and show that request") },
  [ITEM_QUOTA]    = { CR_CHECK_QUOTA,          N_("Quota and allowlist fit this token’s job") },
  [ITEM_TAB]      = { CR_CHECK_TAB_COMPLETION, N_("You know Tab Completion bypasses Crazyrouter") },
  /* The Cursor section */
  [ITEM_CURSOR_KEY]      = { CR_CHECK_CURSOR_KEY,      N_("The OpenAI API Key is on in Cursor") },
  [ITEM_CURSOR_BASE_URL] = { CR_CHECK_CURSOR_BASE_URL, N_("Cursor’s Override OpenAI Base URL is exactly right") },
  [ITEM_CURSOR_MODEL]    = { CR_CHECK_CURSOR_MODEL,    N_("The chosen model is enabled in Cursor") },
  [ITEM_CURSOR_VERIFY]   = { CR_CHECK_CURSOR_VERIFY,   N_("Cursor’s Verify (or Save) button will succeed") },
  [ITEM_CURSOR_SHAPE]    = { CR_CHECK_CURSOR_SHAPE,    N_("Crazyrouter accepts the request format Cursor sends") },
  [ITEM_CURSOR_CHAT]     = { CR_CHECK_CURSOR_CHAT,     N_("Cursor’s first chat request reached Crazyrouter") },
};

static void cr_checklist_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CrChecklist, cr_checklist, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      cr_checklist_list_model_init))

enum {
  PROP_0,
  PROP_RUNNING,
  PROP_WATCHING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ----------------------------------------------------------------------- */
/* GListModel: a fixed list; items change in place and notify.            */

static GType
cr_checklist_get_item_type (GListModel *model)
{
  return CR_TYPE_CHECK_ITEM;
}

static guint
visible_items (CrChecklist *self)
{
  return self->cursor_enabled ? N_ITEMS : N_GATEWAY_ITEMS;
}

static guint
cr_checklist_get_n_items (GListModel *model)
{
  return visible_items (CR_CHECKLIST (model));
}

static gpointer
cr_checklist_get_item (GListModel *model,
                       guint       position)
{
  CrChecklist *self = CR_CHECKLIST (model);

  if (position >= visible_items (self))
    return NULL;

  return g_object_ref (self->items[position]);
}

static void
cr_checklist_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = cr_checklist_get_item_type;
  iface->get_n_items = cr_checklist_get_n_items;
  iface->get_item = cr_checklist_get_item;
}

/* ----------------------------------------------------------------------- */
/* The run's bookkeeping                                                    */

void
_cr_checklist_run_clear_retry (Run *run)
{
  if (run->retry_source != NULL)
    g_source_destroy (run->retry_source);
  if (run->retry_cancel_source != NULL)
    g_source_destroy (run->retry_cancel_source);
  g_clear_pointer (&run->retry_source, g_source_unref);
  g_clear_pointer (&run->retry_cancel_source, g_source_unref);
}

static void
run_free (gpointer data)
{
  Run *run = data;

  _cr_checklist_run_clear_retry (run);
  /* Not g_cancellable_disconnect(): this may run inside the caller's own
   * ::cancelled emission, where that would deadlock. The handler holds its
   * own reference, so a late emission from another thread is harmless. */
  if (run->caller_handler != 0)
    g_signal_handler_disconnect (run->caller_cancellable, run->caller_handler);
  g_clear_object (&run->caller_cancellable);
  g_clear_object (&run->cancellable);
  g_clear_object (&run->gateway);
  g_clear_pointer (&run->diagnosis, cr_endpoint_diagnosis_free);
  g_clear_pointer (&run->model, g_free);
  g_clear_pointer (&run->masked_key, g_free);
  g_clear_error (&run->chat_error);
  g_clear_pointer (&run->verify_model, g_free);
  g_clear_pointer (&run->preflight, cr_preflight_free);
  g_clear_error (&run->preflight_error);
  g_clear_pointer (&run->models_preflight, cr_preflight_free);
  g_clear_error (&run->models_preflight_error);
  g_clear_error (&run->verify_chat_error);
  g_clear_pointer (&run->logs, g_ptr_array_unref);
  g_clear_error (&run->logs_error);
  g_free (run);
}

static void
forward_cancel (GCancellable *caller,
                gpointer      data)
{
  g_cancellable_cancel (G_CANCELLABLE (data));
}

static void
run_complete (GTask *task)
{
  CrChecklist *self = task_checklist (task);
  Run *run = task_run (task);
  gboolean cancelled = g_cancellable_is_cancelled (run->cancellable);

  if (self->run == run)
    {
      /* The watch reads the logs with the same key, and knows from the
       * gateway which entries are ours. */
      g_set_object (&self->last_gateway, run->gateway);
      g_free (self->last_model);
      self->last_model = g_strdup (run->model);
      /* Every request of ours has its answer now, so none is taken for
       * Cursor's. */
      if (run->cursor && !cancelled)
        _cr_checklist_judge_cursor_chat (self, run);

      if (cancelled)
        for (guint i = 0; i < N_ITEMS; i++)
          if (cr_check_item_get_status (self->items[i]) == CR_CHECK_RUNNING)
            item_set (self, i, CR_CHECK_PENDING, NULL, NULL, NULL);

      self->run = NULL;
      g_clear_pointer (&self->key, cr_key_free);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
    }

  g_clear_object (&run->gateway);

  if (cancelled)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s", _("The check was cancelled."));
  else
    g_task_return_boolean (task, TRUE);
}

void
_cr_checklist_run_end_op (GTask *task)
{
  Run *run = task_run (task);

  g_assert (run->pending > 0);
  if (--run->pending == 0)
    run_complete (task);
}

void
_cr_checklist_notify_watching (CrChecklist *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WATCHING]);
}

/* ----------------------------------------------------------------------- */
/* The critical limit's budget                                              */

static void
forget_old_critical (CrChecklist *self)
{
  gint64 now = g_get_monotonic_time ();
  guint old = 0;

  while (old < self->critical_times->len
         && now - g_array_index (self->critical_times, gint64, old) >= CRITICAL_WINDOW_US)
    old++;
  g_array_remove_range (self->critical_times, 0, old);
}

/* Every read of the token's usage or logs, when it is sent. */
void
_cr_checklist_note_critical (CrChecklist *self)
{
  gint64 now = g_get_monotonic_time ();

  forget_old_critical (self);
  g_array_append_val (self->critical_times, now);
}

guint
_cr_checklist_critical_used (CrChecklist *self)
{
  forget_old_critical (self);
  return self->critical_times->len;
}

/* Until the oldest read leaves the window, rounded up; the whole window
 * when we know of none (the reads were someone else's). */
guint
_cr_checklist_critical_minutes_left (CrChecklist *self)
{
  gint64 left;

  forget_old_critical (self);
  if (self->critical_times->len == 0)
    return CRITICAL_WINDOW_US / (60 * G_USEC_PER_SEC);

  left = g_array_index (self->critical_times, gint64, 0) + CRITICAL_WINDOW_US - g_get_monotonic_time ();
  return (guint) MAX (1, (left + 60 * G_USEC_PER_SEC - 1) / (60 * G_USEC_PER_SEC));
}

/* Items that wait for an answer that will never come get "needs you". */
void
_cr_checklist_skip_items (CrChecklist     *self,
                          const ItemIndex *indexes,
                          guint            n_indexes,
                          const char      *why)
{
  for (guint i = 0; i < n_indexes; i++)
    item_set (self, indexes[i], CR_CHECK_NEEDS_YOU, why, NULL, NULL);
}

/* ----------------------------------------------------------------------- */
/* GObject                                                                  */

static void
cr_checklist_dispose (GObject *object)
{
  CrChecklist *self = CR_CHECKLIST (object);

  g_clear_pointer (&self->watch, _cr_checklist_watch_free);
  for (guint i = 0; i < N_ITEMS; i++)
    g_clear_object (&self->items[i]);
  g_clear_object (&self->gateway);
  g_clear_object (&self->last_gateway);

  G_OBJECT_CLASS (cr_checklist_parent_class)->dispose (object);
}

static void
cr_checklist_finalize (GObject *object)
{
  CrChecklist *self = CR_CHECKLIST (object);

  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->key, cr_key_free);
  g_clear_pointer (&self->model, g_free);
  g_clear_pointer (&self->models, g_ptr_array_unref);
  g_clear_pointer (&self->chat_result, cr_chat_result_free);
  g_clear_pointer (&self->cursor_config, g_free);
  g_clear_pointer (&self->cursor_roots, g_strfreev);
  g_clear_pointer (&self->previous_version, g_free);
  g_clear_pointer (&self->previous_facts, g_variant_unref);
  g_clear_pointer (&self->cursor_snapshot, cr_cursor_snapshot_free);
  g_clear_pointer (&self->cursor_history, cr_cursor_history_free);
  g_clear_pointer (&self->verify_model, g_free);
  g_clear_pointer (&self->last_model, g_free);
  g_clear_pointer (&self->critical_times, g_array_unref);

  G_OBJECT_CLASS (cr_checklist_parent_class)->finalize (object);
}

static void
cr_checklist_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  CrChecklist *self = CR_CHECKLIST (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, cr_checklist_get_running (self));
      break;
    case PROP_WATCHING:
      g_value_set_boolean (value, cr_checklist_get_watching (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cr_checklist_class_init (CrChecklistClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cr_checklist_dispose;
  object_class->finalize = cr_checklist_finalize;
  object_class->get_property = cr_checklist_get_property;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_WATCHING] =
    g_param_spec_boolean ("watching", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cr_checklist_init (CrChecklist *self)
{
  for (guint i = 0; i < N_ITEMS; i++)
    self->items[i] = cr_check_item_new_in_section (item_table[i].id, _(item_table[i].title),
                                                   i < N_GATEWAY_ITEMS ? CR_CHECK_SECTION_GATEWAY
                                                                       : CR_CHECK_SECTION_CURSOR);

  self->critical_times = g_array_new (FALSE, FALSE, sizeof (gint64));

  /* Known without a run: show it from the start. */
  _cr_checklist_judge_tab (self);
}

/* ----------------------------------------------------------------------- */
/* Public API                                                               */

CrChecklist *
cr_checklist_new (void)
{
  return g_object_new (CR_TYPE_CHECKLIST, NULL);
}

CrCheckItem *
cr_checklist_lookup (CrChecklist *self,
                     const char  *id)
{
  g_return_val_if_fail (CR_IS_CHECKLIST (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < visible_items (self); i++)
    if (g_str_equal (item_table[i].id, id))
      return self->items[i];

  return NULL;
}

void
cr_checklist_set_cursor_enabled (CrChecklist *self,
                                 gboolean     enabled)
{
  g_return_if_fail (CR_IS_CHECKLIST (self));

  enabled = !!enabled;
  if (self->cursor_enabled == enabled)
    return;

  self->cursor_enabled = enabled;
  if (enabled)
    g_list_model_items_changed (G_LIST_MODEL (self), N_GATEWAY_ITEMS, 0, N_ITEMS - N_GATEWAY_ITEMS);
  else
    g_list_model_items_changed (G_LIST_MODEL (self), N_GATEWAY_ITEMS, N_ITEMS - N_GATEWAY_ITEMS, 0);
}

gboolean
cr_checklist_get_cursor_enabled (CrChecklist *self)
{
  g_return_val_if_fail (CR_IS_CHECKLIST (self), FALSE);

  return self->cursor_enabled;
}

void
cr_checklist_set_cursor_location (CrChecklist        *self,
                                  const char         *config_path,
                                  const char * const *install_roots)
{
  g_return_if_fail (CR_IS_CHECKLIST (self));

  g_free (self->cursor_config);
  self->cursor_config = g_strdup (config_path);
  g_strfreev (self->cursor_roots);
  self->cursor_roots = g_strdupv ((GStrv) install_roots);
}

void
cr_checklist_set_cursor_previous (CrChecklist *self,
                                  const char  *version,
                                  GVariant    *facts)
{
  g_return_if_fail (CR_IS_CHECKLIST (self));

  g_free (self->previous_version);
  self->previous_version = g_strdup (version);
  g_clear_pointer (&self->previous_facts, g_variant_unref);
  if (facts != NULL)
    self->previous_facts = g_variant_ref_sink (facts);
}

void
cr_checklist_set_base_url (CrChecklist *self,
                           const char  *base_url)
{
  g_return_if_fail (CR_IS_CHECKLIST (self));

  g_free (self->base_url);
  self->base_url = g_strdup (base_url);
}

void
cr_checklist_set_key (CrChecklist *self,
                      const char  *key)
{
  g_return_if_fail (CR_IS_CHECKLIST (self));

  cr_key_free (self->key);
  self->key = g_strdup (key);
}

void
cr_checklist_set_model (CrChecklist *self,
                        const char  *model)
{
  g_return_if_fail (CR_IS_CHECKLIST (self));

  g_free (self->model);
  self->model = g_strdup (model);
}

void
cr_checklist_set_tab_acknowledged (CrChecklist *self,
                                   gboolean     acknowledged)
{
  g_return_if_fail (CR_IS_CHECKLIST (self));

  self->tab_acknowledged = !!acknowledged;
  _cr_checklist_judge_tab (self);
}

void
cr_checklist_set_gateway (CrChecklist *self,
                          CrGateway   *gateway)
{
  g_return_if_fail (CR_IS_CHECKLIST (self));
  g_return_if_fail (gateway == NULL || CR_IS_GATEWAY (gateway));

  g_set_object (&self->gateway, gateway);
}

static void
clear_results (CrChecklist *self)
{
  g_clear_pointer (&self->models, g_ptr_array_unref);
  g_clear_pointer (&self->chat_result, cr_chat_result_free);
  g_clear_pointer (&self->cursor_snapshot, cr_cursor_snapshot_free);
  g_clear_pointer (&self->cursor_history, cr_cursor_history_free);
  g_clear_pointer (&self->verify_model, g_free);
  self->quota_per_unit = 0;
}

static Run *
run_new (CrChecklist  *self,
         GCancellable *cancellable)
{
  Run *run = g_new0 (Run, 1);
  const char *base_url = self->base_url;

  if (base_url == NULL)
    base_url = self->gateway != NULL ? cr_gateway_get_base_url (self->gateway) : CR_DEFAULT_BASE_URL;

  run->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      run->caller_cancellable = g_object_ref (cancellable);
      run->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (forward_cancel),
                                                   g_object_ref (run->cancellable),
                                                   g_object_unref);
    }

  run->diagnosis = cr_endpoint_diagnose (base_url);
  run->cursor = self->cursor_enabled;
  run->model = g_strdup (self->model != NULL && *self->model != '\0' ? self->model : CR_DEFAULT_MODEL);
  if (self->key != NULL && *self->key != '\0')
    run->masked_key = cr_key_mask (self->key);

  return run;
}

/* Decides what can be decided before any request; FALSE when nothing may
 * be sent at all. */
static gboolean
run_prepare (CrChecklist *self,
             Run         *run)
{
  static const ItemIndex remote[] = {
    ITEM_KEY, ITEM_MODEL, ITEM_CHAT, ITEM_LOGS, ITEM_QUOTA,
    ITEM_CURSOR_VERIFY, ITEM_CURSOR_SHAPE, ITEM_CURSOR_CHAT,
  };
  /* The Cursor ones are last: skipped only when the Cursor section is on. */
  guint n_remote = G_N_ELEMENTS (remote) - (run->cursor ? 0 : 3);

  for (guint i = 0; i < N_ITEMS; i++)
    {
      item_set (self, i, CR_CHECK_PENDING, NULL, NULL, NULL);
      cr_check_item_set_changed (self->items[i], FALSE);
    }
  _cr_checklist_judge_tab (self);

  cr_checklist_judge_base_url (self->items[ITEM_BASE_URL], run->diagnosis);

  if (!cr_endpoint_is_sendable (run->diagnosis))
    {
      _cr_checklist_skip_items (self, remote, n_remote,
                                _("Not checked: the base URL has to be fixed first."));
      return FALSE;
    }

  if (self->gateway == NULL && run->masked_key == NULL)
    {
      _cr_checklist_skip_items (self, remote + 1, n_remote - 1,
                                _("Not checked: there is no key yet."));
      item_set (self, ITEM_KEY, CR_CHECK_FAILED, _("There is no key to check."),
                _("Paste the token’s sk-… key from Crazyrouter."), "verify");
      return FALSE;
    }

  return TRUE;
}

void
cr_checklist_run_async (CrChecklist         *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Run *previous;
  Run *run;

  g_return_if_fail (CR_IS_CHECKLIST (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cr_checklist_run_async);
  /* We report cancellation ourselves, in our own error domain. */
  g_task_set_check_cancellable (task, FALSE);

  /* A new run starts over: it ends the watch of the last one. */
  if (self->watch != NULL)
    {
      g_clear_pointer (&self->watch, _cr_checklist_watch_free);
      _cr_checklist_notify_watching (self);
    }
  g_clear_object (&self->last_gateway);

  /* Detach the previous run before cancelling it, so that its last
   * callbacks, however soon they come, leave the items alone. */
  previous = g_steal_pointer (&self->run);
  if (previous != NULL)
    g_cancellable_cancel (previous->cancellable);

  run = run_new (self, cancellable);
  g_task_set_task_data (task, run, run_free);
  self->run = run;
  if (previous == NULL)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);

  clear_results (self);

  /* Held until everything has started, so nothing completes the run early. */
  run->pending++;

  /* Needs no network, so it runs whatever the base URL and the key. */
  if (run->cursor)
    _cr_checklist_start_cursor_read (task);

  if (run_prepare (self, run))
    {
      /* As typed, only trimmed: a wrong URL is reported, never repaired. */
      run->gateway = self->gateway != NULL ? g_object_ref (self->gateway)
                                           : cr_gateway_new (run->diagnosis->input, self->key);

      self->last_run_started = g_get_real_time () / G_USEC_PER_SEC;

      /* Independent of each other: they go out at once. */
      if (run->cursor)
        {
          item_set (self, ITEM_CURSOR_VERIFY, CR_CHECK_RUNNING,
                    _("Waiting for the model list and Cursor’s settings…"), NULL, NULL);
          item_set (self, ITEM_CURSOR_SHAPE, CR_CHECK_RUNNING,
                    _("Waiting for the model list and Cursor’s settings…"), NULL, NULL);
          item_set (self, ITEM_CURSOR_CHAT, CR_CHECK_RUNNING,
                    _("Waiting for the test request…"), NULL, NULL);
          _cr_checklist_start_quota_per_unit (task);
        }
      _cr_checklist_start_models (task);
      _cr_checklist_start_usage (task);
    }

  _cr_checklist_run_end_op (task);
}

gboolean
cr_checklist_run_finish (CrChecklist   *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (CR_IS_CHECKLIST (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cr_checklist_run_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
cr_checklist_get_running (CrChecklist *self)
{
  g_return_val_if_fail (CR_IS_CHECKLIST (self), FALSE);

  return self->run != NULL;
}

guint
cr_checklist_count (CrChecklist   *self,
                    CrCheckStatus  status)
{
  guint count = 0;

  g_return_val_if_fail (CR_IS_CHECKLIST (self), 0);

  for (guint i = 0; i < visible_items (self); i++)
    if (cr_check_item_get_status (self->items[i]) == status)
      count++;

  return count;
}

guint
cr_checklist_count_in_section (CrChecklist   *self,
                               const char    *section,
                               CrCheckStatus  status)
{
  guint count = 0;

  g_return_val_if_fail (CR_IS_CHECKLIST (self), 0);
  g_return_val_if_fail (section != NULL, 0);

  for (guint i = 0; i < visible_items (self); i++)
    if (cr_check_item_get_status (self->items[i]) == status
        && g_str_equal (cr_check_item_get_section (self->items[i]), section))
      count++;

  return count;
}

gboolean
cr_checklist_get_ok (CrChecklist *self)
{
  return cr_checklist_count (self, CR_CHECK_FAILED) == 0;
}

CrCursorSnapshot *
cr_checklist_get_cursor_snapshot (CrChecklist *self)
{
  g_return_val_if_fail (CR_IS_CHECKLIST (self), NULL);

  return self->cursor_snapshot;
}

const CrCursorHistory *
cr_checklist_get_cursor_history (CrChecklist *self)
{
  g_return_val_if_fail (CR_IS_CHECKLIST (self), NULL);

  return self->cursor_history;
}

const char *
cr_checklist_get_cursor_verify_model (CrChecklist *self)
{
  g_return_val_if_fail (CR_IS_CHECKLIST (self), NULL);

  return self->verify_model;
}

GStrv
cr_checklist_get_trace (CrChecklist *self)
{
  CrGateway *gateway;

  g_return_val_if_fail (CR_IS_CHECKLIST (self), NULL);

  gateway = self->run != NULL && self->run->gateway != NULL ? self->run->gateway : self->last_gateway;
  return gateway != NULL ? cr_gateway_get_trace (gateway) : NULL;
}
