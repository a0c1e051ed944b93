#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# nobackend.sh [TIMEOUT]: a vfb and a vkbd whose backend never comes
# (tools/dom0/xenpv-orphan-dev, from the scenario's ON_CREATE) must not
# stall anything: loading xenpv_fbfront and xenpv_kbdfront with
# connect_timeout=TIMEOUT (default 5) returns at once, each device logs
# exactly one clear "backend not connected" line after about TIMEOUT
# seconds, and nothing more after that.
#
# Copyright (C) 2026 The xenpv authors

. /tests/lib/tap.sh
to=${1:-5}

ms() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }
msgs() { dmesg | grep -c "$1: backend not connected after $to s"; }

for dev in vfb/0 vkbd/0; do
	i=0
	while [ $i -lt 100 ] && [ ! -e "/sys/bus/xen/devices/${dev%/*}-${dev#*/}" ]; do
		i=$((i + 1))
		sleep 0.2
	done
done
if [ -e /sys/bus/xen/devices/vfb-0 ] && [ -e /sys/bus/xen/devices/vkbd-0 ]; then
	tap_ok "orphan vfb-0 and vkbd-0 are on the bus"
else
	tap_fail "orphan vfb-0 and vkbd-0 are on the bus ($(ls /sys/bus/xen/devices 2>&1 | tr '\n' ' '))"
	tap_end
fi

t0=$(ms)
modprobe xenpv_fbfront connect_timeout="$to"
r1=$?
modprobe xenpv_kbdfront connect_timeout="$to"
r2=$?
t1=$(ms)
tap_eq "modprobe xenpv_fbfront, xenpv_kbdfront" "$r1 $r2" "0 0"
if [ $((t1 - t0)) -lt 3000 ]; then
	tap_ok "both loaded in $((t1 - t0)) ms: nothing waits for the backend"
else
	tap_fail "both loaded in $((t1 - t0)) ms, want < 3000: something waited for the backend"
fi
for dev in vfb-0 vkbd-0; do
	drv=$(basename "$(readlink "/sys/bus/xen/devices/$dev/driver" 2>/dev/null)" 2>/dev/null)
	tap_eq "$dev bound to our driver" "$drv" "xenpv_${dev%-0}"
done

# The report: once per device, about TIMEOUT s after the probe.
i=0
while [ $i -lt $((to * 5 + 75)) ]; do
	[ "$(msgs device/vfb/0)" -ge 1 ] && [ "$(msgs device/vkbd/0)" -ge 1 ] && break
	i=$((i + 1))
	sleep 0.2
done
t2=$(ms)
tap_diag "reports after $((t2 - t1)) ms:"
dmesg | grep "backend not connected" | while read -r l; do tap_diag "$l"; done
for dev in vfb vkbd; do
	tap_eq "device/$dev/0 reported once" "$(msgs "device/$dev/0")" 1
done
if [ $((t2 - t1)) -le $(((to + 10) * 1000)) ]; then
	tap_ok "reported within $((t2 - t1)) ms (timeout $to s)"
else
	tap_fail "reported after $((t2 - t1)) ms, want about $to s"
fi
sleep $((to * 2))
for dev in vfb vkbd; do
	tap_eq "device/$dev/0 still reported only once after $((to * 2)) s more" \
		"$(msgs "device/$dev/0")" 1
done
# The kernel's xenbus pins a frontend module while it has devices bound
# (as for the in-tree frontends): unbind, then unload.
for dev in vkbd-0 vfb-0; do
	drvdir=$(readlink -f "/sys/bus/xen/devices/$dev/driver")
	if echo "$dev" >"$drvdir/unbind"; then
		tap_ok "unbound $dev with the backend still absent"
	else
		tap_fail "unbind $dev"
	fi
done
for m in xenpv_kbdfront xenpv_fbfront; do
	if rmmod "$m"; then tap_ok "rmmod $m"; else tap_fail "rmmod $m"; fi
done
tap_end
