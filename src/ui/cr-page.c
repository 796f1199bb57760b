/* cr-page.c: one step of the assistant
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cr-page.h"

typedef struct
{
  char         *title;
  char         *next_label;
  char         *came_from;
  CrSetupState *state;
  gboolean      complete;
  gboolean      next_suggested;

  /* The apply in progress: set from cr_page_apply_begin() until it ends. */
  GCancellable        *apply_cancellable;
  CrPageApplyCallback  apply_callback;
  gpointer             apply_data;
} CrPagePrivate;

G_DEFINE_TYPE_WITH_PRIVATE (CrPage, cr_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_ID,
  PROP_TITLE,
  PROP_COMPLETE,
  PROP_NEXT_LABEL,
  PROP_NEXT_SUGGESTED,
  PROP_STATE,
  PROP_APPLYING,
  N_PROPS
};

enum {
  JUMP,
  ADVANCE,
  TOAST,
  HIDDEN,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* g_set_str() arrived in GLib 2.76; the floor is 2.74. */
static gboolean
set_string (char       **field,
            const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static void
cr_page_finalize (GObject *object)
{
  CrPagePrivate *priv = cr_page_get_instance_private (CR_PAGE (object));

  g_clear_pointer (&priv->title, g_free);
  g_clear_pointer (&priv->next_label, g_free);
  g_clear_pointer (&priv->came_from, g_free);

  G_OBJECT_CLASS (cr_page_parent_class)->finalize (object);
}

static void
cr_page_dispose (GObject *object)
{
  CrPagePrivate *priv = cr_page_get_instance_private (CR_PAGE (object));

  cr_page_apply_cancel (CR_PAGE (object));
  g_clear_object (&priv->state);

  G_OBJECT_CLASS (cr_page_parent_class)->dispose (object);
}

static void
cr_page_constructed (GObject *object)
{
  G_OBJECT_CLASS (cr_page_parent_class)->constructed (object);

  if (CR_PAGE_GET_CLASS (object)->page_id == NULL)
    g_critical ("%s has no page id: call cr_page_class_set_id() in its class_init",
                G_OBJECT_TYPE_NAME (object));
}

static void
cr_page_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  CrPage *self = CR_PAGE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, cr_page_get_id (self));
      break;
    case PROP_TITLE:
      g_value_set_string (value, cr_page_get_title (self));
      break;
    case PROP_COMPLETE:
      g_value_set_boolean (value, cr_page_get_complete (self));
      break;
    case PROP_NEXT_LABEL:
      g_value_set_string (value, cr_page_get_next_label (self));
      break;
    case PROP_NEXT_SUGGESTED:
      g_value_set_boolean (value, cr_page_get_next_suggested (self));
      break;
    case PROP_STATE:
      g_value_set_object (value, cr_page_get_state (self));
      break;
    case PROP_APPLYING:
      g_value_set_boolean (value, cr_page_get_applying (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cr_page_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  CrPage *self = CR_PAGE (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      cr_page_set_title (self, g_value_get_string (value));
      break;
    case PROP_COMPLETE:
      cr_page_set_complete (self, g_value_get_boolean (value));
      break;
    case PROP_NEXT_LABEL:
      cr_page_set_next_label (self, g_value_get_string (value));
      break;
    case PROP_NEXT_SUGGESTED:
      cr_page_set_next_suggested (self, g_value_get_boolean (value));
      break;
    case PROP_STATE:
      cr_page_set_state (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cr_page_class_init (CrPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = cr_page_constructed;
  object_class->dispose = cr_page_dispose;
  object_class->finalize = cr_page_finalize;
  object_class->get_property = cr_page_get_property;
  object_class->set_property = cr_page_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COMPLETE] =
    g_param_spec_boolean ("complete", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NEXT_LABEL] =
    g_param_spec_string ("next-label", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NEXT_SUGGESTED] =
    g_param_spec_boolean ("next-suggested", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_object ("state", NULL, NULL, CR_TYPE_SETUP_STATE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_APPLYING] =
    g_param_spec_boolean ("applying", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[JUMP] =
    g_signal_new ("jump", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[ADVANCE] =
    g_signal_new ("advance", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[TOAST] =
    g_signal_new ("toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[HIDDEN] =
    g_signal_new ("hidden", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  G_STRUCT_OFFSET (CrPageClass, hidden),
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
cr_page_init (CrPage *self)
{
  CrPagePrivate *priv = cr_page_get_instance_private (self);

  priv->next_suggested = TRUE;
}

void
cr_page_class_set_id (CrPageClass *klass,
                      const char  *page_id)
{
  g_return_if_fail (CR_IS_PAGE_CLASS (klass));
  g_return_if_fail (page_id != NULL);

  klass->page_id = g_intern_string (page_id);
}

const char *
cr_page_class_get_id (CrPageClass *klass)
{
  g_return_val_if_fail (CR_IS_PAGE_CLASS (klass), NULL);

  return klass->page_id;
}

const char *
cr_page_get_id (CrPage *self)
{
  g_return_val_if_fail (CR_IS_PAGE (self), NULL);

  return CR_PAGE_GET_CLASS (self)->page_id;
}

const char *
cr_page_get_title (CrPage *self)
{
  CrPagePrivate *priv = cr_page_get_instance_private (self);

  g_return_val_if_fail (CR_IS_PAGE (self), NULL);

  return priv->title;
}

void
cr_page_set_title (CrPage     *self,
                   const char *title)
{
  CrPagePrivate *priv = cr_page_get_instance_private (self);

  g_return_if_fail (CR_IS_PAGE (self));

  if (set_string (&priv->title, title))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

gboolean
cr_page_get_complete (CrPage *self)
{
  CrPagePrivate *priv = cr_page_get_instance_private (self);

  g_return_val_if_fail (CR_IS_PAGE (self), FALSE);

  return priv->complete;
}

void
cr_page_set_complete (CrPage   *self,
                      gboolean  complete)
{
  CrPagePrivate *priv = cr_page_get_instance_private (self);

  g_return_if_fail (CR_IS_PAGE (self));

  complete = !!complete;
  if (priv->complete == complete)
    return;

  priv->complete = complete;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETE]);
}

const char *
cr_page_get_next_label (CrPage *self)
{
  CrPagePrivate *priv = cr_page_get_instance_private (self);

  g_return_val_if_fail (CR_IS_PAGE (self), NULL);

  return priv->next_label;
}

void
cr_page_set_next_label (CrPage     *self,
                        const char *label)
{
  CrPagePrivate *priv = cr_page_get_instance_private (self);

  g_return_if_fail (CR_IS_PAGE (self));

  if (set_string (&priv->next_label, label))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT_LABEL]);
}

gboolean
cr_page_get_next_suggested (CrPage *self)
{
  CrPagePrivate *priv = cr_page_get_instance_private (self);

  g_return_val_if_fail (CR_IS_PAGE (self), TRUE);

  return priv->next_suggested;
}

void
cr_page_set_next_suggested (CrPage   *self,
                            gboolean  suggested)
{
  CrPagePrivate *priv = cr_page_get_instance_private (self);

  g_return_if_fail (CR_IS_PAGE (self));

  suggested = !!suggested;
  if (priv->next_suggested == suggested)
    return;

  priv->next_suggested = suggested;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT_SUGGESTED]);
}

CrSetupState *
cr_page_get_state (CrPage *self)
{
  CrPagePrivate *priv = cr_page_get_instance_private (self);

  g_return_val_if_fail (CR_IS_PAGE (self), NULL);

  return priv->state;
}

void
cr_page_set_state (CrPage       *self,
                   CrSetupState *state)
{
  CrPagePrivate *priv = cr_page_get_instance_private (self);

  g_return_if_fail (CR_IS_PAGE (self));
  g_return_if_fail (state == NULL || CR_IS_SETUP_STATE (state));

  if (g_set_object (&priv->state, state))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

const char *
cr_page_get_came_from (CrPage *self)
{
  CrPagePrivate *priv = cr_page_get_instance_private (self);

  g_return_val_if_fail (CR_IS_PAGE (self), NULL);

  return priv->came_from;
}

void
cr_page_set_came_from (CrPage     *self,
                       const char *page_id)
{
  CrPagePrivate *priv = cr_page_get_instance_private (self);

  g_return_if_fail (CR_IS_PAGE (self));

  set_string (&priv->came_from, page_id);
}

void
cr_page_jump_to (CrPage     *self,
                 const char *page_id)
{
  g_return_if_fail (CR_IS_PAGE (self));
  g_return_if_fail (page_id != NULL);

  g_signal_emit (self, signals[JUMP], 0, page_id);
}

void
cr_page_advance (CrPage *self)
{
  CrPagePrivate *priv = cr_page_get_instance_private (self);

  g_return_if_fail (CR_IS_PAGE (self));

  if (priv->complete)
    g_signal_emit (self, signals[ADVANCE], 0);
}

void
cr_page_toast (CrPage     *self,
               const char *message)
{
  g_return_if_fail (CR_IS_PAGE (self));
  g_return_if_fail (message != NULL);

  g_signal_emit (self, signals[TOAST], 0, message);
}

void
cr_page_shown (CrPage *self)
{
  g_return_if_fail (CR_IS_PAGE (self));

  if (CR_PAGE_GET_CLASS (self)->shown != NULL)
    CR_PAGE_GET_CLASS (self)->shown (self);
}

void
cr_page_hidden (CrPage *self)
{
  g_return_if_fail (CR_IS_PAGE (self));

  cr_page_apply_cancel (self);
  g_signal_emit (self, signals[HIDDEN], 0);
}

gboolean
cr_page_get_applying (CrPage *self)
{
  CrPagePrivate *priv = cr_page_get_instance_private (self);

  g_return_val_if_fail (CR_IS_PAGE (self), FALSE);

  return priv->apply_cancellable != NULL;
}

/* Forgets the running apply; returns its cancellable. */
static GCancellable *
end_apply (CrPage *self)
{
  CrPagePrivate *priv = cr_page_get_instance_private (self);
  GCancellable *cancellable = g_steal_pointer (&priv->apply_cancellable);

  priv->apply_callback = NULL;
  priv->apply_data = NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_APPLYING]);

  return cancellable;
}

void
cr_page_apply_begin (CrPage              *self,
                     CrPageApplyCallback  callback,
                     gpointer             user_data)
{
  CrPagePrivate *priv = cr_page_get_instance_private (self);
  g_autoptr(CrPage) keep = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  CrPageClass *klass;

  g_return_if_fail (CR_IS_PAGE (self));
  g_return_if_fail (!cr_page_get_applying (self));

  keep = g_object_ref (self);
  cancellable = g_cancellable_new ();
  priv->apply_cancellable = g_object_ref (cancellable);
  priv->apply_callback = callback;
  priv->apply_data = user_data;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_APPLYING]);

  klass = CR_PAGE_GET_CLASS (self);
  if (klass->apply != NULL && klass->apply (self, cancellable))
    return;

  /* Nothing to wait for, unless the page has answered (or the apply has
   * been cancelled) from within apply() already. */
  if (priv->apply_cancellable == cancellable)
    cr_page_apply_complete (self, TRUE);
}

void
cr_page_apply_complete (CrPage   *self,
                        gboolean  ok)
{
  CrPagePrivate *priv = cr_page_get_instance_private (self);
  g_autoptr(CrPage) keep = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  CrPageApplyCallback callback;
  gpointer user_data;

  g_return_if_fail (CR_IS_PAGE (self));

  /* Cancelled: the frame has moved on already. */
  if (!cr_page_get_applying (self))
    return;

  keep = g_object_ref (self);
  callback = priv->apply_callback;
  user_data = priv->apply_data;
  cancellable = end_apply (self);

  if (callback != NULL)
    callback (self, !!ok, user_data);
}

void
cr_page_apply_cancel (CrPage *self)
{
  g_autoptr(GCancellable) cancellable = NULL;

  g_return_if_fail (CR_IS_PAGE (self));

  if (!cr_page_get_applying (self))
    return;

  /* Ended before the page hears of it, so whatever it does on cancel
   * (completing, say) cannot reach the frame's callback. */
  cancellable = end_apply (self);
  g_cancellable_cancel (cancellable);
}
