#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# nopv-devices.sh: in an HVM guest booted with nopv and before any xenpv
# module is loaded, the emulated IDE disk and NIC are visible, the kernel's
# own Xen support is off, and the Xen platform PCI device 5853:0001 is on
# the PCI bus with no driver bound.
#
# Copyright (C) 2026 The xenpv authors

. /tests/lib/tap.sh

platform=
for d in /sys/bus/pci/devices/*; do
	if [ "$(cat "$d/vendor")" = 0x5853 ] && [ "$(cat "$d/device")" = 0x0001 ]; then
		platform=$d
	fi
done
if [ -n "$platform" ]; then
	tap_ok "Xen platform PCI device 5853:0001 at $(basename "$platform")"
	if [ -e "$platform/driver" ]; then
		tap_fail "platform device unbound (bound to $(basename "$(readlink "$platform/driver")"))"
	else
		tap_ok "platform device unbound"
	fi
else
	tap_fail "Xen platform PCI device 5853:0001 present"
fi

if [ "$(cat /sys/hypervisor/type 2>/dev/null)" = xen ]; then
	tap_fail "kernel Xen support off (nopv): /sys/hypervisor/type says xen"
else
	tap_ok "kernel Xen support off (nopv)"
fi

# Emulated IDE disk (ata_piix/ata_generic -> sd*).
wait_for /sys/class/block/sda 20
ide=
for b in /sys/class/block/sd?; do
	[ -e "$b" ] || continue
	ide="$ide $(basename "$b")"
done
if [ -n "$ide" ]; then tap_ok "emulated IDE disk visible:$ide"; else tap_fail "emulated IDE disk visible"; fi

i=0
while ! nic=$(iface_by_driver "${1:-e1000}"); do
	i=$((i + 1))
	[ "$i" -gt 100 ] && break
	sleep 0.2
done
if [ -n "$nic" ]; then tap_ok "emulated NIC visible: $nic (${1:-e1000})"; else tap_fail "emulated NIC (${1:-e1000}) visible"; fi
tap_end
