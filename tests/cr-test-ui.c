/* cr-test-ui.c: small helpers for the UI tests (real windows under Xvfb)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "cr-test-ui.h"

#include <adwaita.h>

gboolean
cr_test_ui_timeout_cb (gpointer flag)
{
  *(gboolean *) flag = TRUE;
  return G_SOURCE_REMOVE;
}

double
cr_test_ui_time_scale (void)
{
  static double scale = 0;

  if (scale == 0)
    {
      const char *value = g_getenv ("CR_TEST_TIME_SCALE");
      double parsed = value != NULL ? g_ascii_strtod (value, NULL) : 1;

      scale = parsed >= 1 && parsed <= 100 ? parsed : 1;
    }
  return scale;
}

void
cr_test_ui_settle (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, cr_test_ui_timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* The first widget under @widget that a GtkBuilder file named @id. */
static GtkWidget *
find_built (GtkWidget  *widget,
            const char *id)
{
  if (g_strcmp0 (gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget)), id) == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_built (c, id);

      if (found != NULL)
        return found;
    }
  return NULL;
}

gpointer
cr_test_ui_child (gpointer    widget,
                  GType       type,
                  const char *name)
{
  gpointer object = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  if (object == NULL)
    object = find_built (GTK_WIDGET (widget), name);

  g_assert_nonnull (object);
  return object;
}

static void
collect_shown_text (GtkWidget *widget,
                    GString   *text)
{
  if (!gtk_widget_get_visible (widget))
    return;
  if (GTK_IS_LABEL (widget))
    g_string_append_printf (text, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    collect_shown_text (c, text);
}

char *
cr_test_ui_shown_text (gpointer widget)
{
  GString *text = g_string_new (NULL);

  collect_shown_text (GTK_WIDGET (widget), text);
  return g_string_free (text, FALSE);
}

GLogWriterOutput
cr_test_ui_log_to_string (GLogLevelFlags   level,
                          const GLogField *fields,
                          gsize            n_fields,
                          gpointer         logged)
{
  g_autofree char *line = g_log_writer_format_fields (level, fields, n_fields, FALSE);

  g_string_append_printf (logged, "%s\n", line);
  if (level & (G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO))
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (level, fields, n_fields, NULL);
}

void
cr_test_ui_save_shot (GtkWidget  *widget,
                      const char *prefix,
                      const char *name)
{
  g_autoptr(GdkTexture) texture = cr_test_ui_render (widget);
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  g_autofree char *file = g_strdup_printf ("%s-%s-%d%s.png", prefix, name, gdk_texture_get_width (texture),
                                           dark ? "-dark" : "");

  g_free (cr_test_ui_save_texture (texture, file));
}

GtkApplication *
cr_test_ui_new_app (const char *app_id)
{
  g_autoptr(GError) error = NULL;
  GtkApplication *app;

  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  app = GTK_APPLICATION (adw_application_new (app_id, G_APPLICATION_NON_UNIQUE));
  g_application_set_resource_base_path (G_APPLICATION (app), "/com/crazyrouter/SetupAssistant");
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  return app;
}

CrWindow *
cr_test_ui_open_window (gpointer      app,
                        CrSetupState *state,
                        int           width,
                        int           height)
{
  CrWindow *window = cr_window_new (GTK_APPLICATION (app), state);

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  cr_test_ui_wait_until (gtk_widget_get_mapped (GTK_WIDGET (window)));
  return window;
}

void
cr_test_ui_close_window (CrWindow     *window,
                         CrSetupState *state)
{
  if (window != NULL)
    gtk_window_destroy (GTK_WINDOW (window));
  cr_test_ui_settle (50);
  if (state != NULL)
    g_assert_finalize_object (state);
}

const char *
cr_test_ui_page_id (CrWindow *window)
{
  return cr_page_get_id (cr_window_get_page (window));
}

void
cr_test_ui_activate (CrWindow   *window,
                     const char *action)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), action, NULL));
}

gboolean
cr_test_ui_next_enabled (CrWindow *window)
{
  GtkWidget *next = cr_test_ui_child (window, CR_TYPE_WINDOW, "next_button");

  return gtk_widget_get_sensitive (next) && gtk_widget_get_visible (next);
}

void
cr_test_ui_click (gpointer button)
{
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_true (gtk_widget_get_mapped (button));
  g_signal_emit_by_name (button, "clicked");
}

GdkTexture *
cr_test_ui_render (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  int width = 0, height = 0;

  /* Until the widget has drawn itself at its current size, there is
   * nothing to snapshot yet. */
  for (guint tries = 0; node == NULL && tries < 50; tries++)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();

      cr_test_ui_settle (100);
      width = gtk_widget_get_width (widget);
      height = gtk_widget_get_height (widget);
      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (snapshot);
    }
  g_assert_nonnull (node);
  return gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                      node, &GRAPHENE_RECT_INIT (0, 0, width, height));
}

char *
cr_test_ui_save_texture (GdkTexture *texture,
                         const char *file_name)
{
  g_autofree char *dir = g_build_filename (g_getenv ("CR_TEST_BUILDDIR"), "screenshots", NULL);
  char *path;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  path = g_build_filename (dir, file_name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Saved %s", path);
  return path;
}

char *
cr_test_ui_save_png (GtkWidget  *widget,
                     const char *file_name)
{
  g_autoptr(GdkTexture) texture = cr_test_ui_render (widget);

  return cr_test_ui_save_texture (texture, file_name);
}
