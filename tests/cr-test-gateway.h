/* cr-test-gateway.h: a loopback Crazyrouter for tests and the local demo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CR_TYPE_TEST_GATEWAY (cr_test_gateway_get_type ())
G_DECLARE_FINAL_TYPE (CrTestGateway, cr_test_gateway, CR, TEST_GATEWAY, GObject)

G_END_DECLS
