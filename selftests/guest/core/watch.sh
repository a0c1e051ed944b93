#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# watch.sh: a watch on data/xenpv-test/ping fires when dom0 writes it.
# The module registers the watch and waits for the event every new watch
# fires with; dom0 then writes a fresh nonce; the callback (watch thread)
# must see that value.  After unregistering, a second dom0 write must not
# reach the callback.
#
# Copyright (C) 2026 The xenpv authors

. /tests/lib/tap.sh
. /tests/core/lib.sh
ct_require

# wait_value VALUE SECONDS: until the watch has seen VALUE.
wait_value() {
	i=0
	while [ "$i" -lt $(($2 * 5)) ]; do
		[ "$(ct_get watch value)" = "$1" ] && return 0
		i=$((i + 1))
		sleep 0.2
	done
	return 1
}

xs_rm "$CT_BASE/ping" 2>/dev/null
if ct_cmd watch arm; then
	tap_ok "watch registered, first event seen ($(ct_get watch events) event(s), path $(ct_get watch path))"
else
	tap_fail "watch registered and first event seen: $(cat /tmp/ct_cmd.err)"
	tap_end
fi
ev0=$(ct_num watch events)

nonce=$(ct_nonce)
if r=$(peer_call ping "$nonce"); then
	tap_ok "dom0 wrote $CT_BASE/ping"
else
	tap_fail "dom0 wrote $CT_BASE/ping: $r"
fi
if wait_value "$nonce" 20; then
	tap_ok "watch fired on dom0's write and read its value"
else
	tap_fail "watch fired on dom0's write (value '$(ct_get watch value)', err $(ct_get watch err))"
fi
ev1=$(ct_num watch events)
path=$(ct_get watch path)
if [ "$ev1" -gt "$ev0" ]; then tap_ok "events $ev0 -> $ev1"; else tap_fail "events $ev0 -> $ev1"; fi
case "$path" in
*data/xenpv-test/ping) tap_ok "event path $path" ;;
*) tap_fail "event path '$path' names data/xenpv-test/ping" ;;
esac

if ct_cmd watch disarm; then tap_ok "watch unregistered"; else tap_fail "watch unregistered"; fi
peer_call ping "$(ct_nonce)" >/dev/null
sleep 2
ev2=$(ct_num watch events)
if [ "$ev2" = "$ev1" ] && [ "$(ct_get watch value)" = "$nonce" ]; then
	tap_ok "no callback after unregistering"
else
	tap_fail "no callback after unregistering (events $ev1 -> $ev2)"
fi
tap_end
