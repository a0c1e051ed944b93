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

# peer_call OP ARGS...: one request to the dom0 peer.  Prints the answer
# without its sequence number; succeeds when it starts with "ok".
peer_call() {
	seq=$(( $(cat "$PEER_SEQ_FILE" 2>/dev/null || echo 0) + 1 ))
	echo "$seq" >"$PEER_SEQ_FILE"
	if ! xs_write "$CT_BASE/req" "$seq $*"; then
		echo "err cannot write the request: $(cat /tmp/ct_cmd.err)"
		return 1
	fi
	i=0
	while [ "$i" -lt $((PEER_TIMEOUT * 5)) ]; do
		r=$(xs_read "$CT_BASE/rsp" 2>/dev/null)
		case "$r" in
		"$seq "*)
			r=${r#"$seq "}
			echo "$r"
			case "$r" in ok*) return 0 ;; esac
			return 1
			;;
		esac
		i=$((i + 1))
		sleep 0.2
	done
	echo "err no answer from the dom0 peer within ${PEER_TIMEOUT}s"
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
