#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Install what building, linting, packaging and the kernel matrix need on a
# Debian host (run as root; installs only what is missing).
#
# Copyright (C) 2026 The xenpv authors

set -eu

pkgs="make gcc sparse linux-headers-amd64 debootstrap dpkg-dev debhelper dkms"
missing=
for p in $pkgs dh-dkms; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
[ -n "$missing" ] || { echo "build-deps: all installed"; exit 0; }

apt-get update -q
# dh_dkms is part of dkms before bookworm and its own package after.
case $missing in
*dh-dkms*)
	apt-cache show dh-dkms > /dev/null 2>&1 ||
		missing=$(echo "$missing" | sed 's/ dh-dkms//')
	;;
esac
# shellcheck disable=SC2086 # the list is meant to split
DEBIAN_FRONTEND=noninteractive apt-get install -q -y --no-install-recommends $missing
