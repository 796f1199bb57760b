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
 * GSettings ("cursor-version", "cursor-facts": nothing secret), so the next
 * run can say that Cursor was updated and which of its items changed.
 * --cursor-config DIR reads another Cursor config folder. The hidden
 * --cursor-install-root DIR (repeatable) replaces the places where Cursor's
 * version is looked for: the tests use it to fake an update.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cr-checklist.h"
#include "cr-cli.h"
#include "cr-cursor-checks.h"
#include "cr-cursor-history.h"
#include "cr-endpoint.h"
#include "cr-key.h"
#include "cr-keyring.h"

#define KEY_LINE_MAX            4096

typedef enum {
  KEY_FROM_STDIN,
  KEY_FROM_ENV,
  KEY_FROM_KEYRING,
} KeySource;

typedef struct
{
  /* options */
  gboolean      json;
  gboolean      key_stdin;
  char         *profile;
  char         *base_url;
  char         *model;
  char         *cursor_config;
  GStrv         cursor_roots;

  /* the run */
  GMainLoop    *loop;
  GCancellable *cancellable;
  GAsyncResult *result;
  guint         sigint_id;
  gboolean      color;
  GSettings    *settings;
  char         *key;          /* wiped by cli_free() */
  char         *masked;
  KeySource     key_source;
  char         *stored_base_url;
  CrChecklist  *checklist;
  GHashTable   *printed;      /* CrCheckItem* already shown */
} CrCli;

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
  g_clear_object (&cli->settings);
  g_clear_object (&cli->result);
  g_clear_object (&cli->cancellable);
  g_clear_pointer (&cli->loop, g_main_loop_unref);
  g_clear_pointer (&cli->key, cr_key_free);
  g_clear_pointer (&cli->masked, g_free);
  g_clear_pointer (&cli->stored_base_url, g_free);
  g_clear_pointer (&cli->profile, g_free);
  g_clear_pointer (&cli->base_url, g_free);
  g_clear_pointer (&cli->model, g_free);
  g_clear_pointer (&cli->cursor_config, g_free);
  g_clear_pointer (&cli->cursor_roots, g_strfreev);
  g_free (cli);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrCli, cli_free)

gboolean
cr_cli_wanted (int    argc,
               char **argv)
{
  for (int i = 1; i < argc; i++)
    if (g_strcmp0 (argv[i], "--check") == 0)
      return TRUE;
  return FALSE;
}

/* --- waiting on the main loop ---------------------------------------- */

static void
on_async_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  CrCli *cli = user_data;

  g_set_object (&cli->result, result);
  g_main_loop_quit (cli->loop);
}

/* The result of the async call just started with on_async_done. */
static GAsyncResult *
cli_wait (CrCli *cli)
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
static void
cli_catch_sigint (CrCli *cli)
{
  if (cli->sigint_id == 0)
    cli->sigint_id = g_unix_signal_add (SIGINT, on_sigint, cli);
}

/* --- options ---------------------------------------------------------- */

static gboolean
cli_parse (CrCli   *cli,
           int      argc,
           char   **argv,
           GError **error)
{
  g_autoptr(GOptionContext) context = NULL;
  g_auto(GStrv) args = NULL;
  gboolean check = FALSE;
  const GOptionEntry entries[] = {
    { "check", 0, 0, G_OPTION_ARG_NONE, &check,
      N_("Run the checklist in the terminal, without a window"), NULL },
    { "profile", 0, 0, G_OPTION_ARG_STRING, &cli->profile,
      N_("Keyring profile whose key to check (default: cursor)"), N_("NAME") },
    { "base-url", 0, 0, G_OPTION_ARG_STRING, &cli->base_url,
      N_("Base URL to check instead of the saved one"), N_("URL") },
    { "model", 0, 0, G_OPTION_ARG_STRING, &cli->model,
      N_("Model to try instead of the saved one"), N_("ID") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &cli->json,
      N_("Print one JSON document instead of text"), NULL },
    { "key-stdin", 0, 0, G_OPTION_ARG_NONE, &cli->key_stdin,
      N_("Read the key from the first line of standard input"), NULL },
    { "cursor-config", 0, 0, G_OPTION_ARG_FILENAME, &cli->cursor_config,
      N_("Cursor’s config folder to check (default: found by itself, e.g. ~/.config/Cursor)"), N_("DIR") },
    /* For the tests: where Cursor's version is looked for. */
    { "cursor-install-root", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME_ARRAY, &cli->cursor_roots,
      NULL, NULL },
    { NULL }
  };

  /* GOption translates the summary and description itself. */
  context = g_option_context_new ("--check");
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
    N_("Checks the Crazyrouter setup for Cursor from a terminal, without a window."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    N_("The key is taken from --key-stdin, else from the CRAZYROUTER_API_KEY "
      "environment variable, else from the keyring (by profile). It is never "
      "printed: only its last four characters are shown.\n"
      "\n"
      "Exit status: 0 when no check failed (warnings and steps that need you "
      "do not fail a run), 1 when a check failed, 2 on bad usage or when there "
      "is no key to check, 130 when interrupted."));

  args = g_strdupv (argv);
  if (!g_option_context_parse_strv (context, &args, error))
    return FALSE;

  if (g_strv_length (args) > 1)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("Unexpected argument “%s”"), args[1]);
      return FALSE;
    }

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

/* --- settings --------------------------------------------------------- */

/* With the key on stdin the run must not need a session bus; GSettings
 * (dconf) may only be read when one is already there to be found. */
static gboolean
session_bus_known (void)
{
  const char *address = g_getenv ("DBUS_SESSION_BUS_ADDRESS");
  g_autofree char *socket = NULL;

  if (address != NULL && *address != '\0')
    return TRUE;

  socket = g_build_filename (g_get_user_runtime_dir (), "bus", NULL);
  return g_file_test (socket, G_FILE_TEST_EXISTS);
}

/* NULL when the schema is not installed (a build run from its tree): then
 * the defaults apply, instead of g_settings_new() aborting. */
static GSettings *
settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source == NULL)
    return NULL;

  schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    return NULL;

  return g_settings_new_full (schema, NULL, NULL);
}

static gboolean
settings_has (GSettings          *settings,
              const char         *name,
              const GVariantType *type)
{
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettingsSchemaKey) key = NULL;

  if (settings == NULL)
    return FALSE;

  g_object_get (settings, "settings-schema", &schema, NULL);
  if (!g_settings_schema_has_key (schema, name))
    return FALSE;

  key = g_settings_schema_get_key (schema, name);
  return g_variant_type_equal (g_settings_schema_key_get_value_type (key), type);
}

/* The saved string, or NULL when there is none. */
static char *
settings_string (GSettings  *settings,
                 const char *name)
{
  g_autofree char *value = NULL;

  if (!settings_has (settings, name, G_VARIANT_TYPE_STRING))
    return NULL;

  value = g_settings_get_string (settings, name);
  if (*g_strstrip (value) == '\0')
    return NULL;

  return g_steal_pointer (&value);
}

static gboolean
settings_boolean (GSettings  *settings,
                  const char *name)
{
  if (!settings_has (settings, name, G_VARIANT_TYPE_BOOLEAN))
    return FALSE;

  return g_settings_get_boolean (settings, name);
}

/* What the last check remembered about Cursor, if the schema has it. */
static void
settings_cursor_previous (GSettings   *settings,
                          CrChecklist *checklist)
{
  g_autofree char *version = settings_string (settings, "cursor-version");
  g_autoptr(GVariant) facts = NULL;

  if (settings_has (settings, "cursor-facts", G_VARIANT_TYPE (CR_CURSOR_FACTS_TYPE)))
    facts = g_settings_get_value (settings, "cursor-facts");

  cr_checklist_set_cursor_previous (checklist, version, facts);
}

/* Remembers what this run read, for the next run to compare with. */
static void
settings_cursor_remember (GSettings   *settings,
                          CrChecklist *checklist)
{
  CrCursorSnapshot *snapshot = cr_checklist_get_cursor_snapshot (checklist);
  g_autofree char *version = NULL;
  g_autoptr(GVariant) facts = NULL;

  if (snapshot == NULL)
    return;

  cr_cursor_history_to_remember (snapshot, &version, &facts);
  if (version != NULL && settings_has (settings, "cursor-version", G_VARIANT_TYPE_STRING))
    g_settings_set_string (settings, "cursor-version", version);
  if (facts != NULL && settings_has (settings, "cursor-facts", G_VARIANT_TYPE (CR_CURSOR_FACTS_TYPE)))
    g_settings_set_value (settings, "cursor-facts", facts);
  if (settings != NULL)
    g_settings_sync ();
}

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
static gboolean
cli_find_key (CrCli *cli)
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
  cli_catch_sigint (cli);
  cr_keyring_lookup_async (cli->profile, cli->cancellable, on_async_done, cli);
  cli->key = cr_keyring_lookup_finish (cli_wait (cli), &cli->stored_base_url, &error);
  if (cli->key != NULL)
    return TRUE;

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    print_no_key (cli, error);
  return FALSE;
}

/* Belt and braces: whatever the checklist says, the key itself is never
 * printed, only its masked form. */
static char *
scrub (CrCli      *cli,
       const char *text)
{
  g_autoptr(GString) string = NULL;

  if (text == NULL)
    return NULL;

  string = g_string_new (text);
  if (cli->key != NULL && strlen (cli->key) >= 8)
    g_string_replace (string, cli->key, cli->masked, 0);

  return g_string_free (g_steal_pointer (&string), FALSE);
}

/* --- text output ------------------------------------------------------ */

#define COLOR_RESET  "\033[0m"
#define COLOR_BOLD   "\033[1m"
#define COLOR_GREEN  "\033[1;32m"
#define COLOR_RED    "\033[1;31m"
#define COLOR_YELLOW "\033[1;33m"
#define COLOR_CYAN   "\033[1;36m"

static gboolean
use_color (void)
{
  const char *no_color = g_getenv ("NO_COLOR");

  return isatty (STDOUT_FILENO) && (no_color == NULL || *no_color == '\0');
}

static const char *
status_word (CrCheckStatus  status,
             const char   **color)
{
  switch (status)
    {
    case CR_CHECK_PASSED:
      *color = COLOR_GREEN;
      /* TRANSLATORS: a check's result in the terminal; keep it short */
      return C_("check status", "PASS");
    case CR_CHECK_FAILED:
      *color = COLOR_RED;
      return C_("check status", "FAIL");
    case CR_CHECK_WARNING:
      *color = COLOR_YELLOW;
      return C_("check status", "WARN");
    case CR_CHECK_NEEDS_YOU:
      *color = COLOR_CYAN;
      /* TRANSLATORS: a step the person must do themselves */
      return C_("check status", "TODO");
    case CR_CHECK_PENDING:
    case CR_CHECK_RUNNING:
    default:
      *color = COLOR_RESET;
      return NULL;
    }
}

static void
print_indented (const char *prefix,
                const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    g_print ("      %s%s\n", i == 0 ? prefix : "", lines[i]);
}

static gboolean
in_cursor_section (CrCheckItem *item)
{
  return g_strcmp0 (cr_check_item_get_section (item), CR_CHECK_SECTION_CURSOR) == 0;
}

static void
print_item (CrCli       *cli,
            CrCheckItem *item)
{
  const char *color = NULL;
  const char *word = status_word (cr_check_item_get_status (item), &color);
  g_autofree char *title = scrub (cli, cr_check_item_get_title (item));
  g_autofree char *detail = scrub (cli, cr_check_item_get_detail (item));
  g_autofree char *fix = scrub (cli, cr_check_item_get_fix (item));
  int pad = MAX (0, 4 - (int) g_utf8_strlen (word, -1));

  if (cli->color)
    g_print ("%s%s%s%*s  %s%s%s\n", color, word, COLOR_RESET, pad, "",
             COLOR_BOLD, title, COLOR_RESET);
  else
    g_print ("%s%*s  %s\n", word, pad, "", title);

  if (cr_check_item_get_changed (item))
    print_indented ("", _("Changed since the last check."));
  if (detail != NULL && *detail != '\0')
    print_indented ("", detail);
  if (fix != NULL && *fix != '\0')
    /* TRANSLATORS: put before what to do about a failed check */
    print_indented (_("Fix: "), fix);

  fflush (stdout);
}

static void
on_item_status (CrCheckItem *item,
                GParamSpec  *pspec,
                CrCli       *cli)
{
  const char *color;

  /* Cursor's items wait for their own heading, after the gateway's. */
  if (status_word (cr_check_item_get_status (item), &color) == NULL ||
      g_hash_table_contains (cli->printed, item) || (pspec != NULL && in_cursor_section (item)))
    return;

  g_hash_table_add (cli->printed, item);
  if (!cli->json)
    print_item (cli, item);
}

static void
print_header (CrCli      *cli,
              const char *base_url,
              const char *model)
{
  g_autofree char *source = NULL;

  switch (cli->key_source)
    {
    case KEY_FROM_STDIN:
      source = g_strdup (_("from standard input"));
      break;
    case KEY_FROM_ENV:
      source = g_strdup (_("from CRAZYROUTER_API_KEY"));
      break;
    case KEY_FROM_KEYRING:
    default:
      source = g_strdup_printf (_("from the keyring, profile “%s”"), cli->profile);
      break;
    }

  /* TRANSLATORS: "Checking <base URL> with key sk-…ab12 (from …) and model <id>" */
  g_print (_("Checking %s with key %s (%s) and model %s\n"),
           base_url, cli->masked, source, model);
  fflush (stdout);
}

static char *
cursor_heading (CrCursorSnapshot *snapshot)
{
  if (snapshot == NULL)
    return g_strdup (_("Cursor"));

  switch (snapshot->status)
    {
    case CR_CURSOR_FOUND:
      if (snapshot->version != NULL)
        /* TRANSLATORS: "Cursor 1.5.0, settings read from /home/…/state.vscdb" */
        return g_strdup_printf (_("Cursor %s, settings read from %s"), snapshot->version, snapshot->path);
      return g_strdup_printf (_("Cursor (version unknown), settings read from %s"), snapshot->path);
    case CR_CURSOR_NOT_INSTALLED:
      if (snapshot->version != NULL)
        return g_strdup_printf (_("Cursor %s, but no settings found in %s"), snapshot->version, snapshot->path);
      return g_strdup_printf (_("Cursor: no settings found in %s"), snapshot->path);
    case CR_CURSOR_UNREADABLE:
    default:
      return g_strdup_printf (_("Cursor: its settings in %s could not be read"), snapshot->path);
    }
}

/* The Cursor section's heading, and whether Cursor changed since last time. */
static void
print_cursor_heading (CrCli *cli)
{
  CrCursorSnapshot *snapshot = cr_checklist_get_cursor_snapshot (cli->checklist);
  const CrCursorHistory *history = cr_checklist_get_cursor_history (cli->checklist);
  g_autofree char *heading = cursor_heading (snapshot);

  if (cli->color)
    g_print ("\n%s%s%s\n", COLOR_BOLD, heading, COLOR_RESET);
  else
    g_print ("\n%s\n", heading);

  if (history != NULL && history->updated)
    /* TRANSLATORS: "Cursor was updated from 1.4.2 to 1.5.0 — checking again." */
    g_print (_("Cursor was updated from %s to %s — checking again.\n"),
             history->previous_version, history->current_version);
  if (snapshot != NULL && snapshot->status == CR_CURSOR_FOUND)
    g_print ("%s\n", cr_cursor_checks_lag_note ());
}

static void
print_summary (CrCli *cli)
{
  guint passed = cr_checklist_count (cli->checklist, CR_CHECK_PASSED);
  guint warnings = cr_checklist_count (cli->checklist, CR_CHECK_WARNING);
  guint todo = cr_checklist_count (cli->checklist, CR_CHECK_NEEDS_YOU);
  guint failed = cr_checklist_count (cli->checklist, CR_CHECK_FAILED);
  g_autofree char *n_passed = NULL;
  g_autofree char *n_warnings = NULL;
  g_autofree char *n_todo = NULL;
  g_autofree char *n_failed = NULL;

  n_passed = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u passed", "%u passed", passed), passed);
  n_warnings = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u warning", "%u warnings", warnings), warnings);
  n_todo = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u needs you", "%u need you", todo), todo);
  n_failed = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u failed", "%u failed", failed), failed);

  if (failed == 0)
    /* TRANSLATORS: the parts are "5 passed", "1 warning", "1 needs you", "0 failed" */
    g_print (_("Summary: %s, %s, %s, %s. No check failed.\n"),
             n_passed, n_warnings, n_todo, n_failed);
  else
    /* TRANSLATORS: the parts are "5 passed", "1 warning", "1 needs you", "1 failed" */
    g_print (_("Summary: %s, %s, %s, %s. Fix what failed and run the check again.\n"),
             n_passed, n_warnings, n_todo, n_failed);
}

/* --- JSON output ------------------------------------------------------ */

static void
add_string (CrCli       *cli,
            JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  g_autofree char *clean = scrub (cli, value);

  json_builder_set_member_name (builder, name);
  if (clean != NULL)
    json_builder_add_string_value (builder, clean);
  else
    json_builder_add_null_value (builder);
}

static void
add_boolean (JsonBuilder *builder,
             const char  *name,
             gboolean     value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_boolean_value (builder, value);
}

/* What was read from Cursor, without its settings' values: those are in
 * the items. Never the key: not even whether it matches ours. */
static void
add_cursor_json (CrCli       *cli,
                 JsonBuilder *builder)
{
  static const struct { CrCursorChanges flag; const char *name; } flags[] = {
    { CR_CURSOR_CHANGED_STATUS, "status" },
    { CR_CURSOR_CHANGED_VERSION, "version" },
    { CR_CURSOR_CHANGED_KEY_PRESENT, "key_present" },
    { CR_CURSOR_CHANGED_USE_OPENAI_KEY, "use_openai_key" },
    { CR_CURSOR_CHANGED_BASE_URL, "base_url" },
    { CR_CURSOR_CHANGED_ENABLED_MODELS, "enabled_models" },
    { CR_CURSOR_CHANGED_CUSTOM_MODELS, "custom_models" },
  };
  CrCursorSnapshot *snapshot = cr_checklist_get_cursor_snapshot (cli->checklist);
  const CrCursorHistory *history = cr_checklist_get_cursor_history (cli->checklist);

  if (snapshot == NULL || history == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }

  json_builder_begin_object (builder);
  add_boolean (builder, "found", snapshot->status == CR_CURSOR_FOUND);
  add_string (cli, builder, "status", cr_cursor_status_to_string (snapshot->status));
  add_string (cli, builder, "problem", cr_cursor_problem_to_string (snapshot->problem));
  add_string (cli, builder, "reason", snapshot->reason);
  add_string (cli, builder, "path", snapshot->path);
  add_string (cli, builder, "version", snapshot->version);
  add_string (cli, builder, "previous_version", history->previous_version);
  add_boolean (builder, "updated", history->updated);
  add_boolean (builder, "remembered", history->remembered);
  add_string (cli, builder, "verify_model", cr_checklist_get_cursor_verify_model (cli->checklist));

  json_builder_set_member_name (builder, "changed");
  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
    add_boolean (builder, flags[i].name, (history->changes & flags[i].flag) != 0);
  json_builder_end_object (builder);

  json_builder_end_object (builder);
}

static void
print_json (CrCli      *cli,
            const char *base_url,
            const char *model)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (cli->checklist));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ok");
  json_builder_add_boolean_value (builder, cr_checklist_get_ok (cli->checklist));
  add_string (cli, builder, "base_url", base_url);
  add_string (cli, builder, "model", model);
  add_string (cli, builder, "profile", cli->profile);
  add_string (cli, builder, "key", cli->masked);

  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CrCheckItem) item = g_list_model_get_item (G_LIST_MODEL (cli->checklist), i);

      json_builder_begin_object (builder);
      add_string (cli, builder, "id", cr_check_item_get_id (item));
      add_string (cli, builder, "title", cr_check_item_get_title (item));
      add_string (cli, builder, "status",
                  cr_check_status_to_string (cr_check_item_get_status (item)));
      add_string (cli, builder, "section", cr_check_item_get_section (item));
      add_string (cli, builder, "detail", cr_check_item_get_detail (item));
      add_string (cli, builder, "fix", cr_check_item_get_fix (item));
      json_builder_set_member_name (builder, "changed");
      json_builder_add_boolean_value (builder, cr_check_item_get_changed (item));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "cursor");
  add_cursor_json (cli, builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

/* --- the run ---------------------------------------------------------- */

static int
cli_run_checklist (CrCli      *cli,
                   const char *base_url,
                   const char *model)
{
  g_autoptr(GError) error = NULL;
  guint n;

  cli->checklist = cr_checklist_new ();
  cli->printed = g_hash_table_new (NULL, NULL);
  cr_checklist_set_cursor_enabled (cli->checklist, TRUE);
  cr_checklist_set_cursor_location (cli->checklist, cli->cursor_config,
                                    (const char * const *) cli->cursor_roots);
  settings_cursor_previous (cli->settings, cli->checklist);
  cr_checklist_set_base_url (cli->checklist, base_url);
  cr_checklist_set_key (cli->checklist, cli->key);
  cr_checklist_set_model (cli->checklist, model);
  cr_checklist_set_tab_acknowledged (cli->checklist,
                                     settings_boolean (cli->settings, "tab-acknowledged"));

  n = g_list_model_get_n_items (G_LIST_MODEL (cli->checklist));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CrCheckItem) item = g_list_model_get_item (G_LIST_MODEL (cli->checklist), i);

      g_signal_connect (item, "notify::status", G_CALLBACK (on_item_status), cli);
    }

  if (!cli->json)
    print_header (cli, base_url, model);

  cli_catch_sigint (cli);
  cr_checklist_run_async (cli->checklist, cli->cancellable, on_async_done, cli);
  if (!cr_checklist_run_finish (cli->checklist, cli_wait (cli), &error))
    {
      if (g_cancellable_is_cancelled (cli->cancellable))
        {
          g_printerr ("%s\n", _("Cancelled."));
          return CR_CLI_EXIT_INTERRUPTED;
        }
      g_printerr (_("The check could not run: %s\n"), error->message);
      return CR_CLI_EXIT_FAILED;
    }

  if (cli->json)
    {
      print_json (cli, base_url, model);
    }
  else
    {
      gboolean heading = FALSE;

      /* An item that settled without a status change is still shown; the
       * Cursor section comes last, under its heading. */
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(CrCheckItem) item = g_list_model_get_item (G_LIST_MODEL (cli->checklist), i);

          if (!heading && in_cursor_section (item))
            {
              print_cursor_heading (cli);
              heading = TRUE;
            }
          on_item_status (item, NULL, cli);
        }
      print_summary (cli);
    }

  settings_cursor_remember (cli->settings, cli->checklist);

  return cr_checklist_get_ok (cli->checklist) ? CR_CLI_EXIT_OK : CR_CLI_EXIT_FAILED;
}

int
cr_cli_run (int    argc,
            char **argv)
{
  g_autoptr(CrCli) cli = g_new0 (CrCli, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *saved_base_url = NULL;
  g_autofree char *saved_model = NULL;
  g_autofree char *problem = NULL;
  const char *base_url;
  const char *model;

  if (!cli_parse (cli, argc, argv, &error))
    {
      g_printerr ("%s\n", error->message);
      g_printerr (_("Run “%s --check --help” to see the options.\n"), g_get_prgname ());
      return CR_CLI_EXIT_USAGE;
    }

  cli->loop = g_main_loop_new (NULL, FALSE);
  cli->cancellable = g_cancellable_new ();
  cli->color = !cli->json && use_color ();

  if (!cli_find_key (cli))
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

  if (!cli->key_stdin || session_bus_known ())
    cli->settings = settings_new ();
  saved_base_url = settings_string (cli->settings, "base-url");
  saved_model = settings_string (cli->settings, "model");

  if (cli->base_url != NULL)
    base_url = cli->base_url;
  else if (cli->stored_base_url != NULL && *cli->stored_base_url != '\0')
    base_url = cli->stored_base_url;
  else if (saved_base_url != NULL)
    base_url = saved_base_url;
  else
    base_url = CR_DEFAULT_BASE_URL;

  if (cli->model != NULL && *g_strstrip (cli->model) != '\0')
    model = cli->model;
  else if (saved_model != NULL)
    model = saved_model;
  else
    model = CR_DEFAULT_MODEL;

  return cli_run_checklist (cli, base_url, model);
}
