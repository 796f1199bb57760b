#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks the Flatpak manifest without building it (no runtime download).

usage: check-flatpak-manifest.py MANIFEST APP_ID BINARY

The sandbox gets exactly the least-privilege set below: network for the
gateway, a display, the GPU, and read-only access to Cursor's own config
folder (either spelling), so the checklist can read Cursor's settings. No
other file system access (no home, no host), and no D-Bus name for the
Secret Service, so libsecret goes through the Secret portal.
"""

import json
import os
import sys

RUNTIME = 'org.gnome.Platform'
SDK = 'org.gnome.Sdk'
RUNTIME_VERSION = '50'
FINISH_ARGS = [
    '--share=network',
    '--share=ipc',
    '--socket=wayland',
    '--socket=fallback-x11',
    '--device=dri',
    '--filesystem=xdg-config/Cursor:ro',
    '--filesystem=xdg-config/cursor:ro',
]
# The only folders the sandbox may see, and only to read them.
READ_ONLY_FOLDERS = {'xdg-config/Cursor', 'xdg-config/cursor'}

failures = []


def expect(ok, msg):
    if not ok:
        failures.append(msg)
        print('FAIL: ' + msg)


def check_app(manifest, app_id, binary):
    ids = [manifest[k] for k in ('id', 'app-id') if k in manifest]
    expect(ids == [app_id], 'exactly one of "id"/"app-id", set to %s' % app_id)
    expect(manifest.get('runtime') == RUNTIME, 'runtime must be ' + RUNTIME)
    expect(manifest.get('sdk') == SDK, 'sdk must be ' + SDK)
    expect(manifest.get('runtime-version') == RUNTIME_VERSION,
           'runtime-version must be the string "%s"' % RUNTIME_VERSION)
    expect(manifest.get('command') == binary, 'command must be ' + binary)


def check_permissions(manifest):
    args = manifest.get('finish-args', [])
    expect(sorted(args) == sorted(FINISH_ARGS) and len(set(args)) == len(args),
           'finish-args must be exactly %s, got %s' % (FINISH_ARGS, args))
    for arg in args:
        if arg.startswith('--filesystem='):
            folder, _, mode = arg[len('--filesystem='):].partition(':')
            expect(folder in READ_ONLY_FOLDERS and mode == 'ro',
                   '%s: the only file access is read-only to Cursor\'s config' % arg)


def check_module(manifest, manifest_path, binary):
    cleanup = manifest.get('cleanup', [])
    for path in ('/include', '/lib/pkgconfig'):
        expect(path in cleanup, 'cleanup must drop ' + path)
    modules = manifest.get('modules', [])
    expect(len(modules) >= 1 and isinstance(modules[-1], dict),
           'the last module must be this project')
    if not modules or not isinstance(modules[-1], dict):
        return
    app = modules[-1]
    expect(app.get('name') == binary, 'the app module must be named ' + binary)
    expect(app.get('buildsystem') == 'meson', 'the app module builds with meson')
    expect('-Dbuildtype=release' in app.get('config-opts', []),
           'the app module builds with -Dbuildtype=release')
    expect(app.get('sources') == [{'type': 'dir', 'path': '..'}],
           'the app module builds this tree: sources [{"type": "dir", "path": ".."}]')
    tree = os.path.join(os.path.dirname(os.path.abspath(manifest_path)), '..')
    expect(os.path.isfile(os.path.join(tree, 'meson.build')),
           'the "dir" source %s holds no meson.build' % tree)


def main(argv):
    if len(argv) != 4:
        print(__doc__)
        return 2
    _, path, app_id, binary = argv
    with open(path, encoding='utf-8') as f:
        manifest = json.load(f)
    check_app(manifest, app_id, binary)
    check_permissions(manifest)
    check_module(manifest, path, binary)
    if not failures:
        print('%s: %s on %s//%s, finish-args %s'
              % (path, app_id, RUNTIME, RUNTIME_VERSION, ' '.join(FINISH_ARGS)))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
