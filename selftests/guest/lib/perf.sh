# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Counters of the whole guest for the perfdiag.sh diagnostics (POSIX sh,
# busybox), sourced as "$here/../lib/perf.sh".
#
#   perf_snap_system   "key value" lines: event-channel layer (native mode:
#                      upcalls, per-port events, spurious and delayed EOIs,
#                      per-vCPU vector upcalls), CPU time by kind, interrupts
#                      and context switches, the architecture's interrupts
#                      (LOC, CAL, RES, TLB, HYP...), the Xen interrupt
#                      lines, softirqs and free memory.
#   perf_delta A B     the keys whose value changed between two snapshots,
#                      "key +N" (or "key -N").
#
# Copyright (C) 2026 The xenpv authors

perf_snap_system() {
	grep -q ' /sys/kernel/debug debugfs ' /proc/mounts ||
		mount -t debugfs none /sys/kernel/debug 2>/dev/null
	ev=/sys/kernel/debug/xenpv/evtchn
	if [ -r "$ev" ]; then
		sed -En 's/^(upcalls|upcalls_not_ours|unbound_events): */evt.\1 /p' "$ev"
		awk '$1 ~ /^[0-9]+$/ && NF >= 10 {
			print "port" $1 "." $10 ".cpu" $9 ".events " $6
			print "port" $1 "." $10 ".spurious " $7
			print "port" $1 "." $10 ".delayed " $8 }' "$ev"
		sed -En 's/^cpu([0-9]+): .* upcalls ([0-9]+)$/vec.cpu\1.upcalls \2/p' \
			/sys/kernel/debug/xenpv/platform
	fi
	awk '/^cpu / { print "cpu.user " $2 + $3; print "cpu.sys " $4;
		print "cpu.idle " $5 + $6; print "cpu.irq " $7;
		print "cpu.softirq " $8 }
		/^intr / { print "intr.total " $2 }
		/^ctxt / { print "ctxt " $2 }' /proc/stat
	# The architecture's own interrupts: with an emulated local APIC
	# (xAPIC) each costs exits.
	awk 'NR > 1 && $1 ~ /^[A-Z]+:$/ {
		n = 0; for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) n += $i
		print "irq." substr($1, 1, length($1) - 1) " " n }' /proc/interrupts
	awk 'NR > 1 && /xen|event|evtchn|blkif|vbd|vif|eth/ {
		n = 0; for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++) n += $i
		name = $1; for (j = i; j <= NF; j++) name = name "_" $j
		print "irq." name " " n }' /proc/interrupts
	awk 'NR > 1 && /^ *(NET_RX|NET_TX|BLOCK|TIMER|SCHED|RCU):/ {
		n = 0; for (i = 2; i <= NF; i++) n += $i
		print "softirq." substr($1, 1, length($1) - 1) " " n }' /proc/softirqs
	awk '/^(MemFree|Slab):/ { print "mem." substr($1, 1, length($1) - 1) "_kib " $2 }' \
		/proc/meminfo
}

perf_delta() {
	awk 'NR == FNR { a[$1] = $2; next }
		($2 - a[$1]) != 0 { printf "%s %+d\n", $1, $2 - a[$1] }' "$1" "$2"
}
