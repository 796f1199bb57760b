/* test-setup-state.c: the wizard's shared state, without a display
 *
 * GSETTINGS_BACKEND=memory and the build's schema dir come from meson.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "cr-endpoint.h"
#include "cr-keyring.h"
#include "cr-setup-state.h"

#define DEMO_KEY  "sk-demo-cursor-good"
#define OTHER_KEY "sk-demo-cursor-narrow"

static void
count_cb (guint *count)
{
  (*count)++;
}

/* How often @signal fires while @poke runs. */
static guint
count_notify (GObject    *object,
              const char *signal,
              void      (*poke) (gpointer),
              gpointer    data)
{
  guint count = 0;
  gulong id;

  id = g_signal_connect_swapped (object, signal, G_CALLBACK (count_cb), &count);
  poke (data);
  g_signal_handler_disconnect (object, id);

  return count;
}

static void
test_defaults (void)
{
  g_autoptr(CrSetupState) state = cr_setup_state_new (NULL);

  g_assert_cmpstr (cr_setup_state_get_profile (state), ==, CR_KEYRING_DEFAULT_PROFILE);
  g_assert_cmpstr (cr_setup_state_get_base_url (state), ==, CR_DEFAULT_BASE_URL);
  g_assert_cmpstr (cr_setup_state_get_model (state), ==, CR_DEFAULT_MODEL);
  g_assert_false (cr_setup_state_get_tab_acknowledged (state));
  g_assert_false (cr_setup_state_get_key_stored (state));
  g_assert_false (cr_setup_state_get_has_key (state));
  g_assert_null (cr_setup_state_get_key (state));
  g_assert_null (cr_setup_state_get_models (state));
  g_assert_cmpint (cr_setup_state_get_last_check_time (state), ==, 0);
}

static void
test_settings_round_trip (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(CrSetupState) state = NULL;
  g_autoptr(CrSetupState) again = NULL;
  g_autofree char *saved_url = NULL;

  g_settings_set_string (settings, "base-url", "https://mirror.example.test/v1");
  g_settings_set_string (settings, "model", "claude-sonnet-4-6");
  g_settings_set_boolean (settings, "tab-acknowledged", TRUE);

  state = cr_setup_state_new (settings);
  g_assert_cmpstr (cr_setup_state_get_base_url (state), ==, "https://mirror.example.test/v1");
  g_assert_cmpstr (cr_setup_state_get_model (state), ==, "claude-sonnet-4-6");
  g_assert_true (cr_setup_state_get_tab_acknowledged (state));

  cr_setup_state_set_base_url (state, CR_DEFAULT_BASE_URL);
  cr_setup_state_set_model (state, "gpt-5.4");
  cr_setup_state_set_profile (state, "work");
  cr_setup_state_set_tab_acknowledged (state, FALSE);
  cr_setup_state_record_check (state, TRUE);

  saved_url = g_settings_get_string (settings, "base-url");
  g_assert_cmpstr (saved_url, ==, CR_DEFAULT_BASE_URL);
  g_assert_false (g_settings_get_boolean (settings, "tab-acknowledged"));
  g_assert_true (g_settings_get_boolean (settings, "last-check-ok"));
  g_assert_cmpint (g_settings_get_int64 (settings, "last-check-time"), >,
                   g_get_real_time () / G_USEC_PER_SEC - 60);

  /* A second start of the app sees the same choices. */
  again = cr_setup_state_new (settings);
  g_assert_cmpstr (cr_setup_state_get_profile (again), ==, "work");
  g_assert_cmpstr (cr_setup_state_get_model (again), ==, "gpt-5.4");
  g_assert_true (cr_setup_state_get_last_check_ok (again));
  g_assert_cmpint (cr_setup_state_get_last_check_time (again), ==,
                   cr_setup_state_get_last_check_time (state));

  g_settings_reset (settings, "profile");
  g_settings_reset (settings, "model");
  g_settings_reset (settings, "base-url");
  g_settings_reset (settings, "last-check-ok");
  g_settings_reset (settings, "last-check-time");
}

/* Bound, not copied: a change made elsewhere (another window, the CLI,
 * dconf-editor) shows up in the state; an empty string is "not chosen". */
static void
test_settings_are_bound (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(CrSetupState) state = cr_setup_state_new (settings);
  g_autoptr(GVariant) facts = NULL;
  guint notified = 0;

  g_assert_null (cr_setup_state_get_cursor_version (state));
  g_assert_nonnull (cr_setup_state_get_cursor_facts (state));

  g_signal_connect_swapped (state, "notify::model", G_CALLBACK (count_cb), &notified);
  g_settings_set_string (settings, "model", "claude-sonnet-4-6");
  while (notified == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (cr_setup_state_get_model (state), ==, "claude-sonnet-4-6");

  g_settings_set_string (settings, "base-url", "  ");
  g_settings_set_string (settings, "cursor-version", "1.5.0");
  facts = g_variant_ref_sink (g_variant_new_parsed ("{'models': <['gpt-5.4']>}"));
  g_settings_set_value (settings, "cursor-facts", facts);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpstr (cr_setup_state_get_base_url (state), ==, CR_DEFAULT_BASE_URL);
  g_assert_cmpstr (cr_setup_state_get_cursor_version (state), ==, "1.5.0");
  g_assert_true (g_variant_equal (cr_setup_state_get_cursor_facts (state), facts));

  /* And the other way round, with the key's own name. */
  g_object_set (state, "tab-acknowledged", TRUE, NULL);
  g_assert_true (g_settings_get_boolean (settings, "tab-acknowledged"));

  g_settings_reset (settings, "model");
  g_settings_reset (settings, "base-url");
  g_settings_reset (settings, "cursor-version");
  g_settings_reset (settings, "cursor-facts");
  g_settings_reset (settings, "tab-acknowledged");
}

static void
set_other_key (gpointer state)
{
  cr_setup_state_set_key (state, OTHER_KEY);
}

static void
set_same_key (gpointer state)
{
  cr_setup_state_set_key (state, DEMO_KEY);
}

static void
test_key_is_not_a_property (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(CrSetupState) state = cr_setup_state_new (settings);
  GObjectClass *klass = G_OBJECT_GET_CLASS (state);
  g_autofree GParamSpec **pspecs = NULL;
  guint n_pspecs;

  g_assert_null (g_object_class_find_property (klass, "key"));

  cr_setup_state_set_key (state, DEMO_KEY);
  g_assert_cmpstr (cr_setup_state_get_key (state), ==, DEMO_KEY);
  g_assert_true (cr_setup_state_get_has_key (state));

  /* has-key flips only on presence, never tells the key itself. */
  g_assert_cmpuint (count_notify (G_OBJECT (state), "notify::has-key", set_same_key, state), ==, 0);
  g_assert_cmpuint (count_notify (G_OBJECT (state), "notify::has-key", set_other_key, state), ==, 0);
  cr_setup_state_set_key (state, "");
  g_assert_false (cr_setup_state_get_has_key (state));
  g_assert_null (cr_setup_state_get_key (state));

  /* No property and no setting ever holds the key. */
  cr_setup_state_set_key (state, DEMO_KEY);
  pspecs = g_object_class_list_properties (klass, &n_pspecs);
  for (guint i = 0; i < n_pspecs; i++)
    {
      g_auto(GValue) value = G_VALUE_INIT;

      g_value_init (&value, pspecs[i]->value_type);
      g_object_get_property (G_OBJECT (state), pspecs[i]->name, &value);
      if (G_VALUE_HOLDS_STRING (&value))
        g_assert_cmpstr (g_value_get_string (&value), !=, DEMO_KEY);
    }

  {
    g_autoptr(GSettingsSchema) schema = NULL;
    g_auto(GStrv) keys = NULL;

    g_object_get (settings, "settings-schema", &schema, NULL);
    keys = g_settings_schema_list_keys (schema);
    for (guint i = 0; keys[i] != NULL; i++)
      {
        g_autoptr(GVariant) value = g_settings_get_value (settings, keys[i]);
        g_autofree char *text = g_variant_print (value, FALSE);

        g_assert_null (strstr (text, "sk-demo"));
      }
  }
}

static void
test_gateway_follows_inputs (void)
{
  g_autoptr(CrSetupState) state = cr_setup_state_new (NULL);
  g_autoptr(CrGateway) first = NULL;
  g_autoptr(CrGateway) installed = NULL;
  g_autoptr(GPtrArray) models = g_ptr_array_new ();
  CrModel model = { (char *) "gpt-5.4", NULL };

  cr_setup_state_set_key (state, DEMO_KEY);
  first = g_object_ref (cr_setup_state_get_gateway (state));
  g_assert_nonnull (first);
  g_assert_cmpstr (cr_gateway_get_base_url (first), ==, CR_DEFAULT_BASE_URL);
  /* Asked again with nothing changed: the same client. */
  g_assert_true (cr_setup_state_get_gateway (state) == first);

  g_ptr_array_add (models, &model);
  cr_setup_state_set_models (state, models);
  g_assert_true (cr_setup_state_model_allowed (state, "gpt-5.4"));
  g_assert_false (cr_setup_state_model_allowed (state, "claude-sonnet-4-6"));

  /* A new base URL: a new client, and the old key's results are gone. */
  cr_setup_state_set_base_url (state, "http://127.0.0.1:9/v1");
  g_assert_true (cr_setup_state_get_gateway (state) != first);
  g_assert_cmpstr (cr_gateway_get_base_url (cr_setup_state_get_gateway (state)), ==,
                   "http://127.0.0.1:9/v1");
  g_assert_null (cr_setup_state_get_models (state));
  g_assert_false (cr_setup_state_model_allowed (state, "gpt-5.4"));

  /* An installed client is used until the inputs change. */
  installed = cr_gateway_new ("http://127.0.0.1:9/v1", DEMO_KEY);
  cr_setup_state_set_gateway (state, installed);
  g_assert_true (cr_setup_state_get_gateway (state) == installed);
  cr_setup_state_set_key (state, OTHER_KEY);
  g_assert_true (cr_setup_state_get_gateway (state) != installed);

  /* Without a key there is still a client, so callers need no NULL case. */
  cr_setup_state_set_key (state, NULL);
  g_assert_nonnull (cr_setup_state_get_gateway (state));
}

/* One number says whether what a step verified still holds. */
static void
test_generation (void)
{
  g_autoptr(CrSetupState) state = cr_setup_state_new (NULL);
  g_autoptr(GPtrArray) models = g_ptr_array_new ();
  guint seen = cr_setup_state_get_generation (state);
  guint notified = 0;

  g_assert_cmpuint (seen, !=, 0);
  g_signal_connect_swapped (state, "notify::generation", G_CALLBACK (count_cb), &notified);

  /* What a step verifies with: each change is a new generation. */
  cr_setup_state_set_key (state, DEMO_KEY);
  g_assert_cmpuint (cr_setup_state_get_generation (state), >, seen);
  seen = cr_setup_state_get_generation (state);
  cr_setup_state_set_base_url (state, "http://127.0.0.1:9/v1");
  g_assert_cmpuint (cr_setup_state_get_generation (state), >, seen);
  seen = cr_setup_state_get_generation (state);
  cr_setup_state_set_model (state, "claude-sonnet-4-6");
  g_assert_cmpuint (cr_setup_state_get_generation (state), >, seen);
  seen = cr_setup_state_get_generation (state);
  cr_setup_state_set_profile (state, "work");
  g_assert_cmpuint (cr_setup_state_get_generation (state), >, seen);
  seen = cr_setup_state_get_generation (state);
  cr_setup_state_set_key (state, NULL);
  g_assert_cmpuint (cr_setup_state_get_generation (state), >, seen);
  g_assert_cmpuint (notified, ==, 5);
  seen = cr_setup_state_get_generation (state);

  /* The same values again, and what the steps found, change nothing. */
  cr_setup_state_set_key (state, NULL);
  cr_setup_state_set_base_url (state, "http://127.0.0.1:9/v1");
  cr_setup_state_set_model (state, "claude-sonnet-4-6");
  cr_setup_state_set_tab_acknowledged (state, TRUE);
  cr_setup_state_set_key_stored (state, TRUE);
  cr_setup_state_set_models (state, models);
  cr_setup_state_record_check (state, TRUE);
  g_assert_cmpuint (cr_setup_state_get_generation (state), ==, seen);
  g_assert_cmpuint (notified, ==, 5);
}

static void
test_checklist_follows_state (void)
{
  g_autoptr(CrSetupState) state = cr_setup_state_new (NULL);
  CrChecklist *checklist;

  cr_setup_state_set_model (state, "claude-sonnet-4-6");
  checklist = cr_setup_state_get_checklist (state);
  g_assert_nonnull (checklist);
  /* One checklist for the whole run of the app, so views stay bound. */
  g_assert_true (cr_setup_state_get_checklist (state) == checklist);
  g_assert_nonnull (cr_checklist_lookup (checklist, CR_CHECK_KEY));
  g_assert_nonnull (cr_checklist_lookup (checklist, CR_CHECK_TAB_COMPLETION));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/setup-state/defaults", test_defaults);
  g_test_add_func ("/setup-state/settings-round-trip", test_settings_round_trip);
  g_test_add_func ("/setup-state/settings-are-bound", test_settings_are_bound);
  g_test_add_func ("/setup-state/key-is-not-a-property", test_key_is_not_a_property);
  g_test_add_func ("/setup-state/gateway-follows-inputs", test_gateway_follows_inputs);
  g_test_add_func ("/setup-state/generation", test_generation);
  g_test_add_func ("/setup-state/checklist-follows-state", test_checklist_follows_state);

  return g_test_run ();
}
