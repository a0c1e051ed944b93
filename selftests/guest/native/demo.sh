#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh: what `make demo` shows.  In an HVM guest booted with nopv (no
# kernel Xen support), load the xenpv modules and use a PV disk and a PV
# NIC through them: write and read back the disk, ping dom0.
#
# Copyright (C) 2026 The xenpv authors

. /tests/lib/tap.sh

tap_diag "kernel: $(uname -r), command line: $(cat /proc/cmdline)"
for m in xenpv_platform xenpv_xenbus xenpv_blkfront xenpv_netfront; do
	if modprobe "$m"; then tap_ok "modprobe $m"; else tap_fail "modprobe $m"; fi
done
dmesg | grep -E 'xenpv_(platform|xenbus|blkfront|netfront)' | grep -v taint | sed 's/^/# /'
for d in /sys/bus/xenpv/devices/*; do
	[ -e "$d" ] || continue
	tap_diag "bus: $(basename "$d") driver=$(basename "$(readlink "$d/driver" 2>/dev/null)" 2>/dev/null) state=$(cat "$d/state") backend_state=$(cat "$d/backend_state")"
done
if sh /tests/baseline/disk-pattern.sh xvde 8 >/tmp/demo-disk.out 2>&1; then
	tap_ok "PV disk xvde through xenpv_blkfront: pattern written and read back"
else
	tap_fail "PV disk xvde through xenpv_blkfront"
fi
sed 's/^/# /' /tmp/demo-disk.out
if sh /tests/baseline/net-ping.sh xenpv_netfront >/tmp/demo-net.out 2>&1; then
	tap_ok "PV NIC through xenpv_netfront: ping dom0"
else
	tap_fail "PV NIC through xenpv_netfront: ping dom0"
fi
sed 's/^/# /' /tmp/demo-net.out
tap_end
