#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# ethtool.sh: the driver's ethtool interface.  Driver info, per-queue
# counters that move with traffic, event and spurious-event counters,
# offload toggles (TSO, SG, checksums) with traffic after each change,
# channel and RSS reporting, and the debugfs state file.
#
# Copyright (C) 2026 The xenpv authors

. "$(dirname "$0")/lib.sh"

command -v ethtool >/dev/null 2>&1 || nf_skip_all "ethtool is not installed"
nf_setup

drv=$(ethtool -i "$NF_IF" | sed -n 's/^driver: //p')
tap_eq "ethtool -i driver" "$drv" "$NF_DRV"
bus=$(ethtool -i "$NF_IF" | sed -n 's/^bus-info: //p')
case "$bus" in
device/vif/*) tap_ok "bus-info is the xenstore node ($bus)" ;;
*) tap_fail "bus-info '$bus' is not device/vif/N" ;;
esac

if ethtool -S "$NF_IF" | grep -q 'rx_queue_0_packets' &&
    ethtool -S "$NF_IF" | grep -q 'tx_queue_0_bytes' &&
    ethtool -S "$NF_IF" | grep -q 'rx_gso_checksum_fixup' &&
    ethtool -S "$NF_IF" | grep -q 'spurious_events'; then
	tap_ok "ethtool -S lists per-queue and per-cause counters"
else
	tap_fail "ethtool -S lists per-queue and per-cause counters"
fi

rxp0=$(nf_stat_sum rx packets)
txp0=$(nf_stat_sum tx packets)
ev0=$(( $(nf_stat rx_events) + $(nf_stat tx_events) ))
ping -c 50 -i 0.02 -W 2 -q "$NF_PEER" >/dev/null 2>&1
rxp1=$(nf_stat_sum rx packets)
txp1=$(nf_stat_sum tx packets)
ev1=$(( $(nf_stat rx_events) + $(nf_stat tx_events) ))
if [ $((txp1 - txp0)) -ge 50 ]; then
	tap_ok "tx packet counters moved by $((txp1 - txp0)) for 50 echoes"
else
	tap_fail "tx packet counters moved by $((txp1 - txp0)), want >= 50"
fi
if [ $((rxp1 - rxp0)) -ge 50 ]; then
	tap_ok "rx packet counters moved by $((rxp1 - rxp0)) for 50 replies"
else
	tap_fail "rx packet counters moved by $((rxp1 - rxp0)), want >= 50"
fi
if [ "$ev1" -gt "$ev0" ]; then
	tap_ok "event counters moved ($((ev1 - ev0)) events)"
else
	tap_fail "event counters did not move"
fi
tap_diag "spurious events so far: $(nf_stat spurious_events) of $ev1"

ifrx=$(cat "/sys/class/net/$NF_IF/statistics/rx_packets")
if [ "$ifrx" -ge "$rxp1" ] 2>/dev/null; then
	tap_ok "interface statistics include the queue counters"
else
	tap_fail "interface rx_packets $ifrx below the per-queue sum $rxp1"
fi

# feature NAME STATE: ethtool -k value of NAME is STATE (on/off).
feature() {
	# sub-features (tx-checksum-ipv4) are indented under their group
	ethtool -k "$NF_IF" 2>/dev/null | grep -q "^[[:space:]]*$1: $2"
}

# toggle SHORT LONG: switch an offload off and on again, with traffic.
toggle() {
	if ! feature "$2" on; then
		tap_skip "$2 toggle (not on: the backend does not offer it)"
		return
	fi
	ethtool -K "$NF_IF" "$1" off >/dev/null 2>&1
	if feature "$2" off && nf_wait_ping 10; then
		tap_ok "$2 off, traffic flows"
	else
		tap_fail "$2 off, traffic flows"
	fi
	ethtool -K "$NF_IF" "$1" on >/dev/null 2>&1
	if feature "$2" on && nf_wait_ping 10; then
		tap_ok "$2 back on, traffic flows"
	else
		tap_fail "$2 back on, traffic flows"
	fi
}
toggle tso tcp-segmentation-offload
toggle sg scatter-gather
toggle tx-checksum-ipv4 tx-checksum-ipv4
toggle rx rx-checksumming

max=$(ethtool -l "$NF_IF" 2>/dev/null | sed -n 's/^Combined:[[:space:]]*//p' | head -1)
cur=$(ethtool -l "$NF_IF" 2>/dev/null | sed -n 's/^Combined:[[:space:]]*//p' | tail -1)
nq=$(find "/sys/class/net/$NF_IF/queues" -maxdepth 1 -name 'rx-*' | wc -l)
if [ -n "$cur" ] && [ "$cur" -ge 1 ] && [ "$cur" -le "${max:-0}" ]; then
	tap_ok "ethtool -l: $cur of $max combined channels"
else
	tap_fail "ethtool -l: combined '$cur' of '$max'"
fi
tap_eq "RX queues in sysfs match the channel count" "$nq" "$cur"

if ethtool -x "$NF_IF" >"$NF_TMP/rss" 2>&1; then
	if grep -q 'toeplitz: on' "$NF_TMP/rss"; then
		tap_ok "ethtool -x: Toeplitz hashing configured"
	else
		tap_fail "ethtool -x: no Toeplitz hash function reported"
	fi
else
	tap_skip "ethtool -x (backend has no control ring or no hashing)"
fi

st=$(nf_debugfs_state)
if [ -r "$st" ] && grep -q '^backend features:' "$st"; then
	tap_ok "debugfs state lists the negotiated features"
	sed 's/^/# /' "$st" | head -n 12
else
	tap_skip "debugfs state ($st not readable)"
fi

nf_check_no_protocol_errors
tap_end
