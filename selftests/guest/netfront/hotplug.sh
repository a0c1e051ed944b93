#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# hotplug.sh: a vif attached and detached while the guest runs (xl
# network-attach / network-detach from the dom0 peer).  Three rounds:
#   1. attach: an interface with the attached MAC appears, driven by
#      xenpv_netfront, gets carrier, answers ping and carries 8 MiB through
#      dom0's echo service intact; detach while idle: it disappears.
#   2. attach again; detach while a transfer runs: the transfer ends (it
#      fails, nothing hangs), the interface disappears.
#   3. attach a third time: ping and the transfer work again.
# No kernel warning; in native mode the grant references in use are back to
# their count before the first attach.  Run it in a guest with no other
# netfront interface (the address is the same link-local one).  Needs
# xenpv_coretest, the dom0 peer (ON_CREATE) and, for the transfers, the
# echo service of transfer.sh.
#
# Copyright (C) 2026 The xenpv authors

. "$(dirname "$0")/lib.sh"
. /tests/core/lib.sh

mac=00:16:3e:00:10:02
ct_require
nf_echo=$nf_here/nf_echo
[ -x "$nf_echo" ] || nf_skip_all "nf_echo not built (make -C selftests/guest/netfront)"

iface_by_mac() {
	for n in /sys/class/net/*; do
		[ "$(cat "$n/address" 2>/dev/null)" = "$mac" ] && { basename "$n"; return 0; }
	done
	return 1
}
no_iface() { ! iface_by_mac >/dev/null; }

iface_by_mac >/dev/null && nf_skip_all "an interface with MAC $mac exists before the attach"
hotplug_begin
head -c 8388608 /dev/urandom >"$NF_TMP/data"
sum=$(sha256sum <"$NF_TMP/data" | cut -d' ' -f1)
devid=

attach() {
	ans=$(PEER_TIMEOUT=90 peer_call net-attach 0)
	if [ $? != 0 ]; then
		tap_fail "dom0 attached a vif with MAC $mac ($1): $ans"
		tap_end
	fi
	devid=$(kv devid "${ans#ok }")
	if wait_until 30 iface_by_mac >/dev/null; then
		NF_IF=$(iface_by_mac)
		tap_ok "interface $NF_IF with MAC $mac appeared ($1, vif devid $devid)"
	else
		tap_fail "an interface with MAC $mac appeared ($1)"
		dmesg | tail -n 15 | sed 's/^/# /'
		tap_end
	fi
	tap_eq "$NF_IF is driven by $NF_DRV" \
		"$(basename "$(readlink "/sys/class/net/$NF_IF/device/driver")")" "$NF_DRV"
	ip link set lo up 2>/dev/null
	ip addr add "$NF_IP/16" dev "$NF_IF" && NF_ADDED=1
	ip link set "$NF_IF" up
	if nf_wait_carrier 30 && nf_wait_ping 30; then
		tap_ok "$NF_IF has carrier and dom0 answers ping over it ($1)"
	else
		nf_diag_counters
		tap_fail "$NF_IF has carrier and dom0 answers ping over it ($1)"
	fi
}

transfer() {
	if timeout 180 "$nf_echo" "$NF_PEER" "$NF_ECHO_PORT" 30 <"$NF_TMP/data" \
	    >"$NF_TMP/back" 2>"$NF_TMP/back.err" &&
	    [ "$(sha256sum <"$NF_TMP/back" | cut -d' ' -f1)" = "$sum" ]; then
		tap_ok "8 MiB through dom0's echo service and back, sha256 equal ($1)"
	else
		sed 's/^/# /' "$NF_TMP/back.err"
		nf_diag_counters
		tap_fail "8 MiB through dom0's echo service and back, sha256 equal ($1)"
	fi
}

detach() {
	ans=$(PEER_TIMEOUT=120 peer_call net-detach "$devid")
	if [ $? = 0 ]; then
		tap_ok "dom0 detached vif $devid ($1, $ans)"
	else
		tap_fail "dom0 detached vif $devid ($1): $ans"
	fi
	if wait_until 30 no_iface; then
		tap_ok "$NF_IF is gone from the guest ($1)"
	else
		tap_fail "$NF_IF is gone from the guest ($1)"
		dmesg | tail -n 15 | sed 's/^/# /'
	fi
	NF_ADDED=0
}

attach "round 1"
transfer "round 1"
detach "round 1, idle"

attach "round 2"
# An endless stream: only the detach can end it.
cat /dev/zero |
	timeout 300 "$nf_echo" "$NF_PEER" "$NF_ECHO_PORT" 20 >/dev/null 2>"$NF_TMP/busy.err" &
busy=$!
sleep 3
if pid_exited "$busy"; then
	sed 's/^/# /' "$NF_TMP/busy.err"
	tap_fail "a transfer runs when the detach starts"
else
	tap_ok "a transfer runs when the detach starts"
fi
detach "round 2, under traffic"
# With the interface gone the transfer stalls; nf_echo's 20 s idle limit
# ends it.  What must not happen is a hang in the driver.
tap_job_ends 60 "$busy" "the transfer ended after the vif went away"
sed 's/^/# nf_echo: /' "$NF_TMP/busy.err" | tail -n 2

attach "round 3"
transfer "round 3"
detach "round 3, idle"

hotplug_end_checks
tap_end
