# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Minimal TAP helpers for the guest tests (busybox sh).  Source it, call
# tap_ok/tap_fail/tap_skip per check, and end with tap_end (exit status:
# 0 all passed, 1 something failed, 4 everything skipped).
#
# Copyright (C) 2026 The xenpv authors

TAP_N=0
TAP_FAILS=0
TAP_SKIPS=0

tap_ok() {
	TAP_N=$((TAP_N + 1))
	echo "ok $TAP_N - $*"
}

tap_fail() {
	TAP_N=$((TAP_N + 1))
	TAP_FAILS=$((TAP_FAILS + 1))
	echo "not ok $TAP_N - $*"
}

tap_skip() {
	TAP_N=$((TAP_N + 1))
	TAP_SKIPS=$((TAP_SKIPS + 1))
	echo "ok $TAP_N - $* # SKIP"
}

# tap_check "description" command args...: ok when the command succeeds.
tap_check() {
	desc=$1
	shift
	if "$@"; then tap_ok "$desc"; else tap_fail "$desc"; fi
}

# tap_eq "description" GOT WANT: ok when the two strings are equal.
tap_eq() {
	if [ "$2" = "$3" ]; then
		tap_ok "$1 ($2)"
	else
		tap_fail "$1: got '$2', want '$3'"
	fi
}

tap_diag() {
	echo "# $*"
}

tap_end() {
	echo "1..$TAP_N"
	[ "$TAP_FAILS" -gt 0 ] && exit 1
	[ "$TAP_N" -gt 0 ] && [ "$TAP_SKIPS" = "$TAP_N" ] && exit 4
	exit 0
}

# wait_until SECONDS command args...: poll (every 0.2 s) until the command
# succeeds; fail after SECONDS.
wait_until() {
	wu_limit=$(( $1 * 5 ))
	shift
	wu_i=0
	until "$@"; do
		wu_i=$((wu_i + 1))
		[ "$wu_i" -gt "$wu_limit" ] && return 1
		sleep 0.2
	done
	return 0
}

# wait_for PATH SECONDS: wait until PATH exists.
wait_for() {
	wait_until "$2" test -e "$1"
}

# Network interface whose driver is $1 (e.g. vif, e1000, xenpv_netfront).
iface_by_driver() {
	for n in /sys/class/net/*; do
		d=$(basename "$(readlink "$n/device/driver" 2>/dev/null)" 2>/dev/null)
		[ "$d" = "$1" ] && { basename "$n"; return 0; }
	done
	return 1
}
