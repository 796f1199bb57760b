/* cr-checklist-page.c: step 8, the live checklist and the troubleshooting view
 *
 * The run starts whenever the step is shown and stops when the user leaves
 * it. Each row follows its item, so answers appear as they arrive; the
 * summary at the top counts them the same way.
 *
 * Cursor's own chat request is the one proof that Cursor uses the gateway,
 * and it only comes when the person sends a message in Cursor. So after a
 * run in the first-time flow (straight from the Cursor step) the page
 * watches the token's logs for it for a few minutes; after a re-check from
 * the welcome page it only offers to. Watching is not running: the header
 * stays on the run's verdict and the row shows the watch.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cr-check-row.h"
#include "cr-cursor-checks.h"
#include "cr-troubleshoot-view.h"
#include "cr-checklist-page.h"
#include "cr-report.h"
#include "cr-text.h"

struct _CrChecklistPage
{
  CrPage              parent_instance;

  GtkStack           *view_stack;    /* the template's top widget */
  GtkStack           *summary_icon_stack;
  GtkImage           *summary_icon;
  GtkSpinner         *summary_spinner;
  GtkLabel           *summary_title;
  GtkLabel           *summary_counts;
  GtkStack           *run_stack;
  GtkWidget          *run_button;
  GtkWidget          *stop_button;
  GtkWidget          *help_button;
  GtkListBox         *check_list;
  GtkWidget          *cursor_group;
  GtkListBox         *cursor_list;
  GtkSwitch          *tab_switch;
  CrTroubleshootView *troubleshoot;

  CrChecklist        *checklist;     /* the one bound to the lists */
  GListModel         *cursor_items;  /* its Cursor section */
  CrSetupState       *bound_state;   /* the one the switch is bound to */
  GBinding           *tab_binding;
  GCancellable       *cancellable;   /* the run in flight */
  GCancellable       *watch_cancellable;  /* the watch for Cursor's request */
  CrCheckRow         *chat_row;      /* weak: the "cursor-chat" row */
  gboolean            has_run;
  gboolean            stopped;
  gboolean            first_time;    /* came here from the Cursor step */
  gboolean            watched;       /* a watch ended since the last run */
  gboolean            cannot_watch;  /* the last run left nothing to watch with */
};

/* Long enough to switch to Cursor, find its chat and send one message. */
#define WATCH_SECONDS 180

G_DEFINE_FINAL_TYPE (CrChecklistPage, cr_checklist_page, CR_TYPE_PAGE)

static gboolean
is_running (CrChecklistPage *self)
{
  return self->cancellable != NULL;
}

static gboolean
is_watching (CrChecklistPage *self)
{
  return self->checklist != NULL && cr_checklist_get_watching (self->checklist);
}

static guint
count (CrChecklistPage *self,
       CrCheckStatus    status)
{
  guint n = self->checklist ? cr_checklist_count (self->checklist, status) : 0;

  /* The item being watched for is not "checking", it waits for the person. */
  if (status == CR_CHECK_RUNNING && n > 0 && is_watching (self))
    n--;
  return n;
}

/* "5 passed · 1 warning · 1 needs you": only what is there, passed first. */
static char *
counts_text (CrChecklistPage *self)
{
  guint passed = count (self, CR_CHECK_PASSED);
  guint warnings = count (self, CR_CHECK_WARNING);
  guint failed = count (self, CR_CHECK_FAILED);
  guint needs_you = count (self, CR_CHECK_NEEDS_YOU);
  guint open = count (self, CR_CHECK_PENDING) + count (self, CR_CHECK_RUNNING);
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u passed", "%u passed", passed), passed));
  if (failed > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u failed", "%u failed", failed), failed));
  if (warnings > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u warning", "%u warnings", warnings), warnings));
  if (needs_you > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u needs you", "%u need you", needs_you), needs_you));
  if (open > 0 && !is_running (self))
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u not checked", "%u not checked", open), open));
  if (is_watching (self))
    /* Translators: the last part of "6 passed · 4 need you · waiting for your message in Cursor". */
    g_ptr_array_add (parts, g_strdup (_("waiting for your message in Cursor")));
  g_ptr_array_add (parts, NULL);

  return g_strjoinv (" · ", (char **) parts->pdata);
}

static void
set_summary_icon (CrChecklistPage *self,
                  const char      *icon_name,
                  const char      *style)
{
  static const char * const styles[] = { "success", "warning", "error", "accent", "dim-label" };

  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->summary_icon), styles[i]);
  gtk_widget_add_css_class (GTK_WIDGET (self->summary_icon), style);
  gtk_image_set_from_icon_name (self->summary_icon, icon_name);
  gtk_spinner_stop (self->summary_spinner);
  gtk_stack_set_visible_child_name (self->summary_icon_stack, "icon");
}

static void
update_summary (CrChecklistPage *self)
{
  g_autofree char *counts = NULL;
  guint n_items = self->checklist ? g_list_model_get_n_items (G_LIST_MODEL (self->checklist)) : 0;
  guint done = n_items - count (self, CR_CHECK_PENDING) - count (self, CR_CHECK_RUNNING);
  guint warnings = count (self, CR_CHECK_WARNING);

  if (is_running (self))
    {
      gtk_spinner_start (self->summary_spinner);
      gtk_stack_set_visible_child_name (self->summary_icon_stack, "spinner");
      gtk_label_set_text (self->summary_title, _("Checking your setup…"));
      counts = g_strdup_printf (_("%u of %u done"), done, n_items);
      gtk_label_set_text (self->summary_counts, counts);
      return;
    }

  if (!self->has_run)
    {
      set_summary_icon (self, "content-loading-symbolic", "dim-label");
      gtk_label_set_text (self->summary_title, _("Ready to check your setup"));
      gtk_label_set_text (self->summary_counts, "");
      return;
    }

  if (self->stopped)
    {
      set_summary_icon (self, "process-stop-symbolic", "dim-label");
      gtk_label_set_text (self->summary_title, _("The check was stopped"));
    }
  else if (count (self, CR_CHECK_FAILED) > 0)
    {
      set_summary_icon (self, "dialog-error-symbolic", "error");
      gtk_label_set_text (self->summary_title, _("Something needs fixing"));
    }
  else if (count (self, CR_CHECK_NEEDS_YOU) > 0 || is_watching (self))
    {
      set_summary_icon (self, "dialog-information-symbolic", "accent");
      gtk_label_set_text (self->summary_title, _("Almost done"));
    }
  else if (warnings > 0)
    {
      set_summary_icon (self, "dialog-warning-symbolic", "warning");
      gtk_label_set_text (self->summary_title,
                          ngettext ("Working, with a warning", "Working, with warnings", warnings));
    }
  else
    {
      set_summary_icon (self, "emblem-ok-symbolic", "success");
      gtk_label_set_text (self->summary_title, _("Everything checks out"));
    }

  counts = counts_text (self);
  gtk_label_set_text (self->summary_counts, counts);
}

/* The troubleshooting rows that match what did not pass. */
static void
update_highlights (CrChecklistPage *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) ids = NULL;
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->checklist));

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(CrCheckItem) item = g_list_model_get_item (G_LIST_MODEL (self->checklist), i);
      CrCheckStatus status = cr_check_item_get_status (item);
      const char *symptom = cr_check_item_get_symptom (item);

      if (symptom != NULL
          && (status == CR_CHECK_FAILED || status == CR_CHECK_WARNING
              || status == CR_CHECK_NEEDS_YOU))
        g_strv_builder_add (builder, symptom);
    }

  ids = g_strv_builder_end (builder);
  cr_troubleshoot_view_highlight (self->troubleshoot, (const char * const *) ids);
}

static void
show_help (CrChecklistPage *self,
           const char      *symptom)
{
  gtk_stack_set_visible_child_name (self->view_stack, "help");
  if (symptom != NULL)
    cr_troubleshoot_view_focus_row (self->troubleshoot, symptom);
  else
    gtk_widget_child_focus (GTK_WIDGET (self->troubleshoot), GTK_DIR_TAB_FORWARD);
}

static void
on_row_show_help (CrCheckRow      *row,
                  const char      *symptom,
                  CrChecklistPage *self)
{
  show_help (self, symptom);
}

static char *
cursor_found_text (const CrCursorSnapshot *snapshot,
                   const CrCursorHistory  *history)
{
  if (history != NULL && history->updated)
    /* Translators: "Cursor was updated from 1.4.2 to 1.5.0 since the last check. …" */
    return g_strdup_printf (_("Cursor was updated from %s to %s since the last check. "
                              "Read from its own settings, without changing them."),
                            history->previous_version, history->current_version);
  if (snapshot->version != NULL)
    /* Translators: %s is Cursor's version, e.g. 1.5.0. */
    return g_strdup_printf (_("Cursor %s, read from its own settings without changing them."),
                            snapshot->version);

  return g_strdup (_("Read from Cursor’s own settings, without changing them."));
}

/* What the Cursor items rest on, so that four "needs you" rows on a
 * computer without Cursor read as expected, not as something broken. */
static char *
cursor_status_text (const CrCursorSnapshot *snapshot,
                    const CrCursorHistory  *history)
{
  switch (snapshot->status)
    {
    case CR_CURSOR_FOUND:
      return cursor_found_text (snapshot, history);
    case CR_CURSOR_NOT_INSTALLED:
      if (snapshot->version != NULL)
        /* Translators: %s is Cursor's version, e.g. 1.5.0. */
        return g_strdup_printf (_("Cursor %s is installed but has not saved its settings yet. "
                                  "Start it once, or check these by hand."), snapshot->version);
      return g_strdup (_("Cursor not found on this computer — check these by hand."));
    case CR_CURSOR_UNREADABLE:
    default:
      return cr_text_join_sentences (snapshot->reason != NULL ? snapshot->reason
                                                              : _("Cursor’s settings could not be read."),
                                     _("Until then, check these by hand."));
    }
}

static void
update_cursor_description (CrChecklistPage *self)
{
  CrCursorSnapshot *snapshot = NULL;
  const CrCursorHistory *history = NULL;
  g_autofree char *text = NULL;

  if (self->checklist != NULL)
    {
      snapshot = cr_checklist_get_cursor_snapshot (self->checklist);
      history = cr_checklist_get_cursor_history (self->checklist);
    }

  if (snapshot == NULL)
    {
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->cursor_group),
                                             _("What Cursor’s own settings say, read without changing them."));
      return;
    }

  text = cursor_status_text (snapshot, history);
  if (snapshot->status == CR_CURSOR_FOUND)
    {
      /* Once for the group, not in every row. */
      g_autofree char *found = g_steal_pointer (&text);

      text = g_strdup_printf ("%s\n%s", found, cr_cursor_checks_lag_note ());
    }
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->cursor_group), text);
}

/* ---- the watch for Cursor's own request ---- */

static void
update_chat_action (CrChecklistPage *self)
{
  CrCheckStatus status;

  if (self->chat_row == NULL)
    return;

  status = cr_check_item_get_status (cr_check_row_get_item (self->chat_row));
  if (is_watching (self))
    cr_check_row_set_action (self->chat_row, _("Check _Now"),
                             _("Look for Cursor’s request in the token’s logs now"));
  else if (is_running (self) || !self->has_run || self->stopped || self->cannot_watch
           || (status != CR_CHECK_NEEDS_YOU && status != CR_CHECK_FAILED))
    cr_check_row_set_action (self->chat_row, NULL, NULL);
  else if (self->watched)
    cr_check_row_set_action (self->chat_row, _("_Watch Again"),
                             _("Watch the token’s logs for Cursor’s request again"));
  else
    cr_check_row_set_action (self->chat_row, _("_Watch for Cursor’s Request"),
                             _("Watch the token’s logs for Cursor’s request"));
}

typedef struct {
  CrChecklistPage *self;
  GCancellable    *cancellable;
} WatchData;

static void
on_watch_done (GObject      *source,
               GAsyncResult *res,
               gpointer      user_data)
{
  WatchData *data = user_data;
  CrChecklistPage *self = data->self;
  g_autoptr(GError) error = NULL;

  cr_checklist_watch_cursor_finish (CR_CHECKLIST (source), res, &error);

  /* Only this page's current watch: a new run forgot the one before. */
  if (data->cancellable == self->watch_cancellable)
    {
      g_clear_object (&self->watch_cancellable);
      self->watched = TRUE;
      self->cannot_watch = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED);
      update_chat_action (self);
      update_summary (self);
    }

  g_object_unref (data->cancellable);
  g_object_unref (data->self);
  g_free (data);
}

static void
start_watch (CrChecklistPage *self)
{
  WatchData *data;

  if (self->checklist == NULL || self->watch_cancellable != NULL || is_running (self))
    return;

  self->watch_cancellable = g_cancellable_new ();
  data = g_new0 (WatchData, 1);
  data->self = g_object_ref (self);
  data->cancellable = g_object_ref (self->watch_cancellable);
  cr_checklist_watch_cursor_async (self->checklist, WATCH_SECONDS, self->watch_cancellable,
                                   on_watch_done, data);
}

/* The item says what the watch saw until then. */
static void
stop_watch (CrChecklistPage *self)
{
  if (self->watch_cancellable != NULL)
    g_cancellable_cancel (self->watch_cancellable);
  g_clear_object (&self->watch_cancellable);
}

/* In the first-time flow the person is about to send that message. */
static void
maybe_watch (CrChecklistPage *self)
{
  CrCheckItem *chat;

  if (!self->first_time || self->stopped || self->checklist == NULL
      || !cr_checklist_get_cursor_enabled (self->checklist))
    return;

  chat = cr_checklist_lookup (self->checklist, CR_CHECK_CURSOR_CHAT);
  if (chat != NULL && cr_check_item_get_status (chat) != CR_CHECK_PASSED)
    start_watch (self);
}

static void
on_chat_action (CrChecklistPage *self)
{
  if (is_watching (self))
    cr_checklist_watch_cursor_now (self->checklist);
  else
    start_watch (self);
}

static void
on_watching_changed (CrChecklistPage *self)
{
  update_chat_action (self);
  update_summary (self);
}

static void
on_item_notify (CrChecklistPage *self)
{
  update_summary (self);
  update_cursor_description (self);
  update_chat_action (self);
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  CrChecklistPage *self = user_data;
  GtkWidget *row = cr_check_row_new (item);

  g_signal_connect_object (item, "notify", G_CALLBACK (on_item_notify), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (row, "show-help", G_CALLBACK (on_row_show_help), self, 0);

  if (g_strcmp0 (cr_check_item_get_id (item), CR_CHECK_CURSOR_CHAT) == 0)
    {
      g_set_weak_pointer (&self->chat_row, CR_CHECK_ROW (row));
      g_signal_connect_object (row, "action", G_CALLBACK (on_chat_action), self, G_CONNECT_SWAPPED);
      update_chat_action (self);
    }

  return row;
}

static gboolean
in_section (gpointer    item,
            gpointer    section)
{
  return g_strcmp0 (cr_check_item_get_section (item), section) == 0;
}

/* The Cursor section, when the checklist has one, gets a group of its own. */
static void
on_cursor_items_changed (CrChecklistPage *self)
{
  gtk_widget_set_visible (self->cursor_group,
                          g_list_model_get_n_items (self->cursor_items) > 0);
}

static GListModel *
section_model (CrChecklist *checklist,
               const char  *section)
{
  GtkCustomFilter *filter = gtk_custom_filter_new (in_section, (gpointer) section, NULL);

  return G_LIST_MODEL (gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (checklist)),
                                                  GTK_FILTER (filter)));
}

static void
bind_checklist (CrChecklistPage *self,
                CrChecklist     *checklist)
{
  g_autoptr(GListModel) gateway_items = NULL;

  if (checklist == self->checklist)
    return;

  stop_watch (self);
  if (self->checklist != NULL)
    g_signal_handlers_disconnect_by_func (self->checklist, on_watching_changed, self);
  g_set_object (&self->checklist, checklist);
  g_signal_connect_object (checklist, "notify::watching",
                           G_CALLBACK (on_watching_changed), self, G_CONNECT_SWAPPED);
  gateway_items = section_model (checklist, CR_CHECK_SECTION_GATEWAY);
  gtk_list_box_bind_model (self->check_list, gateway_items, create_row, self, NULL);

  g_clear_object (&self->cursor_items);
  self->cursor_items = section_model (checklist, CR_CHECK_SECTION_CURSOR);
  gtk_list_box_bind_model (self->cursor_list, self->cursor_items, create_row, self, NULL);
  g_signal_connect_object (self->cursor_items, "items-changed",
                           G_CALLBACK (on_cursor_items_changed), self, G_CONNECT_SWAPPED);
  on_cursor_items_changed (self);
  update_cursor_description (self);
}

static void
on_tab_acknowledged (CrSetupState    *state,
                     GParamSpec      *pspec,
                     CrChecklistPage *self)
{
  if (self->checklist != NULL)
    cr_checklist_set_tab_acknowledged (self->checklist,
                                       cr_setup_state_get_tab_acknowledged (state));
}

static void
bind_state (CrChecklistPage *self,
            CrSetupState    *state)
{
  if (state == self->bound_state)
    return;

  if (self->tab_binding != NULL)
    g_binding_unbind (self->tab_binding);
  if (self->bound_state != NULL)
    g_signal_handlers_disconnect_by_func (self->bound_state, on_tab_acknowledged, self);
  g_set_object (&self->bound_state, state);

  self->tab_binding = g_object_bind_property (state, "tab-acknowledged",
                                              self->tab_switch, "active",
                                              G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_signal_connect_object (state, "notify::tab-acknowledged",
                           G_CALLBACK (on_tab_acknowledged), self, 0);
}

static void
on_run_done (GObject      *source,
             GAsyncResult *res,
             gpointer      user_data)
{
  g_autoptr(CrChecklistPage) self = user_data;
  g_autoptr(GError) error = NULL;
  CrChecklist *checklist = CR_CHECKLIST (source);

  cr_checklist_run_finish (checklist, res, &error);
  g_clear_object (&self->cancellable);
  self->stopped = error != NULL;

  if (error == NULL && self->bound_state != NULL)
    cr_setup_state_record_check (self->bound_state, cr_checklist_get_ok (checklist));

  gtk_stack_set_visible_child (self->run_stack, self->run_button);
  update_highlights (self);
  maybe_watch (self);
  update_summary (self);
  update_cursor_description (self);
  update_chat_action (self);
}

static void
start_run (CrChecklistPage *self)
{
  CrSetupState *state = cr_page_get_state (CR_PAGE (self));
  CrChecklist *checklist;

  if (is_running (self) || state == NULL)
    return;

  /* Configured from the state each time, so a changed key or model counts. */
  /* A new run ends the watch anyway; this way its answer is not waited for. */
  stop_watch (self);
  checklist = cr_setup_state_get_checklist (state);
  bind_checklist (self, checklist);
  bind_state (self, state);

  self->cancellable = g_cancellable_new ();
  self->has_run = TRUE;
  self->stopped = FALSE;
  self->watched = FALSE;
  self->cannot_watch = FALSE;
  gtk_stack_set_visible_child (self->run_stack, self->stop_button);
  cr_troubleshoot_view_highlight (self->troubleshoot, NULL);

  cr_checklist_run_async (checklist, self->cancellable, on_run_done, g_object_ref (self));
  update_summary (self);
  update_chat_action (self);
}

static void
stop_run (CrChecklistPage *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

static void
cr_checklist_page_shown (CrPage *page)
{
  CrChecklistPage *self = CR_CHECKLIST_PAGE (page);

  /* Only right after Cursor was set up is a message in its chat on its way;
   * a re-check from the welcome page offers the watch instead. */
  self->first_time = g_strcmp0 (cr_page_get_came_from (page), "cursor") == 0;
  gtk_stack_set_visible_child_name (self->view_stack, "checks");
  start_run (self);
}

static void
on_run_clicked (CrChecklistPage *self)
{
  start_run (self);
  gtk_widget_grab_focus (self->stop_button);
}

static void
on_stop_clicked (CrChecklistPage *self)
{
  stop_run (self);
  gtk_widget_grab_focus (self->run_button);
}

static void
on_help_clicked (CrChecklistPage *self)
{
  show_help (self, NULL);
}

static void
on_back_clicked (CrChecklistPage *self)
{
  gtk_stack_set_visible_child_name (self->view_stack, "checks");
  gtk_widget_grab_focus (self->help_button);
}

/* Escape stops a run; otherwise it closes the troubleshooting view. */
static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CrChecklistPage *self = CR_CHECKLIST_PAGE (widget);

  if (is_running (self))
    on_stop_clicked (self);
  else if (g_strcmp0 (gtk_stack_get_visible_child_name (self->view_stack), "help") == 0)
    on_back_clicked (self);
}

/* Leaving the step (Back, Done, or the window closing) stops the run and
 * the watch. */
static void
cr_checklist_page_hidden (CrPage *page)
{
  stop_run (CR_CHECKLIST_PAGE (page));
  stop_watch (CR_CHECKLIST_PAGE (page));
}

static void
cr_checklist_page_dispose (GObject *object)
{
  CrChecklistPage *self = CR_CHECKLIST_PAGE (object);

  stop_run (self);
  g_clear_object (&self->cancellable);
  stop_watch (self);
  g_clear_weak_pointer (&self->chat_row);
  if (self->tab_binding != NULL)
    g_binding_unbind (self->tab_binding);
  self->tab_binding = NULL;
  g_clear_object (&self->bound_state);

  gtk_widget_dispose_template (GTK_WIDGET (self), CR_TYPE_CHECKLIST_PAGE);
  g_clear_object (&self->cursor_items);
  g_clear_object (&self->checklist);

  G_OBJECT_CLASS (cr_checklist_page_parent_class)->dispose (object);
}

/* The troubleshooting view's "Copy Diagnostic Report": what support needs,
 * built by the core, never a secret. */
static void
copy_report_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CrChecklistPage *self = CR_CHECKLIST_PAGE (widget);
  g_autofree char *versions = NULL;
  g_autofree char *report = NULL;

  if (self->checklist == NULL)
    return;

  versions = g_strdup_printf ("GTK %u.%u.%u, libadwaita %u.%u.%u",
                              gtk_get_major_version (), gtk_get_minor_version (), gtk_get_micro_version (),
                              adw_get_major_version (), adw_get_minor_version (), adw_get_micro_version ());
  report = cr_report_build (self->checklist,
                            self->bound_state ? cr_setup_state_get_base_url (self->bound_state) : NULL,
                            self->bound_state ? cr_setup_state_get_model (self->bound_state) : NULL,
                            versions);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), report);
  cr_page_toast (CR_PAGE (self), _("Diagnostic report copied. It holds no key."));
}

static void
cr_checklist_page_class_init (CrChecklistPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  CrPageClass *page_class = CR_PAGE_CLASS (klass);

  object_class->dispose = cr_checklist_page_dispose;
  page_class->shown = cr_checklist_page_shown;
  page_class->hidden = cr_checklist_page_hidden;

  /* The window turns Escape into "page.cancel". */
  gtk_widget_class_install_action (widget_class, "page.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "checklist.copy-report", NULL, copy_report_action);

  g_type_ensure (CR_TYPE_TROUBLESHOOT_VIEW);
  cr_page_class_set_id (CR_PAGE_CLASS (klass), "checklist");

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/crazyrouter/SetupAssistant/cr-checklist-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CrChecklistPage, summary_icon_stack);
  gtk_widget_class_bind_template_child (widget_class, CrChecklistPage, summary_icon);
  gtk_widget_class_bind_template_child (widget_class, CrChecklistPage, summary_spinner);
  gtk_widget_class_bind_template_child (widget_class, CrChecklistPage, summary_title);
  gtk_widget_class_bind_template_child (widget_class, CrChecklistPage, summary_counts);
  gtk_widget_class_bind_template_child (widget_class, CrChecklistPage, run_stack);
  gtk_widget_class_bind_template_child (widget_class, CrChecklistPage, run_button);
  gtk_widget_class_bind_template_child (widget_class, CrChecklistPage, stop_button);
  gtk_widget_class_bind_template_child (widget_class, CrChecklistPage, help_button);
  gtk_widget_class_bind_template_child (widget_class, CrChecklistPage, check_list);
  gtk_widget_class_bind_template_child (widget_class, CrChecklistPage, cursor_group);
  gtk_widget_class_bind_template_child (widget_class, CrChecklistPage, cursor_list);
  gtk_widget_class_bind_template_child (widget_class, CrChecklistPage, tab_switch);
  gtk_widget_class_bind_template_child (widget_class, CrChecklistPage, troubleshoot);
  gtk_widget_class_bind_template_callback (widget_class, on_run_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_help_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked);
}

static void
cr_checklist_page_init (CrChecklistPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->view_stack = GTK_STACK (adw_bin_get_child (ADW_BIN (self)));

  cr_page_set_title (CR_PAGE (self), _("Check the Setup"));
  cr_page_set_next_label (CR_PAGE (self), _("_Done"));
  cr_page_set_complete (CR_PAGE (self), TRUE);
  update_summary (self);
}
