/* cr-keyring.h: the key in the system keyring (libsecret)
 *
 * Schema "com.crazyrouter.SetupAssistant", attribute "profile" (e.g.
 * "cursor"). One key per profile, and nothing else: the base URL that goes
 * with it is a setting (CrSetupState). Items that earlier versions stored
 * with a "base-url" attribute too are read like any other, the attribute
 * ignored, and replaced by the next store.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CR_KEYRING_DEFAULT_PROFILE "cursor"

#define CR_KEYRING_ERROR (cr_keyring_error_quark ())

typedef enum {
  CR_KEYRING_ERROR_NO_SERVICE,   /* no Secret Service on the session bus */
  CR_KEYRING_ERROR_LOCKED,       /* the collection stayed locked (prompt dismissed) */
  CR_KEYRING_ERROR_FAILED,
} CrKeyringError;

GQuark      cr_keyring_error_quark   (void);

/* All four fail with a CR_KEYRING_ERROR (its message says what to do), or
 * with G_IO_ERROR_CANCELLED as soon as @cancellable is cancelled, even while
 * an unlock prompt is up. */

/* Replaces the profile's key: a profile never holds two. */
void        cr_keyring_store_async   (const char          *profile,
                                      const char          *key,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
gboolean    cr_keyring_store_finish  (GAsyncResult        *result,
                                      GError             **error);

/* Returns the key (free with cr_key_free()) or NULL without an error when the
 * profile has none. */
void        cr_keyring_lookup_async  (const char          *profile,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
char       *cr_keyring_lookup_finish (GAsyncResult        *result,
                                      GError             **error);

/* Whether the profile has a key, without reading it or unlocking
 * anything: no unlock prompt comes up, and a locked keyring's key counts. */
void        cr_keyring_has_key_async  (const char          *profile,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
gboolean    cr_keyring_has_key_finish (GAsyncResult        *result,
                                       GError             **error);

/* TRUE when something was removed. */
void        cr_keyring_clear_async   (const char          *profile,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
gboolean    cr_keyring_clear_finish  (GAsyncResult        *result,
                                      GError             **error);

/* TRUE inside the Flatpak sandbox, where libsecret keeps the key in the
 * app's own keyring file through the Secret portal, not in the login
 * keyring. */
gboolean     cr_keyring_in_sandbox (void);

G_END_DECLS
