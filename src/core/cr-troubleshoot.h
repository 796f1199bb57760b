/* cr-troubleshoot.h: the guide's symptoms, causes and fixes, as data
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "cr-endpoint.h"

G_BEGIN_DECLS

typedef struct {
  const char *id;        /* "verify", "401", "403", "404", "no-models", "tab", "custom-models", "cost" */
  const char *symptom;   /* untranslated msgid: pass through _() / g_dgettext() to show */
  const char *cause;
  const char *fix;
} CrTroubleshootRow;

const CrTroubleshootRow *cr_troubleshoot_rows   (guint      *n_rows);
const CrTroubleshootRow *cr_troubleshoot_lookup (const char *id);

/* The row a base-URL mistake leads to: "404" when Cursor would get a "not
 * found" (root domain, full endpoint, trailing slash), else "verify". */
const char              *cr_troubleshoot_for_endpoint (CrEndpointIssue issue);

G_END_DECLS
