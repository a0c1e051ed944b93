# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Common setup for the xenpv_blkfront guest tests (POSIX sh, busybox):
# sourced by each test with the test's arguments.  The disk under test is
# $1 or $XENPV_TEST_DISK, given as "xvdb" or "/dev/xvdb"; its data is
# destroyed.  Loads the TAP helpers of selftests/guest/lib/tap.sh (through
# lib/tap-start.sh).
#
# Copyright (C) 2026 The xenpv authors

# shellcheck disable=SC2034 # BLK_* variables are used by the tests
blk_here=$(cd "$(dirname "$0")" && pwd)
# shellcheck disable=SC1091
. "$blk_here/../lib/tap-start.sh"

blk_arg=${1:-${XENPV_TEST_DISK:-}}
if [ -z "$blk_arg" ]; then
	echo "Bail out! usage: $0 DISK (or XENPV_TEST_DISK=DISK)"
	exit 1
fi
BLK_NAME=${blk_arg#/dev/}
BLK_DEV=/dev/$BLK_NAME
BLK_SYS=/sys/block/$BLK_NAME
BLK_X=$BLK_SYS/xenpv
BLK_TMP=${TMPDIR:-/tmp}/xenpv-blk.$$

# The disk node and its sysfs directory must show up within 30 s.
blk_wait() {
	wait_for "$BLK_DEV" 30 && wait_for "$BLK_SYS" 5
}

# Value of a /sys/block/<disk>/xenpv attribute (empty if missing).
blk_x() {
	cat "$BLK_X/$1" 2>/dev/null
}

# Value of a /sys/block/<disk>/queue attribute.
blk_q() {
	cat "$BLK_SYS/queue/$1" 2>/dev/null
}

# Module parameter of xenpv_blkfront.
blk_param() {
	cat "/sys/module/xenpv_blkfront/parameters/$1" 2>/dev/null
}

# Disk size in 512-byte sectors.
blk_sectors() {
	cat "$BLK_SYS/size" 2>/dev/null || echo 0
}

# Sets BLK_IFLAG/BLK_OFLAG to the dd flags for O_DIRECT when this dd has
# them (busybox builds may not), else to a harmless flag.  Reads one block.
blk_dd_probe() {
	if dd if="$BLK_DEV" of=/dev/null bs=4096 count=1 iflag=direct \
	    2>/dev/null; then
		BLK_IFLAG=iflag=direct
		BLK_OFLAG=oflag=direct
	else
		BLK_IFLAG=conv=noerror
		BLK_OFLAG=conv=fsync
		tap_diag "dd has no O_DIRECT flags: buffered I/O instead"
	fi
}

# CPUs the kernel can have (nr_cpu_ids), from the "possible" mask.
blk_possible_cpus() {
	p=$(cat /sys/devices/system/cpu/possible 2>/dev/null)
	echo $(( ${p##*[-,]} + 1 ))
}

# Size in MiB the test may use: min(disk size, $1 MiB), at least 1.
blk_mib() {
	m=$(( $(blk_sectors) / 2048 ))
	[ "$m" -gt "$1" ] && m=$1
	[ "$m" -lt 1 ] && m=1
	echo "$m"
}

# blk_run "desc" command args...: one TAP point; the command's output is
# shown as diagnostics only when it fails.
blk_run() {
	desc=$1
	shift
	if "$@" >"$BLK_TMP/run.out" 2>&1; then
		tap_ok "$desc"
	else
		sed 's/^/# /' "$BLK_TMP/run.out" | tail -n 20
		tap_fail "$desc"
	fi
}

# Skip the whole test (exit 4) with a reason.
blk_skip_all() {
	tap_skip "$*"
	tap_end
}

mkdir -p "$BLK_TMP"
trap 'rm -rf "$BLK_TMP"' EXIT
