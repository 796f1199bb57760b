/* cr-text.h: text from elsewhere, made safe to show
 *
 * Pure functions with no knowledge of where the text came from (a gateway's
 * error, a model's reply, a URL from Cursor's settings), so any module can
 * use them without depending on the gateway.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Control characters removed, white space folded, capped at @max_chars
 * (UTF-8 characters, an ellipsis added when cut). Safe to show as plain text. */
char        *cr_text_sanitize                (const char     *text,
                                              gssize          len,
                                              guint           max_chars);

/* One definition of an invisible character, for every module that cleans
 * text: zero-width characters, BOMs, bidi marks, embeddings, isolates and
 * tags (Unicode "format" characters), and line or paragraph separators. */
gboolean     cr_text_is_invisible            (gunichar        c);

/* Two whole sentences as one text, with the separator the language uses
 * between sentences (a space in English, none in Chinese). Either may be
 * NULL. */
char        *cr_text_join_sentences          (const char     *first,
                                              const char     *second);

G_END_DECLS
