/* test-models.c: the model table, and the advice drawn from it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "cr-checklist.h"
#include "cr-cursor.h"
#include "cr-models.h"

static void
test_paths (void)
{
  static const struct {
    const char  *model;
    CrModelPath  path;
  } cases[] = {
    { "gpt-5.4", CR_MODEL_PATH_GATEWAY },
    { "gpt-5.4-mini", CR_MODEL_PATH_GATEWAY },
    { "gpt-4o", CR_MODEL_PATH_GATEWAY },
    { "gpt-4o-mini", CR_MODEL_PATH_GATEWAY },
    { "o3", CR_MODEL_PATH_GATEWAY },
    { "o4-mini", CR_MODEL_PATH_GATEWAY },
    { "deepseek-chat", CR_MODEL_PATH_GATEWAY },
    { "claude-sonnet-4-6", CR_MODEL_PATH_ANTHROPIC },
    { "claude-opus-x", CR_MODEL_PATH_ANTHROPIC },
    { "CLAUDE-x", CR_MODEL_PATH_ANTHROPIC },
    { "Claude-Haiku", CR_MODEL_PATH_ANTHROPIC },
    { "claude-", CR_MODEL_PATH_ANTHROPIC },
    { "gemini-3-pro-preview", CR_MODEL_PATH_GOOGLE },
    { "GEMINI-2.5-flash", CR_MODEL_PATH_GOOGLE },
    /* Only the prefix counts, and only with its dash. */
    { "claude", CR_MODEL_PATH_GATEWAY },
    { "gemini", CR_MODEL_PATH_GATEWAY },
    { "my-claude-proxy", CR_MODEL_PATH_GATEWAY },
    { " claude-sonnet-4-6", CR_MODEL_PATH_GATEWAY },
    { "claude_sonnet", CR_MODEL_PATH_GATEWAY },
    { "", CR_MODEL_PATH_GATEWAY },
    { "GPT-5.4", CR_MODEL_PATH_GATEWAY },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i].model);
      g_assert_cmpint (cr_models_cursor_path (cases[i].model), ==, cases[i].path);
      g_assert_cmpint (cr_models_through_gateway (cases[i].model), ==,
                       cases[i].path == CR_MODEL_PATH_GATEWAY);
    }
}

/* cr-cursor's slot is the table's path under another name. */
static void
test_cursor_slot_follows_table (void)
{
  const char * const models[] = {
    "gpt-5.4", "o3", "claude-sonnet-4-6", "CLAUDE-x", "gemini-3-pro-preview", "", "claude",
  };

  for (guint i = 0; i < G_N_ELEMENTS (models); i++)
    {
      CrCursorKeySlot slot = cr_cursor_model_key_slot (models[i]);

      switch (cr_models_cursor_path (models[i]))
        {
        case CR_MODEL_PATH_GATEWAY:
          g_assert_cmpint (slot, ==, CR_CURSOR_SLOT_OPENAI);
          break;
        case CR_MODEL_PATH_ANTHROPIC:
          g_assert_cmpint (slot, ==, CR_CURSOR_SLOT_ANTHROPIC);
          break;
        case CR_MODEL_PATH_GOOGLE:
          g_assert_cmpint (slot, ==, CR_CURSOR_SLOT_GOOGLE);
          break;
        default:
          g_assert_not_reached ();
        }
    }
}

/* NULL is a programmer's error: a critical, and the OpenAI path. The
 * questions that can say no take NULL as no. */
static void
test_null (void)
{
  g_test_expect_message (G_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*cr_models_cursor_path*model != NULL*");
  g_assert_cmpint (cr_models_cursor_path (NULL), ==, CR_MODEL_PATH_GATEWAY);
  g_test_assert_expected_messages ();

  g_assert_false (cr_models_is_recommended (NULL));
  g_assert_null (cr_models_note (NULL));
}

static void
test_recommended (void)
{
  const char * const *names = cr_models_recommended ();
  guint n = g_strv_length ((char **) names);

  g_assert_nonnull (names);
  g_assert_true (cr_models_recommended () == names);
  g_assert_cmpuint (n, >=, 2);

  /* The known-good baseline first, the same one the checklist uses. */
  g_assert_cmpstr (names[0], ==, "gpt-5.4");
  g_assert_cmpstr (names[0], ==, CR_MODELS_BASELINE);
  g_assert_cmpstr (names[0], ==, CR_DEFAULT_MODEL);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *note = cr_models_note (names[i]);

      g_test_message ("%s", names[i]);
      /* Every step of the advice goes through Crazyrouter in Cursor. */
      g_assert_cmpint (cr_models_cursor_path (names[i]), ==, CR_MODEL_PATH_GATEWAY);
      g_assert_false (g_ascii_strncasecmp (names[i], "claude", 6) == 0);
      g_assert_false (g_ascii_strncasecmp (names[i], "gemini", 6) == 0);
      g_assert_true (cr_models_is_recommended (names[i]));
      /* Each says why it is there; the ones after the baseline wait for it. */
      g_assert_nonnull (note);
      if (i > 0)
        g_assert_nonnull (strstr (note, CR_MODELS_BASELINE));
      for (guint j = 0; j < i; j++)
        g_assert_cmpstr (names[i], !=, names[j]);
    }

  g_assert_false (cr_models_is_recommended ("claude-sonnet-4-6"));
  g_assert_false (cr_models_is_recommended ("gemini-3-pro-preview"));
  g_assert_false (cr_models_is_recommended ("GPT-5.4"));
  g_assert_false (cr_models_is_recommended (""));
}

static void
test_recommended_list (void)
{
  g_autofree char *list = cr_models_recommended_list ();

  g_assert_true (g_str_has_prefix (list, "gpt-5.4, "));
  g_assert_null (strstr (list, "claude"));
  g_assert_null (strstr (list, "gemini"));
}

static void
test_notes (void)
{
  g_autofree char *baseline = cr_models_note ("gpt-5.4");
  g_autofree char *claude = cr_models_note ("claude-sonnet-4-6");
  g_autofree char *gemini = cr_models_note ("gemini-3-pro-preview");
  g_autofree char *other = cr_models_note ("deepseek-chat");
  g_autofree char *shouting = cr_models_note ("GPT-5.4");

  g_assert_cmpstr (baseline, ==, "The known-good baseline for Cursor");
  /* A model Cursor sends elsewhere says so, and where. */
  g_assert_nonnull (strstr (claude, "Anthropic"));
  g_assert_nonnull (strstr (claude, "not through Crazyrouter"));
  g_assert_nonnull (strstr (gemini, "Google"));
  g_assert_nonnull (strstr (gemini, "not through Crazyrouter"));
  g_assert_null (other);
  g_assert_null (shouting);
}

/* What "then try Claude or Gemini" means in Cursor today. */
static void
test_explain_other_slots (void)
{
  g_autofree char *text = cr_models_explain_other_slots ();

  g_assert_nonnull (strstr (text, "claude-"));
  g_assert_nonnull (strstr (text, "gemini-"));
  g_assert_nonnull (strstr (text, "never through Crazyrouter"));
  g_assert_nonnull (strstr (text, "OpenAI key, such as gpt-5.4, "));
  g_assert_nonnull (strstr (text, "Claude Code"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/models/paths", test_paths);
  g_test_add_func ("/models/cursor-slot", test_cursor_slot_follows_table);
  g_test_add_func ("/models/null", test_null);
  g_test_add_func ("/models/recommended", test_recommended);
  g_test_add_func ("/models/recommended-list", test_recommended_list);
  g_test_add_func ("/models/notes", test_notes);
  g_test_add_func ("/models/explain-other-slots", test_explain_other_slots);

  return g_test_run ();
}
