/* cr-cli-text.c: the checklist as text, item by item
 *
 * Each item is printed the moment it settles, in colour on a terminal
 * (unless NO_COLOR), with the Cursor section under its own heading.
 * Part of the terminal front end (see cr-cli.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <unistd.h>

#include "cr-cli-private.h"
#include "cr-cursor-checks.h"

/* --- text output ------------------------------------------------------ */

#define COLOR_RESET  "\033[0m"
#define COLOR_BOLD   "\033[1m"
#define COLOR_GREEN  "\033[1;32m"
#define COLOR_RED    "\033[1;31m"
#define COLOR_YELLOW "\033[1;33m"
#define COLOR_CYAN   "\033[1;36m"

gboolean
_cr_cli_use_color (void)
{
  const char *no_color = g_getenv ("NO_COLOR");

  return isatty (STDOUT_FILENO) && (no_color == NULL || *no_color == '\0');
}

static const char *
status_word (CrCheckStatus  status,
             const char   **color)
{
  switch (status)
    {
    case CR_CHECK_PASSED:
      *color = COLOR_GREEN;
      /* TRANSLATORS: a check's result in the terminal; keep it short */
      return C_("check status", "PASS");
    case CR_CHECK_FAILED:
      *color = COLOR_RED;
      return C_("check status", "FAIL");
    case CR_CHECK_WARNING:
      *color = COLOR_YELLOW;
      return C_("check status", "WARN");
    case CR_CHECK_NEEDS_YOU:
      *color = COLOR_CYAN;
      /* TRANSLATORS: a step the person must do themselves */
      return C_("check status", "TODO");
    case CR_CHECK_PENDING:
    case CR_CHECK_RUNNING:
    default:
      *color = COLOR_RESET;
      return NULL;
    }
}

static void
print_indented (const char *prefix,
                const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    g_print ("      %s%s\n", i == 0 ? prefix : "", lines[i]);
}

gboolean
_cr_cli_in_cursor_section (CrCheckItem *item)
{
  return g_strcmp0 (cr_check_item_get_section (item), CR_CHECK_SECTION_CURSOR) == 0;
}

static void
print_item (CrCli       *cli,
            CrCheckItem *item)
{
  const char *color = NULL;
  const char *word = status_word (cr_check_item_get_status (item), &color);
  g_autofree char *title = _cr_cli_scrub (cli, cr_check_item_get_title (item));
  g_autofree char *detail = _cr_cli_scrub (cli, cr_check_item_get_detail (item));
  g_autofree char *fix = _cr_cli_scrub (cli, cr_check_item_get_fix (item));
  int pad = MAX (0, 4 - (int) g_utf8_strlen (word, -1));

  if (cli->color)
    g_print ("%s%s%s%*s  %s%s%s\n", color, word, COLOR_RESET, pad, "",
             COLOR_BOLD, title, COLOR_RESET);
  else
    g_print ("%s%*s  %s\n", word, pad, "", title);

  if (cr_check_item_get_changed (item))
    print_indented ("", _("Changed since the last check."));
  if (detail != NULL && *detail != '\0')
    print_indented ("", detail);
  if (fix != NULL && *fix != '\0')
    /* TRANSLATORS: put before what to do about a failed check */
    print_indented (_("Fix: "), fix);

  fflush (stdout);
}

void
_cr_cli_on_item_status (CrCheckItem *item,
                        GParamSpec  *pspec,
                        CrCli       *cli)
{
  const char *color;

  /* Cursor's items wait for their own heading, after the gateway's. */
  if (status_word (cr_check_item_get_status (item), &color) == NULL ||
      g_hash_table_contains (cli->printed, item) || (pspec != NULL && _cr_cli_in_cursor_section (item)))
    return;

  g_hash_table_add (cli->printed, item);
  if (!cli->json)
    print_item (cli, item);
}

void
_cr_cli_print_header (CrCli      *cli,
                      const char *base_url,
                      const char *model)
{
  g_autofree char *source = NULL;

  switch (cli->key_source)
    {
    case KEY_FROM_STDIN:
      source = g_strdup (_("from standard input"));
      break;
    case KEY_FROM_ENV:
      source = g_strdup (_("from CRAZYROUTER_API_KEY"));
      break;
    case KEY_FROM_KEYRING:
    default:
      source = g_strdup_printf (_("from the keyring, profile “%s”"), cli->profile);
      break;
    }

  /* TRANSLATORS: "Checking <base URL> with key sk-…ab12 (from …) and model <id>" */
  g_print (_("Checking %s with key %s (%s) and model %s\n"),
           base_url, cli->masked, source, model);
  fflush (stdout);
}

static char *
cursor_heading (CrCursorSnapshot *snapshot)
{
  if (snapshot == NULL)
    return g_strdup (_("Cursor"));

  switch (snapshot->status)
    {
    case CR_CURSOR_FOUND:
      if (snapshot->version != NULL)
        /* TRANSLATORS: "Cursor 1.5.0, settings read from /home/…/state.vscdb" */
        return g_strdup_printf (_("Cursor %s, settings read from %s"), snapshot->version, snapshot->path);
      return g_strdup_printf (_("Cursor (version unknown), settings read from %s"), snapshot->path);
    case CR_CURSOR_NOT_INSTALLED:
      if (snapshot->version != NULL)
        return g_strdup_printf (_("Cursor %s, but no settings found in %s"), snapshot->version, snapshot->path);
      return g_strdup_printf (_("Cursor: no settings found in %s"), snapshot->path);
    case CR_CURSOR_UNREADABLE:
    default:
      return g_strdup_printf (_("Cursor: its settings in %s could not be read"), snapshot->path);
    }
}

/* The Cursor section's heading, and whether Cursor changed since last time. */
void
_cr_cli_print_cursor_heading (CrCli *cli)
{
  CrCursorSnapshot *snapshot = cr_checklist_get_cursor_snapshot (cli->checklist);
  const CrCursorHistory *history = cr_checklist_get_cursor_history (cli->checklist);
  g_autofree char *heading = cursor_heading (snapshot);

  if (cli->color)
    g_print ("\n%s%s%s\n", COLOR_BOLD, heading, COLOR_RESET);
  else
    g_print ("\n%s\n", heading);

  if (history != NULL && history->updated)
    /* TRANSLATORS: "Cursor was updated from 1.4.2 to 1.5.0 — checking again." */
    g_print (_("Cursor was updated from %s to %s — checking again.\n"),
             history->previous_version, history->current_version);
  if (snapshot != NULL && snapshot->status == CR_CURSOR_FOUND)
    g_print ("%s\n", cr_cursor_checks_lag_note ());
}

void
_cr_cli_print_summary (CrCli *cli)
{
  guint passed = cr_checklist_count (cli->checklist, CR_CHECK_PASSED);
  guint warnings = cr_checklist_count (cli->checklist, CR_CHECK_WARNING);
  guint todo = cr_checklist_count (cli->checklist, CR_CHECK_NEEDS_YOU);
  guint failed = cr_checklist_count (cli->checklist, CR_CHECK_FAILED);
  g_autofree char *n_passed = NULL;
  g_autofree char *n_warnings = NULL;
  g_autofree char *n_todo = NULL;
  g_autofree char *n_failed = NULL;

  n_passed = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u passed", "%u passed", passed), passed);
  n_warnings = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u warning", "%u warnings", warnings), warnings);
  n_todo = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u needs you", "%u need you", todo), todo);
  n_failed = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u failed", "%u failed", failed), failed);

  if (failed == 0)
    /* TRANSLATORS: the parts are "5 passed", "1 warning", "1 needs you", "0 failed" */
    g_print (_("Summary: %s, %s, %s, %s. No check failed.\n"),
             n_passed, n_warnings, n_todo, n_failed);
  else
    /* TRANSLATORS: the parts are "5 passed", "1 warning", "1 needs you", "1 failed" */
    g_print (_("Summary: %s, %s, %s, %s. Fix what failed and run the check again.\n"),
             n_passed, n_warnings, n_todo, n_failed);
}
