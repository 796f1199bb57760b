#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# po/POTFILES.in must list every file with strings for translators, or those
# strings silently stay English: C files that call a gettext macro, .ui files
# with translatable="yes", and the desktop, metainfo and schema files.
# Every listed file must exist, once.
#
# usage: check-potfiles.sh SOURCE_ROOT
set -eu

[ $# -eq 1 ] || { echo "usage: $0 SOURCE_ROOT" >&2; exit 2; }
cd "$1"

failed=0
fail () { echo "FAIL: $*"; failed=1; }

listed=$(sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' po/POTFILES.in)

for f in $listed; do
  [ -f "$f" ] || fail "po/POTFILES.in lists $f, which does not exist"
done
dups=$(echo "$listed" | sort | uniq -d)
[ -z "$dups" ] || fail "po/POTFILES.in lists these more than once: $dups"

# _("…"), N_("…"), C_("ctx", "…"), NC_(…), ngettext and friends; the call
# may break the line right after the parenthesis.
c_pattern='(^|[^A-Za-z0-9_])(_|N_|C_|NC_|g_dngettext|g_dpgettext2|ngettext)[[:space:]]*\([[:space:]]*("|$)'
wanted=$( (find src -name '*.c' -o -name '*.h' | sort | xargs -r grep -lE "$c_pattern" || true
           find src data -name '*.ui' | sort | xargs -r grep -l 'translatable="yes"' || true
           find data -maxdepth 1 \( -name '*.desktop.in' -o -name '*.metainfo.xml.in' \
                                    -o -name '*.gschema.xml' \) | sort) | sort -u)

for f in $wanted; do
  echo "$listed" | grep -qxF "$f" || fail "$f has translatable strings: add it to po/POTFILES.in"
done

echo "files with translatable strings:"
echo "$wanted"
exit $failed
