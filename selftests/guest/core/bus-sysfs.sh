#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# bus-sysfs.sh [TYPE-ID...]: the native frontend bus lists the guest's
# devices under /sys/bus/xenpv/devices/<type>-<id>/ (at least the ones
# named), and each device's nodename, devtype, backend, backend_id, state
# and backend_state agree with xenstore.  No frontend is loaded, so the
# devices sit unbound.  Skipped in pvops mode (the kernel's own bus).
#
# Copyright (C) 2026 The xenpv authors

. /tests/lib/tap.sh
. /tests/core/lib.sh
ct_require

if [ "$(ct_get info mode)" != native ]; then
	tap_skip "xenpv bus is native-only (mode $(ct_get info mode))"
	tap_end
fi
bus=/sys/bus/xenpv/devices

# The bus scans xenstore when xenpv_xenbus loads; give it a moment.
i=0
while :; do
	missing=
	for d in "$@"; do [ -e "$bus/$d" ] || missing="$missing $d"; done
	[ -z "$missing" ] && [ -n "$(ls "$bus" 2>/dev/null)" ] && break
	i=$((i + 1))
	if [ "$i" -gt 100 ]; then
		tap_fail "devices on the xenpv bus (missing:${missing:- all})"
		tap_diag "$bus: $(ls "$bus" 2>/dev/null | tr '\n' ' ')"
		tap_end
	fi
	sleep 0.2
done
tap_ok "devices on the xenpv bus: $(ls "$bus" | tr '\n' ' ')"

# check_dev NAME: prints nothing and succeeds when everything agrees.
check_dev() {
	d=$bus/$1
	type=${1%%-*}
	id=${1#*-}
	node=device/$type/$id
	bad=
	[ "$(cat "$d/nodename")" = "$node" ] || bad="$bad nodename=$(cat "$d/nodename")"
	[ "$(cat "$d/devtype")" = "$type" ] || bad="$bad devtype=$(cat "$d/devtype")"
	beid=$(cat "$d/backend_id")
	be=$(cat "$d/backend")
	case "$be" in
	"/local/domain/$beid/backend/$type/"*) ;;
	*) bad="$bad backend=$be (backend_id $beid)" ;;
	esac
	xbe=$(xs_read "$node/backend")
	[ "$xbe" = "$be" ] || bad="$bad backend!=xenstore($xbe)"
	xbeid=$(xs_read "$node/backend-id")
	[ "$xbeid" = "$beid" ] || bad="$bad backend_id!=xenstore($xbeid)"
	st=$(cat "$d/state")
	xst=$(xs_read "$node/state")
	[ "$st" = "$xst" ] || bad="$bad state=$st!=xenstore($xst)"
	bst=$(cat "$d/backend_state")
	xbst=$(xs_read "$be/state")
	[ "$bst" = "$xbst" ] || bad="$bad backend_state=$bst!=xenstore($xbst)"
	case "$st" in [1-8]) ;; *) bad="$bad state-out-of-range=$st" ;; esac
	if [ -e "$d/driver" ]; then
		bad="$bad bound-to=$(basename "$(readlink "$d/driver")")"
	fi
	[ -z "$bad" ] && return 0
	echo "$bad"
	return 1
}

for dev in "$bus"/*; do
	n=$(basename "$dev")
	# A backend may be moving between states: look again before failing.
	for _ in 1 2 3; do
		if why=$(check_dev "$n"); then break; fi
		sleep 1
	done
	if [ -z "$why" ]; then
		tap_ok "$n: nodename, devtype, backend, state agree with xenstore"
	else
		tap_fail "$n:$why"
	fi
	tap_diag "$n: node=$(cat "$dev/nodename") backend=$(cat "$dev/backend") state=$(cat "$dev/state") backend_state=$(cat "$dev/backend_state")"
done
tap_end
