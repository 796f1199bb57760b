/* test-ui-cursor.c: the Cursor doctor in the real window
 *
 * A fixture Cursor (a config folder with a state.vscdb made here with
 * SQLite, and an install root that names a version) in a temporary folder,
 * the loopback gateway, and GSettings in memory: the checklist's Cursor
 * group with each row's status, what a Cursor update marks as changed on
 * the next run, and the welcome page's "Cursor was updated" line. Each is
 * also rendered to a PNG (wide, 360 px, dark) for a reviewer to look at.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "cr-check-row.h"
#include "cr-checklist-page.h"
#include "cr-test-cursor.h"
#include "cr-test-gateway.h"
#include "cr-test-ui.h"
#include "cr-welcome-page.h"
#include "cr-window.h"

/* Cursor set up as the guide says, with an OpenAI key row. */
#define GOOD_CURSOR \
  "{'useOpenAIKey': true," \
  " 'openAIBaseUrl': 'https://crazyrouter.com/v1'," \
  " 'availableDefaultModels2': [{'name': 'gpt-5.4', 'defaultOn': false}," \
  "                             {'name': 'cursor-small', 'defaultOn': true}]," \
  " 'aiSettings': {'modelOverrideEnabled': ['gpt-5.4'], 'modelOverrideDisabled': []," \
  "                'userAddedModels': []}}"

/* The same after an update that switched the key off, as Cursor does. */
#define KEY_OFF_CURSOR \
  "{'useOpenAIKey': false," \
  " 'openAIBaseUrl': 'https://crazyrouter.com/v1'," \
  " 'availableDefaultModels2': [{'name': 'gpt-5.4', 'defaultOn': false}," \
  "                             {'name': 'cursor-small', 'defaultOn': true}]," \
  " 'aiSettings': {'modelOverrideEnabled': ['gpt-5.4'], 'modelOverrideDisabled': []," \
  "                'userAddedModels': []}}"

/* cr_cursor_checks_lag_note(), as the group shows it. */
#define LAG_NOTE \
  "A running Cursor may not have saved its latest changes yet: restart it if " \
  "something here looks out of date."

static const char * const cursor_ids[] = {
  CR_CHECK_CURSOR_KEY, CR_CHECK_CURSOR_BASE_URL, CR_CHECK_CURSOR_MODEL, CR_CHECK_CURSOR_VERIFY,
};

static const char * const remembered_keys[] = {
  "cursor-version", "cursor-facts", "last-check-time", "last-check-ok",
};

static GtkApplication *app;

typedef struct
{
  CrTestGateway *gateway;
  GSettings     *settings;
  CrSetupState  *state;
  CrWindow      *window;
  char          *home;     /* temporary; removed afterwards */
  char          *config;   /* home/Cursor */
  char          *install;  /* home/install */
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->gateway = cr_test_gateway_new (FALSE, 0, &error);
  g_assert_no_error (error);
  f->settings = g_settings_new (APP_ID);
  for (guint i = 0; i < G_N_ELEMENTS (remembered_keys); i++)
    g_settings_reset (f->settings, remembered_keys[i]);

  f->home = g_dir_make_tmp ("cr-ui-cursor-XXXXXX", &error);
  g_assert_no_error (error);
  f->config = g_build_filename (f->home, "Cursor", NULL);
  f->install = g_build_filename (f->home, "install", NULL);
}

/* After the test has made the Cursor it starts with, and set what the last
 * check remembered: the app reads both at startup. */
static void
open_window (Fixture  *f,
             gboolean  key_stored)
{
  f->state = cr_setup_state_new (f->settings);
  cr_setup_state_set_cursor_location (f->state, f->config, (const char * const[]) { f->install, NULL });
  cr_setup_state_set_key_stored (f->state, key_stored);
  f->window = cr_test_ui_open_window (app, f->state, 720, 900);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  cr_test_ui_close_window (f->window, f->state);
  for (guint i = 0; i < G_N_ELEMENTS (remembered_keys); i++)
    g_settings_reset (f->settings, remembered_keys[i]);
  g_clear_object (&f->settings);
  g_clear_object (&f->gateway);
  cr_test_remove_tree (f->home);
  g_free (f->home);
  g_free (f->config);
  g_free (f->install);
}

/* Cursor at @version with these settings (single-quoted JSON). */
static void
make_cursor (Fixture    *f,
             const char *version,
             const char *settings)
{
  g_free (cr_test_cursor_make_profile (f->config, settings, CR_TEST_CURSOR_NEW_KEY_ROW));
  if (version != NULL)
    cr_test_cursor_make_install (f->install, version);
  else
    cr_test_remove_tree (f->install);
}

/* What a check of this Cursor leaves in GSettings. */
static void
remember_cursor (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrCursorSnapshot) snapshot = NULL;
  g_autoptr(GVariant) facts = NULL;
  g_autofree char *version = NULL;

  snapshot = cr_cursor_read (f->config, (const char * const[]) { f->install, NULL }, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (snapshot->status, ==, CR_CURSOR_FOUND);
  cr_cursor_history_to_remember (snapshot, &version, &facts);
  g_settings_set_string (f->settings, "cursor-version", version != NULL ? version : "");
  g_settings_set_value (f->settings, "cursor-facts", facts);
}

/* ---- screenshots ---- */

/* Scrolls the page down so that @widget (nested in it) is in view, if a
 * scrolled window holds it. */
static void
scroll_to (GtkWidget *widget)
{
  GtkWidget *scrolled = widget ? gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW) : NULL;
  GtkAdjustment *adjustment;
  double y = 0;

  if (scrolled == NULL)
    return;

  cr_test_ui_settle (100);
  for (GtkWidget *w = widget; w != scrolled; w = gtk_widget_get_parent (w))
    {
      graphene_matrix_t transform;

      /* The translation part of each child's place in its parent. */
      if (gtk_widget_get_parent (w) != NULL
          && gtk_widget_compute_transform (w, gtk_widget_get_parent (w), &transform))
        y += graphene_matrix_get_value (&transform, 3, 1);
    }
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + y - 12);
}

/* Wide and light, 360 px and light, 360 px and dark, each scrolled to
 * @focus (or the top). The page fits 360 px whatever it shows. */
static void
save_pngs (Fixture    *f,
           const char *name,
           GtkWidget  *focus)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  int min_width;

  gtk_widget_measure (GTK_WIDGET (cr_window_get_page (f->window)), GTK_ORIENTATION_HORIZONTAL, -1,
                      &min_width, NULL, NULL, NULL);
  g_assert_cmpint (min_width, <=, 360);

  gtk_window_set_default_size (GTK_WINDOW (f->window), 720, 900);
  scroll_to (focus);
  cr_test_ui_save_shot (GTK_WIDGET (f->window), "ui-cursor", name);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 900);
  cr_test_ui_settle (100);
  scroll_to (focus);
  cr_test_ui_save_shot (GTK_WIDGET (f->window), "ui-cursor", name);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  cr_test_ui_save_shot (GTK_WIDGET (f->window), "ui-cursor", name);

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 720, 900);
  cr_test_ui_settle (100);
}

/* ---- the checklist ---- */

static gboolean
checklist_running (Fixture *f)
{
  GtkStack *stack = cr_test_ui_child (cr_window_get_page (f->window), CR_TYPE_CHECKLIST_PAGE, "run_stack");

  return g_strcmp0 (gtk_stack_get_visible_child_name (stack), "stop") == 0;
}

static GtkWidget *
cursor_row (Fixture    *f,
            const char *id)
{
  GtkListBox *list = cr_test_ui_child (cr_window_get_page (f->window), CR_TYPE_CHECKLIST_PAGE, "cursor_list");
  GtkListBoxRow *row;

  for (guint i = 0; (row = gtk_list_box_get_row_at_index (list, i)) != NULL; i++)
    if (g_str_equal (cr_check_item_get_id (cr_check_row_get_item (CR_CHECK_ROW (row))), id))
      return GTK_WIDGET (row);

  g_assert_not_reached ();
}

/* The row shows its item's status in words, and the changed tag exactly
 * when @changed. */
static void
assert_cursor_row (Fixture       *f,
                   const char    *id,
                   CrCheckStatus  status,
                   gboolean       changed)
{
  GtkWidget *row = cursor_row (f, id);
  CrCheckItem *item = cr_check_row_get_item (CR_CHECK_ROW (row));
  GtkWidget *tag = cr_test_ui_child (row, CR_TYPE_CHECK_ROW, "changed_label");

  g_assert_true (gtk_widget_get_mapped (row));
  g_assert_cmpint (cr_check_item_get_status (item), ==, status);
  g_assert_cmpstr (gtk_label_get_text (cr_test_ui_child (row, CR_TYPE_CHECK_ROW, "status_label")), ==,
                   cr_check_status_label (status));
  g_assert_cmpint (cr_check_item_get_changed (item), ==, changed);
  g_assert_cmpint (gtk_widget_get_visible (tag), ==, changed);
  if (changed)
    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (tag)), ==, "Changed since the last check");
}

static const char *
cursor_description (Fixture *f)
{
  return adw_preferences_group_get_description (cr_test_ui_child (cr_window_get_page (f->window), CR_TYPE_CHECKLIST_PAGE,
                                                                  "cursor_group"));
}

static const char *
summary_counts (Fixture *f)
{
  return gtk_label_get_text (cr_test_ui_child (cr_window_get_page (f->window), CR_TYPE_CHECKLIST_PAGE, "summary_counts"));
}

/* Checks against https://crazyrouter.com/v1, sent to the loopback gateway:
 * a base URL that Cursor could reach, as in the fixture's settings. */
static void
use_official_url (Fixture *f)
{
  g_autoptr(CrGateway) gateway = NULL;

  cr_setup_state_set_base_url (f->state, CR_DEFAULT_BASE_URL);
  cr_setup_state_set_key (f->state, CR_TEST_TOKEN_GOOD);
  gateway = cr_gateway_new (cr_test_gateway_get_base_url (f->gateway), CR_TEST_TOKEN_GOOD);
  cr_setup_state_set_gateway (f->state, gateway);
}

static void
run_again (Fixture *f)
{
  GtkWidget *run = cr_test_ui_child (cr_window_get_page (f->window), CR_TYPE_CHECKLIST_PAGE, "run_button");

  g_assert_true (gtk_widget_get_mapped (run));
  g_signal_emit_by_name (run, "clicked");
  g_assert_true (checklist_running (f));
  cr_test_ui_wait_until (!checklist_running (f));
}

static void
assert_remembered (Fixture    *f,
                   const char *version)
{
  g_autofree char *stored = g_settings_get_string (f->settings, "cursor-version");
  g_autoptr(GVariant) facts = g_settings_get_value (f->settings, "cursor-facts");
  g_autofree char *printed = g_variant_print (facts, TRUE);

  g_assert_cmpstr (stored, ==, version);
  g_assert_cmpstr (cr_setup_state_get_cursor_version (f->state), ==, version);
  g_assert_cmpuint (g_variant_n_children (facts), >, 0);
  /* Facts only: never the key that sits in the same database. */
  g_assert_null (strstr (printed, CR_TEST_CURSOR_FAKE_KEY_PART));
}

/* Cursor 1.4.2 set up right, then updated to 1.5.0, which switched the key
 * off: the re-run says so on the group and marks the one row that changed. */
static void
test_checklist_after_update (Fixture       *f,
                             gconstpointer  data)
{
  make_cursor (f, "1.4.2", GOOD_CURSOR);
  open_window (f, FALSE);
  use_official_url (f);

  cr_page_jump_to (cr_window_get_page (f->window), "checklist");
  g_assert_cmpstr (cr_test_ui_page_id (f->window), ==, "checklist");
  cr_test_ui_wait_until (!checklist_running (f));

  /* The first check: everything in Cursor passes; nothing to compare with. */
  g_assert_true (gtk_widget_get_visible (cr_test_ui_child (cr_window_get_page (f->window), CR_TYPE_CHECKLIST_PAGE, "cursor_group")));
  assert_cursor_row (f, CR_CHECK_CURSOR_KEY, CR_CHECK_PASSED, FALSE);
  assert_cursor_row (f, CR_CHECK_CURSOR_BASE_URL, CR_CHECK_PASSED, FALSE);
  assert_cursor_row (f, CR_CHECK_CURSOR_MODEL, CR_CHECK_PASSED, FALSE);
  assert_cursor_row (f, CR_CHECK_CURSOR_VERIFY, CR_CHECK_PASSED, FALSE);
  /* The settings file may lag a running Cursor: said once, here, not in
   * every row. */
  g_assert_cmpstr (cursor_description (f), ==,
                   "Cursor 1.4.2, read from its own settings without changing them.\n" LAG_NOTE);
  for (guint i = 0; i < G_N_ELEMENTS (cursor_ids); i++)
    g_assert_null (strstr (gtk_label_get_text (cr_test_ui_child (cursor_row (f, cursor_ids[i]),
                                                                 CR_TYPE_CHECK_ROW, "detail_label")),
                           "restart"));
  /* Left: Tab Completion, and Cursor's own first request, which only a
   * message in Cursor's chat makes; stock new-api refuses Cursor 3.x's
   * request format, a warning. */
  g_assert_cmpint (cr_check_item_get_status (cr_check_row_get_item (CR_CHECK_ROW (cursor_row (f, CR_CHECK_CURSOR_SHAPE)))),
                   ==, CR_CHECK_WARNING);
  assert_cursor_row (f, CR_CHECK_CURSOR_CHAT, CR_CHECK_NEEDS_YOU, FALSE);
  g_assert_cmpstr (summary_counts (f), ==, "10 passed · 1 warning · 2 need you");
  g_assert_true (cr_setup_state_get_last_check_ok (f->state));
  assert_remembered (f, "1.4.2");
  save_pngs (f, "checklist", cr_test_ui_child (cr_window_get_page (f->window), CR_TYPE_CHECKLIST_PAGE, "cursor_group"));

  /* Cursor updates itself and switches the key off on the way. */
  make_cursor (f, "1.5.0", KEY_OFF_CURSOR);
  run_again (f);
  assert_cursor_row (f, CR_CHECK_CURSOR_KEY, CR_CHECK_FAILED, TRUE);
  assert_cursor_row (f, CR_CHECK_CURSOR_BASE_URL, CR_CHECK_PASSED, FALSE);
  assert_cursor_row (f, CR_CHECK_CURSOR_MODEL, CR_CHECK_PASSED, FALSE);
  g_assert_cmpstr (cursor_description (f), ==,
                   "Cursor was updated from 1.4.2 to 1.5.0 since the last check. "
                   "Read from its own settings, without changing them.\n" LAG_NOTE);
  g_assert_cmpstr (gtk_label_get_text (cr_test_ui_child (cr_window_get_page (f->window), CR_TYPE_CHECKLIST_PAGE, "summary_title")), ==,
                   "Something needs fixing");
  g_assert_nonnull (strstr (gtk_label_get_text (cr_test_ui_child (cursor_row (f, CR_CHECK_CURSOR_KEY),
                                                                  CR_TYPE_CHECK_ROW, "detail_label")),
                            "switch is off"));
  g_assert_false (cr_setup_state_get_last_check_ok (f->state));
  assert_remembered (f, "1.5.0");
  save_pngs (f, "checklist-updated", cr_test_ui_child (cr_window_get_page (f->window), CR_TYPE_CHECKLIST_PAGE, "cursor_group"));

  /* Checked once more without changes: nothing is news any more. */
  run_again (f);
  assert_cursor_row (f, CR_CHECK_CURSOR_KEY, CR_CHECK_FAILED, FALSE);
  g_assert_cmpstr (cursor_description (f), ==,
                   "Cursor 1.5.0, read from its own settings without changing them.\n" LAG_NOTE);
}

/* No Cursor on this computer: its three settings are the user's to check,
 * with the steps, never a pass; the group says why in one line. */
static void
test_checklist_not_found (Fixture       *f,
                          gconstpointer  data)
{
  static const char * const settings_ids[] = {
    CR_CHECK_CURSOR_KEY, CR_CHECK_CURSOR_BASE_URL, CR_CHECK_CURSOR_MODEL,
  };

  open_window (f, FALSE);
  use_official_url (f);
  cr_page_jump_to (cr_window_get_page (f->window), "checklist");
  cr_test_ui_wait_until (!checklist_running (f));

  g_assert_cmpstr (cursor_description (f), ==,
                   "Cursor not found on this computer — check these by hand.");
  for (guint i = 0; i < G_N_ELEMENTS (settings_ids); i++)
    {
      GtkWidget *row = cursor_row (f, settings_ids[i]);
      GtkWidget *fix = cr_test_ui_child (row, CR_TYPE_CHECK_ROW, "fix_label");

      assert_cursor_row (f, settings_ids[i], CR_CHECK_NEEDS_YOU, FALSE);
      g_assert_true (gtk_widget_get_visible (fix));
      g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (fix)), "Cursor Settings"));
    }
  g_assert_cmpstr (gtk_label_get_text (cr_test_ui_child (cr_window_get_page (f->window), CR_TYPE_CHECKLIST_PAGE, "summary_title")), ==,
                   "Almost done");
  /* With Cursor's own first request, which nothing here sends, and the
   * request format that stock new-api refuses (a warning). */
  g_assert_cmpstr (summary_counts (f), ==, "7 passed · 1 warning · 5 need you");
  /* Nothing read, so nothing remembered. */
  g_assert_null (cr_setup_state_get_cursor_version (f->state));
  save_pngs (f, "checklist-not-found", cr_test_ui_child (cr_window_get_page (f->window), CR_TYPE_CHECKLIST_PAGE, "cursor_group"));
}

/* ---- the watch for Cursor's own request ---- */

static CrChecklist *
checklist (Fixture *f)
{
  return cr_setup_state_get_checklist (f->state);
}

static const char *
chat_action (Fixture *f)
{
  return cr_check_row_get_action (CR_CHECK_ROW (cursor_row (f, CR_CHECK_CURSOR_CHAT)));
}

static GtkWidget *
chat_button (Fixture *f)
{
  return cr_test_ui_child (cursor_row (f, CR_CHECK_CURSOR_CHAT), CR_TYPE_CHECK_ROW, "action_button");
}

static const char *
chat_detail (Fixture *f)
{
  return gtk_label_get_text (cr_test_ui_child (cursor_row (f, CR_CHECK_CURSOR_CHAT), CR_TYPE_CHECK_ROW,
                                               "detail_label"));
}

static const char *
summary_title (Fixture *f)
{
  return gtk_label_get_text (cr_test_ui_child (cr_window_get_page (f->window), CR_TYPE_CHECKLIST_PAGE,
                                               "summary_title"));
}

/* A re-check from the welcome page (after a Cursor update) does not watch
 * by itself: the row offers it. Watching, "Check Now" looks at once; a
 * request that Cursor sent and that failed ends the watch with the error,
 * and the row offers to watch again. */
static void
test_checklist_watch_offered (Fixture       *f,
                              gconstpointer  data)
{
  make_cursor (f, "1.5.0", GOOD_CURSOR);
  open_window (f, TRUE);
  use_official_url (f);
  cr_page_jump_to (cr_window_get_page (f->window), "checklist");
  cr_test_ui_wait_until (!checklist_running (f));

  assert_cursor_row (f, CR_CHECK_CURSOR_CHAT, CR_CHECK_NEEDS_YOU, FALSE);
  g_assert_false (cr_checklist_get_watching (checklist (f)));
  g_assert_cmpstr (chat_action (f), ==, "_Watch for Cursor’s Request");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (chat_button (f)), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Watch the token’s logs for Cursor’s request");
  save_pngs (f, "checklist-watch-offered", cursor_row (f, CR_CHECK_CURSOR_CHAT));

  cr_test_ui_click (chat_button (f));
  g_assert_true (cr_checklist_get_watching (checklist (f)));
  assert_cursor_row (f, CR_CHECK_CURSOR_CHAT, CR_CHECK_RUNNING, FALSE);
  g_assert_cmpstr (chat_action (f), ==, "Check _Now");
  g_assert_nonnull (strstr (chat_detail (f), "3 minutes left"));
  /* Watching is not running: no Stop, no "Checking your setup…". */
  g_assert_false (checklist_running (f));
  g_assert_cmpstr (summary_title (f), ==, "Almost done");
  g_assert_cmpstr (summary_counts (f), ==, "10 passed · 1 warning · 1 needs you · waiting for your message in Cursor");
  save_pngs (f, "checklist-watching", cursor_row (f, CR_CHECK_CURSOR_CHAT));

  /* Cursor's request reached the gateway and met an error there. */
  cr_test_gateway_add_log_later (f->gateway, CR_TEST_TOKEN_GOOD, 0, CR_TEST_LOG_CURSOR_ERROR, CR_DEFAULT_MODEL);
  cr_test_ui_settle (100);
  gtk_widget_grab_focus (chat_button (f));
  cr_test_ui_click (chat_button (f));
  cr_test_ui_wait_until (!cr_checklist_get_watching (checklist (f)));
  assert_cursor_row (f, CR_CHECK_CURSOR_CHAT, CR_CHECK_FAILED, FALSE);
  g_assert_nonnull (strstr (chat_detail (f), "no access to model"));
  g_assert_cmpstr (chat_action (f), ==, "_Watch Again");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (chat_button (f)), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Watch the token’s logs for Cursor’s request again");
  /* The same button, relabelled: the keyboard stays on it. */
  g_assert_true (gtk_widget_has_focus (chat_button (f)));
  g_assert_cmpstr (summary_title (f), ==, "Something needs fixing");
  save_pngs (f, "checklist-watch-failed", cursor_row (f, CR_CHECK_CURSOR_CHAT));

  /* A new run ends any watch and starts none from here. */
  cr_test_ui_click (chat_button (f));
  g_assert_true (cr_checklist_get_watching (checklist (f)));
  run_again (f);
  g_assert_false (cr_checklist_get_watching (checklist (f)));
}

/* Leaving the step ends the watch at once, and says what it saw. */
static void
test_checklist_watch_left (Fixture       *f,
                           gconstpointer  data)
{
  make_cursor (f, "1.5.0", GOOD_CURSOR);
  open_window (f, TRUE);
  use_official_url (f);
  cr_page_jump_to (cr_window_get_page (f->window), "checklist");
  cr_test_ui_wait_until (!checklist_running (f));
  cr_test_ui_click (chat_button (f));
  g_assert_true (cr_checklist_get_watching (checklist (f)));

  cr_test_ui_activate (f->window, "assistant.back");
  g_assert_cmpstr (cr_test_ui_page_id (f->window), ==, "welcome");
  cr_test_ui_wait_until (!cr_checklist_get_watching (checklist (f)));
  g_assert_cmpint (cr_check_item_get_status (cr_checklist_lookup (checklist (f), CR_CHECK_CURSOR_CHAT)), ==,
                   CR_CHECK_NEEDS_YOU);
  g_assert_nonnull (strstr (cr_check_item_get_detail (cr_checklist_lookup (checklist (f), CR_CHECK_CURSOR_CHAT)),
                            "No request from Cursor reached Crazyrouter"));
}

/* Closing the window while watching: the watch ends, and nothing keeps the
 * state alive (the fixture's teardown asserts that it is freed). */
static void
test_checklist_watch_closed (Fixture       *f,
                             gconstpointer  data)
{
  make_cursor (f, "1.5.0", GOOD_CURSOR);
  open_window (f, TRUE);
  use_official_url (f);
  cr_page_jump_to (cr_window_get_page (f->window), "checklist");
  cr_test_ui_wait_until (!checklist_running (f));
  cr_test_ui_click (chat_button (f));
  g_assert_true (cr_checklist_get_watching (checklist (f)));
}

/* ---- the welcome page ---- */

static GtkWidget *
update_line (Fixture *f)
{
  return cr_test_ui_child (cr_window_get_page (f->window), CR_TYPE_WELCOME_PAGE, "cursor_box");
}

static const char *
update_text (Fixture *f)
{
  return gtk_label_get_text (cr_test_ui_child (cr_window_get_page (f->window), CR_TYPE_WELCOME_PAGE, "cursor_label"));
}

/* A stored key and a Cursor newer than the last check: the welcome page
 * says so next to "Check my setup", and that button runs the check. */
static void
test_welcome_updated (Fixture       *f,
                      gconstpointer  data)
{
  GtkWidget *check;

  make_cursor (f, "1.4.2", GOOD_CURSOR);
  remember_cursor (f);
  make_cursor (f, "1.5.0", GOOD_CURSOR);

  /* Without a saved key there is nothing to check again. */
  open_window (f, FALSE);
  g_assert_cmpstr (cr_test_ui_page_id (f->window), ==, "welcome");
  cr_test_ui_settle (300);
  g_assert_false (gtk_widget_get_mapped (update_line (f)));

  cr_setup_state_set_key_stored (f->state, TRUE);
  cr_test_ui_wait_until (gtk_widget_get_mapped (update_line (f)));
  g_assert_cmpstr (update_text (f), ==, "Cursor was updated from 1.4.2 to 1.5.0 — check again?");
  g_assert_true (gtk_widget_has_css_class (cr_test_ui_child (cr_window_get_page (f->window), CR_TYPE_WELCOME_PAGE, "cursor_label"),
                                           "heading"));
  g_assert_true (gtk_widget_get_visible (cr_test_ui_child (cr_window_get_page (f->window), CR_TYPE_WELCOME_PAGE, "cursor_icon")));
  check = cr_test_ui_child (cr_window_get_page (f->window), CR_TYPE_WELCOME_PAGE, "check_button");
  g_assert_true (gtk_widget_get_mapped (check));
  g_assert_true (gtk_widget_get_parent (update_line (f)) == gtk_widget_get_parent (check));
  save_pngs (f, "welcome-updated", NULL);
}

/* The version is unknown now (no install folder found), but the settings
 * differ from the last check: a softer line. */
static void
test_welcome_settings_changed (Fixture       *f,
                               gconstpointer  data)
{
  make_cursor (f, NULL, GOOD_CURSOR);
  remember_cursor (f);
  make_cursor (f, NULL, KEY_OFF_CURSOR);

  open_window (f, TRUE);
  cr_test_ui_wait_until (gtk_widget_get_mapped (update_line (f)));
  g_assert_cmpstr (update_text (f), ==, "Cursor’s settings changed since your last check");
  g_assert_false (gtk_widget_has_css_class (cr_test_ui_child (cr_window_get_page (f->window), CR_TYPE_WELCOME_PAGE, "cursor_label"),
                                            "heading"));
  g_assert_false (gtk_widget_get_visible (cr_test_ui_child (cr_window_get_page (f->window), CR_TYPE_WELCOME_PAGE, "cursor_icon")));
  save_pngs (f, "welcome-settings-changed", NULL);
}

/* Nothing remembered, or nothing new: no line. Cursor found either way. */
static void
test_welcome_nothing_known (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(CrCursorSnapshot) snapshot = NULL;

  make_cursor (f, "1.5.0", GOOD_CURSOR);
  snapshot = cr_cursor_read (f->config, (const char * const[]) { f->install, NULL }, NULL, NULL);
  g_assert_cmpint (snapshot->status, ==, CR_CURSOR_FOUND);
  g_assert_cmpstr (snapshot->version, ==, "1.5.0");

  open_window (f, TRUE);
  g_assert_true (gtk_widget_get_mapped (cr_test_ui_child (cr_window_get_page (f->window), CR_TYPE_WELCOME_PAGE, "check_button")));
  cr_test_ui_settle (500);
  g_assert_false (gtk_widget_get_visible (update_line (f)));
}

/* Nothing new since the last check: no line. When Cursor's settings change
 * while the app is open, coming back to the welcome page reads them again. */
static void
test_welcome_nothing_new (Fixture       *f,
                          gconstpointer  data)
{
  make_cursor (f, "1.5.0", GOOD_CURSOR);
  remember_cursor (f);

  open_window (f, TRUE);
  cr_test_ui_settle (500);
  g_assert_false (gtk_widget_get_visible (update_line (f)));

  make_cursor (f, "1.5.0", KEY_OFF_CURSOR);
  cr_test_ui_activate (f->window, "assistant.next");
  cr_test_ui_wait_until (g_strcmp0 (cr_test_ui_page_id (f->window), "welcome") != 0);
  cr_test_ui_activate (f->window, "assistant.back");
  cr_test_ui_wait_until (g_strcmp0 (cr_test_ui_page_id (f->window), "welcome") == 0);
  cr_test_ui_wait_until (gtk_widget_get_mapped (update_line (f)));
  g_assert_cmpstr (update_text (f), ==, "Cursor’s settings changed since your last check");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  gtk_test_init (&argc, &argv, NULL);
  app = cr_test_ui_new_app ("com.crazyrouter.SetupAssistant.TestUiCursor");

#define ADD(path, func) g_test_add ("/ui-cursor/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("checklist/after-update", test_checklist_after_update);
  ADD ("checklist/not-found", test_checklist_not_found);
  ADD ("checklist/watch-offered", test_checklist_watch_offered);
  ADD ("checklist/watch-left", test_checklist_watch_left);
  ADD ("checklist/watch-closed", test_checklist_watch_closed);
  ADD ("welcome/updated", test_welcome_updated);
  ADD ("welcome/settings-changed", test_welcome_settings_changed);
  ADD ("welcome/nothing-known", test_welcome_nothing_known);
  ADD ("welcome/nothing-new", test_welcome_nothing_new);
#undef ADD

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
