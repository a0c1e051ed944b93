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

# Remove every xenpv module that is loaded, users first.
xenpv_unload_all() {
	for m in xenpv_coretest xenpv_netfront xenpv_blkfront xenpv_fbfront xenpv_kbdfront \
		xenpv_xenbus xenpv_pvops xenpv_platform; do
		if grep -q "^$m " /proc/modules; then
			rmmod "$m" || return 1
		fi
	done
	return 0
}

# Load the core in order: platform (decides the mode), xenbus (pulls in
# xenpv_pvops in pvops mode), then the test module.
xenpv_load_core() {
	modprobe xenpv_platform && modprobe xenpv_xenbus && modprobe xenpv_coretest
}
