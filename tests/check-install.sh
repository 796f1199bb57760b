#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs the build into a scratch DESTDIR and checks that everything a
# desktop needs lands where it looks for it, and nothing lands outside the
# prefix. Translations follow po/LINGUAS, so the check tightens by itself
# when a language is added.
#
# usage: check-install.sh MESON BUILD_ROOT SOURCE_ROOT APP_ID BINARY \
#                         PREFIX BINDIR DATADIR LOCALEDIR
set -eu

[ $# -eq 9 ] || { echo "usage: $0 MESON BUILD_ROOT SOURCE_ROOT APP_ID BINARY PREFIX BINDIR DATADIR LOCALEDIR" >&2; exit 2; }
meson=$1 build_root=$2 source_root=$3 app_id=$4 binary=$5
prefix=$6 bindir=$7 datadir=$8 localedir=$9

dest=$(mktemp -d "${TMPDIR:-/tmp}/cr-install.XXXXXX")
trap 'rm -rf "$dest"' EXIT INT TERM

"$meson" install -C "$build_root" --no-rebuild --quiet --destdir "$dest"

failed=0
fail () { echo "FAIL: $*"; failed=1; }
need_file () { [ -f "$dest$1" ] && [ -s "$dest$1" ] || fail "not installed: $1"; }

[ -x "$dest$bindir/$binary" ] || fail "not installed or not executable: $bindir/$binary"

desktop=$datadir/applications/$app_id.desktop
metainfo=$datadir/metainfo/$app_id.metainfo.xml
need_file "$desktop"
need_file "$metainfo"
need_file "$datadir/icons/hicolor/scalable/apps/$app_id.svg"
need_file "$datadir/icons/hicolor/symbolic/apps/$app_id-symbolic.svg"
need_file "$datadir/glib-2.0/schemas/$app_id.gschema.xml"

# The pieces must point at each other: the launcher at the binary and the
# icon, the metainfo at the launcher.
if [ -f "$dest$desktop" ]; then
  grep -Eq "^Exec=$binary( |\$)" "$dest$desktop" || fail "$desktop does not run $binary"
  grep -qx "Icon=$app_id" "$dest$desktop" || fail "$desktop does not use the icon $app_id"
fi
if [ -f "$dest$metainfo" ]; then
  grep -q "<launchable type=\"desktop-id\">$app_id.desktop</launchable>" "$dest$metainfo" \
    || fail "$metainfo does not launch $app_id.desktop"
fi
if [ -d "$dest$datadir/glib-2.0/schemas" ]; then
  glib-compile-schemas --strict --dry-run "$dest$datadir/glib-2.0/schemas" \
    || fail "the installed schema does not compile"
fi

# One catalogue per language in LINGUAS, and no other.
langs=$(sed 's/#.*//' "$source_root/po/LINGUAS" | tr -s ' \t' '\n\n' | sed '/^$/d')
for lang in $langs; do
  need_file "$localedir/$lang/LC_MESSAGES/$app_id.mo"
  if [ -f "$dest$desktop" ]; then
    grep -q "^Comment\[$lang\]=" "$dest$desktop" || fail "$desktop has no $lang Comment"
  fi
done
if [ -d "$dest$localedir" ]; then
  for mo in $(cd "$dest$localedir" && find . -name '*.mo' | sort); do
    lang=$(echo "$mo" | cut -d/ -f2)
    echo "$langs" | grep -qx "$lang" || fail "$localedir/$mo is not a language in po/LINGUAS"
  done
fi
echo "languages in po/LINGUAS: ${langs:-(none)}"

# Everything under the prefix: a stray absolute install_dir would escape it.
stray=$(cd "$dest" && find . -type f | sed 's|^\.||' | grep -v "^$prefix/" || true)
[ -z "$stray" ] || fail "installed outside $prefix: $stray"

echo "installed files:"
(cd "$dest" && find . -type f | sed 's|^\.||' | sort)
exit $failed
