/* test-inputs.c: input the user can get wrong, on the key page
 *
 * The key and base-URL rows in a real window take what a person may paste
 * or type: a megabyte, binary bytes, right-to-left marks, emoji, a URL
 * with a password in it, an IPv6 literal, an international host name. For
 * each: the page says what it thinks in words, nothing the user typed is
 * cleared (not even by an error after Next), and the field still responds.
 *
 * Runs under headless-run.sh (Xvfb, a private D-Bus session).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "cr-endpoint.h"
#include "cr-key-page.h"
#include "cr-test-gateway.h"
#include "cr-test-ui.h"
#include "cr-verify-page.h"
#include "cr-window.h"

#define MEGABYTE   (1024 * 1024)
#define ENTRY_MAX  65535   /* GTK_ENTRY_BUFFER_MAX_SIZE: a GtkText keeps no more */
#define PASSWORD   "hunter2-Pw0rd"

static GtkApplication *app;
static GString        *logged;   /* every log message of this process */

typedef struct
{
  CrTestGateway *gateway;
  CrSetupState  *state;
  CrWindow      *window;
  CrPage        *key_page;
} Fixture;

static GtkEditable *
key_row (Fixture *f)
{
  return cr_test_ui_child (f->key_page, CR_TYPE_KEY_PAGE, "key_row");
}

static GtkEditable *
url_row (Fixture *f)
{
  return cr_test_ui_child (f->key_page, CR_TYPE_KEY_PAGE, "url_row");
}

static const char *
hint (Fixture    *f,
      const char *name)
{
  return gtk_label_get_text (cr_test_ui_child (f->key_page, CR_TYPE_KEY_PAGE, name));
}

static void
collect_text (GtkWidget *widget,
              GString   *text)
{
  if (GTK_IS_LABEL (widget))
    g_string_append_printf (text, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));
  if (ADW_IS_PREFERENCES_ROW (widget))
    g_string_append_printf (text, "%s\n", adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)));
  if (ADW_IS_ACTION_ROW (widget))
    g_string_append_printf (text, "%s\n", adw_action_row_get_subtitle (ADW_ACTION_ROW (widget)));

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    collect_text (c, text);
}

/* Every label and row title in the window, the entries' own text aside. */
static char *
window_text (Fixture *f)
{
  GString *text = g_string_new (NULL);

  collect_text (GTK_WIDGET (f->window), text);
  return g_string_free (text, FALSE);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->gateway = cr_test_gateway_new (FALSE, 0, &error);
  g_assert_no_error (error);

  f->state = cr_setup_state_new (NULL);
  f->window = cr_test_ui_open_window (app, f->state, 720, 760);

  cr_test_ui_activate (f->window, "assistant.next");
  cr_test_ui_wait_until (g_strcmp0 (cr_test_ui_page_id (f->window), "token") == 0);
  cr_test_ui_activate (f->window, "assistant.next");
  cr_test_ui_wait_until (g_strcmp0 (cr_test_ui_page_id (f->window), "key") == 0);
  f->key_page = cr_window_get_page (f->window);
  g_string_truncate (logged, 0);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  cr_test_ui_close_window (f->window, f->state);
  g_clear_object (&f->gateway);
}

/* ---- typing and pasting ---- */

/* Puts @bytes in @row as a paste would: on the clipboard, then the
 * entry's own Ctrl+V. Returns the seconds it took until the text was in. */
static double
paste (Fixture     *f,
       GtkEditable *row,
       GBytes      *bytes)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (f->window));
  g_autoptr(GdkContentProvider) content = NULL;
  GtkWidget *text = GTK_WIDGET (gtk_editable_get_delegate (row));
  g_autofree char *before = NULL;
  gint64 start;

  gtk_editable_set_text (row, "");
  gtk_widget_grab_focus (GTK_WIDGET (row));
  before = g_strdup (gtk_editable_get_text (row));
  content = gdk_content_provider_new_for_bytes ("text/plain;charset=utf-8", bytes);
  gdk_clipboard_set_content (clipboard, content);

  start = g_get_monotonic_time ();
  /* What Ctrl+V does. */
  g_signal_emit_by_name (text, "paste-clipboard");
  cr_test_ui_wait_until (g_strcmp0 (gtk_editable_get_text (row), before) != 0);
  cr_test_ui_settle (50);
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

/* The field gives up its last character and takes a new one (a full
 * field takes nothing more), and the window keeps drawing: it did not
 * freeze. */
static void
assert_responsive (Fixture     *f,
                   GtkEditable *row)
{
  g_autofree char *was = g_strdup (gtk_editable_get_text (row));
  int length = g_utf8_strlen (was, -1);
  g_autofree char *last = length > 0 ? gtk_editable_get_chars (row, length - 1, -1) : g_strdup ("");
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (f->window));
  gint64 frame = gdk_frame_clock_get_frame_counter (clock);
  gint64 start = g_get_monotonic_time ();
  int position = MAX (length - 1, 0);

  gtk_editable_delete_text (row, position, -1);
  gtk_editable_insert_text (row, "Z", 1, &position);
  g_assert_true (g_str_has_suffix (gtk_editable_get_text (row), "Z"));
  g_assert_cmpint (g_utf8_strlen (gtk_editable_get_text (row), -1), ==, MAX (length, 1));
  gtk_editable_delete_text (row, position - 1, -1);
  position--;
  gtk_editable_insert_text (row, last, -1, &position);
  g_assert_cmpstr (gtk_editable_get_text (row), ==, was);

  gtk_widget_queue_draw (GTK_WIDGET (f->window));
  cr_test_ui_wait_until (gdk_frame_clock_get_frame_counter (clock) > frame);
  g_assert_cmpint (g_get_monotonic_time () - start, <, CR_TEST_UI_USEC (5 * G_USEC_PER_SEC));
}

/* A hint is a sentence, not an echo of a megabyte. */
static void
assert_hints_short (Fixture *f)
{
  g_assert_cmpuint (strlen (hint (f, "key_hint")), <, 1000);
  g_assert_cmpuint (strlen (hint (f, "url_hint")), <, 1000);
  g_assert_cmpuint (strlen (hint (f, "fix_label")), <, 3000);
  g_assert_cmpstr (hint (f, "key_hint"), !=, "");
  g_assert_cmpstr (hint (f, "url_hint"), !=, "");
}

/* Next, when the page allows it, then back: both fields as they were. */
static void
assert_survives_next (Fixture *f)
{
  g_autofree char *key = g_strdup (gtk_editable_get_text (key_row (f)));
  g_autofree char *url = g_strdup (gtk_editable_get_text (url_row (f)));

  if (cr_test_ui_next_enabled (f->window))
    {
      cr_test_ui_activate (f->window, "assistant.next");
      cr_test_ui_wait_until (g_strcmp0 (cr_test_ui_page_id (f->window), "verify") == 0);
      cr_test_ui_wait_until (g_strcmp0 (gtk_stack_get_visible_child_name (
                                          GTK_STACK (adw_bin_get_child (ADW_BIN (cr_window_get_page (f->window))))),
                                        "running") != 0);
      cr_test_ui_activate (f->window, "assistant.back");
      g_assert_cmpstr (cr_test_ui_page_id (f->window), ==, "key");
    }
  g_assert_cmpstr (gtk_editable_get_text (key_row (f)), ==, key);
  g_assert_cmpstr (gtk_editable_get_text (url_row (f)), ==, url);
}

/* ---- the cases ---- */

static GBytes *
megabyte_of (const char *start,
             char        fill)
{
  GString *text = g_string_new (start);

  while (text->len < MEGABYTE)
    g_string_append_c (text, fill);
  return g_string_free_to_bytes (text);
}

static void
test_paste_megabyte_key (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GBytes) bytes = megabyte_of ("sk-demo-", 'a');
  double took;

  gtk_editable_set_text (url_row (f), cr_test_gateway_get_base_url (f->gateway));
  took = paste (f, key_row (f), bytes);
  g_test_message ("A megabyte pasted into the key in %.2f s", took);
  g_assert_cmpfloat (took, <, 5.0 * cr_test_ui_time_scale ());
  /* As much as an entry holds: GTK cuts the paste, the page does not. */
  g_assert_cmpuint (strlen (gtk_editable_get_text (key_row (f))), >=, ENTRY_MAX - 4);
  assert_hints_short (f);
  g_test_message ("The page says: %s", hint (f, "key_hint"));
  /* Far longer than any key: refused before it can travel anywhere, and
   * the paste stays for the user to fix. */
  g_assert_false (cr_test_ui_next_enabled (f->window));
  assert_responsive (f, key_row (f));
  assert_survives_next (f);
}

static void
test_paste_megabyte_url (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GBytes) bytes = megabyte_of ("https://crazyrouter.com/v1/", 'a');
  double took;

  gtk_editable_set_text (key_row (f), CR_TEST_TOKEN_GOOD);
  took = paste (f, url_row (f), bytes);
  g_test_message ("A megabyte pasted into the base URL in %.2f s", took);
  g_assert_cmpfloat (took, <, 5.0 * cr_test_ui_time_scale ());
  g_assert_cmpuint (strlen (gtk_editable_get_text (url_row (f))), >=, ENTRY_MAX - 4);
  assert_hints_short (f);
  assert_responsive (f, url_row (f));
  assert_survives_next (f);
}

/* NULs, escapes, bytes that are not UTF-8: whatever the paste lets in is
 * text, judged in words, and stays. */
static void
test_paste_binary (Fixture       *f,
                   gconstpointer  data)
{
  static const char binary[] = "sk-demo-\x00\x01\x1b[31m\xff\xfe\x80\x7f\t\r\nkey\xc3\x28" "end";
  g_autoptr(GBytes) bytes = g_bytes_new_static (binary, sizeof binary - 1);
  GtkEditable *rows[] = { key_row (f), url_row (f) };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      const char *text;

      paste (f, rows[i], bytes);
      text = gtk_editable_get_text (rows[i]);
      g_test_message ("Pasted binary became %" G_GSIZE_FORMAT " bytes", strlen (text));
      g_assert_true (g_utf8_validate (text, -1, NULL));
      assert_hints_short (f);
      g_assert_false (cr_test_ui_next_enabled (f->window));
      assert_responsive (f, rows[i]);
      assert_survives_next (f);
    }

  /* Typed control characters (an entry lets them in through set-text). */
  gtk_editable_set_text (key_row (f), "sk-demo-\x01\x02\x7f-good");
  gtk_editable_set_text (url_row (f), "https://crazy\x01router.com/v1\x7f");
  assert_hints_short (f);
  g_assert_false (cr_test_ui_next_enabled (f->window));
  assert_survives_next (f);
  g_assert_cmpstr (gtk_editable_get_text (key_row (f)), ==, "sk-demo-\x01\x02\x7f-good");
  g_assert_cmpstr (gtk_editable_get_text (url_row (f)), ==, "https://crazy\x01router.com/v1\x7f");
}

/* Marks copied along from a right-to-left page. */
static void
test_rtl_marks (Fixture       *f,
                gconstpointer  data)
{
  const char *key = "\u200F" CR_TEST_TOKEN_GOOD "\u200E";
  const char *url = "\u202B" "https://crazyrouter.com/v1" "\u202C";

  gtk_editable_set_text (key_row (f), key);
  gtk_editable_set_text (url_row (f), url);
  assert_hints_short (f);
  g_test_message ("The page says: %s / %s", hint (f, "key_hint"), hint (f, "url_hint"));
  assert_responsive (f, key_row (f));
  assert_responsive (f, url_row (f));
  assert_survives_next (f);
  g_assert_cmpstr (gtk_editable_get_text (key_row (f)), ==, key);
  g_assert_cmpstr (gtk_editable_get_text (url_row (f)), ==, url);
  /* The invisible marks never travel: not in what went to the gateway. */
  if (cr_setup_state_get_key (f->state) != NULL)
    g_assert_cmpstr (cr_setup_state_get_key (f->state), ==, CR_TEST_TOKEN_GOOD);
  g_assert_null (strstr (cr_setup_state_get_base_url (f->state), "\u202B"));
  g_assert_null (strstr (cr_setup_state_get_base_url (f->state), "\u202C"));

  if (gtk_widget_get_visible (cr_test_ui_child (f->key_page, CR_TYPE_KEY_PAGE, "fix_button")))
    {
      g_signal_emit_by_name (cr_test_ui_child (f->key_page, CR_TYPE_KEY_PAGE, "fix_button"), "clicked");
      g_assert_cmpstr (gtk_editable_get_text (url_row (f)), ==, "https://crazyrouter.com/v1");
      /* The key field was not touched by the URL's repair. */
      g_assert_cmpstr (gtk_editable_get_text (key_row (f)), ==, key);
    }
}

static void
test_emoji (Fixture       *f,
            gconstpointer  data)
{
  const char *key = "sk-demo-\U0001F600-\U0001F1E9\U0001F1EA-good";
  const char *url = "https://crazyrouter.com/v1/\U0001F600";

  gtk_editable_set_text (key_row (f), key);
  gtk_editable_set_text (url_row (f), url);
  assert_hints_short (f);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (key_row (f)), "error"));
  g_assert_false (cr_test_ui_next_enabled (f->window));
  assert_responsive (f, key_row (f));
  assert_responsive (f, url_row (f));
  assert_survives_next (f);
  g_assert_cmpstr (gtk_editable_get_text (key_row (f)), ==, key);
  g_assert_cmpstr (gtk_editable_get_text (url_row (f)), ==, url);
}

/* A password in the URL: refused with a reason, and the password shown
 * nowhere, logged nowhere, kept nowhere but in the field. */
static void
test_url_with_credentials (Fixture       *f,
                           gconstpointer  data)
{
  const char *url = "https://user:" PASSWORD "@crazyrouter.com/v1";
  g_autofree char *shown = NULL;

  gtk_editable_set_text (key_row (f), CR_TEST_TOKEN_GOOD);
  gtk_editable_set_text (url_row (f), url);
  assert_hints_short (f);
  g_test_message ("The page says: %s", hint (f, "url_hint"));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (url_row (f)), "error"));
  g_assert_false (cr_test_ui_next_enabled (f->window));
  g_assert_null (strstr (hint (f, "url_hint"), "user:"));

  shown = window_text (f);
  g_assert_null (strstr (shown, PASSWORD));
  g_assert_null (strstr (logged->str, PASSWORD));
  g_assert_null (strstr (cr_setup_state_get_base_url (f->state), PASSWORD));

  assert_responsive (f, url_row (f));
  assert_survives_next (f);
  g_assert_cmpstr (gtk_editable_get_text (url_row (f)), ==, url);

  /* A repair, if offered, leaves the password out. */
  if (gtk_widget_get_visible (cr_test_ui_child (f->key_page, CR_TYPE_KEY_PAGE, "fix_button")))
    {
      g_signal_emit_by_name (cr_test_ui_child (f->key_page, CR_TYPE_KEY_PAGE, "fix_button"), "clicked");
      g_assert_null (strstr (gtk_editable_get_text (url_row (f)), PASSWORD));
    }
  /* Enter does not send it anywhere either. */
  gtk_editable_set_text (url_row (f), url);
  g_signal_emit_by_name (url_row (f), "entry-activated");
  cr_test_ui_settle (100);
  g_assert_cmpstr (cr_test_ui_page_id (f->window), ==, "key");
  g_assert_cmpuint (cr_test_gateway_get_request_count (f->gateway), ==, 0);
  g_assert_null (strstr (cr_setup_state_get_base_url (f->state), PASSWORD));
  g_assert_null (strstr (logged->str, PASSWORD));
}

/* An IPv6 literal is a URL like any other; nothing listens on [::1] here,
 * so verify says it could not connect, and the fields stay. */
static void
test_ipv6_literal (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *url = NULL;
  const char *root = cr_test_gateway_get_root_url (f->gateway);
  CrPage *verify;

  url = g_strdup_printf ("http://[::1]%s/v1", strrchr (root, ':'));
  gtk_editable_set_text (key_row (f), CR_TEST_TOKEN_GOOD);
  gtk_editable_set_text (url_row (f), url);
  assert_hints_short (f);
  g_test_message ("The page says: %s", hint (f, "url_hint"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (url_row (f)), "error"));
  g_assert_true (cr_test_ui_next_enabled (f->window));

  cr_test_ui_activate (f->window, "assistant.next");
  cr_test_ui_wait_until (g_strcmp0 (cr_test_ui_page_id (f->window), "verify") == 0);
  verify = cr_window_get_page (f->window);
  cr_test_ui_wait_until (g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (adw_bin_get_child (ADW_BIN (verify)))),
                                    "running") != 0);
  g_assert_cmpstr (cr_setup_state_get_base_url (f->state), ==, url);
  g_assert_nonnull (strstr (gtk_label_get_text (cr_test_ui_child (verify, CR_TYPE_VERIFY_PAGE, "running_detail")),
                            "[::1]"));
  cr_test_ui_activate (f->window, "assistant.back");
  g_assert_cmpstr (gtk_editable_get_text (url_row (f)), ==, url);
  g_assert_cmpstr (gtk_editable_get_text (key_row (f)), ==, CR_TEST_TOKEN_GOOD);
  assert_responsive (f, url_row (f));
}

/* An international host name: accepted as another gateway, as typed. */
static void
test_idn_host (Fixture       *f,
               gconstpointer  data)
{
  const char *urls[] = { "https://bücher.example/v1", "https://xn--bcher-kva.example/v1",
                         "https://路由器.例子/v1" };

  gtk_editable_set_text (key_row (f), CR_TEST_TOKEN_GOOD);
  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      gtk_editable_set_text (url_row (f), urls[i]);
      assert_hints_short (f);
      g_test_message ("%s: %s", urls[i], hint (f, "url_hint"));
      g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (url_row (f)), "error"));
      g_assert_true (cr_test_ui_next_enabled (f->window));
      g_assert_cmpstr (gtk_editable_get_text (url_row (f)), ==, urls[i]);
      assert_responsive (f, url_row (f));
    }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  logged = g_string_new (NULL);
  g_log_set_writer_func (cr_test_ui_log_to_string, logged, NULL);
  gtk_test_init (&argc, &argv, NULL);
  app = cr_test_ui_new_app ("com.crazyrouter.SetupAssistant.TestInputs");

#define ADD(path, func) g_test_add ("/inputs/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("paste-megabyte-key", test_paste_megabyte_key);
  ADD ("paste-megabyte-url", test_paste_megabyte_url);
  ADD ("paste-binary", test_paste_binary);
  ADD ("rtl-marks", test_rtl_marks);
  ADD ("emoji", test_emoji);
  ADD ("url-with-credentials", test_url_with_credentials);
  ADD ("ipv6-literal", test_ipv6_literal);
  ADD ("idn-host", test_idn_host);
#undef ADD

  status = g_test_run ();
  g_clear_object (&app);
  g_string_free (logged, TRUE);
  return status;
}
