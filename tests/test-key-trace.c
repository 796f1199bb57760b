/* test-key-trace.c: the key leaves no trace
 *
 * Runs the whole wizard in a real window with a key made for this run
 * ("sk-demo-trace-" and 32 random letters and digits: obviously fake, and
 * every 12-character piece of it unique), saves it to the real (private)
 * gnome-keyring, copies it on the Cursor step, then spawns
 * `crazyrouter-setup --check` with it on standard input and again from the
 * keyring, all with G_MESSAGES_DEBUG=all. Then it looks everywhere the key
 * could have gone: the test world (HOME with its config, cache, state,
 * recent files and the GSettings keyfile; XDG_RUNTIME_DIR; the keyring's
 * own file, which is encrypted and must not hold it in clear either), the
 * world's private TMPDIR (headless-run.sh gives the wizard and --check
 * their own; the shared /tmp holds other builds' files with this demo
 * key's prefix), everything the wizard logged or wrote to stderr, and
 * what --check printed. None may hold the key or any 12-character piece
 * of it.
 *
 * Also: the copied key is off the clipboard after the announced time, and
 * no process's command line or environment holds it while --check runs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cr-application.h"
#include "cr-checklist-page.h"
#include "cr-cursor-page.h"
#include "cr-key.h"
#include "cr-key-page.h"
#include "cr-keyring.h"
#include "cr-test-gateway.h"
#include "cr-test-ui.h"
#include "cr-window.h"

#define PIECE 12
#define KEY_PREFIX "sk-demo-trace-"

static char          *key;             /* made for this run */
static GString       *logged;          /* every log message of this process */

/* ---- looking for the key ---- */

/* memmem() without _GNU_SOURCE: @data may hold NULs. */
static gboolean
contains (const char *data,
          gsize       len,
          const char *needle,
          gsize       needle_len)
{
  const char *end = data + len;

  for (const char *p = data; (gsize) (end - p) >= needle_len; p++)
    {
      p = memchr (p, needle[0], end - p - needle_len + 1);
      if (p == NULL)
        return FALSE;
      if (memcmp (p, needle, needle_len) == 0)
        return TRUE;
    }
  return FALSE;
}

/* The first piece of the key found in @data, or NULL. */
static char *
find_piece (const char *data,
            gsize       len)
{
  gsize key_len = strlen (key);

  for (gsize i = 0; i + PIECE <= key_len; i++)
    if (contains (data, len, key + i, PIECE))
      return g_strndup (key + i, PIECE);
  return NULL;
}

/* Where a piece of the key was found; only the places are kept. */
static GPtrArray *found_in;

static void
assert_no_piece (const char *where,
                 const char *data,
                 gsize       len)
{
  g_autofree char *piece = find_piece (data, len);

  if (piece != NULL)
    g_ptr_array_add (found_in, g_strdup (where));
}

static void
assert_nothing_found (void)
{
  for (guint i = 0; i < found_in->len; i++)
    g_test_message ("A piece of the key is in %s", (char *) g_ptr_array_index (found_in, i));
  g_assert_cmpuint (found_in->len, ==, 0);
}

static void
scan_file (const char *path,
           guint      *n_files)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;

  if (!g_file_get_contents (path, &contents, &len, &error))
    {
      /* Gone since it was listed, or not ours to read. */
      g_test_message ("Not read: %s", error->message);
      return;
    }
  assert_no_piece (path, contents, len);
  if (g_test_verbose ())
    g_test_message ("Looked at %s (%" G_GSIZE_FORMAT " bytes)", path, len);
  (*n_files)++;
}

/* Regular files under @dir, on @dir's file system only (the document
 * portal's FUSE folder in the runtime dir is not a place files are kept). */
static void
scan_tree (const char *dir,
           dev_t       device,
           guint       depth,
           guint      *n_files)
{
  g_autoptr(GDir) entries = g_dir_open (dir, 0, NULL);
  const char *name;

  if (entries == NULL || depth > 12)
    return;

  while ((name = g_dir_read_name (entries)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      struct stat st;

      if (lstat (path, &st) != 0 || st.st_dev != device)
        continue;
      if (S_ISDIR (st.st_mode))
        scan_tree (path, device, depth + 1, n_files);
      else if (S_ISREG (st.st_mode))
        scan_file (path, n_files);
    }
}

static void
scan_dir (const char *dir)
{
  struct stat st;
  guint n_files = 0;

  g_assert_cmpint (stat (dir, &st), ==, 0);
  scan_tree (dir, st.st_dev, 0, &n_files);
  g_test_message ("Looked at %u files under %s", n_files, dir);
}

/* Every process we may read: its command line and environment. */
static guint
scan_processes (void)
{
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (proc);
  while ((name = g_dir_read_name (proc)) != NULL)
    {
      if (!g_ascii_isdigit (name[0]))
        continue;
      for (guint i = 0; i < 2; i++)
        {
          g_autofree char *path = g_build_filename ("/proc", name, i == 0 ? "cmdline" : "environ", NULL);
          g_autofree char *contents = NULL;
          gsize len;

          if (!g_file_get_contents (path, &contents, &len, NULL))
            continue;
          assert_no_piece (path, contents, len);
          n++;
        }
    }
  return n;
}

/* The process @pid and its descendants are among those scanned. */
static gboolean
is_descendant (guint pid,
               guint ancestor)
{
  for (guint depth = 0; pid > 1 && depth < 64; depth++)
    {
      g_autofree char *path = g_strdup_printf ("/proc/%u/stat", pid);
      g_autofree char *stat = NULL;
      const char *after;

      if (pid == ancestor)
        return TRUE;
      if (!g_file_get_contents (path, &stat, NULL, NULL) || (after = strrchr (stat, ')')) == NULL)
        return FALSE;
      /* "pid (comm) state ppid …" */
      pid = (guint) g_ascii_strtoull (after + 4, NULL, 10);
    }
  return FALSE;
}

static void
assert_process_readable (guint pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%u/environ", pid);
  g_autofree char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
}

/* ---- the wizard ---- */

/* Longer than cr_test_ui_wait_until's 20 s, as this test always waited. */
#define wait_until(cond) CR_TEST_UI_WAIT_UNTIL (cond, 30)

static void
next (CrWindow   *window,
      const char *expected)
{
  GtkWidget *button = cr_test_ui_child (window, CR_TYPE_WINDOW, "next_button");

  wait_until (gtk_widget_get_sensitive (button) && !cr_window_get_busy (window));
  cr_test_ui_activate (window, "assistant.next");
  if (expected != NULL)
    wait_until (g_strcmp0 (cr_test_ui_page_id (window), expected) == 0);
}

static void
read_text_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  char **text = user_data;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, NULL);
  if (*text == NULL)
    *text = g_strdup ("");
}

static char *
clipboard_text (GtkWidget *widget)
{
  char *text = NULL;

  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (widget), NULL, read_text_cb, &text);
  wait_until (text != NULL);
  return text;
}

static void
copy_key_on_cursor_page (CrWindow *window)
{
  CrPage *cursor = cr_window_get_page (window);
  g_autofree char *text = NULL;
  gint64 copied;

  /* The announced time, shortened: the same timer as the 30 seconds. */
  cr_cursor_page_set_clipboard_timeout (CR_CURSOR_PAGE (cursor), 1);
  g_signal_emit_by_name (cr_test_ui_child (cursor, CR_TYPE_CURSOR_PAGE, "copy_key_button"), "clicked");
  copied = g_get_monotonic_time ();
  g_assert_nonnull (strstr (gtk_label_get_text (cr_test_ui_child (cursor, CR_TYPE_CURSOR_PAGE, "notice_label")),
                            "cleared from the clipboard in 1 second"));
  text = clipboard_text (GTK_WIDGET (window));
  g_assert_cmpstr (text, ==, key);
  g_clear_pointer (&text, g_free);

  /* Gone after the announced second (the timer counts whole seconds, so
   * allow for the one it started in), and not before: GLib may round a
   * seconds timer down by a quarter second, so "before" is only asked
   * while well under that (a sanitizer build can be slower to ask). */
  cr_test_ui_settle (600);
  g_clear_pointer (&text, g_free);
  text = clipboard_text (GTK_WIDGET (window));
  if (g_get_monotonic_time () - copied < 700 * 1000)
    g_assert_cmpstr (text, ==, key);
  else
    g_test_message ("clipboard read back too late to ask whether it was cleared early");
  while (*text != '\0')
    {
      g_clear_pointer (&text, g_free);
      g_assert_cmpint (g_get_monotonic_time () - copied, <, 1000 * 1000 + CR_TEST_UI_USEC (1200 * 1000));
      cr_test_ui_settle (50);
      text = clipboard_text (GTK_WIDGET (window));
    }
  g_assert_cmpstr (gtk_label_get_text (cr_test_ui_child (cursor, CR_TYPE_CURSOR_PAGE, "notice_label")), ==,
                   "The key was cleared from the clipboard.");
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  char **found = user_data;
  g_autoptr(GError) error = NULL;

  found[0] = cr_keyring_lookup_finish (result, &error);
  g_assert_no_error (error);
  if (found[0] == NULL)
    found[0] = g_strdup ("");
}

static void
run_wizard (CrTestGateway *gateway)
{
  CrApplication *app = cr_application_new ();
  g_autoptr(GError) error = NULL;
  char *found[1] = { NULL };
  CrWindow *window;
  CrPage *key_page;

  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  window = CR_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (window);
  wait_until (gtk_widget_get_mapped (GTK_WIDGET (window)));

  next (window, "token");
  next (window, "key");
  key_page = cr_window_get_page (window);
  /* Pasted with a little noise around it, as from a web page. */
  {
    g_autofree char *pasted = g_strdup_printf ("  %s\n", key);

    gtk_editable_set_text (cr_test_ui_child (key_page, CR_TYPE_KEY_PAGE, "key_row"), pasted);
  }
  gtk_editable_set_text (cr_test_ui_child (key_page, CR_TYPE_KEY_PAGE, "url_row"),
                         cr_test_gateway_get_base_url (gateway));
  next (window, "verify");
  next (window, "model");
  /* Next sends the test message, then goes on. */
  next (window, "keyring");
  g_assert_cmpuint (cr_test_gateway_count_path (gateway, "/v1/chat/completions"), ==, 1);
  /* Next saves the key in the keyring. */
  next (window, "cursor");
  g_assert_true (cr_setup_state_get_key_stored (cr_application_get_state (app)));
  copy_key_on_cursor_page (window);
  next (window, "checklist");
  wait_until (g_strcmp0 (gtk_stack_get_visible_child_name (cr_test_ui_child (cr_window_get_page (window),
                                                                             CR_TYPE_CHECKLIST_PAGE, "run_stack")),
                         "run") == 0);
  g_assert_true (cr_setup_state_get_last_check_ok (cr_application_get_state (app)));
  /* Done closes the window. */
  next (window, NULL);
  cr_test_ui_settle (200);
  g_assert_null (gtk_application_get_active_window (GTK_APPLICATION (app)));

  cr_keyring_lookup_async (CR_KEYRING_DEFAULT_PROFILE, NULL, lookup_cb, found);
  wait_until (found[0] != NULL);
  g_assert_cmpstr (found[0], ==, key);
  g_free (found[0]);

  g_object_unref (app);
  cr_test_ui_settle (100);
}

/* ---- --check ---- */

typedef struct {
  GSubprocess *process;
  char        *out;
  char        *err;
  gboolean     done;
} Check;

static void
communicated_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Check *check = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, &check->out, &check->err, &error);
  g_assert_no_error (error);
  check->done = TRUE;
}

/* Starts --check, the key on stdin (or from the keyring when @stdin_key is
 * FALSE); the gateway runs in this process, so the caller iterates. */
static void
check_start (Check         *check,
             CrTestGateway *gateway,
             gboolean       stdin_key)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_strdup_printf ("%s\n", key);
  const char *argv[] = { g_getenv ("CR_APP_BINARY"), "--check", "--base-url",
                         cr_test_gateway_get_base_url (gateway),
                         stdin_key ? "--key-stdin" : NULL, NULL };

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "CRAZYROUTER_API_KEY");
  check->process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (check->process, stdin_key ? line : "", NULL,
                                       communicated_cb, check);
}

static void
check_finish (Check      *check,
              const char *name)
{
  wait_until (check->done);
  g_test_message ("--check (%s) printed:\n%s\n(stderr: %zu bytes)", name, check->out,
                  strlen (check->err));
  assert_no_piece (name, check->out, strlen (check->out));
  assert_no_piece (name, check->err, strlen (check->err));
  assert_nothing_found ();
}

static void
check_clear (Check *check)
{
  g_clear_object (&check->process);
  g_clear_pointer (&check->out, g_free);
  g_clear_pointer (&check->err, g_free);
  check->done = FALSE;
}

static void
run_checks (CrTestGateway *gateway)
{
  Check check = { 0 };
  g_autofree char *masked = cr_key_mask (key);

  for (guint i = 0; i < 2; i++)
    {
      const char *name = i == 0 ? "--check --key-stdin" : "--check with the keyring";

      check_start (&check, gateway, i == 0);
      check_finish (&check, name);
      g_assert_true (g_subprocess_get_if_exited (check.process));
      g_assert_cmpint (g_subprocess_get_exit_status (check.process), ==, 0);
      /* It did check this key: only its masked form is printed. */
      g_assert_nonnull (strstr (check.out, masked));
      g_assert_true (strstr (check.out, "-DEBUG: ") != NULL || strstr (check.err, "-DEBUG: ") != NULL);
      check_clear (&check);
    }
}

/* While --check waits for a gateway that never answers, no process shows
 * the key in its command line or environment; then Ctrl+C. */
static void
check_processes_while_running (CrTestGateway *gateway)
{
  Check check = { 0 };
  guint before = cr_test_gateway_get_request_count (gateway);
  guint pid, n_children = 0;
  g_autoptr(GDir) proc = NULL;
  const char *name;

  cr_test_gateway_set_mode (gateway, CR_TEST_MODE_HANG);
  check_start (&check, gateway, TRUE);
  pid = (guint) g_ascii_strtoull (g_subprocess_get_identifier (check.process), NULL, 10);
  wait_until (cr_test_gateway_get_request_count (gateway) > before);

  assert_process_readable (pid);
  proc = g_dir_open ("/proc", 0, NULL);
  while ((name = g_dir_read_name (proc)) != NULL)
    if (g_ascii_isdigit (name[0]) && (guint) atoi (name) != pid && is_descendant (atoi (name), pid))
      {
        assert_process_readable (atoi (name));
        n_children++;
      }
  g_test_message ("Looked at %u command lines and environments; --check has %u processes of its own",
                  scan_processes (), n_children);
  assert_nothing_found ();

  g_subprocess_send_signal (check.process, SIGINT);
  check_finish (&check, "the interrupted --check");
  g_assert_cmpint (g_subprocess_get_exit_status (check.process), ==, 130);
  check_clear (&check);
  cr_test_gateway_set_mode (gateway, CR_TEST_MODE_NORMAL);
}

/* ---- the test ---- */

static char *
make_key (void)
{
  static const char alnum[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  GString *made = g_string_new (KEY_PREFIX);

  for (guint i = 0; i < 32; i++)
    g_string_append_c (made, alnum[g_random_int_range (0, sizeof alnum - 1)]);
  return g_string_free (made, FALSE);
}

/* A piece of the key written to a file in @dir is found by scanning @top. */
static void
plant_and_find (const char *dir,
                const char *top)
{
  g_autofree char *planted = g_build_filename (dir, "planted", NULL);
  g_autofree char *piece = g_strdup_printf ("x%.*sx", PIECE, key + strlen (key) - PIECE - 3);

  g_assert_true (g_file_set_contents (planted, piece, -1, NULL));
  scan_dir (top);
  g_assert_cmpuint (found_in->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (found_in, 0), ==, planted);
  g_ptr_array_set_size (found_in, 0);
  g_assert_cmpint (g_remove (planted), ==, 0);
}

static void
test_no_trace (void)
{
  const char *world = g_getenv ("CR_TEST_WORLD");
  g_autoptr(CrTestGateway) gateway = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stderr_path = NULL;
  g_autofree char *keyring_file = NULL;
  g_autofree char *settings_file = NULL;
  g_autofree char *settings = NULL;
  int saved_stderr, fd;

  g_assert_nonnull (world);
  found_in = g_ptr_array_new_with_free_func (g_free);
  /* Temporary files are looked at in full: only this run writes there. */
  g_assert_true (g_str_has_prefix (g_get_tmp_dir (), world));

  gateway = cr_test_gateway_new (FALSE, 0, &error);
  g_assert_no_error (error);
  cr_test_gateway_add_token_alias (key, CR_TEST_TOKEN_GOOD);

  /* What anything in this process writes to stderr goes into the world,
   * to be scanned with the rest. */
  stderr_path = g_build_filename (world, "wizard-stderr.log", NULL);
  fd = open (stderr_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  g_assert_cmpint (fd, >=, 0);
  saved_stderr = dup (STDERR_FILENO);
  dup2 (fd, STDERR_FILENO);
  close (fd);

  run_wizard (gateway);
  run_checks (gateway);
  check_processes_while_running (gateway);

  dup2 (saved_stderr, STDERR_FILENO);
  close (saved_stderr);
  g_clear_object (&gateway);

  /* The key was saved, in the keyring's own (encrypted) file, and the
   * settings were written: so both were there to be looked at. */
  keyring_file = g_build_filename (g_get_user_data_dir (), "keyrings", "login.keyring", NULL);
  g_assert_true (g_file_test (keyring_file, G_FILE_TEST_IS_REGULAR));
  settings_file = g_build_filename (g_get_user_config_dir (), "glib-2.0", "settings", "keyfile", NULL);
  g_assert_true (g_file_get_contents (settings_file, &settings, NULL, NULL));
  g_assert_nonnull (strstr (settings, "base-url"));
  g_assert_cmpuint (logged->len, >, 0);
  g_assert_nonnull (strstr (logged->str, "DEBUG"));

  /* The scan finds what it looks for: a middle piece of the key, planted
   * in the cache and in the temporary folder and then taken away again. */
  plant_and_find (g_get_user_cache_dir (), g_get_home_dir ());
  plant_and_find (g_get_tmp_dir (), g_get_tmp_dir ());

  assert_no_piece ("the wizard's log", logged->str, logged->len);
  scan_dir (world);
  scan_dir (g_get_home_dir ());
  scan_dir (g_get_user_runtime_dir ());
  scan_dir (g_get_tmp_dir ());
  assert_nothing_found ();

  g_clear_pointer (&found_in, g_ptr_array_unref);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* Settings on disk (for the wizard and --check), so they are scanned
   * too; every message of every level, in here and in --check. */
  g_setenv ("GSETTINGS_BACKEND", "keyfile", TRUE);
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  logged = g_string_new (NULL);
  g_log_set_writer_func (cr_test_ui_log_to_string, logged, NULL);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  key = make_key ();

  g_test_add_func ("/key-trace/no-trace", test_no_trace);
  status = g_test_run ();

  g_string_free (logged, TRUE);
  g_free (key);
  return status;
}
