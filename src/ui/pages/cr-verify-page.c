/* cr-verify-page.c: step 4, ask the gateway which models the key may use
 *
 * Three views: running (spinner, Cancel), problem (what went wrong, the
 * likely cause, the fix, Try again) and done (the models). Cancel and
 * Escape ("page.cancel") return control at once; a late answer is ignored.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cr-key.h"
#include "cr-verify-page.h"

#define MAX_MODELS_SHOWN 8

struct _CrVerifyPage
{
  CrPage         parent_instance;

  GtkStack      *view_stack;   /* the template's top widget */
  GtkSpinner    *spinner;
  GtkLabel      *running_detail;
  GtkWidget     *cancel_button;
  GtkImage      *problem_icon;
  GtkLabel      *problem_title;
  GtkLabel      *problem_body;
  GtkWidget     *advice_group;
  AdwActionRow  *cause_row;
  AdwActionRow  *fix_row;
  GtkLabel      *server_label;
  GtkWidget     *retry_button;
  GtkLabel      *done_body;
  GtkListBox    *models_list;

  GCancellable  *cancellable;  /* set while a check runs */
  guint          checked;      /* the state's generation at the last check */
};

G_DEFINE_FINAL_TYPE (CrVerifyPage, cr_verify_page, CR_TYPE_PAGE)

typedef struct
{
  CrVerifyPage *self;
  GCancellable *cancellable;
} CheckData;

static void
check_data_free (CheckData *data)
{
  g_clear_object (&data->self);
  g_clear_object (&data->cancellable);
  g_free (data);
}

static gboolean
is_network_error (const GError *error)
{
  return g_error_matches (error, CR_GATEWAY_ERROR, CR_GATEWAY_ERROR_DNS) ||
         g_error_matches (error, CR_GATEWAY_ERROR, CR_GATEWAY_ERROR_CONNECTION_REFUSED) ||
         g_error_matches (error, CR_GATEWAY_ERROR, CR_GATEWAY_ERROR_NETWORK) ||
         g_error_matches (error, CR_GATEWAY_ERROR, CR_GATEWAY_ERROR_TIMEOUT);
}

static void
show_problem (CrVerifyPage *self,
              const char   *icon_name,
              const char   *style,
              const char   *title,
              const char   *body,
              const char   *cause,
              const char   *fix,
              const char   *detail)
{
  gtk_image_set_from_icon_name (self->problem_icon, icon_name);
  gtk_widget_remove_css_class (GTK_WIDGET (self->problem_icon), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->problem_icon), "warning");
  gtk_widget_remove_css_class (GTK_WIDGET (self->problem_icon), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->problem_icon), style);

  gtk_label_set_text (self->problem_title, title);
  gtk_label_set_text (self->problem_body, body);
  gtk_widget_set_visible (GTK_WIDGET (self->problem_body), body != NULL);

  adw_action_row_set_subtitle (self->cause_row, cause != NULL ? cause : "");
  adw_action_row_set_subtitle (self->fix_row, fix != NULL ? fix : "");
  gtk_widget_set_visible (GTK_WIDGET (self->cause_row), cause != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->fix_row), fix != NULL);
  gtk_widget_set_visible (self->advice_group, cause != NULL || fix != NULL);

  gtk_label_set_text (self->server_label, detail);
  gtk_widget_set_visible (GTK_WIDGET (self->server_label), detail != NULL);

  gtk_stack_set_visible_child_name (self->view_stack, "problem");
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_widget_grab_focus (self->retry_button);
}

static void
show_error (CrVerifyPage *self,
            const GError *error)
{
  g_autofree char *answer = cr_gateway_error_describe_answer (error);
  gboolean ours = error->domain == CR_GATEWAY_ERROR;

  /* The same words as the checklist and the command line. */
  show_problem (self,
                is_network_error (error) ? "network-offline-symbolic" : "dialog-error-symbolic",
                "error",
                cr_gateway_error_get_headline (error),
                NULL,
                ours ? cr_gateway_error_get_cause (error) : NULL,
                ours ? cr_gateway_error_get_fix (error) : NULL,
                answer != NULL ? answer : error->message);
}

static void
show_models (CrVerifyPage *self,
             GPtrArray    *models)
{
  g_autofree char *body = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->models_list))) != NULL)
    gtk_list_box_remove (self->models_list, child);

  for (guint i = 0; i < models->len && i < MAX_MODELS_SHOWN; i++)
    {
      CrModel *model = g_ptr_array_index (models, i);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), model->id);
      gtk_list_box_append (self->models_list, row);
    }

  if (models->len > MAX_MODELS_SHOWN)
    {
      guint more = models->len - MAX_MODELS_SHOWN;
      g_autofree char *text =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "and %u more", "and %u more", more), more);
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
      gtk_widget_add_css_class (row, "dim-label");
      gtk_list_box_append (self->models_list, row);
    }

  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "It may use %u model:",
                                       "It may use %u models:", models->len),
                          models->len);
  gtk_label_set_text (self->done_body, body);
  gtk_stack_set_visible_child_name (self->view_stack, "done");
}

static void
set_running (CrVerifyPage *self,
             GCancellable *cancellable)
{
  g_set_object (&self->cancellable, cancellable);
  gtk_spinner_set_spinning (self->spinner, cancellable != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.cancel", cancellable != NULL);
}

static void
models_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  CheckData *data = user_data;
  CrVerifyPage *self = data->self;
  g_autoptr(GPtrArray) models = NULL;
  g_autoptr(GError) error = NULL;

  models = cr_gateway_list_models_finish (CR_GATEWAY (object), result, &error);

  /* Cancelled, or a newer check has started: not ours to show. */
  if (g_cancellable_is_cancelled (data->cancellable) ||
      self->cancellable != data->cancellable)
    goto out;

  set_running (self, NULL);

  if (models == NULL)
    show_error (self, error);
  else if (models->len == 0)
    show_problem (self, "dialog-warning-symbolic", "warning",
                  _("The key works, but may not use any model"),
                  NULL,
                  _("None of the models on the token’s allowlist is offered right now."),
                  _("Edit the token in Crazyrouter, allow gpt-5.4, then try again."),
                  NULL);
  else
    {
      cr_setup_state_set_models (cr_page_get_state (CR_PAGE (self)), models);
      show_models (self, models);
      cr_page_set_complete (CR_PAGE (self), TRUE);
    }

out:
  check_data_free (data);
}

static void
start_check (CrVerifyPage *self)
{
  CrSetupState *state = cr_page_get_state (CR_PAGE (self));
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  CrGateway *gateway;
  g_autofree char *masked = NULL;
  g_autofree char *detail = NULL;
  CheckData *data;

  if (state == NULL)
    return;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);

  gateway = cr_setup_state_get_gateway (state);
  self->checked = cr_setup_state_get_generation (state);
  cr_page_set_complete (CR_PAGE (self), FALSE);
  set_running (self, cancellable);

  masked = cr_key_mask (cr_setup_state_get_key (state));
  /* Translators: a URL, then the masked key, like “sk-…ab12”. */
  detail = g_strdup_printf (_("%s\nwith the key %s"),
                            cr_gateway_get_base_url (gateway), masked);
  gtk_label_set_text (self->running_detail, detail);
  gtk_stack_set_visible_child_name (self->view_stack, "running");
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_widget_grab_focus (self->cancel_button);

  data = g_new0 (CheckData, 1);
  data->self = g_object_ref (self);
  data->cancellable = g_object_ref (cancellable);
  cr_gateway_list_models_async (gateway, cancellable, models_cb, data);
}

static void
cancel_check (CrVerifyPage *self)
{
  if (self->cancellable == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  set_running (self, NULL);
  show_problem (self, "process-stop-symbolic", "dim-label",
                _("Check stopped"),
                _("Nothing more was asked of Crazyrouter. Try again when you are ready."),
                NULL, NULL, NULL);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  cancel_check (CR_VERIFY_PAGE (widget));
}

static void
retry_clicked_cb (CrVerifyPage *self)
{
  start_check (self);
}

static void
edit_clicked_cb (CrVerifyPage *self)
{
  cr_page_jump_to (CR_PAGE (self), "key");
}

static void
cr_verify_page_shown (CrPage *page)
{
  CrVerifyPage *self = CR_VERIFY_PAGE (page);
  CrSetupState *state = cr_page_get_state (page);

  /* Back from a later step with nothing changed: the answer stands. */
  if (cr_page_get_complete (page) && state != NULL &&
      self->checked == cr_setup_state_get_generation (state))
    return;

  start_check (self);
}

/* Leaving the page (Back, a jump) stops the check without a word: the
 * page slides away as it was, and shown() starts the check again. */
static void
cr_verify_page_hidden (CrPage *page)
{
  CrVerifyPage *self = CR_VERIFY_PAGE (page);

  if (self->cancellable == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.cancel", FALSE);
}

static void
cr_verify_page_dispose (GObject *object)
{
  CrVerifyPage *self = CR_VERIFY_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), CR_TYPE_VERIFY_PAGE);

  G_OBJECT_CLASS (cr_verify_page_parent_class)->dispose (object);
}

static void
cr_verify_page_class_init (CrVerifyPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CrPageClass *page_class = CR_PAGE_CLASS (klass);

  object_class->dispose = cr_verify_page_dispose;
  page_class->shown = cr_verify_page_shown;
  page_class->hidden = cr_verify_page_hidden;

  cr_page_class_set_id (CR_PAGE_CLASS (klass), "verify");

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/crazyrouter/SetupAssistant/cr-verify-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CrVerifyPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, CrVerifyPage, running_detail);
  gtk_widget_class_bind_template_child (widget_class, CrVerifyPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CrVerifyPage, problem_icon);
  gtk_widget_class_bind_template_child (widget_class, CrVerifyPage, problem_title);
  gtk_widget_class_bind_template_child (widget_class, CrVerifyPage, problem_body);
  gtk_widget_class_bind_template_child (widget_class, CrVerifyPage, advice_group);
  gtk_widget_class_bind_template_child (widget_class, CrVerifyPage, cause_row);
  gtk_widget_class_bind_template_child (widget_class, CrVerifyPage, fix_row);
  gtk_widget_class_bind_template_child (widget_class, CrVerifyPage, server_label);
  gtk_widget_class_bind_template_child (widget_class, CrVerifyPage, retry_button);
  gtk_widget_class_bind_template_child (widget_class, CrVerifyPage, done_body);
  gtk_widget_class_bind_template_child (widget_class, CrVerifyPage, models_list);
  gtk_widget_class_bind_template_callback (widget_class, retry_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, edit_clicked_cb);

  gtk_widget_class_install_action (widget_class, "page.cancel", NULL, cancel_action);
}

static void
cr_verify_page_init (CrVerifyPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->view_stack = GTK_STACK (adw_bin_get_child (ADW_BIN (self)));

  cr_page_set_title (CR_PAGE (self), _("Check the Key"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.cancel", FALSE);
}
