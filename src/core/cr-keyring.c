/* cr-keyring.c: the key in the system keyring (libsecret)
 *
 * Only libsecret's password API (secret_password_* and SecretRetrievable)
 * is used, never SecretService: that API goes through libsecret's backend,
 * which in a Flatpak sandbox is an encrypted per-app keyring file unlocked
 * through the Secret portal, and the Secret Service everywhere else. The
 * sandbox cannot reach the Secret Service itself: the manifest does not
 * grant --talk-name=org.freedesktop.secrets, on purpose.
 *
 * That API knows items only by their attributes: a key is found by its
 * profile alone (the base URL is a setting, see CrSetupState), and
 * "locked" is worked out from searches; see clear below.
 *
 * Cancelling completes an operation at once: libsecret 0.20 can leave an
 * operation hanging when it is cancelled while an unlock prompt is up, and a
 * Ctrl-C or a Cancel button must not wait for that. Its late answer, if it
 * ever comes, is dropped.
 *
 * This file has the four operations; what they run on (the task plumbing,
 * the errors, the shared searches) is in cr-keyring-op.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "cr-key.h"
#include "cr-keyring.h"
#include "cr-keyring-private.h"

/* --- store ------------------------------------------------------------ */

/* libsecret replaces an item whose attributes include the ones stored, so
 * storing by profile alone keeps one key per profile. Which item it
 * replaces when there are several is its choice, though: items that
 * earlier versions stored with the base URL as well are therefore removed
 * first. The profile's own item is replaced in place, so a failed store
 * leaves it as it was; only while an earlier version's item is being
 * replaced can a failure leave none (the key is still in memory, and the
 * user is told to try again). */

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
      _cr_keyring_op_fail (task, error);
      return;
    }

  _cr_keyring_op_return_boolean (task, TRUE);
}

/* Takes @task. */
static void
store_write (GTask *task)
{
  Op *op = op_get (task);
  g_autoptr(GHashTable) attributes = _cr_keyring_profile_attributes (op->profile);
  g_autofree char *label = NULL;

  /* TRANSLATORS: the name of the key in the keyring (Passwords and Keys
   * shows it); %s is the profile name, e.g. "cursor" */
  label = g_strdup_printf (_("Crazyrouter key for Cursor (profile %s)"), op->profile);

  /* libsecret copies the key into its own wiped memory right away. */
  secret_password_storev (_cr_keyring_get_schema (), attributes, SECRET_COLLECTION_DEFAULT,
                          label, op->key, g_task_get_cancellable (task), on_stored, task);
  g_clear_pointer (&op->key, cr_key_free);
}

static void remove_next_legacy (GTask *task);

static void
on_legacy_cleared (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;

  if (_cr_keyring_clear_step_done (task, result))
    remove_next_legacy (g_steal_pointer (&task));
}

/* Takes @task. */
static void
remove_next_legacy (GTask *task)
{
  Op *op = op_get (task);

  if (op->next_legacy < op->legacy->len)
    _cr_keyring_clear_legacy (task, g_ptr_array_index (op->legacy, op->next_legacy++),
                              on_legacy_cleared);
  else
    store_write (task);
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
      char *base_url = _cr_keyring_item_legacy_base_url (l->data);

      if (base_url == NULL ||
          g_ptr_array_find_with_equal_func (op->legacy, base_url, str_equal, NULL))
        g_free (base_url);
      else
        g_ptr_array_add (op->legacy, base_url);
    }
  g_list_free_full (items, g_object_unref);

  if (op_over (task))
    return;

  if (error != NULL)
    {
      _cr_keyring_op_fail (task, error);
      return;
    }

  remove_next_legacy (g_steal_pointer (&task));
}

/* Takes @task. UNLOCK: the search is where the unlock prompt comes up. */
static void
store_start (GTask *task)
{
  _cr_keyring_search_profile (task, SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK, on_store_search);
}

void
cr_keyring_store_async (const char          *profile,
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

  task = _cr_keyring_op_new (cr_keyring_store_async, profile, store_start,
                             cancellable, callback, user_data);
  op = op_get (task);
  op->key = g_strdup (key);
  op->legacy = g_ptr_array_new_with_free_func (g_free);

  _cr_keyring_op_run (task);
}

gboolean
cr_keyring_store_finish (GAsyncResult  *result,
                         GError       **error)
{
  return _cr_keyring_op_propagate_boolean (result, cr_keyring_store_async, error);
}

/* --- lookup ----------------------------------------------------------- */

static void
on_lookup_secret (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SecretValue) value = NULL;
  const char *text = NULL;
  gsize length;

  /* Still locked after UNLOCK (the prompt was dismissed) fails here. */
  value = secret_retrievable_retrieve_secret_finish (SECRET_RETRIEVABLE (source), result, &error);
  if (value != NULL)
    text = secret_value_get_text (value);
  if (error == NULL && text == NULL)
    g_set_error_literal (&error, SECRET_ERROR, SECRET_ERROR_PROTOCOL,
                         _("The stored key is not text."));
  if (error != NULL)
    {
      _cr_keyring_op_fail (task, error);
      return;
    }

  /* libsecret's non-pageable memory, until finish copies it. Whatever else
   * the item carries (an earlier version's base-url) is not read. */
  _cr_keyring_op_return_pointer (task,
                                 secret_value_unref_to_password (g_steal_pointer (&value), &length),
                                 (GDestroyNotify) secret_password_free);
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
    _cr_keyring_op_fail (task, error);
  else if (op->item == NULL)
    _cr_keyring_op_return_pointer (task, NULL, NULL);
  else
    secret_retrievable_retrieve_secret (op->item, op->cancellable,
                                        on_lookup_secret, g_steal_pointer (&task));
}

/* Takes @task. */
static void
lookup_start (GTask *task)
{
  _cr_keyring_search_profile (task,
                              SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK | SECRET_SEARCH_LOAD_SECRETS,
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

  _cr_keyring_op_run (_cr_keyring_op_new (cr_keyring_lookup_async, profile, lookup_start,
                                          cancellable, callback, user_data));
}

char *
cr_keyring_lookup_finish (GAsyncResult  *result,
                          GError       **error)
{
  char *found;
  char *key;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cr_keyring_lookup_async, NULL);

  found = g_task_propagate_pointer (G_TASK (result), error);
  if (found == NULL)
    return NULL;

  /* The caller frees its copy with cr_key_free(), so it is ordinary
   * memory; libsecret's is wiped and freed here. */
  key = g_strdup (found);
  secret_password_free (found);

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
      _cr_keyring_op_fail (task, error);
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
    _cr_keyring_op_return_boolean (task, found);
}

/* Takes @task. Neither UNLOCK nor LOAD_SECRETS: locked items are listed
 * too, and no secret crosses the bus. */
static void
has_key_start (GTask *task)
{
  _cr_keyring_search_profile (task, SECRET_SEARCH_NONE, on_has_key_search);
}

void
cr_keyring_has_key_async (const char          *profile,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (profile != NULL && *profile != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  _cr_keyring_op_run (_cr_keyring_op_new (cr_keyring_has_key_async, profile, has_key_start,
                                          cancellable, callback, user_data));
}

gboolean
cr_keyring_has_key_finish (GAsyncResult  *result,
                           GError       **error)
{
  return _cr_keyring_op_propagate_boolean (result, cr_keyring_has_key_async, error);
}

/* --- clear ------------------------------------------------------------ */

static void
on_cleared (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;

  if (_cr_keyring_clear_step_done (task, result))
    _cr_keyring_verify_removed (g_steal_pointer (&task));
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
    _cr_keyring_op_return_boolean (task, FALSE);
  else
    _cr_keyring_clear_profile (g_steal_pointer (&task), on_cleared);
}

/* Takes @task. The search comes first because clearing does not unlock:
 * the search brings up the unlock prompt, and tells whether there is
 * anything to remove at all. */
static void
clear_start (GTask *task)
{
  _cr_keyring_search_profile (task, SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK, on_clear_search);
}

void
cr_keyring_clear_async (const char          *profile,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (profile != NULL && *profile != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  _cr_keyring_op_run (_cr_keyring_op_new (cr_keyring_clear_async, profile, clear_start,
                                          cancellable, callback, user_data));
}

gboolean
cr_keyring_clear_finish (GAsyncResult  *result,
                         GError       **error)
{
  return _cr_keyring_op_propagate_boolean (result, cr_keyring_clear_async, error);
}
