#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# saverestore.sh: xenpv_netfront carries a TCP stream across `xl save` +
# `xl restore`.  iperf3 sends to dom0 for 40 s; a few seconds in, the
# dom0 peer (tools/dom0/xenpv-core-peer, op saverestore) saves the guest
# and restores it as a new domain.  Then the interface must have
# reconnected, traffic must flow again on its queues (counters move while
# iperf3 still runs), iperf3 must finish without error (the connection
# survived), pings must answer, and no backend protocol error may have
# been seen.  Native mode: the grant references in use settle at or below
# the count before the save (RX buffers re-posted, nothing leaked; other
# frontends may hold fewer once they reconnected, never more).  Needs
# xenpv_coretest, the peer (the scenario's ON_CREATE) and iperf3 served by
# dom0.
#
# Copyright (C) 2026 The xenpv authors

. "$(dirname "$0")/lib.sh"
. /tests/core/lib.sh

command -v iperf3 >/dev/null 2>&1 || nf_skip_all "iperf3 is not installed"
ct_loaded || nf_skip_all "xenpv_coretest is not loaded (no dom0 peer channel)"
nf_setup
if ! iperf3 -c "$NF_PEER" -p "$NF_IPERF_PORT" -t 1 >/dev/null 2>&1; then
	tap_fail "dom0 serves iperf3 on $NF_PEER:$NF_IPERF_PORT"
	tap_end
fi

mode=$(ct_get info mode)
wait_until 6 ct_grants_settled
refs0=$(ct_num stats refs_in_use)
splats0=$(kernel_splats)
dom0=$(xs_read domid 2>/dev/null)
tx_bytes() { nf_stat_sum tx bytes; }

iperf3 -c "$NF_PEER" -p "$NF_IPERF_PORT" -t 40 -i 5 --forceflush \
	>"$NF_TMP/iperf.out" 2>&1 &
ipid=$!
sleep 6
if pid_exited "$ipid"; then
	sed 's/^/# /' "$NF_TMP/iperf.out" | tail -n 10
	tap_fail "iperf3 still sending when the save starts"
	tap_end
fi
before=$(tx_bytes)
tap_ok "iperf3 sending before the save ($before bytes sent on $NF_IF)"

if ! peer_saverestore "during the stream" "$dom0"; then
	kill "$ipid" 2>/dev/null
	wait "$ipid"
	tap_end
fi

if nf_wait_carrier 30; then
	tap_ok "$NF_IF carrier up after the restore"
else
	tap_fail "$NF_IF carrier up after the restore"
fi
after=$(tx_bytes)
more() { [ "$(tx_bytes)" -gt $((after + 1048576)) ]; }
if pid_exited "$ipid"; then
	sed 's/^/# /' "$NF_TMP/iperf.out" | tail -n 10
	tap_fail "iperf3 still running after the restore (the save came too late or the stream broke)"
elif wait_until 30 more; then
	tap_ok "traffic resumed: over 1 MiB more sent by the same iperf3 after the restore"
else
	nf_diag_counters
	tap_fail "traffic resumed after the restore ($after -> $(tx_bytes) bytes)"
fi

if wait_until 90 pid_exited "$ipid" && wait "$ipid"; then
	tap_ok "iperf3 finished without error: the TCP stream survived"
	grep -E 'sender|receiver' "$NF_TMP/iperf.out" | sed 's/^/# /'
else
	sed 's/^/# /' "$NF_TMP/iperf.out" | tail -n 12
	kill -9 "$ipid" 2>/dev/null
	tap_fail "iperf3 finished without error: the TCP stream survived"
fi
if ping -c 5 -W 2 "$NF_PEER" >/dev/null 2>&1; then
	tap_ok "ping after the restore"
else
	tap_fail "ping after the restore"
fi
nf_check_no_protocol_errors
tap_eq "no kernel warning" "$(kernel_splats)" "$splats0"
if [ "$mode" = native ]; then
	refs_back() { [ "$(ct_num stats refs_in_use)" -le "$refs0" ]; }
	if wait_until 30 refs_back; then
		tap_ok "no grant leaked: $(ct_num stats refs_in_use) references in use, $refs0 before the save"
	else
		tap_fail "no grant leaked: $(ct_num stats refs_in_use) references in use, $refs0 before the save"
	fi
else
	tap_skip "grant count check (the kernel does not export it in $mode mode)"
fi
tap_end
