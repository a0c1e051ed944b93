#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# features.sh DISK: what xenpv_blkfront negotiated, checked against what
# the backend advertised (/sys/block/<disk>/xenpv/backend_*), the module
# parameters and the block layer's view (/sys/block/<disk>/queue, mq/).
# A scenario that knows the backend's configuration can pin it with
# XENPV_EXPECT_QUEUES, XENPV_EXPECT_RING_ORDER, XENPV_EXPECT_INDIRECT
# (backend feature-max-indirect-segments, 0 when absent),
# XENPV_EXPECT_DISCARD, XENPV_EXPECT_PERSISTENT, XENPV_EXPECT_FLUSH
# (none|flush-cache|barrier), XENPV_EXPECT_RO, XENPV_EXPECT_SECTOR_SIZE.
# Reads the disk, discards its first MiB when discard is offered, and on a
# read-only disk attempts a write that must fail.
#
# Copyright (C) 2026 The xenpv authors

. "$(dirname "$0")/lib.sh"

if ! blk_wait; then
	tap_fail "$BLK_DEV appeared"
	tap_end
fi
tap_ok "$BLK_DEV appeared"
if [ ! -d "$BLK_X" ]; then
	tap_fail "$BLK_NAME is driven by xenpv_blkfront ($BLK_X missing)"
	tap_end
fi
tap_ok "$BLK_NAME is driven by xenpv_blkfront"
blk_dd_probe
tap_eq "state" "$(blk_x state)" connected

min() { if [ "$1" -lt "$2" ]; then echo "$1"; else echo "$2"; fi; }

# Name and minor from virtual-device, as the in-tree driver numbers them.
vdev=$(blk_x vdevice)
if [ $(( vdev >> 28 )) = 1 ]; then
	disk=$(( (vdev & 0xfffffff) >> 8 ))
	minor=$(( vdev & 0xfffffff ))
elif [ $(( vdev >> 8 )) = 202 ]; then
	disk=$(( (vdev >> 4) & 15 ))
	minor=$(( vdev & 255 ))
else
	disk=
fi
if [ -n "$disk" ] && [ "$disk" -lt 26 ]; then
	letter=$(echo abcdefghijklmnopqrstuvwxyz | cut -c $(( disk + 1 )))
	tap_eq "name from virtual-device $vdev" "$BLK_NAME" "xvd$letter"
	tap_eq "device number" "$(cat "$BLK_SYS/dev")" "202:$minor"
else
	tap_skip "name check for virtual-device $vdev"
fi

# Queues: one blk-mq hardware queue per ring, within every limit.
hw=$(find "$BLK_SYS/mq" -mindepth 1 -maxdepth 1 -type d | wc -l)
nq=$(blk_x nr_queues)
tap_eq "blk-mq hardware queues" "$hw" "$(blk_x hw_queues)"
beq=$(blk_x backend_max_queues)
[ "$beq" = 0 ] && beq=1
want=$(min "$beq" "$(blk_param max_queues)")
want=$(min "$want" "$(blk_possible_cpus)")
[ "$want" -gt "$hw" ] && want=$hw
tap_eq "rings = min(backend, max_queues, CPUs, hw queues)" "$nq" "$want"
[ -n "${XENPV_EXPECT_QUEUES:-}" ] &&
	tap_eq "backend multi-queue-max-queues" "$(blk_x backend_max_queues)" "$XENPV_EXPECT_QUEUES"

# Ring size.
bo=$(blk_x backend_max_ring_page_order)
bp=$(blk_x backend_max_ring_pages)
if [ "$bo" = 0 ] && [ "$bp" -gt 1 ]; then
	bo=0
	while [ $(( 2 << bo )) -le "$bp" ]; do bo=$((bo + 1)); done
fi
want=$(min "$bo" "$(blk_param max_ring_page_order)")
want=$(min "$want" 4)
tap_eq "ring-page-order = min(backend, max_ring_page_order)" "$(blk_x ring_page_order)" "$want"
[ -n "${XENPV_EXPECT_RING_ORDER:-}" ] &&
	tap_eq "backend max-ring-page-order" "$(blk_x backend_max_ring_page_order)" "$XENPV_EXPECT_RING_ORDER"

# Segments: indirect only when it beats 11.
bi=$(blk_x backend_max_indirect_segments)
want=$(min "$bi" "$(blk_param max_indirect_segments)")
want=$(min "$want" 256)
[ "$want" -le 11 ] && want=0
tap_eq "indirect segments = min(backend, max_indirect_segments) or 0" "$(blk_x max_indirect_segments)" "$want"
segs=$want
[ "$segs" = 0 ] && segs=11
tap_eq "segments per request" "$(blk_x max_segments)" "$segs"
tap_eq "block layer max_segments" "$(blk_q max_segments)" "$segs"
tap_eq "block layer max_hw_sectors_kb" "$(blk_q max_hw_sectors_kb)" $(( segs * 4 ))
[ -n "${XENPV_EXPECT_INDIRECT:-}" ] &&
	tap_eq "backend feature-max-indirect-segments" "$bi" "$XENPV_EXPECT_INDIRECT"

# Sector sizes.
tap_eq "logical block size" "$(blk_q logical_block_size)" "$(blk_x logical_sector_size)"
tap_eq "physical block size" "$(blk_q physical_block_size)" "$(blk_x physical_sector_size)"
tap_eq "size in sectors" "$(blk_sectors)" "$(blk_x sectors)"
[ -n "${XENPV_EXPECT_SECTOR_SIZE:-}" ] &&
	tap_eq "backend sector-size" "$(blk_x logical_sector_size)" "$XENPV_EXPECT_SECTOR_SIZE"

# Flush and FUA: flush-cache wins over barrier; a barrier also gives FUA.
if [ "$(blk_x backend_flush_cache)" = 1 ]; then
	wflush=flush-cache wfua=0 wcache="write back"
elif [ "$(blk_x backend_barrier)" = 1 ]; then
	wflush=barrier wfua=1 wcache="write back"
else
	wflush=none wfua=0 wcache="write through"
fi
tap_eq "flush method" "$(blk_x flush)" "$wflush"
tap_eq "FUA" "$(blk_x fua)" "$wfua"
tap_eq "block layer write_cache" "$(blk_q write_cache)" "$wcache"
[ -f "$BLK_SYS/queue/fua" ] && tap_eq "block layer fua" "$(blk_q fua)" "$wfua"
[ -n "${XENPV_EXPECT_FLUSH:-}" ] && tap_eq "backend flush method" "$wflush" "$XENPV_EXPECT_FLUSH"

# Discard.
if [ "$(blk_x backend_discard)" = 1 ]; then
	tap_eq "discard negotiated" "$(blk_x discard)" 1
	d=$(blk_q discard_max_bytes)
	if [ -n "$d" ] && [ "$d" -gt 0 ]; then
		tap_ok "discard_max_bytes > 0 ($d)"
	else
		tap_fail "discard_max_bytes > 0 (got '$d')"
	fi
	tap_eq "discard granularity" "$(blk_q discard_granularity)" "$(blk_x discard_granularity)"
	if command -v blkdiscard >/dev/null 2>&1 && [ "$(blk_x read_only)" = 0 ]; then
		before=$(blk_x ring_requests)
		blk_run "blkdiscard of the first MiB" blkdiscard -o 0 -l 1048576 "$BLK_DEV"
		after=$(blk_x ring_requests)
		if [ "$after" -gt "$before" ]; then
			tap_ok "discard reached the ring"
		else
			tap_fail "discard reached the ring ($before -> $after)"
		fi
		tap_eq "discard still negotiated after use" "$(blk_x discard)" 1
	fi
else
	tap_eq "no discard without backend support" "$(blk_x discard)" 0
	tap_eq "discard_max_bytes is 0" "$(blk_q discard_max_bytes)" 0
fi
[ -n "${XENPV_EXPECT_DISCARD:-}" ] &&
	tap_eq "backend feature-discard" "$(blk_x backend_discard)" "$XENPV_EXPECT_DISCARD"

# Persistent grants and bounce buffers.
wp=0
[ "$(blk_x backend_persistent)" = 1 ] && [ "$(blk_param feature_persistent)" = Y ] && wp=1
tap_eq "persistent grants = backend and feature_persistent" "$(blk_x persistent_grants)" "$wp"
wb=0
[ "$wp" = 1 ] || [ "$(blk_x trusted)" = 0 ] && wb=1
tap_eq "bounce buffers = persistent or untrusted" "$(blk_x bounce)" "$wb"
[ "$(blk_param trusted)" = N ] && tap_eq "trusted=N disables trust" "$(blk_x trusted)" 0
[ -n "${XENPV_EXPECT_PERSISTENT:-}" ] &&
	tap_eq "backend feature-persistent" "$(blk_x backend_persistent)" "$XENPV_EXPECT_PERSISTENT"
if [ "$wb" = 1 ]; then
	p=$(blk_x pool_pages)
	if [ "$p" -gt 0 ]; then tap_ok "bounce pool allocated ($p pages)"; else tap_fail "bounce pool allocated"; fi
fi

case $(uname -m) in
x86_64) tap_eq "protocol" "$(blk_x protocol)" x86_64-abi ;;
i?86) tap_eq "protocol" "$(blk_x protocol)" x86_32-abi ;;
esac

# Read-only: the block layer knows, and a write fails.
ro=$(blk_x read_only)
tap_eq "read-only flag matches the block layer" "$(cat "$BLK_SYS/ro")" "$ro"
[ -n "${XENPV_EXPECT_RO:-}" ] && tap_eq "backend read-only" "$ro" "$XENPV_EXPECT_RO"
if [ "$ro" = 1 ]; then
	if dd if=/dev/zero of="$BLK_DEV" bs=4096 count=1 "$BLK_OFLAG" 2>/dev/null; then
		tap_fail "write to the read-only disk is refused"
	else
		tap_ok "write to the read-only disk is refused"
	fi
fi

# I/O moves the counters; a healthy backend makes no errors.
echo 3 >/proc/sys/vm/drop_caches
req0=$(blk_x requests)
irq0=$(blk_x interrupts)
dd if="$BLK_DEV" of=/dev/null bs=1M count="$(blk_mib 8)" "$BLK_IFLAG" 2>/dev/null
req1=$(blk_x requests)
irq1=$(blk_x interrupts)
if [ "$req1" -gt "$req0" ]; then tap_ok "reads counted ($req0 -> $req1)"; else tap_fail "reads counted ($req0 -> $req1)"; fi
if [ "$irq1" -gt "$irq0" ]; then tap_ok "interrupts counted ($irq0 -> $irq1)"; else tap_fail "interrupts counted ($irq0 -> $irq1)"; fi
tap_eq "no protocol violations" "$(blk_x violations)" 0
tap_eq "no stuck grants" "$(blk_x stuck_grants)" 0
tap_eq "no error responses" "$(blk_x error_responses)" 0
tap_diag "notifications $(blk_x notifications) interrupts $(blk_x interrupts) spurious $(blk_x spurious_interrupts) busy $(blk_x busy)"
tap_end
