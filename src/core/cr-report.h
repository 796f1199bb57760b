/* cr-report.h: a diagnostic report a person can share
 *
 * What support needs to see, and nothing secret: the app's and its
 * libraries' versions, the base URL (no user info, no query, no key), the
 * model, Cursor's version, the last run's items with their details and
 * fixes, and the last lines of the gateway trace (Authorization and the
 * key hidden). Plain text, for the clipboard.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "cr-checklist.h"

G_BEGIN_DECLS

/* @versions: the UI's own (e.g. "GTK 4.8.3, libadwaita 1.2.2"), or NULL. */
char *cr_report_build (CrChecklist *checklist,
                       const char  *base_url,
                       const char  *model,
                       const char  *versions);

G_END_DECLS
