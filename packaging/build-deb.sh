#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Build the xenpv-dkms Debian package from the source tree.
#
# Copyright (C) 2026 The xenpv authors
#
# Usage: packaging/build-deb.sh SRCROOT OUTDIR VERSION
#
# Stages OUTDIR/xenpv-VERSION/ (src/ = the DKMS sources, debian/ from
# packaging/debian plus a generated changelog) and runs dpkg-buildpackage
# there; the .deb lands in OUTDIR.  Needs debhelper, dkms and dh-dkms
# (dh_dkms is a separate package from bookworm on).

set -eu

[ $# -eq 3 ] || { echo "usage: $0 SRCROOT OUTDIR VERSION" >&2; exit 2; }
src=$(cd "$1" && pwd)
mkdir -p "$2"
out=$(cd "$2" && pwd)
version=$3

missing=
for t in dpkg-buildpackage dh dh_dkms; do
	command -v "$t" > /dev/null 2>&1 || missing="$missing $t"
done
if [ -n "$missing" ]; then
	echo "build-deb: missing:$missing; install them: apt-get install dpkg-dev debhelper dkms dh-dkms" >&2
	exit 1
fi

stage=$out/xenpv-$version
rm -rf "$stage"
"$src/packaging/stage-sources.sh" "$src" "$stage/src" "$version"
cp -r "$src/packaging/debian" "$stage/debian"

date=$(date -R ${SOURCE_DATE_EPOCH:+-d @$SOURCE_DATE_EPOCH})
cat > "$stage/debian/changelog" <<EOT
xenpv ($version) UNRELEASED; urgency=medium

  * Built from the source tree by \`make deb\` (version $version).

 -- ${DEBFULLNAME:-The xenpv authors} <${DEBEMAIL:-xenpv@localhost}>  $date
EOT

rm -f "$out"/xenpv-dkms_*.deb "$out"/xenpv_*.buildinfo "$out"/xenpv_*.changes
(cd "$stage" && dpkg-buildpackage -b -us -uc) > "$out/build.log" 2>&1 || {
	echo "build-deb: dpkg-buildpackage failed; last lines of $out/build.log:" >&2
	tail -n 30 "$out/build.log" >&2
	exit 1
}
rm -rf "$stage"
deb=$(ls "$out"/xenpv-dkms_"$version"_all.deb)
echo "xenpv: built $deb"
echo "xenpv: install it with: sudo apt-get install $deb   (or dpkg -i)"
