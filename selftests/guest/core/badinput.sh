#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# badinput.sh: bad input gets a clear error and no oops (native mode).
#
#  - garbage module parameters (xenpv_platform mode=, event_abi=,
#    emul_unplug=, upcall_vectors=; xenpv_xenbus xs_timeout=): the load
#    fails, the kernel log names the parameter, nothing stays loaded;
#  - hostile frontend nodes that the dom0 peer writes under the guest's
#    device/ (backend outside /local/domain, a ../ escape, a backend of
#    another domain, a garbled or missing backend-id, no backend): the bus
#    logs a clear error naming the node and creates no device;
#  - afterwards the core loads and works as before.
#
# Needs the dom0 peer (the scenario's ON_CREATE; run it before
# core/cleanup.sh, which lets the peer go); leaves the core loaded.
#
# Copyright (C) 2026 The xenpv authors

. /tests/lib/tap.sh
. /tests/core/lib.sh

if ! grep -qw nopv /proc/cmdline; then
	tap_skip "native mode only (the bus checks are our xenbus's)"
	tap_end
fi
splats0=$(kernel_splats)

if xenpv_unload_all; then
	tap_ok "xenpv modules unloaded"
else
	tap_fail "xenpv modules unloaded"
	tap_end
fi

# refused MODULE PARAM=VALUE: the load fails and the log names PARAM.
refused() {
	r_name=${2%%=*}
	r_n0=$(dmesg | wc -l)
	if modprobe "$1" "$2" 2>/tmp/bad.err; then
		tap_fail "$1 $2 refused (it loaded)"
		xenpv_unload_all
		return
	fi
	r_msg=$(dmesg | tail -n +$((r_n0 + 1)) | grep -F "$r_name" | tail -n 1)
	if [ -n "$r_msg" ] && ! grep -q "^$1 " /proc/modules; then
		tap_ok "$1 $2 refused: ${r_msg#*] }"
	else
		tap_fail "$1 $2 refused with a message naming $r_name ($(cat /tmp/bad.err))"
	fi
}

refused xenpv_platform mode=bogus
refused xenpv_platform event_abi=3l
refused xenpv_platform emul_unplug=floppy
refused xenpv_platform emul_unplug=
refused xenpv_platform upcall_vectors=maybe
if modprobe xenpv_platform; then
	refused xenpv_xenbus xs_timeout=abc
else
	tap_fail "xenpv_platform loads with its defaults"
fi

if xenpv_load_core 2>/tmp/bad.err; then
	tap_ok "core loads after the refusals"
else
	tap_fail "core loads after the refusals: $(cat /tmp/bad.err)"
	tap_end
fi
ct_require

# ---- hostile frontend nodes --------------------------------------------------

id=9000
for c in outside dotdot wrongdom badid noid nobackend; do
	id=$((id + 1))
	if ! ans=$(peer_call bogus-dev "$c" "$id"); then
		tap_fail "dom0 wrote the $c node device/vbd/$id: $ans"
		continue
	fi
	logged() { dmesg | grep -q "vbd/${id}[^0-9].*no device"; }
	if wait_until 12 logged; then
		tap_ok "device/vbd/$id ($c) refused: $(dmesg | grep "vbd/${id}[^0-9].*no device" | tail -n 1 | sed 's/^\[[^]]*\] //')"
	else
		tap_fail "device/vbd/$id ($c) refused with a clear error"
	fi
	if [ -e "/sys/bus/xenpv/devices/vbd-$id" ]; then
		tap_fail "no device for device/vbd/$id ($c)"
	else
		tap_ok "no device for device/vbd/$id ($c)"
	fi
	peer_call bogus-rm "$id" >/dev/null || tap_diag "could not remove device/vbd/$id"
	# The bus's messages are rate limited (10 per 5 s).
	sleep 3
done

d=$(xs_read domid 2>/dev/null)
case "$d" in
'' | *[!0-9]*) tap_fail "xenstore still answers (domid '$d')" ;;
*) tap_ok "xenstore still answers (domid $d)" ;;
esac
tap_eq "no kernel warning" "$(kernel_splats)" "$splats0"
tap_end
