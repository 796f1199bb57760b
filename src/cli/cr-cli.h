/* cr-cli.h: `crazyrouter-setup --check`, the checklist in a terminal
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit codes of --check. */
enum {
  CR_CLI_EXIT_OK          = 0,    /* no item failed */
  CR_CLI_EXIT_FAILED      = 1,    /* at least one item failed */
  CR_CLI_EXIT_USAGE       = 2,    /* bad usage, or no key to check */
  CR_CLI_EXIT_INTERRUPTED = 130,  /* Ctrl-C: 128 + SIGINT, as shells expect */
};

gboolean cr_cli_wanted (int argc, char **argv);
int      cr_cli_run    (int argc, char **argv);

G_END_DECLS
