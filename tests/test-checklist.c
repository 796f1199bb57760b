/* test-checklist.c: the checklist model and its runner, against the loopback gateway
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "cr-checklist.h"
#include "cr-cursor-checks.h"
#include "cr-test-cursor.h"
#include "cr-test-gateway.h"

#define PATH_MODELS "/v1/models"
#define PATH_USAGE  "/api/usage/token/"
#define PATH_CHAT   "/v1/chat/completions"
#define PATH_LOGS   "/api/log/token"

/* The gateway section (issue 2's seven), then the Cursor section. */
static const char * const expected_ids[] = {
  CR_CHECK_KEY, CR_CHECK_BASE_URL, CR_CHECK_MODEL, CR_CHECK_CHAT,
  CR_CHECK_LOGS, CR_CHECK_QUOTA, CR_CHECK_TAB_COMPLETION,
  CR_CHECK_CURSOR_KEY, CR_CHECK_CURSOR_BASE_URL, CR_CHECK_CURSOR_MODEL, CR_CHECK_CURSOR_VERIFY,
  CR_CHECK_CURSOR_SHAPE, CR_CHECK_CURSOR_CHAT,
};
#define N_GATEWAY_IDS 7

static const char * const cursor_ids[] = {
  CR_CHECK_CURSOR_KEY, CR_CHECK_CURSOR_BASE_URL, CR_CHECK_CURSOR_MODEL,
};

/* Cursor set up as the guide says, with an OpenAI key row. */
#define GOOD_CURSOR \
  "{'useOpenAIKey': true," \
  " 'openAIBaseUrl': 'https://crazyrouter.com/v1'," \
  " 'availableDefaultModels2': [{'name': 'gpt-5.4', 'defaultOn': false}," \
  "                             {'name': 'cursor-small', 'defaultOn': true}]," \
  " 'aiSettings': {'modelOverrideEnabled': ['gpt-5.4'], 'modelOverrideDisabled': []," \
  "                'userAddedModels': []}}"

/* Items a base URL or key problem leaves unchecked. */
static const char * const remote_ids[] = {
  CR_CHECK_MODEL, CR_CHECK_CHAT, CR_CHECK_LOGS, CR_CHECK_QUOTA,
};

/* Every run here checks Cursor too, in a fixture config folder that has no
 * Cursor until a test makes one (use_cursor()). */
typedef struct {
  CrTestGateway *server;
  CrChecklist   *list;
  char          *home;         /* temporary; removed afterwards */
  char          *config;       /* home/Cursor: what --cursor-config would name */
  char          *install;      /* home/install: an install root, for the version */
} Fixture;

typedef struct {
  gboolean  done;
  gboolean  ok;
  GError   *error;
} RunResult;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->server = cr_test_gateway_new (GPOINTER_TO_INT (data), 0, &error);
  g_assert_no_error (error);
  f->list = cr_checklist_new ();
  cr_checklist_set_base_url (f->list, cr_test_gateway_get_base_url (f->server));

  f->home = g_dir_make_tmp ("cr-checklist-XXXXXX", &error);
  g_assert_no_error (error);
  f->config = g_build_filename (f->home, "Cursor", NULL);
  f->install = g_build_filename (f->home, "install", NULL);
  cr_checklist_set_cursor_enabled (f->list, TRUE);
  cr_checklist_set_cursor_location (f->list, f->config, (const char * const[]) { f->install, NULL });
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_false (cr_checklist_get_running (f->list));
  g_assert_finalize_object (f->list);
  g_clear_object (&f->server);
  cr_test_remove_tree (f->home);
  g_free (f->home);
  g_free (f->config);
  g_free (f->install);
}

/* A Cursor profile with these settings (single-quoted JSON) and, unless
 * @key_row is NULL, a key row; returns the database's path. */
static char *
use_cursor (Fixture    *f,
            const char *settings,
            const char *key_row)
{
  return cr_test_cursor_make_profile (f->config, settings, key_row);
}

/* Checks against https://crazyrouter.com/v1, sent to the loopback gateway:
 * a base URL that Cursor could reach. */
static void
use_official_url (Fixture    *f,
                  const char *key)
{
  g_autoptr(CrGateway) gateway = cr_gateway_new (cr_test_gateway_get_base_url (f->server), key);

  cr_checklist_set_gateway (f->list, gateway);
  cr_checklist_set_base_url (f->list, CR_DEFAULT_BASE_URL);
}

/* Also makes @r ready for the next run. */
static void
run_result_clear (RunResult *r)
{
  g_clear_error (&r->error);
  r->done = FALSE;
  r->ok = FALSE;
}

static void
on_run_done (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  RunResult *r = data;

  g_assert_false (r->done);
  r->ok = cr_checklist_run_finish (CR_CHECKLIST (source), result, &r->error);
  r->done = TRUE;
}

static gboolean
on_deadline (gpointer data)
{
  *(gboolean *) data = TRUE;

  return G_SOURCE_REMOVE;
}

/* Iterates the main context until *flag, failing after @seconds. */
static void
wait_for (gboolean *flag,
          guint     seconds)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (seconds, on_deadline, &timed_out);

  while (!*flag && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);
  g_assert_true (*flag);
}

static void
run_and_wait (Fixture   *f,
              RunResult *r)
{
  cr_checklist_run_async (f->list, NULL, on_run_done, r);
  wait_for (&r->done, 60);
  g_assert_false (cr_checklist_get_running (f->list));
}

static CrCheckItem *
item (Fixture    *f,
      const char *id)
{
  CrCheckItem *found = cr_checklist_lookup (f->list, id);

  g_assert_nonnull (found);

  return found;
}

/* Compares as strings, so a failure names both statuses and the detail. */
static void
assert_item (Fixture       *f,
             const char    *id,
             CrCheckStatus  status,
             const char    *symptom)
{
  CrCheckItem *check = item (f, id);

  g_test_message ("%s: %s — %s (fix: %s)", id,
                  cr_check_status_to_string (cr_check_item_get_status (check)),
                  cr_check_item_get_detail (check), cr_check_item_get_fix (check));
  g_assert_cmpstr (cr_check_status_to_string (cr_check_item_get_status (check)), ==,
                   cr_check_status_to_string (status));
  if (symptom != NULL)
    g_assert_cmpstr (cr_check_item_get_symptom (check), ==, symptom);
}

static void
assert_fix_contains (Fixture    *f,
                     const char *id,
                     const char *text)
{
  const char *fix = cr_check_item_get_fix (item (f, id));

  g_assert_nonnull (fix);
  g_assert_nonnull (strstr (fix, text));
}

static void
assert_key_never_shown (Fixture    *f,
                        const char *key)
{
  const char *keys[] = { key, CR_TEST_CURSOR_FAKE_KEY, CR_TEST_CURSOR_FAKE_KEY_PART };

  for (guint i = 0; i < G_N_ELEMENTS (expected_ids); i++)
    {
      CrCheckItem *check = item (f, expected_ids[i]);
      const char *detail = cr_check_item_get_detail (check);
      const char *fix = cr_check_item_get_fix (check);

      for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
        {
          g_assert_null (detail != NULL ? strstr (detail, keys[k]) : NULL);
          g_assert_null (fix != NULL ? strstr (fix, keys[k]) : NULL);
        }
    }
}

static void
assert_detail_contains (Fixture    *f,
                        const char *id,
                        const char *text)
{
  const char *detail = cr_check_item_get_detail (item (f, id));

  if (detail == NULL || strstr (detail, text) == NULL)
    g_error ("%s: “%s” not in the detail “%s”", id, text, detail);
}

static void
assert_not_checked (Fixture *f)
{
  for (guint i = 0; i < G_N_ELEMENTS (remote_ids); i++)
    {
      assert_item (f, remote_ids[i], CR_CHECK_NEEDS_YOU, NULL);
      g_assert_nonnull (cr_check_item_get_detail (item (f, remote_ids[i])));
    }
}

/* ----------------------------------------------------------------------- */

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    data)
{
  (*(guint *) data)++;
}

static void
on_any_status (GObject    *object,
               GParamSpec *pspec,
               gpointer    data)
{
  (*(guint *) data)++;
}

/* A fixed list in the guide's order, whose items change in place. */
static void
test_list_model (Fixture       *f,
                 gconstpointer  data)
{
  GListModel *model = G_LIST_MODEL (f->list);
  RunResult r = { 0, };
  guint changes = 0;
  guint notifies = 0;

  g_assert_true (g_list_model_get_item_type (model) == CR_TYPE_CHECK_ITEM);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, G_N_ELEMENTS (expected_ids));

  for (guint i = 0; i < G_N_ELEMENTS (expected_ids); i++)
    {
      g_autoptr(CrCheckItem) check = g_list_model_get_item (model, i);

      g_assert_cmpstr (cr_check_item_get_id (check), ==, expected_ids[i]);
      g_assert_cmpstr (cr_check_item_get_section (check), ==,
                       i < N_GATEWAY_IDS ? CR_CHECK_SECTION_GATEWAY : CR_CHECK_SECTION_CURSOR);
      g_assert_cmpuint (strlen (cr_check_item_get_title (check)), >, 10);
      g_assert_true (cr_checklist_lookup (f->list, expected_ids[i]) == check);
      g_signal_connect (check, "notify::status", G_CALLBACK (on_any_status), &notifies);
    }
  g_assert_null (g_list_model_get_item (model, G_N_ELEMENTS (expected_ids)));
  g_assert_null (cr_checklist_lookup (f->list, "no-such-check"));

  /* Before any run only Tab Completion is known. */
  assert_item (f, CR_CHECK_KEY, CR_CHECK_PENDING, NULL);
  assert_item (f, CR_CHECK_TAB_COMPLETION, CR_CHECK_NEEDS_YOU, "tab");

  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), &changes);
  cr_checklist_set_key (f->list, CR_TEST_TOKEN_GOOD);
  run_and_wait (f, &r);
  g_assert_no_error (r.error);

  g_assert_cmpuint (changes, ==, 0);
  /* key, model, chat, logs, quota: running then final, at least. */
  g_assert_cmpuint (notifies, >=, 10);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, G_N_ELEMENTS (expected_ids));

  for (guint i = 0; i < G_N_ELEMENTS (expected_ids); i++)
    {
      g_autoptr(CrCheckItem) check = g_list_model_get_item (model, i);

      g_signal_handlers_disconnect_by_data (check, &notifies);
    }
  g_signal_handlers_disconnect_by_data (model, &changes);
  run_result_clear (&r);
}

/* ----------------------------------------------------------------------- */

typedef struct {
  GString  *names;
  gboolean  detail_ready;
} NotifyLog;

static void
on_item_notify (GObject    *object,
                GParamSpec *pspec,
                gpointer    data)
{
  NotifyLog *log = data;

  g_string_append_printf (log->names, "%s;", pspec->name);
  /* Frozen notifications: whoever reacts to status sees the new detail. */
  if (g_str_equal (pspec->name, "status"))
    log->detail_ready = g_strcmp0 (cr_check_item_get_detail (CR_CHECK_ITEM (object)), "first") == 0;
}

static void
test_item_notify (void)
{
  g_autoptr(CrCheckItem) check = cr_check_item_new ("demo", "A demo check");
  NotifyLog log = { g_string_new (NULL), FALSE };
  CrCheckStatus status;
  g_autofree char *detail = NULL;

  g_assert_cmpstr (cr_check_item_get_id (check), ==, "demo");
  g_assert_cmpint (cr_check_item_get_status (check), ==, CR_CHECK_PENDING);
  g_assert_null (cr_check_item_get_detail (check));
  g_signal_connect (check, "notify", G_CALLBACK (on_item_notify), &log);

  cr_check_item_update (check, CR_CHECK_PASSED, "first", NULL, NULL);
  g_assert_true (strstr (log.names->str, "status;") != NULL);
  g_assert_true (strstr (log.names->str, "detail;") != NULL);
  g_assert_cmpuint (log.names->len, ==, strlen ("status;detail;"));
  g_assert_true (log.detail_ready);

  g_string_truncate (log.names, 0);
  cr_check_item_update (check, CR_CHECK_PASSED, "first", NULL, NULL);
  g_assert_cmpstr (log.names->str, ==, "");

  cr_check_item_update (check, CR_CHECK_PASSED, "first", "a fix", "401");
  g_assert_true (strstr (log.names->str, "fix;") != NULL);
  g_assert_true (strstr (log.names->str, "symptom;") != NULL);
  g_assert_cmpuint (log.names->len, ==, strlen ("fix;symptom;"));

  g_string_truncate (log.names, 0);
  cr_check_item_update (check, CR_CHECK_FAILED, "first", "a fix", "401");
  g_assert_cmpstr (log.names->str, ==, "status;");

  g_object_get (check, "status", &status, "detail", &detail, NULL);
  g_assert_cmpint (status, ==, CR_CHECK_FAILED);
  g_assert_cmpstr (detail, ==, "first");
  g_assert_cmpstr (cr_check_item_get_fix (check), ==, "a fix");
  g_assert_cmpstr (cr_check_item_get_symptom (check), ==, "401");

  g_signal_handlers_disconnect_by_data (check, &log);
  g_string_free (log.names, TRUE);
}

static void
test_status_enum (void)
{
  static const struct { CrCheckStatus status; const char *nick; } table[] = {
    { CR_CHECK_PENDING, "pending" },
    { CR_CHECK_RUNNING, "running" },
    { CR_CHECK_PASSED, "passed" },
    { CR_CHECK_WARNING, "warning" },
    { CR_CHECK_FAILED, "failed" },
    { CR_CHECK_NEEDS_YOU, "needs-you" },
  };
  g_autoptr(GEnumClass) klass = g_type_class_ref (CR_TYPE_CHECK_STATUS);
  GParamSpec *pspec = g_object_class_find_property (g_type_class_peek (CR_TYPE_CHECK_ITEM), "status");

  g_assert_true (G_TYPE_IS_ENUM (CR_TYPE_CHECK_STATUS));
  g_assert_nonnull (pspec);
  g_assert_true (G_PARAM_SPEC_VALUE_TYPE (pspec) == CR_TYPE_CHECK_STATUS);
  g_assert_cmpuint (klass->n_values, ==, G_N_ELEMENTS (table));

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      GEnumValue *value = g_enum_get_value_by_nick (klass, table[i].nick);

      g_assert_nonnull (value);
      g_assert_cmpint (value->value, ==, table[i].status);
      g_assert_cmpstr (cr_check_status_to_string (table[i].status), ==, table[i].nick);
    }
}

/* ----------------------------------------------------------------------- */
/* The verdicts that need no network                                        */

static void
test_judge_base_url (void)
{
  static const struct {
    const char    *input;
    CrCheckStatus  status;
    const char    *symptom;
    const char    *fix_contains;
    const char    *detail_contains;
  } cases[] = {
    { CR_DEFAULT_BASE_URL, CR_CHECK_PASSED, NULL, NULL, NULL },
    { "  https://crazyrouter.com/v1\n", CR_CHECK_PASSED, NULL, NULL, NULL },
    { "https://crazyrouter.com", CR_CHECK_FAILED, "404", "Use https://crazyrouter.com/v1", NULL },
    { "https://crazyrouter.com/v1/chat/completions", CR_CHECK_FAILED, "404",
      "Use https://crazyrouter.com/v1", NULL },
    { "https://crazyrouter.com/v1/", CR_CHECK_FAILED, "404", "Use https://crazyrouter.com/v1", NULL },
    { "http://crazyrouter.com/v1", CR_CHECK_FAILED, NULL, "https://crazyrouter.com/v1", NULL },
    { "https://mirror.example.net/v1", CR_CHECK_WARNING, NULL, NULL, "mirror.example.net" },
    { "not a url at all", CR_CHECK_FAILED, NULL, CR_DEFAULT_BASE_URL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CrCheckItem) check = cr_check_item_new (CR_CHECK_BASE_URL, "Base URL");
      g_autoptr(CrEndpointDiagnosis) diagnosis = cr_endpoint_diagnose (cases[i].input);

      g_test_message ("base URL %s", cases[i].input);
      cr_checklist_judge_base_url (check, diagnosis);

      g_assert_cmpstr (cr_check_status_to_string (cr_check_item_get_status (check)), ==,
                       cr_check_status_to_string (cases[i].status));
      g_assert_cmpstr (cr_check_item_get_detail (check), ==, diagnosis->message);
      if (cases[i].symptom != NULL)
        g_assert_cmpstr (cr_check_item_get_symptom (check), ==, cases[i].symptom);
      if (cases[i].fix_contains != NULL)
        g_assert_nonnull (strstr (cr_check_item_get_fix (check), cases[i].fix_contains));
      if (cases[i].status == CR_CHECK_PASSED)
        g_assert_null (cr_check_item_get_fix (check));
      if (cases[i].detail_contains != NULL)
        g_assert_nonnull (strstr (cr_check_item_get_detail (check), cases[i].detail_contains));
    }
}

static void
test_judge_quota (void)
{
  const gint64 now = 1900000000;
  char *small[] = { "claude-sonnet-4-6", "gpt-5.4", NULL };
  char *other[] = { "claude-sonnet-4-6", NULL };
  char *wide[] = { "claude-sonnet-4-6", "deepseek-v3", "gemini-3-pro-preview", "gpt-5.4", "o3", NULL };
  char *none[] = { NULL };
  const struct {
    const char    *name;
    CrTokenUsage   usage;
    CrCheckStatus  status;
    const char    *symptom;
    const char    *detail_contains;
  } cases[] = {
    { "capped, small", { NULL, 1000, 100, 900, FALSE, TRUE, small, 0 },
      CR_CHECK_PASSED, NULL, "gpt-5.4" },
    { "expires later", { NULL, 1000, 100, 900, FALSE, TRUE, small, now + 3600 },
      CR_CHECK_PASSED, NULL, NULL },
    { "no cap", { NULL, 0, 100, 0, TRUE, TRUE, small, 0 },
      CR_CHECK_WARNING, "cost", "cap" },
    { "allowlist off", { NULL, 1000, 100, 900, FALSE, FALSE, none, 0 },
      CR_CHECK_WARNING, "cost", "every model" },
    { "allowlist wide", { NULL, 1000, 100, 900, FALSE, TRUE, wide, 0 },
      CR_CHECK_WARNING, "cost", "deepseek-v3, gemini-3-pro-preview" },
    { "model not allowed", { NULL, 1000, 100, 900, FALSE, TRUE, other, 0 },
      CR_CHECK_FAILED, "403", "gpt-5.4" },
    { "empty allowlist", { NULL, 1000, 100, 900, FALSE, TRUE, none, 0 },
      CR_CHECK_FAILED, "403", NULL },
    { "used up", { NULL, 1000, 1000, 0, FALSE, TRUE, small, 0 },
      CR_CHECK_FAILED, "401", NULL },
    { "expired", { NULL, 1000, 100, 900, FALSE, TRUE, small, now - 60 },
      CR_CHECK_FAILED, "401", NULL },
    /* A failure outranks the warnings found beside it. */
    { "no cap, not allowed", { NULL, 0, 0, 0, TRUE, TRUE, other, 0 },
      CR_CHECK_FAILED, "403", "cap" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CrCheckItem) check = cr_check_item_new (CR_CHECK_QUOTA, "Quota");

      cr_checklist_judge_quota (check, &cases[i].usage, CR_DEFAULT_MODEL, now);
      g_test_message ("%s: %s — %s", cases[i].name,
                      cr_check_status_to_string (cr_check_item_get_status (check)),
                      cr_check_item_get_detail (check));

      g_assert_cmpstr (cr_check_status_to_string (cr_check_item_get_status (check)), ==,
                       cr_check_status_to_string (cases[i].status));
      g_assert_cmpstr (cr_check_item_get_symptom (check), ==, cases[i].symptom);
      g_assert_nonnull (cr_check_item_get_detail (check));
      if (cases[i].detail_contains != NULL)
        g_assert_nonnull (strstr (cr_check_item_get_detail (check), cases[i].detail_contains));
      if (cases[i].status == CR_CHECK_PASSED)
        g_assert_null (cr_check_item_get_fix (check));
      else
        g_assert_nonnull (cr_check_item_get_fix (check));
    }
}

/* ----------------------------------------------------------------------- */
/* Runs against the loopback gateway                                        */

static void
test_run_good (Fixture       *f,
               gconstpointer  data)
{
  RunResult r = { 0, };
  guint requests;

  cr_checklist_set_key (f->list, CR_TEST_TOKEN_GOOD);
  run_and_wait (f, &r);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);

  assert_item (f, CR_CHECK_KEY, CR_CHECK_PASSED, NULL);
  /* A loopback gateway is well-formed but not Crazyrouter: named, not failed. */
  assert_item (f, CR_CHECK_BASE_URL, CR_CHECK_WARNING, NULL);
  g_assert_nonnull (strstr (cr_check_item_get_detail (item (f, CR_CHECK_BASE_URL)), "127.0.0.1"));
  assert_item (f, CR_CHECK_MODEL, CR_CHECK_PASSED, NULL);
  assert_item (f, CR_CHECK_CHAT, CR_CHECK_PASSED, NULL);
  assert_item (f, CR_CHECK_LOGS, CR_CHECK_PASSED, NULL);
  assert_item (f, CR_CHECK_QUOTA, CR_CHECK_PASSED, NULL);
  assert_item (f, CR_CHECK_TAB_COMPLETION, CR_CHECK_NEEDS_YOU, "tab");
  g_assert_true (cr_checklist_get_ok (f->list));
  g_assert_cmpuint (cr_checklist_count_in_section (f->list, CR_CHECK_SECTION_GATEWAY, CR_CHECK_PASSED), ==, 5);
  g_assert_cmpuint (cr_checklist_count (f->list, CR_CHECK_RUNNING), ==, 0);
  assert_key_never_shown (f, CR_TEST_TOKEN_GOOD);

  /* One request per check, no more: the chat path also gets Cursor's
   * request format, once. */
  g_assert_cmpuint (cr_test_gateway_count_path (f->server, PATH_MODELS), ==, 1);
  g_assert_cmpuint (cr_test_gateway_count_path (f->server, PATH_USAGE), ==, 1);
  g_assert_cmpuint (cr_test_gateway_count_path (f->server, PATH_CHAT), ==, 2);
  g_assert_cmpuint (cr_test_gateway_count_path (f->server, PATH_LOGS), ==, 1);
  g_assert_cmpuint (cr_test_gateway_count_path (f->server, "/api/status"), ==, 1);
  /* Two of the 20 reads new-api allows in 20 minutes. */
  g_assert_cmpuint (cr_test_gateway_get_critical_count (f->server), ==, 2);

  /* What the gateway said is in the items' own words. */
  assert_detail_contains (f, CR_CHECK_MODEL, CR_DEFAULT_MODEL " is among the models this token may use");
  assert_detail_contains (f, CR_CHECK_QUOTA, "allowlist");

  /* Acknowledging Tab Completion is immediate and sends nothing. */
  requests = cr_test_gateway_get_request_count (f->server);
  cr_checklist_set_tab_acknowledged (f->list, TRUE);
  assert_item (f, CR_CHECK_TAB_COMPLETION, CR_CHECK_PASSED, NULL);
  g_assert_cmpuint (cr_test_gateway_get_request_count (f->server), ==, requests);

  run_result_clear (&r);
}

static void
test_run_bad_key (Fixture       *f,
                  gconstpointer  data)
{
  const char *bad_key = "sk-demo-revoked-long-ago";
  RunResult r = { 0, };

  cr_checklist_set_key (f->list, bad_key);
  run_and_wait (f, &r);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);

  assert_item (f, CR_CHECK_KEY, CR_CHECK_FAILED, "401");
  g_assert_cmpstr (cr_check_item_get_fix (item (f, CR_CHECK_KEY)), ==,
                   cr_gateway_error_code_fix (CR_GATEWAY_ERROR_UNAUTHORIZED));
  g_assert_nonnull (strstr (cr_check_item_get_detail (item (f, CR_CHECK_KEY)),
                            cr_gateway_error_code_cause (CR_GATEWAY_ERROR_UNAUTHORIZED)));
  assert_item (f, CR_CHECK_MODEL, CR_CHECK_NEEDS_YOU, NULL);
  assert_item (f, CR_CHECK_CHAT, CR_CHECK_NEEDS_YOU, NULL);
  assert_item (f, CR_CHECK_LOGS, CR_CHECK_NEEDS_YOU, NULL);
  g_assert_false (cr_checklist_get_ok (f->list));

  /* The chat request is never sent with a key the gateway refused. */
  g_assert_cmpuint (cr_test_gateway_count_path (f->server, PATH_MODELS), ==, 1);
  g_assert_cmpuint (cr_test_gateway_count_path (f->server, PATH_CHAT), ==, 0);
  g_assert_cmpuint (cr_test_gateway_count_path (f->server, PATH_LOGS), ==, 0);
  assert_key_never_shown (f, bad_key);

  run_result_clear (&r);
}

static void
test_run_narrow (Fixture       *f,
                 gconstpointer  data)
{
  RunResult r = { 0, };
  const char *detail;

  cr_checklist_set_key (f->list, CR_TEST_TOKEN_NARROW);
  run_and_wait (f, &r);
  g_assert_no_error (r.error);

  assert_item (f, CR_CHECK_KEY, CR_CHECK_PASSED, NULL);
  assert_item (f, CR_CHECK_MODEL, CR_CHECK_FAILED, "403");
  assert_fix_contains (f, CR_CHECK_MODEL, CR_DEFAULT_MODEL);
  /* Sent anyway: the gateway's own 403 is what Cursor would show. */
  assert_item (f, CR_CHECK_CHAT, CR_CHECK_FAILED, "403");
  detail = cr_check_item_get_detail (item (f, CR_CHECK_CHAT));
  g_assert_nonnull (strstr (detail, cr_gateway_error_code_cause (CR_GATEWAY_ERROR_MODEL_NOT_ALLOWED)));
  g_assert_cmpstr (cr_check_item_get_fix (item (f, CR_CHECK_CHAT)), ==,
                   cr_gateway_error_code_fix (CR_GATEWAY_ERROR_MODEL_NOT_ALLOWED));
  assert_item (f, CR_CHECK_LOGS, CR_CHECK_NEEDS_YOU, NULL);
  assert_item (f, CR_CHECK_QUOTA, CR_CHECK_FAILED, "403");
  g_assert_cmpuint (cr_test_gateway_count_path (f->server, PATH_CHAT), ==, 1);
  g_assert_cmpuint (cr_test_gateway_count_path (f->server, PATH_LOGS), ==, 0);
  g_assert_false (cr_checklist_get_ok (f->list));

  run_result_clear (&r);
}

static void
test_run_wide (Fixture       *f,
               gconstpointer  data)
{
  RunResult r = { 0, };
  const char *detail;

  cr_checklist_set_key (f->list, CR_TEST_TOKEN_WIDE);
  run_and_wait (f, &r);
  g_assert_no_error (r.error);

  assert_item (f, CR_CHECK_KEY, CR_CHECK_PASSED, NULL);
  assert_item (f, CR_CHECK_MODEL, CR_CHECK_PASSED, NULL);
  assert_item (f, CR_CHECK_CHAT, CR_CHECK_PASSED, NULL);
  assert_item (f, CR_CHECK_QUOTA, CR_CHECK_WARNING, "cost");
  /* Both problems of a shared token are named, not just the first. */
  detail = cr_check_item_get_detail (item (f, CR_CHECK_QUOTA));
  g_assert_nonnull (strstr (detail, "quota cap"));
  g_assert_nonnull (strstr (detail, "every model"));
  /* Warnings do not fail a run. */
  g_assert_true (cr_checklist_get_ok (f->list));

  run_result_clear (&r);
}

static void
test_run_exhausted (Fixture       *f,
                    gconstpointer  data)
{
  RunResult r = { 0, };

  cr_checklist_set_key (f->list, CR_TEST_TOKEN_EXHAUSTED);
  run_and_wait (f, &r);
  g_assert_no_error (r.error);

  assert_item (f, CR_CHECK_KEY, CR_CHECK_FAILED, "401");
  /* Usage stays readable for a used-up token, and says why. */
  assert_item (f, CR_CHECK_QUOTA, CR_CHECK_FAILED, NULL);
  g_assert_cmpuint (cr_test_gateway_count_path (f->server, PATH_CHAT), ==, 0);

  run_result_clear (&r);
}

static void
test_run_ip_locked (Fixture       *f,
                    gconstpointer  data)
{
  RunResult r = { 0, };

  cr_checklist_set_key (f->list, CR_TEST_TOKEN_IP_LOCKED);
  run_and_wait (f, &r);
  g_assert_no_error (r.error);

  assert_item (f, CR_CHECK_KEY, CR_CHECK_FAILED, "403");
  g_assert_cmpstr (cr_check_item_get_fix (item (f, CR_CHECK_KEY)), ==,
                   cr_gateway_error_code_fix (CR_GATEWAY_ERROR_IP_NOT_ALLOWED));
  g_assert_cmpuint (cr_test_gateway_count_path (f->server, PATH_CHAT), ==, 0);

  run_result_clear (&r);
}

/* ----------------------------------------------------------------------- */
/* Wrong base URLs                                                          */

typedef struct {
  CrTestGateway *server;
  GString       *events;          /* "id:status;" in the order they happened */
  gint           failed_at_count; /* requests the server had seen, -1 = not yet */
} BaseUrlWatch;

static void
on_watched_status (CrCheckItem  *check,
                   GParamSpec   *pspec,
                   BaseUrlWatch *watch)
{
  CrCheckStatus status = cr_check_item_get_status (check);

  g_string_append_printf (watch->events, "%s:%s;", cr_check_item_get_id (check),
                          cr_check_status_to_string (status));
  if (status == CR_CHECK_FAILED && watch->failed_at_count < 0
      && g_str_equal (cr_check_item_get_id (check), CR_CHECK_BASE_URL))
    watch->failed_at_count = (gint) cr_test_gateway_get_request_count (watch->server);
}

static void
test_run_root_domain (Fixture       *f,
                      gconstpointer  data)
{
  BaseUrlWatch watch = { f->server, g_string_new (NULL), -1 };
  g_autofree char *fixed = g_strconcat ("Use ", cr_test_gateway_get_root_url (f->server), "/v1", NULL);
  RunResult r = { 0, };
  const char *events;

  cr_checklist_set_base_url (f->list, cr_test_gateway_get_root_url (f->server));
  cr_checklist_set_key (f->list, CR_TEST_TOKEN_GOOD);
  g_signal_connect (item (f, CR_CHECK_BASE_URL), "notify::status", G_CALLBACK (on_watched_status), &watch);
  g_signal_connect (item (f, CR_CHECK_KEY), "notify::status", G_CALLBACK (on_watched_status), &watch);
  run_and_wait (f, &r);
  g_assert_no_error (r.error);

  /* Diagnosed before anything was sent … */
  g_assert_cmpint (watch.failed_at_count, ==, 0);
  events = strstr (watch.events->str, "base-url:failed;");
  g_assert_nonnull (events);
  g_assert_nonnull (strstr (events, "key:running;"));
  assert_item (f, CR_CHECK_BASE_URL, CR_CHECK_FAILED, "404");
  g_assert_cmpstr (cr_check_item_get_fix (item (f, CR_CHECK_BASE_URL)), ==, fixed);

  /* … and never repaired: the requests went where the URL points, and the
   * index page the gateway sends there is recognised. */
  g_assert_cmpuint (cr_test_gateway_count_path (f->server, "/models"), ==, 1);
  g_assert_cmpuint (cr_test_gateway_count_path (f->server, PATH_MODELS), ==, 0);
  assert_item (f, CR_CHECK_KEY, CR_CHECK_FAILED, "404");
  g_assert_cmpstr (cr_check_item_get_fix (item (f, CR_CHECK_KEY)), ==,
                   cr_gateway_error_code_fix (CR_GATEWAY_ERROR_WRONG_BASE_URL));
  assert_item (f, CR_CHECK_CHAT, CR_CHECK_NEEDS_YOU, NULL);
  g_assert_cmpuint (cr_test_gateway_count_path (f->server, "/chat/completions"), ==, 0);

  g_signal_handlers_disconnect_by_data (item (f, CR_CHECK_BASE_URL), &watch);
  g_signal_handlers_disconnect_by_data (item (f, CR_CHECK_KEY), &watch);
  g_string_free (watch.events, TRUE);
  run_result_clear (&r);
}

static void
test_run_full_endpoint (Fixture       *f,
                        gconstpointer  data)
{
  const char *base = cr_test_gateway_get_base_url (f->server);
  g_autofree char *full = g_strconcat (base, "/chat/completions", NULL);
  g_autofree char *fixed = g_strconcat ("Use ", base, NULL);
  RunResult r = { 0, };

  cr_checklist_set_base_url (f->list, full);
  cr_checklist_set_key (f->list, CR_TEST_TOKEN_GOOD);
  run_and_wait (f, &r);
  g_assert_no_error (r.error);

  assert_item (f, CR_CHECK_BASE_URL, CR_CHECK_FAILED, "404");
  g_assert_cmpstr (cr_check_item_get_fix (item (f, CR_CHECK_BASE_URL)), ==, fixed);
  /* Sent as typed, and the gateway's 404 recognised. */
  g_assert_cmpuint (cr_test_gateway_count_path (f->server, "/v1/chat/completions/models"), ==, 1);
  assert_item (f, CR_CHECK_KEY, CR_CHECK_FAILED, "404");
  assert_item (f, CR_CHECK_CHAT, CR_CHECK_NEEDS_YOU, NULL);
  g_assert_false (cr_checklist_get_ok (f->list));

  run_result_clear (&r);
}

/* http:// to a remote host is refused before anything is sent, even with a
 * gateway installed that could reach the test server. */
static void
test_run_not_sendable (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(CrGateway) gateway = cr_gateway_new (cr_test_gateway_get_base_url (f->server),
                                                 CR_TEST_TOKEN_GOOD);
  RunResult r = { 0, };

  cr_checklist_set_gateway (f->list, gateway);
  cr_checklist_set_base_url (f->list, "http://crazyrouter.com/v1");
  cr_checklist_set_key (f->list, CR_TEST_TOKEN_GOOD);
  run_and_wait (f, &r);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);

  assert_item (f, CR_CHECK_BASE_URL, CR_CHECK_FAILED, NULL);
  assert_fix_contains (f, CR_CHECK_BASE_URL, "https://crazyrouter.com/v1");
  assert_item (f, CR_CHECK_KEY, CR_CHECK_NEEDS_YOU, NULL);
  assert_not_checked (f);
  assert_item (f, CR_CHECK_TAB_COMPLETION, CR_CHECK_NEEDS_YOU, "tab");
  g_assert_cmpuint (cr_test_gateway_get_request_count (f->server), ==, 0);
  g_assert_false (cr_checklist_get_ok (f->list));

  run_result_clear (&r);
}

/* Without a scheme the URL is not guessed at and sent to the test server. */
static void
test_run_missing_scheme (Fixture       *f,
                         gconstpointer  data)
{
  const char *base = cr_test_gateway_get_base_url (f->server);
  RunResult r = { 0, };

  g_assert_true (g_str_has_prefix (base, "http://"));
  cr_checklist_set_base_url (f->list, base + strlen ("http://"));
  cr_checklist_set_key (f->list, CR_TEST_TOKEN_GOOD);
  run_and_wait (f, &r);
  g_assert_no_error (r.error);

  assert_item (f, CR_CHECK_BASE_URL, CR_CHECK_FAILED, NULL);
  assert_fix_contains (f, CR_CHECK_BASE_URL, base);
  assert_not_checked (f);
  g_assert_cmpuint (cr_test_gateway_get_request_count (f->server), ==, 0);

  run_result_clear (&r);
}

static void
test_run_no_key (Fixture       *f,
                 gconstpointer  data)
{
  RunResult r = { 0, };

  run_and_wait (f, &r);
  g_assert_no_error (r.error);

  assert_item (f, CR_CHECK_KEY, CR_CHECK_FAILED, NULL);
  assert_not_checked (f);
  g_assert_cmpuint (cr_test_gateway_get_request_count (f->server), ==, 0);

  run_result_clear (&r);
}

static void
test_run_no_logs (Fixture       *f,
                  gconstpointer  data)
{
  RunResult r = { 0, };

  cr_test_gateway_set_mode (f->server, CR_TEST_MODE_NO_LOGS);
  cr_checklist_set_key (f->list, CR_TEST_TOKEN_GOOD);
  run_and_wait (f, &r);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);

  assert_item (f, CR_CHECK_CHAT, CR_CHECK_PASSED, NULL);
  assert_item (f, CR_CHECK_LOGS, CR_CHECK_WARNING, NULL);
  g_assert_nonnull (strstr (cr_check_item_get_detail (item (f, CR_CHECK_LOGS)),
                            "Cannot check automatically"));
  assert_fix_contains (f, CR_CHECK_LOGS, "logs");
  /* A 404 from the logs is about the deployment, not the base URL. */
  assert_item (f, CR_CHECK_BASE_URL, CR_CHECK_WARNING, NULL);
  g_assert_true (cr_checklist_get_ok (f->list));
  /* A missing log API is not worth asking again. */
  g_assert_cmpuint (cr_test_gateway_count_path (f->server, PATH_LOGS), ==, 1);

  run_result_clear (&r);
}

/* ----------------------------------------------------------------------- */
/* Cancelling and running again                                             */

static gboolean
both_requests_arrived (CrTestGateway *server)
{
  return cr_test_gateway_count_path (server, PATH_MODELS) == 1
         && cr_test_gateway_count_path (server, PATH_USAGE) == 1;
}

static void
test_run_cancel (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  RunResult r = { 0, };
  gboolean timed_out = FALSE;
  guint deadline;
  gint64 cancelled_at;

  cr_test_gateway_set_mode (f->server, CR_TEST_MODE_HANG);
  cr_checklist_set_key (f->list, CR_TEST_TOKEN_GOOD);
  cr_checklist_run_async (f->list, cancellable, on_run_done, &r);
  g_assert_true (cr_checklist_get_running (f->list));

  deadline = g_timeout_add_seconds (10, on_deadline, &timed_out);
  while (!both_requests_arrived (f->server) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (deadline);
  g_assert_false (r.done);
  assert_item (f, CR_CHECK_KEY, CR_CHECK_RUNNING, NULL);
  assert_item (f, CR_CHECK_QUOTA, CR_CHECK_RUNNING, NULL);

  cancelled_at = g_get_monotonic_time ();
  g_cancellable_cancel (cancellable);
  wait_for (&r.done, 10);

  /* Well before any request timeout (20 s). */
  g_assert_cmpint (g_get_monotonic_time () - cancelled_at, <, 5 * G_USEC_PER_SEC);
  g_assert_false (r.ok);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (cr_checklist_get_running (f->list));
  g_assert_cmpuint (cr_checklist_count (f->list, CR_CHECK_RUNNING), ==, 0);
  assert_item (f, CR_CHECK_KEY, CR_CHECK_PENDING, NULL);
  assert_item (f, CR_CHECK_MODEL, CR_CHECK_PENDING, NULL);
  assert_item (f, CR_CHECK_QUOTA, CR_CHECK_PENDING, NULL);
  assert_item (f, CR_CHECK_CHAT, CR_CHECK_PENDING, NULL);
  g_assert_cmpuint (cr_test_gateway_count_path (f->server, PATH_CHAT), ==, 0);

  run_result_clear (&r);
}

static void
on_chat_status (CrCheckItem   *check,
                GParamSpec    *pspec,
                CrTestGateway *server)
{
  /* From here on the gateway stops answering: the log request hangs. */
  if (cr_check_item_get_status (check) == CR_CHECK_PASSED)
    cr_test_gateway_set_mode (server, CR_TEST_MODE_HANG);
}

/* Cancelling late keeps what is known and resets only what was running. */
static void
test_run_cancel_logs (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  RunResult r = { 0, };
  gboolean timed_out = FALSE;
  guint deadline;

  cr_checklist_set_key (f->list, CR_TEST_TOKEN_GOOD);
  g_signal_connect (item (f, CR_CHECK_CHAT), "notify::status", G_CALLBACK (on_chat_status), f->server);
  cr_checklist_run_async (f->list, cancellable, on_run_done, &r);

  deadline = g_timeout_add_seconds (10, on_deadline, &timed_out);
  while (cr_test_gateway_count_path (f->server, PATH_LOGS) == 0 && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (deadline);
  assert_item (f, CR_CHECK_LOGS, CR_CHECK_RUNNING, NULL);

  g_cancellable_cancel (cancellable);
  wait_for (&r.done, 10);

  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  assert_item (f, CR_CHECK_KEY, CR_CHECK_PASSED, NULL);
  assert_item (f, CR_CHECK_CHAT, CR_CHECK_PASSED, NULL);
  assert_item (f, CR_CHECK_QUOTA, CR_CHECK_PASSED, NULL);
  assert_item (f, CR_CHECK_LOGS, CR_CHECK_PENDING, NULL);
  g_assert_null (cr_check_item_get_detail (item (f, CR_CHECK_LOGS)));

  g_signal_handlers_disconnect_by_data (item (f, CR_CHECK_CHAT), f->server);
  run_result_clear (&r);
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    data)
{
  (*(guint *) data)++;
}

/* A second run replaces the first; the first ends as cancelled. */
static void
test_run_twice (Fixture       *f,
                gconstpointer  data)
{
  RunResult first = { 0, };
  RunResult second = { 0, };
  guint running_changes = 0;

  cr_test_gateway_set_latency (f->server, 100);
  g_signal_connect (f->list, "notify::running", G_CALLBACK (count_notify), &running_changes);
  cr_checklist_set_key (f->list, CR_TEST_TOKEN_GOOD);
  cr_checklist_run_async (f->list, NULL, on_run_done, &first);
  cr_checklist_run_async (f->list, NULL, on_run_done, &second);
  g_assert_true (cr_checklist_get_running (f->list));

  wait_for (&second.done, 60);
  g_assert_true (first.done);
  g_assert_error (first.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_no_error (second.error);
  g_assert_true (second.ok);

  /* On once, off once: the hand-over is invisible from outside. */
  g_assert_cmpuint (running_changes, ==, 2);
  assert_item (f, CR_CHECK_KEY, CR_CHECK_PASSED, NULL);
  assert_item (f, CR_CHECK_CHAT, CR_CHECK_PASSED, NULL);
  assert_item (f, CR_CHECK_LOGS, CR_CHECK_PASSED, NULL);
  assert_item (f, CR_CHECK_QUOTA, CR_CHECK_PASSED, NULL);
  /* Only the second run got as far as the chat (and Cursor's request format). */
  g_assert_cmpuint (cr_test_gateway_count_path (f->server, PATH_CHAT), ==, 2);

  g_signal_handlers_disconnect_by_data (f->list, &running_changes);
  run_result_clear (&first);
  run_result_clear (&second);
}

/* ----------------------------------------------------------------------- */
/* Ordering and concurrency                                                 */

typedef struct {
  const char    *id;
  CrCheckStatus  status;
  guint          models, usage, chat, logs;   /* requests arrived so far */
  guint          preflights;                  /* CORS preflights for the chat path */
} Snapshot;

typedef struct {
  CrTestGateway *server;
  GArray        *snapshots;
} Recorder;

static void
on_recorded_status (CrCheckItem *check,
                    GParamSpec  *pspec,
                    Recorder    *recorder)
{
  Snapshot snapshot = {
    cr_check_item_get_id (check),
    cr_check_item_get_status (check),
    cr_test_gateway_count_path (recorder->server, PATH_MODELS),
    cr_test_gateway_count_path (recorder->server, PATH_USAGE),
    /* The chat check's, not Cursor's request format's. */
    cr_test_gateway_count_path (recorder->server, PATH_CHAT)
      - cr_test_gateway_count_responses_bodies (recorder->server),
    cr_test_gateway_count_path (recorder->server, PATH_LOGS),
    cr_test_gateway_count_preflights (recorder->server, PATH_CHAT),
  };

  g_array_append_val (recorder->snapshots, snapshot);
}

static const Snapshot *
find_snapshot (Recorder      *recorder,
               const char    *id,
               CrCheckStatus  status)
{
  for (guint i = 0; i < recorder->snapshots->len; i++)
    {
      const Snapshot *s = &g_array_index (recorder->snapshots, Snapshot, i);

      if (g_str_equal (s->id, id) && s->status == status)
        {
          g_test_message ("%s:%s at models=%u usage=%u chat=%u logs=%u", id,
                          cr_check_status_to_string (status), s->models, s->usage, s->chat, s->logs);
          return s;
        }
    }

  g_test_message ("%s never became %s", id, cr_check_status_to_string (status));
  g_assert_not_reached ();
}

static void
test_run_concurrency (Fixture       *f,
                      gconstpointer  data)
{
  Recorder recorder = { f->server, g_array_new (FALSE, FALSE, sizeof (Snapshot)) };
  RunResult r = { 0, };
  const Snapshot *s;

  cr_test_gateway_set_latency (f->server, 200);
  cr_checklist_set_key (f->list, CR_TEST_TOKEN_GOOD);
  for (guint i = 0; i < G_N_ELEMENTS (expected_ids); i++)
    g_signal_connect (item (f, expected_ids[i]), "notify::status",
                      G_CALLBACK (on_recorded_status), &recorder);
  run_and_wait (f, &r);
  g_assert_no_error (r.error);

  /* models ∥ usage: both set running before either request arrived … */
  s = find_snapshot (&recorder, CR_CHECK_KEY, CR_CHECK_RUNNING);
  g_assert_cmpuint (s->models + s->usage + s->chat + s->logs, ==, 0);
  s = find_snapshot (&recorder, CR_CHECK_QUOTA, CR_CHECK_RUNNING);
  g_assert_cmpuint (s->models + s->usage + s->chat + s->logs, ==, 0);
  /* … and the usage request was out before the models answered. */
  s = find_snapshot (&recorder, CR_CHECK_KEY, CR_CHECK_PASSED);
  g_assert_cmpuint (s->models, ==, 1);
  g_assert_cmpuint (s->usage, ==, 1);
  g_assert_cmpuint (s->chat, ==, 0);

  /* → chat, only once the models answered … */
  s = find_snapshot (&recorder, CR_CHECK_CHAT, CR_CHECK_RUNNING);
  g_assert_cmpuint (s->models, ==, 1);
  g_assert_cmpuint (s->chat, ==, 0);
  g_assert_cmpuint (s->logs, ==, 0);
  s = find_snapshot (&recorder, CR_CHECK_CHAT, CR_CHECK_PASSED);
  g_assert_cmpuint (s->chat, ==, 1);
  g_assert_cmpuint (s->logs, ==, 0);

  /* → logs, only once the chat succeeded. */
  s = find_snapshot (&recorder, CR_CHECK_LOGS, CR_CHECK_RUNNING);
  g_assert_cmpuint (s->chat, ==, 1);
  g_assert_cmpuint (s->logs, ==, 0);
  s = find_snapshot (&recorder, CR_CHECK_LOGS, CR_CHECK_PASSED);
  g_assert_cmpuint (s->logs, ==, 1);

  /* Never more than the independent requests at once: models, usage and
   * the quota per dollar, then chat, Cursor's two preflights and its request
   * format (with usage maybe still answering). */
  g_assert_cmpuint (cr_test_gateway_get_max_in_flight (f->server), <=, 6);

  for (guint i = 0; i < G_N_ELEMENTS (expected_ids); i++)
    g_signal_handlers_disconnect_by_data (item (f, expected_ids[i]), &recorder);
  g_array_unref (recorder.snapshots);
  run_result_clear (&r);
}

/* ----------------------------------------------------------------------- */

/* An installed gateway is used as is: here one that trusts a throwaway CA. */
static void
test_run_tls (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(CrGateway) gateway = NULL;
  RunResult r = { 0, };

  g_assert_true (g_str_has_prefix (cr_test_gateway_get_base_url (f->server), "https://"));
  gateway = cr_gateway_new (cr_test_gateway_get_base_url (f->server), CR_TEST_TOKEN_GOOD);
  cr_gateway_set_tls_database (gateway, cr_test_gateway_get_tls_database (f->server));
  cr_checklist_set_gateway (f->list, gateway);
  run_and_wait (f, &r);
  g_assert_no_error (r.error);

  assert_item (f, CR_CHECK_BASE_URL, CR_CHECK_WARNING, NULL);
  assert_item (f, CR_CHECK_KEY, CR_CHECK_PASSED, NULL);
  assert_item (f, CR_CHECK_CHAT, CR_CHECK_PASSED, NULL);
  assert_item (f, CR_CHECK_LOGS, CR_CHECK_PASSED, NULL);
  assert_item (f, CR_CHECK_QUOTA, CR_CHECK_PASSED, NULL);

  run_result_clear (&r);
}

/* ----------------------------------------------------------------------- */
/* The Cursor section                                                       */

static void
assert_cursor_items (Fixture       *f,
                     CrCheckStatus  key,
                     CrCheckStatus  base_url,
                     CrCheckStatus  model,
                     CrCheckStatus  verify)
{
  assert_item (f, CR_CHECK_CURSOR_KEY, key, NULL);
  assert_item (f, CR_CHECK_CURSOR_BASE_URL, base_url, NULL);
  assert_item (f, CR_CHECK_CURSOR_MODEL, model, NULL);
  assert_item (f, CR_CHECK_CURSOR_VERIFY, verify, NULL);
}

/* Off by default: the seven gateway items, and one ::items-changed each way. */
static void
test_cursor_section (void)
{
  g_autoptr(CrChecklist) list = cr_checklist_new ();
  GListModel *model = G_LIST_MODEL (list);
  g_autoptr(CrCheckItem) fourth = NULL;
  guint changes = 0;

  g_assert_false (cr_checklist_get_cursor_enabled (list));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, N_GATEWAY_IDS);
  g_assert_null (cr_checklist_lookup (list, CR_CHECK_CURSOR_KEY));
  g_assert_null (g_list_model_get_item (model, N_GATEWAY_IDS));

  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), &changes);
  cr_checklist_set_cursor_enabled (list, TRUE);
  cr_checklist_set_cursor_enabled (list, TRUE);
  g_assert_cmpuint (changes, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, G_N_ELEMENTS (expected_ids));
  fourth = g_list_model_get_item (model, N_GATEWAY_IDS + 3);
  g_assert_cmpstr (cr_check_item_get_id (fourth), ==, CR_CHECK_CURSOR_VERIFY);
  g_assert_cmpstr (cr_check_item_get_section (fourth), ==, CR_CHECK_SECTION_CURSOR);
  g_assert_false (cr_check_item_get_changed (fourth));
  g_assert_true (cr_checklist_lookup (list, CR_CHECK_CURSOR_VERIFY) == fourth);
  /* Before a run: pending, and counted. */
  g_assert_cmpuint (cr_checklist_count_in_section (list, CR_CHECK_SECTION_CURSOR, CR_CHECK_PENDING), ==, 6);
  g_assert_null (cr_checklist_get_cursor_snapshot (list));
  g_assert_null (cr_checklist_get_cursor_history (list));

  cr_checklist_set_cursor_enabled (list, FALSE);
  g_assert_cmpuint (changes, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, N_GATEWAY_IDS);
  g_assert_cmpuint (cr_checklist_count (list, CR_CHECK_PENDING), ==, N_GATEWAY_IDS - 1);
  g_signal_handlers_disconnect_by_data (model, &changes);
}

typedef struct {
  GBytes *bytes;
  gint64  mtime;
} FileState;

static FileState
file_state (const char *path)
{
  FileState state = { NULL, 0 };
  GStatBuf st;
  char *data = NULL;
  gsize len = 0;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  state.bytes = g_bytes_new_take (data, len);
  state.mtime = st.st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) + st.st_mtim.tv_nsec;
  return state;
}

/* Cursor set up right: all four pass, and its file is left as it was. */
static void
test_cursor_good (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *db = use_cursor (f, GOOD_CURSOR, CR_TEST_CURSOR_NEW_KEY_ROW);
  FileState before;
  FileState after;
  RunResult r = { 0, };
  CrCursorSnapshot *snapshot;

  before = file_state (db);
  cr_test_cursor_make_install (f->install, "1.4.2");
  use_official_url (f, CR_TEST_TOKEN_GOOD);
  run_and_wait (f, &r);
  g_assert_no_error (r.error);
  g_assert_true (cr_checklist_get_ok (f->list));

  assert_item (f, CR_CHECK_BASE_URL, CR_CHECK_PASSED, NULL);
  assert_cursor_items (f, CR_CHECK_PASSED, CR_CHECK_PASSED, CR_CHECK_PASSED, CR_CHECK_PASSED);
  g_assert_cmpuint (cr_checklist_count_in_section (f->list, CR_CHECK_SECTION_CURSOR, CR_CHECK_PASSED), ==, 4);
  assert_detail_contains (f, CR_CHECK_CURSOR_BASE_URL, "“https://crazyrouter.com/v1”");
  /* That what is read may lag a running Cursor is said once, by the page
   * and by --check, not in every item. */
  for (guint i = 0; i < G_N_ELEMENTS (cursor_ids); i++)
    g_assert_null (strstr (cr_check_item_get_detail (item (f, cursor_ids[i])), "restart"));
  assert_detail_contains (f, CR_CHECK_CURSOR_VERIFY, "gpt-5.4");
  assert_key_never_shown (f, CR_TEST_TOKEN_GOOD);

  snapshot = cr_checklist_get_cursor_snapshot (f->list);
  g_assert_nonnull (snapshot);
  g_assert_cmpstr (snapshot->version, ==, "1.4.2");
  g_assert_true (snapshot->key_present);
  g_assert_cmpstr (cr_checklist_get_cursor_verify_model (f->list), ==, "gpt-5.4");
  /* Nothing remembered: nothing marked as changed. */
  g_assert_false (cr_checklist_get_cursor_history (f->list)->remembered);
  for (guint i = 0; i < G_N_ELEMENTS (cursor_ids); i++)
    g_assert_false (cr_check_item_get_changed (item (f, cursor_ids[i])));

  /* Cursor would send what the chat check sent: sent once, not twice; the
   * other request on that path is Cursor's newer format. Both of Verify's
   * preflights were asked. */
  g_assert_cmpuint (cr_test_gateway_count_path (f->server, PATH_CHAT), ==, 2);
  g_assert_cmpuint (cr_test_gateway_count_responses_bodies (f->server), ==, 1);
  g_assert_cmpuint (cr_test_gateway_count_preflights (f->server, PATH_CHAT), ==, 1);
  g_assert_cmpuint (cr_test_gateway_count_preflights (f->server, PATH_MODELS), ==, 1);

  /* Stock new-api refuses Cursor 3.x's format: Cursor's bug, a warning. */
  assert_item (f, CR_CHECK_CURSOR_SHAPE, CR_CHECK_WARNING, "verify");
  assert_detail_contains (f, CR_CHECK_CURSOR_SHAPE, "field messages is required");
  assert_fix_contains (f, CR_CHECK_CURSOR_SHAPE, "known Cursor bug");
  /* Our own requests are not taken for Cursor's: nothing of Cursor's yet. */
  assert_item (f, CR_CHECK_CURSOR_CHAT, CR_CHECK_NEEDS_YOU, NULL);
  assert_detail_contains (f, CR_CHECK_CURSOR_CHAT, "no request from Cursor");
  assert_fix_contains (f, CR_CHECK_CURSOR_CHAT, "gpt-5.4");

  /* Read-only: not a byte, not even the time stamp, has changed. */
  after = file_state (db);
  g_assert_true (g_bytes_equal (before.bytes, after.bytes));
  g_assert_cmpint (before.mtime, ==, after.mtime);
  g_bytes_unref (before.bytes);
  g_bytes_unref (after.bytes);

  run_result_clear (&r);
}

/* GOOD_CURSOR with another value for useOpenAIKey. */
static char *
good_cursor_with_toggle (const char *value)
{
  GString *settings = g_string_new (GOOD_CURSOR);
  g_autofree char *toggle = g_strdup_printf ("'useOpenAIKey': %s", value);

  g_assert_cmpuint (g_string_replace (settings, "'useOpenAIKey': true", toggle, 1), ==, 1);
  return g_string_free (settings, FALSE);
}

/* Cursor switches its key off after a login or a plan change. */
static void
test_cursor_toggle_off (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *db = NULL;
  g_autofree char *unknown = good_cursor_with_toggle ("0");
  g_autofree char *off = good_cursor_with_toggle ("false");
  RunResult r = { 0, };

  db = use_cursor (f, unknown, CR_TEST_CURSOR_OLD_KEY_ROW);
  use_official_url (f, CR_TEST_TOKEN_GOOD);
  run_and_wait (f, &r);
  g_assert_no_error (r.error);

  /* "0" is no boolean: Cursor's settings do not say. */
  assert_item (f, CR_CHECK_CURSOR_KEY, CR_CHECK_NEEDS_YOU, NULL);
  run_result_clear (&r);

  g_free (use_cursor (f, off, CR_TEST_CURSOR_OLD_KEY_ROW));
  run_and_wait (f, &r);
  g_assert_no_error (r.error);

  assert_item (f, CR_CHECK_CURSOR_KEY, CR_CHECK_FAILED, "verify");
  assert_detail_contains (f, CR_CHECK_CURSOR_KEY, "switch is off");
  assert_detail_contains (f, CR_CHECK_CURSOR_KEY, "log in again or your plan changes");
  assert_fix_contains (f, CR_CHECK_CURSOR_KEY, "switch OpenAI API Key back on");
  /* Newer Cursor builds label the button Save. */
  assert_fix_contains (f, CR_CHECK_CURSOR_KEY, "press Verify (called Save in newer Cursor versions)");
  assert_item (f, CR_CHECK_CURSOR_BASE_URL, CR_CHECK_PASSED, NULL);
  /* The gateway would answer, but Cursor's button cannot work like this. */
  assert_item (f, CR_CHECK_CURSOR_VERIFY, CR_CHECK_WARNING, "verify");
  g_assert_false (cr_checklist_get_ok (f->list));
  run_result_clear (&r);

  /* No key row at all. */
  g_free (use_cursor (f, GOOD_CURSOR, NULL));
  run_and_wait (f, &r);
  assert_item (f, CR_CHECK_CURSOR_KEY, CR_CHECK_FAILED, "verify");
  assert_detail_contains (f, CR_CHECK_CURSOR_KEY, "no OpenAI API key");
  assert_fix_contains (f, CR_CHECK_CURSOR_KEY, "press Verify (called Save in newer Cursor versions)");
  assert_key_never_shown (f, CR_TEST_TOKEN_GOOD);
  run_result_clear (&r);
}

static CrCursorSnapshot *
found_snapshot (const char *base_url)
{
  CrCursorSnapshot *s = cr_cursor_snapshot_new ();

  s->status = CR_CURSOR_FOUND;
  s->problem = CR_CURSOR_PROBLEM_NONE;
  g_clear_pointer (&s->reason, g_free);
  s->settings_found = TRUE;
  s->key_present = TRUE;
  s->use_openai_key = CR_CURSOR_ON;
  s->openai_base_url = g_strdup (base_url);
  return s;
}

/* Every way the override goes wrong: failed, with the value found and the fix. */
static void
test_cursor_judge_base_url (void)
{
  static const struct {
    const char    *found;
    const char    *expected;
    CrCheckStatus  status;
    const char    *shown;     /* in the detail */
    const char    *symptom;
  } cases[] = {
    { "https://crazyrouter.com/v1", CR_DEFAULT_BASE_URL, CR_CHECK_PASSED, "“https://crazyrouter.com/v1”", NULL },
    { "HTTPS://CrazyRouter.com/v1", CR_DEFAULT_BASE_URL, CR_CHECK_PASSED, "CrazyRouter.com", NULL },
    { "https://crazyrouter.com/v1/", CR_DEFAULT_BASE_URL, CR_CHECK_FAILED, "“https://crazyrouter.com/v1/”", "404" },
    { "https://crazyrouter.com/v1/chat/completions", CR_DEFAULT_BASE_URL, CR_CHECK_FAILED,
      "“https://crazyrouter.com/v1/chat/completions”", "404" },
    { "https://crazyrouter.com/v1/models", CR_DEFAULT_BASE_URL, CR_CHECK_FAILED, "/v1/models”", "404" },
    { "https://crazyrouter.com", CR_DEFAULT_BASE_URL, CR_CHECK_FAILED, "“https://crazyrouter.com”", "404" },
    { "http://crazyrouter.com/v1", CR_DEFAULT_BASE_URL, CR_CHECK_FAILED, "“http://crazyrouter.com/v1”", "verify" },
    { "https://api.openai.com/v1", CR_DEFAULT_BASE_URL, CR_CHECK_FAILED, "points at api.openai.com", "verify" },
    { "https://mirror.example/v1/", CR_DEFAULT_BASE_URL, CR_CHECK_FAILED, "points at mirror.example", "404" },
    { " https://crazyrouter.com/v1\n", CR_DEFAULT_BASE_URL, CR_CHECK_FAILED, "space or line break", "verify" },
    { NULL, CR_DEFAULT_BASE_URL, CR_CHECK_FAILED, "Override OpenAI Base URL is off", "verify" },
    /* A key pasted into the URL field is masked, never shown. */
    { "https://crazyrouter.com/v1?key=" CR_TEST_CURSOR_FAKE_KEY, CR_DEFAULT_BASE_URL, CR_CHECK_FAILED, "?…", "verify" },
    /* Another gateway chosen on purpose, matched exactly. */
    { "https://mirror.example/v1", "https://mirror.example/v1", CR_CHECK_PASSED, "mirror.example", NULL },
    /* Reachable from here, not from Cursor's servers. */
    { "http://127.0.0.1:8080/v1", "http://127.0.0.1:8080/v1", CR_CHECK_WARNING, "own servers", "verify" },
    { "https://192.168.1.20/v1", "https://192.168.1.20/v1", CR_CHECK_WARNING, "private-network", "verify" },
    { "https://gateway.lan/v1", "https://gateway.lan/v1", CR_CHECK_WARNING, "own servers", "verify" },
    /* Copying a wrong address is no pass … */
    { "https://crazyrouter.com", "https://crazyrouter.com", CR_CHECK_FAILED, "cannot work", "404" },
    /* … and Cursor is never told to copy one: the repair is what counts. */
    { "https://crazyrouter.com/v1", "https://crazyrouter.com/v1/", CR_CHECK_PASSED, "needs the same fix", NULL },
    { "https://crazyrouter.com/v1/", "https://crazyrouter.com/v1/chat/completions", CR_CHECK_FAILED,
      "“https://crazyrouter.com/v1/”", "404" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CrCheckItem) check = cr_check_item_new_in_section ("cursor-base-url", "Base URL",
                                                                   CR_CHECK_SECTION_CURSOR);
      g_autoptr(CrCursorSnapshot) s = found_snapshot (cases[i].found);
      const char *detail;
      const char *fix;

      cr_cursor_judge_base_url (check, s, cases[i].expected);
      detail = cr_check_item_get_detail (check);
      fix = cr_check_item_get_fix (check);
      g_test_message ("%s: %s — %s (fix: %s)", cases[i].found,
                      cr_check_status_to_string (cr_check_item_get_status (check)), detail, fix);

      g_assert_cmpstr (cr_check_status_to_string (cr_check_item_get_status (check)), ==,
                       cr_check_status_to_string (cases[i].status));
      g_assert_nonnull (strstr (detail, cases[i].shown));
      g_assert_cmpstr (cr_check_item_get_symptom (check), ==, cases[i].symptom);
      g_assert_null (strstr (detail, CR_TEST_CURSOR_FAKE_KEY_PART));
      if (cases[i].status == CR_CHECK_FAILED)
        {
          g_assert_nonnull (fix);
          g_assert_nonnull (strstr (fix, "https://crazyrouter.com/v1"));
        }
      else if (cases[i].status == CR_CHECK_PASSED)
        g_assert_null (fix);
    }
}

static void
test_cursor_private_urls (void)
{
  static const struct { const char *url; gboolean private; } cases[] = {
    { "https://crazyrouter.com/v1", FALSE },
    { "https://8.8.8.8/v1", FALSE },
    { "https://[2001:db8::1]/v1", FALSE },
    { "http://127.0.0.1:3000/v1", TRUE },
    { "http://localhost:3000/v1", TRUE },
    { "http://[::1]:3000/v1", TRUE },
    { "https://10.0.0.5/v1", TRUE },
    { "https://172.16.4.2/v1", TRUE },
    { "https://192.168.0.2/v1", TRUE },
    { "https://169.254.1.1/v1", TRUE },
    { "https://100.64.0.1/v1", TRUE },
    { "https://[fd12::1]/v1", TRUE },
    { "https://[fe80::1]/v1", TRUE },
    { "https://nas.local/v1", TRUE },
    { "https://gateway/v1", TRUE },
    { "https://api.home.arpa/v1", TRUE },
    { "not a url", FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i].url);
      g_assert_cmpint (cr_cursor_url_is_private (cases[i].url), ==, cases[i].private);
    }
}

/* Through a real run: a trailing slash in Cursor fails with the literal
 * value, and a loopback gateway that matches is only a warning. */
static void
test_cursor_base_url_run (Fixture       *f,
                          gconstpointer  data)
{
  const char *base = cr_test_gateway_get_base_url (f->server);
  g_autofree char *slash = g_strdup_printf ("{'useOpenAIKey': true, 'openAIBaseUrl': '%s/'}", base);
  g_autofree char *same = g_strdup_printf ("{'useOpenAIKey': true, 'openAIBaseUrl': '%s'}", base);
  g_autofree char *literal = g_strdup_printf ("“%s/”", base);
  RunResult r = { 0, };

  g_free (use_cursor (f, slash, CR_TEST_CURSOR_NEW_KEY_ROW));
  cr_checklist_set_key (f->list, CR_TEST_TOKEN_GOOD);
  run_and_wait (f, &r);
  assert_item (f, CR_CHECK_CURSOR_BASE_URL, CR_CHECK_FAILED, "404");
  assert_detail_contains (f, CR_CHECK_CURSOR_BASE_URL, literal);
  assert_fix_contains (f, CR_CHECK_CURSOR_BASE_URL, base);
  g_assert_false (cr_checklist_get_ok (f->list));
  run_result_clear (&r);

  g_free (use_cursor (f, same, CR_TEST_CURSOR_NEW_KEY_ROW));
  cr_checklist_set_key (f->list, CR_TEST_TOKEN_GOOD);
  run_and_wait (f, &r);
  assert_item (f, CR_CHECK_CURSOR_BASE_URL, CR_CHECK_WARNING, "verify");
  assert_detail_contains (f, CR_CHECK_CURSOR_BASE_URL, "from its own servers");
  assert_item (f, CR_CHECK_CURSOR_KEY, CR_CHECK_PASSED, NULL);
  /* No catalog, no switch for gpt-5.4: Cursor's settings do not say. */
  assert_item (f, CR_CHECK_CURSOR_MODEL, CR_CHECK_NEEDS_YOU, NULL);
  g_assert_true (cr_checklist_get_ok (f->list));
  run_result_clear (&r);
}

/* claude-… and gemini-… names go to Cursor's other key slots. */
static void
test_cursor_model (Fixture       *f,
                   gconstpointer  data)
{
  RunResult r = { 0, };

  g_free (use_cursor (f,
                      "{'useOpenAIKey': true, 'openAIBaseUrl': 'https://crazyrouter.com/v1',"
                      " 'availableDefaultModels2': [{'name': 'gpt-5.4', 'defaultOn': true}],"
                      " 'aiSettings': {'modelOverrideEnabled': ['claude-sonnet-4-6'],"
                      "                'userAddedModels': ['claude-sonnet-4-6', 'gemini-3-pro-preview']}}",
                      CR_TEST_CURSOR_NEW_KEY_ROW));
  use_official_url (f, CR_TEST_TOKEN_GOOD);
  run_and_wait (f, &r);
  assert_item (f, CR_CHECK_CURSOR_MODEL, CR_CHECK_WARNING, "custom-models");
  assert_detail_contains (f, CR_CHECK_CURSOR_MODEL, "gpt-5.4 is enabled in Cursor.");
  assert_detail_contains (f, CR_CHECK_CURSOR_MODEL, "claude-sonnet-4-6, gemini-3-pro-preview");
  assert_detail_contains (f, CR_CHECK_CURSOR_MODEL, "Anthropic or Google key");
  /* The fix names the table's models, all of them through the gateway. */
  assert_fix_contains (f, CR_CHECK_CURSOR_MODEL, "such as gpt-5.4, gpt-5.4-mini, o4-mini.");
  assert_fix_contains (f, CR_CHECK_CURSOR_MODEL, "Claude Code");
  g_assert_null (strstr (cr_check_item_get_fix (item (f, CR_CHECK_CURSOR_MODEL)), "claude-"));
  /* Verify goes to the OpenAI key: claude-sonnet-4-6 is never its model. */
  g_assert_cmpstr (cr_checklist_get_cursor_verify_model (f->list), ==, "gpt-5.4");
  run_result_clear (&r);

  /* The chosen model switched off: that fails, and says how to turn it on. */
  g_free (use_cursor (f,
                      "{'useOpenAIKey': true, 'openAIBaseUrl': 'https://crazyrouter.com/v1',"
                      " 'availableDefaultModels2': [{'name': 'gpt-5.4', 'defaultOn': true}],"
                      " 'aiSettings': {'modelOverrideDisabled': ['gpt-5.4']}}",
                      CR_TEST_CURSOR_NEW_KEY_ROW));
  run_and_wait (f, &r);
  assert_item (f, CR_CHECK_CURSOR_MODEL, CR_CHECK_FAILED, "no-models");
  assert_detail_contains (f, CR_CHECK_CURSOR_MODEL, "gpt-5.4 is switched off in Cursor");
  assert_fix_contains (f, CR_CHECK_CURSOR_MODEL, "Cursor Settings → Models");
  run_result_clear (&r);
}

/* Not installed, or unreadable: needs you, with the reason and where to
 * look; never a pass, and no failure of the run either. */
static void
test_cursor_not_found (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *dir = NULL;
  g_autofree char *db = NULL;
  RunResult r = { 0, };

  use_official_url (f, CR_TEST_TOKEN_GOOD);
  run_and_wait (f, &r);
  g_assert_no_error (r.error);
  g_assert_true (cr_checklist_get_ok (f->list));
  assert_cursor_items (f, CR_CHECK_NEEDS_YOU, CR_CHECK_NEEDS_YOU, CR_CHECK_NEEDS_YOU, CR_CHECK_PASSED);
  for (guint i = 0; i < G_N_ELEMENTS (cursor_ids); i++)
    {
      assert_detail_contains (f, cursor_ids[i], "not found");
      assert_fix_contains (f, cursor_ids[i], "Cursor Settings → Models");
    }
  assert_fix_contains (f, CR_CHECK_CURSOR_BASE_URL, "exactly https://crazyrouter.com/v1");
  assert_fix_contains (f, CR_CHECK_CURSOR_MODEL, "gpt-5.4");
  g_assert_cmpint (cr_checklist_get_cursor_snapshot (f->list)->status, ==, CR_CURSOR_NOT_INSTALLED);
  /* Without Cursor's choice, Verify is replayed with the chosen model. */
  g_assert_cmpstr (cr_checklist_get_cursor_verify_model (f->list), ==, "gpt-5.4");
  run_result_clear (&r);

  /* A file that is not a database. */
  dir = g_build_filename (f->config, "User", "globalStorage", NULL);
  db = g_build_filename (dir, "state.vscdb", NULL);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (db, "not a database, just text that goes on for a while", -1, NULL));
  run_and_wait (f, &r);
  assert_cursor_items (f, CR_CHECK_NEEDS_YOU, CR_CHECK_NEEDS_YOU, CR_CHECK_NEEDS_YOU, CR_CHECK_PASSED);
  assert_detail_contains (f, CR_CHECK_CURSOR_KEY, "not a database");
  g_assert_true (cr_checklist_get_ok (f->list));
  run_result_clear (&r);
}

/* Without a usable base URL or key nothing is sent, but Cursor is still read. */
static void
test_cursor_without_network (Fixture       *f,
                             gconstpointer  data)
{
  RunResult r = { 0, };

  g_free (use_cursor (f, GOOD_CURSOR, CR_TEST_CURSOR_NEW_KEY_ROW));
  cr_checklist_set_base_url (f->list, "crazyrouter.com/v1");
  run_and_wait (f, &r);
  g_assert_no_error (r.error);
  assert_item (f, CR_CHECK_CURSOR_KEY, CR_CHECK_PASSED, NULL);
  assert_item (f, CR_CHECK_CURSOR_MODEL, CR_CHECK_PASSED, NULL);
  assert_item (f, CR_CHECK_CURSOR_VERIFY, CR_CHECK_NEEDS_YOU, NULL);
  g_assert_cmpuint (cr_test_gateway_get_request_count (f->server), ==, 0);
  run_result_clear (&r);
}

/* Stock new-api's CORS ("*" everywhere, Allow-Credentials: true) is what
 * Chromium allows for Verify's requests: no false failure. */
static void
test_cursor_verify_stock_cors (Fixture       *f,
                               gconstpointer  data)
{
  RunResult r = { 0, };

  g_free (use_cursor (f, GOOD_CURSOR, CR_TEST_CURSOR_NEW_KEY_ROW));
  use_official_url (f, CR_TEST_TOKEN_GOOD);
  run_and_wait (f, &r);
  g_assert_no_error (r.error);

  assert_item (f, CR_CHECK_CURSOR_VERIFY, CR_CHECK_PASSED, NULL);
  assert_detail_contains (f, CR_CHECK_CURSOR_VERIFY, "CORS preflight");
  run_result_clear (&r);
}

/* A gateway that lists the headers it allows, without Authorization:
 * Chromium refuses Verify's request. */
static void
test_cursor_verify_list_without_authorization (Fixture       *f,
                                               gconstpointer  data)
{
  RunResult r = { 0, };

  g_free (use_cursor (f, GOOD_CURSOR, CR_TEST_CURSOR_NEW_KEY_ROW));
  use_official_url (f, CR_TEST_TOKEN_GOOD);
  cr_test_gateway_set_mode (f->server, CR_TEST_MODE_CORS_LIST);
  run_and_wait (f, &r);
  g_assert_no_error (r.error);

  assert_item (f, CR_CHECK_CHAT, CR_CHECK_PASSED, NULL);
  assert_item (f, CR_CHECK_CURSOR_VERIFY, CR_CHECK_FAILED, "verify");
  assert_detail_contains (f, CR_CHECK_CURSOR_VERIFY, "authorization");
  g_assert_false (cr_checklist_get_ok (f->list));
  run_result_clear (&r);
}

/* A gateway that answers no preflight: Cursor's Verify would fail, though
 * every request from here works. */
static void
test_cursor_verify_no_cors (Fixture       *f,
                            gconstpointer  data)
{
  RunResult r = { 0, };

  g_free (use_cursor (f, GOOD_CURSOR, CR_TEST_CURSOR_NEW_KEY_ROW));
  use_official_url (f, CR_TEST_TOKEN_GOOD);
  cr_test_gateway_set_mode (f->server, CR_TEST_MODE_NO_CORS);
  run_and_wait (f, &r);
  g_assert_no_error (r.error);

  assert_item (f, CR_CHECK_CHAT, CR_CHECK_PASSED, NULL);
  assert_item (f, CR_CHECK_LOGS, CR_CHECK_PASSED, NULL);
  assert_item (f, CR_CHECK_CURSOR_VERIFY, CR_CHECK_FAILED, "verify");
  assert_detail_contains (f, CR_CHECK_CURSOR_VERIFY, "404");
  assert_detail_contains (f, CR_CHECK_CURSOR_VERIFY, "CORS preflight");
  assert_fix_contains (f, CR_CHECK_CURSOR_VERIFY, "cross-origin requests (CORS)");
  assert_fix_contains (f, CR_CHECK_CURSOR_VERIFY, "Authorization");
  g_assert_false (cr_checklist_get_ok (f->list));
  run_result_clear (&r);
}

/* Cursor would pick another model than the chosen one: its own request. */
static void
test_cursor_verify_own_model (Fixture       *f,
                              gconstpointer  data)
{
  RunResult r = { 0, };

  g_free (use_cursor (f,
                      "{'useOpenAIKey': true, 'openAIBaseUrl': 'https://crazyrouter.com/v1',"
                      " 'aiSettings': {'modelOverrideEnabled': ['claude-sonnet-4-6', 'deepseek-chat',"
                      "                                         'gpt-5.4']}}",
                      CR_TEST_CURSOR_NEW_KEY_ROW));
  use_official_url (f, CR_TEST_TOKEN_WIDE);
  run_and_wait (f, &r);
  g_assert_no_error (r.error);

  g_assert_cmpstr (cr_checklist_get_cursor_verify_model (f->list), ==, "deepseek-chat");
  assert_item (f, CR_CHECK_CURSOR_VERIFY, CR_CHECK_PASSED, NULL);
  assert_detail_contains (f, CR_CHECK_CURSOR_VERIFY, "deepseek-chat, the first model enabled in Cursor");
  /* The chat check, Verify's own chat, and Cursor's format with Verify's model. */
  g_assert_cmpuint (cr_test_gateway_count_path (f->server, PATH_CHAT), ==, 3);
  assert_detail_contains (f, CR_CHECK_CURSOR_SHAPE, "field messages is required");
  run_result_clear (&r);

  /* A token that allows none of them: the chosen model, and its 403. */
  cr_checklist_set_gateway (f->list, NULL);
  use_official_url (f, CR_TEST_TOKEN_NARROW);
  g_free (use_cursor (f,
                      "{'useOpenAIKey': true, 'openAIBaseUrl': 'https://crazyrouter.com/v1',"
                      " 'aiSettings': {'modelOverrideEnabled': ['deepseek-chat', 'gpt-5.4']}}",
                      CR_TEST_CURSOR_NEW_KEY_ROW));
  run_and_wait (f, &r);
  g_assert_cmpstr (cr_checklist_get_cursor_verify_model (f->list), ==, "gpt-5.4");
  assert_item (f, CR_CHECK_CURSOR_VERIFY, CR_CHECK_FAILED, "403");
  assert_detail_contains (f, CR_CHECK_CURSOR_VERIFY, "403");
  run_result_clear (&r);

  /* A key the gateway refuses: Verify would fail the same way. */
  cr_checklist_set_gateway (f->list, NULL);
  use_official_url (f, "sk-demo-revoked-long-ago");
  run_and_wait (f, &r);
  assert_item (f, CR_CHECK_CURSOR_VERIFY, CR_CHECK_FAILED, "401");
  g_assert_cmpuint (cr_test_gateway_count_preflights (f->server, PATH_CHAT), ==, 2);
  run_result_clear (&r);
}

/* What changed since the remembered check is marked, and a new version is
 * named. */
static void
test_cursor_changed (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *off = good_cursor_with_toggle ("false");
  g_autoptr(GVariant) facts = NULL;
  g_autofree char *version = NULL;
  const CrCursorHistory *history;
  RunResult r = { 0, };

  /* The first check: Cursor 1.4.2 with the key switched off. */
  g_free (use_cursor (f, off, CR_TEST_CURSOR_NEW_KEY_ROW));
  cr_test_cursor_make_install (f->install, "1.4.2");
  use_official_url (f, CR_TEST_TOKEN_GOOD);
  run_and_wait (f, &r);
  run_result_clear (&r);
  cr_cursor_history_to_remember (cr_checklist_get_cursor_snapshot (f->list), &version, &facts);
  g_assert_cmpstr (version, ==, "1.4.2");
  g_assert_nonnull (facts);
  g_assert_cmpstr (g_variant_get_type_string (facts), ==, CR_CURSOR_FACTS_TYPE);
  {
    g_autofree char *printed = g_variant_print (facts, TRUE);

    g_assert_null (strstr (printed, CR_TEST_CURSOR_FAKE_KEY_PART));
  }

  /* Cursor updates itself and the person turns the key back on. */
  cr_test_cursor_make_install (f->install, "1.5.0");
  g_free (use_cursor (f, GOOD_CURSOR, CR_TEST_CURSOR_NEW_KEY_ROW));
  cr_checklist_set_cursor_previous (f->list, version, facts);
  run_and_wait (f, &r);
  run_result_clear (&r);

  history = cr_checklist_get_cursor_history (f->list);
  g_assert_true (history->remembered);
  g_assert_true (history->updated);
  g_assert_cmpstr (history->previous_version, ==, "1.4.2");
  g_assert_cmpstr (history->current_version, ==, "1.5.0");
  g_assert_true (cr_check_item_get_changed (item (f, CR_CHECK_CURSOR_KEY)));
  g_assert_false (cr_check_item_get_changed (item (f, CR_CHECK_CURSOR_BASE_URL)));
  g_assert_false (cr_check_item_get_changed (item (f, CR_CHECK_CURSOR_MODEL)));
  g_assert_false (cr_check_item_get_changed (item (f, CR_CHECK_KEY)));
  assert_item (f, CR_CHECK_CURSOR_KEY, CR_CHECK_PASSED, NULL);

  /* Remembered again: the next run finds nothing new. */
  g_clear_pointer (&version, g_free);
  g_clear_pointer (&facts, g_variant_unref);
  cr_cursor_history_to_remember (cr_checklist_get_cursor_snapshot (f->list), &version, &facts);
  cr_checklist_set_cursor_previous (f->list, version, facts);
  run_and_wait (f, &r);
  run_result_clear (&r);
  history = cr_checklist_get_cursor_history (f->list);
  g_assert_false (history->updated);
  g_assert_cmpint (history->changes, ==, CR_CURSOR_CHANGED_NONE);
  for (guint i = 0; i < G_N_ELEMENTS (cursor_ids); i++)
    g_assert_false (cr_check_item_get_changed (item (f, cursor_ids[i])));
}

static void
test_cursor_history (void)
{
  g_autoptr(CrCursorSnapshot) missing = cr_cursor_snapshot_new ();
  g_autoptr(CrCursorSnapshot) found = found_snapshot ("https://crazyrouter.com/v1");
  g_autoptr(CrCursorHistory) none = NULL;
  g_autoptr(CrCursorHistory) from_version = NULL;
  g_autoptr(CrCursorHistory) unknown_now = NULL;
  g_autoptr(CrCursorHistory) other_format = NULL;
  g_autoptr(GVariant) empty = g_variant_ref_sink (g_variant_new ("a{sv}", NULL));
  g_autoptr(GVariant) wrong = g_variant_ref_sink (g_variant_new_string ("facts"));
  g_autoptr(GVariant) facts = NULL;
  g_autofree char *version = NULL;

  /* Nothing remembered (the GSettings defaults): no news. */
  none = cr_cursor_history_new ("", empty, found);
  g_assert_false (none->remembered);
  g_assert_false (none->updated);
  g_assert_cmpint (none->changes, ==, CR_CURSOR_CHANGED_NONE);
  g_assert_false (cr_cursor_history_item_changed (none, CR_CHECK_CURSOR_KEY));

  found->version = g_strdup ("2.0.1");
  from_version = cr_cursor_history_new ("1.9.0", NULL, found);
  g_assert_true (from_version->remembered);
  g_assert_true (from_version->updated);
  g_assert_cmpstr (from_version->previous_version, ==, "1.9.0");

  /* An unknown version now is not an update. */
  unknown_now = cr_cursor_history_new ("1.9.0", NULL, missing);
  g_assert_false (unknown_now->updated);

  other_format = cr_cursor_history_new (NULL, wrong, found);
  g_assert_false (other_format->remembered);

  /* Only a settings file that was read replaces what is remembered. */
  cr_cursor_history_to_remember (missing, &version, &facts);
  g_assert_null (version);
  g_assert_null (facts);
  cr_cursor_history_to_remember (found, &version, &facts);
  g_assert_cmpstr (version, ==, "2.0.1");
  g_assert_nonnull (facts);
  g_assert_true (g_variant_is_of_type (facts, G_VARIANT_TYPE (CR_CURSOR_FACTS_TYPE)));
}

/* models ∥ usage ∥ Cursor's settings → chat ∥ Verify → logs. */
static void
test_cursor_ordering (Fixture       *f,
                      gconstpointer  data)
{
  Recorder recorder = { f->server, g_array_new (FALSE, FALSE, sizeof (Snapshot)) };
  RunResult r = { 0, };
  const Snapshot *s;
  guint preflights_at_chat_passed;

  g_free (use_cursor (f, GOOD_CURSOR, CR_TEST_CURSOR_NEW_KEY_ROW));
  use_official_url (f, CR_TEST_TOKEN_GOOD);
  cr_test_gateway_set_latency (f->server, 200);
  for (guint i = 0; i < G_N_ELEMENTS (expected_ids); i++)
    g_signal_connect (item (f, expected_ids[i]), "notify::status",
                      G_CALLBACK (on_recorded_status), &recorder);
  run_and_wait (f, &r);
  g_assert_no_error (r.error);

  /* Cursor's settings are read beside the first requests, not after them. */
  s = find_snapshot (&recorder, CR_CHECK_CURSOR_KEY, CR_CHECK_PASSED);
  g_assert_cmpuint (s->chat, ==, 0);
  /* Verify starts once the models answered, with the chat … */
  s = find_snapshot (&recorder, CR_CHECK_KEY, CR_CHECK_PASSED);
  g_assert_cmpuint (s->models, ==, 1);
  g_assert_cmpuint (s->preflights, ==, 0);
  s = find_snapshot (&recorder, CR_CHECK_CHAT, CR_CHECK_RUNNING);
  g_assert_cmpuint (s->models, ==, 1);
  g_assert_cmpuint (s->chat, ==, 0);
  /* … and its preflight was out before the chat answered. */
  s = find_snapshot (&recorder, CR_CHECK_CHAT, CR_CHECK_PASSED);
  g_assert_cmpuint (s->chat, ==, 1);
  g_assert_cmpuint (s->logs, ==, 0);
  preflights_at_chat_passed = s->preflights;
  g_assert_cmpuint (preflights_at_chat_passed, ==, 1);
  s = find_snapshot (&recorder, CR_CHECK_CURSOR_VERIFY, CR_CHECK_PASSED);
  g_assert_cmpuint (s->chat, ==, 1);
  g_assert_cmpuint (s->preflights, ==, 1);
  /* → logs after the chat, as without Cursor. */
  s = find_snapshot (&recorder, CR_CHECK_LOGS, CR_CHECK_RUNNING);
  g_assert_cmpuint (s->chat, ==, 1);
  g_assert_cmpuint (s->logs, ==, 0);
  /* Cursor's own request is judged from the logs the run read anyway. */
  s = find_snapshot (&recorder, CR_CHECK_CURSOR_CHAT, CR_CHECK_NEEDS_YOU);
  g_assert_cmpuint (s->logs, ==, 1);
  /* models, usage and the quota per dollar; then the chat, Verify's two
   * preflights and Cursor's request format. */
  g_assert_cmpuint (cr_test_gateway_get_max_in_flight (f->server), <=, 6);

  for (guint i = 0; i < G_N_ELEMENTS (expected_ids); i++)
    g_signal_handlers_disconnect_by_data (item (f, expected_ids[i]), &recorder);
  g_array_unref (recorder.snapshots);
  run_result_clear (&r);
}

/* Several findings on one item: the most serious wins, with its symptom;
 * the sentences add up. */
static void
test_item_findings (void)
{
  g_autoptr(CrCheckItem) check = cr_check_item_new ("quota", "Quota");
  CrCheckFindings findings = CR_CHECK_FINDINGS_INIT;

  cr_check_findings_add (&findings, CR_CHECK_WARNING, "cost", g_strdup ("No cap."), g_strdup ("Set a cap."));
  cr_check_findings_add (&findings, CR_CHECK_FAILED, "403", g_strdup ("Nothing left."), NULL);
  cr_check_findings_add (&findings, CR_CHECK_NEEDS_YOU, "verify", g_strdup ("Unknown."), g_strdup ("Look."));
  cr_check_findings_add (&findings, CR_CHECK_PASSED, NULL, g_strdup ("Fine."), NULL);
  cr_check_findings_apply (&findings, check);

  g_assert_cmpint (cr_check_item_get_status (check), ==, CR_CHECK_FAILED);
  g_assert_cmpstr (cr_check_item_get_symptom (check), ==, "403");
  g_assert_cmpstr (cr_check_item_get_detail (check), ==, "No cap. Nothing left. Unknown. Fine.");
  g_assert_cmpstr (cr_check_item_get_fix (check), ==, "Set a cap. Look.");
  g_assert_null (findings.detail);

  findings = (CrCheckFindings) CR_CHECK_FINDINGS_INIT;
  cr_check_findings_add (&findings, CR_CHECK_WARNING, "cost", g_strdup ("No cap."), NULL);
  cr_check_findings_add (&findings, CR_CHECK_NEEDS_YOU, "verify", g_strdup ("Unknown."), NULL);
  cr_check_findings_apply (&findings, check);
  g_assert_cmpint (cr_check_item_get_status (check), ==, CR_CHECK_NEEDS_YOU);
  g_assert_cmpstr (cr_check_item_get_symptom (check), ==, "verify");
  g_assert_null (cr_check_item_get_fix (check));
}

int
main (int   argc,
      char *argv[])
{
  /* Loopback only: no system proxy may come between us and the test
   * gateway (and GNOME's proxy module needs schemas the tests do not have). */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func, tls) \
  g_test_add (path, Fixture, GINT_TO_POINTER (tls), fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/checklist/item/notify", test_item_notify);
  g_test_add_func ("/checklist/item/findings", test_item_findings);
  g_test_add_func ("/checklist/item/status-enum", test_status_enum);
  g_test_add_func ("/checklist/judge/base-url", test_judge_base_url);
  g_test_add_func ("/checklist/judge/quota", test_judge_quota);
  ADD ("/checklist/list-model", test_list_model, FALSE);
  ADD ("/checklist/run/good", test_run_good, FALSE);
  ADD ("/checklist/run/bad-key", test_run_bad_key, FALSE);
  ADD ("/checklist/run/narrow", test_run_narrow, FALSE);
  ADD ("/checklist/run/wide", test_run_wide, FALSE);
  ADD ("/checklist/run/exhausted", test_run_exhausted, FALSE);
  ADD ("/checklist/run/ip-locked", test_run_ip_locked, FALSE);
  ADD ("/checklist/run/root-domain", test_run_root_domain, FALSE);
  ADD ("/checklist/run/full-endpoint", test_run_full_endpoint, FALSE);
  ADD ("/checklist/run/not-sendable", test_run_not_sendable, FALSE);
  ADD ("/checklist/run/missing-scheme", test_run_missing_scheme, FALSE);
  ADD ("/checklist/run/no-key", test_run_no_key, FALSE);
  ADD ("/checklist/run/no-logs", test_run_no_logs, FALSE);
  ADD ("/checklist/run/cancel", test_run_cancel, FALSE);
  ADD ("/checklist/run/cancel-logs", test_run_cancel_logs, FALSE);
  ADD ("/checklist/run/twice", test_run_twice, FALSE);
  ADD ("/checklist/run/concurrency", test_run_concurrency, FALSE);
  ADD ("/checklist/run/tls", test_run_tls, TRUE);

  g_test_add_func ("/checklist/cursor/section", test_cursor_section);
  g_test_add_func ("/checklist/cursor/judge-base-url", test_cursor_judge_base_url);
  g_test_add_func ("/checklist/cursor/private-urls", test_cursor_private_urls);
  g_test_add_func ("/checklist/cursor/history", test_cursor_history);
  ADD ("/checklist/cursor/good", test_cursor_good, FALSE);
  ADD ("/checklist/cursor/toggle-off", test_cursor_toggle_off, FALSE);
  ADD ("/checklist/cursor/base-url", test_cursor_base_url_run, FALSE);
  ADD ("/checklist/cursor/model", test_cursor_model, FALSE);
  ADD ("/checklist/cursor/not-found", test_cursor_not_found, FALSE);
  ADD ("/checklist/cursor/without-network", test_cursor_without_network, FALSE);
  ADD ("/checklist/cursor/verify-no-cors", test_cursor_verify_no_cors, FALSE);
  ADD ("/checklist/cursor/verify-stock-cors", test_cursor_verify_stock_cors, FALSE);
  ADD ("/checklist/cursor/verify-list-without-authorization",
       test_cursor_verify_list_without_authorization, FALSE);
  ADD ("/checklist/cursor/verify-own-model", test_cursor_verify_own_model, FALSE);
  ADD ("/checklist/cursor/changed", test_cursor_changed, FALSE);
  ADD ("/checklist/cursor/ordering", test_cursor_ordering, FALSE);

#undef ADD

  return g_test_run ();
}
