/* cr-key.h: paste-cleaning, format check and masking of sk- keys
 *
 * The key is a secret: these functions never log it, and the strings they
 * return for display never contain more than its last four characters.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  CR_KEY_OK,
  CR_KEY_EMPTY,
  CR_KEY_MISSING_PREFIX,   /* does not start with sk- */
  CR_KEY_BAD_CHARACTERS,   /* something other than A–Z a–z 0–9 - _ after sk- */
  CR_KEY_TOO_SHORT,        /* looks cut off */
  CR_KEY_SEVERAL,          /* two keys pasted at once */
  CR_KEY_TOO_LONG,         /* far longer than any real key: a wrong paste */
} CrKeyIssue;

/* Removes what a paste drags along: surrounding white space and quotes, a
 * leading "Bearer " or "Authorization:", newlines and zero-width characters.
 * Returns a newly allocated string; free it with cr_key_free(). */
char       *cr_key_clean    (const char  *pasted);

/* Checks a cleaned key. @message (optional) receives a translated sentence that
 * explains the problem and never quotes the key. */
CrKeyIssue  cr_key_check    (const char  *key,
                             char       **message);

/* @text with every @key in it masked (cr_key_mask()): belt and braces for
 * what shows a server's words or a trace. NULL in, NULL out; a missing or
 * too short @key changes nothing. */
char       *cr_key_scrub    (const char  *text,
                             const char  *key);

/* "sk-…ab12": for display only. */
char       *cr_key_mask     (const char  *key);

/* Overwrites @key with zeros in place, up to its terminating NUL; the
 * memory stays allocated. NULL is fine. */
void        cr_key_wipe     (char        *key);

/* cr_key_wipe(), then g_free(). NULL is fine. */
void        cr_key_free     (char        *key);

G_END_DECLS
