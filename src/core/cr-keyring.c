/* cr-keyring.c: the key in the system keyring (libsecret)
 *
 * Only libsecret's password API (secret_password_* and SecretRetrievable)
 * is used, never SecretService: that API goes through libsecret's backend,
 * which in a Flatpak sandbox is an encrypted per-app keyring file unlocked
 * through the Secret portal, and the Secret Service everywhere else. The
 * sandbox cannot reach the Secret Service itself: the manifest does not
 * grant --talk-name=org.freedesktop.secrets, on purpose.
 *
 * That API knows items only by their attributes, so "one key per profile"
 * and "locked" are worked out from searches; see store and clear below.
 *
 * Cancelling completes an operation at once: libsecret 0.20 can leave an
 * operation hanging when it is cancelled while an unlock prompt is up, and a
 * Ctrl-C or a Cancel button must not wait for that. Its late answer, if it
 * ever comes, is dropped.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "cr-key.h"
#include "cr-keyring.h"

G_DEFINE_QUARK (cr-keyring-error-quark, cr_keyring_error)

#define ATTR_PROFILE  "profile"
#define ATTR_BASE_URL "base-url"

static const SecretSchema *
cr_keyring_get_schema (void)
{
  static const SecretSchema schema = {
    "com.crazyrouter.SetupAssistant", SECRET_SCHEMA_NONE,
    {
      { ATTR_PROFILE, SECRET_SCHEMA_ATTRIBUTE_STRING },
      { ATTR_BASE_URL, SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

typedef struct _Op Op;
typedef void (*OpStep) (GTask *task);

struct _Op
{
  char              *profile;
  char              *base_url;    /* store: as stored, "" for none; clear: NULL */
  char              *key;         /* store only; wiped as soon as it is handed over */
  OpStep             start;
  GCancellable      *cancellable;
  gulong             cancelled_id;
  int                returned;    /* atomic: the task has its result */
  GPtrArray         *stale;       /* store: base URLs of the profile's older keys */
  guint              next_stale;
  SecretRetrievable *item;        /* lookup: the item whose secret is read */
};

static void
op_free (gpointer data)
{
  Op *op = data;

  if (op->cancelled_id != 0)
    g_cancellable_disconnect (op->cancellable, op->cancelled_id);
  g_clear_object (&op->cancellable);
  g_free (op->profile);
  g_free (op->base_url);
  cr_key_free (op->key);
  g_clear_pointer (&op->stale, g_ptr_array_unref);
  g_clear_object (&op->item);
  g_free (op);
}

static Op *
op_get (GTask *task)
{
  return g_task_get_task_data (task);
}

/* TRUE for the one caller that may give the task its result. */
static gboolean
op_claim (GTask *task)
{
  return g_atomic_int_compare_and_exchange (&op_get (task)->returned, FALSE, TRUE);
}

static gboolean
op_over (GTask *task)
{
  return g_atomic_int_get (&op_get (task)->returned);
}

/* Not a choice of backend: libsecret makes that one. Only the advice differs. */
static gboolean
in_sandbox (void)
{
  return g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS);
}

static GError *
no_service_error (void)
{
  if (in_sandbox ())
    return g_error_new_literal (CR_KEYRING_ERROR, CR_KEYRING_ERROR_NO_SERVICE,
                                _("The keyring cannot be reached from the app’s sandbox. "
                                  "Install xdg-desktop-portal and gnome-keyring, log in "
                                  "again, and try again."));

  return g_error_new_literal (CR_KEYRING_ERROR, CR_KEYRING_ERROR_NO_SERVICE,
                              _("No keyring service is running. Log in to a GNOME "
                                "session, or install gnome-keyring, and try again."));
}

static GError *
cancelled_error (void)
{
  return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                              _("The keyring operation was cancelled."));
}

static GError *
locked_error (void)
{
  return g_error_new_literal (CR_KEYRING_ERROR, CR_KEYRING_ERROR_LOCKED,
                              _("The keyring is locked. Unlock it with your "
                                "login password when asked, then try again."));
}

static gboolean
is_no_service (const GError *error)
{
  if (error->domain != G_DBUS_ERROR)
    return FALSE;

  switch (error->code)
    {
    case G_DBUS_ERROR_SERVICE_UNKNOWN:
    case G_DBUS_ERROR_NAME_HAS_NO_OWNER:
    case G_DBUS_ERROR_NO_SERVER:
    case G_DBUS_ERROR_SPAWN_EXEC_FAILED:
    case G_DBUS_ERROR_SPAWN_FORK_FAILED:
    case G_DBUS_ERROR_SPAWN_CHILD_EXITED:
    case G_DBUS_ERROR_SPAWN_CHILD_SIGNALED:
    case G_DBUS_ERROR_SPAWN_FAILED:
    case G_DBUS_ERROR_SPAWN_SETUP_FAILED:
    case G_DBUS_ERROR_SPAWN_CONFIG_INVALID:
    case G_DBUS_ERROR_SPAWN_SERVICE_INVALID:
    case G_DBUS_ERROR_SPAWN_SERVICE_NOT_FOUND:
    case G_DBUS_ERROR_SPAWN_PERMISSIONS_INVALID:
    case G_DBUS_ERROR_SPAWN_FILE_INVALID:
    case G_DBUS_ERROR_SPAWN_NO_MEMORY:
      return TRUE;
    default:
      return FALSE;
    }
}

/* A cancellation we did not ask for is the unlock prompt (or the portal's
 * dialog) being dismissed. libsecret's errors never contain the secret, so
 * their text may be shown. */
static GError *
map_error (const GError *error)
{
  if (is_no_service (error))
    return no_service_error ();

  if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return locked_error ();

  return g_error_new (CR_KEYRING_ERROR, CR_KEYRING_ERROR_FAILED,
                      _("The keyring could not be used: %s"), error->message);
}

/* Takes @error, already in our terms. */
static void
op_return_error (GTask  *task,
                 GError *error)
{
  if (op_claim (task))
    g_task_return_error (task, error);
  else
    g_error_free (error);
}

static void
op_fail (GTask        *task,
         const GError *error)
{
  op_return_error (task, map_error (error));
}

static void
op_return_boolean (GTask    *task,
                   gboolean  value)
{
  if (op_claim (task))
    g_task_return_boolean (task, value);
}

static void
op_return_pointer (GTask          *task,
                   gpointer        value,
                   GDestroyNotify  destroy)
{
  if (op_claim (task))
    g_task_return_pointer (task, value, destroy);
  else if (value != NULL && destroy != NULL)
    destroy (value);
}

/* The end of the operations that answer yes or no. */
static gboolean
op_propagate_boolean (GAsyncResult  *result,
                      gpointer       source_tag,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  op_return_error (G_TASK (user_data), cancelled_error ());
}

/* --- attributes ------------------------------------------------------- */

/* Every key we store carries base-url, "" when there is none. So no key's
 * attributes are a subset of another's, and clearing by profile and base
 * URL removes exactly one base URL's key, never the one just stored. */
static GHashTable *
profile_attributes (const char *profile,
                    const char *base_url)
{
  if (base_url == NULL)
    return secret_attributes_build (cr_keyring_get_schema (),
                                    ATTR_PROFILE, profile,
                                    NULL);

  return secret_attributes_build (cr_keyring_get_schema (),
                                  ATTR_PROFILE, profile,
                                  ATTR_BASE_URL, base_url,
                                  NULL);
}

/* NULL when the item has no base-url attribute at all. */
static char *
item_base_url (SecretRetrievable *item)
{
  g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (item);

  return g_strdup (g_hash_table_lookup (attributes, ATTR_BASE_URL));
}

/* For clear every item of the profile is "other"; for store, every key
 * this app stored but the one just stored (one without base-url is left
 * alone, see on_store_search()). */
static guint
count_others (Op    *op,
              GList *items)
{
  guint n = 0;

  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autofree char *base_url = item_base_url (l->data);

      if (op->base_url == NULL || (base_url != NULL && !g_str_equal (base_url, op->base_url)))
        n++;
    }

  return n;
}

/* Takes @task. */
static void
search_profile (GTask               *task,
                SecretSearchFlags    flags,
                GAsyncReadyCallback  callback)
{
  g_autoptr(GHashTable) attributes = profile_attributes (op_get (task)->profile, NULL);

  secret_password_searchv (cr_keyring_get_schema (), attributes, flags,
                           g_task_get_cancellable (task), callback, task);
}

/* Takes @task. */
static void
clear_attributes (GTask               *task,
                  const char          *base_url,
                  GAsyncReadyCallback  callback)
{
  g_autoptr(GHashTable) attributes = profile_attributes (op_get (task)->profile, base_url);

  secret_password_clearv (cr_keyring_get_schema (), attributes,
                          g_task_get_cancellable (task), callback, task);
}

/* Ends a clear_attributes() step: TRUE when @task goes on. FALSE from
 * libsecret without an error is no failure: it leaves a locked key, and
 * only the check after the last clear tells whether one stayed behind. */
static gboolean
clear_step_done (GTask        *task,
                 GAsyncResult *result)
{
  g_autoptr(GError) error = NULL;

  secret_password_clear_finish (result, &error);
  if (op_over (task))
    return FALSE;

  if (error != NULL)
    {
      op_fail (task, error);
      return FALSE;
    }
  return TRUE;
}

/* The password API only removes unlocked items and says nothing about the
 * others: whatever should be gone and is still there was locked, and
 * "nothing to remove" would leave a key behind unnoticed. */
static void
on_verify_search (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  GList *items;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    op_fail (task, error);
  else if (count_others (op_get (task), items) > 0)
    op_return_error (task, locked_error ());
  else
    op_return_boolean (task, TRUE);
  g_list_free_full (items, g_object_unref);
}

/* Takes @task. */
static void
verify_removed (GTask *task)
{
  search_profile (task, SECRET_SEARCH_ALL, on_verify_search);
}

/* --- running an operation ----------------------------------------------- */

static void
on_bus (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) error = NULL;
  OpStep start = op_get (task)->start;

  bus = g_bus_get_finish (result, &error);
  if (op_over (task))
    return;

  /* No session bus at all (over ssh, in a bare container): neither the
   * Secret Service nor the portal can be there. libsecret would report
   * this as a bare G_IO_ERROR, which a file error of the sandboxed
   * backend can be as well. */
  if (bus == NULL)
    {
      op_return_error (task, no_service_error ());
      return;
    }

  start (g_steal_pointer (&task));
}

static GTask *
op_new (gpointer             source_tag,
        const char          *profile,
        OpStep               start,
        GCancellable        *cancellable,
        GAsyncReadyCallback  callback,
        gpointer             user_data)
{
  GTask *task;
  Op *op;

  op = g_new0 (Op, 1);
  op->profile = g_strdup (profile);
  op->start = start;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, op, op_free);

  return task;
}

/* Takes @task. */
static void
op_run (GTask *task)
{
  GCancellable *cancellable = g_task_get_cancellable (task);
  Op *op = op_get (task);

  if (cancellable != NULL)
    {
      op->cancellable = g_object_ref (cancellable);
      op->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled),
                                                task, NULL);
    }

  if (op_over (task))
    {
      g_object_unref (task);
      return;
    }

  g_bus_get (G_BUS_TYPE_SESSION, cancellable, on_bus, task);
}

/* --- store ------------------------------------------------------------ */

/* Storing replaces only a key with the very same attributes. A key stored
 * for another base URL is found first, and removed once the new key is
 * safely in: a failed store leaves the old key as it was. */

static void store_next_stale (GTask *task);

static void
on_stale_cleared (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;

  if (clear_step_done (task, result))
    store_next_stale (g_steal_pointer (&task));
}

/* Takes @task. */
static void
store_next_stale (GTask *task)
{
  Op *op = op_get (task);

  if (op->next_stale < op->stale->len)
    {
      clear_attributes (task, g_ptr_array_index (op->stale, op->next_stale++),
                        on_stale_cleared);
      return;
    }

  if (op->stale->len > 0)
    {
      verify_removed (task);
      return;
    }

  op_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
on_stored (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      if (error == NULL)
        error = g_error_new_literal (SECRET_ERROR, SECRET_ERROR_PROTOCOL,
                                     _("The keyring did not store the key."));
      op_fail (task, error);
      return;
    }
  if (op_over (task))
    return;

  store_next_stale (g_steal_pointer (&task));
}

/* Takes @task. */
static void
store_write (GTask *task)
{
  Op *op = op_get (task);
  g_autoptr(GHashTable) attributes = profile_attributes (op->profile, op->base_url);
  g_autofree char *label = NULL;

  /* TRANSLATORS: the name of the key in the keyring (Passwords and Keys
   * shows it); %s is the profile name, e.g. "cursor" */
  label = g_strdup_printf (_("Crazyrouter key for Cursor (profile %s)"), op->profile);

  /* libsecret copies the key into its own wiped memory right away. */
  secret_password_storev (cr_keyring_get_schema (), attributes, SECRET_COLLECTION_DEFAULT,
                          label, op->key, g_task_get_cancellable (task), on_stored, task);
  g_clear_pointer (&op->key, cr_key_free);
}

static gboolean
str_equal (gconstpointer a,
           gconstpointer b)
{
  return g_str_equal (a, b);
}

static void
on_store_search (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  Op *op = op_get (task);
  GList *items;

  items = secret_password_search_finish (result, &error);
  for (GList *l = items; l != NULL; l = l->next)
    {
      char *base_url = item_base_url (l->data);

      /* Every key this app stores has a base-url; one without is not ours
       * to replace, and clearing by profile alone would take the new key. */
      if (base_url == NULL ||
          g_str_equal (base_url, op->base_url) ||
          g_ptr_array_find_with_equal_func (op->stale, base_url, str_equal, NULL))
        g_free (base_url);
      else
        g_ptr_array_add (op->stale, base_url);
    }
  g_list_free_full (items, g_object_unref);

  if (op_over (task))
    return;

  if (error != NULL)
    {
      op_fail (task, error);
      return;
    }

  store_write (g_steal_pointer (&task));
}

/* Takes @task. UNLOCK: the search is where the unlock prompt comes up. */
static void
store_start (GTask *task)
{
  search_profile (task, SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK, on_store_search);
}

void
cr_keyring_store_async (const char          *profile,
                        const char          *base_url,
                        const char          *key,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task;
  Op *op;

  g_return_if_fail (profile != NULL && *profile != '\0');
  g_return_if_fail (key != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = op_new (cr_keyring_store_async, profile, store_start,
                 cancellable, callback, user_data);
  op = op_get (task);
  op->base_url = g_strdup (base_url != NULL ? base_url : "");
  op->key = g_strdup (key);
  op->stale = g_ptr_array_new_with_free_func (g_free);

  op_run (task);
}

gboolean
cr_keyring_store_finish (GAsyncResult  *result,
                         GError       **error)
{
  return op_propagate_boolean (result, cr_keyring_store_async, error);
}

/* --- lookup ----------------------------------------------------------- */

typedef struct
{
  char *key;
  char *base_url;
} Found;

static void
found_free (gpointer data)
{
  Found *found = data;

  cr_key_free (found->key);
  g_free (found->base_url);
  g_free (found);
}

static void
on_lookup_secret (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SecretValue) value = NULL;
  const char *text = NULL;
  Found *found;

  /* Still locked after UNLOCK (the prompt was dismissed) fails here. */
  value = secret_retrievable_retrieve_secret_finish (SECRET_RETRIEVABLE (source), result, &error);
  if (value != NULL)
    text = secret_value_get_text (value);
  if (error == NULL && text == NULL)
    g_set_error_literal (&error, SECRET_ERROR, SECRET_ERROR_PROTOCOL,
                         _("The stored key is not text."));
  if (error != NULL)
    {
      op_fail (task, error);
      return;
    }

  found = g_new0 (Found, 1);
  found->key = g_strdup (text);
  found->base_url = item_base_url (SECRET_RETRIEVABLE (source));
  if (found->base_url != NULL && *found->base_url == '\0')
    g_clear_pointer (&found->base_url, g_free);
  op_return_pointer (task, found, found_free);
}

/* There is one unless something else wrote to the profile: then the newest. */
static SecretRetrievable *
newest_item (GList *items)
{
  SecretRetrievable *newest = NULL;

  for (GList *l = items; l != NULL; l = l->next)
    if (newest == NULL ||
        secret_retrievable_get_modified (l->data) > secret_retrievable_get_modified (newest))
      newest = l->data;

  return newest;
}

static void
on_lookup_search (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  Op *op = op_get (task);
  GList *items;

  items = secret_password_search_finish (result, &error);
  if (items != NULL)
    op->item = g_object_ref (newest_item (items));
  g_list_free_full (items, g_object_unref);

  if (op_over (task))
    return;

  if (error != NULL)
    op_fail (task, error);
  else if (op->item == NULL)
    op_return_pointer (task, NULL, NULL);
  else
    secret_retrievable_retrieve_secret (op->item, op->cancellable,
                                        on_lookup_secret, g_steal_pointer (&task));
}

/* Takes @task. */
static void
lookup_start (GTask *task)
{
  search_profile (task, SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK | SECRET_SEARCH_LOAD_SECRETS,
                  on_lookup_search);
}

void
cr_keyring_lookup_async (const char          *profile,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (profile != NULL && *profile != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  op_run (op_new (cr_keyring_lookup_async, profile, lookup_start,
                  cancellable, callback, user_data));
}

char *
cr_keyring_lookup_finish (GAsyncResult  *result,
                          char         **base_url,
                          GError       **error)
{
  Found *found;
  char *key;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cr_keyring_lookup_async, NULL);

  if (base_url != NULL)
    *base_url = NULL;

  found = g_task_propagate_pointer (G_TASK (result), error);
  if (found == NULL)
    return NULL;

  key = g_steal_pointer (&found->key);
  if (base_url != NULL)
    *base_url = g_steal_pointer (&found->base_url);
  found_free (found);

  return key;
}

/* --- has_key ---------------------------------------------------------- */

/* The end of a search that only asks whether the profile has a key.
 * FALSE when @task has its answer already (cancelled, or failed here). */
static gboolean
search_found_finish (GTask        *task,
                     GAsyncResult *result,
                     gboolean     *found)
{
  g_autoptr(GError) error = NULL;
  GList *items;

  items = secret_password_search_finish (result, &error);
  *found = items != NULL;
  g_list_free_full (items, g_object_unref);
  if (op_over (task))
    return FALSE;
  if (error != NULL)
    {
      op_fail (task, error);
      return FALSE;
    }
  return TRUE;
}

static void
on_has_key_search (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  gboolean found;

  if (search_found_finish (task, result, &found))
    op_return_boolean (task, found);
}

/* Takes @task. Neither UNLOCK nor LOAD_SECRETS: locked items are listed
 * too, and no secret crosses the bus. */
static void
has_key_start (GTask *task)
{
  search_profile (task, SECRET_SEARCH_NONE, on_has_key_search);
}

void
cr_keyring_has_key_async (const char          *profile,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (profile != NULL && *profile != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  op_run (op_new (cr_keyring_has_key_async, profile, has_key_start,
                  cancellable, callback, user_data));
}

gboolean
cr_keyring_has_key_finish (GAsyncResult  *result,
                           GError       **error)
{
  return op_propagate_boolean (result, cr_keyring_has_key_async, error);
}

/* --- clear ------------------------------------------------------------ */

static void
on_cleared (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;

  if (clear_step_done (task, result))
    verify_removed (g_steal_pointer (&task));
}

static void
on_clear_search (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  gboolean found;

  if (!search_found_finish (task, result, &found))
    return;
  if (!found)
    op_return_boolean (task, FALSE);
  else
    clear_attributes (g_steal_pointer (&task), NULL, on_cleared);
}

/* Takes @task. The search comes first because clearing does not unlock:
 * the search brings up the unlock prompt, and tells whether there is
 * anything to remove at all. */
static void
clear_start (GTask *task)
{
  search_profile (task, SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK, on_clear_search);
}

void
cr_keyring_clear_async (const char          *profile,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (profile != NULL && *profile != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  op_run (op_new (cr_keyring_clear_async, profile, clear_start,
                  cancellable, callback, user_data));
}

gboolean
cr_keyring_clear_finish (GAsyncResult  *result,
                         GError       **error)
{
  return op_propagate_boolean (result, cr_keyring_clear_async, error);
}
