/* cr-cli.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "cr-cli.h"

gboolean
cr_cli_wanted (int argc, char **argv)
{
  for (int i = 1; i < argc; i++)
    if (g_strcmp0 (argv[i], "--check") == 0)
      return TRUE;
  return FALSE;
}

int
cr_cli_run (int argc, char **argv)
{
  g_printerr ("--check is not built yet\n");
  return CR_CLI_EXIT_USAGE;
}
