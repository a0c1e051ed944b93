#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# ping.sh: basic connectivity over xenpv_netfront.  ICMP to dom0 with
# small, full-MTU and fragmented (multi-packet) payloads, a burst,
# and IPv6 all-nodes multicast (exercises the multicast filter when the
# backend offers dynamic multicast control).  Needs only dom0 on the bridge.
#
# Copyright (C) 2026 The xenpv authors

. "$(dirname "$0")/lib.sh"

nf_setup

# ping_ok DESC ping-args...: ok when every echo is answered.
ping_ok() {
	desc=$1
	shift
	if ping "$@" "$NF_PEER" >"$NF_TMP/ping.out" 2>&1 &&
	    grep -q ' 0% packet loss' "$NF_TMP/ping.out"; then
		tap_ok "$desc"
	else
		tap_fail "$desc"
		sed 's/^/# /' "$NF_TMP/ping.out" | tail -n 3
	fi
}

mtu=$(cat "/sys/class/net/$NF_IF/mtu")
ping_ok "20 x 56-byte echo" -c 20 -i 0.1 -W 2
ping_ok "full-size frame ($((mtu - 28))-byte echo)" -c 5 -i 0.2 -W 2 \
	-s $((mtu - 28))
ping_ok "fragmented 8000-byte echo" -c 5 -i 0.2 -W 2 -s 8000
ping_ok "60000-byte echo (many fragments)" -c 3 -i 0.5 -W 3 -s 60000
ping_ok "burst of 200 echoes" -c 200 -i 0.01 -W 2 -q

# IPv6 all-nodes: dom0 answers if IPv6 is on; only its absence is skipped.
if [ -e /proc/net/if_inet6 ] &&
    ping -6 -c 3 -W 2 -I "$NF_IF" ff02::1 >"$NF_TMP/ping6.out" 2>&1 &&
    grep -q 'bytes from' "$NF_TMP/ping6.out"; then
	tap_ok "IPv6 all-nodes multicast echo answered"
else
	tap_skip "IPv6 all-nodes multicast echo (no IPv6 answer from the bridge)"
fi

nf_check_no_protocol_errors
tap_end
