/* test-cors-chromium.c: real Chromium judges our CORS verdicts
 *
 * Cursor's window is Chromium. A page served from another loopback origin
 * makes Verify's two requests (POST …/chat/completions, then GET …/models,
 * with Authorization and no cookies) against test gateways that answer
 * CORS in different ways, and Chromium says which it let through.
 * cr_preflight_judge() must agree with it, case by case.
 *
 * Needs Debian's chromium (the README's test command installs it); skipped
 * without it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "cr-gateway.h"
#include "cr-test-gateway.h"

/* Test data looks like the real thing: sk- and 48 characters. */
#define KEY "sk-demoCorsChromiumJudge0123456789abcdefghijklmnopq"
#define PAGE_ORIGIN "page"  /* stands for the page's own origin */

static const struct {
  const char *name;
  CrTestMode  mode;
  const char *allow_origin;   /* NULL: "*" */
  const char *allow_headers;  /* for CORS_LIST */
} cases[] = {
  { "stock-new-api", CR_TEST_MODE_NORMAL, NULL, NULL },
  { "no-cors", CR_TEST_MODE_NO_CORS, NULL, NULL },
  { "list-without-authorization", CR_TEST_MODE_CORS_LIST, NULL, "Content-Type" },
  { "list-without-content-type", CR_TEST_MODE_CORS_LIST, NULL, "Authorization" },
  { "list-complete", CR_TEST_MODE_CORS_LIST, NULL, "authorization, content-type" },
  { "another-origin", CR_TEST_MODE_NORMAL, "https://app.example", NULL },
  { "exact-origin", CR_TEST_MODE_NORMAL, PAGE_ORIGIN, NULL },
  { "redirected-preflight", CR_TEST_MODE_REDIRECT_SAME_ORIGIN, NULL, NULL },
};

static const struct {
  const char *label;
  const char *path;
  const char *method;
  const char *headers;
} requests[] = {
  { "chat", CR_CURSOR_PREFLIGHT_PATH, CR_CURSOR_PREFLIGHT_METHOD, CR_CURSOR_PREFLIGHT_HEADERS },
  { "models", CR_CURSOR_MODELS_PREFLIGHT_PATH, CR_CURSOR_MODELS_PREFLIGHT_METHOD,
    CR_CURSOR_MODELS_PREFLIGHT_HEADERS },
};

/* Verify's requests, as Cursor's window sends them, for every gateway; each
 * line says whether Chromium let the request through. */
static char *
make_page (GPtrArray *gateways)
{
  GString *page = g_string_new ("<!DOCTYPE html><html><body><pre id=\"out\"></pre><script>\n"
                                "const key = '" KEY "';\n"
                                "async function attempt(url, init) {\n"
                                "  try { await fetch(url, init); return 'allowed'; }\n"
                                "  catch (e) { return 'blocked'; }\n"
                                "}\n"
                                "async function verify(name, base) {\n"
                                "  const chat = await attempt(base + '/chat/completions', {\n"
                                "    method: 'POST', credentials: 'omit',\n"
                                "    headers: { 'Authorization': 'Bearer ' + key,\n"
                                "               'Content-Type': 'application/json' },\n"
                                "    body: JSON.stringify({ model: 'gpt-5.4', max_tokens: 16,\n"
                                "      messages: [{ role: 'user', content: 'Hi' }] }) });\n"
                                "  const models = await attempt(base + '/models', {\n"
                                "    credentials: 'omit', headers: { 'Authorization': 'Bearer ' + key } });\n"
                                "  return `case ${name} chat=${chat} models=${models}`;\n"
                                "}\n"
                                "(async () => {\n"
                                "  const lines = [];\n");

  for (guint i = 0; i < gateways->len; i++)
    g_string_append_printf (page, "  lines.push(await verify('%s', '%s'));\n", cases[i].name,
                            cr_test_gateway_get_base_url (g_ptr_array_index (gateways, i)));
  g_string_append (page, "  lines.push('done');\n"
                         "  document.getElementById('out').textContent = lines.join('\\n');\n"
                         "})();\n"
                         "</script></body></html>\n");
  return g_string_free (page, FALSE);
}

static void
on_page (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  const char *page = user_data;

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_COPY, page, strlen (page));
}

static void
on_communicated (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  char **out = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *stdout_text = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &stdout_text, NULL, &error);
  g_assert_no_error (error);
  *out = g_steal_pointer (&stdout_text);
  if (*out == NULL)
    *out = g_strdup ("");
}

/* Chromium's --dump-dom of @url, while this thread's gateways answer it. */
static char *
chromium_dump (const char *chromium,
               const char *url)
{
  g_autofree char *profile = g_dir_make_tmp ("cr-chromium-XXXXXX", NULL);
  g_autofree char *profile_arg = g_strconcat ("--user-data-dir=", profile, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  char *out = NULL;

  g_assert_nonnull (profile);
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                              chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                              "--no-first-run", "--disable-background-networking",
                              "--disable-component-update", "--disable-sync", profile_arg,
                              "--dump-dom", "--virtual-time-budget=8000", url, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, on_communicated, &out);
  while (out == NULL)
    g_main_context_iteration (NULL, TRUE);

  /* Chromium leaves a whole profile tree behind. */
  {
    const char *rm[] = { "rm", "-rf", profile, NULL };

    g_spawn_sync (NULL, (char **) rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
  }
  return out;
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Our verdict on one of Verify's preflights to @gateway, from @origin. */
static CrPreflightVerdict
our_verdict (CrTestGateway *gateway,
             const char    *origin,
             guint          request)
{
  g_autoptr(CrGateway) client = cr_gateway_new (cr_test_gateway_get_base_url (gateway), KEY);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CrPreflight) preflight = NULL;

  cr_gateway_preflight_async (client, requests[request].path, origin, requests[request].method,
                              requests[request].headers, NULL, on_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  preflight = cr_gateway_preflight_finish (client, result, &error);
  g_assert_no_error (error);

  return cr_preflight_judge (preflight, origin, requests[request].method, requests[request].headers, NULL);
}

static void
test_chromium_agrees (void)
{
  g_autofree char *chromium = g_find_program_in_path ("chromium");
  g_autoptr(GPtrArray) gateways = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(SoupServer) page_server = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *page = NULL;
  g_autofree char *page_origin = NULL;
  g_autofree char *page_url = NULL;
  g_autofree char *dom = NULL;
  g_auto(GStrv) lines = NULL;
  GSList *uris;
  guint port;

  if (chromium == NULL)
    {
      g_test_skip ("Debian's chromium is not installed");
      return;
    }

  cr_test_gateway_add_token_alias (KEY, CR_TEST_TOKEN_GOOD);

  /* The page's origin (localhost) is not the gateways' (127.0.0.1). */
  page_server = soup_server_new (NULL, NULL);
  soup_server_listen_local (page_server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (page_server);
  port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  page_origin = g_strdup_printf ("http://localhost:%u", port);
  page_url = g_strdup_printf ("%s/verify.html", page_origin);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      CrTestGateway *gateway = cr_test_gateway_new (FALSE, 0, &error);
      gboolean page_origin_case = g_strcmp0 (cases[i].allow_origin, PAGE_ORIGIN) == 0;

      g_assert_no_error (error);
      cr_test_gateway_set_mode (gateway, cases[i].mode);
      cr_test_gateway_set_cors (gateway, page_origin_case ? page_origin : cases[i].allow_origin,
                                cases[i].allow_headers);
      g_ptr_array_add (gateways, gateway);
    }

  page = make_page (gateways);
  soup_server_add_handler (page_server, "/verify.html", on_page, page, NULL);
  dom = chromium_dump (chromium, page_url);
  g_test_message ("Chromium's page:\n%s", dom);
  g_assert_nonnull (strstr (dom, "\ndone</pre>"));

  lines = g_strsplit (dom, "\n", -1);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      CrTestGateway *gateway = g_ptr_array_index (gateways, i);
      g_autofree char *prefix = g_strdup_printf ("case %s ", cases[i].name);
      const char *line = NULL;

      for (gsize l = 0; lines[l] != NULL && line == NULL; l++)
        line = strstr (lines[l], prefix);
      g_assert_nonnull (line);
      /* Chromium asked first, as Cursor's window does. */
      g_assert_cmpuint (cr_test_gateway_count_preflights (gateway, "/v1/chat/completions"), ==, 1);

      for (gsize r = 0; r < G_N_ELEMENTS (requests); r++)
        {
          g_autofree char *allowed = g_strdup_printf ("%s=allowed", requests[r].label);
          g_autofree char *blocked = g_strdup_printf ("%s=blocked", requests[r].label);
          gboolean chromium_allowed = strstr (line, allowed) != NULL;
          CrPreflightVerdict verdict = our_verdict (gateway, page_origin, r);

          g_assert_true (chromium_allowed || strstr (line, blocked) != NULL);
          g_test_message ("%s: Chromium %s, ours %d", line, chromium_allowed ? "allowed" : "blocked",
                          verdict);
          if (chromium_allowed != (verdict == CR_PREFLIGHT_ALLOWED))
            g_error ("%s %s: Chromium %s it, cr_preflight_judge() says %d", cases[i].name,
                     requests[r].label, chromium_allowed ? "allowed" : "blocked", verdict);
        }
    }

  /* What the proof names, so a change of cases cannot hide it. */
  g_assert_nonnull (strstr (dom, "case stock-new-api chat=allowed models=allowed"));
  g_assert_nonnull (strstr (dom, "case no-cors chat=blocked"));
  g_assert_nonnull (strstr (dom, "case list-without-authorization chat=blocked models=blocked"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cors/chromium-agrees", test_chromium_agrees);

  return g_test_run ();
}
