/* cr-test-ui.h: small helpers for the UI tests (real windows under Xvfb)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Lets the main loop run for @ms: layout, frames, I/O. */
void      cr_test_ui_settle     (guint        ms);

gboolean  cr_test_ui_timeout_cb (gpointer     flag);

/* Iterates the main context until @cond holds; fails the test after 20 s. */
#define cr_test_ui_wait_until(cond) G_STMT_START {                         \
    gboolean timed_out_ = FALSE;                                           \
    guint id_ = g_timeout_add_seconds (20, cr_test_ui_timeout_cb, &timed_out_); \
    while (!(cond) && !timed_out_)                                         \
      g_main_context_iteration (NULL, TRUE);                               \
    if (timed_out_)                                                        \
      g_error ("Timed out waiting for %s", #cond);                         \
    g_source_remove (id_);                                                 \
  } G_STMT_END

/* A template child of @widget (declared in @type's template); never NULL. */
gpointer  cr_test_ui_child      (gpointer     widget,
                                 GType        type,
                                 const char  *name);

/* Renders @widget as it looks now (a GtkWidgetPaintable snapshot drawn by
 * its window's GskRenderer into a texture) to
 * $CR_TEST_BUILDDIR/screenshots/@file_name, and returns that path. */
char     *cr_test_ui_save_png   (GtkWidget   *widget,
                                 const char  *file_name);

G_END_DECLS
