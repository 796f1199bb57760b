/* cr-keyring-page.c: step 6, keep the key in the keyring (or go on without)
 *
 * Saving is a convenience, not a requirement: when there is no keyring, or
 * it stays locked, the user can always go on and paste the key next time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cr-key.h"
#include "cr-keyring.h"
#include "cr-keyring-page.h"

struct _CrKeyringPage
{
  CrPage         parent_instance;

  AdwActionRow  *key_row;
  AdwActionRow  *url_row;
  AdwActionRow  *where_row;
  GtkStack      *status_stack;
  GtkWidget     *save_button;
  GtkSpinner    *spinner;
  GtkImage      *result_icon;
  GtkLabel      *result_title;
  GtkLabel      *result_text;
  GtkWidget     *result_buttons;
  GtkWidget     *skip_button;
  GtkWidget     *retry_button;

  GCancellable  *cancellable;      /* the save in flight */

  /* The state's generation when the key was saved, so a key changed on an
   * earlier step is saved again. */
  guint          saved;
  gboolean       skip;             /* the user chose to go on without saving */
};

G_DEFINE_FINAL_TYPE (CrKeyringPage, cr_keyring_page, CR_TYPE_PAGE)

/* Inside the Flatpak sandbox libsecret goes through the Secret portal and
 * keeps the key in the app's own keyring, not the login keyring. */
static gboolean
is_saved (CrKeyringPage *self)
{
  CrSetupState *state = cr_page_get_state (CR_PAGE (self));

  return state != NULL && self->saved == cr_setup_state_get_generation (state);
}

static void
show_result (CrKeyringPage *self,
             const char    *icon_name,
             const char    *style,
             const char    *title,
             const char    *text,
             gboolean       offer_choices)
{
  static const char * const styles[] = { "success", "warning", "error" };

  gtk_image_set_from_icon_name (self->result_icon, icon_name);
  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->result_icon), styles[i]);
  gtk_widget_add_css_class (GTK_WIDGET (self->result_icon), style);

  gtk_label_set_text (self->result_title, title);
  gtk_label_set_text (self->result_text, text);
  gtk_widget_set_visible (self->result_buttons, offer_choices);
  gtk_stack_set_visible_child_name (self->status_stack, "result");
}

static void
show_saved (CrKeyringPage *self)
{
  show_result (self, "emblem-ok-symbolic", "success", _("Key saved"),
               cr_keyring_in_sandbox ()
               ? _("It is in this app’s own keyring, kept by the desktop through the Secret portal.")
               : _("It is in your login keyring. You can see or remove it in Passwords and Keys."),
               FALSE);
}

/* Every failure leaves two ways on: try again, or go on without saving. */
static void
show_failure (CrKeyringPage *self,
              const GError  *error)
{
  const char *later = _("You can also go on without saving: everything works the same, but next time you will paste the key again.");
  g_autofree char *text = NULL;

  if (g_error_matches (error, CR_KEYRING_ERROR, CR_KEYRING_ERROR_NO_SERVICE))
    {
      show_result (self, "dialog-warning-symbolic", "warning",
                   _("No keyring service is running"),
                   _("This desktop has no service that keeps passwords, so the key cannot be saved. You can go on without it: everything works the same, but next time you will paste the key again."),
                   TRUE);
      /* Nothing to fix here, so going on is the normal way: Next says so,
       * in a word that keeps the header narrow; the card says it in full. */
      self->skip = TRUE;
      cr_page_set_next_label (CR_PAGE (self), _("_Skip"));
      cr_page_set_complete (CR_PAGE (self), TRUE);
      return;
    }

  if (g_error_matches (error, CR_KEYRING_ERROR, CR_KEYRING_ERROR_LOCKED))
    text = g_strdup_printf ("%s %s",
                            _("Saving needs the keyring unlocked. Try again and enter your login password when the desktop asks for it."),
                            later);
  else
    text = g_strdup_printf ("%s %s", error->message, later);

  show_result (self, "dialog-error-symbolic", "error",
               g_error_matches (error, CR_KEYRING_ERROR, CR_KEYRING_ERROR_LOCKED)
               ? _("The keyring stayed locked")
               : _("The key could not be saved"),
               text, TRUE);
  cr_page_set_complete (CR_PAGE (self), FALSE);
  gtk_widget_grab_focus (self->retry_button);
}

static void
on_store_done (GObject      *source,
               GAsyncResult *res,
               gpointer      user_data)
{
  g_autoptr(CrKeyringPage) self = user_data;
  g_autoptr(GError) error = NULL;
  CrSetupState *state = cr_page_get_state (CR_PAGE (self));

  cr_keyring_store_finish (res, &error);
  g_clear_object (&self->cancellable);
  gtk_spinner_stop (self->spinner);

  if (error == NULL)
    {
      self->saved = cr_setup_state_get_generation (state);
      self->skip = FALSE;
      cr_setup_state_set_key_stored (state, TRUE);
      cr_page_set_next_label (CR_PAGE (self), NULL);
      cr_page_set_complete (CR_PAGE (self), TRUE);
      show_saved (self);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      gtk_stack_set_visible_child_name (self->status_stack, "idle");
    }
  else
    {
      show_failure (self, error);
    }

  /* Next was waiting for the save. */
  cr_page_apply_complete (CR_PAGE (self), error == NULL);
}

static void
start_save (CrKeyringPage *self)
{
  CrSetupState *state = cr_page_get_state (CR_PAGE (self));

  if (self->cancellable != NULL)
    return;

  self->cancellable = g_cancellable_new ();
  gtk_spinner_start (self->spinner);
  gtk_stack_set_visible_child_name (self->status_stack, "saving");

  cr_keyring_store_async (cr_setup_state_get_profile (state),
                          cr_setup_state_get_key (state),
                          self->cancellable,
                          on_store_done,
                          g_object_ref (self));
}

static void
cancel_save (CrKeyringPage *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

/* Next saves the key, or waits for the save the user started. */
static gboolean
cr_keyring_page_apply (CrPage       *page,
                       GCancellable *cancellable)
{
  CrKeyringPage *self = CR_KEYRING_PAGE (page);

  if (self->skip || is_saved (self)
      || !cr_setup_state_get_has_key (cr_page_get_state (page)))
    return FALSE;

  start_save (self);

  /* The assistant's Cancel stops the save, even one the user started. */
  g_signal_connect_object (cancellable, "cancelled", G_CALLBACK (cancel_save), self, G_CONNECT_SWAPPED);

  return TRUE;
}

static void
cr_keyring_page_shown (CrPage *page)
{
  CrKeyringPage *self = CR_KEYRING_PAGE (page);
  CrSetupState *state = cr_page_get_state (page);
  g_autofree char *masked = NULL;
  g_autofree char *url = NULL;
  gboolean has_key = cr_setup_state_get_has_key (state);

  if (self->cancellable != NULL)
    return;

  masked = has_key ? cr_key_mask (cr_setup_state_get_key (state)) : NULL;
  adw_action_row_set_subtitle (self->key_row,
                               masked ? masked : _("No key entered yet"));
  /* Only the key goes to the keyring: the base URL is no secret. */
  url = g_strdup_printf (_("%s, kept in this app’s settings, not in the keyring"),
                         cr_setup_state_get_base_url (state));
  adw_action_row_set_subtitle (self->url_row, url);

  if (cr_keyring_in_sandbox ())
    adw_action_row_set_subtitle (self->where_row,
                                 _("This app’s own keyring, kept by the desktop through the Secret portal. Other apps cannot read it."));
  else if (cr_setup_state_get_key_stored (state))
    adw_action_row_set_subtitle (self->where_row,
                                 _("Your login keyring, in place of the key saved there before. You can see it in Passwords and Keys."));
  else
    adw_action_row_set_subtitle (self->where_row,
                                 _("Your login keyring, unlocked when you log in. You can see it in Passwords and Keys."));

  if (!has_key)
    {
      show_result (self, "dialog-information-symbolic", "warning",
                   _("There is no key to save"),
                   _("Go back to the key step to enter one, or go on without saving."),
                   FALSE);
      cr_page_set_complete (page, TRUE);
      return;
    }

  if (is_saved (self))
    show_saved (self);
  else if (self->skip)
    cr_page_set_complete (page, TRUE);
  else
    gtk_stack_set_visible_child_name (self->status_stack, "idle");
}

static void
on_save_clicked (CrKeyringPage *self)
{
  start_save (self);
}

static void
on_cancel_clicked (CrKeyringPage *self)
{
  cancel_save (self);
}

static void
on_skip_clicked (CrKeyringPage *self)
{
  self->skip = TRUE;
  cr_page_set_next_label (CR_PAGE (self), _("_Skip"));
  cr_page_set_complete (CR_PAGE (self), TRUE);
  cr_page_advance (CR_PAGE (self));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  cancel_save (CR_KEYRING_PAGE (widget));
}

/* Leaving the step (Back, or the window closing) stops the save. */
static void
cr_keyring_page_hidden (CrPage *page)
{
  cancel_save (CR_KEYRING_PAGE (page));
}

static void
cr_keyring_page_dispose (GObject *object)
{
  CrKeyringPage *self = CR_KEYRING_PAGE (object);

  cancel_save (self);
  g_clear_object (&self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), CR_TYPE_KEYRING_PAGE);

  G_OBJECT_CLASS (cr_keyring_page_parent_class)->dispose (object);
}

static void
cr_keyring_page_class_init (CrKeyringPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CrPageClass *page_class = CR_PAGE_CLASS (klass);

  object_class->dispose = cr_keyring_page_dispose;
  page_class->shown = cr_keyring_page_shown;
  page_class->hidden = cr_keyring_page_hidden;
  page_class->apply = cr_keyring_page_apply;

  /* The window turns Escape into "page.cancel". */
  gtk_widget_class_install_action (widget_class, "page.cancel", NULL, cancel_action);

  cr_page_class_set_id (CR_PAGE_CLASS (klass), "keyring");

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/crazyrouter/SetupAssistant/cr-keyring-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CrKeyringPage, key_row);
  gtk_widget_class_bind_template_child (widget_class, CrKeyringPage, url_row);
  gtk_widget_class_bind_template_child (widget_class, CrKeyringPage, where_row);
  gtk_widget_class_bind_template_child (widget_class, CrKeyringPage, status_stack);
  gtk_widget_class_bind_template_child (widget_class, CrKeyringPage, save_button);
  gtk_widget_class_bind_template_child (widget_class, CrKeyringPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, CrKeyringPage, result_icon);
  gtk_widget_class_bind_template_child (widget_class, CrKeyringPage, result_title);
  gtk_widget_class_bind_template_child (widget_class, CrKeyringPage, result_text);
  gtk_widget_class_bind_template_child (widget_class, CrKeyringPage, result_buttons);
  gtk_widget_class_bind_template_child (widget_class, CrKeyringPage, skip_button);
  gtk_widget_class_bind_template_child (widget_class, CrKeyringPage, retry_button);
  gtk_widget_class_bind_template_callback (widget_class, on_save_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_skip_clicked);
}

static void
cr_keyring_page_init (CrKeyringPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  cr_page_set_title (CR_PAGE (self), _("Save the Key"));
  cr_page_set_complete (CR_PAGE (self), TRUE);
}
