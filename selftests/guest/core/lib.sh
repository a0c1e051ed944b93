# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Helpers for the core tests (busybox sh): the xenpv_coretest debugfs files
# and the request/response channel to the dom0 peer (tools/dom0/
# xenpv-core-peer, started by the scenario's ON_CREATE hook).  Source
# after /tests/lib/tap.sh.
#
# Copyright (C) 2026 The xenpv authors

CT=/sys/kernel/debug/xenpv_coretest
CT_BASE=data/xenpv-test
# Seconds to wait for the dom0 peer to answer one request.
PEER_TIMEOUT=${PEER_TIMEOUT:-90}
PEER_SEQ_FILE=/tmp/xenpv-core-peer.seq

# ct_get FILE KEY: the value of "KEY value" in a coretest file.
ct_get() {
	awk -v k="$2" '$1 == k { $1 = ""; sub(/^ /, ""); print; exit }' "$CT/$1" 2>/dev/null
}

# ct_cmd FILE COMMAND...: write a command; fails with the module's error.
ct_cmd() {
	f=$1
	shift
	echo "$*" >"$CT/$f" 2>/tmp/ct_cmd.err
}

# xs_read PATH / xs_write PATH VALUE / xs_rm PATH (relative to our home).
xs_read() {
	ct_cmd xs read "$1" && cat "$CT/xs"
}

xs_write() {
	ct_cmd xs write "$1" "$2"
}

xs_rm() {
	ct_cmd xs rm "$1"
}

ct_loaded() {
	[ -d "$CT" ]
}

# Fail the whole script early when the module is not there.
ct_require() {
	if ! ct_loaded; then
		tap_fail "xenpv_coretest loaded ($CT missing)"
		tap_end
	fi
}

# 16 random hex digits.
ct_nonce() {
	head -c 16 /dev/urandom | sha256sum | cut -c1-16
}

# An integer key from a file, or the default $3 (for arithmetic).
ct_num() {
	v=$(ct_get "$1" "$2")
	case "$v" in
	'' | *[!0-9]*) echo "${3:-0}" ;;
	*) echo "$v" ;;
	esac
}

# ct_rpc REQ RSP SEQFILE TIMEOUT WHO ARGS...: one request to a dom0
# program over xenstore (paths relative to our home): writes "SEQ ARGS" to
# REQ, the next number in SEQFILE, and waits up to TIMEOUT seconds for
# "SEQ answer" in RSP.  Then ct_ans is the answer without its sequence
# number; otherwise fails, printing "err ..." (WHO names the program).
ct_rpc() {
	ct_req=$1
	ct_rsp=$2
	ct_seqf=$3
	ct_to=$4
	ct_who=$5
	shift 5
	ct_ans=
	ct_seq=$(( $(cat "$ct_seqf" 2>/dev/null || echo 0) + 1 ))
	echo "$ct_seq" >"$ct_seqf"
	if ! xs_write "$ct_req" "$ct_seq $*"; then
		echo "err cannot write $ct_req: $(cat /tmp/ct_cmd.err)"
		return 1
	fi
	ct_i=0
	while [ "$ct_i" -lt $((ct_to * 5)) ]; do
		ct_ans=$(xs_read "$ct_rsp" 2>/dev/null)
		case "$ct_ans" in
		"$ct_seq "*)
			ct_ans=${ct_ans#"$ct_seq "}
			return 0
			;;
		esac
		ct_i=$((ct_i + 1))
		sleep 0.2
	done
	ct_ans=
	echo "err no answer from $ct_who within ${ct_to}s"
	return 1
}

# peer_call OP ARGS...: one request to the dom0 peer.  Prints the answer
# without its sequence number; succeeds when it starts with "ok".
peer_call() {
	ct_rpc "$CT_BASE/req" "$CT_BASE/rsp" "$PEER_SEQ_FILE" "$PEER_TIMEOUT" \
		"the dom0 peer" "$@" || return 1
	echo "$ct_ans"
	case "$ct_ans" in ok*) return 0 ;; esac
	return 1
}

# peer_saverestore WHEN DOMID [qdisk]: the dom0 peer saves the guest and
# restores it (with qdisk: its blkback disks served by QEMU's qdisk after
# the restore); two TAP points (saved and restored WHEN, e.g. "during the
# writes"; running as a new domain, DOMID being the one before).  Fails
# when the save/restore failed (the second point is then not made).
peer_saverestore() {
	psr_ans=$(PEER_TIMEOUT=600 peer_call saverestore $3)
	if [ $? != 0 ]; then
		tap_fail "dom0 saved and restored the guest: $psr_ans"
		return 1
	fi
	tap_ok "dom0 saved and restored the guest $1 ($psr_ans)"
	psr_dom1=$(kv domid "${psr_ans#ok }")
	if [ -n "$2" ] && [ -n "$psr_dom1" ] && [ "$2" != "$psr_dom1" ]; then
		tap_ok "running as a new domain after the restore ($2 -> $psr_dom1)"
	else
		tap_fail "running as a new domain after the restore ($2 -> $psr_dom1)"
	fi
	return 0
}

# kv KEY "k1=v1 k2=v2 ...": the value of KEY in a key=value list.
kv() {
	for w in $2; do
		case "$w" in "$1="*) echo "${w#"$1="}"; return 0 ;; esac
	done
	return 1
}

# The summed count of /proc/interrupts lines naming $1.
irq_count() {
	awk -v n="$1" 'index($0, n) { for (i = 2; i <= NF; i++) if ($i ~ /^[0-9]+$/) s += $i; else break }
		END { print s + 0 }' /proc/interrupts
}

# While it offers the xenpv clocksource, xenpv_platform holds itself
# (Documentation/platform.rst, The PV clock): withdraw it, as a user would
# before unloading.
xenpv_clock_release() {
	pc=/sys/module/xenpv_platform/parameters/pvclock
	[ "$(cat $pc 2>/dev/null)" = Y ] || return 0
	echo N >$pc
}

# Remove every xenpv module that is loaded, users first.
xenpv_unload_all() {
	for m in xenpv_coretest xenpv_netfront xenpv_blkfront xenpv_fbfront xenpv_kbdfront \
		xenpv_xenbus xenpv_pvops xenpv_platform; do
		if grep -q "^$m " /proc/modules; then
			if [ "$m" = xenpv_platform ]; then
				xenpv_clock_release || return 1
			fi
			rmmod "$m" || return 1
		fi
	done
	return 0
}

# Load the core in order: platform (decides the mode), xenbus (pulls in
# xenpv_pvops in pvops mode), then the test module.
# XENPV_PLATFORM_OPTS: module parameters for xenpv_platform (e.g.
# event_abi=2l).
xenpv_load_core() {
	# shellcheck disable=SC2086 # parameters, split on purpose
	modprobe xenpv_platform ${XENPV_PLATFORM_OPTS:-} && modprobe xenpv_xenbus &&
		modprobe xenpv_coretest
}

# The native event channel ABI in use ("FIFO", "2-level"), from debugfs.
xenpv_event_abi() {
	[ -d /sys/kernel/debug/xenpv ] || mount -t debugfs none /sys/kernel/debug 2>/dev/null
	sed -n 's/^event_abi: //p' /sys/kernel/debug/xenpv/platform 2>/dev/null
}

# A child that ended is a zombie until waited for: still "kill -0"-able.
pid_exited() {
	[ ! -e "/proc/$1" ] || [ "$(sed 's/.*) \(.\).*/\1/' "/proc/$1/stat" 2>/dev/null)" = Z ]
}

# tap_job_ends SECONDS PID DESC: one TAP point, ok when the background
# job PID ends within SECONDS (else it is killed); then it is reaped.
tap_job_ends() {
	if wait_until "$1" pid_exited "$2"; then
		tap_ok "$3"
	else
		tap_fail "$3 (still running $1 s later)"
		kill -9 "$2" 2>/dev/null
	fi
	wait "$2" 2>/dev/null
}

# Kernel warnings, BUGs and oopses logged so far.
kernel_splats() {
	dmesg | grep -c 'WARNING:\|BUG:\|Oops'
}

ct_refs_are() {
	[ "$(ct_num stats refs_in_use)" = "$1" ]
}

# No revocation deferred and the in-use count still for 2 s.
ct_grants_settled() {
	ct_r1=$(ct_num stats refs_in_use)
	sleep 2
	[ "$(ct_num stats deferred)" = 0 ] && ct_refs_are "$ct_r1"
}

# Start of a hot-plug test: sets HP_MODE, HP_REFS0 (grant references in
# use once an earlier test's device has given its grants back) and
# HP_SPLATS0.
hotplug_begin() {
	HP_MODE=$(ct_get info mode)
	wait_until 6 ct_grants_settled	# up to ~60 s: each try takes 2 s
	HP_REFS0=$(ct_num stats refs_in_use)
	HP_SPLATS0=$(kernel_splats)
}

# End of a hot-plug test: no new kernel warning, and (native mode, where
# the count is ours) the grant references back to the count at the start.
hotplug_end_checks() {
	hp_splats=$(kernel_splats)
	if [ "$hp_splats" = "$HP_SPLATS0" ]; then
		tap_ok "no kernel warning during the hot-plug rounds"
	else
		dmesg | grep -A 12 'WARNING:\|BUG:\|Oops' | tail -n 30 | sed 's/^/# /'
		tap_fail "no kernel warning during the hot-plug rounds ($HP_SPLATS0 -> $hp_splats)"
	fi
	if [ "$HP_MODE" = native ]; then
		# Grants a still-mapping backend holds are retried once a second.
		wait_until 30 ct_refs_are "$HP_REFS0"
		tap_eq "grant references in use back to the count before the attach" \
			"$(ct_num stats refs_in_use)" "$HP_REFS0"
	else
		tap_skip "grant count check (the kernel does not export it in $HP_MODE mode)"
	fi
}

# Native mode: every online CPU but CPU0 (INTx) has an upcall vector.
# One TAP point; skipped when the platform runs on INTx alone for a
# reason it names.
check_upcall_vectors() {
	[ -d /sys/kernel/debug/xenpv ] || mount -t debugfs none /sys/kernel/debug 2>/dev/null
	cv_dv=$(sed -n 's/^event_delivery: //p' /sys/kernel/debug/xenpv/platform 2>/dev/null)
	case "$cv_dv" in
	"per-vCPU vectors"*)
		cv_n=$(grep -c '^cpu[0-9]*: vcpu [0-9]* vector' /sys/kernel/debug/xenpv/platform)
		tap_eq "$1" "$cv_n" $(($(grep -c '^processor' /proc/cpuinfo) - 1))
		;;
	*"does not export"*) tap_skip "$1 ($cv_dv)" ;;
	*) tap_fail "$1 (event delivery: ${cv_dv:-unknown})" ;;
	esac
}
