#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# channels.sh: ethtool -L changes the queue count under traffic.  The
# driver reconnects to the backend with the new count; the carrier comes
# back, the queues match, a TCP stream (iperf3, when dom0 runs a server)
# survives the reconnect, and pings resume.  Skipped when the backend
# offers a single queue.
#
# Copyright (C) 2026 The xenpv authors

. "$(dirname "$0")/lib.sh"

command -v ethtool >/dev/null 2>&1 || nf_skip_all "ethtool is not installed"
nf_setup

max=$(ethtool -l "$NF_IF" 2>/dev/null | sed -n 's/^Combined:[[:space:]]*//p' | head -1)
orig=$(ethtool -l "$NF_IF" 2>/dev/null | sed -n 's/^Combined:[[:space:]]*//p' | tail -1)
if [ -z "$max" ] || [ "$max" -lt 2 ]; then
	nf_skip_all "only ${max:-?} combined channel(s): nothing to change"
fi
tap_ok "channels: $orig of $max"

iperf=0
if command -v iperf3 >/dev/null 2>&1 &&
    iperf3 -c "$NF_PEER" -p "$NF_IPERF_PORT" -t 1 >/dev/null 2>&1; then
	iperf=1
fi

# set_channels N: change, then wait for carrier and traffic.
set_channels() {
	if ethtool -L "$NF_IF" combined "$1"; then
		tap_ok "ethtool -L combined $1 accepted"
	else
		tap_fail "ethtool -L combined $1 accepted"
		return
	fi
	if nf_wait_carrier 30 && nf_wait_ping 30; then
		tap_ok "carrier and traffic back after reconnecting with $1"
	else
		tap_fail "carrier and traffic back after reconnecting with $1"
	fi
	# ethtool itself has crashed here under the emulator once: one retry,
	# and say so.
	cur=$(ethtool -l "$NF_IF" | sed -n 's/^Combined:[[:space:]]*//p' | tail -1)
	if [ -z "$cur" ]; then
		tap_diag "ethtool -l gave nothing; asking again"
		cur=$(ethtool -l "$NF_IF" | sed -n 's/^Combined:[[:space:]]*//p' | tail -1)
	fi
	tap_eq "ethtool -l reports the new count" "$cur" "$1"
	nq=$(find "/sys/class/net/$NF_IF/queues" -maxdepth 1 -name 'tx-*' | wc -l)
	tap_eq "TX queues in sysfs" "$nq" "$1"
	nirq=$(grep -c "vif-[0-9]*-q[0-9]" /proc/interrupts)
	tap_diag "event channel IRQs now: $nirq"
}

# Background load for the whole test: pings, and a TCP stream if possible.
ping -i 0.05 -c 600 -W 1 "$NF_PEER" >"$NF_TMP/bg-ping" 2>&1 &
pingpid=$!
if [ "$iperf" = 1 ]; then
	iperf3 -c "$NF_PEER" -p "$NF_IPERF_PORT" -t 25 -P 2 \
		>"$NF_TMP/iperf" 2>&1 &
	iperfpid=$!
fi
sleep 2

set_channels 1
sleep 2
set_channels "$max"
sleep 2
[ "$orig" != "$max" ] && set_channels "$orig"

if [ "$iperf" = 1 ]; then
	if wait "$iperfpid"; then
		tap_ok "iperf3 TCP stream survived the reconnects"
	else
		tap_fail "iperf3 TCP stream survived the reconnects"
		sed 's/^/# /' "$NF_TMP/iperf" | tail -n 5
	fi
else
	tap_skip "TCP stream across reconnects (no iperf3 server at $NF_PEER:$NF_IPERF_PORT)"
fi
wait "$pingpid"
rcv=$(sed -n 's/.* \([0-9]*\) packets received.*/\1/p' "$NF_TMP/bg-ping")
tap_diag "background ping: $(grep 'packet loss' "$NF_TMP/bg-ping")"
if [ "${rcv:-0}" -gt 0 ]; then
	tap_ok "background pings answered across the changes ($rcv)"
else
	tap_fail "no background ping answered"
fi

nf_check_no_protocol_errors
tap_end
