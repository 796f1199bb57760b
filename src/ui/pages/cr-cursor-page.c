/* cr-cursor-page.c: step 7, what to enter where in Cursor, with copy buttons
 *
 * The key is shown masked only. A copied key is taken off the clipboard
 * again after a short while, unless something else was copied since.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cr-key.h"
#include "cr-cursor-page.h"
#include "cr-models.h"

#define CLIPBOARD_CLEAR_SECONDS 30

struct _CrCursorPage
{
  CrPage              parent_instance;

  AdwActionRow       *key_row;
  AdwActionRow       *url_row;
  AdwActionRow       *model_row;
  AdwActionRow       *send_row;
  AdwActionRow       *other_models_row;
  GtkWidget          *copy_key_button;
  GtkWidget          *copy_url_button;
  GtkRevealer        *notice_revealer;
  GtkImage           *notice_icon;
  GtkLabel           *notice_label;

  /* What we put on the clipboard for the key: only this is ever cleared. */
  GdkContentProvider *key_content;
  guint               clear_id;
  guint               clear_seconds;
};

G_DEFINE_FINAL_TYPE (CrCursorPage, cr_cursor_page, CR_TYPE_PAGE)

static void
show_notice (CrCursorPage *self,
             const char   *icon_name,
             const char   *text)
{
  gtk_image_set_from_icon_name (self->notice_icon, icon_name);
  gtk_label_set_text (self->notice_label, text);
  /* Hidden until the first copy, so it takes no room before. */
  gtk_widget_set_visible (GTK_WIDGET (self->notice_revealer), TRUE);
  gtk_revealer_set_reveal_child (self->notice_revealer, TRUE);
}

/* Clears the clipboard only while it still holds our copy of the key, so
 * whatever the user copied since is left alone. */
static gboolean
clear_key_from_clipboard (CrCursorPage *self)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (self));
  gboolean ours;

  if (self->key_content == NULL)
    return FALSE;

  ours = gdk_clipboard_is_local (clipboard)
         && gdk_clipboard_get_content (clipboard) == self->key_content;
  if (ours)
    gdk_clipboard_set_content (clipboard, NULL);
  g_clear_object (&self->key_content);

  return ours;
}

static gboolean
on_clear_timeout (gpointer user_data)
{
  CrCursorPage *self = user_data;

  self->clear_id = 0;
  if (clear_key_from_clipboard (self))
    show_notice (self, "emblem-ok-symbolic", _("The key was cleared from the clipboard."));
  else
    gtk_revealer_set_reveal_child (self->notice_revealer, FALSE);

  return G_SOURCE_REMOVE;
}

/* The bytes free themselves with cr_key_free(), so the copy is wiped once
 * neither the clipboard nor we hold it any more. */
static GdkContentProvider *
key_content_new (const char *key)
{
  char *copy = g_strdup (key);
  g_autoptr(GBytes) bytes = g_bytes_new_with_free_func (copy, strlen (copy),
                                                        (GDestroyNotify) cr_key_free,
                                                        copy);
  GdkContentProvider *providers[] = {
    gdk_content_provider_new_for_bytes ("text/plain;charset=utf-8", bytes),
    gdk_content_provider_new_for_bytes ("text/plain", bytes),
  };

  return gdk_content_provider_new_union (providers, G_N_ELEMENTS (providers));
}

static void
on_copy_key_clicked (CrCursorPage *self)
{
  CrSetupState *state = cr_page_get_state (CR_PAGE (self));
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (self));
  g_autofree char *notice = NULL;

  if (!cr_setup_state_get_has_key (state))
    return;

  g_clear_handle_id (&self->clear_id, g_source_remove);
  g_clear_object (&self->key_content);
  self->key_content = key_content_new (cr_setup_state_get_key (state));
  gdk_clipboard_set_content (clipboard, self->key_content);
  self->clear_id = g_timeout_add_seconds (self->clear_seconds, on_clear_timeout, self);

  notice = g_strdup_printf (ngettext ("Copied. The key will be cleared from the clipboard in %u second.",
                                      "Copied. The key will be cleared from the clipboard in %u seconds.",
                                      self->clear_seconds),
                            self->clear_seconds);
  show_notice (self, "edit-copy-symbolic", notice);
}

static void
on_copy_url_clicked (CrCursorPage *self)
{
  CrSetupState *state = cr_page_get_state (CR_PAGE (self));
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (self));

  /* The address replaces the key on the clipboard: nothing left to clear. */
  g_clear_handle_id (&self->clear_id, g_source_remove);
  g_clear_object (&self->key_content);
  gdk_clipboard_set_text (clipboard, cr_setup_state_get_base_url (state));
  show_notice (self, "edit-copy-symbolic", _("Copied the base URL."));
}

static void
cr_cursor_page_shown (CrPage *page)
{
  CrCursorPage *self = CR_CURSOR_PAGE (page);
  CrSetupState *state = cr_page_get_state (page);
  const char *model = cr_setup_state_get_model (state);
  gboolean has_key = cr_setup_state_get_has_key (state);
  g_autofree char *masked = has_key ? cr_key_mask (cr_setup_state_get_key (state)) : NULL;
  g_autofree char *url = NULL;
  g_autofree char *model_title = NULL;
  g_autofree char *model_note = NULL;
  g_autofree char *send = NULL;
  g_autofree char *uneven = NULL;
  g_autofree char *other_slots = NULL;
  g_autofree char *other_note = NULL;

  adw_action_row_set_subtitle (self->key_row,
                               masked ? masked : _("Your Crazyrouter key (it was not entered here)"));
  gtk_widget_set_visible (self->copy_key_button, has_key);

  url = g_strdup_printf (_("Exactly: %s"), cr_setup_state_get_base_url (state));
  adw_action_row_set_subtitle (self->url_row, url);

  if (model == NULL || model[0] == '\0')
    model = CR_DEFAULT_MODEL;
  model_title = g_strdup_printf (_("Enable one model: %s"), model);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->model_row), model_title);
  /* A model chosen earlier that Cursor would not send through Crazyrouter. */
  model_note = cr_models_through_gateway (model) ? NULL : cr_models_note (model);
  adw_action_row_set_subtitle (self->model_row,
                               model_note != NULL ? model_note
                                                  : _("Only this one for now. Add others once the first chat works."));

  /* Cursor's own request is what the next step watches for. */
  /* Translators: %s is the model's id, e.g. gpt-5.4. */
  send = g_strdup_printf (_("With the settings saved, send one short message in Cursor’s Chat (or Ask) with %s: "
                            "the next step watches for it to reach Crazyrouter."),
                          cr_models_through_gateway (model) ? model : CR_DEFAULT_MODEL);
  adw_action_row_set_subtitle (self->send_row, send);

  uneven = g_strdup_printf (_("Cursor’s support for custom models is still uneven. Get %s working first, then add one model at a time."),
                            CR_DEFAULT_MODEL);
  other_slots = cr_models_explain_other_slots ();
  other_note = g_strjoin (" ", uneven, other_slots, NULL);
  adw_action_row_set_subtitle (self->other_models_row, other_note);
}

static void
cr_cursor_page_dispose (GObject *object)
{
  CrCursorPage *self = CR_CURSOR_PAGE (object);

  /* Closing the window does not leave the key behind on the clipboard. */
  g_clear_handle_id (&self->clear_id, g_source_remove);
  if (self->key_content != NULL && gtk_widget_get_display (GTK_WIDGET (self)) != NULL)
    clear_key_from_clipboard (self);
  g_clear_object (&self->key_content);

  gtk_widget_dispose_template (GTK_WIDGET (self), CR_TYPE_CURSOR_PAGE);

  G_OBJECT_CLASS (cr_cursor_page_parent_class)->dispose (object);
}

static void
cr_cursor_page_class_init (CrCursorPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CrPageClass *page_class = CR_PAGE_CLASS (klass);

  object_class->dispose = cr_cursor_page_dispose;
  page_class->shown = cr_cursor_page_shown;

  cr_page_class_set_id (CR_PAGE_CLASS (klass), "cursor");

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/crazyrouter/SetupAssistant/cr-cursor-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CrCursorPage, key_row);
  gtk_widget_class_bind_template_child (widget_class, CrCursorPage, url_row);
  gtk_widget_class_bind_template_child (widget_class, CrCursorPage, model_row);
  gtk_widget_class_bind_template_child (widget_class, CrCursorPage, send_row);
  gtk_widget_class_bind_template_child (widget_class, CrCursorPage, other_models_row);
  gtk_widget_class_bind_template_child (widget_class, CrCursorPage, copy_key_button);
  gtk_widget_class_bind_template_child (widget_class, CrCursorPage, copy_url_button);
  gtk_widget_class_bind_template_child (widget_class, CrCursorPage, notice_revealer);
  gtk_widget_class_bind_template_child (widget_class, CrCursorPage, notice_icon);
  gtk_widget_class_bind_template_child (widget_class, CrCursorPage, notice_label);
  gtk_widget_class_bind_template_callback (widget_class, on_copy_key_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_copy_url_clicked);
}

static void
cr_cursor_page_init (CrCursorPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->clear_seconds = CLIPBOARD_CLEAR_SECONDS;

  cr_page_set_title (CR_PAGE (self), _("Set Up Cursor"));
  cr_page_set_complete (CR_PAGE (self), TRUE);
}

void
cr_cursor_page_set_clipboard_timeout (CrCursorPage *self,
                                      guint         seconds)
{
  g_return_if_fail (CR_IS_CURSOR_PAGE (self));
  g_return_if_fail (seconds > 0);

  self->clear_seconds = seconds;
}
