/* test-i18n.c: the real window in Simplified Chinese, every step of it
 *
 * Runs with LANGUAGE=zh_CN and the .mo files of this build (CR_TEST_LOCALEDIR),
 * walks the wizard as a person would against the loopback gateway, and fails
 * on any visible text that is still English: a string equal to a msgid that
 * has a different translation, or two English words in a row once the
 * things that stay verbatim (Cursor's own setting names, URLs, model ids,
 * product names) are taken out. It also checks that the installed desktop
 * file and metainfo carry the Chinese name, and that the app tells the
 * gateway it wants Chinese (the test gateway then answers in Chinese).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "cr-application.h"
#include "cr-checklist-page.h"
#include "cr-checklist.h"
#include "cr-gateway.h"
#include "cr-key-page.h"
#include "cr-model-page.h"
#include "cr-test-gateway.h"
#include "cr-test-ui.h"
#include "cr-verify-page.h"
#include "cr-window.h"

#define BAD_KEY "sk-demo-cursor-revoked-long-ago"

static CrApplication *app;
/* English msgid (mnemonic underscore removed) → its zh_CN translation. */
static GHashTable *catalog;

typedef struct
{
  CrTestGateway *gateway;
  CrSetupState  *state;
  CrWindow      *window;
  GString       *english;   /* what was found still in English */
  guint          n_checked;
} Fixture;

/* Longer than cr_test_ui_wait_until's 20 s, as this test always waited. */
#define wait_until(cond) CR_TEST_UI_WAIT_UNTIL (cond, 30)

static void
go_next (Fixture    *f,
         const char *expected)
{
  cr_test_ui_activate (f->window, "assistant.next");
  wait_until (g_strcmp0 (cr_test_ui_page_id (f->window), expected) == 0);
  cr_test_ui_settle (100);
}

/* ---- The catalog, read from po/zh_CN.po ------------------------------- */

static char *
without_mnemonic (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    if (*p != '_')
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

static void
add_entry (GPtrArray  *ids,
           const char *msgstr)
{
  for (guint i = 0; i < ids->len; i++)
    {
      const char *id = g_ptr_array_index (ids, i);

      if (*id != '\0')
        g_hash_table_insert (catalog, without_mnemonic (id), g_strdup (msgstr));
    }
  g_ptr_array_set_size (ids, 0);
}

static void
load_catalog (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("CR_TEST_SRCDIR"), "..", "po",
                                            "zh_CN.po", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) value = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;
  char field = 0;   /* 'i' msgid, 's' first msgstr, 0 anything else */
  g_autofree char *msgstr = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  catalog = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  lines = g_strsplit (text, "\n", -1);
  for (guint n = 0; lines[n] != NULL; n++)
    {
      const char *line = lines[n];
      const char *quote = strchr (line, '"');
      g_autofree char *quoted = NULL;
      g_autofree char *inner = NULL;
      char next = field;

      if (line[0] == '#' || quote == NULL)
        continue;
      quoted = g_strndup (quote + 1, strrchr (line, '"') - quote - 1);
      inner = g_strcompress (quoted);

      if (g_str_has_prefix (line, "msgctxt ") || g_str_has_prefix (line, "msgid "))
        {
          if (msgstr != NULL)
            add_entry (ids, msgstr);
          g_clear_pointer (&msgstr, g_free);
          next = g_str_has_prefix (line, "msgid ") ? 'i' : 0;
        }
      else if (g_str_has_prefix (line, "msgid_plural "))
        next = 'i';
      else if (g_str_has_prefix (line, "msgstr ") || g_str_has_prefix (line, "msgstr[0] "))
        next = 's';
      else if (g_str_has_prefix (line, "msgstr["))
        next = 0;
      else if (line[0] != '"')
        continue;

      if (next != field || line[0] != '"')
        {
          /* A new field: keep what the last one held. */
          if (field == 'i')
            g_ptr_array_add (ids, g_strdup (value->str));
          else if (field == 's')
            {
              g_free (msgstr);
              msgstr = g_strdup (value->str);
            }
          g_string_truncate (value, 0);
        }
      field = next;
      g_string_append (value, inner);
    }
  if (field == 's')
    {
      g_free (msgstr);
      msgstr = g_strdup (value->str);
    }
  if (msgstr != NULL)
    add_entry (ids, msgstr);

  g_assert_cmpuint (g_hash_table_size (catalog), >, 300);
}

/* ---- What the window shows -------------------------------------------- */

/* Text that stays as it is in every language: Cursor's own English UI,
 * URLs, model ids, keys, names, protocol words, and what new-api itself
 * says in English when it refuses Cursor 3.x's request format (quoted as
 * the gateway's words, like its request id). */
static char *
without_verbatim (const char *text)
{
  static GRegex *verbatim;

  if (verbatim == NULL)
    verbatim = g_regex_new ("https?://\\S+|[a-z0-9.-]+\\.com(/\\S*)?|sk-\\S*|/v1\\S*"
                            "|(gpt|claude|gemini)-[A-Za-z0-9.-]+"
                            "|Cursor Settings|Override OpenAI Base URL|OpenAI API Key|API Keys?"
                            "|\\+ Add model|Models|Verify|Crazyrouter|Cursor|OpenAI|Anthropic|Google|Claude Code"
                            "|Authorization|Content-Type|new-api|CORS|POST|HTTP|JSON|Tab"
                            "|field messages is required|\\(request id: [^)]*\\)",
                            G_REGEX_OPTIMIZE, 0, NULL);
  return g_regex_replace_literal (verbatim, text, -1, 0, " ", 0, NULL);
}

static void
check_text (Fixture    *f,
            const char *where,
            const char *text)
{
  static GRegex *english;
  const char *translation;
  g_autofree char *rest = NULL;

  if (text == NULL || *text == '\0')
    return;
  f->n_checked++;

  translation = g_hash_table_lookup (catalog, text);
  if (translation != NULL && g_strcmp0 (translation, text) != 0)
    {
      g_string_append_printf (f->english, " [%s] “%s” (a msgid);", where, text);
      return;
    }

  if (english == NULL)
    english = g_regex_new ("[A-Za-z]{2,}[,.:;’']?\\s+[A-Za-z]{2,}", G_REGEX_OPTIMIZE, 0, NULL);
  rest = without_verbatim (text);
  if (g_regex_match (english, rest, 0, NULL))
    g_string_append_printf (f->english, " [%s] “%s”;", where, text);
}

/* Every label on screen (row titles, subtitles and button labels are
 * labels inside those widgets) and every tooltip of a mapped widget. */
static void
collect (Fixture    *f,
         GtkWidget  *widget,
         const char *where)
{
  if (!gtk_widget_get_mapped (widget))
    return;

  if (GTK_IS_LABEL (widget))
    check_text (f, where, gtk_label_get_text (GTK_LABEL (widget)));
  if (gtk_widget_get_has_tooltip (widget))
    check_text (f, where, gtk_widget_get_tooltip_text (widget));

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    collect (f, c, where);
}

static void
collect_window (Fixture    *f,
                const char *where)
{
  cr_test_ui_settle (100);
  check_text (f, where, gtk_window_get_title (GTK_WINDOW (f->window)));
  collect (f, GTK_WIDGET (f->window), where);
}

/* ---- Fixture ------------------------------------------------------------ */

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->gateway = cr_test_gateway_new (FALSE, 0, &error);
  g_assert_no_error (error);
  f->english = g_string_new (NULL);

  f->state = cr_setup_state_new (NULL);
  f->window = cr_test_ui_open_window (app, f->state, 720, 900);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  cr_test_ui_close_window (f->window, f->state);
  g_clear_object (&f->gateway);
  g_string_free (f->english, TRUE);
}

/* ---- Tests -------------------------------------------------------------- */

static void
test_catalog_is_used (void)
{
  /* The opposite of the walk below: a known string does come out Chinese. */
  g_assert_cmpstr (_("_Next"), ==, "下一步(_N)");
  g_assert_cmpstr (_("Crazyrouter Setup"), ==, "Crazyrouter 配置助手");
  g_assert_cmpstr (g_dngettext (GETTEXT_PACKAGE, "%u passed", "%u passed", 5), ==, "%u 项通过");
  /* A core string, the first checklist title. */
  g_assert_cmpstr (_("The key is accepted"), ==, "密钥已被接受");
}

static void
on_models (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

/* The gateway is asked for Chinese, so its own messages come in Chinese. */
static void
test_accept_language (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CrTestGateway) gateway = cr_test_gateway_new (FALSE, 0, &error);
  g_autoptr(CrGateway) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) models = NULL;
  const char *asked;

  g_assert_no_error (error);
  g_assert_cmpstr (g_get_language_names ()[0], ==, "zh_CN");
  client = cr_gateway_new (cr_test_gateway_get_base_url (gateway), "sk-demo-revoked-long-ago");
  cr_gateway_list_models_async (client, NULL, on_models, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  models = cr_gateway_list_models_finish (client, result, &error);

  asked = cr_test_gateway_get_last_header (gateway, "Accept-Language");
  g_test_message ("Accept-Language: %s", asked);
  g_assert_true (asked != NULL && g_ascii_strncasecmp (asked, "zh", 2) == 0);
  g_assert_error (error, CR_GATEWAY_ERROR, CR_GATEWAY_ERROR_UNAUTHORIZED);
  g_assert_true (g_str_has_prefix (cr_gateway_error_get_server_message (error), "无效的令牌"));
}

static char *
locale_string (GKeyFile   *file,
               const char *key)
{
  g_autoptr(GError) error = NULL;
  char *value = g_key_file_get_locale_string (file, G_KEY_FILE_DESKTOP_GROUP, key, "zh_CN", &error);

  g_assert_no_error (error);
  return value;
}

static void
test_data_files (void)
{
  g_autofree char *data_dir = g_build_filename (g_getenv ("CR_TEST_BUILDDIR"), "..", "data", NULL);
  g_autofree char *desktop = g_build_filename (data_dir, APP_ID ".desktop", NULL);
  g_autofree char *metainfo = g_build_filename (data_dir, APP_ID ".metainfo.xml", NULL);
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *comment = NULL;
  g_autofree char *xml = NULL;
  g_autofree char *zh_name = NULL;
  g_autofree char *zh_summary = NULL;

  g_assert_true (g_key_file_load_from_file (file, desktop, G_KEY_FILE_KEEP_TRANSLATIONS, &error));
  g_assert_no_error (error);
  name = locale_string (file, "Name");
  comment = locale_string (file, "Comment");
  g_assert_cmpstr (name, ==, _("Crazyrouter Setup"));
  g_assert_cmpstr (name, !=, "Crazyrouter Setup");
  g_assert_cmpstr (comment, ==, _("Connect Cursor to Crazyrouter, step by step"));
  g_assert_cmpstr (comment, !=, "Connect Cursor to Crazyrouter, step by step");

  g_assert_true (g_file_get_contents (metainfo, &xml, NULL, &error));
  g_assert_no_error (error);
  zh_name = g_strdup_printf ("<name xml:lang=\"zh_CN\">%s</name>", _("Crazyrouter Setup"));
  zh_summary = g_strdup_printf ("<summary xml:lang=\"zh_CN\">%s</summary>",
                                _("Connect Cursor to Crazyrouter, step by step"));
  g_assert_nonnull (strstr (xml, zh_name));
  g_assert_nonnull (strstr (xml, zh_summary));
}

static const char *
verify_view (Fixture *f)
{
  CrPage *page = cr_window_lookup_page (f->window, "verify");

  return gtk_stack_get_visible_child_name (GTK_STACK (adw_bin_get_child (ADW_BIN (page))));
}

static void
type_key (Fixture    *f,
          const char *key)
{
  CrPage *page = cr_window_get_page (f->window);

  gtk_editable_set_text (cr_test_ui_child (page, CR_TYPE_KEY_PAGE, "key_row"), key);
  gtk_editable_set_text (cr_test_ui_child (page, CR_TYPE_KEY_PAGE, "url_row"),
                         cr_test_gateway_get_base_url (f->gateway));
}

static void
test_every_step (Fixture       *f,
                 gconstpointer  data)
{
  CrPage *page;
  GtkLabel *server;

  g_assert_cmpstr (cr_test_ui_page_id (f->window), ==, "welcome");
  collect_window (f, "welcome");
  go_next (f, "token");
  collect_window (f, "token");
  go_next (f, "key");
  collect_window (f, "key (empty)");

  /* A refused key first: the fix, the cause, and the gateway's own words,
   * which it sends in Chinese only when the app asked for Chinese. */
  type_key (f, BAD_KEY);
  collect_window (f, "key (filled)");
  go_next (f, "verify");
  wait_until (g_strcmp0 (verify_view (f), "running") != 0);
  g_assert_cmpstr (verify_view (f), ==, "problem");
  page = cr_window_get_page (f->window);
  server = cr_test_ui_child (page, CR_TYPE_VERIFY_PAGE, "server_label");
  g_assert_nonnull (strstr (gtk_label_get_text (server), "无效的令牌"));
  collect_window (f, "verify (refused)");

  cr_test_ui_activate (f->window, "assistant.back");
  wait_until (g_strcmp0 (cr_test_ui_page_id (f->window), "key") == 0);
  type_key (f, CR_TEST_TOKEN_GOOD);
  go_next (f, "verify");
  wait_until (g_strcmp0 (verify_view (f), "running") != 0);
  g_assert_cmpstr (verify_view (f), ==, "done");
  collect_window (f, "verify (done)");

  go_next (f, "model");
  collect_window (f, "model");
  page = cr_window_get_page (f->window);
  g_signal_emit_by_name (cr_test_ui_child (page, CR_TYPE_MODEL_PAGE, "test_button"), "clicked");
  wait_until (cr_setup_state_get_chat_result (f->state) != NULL);
  collect_window (f, "model (answered)");

  go_next (f, "keyring");
  collect_window (f, "keyring");
  cr_test_ui_activate (f->window, "assistant.next");
  wait_until (g_strcmp0 (cr_test_ui_page_id (f->window), "cursor") == 0);
  collect_window (f, "cursor");

  go_next (f, "checklist");
  page = cr_window_get_page (f->window);
  collect_window (f, "checklist (running)");
  wait_until (g_strcmp0 (gtk_stack_get_visible_child_name (cr_test_ui_child (page, CR_TYPE_CHECKLIST_PAGE,
                                                                             "run_stack")), "stop") != 0);
  collect_window (f, "checklist (done)");
  g_signal_emit_by_name (cr_test_ui_child (page, CR_TYPE_CHECKLIST_PAGE, "help_button"), "clicked");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (cr_test_ui_child (page, CR_TYPE_CHECKLIST_PAGE,
                                                                       "view_stack")), ==, "help");
  collect_window (f, "troubleshooting");

  g_test_message ("%u visible strings checked", f->n_checked);
  g_assert_cmpuint (f->n_checked, >, 150);
  if (f->english->len > 0)
    g_test_fail_printf ("Still in English with LANGUAGE=zh_CN:%s", f->english->str);
}

/* The checklist's items, as the core makes them, have Chinese titles. */
static void
test_checklist_titles (void)
{
  g_autoptr(CrChecklist) checklist = cr_checklist_new ();
  GListModel *items = G_LIST_MODEL (checklist);

  cr_checklist_set_cursor_enabled (checklist, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (items), >=, 11);
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(CrCheckItem) item = g_list_model_get_item (items, i);
      const char *title = cr_check_item_get_title (item);

      g_assert_null (g_hash_table_lookup (catalog, title));
      g_assert_true (g_utf8_validate (title, -1, NULL));
      g_assert_cmpint (g_utf8_strlen (title, -1), <, (glong) strlen (title));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  const char *localedir = g_getenv ("CR_TEST_LOCALEDIR");
  int status;

  /* glibc honours LANGUAGE only when the locale is not plain "C"; C.UTF-8
   * is built into glibc since 2.35 (Debian 12 has 2.36), so no locales
   * package is needed for this. */
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  g_assert_nonnull (setlocale (LC_ALL, ""));
  g_assert_nonnull (localedir);
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  gtk_test_init (&argc, &argv, NULL);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  load_catalog ();

  app = cr_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  g_test_add_func ("/i18n/catalog-is-used", test_catalog_is_used);
  g_test_add_func ("/i18n/accept-language", test_accept_language);
  g_test_add_func ("/i18n/data-files", test_data_files);
  g_test_add_func ("/i18n/checklist-titles", test_checklist_titles);
  g_test_add ("/i18n/every-step", Fixture, NULL, fixture_set_up, test_every_step, fixture_tear_down);

  status = g_test_run ();
  g_clear_object (&app);
  g_hash_table_unref (catalog);
  return status;
}
