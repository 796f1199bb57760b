/* cr-soup.h: libsoup, opened when the first request is made
 *
 * libsoup brings about fifteen libraries with it (Kerberos, SQLite,
 * nghttp2, libpsl, brotli …). Linked to the program, they are all loaded
 * at every start, ~5 ms before the window's first frame, while the
 * assistant makes its first request only at the Verify step. So the
 * gateway calls libsoup through this table, filled on first use. Types,
 * macros and enums still come from libsoup's headers; only calls go
 * through here, each with the exact type of the function it stands for.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* The library's file name; CR_SOUP_LIBRARY in the environment overrides
 * it (tests use that to see a missing library reported). */
#define CR_SOUP_SONAME "libsoup-3.0.so.0"

typedef struct
{
  __typeof__ (soup_session_get_type)                   *session_get_type;
  __typeof__ (soup_session_error_quark)                *session_error_quark;
  __typeof__ (soup_session_set_tls_database)           *session_set_tls_database;
  __typeof__ (soup_session_send_async)                 *session_send_async;
  __typeof__ (soup_session_send_finish)                *session_send_finish;
  __typeof__ (soup_message_new_from_uri)               *message_new_from_uri;
  __typeof__ (soup_message_add_flags)                  *message_add_flags;
  __typeof__ (soup_message_get_status)                 *message_get_status;
  __typeof__ (soup_message_get_request_headers)        *message_get_request_headers;
  __typeof__ (soup_message_get_response_headers)       *message_get_response_headers;
  __typeof__ (soup_message_set_request_body_from_bytes) *message_set_request_body_from_bytes;
  __typeof__ (soup_message_headers_get_content_type)   *message_headers_get_content_type;
  __typeof__ (soup_message_headers_get_list)           *message_headers_get_list;
  __typeof__ (soup_message_headers_get_one)            *message_headers_get_one;
  __typeof__ (soup_message_headers_replace)            *message_headers_replace;
  __typeof__ (soup_date_time_new_from_http_string)     *date_time_new_from_http_string;
} CrSoup;

/* The table, loading libsoup the first time (thread-safe). NULL with
 * @error set when the library or one of its functions cannot be found;
 * the answer is the same for the rest of the process. */
const CrSoup *cr_soup_get (GError **error);

G_END_DECLS
