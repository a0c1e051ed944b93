#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# load-loop.sh [CYCLES] [MEMFREE_KB] [SLAB_KB]: load and unload the core
# CYCLES times (default 10): xenpv_platform, xenpv_xenbus, xenpv_coretest
# up; a grant and an event channel taken and given back; everything down.
# Every cycle must load and unload cleanly, leave no xenpv IRQ in
# /proc/interrupts and no xenpv debugfs directory, see the same number of
# grant references in use and (native) the same devices on the bus.
# Native mode, when Xen offers the FIFO event ABI: the cycles alternate
# between FIFO (event_abi=auto) and 2-level (event_abi=2l), so every unload
# of a FIFO load resets the domain's event channels and binds xenstore's
# again, and the next load (either ABI) must find xenstore working.  Over
# the whole run free memory may drop by at most MEMFREE_KB (default 1024)
# and unreclaimable slab grow by at most SLAB_KB (default 2048), measured
# after a warm-up cycle with the caches dropped.  Free memory is MemFree
# plus the pages on the per-CPU free lists: those lists hold tens of MiB
# here and their fill moves MemFree alone by 10+ MiB between two samples
# (a 50-cycle run once "lost" 10.8 MiB that way), while the sum stays
# within a few tens of KiB on an idle guest.
#
# Copyright (C) 2026 The xenpv authors

. /tests/lib/tap.sh
. /tests/core/lib.sh
cycles=${1:-10}
mem_bound=${2:-1024}
slab_bound=${3:-2048}

meminfo() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	sleep 1
	awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo
}

# Free memory in kB: MemFree and the per-CPU free lists ("count:" of every
# pageset in /proc/zoneinfo, in 4 KiB pages: x86).
free_kb() {
	mf=$(meminfo MemFree)
	pcp=$(awk '$1 == "count:" { s += $2 } END { print s + 0 }' /proc/zoneinfo)
	echo $((mf + pcp * 4))
}

# One cycle, in this shell; prints why it failed.  Sets refs and ndev.
# $1: the event ABI the cycle asks for (native): auto or 2l.
cycle() {
	opts=
	[ "${1:-auto}" = 2l ] && opts=event_abi=2l
	if ! XENPV_PLATFORM_OPTS=$opts xenpv_load_core 2>/tmp/loop.err; then
		echo "load: $(tr '\n' ' ' </tmp/loop.err)"
		return 1
	fi
	if [ -n "$fifo" ]; then
		abi=$(xenpv_event_abi)
		want_abi=FIFO
		[ "${1:-auto}" = 2l ] && want_abi=2-level
		if [ "$abi" != "$want_abi" ]; then
			echo "event ABI '$abi' with event_abi=${1:-auto}, want $want_abi"
			return 1
		fi
	fi
	refs=$(ct_num stats refs_in_use)
	ndev=0
	if [ "$(ct_get info mode)" = native ]; then
		# The bus rescans xenstore when it loads.
		i=0
		while [ "$i" -lt 50 ]; do
			ndev=$(ls /sys/bus/xenpv/devices 2>/dev/null | wc -l)
			[ "$ndev" -ge "${want_ndev:-1}" ] && break
			i=$((i + 1))
			sleep 0.2
		done
	fi
	if ! { ct_cmd grant grant 0 && ct_cmd grant try-end &&
		[ "$(ct_get grant last_end)" = ended ]; }; then
		echo "grant/try-end failed: $(cat /tmp/ct_cmd.err)"
		return 1
	fi
	if ! { ct_cmd evtchn alloc 0 && ct_cmd evtchn free; }; then
		echo "evtchn alloc/free failed: $(cat /tmp/ct_cmd.err)"
		return 1
	fi
	if [ "$(ct_num stats refs_in_use)" != "$refs" ]; then
		echo "refs_in_use $refs -> $(ct_num stats refs_in_use) within the cycle"
		return 1
	fi
	if ! xenpv_unload_all 2>/tmp/loop.err; then
		echo "unload: $(tr '\n' ' ' </tmp/loop.err)"
		return 1
	fi
	if grep -q xenpv /proc/interrupts; then
		echo "IRQ left: $(grep xenpv /proc/interrupts | tr -s ' ' | tr '\n' ';')"
		return 1
	fi
	for d in /sys/kernel/debug/xenpv /sys/kernel/debug/xenpv_coretest /sys/bus/xenpv; do
		[ -e "$d" ] && { echo "$d left behind"; return 1; }
	done
	grep -q '^xenpv' /proc/modules && { echo "modules left: $(grep '^xenpv' /proc/modules | cut -d' ' -f1)"; return 1; }
	return 0
}

if xenpv_unload_all; then
	tap_ok "xenpv modules unloaded before the loop"
else
	tap_fail "xenpv modules unloaded before the loop: $(grep '^xenpv' /proc/modules | cut -d' ' -f1 | tr '\n' ' ')"
	tap_end
fi

# Does this Xen give native mode the FIFO ABI?  Then alternate.
fifo=
if [ "$(ct_get info mode 2>/dev/null)" = native ] ||
    grep -qw nopv /proc/cmdline; then
	XENPV_PLATFORM_OPTS='' xenpv_load_core 2>/dev/null
	[ "$(xenpv_event_abi)" = FIFO ] && fifo=1
	xenpv_unload_all
fi
if [ -n "$fifo" ]; then
	tap_diag "native mode on a Xen with FIFO: cycles alternate FIFO and 2-level"
fi

# Warm-up: the first load allocates things that stay (caches, slabs).
if cycle >/tmp/loop.why; then
	tap_ok "warm-up cycle (refs_in_use $refs, $ndev bus devices)"
else
	tap_fail "warm-up cycle: $(cat /tmp/loop.why)"
	tap_end
fi
refs0=$refs
want_ndev=$ndev
mem0=$(free_kb)
slab0=$(meminfo SUnreclaim)
cp /proc/meminfo /tmp/loop.meminfo0

n=0
fail=
while [ "$n" -lt "$cycles" ]; do
	n=$((n + 1))
	abi_arg=auto
	[ -n "$fifo" ] && [ $((n % 2)) = 1 ] && abi_arg=2l
	if ! cycle "$abi_arg" >/tmp/loop.why; then
		fail="cycle $n: $(cat /tmp/loop.why)"
		break
	fi
	if [ "$refs" != "$refs0" ]; then
		fail="cycle $n: grant references in use after load $refs0 -> $refs"
		break
	fi
	if [ "$ndev" != "$want_ndev" ]; then
		fail="cycle $n: bus devices after load $want_ndev -> $ndev"
		break
	fi
	if [ $((n % 10)) = 0 ]; then
		tap_diag "after cycle $n: free memory $(free_kb) kB"
	fi
done
if [ -z "$fail" ]; then
	tap_ok "$cycles load/unload cycles${fifo:+ (FIFO and 2-level in turn)}: same grant refs ($refs0) and bus devices ($want_ndev) each time, no IRQ/debugfs/bus/module left"
else
	tap_fail "$fail"
fi

mem1=$(free_kb)
slab1=$(meminfo SUnreclaim)
dmem=$((mem0 - mem1))
dslab=$((slab1 - slab0))
tap_diag "free memory (MemFree + per-CPU lists) ${mem0} -> ${mem1} kB, SUnreclaim ${slab0} -> ${slab1} kB over $n cycles"
# Which counters moved, to tell a leak (slab, vmalloc, percpu, page
# tables) from the rest of the system.
awk 'NR == FNR { a[$1] = $2; next }
     ($1 in a) && ($2 - a[$1] >= 256 || a[$1] - $2 >= 256) {
	printf "# meminfo %s %d -> %d kB\n", $1, a[$1], $2 }' \
    /tmp/loop.meminfo0 /proc/meminfo
if [ "$dmem" -le "$mem_bound" ]; then
	tap_ok "free memory drop ${dmem} kB <= ${mem_bound} kB"
else
	tap_fail "free memory drop ${dmem} kB <= ${mem_bound} kB"
fi
if [ "$dslab" -le "$slab_bound" ]; then
	tap_ok "unreclaimable slab growth ${dslab} kB <= ${slab_bound} kB"
else
	tap_fail "unreclaimable slab growth ${dslab} kB <= ${slab_bound} kB"
fi
tap_end
