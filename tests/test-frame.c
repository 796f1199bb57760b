/* test-frame.c: the assistant frame and its page lifecycle, and steps 1–4,
 * in a real window
 *
 * Runs under headless-run.sh: Xvfb, a private D-Bus session with an
 * unlocked gnome-keyring, and the loopback test gateway. Every page is also
 * rendered to a PNG in the build directory for a reviewer to look at.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "cr-application.h"
#include "cr-endpoint.h"
#include "cr-gateway-error.h"
#include "cr-keyring.h"
#include "cr-key-page.h"
#include "cr-model-page.h"
#include "cr-test-gateway.h"
#include "cr-test-ui.h"
#include "cr-verify-page.h"
#include "cr-welcome-page.h"
#include "cr-window.h"

#define PASTED_KEY "  \"Bearer " CR_TEST_TOKEN_GOOD "\"\n"
#define BAD_KEY    "sk-demo-cursor-revoked-long-ago"
#define CHAT_PATH  "/v1/chat/completions"

static CrApplication *app;

/* The steps this test owns; the others have test-pages. */
static const char * const frame_steps[] = { "welcome", "token", "key", "verify" };

typedef struct
{
  CrTestGateway *gateway;
  CrSetupState  *state;
  CrWindow      *window;
} Fixture;

static void
save_png (Fixture    *f,
          const char *name)
{
  GtkWidget *widget = GTK_WIDGET (f->window);

  cr_test_ui_settle (150);
  /* A slower build (ASan) may not have mapped the window yet. */
  cr_test_ui_wait_until (gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) > 0);
  cr_test_ui_save_shot (widget, "frame", name);
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
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  cr_test_ui_close_window (f->window, f->state);
  g_clear_object (&f->gateway);
}

/* From the welcome page to the key page, as a person would. */
static void
go_to_key_page (Fixture *f)
{
  g_assert_cmpstr (cr_test_ui_page_id (f->window), ==, "welcome");
  cr_test_ui_activate (f->window, "assistant.next");
  cr_test_ui_wait_until (g_strcmp0 (cr_test_ui_page_id (f->window), "token") == 0);
  cr_test_ui_activate (f->window, "assistant.next");
  cr_test_ui_wait_until (g_strcmp0 (cr_test_ui_page_id (f->window), "key") == 0);
}

static void
type_key_and_url (Fixture    *f,
                  const char *key,
                  const char *url)
{
  CrPage *page = cr_window_get_page (f->window);

  gtk_editable_set_text (cr_test_ui_child (page, CR_TYPE_KEY_PAGE, "key_row"), key);
  gtk_editable_set_text (cr_test_ui_child (page, CR_TYPE_KEY_PAGE, "url_row"), url);
}

static const char *
verify_view (Fixture *f)
{
  CrPage *page = cr_window_lookup_page (f->window, "verify");

  return gtk_stack_get_visible_child_name (GTK_STACK (adw_bin_get_child (ADW_BIN (page))));
}

static void
test_startup_finds_stored_key (void)
{
  CrSetupState *state = cr_application_get_state (app);

  g_assert_nonnull (state);
  cr_test_ui_wait_until (cr_setup_state_get_key_stored (state));
  /* Only the fact: the key is read again when the user asks for a check. */
  g_assert_false (cr_setup_state_get_has_key (state));
}

static void
test_steps_and_back (Fixture       *f,
                     gconstpointer  data)
{
  AdwWindowTitle *title = cr_test_ui_child (f->window, CR_TYPE_WINDOW, "window_title");
  GtkWidget *back = cr_test_ui_child (f->window, CR_TYPE_WINDOW, "back_button");
  g_autofree char *first = NULL;

  g_assert_cmpstr (cr_test_ui_page_id (f->window), ==, "welcome");
  first = g_strdup (adw_window_title_get_subtitle (title));
  g_assert_true (g_str_has_prefix (first, "Step 1 of "));
  g_assert_false (gtk_widget_get_visible (back));
  g_assert_true (cr_test_ui_next_enabled (f->window));
  save_png (f, "welcome");

  cr_test_ui_activate (f->window, "assistant.next");
  cr_test_ui_wait_until (g_strcmp0 (cr_test_ui_page_id (f->window), "token") == 0);
  g_assert_true (g_str_has_prefix (adw_window_title_get_subtitle (title), "Step 2 of "));
  g_assert_true (gtk_widget_get_visible (back));
  g_assert_true (cr_test_ui_next_enabled (f->window));
  save_png (f, "token");

  cr_test_ui_activate (f->window, "assistant.next");
  cr_test_ui_wait_until (g_strcmp0 (cr_test_ui_page_id (f->window), "key") == 0);
  /* Nothing typed yet: Next waits for a key. */
  g_assert_false (cr_test_ui_next_enabled (f->window));
  save_png (f, "key-empty");

  cr_test_ui_activate (f->window, "assistant.back");
  g_assert_cmpstr (cr_test_ui_page_id (f->window), ==, "token");
  cr_test_ui_activate (f->window, "assistant.back");
  g_assert_cmpstr (cr_test_ui_page_id (f->window), ==, "welcome");
  g_assert_false (gtk_widget_get_visible (back));
}

static void
test_key_page_cleans_and_fixes (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *root = NULL;
  CrPage *page;
  GtkWidget *fix;

  go_to_key_page (f);
  page = cr_window_get_page (f->window);
  fix = cr_test_ui_child (page, CR_TYPE_KEY_PAGE, "fix_button");

  /* The root of the gateway, no /v1: the one-click fix repairs it. */
  root = g_strdup (cr_test_gateway_get_root_url (f->gateway));
  type_key_and_url (f, PASTED_KEY, root);
  g_assert_nonnull (strstr (gtk_label_get_text (cr_test_ui_child (page, CR_TYPE_KEY_PAGE, "key_hint")),
                            "Removed"));
  g_assert_null (strstr (gtk_label_get_text (cr_test_ui_child (page, CR_TYPE_KEY_PAGE, "key_hint")),
                         CR_TEST_TOKEN_GOOD));
  g_assert_true (gtk_widget_get_visible (fix));
  save_png (f, "key-fix");

  g_signal_emit_by_name (fix, "clicked");
  g_assert_cmpstr (gtk_editable_get_text (cr_test_ui_child (page, CR_TYPE_KEY_PAGE, "url_row")), ==,
                   cr_test_gateway_get_base_url (f->gateway));
  /* Another gateway than the official one is only a warning: Next stays
   * possible, and the official URL is one click away. */
  g_assert_cmpstr (gtk_label_get_text (cr_test_ui_child (page, CR_TYPE_KEY_PAGE, "fix_label")), ==,
                   "Use " CR_DEFAULT_BASE_URL);
  /* What the user typed is still there. */
  g_assert_cmpstr (gtk_editable_get_text (cr_test_ui_child (page, CR_TYPE_KEY_PAGE, "key_row")), ==,
                   PASTED_KEY);
  g_assert_true (cr_test_ui_next_enabled (f->window));
  save_png (f, "key-ready");

  /* Enter in the last field goes on, with the cleaned key in the state. */
  g_signal_emit_by_name (cr_test_ui_child (page, CR_TYPE_KEY_PAGE, "url_row"), "entry-activated");
  cr_test_ui_wait_until (g_strcmp0 (cr_test_ui_page_id (f->window), "verify") == 0);
  g_assert_cmpstr (cr_setup_state_get_key (f->state), ==, CR_TEST_TOKEN_GOOD);
  g_assert_cmpstr (cr_setup_state_get_base_url (f->state), ==,
                   cr_test_gateway_get_base_url (f->gateway));

  cr_test_ui_wait_until (g_strcmp0 (verify_view (f), "running") != 0);
  g_assert_cmpstr (verify_view (f), ==, "done");
  g_assert_true (cr_page_get_complete (cr_window_get_page (f->window)));
  g_assert_true (cr_test_ui_next_enabled (f->window));
  g_assert_true (cr_setup_state_model_allowed (f->state, "gpt-5.4"));
  g_assert_true (cr_setup_state_model_allowed (f->state, "claude-sonnet-4-6"));
  save_png (f, "verify-done");

  /* Back and forth with the same key: the answer stands, no new request. */
  {
    guint before = cr_test_gateway_count_path (f->gateway, "/v1/models");

    cr_test_ui_activate (f->window, "assistant.back");
    cr_test_ui_activate (f->window, "assistant.next");
    cr_test_ui_wait_until (g_strcmp0 (cr_test_ui_page_id (f->window), "verify") == 0);
    g_assert_cmpstr (verify_view (f), ==, "done");
    g_assert_cmpuint (cr_test_gateway_count_path (f->gateway, "/v1/models"), ==, before);
  }
}

static void
test_bad_key_shows_fix (Fixture       *f,
                        gconstpointer  data)
{
  CrPage *verify;

  go_to_key_page (f);
  type_key_and_url (f, BAD_KEY, cr_test_gateway_get_base_url (f->gateway));
  cr_test_ui_activate (f->window, "assistant.next");
  cr_test_ui_wait_until (g_strcmp0 (cr_test_ui_page_id (f->window), "verify") == 0);
  cr_test_ui_wait_until (g_strcmp0 (verify_view (f), "running") != 0);

  verify = cr_window_get_page (f->window);
  g_assert_cmpstr (verify_view (f), ==, "problem");
  g_assert_false (cr_page_get_complete (verify));
  g_assert_false (cr_test_ui_next_enabled (f->window));
  g_assert_cmpstr (adw_action_row_get_subtitle (cr_test_ui_child (verify, CR_TYPE_VERIFY_PAGE, "fix_row")), ==,
                   cr_gateway_error_code_fix (CR_GATEWAY_ERROR_UNAUTHORIZED));
  g_assert_cmpstr (adw_action_row_get_subtitle (cr_test_ui_child (verify, CR_TYPE_VERIFY_PAGE, "cause_row")), ==,
                   cr_gateway_error_code_cause (CR_GATEWAY_ERROR_UNAUTHORIZED));
  g_assert_nonnull (strstr (gtk_label_get_text (cr_test_ui_child (verify, CR_TYPE_VERIFY_PAGE, "server_label")),
                            "401"));
  save_png (f, "verify-401");

  /* Not a dead end: "Change key" goes back to the form, text intact. */
  g_signal_emit_by_name (gtk_widget_get_next_sibling (cr_test_ui_child (verify, CR_TYPE_VERIFY_PAGE,
                                                                        "retry_button")),
                         "clicked");
  g_assert_cmpstr (cr_test_ui_page_id (f->window), ==, "key");
  g_assert_cmpstr (gtk_editable_get_text (cr_test_ui_child (cr_window_get_page (f->window),
                                                            CR_TYPE_KEY_PAGE, "key_row")), ==, BAD_KEY);
}

static void
test_cancel_hung_verify (Fixture       *f,
                         gconstpointer  data)
{
  CrPage *verify;

  cr_test_gateway_set_mode (f->gateway, CR_TEST_MODE_HANG);
  go_to_key_page (f);
  type_key_and_url (f, CR_TEST_TOKEN_GOOD, cr_test_gateway_get_base_url (f->gateway));
  cr_test_ui_activate (f->window, "assistant.next");
  cr_test_ui_wait_until (g_strcmp0 (cr_test_ui_page_id (f->window), "verify") == 0);
  cr_test_ui_wait_until (cr_test_gateway_count_path (f->gateway, "/v1/models") > 0);
  g_assert_cmpstr (verify_view (f), ==, "running");
  save_png (f, "verify-running");

  /* Escape: control comes back at once, without waiting for the server. */
  cr_test_ui_activate (f->window, "assistant.cancel");
  g_assert_cmpstr (verify_view (f), ==, "problem");
  verify = cr_window_get_page (f->window);
  g_assert_false (cr_page_get_complete (verify));
  cr_test_ui_settle (100);
  g_assert_cmpstr (verify_view (f), ==, "problem");
  save_png (f, "verify-cancelled");

  /* Try again works once the server answers. */
  cr_test_gateway_set_mode (f->gateway, CR_TEST_MODE_NORMAL);
  g_signal_emit_by_name (cr_test_ui_child (verify, CR_TYPE_VERIFY_PAGE, "retry_button"), "clicked");
  cr_test_ui_wait_until (g_strcmp0 (verify_view (f), "running") != 0);
  g_assert_cmpstr (verify_view (f), ==, "done");
  g_assert_true (cr_test_ui_next_enabled (f->window));
}

static void
test_check_my_setup (Fixture       *f,
                     gconstpointer  data)
{
  CrPage *welcome = cr_window_get_page (f->window);
  GtkWidget *check = cr_test_ui_child (welcome, CR_TYPE_WELCOME_PAGE, "check_button");

  /* No key: the part about one is hidden. */
  g_assert_false (gtk_widget_is_visible (check));
  /* The base URL saved last time (a dead port: the check fails fast). */
  cr_setup_state_set_base_url (f->state, "http://127.0.0.1:9/v1");
  cr_setup_state_set_key_stored (f->state, TRUE);
  g_assert_true (gtk_widget_is_visible (check));
  save_png (f, "welcome-stored");

  g_signal_emit_by_name (check, "clicked");
  cr_test_ui_wait_until (cr_setup_state_get_has_key (f->state));
  g_assert_cmpstr (cr_setup_state_get_key (f->state), ==, CR_TEST_TOKEN_GOOD);
  /* The keyring gives the key only; the base URL stays the saved one. */
  g_assert_cmpstr (cr_setup_state_get_base_url (f->state), ==, "http://127.0.0.1:9/v1");
  if (cr_window_lookup_page (f->window, "checklist") != NULL)
    g_assert_cmpstr (cr_test_ui_page_id (f->window), ==, "checklist");
}

static void
test_narrow_window (Fixture       *f,
                    gconstpointer  data)
{
  GtkWidget *stack = cr_test_ui_child (f->window, CR_TYPE_WINDOW, "stack");
  g_autoptr(GString) too_wide = g_string_new (NULL);
  int window_min, stack_min;

  /* Steps 1–4 and the frame must fit a 360 px window, title bar and border
   * included (steps 5–8 are measured by test-pages). The frame's share is
   * the window's minimum less the stack's, once the stack holds those steps
   * (the window builds a step when it is first needed). */
  for (guint i = 0; i < G_N_ELEMENTS (frame_steps); i++)
    g_assert_nonnull (cr_window_lookup_page (f->window, frame_steps[i]));
  gtk_widget_measure (GTK_WIDGET (f->window), GTK_ORIENTATION_HORIZONTAL, -1,
                      &window_min, NULL, NULL, NULL);
  gtk_widget_measure (stack, GTK_ORIENTATION_HORIZONTAL, -1, &stack_min, NULL, NULL, NULL);
  g_assert_cmpint (window_min - stack_min, <, 40);
  for (guint i = 0; i < G_N_ELEMENTS (frame_steps); i++)
    {
      CrPage *page = cr_window_lookup_page (f->window, frame_steps[i]);
      int min;

      gtk_widget_measure (GTK_WIDGET (page), GTK_ORIENTATION_HORIZONTAL, -1,
                          &min, NULL, NULL, NULL);
      if (min > 360 - (window_min - stack_min))
        g_string_append_printf (too_wide, " %s (%d px)", frame_steps[i], min);
    }
  if (too_wide->len > 0)
    g_test_fail_printf ("Too wide for a 360 px window:%s", too_wide->str);

  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 720);
  cr_test_ui_settle (200);
  save_png (f, "welcome");
  cr_test_ui_activate (f->window, "assistant.next");
  cr_test_ui_wait_until (g_strcmp0 (cr_test_ui_page_id (f->window), "token") == 0);
  save_png (f, "token");
  cr_test_ui_activate (f->window, "assistant.next");
  cr_test_ui_wait_until (g_strcmp0 (cr_test_ui_page_id (f->window), "key") == 0);
  type_key_and_url (f, "sk-demo cursor", "https://crazyrouter.com");
  save_png (f, "key-fix");
}

/* For a new user the welcome page says what will happen and what is
 * needed, and at 360 px every line wraps inside the window. */
static void
test_welcome_text (Fixture       *f,
                   gconstpointer  data)
{
  GtkWidget *page = GTK_WIDGET (cr_window_get_page (f->window));
  g_autofree char *text = NULL;
  int min_width;

  g_assert_cmpstr (cr_test_ui_page_id (f->window), ==, "welcome");
  text = cr_test_ui_shown_text (page);
  /* What happens: the token, the check, the keyring, Cursor. */
  g_assert_nonnull (strstr (text, "create that token"));
  g_assert_nonnull (strstr (text, "checks it with Crazyrouter"));
  g_assert_nonnull (strstr (text, "keeps it in your keyring"));
  /* What is needed, and why to come back. */
  g_assert_nonnull (strstr (text, "You need a Crazyrouter account and the current version of Cursor"));
  g_assert_nonnull (strstr (text, "After a Cursor update"));
  /* No key stored: nothing about one. */
  g_assert_null (strstr (text, "is saved in your keyring"));

  /* Every line wraps: nothing makes the page wider than a phone-sized
   * window (the page never scrolls sideways, so it would be cut off). */
  gtk_widget_measure (page, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  g_assert_cmpint (min_width, <=, 360);
}

/* The main menu opens with its items, and is the same menu every time. */
static void
test_main_menu (Fixture       *f,
                gconstpointer  data)
{
  GtkMenuButton *button = cr_test_ui_child (f->window, CR_TYPE_WINDOW, "menu_button");
  GMenuModel *model;
  GtkPopover *popover;
  g_autofree char *first = NULL;

  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (button)));
  gtk_menu_button_popup (button);
  model = gtk_menu_button_get_menu_model (button);
  g_assert_nonnull (model);
  popover = gtk_menu_button_get_popover (button);
  g_assert_nonnull (popover);
  cr_test_ui_wait_until (gtk_widget_get_mapped (GTK_WIDGET (popover)));

  /* One section: Keyboard Shortcuts, About. */
  model = g_menu_model_get_item_link (model, 0, G_MENU_LINK_SECTION);
  g_assert_nonnull (model);
  g_assert_cmpint (g_menu_model_get_n_items (model), ==, 2);
  g_assert_true (g_menu_model_get_item_attribute (model, 0, G_MENU_ATTRIBUTE_ACTION, "s", &first));
  g_assert_cmpstr (first, ==, "app.shortcuts");
  g_object_unref (model);

  gtk_menu_button_popdown (button);
  cr_test_ui_wait_until (!gtk_widget_get_mapped (GTK_WIDGET (popover)));
  /* Opened again, the same menu. */
  gtk_menu_button_popup (button);
  cr_test_ui_wait_until (gtk_widget_get_mapped (GTK_WIDGET (popover)));
  g_assert_true (gtk_menu_button_get_popover (button) == popover);
  gtk_menu_button_popdown (button);
}

/* ---- CrPage's contract, with a page of our own ---- */

#define CR_TYPE_TEST_PAGE (cr_test_page_get_type ())
G_DECLARE_FINAL_TYPE (CrTestPage, cr_test_page, CR, TEST_PAGE, CrPage)

struct _CrTestPage
{
  CrPage           parent_instance;

  gboolean         wait;       /* apply() waits for a connection */
  gboolean         fail;       /* apply() fails at once */
  GSocketListener *listener;
  guint16          port;
  GError          *error;      /* how the last wait ended */
  guint            n_waits;    /* waits that have ended */
  guint            n_hidden;
};

G_DEFINE_FINAL_TYPE (CrTestPage, cr_test_page, CR_TYPE_PAGE)

static void
accepted_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CrTestPage) self = user_data;
  g_autoptr(GSocketConnection) connection = NULL;

  g_clear_error (&self->error);
  connection = g_socket_listener_accept_finish (G_SOCKET_LISTENER (object), result, NULL,
                                                &self->error);
  self->n_waits++;
  /* Also after a cancel: CrPage must ignore it then. */
  cr_page_apply_complete (CR_PAGE (self), connection != NULL);
}

static gboolean
cr_test_page_apply (CrPage       *page,
                    GCancellable *cancellable)
{
  CrTestPage *self = CR_TEST_PAGE (page);

  if (self->fail)
    {
      cr_page_apply_complete (page, FALSE);
      return TRUE;
    }
  if (!self->wait)
    return FALSE;

  g_socket_listener_accept_async (self->listener, cancellable, accepted_cb, g_object_ref (self));
  return TRUE;
}

static void
cr_test_page_hidden (CrPage *page)
{
  CR_TEST_PAGE (page)->n_hidden++;
}

static void
cr_test_page_finalize (GObject *object)
{
  CrTestPage *self = CR_TEST_PAGE (object);

  g_clear_error (&self->error);
  g_socket_listener_close (self->listener);
  g_clear_object (&self->listener);

  G_OBJECT_CLASS (cr_test_page_parent_class)->finalize (object);
}

static void
cr_test_page_class_init (CrTestPageClass *klass)
{
  CrPageClass *page_class = CR_PAGE_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = cr_test_page_finalize;
  page_class->apply = cr_test_page_apply;
  page_class->hidden = cr_test_page_hidden;
  cr_page_class_set_id (page_class, "test-page");
}

static void
cr_test_page_init (CrTestPage *self)
{
  g_autoptr(GError) error = NULL;

  self->listener = g_socket_listener_new ();
  self->port = g_socket_listener_add_any_inet_port (self->listener, NULL, &error);
  g_assert_no_error (error);
}

typedef struct
{
  guint    n_notified;   /* notify::applying */
  guint    n_done;       /* the apply callback */
  gboolean ok;
} ApplyLog;

static void
applying_notified_cb (CrPage     *page,
                      GParamSpec *pspec,
                      ApplyLog   *log)
{
  log->n_notified++;
}

static void
apply_done_cb (CrPage   *page,
               gboolean  ok,
               gpointer  user_data)
{
  ApplyLog *log = user_data;

  /* The apply has ended by the time the frame hears of it. */
  g_assert_false (cr_page_get_applying (page));
  log->n_done++;
  log->ok = ok;
}

static CrTestPage *
test_page_new (ApplyLog *log)
{
  CrTestPage *page = g_object_ref_sink (g_object_new (CR_TYPE_TEST_PAGE, NULL));

  g_signal_connect (page, "notify::applying", G_CALLBACK (applying_notified_cb), log);
  return page;
}

static void
connected_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GSocketConnection **connection = user_data;
  g_autoptr(GError) error = NULL;

  *connection = g_socket_client_connect_to_host_finish (G_SOCKET_CLIENT (object), result, &error);
  g_assert_no_error (error);
}

/* "applying" is TRUE from begin until the page completes, notified each
 * time, and the frame's callback hears how it ended. */
static void
test_page_applying (void)
{
  ApplyLog log = { 0 };
  CrTestPage *page = test_page_new (&log);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  gboolean applying = TRUE;

  /* Nothing to wait for: done at once, and fine. */
  g_object_get (page, "applying", &applying, NULL);
  g_assert_false (applying);
  cr_page_apply_begin (CR_PAGE (page), apply_done_cb, &log);
  g_assert_false (cr_page_get_applying (CR_PAGE (page)));
  g_assert_cmpuint (log.n_notified, ==, 2);
  g_assert_cmpuint (log.n_done, ==, 1);
  g_assert_true (log.ok);

  /* A failure the page knows at once. */
  page->fail = TRUE;
  cr_page_apply_begin (CR_PAGE (page), apply_done_cb, &log);
  g_assert_false (cr_page_get_applying (CR_PAGE (page)));
  g_assert_cmpuint (log.n_notified, ==, 4);
  g_assert_cmpuint (log.n_done, ==, 2);
  g_assert_false (log.ok);
  page->fail = FALSE;

  /* Work that takes a while: applying until the page says it is done. */
  page->wait = TRUE;
  cr_page_apply_begin (CR_PAGE (page), apply_done_cb, &log);
  g_assert_true (cr_page_get_applying (CR_PAGE (page)));
  g_object_get (page, "applying", &applying, NULL);
  g_assert_true (applying);
  g_assert_cmpuint (log.n_notified, ==, 5);
  cr_test_ui_settle (50);
  g_assert_true (cr_page_get_applying (CR_PAGE (page)));
  g_assert_cmpuint (log.n_done, ==, 2);

  g_socket_client_connect_to_host_async (client, "127.0.0.1", page->port, NULL,
                                         connected_cb, &connection);
  cr_test_ui_wait_until (log.n_done == 3);
  g_assert_true (log.ok);
  g_assert_false (cr_page_get_applying (CR_PAGE (page)));
  g_assert_cmpuint (log.n_notified, ==, 6);
  cr_test_ui_wait_until (connection != NULL);

  g_assert_finalize_object (page);
}

/* The frame's Cancel, or leaving the step, ends the apply at once and
 * reaches the page's work as G_IO_ERROR_CANCELLED; the page's late
 * answer changes nothing. */
static void
test_page_cancel_apply (void)
{
  ApplyLog log = { 0 };
  CrTestPage *page = test_page_new (&log);

  page->wait = TRUE;
  cr_page_apply_begin (CR_PAGE (page), apply_done_cb, &log);
  g_assert_true (cr_page_get_applying (CR_PAGE (page)));

  cr_page_apply_cancel (CR_PAGE (page));
  g_assert_false (cr_page_get_applying (CR_PAGE (page)));
  g_assert_cmpuint (log.n_notified, ==, 2);
  cr_test_ui_wait_until (page->n_waits == 1);
  g_assert_error (page->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (log.n_done, ==, 0);
  g_assert_cmpuint (log.n_notified, ==, 2);

  /* Leaving the step does the same, and tells the page. */
  cr_page_apply_begin (CR_PAGE (page), apply_done_cb, &log);
  g_assert_true (cr_page_get_applying (CR_PAGE (page)));
  cr_page_hidden (CR_PAGE (page));
  g_assert_cmpuint (page->n_hidden, ==, 1);
  g_assert_false (cr_page_get_applying (CR_PAGE (page)));
  cr_test_ui_wait_until (page->n_waits == 2);
  g_assert_error (page->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (log.n_done, ==, 0);

  /* Nothing running: cancelling is harmless. */
  cr_page_apply_cancel (CR_PAGE (page));
  g_assert_cmpuint (log.n_notified, ==, 4);

  g_assert_finalize_object (page);
}

/* The id belongs to the class: every page of it has it, none can set it. */
static void
test_page_id_from_class (void)
{
  CrTestPage *one = g_object_ref_sink (g_object_new (CR_TYPE_TEST_PAGE, NULL));
  CrTestPage *two = g_object_ref_sink (g_object_new (CR_TYPE_TEST_PAGE, NULL));
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (one), "id");
  g_autofree char *id = NULL;

  g_assert_cmpstr (cr_page_class_get_id (g_type_class_peek (CR_TYPE_TEST_PAGE)), ==, "test-page");
  g_assert_cmpstr (cr_page_get_id (CR_PAGE (one)), ==, "test-page");
  g_assert_true (cr_page_get_id (CR_PAGE (one)) == cr_page_get_id (CR_PAGE (two)));
  g_object_get (two, "id", &id, NULL);
  g_assert_cmpstr (id, ==, "test-page");
  g_assert_false (pspec->flags & G_PARAM_WRITABLE);

  g_assert_finalize_object (one);
  g_assert_finalize_object (two);
}

/* ---- the frame drives the page lifecycle ---- */

typedef struct
{
  guint    n_hidden;
  gboolean mapped;   /* whether the page was still on screen then */
} HiddenLog;

static void
hidden_cb (CrPage    *page,
           HiddenLog *log)
{
  log->n_hidden++;
  log->mapped = gtk_widget_get_mapped (GTK_WIDGET (page));
}

/* The window's table names each step by its page's class. */
static void
test_step_ids_from_classes (Fixture       *f,
                            gconstpointer  data)
{
  static const char * const ids[] = {
    "welcome", "token", "key", "verify", "model", "keyring", "cursor", "checklist",
  };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      CrPage *page = cr_window_lookup_page (f->window, ids[i]);

      g_assert_nonnull (page);
      g_assert_cmpstr (cr_page_get_id (page), ==, ids[i]);
      g_assert_cmpstr (cr_page_class_get_id (CR_PAGE_GET_CLASS (page)), ==, ids[i]);
    }
  g_assert_null (cr_window_lookup_page (f->window, "test-page"));
}

/* Navigating away tells the page at once, while it is still on screen;
 * a page merely unmapped is not told. */
static void
test_hidden_on_navigation (Fixture       *f,
                           gconstpointer  data)
{
  GtkWidget *stack = cr_test_ui_child (f->window, CR_TYPE_WINDOW, "stack");
  CrPage *welcome = cr_window_get_page (f->window);
  CrPage *token;
  HiddenLog welcome_log = { 0 };
  HiddenLog token_log = { 0 };

  g_signal_connect (welcome, "hidden", G_CALLBACK (hidden_cb), &welcome_log);
  cr_test_ui_wait_until (gtk_widget_get_mapped (GTK_WIDGET (welcome)));

  gtk_widget_set_visible (stack, FALSE);
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (welcome)));
  gtk_widget_set_visible (stack, TRUE);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (welcome)));
  g_assert_cmpuint (welcome_log.n_hidden, ==, 0);

  cr_test_ui_activate (f->window, "assistant.next");
  g_assert_cmpstr (cr_test_ui_page_id (f->window), ==, "token");
  g_assert_cmpuint (welcome_log.n_hidden, ==, 1);
  g_assert_true (welcome_log.mapped);

  token = cr_window_get_page (f->window);
  g_signal_connect (token, "hidden", G_CALLBACK (hidden_cb), &token_log);
  cr_test_ui_activate (f->window, "assistant.back");
  g_assert_cmpuint (token_log.n_hidden, ==, 1);
  g_assert_cmpuint (welcome_log.n_hidden, ==, 1);

  /* A jump leaves the step too. */
  cr_page_jump_to (welcome, "token");
  g_assert_cmpuint (welcome_log.n_hidden, ==, 2);
  g_assert_cmpuint (token_log.n_hidden, ==, 1);

  /* The logs end here; closing the window leaves "token" once more. */
  g_signal_handlers_disconnect_by_data (welcome, &welcome_log);
  g_signal_handlers_disconnect_by_data (token, &token_log);
}

static void
busy_notified_cb (CrWindow   *window,
                  GParamSpec *pspec,
                  guint      *n_notified)
{
  (*n_notified)++;
}

/* Next on the model step waits for its test: Next gives way to the spinner
 * and Cancel exactly while the page is applying, and Cancel reaches the
 * page's request, which ends as cancelled, not as an error. */
static void
test_cancel_reaches_apply (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GPtrArray) models = g_ptr_array_new_with_free_func ((GDestroyNotify) cr_model_free);
  CrModel *model = g_new0 (CrModel, 1);
  GtkWidget *next = cr_test_ui_child (f->window, CR_TYPE_WINDOW, "next_button");
  GtkWidget *cancel = cr_test_ui_child (f->window, CR_TYPE_WINDOW, "cancel_button");
  ApplyLog log = { 0 };
  guint n_busy = 0;
  CrPage *page;
  GtkStack *test_stack;

  cr_setup_state_set_base_url (f->state, cr_test_gateway_get_base_url (f->gateway));
  cr_setup_state_set_key (f->state, CR_TEST_TOKEN_GOOD);
  model->id = g_strdup (CR_DEFAULT_MODEL);
  g_ptr_array_add (models, model);
  cr_setup_state_set_models (f->state, models);
  cr_test_gateway_set_mode (f->gateway, CR_TEST_MODE_HANG);

  cr_page_jump_to (cr_window_get_page (f->window), "model");
  page = cr_window_get_page (f->window);
  g_assert_cmpstr (cr_page_get_id (page), ==, "model");
  test_stack = cr_test_ui_child (page, CR_TYPE_MODEL_PAGE, "test_stack");
  g_signal_connect (page, "notify::applying", G_CALLBACK (applying_notified_cb), &log);
  g_signal_connect (f->window, "notify::busy", G_CALLBACK (busy_notified_cb), &n_busy);
  g_assert_false (cr_window_get_busy (f->window));

  cr_test_ui_activate (f->window, "assistant.next");
  g_assert_true (cr_page_get_applying (page));
  g_assert_cmpuint (log.n_notified, ==, 1);
  g_assert_true (cr_window_get_busy (f->window));
  g_assert_cmpuint (n_busy, ==, 1);
  g_assert_false (gtk_widget_get_visible (next));
  g_assert_true (gtk_widget_is_visible (cancel));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (page)));
  cr_test_ui_wait_until (cr_test_gateway_count_path (f->gateway, CHAT_PATH) == 1);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (test_stack), ==, "running");

  cr_test_ui_activate (f->window, "assistant.cancel");
  g_assert_false (cr_page_get_applying (page));
  g_assert_cmpuint (log.n_notified, ==, 2);
  g_assert_false (cr_window_get_busy (f->window));
  g_assert_cmpuint (n_busy, ==, 2);
  g_assert_true (cr_test_ui_next_enabled (f->window));
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (page)));

  /* "idle" is where the page goes on G_IO_ERROR_CANCELLED; any other
   * error would show "error". */
  cr_test_ui_wait_until (g_strcmp0 (gtk_stack_get_visible_child_name (test_stack), "running") != 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (test_stack), ==, "idle");
  g_assert_cmpstr (cr_test_ui_page_id (f->window), ==, "model");
  g_assert_cmpuint (log.n_notified, ==, 2);

  /* Back during Next's test: leaving cancels it the same way. */
  cr_test_ui_activate (f->window, "assistant.next");
  g_assert_true (cr_window_get_busy (f->window));
  cr_test_ui_wait_until (cr_test_gateway_count_path (f->gateway, CHAT_PATH) == 2);
  cr_test_ui_activate (f->window, "assistant.back");
  g_assert_cmpstr (cr_test_ui_page_id (f->window), ==, "welcome");
  g_assert_false (cr_page_get_applying (page));
  g_assert_false (cr_window_get_busy (f->window));
  cr_test_ui_wait_until (g_strcmp0 (gtk_stack_get_visible_child_name (test_stack), "running") != 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (test_stack), ==, "idle");

  g_signal_handlers_disconnect_by_data (page, &log);
  g_signal_handlers_disconnect_by_data (f->window, &n_busy);
}

/* Closing the window tells the visible step it is left, and the window
 * and every page it built go away with it. */
static void
test_everything_finalizes (Fixture       *f,
                           gconstpointer  data)
{
  static const char * const ids[] = {
    "welcome", "token", "key", "verify", "model", "keyring", "cursor", "checklist",
  };
  CrWindow *window = g_object_ref (f->window);
  CrPage *pages[G_N_ELEMENTS (ids)];
  HiddenLog log = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    pages[i] = g_object_ref (cr_window_lookup_page (window, ids[i]));
  cr_test_ui_activate (window, "assistant.next");
  cr_test_ui_activate (window, "assistant.next");
  g_assert_cmpstr (cr_test_ui_page_id (window), ==, "key");
  g_signal_connect (pages[2], "hidden", G_CALLBACK (hidden_cb), &log);
  cr_test_ui_settle (100);

  gtk_window_destroy (GTK_WINDOW (window));
  f->window = NULL;
  g_assert_cmpuint (log.n_hidden, ==, 1);
  cr_test_ui_settle (50);

  g_assert_finalize_object (window);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    g_assert_finalize_object (pages[i]);
}

static void
stored_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cr_keyring_store_finish (result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  gboolean stored = FALSE;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  /* GNOME's own title bar buttons, so the narrow shots look like the desktop. */
  g_object_set (gtk_settings_get_default (),
                "gtk-enable-animations", FALSE,
                "gtk-decoration-layout", "appmenu:close",
                NULL);

  /* A key in the real (private) keyring before the app starts. */
  cr_keyring_store_async (CR_KEYRING_DEFAULT_PROFILE, CR_TEST_TOKEN_GOOD,
                          NULL, stored_cb, &stored);
  while (!stored)
    g_main_context_iteration (NULL, TRUE);

  app = cr_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  g_test_add_func ("/app/startup-finds-stored-key", test_startup_finds_stored_key);
  g_test_add_func ("/page/applying", test_page_applying);
  g_test_add_func ("/page/cancel-apply", test_page_cancel_apply);
  g_test_add_func ("/page/id-from-class", test_page_id_from_class);
#define ADD(path, func) g_test_add ("/frame/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("steps-and-back", test_steps_and_back);
  ADD ("key-page-cleans-and-fixes", test_key_page_cleans_and_fixes);
  ADD ("bad-key-shows-fix", test_bad_key_shows_fix);
  ADD ("cancel-hung-verify", test_cancel_hung_verify);
  ADD ("check-my-setup", test_check_my_setup);
  ADD ("narrow-window", test_narrow_window);
  ADD ("welcome-text", test_welcome_text);
  ADD ("main-menu", test_main_menu);
  ADD ("step-ids-from-classes", test_step_ids_from_classes);
  ADD ("hidden-on-navigation", test_hidden_on_navigation);
  ADD ("cancel-reaches-apply", test_cancel_reaches_apply);
  ADD ("everything-finalizes", test_everything_finalizes);
#undef ADD

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
