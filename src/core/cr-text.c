/* cr-text.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "cr-text.h"

gboolean
cr_text_is_invisible (gunichar c)
{
  switch (g_unichar_type (c))
    {
    case G_UNICODE_FORMAT:
    case G_UNICODE_LINE_SEPARATOR:
    case G_UNICODE_PARAGRAPH_SEPARATOR:
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
is_dropped (gunichar c)
{
  /* C0, DEL and C1 controls, and what cannot be seen but can reorder or
   * hide what the user reads. */
  return g_unichar_type (c) == G_UNICODE_CONTROL || cr_text_is_invisible (c);
}

static void
cut_with_ellipsis (GString *out,
                   guint    max_chars)
{
  const char *end = g_utf8_offset_to_pointer (out->str, max_chars - 1);

  g_string_truncate (out, end - out->str);
  while (out->len > 0 && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);
  g_string_append (out, "…");
}

char *
cr_text_sanitize (const char *text,
                  gssize      len,
                  guint       max_chars)
{
  g_autofree char *valid = NULL;
  GString *out;
  gboolean pending_space = FALSE;
  guint n_chars = 0;

  if (text == NULL)
    return g_strdup ("");

  valid = g_utf8_make_valid (text, len);
  out = g_string_sized_new (max_chars ? MIN (strlen (valid), max_chars * 4 + 4) : strlen (valid));

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      guint needed;

      if (g_unichar_isspace (c))
        {
          pending_space = out->len > 0;
          continue;
        }
      if (is_dropped (c))
        continue;

      needed = pending_space ? 2 : 1;
      if (max_chars != 0 && n_chars + needed > max_chars)
        {
          cut_with_ellipsis (out, MIN (n_chars + 1, max_chars));
          break;
        }

      if (pending_space)
        g_string_append_c (out, ' ');
      g_string_append_unichar (out, c);
      n_chars += needed;
      pending_space = FALSE;
    }

  return g_string_free (out, FALSE);
}

char *
cr_text_join_sentences (const char *first,
                        const char *second)
{
  if (first == NULL || *first == '\0')
    return g_strdup (second);
  if (second == NULL || *second == '\0')
    return g_strdup (first);

  /* Translators: two whole sentences, one after the other: a space
   * between them in most languages, none in Chinese or Japanese. */
  return g_strdup_printf (C_("two sentences", "%s %s"), first, second);
}
