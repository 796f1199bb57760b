/* cr-cursor-facts.c: names, comparing, and remembering a snapshot
 *
 * The enums' stable names; what changed between two snapshots; and the
 * snapshot's non-secret facts as an a{sv} for GSettings, read back with the
 * same checks as a fresh read. Part of the Cursor reader (see cr-cursor.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "cr-cursor-private.h"

#define FACTS_FORMAT     1

/* ---- Names ------------------------------------------------------------ */

static const char * const status_names[] = {
  [CR_CURSOR_FOUND] = "found",
  [CR_CURSOR_NOT_INSTALLED] = "not-installed",
  [CR_CURSOR_UNREADABLE] = "unreadable",
};

static const char * const problem_names[] = {
  [CR_CURSOR_PROBLEM_NONE] = "none",
  [CR_CURSOR_PROBLEM_MISSING] = "missing",
  [CR_CURSOR_PROBLEM_BUSY] = "busy",
  [CR_CURSOR_PROBLEM_PERMISSION] = "permission",
  [CR_CURSOR_PROBLEM_NOT_DATABASE] = "not-database",
  [CR_CURSOR_PROBLEM_CORRUPT] = "corrupt",
  [CR_CURSOR_PROBLEM_NEEDS_RECOVERY] = "needs-recovery",
  [CR_CURSOR_PROBLEM_TOO_LARGE] = "too-large",
  [CR_CURSOR_PROBLEM_UNEXPECTED] = "unexpected",
  [CR_CURSOR_PROBLEM_IO] = "io",
};

static const char * const toggle_names[] = {
  [CR_CURSOR_UNKNOWN] = "unknown",
  [CR_CURSOR_ON] = "on",
  [CR_CURSOR_OFF] = "off",
};

const char *
cr_cursor_status_to_string (CrCursorStatus status)
{
  g_return_val_if_fail (status < G_N_ELEMENTS (status_names), NULL);
  return status_names[status];
}

const char *
cr_cursor_problem_to_string (CrCursorProblem problem)
{
  g_return_val_if_fail (problem < G_N_ELEMENTS (problem_names), NULL);
  return problem_names[problem];
}

const char *
cr_cursor_toggle_to_string (CrCursorToggle toggle)
{
  g_return_val_if_fail (toggle < G_N_ELEMENTS (toggle_names), NULL);
  return toggle_names[toggle];
}

/* Returns the index of @name in @names, or -1. */
static int
name_index (const char * const *names,
            gsize               n_names,
            const char         *name)
{
  for (gsize i = 0; name != NULL && i < n_names; i++)
    if (g_strcmp0 (names[i], name) == 0)
      return (int) i;

  return -1;
}

/* ---- Comparing and remembering ---------------------------------------- */

static gboolean
strv_same (GStrv a,
           GStrv b)
{
  const char * const empty[] = { NULL };

  return g_strv_equal (a ? (const char * const *) a : empty,
                       b ? (const char * const *) b : empty);
}

CrCursorChanges
cr_cursor_snapshot_compare (const CrCursorSnapshot *before,
                            const CrCursorSnapshot *after)
{
  CrCursorChanges changes = CR_CURSOR_CHANGED_NONE;
  g_autofree char *url_before = NULL;
  g_autofree char *url_after = NULL;

  g_return_val_if_fail (before != NULL, CR_CURSOR_CHANGED_NONE);
  g_return_val_if_fail (after != NULL, CR_CURSOR_CHANGED_NONE);

  if (before->status != after->status)
    changes |= CR_CURSOR_CHANGED_STATUS;
  if (g_strcmp0 (before->version, after->version) != 0)
    changes |= CR_CURSOR_CHANGED_VERSION;

  if (before->status != CR_CURSOR_FOUND || after->status != CR_CURSOR_FOUND)
    return changes;

  url_before = cr_cursor_redact_url (before->openai_base_url);
  url_after = cr_cursor_redact_url (after->openai_base_url);

  if (before->key_present != after->key_present)
    changes |= CR_CURSOR_CHANGED_KEY_PRESENT;
  if (before->use_openai_key != after->use_openai_key)
    changes |= CR_CURSOR_CHANGED_USE_OPENAI_KEY;
  if (g_strcmp0 (url_before, url_after) != 0)
    changes |= CR_CURSOR_CHANGED_BASE_URL;
  if (!strv_same (before->enabled_models, after->enabled_models))
    changes |= CR_CURSOR_CHANGED_ENABLED_MODELS;
  if (!strv_same (before->custom_models, after->custom_models))
    changes |= CR_CURSOR_CHANGED_CUSTOM_MODELS;

  return changes;
}

static void
dict_insert_strv (GVariantDict *dict,
                  const char   *key,
                  GStrv         strv)
{
  g_variant_dict_insert_value (dict, key,
                               g_variant_new_strv ((const char * const *) strv, -1));
}

GVariant *
cr_cursor_snapshot_to_variant (const CrCursorSnapshot *snapshot)
{
  GVariantDict dict;
  g_autofree char *base_url = NULL;

  g_return_val_if_fail (snapshot != NULL, NULL);

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "format", "u", FACTS_FORMAT);
  g_variant_dict_insert (&dict, "status", "s", cr_cursor_status_to_string (snapshot->status));
  g_variant_dict_insert (&dict, "problem", "s", cr_cursor_problem_to_string (snapshot->problem));
  if (snapshot->version != NULL)
    g_variant_dict_insert (&dict, "version", "s", snapshot->version);

  if (snapshot->status == CR_CURSOR_FOUND)
    {
      base_url = cr_cursor_redact_url (snapshot->openai_base_url);
      g_variant_dict_insert (&dict, "settings-found", "b", snapshot->settings_found);
      /* Whether a key row exists, which says nothing about the key. */
      g_variant_dict_insert (&dict, "key-present", "b", snapshot->key_present);
      g_variant_dict_insert (&dict, "use-openai-key", "s",
                             cr_cursor_toggle_to_string (snapshot->use_openai_key));
      if (base_url != NULL)
        g_variant_dict_insert (&dict, "base-url", "s", base_url);
      g_variant_dict_insert (&dict, "models-known", "b", snapshot->models_known);
      dict_insert_strv (&dict, "enabled-models", snapshot->enabled_models);
      dict_insert_strv (&dict, "disabled-models", snapshot->disabled_models);
      dict_insert_strv (&dict, "custom-models", snapshot->custom_models);
    }

  return g_variant_dict_end (&dict);
}

/* Stored lists pass the same checks as freshly read ones. */
static GStrv
lookup_names (GVariantDict *dict,
              const char   *key)
{
  g_autoptr(GHashTable) set = _cr_cursor_name_set_new ();
  g_autofree const char **names = NULL;

  if (g_variant_dict_lookup (dict, key, "^a&s", &names))
    for (gsize i = 0; names[i] != NULL; i++)
      _cr_cursor_name_set_add (set, names[i]);

  return _cr_cursor_name_set_to_strv (set);
}

static int
lookup_enum (GVariantDict       *dict,
             const char         *key,
             const char * const *names,
             gsize               n_names)
{
  const char *value = NULL;

  if (!g_variant_dict_lookup (dict, key, "&s", &value))
    return -1;
  return name_index (names, n_names, value);
}

static void
lookup_settings (CrCursorSnapshot *self,
                 GVariantDict     *dict)
{
  const char *base_url = NULL;
  int toggle;

  g_variant_dict_lookup (dict, "settings-found", "b", &self->settings_found);
  g_variant_dict_lookup (dict, "key-present", "b", &self->key_present);
  g_variant_dict_lookup (dict, "models-known", "b", &self->models_known);

  toggle = lookup_enum (dict, "use-openai-key", toggle_names, G_N_ELEMENTS (toggle_names));
  if (toggle >= 0)
    self->use_openai_key = toggle;

  if (g_variant_dict_lookup (dict, "base-url", "&s", &base_url) &&
      *base_url != '\0' && strlen (base_url) <= MAX_URL_BYTES)
    self->openai_base_url = g_strdup (base_url);

  g_strfreev (self->enabled_models);
  g_strfreev (self->disabled_models);
  g_strfreev (self->custom_models);
  self->enabled_models = lookup_names (dict, "enabled-models");
  self->disabled_models = lookup_names (dict, "disabled-models");
  self->custom_models = lookup_names (dict, "custom-models");
}

CrCursorSnapshot *
cr_cursor_snapshot_from_variant (GVariant *facts)
{
  g_autoptr(CrCursorSnapshot) self = NULL;
  GVariantDict dict;
  const char *version = NULL;
  guint32 format = 0;
  int status;
  int problem;

  g_return_val_if_fail (facts != NULL, NULL);

  if (!g_variant_is_of_type (facts, G_VARIANT_TYPE_VARDICT))
    return NULL;

  g_variant_dict_init (&dict, facts);
  status = lookup_enum (&dict, "status", status_names, G_N_ELEMENTS (status_names));
  problem = lookup_enum (&dict, "problem", problem_names, G_N_ELEMENTS (problem_names));
  if (!g_variant_dict_lookup (&dict, "format", "u", &format) ||
      format != FACTS_FORMAT || status < 0)
    {
      g_variant_dict_clear (&dict);
      return NULL;
    }

  self = cr_cursor_snapshot_new ();
  if (status == CR_CURSOR_FOUND)
    problem = CR_CURSOR_PROBLEM_NONE;
  else if (status == CR_CURSOR_NOT_INSTALLED)
    problem = CR_CURSOR_PROBLEM_MISSING;
  else if (problem <= CR_CURSOR_PROBLEM_MISSING)
    problem = CR_CURSOR_PROBLEM_IO;
  _cr_cursor_set_problem (self, (CrCursorProblem) problem);

  if (g_variant_dict_lookup (&dict, "version", "&s", &version) && _cr_cursor_version_valid (version))
    self->version = g_strdup (version);
  if (status == CR_CURSOR_FOUND)
    lookup_settings (self, &dict);

  g_variant_dict_clear (&dict);
  return g_steal_pointer (&self);
}
