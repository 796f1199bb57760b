/* test-endpoint.c: every base-URL diagnosis, its fix and its message
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "cr-endpoint.h"

#define DEFAULT CR_DEFAULT_BASE_URL

typedef struct {
  const char      *input;
  CrEndpointIssue  issue;
  const char      *fixed_url;   /* NULL: no repair offered */
} DiagnoseCase;

static const DiagnoseCase diagnose_cases[] = {
  /* The one right answer, however it was pasted. */
  { "https://crazyrouter.com/v1", CR_ENDPOINT_OK, NULL },
  { "  https://crazyrouter.com/v1 \r\n", CR_ENDPOINT_OK, NULL },
  { "\t\nhttps://crazyrouter.com/v1\n\n", CR_ENDPOINT_OK, NULL },
  { "\xEF\xBB\xBFhttps://crazyrouter.com/v1\xE2\x80\x8B", CR_ENDPOINT_OK, NULL },  /* BOM, ZWSP */
  { "\xE2\x80\xAEhttps://crazyrouter.com/v1\xE2\x80\xAC", CR_ENDPOINT_OK, NULL },  /* RLO … PDF */
  { "\xC2\xA0https://crazyrouter.com/v1\xE2\x80\x83", CR_ENDPOINT_OK, NULL },      /* NBSP, em space */
  { "https://CrazyRouter.COM/v1", CR_ENDPOINT_OK, NULL },
  { "HTTPS://crazyrouter.com/v1", CR_ENDPOINT_OK, NULL },
  { "https://crazyrouter.com:443/v1", CR_ENDPOINT_OK, NULL },

  { "", CR_ENDPOINT_EMPTY, DEFAULT },
  { " \t\r\n ", CR_ENDPOINT_EMPTY, DEFAULT },
  { "\xE2\x80\x8B\xEF\xBB\xBF", CR_ENDPOINT_EMPTY, DEFAULT },

  { "https://crazy\xE2\x80\x8Brouter.com/v1", CR_ENDPOINT_CONTROL_CHARS, DEFAULT },  /* ZWSP */
  { "https://crazyrouter.com/\nv1", CR_ENDPOINT_CONTROL_CHARS, DEFAULT },
  { "https://crazyrouter.com/\tv1", CR_ENDPOINT_CONTROL_CHARS, DEFAULT },
  { "https://crazyrouter.com/\x7Fv1", CR_ENDPOINT_CONTROL_CHARS, DEFAULT },
  { "https://crazyrouter.com\xE2\x80\x8F/v1", CR_ENDPOINT_CONTROL_CHARS, DEFAULT },  /* RLM */
  { "https://crazyrouter.com/\xE2\x80\xAEv1", CR_ENDPOINT_CONTROL_CHARS, DEFAULT },  /* RLO */
  { "https://crazyrouter\xE2\x81\xA6.com/v1", CR_ENDPOINT_CONTROL_CHARS, DEFAULT },  /* LRI */
  { "https://crazyrouter.com/v\xE2\x81\xA0" "1", CR_ENDPOINT_CONTROL_CHARS, DEFAULT }, /* WJ */
  { "https://crazyrouter.com/\xC2\x85v1", CR_ENDPOINT_CONTROL_CHARS, DEFAULT },      /* NEL */
  { "\x01\x02", CR_ENDPOINT_CONTROL_CHARS, NULL },

  { "https://crazyrouter.com/ v1", CR_ENDPOINT_INNER_SPACE, DEFAULT },
  { "https://crazyrouter .com/v1", CR_ENDPOINT_INNER_SPACE, DEFAULT },
  { "https://crazyrouter.com/\xC2\xA0v1", CR_ENDPOINT_INNER_SPACE, DEFAULT },
  { "https://crazyrouter.com/v1 https://example.com/v1", CR_ENDPOINT_INNER_SPACE, NULL },

  { "crazyrouter.com/v1", CR_ENDPOINT_MISSING_SCHEME, DEFAULT },
  { "//crazyrouter.com/v1", CR_ENDPOINT_MISSING_SCHEME, DEFAULT },
  { "https:/crazyrouter.com/v1", CR_ENDPOINT_MISSING_SCHEME, DEFAULT },
  { "https//crazyrouter.com/v1", CR_ENDPOINT_MISSING_SCHEME, DEFAULT },
  { "localhost:8080/v1", CR_ENDPOINT_MISSING_SCHEME, "http://localhost:8080/v1" },
  { "127.0.0.1:8080/v1", CR_ENDPOINT_MISSING_SCHEME, "http://127.0.0.1:8080/v1" },
  { "[::1]:8080/v1", CR_ENDPOINT_MISSING_SCHEME, "http://[::1]:8080/v1" },

  { "ftp://crazyrouter.com/v1", CR_ENDPOINT_UNSUPPORTED_SCHEME, DEFAULT },
  { "htps://crazyrouter.com/v1", CR_ENDPOINT_UNSUPPORTED_SCHEME, DEFAULT },
  { "file:///etc/passwd", CR_ENDPOINT_UNSUPPORTED_SCHEME, NULL },

  { "hello", CR_ENDPOINT_INVALID, NULL },
  { "https://", CR_ENDPOINT_INVALID, NULL },
  { "https:///v1", CR_ENDPOINT_INVALID, NULL },
  { "https://crazyrouter.com:99999/v1", CR_ENDPOINT_INVALID, NULL },
  { "https://crazyrouter.com:port/v1", CR_ENDPOINT_INVALID, NULL },
  { "https://[::1/v1", CR_ENDPOINT_INVALID, NULL },
  { "https://crazy<router>.com/v1", CR_ENDPOINT_INVALID, NULL },
  { "https://-/v1", CR_ENDPOINT_INVALID, NULL },
  { "https://crazyrouter.com/v1%zz", CR_ENDPOINT_INVALID, NULL },
  { "https://crazyrouter.com/v1\xFF", CR_ENDPOINT_INVALID, NULL },          /* not UTF-8 */
  { "\xC3\x28\xA0\xA1\xFE\xFF", CR_ENDPOINT_INVALID, NULL },                 /* binary */
  { "\xF0\x9F\x98\x80", CR_ENDPOINT_INVALID, NULL },                         /* 😀 */

  { "https://user:s3cret-pass@crazyrouter.com/v1", CR_ENDPOINT_CREDENTIALS, DEFAULT },
  { "https://sk-demo-cursor-good@crazyrouter.com/v1", CR_ENDPOINT_CREDENTIALS, DEFAULT },
  { "https://@crazyrouter.com/v1", CR_ENDPOINT_CREDENTIALS, DEFAULT },

  { "http://crazyrouter.com/v1", CR_ENDPOINT_INSECURE_HTTP, DEFAULT },
  { "http://crazyrouter.com:80/v1", CR_ENDPOINT_INSECURE_HTTP, DEFAULT },
  { "http://example.com:8080/v1", CR_ENDPOINT_INSECURE_HTTP, "https://example.com:8080/v1" },
  { "http://192.168.1.10/v1", CR_ENDPOINT_INSECURE_HTTP, "https://192.168.1.10/v1" },
  { "http://127.0.0.1.nip.io/v1", CR_ENDPOINT_INSECURE_HTTP, "https://127.0.0.1.nip.io/v1" },

  { "https://crazyrouter.com/v1?key=abc", CR_ENDPOINT_QUERY_OR_FRAGMENT, DEFAULT },
  { "https://crazyrouter.com/v1#models", CR_ENDPOINT_QUERY_OR_FRAGMENT, DEFAULT },
  { "https://crazyrouter.com/v1?", CR_ENDPOINT_QUERY_OR_FRAGMENT, DEFAULT },

  { "https://crazyrouter.com/v1/chat/completions", CR_ENDPOINT_FULL_ENDPOINT, DEFAULT },
  { "https://crazyrouter.com/v1/chat/completions/", CR_ENDPOINT_FULL_ENDPOINT, DEFAULT },
  { "https://crazyrouter.com/v1/completions", CR_ENDPOINT_FULL_ENDPOINT, DEFAULT },
  { "https://crazyrouter.com/v1/models", CR_ENDPOINT_FULL_ENDPOINT, DEFAULT },
  { "https://crazyrouter.com/v1/embeddings", CR_ENDPOINT_FULL_ENDPOINT, DEFAULT },
  { "https://crazyrouter.com/v1/responses", CR_ENDPOINT_FULL_ENDPOINT, DEFAULT },
  { "https://crazyrouter.com/chat/completions", CR_ENDPOINT_FULL_ENDPOINT, DEFAULT },
  { "https://crazyrouter.com/models/", CR_ENDPOINT_FULL_ENDPOINT, DEFAULT },
  { "https://h.example/proxy/v1/chat/completions", CR_ENDPOINT_FULL_ENDPOINT, "https://h.example/proxy/v1" },

  { "https://crazyrouter.com", CR_ENDPOINT_ROOT_DOMAIN, DEFAULT },
  { "https://crazyrouter.com/", CR_ENDPOINT_ROOT_DOMAIN, DEFAULT },
  { "https://crazyrouter.com//", CR_ENDPOINT_ROOT_DOMAIN, DEFAULT },

  { "https://crazyrouter.com/v1/", CR_ENDPOINT_TRAILING_SLASH, DEFAULT },
  { "https://crazyrouter.com/v1//", CR_ENDPOINT_TRAILING_SLASH, DEFAULT },
  { "http://127.0.0.1:8080/v1/", CR_ENDPOINT_TRAILING_SLASH, "http://127.0.0.1:8080/v1" },

  { "http://127.0.0.1:8080/v1", CR_ENDPOINT_NOT_OFFICIAL, NULL },
  { "http://localhost:3000/v1", CR_ENDPOINT_NOT_OFFICIAL, NULL },
  { "http://[::1]:8080/v1", CR_ENDPOINT_NOT_OFFICIAL, NULL },
  { "https://mirror.example.com/v1", CR_ENDPOINT_NOT_OFFICIAL, NULL },
  { "https://crazyrouter.com:8443/v1", CR_ENDPOINT_NOT_OFFICIAL, NULL },
  { "https://crazyrouter.com/proxy/v1", CR_ENDPOINT_NOT_OFFICIAL, NULL },
  { "https://crazyrouter.com/v2", CR_ENDPOINT_NOT_OFFICIAL, NULL },
  { "https://b\xC3\xBC" "cher.example/v1", CR_ENDPOINT_NOT_OFFICIAL, NULL },   /* IDN */
  { "https://xn--bcher-kva.example/v1", CR_ENDPOINT_NOT_OFFICIAL, NULL },
  { "https://crazyrouter.com/v1\xF0\x9F\x98\x80", CR_ENDPOINT_NOT_OFFICIAL, NULL },

  /* Several problems at once: the worst is named, all are repaired. */
  { "crazyrouter.com/v1/chat/completions/ ", CR_ENDPOINT_MISSING_SCHEME, DEFAULT },
  { " http://admin:hunter2@crazyrouter.com/v1/models?x=1#y\n", CR_ENDPOINT_CREDENTIALS, DEFAULT },
  { "crazy\xE2\x80\x8Brouter.com", CR_ENDPOINT_CONTROL_CHARS, DEFAULT },
  { "https://crazy router.com/v1/\n", CR_ENDPOINT_INNER_SPACE, DEFAULT },
  { "ftp://crazyrouter.com", CR_ENDPOINT_UNSUPPORTED_SCHEME, DEFAULT },
  { "http://crazyrouter.com/", CR_ENDPOINT_INSECURE_HTTP, DEFAULT },
  { "https://crazyrouter.com/?utm=x", CR_ENDPOINT_QUERY_OR_FRAGMENT, DEFAULT },
  { "b\xC3\xBC" "cher.example/v1/", CR_ENDPOINT_MISSING_SCHEME, "https://b\xC3\xBC" "cher.example/v1" },
  { "http://[::1]:8080/v1/models", CR_ENDPOINT_FULL_ENDPOINT, "http://[::1]:8080/v1" },
  { "http://mirror.example.com:80/", CR_ENDPOINT_INSECURE_HTTP, "https://mirror.example.com/v1" },
  { "hello world", CR_ENDPOINT_INNER_SPACE, NULL },
};

static CrSeverity
expected_severity (CrEndpointIssue issue)
{
  if (issue == CR_ENDPOINT_OK)
    return CR_SEVERITY_OK;
  if (issue == CR_ENDPOINT_NOT_OFFICIAL)
    return CR_SEVERITY_WARNING;
  return CR_SEVERITY_ERROR;
}

static void
test_diagnose_table (void)
{
  guint seen = 0;

  for (guint i = 0; i < G_N_ELEMENTS (diagnose_cases); i++)
    {
      const DiagnoseCase *c = &diagnose_cases[i];
      g_autoptr(CrEndpointDiagnosis) d = cr_endpoint_diagnose (c->input);
      g_autofree char *escaped = g_strescape (c->input, NULL);

      g_test_message ("case %u: \"%s\" -> issue %d, fixed %s", i, escaped,
                      d->issue, d->fixed_url ? d->fixed_url : "(none)");
      g_assert_cmpint (d->issue, ==, c->issue);
      g_assert_cmpstr (d->fixed_url, ==, c->fixed_url);
      g_assert_cmpint (d->severity, ==, expected_severity (c->issue));

      g_assert_nonnull (d->message);
      g_assert_cmpuint (strlen (d->message), >, 10);
      g_assert_true (g_utf8_validate (d->message, -1, NULL));
      g_assert_null (strstr (d->message, "%s"));
      g_assert_null (strstr (d->message, "%d"));
      if (d->fixed_url != NULL)
        g_assert_nonnull (strstr (d->message, d->fixed_url));

      g_assert_nonnull (d->input);
      g_assert_true (g_utf8_validate (d->input, -1, NULL));

      /* A repair must itself be clean. */
      if (d->fixed_url != NULL)
        {
          g_autoptr(CrEndpointDiagnosis) again = cr_endpoint_diagnose (d->fixed_url);

          g_assert_cmpint (again->severity, !=, CR_SEVERITY_ERROR);
          g_assert_null (again->fixed_url);
        }

      seen |= 1u << c->issue;
    }

  /* Every code of the enum has at least one row. */
  g_assert_cmphex (seen, ==, (1u << (CR_ENDPOINT_NOT_OFFICIAL + 1)) - 1);
}

static void
test_diagnose_null (void)
{
  g_autoptr(CrEndpointDiagnosis) d = cr_endpoint_diagnose (NULL);

  g_assert_cmpint (d->issue, ==, CR_ENDPOINT_EMPTY);
  g_assert_cmpstr (d->input, ==, "");
  g_assert_cmpstr (d->fixed_url, ==, DEFAULT);
}

static void
test_input_is_trimmed (void)
{
  g_autoptr(CrEndpointDiagnosis) d = cr_endpoint_diagnose ("\xEF\xBB\xBF  crazyrouter.com/v1/\r\n");

  g_assert_cmpstr (d->input, ==, "crazyrouter.com/v1/");
}

static void
test_credentials_never_shown (void)
{
  const char *inputs[] = {
    "https://alice:hunter2@crazyrouter.com/v1",
    "http://alice:hunter2@crazyrouter.com/v1/chat/completions?x=1",
    "alice:hunter2@crazyrouter.com/v1",
    "ftp://alice:hunter2@crazyrouter.com",
    "https://alice:hunter2@crazy router.com/v1",
    "http://alice:hunter2@127.0.0.1:8080/v1",
    "https://sk-demo-cursor-good@mirror.example.com/v1",
    "https://crazyrouter.com/v1?key=sk-demo-cursor-good",
    "https://crazyrouter.com/v1#sk-demo-cursor-good",
    /* a second copy further on must not come back in the repair */
    "https://alice:hunter2@crazyrouter.com/alice:hunter2@v1",
    "https://alice:hunter2@crazyrouter.com/v1 alice:hunter2@",
  };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(CrEndpointDiagnosis) d = cr_endpoint_diagnose (inputs[i]);

      g_test_message ("%s -> %d: %s", inputs[i], d->issue, d->message);
      g_assert_cmpint (d->severity, ==, CR_SEVERITY_ERROR);
      g_assert_false (cr_endpoint_is_sendable (d));
      g_assert_null (strstr (d->message, "hunter2"));
      g_assert_null (strstr (d->message, "alice"));
      g_assert_null (strstr (d->message, "sk-demo"));
      if (d->fixed_url != NULL)
        {
          g_assert_null (strstr (d->fixed_url, "hunter2"));
          g_assert_null (strstr (d->fixed_url, "alice"));
          g_assert_null (strstr (d->fixed_url, "sk-demo"));
          g_assert_null (strchr (d->fixed_url, '@'));
        }
    }
}

static void
test_huge_input (void)
{
  GString *huge = g_string_new ("https://crazyrouter.com/v1/");
  g_autoptr(CrEndpointDiagnosis) d = NULL;
  g_autoptr(CrEndpointDiagnosis) padded = NULL;
  g_autofree char *blank = NULL;
  g_autofree char *wrapped = NULL;

  while (huge->len < 1024 * 1024)
    g_string_append (huge, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/");
  d = cr_endpoint_diagnose (huge->str);
  g_assert_cmpint (d->issue, ==, CR_ENDPOINT_INVALID);
  g_assert_null (d->fixed_url);
  g_assert_cmpuint (strlen (d->message), <, 400);
  g_assert_cmpuint (strlen (d->input), <=, 2048);
  g_assert_false (cr_endpoint_is_sendable (d));
  g_string_free (huge, TRUE);

  /* A megabyte of white space around a good URL is just white space. */
  blank = g_strnfill (512 * 1024, ' ');
  wrapped = g_strconcat (blank, "https://crazyrouter.com/v1", blank, "\n", NULL);
  padded = cr_endpoint_diagnose (wrapped);
  g_assert_cmpint (padded->issue, ==, CR_ENDPOINT_OK);
  g_assert_cmpstr (padded->input, ==, "https://crazyrouter.com/v1");
}

static void
test_huge_multibyte_input_is_cut_cleanly (void)
{
  GString *huge = g_string_new ("https://crazyrouter.com/");
  g_autoptr(CrEndpointDiagnosis) d = NULL;

  while (huge->len < 10000)
    g_string_append (huge, "\xF0\x9F\x98\x80");  /* 😀: cut points fall inside it */
  d = cr_endpoint_diagnose (huge->str);
  g_assert_cmpint (d->issue, ==, CR_ENDPOINT_INVALID);
  g_assert_true (g_utf8_validate (d->input, -1, NULL));
  g_assert_cmpuint (strlen (d->input), <=, 2048);
  g_string_free (huge, TRUE);
}

typedef struct {
  const char *input;
  const char *must_contain[3];
} MessageCase;

static void
test_not_official_names_the_difference (void)
{
  const MessageCase cases[] = {
    { "http://127.0.0.1:8080/v1", { "127.0.0.1:8080", "crazyrouter.com", DEFAULT } },
    { "http://[::1]:8080/v1", { "[::1]:8080", "crazyrouter.com", NULL } },
    { "https://mirror.example.com/v1", { "mirror.example.com", "crazyrouter.com", NULL } },
    { "https://crazyrouter.com:8443/v1", { "8443", NULL } },
    { "https://crazyrouter.com/proxy/v1", { "/proxy/v1", "/v1", NULL } },
    /* An IDN host shows both forms, so a look-alike stands out. */
    { "https://b\xC3\xBC" "cher.example/v1", { "b\xC3\xBC" "cher.example", "xn--bcher-kva.example", NULL } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CrEndpointDiagnosis) d = cr_endpoint_diagnose (cases[i].input);

      g_test_message ("%s: %s", cases[i].input, d->message);
      g_assert_cmpint (d->issue, ==, CR_ENDPOINT_NOT_OFFICIAL);
      for (guint j = 0; j < G_N_ELEMENTS (cases[i].must_contain) && cases[i].must_contain[j]; j++)
        g_assert_nonnull (strstr (d->message, cases[i].must_contain[j]));
    }
}

static void
test_messages_name_the_fix (void)
{
  g_autoptr(CrEndpointDiagnosis) full = cr_endpoint_diagnose ("https://crazyrouter.com/v1/chat/completions");
  g_autoptr(CrEndpointDiagnosis) root = cr_endpoint_diagnose ("https://crazyrouter.com");
  g_autoptr(CrEndpointDiagnosis) http = cr_endpoint_diagnose ("http://crazyrouter.com/v1");

  g_assert_nonnull (strstr (full->message, "Use " DEFAULT));
  g_assert_nonnull (strstr (full->message, "/v1"));
  g_assert_nonnull (strstr (root->message, "/v1"));
  g_assert_nonnull (strstr (http->message, "unencrypted"));
}

static void
test_sendable (void)
{
  const struct {
    CrEndpointIssue issue;
    gboolean        sendable;
  } expected[] = {
    { CR_ENDPOINT_OK, TRUE },
    { CR_ENDPOINT_EMPTY, FALSE },
    { CR_ENDPOINT_CONTROL_CHARS, FALSE },
    { CR_ENDPOINT_INNER_SPACE, FALSE },
    { CR_ENDPOINT_MISSING_SCHEME, FALSE },
    { CR_ENDPOINT_UNSUPPORTED_SCHEME, FALSE },
    { CR_ENDPOINT_INVALID, FALSE },
    { CR_ENDPOINT_CREDENTIALS, FALSE },
    { CR_ENDPOINT_INSECURE_HTTP, FALSE },
    { CR_ENDPOINT_QUERY_OR_FRAGMENT, FALSE },
    { CR_ENDPOINT_FULL_ENDPOINT, TRUE },
    { CR_ENDPOINT_ROOT_DOMAIN, TRUE },
    { CR_ENDPOINT_TRAILING_SLASH, TRUE },
    { CR_ENDPOINT_NOT_OFFICIAL, TRUE },
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (expected) == CR_ENDPOINT_NOT_OFFICIAL + 1);

  /* Every row of the big table, judged by its expected code. */
  for (guint i = 0; i < G_N_ELEMENTS (diagnose_cases); i++)
    {
      g_autoptr(CrEndpointDiagnosis) d = cr_endpoint_diagnose (diagnose_cases[i].input);

      g_assert_cmpint (expected[d->issue].issue, ==, d->issue);
      g_assert_cmpint (cr_endpoint_is_sendable (d), ==, expected[d->issue].sendable);
    }
}

static void
test_join (void)
{
  const struct {
    const char *base, *path, *expected;
  } cases[] = {
    { DEFAULT, "/models", "https://crazyrouter.com/v1/models" },
    { DEFAULT, "/chat/completions", "https://crazyrouter.com/v1/chat/completions" },
    { "https://crazyrouter.com/v1/", "/models", "https://crazyrouter.com/v1//models" },
    { "https://crazyrouter.com", "/chat/completions", "https://crazyrouter.com/chat/completions" },
    { "https://crazyrouter.com/v1/chat/completions", "/chat/completions",
      "https://crazyrouter.com/v1/chat/completions/chat/completions" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *url = cr_endpoint_join (cases[i].base, cases[i].path);

      g_assert_cmpstr (url, ==, cases[i].expected);
    }
}

static void
test_api_url (void)
{
  const struct {
    const char *base, *path, *expected;
  } cases[] = {
    { DEFAULT, "/api/usage/token/", "https://crazyrouter.com/api/usage/token/" },
    { "https://crazyrouter.com/v1/", "/api/usage/token/", "https://crazyrouter.com/api/usage/token/" },
    { "https://crazyrouter.com", "/api/log/token", "https://crazyrouter.com/api/log/token" },
    { "https://crazyrouter.com/", "/api/log/token", "https://crazyrouter.com/api/log/token" },
    { "https://h.example/proxy/v1", "/api/log/token", "https://h.example/proxy/api/log/token" },
    { "http://127.0.0.1:8080/v1", "/api/log/token", "http://127.0.0.1:8080/api/log/token" },
    { "http://[::1]:8080/v1", "/api/usage/token/", "http://[::1]:8080/api/usage/token/" },
    { "https://crazyrouter.com:443/v1", "/api/status", "https://crazyrouter.com:443/api/status" },
    { "https://alice:hunter2@crazyrouter.com/v1", "/api/status", "https://crazyrouter.com/api/status" },
    { "https://crazyrouter.com/v1?x=1", "/api/status", "https://crazyrouter.com/api/status" },
    { "not a url", "/api/status", NULL },
    { "https:///v1", "/api/status", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *url = cr_endpoint_api_url (cases[i].base, cases[i].path);

      g_assert_cmpstr (url, ==, cases[i].expected);
    }
}

static void
test_loopback (void)
{
  const char *loopback[] = {
    "localhost", "LocalHost", "localhost.", "127.0.0.1", "127.1.2.3", "127.255.255.254",
    "::1", "[::1]", "0:0:0:0:0:0:0:1",
  };
  const char *remote[] = {
    "", "crazyrouter.com", "128.0.0.1", "10.0.0.1", "192.168.1.1", "126.255.255.255",
    "localhost.example.com", "127.0.0.1.nip.io", "::2", "::ffff:8.8.8.8", "[::1", "127.1",
  };

  for (guint i = 0; i < G_N_ELEMENTS (loopback); i++)
    g_assert_true (cr_endpoint_is_loopback_host (loopback[i]));
  for (guint i = 0; i < G_N_ELEMENTS (remote); i++)
    g_assert_false (cr_endpoint_is_loopback_host (remote[i]));
  g_assert_false (cr_endpoint_is_loopback_host (NULL));
}

static void
test_free_null (void)
{
  cr_endpoint_diagnosis_free (NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/endpoint/diagnose/table", test_diagnose_table);
  g_test_add_func ("/endpoint/diagnose/null", test_diagnose_null);
  g_test_add_func ("/endpoint/diagnose/input-trimmed", test_input_is_trimmed);
  g_test_add_func ("/endpoint/diagnose/credentials-never-shown", test_credentials_never_shown);
  g_test_add_func ("/endpoint/diagnose/huge-input", test_huge_input);
  g_test_add_func ("/endpoint/diagnose/huge-multibyte-input", test_huge_multibyte_input_is_cut_cleanly);
  g_test_add_func ("/endpoint/diagnose/not-official-message", test_not_official_names_the_difference);
  g_test_add_func ("/endpoint/diagnose/messages-name-fix", test_messages_name_the_fix);
  g_test_add_func ("/endpoint/sendable", test_sendable);
  g_test_add_func ("/endpoint/join", test_join);
  g_test_add_func ("/endpoint/api-url", test_api_url);
  g_test_add_func ("/endpoint/loopback", test_loopback);
  g_test_add_func ("/endpoint/free-null", test_free_null);

  return g_test_run ();
}
