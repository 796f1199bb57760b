/* cr-checklist-judge.c: the checklist's verdicts that need no network
 *
 * The base URL, the quota and Tab Completion are judged here from what is
 * already known, and every error the other stages meet is put into words
 * here (cause, fix, troubleshooting row), with the key scrubbed from
 * anything a server said. Part of CrChecklist (see cr-checklist.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "cr-checklist-private.h"
#include "cr-text.h"
#include "cr-models.h"
#include "cr-key.h"
#include "cr-troubleshoot.h"

/* Cursor needs one or two models; a few more is still a deliberate choice. */
#define WIDE_ALLOWLIST     3

/* ----------------------------------------------------------------------- */
/* Small helpers                                                           */

/* Defence in depth: a detail built from a server's words must never show
 * the key, even if a hostile server echoes it back. */
char *
_cr_checklist_scrub_key (CrChecklist *self,
                         const char  *text)
{
  return cr_key_scrub (text, self->key);
}

/* The likely cause, then what the server itself said. */
char *
_cr_checklist_describe_error (const GError *error)
{
  g_autofree char *answer = NULL;

  if (error->domain != CR_GATEWAY_ERROR)
    return g_strdup (error->message);

  answer = cr_gateway_error_describe_answer (error);
  return cr_text_join_sentences (cr_gateway_error_get_cause (error), answer);
}

const char *
_cr_checklist_error_fix (const GError *error)
{
  return error->domain == CR_GATEWAY_ERROR ? cr_gateway_error_get_fix (error) : NULL;
}

/* The troubleshooting row (cr-troubleshoot.h) that matches @error. */
const char *
_cr_checklist_error_symptom (const GError *error,
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
                            cr_troubleshoot_for_endpoint (diagnosis->issue));
      break;
    }
}

/* Collects the findings of one item: the worst status wins, and every
 * finding adds a sentence to the detail and to the fix. */
static void
judge_quota_failures (CrCheckFindings    *verdict,
                      const CrTokenUsage *usage,
                      const char         *model,
                      gint64              now)
{
  if (usage->expires_at > 0 && usage->expires_at <= now)
    {
      g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (usage->expires_at);
      g_autofree char *date = when != NULL ? g_date_time_format (when, "%Y-%m-%d") : g_strdup ("?");

      cr_check_findings_add (verdict, CR_CHECK_FAILED, "401",
                   g_strdup_printf (_("This token expired on %s."), date),
                   g_strdup (_("Extend the token in Crazyrouter, or create a new one for Cursor.")));
    }

  if (!usage->unlimited_quota && usage->total_available <= 0)
    cr_check_findings_add (verdict, CR_CHECK_FAILED, "401",
                 g_strdup (_("This token’s quota is used up.")),
                 g_strdup (_("Raise the token’s quota in Crazyrouter.")));

  if (usage->model_limits_enabled
      && (usage->model_limits == NULL || !g_strv_contains ((const char * const *) usage->model_limits, model)))
    cr_check_findings_add (verdict, CR_CHECK_FAILED, "403",
                 g_strdup_printf (_("%s is not in this token’s model allowlist."), model),
                 g_strdup_printf (_("Allow %s in the token’s settings in Crazyrouter."), model));
}

static void
judge_quota_warnings (CrCheckFindings    *verdict,
                      const CrTokenUsage *usage,
                      const char         *model)
{
  guint n_limits = usage->model_limits != NULL ? g_strv_length (usage->model_limits) : 0;
  /* Name only models that go through the gateway in Cursor. */
  g_autofree char *suggested = cr_models_through_gateway (model) ? g_strdup (model)
                                                                 : cr_models_recommended_list ();

  if (usage->unlimited_quota)
    cr_check_findings_add (verdict, CR_CHECK_WARNING, "cost",
                 g_strdup (_("The token has no quota cap.")),
                 g_strdup (_("Give the token a quota cap so Cursor has its own budget: strongly recommended.")));

  if (!usage->model_limits_enabled)
    cr_check_findings_add (verdict, CR_CHECK_WARNING, "cost",
                 g_strdup (_("The model allowlist is off, so this token may use every model.")),
                 g_strdup_printf (_("Turn on the allowlist and keep only the models Cursor should use, such as %s."),
                                  suggested));
  else if (n_limits > WIDE_ALLOWLIST)
    {
      g_autofree char *names = g_strjoinv (", ", usage->model_limits);

      cr_check_findings_add (verdict, CR_CHECK_WARNING, "cost",
                   g_strdup_printf (_("The allowlist has %u models (%s), more than Cursor needs."),
                                    n_limits, names),
                   g_strdup_printf (_("Keep only the models Cursor should use, such as %s."), suggested));
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
  CrCheckFindings verdict = CR_CHECK_FINDINGS_INIT;

  g_return_if_fail (CR_IS_CHECK_ITEM (item));
  g_return_if_fail (usage != NULL);

  if (model == NULL)
    model = CR_DEFAULT_MODEL;

  judge_quota_failures (&verdict, usage, model, now);
  judge_quota_warnings (&verdict, usage, model);

  if (verdict.detail == NULL)
    verdict.detail = describe_good_quota (usage, model);

  cr_check_findings_apply (&verdict, item);
}

void
_cr_checklist_judge_tab (CrChecklist *self)
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
