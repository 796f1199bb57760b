/* cr-check-row.c: one live line of the checklist
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cr-check-row.h"

struct _CrCheckRow
{
  GtkListBoxRow  parent_instance;

  GtkStack      *icon_stack;
  GtkImage      *status_icon;
  GtkSpinner    *spinner;
  GtkLabel      *title_label;
  GtkLabel      *status_label;
  GtkLabel      *changed_label;
  GtkLabel      *detail_label;
  GtkLabel      *fix_label;
  GtkLabel      *help_label;
  GtkWidget     *action_button;

  CrCheckItem   *item;
};

G_DEFINE_FINAL_TYPE (CrCheckRow, cr_check_row, GTK_TYPE_LIST_BOX_ROW)

enum {
  PROP_0,
  PROP_ITEM,
  N_PROPS
};

enum {
  SHOW_HELP,
  ACTION,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Colour is never the only signal: every status also has its word. */
static const struct {
  const char *icon_name;
  const char *style;
  const char *label;
} looks[] = {
  [CR_CHECK_PENDING]   = { "content-loading-symbolic", "dim-label", N_("Waiting") },
  [CR_CHECK_RUNNING]   = { NULL,                       "dim-label", N_("Checking…") },
  [CR_CHECK_PASSED]    = { "emblem-ok-symbolic",       "success",   N_("Passed") },
  [CR_CHECK_WARNING]   = { "dialog-warning-symbolic",  "warning",   N_("Warning") },
  [CR_CHECK_FAILED]    = { "dialog-error-symbolic",    "error",     N_("Failed") },
  [CR_CHECK_NEEDS_YOU] = { "dialog-information-symbolic", "accent",    N_("Needs you") },
};

const char *
cr_check_status_label (CrCheckStatus status)
{
  g_return_val_if_fail (status < G_N_ELEMENTS (looks), NULL);

  return _(looks[status].label);
}

static void
set_style (GtkWidget  *widget,
           const char *style)
{
  for (guint i = 0; i < G_N_ELEMENTS (looks); i++)
    gtk_widget_remove_css_class (widget, looks[i].style);
  gtk_widget_add_css_class (widget, style);
}

static gboolean
wants_action (CrCheckStatus status)
{
  return status == CR_CHECK_WARNING
         || status == CR_CHECK_FAILED
         || status == CR_CHECK_NEEDS_YOU;
}

static void
cr_check_row_sync (CrCheckRow *self)
{
  CrCheckStatus status = cr_check_item_get_status (self->item);
  const char *title = cr_check_item_get_title (self->item);
  const char *detail = cr_check_item_get_detail (self->item);
  const char *fix = cr_check_item_get_fix (self->item);
  gboolean show_fix;
  g_autofree char *fix_text = NULL;
  g_autofree char *description = NULL;

  g_return_if_fail (status < G_N_ELEMENTS (looks));

  gtk_label_set_text (self->title_label, title);
  gtk_label_set_text (self->status_label, _(looks[status].label));
  set_style (GTK_WIDGET (self->status_label), looks[status].style);

  if (status == CR_CHECK_RUNNING)
    {
      gtk_spinner_start (self->spinner);
      gtk_stack_set_visible_child (self->icon_stack, GTK_WIDGET (self->spinner));
    }
  else
    {
      gtk_spinner_stop (self->spinner);
      gtk_image_set_from_icon_name (self->status_icon, looks[status].icon_name);
      set_style (GTK_WIDGET (self->status_icon), looks[status].style);
      gtk_stack_set_visible_child (self->icon_stack, GTK_WIDGET (self->status_icon));
    }

  /* After a Cursor update, say which findings are new. */
  gtk_widget_set_visible (GTK_WIDGET (self->changed_label), cr_check_item_get_changed (self->item));

  gtk_label_set_text (self->detail_label, detail ? detail : "");
  gtk_widget_set_visible (GTK_WIDGET (self->detail_label), detail != NULL && detail[0] != '\0');

  show_fix = wants_action (status) && fix != NULL && fix[0] != '\0';
  if (show_fix)
    {
      fix_text = g_strdup_printf (_("To fix: %s"), fix);
      gtk_label_set_text (self->fix_label, fix_text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->fix_label), show_fix);
  gtk_widget_set_visible (GTK_WIDGET (self->help_label),
                          wants_action (status) && cr_check_item_get_symptom (self->item) != NULL);

  /* Read as one line: "API key, Failed. What was found. To fix: …" */
  description = g_strjoin (" ", _(looks[status].label),
                           cr_check_item_get_changed (self->item)
                           ? gtk_label_get_text (self->changed_label) : "",
                           detail ? detail : "",
                           fix_text ? fix_text : "",
                           NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
}

/* A link rather than a button, so it lines up with the text above it. */
static gboolean
on_help_link (CrCheckRow *self,
              const char *uri)
{
  g_signal_emit (self, signals[SHOW_HELP], 0, cr_check_item_get_symptom (self->item));
  return TRUE;
}

static void
on_action_clicked (CrCheckRow *self)
{
  g_signal_emit (self, signals[ACTION], 0);
}

static void
cr_check_row_constructed (GObject *object)
{
  CrCheckRow *self = CR_CHECK_ROW (object);

  G_OBJECT_CLASS (cr_check_row_parent_class)->constructed (object);

  g_return_if_fail (self->item != NULL);

  /* cr_check_item_update() notifies per property: any of them may change
   * what the row shows. */
  g_signal_connect_object (self->item, "notify",
                           G_CALLBACK (cr_check_row_sync), self, G_CONNECT_SWAPPED);
  cr_check_row_sync (self);
}

static void
cr_check_row_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  CrCheckRow *self = CR_CHECK_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      self->item = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cr_check_row_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  CrCheckRow *self = CR_CHECK_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      g_value_set_object (value, self->item);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cr_check_row_dispose (GObject *object)
{
  CrCheckRow *self = CR_CHECK_ROW (object);

  g_clear_object (&self->item);
  gtk_widget_dispose_template (GTK_WIDGET (self), CR_TYPE_CHECK_ROW);

  G_OBJECT_CLASS (cr_check_row_parent_class)->dispose (object);
}

static void
cr_check_row_class_init (CrCheckRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = cr_check_row_constructed;
  object_class->set_property = cr_check_row_set_property;
  object_class->get_property = cr_check_row_get_property;
  object_class->dispose = cr_check_row_dispose;

  properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL,
                         CR_TYPE_CHECK_ITEM,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SHOW_HELP] =
    g_signal_new ("show-help",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[ACTION] =
    g_signal_new ("action",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/crazyrouter/SetupAssistant/cr-check-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CrCheckRow, icon_stack);
  gtk_widget_class_bind_template_child (widget_class, CrCheckRow, status_icon);
  gtk_widget_class_bind_template_child (widget_class, CrCheckRow, spinner);
  gtk_widget_class_bind_template_child (widget_class, CrCheckRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, CrCheckRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, CrCheckRow, changed_label);
  gtk_widget_class_bind_template_child (widget_class, CrCheckRow, detail_label);
  gtk_widget_class_bind_template_child (widget_class, CrCheckRow, fix_label);
  gtk_widget_class_bind_template_child (widget_class, CrCheckRow, help_label);
  gtk_widget_class_bind_template_child (widget_class, CrCheckRow, action_button);
  gtk_widget_class_bind_template_callback (widget_class, on_help_link);
  gtk_widget_class_bind_template_callback (widget_class, on_action_clicked);
}

static void
cr_check_row_init (CrCheckRow *self)
{
  g_autofree char *link = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  link = g_markup_printf_escaped ("<a href=\"troubleshooting\">%s</a>",
                                  _("More help in Troubleshooting"));
  gtk_label_set_markup (self->help_label, link);
}

GtkWidget *
cr_check_row_new (CrCheckItem *item)
{
  g_return_val_if_fail (CR_IS_CHECK_ITEM (item), NULL);

  return g_object_new (CR_TYPE_CHECK_ROW, "item", item, NULL);
}

void
cr_check_row_set_action (CrCheckRow *self,
                         const char *label,
                         const char *accessible_label)
{
  g_return_if_fail (CR_IS_CHECK_ROW (self));

  if (label == NULL)
    {
      /* The keyboard stays in the row rather than falling out of the list. */
      if (gtk_widget_has_focus (self->action_button))
        gtk_widget_grab_focus (GTK_WIDGET (self));
      gtk_widget_set_visible (self->action_button, FALSE);
      return;
    }

  gtk_button_set_label (GTK_BUTTON (self->action_button), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->action_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible_label != NULL ? accessible_label : label,
                                  -1);
  gtk_widget_set_visible (self->action_button, TRUE);
}

const char *
cr_check_row_get_action (CrCheckRow *self)
{
  g_return_val_if_fail (CR_IS_CHECK_ROW (self), NULL);

  if (!gtk_widget_get_visible (self->action_button))
    return NULL;
  return gtk_button_get_label (GTK_BUTTON (self->action_button));
}

CrCheckItem *
cr_check_row_get_item (CrCheckRow *self)
{
  g_return_val_if_fail (CR_IS_CHECK_ROW (self), NULL);

  return self->item;
}
