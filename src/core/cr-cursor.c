/* cr-cursor.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "cr-cursor"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "cr-cursor.h"
#include "cr-json.h"
#include "cr-models.h"

#define FACTS_FORMAT     1
#define MAX_NAME_BYTES   256    /* a model name */
#define MAX_LIST_ITEMS   4096   /* names kept per list */
#define MAX_URL_BYTES    4096
#define MAX_VERSION      64

static const char * const key_rows[] = {
  "cursorAuth/openAIKey",          /* older builds, plain */
  "secret://cursorAuth/openAIKey", /* newer builds, encrypted */
};

/* ---- The snapshot ---------------------------------------------------- */

G_DEFINE_BOXED_TYPE (CrCursorSnapshot, cr_cursor_snapshot,
                     cr_cursor_snapshot_copy, cr_cursor_snapshot_free)

static GStrv
empty_strv (void)
{
  return g_new0 (char *, 1);
}

CrCursorSnapshot *
cr_cursor_snapshot_new (void)
{
  CrCursorSnapshot *self = g_new0 (CrCursorSnapshot, 1);

  self->status = CR_CURSOR_NOT_INSTALLED;
  self->problem = CR_CURSOR_PROBLEM_MISSING;
  self->use_openai_key = CR_CURSOR_UNKNOWN;
  self->enabled_models = empty_strv ();
  self->disabled_models = empty_strv ();
  self->custom_models = empty_strv ();

  return self;
}

static GStrv
strv_copy_or_empty (GStrv strv)
{
  return strv ? g_strdupv (strv) : empty_strv ();
}

CrCursorSnapshot *
cr_cursor_snapshot_copy (const CrCursorSnapshot *snapshot)
{
  CrCursorSnapshot *copy;

  g_return_val_if_fail (snapshot != NULL, NULL);

  copy = g_memdup2 (snapshot, sizeof *snapshot);
  copy->reason = g_strdup (snapshot->reason);
  copy->path = g_strdup (snapshot->path);
  copy->version = g_strdup (snapshot->version);
  copy->install_root = g_strdup (snapshot->install_root);
  copy->openai_base_url = g_strdup (snapshot->openai_base_url);
  copy->enabled_models = strv_copy_or_empty (snapshot->enabled_models);
  copy->disabled_models = strv_copy_or_empty (snapshot->disabled_models);
  copy->custom_models = strv_copy_or_empty (snapshot->custom_models);

  return copy;
}

void
cr_cursor_snapshot_free (CrCursorSnapshot *snapshot)
{
  if (snapshot == NULL)
    return;

  g_free (snapshot->reason);
  g_free (snapshot->path);
  g_free (snapshot->version);
  g_free (snapshot->install_root);
  g_free (snapshot->openai_base_url);
  g_strfreev (snapshot->enabled_models);
  g_strfreev (snapshot->disabled_models);
  g_strfreev (snapshot->custom_models);
  g_free (snapshot);
}

static gboolean
strv_has (GStrv strv, const char *name)
{
  return strv != NULL && g_strv_contains ((const char * const *) strv, name);
}

CrCursorToggle
cr_cursor_snapshot_model_enabled (const CrCursorSnapshot *snapshot,
                                  const char             *model)
{
  g_return_val_if_fail (snapshot != NULL, CR_CURSOR_UNKNOWN);
  g_return_val_if_fail (model != NULL, CR_CURSOR_UNKNOWN);

  if (snapshot->status != CR_CURSOR_FOUND)
    return CR_CURSOR_UNKNOWN;
  if (strv_has (snapshot->enabled_models, model))
    return CR_CURSOR_ON;
  if (strv_has (snapshot->disabled_models, model) || snapshot->models_known)
    return CR_CURSOR_OFF;

  return CR_CURSOR_UNKNOWN;
}

/* ---- Names ------------------------------------------------------------ */

static const char * const status_names[] = {
  [CR_CURSOR_FOUND] = "found",
  [CR_CURSOR_NOT_INSTALLED] = "not-installed",
  [CR_CURSOR_UNREADABLE] = "unreadable",
};

static const char * const problem_names[] = {
  [CR_CURSOR_PROBLEM_NONE] = "none",
  [CR_CURSOR_PROBLEM_MISSING] = "missing",
  [CR_CURSOR_PROBLEM_BUSY] = "busy",
  [CR_CURSOR_PROBLEM_PERMISSION] = "permission",
  [CR_CURSOR_PROBLEM_NOT_DATABASE] = "not-database",
  [CR_CURSOR_PROBLEM_CORRUPT] = "corrupt",
  [CR_CURSOR_PROBLEM_NEEDS_RECOVERY] = "needs-recovery",
  [CR_CURSOR_PROBLEM_TOO_LARGE] = "too-large",
  [CR_CURSOR_PROBLEM_UNEXPECTED] = "unexpected",
  [CR_CURSOR_PROBLEM_IO] = "io",
};

static const char * const toggle_names[] = {
  [CR_CURSOR_UNKNOWN] = "unknown",
  [CR_CURSOR_ON] = "on",
  [CR_CURSOR_OFF] = "off",
};

const char *
cr_cursor_status_to_string (CrCursorStatus status)
{
  g_return_val_if_fail (status < G_N_ELEMENTS (status_names), NULL);
  return status_names[status];
}

const char *
cr_cursor_problem_to_string (CrCursorProblem problem)
{
  g_return_val_if_fail (problem < G_N_ELEMENTS (problem_names), NULL);
  return problem_names[problem];
}

const char *
cr_cursor_toggle_to_string (CrCursorToggle toggle)
{
  g_return_val_if_fail (toggle < G_N_ELEMENTS (toggle_names), NULL);
  return toggle_names[toggle];
}

/* Returns the index of @name in @names, or -1. */
static int
name_index (const char * const *names,
            gsize               n_names,
            const char         *name)
{
  for (gsize i = 0; name != NULL && i < n_names; i++)
    if (g_strcmp0 (names[i], name) == 0)
      return (int) i;

  return -1;
}

static const char *
problem_reason (CrCursorProblem problem)
{
  switch (problem)
    {
    case CR_CURSOR_PROBLEM_NONE:
      return NULL;
    case CR_CURSOR_PROBLEM_MISSING:
      return _("Cursor’s settings were not found. Is Cursor installed, and has it been started at least once?");
    case CR_CURSOR_PROBLEM_BUSY:
      return _("Cursor is busy writing its settings; try again.");
    case CR_CURSOR_PROBLEM_PERMISSION:
      return _("This app is not allowed to read Cursor’s settings.");
    case CR_CURSOR_PROBLEM_NOT_DATABASE:
      return _("Cursor’s settings file is not a database.");
    case CR_CURSOR_PROBLEM_CORRUPT:
      return _("Cursor’s settings file is damaged.");
    case CR_CURSOR_PROBLEM_NEEDS_RECOVERY:
      return _("Cursor did not close its settings file cleanly. Start Cursor, quit it, then check again.");
    case CR_CURSOR_PROBLEM_TOO_LARGE:
      return _("Cursor’s settings are too large to read safely.");
    case CR_CURSOR_PROBLEM_UNEXPECTED:
      return _("Cursor’s settings are stored in a way this app does not understand. A newer Cursor may have changed them.");
    case CR_CURSOR_PROBLEM_IO:
    default:
      return _("Cursor’s settings could not be read.");
    }
}

static void
set_problem (CrCursorSnapshot *self,
             CrCursorProblem   problem)
{
  self->problem = problem;
  if (problem == CR_CURSOR_PROBLEM_NONE)
    self->status = CR_CURSOR_FOUND;
  else if (problem == CR_CURSOR_PROBLEM_MISSING)
    self->status = CR_CURSOR_NOT_INSTALLED;
  else
    self->status = CR_CURSOR_UNREADABLE;

  g_free (self->reason);
  self->reason = g_strdup (problem_reason (problem));
}

CrCursorKeySlot
cr_cursor_model_key_slot (const char *model)
{
  g_return_val_if_fail (model != NULL, CR_CURSOR_SLOT_OPENAI);

  switch (cr_models_cursor_path (model))
    {
    case CR_MODEL_PATH_ANTHROPIC:
      return CR_CURSOR_SLOT_ANTHROPIC;
    case CR_MODEL_PATH_GOOGLE:
      return CR_CURSOR_SLOT_GOOGLE;
    case CR_MODEL_PATH_GATEWAY:
    default:
      return CR_CURSOR_SLOT_OPENAI;
    }
}

static gboolean
is_key_char (char c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '_';
}

/* Masks every "sk-" followed by at least 8 key characters. */
static void
mask_keys (GString *s)
{
  for (gsize i = 0; i + 3 <= s->len; i++)
    {
      gsize end = i + 3;

      if (strncmp (s->str + i, "sk-", 3) != 0 || (i > 0 && is_key_char (s->str[i - 1])))
        continue;
      while (end < s->len && is_key_char (s->str[end]))
        end++;
      if (end - i - 3 < 8)
        continue;

      g_string_erase (s, i + 3, end - i - 3);
      g_string_insert (s, i + 3, "…");
      i += 3;
    }
}

char *
cr_cursor_redact_url (const char *url)
{
  GString *s;
  const char *authority;
  gsize authority_end;
  const char *at;

  if (url == NULL)
    return NULL;

  s = g_string_new (url);

  /* user:password@ inside the authority */
  authority = strstr (s->str, "://");
  if (authority != NULL)
    {
      gsize start = authority - s->str + 3;

      /* The last @: a password may hold one unescaped. */
      authority_end = start + strcspn (s->str + start, "/?#");
      at = g_strrstr_len (s->str + start, authority_end - start, "@");
      if (at != NULL)
        g_string_erase (s, start, at - (s->str + start) + 1);
    }

  for (gsize i = 0; i < s->len; i++)
    if (s->str[i] == '?' || s->str[i] == '#')
      {
        g_string_truncate (s, i);
        g_string_append (s, "?…");
        break;
      }

  mask_keys (s);

  return g_string_free (s, FALSE);
}

/* ---- Small, capped readers ------------------------------------------- */

/* Opens without blocking on a FIFO and refuses anything but a regular file. */
static int
open_regular (const char  *path,
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

static gssize
read_full (int    fd,
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

  fd = open_regular (path, &saved_errno, &st);
  if (fd < 0)
    return NULL;
  if ((guint64) st.st_size > cap)
    {
      close (fd);
      return NULL;
    }

  /* One byte more than the cap tells a file that grew meanwhile. */
  data = g_malloc (cap + 1);
  n = read_full (fd, data, cap + 1);
  close (fd);
  if (n < 0 || (gsize) n > cap)
    return NULL;

  *length = n;
  return g_steal_pointer (&data);
}

/* The JSON object in @data, or NULL when it is not one. */
static JsonObject *
parse_json_object (const char *data,
                   gsize       length)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *repaired = NULL;
  JsonNode *root;

  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      data += 3;
      length -= 3;
    }
  if (length == 0 || !cr_json_nesting_ok (data, length) ||
      !cr_json_holds_one_value (data, length) || !cr_json_escapes_ok (data, length))
    return NULL;

  repaired = cr_json_repair_surrogates (data, length);
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, repaired ? repaired : data, length, NULL))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  return json_object_ref (json_node_get_object (root));
}

/* The member as a string, or NULL when absent or of another type. */
static const char *
member_string (JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static CrCursorToggle
member_toggle (JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return CR_CURSOR_UNKNOWN;

  return json_node_get_boolean (node) ? CR_CURSOR_ON : CR_CURSOR_OFF;
}

/* ---- Version ---------------------------------------------------------- */

static gboolean
version_valid (const char *version)
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
  object = parse_json_object (data, length);
  if (object == NULL)
    return NULL;

  version = member_string (object, "version");
  return version_valid (version) ? g_strdup (version) : NULL;
}

static void
find_version (CrCursorSnapshot   *self,
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
static gboolean
path_exists (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 || (errno != ENOENT && errno != ENOTDIR);
}

/* ---- Model lists ------------------------------------------------------ */

static gboolean
name_valid (const char *name)
{
  gsize len = name ? strlen (name) : 0;

  if (len == 0 || len > MAX_NAME_BYTES || !g_utf8_validate (name, len, NULL))
    return FALSE;
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return FALSE;

  return TRUE;
}

static GHashTable *
name_set_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static void
name_set_add (GHashTable *set,
              const char *name)
{
  if (name_valid (name) && g_hash_table_size (set) < MAX_LIST_ITEMS)
    g_hash_table_add (set, g_strdup (name));
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static GStrv
name_set_to_strv (GHashTable *set)
{
  guint n;
  char **names = (char **) g_hash_table_get_keys_as_array (set, &n);

  for (guint i = 0; i < n; i++)
    names[i] = g_strdup (names[i]);
  qsort (names, n, sizeof (char *), compare_strings);

  return names;
}

/* Adds the array member's strings; anything else is skipped. */
static void
add_string_array (GHashTable *set,
                  JsonObject *object,
                  const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return;

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
        name_set_add (set, json_node_get_string (element));
    }
}

/* Adds the catalog's default-on names; FALSE when there is no catalog. */
static gboolean
add_default_models (GHashTable *set,
                    JsonObject *settings)
{
  JsonNode *node = json_object_get_member (settings, "availableDefaultModels2");
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *model;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      model = json_node_get_object (element);
      if (member_toggle (model, "defaultOn") == CR_CURSOR_ON)
        name_set_add (set, member_string (model, "name"));
    }

  return TRUE;
}

static JsonObject *
member_object (JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* Enabled = (catalog entries that are defaultOn ∪ modelOverrideEnabled)
 *           − modelOverrideDisabled, which is Cursor's own rule. */
static void
read_models (CrCursorSnapshot *self,
             JsonObject       *settings)
{
  JsonObject *ai = member_object (settings, "aiSettings");
  g_autoptr(GHashTable) enabled = name_set_new ();
  g_autoptr(GHashTable) disabled = name_set_new ();
  g_autoptr(GHashTable) custom = name_set_new ();
  GHashTableIter iter;
  gpointer name;

  self->models_known = add_default_models (enabled, settings);
  add_string_array (enabled, ai, "modelOverrideEnabled");
  add_string_array (disabled, ai, "modelOverrideDisabled");
  add_string_array (custom, ai, "userAddedModels");

  g_hash_table_iter_init (&iter, disabled);
  while (g_hash_table_iter_next (&iter, &name, NULL))
    g_hash_table_remove (enabled, name);

  g_strfreev (self->enabled_models);
  g_strfreev (self->disabled_models);
  g_strfreev (self->custom_models);
  self->enabled_models = name_set_to_strv (enabled);
  self->disabled_models = name_set_to_strv (disabled);
  self->custom_models = name_set_to_strv (custom);
}

static void
read_settings (CrCursorSnapshot *self,
               JsonObject       *settings)
{
  const char *base_url = member_string (settings, "openAIBaseUrl");

  self->settings_found = TRUE;
  self->use_openai_key = member_toggle (settings, "useOpenAIKey");

  g_clear_pointer (&self->openai_base_url, g_free);
  if (base_url != NULL && *base_url != '\0' && strlen (base_url) <= MAX_URL_BYTES)
    {
      /* Kept as typed for the diagnosis, except a key pasted into it; made
       * valid UTF-8, since json-glib lets a lone "\udc00" escape through. */
      g_autofree char *valid = g_utf8_make_valid (base_url, -1);
      GString *url = g_string_new (valid);

      mask_keys (url);
      self->openai_base_url = g_string_free (url, FALSE);
    }

  read_models (self, settings);
}

gboolean
cr_cursor_parse_settings (const char       *json,
                          gsize             length,
                          CrCursorSnapshot *into)
{
  g_autoptr(JsonObject) settings = NULL;

  g_return_val_if_fail (json != NULL || length == 0, FALSE);
  g_return_val_if_fail (into != NULL, FALSE);

  if (length > CR_CURSOR_MAX_VALUE)
    return FALSE;

  settings = parse_json_object (json != NULL ? json : "", length);
  if (settings == NULL)
    return FALSE;

  read_settings (into, settings);
  return TRUE;
}

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

  fd = open_regular (path, &saved_errno, &st);
  if (fd < 0)
    return problem_from_errno (saved_errno);

  n = read_full (fd, header, sizeof header);
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
  if (wal && !path_exists (wal_path))
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

  find_version (self, install_roots);

  for (gsize i = 0; candidates[i] != NULL && self->path == NULL; i++)
    if (path_exists (candidates[i]))
      self->path = g_strdup (candidates[i]);
  if (self->path == NULL)
    self->path = g_strdup (candidates[0]);

  problem = self->path ? read_database (self, self->path, cancellable)
                       : CR_CURSOR_PROBLEM_MISSING;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  if (problem != CR_CURSOR_PROBLEM_NONE)
    clear_settings (self);
  set_problem (self, problem);

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

/* ---- Comparing and remembering ---------------------------------------- */

static gboolean
strv_same (GStrv a,
           GStrv b)
{
  const char * const empty[] = { NULL };

  return g_strv_equal (a ? (const char * const *) a : empty,
                       b ? (const char * const *) b : empty);
}

CrCursorChanges
cr_cursor_snapshot_compare (const CrCursorSnapshot *before,
                            const CrCursorSnapshot *after)
{
  CrCursorChanges changes = CR_CURSOR_CHANGED_NONE;
  g_autofree char *url_before = NULL;
  g_autofree char *url_after = NULL;

  g_return_val_if_fail (before != NULL, CR_CURSOR_CHANGED_NONE);
  g_return_val_if_fail (after != NULL, CR_CURSOR_CHANGED_NONE);

  if (before->status != after->status)
    changes |= CR_CURSOR_CHANGED_STATUS;
  if (g_strcmp0 (before->version, after->version) != 0)
    changes |= CR_CURSOR_CHANGED_VERSION;

  if (before->status != CR_CURSOR_FOUND || after->status != CR_CURSOR_FOUND)
    return changes;

  url_before = cr_cursor_redact_url (before->openai_base_url);
  url_after = cr_cursor_redact_url (after->openai_base_url);

  if (before->key_present != after->key_present)
    changes |= CR_CURSOR_CHANGED_KEY_PRESENT;
  if (before->use_openai_key != after->use_openai_key)
    changes |= CR_CURSOR_CHANGED_USE_OPENAI_KEY;
  if (g_strcmp0 (url_before, url_after) != 0)
    changes |= CR_CURSOR_CHANGED_BASE_URL;
  if (!strv_same (before->enabled_models, after->enabled_models))
    changes |= CR_CURSOR_CHANGED_ENABLED_MODELS;
  if (!strv_same (before->custom_models, after->custom_models))
    changes |= CR_CURSOR_CHANGED_CUSTOM_MODELS;

  return changes;
}

static void
dict_insert_strv (GVariantDict *dict,
                  const char   *key,
                  GStrv         strv)
{
  g_variant_dict_insert_value (dict, key,
                               g_variant_new_strv ((const char * const *) strv, -1));
}

GVariant *
cr_cursor_snapshot_to_variant (const CrCursorSnapshot *snapshot)
{
  GVariantDict dict;
  g_autofree char *base_url = NULL;

  g_return_val_if_fail (snapshot != NULL, NULL);

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "format", "u", FACTS_FORMAT);
  g_variant_dict_insert (&dict, "status", "s", cr_cursor_status_to_string (snapshot->status));
  g_variant_dict_insert (&dict, "problem", "s", cr_cursor_problem_to_string (snapshot->problem));
  if (snapshot->version != NULL)
    g_variant_dict_insert (&dict, "version", "s", snapshot->version);

  if (snapshot->status == CR_CURSOR_FOUND)
    {
      base_url = cr_cursor_redact_url (snapshot->openai_base_url);
      g_variant_dict_insert (&dict, "settings-found", "b", snapshot->settings_found);
      /* Whether a key row exists, which says nothing about the key. */
      g_variant_dict_insert (&dict, "key-present", "b", snapshot->key_present);
      g_variant_dict_insert (&dict, "use-openai-key", "s",
                             cr_cursor_toggle_to_string (snapshot->use_openai_key));
      if (base_url != NULL)
        g_variant_dict_insert (&dict, "base-url", "s", base_url);
      g_variant_dict_insert (&dict, "models-known", "b", snapshot->models_known);
      dict_insert_strv (&dict, "enabled-models", snapshot->enabled_models);
      dict_insert_strv (&dict, "disabled-models", snapshot->disabled_models);
      dict_insert_strv (&dict, "custom-models", snapshot->custom_models);
    }

  return g_variant_dict_end (&dict);
}

/* Stored lists pass the same checks as freshly read ones. */
static GStrv
lookup_names (GVariantDict *dict,
              const char   *key)
{
  g_autoptr(GHashTable) set = name_set_new ();
  g_autofree const char **names = NULL;

  if (g_variant_dict_lookup (dict, key, "^a&s", &names))
    for (gsize i = 0; names[i] != NULL; i++)
      name_set_add (set, names[i]);

  return name_set_to_strv (set);
}

static int
lookup_enum (GVariantDict       *dict,
             const char         *key,
             const char * const *names,
             gsize               n_names)
{
  const char *value = NULL;

  if (!g_variant_dict_lookup (dict, key, "&s", &value))
    return -1;
  return name_index (names, n_names, value);
}

static void
lookup_settings (CrCursorSnapshot *self,
                 GVariantDict     *dict)
{
  const char *base_url = NULL;
  int toggle;

  g_variant_dict_lookup (dict, "settings-found", "b", &self->settings_found);
  g_variant_dict_lookup (dict, "key-present", "b", &self->key_present);
  g_variant_dict_lookup (dict, "models-known", "b", &self->models_known);

  toggle = lookup_enum (dict, "use-openai-key", toggle_names, G_N_ELEMENTS (toggle_names));
  if (toggle >= 0)
    self->use_openai_key = toggle;

  if (g_variant_dict_lookup (dict, "base-url", "&s", &base_url) &&
      *base_url != '\0' && strlen (base_url) <= MAX_URL_BYTES)
    self->openai_base_url = g_strdup (base_url);

  g_strfreev (self->enabled_models);
  g_strfreev (self->disabled_models);
  g_strfreev (self->custom_models);
  self->enabled_models = lookup_names (dict, "enabled-models");
  self->disabled_models = lookup_names (dict, "disabled-models");
  self->custom_models = lookup_names (dict, "custom-models");
}

CrCursorSnapshot *
cr_cursor_snapshot_from_variant (GVariant *facts)
{
  g_autoptr(CrCursorSnapshot) self = NULL;
  GVariantDict dict;
  const char *version = NULL;
  guint32 format = 0;
  int status;
  int problem;

  g_return_val_if_fail (facts != NULL, NULL);

  if (!g_variant_is_of_type (facts, G_VARIANT_TYPE_VARDICT))
    return NULL;

  g_variant_dict_init (&dict, facts);
  status = lookup_enum (&dict, "status", status_names, G_N_ELEMENTS (status_names));
  problem = lookup_enum (&dict, "problem", problem_names, G_N_ELEMENTS (problem_names));
  if (!g_variant_dict_lookup (&dict, "format", "u", &format) ||
      format != FACTS_FORMAT || status < 0)
    {
      g_variant_dict_clear (&dict);
      return NULL;
    }

  self = cr_cursor_snapshot_new ();
  if (status == CR_CURSOR_FOUND)
    problem = CR_CURSOR_PROBLEM_NONE;
  else if (status == CR_CURSOR_NOT_INSTALLED)
    problem = CR_CURSOR_PROBLEM_MISSING;
  else if (problem <= CR_CURSOR_PROBLEM_MISSING)
    problem = CR_CURSOR_PROBLEM_IO;
  set_problem (self, (CrCursorProblem) problem);

  if (g_variant_dict_lookup (&dict, "version", "&s", &version) && version_valid (version))
    self->version = g_strdup (version);
  if (status == CR_CURSOR_FOUND)
    lookup_settings (self, &dict);

  g_variant_dict_clear (&dict);
  return g_steal_pointer (&self);
}
