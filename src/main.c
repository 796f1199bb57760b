/* main.c: the wizard, or `--check` without a window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "cr-application.h"
#include "cr-cli.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(CrApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* The checklist in a terminal never touches GTK, so it runs over ssh or
   * in CI without a display. */
  if (cr_cli_wanted (argc, argv))
    return cr_cli_run (argc, argv);

  app = cr_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
