/* cr-cursor-database.c: reading Cursor's state.vscdb with SQLite
 *
 * Read-only and never beside the file (see database_uri()); the key row is
 * only asked about, never read. cr_cursor_read_async() does the same in a
 * worker thread. Part of the Cursor reader (see cr-cursor.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "cr-cursor-private.h"

static const char * const key_rows[] = {
  "cursorAuth/openAIKey",          /* older builds, plain */
  "secret://cursorAuth/openAIKey", /* newer builds, encrypted */
};

/* ---- The database ----------------------------------------------------- */

static CrCursorProblem
problem_from_errno (int saved_errno)
{
  switch (saved_errno)
    {
    case ENOENT:
    case ENOTDIR:
      return CR_CURSOR_PROBLEM_MISSING;
    case EACCES:
    case EPERM:
      return CR_CURSOR_PROBLEM_PERMISSION;
    case EINVAL:   /* not a regular file */
      return CR_CURSOR_PROBLEM_NOT_DATABASE;
    default:
      return CR_CURSOR_PROBLEM_IO;
    }
}

/* Looks at the file's 100-byte header before SQLite does: tells a missing,
 * empty, cut-off or foreign file apart, and whether it is in WAL mode. */
static CrCursorProblem
check_header (const char *path,
              gboolean   *wal)
{
  static const char magic[16] = "SQLite format 3";  /* with its NUL */
  char header[100];
  struct stat st;
  int saved_errno;
  gssize n;
  int fd;

  fd = _cr_cursor_open_regular (path, &saved_errno, &st);
  if (fd < 0)
    return problem_from_errno (saved_errno);

  n = _cr_cursor_read_full (fd, header, sizeof header);
  close (fd);
  if (n < 0)
    return CR_CURSOR_PROBLEM_IO;
  if (n == 0)
    return CR_CURSOR_PROBLEM_CORRUPT;
  if (memcmp (header, magic, MIN ((gsize) n, sizeof magic)) != 0)
    return CR_CURSOR_PROBLEM_NOT_DATABASE;
  if ((gsize) n < sizeof header)
    return CR_CURSOR_PROBLEM_CORRUPT;

  *wal = header[18] == 2 && header[19] == 2;
  return CR_CURSOR_PROBLEM_NONE;
}

static CrCursorProblem
problem_from_sqlite (sqlite3 *db,
                     int      rc)
{
  switch (rc & 0xff)
    {
    case SQLITE_OK:
    case SQLITE_ROW:
    case SQLITE_DONE:
      return CR_CURSOR_PROBLEM_NONE;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return CR_CURSOR_PROBLEM_BUSY;
    case SQLITE_NOTADB:
      return CR_CURSOR_PROBLEM_NOT_DATABASE;
    case SQLITE_CORRUPT:
      return CR_CURSOR_PROBLEM_CORRUPT;
    case SQLITE_READONLY:  /* a hot journal or WAL needs recovery, which writes */
      return CR_CURSOR_PROBLEM_NEEDS_RECOVERY;
    case SQLITE_TOOBIG:
      return CR_CURSOR_PROBLEM_TOO_LARGE;
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return CR_CURSOR_PROBLEM_PERMISSION;
    case SQLITE_ERROR:     /* no such table or column: not the layout we know */
      return CR_CURSOR_PROBLEM_UNEXPECTED;
    case SQLITE_CANTOPEN:
      return db ? problem_from_errno (sqlite3_system_errno (db)) : CR_CURSOR_PROBLEM_IO;
    default:
      return CR_CURSOR_PROBLEM_IO;
    }
}

static CrCursorProblem
report_sqlite (sqlite3 *db,
               int      rc)
{
  g_debug ("Reading Cursor’s settings: %s (%d)",
           db ? sqlite3_errmsg (db) : sqlite3_errstr (rc), rc);
  return problem_from_sqlite (db, rc);
}

static CrCursorProblem
check_table (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db,
                           "SELECT 1 FROM sqlite_master"
                           " WHERE type = 'table' AND name = 'ItemTable'",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);

  if (rc == SQLITE_DONE)
    return CR_CURSOR_PROBLEM_UNEXPECTED;
  return rc == SQLITE_ROW ? CR_CURSOR_PROBLEM_NONE : report_sqlite (db, rc);
}

/* Asks SQLite whether a non-empty key row exists; the value itself never
 * reaches our code. */
static CrCursorProblem
check_key (sqlite3  *db,
           gboolean *present)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db,
                           "SELECT EXISTS (SELECT 1 FROM ItemTable"
                           " WHERE key IN (?1, ?2) AND length(value) > 0)",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, key_rows[0], -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, key_rows[1], -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
    }
  if (rc == SQLITE_ROW)
    *present = sqlite3_column_int (stmt, 0) != 0;
  sqlite3_finalize (stmt);

  return rc == SQLITE_ROW ? CR_CURSOR_PROBLEM_NONE : report_sqlite (db, rc);
}

/* Decodes the settings row, TEXT or BLOB, while @stmt still holds it. */
static CrCursorProblem
decode_settings (CrCursorSnapshot *self,
                 sqlite3_stmt     *stmt)
{
  const char *data;
  gsize length;

  if (sqlite3_column_int (stmt, 1))
    return CR_CURSOR_PROBLEM_TOO_LARGE;

  switch (sqlite3_column_type (stmt, 0))
    {
    case SQLITE_TEXT:
      data = (const char *) sqlite3_column_text (stmt, 0);
      break;
    case SQLITE_BLOB:
      data = sqlite3_column_blob (stmt, 0);
      break;
    default:
      return CR_CURSOR_PROBLEM_UNEXPECTED;
    }
  length = sqlite3_column_bytes (stmt, 0);
  if (length > CR_CURSOR_MAX_VALUE)  /* a text of multi-byte characters */
    return CR_CURSOR_PROBLEM_TOO_LARGE;

  if (!cr_cursor_parse_settings (data ? data : "", length, self))
    return CR_CURSOR_PROBLEM_UNEXPECTED;

  return CR_CURSOR_PROBLEM_NONE;
}

/* length() of a BLOB comes from the record header, so a huge value is
 * refused before it is loaded. */
static CrCursorProblem
read_settings_row (CrCursorSnapshot *self,
                   sqlite3          *db)
{
  CrCursorProblem problem = CR_CURSOR_PROBLEM_NONE;
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db,
                           "SELECT CASE WHEN length(value) > ?2 THEN NULL ELSE value END,"
                           " length(value) > ?2"
                           " FROM ItemTable WHERE key = ?1 LIMIT 1",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, CR_CURSOR_SETTINGS_KEY, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, CR_CURSOR_MAX_VALUE);
      rc = sqlite3_step (stmt);
    }

  if (rc == SQLITE_ROW)
    problem = decode_settings (self, stmt);
  else if (rc != SQLITE_DONE)  /* DONE: Cursor has not saved these settings yet */
    problem = report_sqlite (db, rc);
  sqlite3_finalize (stmt);

  return problem;
}

static int
check_cancelled (void *user_data)
{
  return g_cancellable_is_cancelled (user_data);
}

static char *
database_uri (const char *path,
              gboolean    wal)
{
  g_autofree char *absolute = g_canonicalize_filename (path, NULL);
  g_autofree char *wal_path = g_strconcat (absolute, "-wal", NULL);
  g_autofree char *uri = g_filename_to_uri (absolute, NULL, NULL);

  if (uri == NULL)
    return NULL;

  /* A read-only connection to a WAL database creates -wal and -shm files
   * beside it and leaves them there. Without a -wal file no one has the
   * database open, so nothing can change under us and it may be read as
   * immutable, touching nothing. Otherwise (Cursor running, or the usual
   * rollback journal) mode=ro sees what was committed last. */
  if (wal && !_cr_cursor_path_exists (wal_path))
    return g_strconcat (uri, "?mode=ro&immutable=1", NULL);

  return g_strconcat (uri, "?mode=ro", NULL);
}

static CrCursorProblem
read_database (CrCursorSnapshot *self,
               const char       *path,
               GCancellable     *cancellable)
{
  CrCursorProblem problem;
  g_autofree char *uri = NULL;
  gboolean wal = FALSE;
  gboolean key_present = FALSE;
  sqlite3 *db = NULL;
  int rc;

  problem = check_header (path, &wal);
  if (problem != CR_CURSOR_PROBLEM_NONE)
    return problem;

  uri = database_uri (path, wal);
  if (uri == NULL)
    return CR_CURSOR_PROBLEM_IO;

  rc = sqlite3_open_v2 (uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
  if (rc != SQLITE_OK)
    {
      problem = report_sqlite (db, rc);
      sqlite3_close_v2 (db);
      return problem;
    }

  sqlite3_busy_timeout (db, CR_CURSOR_BUSY_TIMEOUT);
  if (cancellable != NULL)
    sqlite3_progress_handler (db, 1000, check_cancelled, cancellable);

  problem = check_table (db);
  if (problem == CR_CURSOR_PROBLEM_NONE)
    problem = check_key (db, &key_present);
  if (problem == CR_CURSOR_PROBLEM_NONE)
    problem = read_settings_row (self, db);
  if (problem == CR_CURSOR_PROBLEM_NONE)
    self->key_present = key_present;

  sqlite3_close_v2 (db);
  return problem;
}

static void
clear_settings (CrCursorSnapshot *self)
{
  g_autoptr(CrCursorSnapshot) blank = cr_cursor_snapshot_new ();

  self->settings_found = FALSE;
  self->key_present = FALSE;
  self->use_openai_key = CR_CURSOR_UNKNOWN;
  self->models_known = FALSE;
  g_clear_pointer (&self->openai_base_url, g_free);
  g_strfreev (self->enabled_models);
  g_strfreev (self->disabled_models);
  g_strfreev (self->custom_models);
  self->enabled_models = g_steal_pointer (&blank->enabled_models);
  self->disabled_models = g_steal_pointer (&blank->disabled_models);
  self->custom_models = g_steal_pointer (&blank->custom_models);
}

static CrCursorSnapshot *
read_snapshot (const char * const *candidates,
               const char * const *install_roots,
               GCancellable       *cancellable,
               GError            **error)
{
  g_autoptr(CrCursorSnapshot) self = cr_cursor_snapshot_new ();
  CrCursorProblem problem;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  _cr_cursor_find_version (self, install_roots);

  for (gsize i = 0; candidates[i] != NULL && self->path == NULL; i++)
    if (_cr_cursor_path_exists (candidates[i]))
      self->path = g_strdup (candidates[i]);
  if (self->path == NULL)
    self->path = g_strdup (candidates[0]);

  problem = self->path ? read_database (self, self->path, cancellable)
                       : CR_CURSOR_PROBLEM_MISSING;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  if (problem != CR_CURSOR_PROBLEM_NONE)
    clear_settings (self);
  _cr_cursor_set_problem (self, problem);

  return g_steal_pointer (&self);
}

CrCursorSnapshot *
cr_cursor_read (const char          *config_path,
                const char * const  *install_roots,
                GCancellable        *cancellable,
                GError             **error)
{
  g_auto(GStrv) candidates = cr_cursor_database_candidates (config_path);
  g_auto(GStrv) default_roots = NULL;

  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (install_roots == NULL)
    install_roots = (const char * const *) (default_roots = cr_cursor_default_install_roots ());

  return read_snapshot ((const char * const *) candidates, install_roots, cancellable, error);
}

/* ---- Async ------------------------------------------------------------ */

typedef struct {
  GStrv candidates;
  GStrv install_roots;
} ReadData;

static void
read_data_free (ReadData *data)
{
  g_strfreev (data->candidates);
  g_strfreev (data->install_roots);
  g_free (data);
}

static void
read_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ReadData *data = task_data;
  GError *error = NULL;
  CrCursorSnapshot *snapshot;

  /* The default roots list the temporary folder: I/O, so done here. */
  if (data->install_roots == NULL)
    data->install_roots = cr_cursor_default_install_roots ();
  snapshot = read_snapshot ((const char * const *) data->candidates,
                            (const char * const *) data->install_roots,
                            cancellable, &error);
  if (snapshot == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, snapshot, (GDestroyNotify) cr_cursor_snapshot_free);
}

void
cr_cursor_read_async (const char          *config_path,
                      const char * const  *install_roots,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ReadData *data;

  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  /* The environment is read here, on the caller's thread. */
  data = g_new0 (ReadData, 1);
  data->candidates = cr_cursor_database_candidates (config_path);
  data->install_roots = g_strdupv ((GStrv) install_roots);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cr_cursor_read_async);
  g_task_set_name (task, "[cr] read Cursor settings");
  g_task_set_task_data (task, data, (GDestroyNotify) read_data_free);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, read_in_thread);
}

CrCursorSnapshot *
cr_cursor_read_finish (GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cr_cursor_read_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
