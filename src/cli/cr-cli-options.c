/* cr-cli-options.c: the command line, and the settings --check reads
 *
 * The options are parsed here; the saved base URL, model and what was
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

gboolean
_cr_cli_parse (CrCli   *cli,
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
