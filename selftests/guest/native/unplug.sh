#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# unplug.sh: xenpv_platform's emul_unplug= in a nopv HVM guest whose disk
# (hda) and vif (e1000) each have an emulated device and a PV twin, both
# emulated ones driven (ata_piix + sd, e1000) before any xenpv module.
#
#   emul_unplug=never  the emulated disk and NIC stay; the platform offers
#                      no PV disks or NICs, so xenpv_blkfront and
#                      xenpv_netfront refuse to load (no device seen twice);
#   default (all)      after unloading everything and loading again, the
#                      emulated disk and NIC are gone before the frontends
#                      load, and the PV disk and NIC take their place.
#
# Copyright (C) 2026 The xenpv authors

. /tests/lib/tap.sh
. /tests/core/lib.sh

PLAT=/sys/kernel/debug/xenpv/platform
plat() {
	[ -d /sys/kernel/debug/xenpv ] || mount -t debugfs none /sys/kernel/debug 2>/dev/null
	sed -n "s/^$1: //p" "$PLAT" 2>/dev/null
}
emu_disk() { [ -e /sys/class/block/sda ]; }
no_emu_disk() { ! emu_disk; }
emu_nic() { iface_by_driver e1000 >/dev/null; }
no_emu_nic() { ! emu_nic; }
pv_disk() { ls -d /sys/class/block/xvd? >/dev/null 2>&1; }
pv_nic() { iface_by_driver xenpv_netfront >/dev/null; }

if wait_until 30 emu_disk && wait_until 30 emu_nic; then
	tap_ok "emulated disk sda and e1000 NIC $(iface_by_driver e1000) before any xenpv module"
else
	tap_fail "emulated disk sda and e1000 NIC before any xenpv module"
	tap_end
fi

# ---- never -------------------------------------------------------------
if modprobe xenpv_platform emul_unplug=never 2>/tmp/unplug.err; then
	tap_ok "modprobe xenpv_platform emul_unplug=never"
else
	tap_fail "modprobe xenpv_platform emul_unplug=never: $(cat /tmp/unplug.err)"
	tap_end
fi
tap_eq "platform did not unplug" "$(plat unplug | cut -d' ' -f1)" skipped
tap_eq "no PV disks offered" "$(plat pv_disks)" 0
tap_eq "no PV NICs offered" "$(plat pv_nics)" 0
sleep 3
if emu_disk && emu_nic; then
	tap_ok "emulated disk and NIC stay with emul_unplug=never"
else
	tap_fail "emulated disk and NIC stay with emul_unplug=never (sda: $(emu_disk && echo yes || echo no), e1000: $(emu_nic && echo yes || echo no))"
fi
modprobe xenpv_xenbus
for m in xenpv_blkfront xenpv_netfront; do
	if modprobe "$m" 2>/tmp/unplug.err; then
		tap_fail "$m refuses to load without PV devices (it loaded)"
	else
		tap_ok "$m refuses to load without PV devices ($(tail -n 1 /tmp/unplug.err))"
	fi
done
sleep 2
if ! pv_disk && ! pv_nic; then
	tap_ok "no PV disk or NIC next to the emulated ones"
else
	tap_fail "no PV disk or NIC next to the emulated ones"
fi
dmesg | grep -E 'xenpv_(platform|blkfront|netfront)' | grep -i 'unplug\|not available\|no PV' |
	tail -n 4 | while IFS= read -r l; do tap_diag "$l"; done
if xenpv_unload_all; then
	tap_ok "unloaded"
else
	tap_fail "unloaded ($(grep '^xenpv' /proc/modules | cut -d' ' -f1 | tr '\n' ' '))"
	tap_end
fi

# ---- all (default) ----------------------------------------------------------
if modprobe xenpv_platform 2>/tmp/unplug.err; then
	tap_ok "modprobe xenpv_platform (emul_unplug=all)"
else
	tap_fail "modprobe xenpv_platform: $(cat /tmp/unplug.err)"
	tap_end
fi
tap_eq "platform unplugged" "$(plat unplug | cut -d' ' -f1)" unplugged
# Gone before any frontend is loaded.
if wait_until 20 no_emu_disk && wait_until 20 no_emu_nic; then
	tap_ok "emulated disk and NIC gone before the frontends load"
else
	tap_fail "emulated disk and NIC gone before the frontends load (sda: $(emu_disk && echo yes || echo no), e1000: $(emu_nic && echo yes || echo no))"
fi
for m in xenpv_xenbus xenpv_blkfront xenpv_netfront; do
	if modprobe "$m" 2>/tmp/unplug.err; then
		tap_ok "modprobe $m"
	else
		tap_fail "modprobe $m: $(cat /tmp/unplug.err)"
	fi
done
if wait_until 30 pv_disk && wait_until 30 pv_nic; then
	tap_ok "PV disk $(basename "$(ls -d /sys/class/block/xvd? | head -n 1)") and NIC $(iface_by_driver xenpv_netfront) in their place"
else
	tap_fail "PV disk and NIC in their place (xvd: $(pv_disk && echo yes || echo no), netfront: $(pv_nic && echo yes || echo no))"
fi
tap_eq "no kernel warning" "$(kernel_splats)" 0
tap_end
