#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# cleanup.sh: end the dom0 peer, then unload xenpv_coretest and check it
# left nothing behind: no grant, port, IRQ, transaction or watch, grant
# counters as at load (the module's own leak check in dmesg), and its
# debugfs directory gone.
#
# Copyright (C) 2026 The xenpv authors

. /tests/lib/tap.sh
. /tests/core/lib.sh
ct_require

if r=$(peer_call quit); then tap_ok "dom0 peer finished"; else tap_fail "dom0 peer finished: $r"; fi

left=
[ "$(ct_get grant granted)" = 0 ] || left="$left grant"
[ "$(ct_get evtchn bound)" = 0 ] || left="$left evtchn"
[ "$(ct_get tx open)" = 0 ] || left="$left transaction"
[ "$(ct_get watch armed)" = 0 ] || left="$left watch"
if [ -z "$left" ]; then tap_ok "no test resource left open"; else tap_fail "test resources left open:$left"; fi
tap_diag "stats: $(tr '\n' ' ' <"$CT/stats")"

if rmmod xenpv_coretest; then tap_ok "rmmod xenpv_coretest"; else tap_fail "rmmod xenpv_coretest"; tap_end; fi
line=$(dmesg | grep 'xenpv_coretest: leak-check' | tail -n 1)
case "$line" in
*"leak-check ok"*) tap_ok "grant counters back to their values at load" ;;
*) tap_fail "grant counters back to their values at load: ${line:-no leak-check line}" ;;
esac
tap_diag "$line"
if [ ! -e "$CT" ]; then tap_ok "debugfs directory removed"; else tap_fail "debugfs directory removed"; fi
if ! grep -q xenpv_coretest /proc/interrupts; then tap_ok "no xenpv_coretest IRQ left"; else tap_fail "no xenpv_coretest IRQ left"; fi
tap_end
