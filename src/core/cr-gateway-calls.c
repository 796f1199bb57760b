/* cr-gateway-calls.c: each call the gateway client makes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>

#include "cr-endpoint.h"
#include "cr-gateway-private.h"

static GBytes *
builder_to_bytes (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  char *data;
  gsize len;

  json_generator_set_root (generator, root);
  data = json_generator_to_data (generator, &len);
  return g_bytes_new_take (data, len);
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

void
cr_gateway_list_models_async (CrGateway           *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (CR_IS_GATEWAY (self));

  _cr_gateway_start_request (self, REQUEST_MODELS, "GET",
                             cr_endpoint_join (cr_gateway_get_base_url (self), "/models"), NULL, NULL,
                             cancellable, callback, user_data, cr_gateway_list_models_async);
}

GPtrArray *
cr_gateway_list_models_finish (CrGateway     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return _cr_gateway_finish_pointer (self, result, cr_gateway_list_models_async, error);
}

/* @member: [{"role": "user", "content": one short question}] */
static void
add_question (JsonBuilder *builder,
              const char  *member)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  add_string (builder, "role", "user");
  add_string (builder, "content", "Reply with the single word: ok");
  json_builder_end_object (builder);
  json_builder_end_array (builder);
}

/* The smallest request valid against CreateChatCompletionRequest. */
static GBytes *
build_chat_body (const char *model)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_string (builder, "model", model);
  add_question (builder, "messages");
  json_builder_set_member_name (builder, "max_completion_tokens");
  json_builder_add_int_value (builder, 16);
  json_builder_set_member_name (builder, "stream");
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_end_object (builder);

  return builder_to_bytes (builder);
}

/* POST {base}/chat/completions with @body (owned), on record as ours. */
static void
start_chat (CrGateway           *self,
            RequestKind          kind,
            const char          *model,
            GBytes              *body,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data,
            gpointer             source_tag)
{
  Request *req = g_new0 (Request, 1);

  /* Neither our check nor our try of Cursor's format is streamed. */
  _cr_gateway_note_sent (self, req, model, FALSE);
  _cr_gateway_start_request (self, kind, "POST",
                             cr_endpoint_join (cr_gateway_get_base_url (self), "/chat/completions"),
                             body, req, cancellable, callback, user_data, source_tag);
}

void
cr_gateway_chat_async (CrGateway           *self,
                       const char          *model,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_return_if_fail (CR_IS_GATEWAY (self));
  g_return_if_fail (model != NULL);

  start_chat (self, REQUEST_CHAT, model, build_chat_body (model), cancellable, callback, user_data,
              cr_gateway_chat_async);
}

CrChatResult *
cr_gateway_chat_finish (CrGateway     *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  return _cr_gateway_finish_pointer (self, result, cr_gateway_chat_async, error);
}

/* Cursor 3.x's GPT-5 request, as reported by its users: a Responses-API
 * body (input, reasoning, text, include, store; no messages) sent to
 * /chat/completions. Cursor streams it; ours does not, because a gateway
 * refuses or takes the body before streaming matters, and a request that is
 * not streamed is never taken for Cursor's in the token's logs (by another
 * run, which does not know we sent it). */
static GBytes *
build_responses_body (const char *model)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  add_string (builder, "model", model);
  add_question (builder, "input");
  json_builder_set_member_name (builder, "stream");
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_set_member_name (builder, "reasoning");
  json_builder_begin_object (builder);
  add_string (builder, "effort", "low");
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "text");
  json_builder_begin_object (builder);
  add_string (builder, "verbosity", "low");
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "include");
  json_builder_begin_array (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "store");
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_set_member_name (builder, "max_output_tokens");
  json_builder_add_int_value (builder, 16);
  json_builder_end_object (builder);

  return builder_to_bytes (builder);
}

void
cr_gateway_cursor_shape_async (CrGateway           *self,
                               const char          *model,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (CR_IS_GATEWAY (self));
  g_return_if_fail (model != NULL);

  start_chat (self, REQUEST_SHAPE, model, build_responses_body (model), cancellable, callback, user_data,
              cr_gateway_cursor_shape_async);
}

CrChatResult *
cr_gateway_cursor_shape_finish (CrGateway     *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return _cr_gateway_finish_pointer (self, result, cr_gateway_cursor_shape_async, error);
}

void
cr_gateway_preflight_async (CrGateway           *self,
                            const char          *path,
                            const char          *origin,
                            const char          *method,
                            const char          *request_headers,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  Request *req;

  g_return_if_fail (CR_IS_GATEWAY (self));
  g_return_if_fail (path != NULL && path[0] == '/');
  g_return_if_fail (origin != NULL);
  g_return_if_fail (method != NULL);
  g_return_if_fail (request_headers != NULL);

  req = g_new0 (Request, 1);
  req->cors_origin = g_strdup (origin);
  req->cors_method = g_strdup (method);
  req->cors_headers = g_strdup (request_headers);

  _cr_gateway_start_request (self, REQUEST_PREFLIGHT, "OPTIONS",
                             cr_endpoint_join (cr_gateway_get_base_url (self), path), NULL, req,
                             cancellable, callback, user_data, cr_gateway_preflight_async);
}

CrPreflight *
cr_gateway_preflight_finish (CrGateway     *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return _cr_gateway_finish_pointer (self, result, cr_gateway_preflight_async, error);
}

void
cr_gateway_token_usage_async (CrGateway           *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (CR_IS_GATEWAY (self));

  _cr_gateway_start_request (self, REQUEST_USAGE, "GET",
                             cr_endpoint_api_url (cr_gateway_get_base_url (self), "/api/usage/token/"),
                             NULL, NULL, cancellable, callback, user_data, cr_gateway_token_usage_async);
}

CrTokenUsage *
cr_gateway_token_usage_finish (CrGateway     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return _cr_gateway_finish_pointer (self, result, cr_gateway_token_usage_async, error);
}

void
cr_gateway_token_logs_async (CrGateway           *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (CR_IS_GATEWAY (self));

  _cr_gateway_start_request (self, REQUEST_LOGS, "GET",
                             cr_endpoint_api_url (cr_gateway_get_base_url (self), "/api/log/token"),
                             NULL, NULL, cancellable, callback, user_data, cr_gateway_token_logs_async);
}

GPtrArray *
cr_gateway_token_logs_finish (CrGateway     *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return _cr_gateway_finish_pointer (self, result, cr_gateway_token_logs_async, error);
}

void
cr_gateway_quota_per_unit_async (CrGateway           *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (CR_IS_GATEWAY (self));

  _cr_gateway_start_request (self, REQUEST_STATUS, "GET",
                             cr_endpoint_api_url (cr_gateway_get_base_url (self), "/api/status"),
                             NULL, NULL, cancellable, callback, user_data, cr_gateway_quota_per_unit_async);
}

gint64
cr_gateway_quota_per_unit_finish (CrGateway     *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_autofree gint64 *value = _cr_gateway_finish_pointer (self, result, cr_gateway_quota_per_unit_async, error);

  return value != NULL ? *value : -1;
}
