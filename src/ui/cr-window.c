/* cr-window.c: the assistant frame
 *
 * Owns the steps (one table below; each page is built when first needed)
 * and the history for Back; starts a step's apply() on Next and shows its
 * spinner and Cancel while the page is "applying". Pages never see each
 * other: they talk to the frame through CrPage's signals and properties.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cr-window.h"
#include "cr-welcome-page.h"
#include "cr-token-page.h"
#include "cr-key-page.h"
#include "cr-verify-page.h"
#include "cr-model-page.h"
#include "cr-keyring-page.h"
#include "cr-cursor-page.h"
#include "cr-checklist-page.h"

/* The order of the steps: the only place it is written down. Each page
 * class names its step (cr_page_class_set_id()). */
static GType (* const steps[]) (void) = {
  cr_welcome_page_get_type,
  cr_token_page_get_type,
  cr_key_page_get_type,
  cr_verify_page_get_type,
  cr_model_page_get_type,
  cr_keyring_page_get_type,
  cr_cursor_page_get_type,
  cr_checklist_page_get_type,
};

struct _CrWindow
{
  AdwApplicationWindow  parent_instance;

  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  GtkWidget            *back_button;
  GtkWidget            *next_button;
  GtkWidget            *busy_box;
  GtkWidget            *cancel_button;
  GtkSpinner           *spinner;
  GtkStack             *stack;

  CrSetupState         *state;
  GPtrArray            *pages;        /* CrPage*, in step order */
  GArray               *history;      /* guint: steps to go Back to */
  guint                 current;
  gboolean              step_shown;   /* current's shown() ran, hidden() not yet */
};

G_DEFINE_FINAL_TYPE (CrWindow, cr_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_STATE,
  PROP_PAGE,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The id of the step at @index, from its class: a page need not be built
 * for a jump to find it. */
static const char *
step_id (guint index)
{
  /* The class of a static type lives as long as the program. */
  g_autoptr(GTypeClass) klass = g_type_class_ref (steps[index] ());

  return cr_page_class_get_id (CR_PAGE_CLASS (klass));
}

static void page_changed_cb  (CrPage     *page,
                              GParamSpec *pspec,
                              CrWindow   *self);
static void page_jump_cb     (CrPage     *page,
                              const char *page_id,
                              CrWindow   *self);
static void page_advance_cb  (CrPage     *page,
                              CrWindow   *self);
static void page_toast_cb    (CrPage     *page,
                              const char *message,
                              CrWindow   *self);
static void page_applying_cb (CrPage     *page,
                              GParamSpec *pspec,
                              CrWindow   *self);

/* A page is built the first time it is needed, not with the window: the
 * first frame then waits for one page, not eight (and the stack does not
 * measure seven pages nobody sees yet). */
static CrPage *
page_at (CrWindow *self,
         guint     index)
{
  CrPage *page = g_ptr_array_index (self->pages, index);

  if (page != NULL)
    return page;

  page = g_object_new (steps[index] (), "state", self->state, NULL);
  gtk_stack_add_named (self->stack, GTK_WIDGET (page), cr_page_get_id (page));
  g_ptr_array_index (self->pages, index) = page;

  g_signal_connect_object (page, "notify::complete", G_CALLBACK (page_changed_cb), self, 0);
  g_signal_connect_object (page, "notify::next-label", G_CALLBACK (page_changed_cb), self, 0);
  g_signal_connect_object (page, "notify::next-suggested", G_CALLBACK (page_changed_cb), self, 0);
  g_signal_connect_object (page, "notify::title", G_CALLBACK (page_changed_cb), self, 0);
  g_signal_connect_object (page, "notify::applying", G_CALLBACK (page_applying_cb), self, 0);
  g_signal_connect_object (page, "jump", G_CALLBACK (page_jump_cb), self, 0);
  g_signal_connect_object (page, "advance", G_CALLBACK (page_advance_cb), self, 0);
  g_signal_connect_object (page, "toast", G_CALLBACK (page_toast_cb), self, 0);

  return page;
}

/* The step called @page_id, or G_MAXUINT. */
static guint
step_index (const char *page_id)
{
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if (g_strcmp0 (step_id (i), page_id) == 0)
      return i;

  return G_MAXUINT;
}

static gboolean
is_last (CrWindow *self)
{
  return self->current + 1 == G_N_ELEMENTS (steps);
}

static void
update_header (CrWindow *self)
{
  CrPage *page = page_at (self, self->current);
  const char *label = cr_page_get_next_label (page);
  gboolean busy = cr_page_get_applying (page);
  g_autofree char *step = NULL;

  /* Translators: the step indicator under the page title. */
  step = g_strdup_printf (_("Step %u of %u"), self->current + 1,
                          (guint) G_N_ELEMENTS (steps));
  adw_window_title_set_title (self->window_title,
                              cr_page_get_title (page) != NULL ? cr_page_get_title (page) : "");
  adw_window_title_set_subtitle (self->window_title, step);

  if (label == NULL)
    label = is_last (self) ? _("_Done") : _("_Next");
  gtk_button_set_label (GTK_BUTTON (self->next_button), label);
  if (cr_page_get_next_suggested (page))
    gtk_widget_add_css_class (self->next_button, "suggested-action");
  else
    gtk_widget_remove_css_class (self->next_button, "suggested-action");

  gtk_widget_set_visible (self->next_button, !busy);
  gtk_widget_set_visible (self->busy_box, busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (self->back_button, self->history->len > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.next",
                                 !busy && cr_page_get_complete (page));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.back",
                                 self->history->len > 0);
}

static gboolean
focus_is_inside (CrWindow  *self,
                 GtkWidget *widget)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

/* The visible step has started or ended its apply. */
static void
page_applying_cb (CrPage     *page,
                  GParamSpec *pspec,
                  CrWindow   *self)
{
  gboolean busy = cr_page_get_applying (page);
  gboolean had_focus;

  if (page != page_at (self, self->current))
    return;

  had_focus = focus_is_inside (self, self->next_button) ||
              focus_is_inside (self, self->busy_box) ||
              focus_is_inside (self, GTK_WIDGET (page));
  update_header (self);

  /* Keep the keyboard where the user was: Next and Cancel swap places.
   * The focus leaves the page before it is greyed out, so no entry is
   * left focused while insensitive. */
  if (had_focus && busy)
    gtk_widget_grab_focus (self->cancel_button);

  /* The form is greyed out while its work runs, like GNOME Online Accounts. */
  gtk_widget_set_sensitive (GTK_WIDGET (page), !busy);

  if (had_focus && !busy && !gtk_widget_grab_focus (self->next_button))
    gtk_widget_child_focus (GTK_WIDGET (page), GTK_DIR_TAB_FORWARD);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* Returns control at once: the page's late answer is ignored. */
static void
cancel_apply (CrWindow *self)
{
  CrPage *page = self->pages != NULL ? g_ptr_array_index (self->pages, self->current) : NULL;

  if (page != NULL)
    cr_page_apply_cancel (page);
}

/* The user leaves the visible step: it stops what it runs now, not when
 * it has slid out of view. */
static void
leave_step (CrWindow *self)
{
  if (!self->step_shown)
    return;

  self->step_shown = FALSE;
  cr_page_hidden (page_at (self, self->current));
}

static void
show_step (CrWindow *self,
           guint     index,
           gboolean  remember)
{
  GtkStackTransitionType transition;
  CrPage *page;
  /* Nothing came before the first step shown. */
  const char *came_from = index != self->current ? step_id (self->current) : NULL;

  /* Shown again (a jump to itself) is not leaving, but Next's work stops. */
  if (index != self->current)
    leave_step (self);
  else
    cancel_apply (self);

  if (remember && index != self->current)
    {
      /* Going to a step already in the history (a jump back) shortens it,
       * so Back never loops. */
      for (guint i = 0; i < self->history->len; i++)
        if (g_array_index (self->history, guint, i) == index)
          {
            g_array_set_size (self->history, i);
            remember = FALSE;
            break;
          }
      if (remember)
        g_array_append_val (self->history, self->current);
    }

  /* Pages join the stack as they are built, not in step order, so the
   * slide's direction comes from the step order here. */
  transition = index < self->current ? GTK_STACK_TRANSITION_TYPE_SLIDE_RIGHT
                                     : GTK_STACK_TRANSITION_TYPE_SLIDE_LEFT;
  self->current = index;
  page = page_at (self, index);
  /* Otherwise GtkStack moves the focus to the new page's first control
   * (say, a link), and Enter would no longer mean Next. */
  gtk_root_set_focus (GTK_ROOT (self), NULL);
  gtk_stack_set_visible_child_full (self->stack, cr_page_get_id (page), transition);
  update_header (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE]);

  cr_page_set_came_from (page, came_from);
  self->step_shown = TRUE;
  cr_page_shown (page);

  /* A page may take the focus in shown(); otherwise Enter means Next. */
  if (!focus_is_inside (self, GTK_WIDGET (page)) &&
      !(gtk_widget_is_sensitive (self->next_button) &&
        gtk_widget_grab_focus (self->next_button)))
    gtk_widget_child_focus (GTK_WIDGET (page), GTK_DIR_TAB_FORWARD);
}

static void
apply_done_cb (CrPage   *page,
               gboolean  ok,
               gpointer  user_data)
{
  CrWindow *self = user_data;

  /* On failure the page shows what went wrong and the user stays. */
  if (!ok)
    return;

  if (is_last (self))
    gtk_window_close (GTK_WINDOW (self));
  else
    show_step (self, self->current + 1, TRUE);
}

static void
go_next (CrWindow *self)
{
  CrPage *page = page_at (self, self->current);

  if (cr_page_get_applying (page) || !cr_page_get_complete (page))
    return;

  /* The page's "applying" greys out Next; cancel_apply() drops the
   * callback, so the page cannot outlive this window with a pointer to it. */
  cr_page_apply_begin (page, apply_done_cb, self);
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  go_next (CR_WINDOW (widget));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CrWindow *self = CR_WINDOW (widget);
  guint previous;

  if (self->history->len == 0)
    return;

  previous = g_array_index (self->history, guint, self->history->len - 1);
  g_array_set_size (self->history, self->history->len - 1);
  show_step (self, previous, FALSE);
}

/* Escape: stops Next's work, or else whatever the page runs itself (a page
 * with its own long operation installs a "page.cancel" action). */
static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CrWindow *self = CR_WINDOW (widget);

  if (cr_window_get_busy (self))
    cancel_apply (self);
  else
    gtk_widget_activate_action (GTK_WIDGET (page_at (self, self->current)),
                                "page.cancel", NULL);
}

static void
page_changed_cb (CrPage     *page,
                 GParamSpec *pspec,
                 CrWindow   *self)
{
  if (page == page_at (self, self->current))
    update_header (self);
}

static void
page_jump_cb (CrPage     *page,
              const char *page_id,
              CrWindow   *self)
{
  guint index = step_index (page_id);

  if (index != G_MAXUINT)
    {
      show_step (self, index, TRUE);
      return;
    }

  g_debug ("No step called “%s”", page_id);
  adw_toast_overlay_add_toast (self->toast_overlay,
                               adw_toast_new (_("This step is not available in this version")));
}

static void
page_advance_cb (CrPage   *page,
                 CrWindow *self)
{
  if (page == page_at (self, self->current))
    go_next (self);
}

static void
page_toast_cb (CrPage     *page,
               const char *message,
               CrWindow   *self)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

static void
cr_window_constructed (GObject *object)
{
  CrWindow *self = CR_WINDOW (object);

  G_OBJECT_CLASS (cr_window_parent_class)->constructed (object);

  if (self->state == NULL)
    self->state = cr_setup_state_new (NULL);

  show_step (self, 0, FALSE);
}

/* Closing the window leaves the step too, whoever still holds the window
 * (gtk_window_destroy() unmaps it, but does not go through ::hide). */
static void
cr_window_unmap (GtkWidget *widget)
{
  leave_step (CR_WINDOW (widget));

  GTK_WIDGET_CLASS (cr_window_parent_class)->unmap (widget);
}

static void
cr_window_dispose (GObject *object)
{
  CrWindow *self = CR_WINDOW (object);

  if (self->pages != NULL)
    leave_step (self);
  cancel_apply (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), CR_TYPE_WINDOW);

  g_clear_pointer (&self->pages, g_ptr_array_unref);
  g_clear_pointer (&self->history, g_array_unref);
  g_clear_object (&self->state);

  G_OBJECT_CLASS (cr_window_parent_class)->dispose (object);
}

static void
cr_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  CrWindow *self = CR_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_object (value, self->state);
      break;
    case PROP_PAGE:
      g_value_set_object (value, cr_window_get_page (self));
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, cr_window_get_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cr_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  CrWindow *self = CR_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STATE:
      self->state = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cr_window_class_init (CrWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = cr_window_constructed;
  object_class->dispose = cr_window_dispose;
  object_class->get_property = cr_window_get_property;
  object_class->set_property = cr_window_set_property;
  widget_class->unmap = cr_window_unmap;

  properties[PROP_STATE] =
    g_param_spec_object ("state", NULL, NULL, CR_TYPE_SETUP_STATE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAGE] =
    g_param_spec_object ("page", NULL, NULL, CR_TYPE_PAGE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/crazyrouter/SetupAssistant/cr-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CrWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CrWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, CrWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, CrWindow, next_button);
  gtk_widget_class_bind_template_child (widget_class, CrWindow, busy_box);
  gtk_widget_class_bind_template_child (widget_class, CrWindow, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CrWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, CrWindow, stack);

  gtk_widget_class_install_action (widget_class, "assistant.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "assistant.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "assistant.cancel", NULL, cancel_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK,
                                       "assistant.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "assistant.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0,
                                       "assistant.cancel", NULL);
}

static void
cr_window_init (CrWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->pages = g_ptr_array_sized_new (G_N_ELEMENTS (steps));
  g_ptr_array_set_size (self->pages, G_N_ELEMENTS (steps));
  self->history = g_array_new (FALSE, FALSE, sizeof (guint));
}

CrWindow *
cr_window_new (GtkApplication *application,
               CrSetupState   *state)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (state == NULL || CR_IS_SETUP_STATE (state), NULL);

  return g_object_new (CR_TYPE_WINDOW,
                       "application", application,
                       "state", state,
                       NULL);
}

CrSetupState *
cr_window_get_state (CrWindow *self)
{
  g_return_val_if_fail (CR_IS_WINDOW (self), NULL);

  return self->state;
}

CrPage *
cr_window_get_page (CrWindow *self)
{
  g_return_val_if_fail (CR_IS_WINDOW (self), NULL);

  if (self->pages == NULL)
    return NULL;

  return page_at (self, self->current);
}

CrPage *
cr_window_lookup_page (CrWindow   *self,
                       const char *page_id)
{
  g_return_val_if_fail (CR_IS_WINDOW (self), NULL);

  guint index = step_index (page_id);

  /* Tests reach into steps not shown yet: build them on demand. */
  if (self->pages == NULL || index == G_MAXUINT)
    return NULL;

  return page_at (self, index);
}

gboolean
cr_window_get_busy (CrWindow *self)
{
  g_return_val_if_fail (CR_IS_WINDOW (self), FALSE);

  /* Only the visible step applies: leaving a step cancels its apply. */
  return self->pages != NULL && cr_page_get_applying (page_at (self, self->current));
}
