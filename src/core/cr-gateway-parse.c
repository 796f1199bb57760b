/* cr-gateway-parse.c
 *
 * Strict about types (text where text is expected, numbers where numbers
 * are), tolerant of extra fields and of missing optional ones.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "cr-gateway-error.h"
#include "cr-gateway-parse.h"
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

static gboolean
fail (GError     **error,
      const char  *server_message,
      const char  *format,
      ...) G_GNUC_PRINTF (3, 4);

static gboolean
fail (GError     **error,
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

static JsonParser *
load_json (GBytes  *body,
           GError **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *repaired = NULL;
  const char *data;
  gsize len = 0;

  data = body ? g_bytes_get_data (body, &len) : NULL;
  if (data == NULL || len == 0)
    {
      fail (error, NULL, _("The answer is empty"));
      return NULL;
    }
  if (len > G_MAXSSIZE || !cr_json_nesting_ok (data, len))
    {
      fail (error, NULL, _("The answer is nested too deeply"));
      return NULL;
    }
  if (!cr_json_holds_one_value (data, len) || !cr_json_escapes_ok (data, len))
    {
      fail (error, NULL, _("The answer is not valid JSON"));
      return NULL;
    }

  repaired = cr_json_repair_surrogates (data, len);
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, repaired ? repaired : data, (gssize) len, NULL) ||
      json_parser_get_root (parser) == NULL)
    {
      /* json-glib's message quotes the answer; ours does not. */
      fail (error, NULL, _("The answer is not valid JSON"));
      return NULL;
    }

  return g_steal_pointer (&parser);
}

static JsonObject *
root_object (JsonParser  *parser,
             GError     **error)
{
  JsonNode *root = json_parser_get_root (parser);

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      fail (error, NULL, _("The answer is not a JSON object"));
      return NULL;
    }
  return json_node_get_object (root);
}

/* Missing and null are the same: absent. */
static JsonNode *
get_member (JsonObject *object,
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
  return fail (error, NULL, _("“%s” is missing"), name);
}

static gboolean
member_string (JsonObject  *object,
               const char  *name,
               gboolean     required,
               char       **out,
               GError     **error)
{
  JsonNode *node = get_member (object, name);

  *out = NULL;
  if (node == NULL)
    return required ? missing (name, error) : TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return fail (error, NULL, _("“%s” should be text"), name);

  /* json-glib turns a lone "\ud800" escape into bytes that are not UTF-8. */
  *out = g_utf8_make_valid (json_node_get_string (node), -1);
  return TRUE;
}

static gboolean
node_to_int (JsonNode *node,
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

static gboolean
member_int (JsonObject  *object,
            const char  *name,
            gboolean     required,
            gint64       fallback,
            gint64      *out,
            GError     **error)
{
  JsonNode *node = get_member (object, name);

  *out = fallback;
  if (node == NULL)
    return required ? missing (name, error) : TRUE;
  if (!node_to_int (node, out))
    return fail (error, NULL, _("“%s” should be a number"), name);
  return TRUE;
}

static gboolean
member_bool (JsonObject  *object,
             const char  *name,
             gboolean     fallback,
             gboolean    *out,
             GError     **error)
{
  JsonNode *node = get_member (object, name);

  *out = fallback;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fail (error, NULL, _("“%s” should be true or false"), name);

  *out = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
member_array (JsonObject  *object,
              const char  *name,
              gboolean     required,
              JsonArray  **out,
              GError     **error)
{
  JsonNode *node = get_member (object, name);

  *out = NULL;
  if (node == NULL)
    return required ? missing (name, error) : TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail (error, NULL, _("“%s” should be a list"), name);

  *out = json_node_get_array (node);
  return TRUE;
}

static gboolean
member_object (JsonObject  *object,
               const char  *name,
               gboolean     required,
               JsonObject **out,
               GError     **error)
{
  JsonNode *node = get_member (object, name);

  *out = NULL;
  if (node == NULL)
    return required ? missing (name, error) : TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (error, NULL, _("“%s” should be an object"), name);

  *out = json_node_get_object (node);
  return TRUE;
}

static JsonObject *
array_object (JsonArray   *array,
              guint        index,
              const char  *name,
              GError     **error)
{
  JsonNode *node = json_array_get_element (array, index);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (error, NULL, _("The items of “%s” should be objects"), name);
      return NULL;
    }
  return json_node_get_object (node);
}

static char *
node_to_code (JsonNode *node)
{
  gint64 number;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_utf8_make_valid (json_node_get_string (node), -1);
  if (json_node_get_value_type (node) == G_TYPE_INT64 && node_to_int (node, &number))
    return g_strdup_printf ("%" G_GINT64_FORMAT, number);
  return NULL;
}

static char *
node_to_message (JsonNode *node)
{
  const char *text;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  text = json_node_get_string (node);
  return *text != '\0' ? g_utf8_make_valid (text, -1) : NULL;
}

/* Finds the gateway's error message and code in an answer's root object. */
static gboolean
find_envelope (JsonObject  *root,
               char       **message,
               char       **code)
{
  JsonNode *error_node = get_member (root, "error");

  if (error_node != NULL && JSON_NODE_HOLDS_OBJECT (error_node))
    {
      JsonObject *envelope = json_node_get_object (error_node);

      *message = node_to_message (json_object_get_member (envelope, "message"));
      *code = node_to_code (json_object_get_member (envelope, "code"));
    }
  else if (error_node != NULL)
    {
      /* {"error": "…"} */
      *message = node_to_message (error_node);
      *code = NULL;
    }
  else
    {
      /* new-api's own routes: {"success": false, "message": "…"} */
      *message = node_to_message (json_object_get_member (root, "message"));
      *code = node_to_code (json_object_get_member (root, "code"));
    }

  return *message != NULL || *code != NULL;
}

/* new-api says {"success": false, "message": …} (or "code": false) when a
 * read-only call fails with a success status. */
static gboolean
check_success (JsonObject  *root,
               GError     **error)
{
  const char *flags[] = { "success", "code" };

  for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
    {
      JsonNode *node = get_member (root, flags[i]);

      if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
          json_node_get_value_type (node) == G_TYPE_BOOLEAN &&
          !json_node_get_boolean (node))
        {
          g_autofree char *message = node_to_message (json_object_get_member (root, "message"));

          return fail (error, message, _("The gateway reported a failure"));
        }
    }

  return TRUE;
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

  if (!member_string (object, "id", TRUE, &model->id, error) ||
      !member_string (object, "owned_by", FALSE, &model->owned_by, error))
    return NULL;
  if (*model->id == '\0')
    {
      fail (error, NULL, _("A model has an empty “id”"));
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

  if (!(parser = load_json (body, error)) ||
      !(root = root_object (parser, error)) ||
      !check_success (root, error) ||
      !member_array (root, "data", TRUE, &data, error))
    return NULL;

  models = g_ptr_array_new_with_free_func ((GDestroyNotify) cr_model_free);
  for (guint i = 0; i < json_array_get_length (data); i++)
    {
      JsonObject *object = array_object (data, i, "data", error);
      CrModel *model;

      if (object == NULL || !(model = parse_model (object, error)))
        return NULL;
      g_ptr_array_add (models, model);
    }

  g_ptr_array_sort (models, compare_models);
  return g_steal_pointer (&models);
}

static gboolean
parse_usage (JsonObject    *object,
             CrChatResult  *result,
             GError       **error)
{
  JsonObject *usage;

  if (!member_object (object, "usage", FALSE, &usage, error))
    return FALSE;
  if (usage == NULL)
    return TRUE;

  if (!member_int (usage, "prompt_tokens", FALSE, -1, &result->prompt_tokens, error) ||
      !member_int (usage, "completion_tokens", FALSE, -1, &result->completion_tokens, error) ||
      !member_int (usage, "total_tokens", FALSE, -1, &result->total_tokens, error))
    return FALSE;

  if (result->total_tokens < 0 && result->prompt_tokens >= 0 && result->completion_tokens >= 0)
    result->total_tokens = result->prompt_tokens + result->completion_tokens;
  return TRUE;
}

static CrChatResult *
chat_result_new (void)
{
  CrChatResult *result = g_new0 (CrChatResult, 1);

  result->prompt_tokens = -1;
  result->completion_tokens = -1;
  result->total_tokens = -1;
  return result;
}

/* An {"error": …} object where an answer should be: show its message. */
static gboolean
check_error_member (JsonObject  *root,
                    GError     **error)
{
  g_autofree char *message = NULL;
  g_autofree char *code = NULL;

  if (get_member (root, "error") == NULL)
    return TRUE;

  find_envelope (root, &message, &code);
  return fail (error, message, _("The gateway sent an error instead of an answer"));
}

CrChatResult *
cr_parse_chat (GBytes  *body,
               GError **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(CrChatResult) result = chat_result_new ();
  JsonObject *root;
  JsonObject *choice;
  JsonObject *message;
  JsonArray *choices;

  if (!(parser = load_json (body, error)) ||
      !(root = root_object (parser, error)) ||
      !check_error_member (root, error) ||
      !member_array (root, "choices", TRUE, &choices, error))
    return NULL;

  if (json_array_get_length (choices) == 0)
    {
      fail (error, NULL, _("The answer has no choices"));
      return NULL;
    }

  if (!(choice = array_object (choices, 0, "choices", error)) ||
      !member_object (choice, "message", TRUE, &message, error) ||
      !member_string (message, "content", FALSE, &result->reply, error) ||
      !member_string (root, "model", FALSE, &result->model, error) ||
      !parse_usage (root, result, error))
    return NULL;

  if (result->reply == NULL)
    result->reply = g_strdup ("");

  return g_steal_pointer (&result);
}

static gboolean
parse_stream_chunk (const char    *data,
                    CrChatResult  *result,
                    GString       *reply,
                    GError       **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, strlen (data));
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *model = NULL;
  g_autofree char *content = NULL;
  JsonObject *root;
  JsonObject *choice;
  JsonObject *delta;
  JsonArray *choices;

  if (!(parser = load_json (bytes, error)) ||
      !(root = root_object (parser, error)) ||
      !check_error_member (root, error) ||
      !member_array (root, "choices", FALSE, &choices, error) ||
      !member_string (root, "model", FALSE, &model, error) ||
      !parse_usage (root, result, error))
    return FALSE;

  if (model != NULL)
    {
      g_free (result->model);
      result->model = g_steal_pointer (&model);
    }

  if (choices == NULL || json_array_get_length (choices) == 0)
    return TRUE;

  if (!(choice = array_object (choices, 0, "choices", error)) ||
      !member_object (choice, "delta", FALSE, &delta, error))
    return FALSE;
  if (delta == NULL)
    return TRUE;

  if (!member_string (delta, "content", FALSE, &content, error))
    return FALSE;
  if (content != NULL)
    g_string_append (reply, content);
  return TRUE;
}

CrChatResult *
cr_parse_chat_stream (GBytes  *body,
                      GError **error)
{
  g_autoptr(CrChatResult) result = chat_result_new ();
  g_autoptr(GString) reply = g_string_new (NULL);
  g_autoptr(GString) event = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;
  g_autofree char *text = NULL;
  gboolean have_data = FALSE;
  gboolean done = FALSE;
  const char *data;
  gsize len = 0;

  data = body ? g_bytes_get_data (body, &len) : NULL;
  if (data == NULL || len == 0)
    {
      fail (error, NULL, _("The answer is empty"));
      return NULL;
    }

  text = g_utf8_make_valid (data, len);
  lines = g_strsplit (text, "\n", -1);

  /* One event per blank line; its "data:" lines joined (the SSE rule). The
   * loop runs one step past the end so the last event is dispatched too. */
  for (guint i = 0; !done && (i == 0 || lines[i - 1] != NULL); i++)
    {
      char *line = lines[i];
      gsize line_len;

      if (line != NULL && (line_len = strlen (line)) > 0 && line[line_len - 1] == '\r')
        line[--line_len] = '\0';

      if (line == NULL || *line == '\0')
        {
          if (have_data)
            {
              if (g_strcmp0 (g_strstrip (event->str), "[DONE]") == 0)
                done = TRUE;
              else if (!parse_stream_chunk (event->str, result, reply, error))
                return NULL;
            }
          g_string_truncate (event, 0);
          have_data = FALSE;
          continue;
        }

      if (g_str_has_prefix (line, "data:"))
        {
          const char *value = line + 5;

          if (*value == ' ')
            value++;
          if (have_data)
            g_string_append_c (event, '\n');
          g_string_append (event, value);
          have_data = TRUE;
        }
      /* Comments (":"), "event:", "id:", "retry:" carry nothing for us. */
    }

  if (!done)
    {
      fail (error, NULL, _("The stream ended before the gateway said it was done"));
      return NULL;
    }

  result->reply = g_string_free (g_steal_pointer (&reply), FALSE);
  return g_steal_pointer (&result);
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

  if (!member_object (data, "model_limits", FALSE, &limits, error))
    return FALSE;

  if (limits != NULL)
    {
      json_object_iter_init (&iter, limits);
      while (json_object_iter_next (&iter, &name, &node))
        {
          if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
            return fail (error, NULL, _("“%s” should be true or false"), "model_limits");
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

  if (!(parser = load_json (body, error)) ||
      !(root = root_object (parser, error)) ||
      !check_success (root, error) ||
      !member_object (root, "data", TRUE, &data, error))
    return NULL;

  if (!member_string (data, "name", FALSE, &usage->name, error) ||
      !member_int (data, "total_granted", TRUE, 0, &usage->total_granted, error) ||
      !member_int (data, "total_used", TRUE, 0, &usage->total_used, error) ||
      !member_int (data, "total_available", TRUE, 0, &usage->total_available, error) ||
      !member_bool (data, "unlimited_quota", FALSE, &usage->unlimited_quota, error) ||
      !member_int (data, "expires_at", FALSE, 0, &usage->expires_at, error) ||
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

  if (!member_int (object, "id", FALSE, 0, &entry->id, error) ||
      !member_int (object, "created_at", TRUE, 0, &entry->created_at, error) ||
      !member_int (object, "type", FALSE, 0, &entry->type, error) ||
      !member_string (object, "content", FALSE, &entry->content, error) ||
      !member_string (object, "token_name", FALSE, &entry->token_name, error) ||
      !member_string (object, "model_name", FALSE, &entry->model_name, error) ||
      !member_int (object, "prompt_tokens", FALSE, 0, &entry->prompt_tokens, error) ||
      !member_int (object, "completion_tokens", FALSE, 0, &entry->completion_tokens, error) ||
      !member_int (object, "quota", FALSE, 0, &entry->quota, error) ||
      !member_int (object, "use_time", FALSE, 0, &entry->use_time, error) ||
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

  if (!(parser = load_json (body, error)) ||
      !(root = root_object (parser, error)) ||
      !check_success (root, error))
    return NULL;

  /* "data" is required, but a gateway with no logs yet may say null. */
  if (!json_object_has_member (root, "data"))
    {
      missing ("data", error);
      return NULL;
    }
  if (!member_array (root, "data", FALSE, &data, error))
    return NULL;

  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) cr_log_entry_free);
  for (guint i = 0; data != NULL && i < json_array_get_length (data); i++)
    {
      JsonObject *object = array_object (data, i, "data", error);
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

  if (!(parser = load_json (body, error)) ||
      !(root = root_object (parser, error)) ||
      !check_success (root, error) ||
      !member_object (root, "data", TRUE, &data, error) ||
      !member_int (data, "quota_per_unit", FALSE, 0, &quota_per_unit, error))
    return -1;

  return MAX (quota_per_unit, 0);
}

gboolean
cr_parse_error_envelope (GBytes  *body,
                         char   **message,
                         char   **code)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *found_message = NULL;
  g_autofree char *found_code = NULL;
  JsonObject *root;

  if (message != NULL)
    *message = NULL;
  if (code != NULL)
    *code = NULL;

  if (!(parser = load_json (body, NULL)) ||
      !(root = root_object (parser, NULL)) ||
      !find_envelope (root, &found_message, &found_code))
    return FALSE;

  if (message != NULL)
    *message = g_steal_pointer (&found_message);
  if (code != NULL)
    *code = g_steal_pointer (&found_code);
  return TRUE;
}

/* Here, not in cr-gateway-error.c: the error module takes the envelope as
 * plain strings and never calls the parser, which itself builds errors. */
GError *
cr_gateway_error_from_http (guint        status,
                            const char  *content_type,
                            GBytes      *body,
                            const char  *retry_after_header)
{
  g_autofree char *message = NULL;
  g_autofree char *code = NULL;

  if (body != NULL)
    cr_parse_error_envelope (body, &message, &code);

  return cr_gateway_error_from_answer (status, content_type, message, code, retry_after_header);
}
