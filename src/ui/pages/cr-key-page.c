/* cr-key-page.c: step 3, the key and the base URL
 *
 * Both fields are checked as the user types, by the core; the verdicts are
 * shown under the fields, never in a popup, and never clear the text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cr-endpoint.h"
#include "cr-key.h"
#include "cr-key-page.h"

struct _CrKeyPage
{
  CrPage       parent_instance;

  AdwEntryRow *key_row;
  AdwEntryRow *url_row;
  GtkLabel    *key_hint;
  GtkLabel    *url_hint;
  GtkWidget   *fix_button;
  GtkLabel    *fix_label;

  char        *fixed_url;   /* what the fix button puts in, or NULL */
  gboolean     key_ok;
  gboolean     url_ok;
  gboolean     prefilled;
};

G_DEFINE_FINAL_TYPE (CrKeyPage, cr_key_page, CR_TYPE_PAGE)

static void
set_style (GtkWidget  *widget,
           const char *style)
{
  static const char * const styles[] = { "dim-label", "success", "warning", "error" };

  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    if (g_strcmp0 (styles[i], style) == 0)
      gtk_widget_add_css_class (widget, styles[i]);
    else
      gtk_widget_remove_css_class (widget, styles[i]);
}

static void
update_complete (CrKeyPage *self)
{
  cr_page_set_complete (CR_PAGE (self), self->key_ok && self->url_ok);
}

static void
key_changed_cb (CrKeyPage *self)
{
  const char *typed = gtk_editable_get_text (GTK_EDITABLE (self->key_row));
  char *key = cr_key_clean (typed);
  g_autofree char *message = NULL;
  g_autofree char *text = NULL;
  const char *cleaned_note = NULL;
  CrKeyIssue issue;

  issue = cr_key_check (key, &message);
  if (*key != '\0' && strcmp (key, typed) != 0)
    cleaned_note = _("Removed extra text, spaces and quotes from the paste.");

  if (issue == CR_KEY_EMPTY)
    {
      text = g_strdup (_("It starts with “sk-”. Copy it from the token list in Crazyrouter."));
      set_style (GTK_WIDGET (self->key_hint), "dim-label");
    }
  else if (issue == CR_KEY_OK)
    {
      g_autofree char *masked = cr_key_mask (key);

      /* Translators: %s is the masked key, like “sk-…ab12”. */
      text = g_strdup_printf (_("Looks right: %s."), masked);
      set_style (GTK_WIDGET (self->key_hint), "success");
    }
  else
    {
      text = g_strdup (message);
      set_style (GTK_WIDGET (self->key_hint), "error");
    }

  if (cleaned_note != NULL)
    {
      char *joined = g_strjoin (" ", text, cleaned_note, NULL);

      g_free (text);
      text = joined;
    }

  gtk_label_set_text (self->key_hint, text);
  set_style (GTK_WIDGET (self->key_row),
             issue == CR_KEY_OK || issue == CR_KEY_EMPTY ? NULL : "error");
  cr_key_free (key);

  self->key_ok = issue == CR_KEY_OK;
  update_complete (self);
}

static void
url_changed_cb (CrKeyPage *self)
{
  const char *typed = gtk_editable_get_text (GTK_EDITABLE (self->url_row));
  g_autoptr(CrEndpointDiagnosis) diagnosis = cr_endpoint_diagnose (typed);
  gboolean can_fix;

  gtk_label_set_text (self->url_hint, diagnosis->message);
  switch (diagnosis->severity)
    {
    case CR_SEVERITY_OK:
      set_style (GTK_WIDGET (self->url_hint), "dim-label");
      set_style (GTK_WIDGET (self->url_row), NULL);
      break;
    case CR_SEVERITY_WARNING:
      set_style (GTK_WIDGET (self->url_hint), "warning");
      set_style (GTK_WIDGET (self->url_row), "warning");
      break;
    case CR_SEVERITY_ERROR:
    default:
      set_style (GTK_WIDGET (self->url_hint), "error");
      set_style (GTK_WIDGET (self->url_row), "error");
      break;
    }

  g_clear_pointer (&self->fixed_url, g_free);
  self->fixed_url = g_strdup (diagnosis->fixed_url);
  /* Another gateway may be on purpose; the official one is one click away. */
  if (self->fixed_url == NULL && diagnosis->issue == CR_ENDPOINT_NOT_OFFICIAL)
    self->fixed_url = g_strdup (CR_DEFAULT_BASE_URL);
  can_fix = self->fixed_url != NULL && g_strcmp0 (self->fixed_url, diagnosis->input) != 0;
  if (can_fix)
    {
      g_autofree char *label = NULL;

      /* Translators: %s is a URL, e.g. https://crazyrouter.com/v1 */
      label = g_strdup_printf (_("Use %s"), self->fixed_url);
      gtk_label_set_text (self->fix_label, label);
    }
  gtk_widget_set_visible (self->fix_button, can_fix);

  /* A warning (another gateway, say) still lets the user go on. */
  self->url_ok = diagnosis->severity != CR_SEVERITY_ERROR &&
                 cr_endpoint_is_sendable (diagnosis);
  update_complete (self);
}

static void
focus_end (AdwEntryRow *row)
{
  gtk_widget_grab_focus (GTK_WIDGET (row));
  gtk_editable_set_position (GTK_EDITABLE (row), -1);
}

static void
fix_clicked_cb (CrKeyPage *self)
{
  /* Setting the text runs url_changed_cb, which replaces fixed_url. */
  g_autofree char *url = g_strdup (self->fixed_url);

  if (url == NULL)
    return;

  gtk_editable_set_text (GTK_EDITABLE (self->url_row), url);
  focus_end (self->url_row);
}

static void
key_activated_cb (CrKeyPage *self)
{
  focus_end (self->url_row);
}

static void
url_activated_cb (CrKeyPage *self)
{
  if (cr_page_get_complete (CR_PAGE (self)))
    cr_page_advance (CR_PAGE (self));
  else
    gtk_widget_error_bell (GTK_WIDGET (self));
}

static void
cr_key_page_shown (CrPage *page)
{
  CrKeyPage *self = CR_KEY_PAGE (page);
  CrSetupState *state = cr_page_get_state (page);

  if (!self->prefilled && state != NULL)
    {
      self->prefilled = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->url_row),
                             cr_setup_state_get_base_url (state));
    }

  if (self->key_ok)
    focus_end (self->url_row);
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->key_row));
}

/* Hands the cleaned key and the URL as typed to the state; nothing else
 * to wait for, the next step talks to the gateway. */
static gboolean
cr_key_page_apply (CrPage       *page,
                   GCancellable *cancellable)
{
  CrKeyPage *self = CR_KEY_PAGE (page);
  CrSetupState *state = cr_page_get_state (page);
  g_autoptr(CrEndpointDiagnosis) diagnosis = NULL;
  char *key;

  key = cr_key_clean (gtk_editable_get_text (GTK_EDITABLE (self->key_row)));
  diagnosis = cr_endpoint_diagnose (gtk_editable_get_text (GTK_EDITABLE (self->url_row)));
  cr_setup_state_set_base_url (state, diagnosis->input);
  cr_setup_state_set_key (state, key);
  cr_key_free (key);

  return FALSE;
}

static void
cr_key_page_dispose (GObject *object)
{
  CrKeyPage *self = CR_KEY_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), CR_TYPE_KEY_PAGE);
  g_clear_pointer (&self->fixed_url, g_free);

  G_OBJECT_CLASS (cr_key_page_parent_class)->dispose (object);
}

static void
cr_key_page_class_init (CrKeyPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CrPageClass *page_class = CR_PAGE_CLASS (klass);

  object_class->dispose = cr_key_page_dispose;
  page_class->shown = cr_key_page_shown;
  page_class->apply = cr_key_page_apply;

  cr_page_class_set_id (CR_PAGE_CLASS (klass), "key");

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/crazyrouter/SetupAssistant/cr-key-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CrKeyPage, key_row);
  gtk_widget_class_bind_template_child (widget_class, CrKeyPage, url_row);
  gtk_widget_class_bind_template_child (widget_class, CrKeyPage, key_hint);
  gtk_widget_class_bind_template_child (widget_class, CrKeyPage, url_hint);
  gtk_widget_class_bind_template_child (widget_class, CrKeyPage, fix_button);
  gtk_widget_class_bind_template_child (widget_class, CrKeyPage, fix_label);
  gtk_widget_class_bind_template_callback (widget_class, key_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, url_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, key_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, url_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, fix_clicked_cb);
}

static void
cr_key_page_init (CrKeyPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  cr_page_set_title (CR_PAGE (self), _("Paste the Key"));
  cr_page_set_next_label (CR_PAGE (self), _("_Check Key"));
  key_changed_cb (self);
  url_changed_cb (self);
}
