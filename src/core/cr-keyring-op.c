/* cr-keyring-op.c: what every keyring operation runs on
 *
 * An operation is a GTask with an Op as its data: _cr_keyring_op_new()
 * makes it, _cr_keyring_op_run() checks for a session bus and calls its
 * first step. Whoever answers first (a step, or the cancellable) gives the
 * task its result, once; see op_claim(). Here too: the errors in our
 * terms, and the searches and clears by attributes that the operations
 * share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cr-key.h"
#include "cr-keyring.h"
#include "cr-keyring-private.h"

G_DEFINE_QUARK (cr-keyring-error-quark, cr_keyring_error)

#define ATTR_PROFILE  "profile"
/* Only on legacy items (see cr-keyring-private.h); never written now. */
#define ATTR_LEGACY_BASE_URL "base-url"

const SecretSchema *
_cr_keyring_get_schema (void)
{
  /* base-url stays in the schema only so that legacy items can be cleared
   * by it; libsecret refuses attributes the schema does not name. */
  static const SecretSchema schema = {
    "com.crazyrouter.SetupAssistant", SECRET_SCHEMA_NONE,
    {
      { ATTR_PROFILE, SECRET_SCHEMA_ATTRIBUTE_STRING },
      { ATTR_LEGACY_BASE_URL, SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

static void
op_free (gpointer data)
{
  Op *op = data;

  if (op->cancelled_id != 0)
    g_cancellable_disconnect (op->cancellable, op->cancelled_id);
  g_clear_object (&op->cancellable);
  g_free (op->profile);
  cr_key_free (op->key);
  g_clear_pointer (&op->legacy, g_ptr_array_unref);
  g_clear_object (&op->item);
  g_free (op);
}

/* TRUE for the one caller that may give the task its result. */
static gboolean
op_claim (GTask *task)
{
  return g_atomic_int_compare_and_exchange (&op_get (task)->returned, FALSE, TRUE);
}

/* Not a choice of backend: libsecret makes that one. Only the advice differs. */
static GError *
no_service_error (void)
{
  if (cr_keyring_in_sandbox ())
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

void
_cr_keyring_op_fail (GTask        *task,
                     const GError *error)
{
  op_return_error (task, map_error (error));
}

void
_cr_keyring_op_return_boolean (GTask    *task,
                               gboolean  value)
{
  if (op_claim (task))
    g_task_return_boolean (task, value);
}

void
_cr_keyring_op_return_pointer (GTask          *task,
                               gpointer        value,
                               GDestroyNotify  destroy)
{
  if (op_claim (task))
    g_task_return_pointer (task, value, destroy);
  else if (value != NULL && destroy != NULL)
    destroy (value);
}

/* The end of the operations that answer yes or no. */
gboolean
_cr_keyring_op_propagate_boolean (GAsyncResult  *result,
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

GHashTable *
_cr_keyring_profile_attributes (const char *profile)
{
  return secret_attributes_build (_cr_keyring_get_schema (),
                                  ATTR_PROFILE, profile,
                                  NULL);
}

char *
_cr_keyring_item_legacy_base_url (SecretRetrievable *item)
{
  g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (item);

  return g_strdup (g_hash_table_lookup (attributes, ATTR_LEGACY_BASE_URL));
}

/* Takes @task. */
void
_cr_keyring_search_profile (GTask               *task,
                            SecretSearchFlags    flags,
                            GAsyncReadyCallback  callback)
{
  g_autoptr(GHashTable) attributes = _cr_keyring_profile_attributes (op_get (task)->profile);

  secret_password_searchv (_cr_keyring_get_schema (), attributes, flags,
                           g_task_get_cancellable (task), callback, task);
}

/* Takes @task. Clearing matches every item that has these attributes,
 * whatever else it has. */
static void
clear_attributes (GTask               *task,
                  GHashTable          *attributes,
                  GAsyncReadyCallback  callback)
{
  secret_password_clearv (_cr_keyring_get_schema (), attributes,
                          g_task_get_cancellable (task), callback, task);
}

void
_cr_keyring_clear_profile (GTask               *task,
                           GAsyncReadyCallback  callback)
{
  g_autoptr(GHashTable) attributes = _cr_keyring_profile_attributes (op_get (task)->profile);

  clear_attributes (task, attributes, callback);
}

void
_cr_keyring_clear_legacy (GTask               *task,
                          const char          *base_url,
                          GAsyncReadyCallback  callback)
{
  g_autoptr(GHashTable) attributes = NULL;

  attributes = secret_attributes_build (_cr_keyring_get_schema (),
                                        ATTR_PROFILE, op_get (task)->profile,
                                        ATTR_LEGACY_BASE_URL, base_url,
                                        NULL);
  clear_attributes (task, attributes, callback);
}

/* Ends a clear_profile() or clear_legacy() step: TRUE when @task goes on.
 * FALSE from libsecret without an error is no failure: it leaves a locked
 * key, and only the check after clearing tells whether one stayed behind. */
gboolean
_cr_keyring_clear_step_done (GTask        *task,
                             GAsyncResult *result)
{
  g_autoptr(GError) error = NULL;

  secret_password_clear_finish (result, &error);
  if (op_over (task))
    return FALSE;

  if (error != NULL)
    {
      _cr_keyring_op_fail (task, error);
      return FALSE;
    }
  return TRUE;
}

/* The password API only removes unlocked items and says nothing about the
 * others: whatever is still there after clearing the profile was locked,
 * and "nothing to remove" would leave a key behind unnoticed. */
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
    _cr_keyring_op_fail (task, error);
  else if (items != NULL)
    op_return_error (task, locked_error ());
  else
    _cr_keyring_op_return_boolean (task, TRUE);
  g_list_free_full (items, g_object_unref);
}

/* Takes @task. */
void
_cr_keyring_verify_removed (GTask *task)
{
  _cr_keyring_search_profile (task, SECRET_SEARCH_ALL, on_verify_search);
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

GTask *
_cr_keyring_op_new (gpointer             source_tag,
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
void
_cr_keyring_op_run (GTask *task)
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

gboolean
cr_keyring_in_sandbox (void)
{
  return g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS);
}
