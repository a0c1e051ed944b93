#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# fio-verify.sh DISK: data integrity under load.  Sequential and random
# writes of 4 KiB .. 1 MiB blocks from several jobs at queue depth 16
# (O_DIRECT, so requests reach the driver as built: multi-queue, indirect
# segments, splitting), then every block is read back and its crc32c
# checked.  A buffered pass and a pass with 512-byte aligned (not page
# aligned) buffers cover the page cache and sub-page segments.  Destroys
# the disk's data.
#
# Copyright (C) 2026 The xenpv authors

. "$(dirname "$0")/lib.sh"

if ! blk_wait; then
	tap_fail "$BLK_DEV appeared"
	tap_end
fi
tap_ok "$BLK_DEV appeared"
command -v fio >/dev/null 2>&1 || blk_skip_all "fio is not installed"

# Region written: XENPV_FIO_MIB (default 64 MiB; the rig runs under TCG).
mib=$(blk_mib "${XENPV_FIO_MIB:-64}")
jobs=4
per=$(( mib / jobs ))
if [ "$per" -lt 4 ]; then
	jobs=1
	per=$mib
fi
tap_diag "$BLK_DEV: $(blk_sectors) sectors; $jobs jobs x $per MiB"

engine=libaio
fio --enghelp=libaio >/dev/null 2>&1 || engine=psync

# run_fio DESC fio-args...: one TAP point, fio's own verify decides.
run_fio() {
	desc=$1
	shift
	if fio --output="$BLK_TMP/fio.out" --filename="$BLK_DEV" \
	    --verify=crc32c --do_verify=1 --verify_fatal=1 --verify_state_save=0 \
	    --group_reporting --numjobs="$jobs" --size="${per}M" \
	    --offset_increment="${per}M" "$@" &&
	    ! grep -q 'verify:.*bad\|crc32c: verify failed\|err= *[1-9]' \
	    "$BLK_TMP/fio.out"; then
		tap_ok "$desc"
	else
		sed 's/^/# /' "$BLK_TMP/fio.out" | tail -n 20
		tap_fail "$desc"
	fi
}

run_fio "sequential write 4k-1M x$jobs jobs, direct, verify crc32c" \
	--name=seq --rw=write --bsrange=4k-1m --direct=1 \
	--ioengine="$engine" --iodepth=16
run_fio "random write 4k-1M x$jobs jobs, direct, verify crc32c" \
	--name=rand --rw=randwrite --bsrange=4k-1m --direct=1 \
	--ioengine="$engine" --iodepth=16 --randrepeat=0
run_fio "random write 4k-64k, 512-byte aligned buffers, verify" \
	--name=unaligned --rw=randwrite --bsrange=4k-64k --direct=1 \
	--iomem_align=512 --ioengine="$engine" --iodepth=8
run_fio "buffered sequential write 4k-1M, fsync, verify" \
	--name=buffered --rw=write --bsrange=4k-1m --direct=0 \
	--ioengine=psync --fsync_on_close=1 --end_fsync=1

# The data must still be there after dropping every cache.
sync
echo 3 >/proc/sys/vm/drop_caches
run_fio "verify the buffered pass again after dropping caches" \
	--name=buffered --rw=write --bsrange=4k-1m --direct=0 \
	--ioengine=psync --verify_only=1

if [ -d "$BLK_X" ]; then
	v=$(blk_x violations)
	e=$(blk_x error_responses)
	tap_eq "no protocol violations" "$v" 0
	tap_eq "no error responses from the backend" "$e" 0
	tap_diag "requests $(blk_x requests) ring_requests $(blk_x ring_requests) split $(blk_x split_requests) interrupts $(blk_x interrupts) spurious $(blk_x spurious_interrupts)"
fi
tap_end
