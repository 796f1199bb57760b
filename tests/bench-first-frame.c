/* bench-first-frame.c: preloaded by bench-startup into the program it times
 *
 * Prints "first-frame <CLOCK_MONOTONIC µs>" when any GdkFrameClock first
 * finishes painting, then quits the program's GApplication. The app and the
 * bare window are measured by the same code, and the app carries no hook of
 * its own for the benchmark.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>

#include <gtk/gtk.h>

static gboolean
after_paint_hook (GSignalInvocationHint *hint,
                  guint                  n_values,
                  const GValue          *values,
                  gpointer               user_data)
{
  GApplication *app = g_application_get_default ();

  g_print ("first-frame %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  fflush (stdout);
  if (app != NULL)
    g_application_quit (app);
  else
    exit (0);
  return FALSE;  /* once */
}

__attribute__((constructor)) static void
bench_first_frame_init (void)
{
  /* Signals exist once their class does; the class lives as long as GDK. */
  g_type_class_ref (GDK_TYPE_FRAME_CLOCK);
  g_signal_add_emission_hook (g_signal_lookup ("after-paint", GDK_TYPE_FRAME_CLOCK), 0,
                              after_paint_hook, NULL, NULL);
}
