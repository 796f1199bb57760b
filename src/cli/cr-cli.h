/* cr-cli.h: `crazyrouter-setup --check`, the checklist in a terminal
 *
 * The application registers these options beside its own and hands them
 * back from handle-local-options, before startup opens a display.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Exit codes of --check. */
enum {
  CR_CLI_EXIT_OK          = 0,    /* no item failed */
  CR_CLI_EXIT_FAILED      = 1,    /* at least one item failed */
  CR_CLI_EXIT_USAGE       = 2,    /* bad usage, or no key to check */
  CR_CLI_EXIT_INTERRUPTED = 130,  /* Ctrl-C: 128 + SIGINT, as shells expect */
};

/* The longest --wait-for-cursor, in seconds. */
#define CR_CLI_WAIT_FOR_CURSOR_MAX 3600

const GOptionEntry *cr_cli_get_option_entries     (void);
const char         *cr_cli_get_option_description (void);
int                 cr_cli_handle_options         (GVariantDict *options);
int                 cr_cli_usage_error            (const char   *message);

G_END_DECLS
