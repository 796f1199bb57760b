/* cr-gateway-parse.c: the read-only answers (models, token usage and logs,
 * status), and the JSON helpers every parser here shares
 *
 * The chat answers (plain and streamed) are in cr-gateway-parse-chat.c, the
 * error envelopes in cr-gateway-parse-envelope.c.
 *
 * Strict about types (text where text is expected, numbers where numbers
 * are), tolerant of extra fields and of missing optional ones.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "cr-gateway-error.h"
#include "cr-gateway-parse.h"
#include "cr-gateway-parse-private.h"
#include "cr-json.h"

void
cr_model_free (CrModel *model)
{
  if (model == NULL)
    return;
  g_free (model->id);
  g_free (model->owned_by);
  g_free (model);
}

void
cr_chat_result_free (CrChatResult *result)
{
  if (result == NULL)
    return;
  g_free (result->reply);
  g_free (result->model);
  g_free (result);
}

void
cr_token_usage_free (CrTokenUsage *usage)
{
  if (usage == NULL)
    return;
  g_free (usage->name);
  g_strfreev (usage->model_limits);
  g_free (usage);
}

void
cr_log_entry_free (CrLogEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->content);
  g_free (entry->token_name);
  g_free (entry->model_name);
  g_free (entry);
}

gboolean
_cr_parse_fail (GError     **error,
                const char  *server_message,
                const char  *format,
                ...)
{
  g_autofree char *detail = NULL;
  va_list args;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);

  g_propagate_error (error, cr_gateway_error_new_detail (CR_GATEWAY_ERROR_MALFORMED, 0,
                                                         server_message, 0, detail));
  return FALSE;
}

JsonParser *
_cr_parse_load_json (GBytes  *body,
                     GError **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *repaired = NULL;
  const char *data;
  gsize len = 0;

  data = body ? g_bytes_get_data (body, &len) : NULL;
  if (data == NULL || len == 0)
    {
      _cr_parse_fail (error, NULL, _("The answer is empty"));
      return NULL;
    }
  if (len > G_MAXSSIZE || !cr_json_nesting_ok (data, len))
    {
      _cr_parse_fail (error, NULL, _("The answer is nested too deeply"));
      return NULL;
    }
  if (!cr_json_holds_one_value (data, len) || !cr_json_escapes_ok (data, len))
    {
      _cr_parse_fail (error, NULL, _("The answer is not valid JSON"));
      return NULL;
    }

  repaired = cr_json_repair_surrogates (data, len);
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, repaired ? repaired : data, (gssize) len, NULL) ||
      json_parser_get_root (parser) == NULL)
    {
      /* json-glib's message quotes the answer; ours does not. */
      _cr_parse_fail (error, NULL, _("The answer is not valid JSON"));
      return NULL;
    }

  return g_steal_pointer (&parser);
}

JsonObject *
_cr_parse_root_object (JsonParser  *parser,
                       GError     **error)
{
  JsonNode *root = json_parser_get_root (parser);

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      _cr_parse_fail (error, NULL, _("The answer is not a JSON object"));
      return NULL;
    }
  return json_node_get_object (root);
}

/* Missing and null are the same: absent. */
JsonNode *
_cr_parse_get_member (JsonObject *object,
                      const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  return node;
}

static gboolean
missing (const char  *name,
         GError     **error)
{
  return _cr_parse_fail (error, NULL, _("“%s” is missing"), name);
}

gboolean
_cr_parse_member_string (JsonObject  *object,
                         const char  *name,
                         gboolean     required,
                         char       **out,
                         GError     **error)
{
  JsonNode *node = _cr_parse_get_member (object, name);

  *out = NULL;
  if (node == NULL)
    return required ? missing (name, error) : TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return _cr_parse_fail (error, NULL, _("“%s” should be text"), name);

  /* json-glib turns a lone "\ud800" escape into bytes that are not UTF-8. */
  *out = g_utf8_make_valid (json_node_get_string (node), -1);
  return TRUE;
}

gboolean
_cr_parse_node_to_int (JsonNode *node,
                       gint64   *out)
{
  GType type;

  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    {
      *out = json_node_get_int (node);
      return TRUE;
    }
  if (type == G_TYPE_DOUBLE)
    {
      double value = json_node_get_double (node);

      /* 1e300 is a number, but not an amount of anything we count. */
      if (!isfinite (value) || value < -9.0e15 || value > 9.0e15)
        return FALSE;
      *out = (gint64) value;
      return TRUE;
    }
  return FALSE;
}

gboolean
_cr_parse_member_int (JsonObject  *object,
                      const char  *name,
                      gboolean     required,
                      gint64       fallback,
                      gint64      *out,
                      GError     **error)
{
  JsonNode *node = _cr_parse_get_member (object, name);

  *out = fallback;
  if (node == NULL)
    return required ? missing (name, error) : TRUE;
  if (!_cr_parse_node_to_int (node, out))
    return _cr_parse_fail (error, NULL, _("“%s” should be a number"), name);
  return TRUE;
}

static gboolean
member_bool (JsonObject  *object,
             const char  *name,
             gboolean     fallback,
             gboolean    *out,
             GError     **error)
{
  JsonNode *node = _cr_parse_get_member (object, name);

  *out = fallback;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return _cr_parse_fail (error, NULL, _("“%s” should be true or false"), name);

  *out = json_node_get_boolean (node);
  return TRUE;
}

gboolean
_cr_parse_member_array (JsonObject  *object,
                        const char  *name,
                        gboolean     required,
                        JsonArray  **out,
                        GError     **error)
{
  JsonNode *node = _cr_parse_get_member (object, name);

  *out = NULL;
  if (node == NULL)
    return required ? missing (name, error) : TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return _cr_parse_fail (error, NULL, _("“%s” should be a list"), name);

  *out = json_node_get_array (node);
  return TRUE;
}

gboolean
_cr_parse_member_object (JsonObject  *object,
                         const char  *name,
                         gboolean     required,
                         JsonObject **out,
                         GError     **error)
{
  JsonNode *node = _cr_parse_get_member (object, name);

  *out = NULL;
  if (node == NULL)
    return required ? missing (name, error) : TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return _cr_parse_fail (error, NULL, _("“%s” should be an object"), name);

  *out = json_node_get_object (node);
  return TRUE;
}

JsonObject *
_cr_parse_array_object (JsonArray   *array,
                        guint        index,
                        const char  *name,
                        GError     **error)
{
  JsonNode *node = json_array_get_element (array, index);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      _cr_parse_fail (error, NULL, _("The items of “%s” should be objects"), name);
      return NULL;
    }
  return json_node_get_object (node);
}

static int
compare_models (gconstpointer a,
                gconstpointer b)
{
  const CrModel *ma = *(CrModel * const *) a;
  const CrModel *mb = *(CrModel * const *) b;

  return g_strcmp0 (ma->id, mb->id);
}

static CrModel *
parse_model (JsonObject  *object,
             GError     **error)
{
  g_autoptr(CrModel) model = g_new0 (CrModel, 1);

  if (!_cr_parse_member_string (object, "id", TRUE, &model->id, error) ||
      !_cr_parse_member_string (object, "owned_by", FALSE, &model->owned_by, error))
    return NULL;
  if (*model->id == '\0')
    {
      _cr_parse_fail (error, NULL, _("A model has an empty “id”"));
      return NULL;
    }

  return g_steal_pointer (&model);
}

GPtrArray *
cr_parse_models (GBytes  *body,
                 GError **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GPtrArray) models = NULL;
  JsonObject *root;
  JsonArray *data;

  if (!(parser = _cr_parse_load_json (body, error)) ||
      !(root = _cr_parse_root_object (parser, error)) ||
      !_cr_parse_check_success (root, error) ||
      !_cr_parse_member_array (root, "data", TRUE, &data, error))
    return NULL;

  models = g_ptr_array_new_with_free_func ((GDestroyNotify) cr_model_free);
  for (guint i = 0; i < json_array_get_length (data); i++)
    {
      JsonObject *object = _cr_parse_array_object (data, i, "data", error);
      CrModel *model;

      if (object == NULL || !(model = parse_model (object, error)))
        return NULL;
      g_ptr_array_add (models, model);
    }

  g_ptr_array_sort (models, compare_models);
  return g_steal_pointer (&models);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

static gboolean
parse_model_limits (JsonObject    *data,
                    CrTokenUsage  *usage,
                    GError       **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  JsonObject *limits;
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  if (!_cr_parse_member_object (data, "model_limits", FALSE, &limits, error))
    return FALSE;

  if (limits != NULL)
    {
      json_object_iter_init (&iter, limits);
      while (json_object_iter_next (&iter, &name, &node))
        {
          if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
            return _cr_parse_fail (error, NULL, _("“%s” should be true or false"), "model_limits");
          if (json_node_get_boolean (node) && *name != '\0')
            g_ptr_array_add (names, g_utf8_make_valid (name, -1));
        }
    }

  g_ptr_array_sort (names, compare_strings);
  g_ptr_array_add (names, NULL);
  usage->model_limits = (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
  return TRUE;
}

CrTokenUsage *
cr_parse_token_usage (GBytes  *body,
                      GError **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(CrTokenUsage) usage = g_new0 (CrTokenUsage, 1);
  JsonObject *root;
  JsonObject *data;

  if (!(parser = _cr_parse_load_json (body, error)) ||
      !(root = _cr_parse_root_object (parser, error)) ||
      !_cr_parse_check_success (root, error) ||
      !_cr_parse_member_object (root, "data", TRUE, &data, error))
    return NULL;

  if (!_cr_parse_member_string (data, "name", FALSE, &usage->name, error) ||
      !_cr_parse_member_int (data, "total_granted", TRUE, 0, &usage->total_granted, error) ||
      !_cr_parse_member_int (data, "total_used", TRUE, 0, &usage->total_used, error) ||
      !_cr_parse_member_int (data, "total_available", TRUE, 0, &usage->total_available, error) ||
      !member_bool (data, "unlimited_quota", FALSE, &usage->unlimited_quota, error) ||
      !_cr_parse_member_int (data, "expires_at", FALSE, 0, &usage->expires_at, error) ||
      !parse_model_limits (data, usage, error) ||
      !member_bool (data, "model_limits_enabled", usage->model_limits[0] != NULL,
                    &usage->model_limits_enabled, error))
    return NULL;

  /* Some versions say -1 for "never". */
  if (usage->expires_at < 0)
    usage->expires_at = 0;

  return g_steal_pointer (&usage);
}

static int
compare_logs_newest_first (gconstpointer a,
                           gconstpointer b)
{
  const CrLogEntry *la = *(CrLogEntry * const *) a;
  const CrLogEntry *lb = *(CrLogEntry * const *) b;

  if (la->created_at != lb->created_at)
    return la->created_at < lb->created_at ? 1 : -1;
  if (la->id != lb->id)
    return la->id < lb->id ? 1 : -1;
  return 0;
}

static CrLogEntry *
parse_log_entry (JsonObject  *object,
                 GError     **error)
{
  g_autoptr(CrLogEntry) entry = g_new0 (CrLogEntry, 1);

  if (!_cr_parse_member_int (object, "id", FALSE, 0, &entry->id, error) ||
      !_cr_parse_member_int (object, "created_at", TRUE, 0, &entry->created_at, error) ||
      !_cr_parse_member_int (object, "type", FALSE, 0, &entry->type, error) ||
      !_cr_parse_member_string (object, "content", FALSE, &entry->content, error) ||
      !_cr_parse_member_string (object, "token_name", FALSE, &entry->token_name, error) ||
      !_cr_parse_member_string (object, "model_name", FALSE, &entry->model_name, error) ||
      !_cr_parse_member_int (object, "prompt_tokens", FALSE, 0, &entry->prompt_tokens, error) ||
      !_cr_parse_member_int (object, "completion_tokens", FALSE, 0, &entry->completion_tokens, error) ||
      !_cr_parse_member_int (object, "quota", FALSE, 0, &entry->quota, error) ||
      !_cr_parse_member_int (object, "use_time", FALSE, 0, &entry->use_time, error) ||
      !member_bool (object, "is_stream", FALSE, &entry->is_stream, error))
    return NULL;

  return g_steal_pointer (&entry);
}

GPtrArray *
cr_parse_token_logs (GBytes  *body,
                     GError **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  JsonObject *root;
  JsonArray *data;

  if (!(parser = _cr_parse_load_json (body, error)) ||
      !(root = _cr_parse_root_object (parser, error)) ||
      !_cr_parse_check_success (root, error))
    return NULL;

  /* "data" is required, but a gateway with no logs yet may say null. */
  if (!json_object_has_member (root, "data"))
    {
      missing ("data", error);
      return NULL;
    }
  if (!_cr_parse_member_array (root, "data", FALSE, &data, error))
    return NULL;

  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) cr_log_entry_free);
  for (guint i = 0; data != NULL && i < json_array_get_length (data); i++)
    {
      JsonObject *object = _cr_parse_array_object (data, i, "data", error);
      CrLogEntry *entry;

      if (object == NULL || !(entry = parse_log_entry (object, error)))
        return NULL;
      g_ptr_array_add (entries, entry);
    }

  g_ptr_array_sort (entries, compare_logs_newest_first);
  return g_steal_pointer (&entries);
}

gint64
cr_parse_quota_per_unit (GBytes  *body,
                         GError **error)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *root;
  JsonObject *data;
  gint64 quota_per_unit = 0;

  if (!(parser = _cr_parse_load_json (body, error)) ||
      !(root = _cr_parse_root_object (parser, error)) ||
      !_cr_parse_check_success (root, error) ||
      !_cr_parse_member_object (root, "data", TRUE, &data, error) ||
      !_cr_parse_member_int (data, "quota_per_unit", FALSE, 0, &quota_per_unit, error))
    return -1;

  return MAX (quota_per_unit, 0);
}

gboolean
cr_model_list_contains (GPtrArray  *models,
                        const char *id)
{
  for (guint i = 0; models != NULL && id != NULL && i < models->len; i++)
    if (g_strcmp0 (((CrModel *) g_ptr_array_index (models, i))->id, id) == 0)
      return TRUE;

  return FALSE;
}
