#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# evtchn.sh [COUNT]: event channel round trips with dom0.  The guest
# allocates an unbound port for dom0 and binds it to an IRQ whose handler
# answers every event with a notify; dom0 binds to it through
# /dev/xen/evtchn (xenpv-peer evtchn-ping) and does COUNT (default 100)
# notify -> answer round trips.  Run with a plain and with a late-EOI
# binding; the IRQ shows in /proc/interrupts while bound, and only then.
#
# Copyright (C) 2026 The xenpv authors

. /tests/lib/tap.sh
. /tests/core/lib.sh
ct_require
count=${1:-100}

for variant in plain lateeoi; do
	flag=
	[ "$variant" = lateeoi ] && flag=lateeoi
	if ! ct_cmd evtchn alloc 0 $flag; then
		tap_fail "$variant: allocate an unbound port for dom0 and bind it: $(cat /tmp/ct_cmd.err)"
		continue
	fi
	port=$(ct_get evtchn port)
	irq=$(ct_get evtchn irq)
	tap_ok "$variant: port $port bound to IRQ $irq"
	if [ "$(ct_get evtchn port_from_irq)" = "$port" ]; then
		tap_ok "$variant: xenpv_evtchn_from_irq($irq) = $port"
	else
		tap_fail "$variant: xenpv_evtchn_from_irq($irq) = $port (got $(ct_get evtchn port_from_irq))"
	fi
	if grep -q "^ *$irq:.*xenpv_coretest" /proc/interrupts; then
		tap_ok "$variant: IRQ $irq listed in /proc/interrupts as xenpv_coretest"
	else
		tap_fail "$variant: IRQ $irq listed in /proc/interrupts as xenpv_coretest"
	fi

	if r=$(peer_call evtchn "$port" "$count") && [ "$(kv rounds "$r")" = "$count" ]; then
		tap_ok "$variant: $count round trips dom0 -> guest -> dom0 (avg $(kv avg_us "$r") us, max $(kv max_us "$r") us)"
	else
		tap_fail "$variant: $count round trips with dom0: $r"
	fi
	tap_diag "$variant: dom0: $r"
	ev=$(ct_num evtchn events -1)
	no=$(ct_num evtchn notifies -1)
	if [ "$ev" = "$count" ] && [ "$no" = "$count" ]; then
		tap_ok "$variant: handler ran $ev times and answered each"
	else
		tap_fail "$variant: handler ran $ev times, answered $no (want $count each)"
	fi
	seen=$(irq_count xenpv_coretest)
	if [ "$seen" -ge "$count" ]; then
		tap_ok "$variant: /proc/interrupts counted $seen"
	else
		tap_fail "$variant: /proc/interrupts counted $seen (< $count)"
	fi

	if ct_cmd evtchn free && ! grep -q xenpv_coretest /proc/interrupts; then
		tap_ok "$variant: unbound and closed; IRQ gone from /proc/interrupts"
	else
		tap_fail "$variant: unbound and closed; IRQ gone from /proc/interrupts"
	fi
done
tap_end
