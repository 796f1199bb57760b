/* cr-welcome-page.c: step 1, what will happen and what is needed
 *
 * When a key is already in the keyring, "Check my setup" reads it and goes
 * straight to the checklist, which runs when it is shown. Cursor's settings
 * are read in a worker thread meanwhile: when Cursor was updated (or its
 * settings changed) since the last check, a line next to the button says so.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cr-cursor.h"
#include "cr-cursor-history.h"
#include "cr-key.h"
#include "cr-keyring.h"
#include "cr-welcome-page.h"

struct _CrWelcomePage
{
  CrPage          parent_instance;

  GtkWidget      *stored_box;
  GtkLabel       *stored_label;
  GtkWidget      *check_button;
  GtkWidget      *check_spinner;
  GtkLabel       *last_check_label;
  GtkLabel       *error_label;
  GtkWidget      *cursor_box;
  GtkWidget      *cursor_icon;
  GtkLabel       *cursor_label;

  GCancellable     *cancellable;         /* set while the keyring is read */
  GCancellable     *cursor_cancellable;  /* set while Cursor's settings are read */
  CrCursorSnapshot *cursor_snapshot;     /* the last read, or NULL */
};

G_DEFINE_FINAL_TYPE (CrWelcomePage, cr_welcome_page, CR_TYPE_PAGE)

static void
show_error (CrWelcomePage *self,
            const char    *message)
{
  /* Plain text: a keyring error may contain anything. */
  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
update_last_check (CrWelcomePage *self,
                   CrSetupState  *state)
{
  gint64 when = cr_setup_state_get_last_check_time (state);
  g_autoptr(GDateTime) time = NULL;
  g_autofree char *date = NULL;
  g_autofree char *text = NULL;

  time = when > 0 ? g_date_time_new_from_unix_local (when) : NULL;
  gtk_widget_set_visible (GTK_WIDGET (self->last_check_label), time != NULL);
  if (time == NULL)
    return;

  date = g_date_time_format (time, "%x");
  if (cr_setup_state_get_last_check_ok (state))
    /* Translators: %s is a date. */
    text = g_strdup_printf (_("Last checked on %s: everything passed."), date);
  else
    /* Translators: %s is a date. */
    text = g_strdup_printf (_("Last checked on %s: something needed attention."), date);
  gtk_label_set_text (self->last_check_label, text);
}

/* What changed in Cursor since the last check, from what it remembered. */
static void
update_cursor_line (CrWelcomePage *self,
                    CrSetupState  *state)
{
  g_autoptr(CrCursorHistory) history = NULL;
  g_autofree char *text = NULL;
  gboolean settings_changed;

  if (self->cursor_snapshot != NULL)
    history = cr_cursor_history_new (cr_setup_state_get_cursor_version (state),
                                     cr_setup_state_get_cursor_facts (state),
                                     self->cursor_snapshot);
  /* A version that is unknown now is no news; the settings may be. */
  settings_changed = history != NULL && history->remembered
                     && (history->changes & ~CR_CURSOR_CHANGED_VERSION) != 0;

  gtk_widget_set_visible (self->cursor_box,
                          history != NULL && (history->updated || settings_changed));
  if (history == NULL)
    return;

  gtk_widget_set_visible (self->cursor_icon, history->updated);
  if (history->updated)
    {
      /* Translators: "Cursor was updated from 1.4.2 to 1.5.0 — check again?" */
      text = g_strdup_printf (_("Cursor was updated from %s to %s — check again?"),
                              history->previous_version, history->current_version);
      gtk_label_set_text (self->cursor_label, text);
      gtk_widget_remove_css_class (GTK_WIDGET (self->cursor_label), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (self->cursor_label), "heading");
    }
  else if (settings_changed)
    {
      gtk_label_set_text (self->cursor_label, _("Cursor’s settings changed since your last check"));
      gtk_widget_remove_css_class (GTK_WIDGET (self->cursor_label), "heading");
      gtk_widget_add_css_class (GTK_WIDGET (self->cursor_label), "dim-label");
    }
}

static void
update (CrWelcomePage *self)
{
  CrSetupState *state = cr_page_get_state (CR_PAGE (self));
  gboolean stored = state != NULL && cr_setup_state_get_key_stored (state);
  g_autofree char *text = NULL;

  gtk_widget_set_visible (self->stored_box, stored);
  cr_page_set_next_label (CR_PAGE (self), stored ? _("_Set Up Again") : _("_Start"));
  /* With a key saved, checking it is the likely wish; setting up again is not. */
  cr_page_set_next_suggested (CR_PAGE (self), !stored);
  if (!stored)
    return;

  /* Translators: %s is the keyring profile, usually “cursor”. */
  text = g_strdup_printf (_("A key is saved in your keyring for the profile “%s”."),
                          cr_setup_state_get_profile (state));
  gtk_label_set_text (self->stored_label, text);
  update_last_check (self, state);
  update_cursor_line (self, state);
}

static void
cursor_read_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CrWelcomePage) self = user_data;
  CrCursorSnapshot *snapshot = cr_cursor_read_finish (result, NULL);

  /* NULL only when cancelled: a newer read, or the page went away. */
  if (snapshot == NULL)
    return;

  g_clear_object (&self->cursor_cancellable);
  g_clear_pointer (&self->cursor_snapshot, cr_cursor_snapshot_free);
  self->cursor_snapshot = snapshot;
  update (self);
}

/* In a worker thread: the first frame never waits for Cursor's files. */
static void
read_cursor (CrWelcomePage *self)
{
  CrSetupState *state = cr_page_get_state (CR_PAGE (self));

  g_cancellable_cancel (self->cursor_cancellable);
  g_clear_object (&self->cursor_cancellable);
  if (state == NULL)
    return;

  self->cursor_cancellable = g_cancellable_new ();
  cr_cursor_read_async (cr_setup_state_get_cursor_config (state),
                        cr_setup_state_get_cursor_install_roots (state),
                        self->cursor_cancellable, cursor_read_cb, g_object_ref (self));
}

/* The keyring answers shortly after the window opens: the check becomes the
 * default action then, unless the user has already moved into the page. */
static void
key_stored_cb (CrWelcomePage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  update (self);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)) &&
      gtk_widget_get_visible (self->stored_box) &&
      (focus == NULL || !gtk_widget_is_ancestor (focus, GTK_WIDGET (self))))
    gtk_widget_grab_focus (self->check_button);
}

static void
state_changed_cb (CrWelcomePage *self)
{
  CrSetupState *state = cr_page_get_state (CR_PAGE (self));

  if (state != NULL)
    {
      g_signal_connect_object (state, "notify::key-stored",
                               G_CALLBACK (key_stored_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (state, "notify::profile",
                               G_CALLBACK (update), self, G_CONNECT_SWAPPED);
    }
  read_cursor (self);
  update (self);
}

static void
set_checking (CrWelcomePage *self,
              GCancellable  *cancellable)
{
  g_set_object (&self->cancellable, cancellable);
  gtk_widget_set_sensitive (self->check_button, cancellable == NULL);
  gtk_widget_set_visible (self->check_spinner, cancellable != NULL);
  gtk_spinner_set_spinning (GTK_SPINNER (self->check_spinner), cancellable != NULL);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CrWelcomePage) self = user_data;
  CrSetupState *state = cr_page_get_state (CR_PAGE (self));
  g_autoptr(GError) error = NULL;
  char *key;

  key = cr_keyring_lookup_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_checking (self, NULL);

  if (error != NULL)
    {
      g_autofree char *text =
        g_strdup_printf (_("Could not read the keyring: %s. Try once more, or set up again."),
                         error->message);
      show_error (self, text);
      return;
    }

  if (key == NULL)
    {
      show_error (self, _("The key is no longer in the keyring. Set up again to add it."));
      cr_setup_state_set_key_stored (state, FALSE);
      return;
    }

  cr_setup_state_set_key (state, key);
  cr_key_free (key);

  cr_page_jump_to (CR_PAGE (self), "checklist");
}

static void
check_clicked_cb (CrWelcomePage *self)
{
  CrSetupState *state = cr_page_get_state (CR_PAGE (self));
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  if (self->cancellable != NULL || state == NULL)
    return;

  show_error (self, NULL);
  set_checking (self, cancellable);
  cr_keyring_lookup_async (cr_setup_state_get_profile (state), cancellable,
                           lookup_cb, g_object_ref (self));
}

static void
cr_welcome_page_shown (CrPage *page)
{
  CrWelcomePage *self = CR_WELCOME_PAGE (page);

  /* Back from a check, or after a while: Cursor may have changed since. */
  if (self->cursor_cancellable == NULL)
    read_cursor (self);
  update (self);
  if (gtk_widget_get_visible (self->stored_box))
    gtk_widget_grab_focus (self->check_button);
}

static void
cr_welcome_page_dispose (GObject *object)
{
  CrWelcomePage *self = CR_WELCOME_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->cursor_cancellable);
  g_clear_object (&self->cursor_cancellable);
  g_clear_pointer (&self->cursor_snapshot, cr_cursor_snapshot_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), CR_TYPE_WELCOME_PAGE);

  G_OBJECT_CLASS (cr_welcome_page_parent_class)->dispose (object);
}

static void
cr_welcome_page_class_init (CrWelcomePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CrPageClass *page_class = CR_PAGE_CLASS (klass);

  object_class->dispose = cr_welcome_page_dispose;
  page_class->shown = cr_welcome_page_shown;

  cr_page_class_set_id (CR_PAGE_CLASS (klass), "welcome");

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/crazyrouter/SetupAssistant/cr-welcome-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CrWelcomePage, stored_box);
  gtk_widget_class_bind_template_child (widget_class, CrWelcomePage, stored_label);
  gtk_widget_class_bind_template_child (widget_class, CrWelcomePage, check_button);
  gtk_widget_class_bind_template_child (widget_class, CrWelcomePage, check_spinner);
  gtk_widget_class_bind_template_child (widget_class, CrWelcomePage, last_check_label);
  gtk_widget_class_bind_template_child (widget_class, CrWelcomePage, error_label);
  gtk_widget_class_bind_template_child (widget_class, CrWelcomePage, cursor_box);
  gtk_widget_class_bind_template_child (widget_class, CrWelcomePage, cursor_icon);
  gtk_widget_class_bind_template_child (widget_class, CrWelcomePage, cursor_label);
  gtk_widget_class_bind_template_callback (widget_class, check_clicked_cb);
}

static void
cr_welcome_page_init (CrWelcomePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  cr_page_set_title (CR_PAGE (self), _("Welcome"));
  cr_page_set_complete (CR_PAGE (self), TRUE);

  g_signal_connect (self, "notify::state", G_CALLBACK (state_changed_cb), NULL);
  update (self);
}
