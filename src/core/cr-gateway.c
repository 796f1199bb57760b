/* cr-gateway.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
/* memmem() */
#define _GNU_SOURCE
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "cr-endpoint.h"
#include "cr-gateway-private.h"
#include "cr-key.h"

#define MAX_REDIRECTS 5
#define READ_CHUNK    (64 * 1024)


G_DEFINE_FINAL_TYPE (CrGateway, cr_gateway, G_TYPE_OBJECT)

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
  if (req->sent != NULL && req->sent->settled_at == 0)
    req->sent->settled_at = g_get_real_time () / G_USEC_PER_SEC;
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
  g_clear_pointer (&self->sent, g_ptr_array_unref);
  g_queue_clear_full (&self->trace, g_free);
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
  /* Accept-Language from the person's languages, as libsoup puts them:
   * new-api answers in the first it knows. */
  self->session = soup_session_new_with_options ("user-agent", "crazyrouter-setup/" PACKAGE_VERSION,
                                                 "max-conns-per-host", 6,
                                                 "accept-language-auto", TRUE,
                                                 NULL);
  _cr_gateway_attach_trace (self);
  self->timeout_ms = CR_GATEWAY_DEFAULT_TIMEOUT * 1000;
  self->max_body = CR_GATEWAY_DEFAULT_MAX_BODY;
  self->sent = g_ptr_array_new_with_free_func ((GDestroyNotify) cr_sent_request_free);
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
cr_gateway_set_language (CrGateway  *self,
                         const char *language)
{
  g_return_if_fail (CR_IS_GATEWAY (self));

  g_free (self->language);
  self->language = language != NULL && *language != '\0' ? g_strdup (language) : NULL;
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

/* Scheme, host and port: the only place the key may go. A redirect from
 * https to http, or from a loopback http gateway to anywhere else, fails
 * this too. */
static gboolean
same_origin (GUri *a,
             GUri *b)
{
  return g_ascii_strcasecmp (g_uri_get_scheme (a), g_uri_get_scheme (b)) == 0 &&
         g_ascii_strcasecmp (g_uri_get_host (a), g_uri_get_host (b)) == 0 &&
         cr_endpoint_effective_port (a) == cr_endpoint_effective_port (b);
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
  Request *req = g_task_get_task_data (task);

  if (req->sent != NULL)
    req->sent->outcome = CR_SENT_FAILED;
  _cr_gateway_trace_done (g_task_get_source_object (task), req, 0, error->message);
  request_settle (req);
  g_task_return_error (task, error);
  g_object_unref (task);
}

/* Why the certificate was refused, in words, as libsoup keeps it: the
 * first reason, in the order a person can act on. */
static const char *
certificate_problem (GTlsCertificateFlags flags)
{
  if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
    return _("the certificate is for another name than this address");
  if (flags & G_TLS_CERTIFICATE_EXPIRED)
    return _("the certificate has expired");
  if (flags & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    return _("the certificate is not valid yet: check this computer’s date and time");
  if (flags & G_TLS_CERTIFICATE_UNKNOWN_CA)
    return _("the certificate is not from an authority this computer trusts");
  if (flags & G_TLS_CERTIFICATE_REVOKED)
    return _("the certificate has been revoked");
  if (flags & G_TLS_CERTIFICATE_INSECURE)
    return _("the certificate uses an insecure algorithm");
  return NULL;
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
    return_error (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The request was cancelled.")));
  else if (req->timed_out)
    return_error (task, cr_gateway_error_new (CR_GATEWAY_ERROR_TIMEOUT, 0, NULL, 0));
  else if (owned->domain == G_TLS_ERROR && req->message != NULL
           && certificate_problem (soup_message_get_tls_peer_certificate_errors (req->message)) != NULL)
    return_error (task, cr_gateway_error_new_detail (CR_GATEWAY_ERROR_TLS, 0, NULL, 0,
                                                     certificate_problem (
                                                       soup_message_get_tls_peer_certificate_errors (req->message))));
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

      /* An empty body has no data at all, which memmem() must not get. */
      if (len < 4 || body->len < len)
        continue;
      while ((hit = memmem (body->data, body->len, secrets[i], len)) != NULL)
        memset (hit, '*', len);
    }
}

static gboolean
is_event_stream (const char *content_type)
{
  return content_type != NULL && g_ascii_strcasecmp (content_type, "text/event-stream") == 0;
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
    case REQUEST_SHAPE:
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

    case REQUEST_STATUS:
      {
        gint64 quota_per_unit = cr_parse_quota_per_unit (body, error);

        if (quota_per_unit >= 0)
          result = g_memdup2 (&quota_per_unit, sizeof quota_per_unit);
        free_func = g_free;
      }
      break;

    default:
      g_assert_not_reached ();
    }

  if (result == NULL)
    return;

  if (req->sent != NULL)
    req->sent->outcome = CR_SENT_ANSWERED;
  _cr_gateway_trace_done (g_task_get_source_object (task), req, soup_message_get_status (req->message), NULL);
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

  _cr_gateway_trace_done (g_task_get_source_object (task), req, preflight->status, NULL);
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

  if (SOUP_STATUS_IS_SUCCESSFUL (status) && !cr_gateway_content_is_html (content_type))
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
  if (self->language != NULL)
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
      /* The public status page needs no key, so it does not get it. */
      if (req->kind != REQUEST_STATUS)
        soup_message_headers_replace (headers, "Authorization", self->authorization);
      soup_message_headers_replace (headers, "Accept", "application/json");
    }
  if (req->request_body != NULL)
    soup_message_set_request_body_from_bytes (req->message, "application/json", req->request_body);

  soup_session_send_async (self->session, req->message, G_PRIORITY_DEFAULT,
                           req->cancellable, on_sent, task);
}

void
_cr_gateway_start_request (CrGateway           *self,
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

gpointer
_cr_gateway_finish_pointer (CrGateway     *self,
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
cr_sent_request_free (CrSentRequest *request)
{
  if (request == NULL)
    return;
  g_free (request->model);
  g_free (request);
}

void
_cr_gateway_note_sent (CrGateway  *self,
                       Request    *req,
                       const char *model,
                       gboolean    streamed)
{
  CrSentRequest *sent = g_new0 (CrSentRequest, 1);

  sent->sent_at = g_get_real_time () / G_USEC_PER_SEC;
  sent->model = g_strdup (model);
  sent->streamed = streamed;
  g_ptr_array_add (self->sent, sent);
  req->sent = sent;
}

GPtrArray *
cr_gateway_get_sent_requests (CrGateway *self)
{
  g_return_val_if_fail (CR_IS_GATEWAY (self), NULL);

  return self->sent;
}
