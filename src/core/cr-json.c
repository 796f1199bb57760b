/* cr-json.c: checks on untrusted JSON text before json-glib parses it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "cr-json.h"

gboolean
cr_json_nesting_ok (const char *data,
                    gsize       len)
{
  gboolean in_string = FALSE;
  guint depth = 0;

  for (gsize i = 0; i < len; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > CR_JSON_MAX_DEPTH)
            return FALSE;
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }

  return TRUE;
}

gboolean
cr_json_holds_one_value (const char *data,
                         gsize       len)
{
  gboolean in_string = FALSE;
  gboolean in_bare = FALSE;   /* inside a number or literal at the top level */
  guint depth = 0;
  guint values = 0;

  if (len >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      data += 3;
      len -= 3;
    }

  for (gsize i = 0; i < len && values <= 1; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      if (depth == 0)
        {
          gboolean opens = c == '"' || c == '[' || c == '{';

          if (opens || (!in_bare && !g_ascii_isspace (c)))
            values++;
          in_bare = !opens && !g_ascii_isspace (c) && c != ']' && c != '}';
        }

      if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        depth++;
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }

  return values <= 1;
}

/* The code unit of a "\uXXXX" escape at @i, or -1. */
static int
unicode_escape_at (const char *data,
                   gsize       len,
                   gsize       i)
{
  int value = 0;

  if (i + 6 > len || data[i] != '\\' || data[i + 1] != 'u')
    return -1;

  for (gsize k = i + 2; k < i + 6; k++)
    {
      int digit = g_ascii_xdigit_value (data[k]);

      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }

  return value;
}

gboolean
cr_json_escapes_ok (const char *data,
                    gsize       len)
{
  gboolean in_string = FALSE;

  for (gsize i = 0; i < len; i++)
    {
      if (data[i] == '"')
        in_string = !in_string;
      if (!in_string || data[i] != '\\')
        continue;

      if (i + 1 < len && strchr ("\"\\/bfnrt", data[i + 1]) != NULL && data[i + 1] != '\0')
        i++;
      else if (unicode_escape_at (data, len, i) >= 0)
        i += 5;
      else
        return FALSE;
    }

  return TRUE;
}

char *
cr_json_repair_surrogates (const char *data,
                           gsize       len)
{
  gboolean in_string = FALSE;
  char *copy = NULL;

  for (gsize i = 0; i < len; i++)
    {
      int unit;
      int next;

      if (data[i] == '"')
        in_string = !in_string;
      if (!in_string || data[i] != '\\')
        continue;

      unit = unicode_escape_at (data, len, i);
      if (unit < 0xd800 || unit > 0xdfff)
        {
          i++;  /* past the escaped character: \" does not end the string */
          continue;
        }

      next = unit <= 0xdbff ? unicode_escape_at (data, len, i + 6) : -1;
      if (next >= 0xdc00 && next <= 0xdfff)
        {
          i += 11;  /* a well-formed pair */
          continue;
        }

      if (copy == NULL)
        copy = g_memdup2 (data, len);
      memcpy (copy + i, "\\ufffd", 6);
      i += 5;
    }

  return copy;
}
