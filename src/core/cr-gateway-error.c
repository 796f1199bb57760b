/* cr-gateway-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "cr-gateway-error.h"
#include "cr-text.h"

/* A Retry-After longer than a day is nonsense; do not tell anyone to wait for it. */
#define RETRY_AFTER_MAX (24 * 60 * 60)

typedef struct {
  char  *server_message;
  guint  status;
  guint  retry_after;
  char  *fix;             /* only when it depends on the error, e.g. Retry-After */
} CrGatewayErrorPrivate;

static void
cr_gateway_error_private_init (CrGatewayErrorPrivate *priv)
{
}

static void
cr_gateway_error_private_copy (const CrGatewayErrorPrivate *src,
                               CrGatewayErrorPrivate       *dest)
{
  /* The macro's lookup can return NULL in theory; -Wnull-dereference knows. */
  if (src == NULL || dest == NULL)
    return;

  dest->server_message = g_strdup (src->server_message);
  dest->status = src->status;
  dest->retry_after = src->retry_after;
  dest->fix = g_strdup (src->fix);
}

static void
cr_gateway_error_private_clear (CrGatewayErrorPrivate *priv)
{
  if (priv == NULL)
    return;

  g_clear_pointer (&priv->server_message, g_free);
  g_clear_pointer (&priv->fix, g_free);
}

G_DEFINE_EXTENDED_ERROR (CrGatewayError, cr_gateway_error)

typedef struct {
  const char *summary;
  const char *cause;
  const char *fix;
} CodeText;

/* Facts from the provider guide's "Common Errors And Fixes", in our words. */
static const CodeText code_texts[] = {
  [CR_GATEWAY_ERROR_UNAUTHORIZED] = {
    N_("The gateway did not accept the key"),
    N_("The key is invalid, expired, disabled or used up, or it was pasted with extra characters."),
    N_("Create a new token in Crazyrouter and paste its raw value (it starts with sk-) again."),
  },
  [CR_GATEWAY_ERROR_MODEL_NOT_ALLOWED] = {
    N_("This key may not use that model"),
    N_("The model is not in the token's model allowlist."),
    N_("Allow that model in the token's settings in Crazyrouter, or choose a model the token already allows."),
  },
  [CR_GATEWAY_ERROR_IP_NOT_ALLOWED] = {
    N_("This key may not be used from this network"),
    N_("The token has an IP restriction, and this computer's public address is not on its list."),
    N_("Remove the token's IP restriction in Crazyrouter: Cursor calls Crazyrouter from its own servers, whose addresses are neither fixed nor published."),
  },
  [CR_GATEWAY_ERROR_QUOTA] = {
    N_("Not enough quota left"),
    N_("The token's quota cap or the account balance is too low for this request."),
    N_("Raise the token's quota cap in Crazyrouter, or top up the account balance."),
  },
  [CR_GATEWAY_ERROR_FORBIDDEN] = {
    N_("The gateway refused the request"),
    N_("The gateway does not allow this request with this token."),
    N_("Check the token's settings in Crazyrouter (model allowlist, IP restriction, quota cap) and read the gateway's own message."),
  },
  [CR_GATEWAY_ERROR_WRONG_BASE_URL] = {
    N_("The base URL does not lead to the gateway's API"),
    N_("The base URL points at the website or at a full endpoint path instead of the API."),
    N_("Use exactly https://crazyrouter.com/v1: not the root domain, and not a full path such as …/v1/chat/completions."),
  },
  [CR_GATEWAY_ERROR_RATE_LIMITED] = {
    N_("Too many requests"),
    N_("Too many requests were sent in a short time."),
    N_("Wait a moment, then try again."),
  },
  [CR_GATEWAY_ERROR_MODEL_UNAVAILABLE] = {
    N_("No provider serves this model right now"),
    N_("The gateway has no working channel for this model at the moment."),
    N_("Try again later, or choose another model the token allows."),
  },
  [CR_GATEWAY_ERROR_SERVER] = {
    N_("The gateway had a problem"),
    N_("The gateway, or a provider behind it, failed to handle the request. This is not a problem with your setup."),
    N_("Try again in a few minutes."),
  },
  [CR_GATEWAY_ERROR_HTTP] = {
    N_("The gateway gave an unexpected answer"),
    N_("The gateway answered with a status this assistant does not expect."),
    N_("Check the base URL and try again; the gateway's own message may say more."),
  },
  [CR_GATEWAY_ERROR_TLS] = {
    N_("The secure connection could not be verified"),
    N_("The server's certificate could not be verified, so the connection was not trusted. This check is never bypassed."),
    N_("Check that this computer's date and time are right. A network filter, proxy or captive portal that intercepts connections can also cause this."),
  },
  [CR_GATEWAY_ERROR_DNS] = {
    N_("The gateway's host name could not be found"),
    N_("The host name in the base URL does not resolve."),
    N_("Check the spelling of the base URL and your internet connection."),
  },
  [CR_GATEWAY_ERROR_CONNECTION_REFUSED] = {
    N_("The connection was refused"),
    N_("Nothing accepts connections at that address and port."),
    N_("Check the base URL. For a gateway on this computer, make sure it is running."),
  },
  [CR_GATEWAY_ERROR_NETWORK] = {
    N_("Could not reach the gateway"),
    N_("The network connection failed."),
    N_("Check your internet connection, VPN or proxy, then try again."),
  },
  [CR_GATEWAY_ERROR_TIMEOUT] = {
    N_("The gateway took too long to answer"),
    N_("No complete answer arrived in time."),
    N_("Check your connection and try again. If it keeps happening, the gateway may be overloaded."),
  },
  [CR_GATEWAY_ERROR_MALFORMED] = {
    N_("The answer was not in the gateway's format"),
    N_("The answer was not the JSON the gateway sends, so the address probably points at something that is not the gateway."),
    N_("Check that the base URL is exactly https://crazyrouter.com/v1."),
  },
  [CR_GATEWAY_ERROR_TOO_LARGE] = {
    N_("The answer was too large"),
    N_("The answer was far larger than anything the gateway sends, so the address probably points at something that is not the gateway."),
    N_("Check that the base URL is exactly https://crazyrouter.com/v1."),
  },
  [CR_GATEWAY_ERROR_INSECURE_REDIRECT] = {
    N_("The server tried to redirect the request elsewhere"),
    N_("Following the redirect would have sent the key to another address or over an unencrypted connection, so it was not followed."),
    N_("Use the gateway's own address directly: https://crazyrouter.com/v1."),
  },
};

static const CodeText *
code_text (CrGatewayError code)
{
  if ((guint) code >= G_N_ELEMENTS (code_texts))
    code = CR_GATEWAY_ERROR_HTTP;
  return &code_texts[code];
}

const char *
cr_gateway_error_code_cause (CrGatewayError code)
{
  return _(code_text (code)->cause);
}

const char *
cr_gateway_error_code_fix (CrGatewayError code)
{
  return _(code_text (code)->fix);
}

static CrGatewayErrorPrivate *
get_private (const GError *error)
{
  if (error == NULL || error->domain != CR_GATEWAY_ERROR)
    return NULL;
  return cr_gateway_error_get_private (error);
}

const char *
cr_gateway_error_get_cause (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain != CR_GATEWAY_ERROR)
    return _(code_text (CR_GATEWAY_ERROR_NETWORK)->cause);
  return cr_gateway_error_code_cause (error->code);
}

const char *
cr_gateway_error_get_fix (const GError *error)
{
  CrGatewayErrorPrivate *priv = get_private (error);

  g_return_val_if_fail (error != NULL, NULL);

  if (priv == NULL)
    return _(code_text (CR_GATEWAY_ERROR_NETWORK)->fix);
  if (priv->fix != NULL)
    return priv->fix;
  return cr_gateway_error_code_fix (error->code);
}

const char *
cr_gateway_error_get_headline (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (get_private (error) == NULL)
    return _(code_text (CR_GATEWAY_ERROR_NETWORK)->summary);
  return _(code_text (error->code)->summary);
}

char *
cr_gateway_error_describe_answer (const GError *error)
{
  const char *said;
  guint status;

  g_return_val_if_fail (error != NULL, NULL);

  if (get_private (error) == NULL)
    return NULL;

  said = cr_gateway_error_get_server_message (error);
  status = cr_gateway_error_get_status (error);

  /* "answered 200" would puzzle anyone: a 2xx error is the web app's page
   * or an envelope that says it failed. */
  if (status != 0 && status < 300)
    {
      if (error->code == CR_GATEWAY_ERROR_WRONG_BASE_URL)
        return g_strdup (_("The gateway answered with a web page, not the API."));
      status = 0;
    }

  if (said != NULL && status != 0)
    /* Translators: %u is an HTTP status such as 401, %s the server's own message. */
    return g_strdup_printf (_("The gateway answered %u: “%s”"), status, said);
  if (said != NULL)
    return g_strdup_printf (_("The gateway said: “%s”"), said);
  if (status != 0)
    return g_strdup_printf (_("The gateway answered %u, with no message."), status);
  return NULL;
}

const char *
cr_gateway_error_get_server_message (const GError *error)
{
  CrGatewayErrorPrivate *priv = get_private (error);

  return priv ? priv->server_message : NULL;
}

guint
cr_gateway_error_get_status (const GError *error)
{
  CrGatewayErrorPrivate *priv = get_private (error);

  return priv ? priv->status : 0;
}

guint
cr_gateway_error_get_retry_after (const GError *error)
{
  CrGatewayErrorPrivate *priv = get_private (error);

  return priv ? priv->retry_after : 0;
}

static char *
retry_fix (guint seconds)
{
  if (seconds >= 120)
    {
      guint minutes = (seconds + 59) / 60;

      return g_strdup_printf (ngettext ("The gateway asks to wait %u minute. Try again after that.",
                                        "The gateway asks to wait %u minutes. Try again after that.",
                                        minutes),
                              minutes);
    }

  return g_strdup_printf (ngettext ("The gateway asks to wait %u second. Try again after that.",
                                    "The gateway asks to wait %u seconds. Try again after that.",
                                    seconds),
                          seconds);
}

static char *
build_message (CrGatewayError  code,
               guint           status,
               const char     *detail)
{
  g_autofree char *summary = NULL;

  if (status != 0)
    /* Translators: an error summary, then the HTTP status code */
    summary = g_strdup_printf (_("%s (HTTP %u)"), _(code_text (code)->summary), status);
  else
    summary = g_strdup (_(code_text (code)->summary));

  if (detail == NULL || *detail == '\0')
    return g_steal_pointer (&summary);

  /* Translators: an error summary, then what the server or the system said */
  return g_strdup_printf (_("%s: %s"), summary, detail);
}

GError *
cr_gateway_error_new_detail (CrGatewayError  code,
                             guint           status,
                             const char     *server_message,
                             guint           retry_after,
                             const char     *detail)
{
  g_autofree char *clean = NULL;
  g_autofree char *clean_detail = NULL;
  g_autofree char *message = NULL;
  CrGatewayErrorPrivate *priv;
  GError *error;

  if (server_message != NULL)
    clean = cr_text_sanitize (server_message, -1, CR_GATEWAY_MESSAGE_MAX_CHARS);
  if (clean != NULL && *clean == '\0')
    g_clear_pointer (&clean, g_free);
  if (detail != NULL)
    clean_detail = cr_text_sanitize (detail, -1, CR_GATEWAY_MESSAGE_MAX_CHARS);

  message = build_message (code, status, clean ? clean : clean_detail);
  error = g_error_new_literal (CR_GATEWAY_ERROR, code, message);

  priv = get_private (error);
  g_assert (priv != NULL);
  priv->server_message = g_steal_pointer (&clean);
  priv->status = status;
  priv->retry_after = MIN (retry_after, RETRY_AFTER_MAX);
  if (code == CR_GATEWAY_ERROR_RATE_LIMITED && priv->retry_after > 0)
    priv->fix = retry_fix (priv->retry_after);

  return error;
}

GError *
cr_gateway_error_new (CrGatewayError  code,
                      guint           status,
                      const char     *server_message,
                      guint           retry_after)
{
  return cr_gateway_error_new_detail (code, status, server_message, retry_after, NULL);
}

/* Delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
static guint
parse_retry_after (const char *header)
{
  g_autofree char *value = NULL;
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) now = NULL;
  GTimeSpan span;

  if (header == NULL)
    return 0;

  value = g_strstrip (g_strdup (header));
  if (*value == '\0')
    return 0;

  if (strspn (value, "0123456789") == strlen (value))
    {
      guint64 seconds = 0;

      if (!g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT64, &seconds, NULL))
        return RETRY_AFTER_MAX;
      return (guint) MIN (seconds, RETRY_AFTER_MAX);
    }

  /* An HTTP date: libsoup parses the three formats HTTP allows. */
  when = soup_date_time_new_from_http_string (value);
  if (when == NULL)
    return 0;

  now = g_date_time_new_now_utc ();
  span = g_date_time_difference (when, now);
  if (span <= 0)
    return 0;

  return (guint) MIN ((span + G_TIME_SPAN_SECOND - 1) / G_TIME_SPAN_SECOND, RETRY_AFTER_MAX);
}

gboolean
cr_gateway_content_is_html (const char *content_type)
{
  if (content_type == NULL)
    return FALSE;

  while (g_ascii_isspace (*content_type))
    content_type++;

  return g_ascii_strncasecmp (content_type, "text/html", 9) == 0 ||
         g_ascii_strncasecmp (content_type, "application/xhtml+xml", 21) == 0;
}

static gboolean
mentions_model_access (const char *message,
                       const char *code)
{
  g_autofree char *lower = NULL;

  if (code != NULL)
    {
      g_autofree char *lower_code = g_ascii_strdown (code, -1);

      if (strstr (lower_code, "model") != NULL)
        return TRUE;
    }

  if (message == NULL)
    return FALSE;

  lower = g_ascii_strdown (message, -1);
  return strstr (lower, "no access to model") != NULL ||
         strstr (lower, "not allowed to use model") != NULL ||
         strstr (message, "无权访问模型") != NULL;
}

static CrGatewayError
classify_forbidden (const char *message,
                    const char *code)
{
  if (g_strcmp0 (code, "access_denied") == 0)
    return CR_GATEWAY_ERROR_IP_NOT_ALLOWED;
  if (g_strcmp0 (code, "insufficient_user_quota") == 0 ||
      g_strcmp0 (code, "pre_consume_token_quota_failed") == 0)
    return CR_GATEWAY_ERROR_QUOTA;
  if (mentions_model_access (message, code))
    return CR_GATEWAY_ERROR_MODEL_NOT_ALLOWED;
  return CR_GATEWAY_ERROR_FORBIDDEN;
}

static CrGatewayError
classify_status (guint       status,
                 const char *message,
                 const char *code)
{
  switch (status)
    {
    case 401:
      return CR_GATEWAY_ERROR_UNAUTHORIZED;
    case 403:
      return classify_forbidden (message, code);
    case 404:
      return CR_GATEWAY_ERROR_WRONG_BASE_URL;
    case 429:
      return CR_GATEWAY_ERROR_RATE_LIMITED;
    default:
      break;
    }

  if (status == 503 && g_strcmp0 (code, "model_not_found") == 0)
    return CR_GATEWAY_ERROR_MODEL_UNAVAILABLE;
  if (status >= 500 && status <= 599)
    return CR_GATEWAY_ERROR_SERVER;
  return CR_GATEWAY_ERROR_HTTP;
}

GError *
cr_gateway_error_from_answer (guint        status,
                              const char  *content_type,
                              const char  *message,
                              const char  *code,
                              const char  *retry_after_header)
{
  CrGatewayError error_code;
  guint retry_after = 0;

  /* The web app's index page: the base URL is the root domain. Only a
   * success status says that; a 502 page from a proxy is a server error. */
  if (status >= 200 && status <= 299 && cr_gateway_content_is_html (content_type))
    return cr_gateway_error_new (CR_GATEWAY_ERROR_WRONG_BASE_URL, status, NULL, 0);

  /* Whatever JSON an HTML page may hold, it is not the gateway's envelope. */
  if (cr_gateway_content_is_html (content_type))
    message = code = NULL;

  if (status >= 200 && status <= 299)
    return cr_gateway_error_new (message ? CR_GATEWAY_ERROR_HTTP : CR_GATEWAY_ERROR_MALFORMED,
                                 status, message, 0);

  error_code = classify_status (status, message, code);
  if (error_code == CR_GATEWAY_ERROR_RATE_LIMITED)
    retry_after = parse_retry_after (retry_after_header);

  return cr_gateway_error_new (error_code, status, message, retry_after);
}

static CrGatewayError
classify_io_error (gint code)
{
  switch (code)
    {
    case G_IO_ERROR_TIMED_OUT:
      return CR_GATEWAY_ERROR_TIMEOUT;
    case G_IO_ERROR_CONNECTION_REFUSED:
      return CR_GATEWAY_ERROR_CONNECTION_REFUSED;
    case G_IO_ERROR_HOST_NOT_FOUND:
      return CR_GATEWAY_ERROR_DNS;
    default:
      return CR_GATEWAY_ERROR_NETWORK;
    }
}

GError *
cr_gateway_error_from_transport (const GError *error)
{
  CrGatewayError code = CR_GATEWAY_ERROR_NETWORK;

  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain == CR_GATEWAY_ERROR || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  if (error->domain == G_IO_ERROR)
    code = classify_io_error (error->code);
  else if (error->domain == G_RESOLVER_ERROR)
    code = CR_GATEWAY_ERROR_DNS;
  else if (error->domain == G_TLS_ERROR)
    code = CR_GATEWAY_ERROR_TLS;
  else if (error->domain == SOUP_SESSION_ERROR &&
           (error->code == SOUP_SESSION_ERROR_PARSING ||
            error->code == SOUP_SESSION_ERROR_ENCODING))
    code = CR_GATEWAY_ERROR_MALFORMED;

  return cr_gateway_error_new_detail (code, 0, NULL, 0, error->message);
}
