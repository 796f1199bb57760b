/* cr-keyring-private.h: what the files of the keyring share
 *
 * cr-keyring-op.c runs an operation (a GTask carrying an Op) and holds the
 * searches and clears by attributes; cr-keyring.c has the operations.
 *
 * An item is found by its profile. Earlier versions also stored the
 * base URL as an attribute ("legacy" below): such an item is read like any
 * other, and replaced when a key is stored.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsecret/secret.h>

G_BEGIN_DECLS

typedef struct _Op Op;
typedef void (*OpStep) (GTask *task);

struct _Op
{
  char              *profile;
  char              *key;         /* store only; wiped as soon as it is handed over */
  OpStep             start;
  GCancellable      *cancellable;
  gulong             cancelled_id;
  int                returned;    /* atomic: the task has its result */
  GPtrArray         *legacy;      /* store: base URLs of the profile's legacy items */
  guint              next_legacy;
  SecretRetrievable *item;        /* lookup: the item whose secret is read */
};

static inline Op *
op_get (GTask *task)
{
  return g_task_get_task_data (task);
}

/* TRUE once the task has its result: a step that finds this drops its own. */
static inline gboolean
op_over (GTask *task)
{
  return g_atomic_int_get (&op_get (task)->returned);
}

const SecretSchema *_cr_keyring_get_schema           (void);

GTask       *_cr_keyring_op_new               (gpointer             source_tag,
                                               const char          *profile,
                                               OpStep               start,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
/* Takes @task. */
void         _cr_keyring_op_run               (GTask               *task);

/* Each gives @task its result unless it has one already. */
void         _cr_keyring_op_fail              (GTask               *task,
                                               const GError        *error);
void         _cr_keyring_op_return_boolean    (GTask               *task,
                                               gboolean             value);
void         _cr_keyring_op_return_pointer    (GTask               *task,
                                               gpointer             value,
                                               GDestroyNotify       destroy);
gboolean     _cr_keyring_op_propagate_boolean (GAsyncResult        *result,
                                               gpointer             source_tag,
                                               GError             **error);

GHashTable  *_cr_keyring_profile_attributes   (const char          *profile);
/* NULL when @item has no base-url attribute: it is no legacy item. */
char        *_cr_keyring_item_legacy_base_url (SecretRetrievable   *item);
/* These four take @task. */
void         _cr_keyring_search_profile       (GTask               *task,
                                               SecretSearchFlags    flags,
                                               GAsyncReadyCallback  callback);
/* Every item of the profile, legacy ones too. */
void         _cr_keyring_clear_profile        (GTask               *task,
                                               GAsyncReadyCallback  callback);
/* Only the profile's legacy item stored for @base_url. */
void         _cr_keyring_clear_legacy         (GTask               *task,
                                               const char          *base_url,
                                               GAsyncReadyCallback  callback);
void         _cr_keyring_verify_removed       (GTask               *task);
gboolean     _cr_keyring_clear_step_done      (GTask               *task,
                                               GAsyncResult        *result);

G_END_DECLS
