/* bench-startup.c: time to the first frame and peak memory, beside a bare window
 *
 * Starts the real app (CR_APP_BINARY) and a bare AdwApplicationWindow (this
 * program with --bare) in turn, each with bench-first-frame's library
 * preloaded (its path is the one argument): it prints the CLOCK_MONOTONIC
 * time of the first painted frame and quits. Prints the medians and the
 * ratios to the bare window (targets: 1.25x for time, 1.15x for memory).
 *
 * The floor is a bare window of the app's own default size: painting a
 * 720 x 720 surface costs the same whatever is in it, and an empty window
 * left to its natural size is a few pixels wide. That tiny window is
 * measured and printed too, so the difference stays visible.
 * A benchmark: it reports, it never fails on the figures.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <adwaita.h>
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define RUNS 21

extern char **environ;

/* ---- the floor: a bare window ---- */

/* src/ui/cr-window.ui's default-width and default-height. */
#define APP_WIDTH  720
#define APP_HEIGHT 720

static gboolean bare_sized;

static void
bare_activate_cb (GApplication *app)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (app));

  if (bare_sized)
    gtk_window_set_default_size (GTK_WINDOW (window), APP_WIDTH, APP_HEIGHT);

  gtk_window_present (GTK_WINDOW (window));
}

static int
run_bare (void)
{
  g_autoptr(AdwApplication) app = adw_application_new ("com.crazyrouter.SetupAssistant.BenchBare",
                                                       G_APPLICATION_NON_UNIQUE);

  g_signal_connect (app, "activate", G_CALLBACK (bare_activate_cb), NULL);
  return g_application_run (G_APPLICATION (app), 0, NULL);
}

/* ---- the driver ---- */

typedef struct
{
  double ms;
  double rss_mb;
} Sample;

static gboolean
run_once (const char *program,
          const char *arg,
          Sample     *sample)
{
  char *argv[] = { (char *) program, (char *) arg, NULL };
  posix_spawn_file_actions_t actions;
  struct rusage usage;
  char line[128] = "";
  gint64 start, painted = 0;
  FILE *out;
  int fds[2], status;
  pid_t pid;

  if (pipe (fds) != 0)
    return FALSE;
  posix_spawn_file_actions_init (&actions);
  posix_spawn_file_actions_adddup2 (&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose (&actions, fds[0]);

  start = g_get_monotonic_time ();
  if (posix_spawn (&pid, program, &actions, NULL, argv, environ) != 0)
    {
      g_printerr ("Cannot start %s: %s\n", program, g_strerror (errno));
      return FALSE;
    }
  posix_spawn_file_actions_destroy (&actions);
  close (fds[1]);

  out = fdopen (fds[0], "r");
  while (fgets (line, sizeof line, out) != NULL)
    if (sscanf (line, "first-frame %" G_GINT64_FORMAT, &painted) == 1)
      break;
  fclose (out);

  if (wait4 (pid, &status, 0, &usage) != pid || painted == 0)
    {
      g_printerr ("%s did not report a first frame\n", program);
      return FALSE;
    }

  sample->ms = (painted - start) / 1000.0;
  sample->rss_mb = usage.ru_maxrss / 1024.0;  /* Linux: kilobytes */
  return TRUE;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof *values, (int (*) (const void *, const void *)) compare_doubles);
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

int
main (int   argc,
      char *argv[])
{
  const char *app = g_getenv ("CR_APP_BINARY");
  g_autofree char *self = NULL;
  double app_ms[RUNS], app_rss[RUNS], bare_ms[RUNS], bare_rss[RUNS], tiny_ms[RUNS], tiny_rss[RUNS];
  double ms, rss, floor_ms, floor_rss;

  if (argc == 2 && g_str_equal (argv[1], "--bare"))
    return run_bare ();
  if (argc == 2 && g_str_equal (argv[1], "--bare-sized"))
    {
      bare_sized = TRUE;
      return run_bare ();
    }

  if (app == NULL || argc != 2)
    {
      g_printerr ("Usage: CR_APP_BINARY=crazyrouter-setup %s PATH/TO/libbench-first-frame.so\n", argv[0]);
      return 1;
    }
  self = g_file_read_link ("/proc/self/exe", NULL);
  /* For the programs started from here, not for this one. */
  g_setenv ("LD_PRELOAD", argv[1], TRUE);

  /* One of each first, unmeasured: the disk cache, fontconfig's cache. */
  {
    Sample warm;

    if (!run_once (app, NULL, &warm) || !run_once (self, "--bare-sized", &warm) ||
        !run_once (self, "--bare", &warm))
      return 1;
  }

  /* In turn, so that whatever else the machine does hits all alike. */
  for (guint i = 0; i < RUNS; i++)
    {
      Sample a, b, c;

      if (!run_once (app, NULL, &a) || !run_once (self, "--bare-sized", &b) ||
          !run_once (self, "--bare", &c))
        return 1;
      app_ms[i] = a.ms;
      app_rss[i] = a.rss_mb;
      bare_ms[i] = b.ms;
      bare_rss[i] = b.rss_mb;
      tiny_ms[i] = c.ms;
      tiny_rss[i] = c.rss_mb;
    }

  ms = median (app_ms, RUNS);
  rss = median (app_rss, RUNS);
  floor_ms = median (bare_ms, RUNS);
  floor_rss = median (bare_rss, RUNS);

  g_print ("Startup to the first frame (median of %d runs, GSK_RENDERER=%s, GDK_DEBUG=%s):\n",
           RUNS, g_getenv ("GSK_RENDERER") ? g_getenv ("GSK_RENDERER") : "default",
           g_getenv ("GDK_DEBUG") ? g_getenv ("GDK_DEBUG") : "none");
  g_print ("  crazyrouter-setup            %7.1f ms   peak RSS %6.1f MB\n", ms, rss);
  g_print ("  bare window, %d x %d      %7.1f ms   peak RSS %6.1f MB\n",
           APP_WIDTH, APP_HEIGHT, floor_ms, floor_rss);
  g_print ("  bare window, natural size    %7.1f ms   peak RSS %6.1f MB\n",
           median (tiny_ms, RUNS), median (tiny_rss, RUNS));
  g_print ("  ratio to the %d x %d floor  %7.2fx (target <= 1.25x)   RSS %5.2fx (target <= 1.15x)\n",
           APP_WIDTH, APP_HEIGHT, ms / floor_ms, rss / floor_rss);
  return 0;
}
