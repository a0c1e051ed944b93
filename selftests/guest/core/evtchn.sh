#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# evtchn.sh [COUNT]: event channel round trips with dom0.  The guest
# allocates an unbound port for dom0 and binds it to an IRQ whose handler
# answers every event with a notify; dom0 binds to it through
# /dev/xen/evtchn (xenpv-peer evtchn-ping) and does COUNT (default 100)
# notify -> answer round trips.  Run with a plain and with a late-EOI
# binding; the IRQ shows in /proc/interrupts while bound, and only then.
# With more than one CPU the port's IRQ is then moved to each CPU in turn
# (/proc/irq/N/smp_affinity_list): the round trips must still work and be
# counted on that CPU (native mode: the port is rebound to that vCPU and
# raised by its upcall vector; skipped where IRQs cannot move, i.e. native
# mode on INTx alone).
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

	# irq_on_cpu IRQ CPU: the IRQ's count on CPU in /proc/interrupts.
	irq_on_cpu() {
		awk -v irq="$1:" -v col=$(($2 + 2)) '$1 == irq { print $col + 0 }' \
			/proc/interrupts
	}
	cpus=$(ls -d /sys/devices/system/cpu/cpu[0-9]* | wc -l)
	aff=/proc/irq/$irq/smp_affinity_list
	if [ "$cpus" -lt 2 ]; then
		tap_skip "$variant: moving the IRQ between CPUs (one CPU)"
	elif ! echo 1 >"$aff" 2>/dev/null; then
		tap_skip "$variant: moving the IRQ between CPUs (its affinity is fixed: $(grep -h event_delivery /sys/kernel/debug/xenpv/platform 2>/dev/null || echo pvops))"
	else
		c=0
		while [ "$c" -lt "$cpus" ]; do
			[ -e /sys/devices/system/cpu/cpu$c/online ] &&
				[ "$(cat /sys/devices/system/cpu/cpu$c/online)" = 0 ] &&
				{ c=$((c + 1)); continue; }
			if ! echo "$c" >"$aff" 2>/dev/null; then
				tap_fail "$variant: IRQ $irq affinity set to CPU$c"
				c=$((c + 1))
				continue
			fi
			before=$(irq_on_cpu "$irq" "$c")
			eff=$(cat "/proc/irq/$irq/effective_affinity_list" 2>/dev/null)
			if r=$(peer_call evtchn "$port" 20) &&
			    [ "$(kv rounds "$r")" = 20 ] &&
			    [ $(($(irq_on_cpu "$irq" "$c") - before)) -ge 20 ]; then
				tap_ok "$variant: on CPU$c (effective $eff): 20 round trips, counted there"
			else
				tap_fail "$variant: on CPU$c (effective $eff): 20 round trips counted there: $r, count $before -> $(irq_on_cpu "$irq" "$c")"
				grep -E "^ *$irq:|upcall" /proc/interrupts | sed 's/^/# /'
			fi
			c=$((c + 1))
		done
	fi

	if ct_cmd evtchn free && ! grep -q xenpv_coretest /proc/interrupts; then
		tap_ok "$variant: unbound and closed; IRQ gone from /proc/interrupts"
	else
		tap_fail "$variant: unbound and closed; IRQ gone from /proc/interrupts"
	fi
done
tap_end
