/* cr-info-row.c: a boxed-list row that only informs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cr-info-row.h"

struct _CrInfoRow
{
  AdwPreferencesRow  parent_instance;

  GtkLabel          *number_label;
  GtkImage          *icon;
  GtkLabel          *subtitle_label;
};

G_DEFINE_FINAL_TYPE (CrInfoRow, cr_info_row, ADW_TYPE_PREFERENCES_ROW)

enum {
  PROP_0,
  PROP_SUBTITLE,
  PROP_NUMBER,
  PROP_ICON_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

const char *
cr_info_row_get_subtitle (CrInfoRow *self)
{
  g_return_val_if_fail (CR_IS_INFO_ROW (self), NULL);

  return gtk_label_get_label (self->subtitle_label);
}

void
cr_info_row_set_subtitle (CrInfoRow  *self,
                          const char *subtitle)
{
  g_return_if_fail (CR_IS_INFO_ROW (self));

  if (g_strcmp0 (subtitle, cr_info_row_get_subtitle (self)) == 0)
    return;
  gtk_label_set_label (self->subtitle_label, subtitle);
  gtk_widget_set_visible (GTK_WIDGET (self->subtitle_label), subtitle != NULL && *subtitle != '\0');
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUBTITLE]);
}

/* NULL when the row has no number. */
const char *
cr_info_row_get_number (CrInfoRow *self)
{
  const char *number;

  g_return_val_if_fail (CR_IS_INFO_ROW (self), NULL);

  number = gtk_label_get_label (self->number_label);
  return *number != '\0' ? number : NULL;
}

void
cr_info_row_set_number (CrInfoRow  *self,
                        const char *number)
{
  g_return_if_fail (CR_IS_INFO_ROW (self));

  if (number != NULL && *number == '\0')
    number = NULL;
  if (g_strcmp0 (number, cr_info_row_get_number (self)) == 0)
    return;
  gtk_label_set_label (self->number_label, number);
  gtk_widget_set_visible (GTK_WIDGET (self->number_label), number != NULL && *number != '\0');
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NUMBER]);
}

const char *
cr_info_row_get_icon_name (CrInfoRow *self)
{
  g_return_val_if_fail (CR_IS_INFO_ROW (self), NULL);

  return gtk_image_get_icon_name (self->icon);
}

void
cr_info_row_set_icon_name (CrInfoRow  *self,
                           const char *icon_name)
{
  g_return_if_fail (CR_IS_INFO_ROW (self));

  if (g_strcmp0 (icon_name, cr_info_row_get_icon_name (self)) == 0)
    return;
  gtk_image_set_from_icon_name (self->icon, icon_name);
  gtk_widget_set_visible (GTK_WIDGET (self->icon), icon_name != NULL && *icon_name != '\0');
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ICON_NAME]);
}

static void
cr_info_row_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  CrInfoRow *self = CR_INFO_ROW (object);

  switch (prop_id)
    {
    case PROP_SUBTITLE:
      g_value_set_string (value, cr_info_row_get_subtitle (self));
      break;
    case PROP_NUMBER:
      g_value_set_string (value, cr_info_row_get_number (self));
      break;
    case PROP_ICON_NAME:
      g_value_set_string (value, cr_info_row_get_icon_name (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cr_info_row_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  CrInfoRow *self = CR_INFO_ROW (object);

  switch (prop_id)
    {
    case PROP_SUBTITLE:
      cr_info_row_set_subtitle (self, g_value_get_string (value));
      break;
    case PROP_NUMBER:
      cr_info_row_set_number (self, g_value_get_string (value));
      break;
    case PROP_ICON_NAME:
      cr_info_row_set_icon_name (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cr_info_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CR_TYPE_INFO_ROW);

  G_OBJECT_CLASS (cr_info_row_parent_class)->dispose (object);
}

static void
cr_info_row_class_init (CrInfoRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = cr_info_row_get_property;
  object_class->set_property = cr_info_row_set_property;
  object_class->dispose = cr_info_row_dispose;

  properties[PROP_SUBTITLE] =
    g_param_spec_string ("subtitle", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NUMBER] =
    g_param_spec_string ("number", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ICON_NAME] =
    g_param_spec_string ("icon-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/com/crazyrouter/SetupAssistant/cr-info-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CrInfoRow, number_label);
  gtk_widget_class_bind_template_child (widget_class, CrInfoRow, icon);
  gtk_widget_class_bind_template_child (widget_class, CrInfoRow, subtitle_label);
}

static void
cr_info_row_init (CrInfoRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
