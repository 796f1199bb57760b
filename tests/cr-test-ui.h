/* cr-test-ui.h: small helpers for the UI tests (real windows under Xvfb)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "cr-window.h"

G_BEGIN_DECLS

/* Lets the main loop run for @ms: layout, frames, I/O. */
void        cr_test_ui_settle       (guint         ms);

gboolean    cr_test_ui_timeout_cb   (gpointer      flag);

/* How many times slower than a plain build this run may be:
 * $CR_TEST_TIME_SCALE (tests/run-sanitized.sh sets it), else 1. Every
 * wall-clock limit a test asserts is multiplied by it, so a sanitizer
 * build fails on hangs, not on its own slowness. */
double      cr_test_ui_time_scale   (void);

/* @usec (a limit in microseconds) for this run. */
#define CR_TEST_UI_USEC(usec) ((gint64) ((usec) * cr_test_ui_time_scale ()))

/* Iterates the main context until @cond holds; fails the test after
 * @seconds (scaled as above). */
#define CR_TEST_UI_WAIT_UNTIL(cond, seconds) G_STMT_START {                \
    gboolean timed_out_ = FALSE;                                           \
    guint id_ = g_timeout_add_seconds ((guint) ((seconds) *                \
                                                cr_test_ui_time_scale ()), \
                                       cr_test_ui_timeout_cb,              \
                                       &timed_out_);                       \
    while (!(cond) && !timed_out_)                                         \
      g_main_context_iteration (NULL, TRUE);                               \
    if (timed_out_)                                                        \
      g_error ("Timed out waiting for %s", #cond);                         \
    g_source_remove (id_);                                                 \
  } G_STMT_END

/* The same, failing after 20 s. */
#define cr_test_ui_wait_until(cond) CR_TEST_UI_WAIT_UNTIL (cond, 20)

/* A template child of @widget (bound by @type), or else a widget under
 * @widget that a .ui file gave the id @name (like the window's menu button,
 * which the code never needs); never NULL. */
gpointer    cr_test_ui_child        (gpointer      widget,
                                     GType         type,
                                     const char   *name);

/* The text of every visible label under @widget, a line each, in order. */
char       *cr_test_ui_shown_text   (gpointer      widget);

/* @widget as it looks now: a GtkWidgetPaintable snapshot drawn by its
 * window's GskRenderer into a texture of the widget's size. */
GdkTexture *cr_test_ui_render       (GtkWidget    *widget);

/* Saves @texture to $CR_TEST_BUILDDIR/screenshots/@file_name and returns
 * that path. */
char       *cr_test_ui_save_texture (GdkTexture   *texture,
                                     const char   *file_name);

/* Both: renders @widget to $CR_TEST_BUILDDIR/screenshots/@file_name, and
 * returns that path. */
char       *cr_test_ui_save_png     (GtkWidget    *widget,
                                     const char   *file_name);

/* A GLogWriterFunc that also appends each message to the GString
 * @logged: debug and info messages stop there, the rest go on to the
 * default writer. */
GLogWriterOutput cr_test_ui_log_to_string (GLogLevelFlags   level,
                                           const GLogField *fields,
                                           gsize            n_fields,
                                           gpointer         logged);

/* Renders @widget to screenshots/@prefix-@name-<width>[-dark].png (as
 * above), for a reviewer to compare each step wide, narrow and dark. */
void        cr_test_ui_save_shot    (GtkWidget    *widget,
                                     const char   *prefix,
                                     const char   *name);

/* After gtk_test_init(): libadwaita, no animations, and a registered
 * AdwApplication @app_id that loads the app's style sheet (it comes with
 * the resource base path). */
GtkApplication *cr_test_ui_new_app  (const char   *app_id);

/* Presents a new window of @app for @state at @width × @height and waits
 * until it is mapped. */
CrWindow   *cr_test_ui_open_window  (gpointer      app,
                                     CrSetupState *state,
                                     int           width,
                                     int           height);

/* Destroys @window (if any) and asserts that @state (if any) is freed
 * with it: nothing else may hold the state after the window has gone. */
void        cr_test_ui_close_window (CrWindow     *window,
                                     CrSetupState *state);

/* The id of @window's visible step. */
const char *cr_test_ui_page_id      (CrWindow     *window);

/* Runs @action (e.g. "assistant.next") on @window; it must exist. */
void        cr_test_ui_activate     (CrWindow     *window,
                                     const char   *action);

/* Whether @window's Next button is shown and can be pressed. */
gboolean    cr_test_ui_next_enabled (CrWindow     *window);

/* Clicks @button as a person would: it must be sensitive and on screen. */
void        cr_test_ui_click        (gpointer      button);

G_END_DECLS
