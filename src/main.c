/* main.c: the wizard, or `--check` without a window
 *
 * Both are the application's: it parses the command line, and runs --check
 * (and --version) before anything opens a display.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "cr-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(CrApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = cr_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
