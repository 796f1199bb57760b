/* cr-models.c: the one table of models and the way Cursor sends them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "cr-models.h"

typedef struct {
  const char  *name;         /* a model id, or a prefix when it ends in '-' … */
  gboolean     prefix;       /* … and this says which */
  CrModelPath  path;
  gboolean     recommended;  /* in the order of the table */
  const char  *note;         /* msgid; "%s" is the baseline */
} ModelRule;

/* First match wins; a name no rule matches goes to the OpenAI key, as in
 * Cursor (gpt-…, o3, o4-mini, deepseek-…, anything of the user's own).
 * After the baseline come models that change one thing at a time and still
 * go through the gateway: a cheaper one of the same family, then a
 * reasoning model. Never a claude- or gemini- name: Cursor would not send
 * it to Crazyrouter. */
static const ModelRule rules[] = {
  { CR_MODELS_BASELINE, FALSE, CR_MODEL_PATH_GATEWAY, TRUE,
    N_("The known-good baseline for Cursor") },
  { "gpt-5.4-mini", FALSE, CR_MODEL_PATH_GATEWAY, TRUE,
    N_("Smaller and cheaper, on the same path: add it after %s works") },
  { "o4-mini", FALSE, CR_MODEL_PATH_GATEWAY, TRUE,
    N_("A reasoning model that also goes through Crazyrouter: add it after %s works") },
  { "claude-", TRUE, CR_MODEL_PATH_ANTHROPIC, FALSE,
    N_("Cursor sends this model to its own Anthropic key, not through Crazyrouter") },
  { "gemini-", TRUE, CR_MODEL_PATH_GOOGLE, FALSE,
    N_("Cursor sends this model to its own Google key, not through Crazyrouter") },
};

static const ModelRule *
lookup (const char *model)
{
  for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
    {
      const ModelRule *rule = &rules[i];

      if (rule->prefix ? g_ascii_strncasecmp (model, rule->name, strlen (rule->name)) == 0
                       : g_ascii_strcasecmp (model, rule->name) == 0)
        return rule;
    }

  return NULL;
}

CrModelPath
cr_models_cursor_path (const char *model)
{
  const ModelRule *rule;

  g_return_val_if_fail (model != NULL, CR_MODEL_PATH_GATEWAY);

  rule = lookup (model);
  return rule != NULL ? rule->path : CR_MODEL_PATH_GATEWAY;
}

gboolean
cr_models_through_gateway (const char *model)
{
  g_return_val_if_fail (model != NULL, FALSE);

  return cr_models_cursor_path (model) == CR_MODEL_PATH_GATEWAY;
}

const char * const *
cr_models_recommended (void)
{
  static const char *names[G_N_ELEMENTS (rules) + 1];
  static gsize filled = 0;

  if (g_once_init_enter (&filled))
    {
      guint n = 0;

      for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
        if (rules[i].recommended)
          names[n++] = rules[i].name;
      g_once_init_leave (&filled, 1);
    }

  return names;
}

gboolean
cr_models_is_recommended (const char *model)
{
  const char * const *names = cr_models_recommended ();

  return model != NULL && g_strv_contains (names, model);
}

char *
cr_models_recommended_list (void)
{
  return g_strjoinv (", ", (char **) cr_models_recommended ());
}

char *
cr_models_note (const char *model)
{
  const ModelRule *rule = model != NULL ? lookup (model) : NULL;

  if (rule == NULL || rule->note == NULL)
    return NULL;
  /* A recommended id must match exactly; GPT-5.4 is not the baseline. */
  if (rule->recommended && !cr_models_is_recommended (model))
    return NULL;

  if (rule->recommended && rule != &rules[0])
    {
      /* The notes are literals in the table above; msgfmt checks their %s. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
      return g_strdup_printf (_(rule->note), CR_MODELS_BASELINE);
#pragma GCC diagnostic pop
    }
  return g_strdup (_(rule->note));
}

char *
cr_models_explain_other_slots (void)
{
  g_autofree char *list = cr_models_recommended_list ();
  g_autofree char *through = NULL;

  through = g_strdup_printf (_("Through Crazyrouter, Cursor can use only models it sends to the OpenAI key, such as %s."),
                             list);
  return g_strjoin (" ",
                    _("Cursor sends models whose names begin with claude- or gemini- to its own Anthropic or Google key, never through Crazyrouter."),
                    through,
                    _("For Claude models through Crazyrouter, use another tool, such as Claude Code."),
                    NULL);
}
