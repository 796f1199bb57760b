/* test-hostile.c: the wizard against a hostile gateway, in a real window
 *
 * One test per fault of the loopback gateway (tests/cr-test-gateway.h),
 * driven through the verify step (and the model step's test message where
 * the chat answer matters). Each asserts what the user sees: the typed
 * problem with its cause and fix, no hang past the gateway's timeout,
 * Escape still stopping a check at once, and the key and base URL the user
 * typed still in their fields afterwards. test-gateway covers the same
 * faults at the client level.
 *
 * Runs under headless-run.sh (Xvfb, a private D-Bus session).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "cr-checklist.h"
#include "cr-endpoint.h"
#include "cr-gateway-error.h"
#include "cr-key.h"
#include "cr-key-page.h"
#include "cr-model-page.h"
#include "cr-test-gateway.h"
#include "cr-test-ui.h"
#include "cr-verify-page.h"
#include "cr-window.h"

/* As pasted from a web page: the key page cleans it, but keeps the text. */
#define TYPED_KEY       "  \"Bearer " CR_TEST_TOKEN_GOOD "\"\n"
/* Seconds, for the faults that never answer: short, but scaled so that a
 * sanitizer build still reads a 10 MB body to its size cap in time. */
#define SHORT_TIMEOUT   (2 * cr_test_ui_time_scale ())
#define CHAT_PATH       "/v1/chat/completions"
#define MODELS_PATH     "/v1/models"

static GtkApplication *app;

typedef struct
{
  CrTestGateway *gateway;
  CrSetupState  *state;
  CrWindow      *window;
  char          *typed_url;
} Fixture;

/* What the Escape key does: the window's own Escape shortcut, run as the
 * key press would run it. */
static void
press_escape (Fixture *f)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (f->window));
  GtkShortcutTrigger *escape = gtk_keyval_trigger_new (GDK_KEY_Escape, 0);
  gboolean pressed = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !pressed; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)) && !pressed; j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          if (!gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), escape))
            continue;
          g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0,
                                                       GTK_WIDGET (f->window),
                                                       gtk_shortcut_get_arguments (shortcut)));
          pressed = TRUE;
        }
    }
  g_object_unref (escape);
  g_assert_true (pressed);
}

/* ---- what the page shows ---- */

static void
assert_shown (gpointer    widget,
              const char *expected)
{
  g_autofree char *text = cr_test_ui_shown_text (widget);

  if (strstr (text, expected) == NULL)
    g_error ("“%s” is not shown; the page says:\n%s", expected, text);
}

static gboolean
is_control_or_bidi (gunichar c)
{
  if (c == '\n')
    return FALSE;  /* the page's own line breaks */
  return g_unichar_iscntrl (c) ||
         (c >= 0x202A && c <= 0x202E) ||   /* embeddings and overrides */
         (c >= 0x2066 && c <= 0x2069);     /* isolates */
}

/* The hostile server message, as the user sees it in @label: plain text,
 * markup shown literally, no control or bidi characters, capped. */
static void
assert_hostile_text_safe (GtkLabel *label)
{
  const char *text = gtk_label_get_text (label);
  PangoLayout *layout;

  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (label)));
  g_assert_false (gtk_label_get_use_markup (label));
  g_assert_true (g_utf8_validate (text, -1, NULL));
  /* The gateway's message starts with "<b>Bold</b> <a href=…>": literal. */
  g_assert_nonnull (strstr (text, "<b>Bold</b>"));
  g_assert_nonnull (strstr (text, "<a href="));
  g_assert_nonnull (strstr (text, "line one line two tabbed"));
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (is_control_or_bidi (g_utf8_get_char (p)))
      g_error ("U+%04X shown in “%s”", g_utf8_get_char (p), text);
  /* Capped: the server sent a megabyte. */
  g_assert_cmpuint (g_utf8_strlen (text, -1), <=, CR_GATEWAY_MESSAGE_MAX_CHARS + 80);
  g_assert_nonnull (strstr (text, "…"));

  /* What Pango lays out is the text itself, tags and all. */
  layout = gtk_label_get_layout (label);
  g_assert_nonnull (strstr (pango_layout_get_text (layout), "<b>Bold</b>"));
}

/* No label outside @except shows any of the server's words. */
static void
assert_server_words_only_in (GtkWidget *widget,
                             GtkWidget *except)
{
  if (widget == except)
    return;
  if (GTK_IS_LABEL (widget))
    g_assert_null (strstr (gtk_label_get_text (GTK_LABEL (widget)), "Bold"));
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    assert_server_words_only_in (c, except);
}

/* ---- setting up ---- */

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->gateway = cr_test_gateway_new_full (GPOINTER_TO_INT (data), 0, &error);
  g_assert_no_error (error);
  f->typed_url = g_strdup (cr_test_gateway_get_base_url (f->gateway));

  f->state = cr_setup_state_new (NULL);
  f->window = cr_test_ui_open_window (app, f->state, 720, 820);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  cr_test_ui_close_window (f->window, f->state);
  g_clear_object (&f->gateway);
  g_free (f->typed_url);
}

/* The user pastes the key and the URL on the key page. The test then puts
 * the same values in the state itself and installs a client for them with
 * a short timeout (and the gateway's CA): the key page hands over equal
 * values, so this client is the one the next steps use. */
static void
type_key_and_url (Fixture *f)
{
  CrKeyPage *key_page;
  g_autoptr(CrEndpointDiagnosis) diagnosis = cr_endpoint_diagnose (f->typed_url);
  g_autoptr(CrGateway) client = NULL;
  char *key;

  g_assert_cmpstr (cr_test_ui_page_id (f->window), ==, "welcome");
  cr_test_ui_activate (f->window, "assistant.next");
  cr_test_ui_wait_until (g_strcmp0 (cr_test_ui_page_id (f->window), "token") == 0);
  cr_test_ui_activate (f->window, "assistant.next");
  cr_test_ui_wait_until (g_strcmp0 (cr_test_ui_page_id (f->window), "key") == 0);

  key_page = CR_KEY_PAGE (cr_window_get_page (f->window));
  gtk_editable_set_text (cr_test_ui_child (key_page, CR_TYPE_KEY_PAGE, "key_row"), TYPED_KEY);
  gtk_editable_set_text (cr_test_ui_child (key_page, CR_TYPE_KEY_PAGE, "url_row"), f->typed_url);
  g_assert_true (cr_test_ui_next_enabled (f->window));

  key = cr_key_clean (TYPED_KEY);
  cr_setup_state_set_base_url (f->state, diagnosis->input);
  cr_setup_state_set_key (f->state, key);
  client = cr_gateway_new (diagnosis->input, key);
  cr_key_free (key);
  cr_gateway_set_timeout (client, (guint) SHORT_TIMEOUT);
  if (cr_test_gateway_get_tls_database (f->gateway) != NULL)
    cr_gateway_set_tls_database (client, cr_test_gateway_get_tls_database (f->gateway));
  cr_setup_state_set_gateway (f->state, client);
}

static void
assert_input_kept (Fixture *f)
{
  CrPage *key_page = cr_window_lookup_page (f->window, "key");

  g_assert_cmpstr (gtk_editable_get_text (cr_test_ui_child (key_page, CR_TYPE_KEY_PAGE, "key_row")), ==, TYPED_KEY);
  g_assert_cmpstr (gtk_editable_get_text (cr_test_ui_child (key_page, CR_TYPE_KEY_PAGE, "url_row")), ==, f->typed_url);
}

/* Back from wherever the wizard is to the key page: both fields as typed. */
static void
back_to_key_page (Fixture *f)
{
  while (g_strcmp0 (cr_test_ui_page_id (f->window), "key") != 0)
    {
      const char *before = cr_test_ui_page_id (f->window);

      cr_test_ui_activate (f->window, "assistant.back");
      g_assert_cmpstr (cr_test_ui_page_id (f->window), !=, before);
    }
  assert_input_kept (f);
  g_assert_true (cr_test_ui_next_enabled (f->window));
}

/* ---- step 4: verify ---- */

static const char *
verify_view (Fixture *f)
{
  CrPage *verify = cr_window_lookup_page (f->window, "verify");

  return gtk_stack_get_visible_child_name (GTK_STACK (adw_bin_get_child (ADW_BIN (verify))));
}

/* Next on the key page; returns how long the check took, in seconds. */
static double
run_verify (Fixture *f)
{
  gint64 start = g_get_monotonic_time ();

  cr_test_ui_activate (f->window, "assistant.next");
  cr_test_ui_wait_until (g_strcmp0 (cr_test_ui_page_id (f->window), "verify") == 0);
  cr_test_ui_wait_until (g_strcmp0 (verify_view (f), "running") != 0);
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

static void
assert_verify_problem (Fixture        *f,
                       CrGatewayError  code)
{
  CrPage *verify = cr_window_lookup_page (f->window, "verify");
  const char *fix = adw_action_row_get_subtitle (cr_test_ui_child (verify, CR_TYPE_VERIFY_PAGE, "fix_row"));

  g_assert_cmpstr (cr_test_ui_page_id (f->window), ==, "verify");
  g_assert_cmpstr (verify_view (f), ==, "problem");
  g_assert_false (cr_page_get_complete (verify));
  g_assert_false (cr_test_ui_next_enabled (f->window));
  g_assert_cmpstr (adw_action_row_get_subtitle (cr_test_ui_child (verify, CR_TYPE_VERIFY_PAGE, "cause_row")), ==,
                   cr_gateway_error_code_cause (code));
  if (code != CR_GATEWAY_ERROR_RATE_LIMITED)
    g_assert_cmpstr (fix, ==, cr_gateway_error_code_fix (code));
  g_assert_true (gtk_widget_get_visible (cr_test_ui_child (verify, CR_TYPE_VERIFY_PAGE, "cause_row")));
  g_assert_true (gtk_widget_get_visible (cr_test_ui_child (verify, CR_TYPE_VERIFY_PAGE, "fix_row")));
  g_assert_true (gtk_widget_get_mapped (cr_test_ui_child (verify, CR_TYPE_VERIFY_PAGE, "retry_button")));
  g_assert_cmpstr (gtk_label_get_text (cr_test_ui_child (verify, CR_TYPE_VERIFY_PAGE, "problem_title")), !=,
                   "Check stopped");
}

/* Try Again while the gateway is slow (or silent), then Escape: the page
 * gives control back before the gateway has answered, and a late answer
 * changes nothing. */
static void
assert_escape_stops_verify (Fixture *f,
                            gboolean reaches_gateway)
{
  CrPage *verify = cr_window_lookup_page (f->window, "verify");
  guint before = cr_test_gateway_get_request_count (f->gateway);

  cr_test_gateway_set_latency (f->gateway, 1500);
  cr_test_ui_click (cr_test_ui_child (verify, CR_TYPE_VERIFY_PAGE, "retry_button"));
  g_assert_cmpstr (verify_view (f), ==, "running");
  if (reaches_gateway)
    cr_test_ui_wait_until (cr_test_gateway_get_request_count (f->gateway) > before);

  press_escape (f);
  g_assert_cmpstr (verify_view (f), ==, "problem");
  g_assert_cmpstr (gtk_label_get_text (cr_test_ui_child (verify, CR_TYPE_VERIFY_PAGE, "problem_title")), ==,
                   "Check stopped");
  g_assert_true (gtk_widget_has_focus (cr_test_ui_child (verify, CR_TYPE_VERIFY_PAGE, "retry_button")));
  cr_test_ui_settle (200);
  g_assert_cmpstr (gtk_label_get_text (cr_test_ui_child (verify, CR_TYPE_VERIFY_PAGE, "problem_title")), ==,
                   "Check stopped");
  cr_test_gateway_set_latency (f->gateway, 0);
}

/* The gateway behaves again: the same key and URL go through. */
static void
assert_recovers (Fixture *f)
{
  cr_test_gateway_set_mode (f->gateway, CR_TEST_MODE_NORMAL);
  g_assert_cmpstr (cr_test_ui_page_id (f->window), ==, "key");
  run_verify (f);
  g_assert_cmpstr (verify_view (f), ==, "done");
  g_assert_true (cr_test_ui_next_enabled (f->window));
}

/* The whole round for one fault, at the verify step. */
static void
verify_against (Fixture        *f,
                CrTestMode      mode,
                CrGatewayError  code)
{
  double took;
  /* Faults that never answer end at the client's deadline; the others at
   * once (a 10 MB body included: it is cut off at the size cap). */
  double scale = cr_test_ui_time_scale ();
  double limit = code == CR_GATEWAY_ERROR_TIMEOUT ? SHORT_TIMEOUT + 2.0 * scale : 5.0 * scale;

  type_key_and_url (f);
  cr_test_gateway_set_mode (f->gateway, mode);
  took = run_verify (f);
  g_test_message ("%s: the problem was shown after %.2f s", cr_test_mode_to_string (mode), took);
  g_assert_cmpfloat (took, <, limit);
  if (code == CR_GATEWAY_ERROR_TIMEOUT)
    g_assert_cmpfloat (took, >=, SHORT_TIMEOUT - 0.5);
  assert_verify_problem (f, code);

  assert_escape_stops_verify (f, TRUE);
  back_to_key_page (f);
  assert_recovers (f);
}

static void
test_verify_garbage (Fixture       *f,
                     gconstpointer  data)
{
  verify_against (f, CR_TEST_MODE_GARBAGE, CR_GATEWAY_ERROR_MALFORMED);
}

static void
test_verify_wrong_shape (Fixture       *f,
                         gconstpointer  data)
{
  verify_against (f, CR_TEST_MODE_WRONG_SHAPE, CR_GATEWAY_ERROR_MALFORMED);
}

static void
test_verify_truncated (Fixture       *f,
                       gconstpointer  data)
{
  verify_against (f, CR_TEST_MODE_TRUNCATED, CR_GATEWAY_ERROR_MALFORMED);
}

static void
test_verify_huge (Fixture       *f,
                  gconstpointer  data)
{
  verify_against (f, CR_TEST_MODE_HUGE, CR_GATEWAY_ERROR_TOO_LARGE);
}

static void
test_verify_endless (Fixture       *f,
                     gconstpointer  data)
{
  verify_against (f, CR_TEST_MODE_ENDLESS, CR_GATEWAY_ERROR_TIMEOUT);
}

static void
test_verify_slow_headers (Fixture       *f,
                          gconstpointer  data)
{
  verify_against (f, CR_TEST_MODE_SLOW_HEADERS, CR_GATEWAY_ERROR_TIMEOUT);
}

static void
test_verify_hang (Fixture       *f,
                  gconstpointer  data)
{
  verify_against (f, CR_TEST_MODE_HANG, CR_GATEWAY_ERROR_TIMEOUT);
}

/* An HTML 502 from a proxy: the server problem, not the page's markup. */
static void
test_verify_bad_gateway_html (Fixture       *f,
                              gconstpointer  data)
{
  CrPage *verify = cr_window_lookup_page (f->window, "verify");
  g_autofree char *text = NULL;

  type_key_and_url (f);
  cr_test_gateway_set_mode (f->gateway, CR_TEST_MODE_BAD_GATEWAY_HTML);
  run_verify (f);
  assert_verify_problem (f, CR_GATEWAY_ERROR_SERVER);
  assert_shown (verify, "502");
  text = cr_test_ui_shown_text (verify);
  g_assert_null (strstr (text, "<html"));
  g_assert_null (strstr (text, "<center>"));

  assert_escape_stops_verify (f, TRUE);
  back_to_key_page (f);
  assert_recovers (f);
}

/* Every call answers 500: each Try Again says so, with the server fix;
 * once the gateway is well again, Try Again goes through. */
static void
test_verify_server_error_storm (Fixture       *f,
                                gconstpointer  data)
{
  CrPage *verify = cr_window_lookup_page (f->window, "verify");

  type_key_and_url (f);
  cr_test_gateway_set_mode (f->gateway, CR_TEST_MODE_SERVER_ERROR);
  run_verify (f);
  assert_verify_problem (f, CR_GATEWAY_ERROR_SERVER);
  assert_shown (verify, "500");

  for (guint i = 0; i < 3; i++)
    {
      guint before = cr_test_gateway_count_path (f->gateway, MODELS_PATH);

      cr_test_ui_click (cr_test_ui_child (verify, CR_TYPE_VERIFY_PAGE, "retry_button"));
      cr_test_ui_wait_until (g_strcmp0 (verify_view (f), "running") != 0);
      assert_verify_problem (f, CR_GATEWAY_ERROR_SERVER);
      g_assert_cmpuint (cr_test_gateway_count_path (f->gateway, MODELS_PATH), ==, before + 1);
    }

  assert_escape_stops_verify (f, TRUE);

  cr_test_gateway_set_mode (f->gateway, CR_TEST_MODE_NORMAL);
  cr_test_ui_click (cr_test_ui_child (verify, CR_TYPE_VERIFY_PAGE, "retry_button"));
  cr_test_ui_wait_until (g_strcmp0 (verify_view (f), "running") != 0);
  g_assert_cmpstr (verify_view (f), ==, "done");
  g_assert_true (cr_test_ui_next_enabled (f->window));
  back_to_key_page (f);
}

/* 429 with Retry-After: 7: the wait is the fix. */
static void
test_verify_rate_limited (Fixture       *f,
                          gconstpointer  data)
{
  CrPage *verify = cr_window_lookup_page (f->window, "verify");

  type_key_and_url (f);
  cr_test_gateway_set_mode (f->gateway, CR_TEST_MODE_RATE_LIMITED);
  run_verify (f);
  assert_verify_problem (f, CR_GATEWAY_ERROR_RATE_LIMITED);
  g_assert_cmpstr (adw_action_row_get_subtitle (cr_test_ui_child (verify, CR_TYPE_VERIFY_PAGE, "fix_row")), ==,
                   "The gateway asks to wait 7 seconds. Try again after that.");
  assert_shown (verify, "429");

  assert_escape_stops_verify (f, TRUE);
  back_to_key_page (f);
  assert_recovers (f);
}

/* A 302 elsewhere: refused, and nothing (least of all the key) reached
 * the place it pointed to. */
static void
verify_redirect (Fixture    *f,
                 CrTestMode  mode)
{
  type_key_and_url (f);
  cr_test_gateway_set_mode (f->gateway, mode);
  run_verify (f);
  assert_verify_problem (f, CR_GATEWAY_ERROR_INSECURE_REDIRECT);
  cr_test_ui_settle (200);
  g_assert_cmpuint (cr_test_gateway_get_redirect_target_count (f->gateway), ==, 0);
  g_assert_false (cr_test_gateway_get_redirect_target_saw_auth (f->gateway));

  assert_escape_stops_verify (f, TRUE);
  back_to_key_page (f);
  assert_recovers (f);
  g_assert_cmpuint (cr_test_gateway_get_redirect_target_count (f->gateway), ==, 0);
}

static void
test_verify_redirect_http (Fixture       *f,
                           gconstpointer  data)
{
  verify_redirect (f, CR_TEST_MODE_REDIRECT_HTTP);
}

static void
test_verify_redirect_host (Fixture       *f,
                           gconstpointer  data)
{
  verify_redirect (f, CR_TEST_MODE_REDIRECT_HOST);
}

/* Markup, terminal escapes, bidi overrides and a megabyte: shown as
 * plain, clean, capped text, and only in the label meant for it. */
static void
test_verify_hostile_message (Fixture       *f,
                             gconstpointer  data)
{
  CrPage *verify = cr_window_lookup_page (f->window, "verify");
  GtkLabel *server = cr_test_ui_child (verify, CR_TYPE_VERIFY_PAGE, "server_label");

  type_key_and_url (f);
  cr_test_gateway_set_mode (f->gateway, CR_TEST_MODE_HOSTILE_MESSAGE);
  run_verify (f);
  assert_verify_problem (f, CR_GATEWAY_ERROR_HTTP);
  g_assert_true (g_str_has_prefix (gtk_label_get_text (server), "The gateway answered 400: "));
  assert_hostile_text_safe (server);
  assert_server_words_only_in (GTK_WIDGET (f->window), GTK_WIDGET (server));

  assert_escape_stops_verify (f, TRUE);
  back_to_key_page (f);
  assert_recovers (f);
}

/* A certificate for another name, or one that expired: the TLS problem,
 * before any request is sent. */
static void
test_verify_tls (Fixture       *f,
                 gconstpointer  data)
{
  type_key_and_url (f);
  g_assert_true (g_str_has_prefix (f->typed_url, "https://"));
  run_verify (f);
  assert_verify_problem (f, CR_GATEWAY_ERROR_TLS);
  g_assert_cmpstr (gtk_label_get_text (cr_test_ui_child (cr_window_lookup_page (f->window, "verify"),
                                                         CR_TYPE_VERIFY_PAGE, "problem_title")), ==,
                   "The secure connection could not be verified");
  g_assert_cmpuint (cr_test_gateway_get_request_count (f->gateway), ==, 0);

  assert_escape_stops_verify (f, FALSE);
  back_to_key_page (f);
  g_assert_cmpuint (cr_test_gateway_get_request_count (f->gateway), ==, 0);
}

/* ---- step 5: the model's test message ---- */

static const char *
test_view (Fixture *f)
{
  return gtk_stack_get_visible_child_name (cr_test_ui_child (cr_window_get_page (f->window), CR_TYPE_MODEL_PAGE, "test_stack"));
}

/* Verify goes through with a good gateway; then the fault, at the test
 * message. */
static void
go_to_model_page (Fixture *f)
{
  type_key_and_url (f);
  run_verify (f);
  g_assert_cmpstr (verify_view (f), ==, "done");
  cr_test_ui_activate (f->window, "assistant.next");
  cr_test_ui_wait_until (g_strcmp0 (cr_test_ui_page_id (f->window), "model") == 0);
  g_assert_cmpstr (test_view (f), ==, "idle");
}

static double
run_model_test (Fixture *f)
{
  gint64 start = g_get_monotonic_time ();

  cr_test_ui_click (cr_test_ui_child (cr_window_get_page (f->window), CR_TYPE_MODEL_PAGE, "test_button"));
  g_assert_cmpstr (test_view (f), ==, "running");
  cr_test_ui_wait_until (g_strcmp0 (test_view (f), "running") != 0);
  return (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
}

static void
assert_model_problem (Fixture        *f,
                      CrGatewayError  code)
{
  CrPage *model = cr_window_get_page (f->window);

  g_assert_cmpstr (cr_test_ui_page_id (f->window), ==, "model");
  g_assert_cmpstr (test_view (f), ==, "error");
  g_assert_cmpstr (gtk_label_get_text (cr_test_ui_child (model, CR_TYPE_MODEL_PAGE, "error_cause")), ==,
                   cr_gateway_error_code_cause (code));
  if (code != CR_GATEWAY_ERROR_RATE_LIMITED)
    g_assert_nonnull (strstr (gtk_label_get_text (cr_test_ui_child (model, CR_TYPE_MODEL_PAGE, "error_fix")),
                              cr_gateway_error_code_fix (code)));
  g_assert_true (gtk_widget_get_mapped (cr_test_ui_child (model, CR_TYPE_MODEL_PAGE, "retry_button")));
  g_assert_null (cr_setup_state_get_chat_result (f->state));
}

/* Escape while the test message waits: the page is usable again at once. */
static void
assert_escape_stops_model_test (Fixture *f)
{
  guint before = cr_test_gateway_count_path (f->gateway, CHAT_PATH);
  gint64 start;

  cr_test_gateway_set_latency (f->gateway, 1500);
  cr_test_ui_click (cr_test_ui_child (cr_window_get_page (f->window), CR_TYPE_MODEL_PAGE, "retry_button"));
  g_assert_cmpstr (test_view (f), ==, "running");
  cr_test_ui_wait_until (cr_test_gateway_count_path (f->gateway, CHAT_PATH) > before);
  start = g_get_monotonic_time ();
  press_escape (f);
  cr_test_ui_wait_until (g_strcmp0 (test_view (f), "running") != 0);
  g_assert_cmpint (g_get_monotonic_time () - start, <, CR_TEST_UI_USEC (G_USEC_PER_SEC / 2));
  g_assert_cmpstr (test_view (f), ==, "idle");
  g_assert_true (gtk_widget_is_sensitive (cr_test_ui_child (cr_window_get_page (f->window), CR_TYPE_MODEL_PAGE, "test_button")));
  cr_test_gateway_set_latency (f->gateway, 0);
}

static void
model_against (Fixture        *f,
               CrTestMode      mode,
               CrGatewayError  code)
{
  double took;
  double scale = cr_test_ui_time_scale ();
  double limit = code == CR_GATEWAY_ERROR_TIMEOUT ? SHORT_TIMEOUT + 2.0 * scale : 5.0 * scale;

  go_to_model_page (f);
  cr_test_gateway_set_mode (f->gateway, mode);
  took = run_model_test (f);
  g_test_message ("%s: the problem was shown after %.2f s", cr_test_mode_to_string (mode), took);
  g_assert_cmpfloat (took, <, limit);
  assert_model_problem (f, code);

  assert_escape_stops_model_test (f);
  back_to_key_page (f);
}

static void
test_model_garbage (Fixture       *f,
                    gconstpointer  data)
{
  model_against (f, CR_TEST_MODE_GARBAGE, CR_GATEWAY_ERROR_MALFORMED);
}

/* "content": 42 and token counts as strings. */
static void
test_model_wrong_shape (Fixture       *f,
                        gconstpointer  data)
{
  model_against (f, CR_TEST_MODE_WRONG_SHAPE, CR_GATEWAY_ERROR_MALFORMED);
}

static void
test_model_truncated (Fixture       *f,
                      gconstpointer  data)
{
  model_against (f, CR_TEST_MODE_TRUNCATED, CR_GATEWAY_ERROR_MALFORMED);
}

static void
test_model_huge (Fixture       *f,
                 gconstpointer  data)
{
  model_against (f, CR_TEST_MODE_HUGE, CR_GATEWAY_ERROR_TOO_LARGE);
}

static void
test_model_endless (Fixture       *f,
                    gconstpointer  data)
{
  model_against (f, CR_TEST_MODE_ENDLESS, CR_GATEWAY_ERROR_TIMEOUT);
}

static void
test_model_server_error (Fixture       *f,
                         gconstpointer  data)
{
  model_against (f, CR_TEST_MODE_SERVER_ERROR, CR_GATEWAY_ERROR_SERVER);
}

static void
test_model_rate_limited (Fixture       *f,
                         gconstpointer  data)
{
  const char *fix;

  go_to_model_page (f);
  cr_test_gateway_set_mode (f->gateway, CR_TEST_MODE_RATE_LIMITED);
  run_model_test (f);
  assert_model_problem (f, CR_GATEWAY_ERROR_RATE_LIMITED);
  /* The wait, said once. */
  fix = gtk_label_get_text (cr_test_ui_child (cr_window_get_page (f->window), CR_TYPE_MODEL_PAGE, "error_fix"));
  g_test_message ("The fix says: %s", fix);
  g_assert_nonnull (strstr (fix, "wait 7 seconds"));
  g_assert_null (strstr (strstr (fix, "wait 7 seconds") + strlen ("wait 7 seconds"), "seconds"));
  assert_escape_stops_model_test (f);
  back_to_key_page (f);
}

static void
test_model_hostile_message (Fixture       *f,
                            gconstpointer  data)
{
  GtkLabel *server;

  go_to_model_page (f);
  server = cr_test_ui_child (cr_window_get_page (f->window), CR_TYPE_MODEL_PAGE, "error_server");
  cr_test_gateway_set_mode (f->gateway, CR_TEST_MODE_HOSTILE_MESSAGE);
  run_model_test (f);
  assert_model_problem (f, CR_GATEWAY_ERROR_HTTP);
  g_assert_true (g_str_has_prefix (gtk_label_get_text (server), "The gateway answered 400: "));
  assert_hostile_text_safe (server);
  assert_server_words_only_in (GTK_WIDGET (f->window), GTK_WIDGET (server));

  assert_escape_stops_model_test (f);
  back_to_key_page (f);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  gtk_test_init (&argc, &argv, NULL);
  app = cr_test_ui_new_app ("com.crazyrouter.SetupAssistant.TestHostile");

#define ADD(path, func) \
  g_test_add ("/hostile/" path, Fixture, GINT_TO_POINTER (CR_TEST_TLS_NONE), \
              fixture_set_up, func, fixture_tear_down)
  ADD ("verify/garbage", test_verify_garbage);
  ADD ("verify/wrong-shape", test_verify_wrong_shape);
  ADD ("verify/truncated", test_verify_truncated);
  ADD ("verify/huge", test_verify_huge);
  ADD ("verify/endless", test_verify_endless);
  ADD ("verify/slow-headers", test_verify_slow_headers);
  ADD ("verify/hang", test_verify_hang);
  ADD ("verify/bad-gateway-html", test_verify_bad_gateway_html);
  ADD ("verify/server-error-storm", test_verify_server_error_storm);
  ADD ("verify/rate-limited", test_verify_rate_limited);
  ADD ("verify/redirect-http", test_verify_redirect_http);
  ADD ("verify/redirect-host", test_verify_redirect_host);
  ADD ("verify/hostile-message", test_verify_hostile_message);
  ADD ("model/garbage", test_model_garbage);
  ADD ("model/wrong-shape", test_model_wrong_shape);
  ADD ("model/truncated", test_model_truncated);
  ADD ("model/huge", test_model_huge);
  ADD ("model/endless", test_model_endless);
  ADD ("model/server-error", test_model_server_error);
  ADD ("model/rate-limited", test_model_rate_limited);
  ADD ("model/hostile-message", test_model_hostile_message);
#undef ADD
  g_test_add ("/hostile/verify/tls-wrong-name", Fixture, GINT_TO_POINTER (CR_TEST_TLS_WRONG_NAME),
              fixture_set_up, test_verify_tls, fixture_tear_down);
  g_test_add ("/hostile/verify/tls-expired", Fixture, GINT_TO_POINTER (CR_TEST_TLS_EXPIRED),
              fixture_set_up, test_verify_tls, fixture_tear_down);

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
