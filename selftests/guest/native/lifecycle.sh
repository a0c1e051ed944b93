#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# lifecycle.sh: `xl reboot` and `xl shutdown` of a native-mode guest.
# xl only sends them when the guest has PV control (HVM: a callback set up
# by xenpv_platform), and they only work when xenpv_xenbus's control/
# shutdown watch runs the kernel's orderly reboot or poweroff.  Run twice:
#
#   first boot   the dom0 peer runs `xl reboot`; the request must reach
#                PID 1 the way a system's reboot does (/sbin/reboot, which
#                signals init); the rig's init then reboots the guest and
#                the toolstack restarts it (ON_REBOOT=restart) as a new
#                domain, which runs the plan again;
#   second boot  the guest must be that restarted domain; the peer runs
#                `xl shutdown -w`, which must reach PID 1 as a poweroff.
#
# Needs xenpv_coretest and the peer (the scenario's ON_CREATE).
#
# Copyright (C) 2026 The xenpv authors

. /tests/lib/tap.sh
. /tests/core/lib.sh
ct_require

REQ=/run/rig-shutdown

requested() { [ "$(cat "$REQ" 2>/dev/null)" = "$want" ]; }

for f in poweroff reboot; do
	tap_eq "control/feature-$f advertised" "$(xs_read "control/feature-$f" 2>/dev/null)" 1
done

if ! ans=$(peer_call boot); then
	tap_fail "the dom0 peer says which boot this is: $ans"
	tap_end
fi
boot=$(kv boot "${ans#ok }")
domid=$(kv domid "${ans#ok }")
first=$(kv first "${ans#ok }")
tap_diag "peer: $ans"
if [ -e "$REQ" ]; then
	tap_fail "no shutdown request before the test ($(cat "$REQ"))"
	tap_end
fi

# Ask dom0 for $1 (the peer command) with xl $2; the request must reach
# init as $3 ("reboot" or "poweroff"), come from xenpv_xenbus, and be
# acknowledged by writing "" over control/shutdown (the node must be
# readable and empty: a failed read is not an acknowledgement).
toolstack_asks() {
	if ! ans=$(peer_call "$1"); then
		tap_fail "dom0 runs xl $2: $ans"
		tap_end
	fi
	want=$3
	if wait_until 60 requested; then
		tap_ok "xl $2 reached init as an orderly $3"
	else
		dmesg | tail -n 10 | sed 's/^/# /'
		tap_fail "xl $2 reached init as an orderly $3 (request: '$(cat "$REQ" 2>/dev/null)')"
	fi
	if dmesg | grep -q "xenpv_xenbus: $3 requested by the toolstack"; then
		tap_ok "xenpv_xenbus took the $3 from control/shutdown"
	else
		tap_fail "xenpv_xenbus took the $3 from control/shutdown"
	fi
	if sa_v=$(xs_read control/shutdown 2>/dev/null); then
		tap_eq "control/shutdown acknowledged" "$sa_v" ""
	else
		tap_fail "control/shutdown acknowledged (the node cannot be read)"
	fi
}

case "$boot" in
1)
	tap_eq "first boot: this domain is the one created" "$domid" "$first"
	toolstack_asks reboot reboot reboot
	;;
2)
	case "$domid" in
	'' | "$first") tap_fail "second boot: a new domain after xl reboot ($first -> $domid)" ;;
	*) tap_ok "second boot: the restarted guest is a new domain ($first -> $domid)" ;;
	esac
	toolstack_asks poweroff shutdown poweroff
	;;
*)
	tap_fail "the dom0 peer says boot 1 or 2 (got '$boot')"
	;;
esac
tap_end
