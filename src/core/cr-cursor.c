/* cr-cursor.c: the snapshot, what its problems mean, and redaction
 *
 * The reader is split along its seams, behind cr-cursor-private.h:
 *
 *   cr-cursor.c           the snapshot, its problem, key slots, redaction
 *   cr-cursor-files.c     capped file readers; where Cursor and its database are
 *   cr-cursor-settings.c  the settings JSON, parsed strictly
 *   cr-cursor-database.c  the SQLite reader, sync and in a thread
 *   cr-cursor-facts.c     names, comparing, and the facts kept in GSettings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "cr-cursor-private.h"
#include "cr-models.h"

/* ---- The snapshot ---------------------------------------------------- */

G_DEFINE_BOXED_TYPE (CrCursorSnapshot, cr_cursor_snapshot,
                     cr_cursor_snapshot_copy, cr_cursor_snapshot_free)

static GStrv
empty_strv (void)
{
  return g_new0 (char *, 1);
}

CrCursorSnapshot *
cr_cursor_snapshot_new (void)
{
  CrCursorSnapshot *self = g_new0 (CrCursorSnapshot, 1);

  self->status = CR_CURSOR_NOT_INSTALLED;
  self->problem = CR_CURSOR_PROBLEM_MISSING;
  self->use_openai_key = CR_CURSOR_UNKNOWN;
  self->enabled_models = empty_strv ();
  self->disabled_models = empty_strv ();
  self->custom_models = empty_strv ();

  return self;
}

static GStrv
strv_copy_or_empty (GStrv strv)
{
  return strv ? g_strdupv (strv) : empty_strv ();
}

CrCursorSnapshot *
cr_cursor_snapshot_copy (const CrCursorSnapshot *snapshot)
{
  CrCursorSnapshot *copy;

  g_return_val_if_fail (snapshot != NULL, NULL);

  copy = g_memdup2 (snapshot, sizeof *snapshot);
  copy->reason = g_strdup (snapshot->reason);
  copy->path = g_strdup (snapshot->path);
  copy->version = g_strdup (snapshot->version);
  copy->install_root = g_strdup (snapshot->install_root);
  copy->openai_base_url = g_strdup (snapshot->openai_base_url);
  copy->enabled_models = strv_copy_or_empty (snapshot->enabled_models);
  copy->disabled_models = strv_copy_or_empty (snapshot->disabled_models);
  copy->custom_models = strv_copy_or_empty (snapshot->custom_models);

  return copy;
}

void
cr_cursor_snapshot_free (CrCursorSnapshot *snapshot)
{
  if (snapshot == NULL)
    return;

  g_free (snapshot->reason);
  g_free (snapshot->path);
  g_free (snapshot->version);
  g_free (snapshot->install_root);
  g_free (snapshot->openai_base_url);
  g_strfreev (snapshot->enabled_models);
  g_strfreev (snapshot->disabled_models);
  g_strfreev (snapshot->custom_models);
  g_free (snapshot);
}

static gboolean
strv_has (GStrv strv, const char *name)
{
  return strv != NULL && g_strv_contains ((const char * const *) strv, name);
}

CrCursorToggle
cr_cursor_snapshot_model_enabled (const CrCursorSnapshot *snapshot,
                                  const char             *model)
{
  g_return_val_if_fail (snapshot != NULL, CR_CURSOR_UNKNOWN);
  g_return_val_if_fail (model != NULL, CR_CURSOR_UNKNOWN);

  if (snapshot->status != CR_CURSOR_FOUND)
    return CR_CURSOR_UNKNOWN;
  if (strv_has (snapshot->enabled_models, model))
    return CR_CURSOR_ON;
  if (strv_has (snapshot->disabled_models, model) || snapshot->models_known)
    return CR_CURSOR_OFF;

  return CR_CURSOR_UNKNOWN;
}

static const char *
problem_reason (CrCursorProblem problem)
{
  switch (problem)
    {
    case CR_CURSOR_PROBLEM_NONE:
      return NULL;
    case CR_CURSOR_PROBLEM_MISSING:
      return _("Cursor’s settings were not found. Is Cursor installed, and has it been started at least once?");
    case CR_CURSOR_PROBLEM_BUSY:
      return _("Cursor is busy writing its settings; try again.");
    case CR_CURSOR_PROBLEM_PERMISSION:
      return _("This app is not allowed to read Cursor’s settings.");
    case CR_CURSOR_PROBLEM_NOT_DATABASE:
      return _("Cursor’s settings file is not a database.");
    case CR_CURSOR_PROBLEM_CORRUPT:
      return _("Cursor’s settings file is damaged.");
    case CR_CURSOR_PROBLEM_NEEDS_RECOVERY:
      return _("Cursor did not close its settings file cleanly. Start Cursor, quit it, then check again.");
    case CR_CURSOR_PROBLEM_TOO_LARGE:
      return _("Cursor’s settings are too large to read safely.");
    case CR_CURSOR_PROBLEM_UNEXPECTED:
      return _("Cursor’s settings are stored in a way this app does not understand. A newer Cursor may have changed them.");
    case CR_CURSOR_PROBLEM_IO:
    default:
      return _("Cursor’s settings could not be read.");
    }
}

void
_cr_cursor_set_problem (CrCursorSnapshot *self,
                        CrCursorProblem   problem)
{
  self->problem = problem;
  if (problem == CR_CURSOR_PROBLEM_NONE)
    self->status = CR_CURSOR_FOUND;
  else if (problem == CR_CURSOR_PROBLEM_MISSING)
    self->status = CR_CURSOR_NOT_INSTALLED;
  else
    self->status = CR_CURSOR_UNREADABLE;

  g_free (self->reason);
  self->reason = g_strdup (problem_reason (problem));
}

CrCursorKeySlot
cr_cursor_model_key_slot (const char *model)
{
  g_return_val_if_fail (model != NULL, CR_CURSOR_SLOT_OPENAI);

  switch (cr_models_cursor_path (model))
    {
    case CR_MODEL_PATH_ANTHROPIC:
      return CR_CURSOR_SLOT_ANTHROPIC;
    case CR_MODEL_PATH_GOOGLE:
      return CR_CURSOR_SLOT_GOOGLE;
    case CR_MODEL_PATH_GATEWAY:
    default:
      return CR_CURSOR_SLOT_OPENAI;
    }
}

static gboolean
is_key_char (char c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '_';
}

/* Masks every "sk-" followed by at least 8 key characters. */
void
_cr_cursor_mask_keys (GString *s)
{
  for (gsize i = 0; i + 3 <= s->len; i++)
    {
      gsize end = i + 3;

      if (strncmp (s->str + i, "sk-", 3) != 0 || (i > 0 && is_key_char (s->str[i - 1])))
        continue;
      while (end < s->len && is_key_char (s->str[end]))
        end++;
      if (end - i - 3 < 8)
        continue;

      g_string_erase (s, i + 3, end - i - 3);
      g_string_insert (s, i + 3, "…");
      i += 3;
    }
}

char *
cr_cursor_redact_url (const char *url)
{
  GString *s;
  const char *authority;
  gsize authority_end;
  const char *at;

  if (url == NULL)
    return NULL;

  s = g_string_new (url);

  /* user:password@ inside the authority */
  authority = strstr (s->str, "://");
  if (authority != NULL)
    {
      gsize start = authority - s->str + 3;

      /* The last @: a password may hold one unescaped. */
      authority_end = start + strcspn (s->str + start, "/?#");
      at = g_strrstr_len (s->str + start, authority_end - start, "@");
      if (at != NULL)
        g_string_erase (s, start, at - (s->str + start) + 1);
    }

  for (gsize i = 0; i < s->len; i++)
    if (s->str[i] == '?' || s->str[i] == '#')
      {
        g_string_truncate (s, i);
        g_string_append (s, "?…");
        break;
      }

  _cr_cursor_mask_keys (s);

  return g_string_free (s, FALSE);
}
