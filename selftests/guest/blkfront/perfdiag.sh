#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# perfdiag.sh DISK: where a block request's time goes.  Runs short fio
# 4 KiB random reads on DISK at queue depth 1 and 32 and, for each, reports
# as TAP comments the fio summary and the deltas of the driver's counters
# (requests, notifications, interrupts, spurious interrupts), of the
# event-channel layer (upcalls, per-port events, delayed EOIs, in native
# mode) and of the guest's CPU time.  Read-only on DISK.  A diagnostic, not
# a benchmark: Documentation/benchmarks.rst has the measured comparison.
#
# Environment: XENPV_DIAG_SECONDS per run (default 5); XENPV_DIAG_TRACE=
# "FUNC[,FUNC...]" adds a third, 1 s run at queue depth 1 under the
# function_graph tracer (depth XENPV_DIAG_DEPTH, default 4) rooted at those
# functions and prints the start of the trace (XENPV_DIAG_LINES, default
# 300 lines), to see which call a request's time goes to.
#
# Copyright (C) 2026 The xenpv authors

. "$(dirname "$0")/lib.sh"

secs=${XENPV_DIAG_SECONDS:-5}
case "$secs" in '' | *[!0-9]*) secs=5 ;; esac

if ! blk_wait; then
	tap_fail "$BLK_DEV appeared"
	tap_end
fi
tap_ok "$BLK_DEV appeared"
command -v fio >/dev/null 2>&1 || blk_skip_all "fio is not installed"

# shellcheck disable=SC1091
. "$(dirname "$0")/../lib/perf.sh"

# snap: one "key value" per line of everything we compare.
snap() {
	for c in requests ring_requests notifications interrupts \
	    spurious_interrupts responses busy requeued; do
		echo "blk.$c $(blk_x "$c")"
	done
	perf_snap_system
}

tmp=${TMPDIR:-/tmp}/perfdiag.$$
mkdir -p "$tmp"
tap_diag "kernel $(uname -r), disk $BLK_DEV, $(cat "$BLK_SYS/queue/scheduler")"
cs=/sys/devices/system/clocksource/clocksource0
tap_diag "clocksource $(cat $cs/current_clocksource) (available: $(cat $cs/available_clocksource))"
dmesg | grep -iE 'clocksource|tsc|x2apic|apic:|vsyscall|vdso' | tail -n 16 |
	sed 's/^/# dmesg: /'
echo none >"$BLK_SYS/queue/scheduler" 2>/dev/null
for qd in 1 32; do
	snap >"$tmp/a"
	fio --name=diag --filename="$BLK_DEV" --direct=1 --ioengine=libaio \
		--rw=randread --bs=4k --iodepth="$qd" --size=64m \
		--time_based --runtime="$secs" --output="$tmp/fio" \
		>/dev/null 2>&1
	rc=$?
	snap >"$tmp/b"
	tap_eq "fio randread qd=$qd exit status" "$rc" 0
	grep -E 'IOPS=|^ +(lat|clat|slat) \(|clat percentiles|50\.00th|99\.00th|cpu +:' \
		"$tmp/fio" | sed "s/^ */# qd=$qd fio: /"
	perf_delta "$tmp/a" "$tmp/b" | sed "s/^/# qd=$qd delta: /"
done

if [ -n "${XENPV_DIAG_TRACE:-}" ]; then
	tr=/sys/kernel/tracing
	[ -e $tr/current_tracer ] || mount -t tracefs nodev $tr 2>/dev/null
	[ -e $tr/current_tracer ] || tr=/sys/kernel/debug/tracing
	echo 0 >$tr/tracing_on
	echo nop >$tr/current_tracer
	: >$tr/trace
	echo 8192 >$tr/buffer_size_kb 2>/dev/null
	echo "${XENPV_DIAG_DEPTH:-4}" >$tr/max_graph_depth
	ok=1
	for f in $(echo "$XENPV_DIAG_TRACE" | tr ',' ' '); do
		echo "$f" >>$tr/set_graph_function || ok=0
	done
	if [ "$ok" = 1 ] && echo function_graph >$tr/current_tracer; then
		echo 1 >$tr/tracing_on
		fio --name=trace --filename="$BLK_DEV" --direct=1 \
			--ioengine=libaio --rw=randread --bs=4k --iodepth=1 \
			--size=64m --time_based --runtime=1 >/dev/null 2>&1
		echo 0 >$tr/tracing_on
		tap_ok "traced $XENPV_DIAG_TRACE"
		head -n "${XENPV_DIAG_LINES:-300}" $tr/trace | sed 's/^/# trace: /'
		echo nop >$tr/current_tracer
	else
		tap_fail "function_graph tracing of $XENPV_DIAG_TRACE"
	fi
	: >$tr/set_graph_function
fi
rm -rf "$tmp"
tap_end
