#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# perfdiag.sh LABEL: where a TCP stream's time goes in this guest.  Runs
# iperf3 against dom0's server, one stream each way (tcp-rx: dom0 to the
# guest, tcp-tx: the guest to dom0), XENPV_DIAG_REPEATS times each, and
# reports for every run, as TAP comments, what iperf3's receiver got and
# the deltas of the interface's ethtool -S counters and of the guest's
# counters (lib/perf.sh: CPU time by kind, interrupts, softirqs, the
# event-channel layer in native mode, free memory).  Works for any driver
# (XENPV_NET_DRIVER, as bench.sh), so the same numbers can be read for
# ours and the in-tree driver.  A diagnostic, not a benchmark:
# Documentation/benchmarks.rst has the measured comparison.
#
# Environment: XENPV_DIAG_SECONDS per run (default 8), XENPV_DIAG_REPEATS
# (default 3).
#
# Copyright (C) 2026 The xenpv authors

. "$(dirname "$0")/lib.sh"
# shellcheck disable=SC1091
. "$(dirname "$0")/../lib/perf.sh"

label=${1:-diag}
secs=${XENPV_DIAG_SECONDS:-8}
reps=${XENPV_DIAG_REPEATS:-3}
for v in "$secs" "$reps"; do
	case "$v" in
	'' | *[!0-9]* | 0*)
		echo "Bail out! XENPV_DIAG_SECONDS/_REPEATS: '$v' is not a count"
		exit 1
		;;
	esac
done

command -v iperf3 >/dev/null 2>&1 || nf_skip_all "iperf3 is not installed"
nf_setup
nf_tcp_independent_runs

tap_diag "$label: kernel $(uname -r), if $NF_IF ($NF_DRV), $(grep -c ^processor /proc/cpuinfo) cpus"
cs=/sys/devices/system/clocksource/clocksource0
tap_diag "$label: clocksource $(cat $cs/current_clocksource)"
ethtool -l "$NF_IF" 2>/dev/null | grep -i combined | tail -n 1 |
	sed "s/^/# $label: channels /"

# snap: one "key value" per line of everything compared.
snap() {
	ethtool -S "$NF_IF" 2>/dev/null |
		awk -F': *' 'NF == 2 && $2 ~ /^[0-9]+$/ {
			k = $1; gsub(/^ +/, "", k); print "nic." k " " $2 }'
	perf_snap_system
}

# one_run JOB REP iperf3-args...
one_run() {
	job=$1
	rep=$2
	shift 2
	snap >"$NF_TMP/a"
	iperf3 -c "$NF_PEER" -p "$NF_IPERF_PORT" -f m -t "$secs" "$@" \
		>"$NF_TMP/out" 2>&1
	rc=$?
	snap >"$NF_TMP/b"
	if [ "$rc" != 0 ]; then
		sleep 2	# the server may still be closing the previous test
		tap_fail "$label $job run $rep: iperf3 exit status $rc"
		tail -n 5 "$NF_TMP/out" | sed 's/^/# /'
		return
	fi
	mbps=$(awk '/receiver/ { for (i = 1; i < NF; i++)
		if ($(i + 1) == "Mbits/sec") v = $i } END { print v }' "$NF_TMP/out")
	if [ -z "$mbps" ]; then
		tap_fail "$label $job run $rep: no receiver throughput in iperf3's output"
		tail -n 5 "$NF_TMP/out" | sed 's/^/# /'
		return
	fi
	tap_ok "$label $job run $rep: $mbps Mbit/s"
	perf_delta "$NF_TMP/a" "$NF_TMP/b" | sed "s/^/# $label $job $rep: /"
	sleep 1
}

# Not measured: one short transfer each way (ARP, bridge learning, ...).
iperf3 -c "$NF_PEER" -p "$NF_IPERF_PORT" -t 2 >/dev/null 2>&1
sleep 1
iperf3 -c "$NF_PEER" -p "$NF_IPERF_PORT" -t 2 -R >/dev/null 2>&1
sleep 1

# runs JOB iperf3-args...: REPEATS runs of one job.
runs() {
	rjob=$1
	shift
	r=1
	while [ "$r" -le "$reps" ]; do
		one_run "$rjob" "$r" "$@"
		r=$((r + 1))
	done
}

runs tcp-rx -R
runs tcp-tx
tap_end
