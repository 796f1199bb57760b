/* cr-json.h: checks on untrusted JSON text before json-glib parses it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* json-glib parses recursively: a value of nested brackets overflows the
 * stack long before it reaches any size cap. Our answers and Cursor's
 * settings nest a few levels; anything far deeper is refused. */
#define CR_JSON_MAX_DEPTH 64

/* Whether no array or object in @data nests deeper than
 * CR_JSON_MAX_DEPTH (brackets inside strings do not count). */
gboolean cr_json_nesting_ok      (const char *data,
                                  gsize       len);

/* Whether @data (after an optional UTF-8 BOM) holds at most one JSON
 * value: json-glib 1.6 reads "1 {…}" or "{…} {…}" as one document, keeps
 * the last value and leaks the others. */
gboolean cr_json_holds_one_value (const char *data,
                                  gsize       len);

/* Whether every backslash escape in @data's strings is one JSON knows
 * (\" \\ \/ \b \f \n \r \t \uXXXX). json-glib 1.6 loses its string buffer
 * on some malformed ones ("\udct\u0041"); they are not JSON anyway. */
gboolean cr_json_escapes_ok      (const char *data,
                                  gsize       len);

/* json-glib 1.6 loses a string buffer when a \uD800–\uDFFF escape that is
 * not half of a well-formed pair is followed by another \u escape, and
 * decodes a lone one into bytes that are not UTF-8. Returns a copy of @data
 * (@len bytes, not NUL-terminated) with every such unpaired escape replaced
 * by "\ufffd", which is as long; NULL when there is none. */
char    *cr_json_repair_surrogates (const char *data,
                                    gsize       len);

G_END_DECLS
