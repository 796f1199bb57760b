/* cr-demo-gateway.c: the loopback test gateway, for trying the app locally
 *
 *   crazyrouter-demo-gateway [--port N] [--tls] [--latency MS] [--mode NAME]
 *                            [--cursor-after SECONDS]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib-unix.h>
#include <locale.h>

#include "cr-test-gateway.h"

static const struct {
  const char *token;
  const char *shows;
} tokens[] = {
  { CR_TEST_TOKEN_GOOD, "the recommended setup: allowlist gpt-5.4 and claude-sonnet-4-6, quota cap" },
  { CR_TEST_TOKEN_NARROW, "allowlist claude-sonnet-4-6 only: a chat with gpt-5.4 gets 403" },
  { CR_TEST_TOKEN_WIDE, "no allowlist, unlimited quota: works, with warnings" },
  { CR_TEST_TOKEN_EXHAUSTED, "quota used up: 401 on /v1, usage still readable" },
  { CR_TEST_TOKEN_IP_LOCKED, "IP restriction this computer fails: 403 access_denied" },
};

static gboolean
on_quit_signal (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static char *
list_modes (void)
{
  GString *out = g_string_new ("Modes:");

  for (guint i = 0; cr_test_mode_to_string (i) != NULL; i++)
    g_string_append_printf (out, "%s %s", i ? "," : "", cr_test_mode_to_string (i));
  return g_string_free (out, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(CrTestGateway) gateway = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *mode_name = NULL;
  g_autofree char *modes = list_modes ();
  gboolean tls = FALSE;
  int port = 0;
  int latency = 0;
  int cursor_after = -1;
  CrTestMode mode = CR_TEST_MODE_NORMAL;
  GOptionEntry entries[] = {
    { "port", 'p', 0, G_OPTION_ARG_INT, &port, "Port on 127.0.0.1 (default: any free one)", "N" },
    { "tls", 0, 0, G_OPTION_ARG_NONE, &tls, "Serve https with a throwaway certificate", NULL },
    { "latency", 'l', 0, G_OPTION_ARG_INT, &latency, "Delay every answer", "MS" },
    { "mode", 'm', 0, G_OPTION_ARG_STRING, &mode_name, "A fault to inject (see the list below)", "NAME" },
    { "cursor-after", 0, 0, G_OPTION_ARG_INT, &cursor_after,
      "Act as if Cursor sent a chat with gpt-5.4 (on " CR_TEST_TOKEN_GOOD "), SECONDS from now", "SECONDS" },
    { NULL }
  };

  setlocale (LC_ALL, "");
  context = g_option_context_new ("— a local stand-in for the Crazyrouter gateway");
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context, modes);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (port < 0 || port > 65535 || latency < 0 || cursor_after > 24 * 60 * 60)
    {
      g_printerr ("--port must be 0–65535, --latency not negative and --cursor-after at most a day\n");
      return 2;
    }
  if (mode_name != NULL && !cr_test_mode_from_string (mode_name, &mode))
    {
      g_printerr ("Unknown mode “%s”.\n%s\n", mode_name, modes);
      return 2;
    }

  gateway = cr_test_gateway_new (tls, port, &error);
  if (gateway == NULL)
    {
      g_printerr ("Could not start the demo gateway: %s\n", error->message);
      return 1;
    }
  cr_test_gateway_set_mode (gateway, mode);
  cr_test_gateway_set_latency (gateway, latency);
  /* What the app's Cursor watch waits for: the entry Cursor's chat leaves. */
  if (cursor_after >= 0)
    cr_test_gateway_add_log_later (gateway, CR_TEST_TOKEN_GOOD, (guint) cursor_after * 1000,
                                   CR_TEST_LOG_CURSOR_CHAT, "gpt-5.4");

  g_print ("Demo gateway running. Base URL:\n\n  %s\n\n", cr_test_gateway_get_base_url (gateway));
  if (tls)
    g_print ("Its certificate (not trusted by your system, so the app refuses it, as it should):\n"
             "  %s\n\n", cr_test_gateway_get_certificate_path (gateway));
  g_print ("Demo tokens (fake, for this gateway only):\n");
  for (guint i = 0; i < G_N_ELEMENTS (tokens); i++)
    g_print ("  %-26s %s\n", tokens[i].token, tokens[i].shows);
  g_print ("  %-26s 401 Invalid token\n", "anything else");
  if (mode != CR_TEST_MODE_NORMAL || latency > 0)
    g_print ("\nMode: %s, latency: %d ms\n", cr_test_mode_to_string (mode), latency);
  if (cursor_after >= 0)
    g_print ("\nCursor's first chat (gpt-5.4, %s) shows up in the logs in %d s.\n", CR_TEST_TOKEN_GOOD,
             cursor_after);
  g_print ("\nPress Ctrl-C to stop.\n");

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, on_quit_signal, loop);
  g_unix_signal_add (SIGTERM, on_quit_signal, loop);
  g_main_loop_run (loop);

  g_print ("Stopped.\n");
  return 0;
}
