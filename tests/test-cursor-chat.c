/* test-cursor-chat.c: telling Cursor's request from ours, and its verdicts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "cr-cursor-chat.h"

#define NOW 1796668800  /* 2026-12-07 */

static CrLogEntry *
entry_new (gint64      created_at,
           gint64      type,
           const char *model,
           gboolean    is_stream,
           const char *content)
{
  CrLogEntry *entry = g_new0 (CrLogEntry, 1);

  entry->created_at = created_at;
  entry->type = type;
  entry->model_name = g_strdup (model);
  entry->is_stream = is_stream;
  entry->content = g_strdup (content);
  return entry;
}

static CrSentRequest *
sent_new (gint64      sent_at,
          gint64      settled_at,
          const char *model,
          gboolean    streamed)
{
  CrSentRequest *request = g_new0 (CrSentRequest, 1);

  request->sent_at = sent_at;
  request->settled_at = settled_at;
  request->model = g_strdup (model);
  request->streamed = streamed;
  return request;
}

static GPtrArray *
logs_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) cr_log_entry_free);
}

static GPtrArray *
sent_array_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) cr_sent_request_free);
}

/* Our test chat (small, not streamed) and our Responses-shape probe
 * (streamed, refused) are ours; Cursor's streamed chat is Cursor's. */
static void
test_find_tells_ours_from_cursors (void)
{
  g_autoptr(GPtrArray) logs = logs_new ();
  g_autoptr(GPtrArray) sent = sent_array_new ();

  g_ptr_array_add (logs, entry_new (NOW - 2, CR_LOG_TYPE_ERROR, "gpt-5.4", TRUE, "field messages is required"));
  g_ptr_array_add (logs, entry_new (NOW - 3, CR_LOG_TYPE_CONSUME, "gpt-5.4", FALSE, NULL));
  g_ptr_array_add (sent, sent_new (NOW - 4, NOW - 3, "gpt-5.4", FALSE));
  g_ptr_array_add (sent, sent_new (NOW - 3, NOW - 2, "gpt-5.4", TRUE));

  g_assert_null (cr_cursor_chat_find (logs, sent, 0, NOW));
  /* Without knowing what we sent, both look like Cursor's. */
  g_assert_true (cr_cursor_chat_find (logs, NULL, 0, NOW) == g_ptr_array_index (logs, 0));

  /* Cursor's own request arrives, newest first. */
  g_ptr_array_insert (logs, 0, entry_new (NOW, CR_LOG_TYPE_CONSUME, "gpt-5.4", TRUE, NULL));
  g_assert_true (cr_cursor_chat_find (logs, sent, 0, NOW) == g_ptr_array_index (logs, 0));
}

/* Our refused request explains an error entry, never Cursor's answered
 * one made in the same second with the same model and streaming. */
static void
test_find_by_outcome (void)
{
  g_autoptr(GPtrArray) logs = logs_new ();
  g_autoptr(GPtrArray) sent = sent_array_new ();
  CrSentRequest *probe = sent_new (NOW - 2, NOW - 1, "gpt-5.4", TRUE);

  probe->outcome = CR_SENT_FAILED;
  g_ptr_array_add (sent, probe);
  g_ptr_array_add (logs, entry_new (NOW - 1, CR_LOG_TYPE_ERROR, "gpt-5.4", TRUE, "field messages is required"));
  g_ptr_array_add (logs, entry_new (NOW - 2, CR_LOG_TYPE_CONSUME, "gpt-5.4", TRUE, NULL));

  g_assert_true (cr_cursor_chat_find (logs, sent, 0, NOW) == g_ptr_array_index (logs, 1));

  /* Answered, it explains the consume entry instead. */
  probe->outcome = CR_SENT_ANSWERED;
  g_assert_true (cr_cursor_chat_find (logs, sent, 0, NOW) == g_ptr_array_index (logs, 0));
}

/* One request of ours explains one entry: two alike entries are ours and
 * Cursor's, not both ours. */
static void
test_find_each_request_once (void)
{
  g_autoptr(GPtrArray) logs = logs_new ();
  g_autoptr(GPtrArray) sent = sent_array_new ();

  g_ptr_array_add (logs, entry_new (NOW - 1, CR_LOG_TYPE_CONSUME, "gpt-5.4", TRUE, NULL));
  g_ptr_array_add (logs, entry_new (NOW - 2, CR_LOG_TYPE_CONSUME, "gpt-5.4", TRUE, NULL));
  g_ptr_array_add (sent, sent_new (NOW - 3, NOW - 2, "gpt-5.4", TRUE));

  g_assert_true (cr_cursor_chat_find (logs, sent, 0, NOW) == g_ptr_array_index (logs, 0));
}

/* Outside the time it was out (with 5 s of skew), an entry is not ours. */
static void
test_find_time_window (void)
{
  g_autoptr(GPtrArray) logs = logs_new ();
  g_autoptr(GPtrArray) sent = sent_array_new ();

  g_ptr_array_add (logs, entry_new (NOW - 100, CR_LOG_TYPE_CONSUME, "gpt-5.4", TRUE, NULL));
  g_ptr_array_add (sent, sent_new (NOW - 10, NOW - 9, "gpt-5.4", TRUE));
  g_assert_true (cr_cursor_chat_find (logs, sent, 0, NOW) == g_ptr_array_index (logs, 0));

  /* Clocks 4 s apart: still ours. */
  ((CrLogEntry *) g_ptr_array_index (logs, 0))->created_at = NOW - 5;
  g_assert_null (cr_cursor_chat_find (logs, sent, 0, NOW));
  /* Still out (settled_at 0): up to now. */
  ((CrSentRequest *) g_ptr_array_index (sent, 0))->settled_at = 0;
  ((CrLogEntry *) g_ptr_array_index (logs, 0))->created_at = NOW;
  g_assert_null (cr_cursor_chat_find (logs, sent, 0, NOW));
}

/* An earlier run's checks (not streamed, a few prompt tokens) are in the
 * logs too, and this run cannot know them: they are never Cursor's. Cursor
 * streams, and sends its context with the message. */
static void
test_find_earlier_checks (void)
{
  g_autoptr(GPtrArray) logs = logs_new ();
  CrLogEntry *earlier_refusal = entry_new (NOW - 60, CR_LOG_TYPE_ERROR, "gpt-5.4", FALSE,
                                           "field messages is required");
  CrLogEntry *earlier_chat = entry_new (NOW - 61, CR_LOG_TYPE_CONSUME, "gpt-5.4", FALSE, NULL);
  CrLogEntry *long_prompt = entry_new (NOW - 3600, CR_LOG_TYPE_CONSUME, "gpt-5.4", FALSE, NULL);

  earlier_chat->prompt_tokens = 19;
  long_prompt->prompt_tokens = 2350;
  g_ptr_array_add (logs, earlier_refusal);
  g_ptr_array_add (logs, earlier_chat);
  g_assert_null (cr_cursor_chat_find (logs, NULL, 0, NOW));

  /* Not streamed, but with real context: not one of our checks. */
  g_ptr_array_add (logs, long_prompt);
  g_assert_true (cr_cursor_chat_find (logs, NULL, 0, NOW) == long_prompt);
}

/* Only what came after @since counts, and only requests (consume or error). */
static void
test_find_since_and_types (void)
{
  g_autoptr(GPtrArray) logs = logs_new ();

  g_ptr_array_add (logs, entry_new (NOW - 10, 4, NULL, FALSE, "system"));
  g_ptr_array_add (logs, entry_new (NOW - 20, 1, NULL, FALSE, "top-up"));
  g_ptr_array_add (logs, entry_new (NOW - 600, CR_LOG_TYPE_CONSUME, "gpt-5.4", TRUE, NULL));

  g_assert_true (cr_cursor_chat_find (logs, NULL, 0, NOW) == g_ptr_array_index (logs, 2));
  g_assert_null (cr_cursor_chat_find (logs, NULL, NOW - 60, NOW));
  /* Skew: 3 s before the watch began still counts. */
  g_assert_true (cr_cursor_chat_find (logs, NULL, NOW - 597, NOW) == g_ptr_array_index (logs, 2));
}

static void
test_error_codes (void)
{
  static const struct {
    const char     *content;
    CrGatewayError  code;
    gboolean        shape;
  } cases[] = {
    { "field messages is required (request id: 2026120720000012ab)", CR_GATEWAY_ERROR_HTTP, TRUE },
    { "This token has no access to model gpt-5.4", CR_GATEWAY_ERROR_MODEL_NOT_ALLOWED, FALSE },
    { "该令牌无权访问模型 gpt-5.4", CR_GATEWAY_ERROR_MODEL_NOT_ALLOWED, FALSE },
    { "您的 IP 不在令牌允许访问的列表中", CR_GATEWAY_ERROR_IP_NOT_ALLOWED, FALSE },
    { "token quota is not enough", CR_GATEWAY_ERROR_QUOTA, FALSE },
    { "Invalid token", CR_GATEWAY_ERROR_UNAUTHORIZED, FALSE },
    { "No available channel for model gpt-5.4 under group default", CR_GATEWAY_ERROR_MODEL_UNAVAILABLE, FALSE },
    { "upstream error: 502", CR_GATEWAY_ERROR_HTTP, FALSE },
    { NULL, CR_GATEWAY_ERROR_HTTP, FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gboolean shape = !cases[i].shape;

      g_assert_cmpint (cr_cursor_chat_error_code (cases[i].content, &shape), ==, cases[i].code);
      g_assert_cmpint (shape, ==, cases[i].shape);
    }
}

static void
test_format (void)
{
  static const struct {
    gint64      seconds;
    const char *text;
  } ago[] = {
    { 0, "just now" }, { 4, "just now" }, { 5, "5 seconds ago" }, { 59, "59 seconds ago" }, { 60, "1 minute ago" },
    { 3599, "59 minutes ago" }, { 3600, "1 hour ago" }, { 47 * 3600, "47 hours ago" },
    { 2 * 86400, "2 days ago" }, { -5, "just now" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (ago); i++)
    {
      g_autofree char *text = cr_cursor_chat_format_ago (ago[i].seconds);

      g_assert_cmpstr (text, ==, ago[i].text);
    }

  {
    g_autofree char *small = cr_cursor_chat_format_cost (6100, 500000);
    g_autofree char *large = cr_cursor_chat_format_cost (750000, 500000);
    g_autofree char *unknown = cr_cursor_chat_format_cost (6100, 0);

    g_assert_cmpstr (small, ==, "$0.0122");
    g_assert_cmpstr (large, ==, "$1.50");
    g_assert_null (unknown);
  }
}

static CrCheckItem *
item_new (void)
{
  return cr_check_item_new_in_section ("cursor-chat", "Cursor’s first chat request reached Crazyrouter",
                                       CR_CHECK_SECTION_CURSOR);
}

static void
assert_contains (const char *text,
                 const char *part)
{
  if (text == NULL || strstr (text, part) == NULL)
    g_error ("“%s” does not contain “%s”", text, part);
}

static void
test_judge_seen (void)
{
  g_autoptr(CrCheckItem) item = item_new ();
  g_autoptr(CrLogEntry) chat = entry_new (NOW - 12, CR_LOG_TYPE_CONSUME, "gpt-5.4", TRUE, NULL);
  g_autoptr(CrLogEntry) shape = entry_new (NOW - 3, CR_LOG_TYPE_ERROR, "gpt-5.4", TRUE,
                                           "field messages is required");
  g_autoptr(CrLogEntry) denied = entry_new (NOW - 3, CR_LOG_TYPE_ERROR, "gpt-5.4", TRUE,
                                            "This token has no access to model gpt-5.4");

  chat->prompt_tokens = 2350;
  chat->completion_tokens = 180;
  chat->quota = 6100;
  chat->use_time = 4;
  cr_cursor_chat_judge_seen (item, chat, 500000, NOW);
  g_assert_cmpint (cr_check_item_get_status (item), ==, CR_CHECK_PASSED);
  assert_contains (cr_check_item_get_detail (item), "gpt-5.4");
  assert_contains (cr_check_item_get_detail (item), "12 seconds ago");
  assert_contains (cr_check_item_get_detail (item), "streamed");
  assert_contains (cr_check_item_get_detail (item), "2350 prompt and 180 completion tokens");
  assert_contains (cr_check_item_get_detail (item), "$0.0122");
  g_assert_null (cr_check_item_get_fix (item));

  /* Without quota_per_unit, no cost is made up. */
  cr_cursor_chat_judge_seen (item, chat, 0, NOW);
  g_assert_null (strstr (cr_check_item_get_detail (item), "$"));

  cr_cursor_chat_judge_seen (item, shape, 500000, NOW);
  g_assert_cmpint (cr_check_item_get_status (item), ==, CR_CHECK_FAILED);
  assert_contains (cr_check_item_get_detail (item), "field messages is required");
  assert_contains (cr_check_item_get_detail (item), "known Cursor bug");
  assert_contains (cr_check_item_get_fix (item), "Update Cursor");

  cr_cursor_chat_judge_seen (item, denied, 500000, NOW);
  g_assert_cmpint (cr_check_item_get_status (item), ==, CR_CHECK_FAILED);
  assert_contains (cr_check_item_get_detail (item), "no access to model");
  g_assert_cmpstr (cr_check_item_get_fix (item), ==, cr_gateway_error_code_fix (CR_GATEWAY_ERROR_MODEL_NOT_ALLOWED));
  g_assert_cmpstr (cr_check_item_get_symptom (item), ==, "403");

  /* Days old: how Cursor was, not how it is. */
  chat->created_at = NOW - 3 * 86400;
  cr_cursor_chat_judge_seen (item, chat, 500000, NOW);
  g_assert_cmpint (cr_check_item_get_status (item), ==, CR_CHECK_NEEDS_YOU);
  assert_contains (cr_check_item_get_detail (item), "3 days ago");
}

static void
test_judge_waiting_nothing_unread (void)
{
  g_autoptr(CrCheckItem) item = item_new ();
  g_autoptr(GError) limited = cr_gateway_error_new (CR_GATEWAY_ERROR_RATE_LIMITED, 429, NULL, 0);
  g_autoptr(GError) missing = cr_gateway_error_new (CR_GATEWAY_ERROR_WRONG_BASE_URL, 404, "Invalid URL", 0);

  cr_cursor_chat_judge_waiting (item, "gpt-5.4", 150);
  g_assert_cmpint (cr_check_item_get_status (item), ==, CR_CHECK_RUNNING);
  assert_contains (cr_check_item_get_detail (item), "3 minutes left");
  cr_cursor_chat_judge_waiting (item, "gpt-5.4", 42);
  assert_contains (cr_check_item_get_detail (item), "42 seconds left");

  cr_cursor_chat_judge_nothing (item, "gpt-5.4", 180);
  g_assert_cmpint (cr_check_item_get_status (item), ==, CR_CHECK_NEEDS_YOU);
  assert_contains (cr_check_item_get_detail (item), "in 3 minutes");
  assert_contains (cr_check_item_get_fix (item), "gpt-5.4");
  cr_cursor_chat_judge_nothing (item, "gpt-5.4", 0);
  assert_contains (cr_check_item_get_detail (item), "recent logs");

  /* A 429 is "wait", never a failure of the setup. */
  cr_cursor_chat_judge_unread (item, limited, 7);
  g_assert_cmpint (cr_check_item_get_status (item), ==, CR_CHECK_NEEDS_YOU);
  assert_contains (cr_check_item_get_detail (item), "20 times in 20 minutes");
  assert_contains (cr_check_item_get_fix (item), "about 7 minutes");

  cr_cursor_chat_judge_unread (item, missing, 0);
  g_assert_cmpint (cr_check_item_get_status (item), ==, CR_CHECK_NEEDS_YOU);
  assert_contains (cr_check_item_get_fix (item), "website");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cursor-chat/find/ours-and-cursors", test_find_tells_ours_from_cursors);
  g_test_add_func ("/cursor-chat/find/each-request-once", test_find_each_request_once);
  g_test_add_func ("/cursor-chat/find/by-outcome", test_find_by_outcome);
  g_test_add_func ("/cursor-chat/find/time-window", test_find_time_window);
  g_test_add_func ("/cursor-chat/find/earlier-checks", test_find_earlier_checks);
  g_test_add_func ("/cursor-chat/find/since-and-types", test_find_since_and_types);
  g_test_add_func ("/cursor-chat/error-codes", test_error_codes);
  g_test_add_func ("/cursor-chat/format", test_format);
  g_test_add_func ("/cursor-chat/judge/seen", test_judge_seen);
  g_test_add_func ("/cursor-chat/judge/waiting-nothing-unread", test_judge_waiting_nothing_unread);

  return g_test_run ();
}
