#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# xdp.sh: native XDP on xenpv_netfront.  Attaching needs the backend's
# feature-xdp-headroom (else the attach must fail cleanly) and an MTU that
# fits a page with headroom (a larger MTU must be refused).  With XDP_PASS
# traffic flows, with XDP_DROP pings fail and rx_xdp_drop counts them,
# with XDP_TX frames go back out (rx_xdp_tx, tx_xdp_xmit), and after
# detaching traffic flows again.  Uses xdp_attach (this directory's
# Makefile).
#
# Copyright (C) 2026 The xenpv authors

. "$(dirname "$0")/lib.sh"

xdp=$nf_here/xdp_attach
[ -x "$xdp" ] || nf_skip_all "xdp_attach not built (make -C selftests/guest/netfront)"
nf_setup

st=$(nf_debugfs_state)
if [ -r "$st" ] && ! grep -q 'xdp-headroom yes' "$st"; then
	if "$xdp" "$NF_IF" pass 2>"$NF_TMP/err"; then
		"$xdp" "$NF_IF" off 2>/dev/null
		tap_fail "attach refused without backend feature-xdp-headroom"
	else
		tap_ok "attach refused without feature-xdp-headroom ($(cat "$NF_TMP/err"))"
	fi
	nf_skip_all "backend lacks feature-xdp-headroom"
fi

mtu=$(cat "/sys/class/net/$NF_IF/mtu")
if ip link set "$NF_IF" mtu 4000 2>/dev/null; then
	if "$xdp" "$NF_IF" pass 2>"$NF_TMP/err"; then
		"$xdp" "$NF_IF" off 2>/dev/null
		tap_fail "XDP refused with MTU 4000"
	else
		tap_ok "XDP refused with MTU 4000 ($(cat "$NF_TMP/err"))"
	fi
	ip link set "$NF_IF" mtu "$mtu"
	nf_wait_ping 10
else
	tap_skip "MTU 4000 check (the backend lacks feature-sg)"
fi

# attach ACTION: one TAP point.
attach() {
	if "$xdp" "$NF_IF" "$1" 2>"$NF_TMP/err"; then
		tap_ok "XDP_$1 program attached (native)"
		return 0
	fi
	tap_fail "XDP_$1 program attached: $(cat "$NF_TMP/err")"
	return 1
}

if attach pass; then
	if nf_wait_ping 20 &&
	    ping -c 10 -i 0.1 -W 2 -q "$NF_PEER" 2>&1 | grep -q ' 0% packet loss'; then
		tap_ok "traffic flows through XDP_PASS"
	else
		tap_fail "traffic flows through XDP_PASS"
		nf_diag_counters
	fi
	if ip link set "$NF_IF" mtu 4000 2>/dev/null; then
		tap_fail "MTU 4000 refused while XDP is attached"
		ip link set "$NF_IF" mtu "$mtu"
	else
		tap_ok "MTU 4000 refused while XDP is attached"
	fi
fi

d0=$(nf_stat rx_xdp_drop)
if attach drop; then
	if ping -c 5 -i 0.2 -W 1 -q "$NF_PEER" >/dev/null 2>&1; then
		tap_fail "replies dropped by XDP_DROP"
	else
		tap_ok "replies dropped by XDP_DROP"
	fi
	d1=$(nf_stat rx_xdp_drop)
	if [ $((d1 - d0)) -ge 5 ]; then
		tap_ok "rx_xdp_drop counted $((d1 - d0))"
	else
		tap_fail "rx_xdp_drop counted $((d1 - d0)), want >= 5"
	fi
fi

t0=$(nf_stat rx_xdp_tx)
x0=$(nf_stat tx_xdp_xmit)
if attach tx; then
	ping -c 5 -i 0.2 -W 1 -q "$NF_PEER" >/dev/null 2>&1
	t1=$(nf_stat rx_xdp_tx)
	x1=$(nf_stat tx_xdp_xmit)
	if [ $((t1 - t0)) -ge 5 ] && [ $((x1 - x0)) -ge 5 ]; then
		tap_ok "XDP_TX sent $((x1 - x0)) frames back"
	else
		tap_fail "XDP_TX: rx_xdp_tx +$((t1 - t0)), tx_xdp_xmit +$((x1 - x0)), want >= 5"
		nf_diag_counters
	fi
fi

if "$xdp" "$NF_IF" off 2>"$NF_TMP/err"; then
	tap_ok "XDP detached"
else
	tap_fail "XDP detached: $(cat "$NF_TMP/err")"
fi
if nf_wait_ping 20; then
	tap_ok "traffic flows after detaching"
else
	tap_fail "traffic flows after detaching"
fi

nf_check_no_protocol_errors
tap_end
