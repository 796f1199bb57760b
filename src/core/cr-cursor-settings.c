/* cr-cursor-settings.c: Cursor's settings JSON, parsed strictly
 *
 * Only what the checks need is taken: the OpenAI key toggle, the base URL
 * (any key pasted into it masked) and the model lists, with names checked
 * and the lists capped. Part of the Cursor reader (see cr-cursor.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "cr-cursor-private.h"
#include "cr-json.h"

#define MAX_NAME_BYTES   256    /* a model name */
#define MAX_LIST_ITEMS   4096   /* names kept per list */

/* ---- JSON, strictly -------------------------------------------------- */

/* The JSON object in @data, or NULL when it is not one. */
JsonObject *
_cr_cursor_parse_json_object (const char *data,
                              gsize       length)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *repaired = NULL;
  JsonNode *root;

  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      data += 3;
      length -= 3;
    }
  if (length == 0 || !cr_json_nesting_ok (data, length) ||
      !cr_json_holds_one_value (data, length) || !cr_json_escapes_ok (data, length))
    return NULL;

  repaired = cr_json_repair_surrogates (data, length);
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, repaired ? repaired : data, length, NULL))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  return json_object_ref (json_node_get_object (root));
}

/* The member as a string, or NULL when absent or of another type. */
const char *
_cr_cursor_member_string (JsonObject *object,
                          const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static CrCursorToggle
member_toggle (JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return CR_CURSOR_UNKNOWN;

  return json_node_get_boolean (node) ? CR_CURSOR_ON : CR_CURSOR_OFF;
}

/* ---- Model lists ------------------------------------------------------ */

static gboolean
name_valid (const char *name)
{
  gsize len = name ? strlen (name) : 0;

  if (len == 0 || len > MAX_NAME_BYTES || !g_utf8_validate (name, len, NULL))
    return FALSE;
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return FALSE;

  return TRUE;
}

GHashTable *
_cr_cursor_name_set_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

void
_cr_cursor_name_set_add (GHashTable *set,
                         const char *name)
{
  if (name_valid (name) && g_hash_table_size (set) < MAX_LIST_ITEMS)
    g_hash_table_add (set, g_strdup (name));
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

GStrv
_cr_cursor_name_set_to_strv (GHashTable *set)
{
  guint n;
  char **names = (char **) g_hash_table_get_keys_as_array (set, &n);

  for (guint i = 0; i < n; i++)
    names[i] = g_strdup (names[i]);
  qsort (names, n, sizeof (char *), compare_strings);

  return names;
}

/* Adds the array member's strings; anything else is skipped. */
static void
add_string_array (GHashTable *set,
                  JsonObject *object,
                  const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return;

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
        _cr_cursor_name_set_add (set, json_node_get_string (element));
    }
}

/* Adds the catalog's default-on names; FALSE when there is no catalog. */
static gboolean
add_default_models (GHashTable *set,
                    JsonObject *settings)
{
  JsonNode *node = json_object_get_member (settings, "availableDefaultModels2");
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *model;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      model = json_node_get_object (element);
      if (member_toggle (model, "defaultOn") == CR_CURSOR_ON)
        _cr_cursor_name_set_add (set, _cr_cursor_member_string (model, "name"));
    }

  return TRUE;
}

static JsonObject *
member_object (JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* Enabled = (catalog entries that are defaultOn ∪ modelOverrideEnabled)
 *           − modelOverrideDisabled, which is Cursor's own rule. */
static void
read_models (CrCursorSnapshot *self,
             JsonObject       *settings)
{
  JsonObject *ai = member_object (settings, "aiSettings");
  g_autoptr(GHashTable) enabled = _cr_cursor_name_set_new ();
  g_autoptr(GHashTable) disabled = _cr_cursor_name_set_new ();
  g_autoptr(GHashTable) custom = _cr_cursor_name_set_new ();
  GHashTableIter iter;
  gpointer name;

  self->models_known = add_default_models (enabled, settings);
  add_string_array (enabled, ai, "modelOverrideEnabled");
  add_string_array (disabled, ai, "modelOverrideDisabled");
  add_string_array (custom, ai, "userAddedModels");

  g_hash_table_iter_init (&iter, disabled);
  while (g_hash_table_iter_next (&iter, &name, NULL))
    g_hash_table_remove (enabled, name);

  g_strfreev (self->enabled_models);
  g_strfreev (self->disabled_models);
  g_strfreev (self->custom_models);
  self->enabled_models = _cr_cursor_name_set_to_strv (enabled);
  self->disabled_models = _cr_cursor_name_set_to_strv (disabled);
  self->custom_models = _cr_cursor_name_set_to_strv (custom);
}

static void
read_settings (CrCursorSnapshot *self,
               JsonObject       *settings)
{
  const char *base_url = _cr_cursor_member_string (settings, "openAIBaseUrl");

  self->settings_found = TRUE;
  self->use_openai_key = member_toggle (settings, "useOpenAIKey");

  g_clear_pointer (&self->openai_base_url, g_free);
  if (base_url != NULL && *base_url != '\0' && strlen (base_url) <= MAX_URL_BYTES)
    {
      /* Kept as typed for the diagnosis, except a key pasted into it; made
       * valid UTF-8, since json-glib lets a lone "\udc00" escape through. */
      g_autofree char *valid = g_utf8_make_valid (base_url, -1);
      GString *url = g_string_new (valid);

      _cr_cursor_mask_keys (url);
      self->openai_base_url = g_string_free (url, FALSE);
    }

  read_models (self, settings);
}

gboolean
cr_cursor_parse_settings (const char       *json,
                          gsize             length,
                          CrCursorSnapshot *into)
{
  g_autoptr(JsonObject) settings = NULL;

  g_return_val_if_fail (json != NULL || length == 0, FALSE);
  g_return_val_if_fail (into != NULL, FALSE);

  if (length > CR_CURSOR_MAX_VALUE)
    return FALSE;

  settings = _cr_cursor_parse_json_object (json != NULL ? json : "", length);
  if (settings == NULL)
    return FALSE;

  read_settings (into, settings);
  return TRUE;
}
