/* cr-cli-options.c: the command line --check reads
 *
 * The options are declared and checked here (GApplication parses them,
 * see cr-application.c); the saved choices they override come from
 * CrSetupState (see cr-cli.c). Part of the terminal front end.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cr-cli-private.h"
#include "cr-keyring.h"

/* --- options ---------------------------------------------------------- */

/* Registered on the application beside its own (--version), so --help lists
 * them all. No arg_data: GApplication packs what was given into the
 * GVariantDict that _cr_cli_parse() reads. Every one but --check only goes
 * with --check. */
static const GOptionEntry option_entries[] = {
  { "check", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Run the checklist in the terminal, without a window"), NULL },
  { "json", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Print one JSON document instead of text"), NULL },
  { "key-stdin", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Read the key from the first line of standard input"), NULL },
  { "base-url", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Base URL to check instead of the saved one"), N_("URL") },
  { "model", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Model to try instead of the saved one"), N_("ID") },
  { "profile", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Keyring profile whose key to check (default: cursor)"), N_("NAME") },
  { "cursor-config", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Cursor’s config folder to check (default: found by itself, e.g. ~/.config/Cursor)"), N_("DIR") },
  { "wait-for-cursor", 0, 0, G_OPTION_ARG_INT, NULL,
    N_("After the checks, wait up to SECONDS (at most 3600) for Cursor’s first chat request to reach the gateway"),
    N_("SECONDS") },
  /* For the tests: where Cursor's version is looked for. */
  { "cursor-install-root", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME_ARRAY, NULL,
    NULL, NULL },
  /* Taken only to be refused by name, instead of GApplication's "can not
   * open files". */
  { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, NULL, NULL, NULL },
  { NULL }
};

const GOptionEntry *
cr_cli_get_option_entries (void)
{
  return option_entries;
}

/* What --help says below the options, translated. */
const char *
cr_cli_get_option_description (void)
{
  return _("The key is taken from --key-stdin, else from the CRAZYROUTER_API_KEY "
           "environment variable, else from the keyring (by profile). It is never "
           "printed: only its last four characters are shown.\n"
           "\n"
           "Exit status: 0 when no check failed (warnings and steps that need you "
           "do not fail a run), 1 when a check failed, 2 on bad usage or when there "
           "is no key to check, 130 when interrupted.");
}

/* The first option given that only goes with --check, or NULL. */
static const char *
option_needing_check (GVariantDict *options)
{
  for (const GOptionEntry *entry = option_entries; entry->long_name != NULL; entry++)
    if (*entry->long_name != '\0' && !g_str_equal (entry->long_name, "check") &&
        g_variant_dict_contains (options, entry->long_name))
      return entry->long_name;
  return NULL;
}

/* Reads and checks @options into @cli. FALSE on bad usage. */
gboolean
_cr_cli_parse (CrCli         *cli,
               GVariantDict  *options,
               GError       **error)
{
  g_autofree const char **rest = NULL;
  const char *needs_check;
  gint32 wait = 0;

  if (g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&ay", &rest) && rest[0] != NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("Unexpected argument “%s”"), rest[0]);
      return FALSE;
    }

  cli->check = g_variant_dict_contains (options, "check");
  needs_check = option_needing_check (options);
  if (!cli->check && needs_check != NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("The option “--%s” only works with --check"), needs_check);
      return FALSE;
    }

  g_variant_dict_lookup (options, "json", "b", &cli->json);
  g_variant_dict_lookup (options, "key-stdin", "b", &cli->key_stdin);
  g_variant_dict_lookup (options, "base-url", "s", &cli->base_url);
  g_variant_dict_lookup (options, "model", "s", &cli->model);
  g_variant_dict_lookup (options, "profile", "s", &cli->profile);
  g_variant_dict_lookup (options, "cursor-config", "^ay", &cli->cursor_config);
  g_variant_dict_lookup (options, "cursor-install-root", "^aay", &cli->cursor_roots);

  if (g_variant_dict_lookup (options, "wait-for-cursor", "i", &wait) &&
      (wait < 0 || wait > CR_CLI_WAIT_FOR_CURSOR_MAX))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("--wait-for-cursor takes a number of seconds from 0 to %d, not %d"),
                   CR_CLI_WAIT_FOR_CURSOR_MAX, wait);
      return FALSE;
    }
  cli->wait_for_cursor = (guint) wait;

  if (cli->profile != NULL && *g_strstrip (cli->profile) == '\0')
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("The profile name is empty"));
      return FALSE;
    }
  if (cli->profile == NULL)
    cli->profile = g_strdup (CR_KEYRING_DEFAULT_PROFILE);

  if (cli->cursor_config != NULL && *cli->cursor_config == '\0')
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("The Cursor config folder is empty"));
      return FALSE;
    }

  return TRUE;
}

/* --- the session bus --------------------------------------------------- */

/* Whether a session bus is there to be found, without connecting to it. */
gboolean
_cr_cli_session_bus_known (void)
{
  const char *address = g_getenv ("DBUS_SESSION_BUS_ADDRESS");
  g_autofree char *socket = NULL;

  if (address != NULL && *address != '\0')
    return TRUE;

  socket = g_build_filename (g_get_user_runtime_dir (), "bus", NULL);
  return g_file_test (socket, G_FILE_TEST_EXISTS);
}
