/* cr-cursor-files.c: where Cursor is, and reading its small files safely
 *
 * Files are opened without blocking, only when regular, and read up to a
 * cap; Cursor's version comes from its install's product.json or
 * package.json; the database is looked for where Cursor keeps it. Part of
 * the Cursor reader (see cr-cursor.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "cr-cursor-private.h"

#define MAX_VERSION      64

/* ---- Small, capped readers ------------------------------------------- */

/* Opens without blocking on a FIFO and refuses anything but a regular file. */
int
_cr_cursor_open_regular (const char  *path,
                         int         *saved_errno,
                         struct stat *st)
{
  int fd = g_open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC, 0);

  if (fd < 0)
    {
      *saved_errno = errno;
      return -1;
    }
  if (fstat (fd, st) != 0 || !S_ISREG (st->st_mode))
    {
      *saved_errno = EINVAL;
      close (fd);
      return -1;
    }

  return fd;
}

gssize
_cr_cursor_read_full (int    fd,
                      char  *buffer,
                      gsize  size)
{
  gsize done = 0;

  while (done < size)
    {
      gssize n = read (fd, buffer + done, size - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return -1;
      if (n == 0)
        break;
      done += n;
    }

  return done;
}

/* The whole file if it is at most @cap bytes, else NULL. */
static char *
read_file_capped (const char *path,
                  gsize       cap,
                  gsize      *length)
{
  g_autofree char *data = NULL;
  struct stat st;
  int saved_errno;
  gssize n;
  int fd;

  fd = _cr_cursor_open_regular (path, &saved_errno, &st);
  if (fd < 0)
    return NULL;
  if ((guint64) st.st_size > cap)
    {
      close (fd);
      return NULL;
    }

  /* One byte more than the cap tells a file that grew meanwhile. */
  data = g_malloc (cap + 1);
  n = _cr_cursor_read_full (fd, data, cap + 1);
  close (fd);
  if (n < 0 || (gsize) n > cap)
    return NULL;

  *length = n;
  return g_steal_pointer (&data);
}

/* ---- Version ---------------------------------------------------------- */

gboolean
_cr_cursor_version_valid (const char *version)
{
  gsize len = version ? strlen (version) : 0;

  if (len == 0 || len > MAX_VERSION || !g_ascii_isdigit (version[0]))
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (version[i]) && strchr (".-+_", version[i]) == NULL)
      return FALSE;

  return TRUE;
}

static char *
version_in_file (const char *path)
{
  g_autofree char *data = NULL;
  g_autoptr(JsonObject) object = NULL;
  const char *version;
  gsize length;

  data = read_file_capped (path, CR_CURSOR_MAX_JSON_FILE, &length);
  if (data == NULL)
    return NULL;
  object = _cr_cursor_parse_json_object (data, length);
  if (object == NULL)
    return NULL;

  version = _cr_cursor_member_string (object, "version");
  return _cr_cursor_version_valid (version) ? g_strdup (version) : NULL;
}

void
_cr_cursor_find_version (CrCursorSnapshot   *self,
                         const char * const *roots)
{
  /* Newer builds carry Cursor's own version in product.json, older ones
   * only in package.json. */
  static const char * const files[] = { "product.json", "package.json" };

  for (gsize i = 0; roots != NULL && roots[i] != NULL; i++)
    for (gsize j = 0; j < G_N_ELEMENTS (files); j++)
      {
        g_autofree char *path = g_build_filename (roots[i], "resources", "app", files[j], NULL);
        char *version = version_in_file (path);

        if (version != NULL)
          {
            self->version = version;
            self->install_root = g_strdup (roots[i]);
            return;
          }
      }
}

/* A running AppImage is mounted at $TMPDIR/.mount_cursorXXXXXX. */
static void
add_appimage_mounts (GPtrArray *roots)
{
  const char *tmp = g_get_tmp_dir ();
  g_autoptr(GDir) dir = g_dir_open (tmp, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_ascii_strncasecmp (name, ".mount_cursor", strlen (".mount_cursor")) == 0)
      {
        g_ptr_array_add (roots, g_build_filename (tmp, name, "usr", "share", "cursor", NULL));
        g_ptr_array_add (roots, g_build_filename (tmp, name, NULL));
      }
}

GStrv
cr_cursor_default_install_roots (void)
{
  GPtrArray *roots = g_ptr_array_new ();

  add_appimage_mounts (roots);
  g_ptr_array_add (roots, g_strdup ("/usr/share/cursor"));
  g_ptr_array_add (roots, g_strdup ("/opt/Cursor"));
  g_ptr_array_add (roots, g_strdup ("/opt/cursor"));
  g_ptr_array_add (roots, g_strdup ("/usr/lib/cursor"));
  g_ptr_array_add (roots, g_build_filename (g_get_home_dir (), ".local", "share", "cursor", NULL));
  g_ptr_array_add (roots, NULL);

  return (GStrv) g_ptr_array_free (roots, FALSE);
}

/* ---- Where the database is ------------------------------------------- */

static void
add_unique (GPtrArray *array,
            char      *path)
{
  for (guint i = 0; i < array->len; i++)
    if (g_strcmp0 (g_ptr_array_index (array, i), path) == 0)
      {
        g_free (path);
        return;
      }

  g_ptr_array_add (array, path);
}

GStrv
cr_cursor_database_candidates (const char *config_path)
{
  GPtrArray *paths = g_ptr_array_new ();

  if (config_path != NULL && *config_path != '\0')
    {
      if (g_str_has_suffix (config_path, ".vscdb") ||
          g_file_test (config_path, G_FILE_TEST_IS_REGULAR))
        add_unique (paths, g_strdup (config_path));
      else
        {
          add_unique (paths, g_build_filename (config_path, "User", "globalStorage", "state.vscdb", NULL));
          add_unique (paths, g_build_filename (config_path, "state.vscdb", NULL));
        }
    }
  else
    {
      /* Read the environment now, not g_get_user_config_dir()'s cache; in a
       * Flatpak, XDG_CONFIG_HOME is the sandbox's own folder. */
      const char *bases[] = {
        g_getenv ("XDG_CONFIG_HOME"),
        g_getenv ("HOST_XDG_CONFIG_HOME"),
        NULL,
      };
      g_autofree char *home_config = g_build_filename (g_get_home_dir (), ".config", NULL);

      bases[2] = home_config;
      for (gsize i = 0; i < G_N_ELEMENTS (bases); i++)
        {
          if (bases[i] == NULL || !g_path_is_absolute (bases[i]))
            continue;
          add_unique (paths, g_build_filename (bases[i], "Cursor", "User", "globalStorage", "state.vscdb", NULL));
          add_unique (paths, g_build_filename (bases[i], "cursor", "User", "globalStorage", "state.vscdb", NULL));
        }
    }

  g_ptr_array_add (paths, NULL);
  return (GStrv) g_ptr_array_free (paths, FALSE);
}

/* Something is there (even if we may not read it). */
gboolean
_cr_cursor_path_exists (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 || (errno != ENOENT && errno != ENOTDIR);
}
