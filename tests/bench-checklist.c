/* bench-checklist.c: how long a checklist run takes against its critical path
 *
 * With every answer delayed by LATENCY_MS, a run that sends what is
 * independent at once (models ∥ usage ∥ Cursor's settings → chat ∥ Cursor's
 * Verify → logs) takes about three round trips; one request after another
 * would take one per request. This prints both for comparison. It fails only
 * when a run itself goes wrong, never on timing: a loaded machine is not a
 * bug. The Cursor section is on, with a fixture Cursor profile set up as the
 * guide says, so Verify's preflight goes out beside the chat.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <stdlib.h>

#include "cr-checklist.h"
#include "cr-test-cursor.h"
#include "cr-test-gateway.h"

#define RUNS         5
#define LATENCY_MS   200
#define ROUND_TRIPS  3      /* models ∥ usage → chat ∥ Verify → logs */
#define TARGET_RATIO 1.10

typedef struct {
  gboolean  done;
  gboolean  ok;
  GError   *error;
} RunResult;

static void
on_run_done (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  RunResult *r = data;

  r->ok = cr_checklist_run_finish (CR_CHECKLIST (source), result, &r->error);
  r->done = TRUE;
}

static gboolean
on_deadline (gpointer data)
{
  *(gboolean *) data = TRUE;

  return G_SOURCE_REMOVE;
}

/* One full run; returns its wall time in ms, or -1 when it went wrong. */
static double
time_one_run (CrTestGateway *server,
              const char    *cursor_config)
{
  g_autoptr(CrChecklist) list = cr_checklist_new ();
  RunResult r = { 0, };
  gboolean timed_out = FALSE;
  guint deadline;
  gint64 start;
  double elapsed;

  cr_checklist_set_base_url (list, cr_test_gateway_get_base_url (server));
  cr_checklist_set_key (list, CR_TEST_TOKEN_GOOD);
  cr_checklist_set_cursor_enabled (list, TRUE);
  cr_checklist_set_cursor_location (list, cursor_config, (const char * const[]) { NULL });

  deadline = g_timeout_add_seconds (30, on_deadline, &timed_out);
  start = g_get_monotonic_time ();
  cr_checklist_run_async (list, NULL, on_run_done, &r);
  while (!r.done && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  elapsed = (g_get_monotonic_time () - start) / 1000.0;
  if (!timed_out)
    g_source_remove (deadline);

  if (!r.done || !r.ok || !cr_checklist_get_ok (list)
      || cr_checklist_count_in_section (list, CR_CHECK_SECTION_GATEWAY, CR_CHECK_PASSED) < 5
      || cr_check_item_get_status (cr_checklist_lookup (list, CR_CHECK_CURSOR_VERIFY)) != CR_CHECK_PASSED)
    {
      g_printerr ("run went wrong: %s\n",
                  r.error != NULL ? r.error->message : timed_out ? "timed out" : "an item did not pass");
      g_clear_error (&r.error);
      return -1;
    }

  return elapsed;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrTestGateway) server = NULL;
  g_autofree char *home = NULL;
  g_autofree char *config = NULL;
  g_autofree char *settings = NULL;
  double times[RUNS];
  double critical = ROUND_TRIPS * LATENCY_MS;
  double median;
  double serial;
  guint requests;

  /* g_print() writes in the locale's charset: "×" stays "×" in UTF-8. */
  setlocale (LC_ALL, "");

  /* Loopback only: no system proxy may come between us and the test
   * gateway (and GNOME's proxy module needs schemas the tests do not have). */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  server = cr_test_gateway_new (FALSE, 0, &error);
  if (server == NULL)
    {
      g_printerr ("cannot start the test gateway: %s\n", error->message);
      return EXIT_FAILURE;
    }
  cr_test_gateway_set_latency (server, LATENCY_MS);

  home = g_dir_make_tmp ("cr-bench-XXXXXX", &error);
  if (home == NULL)
    {
      g_printerr ("cannot make a folder for the Cursor fixture: %s\n", error->message);
      return EXIT_FAILURE;
    }
  config = g_build_filename (home, "Cursor", NULL);
  settings = g_strdup_printf ("{'useOpenAIKey': true, 'openAIBaseUrl': '%s',"
                              " 'aiSettings': {'modelOverrideEnabled': ['claude-sonnet-4-6', 'gpt-5.4']}}",
                              cr_test_gateway_get_base_url (server));
  g_free (cr_test_cursor_make_profile (config, settings, CR_TEST_CURSOR_NEW_KEY_ROW));

  g_print ("checklist against the loopback gateway, %u ms per answer, %u runs\n",
           LATENCY_MS, RUNS);
  for (guint i = 0; i < RUNS; i++)
    {
      times[i] = time_one_run (server, config);
      if (times[i] < 0)
        {
          cr_test_remove_tree (home);
          return EXIT_FAILURE;
        }
      g_print ("  run %u: %6.0f ms\n", i + 1, times[i]);
    }

  requests = cr_test_gateway_get_request_count (server) / RUNS;
  serial = (double) requests * LATENCY_MS;
  qsort (times, RUNS, sizeof (double), compare_doubles);
  median = times[RUNS / 2];

  g_print ("critical path:    %u round trips × %u ms = %6.0f ms\n", ROUND_TRIPS, LATENCY_MS, critical);
  g_print ("wall time:        median %6.0f ms, best %.0f ms, worst %.0f ms\n",
           median, times[0], times[RUNS - 1]);
  g_print ("ratio:            %.2fx the critical path (target ≤ %.2fx)%s\n",
           median / critical, TARGET_RATIO, median / critical <= TARGET_RATIO ? "" : "  ← above target");
  g_print ("one at a time:    %u requests × %u ms = %6.0f ms (%.2fx the critical path)\n",
           requests, LATENCY_MS, serial, serial / critical);
  g_print ("most in flight:   %u\n", cr_test_gateway_get_max_in_flight (server));

  cr_test_remove_tree (home);

  return EXIT_SUCCESS;
}
