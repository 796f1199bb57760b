/* cr-check-item.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cr-check-item.h"
#include "cr-text.h"

struct _CrCheckItem
{
  GObject        parent_instance;

  char          *id;
  char          *title;
  char          *section;
  CrCheckStatus  status;
  gboolean       changed;
  char          *detail;
  char          *fix;
  char          *symptom;
};

G_DEFINE_FINAL_TYPE (CrCheckItem, cr_check_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_TITLE,
  PROP_SECTION,
  PROP_STATUS,
  PROP_DETAIL,
  PROP_FIX,
  PROP_SYMPTOM,
  PROP_CHANGED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The nicks double as the stable strings of cr_check_status_to_string(). */
G_DEFINE_ENUM_TYPE (CrCheckStatus, cr_check_status,
                    G_DEFINE_ENUM_VALUE (CR_CHECK_PENDING, "pending"),
                    G_DEFINE_ENUM_VALUE (CR_CHECK_RUNNING, "running"),
                    G_DEFINE_ENUM_VALUE (CR_CHECK_PASSED, "passed"),
                    G_DEFINE_ENUM_VALUE (CR_CHECK_WARNING, "warning"),
                    G_DEFINE_ENUM_VALUE (CR_CHECK_FAILED, "failed"),
                    G_DEFINE_ENUM_VALUE (CR_CHECK_NEEDS_YOU, "needs-you"))

const char *
cr_check_status_to_string (CrCheckStatus status)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (CR_TYPE_CHECK_STATUS);
  GEnumValue *value = g_enum_get_value (klass, status);

  g_return_val_if_fail (value != NULL, NULL);

  /* Nicks are static strings, so they outlive the class reference. */
  return value->value_nick;
}

static void
cr_check_item_finalize (GObject *object)
{
  CrCheckItem *self = CR_CHECK_ITEM (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->section, g_free);
  g_clear_pointer (&self->detail, g_free);
  g_clear_pointer (&self->fix, g_free);
  g_clear_pointer (&self->symptom, g_free);

  G_OBJECT_CLASS (cr_check_item_parent_class)->finalize (object);
}

static void
cr_check_item_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  CrCheckItem *self = CR_CHECK_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_SECTION:
      g_value_set_string (value, self->section);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_DETAIL:
      g_value_set_string (value, self->detail);
      break;
    case PROP_FIX:
      g_value_set_string (value, self->fix);
      break;
    case PROP_SYMPTOM:
      g_value_set_string (value, self->symptom);
      break;
    case PROP_CHANGED:
      g_value_set_boolean (value, self->changed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cr_check_item_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  CrCheckItem *self = CR_CHECK_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;
    case PROP_TITLE:
      self->title = g_value_dup_string (value);
      break;
    case PROP_SECTION:
      /* NULL (not given) keeps the default. */
      if (g_value_get_string (value) != NULL)
        {
          g_free (self->section);
          self->section = g_value_dup_string (value);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cr_check_item_class_init (CrCheckItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cr_check_item_finalize;
  object_class->get_property = cr_check_item_get_property;
  object_class->set_property = cr_check_item_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SECTION] =
    g_param_spec_string ("section", NULL, NULL, CR_CHECK_SECTION_GATEWAY,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* Read-only: the runner changes these through cr_check_item_update(),
   * and views follow along through notify. */
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL,
                       CR_TYPE_CHECK_STATUS, CR_CHECK_PENDING,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DETAIL] =
    g_param_spec_string ("detail", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FIX] =
    g_param_spec_string ("fix", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SYMPTOM] =
    g_param_spec_string ("symptom", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CHANGED] =
    g_param_spec_boolean ("changed", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cr_check_item_init (CrCheckItem *self)
{
  self->status = CR_CHECK_PENDING;
  self->section = g_strdup (CR_CHECK_SECTION_GATEWAY);
}

CrCheckItem *
cr_check_item_new (const char *id,
                   const char *title)
{
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (title != NULL, NULL);

  return g_object_new (CR_TYPE_CHECK_ITEM, "id", id, "title", title, NULL);
}

CrCheckItem *
cr_check_item_new_in_section (const char *id,
                              const char *title,
                              const char *section)
{
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (title != NULL, NULL);
  g_return_val_if_fail (section != NULL, NULL);

  return g_object_new (CR_TYPE_CHECK_ITEM, "id", id, "title", title, "section", section, NULL);
}

const char *
cr_check_item_get_id (CrCheckItem *self)
{
  g_return_val_if_fail (CR_IS_CHECK_ITEM (self), NULL);

  return self->id;
}

const char *
cr_check_item_get_title (CrCheckItem *self)
{
  g_return_val_if_fail (CR_IS_CHECK_ITEM (self), NULL);

  return self->title;
}

const char *
cr_check_item_get_section (CrCheckItem *self)
{
  g_return_val_if_fail (CR_IS_CHECK_ITEM (self), NULL);

  return self->section;
}

CrCheckStatus
cr_check_item_get_status (CrCheckItem *self)
{
  g_return_val_if_fail (CR_IS_CHECK_ITEM (self), CR_CHECK_PENDING);

  return self->status;
}

const char *
cr_check_item_get_detail (CrCheckItem *self)
{
  g_return_val_if_fail (CR_IS_CHECK_ITEM (self), NULL);

  return self->detail;
}

const char *
cr_check_item_get_fix (CrCheckItem *self)
{
  g_return_val_if_fail (CR_IS_CHECK_ITEM (self), NULL);

  return self->fix;
}

const char *
cr_check_item_get_symptom (CrCheckItem *self)
{
  g_return_val_if_fail (CR_IS_CHECK_ITEM (self), NULL);

  return self->symptom;
}

gboolean
cr_check_item_get_changed (CrCheckItem *self)
{
  g_return_val_if_fail (CR_IS_CHECK_ITEM (self), FALSE);

  return self->changed;
}

void
cr_check_item_set_changed (CrCheckItem *self,
                           gboolean     changed)
{
  g_return_if_fail (CR_IS_CHECK_ITEM (self));

  changed = !!changed;
  if (self->changed == changed)
    return;

  self->changed = changed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHANGED]);
}

/* Replaces *slot and notifies, but only when the text really changes. */
static void
set_string (CrCheckItem  *self,
            char        **slot,
            const char   *value,
            guint         prop_id)
{
  if (g_strcmp0 (*slot, value) == 0)
    return;

  g_free (*slot);
  *slot = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

void
cr_check_item_update (CrCheckItem   *self,
                      CrCheckStatus  status,
                      const char    *detail,
                      const char    *fix,
                      const char    *symptom)
{
  g_return_if_fail (CR_IS_CHECK_ITEM (self));

  /* A view that reacts to "status" should already see the new detail. */
  g_object_freeze_notify (G_OBJECT (self));

  set_string (self, &self->detail, detail, PROP_DETAIL);
  set_string (self, &self->fix, fix, PROP_FIX);
  set_string (self, &self->symptom, symptom, PROP_SYMPTOM);

  if (self->status != status)
    {
      self->status = status;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
    }

  g_object_thaw_notify (G_OBJECT (self));
}

static guint
severity (CrCheckStatus status)
{
  switch (status)
    {
    case CR_CHECK_FAILED:
      return 3;
    case CR_CHECK_NEEDS_YOU:
      return 2;
    case CR_CHECK_WARNING:
      return 1;
    default:
      return 0;
    }
}

static void
append_sentences (char       **text,
                  const char  *more)
{
  char *joined = cr_text_join_sentences (*text, more);

  g_free (*text);
  *text = joined;
}

void
cr_check_findings_add (CrCheckFindings *findings,
                       CrCheckStatus    status,
                       const char      *symptom,
                       char            *detail,
                       char            *fix)
{
  g_autofree char *owned_detail = detail;
  g_autofree char *owned_fix = fix;

  g_return_if_fail (findings != NULL);

  if (severity (status) > severity (findings->status) || findings->symptom == NULL)
    findings->symptom = symptom;
  if (severity (status) > severity (findings->status))
    findings->status = status;

  if (owned_detail != NULL)
    append_sentences (&findings->detail, owned_detail);
  if (owned_fix != NULL)
    append_sentences (&findings->fix, owned_fix);
}

void
cr_check_findings_apply (CrCheckFindings *findings,
                         CrCheckItem     *item)
{
  g_return_if_fail (findings != NULL);
  g_return_if_fail (CR_IS_CHECK_ITEM (item));

  cr_check_item_update (item, findings->status, findings->detail, findings->fix, findings->symptom);
  g_clear_pointer (&findings->detail, g_free);
  g_clear_pointer (&findings->fix, g_free);
}
