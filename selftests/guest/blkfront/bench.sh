#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh DISK LABEL: the block benchmark of Documentation/benchmarks.rst.
# Runs four fio jobs on DISK (O_DIRECT, libaio, time based) and reports
# each as one TAP point with a machine-readable diagnostic line:
#
#   # bench LABEL JOB iops=N bw_kib=N lat_us=N.N fio_cpu_pct=N.N \
#     iops_sd=N bw_kib_sd=N n=N          (one line)
#
# (means over the repeats; every repeat also gives a "# bench-run" line;
# lat_us is fio's mean total latency, fio_cpu_pct the fio process's own
# user + system CPU).
# JOB is 4k-randread, 4k-randwrite (4 KiB random), 1m-read and 1m-write
# (1 MiB sequential), all at queue depth 32.  LABEL names the driver under
# test (ours, in-tree, emulated); tools/bench/blk-ratios compares them.
#
# DISK is xvdX (xenpv_blkfront or the in-tree xen-blkfront) or sdX (the
# emulated IDE disk under ata_piix).  Its data is destroyed, so the test
# refuses a disk whose size is not the bench image's, a mounted disk or one
# another device holds.
#
# Environment:
#   XENPV_BENCH_DISK_MIB  expected disk size in MiB (default 128)
#   XENPV_BENCH_DRIVER    bus/driver that must drive the disk, e.g.
#                         xenpv/vbd, xen/vbd, pci/ata_piix (default: any)
#   XENPV_BENCH_MIB       region the jobs use, from offset 0 (default 64)
#   XENPV_BENCH_SECONDS   measured seconds per run (default 10)
#   XENPV_BENCH_RAMP      unmeasured seconds before each run (default 2)
#   XENPV_BENCH_REPEATS   runs per job (default 5)
#   XENPV_BENCH_QD        queue depth of every job (default 32)
#   XENPV_BENCH_SCHED     I/O scheduler to set, or "keep" (default none)
#
# Copyright (C) 2026 The xenpv authors

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../lib/stats.sh"

label=${2:-}
disk_mib=${XENPV_BENCH_DISK_MIB:-128}
mib=${XENPV_BENCH_MIB:-64}
secs=${XENPV_BENCH_SECONDS:-10}
ramp=${XENPV_BENCH_RAMP:-2}
reps=${XENPV_BENCH_REPEATS:-5}
qd=${XENPV_BENCH_QD:-32}
sched=${XENPV_BENCH_SCHED:-none}

# bench_uint VALUE: VALUE is a decimal number without sign or leading zero.
bench_uint() {
	case "$1" in
	'' | *[!0-9]* | 0?*) return 1 ;;
	esac
	return 0
}

case "$label" in
'' | *[!A-Za-z0-9_.-]*)
	echo "Bail out! usage: $0 DISK LABEL (LABEL: letters, digits, - _ .)"
	exit 1
	;;
esac
for v in "$disk_mib" "$mib" "$secs" "$ramp" "$reps" "$qd"; do
	if ! bench_uint "$v" || [ "$v" -gt 1048576 ]; then
		echo "Bail out! bad number '$v' in the XENPV_BENCH_* settings"
		exit 1
	fi
done
if [ "$disk_mib" = 0 ] || [ "$mib" = 0 ] || [ "$secs" = 0 ] ||
    [ "$reps" = 0 ] || [ "$qd" = 0 ]; then
	echo "Bail out! XENPV_BENCH_* sizes, times, repeats and depth must be > 0"
	exit 1
fi
if [ "$mib" -gt "$disk_mib" ]; then
	echo "Bail out! XENPV_BENCH_MIB=$mib is larger than the disk ($disk_mib MiB)"
	exit 1
fi

if ! blk_wait; then
	tap_fail "$BLK_DEV appeared"
	tap_end
fi
tap_ok "$BLK_DEV appeared"

# ---- is this the bench disk? -----------------------------------------------

# The bench image is $disk_mib MiB; an emulation may round the size down to
# its geometry, so up to 1/64 less is accepted, never more.
sectors=$(blk_sectors)
want=$((disk_mib * 2048))
if ! bench_uint "$sectors" || [ "$sectors" -gt "$want" ] ||
    [ "$sectors" -lt $((want - want / 64)) ]; then
	tap_fail "refusing $BLK_DEV: $sectors sectors; the bench disk has $want"
	tap_end
fi
tap_ok "$BLK_DEV is the $disk_mib MiB bench disk ($sectors sectors)"

busy=
if grep -q "^${BLK_DEV}[p0-9]* " /proc/mounts 2>/dev/null; then
	busy="mounted"
fi
for h in "$BLK_SYS"/holders/* "$BLK_SYS"/"$BLK_NAME"*/holders/*; do
	[ -e "$h" ] && busy="$busy held by $(basename "$h")"
done
if [ -n "$busy" ]; then
	tap_fail "refusing $BLK_DEV: it is in use ($busy)"
	tap_end
fi
tap_ok "$BLK_DEV is not in use"

# The drivers between the disk and the root, as "bus/driver" words: the
# disk's own device first (xenpv/vbd, xen/vbd, scsi/sd), then its parents
# (pci/ata_piix for the emulated IDE disk).
chain=
d=$(readlink -f "$BLK_SYS/device" 2>/dev/null)
while [ -n "$d" ] && [ "$d" != /sys/devices ] && [ "$d" != / ]; do
	if [ -e "$d/driver" ]; then
		drv=$(readlink -f "$d/driver")
		bus=${drv%/drivers/*}
		chain="$chain ${bus##*/}/${drv##*/}"
	fi
	d=${d%/*}
done
chain=${chain# }
tap_diag "$BLK_DEV: drivers: ${chain:-none}"
if [ -n "${XENPV_BENCH_DRIVER:-}" ]; then
	case " $chain " in
	*" $XENPV_BENCH_DRIVER "*)
		tap_ok "$BLK_DEV is driven by $XENPV_BENCH_DRIVER"
		;;
	*)
		tap_fail "$BLK_DEV is driven by $XENPV_BENCH_DRIVER (found: ${chain:-none})"
		tap_end
		;;
	esac
fi

command -v fio >/dev/null 2>&1 || blk_skip_all "fio is not installed"
if ! fio --enghelp=libaio >/dev/null 2>&1; then
	tap_fail "fio has the libaio engine"
	tap_end
fi

# ---- the record: what was measured -----------------------------------------

if [ "$sched" != keep ] && [ -w "$BLK_SYS/queue/scheduler" ]; then
	if tr -d '[]' <"$BLK_SYS/queue/scheduler" | tr ' ' '\n' |
	    grep -qx "$sched"; then
		echo "$sched" >"$BLK_SYS/queue/scheduler" 2>/dev/null ||
			tap_diag "could not set the I/O scheduler $sched"
	else
		tap_diag "I/O scheduler $sched not offered: $(cat "$BLK_SYS/queue/scheduler")"
	fi
fi
hwq=$(find "$BLK_SYS/mq" -mindepth 1 -maxdepth 1 -type d 2>/dev/null | wc -l)
info="kernel=$(uname -r) disk=$BLK_NAME sectors=$sectors hw_queues=$hwq"
for q in scheduler nr_requests max_sectors_kb max_segments; do
	v=$(blk_q "$q" | sed 's/.*\[\(.*\)\].*/\1/')
	info="$info $q=${v:-?}"
done
info="$info region_mib=$mib seconds=$secs ramp=$ramp repeats=$reps qd=$qd"
echo "# bench-info $label $info"
for m in xenpv_blkfront xen_blkfront; do
	[ -d "/sys/module/$m/parameters" ] || continue
	p=
	for f in /sys/module/"$m"/parameters/*; do
		[ -r "$f" ] && p="$p $(basename "$f")=$(cat "$f" 2>/dev/null)"
	done
	echo "# bench-info $label module=$m$p"
done
if [ -d "$BLK_X" ]; then
	p=
	for f in "$BLK_X"/nr_queues "$BLK_X"/ring_page_order \
	    "$BLK_X"/max_indirect_segments "$BLK_X"/persistent_grants \
	    "$BLK_X"/bounce "$BLK_X"/trusted "$BLK_X"/flush "$BLK_X"/backend_*; do
		[ -r "$f" ] && p="$p $(basename "$f")=$(cat "$f" 2>/dev/null)"
	done
	echo "# bench-info $label xenpv$p"
fi

# ---- fio ------------------------------------------------------------------

# bench_parse FILE SECTION: from fio's JSON output (one job), prints
# "iops bw_kib lat_us fio_cpu_pct ios runtime_ms" of SECTION (read or
# write), or nothing and fails when the output is not what is expected or
# fio reported an error.  fio prints one key per line; the nesting is tracked
# by counting brackets outside strings.
bench_parse() {
	awk -v want="$2" '
	function num(s) {
		return s ~ /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/
	}
	!started {
		if ($0 !~ /^[ \t]*\{[ \t]*$/)
			next
		started = 1
	}
	{
		key = ""
		val = ""
		rest = $0
		gsub(/\\./, "", rest)
		if (match(rest, /^[ \t]*"[^"]*"[ \t]*:/)) {
			key = substr(rest, RSTART, RLENGTH)
			sub(/^[ \t]*"/, "", key)
			sub(/"[ \t]*:$/, "", key)
			val = substr(rest, RSTART + RLENGTH)
			sub(/^[ \t]+/, "", val)
			sub(/[ \t]*,?[ \t]*$/, "", val)
		}
		if (key != "" && num(val)) {
			if (depth == 3 && path[2] == "jobs") {
				if (key == "error")
					err = val
				else if (key == "usr_cpu")
					usr = val
				else if (key == "sys_cpu")
					sys = val
			} else if (depth == 4 && path[2] == "jobs" &&
				   path[4] == want) {
				if (key == "iops")
					iops = val
				else if (key == "bw")
					bw = val
				else if (key == "total_ios")
					ios = val
				else if (key == "runtime")
					rt = val
			} else if (depth == 5 && path[2] == "jobs" &&
				   path[4] == want && path[5] == "lat_ns" &&
				   key == "mean") {
				lat = val
			}
		}
		gsub(/"[^"]*"/, "", rest)
		first = 1
		n = length(rest)
		for (i = 1; i <= n; i++) {
			c = substr(rest, i, 1)
			if (c == "{" || c == "[") {
				depth++
				path[depth] = first ? key : ""
				first = 0
				if (depth == 3 && path[2] == "jobs")
					jobs++
			} else if (c == "}" || c == "]") {
				depth--
			}
		}
	}
	END {
		if (!started || depth != 0 || jobs != 1 || err != "0" ||
		    iops == "" || bw == "" || ios == "" || rt == "" ||
		    lat == "" || usr == "" || sys == "")
			exit 1
		printf "%.0f %.0f %.1f %.1f %.0f %.0f\n", iops, bw, lat / 1000,
		       usr + sys, ios, rt
	}' "$1"
}

# bench_fio OUTPUT fio-args...: one fio run on the region of the disk.
bench_fio() {
	bf_out=$1
	shift
	fio --output-format=json --output="$bf_out" --filename="$BLK_DEV" \
	    --direct=1 --ioengine=libaio --numjobs=1 --size="${mib}M" \
	    --offset=0 --invalidate=1 "$@" 2>"$bf_out.err"
}

# bench_fail_log OUTPUT: the end of fio's output as diagnostics.
bench_fail_log() {
	cat "$1" "$1.err" 2>/dev/null | tail -n 15 | sed 's/^/# /'
}

# The reads must hit written data: fill the region once (not measured).
if bench_fio "$BLK_TMP/prefill.json" --name=prefill --rw=write --bs=1M \
    --iodepth=8 && bench_parse "$BLK_TMP/prefill.json" write >/dev/null; then
	tap_ok "prefilled $mib MiB"
else
	bench_fail_log "$BLK_TMP/prefill.json"
	tap_fail "prefilled $mib MiB"
	tap_end
fi

# bench_job JOB RW BS: REPEATS measured runs, one TAP point.
bench_job() {
	job=$1
	rw=$2
	bs=$3
	case "$rw" in
	*read) sect="read" ;;
	*) sect="write" ;;
	esac
	: >"$BLK_TMP/$job.vals"
	r=1
	while [ "$r" -le "$reps" ]; do
		o="$BLK_TMP/$job.$r.json"
		if ! bench_fio "$o" --name="$job" --rw="$rw" --bs="$bs" \
		    --iodepth="$qd" --time_based --runtime="$secs" \
		    --ramp_time="$ramp"; then
			bench_fail_log "$o"
			tap_fail "$job: fio run $r failed"
			return
		fi
		if ! vals=$(bench_parse "$o" "$sect") || [ -z "$vals" ]; then
			bench_fail_log "$o"
			tap_fail "$job: run $r: no valid result in fio's output"
			return
		fi
		# shellcheck disable=SC2086 # six numbers, split on purpose
		set -- $vals
		if [ "$5" = 0 ]; then
			tap_fail "$job: run $r completed no I/O"
			return
		fi
		echo "# bench-run $label $job rep=$r iops=$1 bw_kib=$2 lat_us=$3" \
		     "fio_cpu_pct=$4 ios=$5 runtime_ms=$6"
		echo "$vals" >>"$BLK_TMP/$job.vals"
		r=$((r + 1))
	done
	# Means, and the sample standard deviations of IOPS and bandwidth.
	# shellcheck disable=SC2046 # numbers, split on purpose
	set -- $(stats_columns "$BLK_TMP/$job.vals")
	sum=$(printf 'iops=%.0f bw_kib=%.0f lat_us=%.1f fio_cpu_pct=%.1f iops_sd=%.0f bw_kib_sd=%.0f n=%d' \
	      "$2" "$4" "$6" "$8" "$3" "$5" "$1")
	echo "# bench $label $job $sum"
	tap_ok "$job ($label): $(echo "$sum" | sed 's/ lat_us.*//')"
}

bench_job 4k-randread randread 4k
bench_job 4k-randwrite randwrite 4k
bench_job 1m-read read 1M
bench_job 1m-write write 1M

if [ -d "$BLK_X" ]; then
	tap_eq "no protocol violations" "$(blk_x violations)" 0
	tap_eq "no error responses from the backend" "$(blk_x error_responses)" 0
fi
tap_end
