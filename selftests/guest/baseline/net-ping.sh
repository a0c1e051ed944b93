#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# net-ping.sh DRIVER: configure the interface driven by DRIVER with the
# guest's link-local address and ping dom0 on the bridge.
#
# Copyright (C) 2026 The xenpv authors

. /tests/lib/tap.sh
drv=$1
ip=${XENPV_GUEST_IP:-169.254.0.2}
peer=${XENPV_DOM0_IP:-169.254.0.1}

i=0
while ! ifc=$(iface_by_driver "$drv"); do
	i=$((i + 1))
	if [ "$i" -gt 150 ]; then
		tap_fail "interface driven by $drv appeared"
		tap_end
	fi
	sleep 0.2
done
tap_ok "interface $ifc driven by $drv"
ip link set lo up
ip addr add "$ip/16" dev "$ifc"
ip link set "$ifc" up
# The bridge port may need a moment after carrier.
ok=0
for _ in 1 2 3 4 5 6 7 8 9 10; do
	if ping -c 1 -W 2 "$peer" >/dev/null 2>&1; then ok=1; break; fi
done
if [ "$ok" = 1 ] && ping -c 5 -i 0.2 -W 2 "$peer" >/tmp/ping.out 2>&1; then
	tap_ok "ping $peer over $ifc"
else
	tap_fail "ping $peer over $ifc"
fi
tap_diag "$(tail -n 2 /tmp/ping.out 2>/dev/null | head -1)"
ip addr del "$ip/16" dev "$ifc"
ip link set "$ifc" down
tap_end
