#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# diag.sh: state of the xenpv_netfront interface as TAP comments (links,
# counters, the driver's debugfs state, xenstore-visible bus state and the
# kernel log), for reading a failing run.  One TAP point: the interface
# exists.
#
# Copyright (C) 2026 The xenpv authors

. /tests/lib/tap.sh

echo "TAP version 13"
ifc=$(iface_by_driver xenpv_netfront) || ifc=
if [ -z "$ifc" ]; then
	tap_fail "an interface driven by xenpv_netfront"
	dmesg | tail -n 40 | sed 's/^/# /'
	tap_end
fi
tap_ok "interface $ifc driven by xenpv_netfront"
{
	ip link show dev "$ifc"
	ip addr show dev "$ifc"
	ip neigh show
	ethtool -S "$ifc" | grep -v ': 0$'
	[ -d /sys/kernel/debug/xenpv_netfront ] ||
		mount -t debugfs none /sys/kernel/debug 2>/dev/null
	bus=$(basename "$(readlink "/sys/class/net/$ifc/device")")
	cat "/sys/kernel/debug/xenpv_netfront/$bus/state"
	for f in state backend_state backend; do
		echo "$bus/$f: $(cat "/sys/bus/xenpv/devices/$bus/$f")"
	done
	dmesg | grep -i -E 'xenpv|eth|vif' | tail -n 40
} 2>&1 | sed 's/^/# /'
tap_end
