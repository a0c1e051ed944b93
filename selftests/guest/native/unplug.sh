#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# unplug.sh: xenpv_platform's emul_unplug= in a nopv HVM guest whose disks
# (hda: primary master, hdb: primary slave) and vif (e1000) each have an
# emulated device and a PV twin, the emulated ones driven (ata_piix + sd,
# e1000) before any xenpv module.
#
#   emul_unplug=never  the emulated disks and NIC stay; the platform offers
#                      no PV disks or NICs, so xenpv_blkfront and
#                      xenpv_netfront refuse to load (no device seen twice);
#   aux-ide-disks      after unloading everything and loading again: the
#                      primary master stays, the slave is gone
#                      before the device model detaches it, the NIC stays;
#   default (all)      after unloading everything and loading again, the
#                      emulated disks and NIC are gone before the frontends
#                      load, and the PV disks and NIC take their place.
#
# Copyright (C) 2026 The xenpv authors

. /tests/lib/tap.sh
. /tests/core/lib.sh

PLAT=/sys/kernel/debug/xenpv/platform
plat() {
	[ -d /sys/kernel/debug/xenpv ] || mount -t debugfs none /sys/kernel/debug 2>/dev/null
	sed -n "s/^$1: //p" "$PLAT" 2>/dev/null
}
# The emulated disk at SCSI target $1 (0: primary master, 1: primary
# slave; libata's id is the device number).  Not by name: sd names the
# disks in the order their asynchronous probes finish.
disk_at() {
	for da in /sys/class/block/sd?; do
		[ -e "$da" ] || continue
		case "$(basename "$(readlink "$da/device")")" in
		*:0:"$1":0) basename "$da"; return 0 ;;
		esac
	done
	return 1
}
emu_disk() { disk_at 0 >/dev/null; }
no_emu_disk() { ! emu_disk; }
emu_disk2() { disk_at 1 >/dev/null; }
no_emu_disk2() { ! emu_disk2; }
yn() { "$@" && echo yes || echo no; }
emu_nic() { iface_by_driver e1000 >/dev/null; }
no_emu_nic() { ! emu_nic; }
pv_disk() { ls -d /sys/class/block/xvd? >/dev/null 2>&1; }
pv_nic() { iface_by_driver xenpv_netfront >/dev/null; }

if wait_until 30 emu_disk && wait_until 30 emu_disk2 && wait_until 30 emu_nic; then
	tap_ok "emulated disks $(disk_at 0) (master), $(disk_at 1) (slave) and e1000 NIC $(iface_by_driver e1000) before any xenpv module"
else
	tap_fail "emulated disks and e1000 NIC before any xenpv module (master: $(yn emu_disk), slave: $(yn emu_disk2), e1000: $(yn emu_nic))"
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
if emu_disk && emu_disk2 && emu_nic; then
	tap_ok "emulated disks and NIC stay with emul_unplug=never"
else
	tap_fail "emulated disks and NIC stay with emul_unplug=never (master: $(yn emu_disk), slave: $(yn emu_disk2), e1000: $(yn emu_nic))"
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

# ---- aux-ide-disks --------------------------------------------------------
if modprobe xenpv_platform emul_unplug=aux-ide-disks 2>/tmp/unplug.err; then
	tap_ok "modprobe xenpv_platform emul_unplug=aux-ide-disks"
else
	tap_fail "modprobe xenpv_platform emul_unplug=aux-ide-disks: $(cat /tmp/unplug.err)"
	tap_end
fi
tap_eq "platform unplugged" "$(plat unplug | cut -d' ' -f1)" unplugged
tap_eq "emulated disks still present (the primary master)" "$(plat emulated_disks)" 1
if wait_until 20 no_emu_disk2; then
	tap_ok "the primary slave left before the unplug detached it"
else
	tap_fail "the primary slave ($(disk_at 1)) left before the unplug detached it"
fi
sleep 2
master=$(disk_at 0)
if [ -n "$master" ] && emu_nic; then
	tap_ok "the primary master ($master) and the NIC stay"
else
	tap_fail "the primary master and the NIC stay (master: $(yn emu_disk), e1000: $(yn emu_nic))"
fi
# The master still answers: a read straight from the drive.
if [ -n "$master" ] && dd if="/dev/$master" of=/dev/null bs=4k count=16 iflag=direct 2>/dev/null; then
	tap_ok "the primary master still reads"
else
	tap_fail "the primary master still reads"
fi
dmesg | grep 'leaves the guest' | tail -n 2 | while IFS= read -r l; do tap_diag "$l"; done
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
	tap_fail "emulated disk and NIC gone before the frontends load (master: $(yn emu_disk), e1000: $(yn emu_nic))"
fi
for m in xenpv_xenbus xenpv_blkfront xenpv_netfront; do
	if modprobe "$m" 2>/tmp/unplug.err; then
		tap_ok "modprobe $m"
	else
		tap_fail "modprobe $m: $(cat /tmp/unplug.err)"
	fi
done
pv_disks2() { [ "$(ls -d /sys/class/block/xvd? 2>/dev/null | wc -l)" -ge 2 ]; }
if wait_until 30 pv_disks2 && wait_until 30 pv_nic; then
	tap_ok "PV disks $(ls -d /sys/class/block/xvd? | xargs -n 1 basename | tr '\n' ' ')and NIC $(iface_by_driver xenpv_netfront) in their place"
else
	tap_fail "PV disks and NIC in their place (xvd: $(ls -d /sys/class/block/xvd? 2>/dev/null | wc -l) of 2, netfront: $(yn pv_nic))"
fi
tap_eq "no kernel warning" "$(kernel_splats)" 0
tap_end
