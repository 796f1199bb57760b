/* cr-checklist.c
 *
 * The runner is a small dependency graph driven by async callbacks:
 *
 *   base URL (local) ─┬─ models ─┬─ chat ── logs
 *                     │          └─ Verify (preflight ∥ Cursor's chat)
 *                     ├─ token usage         ↑ also waits for:
 *                     └─ Cursor's settings (a thread) → Cursor items
 *
 * Every request of a run shares one GCancellable, and every callback first
 * asks whether its run is still the current, uncancelled one, so a cancelled
 * or superseded run never touches the items again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "cr-checklist.h"
#include "cr-cursor-checks.h"
#include "cr-key.h"
#include "cr-text.h"

/* The gateway may write its log line a moment after answering: look once,
 * then twice more a second apart, and no more (each look is a request). */
#define LOG_ATTEMPTS       3
#define LOG_RETRY_MS       1000
/* Our clock and the gateway's need not agree to the second. */
#define LOG_CLOCK_SKEW_S   5
/* Cursor needs one or two models; a few more is still a deliberate choice. */
#define WIDE_ALLOWLIST     3
#define REPLY_CHARS        60

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
  N_ITEMS
} ItemIndex;

static const struct {
  const char *id;
  const char *title;
} item_table[N_ITEMS] = {
  /* The gateway section */
  [ITEM_KEY]      = { CR_CHECK_KEY,            N_("The key is accepted") },
  [ITEM_BASE_URL] = { CR_CHECK_BASE_URL,       N_("The base URL is exactly https://crazyrouter.com/v1") },
  [ITEM_MODEL]    = { CR_CHECK_MODEL,          N_("An allowed chat model is chosen") },
  [ITEM_CHAT]     = { CR_CHECK_CHAT,           N_("The first chat request succeeds") },
  [ITEM_LOGS]     = { CR_CHECK_LOGS,           N_("The request shows up in the token’s logs") },
  [ITEM_QUOTA]    = { CR_CHECK_QUOTA,          N_("Quota and allowlist fit this token’s job") },
  [ITEM_TAB]      = { CR_CHECK_TAB_COMPLETION, N_("You know Tab Completion bypasses Crazyrouter") },
  /* The Cursor section */
  [ITEM_CURSOR_KEY]      = { CR_CHECK_CURSOR_KEY,      N_("The OpenAI API Key is on in Cursor") },
  [ITEM_CURSOR_BASE_URL] = { CR_CHECK_CURSOR_BASE_URL, N_("Cursor’s Override OpenAI Base URL is exactly right") },
  [ITEM_CURSOR_MODEL]    = { CR_CHECK_CURSOR_MODEL,    N_("The chosen model is enabled in Cursor") },
  [ITEM_CURSOR_VERIFY]   = { CR_CHECK_CURSOR_VERIFY,   N_("Cursor’s Verify button will succeed") },
};

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
  CrPreflight          *preflight;
  GError               *preflight_error;
  GError               *verify_chat_error;
} Run;

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
  CrTokenUsage  *token_usage;

  Run           *run;                  /* the current run, NULL when idle */
};

static void cr_checklist_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CrChecklist, cr_checklist, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      cr_checklist_list_model_init))

enum {
  PROP_0,
  PROP_RUNNING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void start_chat (GTask *task);
static void start_logs (GTask *task);
static void verify_chat_settled (GTask *task);
static void maybe_start_verify (GTask *task);
static void verify_models_failed (GTask *task, const GError *error);

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
/* Small helpers                                                           */

/* Defence in depth: a detail built from a server's words must never show
 * the key, even if a hostile server echoes it back. */
static char *
scrub_key (CrChecklist *self,
           const char  *text)
{
  g_autofree char *masked = NULL;
  g_auto(GStrv) parts = NULL;

  if (text == NULL || self->key == NULL || strlen (self->key) < 8
      || strstr (text, self->key) == NULL)
    return g_strdup (text);

  masked = cr_key_mask (self->key);
  parts = g_strsplit (text, self->key, -1);

  return g_strjoinv (masked, parts);
}

static void
item_set (CrChecklist   *self,
          ItemIndex      index,
          CrCheckStatus  status,
          const char    *detail,
          const char    *fix,
          const char    *symptom)
{
  g_autofree char *safe_detail = scrub_key (self, detail);
  g_autofree char *safe_fix = scrub_key (self, fix);

  cr_check_item_update (self->items[index], status, safe_detail, safe_fix, symptom);
}

static gboolean
models_contain (GPtrArray  *models,
                const char *id)
{
  for (guint i = 0; i < models->len; i++)
    {
      CrModel *model = g_ptr_array_index (models, i);

      if (g_strcmp0 (model->id, id) == 0)
        return TRUE;
    }

  return FALSE;
}

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

static gboolean
error_is_cancelled (const GError *error)
{
  return g_error_matches (error, CR_GATEWAY_ERROR, CR_GATEWAY_ERROR_CANCELLED)
         || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* The likely cause, then what the server itself said. */
static char *
describe_error (const GError *error)
{
  const char *cause;
  const char *said;
  guint status;

  if (error->domain != CR_GATEWAY_ERROR)
    return g_strdup (error->message);

  cause = cr_gateway_error_get_cause (error);
  said = cr_gateway_error_get_server_message (error);
  status = cr_gateway_error_get_status (error);

  /* "answered 200" would puzzle anyone: a 2xx error is the web app's page. */
  if (status != 0 && status < 300)
    {
      if (g_error_matches (error, CR_GATEWAY_ERROR, CR_GATEWAY_ERROR_WRONG_BASE_URL))
        return g_strdup_printf (_("%s The gateway answered with a web page, not the API."), cause);
      status = 0;
    }

  if (said != NULL && status != 0)
    return g_strdup_printf (_("%s The gateway answered %u: “%s”"), cause, status, said);
  if (said != NULL)
    return g_strdup_printf (_("%s The gateway said: “%s”"), cause, said);
  if (status != 0)
    return g_strdup_printf (_("%s The gateway answered %u."), cause, status);

  return g_strdup (cause);
}

static const char *
error_fix (const GError *error)
{
  return error->domain == CR_GATEWAY_ERROR ? cr_gateway_error_get_fix (error) : NULL;
}

/* The troubleshooting row (cr-troubleshoot.h) that matches @error. */
static const char *
error_symptom (const GError *error,
               const char   *fallback)
{
  if (error->domain != CR_GATEWAY_ERROR)
    return fallback;

  switch ((CrGatewayError) error->code)
    {
    case CR_GATEWAY_ERROR_UNAUTHORIZED:
      return "401";
    case CR_GATEWAY_ERROR_MODEL_NOT_ALLOWED:
    case CR_GATEWAY_ERROR_IP_NOT_ALLOWED:
    case CR_GATEWAY_ERROR_QUOTA:
    case CR_GATEWAY_ERROR_FORBIDDEN:
      return "403";
    case CR_GATEWAY_ERROR_WRONG_BASE_URL:
      return "404";
    case CR_GATEWAY_ERROR_MODEL_UNAVAILABLE:
      return "custom-models";
    default:
      return fallback;
    }
}

/* ----------------------------------------------------------------------- */
/* Verdicts that need no network                                           */

static const char *
base_url_symptom (CrEndpointIssue issue)
{
  switch (issue)
    {
    case CR_ENDPOINT_ROOT_DOMAIN:
    case CR_ENDPOINT_FULL_ENDPOINT:
    case CR_ENDPOINT_TRAILING_SLASH:
      return "404";
    default:
      return "verify";
    }
}

void
cr_checklist_judge_base_url (CrCheckItem               *item,
                             const CrEndpointDiagnosis *diagnosis)
{
  g_autofree char *fix = NULL;

  g_return_if_fail (CR_IS_CHECK_ITEM (item));
  g_return_if_fail (diagnosis != NULL);

  switch (diagnosis->severity)
    {
    case CR_SEVERITY_OK:
      cr_check_item_update (item, CR_CHECK_PASSED, diagnosis->message, NULL, NULL);
      break;

    case CR_SEVERITY_WARNING:
      /* The message names the difference and the official URL already. */
      cr_check_item_update (item, CR_CHECK_WARNING, diagnosis->message, NULL, NULL);
      break;

    case CR_SEVERITY_ERROR:
    default:
      /* Reported, never repaired behind the person's back. */
      if (diagnosis->fixed_url != NULL)
        fix = g_strdup_printf (_("Use %s"), diagnosis->fixed_url);
      else
        fix = g_strdup_printf (_("Type the base URL again: for Crazyrouter it is %s"),
                               CR_DEFAULT_BASE_URL);
      cr_check_item_update (item, CR_CHECK_FAILED, diagnosis->message, fix,
                            base_url_symptom (diagnosis->issue));
      break;
    }
}

/* Collects the findings of one item: the worst status wins, and every
 * finding adds a sentence to the detail and to the fix. */
typedef struct {
  CrCheckStatus  status;
  GString       *detail;
  GString       *fix;
  const char    *symptom;
} Verdict;

static void
verdict_add (Verdict       *verdict,
             CrCheckStatus  status,
             const char    *symptom,
             char          *detail,
             char          *fix)
{
  g_autofree char *owned_detail = detail;
  g_autofree char *owned_fix = fix;
  gboolean worse = status == CR_CHECK_FAILED && verdict->status != CR_CHECK_FAILED;

  if (worse || verdict->symptom == NULL)
    verdict->symptom = symptom;
  if (verdict->status != CR_CHECK_FAILED)
    verdict->status = status;

  if (verdict->detail->len > 0)
    g_string_append_c (verdict->detail, ' ');
  g_string_append (verdict->detail, owned_detail);

  if (owned_fix != NULL)
    {
      if (verdict->fix->len > 0)
        g_string_append_c (verdict->fix, ' ');
      g_string_append (verdict->fix, owned_fix);
    }
}

static void
judge_quota_failures (Verdict            *verdict,
                      const CrTokenUsage *usage,
                      const char         *model,
                      gint64              now)
{
  if (usage->expires_at > 0 && usage->expires_at <= now)
    {
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (usage->expires_at);
      g_autofree char *date = when != NULL ? g_date_time_format (when, "%Y-%m-%d") : g_strdup ("?");

      verdict_add (verdict, CR_CHECK_FAILED, "401",
                   g_strdup_printf (_("This token expired on %s."), date),
                   g_strdup (_("Extend the token in Crazyrouter, or create a new one for Cursor.")));
    }

  if (!usage->unlimited_quota && usage->total_available <= 0)
    verdict_add (verdict, CR_CHECK_FAILED, "401",
                 g_strdup (_("This token’s quota is used up.")),
                 g_strdup (_("Raise the token’s quota in Crazyrouter.")));

  if (usage->model_limits_enabled
      && (usage->model_limits == NULL || !g_strv_contains ((const char * const *) usage->model_limits, model)))
    verdict_add (verdict, CR_CHECK_FAILED, "403",
                 g_strdup_printf (_("%s is not in this token’s model allowlist."), model),
                 g_strdup_printf (_("Allow %s in the token’s settings in Crazyrouter."), model));
}

static void
judge_quota_warnings (Verdict            *verdict,
                      const CrTokenUsage *usage,
                      const char         *model)
{
  guint n_limits = usage->model_limits != NULL ? g_strv_length (usage->model_limits) : 0;

  if (usage->unlimited_quota)
    verdict_add (verdict, CR_CHECK_WARNING, "cost",
                 g_strdup (_("The token has no quota cap.")),
                 g_strdup (_("Give the token a quota cap so Cursor has its own budget: strongly recommended.")));

  if (!usage->model_limits_enabled)
    verdict_add (verdict, CR_CHECK_WARNING, "cost",
                 g_strdup (_("The model allowlist is off, so this token may use every model.")),
                 g_strdup_printf (_("Turn on the allowlist and keep only the models Cursor should use, such as %s."),
                                  model));
  else if (n_limits > WIDE_ALLOWLIST)
    {
      g_autofree char *names = g_strjoinv (", ", usage->model_limits);

      verdict_add (verdict, CR_CHECK_WARNING, "cost",
                   g_strdup_printf (_("The allowlist has %u models (%s), more than Cursor needs."),
                                    n_limits, names),
                   g_strdup_printf (_("Keep only the models Cursor should use, such as %s."), model));
    }
}

static char *
describe_good_quota (const CrTokenUsage *usage,
                     const char         *model)
{
  g_autofree char *names = g_strjoinv (", ", usage->model_limits);

  if (usage->total_granted > 0)
    {
      guint percent = (guint) CLAMP (usage->total_available * 100 / usage->total_granted, 0, 100);

      return g_strdup_printf (_("The token has a quota cap (%u%% of it left) and a small allowlist (%s) "
                                "that includes %s."),
                              percent, names, model);
    }

  return g_strdup_printf (_("The token has a quota cap and a small allowlist (%s) that includes %s."),
                          names, model);
}

void
cr_checklist_judge_quota (CrCheckItem        *item,
                          const CrTokenUsage *usage,
                          const char         *model,
                          gint64              now)
{
  Verdict verdict = { CR_CHECK_PASSED, NULL, NULL, NULL };
  g_autofree char *good = NULL;

  g_return_if_fail (CR_IS_CHECK_ITEM (item));
  g_return_if_fail (usage != NULL);

  if (model == NULL)
    model = CR_DEFAULT_MODEL;

  verdict.detail = g_string_new (NULL);
  verdict.fix = g_string_new (NULL);

  judge_quota_failures (&verdict, usage, model, now);
  judge_quota_warnings (&verdict, usage, model);

  if (verdict.detail->len == 0)
    {
      good = describe_good_quota (usage, model);
      g_string_append (verdict.detail, good);
    }

  cr_check_item_update (item, verdict.status, verdict.detail->str,
                        verdict.fix->len > 0 ? verdict.fix->str : NULL,
                        verdict.symptom);

  g_string_free (verdict.detail, TRUE);
  g_string_free (verdict.fix, TRUE);
}

static void
judge_tab (CrChecklist *self)
{
  if (self->tab_acknowledged)
    item_set (self, ITEM_TAB, CR_CHECK_PASSED,
              _("You know that Tab Completion and similar features keep using Cursor’s own models."),
              NULL, NULL);
  else
    item_set (self, ITEM_TAB, CR_CHECK_NEEDS_YOU,
              _("Cursor keeps Tab Completion and similar features on its own models, so they never "
                "use your Crazyrouter key. That is expected, not an outage."),
              _("Confirm that you have read this."),
              "tab");
}

/* ----------------------------------------------------------------------- */
/* The run's bookkeeping                                                    */

static void
run_clear_retry (Run *run)
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

  run_clear_retry (run);
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
  g_clear_error (&run->verify_chat_error);
  g_free (run);
}

static void
forward_cancel (GCancellable *caller,
                gpointer      data)
{
  g_cancellable_cancel (G_CANCELLABLE (data));
}

static Run *
task_run (GTask *task)
{
  return g_task_get_task_data (task);
}

static CrChecklist *
task_checklist (GTask *task)
{
  return g_task_get_source_object (task);
}

/* TRUE while the run's answers may still change the items. */
static gboolean
run_is_live (GTask *task)
{
  Run *run = task_run (task);

  return task_checklist (task)->run == run && !g_cancellable_is_cancelled (run->cancellable);
}

static void
run_complete (GTask *task)
{
  CrChecklist *self = task_checklist (task);
  Run *run = task_run (task);
  gboolean cancelled = g_cancellable_is_cancelled (run->cancellable);

  g_clear_object (&run->gateway);

  if (self->run == run)
    {
      if (cancelled)
        for (guint i = 0; i < N_ITEMS; i++)
          if (cr_check_item_get_status (self->items[i]) == CR_CHECK_RUNNING)
            item_set (self, i, CR_CHECK_PENDING, NULL, NULL, NULL);

      self->run = NULL;
      g_clear_pointer (&self->key, cr_key_free);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
    }

  if (cancelled)
    g_task_return_error (task, cr_gateway_error_new (CR_GATEWAY_ERROR_CANCELLED, 0, NULL, 0));
  else
    g_task_return_boolean (task, TRUE);
}

/* Returns a reference to hand to the async call as its user data. */
static GTask *
run_begin_op (GTask *task)
{
  task_run (task)->pending++;

  return g_object_ref (task);
}

static void
run_end_op (GTask *task)
{
  Run *run = task_run (task);

  g_assert (run->pending > 0);
  if (--run->pending == 0)
    run_complete (task);
}

/* Items that wait for an answer that will never come get "needs you". */
static void
skip_items (CrChecklist     *self,
            const ItemIndex *indexes,
            guint            n_indexes,
            const char      *why)
{
  for (guint i = 0; i < n_indexes; i++)
    item_set (self, indexes[i], CR_CHECK_NEEDS_YOU, why, NULL, NULL);
}

/* ----------------------------------------------------------------------- */
/* Models → key, model (and maybe base URL)                                 */

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
    detail = g_strdup_printf ("%s %s", cr_check_item_get_detail (item), answer);
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
  g_autofree char *detail = describe_error (error);
  g_autofree char *format_hint = NULL;

  /* A badly pasted key is the usual reason for a 401: say so if it shows. */
  if (g_error_matches (error, CR_GATEWAY_ERROR, CR_GATEWAY_ERROR_UNAUTHORIZED)
      && self->key != NULL && cr_key_check (self->key, &format_hint) != CR_KEY_OK
      && format_hint != NULL)
    {
      g_autofree char *both = g_strdup_printf ("%s %s", detail, format_hint);

      g_free (detail);
      detail = g_steal_pointer (&both);
    }

  item_set (self, ITEM_KEY, CR_CHECK_FAILED, detail, error_fix (error),
            error_symptom (error, "verify"));

  if (g_error_matches (error, CR_GATEWAY_ERROR, CR_GATEWAY_ERROR_WRONG_BASE_URL))
    fail_base_url_from_answer (task, error);

  skip_items (self, waiting, 1, _("Not checked: the model list did not load (see the key check)."));
  skip_items (self, waiting + 1, 1, _("Not sent: the key check has to pass first."));
  skip_items (self, waiting + 2, 1, _("Not checked: there was no chat request to look for."));

  if (task_run (task)->cursor)
    verify_models_failed (task, error);
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

  if (models_contain (models, run->model))
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
          maybe_start_verify (task);
        }
      else
        {
          models_failed (task, error);
        }
    }

  run_end_op (task);
}

static void
start_models (GTask *task)
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
          g_clear_pointer (&self->token_usage, cr_token_usage_free);
          self->token_usage = g_steal_pointer (&usage);
        }
      else
        {
          g_autofree char *why = describe_error (error);
          g_autofree char *detail = g_strdup_printf (_("Cannot check automatically: %s"), why);

          item_set (self, ITEM_QUOTA, CR_CHECK_WARNING, detail,
                    _("Open the token’s settings in Crazyrouter and check its quota cap and model allowlist."),
                    NULL);
        }
    }

  run_end_op (task);
}

static void
start_usage (GTask *task)
{
  CrChecklist *self = task_checklist (task);
  Run *run = task_run (task);

  item_set (self, ITEM_QUOTA, CR_CHECK_RUNNING,
            _("Reading the token’s quota and allowlist…"), NULL, NULL);

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
          verify_chat_settled (task);
        }
      else
        {
          g_autofree char *detail = describe_error (error);

          item_set (self, ITEM_CHAT, CR_CHECK_FAILED, detail, error_fix (error),
                    error_symptom (error, NULL));
          if (g_error_matches (error, CR_GATEWAY_ERROR, CR_GATEWAY_ERROR_WRONG_BASE_URL))
            fail_base_url_from_answer (task, error);
          item_set (self, ITEM_LOGS, CR_CHECK_NEEDS_YOU,
                    _("Not checked: the chat request did not succeed."), NULL, NULL);
          run->chat_error = g_error_copy (error);
          verify_chat_settled (task);
        }
    }

  run_end_op (task);
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

      if (same_model && entry->created_at >= since - LOG_CLOCK_SKEW_S)
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
      g_autofree char *why = describe_error (error);

      detail = g_strdup_printf (_("Cannot check automatically: %s"), why);
    }
  fix = g_strdup_printf (_("Open the token’s logs in Crazyrouter and look for the %s request from just now."),
                         run->model);

  item_set (self, ITEM_LOGS, CR_CHECK_WARNING, detail, fix, NULL);
}

static gboolean
on_logs_retry (gpointer data)
{
  GTask *task = data;

  run_clear_retry (task_run (task));
  if (run_is_live (task))
    start_logs (task);
  run_end_op (task);

  return G_SOURCE_REMOVE;
}

static gboolean
on_logs_retry_cancelled (GCancellable *cancellable,
                         gpointer      data)
{
  GTask *task = data;

  run_clear_retry (task_run (task));
  run_end_op (task);

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
    }
  else
    {
      detail = g_strdup (_("The request did not show up in the token’s logs yet. The gateway may list "
                           "it a little later."));
      fix = g_strdup_printf (_("Open the token’s logs in Crazyrouter and look for the %s request from "
                               "just now."), run->model);
      item_set (self, ITEM_LOGS, CR_CHECK_WARNING, detail, fix, NULL);
    }
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

  run_end_op (task);
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

  cr_gateway_token_logs_async (run->gateway, run->cancellable, on_logs, run_begin_op (task));
}

/* ----------------------------------------------------------------------- */
/* Cursor's own settings → the Cursor items                                 */

static void
mark_changes (CrChecklist *self)
{
  static const ItemIndex judged[] = { ITEM_CURSOR_KEY, ITEM_CURSOR_BASE_URL, ITEM_CURSOR_MODEL };

  for (guint i = 0; i < G_N_ELEMENTS (judged); i++)
    cr_check_item_set_changed (self->items[judged[i]],
                               cr_cursor_history_item_changed (self->cursor_history,
                                                               item_table[judged[i]].id));
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
      maybe_start_verify (task);
    }

  run_end_op (task);
}

static void
start_cursor_read (GTask *task)
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
/* Cursor's Verify: its chat request ∥ its CORS preflight                   */

static char *
describe_preflight (const CrPreflight *preflight)
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

#define CORS_FIX N_("Verify in Cursor runs in its window, like a web page, so the gateway must allow " \
                    "cross-origin requests (CORS) from any origin, for POST with the Authorization " \
                    "and Content-Type headers. That is the gateway’s setting, not yours: ask its " \
                    "operator to turn it on (new-api does this by default).")

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
      g_autofree char *more = g_strdup_printf ("%s %s", detail,
                                               _("But Cursor itself is not set up right yet, so its "
                                                 "button would still fail."));

      item_set (self, ITEM_CURSOR_VERIFY, CR_CHECK_WARNING, more,
                _("Fix the Cursor items above, then press Verify in Cursor."), "verify");
      return;
    }

  item_set (self, ITEM_CURSOR_VERIFY, CR_CHECK_PASSED, detail, NULL, NULL);
}

static void
judge_verify (GTask *task)
{
  CrChecklist *self = task_checklist (task);
  Run *run = task_run (task);
  g_autoptr(GString) detail = g_string_new (NULL);
  g_autoptr(GString) fix = g_string_new (NULL);
  const char *symptom = "verify";
  const GError *chat_error = run->verify_shares_chat ? run->chat_error : run->verify_chat_error;
  g_autofree char *cors = NULL;

  if (run->preflight_error != NULL)
    {
      g_autofree char *why = describe_error (run->preflight_error);

      g_string_append_printf (detail, _("Cursor’s permission request (a CORS preflight) did not get "
                                        "through: %s"), why);
      if (error_fix (run->preflight_error) != NULL)
        g_string_append (fix, error_fix (run->preflight_error));
    }
  else if ((cors = describe_preflight (run->preflight)) != NULL)
    {
      g_string_append (detail, cors);
      g_string_append (fix, _(CORS_FIX));
    }

  if (chat_error != NULL)
    {
      g_autofree char *why = describe_error (chat_error);

      g_string_append_printf (detail, _("%sIts test request with %s failed: %s"),
                              detail->len > 0 ? " " : "", run->verify_model, why);
      if (error_fix (chat_error) != NULL)
        g_string_append_printf (fix, "%s%s", fix->len > 0 ? " " : "", error_fix (chat_error));
      symptom = error_symptom (chat_error, "verify");
    }

  if (detail->len == 0)
    judge_verify_success (task);
  else
    item_set (self, ITEM_CURSOR_VERIFY, CR_CHECK_FAILED, detail->str,
              fix->len > 0 ? fix->str : NULL, symptom);
}

static void
verify_part_done (GTask *task)
{
  Run *run = task_run (task);

  g_assert (run->verify_waiting > 0);
  if (--run->verify_waiting == 0 && run_is_live (task))
    judge_verify (task);
}

static void
verify_chat_settled (GTask *task)
{
  Run *run = task_run (task);

  run->chat_settled = TRUE;
  if (run->verify_started && run->verify_shares_chat)
    verify_part_done (task);
}

static void
on_preflight (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Run *run = task_run (task);
  g_autoptr(GError) error = NULL;

  run->preflight = cr_gateway_preflight_finish (CR_GATEWAY (source), result, &error);
  if (run_is_live (task) && !(error != NULL && error_is_cancelled (error)))
    {
      run->preflight_error = g_steal_pointer (&error);
      verify_part_done (task);
    }

  run_end_op (task);
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

  run_end_op (task);
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

/* Once both the model list and Cursor's settings are in. */
static void
maybe_start_verify (GTask *task)
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
  run->verify_waiting = 1 + (run->verify_shares_chat && run->chat_settled ? 0 : 1);

  detail = g_strdup_printf (_("Replaying Cursor’s Verify with %s…"), run->verify_model);
  item_set (self, ITEM_CURSOR_VERIFY, CR_CHECK_RUNNING, detail, NULL, NULL);

  cr_gateway_preflight_async (run->gateway, CR_CURSOR_ORIGIN, CR_CURSOR_PREFLIGHT_METHOD,
                              CR_CURSOR_PREFLIGHT_HEADERS, run->cancellable, on_preflight,
                              run_begin_op (task));
  if (!run->verify_shares_chat)
    cr_gateway_chat_async (run->gateway, run->verify_model, run->cancellable, on_verify_chat,
                           run_begin_op (task));
}

static void
verify_models_failed (GTask        *task,
                      const GError *error)
{
  CrChecklist *self = task_checklist (task);
  g_autofree char *why = describe_error (error);
  g_autofree char *detail = g_strdup_printf (_("Verify in Cursor would fail the same way: %s"), why);

  item_set (self, ITEM_CURSOR_VERIFY, CR_CHECK_FAILED, detail, error_fix (error),
            error_symptom (error, "verify"));
}

/* ----------------------------------------------------------------------- */
/* GObject                                                                  */

static void
cr_checklist_dispose (GObject *object)
{
  CrChecklist *self = CR_CHECKLIST (object);

  for (guint i = 0; i < N_ITEMS; i++)
    g_clear_object (&self->items[i]);
  g_clear_object (&self->gateway);

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
  g_clear_pointer (&self->token_usage, cr_token_usage_free);
  g_clear_pointer (&self->cursor_config, g_free);
  g_clear_pointer (&self->cursor_roots, g_strfreev);
  g_clear_pointer (&self->previous_version, g_free);
  g_clear_pointer (&self->previous_facts, g_variant_unref);
  g_clear_pointer (&self->cursor_snapshot, cr_cursor_snapshot_free);
  g_clear_pointer (&self->cursor_history, cr_cursor_history_free);
  g_clear_pointer (&self->verify_model, g_free);

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

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cr_checklist_init (CrChecklist *self)
{
  for (guint i = 0; i < N_ITEMS; i++)
    self->items[i] = cr_check_item_new_in_section (item_table[i].id, _(item_table[i].title),
                                                   i < N_GATEWAY_ITEMS ? CR_CHECK_SECTION_GATEWAY
                                                                       : CR_CHECK_SECTION_CURSOR);

  /* Known without a run: show it from the start. */
  judge_tab (self);
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
  judge_tab (self);
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
  g_clear_pointer (&self->token_usage, cr_token_usage_free);
  g_clear_pointer (&self->cursor_snapshot, cr_cursor_snapshot_free);
  g_clear_pointer (&self->cursor_history, cr_cursor_history_free);
  g_clear_pointer (&self->verify_model, g_free);
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
    ITEM_KEY, ITEM_MODEL, ITEM_CHAT, ITEM_LOGS, ITEM_QUOTA, ITEM_CURSOR_VERIFY,
  };
  /* Verify is last: skipped only when the Cursor section is on. */
  guint n_remote = G_N_ELEMENTS (remote) - (run->cursor ? 0 : 1);

  for (guint i = 0; i < N_ITEMS; i++)
    {
      item_set (self, i, CR_CHECK_PENDING, NULL, NULL, NULL);
      cr_check_item_set_changed (self->items[i], FALSE);
    }
  judge_tab (self);

  cr_checklist_judge_base_url (self->items[ITEM_BASE_URL], run->diagnosis);

  if (!cr_endpoint_is_sendable (run->diagnosis))
    {
      skip_items (self, remote, n_remote,
                  _("Not checked: the base URL has to be fixed first."));
      return FALSE;
    }

  if (self->gateway == NULL && run->masked_key == NULL)
    {
      skip_items (self, remote + 1, n_remote - 1,
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
    start_cursor_read (task);

  if (run_prepare (self, run))
    {
      /* As typed, only trimmed: a wrong URL is reported, never repaired. */
      run->gateway = self->gateway != NULL ? g_object_ref (self->gateway)
                                           : cr_gateway_new (run->diagnosis->input, self->key);

      /* Independent of each other: they go out at once. */
      if (run->cursor)
        item_set (self, ITEM_CURSOR_VERIFY, CR_CHECK_RUNNING,
                  _("Waiting for the model list and Cursor’s settings…"), NULL, NULL);
      start_models (task);
      start_usage (task);
    }

  run_end_op (task);
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

/* The results below belong to the checklist: valid until the next run. */
GPtrArray *
cr_checklist_get_models (CrChecklist *self)
{
  g_return_val_if_fail (CR_IS_CHECKLIST (self), NULL);

  return self->models;
}

CrChatResult *
cr_checklist_get_chat_result (CrChecklist *self)
{
  g_return_val_if_fail (CR_IS_CHECKLIST (self), NULL);

  return self->chat_result;
}

CrTokenUsage *
cr_checklist_get_token_usage (CrChecklist *self)
{
  g_return_val_if_fail (CR_IS_CHECKLIST (self), NULL);

  return self->token_usage;
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
