/* cr-setup-state.c: what the wizard knows, shared by every step
 *
 * The object and its properties; how they are bound to the settings is in
 * cr-setup-state-settings.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cr-endpoint.h"
#include "cr-key.h"
#include "cr-keyring.h"
#include "cr-setup-state.h"
#include "cr-setup-state-private.h"

struct _CrSetupState
{
  GObject       parent_instance;

  GSettings    *settings;   /* NULL: nothing persists */

  char         *profile;
  char         *base_url;
  char         *model;
  gboolean      tab_acknowledged;
  gboolean      key_stored;
  gint64        last_check_time;
  gboolean      last_check_ok;
  char         *cursor_version;  /* remembered after the last check */
  GVariant     *cursor_facts;

  char         *key;        /* wiped with cr_key_free() */
  guint         generation; /* of key, base URL, model and profile */
  CrGateway    *gateway;    /* for base_url + key, made on demand */
  gboolean      installed;  /* the gateway came from set_gateway() */
  CrChecklist  *checklist;
  GPtrArray    *models;
  char         *cursor_config;   /* NULL: the usual places */
  GStrv         cursor_roots;
  CrChatResult *chat_result;
};

G_DEFINE_FINAL_TYPE (CrSetupState, cr_setup_state, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PROFILE,
  PROP_BASE_URL,
  PROP_MODEL,
  PROP_TAB_ACKNOWLEDGED,
  PROP_LAST_CHECK_TIME,
  PROP_LAST_CHECK_OK,
  PROP_CURSOR_VERSION,
  PROP_CURSOR_FACTS,
  PROP_KEY_STORED,
  PROP_HAS_KEY,
  PROP_GENERATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* --- the object ------------------------------------------------------- */

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

static gboolean
set_boolean (gboolean *field,
             gboolean  value)
{
  value = !!value;
  if (*field == value)
    return FALSE;

  *field = value;
  return TRUE;
}

/* What a step verified with the old key, base URL, model or profile no
 * longer holds: the steps compare generations to know. */
static void
next_generation (CrSetupState *self)
{
  /* Never 0 again, even after wrapping around. */
  if (++self->generation == 0)
    self->generation = 1;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GENERATION]);
}

/* Results found with another key or base URL no longer hold. */
static void
forget_connection (CrSetupState *self)
{
  g_clear_object (&self->gateway);
  self->installed = FALSE;
  g_clear_pointer (&self->models, g_ptr_array_unref);
  g_clear_pointer (&self->chat_result, cr_chat_result_free);
}

static void
set_last_check (CrSetupState *self,
                gint64        time,
                gboolean      ok)
{
  if (self->last_check_time != time)
    {
      self->last_check_time = time;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_CHECK_TIME]);
    }
  if (set_boolean (&self->last_check_ok, ok))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_CHECK_OK]);
}

static void
set_cursor_version (CrSetupState *self,
                    const char   *version)
{
  if (version != NULL && *version == '\0')
    version = NULL;
  if (set_string (&self->cursor_version, version))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURSOR_VERSION]);
}

static void
set_cursor_facts (CrSetupState *self,
                  GVariant     *facts)
{
  if (self->cursor_facts == facts ||
      (self->cursor_facts != NULL && facts != NULL && g_variant_equal (self->cursor_facts, facts)))
    return;

  g_clear_pointer (&self->cursor_facts, g_variant_unref);
  self->cursor_facts = facts != NULL ? g_variant_ref_sink (facts) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURSOR_FACTS]);
}

static void
cr_setup_state_dispose (GObject *object)
{
  CrSetupState *self = CR_SETUP_STATE (object);

  if (self->settings != NULL)
    {
      _cr_setup_state_unbind (self);
      g_clear_object (&self->settings);
      /* What was written reaches the disk before the state goes: --check
       * exits right after its run. */
      g_settings_sync ();
    }
  forget_connection (self);
  g_clear_object (&self->checklist);

  G_OBJECT_CLASS (cr_setup_state_parent_class)->dispose (object);
}

static void
cr_setup_state_finalize (GObject *object)
{
  CrSetupState *self = CR_SETUP_STATE (object);

  g_clear_pointer (&self->key, cr_key_free);
  g_clear_pointer (&self->profile, g_free);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->model, g_free);
  g_clear_pointer (&self->cursor_config, g_free);
  g_clear_pointer (&self->cursor_roots, g_strfreev);
  g_clear_pointer (&self->cursor_version, g_free);
  g_clear_pointer (&self->cursor_facts, g_variant_unref);

  G_OBJECT_CLASS (cr_setup_state_parent_class)->finalize (object);
}

static void
cr_setup_state_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CrSetupState *self = CR_SETUP_STATE (object);

  switch (prop_id)
    {
    case PROP_PROFILE:
      g_value_set_string (value, self->profile);
      break;
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;
    case PROP_MODEL:
      g_value_set_string (value, self->model);
      break;
    case PROP_TAB_ACKNOWLEDGED:
      g_value_set_boolean (value, self->tab_acknowledged);
      break;
    case PROP_LAST_CHECK_TIME:
      g_value_set_int64 (value, self->last_check_time);
      break;
    case PROP_LAST_CHECK_OK:
      g_value_set_boolean (value, self->last_check_ok);
      break;
    case PROP_CURSOR_VERSION:
      g_value_set_string (value, self->cursor_version);
      break;
    case PROP_CURSOR_FACTS:
      g_value_set_variant (value, self->cursor_facts);
      break;
    case PROP_KEY_STORED:
      g_value_set_boolean (value, self->key_stored);
      break;
    case PROP_HAS_KEY:
      g_value_set_boolean (value, cr_setup_state_get_has_key (self));
      break;
    case PROP_GENERATION:
      g_value_set_uint (value, self->generation);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cr_setup_state_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  CrSetupState *self = CR_SETUP_STATE (object);

  switch (prop_id)
    {
    case PROP_PROFILE:
      cr_setup_state_set_profile (self, g_value_get_string (value));
      break;
    case PROP_BASE_URL:
      cr_setup_state_set_base_url (self, g_value_get_string (value));
      break;
    case PROP_MODEL:
      cr_setup_state_set_model (self, g_value_get_string (value));
      break;
    case PROP_TAB_ACKNOWLEDGED:
      cr_setup_state_set_tab_acknowledged (self, g_value_get_boolean (value));
      break;
    case PROP_LAST_CHECK_TIME:
      set_last_check (self, g_value_get_int64 (value), self->last_check_ok);
      break;
    case PROP_LAST_CHECK_OK:
      set_last_check (self, self->last_check_time, g_value_get_boolean (value));
      break;
    case PROP_CURSOR_VERSION:
      set_cursor_version (self, g_value_get_string (value));
      break;
    case PROP_CURSOR_FACTS:
      set_cursor_facts (self, g_value_get_variant (value));
      break;
    case PROP_KEY_STORED:
      cr_setup_state_set_key_stored (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cr_setup_state_class_init (CrSetupStateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = cr_setup_state_dispose;
  object_class->finalize = cr_setup_state_finalize;
  object_class->get_property = cr_setup_state_get_property;
  object_class->set_property = cr_setup_state_set_property;

  properties[PROP_PROFILE] =
    g_param_spec_string ("profile", NULL, NULL, CR_KEYRING_DEFAULT_PROFILE, flags);
  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, CR_DEFAULT_BASE_URL, flags);
  properties[PROP_MODEL] =
    g_param_spec_string ("model", NULL, NULL, CR_DEFAULT_MODEL, flags);
  properties[PROP_TAB_ACKNOWLEDGED] =
    g_param_spec_boolean ("tab-acknowledged", NULL, NULL, FALSE, flags);
  /* These four are written by cr_setup_state_record_check(); writable
   * only so that GSettings can bind them. */
  properties[PROP_LAST_CHECK_TIME] =
    g_param_spec_int64 ("last-check-time", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_LAST_CHECK_OK] =
    g_param_spec_boolean ("last-check-ok", NULL, NULL, FALSE, flags);
  properties[PROP_CURSOR_VERSION] =
    g_param_spec_string ("cursor-version", NULL, NULL, NULL, flags);
  properties[PROP_CURSOR_FACTS] =
    g_param_spec_variant ("cursor-facts", NULL, NULL, G_VARIANT_TYPE (CR_CURSOR_FACTS_TYPE),
                          NULL, flags);
  properties[PROP_KEY_STORED] =
    g_param_spec_boolean ("key-stored", NULL, NULL, FALSE, flags);
  properties[PROP_HAS_KEY] =
    g_param_spec_boolean ("has-key", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_GENERATION] =
    g_param_spec_uint ("generation", NULL, NULL, 1, G_MAXUINT, 1,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cr_setup_state_init (CrSetupState *self)
{
  self->profile = g_strdup (CR_KEYRING_DEFAULT_PROFILE);
  self->base_url = g_strdup (CR_DEFAULT_BASE_URL);
  self->model = g_strdup (CR_DEFAULT_MODEL);
  self->generation = 1;
}

CrSetupState *
cr_setup_state_new (GSettings *settings)
{
  CrSetupState *self;

  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  self = g_object_new (CR_TYPE_SETUP_STATE, NULL);
  if (settings != NULL && _cr_setup_state_bind (self, settings))
    self->settings = g_object_ref (settings);

  return self;
}

const char *
cr_setup_state_get_profile (CrSetupState *self)
{
  g_return_val_if_fail (CR_IS_SETUP_STATE (self), NULL);

  return self->profile;
}

void
cr_setup_state_set_profile (CrSetupState *self,
                            const char   *profile)
{
  g_return_if_fail (CR_IS_SETUP_STATE (self));

  if (!set_string (&self->profile, profile))
    return;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROFILE]);
  next_generation (self);
}

const char *
cr_setup_state_get_base_url (CrSetupState *self)
{
  g_return_val_if_fail (CR_IS_SETUP_STATE (self), NULL);

  return self->base_url;
}

void
cr_setup_state_set_base_url (CrSetupState *self,
                             const char   *base_url)
{
  g_return_if_fail (CR_IS_SETUP_STATE (self));

  if (!set_string (&self->base_url, base_url))
    return;

  forget_connection (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_URL]);
  next_generation (self);
}

const char *
cr_setup_state_get_model (CrSetupState *self)
{
  g_return_val_if_fail (CR_IS_SETUP_STATE (self), NULL);

  return self->model;
}

void
cr_setup_state_set_model (CrSetupState *self,
                          const char   *model)
{
  g_return_if_fail (CR_IS_SETUP_STATE (self));

  if (!set_string (&self->model, model))
    return;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
  next_generation (self);
}

gboolean
cr_setup_state_get_tab_acknowledged (CrSetupState *self)
{
  g_return_val_if_fail (CR_IS_SETUP_STATE (self), FALSE);

  return self->tab_acknowledged;
}

void
cr_setup_state_set_tab_acknowledged (CrSetupState *self,
                                     gboolean      acknowledged)
{
  g_return_if_fail (CR_IS_SETUP_STATE (self));

  if (set_boolean (&self->tab_acknowledged, acknowledged))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TAB_ACKNOWLEDGED]);
}

gboolean
cr_setup_state_get_key_stored (CrSetupState *self)
{
  g_return_val_if_fail (CR_IS_SETUP_STATE (self), FALSE);

  return self->key_stored;
}

void
cr_setup_state_set_key_stored (CrSetupState *self,
                               gboolean      stored)
{
  g_return_if_fail (CR_IS_SETUP_STATE (self));

  if (set_boolean (&self->key_stored, stored))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEY_STORED]);
}

const char *
cr_setup_state_get_key (CrSetupState *self)
{
  g_return_val_if_fail (CR_IS_SETUP_STATE (self), NULL);

  return self->key;
}

void
cr_setup_state_set_key (CrSetupState *self,
                        const char   *key)
{
  gboolean had_key;

  g_return_if_fail (CR_IS_SETUP_STATE (self));

  if (key != NULL && *key == '\0')
    key = NULL;
  if (g_strcmp0 (self->key, key) == 0)
    return;

  had_key = self->key != NULL;
  g_clear_pointer (&self->key, cr_key_free);
  self->key = g_strdup (key);
  forget_connection (self);

  if (had_key != (self->key != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_KEY]);
  next_generation (self);
}

guint
cr_setup_state_get_generation (CrSetupState *self)
{
  g_return_val_if_fail (CR_IS_SETUP_STATE (self), 0);

  return self->generation;
}

gboolean
cr_setup_state_get_has_key (CrSetupState *self)
{
  g_return_val_if_fail (CR_IS_SETUP_STATE (self), FALSE);

  return self->key != NULL;
}

CrGateway *
cr_setup_state_get_gateway (CrSetupState *self)
{
  g_return_val_if_fail (CR_IS_SETUP_STATE (self), NULL);

  /* Without a key the gateway still answers (401), so callers need no
   * special case and the user still gets a typed error with a fix. */
  if (self->gateway == NULL)
    self->gateway = cr_gateway_new (self->base_url != NULL ? self->base_url : "",
                                    self->key != NULL ? self->key : "");

  return self->gateway;
}

void
cr_setup_state_set_gateway (CrSetupState *self,
                            CrGateway    *gateway)
{
  g_return_if_fail (CR_IS_SETUP_STATE (self));
  g_return_if_fail (gateway == NULL || CR_IS_GATEWAY (gateway));

  g_set_object (&self->gateway, gateway);
  self->installed = gateway != NULL;
}

GPtrArray *
cr_setup_state_get_models (CrSetupState *self)
{
  g_return_val_if_fail (CR_IS_SETUP_STATE (self), NULL);

  return self->models;
}

void
cr_setup_state_set_models (CrSetupState *self,
                           GPtrArray    *models)
{
  g_return_if_fail (CR_IS_SETUP_STATE (self));

  if (models != NULL)
    g_ptr_array_ref (models);
  g_clear_pointer (&self->models, g_ptr_array_unref);
  self->models = models;
}

gboolean
cr_setup_state_model_allowed (CrSetupState *self,
                              const char   *model)
{
  g_return_val_if_fail (CR_IS_SETUP_STATE (self), FALSE);
  g_return_val_if_fail (model != NULL, FALSE);

  return cr_model_list_contains (self->models, model);
}

CrChatResult *
cr_setup_state_get_chat_result (CrSetupState *self)
{
  g_return_val_if_fail (CR_IS_SETUP_STATE (self), NULL);

  return self->chat_result;
}

void
cr_setup_state_take_chat_result (CrSetupState *self,
                                 CrChatResult *result)
{
  g_return_if_fail (CR_IS_SETUP_STATE (self));

  if (self->chat_result == result)
    return;

  g_clear_pointer (&self->chat_result, cr_chat_result_free);
  self->chat_result = result;
}

CrChecklist *
cr_setup_state_get_checklist (CrSetupState *self)
{
  g_return_val_if_fail (CR_IS_SETUP_STATE (self), NULL);

  if (self->checklist == NULL)
    {
      self->checklist = cr_checklist_new ();
      cr_checklist_set_cursor_enabled (self->checklist, TRUE);
      cr_checklist_set_cursor_location (self->checklist, self->cursor_config,
                                        (const char * const *) self->cursor_roots);
    }

  /* One checklist, so a view bound to it stays bound; its inputs follow
   * the state each time. With a key it runs on the wizard's own gateway
   * (an installed one too: a test CA, short timeouts), which remembers
   * every request this app sent with the key: Verify's, the model's test
   * message, earlier runs. In the token's logs none of them is then taken
   * for Cursor's own request. Without a key the runner makes its own, and
   * so reports a missing key as such. */
  cr_checklist_set_base_url (self->checklist, self->base_url);
  cr_checklist_set_key (self->checklist, self->key);
  cr_checklist_set_model (self->checklist, self->model);
  cr_checklist_set_tab_acknowledged (self->checklist, self->tab_acknowledged);
  cr_checklist_set_gateway (self->checklist, self->installed || self->key != NULL
                                             ? cr_setup_state_get_gateway (self) : NULL);
  cr_checklist_set_cursor_previous (self->checklist, self->cursor_version, self->cursor_facts);

  return self->checklist;
}

void
cr_setup_state_remember_cursor (CrSetupState *self)
{
  CrCursorSnapshot *snapshot = NULL;
  g_autofree char *version = NULL;
  g_autoptr(GVariant) facts = NULL;

  g_return_if_fail (CR_IS_SETUP_STATE (self));

  if (self->checklist != NULL)
    snapshot = cr_checklist_get_cursor_snapshot (self->checklist);
  if (snapshot == NULL)
    return;

  /* Not knowing now says nothing new about what was known before. */
  cr_cursor_history_to_remember (snapshot, &version, &facts);
  if (version != NULL)
    set_cursor_version (self, version);
  if (facts != NULL)
    set_cursor_facts (self, facts);
}

void
cr_setup_state_record_check (CrSetupState *self,
                             gboolean      ok)
{
  g_return_if_fail (CR_IS_SETUP_STATE (self));

  set_last_check (self, g_get_real_time () / G_USEC_PER_SEC, ok);
  cr_setup_state_remember_cursor (self);
}

gint64
cr_setup_state_get_last_check_time (CrSetupState *self)
{
  g_return_val_if_fail (CR_IS_SETUP_STATE (self), 0);

  return self->last_check_time;
}

gboolean
cr_setup_state_get_last_check_ok (CrSetupState *self)
{
  g_return_val_if_fail (CR_IS_SETUP_STATE (self), FALSE);

  return self->last_check_ok;
}

void
cr_setup_state_set_cursor_location (CrSetupState       *self,
                                    const char         *config_path,
                                    const char * const *install_roots)
{
  g_return_if_fail (CR_IS_SETUP_STATE (self));

  set_string (&self->cursor_config, config_path);
  g_strfreev (self->cursor_roots);
  self->cursor_roots = g_strdupv ((GStrv) install_roots);
  if (self->checklist != NULL)
    cr_checklist_set_cursor_location (self->checklist, config_path, install_roots);
}

const char *
cr_setup_state_get_cursor_config (CrSetupState *self)
{
  g_return_val_if_fail (CR_IS_SETUP_STATE (self), NULL);

  return self->cursor_config;
}

const char * const *
cr_setup_state_get_cursor_install_roots (CrSetupState *self)
{
  g_return_val_if_fail (CR_IS_SETUP_STATE (self), NULL);

  return (const char * const *) self->cursor_roots;
}

const char *
cr_setup_state_get_cursor_version (CrSetupState *self)
{
  g_return_val_if_fail (CR_IS_SETUP_STATE (self), NULL);

  return self->cursor_version;
}

GVariant *
cr_setup_state_get_cursor_facts (CrSetupState *self)
{
  g_return_val_if_fail (CR_IS_SETUP_STATE (self), NULL);

  return self->cursor_facts;
}
