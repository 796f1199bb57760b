/* cr-fuzz.h: what the fuzz targets share
 *
 * Each fuzz-<name>.c defines cr_fuzz_<name>(), which feeds one input to the
 * core and checks what comes back. Built as a libFuzzer target
 * (CR_FUZZ_STANDALONE) it also gets LLVMFuzzerTestOneInput(); built into the
 * normal suite's test-fuzz-regressions it does not, so all five link into
 * one program that replays the corpus and every input that ever crashed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <glib.h>

G_BEGIN_DECLS

typedef int (*CrFuzzEntry) (const uint8_t *data,
                            size_t         size);

int   cr_fuzz_endpoint  (const uint8_t *data, size_t size);
int   cr_fuzz_key       (const uint8_t *data, size_t size);
int   cr_fuzz_gateway   (const uint8_t *data, size_t size);
int   cr_fuzz_sse       (const uint8_t *data, size_t size);
int   cr_fuzz_cursor    (const uint8_t *data, size_t size);

/* A broken promise of the core aborts, in the fuzzer and in the test alike,
 * whatever G_DISABLE_ASSERT says. */
#define CR_FUZZ_CHECK(expr) \
  G_STMT_START { \
    if (G_UNLIKELY (!(expr))) \
      { \
        g_printerr ("%s:%d: broken promise: %s\n", __FILE__, __LINE__, #expr); \
        abort (); \
      } \
  } G_STMT_END

/* TRUE when @text holds no C0/C1 control character and is valid UTF-8:
 * what "safe to show as plain text" promises. */
static inline gboolean
cr_fuzz_is_clean_text (const char *text)
{
  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return FALSE;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x20 || (c >= 0x7f && c < 0xa0))
        return FALSE;
    }

  return TRUE;
}

#ifdef CR_FUZZ_STANDALONE
/* GLib's criticals (a g_return_if_fail() that tripped) and warnings are bugs
 * too. GLib stops on a fatal one with SIGTRAP, which libFuzzer does not
 * catch (no crash file); abort() it catches. */
static inline GLogWriterOutput
cr_fuzz_log_writer (GLogLevelFlags   log_level,
                    const GLogField *fields,
                    gsize            n_fields,
                    gpointer         user_data)
{
  GLogWriterOutput output = g_log_writer_default (log_level, fields, n_fields, user_data);

  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();

  return output;
}

#define CR_FUZZ_DEFINE_ENTRY(func) \
  int LLVMFuzzerInitialize (int *argc, char ***argv); \
  int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size); \
  int \
  LLVMFuzzerInitialize (int *argc, char ***argv) \
  { \
    g_log_set_writer_func (cr_fuzz_log_writer, NULL, NULL); \
    return 0; \
  } \
  int \
  LLVMFuzzerTestOneInput (const uint8_t *data, size_t size) \
  { \
    return func (data, size); \
  }
#else
#define CR_FUZZ_DEFINE_ENTRY(func)
#endif

G_END_DECLS
