#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# transfer.sh [MIB]: data integrity both ways.  MIB MiB (default 32) of
# random data go to dom0's TCP echo service and come back; the sha256 of
# what came back must equal what was sent, so the data crossed the TX path
# (guest -> dom0) and the RX path (dom0 -> guest) intact.  Run with the
# device's current offloads, then with TSO and SG off (linearised, single
# slot path), and with several connections at once (multi-queue).
#
# dom0 side: a TCP echo service on $XENPV_DOM0_IP:$XENPV_ECHO_PORT (default
# port 7) that returns every byte it receives and closes once the client
# has half-closed and everything was sent back, e.g.
# "socat TCP-LISTEN:7,fork,reuseaddr EXEC:cat".  Without it the test is
# skipped.  The guest side is nf_echo (built by this directory's Makefile).
#
# Copyright (C) 2026 The xenpv authors

. "$(dirname "$0")/lib.sh"

mib=${1:-32}
nf_setup

nf_echo=$nf_here/nf_echo
[ -x "$nf_echo" ] || nf_skip_all "nf_echo not built (make -C selftests/guest/netfront)"

# echo_once FILE OUT: push FILE through the echo service into OUT.  A
# failure leaves nf_echo's complaint and the device state as TAP comments.
echo_once() {
	if timeout 180 "$nf_echo" "$NF_PEER" "$NF_ECHO_PORT" 30 <"$1" >"$2" \
	    2>"$2.err"; then
		return 0
	fi
	sed 's/^/# /' "$2.err"
	nf_diag_counters
	return 1
}

printf 'xenpv\n' >"$NF_TMP/probe"
if ! echo_once "$NF_TMP/probe" "$NF_TMP/probe.back" ||
    ! cmp -s "$NF_TMP/probe" "$NF_TMP/probe.back"; then
	nf_skip_all "no TCP echo service at $NF_PEER:$NF_ECHO_PORT"
fi
tap_ok "echo service at $NF_PEER:$NF_ECHO_PORT"

head -c "$((mib * 1024 * 1024))" /dev/urandom >"$NF_TMP/tx.bin"
want=$(sha256sum <"$NF_TMP/tx.bin" | cut -d' ' -f1)

# round_trip DESC: one echo of tx.bin, checked by sha256.
round_trip() {
	rm -f "$NF_TMP/rx.bin"
	t0=$(cut -d' ' -f1 /proc/uptime)
	echo_once "$NF_TMP/tx.bin" "$NF_TMP/rx.bin"
	t1=$(cut -d' ' -f1 /proc/uptime)
	got=$(sha256sum <"$NF_TMP/rx.bin" | cut -d' ' -f1)
	if [ "$got" = "$want" ]; then
		tap_ok "$1: $mib MiB each way, sha256 matches"
	else
		tap_fail "$1: sha256 of the echo differs ($(wc -c <"$NF_TMP/rx.bin") bytes back)"
	fi
	tap_diag "$1: ${t0}s .. ${t1}s uptime"
}

rx0=$(nf_stat_sum rx bytes)
tx0=$(nf_stat_sum tx bytes)
round_trip "default offloads"
rx1=$(nf_stat_sum rx bytes)
tx1=$(nf_stat_sum tx bytes)
min=$((mib * 1024 * 1024))
if ! command -v ethtool >/dev/null 2>&1; then
	tap_skip "per-queue byte counters (no ethtool)"
elif [ $((tx1 - tx0)) -ge "$min" ] && [ $((rx1 - rx0)) -ge "$min" ]; then
	tap_ok "per-queue byte counters moved by at least $mib MiB each way"
else
	tap_fail "byte counters moved tx $((tx1 - tx0)) rx $((rx1 - rx0)), want >= $min"
fi

if command -v ethtool >/dev/null 2>&1; then
	feats=$(ethtool -k "$NF_IF" 2>/dev/null)
	ethtool -K "$NF_IF" tso off sg off >/dev/null 2>&1
	round_trip "TSO and SG off"
	# Restore what was on before.
	echo "$feats" | grep -q '^scatter-gather: on' &&
		ethtool -K "$NF_IF" sg on >/dev/null 2>&1
	echo "$feats" | grep -q '^tcp-segmentation-offload: on' &&
		ethtool -K "$NF_IF" tso on >/dev/null 2>&1
else
	tap_skip "TSO and SG off (no ethtool)"
fi

# Four connections at once: flows spread over the queues.
small=$((mib / 4))
[ "$small" -lt 1 ] && small=1
head -c "$((small * 1024 * 1024))" "$NF_TMP/tx.bin" >"$NF_TMP/part.bin"
part=$(sha256sum <"$NF_TMP/part.bin" | cut -d' ' -f1)
for j in 1 2 3 4; do
	echo_once "$NF_TMP/part.bin" "$NF_TMP/part.$j" &
done
wait
bad=0
for j in 1 2 3 4; do
	[ "$(sha256sum <"$NF_TMP/part.$j" | cut -d' ' -f1)" = "$part" ] ||
		bad=$((bad + 1))
done
tap_eq "4 parallel $small MiB echoes intact (bad copies)" "$bad" 0

nf_check_no_protocol_errors
tap_end
