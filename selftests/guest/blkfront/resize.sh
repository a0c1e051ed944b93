#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# resize.sh VDEV: online resize of a mounted disk.  dom0 attaches a 64 MiB
# blkback disk as VDEV; the guest makes ext4 on it, mounts it and writes
# files; dom0 grows the image to 128 MiB (blkback notices, rewrites
# "sectors" and its state).  The guest must see the new
# size while the filesystem stays mounted, grow the filesystem into it
# (resize2fs), keep every file intact, fill part of the new space, and
# pass a forced fsck after unmounting.  Then dom0 detaches the disk.
# Needs xenpv_coretest and the dom0 peer (ON_CREATE); VDEV must not exist.
#
# Copyright (C) 2026 The xenpv authors

. "$(dirname "$0")/lib.sh"
. /tests/core/lib.sh

mnt=/mnt/xenpv-resize
ct_require
[ -e "$BLK_DEV" ] && blk_skip_all "$BLK_DEV exists before the attach"
command -v mkfs.ext4 >/dev/null 2>&1 || blk_skip_all "mkfs.ext4 is not installed"

ans=$(PEER_TIMEOUT=90 peer_call disk-attach "$BLK_NAME" 64 blkback)
if [ $? != 0 ]; then
	tap_fail "dom0 attached a 64 MiB disk as $BLK_NAME: $ans"
	tap_end
fi
sectors_are() { [ "$(blk_sectors)" = "$1" ]; }
if blk_wait && wait_until 10 sectors_are 131072; then
	tap_ok "$BLK_NAME attached with 131072 sectors"
else
	tap_fail "$BLK_NAME attached with 131072 sectors ($(blk_sectors))"
	tap_end
fi

blk_run "mkfs.ext4 on $BLK_NAME" mkfs.ext4 -q -F "$BLK_DEV"
mkdir -p "$mnt"
if ! mount -t ext4 "$BLK_DEV" "$mnt"; then
	tap_fail "mount $BLK_NAME"
	tap_end
fi
tap_ok "mount $BLK_NAME"
i=0
while [ "$i" -lt 8 ]; do
	head -c 4194304 /dev/urandom >"$mnt/f$i"
	i=$((i + 1))
done
sync
(cd "$mnt" && sha256sum f*) >"$BLK_TMP/sums"
size0=$(df -k "$mnt" | awk 'NR == 2 { print $2 }')

ans=$(PEER_TIMEOUT=60 peer_call disk-resize "$BLK_NAME" 128)
if [ $? = 0 ]; then
	tap_ok "dom0 grew the image to 128 MiB ($ans)"
else
	tap_fail "dom0 grew the image to 128 MiB: $ans"
fi
# blkback's service thread notices the new size (it checks it every time
# it wakes, at least every 100 ms) and rewrites "sectors" and its state.
if wait_until 30 sectors_are 262144; then
	tap_ok "the guest sees 262144 sectors with the filesystem mounted"
else
	tap_fail "the guest sees 262144 sectors with the filesystem mounted ($(blk_sectors))"
fi
dmesg | grep " $BLK_NAME: size changed" | tail -n 1 | sed 's/^/# /'

if command -v resize2fs >/dev/null 2>&1; then
	blk_run "resize2fs grows the mounted filesystem" resize2fs "$BLK_DEV"
	size1=$(df -k "$mnt" | awk 'NR == 2 { print $2 }')
	if [ "$size1" -gt $((size0 + 50000)) ]; then
		tap_ok "filesystem grew from $size0 to $size1 KiB"
	else
		tap_fail "filesystem grew ($size0 -> $size1 KiB)"
	fi
	# More than the old size holds: lands in the new space.
	if head -c 73400320 /dev/urandom >"$mnt/big" && sync; then
		tap_ok "70 MiB more written after the resize"
	else
		tap_fail "70 MiB more written after the resize"
	fi
	sha256sum "$mnt/big" | cut -d' ' -f1 >"$BLK_TMP/big.sum"
else
	tap_skip "resize2fs is not installed"
fi
if (cd "$mnt" && sha256sum -c "$BLK_TMP/sums" >"$BLK_TMP/check.out" 2>&1); then
	tap_ok "files written before the resize are intact"
else
	sed 's/^/# /' "$BLK_TMP/check.out"
	tap_fail "files written before the resize are intact"
fi
umount "$mnt"
# Read back from the disk, not from the page cache.
echo 3 >/proc/sys/vm/drop_caches
if [ -s "$BLK_TMP/big.sum" ] && mount -t ext4 -o ro "$BLK_DEV" "$mnt"; then
	tap_eq "the file in the new space reads back equal after a remount" \
		"$(sha256sum "$mnt/big" | cut -d' ' -f1)" "$(cat "$BLK_TMP/big.sum")"
	umount "$mnt"
fi
if command -v e2fsck >/dev/null 2>&1; then
	blk_run "e2fsck -fn finds no errors" e2fsck -fn "$BLK_DEV"
fi

ans=$(PEER_TIMEOUT=120 peer_call disk-detach "$BLK_NAME")
if [ $? = 0 ] && wait_until 30 test ! -e "$BLK_DEV"; then
	tap_ok "$BLK_NAME detached ($ans)"
else
	tap_fail "$BLK_NAME detached: $ans"
fi
tap_end
