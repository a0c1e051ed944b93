#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Print the xenpv version for the tree at $1 (default: this file's parent).
#
# Copyright (C) 2026 The xenpv authors
#
# From `git describe --tags --dirty --always` when the tree is its own git
# checkout (never a repository above it: an unpacked copy inside some other
# checkout reports the copy's compat/version, not the outer commit),
# otherwise compat/version.  The result never contains '-', so it serves
# unchanged as module, DKMS and Debian version:
#   tag v0.2.0 exactly         -> 0.2.0
#   3 commits after v0.2.0     -> 0.2.0+3.g1a2b3c4d5e6f
#   no tag yet                 -> <compat/version>+g1a2b3c4d5e6f
#   uncommitted changes        -> ... + ".dirty"

root=${1:-$(dirname "$0")/..}
root=$(cd "$root" && pwd)
base=$(sed -n '1{s/[[:space:]]//g;p;}' "$root/compat/version" 2>/dev/null)
[ -n "$base" ] || base=0.0.0

tagged=
untagged=
if [ -e "$root/.git" ] && command -v git > /dev/null 2>&1; then
	export GIT_CEILING_DIRECTORIES="$(dirname "$root")"
	tagged=$(git -C "$root" describe --tags --dirty=.dirty --abbrev=12 2>/dev/null)
	[ -n "$tagged" ] ||
		untagged=$(git -C "$root" describe --always --dirty=.dirty --abbrev=12 2>/dev/null)
fi

if [ -n "$tagged" ]; then
	# v0.2.0[-3-g1a2b3c4d5e6f][.dirty]
	echo "$tagged" | sed -e 's/^v//' -e 's/-\([0-9][0-9]*\)-g\([0-9a-f]*\)/+\1.g\2/' -e 's/-/./g'
elif [ -n "$untagged" ]; then
	echo "$base+g$untagged"
else
	echo "$base"
fi
