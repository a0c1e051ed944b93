#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# load.sh MODE: load xenpv_platform, xenpv_xenbus and xenpv_coretest and
# check that the core came up in MODE (native | pvops): the platform's
# mode line in dmesg and its module version, the mode and Xen version the
# API reports, and the guest's own domid read from xenstore.
#
# Copyright (C) 2026 The xenpv authors

. /tests/lib/tap.sh
. /tests/core/lib.sh
want=${1:?usage: load.sh native|pvops}

if [ "$want" = native ]; then
	if grep -qw nopv /proc/cmdline && [ "$(cat /sys/hypervisor/type 2>/dev/null)" != xen ]; then
		tap_ok "kernel Xen support off (nopv)"
	else
		tap_fail "kernel Xen support off (nopv)"
	fi
fi

for m in xenpv_platform xenpv_xenbus xenpv_coretest; do
	if modprobe "$m" 2>/tmp/modprobe.err; then
		tap_ok "modprobe $m"
	else
		tap_fail "modprobe $m: $(cat /tmp/modprobe.err)"
		dmesg | grep -E 'xenpv' | tail -n 20 | while IFS= read -r l; do tap_diag "$l"; done
		tap_end
	fi
done

ver=$(cat /sys/module/xenpv_platform/version 2>/dev/null)
# Matched in the shell: busybox grep crashes on these patterns.
line=
dmesg | grep 'xenpv_platform:' >/tmp/xenpv-platform.log
while IFS= read -r l; do
	case "$l" in
	*" $want mode"* | *"mode $want,"* | *"mode $want") line=$l ;;
	esac
done </tmp/xenpv-platform.log
if [ -n "$line" ]; then
	tap_ok "xenpv_platform logged $want mode"
	tap_diag "$line"
else
	tap_fail "xenpv_platform logged $want mode"
	dmesg | grep 'xenpv_platform:' | head -n 10 | while IFS= read -r l; do tap_diag "$l"; done
fi
if [ -n "$ver" ]; then
	tap_ok "xenpv_platform version $ver"
	dmesg | grep 'xenpv_platform:' | grep -qF -- "$ver" ||
		tap_diag "(xenpv_platform does not log its version $ver)"
else
	tap_fail "xenpv_platform version in /sys/module/xenpv_platform/version"
fi

# Native: the FIFO event ABI whenever Xen offers it (event_abi=auto).
if [ "$want" = native ]; then
	abi=$(xenpv_event_abi)
	if dmesg | grep -q 'xenpv_platform: event channels: Xen offers no FIFO ABI'; then
		tap_skip "FIFO event ABI (Xen offers none; using $abi)"
	else
		tap_eq "event channel ABI" "$abi" FIFO
	fi
fi

mode=$(ct_get info mode)
if [ "$mode" = "$want" ]; then tap_ok "core API reports $want mode"; else tap_fail "core API reports $want mode (got '$mode')"; fi
xv=$(ct_get info xen_version)
case "$xv" in
[1-9]*.[0-9]*) tap_ok "Xen version $xv" ;;
*) tap_fail "Xen version reported (got '$xv')" ;;
esac
domid=$(ct_get info domid)
case "$domid" in
[1-9]*) tap_ok "own domid $domid read from xenstore" ;;
*) tap_fail "own domid read from xenstore (got '$domid')" ;;
esac
if [ "$(ct_get info version)" = "$ver" ]; then
	tap_ok "xenpv_coretest and xenpv_platform are the same version"
else
	tap_fail "xenpv_coretest version '$(ct_get info version)' = platform '$ver'"
fi
tap_diag "$(tr '\n' ' ' <"$CT/info")"
tap_diag "grant table: $(tr '\n' ' ' <"$CT/stats")"
tap_end
