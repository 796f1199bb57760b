/* cr-cli.c: `crazyrouter-setup --check`, the checklist in a terminal
 *
 * Runs the same checklist as the wizard, without a window, and prints each
 * item the moment it has its answer. The key comes from --key-stdin, from
 * CRAZYROUTER_API_KEY or from the keyring, in that order; it is never
 * printed, only its masked form.
 *
 * With --key-stdin nothing here touches the session bus: neither libsecret
 * nor GSettings (unless a bus is already known), so the check runs over ssh,
 * in CI or in a bare container.
 *
 * Cursor's own settings are checked too (read-only), and shown after the
 * gateway's items under their own heading. What was read is remembered in
 * the settings ("cursor-version", "cursor-facts": nothing secret; through
 * CrSetupState, like every setting), so the next
 * run can say that Cursor was updated and which of its items changed.
 * --cursor-config DIR reads another Cursor config folder. The hidden
 * --cursor-install-root DIR (repeatable) replaces the places where Cursor's
 * version is looked for: the tests use it to fake an update.
 *
 * The options are the application's (cr-application.c registers them, so
 * --help lists them with its own); it hands them to cr_cli_handle_options()
 * from handle-local-options, before startup would open a display.
 *
 * Split along its seams, behind cr-cli-private.h:
 *
 *   cr-cli.c          the run: waiting on the main loop, Ctrl-C, the checklist
 *   cr-cli-options.c  the options
 *   cr-cli-key.c      where the key comes from (stdin without echo, env, keyring)
 *   cr-cli-text.c     the text renderer
 *   cr-cli-json.c     the JSON renderer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <signal.h>

#include "cr-cli-private.h"
#include "cr-key.h"

static void
cli_free (CrCli *cli)
{
  if (cli->sigint_id != 0)
    g_source_remove (cli->sigint_id);
  if (cli->checklist != NULL)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (cli->checklist));

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(CrCheckItem) item = g_list_model_get_item (G_LIST_MODEL (cli->checklist), i);

          g_signal_handlers_disconnect_by_data (item, cli);
        }
    }
  g_clear_object (&cli->checklist);
  g_clear_pointer (&cli->printed, g_hash_table_unref);
  g_clear_object (&cli->state);
  g_clear_object (&cli->result);
  g_clear_object (&cli->cancellable);
  g_clear_pointer (&cli->loop, g_main_loop_unref);
  g_clear_pointer (&cli->key, cr_key_free);
  g_clear_pointer (&cli->masked, g_free);
  g_clear_pointer (&cli->profile, g_free);
  g_clear_pointer (&cli->base_url, g_free);
  g_clear_pointer (&cli->model, g_free);
  g_clear_pointer (&cli->cursor_config, g_free);
  g_clear_pointer (&cli->cursor_roots, g_strfreev);
  g_free (cli);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrCli, cli_free)

/* --- waiting on the main loop ---------------------------------------- */

void
_cr_cli_on_async_done (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  CrCli *cli = user_data;

  g_set_object (&cli->result, result);
  g_main_loop_quit (cli->loop);
}

/* The result of the async call just started with _cr_cli_on_async_done. */
GAsyncResult *
_cr_cli_wait (CrCli *cli)
{
  g_clear_object (&cli->result);
  while (cli->result == NULL)
    g_main_loop_run (cli->loop);
  return cli->result;
}

static gboolean
on_sigint (gpointer user_data)
{
  CrCli *cli = user_data;

  g_cancellable_cancel (cli->cancellable);
  return G_SOURCE_CONTINUE;
}

/* From here on Ctrl-C cancels what runs instead of killing the process.
 * Not before: a blocking read of stdin would not notice it. */
void
_cr_cli_catch_sigint (CrCli *cli)
{
  if (cli->sigint_id == 0)
    cli->sigint_id = g_unix_signal_add (SIGINT, on_sigint, cli);
}

/* --- the run ---------------------------------------------------------- */

/* --wait-for-cursor: after the checks, the token's logs are watched for
 * Cursor's own first request (cr_checklist_watch_cursor_async()). What the
 * person has to do goes to stderr, so --json stays one document. FALSE
 * only when interrupted. */
static gboolean
cli_watch_cursor (CrCli *cli)
{
  g_autoptr(GError) error = NULL;
  CrCheckItem *item = cr_checklist_lookup (cli->checklist, CR_CHECK_CURSOR_CHAT);

  if (item == NULL || cr_check_item_get_status (item) == CR_CHECK_PASSED)
    return TRUE;

  g_printerr (g_dngettext (GETTEXT_PACKAGE,
                           "Send one message in Cursor’s chat now. Watching the token’s logs for it for up to "
                           "%u second…\n",
                           "Send one message in Cursor’s chat now. Watching the token’s logs for it for up to "
                           "%u seconds…\n", cli->wait_for_cursor),
              cli->wait_for_cursor);
  cr_checklist_watch_cursor_async (cli->checklist, cli->wait_for_cursor, cli->cancellable,
                                   _cr_cli_on_async_done, cli);
  if (cr_checklist_watch_cursor_finish (cli->checklist, _cr_cli_wait (cli), &error))
    return TRUE;

  /* Nothing to watch (no run reached the gateway): the item says why. */
  return !g_cancellable_is_cancelled (cli->cancellable);
}

static int
cli_run_checklist (CrCli      *cli,
                   const char *base_url,
                   const char *model)
{
  g_autoptr(GError) error = NULL;
  guint n;

  cli->printed = g_hash_table_new (NULL, NULL);
  cr_setup_state_set_cursor_location (cli->state, cli->cursor_config,
                                      (const char * const *) cli->cursor_roots);
  /* Set up like the wizard's, from the saved choices; then what the
   * command line gives, which is for this run only: the checklist takes
   * it, the settings do not. The key never goes into the state, so the
   * runner makes its own gateway for this base URL and key. */
  cli->checklist = g_object_ref (cr_setup_state_get_checklist (cli->state));
  cr_checklist_set_base_url (cli->checklist, base_url);
  cr_checklist_set_key (cli->checklist, cli->key);
  cr_checklist_set_model (cli->checklist, model);

  n = g_list_model_get_n_items (G_LIST_MODEL (cli->checklist));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CrCheckItem) item = g_list_model_get_item (G_LIST_MODEL (cli->checklist), i);

      g_signal_connect (item, "notify::status", G_CALLBACK (_cr_cli_on_item_status), cli);
    }

  if (!cli->json)
    _cr_cli_print_header (cli, base_url, model);

  _cr_cli_catch_sigint (cli);
  cr_checklist_run_async (cli->checklist, cli->cancellable, _cr_cli_on_async_done, cli);
  if (!cr_checklist_run_finish (cli->checklist, _cr_cli_wait (cli), &error))
    {
      if (g_cancellable_is_cancelled (cli->cancellable))
        {
          g_printerr ("%s\n", _("Cancelled."));
          return CR_CLI_EXIT_INTERRUPTED;
        }
      g_printerr (_("The check could not run: %s\n"), error->message);
      return CR_CLI_EXIT_FAILED;
    }

  if (cli->wait_for_cursor > 0 && !cli_watch_cursor (cli))
    {
      g_printerr ("%s\n", _("Cancelled."));
      return CR_CLI_EXIT_INTERRUPTED;
    }

  if (cli->json)
    {
      _cr_cli_print_json (cli, base_url, model);
    }
  else
    {
      gboolean heading = FALSE;

      /* An item that settled without a status change is still shown; the
       * Cursor section comes last, under its heading. */
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(CrCheckItem) item = g_list_model_get_item (G_LIST_MODEL (cli->checklist), i);

          if (!heading && _cr_cli_in_cursor_section (item))
            {
              _cr_cli_print_cursor_heading (cli);
              heading = TRUE;
            }
          _cr_cli_on_item_status (item, NULL, cli);
        }
      _cr_cli_print_summary (cli);
    }

  cr_setup_state_remember_cursor (cli->state);

  return cr_checklist_get_ok (cli->checklist) ? CR_CLI_EXIT_OK : CR_CLI_EXIT_FAILED;
}

/* Prints @message (unless GApplication already said what is wrong) and
 * where to look for the options; returns the exit status of bad usage. */
int
cr_cli_usage_error (const char *message)
{
  if (message != NULL)
    g_printerr ("%s\n", message);
  g_printerr (_("Run “%s --help” to see the options.\n"), g_get_prgname ());
  return CR_CLI_EXIT_USAGE;
}

static int
cli_run (CrCli *cli)
{
  g_autofree char *problem = NULL;
  g_autofree char *base_url = NULL;
  g_autofree char *model = NULL;

  cli->loop = g_main_loop_new (NULL, FALSE);
  cli->cancellable = g_cancellable_new ();
  cli->color = !cli->json && _cr_cli_use_color ();

  if (!_cr_cli_find_key (cli))
    {
      if (!g_cancellable_is_cancelled (cli->cancellable))
        return CR_CLI_EXIT_USAGE;
      g_printerr ("%s\n", _("Cancelled."));
      return CR_CLI_EXIT_INTERRUPTED;
    }

  cli->masked = cr_key_mask (cli->key);
  if (cr_key_check (cli->key, &problem) != CR_KEY_OK)
    {
      g_printerr (_("The key (%s) cannot be right: %s\n"), cli->masked, problem);
      return CR_CLI_EXIT_USAGE;
    }

  /* With the key on stdin the run must not need a session bus; the
   * settings (dconf) may only be read when one is already there. */
  if (!cli->key_stdin || _cr_cli_session_bus_known ())
    cli->state = cr_setup_state_new_persistent ();
  else
    cli->state = cr_setup_state_new (NULL);

  /* Copies: a setting changed elsewhere during the run changes the state. */
  if (cli->base_url != NULL)
    base_url = g_strdup (cli->base_url);
  else
    base_url = g_strdup (cr_setup_state_get_base_url (cli->state));

  if (cli->model != NULL && *g_strstrip (cli->model) != '\0')
    model = g_strdup (cli->model);
  else
    model = g_strdup (cr_setup_state_get_model (cli->state));

  return cli_run_checklist (cli, base_url, model);
}

/* -1 when the window is wanted, else the exit status: of bad usage, or of
 * the --check run. Nothing here needs a display. */
int
cr_cli_handle_options (GVariantDict *options)
{
  g_autoptr(CrCli) cli = g_new0 (CrCli, 1);
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (options != NULL, CR_CLI_EXIT_USAGE);

  if (!_cr_cli_parse (cli, options, &error))
    return cr_cli_usage_error (error->message);

  if (!cli->check)
    return -1;

  return cli_run (cli);
}
