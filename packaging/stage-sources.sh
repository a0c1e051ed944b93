#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copy what DKMS needs to build xenpv into DEST, with the version filled in.
#
# Copyright (C) 2026 The xenpv authors
#
# Usage: packaging/stage-sources.sh SRCROOT DEST VERSION
#
# Shipped: Kbuild, Makefile, dkms.conf, the README and licence, include/,
# compat/ (without its generated results and its test module) and the
# module directories ./Kbuild lists.  Left out: tests, tools, docs,
# packaging, VCS data and build products.  DEST/compat/version gets
# VERSION, so a build from the copy reports the version it was made from,
# and dkms.conf's #MODULE_VERSION# placeholder becomes VERSION.

set -eu

[ $# -eq 3 ] || { echo "usage: $0 SRCROOT DEST VERSION" >&2; exit 2; }
src=$(cd "$1" && pwd)
dest=$2
version=$3

dirs=$(sed -n 's/^obj-m[[:space:]]*[:+]\{0,1\}=//p' "$src/Kbuild" | tr -s ' /' '\n\n' | sed '/^$/d')
[ -n "$dirs" ] || { echo "$0: no module directories in $src/Kbuild" >&2; exit 1; }

files="Kbuild Makefile dkms.conf include compat"
for f in README.md COPYING LICENSE; do
	[ -e "$src/$f" ] && files="$files $f"
done
for d in $dirs; do
	[ -d "$src/$d" ] || { echo "$0: module directory $d/ is missing" >&2; exit 1; }
	files="$files $d"
done

rm -rf "$dest"
mkdir -p "$dest"
# shellcheck disable=SC2086 # word splitting of the file list is intended
tar -C "$src" --exclude-vcs --exclude=compat/generated --exclude=compat/check \
	--exclude='*.o' --exclude='*.ko' --exclude='*.mod' --exclude='*.mod.c' \
	--exclude='.*.cmd' --exclude='.*.d' --exclude=modules.order \
	--exclude=Module.symvers --exclude='*.dwo' --exclude=.tmp_versions \
	-cf - $files | tar -C "$dest" -xf -

echo "$version" > "$dest/compat/version"
sed -i "s/#MODULE_VERSION#/$version/" "$dest/dkms.conf"
