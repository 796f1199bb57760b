/* cr-endpoint.h: base-URL parsing and diagnosis
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CR_DEFAULT_BASE_URL "https://crazyrouter.com/v1"

typedef enum {
  CR_SEVERITY_OK,
  CR_SEVERITY_WARNING,  /* works, but not what the guide recommends */
  CR_SEVERITY_ERROR,    /* cannot work as typed */
} CrSeverity;

/* Most serious first: the diagnosis names the first that applies. */
typedef enum {
  CR_ENDPOINT_OK,
  CR_ENDPOINT_EMPTY,
  CR_ENDPOINT_CONTROL_CHARS,     /* control or invisible characters inside */
  CR_ENDPOINT_INNER_SPACE,       /* white space inside the URL */
  CR_ENDPOINT_MISSING_SCHEME,    /* "crazyrouter.com/v1" */
  CR_ENDPOINT_UNSUPPORTED_SCHEME,/* ftp://, file:// … */
  CR_ENDPOINT_INVALID,           /* GUri cannot parse it, or no host */
  CR_ENDPOINT_CREDENTIALS,       /* https://user:pass@host — refused */
  CR_ENDPOINT_INSECURE_HTTP,     /* http:// to a host that is not loopback */
  CR_ENDPOINT_QUERY_OR_FRAGMENT,
  CR_ENDPOINT_FULL_ENDPOINT,     /* …/v1/chat/completions, …/v1/models, …/chat/completions */
  CR_ENDPOINT_ROOT_DOMAIN,       /* https://crazyrouter.com (no /v1) */
  CR_ENDPOINT_TRAILING_SLASH,    /* https://crazyrouter.com/v1/ */
  CR_ENDPOINT_NOT_OFFICIAL,      /* a well-formed …/v1 URL of another gateway: a warning */
} CrEndpointIssue;

typedef struct {
  CrEndpointIssue issue;
  CrSeverity      severity;
  char           *message;    /* translated, for a person; never NULL */
  char           *input;      /* what was typed, trimmed of surrounding white space
                               * (cut to 2048 bytes, and made valid UTF-8) */
  char           *fixed_url;  /* every fixable problem repaired; NULL when none can be */
} CrEndpointDiagnosis;

CrEndpointDiagnosis *cr_endpoint_diagnose         (const char                *input);
void                 cr_endpoint_diagnosis_free   (CrEndpointDiagnosis       *diagnosis);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrEndpointDiagnosis, cr_endpoint_diagnosis_free)

/* TRUE when a request may be sent to @base_url at all (it may still be wrong,
 * e.g. a root domain: the gateway's answer then tells the user more). */
gboolean  cr_endpoint_is_sendable   (const CrEndpointDiagnosis *diagnosis);

/* Joins the base URL (as the user has it: no repair) and an API path such as
 * "/models" the way Cursor does: base + path. */
char     *cr_endpoint_join          (const char *base_url,
                                     const char *path);

/* The gateway's own /api routes live at the host root, beside /v1:
 * "https://crazyrouter.com/v1" + "/api/usage/token/" -> "https://crazyrouter.com/api/usage/token/".
 * A prefix before /v1 stays ("https://h/proxy/v1" -> "https://h/proxy/api/…"); user info,
 * query and fragment are dropped. NULL when @base_url has no host or cannot be parsed. */
char     *cr_endpoint_api_url       (const char *base_url,
                                     const char *api_path);

gboolean  cr_endpoint_is_loopback_host (const char *host);

/* The port @uri names, or its scheme's own (443 for https, 80 otherwise). */
guint     cr_endpoint_effective_port (GUri      *uri);

G_END_DECLS
