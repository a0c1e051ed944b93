# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Common setup for the xenpv_netfront guest tests (POSIX sh, busybox).
# Sourced by each test.  Finds the interface driven by xenpv_netfront (or
# $XENPV_NET_IF), gives it the guest's link-local address and brings it up.
#
# Environment (all optional):
#   XENPV_GUEST_IP    guest address, default 169.254.0.2
#   XENPV_DOM0_IP     dom0 bridge address, default 169.254.0.1
#   XENPV_NET_IF      interface to test (default: found by driver)
#   XENPV_NET_DRIVER  driver to find it by (default xenpv_netfront)
#   XENPV_ECHO_PORT   TCP echo service on dom0 (transfer.sh), default 7
#   XENPV_IPERF_PORT  iperf3 server on dom0 (channels.sh), default 5201
# Only link-local IPv4 (169.254.0.0/16) addresses are ever configured.
#
# Copyright (C) 2026 The xenpv authors

nf_here=$(cd "$(dirname "$0")" && pwd)
# shellcheck disable=SC1091
. "$nf_here/../lib/tap-start.sh"

# XENPV_NET_DRIVER: the driver whose interface is tested (benchmarks
# compare the in-tree "vif" and emulated NICs too).
NF_DRV=${XENPV_NET_DRIVER:-xenpv_netfront}
NF_IP=${XENPV_GUEST_IP:-169.254.0.2}
NF_PEER=${XENPV_DOM0_IP:-169.254.0.1}
# shellcheck disable=SC2034 # used by the tests that source this file
NF_ECHO_PORT=${XENPV_ECHO_PORT:-7}
# shellcheck disable=SC2034
NF_IPERF_PORT=${XENPV_IPERF_PORT:-5201}
NF_TMP=${TMPDIR:-/tmp}/xenpv-net.$$
NF_IF=
NF_ADDED=0
mkdir -p "$NF_TMP"

# Refuse anything outside 169.254.0.0/16.
nf_linklocal() {
	case "$1" in
	169.254.*.*) return 0 ;;
	esac
	return 1
}
if ! nf_linklocal "$NF_IP" || ! nf_linklocal "$NF_PEER"; then
	echo "Bail out! only 169.254.0.0/16 addresses are allowed ($NF_IP, $NF_PEER)"
	exit 1
fi

nf_cleanup() {
	if [ -n "$NF_IF" ] && [ "$NF_ADDED" = 1 ]; then
		ip addr del "$NF_IP/16" dev "$NF_IF" 2>/dev/null
	fi
	rm -rf "$NF_TMP"
}
trap nf_cleanup EXIT

# Skip the whole test (exit 4) with a reason.
nf_skip_all() {
	tap_skip "$*"
	tap_end
}

# Wait up to 30 s for the interface; sets NF_IF.
nf_find_if() {
	i=0
	while :; do
		if [ -n "${XENPV_NET_IF:-}" ]; then
			[ -e "/sys/class/net/$XENPV_NET_IF" ] && NF_IF=$XENPV_NET_IF
		else
			NF_IF=$(iface_by_driver "$NF_DRV") || NF_IF=
		fi
		[ -n "$NF_IF" ] && return 0
		i=$((i + 1))
		[ "$i" -gt 150 ] && return 1
		sleep 0.2
	done
}

# Carrier of $NF_IF is up within $1 seconds (default 20).
nf_carrier_up() {
	[ "$(cat "/sys/class/net/$NF_IF/carrier" 2>/dev/null)" = 1 ]
}

nf_wait_carrier() {
	wait_until "${1:-20}" nf_carrier_up
}

# Ping the peer until one reply comes, for at most $1 seconds (default 20).
nf_wait_ping() {
	end=$(( $(cut -d. -f1 /proc/uptime) + ${1:-20} ))
	while [ "$(cut -d. -f1 /proc/uptime)" -le "$end" ]; do
		ping -c 1 -W 1 "$NF_PEER" >/dev/null 2>&1 && return 0
	done
	return 1
}

# Find, address and bring up the interface; one TAP point each.
nf_setup() {
	if ! nf_find_if; then
		tap_fail "an interface driven by $NF_DRV appeared"
		tap_end
	fi
	if [ -n "${XENPV_NET_IF:-}" ]; then
		tap_ok "interface $NF_IF (from XENPV_NET_IF)"
	else
		tap_ok "interface $NF_IF driven by $NF_DRV"
	fi
	ip link set lo up 2>/dev/null
	if ! ip addr show dev "$NF_IF" | grep -q "inet $NF_IP/"; then
		ip addr add "$NF_IP/16" dev "$NF_IF" && NF_ADDED=1
	fi
	ip link set "$NF_IF" up
	if nf_wait_carrier 30; then
		tap_ok "$NF_IF carrier up"
	else
		tap_fail "$NF_IF carrier up"
	fi
	if nf_wait_ping 30; then
		tap_ok "dom0 $NF_PEER answers over $NF_IF"
	else
		tap_fail "dom0 $NF_PEER answers over $NF_IF"
		tap_end
	fi
}

# Measurements: no TCP metrics (ssthresh, RTT) saved from one connection
# to the next, so every run starts from the same state (dom0's side is set
# by the scenarios' DOM0_SETUP).
nf_tcp_independent_runs() {
	echo 1 >/proc/sys/net/ipv4/tcp_no_metrics_save
}

# One ethtool -S counter of $NF_IF (0 when absent).
nf_stat() {
	v=$(ethtool -S "$NF_IF" 2>/dev/null | sed -n "s/^ *$1: *//p" | head -1)
	echo "${v:-0}"
}

# Sum of the per-queue counters rx|tx _queue_N_ packets|bytes.
nf_stat_sum() {
	ethtool -S "$NF_IF" 2>/dev/null |
		sed -n "s/^ *$1_queue_[0-9]*_$2: *//p" |
		awk '{ s += $1 } END { print s + 0 }'
}

# The driver's debugfs state file for $NF_IF.
nf_debugfs_state() {
	[ -d /sys/kernel/debug/$NF_DRV ] ||
		mount -t debugfs none /sys/kernel/debug 2>/dev/null
	bus=$(basename "$(readlink "/sys/class/net/$NF_IF/device")")
	echo "/sys/kernel/debug/$NF_DRV/$bus/state"
}

# No protocol error was seen (the device was never disabled).
nf_check_no_protocol_errors() {
	tap_eq "no backend protocol errors" "$(nf_stat protocol_errors)" 0
}

# Non-zero counters and the driver's state as TAP comments (after a failure).
nf_diag_counters() {
	ethtool -S "$NF_IF" 2>/dev/null | grep -v ': 0$' | sed 's/^/# /'
	st=$(nf_debugfs_state)
	[ -r "$st" ] && sed 's/^/# /' "$st"
	dmesg | grep xenpv | tail -n 10 | sed 's/^/# /'
	ip -s link show "$NF_IF" 2>&1 | sed 's/^/# /'
	ip neigh show dev "$NF_IF" 2>&1 | sed 's/^/# neigh: /'
	ip -d link show "$NF_IF" 2>&1 | grep -i xdp | sed 's/^/# /'
}
