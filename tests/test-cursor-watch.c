/* test-cursor-watch.c: the watch for Cursor's own first request
 *
 * A full checklist run with Cursor set up as the guide says, against the
 * loopback gateway; then the entries Cursor's requests leave in the token's
 * logs arrive on a timer, as they would when the person sends a message in
 * Cursor's chat.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "cr-checklist.h"
#include "cr-report.h"
#include "cr-test-cursor.h"
#include "cr-test-gateway.h"

#define GOOD_CURSOR \
  "{'useOpenAIKey': true," \
  " 'openAIBaseUrl': 'https://crazyrouter.com/v1'," \
  " 'availableDefaultModels2': [{'name': 'gpt-5.4', 'defaultOn': false}]," \
  " 'aiSettings': {'modelOverrideEnabled': ['gpt-5.4'], 'modelOverrideDisabled': []," \
  "                'userAddedModels': []}}"

/* sk- and 48 characters, as real keys are. */
#define KEY "sk-demoCursorWatch000000000000000000000000000000000"

typedef struct {
  CrTestGateway *server;
  CrChecklist   *list;
  char          *home;
} Fixture;

typedef struct {
  gboolean  done;
  gboolean  ok;
  GError   *error;
} Result;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrGateway) gateway = NULL;
  g_autofree char *config = NULL;
  g_autofree char *db = NULL;

  cr_test_gateway_add_token_alias (KEY, CR_TEST_TOKEN_GOOD);
  f->server = cr_test_gateway_new (FALSE, 0, &error);
  g_assert_no_error (error);
  f->home = g_dir_make_tmp ("cr-watch-XXXXXX", &error);
  g_assert_no_error (error);
  config = g_build_filename (f->home, "Cursor", NULL);
  db = cr_test_cursor_make_profile (config, GOOD_CURSOR, CR_TEST_CURSOR_NEW_KEY_ROW);

  f->list = cr_checklist_new ();
  cr_checklist_set_cursor_enabled (f->list, TRUE);
  cr_checklist_set_cursor_location (f->list, config, (const char * const[]) { f->home, NULL });
  /* https://crazyrouter.com/v1 as far as the checks go, sent to loopback. */
  gateway = cr_gateway_new (cr_test_gateway_get_base_url (f->server), KEY);
  cr_checklist_set_gateway (f->list, gateway);
  cr_checklist_set_base_url (f->list, CR_DEFAULT_BASE_URL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_false (cr_checklist_get_watching (f->list));
  g_assert_finalize_object (f->list);
  g_clear_object (&f->server);
  cr_test_remove_tree (f->home);
  g_free (f->home);
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  Result *r = data;

  g_assert_false (r->done);
  if (g_task_get_source_tag (G_TASK (result)) == cr_checklist_run_async)
    r->ok = cr_checklist_run_finish (CR_CHECKLIST (source), result, &r->error);
  else
    r->ok = cr_checklist_watch_cursor_finish (CR_CHECKLIST (source), result, &r->error);
  r->done = TRUE;
}

static gboolean
on_timeout (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
iterate_for (guint ms)
{
  gboolean over = FALSE;

  g_timeout_add (ms, on_timeout, &over);
  while (!over)
    g_main_context_iteration (NULL, TRUE);
}

static void
wait_for (gboolean *flag,
          guint     seconds)
{
  gboolean over = FALSE;
  guint id = g_timeout_add_seconds (seconds, on_timeout, &over);

  while (!*flag && !over)
    g_main_context_iteration (NULL, TRUE);
  if (!over)
    g_source_remove (id);
  g_assert_true (*flag);
}

static void
run (Fixture *f)
{
  Result r = { 0, };

  cr_checklist_run_async (f->list, NULL, on_done, &r);
  wait_for (&r.done, 60);
  g_assert_no_error (r.error);
}

static CrCheckItem *
chat_item (Fixture *f)
{
  return cr_checklist_lookup (f->list, CR_CHECK_CURSOR_CHAT);
}

static void
assert_contains (const char *text,
                 const char *part)
{
  if (text == NULL || strstr (text, part) == NULL)
    g_error ("“%s” does not contain “%s”", text, part);
}

/* Cursor's message arrives a moment after the watch starts: it is seen at
 * the next look, with what it was and what it cost. */
static void
test_watch_sees_cursor (Fixture       *f,
                        gconstpointer  data)
{
  Result watch = { 0, };
  CrCheckItem *item = chat_item (f);
  const char *detail;

  run (f);
  g_assert_cmpint (cr_check_item_get_status (item), ==, CR_CHECK_NEEDS_YOU);
  g_assert_cmpuint (cr_test_gateway_get_critical_count (f->server), ==, 2);

  cr_test_gateway_add_log_later (f->server, KEY, 200, CR_TEST_LOG_CURSOR_CHAT, "gpt-5.4");
  cr_checklist_watch_cursor_async (f->list, 120, NULL, on_done, &watch);
  g_assert_true (cr_checklist_get_watching (f->list));
  g_assert_cmpint (cr_check_item_get_status (item), ==, CR_CHECK_RUNNING);
  assert_contains (cr_check_item_get_detail (item), "Send one message in Cursor’s chat with gpt-5.4");
  assert_contains (cr_check_item_get_detail (item), "2 minutes left");

  /* Nothing is read before the person had a moment. */
  iterate_for (500);
  g_assert_cmpuint (cr_test_gateway_get_critical_count (f->server), ==, 2);
  g_assert_false (watch.done);

  /* "Check Now" looks at once. */
  cr_checklist_watch_cursor_now (f->list);
  wait_for (&watch.done, 10);
  g_assert_no_error (watch.error);
  g_assert_false (cr_checklist_get_watching (f->list));
  g_assert_cmpint (cr_check_item_get_status (item), ==, CR_CHECK_PASSED);
  detail = cr_check_item_get_detail (item);
  assert_contains (detail, "gpt-5.4");
  assert_contains (detail, "streamed");
  assert_contains (detail, "2350 prompt and 180 completion tokens");
  assert_contains (detail, "$0.0122");
  assert_contains (detail, "just now");
  /* One read of the logs for the whole watch. */
  g_assert_cmpuint (cr_test_gateway_get_critical_count (f->server), ==, 3);
}

/* The error Cursor's request met is the failure, with its cause and fix;
 * Cursor 3.x's refused format is named as Cursor's bug. */
static void
test_watch_sees_error (Fixture       *f,
                       gconstpointer  data)
{
  Result watch = { 0, };
  CrCheckItem *item = chat_item (f);

  run (f);
  cr_test_gateway_add_log_later (f->server, KEY, 100, CR_TEST_LOG_CURSOR_SHAPE_ERROR, "gpt-5.4");
  cr_checklist_watch_cursor_async (f->list, 60, NULL, on_done, &watch);
  iterate_for (300);
  cr_checklist_watch_cursor_now (f->list);
  wait_for (&watch.done, 10);

  g_assert_cmpint (cr_check_item_get_status (item), ==, CR_CHECK_FAILED);
  assert_contains (cr_check_item_get_detail (item), "field messages is required");
  assert_contains (cr_check_item_get_detail (item), "known Cursor bug");
  g_assert_false (cr_checklist_get_ok (f->list));
  g_clear_error (&watch.error);
}

/* Nothing arrives: "needs you", with what to do, when the time is up. */
static void
test_watch_nothing (Fixture       *f,
                    gconstpointer  data)
{
  Result watch = { 0, };
  CrCheckItem *item = chat_item (f);

  run (f);
  g_assert_cmpuint (cr_test_gateway_get_critical_count (f->server), ==, 2);
  cr_checklist_watch_cursor_async (f->list, 2, NULL, on_done, &watch);
  wait_for (&watch.done, 10);
  g_assert_no_error (watch.error);

  g_assert_cmpint (cr_check_item_get_status (item), ==, CR_CHECK_NEEDS_YOU);
  assert_contains (cr_check_item_get_detail (item), "No request from Cursor reached Crazyrouter in 1 minute");
  assert_contains (cr_check_item_get_fix (item), "check again");
  /* A last look when the time was up, and no more. */
  g_assert_cmpuint (cr_test_gateway_get_critical_count (f->server), ==, 3);
  g_assert_true (cr_checklist_get_ok (f->list));
}

/* The gateway's limit of 20 reads in 20 minutes: a 429 (empty body, no
 * Retry-After) says "wait", never that the setup is wrong. */
static void
test_watch_rate_limited (Fixture       *f,
                         gconstpointer  data)
{
  Result watch = { 0, };
  CrCheckItem *item = chat_item (f);

  run (f);
  /* Someone else on this address used up the rest. */
  cr_test_gateway_set_critical_limit (f->server, 2, FALSE);
  cr_checklist_watch_cursor_async (f->list, 60, NULL, on_done, &watch);
  cr_checklist_watch_cursor_now (f->list);
  wait_for (&watch.done, 10);

  g_assert_cmpint (cr_check_item_get_status (item), ==, CR_CHECK_NEEDS_YOU);
  assert_contains (cr_check_item_get_detail (item), "20 times in 20 minutes");
  assert_contains (cr_check_item_get_fix (item), "minutes");
  g_assert_true (cr_checklist_get_ok (f->list));
}

/* The watch keeps its own count and stops before the gateway's limit. */
static void
test_watch_budget (Fixture       *f,
                   gconstpointer  data)
{
  Result watch = { 0, };
  CrCheckItem *item = chat_item (f);

  run (f);
  cr_checklist_watch_cursor_async (f->list, 600, NULL, on_done, &watch);
  while (!watch.done)
    {
      guint before = cr_test_gateway_get_critical_count (f->server);

      cr_checklist_watch_cursor_now (f->list);
      while (!watch.done && cr_test_gateway_get_critical_count (f->server) == before)
        g_main_context_iteration (NULL, TRUE);
      iterate_for (20);
    }

  g_assert_cmpuint (cr_test_gateway_get_critical_count (f->server), <, 20);
  g_assert_cmpint (cr_check_item_get_status (item), ==, CR_CHECK_NEEDS_YOU);
  assert_contains (cr_check_item_get_detail (item), "20 times in 20 minutes");
}

/* Cancel ends the watch at once, between two looks. */
static void
test_watch_cancel (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Result watch = { 0, };

  run (f);
  cr_checklist_watch_cursor_async (f->list, 60, cancellable, on_done, &watch);
  iterate_for (100);
  g_cancellable_cancel (cancellable);
  wait_for (&watch.done, 2);
  g_assert_error (watch.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (cr_check_item_get_status (chat_item (f)), ==, CR_CHECK_NEEDS_YOU);
  g_clear_error (&watch.error);
}

/* A new run ends the last one's watch; without a run there is none. */
static void
test_watch_new_run (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(CrChecklist) fresh = cr_checklist_new ();
  Result early = { 0, };
  Result watch = { 0, };

  cr_checklist_set_cursor_enabled (fresh, TRUE);
  cr_checklist_watch_cursor_async (fresh, 60, NULL, on_done, &early);
  wait_for (&early.done, 2);
  g_assert_error (early.error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED);
  g_clear_error (&early.error);

  run (f);
  cr_checklist_watch_cursor_async (f->list, 60, NULL, on_done, &watch);
  run (f);
  wait_for (&watch.done, 2);
  g_assert_error (watch.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (cr_checklist_get_watching (f->list));
  g_clear_error (&watch.error);
}

/* Another run (another process: the window, then --check) sees this run's
 * test requests in the logs without knowing it sent them; they are still
 * never taken for Cursor's. */
static void
test_earlier_run_not_cursor (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(CrGateway) other = cr_gateway_new (cr_test_gateway_get_base_url (f->server), KEY);

  run (f);
  cr_checklist_set_gateway (f->list, other);
  run (f);
  g_assert_cmpint (cr_check_item_get_status (chat_item (f)), ==, CR_CHECK_NEEDS_YOU);
  g_assert_cmpuint (cr_test_gateway_count_responses_bodies (f->server), ==, 2);
}

/* Cursor's message came while the checks ran: the run's own look sees it,
 * and the watch has nothing left to do. */
static void
test_run_sees_cursor (Fixture       *f,
                      gconstpointer  data)
{
  Result watch = { 0, };
  guint reads;

  cr_test_gateway_add_log_later (f->server, KEY, 0, CR_TEST_LOG_CURSOR_CHAT, "gpt-5.4");
  iterate_for (50);
  run (f);
  g_assert_cmpint (cr_check_item_get_status (chat_item (f)), ==, CR_CHECK_PASSED);

  reads = cr_test_gateway_get_critical_count (f->server);
  cr_checklist_watch_cursor_async (f->list, 60, NULL, on_done, &watch);
  wait_for (&watch.done, 2);
  g_assert_no_error (watch.error);
  g_assert_cmpuint (cr_test_gateway_get_critical_count (f->server), ==, reads);
}

/* The diagnostic report: what support needs, and never a secret. */
static void
test_report (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *report = NULL;
  g_autofree char *with_secrets = g_strconcat ("https://me:hunter2@crazyrouter.com/v1?key=", KEY, NULL);

  run (f);
  report = cr_report_build (f->list, with_secrets, "gpt-5.4", "GTK 4.8.3");
  g_test_message ("%s", report);
  assert_contains (report, "diagnostic report");
  assert_contains (report, "GTK 4.8.3");
  assert_contains (report, "crazyrouter.com/v1");
  assert_contains (report, "[passed] key: The key is accepted");
  assert_contains (report, "[warning] cursor-request-shape:");
  assert_contains (report, "[needs-you] cursor-chat:");
  assert_contains (report, "POST /v1/chat/completions");
  assert_contains (report, "Authorization: [hidden]");
  g_assert_null (strstr (report, KEY));
  g_assert_null (strstr (report, "hunter2"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/cursor-watch/sees-cursor", test_watch_sees_cursor);
  ADD ("/cursor-watch/sees-error", test_watch_sees_error);
  ADD ("/cursor-watch/nothing", test_watch_nothing);
  ADD ("/cursor-watch/rate-limited", test_watch_rate_limited);
  ADD ("/cursor-watch/budget", test_watch_budget);
  ADD ("/cursor-watch/cancel", test_watch_cancel);
  ADD ("/cursor-watch/new-run", test_watch_new_run);
  ADD ("/cursor-watch/run-sees-cursor", test_run_sees_cursor);
  ADD ("/cursor-watch/earlier-run-not-cursor", test_earlier_run_not_cursor);
  ADD ("/cursor-watch/report", test_report);

  return g_test_run ();
}
