/* cr-checklist-cursor.c: the checklist's Cursor section
 *
 * Cursor's own settings are read in a worker thread beside the network
 * checks and judged into the Cursor items (cr-cursor-checks.h). Once both
 * they and the model list are in, Cursor's Verify is replayed: its CORS
 * preflight ∥ its chat request (the chat check's own, when Cursor would
 * send the same one). Part of CrChecklist (see cr-checklist.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cr-checklist-private.h"
#include "cr-cursor-chat.h"
#include "cr-cursor-checks.h"
#include "cr-text.h"

/* ----------------------------------------------------------------------- */
/* Cursor's own settings → the Cursor items                                 */

static void
mark_changes (CrChecklist *self)
{
  static const ItemIndex judged[] = { ITEM_CURSOR_KEY, ITEM_CURSOR_BASE_URL, ITEM_CURSOR_MODEL };

  /* The item's id is the one cr_cursor_history_item_changed() knows. */
  for (guint i = 0; i < G_N_ELEMENTS (judged); i++)
    {
      CrCheckItem *item = self->items[judged[i]];

      cr_check_item_set_changed (item, cr_cursor_history_item_changed (self->cursor_history,
                                                                       cr_check_item_get_id (item)));
    }
}

static void
judge_cursor (GTask *task)
{
  CrChecklist *self = task_checklist (task);
  Run *run = task_run (task);
  CrCursorSnapshot *snapshot = self->cursor_snapshot;

  cr_cursor_judge_key (self->items[ITEM_CURSOR_KEY], snapshot);
  cr_cursor_judge_base_url (self->items[ITEM_CURSOR_BASE_URL], snapshot, run->diagnosis->input);
  cr_cursor_judge_model (self->items[ITEM_CURSOR_MODEL], snapshot, run->model);

  g_clear_pointer (&self->cursor_history, cr_cursor_history_free);
  self->cursor_history = cr_cursor_history_new (self->previous_version, self->previous_facts, snapshot);
  mark_changes (self);
}

static void
on_cursor_read (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(CrCursorSnapshot) snapshot = cr_cursor_read_finish (result, NULL);

  /* NULL only when cancelled. */
  if (snapshot != NULL && run_is_live (task))
    {
      CrChecklist *self = task_checklist (task);

      g_clear_pointer (&self->cursor_snapshot, cr_cursor_snapshot_free);
      self->cursor_snapshot = g_steal_pointer (&snapshot);
      task_run (task)->snapshot_read = TRUE;
      judge_cursor (task);
      _cr_checklist_maybe_start_verify (task);
    }

  _cr_checklist_run_end_op (task);
}

void
_cr_checklist_start_cursor_read (GTask *task)
{
  CrChecklist *self = task_checklist (task);
  Run *run = task_run (task);
  static const ItemIndex judged[] = { ITEM_CURSOR_KEY, ITEM_CURSOR_BASE_URL, ITEM_CURSOR_MODEL };

  for (guint i = 0; i < G_N_ELEMENTS (judged); i++)
    item_set (self, judged[i], CR_CHECK_RUNNING, _("Reading Cursor’s settings…"), NULL, NULL);

  cr_cursor_read_async (self->cursor_config, (const char * const *) self->cursor_roots,
                        run->cancellable, on_cursor_read, run_begin_op (task));
}

/* ----------------------------------------------------------------------- */
/* Cursor's Verify: its two CORS preflights ∥ its chat request              */

/* What Chromium makes of the answer to the permission request (a CORS
 * preflight) before Verify's chat request (POST …/chat/completions). */
static char *
describe_chat_preflight (const CrPreflight *preflight)
{
  g_autofree char *missing = NULL;

  switch (cr_preflight_judge (preflight, CR_CURSOR_ORIGIN, CR_CURSOR_PREFLIGHT_METHOD,
                              CR_CURSOR_PREFLIGHT_HEADERS, &missing))
    {
    case CR_PREFLIGHT_ALLOWED:
      return NULL;
    case CR_PREFLIGHT_BAD_STATUS:
      return g_strdup_printf (_("The gateway answered %u to the permission request that Cursor’s window "
                                "sends first (a CORS preflight), instead of allowing it."),
                              preflight->status);
    case CR_PREFLIGHT_NO_ORIGIN:
      if (preflight->allow_origin != NULL)
        {
          g_autofree char *origin = cr_text_sanitize (preflight->allow_origin, -1, 80);

          return g_strdup_printf (_("The gateway’s answer to the permission request that Cursor’s window "
                                    "sends first (a CORS preflight) allows only “%s”, not Cursor’s "
                                    "window (%s)."), origin, CR_CURSOR_ORIGIN);
        }
      return g_strdup_printf (_("The gateway’s answer to the permission request that Cursor’s window "
                                "sends first (a CORS preflight) does not allow Cursor’s window (%s)."),
                              CR_CURSOR_ORIGIN);
    case CR_PREFLIGHT_NO_METHOD:
      return g_strdup (_("The gateway’s answer to the permission request that Cursor’s window sends "
                         "first (a CORS preflight) does not allow POST requests."));
    case CR_PREFLIGHT_NO_HEADERS:
    default:
      return g_strdup_printf (_("The gateway’s answer to the permission request that Cursor’s window "
                                "sends first (a CORS preflight) does not allow the %s header."),
                              missing != NULL ? missing : "?");
    }
}

/* The same for Verify's second request, for the model list (GET …/models). */
static char *
describe_models_preflight (const CrPreflight *preflight)
{
  g_autofree char *missing = NULL;

  switch (cr_preflight_judge (preflight, CR_CURSOR_ORIGIN, CR_CURSOR_MODELS_PREFLIGHT_METHOD,
                              CR_CURSOR_MODELS_PREFLIGHT_HEADERS, &missing))
    {
    case CR_PREFLIGHT_ALLOWED:
      return NULL;
    case CR_PREFLIGHT_BAD_STATUS:
      return g_strdup_printf (_("The gateway answered %u to the permission request (a CORS preflight) that "
                                "Cursor’s window sends before it reads the model list, instead of allowing "
                                "it."), preflight->status);
    case CR_PREFLIGHT_NO_HEADERS:
      return g_strdup_printf (_("The gateway’s answer to the permission request (a CORS preflight) that "
                                "Cursor’s window sends before it reads the model list does not allow the "
                                "%s header."), missing != NULL ? missing : "?");
    case CR_PREFLIGHT_NO_ORIGIN:
    case CR_PREFLIGHT_NO_METHOD:
    default:
      return g_strdup_printf (_("The gateway’s answer to the permission request (a CORS preflight) that "
                                "Cursor’s window sends before it reads the model list does not allow "
                                "Cursor’s window (%s)."), CR_CURSOR_ORIGIN);
    }
}

#define CORS_FIX N_("Cursor’s Verify (or Save) button runs in its window, like a web page, so the gateway " \
                    "must allow cross-origin requests (CORS) from any origin, for POST and GET with the " \
                    "Authorization and Content-Type headers. That is the gateway’s setting, not yours: " \
                    "ask its operator to turn it on (new-api does this by default).")

/* Cursor's own settings still have to be right for its button to work. */
static gboolean
cursor_settings_wrong (CrChecklist *self)
{
  return cr_check_item_get_status (self->items[ITEM_CURSOR_KEY]) == CR_CHECK_FAILED
         || cr_check_item_get_status (self->items[ITEM_CURSOR_BASE_URL]) == CR_CHECK_FAILED;
}

static void
judge_verify_success (GTask *task)
{
  CrChecklist *self = task_checklist (task);
  Run *run = task_run (task);
  CrCursorSnapshot *snapshot = self->cursor_snapshot;
  gboolean from_cursor = snapshot != NULL && snapshot->enabled_models != NULL
                         && g_strv_contains ((const char * const *) snapshot->enabled_models,
                                             run->verify_model);
  g_autofree char *detail = NULL;

  if (from_cursor)
    detail = g_strdup_printf (_("Replayed here: Cursor’s permission request (a CORS preflight) was "
                                "allowed, and its test request with %s, the first model enabled in "
                                "Cursor that this token allows, was answered."), run->verify_model);
  else
    detail = g_strdup_printf (_("Replayed here: Cursor’s permission request (a CORS preflight) was "
                                "allowed, and its test request with %s was answered."), run->verify_model);

  if (cursor_settings_wrong (self))
    {
      g_autofree char *more = cr_text_join_sentences (detail,
                                                      _("But Cursor itself is not set up right yet, so its "
                                                        "button would still fail."));

      item_set (self, ITEM_CURSOR_VERIFY, CR_CHECK_WARNING, more,
                _("Fix the Cursor items above, then press Verify (or Save) in Cursor."), "verify");
      return;
    }

  item_set (self, ITEM_CURSOR_VERIFY, CR_CHECK_PASSED, detail, NULL, NULL);
}

static void
judge_verify (GTask *task)
{
  CrChecklist *self = task_checklist (task);
  Run *run = task_run (task);
  const char *symptom = "verify";
  const GError *chat_error = run->verify_shares_chat ? run->chat_error : run->verify_chat_error;
  const GError *preflight_error = run->preflight_error != NULL ? run->preflight_error
                                                               : run->models_preflight_error;
  g_autofree char *permission = NULL;
  g_autofree char *request = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *fix = NULL;
  const char *permission_fix = NULL;

  if (preflight_error != NULL)
    {
      g_autofree char *why = _cr_checklist_describe_error (preflight_error);

      permission = g_strdup_printf (_("Cursor’s permission request (a CORS preflight) did not get "
                                      "through: %s"), why);
      permission_fix = _cr_checklist_error_fix (preflight_error);
    }
  else if ((permission = describe_chat_preflight (run->preflight)) != NULL
           || (permission = describe_models_preflight (run->models_preflight)) != NULL)
    {
      permission_fix = _(CORS_FIX);
    }

  if (chat_error != NULL)
    {
      g_autofree char *why = _cr_checklist_describe_error (chat_error);

      request = g_strdup_printf (_("Its test request with %s failed: %s"), run->verify_model, why);
      symptom = _cr_checklist_error_symptom (chat_error, "verify");
    }

  if (permission == NULL && request == NULL)
    {
      judge_verify_success (task);
      return;
    }

  detail = cr_text_join_sentences (permission, request);
  fix = cr_text_join_sentences (permission_fix, chat_error != NULL ? _cr_checklist_error_fix (chat_error) : NULL);
  item_set (self, ITEM_CURSOR_VERIFY, CR_CHECK_FAILED, detail, fix, symptom);
}

static void
verify_part_done (GTask *task)
{
  Run *run = task_run (task);

  g_assert (run->verify_waiting > 0);
  if (--run->verify_waiting == 0 && run_is_live (task))
    judge_verify (task);
}

void
_cr_checklist_verify_chat_settled (GTask *task)
{
  Run *run = task_run (task);

  run->chat_settled = TRUE;
  if (run->verify_started && run->verify_shares_chat)
    verify_part_done (task);
}

/* One of Verify's two preflights answered: keep it (or why it did not
 * come) where @answer and @error point, in the run. */
static void
preflight_done (GObject       *source,
                GAsyncResult  *result,
                GTask         *task,
                CrPreflight  **answer,
                GError       **answer_error)
{
  g_autoptr(GError) error = NULL;

  *answer = cr_gateway_preflight_finish (CR_GATEWAY (source), result, &error);
  if (run_is_live (task) && !(error != NULL && error_is_cancelled (error)))
    {
      *answer_error = g_steal_pointer (&error);
      verify_part_done (task);
    }

  _cr_checklist_run_end_op (task);
}

static void
on_preflight (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Run *run = task_run (task);

  preflight_done (source, result, task, &run->preflight, &run->preflight_error);
}

static void
on_models_preflight (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Run *run = task_run (task);

  preflight_done (source, result, task, &run->models_preflight, &run->models_preflight_error);
}

static void
on_verify_chat (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Run *run = task_run (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(CrChatResult) chat = NULL;

  chat = cr_gateway_chat_finish (CR_GATEWAY (source), result, &error);
  if (run_is_live (task) && !(error != NULL && error_is_cancelled (error)))
    {
      run->verify_chat_error = g_steal_pointer (&error);
      verify_part_done (task);
    }

  _cr_checklist_run_end_op (task);
}

/* The ids the token may use, for picking the model Cursor would send. */
static GStrv
allowed_ids (GPtrArray *models)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; models != NULL && i < models->len; i++)
    g_strv_builder_add (builder, ((CrModel *) g_ptr_array_index (models, i))->id);

  return g_strv_builder_end (builder);
}

/* ----------------------------------------------------------------------- */
/* Cursor's request format                                                  */

#define SHAPE_FIX N_("This is a known Cursor bug, not your setup. If Cursor’s chat shows this error, update " \
                     "Cursor when a fixed version is out; until then choose another model in Cursor’s chat, " \
                     "or use a tool that talks to the gateway directly, such as Claude Code, Codex or Cline.")

static void
on_shape (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CrChatResult) chat = NULL;

  chat = cr_gateway_cursor_shape_finish (CR_GATEWAY (source), result, &error);
  if (run_is_live (task) && !(error != NULL && error_is_cancelled (error)))
    {
      CrChecklist *self = task_checklist (task);
      Run *run = task_run (task);
      const char *said = error != NULL ? cr_gateway_error_get_server_message (error) : NULL;
      gboolean refused = FALSE;
      g_autofree char *detail = NULL;

      if (said != NULL)
        cr_cursor_chat_error_code (said, &refused);

      if (chat != NULL)
        {
          detail = g_strdup_printf (_("Crazyrouter also accepts the newer request format that some Cursor "
                                      "versions send for GPT-5 models (tried here with %s)."), run->verify_model);
          item_set (self, ITEM_CURSOR_SHAPE, CR_CHECK_PASSED, detail, NULL, NULL);
        }
      else if (refused)
        {
          g_autofree char *words = cr_text_sanitize (said, -1, 200);

          /* Cursor's bug, not the setup: a warning, never a failure. */
          detail = g_strdup_printf (_("Crazyrouter refuses the newer request format that some Cursor versions "
                                      "(3.x) send for GPT-5 models: “%s”. Such a Cursor shows this error in "
                                      "its chat although everything here is right."), words);
          item_set (self, ITEM_CURSOR_SHAPE, CR_CHECK_WARNING, detail, _(SHAPE_FIX), "verify");
        }
      else
        {
          g_autofree char *why = _cr_checklist_describe_error (error);

          detail = g_strdup_printf (_("Could not be tried: %s"), why);
          item_set (self, ITEM_CURSOR_SHAPE, CR_CHECK_NEEDS_YOU, detail, _cr_checklist_error_fix (error), NULL);
        }
    }

  _cr_checklist_run_end_op (task);
}

/* Cursor 3.x is reported to send GPT-5 requests in the Responses API's
 * shape; try it with the model Cursor's Verify would use. */
static void
start_shape (GTask *task)
{
  CrChecklist *self = task_checklist (task);
  Run *run = task_run (task);
  g_autofree char *detail = NULL;

  /* Its answer would be the allowlist's 403, which says nothing here. */
  if (!cr_model_list_contains (self->models, run->verify_model))
    {
      detail = g_strdup_printf (_("Not tried: %s is not among the models this token may use."),
                                run->verify_model);
      item_set (self, ITEM_CURSOR_SHAPE, CR_CHECK_NEEDS_YOU, detail, NULL, NULL);
      return;
    }

  detail = g_strdup_printf (_("Sending %s a request in the format newer Cursor versions use…"),
                            run->verify_model);
  item_set (self, ITEM_CURSOR_SHAPE, CR_CHECK_RUNNING, detail, NULL, NULL);
  cr_gateway_cursor_shape_async (run->gateway, run->verify_model, run->cancellable, on_shape,
                                 run_begin_op (task));
}

/* Once both the model list and Cursor's settings are in. */
void
_cr_checklist_maybe_start_verify (GTask *task)
{
  CrChecklist *self = task_checklist (task);
  Run *run = task_run (task);
  g_auto(GStrv) allowed = NULL;
  g_autofree char *detail = NULL;

  if (!run->cursor || run->verify_started || !run->models_ok || !run->snapshot_read)
    return;

  run->verify_started = TRUE;
  allowed = allowed_ids (self->models);
  run->verify_model = cr_cursor_verify_model (self->cursor_snapshot, (const char * const *) allowed,
                                              run->model);
  g_free (self->verify_model);
  self->verify_model = g_strdup (run->verify_model);
  /* The same request as the chat check: no need to send (and pay for) it twice. */
  run->verify_shares_chat = g_str_equal (run->verify_model, run->model);
  run->verify_waiting = 2 + (run->verify_shares_chat && run->chat_settled ? 0 : 1);

  detail = g_strdup_printf (_("Replaying Cursor’s Verify with %s…"), run->verify_model);
  item_set (self, ITEM_CURSOR_VERIFY, CR_CHECK_RUNNING, detail, NULL, NULL);

  cr_gateway_preflight_async (run->gateway, CR_CURSOR_PREFLIGHT_PATH, CR_CURSOR_ORIGIN,
                              CR_CURSOR_PREFLIGHT_METHOD, CR_CURSOR_PREFLIGHT_HEADERS,
                              run->cancellable, on_preflight, run_begin_op (task));
  cr_gateway_preflight_async (run->gateway, CR_CURSOR_MODELS_PREFLIGHT_PATH, CR_CURSOR_ORIGIN,
                              CR_CURSOR_MODELS_PREFLIGHT_METHOD, CR_CURSOR_MODELS_PREFLIGHT_HEADERS,
                              run->cancellable, on_models_preflight, run_begin_op (task));
  if (!run->verify_shares_chat)
    cr_gateway_chat_async (run->gateway, run->verify_model, run->cancellable, on_verify_chat,
                           run_begin_op (task));
  start_shape (task);
}

void
_cr_checklist_verify_models_failed (GTask        *task,
                                    const GError *error)
{
  CrChecklist *self = task_checklist (task);
  g_autofree char *why = _cr_checklist_describe_error (error);
  g_autofree char *detail = g_strdup_printf (_("Cursor’s Verify (or Save) button would fail the same way: %s"),
                                             why);

  item_set (self, ITEM_CURSOR_VERIFY, CR_CHECK_FAILED, detail, _cr_checklist_error_fix (error),
            _cr_checklist_error_symptom (error, "verify"));
}
