/* test-fuzz-regressions.c: the fuzz targets' inputs, replayed in the normal suite
 *
 * Every seed in corpus/<target>/ and every input a fuzzer ever crashed on
 * (regressions/<target>/) goes through the same entry function the fuzzer
 * calls, with the same checks, so a fixed crash stays fixed on any compiler.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "cr-cursor.h"
#include "cr-gateway-error.h"
#include "cr-gateway-parse.h"
#include "cr-fuzz.h"

static const struct {
  const char  *name;
  CrFuzzEntry  entry;
} targets[] = {
  { "endpoint", cr_fuzz_endpoint },
  { "key", cr_fuzz_key },
  { "gateway", cr_fuzz_gateway },
  { "sse", cr_fuzz_sse },
  { "cursor", cr_fuzz_cursor },
};

typedef struct {
  CrFuzzEntry  entry;
  char        *path;
} Replay;

static void
replay_free (gpointer data)
{
  Replay *replay = data;

  g_free (replay->path);
  g_free (replay);
}

static void
test_replay (gconstpointer data)
{
  const Replay *replay = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree guint8 *exact = NULL;
  gsize length;

  g_file_get_contents (replay->path, &contents, &length, &error);
  g_assert_no_error (error);

  /* An exact-size copy, as libFuzzer hands it over: no NUL after the end
   * (and, like libFuzzer's, never NULL, even when empty). */
  exact = g_malloc (MAX (length, 1));
  memcpy (exact, contents, length);
  g_assert_cmpint (replay->entry (exact, length), ==, 0);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Adds one test per file in @dir; returns how many. */
static guint
add_replays (const char  *fuzz_dir,
             const char  *kind,
             guint        target)
{
  g_autofree char *dir_path = g_build_filename (fuzz_dir, kind, targets[target].name, NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      const char *file = g_ptr_array_index (names, i);
      g_autofree char *test_path = g_strdup_printf ("/fuzz/%s/%s/%s", targets[target].name, kind, file);
      Replay *replay = g_new0 (Replay, 1);

      replay->entry = targets[target].entry;
      replay->path = g_build_filename (dir_path, file, NULL);
      g_test_add_data_func_full (test_path, replay, test_replay, replay_free);
    }

  return names->len;
}

/* The empty input and a lone byte of each kind, which no corpus may hold. */
static void
test_tiny_inputs (void)
{
  static const guint8 bytes[] = { 0x00, '{', '"', '\n', 0xff, 0xc3, '@', 'O' };

  for (guint t = 0; t < G_N_ELEMENTS (targets); t++)
    {
      g_autofree guint8 *empty = g_malloc (1);

      g_assert_cmpint (targets[t].entry (empty, 0), ==, 0);
      for (guint i = 0; i < G_N_ELEMENTS (bytes); i++)
        {
          g_autofree guint8 *one = g_memdup2 (&bytes[i], 1);

          g_assert_cmpint (targets[t].entry (one, 1), ==, 0);
        }
    }
}

/* cr_cursor_parse_settings(), which the cursor target exists for. */
static void
test_cursor_parse_settings (void)
{
  static const char blob[] =
    "{\"useOpenAIKey\":true,\"openAIBaseUrl\":\"https://crazyrouter.com/v1?k=sk-demo-abcdefgh1234\","
    "\"availableDefaultModels2\":[{\"name\":\"gpt-5.4\",\"defaultOn\":true},"
    "{\"name\":\"claude-sonnet-4-6\",\"defaultOn\":true}],"
    "\"aiSettings\":{\"modelOverrideDisabled\":[\"claude-sonnet-4-6\"],"
    "\"userAddedModels\":[\"my-model\",\"my-model\",7]}}";
  g_autoptr(CrCursorSnapshot) snapshot = cr_cursor_snapshot_new ();
  const char * const enabled[] = { "gpt-5.4", NULL };
  const char * const custom[] = { "my-model", NULL };

  /* Not NUL-terminated where the length ends. */
  g_assert_true (cr_cursor_parse_settings (blob, strlen (blob), snapshot));
  g_assert_true (snapshot->settings_found);
  g_assert_cmpint (snapshot->use_openai_key, ==, CR_CURSOR_ON);
  g_assert_true (snapshot->models_known);
  g_assert_true (g_strv_equal ((const char * const *) snapshot->enabled_models, enabled));
  g_assert_true (g_strv_equal ((const char * const *) snapshot->custom_models, custom));
  g_assert_cmpstr (snapshot->openai_base_url, ==, "https://crazyrouter.com/v1?k=sk-…");
  /* Status is the reader's business. */
  g_assert_cmpint (snapshot->status, ==, CR_CURSOR_NOT_INSTALLED);
}

static void
test_cursor_parse_settings_refused (void)
{
  static const char * const refused[] = {
    "", "[]", "\"text\"", "{\"useOpenAIKey\":true", "{} trailing", "null",
  };
  g_autofree char *deep = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(CrCursorSnapshot) snapshot = cr_cursor_snapshot_new ();

      g_assert_false (cr_cursor_parse_settings (refused[i], strlen (refused[i]), snapshot));
      g_assert_false (snapshot->settings_found);
      g_assert_null (snapshot->openai_base_url);
    }

  /* Too deep for a recursive parser: refused, not a stack overflow. */
  deep = g_strnfill (100000, '[');
  {
    g_autoptr(CrCursorSnapshot) snapshot = cr_cursor_snapshot_new ();

    g_assert_false (cr_cursor_parse_settings (deep, strlen (deep), snapshot));
    g_assert_false (cr_cursor_parse_settings (NULL, 0, snapshot));
  }
}

/* json-glib 1.6 takes several top-level values as one document (keeping the
 * last, leaking the rest, which only LeakSanitizer sees): both readers refuse. */
static void
test_two_documents (void)
{
  static const char models[] = "{\"data\":[]} {\"data\":[{\"id\":\"gpt-5.4\"}]}";
  static const char settings[] = "{} {\"useOpenAIKey\":true}";
  g_autoptr(GBytes) body = g_bytes_new_static (models, strlen (models));
  g_autoptr(CrCursorSnapshot) snapshot = cr_cursor_snapshot_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) parsed = cr_parse_models (body, &error);

  g_assert_null (parsed);
  g_assert_error (error, CR_GATEWAY_ERROR, CR_GATEWAY_ERROR_MALFORMED);
  g_assert_false (cr_cursor_parse_settings (settings, strlen (settings), snapshot));
  g_assert_false (snapshot->settings_found);
}

int
main (int   argc,
      char *argv[])
{
  const char *fuzz_dir = g_getenv ("CR_FUZZ_DIR");

  g_test_init (&argc, &argv, NULL);

  g_assert_nonnull (fuzz_dir);
  for (guint t = 0; t < G_N_ELEMENTS (targets); t++)
    {
      /* A seedless target would pass here without testing anything. */
      g_assert_cmpuint (add_replays (fuzz_dir, "corpus", t), >, 0);
      add_replays (fuzz_dir, "regressions", t);
    }

  g_test_add_func ("/fuzz/tiny-inputs", test_tiny_inputs);
  g_test_add_func ("/fuzz/cursor/parse-settings", test_cursor_parse_settings);
  g_test_add_func ("/fuzz/cursor/parse-settings-refused", test_cursor_parse_settings_refused);
  g_test_add_func ("/fuzz/two-documents", test_two_documents);

  return g_test_run ();
}
