/* test-flow.c: the whole wizard, as a person goes through it, in the app's
 * own window
 *
 * Runs under headless-run.sh: Xvfb, a private D-Bus session with an
 * unlocked gnome-keyring, and the loopback test gateway. The app is built as
 * main() builds it (CrApplication, activated), its settings kept in a
 * keyfile in a temporary folder so that a second start sees what the first
 * one saved. Every page is rendered to flow-NN-<page>.png in the build
 * directory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "cr-application.h"
#include "cr-check-row.h"
#include "cr-checklist-page.h"
#include "cr-gateway-error.h"
#include "cr-key.h"
#include "cr-key-page.h"
#include "cr-keyring.h"
#include "cr-keyring-page.h"
#include "cr-model-page.h"
#include "cr-test-gateway.h"
#include "cr-test-ui.h"
#include "cr-verify-page.h"
#include "cr-welcome-page.h"
#include "cr-window.h"

#define child       cr_test_ui_child
#define settle      cr_test_ui_settle
#define wait_until  cr_test_ui_wait_until

/* What a hurried copy from a web page brings along. */
#define PASTED_KEY  " \"Bearer " CR_TEST_TOKEN_GOOD "\" \n"
#define BAD_KEY     "sk-demo-cursor-revoked-long-ago"

/* The size of the screenshots in the AppStream metadata. */
#define SHOT_WIDTH  900
#define SHOT_HEIGHT 700

static char *config_dir;

typedef struct
{
  CrTestGateway *gateway;
  CrApplication *app;
  CrWindow      *window;
  guint          shot;
} Flow;

/* ---- the app, started and stopped as a person would ---- */

static void
reset_settings (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (settings, keys[i]);
  g_settings_sync ();
}

typedef void (*Walk) (Flow *flow);

typedef struct
{
  Flow *flow;
  Walk  walk;
} Run;

static gboolean
walk_idle_cb (gpointer user_data)
{
  Run *run = user_data;
  Flow *flow = run->flow;

  flow->window = CR_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (flow->app)));
  g_assert_nonnull (flow->window);
  gtk_window_set_default_size (GTK_WINDOW (flow->window), SHOT_WIDTH, SHOT_HEIGHT);
  wait_until (gtk_widget_get_mapped (GTK_WIDGET (flow->window)));

  run->walk (flow);

  /* Closing the last window ends g_application_run(), as for a person. */
  gtk_window_destroy (GTK_WINDOW (flow->window));
  flow->window = NULL;
  return G_SOURCE_REMOVE;
}

static void
activate_cb (GApplication *app,
             Run          *run)
{
  g_idle_add (walk_idle_cb, run);
}

/* The app as main() runs it: startup, activate, a window, and when that
 * is closed, shutdown. */
static void
app_run (Flow *flow,
         Walk  walk)
{
  char *argv[] = { (char *) g_get_prgname (), NULL };
  Run run = { flow, walk };

  flow->app = cr_application_new ();
  g_signal_connect_after (flow->app, "activate", G_CALLBACK (activate_cb), &run);
  g_assert_cmpint (g_application_run (G_APPLICATION (flow->app), 1, argv), ==, 0);
  g_settings_sync ();
  g_assert_finalize_object (g_steal_pointer (&flow->app));
}

static void
flow_start (Flow *flow)
{
  g_autoptr(GError) error = NULL;

  memset (flow, 0, sizeof *flow);
  reset_settings ();
  flow->gateway = cr_test_gateway_new (FALSE, 0, &error);
  g_assert_no_error (error);
}

static void
flow_finish (Flow *flow)
{
  g_clear_object (&flow->gateway);
}

/* ---- looking at the window ---- */

static CrPage *
page (Flow *flow)
{
  return cr_window_get_page (flow->window);
}

static const char *
page_id (Flow *flow)
{
  return cr_page_get_id (page (flow));
}

static GtkWidget *
next_button (Flow *flow)
{
  return child (flow->window, CR_TYPE_WINDOW, "next_button");
}

static gboolean
next_enabled (Flow *flow)
{
  return gtk_widget_is_sensitive (next_button (flow)) && gtk_widget_get_mapped (next_button (flow));
}

static void
clicked_cb (GtkButton *button,
            gpointer   user_data)
{
  *(gboolean *) user_data = TRUE;
}

/* A click, as far as GTK can tell: only on a control one can see and use.
 * An activated button shows itself pressed for a moment before it emits
 * "clicked", so that is waited for. */
static void
click (gpointer widget)
{
  gboolean clicked = FALSE;
  gulong id = 0;

  g_assert_true (gtk_widget_get_mapped (widget));
  g_assert_true (gtk_widget_is_sensitive (widget));
  if (GTK_IS_BUTTON (widget))
    id = g_signal_connect_after (widget, "clicked", G_CALLBACK (clicked_cb), &clicked);
  g_assert_true (gtk_widget_activate (widget));
  if (id != 0)
    {
      wait_until (clicked);
      g_signal_handler_disconnect (widget, id);
    }
}

static void
click_next (Flow       *flow,
            const char *then)
{
  click (next_button (flow));
  wait_until (g_strcmp0 (page_id (flow), then) == 0);
}

static void
shoot (Flow       *flow,
       const char *name)
{
  g_autofree char *file = g_strdup_printf ("flow-%02u-%s.png", ++flow->shot, name);

  g_free (cr_test_ui_save_png (GTK_WIDGET (flow->window), file));
}

/* Whether @widget or something in it reads @text. */
static gboolean
has_label (GtkWidget  *widget,
           const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (has_label (c, text))
      return TRUE;
  return FALSE;
}

static const char *
verify_view (Flow *flow)
{
  CrPage *verify = cr_window_lookup_page (flow->window, "verify");

  return gtk_stack_get_visible_child_name (GTK_STACK (adw_bin_get_child (ADW_BIN (verify))));
}

static void
waited_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  *(gboolean *) user_data = TRUE;
}

/* Escape on the keyboard, through the X server when xdotool is there (the
 * focus goes to our window first: Xvfb runs no window manager). */
static void
press_escape (Flow *flow)
{
  g_autofree char *xdotool = g_find_program_in_path ("xdotool");
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *title = gtk_window_get_title (GTK_WINDOW (flow->window));
  gboolean done = FALSE;

  if (xdotool == NULL || title == NULL)
    {
      g_test_message ("No xdotool: Escape through its binding");
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (flow->window), "assistant.cancel", NULL));
      return;
    }

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error,
                              xdotool, "search", "--limit", "1", "--name", title,
                              "windowfocus", "--sync", "%1", "key", "Escape", NULL);
  g_assert_no_error (error);
  /* The main loop must keep running: the window answers the focus change. */
  g_subprocess_wait_async (process, NULL, waited_cb, &done);
  wait_until (done);
  g_assert_true (g_subprocess_get_successful (process));
}

/* ---- the key page ---- */

static void
type_key_and_url (Flow       *flow,
                  const char *key,
                  const char *url)
{
  /* A paste is one edit of the whole text. */
  gtk_editable_set_text (child (page (flow), CR_TYPE_KEY_PAGE, "key_row"), key);
  gtk_editable_set_text (child (page (flow), CR_TYPE_KEY_PAGE, "url_row"), url);
}

static void
welcome_to_key (Flow *flow)
{
  g_assert_cmpstr (page_id (flow), ==, "welcome");
  click_next (flow, "token");
  click_next (flow, "key");
  g_assert_false (next_enabled (flow));
}

/* ---- the model page ---- */

static GtkCheckButton *
find_model_radio (GtkWidget  *widget,
                  const char *model)
{
  if (GTK_IS_CHECK_BUTTON (widget) &&
      g_strcmp0 (g_object_get_data (G_OBJECT (widget), "cr-model-id"), model) == 0)
    return GTK_CHECK_BUTTON (widget);

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkCheckButton *found = find_model_radio (c, model);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* ---- the checklist ---- */

typedef struct
{
  const char    *id;
  CrCheckStatus  status;
} Expected;

static gboolean
checklist_running (Flow *flow)
{
  CrPage *checklist = cr_window_lookup_page (flow->window, "checklist");

  return g_strcmp0 (gtk_stack_get_visible_child_name (child (checklist, CR_TYPE_CHECKLIST_PAGE,
                                                             "run_stack")), "stop") == 0;
}

static CrCheckItem *
checklist_item (Flow       *flow,
                const char *id)
{
  GtkListBox *list = child (page (flow), CR_TYPE_CHECKLIST_PAGE,
                            g_str_has_prefix (id, "cursor-") ? "cursor_list" : "check_list");
  GtkListBoxRow *row;

  for (guint i = 0; (row = gtk_list_box_get_row_at_index (list, i)) != NULL; i++)
    {
      CrCheckItem *item = cr_check_row_get_item (CR_CHECK_ROW (row));

      if (g_str_equal (cr_check_item_get_id (item), id))
        {
          /* What the row says in words matches the item. */
          g_assert_cmpstr (gtk_label_get_text (child (row, CR_TYPE_CHECK_ROW, "status_label")), ==,
                           cr_check_status_label (cr_check_item_get_status (item)));
          return item;
        }
    }

  g_error ("No checklist row %s", id);
}

static void
assert_statuses (Flow           *flow,
                 const Expected *expected,
                 guint           n_expected)
{
  g_autoptr(GString) wrong = g_string_new (NULL);

  for (guint i = 0; i < n_expected; i++)
    {
      CrCheckStatus status = cr_check_item_get_status (checklist_item (flow, expected[i].id));

      g_test_message ("%s: %s", expected[i].id, cr_check_status_label (status));
      if (status != expected[i].status)
        g_string_append_printf (wrong, " %s is %s, not %s;", expected[i].id,
                                cr_check_status_label (status),
                                cr_check_status_label (expected[i].status));
    }
  if (wrong->len > 0)
    g_error ("Checklist:%s", wrong->str);
}

static const char *
summary (Flow *flow)
{
  return gtk_label_get_text (child (page (flow), CR_TYPE_CHECKLIST_PAGE, "summary_counts"));
}

static const char *
summary_title (Flow *flow)
{
  return gtk_label_get_text (child (page (flow), CR_TYPE_CHECKLIST_PAGE, "summary_title"));
}

static GtkWidget *
checklist_row (Flow       *flow,
               const char *id)
{
  GtkListBox *list = child (page (flow), CR_TYPE_CHECKLIST_PAGE,
                            g_str_has_prefix (id, "cursor-") ? "cursor_list" : "check_list");
  GtkListBoxRow *row;

  for (guint i = 0; (row = gtk_list_box_get_row_at_index (list, i)) != NULL; i++)
    if (g_str_equal (cr_check_item_get_id (cr_check_row_get_item (CR_CHECK_ROW (row))), id))
      return GTK_WIDGET (row);

  g_error ("No checklist row %s", id);
}

static const char *
row_detail (GtkWidget *row)
{
  return gtk_label_get_text (child (row, CR_TYPE_CHECK_ROW, "detail_label"));
}

/* The row alone, for a reviewer: flow-NN-<name>.png. */
static void
shoot_row (Flow       *flow,
           GtkWidget  *row,
           const char *name)
{
  g_autofree char *file = g_strdup_printf ("flow-%02u-%s.png", ++flow->shot, name);

  g_free (cr_test_ui_save_png (row, file));
}

/* ---- the keyring, asked directly ---- */

typedef struct
{
  gboolean  done;
  char     *key;
} Lookup;

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Lookup *lookup = user_data;
  g_autoptr(GError) error = NULL;

  lookup->key = cr_keyring_lookup_finish (result, &error);
  g_assert_no_error (error);
  lookup->done = TRUE;
}

static void
clear_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  cr_keyring_clear_finish (result, &error);
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static void
keyring_clear (void)
{
  gboolean done = FALSE;

  cr_keyring_clear_async (CR_KEYRING_DEFAULT_PROFILE, NULL, clear_cb, &done);
  wait_until (done);
}

/* ---- the tests ---- */

/* The statuses a good token on the loopback gateway ends with. */
static const Expected first_run[] = {
  { CR_CHECK_KEY, CR_CHECK_PASSED },
  /* 127.0.0.1 is not crazyrouter.com: worth a warning, not a failure. */
  { CR_CHECK_BASE_URL, CR_CHECK_WARNING },
  { CR_CHECK_MODEL, CR_CHECK_PASSED },
  { CR_CHECK_CHAT, CR_CHECK_PASSED },
  { CR_CHECK_LOGS, CR_CHECK_PASSED },
  { CR_CHECK_QUOTA, CR_CHECK_PASSED },
  /* Only the user can tell whether Tab Completion is off in Cursor. */
  { CR_CHECK_TAB_COMPLETION, CR_CHECK_NEEDS_YOU },
  /* The fresh HOME has no Cursor settings to read: the user is asked to
   * check them; Cursor's Verify, replayed against the gateway, passes. */
  { CR_CHECK_CURSOR_KEY, CR_CHECK_NEEDS_YOU },
  { CR_CHECK_CURSOR_BASE_URL, CR_CHECK_NEEDS_YOU },
  { CR_CHECK_CURSOR_MODEL, CR_CHECK_NEEDS_YOU },
  { CR_CHECK_CURSOR_VERIFY, CR_CHECK_PASSED },
  /* Stock new-api refuses Cursor 3.x's request format: Cursor's bug. */
  { CR_CHECK_CURSOR_SHAPE, CR_CHECK_WARNING },
  /* Watched for: nothing has sent a message in Cursor's chat yet (the
   * model step's test message is the app's own). */
  { CR_CHECK_CURSOR_CHAT, CR_CHECK_RUNNING },
};

static const Expected acknowledged[] = {
  { CR_CHECK_KEY, CR_CHECK_PASSED },
  { CR_CHECK_BASE_URL, CR_CHECK_WARNING },
  { CR_CHECK_MODEL, CR_CHECK_PASSED },
  { CR_CHECK_CHAT, CR_CHECK_PASSED },
  { CR_CHECK_LOGS, CR_CHECK_PASSED },
  { CR_CHECK_QUOTA, CR_CHECK_PASSED },
  { CR_CHECK_TAB_COMPLETION, CR_CHECK_PASSED },
  { CR_CHECK_CURSOR_KEY, CR_CHECK_NEEDS_YOU },
  { CR_CHECK_CURSOR_BASE_URL, CR_CHECK_NEEDS_YOU },
  { CR_CHECK_CURSOR_MODEL, CR_CHECK_NEEDS_YOU },
  { CR_CHECK_CURSOR_VERIFY, CR_CHECK_PASSED },
  { CR_CHECK_CURSOR_SHAPE, CR_CHECK_WARNING },
  /* Cursor's own request arrived while the checklist watched. */
  { CR_CHECK_CURSOR_CHAT, CR_CHECK_PASSED },
};

/* Right after the Cursor step, the checklist watches for Cursor's own
 * request; the person sends a message in Cursor's chat, and "Check Now"
 * finds it without waiting for the next look. */
static void
watch_for_cursor (Flow *flow)
{
  CrChecklist *checklist = cr_setup_state_get_checklist (cr_application_get_state (flow->app));
  GtkWidget *row = checklist_row (flow, CR_CHECK_CURSOR_CHAT);
  GtkWidget *action = child (row, CR_TYPE_CHECK_ROW, "action_button");
  CrCheckItem *item = cr_check_row_get_item (CR_CHECK_ROW (row));

  /* Watching, not running: the run's verdict stays on top, the row shows
   * the watch with its spinner and the time left. */
  g_assert_true (cr_checklist_get_watching (checklist));
  assert_statuses (flow, first_run, G_N_ELEMENTS (first_run));
  g_assert_cmpstr (summary_title (flow), ==, "Almost done");
  g_assert_cmpstr (summary (flow), ==, "6 passed · 2 warnings · 4 need you · waiting for your message in Cursor");
  g_assert_true (gtk_widget_get_mapped (child (page (flow), CR_TYPE_CHECKLIST_PAGE, "run_button")));
  g_assert_true (gtk_widget_get_visible (child (row, CR_TYPE_CHECK_ROW, "spinner")));
  g_assert_nonnull (strstr (row_detail (row), "Send one message in Cursor’s chat with " CR_DEFAULT_MODEL " now"));
  g_assert_nonnull (strstr (row_detail (row), "3 minutes left"));
  g_assert_cmpstr (cr_check_row_get_action (CR_CHECK_ROW (row)), ==, "Check _Now");
  /* Out of the row's context, "Check Now" would not say what it checks. */
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (action), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Look for Cursor’s request in the token’s logs now");
  shoot (flow, "checklist");
  shoot_row (flow, row, "checklist-watching-row");

  /* The message from Cursor's chat, as Cursor's servers send it. */
  cr_test_gateway_add_log_later (flow->gateway, CR_TEST_TOKEN_GOOD, 0, CR_TEST_LOG_CURSOR_CHAT, CR_DEFAULT_MODEL);
  settle (100);
  click (action);
  wait_until (cr_check_item_get_status (item) != CR_CHECK_RUNNING);

  g_assert_cmpint (cr_check_item_get_status (item), ==, CR_CHECK_PASSED);
  g_assert_false (cr_checklist_get_watching (checklist));
  g_assert_nonnull (strstr (row_detail (row), "Cursor’s request with " CR_DEFAULT_MODEL " reached Crazyrouter"));
  g_assert_null (cr_check_row_get_action (CR_CHECK_ROW (row)));
  g_assert_false (gtk_widget_get_visible (action));
  g_assert_cmpstr (summary (flow), ==, "7 passed · 2 warnings · 4 need you");
  g_assert_cmpstr (summary_title (flow), ==, "Almost done");
  shoot_row (flow, row, "checklist-cursor-arrived-row");
}

static void
walk_first_run (Flow *flow)
{
  g_autofree char *root = g_strdup (cr_test_gateway_get_root_url (flow->gateway));
  const char *base_url = cr_test_gateway_get_base_url (flow->gateway);
  CrSetupState *state = cr_application_get_state (flow->app);
  Lookup lookup = { FALSE, NULL };
  GtkCheckButton *baseline;
  CrPage *current;

  /* 1. Welcome: nothing stored yet, so nothing to check. */
  settle (300);
  g_assert_cmpstr (page_id (flow), ==, "welcome");
  g_assert_false (gtk_widget_is_visible (child (page (flow), CR_TYPE_WELCOME_PAGE, "check_button")));
  shoot (flow, "welcome");

  /* 2. The dedicated token. */
  click_next (flow, "token");
  shoot (flow, "token");

  /* 3. The key, pasted with junk around it, and the gateway's root URL. */
  click_next (flow, "key");
  current = page (flow);
  /* The usual slip first: the site's address instead of the API's. */
  type_key_and_url (flow, PASTED_KEY, "https://crazyrouter.com");
  g_assert_cmpstr (gtk_label_get_text (child (current, CR_TYPE_KEY_PAGE, "fix_label")), ==,
                   "Use " CR_DEFAULT_BASE_URL);
  g_assert_false (next_enabled (flow));
  shoot (flow, "key-root-domain");

  type_key_and_url (flow, PASTED_KEY, root);
  g_assert_nonnull (strstr (gtk_label_get_text (child (current, CR_TYPE_KEY_PAGE, "key_hint")), "Removed"));
  g_assert_null (strstr (gtk_label_get_text (child (current, CR_TYPE_KEY_PAGE, "key_hint")),
                         CR_TEST_TOKEN_GOOD));
  shoot (flow, "key-fix");

  click (child (current, CR_TYPE_KEY_PAGE, "fix_button"));
  g_assert_true (g_str_has_suffix (gtk_editable_get_text (child (current, CR_TYPE_KEY_PAGE, "url_row")),
                                   "/v1"));
  g_assert_cmpstr (gtk_editable_get_text (child (current, CR_TYPE_KEY_PAGE, "url_row")), ==, base_url);
  g_assert_true (next_enabled (flow));
  shoot (flow, "key");

  /* 4. Verify: the token's models. */
  click_next (flow, "verify");
  g_assert_cmpstr (cr_setup_state_get_key (state), ==, CR_TEST_TOKEN_GOOD);
  wait_until (g_strcmp0 (verify_view (flow), "running") != 0);
  g_assert_cmpstr (verify_view (flow), ==, "done");
  g_assert_nonnull (gtk_list_box_get_row_at_index (child (page (flow), CR_TYPE_VERIFY_PAGE, "models_list"), 0));
  g_assert_true (cr_setup_state_model_allowed (state, CR_DEFAULT_MODEL));
  g_assert_true (next_enabled (flow));
  shoot (flow, "verify");

  /* 5. The model: the baseline is chosen; the test message gets a reply. */
  click_next (flow, "model");
  current = page (flow);
  baseline = find_model_radio (child (current, CR_TYPE_MODEL_PAGE, "model_list"), CR_DEFAULT_MODEL);
  g_assert_nonnull (baseline);
  g_assert_true (gtk_check_button_get_active (baseline));
  shoot (flow, "model");

  click (child (current, CR_TYPE_MODEL_PAGE, "test_button"));
  wait_until (g_strcmp0 (gtk_stack_get_visible_child_name (child (current, CR_TYPE_MODEL_PAGE, "test_stack")),
                         "running") != 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (child (current, CR_TYPE_MODEL_PAGE, "test_stack")), ==,
                   "done");
  g_assert_cmpstr (gtk_label_get_text (child (current, CR_TYPE_MODEL_PAGE, "reply_label")), !=, "");
  g_assert_cmpuint (cr_test_gateway_count_path (flow->gateway, "/v1/chat/completions"), ==, 1);
  shoot (flow, "model-answered");

  /* 6. The keyring: saved, and what is stored is the cleaned key. */
  click_next (flow, "keyring");
  current = page (flow);
  shoot (flow, "keyring");
  click (child (current, CR_TYPE_KEYRING_PAGE, "save_button"));
  wait_until (cr_setup_state_get_key_stored (state));
  g_assert_cmpstr (gtk_label_get_text (child (current, CR_TYPE_KEYRING_PAGE, "result_title")), ==,
                   "Key saved");
  shoot (flow, "keyring-saved");

  cr_keyring_lookup_async (CR_KEYRING_DEFAULT_PROFILE, NULL, lookup_cb, &lookup);
  wait_until (lookup.done);
  g_assert_cmpstr (lookup.key, ==, CR_TEST_TOKEN_GOOD);
  cr_key_free (lookup.key);
  /* The base URL is a setting (assert_settings_file), not in the keyring. */
  g_assert_cmpstr (cr_setup_state_get_base_url (state), ==, base_url);

  /* 7. Cursor's fields. */
  click_next (flow, "cursor");
  shoot (flow, "cursor");

  /* 8. The checklist runs by itself, then watches the token's logs for
   * the message the Cursor step asked for. */
  click_next (flow, "checklist");
  wait_until (!checklist_running (flow));
  watch_for_cursor (flow);

  /* Tab Completion is off in Cursor: the switch says so. */
  click (child (page (flow), CR_TYPE_CHECKLIST_PAGE, "tab_switch"));
  assert_statuses (flow, acknowledged, G_N_ELEMENTS (acknowledged));
  g_assert_cmpstr (summary (flow), ==, "8 passed · 2 warnings · 3 need you");
  shoot (flow, "checklist-acknowledged");
}

/* What the first run left in the settings file: the choices, never the key. */
static void
assert_settings_file (Flow *flow)
{
  g_autofree char *path = g_build_filename (config_dir, "glib-2.0", "settings", "keyfile", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (contents, cr_test_gateway_get_base_url (flow->gateway)));
  g_assert_null (strstr (contents, CR_TEST_TOKEN_GOOD));
  g_assert_null (strstr (contents, "sk-demo"));
}

static void
walk_second_run (Flow *flow)
{
  CrSetupState *state = cr_application_get_state (flow->app);
  GtkWidget *check;
  guint models_before = cr_test_gateway_count_path (flow->gateway, "/v1/models");
  guint chats_before = cr_test_gateway_count_path (flow->gateway, "/v1/chat/completions");

  /* The key is not in memory: only the keyring knows it. */
  g_assert_false (cr_setup_state_get_has_key (state));
  g_assert_cmpstr (cr_setup_state_get_base_url (state), ==, cr_test_gateway_get_base_url (flow->gateway));

  g_assert_cmpstr (page_id (flow), ==, "welcome");
  check = child (page (flow), CR_TYPE_WELCOME_PAGE, "check_button");
  wait_until (gtk_widget_get_mapped (check));
  g_assert_true (has_label (check, "Check My Setup"));
  shoot (flow, "welcome-stored");

  click (check);
  wait_until (g_strcmp0 (page_id (flow), "checklist") == 0);
  g_assert_cmpstr (cr_setup_state_get_key (state), ==, CR_TEST_TOKEN_GOOD);
  wait_until (!checklist_running (flow));
  /* Everything ran again, against the gateway, with the stored key. */
  g_assert_cmpuint (cr_test_gateway_count_path (flow->gateway, "/v1/models"), >, models_before);
  g_assert_cmpuint (cr_test_gateway_count_path (flow->gateway, "/v1/chat/completions"), >, chats_before);
  g_assert_cmpstr (cr_test_gateway_get_last_header (flow->gateway, "Authorization"), ==,
                   "Bearer " CR_TEST_TOKEN_GOOD);
  /* Cursor's request from the first run is still in the logs (minutes
   * old); a re-check watches for nothing by itself. */
  assert_statuses (flow, acknowledged, G_N_ELEMENTS (acknowledged));
  g_assert_false (cr_checklist_get_watching (cr_setup_state_get_checklist (state)));
  g_assert_cmpstr (summary (flow), ==, "8 passed · 2 warnings · 3 need you");
  shoot (flow, "checklist-again");
}

static void
test_whole_flow (void)
{
  Flow flow;

  flow_start (&flow);
  keyring_clear ();
  app_run (&flow, walk_first_run);

  /* Closed, and started again with the same settings and keyring. */
  assert_settings_file (&flow);
  app_run (&flow, walk_second_run);

  flow_finish (&flow);
}

static void
walk_bad_key (Flow *flow)
{
  CrPage *verify;

  welcome_to_key (flow);
  type_key_and_url (flow, BAD_KEY, cr_test_gateway_get_base_url (flow->gateway));
  g_assert_true (next_enabled (flow));
  click_next (flow, "verify");
  wait_until (g_strcmp0 (verify_view (flow), "running") != 0);

  verify = page (flow);
  g_assert_cmpstr (verify_view (flow), ==, "problem");
  g_assert_cmpstr (adw_action_row_get_subtitle (child (verify, CR_TYPE_VERIFY_PAGE, "fix_row")), ==,
                   cr_gateway_error_code_fix (CR_GATEWAY_ERROR_UNAUTHORIZED));
  g_assert_nonnull (strstr (gtk_label_get_text (child (verify, CR_TYPE_VERIFY_PAGE, "server_label")), "401"));
  g_assert_false (next_enabled (flow));
  shoot (flow, "verify-401");

  /* Trying again with the same key changes nothing. */
  click (child (verify, CR_TYPE_VERIFY_PAGE, "retry_button"));
  wait_until (g_strcmp0 (verify_view (flow), "running") != 0);
  g_assert_cmpstr (verify_view (flow), ==, "problem");
  g_assert_false (next_enabled (flow));
  g_assert_cmpuint (cr_test_gateway_count_path (flow->gateway, "/v1/models"), ==, 2);
}

static void
test_bad_key (void)
{
  Flow flow;

  flow_start (&flow);
  flow.shot = 20;
  app_run (&flow, walk_bad_key);
  flow_finish (&flow);
}

static void
walk_cancel_hung_verify (Flow *flow)
{
  gint64 start;

  cr_test_gateway_set_mode (flow->gateway, CR_TEST_MODE_HANG);
  welcome_to_key (flow);
  type_key_and_url (flow, CR_TEST_TOKEN_GOOD, cr_test_gateway_get_base_url (flow->gateway));
  click_next (flow, "verify");
  wait_until (cr_test_gateway_count_path (flow->gateway, "/v1/models") > 0);
  g_assert_cmpstr (verify_view (flow), ==, "running");
  shoot (flow, "verify-running");

  /* Escape: the page answers at once, not when some timeout ends. */
  start = g_get_monotonic_time ();
  press_escape (flow);
  wait_until (g_strcmp0 (verify_view (flow), "running") != 0);
  g_assert_cmpint (g_get_monotonic_time () - start, <, CR_TEST_UI_USEC (G_USEC_PER_SEC));
  g_assert_cmpstr (verify_view (flow), ==, "problem");
  g_assert_false (next_enabled (flow));
  g_assert_true (gtk_widget_get_mapped (child (page (flow), CR_TYPE_VERIFY_PAGE, "retry_button")));
  shoot (flow, "verify-cancelled");

  /* The window is the user's again: Back works. */
  click (child (flow->window, CR_TYPE_WINDOW, "back_button"));
  g_assert_cmpstr (page_id (flow), ==, "key");
}

static void
test_cancel_hung_verify (void)
{
  Flow flow;

  flow_start (&flow);
  flow.shot = 30;
  app_run (&flow, walk_cancel_hung_verify);
  flow_finish (&flow);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  /* A settings file that outlives one app, in a folder of our own. */
  config_dir = g_dir_make_tmp ("cr-flow-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_CONFIG_HOME", config_dir, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "keyfile", TRUE);

  gtk_test_init (&argc, &argv, NULL);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  adw_init ();
  /* The light style, as the AppStream screenshots show it. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);

  g_test_add_func ("/flow/bad-key", test_bad_key);
  g_test_add_func ("/flow/cancel-hung-verify", test_cancel_hung_verify);
  g_test_add_func ("/flow/whole", test_whole_flow);

  status = g_test_run ();

  {
    g_autofree char *keyfile = g_build_filename (config_dir, "glib-2.0", "settings", "keyfile", NULL);
    g_autofree char *settings_dir = g_path_get_dirname (keyfile);
    g_autofree char *glib_dir = g_path_get_dirname (settings_dir);

    g_unlink (keyfile);
    g_rmdir (settings_dir);
    g_rmdir (glib_dir);
    g_rmdir (config_dir);
  }
  g_free (config_dir);
  return status;
}
