/* test-cli.c: `crazyrouter-setup --check`, run as a user runs it
 *
 * Spawns the built binary (CR_APP_BINARY) against the loopback gateway,
 * which lives in this process's main loop: the child is driven with
 * GSubprocess async calls while the main context turns.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>

#include "cr-checklist.h"
#include "cr-cli.h"
#include "cr-gateway-error.h"
#include "cr-key.h"
#include "cr-keyring.h"
#include "cr-test-cursor.h"
#include "cr-test-gateway.h"

/* Well-formed, but the gateway does not know it: 401. */
#define TOKEN_REVOKED "sk-demo-revoked-long-ago"

/* Each run reads Cursor from the fixture's own folder (--cursor-config),
 * never from wherever $HOME points, unless a test says otherwise. */
typedef struct {
  CrTestGateway *server;
  CrChecklist   *titles;   /* only to know each item's title */
  char          *home;     /* temporary, removed afterwards */
  char          *cursor;   /* home/Cursor: no Cursor there until a test makes one */
  char          *install;  /* home/install: an install root, for the version */
} Fixture;

typedef struct {
  /* in */
  const char  *stdin_text;
  gboolean     without_check; /* no --check (nor --cursor-config) before the args */
  const char  *env_key;     /* CRAZYROUTER_API_KEY, unset when NULL */
  gboolean     no_bus;      /* no session bus to be found at all */
  const char  *keyfile;     /* saved settings, in GSettings' keyfile format */
  const char  *config_home; /* XDG_CONFIG_HOME (keyfile settings) kept between runs */
  gboolean     auto_cursor; /* no --cursor-config: Cursor is looked for by itself */
  guint        interrupt_after_requests;  /* SIGINT once the gateway saw this many */
  /* out */
  int          status;
  char        *out;
  char        *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->server = cr_test_gateway_new (FALSE, 0, &error);
  g_assert_no_error (error);
  cr_test_gateway_set_latency (f->server, 0);
  f->titles = cr_checklist_new ();
  cr_checklist_set_cursor_enabled (f->titles, TRUE);

  f->home = g_dir_make_tmp ("cr-cli-home-XXXXXX", &error);
  g_assert_no_error (error);
  f->cursor = g_build_filename (f->home, "Cursor", NULL);
  f->install = g_build_filename (f->home, "install", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->titles);
  g_clear_object (&f->server);
  cr_test_remove_tree (f->home);
  g_free (f->home);
  g_free (f->cursor);
  g_free (f->install);
}

static void
on_communicated (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

static gboolean
on_too_long (gpointer user_data)
{
  g_subprocess_force_exit (G_SUBPROCESS (user_data));
  g_test_message ("the child ran for too long and was killed");
  return G_SOURCE_REMOVE;
}

/* Runs the app with "--check" and @args (only @args when the run is
 * without_check), and fails the test if any of @secrets shows up in what
 * it printed. */
static void
run_cli (Fixture            *f,
         Run                *run,
         const char * const *args,
         const char * const *secrets)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *empty_run = NULL;
  g_autofree char *config_home = NULL;
  g_autofree char *keyfile = NULL;
  gboolean keep_config = run->config_home != NULL;
  const char *binary = g_getenv ("CR_APP_BINARY");
  GSubprocessFlags flags = G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE;
  guint watchdog;

  g_assert_nonnull (binary);
  g_ptr_array_add (argv, (char *) binary);
  if (!run->without_check)
    g_ptr_array_add (argv, (char *) "--check");
  for (guint i = 0; args != NULL && args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  if (!run->auto_cursor && !run->without_check)
    {
      g_ptr_array_add (argv, (char *) "--cursor-config");
      g_ptr_array_add (argv, f->cursor);
      g_ptr_array_add (argv, (char *) "--cursor-install-root");
      g_ptr_array_add (argv, f->install);
    }
  g_ptr_array_add (argv, NULL);

  if (run->stdin_text != NULL)
    flags |= G_SUBPROCESS_FLAGS_STDIN_PIPE;
  launcher = g_subprocess_launcher_new (flags);
  g_subprocess_launcher_unsetenv (launcher, "NO_COLOR");
  if (run->env_key != NULL)
    g_subprocess_launcher_setenv (launcher, "CRAZYROUTER_API_KEY", run->env_key, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "CRAZYROUTER_API_KEY");

  if (run->no_bus)
    {
      /* As over ssh: no address, no $XDG_RUNTIME_DIR/bus, no X11 to
       * autolaunch a bus through. */
      empty_run = g_dir_make_tmp ("cr-cli-run-XXXXXX", &error);
      g_assert_no_error (error);
      g_subprocess_launcher_unsetenv (launcher, "DBUS_SESSION_BUS_ADDRESS");
      g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
      g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", empty_run, TRUE);
    }

  if (run->keyfile != NULL || keep_config)
    {
      g_autofree char *dir = NULL;

      config_home = keep_config ? g_strdup (run->config_home)
                                : g_dir_make_tmp ("cr-cli-config-XXXXXX", &error);
      g_assert_no_error (error);
      dir = g_build_filename (config_home, "glib-2.0", "settings", NULL);
      g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
      keyfile = g_build_filename (dir, "keyfile", NULL);
      if (run->keyfile != NULL)
        {
          g_file_set_contents (keyfile, run->keyfile, -1, &error);
          g_assert_no_error (error);
        }
      g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "keyfile", TRUE);
      g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", config_home, TRUE);
    }

  child = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  watchdog = g_timeout_add_seconds (60, on_too_long, child);
  g_subprocess_communicate_utf8_async (child, run->stdin_text, NULL, on_communicated, &result);

  if (run->interrupt_after_requests > 0)
    {
      while (result == NULL &&
             cr_test_gateway_get_request_count (f->server) < run->interrupt_after_requests)
        g_main_context_iteration (NULL, TRUE);
      g_subprocess_send_signal (child, SIGINT);
    }

  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (watchdog);

  g_subprocess_communicate_utf8_finish (child, result, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (child));
  run->status = g_subprocess_get_exit_status (child);

  if (empty_run != NULL)
    g_rmdir (empty_run);
  if (keyfile != NULL && !keep_config)
    {
      g_autofree char *dir = g_path_get_dirname (keyfile);
      g_autofree char *parent = g_path_get_dirname (dir);

      g_unlink (keyfile);
      g_rmdir (dir);
      g_rmdir (parent);
      g_rmdir (config_home);
    }

  g_test_message ("exit %d\nstdout:\n%s\nstderr:\n%s", run->status, run->out, run->err);

  for (guint i = 0; secrets != NULL && secrets[i] != NULL; i++)
    {
      g_assert_null (strstr (run->out, secrets[i]));
      g_assert_null (strstr (run->err, secrets[i]));
    }
}

/* --- reading the text output ------------------------------------------ */

static const char *
title_of (Fixture    *f,
          const char *id)
{
  CrCheckItem *item = cr_checklist_lookup (f->titles, id);

  g_assert_nonnull (item);
  return cr_check_item_get_title (item);
}

/* The item's lines: its status line and the indented ones below it. */
static char *
item_block (Fixture    *f,
            const char *out,
            const char *id,
            const char *word)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  g_autofree char *status_line = g_strdup_printf ("%s  %s", word, title_of (f, id));
  GString *block = NULL;
  guint found = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_equal (lines[i], status_line))
        {
          found++;
          block = g_string_new (lines[i]);
          for (guint j = i + 1; lines[j] != NULL && g_str_has_prefix (lines[j], "      "); j++)
            g_string_append_printf (block, "\n%s", lines[j] + 6);
        }
    }

  if (found != 1)
    g_error ("expected one line “%s”, found %u", status_line, found);

  return g_string_free (block, FALSE);
}

typedef struct {
  const char *id;
  const char *word;
} Expected;

/* Every item is printed exactly once, with the given status, and the output
 * starts with the header and ends with the summary. */
static void
assert_items (Fixture        *f,
              const Run      *run,
              const Expected *expected)
{
  g_auto(GStrv) lines = g_strsplit (run->out, "\n", -1);
  guint n = g_strv_length (lines);
  guint item_lines[2] = { 0, 0 };   /* the gateway's, then Cursor's */
  guint section = 0;

  g_assert_true (g_str_has_prefix (lines[0], "Checking "));
  g_assert_cmpuint (n, >=, 2);
  g_assert_cmpstr (lines[n - 1], ==, "");
  g_assert_true (g_str_has_prefix (lines[n - 2], "Summary: "));
  g_assert_null (strchr (run->out, '\033'));

  for (guint i = 0; expected[i].id != NULL; i++)
    g_free (item_block (f, run->out, expected[i].id, expected[i].word));

  /* The Cursor section follows an empty line, under a heading "Cursor …". */
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (*lines[i] == '\0' && lines[i + 1] != NULL && g_str_has_prefix (lines[i + 1], "Cursor"))
        section = 1;
      if (g_str_has_prefix (lines[i], "PASS  ") || g_str_has_prefix (lines[i], "FAIL  ") ||
          g_str_has_prefix (lines[i], "WARN  ") || g_str_has_prefix (lines[i], "TODO  "))
        item_lines[section]++;
    }
  g_assert_cmpuint (item_lines[0], ==, 7);
  g_assert_cmpuint (item_lines[1], ==, 6);
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("“%s” not found in:\n%s", needle, haystack);
}

static void
assert_has_line (const char *text,
                 const char *line)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  if (!g_strv_contains ((const char * const *) lines, line))
    g_error ("no line “%s” in:\n%s", line, text);
}

/* --- runs against the gateway ----------------------------------------- */

static void
test_good (Fixture       *f,
           gconstpointer  data)
{
  const char *args[] = { "--key-stdin", "--base-url", cr_test_gateway_get_base_url (f->server), NULL };
  const char *secrets[] = { CR_TEST_TOKEN_GOOD, NULL };
  const Expected expected[] = {
    { CR_CHECK_KEY, "PASS" },
    { CR_CHECK_BASE_URL, "WARN" },  /* a loopback gateway is not crazyrouter.com */
    { CR_CHECK_MODEL, "PASS" },
    { CR_CHECK_CHAT, "PASS" },
    { CR_CHECK_LOGS, "PASS" },
    { CR_CHECK_QUOTA, "PASS" },
    { CR_CHECK_TAB_COMPLETION, "TODO" },
    { NULL, NULL }
  };
  g_autofree char *masked = cr_key_mask (CR_TEST_TOKEN_GOOD);
  g_autofree char *header = NULL;
  Run run = { .stdin_text = "  " CR_TEST_TOKEN_GOOD "\n" };

  run_cli (f, &run, args, secrets);
  g_assert_cmpint (run.status, ==, CR_CLI_EXIT_OK);
  assert_items (f, &run, expected);

  header = g_strdup_printf ("Checking %s with key %s (from standard input) and model %s\n",
                            cr_test_gateway_get_base_url (f->server), masked, CR_DEFAULT_MODEL);
  g_assert_true (g_str_has_prefix (run.out, header));
  /* Cursor is not there: its three items need you; Verify is replayed; the
   * stock gateway refuses Cursor 3.x's format (a warning); nothing of
   * Cursor's is in the logs yet. */
  assert_contains (run.out, "Summary: 6 passed, 2 warnings, 5 need you, 0 failed.");

  /* It really asked the gateway, with the key it was given. */
  g_assert_cmpuint (cr_test_gateway_count_path (f->server, "/v1/models"), ==, 1);
  /* The chat check, and Cursor 3.x's format once. */
  g_assert_cmpuint (cr_test_gateway_count_path (f->server, "/v1/chat/completions"), ==, 2);
  g_assert_cmpuint (cr_test_gateway_count_responses_bodies (f->server), ==, 1);
  run_clear (&run);
}

static void
test_bad_token (Fixture       *f,
                gconstpointer  data)
{
  const char *args[] = { "--key-stdin", "--base-url", cr_test_gateway_get_base_url (f->server), NULL };
  const char *secrets[] = { TOKEN_REVOKED, NULL };
  const Expected expected[] = {
    { CR_CHECK_KEY, "FAIL" },
    { CR_CHECK_BASE_URL, "WARN" },
    { CR_CHECK_TAB_COMPLETION, "TODO" },
    { NULL, NULL }
  };
  g_autofree char *block = NULL;
  g_autofree char *fix = NULL;
  Run run = { .stdin_text = TOKEN_REVOKED "\n" };

  run_cli (f, &run, args, secrets);
  g_assert_cmpint (run.status, ==, CR_CLI_EXIT_FAILED);
  assert_items (f, &run, expected);

  block = item_block (f, run.out, CR_CHECK_KEY, "FAIL");
  assert_contains (block, "401");
  fix = g_strdup_printf ("Fix: %s", cr_gateway_error_code_fix (CR_GATEWAY_ERROR_UNAUTHORIZED));
  assert_contains (block, fix);
  g_assert_cmpuint (cr_test_gateway_count_path (f->server, "/v1/chat/completions"), ==, 0);
  run_clear (&run);
}

static void
test_narrow_token (Fixture       *f,
                   gconstpointer  data)
{
  const char *args[] = { "--key-stdin", "--base-url", cr_test_gateway_get_base_url (f->server),
                         "--model", "gpt-5.4", NULL };
  const char *secrets[] = { CR_TEST_TOKEN_NARROW, NULL };
  const Expected expected[] = {
    { CR_CHECK_KEY, "PASS" },
    { CR_CHECK_MODEL, "FAIL" },
    { CR_CHECK_CHAT, "FAIL" },
    { NULL, NULL }
  };
  g_autofree char *model = NULL;
  g_autofree char *chat = NULL;
  Run run = { .stdin_text = CR_TEST_TOKEN_NARROW "\n" };

  run_cli (f, &run, args, secrets);
  g_assert_cmpint (run.status, ==, CR_CLI_EXIT_FAILED);
  assert_items (f, &run, expected);

  model = item_block (f, run.out, CR_CHECK_MODEL, "FAIL");
  assert_contains (model, "gpt-5.4");
  chat = item_block (f, run.out, CR_CHECK_CHAT, "FAIL");
  assert_contains (chat, "403");
  assert_contains (chat, cr_gateway_error_code_fix (CR_GATEWAY_ERROR_MODEL_NOT_ALLOWED));
  run_clear (&run);
}

static void
test_root_domain (Fixture       *f,
                  gconstpointer  data)
{
  const char *root = cr_test_gateway_get_root_url (f->server);
  const char *args[] = { "--key-stdin", "--base-url", root, NULL };
  const char *secrets[] = { CR_TEST_TOKEN_GOOD, NULL };
  const Expected expected[] = {
    { CR_CHECK_KEY, "FAIL" },
    { CR_CHECK_BASE_URL, "FAIL" },
    { NULL, NULL }
  };
  g_autofree char *fix = g_strdup_printf ("Fix: Use %s/v1", root);
  g_autofree char *base_url = NULL;
  g_autofree char *key = NULL;
  Run run = { .stdin_text = CR_TEST_TOKEN_GOOD "\n" };

  run_cli (f, &run, args, secrets);
  g_assert_cmpint (run.status, ==, CR_CLI_EXIT_FAILED);
  assert_items (f, &run, expected);

  /* Reported with the corrected URL, never silently repaired … */
  base_url = item_block (f, run.out, CR_CHECK_BASE_URL, "FAIL");
  assert_has_line (base_url, fix);
  g_assert_cmpuint (cr_test_gateway_count_path (f->server, "/v1/models"), ==, 0);
  g_assert_cmpuint (cr_test_gateway_count_path (f->server, "/models"), ==, 1);

  /* … and the web page the gateway sends there is recognised. */
  key = item_block (f, run.out, CR_CHECK_KEY, "FAIL");
  assert_contains (key, "web page");
  assert_contains (key, cr_gateway_error_code_fix (CR_GATEWAY_ERROR_WRONG_BASE_URL));
  run_clear (&run);
}

static void
test_full_endpoint (Fixture       *f,
                    gconstpointer  data)
{
  const char *base = cr_test_gateway_get_base_url (f->server);
  g_autofree char *full = g_strconcat (base, "/chat/completions", NULL);
  const char *args[] = { "--key-stdin", "--base-url", full, NULL };
  const char *secrets[] = { CR_TEST_TOKEN_GOOD, NULL };
  const Expected expected[] = {
    { CR_CHECK_KEY, "FAIL" },
    { CR_CHECK_BASE_URL, "FAIL" },
    { NULL, NULL }
  };
  g_autofree char *fix = g_strdup_printf ("Fix: Use %s", base);
  g_autofree char *base_url = NULL;
  g_autofree char *key = NULL;
  Run run = { .stdin_text = CR_TEST_TOKEN_GOOD "\n" };

  run_cli (f, &run, args, secrets);
  g_assert_cmpint (run.status, ==, CR_CLI_EXIT_FAILED);
  assert_items (f, &run, expected);

  base_url = item_block (f, run.out, CR_CHECK_BASE_URL, "FAIL");
  assert_has_line (base_url, fix);
  key = item_block (f, run.out, CR_CHECK_KEY, "FAIL");
  assert_contains (key, "404");
  g_assert_cmpuint (cr_test_gateway_count_path (f->server, "/v1/chat/completions/models"), ==, 1);
  run_clear (&run);
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);

  return json_node_copy (json_parser_get_root (parser));
}

static void
test_json (Fixture       *f,
           gconstpointer  data)
{
  const char *base = cr_test_gateway_get_base_url (f->server);
  const char *args[] = { "--json", "--key-stdin", "--base-url", base, "--profile", "ci", NULL };
  const char *secrets[] = { CR_TEST_TOKEN_NARROW, NULL };
  const struct { const char *id; const char *status; } expected[] = {
    { CR_CHECK_KEY, "passed" },
    { CR_CHECK_BASE_URL, "warning" },
    { CR_CHECK_MODEL, "failed" },
    { CR_CHECK_CHAT, "failed" },
    { CR_CHECK_LOGS, "needs-you" },
    { CR_CHECK_QUOTA, "failed" },
    { CR_CHECK_TAB_COMPLETION, "needs-you" },
  };
  g_autofree char *masked = cr_key_mask (CR_TEST_TOKEN_NARROW);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonArray *items;
  Run run = { .stdin_text = CR_TEST_TOKEN_NARROW "\n" };

  run_cli (f, &run, args, secrets);
  g_assert_cmpint (run.status, ==, CR_CLI_EXIT_FAILED);

  /* stdout is one JSON document and nothing else. */
  root = parse_json (run.out);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  object = json_node_get_object (root);
  g_assert_false (json_object_get_boolean_member (object, "ok"));
  g_assert_cmpstr (json_object_get_string_member (object, "base_url"), ==, base);
  g_assert_cmpstr (json_object_get_string_member (object, "model"), ==, CR_DEFAULT_MODEL);
  g_assert_cmpstr (json_object_get_string_member (object, "profile"), ==, "ci");
  g_assert_cmpstr (json_object_get_string_member (object, "key"), ==, masked);

  items = json_object_get_array_member (object, "items");
  g_assert_cmpuint (json_array_get_length (items), ==, G_N_ELEMENTS (expected) + 6);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);

      g_assert_cmpstr (json_object_get_string_member (item, "section"), ==, "gateway");
      g_assert_cmpstr (json_object_get_string_member (item, "id"), ==, expected[i].id);
      g_assert_cmpstr (json_object_get_string_member (item, "status"), ==, expected[i].status);
      g_assert_cmpstr (json_object_get_string_member (item, "title"), ==, title_of (f, expected[i].id));
      g_assert_true (json_object_has_member (item, "detail"));
      g_assert_true (json_object_has_member (item, "fix"));
    }
  g_assert_nonnull (strstr (json_object_get_string_member (json_array_get_object_element (items, 3),
                                                            "detail"), "403"));
  run_clear (&run);
}

static void
test_json_good (Fixture       *f,
                gconstpointer  data)
{
  const char *args[] = { "--json", "--key-stdin", "--base-url",
                         cr_test_gateway_get_base_url (f->server), NULL };
  const char *secrets[] = { CR_TEST_TOKEN_GOOD, NULL };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  Run run = { .stdin_text = CR_TEST_TOKEN_GOOD };  /* no newline at the end: fine too */

  run_cli (f, &run, args, secrets);
  g_assert_cmpint (run.status, ==, CR_CLI_EXIT_OK);
  root = parse_json (run.out);
  object = json_node_get_object (root);
  g_assert_true (json_object_get_boolean_member (object, "ok"));
  g_assert_cmpstr (json_object_get_string_member (object, "profile"), ==, CR_KEYRING_DEFAULT_PROFILE);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "items")), ==, 7 + 6);
  /* A passed item has nothing to fix. */
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (
    json_array_get_object_element (json_object_get_array_member (object, "items"), 0), "fix")));
  run_clear (&run);
}

static void
test_env_key (Fixture       *f,
              gconstpointer  data)
{
  const char *args[] = { "--base-url", cr_test_gateway_get_base_url (f->server), NULL };
  const char *secrets[] = { CR_TEST_TOKEN_GOOD, NULL };
  Run run = { .env_key = CR_TEST_TOKEN_GOOD };

  run_cli (f, &run, args, secrets);
  g_assert_cmpint (run.status, ==, CR_CLI_EXIT_OK);
  assert_contains (run.out, "(from CRAZYROUTER_API_KEY)");
  g_assert_cmpuint (cr_test_gateway_count_path (f->server, "/v1/models"), ==, 1);
  run_clear (&run);
}

/* --key-stdin wins over the environment. */
static void
test_stdin_first (Fixture       *f,
                  gconstpointer  data)
{
  const char *args[] = { "--key-stdin", "--base-url", cr_test_gateway_get_base_url (f->server), NULL };
  const char *secrets[] = { CR_TEST_TOKEN_GOOD, TOKEN_REVOKED, NULL };
  Run run = { .stdin_text = CR_TEST_TOKEN_GOOD "\n", .env_key = TOKEN_REVOKED };

  run_cli (f, &run, args, secrets);
  g_assert_cmpint (run.status, ==, CR_CLI_EXIT_OK);
  assert_contains (run.out, "(from standard input)");
  run_clear (&run);
}

static void
on_stored (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

static void
keyring_do (gboolean    store,
            const char *profile,
            const char *key)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (store)
    cr_keyring_store_async (profile, key, NULL, on_stored, &result);
  else
    cr_keyring_clear_async (profile, NULL, on_stored, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  if (store)
    g_assert_true (cr_keyring_store_finish (result, &error));
  else
    g_assert_true (cr_keyring_clear_finish (result, &error));
  g_assert_no_error (error);
}

/* The key comes from the keyring, by profile; the base URL from the
 * settings, as the wizard saved it. */
static void
test_keyring_key (Fixture       *f,
                  gconstpointer  data)
{
  const char *args[] = { "--profile", "cli-keyring", NULL };
  const char *secrets[] = { CR_TEST_TOKEN_GOOD, NULL };
  g_autofree char *header = NULL;
  g_autofree char *masked = cr_key_mask (CR_TEST_TOKEN_GOOD);
  g_autofree char *keyfile = NULL;
  Run run = { 0 };

  keyring_do (TRUE, "cli-keyring", CR_TEST_TOKEN_GOOD);
  keyfile = g_strdup_printf ("[com/crazyrouter/SetupAssistant]\n"
                             "base-url='%s'\n",
                             cr_test_gateway_get_base_url (f->server));
  run.keyfile = keyfile;

  run_cli (f, &run, args, secrets);
  g_assert_cmpint (run.status, ==, CR_CLI_EXIT_OK);
  header = g_strdup_printf ("Checking %s with key %s (from the keyring, profile “cli-keyring”)",
                            cr_test_gateway_get_base_url (f->server), masked);
  g_assert_true (g_str_has_prefix (run.out, header));
  g_assert_cmpuint (cr_test_gateway_count_path (f->server, "/v1/models"), ==, 1);
  run_clear (&run);

  /* Another profile has no key: the stored one is not used for it. */
  {
    const char *other[] = { "--profile", "cli-other", NULL };
    Run none = { .keyfile = keyfile };

    run_cli (f, &none, other, secrets);
    g_assert_cmpint (none.status, ==, CR_CLI_EXIT_USAGE);
    assert_contains (none.err, "nothing is stored for profile “cli-other”");
    run_clear (&none);
  }

  keyring_do (FALSE, "cli-keyring", NULL);
}

static void
test_stdin_without_bus (Fixture       *f,
                        gconstpointer  data)
{
  const char *args[] = { "--key-stdin", "--base-url", cr_test_gateway_get_base_url (f->server), NULL };
  const char *secrets[] = { CR_TEST_TOKEN_GOOD, NULL };
  Run run = { .stdin_text = CR_TEST_TOKEN_GOOD "\n", .no_bus = TRUE };

  run_cli (f, &run, args, secrets);
  g_assert_cmpint (run.status, ==, CR_CLI_EXIT_OK);
  g_assert_cmpstr (run.err, ==, "");
  /* The chat check and Cursor 3.x's format: the checks ran. */
  g_assert_cmpuint (cr_test_gateway_count_path (f->server, "/v1/chat/completions"), ==, 2);
  run_clear (&run);
}

/* Without --base-url and --model, the app's saved settings are used, and
 * so is the Tab Completion acknowledgement. */
static void
test_saved_settings (Fixture       *f,
                     gconstpointer  data)
{
  const char *secrets[] = { CR_TEST_TOKEN_GOOD, NULL };
  const Expected expected[] = {
    { CR_CHECK_KEY, "PASS" },
    { CR_CHECK_CHAT, "PASS" },
    { CR_CHECK_TAB_COMPLETION, "PASS" },
    { NULL, NULL }
  };
  g_autofree char *keyfile = NULL;
  g_autofree char *chat = NULL;
  Run run = { .env_key = CR_TEST_TOKEN_GOOD };

  keyfile = g_strdup_printf ("[com/crazyrouter/SetupAssistant]\n"
                             "base-url='%s'\n"
                             "model='claude-sonnet-4-6'\n"
                             "tab-acknowledged=true\n",
                             cr_test_gateway_get_base_url (f->server));
  run.keyfile = keyfile;

  run_cli (f, &run, NULL, secrets);
  g_assert_cmpint (run.status, ==, CR_CLI_EXIT_OK);
  assert_items (f, &run, expected);
  assert_contains (run.out, cr_test_gateway_get_base_url (f->server));
  assert_contains (run.out, "and model claude-sonnet-4-6\n");
  chat = item_block (f, run.out, CR_CHECK_CHAT, "PASS");
  assert_contains (chat, "claude-sonnet-4-6");
  /* claude-sonnet-4-6 in Cursor would go to its Anthropic key: not counted here,
   * as Cursor is not there; its three items need you, Cursor's own request
   * has not come, and the stock gateway refuses Cursor 3.x's format. */
  assert_contains (run.out, "Summary: 7 passed, 2 warnings, 4 need you, 0 failed.");
  run_clear (&run);
}

static void
test_no_key (Fixture       *f,
             gconstpointer  data)
{
  const char *args[] = { "--profile", "cli-nobody", NULL };
  Run run = { 0 };

  run_cli (f, &run, args, NULL);
  g_assert_cmpint (run.status, ==, CR_CLI_EXIT_USAGE);
  g_assert_cmpstr (run.out, ==, "");
  /* Says where it looked and how to give a key. */
  assert_contains (run.err, "--key-stdin");
  assert_contains (run.err, "CRAZYROUTER_API_KEY");
  assert_contains (run.err, "nothing is stored for profile “cli-nobody”");
  g_assert_cmpuint (cr_test_gateway_get_request_count (f->server), ==, 0);
  run_clear (&run);
}

static void
test_no_key_no_keyring (Fixture       *f,
                        gconstpointer  data)
{
  Run run = { .no_bus = TRUE };

  run_cli (f, &run, NULL, NULL);
  g_assert_cmpint (run.status, ==, CR_CLI_EXIT_USAGE);
  assert_contains (run.err, "No keyring service is running");
  assert_contains (run.err, "--key-stdin");
  run_clear (&run);
}

static void
test_bad_usage (Fixture       *f,
                gconstpointer  data)
{
  const char *unknown[] = { "--frobnicate", NULL };
  const char *extra[] = { "--key-stdin", "surplus", NULL };
  const char *empty_profile[] = { "--profile", "", NULL };
  const char *bad_key[] = { "--key-stdin", "--base-url", cr_test_gateway_get_base_url (f->server), NULL };
  const char *secrets[] = { "hello-this-is-not-a-key", NULL };
  Run run = { 0 };
  Run no_stdin = { .stdin_text = "" };
  Run not_a_key = { .stdin_text = "hello-this-is-not-a-key\n" };

  run_cli (f, &run, unknown, NULL);
  g_assert_cmpint (run.status, ==, CR_CLI_EXIT_USAGE);
  assert_contains (run.err, "--frobnicate");
  assert_contains (run.err, "--help");
  g_assert_cmpstr (run.out, ==, "");
  run_clear (&run);

  run_cli (f, &run, extra, NULL);
  g_assert_cmpint (run.status, ==, CR_CLI_EXIT_USAGE);
  assert_contains (run.err, "surplus");
  run_clear (&run);

  run_cli (f, &run, empty_profile, NULL);
  g_assert_cmpint (run.status, ==, CR_CLI_EXIT_USAGE);
  run_clear (&run);

  /* --key-stdin with nothing on stdin */
  run_cli (f, &no_stdin, bad_key, NULL);
  g_assert_cmpint (no_stdin.status, ==, CR_CLI_EXIT_USAGE);
  assert_contains (no_stdin.err, "standard input");
  run_clear (&no_stdin);

  /* a key that cannot be right is refused before anything is sent */
  run_cli (f, &not_a_key, bad_key, secrets);
  g_assert_cmpint (not_a_key.status, ==, CR_CLI_EXIT_USAGE);
  assert_contains (not_a_key.err, "sk-");
  run_clear (&not_a_key);

  g_assert_cmpuint (cr_test_gateway_get_request_count (f->server), ==, 0);
}

/* The line of --help that describes @option: exactly one, with words. */
static void
assert_help_line (const char *help,
                  const char *option)
{
  g_auto(GStrv) lines = g_strsplit (help, "\n", -1);
  guint found = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = g_strchug (lines[i]);
      gsize len = strlen (option);

      if (strncmp (line, option, len) == 0 && (line[len] == ' ' || line[len] == '='))
        {
          found++;
          /* option[=ARG], spaces, then a description */
          g_assert_nonnull (strstr (line + len, "  "));
          g_assert_cmpuint (strlen (g_strstrip (strstr (line + len, "  "))), >, 10);
        }
    }
  if (found != 1)
    g_error ("expected one line for %s in --help, found %u:\n%s", option, found, help);
}

static void
test_help (Fixture       *f,
           gconstpointer  data)
{
  const char *args[] = { "--help", NULL };
  const char *options[] = {
    "--check", "--json", "--key-stdin", "--base-url", "--model", "--profile",
    "--cursor-config", "--wait-for-cursor", "--version", "--verbose", NULL
  };
  Run run = { 0 };
  Run plain = { .without_check = TRUE, .no_bus = TRUE };

  run_cli (f, &run, args, NULL);
  g_assert_cmpint (run.status, ==, 0);
  assert_contains (run.out, "--key-stdin");
  assert_contains (run.out, "--base-url");
  assert_contains (run.out, "--json");
  assert_contains (run.out, "--cursor-config");
  g_assert_null (strstr (run.out, "--cursor-install-root"));
  assert_contains (run.out, "CRAZYROUTER_API_KEY");

  /* The application's --help is the same: every option, one line each,
   * also without a display. */
  run_cli (f, &plain, args, NULL);
  g_assert_cmpint (plain.status, ==, 0);
  g_assert_cmpstr (plain.out, ==, run.out);
  for (guint i = 0; options[i] != NULL; i++)
    assert_help_line (plain.out, options[i]);
  assert_contains (plain.out, "--wait-for-cursor=SECONDS");
  g_assert_null (strstr (plain.out, "--cursor-install-root"));
  run_clear (&run);
  run_clear (&plain);
}

static void
test_version (Fixture       *f,
              gconstpointer  data)
{
  const char *args[] = { "--version", NULL };
  Run run = { .without_check = TRUE, .no_bus = TRUE };

  run_cli (f, &run, args, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "crazyrouter-setup " PACKAGE_VERSION "\n");
  g_assert_cmpstr (run.err, ==, "");
  run_clear (&run);
}

/* Options of --check are refused without it, as are stray arguments. */
static void
test_needs_check (Fixture       *f,
                  gconstpointer  data)
{
  const char *json[] = { "--json", NULL };
  const char *wait[] = { "--wait-for-cursor=5", NULL };
  const char *profile[] = { "--profile", "cursor", NULL };
  const char *surplus[] = { "surplus", NULL };
  const struct {
    const char * const *args;
    const char         *said;   /* in what it prints */
  } cases[] = {
    { json, "“--json” only works with --check" },
    { wait, "“--wait-for-cursor” only works with --check" },
    { profile, "“--profile” only works with --check" },
    { surplus, "Unexpected argument “surplus”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Run run = { .without_check = TRUE, .no_bus = TRUE };

      run_cli (f, &run, cases[i].args, NULL);
      g_assert_cmpint (run.status, ==, CR_CLI_EXIT_USAGE);
      g_assert_cmpstr (run.out, ==, "");
      assert_contains (run.err, cases[i].said);
      assert_contains (run.err, "--help");
      run_clear (&run);
    }
  g_assert_cmpuint (cr_test_gateway_get_request_count (f->server), ==, 0);
}

static void
test_wait_for_cursor_range (Fixture       *f,
                            gconstpointer  data)
{
  const char *too_long[] = { "--key-stdin", "--wait-for-cursor=99999", NULL };
  const char *negative[] = { "--key-stdin", "--wait-for-cursor=-1", NULL };
  const char *not_a_number[] = { "--key-stdin", "--wait-for-cursor=soon", NULL };
  const char * const *cases[] = { too_long, negative, not_a_number, NULL };

  for (guint i = 0; cases[i] != NULL; i++)
    {
      Run run = { .stdin_text = CR_TEST_TOKEN_GOOD "\n" };

      run_cli (f, &run, cases[i], NULL);
      g_assert_cmpint (run.status, ==, CR_CLI_EXIT_USAGE);
      g_assert_cmpstr (run.out, ==, "");
      assert_contains (run.err, "--wait-for-cursor");
      assert_contains (run.err, "--help");
      run_clear (&run);
    }
  g_assert_cmpuint (cr_test_gateway_get_request_count (f->server), ==, 0);
}

/* Ctrl-C while a request hangs: the run stops at once, cleanly. */
static void
test_interrupt (Fixture       *f,
                gconstpointer  data)
{
  const char *args[] = { "--key-stdin", "--base-url", cr_test_gateway_get_base_url (f->server), NULL };
  const char *secrets[] = { CR_TEST_TOKEN_GOOD, NULL };
  Run run = { .stdin_text = CR_TEST_TOKEN_GOOD "\n", .interrupt_after_requests = 1 };
  gint64 start;

  cr_test_gateway_set_mode (f->server, CR_TEST_MODE_HANG);
  start = g_get_monotonic_time ();
  run_cli (f, &run, args, secrets);
  g_assert_cmpint (run.status, ==, CR_CLI_EXIT_INTERRUPTED);
  assert_contains (run.err, "Cancelled.");
  g_assert_null (strstr (run.out, "Summary"));
  /* What was known before the hang had been printed already. */
  g_free (item_block (f, run.out, CR_CHECK_BASE_URL, "WARN"));
  g_assert_null (strstr (run.out, title_of (f, CR_CHECK_KEY)));
  /* Far below the 20 s request timeout. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
  run_clear (&run);
}

/* --- Cursor's own settings ------------------------------------------- */

/* Cursor set up for the loopback gateway, with a key row (never shown). */
static char *
cursor_settings (Fixture    *f,
                 const char *toggle)
{
  return g_strdup_printf ("{'useOpenAIKey': %s, 'openAIBaseUrl': '%s',"
                          " 'availableDefaultModels2': [{'name': 'gpt-5.4', 'defaultOn': true}]}",
                          toggle, cr_test_gateway_get_base_url (f->server));
}

static void
make_cursor (Fixture    *f,
             const char *toggle)
{
  g_autofree char *settings = cursor_settings (f, toggle);

  g_free (cr_test_cursor_make_profile (f->cursor, settings, CR_TEST_CURSOR_NEW_KEY_ROW));
}

static const char *cursor_secrets[] = {
  CR_TEST_TOKEN_GOOD, CR_TEST_CURSOR_FAKE_KEY, CR_TEST_CURSOR_FAKE_KEY_PART, NULL
};

/* --cursor-config: Cursor's items under their own heading, after the gateway's. */
static void
test_cursor_section (Fixture       *f,
                     gconstpointer  data)
{
  const char *args[] = { "--key-stdin", "--base-url", cr_test_gateway_get_base_url (f->server), NULL };
  const Expected expected[] = {
    { CR_CHECK_KEY, "PASS" },
    { CR_CHECK_CURSOR_KEY, "PASS" },
    { CR_CHECK_CURSOR_BASE_URL, "WARN" },   /* loopback: unreachable from Cursor's servers */
    { CR_CHECK_CURSOR_MODEL, "PASS" },
    { CR_CHECK_CURSOR_VERIFY, "PASS" },
    { NULL, NULL }
  };
  g_autofree char *db = g_build_filename (f->cursor, "User", "globalStorage", "state.vscdb", NULL);
  g_autofree char *heading = g_strdup_printf ("\nCursor 1.4.2, settings read from %s\n", db);
  g_autofree char *base_url = NULL;
  const char *note;
  Run run = { .stdin_text = CR_TEST_TOKEN_GOOD "\n" };

  make_cursor (f, "true");
  cr_test_cursor_make_install (f->install, "1.4.2");
  run_cli (f, &run, args, cursor_secrets);
  g_assert_cmpint (run.status, ==, CR_CLI_EXIT_OK);
  assert_items (f, &run, expected);

  assert_contains (run.out, heading);
  /* The heading comes after every gateway item. */
  g_assert_true (strstr (run.out, heading) > strstr (run.out, title_of (f, CR_CHECK_LOGS)));
  /* Under it, once: what it read may lag a running Cursor. */
  note = strstr (run.out, "A running Cursor may not have saved");
  g_assert_nonnull (note);
  g_assert_true (note > strstr (run.out, heading));
  g_assert_null (strstr (note + 1, "A running Cursor may not have saved"));
  base_url = item_block (f, run.out, CR_CHECK_CURSOR_BASE_URL, "WARN");
  assert_contains (base_url, cr_test_gateway_get_base_url (f->server));
  assert_contains (base_url, "own servers");
  /* Nothing remembered yet: no update, nothing marked. */
  g_assert_null (strstr (run.out, "was updated"));
  g_assert_null (strstr (run.out, "Changed since the last check."));
  /* And the stock gateway refuses Cursor 3.x's format (a warning); Cursor's
   * own request has not come yet (needs you). */
  assert_contains (run.out, "Summary: 8 passed, 3 warnings, 2 need you, 0 failed.");
  run_clear (&run);
}

static JsonObject *
json_item (JsonObject *document,
           const char *id)
{
  JsonArray *items = json_object_get_array_member (document, "items");

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);

      if (g_str_equal (json_object_get_string_member (item, "id"), id))
        return item;
    }

  g_error ("no item %s", id);
}

static void
test_cursor_json (Fixture       *f,
                  gconstpointer  data)
{
  const char *args[] = { "--json", "--key-stdin", "--base-url",
                         cr_test_gateway_get_base_url (f->server), NULL };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonObject *cursor;
  JsonObject *changed;
  JsonArray *items;
  Run run = { .stdin_text = CR_TEST_TOKEN_GOOD "\n" };

  make_cursor (f, "false");
  cr_test_cursor_make_install (f->install, "1.4.2");
  run_cli (f, &run, args, cursor_secrets);
  g_assert_cmpint (run.status, ==, CR_CLI_EXIT_FAILED);

  root = parse_json (run.out);
  object = json_node_get_object (root);
  items = json_object_get_array_member (object, "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 13);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);

      g_assert_cmpstr (json_object_get_string_member (item, "section"), ==, i < 7 ? "gateway" : "cursor");
      g_assert_false (json_object_get_boolean_member (item, "changed"));
    }
  g_assert_cmpstr (json_object_get_string_member (json_item (object, CR_CHECK_CURSOR_KEY), "status"), ==,
                   "failed");
  g_assert_nonnull (strstr (json_object_get_string_member (json_item (object, CR_CHECK_CURSOR_KEY), "detail"),
                            "plan changes"));

  cursor = json_object_get_object_member (object, "cursor");
  g_assert_true (json_object_get_boolean_member (cursor, "found"));
  g_assert_cmpstr (json_object_get_string_member (cursor, "status"), ==, "found");
  g_assert_cmpstr (json_object_get_string_member (cursor, "version"), ==, "1.4.2");
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (cursor, "previous_version")));
  g_assert_false (json_object_get_boolean_member (cursor, "updated"));
  g_assert_false (json_object_get_boolean_member (cursor, "remembered"));
  g_assert_cmpstr (json_object_get_string_member (cursor, "verify_model"), ==, "gpt-5.4");
  g_assert_false (json_object_has_member (cursor, "key"));
  changed = json_object_get_object_member (cursor, "changed");
  g_assert_cmpuint (json_object_get_size (changed), ==, 7);
  g_assert_false (json_object_get_boolean_member (changed, "version"));
  run_clear (&run);
}

static char *
read_keyfile (const char *config_home)
{
  g_autofree char *path = g_build_filename (config_home, "glib-2.0", "settings", "keyfile", NULL);
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

/* Run after a Cursor update: it says so, and marks what changed. */
static void
test_cursor_updated (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *config_home = g_build_filename (f->home, "config", NULL);
  g_autofree char *newer = g_build_filename (f->home, "install-1.5.0", NULL);
  const char *first_args[] = { "--base-url", cr_test_gateway_get_base_url (f->server), NULL };
  /* The newer install root is looked at first: Cursor was updated. */
  const char *second_args[] = { "--base-url", cr_test_gateway_get_base_url (f->server),
                                "--cursor-install-root", newer, NULL };
  const char *json_args[] = { "--json", "--base-url", cr_test_gateway_get_base_url (f->server),
                              "--cursor-install-root", newer, NULL };
  g_autofree char *block = NULL;
  g_autofree char *keyfile = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonObject *cursor;
  Run first = { .env_key = CR_TEST_TOKEN_GOOD, .config_home = config_home, .keyfile = "" };
  Run second = { .env_key = CR_TEST_TOKEN_GOOD, .config_home = config_home };
  Run third = { .env_key = CR_TEST_TOKEN_GOOD, .config_home = config_home };

  make_cursor (f, "true");
  cr_test_cursor_make_install (f->install, "1.4.2");
  cr_test_cursor_make_install (newer, "1.5.0");
  g_assert_cmpint (g_mkdir_with_parents (config_home, 0700), ==, 0);

  run_cli (f, &first, first_args, cursor_secrets);
  g_assert_cmpint (first.status, ==, CR_CLI_EXIT_OK);
  g_assert_null (strstr (first.out, "was updated"));
  keyfile = read_keyfile (config_home);
  assert_contains (keyfile, "cursor-version='1.4.2'");
  assert_contains (keyfile, "cursor-facts=");
  for (guint i = 0; cursor_secrets[i] != NULL; i++)
    g_assert_null (strstr (keyfile, cursor_secrets[i]));
  g_clear_pointer (&keyfile, g_free);

  /* Updated, and it switched the key off after a new login. */
  make_cursor (f, "false");
  run_cli (f, &second, second_args, cursor_secrets);
  g_assert_cmpint (second.status, ==, CR_CLI_EXIT_FAILED);
  assert_has_line (second.out, "Cursor was updated from 1.4.2 to 1.5.0 — checking again.");
  block = item_block (f, second.out, CR_CHECK_CURSOR_KEY, "FAIL");
  assert_contains (block, "Changed since the last check.");
  assert_contains (block, "log in again or your plan changes");
  g_clear_pointer (&block, g_free);
  block = item_block (f, second.out, CR_CHECK_CURSOR_BASE_URL, "WARN");
  g_assert_null (strstr (block, "Changed since the last check."));
  keyfile = read_keyfile (config_home);
  assert_contains (keyfile, "cursor-version='1.5.0'");
  for (guint i = 0; cursor_secrets[i] != NULL; i++)
    g_assert_null (strstr (keyfile, cursor_secrets[i]));

  /* Nothing new since: no update, nothing marked. */
  run_cli (f, &third, json_args, cursor_secrets);
  root = parse_json (third.out);
  object = json_node_get_object (root);
  cursor = json_object_get_object_member (object, "cursor");
  g_assert_cmpstr (json_object_get_string_member (cursor, "version"), ==, "1.5.0");
  g_assert_cmpstr (json_object_get_string_member (cursor, "previous_version"), ==, "1.5.0");
  g_assert_false (json_object_get_boolean_member (cursor, "updated"));
  g_assert_true (json_object_get_boolean_member (cursor, "remembered"));
  g_assert_false (json_object_get_boolean_member (json_object_get_object_member (cursor, "changed"),
                                                  "use_openai_key"));
  g_assert_false (json_object_get_boolean_member (json_item (object, CR_CHECK_CURSOR_KEY), "changed"));

  run_clear (&first);
  run_clear (&second);
  run_clear (&third);
}

/* Without --cursor-config, Cursor is found in the usual place. */
static void
test_cursor_auto_detect (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *config_home = g_build_filename (f->home, "config", NULL);
  g_autofree char *profile = g_build_filename (config_home, "Cursor", NULL);
  g_autofree char *settings = cursor_settings (f, "true");
  g_autofree char *db = NULL;
  const char *args[] = { "--key-stdin", "--base-url", cr_test_gateway_get_base_url (f->server), NULL };
  Run run = { .stdin_text = CR_TEST_TOKEN_GOOD "\n", .config_home = config_home, .keyfile = "",
              .auto_cursor = TRUE };

  db = cr_test_cursor_make_profile (profile, settings, CR_TEST_CURSOR_OLD_KEY_ROW);
  run_cli (f, &run, args, cursor_secrets);
  g_assert_cmpint (run.status, ==, CR_CLI_EXIT_OK);
  assert_contains (run.out, db);
  g_free (item_block (f, run.out, CR_CHECK_CURSOR_KEY, "PASS"));
  run_clear (&run);
}

/* --verbose: the requests' trace on stderr, the key hidden; --json's
 * stdout stays one document. */
static void
test_verbose (Fixture       *f,
              gconstpointer  data)
{
  const char *args[] = { "--json", "--verbose", "--key-stdin", "--base-url",
                         cr_test_gateway_get_base_url (f->server), NULL };
  const char *secrets[] = { CR_TEST_TOKEN_GOOD, NULL };
  g_autoptr(JsonNode) root = NULL;
  Run run = { .stdin_text = CR_TEST_TOKEN_GOOD "\n" };

  run_cli (f, &run, args, secrets);
  g_assert_cmpint (run.status, ==, CR_CLI_EXIT_OK);
  root = parse_json (run.out);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  assert_contains (run.err, "GET /v1/models HTTP/1.1");
  assert_contains (run.err, "Authorization: [hidden]");
  assert_contains (run.err, "/v1/chat/completions: 200 in ");
  run_clear (&run);
}

/* --- Cursor's own request (the watch) ------------------------------- */

/* Wall-clock limits grow with the sanitizer build's slowness. */
static double
time_scale (void)
{
  const char *scale = g_getenv ("CR_TEST_TIME_SCALE");

  return scale != NULL ? MAX (g_ascii_strtod (scale, NULL), 1.0) : 1.0;
}

/* The proof: a stock gateway and a right Cursor profile pass, and
 * with Cursor's message arriving 8 s into --wait-for-cursor=60, the item
 * passes at the next look, within the gateway's rate limit. */
static void
test_cursor_watch_passes (Fixture       *f,
                          gconstpointer  data)
{
  const char *args[] = { "--key-stdin", "--base-url", cr_test_gateway_get_base_url (f->server),
                         "--wait-for-cursor=60", NULL };
  g_autofree char *block = NULL;
  Run run = { .stdin_text = CR_TEST_TOKEN_GOOD "\n" };
  gint64 started = g_get_monotonic_time ();
  double seconds;

  make_cursor (f, "true");
  cr_test_gateway_add_log_later (f->server, CR_TEST_TOKEN_GOOD, 8000, CR_TEST_LOG_CURSOR_CHAT, "gpt-5.4");
  run_cli (f, &run, args, cursor_secrets);
  seconds = (double) (g_get_monotonic_time () - started) / G_USEC_PER_SEC;

  g_assert_cmpint (run.status, ==, CR_CLI_EXIT_OK);
  block = item_block (f, run.out, CR_CHECK_CURSOR_CHAT, "PASS");
  assert_contains (block, "gpt-5.4");
  assert_contains (block, "streamed");
  assert_contains (block, "2350 prompt and 180 completion tokens");
  assert_contains (block, "$0.0122");
  /* What to do was said, on stderr. */
  assert_contains (run.err, "Send one message in Cursor’s chat now");
  /* Seen at the first look after it arrived, not at the end of the minute. */
  g_test_message ("took %.1f s", seconds);
  g_assert_cmpfloat (seconds, <, 8 + 25 + 5 * time_scale ());
  g_assert_cmpuint (cr_test_gateway_get_critical_count (f->server), <, 10);
  run_clear (&run);
}

/* The error Cursor's request met is a failure, with its fix. */
static void
test_cursor_watch_error (Fixture       *f,
                         gconstpointer  data)
{
  const char *args[] = { "--json", "--key-stdin", "--base-url", cr_test_gateway_get_base_url (f->server),
                         "--wait-for-cursor=30", NULL };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *item;
  Run run = { .stdin_text = CR_TEST_TOKEN_GOOD "\n" };

  make_cursor (f, "true");
  cr_test_gateway_add_log_later (f->server, CR_TEST_TOKEN_GOOD, 1000, CR_TEST_LOG_CURSOR_ERROR, "gpt-5.4");
  run_cli (f, &run, args, cursor_secrets);
  g_assert_cmpint (run.status, ==, CR_CLI_EXIT_FAILED);

  /* --json stays one document; the item is in it like the others. */
  root = parse_json (run.out);
  item = json_item (json_node_get_object (root), CR_CHECK_CURSOR_CHAT);
  g_assert_cmpstr (json_object_get_string_member (item, "section"), ==, "cursor");
  g_assert_cmpstr (json_object_get_string_member (item, "status"), ==, "failed");
  assert_contains (json_object_get_string_member (item, "detail"), "no access to model gpt-5.4");
  g_assert_false (JSON_NODE_HOLDS_NULL (json_object_get_member (item, "fix")));
  run_clear (&run);
}

/* Nothing comes: needs you, with what to do; the run does not fail. */
static void
test_cursor_watch_nothing (Fixture       *f,
                           gconstpointer  data)
{
  const char *args[] = { "--key-stdin", "--base-url", cr_test_gateway_get_base_url (f->server),
                         "--wait-for-cursor=2", NULL };
  g_autofree char *block = NULL;
  Run run = { .stdin_text = CR_TEST_TOKEN_GOOD "\n" };

  make_cursor (f, "true");
  run_cli (f, &run, args, cursor_secrets);
  g_assert_cmpint (run.status, ==, CR_CLI_EXIT_OK);
  block = item_block (f, run.out, CR_CHECK_CURSOR_CHAT, "TODO");
  assert_contains (block, "No request from Cursor reached Crazyrouter in 1 minute");
  assert_contains (block, "Fix: ");
  run_clear (&run);
}

/* Without --wait-for-cursor: one look at the logs the run reads anyway.
 * Cursor's message from before counts; our own test requests never do. */
static void
test_cursor_one_look (Fixture       *f,
                      gconstpointer  data)
{
  const char *args[] = { "--key-stdin", "--base-url", cr_test_gateway_get_base_url (f->server), NULL };
  g_autofree char *block = NULL;
  Run run = { .stdin_text = CR_TEST_TOKEN_GOOD "\n" };
  guint reads;

  make_cursor (f, "true");
  run_cli (f, &run, args, cursor_secrets);
  g_free (item_block (f, run.out, CR_CHECK_CURSOR_CHAT, "TODO"));
  run_clear (&run);

  /* A second run sees the first one's requests, and knows them for checks. */
  reads = cr_test_gateway_get_critical_count (f->server);
  run.stdin_text = CR_TEST_TOKEN_GOOD "\n";
  run_cli (f, &run, args, cursor_secrets);
  g_free (item_block (f, run.out, CR_CHECK_CURSOR_CHAT, "TODO"));
  /* One look means no read of its own: usage and logs, as before. */
  g_assert_cmpuint (cr_test_gateway_get_critical_count (f->server) - reads, ==, 2);
  run_clear (&run);

  cr_test_gateway_add_log_later (f->server, CR_TEST_TOKEN_GOOD, 0, CR_TEST_LOG_CURSOR_CHAT, "gpt-5.4");
  run.stdin_text = CR_TEST_TOKEN_GOOD "\n";
  run_cli (f, &run, args, cursor_secrets);
  block = item_block (f, run.out, CR_CHECK_CURSOR_CHAT, "PASS");
  assert_contains (block, "streamed");
  run_clear (&run);
}

/* A deployment that keeps the logs from tokens: Cursor's request cannot be
 * seen from here, and the item says how to look by hand. */
static void
test_cursor_no_logs (Fixture       *f,
                     gconstpointer  data)
{
  const char *args[] = { "--key-stdin", "--base-url", cr_test_gateway_get_base_url (f->server),
                         "--wait-for-cursor=5", NULL };
  g_autofree char *block = NULL;
  Run run = { .stdin_text = CR_TEST_TOKEN_GOOD "\n" };

  make_cursor (f, "true");
  cr_test_gateway_set_mode (f->server, CR_TEST_MODE_NO_LOGS);
  run_cli (f, &run, args, cursor_secrets);
  g_assert_cmpint (run.status, ==, CR_CLI_EXIT_OK);
  block = item_block (f, run.out, CR_CHECK_CURSOR_CHAT, "TODO");
  assert_contains (block, "could not be read");
  assert_contains (block, "website");
  run_clear (&run);
}

/* The gateway's limit of 20 reads in 20 minutes is "wait", never a
 * failure of the setup. */
static void
test_cursor_rate_limited (Fixture       *f,
                          gconstpointer  data)
{
  const char *args[] = { "--key-stdin", "--base-url", cr_test_gateway_get_base_url (f->server), NULL };
  g_autofree char *block = NULL;
  Run run = { .stdin_text = CR_TEST_TOKEN_GOOD "\n" };

  make_cursor (f, "true");
  /* Older new-api: a 429 with an empty body and no Retry-After. */
  cr_test_gateway_set_critical_limit (f->server, 1, FALSE);
  run_cli (f, &run, args, cursor_secrets);
  g_assert_cmpint (run.status, ==, CR_CLI_EXIT_OK);
  block = item_block (f, run.out, CR_CHECK_CURSOR_CHAT, "TODO");
  assert_contains (block, "20 times in 20 minutes");
  assert_contains (block, "Wait about");
  run_clear (&run);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/cli/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("good", test_good);
  ADD ("bad-token", test_bad_token);
  ADD ("narrow-token", test_narrow_token);
  ADD ("root-domain", test_root_domain);
  ADD ("full-endpoint", test_full_endpoint);
  ADD ("json/narrow", test_json);
  ADD ("json/good", test_json_good);
  ADD ("key/env", test_env_key);
  ADD ("key/stdin-first", test_stdin_first);
  ADD ("key/keyring", test_keyring_key);
  ADD ("key/stdin-without-bus", test_stdin_without_bus);
  ADD ("key/none", test_no_key);
  ADD ("saved-settings", test_saved_settings);
  ADD ("key/none-no-keyring", test_no_key_no_keyring);
  ADD ("usage/bad", test_bad_usage);
  ADD ("usage/help", test_help);
  ADD ("usage/version", test_version);
  ADD ("usage/needs-check", test_needs_check);
  ADD ("usage/wait-for-cursor", test_wait_for_cursor_range);
  ADD ("interrupt", test_interrupt);
  ADD ("verbose", test_verbose);
  ADD ("cursor/section", test_cursor_section);
  ADD ("cursor/json", test_cursor_json);
  ADD ("cursor/updated", test_cursor_updated);
  ADD ("cursor/auto-detect", test_cursor_auto_detect);
  ADD ("cursor/watch-passes", test_cursor_watch_passes);
  ADD ("cursor/watch-error", test_cursor_watch_error);
  ADD ("cursor/watch-nothing", test_cursor_watch_nothing);
  ADD ("cursor/one-look", test_cursor_one_look);
  ADD ("cursor/rate-limited", test_cursor_rate_limited);
  ADD ("cursor/no-logs", test_cursor_no_logs);

#undef ADD

  return g_test_run ();
}
