/* cr-checklist-gateway.c: the checklist's network stages
 *
 *   models → key, model (and maybe base URL) → chat → logs
 *   token usage → quota
 *
 * Each stage sets its items the moment its answer arrives; an answer from a
 * cancelled or superseded run is dropped (run_is_live()). The logs are looked
 * for again a moment later when the gateway has not written them yet. Part
 * of CrChecklist (see cr-checklist.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cr-checklist-private.h"
#include "cr-key.h"
#include "cr-text.h"

/* The gateway may write its log line a moment after answering: look once,
 * then twice more a second apart, and no more (each look is a request). */
#define LOG_ATTEMPTS       3
#define LOG_RETRY_MS       1000
/* Our clock and the gateway's need not agree to the second. */
#define LOG_CLOCK_SKEW_S   5
#define REPLY_CHARS        60

static void start_chat (GTask *task);
static void start_logs (GTask *task);

/* ----------------------------------------------------------------------- */
/* Models → key, model (and maybe base URL)                                 */

/* "a, b, c" — ids shown to a person, at most @max of them. */
static char *
join_model_ids (GPtrArray *models,
                guint      max)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < models->len && i < max; i++)
    {
      CrModel *model = g_ptr_array_index (models, i);

      if (i > 0)
        g_string_append (text, ", ");
      g_string_append (text, model->id);
    }
  if (models->len > max)
    g_string_append (text, ", …");

  return g_string_free (text, FALSE);
}

static void
fail_base_url_from_answer (GTask        *task,
                           const GError *error)
{
  CrChecklist *self = task_checklist (task);
  Run *run = task_run (task);
  CrCheckItem *item = self->items[ITEM_BASE_URL];
  g_autofree char *detail = NULL;
  g_autofree char *fix = NULL;
  const char *answer;

  if (cr_gateway_error_get_status (error) == 404)
    answer = _("The gateway answered “not found” (404): there is no API at this address.");
  else
    answer = _("The gateway answered with a web page instead of the API: this is the site’s address, "
               "not the API’s.");

  if (cr_check_item_get_status (item) == CR_CHECK_FAILED)
    detail = cr_text_join_sentences (cr_check_item_get_detail (item), answer);
  else
    detail = g_strdup (answer);

  if (run->diagnosis->fixed_url != NULL)
    fix = g_strdup_printf (_("Use %s"), run->diagnosis->fixed_url);
  else
    fix = g_strdup_printf (_("Check the address: for Crazyrouter it is exactly %s"), CR_DEFAULT_BASE_URL);

  item_set (self, ITEM_BASE_URL, CR_CHECK_FAILED, detail, fix, "404");
}

static void
models_failed (GTask        *task,
               const GError *error)
{
  static const ItemIndex waiting[] = { ITEM_MODEL, ITEM_CHAT, ITEM_LOGS };
  CrChecklist *self = task_checklist (task);
  g_autofree char *detail = _cr_checklist_describe_error (error);
  g_autofree char *format_hint = NULL;

  /* A badly pasted key is the usual reason for a 401: say so if it shows. */
  if (g_error_matches (error, CR_GATEWAY_ERROR, CR_GATEWAY_ERROR_UNAUTHORIZED)
      && self->key != NULL && cr_key_check (self->key, &format_hint) != CR_KEY_OK
      && format_hint != NULL)
    {
      g_autofree char *both = cr_text_join_sentences (detail, format_hint);

      g_free (detail);
      detail = g_steal_pointer (&both);
    }

  item_set (self, ITEM_KEY, CR_CHECK_FAILED, detail, _cr_checklist_error_fix (error),
            _cr_checklist_error_symptom (error, "verify"));

  if (g_error_matches (error, CR_GATEWAY_ERROR, CR_GATEWAY_ERROR_WRONG_BASE_URL))
    fail_base_url_from_answer (task, error);

  _cr_checklist_skip_items (self, waiting, 1,
                            _("Not checked: the model list did not load (see the key check)."));
  _cr_checklist_skip_items (self, waiting + 1, 1, _("Not sent: the key check has to pass first."));
  _cr_checklist_skip_items (self, waiting + 2, 1, _("Not checked: there was no chat request to look for."));

  if (task_run (task)->cursor)
    {
      static const ItemIndex cursor_waiting[] = { ITEM_CURSOR_SHAPE, ITEM_CURSOR_CHAT };

      _cr_checklist_verify_models_failed (task, error);
      _cr_checklist_skip_items (self, cursor_waiting, G_N_ELEMENTS (cursor_waiting),
                                _("Not checked: the key check has to pass first."));
    }
}

static void
judge_models (GTask     *task,
              GPtrArray *models)
{
  CrChecklist *self = task_checklist (task);
  Run *run = task_run (task);
  g_autofree char *key_detail = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *fix = NULL;

  if (run->masked_key != NULL)
    key_detail = g_strdup_printf (ngettext ("The gateway accepted the key %s and lists %u model for it.",
                                            "The gateway accepted the key %s and lists %u models for it.",
                                            models->len),
                                  run->masked_key, models->len);
  else
    key_detail = g_strdup_printf (ngettext ("The gateway accepted the key and lists %u model for it.",
                                            "The gateway accepted the key and lists %u models for it.",
                                            models->len),
                                  models->len);
  item_set (self, ITEM_KEY, CR_CHECK_PASSED, key_detail, NULL, NULL);

  if (cr_model_list_contains (models, run->model))
    {
      detail = g_strdup_printf (_("%s is among the models this token may use."), run->model);
      item_set (self, ITEM_MODEL, CR_CHECK_PASSED, detail, NULL, NULL);
    }
  else if (models->len == 0)
    {
      detail = g_strdup (_("The gateway lists no models at all for this token."));
      fix = g_strdup_printf (_("Allow %s in the token’s settings in Crazyrouter."), run->model);
      item_set (self, ITEM_MODEL, CR_CHECK_FAILED, detail, fix, "no-models");
    }
  else
    {
      g_autofree char *names = join_model_ids (models, 5);

      detail = g_strdup_printf (_("%s is not among the models this token may use (%s)."),
                                run->model, names);
      fix = g_strdup_printf (_("Allow %s in the token’s allowlist in Crazyrouter, or choose one of the "
                               "models listed."), run->model);
      item_set (self, ITEM_MODEL, CR_CHECK_FAILED, detail, fix, "403");
    }
}

static void
on_models (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) models = NULL;

  models = cr_gateway_list_models_finish (CR_GATEWAY (source), result, &error);

  if (run_is_live (task) && !(error != NULL && error_is_cancelled (error)))
    {
      CrChecklist *self = task_checklist (task);

      if (models != NULL)
        {
          g_clear_pointer (&self->models, g_ptr_array_unref);
          self->models = g_ptr_array_ref (models);
          task_run (task)->models_ok = TRUE;
          judge_models (task, models);
          /* Sent even when the model is not listed: the gateway's own answer
           * (403, model not allowed) is what Cursor would show. */
          start_chat (task);
          _cr_checklist_maybe_start_verify (task);
        }
      else
        {
          models_failed (task, error);
        }
    }

  _cr_checklist_run_end_op (task);
}

void
_cr_checklist_start_models (GTask *task)
{
  CrChecklist *self = task_checklist (task);
  Run *run = task_run (task);

  item_set (self, ITEM_KEY, CR_CHECK_RUNNING,
            _("Asking the gateway which models this key may use…"), NULL, NULL);
  item_set (self, ITEM_MODEL, CR_CHECK_RUNNING, _("Waiting for the model list…"), NULL, NULL);

  cr_gateway_list_models_async (run->gateway, run->cancellable, on_models, run_begin_op (task));
}

/* ----------------------------------------------------------------------- */
/* Token usage → quota                                                      */

static void
on_usage (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CrTokenUsage) usage = NULL;

  usage = cr_gateway_token_usage_finish (CR_GATEWAY (source), result, &error);

  if (run_is_live (task) && !(error != NULL && error_is_cancelled (error)))
    {
      CrChecklist *self = task_checklist (task);
      Run *run = task_run (task);

      if (usage != NULL)
        {
          cr_checklist_judge_quota (self->items[ITEM_QUOTA], usage, run->model,
                                    g_get_real_time () / G_USEC_PER_SEC);
        }
      else
        {
          g_autofree char *why = _cr_checklist_describe_error (error);
          g_autofree char *detail = g_strdup_printf (_("Cannot check automatically: %s"), why);

          item_set (self, ITEM_QUOTA, CR_CHECK_WARNING, detail,
                    _("Open the token’s settings in Crazyrouter and check its quota cap and model allowlist."),
                    NULL);
        }
    }

  _cr_checklist_run_end_op (task);
}

void
_cr_checklist_start_usage (GTask *task)
{
  CrChecklist *self = task_checklist (task);
  Run *run = task_run (task);

  item_set (self, ITEM_QUOTA, CR_CHECK_RUNNING,
            _("Reading the token’s quota and allowlist…"), NULL, NULL);

  _cr_checklist_note_critical (self);
  cr_gateway_token_usage_async (run->gateway, run->cancellable, on_usage, run_begin_op (task));
}

/* ----------------------------------------------------------------------- */
/* Chat                                                                     */

static char *
describe_chat (const CrChatResult *chat,
               const char         *model)
{
  g_autofree char *reply = cr_text_sanitize (chat->reply != NULL ? chat->reply : "", -1, REPLY_CHARS);
  guint latency = (guint) CLAMP (chat->latency_ms, 0, G_MAXUINT);

  if (chat->total_tokens >= 0)
    return g_strdup_printf (_("%s answered “%s” in %u ms, using %u tokens."),
                            model, reply, latency, (guint) MIN (chat->total_tokens, G_MAXUINT));

  return g_strdup_printf (_("%s answered “%s” in %u ms."), model, reply, latency);
}

static void
on_chat (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CrChatResult) chat = NULL;

  chat = cr_gateway_chat_finish (CR_GATEWAY (source), result, &error);

  if (run_is_live (task) && !(error != NULL && error_is_cancelled (error)))
    {
      CrChecklist *self = task_checklist (task);
      Run *run = task_run (task);

      if (chat != NULL)
        {
          g_autofree char *detail = describe_chat (chat, run->model);

          item_set (self, ITEM_CHAT, CR_CHECK_PASSED, detail, NULL, NULL);
          g_clear_pointer (&self->chat_result, cr_chat_result_free);
          self->chat_result = g_steal_pointer (&chat);
          start_logs (task);
          _cr_checklist_verify_chat_settled (task);
        }
      else
        {
          g_autofree char *detail = _cr_checklist_describe_error (error);

          item_set (self, ITEM_CHAT, CR_CHECK_FAILED, detail, _cr_checklist_error_fix (error),
                    _cr_checklist_error_symptom (error, NULL));
          if (g_error_matches (error, CR_GATEWAY_ERROR, CR_GATEWAY_ERROR_WRONG_BASE_URL))
            fail_base_url_from_answer (task, error);
          item_set (self, ITEM_LOGS, CR_CHECK_NEEDS_YOU,
                    _("Not checked: the chat request did not succeed."), NULL, NULL);
          if (run->cursor)
            item_set (self, ITEM_CURSOR_CHAT, CR_CHECK_NEEDS_YOU,
                      _("Not checked: the test request from this computer has to succeed first."),
                      NULL, NULL);
          run->chat_error = g_error_copy (error);
          _cr_checklist_verify_chat_settled (task);
        }
    }

  _cr_checklist_run_end_op (task);
}

static void
start_chat (GTask *task)
{
  CrChecklist *self = task_checklist (task);
  Run *run = task_run (task);
  g_autofree char *detail = g_strdup_printf (_("Sending a short message to %s…"), run->model);

  item_set (self, ITEM_CHAT, CR_CHECK_RUNNING, detail, NULL, NULL);
  run->chat_started = g_get_real_time () / G_USEC_PER_SEC;

  cr_gateway_chat_async (run->gateway, run->model, run->cancellable, on_chat, run_begin_op (task));
}

/* ----------------------------------------------------------------------- */
/* Logs                                                                     */

static CrLogEntry *
find_log_entry (GPtrArray          *logs,
                const char         *model,
                const CrChatResult *chat,
                gint64              since)
{
  for (guint i = 0; i < logs->len; i++)
    {
      CrLogEntry *entry = g_ptr_array_index (logs, i);
      gboolean same_model = g_strcmp0 (entry->model_name, model) == 0
                            || (chat != NULL && chat->model != NULL
                                && g_strcmp0 (entry->model_name, chat->model) == 0);
      /* Ours is answered and not streamed: not Cursor's, nor an error. */
      gboolean like_ours = entry->type != CR_LOG_TYPE_ERROR && !entry->is_stream;

      if (same_model && like_ours && entry->created_at >= since - LOG_CLOCK_SKEW_S)
        return entry;
    }

  return NULL;
}

/* Deployments may keep the logs away from tokens: that is not a failure. */
static gboolean
logs_unavailable (const GError *error)
{
  return g_error_matches (error, CR_GATEWAY_ERROR, CR_GATEWAY_ERROR_WRONG_BASE_URL)
         || g_error_matches (error, CR_GATEWAY_ERROR, CR_GATEWAY_ERROR_UNAUTHORIZED)
         || (error->domain == CR_GATEWAY_ERROR && cr_gateway_error_get_status (error) == 404);
}

static void
logs_failed (GTask        *task,
             const GError *error)
{
  CrChecklist *self = task_checklist (task);
  Run *run = task_run (task);
  g_autofree char *detail = NULL;
  g_autofree char *fix = NULL;

  if (logs_unavailable (error))
    detail = g_strdup (_("Cannot check automatically: this gateway does not let the token read its logs."));
  else
    {
      g_autofree char *why = _cr_checklist_describe_error (error);

      detail = g_strdup_printf (_("Cannot check automatically: %s"), why);
    }
  fix = g_strdup_printf (_("Open the token’s logs in Crazyrouter and look for the %s request from just now."),
                         run->model);

  item_set (self, ITEM_LOGS, CR_CHECK_WARNING, detail, fix, NULL);
  g_clear_error (&run->logs_error);
  run->logs_error = g_error_copy (error);
}

static gboolean
on_logs_retry (gpointer data)
{
  GTask *task = data;

  _cr_checklist_run_clear_retry (task_run (task));
  if (run_is_live (task))
    start_logs (task);
  _cr_checklist_run_end_op (task);

  return G_SOURCE_REMOVE;
}

static gboolean
on_logs_retry_cancelled (GCancellable *cancellable,
                         gpointer      data)
{
  GTask *task = data;

  _cr_checklist_run_clear_retry (task_run (task));
  _cr_checklist_run_end_op (task);

  return G_SOURCE_REMOVE;
}

/* Waits a moment without blocking; a cancel ends the wait at once. */
static void
logs_retry_later (GTask *task)
{
  Run *run = task_run (task);
  GMainContext *context = g_task_get_context (task);

  run->pending++;

  run->retry_source = g_timeout_source_new (LOG_RETRY_MS);
  g_source_set_callback (run->retry_source, on_logs_retry, g_object_ref (task), g_object_unref);
  g_source_attach (run->retry_source, context);

  run->retry_cancel_source = g_cancellable_source_new (run->cancellable);
  g_source_set_callback (run->retry_cancel_source, G_SOURCE_FUNC (on_logs_retry_cancelled),
                         g_object_ref (task), g_object_unref);
  g_source_attach (run->retry_cancel_source, context);
}

static void
judge_logs (GTask     *task,
            GPtrArray *logs)
{
  CrChecklist *self = task_checklist (task);
  Run *run = task_run (task);
  CrLogEntry *entry = find_log_entry (logs, run->model, self->chat_result, run->chat_started);
  g_autofree char *detail = NULL;
  g_autofree char *fix = NULL;

  if (entry != NULL)
    {
      gint64 tokens = MAX (entry->prompt_tokens, 0) + MAX (entry->completion_tokens, 0);

      detail = g_strdup_printf (_("The %s request shows up in the token’s logs (%u tokens)."),
                                entry->model_name, (guint) MIN (tokens, G_MAXUINT));
      item_set (self, ITEM_LOGS, CR_CHECK_PASSED, detail, NULL, NULL);
    }
  else if (run->log_attempts < LOG_ATTEMPTS)
    {
      logs_retry_later (task);
      return;
    }
  else
    {
      detail = g_strdup (_("The request did not show up in the token’s logs yet. The gateway may list "
                           "it a little later."));
      fix = g_strdup_printf (_("Open the token’s logs in Crazyrouter and look for the %s request from "
                               "just now."), run->model);
      item_set (self, ITEM_LOGS, CR_CHECK_WARNING, detail, fix, NULL);
    }

  /* Kept for one look for Cursor's own request at the end: no extra read. */
  g_clear_pointer (&run->logs, g_ptr_array_unref);
  run->logs = g_ptr_array_ref (logs);
}

static void
on_logs (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) logs = NULL;

  logs = cr_gateway_token_logs_finish (CR_GATEWAY (source), result, &error);

  if (run_is_live (task) && !(error != NULL && error_is_cancelled (error)))
    {
      if (logs != NULL)
        judge_logs (task, logs);
      else
        logs_failed (task, error);
    }

  _cr_checklist_run_end_op (task);
}

static void
start_logs (GTask *task)
{
  CrChecklist *self = task_checklist (task);
  Run *run = task_run (task);

  if (run->log_attempts == 0)
    item_set (self, ITEM_LOGS, CR_CHECK_RUNNING,
              _("Looking for the request in the token’s logs…"), NULL, NULL);
  run->log_attempts++;

  _cr_checklist_note_critical (self);
  cr_gateway_token_logs_async (run->gateway, run->cancellable, on_logs, run_begin_op (task));
}
