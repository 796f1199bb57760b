#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks the built AppStream metainfo beyond what appstreamcli enforces.

  check-metainfo.py validate METAINFO APP_ID VERSION
      appstreamcli must pass with no issue at all except the one pair that
      old and new validators disagree on (<developer> vs <developer_name>),
      and the file must agree with the desktop ID, the project version and
      the screenshot URL scheme.
  check-metainfo.py screenshots METAINFO_IN SCREENSHOTS_DIR
      every screenshot the metainfo points at exists as a PNG in the tree.
      Skips (77) while the folder has no PNG yet: the UI tests produce them.
"""

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

SCREENSHOT_PREFIX = ('https://github.com/crazyrouter/setup-assistant/raw/main/'
                     'data/screenshots/')
# appstream 0.16 does not know <developer>; appstream 1.0 deprecates
# <developer_name>. We ship both, so each validator reports one info.
TOLERATED = [
    re.compile(r'unknown-tag developer$'),
    re.compile(r'developer-name-tag-deprecated\b'),
]
ISSUE_LINE = re.compile(r'^([EWI]): \S+: (.*)$')

failures = []


def fail(msg):
    failures.append(msg)
    print('FAIL: ' + msg)


def run_validator(path):
    tool = shutil.which('appstreamcli')
    if tool is None:
        print('appstreamcli not found: install the "appstream" package')
        sys.exit(77)
    proc = subprocess.run([tool, 'validate', '--no-net', '--explain', path],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True)
    print(proc.stdout)
    if proc.returncode != 0:
        fail('appstreamcli validate --no-net failed')
    for line in proc.stdout.splitlines():
        m = ISSUE_LINE.match(line)
        if m and not any(t.search(m.group(2)) for t in TOLERATED):
            fail('appstreamcli reported: ' + line)


def screenshot_urls(root):
    return [img.text.strip() for img in root.iter('image')
            if img.get('type', 'source') == 'source']


def check_contents(root, app_id, version):
    if root.findtext('id') != app_id:
        fail('<id> is %r, expected %r' % (root.findtext('id'), app_id))
    launchable = root.find("launchable[@type='desktop-id']")
    if launchable is None or launchable.text != app_id + '.desktop':
        fail('<launchable type="desktop-id"> must be %s.desktop' % app_id)
    if root.findtext('translation') != app_id:
        fail('<translation type="gettext"> must name the gettext package %s'
             % app_id)
    releases = root.findall('releases/release')
    if not releases or releases[0].get('version') != version:
        fail('the newest <release> must be the project version %s' % version)
    shots = root.findall('screenshots/screenshot')
    if not shots or shots[0].get('type') != 'default':
        fail('the first screenshot must be type="default"')
    for shot in shots:
        if not shot.findtext('caption'):
            fail('every screenshot needs a caption')
    for url in screenshot_urls(root):
        if not (url.startswith(SCREENSHOT_PREFIX) and url.endswith('.png')):
            fail('screenshot %s is not a PNG under %s' % (url, SCREENSHOT_PREFIX))


def check_screenshots(root, shots_dir):
    names = [url[len(SCREENSHOT_PREFIX):] for url in screenshot_urls(root)]
    present = sorted(f for f in os.listdir(shots_dir) if f.endswith('.png')) \
        if os.path.isdir(shots_dir) else []
    if not present:
        print('SKIP: no screenshots in %s yet (expected: %s)'
              % (shots_dir, ', '.join(names)))
        sys.exit(77)
    for name in names:
        path = os.path.join(shots_dir, name)
        if not os.path.isfile(path):
            fail('screenshot %s is listed but missing' % path)
            continue
        with open(path, 'rb') as f:
            if f.read(8) != b'\x89PNG\r\n\x1a\n':
                fail('%s is not a PNG' % path)
    for name in present:
        if name not in names:
            fail('%s is not listed in the metainfo' % name)


def main(argv):
    if len(argv) == 5 and argv[1] == 'validate':
        _, _, path, app_id, version = argv
        run_validator(path)
        check_contents(ET.parse(path).getroot(), app_id, version)
    elif len(argv) == 4 and argv[1] == 'screenshots':
        _, _, path, shots_dir = argv
        check_screenshots(ET.parse(path).getroot(), shots_dir)
    else:
        print(__doc__)
        return 2
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
