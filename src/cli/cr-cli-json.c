/* cr-cli-json.c: the checklist as one JSON document (--json)
 *
 * Printed once the run is over; every string scrubbed of the key.
 * Part of the terminal front end (see cr-cli.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>

#include "cr-cli-private.h"

/* --- JSON output ------------------------------------------------------ */

static void
add_string (CrCli       *cli,
            JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  g_autofree char *clean = _cr_cli_scrub (cli, value);

  json_builder_set_member_name (builder, name);
  if (clean != NULL)
    json_builder_add_string_value (builder, clean);
  else
    json_builder_add_null_value (builder);
}

static void
add_boolean (JsonBuilder *builder,
             const char  *name,
             gboolean     value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_boolean_value (builder, value);
}

/* What was read from Cursor, without its settings' values: those are in
 * the items. Never the key: not even whether it matches ours. */
static void
add_cursor_json (CrCli       *cli,
                 JsonBuilder *builder)
{
  static const struct { CrCursorChanges flag; const char *name; } flags[] = {
    { CR_CURSOR_CHANGED_STATUS, "status" },
    { CR_CURSOR_CHANGED_VERSION, "version" },
    { CR_CURSOR_CHANGED_KEY_PRESENT, "key_present" },
    { CR_CURSOR_CHANGED_USE_OPENAI_KEY, "use_openai_key" },
    { CR_CURSOR_CHANGED_BASE_URL, "base_url" },
    { CR_CURSOR_CHANGED_ENABLED_MODELS, "enabled_models" },
    { CR_CURSOR_CHANGED_CUSTOM_MODELS, "custom_models" },
  };
  CrCursorSnapshot *snapshot = cr_checklist_get_cursor_snapshot (cli->checklist);
  const CrCursorHistory *history = cr_checklist_get_cursor_history (cli->checklist);

  if (snapshot == NULL || history == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }

  json_builder_begin_object (builder);
  add_boolean (builder, "found", snapshot->status == CR_CURSOR_FOUND);
  add_string (cli, builder, "status", cr_cursor_status_to_string (snapshot->status));
  add_string (cli, builder, "problem", cr_cursor_problem_to_string (snapshot->problem));
  add_string (cli, builder, "reason", snapshot->reason);
  add_string (cli, builder, "path", snapshot->path);
  add_string (cli, builder, "version", snapshot->version);
  add_string (cli, builder, "previous_version", history->previous_version);
  add_boolean (builder, "updated", history->updated);
  add_boolean (builder, "remembered", history->remembered);
  add_string (cli, builder, "verify_model", cr_checklist_get_cursor_verify_model (cli->checklist));

  json_builder_set_member_name (builder, "changed");
  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
    add_boolean (builder, flags[i].name, (history->changes & flags[i].flag) != 0);
  json_builder_end_object (builder);

  json_builder_end_object (builder);
}

void
_cr_cli_print_json (CrCli      *cli,
                    const char *base_url,
                    const char *model)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (cli->checklist));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ok");
  json_builder_add_boolean_value (builder, cr_checklist_get_ok (cli->checklist));
  add_string (cli, builder, "base_url", base_url);
  add_string (cli, builder, "model", model);
  add_string (cli, builder, "profile", cli->profile);
  add_string (cli, builder, "key", cli->masked);

  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CrCheckItem) item = g_list_model_get_item (G_LIST_MODEL (cli->checklist), i);

      json_builder_begin_object (builder);
      add_string (cli, builder, "id", cr_check_item_get_id (item));
      add_string (cli, builder, "title", cr_check_item_get_title (item));
      add_string (cli, builder, "status",
                  cr_check_status_to_string (cr_check_item_get_status (item)));
      add_string (cli, builder, "section", cr_check_item_get_section (item));
      add_string (cli, builder, "detail", cr_check_item_get_detail (item));
      add_string (cli, builder, "fix", cr_check_item_get_fix (item));
      json_builder_set_member_name (builder, "changed");
      json_builder_add_boolean_value (builder, cr_check_item_get_changed (item));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "cursor");
  add_cursor_json (cli, builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}
