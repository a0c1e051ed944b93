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
dom0=$(xs_read domid 2>/dev/null)

fio --output="$BLK_TMP/fio.out" --filename="$BLK_DEV" --name=sr \
	--rw=write --bs=64k --size="${mib}M" --direct=1 --ioengine="$engine" \
	--iodepth=8 --rate=1m --verify=crc32c --do_verify=1 --verify_fatal=1 \
	--verify_state_save=0 &
fio_pid=$!
sleep 8
if ! kill -0 "$fio_pid" 2>/dev/null; then
	sed 's/^/# /' "$BLK_TMP/fio.out" | tail -n 20
	tap_fail "fio still writing when the save starts"
	tap_end
fi

if ! peer_saverestore "during the writes" "$dom0"; then
	kill "$fio_pid" 2>/dev/null
	wait "$fio_pid"
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
if [ -d "$BLK_X" ]; then
	tap_diag "requests requeued at the resume: $(( $(blk_x requeued) - ${req0:-0} ))"
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
