/* cr-application.c: one window, the shared state, app-wide actions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cr-application.h"
#include "cr-cli.h"
#include "cr-keyring.h"
#include "cr-window.h"

struct _CrApplication
{
  AdwApplication  parent_instance;

  CrSetupState   *state;
  GCancellable   *cancellable;
  gboolean        options_handled;
};

G_DEFINE_FINAL_TYPE (CrApplication, cr_application, ADW_TYPE_APPLICATION)

/* Only whether a key exists matters now: the key itself is read when the
 * user asks to check the setup, so it is not in memory unused, and a locked
 * keyring asks for its password then, not as the window opens. */
static void
keyring_has_key_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(CrApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean stored;

  stored = cr_keyring_has_key_finish (result, &error);
  if (error != NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Keyring search failed: %s", error->message);
      return;
    }

  cr_setup_state_set_key_stored (self->state, stored);
}

/* GApplication has parsed the command line: --version, or --check and its
 * options, end the run here. This is before startup, which opens the
 * display: --check must work over ssh and in CI, where there is none. */
static int
cr_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  CrApplication *self = CR_APPLICATION (app);

  self->options_handled = TRUE;

  /* The trace of every request to the gateway (key hidden), on stderr so
   * that --json keeps stdout to itself. */
  if (g_variant_dict_contains (options, "verbose"))
    {
      const char *debug = g_getenv ("G_MESSAGES_DEBUG");
      g_autofree char *domains = debug != NULL && *debug != '\0' ? g_strjoin (" ", debug, G_LOG_DOMAIN, NULL)
                                                                 : g_strdup (G_LOG_DOMAIN);

      g_setenv ("G_MESSAGES_DEBUG", domains, TRUE);
      g_log_writer_default_set_use_stderr (TRUE);
    }

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("crazyrouter-setup %s\n", PACKAGE_VERSION);
      return 0;
    }

  return cr_cli_handle_options (options);
}

/* When the command line cannot be parsed (an unknown option, a value that
 * is not a number), GApplication says why, never emits handle-local-options
 * and exits with 1; bad usage exits with 2 here, with a pointer to --help. */
static gboolean
cr_application_local_command_line (GApplication   *app,
                                   char         ***arguments,
                                   int            *exit_status)
{
  CrApplication *self = CR_APPLICATION (app);
  gboolean handled;

  handled = G_APPLICATION_CLASS (cr_application_parent_class)->local_command_line (app, arguments, exit_status);
  if (handled && !self->options_handled)
    *exit_status = cr_cli_usage_error (NULL);

  return handled;
}

static void
cr_application_startup (GApplication *app)
{
  CrApplication *self = CR_APPLICATION (app);

  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *shortcuts_accels[] = { "<Control>question", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };

  G_APPLICATION_CLASS (cr_application_parent_class)->startup (app);

  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.shortcuts", shortcuts_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "window.close", close_accels);

  self->state = cr_setup_state_new_persistent ();
  self->cancellable = g_cancellable_new ();

  cr_keyring_has_key_async (cr_setup_state_get_profile (self->state),
                            self->cancellable,
                            keyring_has_key_cb,
                            g_object_ref (self));
}

static void
cr_application_shutdown (GApplication *app)
{
  CrApplication *self = CR_APPLICATION (app);

  g_cancellable_cancel (self->cancellable);

  G_APPLICATION_CLASS (cr_application_parent_class)->shutdown (app);
}

static void
cr_application_activate (GApplication *app)
{
  CrApplication *self = CR_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (cr_window_new (GTK_APPLICATION (app), self->state));

  gtk_window_present (window);
}

static void
cr_application_dispose (GObject *object)
{
  CrApplication *self = CR_APPLICATION (object);

  g_clear_object (&self->state);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (cr_application_parent_class)->dispose (object);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  const char *developers[] = { "Crazyrouter Setup contributors", NULL };

#if ADW_CHECK_VERSION (1, 5, 0)
  AdwDialog *about = adw_about_dialog_new ();
#else
  GtkWindow *about = GTK_WINDOW (adw_about_window_new ());

  gtk_window_set_transient_for (about, parent);
  gtk_window_set_modal (about, TRUE);
#endif

  g_object_set (about,
                "application-name", _("Crazyrouter Setup"),
                "application-icon", APP_ID,
                "version", PACKAGE_VERSION,
                "comments", _("Connects Cursor to the Crazyrouter gateway and checks that it works."),
                "website", "https://crazyrouter.com",
                "developers", developers,
                "license-type", GTK_LICENSE_GPL_3_0,
                NULL);

#if ADW_CHECK_VERSION (1, 5, 0)
  adw_dialog_present (about, GTK_WIDGET (parent));
#else
  gtk_window_present (about);
#endif
}

#if ADW_CHECK_VERSION (1, 8, 0)
static AdwShortcutsSection *
shortcuts_section_new (const char         *title,
                       const char * const *items)
{
  AdwShortcutsSection *section = adw_shortcuts_section_new (title);

  for (guint i = 0; items[i] != NULL; i += 2)
    adw_shortcuts_section_add (section, adw_shortcuts_item_new (_(items[i]), items[i + 1]));

  return section;
}
#endif

static void
shortcuts_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));
#if ADW_CHECK_VERSION (1, 8, 0)
  static const char * const steps[] = {
    N_("Next step"), "<Alt>Right",
    N_("Previous step"), "<Alt>Left",
    N_("Stop what is running"), "Escape",
    NULL
  };
  static const char * const general[] = {
    N_("Keyboard shortcuts"), "<Control>question",
    N_("Close the window"), "<Control>w",
    N_("Quit"), "<Control>q",
    NULL
  };
  AdwShortcutsDialog *dialog = ADW_SHORTCUTS_DIALOG (adw_shortcuts_dialog_new ());

  adw_shortcuts_dialog_add (dialog, shortcuts_section_new (_("Steps"), steps));
  adw_shortcuts_dialog_add (dialog, shortcuts_section_new (_("General"), general));
  adw_dialog_present (ADW_DIALOG (dialog), GTK_WIDGET (parent));
#else
  g_autoptr(GtkBuilder) builder =
    gtk_builder_new_from_resource ("/com/crazyrouter/SetupAssistant/cr-shortcuts-window.ui");
  GtkWindow *window = GTK_WINDOW (gtk_builder_get_object (builder, "shortcuts_window"));

  gtk_window_set_transient_for (window, parent);
  gtk_window_present (window);
#endif
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "about", about_action },
  { "shortcuts", shortcuts_action },
};

static void
cr_application_class_init (CrApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = cr_application_dispose;
  app_class->local_command_line = cr_application_local_command_line;
  app_class->handle_local_options = cr_application_handle_local_options;
  app_class->startup = cr_application_startup;
  app_class->shutdown = cr_application_shutdown;
  app_class->activate = cr_application_activate;
}

/* The terminal's options come first (cr-cli.h), then the application's own. */
static const GOptionEntry app_options[] = {
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and quit"), NULL },
  { "verbose", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Print every request to the gateway (the key hidden) on standard error"), NULL },
  { NULL }
};

static void
cr_application_init (CrApplication *self)
{
  GApplication *app = G_APPLICATION (self);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);

  g_application_add_main_option_entries (app, cr_cli_get_option_entries ());
  g_application_add_main_option_entries (app, app_options);
  g_application_set_option_context_summary (app,
    _("Connects Cursor to the Crazyrouter gateway and checks that it works."));
  g_application_set_option_context_description (app, cr_cli_get_option_description ());
}

CrApplication *
cr_application_new (void)
{
  return g_object_new (CR_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       NULL);
}

CrSetupState *
cr_application_get_state (CrApplication *self)
{
  g_return_val_if_fail (CR_IS_APPLICATION (self), NULL);

  return self->state;
}
