/* test-troubleshoot.c: the table of symptoms, causes and fixes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "cr-troubleshoot.h"

static const char * const expected_ids[] = {
  "verify", "401", "403", "404", "no-models", "tab", "custom-models", "cost",
};

static void
test_rows_complete (void)
{
  guint n_rows = 0;
  const CrTroubleshootRow *rows = cr_troubleshoot_rows (&n_rows);

  g_assert_cmpuint (n_rows, ==, G_N_ELEMENTS (expected_ids));
  g_assert_true (cr_troubleshoot_rows (NULL) == rows);

  for (guint i = 0; i < n_rows; i++)
    {
      const CrTroubleshootRow *row = &rows[i];

      /* The guide's order, so a list of them reads like the guide. */
      g_assert_cmpstr (row->id, ==, expected_ids[i]);

      g_assert_nonnull (row->symptom);
      g_assert_nonnull (row->cause);
      g_assert_nonnull (row->fix);
      g_assert_cmpuint (strlen (row->symptom), >, 10);
      g_assert_cmpuint (strlen (row->cause), >, 10);
      g_assert_cmpuint (strlen (row->fix), >, 10);
      g_assert_true (g_utf8_validate (row->symptom, -1, NULL));
      g_assert_true (g_utf8_validate (row->cause, -1, NULL));
      g_assert_true (g_utf8_validate (row->fix, -1, NULL));
      g_assert_cmpstr (row->symptom, !=, row->cause);
      g_assert_cmpstr (row->cause, !=, row->fix);
    }
}

static void
test_lookup (void)
{
  guint n_rows = 0;
  const CrTroubleshootRow *rows = cr_troubleshoot_rows (&n_rows);

  for (guint i = 0; i < n_rows; i++)
    g_assert_true (cr_troubleshoot_lookup (expected_ids[i]) == &rows[i]);

  g_assert_null (cr_troubleshoot_lookup ("500"));
  g_assert_null (cr_troubleshoot_lookup (""));
  g_assert_null (cr_troubleshoot_lookup ("VERIFY"));
  g_assert_null (cr_troubleshoot_lookup (NULL));
}

static gboolean
contains (const char *text,
          const char *needle)
{
  g_autofree char *folded_text = g_utf8_casefold (text, -1);
  g_autofree char *folded_needle = g_utf8_casefold (needle, -1);

  return strstr (folded_text, folded_needle) != NULL;
}

/* The facts of the guide's table survive our rewording. */
static void
test_facts (void)
{
  const struct {
    const char *id;
    const char *field;  /* "symptom", "cause" or "fix" */
    const char *fact;
  } facts[] = {
    { "verify", "fix", "https://crazyrouter.com/v1" },
    { "verify", "cause", "key" },
    { "verify", "cause", "base URL" },
    { "401", "symptom", "401" },
    { "401", "fix", "new token" },
    { "403", "symptom", "403" },
    { "403", "cause", "allowed models" },
    { "403", "fix", "token" },
    { "404", "symptom", "404" },
    { "404", "cause", "domain" },
    { "404", "cause", "/v1/chat/completions" },
    { "404", "fix", "exactly https://crazyrouter.com/v1" },
    { "no-models", "fix", "Restart Cursor" },
    { "no-models", "fix", "update" },
    { "tab", "symptom", "Tab Completion" },
    { "tab", "cause", "built-in models" },
    { "tab", "fix", "not a Crazyrouter outage" },
    { "custom-models", "fix", "gpt-5.4" },
    { "cost", "cause", "too many tools" },
    { "cost", "fix", "quota" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (facts); i++)
    {
      const CrTroubleshootRow *row = cr_troubleshoot_lookup (facts[i].id);
      const char *text;

      g_assert_nonnull (row);
      if (g_str_equal (facts[i].field, "symptom"))
        text = row->symptom;
      else if (g_str_equal (facts[i].field, "cause"))
        text = row->cause;
      else
        text = row->fix;

      g_test_message ("%s %s: %s", facts[i].id, facts[i].field, facts[i].fact);
      g_assert_true (contains (text, facts[i].fact));
    }
}

/* Our own words: none of the guide's sentences is copied. */
static void
test_own_words (void)
{
  const char *guide_phrases[] = {
    "wrong API key or wrong base URL",
    "invalid, expired, or badly pasted token",
    "generate a new token and paste the raw value again",
    "the model is not in the token allowlist",
    "allow that model in Crazyrouter token settings",
    "base URL was set to the root domain or a full endpoint path",
    "Cursor BYOK refresh failed",
    "restart Cursor, verify again, and update to the latest stable build",
    "Cursor officially keeps specialized features on built-in models",
    "expected behavior, not a Crazyrouter outage",
    "endpoint support is still inconsistent",
    "get gpt-5.4 working first, then test other models gradually",
    "one token is shared across too many tools",
    "narrow the model set and give Cursor its own quota cap",
  };
  guint n_rows = 0;
  const CrTroubleshootRow *rows = cr_troubleshoot_rows (&n_rows);

  for (guint i = 0; i < n_rows; i++)
    for (guint j = 0; j < G_N_ELEMENTS (guide_phrases); j++)
      {
        g_assert_false (contains (rows[i].symptom, guide_phrases[j]));
        g_assert_false (contains (rows[i].cause, guide_phrases[j]));
        g_assert_false (contains (rows[i].fix, guide_phrases[j]));
      }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/troubleshoot/rows", test_rows_complete);
  g_test_add_func ("/troubleshoot/lookup", test_lookup);
  g_test_add_func ("/troubleshoot/facts", test_facts);
  g_test_add_func ("/troubleshoot/own-words", test_own_words);

  return g_test_run ();
}
