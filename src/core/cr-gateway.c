/* cr-gateway.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "cr-endpoint.h"
#include "cr-gateway.h"

#define MAX_REDIRECTS 5
#define READ_CHUNK    (64 * 1024)

struct _CrGateway
{
  GObject       parent_instance;

  SoupSession  *session;
  char         *base_url;
  char         *key;
  char         *authorization;
  char         *language;
  guint         timeout_ms;
  gsize         max_body;
};

G_DEFINE_FINAL_TYPE (CrGateway, cr_gateway, G_TYPE_OBJECT)

typedef enum {
  REQUEST_MODELS,
  REQUEST_CHAT,
  REQUEST_USAGE,
  REQUEST_LOGS,
  REQUEST_PREFLIGHT,
} RequestKind;

typedef struct {
  RequestKind   kind;
  const char   *method;
  GUri         *origin;
  GUri         *uri;
  GBytes       *request_body;
  SoupMessage  *message;
  GInputStream *stream;
  GByteArray   *body;
  gboolean      over_limit;
  GCancellable *cancellable;     /* ours: cancelled by the deadline or the caller */
  GCancellable *caller;
  gulong        caller_handler;
  GSource      *deadline;
  gboolean      timed_out;
  guint         redirects;
  gint64        started;
  /* REQUEST_PREFLIGHT: what the browser would ask for */
  char         *cors_origin;
  char         *cors_method;
  char         *cors_headers;
} Request;

static void
wipe_string (char **str)
{
  if (*str != NULL)
    {
      explicit_bzero (*str, strlen (*str));
      g_clear_pointer (str, g_free);
    }
}

/* Stops the clock and lets go of the caller's cancellable: the answer is in. */
static void
request_settle (Request *req)
{
  if (req->deadline != NULL)
    {
      g_source_destroy (req->deadline);
      g_clear_pointer (&req->deadline, g_source_unref);
    }
  if (req->caller_handler != 0)
    {
      g_cancellable_disconnect (req->caller, req->caller_handler);
      req->caller_handler = 0;
    }
}

static void
request_free (Request *req)
{
  request_settle (req);
  /* Closing an unfinished body does not read the rest: libsoup drops the
   * connection instead. */
  g_clear_object (&req->stream);
  g_clear_object (&req->message);
  g_clear_pointer (&req->origin, g_uri_unref);
  g_clear_pointer (&req->uri, g_uri_unref);
  g_clear_pointer (&req->request_body, g_bytes_unref);
  g_clear_pointer (&req->body, g_byte_array_unref);
  g_clear_object (&req->cancellable);
  g_clear_object (&req->caller);
  g_free (req->cors_origin);
  g_free (req->cors_method);
  g_free (req->cors_headers);
  g_free (req);
}

static void
cr_gateway_finalize (GObject *object)
{
  CrGateway *self = CR_GATEWAY (object);

  g_clear_object (&self->session);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->language, g_free);
  wipe_string (&self->key);
  wipe_string (&self->authorization);

  G_OBJECT_CLASS (cr_gateway_parent_class)->finalize (object);
}

static void
cr_gateway_class_init (CrGatewayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cr_gateway_finalize;
}

static void
cr_gateway_init (CrGateway *self)
{
  self->session = soup_session_new_with_options ("user-agent", "crazyrouter-setup/" PACKAGE_VERSION,
                                                 "max-conns-per-host", 6,
                                                 NULL);
  self->timeout_ms = CR_GATEWAY_DEFAULT_TIMEOUT * 1000;
  self->max_body = CR_GATEWAY_DEFAULT_MAX_BODY;
  self->language = cr_gateway_language_from_locale (g_get_language_names ()[0]);
}

CrGateway *
cr_gateway_new (const char *base_url,
                const char *key)
{
  CrGateway *self;

  g_return_val_if_fail (base_url != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  self = g_object_new (CR_TYPE_GATEWAY, NULL);
  self->base_url = g_strdup (base_url);
  self->key = g_strdup (key);
  self->authorization = g_strconcat ("Bearer ", key, NULL);
  return self;
}

const char *
cr_gateway_get_base_url (CrGateway *self)
{
  g_return_val_if_fail (CR_IS_GATEWAY (self), NULL);

  return self->base_url;
}

void
cr_gateway_set_timeout (CrGateway *self,
                        guint      seconds)
{
  g_return_if_fail (CR_IS_GATEWAY (self));

  self->timeout_ms = (seconds ? MIN (seconds, 3600) : CR_GATEWAY_DEFAULT_TIMEOUT) * 1000;
}

void
cr_gateway_set_max_body (CrGateway *self,
                         gsize      max_bytes)
{
  g_return_if_fail (CR_IS_GATEWAY (self));

  self->max_body = max_bytes ? MIN (max_bytes, G_MAXSIZE - 1) : CR_GATEWAY_DEFAULT_MAX_BODY;
}

void
cr_gateway_set_language (CrGateway  *self,
                         const char *language)
{
  g_return_if_fail (CR_IS_GATEWAY (self));

  g_free (self->language);
  self->language = (language && *language)
    ? g_strdup (language)
    : cr_gateway_language_from_locale (g_get_language_names ()[0]);
}

void
cr_gateway_set_tls_database (CrGateway    *self,
                             GTlsDatabase *database)
{
  g_return_if_fail (CR_IS_GATEWAY (self));
  g_return_if_fail (database == NULL || G_IS_TLS_DATABASE (database));

  /* NULL means the system's again, never "no verification". */
  if (database == NULL)
    {
      g_autoptr(GTlsDatabase) system = g_tls_backend_get_default_database (g_tls_backend_get_default ());

      soup_session_set_tls_database (self->session, system);
      return;
    }

  soup_session_set_tls_database (self->session, database);
}

char *
cr_gateway_language_from_locale (const char *locale)
{
  g_autofree char *language = NULL;

  if (locale == NULL)
    return g_strdup ("en");

  language = g_strndup (locale, strcspn (locale, ".@"));
  if (*language == '\0' || strcmp (language, "C") == 0 || strcmp (language, "POSIX") == 0)
    return g_strdup ("en");

  /* A header value: only what a language tag may hold. */
  for (char *p = language; *p != '\0'; p++)
    {
      if (*p == '_')
        *p = '-';
      else if (!g_ascii_isalnum (*p) && *p != '-')
        return g_strdup ("en");
    }

  return g_steal_pointer (&language);
}

static guint
effective_port (GUri *uri)
{
  int port = g_uri_get_port (uri);

  if (port > 0)
    return port;
  return g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80;
}

/* Scheme, host and port: the only place the key may go. A redirect from
 * https to http, or from a loopback http gateway to anywhere else, fails
 * this too. */
static gboolean
same_origin (GUri *a,
             GUri *b)
{
  return g_ascii_strcasecmp (g_uri_get_scheme (a), g_uri_get_scheme (b)) == 0 &&
         g_ascii_strcasecmp (g_uri_get_host (a), g_uri_get_host (b)) == 0 &&
         effective_port (a) == effective_port (b);
}

/* Keys travel encrypted, or not off this computer. */
static gboolean
may_carry_key (GUri *uri)
{
  const char *scheme = g_uri_get_scheme (uri);

  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;
  return g_ascii_strcasecmp (scheme, "http") == 0 &&
         cr_endpoint_is_loopback_host (g_uri_get_host (uri));
}

static void
return_error (GTask  *task,
              GError *error)
{
  request_settle (g_task_get_task_data (task));
  g_task_return_error (task, error);
  g_object_unref (task);
}

/* The caller's Cancel wins over our deadline; both win over whatever the
 * interrupted I/O said. */
static void
return_transport_error (GTask  *task,
                        GError *error)
{
  Request *req = g_task_get_task_data (task);
  g_autoptr(GError) owned = error;

  if (req->caller != NULL && g_cancellable_is_cancelled (req->caller))
    return_error (task, cr_gateway_error_new (CR_GATEWAY_ERROR_CANCELLED, 0, NULL, 0));
  else if (req->timed_out)
    return_error (task, cr_gateway_error_new (CR_GATEWAY_ERROR_TIMEOUT, 0, NULL, 0));
  else
    return_error (task, cr_gateway_error_from_transport (owned));
}

static gboolean
on_deadline (gpointer user_data)
{
  Request *req = user_data;

  req->timed_out = TRUE;
  g_cancellable_cancel (req->cancellable);
  g_clear_pointer (&req->deadline, g_source_unref);
  return G_SOURCE_REMOVE;
}

static void
on_caller_cancelled (GCancellable *caller,
                     GCancellable *ours)
{
  g_cancellable_cancel (ours);
}

static void send_message (GTask *task);

static void
on_closed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_input_stream_close_finish (G_INPUT_STREAM (source), result, NULL);
}

static guint8 *
find_bytes (guint8     *haystack,
            gsize       haystack_len,
            const char *needle,
            gsize       needle_len)
{
  for (gsize i = 0; needle_len > 0 && i + needle_len <= haystack_len; i++)
    if (haystack[i] == (guint8) needle[0] && memcmp (haystack + i, needle, needle_len) == 0)
      return haystack + i;
  return NULL;
}

/* A key in the answer (an echoing server) must not reach an error message. */
static void
redact_key (CrGateway  *self,
            GByteArray *body)
{
  const char *secrets[] = { self->key, g_str_has_prefix (self->key, "sk-") ? self->key + 3 : NULL };

  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    {
      gsize len = secrets[i] ? strlen (secrets[i]) : 0;
      guint8 *hit;

      if (len < 4)
        continue;
      while ((hit = find_bytes (body->data, body->len, secrets[i], len)) != NULL)
        memset (hit, '*', len);
    }
}

static gboolean
is_event_stream (const char *content_type)
{
  return content_type != NULL && g_ascii_strcasecmp (content_type, "text/event-stream") == 0;
}

static gboolean
is_html (const char *content_type)
{
  return content_type != NULL &&
         (g_ascii_strcasecmp (content_type, "text/html") == 0 ||
          g_ascii_strcasecmp (content_type, "application/xhtml+xml") == 0);
}

static void
return_parsed (GTask   *task,
               GBytes  *body,
               GError **error)
{
  Request *req = g_task_get_task_data (task);
  SoupMessageHeaders *headers = soup_message_get_response_headers (req->message);
  const char *content_type = soup_message_headers_get_content_type (headers, NULL);
  gpointer result = NULL;
  GDestroyNotify free_func = NULL;

  switch (req->kind)
    {
    case REQUEST_MODELS:
      result = cr_parse_models (body, error);
      free_func = (GDestroyNotify) g_ptr_array_unref;
      break;

    case REQUEST_CHAT:
      if (is_event_stream (content_type))
        result = cr_parse_chat_stream (body, error);
      else
        result = cr_parse_chat (body, error);
      if (result != NULL)
        ((CrChatResult *) result)->latency_ms =
          MAX (1, (g_get_monotonic_time () - req->started + 999) / 1000);
      free_func = (GDestroyNotify) cr_chat_result_free;
      break;

    case REQUEST_USAGE:
      result = cr_parse_token_usage (body, error);
      free_func = (GDestroyNotify) cr_token_usage_free;
      break;

    case REQUEST_LOGS:
      result = cr_parse_token_logs (body, error);
      free_func = (GDestroyNotify) g_ptr_array_unref;
      break;

    default:
      g_assert_not_reached ();
    }

  if (result == NULL)
    return;

  request_settle (req);
  g_task_return_pointer (task, result, free_func);
  g_object_unref (task);
}

static char *
header_dup (SoupMessageHeaders *headers,
            const char         *name)
{
  const char *value = soup_message_headers_get_list (headers, name);

  return value != NULL ? g_strstrip (g_strdup (value)) : NULL;
}

static void
return_preflight (GTask *task)
{
  Request *req = g_task_get_task_data (task);
  SoupMessageHeaders *headers = soup_message_get_response_headers (req->message);
  CrPreflight *preflight = g_new0 (CrPreflight, 1);

  preflight->status = soup_message_get_status (req->message);
  preflight->allow_origin = header_dup (headers, "Access-Control-Allow-Origin");
  preflight->allow_methods = header_dup (headers, "Access-Control-Allow-Methods");
  preflight->allow_headers = header_dup (headers, "Access-Control-Allow-Headers");

  request_settle (req);
  g_task_return_pointer (task, preflight, (GDestroyNotify) cr_preflight_free);
  g_object_unref (task);
}

static void
finish_exchange (GTask *task)
{
  Request *req = g_task_get_task_data (task);
  CrGateway *self = g_task_get_source_object (task);
  SoupMessageHeaders *headers = soup_message_get_response_headers (req->message);
  const char *content_type = soup_message_headers_get_content_type (headers, NULL);
  guint status = soup_message_get_status (req->message);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  g_input_stream_close_async (req->stream, G_PRIORITY_DEFAULT, NULL, on_closed, NULL);

  /* A preflight's verdict is in its status and headers, whatever they are. */
  if (req->kind == REQUEST_PREFLIGHT)
    {
      return_preflight (task);
      return;
    }

  redact_key (self, req->body);
  body = g_byte_array_free_to_bytes (g_steal_pointer (&req->body));

  if (SOUP_STATUS_IS_SUCCESSFUL (status) && !is_html (content_type))
    {
      if (req->over_limit)
        {
          return_error (task, cr_gateway_error_new (CR_GATEWAY_ERROR_TOO_LARGE, status, NULL, 0));
          return;
        }

      return_parsed (task, body, &error);
      if (error != NULL)
        return_error (task, g_steal_pointer (&error));
      return;
    }

  /* An oversized error page still has a status worth reporting. */
  return_error (task, cr_gateway_error_from_http (status, content_type,
                                                  req->over_limit ? NULL : body,
                                                  soup_message_headers_get_one (headers, "Retry-After")));
}

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  Request *req = g_task_get_task_data (task);
  CrGateway *self = g_task_get_source_object (task);
  g_autoptr(GBytes) chunk = NULL;
  GError *error = NULL;
  gsize room;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (chunk == NULL)
    {
      return_transport_error (task, error);
      return;
    }

  if (g_bytes_get_size (chunk) == 0)
    {
      finish_exchange (task);
      return;
    }

  g_byte_array_append (req->body, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  if (req->body->len > self->max_body)
    {
      /* Stop reading; the rest is dropped with the connection. */
      g_byte_array_set_size (req->body, self->max_body);
      req->over_limit = TRUE;
      finish_exchange (task);
      return;
    }

  room = self->max_body + 1 - req->body->len;
  g_input_stream_read_bytes_async (req->stream, MIN (room, READ_CHUNK), G_PRIORITY_DEFAULT,
                                   req->cancellable, on_read, task);
}

static gboolean
is_redirect (guint status)
{
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

static void
follow_redirect (GTask *task)
{
  Request *req = g_task_get_task_data (task);
  guint status = soup_message_get_status (req->message);
  const char *location;
  g_autoptr(GUri) target = NULL;

  location = soup_message_headers_get_one (soup_message_get_response_headers (req->message),
                                           "Location");
  if (location != NULL)
    target = g_uri_parse_relative (req->uri, location, SOUP_HTTP_URI_FLAGS, NULL);

  if (target == NULL || g_uri_get_host (target) == NULL)
    {
      return_error (task, cr_gateway_error_new_detail (CR_GATEWAY_ERROR_HTTP, status, NULL, 0,
                                                       _("the redirect has no usable address")));
      return;
    }

  if (!same_origin (req->origin, target) || !may_carry_key (target))
    {
      return_error (task, cr_gateway_error_new (CR_GATEWAY_ERROR_INSECURE_REDIRECT, status, NULL, 0));
      return;
    }

  if (++req->redirects > MAX_REDIRECTS)
    {
      return_error (task, cr_gateway_error_new_detail (CR_GATEWAY_ERROR_HTTP, status, NULL, 0,
                                                       _("too many redirects")));
      return;
    }

  /* What browsers and libsoup do: 303, and 301/302 after a POST, become GET. */
  if (status == 303 || ((status == 301 || status == 302) && strcmp (req->method, "POST") == 0))
    {
      req->method = "GET";
      g_clear_pointer (&req->request_body, g_bytes_unref);
    }

  g_input_stream_close_async (req->stream, G_PRIORITY_DEFAULT, NULL, on_closed, NULL);
  g_clear_object (&req->stream);
  g_clear_object (&req->message);
  g_uri_unref (req->uri);
  req->uri = g_steal_pointer (&target);
  send_message (task);
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  Request *req = g_task_get_task_data (task);
  CrGateway *self = g_task_get_source_object (task);
  GError *error = NULL;

  req->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (req->stream == NULL)
    {
      return_transport_error (task, error);
      return;
    }

  if (is_redirect (soup_message_get_status (req->message)) && req->kind != REQUEST_PREFLIGHT)
    {
      follow_redirect (task);
      return;
    }

  req->body = g_byte_array_new ();
  g_input_stream_read_bytes_async (req->stream, MIN (self->max_body + 1, READ_CHUNK),
                                   G_PRIORITY_DEFAULT, req->cancellable, on_read, task);
}

static void
send_message (GTask *task)
{
  Request *req = g_task_get_task_data (task);
  CrGateway *self = g_task_get_source_object (task);
  SoupMessageHeaders *headers;

  req->message = soup_message_new_from_uri (req->method, req->uri);
  /* We follow redirects ourselves, so the key never leaves the origin. */
  soup_message_add_flags (req->message, SOUP_MESSAGE_NO_REDIRECT);

  headers = soup_message_get_request_headers (req->message);
  soup_message_headers_replace (headers, "Accept-Language", self->language);
  if (req->kind == REQUEST_PREFLIGHT)
    {
      /* A browser's preflight carries no credentials. */
      soup_message_headers_replace (headers, "Accept", "*/*");
      soup_message_headers_replace (headers, "Origin", req->cors_origin);
      soup_message_headers_replace (headers, "Access-Control-Request-Method", req->cors_method);
      soup_message_headers_replace (headers, "Access-Control-Request-Headers", req->cors_headers);
    }
  else
    {
      soup_message_headers_replace (headers, "Authorization", self->authorization);
      soup_message_headers_replace (headers, "Accept", "application/json");
    }
  if (req->request_body != NULL)
    soup_message_set_request_body_from_bytes (req->message, "application/json", req->request_body);

  soup_session_send_async (self->session, req->message, G_PRIORITY_DEFAULT,
                           req->cancellable, on_sent, task);
}

static void
start_request_full (CrGateway           *self,
                    RequestKind          kind,
                    const char          *method,
                    char                *url,
                    GBytes              *request_body,
                    Request             *req,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data,
                    gpointer             source_tag)
{
  g_autofree char *owned_url = url;
  GTask *task;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  /* We report our own CANCELLED, in our domain. */
  g_task_set_check_cancellable (task, FALSE);

  if (req == NULL)
    req = g_new0 (Request, 1);
  req->kind = kind;
  req->method = method;
  req->request_body = request_body;
  req->cancellable = g_cancellable_new ();
  req->caller = cancellable ? g_object_ref (cancellable) : NULL;
  req->started = g_get_monotonic_time ();
  g_task_set_task_data (task, req, (GDestroyNotify) request_free);

  if (owned_url != NULL)
    req->uri = g_uri_parse (owned_url, SOUP_HTTP_URI_FLAGS, NULL);
  if (req->uri == NULL || g_uri_get_host (req->uri) == NULL || *g_uri_get_host (req->uri) == '\0')
    {
      return_error (task, cr_gateway_error_new_detail (CR_GATEWAY_ERROR_WRONG_BASE_URL, 0, NULL, 0,
                                                       _("the base URL is not a valid web address")));
      return;
    }
  if (!may_carry_key (req->uri))
    {
      return_error (task, cr_gateway_error_new_detail (CR_GATEWAY_ERROR_WRONG_BASE_URL, 0, NULL, 0,
                                                       _("the key is only sent over https, or to this computer")));
      return;
    }
  req->origin = g_uri_ref (req->uri);

  req->deadline = g_timeout_source_new (self->timeout_ms);
  g_source_set_callback (req->deadline, on_deadline, req, NULL);
  g_source_set_static_name (req->deadline, "[cr-gateway] deadline");
  g_source_attach (req->deadline, g_task_get_context (task));

  if (cancellable != NULL)
    req->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (on_caller_cancelled),
                                                 g_object_ref (req->cancellable), g_object_unref);

  send_message (task);
}

static void
start_request (CrGateway           *self,
               RequestKind          kind,
               const char          *method,
               char                *url,
               GBytes              *request_body,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data,
               gpointer             source_tag)
{
  start_request_full (self, kind, method, url, request_body, NULL,
                      cancellable, callback, user_data, source_tag);
}

static gpointer
finish_pointer (CrGateway     *self,
                GAsyncResult  *result,
                gpointer       source_tag,
                GError       **error)
{
  g_return_val_if_fail (CR_IS_GATEWAY (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
cr_gateway_list_models_async (CrGateway           *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (CR_IS_GATEWAY (self));

  start_request (self, REQUEST_MODELS, "GET", cr_endpoint_join (self->base_url, "/models"), NULL,
                 cancellable, callback, user_data, cr_gateway_list_models_async);
}

GPtrArray *
cr_gateway_list_models_finish (CrGateway     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return finish_pointer (self, result, cr_gateway_list_models_async, error);
}

/* The smallest request valid against CreateChatCompletionRequest. */
static GBytes *
build_chat_body (const char *model)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  char *data;
  gsize len;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, model);
  json_builder_set_member_name (builder, "messages");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, "user");
  json_builder_set_member_name (builder, "content");
  json_builder_add_string_value (builder, "Reply with the single word: ok");
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "max_completion_tokens");
  json_builder_add_int_value (builder, 16);
  json_builder_set_member_name (builder, "stream");
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  data = json_generator_to_data (generator, &len);
  return g_bytes_new_take (data, len);
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

  start_request (self, REQUEST_CHAT, "POST", cr_endpoint_join (self->base_url, "/chat/completions"),
                 build_chat_body (model), cancellable, callback, user_data, cr_gateway_chat_async);
}

CrChatResult *
cr_gateway_chat_finish (CrGateway     *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  return finish_pointer (self, result, cr_gateway_chat_async, error);
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

  start_request_full (self, REQUEST_PREFLIGHT, "OPTIONS",
                      cr_endpoint_join (self->base_url, path), NULL, req,
                      cancellable, callback, user_data, cr_gateway_preflight_async);
}

CrPreflight *
cr_gateway_preflight_finish (CrGateway     *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return finish_pointer (self, result, cr_gateway_preflight_async, error);
}

void
cr_gateway_token_usage_async (CrGateway           *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (CR_IS_GATEWAY (self));

  start_request (self, REQUEST_USAGE, "GET", cr_endpoint_api_url (self->base_url, "/api/usage/token/"),
                 NULL, cancellable, callback, user_data, cr_gateway_token_usage_async);
}

CrTokenUsage *
cr_gateway_token_usage_finish (CrGateway     *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return finish_pointer (self, result, cr_gateway_token_usage_async, error);
}

void
cr_gateway_token_logs_async (CrGateway           *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (CR_IS_GATEWAY (self));

  start_request (self, REQUEST_LOGS, "GET", cr_endpoint_api_url (self->base_url, "/api/log/token"),
                 NULL, cancellable, callback, user_data, cr_gateway_token_logs_async);
}

GPtrArray *
cr_gateway_token_logs_finish (CrGateway     *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return finish_pointer (self, result, cr_gateway_token_logs_async, error);
}

/* ---- CORS preflights ---------------------------------------------------- */

void
cr_preflight_free (CrPreflight *preflight)
{
  if (preflight == NULL)
    return;

  g_free (preflight->allow_origin);
  g_free (preflight->allow_methods);
  g_free (preflight->allow_headers);
  g_free (preflight);
}

/* Is @name, or "*", in the comma-separated @list (case-insensitive)? */
static gboolean
list_allows (const char *list,
             const char *name)
{
  g_auto(GStrv) items = NULL;

  if (list == NULL)
    return FALSE;

  items = g_strsplit (list, ",", -1);
  for (guint i = 0; items[i] != NULL; i++)
    {
      const char *item = g_strstrip (items[i]);

      if (g_ascii_strcasecmp (item, name) == 0 || strcmp (item, "*") == 0)
        return TRUE;
    }

  return FALSE;
}

static gboolean
method_is_safelisted (const char *method)
{
  return strcmp (method, "GET") == 0 || strcmp (method, "HEAD") == 0 || strcmp (method, "POST") == 0;
}

CrPreflightVerdict
cr_preflight_judge (const CrPreflight *preflight,
                    const char        *origin,
                    const char        *method,
                    const char        *request_headers,
                    char             **missing)
{
  g_auto(GStrv) wanted = NULL;

  g_return_val_if_fail (preflight != NULL, CR_PREFLIGHT_BAD_STATUS);
  g_return_val_if_fail (origin != NULL && method != NULL && request_headers != NULL,
                        CR_PREFLIGHT_BAD_STATUS);

  if (missing != NULL)
    *missing = NULL;

  /* A browser never follows a preflight's redirect: only 2xx allows. */
  if (preflight->status < 200 || preflight->status > 299)
    return CR_PREFLIGHT_BAD_STATUS;

  /* One value, compared byte for byte: two values ("*, x") allow nothing. */
  if (preflight->allow_origin == NULL
      || (strcmp (preflight->allow_origin, origin) != 0 && strcmp (preflight->allow_origin, "*") != 0))
    return CR_PREFLIGHT_NO_ORIGIN;

  /* Chromium lets a safelisted method (GET, POST) through whatever
   * Allow-Methods says; only other methods must be listed. */
  if (!method_is_safelisted (method) && !list_allows (preflight->allow_methods, method))
    return CR_PREFLIGHT_NO_METHOD;

  wanted = g_strsplit (request_headers, ",", -1);
  for (guint i = 0; wanted[i] != NULL; i++)
    {
      const char *header = g_strstrip (wanted[i]);

      if (*header == '\0' || list_allows (preflight->allow_headers, header))
        continue;

      if (missing != NULL)
        *missing = g_ascii_strdown (header, -1);
      return CR_PREFLIGHT_NO_HEADERS;
    }

  return CR_PREFLIGHT_ALLOWED;
}
