#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh LABEL: the network benchmark of Documentation/benchmarks.rst.
# iperf3 TCP between the guest and dom0's iperf3 server on the bridge,
# four jobs, each as one TAP point with a machine-readable line:
#
#   # netbench LABEL JOB mbps=N.N mbps_sd=N.N guest_cpu_pct=N.N n=N
#
# (means over the repeats; every repeat also gives a "# netbench-run"
# line).  mbps is what the receiver got (iperf3's sum_received), in
# Mbit/s; guest_cpu_pct is iperf3's CPU use in the guest.  JOB is tcp-tx
# (guest to dom0) and tcp-rx (dom0 to guest, iperf3 -R), one stream each,
# and tcp-tx-p4 / tcp-rx-p4 with four streams.  LABEL names the driver
# under test (ours, in-tree, emulated); tools/bench/net-ratios compares
# them.
#
# Environment:
#   XENPV_NET_DRIVER      driver of the interface under test (lib.sh;
#                         xenpv_netfront, vif for the in-tree xen-netfront,
#                         e1000 for the emulated NIC)
#   XENPV_BENCH_SECONDS   measured seconds per run (default 10)
#   XENPV_BENCH_OMIT      unmeasured seconds at the start (default 2)
#   XENPV_BENCH_REPEATS   runs per job (default 5)
#
# Copyright (C) 2026 The xenpv authors

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../lib/stats.sh"

label=${1:-}
secs=${XENPV_BENCH_SECONDS:-10}
omit=${XENPV_BENCH_OMIT:-2}
reps=${XENPV_BENCH_REPEATS:-5}

case "$label" in
'' | *[!A-Za-z0-9_.-]*)
	echo "Bail out! usage: $0 LABEL (LABEL: letters, digits, - _ .)"
	exit 1
	;;
esac
for v in "$secs" "$omit" "$reps"; do
	case "$v" in
	'' | *[!0-9]* | 0?*)
		echo "Bail out! bad number '$v' in the XENPV_BENCH_* settings"
		exit 1
		;;
	esac
	if [ "$v" -gt 3600 ]; then
		echo "Bail out! XENPV_BENCH_* value $v is too large"
		exit 1
	fi
done
if [ "$secs" = 0 ] || [ "$reps" = 0 ]; then
	echo "Bail out! XENPV_BENCH_SECONDS and _REPEATS must be > 0"
	exit 1
fi

command -v iperf3 >/dev/null 2>&1 || nf_skip_all "iperf3 is not installed"
nf_setup
nf_tcp_independent_runs

# The record: what was measured.
info="kernel=$(uname -r) if=$NF_IF driver=$NF_DRV mtu=$(cat "/sys/class/net/$NF_IF/mtu")"
info="$info txq=$(find "/sys/class/net/$NF_IF/queues" -maxdepth 1 -name 'tx-*' | wc -l)"
info="$info cpus=$(grep -c ^processor /proc/cpuinfo) seconds=$secs omit=$omit repeats=$reps"
if command -v ethtool >/dev/null 2>&1; then
	off=$(ethtool -k "$NF_IF" 2>/dev/null | awk -F': ' '
		/^(tcp-segmentation-offload|scatter-gather|tx-checksumming|rx-checksumming|generic-receive-offload):/ {
			split($2, v, " "); printf " %s=%s", $1, v[1] }')
	info="$info$off"
fi
echo "# netbench-info $label $info"

# bench_parse FILE: "mbps cpu_pct" from iperf3's JSON (-J): the receiver's
# total of the "end" section and the local (guest) CPU use; nothing and
# failure on an error or a shape not expected.
bench_parse() {
	awk '
	/"error"[ \t]*:/ { err = 1 }
	/"sum_received"[ \t]*:[ \t]*\{/ { inrecv = 1; next }
	inrecv && /"bits_per_second"[ \t]*:/ {
		v = $0
		sub(/.*:[ \t]*/, "", v)
		sub(/[ \t]*,?[ \t]*$/, "", v)
		bps = v
		inrecv = 0
	}
	inrecv && /\}/ { inrecv = 0 }
	/"host_total"[ \t]*:/ {
		v = $0
		sub(/.*:[ \t]*/, "", v)
		sub(/[ \t]*,?[ \t]*$/, "", v)
		cpu = v
	}
	END {
		if (err || bps == "" || cpu == "" ||
		    bps !~ /^[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/)
			exit 1
		printf "%.1f %.1f\n", bps / 1000000, cpu
	}' "$1"
}

# bench_job JOB iperf3-args...: REPEATS runs, one TAP point.
bench_job() {
	job=$1
	shift
	: >"$NF_TMP/$job.vals"
	r=1
	while [ "$r" -le "$reps" ]; do
		o="$NF_TMP/$job.$r.json"
		if ! iperf3 -c "$NF_PEER" -p "$NF_IPERF_PORT" -J -t "$secs" \
		    -O "$omit" "$@" >"$o" 2>&1; then
			# The server may still be closing the previous test.
			sleep 2
			iperf3 -c "$NF_PEER" -p "$NF_IPERF_PORT" -J -t "$secs" \
			    -O "$omit" "$@" >"$o" 2>&1
		fi
		if ! vals=$(bench_parse "$o") || [ -z "$vals" ]; then
			tail -n 15 "$o" | sed 's/^/# /'
			tap_fail "$job: run $r: no valid result from iperf3"
			return
		fi
		# Not "set --": the iperf3 options are this function's arguments.
		echo "# netbench-run $label $job rep=$r mbps=${vals% *} guest_cpu_pct=${vals#* }"
		echo "$vals" >>"$NF_TMP/$job.vals"
		r=$((r + 1))
	done
	# Means, and the sample standard deviation of the throughput.  The
	# iperf3 options are not needed any more: "set --" may take them.
	# shellcheck disable=SC2046 # numbers, split on purpose
	set -- $(stats_columns "$NF_TMP/$job.vals")
	sum=$(printf 'mbps=%.1f mbps_sd=%.1f guest_cpu_pct=%.1f n=%d' \
	      "$2" "$3" "$4" "$1")
	echo "# netbench $label $job $sum"
	tap_ok "$job ($label): $(echo "$sum" | sed 's/ guest_cpu.*//')"
}

# Not measured: a short transfer each way first, so the first measured run
# does not pay for what any first transfer after boot pays (ARP, the
# bridge learning the MAC, iperf3's pages, the backend's first grants).
# Same for every label.  (In run-20261124-203713 the native guest's first
# tcp-tx run gave 256 Mbit/s, the next two 400 and 384.)
iperf3 -c "$NF_PEER" -p "$NF_IPERF_PORT" -t 3 >/dev/null 2>&1
sleep 1	# the server takes the next client once it has closed this one
iperf3 -c "$NF_PEER" -p "$NF_IPERF_PORT" -t 3 -R >/dev/null 2>&1

bench_job tcp-tx
bench_job tcp-rx -R
bench_job tcp-tx-p4 -P 4
bench_job tcp-rx-p4 -R -P 4

if [ "$NF_DRV" = xenpv_netfront ]; then
	nf_check_no_protocol_errors
fi
tap_end
