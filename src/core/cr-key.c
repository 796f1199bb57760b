/* cr-key.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "cr-key.h"
#include "cr-text.h"

#define KEY_PREFIX "sk-"
#define KEY_PREFIX_LENGTH 3
/* Real tokens are far longer; fewer characters than this means a cut-off paste. */
#define KEY_MIN_BODY 12
/* Real keys carry 48 characters after sk-; anything this long is a wrong
 * paste (a whole file, a log), and must not travel to the gateway. */
#define KEY_MAX_BODY 200
#define MASK_TAIL 4

static void
wipe (void  *memory,
      gsize  size)
{
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 25))
  explicit_bzero (memory, size);
#else
  /* volatile keeps the compiler from dropping the stores as dead. */
  volatile guchar *p = memory;

  while (size-- > 0)
    *p++ = 0;
#endif
}

void
cr_key_wipe (char *key)
{
  if (key != NULL)
    wipe (key, strlen (key));
}

/* Its wiping is tested through cr_key_wipe(): freed memory cannot be
 * looked at afterwards. */
void
cr_key_free (char *key)
{
  cr_key_wipe (key);
  g_free (key);
}

static gboolean
is_key_char (char c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '_';
}

/* Drops zero-width and bidi characters and turns every kind of white space
 * into one ASCII space, so the later steps only see ' '. Bytes that are not
 * UTF-8 are kept: the check reports them. Returns the length written. */
static gsize
normalise_into (const char *pasted,
                char       *out)
{
  const char *p = pasted;
  char *o = out;

  while (*p != '\0')
    {
      gunichar c = g_utf8_get_char_validated (p, -1);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          *o++ = *p++;
          continue;
        }

      if (g_unichar_isspace (c))
        *o++ = ' ';
      else if (!cr_text_is_invisible (c))
        {
          const char *next = g_utf8_next_char (p);

          memcpy (o, p, next - p);
          o += next - p;
        }
      p = g_utf8_next_char (p);
    }
  *o = '\0';

  return o - out;
}

static const char * const curly_quotes[] = { "“", "”", "‘", "’" };

/* Byte length of a quote character starting at @p, or 0. */
static gsize
quote_length_at (const char *p,
                 const char *end)
{
  if (p >= end)
    return 0;
  if (*p == '"' || *p == '\'' || *p == '`')
    return 1;

  for (guint i = 0; i < G_N_ELEMENTS (curly_quotes); i++)
    {
      gsize length = strlen (curly_quotes[i]);

      if ((gsize) (end - p) >= length && memcmp (p, curly_quotes[i], length) == 0)
        return length;
    }

  return 0;
}

/* Byte length of a quote character ending at @end, or 0. */
static gsize
quote_length_before (const char *start,
                     const char *end)
{
  if (end <= start)
    return 0;
  if (end[-1] == '"' || end[-1] == '\'' || end[-1] == '`')
    return 1;

  for (guint i = 0; i < G_N_ELEMENTS (curly_quotes); i++)
    {
      gsize length = strlen (curly_quotes[i]);

      if ((gsize) (end - start) >= length && memcmp (end - length, curly_quotes[i], length) == 0)
        return length;
    }

  return 0;
}

/* Moves @start and @end past spaces and quotes at both ends. */
static void
trim_spaces_and_quotes (const char **start,
                        const char **end)
{
  gboolean changed = TRUE;

  while (changed)
    {
      gsize front, back;

      while (*start < *end && **start == ' ')
        (*start)++;
      while (*end > *start && (*end)[-1] == ' ')
        (*end)--;

      front = quote_length_at (*start, *end);
      *start += front;
      back = quote_length_before (*start, *end);
      *end -= back;
      changed = front > 0 || back > 0;
    }
}

/* Skips @word (ASCII, case-insensitive) and the spaces after it. */
static gboolean
skip_word (const char **start,
           const char  *end,
           const char  *word)
{
  gsize length = strlen (word);

  if ((gsize) (end - *start) < length || g_ascii_strncasecmp (*start, word, length) != 0)
    return FALSE;

  *start += length;
  while (*start < end && **start == ' ')
    (*start)++;

  return TRUE;
}

/* "export OPENAI_API_KEY=…", "Authorization: Bearer …" and friends. */
static void
skip_paste_prefixes (const char **start,
                     const char  *end)
{
  gboolean skipped;

  /* Each round consumes text, so this stays linear. */
  do
    {
      trim_spaces_and_quotes (start, &end);
      skipped = skip_word (start, end, "export ")
                || skip_word (start, end, "OPENAI_API_KEY=")
                || skip_word (start, end, "OPENAI_API_KEY =")
                || skip_word (start, end, "OPENAI_API_KEY:")
                || skip_word (start, end, "Authorization:")
                || skip_word (start, end, "Bearer ");
    }
  while (skipped);
}

char *
cr_key_clean (const char *pasted)
{
  g_autofree char *buffer = NULL;
  const char *start;
  const char *end;
  gsize length;
  char *key;
  char *k;

  if (pasted == NULL)
    return g_strdup ("");

  length = strlen (pasted);
  buffer = g_malloc (length + 1);
  length = normalise_into (pasted, buffer);

  start = buffer;
  end = buffer + length;
  skip_paste_prefixes (&start, end);
  trim_spaces_and_quotes (&start, &end);

  /* Keys wrapped over several lines: the spaces inside go too. */
  key = k = g_malloc (end - start + 1);
  for (const char *p = start; p < end; p++)
    if (*p != ' ')
      *k++ = *p;
  *k = '\0';

  wipe (buffer, length);

  return key;
}

/* A second "sk-" inside means two keys pasted together, unless it is just
 * part of a word ("task-") in one key: then what comes before or after it is
 * too short to be a key of its own. */
static gboolean
has_second_key (const char *key)
{
  const char *body = key + KEY_PREFIX_LENGTH;

  for (const char *p = strstr (body, KEY_PREFIX); p != NULL; p = strstr (p + 1, KEY_PREFIX))
    {
      if (!is_key_char (p[-1]))
        return TRUE;
      if ((gsize) (p - body) >= KEY_MIN_BODY
          && strlen (p + KEY_PREFIX_LENGTH) >= KEY_MIN_BODY)
        return TRUE;
    }

  return FALSE;
}

static gboolean
has_bad_characters (const char *body)
{
  for (const char *p = body; *p != '\0'; p++)
    if (!is_key_char (*p))
      return TRUE;

  return FALSE;
}

static CrKeyIssue
find_key_issue (const char *key)
{
  if (key == NULL || *key == '\0')
    return CR_KEY_EMPTY;
  if (!g_str_has_prefix (key, KEY_PREFIX))
    return CR_KEY_MISSING_PREFIX;
  if (has_second_key (key))
    return CR_KEY_SEVERAL;
  if (has_bad_characters (key + KEY_PREFIX_LENGTH))
    return CR_KEY_BAD_CHARACTERS;
  if (strlen (key + KEY_PREFIX_LENGTH) < KEY_MIN_BODY)
    return CR_KEY_TOO_SHORT;
  if (strlen (key + KEY_PREFIX_LENGTH) > KEY_MAX_BODY)
    return CR_KEY_TOO_LONG;

  return CR_KEY_OK;
}

static const char *
key_issue_message (CrKeyIssue issue)
{
  switch (issue)
    {
    case CR_KEY_OK:
      return _("The key looks right.");
    case CR_KEY_EMPTY:
      return _("Paste the sk-… key of the token you made for Cursor.");
    case CR_KEY_MISSING_PREFIX:
      return _("A Crazyrouter key starts with “sk-”. If you copied it without those "
               "three characters, add them in front; otherwise copy the key again.");
    case CR_KEY_BAD_CHARACTERS:
      return _("The key contains characters a Crazyrouter key never has, such as "
               "punctuation or symbols. Copy the key again from the token page.");
    case CR_KEY_TOO_SHORT:
      return _("The key is too short and looks cut off. Copy the whole key again "
               "from the token page.");
    case CR_KEY_SEVERAL:
      return _("This looks like two keys pasted together. Paste only the key of "
               "the token you made for Cursor.");
    case CR_KEY_TOO_LONG:
      return _("This is far longer than a Crazyrouter key, so more than the key "
               "was pasted. Copy only the key from the token page.");
    default:
      g_return_val_if_reached (NULL);
    }
}

CrKeyIssue
cr_key_check (const char  *key,
              char       **message)
{
  CrKeyIssue issue = find_key_issue (key);

  if (message != NULL)
    *message = g_strdup (key_issue_message (issue));

  return issue;
}

/* How many trailing characters may show: never more than MASK_TAIL, and
 * fewer for a short string, so a mask never gives most of it away. */
static gsize
visible_tail_length (const char *body)
{
  gsize length = strlen (body);
  gsize tail = MIN (MASK_TAIL, length / 3);

  for (gsize i = length - tail; i < length; i++)
    if (!is_key_char (body[i]))
      return 0;

  return tail;
}

char *
cr_key_mask (const char *key)
{
  const char *body;
  gsize tail;

  if (key == NULL || *key == '\0')
    return g_strdup ("");

  body = g_str_has_prefix (key, KEY_PREFIX) ? key + KEY_PREFIX_LENGTH : key;
  tail = visible_tail_length (body);

  return g_strdup_printf ("%s…%s",
                          body != key ? KEY_PREFIX : "",
                          body + strlen (body) - tail);
}

char *
cr_key_scrub (const char *text,
              const char *key)
{
  g_autoptr(GString) scrubbed = NULL;
  g_autofree char *masked = NULL;

  if (text == NULL)
    return NULL;
  if (key == NULL || strlen (key) < 8 || strstr (text, key) == NULL)
    return g_strdup (text);

  masked = cr_key_mask (key);
  scrubbed = g_string_new (text);
  g_string_replace (scrubbed, key, masked, 0);
  return g_string_free (g_steal_pointer (&scrubbed), FALSE);
}
