# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Start of a test library such as blkfront/lib.sh or netfront/lib.sh
# (POSIX sh, busybox), sourced as "$here/../lib/tap-start.sh" with $here
# the test's directory: loads the TAP helpers from $XENPV_TAP_LIB, else
# /tests/lib/tap.sh (the guest), else the tap.sh next to this file; bails
# out when none is found; starts the TAP stream.
#
# Copyright (C) 2026 The xenpv authors

for ts_lib in "${XENPV_TAP_LIB:-}" /tests/lib/tap.sh \
	"$(cd "$(dirname "$0")" && pwd)/../lib/tap.sh"; do
	if [ -n "$ts_lib" ] && [ -r "$ts_lib" ]; then
		# shellcheck disable=SC1090
		. "$ts_lib"
		break
	fi
done
if ! command -v tap_ok >/dev/null 2>&1; then
	echo "Bail out! tap.sh not found"
	exit 1
fi

echo "TAP version 13"
