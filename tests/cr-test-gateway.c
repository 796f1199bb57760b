/* cr-test-gateway.c: a loopback Crazyrouter, modelled on new-api
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "cr-test-gateway.h"

#define HUGE_SIZE        (10 * 1024 * 1024)
#define HOSTILE_SIZE     1000000
#define ENDLESS_TICK_MS  100
#define SLOW_TICK_MS     200

typedef struct {
  const char *key;
  const char *name;
  const char *allowlist;   /* comma-separated; NULL: every model */
  gint64      remain;
  gint64      used;
  gboolean    unlimited;
  gboolean    exhausted;
  gboolean    ip_locked;
} DemoToken;

static const DemoToken demo_tokens[] = {
  { CR_TEST_TOKEN_GOOD, "cursor", "gpt-5.4,claude-sonnet-4-6", 4880000, 120000, FALSE, FALSE, FALSE },
  { CR_TEST_TOKEN_NARROW, "cursor-narrow", "claude-sonnet-4-6", 2500000, 0, FALSE, FALSE, FALSE },
  { CR_TEST_TOKEN_WIDE, "shared", NULL, 0, 8400000, TRUE, FALSE, FALSE },
  { CR_TEST_TOKEN_EXHAUSTED, "cursor-old", "gpt-5.4", 0, 500000, FALSE, TRUE, FALSE },
  { CR_TEST_TOKEN_IP_LOCKED, "office", "gpt-5.4,claude-sonnet-4-6", 5000000, 0, FALSE, FALSE, TRUE },
};
#define N_TOKENS G_N_ELEMENTS (demo_tokens)

static const struct {
  const char *id;
  const char *owned_by;
} catalog[] = {
  { "gpt-5.4", "openai" },
  { "claude-sonnet-4-6", "anthropic" },
  { "gemini-3-pro-preview", "google" },
  { "gpt-4o-mini", "openai" },
  { "deepseek-chat", "deepseek" },
};

static const char *mode_names[] = {
  [CR_TEST_MODE_NORMAL] = "normal",
  [CR_TEST_MODE_HANG] = "hang",
  [CR_TEST_MODE_SLOW_HEADERS] = "slow-headers",
  [CR_TEST_MODE_GARBAGE] = "garbage",
  [CR_TEST_MODE_WRONG_SHAPE] = "wrong-shape",
  [CR_TEST_MODE_TRUNCATED] = "truncated",
  [CR_TEST_MODE_HUGE] = "huge",
  [CR_TEST_MODE_ENDLESS] = "endless",
  [CR_TEST_MODE_SERVER_ERROR] = "server-error",
  [CR_TEST_MODE_BAD_GATEWAY_HTML] = "bad-gateway-html",
  [CR_TEST_MODE_RATE_LIMITED] = "rate-limited",
  [CR_TEST_MODE_NO_LOGS] = "no-logs",
  [CR_TEST_MODE_MODEL_UNAVAILABLE] = "model-unavailable",
  [CR_TEST_MODE_REDIRECT_HTTP] = "redirect-http",
  [CR_TEST_MODE_REDIRECT_HOST] = "redirect-host",
  [CR_TEST_MODE_HOSTILE_MESSAGE] = "hostile-message",
  [CR_TEST_MODE_REDIRECT_SAME_ORIGIN] = "redirect-same-origin",
  [CR_TEST_MODE_NO_CORS] = "no-cors",
  [CR_TEST_MODE_CORS_LIST] = "cors-list",
  [CR_TEST_MODE_RESPONSES_BODY_OK] = "responses-body-ok",
};

typedef enum {
  DELIVER_NOW,
  DELIVER_HANG,
  DELIVER_ENDLESS,
  DELIVER_SLOW_HEADERS,
} Delivery;

typedef struct {
  Delivery    delivery;
  guint       status;
  const char *content_type;
  GBytes     *body;
  char       *location;
  const char *retry_after;
  char       *cors_origin;   /* the request had an Origin: Access-Control-Allow-Origin */
  char       *cors_headers;  /* for a preflight: Access-Control-Allow-Headers (NULL: none) */
  gboolean    preflight;     /* answer with the rest of the preflight headers */
} Answer;

typedef struct {
  gint64  id;
  gint64  created_at;
  guint   token;
  char   *model;
  gint64  prompt_tokens;
  gint64  completion_tokens;
  gint64  quota;
  gboolean is_stream;
  gint64  type;             /* 2 consume, 5 error */
  char   *content;          /* an error entry's message */
  gint64  use_time;         /* seconds */
} LogEntry;

/* An entry that Cursor's request leaves, written when its timer fires. */
typedef struct {
  CrTestGateway *self;
  guint          token;
  CrTestLogKind  kind;
  char          *model;
  GSource       *source;
} LaterLog;

/* A message that is waiting: for its latency, forever (HANG), or for its
 * next chunk (ENDLESS). SLOW_HEADERS owns a stolen connection instead. */
typedef struct {
  CrTestGateway     *self;
  SoupServerMessage *msg;
  Answer            *answer;
  GSource           *source;
  gulong             finished_id;
  GIOStream         *stolen;
  guint              ticks;
} Pending;

struct _CrTestGateway
{
  GObject             parent_instance;

  SoupServer         *server;
  GMainContext       *context;
  CrTestTls           tls;
  guint               port;
  guint               target_port;
  char               *base_url;
  char               *root_url;
  char               *tmpdir;
  char               *cert_path;
  char               *key_path;
  GTlsDatabase       *database;

  CrTestMode          mode;
  guint               latency_ms;
  GArray             *critical_times; /* monotonic µs of each allowed critical request */
  guint               critical_limit;  /* 0: no limit */
  gboolean            critical_message;
  guint               critical_count;
  guint               responses_bodies;
  GList              *later_logs;      /* LaterLog*, waiting for their timers */
  char               *cors_origin;   /* NULL: "*" */
  char               *cors_headers;  /* CORS_LIST's Allow-Headers; NULL: "Content-Type" */

  guint               request_count;
  guint               in_flight;
  guint               max_in_flight;
  GHashTable         *path_counts;
  GHashTable         *preflight_counts;
  SoupMessageHeaders *last_headers;
  GBytes             *last_body;
  guint               target_count;
  gboolean            target_saw_auth;

  gint64              used[N_TOKENS];
  gint64              remain[N_TOKENS];
  GPtrArray          *logs;
  gint64              next_log_id;

  GList              *pending;
  GBytes             *huge_body;
};

G_DEFINE_FINAL_TYPE (CrTestGateway, cr_test_gateway, G_TYPE_OBJECT)

const char *
cr_test_mode_to_string (CrTestMode mode)
{
  if ((guint) mode >= G_N_ELEMENTS (mode_names))
    return NULL;
  return mode_names[mode];
}

gboolean
cr_test_mode_from_string (const char *name,
                          CrTestMode *mode)
{
  for (guint i = 0; i < G_N_ELEMENTS (mode_names); i++)
    {
      if (g_strcmp0 (name, mode_names[i]) == 0)
        {
          *mode = i;
          return TRUE;
        }
    }
  return FALSE;
}

static void
log_entry_free (LogEntry *entry)
{
  g_free (entry->model);
  g_free (entry->content);
  g_free (entry);
}

static void
answer_free (Answer *answer)
{
  if (answer == NULL)
    return;
  g_clear_pointer (&answer->body, g_bytes_unref);
  g_free (answer->location);
  g_free (answer->cors_origin);
  g_free (answer->cors_headers);
  g_free (answer);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Answer, answer_free)

static Answer *
answer_new (guint       status,
            const char *content_type,
            GBytes     *body)
{
  Answer *answer = g_new0 (Answer, 1);

  answer->status = status;
  answer->content_type = content_type;
  answer->body = body;
  return answer;
}

static Answer *
answer_text (guint       status,
             const char *content_type,
             const char *text)
{
  return answer_new (status, content_type, g_bytes_new (text, strlen (text)));
}

static Answer *
answer_json (guint      status,
             JsonNode  *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  char *data;
  gsize len;

  json_generator_set_root (generator, root);
  data = json_generator_to_data (generator, &len);
  json_node_unref (root);
  return answer_new (status, "application/json", g_bytes_new_take (data, len));
}

/* json_builder_* with the builder first, for short lines. */
static void
add_string (JsonBuilder *b, const char *name, const char *value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, value);
}

static void
add_int (JsonBuilder *b, const char *name, gint64 value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

static void
add_bool (JsonBuilder *b, const char *name, gboolean value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_boolean_value (b, value);
}

static char *
request_id (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d%H%M%S");

  return g_strdup_printf ("%s%08x", stamp, g_random_int ());
}

/* new-api's relay envelope; @code may be NULL. */
static Answer *
answer_error (guint       status,
              const char *message,
              const char *type,
              const char *code)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *id = request_id ();
  g_autofree char *text = g_strdup_printf ("%s (request id: %s)", message, id);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  add_string (b, "message", text);
  add_string (b, "type", type);
  if (code != NULL)
    add_string (b, "code", code);
  json_builder_end_object (b);
  json_builder_end_object (b);
  return answer_json (status, json_builder_get_root (b));
}

/* new-api's own /api routes say {"success": false, "message": …}. */
static Answer *
answer_api_failure (guint       status,
                    const char *message)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  add_bool (b, "success", FALSE);
  add_string (b, "message", message);
  json_builder_end_object (b);
  return answer_json (status, json_builder_get_root (b));
}

static Answer *
answer_invalid_url (SoupServerMessage *msg,
                    const char        *path)
{
  g_autofree char *message = g_strdup_printf ("Invalid URL (%s %s)",
                                              soup_server_message_get_method (msg), path);
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  add_string (b, "message", message);
  add_string (b, "type", "invalid_request_error");
  add_string (b, "param", "");
  add_string (b, "code", "");
  json_builder_end_object (b);
  json_builder_end_object (b);
  return answer_json (404, json_builder_get_root (b));
}

static Answer *
answer_index_page (guint status)
{
  return answer_text (status, "text/html; charset=utf-8",
                      "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                      "<title>Crazyrouter</title></head>\n<body><div id=\"root\"></div>"
                      "<script type=\"module\" src=\"/assets/index.js\"></script></body></html>\n");
}

static gboolean
wants_chinese (SoupServerMessage *msg)
{
  const char *language = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                       "Accept-Language");

  return language != NULL && g_ascii_strncasecmp (language, "zh", 2) == 0;
}

/* Other fake keys that stand for a demo token: key → index + 1. */
static GHashTable *token_aliases;

void
cr_test_gateway_add_token_alias (const char *key,
                                 const char *demo_token)
{
  g_return_if_fail (key != NULL && demo_token != NULL);

  if (token_aliases == NULL)
    token_aliases = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < N_TOKENS; i++)
    if (strcmp (demo_token, demo_tokens[i].key) == 0)
      {
        g_hash_table_replace (token_aliases, g_strdup (key), GUINT_TO_POINTER (i + 1));
        return;
      }
  g_return_if_reached ();
}

/* The demo token's index for @key, or -1. */
static int
token_for_key (const char *key)
{
  for (guint i = 0; i < N_TOKENS; i++)
    if (strcmp (key, demo_tokens[i].key) == 0)
      return i;
  if (token_aliases != NULL && g_hash_table_contains (token_aliases, key))
    return GPOINTER_TO_UINT (g_hash_table_lookup (token_aliases, key)) - 1;
  return -1;
}

/* The request's demo token, or -1. */
static int
find_token (SoupServerMessage *msg)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Authorization");

  if (header == NULL || g_ascii_strncasecmp (header, "Bearer ", 7) != 0)
    return -1;
  return token_for_key (header + 7);
}

static gboolean
token_allows (guint       token,
              const char *model)
{
  g_auto(GStrv) allowed = NULL;

  if (demo_tokens[token].allowlist == NULL)
    return TRUE;
  allowed = g_strsplit (demo_tokens[token].allowlist, ",", -1);
  return g_strv_contains ((const char * const *) allowed, model);
}

static gboolean
in_catalog (const char *model)
{
  for (guint i = 0; i < G_N_ELEMENTS (catalog); i++)
    if (strcmp (catalog[i].id, model) == 0)
      return TRUE;
  return FALSE;
}

/* The /v1 relay's token check; NULL when the token may go on. */
static Answer *
relay_auth (SoupServerMessage *msg,
            int               *token)
{
  gboolean zh = wants_chinese (msg);

  *token = find_token (msg);
  if (*token < 0)
    return answer_error (401, zh ? "无效的令牌" : "Invalid token", "new_api_error", NULL);
  if (demo_tokens[*token].exhausted)
    return answer_error (401, zh ? "该令牌额度已用尽" : "This token's quota is used up",
                         "new_api_error", NULL);
  if (demo_tokens[*token].ip_locked)
    return answer_error (403, zh ? "您的 IP 不在令牌允许访问的列表中"
                                 : "Your IP is not in the token's list of allowed addresses",
                         "new_api_error", "access_denied");
  return NULL;
}

static void
add_model (JsonBuilder *b,
           const char  *id,
           const char  *owned_by)
{
  json_builder_begin_object (b);
  add_string (b, "id", id);
  add_string (b, "object", "model");
  add_int (b, "created", 1700000000);
  add_string (b, "owned_by", owned_by);
  json_builder_set_member_name (b, "supported_endpoint_types");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, "openai");
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static Answer *
route_models (SoupServerMessage *msg)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  Answer *denied;
  int token;

  if ((denied = relay_auth (msg, &token)))
    return denied;

  json_builder_begin_object (b);
  add_bool (b, "success", TRUE);
  add_string (b, "object", "list");
  json_builder_set_member_name (b, "data");
  json_builder_begin_array (b);
  for (guint i = 0; i < G_N_ELEMENTS (catalog); i++)
    if (token_allows (token, catalog[i].id))
      add_model (b, catalog[i].id, catalog[i].owned_by);
  json_builder_end_array (b);
  json_builder_end_object (b);
  return answer_json (200, json_builder_get_root (b));
}

/* new-api answers any id here, allowlist or not: clients must not use it to validate. */
static Answer *
route_model (SoupServerMessage *msg,
             const char        *id)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  Answer *denied;
  int token;

  if ((denied = relay_auth (msg, &token)))
    return denied;

  add_model (b, id, "custom");
  return answer_json (200, json_builder_get_root (b));
}

/* What CreateChatCompletionRequest requires; NULL when the body is valid. */
static char *
validate_chat (JsonNode *root)
{
  JsonObject *object;
  JsonNode *node;
  JsonArray *messages;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    return g_strdup ("The request body must be a JSON object");
  object = json_node_get_object (root);

  node = json_object_get_member (object, "model");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING || !*json_node_get_string (node))
    return g_strdup ("\"model\" must be a non-empty string");

  node = json_object_get_member (object, "messages");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node) ||
      json_array_get_length (json_node_get_array (node)) == 0)
    return g_strdup ("field messages is required");

  messages = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (messages); i++)
    {
      JsonNode *item = json_array_get_element (messages, i);
      JsonNode *role;
      JsonNode *content;

      if (!JSON_NODE_HOLDS_OBJECT (item))
        return g_strdup_printf ("messages[%u] must be an object", i);
      role = json_object_get_member (json_node_get_object (item), "role");
      content = json_object_get_member (json_node_get_object (item), "content");
      if (role == NULL || !JSON_NODE_HOLDS_VALUE (role) ||
          json_node_get_value_type (role) != G_TYPE_STRING)
        return g_strdup_printf ("messages[%u].role must be a string", i);
      if (content == NULL ||
          !(JSON_NODE_HOLDS_ARRAY (content) ||
            (JSON_NODE_HOLDS_VALUE (content) && json_node_get_value_type (content) == G_TYPE_STRING)))
        return g_strdup_printf ("messages[%u].content must be a string or an array", i);
    }

  for (guint i = 0; i < 2; i++)
    {
      const char *name = i == 0 ? "max_completion_tokens" : "max_tokens";

      node = json_object_get_member (object, name);
      if (node != NULL && !JSON_NODE_HOLDS_NULL (node) &&
          (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64))
        return g_strdup_printf ("\"%s\" must be an integer", name);
    }

  node = json_object_get_member (object, "stream");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node) &&
      (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN))
    return g_strdup ("\"stream\" must be a boolean");

  return NULL;
}

static gint64
count_prompt_tokens (JsonObject *request)
{
  JsonArray *messages = json_object_get_array_member (request, "messages");
  gsize chars = 0;

  for (guint i = 0; i < json_array_get_length (messages); i++)
    {
      JsonNode *content = json_object_get_member (json_array_get_object_element (messages, i),
                                                  "content");

      if (JSON_NODE_HOLDS_VALUE (content))
        chars += strlen (json_node_get_string (content));
    }
  return 8 + chars / 4;
}

static void
add_usage (JsonBuilder *b,
           gint64       prompt_tokens,
           gint64       completion_tokens)
{
  json_builder_set_member_name (b, "usage");
  json_builder_begin_object (b);
  add_int (b, "prompt_tokens", prompt_tokens);
  add_int (b, "completion_tokens", completion_tokens);
  add_int (b, "total_tokens", prompt_tokens + completion_tokens);
  json_builder_end_object (b);
}

static Answer *
chat_reply (const char *model,
            gint64      prompt_tokens)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *id = request_id ();
  g_autofree char *chat_id = g_strconcat ("chatcmpl-", id, NULL);

  json_builder_begin_object (b);
  add_string (b, "id", chat_id);
  add_string (b, "object", "chat.completion");
  add_int (b, "created", g_get_real_time () / G_USEC_PER_SEC);
  add_string (b, "model", model);
  json_builder_set_member_name (b, "choices");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  add_int (b, "index", 0);
  json_builder_set_member_name (b, "message");
  json_builder_begin_object (b);
  add_string (b, "role", "assistant");
  add_string (b, "content", "ok");
  json_builder_end_object (b);
  add_string (b, "finish_reason", "stop");
  json_builder_end_object (b);
  json_builder_end_array (b);
  add_usage (b, prompt_tokens, 1);
  json_builder_end_object (b);
  return answer_json (200, json_builder_get_root (b));
}

static void
append_chunk (GString    *out,
              const char *model,
              const char *content,
              gboolean    finish,
              gboolean    usage_only,
              gint64      prompt_tokens)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (b);
  add_string (b, "id", "chatcmpl-demo-stream");
  add_string (b, "object", "chat.completion.chunk");
  add_int (b, "created", g_get_real_time () / G_USEC_PER_SEC);
  add_string (b, "model", model);
  json_builder_set_member_name (b, "choices");
  json_builder_begin_array (b);
  if (!usage_only)
    {
      json_builder_begin_object (b);
      add_int (b, "index", 0);
      json_builder_set_member_name (b, "delta");
      json_builder_begin_object (b);
      if (content != NULL && *content == '\0')
        add_string (b, "role", "assistant");
      if (content != NULL)
        add_string (b, "content", content);
      json_builder_end_object (b);
      json_builder_set_member_name (b, "finish_reason");
      if (finish)
        json_builder_add_string_value (b, "stop");
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  if (usage_only)
    add_usage (b, prompt_tokens, 1);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  g_string_append_printf (out, "data: %s\n\n", text);
}

static Answer *
chat_stream (const char *model,
             gint64      prompt_tokens,
             gboolean    include_usage)
{
  GString *out = g_string_new (": new-api demo stream\n\n");

  append_chunk (out, model, "", FALSE, FALSE, 0);
  append_chunk (out, model, "o", FALSE, FALSE, 0);
  append_chunk (out, model, "k", FALSE, FALSE, 0);
  append_chunk (out, model, NULL, TRUE, FALSE, 0);
  if (include_usage)
    append_chunk (out, model, NULL, FALSE, TRUE, prompt_tokens);
  g_string_append (out, "data: [DONE]\n\n");

  return answer_new (200, "text/event-stream", g_string_free_to_bytes (out));
}

static gboolean
stream_includes_usage (JsonObject *request)
{
  JsonNode *options = json_object_get_member (request, "stream_options");
  JsonNode *include;

  if (options == NULL || !JSON_NODE_HOLDS_OBJECT (options))
    return TRUE;
  include = json_object_get_member (json_node_get_object (options), "include_usage");
  return include == NULL || !JSON_NODE_HOLDS_VALUE (include) || json_node_get_boolean (include);
}

static void
record_chat (CrTestGateway *self,
             guint          token,
             const char    *model,
             gint64         prompt_tokens,
             gboolean       is_stream)
{
  LogEntry *entry = g_new0 (LogEntry, 1);

  entry->id = ++self->next_log_id;
  entry->created_at = g_get_real_time () / G_USEC_PER_SEC;
  entry->token = token;
  entry->model = g_strdup (model);
  entry->prompt_tokens = prompt_tokens;
  entry->completion_tokens = 1;
  entry->quota = (prompt_tokens + 1) * 15;
  entry->is_stream = is_stream;
  entry->type = 2;
  entry->use_time = 1;
  g_ptr_array_add (self->logs, entry);

  self->used[token] += entry->quota;
  if (!demo_tokens[token].unlimited)
    self->remain[token] = MAX (0, self->remain[token] - entry->quota);
}

static void
record_error (CrTestGateway *self,
              guint          token,
              const char    *model,
              const char    *message,
              gboolean       is_stream)
{
  LogEntry *entry = g_new0 (LogEntry, 1);

  entry->id = ++self->next_log_id;
  entry->created_at = g_get_real_time () / G_USEC_PER_SEC;
  entry->token = token;
  entry->model = g_strdup (model);
  entry->is_stream = is_stream;
  entry->type = 5;
  entry->content = g_strdup (message);
  g_ptr_array_add (self->logs, entry);
}

/* Cursor 3.x's GPT-5 request: a Responses-API body ("input", no
 * "messages") sent to /chat/completions. */
static gboolean
is_responses_body (JsonNode *root)
{
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;

  return object != NULL && json_object_has_member (object, "input")
         && !json_object_has_member (object, "messages");
}

/* Stock new-api refuses it (and logs the error); a gateway that translates
 * it answers as it would a streamed chat. */
static Answer *
route_responses_body (CrTestGateway *self,
                      guint          token,
                      JsonObject    *request)
{
  const char *model = json_object_get_string_member_with_default (request, "model", "");
  gboolean stream = json_object_get_boolean_member_with_default (request, "stream", FALSE);

  self->responses_bodies++;
  if (self->mode != CR_TEST_MODE_RESPONSES_BODY_OK)
    {
      record_error (self, token, model, "field messages is required", stream);
      return answer_error (400, "field messages is required", "invalid_request_error", "invalid_request");
    }

  record_chat (self, token, model, 8, stream);
  return stream ? chat_stream (model, 8, TRUE) : chat_reply (model, 8);
}

static Answer *
route_chat (CrTestGateway     *self,
            SoupServerMessage *msg)
{
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *problem = NULL;
  g_autofree char *denial = NULL;
  JsonObject *request;
  const char *model;
  gboolean stream;
  gint64 prompt_tokens;
  Answer *denied;
  int token;

  if ((denied = relay_auth (msg, &token)))
    return denied;

  if (!json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL))
    return answer_error (400, "The request body is not valid JSON", "invalid_request_error", NULL);
  if (is_responses_body (json_parser_get_root (parser)))
    return route_responses_body (self, token, json_node_get_object (json_parser_get_root (parser)));
  if ((problem = validate_chat (json_parser_get_root (parser))))
    return answer_error (400, problem, "invalid_request_error", NULL);

  request = json_node_get_object (json_parser_get_root (parser));
  model = json_object_get_string_member (request, "model");
  if (!token_allows (token, model))
    {
      denial = wants_chinese (msg)
        ? g_strdup_printf ("该令牌无权访问模型 %s", model)
        : g_strdup_printf ("This token has no access to model %s", model);
      return answer_error (403, denial, "new_api_error", NULL);
    }

  if (self->mode == CR_TEST_MODE_MODEL_UNAVAILABLE || !in_catalog (model))
    {
      denial = g_strdup_printf ("No available channel for model %s under group default", model);
      return answer_error (503, denial, "new_api_error", "model_not_found");
    }

  stream = json_object_get_boolean_member_with_default (request, "stream", FALSE);
  prompt_tokens = count_prompt_tokens (request);
  record_chat (self, token, model, prompt_tokens, stream);

  if (stream)
    return chat_stream (model, prompt_tokens, stream_includes_usage (request));
  return chat_reply (model, prompt_tokens);
}

static Answer *
route_usage (CrTestGateway     *self,
             SoupServerMessage *msg)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_auto(GStrv) allowed = NULL;
  int token = find_token (msg);

  /* Read-only auth: exhausted and IP-locked tokens can still read this. */
  if (token < 0)
    return answer_api_failure (401, wants_chinese (msg) ? "无效的令牌" : "Invalid token");

  json_builder_begin_object (b);
  add_bool (b, "code", TRUE);
  add_string (b, "message", "ok");
  json_builder_set_member_name (b, "data");
  json_builder_begin_object (b);
  add_string (b, "object", "token_usage");
  add_string (b, "name", demo_tokens[token].name);
  add_int (b, "total_granted", self->remain[token] + self->used[token]);
  add_int (b, "total_used", self->used[token]);
  add_int (b, "total_available", self->remain[token]);
  add_bool (b, "unlimited_quota", demo_tokens[token].unlimited);
  json_builder_set_member_name (b, "model_limits");
  json_builder_begin_object (b);
  if (demo_tokens[token].allowlist != NULL)
    {
      allowed = g_strsplit (demo_tokens[token].allowlist, ",", -1);
      for (guint i = 0; allowed[i] != NULL; i++)
        add_bool (b, allowed[i], TRUE);
    }
  json_builder_end_object (b);
  add_bool (b, "model_limits_enabled", demo_tokens[token].allowlist != NULL);
  add_int (b, "expires_at", 0);
  json_builder_end_object (b);
  json_builder_end_object (b);
  return answer_json (200, json_builder_get_root (b));
}

static Answer *
route_logs (CrTestGateway     *self,
            SoupServerMessage *msg)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  int token = find_token (msg);

  if (token < 0)
    return answer_api_failure (401, wants_chinese (msg) ? "无效的令牌" : "Invalid token");

  json_builder_begin_object (b);
  add_bool (b, "success", TRUE);
  add_string (b, "message", "");
  json_builder_set_member_name (b, "data");
  json_builder_begin_array (b);
  for (guint i = self->logs->len; i > 0; i--)
    {
      LogEntry *entry = g_ptr_array_index (self->logs, i - 1);

      if (entry->token != (guint) token)
        continue;
      json_builder_begin_object (b);
      add_int (b, "id", entry->id);
      add_int (b, "created_at", entry->created_at);
      add_int (b, "type", entry->type);
      add_string (b, "content", entry->content != NULL ? entry->content : "");
      add_string (b, "token_name", demo_tokens[token].name);
      add_string (b, "model_name", entry->model);
      add_int (b, "quota", entry->quota);
      add_int (b, "prompt_tokens", entry->prompt_tokens);
      add_int (b, "completion_tokens", entry->completion_tokens);
      add_int (b, "use_time", entry->use_time);
      add_bool (b, "is_stream", entry->is_stream);
      add_string (b, "group", "default");
      add_string (b, "ip", "");
      add_string (b, "other", "{}");
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return answer_json (200, json_builder_get_root (b));
}

static gboolean
is_method (SoupServerMessage *msg,
           const char        *method)
{
  return strcmp (soup_server_message_get_method (msg), method) == 0;
}

/* GET /api/status: public, no auth. */
static Answer *
route_status (void)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  add_bool (b, "success", TRUE);
  add_string (b, "message", "");
  json_builder_set_member_name (b, "data");
  json_builder_begin_object (b);
  add_string (b, "system_name", "Crazyrouter");
  add_int (b, "quota_per_unit", 500000);
  add_bool (b, "display_in_currency", TRUE);
  json_builder_end_object (b);
  json_builder_end_object (b);
  return answer_json (200, json_builder_get_root (b));
}

/* new-api's "critical" limit, per client address: usage, logs and a
 * token's key share 20 requests in 20 minutes. Older versions answer 429
 * with an empty body, newer ones with a message; neither says Retry-After. */
static gboolean
is_critical_path (const char *path)
{
  return strcmp (path, "/api/usage/token/") == 0 || strcmp (path, "/api/log/token") == 0
         || (g_str_has_prefix (path, "/api/token/") && g_str_has_suffix (path, "/key"));
}

static Answer *
route_critical_limit (CrTestGateway *self,
                      const char    *path)
{
  gint64 now = g_get_monotonic_time ();
  guint recent = 0;

  if (!is_critical_path (path))
    return NULL;

  self->critical_count++;
  for (guint i = 0; i < self->critical_times->len; i++)
    if (now - g_array_index (self->critical_times, gint64, i) < 20 * 60 * G_USEC_PER_SEC)
      recent++;
  if (self->critical_limit == 0 || recent < self->critical_limit)
    {
      g_array_append_val (self->critical_times, now);
      return NULL;
    }

  if (!self->critical_message)
    return answer_new (429, NULL, NULL);
  return answer_api_failure (429, "You have reached the request limit: maximum 20 requests in 20 minutes");
}

/* new-api's router: /v1 and /api have their routes and a JSON 404; every
 * other path is the web app, 200 text/html. */
static Answer *
route_normal (CrTestGateway     *self,
              SoupServerMessage *msg,
              const char        *path)
{
  if (g_str_has_prefix (path, "/v1/") || strcmp (path, "/v1") == 0)
    {
      if (is_method (msg, "GET") && strcmp (path, "/v1/models") == 0)
        return route_models (msg);
      if (is_method (msg, "GET") && g_str_has_prefix (path, "/v1/models/") && path[11] != '\0')
        return route_model (msg, path + 11);
      if (is_method (msg, "POST") && strcmp (path, "/v1/chat/completions") == 0)
        return route_chat (self, msg);
      return answer_invalid_url (msg, path);
    }

  if (g_str_has_prefix (path, "/api/") || strcmp (path, "/api") == 0)
    {
      Answer *limited = route_critical_limit (self, path);

      if (limited != NULL)
        return limited;
      if (is_method (msg, "GET") && strcmp (path, "/api/status") == 0)
        return route_status ();
      if (is_method (msg, "GET") && strcmp (path, "/api/usage/token/") == 0)
        return route_usage (self, msg);
      if (is_method (msg, "GET") && strcmp (path, "/api/log/token") == 0 &&
          self->mode != CR_TEST_MODE_NO_LOGS)
        return route_logs (self, msg);
      return answer_invalid_url (msg, path);
    }

  return answer_index_page (200);
}

/* Valid JSON with the wrong types where our parsers look. */
static Answer *
wrong_shape (const char *path)
{
  if (strcmp (path, "/v1/models") == 0)
    return answer_text (200, "application/json",
                        "{\"success\":true,\"object\":\"list\",\"data\":{\"id\":\"gpt-5.4\",\"object\":\"model\"}}");
  if (strcmp (path, "/v1/chat/completions") == 0)
    return answer_text (200, "application/json",
                        "{\"id\":\"chatcmpl-x\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":42}}],"
                        "\"usage\":{\"prompt_tokens\":\"12\",\"completion_tokens\":\"1\"}}");
  if (strcmp (path, "/api/usage/token/") == 0)
    return answer_text (200, "application/json",
                        "{\"code\":true,\"message\":\"ok\",\"data\":{\"name\":\"cursor\",\"total_granted\":\"5000000\","
                        "\"total_used\":\"0\",\"total_available\":\"5000000\",\"unlimited_quota\":\"false\"}}");
  return answer_text (200, "application/json",
                      "{\"success\":true,\"message\":\"\",\"data\":{\"id\":\"1\",\"created_at\":\"yesterday\"}}");
}

/* Terminal escapes, markup, bidi overrides, controls, emoji, CJK; then
 * padding up to a megabyte. */
static const char hostile_start[] =
  "\x1b[31m<b>Bold</b> <a href=\"https://evil.example/\">click here</a> "
  "<span foreground=\"red\">&amp;</span> \u202Egnp.exe\u202C \u2066isolated\u2069 \u200F"
  "\x07\x08 line one\r\nline two\ttabbed \xf0\x9f\x98\x80 错误 ";

static Answer *
hostile_message (void)
{
  g_autoptr(GString) message = g_string_new (hostile_start);

  while (message->len < HOSTILE_SIZE)
    g_string_append (message, "AAAAAAAAAAAAAAAA");
  g_string_truncate (message, HOSTILE_SIZE);

  return answer_error (400, message->str, "new_api_error", "hostile");
}

static GBytes *
make_huge_body (void)
{
  GString *out = g_string_sized_new (HUGE_SIZE + 256);

  g_string_append (out, "{\"success\":true,\"object\":\"list\",\"data\":[");
  for (guint i = 0; out->len < HUGE_SIZE; i++)
    g_string_append_printf (out, "%s{\"id\":\"model-%08u\",\"object\":\"model\",\"owned_by\":\"padding\"}",
                            i ? "," : "", i);
  g_string_append (out, "]}");
  return g_string_free_to_bytes (out);
}

static Answer *
redirect_to (const char *scheme,
             const char *host,
             guint       port,
             const char *path,
             guint       status)
{
  Answer *answer = answer_text (status, "text/html; charset=utf-8", "<a href=\"\">Moved</a>\n");

  answer->location = g_strdup_printf ("%s://%s:%u%s", scheme, host, port, path);
  return answer;
}

static Answer *
route_fault (CrTestGateway     *self,
             SoupServerMessage *msg,
             const char        *path)
{
  Answer *answer;

  switch (self->mode)
    {
    case CR_TEST_MODE_HANG:
      answer = answer_new (0, NULL, NULL);
      answer->delivery = DELIVER_HANG;
      return answer;
    case CR_TEST_MODE_SLOW_HEADERS:
      answer = answer_new (0, NULL, NULL);
      answer->delivery = DELIVER_SLOW_HEADERS;
      return answer;
    case CR_TEST_MODE_ENDLESS:
      answer = answer_text (200, "application/json", "{\"success\":true,\"object\":\"list\",\"data\":[");
      answer->delivery = DELIVER_ENDLESS;
      return answer;
    case CR_TEST_MODE_GARBAGE:
      return answer_text (200, "application/json", "{\"success\": tru <<garbage>> \x01\xff{[}");
    case CR_TEST_MODE_HUGE:
      if (self->huge_body == NULL)
        self->huge_body = make_huge_body ();
      return answer_new (200, "application/json", g_bytes_ref (self->huge_body));
    case CR_TEST_MODE_SERVER_ERROR:
      return answer_error (500, "Internal server error", "new_api_error", "internal_error");
    case CR_TEST_MODE_BAD_GATEWAY_HTML:
      return answer_text (502, "text/html",
                          "<html><head><title>502 Bad Gateway</title></head><body>"
                          "<center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center>"
                          "</body></html>\n");
    case CR_TEST_MODE_RATE_LIMITED:
      answer = answer_error (429, "Rate limit exceeded, please try again later", "new_api_error",
                             "rate_limit_exceeded");
      answer->retry_after = "7";
      return answer;
    case CR_TEST_MODE_REDIRECT_HTTP:
      return redirect_to ("http", "127.0.0.1", self->target_port, path, 302);
    case CR_TEST_MODE_REDIRECT_HOST:
      return redirect_to (self->tls != CR_TEST_TLS_NONE ? "https" : "http", "localhost", self->port, path, 302);
    case CR_TEST_MODE_HOSTILE_MESSAGE:
      return hostile_message ();
    case CR_TEST_MODE_REDIRECT_SAME_ORIGIN:
      if (g_str_has_prefix (path, "/moved/"))
        return NULL;
      answer = answer_text (307, "text/plain", "Moved\n");
      answer->location = g_strconcat ("/moved", path, NULL);
      return answer;
    default:
      return NULL;
    }
}

static gboolean
is_redirect_target (CrTestGateway     *self,
                    SoupServerMessage *msg)
{
  GSocketAddress *local = soup_server_message_get_local_address (msg);
  GUri *uri = soup_server_message_get_uri (msg);

  if (G_IS_INET_SOCKET_ADDRESS (local) &&
      g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local)) == self->target_port)
    return TRUE;
  return g_ascii_strcasecmp (g_uri_get_host (uri), "localhost") == 0;
}

static Answer *
route (CrTestGateway     *self,
       SoupServerMessage *msg,
       const char        *path)
{
  Answer *answer = NULL;

  if (is_redirect_target (self, msg))
    {
      self->target_count++;
      if (soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization"))
        self->target_saw_auth = TRUE;
      return route_normal (self, msg, path);
    }

  if ((answer = route_fault (self, msg, path)))
    return answer;

  if (self->mode == CR_TEST_MODE_REDIRECT_SAME_ORIGIN && g_str_has_prefix (path, "/moved/"))
    path += strlen ("/moved");

  answer = route_normal (self, msg, path);
  if (answer->status == 200 && g_strcmp0 (answer->content_type, "application/json") == 0)
    {
      if (self->mode == CR_TEST_MODE_WRONG_SHAPE)
        {
          answer_free (answer);
          answer = wrong_shape (path);
        }
      else if (self->mode == CR_TEST_MODE_TRUNCATED)
        {
          GBytes *cut = g_bytes_new_from_bytes (answer->body, 0, g_bytes_get_size (answer->body) / 2);

          g_bytes_unref (answer->body);
          answer->body = cut;
        }
    }
  return answer;
}

/* new-api's CORS middleware (gin-contrib/cors: all origins, credentials,
 * headers "*") runs before every route: it answers any OPTIONS itself
 * (204), and marks every answer to a request with an Origin. Faults still
 * come first: they stand for the network or the server being down. */
static Answer *
route_cors (CrTestGateway     *self,
            SoupServerMessage *msg,
            const char        *path)
{
  SoupMessageHeaders *request = soup_server_message_get_request_headers (msg);
  const char *origin = soup_message_headers_get_one (request, "Origin");
  Answer *answer;

  if (self->mode == CR_TEST_MODE_NO_CORS || is_redirect_target (self, msg))
    return route (self, msg, path);
  if ((answer = route_fault (self, msg, path)))
    return answer;

  if (is_method (msg, "OPTIONS"))
    {
      answer = answer_new (204, NULL, NULL);
      answer->preflight = TRUE;
      if (self->mode == CR_TEST_MODE_CORS_LIST)
        answer->cors_headers = g_strdup (self->cors_headers != NULL ? self->cors_headers : "Content-Type");
      else
        answer->cors_headers = g_strdup ("*");
    }
  else
    answer = route (self, msg, path);

  if (origin != NULL)
    answer->cors_origin = g_strdup (self->cors_origin != NULL ? self->cors_origin : "*");
  return answer;
}

static void
apply_answer (SoupServerMessage *msg,
              Answer            *answer)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  /* libsoup 3.2 has no phrase for 429. */
  soup_server_message_set_status (msg, answer->status,
                                  answer->status == 429 ? "Too Many Requests" : NULL);
  if (answer->content_type != NULL)
    soup_message_headers_replace (headers, "Content-Type", answer->content_type);
  if (answer->location != NULL)
    soup_message_headers_replace (headers, "Location", answer->location);
  if (answer->retry_after != NULL)
    soup_message_headers_replace (headers, "Retry-After", answer->retry_after);
  /* Exactly what stock new-api sends, Allow-Credentials included. */
  if (answer->cors_origin != NULL)
    {
      soup_message_headers_replace (headers, "Access-Control-Allow-Origin", answer->cors_origin);
      soup_message_headers_replace (headers, "Access-Control-Allow-Credentials", "true");
    }
  if (answer->preflight)
    {
      soup_message_headers_replace (headers, "Access-Control-Allow-Methods", "GET,POST,PUT,DELETE,OPTIONS");
      if (answer->cors_headers != NULL)
        soup_message_headers_replace (headers, "Access-Control-Allow-Headers", answer->cors_headers);
      soup_message_headers_replace (headers, "Access-Control-Max-Age", "43200");
    }
  if (answer->delivery == DELIVER_ENDLESS)
    soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  if (answer->body != NULL)
    soup_message_body_append_bytes (soup_server_message_get_response_body (msg), answer->body);
}

static void
pending_free (Pending *pending)
{
  if (pending->source != NULL)
    {
      g_source_destroy (pending->source);
      g_source_unref (pending->source);
    }
  if (pending->finished_id != 0)
    g_signal_handler_disconnect (pending->msg, pending->finished_id);
  if (pending->stolen != NULL)
    g_io_stream_close (pending->stolen, NULL, NULL);
  g_clear_object (&pending->stolen);
  g_clear_object (&pending->msg);
  answer_free (pending->answer);
  g_free (pending);
}

static void
pending_done (Pending *pending)
{
  pending->self->pending = g_list_remove (pending->self->pending, pending);
  pending_free (pending);
}

static void
on_pending_finished (SoupServerMessage *msg,
                     Pending           *pending)
{
  pending_done (pending);
}

static Pending *
pending_new (CrTestGateway     *self,
             SoupServerMessage *msg,
             Answer            *answer)
{
  Pending *pending = g_new0 (Pending, 1);

  pending->self = self;
  pending->answer = answer;
  if (msg != NULL)
    {
      pending->msg = g_object_ref (msg);
      pending->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (on_pending_finished), pending);
    }
  self->pending = g_list_prepend (self->pending, pending);
  return pending;
}

static void
pending_schedule (Pending     *pending,
                  guint        interval_ms,
                  GSourceFunc  func)
{
  pending->source = g_timeout_source_new (interval_ms);
  g_source_set_callback (pending->source, func, pending, NULL);
  g_source_attach (pending->source, pending->self->context);
}

static gboolean
on_endless_tick (gpointer user_data)
{
  Pending *pending = user_data;
  g_autofree char *chunk = g_strdup_printf ("%s{\"id\":\"endless-%u\",\"object\":\"model\"}",
                                            pending->ticks ? "," : "", pending->ticks);

  pending->ticks++;
  soup_message_body_append (soup_server_message_get_response_body (pending->msg),
                            SOUP_MEMORY_COPY, chunk, strlen (chunk));
  soup_server_message_unpause (pending->msg);
  return G_SOURCE_CONTINUE;
}

static void
on_trickled (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  /* A client that went away ends the trickle at the next tick. */
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL))
    g_output_stream_close (G_OUTPUT_STREAM (source), NULL, NULL);
}

static gboolean
on_slow_tick (gpointer user_data)
{
  static const char header[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Slow: ";
  Pending *pending = user_data;
  GOutputStream *out = g_io_stream_get_output_stream (pending->stolen);
  const char *byte = pending->ticks < sizeof header - 1 ? header + pending->ticks : "a";

  if (g_output_stream_is_closed (out) || g_output_stream_has_pending (out))
    {
      if (g_output_stream_is_closed (out))
        {
          g_clear_pointer (&pending->source, g_source_unref);
          pending_done (pending);
          return G_SOURCE_REMOVE;
        }
      return G_SOURCE_CONTINUE;
    }

  pending->ticks++;
  g_output_stream_write_all_async (out, byte, 1, G_PRIORITY_DEFAULT, NULL, on_trickled, NULL);
  return G_SOURCE_CONTINUE;
}

static void
deliver (CrTestGateway     *self,
         SoupServerMessage *msg,
         Answer            *answer,
         gboolean           paused)
{
  Pending *pending;

  switch (answer->delivery)
    {
    case DELIVER_SLOW_HEADERS:
      pending = pending_new (self, NULL, answer);
      pending->stolen = soup_server_message_steal_connection (msg);
      pending_schedule (pending, SLOW_TICK_MS, on_slow_tick);
      return;

    case DELIVER_ENDLESS:
      apply_answer (msg, answer);
      pending = pending_new (self, msg, answer);
      pending_schedule (pending, ENDLESS_TICK_MS, on_endless_tick);
      break;

    default:
      apply_answer (msg, answer);
      answer_free (answer);
      break;
    }

  if (paused)
    soup_server_message_unpause (msg);
}

static gboolean
on_latency_over (gpointer user_data)
{
  Pending *pending = user_data;
  CrTestGateway *self = pending->self;
  g_autoptr(SoupServerMessage) msg = g_object_ref (pending->msg);
  Answer *answer = g_steal_pointer (&pending->answer);

  g_clear_pointer (&pending->source, g_source_unref);
  pending_done (pending);
  deliver (self, msg, answer, TRUE);
  return G_SOURCE_REMOVE;
}

static void
on_request_finished (SoupServerMessage *msg,
                     CrTestGateway     *self)
{
  self->in_flight--;
}

static void
record_request (CrTestGateway     *self,
                SoupServerMessage *msg,
                const char        *path)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  GHashTable *counts = is_method (msg, "OPTIONS") ? self->preflight_counts : self->path_counts;
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (counts, path));

  self->request_count++;
  g_hash_table_replace (counts, g_strdup (path), GUINT_TO_POINTER (count + 1));

  self->in_flight++;
  self->max_in_flight = MAX (self->max_in_flight, self->in_flight);
  g_signal_connect_object (msg, "finished", G_CALLBACK (on_request_finished), self, 0);

  g_clear_pointer (&self->last_headers, soup_message_headers_unref);
  self->last_headers = soup_message_headers_ref (soup_server_message_get_request_headers (msg));
  if (body->length > 0)
    {
      g_clear_pointer (&self->last_body, g_bytes_unref);
      self->last_body = soup_message_body_flatten (body);
    }
}

static void
handle_request (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  CrTestGateway *self = user_data;
  Answer *answer;
  Pending *pending;

  record_request (self, msg, path);
  answer = route_cors (self, msg, path);

  if (answer->delivery == DELIVER_HANG)
    {
      soup_server_message_pause (msg);
      pending_new (self, msg, answer);
      return;
    }

  if (self->latency_ms == 0 || answer->delivery == DELIVER_SLOW_HEADERS)
    {
      deliver (self, msg, answer, FALSE);
      return;
    }

  soup_server_message_pause (msg);
  pending = pending_new (self, msg, answer);
  pending_schedule (pending, self->latency_ms, on_latency_over);
}

static void
later_log_free (LaterLog *later)
{
  if (later->source != NULL)
    {
      g_source_destroy (later->source);
      g_source_unref (later->source);
    }
  g_free (later->model);
  g_free (later);
}

/* What Cursor's request leaves in the logs: a streamed chat with a long
 * prompt (Cursor sends context), or the error it met. */
static gboolean
on_later_log (gpointer data)
{
  LaterLog *later = data;
  CrTestGateway *self = later->self;
  g_autofree char *denial = NULL;
  LogEntry *entry;

  switch (later->kind)
    {
    case CR_TEST_LOG_CURSOR_CHAT:
      entry = g_new0 (LogEntry, 1);
      entry->id = ++self->next_log_id;
      entry->created_at = g_get_real_time () / G_USEC_PER_SEC;
      entry->token = later->token;
      entry->model = g_strdup (later->model);
      entry->prompt_tokens = 2350;
      entry->completion_tokens = 180;
      entry->quota = 6100;
      entry->is_stream = TRUE;
      entry->type = 2;
      entry->use_time = 4;
      g_ptr_array_add (self->logs, entry);
      break;
    case CR_TEST_LOG_CURSOR_SHAPE_ERROR:
      record_error (self, later->token, later->model, "field messages is required", TRUE);
      break;
    case CR_TEST_LOG_CURSOR_ERROR:
    default:
      denial = g_strdup_printf ("This token has no access to model %s", later->model);
      record_error (self, later->token, later->model, denial, TRUE);
      break;
    }

  g_clear_pointer (&later->source, g_source_unref);
  self->later_logs = g_list_remove (self->later_logs, later);
  later_log_free (later);
  return G_SOURCE_REMOVE;
}

void
cr_test_gateway_add_log_later (CrTestGateway *self,
                               const char    *key,
                               guint          delay_ms,
                               CrTestLogKind  kind,
                               const char    *model)
{
  LaterLog *later;
  int token;

  g_return_if_fail (CR_IS_TEST_GATEWAY (self));
  g_return_if_fail (key != NULL && model != NULL);
  token = token_for_key (key);
  g_return_if_fail (token >= 0);

  later = g_new0 (LaterLog, 1);
  later->self = self;
  later->token = token;
  later->kind = kind;
  later->model = g_strdup (model);
  later->source = g_timeout_source_new (delay_ms);
  g_source_set_callback (later->source, on_later_log, later, NULL);
  g_source_attach (later->source, self->context);
  self->later_logs = g_list_prepend (self->later_logs, later);
}

void
cr_test_gateway_set_critical_limit (CrTestGateway *self,
                                    guint          max_requests,
                                    gboolean       with_message)
{
  g_return_if_fail (CR_IS_TEST_GATEWAY (self));
  self->critical_limit = max_requests;
  self->critical_message = with_message;
}

guint
cr_test_gateway_count_responses_bodies (CrTestGateway *self)
{
  g_return_val_if_fail (CR_IS_TEST_GATEWAY (self), 0);
  return self->responses_bodies;
}

guint
cr_test_gateway_get_critical_count (CrTestGateway *self)
{
  g_return_val_if_fail (CR_IS_TEST_GATEWAY (self), 0);
  return self->critical_count;
}

static void
cr_test_gateway_dispose (GObject *object)
{
  CrTestGateway *self = CR_TEST_GATEWAY (object);

  g_list_free_full (g_steal_pointer (&self->later_logs), (GDestroyNotify) later_log_free);
  g_list_free_full (g_steal_pointer (&self->pending), (GDestroyNotify) pending_free);
  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);

  G_OBJECT_CLASS (cr_test_gateway_parent_class)->dispose (object);
}

static void
cr_test_gateway_finalize (GObject *object)
{
  CrTestGateway *self = CR_TEST_GATEWAY (object);

  if (self->tmpdir != NULL)
    {
      g_autoptr(GDir) dir = NULL;
      const char *name;

      /* The key, the certificate, and what openssl ca leaves beside them. */
      dir = g_dir_open (self->tmpdir, 0, NULL);
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *file = g_build_filename (self->tmpdir, name, NULL);

          g_remove (file);
        }
      g_rmdir (self->tmpdir);
    }

  g_clear_pointer (&self->tmpdir, g_free);
  g_clear_pointer (&self->cert_path, g_free);
  g_clear_pointer (&self->key_path, g_free);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->root_url, g_free);
  g_clear_pointer (&self->cors_origin, g_free);
  g_clear_pointer (&self->cors_headers, g_free);
  g_clear_object (&self->database);
  g_clear_pointer (&self->path_counts, g_hash_table_unref);
  g_clear_pointer (&self->preflight_counts, g_hash_table_unref);
  g_clear_pointer (&self->last_headers, soup_message_headers_unref);
  g_clear_pointer (&self->last_body, g_bytes_unref);
  g_clear_pointer (&self->logs, g_ptr_array_unref);
  g_clear_pointer (&self->critical_times, g_array_unref);
  g_clear_pointer (&self->huge_body, g_bytes_unref);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (cr_test_gateway_parent_class)->finalize (object);
}

static void
cr_test_gateway_class_init (CrTestGatewayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cr_test_gateway_dispose;
  object_class->finalize = cr_test_gateway_finalize;
}

static void
cr_test_gateway_init (CrTestGateway *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->path_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->preflight_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->logs = g_ptr_array_new_with_free_func ((GDestroyNotify) log_entry_free);
  self->critical_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->critical_limit = 20;
  for (guint i = 0; i < N_TOKENS; i++)
    {
      self->used[i] = demo_tokens[i].used;
      self->remain[i] = demo_tokens[i].remain;
    }
}

static gboolean
run_openssl (const char * const  *argv,
             GError             **error)
{
  g_autofree char *output = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                     NULL, NULL, NULL, &output, &status, error))
    return FALSE;
  if (!g_spawn_check_wait_status (status, error))
    {
      g_prefix_error (error, "openssl %s: %s: ", argv[1], output ? output : "");
      return FALSE;
    }
  return TRUE;
}

/* A self-signed certificate with dates in the past, which `openssl req`
 * (3.0) cannot write: sign the request with `openssl ca -selfsign`. */
static gboolean
make_expired_certificate (CrTestGateway  *self,
                          GError        **error)
{
  g_autofree char *csr = g_build_filename (self->tmpdir, "request.csr", NULL);
  g_autofree char *config = g_build_filename (self->tmpdir, "ca.cnf", NULL);
  g_autofree char *index = g_build_filename (self->tmpdir, "index.txt", NULL);
  g_autofree char *serial = g_build_filename (self->tmpdir, "serial", NULL);
  g_autofree char *text = g_strdup_printf ("[ ca ]\ndefault_ca = expired\n"
                                           "[ expired ]\ndatabase = %s\nserial = %s\nnew_certs_dir = %s\n"
                                           "default_md = sha256\npolicy = any\nunique_subject = no\n"
                                           "[ any ]\ncommonName = supplied\n"
                                           "[ ext ]\nbasicConstraints = critical,CA:TRUE\n"
                                           "subjectAltName = IP:127.0.0.1\n",
                                           index, serial, self->tmpdir);
  const char *request[] = { "openssl", "req", "-new", "-newkey", "rsa:2048", "-nodes",
                            "-subj", "/CN=127.0.0.1", "-keyout", self->key_path, "-out", csr, NULL };
  const char *sign[] = { "openssl", "ca", "-batch", "-config", config, "-selfsign",
                         "-keyfile", self->key_path, "-in", csr, "-out", self->cert_path,
                         "-startdate", "20200101000000Z", "-enddate", "20200102000000Z",
                         "-extensions", "ext", "-notext", NULL };

  return g_file_set_contents (config, text, -1, error) &&
         g_file_set_contents (index, "", 0, error) &&
         g_file_set_contents (serial, "01\n", -1, error) &&
         run_openssl (request, error) &&
         run_openssl (sign, error);
}

static gboolean
make_certificate (CrTestGateway  *self,
                  GError        **error)
{
  gboolean wrong_name = self->tls == CR_TEST_TLS_WRONG_NAME;
  const char *argv[] = { "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                         "-subj", wrong_name ? "/CN=wrong.example" : "/CN=127.0.0.1",
                         "-addext", wrong_name ? "subjectAltName=DNS:wrong.example" : "subjectAltName=IP:127.0.0.1",
                         "-keyout", NULL, "-out", NULL, NULL };

  self->tmpdir = g_dir_make_tmp ("cr-test-gateway-XXXXXX", error);
  if (self->tmpdir == NULL)
    return FALSE;
  self->cert_path = g_build_filename (self->tmpdir, "cert.pem", NULL);
  self->key_path = g_build_filename (self->tmpdir, "key.pem", NULL);

  if (self->tls == CR_TEST_TLS_EXPIRED)
    {
      if (!make_expired_certificate (self, error))
        return FALSE;
    }
  else
    {
      argv[13] = self->key_path;
      argv[15] = self->cert_path;
      if (!run_openssl (argv, error))
        return FALSE;
    }

  self->database = g_tls_file_database_new (self->cert_path, error);
  return self->database != NULL;
}

static guint
find_port (SoupServer *server,
           guint       not_this)
{
  GSList *uris = soup_server_get_uris (server);
  guint port = 0;

  for (GSList *l = uris; l != NULL; l = l->next)
    if ((guint) g_uri_get_port (l->data) != not_this)
      port = g_uri_get_port (l->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return port;
}

static gboolean
start_server (CrTestGateway  *self,
              guint           port,
              GError        **error)
{
  g_autoptr(GTlsCertificate) certificate = NULL;
  SoupServerListenOptions options = SOUP_SERVER_LISTEN_IPV4_ONLY;
  const char *scheme = "http";

  if (self->tls != CR_TEST_TLS_NONE)
    {
      if (!make_certificate (self, error))
        return FALSE;
      certificate = g_tls_certificate_new_from_files (self->cert_path, self->key_path, error);
      if (certificate == NULL)
        return FALSE;
      options |= SOUP_SERVER_LISTEN_HTTPS;
      scheme = "https";
    }

  self->server = soup_server_new ("server-header", "crazyrouter-test-gateway ",
                                  "tls-certificate", certificate,
                                  NULL);
  soup_server_add_handler (self->server, NULL, handle_request, self, NULL);

  if (!soup_server_listen_local (self->server, port, options, error))
    return FALSE;
  self->port = find_port (self->server, 0);

  /* A second, plain-http port: where REDIRECT_HTTP points. */
  if (!soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, error))
    return FALSE;
  self->target_port = find_port (self->server, self->port);

  self->root_url = g_strdup_printf ("%s://127.0.0.1:%u", scheme, self->port);
  self->base_url = g_strconcat (self->root_url, "/v1", NULL);
  return TRUE;
}

CrTestGateway *
cr_test_gateway_new_full (CrTestTls   tls,
                          guint       port,
                          GError    **error)
{
  g_autoptr(CrTestGateway) self = g_object_new (CR_TYPE_TEST_GATEWAY, NULL);

  self->tls = tls;
  if (!start_server (self, port, error))
    return NULL;
  return g_steal_pointer (&self);
}

CrTestGateway *
cr_test_gateway_new (gboolean   tls,
                     guint      port,
                     GError   **error)
{
  return cr_test_gateway_new_full (tls ? CR_TEST_TLS_VALID : CR_TEST_TLS_NONE, port, error);
}

const char *
cr_test_gateway_get_base_url (CrTestGateway *self)
{
  g_return_val_if_fail (CR_IS_TEST_GATEWAY (self), NULL);
  return self->base_url;
}

const char *
cr_test_gateway_get_root_url (CrTestGateway *self)
{
  g_return_val_if_fail (CR_IS_TEST_GATEWAY (self), NULL);
  return self->root_url;
}

GTlsDatabase *
cr_test_gateway_get_tls_database (CrTestGateway *self)
{
  g_return_val_if_fail (CR_IS_TEST_GATEWAY (self), NULL);
  return self->database;
}

const char *
cr_test_gateway_get_certificate_path (CrTestGateway *self)
{
  g_return_val_if_fail (CR_IS_TEST_GATEWAY (self), NULL);
  return self->cert_path;
}

void
cr_test_gateway_set_mode (CrTestGateway *self,
                          CrTestMode     mode)
{
  g_return_if_fail (CR_IS_TEST_GATEWAY (self));
  self->mode = mode;
}

void
cr_test_gateway_set_cors (CrTestGateway *self,
                          const char    *allow_origin,
                          const char    *allow_headers)
{
  g_return_if_fail (CR_IS_TEST_GATEWAY (self));

  g_free (self->cors_origin);
  self->cors_origin = g_strdup (allow_origin);
  g_free (self->cors_headers);
  self->cors_headers = g_strdup (allow_headers);
}

void
cr_test_gateway_set_latency (CrTestGateway *self,
                             guint          milliseconds)
{
  g_return_if_fail (CR_IS_TEST_GATEWAY (self));
  self->latency_ms = milliseconds;
}

guint
cr_test_gateway_get_request_count (CrTestGateway *self)
{
  g_return_val_if_fail (CR_IS_TEST_GATEWAY (self), 0);
  return self->request_count;
}

guint
cr_test_gateway_get_max_in_flight (CrTestGateway *self)
{
  g_return_val_if_fail (CR_IS_TEST_GATEWAY (self), 0);
  return self->max_in_flight;
}

guint
cr_test_gateway_count_path (CrTestGateway *self,
                            const char    *path)
{
  g_return_val_if_fail (CR_IS_TEST_GATEWAY (self), 0);
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->path_counts, path));
}

guint
cr_test_gateway_count_preflights (CrTestGateway *self,
                                  const char    *path)
{
  g_return_val_if_fail (CR_IS_TEST_GATEWAY (self), 0);
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->preflight_counts, path));
}

const char *
cr_test_gateway_get_last_header (CrTestGateway *self,
                                 const char    *name)
{
  g_return_val_if_fail (CR_IS_TEST_GATEWAY (self), NULL);
  if (self->last_headers == NULL)
    return NULL;
  return soup_message_headers_get_one (self->last_headers, name);
}

GBytes *
cr_test_gateway_get_last_body (CrTestGateway *self)
{
  g_return_val_if_fail (CR_IS_TEST_GATEWAY (self), NULL);
  return self->last_body;
}

guint
cr_test_gateway_get_redirect_target_count (CrTestGateway *self)
{
  g_return_val_if_fail (CR_IS_TEST_GATEWAY (self), 0);
  return self->target_count;
}

gboolean
cr_test_gateway_get_redirect_target_saw_auth (CrTestGateway *self)
{
  g_return_val_if_fail (CR_IS_TEST_GATEWAY (self), FALSE);
  return self->target_saw_auth;
}
