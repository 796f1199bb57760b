/* test-cursor.c: the read-only reader of Cursor's settings, against fixture
 * databases that the tests build themselves with SQLite
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "cr-cursor.h"
#include "cr-test-cursor.h"

typedef struct {
  char *dir;
  char *db;
} Fixture;

/* ---- Fixture helpers ---------------------------------------------------- */

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("cr-cursor-XXXXXX", &error);
  g_assert_no_error (error);
  f->db = g_build_filename (f->dir, "state.vscdb", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  cr_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->db);
}

static CrCursorSnapshot *
read_path (const char *path)
{
  const char * const no_roots[] = { NULL };
  g_autoptr(GError) error = NULL;
  CrCursorSnapshot *snapshot;

  snapshot = cr_cursor_read (path, no_roots, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (snapshot);
  g_assert_nonnull (snapshot->enabled_models);
  g_assert_nonnull (snapshot->disabled_models);
  g_assert_nonnull (snapshot->custom_models);
  return snapshot;
}

static CrCursorSnapshot *
read_settings (Fixture       *f,
               const char    *settings,
               CrTestStorage  storage)
{
  g_unlink (f->db);
  cr_test_cursor_make_db (f->db, settings, storage, NULL);
  return read_path (f->db);
}

static void
assert_strv (GStrv        strv,
             const char  *first,
             ...)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) expected = NULL;
  va_list args;

  va_start (args, first);
  for (const char *s = first; s != NULL; s = va_arg (args, const char *))
    g_strv_builder_add (builder, s);
  va_end (args);

  expected = g_strv_builder_end (builder);
  if (!g_strv_equal ((const char * const *) strv, (const char * const *) expected))
    {
      g_autofree char *got = g_strjoinv (", ", strv);
      g_autofree char *want = g_strjoinv (", ", expected);

      g_error ("got [%s], expected [%s]", got, want);
    }
}

static void
assert_unreadable (CrCursorSnapshot *snapshot,
                   CrCursorProblem   problem)
{
  g_assert_cmpstr (cr_cursor_status_to_string (snapshot->status), ==, "unreadable");
  g_assert_cmpstr (cr_cursor_problem_to_string (snapshot->problem), ==,
                   cr_cursor_problem_to_string (problem));
  g_assert_nonnull (snapshot->reason);
  g_assert_false (snapshot->settings_found);
  g_assert_false (snapshot->key_present);
  g_assert_null (snapshot->openai_base_url);
  g_assert_cmpint (snapshot->use_openai_key, ==, CR_CURSOR_UNKNOWN);
}

static void
assert_no_key_in (const char *where,
                  const char *text)
{
  if (text != NULL && strstr (text, CR_TEST_CURSOR_FAKE_KEY) != NULL)
    g_error ("the fixture key leaked into %s", where);
  /* Not even a recognisable part of it. */
  if (text != NULL && strstr (text, CR_TEST_CURSOR_FAKE_KEY_PART) != NULL)
    g_error ("part of the fixture key leaked into %s", where);
}

static void
assert_no_key_in_strv (const char *where,
                       GStrv       strv)
{
  for (gsize i = 0; strv != NULL && strv[i] != NULL; i++)
    assert_no_key_in (where, strv[i]);
}

static void
assert_snapshot_keyless (const CrCursorSnapshot *s)
{
  g_autoptr(GVariant) facts = g_variant_ref_sink (cr_cursor_snapshot_to_variant (s));
  g_autofree char *printed = g_variant_print (facts, TRUE);
  g_autofree char *url = cr_cursor_redact_url (s->openai_base_url);

  assert_no_key_in ("reason", s->reason);
  assert_no_key_in ("path", s->path);
  assert_no_key_in ("version", s->version);
  assert_no_key_in ("install root", s->install_root);
  assert_no_key_in ("base URL", s->openai_base_url);
  assert_no_key_in_strv ("enabled models", s->enabled_models);
  assert_no_key_in_strv ("disabled models", s->disabled_models);
  assert_no_key_in_strv ("custom models", s->custom_models);
  assert_no_key_in ("redacted base URL", url);
  assert_no_key_in ("remembered facts", printed);
}

/* ---- Finding the database ----------------------------------------------- */

static void
test_missing (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(CrCursorSnapshot) s = NULL;
  g_autofree char *missing_dir = g_build_filename (f->dir, "no-such-folder", NULL);
  g_autofree char *expected = g_build_filename (missing_dir, "User", "globalStorage", "state.vscdb", NULL);

  s = read_path (f->db);
  g_assert_cmpint (s->status, ==, CR_CURSOR_NOT_INSTALLED);
  g_assert_cmpint (s->problem, ==, CR_CURSOR_PROBLEM_MISSING);
  g_assert_cmpstr (s->path, ==, f->db);
  g_assert_nonnull (s->reason);
  g_assert_null (s->version);
  g_clear_pointer (&s, cr_cursor_snapshot_free);

  /* A config folder that does not exist: the path says where we looked. */
  s = read_path (missing_dir);
  g_assert_cmpint (s->status, ==, CR_CURSOR_NOT_INSTALLED);
  g_assert_cmpstr (s->path, ==, expected);
}

static void
test_candidates (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *config = g_build_filename (f->dir, "config", NULL);
  g_autofree char *upper = g_build_filename (config, "Cursor", "User", "globalStorage", "state.vscdb", NULL);
  g_autofree char *lower = g_build_filename (config, "cursor", "User", "globalStorage", "state.vscdb", NULL);
  g_autofree char *upper_dir = g_path_get_dirname (upper);
  g_autofree char *lower_dir = g_path_get_dirname (lower);
  g_autofree char *old_config = g_strdup (g_getenv ("XDG_CONFIG_HOME"));
  g_auto(GStrv) candidates = NULL;
  g_autoptr(CrCursorSnapshot) s = NULL;

  g_setenv ("XDG_CONFIG_HOME", config, TRUE);
  candidates = cr_cursor_database_candidates (NULL);
  g_assert_cmpstr (candidates[0], ==, upper);
  g_assert_cmpstr (candidates[1], ==, lower);
  /* ~/.config is always looked at too (the Flatpak case), never twice. */
  for (gsize i = 0; candidates[i] != NULL; i++)
    for (gsize j = i + 1; candidates[j] != NULL; j++)
      g_assert_cmpstr (candidates[i], !=, candidates[j]);
  g_clear_pointer (&candidates, g_strfreev);

  /* Only the lower-case folder exists: that one is read. */
  g_assert_cmpint (g_mkdir_with_parents (lower_dir, 0700), ==, 0);
  cr_test_cursor_make_db (lower, "{'useOpenAIKey': true}", CR_TEST_AS_TEXT, NULL);
  s = cr_cursor_read (NULL, (const char * const[]) { NULL }, NULL, NULL);
  g_assert_cmpint (s->status, ==, CR_CURSOR_FOUND);
  g_assert_cmpstr (s->path, ==, lower);
  g_assert_cmpint (s->use_openai_key, ==, CR_CURSOR_ON);
  g_clear_pointer (&s, cr_cursor_snapshot_free);

  /* Both exist: Cursor/ wins. */
  g_assert_cmpint (g_mkdir_with_parents (upper_dir, 0700), ==, 0);
  cr_test_cursor_make_db (upper, "{'useOpenAIKey': false}", CR_TEST_AS_TEXT, NULL);
  s = cr_cursor_read (NULL, (const char * const[]) { NULL }, NULL, NULL);
  g_assert_cmpstr (s->path, ==, upper);
  g_assert_cmpint (s->use_openai_key, ==, CR_CURSOR_OFF);
  g_clear_pointer (&s, cr_cursor_snapshot_free);

  /* --cursor-config may name the config folder, globalStorage, or the file. */
  {
    g_autofree char *cursor_dir = g_build_filename (config, "cursor", NULL);
    g_autoptr(CrCursorSnapshot) a = read_path (cursor_dir);
    g_autoptr(CrCursorSnapshot) b = read_path (lower_dir);
    g_autoptr(CrCursorSnapshot) c = read_path (lower);

    g_assert_cmpstr (a->path, ==, lower);
    g_assert_cmpstr (b->path, ==, lower);
    g_assert_cmpstr (c->path, ==, lower);
    g_assert_cmpint (a->use_openai_key, ==, CR_CURSOR_ON);
  }

  if (old_config != NULL)
    g_setenv ("XDG_CONFIG_HOME", old_config, TRUE);
  else
    g_unsetenv ("XDG_CONFIG_HOME");
}

/* ---- The settings ------------------------------------------------------- */

static const char full_settings[] =
  "{'useOpenAIKey': true,"
  " 'openAIBaseUrl': 'https://crazyrouter.com/v1',"
  " 'availableDefaultModels2': ["
  "   {'name': 'gpt-5.4', 'defaultOn': true},"
  "   {'name': 'claude-sonnet-4-6', 'defaultOn': false},"
  "   {'name': 'cursor-small', 'defaultOn': true}],"
  " 'aiSettings': {"
  "   'modelOverrideEnabled': ['claude-sonnet-4-6', 'my-model'],"
  "   'modelOverrideDisabled': ['cursor-small'],"
  "   'userAddedModels': ['my-model', 'claude-opus-x', 'gemini-3-pro-preview']}}";

static void
assert_full_settings (CrCursorSnapshot *s)
{
  g_assert_cmpint (s->status, ==, CR_CURSOR_FOUND);
  g_assert_cmpint (s->problem, ==, CR_CURSOR_PROBLEM_NONE);
  g_assert_null (s->reason);
  g_assert_true (s->settings_found);
  g_assert_cmpint (s->use_openai_key, ==, CR_CURSOR_ON);
  g_assert_cmpstr (s->openai_base_url, ==, "https://crazyrouter.com/v1");
  g_assert_true (s->models_known);
  assert_strv (s->enabled_models, "claude-sonnet-4-6", "gpt-5.4", "my-model", NULL);
  assert_strv (s->disabled_models, "cursor-small", NULL);
  assert_strv (s->custom_models, "claude-opus-x", "gemini-3-pro-preview", "my-model", NULL);
}

static void
test_text_and_blob (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(CrCursorSnapshot) text = read_settings (f, full_settings, CR_TEST_AS_TEXT);
  g_autoptr(CrCursorSnapshot) blob = read_settings (f, full_settings, CR_TEST_AS_BLOB);

  assert_full_settings (text);
  assert_full_settings (blob);
  g_assert_false (text->key_present);
  g_assert_cmpint (cr_cursor_snapshot_compare (text, blob), ==, CR_CURSOR_CHANGED_NONE);
}

static void
test_toggle (Fixture       *f,
             gconstpointer  data)
{
  const struct {
    const char     *settings;
    CrCursorToggle  expected;
  } cases[] = {
    { "{'useOpenAIKey': true}", CR_CURSOR_ON },
    { "{'useOpenAIKey': false}", CR_CURSOR_OFF },
    { "{}", CR_CURSOR_UNKNOWN },
    { "{'useOpenAIKey': null}", CR_CURSOR_UNKNOWN },
    { "{'useOpenAIKey': 'true'}", CR_CURSOR_UNKNOWN },
    { "{'useOpenAIKey': 1}", CR_CURSOR_UNKNOWN },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CrCursorSnapshot) s = read_settings (f, cases[i].settings,
                                                     i % 2 ? CR_TEST_AS_BLOB : CR_TEST_AS_TEXT);

      g_test_message ("%s", cases[i].settings);
      g_assert_cmpint (s->status, ==, CR_CURSOR_FOUND);
      g_assert_true (s->settings_found);
      g_assert_cmpstr (cr_cursor_toggle_to_string (s->use_openai_key), ==,
                       cr_cursor_toggle_to_string (cases[i].expected));
    }
}

static void
test_base_url (Fixture       *f,
               gconstpointer  data)
{
  const struct {
    const char *settings;
    const char *expected;
  } cases[] = {
    { "{'openAIBaseUrl': 'https://crazyrouter.com/v1'}", "https://crazyrouter.com/v1" },
    /* The literal value, so the checklist can name the mistake. */
    { "{'openAIBaseUrl': 'https://crazyrouter.com/v1/'}", "https://crazyrouter.com/v1/" },
    { "{'openAIBaseUrl': 'https://crazyrouter.com/v1/chat/completions'}",
      "https://crazyrouter.com/v1/chat/completions" },
    { "{'openAIBaseUrl': ' https://crazyrouter.com/v1 '}", " https://crazyrouter.com/v1 " },
    { "{'openAIBaseUrl': null}", NULL },
    { "{'openAIBaseUrl': ''}", NULL },
    { "{}", NULL },
    { "{'openAIBaseUrl': 42}", NULL },
    { "{'openAIBaseUrl': ['https://crazyrouter.com/v1']}", NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CrCursorSnapshot) s = read_settings (f, cases[i].settings,
                                                     i % 2 ? CR_TEST_AS_TEXT : CR_TEST_AS_BLOB);

      g_test_message ("%s", cases[i].settings);
      g_assert_cmpint (s->status, ==, CR_CURSOR_FOUND);
      g_assert_cmpstr (s->openai_base_url, ==, cases[i].expected);
    }
}

static void
test_models (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(CrCursorSnapshot) s = NULL;

  /* The rule: (defaultOn ∪ enabled) − disabled; names outside the catalog
   * count when switched on; disabled beats enabled. */
  s = read_settings (f,
                     "{'availableDefaultModels2': ["
                     "   {'name': 'a', 'defaultOn': true},"
                     "   {'name': 'b', 'defaultOn': false},"
                     "   {'name': 'c', 'defaultOn': true},"
                     "   {'name': 'd'}],"
                     " 'aiSettings': {"
                     "   'modelOverrideEnabled': ['b', 'x', 'y', 'x'],"
                     "   'modelOverrideDisabled': ['c', 'y']}}",
                     CR_TEST_AS_TEXT);
  g_assert_true (s->models_known);
  assert_strv (s->enabled_models, "a", "b", "x", NULL);
  assert_strv (s->disabled_models, "c", "y", NULL);
  g_assert_cmpint (cr_cursor_snapshot_model_enabled (s, "a"), ==, CR_CURSOR_ON);
  g_assert_cmpint (cr_cursor_snapshot_model_enabled (s, "x"), ==, CR_CURSOR_ON);
  g_assert_cmpint (cr_cursor_snapshot_model_enabled (s, "c"), ==, CR_CURSOR_OFF);
  g_assert_cmpint (cr_cursor_snapshot_model_enabled (s, "d"), ==, CR_CURSOR_OFF);
  g_assert_cmpint (cr_cursor_snapshot_model_enabled (s, "nowhere"), ==, CR_CURSOR_OFF);
  g_clear_pointer (&s, cr_cursor_snapshot_free);

  /* No catalog: only the user's own switches are facts. */
  s = read_settings (f,
                     "{'aiSettings': {'modelOverrideEnabled': ['gpt-5.4'],"
                     "                'modelOverrideDisabled': ['o3']}}",
                     CR_TEST_AS_BLOB);
  g_assert_false (s->models_known);
  assert_strv (s->enabled_models, "gpt-5.4", NULL);
  g_assert_cmpint (cr_cursor_snapshot_model_enabled (s, "gpt-5.4"), ==, CR_CURSOR_ON);
  g_assert_cmpint (cr_cursor_snapshot_model_enabled (s, "o3"), ==, CR_CURSOR_OFF);
  g_assert_cmpint (cr_cursor_snapshot_model_enabled (s, "claude-sonnet-4-6"), ==, CR_CURSOR_UNKNOWN);
  g_clear_pointer (&s, cr_cursor_snapshot_free);

  /* An empty catalog is still a catalog. */
  s = read_settings (f, "{'availableDefaultModels2': []}", CR_TEST_AS_TEXT);
  g_assert_true (s->models_known);
  assert_strv (s->enabled_models, NULL);
  g_assert_cmpint (cr_cursor_snapshot_model_enabled (s, "gpt-5.4"), ==, CR_CURSOR_OFF);
}

static void
test_custom_models (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(CrCursorSnapshot) s = NULL;

  s = read_settings (f,
                     "{'aiSettings': {'userAddedModels':"
                     " ['gpt-5.4', 'claude-sonnet-4-6', 'gemini-3-pro-preview', 'Claude-Haiku']}}",
                     CR_TEST_AS_TEXT);
  assert_strv (s->custom_models, "Claude-Haiku", "claude-sonnet-4-6", "gemini-3-pro-preview", "gpt-5.4", NULL);
  /* Added is not enabled: Cursor keeps the switch in modelOverrideEnabled. */
  assert_strv (s->enabled_models, NULL);

  g_assert_cmpint (cr_cursor_model_key_slot ("gpt-5.4"), ==, CR_CURSOR_SLOT_OPENAI);
  g_assert_cmpint (cr_cursor_model_key_slot ("claude-sonnet-4-6"), ==, CR_CURSOR_SLOT_ANTHROPIC);
  g_assert_cmpint (cr_cursor_model_key_slot ("Claude-Haiku"), ==, CR_CURSOR_SLOT_ANTHROPIC);
  g_assert_cmpint (cr_cursor_model_key_slot ("gemini-3-pro-preview"), ==, CR_CURSOR_SLOT_GOOGLE);
  g_assert_cmpint (cr_cursor_model_key_slot ("my-claude-proxy"), ==, CR_CURSOR_SLOT_OPENAI);
  g_assert_cmpint (cr_cursor_model_key_slot ("claude"), ==, CR_CURSOR_SLOT_OPENAI);
}

static void
test_wrong_types (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(CrCursorSnapshot) s = NULL;
  g_autoptr(GString) long_name = g_string_new ("'");

  /* Wrong types are skipped one by one; the rest is still read. */
  s = read_settings (f,
                     "{'useOpenAIKey': true,"
                     " 'availableDefaultModels2': {'name': 'gpt-5.4', 'defaultOn': true},"
                     " 'aiSettings': {"
                     "   'modelOverrideEnabled': 7,"
                     "   'modelOverrideDisabled': 'o3',"
                     "   'userAddedModels': [1, null, true, {'name': 'x'}, ['y'], '', 'kept',"
                     "                       'bad\\nname', 'tab\\tname']}}",
                     CR_TEST_AS_TEXT);
  g_assert_cmpint (s->status, ==, CR_CURSOR_FOUND);
  g_assert_cmpint (s->use_openai_key, ==, CR_CURSOR_ON);
  g_assert_false (s->models_known);
  assert_strv (s->enabled_models, NULL);
  assert_strv (s->disabled_models, NULL);
  assert_strv (s->custom_models, "kept", NULL);
  g_clear_pointer (&s, cr_cursor_snapshot_free);

  /* aiSettings itself of the wrong type; catalog entries of the wrong shape. */
  s = read_settings (f,
                     "{'aiSettings': 12,"
                     " 'availableDefaultModels2': [3, 'gpt-5.4', {'name': 5, 'defaultOn': true},"
                     "   {'name': 'ok', 'defaultOn': 'yes'}, {'name': 'on', 'defaultOn': true}]}",
                     CR_TEST_AS_BLOB);
  g_assert_cmpint (s->status, ==, CR_CURSOR_FOUND);
  g_assert_true (s->models_known);
  assert_strv (s->enabled_models, "on", NULL);
  assert_strv (s->custom_models, NULL);
  g_clear_pointer (&s, cr_cursor_snapshot_free);

  /* A model name too long to be one is dropped. */
  for (int i = 0; i < 300; i++)
    g_string_append_c (long_name, 'm');
  g_string_append (long_name, "'");
  {
    g_autofree char *settings = g_strdup_printf ("{'aiSettings': {'userAddedModels': [%s, 'short']}}",
                                                 long_name->str);
    s = read_settings (f, settings, CR_TEST_AS_TEXT);
    assert_strv (s->custom_models, "short", NULL);
  }
}

static void
test_not_json (Fixture       *f,
               gconstpointer  data)
{
  const char *values[] = {
    "not json {",
    "",
    "[\"an array\"]",
    "\"a string\"",
    "42",
    "{\"useOpenAIKey\": true",   /* cut off */
    "\xff\xfe{\0\"\0}\0",        /* UTF-16 */
  };
  g_autoptr(GString) nested = g_string_new (NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (values); i++)
    for (CrTestStorage storage = CR_TEST_AS_TEXT; storage <= CR_TEST_AS_BLOB; storage++)
      {
        g_autoptr(CrCursorSnapshot) s = NULL;
        sqlite3 *db;

        g_test_message ("value %" G_GSIZE_FORMAT, i);
        g_unlink (f->db);
        db = cr_test_db_create (f->db);
        cr_test_db_put (db, CR_CURSOR_SETTINGS_KEY, values[i], i == 6 ? 8 : -1, storage);
        cr_test_db_put (db, CR_TEST_CURSOR_OLD_KEY_ROW, CR_TEST_CURSOR_FAKE_KEY, -1, CR_TEST_AS_TEXT);
        cr_test_db_close (db);

        s = read_path (f->db);
        assert_unreadable (s, CR_CURSOR_PROBLEM_UNEXPECTED);
      }

  /* Nesting deep enough to overflow a recursive parser's stack. */
  for (int i = 0; i < 200000; i++)
    g_string_append_c (nested, '[');
  {
    g_autoptr(CrCursorSnapshot) s = NULL;
    sqlite3 *db;

    g_unlink (f->db);
    db = cr_test_db_create (f->db);
    cr_test_db_put (db, CR_CURSOR_SETTINGS_KEY, nested->str, nested->len, CR_TEST_AS_BLOB);
    cr_test_db_close (db);

    s = read_path (f->db);
    assert_unreadable (s, CR_CURSOR_PROBLEM_UNEXPECTED);
  }

  /* A settings value that is not text at all. */
  {
    g_autoptr(CrCursorSnapshot) s = NULL;
    sqlite3 *db;

    g_unlink (f->db);
    db = cr_test_db_create (f->db);
    g_assert_cmpint (sqlite3_exec (db, "INSERT INTO ItemTable VALUES ('" CR_CURSOR_SETTINGS_KEY "', 12.5)",
                                   NULL, NULL, NULL), ==, SQLITE_OK);
    cr_test_db_close (db);

    s = read_path (f->db);
    assert_unreadable (s, CR_CURSOR_PROBLEM_UNEXPECTED);
  }
}

static void
test_missing_row_and_table (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(CrCursorSnapshot) s = NULL;
  sqlite3 *db;

  /* Cursor started, but these settings were never saved. */
  cr_test_cursor_make_db (f->db, NULL, CR_TEST_AS_TEXT, CR_TEST_CURSOR_OLD_KEY_ROW);
  s = read_path (f->db);
  g_assert_cmpint (s->status, ==, CR_CURSOR_FOUND);
  g_assert_false (s->settings_found);
  g_assert_true (s->key_present);
  g_assert_cmpint (s->use_openai_key, ==, CR_CURSOR_UNKNOWN);
  g_assert_false (s->models_known);
  g_clear_pointer (&s, cr_cursor_snapshot_free);

  /* An SQLite file of some other program. */
  g_unlink (f->db);
  g_assert_cmpint (sqlite3_open (f->db, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE other (x)", NULL, NULL, NULL), ==, SQLITE_OK);
  cr_test_db_close (db);
  s = read_path (f->db);
  assert_unreadable (s, CR_CURSOR_PROBLEM_UNEXPECTED);
  g_clear_pointer (&s, cr_cursor_snapshot_free);

  /* An ItemTable without the columns we know. */
  g_unlink (f->db);
  g_assert_cmpint (sqlite3_open (f->db, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE ItemTable (k, v)", NULL, NULL, NULL), ==, SQLITE_OK);
  cr_test_db_close (db);
  s = read_path (f->db);
  assert_unreadable (s, CR_CURSOR_PROBLEM_UNEXPECTED);
}

/* ---- The key ------------------------------------------------------------- */

static void
test_key_rows (Fixture       *f,
               gconstpointer  data)
{
  const struct {
    const char    *row;
    const char    *value;
    CrTestStorage  storage;
    gboolean       present;
  } cases[] = {
    { NULL, NULL, CR_TEST_AS_TEXT, FALSE },
    { CR_TEST_CURSOR_OLD_KEY_ROW, CR_TEST_CURSOR_FAKE_KEY, CR_TEST_AS_TEXT, TRUE },
    { CR_TEST_CURSOR_OLD_KEY_ROW, CR_TEST_CURSOR_FAKE_KEY, CR_TEST_AS_BLOB, TRUE },
    { CR_TEST_CURSOR_NEW_KEY_ROW, CR_TEST_CURSOR_FAKE_KEY, CR_TEST_AS_TEXT, TRUE },
    { CR_TEST_CURSOR_NEW_KEY_ROW, CR_TEST_CURSOR_FAKE_KEY, CR_TEST_AS_BLOB, TRUE },
    { CR_TEST_CURSOR_OLD_KEY_ROW, "", CR_TEST_AS_TEXT, FALSE },
    { CR_TEST_CURSOR_NEW_KEY_ROW, "", CR_TEST_AS_BLOB, FALSE },
    { CR_TEST_CURSOR_NEW_KEY_ROW, NULL, CR_TEST_AS_TEXT, FALSE },
    /* A row that merely looks alike does not count. */
    { "cursorAuth/openAIKeyOld", CR_TEST_CURSOR_FAKE_KEY, CR_TEST_AS_TEXT, FALSE },
    { "cursorAuth/claudeKey", CR_TEST_CURSOR_FAKE_KEY, CR_TEST_AS_TEXT, FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CrCursorSnapshot) s = NULL;
      g_autofree char *settings = cr_test_json ("{'useOpenAIKey': true, 'openAIBaseUrl': 'https://crazyrouter.com/v1'}");
      sqlite3 *db;

      g_test_message ("case %" G_GSIZE_FORMAT, i);
      g_unlink (f->db);
      db = cr_test_db_create (f->db);
      cr_test_db_put (db, CR_CURSOR_SETTINGS_KEY, settings, -1, CR_TEST_AS_TEXT);
      if (cases[i].row != NULL)
        cr_test_db_put (db, cases[i].row, cases[i].value, -1, cases[i].storage);
      cr_test_db_close (db);

      s = read_path (f->db);
      g_assert_cmpint (s->status, ==, CR_CURSOR_FOUND);
      g_assert_cmpint (s->key_present, ==, cases[i].present);
      assert_snapshot_keyless (s);
    }
}

static void
test_key_never_leaks (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(CrCursorSnapshot) s = NULL;
  g_autoptr(CrCursorSnapshot) back = NULL;
  g_autoptr(GVariant) facts = NULL;
  g_autofree char *printed = NULL;
  g_autofree char *settings = NULL;
  sqlite3 *db;

  /* The key in both rows, in the settings blob, and pasted into the base
   * URL field by mistake (with user:password too). */
  settings = cr_test_json ("{'useOpenAIKey': true,"
                   " 'openAIBaseUrl': 'https://me:" CR_TEST_CURSOR_FAKE_KEY "@crazyrouter.com/v1?key=" CR_TEST_CURSOR_FAKE_KEY "',"
                   " 'openAIKey': '" CR_TEST_CURSOR_FAKE_KEY "',"
                   " 'aiSettings': {'userAddedModels': ['gpt-5.4']}}");
  db = cr_test_db_create (f->db);
  cr_test_db_put (db, CR_CURSOR_SETTINGS_KEY, settings, -1, CR_TEST_AS_BLOB);
  cr_test_db_put (db, CR_TEST_CURSOR_OLD_KEY_ROW, CR_TEST_CURSOR_FAKE_KEY, -1, CR_TEST_AS_TEXT);
  cr_test_db_put (db, CR_TEST_CURSOR_NEW_KEY_ROW, CR_TEST_CURSOR_FAKE_KEY, -1, CR_TEST_AS_BLOB);
  cr_test_db_close (db);

  s = read_path (f->db);
  g_assert_cmpint (s->status, ==, CR_CURSOR_FOUND);
  g_assert_true (s->key_present);
  assert_snapshot_keyless (s);
  /* As typed, but for the key. */
  g_assert_cmpstr (s->openai_base_url, ==, "https://me:sk-…@crazyrouter.com/v1?key=sk-…");

  facts = g_variant_ref_sink (cr_cursor_snapshot_to_variant (s));
  printed = g_variant_print (facts, TRUE);
  g_assert_null (strstr (printed, "me:"));
  back = cr_cursor_snapshot_from_variant (facts);
  g_assert_nonnull (back);
  assert_no_key_in ("restored base URL", back->openai_base_url);
  g_assert_cmpstr (back->openai_base_url, ==, "https://crazyrouter.com/v1?…");

  /* Pasted on its own, the key is masked as well. */
  {
    g_autofree char *url = cr_cursor_redact_url (CR_TEST_CURSOR_FAKE_KEY);
    g_assert_cmpstr (url, ==, "sk-…");
  }
}

static void
test_redact_url (void)
{
  const struct {
    const char *url;
    const char *expected;
  } cases[] = {
    { "https://crazyrouter.com/v1", "https://crazyrouter.com/v1" },
    { "https://crazyrouter.com/v1/", "https://crazyrouter.com/v1/" },
    { "https://user:pw@crazyrouter.com/v1", "https://crazyrouter.com/v1" },
    { "https://crazyrouter.com/v1?x=1", "https://crazyrouter.com/v1?…" },
    { "https://crazyrouter.com/v1#frag", "https://crazyrouter.com/v1?…" },
    { "https://crazyrouter.com/v1/sk-demo-abcdefgh", "https://crazyrouter.com/v1/sk-…" },
    { "https://crazyrouter.com/v1/task-runner", "https://crazyrouter.com/v1/task-runner" },
    { "https://crazyrouter.com/sk-short", "https://crazyrouter.com/sk-short" },
    { "crazyrouter.com/v1", "crazyrouter.com/v1" },
    { "https://a@b@host/v1", "https://host/v1" },
    { "https://host/path@x", "https://host/path@x" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = cr_cursor_redact_url (cases[i].url);
      g_assert_cmpstr (got, ==, cases[i].expected);
    }
  g_assert_null (cr_cursor_redact_url (NULL));
}

/* ---- Damaged, huge, locked ----------------------------------------------- */

static void
test_huge_value (Fixture       *f,
                 gconstpointer  data)
{
  gsize size = 5 << 20;
  g_autofree char *big = g_malloc (size);

  /* Valid JSON, so only the size can refuse it. */
  memset (big, ' ', size);
  big[0] = '{';
  big[size - 1] = '}';

  for (CrTestStorage storage = CR_TEST_AS_TEXT; storage <= CR_TEST_AS_BLOB; storage++)
    {
      g_autoptr(CrCursorSnapshot) s = NULL;
      sqlite3 *db;

      g_unlink (f->db);
      db = cr_test_db_create (f->db);
      cr_test_db_put (db, CR_CURSOR_SETTINGS_KEY, big, size, storage);
      cr_test_db_put (db, CR_TEST_CURSOR_OLD_KEY_ROW, CR_TEST_CURSOR_FAKE_KEY, -1, CR_TEST_AS_TEXT);
      cr_test_db_close (db);

      s = read_path (f->db);
      assert_unreadable (s, CR_CURSOR_PROBLEM_TOO_LARGE);
    }

  /* Multi-byte text under the cap in characters, over it in bytes. */
  {
    g_autoptr(GString) wide = g_string_new ("{\"x\": \"");
    g_autoptr(CrCursorSnapshot) s = NULL;
    sqlite3 *db;

    while (wide->len < (gsize) CR_CURSOR_MAX_VALUE + 1000)
      g_string_append (wide, "€€€€€€€€€€€€€€€€");
    g_string_append (wide, "\"}");
    g_assert_cmpuint (g_utf8_strlen (wide->str, -1), <, CR_CURSOR_MAX_VALUE);

    g_unlink (f->db);
    db = cr_test_db_create (f->db);
    cr_test_db_put (db, CR_CURSOR_SETTINGS_KEY, wide->str, wide->len, CR_TEST_AS_TEXT);
    cr_test_db_close (db);

    s = read_path (f->db);
    assert_unreadable (s, CR_CURSOR_PROBLEM_TOO_LARGE);
  }
}

static void
test_not_database (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(CrCursorSnapshot) s = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *bytes = NULL;
  gsize length;

  g_file_set_contents (f->db, "{\"this\": \"is JSON, not SQLite\"}\n" CR_TEST_CURSOR_FAKE_KEY, -1, &error);
  g_assert_no_error (error);
  s = read_path (f->db);
  assert_unreadable (s, CR_CURSOR_PROBLEM_NOT_DATABASE);
  assert_snapshot_keyless (s);
  g_clear_pointer (&s, cr_cursor_snapshot_free);

  /* An empty file. */
  g_file_set_contents (f->db, "", 0, &error);
  g_assert_no_error (error);
  s = read_path (f->db);
  assert_unreadable (s, CR_CURSOR_PROBLEM_CORRUPT);
  g_clear_pointer (&s, cr_cursor_snapshot_free);

  /* A folder where the file should be. */
  g_unlink (f->db);
  g_assert_cmpint (g_mkdir (f->db, 0700), ==, 0);
  s = read_path (f->db);
  g_assert_cmpint (s->status, ==, CR_CURSOR_UNREADABLE);
  g_assert_cmpint (s->problem, ==, CR_CURSOR_PROBLEM_NOT_DATABASE);
  g_clear_pointer (&s, cr_cursor_snapshot_free);
  g_rmdir (f->db);

  /* A real database cut off in its header, then after its first pages. */
  {
    g_autoptr(GString) settings = g_string_new ("{'aiSettings': {'userAddedModels': [");
    for (int i = 0; i < 2000; i++)
      g_string_append_printf (settings, "'model-%d', ", i);
    g_string_append (settings, "'last']}}");
    cr_test_cursor_make_db (f->db, settings->str, CR_TEST_AS_BLOB, NULL);
  }
  g_file_get_contents (f->db, &bytes, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, >, 4 * 4096);

  g_file_set_contents (f->db, bytes, 50, &error);
  g_assert_no_error (error);
  s = read_path (f->db);
  assert_unreadable (s, CR_CURSOR_PROBLEM_CORRUPT);
  g_clear_pointer (&s, cr_cursor_snapshot_free);

  g_file_set_contents (f->db, bytes, 3 * 4096, &error);
  g_assert_no_error (error);
  s = read_path (f->db);
  g_assert_cmpint (s->status, ==, CR_CURSOR_UNREADABLE);
  g_assert_cmpint (s->problem, ==, CR_CURSOR_PROBLEM_CORRUPT);
  g_clear_pointer (&s, cr_cursor_snapshot_free);

  /* Pages overwritten with garbage, header intact. */
  memset (bytes + 4096, 0xA5, length - 4096);
  g_file_set_contents (f->db, bytes, length, &error);
  g_assert_no_error (error);
  s = read_path (f->db);
  g_assert_cmpint (s->status, ==, CR_CURSOR_UNREADABLE);
  g_assert_cmpint (s->problem, ==, CR_CURSOR_PROBLEM_CORRUPT);
}

static void
test_permission (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(CrCursorSnapshot) s = NULL;

  if (geteuid () == 0)
    {
      g_test_skip ("root may read any file");
      return;
    }

  cr_test_cursor_make_db (f->db, "{'useOpenAIKey': true}", CR_TEST_AS_TEXT, NULL);
  g_assert_cmpint (g_chmod (f->db, 0), ==, 0);
  s = read_path (f->db);
  assert_unreadable (s, CR_CURSOR_PROBLEM_PERMISSION);
  g_chmod (f->db, 0600);
}

/* A second process takes Cursor's part: it holds an exclusive lock until the
 * test closes the pipe. */
static pid_t
hold_exclusive_lock (const char *path,
                     int        *release_fd)
{
  int ready[2], release[2];
  char answer = 0;
  pid_t pid;

  g_assert_cmpint (pipe (ready), ==, 0);
  g_assert_cmpint (pipe (release), ==, 0);

  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      sqlite3 *db = NULL;
      char ok;
      char c;

      close (ready[0]);
      close (release[1]);
      ok = sqlite3_open (path, &db) == SQLITE_OK &&
           sqlite3_exec (db, "BEGIN EXCLUSIVE", NULL, NULL, NULL) == SQLITE_OK ? 'y' : 'n';
      if (write (ready[1], &ok, 1) != 1)
        _exit (1);
      while (read (release[0], &c, 1) > 0)
        ;
      sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
      sqlite3_close (db);
      _exit (0);
    }

  close (ready[1]);
  close (release[0]);
  g_assert_cmpint (read (ready[0], &answer, 1), ==, 1);
  close (ready[0]);
  g_assert_cmpint (answer, ==, 'y');

  *release_fd = release[1];
  return pid;
}

static void
test_locked (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(CrCursorSnapshot) s = NULL;
  gint64 start, elapsed;
  int release_fd = -1;
  int status = 0;
  pid_t pid;

  cr_test_cursor_make_db (f->db, full_settings, CR_TEST_AS_TEXT, CR_TEST_CURSOR_NEW_KEY_ROW);
  pid = hold_exclusive_lock (f->db, &release_fd);

  start = g_get_monotonic_time ();
  s = read_path (f->db);
  elapsed = g_get_monotonic_time () - start;
  assert_unreadable (s, CR_CURSOR_PROBLEM_BUSY);
  g_assert_cmpstr (s->reason, ==, "Cursor is busy writing its settings; try again.");
  /* Waited a little for the writer, then gave up: no hang. */
  g_assert_cmpint (elapsed, >=, CR_CURSOR_BUSY_TIMEOUT * 1000 / 2);
  g_assert_cmpint (elapsed, <, 5 * G_USEC_PER_SEC);
  g_clear_pointer (&s, cr_cursor_snapshot_free);

  close (release_fd);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);

  /* Once the writer is done, the same file reads fine. */
  s = read_path (f->db);
  assert_full_settings (s);
  g_assert_true (s->key_present);
}

/* ---- Read-only, truly ---------------------------------------------------- */

static char **
list_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  g_ptr_array_add (names, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

static void
assert_untouched_by_read (Fixture *f)
{
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_auto(GStrv) files_before = list_dir (f->dir);
  g_auto(GStrv) files_after = NULL;
  g_autoptr(CrCursorSnapshot) s = NULL;
  gsize len_before, len_after;
  struct stat st_before, st_after;

  g_assert_true (g_file_get_contents (f->db, &before, &len_before, NULL));
  g_assert_cmpint (stat (f->db, &st_before), ==, 0);

  s = read_path (f->db);
  assert_full_settings (s);

  g_assert_true (g_file_get_contents (f->db, &after, &len_after, NULL));
  g_assert_cmpint (stat (f->db, &st_after), ==, 0);
  g_assert_cmpmem (before, len_before, after, len_after);
  g_assert_cmpint (st_before.st_mtim.tv_sec, ==, st_after.st_mtim.tv_sec);
  g_assert_cmpint (st_before.st_mtim.tv_nsec, ==, st_after.st_mtim.tv_nsec);

  /* No journal, -wal or -shm left beside it. */
  files_after = list_dir (f->dir);
  g_assert_true (g_strv_equal ((const char * const *) files_before,
                               (const char * const *) files_after));
}

static void
test_read_only (Fixture       *f,
                gconstpointer  data)
{
  cr_test_cursor_make_db (f->db, full_settings, CR_TEST_AS_TEXT, CR_TEST_CURSOR_OLD_KEY_ROW);
  assert_untouched_by_read (f);
}

static void
test_wal (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *settings = cr_test_json (full_settings);
  g_autofree char *wal = g_strconcat (f->db, "-wal", NULL);
  g_autoptr(CrCursorSnapshot) s = NULL;
  sqlite3 *db = cr_test_db_create (f->db);

  /* Newer VS Code builds keep the database in WAL mode. Closed cleanly, it
   * has no -wal file, and reading must not create one. */
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL), ==, SQLITE_OK);
  cr_test_db_put (db, CR_CURSOR_SETTINGS_KEY, settings, -1, CR_TEST_AS_BLOB);
  cr_test_db_close (db);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  assert_untouched_by_read (f);

  /* While "Cursor" has it open, the latest commit lives in the -wal file. */
  g_assert_cmpint (sqlite3_open (f->db, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA wal_autocheckpoint=0", NULL, NULL, NULL), ==, SQLITE_OK);
  {
    g_autofree char *off = cr_test_json ("{'useOpenAIKey': false}");
    cr_test_db_put (db, CR_CURSOR_SETTINGS_KEY, off, -1, CR_TEST_AS_TEXT);
  }
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
  s = read_path (f->db);
  g_assert_cmpint (s->status, ==, CR_CURSOR_FOUND);
  g_assert_cmpint (s->use_openai_key, ==, CR_CURSOR_OFF);
  cr_test_db_close (db);
}

/* ---- Version -------------------------------------------------------------- */

static CrCursorSnapshot *
read_with_roots (Fixture            *f,
                 const char * const *roots)
{
  g_autoptr(GError) error = NULL;
  CrCursorSnapshot *s = cr_cursor_read (f->db, roots, NULL, &error);

  g_assert_no_error (error);
  return s;
}

static void
test_version (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *deb = g_build_filename (f->dir, "usr-share-cursor", NULL);
  g_autofree char *old = g_build_filename (f->dir, "opt-cursor", NULL);
  g_autofree char *odd = g_build_filename (f->dir, "odd", NULL);
  g_autofree char *big = g_build_filename (f->dir, "big", NULL);
  g_autofree char *none = g_build_filename (f->dir, "nothing-here", NULL);
  g_autoptr(CrCursorSnapshot) s = NULL;

  /* product.json wins over package.cr_test_json (which may carry VS Code's version). */
  cr_test_cursor_write_app_json (deb, "product.json", "{'nameShort': 'Cursor', 'version': '1.4.2', 'vscodeVersion': '1.99.3'}");
  cr_test_cursor_write_app_json (deb, "package.json", "{'name': 'Cursor', 'version': '1.99.3'}");
  cr_test_cursor_write_app_json (old, "package.json", "{'name': 'Cursor', 'version': '0.42.3'}");
  cr_test_cursor_write_app_json (odd, "product.json", "{'version': 7}");
  cr_test_cursor_write_app_json (odd, "package.json", "{'version': '1.0; rm -rf /'}");
  {
    g_autoptr(GString) padded = g_string_new ("{'version': '9.9.9', 'pad': '");
    while (padded->len <= CR_CURSOR_MAX_JSON_FILE)
      g_string_append (padded, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
    g_string_append (padded, "'}");
    cr_test_cursor_write_app_json (big, "product.json", padded->str);
  }

  /* Version is looked up even when there is no database. */
  s = read_with_roots (f, (const char * const[]) { none, deb, old, NULL });
  g_assert_cmpint (s->status, ==, CR_CURSOR_NOT_INSTALLED);
  g_assert_cmpstr (s->version, ==, "1.4.2");
  g_assert_cmpstr (s->install_root, ==, deb);
  g_clear_pointer (&s, cr_cursor_snapshot_free);

  s = read_with_roots (f, (const char * const[]) { old, deb, NULL });
  g_assert_cmpstr (s->version, ==, "0.42.3");
  g_assert_cmpstr (s->install_root, ==, old);
  g_clear_pointer (&s, cr_cursor_snapshot_free);

  /* Unusable versions and files over the cap are passed over. */
  s = read_with_roots (f, (const char * const[]) { odd, big, old, NULL });
  g_assert_cmpstr (s->version, ==, "0.42.3");
  g_clear_pointer (&s, cr_cursor_snapshot_free);

  s = read_with_roots (f, (const char * const[]) { odd, big, none, NULL });
  g_assert_null (s->version);
  g_assert_null (s->install_root);
  g_clear_pointer (&s, cr_cursor_snapshot_free);

  /* Alongside a database that reads fine. */
  cr_test_cursor_make_db (f->db, full_settings, CR_TEST_AS_TEXT, NULL);
  s = read_with_roots (f, (const char * const[]) { deb, NULL });
  assert_full_settings (s);
  g_assert_cmpstr (s->version, ==, "1.4.2");
}

static void
test_default_roots (void)
{
  g_auto(GStrv) roots = cr_cursor_default_install_roots ();
  g_autofree char *local = g_build_filename (g_get_home_dir (), ".local", "share", "cursor", NULL);

  g_assert_true (g_strv_contains ((const char * const *) roots, "/usr/share/cursor"));
  g_assert_true (g_strv_contains ((const char * const *) roots, "/opt/Cursor"));
  g_assert_true (g_strv_contains ((const char * const *) roots, "/opt/cursor"));
  g_assert_true (g_strv_contains ((const char * const *) roots, "/usr/lib/cursor"));
  g_assert_true (g_strv_contains ((const char * const *) roots, local));
}

/* ---- Async ---------------------------------------------------------------- */

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  g_assert_null (source);
  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

static void
test_async (Fixture       *f,
            gconstpointer  data)
{
  const char * const no_roots[] = { NULL };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(CrCursorSnapshot) s = NULL;
  g_autoptr(GError) error = NULL;

  cr_test_cursor_make_db (f->db, full_settings, CR_TEST_AS_BLOB, CR_TEST_CURSOR_NEW_KEY_ROW);

  cr_cursor_read_async (f->db, no_roots, NULL, on_read, &result);
  s = cr_cursor_read_finish (wait_for (&result), &error);
  g_assert_no_error (error);
  assert_full_settings (s);
  g_assert_true (s->key_present);
  g_clear_object (&result);
  g_clear_pointer (&s, cr_cursor_snapshot_free);

  /* Not installed is an answer, not an error. */
  {
    g_autofree char *missing = g_build_filename (f->dir, "missing.vscdb", NULL);

    cr_cursor_read_async (missing, no_roots, NULL, on_read, &result);
    s = cr_cursor_read_finish (wait_for (&result), &error);
    g_assert_no_error (error);
    g_assert_cmpint (s->status, ==, CR_CURSOR_NOT_INSTALLED);
    g_clear_object (&result);
    g_clear_pointer (&s, cr_cursor_snapshot_free);
  }

  g_cancellable_cancel (cancellable);
  cr_cursor_read_async (f->db, no_roots, cancellable, on_read, &result);
  s = cr_cursor_read_finish (wait_for (&result), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (s);
  g_clear_error (&error);

  /* The sync call says the same. */
  s = cr_cursor_read (f->db, no_roots, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (s);
}

/* ---- Comparing and remembering ------------------------------------------ */

static CrCursorSnapshot *
found_snapshot (void)
{
  CrCursorSnapshot *s = cr_cursor_snapshot_new ();
  const char *enabled[] = { "claude-sonnet-4-6", "gpt-5.4", NULL };
  const char *disabled[] = { "o3", NULL };
  const char *custom[] = { "gpt-5.4", NULL };

  s->status = CR_CURSOR_FOUND;
  s->problem = CR_CURSOR_PROBLEM_NONE;
  s->path = g_strdup ("/somewhere/state.vscdb");
  s->version = g_strdup ("1.4.2");
  s->install_root = g_strdup ("/opt/cursor");
  s->settings_found = TRUE;
  s->key_present = TRUE;
  s->use_openai_key = CR_CURSOR_ON;
  s->openai_base_url = g_strdup ("https://crazyrouter.com/v1");
  s->models_known = TRUE;
  g_strfreev (s->enabled_models);
  g_strfreev (s->disabled_models);
  g_strfreev (s->custom_models);
  s->enabled_models = g_strdupv ((char **) enabled);
  s->disabled_models = g_strdupv ((char **) disabled);
  s->custom_models = g_strdupv ((char **) custom);
  return s;
}

static void
test_compare (void)
{
  g_autoptr(CrCursorSnapshot) a = found_snapshot ();
  g_autoptr(CrCursorSnapshot) b = cr_cursor_snapshot_copy (a);
  g_autoptr(CrCursorSnapshot) missing = cr_cursor_snapshot_new ();

  g_assert_cmpint (cr_cursor_snapshot_compare (a, b), ==, CR_CURSOR_CHANGED_NONE);
  /* Where it was read from is not a fact about the settings. */
  g_free (b->path);
  b->path = g_strdup ("/elsewhere/state.vscdb");
  g_assert_cmpint (cr_cursor_snapshot_compare (a, b), ==, CR_CURSOR_CHANGED_NONE);

  /* An update that switched the key off and dropped a model. */
  g_free (b->version);
  b->version = g_strdup ("1.5.0");
  b->use_openai_key = CR_CURSOR_OFF;
  g_free (b->enabled_models[1]);
  b->enabled_models[1] = NULL;
  g_assert_cmpint (cr_cursor_snapshot_compare (a, b), ==,
                   CR_CURSOR_CHANGED_VERSION | CR_CURSOR_CHANGED_USE_OPENAI_KEY |
                   CR_CURSOR_CHANGED_ENABLED_MODELS);

  g_clear_pointer (&b, cr_cursor_snapshot_free);
  b = cr_cursor_snapshot_copy (a);
  b->key_present = FALSE;
  g_free (b->openai_base_url);
  b->openai_base_url = g_strdup ("https://crazyrouter.com/v1/");
  g_strfreev (b->custom_models);
  b->custom_models = g_new0 (char *, 1);
  g_assert_cmpint (cr_cursor_snapshot_compare (a, b), ==,
                   CR_CURSOR_CHANGED_KEY_PRESENT | CR_CURSOR_CHANGED_BASE_URL |
                   CR_CURSOR_CHANGED_CUSTOM_MODELS);

  /* The override switched off. */
  g_clear_pointer (&b->openai_base_url, g_free);
  g_assert_true (cr_cursor_snapshot_compare (a, b) & CR_CURSOR_CHANGED_BASE_URL);

  /* Against a snapshot that could not be read, only status and version count. */
  g_assert_cmpint (cr_cursor_snapshot_compare (a, missing), ==,
                   CR_CURSOR_CHANGED_STATUS | CR_CURSOR_CHANGED_VERSION);
  missing->version = g_strdup ("1.4.2");
  g_assert_cmpint (cr_cursor_snapshot_compare (missing, a), ==, CR_CURSOR_CHANGED_STATUS);
}

static void
test_variant (void)
{
  g_autoptr(CrCursorSnapshot) a = found_snapshot ();
  g_autoptr(CrCursorSnapshot) back = NULL;
  g_autoptr(GVariant) facts = NULL;
  g_autoptr(GVariant) again = NULL;
  const char *s;

  facts = g_variant_ref_sink (cr_cursor_snapshot_to_variant (a));
  g_assert_true (g_variant_is_of_type (facts, G_VARIANT_TYPE (CR_CURSOR_FACTS_TYPE)));
  /* The path is not remembered (it names the user's home). */
  g_assert_false (g_variant_lookup (facts, "path", "&s", &s));

  back = cr_cursor_snapshot_from_variant (facts);
  g_assert_nonnull (back);
  g_assert_cmpint (cr_cursor_snapshot_compare (a, back), ==, CR_CURSOR_CHANGED_NONE);
  g_assert_null (back->path);
  g_assert_null (back->reason);
  g_assert_cmpint (back->models_known, ==, a->models_known);
  g_assert_true (back->settings_found);
  g_assert_true (g_strv_equal ((const char * const *) back->disabled_models,
                               (const char * const *) a->disabled_models));
  again = g_variant_ref_sink (cr_cursor_snapshot_to_variant (back));
  g_assert_true (g_variant_equal (facts, again));
  g_clear_pointer (&back, cr_cursor_snapshot_free);
  g_clear_pointer (&again, g_variant_unref);

  /* An unreadable snapshot keeps its problem and gets its reason back. */
  {
    g_autoptr(CrCursorSnapshot) busy = cr_cursor_snapshot_new ();
    g_autoptr(GVariant) v = NULL;

    busy->status = CR_CURSOR_UNREADABLE;
    busy->problem = CR_CURSOR_PROBLEM_BUSY;
    busy->version = g_strdup ("1.4.2");
    v = g_variant_ref_sink (cr_cursor_snapshot_to_variant (busy));
    g_assert_false (g_variant_lookup (v, "enabled-models", "^a&s", NULL));
    back = cr_cursor_snapshot_from_variant (v);
    g_assert_cmpint (back->status, ==, CR_CURSOR_UNREADABLE);
    g_assert_cmpint (back->problem, ==, CR_CURSOR_PROBLEM_BUSY);
    g_assert_cmpstr (back->reason, ==, "Cursor is busy writing its settings; try again.");
    g_assert_cmpstr (back->version, ==, "1.4.2");
    g_clear_pointer (&back, cr_cursor_snapshot_free);
  }

  /* Not ours, or from a newer format: nothing. */
  {
    g_autoptr(GVariant) wrong = g_variant_ref_sink (g_variant_new_string ("found"));
    g_autoptr(GVariant) newer = g_variant_ref_sink (g_variant_new_parsed ("{'format': <uint32 2>, 'status': <'found'>}"));
    g_autoptr(GVariant) no_status = g_variant_ref_sink (g_variant_new_parsed ("{'format': <uint32 1>}"));
    g_autoptr(GVariant) bad_status = g_variant_ref_sink (g_variant_new_parsed ("{'format': <uint32 1>, 'status': <'gone'>}"));
    g_autoptr(GVariant) empty = g_variant_ref_sink (g_variant_new_parsed ("@a{sv} {}"));

    g_assert_null (cr_cursor_snapshot_from_variant (wrong));
    g_assert_null (cr_cursor_snapshot_from_variant (newer));
    g_assert_null (cr_cursor_snapshot_from_variant (no_status));
    g_assert_null (cr_cursor_snapshot_from_variant (bad_status));
    g_assert_null (cr_cursor_snapshot_from_variant (empty));
  }

  /* Mistyped entries are skipped, bad names dropped, the rest kept. */
  {
    g_autoptr(GVariant) odd = g_variant_ref_sink (g_variant_new_parsed (
      "{'format': <uint32 1>, 'status': <'found'>, 'version': <'not a version'>,"
      " 'key-present': <'yes'>, 'use-openai-key': <'sideways'>, 'base-url': <42>,"
      " 'enabled-models': <['gpt-5.4', '', 'gpt-5.4', 'a\\nb']>, 'custom-models': <[1, 2]>,"
      " 'models-known': <true>}"));

    back = cr_cursor_snapshot_from_variant (odd);
    g_assert_nonnull (back);
    g_assert_cmpint (back->status, ==, CR_CURSOR_FOUND);
    g_assert_null (back->version);
    g_assert_false (back->key_present);
    g_assert_cmpint (back->use_openai_key, ==, CR_CURSOR_UNKNOWN);
    g_assert_null (back->openai_base_url);
    g_assert_true (back->models_known);
    assert_strv (back->enabled_models, "gpt-5.4", NULL);
    assert_strv (back->custom_models, NULL);
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define FIXTURE_TEST(path, func) \
  g_test_add ("/cursor/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  FIXTURE_TEST ("missing", test_missing);
  FIXTURE_TEST ("candidates", test_candidates);
  FIXTURE_TEST ("text-and-blob", test_text_and_blob);
  FIXTURE_TEST ("toggle", test_toggle);
  FIXTURE_TEST ("base-url", test_base_url);
  FIXTURE_TEST ("models", test_models);
  FIXTURE_TEST ("custom-models", test_custom_models);
  FIXTURE_TEST ("wrong-types", test_wrong_types);
  FIXTURE_TEST ("not-json", test_not_json);
  FIXTURE_TEST ("missing-row-and-table", test_missing_row_and_table);
  FIXTURE_TEST ("key-rows", test_key_rows);
  FIXTURE_TEST ("key-never-leaks", test_key_never_leaks);
  g_test_add_func ("/cursor/redact-url", test_redact_url);
  FIXTURE_TEST ("huge-value", test_huge_value);
  FIXTURE_TEST ("not-database", test_not_database);
  FIXTURE_TEST ("permission", test_permission);
  FIXTURE_TEST ("locked", test_locked);
  FIXTURE_TEST ("read-only", test_read_only);
  FIXTURE_TEST ("wal", test_wal);
  FIXTURE_TEST ("version", test_version);
  g_test_add_func ("/cursor/default-roots", test_default_roots);
  FIXTURE_TEST ("async", test_async);
  g_test_add_func ("/cursor/compare", test_compare);
  g_test_add_func ("/cursor/variant", test_variant);

  return g_test_run ();
}
