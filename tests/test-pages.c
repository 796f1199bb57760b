/* test-pages.c: the token advice and steps 5–8 in the real window, against
 * the loopback gateway
 *
 * Runs under headless-run.sh: Xvfb, a private D-Bus session with an
 * unlocked gnome-keyring, and the loopback test gateway. Each step is also
 * rendered to a PNG in the build directory (light and dark, wide and
 * narrow) for a reviewer to look at.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <string.h>

#include "cr-check-row.h"
#include "cr-checklist-page.h"
#include "cr-cursor-page.h"
#include "cr-gateway-error.h"
#include "cr-key.h"
#include "cr-keyring.h"
#include "cr-keyring-page.h"
#include "cr-model-page.h"
#include "cr-models.h"
#include "cr-test-gateway.h"
#include "cr-test-ui.h"
#include "cr-token-page.h"
#include "cr-troubleshoot-view.h"
#include "cr-window.h"

#define CHAT_PATH "/v1/chat/completions"

static GtkApplication *app;

typedef struct
{
  CrTestGateway *gateway;
  CrSetupState  *state;
  CrWindow      *window;
} Fixture;

static const char *
stack_child (gpointer    widget,
             GType       type,
             const char *name)
{
  return gtk_stack_get_visible_child_name (cr_test_ui_child (widget, type, name));
}

/* The step itself fits a 360 px window, whatever the frame around it. */
static void
assert_fits_narrow (Fixture *f)
{
  int min_width;

  gtk_widget_measure (GTK_WIDGET (cr_window_get_page (f->window)), GTK_ORIENTATION_HORIZONTAL, -1,
                      &min_width, NULL, NULL, NULL);
  g_assert_cmpint (min_width, <=, 360);
}

/* How many lines of @text are @line. */
static guint
count_lines (const char *text,
             const char *line)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    n += g_str_equal (lines[i], line);
  return n;
}

/* The step as it is, then narrow and dark, then back as it was. */
static void
save_pngs (Fixture    *f,
           const char *name)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  int width, height;

  assert_fits_narrow (f);
  cr_test_ui_save_shot (GTK_WIDGET (f->window), "pages", name);

  gtk_window_get_default_size (GTK_WINDOW (f->window), &width, &height);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, height);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  cr_test_ui_save_shot (GTK_WIDGET (f->window), "pages", name);

  gtk_window_set_default_size (GTK_WINDOW (f->window), width, height);
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_LIGHT);
  cr_test_ui_settle (100);
}

static void
models_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Fixture *f = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) models = NULL;

  models = cr_gateway_list_models_finish (CR_GATEWAY (object), result, &error);
  g_assert_no_error (error);
  cr_setup_state_set_models (f->state, models);
}

/* What the verify step leaves behind: key, base URL and the token's models. */
static void
verify_token (Fixture    *f,
              const char *token)
{
  cr_setup_state_set_base_url (f->state, cr_test_gateway_get_base_url (f->gateway));
  cr_setup_state_set_key (f->state, token);
  cr_gateway_list_models_async (cr_setup_state_get_gateway (f->state), NULL, models_cb, f);
  cr_test_ui_wait_until (cr_setup_state_get_models (f->state) != NULL);
}

static void
go_to (Fixture    *f,
       const char *page_id_)
{
  cr_page_jump_to (cr_window_lookup_page (f->window, "welcome"), page_id_);
  g_assert_cmpstr (cr_test_ui_page_id (f->window), ==, page_id_);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->gateway = cr_test_gateway_new (FALSE, 0, &error);
  g_assert_no_error (error);

  f->state = cr_setup_state_new (NULL);
  f->window = cr_test_ui_open_window (app, f->state, 720, 900);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  cr_test_ui_close_window (f->window, f->state);
  g_clear_object (&f->gateway);
}

/* Every label, row title and subtitle under @widget, for "is the key shown?" */
static void
collect_text (GtkWidget *widget,
              GString   *text)
{
  if (GTK_IS_LABEL (widget))
    g_string_append_printf (text, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));
  if (ADW_IS_ACTION_ROW (widget))
    g_string_append_printf (text, "%s\n", adw_action_row_get_subtitle (ADW_ACTION_ROW (widget)));

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    collect_text (c, text);
}

static void
assert_key_not_shown (GtkWidget  *widget,
                      const char *key)
{
  g_autoptr(GString) text = g_string_new (NULL);

  collect_text (widget, text);
  g_assert_null (strstr (text->str, key));
}

/* ---- step 2: the token ---- */

static gboolean
has_check_button (GtkWidget *widget)
{
  if (GTK_IS_CHECK_BUTTON (widget))
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    if (has_check_button (c))
      return TRUE;
  return FALSE;
}

/* Cursor calls from its own servers: no IP restriction, and no question
 * about where this computer connects from; the allowlist names only
 * models Cursor sends through Crazyrouter. */
static void
test_token_advice (Fixture       *f,
                   gconstpointer  data)
{
  const char * const *recommended = cr_models_recommended ();
  g_autofree char *allow = g_strdup_printf ("Allow only %s and %s to begin with", recommended[0], recommended[1]);
  g_autoptr(GString) text = g_string_new (NULL);
  AdwActionRow *ip_row;
  CrPage *token;

  go_to (f, "token");
  token = cr_window_get_page (f->window);
  ip_row = cr_test_ui_child (token, CR_TYPE_TOKEN_PAGE, "ip_row");

  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (ip_row)), ==, "Leave IP restriction off");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ip_row), "from its own servers"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ip_row), "neither fixed nor published"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ip_row), "scripts or CI"));
  g_assert_false (has_check_button (GTK_WIDGET (token)));

  g_assert_cmpstr (adw_action_row_get_subtitle (cr_test_ui_child (token, CR_TYPE_TOKEN_PAGE, "allowlist_row")), ==,
                   allow);
  collect_text (GTK_WIDGET (token), text);
  g_assert_null (strstr (text->str, "claude"));
  g_assert_null (strstr (text->str, "gemini"));
  g_assert_null (strstr (text->str, "connect from"));
  g_assert_null (strstr (text->str, "office’s public"));
  save_pngs (f, "token");
}

/* ---- step 5: the model ---- */

static GtkCheckButton *
model_radio (Fixture    *f,
             const char *model)
{
  GtkWidget *list = cr_test_ui_child (cr_window_get_page (f->window), CR_TYPE_MODEL_PAGE, "model_list");
  GtkWidget *widget = list;

  /* Depth-first through the list (the "More models" expander nests rows). */
  while (widget != NULL)
    {
      if (GTK_IS_CHECK_BUTTON (widget) &&
          g_strcmp0 (g_object_get_data (G_OBJECT (widget), "cr-model-id"), model) == 0)
        return GTK_CHECK_BUTTON (widget);

      if (gtk_widget_get_first_child (widget) != NULL)
        widget = gtk_widget_get_first_child (widget);
      else
        {
          while (widget != list && gtk_widget_get_next_sibling (widget) == NULL)
            widget = gtk_widget_get_parent (widget);
          widget = widget == list ? NULL : gtk_widget_get_next_sibling (widget);
        }
    }

  return NULL;
}

/* The title of the folded row @model is in, or NULL for a row of its own. */
static const char *
model_group (Fixture    *f,
             const char *model)
{
  GtkWidget *expander = gtk_widget_get_ancestor (GTK_WIDGET (model_radio (f, model)), ADW_TYPE_EXPANDER_ROW);

  return expander != NULL ? adw_preferences_row_get_title (ADW_PREFERENCES_ROW (expander)) : NULL;
}

static const char *
model_subtitle (Fixture    *f,
                const char *model)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (model_radio (f, model)), ADW_TYPE_ACTION_ROW);

  return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
}

static const char *
test_view (Fixture *f)
{
  return stack_child (cr_window_get_page (f->window), CR_TYPE_MODEL_PAGE, "test_stack");
}

static void
test_model_baseline (Fixture       *f,
                     gconstpointer  data)
{
  CrPage *model;
  GtkCheckButton *baseline;

  verify_token (f, CR_TEST_TOKEN_GOOD);
  go_to (f, "model");
  model = cr_window_get_page (f->window);

  baseline = model_radio (f, CR_DEFAULT_MODEL);
  g_assert_nonnull (baseline);
  g_assert_true (gtk_check_button_get_active (baseline));
  /* Allowed, but not a next step: Cursor sends it to its Anthropic key. */
  g_assert_nonnull (model_radio (f, "claude-sonnet-4-6"));
  g_assert_cmpstr (model_group (f, "claude-sonnet-4-6"), ==, "Not through Crazyrouter in Cursor");
  g_assert_nonnull (strstr (model_subtitle (f, "claude-sonnet-4-6"), "own Anthropic key"));
  g_assert_nonnull (strstr (gtk_label_get_text (cr_test_ui_child (model, CR_TYPE_MODEL_PAGE, "other_slots_label")),
                            "Claude Code"));
  g_assert_false (gtk_widget_get_visible (cr_test_ui_child (model, CR_TYPE_MODEL_PAGE, "warning_group")));
  g_assert_cmpstr (test_view (f), ==, "idle");
  g_assert_true (cr_test_ui_next_enabled (f->window));
  save_pngs (f, "model");

  cr_test_ui_click (cr_test_ui_child (model, CR_TYPE_MODEL_PAGE, "test_button"));
  g_assert_cmpstr (test_view (f), ==, "running");
  cr_test_ui_wait_until (g_strcmp0 (test_view (f), "running") != 0);
  g_assert_cmpstr (test_view (f), ==, "done");
  g_assert_nonnull (cr_setup_state_get_chat_result (f->state));
  g_assert_cmpstr (gtk_label_get_text (cr_test_ui_child (model, CR_TYPE_MODEL_PAGE, "reply_label")), !=, "");
  g_assert_true (g_str_has_prefix (gtk_label_get_text (cr_test_ui_child (model, CR_TYPE_MODEL_PAGE, "stats_label")),
                                   "Answered in "));
  g_assert_cmpuint (cr_test_gateway_count_path (f->gateway, CHAT_PATH), ==, 1);
  save_pngs (f, "model-answered");

  /* The answer counts for Next: no second request. */
  cr_test_ui_activate (f->window, "assistant.next");
  cr_test_ui_wait_until (g_strcmp0 (cr_test_ui_page_id (f->window), "keyring") == 0);
  g_assert_cmpuint (cr_test_gateway_count_path (f->gateway, CHAT_PATH), ==, 1);
  g_assert_cmpstr (cr_setup_state_get_model (f->state), ==, CR_DEFAULT_MODEL);
}

/* Next without pressing "Send a test message" sends it, and goes on. */
static void
test_model_next_tests (Fixture       *f,
                       gconstpointer  data)
{
  verify_token (f, CR_TEST_TOKEN_GOOD);
  go_to (f, "model");

  gtk_check_button_set_active (model_radio (f, "claude-sonnet-4-6"), TRUE);
  g_assert_cmpstr (cr_setup_state_get_model (f->state), ==, "claude-sonnet-4-6");
  cr_test_ui_activate (f->window, "assistant.next");
  cr_test_ui_wait_until (g_strcmp0 (cr_test_ui_page_id (f->window), "keyring") == 0);
  g_assert_cmpuint (cr_test_gateway_count_path (f->gateway, CHAT_PATH), ==, 1);
  {
    GBytes *body = cr_test_gateway_get_last_body (f->gateway);
    g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));

    g_assert_nonnull (strstr (text, "\"claude-sonnet-4-6\""));
  }
}

/* Every model offered as a next step goes through Crazyrouter in Cursor;
 * the others are folded apart, each saying where Cursor sends it. */
static void
test_model_recommended (Fixture       *f,
                        gconstpointer  data)
{
  const char * const *recommended = cr_models_recommended ();

  /* Models not known yet: the table's recommendations, in order. */
  go_to (f, "model");
  for (guint i = 0; recommended[i] != NULL; i++)
    {
      g_assert_nonnull (model_radio (f, recommended[i]));
      g_assert_null (model_group (f, recommended[i]));
      g_assert_true (cr_models_through_gateway (recommended[i]));
    }
  g_assert_true (gtk_check_button_get_active (model_radio (f, CR_DEFAULT_MODEL)));
  g_assert_null (model_radio (f, "claude-sonnet-4-6"));

  /* A token without an allowlist offers everything. */
  verify_token (f, CR_TEST_TOKEN_WIDE);
  go_to (f, "welcome");
  go_to (f, "model");
  g_assert_null (model_group (f, CR_DEFAULT_MODEL));
  g_assert_cmpstr (model_group (f, "gpt-4o-mini"), ==, "More models");
  g_assert_cmpstr (model_group (f, "deepseek-chat"), ==, "More models");
  g_assert_cmpstr (model_group (f, "claude-sonnet-4-6"), ==, "Not through Crazyrouter in Cursor");
  g_assert_cmpstr (model_group (f, "gemini-3-pro-preview"), ==, "Not through Crazyrouter in Cursor");
  g_assert_nonnull (strstr (model_subtitle (f, "gemini-3-pro-preview"), "own Google key"));
  /* Those that go through Crazyrouter come first. */
  {
    GtkWidget *more = gtk_widget_get_ancestor (GTK_WIDGET (model_radio (f, "gpt-4o-mini")), ADW_TYPE_EXPANDER_ROW);
    GtkWidget *elsewhere = gtk_widget_get_ancestor (GTK_WIDGET (model_radio (f, "claude-sonnet-4-6")),
                                                    ADW_TYPE_EXPANDER_ROW);
    GtkWidget *row = more;

    while (row != NULL && row != elsewhere)
      row = gtk_widget_get_next_sibling (row);
    g_assert_true (row == elsewhere);
  }
  save_pngs (f, "model-wide");
}

static void
test_model_baseline_not_allowed (Fixture       *f,
                                 gconstpointer  data)
{
  CrPage *model;
  GtkWidget *warning;

  verify_token (f, CR_TEST_TOKEN_NARROW);
  go_to (f, "model");
  model = cr_window_get_page (f->window);
  warning = cr_test_ui_child (model, CR_TYPE_MODEL_PAGE, "warning_group");

  /* Said plainly, with the fix and a way back to verify. */
  g_assert_true (gtk_widget_get_visible (warning));
  g_assert_nonnull (strstr (gtk_label_get_text (cr_test_ui_child (model, CR_TYPE_MODEL_PAGE, "warning_title")),
                            CR_DEFAULT_MODEL));
  g_assert_nonnull (strstr (gtk_label_get_text (cr_test_ui_child (model, CR_TYPE_MODEL_PAGE, "warning_text")),
                            "allowlist"));
  g_assert_null (model_radio (f, CR_DEFAULT_MODEL));
  g_assert_false (cr_test_ui_next_enabled (f->window));
  save_pngs (f, "model-not-allowed");

  /* The user may pick another model and go on with it. */
  gtk_check_button_set_active (model_radio (f, "claude-sonnet-4-6"), TRUE);
  g_assert_true (cr_test_ui_next_enabled (f->window));
  cr_test_ui_activate (f->window, "assistant.next");
  cr_test_ui_wait_until (g_strcmp0 (cr_test_ui_page_id (f->window), "keyring") == 0);
  g_assert_cmpstr (cr_setup_state_get_model (f->state), ==, "claude-sonnet-4-6");
}

/* The token's list says yes, the chat says 403: the typed error, its fix,
 * the server's words, Try again and a way back to verify. */
static void
test_model_refused (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) models = g_ptr_array_new_with_free_func ((GDestroyNotify) cr_model_free);
  CrModel *model = g_new0 (CrModel, 1);
  CrPage *page_;

  cr_setup_state_set_base_url (f->state, cr_test_gateway_get_base_url (f->gateway));
  cr_setup_state_set_key (f->state, CR_TEST_TOKEN_NARROW);
  model->id = g_strdup (CR_DEFAULT_MODEL);
  g_ptr_array_add (models, model);
  cr_setup_state_set_models (f->state, models);

  go_to (f, "model");
  page_ = cr_window_get_page (f->window);
  cr_test_ui_activate (f->window, "assistant.next");
  cr_test_ui_wait_until (!cr_window_get_busy (f->window));

  g_assert_cmpstr (cr_test_ui_page_id (f->window), ==, "model");
  g_assert_cmpstr (test_view (f), ==, "error");
  g_assert_nonnull (strstr (gtk_label_get_text (cr_test_ui_child (page_, CR_TYPE_MODEL_PAGE, "error_fix")),
                            cr_gateway_error_code_fix (CR_GATEWAY_ERROR_MODEL_NOT_ALLOWED)));
  g_assert_cmpstr (gtk_label_get_text (cr_test_ui_child (page_, CR_TYPE_MODEL_PAGE, "error_cause")), ==,
                   cr_gateway_error_code_cause (CR_GATEWAY_ERROR_MODEL_NOT_ALLOWED));
  g_assert_nonnull (strstr (gtk_label_get_text (cr_test_ui_child (page_, CR_TYPE_MODEL_PAGE, "error_server")),
                            "403"));
  g_assert_true (gtk_widget_get_visible (cr_test_ui_child (page_, CR_TYPE_MODEL_PAGE, "retry_button")));
  save_pngs (f, "model-refused");

  cr_test_ui_click (cr_test_ui_child (page_, CR_TYPE_MODEL_PAGE, "retry_button"));
  cr_test_ui_wait_until (g_strcmp0 (test_view (f), "running") != 0);
  g_assert_cmpstr (test_view (f), ==, "error");
  g_assert_cmpuint (cr_test_gateway_count_path (f->gateway, CHAT_PATH), ==, 2);

  cr_test_ui_click (cr_test_ui_child (page_, CR_TYPE_MODEL_PAGE, "error_verify_button"));
  g_assert_cmpstr (cr_test_ui_page_id (f->window), ==, "verify");
}

static void
test_model_cancel (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *idle_text = NULL;
  g_autofree char *busy_text = NULL;
  gint64 start;

  verify_token (f, CR_TEST_TOKEN_GOOD);
  cr_test_gateway_set_mode (f->gateway, CR_TEST_MODE_HANG);
  go_to (f, "model");

  /* The page's own test: Escape stops it at once. */
  cr_test_ui_click (cr_test_ui_child (cr_window_get_page (f->window), CR_TYPE_MODEL_PAGE, "test_button"));
  cr_test_ui_wait_until (cr_test_gateway_count_path (f->gateway, CHAT_PATH) == 1);
  start = g_get_monotonic_time ();
  cr_test_ui_activate (f->window, "assistant.cancel");
  cr_test_ui_wait_until (g_strcmp0 (test_view (f), "running") != 0);
  g_assert_cmpint (g_get_monotonic_time () - start, <, CR_TEST_UI_USEC (G_USEC_PER_SEC));
  g_assert_cmpstr (test_view (f), ==, "idle");

  /* Next's test: the window's Cancel returns control at once too. */
  idle_text = cr_test_ui_shown_text (f->window);
  cr_test_ui_activate (f->window, "assistant.next");
  cr_test_ui_wait_until (cr_test_gateway_count_path (f->gateway, CHAT_PATH) == 2);
  g_assert_true (cr_window_get_busy (f->window));
  /* Cancel (and a spinner) stand where Next was. */
  busy_text = cr_test_ui_shown_text (f->window);
  g_assert_cmpuint (count_lines (busy_text, "Cancel"), ==, count_lines (idle_text, "Cancel") + 1);
  save_pngs (f, "model-busy");
  cr_test_ui_activate (f->window, "assistant.cancel");
  g_assert_false (cr_window_get_busy (f->window));
  cr_test_ui_wait_until (g_strcmp0 (test_view (f), "running") != 0);
  g_assert_cmpstr (cr_test_ui_page_id (f->window), ==, "model");
  g_assert_true (cr_test_ui_next_enabled (f->window));
}

/* ---- step 6: the keyring ---- */

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  char **found = user_data;
  g_autoptr(GError) error = NULL;

  *found = cr_keyring_lookup_finish (result, &error);
  g_assert_no_error (error);
}

static void
test_keyring_save (Fixture       *f,
                   gconstpointer  data)
{
  char *found = NULL;
  CrPage *keyring;
  g_autofree char *masked = cr_key_mask (CR_TEST_TOKEN_GOOD);

  verify_token (f, CR_TEST_TOKEN_GOOD);
  go_to (f, "keyring");
  keyring = cr_window_get_page (f->window);

  g_assert_cmpstr (adw_action_row_get_subtitle (cr_test_ui_child (keyring, CR_TYPE_KEYRING_PAGE, "key_row")), ==,
                   masked);
  assert_key_not_shown (GTK_WIDGET (keyring), CR_TEST_TOKEN_GOOD);
  g_assert_true (cr_test_ui_next_enabled (f->window));
  save_pngs (f, "keyring");

  cr_test_ui_click (cr_test_ui_child (keyring, CR_TYPE_KEYRING_PAGE, "save_button"));
  cr_test_ui_wait_until (g_strcmp0 (stack_child (keyring, CR_TYPE_KEYRING_PAGE, "status_stack"), "saving") != 0);
  g_assert_cmpstr (stack_child (keyring, CR_TYPE_KEYRING_PAGE, "status_stack"), ==, "result");
  g_assert_cmpstr (gtk_label_get_text (cr_test_ui_child (keyring, CR_TYPE_KEYRING_PAGE, "result_title")), ==,
                   "Key saved");
  g_assert_true (cr_setup_state_get_key_stored (f->state));
  save_pngs (f, "keyring-saved");

  cr_keyring_lookup_async (CR_KEYRING_DEFAULT_PROFILE, NULL, lookup_cb, &found);
  cr_test_ui_wait_until (found != NULL);
  g_assert_cmpstr (found, ==, CR_TEST_TOKEN_GOOD);
  cr_key_free (found);
  /* The base URL that goes with it is the state's, not the keyring's. */
  g_assert_cmpstr (cr_setup_state_get_base_url (f->state), ==, cr_test_gateway_get_base_url (f->gateway));

  cr_test_ui_activate (f->window, "assistant.next");
  cr_test_ui_wait_until (g_strcmp0 (cr_test_ui_page_id (f->window), "cursor") == 0);
}

/* Next saves when the user did not press "Save key". */
static void
test_keyring_next_saves (Fixture       *f,
                         gconstpointer  data)
{
  char *found = NULL;

  verify_token (f, CR_TEST_TOKEN_WIDE);
  go_to (f, "keyring");
  cr_test_ui_activate (f->window, "assistant.next");
  cr_test_ui_wait_until (g_strcmp0 (cr_test_ui_page_id (f->window), "cursor") == 0);
  g_assert_true (cr_setup_state_get_key_stored (f->state));

  cr_keyring_lookup_async (CR_KEYRING_DEFAULT_PROFILE, NULL, lookup_cb, &found);
  cr_test_ui_wait_until (found != NULL);
  g_assert_cmpstr (found, ==, CR_TEST_TOKEN_WIDE);
  cr_key_free (found);
}

static SecretCollection *
default_collection (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SecretService) service = secret_service_get_sync (SECRET_SERVICE_NONE, NULL, &error);
  SecretCollection *collection;

  g_assert_no_error (error);
  collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                 SECRET_COLLECTION_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (collection);
  return collection;
}

/* As at login: gnome-keyring's own call with the wrapper's password, so no
 * prompt is needed. */
static void
unlock_collection (SecretCollection *collection)
{
  const char *password = g_getenv ("CR_TEST_KEYRING_PASSWORD");
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) opened = NULL;
  g_autoptr(GVariant) output = NULL;
  g_autoptr(GVariant) unlocked = NULL;
  g_autoptr(GError) error = NULL;
  const char *session;

  g_assert_nonnull (password);
  opened = g_dbus_connection_call_sync (bus, "org.freedesktop.secrets", "/org/freedesktop/secrets",
                                        "org.freedesktop.Secret.Service", "OpenSession",
                                        g_variant_new ("(sv)", "plain", g_variant_new_string ("")),
                                        G_VARIANT_TYPE ("(vo)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (opened, "(v&o)", &output, &session);
  unlocked = g_dbus_connection_call_sync (bus, "org.freedesktop.secrets", "/org/freedesktop/secrets",
                                          "org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface",
                                          "UnlockWithMasterPassword",
                                          g_variant_new ("(o(o@ay@ays))",
                                                         g_dbus_proxy_get_object_path (G_DBUS_PROXY (collection)),
                                                         session,
                                                         g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, "", 0, 1),
                                                         g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, password,
                                                                                    strlen (password), 1),
                                                         "text/plain"),
                                          NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
}

/* The keyring is locked and its unlock prompt dismissed (the wrapper has no
 * prompter): say so, offer Try Again and going on without saving. */
static void
test_keyring_locked (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(SecretCollection) collection = default_collection ();
  g_autoptr(GError) error = NULL;
  GList *collections = g_list_append (NULL, collection);
  CrPage *keyring;

  g_assert_cmpint (secret_service_lock_sync (NULL, collections, NULL, NULL, &error), ==, 1);
  g_assert_no_error (error);
  g_list_free (collections);

  verify_token (f, CR_TEST_TOKEN_GOOD);
  go_to (f, "keyring");
  keyring = cr_window_get_page (f->window);
  cr_test_ui_activate (f->window, "assistant.next");
  cr_test_ui_wait_until (!cr_window_get_busy (f->window));

  g_assert_cmpstr (cr_test_ui_page_id (f->window), ==, "keyring");
  g_assert_cmpstr (gtk_label_get_text (cr_test_ui_child (keyring, CR_TYPE_KEYRING_PAGE, "result_title")), ==,
                   "The keyring stayed locked");
  g_assert_false (cr_test_ui_next_enabled (f->window));
  g_assert_true (gtk_widget_get_visible (cr_test_ui_child (keyring, CR_TYPE_KEYRING_PAGE, "skip_button")));
  g_assert_false (cr_setup_state_get_key_stored (f->state));
  save_pngs (f, "keyring-locked");

  /* Unlocked now (as if the password had been typed): Try Again saves. */
  unlock_collection (collection);
  cr_test_ui_click (cr_test_ui_child (keyring, CR_TYPE_KEYRING_PAGE, "retry_button"));
  cr_test_ui_wait_until (cr_setup_state_get_key_stored (f->state));
  g_assert_cmpstr (gtk_label_get_text (cr_test_ui_child (keyring, CR_TYPE_KEYRING_PAGE, "result_title")), ==,
                   "Key saved");
  g_assert_true (cr_test_ui_next_enabled (f->window));
}

/* Going on without saving, from the card. */
static void
test_keyring_skip (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(SecretCollection) collection = default_collection ();
  g_autoptr(GError) error = NULL;
  GList *collections = g_list_append (NULL, collection);

  g_assert_cmpint (secret_service_lock_sync (NULL, collections, NULL, NULL, &error), ==, 1);
  g_list_free (collections);

  verify_token (f, CR_TEST_TOKEN_GOOD);
  go_to (f, "keyring");
  cr_test_ui_click (cr_test_ui_child (cr_window_get_page (f->window), CR_TYPE_KEYRING_PAGE, "save_button"));
  cr_test_ui_wait_until (g_strcmp0 (stack_child (cr_window_get_page (f->window), CR_TYPE_KEYRING_PAGE, "status_stack"), "result") == 0);
  g_assert_false (cr_test_ui_next_enabled (f->window));
  unlock_collection (collection);

  cr_test_ui_click (cr_test_ui_child (cr_window_get_page (f->window), CR_TYPE_KEYRING_PAGE, "skip_button"));
  cr_test_ui_wait_until (g_strcmp0 (cr_test_ui_page_id (f->window), "cursor") == 0);
  g_assert_false (cr_setup_state_get_key_stored (f->state));
}

static const char bare_bus_config[] =
  "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
  " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
  "<busconfig>\n"
  "  <type>session</type>\n"
  "  <listen>unix:dir=%s</listen>\n"
  "  <auth>EXTERNAL</auth>\n"
  "  <policy context=\"default\">\n"
  "    <allow send_destination=\"*\" eavesdrop=\"true\"/>\n"
  "    <allow eavesdrop=\"true\"/>\n"
  "    <allow own=\"*\"/>\n"
  "  </policy>\n"
  "</busconfig>\n";

/* A desktop without a keyring: a session bus on which nothing provides or
 * can start a Secret Service. The page runs in a subprocess started on that
 * bus, so nothing in it has talked to the real one. */
static void
test_keyring_no_service (void)
{
  g_autoptr(GSubprocess) daemon = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *config = NULL;
  g_autofree char *config_path = NULL;
  g_autofree char *config_arg = NULL;
  g_autofree char *address = NULL;
  g_autofree char *real_bus = NULL;

  if (g_test_subprocess ())
    {
      Fixture fixture = { NULL, }, *f = &fixture;
      CrPage *keyring;

      fixture_set_up (f, NULL);
      verify_token (f, CR_TEST_TOKEN_GOOD);
      go_to (f, "keyring");
      keyring = cr_window_get_page (f->window);

      cr_test_ui_activate (f->window, "assistant.next");
      cr_test_ui_wait_until (!cr_window_get_busy (f->window));
      g_assert_cmpstr (cr_test_ui_page_id (f->window), ==, "keyring");
      g_assert_cmpstr (gtk_label_get_text (cr_test_ui_child (keyring, CR_TYPE_KEYRING_PAGE, "result_title")), ==,
                       "No keyring service is running");
      /* Not a dead end: Next now goes on without saving. */
      g_assert_cmpstr (cr_page_get_next_label (keyring), ==, "_Skip");
      g_assert_true (cr_test_ui_next_enabled (f->window));
      g_assert_true (gtk_widget_get_visible (cr_test_ui_child (keyring, CR_TYPE_KEYRING_PAGE, "retry_button")));
      save_pngs (f, "keyring-no-service");

      cr_test_ui_activate (f->window, "assistant.next");
      cr_test_ui_wait_until (g_strcmp0 (cr_test_ui_page_id (f->window), "cursor") == 0);
      g_assert_false (cr_setup_state_get_key_stored (f->state));
      fixture_tear_down (f, NULL);
      return;
    }

  dir = g_dir_make_tmp ("cr-bare-bus-XXXXXX", &error);
  g_assert_no_error (error);
  config = g_strdup_printf (bare_bus_config, dir);
  config_path = g_build_filename (dir, "session.conf", NULL);
  g_file_set_contents (config_path, config, -1, &error);
  g_assert_no_error (error);

  config_arg = g_strconcat ("--config-file=", config_path, NULL);
  daemon = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                             "dbus-daemon", config_arg, "--nofork", "--print-address=1", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (daemon));
  address = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (address);

  /* That bus has no accessibility bus either: GTK would warn about it. */
  real_bus = g_strdup (g_getenv ("DBUS_SESSION_BUS_ADDRESS"));
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv ("GTK_A11Y");
  if (real_bus != NULL)
    g_setenv ("DBUS_SESSION_BUS_ADDRESS", real_bus, TRUE);

  g_subprocess_force_exit (daemon);
  g_subprocess_wait (daemon, NULL, NULL);
  g_unlink (config_path);
  g_rmdir (dir);

  g_test_trap_assert_passed ();
}

/* ---- step 7: Cursor ---- */

static void
read_text_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  char **text = user_data;

  /* An empty clipboard is an error here: "" stands for it. */
  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, NULL);
  if (*text == NULL)
    *text = g_strdup ("");
}

static char *
clipboard_text (Fixture *f)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (f->window));
  char *text = NULL;

  gdk_clipboard_read_text_async (clipboard, NULL, read_text_cb, &text);
  cr_test_ui_wait_until (text != NULL);
  return text;
}

static void
test_cursor_steps (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *masked = cr_key_mask (CR_TEST_TOKEN_GOOD);
  g_autofree char *text = NULL;
  const char *notice;
  CrPage *cursor;

  verify_token (f, CR_TEST_TOKEN_GOOD);
  cr_setup_state_set_model (f->state, "claude-sonnet-4-6");
  go_to (f, "cursor");
  cursor = cr_window_get_page (f->window);

  g_assert_cmpstr (adw_action_row_get_subtitle (cr_test_ui_child (cursor, CR_TYPE_CURSOR_PAGE, "key_row")), ==,
                   masked);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (cr_test_ui_child (cursor, CR_TYPE_CURSOR_PAGE, "url_row")),
                            cr_test_gateway_get_base_url (f->gateway)));
  g_assert_nonnull (strstr (adw_preferences_row_get_title (cr_test_ui_child (cursor, CR_TYPE_CURSOR_PAGE, "model_row")),
                            "claude-sonnet-4-6"));
  /* Chosen earlier, but Cursor would not send it through Crazyrouter. */
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (cr_test_ui_child (cursor, CR_TYPE_CURSOR_PAGE, "model_row")),
                            "own Anthropic key"));
  g_assert_cmpstr (adw_preferences_row_get_title (cr_test_ui_child (cursor, CR_TYPE_CURSOR_PAGE, "verify_row")), ==,
                   "Press Verify or Save");
  assert_key_not_shown (GTK_WIDGET (cursor), CR_TEST_TOKEN_GOOD);

  cr_test_ui_click (cr_test_ui_child (cursor, CR_TYPE_CURSOR_PAGE, "copy_url_button"));
  text = clipboard_text (f);
  g_assert_cmpstr (text, ==, cr_test_gateway_get_base_url (f->gateway));
  g_clear_pointer (&text, g_free);

  cr_test_ui_click (cr_test_ui_child (cursor, CR_TYPE_CURSOR_PAGE, "copy_key_button"));
  text = clipboard_text (f);
  g_assert_cmpstr (text, ==, CR_TEST_TOKEN_GOOD);
  g_clear_pointer (&text, g_free);
  notice = gtk_label_get_text (cr_test_ui_child (cursor, CR_TYPE_CURSOR_PAGE, "notice_label"));
  g_assert_nonnull (strstr (notice, "cleared from the clipboard in 30 seconds"));
  g_assert_true (gtk_revealer_get_reveal_child (cr_test_ui_child (cursor, CR_TYPE_CURSOR_PAGE, "notice_revealer")));
  assert_key_not_shown (GTK_WIDGET (cursor), CR_TEST_TOKEN_GOOD);
  save_pngs (f, "cursor");
}

static void
test_cursor_clears_clipboard (Fixture       *f,
                              gconstpointer  data)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (f->window));
  CrPage *cursor;
  g_autofree char *text = NULL;

  verify_token (f, CR_TEST_TOKEN_GOOD);
  go_to (f, "cursor");
  cursor = cr_window_get_page (f->window);
  cr_cursor_page_set_clipboard_timeout (CR_CURSOR_PAGE (cursor), 1);

  /* Still ours after the timeout: cleared, and the page says so. */
  cr_test_ui_click (cr_test_ui_child (cursor, CR_TYPE_CURSOR_PAGE, "copy_key_button"));
  text = clipboard_text (f);
  g_assert_cmpstr (text, ==, CR_TEST_TOKEN_GOOD);
  g_clear_pointer (&text, g_free);
  /* A timeout in whole seconds may fire up to a second late. */
  cr_test_ui_wait_until (g_strcmp0 (gtk_label_get_text (cr_test_ui_child (cursor, CR_TYPE_CURSOR_PAGE, "notice_label")),
                                    "The key was cleared from the clipboard.") == 0);
  text = clipboard_text (f);
  g_assert_cmpstr (text, ==, "");
  g_clear_pointer (&text, g_free);

  /* Something else copied since: left alone. */
  cr_test_ui_click (cr_test_ui_child (cursor, CR_TYPE_CURSOR_PAGE, "copy_key_button"));
  gdk_clipboard_set_text (clipboard, "the user's own text");
  /* The timeout has fired once the notice goes away. */
  cr_test_ui_wait_until (!gtk_revealer_get_reveal_child (cr_test_ui_child (cursor, CR_TYPE_CURSOR_PAGE, "notice_revealer")));
  text = clipboard_text (f);
  g_assert_cmpstr (text, ==, "the user's own text");
}

/* ---- step 8: the checklist ---- */

static CrCheckItem *
item_at (Fixture *f,
         guint    index)
{
  GtkListBox *list = cr_test_ui_child (cr_window_get_page (f->window), CR_TYPE_CHECKLIST_PAGE, "check_list");
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, index);

  g_assert_true (CR_IS_CHECK_ROW (row));
  return cr_check_row_get_item (CR_CHECK_ROW (row));
}

static guint
n_rows (Fixture *f)
{
  GtkListBox *list = cr_test_ui_child (cr_window_get_page (f->window), CR_TYPE_CHECKLIST_PAGE, "check_list");
  guint n = 0;

  while (gtk_list_box_get_row_at_index (list, n) != NULL)
    n++;
  return n;
}

static guint
row_index (Fixture    *f,
           const char *id)
{
  for (guint i = 0; i < n_rows (f); i++)
    if (g_str_equal (cr_check_item_get_id (item_at (f, i)), id))
      return i;

  g_assert_not_reached ();
}

static CrCheckItem *
item (Fixture    *f,
      const char *id)
{
  return item_at (f, row_index (f, id));
}

static gboolean
checklist_running (Fixture *f)
{
  return g_strcmp0 (stack_child (cr_window_get_page (f->window), CR_TYPE_CHECKLIST_PAGE, "run_stack"), "stop") == 0;
}

static const char *
summary (Fixture *f)
{
  return gtk_label_get_text (cr_test_ui_child (cr_window_get_page (f->window), CR_TYPE_CHECKLIST_PAGE, "summary_counts"));
}

/* The row says what the item says, in words and not only in colour. */
static void
assert_list_row_matches (GtkListBox *list,
                         guint       index)
{
  GtkWidget *row = GTK_WIDGET (gtk_list_box_get_row_at_index (list, index));
  CrCheckItem *item_ = cr_check_row_get_item (CR_CHECK_ROW (row));
  CrCheckStatus status = cr_check_item_get_status (item_);
  GtkWidget *fix = cr_test_ui_child (row, CR_TYPE_CHECK_ROW, "fix_label");

  g_assert_cmpstr (gtk_label_get_text (cr_test_ui_child (row, CR_TYPE_CHECK_ROW, "status_label")), ==,
                   cr_check_status_label (status));
  g_assert_cmpstr (gtk_label_get_text (cr_test_ui_child (row, CR_TYPE_CHECK_ROW, "title_label")), ==,
                   cr_check_item_get_title (item_));
  if ((status == CR_CHECK_FAILED || status == CR_CHECK_NEEDS_YOU) && cr_check_item_get_fix (item_))
    {
      g_assert_true (gtk_widget_get_visible (fix));
      g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (fix)), cr_check_item_get_fix (item_)));
    }
  if (status == CR_CHECK_PASSED)
    g_assert_false (gtk_widget_get_visible (fix));
  g_assert_true (gtk_widget_get_visible (cr_test_ui_child (row, CR_TYPE_CHECK_ROW, "changed_label")) ==
                 cr_check_item_get_changed (item_));
}

static void
assert_row_matches (Fixture *f,
                    guint    index)
{
  assert_list_row_matches (cr_test_ui_child (cr_window_get_page (f->window), CR_TYPE_CHECKLIST_PAGE, "check_list"), index);
}

static CrCheckItem *
cursor_item (Fixture    *f,
             const char *id)
{
  GtkListBox *list = cr_test_ui_child (cr_window_get_page (f->window), CR_TYPE_CHECKLIST_PAGE, "cursor_list");
  GtkListBoxRow *row;

  for (guint i = 0; (row = gtk_list_box_get_row_at_index (list, i)) != NULL; i++)
    {
      CrCheckItem *item_ = cr_check_row_get_item (CR_CHECK_ROW (row));

      assert_list_row_matches (list, i);
      if (g_str_equal (cr_check_item_get_id (item_), id))
        return item_;
    }

  g_assert_not_reached ();
}

/* Without Cursor, its settings are the user's to check, never a pass. */
static void
assert_cursor_not_found (Fixture *f)
{
  GtkWidget *group = cr_test_ui_child (cr_window_get_page (f->window), CR_TYPE_CHECKLIST_PAGE, "cursor_group");

  g_assert_true (gtk_widget_get_visible (group));
  g_assert_cmpstr (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (group)), ==,
                   "Cursor not found on this computer — check these by hand.");
  g_assert_cmpint (cr_check_item_get_status (cursor_item (f, CR_CHECK_CURSOR_KEY)), ==, CR_CHECK_NEEDS_YOU);
  g_assert_cmpint (cr_check_item_get_status (cursor_item (f, CR_CHECK_CURSOR_BASE_URL)), ==, CR_CHECK_NEEDS_YOU);
  g_assert_cmpint (cr_check_item_get_status (cursor_item (f, CR_CHECK_CURSOR_MODEL)), ==, CR_CHECK_NEEDS_YOU);
  g_assert_cmpint (cr_check_item_get_status (cursor_item (f, CR_CHECK_CURSOR_VERIFY)), ==, CR_CHECK_PASSED);
  /* Stock new-api refuses Cursor 3.x's request format: Cursor's bug, a warning. */
  g_assert_cmpint (cr_check_item_get_status (cursor_item (f, CR_CHECK_CURSOR_SHAPE)), ==, CR_CHECK_WARNING);
  /* Nothing here sends Cursor's own request. */
  g_assert_cmpint (cr_check_item_get_status (cursor_item (f, CR_CHECK_CURSOR_CHAT)), ==, CR_CHECK_NEEDS_YOU);
}

static void
on_text_read (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

static void
test_checklist_good (Fixture       *f,
                     gconstpointer  data)
{
  CrPage *checklist;
  GtkSwitch *tab;

  verify_token (f, CR_TEST_TOKEN_GOOD);
  cr_test_gateway_set_latency (f->gateway, 100);
  go_to (f, "checklist");
  checklist = cr_window_get_page (f->window);
  g_assert_cmpstr (cr_page_get_next_label (checklist), ==, "_Done");

  /* The run starts by itself, and the rows follow it live. */
  g_assert_true (checklist_running (f));
  g_assert_cmpstr (gtk_label_get_text (cr_test_ui_child (checklist, CR_TYPE_CHECKLIST_PAGE, "summary_title")), ==,
                   "Checking your setup…");
  cr_test_ui_wait_until (cr_check_item_get_status (item (f, CR_CHECK_KEY)) == CR_CHECK_RUNNING);
  assert_row_matches (f, 0);
  save_pngs (f, "checklist-running");

  cr_test_ui_wait_until (!checklist_running (f));
  g_assert_cmpint (cr_check_item_get_status (item (f, CR_CHECK_KEY)), ==, CR_CHECK_PASSED);
  /* The loopback address is not crazyrouter.com: a warning, not a failure. */
  g_assert_cmpint (cr_check_item_get_status (item (f, CR_CHECK_BASE_URL)), ==, CR_CHECK_WARNING);
  g_assert_cmpint (cr_check_item_get_status (item (f, CR_CHECK_MODEL)), ==, CR_CHECK_PASSED);
  g_assert_cmpint (cr_check_item_get_status (item (f, CR_CHECK_CHAT)), ==, CR_CHECK_PASSED);
  g_assert_cmpint (cr_check_item_get_status (item (f, CR_CHECK_LOGS)), ==, CR_CHECK_PASSED);
  g_assert_cmpint (cr_check_item_get_status (item (f, CR_CHECK_QUOTA)), ==, CR_CHECK_PASSED);
  g_assert_cmpint (cr_check_item_get_status (item (f, CR_CHECK_TAB_COMPLETION)), ==, CR_CHECK_NEEDS_YOU);
  g_assert_cmpuint (n_rows (f), ==, 7);
  for (guint i = 0; i < n_rows (f); i++)
    assert_row_matches (f, i);
  /* The test HOME has no Cursor: its three settings need checking by hand,
   * and the group says why; its Verify replay still runs against the
   * gateway. The headline counts both groups. */
  assert_cursor_not_found (f);
  g_assert_cmpstr (summary (f), ==, "6 passed · 2 warnings · 5 need you");
  g_assert_cmpint (cr_setup_state_get_last_check_time (f->state), >, 0);
  g_assert_true (cr_setup_state_get_last_check_ok (f->state));
  assert_key_not_shown (GTK_WIDGET (checklist), CR_TEST_TOKEN_GOOD);
  save_pngs (f, "checklist");

  /* The switch settles the last item at once, without a new run. */
  tab = cr_test_ui_child (checklist, CR_TYPE_CHECKLIST_PAGE, "tab_switch");
  gtk_switch_set_active (tab, TRUE);
  g_assert_true (cr_setup_state_get_tab_acknowledged (f->state));
  g_assert_cmpint (cr_check_item_get_status (item (f, CR_CHECK_TAB_COMPLETION)), ==, CR_CHECK_PASSED);
  assert_row_matches (f, row_index (f, CR_CHECK_TAB_COMPLETION));
  g_assert_cmpstr (summary (f), ==, "7 passed · 2 warnings · 4 need you");
  save_pngs (f, "checklist-acknowledged");

  /* The troubleshooting view's "Copy Diagnostic Report": versions, the
   * last run's items and its requests, never the key. */
  {
    GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (checklist));
    g_autoptr(GAsyncResult) result = NULL;
    g_autofree char *report = NULL;

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (checklist), "checklist.copy-report", NULL));
    gdk_clipboard_read_text_async (clipboard, NULL, on_text_read, &result);
    cr_test_ui_wait_until (result != NULL);
    report = gdk_clipboard_read_text_finish (clipboard, result, NULL);
    g_assert_nonnull (report);
    g_assert_nonnull (strstr (report, "diagnostic report"));
    g_assert_nonnull (strstr (report, "libadwaita"));
    g_assert_nonnull (strstr (report, "[passed] key: The key is accepted"));
    g_assert_nonnull (strstr (report, "GET /v1/models"));
    g_assert_null (strstr (report, CR_TEST_TOKEN_GOOD));
  }

  /* Run again keeps the acknowledgement. The first run's test request,
   * still in the token's logs, is known as this app's, never Cursor's. */
  cr_test_ui_click (cr_test_ui_child (checklist, CR_TYPE_CHECKLIST_PAGE, "run_button"));
  g_assert_true (checklist_running (f));
  cr_test_ui_wait_until (!checklist_running (f));
  g_assert_cmpstr (summary (f), ==, "7 passed · 2 warnings · 4 need you");
  assert_cursor_not_found (f);
}

static void
test_checklist_failure_and_help (Fixture       *f,
                                 gconstpointer  data)
{
  CrPage *checklist;
  CrTroubleshootView *help;
  GtkWidget *row;
  CrCheckItem *model;
  gboolean handled = FALSE;

  /* gpt-5.4 chosen, but this token only allows claude-sonnet-4-6. */
  verify_token (f, CR_TEST_TOKEN_NARROW);
  go_to (f, "checklist");
  checklist = cr_window_get_page (f->window);
  help = cr_test_ui_child (checklist, CR_TYPE_CHECKLIST_PAGE, "troubleshoot");
  cr_test_ui_wait_until (!checklist_running (f));

  model = item (f, CR_CHECK_MODEL);
  g_assert_cmpint (cr_check_item_get_status (model), ==, CR_CHECK_FAILED);
  g_assert_cmpstr (cr_check_item_get_symptom (model), ==, "403");
  g_assert_cmpuint (n_rows (f), >=, 7);
  for (guint i = 0; i < n_rows (f); i++)
    assert_row_matches (f, i);
  g_assert_cmpstr (gtk_label_get_text (cr_test_ui_child (checklist, CR_TYPE_CHECKLIST_PAGE, "summary_title")), ==,
                   "Something needs fixing");
  g_assert_nonnull (strstr (summary (f), "failed"));
  g_assert_false (cr_setup_state_get_last_check_ok (f->state));
  save_pngs (f, "checklist-failed");

  /* The matching entry is marked and open; the others are not. */
  g_assert_true (cr_troubleshoot_view_is_highlighted (help, "403"));
  g_assert_false (cr_troubleshoot_view_is_highlighted (help, "404"));

  /* The failed row leads straight to it. */
  row = GTK_WIDGET (gtk_list_box_get_row_at_index (cr_test_ui_child (checklist, CR_TYPE_CHECKLIST_PAGE, "check_list"),
                                                   row_index (f, CR_CHECK_MODEL)));
  g_assert_true (gtk_widget_get_visible (cr_test_ui_child (row, CR_TYPE_CHECK_ROW, "help_label")));
  g_signal_emit_by_name (cr_test_ui_child (row, CR_TYPE_CHECK_ROW, "help_label"), "activate-link",
                         "troubleshooting", &handled);
  g_assert_true (handled);
  g_assert_cmpstr (stack_child (checklist, CR_TYPE_CHECKLIST_PAGE, "view_stack"), ==, "help");
  save_pngs (f, "troubleshooting");

  /* Escape goes back to the checks. */
  cr_test_ui_activate (f->window, "assistant.cancel");
  g_assert_cmpstr (stack_child (checklist, CR_TYPE_CHECKLIST_PAGE, "view_stack"), ==, "checks");
}

/* With the Cursor section on, its items get a group of their own, below
 * the gateway's seven, and say what changed since the last check. */
static void
test_checklist_cursor_section (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *nowhere = g_dir_make_tmp ("cr-no-cursor-XXXXXX", NULL);
  const char *roots[] = { nowhere, NULL };
  CrChecklist *checklist;
  CrPage *page_;
  GtkListBox *cursor_list;
  GtkWidget *row;
  guint n = 0;

  verify_token (f, CR_TEST_TOKEN_GOOD);
  checklist = cr_setup_state_get_checklist (f->state);
  cr_checklist_set_cursor_location (checklist, nowhere, roots);
  cr_checklist_set_cursor_enabled (checklist, TRUE);

  go_to (f, "checklist");
  page_ = cr_window_get_page (f->window);
  cr_test_ui_wait_until (!checklist_running (f));

  g_assert_true (gtk_widget_get_visible (cr_test_ui_child (page_, CR_TYPE_CHECKLIST_PAGE, "cursor_group")));
  g_assert_cmpuint (n_rows (f), ==, 7);
  cursor_list = cr_test_ui_child (page_, CR_TYPE_CHECKLIST_PAGE, "cursor_list");
  while ((row = GTK_WIDGET (gtk_list_box_get_row_at_index (cursor_list, n))) != NULL)
    {
      CrCheckItem *item_ = cr_check_row_get_item (CR_CHECK_ROW (row));

      g_assert_cmpstr (cr_check_item_get_section (item_), ==, CR_CHECK_SECTION_CURSOR);
      g_assert_cmpint (cr_check_item_get_status (item_), !=, CR_CHECK_PENDING);
      assert_list_row_matches (cursor_list, n++);
    }
  g_assert_cmpuint (n, ==, 6);

  row = GTK_WIDGET (gtk_list_box_get_row_at_index (cursor_list, 0));
  cr_check_item_set_changed (cr_check_row_get_item (CR_CHECK_ROW (row)), TRUE);
  assert_list_row_matches (cursor_list, 0);
  save_pngs (f, "checklist-cursor");

  /* Off again: the group goes away with its items. */
  cr_checklist_set_cursor_enabled (checklist, FALSE);
  g_assert_false (gtk_widget_get_visible (cr_test_ui_child (page_, CR_TYPE_CHECKLIST_PAGE, "cursor_group")));
  g_rmdir (nowhere);
}

static void
test_checklist_cancel (Fixture       *f,
                       gconstpointer  data)
{
  CrPage *checklist;
  gint64 start;

  verify_token (f, CR_TEST_TOKEN_GOOD);
  cr_test_gateway_set_mode (f->gateway, CR_TEST_MODE_HANG);
  go_to (f, "checklist");
  checklist = cr_window_get_page (f->window);
  cr_test_ui_wait_until (cr_test_gateway_get_request_count (f->gateway) > 0);

  start = g_get_monotonic_time ();
  cr_test_ui_activate (f->window, "assistant.cancel");
  cr_test_ui_wait_until (!checklist_running (f));
  g_assert_cmpint (g_get_monotonic_time () - start, <, CR_TEST_UI_USEC (G_USEC_PER_SEC));
  g_assert_cmpstr (gtk_label_get_text (cr_test_ui_child (checklist, CR_TYPE_CHECKLIST_PAGE, "summary_title")), ==,
                   "The check was stopped");
  g_assert_cmpint (cr_setup_state_get_last_check_time (f->state), ==, 0);

  /* Leaving the step stops a run too. */
  cr_test_ui_click (cr_test_ui_child (checklist, CR_TYPE_CHECKLIST_PAGE, "run_button"));
  g_assert_true (checklist_running (f));
  cr_test_ui_activate (f->window, "assistant.back");
  g_assert_cmpstr (cr_test_ui_page_id (f->window), !=, "checklist");
  cr_test_ui_wait_until (g_strcmp0 (stack_child (checklist, CR_TYPE_CHECKLIST_PAGE, "run_stack"), "run") == 0);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  gtk_test_init (&argc, &argv, NULL);
  app = cr_test_ui_new_app ("com.crazyrouter.SetupAssistant.TestPages");

#define ADD(path, func) g_test_add ("/pages/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("token/advice", test_token_advice);
  ADD ("model/baseline", test_model_baseline);
  ADD ("model/recommended", test_model_recommended);
  ADD ("model/next-tests", test_model_next_tests);
  ADD ("model/baseline-not-allowed", test_model_baseline_not_allowed);
  ADD ("model/refused", test_model_refused);
  ADD ("model/cancel", test_model_cancel);
  ADD ("keyring/save", test_keyring_save);
  ADD ("keyring/next-saves", test_keyring_next_saves);
  ADD ("keyring/locked", test_keyring_locked);
  ADD ("keyring/skip", test_keyring_skip);
  g_test_add_func ("/pages/keyring/no-service", test_keyring_no_service);
  ADD ("cursor/steps", test_cursor_steps);
  ADD ("cursor/clears-clipboard", test_cursor_clears_clipboard);
  ADD ("checklist/good", test_checklist_good);
  ADD ("checklist/failure-and-help", test_checklist_failure_and_help);
  ADD ("checklist/cursor-section", test_checklist_cursor_section);
  ADD ("checklist/cancel", test_checklist_cancel);
#undef ADD

  status = g_test_run ();
  g_clear_object (&app);
  return status;
}
