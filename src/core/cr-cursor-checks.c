/* cr-cursor-checks.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "cr-cursor-checks.h"
#include "cr-text.h"
#include "cr-endpoint.h"
#include "cr-gateway-error.h"
#include "cr-models.h"
#include "cr-troubleshoot.h"

#define SHOWN_URL_CHARS 200

/* ---- Shared sentences --------------------------------------------------- */

#define FIX_KEY N_("Open Cursor Settings → Models → API Keys, paste the sk-… key into " \
                   "OpenAI API Key, switch it on and press Verify (called Save in newer " \
                   "Cursor versions).")
#define FIX_BASE_URL N_("Open Cursor Settings → Models → API Keys, switch on Override OpenAI " \
                        "Base URL and enter exactly %s.")
#define FIX_MODEL N_("Open Cursor Settings → Models and switch %s on; if it is not listed, " \
                     "add it with “+ Add model”.")

/* VS Code keeps its settings in memory and writes them back when it quits. */
const char *
cr_cursor_checks_lag_note (void)
{
  return _("A running Cursor may not have saved its latest changes yet: restart it if "
           "something here looks out of date.");
}

/* Not FOUND: say why, and where to look instead. Never a pass. */
static void
update_unread (CrCheckItem            *item,
               const CrCursorSnapshot *snapshot,
               const char             *fix)
{
  const char *reason = snapshot->reason != NULL ? snapshot->reason
                                                : _("Cursor’s settings could not be read.");
  g_autofree char *detail = cr_text_join_sentences (reason, _("Check this one in Cursor yourself."));

  cr_check_item_update (item, CR_CHECK_NEEDS_YOU, detail, fix, NULL);
}

/* ---- The key -------------------------------------------------------------- */

void
cr_cursor_judge_key (CrCheckItem            *item,
                     const CrCursorSnapshot *snapshot)
{
  g_return_if_fail (CR_IS_CHECK_ITEM (item));
  g_return_if_fail (snapshot != NULL);

  if (snapshot->status != CR_CURSOR_FOUND)
    update_unread (item, snapshot, _(FIX_KEY));
  else if (!snapshot->key_present)
    cr_check_item_update (item, CR_CHECK_FAILED, _("Cursor has no OpenAI API key saved."),
                          _(FIX_KEY), "verify");
  else if (snapshot->use_openai_key == CR_CURSOR_OFF)
    cr_check_item_update (item, CR_CHECK_FAILED,
                          _("An OpenAI API key is saved in Cursor, but its switch is off. Cursor switches it "
                            "off by itself after you log in again or your plan changes, so it may well have "
                            "been on before."),
                          _("Open Cursor Settings → Models → API Keys, switch OpenAI API Key back on and "
                            "press Verify (called Save in newer Cursor versions)."),
                          "verify");
  else if (snapshot->use_openai_key == CR_CURSOR_UNKNOWN)
    cr_check_item_update (item, CR_CHECK_NEEDS_YOU,
                          _("An OpenAI API key is saved in Cursor, but its settings do not say whether the "
                            "key is switched on."),
                          _("Open Cursor Settings → Models → API Keys and make sure OpenAI API Key is "
                            "switched on."),
                          NULL);
  else
    cr_check_item_update (item, CR_CHECK_PASSED,
                          _("An OpenAI API key is saved in Cursor and switched on. This app never reads the "
                            "key itself: Cursor’s Verify button (Save in newer versions) tells whether it is "
                            "the right one."),
                          NULL, NULL);
}

/* ---- The base URL ------------------------------------------------------- */

/* 100.64.0.0/10 (carrier-grade NAT) and fc00::/7 (unique local): private,
 * though GInetAddress has no name for them. */
static gboolean
address_is_private (GInetAddress *address)
{
  const guint8 *bytes = g_inet_address_to_bytes (address);

  if (g_inet_address_get_is_loopback (address) || g_inet_address_get_is_site_local (address)
      || g_inet_address_get_is_link_local (address) || g_inet_address_get_is_any (address))
    return TRUE;

  if (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV4)
    return bytes[0] == 100 && (bytes[1] & 0xc0) == 64;

  return (bytes[0] & 0xfe) == 0xfc;
}

static gboolean
host_is_private (const char *host)
{
  static const char * const local_suffixes[] = {
    ".local", ".lan", ".internal", ".home.arpa", ".localhost", ".localdomain",
  };
  g_autofree char *bare = NULL;
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL || *host == '\0')
    return FALSE;
  if (cr_endpoint_is_loopback_host (host))
    return TRUE;

  bare = g_strdup (host[0] == '[' ? host + 1 : host);
  if (g_str_has_suffix (bare, "]"))
    bare[strlen (bare) - 1] = '\0';
  address = g_inet_address_new_from_string (bare);
  if (address != NULL)
    return address_is_private (address);

  /* A name without a dot only resolves on the local network. */
  if (strchr (bare, '.') == NULL)
    return TRUE;
  for (gsize i = 0; i < G_N_ELEMENTS (local_suffixes); i++)
    if (g_str_has_suffix (bare, local_suffixes[i]))
      return TRUE;

  return FALSE;
}

gboolean
cr_cursor_url_is_private (const char *url)
{
  g_autoptr(GUri) uri = url != NULL ? g_uri_parse (url, G_URI_FLAGS_NONE, NULL) : NULL;

  return uri != NULL && host_is_private (g_uri_get_host (uri));
}

/* Scheme and host compared as URLs are (without case), the rest exactly. */
static gboolean
same_url (const char *a,
          const char *b)
{
  g_autoptr(GUri) ua = g_uri_parse (a, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GUri) ub = g_uri_parse (b, G_URI_FLAGS_NONE, NULL);

  if (ua == NULL || ub == NULL)
    return g_strcmp0 (a, b) == 0;

  return g_ascii_strcasecmp (g_uri_get_scheme (ua), g_uri_get_scheme (ub)) == 0
         && g_ascii_strcasecmp (g_uri_get_host (ua) ? g_uri_get_host (ua) : "",
                                g_uri_get_host (ub) ? g_uri_get_host (ub) : "") == 0
         && cr_endpoint_effective_port (ua) == cr_endpoint_effective_port (ub)
         && g_strcmp0 (g_uri_get_userinfo (ua), g_uri_get_userinfo (ub)) == 0
         && g_strcmp0 (g_uri_get_path (ua), g_uri_get_path (ub)) == 0
         && g_strcmp0 (g_uri_get_query (ua), g_uri_get_query (ub)) == 0
         && g_strcmp0 (g_uri_get_fragment (ua), g_uri_get_fragment (ub)) == 0;
}

static char *
host_of (const char *url)
{
  g_autoptr(GUri) uri = url != NULL ? g_uri_parse (url, G_URI_FLAGS_NONE, NULL) : NULL;

  return uri != NULL && g_uri_get_host (uri) != NULL ? g_ascii_strdown (g_uri_get_host (uri), -1) : NULL;
}

/* Cursor's value differs from @expected: name the mistake when we know it. */
static void
judge_wrong_url (CrCheckItem *item,
                 const char  *value,
                 const char  *shown,
                 const char  *expected)
{
  g_autoptr(CrEndpointDiagnosis) diagnosis = cr_endpoint_diagnose (value);
  g_autofree char *fix = g_strdup_printf (_("Change it to exactly %s."), expected);
  g_autofree char *detail = NULL;
  g_autofree char *host = host_of (diagnosis->input);
  g_autofree char *expected_host = host_of (expected);

  if (diagnosis->severity == CR_SEVERITY_ERROR && diagnosis->fixed_url != NULL
      && same_url (diagnosis->fixed_url, expected))
    {
      detail = g_strdup_printf (_("Cursor has “%s”. %s"), shown, diagnosis->message);
      cr_check_item_update (item, CR_CHECK_FAILED, detail, fix, cr_troubleshoot_for_endpoint (diagnosis->issue));
      return;
    }

  if (host != NULL && expected_host != NULL && g_strcmp0 (host, expected_host) != 0)
    detail = g_strdup_printf (_("Cursor has “%s”, which points at %s, but you set up %s."),
                              shown, host, expected);
  else if (diagnosis->severity == CR_SEVERITY_ERROR)
    detail = g_strdup_printf (_("Cursor has “%s”, but you set up %s. %s"),
                              shown, expected, diagnosis->message);
  else
    detail = g_strdup_printf (_("Cursor has “%s”, but you set up %s."), shown, expected);

  cr_check_item_update (item, CR_CHECK_FAILED, detail, fix,
                        diagnosis->severity == CR_SEVERITY_ERROR ? cr_troubleshoot_for_endpoint (diagnosis->issue) : "verify");
}

/* Cursor matches the address set up here, but that one is wrong too: no
 * pass for copying a mistake. */
static void
judge_copied_mistake (CrCheckItem *item,
                      const char  *expected,
                      const char  *shown)
{
  g_autoptr(CrEndpointDiagnosis) diagnosis = cr_endpoint_diagnose (expected);
  g_autofree char *detail = NULL;
  g_autofree char *fix = NULL;

  detail = g_strdup_printf (_("Cursor has “%s”, the same address as here, and it cannot work: %s"),
                            shown, diagnosis->message);
  fix = g_strdup_printf (_("Change it to exactly %s."),
                         diagnosis->fixed_url != NULL ? diagnosis->fixed_url : CR_DEFAULT_BASE_URL);
  cr_check_item_update (item, CR_CHECK_FAILED, detail, fix, cr_troubleshoot_for_endpoint (diagnosis->issue));
}

/* The address Cursor should have: the one set up here, or its repair when
 * that one is wrong (Cursor is never told to copy a mistake). */
static char *
target_url (const char *expected)
{
  g_autoptr(CrEndpointDiagnosis) diagnosis = cr_endpoint_diagnose (expected);

  if (diagnosis->severity != CR_SEVERITY_ERROR)
    return g_strdup (expected);

  return g_strdup (diagnosis->fixed_url != NULL ? diagnosis->fixed_url : CR_DEFAULT_BASE_URL);
}

/* Cursor's override is on: is @value (shown as @shown) the right address? */
static void
judge_found_url (CrCheckItem *item,
                 const char  *value,
                 const char  *shown,
                 const char  *expected)
{
  g_autofree char *target = target_url (expected);
  g_autofree char *trimmed = g_strstrip (g_strdup (value));
  g_autofree char *detail = NULL;
  g_autofree char *fix = NULL;

  if (strcmp (trimmed, value) != 0 && same_url (trimmed, target))
    {
      detail = g_strdup_printf (_("Cursor has “%s” with a space or line break around it, which breaks "
                                  "every request."), shown);
      fix = g_strdup_printf (_("Change it to exactly %s, with nothing before or after it."), target);
      cr_check_item_update (item, CR_CHECK_FAILED, detail, fix, "verify");
    }
  else if (same_url (value, expected) && !g_str_equal (target, expected))
    judge_copied_mistake (item, expected, shown);
  else if (!same_url (value, target))
    judge_wrong_url (item, value, shown, target);
  else if (cr_cursor_url_is_private (target))
    {
      detail = g_strdup_printf (_("Cursor has “%s”, the address you set up. But Cursor calls this "
                                  "address from its own servers, not from this computer, so a local "
                                  "or private-network address cannot work in Cursor, even though "
                                  "the checks here reach it."), shown);
      fix = g_strdup_printf (_("Use a gateway address that can be reached from the internet over "
                               "https, such as %s."), CR_DEFAULT_BASE_URL);
      cr_check_item_update (item, CR_CHECK_WARNING, detail, fix, "verify");
    }
  else
    {
      if (g_str_equal (target, expected))
        detail = g_strdup_printf (_("Cursor’s Override OpenAI Base URL is “%s”, exactly the address you "
                                    "set up."), shown);
      else
        detail = g_strdup_printf (_("Cursor’s Override OpenAI Base URL is “%s”, exactly right; the "
                                    "address set up here needs the same fix."), shown);
      cr_check_item_update (item, CR_CHECK_PASSED, detail, NULL, NULL);
    }
}

void
cr_cursor_judge_base_url (CrCheckItem            *item,
                          const CrCursorSnapshot *snapshot,
                          const char             *base_url)
{
  g_autofree char *expected = g_strstrip (g_strdup (base_url != NULL ? base_url : CR_DEFAULT_BASE_URL));
  g_autofree char *target = target_url (expected);
  g_autofree char *manual = NULL;
  g_autofree char *redacted = NULL;
  g_autofree char *shown = NULL;

  g_return_if_fail (CR_IS_CHECK_ITEM (item));
  g_return_if_fail (snapshot != NULL);

  manual = g_strdup_printf (_(FIX_BASE_URL), target);
  if (snapshot->status != CR_CURSOR_FOUND)
    {
      update_unread (item, snapshot, manual);
      return;
    }

  if (snapshot->openai_base_url == NULL)
    {
      cr_check_item_update (item, CR_CHECK_FAILED,
                            _("Override OpenAI Base URL is off in Cursor, so Cursor sends your requests to "
                              "OpenAI instead of your gateway."),
                            manual, "verify");
      return;
    }

  /* What was found, as it is, but never a password or a key. */
  redacted = cr_cursor_redact_url (snapshot->openai_base_url);
  shown = cr_text_sanitize (redacted, -1, SHOWN_URL_CHARS);
  judge_found_url (item, snapshot->openai_base_url, shown, expected);
}

/* ---- The model ---------------------------------------------------------- */

static void
judge_model_enabled (CrCheckFindings        *findings,
                     const CrCursorSnapshot *snapshot,
                     const char             *model)
{
  gboolean switched_off = snapshot->disabled_models != NULL
                          && g_strv_contains ((const char * const *) snapshot->disabled_models, model);

  switch (cr_cursor_snapshot_model_enabled (snapshot, model))
    {
    case CR_CURSOR_ON:
      cr_check_findings_add (findings, CR_CHECK_PASSED, NULL,
                    g_strdup_printf (_("%s is enabled in Cursor."), model), NULL);
      break;
    case CR_CURSOR_OFF:
      cr_check_findings_add (findings, CR_CHECK_FAILED, "no-models",
                    g_strdup_printf (switched_off ? _("%s is switched off in Cursor.")
                                                  : _("%s is not enabled in Cursor."), model),
                    g_strdup_printf (_(FIX_MODEL), model));
      break;
    case CR_CURSOR_UNKNOWN:
    default:
      cr_check_findings_add (findings, CR_CHECK_NEEDS_YOU, NULL,
                    g_strdup_printf (_("Cursor’s settings do not say whether %s is enabled."), model),
                    g_strdup_printf (_(FIX_MODEL), model));
      break;
    }
}

/* Cursor sends claude-… and gemini-… names to its own Anthropic and Google
 * key slots, whatever the OpenAI override says (cr-models' table). */
static void
judge_model_slots (CrCheckFindings        *findings,
                   const CrCursorSnapshot *snapshot,
                   const char             *model)
{
  g_autoptr(GPtrArray) elsewhere = g_ptr_array_new ();
  g_autofree char *names = NULL;
  g_autofree char *recommended = NULL;
  g_autofree char *use = NULL;

  if (cr_cursor_model_key_slot (model) != CR_CURSOR_SLOT_OPENAI)
    g_ptr_array_add (elsewhere, (gpointer) model);
  for (gsize i = 0; snapshot->custom_models != NULL && snapshot->custom_models[i] != NULL; i++)
    if (cr_cursor_model_key_slot (snapshot->custom_models[i]) != CR_CURSOR_SLOT_OPENAI
        && g_strcmp0 (snapshot->custom_models[i], model) != 0)
      g_ptr_array_add (elsewhere, snapshot->custom_models[i]);

  if (elsewhere->len == 0)
    return;

  g_ptr_array_add (elsewhere, NULL);
  names = g_strjoinv (", ", (char **) elsewhere->pdata);
  recommended = cr_models_recommended_list ();
  use = g_strdup_printf (_("For your gateway, use models whose names Cursor sends to the OpenAI key, "
                           "such as %s."), recommended);
  cr_check_findings_add (findings, CR_CHECK_WARNING, "custom-models",
                g_strdup_printf (_("Cursor sends models whose names begin with “claude-” or “gemini-” "
                                   "(%s) to its own Anthropic or Google key, not to the OpenAI base URL, "
                                   "so they do not go through your gateway."), names),
                g_strjoin (" ", use,
                           _("For Claude models through your gateway, use another tool, such as Claude Code."),
                           NULL));
}

void
cr_cursor_judge_model (CrCheckItem            *item,
                       const CrCursorSnapshot *snapshot,
                       const char             *model)
{
  CrCheckFindings findings = CR_CHECK_FINDINGS_INIT;

  g_return_if_fail (CR_IS_CHECK_ITEM (item));
  g_return_if_fail (snapshot != NULL);
  g_return_if_fail (model != NULL);

  if (snapshot->status != CR_CURSOR_FOUND)
    {
      g_autofree char *manual = g_strdup_printf (_(FIX_MODEL), model);

      update_unread (item, snapshot, manual);
      return;
    }


  judge_model_enabled (&findings, snapshot, model);
  judge_model_slots (&findings, snapshot, model);

  cr_check_findings_apply (&findings, item);
}

/* ---- Verify --------------------------------------------------------------- */

char *
cr_cursor_verify_model (const CrCursorSnapshot *snapshot,
                        const char * const     *allowed,
                        const char             *chosen)
{
  g_return_val_if_fail (chosen != NULL, NULL);

  if (snapshot == NULL || snapshot->status != CR_CURSOR_FOUND || snapshot->enabled_models == NULL)
    return g_strdup (chosen);

  for (gsize i = 0; snapshot->enabled_models[i] != NULL; i++)
    {
      const char *model = snapshot->enabled_models[i];

      if (cr_cursor_model_key_slot (model) == CR_CURSOR_SLOT_OPENAI
          && (allowed == NULL || g_strv_contains (allowed, model)))
        return g_strdup (model);
    }

  return g_strdup (chosen);
}
