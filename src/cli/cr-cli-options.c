/* cr-cli-options.c: the command line, and the settings --check reads
 *
 * The options are declared and checked here (GApplication parses them,
 * see cr-application.c); the saved base URL, model and what was
 * remembered about Cursor come from GSettings, when it may be used.
 * Part of the terminal front end (see cr-cli.c).
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

/* --- settings --------------------------------------------------------- */

/* With the key on stdin the run must not need a session bus; GSettings
 * (dconf) may only be read when one is already there to be found. */
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

/* NULL when the schema is not installed (a build run from its tree): then
 * the defaults apply, instead of g_settings_new() aborting. */
GSettings *
_cr_cli_settings_new (void)
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
char *
_cr_cli_settings_string (GSettings  *settings,
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

gboolean
_cr_cli_settings_boolean (GSettings  *settings,
                          const char *name)
{
  if (!settings_has (settings, name, G_VARIANT_TYPE_BOOLEAN))
    return FALSE;

  return g_settings_get_boolean (settings, name);
}

/* What the last check remembered about Cursor, if the schema has it. */
void
_cr_cli_settings_cursor_previous (GSettings   *settings,
                                  CrChecklist *checklist)
{
  g_autofree char *version = _cr_cli_settings_string (settings, "cursor-version");
  g_autoptr(GVariant) facts = NULL;

  if (settings_has (settings, "cursor-facts", G_VARIANT_TYPE (CR_CURSOR_FACTS_TYPE)))
    facts = g_settings_get_value (settings, "cursor-facts");

  cr_checklist_set_cursor_previous (checklist, version, facts);
}

/* Remembers what this run read, for the next run to compare with. */
void
_cr_cli_settings_cursor_remember (GSettings   *settings,
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
