#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# hotplug.sh VDEV [BACKEND]: a disk attached and detached while the guest
# runs (xl block-attach / block-detach from the dom0 peer, BACKEND blkback
# or qdisk, default blkback).  Three rounds on the same VDEV:
#   1. attach: the disk appears with the size dom0 gave it and passes a
#      short fio verify; detach while idle: it disappears.
#   2. attach again (the old instance left nothing behind): detach while
#      fio is writing to it: fio ends (its I/O fails, nothing hangs), the
#      disk disappears, the kernel logs no warning.
#   3. attach a third time: fio verify passes again.
# In native mode the grant references in use are back to their count
# before the first attach.  Needs xenpv_coretest and the dom0 peer
# (ON_CREATE), and VDEV not present at the start.
#
# Copyright (C) 2026 The xenpv authors

. "$(dirname "$0")/lib.sh"
. /tests/core/lib.sh

be=${2:-blkback}
hot_mib=64

ct_require
[ -e "$BLK_DEV" ] && blk_skip_all "$BLK_DEV exists before the attach"
command -v fio >/dev/null 2>&1 || blk_skip_all "fio is not installed"
engine=libaio
fio --enghelp=libaio >/dev/null 2>&1 || engine=psync
hotplug_begin

gone() { [ ! -e "$BLK_DEV" ] && [ ! -e "$BLK_SYS" ]; }
sectors_are() { [ "$(blk_sectors)" = "$1" ]; }

attach() {
	ans=$(PEER_TIMEOUT=90 peer_call disk-attach "$BLK_NAME" "$hot_mib" "$be")
	if [ $? != 0 ]; then
		tap_fail "dom0 attached a $hot_mib MiB $be disk as $BLK_NAME ($1): $ans"
		tap_end
	fi
	if blk_wait; then
		tap_ok "$BLK_NAME appeared after the attach ($1, $ans)"
	else
		tap_fail "$BLK_NAME appeared after the attach ($1)"
		dmesg | tail -n 15 | sed 's/^/# /'
		tap_end
	fi
	# The size comes with the connect; the node may show up just before.
	wait_until 10 sectors_are $((hot_mib * 2048))
	tap_eq "$BLK_NAME has the attached size in sectors" "$(blk_sectors)" $((hot_mib * 2048))
}

detach() {
	ans=$(PEER_TIMEOUT=120 peer_call disk-detach "$BLK_NAME")
	if [ $? = 0 ]; then
		tap_ok "dom0 detached $BLK_NAME ($1, $ans)"
	else
		tap_fail "dom0 detached $BLK_NAME ($1): $ans"
	fi
	if wait_until 30 gone; then
		tap_ok "$BLK_NAME is gone from the guest ($1)"
	else
		tap_fail "$BLK_NAME is gone from the guest ($1)"
		dmesg | tail -n 15 | sed 's/^/# /'
	fi
}

verify() {
	if fio --output="$BLK_TMP/fio.out" --filename="$BLK_DEV" --name=hot \
	    --rw=randwrite --bsrange=4k-256k --size=32M --direct=1 \
	    --ioengine="$engine" --iodepth=16 --verify=crc32c --do_verify=1 \
	    --verify_fatal=1 --verify_state_save=0 &&
	    ! grep -q 'verify:.*bad\|crc32c: verify failed\|err= *[1-9]' "$BLK_TMP/fio.out"; then
		tap_ok "fio verify on the attached $BLK_NAME ($1)"
	else
		sed 's/^/# /' "$BLK_TMP/fio.out" | tail -n 20
		tap_fail "fio verify on the attached $BLK_NAME ($1)"
	fi
}

attach "round 1"
verify "round 1"
detach "round 1, idle"

attach "round 2"
# Long enough to be writing when the detach comes, rate-limited so the
# backend still has requests of ours when it closes.
fio --output="$BLK_TMP/fio2.out" --filename="$BLK_DEV" --name=busy \
	--rw=randwrite --bs=64k --size=60M --direct=1 --ioengine="$engine" \
	--iodepth=8 --rate=2m --time_based --runtime=120 &
fio_pid=$!
sleep 4
if ! pid_exited "$fio_pid"; then
	tap_ok "fio writing to $BLK_NAME when the detach starts"
else
	sed 's/^/# /' "$BLK_TMP/fio2.out" | tail -n 10
	tap_fail "fio writing to $BLK_NAME when the detach starts"
fi
detach "round 2, under fio"
# fio must see its I/O fail and end, not wait forever.
tap_job_ends 60 "$fio_pid" "fio ended after the disk went away"
grep -o 'err=[ 0-9]*[^,]*' "$BLK_TMP/fio2.out" | head -n 3 | sed 's/^/# fio: /'
dmesg | grep " $BLK_NAME: " | tail -n 4 | sed 's/^/# /'

attach "round 3"
verify "round 3"
detach "round 3, idle"

hotplug_end_checks
tap_end
