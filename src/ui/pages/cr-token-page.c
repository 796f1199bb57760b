/* cr-token-page.c: step 2, how to create a dedicated token
 *
 * Advice only: the token is made in the user's browser, so this page is
 * always complete.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cr-models.h"
#include "cr-token-page.h"

#define TOKENS_URL "https://crazyrouter.com/console/token"

struct _CrTokenPage
{
  CrPage        parent_instance;

  AdwActionRow *allowlist_row;
  AdwActionRow *ip_row;
};

G_DEFINE_FINAL_TYPE (CrTokenPage, cr_token_page, CR_TYPE_PAGE)

/* The baseline and the next model that really goes through the override. */
static void
show_allowlist (CrTokenPage *self)
{
  const char * const *models = cr_models_recommended ();
  g_autofree char *text = g_strdup_printf (_("Allow only %s and %s to begin with"), models[0], models[1]);

  adw_action_row_set_subtitle (self->allowlist_row, text);
}

/* The guide's "consider it on fixed office networks" is for tokens used
 * from that network; Cursor's requests never come from it. */
static void
show_ip_advice (CrTokenPage *self)
{
  g_autofree char *text = g_strjoin (" ",
                                     _("Cursor calls Crazyrouter from its own servers, whose addresses are neither fixed nor published, so a token tied to an address fails inside Cursor even when every check on this computer passes."),
                                     _("An IP restriction suits tokens used straight from a fixed network, such as scripts or CI, not Cursor’s."),
                                     NULL);

  adw_action_row_set_subtitle (self->ip_row, text);
}

static void
launch_failed (CrTokenPage  *self,
               const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
#if GTK_CHECK_VERSION (4, 10, 0)
  if (g_error_matches (error, GTK_DIALOG_ERROR, GTK_DIALOG_ERROR_DISMISSED))
    return;
#endif

  cr_page_toast (CR_PAGE (self),
                 _("Could not open a web browser. Go to crazyrouter.com/console/token yourself."));
}

#if GTK_CHECK_VERSION (4, 10, 0)
static void
launch_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CrTokenPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!gtk_uri_launcher_launch_finish (GTK_URI_LAUNCHER (object), result, &error))
    launch_failed (self, error);
}
#else
static void
launch_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CrTokenPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!gtk_show_uri_full_finish (GTK_WINDOW (object), result, &error))
    launch_failed (self, error);
}
#endif

static void
open_clicked_cb (CrTokenPage *self)
{
  GtkWindow *parent = GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self)));

#if GTK_CHECK_VERSION (4, 10, 0)
  g_autoptr(GtkUriLauncher) launcher = gtk_uri_launcher_new (TOKENS_URL);

  gtk_uri_launcher_launch (launcher, parent, NULL, launch_cb, g_object_ref (self));
#else
  gtk_show_uri_full (parent, TOKENS_URL, GDK_CURRENT_TIME, NULL, launch_cb, g_object_ref (self));
#endif
}

static void
cr_token_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CR_TYPE_TOKEN_PAGE);

  G_OBJECT_CLASS (cr_token_page_parent_class)->dispose (object);
}

static void
cr_token_page_class_init (CrTokenPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cr_token_page_dispose;

  cr_page_class_set_id (CR_PAGE_CLASS (klass), "token");

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/crazyrouter/SetupAssistant/cr-token-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CrTokenPage, allowlist_row);
  gtk_widget_class_bind_template_child (widget_class, CrTokenPage, ip_row);
  gtk_widget_class_bind_template_callback (widget_class, open_clicked_cb);
}

static void
cr_token_page_init (CrTokenPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  cr_page_set_title (CR_PAGE (self), _("Create a Token"));
  cr_page_set_complete (CR_PAGE (self), TRUE);
  show_allowlist (self);
  show_ip_advice (self);
}
