/* cr-troubleshoot.c
 *
 * The provider guide's "Common Errors And Fixes" table, told in our own
 * words. The strings are msgids: callers translate them when they show them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cr-troubleshoot.h"

static const CrTroubleshootRow rows[] = {
  {
    "verify",
    N_("Cursor’s Verify button (Save in newer versions) reports an error"),
    N_("Either the API key or the base URL is not right."),
    N_("Check the sk-… key again, and make sure the base URL is exactly https://crazyrouter.com/v1."),
  },
  {
    "401",
    N_("Requests are refused as unauthorized (401)"),
    N_("The token is invalid or has expired, or the key was damaged while pasting it."),
    N_("Create a new token in Crazyrouter and paste its key again, exactly as shown, with nothing around it."),
  },
  {
    "403",
    N_("Requests are forbidden (403) or the model is reported as not allowed"),
    N_("The chosen model is not on the token’s list of allowed models."),
    N_("Add that model to the allowed models in the token’s settings on Crazyrouter."),
  },
  {
    "404",
    N_("Requests fail with “not found” (404)"),
    N_("The base URL is only the domain, or it is the full address of one request such as …/v1/chat/completions."),
    N_("Set the base URL to exactly https://crazyrouter.com/v1, with nothing after /v1."),
  },
  {
    "no-models",
    N_("No models appear in Cursor, or the list looks wrong"),
    N_("Cursor could not refresh its list of your own models, or this version of Cursor has compatibility problems."),
    N_("Restart Cursor and verify the key again; if that does not help, update Cursor to its newest stable version."),
  },
  {
    "tab",
    N_("Chat goes through Crazyrouter, but Tab Completion does not"),
    N_("Cursor always runs Tab Completion and similar special features on its own built-in models."),
    N_("Nothing needs fixing: this is how Cursor works, not a Crazyrouter outage."),
  },
  {
    "custom-models",
    N_("Models other than the first one behave strangely"),
    N_("Cursor’s support for custom OpenAI-compatible addresses is not yet reliable for every model, and Cursor sends names beginning with claude- or gemini- to its own Anthropic or Google key, not through Crazyrouter."),
    N_("Make gpt-5.4 work first, then try other models one at a time."),
  },
  {
    "cost",
    N_("Costs rise more than expected"),
    N_("The same token is used by too many tools, or it allows more models than needed."),
    N_("Allow fewer models and give Cursor a token of its own with a spending limit (quota cap)."),
  },
};

const CrTroubleshootRow *
cr_troubleshoot_rows (guint *n_rows)
{
  if (n_rows != NULL)
    *n_rows = G_N_ELEMENTS (rows);

  return rows;
}

const CrTroubleshootRow *
cr_troubleshoot_lookup (const char *id)
{
  if (id == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    if (g_str_equal (rows[i].id, id))
      return &rows[i];

  return NULL;
}

const char *
cr_troubleshoot_for_endpoint (CrEndpointIssue issue)
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
