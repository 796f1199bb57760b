/* cr-keyring.c: the key in the system keyring (libsecret)
 *
 * Every operation first reaches the session bus and the Secret Service on
 * its own, so that "nothing to talk to" can be told apart from a keyring
 * that answered with an error.
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
  char          *profile;
  char          *base_url;
  char          *key;         /* store only; wiped as soon as it is handed over */
  SecretService *service;
  OpStep         with_service;
  GCancellable  *cancellable;
  gulong         cancelled_id;
  int            returned;    /* atomic: the task has its result */
  gboolean       keep_current; /* store: keep the item just written */
  guint          pending;     /* items still being deleted */
  guint          deleted;
  GError        *delete_error;
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
  g_clear_object (&op->service);
  g_clear_error (&op->delete_error);
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

static GError *
no_service_error (void)
{
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

/* A cancellation we did not ask for is the unlock prompt being dismissed.
 * libsecret's errors never contain the secret, so their text may be shown. */
static GError *
map_error (const GError *error)
{
  if (is_no_service (error))
    return no_service_error ();

  if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_new_literal (CR_KEYRING_ERROR, CR_KEYRING_ERROR_LOCKED,
                                _("The keyring is locked. Unlock it with your "
                                  "login password when asked, then try again."));

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

static void
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  op_return_error (G_TASK (user_data), cancelled_error ());
}

static GHashTable *
profile_attributes (Op *op)
{
  return secret_attributes_build (cr_keyring_get_schema (),
                                  ATTR_PROFILE, op->profile,
                                  NULL);
}

static void
on_service (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  Op *op = op_get (task);

  op->service = secret_service_get_finish (result, &error);
  if (op_over (task))
    return;

  if (op->service == NULL)
    {
      op_fail (task, error);
      return;
    }

  op->with_service (g_steal_pointer (&task));
}

static void
on_bus (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable = g_task_get_cancellable (task);

  bus = g_bus_get_finish (result, &error);
  if (op_over (task))
    return;

  /* No session bus at all (over ssh, in a bare container): nothing could
   * be running a keyring. */
  if (bus == NULL)
    {
      op_return_error (task, no_service_error ());
      return;
    }

  /* OPEN_SESSION makes the service answer now, so its absence shows here. */
  secret_service_get (SECRET_SERVICE_OPEN_SESSION, cancellable,
                      on_service, g_steal_pointer (&task));
}

static GTask *
op_new (gpointer             source_tag,
        const char          *profile,
        OpStep               with_service,
        GCancellable        *cancellable,
        GAsyncReadyCallback  callback,
        gpointer             user_data)
{
  GTask *task;
  Op *op;

  op = g_new0 (Op, 1);
  op->profile = g_strdup (profile);
  op->with_service = with_service;

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

/* --- removing a profile's items (clear, and store's stale ones) ------ */

static gboolean
item_is_locked (SecretItem *item)
{
  /* Read the property directly: secret_item_get_locked() is critical when
   * the daemon went away and took the item's properties along. */
  g_autoptr(GVariant) locked = g_dbus_proxy_get_cached_property (G_DBUS_PROXY (item), "Locked");

  return locked != NULL && g_variant_is_of_type (locked, G_VARIANT_TYPE_BOOLEAN) &&
         g_variant_get_boolean (locked);
}

/* Drops one reference of @task once nothing is pending any more. */
static void
remove_maybe_done (GTask *task)
{
  Op *op = op_get (task);

  if (op->pending > 0)
    return;

  if (op->delete_error != NULL)
    op_fail (task, op->delete_error);
  else
    op_return_boolean (task, op->keep_current || op->deleted > 0);

  g_object_unref (task);
}

static void
on_item_deleted (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  Op *op = op_get (task);
  g_autoptr(GError) error = NULL;

  if (secret_item_delete_finish (SECRET_ITEM (source), result, &error))
    op->deleted++;
  else if (op->delete_error == NULL)
    op->delete_error = g_steal_pointer (&error);

  op->pending--;
  remove_maybe_done (task);
}

static gboolean
is_current (Op         *op,
            SecretItem *item)
{
  g_autoptr(GHashTable) attributes = secret_item_get_attributes (item);

  return g_strcmp0 (g_hash_table_lookup (attributes, ATTR_BASE_URL), op->base_url) == 0;
}

static void
on_remove_search (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  Op *op = op_get (task);
  g_autoptr(GError) error = NULL;
  GList *items;

  items = secret_service_search_finish (op->service, result, &error);
  if (error != NULL || op_over (task))
    {
      if (error != NULL)
        op_fail (task, error);
      g_list_free_full (items, g_object_unref);
      g_object_unref (task);
      return;
    }

  op->pending = 1;
  for (GList *l = items; l != NULL; l = l->next)
    {
      SecretItem *item = l->data;

      if (op->keep_current && is_current (op, item))
        continue;

      /* Still locked after UNLOCK: the prompt was dismissed. Reporting
       * "nothing to remove" would leave the key behind unnoticed. */
      if (item_is_locked (item))
        {
          if (op->delete_error == NULL)
            op->delete_error = g_error_new_literal (SECRET_ERROR, SECRET_ERROR_IS_LOCKED, "");
          continue;
        }

      op->pending++;
      secret_item_delete (item, g_task_get_cancellable (task), on_item_deleted, task);
    }
  g_list_free_full (items, g_object_unref);

  op->pending--;
  remove_maybe_done (task);
}

/* Takes @task. */
static void
remove_profile_items (GTask *task)
{
  Op *op = op_get (task);
  g_autoptr(GHashTable) attributes = profile_attributes (op);

  secret_service_search (op->service, cr_keyring_get_schema (), attributes,
                         SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK,
                         g_task_get_cancellable (task), on_remove_search, task);
}

/* --- store ------------------------------------------------------------ */

static void
on_stored (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  Op *op = op_get (task);
  g_autoptr(GError) error = NULL;
  gboolean stored;

  stored = secret_service_store_finish (op->service, result, &error);
  if (!stored || op_over (task))
    {
      /* No error but nothing stored: the unlock prompt was dismissed. */
      if (!stored && error == NULL)
        error = g_error_new_literal (SECRET_ERROR, SECRET_ERROR_IS_LOCKED, "");
      if (error != NULL)
        op_fail (task, error);
      g_object_unref (task);
      return;
    }

  /* The new item replaced one with the same attributes; any other item of
   * this profile holds an older key for another base URL and must go, so a
   * profile never has two keys. */
  remove_profile_items (task);
}

static void
store_with_service (GTask *task)
{
  Op *op = op_get (task);
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(SecretValue) value = NULL;
  g_autofree char *label = NULL;

  attributes = profile_attributes (op);
  if (op->base_url != NULL)
    g_hash_table_insert (attributes, g_strdup (ATTR_BASE_URL),
                         g_strdup (op->base_url));

  /* TRANSLATORS: the name of the key in the keyring (Passwords and Keys
   * shows it); %s is the profile name, e.g. "cursor" */
  label = g_strdup_printf (_("Crazyrouter key for Cursor (profile %s)"), op->profile);
  value = secret_value_new (op->key, -1, "text/plain");
  g_clear_pointer (&op->key, cr_key_free);

  secret_service_store (op->service, cr_keyring_get_schema (), attributes,
                        SECRET_COLLECTION_DEFAULT, label, value,
                        g_task_get_cancellable (task), on_stored, task);
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

  task = op_new (cr_keyring_store_async, profile, store_with_service,
                 cancellable, callback, user_data);
  op = op_get (task);
  op->base_url = g_strdup (base_url);
  op->key = g_strdup (key);
  op->keep_current = TRUE;

  op_run (task);
}

gboolean
cr_keyring_store_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cr_keyring_store_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
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

/* The first item's secret and base URL, or an error in libsecret's terms. */
static Found *
found_from_item (SecretItem  *item,
                 GError     **error)
{
  g_autoptr(SecretValue) value = secret_item_get_secret (item);
  g_autoptr(GHashTable) attributes = NULL;
  const char *text;
  Found *found;

  if (value == NULL)
    {
      /* UNLOCK was asked for: a still-locked item means the prompt was
       * dismissed. */
      if (item_is_locked (item))
        g_set_error_literal (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED, "");
      else
        g_set_error_literal (error, SECRET_ERROR, SECRET_ERROR_PROTOCOL,
                             _("The keyring returned no secret."));
      return NULL;
    }

  text = secret_value_get_text (value);
  if (text == NULL)
    {
      g_set_error_literal (error, SECRET_ERROR, SECRET_ERROR_PROTOCOL,
                           _("The stored key is not text."));
      return NULL;
    }

  attributes = secret_item_get_attributes (item);
  found = g_new0 (Found, 1);
  found->key = g_strdup (text);
  found->base_url = g_strdup (g_hash_table_lookup (attributes, ATTR_BASE_URL));

  return found;
}

static void
on_lookup_search (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  Op *op = op_get (task);
  Found *found = NULL;
  GList *items;

  items = secret_service_search_finish (op->service, result, &error);
  if (items != NULL)
    found = found_from_item (items->data, &error);
  g_list_free_full (items, g_object_unref);

  if (error != NULL)
    op_fail (task, error);
  else
    op_return_pointer (task, found, found_free);
}

static void
lookup_with_service (GTask *task)
{
  Op *op = op_get (task);
  g_autoptr(GHashTable) attributes = profile_attributes (op);

  secret_service_search (op->service, cr_keyring_get_schema (), attributes,
                         SECRET_SEARCH_UNLOCK | SECRET_SEARCH_LOAD_SECRETS,
                         g_task_get_cancellable (task),
                         on_lookup_search, task);
}

void
cr_keyring_lookup_async (const char          *profile,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (profile != NULL && *profile != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  op_run (op_new (cr_keyring_lookup_async, profile, lookup_with_service,
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

/* --- clear ------------------------------------------------------------ */

void
cr_keyring_clear_async (const char          *profile,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (profile != NULL && *profile != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  op_run (op_new (cr_keyring_clear_async, profile, remove_profile_items,
                  cancellable, callback, user_data));
}

gboolean
cr_keyring_clear_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cr_keyring_clear_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
