#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# partitions.sh DISK: write an MBR with two partitions, have the kernel
# read it, and check the partition devices: minors right after the disk's
# (202:N+1, 202:N+2), sizes and offsets; data written through a partition
# lands at the partition's offset on the disk.  Destroys the disk's data.
#
# Copyright (C) 2026 The xenpv authors

. "$(dirname "$0")/lib.sh"

if ! blk_wait; then
	tap_fail "$BLK_DEV appeared"
	tap_end
fi
tap_ok "$BLK_DEV appeared"
[ "$(blk_q logical_block_size)" = 512 ] ||
	blk_skip_all "MBR test needs 512-byte sectors"
sectors=$(blk_sectors)
[ "$sectors" -ge 16384 ] || blk_skip_all "$BLK_DEV is smaller than 8 MiB"

# le32 VALUE: four bytes, little endian, as printf octal escapes.
le32() {
	v=$1
	out=
	for _ in 1 2 3 4; do
		out="$out\\$(printf %03o $(( v & 255 )))"
		v=$(( v >> 8 ))
	done
	printf '%s' "$out"
}

# Partition 1: sectors 2048..(2048+4096), partition 2: the next 4096.
s1=2048 n1=4096 s2=6144 n2=4096
entry() {
	printf '\000\000\000\000\203\000\000\000'
	# shellcheck disable=SC2059
	printf "$(le32 "$1")$(le32 "$2")"
}
{
	dd if=/dev/zero bs=446 count=1 2>/dev/null
	entry "$s1" "$n1"
	entry "$s2" "$n2"
	dd if=/dev/zero bs=32 count=1 2>/dev/null
	printf '\125\252'
} >"$BLK_TMP/mbr"
tap_eq "MBR is 512 bytes" "$(wc -c <"$BLK_TMP/mbr" | tr -d ' ')" 512
blk_run "write the MBR" dd if="$BLK_TMP/mbr" of="$BLK_DEV" bs=512 count=1 conv=fsync

blockdev --rereadpt "$BLK_DEV" 2>/dev/null
wait_for "$BLK_SYS/${BLK_NAME}2" 10
major_minor=$(cat "$BLK_SYS/dev")
base=${major_minor#*:}
for p in 1 2; do
	part=$BLK_SYS/$BLK_NAME$p
	if [ ! -d "$part" ]; then
		tap_fail "partition $p appeared"
		continue
	fi
	tap_ok "partition $p appeared"
	if [ "$p" = 1 ]; then ws=$s1 wn=$n1; else ws=$s2 wn=$n2; fi
	tap_eq "partition $p start" "$(cat "$part/start")" "$ws"
	tap_eq "partition $p size" "$(cat "$part/size")" "$wn"
	tap_eq "partition $p device number" "$(cat "$part/dev")" "202:$(( base + p ))"
done

if wait_for "/dev/${BLK_NAME}2" 10; then
	head -c 1048576 /dev/urandom >"$BLK_TMP/pat"
	want=$(sha256sum <"$BLK_TMP/pat" | cut -d' ' -f1)
	dd if="$BLK_TMP/pat" of="/dev/${BLK_NAME}2" bs=65536 conv=fsync 2>/dev/null
	echo 3 >/proc/sys/vm/drop_caches
	got=$(dd if="$BLK_DEV" bs=512 skip="$s2" count=2048 2>/dev/null |
		sha256sum | cut -d' ' -f1)
	tap_eq "data written to partition 2 is at its offset on the disk" "$got" "$want"
else
	tap_fail "/dev/${BLK_NAME}2 appeared"
fi

# Leave the disk without a partition table.
dd if=/dev/zero of="$BLK_DEV" bs=512 count=1 conv=fsync 2>/dev/null
blockdev --rereadpt "$BLK_DEV" 2>/dev/null
tap_end
