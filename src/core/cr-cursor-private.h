/* cr-cursor-private.h: what the files of the Cursor reader share
 *
 * Only cr-cursor*.c include this; everyone else uses cr-cursor.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sys/stat.h>

#include <json-glib/json-glib.h>

#include "cr-cursor.h"

G_BEGIN_DECLS

#define MAX_URL_BYTES    4096

/* cr-cursor.c */
void         _cr_cursor_set_problem       (CrCursorSnapshot   *self,
                                           CrCursorProblem     problem);
void         _cr_cursor_mask_keys         (GString            *s);

/* cr-cursor-files.c */
int          _cr_cursor_open_regular      (const char         *path,
                                           int                *saved_errno,
                                           struct stat        *st);
gssize       _cr_cursor_read_full         (int                 fd,
                                           char               *buffer,
                                           gsize               size);
gboolean     _cr_cursor_path_exists       (const char         *path);
gboolean     _cr_cursor_version_valid     (const char         *version);
void         _cr_cursor_find_version      (CrCursorSnapshot   *self,
                                           const char * const *roots);

/* cr-cursor-settings.c */
JsonObject  *_cr_cursor_parse_json_object (const char         *data,
                                           gsize               length);
const char  *_cr_cursor_member_string     (JsonObject         *object,
                                           const char         *member);
GHashTable  *_cr_cursor_name_set_new      (void);
void         _cr_cursor_name_set_add      (GHashTable         *set,
                                           const char         *name);
GStrv        _cr_cursor_name_set_to_strv  (GHashTable         *set);

G_END_DECLS
