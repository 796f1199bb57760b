/* cr-troubleshoot-view.c: the guide's symptoms, causes and fixes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cr-troubleshoot.h"
#include "cr-troubleshoot-view.h"

struct _CrTroubleshootView
{
  AdwBin               parent_instance;

  AdwPreferencesGroup *group;

  /* id → AdwExpanderRow (owned by the group) */
  GHashTable          *rows;
};

G_DEFINE_FINAL_TYPE (CrTroubleshootView, cr_troubleshoot_view, ADW_TYPE_BIN)

static GtkWidget *
labelled_text_new (const char *heading,
                   const char *text)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (heading);
  GtkWidget *body = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_add_css_class (title, "caption-heading");
  gtk_widget_add_css_class (title, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (body), 0);
  gtk_label_set_wrap (GTK_LABEL (body), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (body), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (body), TRUE);

  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), body);
  return box;
}

static GtkWidget *
row_new (const CrTroubleshootRow *entry)
{
  GtkWidget *row = adw_expander_row_new ();
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  /* The subtitle says the same in words. */
  GtkWidget *mark = g_object_new (GTK_TYPE_IMAGE,
                                  "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                                  NULL);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(entry->symptom));

  adw_expander_row_add_prefix (ADW_EXPANDER_ROW (row), mark);
  g_object_set_data (G_OBJECT (row), "cr-mark", mark);

  gtk_widget_set_margin_top (content, 12);
  gtk_widget_set_margin_bottom (content, 12);
  gtk_widget_set_margin_start (content, 12);
  gtk_widget_set_margin_end (content, 12);
  gtk_box_append (GTK_BOX (content), labelled_text_new (_("Likely cause"), _(entry->cause)));
  gtk_box_append (GTK_BOX (content), labelled_text_new (_("Fix"), _(entry->fix)));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), content);

  return row;
}

static void
set_marked (GtkWidget *row,
            gboolean   marked)
{
  GtkWidget *mark = g_object_get_data (G_OBJECT (row), "cr-mark");

  /* Every row has an icon, so the titles line up either way. */
  gtk_image_set_from_icon_name (GTK_IMAGE (mark),
                                marked ? "dialog-warning-symbolic" : "dialog-question-symbolic");
  gtk_widget_remove_css_class (mark, marked ? "dim-label" : "warning");
  gtk_widget_add_css_class (mark, marked ? "warning" : "dim-label");
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row),
                                 marked ? _("Matches a check that did not pass") : "");
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), marked);
  g_object_set_data (G_OBJECT (row), "cr-marked", GINT_TO_POINTER (marked));
}

void
cr_troubleshoot_view_highlight (CrTroubleshootView *self,
                                const char * const *ids)
{
  GHashTableIter iter;
  gpointer key, row;

  g_return_if_fail (CR_IS_TROUBLESHOOT_VIEW (self));

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, &key, &row))
    set_marked (row, ids != NULL && g_strv_contains (ids, key));
}

gboolean
cr_troubleshoot_view_is_highlighted (CrTroubleshootView *self,
                                     const char         *id)
{
  GtkWidget *row;

  g_return_val_if_fail (CR_IS_TROUBLESHOOT_VIEW (self), FALSE);

  row = id ? g_hash_table_lookup (self->rows, id) : NULL;
  return row != NULL && g_object_get_data (G_OBJECT (row), "cr-marked") != NULL;
}

void
cr_troubleshoot_view_focus_row (CrTroubleshootView *self,
                                const char         *id)
{
  GtkWidget *row;

  g_return_if_fail (CR_IS_TROUBLESHOOT_VIEW (self));

  row = id ? g_hash_table_lookup (self->rows, id) : NULL;
  if (row != NULL)
    gtk_widget_grab_focus (row);
}

static void
cr_troubleshoot_view_dispose (GObject *object)
{
  CrTroubleshootView *self = CR_TROUBLESHOOT_VIEW (object);

  g_clear_pointer (&self->rows, g_hash_table_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), CR_TYPE_TROUBLESHOOT_VIEW);

  G_OBJECT_CLASS (cr_troubleshoot_view_parent_class)->dispose (object);
}

static void
cr_troubleshoot_view_class_init (CrTroubleshootViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cr_troubleshoot_view_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/com/crazyrouter/SetupAssistant/cr-troubleshoot-view.ui");
  /* The group, not the template's top widget (a box, left unbound). */
  gtk_widget_class_bind_template_child (widget_class, CrTroubleshootView, group);
}

static void
cr_troubleshoot_view_init (CrTroubleshootView *self)
{
  const CrTroubleshootRow *entries;
  guint n_entries;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_hash_table_new (g_str_hash, g_str_equal);

  entries = cr_troubleshoot_rows (&n_entries);
  for (guint i = 0; i < n_entries; i++)
    {
      GtkWidget *row = row_new (&entries[i]);

      adw_preferences_group_add (self->group, row);
      g_hash_table_insert (self->rows, (gpointer) entries[i].id, row);
      set_marked (row, FALSE);
    }
}

GtkWidget *
cr_troubleshoot_view_new (void)
{
  return g_object_new (CR_TYPE_TROUBLESHOOT_VIEW, NULL);
}
