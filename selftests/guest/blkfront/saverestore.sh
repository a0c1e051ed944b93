#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# saverestore.sh DISK: xenpv_blkfront keeps its data and its requests
# across `xl save` + `xl restore` while fio writes.  fio writes a region
# at a limited rate with crc32c headers in every block; a few seconds in,
# the dom0 peer (tools/dom0/xenpv-core-peer, op saverestore) saves the
# guest and restores it as a new domain.  Then fio must finish its writes
# and verify every block, the disk must have reconnected ("reconnected:" in
# the kernel log), and no request may have failed.  Needs xenpv_coretest
# and the peer (the scenario's ON_CREATE).  Destroys the disk's data.
#
# XENPV_SR_BACKEND=qdisk: the restored domain's disk is served by QEMU's
# qdisk instead of blkback (peer op "saverestore qdisk"): no indirect
# segments (11 per request instead of 32 or more), no persistent grants,
# as after a migration to a host with another backend.  A second fio then
# keeps 16 writes of 128 KiB (32 segments each) queued without pause
# (verified as it goes), so requests are on the ring at the save, and
# the test checks that they were requeued at the resume and that what
# was built for the old backend was split to fit the new one.
#
# Copyright (C) 2026 The xenpv authors

. "$(dirname "$0")/lib.sh"
. /tests/core/lib.sh

if ! blk_wait; then
	tap_fail "$BLK_DEV appeared"
	tap_end
fi
tap_ok "$BLK_DEV appeared"
command -v fio >/dev/null 2>&1 || blk_skip_all "fio is not installed"
ct_loaded || blk_skip_all "xenpv_coretest is not loaded (no dom0 peer channel)"

# 48 MiB at 1 MiB/s: the write phase spans the save and the restore.
mib=$(blk_mib "${XENPV_SR_MIB:-48}")
engine=libaio
fio --enghelp=libaio >/dev/null 2>&1 || engine=psync
mkdir -p "$BLK_TMP"
req0=$(blk_x requeued)
split0=$(blk_x split_requests)
segs0=$(blk_q max_segments)
dom0=$(xs_read domid 2>/dev/null)
backend=${XENPV_SR_BACKEND:-}
case "$backend" in
'' | blkback) backend= ;;
qdisk)
	ind=$(blk_x backend_max_indirect_segments)
	case "$ind" in '' | *[!0-9]*) ind=0 ;; esac
	if [ "$ind" -le 11 ]; then
		tap_fail "the first backend offers indirect segments (qdisk test: '$ind')"
		tap_end
	fi
	# Requests in flight at the save need queue depth: not psync.
	[ "$engine" = libaio ] || blk_skip_all "fio has no libaio engine (qdisk test)"
	[ $(( $(blk_sectors) / 2048 )) -ge $(( mib + 24 )) ] ||
		blk_skip_all "$BLK_DEV is smaller than $(( mib + 24 )) MiB (qdisk test)"
	;;
*)
	tap_fail "XENPV_SR_BACKEND=$backend is blkback or qdisk"
	tap_end
	;;
esac

fio --output="$BLK_TMP/fio.out" --filename="$BLK_DEV" --name=sr \
	--rw=write --bs=64k --size="${mib}M" --direct=1 --ioengine="$engine" \
	--iodepth=8 --rate=1m --verify=crc32c --do_verify=1 --verify_fatal=1 \
	--verify_state_save=0 &
fio_pid=$!
burst_pid=
if [ -n "$backend" ]; then
	# Beyond the verified region; sequential, so each block is verified
	# (verify_backlog) before the wrap overwrites it.
	fio --output="$BLK_TMP/burst.out" --filename="$BLK_DEV" --name=burst \
		--rw=write --bs=128k --size=16M --offset=$(( mib + 8 ))M \
		--direct=1 --ioengine="$engine" --iodepth=16 --time_based \
		--runtime=3000 --verify=crc32c --verify_backlog=16 \
		--verify_fatal=1 --verify_state_save=0 &
	burst_pid=$!
fi
sleep 8
if ! kill -0 "$fio_pid" 2>/dev/null; then
	sed 's/^/# /' "$BLK_TMP/fio.out" | tail -n 20
	tap_fail "fio still writing when the save starts"
	tap_end
fi

if ! peer_saverestore "during the writes" "$dom0" $backend; then
	kill "$fio_pid" $burst_pid 2>/dev/null
	wait
	tap_end
fi
if kill -0 "$fio_pid" 2>/dev/null; then
	tap_ok "fio was still writing after the restore"
else
	tap_fail "fio was still writing after the restore (the save came too late)"
fi

if wait "$fio_pid" &&
    ! grep -q 'verify:.*bad\|crc32c: verify failed\|err= *[1-9]' "$BLK_TMP/fio.out"; then
	tap_ok "every block written across the save/restore verifies (${mib} MiB)"
else
	sed 's/^/# /' "$BLK_TMP/fio.out" | tail -n 20
	tap_fail "every block written across the save/restore verifies"
fi

if dmesg | grep -q " $BLK_NAME: reconnected: "; then
	tap_ok "$BLK_NAME reconnected to the new backend"
	tap_diag "$(dmesg | grep " $BLK_NAME: reconnected: " | tail -n 1)"
else
	dmesg | tail -n 15 | sed 's/^/# /'
	tap_fail "$BLK_NAME reconnected to the new backend"
fi
requeued=$(( $(blk_x requeued) - ${req0:-0} ))
split=$(( $(blk_x split_requests) - ${split0:-0} ))
if [ -n "$burst_pid" ]; then
	# fio's exit status after a signal is not its verdict: its report is.
	kill -TERM "$burst_pid" 2>/dev/null
	wait "$burst_pid"
	if grep -q '^burst: .*err= *0' "$BLK_TMP/burst.out" &&
	    ! grep -q 'verify:.*bad\|crc32c: verify failed\|err= *[1-9]' "$BLK_TMP/burst.out"; then
		tap_ok "the back-to-back 128 KiB writes verify across the restore ($(grep -o 'issued rwts: total=[0-9,]*' "$BLK_TMP/burst.out"))"
	else
		head -n 12 "$BLK_TMP/burst.out" | sed 's/^/# /'
		tap_fail "the back-to-back 128 KiB writes verify across the restore"
	fi
	segs1=$(blk_q max_segments)
	if [ "${segs1:-0}" -ge 1 ] && [ "$segs1" -lt "${segs0:-0}" ]; then
		tap_ok "the new backend takes fewer segments per request ($segs0 -> $segs1)"
	else
		tap_fail "the new backend takes fewer segments per request ($segs0 -> $segs1)"
	fi
	tap_diag "backend now: indirect $(blk_x backend_max_indirect_segments), persistent $(blk_x backend_persistent), $(blk_x nr_queues) queue(s)"
	if [ "$requeued" -gt 0 ]; then
		tap_ok "requests on the ring at the save were requeued at the resume ($requeued)"
	else
		tap_fail "requests on the ring at the save were requeued at the resume ($requeued)"
	fi
	if [ "$split" -gt 0 ]; then
		tap_ok "requests built for the old backend were split for the new one ($split)"
	else
		tap_fail "requests built for the old backend were split for the new one ($split)"
	fi
fi
if [ -d "$BLK_X" ]; then
	tap_diag "requests requeued at the resume: $requeued, split: $split"
	tap_eq "no protocol violations" "$(blk_x violations)" 0
	tap_eq "no error responses from the backend" "$(blk_x error_responses)" 0
fi
if dmesg | grep -q 'I/O error.*'"$BLK_NAME"; then
	dmesg | grep 'I/O error' | tail -n 5 | sed 's/^/# /'
	tap_fail "no I/O errors in the kernel log"
else
	tap_ok "no I/O errors in the kernel log"
fi
rm -rf "$BLK_TMP"
tap_end
