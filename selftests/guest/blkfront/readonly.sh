#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# readonly.sh DISK: for a vbd the backend exports read-only (mode=r):
# the disk is read-only to the block layer, reads work and return stable
# data, and writes of every kind fail without changing the data.
#
# Copyright (C) 2026 The xenpv authors

. "$(dirname "$0")/lib.sh"

if ! blk_wait; then
	tap_fail "$BLK_DEV appeared"
	tap_end
fi
tap_ok "$BLK_DEV appeared"
blk_dd_probe
tap_eq "block layer read-only" "$(cat "$BLK_SYS/ro")" 1
[ -d "$BLK_X" ] && tap_eq "backend info has VDISK_READONLY" "$(blk_x read_only)" 1
tap_eq "blockdev --getro" "$(blockdev --getro "$BLK_DEV" 2>/dev/null)" 1

mib=$(blk_mib 4)
sum() {
	dd if="$BLK_DEV" bs=1M count="$mib" "$BLK_IFLAG" 2>/dev/null | sha256sum | cut -d' ' -f1
}
a=$(sum)
echo 3 >/proc/sys/vm/drop_caches
b=$(sum)
tap_eq "reads are stable" "$b" "$a"

if [ "$BLK_OFLAG" = oflag=direct ]; then
	if dd if=/dev/urandom of="$BLK_DEV" bs=4096 count=1 oflag=direct 2>/dev/null; then
		tap_fail "O_DIRECT write is refused"
	else
		tap_ok "O_DIRECT write is refused"
	fi
fi
if dd if=/dev/urandom of="$BLK_DEV" bs=4096 count=1 conv=fsync 2>/dev/null; then
	tap_fail "buffered write is refused"
else
	tap_ok "buffered write is refused"
fi
if command -v blkdiscard >/dev/null 2>&1; then
	if blkdiscard -o 0 -l 1048576 "$BLK_DEV" 2>/dev/null; then
		tap_fail "discard is refused"
	else
		tap_ok "discard is refused"
	fi
fi
echo 3 >/proc/sys/vm/drop_caches
tap_eq "data unchanged" "$(sum)" "$a"
tap_end
