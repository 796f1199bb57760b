#!/bin/sh
# The app is not linked to libsoup: it opens it at the first request (see
# src/core/cr-soup.h), so a start does not load libsoup's ~15 libraries.
# Usage: check-startup-libraries.sh PROGRAM
set -eu
needed=$(readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
echo "$needed" | grep -q '^libgtk-4\.so' || { echo "no NEEDED list read from $1" >&2; exit 1; }
if echo "$needed" | grep '^libsoup'; then
  echo "$1 is linked to libsoup: keep it out of core_deps" >&2
  exit 1
fi
echo "$1 needs: $(echo $needed)"
