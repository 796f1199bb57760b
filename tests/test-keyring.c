/* test-keyring.c: store / lookup / clear against a real gnome-keyring
 *
 * headless-run.sh gives every test a private D-Bus session with
 * gnome-keyring-daemon and an unlocked login collection, so these talk to a
 * real Secret Service. The "no service" cases, and the one for the backend
 * libsecret uses inside a Flatpak, run in subprocesses because libsecret
 * and GDBus keep the first connection and backend they pick.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <string.h>

#include "cr-key.h"
#include "cr-keyring.h"
#include "cr-test-gateway.h"

#define URL_OFFICIAL "https://crazyrouter.com/v1"
#define URL_MIRROR   "https://mirror.example.test/v1"

/* The same schema as the app's, written out again: it is the contract that
 * Seahorse and older versions of the app see. The app writes "profile"
 * only; items of earlier versions also carry "base-url". */
static const SecretSchema test_schema = {
  "com.crazyrouter.SetupAssistant", SECRET_SCHEMA_NONE,
  {
    { "profile", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "base-url", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

static void
on_result (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

static GAsyncResult *
await_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static gboolean
store (const char    *profile,
       const char    *key,
       GCancellable  *cancellable,
       GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cr_keyring_store_async (profile, key, cancellable, on_result, &result);
  return cr_keyring_store_finish (await_result (&result), error);
}

static char *
lookup (const char    *profile,
        GCancellable  *cancellable,
        GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cr_keyring_lookup_async (profile, cancellable, on_result, &result);
  return cr_keyring_lookup_finish (await_result (&result), error);
}

static gboolean
has_key (const char  *profile,
         GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cr_keyring_has_key_async (profile, NULL, on_result, &result);
  return cr_keyring_has_key_finish (await_result (&result), error);
}

static gboolean
clear (const char    *profile,
       GCancellable  *cancellable,
       GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cr_keyring_clear_async (profile, cancellable, on_result, &result);
  return cr_keyring_clear_finish (await_result (&result), error);
}

static void
assert_lookup (const char *profile,
               const char *key)
{
  g_autoptr(GError) error = NULL;
  char *found;

  found = lookup (profile, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, key);
  cr_key_free (found);
}

/* Items of @profile as the Secret Service itself sees them. */
static GList *
list_items (const char *profile)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  GList *items;

  attributes = secret_attributes_build (&test_schema, "profile", profile, NULL);
  items = secret_service_search_sync (NULL, &test_schema, attributes,
                                      SECRET_SEARCH_ALL, NULL, &error);
  g_assert_no_error (error);

  return items;
}

static guint
count_items (const char *profile)
{
  GList *items = list_items (profile);
  guint n = g_list_length (items);

  g_list_free_full (items, g_object_unref);
  return n;
}

/* The profile's one item carries the profile and nothing of ours besides:
 * the base URL is a setting. */
static void
assert_only_profile (const char *profile)
{
  GList *items = list_items (profile);
  g_autoptr(GHashTable) attributes = NULL;

  g_assert_cmpuint (g_list_length (items), ==, 1);
  attributes = secret_item_get_attributes (items->data);
  g_assert_cmpstr (g_hash_table_lookup (attributes, "profile"), ==, profile);
  g_assert_false (g_hash_table_contains (attributes, "base-url"));
  g_list_free_full (items, g_object_unref);
}

/* What an earlier version of the app stored: the key with its base URL. */
static void
store_legacy (const char *profile,
              const char *base_url,
              const char *key)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = secret_password_store_sync (&test_schema, SECRET_COLLECTION_DEFAULT,
                                   "Crazyrouter key for Cursor (earlier version)", key,
                                   NULL, &error,
                                   "profile", profile, "base-url", base_url, NULL);
  g_assert_no_error (error);
  g_assert_true (ok);
}

/* If this fails, the other tests say nothing about the app: the wrapper
 * must give a default collection that is unlocked. */
static void
test_wrapper_keyring (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SecretService) service = NULL;
  g_autoptr(SecretCollection) collection = NULL;

  service = secret_service_get_sync (SECRET_SERVICE_NONE, NULL, &error);
  g_assert_no_error (error);
  collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                 SECRET_COLLECTION_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (collection);
  g_assert_false (secret_collection_get_locked (collection));
}

static void
test_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;
  char *key;

  ok = store ("round-trip", CR_TEST_TOKEN_GOOD, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  assert_only_profile ("round-trip");
  g_assert_true (has_key ("round-trip", &error));
  g_assert_no_error (error);

  key = lookup ("round-trip", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (key, ==, CR_TEST_TOKEN_GOOD);
  cr_key_free (key);

  ok = clear ("round-trip", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpuint (count_items ("round-trip"), ==, 0);
  g_assert_false (has_key ("round-trip", &error));
  g_assert_no_error (error);

  key = lookup ("round-trip", NULL, &error);
  g_assert_no_error (error);
  g_assert_null (key);
}

static void
test_profile_isolation (void)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;
  char *key;

  ok = store ("iso-cursor", CR_TEST_TOKEN_GOOD, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  ok = store ("iso-ci", CR_TEST_TOKEN_NARROW, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);

  assert_lookup ("iso-cursor", CR_TEST_TOKEN_GOOD);
  assert_lookup ("iso-ci", CR_TEST_TOKEN_NARROW);

  /* A prefix of a profile is another profile. */
  key = lookup ("iso", NULL, &error);
  g_assert_no_error (error);
  g_assert_null (key);

  ok = clear ("iso-cursor", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpuint (count_items ("iso-cursor"), ==, 0);
  g_assert_cmpuint (count_items ("iso-ci"), ==, 1);
  assert_lookup ("iso-ci", CR_TEST_TOKEN_NARROW);

  ok = clear ("iso-ci", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
}

static void
test_replace_keeps_one (void)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = store ("replace", CR_TEST_TOKEN_GOOD, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  ok = store ("replace", CR_TEST_TOKEN_NARROW, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  assert_only_profile ("replace");
  assert_lookup ("replace", CR_TEST_TOKEN_NARROW);

  ok = clear ("replace", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpuint (count_items ("replace"), ==, 0);
}

/* An item of an earlier version, with the base URL as an attribute: read
 * like any other (the attribute means nothing now), and replaced by the
 * next store, however many base URLs it was stored for. */
static void
test_legacy_item (void)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  store_legacy ("legacy", URL_OFFICIAL, CR_TEST_TOKEN_WIDE);
  g_assert_true (has_key ("legacy", &error));
  g_assert_no_error (error);
  assert_lookup ("legacy", CR_TEST_TOKEN_WIDE);

  ok = store ("legacy", CR_TEST_TOKEN_GOOD, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  assert_only_profile ("legacy");
  assert_lookup ("legacy", CR_TEST_TOKEN_GOOD);

  store_legacy ("legacy", URL_OFFICIAL, CR_TEST_TOKEN_WIDE);
  store_legacy ("legacy", URL_MIRROR, CR_TEST_TOKEN_WIDE);
  store_legacy ("legacy", "", CR_TEST_TOKEN_WIDE);
  g_assert_cmpuint (count_items ("legacy"), ==, 4);
  ok = store ("legacy", CR_TEST_TOKEN_NARROW, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  assert_only_profile ("legacy");
  assert_lookup ("legacy", CR_TEST_TOKEN_NARROW);

  /* Clearing takes legacy items too. */
  store_legacy ("legacy", URL_MIRROR, CR_TEST_TOKEN_WIDE);
  ok = clear ("legacy", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpuint (count_items ("legacy"), ==, 0);
}

static void
test_missing (void)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;
  char *key;

  key = lookup ("never-stored", NULL, &error);
  g_assert_no_error (error);
  g_assert_null (key);

  g_assert_false (has_key ("never-stored", &error));
  g_assert_no_error (error);

  ok = clear ("never-stored", NULL, &error);
  g_assert_no_error (error);
  g_assert_false (ok);
}

static void
test_label (void)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *label = NULL;
  GList *items;

  ok = store ("labelled", CR_TEST_TOKEN_GOOD, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);

  attributes = secret_attributes_build (&test_schema, "profile", "labelled", NULL);
  items = secret_service_search_sync (NULL, &test_schema, attributes,
                                      SECRET_SEARCH_ALL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  label = secret_item_get_label (items->data);
  g_assert_cmpstr (label, ==, "Crazyrouter key for Cursor (profile labelled)");
  g_list_free_full (items, g_object_unref);

  ok = clear ("labelled", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
}

static void
test_cancelled_before (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  char *key;

  g_cancellable_cancel (cancellable);

  key = lookup ("cancelled", cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (key);
  g_clear_error (&error);

  g_assert_false (store ("cancelled", CR_TEST_TOKEN_GOOD, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  g_assert_false (clear ("cancelled", cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  g_assert_cmpuint (count_items ("cancelled"), ==, 0);
}

static void
test_cancelled_in_flight (void)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;
  char *key;

  ok = store ("in-flight", CR_TEST_TOKEN_GOOD, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);

  /* Cancelled at each step along the way, the run always reports
   * cancellation and the keyring stays usable. */
  for (guint steps = 0; steps < 8; steps++)
    {
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autoptr(GAsyncResult) result = NULL;

      cr_keyring_lookup_async ("in-flight", cancellable, on_result, &result);
      for (guint i = 0; i < steps && result == NULL; i++)
        g_main_context_iteration (NULL, TRUE);
      if (result != NULL)
        break;  /* finished before this many steps: nothing left to cancel */

      g_cancellable_cancel (cancellable);
      key = cr_keyring_lookup_finish (await_result (&result), &error);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_assert_null (key);
      g_clear_error (&error);
    }

  key = lookup ("in-flight", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (key, ==, CR_TEST_TOKEN_GOOD);
  cr_key_free (key);

  ok = clear ("in-flight", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
}

/* --- a locked keyring -------------------------------------------------- */

static SecretCollection *
default_collection (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SecretService) service = NULL;
  SecretCollection *collection;

  service = secret_service_get_sync (SECRET_SERVICE_NONE, NULL, &error);
  g_assert_no_error (error);
  collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                 SECRET_COLLECTION_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (collection);

  return collection;
}

/* Unlocks without a prompt, the way the login screen does: gnome-keyring's
 * own interface, the wrapper's password, a plain session. */
static void
unlock_default (SecretCollection *collection)
{
  const char *password = g_getenv ("CR_TEST_KEYRING_PASSWORD");
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) opened = NULL;
  g_autoptr(GVariant) unlocked = NULL;
  g_autoptr(GVariant) output = NULL;
  g_autoptr(GError) error = NULL;
  const char *session;
  GVariant *secret;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  opened = g_dbus_connection_call_sync (bus, "org.freedesktop.secrets", "/org/freedesktop/secrets",
                                        "org.freedesktop.Secret.Service", "OpenSession",
                                        g_variant_new ("(sv)", "plain", g_variant_new_string ("")),
                                        G_VARIANT_TYPE ("(vo)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                        NULL, &error);
  g_assert_no_error (error);
  g_variant_get (opened, "(v&o)", &output, &session);

  secret = g_variant_new ("(o@ay@ays)", session,
                          g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, "", 0, 1),
                          g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, password,
                                                     strlen (password), 1),
                          "text/plain");
  unlocked = g_dbus_connection_call_sync (bus, "org.freedesktop.secrets", "/org/freedesktop/secrets",
                                          "org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface",
                                          "UnlockWithMasterPassword",
                                          g_variant_new ("(o@(oayays))",
                                                         g_dbus_proxy_get_object_path (G_DBUS_PROXY (collection)),
                                                         secret),
                                          NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
}

/* The collection is locked and the unlock prompt dismissed (the wrapper
 * has no prompter, so gnome-keyring dismisses it at once). */
static void
test_locked (void)
{
  g_autoptr(SecretCollection) collection = NULL;
  g_autoptr(GError) error = NULL;
  GList *locking;
  gboolean ok;
  char *key;

  if (g_getenv ("CR_TEST_KEYRING_PASSWORD") == NULL)
    {
      g_test_skip ("needs the keyring of tests/headless-run.sh");
      return;
    }

  ok = store ("locked", CR_TEST_TOKEN_GOOD, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);

  collection = default_collection ();
  locking = g_list_append (NULL, collection);
  g_assert_cmpint (secret_service_lock_sync (NULL, locking, NULL, NULL, &error), ==, 1);
  g_assert_no_error (error);
  g_list_free (locking);

  /* Whether there is a key needs no unlocking: no prompt, no error. */
  g_assert_true (has_key ("locked", &error));
  g_assert_no_error (error);
  g_assert_true (secret_collection_get_locked (collection));

  key = lookup ("locked", NULL, &error);
  g_assert_error (error, CR_KEYRING_ERROR, CR_KEYRING_ERROR_LOCKED);
  g_assert_nonnull (strstr (error->message, "Unlock"));
  g_assert_null (key);
  g_clear_error (&error);

  ok = store ("locked", CR_TEST_TOKEN_WIDE, NULL, &error);
  g_assert_error (error, CR_KEYRING_ERROR, CR_KEYRING_ERROR_LOCKED);
  g_assert_false (ok);
  g_clear_error (&error);

  /* Not "nothing to remove": the key is still there. */
  ok = clear ("locked", NULL, &error);
  g_assert_error (error, CR_KEYRING_ERROR, CR_KEYRING_ERROR_LOCKED);
  g_assert_false (ok);
  g_clear_error (&error);
  g_assert_cmpuint (count_items ("locked"), ==, 1);

  unlock_default (collection);

  key = lookup ("locked", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (key, ==, CR_TEST_TOKEN_GOOD);
  cr_key_free (key);

  ok = clear ("locked", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
}

/* --- no Secret Service (each in its own process) ---------------------- */

static void
assert_no_service (void)
{
  g_autoptr(GError) error = NULL;
  char *key;

  key = lookup (CR_KEYRING_DEFAULT_PROFILE, NULL, &error);
  g_assert_error (error, CR_KEYRING_ERROR, CR_KEYRING_ERROR_NO_SERVICE);
  g_assert_nonnull (strstr (error->message, "gnome-keyring"));
  g_assert_null (key);
  g_clear_error (&error);

  g_assert_false (store (CR_KEYRING_DEFAULT_PROFILE, CR_TEST_TOKEN_GOOD, NULL, &error));
  g_assert_error (error, CR_KEYRING_ERROR, CR_KEYRING_ERROR_NO_SERVICE);
  g_assert_null (strstr (error->message, CR_TEST_TOKEN_GOOD));
  g_clear_error (&error);

  g_assert_false (has_key (CR_KEYRING_DEFAULT_PROFILE, &error));
  g_assert_error (error, CR_KEYRING_ERROR, CR_KEYRING_ERROR_NO_SERVICE);
  g_clear_error (&error);

  g_assert_false (clear (CR_KEYRING_DEFAULT_PROFILE, NULL, &error));
  g_assert_error (error, CR_KEYRING_ERROR, CR_KEYRING_ERROR_NO_SERVICE);
}

static void
test_no_bus_address (void)
{
  if (g_test_subprocess ())
    {
      g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/cr-test-bus", TRUE);
      assert_no_service ();
      return;
    }

  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
test_no_bus_at_all (void)
{
  if (g_test_subprocess ())
    {
      /* Without an address, GLib would look for $XDG_RUNTIME_DIR/bus and
       * then autolaunch through X11: take both away, as over ssh. */
      g_autofree char *empty_run = g_dir_make_tmp ("cr-run-XXXXXX", NULL);

      g_assert_nonnull (empty_run);
      g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
      g_unsetenv ("DISPLAY");
      g_setenv ("XDG_RUNTIME_DIR", empty_run, TRUE);
      assert_no_service ();
      g_rmdir (empty_run);
      return;
    }

  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static const char bare_bus_config[] =
  "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
  " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
  "<busconfig>\n"
  "  <type>session</type>\n"
  "  <listen>unix:dir=%s</listen>\n"
  "  <auth>EXTERNAL</auth>\n"
  "  <policy context=\"default\">\n"
  "    <allow send_destination=\"*\" eavesdrop=\"true\"/>\n"
  "    <allow eavesdrop=\"true\"/>\n"
  "    <allow own=\"*\"/>\n"
  "  </policy>\n"
  "</busconfig>\n";

/* Starts a session bus in @dir on which nothing provides or can start a
 * Secret Service, and points this process at it. */
static GSubprocess *
start_bare_bus (const char *dir)
{
  g_autoptr(GSubprocess) daemon = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *config = NULL;
  g_autofree char *config_path = NULL;
  g_autofree char *config_arg = NULL;
  g_autofree char *address = NULL;

  config = g_strdup_printf (bare_bus_config, dir);
  config_path = g_build_filename (dir, "session.conf", NULL);
  g_file_set_contents (config_path, config, -1, &error);
  g_assert_no_error (error);

  config_arg = g_strconcat ("--config-file=", config_path, NULL);
  daemon = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                             "dbus-daemon", config_arg, "--nofork",
                             "--print-address=1", NULL);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (daemon));
  address = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (address);

  g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);

  return g_steal_pointer (&daemon);
}

static void
stop_bare_bus (GSubprocess *daemon)
{
  g_subprocess_force_exit (daemon);
  g_subprocess_wait (daemon, NULL, NULL);
}

static void
test_bus_without_service (void)
{
  g_autoptr(GSubprocess) daemon = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }

  dir = g_dir_make_tmp ("cr-bare-bus-XXXXXX", &error);
  g_assert_no_error (error);
  daemon = start_bare_bus (dir);
  assert_no_service ();
  stop_bare_bus (daemon);
}

/* --- the sandbox's backend ---------------------------------------------- */

/* Items of @profile as libsecret's backend sees them (in the sandbox, the
 * app's own keyring file). */
static guint
count_backend_items (const char *profile)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  GList *items;
  guint n;

  attributes = secret_attributes_build (&test_schema, "profile", profile, NULL);
  items = secret_password_searchv_sync (&test_schema, attributes, SECRET_SEARCH_ALL,
                                        NULL, &error);
  g_assert_no_error (error);
  n = g_list_length (items);
  g_list_free_full (items, g_object_unref);

  return n;
}

/* In a Flatpak, libsecret's password API stores into an encrypted file
 * whose password comes from the Secret portal, and the sandbox cannot see
 * the Secret Service at all. The portal cannot run here, but libsecret
 * selects the same file backend with SECRET_BACKEND=file and takes the
 * password from SECRET_FILE_TEST_PASSWORD. On a bus without any Secret
 * Service, every operation must still work: anything that went to the
 * Secret Service directly fails with NO_SERVICE. */
static void
test_file_backend (void)
{
  g_autoptr(GSubprocess) daemon = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  gboolean ok;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }

  dir = g_dir_make_tmp ("cr-file-backend-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "keyrings", "default.keyring", NULL);
  g_setenv ("SECRET_BACKEND", "file", TRUE);
  g_setenv ("SECRET_FILE_TEST_PATH", path, TRUE);
  g_setenv ("SECRET_FILE_TEST_PASSWORD", "file-backend-test-password", TRUE);
  daemon = start_bare_bus (dir);

  g_assert_false (has_key ("sandboxed", &error));
  g_assert_no_error (error);
  ok = store ("sandboxed", CR_TEST_TOKEN_GOOD, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_true (has_key ("sandboxed", &error));
  g_assert_no_error (error);
  assert_lookup ("sandboxed", CR_TEST_TOKEN_GOOD);

  /* The keyring file exists and does not hold the key in the clear. */
  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, >, 0);
  g_assert_null (g_strstr_len (contents, length, CR_TEST_TOKEN_GOOD));

  /* Replacing works the same: one key per profile. */
  ok = store ("sandboxed", CR_TEST_TOKEN_WIDE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpuint (count_backend_items ("sandboxed"), ==, 1);
  assert_lookup ("sandboxed", CR_TEST_TOKEN_WIDE);

  /* So does replacing an earlier version's items, base-url and all. */
  store_legacy ("sandboxed", URL_MIRROR, CR_TEST_TOKEN_NARROW);
  store_legacy ("sandboxed", "", CR_TEST_TOKEN_NARROW);
  g_assert_cmpuint (count_backend_items ("sandboxed"), ==, 3);
  ok = store ("sandboxed", CR_TEST_TOKEN_GOOD, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpuint (count_backend_items ("sandboxed"), ==, 1);
  assert_lookup ("sandboxed", CR_TEST_TOKEN_GOOD);

  ok = clear ("sandboxed", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpuint (count_backend_items ("sandboxed"), ==, 0);
  assert_lookup ("sandboxed", NULL);

  ok = clear ("sandboxed", NULL, &error);
  g_assert_no_error (error);
  g_assert_false (ok);

  stop_bare_bus (daemon);
  g_remove (path);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/keyring/wrapper", test_wrapper_keyring);
  g_test_add_func ("/keyring/round-trip", test_round_trip);
  g_test_add_func ("/keyring/profile-isolation", test_profile_isolation);
  g_test_add_func ("/keyring/replace-keeps-one", test_replace_keeps_one);
  g_test_add_func ("/keyring/legacy-item", test_legacy_item);
  g_test_add_func ("/keyring/missing", test_missing);
  g_test_add_func ("/keyring/label", test_label);
  g_test_add_func ("/keyring/cancelled/before", test_cancelled_before);
  g_test_add_func ("/keyring/cancelled/in-flight", test_cancelled_in_flight);
  g_test_add_func ("/keyring/locked", test_locked);
  g_test_add_func ("/keyring/no-service/bad-address", test_no_bus_address);
  g_test_add_func ("/keyring/no-service/no-bus", test_no_bus_at_all);
  g_test_add_func ("/keyring/no-service/bare-bus", test_bus_without_service);
  g_test_add_func ("/keyring/backend/file", test_file_backend);

  return g_test_run ();
}
