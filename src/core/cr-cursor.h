/* cr-cursor.h: a read-only view of Cursor's own settings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
