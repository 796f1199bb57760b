/* cr-cli-private.h: what the files of the terminal front end share
 *
 * Only cr-cli*.c include this; the application uses cr-cli.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "cr-checklist.h"
#include "cr-cli.h"
#include "cr-setup-state.h"

G_BEGIN_DECLS

typedef enum {
  KEY_FROM_STDIN,
  KEY_FROM_ENV,
  KEY_FROM_KEYRING,
} KeySource;

typedef struct
{
  /* options */
  gboolean      check;
  gboolean      json;
  gboolean      key_stdin;
  char         *profile;
  char         *base_url;
  char         *model;
  char         *cursor_config;
  GStrv         cursor_roots;
  guint         wait_for_cursor;  /* seconds; 0: not given */

  /* the run */
  GMainLoop    *loop;
  GCancellable *cancellable;
  GAsyncResult *result;
  guint         sigint_id;
  gboolean      color;
  CrSetupState *state;        /* the saved choices; not saved to by a run */
  char         *key;          /* wiped by cli_free() */
  char         *masked;
  KeySource     key_source;
  CrChecklist  *checklist;
  GHashTable   *printed;      /* CrCheckItem* already shown */
} CrCli;

/* cr-cli.c: waiting on the main loop */
void          _cr_cli_on_async_done            (GObject      *source,
                                                GAsyncResult *result,
                                                gpointer      user_data);
GAsyncResult *_cr_cli_wait                     (CrCli        *cli);
void          _cr_cli_catch_sigint             (CrCli        *cli);

/* cr-cli-options.c */
gboolean      _cr_cli_parse                    (CrCli        *cli,
                                                GVariantDict *options,
                                                GError      **error);
gboolean      _cr_cli_session_bus_known        (void);

/* cr-cli-key.c */
gboolean      _cr_cli_find_key                 (CrCli        *cli);
char         *_cr_cli_scrub                    (CrCli        *cli,
                                                const char   *text);

/* cr-cli-text.c */
gboolean      _cr_cli_use_color                (void);
gboolean      _cr_cli_in_cursor_section        (CrCheckItem  *item);
void          _cr_cli_on_item_status           (CrCheckItem  *item,
                                                GParamSpec   *pspec,
                                                CrCli        *cli);
void          _cr_cli_print_header             (CrCli        *cli,
                                                const char   *base_url,
                                                const char   *model);
void          _cr_cli_print_cursor_heading     (CrCli        *cli);
void          _cr_cli_print_summary            (CrCli        *cli);

/* cr-cli-json.c */
void          _cr_cli_print_json               (CrCli        *cli,
                                                const char   *base_url,
                                                const char   *model);

G_END_DECLS
