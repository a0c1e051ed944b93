#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# control.sh: the toolstack's control requests reach the guest.  The
# guest advertises control/feature-poweroff, -reboot and -suspend (native
# mode: written by xenpv_xenbus; pvops mode: by the kernel), and a sysrq
# dom0 sends with `xl sysrq` (through the peer) runs in the guest: "h"
# prints the sysrq help into the kernel log, and control/sysrq is
# acknowledged (emptied).  Poweroff, reboot and suspend themselves end or
# move the guest: the save/restore scenarios exercise suspend.
#
# Copyright (C) 2026 The xenpv authors

. /tests/lib/tap.sh
. /tests/core/lib.sh
ct_require

for f in poweroff reboot suspend; do
	tap_eq "control/feature-$f advertised" "$(xs_read "control/feature-$f" 2>/dev/null)" 1
done

helps() { dmesg | grep -c 'sysrq: HELP'; }
more_help() { [ "$(helps)" -gt "$n0" ]; }
acked() { [ -z "$(xs_read control/sysrq 2>/dev/null)" ]; }

# Requests from the toolstack bypass kernel.sysrq (handle_sysrq()); the
# help is printed either way.
n0=$(helps)
if r=$(peer_call sysrq h); then
	tap_ok "dom0 sent sysrq h"
else
	tap_fail "dom0 sent sysrq h: $r"
	tap_end
fi
if wait_until 10 more_help; then
	tap_ok "the guest ran the sysrq (help in the kernel log)"
else
	dmesg | tail -n 5 | sed 's/^/# /'
	tap_fail "the guest ran the sysrq (help in the kernel log)"
fi
if wait_until 10 acked; then
	tap_ok "control/sysrq acknowledged"
else
	tap_fail "control/sysrq acknowledged (still '$(xs_read control/sysrq 2>/dev/null)')"
fi
tap_end
