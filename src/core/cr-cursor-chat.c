/* cr-cursor-chat.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "cr-cursor-chat.h"
#include "cr-text.h"

/* Our clock and the gateway's need not agree to the second. */
#define CLOCK_SKEW_S     5
/* Our checks send a prompt of a few tokens; Cursor sends context. */
#define CHECK_PROMPT_TOKENS 64
/* Older than this, an entry says how Cursor was, not how it is. */
#define STALE_S          (24 * 60 * 60)
#define SHOWN_CHARS      300

static gboolean
explains (const CrSentRequest *ours,
          const CrLogEntry    *entry,
          gint64               now)
{
  gint64 until = ours->settled_at > 0 ? ours->settled_at : now;
  gboolean error_entry = entry->type == CR_LOG_TYPE_ERROR;

  if ((ours->outcome == CR_SENT_ANSWERED && error_entry) || (ours->outcome == CR_SENT_FAILED && !error_entry))
    return FALSE;

  return g_strcmp0 (ours->model, entry->model_name) == 0
         && ours->streamed == entry->is_stream
         && entry->created_at >= ours->sent_at - CLOCK_SKEW_S
         && entry->created_at <= until + CLOCK_SKEW_S;
}

/* This app's checks are never streamed and carry a prompt of a few tokens:
 * such an entry may be from an earlier check (another run does not know
 * what this one sent), and Cursor streams its chats. */
static gboolean
looks_like_a_check (const CrLogEntry *entry)
{
  return !entry->is_stream && entry->prompt_tokens <= CHECK_PROMPT_TOKENS;
}

const CrLogEntry *
cr_cursor_chat_find (GPtrArray *logs,
                     GPtrArray *sent,
                     gint64     since,
                     gint64     now)
{
  g_autofree gboolean *taken = NULL;

  g_return_val_if_fail (logs != NULL, NULL);

  taken = g_new0 (gboolean, logs->len + 1);
  /* Each request of ours takes the entry it explains that was written
   * closest to when it was sent. */
  for (guint s = 0; sent != NULL && s < sent->len; s++)
    {
      const CrSentRequest *ours = g_ptr_array_index (sent, s);
      gint64 best_distance = G_MAXINT64;
      guint best = logs->len;

      for (guint i = 0; i < logs->len; i++)
        {
          const CrLogEntry *entry = g_ptr_array_index (logs, i);
          gint64 distance = ABS (entry->created_at - ours->sent_at);

          if (!taken[i] && explains (ours, entry, now) && distance < best_distance)
            {
              best_distance = distance;
              best = i;
            }
        }
      if (best < logs->len)
        taken[best] = TRUE;
    }

  for (guint i = 0; i < logs->len; i++)
    {
      const CrLogEntry *entry = g_ptr_array_index (logs, i);

      if (taken[i] || entry->created_at < since - CLOCK_SKEW_S || looks_like_a_check (entry))
        continue;
      /* Top-ups, refunds and the like are not requests. */
      if (entry->type == CR_LOG_TYPE_CONSUME || entry->type == CR_LOG_TYPE_ERROR)
        return entry;
    }

  return NULL;
}

static gboolean
contains_any (const char         *text,
              const char * const *needles)
{
  g_autofree char *lower = g_utf8_strdown (text, -1);

  for (gsize i = 0; needles[i] != NULL; i++)
    if (strstr (lower, needles[i]) != NULL)
      return TRUE;
  return FALSE;
}

CrGatewayError
cr_cursor_chat_error_code (const char *content,
                           gboolean   *responses_shape)
{
  static const char * const shape[] = { "field messages is required", NULL };
  static const char * const model[] = { "no access to model", "无权访问模型", "model_not_allowed", NULL };
  static const char * const ip[] = { "access_denied", "ip 不在", "your ip", "allowed addresses", NULL };
  static const char * const quota[] = { "quota", "额度", NULL };
  static const char * const token[] = { "invalid token", "无效的令牌", "token has expired", "已过期",
                                        "disabled", "已禁用", NULL };
  static const char * const channel[] = { "no available channel", "model_not_found", "无可用渠道", NULL };
  static const char * const limit[] = { "rate limit", "too many requests", "request limit", NULL };

  if (responses_shape != NULL)
    *responses_shape = FALSE;
  if (content == NULL)
    return CR_GATEWAY_ERROR_HTTP;

  if (contains_any (content, shape))
    {
      if (responses_shape != NULL)
        *responses_shape = TRUE;
      return CR_GATEWAY_ERROR_HTTP;
    }
  if (contains_any (content, model))
    return CR_GATEWAY_ERROR_MODEL_NOT_ALLOWED;
  if (contains_any (content, ip))
    return CR_GATEWAY_ERROR_IP_NOT_ALLOWED;
  if (contains_any (content, quota))
    return CR_GATEWAY_ERROR_QUOTA;
  if (contains_any (content, token))
    return CR_GATEWAY_ERROR_UNAUTHORIZED;
  if (contains_any (content, channel))
    return CR_GATEWAY_ERROR_MODEL_UNAVAILABLE;
  if (contains_any (content, limit))
    return CR_GATEWAY_ERROR_RATE_LIMITED;
  return CR_GATEWAY_ERROR_HTTP;
}

char *
cr_cursor_chat_format_ago (gint64 seconds)
{
  gint64 n;

  seconds = MAX (seconds, 0);
  if (seconds < 5)
    return g_strdup (_("just now"));
  if (seconds < 60)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d second ago", "%d seconds ago", seconds),
                            (int) seconds);
  if (seconds < 60 * 60)
    {
      n = seconds / 60;
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute ago", "%d minutes ago", n), (int) n);
    }
  if (seconds < 48 * 60 * 60)
    {
      n = seconds / (60 * 60);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour ago", "%d hours ago", n), (int) n);
    }
  n = seconds / (24 * 60 * 60);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day ago", "%d days ago", n), (int) n);
}

char *
cr_cursor_chat_format_cost (gint64 quota,
                            gint64 quota_per_unit)
{
  double dollars;

  if (quota_per_unit <= 0)
    return NULL;

  dollars = (double) MAX (quota, 0) / (double) quota_per_unit;
  /* One chat costs cents or less: show enough digits to tell them apart. */
  return g_strdup_printf (dollars < 1.0 ? "$%.4f" : "$%.2f", dollars);
}

static void
judge_consume (CrCheckItem      *item,
               const CrLogEntry *entry,
               gint64            quota_per_unit,
               const char       *ago)
{
  g_autofree char *cost = cr_cursor_chat_format_cost (entry->quota, quota_per_unit);
  g_autofree char *detail = NULL;
  const char *model = entry->model_name != NULL ? entry->model_name : "?";

  /* Plain %u: xgettext cannot read G_GINT64_FORMAT in a message. */
  guint prompt = (guint) CLAMP (entry->prompt_tokens, 0, G_MAXUINT);
  guint completion = (guint) CLAMP (entry->completion_tokens, 0, G_MAXUINT);
  guint seconds = (guint) CLAMP (entry->use_time, 0, G_MAXUINT);

  if (cost != NULL)
    detail = g_strdup_printf (entry->is_stream
                              ? _("Cursor’s request with %s reached Crazyrouter %s and was answered, streamed, "
                                  "in %u s: %u prompt and %u completion tokens, costing %s.")
                              : _("Cursor’s request with %s reached Crazyrouter %s and was answered in %u s: "
                                  "%u prompt and %u completion tokens, costing %s."),
                              model, ago, seconds, prompt, completion, cost);
  else
    detail = g_strdup_printf (entry->is_stream
                              ? _("Cursor’s request with %s reached Crazyrouter %s and was answered, streamed, "
                                  "in %u s: %u prompt and %u completion tokens.")
                              : _("Cursor’s request with %s reached Crazyrouter %s and was answered in %u s: "
                                  "%u prompt and %u completion tokens."),
                              model, ago, seconds, prompt, completion);

  cr_check_item_update (item, CR_CHECK_PASSED, detail, NULL, NULL);
}

static const char *
symptom_for (CrGatewayError code)
{
  switch (code)
    {
    case CR_GATEWAY_ERROR_UNAUTHORIZED:
      return "401";
    case CR_GATEWAY_ERROR_MODEL_NOT_ALLOWED:
    case CR_GATEWAY_ERROR_IP_NOT_ALLOWED:
    case CR_GATEWAY_ERROR_QUOTA:
      return "403";
    default:
      return "verify";
    }
}

static void
judge_error (CrCheckItem      *item,
             const CrLogEntry *entry,
             const char       *ago)
{
  g_autofree char *words = cr_text_sanitize (entry->content != NULL ? entry->content : "", -1, SHOWN_CHARS);
  const char *model = entry->model_name != NULL ? entry->model_name : "?";
  g_autofree char *detail = NULL;
  gboolean shape = FALSE;
  CrGatewayError code = cr_cursor_chat_error_code (entry->content, &shape);

  if (shape)
    {
      detail = g_strdup_printf (_("Cursor’s request with %s reached Crazyrouter %s and was refused: “%s”. "
                                  "This is a known Cursor bug: some Cursor versions send GPT-5 models in a "
                                  "newer request format that the gateway does not accept."), model, ago, words);
      cr_check_item_update (item, CR_CHECK_FAILED, detail,
                            _("Update Cursor when a version with the fix is out. Until then, choose another "
                              "model in Cursor’s chat, or use a tool that talks to the gateway directly, "
                              "such as Claude Code, Codex or Cline."), "verify");
      return;
    }

  detail = g_strdup_printf (_("Cursor’s request with %s reached Crazyrouter %s and failed: “%s”. %s"),
                            model, ago, words, cr_gateway_error_code_cause (code));
  cr_check_item_update (item, CR_CHECK_FAILED, detail, cr_gateway_error_code_fix (code), symptom_for (code));
}

void
cr_cursor_chat_judge_seen (CrCheckItem      *item,
                           const CrLogEntry *entry,
                           gint64            quota_per_unit,
                           gint64            now)
{
  g_autofree char *ago = NULL;
  g_autofree char *detail = NULL;

  g_return_if_fail (CR_IS_CHECK_ITEM (item));
  g_return_if_fail (entry != NULL);

  ago = cr_cursor_chat_format_ago (now - entry->created_at);
  if (now - entry->created_at > STALE_S)
    {
      detail = g_strdup_printf (_("Cursor’s last request reached Crazyrouter %s. That shows how Cursor was "
                                  "set up then, not today."), ago);
      cr_check_item_update (item, CR_CHECK_NEEDS_YOU, detail,
                            _("Send one message in Cursor’s chat, then check again."), NULL);
      return;
    }

  if (entry->type == CR_LOG_TYPE_ERROR)
    judge_error (item, entry, ago);
  else
    judge_consume (item, entry, quota_per_unit, ago);
}

void
cr_cursor_chat_judge_waiting (CrCheckItem *item,
                              const char  *model,
                              guint        seconds_left)
{
  g_autofree char *detail = NULL;
  guint minutes = (seconds_left + 59) / 60;

  g_return_if_fail (CR_IS_CHECK_ITEM (item));

  if (seconds_left >= 60)
    detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Send one message in Cursor’s chat with %s now. Watching the token’s "
                                           "logs for it: %u minute left.",
                                           "Send one message in Cursor’s chat with %s now. Watching the token’s "
                                           "logs for it: %u minutes left.", minutes),
                              model, minutes);
  else
    detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Send one message in Cursor’s chat with %s now. Watching the token’s "
                                           "logs for it: %u second left.",
                                           "Send one message in Cursor’s chat with %s now. Watching the token’s "
                                           "logs for it: %u seconds left.", seconds_left),
                              model, seconds_left);
  cr_check_item_update (item, CR_CHECK_RUNNING, detail, NULL, NULL);
}

void
cr_cursor_chat_judge_nothing (CrCheckItem *item,
                              const char  *model,
                              guint        watched)
{
  g_autofree char *detail = NULL;
  g_autofree char *fix = NULL;

  g_return_if_fail (CR_IS_CHECK_ITEM (item));

  if (watched > 0)
    detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "No request from Cursor reached Crazyrouter in %u minute.",
                                           "No request from Cursor reached Crazyrouter in %u minutes.",
                                           (watched + 59) / 60),
                              (watched + 59) / 60);
  else
    detail = g_strdup (_("The token’s recent logs show no request from Cursor yet."));
  fix = g_strdup_printf (_("Send one message in Cursor’s chat (or Ask) with %s, then check again. If it "
                           "still does not arrive, Cursor is not using this key and base URL: check the "
                           "Cursor items above."), model);
  cr_check_item_update (item, CR_CHECK_NEEDS_YOU, detail, fix, NULL);
}

void
cr_cursor_chat_judge_unread (CrCheckItem  *item,
                             const GError *error,
                             guint         minutes_to_wait)
{
  g_autofree char *detail = NULL;
  g_autofree char *fix = NULL;

  g_return_if_fail (CR_IS_CHECK_ITEM (item));
  g_return_if_fail (error != NULL);

  if (g_error_matches (error, CR_GATEWAY_ERROR, CR_GATEWAY_ERROR_RATE_LIMITED))
    {
      minutes_to_wait = MAX (minutes_to_wait, 1);
      detail = g_strdup (_("The gateway lets a token’s logs and usage be read only 20 times in 20 minutes, "
                           "and that many reads were made. Your setup is not at fault."));
      fix = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "Wait about %u minute, then check again, or look for Cursor’s request "
                                          "in the token’s logs on Crazyrouter’s website.",
                                          "Wait about %u minutes, then check again, or look for Cursor’s request "
                                          "in the token’s logs on Crazyrouter’s website.", minutes_to_wait),
                             minutes_to_wait);
      cr_check_item_update (item, CR_CHECK_NEEDS_YOU, detail, fix, NULL);
      return;
    }

  detail = g_strdup_printf (_("The token’s logs could not be read from here (%s), so Cursor’s request cannot "
                              "be seen."), error->message);
  cr_check_item_update (item, CR_CHECK_NEEDS_YOU, detail,
                        _("Send one message in Cursor’s chat, then open the token’s logs on Crazyrouter’s "
                          "website and look for it: its time and model show that it went through."),
                        NULL);
}
