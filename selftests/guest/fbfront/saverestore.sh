#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# saverestore.sh: xenpv_fbfront's display survives `xl save` + `xl
# restore`.  drm_pattern shows its colour bars and keeps them; dom0 sees
# them over the vfb backend's VNC server; the dom0 peer saves the guest
# and restores it as a new domain (a new backend, which knows nothing of
# the old screen); then the device must be connected again and dom0 must
# see the same bars at the same size without the program drawing again
# (the driver re-sends its frame), and no protocol error may have been
# seen.  Needs xenpv_coretest and the peer (the scenario's ON_CREATE).
#
# Copyright (C) 2026 The xenpv authors

. /tests/lib/tap.sh
. /tests/core/lib.sh
ct_require
here=$(dirname "$0")
dbg=/sys/kernel/debug/xenpv_fbfront
[ -d "$dbg" ] || mount -t debugfs none /sys/kernel/debug 2>/dev/null

stat_of() {
	sed -n "s/^$2: //p" "$1" 2>/dev/null
}

st=
for f in "$dbg"/*; do
	[ -f "$f" ] && [ "$(stat_of "$f" connected)" = 1 ] && st=$f
done
if [ -z "$st" ]; then
	tap_fail "a connected vfb device ($(ls "$dbg" 2>&1 | tr '\n' ' '))"
	tap_end
fi
tap_ok "vfb connected ($(basename "$st"))"
dom0=$(xs_read domid 2>/dev/null)

out=/tmp/drm_pattern.sr
# The full-screen stage, held long enough for the save and the restore.
"$here/drm_pattern" run -H 240 >"$out" 2>&1 &
dp=$!
full() { grep -q '^# stage full ' "$out"; }
if ! wait_until 30 full; then
	sed 's/^/# /' "$out"
	kill "$dp" 2>/dev/null
	tap_fail "drm_pattern shows its bars"
	tap_end
fi
size=$(sed -n 's/^# stage full //p' "$out")
tap_ok "drm_pattern shows its bars ($size)"

# bars TRIES: dom0 sees the bars, asking up to TRIES times 2 s apart (each
# look is a VNC session from dom0: seconds, not a fifth of one).
bars() {
	b_i=0
	while [ "$b_i" -lt "$1" ]; do
		PEER_TIMEOUT=60 peer_call rfb check-bars >/dev/null && return 0
		b_i=$((b_i + 1))
		sleep 2
	done
	return 1
}
if bars 5; then
	tap_ok "dom0 VNC: colour bars before the save"
else
	tap_fail "dom0 VNC: colour bars before the save: $(peer_call rfb check-bars)"
fi

if ! peer_saverestore "with the bars on screen" "$dom0"; then
	kill "$dp" 2>/dev/null
	tap_end
fi

connected() { [ "$(stat_of "$st" connected)" = 1 ]; }
if wait_until 30 connected; then
	tap_ok "vfb connected to the new backend"
else
	sed 's/^/# /' "$st"
	tap_fail "vfb connected to the new backend"
fi
if ! pid_exited "$dp"; then
	tap_ok "drm_pattern still holding its bars (nothing redrawn by it)"
else
	sed 's/^/# /' "$out"
	tap_fail "drm_pattern still holding its bars"
fi
ans=$(peer_call rfb size)
tap_eq "dom0 VNC: screen size after the restore" "${ans#ok }" "$size"
if bars 8; then
	tap_ok "dom0 VNC: the same colour bars after the restore"
else
	tap_fail "dom0 VNC: the same colour bars after the restore: $(peer_call rfb check-bars)"
fi
kill "$dp" 2>/dev/null
wait "$dp" 2>/dev/null

pe=$(stat_of "$st" protocol_errors)
if [ "${pe:-0}" = 0 ] && [ "$(stat_of "$st" broken)" = 0 ]; then
	tap_ok "no protocol error"
else
	tap_fail "no protocol error (protocol_errors=$pe)"
fi
tap_end
