/* test-key.c: paste-cleaning, format check and masking of sk- keys
 *
 * Only the obviously fake demo tokens of the test gateway appear here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "cr-key.h"
#include "cr-test-gateway.h"

#define GOOD CR_TEST_TOKEN_GOOD   /* "sk-demo-cursor-good" */

typedef struct {
  const char *pasted;
  const char *cleaned;
} CleanCase;

static const CleanCase clean_cases[] = {
  { GOOD, GOOD },
  { "", "" },
  { "  " GOOD "  ", GOOD },
  { "\n\r\t" GOOD "\r\n", GOOD },

  /* quotes, straight and curly, matched or not */
  { "\"" GOOD "\"", GOOD },
  { "'" GOOD "'", GOOD },
  { "`" GOOD "`", GOOD },
  { "\xE2\x80\x9C" GOOD "\xE2\x80\x9D", GOOD },     /* “ ” */
  { "\xE2\x80\x98" GOOD "\xE2\x80\x99", GOOD },     /* ‘ ’ */
  { "\"" GOOD, GOOD },
  { GOOD "'", GOOD },
  { " \" '" GOOD "' \" ", GOOD },

  /* what comes along from a header or a shell file */
  { "Bearer " GOOD, GOOD },
  { "bearer " GOOD, GOOD },
  { "BEARER   " GOOD, GOOD },
  { "Authorization: Bearer " GOOD, GOOD },
  { "authorization:bearer " GOOD, GOOD },
  { "Authorization:   Bearer \"" GOOD "\"", GOOD },
  { "OPENAI_API_KEY=" GOOD, GOOD },
  { "openai_api_key=" GOOD, GOOD },
  { "OPENAI_API_KEY = " GOOD, GOOD },
  { "OPENAI_API_KEY: " GOOD, GOOD },
  { "export OPENAI_API_KEY=" GOOD, GOOD },
  { "export OPENAI_API_KEY=\"" GOOD "\"\n", GOOD },
  { "export OPENAI_API_KEY='" GOOD "'", GOOD },

  /* wrapped over lines, or with spaces inside */
  { "sk-demo-cur\nsor-good", GOOD },
  { "sk-demo-\r\ncursor-good", GOOD },
  { "sk-demo-\tcursor- good", GOOD },
  { "sk-demo-\xC2\xA0" "cursor-good", GOOD },        /* NBSP */

  /* invisible characters anywhere */
  { "sk-demo\xE2\x80\x8B-cursor-good", GOOD },       /* ZWSP */
  { "sk-demo\xE2\x80\x8C-cursor\xE2\x80\x8D-good", GOOD },  /* ZWNJ, ZWJ */
  { "\xEF\xBB\xBF" GOOD, GOOD },                     /* BOM */
  { GOOD "\xE2\x81\xA0", GOOD },                     /* word joiner */
  { "\xE2\x80\x8E" GOOD "\xE2\x80\x8F", GOOD },      /* LRM, RLM */
  { "\xE2\x80\xAB" GOOD "\xE2\x80\xAC", GOOD },      /* RLE, PDF */
  { "\xE2\x81\xA6sk-demo-\xE2\x80\xAE" "cursor-good\xE2\x81\xA9", GOOD },  /* LRI, RLO, PDI */

  /* several at once */
  { " \xEF\xBB\xBF export OPENAI_API_KEY=\"sk-demo-\ncursor-good\" \r\n", GOOD },
  { "Authorization: Bearer \xE2\x80\x9C" "sk-demo-\xE2\x80\x8B" "cursor-good\xE2\x80\x9D\n", GOOD },
  { "\t'Bearer sk-demo-cursor-\r\n  good'\t", GOOD },

  /* what is not junk stays, so the check can report it */
  { "Bearer", "Bearer" },
  { "sk-demo\xFF-cursor-good", "sk-demo\xFF-cursor-good" },
  { "sk-demo-\xF0\x9F\x94\x91-good", "sk-demo-\xF0\x9F\x94\x91-good" },  /* 🔑 */
  { GOOD " " CR_TEST_TOKEN_WIDE, GOOD CR_TEST_TOKEN_WIDE },
};

static void
test_clean_table (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (clean_cases); i++)
    {
      char *cleaned = cr_key_clean (clean_cases[i].pasted);

      g_test_message ("case %u", i);
      g_assert_cmpstr (cleaned, ==, clean_cases[i].cleaned);
      cr_key_free (cleaned);
    }
}

static void
test_clean_null (void)
{
  char *cleaned = cr_key_clean (NULL);

  g_assert_cmpstr (cleaned, ==, "");
  cr_key_free (cleaned);
}

/* A quadratic cleaner takes minutes on a megabyte; a linear one milliseconds. */
static void
assert_quick_clean (const char *pasted,
                    const char *expected)
{
  gint64 start = g_get_monotonic_time ();
  char *cleaned = cr_key_clean (pasted);
  gint64 elapsed = g_get_monotonic_time () - start;

  g_assert_cmpint (elapsed, <, 5 * G_USEC_PER_SEC);
  if (expected != NULL)
    g_assert_cmpstr (cleaned, ==, expected);
  cr_key_free (cleaned);
}

static void
test_clean_huge (void)
{
  g_autofree char *spaces = g_strnfill (512 * 1024, ' ');
  g_autofree char *padded = g_strconcat (spaces, "\"Bearer ", GOOD, "\"", spaces, NULL);
  g_autofree char *quotes = g_strnfill (1024 * 1024, '"');
  g_autofree char *invisible = NULL;
  GString *wrapped = g_string_new ("sk-");
  GString *zero_width = g_string_new (NULL);
  char *cleaned;

  assert_quick_clean (padded, GOOD);
  assert_quick_clean (quotes, "");

  while (zero_width->len < 1024 * 1024)
    g_string_append (zero_width, "\xE2\x80\x8B \n");
  g_string_append (zero_width, GOOD);
  invisible = g_string_free (zero_width, FALSE);
  assert_quick_clean (invisible, GOOD);

  /* A megabyte-long "key" wrapped every 64 characters loses only its newlines,
   * and is then refused as far too long to be a key. */
  while (wrapped->len < 1024 * 1024)
    g_string_append (wrapped, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_\n");
  assert_quick_clean (wrapped->str, NULL);
  cleaned = cr_key_clean (wrapped->str);
  g_assert_null (strchr (cleaned, '\n'));
  g_assert_cmpuint (strlen (cleaned), ==, wrapped->len - wrapped->len / 65);
  g_assert_cmpint (cr_key_check (cleaned, NULL), ==, CR_KEY_TOO_LONG);
  cr_key_free (cleaned);
  g_string_free (wrapped, TRUE);
}

static void
test_wrapped_key (void)
{
  char *cleaned = cr_key_clean ("sk-demo-\ncursor-\ngood\n");

  g_assert_cmpstr (cleaned, ==, GOOD);
  g_assert_cmpint (cr_key_check (cleaned, NULL), ==, CR_KEY_OK);
  cr_key_free (cleaned);
}

typedef struct {
  const char *key;
  CrKeyIssue  issue;
} CheckCase;

static const CheckCase check_cases[] = {
  { CR_TEST_TOKEN_GOOD, CR_KEY_OK },
  { CR_TEST_TOKEN_NARROW, CR_KEY_OK },
  { CR_TEST_TOKEN_WIDE, CR_KEY_OK },
  { CR_TEST_TOKEN_EXHAUSTED, CR_KEY_OK },
  { CR_TEST_TOKEN_IP_LOCKED, CR_KEY_OK },
  { "sk-123456789012", CR_KEY_OK },
  { "sk-abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV", CR_KEY_OK },
  { "sk-demo-task-runner", CR_KEY_OK },       /* "sk-" inside a word is not a second key */
  { "sk-demo_under_score", CR_KEY_OK },

  { NULL, CR_KEY_EMPTY },
  { "", CR_KEY_EMPTY },

  { "demo-cursor-good", CR_KEY_MISSING_PREFIX },
  { "SK-demo-cursor-good", CR_KEY_MISSING_PREFIX },
  { "Bearer", CR_KEY_MISSING_PREFIX },
  { "sk_demo-cursor-good", CR_KEY_MISSING_PREFIX },
  { "\xF0\x9F\x94\x91", CR_KEY_MISSING_PREFIX },

  { "sk-demo.cursor.good", CR_KEY_BAD_CHARACTERS },
  { "sk-demo cursor good", CR_KEY_BAD_CHARACTERS },
  { "sk-demo-cursor-good!", CR_KEY_BAD_CHARACTERS },
  { "sk-d\xC3\xA9mo-cursor-good", CR_KEY_BAD_CHARACTERS },  /* é */
  { "sk-demo-\xF0\x9F\x94\x91-good", CR_KEY_BAD_CHARACTERS },  /* 🔑 */
  { "sk-demo\xFF\xFE-cursor-good", CR_KEY_BAD_CHARACTERS },    /* binary */
  { "sk-demo\x01-cursor-good", CR_KEY_BAD_CHARACTERS },

  { "sk-", CR_KEY_TOO_SHORT },
  { "sk-abc", CR_KEY_TOO_SHORT },
  { "sk-12345678901", CR_KEY_TOO_SHORT },

  { CR_TEST_TOKEN_GOOD CR_TEST_TOKEN_WIDE, CR_KEY_SEVERAL },
  { CR_TEST_TOKEN_GOOD "," CR_TEST_TOKEN_WIDE, CR_KEY_SEVERAL },
  { "sk-abc;sk-def", CR_KEY_SEVERAL },

  /* 201 characters after sk-: a wrong paste, not a key. */
  { "sk-" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
          "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
          "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
          "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" "a", CR_KEY_TOO_LONG },
  { "sk-abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV"
    "sk-ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuv", CR_KEY_SEVERAL },
};

static void
test_check_table (void)
{
  guint seen = 0;

  for (guint i = 0; i < G_N_ELEMENTS (check_cases); i++)
    {
      const CheckCase *c = &check_cases[i];
      g_autofree char *message = NULL;

      g_test_message ("case %u", i);
      g_assert_cmpint (cr_key_check (c->key, &message), ==, c->issue);
      g_assert_cmpint (cr_key_check (c->key, NULL), ==, c->issue);

      g_assert_nonnull (message);
      g_assert_true (g_utf8_validate (message, -1, NULL));
      g_assert_cmpuint (strlen (message), >, 10);
      /* The message never quotes the key, not even part of it. */
      g_assert_null (strstr (message, "demo"));
      g_assert_null (strstr (message, "abcdef"));
      g_assert_null (strstr (message, "123456"));
      g_assert_null (strstr (message, "ABCDEF"));

      seen |= 1u << c->issue;
    }

  g_assert_cmphex (seen, ==, (1u << (CR_KEY_TOO_LONG + 1)) - 1);
}

static void
test_messages_differ (void)
{
  const char *keys[] = { GOOD, "", "demo-cursor-good", "sk-demo.cursor.good", "sk-abc", GOOD "," GOOD };
  g_autoptr(GHashTable) messages = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      char *message = NULL;

      cr_key_check (keys[i], &message);
      g_assert_true (g_hash_table_add (messages, message));
    }
}

typedef struct {
  const char *key;
  const char *masked;
} MaskCase;

static const MaskCase mask_cases[] = {
  { GOOD, "sk-\xE2\x80\xA6good" },
  { "sk-abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV", "sk-\xE2\x80\xA6STUV" },
  { "sk-0123456789ab12", "sk-\xE2\x80\xA6" "ab12" },
  { "sk-abcdef", "sk-\xE2\x80\xA6" "ef" },   /* short: less shows */
  { "sk-ab12", "sk-\xE2\x80\xA6" "2" },
  { "sk-ab", "sk-\xE2\x80\xA6" },
  { "sk-", "sk-\xE2\x80\xA6" },
  { "abcdefghijklmnop", "\xE2\x80\xA6mnop" },
  { "abc", "\xE2\x80\xA6" "c" },
  { "", "" },
  { NULL, "" },
  { "sk-demo-cursor-go\xF0\x9F\x94\x91", "sk-\xE2\x80\xA6" },  /* odd tail: nothing shows */
  { "sk-demo-cursor-good\xFF", "sk-\xE2\x80\xA6" },
};

static void
test_mask (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (mask_cases); i++)
    {
      g_autofree char *masked = cr_key_mask (mask_cases[i].key);

      g_test_message ("case %u", i);
      g_assert_cmpstr (masked, ==, mask_cases[i].masked);
      g_assert_true (g_utf8_validate (masked, -1, NULL));
    }
}

/* Whatever goes in, at most four of its characters come out. */
static void
test_mask_reveals_little (void)
{
  g_autofree char *huge = g_strnfill (1024 * 1024, 'x');

  for (gsize length = 0; length < 64; length++)
    {
      g_autofree char *body = g_strnfill (length, 'z');
      g_autofree char *key = g_strconcat ("sk-", body, NULL);
      g_autofree char *masked = cr_key_mask (key);
      g_autofree char *masked_body = cr_key_mask (body);
      const char *shown = strstr (masked, "\xE2\x80\xA6") + 3;
      const char *shown_body = length > 0 ? strstr (masked_body, "\xE2\x80\xA6") + 3 : "";

      g_assert_cmpuint (strlen (shown), <=, MIN (4, length / 3));
      g_assert_cmpuint (strlen (shown_body), <=, MIN (4, length / 3));
    }

  {
    g_autofree char *masked = cr_key_mask (huge);

    g_assert_cmpstr (masked, ==, "\xE2\x80\xA6xxxx");
  }
}

/* Every byte of the key becomes zero, and not one byte past its end
 * changes: cr_key_free() runs exactly this before g_free(). */
static void
test_wipe (void)
{
  gsize length = strlen (GOOD);
  char buffer[64];

  g_assert_cmpuint (length + 1, <, sizeof buffer);
  memset (buffer, 'x', sizeof buffer);
  memcpy (buffer, GOOD, length + 1);

  cr_key_wipe (buffer);

  for (gsize i = 0; i <= length; i++)
    g_assert_cmpint (buffer[i], ==, '\0');
  for (gsize i = length + 1; i < sizeof buffer; i++)
    g_assert_cmpint (buffer[i], ==, 'x');

  /* Now an empty string: nothing to wipe, nothing written. */
  cr_key_wipe (buffer);
  g_assert_cmpint (buffer[length + 1], ==, 'x');
  cr_key_wipe (NULL);
}

/* Every copy of the key in a text is masked; nothing else changes. */
static void
test_scrub (void)
{
  const char *key = "sk-demoScrub0000000000000000000000000000000000000000";
  g_autofree char *masked = cr_key_mask (key);
  g_autofree char *text = g_strdup_printf ("Bearer %s, again %s.", key, key);
  g_autofree char *expected = g_strdup_printf ("Bearer %s, again %s.", masked, masked);
  g_autofree char *scrubbed = cr_key_scrub (text, key);
  g_autofree char *untouched = cr_key_scrub ("nothing secret", key);
  g_autofree char *short_key = cr_key_scrub ("sk-ab sk-ab", "sk-ab");

  g_assert_cmpstr (scrubbed, ==, expected);
  g_assert_null (strstr (scrubbed, key));
  g_assert_cmpstr (untouched, ==, "nothing secret");
  /* Too short to be a key: masking it would hide ordinary words. */
  g_assert_cmpstr (short_key, ==, "sk-ab sk-ab");
  g_assert_null (cr_key_scrub (NULL, key));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/key/clean/table", test_clean_table);
  g_test_add_func ("/key/clean/null", test_clean_null);
  g_test_add_func ("/key/clean/huge", test_clean_huge);
  g_test_add_func ("/key/clean/wrapped", test_wrapped_key);
  g_test_add_func ("/key/check/table", test_check_table);
  g_test_add_func ("/key/check/messages-differ", test_messages_differ);
  g_test_add_func ("/key/mask/table", test_mask);
  g_test_add_func ("/key/mask/reveals-little", test_mask_reveals_little);
  g_test_add_func ("/key/wipe", test_wipe);

  g_test_add_func ("/key/scrub", test_scrub);

  return g_test_run ();
}
