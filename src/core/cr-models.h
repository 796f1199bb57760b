/* cr-models.h: which way Cursor sends each model, and the order to try them
 *
 * Cursor picks one of its key slots by the model's name. Only the OpenAI
 * slot honours "Override OpenAI Base URL", so only the names Cursor sends
 * there reach Crazyrouter; claude-… and gemini-… go to Cursor's own
 * Anthropic and Google keys whatever the override says. Every page, check
 * and piece of advice that names a model asks this table.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Where Cursor sends a model's chat requests. */
typedef enum {
  CR_MODEL_PATH_GATEWAY,    /* OpenAI key + base-URL override: through Crazyrouter */
  CR_MODEL_PATH_ANTHROPIC,  /* Cursor's own Anthropic key slot */
  CR_MODEL_PATH_GOOGLE,     /* Cursor's own Google key slot */
} CrModelPath;

/* The known-good first model; CR_DEFAULT_MODEL (cr-checklist.h) is the same. */
#define CR_MODELS_BASELINE "gpt-5.4"

/* @model must not be NULL. Case does not matter, as in Cursor. */
CrModelPath          cr_models_cursor_path       (const char *model);
gboolean             cr_models_through_gateway   (const char *model);

/* The models to try in Cursor, in order, NULL-terminated: the known-good
 * baseline first, then only models that go through the gateway. */
const char * const  *cr_models_recommended       (void);
gboolean             cr_models_is_recommended    (const char *model);
/* The recommended models as one list for a sentence ("a, b, c"). */
char                *cr_models_recommended_list  (void);

/* Translated: why a recommended model, or where Cursor sends a model that
 * does not go through the gateway; NULL for any other model. */
char                *cr_models_note              (const char *model);

/* Translated: what "then try Claude or Gemini" means in Cursor, in a few
 * sentences for a page to show as they are. */
char                *cr_models_explain_other_slots (void);

G_END_DECLS
