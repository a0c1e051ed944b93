#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# after-restore.sh: native mode after xl save + xl restore (run after
# blkfront/saverestore.sh in scenarios/native-saverestore.scn).  The
# platform logged the resume in a new domain with nothing left undone, the
# per-vCPU upcall vectors are registered again (and take events: a port
# moved to each CPU gets its round trips there), the clocksource is still
# offered and time runs at the right rate, and xenstore works (a
# transaction and a dom0 round trip).
#
# Copyright (C) 2026 The xenpv authors

. /tests/lib/tap.sh
. /tests/core/lib.sh
ct_require

log=$(dmesg)
if echo "$log" | grep -q 'xenpv_platform.*resumed in a new domain'; then
	tap_ok "platform resumed in a new domain"
	echo "$log" | grep 'resumed in a new domain' | sed 's/^/# /'
else
	tap_fail "platform resumed in a new domain"
fi
bad='not restored\|could not be restored\|suspend failed\|suspend aborted\|re-adding .* failed\|restoring the event callback failed\|blacklists'
if echo "$log" | grep 'xenpv' | grep -q "$bad"; then
	echo "$log" | grep 'xenpv' | grep "$bad" | sed 's/^/# /'
	tap_fail "nothing left unrestored"
else
	tap_ok "nothing left unrestored"
fi

check_upcall_vectors "every online CPU but CPU0 has its upcall vector again"

# Event channel round trips with dom0 on every CPU (the vectors deliver).
if /tests/core/evtchn.sh 20 >/tmp/evtchn.out 2>&1; then
	tap_ok "event channel round trips on every CPU after the restore"
else
	grep 'not ok\|^#' /tmp/evtchn.out | head -n 20 | sed 's/^/# /'
	tap_fail "event channel round trips on every CPU after the restore"
fi

cs=/sys/devices/system/clocksource/clocksource0
if grep -qw xenpv $cs/available_clocksource; then
	tap_ok "clocksource xenpv still offered (current: $(cat $cs/current_clocksource))"
else
	tap_fail "clocksource xenpv still offered"
fi
# Two seconds of sleep take two seconds of CLOCK_MONOTONIC (a clock whose
# base was not redone would jump or crawl).
t0=$(cut -d' ' -f1 /proc/uptime)
sleep 2
t1=$(cut -d' ' -f1 /proc/uptime)
d=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%d", (b - a) * 1000 }')
if [ "$d" -ge 1900 ] && [ "$d" -le 4000 ]; then
	tap_ok "sleep 2 took ${d} ms of uptime"
else
	tap_fail "sleep 2 took ${d} ms of uptime"
fi

if /tests/core/xs-tx.sh >/tmp/xs-tx.out 2>&1; then
	tap_ok "xenstore transactions after the restore"
else
	grep 'not ok\|^#' /tmp/xs-tx.out | head -n 10 | sed 's/^/# /'
	tap_fail "xenstore transactions after the restore"
fi
tap_end
