/* cr-cli-key.c: the key for --check, and keeping it off the screen
 *
 * From the first line of standard input (not echoed on a terminal), from
 * CRAZYROUTER_API_KEY, or from the keyring; and scrubbed from anything
 * printed. Part of the terminal front end (see cr-cli.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cr-cli-private.h"
#include "cr-key.h"
#include "cr-keyring.h"

#define KEY_LINE_MAX            4096

/* --- the key ---------------------------------------------------------- */

static struct termios saved_termios;

static void
restore_echo_and_die (int signum)
{
  tcsetattr (STDIN_FILENO, TCSANOW, &saved_termios);
  signal (signum, SIG_DFL);
  raise (signum);
}

/* One line from stdin into a buffer that is wiped afterwards. A person
 * typing at a terminal does not see the key echoed. */
static char *
read_key_line (GError **error)
{
  char buffer[KEY_LINE_MAX];
  gboolean terminal = isatty (STDIN_FILENO);
  gboolean too_long = FALSE;
  struct sigaction old_action = { 0 };
  gsize len = 0;
  char *key;

  if (terminal && tcgetattr (STDIN_FILENO, &saved_termios) == 0)
    {
      struct termios quiet = saved_termios;
      struct sigaction action = { .sa_handler = restore_echo_and_die };

      quiet.c_lflag &= ~ECHO;
      sigaction (SIGINT, &action, &old_action);
      tcsetattr (STDIN_FILENO, TCSANOW, &quiet);
      g_printerr ("%s ", _("Paste the key, then press Enter (it is not shown):"));
    }
  else
    terminal = FALSE;

  for (;;)
    {
      char c;
      gssize n = read (STDIN_FILENO, &c, 1);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0 || c == '\n')
        break;
      if (len + 1 < sizeof buffer)
        buffer[len++] = c;
      else
        too_long = TRUE;
    }
  buffer[len] = '\0';

  if (terminal)
    {
      tcsetattr (STDIN_FILENO, TCSANOW, &saved_termios);
      sigaction (SIGINT, &old_action, NULL);
      g_printerr ("\n");
    }

  key = too_long ? NULL : cr_key_clean (buffer);
  explicit_bzero (buffer, sizeof buffer);

  if (too_long)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                         _("The first line of standard input is far too long to be a key."));
  else if (key == NULL || *key == '\0')
    {
      g_clear_pointer (&key, cr_key_free);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("--key-stdin was given, but standard input had no key on its first line."));
    }

  return key;
}

static void
print_no_key (CrCli        *cli,
              const GError *keyring_error)
{
  g_autofree char *keyring = NULL;

  if (keyring_error != NULL)
    keyring = g_strdup (keyring_error->message);
  else
    keyring = g_strdup_printf (_("nothing is stored for profile “%s”."), cli->profile);

  g_printerr (_("No API key to check. Looked for:\n"
                "  - --key-stdin: not given;\n"
                "  - the CRAZYROUTER_API_KEY environment variable: not set;\n"
                "  - the keyring: %s\n"
                "Give the key with --key-stdin (one line on standard input), set "
                "CRAZYROUTER_API_KEY, or save it to the keyring with the Crazyrouter "
                "Setup app.\n"),
              keyring);
}

/* FALSE, with the reason printed, when there is no key to check. */
gboolean
_cr_cli_find_key (CrCli *cli)
{
  g_autoptr(GError) error = NULL;
  const char *env;

  if (cli->key_stdin)
    {
      cli->key_source = KEY_FROM_STDIN;
      cli->key = read_key_line (&error);
      if (cli->key == NULL)
        g_printerr ("%s\n", error->message);
      return cli->key != NULL;
    }

  env = g_getenv ("CRAZYROUTER_API_KEY");
  if (env != NULL && *env != '\0')
    {
      cli->key_source = KEY_FROM_ENV;
      cli->key = cr_key_clean (env);
      return TRUE;
    }

  cli->key_source = KEY_FROM_KEYRING;
  _cr_cli_catch_sigint (cli);
  cr_keyring_lookup_async (cli->profile, cli->cancellable, _cr_cli_on_async_done, cli);
  cli->key = cr_keyring_lookup_finish (_cr_cli_wait (cli), &error);
  if (cli->key != NULL)
    return TRUE;

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    print_no_key (cli, error);
  return FALSE;
}

/* Belt and braces: whatever the checklist says, the key itself is never
 * printed, only its masked form. */
char *
_cr_cli_scrub (CrCli      *cli,
               const char *text)
{
  return cr_key_scrub (text, cli->key);
}
