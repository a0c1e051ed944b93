#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# load.sh: in a nopv HVM guest, load xenpv_platform and xenpv_xenbus and
# check what they report: Xen version and native mode in dmesg, the event
# upcall in /proc/interrupts, the debugfs state, and the frontend bus.
#
# Copyright (C) 2026 The xenpv authors

. /tests/lib/tap.sh
. /tests/core/lib.sh

if modprobe xenpv_platform; then tap_ok "modprobe xenpv_platform"; else tap_fail "modprobe xenpv_platform"; dmesg | tail -20 | sed 's/^/# /'; tap_end; fi
dmesg | grep 'xenpv_platform' | sed 's/^/# /'
if dmesg | grep -q 'xenpv_platform: ready: Xen [0-9]*\.[0-9]*, mode native'; then
	tap_ok "platform reports Xen version and native mode"
else
	tap_fail "platform reports Xen version and native mode"
fi
if grep -q xenpv /proc/interrupts; then tap_ok "platform upcall IRQ in /proc/interrupts"; else tap_fail "platform upcall IRQ in /proc/interrupts"; fi
grep xenpv /proc/interrupts | sed 's/^/# /'
# vCPU0 keeps INTx (Documentation/platform.rst, Event delivery); the
# helper mounts debugfs, which the dump at the end reads too.
check_upcall_vectors "every online CPU but CPU0 has an upcall vector"
cs=/sys/devices/system/clocksource/clocksource0
if grep -qw xenpv $cs/available_clocksource; then
	tap_ok "clocksource xenpv offered (current: $(cat $cs/current_clocksource))"
else
	tap_fail "clocksource xenpv offered ($(dmesg | grep -o 'clocksource not offered.*' | tail -1))"
fi
# While the clock is offered the module holds itself (it may be the
# current clocksource or the watchdog, and module exit cannot refuse):
# rmmod is refused; pvclock=N withdraws it, pvclock=Y offers it again.
pc=/sys/module/xenpv_platform/parameters/pvclock
if rmmod xenpv_platform 2>/tmp/rmmod.err; then
	tap_fail "xenpv_platform refuses to unload while its clocksource is offered"
	modprobe xenpv_platform
else
	tap_ok "xenpv_platform refuses to unload while its clocksource is offered ($(head -1 /tmp/rmmod.err))"
fi
cur=$(cat $cs/current_clocksource)
if echo N >$pc && ! grep -qw xenpv $cs/available_clocksource &&
    [ "$(cat $cs/current_clocksource)" != xenpv ]; then
	tap_ok "pvclock=N withdraws it (current: $cur -> $(cat $cs/current_clocksource))"
else
	tap_fail "pvclock=N withdraws it (available: $(cat $cs/available_clocksource), current: $(cat $cs/current_clocksource))"
fi
if echo Y >$pc && grep -qw xenpv $cs/available_clocksource &&
    [ "$(cat $cs/current_clocksource)" = "$cur" ]; then
	tap_ok "pvclock=Y offers it again (current: $(cat $cs/current_clocksource))"
else
	tap_fail "pvclock=Y offers it again (available: $(cat $cs/available_clocksource), current: $(cat $cs/current_clocksource), was $cur)"
fi

if modprobe xenpv_xenbus; then tap_ok "modprobe xenpv_xenbus"; else tap_fail "modprobe xenpv_xenbus"; dmesg | tail -20 | sed 's/^/# /'; tap_end; fi
dmesg | grep 'xenpv_xenbus' | sed 's/^/# /'
sleep 1
n=$(ls /sys/bus/xenpv/devices 2>/dev/null | wc -l)
if [ "$n" -gt 0 ]; then tap_ok "bus has $n devices"; else tap_fail "bus has devices"; fi
for d in /sys/bus/xenpv/devices/*; do
	[ -e "$d" ] || continue
	tap_diag "$(basename "$d"): nodename=$(cat "$d/nodename" 2>/dev/null) backend=$(cat "$d/backend" 2>/dev/null) state=$(cat "$d/state" 2>/dev/null) backend_state=$(cat "$d/backend_state" 2>/dev/null)"
done
for t in vbd vif; do
	if ls /sys/bus/xenpv/devices/ | grep -q "^$t-"; then tap_ok "bus lists a $t device"; else tap_fail "bus lists a $t device"; fi
done
# The unplug takes whole emulated PCI functions away in the device model
# (here the rig's virtio-blk boot disk, SCSI-class storage): the platform
# lets go of them in the guest first, so none is left for a driver to hang
# on (a virtio reset at power-off polls a vanished device forever).
left= pbus=
for d in /sys/bus/pci/devices/*; do
	[ "$(cat "$d/vendor"):$(cat "$d/device")" = 0x5853:0x0001 ] && pbus=$(basename "$d" | cut -d: -f1-2)
done
for d in /sys/bus/pci/devices/"$pbus":*; do
	[ -e "$d" ] || continue
	case "$(cat "$d/class")" in 0x0100*|0x0200*) ;; *) continue ;; esac
	case "$(cat "$d/vendor")" in 0x1af4|0x1b36) left="$left $(basename "$d")" ;; esac
done
if [ -z "$left" ]; then
	tap_ok "no emulated function the unplug removes is left in the guest"
else
	tap_fail "emulated functions the unplug removed are still in the guest:$left"
fi
dmesg | grep 'leaves the guest before the unplug' | sed 's/^/# /'
grep -h . /sys/kernel/debug/xenpv/* 2>/dev/null | head -40 | sed 's/^/# /'
tap_end
