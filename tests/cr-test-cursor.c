/* cr-test-cursor.c: fixture Cursor profiles, built by the tests with SQLite
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "cr-cursor.h"
#include "cr-test-cursor.h"

void
cr_test_remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        cr_test_remove_tree (child);
      else
        g_unlink (child);
    }
  if (dir != NULL)
    g_dir_close (dir);
  g_rmdir (path);
}

char *
cr_test_json (const char *text)
{
  char *s = g_strdup (text);

  g_strdelimit (s, "'", '"');
  return s;
}

sqlite3 *
cr_test_db_create (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "CREATE TABLE IF NOT EXISTS ItemTable"
                                 " (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB)",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  return db;
}

void
cr_test_db_put (sqlite3       *db,
                const char    *key,
                const char    *value,
                gssize         length,
                CrTestStorage  storage)
{
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO ItemTable (key, value) VALUES (?, ?)",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (length < 0 && value != NULL)
    length = strlen (value);
  if (value == NULL)
    sqlite3_bind_null (stmt, 2);
  else if (storage == CR_TEST_AS_BLOB)
    sqlite3_bind_blob (stmt, 2, value, length, SQLITE_TRANSIENT);
  else
    sqlite3_bind_text (stmt, 2, value, length, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
}

void
cr_test_db_close (sqlite3 *db)
{
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

void
cr_test_cursor_make_db (const char    *path,
                        const char    *settings,
                        CrTestStorage  storage,
                        const char    *key_row)
{
  sqlite3 *db = cr_test_db_create (path);

  cr_test_db_put (db, "workbench.panel.aichat.view", "{}", -1, CR_TEST_AS_TEXT);
  if (settings != NULL)
    {
      g_autofree char *value = cr_test_json (settings);

      cr_test_db_put (db, CR_CURSOR_SETTINGS_KEY, value, -1, storage);
    }
  if (key_row != NULL)
    cr_test_db_put (db, key_row, CR_TEST_CURSOR_FAKE_KEY, -1, storage);
  cr_test_db_close (db);
}

char *
cr_test_cursor_make_profile (const char *config_dir,
                             const char *settings,
                             const char *key_row)
{
  g_autofree char *dir = g_build_filename (config_dir, "User", "globalStorage", NULL);
  char *path = g_build_filename (dir, "state.vscdb", NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_unlink (path);
  cr_test_cursor_make_db (path, settings, CR_TEST_AS_TEXT, key_row);
  return path;
}

void
cr_test_cursor_write_app_json (const char *root,
                               const char *name,
                               const char *contents)
{
  g_autofree char *dir = g_build_filename (root, "resources", "app", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *text = cr_test_json (contents);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

void
cr_test_cursor_make_install (const char *root,
                             const char *version)
{
  g_autofree char *product = g_strdup_printf ("{'nameShort': 'Cursor', 'version': '%s'}", version);

  cr_test_cursor_write_app_json (root, "product.json", product);
}
