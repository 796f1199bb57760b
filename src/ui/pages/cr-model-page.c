/* cr-model-page.c: step 5, pick the first model and send it a test message
 *
 * The guide's advice is to get one known-good model working before adding
 * others, so gpt-5.4 is preselected and marked, the others say "later", and
 * the step is done only when the chosen model has answered a real request.
 * Which models come next, and which ones Cursor would not send through
 * Crazyrouter at all, is cr-models' table, not this page's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cr-model-page.h"
#include "cr-models.h"

/* Longest model id we show; the server chooses them. */
#define MODEL_ID_MAX_CHARS 80
#define REPLY_MAX_CHARS 400

struct _CrModelPage
{
  CrPage               parent_instance;

  GtkWidget           *warning_group;
  GtkLabel            *warning_title;
  GtkLabel            *warning_text;
  GtkWidget           *models_group;
  GtkListBox          *model_list;
  GtkLabel            *other_slots_label;
  GtkStack            *test_stack;
  GtkWidget           *test_button;
  GtkSpinner          *test_spinner;
  GtkLabel            *running_label;
  GtkLabel            *done_title;
  GtkLabel            *reply_label;
  GtkLabel            *stats_label;
  GtkLabel            *error_title;
  GtkLabel            *error_cause;
  GtkLabel            *error_fix;
  GtkLabel            *error_server;
  GtkWidget           *error_verify_button;
  GtkWidget           *retry_button;

  /* Never shown: with it, even a single model gets a radio, not a checkbox. */
  GtkCheckButton      *radio_group;
  GPtrArray           *radios;   /* borrowed: the list's check buttons */
  char                *selected;

  /* The test in flight, and what it asks. */
  GCancellable        *cancellable;
  char                *testing;
  guint                testing_generation;

  /* The last success: which model answered, and the state's generation
   * then (a new key, base URL or model, and the answer no longer counts). */
  char                *tested;
  guint                tested_generation;
};

G_DEFINE_FINAL_TYPE (CrModelPage, cr_model_page, CR_TYPE_PAGE)

static gboolean
test_is_running (CrModelPage *self)
{
  return self->cancellable != NULL;
}

/* TRUE when the chosen model has answered with the current key and URL. */
static gboolean
test_passed (CrModelPage *self)
{
  CrSetupState *state = cr_page_get_state (CR_PAGE (self));

  return self->tested != NULL
         && g_strcmp0 (self->tested, self->selected) == 0
         && state != NULL
         && self->tested_generation == cr_setup_state_get_generation (state)
         && cr_setup_state_get_chat_result (state) != NULL;
}

static void
show_result (CrModelPage  *self,
             CrChatResult *result)
{
  g_autofree char *title = NULL;
  g_autofree char *reply = NULL;
  g_autoptr(GString) stats = g_string_new (NULL);

  title = g_strdup_printf (_("%s answered"), self->tested);
  gtk_label_set_text (self->done_title, title);

  reply = cr_text_sanitize (result->reply ? result->reply : "", -1, REPLY_MAX_CHARS);
  if (reply[0] == '\0')
    gtk_label_set_text (self->reply_label,
                        _("The answer was empty, but the request went through."));
  else
    {
      /* Translators: the model's answer, quoted. */
      g_autofree char *quoted = g_strdup_printf (_("“%s”"), reply);

      gtk_label_set_text (self->reply_label, quoted);
    }

  g_string_append_printf (stats, _("Answered in %.1f s"),
                          MAX (result->latency_ms, 0) / 1000.0);
  if (result->total_tokens >= 0)
    {
      g_string_append (stats, " · ");
      g_string_append_printf (stats,
                              ngettext ("%lu token", "%lu tokens",
                                        (gulong) result->total_tokens),
                              (gulong) result->total_tokens);
    }
  if (result->model != NULL && result->model[0] != '\0'
      && !g_str_has_prefix (result->model, self->tested))
    {
      g_autofree char *model = cr_text_sanitize (result->model, -1, MODEL_ID_MAX_CHARS);

      g_string_append (stats, " · ");
      g_string_append_printf (stats, _("served by %s"), model);
    }
  gtk_label_set_text (self->stats_label, stats->str);

  gtk_stack_set_visible_child_name (self->test_stack, "done");
}

static void
show_error (CrModelPage  *self,
            const GError *error)
{
  g_autofree char *title = NULL;
  g_autofree char *fix = NULL;
  g_autofree char *server = cr_gateway_error_describe_answer (error);
  const char *cause = error->message;
  const char *fix_text = _("Try again in a moment.");
  gboolean settings_problem = FALSE;

  /* The same words as the checklist and the command line. */
  if (error->domain == CR_GATEWAY_ERROR)
    {
      cause = cr_gateway_error_get_cause (error);
      /* A 429's Retry-After is already in the error's fix. */
      fix_text = cr_gateway_error_get_fix (error);
      settings_problem = error->code == CR_GATEWAY_ERROR_UNAUTHORIZED
                         || error->code == CR_GATEWAY_ERROR_MODEL_NOT_ALLOWED
                         || error->code == CR_GATEWAY_ERROR_WRONG_BASE_URL;
    }

  title = g_strdup_printf (_("The test message to %s failed"), self->testing);
  gtk_label_set_text (self->error_title, title);
  gtk_label_set_text (self->error_cause, cause);
  fix = g_strdup_printf (_("To fix it: %s"), fix_text);
  gtk_label_set_text (self->error_fix, fix);

  gtk_label_set_text (self->error_server, server ? server : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_server), server != NULL);

  gtk_widget_set_visible (self->error_verify_button, settings_problem);
  gtk_stack_set_visible_child_name (self->test_stack, "error");
}

/* What the test area shows when nothing runs: the answer if it still
 * counts for the chosen model, the button otherwise. */
static void
sync_test_view (CrModelPage *self)
{
  CrSetupState *state = cr_page_get_state (CR_PAGE (self));

  if (test_is_running (self))
    return;

  if (test_passed (self))
    show_result (self, cr_setup_state_get_chat_result (state));
  else
    gtk_stack_set_visible_child_name (self->test_stack, "idle");

  gtk_widget_set_sensitive (self->test_button, self->selected != NULL);
}

static void
on_chat_done (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  g_autoptr(CrModelPage) self = user_data;
  g_autoptr(GError) error = NULL;
  CrChatResult *result;

  result = cr_gateway_chat_finish (CR_GATEWAY (source), res, &error);

  g_clear_object (&self->cancellable);
  gtk_spinner_stop (self->test_spinner);
  gtk_widget_set_sensitive (GTK_WIDGET (self->model_list), TRUE);

  if (result != NULL)
    {
      CrSetupState *state = cr_page_get_state (CR_PAGE (self));

      g_free (self->tested);
      self->tested = g_steal_pointer (&self->testing);
      self->tested_generation = self->testing_generation;
      cr_setup_state_take_chat_result (state, result);
      show_result (self, result);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      sync_test_view (self);
    }
  else
    {
      show_error (self, error);
      gtk_widget_grab_focus (self->retry_button);
    }

  g_clear_pointer (&self->testing, g_free);

  /* Next was waiting for this answer. */
  cr_page_apply_complete (CR_PAGE (self), result != NULL);
}

static void
start_test (CrModelPage *self)
{
  CrSetupState *state = cr_page_get_state (CR_PAGE (self));
  CrGateway *gateway = state ? cr_setup_state_get_gateway (state) : NULL;
  g_autofree char *running = NULL;

  if (test_is_running (self) || self->selected == NULL)
    return;

  self->testing = g_strdup (self->selected);
  if (gateway == NULL)
    {
      g_autoptr(GError) error = NULL;

      error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                                   _("There is no key to test with yet. Go back to the key step and enter it."));
      show_error (self, error);
      g_clear_pointer (&self->testing, g_free);
      cr_page_apply_complete (CR_PAGE (self), FALSE);
      return;
    }

  self->cancellable = g_cancellable_new ();
  self->testing_generation = cr_setup_state_get_generation (state);

  running = g_strdup_printf (_("Waiting for %s to answer…"), self->testing);
  gtk_label_set_text (self->running_label, running);
  gtk_spinner_start (self->test_spinner);
  gtk_stack_set_visible_child_name (self->test_stack, "running");
  gtk_widget_set_sensitive (GTK_WIDGET (self->model_list), FALSE);

  cr_gateway_chat_async (gateway, self->testing, self->cancellable,
                         on_chat_done, g_object_ref (self));
}

static void
cancel_test (CrModelPage *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

static void
on_model_toggled (GtkCheckButton *check,
                  CrModelPage    *self)
{
  CrSetupState *state = cr_page_get_state (CR_PAGE (self));
  const char *id;

  if (!gtk_check_button_get_active (check))
    return;

  id = g_object_get_data (G_OBJECT (check), "cr-model-id");
  g_free (self->selected);
  self->selected = g_strdup (id);
  if (state != NULL)
    cr_setup_state_set_model (state, id);

  cr_page_set_complete (CR_PAGE (self), TRUE);
  sync_test_view (self);
}

static GtkWidget *
model_row_new (CrModelPage *self,
               const char  *id)
{
  g_autofree char *title = cr_text_sanitize (id, -1, MODEL_ID_MAX_CHARS);
  g_autofree char *note = cr_models_note (id);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (note != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), note);

  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, note,
                                  -1);
  gtk_check_button_set_group (GTK_CHECK_BUTTON (check), self->radio_group);
  g_object_set_data_full (G_OBJECT (check), "cr-model-id", g_strdup (id), g_free);
  g_ptr_array_add (self->radios, check);
  g_signal_connect_object (check, "toggled", G_CALLBACK (on_model_toggled), self, 0);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);

  if (g_str_equal (id, CR_DEFAULT_MODEL))
    {
      GtkWidget *tag = gtk_label_new (_("Start here"));

      gtk_widget_set_valign (tag, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (tag, "accent");
      gtk_widget_add_css_class (tag, "caption-heading");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), tag);
    }

  return row;
}

static void
show_warning (CrModelPage *self,
              const char  *title,
              const char  *text)
{
  gtk_widget_set_visible (self->warning_group, title != NULL);
  if (title == NULL)
    return;
  gtk_label_set_text (self->warning_title, title);
  gtk_label_set_text (self->warning_text, text);
}

static void
update_warning (CrModelPage *self,
                GPtrArray   *models)
{
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;

  if (models == NULL)
    {
      show_warning (self, _("The token’s models are not known yet"),
                    _("Verify the key first, so this step can list the models the token allows."));
    }
  else if (models->len == 0)
    {
      subtitle = g_strdup_printf (_("In Crazyrouter, add %s to this token’s model allowlist, then verify again."),
                                  CR_DEFAULT_MODEL);
      show_warning (self, _("This token allows no models"), subtitle);
    }
  else if (!cr_setup_state_model_allowed (cr_page_get_state (CR_PAGE (self)), CR_DEFAULT_MODEL))
    {
      title = g_strdup_printf (_("%s is not allowed for this token"), CR_DEFAULT_MODEL);
      subtitle = g_strdup_printf (_("It is the safest model to start with. In Crazyrouter, add %s to this token’s model allowlist, then verify again. Or pick another model below."),
                                  CR_DEFAULT_MODEL);
      show_warning (self, title, subtitle);
    }
  else
    {
      show_warning (self, NULL, NULL);
    }
}

static void
clear_models (CrModelPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->model_list))) != NULL)
    gtk_list_box_remove (self->model_list, child);
  gtk_check_button_set_active (self->radio_group, TRUE);
  g_ptr_array_set_size (self->radios, 0);
}

/* One folded row for the models of @models that are not recommended and
 * do (or do not) go through the gateway; NULL when there are none. */
static GtkWidget *
fold_models (CrModelPage *self,
             GPtrArray   *models,
             gboolean     through_gateway,
             guint       *n_folded)
{
  GtkWidget *expander = NULL;

  *n_folded = 0;
  for (guint i = 0; models != NULL && i < models->len; i++)
    {
      CrModel *model = g_ptr_array_index (models, i);

      if (model->id == NULL || cr_models_is_recommended (model->id)
          || cr_models_through_gateway (model->id) != through_gateway)
        continue;
      if (expander == NULL)
        {
          expander = adw_expander_row_new ();
          gtk_list_box_append (self->model_list, expander);
        }
      adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), model_row_new (self, model->id));
      (*n_folded)++;
    }

  return expander;
}

/* Recommended models first, in the table's order; the rest folded away,
 * since a token without an allowlist can offer dozens, and the models
 * Cursor would not send through Crazyrouter last, apart. */
static void
fill_models (CrModelPage *self,
             GPtrArray   *models)
{
  CrSetupState *state = cr_page_get_state (CR_PAGE (self));
  const char * const *recommended = cr_models_recommended ();
  GtkWidget *more;
  GtkWidget *elsewhere;
  guint n_more;
  guint n_elsewhere;

  for (guint i = 0; recommended[i] != NULL; i++)
    if (models == NULL || cr_setup_state_model_allowed (state, recommended[i]))
      gtk_list_box_append (self->model_list, model_row_new (self, recommended[i]));

  more = fold_models (self, models, TRUE, &n_more);
  if (more != NULL)
    {
      g_autofree char *subtitle = NULL;

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (more), _("More models"));
      subtitle = g_strdup_printf (ngettext ("%u more model. Try it after %s works",
                                            "%u more models. Try them after %s works",
                                            n_more),
                                  n_more, CR_DEFAULT_MODEL);
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (more), subtitle);
    }

  elsewhere = fold_models (self, models, FALSE, &n_elsewhere);
  if (elsewhere != NULL)
    {
      g_autofree char *subtitle = NULL;

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (elsewhere), _("Not through Crazyrouter in Cursor"));
      subtitle = g_strdup_printf (ngettext ("%u model that Cursor sends to its own Anthropic or Google key",
                                            "%u models that Cursor sends to its own Anthropic or Google key",
                                            n_elsewhere),
                                  n_elsewhere);
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (elsewhere), subtitle);
    }
}

/* Selects @id if it is in the list; returns whether it was. */
static gboolean
select_model (CrModelPage *self,
              const char  *id)
{
  for (guint i = 0; id != NULL && i < self->radios->len; i++)
    {
      GtkWidget *check = g_ptr_array_index (self->radios, i);
      GtkWidget *expander;

      if (g_strcmp0 (g_object_get_data (G_OBJECT (check), "cr-model-id"), id) != 0)
        continue;

      expander = gtk_widget_get_ancestor (check, ADW_TYPE_EXPANDER_ROW);
      if (expander != NULL)
        adw_expander_row_set_expanded (ADW_EXPANDER_ROW (expander), TRUE);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
      return TRUE;
    }

  return FALSE;
}

static void
cr_model_page_shown (CrPage *page)
{
  CrModelPage *self = CR_MODEL_PAGE (page);
  CrSetupState *state = cr_page_get_state (page);
  GPtrArray *models = cr_setup_state_get_models (state);

  if (test_is_running (self))
    return;

  clear_models (self);
  g_clear_pointer (&self->selected, g_free);
  cr_page_set_complete (page, FALSE);

  update_warning (self, models);
  gtk_widget_set_visible (self->models_group, models == NULL || models->len > 0);
  fill_models (self, models);

  /* The last choice if this token still allows it, else the baseline. */
  if (!select_model (self, cr_setup_state_get_model (state)))
    select_model (self, CR_DEFAULT_MODEL);

  /* The focus stays with the window's Next: Enter goes on, testing first. */
  sync_test_view (self);
}

/* Next waits for the test's answer, running one if none is. */
static gboolean
cr_model_page_apply (CrPage       *page,
                     GCancellable *cancellable)
{
  CrModelPage *self = CR_MODEL_PAGE (page);

  if (test_passed (self))
    return FALSE;
  if (self->selected == NULL)
    {
      cr_page_apply_complete (page, FALSE);
      return TRUE;
    }

  start_test (self);

  /* The assistant's Cancel stops the test, even one the user started. */
  if (test_is_running (self))
    g_signal_connect_object (cancellable, "cancelled", G_CALLBACK (cancel_test), self, G_CONNECT_SWAPPED);

  return TRUE;
}

static void
on_test_clicked (CrModelPage *self)
{
  start_test (self);
}

static void
on_cancel_clicked (CrModelPage *self)
{
  cancel_test (self);
}

static void
on_verify_again_clicked (CrModelPage *self)
{
  cr_page_jump_to (CR_PAGE (self), "verify");
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  cancel_test (CR_MODEL_PAGE (widget));
}

/* Leaving the step (Back, or the window closing) stops the test. */
static void
cr_model_page_hidden (CrPage *page)
{
  cancel_test (CR_MODEL_PAGE (page));
}

static void
cr_model_page_dispose (GObject *object)
{
  CrModelPage *self = CR_MODEL_PAGE (object);

  cancel_test (self);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->radio_group);

  gtk_widget_dispose_template (GTK_WIDGET (self), CR_TYPE_MODEL_PAGE);

  G_OBJECT_CLASS (cr_model_page_parent_class)->dispose (object);
}

static void
cr_model_page_finalize (GObject *object)
{
  CrModelPage *self = CR_MODEL_PAGE (object);

  g_ptr_array_unref (self->radios);
  g_free (self->selected);
  g_free (self->testing);
  g_free (self->tested);

  G_OBJECT_CLASS (cr_model_page_parent_class)->finalize (object);
}

static void
cr_model_page_class_init (CrModelPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CrPageClass *page_class = CR_PAGE_CLASS (klass);

  object_class->dispose = cr_model_page_dispose;
  object_class->finalize = cr_model_page_finalize;
  page_class->shown = cr_model_page_shown;
  page_class->hidden = cr_model_page_hidden;
  page_class->apply = cr_model_page_apply;

  /* The window turns Escape into "page.cancel". */
  gtk_widget_class_install_action (widget_class, "page.cancel", NULL, cancel_action);

  cr_page_class_set_id (CR_PAGE_CLASS (klass), "model");

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/crazyrouter/SetupAssistant/cr-model-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CrModelPage, warning_group);
  gtk_widget_class_bind_template_child (widget_class, CrModelPage, warning_title);
  gtk_widget_class_bind_template_child (widget_class, CrModelPage, warning_text);
  gtk_widget_class_bind_template_child (widget_class, CrModelPage, models_group);
  gtk_widget_class_bind_template_child (widget_class, CrModelPage, model_list);
  gtk_widget_class_bind_template_child (widget_class, CrModelPage, other_slots_label);
  gtk_widget_class_bind_template_child (widget_class, CrModelPage, test_stack);
  gtk_widget_class_bind_template_child (widget_class, CrModelPage, test_button);
  gtk_widget_class_bind_template_child (widget_class, CrModelPage, test_spinner);
  gtk_widget_class_bind_template_child (widget_class, CrModelPage, running_label);
  gtk_widget_class_bind_template_child (widget_class, CrModelPage, done_title);
  gtk_widget_class_bind_template_child (widget_class, CrModelPage, reply_label);
  gtk_widget_class_bind_template_child (widget_class, CrModelPage, stats_label);
  gtk_widget_class_bind_template_child (widget_class, CrModelPage, error_title);
  gtk_widget_class_bind_template_child (widget_class, CrModelPage, error_cause);
  gtk_widget_class_bind_template_child (widget_class, CrModelPage, error_fix);
  gtk_widget_class_bind_template_child (widget_class, CrModelPage, error_server);
  gtk_widget_class_bind_template_child (widget_class, CrModelPage, error_verify_button);
  gtk_widget_class_bind_template_child (widget_class, CrModelPage, retry_button);
  gtk_widget_class_bind_template_callback (widget_class, on_test_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_verify_again_clicked);
}

static void
cr_model_page_init (CrModelPage *self)
{
  g_autofree char *other_slots = cr_models_explain_other_slots ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->radios = g_ptr_array_new ();
  self->radio_group = GTK_CHECK_BUTTON (g_object_ref_sink (gtk_check_button_new ()));

  cr_page_set_title (CR_PAGE (self), _("Choose a Model"));
  cr_page_set_complete (CR_PAGE (self), FALSE);
  gtk_label_set_text (self->other_slots_label, other_slots);
}
