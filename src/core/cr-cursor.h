/* cr-cursor.h: a read-only view of Cursor's own settings
 *
 * Cursor (a VS Code fork) keeps its "bring your own key" settings in an SQLite
 * file, state.vscdb, table ItemTable (key TEXT UNIQUE, value BLOB). This reader
 * opens that file read-only and never writes to it or next to it.
 *
 * What it reads may lag a running Cursor by up to one restart: VS Code keeps
 * the table in memory and writes it back when it exits.
 *
 * The API key stored there is never read: the reader only asks SQLite whether
 * a non-empty key row exists, so the key's bytes never reach this process.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Caps on what is read, so a damaged or hostile file cannot exhaust memory. */
#define CR_CURSOR_MAX_VALUE      (4 << 20)  /* one ItemTable value, bytes */
#define CR_CURSOR_MAX_JSON_FILE  (1 << 20)  /* product.json / package.json */
#define CR_CURSOR_BUSY_TIMEOUT   250        /* ms to wait for a writer's lock */

/* The row that holds the BYOK settings, as one JSON object. */
#define CR_CURSOR_SETTINGS_KEY \
  "src.vs.platform.reactivestorage.browser.reactiveStorageServiceImpl.persistentStorage.applicationUser"

typedef enum {
  CR_CURSOR_FOUND,          /* the settings database was read */
  CR_CURSOR_NOT_INSTALLED,  /* no settings database: not installed, or never started */
  CR_CURSOR_UNREADABLE,     /* it exists but could not be read: see problem/reason */
} CrCursorStatus;

/* Why a snapshot is not FOUND. */
typedef enum {
  CR_CURSOR_PROBLEM_NONE,
  CR_CURSOR_PROBLEM_MISSING,         /* NOT_INSTALLED */
  CR_CURSOR_PROBLEM_BUSY,            /* Cursor holds a write lock right now */
  CR_CURSOR_PROBLEM_PERMISSION,      /* not allowed to read it (or the sandbox hides it) */
  CR_CURSOR_PROBLEM_NOT_DATABASE,    /* the file is not SQLite at all */
  CR_CURSOR_PROBLEM_CORRUPT,         /* SQLite, but damaged or cut off */
  CR_CURSOR_PROBLEM_NEEDS_RECOVERY,  /* Cursor did not close it cleanly; reading needs a write */
  CR_CURSOR_PROBLEM_TOO_LARGE,       /* a value is bigger than CR_CURSOR_MAX_VALUE */
  CR_CURSOR_PROBLEM_UNEXPECTED,      /* no ItemTable, or the settings are not a JSON object */
  CR_CURSOR_PROBLEM_IO,              /* anything else */
} CrCursorProblem;

/* A setting that may be unknown (absent, or stored in a form we do not know). */
typedef enum {
  CR_CURSOR_UNKNOWN,
  CR_CURSOR_ON,
  CR_CURSOR_OFF,
} CrCursorToggle;

/* Which of Cursor's key slots a model name is routed to. */
typedef enum {
  CR_CURSOR_SLOT_OPENAI,
  CR_CURSOR_SLOT_ANTHROPIC,  /* names beginning "claude-" */
  CR_CURSOR_SLOT_GOOGLE,     /* names beginning "gemini-" */
} CrCursorKeySlot;

/* Everything but status, problem and reason is meaningful only when status is
 * FOUND; version and install_root are looked up in every case (Cursor may be
 * installed and never started). String arrays are never NULL. */
typedef struct {
  CrCursorStatus   status;
  CrCursorProblem  problem;
  char            *reason;           /* translated sentence; NULL when FOUND */
  char            *path;             /* database read, or the first place looked */

  char            *version;          /* "1.4.2"; NULL = unknown */
  char            *install_root;     /* where the version was found; NULL = unknown */

  gboolean         settings_found;   /* the BYOK row exists (FALSE: Cursor never saved it) */
  gboolean         key_present;      /* an OpenAI key row exists and is not empty */
  CrCursorToggle   use_openai_key;   /* the "OpenAI API Key" switch */
  /* As stored, untrimmed (the checklist names the mistake), but with any
   * sk- key pasted into it masked; NULL when the override is off. */
  char            *openai_base_url;

  /* TRUE when Cursor's catalog (availableDefaultModels2) was read, so
   * enabled_models is complete; FALSE: only the user's own switches are known. */
  gboolean         models_known;
  GStrv            enabled_models;   /* sorted */
  GStrv            disabled_models;  /* switched off by the user (modelOverrideDisabled), sorted */
  GStrv            custom_models;    /* added by the user (userAddedModels), sorted */
} CrCursorSnapshot;

GType              cr_cursor_snapshot_get_type   (void) G_GNUC_CONST;
#define CR_TYPE_CURSOR_SNAPSHOT (cr_cursor_snapshot_get_type ())

/* An empty NOT_INSTALLED snapshot with unknown facts, for callers (and tests)
 * that fill one in by hand. */
CrCursorSnapshot  *cr_cursor_snapshot_new        (void);
CrCursorSnapshot  *cr_cursor_snapshot_copy       (const CrCursorSnapshot *snapshot);
void               cr_cursor_snapshot_free       (CrCursorSnapshot       *snapshot);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrCursorSnapshot, cr_cursor_snapshot_free)

/* ON: Cursor will offer the model. OFF: switched off, or (with the catalog
 * known) simply not enabled. UNKNOWN: not FOUND, or no catalog and no switch. */
CrCursorToggle     cr_cursor_snapshot_model_enabled (const CrCursorSnapshot *snapshot,
                                                     const char             *model);

/* Stable names, for --json and the remembered facts: "found", "not-installed",
 * "unreadable"; "busy", "corrupt" …; "unknown", "on", "off". */
const char        *cr_cursor_status_to_string    (CrCursorStatus   status);
const char        *cr_cursor_problem_to_string   (CrCursorProblem  problem);
const char        *cr_cursor_toggle_to_string    (CrCursorToggle   toggle);

CrCursorKeySlot    cr_cursor_model_key_slot      (const char *model);

/* A base URL made safe to remember or print: no user:password@, the query and
 * fragment replaced by "?…", and anything that looks like an sk- key masked
 * (people paste the key into the URL field). NULL in, NULL out. */
char              *cr_cursor_redact_url          (const char *url);

/* ---- Reading ---------------------------------------------------------- */

/* Reads the BYOK settings (the CR_CURSOR_SETTINGS_KEY row's value, @length
 * bytes of JSON, not necessarily NUL-terminated) into @into's settings
 * fields; the database reader uses it for that row. Touches neither status
 * nor key_present. FALSE, leaving @into as it was, when @json is not a JSON
 * object or is larger than CR_CURSOR_MAX_VALUE. */
gboolean           cr_cursor_parse_settings      (const char       *json,
                                                  gsize             length,
                                                  CrCursorSnapshot *into);

/* Where the database is looked for, in order. @config_path (optional, e.g.
 * from --cursor-config) is Cursor's config folder ("~/.config/Cursor"), its
 * globalStorage folder, or the state.vscdb file itself; without it:
 * $XDG_CONFIG_HOME, $HOST_XDG_CONFIG_HOME (Flatpak) and ~/.config, each with
 * Cursor/ then cursor/ + User/globalStorage/state.vscdb. */
GStrv              cr_cursor_database_candidates (const char *config_path);

/* Where the version is looked for (resources/app/{product,package}.json under
 * each): /usr/share/cursor, /opt/Cursor, /opt/cursor, /usr/lib/cursor,
 * ~/.local/share/cursor, and a running AppImage's mount. */
GStrv              cr_cursor_default_install_roots (void);

/* Reads a snapshot. Blocking: call it from a thread, or use the async pair.
 * @install_roots NULL means the defaults. Returns NULL only when cancelled
 * (G_IO_ERROR_CANCELLED); every other problem is a snapshot status. */
CrCursorSnapshot  *cr_cursor_read                (const char          *config_path,
                                                  const char * const  *install_roots,
                                                  GCancellable        *cancellable,
                                                  GError             **error);

/* The same in a worker thread. */
void               cr_cursor_read_async          (const char          *config_path,
                                                  const char * const  *install_roots,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
CrCursorSnapshot  *cr_cursor_read_finish         (GAsyncResult        *result,
                                                  GError             **error);

/* ---- Remembering what was seen ------------------------------------------ */

typedef enum {
  CR_CURSOR_CHANGED_NONE            = 0,
  CR_CURSOR_CHANGED_STATUS          = 1 << 0,
  CR_CURSOR_CHANGED_VERSION         = 1 << 1,
  CR_CURSOR_CHANGED_KEY_PRESENT     = 1 << 2,
  CR_CURSOR_CHANGED_USE_OPENAI_KEY  = 1 << 3,
  CR_CURSOR_CHANGED_BASE_URL        = 1 << 4,
  CR_CURSOR_CHANGED_ENABLED_MODELS  = 1 << 5,
  CR_CURSOR_CHANGED_CUSTOM_MODELS   = 1 << 6,
} CrCursorChanges;

/* What differs between two snapshots' non-secret facts. The settings are
 * compared only when both are FOUND (an unreadable file says nothing about
 * them); the base URL is compared in its redacted form. */
CrCursorChanges    cr_cursor_snapshot_compare    (const CrCursorSnapshot *before,
                                                  const CrCursorSnapshot *after);

/* The type GSettings should declare for the remembered facts. */
#define CR_CURSOR_FACTS_TYPE "a{sv}"

/* The non-secret facts as a floating a{sv}: status, problem, version,
 * settings/key presence, the switch, the redacted base URL and the model
 * lists. Never the key, nor anything computed from its value; the path and
 * the reason are left out too. */
GVariant          *cr_cursor_snapshot_to_variant   (const CrCursorSnapshot *snapshot);
/* Back from cr_cursor_snapshot_to_variant(); NULL if @facts is not a{sv} or
 * was written by a newer format. Unknown or mistyped entries are skipped.
 * The reason is rebuilt from the problem; path stays NULL. */
CrCursorSnapshot  *cr_cursor_snapshot_from_variant (GVariant               *facts);

G_END_DECLS
