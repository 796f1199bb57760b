/* cr-test-cursor.h: fixture Cursor profiles, built by the tests with SQLite
 *
 * Never a real user's file: every database here is made from scratch in a
 * temporary folder, with an obviously fake key.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* Obviously fake, and long enough to be masked as a key. */
#define CR_TEST_CURSOR_FAKE_KEY "sk-demo-cursor-fixture-not-a-real-key"
/* A recognisable part of it, that must not show up anywhere either. */
#define CR_TEST_CURSOR_FAKE_KEY_PART "fixture-not-a-real"

#define CR_TEST_CURSOR_OLD_KEY_ROW "cursorAuth/openAIKey"
#define CR_TEST_CURSOR_NEW_KEY_ROW "secret://cursorAuth/openAIKey"

typedef enum {
  CR_TEST_AS_TEXT,
  CR_TEST_AS_BLOB,
} CrTestStorage;

/* Removes a folder and everything in it (never following symlinks). */
void      cr_test_remove_tree         (const char    *path);
/* 'single quotes' read better in C; JSON wants double ones. */
char     *cr_test_json                (const char    *text);

sqlite3  *cr_test_db_create           (const char    *path);
/* @value NULL stores SQL NULL; @length -1 means strlen. */
void      cr_test_db_put              (sqlite3       *db,
                                       const char    *key,
                                       const char    *value,
                                       gssize         length,
                                       CrTestStorage  storage);
void      cr_test_db_close            (sqlite3       *db);

/* A state.vscdb at @path with the BYOK settings row (single-quoted JSON, or
 * NULL for none) and, when @key_row is not NULL, a key row holding the
 * fake key. */
void      cr_test_cursor_make_db      (const char    *path,
                                       const char    *settings,
                                       CrTestStorage  storage,
                                       const char    *key_row);
/* The same inside a Cursor config folder (@config_dir/User/globalStorage/
 * state.vscdb, folders made as needed); returns the database's path. */
char     *cr_test_cursor_make_profile (const char    *config_dir,
                                       const char    *settings,
                                       const char    *key_row);
/* An install root whose resources/app/product.json says @version. */
void      cr_test_cursor_make_install (const char    *root,
                                       const char    *version);
/* @root/resources/app/@name holding @contents (single-quoted JSON). */
void      cr_test_cursor_write_app_json (const char  *root,
                                       const char    *name,
                                       const char    *contents);

G_END_DECLS
