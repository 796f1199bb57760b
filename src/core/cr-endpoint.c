/* cr-endpoint.c: a typed base URL diagnosed, repaired and put into words
 *
 * Building URLs and checking hosts are in cr-endpoint-url.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "cr-endpoint.h"
#include "cr-endpoint-private.h"
#include "cr-text.h"

/* A base URL is short; anything longer is a paste gone wrong, and we never
 * want to copy a megabyte of it into a message. */
#define MAX_INPUT_BYTES 2048

#define OFFICIAL_HOST "crazyrouter.com"
#define ISSUE_BIT(issue) (1u << (issue))

typedef enum {
  INVALID_UNPARSEABLE,
  INVALID_TOO_LONG,
  INVALID_NOT_TEXT,
} InvalidReason;

/* What one diagnosis run has learnt so far. */
typedef struct {
  guint          found;      /* ISSUE_BIT() of every problem seen */
  gboolean       unfixable;  /* some problem has no automatic repair */
  InvalidReason  invalid_reason;
  GUri          *uri;        /* the parsed (possibly guessed) URL */
  char          *scheme;     /* repaired parts, from which fixed_url is built */
  char          *host;       /* as shown to a person (IDN in Unicode) */
  int            port;
  char          *path;
} Scan;

/* Paths Cursor appends to the base URL itself; longest first, so that
 * "/chat/completions" wins over "/completions". */
static const char * const endpoint_suffixes[] = {
  "/chat/completions",
  "/completions",
  "/models",
  "/embeddings",
  "/responses",
};

static void
replace_str (char       **slot,
             const char  *value)
{
  g_free (*slot);
  *slot = g_strdup (value);
}

static void
scan_clear (Scan *scan)
{
  g_clear_pointer (&scan->uri, g_uri_unref);
  g_clear_pointer (&scan->scheme, g_free);
  g_clear_pointer (&scan->host, g_free);
  g_clear_pointer (&scan->path, g_free);
}

static void
scan_add (Scan            *scan,
          CrEndpointIssue  issue,
          gboolean         fixable)
{
  scan->found |= ISSUE_BIT (issue);
  if (!fixable)
    scan->unfixable = TRUE;
}

static void
scan_invalid (Scan          *scan,
              InvalidReason  reason)
{
  scan_add (scan, CR_ENDPOINT_INVALID, FALSE);
  scan->invalid_reason = reason;
}

/* Control characters, and what cr-text calls invisible. */
static gboolean
is_invisible (gunichar c)
{
  return g_unichar_type (c) == G_UNICODE_CONTROL || cr_text_is_invisible (c);
}

static gboolean
is_edge_junk (gunichar c)
{
  return g_unichar_isspace (c) || cr_text_is_invisible (c);
}

/* Finds the text between the white space and invisible characters a paste
 * drags along at both ends. @text must be valid UTF-8. */
static void
trim_edges (const char  *text,
            const char **start,
            gsize       *length)
{
  const char *begin = text;
  const char *end = text + strlen (text);

  while (*begin != '\0' && is_edge_junk (g_utf8_get_char (begin)))
    begin = g_utf8_next_char (begin);

  while (end > begin)
    {
      const char *prev = g_utf8_find_prev_char (begin, end);

      if (prev == NULL || !is_edge_junk (g_utf8_get_char (prev)))
        break;
      end = prev;
    }

  *start = begin;
  *length = end - begin;
}

/* At most MAX_INPUT_BYTES, cut at a character boundary. */
static char *
capped_copy (const char *text,
             gsize       length)
{
  if (length > MAX_INPUT_BYTES)
    {
      const char *cut = g_utf8_find_prev_char (text, text + MAX_INPUT_BYTES + 1);

      length = cut != NULL ? (gsize) (cut - text) : 0;
    }

  return g_strndup (text, length);
}

/* Drops control characters, invisible characters and spaces from inside the
 * URL, noting which kinds were there. */
static char *
strip_inner_junk (Scan       *scan,
                  const char *text)
{
  GString *clean = g_string_sized_new (strlen (text));

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (is_invisible (c))
        scan_add (scan, CR_ENDPOINT_CONTROL_CHARS, TRUE);
      else if (g_unichar_type (c) == G_UNICODE_SPACE_SEPARATOR)
        scan_add (scan, CR_ENDPOINT_INNER_SPACE, TRUE);
      else
        g_string_append_unichar (clean, c);
    }

  return g_string_free (clean, FALSE);
}

/* Length of a well-formed "scheme://" at the start of @text, or 0. */
static gsize
scheme_prefix_length (const char *text)
{
  const char *p = text;

  if (!g_ascii_isalpha (*p))
    return 0;
  while (g_ascii_isalnum (*p) || *p == '+' || *p == '-' || *p == '.')
    p++;

  return g_str_has_prefix (p, "://") ? (gsize) (p - text) + 3 : 0;
}

/* "https:/host", "http:host", "//host": keep just the host and what follows. */
static const char *
skip_mangled_scheme (const char *text)
{
  const char *p = text;

  if (g_ascii_strncasecmp (p, "https", 5) == 0)
    p += 5;
  else if (g_ascii_strncasecmp (p, "http", 4) == 0)
    p += 4;

  if (*p != ':' && *p != '/')
    return text;
  while (*p == ':' || *p == '/')
    p++;

  return p;
}

/* Loopback gateways are usually plain http; everything else must be https. */
static const char *
guess_scheme (const char *host)
{
  return cr_endpoint_is_loopback_host (host) ? "http" : "https";
}

/* Without a scheme we only guess at things that look like a host name. */
static gboolean
host_is_plausible (const char *host)
{
  return strchr (host, '.') != NULL
         || strchr (host, ':') != NULL
         || cr_endpoint_is_loopback_host (host);
}

/* @text with a scheme in front when it has none. */
static char *
with_scheme (const char *text)
{
  if (scheme_prefix_length (text) == 0)
    return g_strconcat ("https://", skip_mangled_scheme (text), NULL);

  return g_strdup (text);
}

/* Parses @candidate, made from @text by with_scheme(). */
static gboolean
scan_parse (Scan       *scan,
            const char *text,
            const char *candidate)
{
  gsize scheme_length = scheme_prefix_length (text);
  gboolean guessed = scheme_length == 0;
  const char *host;

  /* Checked on the text, so that "file:///x" (no host) is still named. */
  if (!guessed
      && g_ascii_strncasecmp (text, "https://", scheme_length) != 0
      && g_ascii_strncasecmp (text, "http://", scheme_length) != 0)
    scan_add (scan, CR_ENDPOINT_UNSUPPORTED_SCHEME, TRUE);

  scan->uri = g_uri_parse (candidate, G_URI_FLAGS_ENCODED, NULL);
  host = scan->uri != NULL ? g_uri_get_host (scan->uri) : NULL;

  if (!_cr_endpoint_host_is_well_formed (host) || (guessed && !host_is_plausible (host)))
    {
      scan_invalid (scan, INVALID_UNPARSEABLE);
      return FALSE;
    }

  if (guessed)
    scan_add (scan, CR_ENDPOINT_MISSING_SCHEME, TRUE);

  return TRUE;
}

/* The host as the person typed it: Unicode when they typed Unicode. */
static char *
display_host (const char *candidate,
              const char *ascii_host)
{
  g_autofree char *raw_host = NULL;
  char *unicode;

  if (!g_uri_split (candidate, G_URI_FLAGS_NON_DNS, NULL, NULL, &raw_host,
                    NULL, NULL, NULL, NULL, NULL)
      || raw_host == NULL
      || !g_utf8_validate (raw_host, -1, NULL)
      || g_str_is_ascii (raw_host))
    return g_strdup (ascii_host);

  /* NULL for what is no host name at all, e.g. an IPv6 literal with a
   * non-ASCII zone id. A label like "xn--0x7f" decodes to a character that
   * IDNA would never encode: then the Unicode form is no address, and the
   * repair built from it would not be one either. */
  unicode = g_hostname_to_unicode (ascii_host);
  if (unicode != NULL)
    {
      g_autofree char *back = g_hostname_to_ascii (unicode);

      if (back != NULL && g_ascii_strcasecmp (back, ascii_host) == 0)
        return unicode;
      g_free (unicode);
    }

  return g_strdup (ascii_host);
}

static gboolean
ends_with_v1 (const char *path,
              gsize       length)
{
  return length >= 3 && g_ascii_strncasecmp (path + length - 3, "/v1", 3) == 0;
}

/* Cursor appends "/chat/completions" etc. itself, so the path must stop at /v1. */
static CrEndpointIssue
diagnose_path (const char  *path,
               char       **fixed_path)
{
  gsize length = strlen (path);
  gsize core = length;

  while (core > 0 && path[core - 1] == '/')
    core--;

  for (guint i = 0; i < G_N_ELEMENTS (endpoint_suffixes); i++)
    {
      gsize suffix_length = strlen (endpoint_suffixes[i]);
      gsize rest;

      if (core < suffix_length)
        continue;
      rest = core - suffix_length;
      if (g_ascii_strncasecmp (path + rest, endpoint_suffixes[i], suffix_length) != 0)
        continue;

      while (rest > 0 && path[rest - 1] == '/')
        rest--;
      *fixed_path = ends_with_v1 (path, rest)
                    ? g_strndup (path, rest)
                    : g_strdup_printf ("%.*s/v1", (int) rest, path);
      return CR_ENDPOINT_FULL_ENDPOINT;
    }

  if (core == 0)
    {
      *fixed_path = g_strdup ("/v1");
      return CR_ENDPOINT_ROOT_DOMAIN;
    }

  *fixed_path = g_strndup (path, core);
  return core < length ? CR_ENDPOINT_TRAILING_SLASH : CR_ENDPOINT_OK;
}

/* Checks the parsed URL part by part and keeps a repaired copy of each part. */
static void
scan_uri (Scan       *scan,
          const char *candidate)
{
  const char *scheme = g_uri_get_scheme (scan->uri);
  const char *host = g_uri_get_host (scan->uri);
  CrEndpointIssue path_issue;

  scan->host = display_host (candidate, host);
  scan->port = g_uri_get_port (scan->uri);
  scan->scheme = g_ascii_strdown (scheme, -1);

  if (scan->found & (ISSUE_BIT (CR_ENDPOINT_MISSING_SCHEME)
                     | ISSUE_BIT (CR_ENDPOINT_UNSUPPORTED_SCHEME)))
    replace_str (&scan->scheme, guess_scheme (host));

  if (g_uri_get_userinfo (scan->uri) != NULL)
    scan_add (scan, CR_ENDPOINT_CREDENTIALS, TRUE);

  if (g_str_equal (scan->scheme, "http") && !cr_endpoint_is_loopback_host (host))
    {
      scan_add (scan, CR_ENDPOINT_INSECURE_HTTP, TRUE);
      replace_str (&scan->scheme, "https");
      if (scan->port == 80)
        scan->port = -1;
    }

  if (g_uri_get_query (scan->uri) != NULL || g_uri_get_fragment (scan->uri) != NULL)
    scan_add (scan, CR_ENDPOINT_QUERY_OR_FRAGMENT, TRUE);

  path_issue = diagnose_path (g_uri_get_path (scan->uri), &scan->path);
  if (path_issue != CR_ENDPOINT_OK)
    scan_add (scan, path_issue, TRUE);
}

static gboolean
scan_is_official (const Scan *scan)
{
  return g_str_equal (scan->scheme, "https")
         && g_ascii_strcasecmp (g_uri_get_host (scan->uri), OFFICIAL_HOST) == 0
         && (scan->port == -1 || scan->port == 443)
         && g_str_equal (scan->path, "/v1");
}

/* The lowest-numbered issue found is the most serious one. */
static CrEndpointIssue
scan_worst_issue (const Scan *scan)
{
  for (guint issue = CR_ENDPOINT_EMPTY; issue < CR_ENDPOINT_NOT_OFFICIAL; issue++)
    if (scan->found & ISSUE_BIT (issue))
      return issue;

  return scan_is_official (scan) ? CR_ENDPOINT_OK : CR_ENDPOINT_NOT_OFFICIAL;
}

static guint
count_substrings (const char *text,
                  const char *needle)
{
  guint count = 0;

  for (const char *p = strstr (text, needle); p != NULL; p = strstr (p + 1, needle))
    count++;

  return count;
}

/* Runs every check on trimmed, valid UTF-8 text; returns the repaired URL,
 * or NULL when some problem cannot be repaired. */
static char *
scan_text (Scan       *scan,
           const char *text)
{
  g_autofree char *clean = strip_inner_junk (scan, text);
  g_autofree char *candidate = NULL;
  g_autofree char *fixed = NULL;

  /* Spaces between two addresses: removing them would glue both together. */
  if ((scan->found & ISSUE_BIT (CR_ENDPOINT_INNER_SPACE))
      && count_substrings (clean, "://") > 1)
    scan->unfixable = TRUE;

  candidate = with_scheme (clean);
  if (!scan_parse (scan, clean, candidate))
    return NULL;

  scan_uri (scan, candidate);
  if (scan->unfixable)
    return NULL;

  fixed = _cr_endpoint_build_url (scan->scheme, scan->host, scan->port, scan->path);

  /* An "@" left over after dropping the user info means a second one was
   * pasted somewhere odd: offering that back could show a password. */
  if (strchr (fixed, '@') != NULL)
    {
      scan->unfixable = TRUE;
      return NULL;
    }

  return g_steal_pointer (&fixed);
}

/* host[:port] for a person; an internationalised name also in the ASCII
 * form, so that a look-alike of a familiar name stands out. */
static char *
describe_authority (const Scan *scan)
{
  const char *ascii_host = g_uri_get_host (scan->uri);
  GString *text = g_string_new (NULL);

  if (strchr (scan->host, ':') != NULL)
    g_string_append_printf (text, "[%s]", scan->host);
  else
    g_string_append (text, scan->host);

  if (scan->port != -1)
    g_string_append_printf (text, ":%d", scan->port);

  if (g_ascii_strcasecmp (scan->host, ascii_host) != 0)
    g_string_append_printf (text, " (%s)", ascii_host);

  return g_string_free (text, FALSE);
}

static char *
not_official_message (const Scan *scan)
{
  g_autofree char *path = NULL;

  if (g_ascii_strcasecmp (g_uri_get_host (scan->uri), OFFICIAL_HOST) != 0)
    {
      g_autofree char *where = describe_authority (scan);

      return g_strdup_printf (_("This address points at %s rather than crazyrouter.com. "
                                "That is fine for a mirror or a local gateway chosen on purpose; "
                                "otherwise use %s."),
                              where, CR_DEFAULT_BASE_URL);
    }

  if (scan->port != -1 && scan->port != 443)
    return g_strdup_printf (_("This address uses port %d of crazyrouter.com rather than the usual one. "
                              "That is fine for a gateway set up that way on purpose; "
                              "otherwise use %s."),
                            scan->port, CR_DEFAULT_BASE_URL);

  path = g_uri_unescape_string (scan->path, NULL);
  if (path == NULL || !g_utf8_validate (path, -1, NULL))
    replace_str (&path, scan->path);

  return g_strdup_printf (_("This address uses the path %s rather than /v1. "
                            "That is fine for a gateway set up that way on purpose; "
                            "otherwise use %s."),
                          path, CR_DEFAULT_BASE_URL);
}

static char *
message_with_fix (CrEndpointIssue  issue,
                  const char      *fixed)
{
  switch (issue)
    {
    case CR_ENDPOINT_EMPTY:
      return g_strdup_printf (_("Enter the base URL. For Crazyrouter it is %s."), fixed);
    case CR_ENDPOINT_CONTROL_CHARS:
      return g_strdup_printf (_("The address contains invisible or control characters, "
                                "probably picked up while copying it. Use %s instead."), fixed);
    case CR_ENDPOINT_INNER_SPACE:
      return g_strdup_printf (_("The address contains spaces, which a web address never has. "
                                "Use %s instead."), fixed);
    case CR_ENDPOINT_MISSING_SCHEME:
      return g_strdup_printf (_("The address must begin with https:// "
                                "(or http:// for a gateway on this computer). Use %s."), fixed);
    case CR_ENDPOINT_UNSUPPORTED_SCHEME:
      return g_strdup_printf (_("Only web addresses that begin with https:// work here. Use %s."), fixed);
    case CR_ENDPOINT_CREDENTIALS:
      return g_strdup_printf (_("The address contains a user name or password before the “@”, "
                                "which must never be sent this way. Use %s and put the key "
                                "in the API key field."), fixed);
    case CR_ENDPOINT_INSECURE_HTTP:
      return g_strdup_printf (_("With http:// your key would travel unencrypted. Use %s."), fixed);
    case CR_ENDPOINT_QUERY_OR_FRAGMENT:
      return g_strdup_printf (_("A base URL has nothing after a “?” or “#”. Use %s."), fixed);
    case CR_ENDPOINT_FULL_ENDPOINT:
      return g_strdup_printf (_("This is the address of a single request, not the base URL. "
                                "Use %s — the address must end in /v1, without "
                                "/chat/completions or /models after it."), fixed);
    case CR_ENDPOINT_ROOT_DOMAIN:
      return g_strdup_printf (_("The address is missing /v1 at the end. "
                                "Use %s — the address must end in /v1."), fixed);
    case CR_ENDPOINT_TRAILING_SLASH:
      return g_strdup_printf (_("The slash at the end would send requests to the wrong place. "
                                "Use %s, without the slash."), fixed);
    case CR_ENDPOINT_OK:
    case CR_ENDPOINT_INVALID:
    case CR_ENDPOINT_NOT_OFFICIAL:
    default:
      g_return_val_if_reached (NULL);
    }
}

static char *
message_without_fix (CrEndpointIssue  issue,
                     InvalidReason    invalid_reason)
{
  switch (issue)
    {
    case CR_ENDPOINT_CONTROL_CHARS:
      return g_strdup (_("The address contains invisible or control characters, "
                         "probably picked up while copying it. Type it again by hand."));
    case CR_ENDPOINT_INNER_SPACE:
      return g_strdup (_("The address contains spaces, which a web address never has. "
                         "Check that you pasted only one address."));
    case CR_ENDPOINT_UNSUPPORTED_SCHEME:
      return g_strdup_printf (_("Only web addresses that begin with https:// work here, "
                                "such as %s."), CR_DEFAULT_BASE_URL);
    case CR_ENDPOINT_INVALID:
      if (invalid_reason == INVALID_TOO_LONG)
        return g_strdup_printf (_("This is far too long to be a web address. "
                                  "Copy just the base URL, %s."), CR_DEFAULT_BASE_URL);
      if (invalid_reason == INVALID_NOT_TEXT)
        return g_strdup_printf (_("This is not readable text. Type the address again, "
                                  "for example %s."), CR_DEFAULT_BASE_URL);
      return g_strdup_printf (_("This is not a web address that can be used. "
                                "The base URL looks like %s."), CR_DEFAULT_BASE_URL);
    default:
      /* Only reachable next to a problem above that cannot be repaired. */
      return g_strdup_printf (_("This address cannot be used as it is. "
                                "The base URL looks like %s."), CR_DEFAULT_BASE_URL);
    }
}

static CrSeverity
severity_for_issue (CrEndpointIssue issue)
{
  switch (issue)
    {
    case CR_ENDPOINT_OK:
      return CR_SEVERITY_OK;
    case CR_ENDPOINT_NOT_OFFICIAL:
      return CR_SEVERITY_WARNING;
    default:
      return CR_SEVERITY_ERROR;
    }
}

/* Trims @input and runs the scan; returns the repaired URL, if any. */
static char *
scan_input (Scan        *scan,
            const char  *input,
            char       **trimmed)
{
  const char *start;
  gsize length;

  if (!g_utf8_validate (input, -1, NULL))
    {
      /* Each bad byte becomes a three-byte U+FFFD: cap again after. */
      g_autofree char *valid = g_utf8_make_valid (input, MIN (strlen (input), MAX_INPUT_BYTES));

      *trimmed = capped_copy (valid, strlen (valid));
      scan_invalid (scan, INVALID_NOT_TEXT);
      return NULL;
    }

  trim_edges (input, &start, &length);
  *trimmed = capped_copy (start, length);

  if (length == 0)
    {
      scan_add (scan, CR_ENDPOINT_EMPTY, TRUE);
      return g_strdup (CR_DEFAULT_BASE_URL);
    }

  if (length > MAX_INPUT_BYTES)
    {
      scan_invalid (scan, INVALID_TOO_LONG);
      return NULL;
    }

  return scan_text (scan, *trimmed);
}

CrEndpointDiagnosis *
cr_endpoint_diagnose (const char *input)
{
  CrEndpointDiagnosis *diagnosis = g_new0 (CrEndpointDiagnosis, 1);
  Scan scan = { 0, };
  g_autofree char *fixed = NULL;

  fixed = scan_input (&scan, input != NULL ? input : "", &diagnosis->input);
  diagnosis->issue = scan_worst_issue (&scan);
  diagnosis->severity = severity_for_issue (diagnosis->issue);

  if (diagnosis->issue == CR_ENDPOINT_OK)
    diagnosis->message = g_strdup (_("This is the recommended Crazyrouter address."));
  else if (diagnosis->issue == CR_ENDPOINT_NOT_OFFICIAL)
    diagnosis->message = not_official_message (&scan);
  else if (fixed != NULL)
    diagnosis->message = message_with_fix (diagnosis->issue, fixed);
  else
    diagnosis->message = message_without_fix (diagnosis->issue, scan.invalid_reason);

  /* A well-formed URL needs no repair, even when it is not ours. */
  if (diagnosis->severity == CR_SEVERITY_ERROR)
    diagnosis->fixed_url = g_steal_pointer (&fixed);

  scan_clear (&scan);

  return diagnosis;
}

void
cr_endpoint_diagnosis_free (CrEndpointDiagnosis *diagnosis)
{
  if (diagnosis == NULL)
    return;

  g_free (diagnosis->message);
  g_free (diagnosis->input);
  g_free (diagnosis->fixed_url);
  g_free (diagnosis);
}

gboolean
cr_endpoint_is_sendable (const CrEndpointDiagnosis *diagnosis)
{
  g_return_val_if_fail (diagnosis != NULL, FALSE);

  /* These work as typed, or fail at the gateway in a way worth showing. */
  switch (diagnosis->issue)
    {
    case CR_ENDPOINT_OK:
    case CR_ENDPOINT_NOT_OFFICIAL:
    case CR_ENDPOINT_ROOT_DOMAIN:
    case CR_ENDPOINT_FULL_ENDPOINT:
    case CR_ENDPOINT_TRAILING_SLASH:
      return TRUE;
    default:
      return FALSE;
    }
}
