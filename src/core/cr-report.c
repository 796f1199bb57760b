/* cr-report.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "cr-cursor.h"
#include "cr-report.h"

static void
append_items (GString     *report,
              CrChecklist *checklist)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (checklist));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CrCheckItem) item = g_list_model_get_item (G_LIST_MODEL (checklist), i);
      const char *detail = cr_check_item_get_detail (item);
      const char *fix = cr_check_item_get_fix (item);

      g_string_append_printf (report, "[%s] %s: %s\n", cr_check_status_to_string (cr_check_item_get_status (item)),
                              cr_check_item_get_id (item), cr_check_item_get_title (item));
      if (detail != NULL && *detail != '\0')
        g_string_append_printf (report, "    %s\n", detail);
      if (fix != NULL && *fix != '\0')
        g_string_append_printf (report, "    %s %s\n", _("Fix:"), fix);
    }
}

char *
cr_report_build (CrChecklist *checklist,
                 const char  *base_url,
                 const char  *model,
                 const char  *versions)
{
  GString *report = g_string_new (NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *made = g_date_time_format (now, "%Y-%m-%d %H:%M UTC");
  g_autofree char *shown_url = cr_cursor_redact_url (base_url);
  g_auto(GStrv) trace = NULL;
  CrCursorSnapshot *snapshot;

  g_return_val_if_fail (CR_IS_CHECKLIST (checklist), NULL);

  /* Headings in the person's language; names and values as they are. */
  g_string_append_printf (report, _("Crazyrouter Setup %s — diagnostic report"), PACKAGE_VERSION);
  g_string_append_printf (report, "\n%s %s\n", _("Made:"), made);
  g_string_append_printf (report, "%s GLib %u.%u.%u, libsoup %u.%u.%u, json-glib %s%s%s\n", _("Versions:"),
                          glib_major_version, glib_minor_version, glib_micro_version,
                          soup_get_major_version (), soup_get_minor_version (), soup_get_micro_version (),
                          JSON_VERSION_S, versions != NULL ? ", " : "", versions != NULL ? versions : "");
  g_string_append_printf (report, "%s %s\n", _("Base URL:"), shown_url != NULL ? shown_url : "-");
  g_string_append_printf (report, "%s %s\n", _("Model:"), model != NULL ? model : "-");

  snapshot = cr_checklist_get_cursor_snapshot (checklist);
  if (snapshot != NULL)
    g_string_append_printf (report, "%s %s (%s)\n", _("Cursor:"),
                            snapshot->version != NULL ? snapshot->version : "?",
                            cr_cursor_status_to_string (snapshot->status));

  g_string_append_printf (report, "\n%s\n", _("Checks:"));
  append_items (report, checklist);

  trace = cr_checklist_get_trace (checklist);
  if (trace != NULL && trace[0] != NULL)
    {
      g_string_append_printf (report, "\n%s\n", _("Requests (the key hidden):"));
      for (guint i = 0; trace[i] != NULL; i++)
        g_string_append_printf (report, "    %s\n", trace[i]);
    }

  return g_string_free (report, FALSE);
}
