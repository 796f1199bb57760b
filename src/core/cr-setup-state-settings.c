/* cr-setup-state-settings.c: the state's properties, bound to the settings
 *
 * The one place that opens the app's settings. Each property that mirrors
 * a key is bound to it (g_settings_bind), so a property set on the state
 * is saved, and a setting changed elsewhere (another window, --check,
 * dconf-editor) shows up in the state. Part of CrSetupState (see
 * cr-setup-state.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cr-setup-state.h"
#include "cr-setup-state-private.h"

/* An empty string means "not chosen": GSettings then binds the schema's
 * default instead (a mapping that refuses a stored value falls back to it). */
static gboolean
get_chosen_string (GValue   *value,
                   GVariant *variant,
                   gpointer  user_data)
{
  g_autofree char *text = g_variant_dup_string (variant, NULL);

  if (*g_strstrip (text) == '\0')
    return FALSE;

  g_value_take_string (value, g_steal_pointer (&text));
  return TRUE;
}

/* cursor-version: "" is "unknown", NULL here. */
static gboolean
get_string_or_null (GValue   *value,
                    GVariant *variant,
                    gpointer  user_data)
{
  const char *text = g_variant_get_string (variant, NULL);

  g_value_set_string (value, *text != '\0' ? text : NULL);
  return TRUE;
}

static GVariant *
set_string_or_empty (const GValue       *value,
                     const GVariantType *expected_type,
                     gpointer            user_data)
{
  const char *text = g_value_get_string (value);

  return g_variant_new_string (text != NULL ? text : "");
}

/* cursor-facts: the variant itself, which GSettings has no mapping for. */
static gboolean
get_variant (GValue   *value,
             GVariant *variant,
             gpointer  user_data)
{
  g_value_set_variant (value, variant);
  return TRUE;
}

static GVariant *
set_variant (const GValue       *value,
             const GVariantType *expected_type,
             gpointer            user_data)
{
  GVariant *variant = g_value_get_variant (value);

  return variant != NULL ? g_variant_ref (variant) : NULL;
}

/* Each key and the property of the same name. */
static const struct {
  const char              *key;
  const char              *type;
  GSettingsBindGetMapping  get;
  GSettingsBindSetMapping  set;
} bound_keys[] = {
  { "profile", "s", get_chosen_string, set_string_or_empty },
  { "base-url", "s", get_chosen_string, set_string_or_empty },
  { "model", "s", get_chosen_string, set_string_or_empty },
  { "tab-acknowledged", "b", NULL, NULL },
  { "last-check-time", "x", NULL, NULL },
  { "last-check-ok", "b", NULL, NULL },
  { "cursor-version", "s", get_string_or_null, set_string_or_empty },
  { "cursor-facts", CR_CURSOR_FACTS_TYPE, get_variant, set_variant },
};

/* An installed schema from another version of the app may lack a key, or
 * have it with another type: binding it would abort. */
static gboolean
schema_fits (GSettingsSchema *schema)
{
  for (guint i = 0; i < G_N_ELEMENTS (bound_keys); i++)
    {
      g_autoptr(GSettingsSchemaKey) key = NULL;

      if (!g_settings_schema_has_key (schema, bound_keys[i].key))
        return FALSE;
      key = g_settings_schema_get_key (schema, bound_keys[i].key);
      if (!g_variant_type_equal (g_settings_schema_key_get_value_type (key),
                                 G_VARIANT_TYPE (bound_keys[i].type)))
        return FALSE;
    }

  return TRUE;
}

gboolean
_cr_setup_state_bind (CrSetupState *self,
                      GSettings    *settings)
{
  g_autoptr(GSettingsSchema) schema = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  if (!schema_fits (schema))
    {
      g_debug ("Settings schema %s is not the one this build knows; choices will not be remembered",
               g_settings_schema_get_id (schema));
      return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (bound_keys); i++)
    {
      if (bound_keys[i].get == NULL)
        g_settings_bind (settings, bound_keys[i].key, self, bound_keys[i].key,
                         G_SETTINGS_BIND_DEFAULT);
      else
        g_settings_bind_with_mapping (settings, bound_keys[i].key, self, bound_keys[i].key,
                                      G_SETTINGS_BIND_DEFAULT,
                                      bound_keys[i].get, bound_keys[i].set, NULL, NULL);
    }

  return TRUE;
}

void
_cr_setup_state_unbind (CrSetupState *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (bound_keys); i++)
    g_settings_unbind (self, bound_keys[i].key);
}

CrSetupState *
cr_setup_state_new_persistent (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;

  /* g_settings_new() would abort without the schema. */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    {
      g_debug ("Schema %s is not installed; choices will not be remembered", APP_ID);
      return cr_setup_state_new (NULL);
    }

  settings = g_settings_new_full (schema, NULL, NULL);
  return cr_setup_state_new (settings);
}
