/* test-frame.c: the assistant frame and steps 1–4 in a real window
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
#include "cr-test-gateway.h"
#include "cr-test-ui.h"
#include "cr-verify-page.h"
#include "cr-welcome-page.h"
#include "cr-window.h"

#define PASTED_KEY "  \"Bearer " CR_TEST_TOKEN_GOOD "\"\n"
#define BAD_KEY    "sk-demo-cursor-revoked-long-ago"

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
#define ADD(path, func) g_test_add ("/frame/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("steps-and-back", test_steps_and_back);
  ADD ("key-page-cleans-and-fixes", test_key_page_cleans_and_fixes);
  ADD ("bad-key-shows-fix", test_bad_key_shows_fix);
  ADD ("cancel-hung-verify", test_cancel_hung_verify);
  ADD ("check-my-setup", test_check_my_setup);
  ADD ("narrow-window", test_narrow_window);
  ADD ("welcome-text", test_welcome_text);
  ADD ("main-menu", test_main_menu);
#undef ADD

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
